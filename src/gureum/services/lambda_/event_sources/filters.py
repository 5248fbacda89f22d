"""Lambda event filtering: a mapping's ``FilterCriteria`` compiled once into a predicate on
records.

A pattern is an EventBridge event pattern, limited to what Lambda documents: nested objects,
leaf arrays of allowed values (strings, numbers, ``true``/``false``/``null``), ``prefix``,
``suffix`` and ``equals-ignore-case`` (the first two also as ``{"equals-ignore-case": ...}``),
``anything-but`` (a value, a list of strings or of numbers, or ``prefix`` / ``suffix`` /
``equals-ignore-case``), ``numeric`` (``=``, or a lower and/or upper bound), ``exists`` and
``$or``. A record passes when any filter matches it; a filter matches when every field it names
matches. Where the record holds an array, any element may match; an array of objects is matched
element by element (the fields of one nested pattern must hold in the same element).

As Lambda documents: numbers are compared by their JSON text for equality (``300`` is not
``300.0``); ``numeric`` matches JSON numbers only, so it never matches a DynamoDB ``"N"`` value
(a string in the record); ``exists`` sees leaves only, never an object. Anything else in a
pattern is refused with ``Invalid filter pattern definition.``
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable
from typing import Any

from gureum.services.lambda_ import errors, limits

Record = dict[str, Any]
RecordPredicate = Callable[[Record], bool]
_Node = Callable[[Any], bool]  # a pattern object, applied to one node of the record
_Value = Callable[[Any], bool]  # one leaf rule, applied to one leaf value

_MISSING: Any = object()
_OR = "$or"


class _Number:
    """A number of a pattern, with its JSON text (equality compares texts)."""

    __slots__ = ("text", "value")

    def __init__(self, text: str) -> None:
        self.text = text
        self.value = float(text)


class _Object:
    """An object of a pattern as its members in order (a key may repeat: AWS's own example
    names ``dynamodb`` twice, and both must hold)."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs


class _Invalid(Exception):
    """A pattern outside the syntax (the text AWS answers is the same for every case)."""


def _reject_constant(_text: str) -> Any:
    raise _Invalid  # NaN / Infinity are not JSON


def compile_filter_criteria(criteria: dict[str, Any] | None) -> RecordPredicate:
    """The predicate of a FilterCriteria: a record passes if any filter matches (with no
    filters, every record passes). Raises InvalidParameterValueException for a bad pattern."""
    filters = (criteria or {}).get("Filters") or []
    if len(filters) > limits.MAX_FILTERS:
        raise errors.too_many_filters(len(filters), limits.MAX_FILTERS)
    if not filters:
        return _everything
    compiled = [compile_pattern((item or {}).get("Pattern")) for item in filters]
    if len(compiled) == 1:
        return compiled[0]
    return lambda record: any(match(record) for match in compiled)


def compile_pattern(pattern: Any) -> RecordPredicate:
    """One filter's ``Pattern`` (JSON text) as a predicate on records."""
    if not isinstance(pattern, str):
        raise errors.invalid_filter_pattern()
    try:
        tree = json.loads(
            pattern,
            object_pairs_hook=_Object,
            parse_float=_Number,
            parse_int=_Number,
            parse_constant=_reject_constant,
        )
        if not isinstance(tree, _Object):
            raise _Invalid
        return _object(tree, 1)
    except (ValueError, RecursionError, _Invalid):  # JSONDecodeError is a ValueError
        raise errors.invalid_filter_pattern() from None


def _everything(_record: Record) -> bool:
    return True


# -- objects -------------------------------------------------------------------------------


def _object(obj: _Object, depth: int) -> _Node:
    if depth > limits.MAX_FILTER_PATTERN_DEPTH or not obj.pairs:
        raise _Invalid
    parts: list[_Node] = []
    for key, value in obj.pairs:
        if key == _OR:
            parts.append(_any_of(value, depth))
        elif isinstance(value, _Object):
            parts.append(_nested(key, _object(value, depth + 1)))
        elif isinstance(value, list):
            parts.append(_leaf(key, value))
        else:
            raise _Invalid
    if len(parts) == 1:
        return parts[0]
    return lambda node: all(part(node) for part in parts)


def _any_of(branches: Any, depth: int) -> _Node:
    if not isinstance(branches, list) or len(branches) < 2:
        raise _Invalid
    if not all(isinstance(branch, _Object) for branch in branches):
        raise _Invalid
    compiled = [_object(branch, depth + 1) for branch in branches]
    return lambda node: any(branch(node) for branch in compiled)


def _nested(key: str, inner: _Node) -> _Node:
    def match(node: Any) -> bool:
        value = node.get(key, _MISSING) if type(node) is dict else _MISSING
        if type(value) is list:
            elements = [element for element in _flatten(value) if type(element) is dict]
            if elements:
                return any(inner(element) for element in elements)
            return inner(_MISSING)
        return inner(value)

    return match


def _flatten(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if type(value) is list:
            out.extend(_flatten(value))
        else:
            out.append(value)
    return out


def _leaf_values(node: Any, key: str) -> list[Any]:
    """The leaves at ``key`` of ``node``: none when absent or an object (``exists`` and every
    comparison see leaves only), the elements of an array, or the one value."""
    value = node.get(key, _MISSING) if type(node) is dict else _MISSING
    if value is _MISSING or type(value) is dict:
        return []
    if type(value) is list:
        return [element for element in _flatten(value) if type(element) is not dict]
    return [value]


# -- leaves --------------------------------------------------------------------------------


def _leaf(key: str, rules: list[Any]) -> _Node:
    if not rules:
        raise _Invalid
    strings: set[str] = set()
    numbers: set[str] = set()
    constants: list[Any] = []  # True, False, None
    others: list[_Value] = []
    when_present = False  # {"exists": true}
    when_absent = False  # {"exists": false}
    for rule in rules:
        if isinstance(rule, str):
            strings.add(rule)
        elif isinstance(rule, _Number):
            numbers.add(rule.text)
        elif rule is None or isinstance(rule, bool):
            constants.append(rule)
        elif isinstance(rule, _Object):
            if len(rule.pairs) != 1:
                raise _Invalid
            name, argument = rule.pairs[0]
            if name == "exists":
                if not isinstance(argument, bool):
                    raise _Invalid
                when_present |= argument
                when_absent |= not argument
            else:
                others.append(_operator(name, argument))
        else:
            raise _Invalid
    if strings:
        others.append(lambda value: type(value) is str and value in strings)
    if numbers:
        others.append(lambda value: _is_number(value) and _number_text(value) in numbers)
    if constants:
        fixed = tuple(constants)
        others.append(lambda value: any(value is constant for constant in fixed))

    def match(node: Any) -> bool:
        values = _leaf_values(node, key)
        if not values:
            return when_absent
        if when_present:
            return True
        return any(rule(value) for value in values for rule in others)

    return match


def _is_number(value: Any) -> bool:
    return type(value) is int or type(value) is float


def _number_text(value: int | float) -> str:
    return json.dumps(value)


def _operator(name: str, argument: Any) -> _Value:
    build = _OPERATORS.get(name)
    if build is None:
        raise _Invalid
    return build(argument)


def _prefix(argument: Any) -> _Value:
    text, folded = _string_argument(argument)
    if folded:
        return lambda value: type(value) is str and value.lower().startswith(text)
    return lambda value: type(value) is str and value.startswith(text)


def _suffix(argument: Any) -> _Value:
    text, folded = _string_argument(argument)
    if folded:
        return lambda value: type(value) is str and value.lower().endswith(text)
    return lambda value: type(value) is str and value.endswith(text)


def _string_argument(argument: Any) -> tuple[str, bool]:
    """A prefix/suffix operand: a string, or ``{"equals-ignore-case": string}`` (returned
    lower-cased, with True)."""
    if isinstance(argument, str):
        return argument, False
    if isinstance(argument, _Object) and len(argument.pairs) == 1:
        name, text = argument.pairs[0]
        if name == "equals-ignore-case" and isinstance(text, str):
            return text.lower(), True
    raise _Invalid


def _equals_ignore_case(argument: Any) -> _Value:
    if not isinstance(argument, str):
        raise _Invalid
    folded = argument.lower()
    return lambda value: type(value) is str and value.lower() == folded


def _anything_but(argument: Any) -> _Value:
    """Matches a leaf that is present and is none of the values (any leaf of another type
    differs from them too)."""
    if isinstance(argument, _Object):
        return _anything_but_form(argument)
    values = argument if isinstance(argument, list) else [argument]
    if not values:
        raise _Invalid
    if all(isinstance(value, str) for value in values):
        excluded = frozenset(values)
        return lambda value: not (type(value) is str and value in excluded)
    if all(isinstance(value, _Number) for value in values):
        excluded_numbers = frozenset(value.value for value in values)
        return lambda value: not (_is_number(value) and value in excluded_numbers)
    raise _Invalid  # mixed types, or null / booleans / objects


def _anything_but_form(argument: _Object) -> _Value:
    if len(argument.pairs) != 1:
        raise _Invalid
    name, operand = argument.pairs[0]
    if name in ("prefix", "suffix"):
        if not isinstance(operand, str) or not operand:
            raise _Invalid
        test = str.startswith if name == "prefix" else str.endswith
        return lambda value: not (type(value) is str and test(value, operand))
    if name == "equals-ignore-case":
        texts = operand if isinstance(operand, list) else [operand]
        if not texts or not all(isinstance(text, str) for text in texts):
            raise _Invalid
        folded = frozenset(text.lower() for text in texts)
        return lambda value: not (type(value) is str and value.lower() in folded)
    raise _Invalid


_LOWER_BOUNDS = {">": operator.gt, ">=": operator.ge}
_UPPER_BOUNDS = {"<": operator.lt, "<=": operator.le}


def _numeric(argument: Any) -> _Value:
    """``["=", n]``, ``[op, n]`` or ``[lower-op, a, upper-op, b]`` with ``a < b``."""
    if not isinstance(argument, list) or len(argument) not in (2, 4):
        raise _Invalid
    terms = [(_name(argument[i]), _bound(argument[i + 1])) for i in range(0, len(argument), 2)]
    if len(terms) == 1:
        name, bound = terms[0]
        if name == "=":
            return lambda value: _is_number(value) and value == bound
        compare = _LOWER_BOUNDS.get(name) or _UPPER_BOUNDS.get(name)
        if compare is None:
            raise _Invalid
        return lambda value: _is_number(value) and compare(value, bound)
    (low_name, low), (high_name, high) = terms
    above = _LOWER_BOUNDS.get(low_name)
    below = _UPPER_BOUNDS.get(high_name)
    if above is None or below is None or not low < high:
        raise _Invalid
    return lambda value: _is_number(value) and above(value, low) and below(value, high)


def _name(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid
    return value


def _bound(value: Any) -> float:
    if not isinstance(value, _Number) or abs(value.value) > limits.MAX_NUMERIC_FILTER_VALUE:
        raise _Invalid
    return value.value


_OPERATORS: dict[str, Callable[[Any], _Value]] = {
    "prefix": _prefix,
    "suffix": _suffix,
    "equals-ignore-case": _equals_ignore_case,
    "anything-but": _anything_but,
    "numeric": _numeric,
}
