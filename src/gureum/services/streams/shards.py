"""One stream and its one shard: metadata, shard ids and sequence numbers.

A stream covers the change-log records of its table with ``enabled_seq < seq <=
disabled_seq`` (no upper bound while enabled). Its single shard is open while the stream is
enabled and closed when it is disabled (or its table deleted). A change-log sequence number
``seq`` is shown as the 21-digit decimal ``10**20 + seq``, so that numbers grow with the log.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

_NUMBER_BASE = 10**20
_MAX_SEQUENCE_DIGITS = 40


def sequence_number(seq: int) -> str:
    return str(_NUMBER_BASE + seq)


def parse_sequence_number(text: str) -> int | None:
    """The change-log seq of a sequence number, or None if it is not one of ours."""
    if not text.isdecimal() or not text.isascii() or len(text) > _MAX_SEQUENCE_DIGITS:
        return None
    seq = int(text) - _NUMBER_BASE
    return seq if seq >= 0 else None


def label_time(label: str) -> float | None:
    """The creation time a stream label spells (its creation time to the millisecond)."""
    try:
        return datetime.strptime(label, "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=UTC).timestamp()
    except ValueError:
        return None


@dataclass(slots=True)
class Stream:
    arn: str
    account: str
    region: str
    table_name: str
    table_id: int  # the engine's catalog id of the table
    label: str
    view_type: str
    key_schema: list[dict[str, str]]
    created: float
    enabled_seq: int
    disabled_seq: int | None = None
    disabled_at: float | None = None
    entry_id: int = 0  # the engine's catalog id of this record

    @property
    def enabled(self) -> bool:
        return self.disabled_seq is None

    @property
    def shard_id(self) -> str:
        digest = hashlib.sha1(self.arn.encode(), usedforsecurity=False).hexdigest()[:8]
        return f"shardId-{int(self.created * 1000):020d}-{digest}"

    @property
    def key_names(self) -> list[str]:
        return [k["AttributeName"] for k in self.key_schema]

    def shard(self) -> dict[str, Any]:
        numbers = {"StartingSequenceNumber": sequence_number(self.enabled_seq + 1)}
        if self.disabled_seq is not None:
            numbers["EndingSequenceNumber"] = sequence_number(
                max(self.disabled_seq, self.enabled_seq + 1)
            )
        return {"ShardId": self.shard_id, "SequenceNumberRange": numbers}

    def summary(self) -> dict[str, Any]:
        return {"StreamArn": self.arn, "TableName": self.table_name, "StreamLabel": self.label}

    def to_document(self) -> bytes:
        document = asdict(self)
        del document["entry_id"]
        return orjson.dumps(document)

    @classmethod
    def from_document(cls, entry_id: int, document: bytes) -> Stream:
        return cls(**orjson.loads(document), entry_id=entry_id)
