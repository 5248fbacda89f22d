"""Query and Scan: paging (Limit, the 1 MB page, ExclusiveStartKey / LastEvaluatedKey), Select,
filters and projections, parallel scan segments, consumed capacity.

Rows come from the engine in key order; a page stops after ``Limit`` items were evaluated or
once 1 MB of items was read (the item crossing the limit is included, as in DynamoDB), before
any filter. Without a filter or projection the stored JSON of each item is copied into the
response as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.errors import ServiceError
from gureum.expressions import ExpressionError, compile_legacy
from gureum.services.dynamodb import errors, expression_params, limits
from gureum.services.dynamodb.capacity import consumed, read_units
from gureum.services.dynamodb.keys import key_attributes, request_key
from gureum.storage.engine import KeyRange
from gureum.storage.keys import HASH_SPACE, partition_hash, prefix_upper_bound

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.context import RequestContext
    from gureum.expressions import Compiled, KeyCondition
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.model import Table
    from gureum.storage.engine import Engine, Key, RangeRow

Request = dict[str, Any]
_loads = orjson.loads
_dumps = orjson.dumps
_FETCH = 256  # rows fetched from the engine per round trip


def _starting_key_invalid(detail: str | None = None) -> ServiceError:
    message = "The provided starting key is invalid"
    return errors.invalid(f"{message}: {detail}" if detail else message)


def check_select(request: Request, compiled: Compiled | None, operation: str) -> str:
    """The Select mode of a Query or Scan, checked with DynamoDB's texts (Query wraps its
    texts in the front end's envelope, Scan does not)."""
    select = request.get("Select")
    has_projection = compiled is not None and compiled.projection is not None
    if select is None:
        return "SPECIFIC_ATTRIBUTES" if has_projection else "ALL_ATTRIBUTES"
    envelope = "1 validation error detected: " if operation == "Query" else ""
    if select != "SPECIFIC_ATTRIBUTES":
        wanted = "only the Count" if select == "COUNT" else select
        for member in ("AttributesToGet", "ProjectionExpression"):
            if request.get(member) is not None:
                raise errors.invalid(
                    f"{envelope}Cannot specify the {member} when choosing to get {wanted}"
                )
    elif not has_projection:
        raise errors.invalid(
            f"{envelope}Must specify the AttributesToGet or ProjectionExpression when choosing "
            "to get SPECIFIC_ATTRIBUTES"
        )
    if select == "ALL_PROJECTED_ATTRIBUTES" and request.get("IndexName") is None:
        raise errors.invalid(
            "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"
        )
    return str(select)


def _in_range(sort_range: KeyRange, sk: bytes) -> bool:
    if sort_range.low is not None and (
        sk < sort_range.low or (sk == sort_range.low and not sort_range.low_inclusive)
    ):
        return False
    return sort_range.high is None or not (
        sk > sort_range.high or (sk == sort_range.high and not sort_range.high_inclusive)
    )


def sort_key_range(table: Table, condition: KeyCondition) -> KeyRange:
    """Engine bounds for the sort key part of a key condition."""
    op = condition.range_op
    if op is None:
        return KeyRange()
    encode = table.range_encode
    kind: str = table.key.range_type  # type: ignore[assignment]
    values = [encode(v[kind]) for v in condition.range_values]
    if op == "=":
        return KeyRange(values[0], True, values[0], True)
    if op == "<":
        return KeyRange(high=values[0], high_inclusive=False)
    if op == "<=":
        return KeyRange(high=values[0])
    if op == ">":
        return KeyRange(low=values[0], low_inclusive=False)
    if op == ">=":
        return KeyRange(low=values[0])
    if op == "BETWEEN":
        return KeyRange(values[0], True, values[1], True)
    # BEGINS_WITH
    upper = prefix_upper_bound(values[0])
    return KeyRange(values[0], True, upper, False)


class _Page:
    """Accumulates one page of results."""

    __slots__ = ("blobs", "count", "full", "items", "last", "scanned", "size")

    def __init__(self) -> None:
        self.blobs: list[bytes] = []
        self.items: list[dict[str, Any]] | None = None
        self.count = 0
        self.scanned = 0
        self.size = 0
        self.last: bytes | None = None
        self.full = False


class ReadOperations:
    def __init__(self, catalog: TableCatalog, engine: Engine) -> None:
        self._catalog = catalog
        self._engine = engine

    # --- Query

    def query(self, ctx: RequestContext, request: Request) -> dict[str, Any] | bytes:
        if request.get("KeyConditions") is None and request.get("KeyConditionExpression") is None:
            raise errors.invalid(
                "Either the KeyConditions or KeyConditionExpression parameter must be specified "
                "in the request."
            )
        table = self._catalog.lookup(ctx, request["TableName"])
        index_name = request.get("IndexName")
        if table is None:
            # what does not depend on the table is refused before the table is missed
            expression_params.QUERY.compile(request)
            raise errors.table_not_found()
        if index_name is not None:
            raise self._index_unavailable(table, index_name)
        compiled = expression_params.QUERY.compile(
            request, (table.key.hash_name, table.key.range_name), table
        )
        select = check_select(request, compiled, "Query")
        condition = self._key_condition(request, compiled, table)
        pk = table.hash_encode(condition.hash_value[table.key.hash_type])
        h = partition_hash(pk)
        sort_range = sort_key_range(table, condition)
        forward = request.get("ScanIndexForward", True)
        start = request.get("ExclusiveStartKey")
        if start is not None:
            start_key = self._query_start_key(table, start)
            if condition.range_op is not None:
                if not _in_range(sort_range, start_key[2]):
                    raise errors.invalid(
                        "The provided starting key does not match the range key predicate"
                    )
                if start_key[1] != pk:
                    raise errors.invalid(
                        "The query can return at most one row and cannot be restarted"
                    )
            elif start_key[1] != pk:
                raise errors.invalid(
                    "The provided starting key is outside query boundaries based on provided "
                    "conditions"
                )
            sort_range = _after(sort_range, start_key[2], forward)
        limit = request.get("Limit")
        page = _Page()
        filter_ = compiled.filter if compiled is not None else None
        projection = compiled.projection if compiled is not None else None
        fetch = min(limit, _FETCH) if limit else _FETCH
        while True:
            rows = self._engine.query(table.id, h, pk, sort_range, forward, fetch)
            if self._accumulate(page, rows, limit, filter_, projection):
                break
            if len(rows) < fetch:
                break
            sort_range = _after(sort_range, rows[-1][2], forward)
        return self._respond(table, request, page, select)

    # --- Scan

    def scan(self, ctx: RequestContext, request: Request) -> dict[str, Any] | bytes:
        segment = request.get("Segment")
        total = request.get("TotalSegments")
        if segment is not None and total is None:
            raise errors.invalid(
                "The TotalSegments parameter is required but was not present in the request "
                "when Segment parameter is present"
            )
        if total is not None:
            if segment is None:
                raise errors.invalid(
                    "The Segment parameter is required but was not present in the request when "
                    "parameter TotalSegments is present"
                )
            if segment >= total:
                raise errors.invalid(
                    "The Segment parameter is zero-based and must be less than parameter "
                    f"TotalSegments: Segment: {segment} is not less than TotalSegments: {total}"
                )
        table = self._catalog.lookup(ctx, request["TableName"])
        compiled = expression_params.SCAN.compile(request, table=table)
        select = check_select(request, compiled, "Scan")
        if table is None:
            raise errors.table_not_found()
        index_name = request.get("IndexName")
        if index_name is not None:
            raise self._index_unavailable(table, index_name)
        low, high = 0, HASH_SPACE
        if total is not None and segment is not None:
            low = segment * HASH_SPACE // total
            high = (segment + 1) * HASH_SPACE // total
        after: Key | None = None
        start = request.get("ExclusiveStartKey")
        if start is not None:
            after = self._start_key(table, start)
            if not low <= after[0] < high:
                raise _starting_key_invalid(
                    "Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. "
                    f"TotalSegments: {total} Segment: {segment}"
                )
        limit = request.get("Limit")
        page = _Page()
        filter_ = compiled.filter if compiled is not None else None
        projection = compiled.projection if compiled is not None else None
        fetch = min(limit, _FETCH) if limit else _FETCH
        while True:
            rows = self._engine.scan(table.id, low, high, after, fetch)
            if self._accumulate(page, rows, limit, filter_, projection):
                break
            if len(rows) < fetch:
                break
            last = rows[-1]
            after = (last[0], last[1], last[2])
        return self._respond(table, request, page, select)

    # --- shared

    @staticmethod
    def _index_unavailable(table: Table, name: str) -> ServiceError:
        if table.index(name) is None:
            return errors.invalid(f"The table does not have the specified index: {name}")
        # Reading through secondary indexes is the next step of gureum's DynamoDB; until then
        # say so plainly rather than answer as if the index did not exist.
        return errors.not_supported(
            f"gureum does not read through secondary indexes yet (index: {name})"
        )

    @staticmethod
    def _key_condition(request: Request, compiled: Compiled | None, table: Table) -> KeyCondition:
        condition = compiled.key_condition if compiled is not None else None
        if condition is None:
            # KeyConditions alongside expression members (FilterExpression, ...)
            try:
                legacy = compile_legacy(
                    key_conditions=request["KeyConditions"],
                    key_schema=(table.key.hash_name, table.key.range_name),
                )
            except ExpressionError as exc:
                raise errors.invalid(exc.message) from None
            condition = legacy.key_condition
            if compiled is not None:
                for name in table.key.names:
                    if name in compiled.filter_names:
                        raise errors.invalid(
                            "Filter Expression can only contain non-primary key attributes: "
                            f"Primary key attribute: {name}"
                        )
        assert condition is not None
        for av, kind in [(condition.hash_value, table.key.hash_type)] + [
            (v, table.key.range_type) for v in condition.range_values
        ]:
            if kind not in av:
                raise errors.invalid_parameters(
                    "Condition parameter type does not match schema type"
                )
        return condition

    @staticmethod
    def _query_start_key(table: Table, start: dict[str, Any]) -> Key:
        """Query's ExclusiveStartKey: exactly the table's key attributes, of the right types."""
        names = table.key.names
        if len(start) != len(names) or any(name not in start for name in names):
            raise _starting_key_invalid()
        if table.key.range_name is None:
            # a partition holds one item: there is nothing after it to restart from
            rendered = ", ".join(
                f"{name}=AttributeValue: {{{kind}:{value}}}"
                for name, av in start.items()
                for kind, value in av.items()
            )
            raise errors.invalid(
                f"The provided exclusive start key is invalid: ExclusiveStartKey: {{{rendered}}}"
            )
        return request_key(table, start)

    @staticmethod
    def _start_key(table: Table, start: dict[str, Any]) -> Key:
        try:
            return request_key(table, start)
        except ServiceError as exc:
            raise _starting_key_invalid(exc.message) from None

    @staticmethod
    def _accumulate(
        page: _Page,
        rows: list[RangeRow],
        limit: int | None,
        filter_: Callable[[dict[str, Any]], bool] | None,
        projection: Callable[[dict[str, Any]], dict[str, Any]] | None,
    ) -> bool:
        """Add rows to the page; True once the page is full (Limit or 1 MB)."""
        blobs = page.blobs
        for row in rows:
            size = row[3]
            blob = row[4]
            page.scanned += 1
            page.size += size
            page.last = blob
            if filter_ is None and projection is None:
                blobs.append(blob)
            else:
                item = _loads(blob)
                if filter_ is None or filter_(item):
                    if projection is None:
                        blobs.append(blob)
                    else:
                        if page.items is None:
                            page.items = []
                        page.items.append(projection(item))
            if (limit is not None and page.scanned >= limit) or page.size >= limits.MAX_PAGE_BYTES:
                page.full = True
                return True
        return False

    @staticmethod
    def _respond(
        table: Table, request: Request, page: _Page, select: str
    ) -> dict[str, Any] | bytes:
        count = len(page.items) if page.items is not None else len(page.blobs)
        tail = b""
        if page.full and page.last is not None:
            last_key = key_attributes(table.key, _loads(page.last))
            tail += b',"LastEvaluatedKey":' + _dumps(last_key)
        mode = request.get("ReturnConsumedCapacity")
        if mode is not None and mode != "NONE":
            units = read_units(page.size, bool(request.get("ConsistentRead")))
            tail += b',"ConsumedCapacity":' + _dumps(consumed(table.name, units, mode))
        if select == "COUNT":
            return b'{"Count":%d,"ScannedCount":%d%b}' % (count, page.scanned, tail)
        if page.items is not None:
            items = b",".join(_dumps(item) for item in page.items)
        else:
            items = b",".join(page.blobs)
        return b'{"Items":[%b],"Count":%d,"ScannedCount":%d%b}' % (
            items,
            count,
            page.scanned,
            tail,
        )


def _after(sort_range: KeyRange, sk: bytes, forward: bool) -> KeyRange:
    """Narrow a sort range to what lies strictly after ``sk`` in the reading direction."""
    if forward:
        return KeyRange(sk, False, sort_range.high, sort_range.high_inclusive)
    return KeyRange(sort_range.low, sort_range.low_inclusive, sk, False)
