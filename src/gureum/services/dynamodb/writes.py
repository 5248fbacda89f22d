"""The one read-modify-write path every item write goes through.

Inside one engine transaction: read the current row, let the operation decide what to write
(it may raise, for example on a failed condition, which rolls everything back), then write it.
The engine appends the change record (old and new image) in the same transaction, so
streams, replication, index upkeep, TTL and capacity accounting all hang off this one place.
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
            return _apply(tx, table_id, key, decide)

    def write_many(
        self, writes: list[tuple[int, Key, Decide]]
    ) -> list[tuple[Row | None, Decision]]:
        """Apply several items' decisions in one transaction (all or nothing)."""
        with self._engine.transaction() as tx:
            return [_apply(tx, table_id, key, decide) for table_id, key, decide in writes]


def _apply(tx: Transaction, table_id: int, key: Key, decide: Decide) -> tuple[Row | None, Decision]:
    old = tx.get(table_id, key)
    decision = decide(old)
    if decision is None:
        if old is not None:
            tx.delete(table_id, key, old)
    elif type(decision) is tuple:
        tx.put(table_id, key, decision[0], decision[1], old)
    return old, decision
