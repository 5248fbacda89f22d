"""DynamoDB attribute values: validation of incoming values and item size.

Values stay in DynamoDB's wire form (``{"S": "x"}``, ``{"N": "1.5"}``, ...) all the way to
storage, so an item read back is returned without re-encoding. Validation walks a value once,
normalizes its numbers in place (the request's parsed JSON is ours to change) and returns its
size as DynamoDB counts it for the 400 KB limit and for capacity units:

* a name or a string counts its UTF-8 bytes, a binary its bytes;
* a number 1 byte plus 1 per pair of significant digits (aligned on the decimal point, as
  DynamoDB stores numbers in base 100), plus 1 if negative;
* BOOL and NULL 1 byte; a set the sum of its elements;
* a list or map 3 bytes, plus 1 byte and the size of each element (and a map its names).

The JSON types of the members were already checked against the botocore model by the wire
layer (a ``{"N": 5}`` never gets here).
"""

from __future__ import annotations

import binascii
from typing import Any

from gureum.core.errors import ServiceError, serialization_error
from gureum.expressions import ExpressionError, normalize_number
from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.errors import INVALID_PARAMETERS

AttributeValue = dict[str, Any]
Item = dict[str, AttributeValue]

_KNOWN_TYPES = frozenset({"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"})


_TOO_DEEP = (
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit"
)


EMPTY_NAME = INVALID_PARAMETERS + "Empty attribute name"


class InvalidValue(Exception):
    """A bad attribute value; ``message`` is DynamoDB's text without any context prefix."""

    def __init__(self, message: str, serialization: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.serialization = serialization


def name_size(name: str) -> int:
    return len(name) if name.isascii() else len(name.encode("utf-8", "surrogatepass"))


def number_size(text: str) -> int:
    """Bytes DynamoDB counts for a canonical number."""
    if text == "0":
        return 1
    negative = text[0] == "-"
    integer, _, fraction = text.lstrip("-").partition(".")
    if integer != "0":
        digits = (integer + fraction).rstrip("0")
        first = len(integer) - 1  # decimal exponent of the first significant digit
    else:
        significant = fraction.lstrip("0")
        first = len(significant) - len(fraction) - 1
        digits = significant
    last = first - len(digits) + 1
    pairs = first // 2 - last // 2 + 1
    return 1 + pairs + (1 if negative else 0)


def binary_size(text: str) -> int:
    """Decoded length of valid base64 text, without decoding it."""
    n = len(text)
    if n == 0:
        return 0
    return n // 4 * 3 - (2 if text.endswith("==") else 1 if text.endswith("=") else 0)


def _check_base64(text: str) -> None:
    if len(text) % 4:
        raise InvalidValue("Base64 encoded length is expected a multiple of 4 bytes", True)
    try:
        binascii.a2b_base64(text, strict_mode=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidValue(f"Invalid Base64 character: {exc}", True) from exc


def _number(av: AttributeValue, text: str) -> int:
    try:
        canonical = normalize_number(text)
    except ExpressionError as exc:
        raise InvalidValue(exc.message) from exc
    if canonical != text:
        av["N"] = canonical
    return number_size(canonical)


def value_size(av: Any, depth: int = 2) -> int:
    """Validate ``av`` (normalizing its numbers in place) and return its size.

    ``depth`` is the nesting level of ``av``: the item is level 1, so its attributes are 2.
    """
    if len(av) != 1:
        known = [t for t in av if t in _KNOWN_TYPES]
        if len(known) > 1:
            raise InvalidValue(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly "
                "one of the supported datatypes"
            )
        if not known:
            raise InvalidValue(
                "Supplied AttributeValue is empty, must contain exactly one of the supported "
                "datatypes"
            )
        for extra in [t for t in av if t not in _KNOWN_TYPES]:
            del av[extra]
    ((kind, value),) = av.items()
    if kind == "S":
        return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))
    if kind == "N":
        return _number(av, value)
    if kind == "M":
        if depth > limits.MAX_NESTING_DEPTH:
            raise InvalidValue(_TOO_DEEP)
        size = 3
        for name, child in value.items():
            size += 1 + name_size(name) + value_size(child, depth + 1)
        return size
    if kind == "L":
        if depth > limits.MAX_NESTING_DEPTH:
            raise InvalidValue(_TOO_DEEP)
        size = 3
        for child in value:
            size += 1 + value_size(child, depth + 1)
        return size
    if kind == "B":
        _check_base64(value)
        return binary_size(value)
    if kind == "BOOL":
        return 1
    if kind == "NULL":
        if value is not True:
            raise InvalidValue(
                INVALID_PARAMETERS + "Null attribute value types must have the value of true"
            )
        return 1
    if kind == "SS":
        if not value:
            raise InvalidValue(INVALID_PARAMETERS + "An string set  may not be empty")
        if len(set(value)) != len(value):
            raise InvalidValue(
                INVALID_PARAMETERS + f"Input collection [{', '.join(value)}] contains duplicates."
            )
        return sum(len(s.encode("utf-8", "surrogatepass")) for s in value)
    if kind == "NS":
        if not value:
            raise InvalidValue(INVALID_PARAMETERS + "An number set  may not be empty")
        try:
            canonical = [normalize_number(n) for n in value]
        except ExpressionError as exc:
            raise InvalidValue(exc.message) from exc
        if len(set(canonical)) != len(canonical):
            raise InvalidValue("Input collection contains duplicates")
        av["NS"] = canonical
        return sum(number_size(n) for n in canonical)
    if kind == "BS":
        if not value:
            raise InvalidValue(INVALID_PARAMETERS + "Binary sets should not be empty")
        for b in value:
            _check_base64(b)
        if len(set(value)) != len(value):
            raise InvalidValue(
                INVALID_PARAMETERS + "Input collection "
                f"[{', '.join(value)}]of type BS contains duplicates."
            )
        return sum(binary_size(b) for b in value)
    raise InvalidValue(  # only unknown members were present
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    )


def to_service_error(exc: InvalidValue, context: str = "") -> ServiceError:
    if exc.serialization:
        return serialization_error(exc.message)
    return errors.invalid(context + exc.message)


def item_size(item: Item) -> int:
    """Validate every attribute of an item and return the item's size."""
    size = 0
    try:
        for name, av in item.items():
            if not name:
                raise InvalidValue(EMPTY_NAME)
            size += name_size(name) + value_size(av)
    except InvalidValue as exc:
        raise to_service_error(exc) from None
    return size


def resized(old_size: int, old_item: Item, new_item: Item, changed: frozenset[str]) -> int:
    """The size of ``new_item``, made from ``old_item`` (of ``old_size``) by changing only the
    ``changed`` top-level attributes: only those are measured (and validated) again."""
    size = old_size
    try:
        for name in changed:
            before = old_item.get(name)
            if before is not None:
                size -= name_size(name) + value_size(before)
            after = new_item.get(name)
            if after is not None:
                size += name_size(name) + value_size(after)
    except InvalidValue as exc:
        raise to_service_error(exc) from None
    return size


def check_value(av: Any) -> None:
    """Validate one attribute value of a request (normalizing its numbers in place)."""
    try:
        value_size(av)
    except InvalidValue as exc:
        raise to_service_error(exc) from None


def check_expression_values(values: dict[str, Any]) -> None:
    """Validate ExpressionAttributeValues, with DynamoDB's context around the message."""
    for key, av in values.items():
        try:
            value_size(av)
        except InvalidValue as exc:
            if exc.serialization:
                raise serialization_error(exc.message) from None
            raise errors.invalid(
                f"ExpressionAttributeValues contains invalid value: {exc.message} for key {key}"
            ) from None
