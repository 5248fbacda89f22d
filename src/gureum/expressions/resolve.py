"""Binding of ``#name`` / ``:value`` placeholders: the maps themselves, path binding, paths
that overlap or conflict, unused placeholders, and the message texts shared by the checks in
``condition_checks`` and ``update_checks``.
"""

from __future__ import annotations

import re
from typing import Any

from .ast import (
    And,
    Arith,
    Between,
    Compare,
    ConditionAst,
    Func,
    In,
    NameRef,
    Not,
    Or,
    Path,
    ProjectionAst,
    RemoveAction,
    SetAction,
    UpdateAst,
    ValueRef,
)
from .errors import ExpressionError
from .values import AV, type_of

BoundPath = tuple[str | int, ...]
Names = dict[str, str]
Values = dict[str, AV]

CONDITION_FUNCTIONS = {
    "attribute_exists": 1,
    "attribute_not_exists": 1,
    "attribute_type": 2,
    "begins_with": 2,
    "contains": 2,
    "size": 1,
}
UPDATE_FUNCTIONS = {"if_not_exists": 2, "list_append": 2}
ORDERING = frozenset(("<", "<=", ">", ">="))
LONG_TYPE = {
    "S": "STRING",
    "N": "NUMBER",
    "B": "BINARY",
    "NULL": "NULL",
    "BOOL": "BOOLEAN",
    "L": "LIST",
    "M": "MAP",
}
_NAME_KEY = re.compile(r"#[0-9A-Za-z_]+")
_VALUE_KEY = re.compile(r":[0-9A-Za-z_]+")
MAX_NAME_BYTES = 65535


def check_names_map(names: Names | None) -> None:
    """ExpressionAttributeNames itself: not empty, well-formed keys, usable names."""
    if names is None:
        return
    if not names:
        raise ExpressionError("ExpressionAttributeNames must not be empty")
    for key, name in names.items():
        if _NAME_KEY.fullmatch(key) is None:
            raise ExpressionError(
                f'ExpressionAttributeNames contains invalid key: Syntax error; key: "{key}"'
            )
        if name == "":
            raise ExpressionError(
                f"ExpressionAttributeNames contains invalid value: Empty attribute name "
                f"for key {key}"
            )
        if len(name) > MAX_NAME_BYTES // 4 and len(name.encode()) > MAX_NAME_BYTES:
            raise ExpressionError(
                f"ExpressionAttributeNames contains invalid value: Attribute name is too "
                f"large, must be less than 65536 bytes for key {key}"
            )


def check_values_map(values: Values | None) -> None:
    """ExpressionAttributeValues keys (the values themselves the service has validated)."""
    if values is None:
        return
    if not values:
        raise ExpressionError("ExpressionAttributeValues must not be empty")
    for key in values:
        if _VALUE_KEY.fullmatch(key) is None:
            raise ExpressionError(
                f'ExpressionAttributeValues contains invalid key: Syntax error; key: "{key}"'
            )


def bind_path(path: Path, names: Names) -> BoundPath:
    """The path with ``#name`` placeholders replaced (all must be defined)."""
    return tuple(names[e.name] if isinstance(e, NameRef) else e for e in path.elems)


def path_text(path: BoundPath) -> str:
    """DynamoDB's rendering of a document path in messages: ``[a, b, [3]]``."""
    parts = (f"[{e}]" if isinstance(e, int) else e for e in path)
    return "[" + ", ".join(parts) + "]"


def render_value(value: AV) -> str:
    kind = type_of(value)
    return f"AttributeValue: {{{kind}:{value[kind]}}}"


def not_allowed(function: str, context: str) -> str:
    return f"The function is not allowed in {context} expression; function: {function}"


def type_error(function: str, operand_type: str) -> str:
    return (
        "Incorrect operand type for operator or function; "
        f"operator or function: {function}, operand type: {operand_type}"
    )


def count_error(function: str, count: int) -> str:
    return (
        "Incorrect number of operands for operator or function; "
        f"operator or function: {function}, number of operands: {count}"
    )


def misused(function: str) -> str:
    return f"The function is not allowed to be used this way in an expression; function: {function}"


def needs_path(function: str) -> str:
    return f"Operator or function requires a document path; operator or function: {function}"


def undefined_name(name: str) -> str:
    return (
        "An expression attribute name used in the document path is not defined; "
        f"attribute name: {name}"
    )


def undefined_value(name: str) -> str:
    return (
        f"An expression attribute value used in expression is not defined; attribute value: {name}"
    )


def _relation(one: BoundPath, two: BoundPath) -> str | None:
    for a, b in zip(one, two, strict=False):
        if isinstance(a, int) != isinstance(b, int):
            return "conflict"
        if a != b:
            return None
    return "overlap"


def check_paths(paths: list[BoundPath]) -> str | None:
    """Overlapping (one contains the other) or conflicting (map key vs list index) paths.

    Any overlap is reported before any conflict.
    """
    conflict: str | None = None
    for index, path in enumerate(paths):
        for earlier in paths[:index]:
            relation = _relation(earlier, path)
            if relation is None:
                continue
            message = (
                f"Two document paths {relation} with each other; must remove or rewrite one of "
                f"these paths; path one: {path_text(earlier)}, path two: {path_text(path)}"
            )
            if relation == "overlap":
                return message
            conflict = conflict or message
    return conflict


def _collect(node: Any, names: set[str], values: set[str]) -> None:
    if isinstance(node, Path):
        names.update(e.name for e in node.elems if isinstance(e, NameRef))
    elif isinstance(node, ValueRef):
        values.add(node.name)
    elif isinstance(node, Func):
        for arg in node.args:
            _collect(arg, names, values)
    elif isinstance(node, (And, Or)):
        for item in node.items:
            _collect(item, names, values)
    elif isinstance(node, Not):
        _collect(node.item, names, values)
    elif isinstance(node, (Compare, Arith)):
        _collect(node.left, names, values)
        _collect(node.right, names, values)
    elif isinstance(node, Between):
        for part in (node.subject, node.low, node.high):
            _collect(part, names, values)
    elif isinstance(node, In):
        _collect(node.subject, names, values)
        for option in node.options:
            _collect(option, names, values)
    elif isinstance(node, ConditionAst):
        _collect(node.root, names, values)
    elif isinstance(node, UpdateAst):
        for action in node.actions:
            _collect(action.path, names, values)
            if isinstance(action, SetAction):
                _collect(action.value, names, values)
            elif not isinstance(action, RemoveAction):
                values.add(action.value.name)
    elif isinstance(node, ProjectionAst):
        for path in node.paths:
            _collect(path, names, values)


def _walk_paths(node: Any, found: list[Path]) -> None:
    if isinstance(node, Path):
        found.append(node)
    elif isinstance(node, Func):
        for arg in node.args:
            _walk_paths(arg, found)
    elif isinstance(node, (And, Or)):
        for item in node.items:
            _walk_paths(item, found)
    elif isinstance(node, Not):
        _walk_paths(node.item, found)
    elif isinstance(node, (Compare, Arith)):
        _walk_paths(node.left, found)
        _walk_paths(node.right, found)
    elif isinstance(node, Between):
        for part in (node.subject, node.low, node.high):
            _walk_paths(part, found)
    elif isinstance(node, In):
        for part in (node.subject, *node.options):
            _walk_paths(part, found)
    elif isinstance(node, ConditionAst):
        _walk_paths(node.root, found)
    elif isinstance(node, UpdateAst):
        for action in node.actions:
            found.append(action.path)
            if isinstance(action, SetAction):
                _walk_paths(action.value, found)
    elif isinstance(node, ProjectionAst):
        found.extend(node.paths)


def nested_heads(ast: Any, names: Names) -> frozenset[str]:
    """The top-level attributes a syntax tree looks inside (``a.b``, ``a[0]``), names bound."""
    found: list[Path] = []
    _walk_paths(ast, found)
    return frozenset(str(bind_path(path, names)[0]) for path in found if len(path.elems) > 1)


def references(asts: list[Any]) -> tuple[set[str], set[str]]:
    """The ``#names`` and ``:values`` the given syntax trees mention."""
    names: set[str] = set()
    values: set[str] = set()
    for ast in asts:
        _collect(ast, names, values)
    return names, values


def check_unused(names: Names | None, values: Values | None, asts: list[Any]) -> None:
    """Every supplied placeholder must be used by some expression of the request."""
    used_names, used_values = references(asts)
    if names:
        unused = [key for key in names if key not in used_names]
        if unused:
            raise ExpressionError(
                "Value provided in ExpressionAttributeNames unused in expressions: "
                f"keys: {{{', '.join(unused)}}}"
            )
    if values:
        unused = [key for key in values if key not in used_values]
        if unused:
            raise ExpressionError(
                "Value provided in ExpressionAttributeValues unused in expressions: "
                f"keys: {{{', '.join(unused)}}}"
            )
