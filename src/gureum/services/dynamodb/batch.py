"""BatchGetItem and BatchWriteItem.

A BatchWriteItem is validated whole before anything is written, then applied in one
transaction through the same read-modify-write path as PutItem/DeleteItem. By default every
request is processed (an idle, healthy DynamoDB); UnprocessedKeys/UnprocessedItems are always
in the response shape, and BatchGetItem moves keys there once the 16 MB response limit is hit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.errors import constraint_violations
from gureum.services.dynamodb import errors, expression_params, limits
from gureum.services.dynamodb.attributes import item_size
from gureum.services.dynamodb.capacity import consumed, read_units, write_units
from gureum.services.dynamodb.indexes import index_write_units
from gureum.services.dynamodb.items import collection_metrics
from gureum.services.dynamodb.keys import check_index_keys, item_key, request_key
from gureum.services.dynamodb.writes import DELETE, KEEP, Decide, Decision, WritePath

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.model import Table
    from gureum.services.dynamodb.transactions.conflicts import InFlightItems
    from gureum.storage.engine import Engine, Key, Row

Request = dict[str, Any]
_loads = orjson.loads
_dumps = orjson.dumps


def _duplicates() -> Exception:
    return errors.invalid("Provided list of item keys contains duplicates")


def _capacity_list(
    per_table: dict[str, float],
    mode: str | None,
    per_index: dict[str, dict[str, tuple[bool, float]]] | None = None,
) -> list[dict[str, Any]] | None:
    """One ConsumedCapacity per table: its own units plus, for writes, its indexes' units
    (table name -> index name -> (is global, units))."""
    if mode is None or mode == "NONE":
        return None
    indexes = per_index or {}
    return [
        entry
        for name, units in per_table.items()
        if (entry := consumed(name, units, mode, indexes.get(name))) is not None
    ]


class BatchOperations:
    def __init__(
        self, catalog: TableCatalog, engine: Engine, writes: WritePath, in_flight: InFlightItems
    ) -> None:
        self._catalog = catalog
        self._engine = engine
        self._writes = writes
        self._in_flight = in_flight  # items transactions hold

    # --- BatchGetItem

    def batch_get_item(self, ctx: RequestContext, request: Request) -> dict[str, Any]:
        request_items: dict[str, Any] = request["RequestItems"]
        if not request_items:
            raise errors.invalid("The requestItems parameter is required for BatchGetItem")
        plans = []
        total = 0
        for name, spec in request_items.items():
            table = self._catalog.lookup(ctx, name)
            compiled = expression_params.GET_ITEM.compile(spec, table=table)
            total += len(spec["Keys"])
            if total > limits.MAX_BATCH_GET_KEYS:
                raise errors.invalid("Too many items requested for the BatchGetItem call")
            plans.append((name, table, spec, compiled))
        responses: dict[str, list[Any]] = {}
        unprocessed: dict[str, Any] = {}
        capacity: dict[str, float] = {}
        response_bytes = 0
        resolved = []
        for name, table, spec, compiled in plans:
            if table is None:
                raise errors.table_not_found()
            seen: set[Key] = set()
            keys = []
            for key_map in spec["Keys"]:
                if not key_map:
                    raise errors.key_mismatch()
                key = request_key(table, key_map)
                if key in seen:
                    raise _duplicates()
                seen.add(key)
                keys.append((key, key_map))
            resolved.append((name, table, spec, compiled, keys))
        for name, table, spec, compiled, keys in resolved:
            projection = compiled.projection if compiled is not None else None
            consistent = bool(spec.get("ConsistentRead"))
            items: list[Any] = responses.setdefault(name, [])
            units = 0.0
            left = []
            for key, key_map in keys:
                if response_bytes >= limits.MAX_BATCH_GET_RESPONSE_BYTES:
                    left.append(key_map)
                    continue
                row = self._engine.get(table.id, key)
                units += read_units(row[0] if row is not None else 0, consistent)
                if row is None:
                    continue
                response_bytes += len(row[1])
                item = _loads(row[1])
                items.append(item if projection is None else projection(item))
            capacity[table.name] = capacity.get(table.name, 0.0) + units
            if left:
                unprocessed[name] = {**spec, "Keys": left}
        out: dict[str, Any] = {"Responses": responses, "UnprocessedKeys": unprocessed}
        consumed = _capacity_list(capacity, request.get("ReturnConsumedCapacity"))
        if consumed is not None:
            out["ConsumedCapacity"] = consumed
        return out

    # --- BatchWriteItem

    def batch_write_item(self, ctx: RequestContext, request: Request) -> dict[str, Any]:
        request_items: dict[str, list[Any]] = request["RequestItems"]
        if not request_items:
            raise errors.invalid("The requestItems parameter is required for BatchWriteItem")
        total = sum(len(writes or ()) for writes in request_items.values())
        if total > limits.MAX_BATCH_WRITE_REQUESTS:
            raise errors.invalid("Too many items requested for the BatchWriteItem call")
        # Validate every request before touching a table, as DynamoDB does.
        checked: list[tuple[str, dict[str, Any], int | None]] = []
        for name, writes in request_items.items():
            if writes is None:
                raise constraint_violations(
                    [
                        f"Value null at 'requestItems.{name}.member' failed to satisfy "
                        "constraint: Member must not be null"
                    ]
                )
            for write in writes:
                put = write.get("PutRequest") if write is not None else None
                delete = write.get("DeleteRequest") if write is not None else None
                if (put is None) == (delete is None):
                    raise errors.invalid(
                        "Supplied AttributeValue has more than one datatypes set, must contain "
                        "exactly one of the supported datatypes"
                    )
                if put is not None:
                    item = put["Item"]
                    size = item_size(item)
                    if size > limits.MAX_ITEM_SIZE:
                        raise errors.item_too_large()
                    checked.append((name, item, size))
                else:
                    assert delete is not None
                    checked.append((name, delete["Key"], None))
        planned: list[tuple[Table, Key, Decide]] = []
        tables: list[Table] = []
        sizes: list[int | None] = []
        seen: set[tuple[int, Key]] = set()
        for name, payload, put_size in checked:
            table = self._catalog.find(ctx, name)
            if put_size is not None:
                key = item_key(table, payload)
                if table.global_indexes or table.local_indexes:
                    check_index_keys(table, payload)
                decide = _put_decision(put_size, _dumps(payload))
            else:
                key = request_key(table, payload)
                decide = _delete_decision
            if (table.id, key) in seen:
                raise _duplicates()
            seen.add((table.id, key))
            self._in_flight.check(table.id, key)
            planned.append((table, key, decide))
            tables.append(table)
            sizes.append(put_size)
        results = self._writes.write_many(planned)
        out: dict[str, Any] = {"UnprocessedItems": {}}
        mode = request.get("ReturnConsumedCapacity")
        if mode is not None and mode != "NONE":
            capacity: dict[str, float] = {}
            index_capacity: dict[str, dict[str, tuple[bool, float]]] = {}
            for table, new_size, (old, _), (_, payload, _) in zip(
                tables, sizes, results, checked, strict=True
            ):
                old_size = old[0] if old is not None else 0
                units = write_units(max(new_size or 0, old_size))
                capacity[table.name] = capacity.get(table.name, 0.0) + units
                if table.indexes:
                    item = payload if new_size is not None else None
                    touched = index_write_units(table, old, item, new_size or 0)
                    sums = index_capacity.setdefault(table.name, {})
                    for index_name, (is_global, index_units) in touched.items():
                        previous = sums.get(index_name, (is_global, 0.0))[1]
                        sums[index_name] = (is_global, previous + index_units)
            out["ConsumedCapacity"] = _capacity_list(capacity, mode, index_capacity)
        if request.get("ReturnItemCollectionMetrics") == "SIZE":
            metrics: dict[str, list[Any]] = {}
            for (table, key, _), (name, payload, _) in zip(planned, checked, strict=True):
                if table.local_indexes:
                    entry = collection_metrics(self._engine, table, key, payload)
                    metrics.setdefault(name, []).append(entry)
            out["ItemCollectionMetrics"] = metrics
        return out


def _put_decision(size: int, document: bytes) -> Decide:
    def decide(old: Row | None) -> Decision:
        return size, document

    return decide


def _delete_decision(old: Row | None) -> Decision:
    return DELETE if old is not None else KEEP
