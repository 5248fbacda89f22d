"""Which items a PartiQL WHERE clause names: the key of a single-item statement, or the
partitions a SELECT reads.

A write (and a SELECT of a batch or transaction) needs an equality on every key attribute
among the top-level AND terms of its WHERE clause; what is left is the condition on the item.
A SELECT reads the partitions its WHERE clause pins down (``pk = v``, ``pk IN [..]``, or an
OR of branches that each pin one) and scans the table otherwise; its whole WHERE clause is
then applied to what was read, so reading more than needed never changes the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from gureum.partiql import PartiQLError, Position, ast
from gureum.services.dynamodb.partiql.values import is_value, to_value

if TYPE_CHECKING:
    from gureum.services.dynamodb.model import KeySchema

AttributeValue = dict[str, Any]

NO_KEY = "Where clause does not contain a mandatory equality on all key attributes"
_RANGE_OPERATORS = frozenset({"=", "<", "<=", ">", ">="})
_MIRRORED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "="}


def conjuncts(node: ast.Expr | None) -> list[ast.Expr]:
    """The top-level AND terms of a WHERE clause, in order."""
    return [] if node is None else chain(node, "AND")


def disjuncts(node: ast.Expr) -> list[ast.Expr]:
    """The top-level OR terms, in order."""
    return chain(node, "OR")


def chain(node: ast.Expr, op: str) -> list[ast.Expr]:
    """The terms of a chain of ``op`` (AND or OR), in order."""
    terms: list[ast.Expr] = []
    pending = [node]
    while pending:  # left to right, without recursion (a long chain nests deep)
        term = pending.pop()
        if isinstance(term, ast.Binary) and term.op == op:
            pending += (term.right, term.left)
        else:
            terms.append(term)
    return terms


def join(terms: list[ast.Expr]) -> ast.Expr | None:
    """The AND of ``terms`` (None for none)."""
    if not terms:
        return None
    joined = terms[0]
    for term in terms[1:]:
        joined = ast.Binary("AND", joined, term, _NOWHERE)
    return joined


_NOWHERE = Position(1, 1, 1)  # an AND the statement did not write: no error points at it


def _equality(term: ast.Expr, names: tuple[str, ...]) -> tuple[ast.Path, ast.Expr] | None:
    """``key = value`` (either way round) on one of ``names``."""
    if not (isinstance(term, ast.Binary) and term.op == "="):
        return None
    for path, value in ((term.left, term.right), (term.right, term.left)):
        if isinstance(path, ast.Path) and path.root in names and is_value(value):
            if path.steps:
                raise PartiQLError(
                    "Key attributes must be scalars; list random access '[]' and map lookup "
                    f"'.' are not allowed: Key {path.root}"
                )
            return path, value
    return None


def same(a: AttributeValue, b: AttributeValue) -> bool:
    return orjson.dumps(a, option=orjson.OPT_SORT_KEYS) == orjson.dumps(
        b, option=orjson.OPT_SORT_KEYS
    )


def check_key_types(key: dict[str, AttributeValue], schema: KeySchema) -> None:
    types = {schema.hash_name: schema.hash_type, schema.range_name: schema.range_type}
    for name, value in key.items():
        kind = next(iter(value))
        if kind not in ("S", "N", "B"):
            raise PartiQLError(
                f"Key value must be of type S, N, or B. Key name: {name}, Key type: {kind}"
            )
        if kind != types[name]:
            raise PartiQLError(
                "Key attribute's data type should match its data type in table's schema: "
                f"Key {name}"
            )


def split_key(
    where: ast.Expr | None, schema: KeySchema, parameters: list[AttributeValue]
) -> tuple[dict[str, AttributeValue], ast.Expr | None]:
    """The full primary key a single-item statement names, and the rest of its WHERE."""
    key: dict[str, AttributeValue] = {}
    rest: list[ast.Expr] = []
    for term in conjuncts(where):
        found = _equality(term, schema.names)
        if found is None:
            rest.append(term)
            continue
        path, value_node = found
        value = to_value(value_node, parameters)
        earlier = key.get(path.root)
        if earlier is not None and not same(earlier, value):
            raise PartiQLError(
                f"Multiple conditions on same key {path.root}. Only single item "
                "Update/Insert/Delete are supported"
            )
        key[path.root] = value
    if len(key) != len(schema.names):
        raise PartiQLError(NO_KEY)
    check_key_types(key, schema)
    return {name: key[name] for name in schema.names}, join(rest)


@dataclass(frozen=True, slots=True)
class RangeCondition:
    """A sort key condition a Query can use: ``op`` is a comparison, BETWEEN or
    begins_with."""

    op: str
    values: tuple[AttributeValue, ...]


@dataclass(frozen=True, slots=True)
class Partitions:
    """What a SELECT reads: the partition key values (None: the whole table, a Scan), and
    a sort key condition that holds in every one of them."""

    hash_values: tuple[AttributeValue, ...] | None
    range: RangeCondition | None


def partitions(
    where: ast.Expr | None, schema: KeySchema, parameters: list[AttributeValue]
) -> Partitions:
    terms = conjuncts(where)
    values = _hash_values(terms, schema, parameters)
    if not values and where is not None and len(terms) == 1:
        branches = disjuncts(where)
        found = [_hash_values(conjuncts(b), schema, parameters) for b in branches]
        if len(branches) > 1 and all(len(v) == 1 for v in found):
            values = [v[0] for v in found]
            _check_overlap(branches, values, schema, parameters)
    distinct: list[AttributeValue] = []
    for value in values:
        if next(iter(value)) != schema.hash_type:
            if len(values) == 1:
                raise PartiQLError(
                    "Key attribute's data type should match its data type in table's schema: "
                    f"Key {schema.hash_name}"
                )
            continue  # one of several partitions: no item can have it
        if not any(same(value, seen) for seen in distinct):
            distinct.append(value)
    if not values:
        return Partitions(None, None)
    range_condition = None
    if schema.range_name is not None:
        range_condition = _range_condition(terms, schema, parameters)
    return Partitions(tuple(distinct), range_condition)


OVERLAP = "Overlapping conditions with range keys are not supported in where clause"


def _check_overlap(
    branches: list[ast.Expr],
    values: list[AttributeValue],
    schema: KeySchema,
    parameters: list[AttributeValue],
) -> None:
    """DynamoDB reads each OR branch as its own key condition, and refuses a branch that
    reads a whole partition beside one that reads part of it. (A negated condition on a key
    makes the statement a scan, which has no such branches.)"""
    if schema.range_name is None:
        return
    names = schema.names
    if any(_negates_key(term, names) for branch in branches for term in conjuncts(branch)):
        return
    ranges = [_range_condition(conjuncts(b), schema, parameters) for b in branches]
    for i, (value, key_range) in enumerate(zip(values, ranges, strict=True)):
        for other_value, other_range in zip(values[i + 1 :], ranges[i + 1 :], strict=True):
            if same(value, other_value) and (key_range is None) != (other_range is None):
                raise PartiQLError(OVERLAP)


def _negates_key(term: ast.Expr, names: tuple[str, ...]) -> bool:
    """``NOT sk = 1``, ``NOT begins_with(sk, ..)``, ``sk <> 1``, ``sk NOT IN [..]``..."""
    negated = False
    if isinstance(term, ast.Not):
        term, negated = term.operand, True
    operands: tuple[ast.Expr, ...] = ()
    if isinstance(term, ast.Binary):
        operands = (term.left, term.right)
        negated = negated or term.op == "<>"
    elif isinstance(term, ast.Call):
        operands = term.args
    elif isinstance(term, ast.In | ast.Between | ast.IsType):
        operands = (term.subject,)
        negated = negated or term.negated
    return negated and any(isinstance(o, ast.Path) and o.root in names for o in operands)


def _hash_values(
    terms: list[ast.Expr], schema: KeySchema, parameters: list[AttributeValue]
) -> list[AttributeValue]:
    for term in terms:
        found = _equality(term, (schema.hash_name,))
        if found is not None:
            return [to_value(found[1], parameters)]
    for term in terms:
        if (
            isinstance(term, ast.In)
            and not term.negated
            and isinstance(term.subject, ast.Path)
            and term.subject.root == schema.hash_name
            and not term.subject.steps
            and isinstance(term.options, ast.ListLit | ast.BagLit)
            and term.options.items
            and all(is_value(item) for item in term.options.items)
        ):
            return [to_value(item, parameters) for item in term.options.items]
    return []


def _range_condition(
    terms: list[ast.Expr], schema: KeySchema, parameters: list[AttributeValue]
) -> RangeCondition | None:
    name, kind = schema.range_name, schema.range_type

    def key_path(node: ast.Expr) -> bool:
        return isinstance(node, ast.Path) and node.root == name and not node.steps

    for term in terms:
        condition: RangeCondition | None = None
        if isinstance(term, ast.Binary) and term.op in _RANGE_OPERATORS:
            if key_path(term.left) and is_value(term.right):
                condition = RangeCondition(term.op, (to_value(term.right, parameters),))
            elif key_path(term.right) and is_value(term.left):
                value = to_value(term.left, parameters)
                condition = RangeCondition(_MIRRORED[term.op], (value,))
        elif isinstance(term, ast.Between) and not term.negated and key_path(term.subject):
            if is_value(term.low) and is_value(term.high):
                bounds = (to_value(term.low, parameters), to_value(term.high, parameters))
                condition = RangeCondition("BETWEEN", bounds)
        elif (
            isinstance(term, ast.Call)
            and term.name.lower() == "begins_with"
            and len(term.args) == 2
            and key_path(term.args[0])
            and is_value(term.args[1])
        ):
            condition = RangeCondition("begins_with", (to_value(term.args[1], parameters),))
        if condition is None or (condition.op == "begins_with" and kind == "N"):
            continue
        if all(next(iter(v)) == kind for v in condition.values):
            return condition
    return None
