"""Compiling bound conditions into closures, and evaluating them against items.

Every compiled piece has the signature ``(values, item)``: the tree is compiled once per
(expression text, names) and reused across requests, each request supplying its own
ExpressionAttributeValues. Paths are already bound (``#names`` replaced). Missing attributes
and type mismatches make a comparison false; they are never errors here.
"""

from __future__ import annotations

from collections.abc import Callable

from .ast import And, Between, Compare, Cond, Func, In, NameRef, Not, Operand, Or, Path, ValueRef
from .values import AV, Item, begins_with, compare, contains, equals, size

Values = dict[str, AV]
Getter = Callable[[Values, Item], "AV | None"]
Predicate = Callable[[Values, Item], bool]
BoundPath = tuple[str | int, ...]


def get_path(item: Item, path: BoundPath) -> AV | None:
    """The value at a document path, or None when any step is missing or of the wrong type."""
    value = item.get(path[0])  # type: ignore[arg-type]  # the first element is a name
    for elem in path[1:]:
        if value is None:
            return None
        if type(elem) is int:
            elements = value.get("L")
            if elements is None or elem >= len(elements):
                return None
            value = elements[elem]
        else:
            members = value.get("M")
            if members is None:
                return None
            value = members.get(elem)
    return value


def bind(path: Path, names: dict[str, str]) -> BoundPath:
    return tuple(names[e.name] if isinstance(e, NameRef) else e for e in path.elems)


def path_getter(path: BoundPath) -> Getter:
    if len(path) == 1:
        name = str(path[0])

        def get_top(values: Values, item: Item) -> AV | None:
            return item.get(name)

        return get_top

    def get_nested(values: Values, item: Item) -> AV | None:
        return get_path(item, path)

    return get_nested


def operand_getter(node: Operand, names: dict[str, str]) -> Getter:
    if isinstance(node, Path):
        return path_getter(bind(node, names))
    if isinstance(node, ValueRef):
        key = node.name

        def get_value(values: Values, item: Item) -> AV | None:
            return values[key]

        return get_value
    # After validation the only function usable as an operand is size().
    inner = operand_getter(node.args[0], names)

    def get_size(values: Values, item: Item) -> AV | None:
        value = inner(values, item)
        if value is None:
            return None
        length = size(value)
        return None if length is None else {"N": str(length)}

    return get_size


def _equal(left: Getter, right: Getter) -> Predicate:
    def is_equal(values: Values, item: Item) -> bool:
        x = left(values, item)
        if x is None:
            return False
        y = right(values, item)
        return y is not None and (x == y or equals(x, y))

    return is_equal


def _ordering(op: str, left: Getter, right: Getter) -> Predicate:
    accept: Callable[[int], bool] = {
        "<": lambda c: c < 0,
        "<=": lambda c: c <= 0,
        ">": lambda c: c > 0,
        ">=": lambda c: c >= 0,
    }[op]

    def is_ordered(values: Values, item: Item) -> bool:
        x = left(values, item)
        if x is None:
            return False
        y = right(values, item)
        if y is None:
            return False
        order = compare(x, y)
        return order is not None and accept(order)

    return is_ordered


def compile_condition(node: Cond, names: dict[str, str]) -> Predicate:
    """A closure ``(values, item) -> bool`` for a validated condition tree."""
    if isinstance(node, And):
        parts = [compile_condition(item, names) for item in node.items]
        if len(parts) == 2:
            first, second = parts

            def both(values: Values, item: Item) -> bool:
                return first(values, item) and second(values, item)

            return both

        def every(values: Values, item: Item) -> bool:
            return all(part(values, item) for part in parts)

        return every
    if isinstance(node, Or):
        parts = [compile_condition(item, names) for item in node.items]

        def some(values: Values, item: Item) -> bool:
            return any(part(values, item) for part in parts)

        return some
    if isinstance(node, Not):
        inner = compile_condition(node.item, names)

        def negated(values: Values, item: Item) -> bool:
            return not inner(values, item)

        return negated
    if isinstance(node, Compare):
        left = operand_getter(node.left, names)
        right = operand_getter(node.right, names)
        if node.op == "=":
            return _equal(left, right)
        if node.op == "<>":
            equal = _equal(left, right)

            def unequal(values: Values, item: Item) -> bool:
                return not equal(values, item)

            return unequal
        return _ordering(node.op, left, right)
    if isinstance(node, Between):
        return _between(*(operand_getter(x, names) for x in (node.subject, node.low, node.high)))
    if isinstance(node, In):
        return _in(
            operand_getter(node.subject, names),
            [operand_getter(option, names) for option in node.options],
        )
    return _function(node, names)


def _between(subject: Getter, low: Getter, high: Getter) -> Predicate:
    def is_between(values: Values, item: Item) -> bool:
        x = subject(values, item)
        lower = low(values, item)
        upper = high(values, item)
        if x is None or lower is None or upper is None:
            return False
        above = compare(lower, x)
        if above is None or above > 0:
            return False
        below = compare(x, upper)
        return below is not None and below <= 0

    return is_between


def _in(subject: Getter, options: list[Getter]) -> Predicate:
    def is_in(values: Values, item: Item) -> bool:
        x = subject(values, item)
        if x is None:
            return False
        for option in options:
            y = option(values, item)
            if y is not None and (x == y or equals(x, y)):
                return True
        return False

    return is_in


def _function(node: Func, names: dict[str, str]) -> Predicate:
    args = [operand_getter(arg, names) for arg in node.args]
    name = node.name
    if name in ("attribute_exists", "attribute_not_exists"):
        getter = args[0]
        if name == "attribute_exists":

            def exists(values: Values, item: Item) -> bool:
                return getter(values, item) is not None

            return exists

        def missing(values: Values, item: Item) -> bool:
            return getter(values, item) is None

        return missing
    if name == "attribute_type":
        getter, type_getter = args

        def has_type(values: Values, item: Item) -> bool:
            value = getter(values, item)
            wanted = type_getter(values, item)
            return value is not None and wanted is not None and wanted["S"] in value

        return has_type
    test: Callable[[AV, AV], bool] = begins_with if name == "begins_with" else contains
    first, second = args

    def check(values: Values, item: Item) -> bool:
        x = first(values, item)
        if x is None:
            return False
        y = second(values, item)
        return y is not None and test(x, y)

    return check


def with_values(predicate: Predicate, values: Values) -> Callable[[Item | None], bool]:
    """The public form: one argument, the item (None meaning no item)."""
    empty: Item = {}

    def evaluate(item: Item | None) -> bool:
        return predicate(values, empty if item is None else item)

    return evaluate
