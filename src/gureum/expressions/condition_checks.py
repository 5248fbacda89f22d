"""Checks of Condition-, Filter- and KeyConditionExpressions that need names and values.

``check_condition`` returns DynamoDB's message (without the "Invalid ...Expression: " prefix)
for the first error, or None. Precedence mirrors DynamoDB (as recorded by dynalite's tests
against AWS): redundant parentheses, then unknown functions, misused functions, reserved
words; then the first primitive condition with a problem, where an undefined placeholder
beats an operand count, which beats a non-distinct operand, which beats an operand type.
"""

from __future__ import annotations

from typing import Any

from .ast import (
    And,
    Between,
    Compare,
    Cond,
    ConditionAst,
    Func,
    In,
    NameRef,
    Not,
    Operand,
    Or,
    Path,
    ValueRef,
)
from .reserved_words import RESERVED_WORDS
from .resolve import (
    CONDITION_FUNCTIONS,
    ORDERING,
    UPDATE_FUNCTIONS,
    Names,
    Values,
    count_error,
    misused,
    needs_path,
    not_allowed,
    path_text,
    render_value,
    type_error,
    undefined_name,
    undefined_value,
)
from .values import ALL_TYPES, ORDERABLE, compare, type_of


class _Local:
    """Errors found inside one primitive condition, by category."""

    __slots__ = ("count", "distinct", "function", "placeholder")

    def __init__(self) -> None:
        self.placeholder: str | None = None
        self.count: str | None = None
        self.distinct: str | None = None
        self.function: str | None = None

    def first(self) -> str | None:
        return self.placeholder or self.count or self.distinct or self.function


class _ConditionChecker:
    def __init__(self, names: Names, values: Values) -> None:
        self.names = names
        self.values = values
        self.unknown: str | None = None
        self.misused: str | None = None
        self.reserved: str | None = None
        self.condition: str | None = None

    def run(self, root: Cond) -> str | None:
        self.cond(root)
        return self.unknown or self.misused or self.reserved or self.condition

    def cond(self, node: Cond) -> None:
        if isinstance(node, (And, Or)):
            for item in node.items:
                self.cond(item)
        elif isinstance(node, Not):
            self.cond(node.item)
        else:
            if isinstance(node, Func) and node.name == "size" and self.misused is None:
                self.misused = misused("size")
            self.primitive(node)

    def primitive(self, node: Compare | Between | In | Func) -> None:
        local = _Local()
        if isinstance(node, Func):
            self.function(node, local)
        elif isinstance(node, Compare):
            self.operand(node.left, local)
            self.operand(node.right, local)
            left, right = self.bound(node.left), self.bound(node.right)
            if left is not None and left == right:
                local.distinct = local.distinct or (
                    "The first operand must be distinct from the remaining operands for this "
                    f"operator or function; operator: {node.op}, first operand: {path_text(left)}"
                )
            if node.op in ORDERING:
                self.orderable(node.op, (node.left, node.right), local)
        elif isinstance(node, Between):
            for operand in (node.subject, node.low, node.high):
                self.operand(operand, local)
            self.orderable("BETWEEN", (node.subject, node.low, node.high), local)
            self.between_bounds(node.low, node.high, local)
        else:
            self.operand(node.subject, local)
            for option in node.options:
                self.operand(option, local)
        if self.condition is None:
            self.condition = local.first()

    def bound(self, operand: Operand) -> tuple[Any, ...] | None:
        if not isinstance(operand, Path):
            return None
        return tuple(self.names.get(e.name) if isinstance(e, NameRef) else e for e in operand.elems)

    def operand(self, node: Operand, local: _Local) -> None:
        """An operand position: paths, values, and functions used as values."""
        if isinstance(node, Path):
            self.path(node, local)
        elif isinstance(node, ValueRef):
            if node.name not in self.values and local.placeholder is None:
                local.placeholder = undefined_value(node.name)
        else:
            if node.name != "size" and self.misused is None:
                self.misused = misused(node.name)
            self.function(node, local)

    def path(self, node: Path, local: _Local) -> None:
        for elem in node.elems:
            if isinstance(elem, str):
                if self.reserved is None and elem.upper() in RESERVED_WORDS:
                    self.reserved = (
                        f"Attribute name is a reserved keyword; reserved keyword: {elem}"
                    )
            elif (
                isinstance(elem, NameRef)
                and elem.name not in self.names
                and local.placeholder is None
            ):
                local.placeholder = undefined_name(elem.name)

    def static_type(self, node: Operand) -> str | None:
        """The type an operand is known to have before reading any item."""
        if isinstance(node, ValueRef):
            value = self.values.get(node.name)
            return None if value is None else type_of(value)
        if isinstance(node, Func):
            if node.name == "size":
                return "N"
            return "BOOL" if node.name in CONDITION_FUNCTIONS else None
        return None

    def function(self, node: Func, local: _Local) -> None:
        for arg in node.args:
            self.operand(arg, local)
        name = node.name
        expected = CONDITION_FUNCTIONS.get(name)
        if expected is None:
            if self.unknown is None:
                self.unknown = (
                    not_allowed(name, "a condition")
                    if name in UPDATE_FUNCTIONS
                    else f"Invalid function name; function: {name}"
                )
            return
        if len(node.args) != expected:
            local.count = local.count or count_error(name, len(node.args))
            return
        if expected == 2:
            first, second = self.bound(node.args[0]), self.bound(node.args[1])
            if first is not None and first == second:
                local.distinct = local.distinct or (
                    "The first operand must be distinct from the remaining operands for this "
                    f"operator or function; operator: {name}, first operand: {path_text(first)}"
                )
        if local.function is not None:
            return
        if name in ("attribute_exists", "attribute_not_exists"):
            if not isinstance(node.args[0], Path):
                local.function = needs_path(name)
        elif name == "begins_with":
            for arg in node.args:
                kind = self.static_type(arg)
                if kind is not None and kind not in ("S", "B"):
                    local.function = type_error(name, kind)
                    return
        elif name == "attribute_type":
            arg = node.args[1]
            kind = self.static_type(arg)
            if kind != "S":
                shown = kind or "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"
                if kind is not None or not isinstance(arg, ValueRef):
                    local.function = type_error(name, shown)
                return
            type_name = self.values[arg.name]["S"]  # type: ignore[union-attr]
            if type_name not in ALL_TYPES:
                local.function = (
                    f"Invalid attribute type name found; type: {type_name}, "
                    "valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"
                )
        elif name == "size":
            kind = self.static_type(node.args[0])
            if kind in ("N", "BOOL", "NULL"):
                local.function = type_error(name, kind)

    def orderable(self, op: str, operands: tuple[Operand, ...], local: _Local) -> None:
        if local.function is not None:
            return
        for operand in operands:
            if isinstance(operand, ValueRef):
                kind = self.static_type(operand)
                if kind is not None and kind not in ORDERABLE:
                    local.function = type_error(op, kind)
                    return

    def between_bounds(self, low: Operand, high: Operand, local: _Local) -> None:
        if local.function is not None:
            return
        if not isinstance(low, ValueRef) or not isinstance(high, ValueRef):
            return
        lower, upper = self.values.get(low.name), self.values.get(high.name)
        if lower is None or upper is None:
            return
        shown = (
            f"lower bound operand: {render_value(lower)}, "
            f"upper bound operand: {render_value(upper)}"
        )
        if type_of(lower) != type_of(upper):
            local.function = (
                "The BETWEEN operator requires same data type for lower and upper bounds; " + shown
            )
        elif (order := compare(lower, upper)) is not None and order > 0:
            local.function = (
                "The BETWEEN operator requires upper bound to be greater than or equal to lower "
                "bound; " + shown
            )


def check_condition(ast: ConditionAst, names: Names, values: Values) -> str | None:
    """First error of a Condition-, Filter- or KeyConditionExpression, without its prefix."""
    if ast.redundant_parens:
        return "The expression has redundant parentheses;"
    return _ConditionChecker(names, values).run(ast.root)
