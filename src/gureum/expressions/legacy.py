"""The legacy parameters, compiled to the same objects as expressions.

Expected (+ ConditionalOperator), AttributeUpdates, KeyConditions, QueryFilter / ScanFilter
(+ ConditionalOperator) and AttributesToGet arrive as the request's raw JSON. Their messages
follow DynamoDB (as recorded by dynalite's tests against AWS and Alternator's tests).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .compiler import Compiled, check_filter_keys
from .errors import ExpressionError
from .evaluate import Predicate, with_values
from .keycondition import KeyTemplate, template_from
from .numbers import add_numbers, normalize_number
from .projection import compile_projection
from .update import UpdateProgram
from .values import AV, Item, begins_with, compare, contains, equals, type_of

if TYPE_CHECKING:
    from collections.abc import Callable

INVALID = "One or more parameter values were invalid: "
OPERATORS = [
    "IN",
    "NULL",
    "BETWEEN",
    "LT",
    "NOT_CONTAINS",
    "EQ",
    "GT",
    "NOT_NULL",
    "NE",
    "LE",
    "BEGINS_WITH",
    "GE",
    "CONTAINS",
]
_COUNTS: dict[str, tuple[int, int]] = {
    "NULL": (0, 0),
    "NOT_NULL": (0, 0),
    "IN": (1, 1 << 30),
    "BETWEEN": (2, 2),
}
_SCALARS = ("S", "N", "B")
_TYPES: dict[str, tuple[str, ...]] = {
    "EQ": ("S", "N", "B", "SS", "NS", "BS", "L", "M", "BOOL", "NULL"),
    "NE": ("S", "N", "B", "SS", "NS", "BS", "L", "M", "BOOL", "NULL"),
    "BEGINS_WITH": ("S", "B"),
}
_KEY_OPERATORS = {"EQ": "=", "LT": "<", "LE": "<=", "GT": ">", "GE": ">="}
# The one AttributeUpdates message without the INVALID prefix (dynalite updateItem.js "trying to
# delete/add incorrect types"; DynamoDB Local's TYPE mismatch check on the stored value).
_TYPE_MISMATCH = "Type mismatch for attribute to update"


def _enum_error(value: Any, where: str, allowed: list[str]) -> ExpressionError:
    if value is None:
        return ExpressionError(
            f"1 validation error detected: Value null at '{where}' failed to satisfy "
            "constraint: Member must not be null"
        )
    return ExpressionError(
        f"1 validation error detected: Value '{value}' at '{where}' failed to satisfy "
        f"constraint: Member must satisfy enum value set: [{', '.join(allowed)}]"
    )


def _canonical(value: AV) -> AV:
    """Numbers inside a legacy value in canonical form (the service validated the rest)."""
    kind = type_of(value)
    inner = value[kind]
    if kind == "N":
        return {"N": normalize_number(inner)}
    if kind == "NS":
        return {"NS": list(dict.fromkeys(normalize_number(n) for n in inner))}
    if kind == "L":
        return {"L": [_canonical(v) for v in inner]}
    if kind == "M":
        return {"M": {k: _canonical(v) for k, v in inner.items()}}
    return value


# -- conditions -----------------------------------------------------------------------------


def _check_arguments(operator: str, arguments: list[AV]) -> None:
    low, high = _COUNTS.get(operator, (1, 1))
    if not low <= len(arguments) <= high:
        raise ExpressionError(
            f"{INVALID}Invalid number of argument(s) for the {operator} ComparisonOperator"
        )
    if not arguments:
        return
    kind = type_of(arguments[0])
    if any(type_of(argument) != kind for argument in arguments):
        raise ExpressionError(
            f"{INVALID}AttributeValues inside AttributeValueList must be of same type"
        )
    if kind not in _TYPES.get(operator, _SCALARS):
        raise ExpressionError(
            f"{INVALID}ComparisonOperator {operator} is not valid for {kind} AttributeValue type"
        )
    if operator == "BETWEEN" and (compare(arguments[0], arguments[1]) or 0) > 0:
        raise ExpressionError(
            "The BETWEEN condition was provided a range where the lower bound is greater than "
            "the upper bound"
        )


def _predicate(name: str, operator: str, arguments: list[AV]) -> Callable[[Item], bool]:
    """``item -> bool`` for one legacy condition on top-level attribute ``name``."""
    first = arguments[0] if arguments else None

    def present(item: Item) -> AV | None:
        return item.get(name)

    if operator == "NULL":
        return lambda item: name not in item
    if operator == "NOT_NULL":
        return lambda item: name in item
    assert first is not None
    if operator == "EQ":
        return lambda item: (x := present(item)) is not None and equals(x, first)
    if operator == "NE":
        return lambda item: (x := present(item)) is None or not equals(x, first)
    if operator == "IN":
        return lambda item: (
            (x := present(item)) is not None and any(equals(x, argument) for argument in arguments)
        )
    if operator == "CONTAINS":
        return lambda item: (x := present(item)) is not None and contains(x, first)
    if operator == "NOT_CONTAINS":
        return lambda item: (x := present(item)) is not None and not contains(x, first)
    if operator == "BEGINS_WITH":
        return lambda item: (x := present(item)) is not None and begins_with(x, first)
    if operator == "BETWEEN":
        last = arguments[1]

        def between(item: Item) -> bool:
            x = item.get(name)
            if x is None:
                return False
            low, high = compare(first, x), compare(x, last)
            return low is not None and high is not None and low <= 0 and high <= 0

        return between
    accept: Callable[[int], bool] = {
        "LT": lambda c: c < 0,
        "LE": lambda c: c <= 0,
        "GT": lambda c: c > 0,
        "GE": lambda c: c >= 0,
    }[operator]

    def ordered(item: Item) -> bool:
        x = item.get(name)
        return x is not None and (order := compare(x, first)) is not None and accept(order)

    return ordered


def _filter_conditions(conditions: Any, parameter: str) -> list[tuple[str, str, list[AV]]]:
    """QueryFilter, ScanFilter or KeyConditions: ``{attr: {ComparisonOperator, AVList}}``."""
    where = parameter[0].lower() + parameter[1:]
    for name, condition in conditions.items():
        operator = condition.get("ComparisonOperator")
        if operator not in OPERATORS:
            raise _enum_error(operator, f"{where}.{name}.member.comparisonOperator", OPERATORS)
    parsed = []
    for name, condition in conditions.items():
        operator = condition["ComparisonOperator"]
        arguments = [_canonical(v) for v in condition.get("AttributeValueList") or []]
        _check_arguments(operator, arguments)
        parsed.append((name, operator, arguments))
    return parsed


def _expected_conditions(expected: Any) -> list[tuple[str, str, list[AV]]]:
    for name, condition in expected.items():
        if "ComparisonOperator" in condition:
            operator = condition["ComparisonOperator"]
            if operator not in OPERATORS:
                raise _enum_error(operator, f"expected.{name}.member.comparisonOperator", OPERATORS)
    parsed = []
    for name, condition in expected.items():
        where = f" for Attribute: {name}"
        if "AttributeValueList" in condition and "Value" in condition:
            raise ExpressionError(
                f"{INVALID}Value and AttributeValueList cannot be used together{where}"
            )
        if "ComparisonOperator" in condition:
            operator = condition["ComparisonOperator"]
            if "Exists" in condition:
                raise ExpressionError(
                    f"{INVALID}Exists and ComparisonOperator cannot be used together{where}"
                )
            if "AttributeValueList" in condition:
                arguments = [_canonical(v) for v in condition["AttributeValueList"] or []]
            elif condition.get("Value") is not None:
                arguments = [_canonical(condition["Value"])]
            elif operator in ("NULL", "NOT_NULL"):
                arguments = []
            else:
                raise ExpressionError(
                    f"{INVALID}Value or AttributeValueList must be used with ComparisonOperator: "
                    f"{operator}{where}"
                )
            _check_arguments(operator, arguments)
            parsed.append((name, operator, arguments))
        elif "AttributeValueList" in condition:
            raise ExpressionError(
                f"{INVALID}AttributeValueList can only be used with a ComparisonOperator{where}"
            )
        else:
            exists = condition.get("Exists")
            value = condition.get("Value")
            if exists is None or exists:
                if value is None:
                    shown = "null" if exists is None else "true"
                    raise ExpressionError(
                        f"{INVALID}Value must be provided when Exists is {shown}{where}"
                    )
                parsed.append((name, "EQ", [_canonical(value)]))
            elif value is not None:
                raise ExpressionError(f"{INVALID}Value cannot be used when Exists is false{where}")
            else:
                parsed.append((name, "NULL", []))
    return parsed


def _combine(parsed: list[tuple[str, str, list[AV]]], operator: str | None) -> Predicate:
    tests = [_predicate(name, op, arguments) for name, op, arguments in parsed]
    combine = any if operator == "OR" else all

    def test(values: dict[str, AV], item: Item) -> bool:
        return combine(check(item) for check in tests)

    return test


# -- AttributeUpdates -----------------------------------------------------------------------


class _LegacyPlan:
    """AttributeUpdates: PUT / ADD / DELETE on top-level attributes."""

    __slots__ = ("_project", "actions", "top_level_names")

    def __init__(self, actions: list[tuple[str, str, AV | None]]) -> None:
        self.actions = actions
        self.top_level_names = frozenset(name for name, _, _ in actions)
        self._project = compile_projection([(name,) for name, _, _ in actions])

    def run(self, values: dict[str, AV], item: Item | None) -> Item:
        new: Item = {} if item is None else dict(item)
        for name, action, value in self.actions:
            existing = new.get(name)
            if action == "PUT":
                assert value is not None
                new[name] = value
            elif value is None:
                new.pop(name, None)
            elif action == "DELETE":
                new_value = _delete_elements(existing, value)
                if new_value is None:
                    new.pop(name, None)
                else:
                    new[name] = new_value
            else:
                new[name] = _add(existing, value)
        return new

    def project(self, item: Item) -> Item:
        return self._project(item)


def _add(existing: AV | None, value: AV) -> AV:
    if existing is None:
        return value
    kind = type_of(value)
    if kind not in existing:
        raise ExpressionError(_TYPE_MISMATCH)
    if kind == "N":
        return {"N": add_numbers(existing["N"], value["N"])}
    if kind == "L":
        return {"L": existing["L"] + value["L"]}
    present = set(existing[kind])
    return {kind: existing[kind] + [e for e in value[kind] if e not in present]}


def _delete_elements(existing: AV | None, value: AV) -> AV | None:
    if existing is None:
        return None
    kind = type_of(value)
    if kind not in existing:
        raise ExpressionError(_TYPE_MISMATCH)
    unwanted = set(value[kind])
    kept = [e for e in existing[kind] if e not in unwanted]
    return {kind: kept} if kept else None


def _attribute_updates(updates: Any) -> _LegacyPlan:
    actions: list[tuple[str, str, AV | None]] = []
    for name, update in updates.items():
        action = update.get("Action", "PUT")
        if action not in ("ADD", "PUT", "DELETE"):
            raise _enum_error(
                action, f"attributeUpdates.{name}.member.action", ["ADD", "PUT", "DELETE"]
            )
    for name, update in updates.items():
        action = update.get("Action", "PUT")
        raw = update.get("Value")
        value = None if raw is None else _canonical(raw)
        if value is None and action != "DELETE":
            raise ExpressionError(
                f"{INVALID}Only DELETE action is allowed when no attribute value is specified"
            )
        if value is not None:
            kind = type_of(value)
            if action == "DELETE" and kind not in ("SS", "NS", "BS"):
                raise ExpressionError(
                    f"{INVALID}DELETE action with value is not supported for the type {kind}"
                )
            if action == "ADD" and kind not in ("L", "SS", "NS", "BS", "N"):
                raise ExpressionError(f"{INVALID}ADD action is not supported for the type {kind}")
        actions.append((name, action, value))
    return _LegacyPlan(actions)


# -- ConditionalOperator --------------------------------------------------------------------


def _check_conditional_operator(conditions: int) -> None:
    """ConditionalOperator needs a Filter (QueryFilter / ScanFilter) or Expected of two or more
    conditions, whether it is AND or OR; KeyConditions do not count. (DynamoDB Local's
    ``externalToInternalConditionalOperator``; ExtendDB's suite run against Amazon DynamoDB.)"""
    if conditions == 0:
        raise ExpressionError("ConditionalOperator cannot be used without Filter or Expected")
    if conditions == 1:
        raise ExpressionError(
            "ConditionalOperator can only be used when Filter or Expected has two or more elements"
        )


# -- entry point ----------------------------------------------------------------------------


def compile_legacy(
    *,
    expected: Any = None,
    conditional_operator: str | None = None,
    attribute_updates: Any = None,
    key_conditions: Any = None,
    query_filter: Any = None,
    scan_filter: Any = None,
    attributes_to_get: Any = None,
    key_schema: tuple[str, str | None] | None = None,
) -> Compiled:
    """Validate and compile one request's legacy parameters (raw request JSON). Without
    ``key_schema``, KeyConditions are only checked, not compiled (the table is not known yet)."""
    if conditional_operator is not None and conditional_operator not in ("AND", "OR"):
        raise _enum_error(conditional_operator, "conditionalOperator", ["OR", "AND"])
    condition = None
    filter_predicate = None
    filter_names: frozenset[str] = frozenset()
    filters = query_filter if query_filter is not None else scan_filter
    if conditional_operator is not None:
        _check_conditional_operator(len(expected or ()) + len(filters or ()))
    if filters is not None:
        parameter = "QueryFilter" if query_filter is not None else "ScanFilter"
        parsed = _filter_conditions(filters, parameter)
        if parsed:
            filter_predicate = with_values(_combine(parsed, conditional_operator), {})
        filter_names = frozenset(name for name, _, _ in parsed)
    if expected:
        condition = with_values(_combine(_expected_conditions(expected), conditional_operator), {})
    update = None
    if attribute_updates is not None:
        update = UpdateProgram(_attribute_updates(attribute_updates), {})
    key_condition = None
    if key_conditions is not None:
        parsed_keys = _filter_conditions(key_conditions, "KeyConditions")
        if len(parsed_keys) not in (1, 2):
            raise ExpressionError("Conditions can be of length 1 or 2 only")
    if key_conditions is not None and key_schema is not None:
        found: dict[str, tuple[str, tuple[str | AV, ...]]] = {
            name: (_KEY_OPERATORS.get(op, op), tuple(arguments))
            for name, op, arguments in parsed_keys
        }
        template: KeyTemplate = template_from(found, key_schema)
        key_condition = template.fill({})
        if query_filter is not None:
            check_filter_keys(filter_names, key_schema, "QueryFilter")
    projection = None
    if attributes_to_get is not None:
        seen: set[str] = set()
        for name in attributes_to_get:
            if name in seen:
                raise ExpressionError(f"{INVALID}Duplicate value in attribute name: {name}")
            seen.add(name)
        projection = compile_projection([(name,) for name in attributes_to_get])
    return Compiled(
        condition,
        filter_predicate,
        projection,
        update,
        key_condition,
        filter_names,
        frozenset(attributes_to_get or ()),
    )
