"""JSON types against shapes, as Coral's deserializer sees them; shared by every pass.

Which SerializationException a value of the wrong JSON type gets (its text depends on where the
value sits: ``FIELD``, ``ELEMENT`` or ``TOP``), Coral's coercions of leaf values (integers
truncated and wrapped like Java's, boolean words), and Java's ``String.length()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from gureum.core.errors import serialization_error
from gureum.wire import shape_messages as msg
from gureum.wire.shape_model import (
    K_ANY,
    K_BLOB,
    K_BOOL,
    K_DOUBLE,
    K_INT,
    K_LONG,
    K_STR,
    K_STRUCT,
    K_TIMESTAMP,
)

if TYPE_CHECKING:
    from gureum.core.errors import ServiceError
    from gureum.wire.shape_model import Shape

# Where a value sits decides some texts: a structure member, a list element or map value, or the
# whole body.
FIELD, ELEMENT, TOP = 0, 1, 2

INT_LIMIT: Final = {K_INT: 1 << 31, K_LONG: 1 << 63}
# The strings Coral reads as booleans, in any case (dynalite; {"NULL": "no"} reaches DynamoDB).
_BOOLEAN_WORDS: Final = {
    "TRUE": True,
    "YES": True,
    "1": True,
    "FALSE": False,
    "NO": False,
    "0": False,
}


def utf16_len(text: str) -> int:
    """Java's ``String.length()``: astral characters count twice."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def scalar_error(value: Any, shape: Shape) -> ServiceError:
    """What Coral says when ``value`` (not null) has the wrong JSON type for a leaf ``shape``."""
    if type(value) is dict:
        return serialization_error(msg.START_OF_STRUCTURE)
    if type(value) is list:
        return serialization_error(msg.unrecognized_collection(f"class {shape.java}"))
    if shape.kind == K_BLOB:
        return serialization_error(msg.NOT_BASE64)
    return serialization_error(msg.not_convertible(value, shape.simple))


def type_error(value: Any, shape: Shape, ctx: int) -> ServiceError:
    """What Coral says when ``value`` (not null) has the wrong JSON type for ``shape``."""
    kind = shape.kind
    if kind < K_STRUCT:
        return scalar_error(value, shape)
    if kind == K_STRUCT:
        if type(value) is list:
            return serialization_error(msg.unrecognized_collection(f"class {shape.java}"))
        if ctx == FIELD:
            return serialization_error(msg.UNEXPECTED_FIELD)
        if ctx == TOP and value is None:
            return serialization_error()
        return serialization_error(msg.UNEXPECTED_VALUE)
    if type(value) is dict:  # a list given an object
        return serialization_error(msg.START_OF_STRUCTURE)
    if type(value) is list:  # a map given an array
        return serialization_error(msg.unrecognized_collection(shape.java))
    if ctx == ELEMENT:  # a list or map directly inside a list or map
        return serialization_error(msg.PARAMETERIZED_CAST)
    return serialization_error(msg.UNEXPECTED_FIELD)


def scalar(value: Any, shape: Shape) -> Any:
    """``value`` itself when it has the leaf shape's type, else its coercion; raises when Coral
    could not deserialize it."""
    kind, t = shape.kind, type(value)
    if kind == K_STR:
        if t is str:
            return value
    elif kind in (K_INT, K_LONG):
        if t is int or t is float:
            number = int(value)  # truncates a fraction toward zero
            limit = INT_LIMIT[kind]
            if -limit <= number < limit:
                return value if t is int else number
            return (number + limit) % (2 * limit) - limit
    elif kind == K_BOOL:
        if t is bool:
            return value
        if t is str:
            word = _BOOLEAN_WORDS.get(value.upper())
            if word is None:
                raise serialization_error(msg.BAD_BOOLEAN_TOKEN)
            return word
    elif kind in (K_DOUBLE, K_TIMESTAMP):
        if t is int or t is float:
            return value
    elif kind == K_BLOB:
        if t is str:
            problem = msg.base64_problem(value)
            if problem is not None:
                raise serialization_error(problem)
            return value
    elif kind == K_ANY:
        return value
    raise scalar_error(value, shape)
