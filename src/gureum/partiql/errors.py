"""The one error this package raises, and DynamoDB's texts for a statement it refuses.

Every ``PartiQLError`` becomes a ValidationException whose message is ``message`` verbatim.
DynamoDB appends the statement position (``at <line>:<column>:<length>``, counted in
characters from 1) to some of its texts; ``Position.suffix`` renders it.
"""

from __future__ import annotations

from dataclasses import dataclass

NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: "

# Details after NOT_WELL_FORMED, as DynamoDB words them.
LEFTOVER = "Unexpected token after expression"
UNEXPECTED_TERM = "Unexpected term"
UNEXPECTED_KEYWORD = "Unexpected keyword"
UNEXPECTED_OPERATOR = "Unexpected operator"
MISSING_RIGHT_HAND_SIDE = "Missing right-hand side expression of infix operator"
EXPECTED_SIMPLE_PATH = "Expected identifier for simple path"
EXPECTED_TYPE_NAME = "Expected type name"
EXPECTED_DATA_MANIPULATION = "Expected data manipulation"
INVALID_PATH_DOT = "Invalid path dot component"

# Statements that parse but that DynamoDB's PartiQL does not run.
ALIASING = "Aliasing is not supported"
EMPTY_BAG = "Empty bags are not supported"
BAG_TYPES = "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"
MISSING_VALUE = "MISSING must be compared using IS operator"
STAR_AND_OTHERS = "Other attributes should not be present in the projection when '*' is used."
RETURNING_NOT_STAR = "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"
RETURNING_IN_INSERT = "RETURNING is not supported in INSERT"
UNEXPECTED_PATH_COMPONENT = "Unexpected path component"
EMPTY_PATH_COMPONENT = "Path component cannot be an empty string"
WILDCARD_PATH = "Wildcard path component like a[*].b are not supported"
UNPIVOT_PATH = "Unpivot path component like a.*.b are not supported"
TOO_MANY_FROM_COMPONENTS = "A path may contain at most 2 components in the FROM clause"
INVALID_TABLE_NAME = (
    "Table name should be within the length [3, 255] and only contain "
    "'a-z', 'A-Z', '0-9', '-', '_', '.'."
)
INSERT_FORMAT = (
    "Unsupported format in item expression. Please use struct format {...} to express item "
    "values for insert statement."
)
IS_OPERAND = "The left hand side argument to IS must be a Variable Reference, Literal, or Path"
IS_IN_UPDATE = "IS operator is not supported in update expressions"
WHERE_NOT_BOOLEAN = "WHERE clause must contain an expression that resolves to a boolean"
NOT_OPERAND = "The argument to NOT must be a Type or Expression"
AND_OR_OPERANDS = "The arguments to AND/OR must be Expressions"
IN_OPERANDS = (
    "IN operator must have a left hand argument of type Variable Reference and right hand "
    "argument of type Seq with at least one member"
)
UNSUPPORTED_IS_TYPE = (
    "Unsupported data type for IS operator: {}. Supported data types are "
    "[MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]"
)


@dataclass(frozen=True, slots=True)
class Position:
    """Where a token starts in the statement (1-based line and column) and its length."""

    line: int
    column: int
    length: int

    @property
    def suffix(self) -> str:
        return f" at {self.line}:{self.column}:{self.length}"


class PartiQLError(Exception):
    """A statement DynamoDB refuses; ``message`` is its full ValidationException text."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def not_well_formed(detail: str) -> PartiQLError:
    return PartiQLError(NOT_WELL_FORMED + detail)


def at(message: str, position: Position | None) -> PartiQLError:
    """``message`` with DynamoDB's position suffix (when the position is known)."""
    return PartiQLError(message + (position.suffix if position is not None else ""))
