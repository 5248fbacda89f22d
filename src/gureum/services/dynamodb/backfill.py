"""Backfilling a global secondary index created on a table that has items.

UpdateTable gives the new index empty storage at once; from then on every write keeps it up
to date. The backfill walks the table's existing items in key order, a batch per step, from
the server's maintenance loop, so it never holds up reads and writes for long. Once it has
walked the whole table the index is ACTIVE. A restart starts walks over (entries are
idempotent upserts).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from gureum.services.dynamodb.indexes import add_entries, plans
from gureum.storage.keys import HASH_SPACE

if TYPE_CHECKING:
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.storage.engine import Engine, Key

# Base rows read and indexed per engine round trip
BATCH_ROWS = 500


class Backfills:
    def __init__(self, catalog: TableCatalog, engine: Engine) -> None:
        self._catalog = catalog
        self._engine = engine
        # (table id, index number) -> the last base key indexed
        self._cursors: dict[tuple[int, int], Key | None] = {}
        self._adopt_unstored_indexes()

    def _adopt_unstored_indexes(self) -> None:
        """Indexes of a catalog written before gureum stored index entries get storage and a
        backfill."""
        for table in self._catalog.all():
            changed = False
            for index in table.indexes:
                if not index.number:
                    index.number = table.next_index_number()
                    index.backfilling = True
                    self._engine.create_index(table.id, index.number)
                    changed = True
            if changed:
                self._catalog.save(table)

    def step(self, budget_seconds: float) -> bool:
        """Index base rows for about ``budget_seconds``; True while backfills remain."""
        deadline = time.monotonic() + budget_seconds
        remaining = False
        for table in self._catalog.all():
            for plan in plans(table):
                if not plan.index.backfilling:
                    continue
                position = (table.id, plan.number)
                after = self._cursors.get(position)
                while True:
                    rows = self._engine.scan(table.id, 0, HASH_SPACE, after, BATCH_ROWS)
                    if rows:
                        with self._engine.transaction() as tx:
                            add_entries(tx, table, plan, rows)
                        last = rows[-1]
                        after = (last[0], last[1], last[2])
                    if len(rows) < BATCH_ROWS:
                        plan.index.backfilling = False
                        self._cursors.pop(position, None)
                        self._catalog.save(table)
                        break
                    if time.monotonic() >= deadline:
                        self._cursors[position] = after
                        remaining = True
                        break
                if remaining:
                    return True
        return False
