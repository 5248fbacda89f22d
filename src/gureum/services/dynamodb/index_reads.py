"""Query and Scan through a secondary index (``IndexName``).

An index read walks the index's entries in (index key, table key) order; each entry holds the
projected item. DynamoDB's rules: no consistent reads on a global index, no reads from a
global index still backfilling, ``ALL_PROJECTED_ATTRIBUTES`` is the default Select, and a
global index refuses to return (or filter on) attributes it does not project, where a local
index fetches them from the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.core.errors import ServiceError
from gureum.services.dynamodb import errors, expression_params
from gureum.services.dynamodb.capacity import read_units
from gureum.services.dynamodb.keys import request_key
from gureum.services.dynamodb.read_pages import (
    FETCH_ROWS,
    Page,
    accumulate,
    check_select,
    in_range,
    key_condition,
    respond,
    segment_bounds,
    sort_key_range,
    starting_key_invalid,
)
from gureum.storage.keys import ENCODERS, partition_hash

if TYPE_CHECKING:
    from gureum.expressions import Compiled
    from gureum.services.dynamodb.model import Index, KeySchema, Table
    from gureum.storage.engine import Engine, IndexRow, IndexScanPosition, RangeRow

Request = dict[str, Any]
Response = dict[str, Any] | bytes

# Where an index read takes its items from (see IndexReads._select)
_ENTRIES, _STORED, _FETCHED = 0, 1, 2


def _projected(table: Table, index: Index) -> frozenset[str] | None:
    """The attributes an index holds; None: all of them."""
    if index.projection_type == "ALL":
        return None
    return frozenset((*table.key.names, *index.key.names, *(index.non_key_attributes or ())))


def _listed(names: list[str]) -> str:
    return "[" + ", ".join(names) + "]"


class IndexReads:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # --- Query

    def query(self, table: Table, request: Request) -> Response:
        index = self._index(table, request)
        key = index.key
        compiled = expression_params.QUERY.compile(request, (key.hash_name, key.range_name), table)
        select, fetch_from = self._select(table, index, request, compiled, "Query")
        condition = key_condition(request, compiled, key)
        for name, kind, values in (
            (key.hash_name, key.hash_type, (condition.hash_value,)),
            (key.range_name, key.range_type, condition.range_values),
        ):
            if kind is not None and kind != "N" and any(not v[kind] for v in values):
                raise errors.empty_index_key(index.name, name, kind, False)  # type: ignore[arg-type]
        pk = ENCODERS[key.hash_type](condition.hash_value[key.hash_type])
        h = partition_hash(pk)
        sort_range = sort_key_range(key, condition)
        forward = request.get("ScanIndexForward", True)
        resume = None
        start = request.get("ExclusiveStartKey")
        if start is not None:
            position = self._start_position(table, index, start)
            if condition.range_op is not None:
                if not in_range(sort_range, position[2]):
                    raise errors.invalid(
                        "The provided starting key does not match the range key predicate"
                    )
                if position[1] != pk:
                    raise errors.invalid(
                        "The query can return at most one row and cannot be restarted"
                    )
            elif position[1] != pk:
                raise errors.invalid(
                    "The provided starting key is outside query boundaries based on provided "
                    "conditions"
                )
            resume = position[2], position[3], position[4]
        limit = request.get("Limit")
        page = Page()
        filter_ = compiled.filter if compiled is not None else None
        projection = compiled.projection if compiled is not None else None
        fetch = min(limit, FETCH_ROWS) if limit else FETCH_ROWS
        engine = self._engine
        while True:
            rows = engine.index_query(
                table.id, index.number, h, pk, sort_range, forward, resume, fetch
            )
            items = self._items(table, rows, fetch_from, page, request)
            if accumulate(page, items, limit, filter_, projection):
                break
            if len(rows) < fetch:
                break
            last = rows[-1]
            resume = last[2], last[3], last[4]
        return respond(table, request, page, select, index)

    # --- Scan

    def scan(
        self,
        table: Table,
        request: Request,
        compiled: Compiled | None,
        segments: tuple[int | None, int | None],
    ) -> Response:
        """``segments``: the (Segment, TotalSegments) the table's Scan already checked."""
        index = self._index(table, request)
        select, fetch_from = self._select(table, index, request, compiled, "Scan")
        segment, total = segments
        low, high = segment_bounds(segment, total)
        resume: IndexScanPosition | None = None
        start = request.get("ExclusiveStartKey")
        if start is not None:
            resume = self._start_position(table, index, start)
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
        engine = self._engine
        while True:
            rows = engine.index_scan(table.id, index.number, low, high, resume, fetch)
            items = self._items(table, rows, fetch_from, page, request)
            if accumulate(page, items, limit, filter_, projection):
                break
            if len(rows) < fetch:
                break
            last = rows[-1]
            resume = last[0], last[1], last[2], last[3], last[4]
        return respond(table, request, page, select, index)

    # --- shared

    @staticmethod
    def _index(table: Table, request: Request) -> Index:
        name = request["IndexName"]
        index = table.index(name)
        if index is None:
            raise errors.invalid(f"The table does not have the specified index: {name}")
        if index in table.global_indexes:
            if request.get("ConsistentRead"):
                raise errors.invalid(
                    "Consistent reads are not supported on global secondary indexes"
                )
            if index.backfilling:
                # [gureum] DynamoDB refuses reads of an index that is not ACTIVE yet
                raise errors.invalid(f"Cannot read from backfilling global secondary index: {name}")
        return index

    @staticmethod
    def _select(
        table: Table, index: Index, request: Request, compiled: Compiled | None, operation: str
    ) -> tuple[str, int]:
        """The Select mode (ALL_PROJECTED_ATTRIBUTES by default), and where items come from:
        the index entries (:data:`_ENTRIES`), the table because entries of ALL indexes hold
        no copy (:data:`_STORED`), or the table because a local index lacks attributes the
        request wants, a fetch DynamoDB charges to the table (:data:`_FETCHED`)."""
        select = check_select(request, compiled, operation)
        if request.get("Select") is None and select == "ALL_ATTRIBUTES":
            select = "ALL_PROJECTED_ATTRIBUTES"
        projected = _projected(table, index)
        if projected is None:
            return select, _STORED
        is_global = index in table.global_indexes
        wanted = compiled.projection_names if compiled is not None else frozenset()
        missing = sorted(name for name in wanted if name not in projected)
        filtered = compiled.filter_names if compiled is not None else frozenset()
        unfiltered = sorted(name for name in filtered if name not in projected)
        if unfiltered:  # a local index does not fetch from the table to filter either
            raise errors.invalid_parameters(
                f"Secondary index {index.name} does not project one or more filter "
                f"attributes: {_listed(unfiltered)}"
            )
        if is_global:
            if select == "ALL_ATTRIBUTES":
                raise errors.invalid_parameters(
                    "Select type ALL_ATTRIBUTES is not supported for global secondary index "
                    f"{index.name} because its projection type is not ALL"
                )
            if missing:
                raise errors.invalid_parameters(
                    f"Global secondary index {index.name} does not project {_listed(missing)}"
                )
            return select, _ENTRIES
        return select, _FETCHED if select == "ALL_ATTRIBUTES" or missing else _ENTRIES

    def _items(
        self, table: Table, rows: list[IndexRow], source: int, page: Page, request: Request
    ) -> list[RangeRow]:
        """Index rows as (hash, pk, sk, size, document) rows of projected items, or of the
        table's items (see :meth:`_select`)."""
        if source == _ENTRIES:
            return [(r[0], r[1], r[2], r[5], r[6]) for r in rows]
        out: list[RangeRow] = []
        get = self._engine.get
        consistent = bool(request.get("ConsistentRead"))
        for r in rows:
            base = get(table.id, (partition_hash(r[3]), r[3], r[4]))
            if base is not None:
                out.append((r[0], r[1], r[2], r[5], base[1]))
                if source == _FETCHED:
                    page.table_units += read_units(base[0], consistent)
        return out

    @staticmethod
    def _start_position(table: Table, index: Index, start: dict[str, Any]) -> IndexScanPosition:
        """An index read's ExclusiveStartKey: the table's key and the index's key attributes,
        nothing else; as (hash, index pk, index sk, table pk, table sk)."""
        names = set(table.key.names) | set(index.key.names)
        if len(start) != len(names) or any(name not in start for name in names):
            raise starting_key_invalid()
        base = {name: start[name] for name in table.key.names}
        try:
            base_key = request_key(table, base)
        except ServiceError as exc:
            raise starting_key_invalid(exc.message) from None
        pk = _key_part(index.key, start, True)
        sk = _key_part(index.key, start, False)
        return partition_hash(pk), pk, sk, base_key[1], base_key[2]


def _key_part(key: KeySchema, start: dict[str, Any], is_hash: bool) -> bytes:
    name = key.hash_name if is_hash else key.range_name
    kind = key.hash_type if is_hash else key.range_type
    if name is None or kind is None:
        return b""
    value = start[name].get(kind)
    if value is None or len(start[name]) != 1:
        raise starting_key_invalid("The provided key element does not match the schema")
    return ENCODERS[kind](value)
