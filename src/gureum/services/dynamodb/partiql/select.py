"""SELECT through ExecuteStatement: the partitions it names read with Query (GetItem when
the whole key is given), anything else with a Scan; the WHERE clause filters what was read,
the projection flattens paths as DynamoDB does (``SELECT a.b`` answers ``{"b": ...}``).

``Limit`` counts the items read, before the filter, as Query and Scan do; a page ends at the
limit or where a Query or Scan stops (1 MB), and ``NextToken`` (opaque: which read, and the
key it stopped at) resumes it. A token is only good for the statement and parameters it came
from.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from gureum.expressions import Compiled, ExpressionError, compile_expressions
from gureum.partiql import PartiQLError, ast
from gureum.services.dynamodb import errors
from gureum.services.dynamodb.capacity import consumed
from gureum.services.dynamodb.partiql.calls import call, capacity_units, refused
from gureum.services.dynamodb.partiql.expressions import Expression
from gureum.services.dynamodb.partiql.keys import Partitions, RangeCondition, partitions

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.items import ItemOperations
    from gureum.services.dynamodb.model import Index, KeySchema, Table
    from gureum.services.dynamodb.reads import ReadOperations

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]
Request = dict[str, Any]

# The texts of DynamoDB's PartiQL for a NextToken it cannot use.
INVALID_TOKEN = "Invalid NextToken"
TOKEN_MISMATCH = "NextToken does not match request"


def project(item: Item, paths: tuple[ast.Path, ...]) -> Item:
    """The projected attributes of ``item``, each under the name its path ends with (list
    indexes kept: ``a.b[1]`` is ``b[1]``)."""
    out: Item = {}
    for path in paths:
        value: AttributeValue | None = item.get(path.root)
        for step in path.steps:
            if value is None:
                break
            if isinstance(step, int):
                elements = value.get("L")
                value = elements[step] if elements is not None and step < len(elements) else None
            else:
                members = value.get("M")
                value = members.get(step) if members is not None else None
        if value is not None:
            out[flat_name(path)] = value
    return out


def flat_name(path: ast.Path) -> str:
    name = path.root
    for step in path.steps:
        name = f"{name}[{step}]" if isinstance(step, int) else step
    return name


def check_projection(paths: tuple[ast.Path, ...] | None) -> None:
    seen: set[str] = set()
    for path in paths or ():
        name = flat_name(path)
        if name in seen:
            raise PartiQLError(f"Duplicate identifiers in select clause: {name}")
        seen.add(name)


@dataclass(frozen=True, slots=True)
class _Read:
    """One Query, Scan or GetItem of the SELECT, with what resuming it needs."""

    kind: str  # "Query", "Scan" or "GetItem"
    request: Request


class SelectRunner:
    def __init__(self, items: ItemOperations, reads: ReadOperations) -> None:
        self._handlers: dict[str, Callable[[RequestContext, Request], Any]] = {
            "Query": reads.query,
            "Scan": reads.scan,
            "GetItem": items.get_item,
        }

    def run(
        self,
        ctx: RequestContext,
        request: Request,
        select: ast.Select,
        lookup: Callable[[str], Table | None],
        parameters: list[AttributeValue],
    ) -> dict[str, Any]:
        check_projection(select.projection)
        where = Expression(parameters)
        filter_text = where.where(select.where) if select.where is not None else None
        table = lookup(select.table)
        if table is None:
            raise errors.table_not_found()
        index = table.index(select.index) if select.index is not None else None
        if index is not None and index in table.global_indexes and select.projection:
            _check_index_projection(table, index, select.projection)
        schema = index.key if index is not None else table.key
        plan = partitions(select.where, schema, parameters)
        descending = _check_order(select, schema, plan)
        try:
            compiled = compile_expressions(
                filter=filter_text,
                names=where.names or None,
                values=where.values or None,
                key_names=table.key.names,
            )
        except ExpressionError as exc:
            raise refused(exc) from None
        # A local index reads what it does not project from the table; ``*`` still answers
        # only what it projects.
        local = index is not None and index in table.local_indexes
        held = _held(table, index) if local and index is not None else None
        reads = self._reads(request, select, table, schema, plan, descending, held is not None)

        def shape(item: Item) -> Item:
            if select.projection:
                return project(item, select.projection)
            return item if held is None else {k: v for k, v in item.items() if k in held}

        token = request.get("NextToken")
        start = (0, None) if token is None else _resume(token, _digest(request), len(reads))
        items, units, stop = self._page(ctx, reads, start, request.get("Limit"), compiled, shape)
        out: dict[str, Any] = {"Items": items}
        if stop is not None:
            out["NextToken"] = _token(_digest(request), *stop)
            if stop[1] is not None:
                out["LastEvaluatedKey"] = stop[1]
        mode = request.get("ReturnConsumedCapacity")
        if mode is not None and mode != "NONE":
            out["ConsumedCapacity"] = consumed(table.name, units, mode)
        return out

    def _page(
        self,
        ctx: RequestContext,
        reads: list[_Read],
        start: tuple[int, AttributeValue | None],
        limit: int | None,
        compiled: Compiled,
        shape: Callable[[Item], Item],
    ) -> tuple[list[Item], float, tuple[int, AttributeValue | None] | None]:
        """Run the reads from ``start`` (a read, and the key to resume after) until one stops
        early or ``limit`` items were read: the items kept, the capacity used, and where the
        next page starts (None: nothing left)."""
        items: list[Item] = []
        units = 0.0
        first, start_key = start
        for position in range(first, len(reads)):
            read = reads[position]
            request = dict(read.request)
            if position == first and start_key is not None:
                request["ExclusiveStartKey"] = start_key
            if limit is not None and read.kind != "GetItem":
                request["Limit"] = limit
            response = call(self._handlers[read.kind], ctx, request)
            units += capacity_units(response)
            found = response["Items"] if "Items" in response else _got(response)
            predicate = compiled.filter
            items.extend(shape(i) for i in found if predicate is None or _holds(predicate, i))
            if limit is not None:
                limit -= len(found) if read.kind == "GetItem" else response["ScannedCount"]
            last = response.get("LastEvaluatedKey")
            if last is not None:
                return items, units, (position, last)
            if limit is not None and limit <= 0 and position + 1 < len(reads):
                return items, units, (position + 1, None)
        return items, units, None

    @staticmethod
    def _reads(
        request: Request,
        select: ast.Select,
        table: Table,
        schema: KeySchema,
        plan: Partitions,
        descending: bool,
        whole_items: bool,
    ) -> list[_Read]:
        common: Request = {"TableName": table.name}
        if whole_items:
            common["Select"] = "ALL_ATTRIBUTES"
        for member in ("ConsistentRead", "ReturnConsumedCapacity"):
            if member in request:
                common[member] = request[member]
        if select.index is not None:
            common["IndexName"] = select.index
        if plan.hash_values is None:
            return [_Read("Scan", common)]
        reads = []
        for value in plan.hash_values:
            key_range = plan.range
            if select.index is None and _whole_key(schema, key_range):
                key = {schema.hash_name: value}
                if schema.range_name is not None and key_range is not None:
                    key[schema.range_name] = key_range.values[0]
                reads.append(_Read("GetItem", {**common, "Key": key}))
                continue
            query = {**common, **_key_condition(schema, value, key_range)}
            if descending:
                query["ScanIndexForward"] = False
            reads.append(_Read("Query", query))
        return reads


def _held(table: Table, index: Index) -> frozenset[str] | None:
    """The attributes an index projects (None: all of them)."""
    if index.projection_type == "ALL":
        return None
    return frozenset((*table.key.names, *index.key.names, *(index.non_key_attributes or ())))


def _check_index_projection(table: Table, index: Index, paths: tuple[ast.Path, ...]) -> None:
    """A global index holds only what it projects (a local one reads the rest from the
    table): asking for anything else is refused, naming it all in statement order."""
    held = _held(table, index)
    if held is None:
        return
    missing = list(dict.fromkeys(path.root for path in paths if path.root not in held))
    if missing:
        raise errors.invalid_parameters(
            f"Global secondary index {index.name} does not project [{', '.join(missing)}]"
        )


def _whole_key(schema: KeySchema, key_range: RangeCondition | None) -> bool:
    if schema.range_name is None:
        return True
    return key_range is not None and key_range.op == "="


def _key_condition(
    schema: KeySchema, value: AttributeValue, key_range: RangeCondition | None
) -> Request:
    names = {"#h": schema.hash_name}
    values = {":h": value}
    text = "#h = :h"
    if key_range is not None and schema.range_name is not None:
        names["#r"] = schema.range_name
        values.update({f":r{i}": v for i, v in enumerate(key_range.values)})
        if key_range.op == "BETWEEN":
            text += " AND #r BETWEEN :r0 AND :r1"
        elif key_range.op == "begins_with":
            text += " AND begins_with(#r, :r0)"
        else:
            text += f" AND #r {key_range.op} :r0"
    return {
        "KeyConditionExpression": text,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }


def _check_order(select: ast.Select, schema: KeySchema, plan: Partitions) -> bool:
    """ORDER BY's rules; whether it asks for the sort key descending."""
    if not select.order_by:
        return False
    if select.where is None:
        raise PartiQLError("Must have WHERE clause in the statement when using ORDER BY clause.")
    if plan.hash_values is None:
        raise PartiQLError(
            "Must have at least one non-optional hash key condition in WHERE clause when "
            "using ORDER BY clause."
        )
    descending = False
    for path, desc in select.order_by:
        if path.steps or path.root not in schema.names:
            raise PartiQLError(
                f"Variable reference {flat_name(path)} in ORDER BY clause must be part of the "
                "primary key"
            )
        if path.root == schema.range_name:
            descending = desc
    return descending


def _got(response: dict[str, Any]) -> list[Item]:
    """GetItem's answer as a list of items."""
    return [response["Item"]] if "Item" in response else []


def _holds(predicate: Callable[[Item], bool], item: Item) -> bool:
    try:
        return predicate(item)
    except ExpressionError as exc:
        raise refused(exc) from None


def _digest(request: Request) -> str:
    source = orjson.dumps([request["Statement"], request.get("Parameters")])
    return hashlib.sha256(source).hexdigest()[:32]


def _token(digest: str, position: int, key: AttributeValue | None) -> str:
    state = orjson.dumps({"h": digest, "r": position, "k": key})
    return base64.urlsafe_b64encode(state).decode()


def _resume(token: str | None, digest: str, reads: int) -> tuple[int, AttributeValue | None]:
    """Where a page starts: the read and the key a NextToken points after."""
    if token is None:
        return 0, None
    try:
        state = orjson.loads(base64.urlsafe_b64decode(token.encode()))
        position, key = state["r"], state["k"]
        valid = isinstance(position, int) and 0 <= position < reads
        matches = state["h"] == digest
    except (binascii.Error, ValueError, TypeError, KeyError, orjson.JSONDecodeError):
        raise errors.invalid(INVALID_TOKEN) from None
    if not matches:
        raise errors.invalid(TOKEN_MISMATCH)
    if not valid or not (key is None or isinstance(key, dict)):
        raise errors.invalid(INVALID_TOKEN)
    return position, key
