"""Syntax trees of parsed expressions, before names and values are bound.

Path elements are ``str`` (a literal attribute name), ``NameRef`` (a ``#placeholder``) or
``int`` (a list index). Everything here is immutable and shared through the parse cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias


@dataclass(frozen=True, slots=True)
class NameRef:
    name: str  # "#x"


PathElem: TypeAlias = "str | NameRef | int"


@dataclass(frozen=True, slots=True)
class Path:
    elems: tuple[PathElem, ...]


@dataclass(frozen=True, slots=True)
class ValueRef:
    name: str  # ":x"


@dataclass(frozen=True, slots=True)
class Func:
    name: str
    args: tuple[Operand, ...]


Operand: TypeAlias = "Path | ValueRef | Func"


@dataclass(frozen=True, slots=True)
class Compare:
    op: str  # = <> < <= > >=
    left: Operand
    right: Operand


@dataclass(frozen=True, slots=True)
class Between:
    subject: Operand
    low: Operand
    high: Operand


@dataclass(frozen=True, slots=True)
class In:
    subject: Operand
    options: tuple[Operand, ...]


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Cond, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Cond


# A Func is a condition when it stands alone (attribute_exists(a)), an operand otherwise.
Cond: TypeAlias = "Compare | Between | In | And | Or | Not | Func"
CONDITION_NODES = (Compare, Between, In, And, Or, Not)


@dataclass(frozen=True, slots=True)
class Arith:
    op: str  # + or -
    left: Operand
    right: Operand


SetValue: TypeAlias = "Operand | Arith"


@dataclass(frozen=True, slots=True)
class SetAction:
    path: Path
    value: SetValue


@dataclass(frozen=True, slots=True)
class RemoveAction:
    path: Path


@dataclass(frozen=True, slots=True)
class AddAction:
    path: Path
    value: ValueRef


@dataclass(frozen=True, slots=True)
class DeleteAction:
    path: Path
    value: ValueRef


Action: TypeAlias = "SetAction | RemoveAction | AddAction | DeleteAction"


@dataclass(frozen=True, slots=True)
class UpdateAst:
    actions: tuple[Action, ...]  # in source order
    repeated_section: str | None  # first section keyword seen twice, e.g. "SET"


@dataclass(frozen=True, slots=True)
class ConditionAst:
    root: Cond
    redundant_parens: bool


@dataclass(frozen=True, slots=True)
class ProjectionAst:
    paths: tuple[Path, ...]
