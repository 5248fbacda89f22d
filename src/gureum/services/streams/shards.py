"""One stream and its shards: metadata, shard ids, sequence numbers, rollover.

A stream covers the change-log records of its table with ``enabled_seq < seq <=
disabled_seq`` (no upper bound while enabled). Its shards split that range at change-log
positions: a shard holds the records with ``after_seq < seq <= end_seq``, and its child starts
where it ends (``child.after_seq == parent.end_seq``), so every record belongs to exactly one
shard, the one that was open when it was written. The newest shard is open while the stream is
enabled; it closes when it has lived ``shard_lifetime`` seconds (a child opens in its place,
as DynamoDB rolls shards over about every 4 hours) or when the stream is disabled.

A change-log sequence number ``seq`` is shown as the 21-digit decimal ``10**20 + seq``, so that
numbers grow with the log. Shard ids keep DynamoDB's shape, ``shardId-<20-digit epoch ms>-<8
hex>``: the time is the shard's opening, so ids sort oldest first.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
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


def _shard_id(millis: int, seed: str) -> str:
    digest = hashlib.sha1(seed.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"shardId-{millis:020d}-{digest}"


def _shard_millis(shard_id: str) -> int:
    return int(shard_id.split("-")[1])


@dataclass(slots=True)
class Shard:
    shard_id: str
    parent_id: str | None
    after_seq: int  # the shard holds the records with after_seq < seq <= end_seq
    opened: float
    end_seq: int | None = None  # None while open
    closed: float | None = None

    @property
    def is_open(self) -> bool:
        return self.end_seq is None

    def describe(self) -> dict[str, Any]:
        numbers = {"StartingSequenceNumber": sequence_number(self.after_seq + 1)}
        if self.end_seq is not None:
            numbers["EndingSequenceNumber"] = sequence_number(max(self.end_seq, self.after_seq + 1))
        out: dict[str, Any] = {"ShardId": self.shard_id, "SequenceNumberRange": numbers}
        if self.parent_id is not None:
            out["ParentShardId"] = self.parent_id
        return out

    def close(self, last_seq: int, now: float) -> None:
        self.end_seq = max(last_seq, self.after_seq)
        self.closed = now


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
    # the shards still within the retention period, oldest first (never empty)
    shards: list[Shard] = field(default_factory=list)
    # how many older shards were trimmed away
    trimmed: int = 0
    entry_id: int = 0  # the engine's catalog id of this record

    def __post_init__(self) -> None:
        if not self.shards:
            # the first shard (and all of a stream recorded before shards rolled over)
            first = Shard(
                _shard_id(int(self.created * 1000), self.arn),
                None,
                self.enabled_seq,
                self.created,
            )
            if self.disabled_seq is not None:
                first.close(self.disabled_seq, self.disabled_at or self.created)
            self.shards.append(first)

    @property
    def enabled(self) -> bool:
        return self.disabled_seq is None

    @property
    def key_names(self) -> list[str]:
        return [k["AttributeName"] for k in self.key_schema]

    @property
    def open_shard(self) -> Shard | None:
        last = self.shards[-1]
        return last if last.is_open else None

    def shard(self, shard_id: str) -> Shard | None:
        for shard in self.shards:
            if shard.shard_id == shard_id:
                return shard
        return None

    def was_trimmed(self, shard_id: str) -> bool:
        """True if ``shard_id`` names a shard of this stream older than any retained one."""
        return self.trimmed > 0 and shard_id < self.shards[0].shard_id

    def roll_over(self, last_seq: int, now: float) -> None:
        """Close the open shard where the change log stands and open its child."""
        parent = self.shards[-1]
        parent.close(last_seq, now)
        # ids sort by time: a child is at least a millisecond younger than its parent
        millis = max(int(now * 1000), _shard_millis(parent.shard_id) + 1)
        child_id = _shard_id(millis, f"{self.arn}#{millis}")
        assert parent.end_seq is not None
        self.shards.append(Shard(child_id, parent.shard_id, parent.end_seq, now))

    def disable(self, last_seq: int, now: float) -> None:
        self.disabled_seq = last_seq
        self.disabled_at = now
        shard = self.open_shard
        if shard is not None:
            shard.close(last_seq, now)

    def trim(self, before: float) -> bool:
        """Forget the closed shards closed before ``before`` (their records have all passed
        the retention period), keeping at least one. True if any went."""
        keep = 0
        while keep < len(self.shards) - 1:
            closed = self.shards[keep].closed
            if closed is None or closed >= before:
                break
            keep += 1
        if keep:
            del self.shards[:keep]
            self.trimmed += keep
        return keep > 0

    def summary(self) -> dict[str, Any]:
        return {"StreamArn": self.arn, "TableName": self.table_name, "StreamLabel": self.label}

    def to_document(self) -> bytes:
        document = asdict(self)
        del document["entry_id"]
        return orjson.dumps(document)

    @classmethod
    def from_document(cls, entry_id: int, document: bytes) -> Stream:
        fields = orjson.loads(document)
        shards = [Shard(**shard) for shard in fields.pop("shards", [])]
        return cls(**fields, shards=shards, entry_id=entry_id)
