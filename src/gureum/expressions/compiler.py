"""``compile_expressions``: one request's expressions, validated and compiled, with caching.

Phases: tokenize -> parse (cached by text) -> bind names and validate (cached by texts,
names and key schema) -> compile to closures -> evaluate. A warm request does no parsing and
no tree walking: it checks that ExpressionAttributeValues has exactly the used keys with the
types the expressions need, then pairs the cached closures with those values. When that
quick check fails, the full validation runs again to produce DynamoDB's exact message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .ast import (
    AddAction,
    And,
    Arith,
    Between,
    Compare,
    ConditionAst,
    DeleteAction,
    Func,
    In,
    Not,
    Or,
    Path,
    ProjectionAst,
    SetAction,
    SetValue,
    UpdateAst,
)
from .condition_checks import check_condition
from .errors import ExpressionError
from .evaluate import Predicate, bind, compile_condition, operand_getter, with_values
from .keycondition import KeyCondition, KeyTemplate, key_template
from .parser import parse_condition, parse_projection, parse_update
from .projection import compile_projection
from .resolve import check_names_map, check_unused, check_values_map, nested_heads, references
from .update import (
    ADD,
    DELETE,
    REMOVE,
    SET,
    Step,
    UpdatePlan,
    UpdateProgram,
    ValueFn,
    arithmetic,
    if_not_exists,
    list_append,
    required,
)
from .update_checks import check_projection, check_update
from .value_rules import ValueRules
from .values import AV, Item

Values = dict[str, AV]
Projector = Callable[[Item], Item]
_CACHE_SIZE = 4096


class Compiled:
    """What one request's expressions (or legacy parameters) became."""

    __slots__ = (
        "condition",
        "filter",
        "filter_names",
        "key_condition",
        "projection",
        "projection_names",
        "update",
    )

    def __init__(
        self,
        condition: Callable[[Item | None], bool] | None = None,
        filter: Callable[[Item], bool] | None = None,
        projection: Projector | None = None,
        update: UpdateProgram | None = None,
        key_condition: KeyCondition | None = None,
        filter_names: frozenset[str] = frozenset(),
        projection_names: frozenset[str] = frozenset(),
    ) -> None:
        self.condition = condition
        self.filter = filter
        self.projection = projection
        self.update = update
        self.key_condition = key_condition
        # Top-level attributes the filter reads (for the Query rule that a filter may not
        # name a key attribute, when the key condition comes from another parameter).
        self.filter_names = filter_names
        # Top-level attributes the projection names (an index read checks they are projected)
        self.projection_names = projection_names


# -- validation (the slow, exact path) ------------------------------------------------------


class _Texts:
    __slots__ = ("condition", "filter", "key_condition", "projection", "update")

    def __init__(
        self,
        condition: str | None,
        filter: str | None,
        key_condition: str | None,
        projection: str | None,
        update: str | None,
    ) -> None:
        self.condition = condition
        self.filter = filter
        self.key_condition = key_condition
        self.projection = projection
        self.update = update


def _validate(texts: _Texts, names: dict[str, str] | None, values: Values | None) -> list[Any]:
    """Parse and check every expression in DynamoDB's order; raise the first error.

    Returns the syntax trees in the order Update, Condition, KeyCondition, Filter, Projection
    (absent ones as None).
    """
    if names is not None and all(
        text is None
        for text in (
            texts.update,
            texts.condition,
            texts.key_condition,
            texts.filter,
            texts.projection,
        )
    ):
        raise ExpressionError(
            "ExpressionAttributeNames can only be specified when using expressions"
        )
    check_names_map(names)
    check_values_map(values)
    known_names = names or {}
    known_values = values or {}
    trees: list[Any] = []
    if texts.update is not None:
        update_ast = parse_update(texts.update)
        problem = check_update(update_ast, known_names, known_values)
        if problem:
            raise ExpressionError(f"Invalid UpdateExpression: {problem}")
        trees.append(update_ast)
    else:
        trees.append(None)
    for label, text in (
        ("ConditionExpression", texts.condition),
        ("KeyConditionExpression", texts.key_condition),
        ("FilterExpression", texts.filter),
    ):
        if text is None:
            trees.append(None)
            continue
        condition_ast = parse_condition(label, text)
        problem = check_condition(condition_ast, known_names, known_values)
        if problem:
            raise ExpressionError(f"Invalid {label}: {problem}")
        trees.append(condition_ast)
    if texts.projection is not None:
        projection_ast = parse_projection(texts.projection)
        problem = check_projection(projection_ast, known_names)
        if problem:
            raise ExpressionError(f"Invalid ProjectionExpression: {problem}")
        trees.append(projection_ast)
    else:
        trees.append(None)
    check_unused(names, values, [tree for tree in trees if tree is not None])
    return trees


# -- compiling ------------------------------------------------------------------------------


def _set_value(node: SetValue, names: dict[str, str]) -> ValueFn:
    if isinstance(node, Arith):
        return arithmetic(node.op, _set_value(node.left, names), _set_value(node.right, names))
    if isinstance(node, Func):
        if node.name == "if_not_exists":
            path = node.args[0]
            assert isinstance(path, Path)
            return if_not_exists(bind(path, names), _set_value(node.args[1], names))
        return list_append(_set_value(node.args[0], names), _set_value(node.args[1], names))
    return required(operand_getter(node, names))


def _update_plan(ast: UpdateAst, names: dict[str, str]) -> UpdatePlan:
    steps: list[Step] = []
    for action in ast.actions:
        path = bind(action.path, names)
        if isinstance(action, SetAction):
            steps.append(Step(SET, path, _set_value(action.value, names)))
        elif isinstance(action, AddAction):
            steps.append(Step(ADD, path, required(operand_getter(action.value, names))))
        elif isinstance(action, DeleteAction):
            steps.append(Step(DELETE, path, required(operand_getter(action.value, names))))
        else:
            steps.append(Step(REMOVE, path))
    return UpdatePlan(steps)


def _top_names(ast: ConditionAst, names: dict[str, str]) -> frozenset[str]:
    heads: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, Path):
            heads.add(str(bind(node, names)[0]))
        elif isinstance(node, Func):
            for arg in node.args:
                visit(arg)
        elif isinstance(node, (And, Or)):
            for item in node.items:
                visit(item)
        elif isinstance(node, Not):
            visit(node.item)
        elif isinstance(node, Compare):
            visit(node.left)
            visit(node.right)
        elif isinstance(node, Between):
            for part in (node.subject, node.low, node.high):
                visit(part)
        elif isinstance(node, In):
            for part in (node.subject, *node.options):
                visit(part)

    visit(ast.root)
    return frozenset(heads)


def check_filter_keys(
    filter_names: frozenset[str], key_schema: tuple[str, str | None], parameter: str
) -> None:
    """A Query's filter may not read a key attribute (``parameter``: "Filter Expression" or
    "QueryFilter")."""
    for key in key_schema:
        if key is not None and key in filter_names:
            raise ExpressionError(
                f"{parameter} can only contain non-primary key attributes: "
                f"Primary key attribute: {key}"
            )


KEY_PATH = (
    "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed"
)


def check_key_paths(
    heads: frozenset[str], key_names: tuple[str, ...], index_key_names: tuple[str, ...]
) -> None:
    """No expression may look inside a key attribute of the table (``Key: p``) or of one of its
    indexes (``IndexKey: d``): key attributes are scalars. ``heads`` are the top-level names
    one expression reads with ``.`` or ``[]``; keys are tried in schema order, table first."""
    if not heads:
        return
    for key in key_names:
        if key in heads:
            raise ExpressionError(f"{KEY_PATH}: Key: {key}")
    for key in index_key_names:
        if key in heads:
            raise ExpressionError(f"{KEY_PATH}: IndexKey: {key}")


class _Bound:
    """Everything about a request's expressions that does not depend on its values."""

    __slots__ = (
        "condition",
        "filter",
        "filter_names",
        "key",
        "projection",
        "projection_names",
        "texts",
        "update",
        "values_ok",
    )

    def __init__(
        self,
        texts: _Texts,
        trees: list[Any],
        names: dict[str, str],
        key_schema: tuple[str, str | None] | None,
        key_names: tuple[str, ...],
        index_key_names: tuple[str, ...],
    ) -> None:
        update_ast, condition_ast, key_ast, filter_ast, projection_ast = trees
        self.texts = texts
        rules = ValueRules()
        self.update: UpdatePlan | None = None
        if update_ast is not None:
            self.update = _update_plan(update_ast, names)
            rules.update(update_ast)
        self.condition: Predicate | None = None
        if condition_ast is not None:
            self.condition = compile_condition(condition_ast.root, names)
            rules.condition(condition_ast.root)
        self.key: KeyTemplate | None = None
        if key_ast is not None:
            rules.condition(key_ast.root)
            if key_schema is not None:  # without it: checked, not compiled (table unknown)
                self.key = key_template(key_ast.root, names, key_schema)
        if key_names or index_key_names:
            _check_key_paths_before_filter(
                condition_ast, update_ast, projection_ast, names, key_names, index_key_names
            )
        self.filter: Predicate | None = None
        self.filter_names: frozenset[str] = frozenset()
        if filter_ast is not None:
            self.filter = compile_condition(filter_ast.root, names)
            self.filter_names = _top_names(filter_ast, names)
            rules.condition(filter_ast.root)
            if key_schema is not None and key_ast is not None:
                check_filter_keys(self.filter_names, key_schema, "Filter Expression")
            if key_names or index_key_names:
                check_key_paths(nested_heads(filter_ast, names), key_names, index_key_names)
        self.projection: Projector | None = None
        self.projection_names: frozenset[str] = frozenset()
        if projection_ast is not None:
            paths = [bind(p, names) for p in projection_ast.paths]
            self.projection = compile_projection(paths)
            self.projection_names = frozenset(str(path[0]) for path in paths)
        used: set[str] = set()
        for tree in trees:
            if tree is not None:
                _used_values(tree, used)
        self.values_ok = rules.compile(frozenset(used))

    def instantiate(self, values: Values) -> Compiled:
        return Compiled(
            None if self.condition is None else with_values(self.condition, values),
            None if self.filter is None else with_values(self.filter, values),
            self.projection,
            None if self.update is None else UpdateProgram(self.update, values),
            None if self.key is None else self.key.fill(values),
            self.filter_names,
            self.projection_names,
        )


def _check_key_paths_before_filter(
    condition_ast: ConditionAst | None,
    update_ast: UpdateAst | None,
    projection_ast: ProjectionAst | None,
    names: dict[str, str],
    key_names: tuple[str, ...],
    index_key_names: tuple[str, ...],
) -> None:
    """The key-path rule for the ConditionExpression, then the UpdateExpression, then the
    ProjectionExpression (the FilterExpression comes after a Query's filter-key rule).

    An UpdateExpression that writes a key attribute is left alone: the service answers
    "Cannot update attribute p. This attribute is part of the key" first (DynamoDB Local and
    dynalite check that before the key paths)."""
    if condition_ast is not None:
        check_key_paths(nested_heads(condition_ast, names), key_names, index_key_names)
    if update_ast is not None:
        targets = {str(bind(action.path, names)[0]) for action in update_ast.actions}
        if targets.isdisjoint(key_names):
            check_key_paths(nested_heads(update_ast, names), key_names, index_key_names)
    if projection_ast is not None:
        check_key_paths(nested_heads(projection_ast, names), key_names, index_key_names)


def _used_values(tree: Any, used: set[str]) -> None:
    used.update(references([tree])[1])


_cache: dict[tuple[Any, ...], _Bound] = {}


def compile_expressions(
    *,
    condition: str | None = None,
    filter: str | None = None,
    key_condition: str | None = None,
    projection: str | None = None,
    update: str | None = None,
    names: dict[str, str] | None = None,
    values: Values | None = None,
    key_schema: tuple[str, str | None] | None = None,
    key_names: tuple[str, ...] = (),
    index_key_names: tuple[str, ...] = (),
) -> Compiled:
    """Validate and compile one request's expressions (see the package README).

    ``key_schema`` is the (hash, range) key of what a KeyConditionExpression queries (the table
    or the index). ``key_names`` are the table's key attributes and ``index_key_names`` those of
    its secondary indexes, in schema order: a Condition-, Update-, Projection- or
    FilterExpression that looks inside one of them (``p.a``, ``p[0]``) is rejected.
    """
    key = (
        condition,
        filter,
        key_condition,
        projection,
        update,
        key_schema,
        None if names is None else tuple(names.items()),
        key_names,
        index_key_names,
    )
    request_values: Values = {} if values is None else values
    bound = _cache.get(key)
    if bound is None:
        texts = _Texts(condition, filter, key_condition, projection, update)
        trees = _validate(texts, names, values)
        bound = _Bound(texts, trees, names or {}, key_schema, key_names, index_key_names)
        if len(_cache) >= _CACHE_SIZE:
            del _cache[next(iter(_cache))]
        _cache[key] = bound
    elif (values is not None and not values) or not bound.values_ok(request_values):
        _validate(bound.texts, names, values)  # raises the exact error
    return bound.instantiate(request_values)
