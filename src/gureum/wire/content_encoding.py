"""Request bodies sent with ``Content-Encoding: gzip`` or ``deflate``, as AWS accepts them.

The size limit applies to the decoded body, so a small compressed request cannot expand into
an unbounded one. Like DynamoDB, concatenated gzip members are all read and anything after the
last member that is not another member is ignored; an unknown encoding or a body that does not
decode is the caller's to answer (DynamoDB: HTTP 500).
"""

from __future__ import annotations

import zlib

_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_ZLIB_WBITS = zlib.MAX_WBITS


class UndecodableBody(Exception):
    """Unknown encoding, or data that is not in that encoding."""


class DecodedBodyTooLarge(Exception):
    """The decoded body is over the size limit."""


def decode_body(encoding: str, body: bytes, limit: int) -> bytes:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "deflate"):
        raise UndecodableBody(encoding)
    if not body:
        raise UndecodableBody("empty body")
    wbits = _GZIP_WBITS if encoding == "gzip" else _ZLIB_WBITS
    out: list[bytes] = []
    size = 0
    data = body
    while True:
        decoder = zlib.decompressobj(wbits)
        try:
            chunk = decoder.decompress(data, limit + 1 - size)
        except zlib.error as exc:
            raise UndecodableBody(str(exc)) from exc
        size += len(chunk)
        out.append(chunk)
        if size > limit or decoder.unconsumed_tail:
            raise DecodedBodyTooLarge
        if not decoder.eof:
            raise UndecodableBody("truncated data")
        data = decoder.unused_data
        if encoding != "gzip" or not data.startswith(_GZIP_MAGIC):
            return b"".join(out)
