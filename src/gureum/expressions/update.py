"""Applying an UpdateExpression (or AttributeUpdates) to an item.

DynamoDB semantics: every SET value is read from the item as it was before the update; list
indexes in SET and REMOVE refer to the original positions (removals happen last, in
descending order, then out-of-range SETs append in index order). Only the containers on a
changed path are copied; the input item is never modified.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from .errors import ExpressionError
from .evaluate import BoundPath, Getter, get_path
from .numbers import add_numbers, subtract_numbers
from .projection import compile_projection
from .values import AV, Item, type_of

Values = dict[str, AV]
ValueFn = Callable[[Values, Item], AV]

MISSING_ATTRIBUTE = "The provided expression refers to an attribute that does not exist in the item"
WRONG_TYPE = "An operand in the update expression has an incorrect data type"
BAD_PATH = "The document path provided in the update expression is invalid for update"

SET, REMOVE, ADD, DELETE = "SET", "REMOVE", "ADD", "DELETE"


@dataclass(frozen=True, slots=True)
class Step:
    """One action on one path. ``value`` computes the operand from (values, original item)."""

    kind: str
    path: BoundPath
    value: ValueFn | None = None


def required(getter: Getter) -> ValueFn:
    """An operand that must exist: a path that is missing is an error."""

    def read(values: Values, item: Item) -> AV:
        value = getter(values, item)
        if value is None:
            raise ExpressionError(MISSING_ATTRIBUTE)
        return value

    return read


def if_not_exists(path: BoundPath, fallback: ValueFn) -> ValueFn:
    def read(values: Values, item: Item) -> AV:
        value = get_path(item, path)
        return fallback(values, item) if value is None else value

    return read


def list_append(first: ValueFn, second: ValueFn) -> ValueFn:
    def read(values: Values, item: Item) -> AV:
        x = first(values, item)
        y = second(values, item)
        if "L" not in x or "L" not in y:
            raise ExpressionError(WRONG_TYPE)
        return {"L": x["L"] + y["L"]}

    return read


def arithmetic(op: str, first: ValueFn, second: ValueFn) -> ValueFn:
    combine = add_numbers if op == "+" else subtract_numbers

    def read(values: Values, item: Item) -> AV:
        x = first(values, item)
        y = second(values, item)
        if "N" not in x or "N" not in y:
            raise ExpressionError(WRONG_TYPE)
        return {"N": combine(x["N"], y["N"])}

    return read


class _Edit:
    """The copy-on-write state of one ``apply``."""

    __slots__ = ("appends", "item", "owned", "removals")

    def __init__(self, item: Item) -> None:
        self.item: Item = dict(item)
        self.owned: set[int] = set()  # ids of containers copied by this edit
        self.removals: dict[int, tuple[list[AV], set[int]]] = {}
        self.appends: dict[int, tuple[list[AV], list[tuple[int, AV]]]] = {}

    def parent(self, path: BoundPath) -> dict[str, AV] | list[AV] | None:
        """The (copied) container holding the last element of ``path``; None when missing or
        of the wrong type."""
        container: dict[str, AV] | list[AV] = self.item
        for position, elem in enumerate(path[:-1]):
            wanted = "L" if type(path[position + 1]) is int else "M"
            if type(container) is list:
                assert isinstance(elem, int)
                if elem >= len(container):
                    return None
                inner = self.writable(container[elem], wanted)
                if inner is None:
                    return None
                container[elem] = inner[0]
            else:
                assert isinstance(container, dict) and isinstance(elem, str)
                child = container.get(elem)
                if child is None:
                    return None
                inner = self.writable(child, wanted)
                if inner is None:
                    return None
                container[elem] = inner[0]
            container = inner[1]
        return container

    def writable(self, child: AV, wanted: str) -> tuple[AV, dict[str, AV] | list[AV]] | None:
        """``child`` (an M or L value) with a container this edit may modify."""
        inner = child.get(wanted)
        if inner is None:
            return None
        if id(inner) in self.owned:
            return child, inner
        copied: dict[str, AV] | list[AV] = list(inner) if wanted == "L" else dict(inner)
        self.owned.add(id(copied))
        return {wanted: copied}, copied

    def set(self, path: BoundPath, value: AV) -> None:
        container = self.parent(path)
        last = path[-1]
        if container is None:
            raise ExpressionError(BAD_PATH)
        if type(container) is list:
            assert isinstance(last, int)
            if last < len(container):
                container[last] = value
            else:
                self.appends.setdefault(id(container), (container, []))[1].append((last, value))
        else:
            assert isinstance(container, dict) and isinstance(last, str)
            container[last] = value

    def current(self, path: BoundPath) -> AV | None:
        """The value now at ``path`` (None if absent); its parent must exist."""
        container = self.parent(path)
        if container is None:
            raise ExpressionError(BAD_PATH)
        last = path[-1]
        if type(container) is list:
            assert isinstance(last, int)
            return container[last] if last < len(container) else None
        assert isinstance(container, dict) and isinstance(last, str)
        return container.get(last)

    def remove(self, path: BoundPath) -> None:
        container = self.parent(path)
        if container is None:
            raise ExpressionError(BAD_PATH)
        last = path[-1]
        if type(container) is list:
            assert isinstance(last, int)
            if last < len(container):
                self.removals.setdefault(id(container), (container, set()))[1].add(last)
        else:
            assert isinstance(container, dict) and isinstance(last, str)
            container.pop(last, None)

    def add(self, path: BoundPath, operand: AV) -> None:
        existing = self.current(path)
        kind = type_of(operand)
        if existing is None:
            result = operand
        elif kind not in existing:
            raise ExpressionError(WRONG_TYPE)
        elif kind == "N":
            result = {"N": add_numbers(existing["N"], operand["N"])}
        else:
            have = existing[kind]
            present = set(have)
            result = {kind: have + [e for e in dict.fromkeys(operand[kind]) if e not in present]}
        self.set(path, result)

    def delete(self, path: BoundPath, operand: AV) -> None:
        existing = self.current(path)
        if existing is None:
            return
        kind = type_of(operand)
        if kind not in existing:
            raise ExpressionError(WRONG_TYPE)
        unwanted = set(operand[kind])
        kept = [e for e in existing[kind] if e not in unwanted]
        if len(kept) == len(existing[kind]):
            return
        if kept:
            self.set(path, {kind: kept})
        else:
            self.remove(path)

    def finish(self) -> Item:
        for elements, indexes in self.removals.values():
            for index in sorted(indexes, reverse=True):
                del elements[index]
        for elements, additions in self.appends.values():
            elements.extend(value for _, value in sorted(additions, key=lambda pair: pair[0]))
        return self.item


class UpdatePlan:
    """The name-bound, value-independent part of an update; shared through the cache."""

    __slots__ = ("_project", "steps", "top_level_names")

    def __init__(self, steps: list[Step]) -> None:
        self.steps = tuple(steps)
        self.top_level_names = frozenset(str(step.path[0]) for step in steps)
        self._project = compile_projection([step.path for step in steps])

    def run(self, values: Values, item: Item | None) -> Item:
        original: Item = {} if item is None else item
        operands = [
            None if step.value is None else step.value(values, original) for step in self.steps
        ]
        edit = _Edit(original)
        for step, operand in zip(self.steps, operands, strict=True):
            kind = step.kind
            if kind == SET:
                assert operand is not None
                edit.set(step.path, operand)
            elif kind == REMOVE:
                if item is not None:  # DynamoDB ignores REMOVE of any path in a missing item
                    edit.remove(step.path)
            elif kind == ADD:
                assert operand is not None
                edit.add(step.path, operand)
            else:
                assert operand is not None
                edit.delete(step.path, operand)
        return edit.finish()

    def project(self, item: Item) -> Item:
        return self._project(item)


class Plan(Protocol):
    """What UpdateProgram needs: UpdatePlan here, or the legacy AttributeUpdates plan."""

    top_level_names: frozenset[str]

    def run(self, values: Values, item: Item | None) -> Item: ...

    def project(self, item: Item) -> Item: ...


class UpdateProgram:
    """An update ready to apply: the plan plus this request's ExpressionAttributeValues."""

    __slots__ = ("_plan", "_values", "top_level_names")

    def __init__(self, plan: Plan, values: Values) -> None:
        self._plan = plan
        self._values = values
        self.top_level_names: frozenset[str] = plan.top_level_names

    def apply(self, item: Item | None) -> Item:
        """The updated item (a new dict; ``item`` untouched). None means no item yet."""
        return self._plan.run(self._values, item)

    def updated_new(self, new_item: Item) -> Item:
        """ReturnValues UPDATED_NEW: only the updated paths of the new item, nested."""
        return self._plan.project(new_item)

    def updated_old(self, old_item: Item) -> Item:
        """ReturnValues UPDATED_OLD: only the updated paths of the old item, nested."""
        return self._plan.project(old_item)
