"""Secondary index upkeep: what entry an item has in each index of its table, and keeping the
entries in step with the item inside the write's own transaction.

An item is in an index when it has every key attribute of the index with the index's type
(sparse indexes); its entry is keyed by the index key plus the item's own key and holds the
projected item (KEYS_ONLY: the table's and the index's keys; INCLUDE: those and the listed
attributes) and its size. An ALL entry holds no copy: reads take the item from the table,
which halves the cost of a write to a table with an ALL index.

Upkeep runs synchronously, in the base write's transaction, so an index is never behind its
table. DynamoDB propagates to global indexes asynchronously; a propagation delay would hang
off the change log instead (apply the index part of each change record once it is old
enough), leaving :func:`apply_changes` as the one place entries are computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from gureum.services.dynamodb.attributes import item_size
from gureum.services.dynamodb.capacity import write_units
from gureum.services.dynamodb.limits import MAX_PARTITION_KEY_BYTES, MAX_SORT_KEY_BYTES
from gureum.storage.keys import ENCODERS, partition_hash

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.services.dynamodb.model import Index, Table
    from gureum.storage.engine import Key, Transaction

# One index entry: (index key, projected size, projected document)
Entry = tuple["Key", int, bytes]


@dataclass(frozen=True, slots=True)
class IndexPlan:
    """How the items of one table map to the entries of one of its indexes."""

    index: Index
    number: int
    is_global: bool
    hash_name: str
    hash_type: str
    hash_encode: Callable[[Any], bytes]
    range_name: str | None
    range_type: str | None
    range_encode: Callable[[Any], bytes] | None
    projected: frozenset[str] | None  # the attributes kept; None: ALL

    def entry(self, item: dict[str, Any], size: int) -> Entry | None:
        """The entry of a stored item of ``size`` bytes, or None when the item lacks an index
        key attribute (or has a value no index key can hold)."""
        av = item.get(self.hash_name)
        if av is None:
            return None
        value = av.get(self.hash_type)
        if value is None:
            return None
        pk = self.hash_encode(value)
        if not pk or len(pk) > MAX_PARTITION_KEY_BYTES:
            return None  # only a backfill meets such items: writes refuse them
        sk = b""
        if self.range_name is not None:
            av = item.get(self.range_name)
            if av is None:
                return None
            value = av.get(self.range_type)
            if value is None:
                return None
            sk = self.range_encode(value)  # type: ignore[misc]
            if not sk or len(sk) > MAX_SORT_KEY_BYTES:
                return None
        key = (partition_hash(pk), pk, sk)
        projected = self.projected
        if projected is None:
            return key, size, b""
        kept = {name: av for name, av in item.items() if name in projected}
        return key, item_size(kept), orjson.dumps(kept)


def plans(table: Table) -> tuple[IndexPlan, ...]:
    """The table's index plans, built once per table definition (the catalog drops them
    whenever a definition changes)."""
    built: tuple[IndexPlan, ...] | None = table.index_plans
    if built is None:
        built = table.index_plans = tuple(
            _plan(table, index, index in table.global_indexes)
            for index in table.indexes
            if index.number
        )
    return built


def _plan(table: Table, index: Index, is_global: bool) -> IndexPlan:
    key = index.key
    projected: frozenset[str] | None = None
    if index.projection_type != "ALL":
        projected = frozenset((*table.key.names, *key.names, *(index.non_key_attributes or ())))
    return IndexPlan(
        index=index,
        number=index.number,
        is_global=is_global,
        hash_name=key.hash_name,
        hash_type=key.hash_type,
        hash_encode=ENCODERS[key.hash_type],
        range_name=key.range_name,
        range_type=key.range_type,
        range_encode=None if key.range_type is None else ENCODERS[key.range_type],
        projected=projected,
    )


def apply_changes(
    tx: Transaction,
    table: Table,
    key: Key,
    old: tuple[int, bytes] | None,
    new: tuple[int, bytes] | None,
    new_item: dict[str, Any] | None = None,
) -> None:
    """Bring every index of ``table`` in step with one item's change from ``old`` to ``new``
    (rows of (size, document); None: absent). ``new_item`` spares parsing ``new`` again."""
    old_item = orjson.loads(old[1]) if old is not None else None
    if new is not None and new_item is None:
        new_item = orjson.loads(new[1])
    base = (key[1], key[2])
    for plan in plans(table):
        before = plan.entry(old_item, old[0]) if old_item is not None else None  # type: ignore[index]
        after = plan.entry(new_item, new[0]) if new_item is not None else None  # type: ignore[index]
        if before == after:
            continue
        if before is not None and (after is None or before[0] != after[0]):
            tx.index_delete(table.id, plan.number, before[0], base)
        if after is not None:
            tx.index_put(table.id, plan.number, after[0], base, after[1], after[2])


def add_entries(tx: Transaction, table: Table, plan: IndexPlan, rows: list[Any]) -> None:
    """Backfill: write the entries of base rows (hash, pk, sk, size, document) to one index."""
    for _, pk, sk, size, document in rows:
        entry = plan.entry(orjson.loads(document), size)
        if entry is not None:
            tx.index_put(table.id, plan.number, entry[0], (pk, sk), entry[1], entry[2])


def index_write_units(
    table: Table,
    old: tuple[int, bytes] | None,
    new_item: dict[str, Any] | None,
    new_size: int,
) -> dict[str, tuple[bool, float]]:
    """The write capacity one item's change consumed in each index it touched, by index name
    (is global, units): a new or removed entry is one write of its size, a moved one (its
    index key changed) two, an entry whose projection changed one."""
    old_item = orjson.loads(old[1]) if old is not None else None
    out: dict[str, tuple[bool, float]] = {}
    for plan in plans(table):
        before = plan.entry(old_item, old[0]) if old is not None and old_item else None
        after = plan.entry(new_item, new_size) if new_item is not None else None
        if before is None and after is None:
            continue
        if before is not None and after is not None and before[0] == after[0]:
            same = old_item == new_item if plan.projected is None else before == after
            if same:
                continue
            units = write_units(max(before[1], after[1]))
        else:
            units = sum(write_units(e[1]) for e in (before, after) if e is not None)
        out[plan.index.name] = (plan.is_global, units)
    return out
