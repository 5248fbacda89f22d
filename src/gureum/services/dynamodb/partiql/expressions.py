"""PartiQL WHERE clauses and SET/REMOVE actions as DynamoDB expressions.

DynamoDB runs a PartiQL statement as the item operation it stands for, its WHERE clause as
a condition or filter expression: ``x IS MISSING`` is ``attribute_not_exists(x)``,
``x IS NULL`` compares with NULL, ``x IS STRING`` is ``attribute_type(x, 'S')``,
``set_add(s, <<..>>)`` is ``ADD s :v``. ``Expression`` writes that expression text with
``#n`` / ``:v`` placeholders (so no attribute name collides with a reserved word), and the
expression package then validates and evaluates it as it does any request's.
"""

from __future__ import annotations

from typing import Any

from gureum.partiql import PartiQLError, ast
from gureum.partiql.errors import (
    AND_OR_OPERANDS,
    IN_OPERANDS,
    IS_IN_UPDATE,
    IS_OPERAND,
    MISSING_VALUE,
    NOT_OPERAND,
    UNSUPPORTED_IS_TYPE,
    WHERE_NOT_BOOLEAN,
    at,
)
from gureum.services.dynamodb.partiql.keys import chain
from gureum.services.dynamodb.partiql.values import is_value, to_value

AttributeValue = dict[str, Any]

# Condition functions and how many operands each takes.
_ARITY = {
    "attribute_exists": 1,
    "attribute_not_exists": 1,
    "attribute_type": 2,
    "begins_with": 2,
    "contains": 2,
    "size": 1,
}
CONDITION_FUNCTIONS = frozenset(_ARITY) - {"size"}
_BOOLEAN_NODES = (ast.Binary, ast.Not, ast.Between, ast.In, ast.IsType, ast.Call)
_COMPARISONS = frozenset({"=", "<>", "<", "<=", ">", ">="})
_IS_TYPES = {"BOOLEAN": "BOOL", "NUMERIC": "N", "STRING": "S", "BLOB": "B", "STRUCT": "M"}
_IS_TYPES |= {"TUPLE": "M", "LIST": "L"}
_SET_FUNCTIONS = {"set_add": "ADD", "set_delete": "DELETE"}
_VALUE_FUNCTIONS = frozenset({"list_append", "if_not_exists"})


def is_boolean(node: ast.Expr) -> bool:
    """Whether ``node`` is a predicate (``size(x)`` alone is not; a function DynamoDB does
    not know is taken for one, so that it is refused by its name)."""
    if isinstance(node, ast.Call):
        return node.name.lower() != "size"
    if isinstance(node, ast.Binary):
        return node.op in _COMPARISONS or node.op in ("AND", "OR", "LIKE")
    return isinstance(node, _BOOLEAN_NODES)


class Expression:
    """Expression text being written, with its ExpressionAttributeNames and -Values."""

    def __init__(self, parameters: list[AttributeValue]) -> None:
        self.parameters = parameters
        self.names: dict[str, str] = {}
        self.values: dict[str, AttributeValue] = {}
        self._placeholders: dict[str, str] = {}

    def name(self, name: str) -> str:
        placeholder = self._placeholders.get(name)
        if placeholder is None:
            placeholder = f"#n{len(self._placeholders)}"
            self._placeholders[name] = placeholder
            self.names[placeholder] = name
        return placeholder

    def value(self, value: AttributeValue) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = value
        return placeholder

    def path(self, path: ast.Path) -> str:
        text = self.name(path.root)
        for step in path.steps:
            text += f"[{step}]" if isinstance(step, int) else "." + self.name(step)
        return text

    # -- conditions ----------------------------------------------------------------------
    def where(self, node: ast.Expr) -> str:
        """A whole WHERE clause: it must be a predicate."""
        if not is_boolean(node):
            raise PartiQLError(WHERE_NOT_BOOLEAN)
        return self.condition(node)

    def condition(self, node: ast.Expr) -> str:
        if isinstance(node, ast.Binary):
            if node.op in ("AND", "OR"):
                return self.junction(node)
            if node.op in _COMPARISONS:
                return self.comparison(node)
            raise _unsupported("Condition", node.op)
        if isinstance(node, ast.Not):
            if not is_boolean(node.operand):
                raise PartiQLError(NOT_OPERAND)
            return f"NOT ({self.condition(node.operand)})"
        if isinstance(node, ast.Between):
            subject, low = self.operand(node.subject), self.operand(node.low)
            text = f"{subject} BETWEEN {low} AND {self.operand(node.high)}"
            return f"NOT ({text})" if node.negated else text
        if isinstance(node, ast.In):
            return self.membership(node)
        if isinstance(node, ast.IsType):
            return self.type_test(node)
        if isinstance(node, ast.Call):
            return self.call(node, CONDITION_FUNCTIONS | {"size"})
        raise PartiQLError(WHERE_NOT_BOOLEAN)

    def junction(self, node: ast.Binary) -> str:
        """A chain of ANDs (or ORs), written flat: parentheses only for an OR inside an AND
        (AND binds tighter), so long statements stay within the expression size limit."""
        parts = []
        for term in chain(node, node.op):
            if not is_boolean(term):
                raise PartiQLError(AND_OR_OPERANDS)
            text = self.condition(term)
            wrap = node.op == "AND" and isinstance(term, ast.Binary) and term.op == "OR"
            parts.append(f"({text})" if wrap else text)
        return f" {node.op} ".join(parts)

    def comparison(self, node: ast.Binary) -> str:
        # ``attribute_exists(x) = true``: DynamoDB compares a predicate with a boolean.
        for predicate, other in ((node.left, node.right), (node.right, node.left)):
            if node.op in ("=", "<>") and isinstance(other, ast.BoolLit) and is_boolean(predicate):
                text = self.condition(predicate)
                return text if other.value == (node.op == "=") else f"NOT ({text})"
        return f"{self.operand(node.left)} {node.op} {self.operand(node.right)}"

    def membership(self, node: ast.In) -> str:
        options = node.options
        if not isinstance(options, ast.ListLit | ast.BagLit) or not options.items:
            raise PartiQLError(IN_OPERANDS)
        listed = ", ".join(self.operand(item) for item in options.items)
        text = f"{self.operand(node.subject)} IN ({listed})"
        return f"NOT ({text})" if node.negated else text

    def type_test(self, node: ast.IsType) -> str:
        subject = node.subject
        if not (isinstance(subject, ast.Path) or is_value(subject)):
            raise PartiQLError(IS_OPERAND)
        target = self.operand(subject)
        if node.type_name == "MISSING":
            text = f"attribute_not_exists({target})"
        elif node.type_name == "NULL":
            text = f"{target} = {self.value({'NULL': True})}"
        elif node.type_name in _IS_TYPES:
            kind = self.value({"S": _IS_TYPES[node.type_name]})
            text = f"attribute_type({target}, {kind})"
        else:
            raise at(UNSUPPORTED_IS_TYPE.format(node.type_name), node.pos)
        return f"NOT ({text})" if node.negated else text

    def call(self, node: ast.Call, allowed: frozenset[str]) -> str:
        name = node.name.lower()
        if name not in allowed:
            raise at(f"Unrecognized function: {name}", node.pos)
        if len(node.args) != _ARITY[name]:
            raise PartiQLError(
                "Incorrect number of operands for operator or function; operator or function: "
                f"{name}, number of operands: {len(node.args)}"
            )
        return f"{name}({', '.join(self.operand(arg) for arg in node.args)})"

    def operand(self, node: ast.Expr) -> str:
        """A value in a condition: a path, a value, or ``size(path)``."""
        if isinstance(node, ast.Path):
            return self.path(node)
        if isinstance(node, ast.MissingLit):
            raise PartiQLError(MISSING_VALUE)
        if is_value(node):
            return self.value(to_value(node, self.parameters))
        if isinstance(node, ast.Call):
            return self.call(node, CONDITION_FUNCTIONS | {"size"})
        if isinstance(node, ast.Binary):
            raise _unsupported("Condition", node.op)
        if isinstance(node, ast.Negate):
            raise _unsupported("Condition", "-")
        raise PartiQLError(WHERE_NOT_BOOLEAN)

    # -- updates -------------------------------------------------------------------------
    def update(self, actions: tuple[ast.SetAssign | ast.Remove, ...]) -> str:
        """The UpdateExpression of SET / REMOVE actions (``set_add`` and ``set_delete``
        become ADD and DELETE)."""
        clauses: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": [], "DELETE": []}
        for action in actions:
            if isinstance(action, ast.Remove):
                clauses["REMOVE"].append(self.path(action.target))
                continue
            value = action.value
            if isinstance(value, ast.Call) and value.name.lower() in _SET_FUNCTIONS:
                verb = _SET_FUNCTIONS[value.name.lower()]
                clauses[verb].append(self.set_change(verb, action.target, value))
            else:
                clauses["SET"].append(f"{self.path(action.target)} = {self.set_value(value)}")
        return " ".join(f"{verb} {', '.join(parts)}" for verb, parts in clauses.items() if parts)

    def set_change(self, verb: str, target: ast.Path, call: ast.Call) -> str:
        """``set_add(x, <<...>>)`` assigned to ``x``: the ADD (or DELETE) of those members."""
        label = "SET_" + verb
        if len(call.args) != 2:
            raise at(f"{label} must have exactly two arguments", call.pos)
        first, members = call.args
        if not (
            isinstance(first, ast.Path)
            and first.root == target.root
            and first.steps == target.steps
        ):
            raise at(f"The first argument to {label} must equal the assignment value", call.pos)
        value = to_value(members, self.parameters) if is_value(members) else None
        if value is None or not ({"SS", "NS", "BS"} & value.keys()):
            raise at(f"The second argument to {label} must be a value with type SET", first.pos)
        return f"{self.path(target)} {self.value(value)}"

    def set_value(self, node: ast.Expr) -> str:
        if isinstance(node, ast.Path):
            return self.path(node)
        if isinstance(node, ast.MissingLit):
            raise PartiQLError(MISSING_VALUE)
        if is_value(node):
            return self.value(to_value(node, self.parameters))
        if isinstance(node, ast.Binary) and node.op in ("+", "-"):
            return f"{self.set_value(node.left)} {node.op} {self.set_value(node.right)}"
        if isinstance(node, ast.Call):
            name = node.name.lower()
            if name not in _VALUE_FUNCTIONS:
                raise at(f"Unrecognized function: {name}", node.pos)
            return f"{name}({', '.join(self.set_value(arg) for arg in node.args)})"
        if isinstance(node, ast.IsType):
            raise PartiQLError(IS_IN_UPDATE)
        if isinstance(node, ast.Binary):
            raise _unsupported("Update", node.op)
        raise _unsupported("Update", "-" if isinstance(node, ast.Negate) else "NOT")


def _unsupported(kind: str, operator: str) -> PartiQLError:
    symbol = operator.lower() if operator.isalpha() else operator
    return PartiQLError(f"Unsupported operator in {kind} Expression. Operator: {symbol}")
