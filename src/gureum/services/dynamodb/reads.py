"""Query and Scan: paging (Limit, the 1 MB page, ExclusiveStartKey / LastEvaluatedKey), Select,
filters and projections, parallel scan segments, consumed capacity.

Rows come from the engine in key order; a page stops after ``Limit`` items were evaluated or
once 1 MB of items was read (the item crossing the limit is included, as in DynamoDB), before
any filter. Without a filter or projection the stored JSON of each item is copied into the
response as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.core.errors import ServiceError
from gureum.services.dynamodb import errors, expression_params
from gureum.services.dynamodb.index_reads import IndexReads
from gureum.services.dynamodb.keys import request_key
from gureum.services.dynamodb.read_pages import (
    FETCH_ROWS,
    Page,
    accumulate,
    after,
    check_scan_segments,
    check_select,
    in_range,
    key_condition,
    respond,
    segment_bounds,
    sort_key_range,
    starting_key_invalid,
)
from gureum.storage.keys import partition_hash

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.model import Table
    from gureum.storage.engine import Engine, Key

Request = dict[str, Any]


class ReadOperations:
    def __init__(self, catalog: TableCatalog, engine: Engine) -> None:
        self._catalog = catalog
        self._engine = engine
        self._indexes = IndexReads(engine)

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
            return self._indexes.query(table, request)
        compiled = expression_params.QUERY.compile(
            request, (table.key.hash_name, table.key.range_name), table
        )
        select = check_select(request, compiled, "Query")
        condition = key_condition(request, compiled, table.key)
        pk = table.hash_encode(condition.hash_value[table.key.hash_type])
        h = partition_hash(pk)
        sort_range = sort_key_range(table.key, condition)
        forward = request.get("ScanIndexForward", True)
        start = request.get("ExclusiveStartKey")
        if start is not None:
            start_key = self._query_start_key(table, start)
            if condition.range_op is not None:
                if not in_range(sort_range, start_key[2]):
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
            sort_range = after(sort_range, start_key[2], forward)
        limit = request.get("Limit")
        page = Page()
        filter_ = compiled.filter if compiled is not None else None
        projection = compiled.projection if compiled is not None else None
        fetch = min(limit, FETCH_ROWS) if limit else FETCH_ROWS
        while True:
            rows = self._engine.query(table.id, h, pk, sort_range, forward, fetch)
            if accumulate(page, rows, limit, filter_, projection):
                break
            if len(rows) < fetch:
                break
            sort_range = after(sort_range, rows[-1][2], forward)
        return respond(table, request, page, select)

    # --- Scan

    def scan(self, ctx: RequestContext, request: Request) -> dict[str, Any] | bytes:
        segment, total = check_scan_segments(request)
        table = self._catalog.lookup(ctx, request["TableName"])
        compiled = expression_params.SCAN.compile(request, table=table)
        select = check_select(request, compiled, "Scan")
        if table is None:
            raise errors.table_not_found()
        index_name = request.get("IndexName")
        if index_name is not None:
            return self._indexes.scan(table, request, compiled, (segment, total))
        low, high = segment_bounds(segment, total)
        resume: Key | None = None
        start = request.get("ExclusiveStartKey")
        if start is not None:
            resume = self._start_key(table, start)
            if not low <= resume[0] < high:
                raise starting_key_invalid(
                    "Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. "
                    f"TotalSegments: {total} Segment: {segment}"
                )
        limit = request.get("Limit")
        page = Page()
        filter_ = compiled.filter if compiled is not None else None
        projection = compiled.projection if compiled is not None else None
        fetch = min(limit, FETCH_ROWS) if limit else FETCH_ROWS
        while True:
            rows = self._engine.scan(table.id, low, high, resume, fetch)
            if accumulate(page, rows, limit, filter_, projection):
                break
            if len(rows) < fetch:
                break
            last = rows[-1]
            resume = (last[0], last[1], last[2])
        return respond(table, request, page, select)

    # --- shared

    @staticmethod
    def _query_start_key(table: Table, start: dict[str, Any]) -> Key:
        """Query's ExclusiveStartKey: exactly the table's key attributes, of the right types."""
        names = table.key.names
        if len(start) != len(names) or any(name not in start for name in names):
            raise starting_key_invalid()
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
            raise starting_key_invalid(exc.message) from None
