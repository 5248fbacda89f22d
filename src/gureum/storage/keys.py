"""The order-preserving encoding of key values, and the partition hash.

Comparing two encodings byte by byte (memcmp, shorter first on a common prefix: what SQLite
and PostgreSQL do for BLOB/bytea) gives DynamoDB's sort order of the values they encode:

* S: the UTF-8 bytes (DynamoDB orders strings by unsigned UTF-8 bytes);
* B: the bytes themselves;
* N: sign, then a biased decimal exponent, then the digits. Inputs are numbers already in
  DynamoDB's canonical form (see :func:`gureum.expressions.normalize_number`), so one number
  has one encoding, and "1e3" and "1000" are the same key.

A table's key attributes have one fixed type each, so encodings carry no type tag.
"""

from __future__ import annotations

import binascii
from zlib import crc32

_NEGATIVE, _ZERO, _POSITIVE = b"\x01", b"\x02", b"\x03"
_EXPONENT_BIAS = 1000  # exponents lie in [-130, 126]; the bias keeps them positive
_INVERT_DIGITS = bytes.maketrans(b"0123456789", b"9876543210")


def encode_number(text: str) -> bytes:
    """Encode a canonical DynamoDB number ('-12.5', '0', '0.001', '1000')."""
    if text == "0":
        return _ZERO
    negative = text[0] == "-"
    if negative:
        text = text[1:]
    integer, _, fraction = text.partition(".")
    if integer != "0":
        digits = (integer + fraction).rstrip("0")
        exponent = len(integer)  # value = 0.<digits> * 10**exponent
    else:
        stripped = fraction.lstrip("0")
        digits = stripped
        exponent = len(stripped) - len(fraction)
    body = digits.encode()
    if not negative:
        return _POSITIVE + (exponent + _EXPONENT_BIAS).to_bytes(2, "big") + body
    # Negative: larger magnitude sorts lower, so invert the exponent and the digits; the
    # terminator makes a shorter digit string (smaller magnitude) sort after its extensions.
    inverted = body.translate(_INVERT_DIGITS)
    return _NEGATIVE + (0xFFFF - exponent - _EXPONENT_BIAS).to_bytes(2, "big") + inverted + b"\xff"


def encode_string(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def encode_binary(text: str) -> bytes:
    """Key bytes of a B value as it arrives on the wire (base64 text, already validated)."""
    return binascii.a2b_base64(text)


ENCODERS = {"S": encode_string, "N": encode_number, "B": encode_binary}


def partition_hash(partition: bytes) -> int:
    """The 32-bit hash placing a partition key in DynamoDB's hash-partitioned key space."""
    return crc32(partition)


HASH_SPACE = 1 << 32


def prefix_upper_bound(prefix: bytes) -> bytes | None:
    """The smallest byte string greater than every string starting with ``prefix``
    (None when there is none: the prefix is empty or all 0xFF)."""
    trimmed = prefix.rstrip(b"\xff")
    if not trimmed:
        return None
    return trimmed[:-1] + bytes([trimmed[-1] + 1])
