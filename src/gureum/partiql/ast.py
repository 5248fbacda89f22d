"""The trees the parser builds: expressions, and the five statements DynamoDB runs.

Nodes that DynamoDB reports errors against carry the ``Position`` of their first token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import Position

# -- expressions -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Path:
    """``a``, ``"a"``, ``a.b[2]``, ``a['b']``: a root name and map-key / list-index steps."""

    root: str
    steps: tuple[str | int, ...]
    pos: Position


@dataclass(frozen=True, slots=True)
class StringLit:
    value: str


@dataclass(frozen=True, slots=True)
class NumberLit:
    text: str  # as written, sign included


@dataclass(frozen=True, slots=True)
class BoolLit:
    value: bool


@dataclass(frozen=True, slots=True)
class NullLit:
    pass


@dataclass(frozen=True, slots=True)
class MissingLit:
    pass


@dataclass(frozen=True, slots=True)
class Param:
    """The ``index``-th ``?`` of the statement (from 0)."""

    index: int


@dataclass(frozen=True, slots=True)
class ListLit:
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class BagLit:
    """``<<...>>``: a string or number set."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class TupleLit:
    """``{'k': v, ...}``: a map; keys are expressions (DynamoDB wants string literals)."""

    fields: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True, slots=True)
class Call:
    name: str  # as written
    args: tuple[Expr, ...]
    pos: Position


@dataclass(frozen=True, slots=True)
class Binary:
    """Comparison (``= <> < <= > >=``), arithmetic (``+ - * / % ||``), ``AND``, ``OR``,
    ``LIKE``. ``op`` is upper case; ``!=`` is read as ``<>``."""

    op: str
    left: Expr
    right: Expr
    pos: Position


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr


@dataclass(frozen=True, slots=True)
class Negate:
    """Unary minus of something that is not a number literal."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class Between:
    subject: Expr
    low: Expr
    high: Expr
    negated: bool
    pos: Position


@dataclass(frozen=True, slots=True)
class In:
    subject: Expr
    options: Expr
    negated: bool
    pos: Position


@dataclass(frozen=True, slots=True)
class IsType:
    """``x IS [NOT] MISSING | NULL | STRING | ...``; ``type_name`` upper case."""

    subject: Expr
    type_name: str
    negated: bool
    pos: Position


Literal = StringLit | NumberLit | BoolLit | NullLit | MissingLit
Expr = (
    Path
    | Literal
    | Param
    | ListLit
    | BagLit
    | TupleLit
    | Call
    | Binary
    | Not
    | Negate
    | Between
    | In
    | IsType
)

# -- statements --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Returning:
    """``RETURNING (ALL | MODIFIED) (OLD | NEW) *``; ``mode`` is e.g. ``"MODIFIED OLD"``."""

    mode: str

    @property
    def return_values(self) -> str:
        """The ReturnValues of UpdateItem / DeleteItem it stands for."""
        return self.mode.replace("MODIFIED", "UPDATED").replace(" ", "_")


@dataclass(frozen=True, slots=True)
class Select:
    projection: tuple[Path, ...] | None  # None: *
    table: str
    index: str | None
    where: Expr | None
    order_by: tuple[tuple[Path, bool], ...]  # (key, descending)


@dataclass(frozen=True, slots=True)
class Insert:
    table: str
    value: Expr
    returning: Returning | None


@dataclass(frozen=True, slots=True)
class SetAssign:
    target: Path
    value: Expr


@dataclass(frozen=True, slots=True)
class Remove:
    target: Path


@dataclass(frozen=True, slots=True)
class Update:
    table: str
    actions: tuple[SetAssign | Remove, ...]
    where: Expr | None
    returning: Returning | None


@dataclass(frozen=True, slots=True)
class Delete:
    table: str
    where: Expr | None
    returning: Returning | None


@dataclass(frozen=True, slots=True)
class Exists:
    """``EXISTS(SELECT ...)``: a condition check, only in ExecuteTransaction."""

    select: Select


Statement = Select | Insert | Update | Delete | Exists
