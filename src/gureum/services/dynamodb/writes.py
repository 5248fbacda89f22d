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
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
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
    __slots__ = ("_engine",)

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def write(self, table_id: int, key: Key, decide: Decide) -> tuple[Row | None, Decision]:
        """Apply one item's decision atomically; returns (old row, decision)."""
        with self._engine.transaction() as tx:
            old = tx.get(table_id, key)
            decision = decide(old)
            _apply(tx, table_id, key, decision, old)
            return old, decision

    def put(self, table_id: int, key: Key, size: int, document: bytes) -> None:
        """Write an item whatever is there now."""
        with self._engine.transaction() as tx:
            tx.put(table_id, key, size, document)

    def write_many(
        self, writes: list[tuple[int, Key, Decide]]
    ) -> list[tuple[Row | None, Decision]]:
        """Apply several items' decisions in one transaction: every decision is taken before
        the first write, so a refusal leaves nothing half done."""
        with self._engine.transaction() as tx:
            planned = []
            for table_id, key, decide in writes:
                old = tx.get(table_id, key)
                planned.append((old, decide(old)))
            for (table_id, key, _), (old, decision) in zip(writes, planned, strict=True):
                _apply(tx, table_id, key, decision, old)
            return planned


def _apply(tx: Transaction, table_id: int, key: Key, decision: Decision, old: Row | None) -> None:
    if decision is None:
        if old is not None:
            tx.delete(table_id, key)
    elif type(decision) is tuple:
        tx.put(table_id, key, decision[0], decision[1])
