"""Shard iterators: opaque strings naming a stream, its shard, a position and a birth time.

An iterator reads ``<stream arn>|1|<base64 of [shard id, position, created ms]>``, the shape
DynamoDB's iterators have (the ARN in clear, then an opaque part). The position is the
change-log seq after which reading resumes. Iterators are not signed: a caller that forges one
only reads what it could read anyway.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

import orjson

from gureum.services.streams import errors

_VERSION = "1"


@dataclass(frozen=True, slots=True)
class ShardIterator:
    stream_arn: str
    shard_id: str
    after_seq: int
    created: float

    def encode(self) -> str:
        payload = orjson.dumps([self.shard_id, self.after_seq, int(self.created * 1000)])
        return f"{self.stream_arn}|{_VERSION}|{base64.b64encode(payload).decode()}"

    @classmethod
    def decode(cls, text: str) -> ShardIterator:
        """The iterator ``text`` spells; ValidationException if it is not one."""
        arn, _, rest = text.partition("|")
        version, _, opaque = rest.partition("|")
        if version != _VERSION or not arn:
            raise errors.invalid_iterator()
        try:
            payload = orjson.loads(base64.b64decode(opaque, validate=True))
        except (binascii.Error, orjson.JSONDecodeError, ValueError):
            raise errors.invalid_iterator() from None
        if (
            not isinstance(payload, list)
            or len(payload) != 3
            or not isinstance(payload[0], str)
            or not all(type(v) is int and v >= 0 for v in payload[1:])
        ):
            raise errors.invalid_iterator()
        return cls(arn, payload[0], payload[1], payload[2] / 1000)
