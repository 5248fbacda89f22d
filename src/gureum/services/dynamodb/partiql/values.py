"""PartiQL values as DynamoDB attribute values: statement literals and ``?`` parameters.

A literal becomes the AttributeValue it denotes ('s' -> S, 5 -> N, TRUE -> BOOL, NULL ->
NULL, [..] -> L, {..} -> M, <<..>> -> SS or NS); a number DynamoDB cannot store is refused
with its usual text and the place it sits in the value (``under root``, ``under root.x``,
``under root[1]``). Parameters arrive as AttributeValues and are checked as values of a
request, in order, before anything else looks at them.
"""

from __future__ import annotations

import re
from typing import Any

from gureum.expressions import ExpressionError, normalize_number
from gureum.partiql import ParsedStatement, PartiQLError, ast, parse_statement
from gureum.partiql.errors import BAG_TYPES, EMPTY_BAG, MISSING_VALUE
from gureum.services.dynamodb import errors
from gureum.services.dynamodb.attributes import check_value
from gureum.services.dynamodb.limits import MAX_NESTING_DEPTH

AttributeValue = dict[str, Any]

PARAMETER_COUNT = "Number of parameters in request and statement don't match."
_EXPONENT = re.compile(r"[eE]([+-]?[0-9]+)$")
_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
VALUE_NODES = (
    ast.StringLit,
    ast.NumberLit,
    ast.BoolLit,
    ast.NullLit,
    ast.Param,
    ast.ListLit,
    ast.BagLit,
    ast.TupleLit,
)


def prepare(statement: str, parameters: list[AttributeValue]) -> ParsedStatement:
    """The parsed statement, and its parameters checked against it: as many as its ``?``,
    each a valid value (numbers normalized in place), in order."""
    parsed = parse_statement(statement)
    if len(parameters) != parsed.parameters:
        raise PartiQLError(PARAMETER_COUNT)
    for value in parameters:
        unreadable = _unreadable_number(value, 2)
        if isinstance(unreadable, str):  # a value's error, as check_value's: never prefixed
            raise errors.invalid(
                f"The parameter cannot be converted to a numeric value: {unreadable}"
            )
        check_value(value)
    return parsed


class _OtherProblem:
    """A problem of a parameter that the value rules report."""


_OTHER = _OtherProblem()


def _unreadable_number(value: Any, depth: int) -> str | _OtherProblem | None:
    """The parameter's first problem in document order when it is a number DynamoDB cannot
    read at all: an exponent beyond a 32-bit integer (it reads parameters as Java
    BigDecimals); ``_OTHER`` when the first problem is another one."""
    if not isinstance(value, dict) or len(value) != 1:
        return _OTHER
    ((kind, content),) = value.items()
    if kind in ("M", "L"):
        if depth > MAX_NESTING_DEPTH:
            return _OTHER
        for child in content.values() if kind == "M" else content:
            found = _unreadable_number(child, depth + 1)
            if found is not None:
                return found
        return None
    for text in [content] if kind == "N" else content if kind == "NS" else []:
        match = _EXPONENT.search(text)
        if match is not None and not _fits_int32(match.group(1)):
            return str(text)
        try:
            normalize_number(text)
        except ExpressionError:
            return _OTHER
    return None


def _fits_int32(digits: str) -> bool:
    """Whether a signed digit string is a 32-bit integer (without reading a huge one)."""
    magnitude = digits.lstrip("+-").lstrip("0")
    return len(magnitude) <= 10 and _INT32_MIN <= int(digits) <= _INT32_MAX


def is_value(node: ast.Expr) -> bool:
    return isinstance(node, VALUE_NODES)


def to_value(
    node: ast.Expr, parameters: list[AttributeValue], where: str = "root"
) -> AttributeValue:
    """The AttributeValue a literal or parameter stands for (``where``: its place, for the
    messages)."""
    if isinstance(node, ast.Param):
        return parameters[node.index]
    value = _literal(node, parameters, where)
    check_value(value)  # nesting depth, duplicate set members: DynamoDB's value rules
    return value


def _literal(node: ast.Expr, parameters: list[AttributeValue], where: str) -> AttributeValue:
    if isinstance(node, ast.StringLit):
        return {"S": node.value}
    if isinstance(node, ast.NumberLit):
        return {"N": _number(node.text, where)}
    if isinstance(node, ast.BoolLit):
        return {"BOOL": node.value}
    if isinstance(node, ast.NullLit):
        return {"NULL": True}
    if isinstance(node, ast.Param):
        return parameters[node.index]
    if isinstance(node, ast.ListLit):
        return {
            "L": [_literal(item, parameters, f"{where}[{i}]") for i, item in enumerate(node.items)]
        }
    if isinstance(node, ast.TupleLit):
        return {"M": tuple_map(node, parameters, where)}
    if isinstance(node, ast.BagLit):
        return _bag(node, where)
    if isinstance(node, ast.MissingLit):
        raise PartiQLError(MISSING_VALUE)
    raise PartiQLError(f"Unsupported data type: {describe(node)} under key {where}")


def tuple_map(
    node: ast.TupleLit, parameters: list[AttributeValue], where: str, item: bool = False
) -> dict[str, AttributeValue]:
    """A map literal's members; DynamoDB names the place of an INSERT item's own members
    ``root`` (``item``), of a nested map's ``root.key``."""
    out: dict[str, AttributeValue] = {}
    for key_node, value_node in node.fields:
        if not isinstance(key_node, ast.StringLit):
            raise PartiQLError(
                f"Tuple keys must be of type String. Actual type: {describe(key_node)} "
                f"under {where}"
            )
        key = key_node.value
        if key in out:
            raise PartiQLError(f"Duplicate keys in tuple. Key: {key} under {where}")
        if not is_value(value_node):
            message = f"Unsupported data type: {describe(value_node)} under key {where}"
            position = getattr(value_node, "pos", None)
            raise PartiQLError(message + (position.suffix if position is not None else ""))
        out[key] = _literal(value_node, parameters, where if item else f"{where}.{key}")
    return out


def _bag(node: ast.BagLit, where: str) -> AttributeValue:
    if not node.items:
        raise PartiQLError(EMPTY_BAG)
    if all(isinstance(item, ast.StringLit) for item in node.items):
        return {"SS": [item.value for item in node.items if isinstance(item, ast.StringLit)]}
    if all(isinstance(item, ast.NumberLit) for item in node.items):
        return {
            "NS": [
                _number(item.text, where) for item in node.items if isinstance(item, ast.NumberLit)
            ]
        }
    raise PartiQLError(BAG_TYPES)


def _number(text: str, where: str) -> str:
    try:
        return normalize_number(text)
    except ExpressionError as exc:
        raise PartiQLError(f"{exc.message} under {where}") from None


# How DynamoDB names the expressions it did not expect, by kind
_KIND_NAMES: dict[type[ast.Expr], str] = {
    ast.Path: "PATH",
    ast.TupleLit: "STRUCT",
    ast.ListLit: "LIST",
    ast.BagLit: "BAG",
    ast.Param: "PARAMETER",
    ast.NumberLit: "DECIMAL",
    ast.BoolLit: "BOOL",
    ast.NullLit: "NULL",
}


def describe(node: ast.Expr) -> str:
    """How DynamoDB names an expression it did not expect (a function or operator by its
    name)."""
    if isinstance(node, ast.Call):
        return node.name.lower()
    if isinstance(node, ast.Binary):
        return node.op.lower()
    return _KIND_NAMES.get(type(node), "UNKNOWN")
