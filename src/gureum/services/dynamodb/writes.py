"""The one read-modify-write path every item write goes through.

Inside one engine transaction: read the current row, let the operation decide what to write
(it may raise, for example on a failed condition: it decides before anything is written, so
nothing needs undoing), then write it. The engine appends the change record (old and new
image) in the same transaction, so streams, replication, index upkeep, TTL and capacity
accounting all hang off this one place. A write whose outcome does not depend on the current
item (a plain PutItem) skips the read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

from gureum.services.dynamodb import errors
from gureum.services.dynamodb.indexes import apply_changes
from gureum.services.dynamodb.limits import MAX_ITEM_COLLECTION_BYTES

if TYPE_CHECKING:
    from gureum.services.dynamodb.model import Table
    from gureum.storage.engine import Engine, Key, Row, Transaction


class _Keep:
    """Decision: leave the item as it is (no write, no change record)."""

    __slots__ = ()


KEEP: Final = _Keep()
DELETE: Final = None
# What a decision returns: (new size, new document), DELETE, or KEEP
Decision = tuple[int, bytes] | _Keep | None
Decide = Callable[["Row | None"], Decision]


class WritePath:
    """``collection_limit``: the largest item collection (an item's partition with its local
    secondary index entries) a write may grow, in bytes (DynamoDB: 10 GB)."""

    __slots__ = ("_collection_limit", "_engine")

    def __init__(self, engine: Engine, collection_limit: int = MAX_ITEM_COLLECTION_BYTES) -> None:
        self._engine = engine
        self._collection_limit = collection_limit

    def write(
        self, table: Table, key: Key, decide: Decide, *, by_service: bool = False
    ) -> tuple[Row | None, Decision]:
        """Apply one item's decision atomically; returns (old row, decision). ``by_service``
        marks a deletion as the service's own (TTL) in the change log."""
        with self._engine.transaction() as tx:
            old = tx.get(table.id, key)
            decision = decide(old)
            if table.local_indexes:
                self._check_collection(table, key, old, decision)
            apply(tx, table, key, decision, old, by_service)
            return old, decision

    def put(self, table: Table, key: Key, size: int, document: bytes, item: dict[str, Any]) -> None:
        """Write an item (``document`` is ``item`` as JSON) whatever is there now."""
        with self._engine.transaction() as tx:
            if table.index_plans == ():
                tx.put(table.id, key, size, document)
                return
            old = tx.get(table.id, key)  # its index entries go with it
            if table.local_indexes:
                self._check_collection(table, key, old, (size, document))
            tx.put(table.id, key, size, document)
            apply_changes(tx, table, key, old, (size, document), item)

    def write_many(
        self, writes: list[tuple[Table, Key, Decide]]
    ) -> list[tuple[Row | None, Decision]]:
        """Apply several items' decisions in one transaction: every decision is taken before
        the first write, so a refusal leaves nothing half done."""
        with self._engine.transaction() as tx:
            planned = []
            for table, key, decide in writes:
                old = tx.get(table.id, key)
                decision = decide(old)
                if table.local_indexes:
                    self._check_collection(table, key, old, decision)
                planned.append((old, decision))
            for (table, key, _), (old, decision) in zip(writes, planned, strict=True):
                apply(tx, table, key, decision, old)
            return planned

    def _check_collection(
        self, table: Table, key: Key, old: Row | None, decision: Decision
    ) -> None:
        """Refuse a write that grows an item collection past the limit (checked before
        anything is written)."""
        if self.outgrows_collection(table, key, old, decision):
            raise errors.item_collection_too_large()

    def outgrows_collection(
        self, table: Table, key: Key, old: Row | None, decision: Decision
    ) -> bool:
        """Whether a decision would grow its item collection (a table with local secondary
        indexes) past the limit; the collection's index entries are counted as they are."""
        if not table.local_indexes or type(decision) is not tuple:
            return False
        growth = decision[0] - (old[0] if old is not None else 0)
        if growth <= 0:
            return False
        numbers = [index.number for index in table.local_indexes]
        size = self._engine.collection_size(table.id, key[0], key[1], numbers)
        return size + growth > self._collection_limit


def apply(
    tx: Transaction,
    table: Table,
    key: Key,
    decision: Decision,
    old: Row | None,
    by_service: bool = False,
) -> None:
    """Write one decision inside ``tx``, index entries included."""
    if decision is None:
        if old is not None:
            tx.delete(table.id, key, by_service)
            if table.index_plans != ():
                apply_changes(tx, table, key, old, None)
    elif type(decision) is tuple:
        tx.put(table.id, key, decision[0], decision[1])
        if table.index_plans != ():
            apply_changes(tx, table, key, old, decision)
