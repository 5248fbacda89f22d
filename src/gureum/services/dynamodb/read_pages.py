"""What Query and Scan share, whether they read a table or one of its indexes: the Select
rules, sort-key bounds, accumulating a page (Limit, the 1 MB page, filter, projection) and
rendering the answer (LastEvaluatedKey, ConsumedCapacity)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from gureum.expressions import ExpressionError, compile_legacy
from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.capacity import consumed, read_units
from gureum.services.dynamodb.keys import key_attributes
from gureum.storage.engine import KeyRange
from gureum.storage.keys import ENCODERS, HASH_SPACE, prefix_upper_bound

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.errors import ServiceError
    from gureum.expressions import Compiled, KeyCondition
    from gureum.services.dynamodb.model import Index, KeySchema, Table
    from gureum.storage.engine import RangeRow

Request = dict[str, Any]
_loads = orjson.loads
_dumps = orjson.dumps
FETCH_ROWS = 256  # rows fetched from the engine per round trip


def check_scan_segments(request: Request) -> tuple[int | None, int | None]:
    """A Scan's (Segment, TotalSegments), checked with DynamoDB's texts."""
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
    return segment, total


def segment_bounds(segment: int | None, total: int | None) -> tuple[int, int]:
    """The hash range a parallel-scan segment covers (all of it without segments)."""
    if total is None or segment is None:
        return 0, HASH_SPACE
    return segment * HASH_SPACE // total, (segment + 1) * HASH_SPACE // total


def starting_key_invalid(detail: str | None = None) -> ServiceError:
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


def in_range(sort_range: KeyRange, sk: bytes) -> bool:
    if sort_range.low is not None and (
        sk < sort_range.low or (sk == sort_range.low and not sort_range.low_inclusive)
    ):
        return False
    return sort_range.high is None or not (
        sk > sort_range.high or (sk == sort_range.high and not sort_range.high_inclusive)
    )


def sort_key_range(key: KeySchema, condition: KeyCondition) -> KeyRange:
    """Engine bounds for the sort key part of a key condition on ``key``."""
    op = condition.range_op
    if op is None:
        return KeyRange()
    kind: str = key.range_type  # type: ignore[assignment]
    encode = ENCODERS[kind]
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


def key_condition(request: Request, compiled: Compiled | None, key: KeySchema) -> KeyCondition:
    """The Query's key condition on ``key`` (a table's or an index's), types checked."""
    condition = compiled.key_condition if compiled is not None else None
    if condition is None:
        # KeyConditions alongside expression members (FilterExpression, ...)
        try:
            legacy = compile_legacy(
                key_conditions=request["KeyConditions"],
                key_schema=(key.hash_name, key.range_name),
            )
        except ExpressionError as exc:
            raise errors.invalid(exc.message) from None
        condition = legacy.key_condition
        if compiled is not None:
            for name in key.names:
                if name in compiled.filter_names:
                    raise errors.invalid(
                        "Filter Expression can only contain non-primary key attributes: "
                        f"Primary key attribute: {name}"
                    )
    assert condition is not None
    for av, kind in [(condition.hash_value, key.hash_type)] + [
        (v, key.range_type) for v in condition.range_values
    ]:
        if kind not in av:
            raise errors.invalid_parameters("Condition parameter type does not match schema type")
    return condition


class Page:
    """Accumulates one page of results."""

    __slots__ = ("blobs", "count", "full", "items", "last", "scanned", "size", "table_units")

    def __init__(self) -> None:
        self.blobs: list[bytes] = []
        self.items: list[dict[str, Any]] | None = None
        self.count = 0
        self.scanned = 0
        self.size = 0
        self.last: bytes | None = None
        self.full = False
        # read units of items a local index fetched from the table (charged to the table)
        self.table_units = 0.0


def accumulate(
    page: Page,
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


def respond(
    table: Table, request: Request, page: Page, select: str, index: Index | None = None
) -> dict[str, Any] | bytes:
    """The Query or Scan answer for a page read from the table or from ``index``."""
    count = len(page.items) if page.items is not None else len(page.blobs)
    tail = b""
    if page.full and page.last is not None:
        item = _loads(page.last)
        last_key = key_attributes(table.key, item)
        if index is not None:
            last_key.update(key_attributes(index.key, item))
        tail += b',"LastEvaluatedKey":' + _dumps(last_key)
    mode = request.get("ReturnConsumedCapacity")
    if mode is not None and mode != "NONE":
        units = read_units(page.size, bool(request.get("ConsistentRead")))
        if index is None:
            capacity = consumed(table.name, units, mode)
        else:
            is_global = index in table.global_indexes
            capacity = consumed(
                table.name, page.table_units, mode, {index.name: (is_global, units)}
            )
        tail += b',"ConsumedCapacity":' + _dumps(capacity)
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


def after(sort_range: KeyRange, sk: bytes, forward: bool) -> KeyRange:
    """Narrow a sort range to what lies strictly after ``sk`` in the reading direction."""
    if forward:
        return KeyRange(sk, False, sort_range.high, sort_range.high_inclusive)
    return KeyRange(sort_range.low, sort_range.low_inclusive, sk, False)
