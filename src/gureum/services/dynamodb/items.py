"""Single-item operations: GetItem, PutItem, UpdateItem, DeleteItem.

Checks run in DynamoDB's order: expression parameters, attribute values, request constraints,
expression syntax; then the table; then the key against the schema; then the condition.
Items are stored as their wire JSON, so a read without a projection returns the stored bytes
as they are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from gureum.expressions import ExpressionError
from gureum.services.dynamodb import errors, expression_params, limits
from gureum.services.dynamodb.attributes import item_size, resized
from gureum.services.dynamodb.capacity import consumed, read_units, write_units
from gureum.services.dynamodb.indexes import index_write_units
from gureum.services.dynamodb.keys import check_index_keys, item_key, request_key
from gureum.services.dynamodb.writes import DELETE, KEEP, Decision, WritePath

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.context import RequestContext
    from gureum.core.errors import ServiceError
    from gureum.expressions import Compiled, UpdateProgram
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.model import Table
    from gureum.services.dynamodb.transactions.conflicts import InFlightItems
    from gureum.storage.engine import Engine, Key, Row

Request = dict[str, Any]
Response = dict[str, Any] | bytes

_loads = orjson.loads
_dumps = orjson.dumps


def check_return_values(value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise errors.invalid("ReturnValues can only be ALL_OLD or NONE")


def condition_failed(
    compiled: Compiled, old_item: dict[str, Any] | None, request: Request
) -> ServiceError:
    item = (
        old_item
        if old_item is not None and request.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD"
        else None
    )
    return errors.conditional_check_failed(item)


def check(condition: Callable[[dict[str, Any] | None], bool], item: dict[str, Any] | None) -> bool:
    """Evaluate a condition; an expression error at evaluation time is a ValidationException."""
    try:
        return condition(item)
    except ExpressionError as exc:
        raise errors.invalid(exc.message) from None


def wants_collection_metrics(table: Table, request: Request) -> bool:
    """Only tables with local secondary indexes have item collections to report on."""
    return request.get("ReturnItemCollectionMetrics") == "SIZE" and bool(table.local_indexes)


def collection_metrics(
    engine: Engine, table: Table, key: Key, item: dict[str, Any]
) -> dict[str, Any]:
    """One ItemCollectionMetrics: the collection's key (from ``item``, which has it) and its
    size (the partition's items and their local index entries) as a range of whole gigabytes
    around it."""
    size = engine.collection_size(
        table.id, key[0], key[1], [index.number for index in table.local_indexes]
    )
    gigabytes = float(size // 1024**3)
    name = table.key.hash_name
    return {
        "ItemCollectionKey": {name: item[name]},
        "SizeEstimateRangeGB": [gigabytes, gigabytes + 1.0],
    }


def updated_item(
    table: Table,
    program: UpdateProgram | None,
    key: dict[str, Any],
    old: Row | None,
    old_item: dict[str, Any] | None,
) -> tuple[dict[str, Any], int] | None:
    """The item an UpdateItem (or a transaction's Update) leaves, and its size; None when it
    creates nothing (an update that only removes attributes of a missing item). Raises
    ExpressionError when the update cannot apply, ServiceError when its result is too large
    or has an index key value no index can hold."""
    if old_item is not None:
        new_item = program.apply(old_item) if program is not None else old_item
    else:
        new_item = dict(key)
        if program is not None:
            new_item.update(program.apply(None))
            if program.top_level_names and len(new_item) == len(key):
                return None
    if old is not None and old_item is not None and program is not None:
        size = resized(old[0], old_item, new_item, program.top_level_names)
    else:
        size = item_size(new_item)
    if size > limits.MAX_ITEM_SIZE:
        raise errors.update_too_large()
    if table.global_indexes or table.local_indexes:
        check_index_keys(table, new_item, updating=True)
    return new_item, size


class ItemOperations:
    def __init__(
        self, catalog: TableCatalog, engine: Engine, writes: WritePath, in_flight: InFlightItems
    ) -> None:
        self._catalog = catalog
        self._engine = engine
        self._writes = writes
        self._in_flight = in_flight  # items transactions hold

    # --- GetItem

    def get_item(self, ctx: RequestContext, request: Request) -> Response:
        table = self._catalog.lookup(ctx, request["TableName"])
        compiled = expression_params.GET_ITEM.compile(request, table=table)
        if table is None:
            raise errors.table_not_found()
        key = request_key(table, request["Key"])
        row = self._engine.get(table.id, key)
        capacity_mode = request.get("ReturnConsumedCapacity")
        projection = compiled.projection if compiled is not None else None
        if capacity_mode is None or capacity_mode == "NONE":
            if row is None:
                return b"{}"
            if projection is None:
                return b'{"Item":' + row[1] + b"}"
            return {"Item": projection(_loads(row[1]))}
        out: dict[str, Any] = {}
        if row is not None:
            item = _loads(row[1])
            out["Item"] = item if projection is None else projection(item)
        units = read_units(row[0] if row is not None else 0, bool(request.get("ConsistentRead")))
        out["ConsumedCapacity"] = consumed(table.name, units, capacity_mode)
        return out

    # --- PutItem

    def put_item(self, ctx: RequestContext, request: Request) -> Response:
        table = self._catalog.lookup(ctx, request["TableName"])
        compiled = expression_params.PUT_ITEM.compile(request, table=table)
        item = request["Item"]
        size = item_size(item)
        return_values = request.get("ReturnValues")
        check_return_values(return_values, ("NONE", "ALL_OLD"))
        if size > limits.MAX_ITEM_SIZE:
            raise errors.item_too_large()
        if table is None:
            raise errors.table_not_found()
        key = item_key(table, item)
        if table.global_indexes or table.local_indexes:
            check_index_keys(table, item)
        self._in_flight.check(table.id, key)
        document = _dumps(item)
        condition = compiled.condition if compiled is not None else None
        capacity_mode = request.get("ReturnConsumedCapacity")
        metrics = wants_collection_metrics(table, request)
        plain = (capacity_mode is None or capacity_mode == "NONE") and not metrics
        if plain and condition is None and return_values != "ALL_OLD":
            self._writes.put(table, key, size, document, item)  # nothing needs the old item
            return b"{}"

        def decide(old: Row | None) -> Decision:
            if condition is not None:
                old_item = _loads(old[1]) if old is not None else None
                if not check(condition, old_item):
                    raise condition_failed(compiled, old_item, request)  # type: ignore[arg-type]
            return size, document

        old, _ = self._writes.write(table, key, decide)
        if plain and (return_values != "ALL_OLD" or old is None):
            return b"{}"
        out: dict[str, Any] = {}
        if return_values == "ALL_OLD" and old is not None:
            out["Attributes"] = _loads(old[1])
        if capacity_mode is not None and capacity_mode != "NONE":
            units = write_units(max(size, old[0] if old is not None else 0))
            touched = index_write_units(table, old, item, size) if table.indexes else None
            out["ConsumedCapacity"] = consumed(table.name, units, capacity_mode, touched)
        if metrics:
            out["ItemCollectionMetrics"] = collection_metrics(self._engine, table, key, item)
        return out

    # --- DeleteItem

    def delete_item(self, ctx: RequestContext, request: Request) -> Response:
        table = self._catalog.lookup(ctx, request["TableName"])
        compiled = expression_params.DELETE_ITEM.compile(request, table=table)
        return_values = request.get("ReturnValues")
        check_return_values(return_values, ("NONE", "ALL_OLD"))
        if table is None:
            raise errors.table_not_found()
        key = request_key(table, request["Key"])
        self._in_flight.check(table.id, key)
        condition = compiled.condition if compiled is not None else None

        def decide(old: Row | None) -> Decision:
            if condition is not None:
                old_item = _loads(old[1]) if old is not None else None
                if not check(condition, old_item):
                    raise condition_failed(compiled, old_item, request)  # type: ignore[arg-type]
            return DELETE if old is not None else KEEP

        old, _ = self._writes.write(table, key, decide)
        out: dict[str, Any] = {}
        old_item = _loads(old[1]) if old is not None else None
        if return_values == "ALL_OLD" and old_item is not None:
            out["Attributes"] = old_item
        capacity_mode = request.get("ReturnConsumedCapacity")
        if capacity_mode is not None and capacity_mode != "NONE":
            units = write_units(old[0] if old is not None else 0)
            touched = index_write_units(table, old, None, 0) if table.indexes else None
            out["ConsumedCapacity"] = consumed(table.name, units, capacity_mode, touched)
        if old_item is not None and wants_collection_metrics(table, request):
            out["ItemCollectionMetrics"] = collection_metrics(self._engine, table, key, old_item)
        return out

    # --- UpdateItem

    def update_item(self, ctx: RequestContext, request: Request) -> Response:
        return_values = request.get("ReturnValues")
        table = self._catalog.lookup(ctx, request["TableName"])
        compiled = expression_params.UPDATE_ITEM.compile(request, table=table)
        if table is None:
            raise errors.table_not_found()
        key_map = request["Key"]
        key = request_key(table, key_map)
        if compiled is not None and compiled.update is not None:
            for name in table.key.names:
                if name in compiled.update.top_level_names:
                    raise errors.cannot_update_key(name)
        self._in_flight.check(table.id, key)
        program = compiled.update if compiled is not None else None
        condition = compiled.condition if compiled is not None else None
        state: dict[str, Any] = {}

        def decide(old: Row | None) -> Decision:
            old_item = _loads(old[1]) if old is not None else None
            try:
                if condition is not None and not condition(old_item):
                    raise condition_failed(compiled, old_item, request)  # type: ignore[arg-type]
                result = updated_item(table, program, key_map, old, old_item)
            except ExpressionError as exc:
                raise errors.invalid(exc.message) from None
            state["old"] = old_item
            state["new"] = None
            if result is None:
                return KEEP
            new_item, size = result
            state["new"] = new_item
            state["size"] = size
            return size, _dumps(new_item)

        old, _ = self._writes.write(table, key, decide)
        old_item: dict[str, Any] | None = state["old"]
        new_item: dict[str, Any] | None = state["new"]
        out: dict[str, Any] = {}
        attributes: dict[str, Any] | None = None
        if return_values == "ALL_NEW":
            attributes = new_item
        elif return_values == "ALL_OLD":
            attributes = old_item
        elif return_values == "UPDATED_NEW" and program is not None and new_item is not None:
            attributes = program.updated_new(new_item)
        elif return_values == "UPDATED_OLD" and program is not None and old_item is not None:
            attributes = program.updated_old(old_item)
        if attributes:
            out["Attributes"] = attributes
        capacity_mode = request.get("ReturnConsumedCapacity")
        if capacity_mode is not None and capacity_mode != "NONE":
            new_size = state.get("size", 0)
            units = write_units(max(new_size, old[0] if old is not None else 0))
            touched = None
            if table.indexes:
                touched = index_write_units(table, old, new_item, new_size)
            out["ConsumedCapacity"] = consumed(table.name, units, capacity_mode, touched)
        if new_item is not None and wants_collection_metrics(table, request):
            out["ItemCollectionMetrics"] = collection_metrics(self._engine, table, key, new_item)
        return out
