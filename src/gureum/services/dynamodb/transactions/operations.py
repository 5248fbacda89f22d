"""TransactWriteItems and TransactGetItems.

A write transaction is checked whole (:mod:`.actions`), then applied through
:meth:`WritePath.write_many`: every action decides against the stored item before the first
write, so a cancelled transaction writes nothing, and a successful one writes every item in one
engine transaction (one group commit makes them durable together). Its items are then held
until that commit (:mod:`.conflicts`). A ClientRequestToken makes it idempotent for
10 minutes (:mod:`.tokens`).

Capacity: a transaction reads or writes every item twice (prepare, then commit), so each item
costs twice its units (a ConditionCheck its write units); the answer splits them into
ReadCapacityUnits or WriteCapacityUnits. A replayed token reads instead of writing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.capacity import read_units, write_units
from gureum.services.dynamodb.indexes import index_write_units
from gureum.services.dynamodb.items import collection_metrics
from gureum.services.dynamodb.transactions.actions import (
    CONFLICT,
    NO_REASON,
    WRITE_KINDS,
    Action,
    check_members,
    check_tables,
    deciders,
    get_action,
    resolve_keys,
    write_action,
)
from gureum.services.dynamodb.transactions.tokens import IdempotencyTokens, digest

if TYPE_CHECKING:
    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.transactions.conflicts import InFlightItems
    from gureum.services.dynamodb.writes import WritePath
    from gureum.storage.engine import Engine

Request = dict[str, Any]
Response = dict[str, Any] | bytes
# table name -> (its own units, index name -> (is global, units))
Usage = dict[str, tuple[float, dict[str, tuple[bool, float]]]]

_loads = orjson.loads


class TransactionOperations:
    def __init__(
        self,
        catalog: TableCatalog,
        engine: Engine,
        writes: WritePath,
        clock: Clock,
        in_flight: InFlightItems,
    ) -> None:
        self._catalog = catalog
        self._engine = engine
        self._writes = writes
        self._in_flight = in_flight
        self._tokens = IdempotencyTokens(clock)

    # --- TransactWriteItems

    def transact_write_items(self, ctx: RequestContext, request: Request) -> Response:
        elements: list[dict[str, Any]] = request["TransactItems"]
        token: str | None = request.get("ClientRequestToken")
        request_digest = digest(elements) if token is not None else b""
        check_members(elements, WRITE_KINDS)
        actions = []
        payload = 0
        for element in elements:
            action, size = write_action(ctx, self._catalog, element)
            payload += size
            if payload > limits.MAX_TRANSACTION_BYTES:
                raise errors.transaction_payload_too_large(payload)
            actions.append(action)
        check_tables(actions)
        resolve_keys(actions)
        if token is not None and self._tokens.seen(ctx, token, request_digest):
            return self._replayed(actions, request)
        conflicts = [self._in_flight.holds(a.found.id, a.key) for a in actions]
        self._writes.write_many(deciders(actions, conflicts, self._writes))
        self._in_flight.hold((a.found.id, a.key) for a in actions)
        if token is not None:
            self._tokens.remember(ctx, token, request_digest)
        mode = request.get("ReturnConsumedCapacity")
        metrics = request.get("ReturnItemCollectionMetrics") == "SIZE"
        if (mode is None or mode == "NONE") and not metrics:
            return b"{}"
        out: dict[str, Any] = {}
        if mode is not None and mode != "NONE":
            out["ConsumedCapacity"] = _capacity(_write_usage(actions), mode, "WriteCapacityUnits")
        if metrics:
            out["ItemCollectionMetrics"] = _collection_metrics(self._engine, actions)
        return out

    def _replayed(self, actions: list[Action], request: Request) -> Response:
        """The answer to a transaction already done: nothing written, its items read."""
        out: dict[str, Any] = {}
        mode = request.get("ReturnConsumedCapacity")
        if mode is not None and mode != "NONE":
            usage: Usage = {}
            for action in actions:
                row = self._engine.get(action.found.id, action.key)
                units = 2 * read_units(row[0] if row is not None else 0, True)
                _add(usage, action.found.name, units)
            out["ConsumedCapacity"] = _capacity(usage, mode, "ReadCapacityUnits")
        if request.get("ReturnItemCollectionMetrics") == "SIZE":
            out["ItemCollectionMetrics"] = _collection_metrics(self._engine, actions)
        return out or b"{}"

    # --- TransactGetItems

    def transact_get_items(self, ctx: RequestContext, request: Request) -> Response:
        elements: list[dict[str, Any]] = request["TransactItems"]
        check_members(elements, {"Get": "get"})
        actions = [get_action(ctx, self._catalog, element) for element in elements]
        check_tables(actions)
        resolve_keys(actions)
        conflicts = [self._in_flight.holds(a.found.id, a.key) for a in actions]
        if any(conflicts):
            raise errors.transaction_cancelled([CONFLICT if c else NO_REASON for c in conflicts])
        engine = self._engine
        rows = [engine.get(a.found.id, a.key) for a in actions]
        total = sum(row[0] for row in rows if row is not None)
        if total > limits.MAX_TRANSACTION_BYTES:
            raise errors.transaction_response_too_large(total)
        responses: list[dict[str, Any]] = []
        usage: Usage = {}
        for action, row in zip(actions, rows, strict=True):
            _add(usage, action.found.name, 2 * read_units(row[0] if row is not None else 0, True))
            if row is None:
                responses.append({})
                continue
            item = _loads(row[1])
            projection = action.compiled.projection if action.compiled is not None else None
            responses.append({"Item": item if projection is None else projection(item)})
        out: dict[str, Any] = {"Responses": responses}
        mode = request.get("ReturnConsumedCapacity")
        if mode is not None and mode != "NONE":
            out["ConsumedCapacity"] = _capacity(usage, mode, "ReadCapacityUnits")
        return out


# --- what the answer reports


def _add(
    usage: Usage, table: str, units: float, indexes: dict[str, tuple[bool, float]] | None = None
) -> None:
    own, by_index = usage.get(table, (0.0, {}))
    for name, (is_global, index_units) in (indexes or {}).items():
        previous = by_index.get(name, (is_global, 0.0))[1]
        by_index[name] = (is_global, previous + index_units)
    usage[table] = (own + units, by_index)


def _write_usage(actions: list[Action]) -> Usage:
    """Each item twice its write units (of the larger of its old and new versions); the index
    entries it changed once each."""
    usage: Usage = {}
    for action in actions:
        old_size = action.old[0] if action.old is not None else 0
        units = 2 * write_units(max(old_size, action.new_size))
        indexes = None
        table = action.found
        if table.indexes and action.kind != "ConditionCheck":
            # [gureum] index writes are counted once, as for single-item writes
            indexes = index_write_units(table, action.old, action.new_item, action.new_size)
        _add(usage, table.name, units, indexes)
    return usage


def _capacity(usage: Usage, mode: str, units_member: str) -> list[dict[str, Any]]:
    """ConsumedCapacity of a transaction: per table, the total as CapacityUnits and as
    ``units_member`` (ReadCapacityUnits or WriteCapacityUnits); INDEXES details the table and
    each index."""
    out = []
    for name, (own, indexes) in usage.items():
        total = own + sum(units for _, units in indexes.values())
        entry: dict[str, Any] = {"TableName": name, "CapacityUnits": total, units_member: total}
        if mode == "INDEXES":
            entry["Table"] = {units_member: own, "CapacityUnits": own}
            for index, (is_global, units) in indexes.items():
                member = "GlobalSecondaryIndexes" if is_global else "LocalSecondaryIndexes"
                entry.setdefault(member, {})[index] = {units_member: units, "CapacityUnits": units}
        out.append(entry)
    return out


def _collection_metrics(engine: Engine, actions: list[Action]) -> dict[str, list[dict[str, Any]]]:
    """ItemCollectionMetrics: the item collections written, for tables with local secondary
    indexes (only those have item collections)."""
    metrics: dict[str, list[dict[str, Any]]] = {}
    for action in actions:
        table = action.found
        if action.kind == "ConditionCheck" or not table.local_indexes:
            continue
        entry = collection_metrics(engine, table, action.key, action.key_values())
        metrics.setdefault(table.name, []).append(entry)
    return metrics
