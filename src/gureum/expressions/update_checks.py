"""Checks of UpdateExpressions and ProjectionExpressions that need names and values.

Each returns DynamoDB's message (without the "Invalid ...Expression: " prefix) for the first
error, or None. Update precedence (dynalite's record of AWS): reserved word, unknown function,
repeated section, undefined name, undefined value, overlapping then conflicting paths,
ADD/DELETE operand type, function misuse or operand type.
"""

from __future__ import annotations

from .ast import (
    Action,
    AddAction,
    Arith,
    DeleteAction,
    Func,
    NameRef,
    Operand,
    Path,
    ProjectionAst,
    SetAction,
    SetValue,
    UpdateAst,
    ValueRef,
)
from .reserved_words import RESERVED_WORDS
from .resolve import (
    CONDITION_FUNCTIONS,
    LONG_TYPE,
    UPDATE_FUNCTIONS,
    Names,
    Values,
    bind_path,
    check_paths,
    count_error,
    misused,
    needs_path,
    not_allowed,
    type_error,
    undefined_name,
    undefined_value,
)
from .values import type_of


class _UpdateChecker:
    def __init__(self, names: Names, values: Values) -> None:
        self.names = names
        self.values = values
        self.reserved: str | None = None
        self.unknown: str | None = None
        self.name: str | None = None
        self.value: str | None = None
        self.function: str | None = None

    def path(self, node: Path) -> None:
        for elem in node.elems:
            if isinstance(elem, str):
                if self.reserved is None and elem.upper() in RESERVED_WORDS:
                    self.reserved = (
                        f"Attribute name is a reserved keyword; reserved keyword: {elem}"
                    )
            elif isinstance(elem, NameRef) and elem.name not in self.names and self.name is None:
                self.name = undefined_name(elem.name)

    def value_ref(self, node: ValueRef) -> None:
        if node.name not in self.values and self.value is None:
            self.value = undefined_value(node.name)

    def immediate_type(self, node: Operand) -> str | None:
        if isinstance(node, ValueRef) and node.name in self.values:
            return type_of(self.values[node.name])
        return None

    def operand(self, node: Operand, nested: bool) -> None:
        if isinstance(node, Path):
            self.path(node)
        elif isinstance(node, ValueRef):
            self.value_ref(node)
        else:
            for arg in node.args:
                self.operand(arg, True)
            self.func(node, nested)

    def func(self, node: Func, nested: bool) -> None:
        name = node.name
        expected = UPDATE_FUNCTIONS.get(name)
        if expected is None:
            if self.unknown is None:
                self.unknown = (
                    not_allowed(name, "an update")
                    if name in CONDITION_FUNCTIONS
                    else f"Invalid function name; function: {name}"
                )
            return
        if self.function is not None:
            return
        if len(node.args) != expected:
            self.function = count_error(name, len(node.args))
        elif name == "if_not_exists":
            if not isinstance(node.args[0], Path):
                self.function = needs_path(name)
        elif nested:
            self.function = misused(name)
        else:
            self.arith_or_append(name, node.args, "L")

    def arith_or_append(self, name: str, args: tuple[Operand, ...], wanted: str) -> None:
        for arg in args:
            kind = self.immediate_type(arg)
            if kind is not None and kind != wanted:
                self.function = type_error(name, kind)
                return

    def set_value(self, node: SetValue) -> None:
        if isinstance(node, Arith):
            self.operand(node.left, False)
            self.operand(node.right, False)
            if self.function is None:
                self.arith_or_append(node.op, (node.left, node.right), "N")
        else:
            self.operand(node, False)


def check_update(ast: UpdateAst, names: Names, values: Values) -> str | None:
    """First error of an UpdateExpression, without its prefix."""
    checker = _UpdateChecker(names, values)
    operand_error: str | None = None
    for action in ast.actions:
        checker.path(action.path)
        if isinstance(action, SetAction):
            checker.set_value(action.value)
        elif isinstance(action, (AddAction, DeleteAction)):
            checker.value_ref(action.value)
            value = values.get(action.value.name)
            if value is not None and operand_error is None:
                operand_error = _set_operand_error(action, type_of(value))
    first = checker.reserved or checker.unknown
    if first is None and ast.repeated_section is not None:
        first = (
            f'The "{ast.repeated_section}" section can only be used once in an update expression;'
        )
    first = first or checker.name or checker.value
    if first is not None:
        return first
    paths = [bind_path(action.path, names) for action in ast.actions]
    return check_paths(paths) or operand_error or checker.function


def _set_operand_error(action: Action, kind: str) -> str | None:
    allowed = ("N", "SS", "NS", "BS") if isinstance(action, AddAction) else ("SS", "NS", "BS")
    if kind in allowed:
        return None
    operator = "ADD" if isinstance(action, AddAction) else "DELETE"
    return (
        "Incorrect operand type for operator or function; "
        f"operator: {operator}, operand type: {LONG_TYPE.get(kind, kind)}"
    )


def check_projection(ast: ProjectionAst, names: Names) -> str | None:
    """First error of a ProjectionExpression, without its prefix."""
    checker = _UpdateChecker(names, {})
    for path in ast.paths:
        checker.path(path)
    first = checker.reserved or checker.name
    if first is not None:
        return first
    return check_paths([bind_path(path, names) for path in ast.paths])
