"""KeyConditionExpression: from a validated condition tree to the key ranges of a Query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .ast import And, Between, Compare, Cond, Func, In, NameRef, Not, Operand, Or, Path, ValueRef
from .errors import ExpressionError

if TYPE_CHECKING:
    from .values import AV

_FLIPPED = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
LABEL = "KeyConditionExpression"
KEY_OPERATORS = frozenset(("=", "<", "<=", ">", ">=", "BETWEEN", "BEGINS_WITH"))


@dataclass(frozen=True, slots=True)
class KeyCondition:
    """A Query's key condition, names resolved: ``hash_name = hash_value`` and optionally
    ``range_name <range_op> range_values`` (op one of = < <= > >= BETWEEN BEGINS_WITH)."""

    hash_name: str
    hash_value: AV
    range_name: str | None
    range_op: str | None
    range_values: tuple[AV, ...]


@dataclass(frozen=True, slots=True)
class KeyTemplate:
    """A KeyCondition before this request's values are filled in (keys are ``:placeholders``
    for expressions, or the values themselves for the legacy KeyConditions)."""

    hash_name: str
    hash_value: str | AV
    range_name: str | None
    range_op: str | None
    range_values: tuple[str | AV, ...]

    def fill(self, values: dict[str, AV]) -> KeyCondition:
        def pick(ref: str | AV) -> AV:
            return values[ref] if isinstance(ref, str) else ref

        return KeyCondition(
            self.hash_name,
            pick(self.hash_value),
            self.range_name,
            self.range_op,
            tuple(pick(ref) for ref in self.range_values),
        )


def _fail(message: str) -> ExpressionError:
    return ExpressionError(message)


def _collect(
    node: Cond, names: dict[str, str], found: dict[str, tuple[str, tuple[str | AV, ...]]]
) -> None:
    if isinstance(node, And):
        for item in node.items:
            _collect(item, names, found)
        return
    if isinstance(node, (Or, Not, In)) or (isinstance(node, Compare) and node.op == "<>"):
        word = {Or: "OR", Not: "NOT", In: "IN"}.get(type(node), "<>")
        raise _fail(f"Invalid operator used in {LABEL}: {word}")
    if isinstance(node, Func):
        if node.name != "begins_with":
            raise _fail(f"Invalid operator used in {LABEL}: {node.name}")
        if not isinstance(node.args[0], Path):
            raise _fail(
                f"Invalid condition in {LABEL}: begins_with operator must have the key "
                "attribute as its first operand"
            )
        operands: tuple[Operand, ...] = node.args
        op = "BEGINS_WITH"
    elif isinstance(node, Between):
        if not isinstance(node.subject, Path):
            raise _fail(
                f"Invalid condition in {LABEL}: BETWEEN operator must have the key attribute "
                "as its first operand"
            )
        operands = (node.subject, node.low, node.high)
        op = "BETWEEN"
    else:
        assert isinstance(node, Compare)
        operands = (node.left, node.right)
        op = node.op
    name: str | None = None
    position = 0
    refs: list[str | AV] = []
    for index, operand in enumerate(operands):
        if isinstance(operand, Func):
            raise _fail("KeyConditionExpressions cannot contain nested operations")
        if isinstance(operand, Path):
            if name is not None:
                raise _fail(
                    f"Invalid condition in {LABEL}: Multiple attribute names used in one condition"
                )
            if len(operand.elems) > 1:
                raise _fail("KeyConditionExpressions cannot have conditions on nested attributes")
            elem = operand.elems[0]
            name = names[elem.name] if isinstance(elem, NameRef) else str(elem)
            position = index
        else:
            assert isinstance(operand, ValueRef)
            refs.append(operand.name)
    if name is None:
        raise _fail(f"Invalid condition in {LABEL}: No key attribute specified")
    if name in found:
        raise _fail(
            f"Invalid {LABEL}: KeyConditionExpressions must only contain one condition per key"
        )
    if position != 0:
        op = _FLIPPED[op]
    found[name] = (op, tuple(refs))


def key_template(
    root: Cond, names: dict[str, str], key_schema: tuple[str, str | None]
) -> KeyTemplate:
    """Check a (validated) KeyConditionExpression tree against the table's key schema."""
    found: dict[str, tuple[str, tuple[str | AV, ...]]] = {}
    _collect(root, names, found)
    key_count = 1 if key_schema[1] is None else 2
    if len(found) > key_count:
        # Today's DynamoDB (nubo-db conformance, pinned against AWS); the legacy KeyConditions
        # keep "Conditions can be of length 1 or 2 only".
        raise _fail(
            f"The number of query conditions ({len(found)}) exceeds the number of key "
            f"attributes defined in the schema ({key_count})"
        )
    return template_from(found, key_schema)


def template_from(
    found: dict[str, tuple[str, tuple[str | AV, ...]]], key_schema: tuple[str, str | None]
) -> KeyTemplate:
    """The query-level checks shared by KeyConditionExpression and legacy KeyConditions."""
    hash_name, range_name = key_schema
    if range_name is None and len(found) > 1:
        raise _fail("Query key condition not supported")
    if hash_name not in found:
        raise _fail(f"Query condition missed key schema element: {hash_name}")
    hash_op, hash_refs = found[hash_name]
    if hash_op not in KEY_OPERATORS:
        raise _fail("Attempted conditional constraint is not an indexable operation")
    if hash_op != "=":
        raise _fail("Query key condition not supported")
    if len(found) == 1:
        return KeyTemplate(hash_name, hash_refs[0], None, None, ())
    assert range_name is not None
    if range_name not in found:
        raise _fail(f"Query condition missed key schema element: {range_name}")
    range_op, range_refs = found[range_name]
    if range_op not in KEY_OPERATORS:
        raise _fail("Attempted conditional constraint is not an indexable operation")
    return KeyTemplate(hash_name, hash_refs[0], range_name, range_op, range_refs)
