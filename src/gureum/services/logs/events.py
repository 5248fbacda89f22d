"""Log events in a log group's item storage, in time order per stream.

An event is an item under partition = its stream's name and sort key = its timestamp and
ingestion sequence (8 bytes each, big-endian): a stream's events are one partition in time
order, and (timestamp, sequence) is unique within the group. The 16 sort-key bytes read as one
integer are the event's *position*, which names it in eventIds and pagination tokens. Items are
``[ingestionTime, message]``, sized as PutLogEvents counts them (UTF-8 bytes plus 26).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import orjson

from gureum.services.logs.limits import EVENT_OVERHEAD_BYTES
from gureum.storage.engine import KeyRange
from gureum.storage.keys import partition_hash

if TYPE_CHECKING:
    from collections.abc import Iterator

    from gureum.storage.engine import Engine

_STAMP_BYTES = 8
_SEQ_BYTES = 8
_DELETE_BATCH = 1000


def sort_key(timestamp: int, seq: int) -> bytes:
    return timestamp.to_bytes(_STAMP_BYTES, "big") + seq.to_bytes(_SEQ_BYTES, "big")


def position_key(position: int) -> bytes:
    return position.to_bytes(_STAMP_BYTES + _SEQ_BYTES, "big")


def event_size(message: str) -> int:
    """What an event counts against PutLogEvents' batch size."""
    return len(message.encode("utf-8", "surrogatepass")) + EVENT_OVERHEAD_BYTES


@dataclass(frozen=True, slots=True)
class Event:
    stream: str
    timestamp: int
    position: int
    ingestion: int
    message: str

    @property
    def event_id(self) -> str:
        return f"{self.position:056d}"

    def output(self) -> dict[str, object]:
        """The event as GetLogEvents returns it."""
        return {
            "timestamp": self.timestamp,
            "message": self.message,
            "ingestionTime": self.ingestion,
        }

    def filtered(self) -> dict[str, object]:
        """The event as FilterLogEvents returns it."""
        return {
            "logStreamName": self.stream,
            "timestamp": self.timestamp,
            "message": self.message,
            "ingestionTime": self.ingestion,
            "eventId": self.event_id,
        }


@dataclass(frozen=True, slots=True)
class Bounds:
    """Positions within a stream: ``after`` < position < ``before`` (None: unbounded)."""

    after: int | None = None
    before: int | None = None

    def key_range(self) -> KeyRange:
        return KeyRange(
            None if self.after is None else position_key(self.after),
            False,
            None if self.before is None else position_key(self.before),
            False,
        )


def time_bounds(start: int | None, end: int | None) -> Bounds:
    """Positions of events with ``start <= timestamp <= end`` (the inclusive bounds
    GetLogEvents and FilterLogEvents take). Empty when the range is."""
    after = None if start is None or start <= 0 else int.from_bytes(sort_key(start, 0)) - 1
    before = None if end is None else int.from_bytes(sort_key(end + 1, 0))
    return Bounds(after, before)


def narrow(bounds: Bounds, after: int | None = None, before: int | None = None) -> Bounds:
    """``bounds`` further limited to positions after ``after`` and before ``before``."""
    low = bounds.after if after is None else max(after, bounds.after or 0)
    if before is None:
        high = bounds.before
    else:
        high = before if bounds.before is None else min(before, bounds.before)
    return Bounds(low, high)


class EventStore:
    """Reads and writes the events of log groups (by their catalog record id)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def put(
        self, table_id: int, stream: str, events: list[tuple[int, str]], seq: int, ingestion: int
    ) -> int:
        """Store events (timestamp, message) with ingestion sequences from ``seq`` on;
        returns the next free sequence."""
        partition = stream.encode("utf-8", "surrogatepass")
        hash_ = partition_hash(partition)
        with self._engine.transaction() as txn:
            for timestamp, message in events:
                document = orjson.dumps([ingestion, message])
                txn.put(
                    table_id,
                    (hash_, partition, sort_key(timestamp, seq)),
                    event_size(message),
                    document,
                )
                seq += 1
        return seq

    def read(
        self, table_id: int, stream: str, bounds: Bounds, forward: bool, limit: int
    ) -> list[Event]:
        """Up to ``limit`` events of a stream within ``bounds``, in the reading direction."""
        if limit <= 0 or (
            bounds.after is not None
            and bounds.before is not None
            and bounds.after + 1 >= bounds.before
        ):
            return []
        partition = stream.encode("utf-8", "surrogatepass")
        rows = self._engine.query(
            table_id, partition_hash(partition), partition, bounds.key_range(), forward, limit
        )
        out = []
        for _, _, sort, _, document in rows:
            ingestion, message = orjson.loads(document)
            position = int.from_bytes(sort)
            out.append(Event(stream, position >> (8 * _SEQ_BYTES), position, ingestion, message))
        return out

    def scan(self, table_id: int, stream: str, bounds: Bounds, chunk: int = 500) -> Iterator[Event]:
        """Every event of a stream within ``bounds``, oldest first, read in chunks."""
        while True:
            events = self.read(table_id, stream, bounds, True, chunk)
            yield from events
            if len(events) < chunk:
                return
            bounds = Bounds(events[-1].position, bounds.before)

    def delete(self, table_id: int, stream: str, bounds: Bounds = Bounds()) -> int:
        """Delete a stream's events within ``bounds``; returns the bytes they held."""
        partition = stream.encode("utf-8", "surrogatepass")
        hash_ = partition_hash(partition)
        freed = 0
        while True:
            rows = self._engine.query(
                table_id, hash_, partition, bounds.key_range(), True, _DELETE_BATCH
            )
            if not rows:
                return freed
            with self._engine.transaction() as txn:
                for _, _, sort, size, _ in rows:
                    txn.delete(table_id, (hash_, partition, sort))
                    freed += size
            bounds = Bounds(int.from_bytes(rows[-1][2]), bounds.before)
