"""Items held by write transactions in flight, and the conflicts DynamoDB reports on them.

DynamoDB refuses a write on an item while a transaction that includes the item is under way:
PutItem, UpdateItem, DeleteItem (and gureum's BatchWriteItem) fail with
TransactionConflictException, and another TransactWriteItems or TransactGetItems is cancelled
with the reason ``TransactionConflict`` ("Transaction conflict handling", developer guide).

In gureum a transaction is in flight from when its writes are applied until the group commit
that makes them durable: the end of the event-loop turn that applied them, when the server
commits every write of the turn and sends the replies (:mod:`gureum.wire.router`). Requests
handled in the same turn (concurrent clients, pipelined requests) see the transaction's items
as held; later turns do not. Holding costs a set insertion per item, checking a set lookup only
while something is held.

The service holds one :class:`InFlightItems`, shared by every operation that writes.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from gureum.services.dynamodb import errors

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from gureum.storage.engine import Key

ItemId = tuple[int, "Key"]  # (table id, item key)


def _at_end_of_turn(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the current event-loop turn is over (right away outside a loop:
    then nothing runs concurrently, so nothing stays in flight)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        callback()
        return
    loop.call_soon(callback)


class InFlightItems:
    """The items of write transactions applied in the current turn."""

    __slots__ = ("_items", "_release_due")

    def __init__(self) -> None:
        self._items: set[ItemId] = set()
        self._release_due = False

    def hold(self, items: Iterable[ItemId]) -> None:
        """Hold a committed-to transaction's items until the end of the turn."""
        self._items.update(items)
        if not self._release_due:
            self._release_due = True
            _at_end_of_turn(self._release)

    def _release(self) -> None:
        self._items.clear()
        self._release_due = False

    def holds(self, table_id: int, key: Key) -> bool:
        items = self._items
        return bool(items) and (table_id, key) in items

    def check(self, table_id: int, key: Key) -> None:
        """Refuse a single-item write on a held item (TransactionConflictException)."""
        items = self._items
        if items and (table_id, key) in items:
            raise errors.transaction_conflict()
