"""The constraints expressions put on their ``:values``, checked on every warm request.

They mirror the value-dependent checks of ``condition_checks`` and ``update_checks``: when
``values_ok`` is False the compiler reruns the full validation for DynamoDB's exact message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .ast import (
    AddAction,
    And,
    Arith,
    Between,
    Compare,
    Cond,
    DeleteAction,
    Func,
    In,
    Not,
    Operand,
    Or,
    SetAction,
    SetValue,
    UpdateAst,
    ValueRef,
)
from .resolve import ORDERING
from .values import ALL_TYPES, AV, ORDERABLE, compare, type_of

if TYPE_CHECKING:
    from collections.abc import Callable

Values = dict[str, AV]

_NOT_SIZED = frozenset(("N", "BOOL", "NULL"))
_ADDABLE = frozenset(("N", "SS", "NS", "BS"))
_DELETABLE = frozenset(("SS", "NS", "BS"))


class ValueRules:
    """The constraints an expression puts on its ``:values`` (mirrors ``resolve``)."""

    def __init__(self) -> None:
        self.allowed: dict[str, frozenset[str]] = {}
        self.type_names: set[str] = set()
        self.ranges: list[tuple[str, str]] = []

    def allow(self, node: Operand, types: frozenset[str]) -> None:
        if isinstance(node, ValueRef):
            previous = self.allowed.get(node.name, ALL_TYPES)
            self.allowed[node.name] = previous & types

    def condition(self, node: Cond) -> None:
        if isinstance(node, (And, Or)):
            for item in node.items:
                self.condition(item)
        elif isinstance(node, Not):
            self.condition(node.item)
        elif isinstance(node, Compare):
            for operand in (node.left, node.right):
                self.operand(operand)
                if node.op in ORDERING:
                    self.allow(operand, ORDERABLE)
        elif isinstance(node, Between):
            for operand in (node.subject, node.low, node.high):
                self.operand(operand)
                self.allow(operand, ORDERABLE)
            if isinstance(node.low, ValueRef) and isinstance(node.high, ValueRef):
                self.ranges.append((node.low.name, node.high.name))
        elif isinstance(node, In):
            for operand in (node.subject, *node.options):
                self.operand(operand)
        else:
            self.operand(node)

    def operand(self, node: Operand) -> None:
        if not isinstance(node, Func):
            return
        for arg in node.args:
            self.operand(arg)
        if node.name == "begins_with":
            for arg in node.args:
                self.allow(arg, frozenset(("S", "B")))
        elif node.name == "size":
            self.allow(node.args[0], ALL_TYPES - _NOT_SIZED)
        elif node.name == "attribute_type":
            arg = node.args[1]
            if isinstance(arg, ValueRef):
                self.allow(arg, frozenset(("S",)))
                self.type_names.add(arg.name)

    def update(self, ast: UpdateAst) -> None:
        for action in ast.actions:
            if isinstance(action, AddAction):
                self.allow(action.value, _ADDABLE)
            elif isinstance(action, DeleteAction):
                self.allow(action.value, _DELETABLE)
            elif isinstance(action, SetAction):
                self.set_value(action.value)

    def set_value(self, node: SetValue) -> None:
        if isinstance(node, Arith):
            for operand in (node.left, node.right):
                self.allow(operand, frozenset(("N",)))
                self.set_value(operand)
        elif isinstance(node, Func) and node.name == "list_append":
            for arg in node.args:
                self.allow(arg, frozenset(("L",)))

    def compile(self, used: frozenset[str]) -> Callable[[Values], bool]:
        allowed = tuple((key, types) for key, types in self.allowed.items() if types != ALL_TYPES)
        type_names = tuple(self.type_names)
        ranges = tuple(self.ranges)

        def values_ok(values: Values) -> bool:
            if values.keys() != used:
                return False
            for key, types in allowed:
                if type_of(values[key]) not in types:
                    return False
            for key in type_names:
                if values[key]["S"] not in ALL_TYPES:
                    return False
            for low, high in ranges:
                lower, upper = values[low], values[high]
                if type_of(lower) != type_of(upper):
                    return False
                order = compare(lower, upper)
                if order is not None and order > 0:
                    return False
            return True

        return values_ok
