"""The storage engine interface every service writes through, and what it guarantees.

An engine keeps three things:

* a **catalog** of resource definitions (for DynamoDB: table descriptions), each an opaque
  document under (account, region, name), with an engine-assigned integer id. Besides tables
  the catalog holds **records** of other kinds (backups, per-table settings), each under a
  name no table can have, optionally with item storage of its own (a backup's snapshot);
  :meth:`Engine.catalog` lists tables only, :meth:`Engine.records` one other kind;
* **items** of each table, addressed by a :data:`Key` = (hash, partition key bytes, sort key
  bytes). ``hash`` is the 32-bit partition hash of the partition key
  (:func:`gureum.storage.keys.partition_hash`): items live in hash order, as DynamoDB lays its
  partitions out, so a Scan walks hash ranges and a parallel-scan segment is a hash range. The
  key bytes use the order-preserving encoding of :mod:`gureum.storage.keys`, so a range read
  over sort key bytes is a range read over DynamoDB's sort order;
* **index entries** of each secondary index of a table (:meth:`Engine.create_index`): rows
  addressed by the index's own :data:`Key` plus the base item's (partition, sort) key bytes,
  so many items may share one index key; each holds the projected item. The service keeps
  them up to date inside the write's transaction;
* a **change log**: every put or delete appends, in the same transaction, a
  :class:`ChangeRecord` with the old and new image, a sequence number increasing across the
  whole engine, and a timestamp. Streams, global-table replication, index upkeep, TTL,
  capacity accounting and eventually consistent (stale) reads all read this one log.

Guarantees every engine gives:

1. A :class:`Transaction` is atomic and isolated: all its writes and change records become
   visible together or not at all, and reads inside it see a state no other writer changes
   until it ends (read-modify-write is safe).
2. Writes are durable once :meth:`Engine.commit` returned: they then survive a crash of the
   process. Engines may group the writes of many transactions into one commit (group
   commit); callers acknowledge a write only after a commit that followed it.
3. Range reads return rows in (hash, partition key, sort key) order, or sort key order within
   one partition, forward or backward.
4. Engines translate driver errors into :class:`StorageError` subclasses; services never see a
   driver exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import TracebackType

# (partition hash, encoded partition key, encoded sort key; b"" for tables without one)
Key = tuple[int, bytes, bytes]
# What a point read returns: (item size in DynamoDB bytes, item document)
Row = tuple[int, bytes]
# What a range read returns: (hash, partition key, sort key, size, document)
RangeRow = tuple[int, bytes, bytes, int, bytes]
# The base item an index entry belongs to: (its partition key bytes, its sort key bytes)
BaseKey = tuple[bytes, bytes]
# What an index read returns: (hash, index partition key, index sort key, base partition key,
# base sort key, size, projected document)
IndexRow = tuple[int, bytes, bytes, bytes, bytes, int, bytes]
# Where an index read resumes: (index sort key, base partition key, base sort key) within a
# partition, or the whole (hash, partition, sort, base partition, base sort) for a scan
IndexPosition = tuple[bytes, bytes, bytes]
IndexScanPosition = tuple[int, bytes, bytes, bytes, bytes]


class StorageError(Exception):
    """Base of every error an engine raises."""


class AlreadyExistsError(StorageError):
    """A catalog entry with that (account, region, name) exists already."""


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    id: int
    account: str
    region: str
    name: str
    document: bytes


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    seq: int
    table_id: int
    timestamp: float
    key: Key
    old: bytes | None  # None: the item did not exist before
    new: bytes | None  # None: the write deleted the item
    by_service: bool = False  # a deletion made by the service itself (TTL), not a caller


@dataclass(frozen=True, slots=True)
class KeyRange:
    """Sort-key bounds within one partition; ``None`` means unbounded on that side."""

    low: bytes | None = None
    low_inclusive: bool = True
    high: bytes | None = None
    high_inclusive: bool = True


class Transaction(Protocol):
    """One atomic read-modify-write unit (see guarantee 1)."""

    def get(self, table_id: int, key: Key) -> Row | None: ...

    def put(self, table_id: int, key: Key, size: int, document: bytes) -> None:
        """Insert or replace an item (the engine logs the change with the old image)."""
        ...

    def delete(self, table_id: int, key: Key, by_service: bool = False) -> None:
        """Delete an item; ``by_service`` marks the change as the service's own (TTL)."""
        ...

    def index_put(
        self, table_id: int, index_id: int, key: Key, base: BaseKey, size: int, document: bytes
    ) -> None:
        """Insert or replace the index entry of item ``base`` under index key ``key``."""
        ...

    def index_delete(self, table_id: int, index_id: int, key: Key, base: BaseKey) -> None: ...


class TransactionScope(Protocol):
    def __enter__(self) -> Transaction: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class Engine(Protocol):
    # --- catalog
    def catalog(self) -> list[CatalogEntry]: ...

    def create_entry(self, account: str, region: str, name: str, document: bytes) -> int:
        """Add a catalog entry and the (empty) item storage behind it; returns its id."""
        ...

    def update_entry(self, entry_id: int, document: bytes) -> None: ...

    def records(self, kind: str) -> list[CatalogEntry]:
        """The catalog entries of another kind than tables (``kind`` is the service's word)."""
        ...

    def create_record(
        self, kind: str, account: str, region: str, name: str, document: bytes, with_items: bool
    ) -> int:
        """Add a catalog entry of another kind than tables (raises AlreadyExistsError if the
        name is taken by any entry); ``with_items`` gives it item storage whose writes are
        not logged. :meth:`update_entry` and :meth:`drop_entry` work on it by its id."""
        ...

    def copy_items(
        self,
        source_id: int,
        target_id: int,
        patches: Iterable[tuple[Key, Row | None]] = (),
    ) -> None:
        """Copy every item of ``source_id`` into the (empty) item storage of ``target_id``,
        then put each patch's row (None: delete the key), all without change records: a
        snapshot into a backup, or a restored table's starting state."""
        ...

    def drop_entry(self, entry_id: int) -> None:
        """Remove a catalog entry with all its items and change records."""
        ...

    # --- items
    def get(self, table_id: int, key: Key) -> Row | None: ...

    def query(
        self,
        table_id: int,
        hash_: int,
        partition: bytes,
        sort_range: KeyRange,
        forward: bool,
        limit: int,
    ) -> list[RangeRow]:
        """Up to ``limit`` rows of one partition within ``sort_range``, in sort key order."""
        ...

    def scan(
        self,
        table_id: int,
        hash_low: int,
        hash_high: int,
        after: Key | None,
        limit: int,
    ) -> list[RangeRow]:
        """Up to ``limit`` rows with ``hash_low <= hash < hash_high`` strictly after ``after``,
        in (hash, partition, sort) order."""
        ...

    def item_stats(self, table_id: int) -> tuple[int, int]:
        """(item count, total item size in bytes) of a table."""
        ...

    def collection_size(
        self, table_id: int, hash_: int, partition: bytes, index_ids: Iterable[int] = ()
    ) -> int:
        """Total size of one partition's items plus their entries in the given indexes (a
        DynamoDB item collection, with its local secondary indexes)."""
        ...

    # --- secondary indexes

    def create_index(self, table_id: int, index_id: int) -> None:
        """Add the (empty) storage of a table's index."""
        ...

    def drop_index(self, table_id: int, index_id: int) -> None: ...

    def index_query(
        self,
        table_id: int,
        index_id: int,
        hash_: int,
        partition: bytes,
        sort_range: KeyRange,
        forward: bool,
        after: IndexPosition | None,
        limit: int,
    ) -> list[IndexRow]:
        """Up to ``limit`` entries of one index partition within ``sort_range``, in (index sort
        key, base key) order, strictly after ``after`` in the reading direction."""
        ...

    def index_scan(
        self,
        table_id: int,
        index_id: int,
        hash_low: int,
        hash_high: int,
        after: IndexScanPosition | None,
        limit: int,
    ) -> list[IndexRow]: ...

    def index_stats(self, table_id: int, index_id: int) -> tuple[int, int]:
        """(entry count, total projected size in bytes) of an index."""
        ...

    def transaction(self) -> TransactionScope: ...

    def has_pending(self) -> bool:
        """True while some write waits for :meth:`commit`."""
        ...

    def commit(self) -> None:
        """Make every write so far durable; raises StorageError if they could not be."""
        ...

    # --- change log
    def changes(self, table_id: int, after_seq: int, limit: int) -> list[ChangeRecord]: ...

    def last_seq(self) -> int: ...

    def images_before(self, table_id: int, timestamp: float) -> list[tuple[Key, bytes | None]]:
        """Each key of the table changed after ``timestamp`` (by change record time), with
        the item as it was before its first such change (None: there was none): what undoing
        every later change puts back."""
        ...

    def prune_changes_before(self, table_id: int, timestamp: float) -> int:
        """Delete the table's change records older than ``timestamp``; returns how many."""
        ...

    def last_seq_before(self, timestamp: float) -> int:
        """The position of the last change record older than ``timestamp`` (at most: every
        record up to it is older), for :meth:`prune_changes`."""
        ...

    def prune_changes(
        self, up_to_seq: int, keep_tables: Iterable[int] = (), max_records: int = 20000
    ) -> int:
        """Delete change records with ``seq <= up_to_seq`` except those of ``keep_tables``,
        about ``max_records`` of them at most per call; returns how many were deleted."""
        ...

    def close(self) -> None: ...
