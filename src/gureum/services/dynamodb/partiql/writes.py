"""INSERT, UPDATE, DELETE and EXISTS as the item operations DynamoDB runs them as, and the
single-item SELECT of a batch or transaction as a GetItem.

* INSERT is a PutItem on the condition that the item does not exist (an existing one is a
  DuplicateItemException);
* UPDATE is an UpdateItem on the condition that the item exists and that the rest of its
  WHERE clause holds;
* DELETE is a DeleteItem on the condition that the rest of its WHERE clause holds, if the
  item is there (deleting nothing succeeds);
* EXISTS is a ConditionCheck of a transaction.

``Translation`` holds the request (the members TransactWriteItems' actions share with the
single-item operations) and the key it writes, for the checks of batches and transactions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gureum.core.errors import ServiceError
from gureum.partiql import PartiQLError, ast
from gureum.services.dynamodb import errors
from gureum.services.dynamodb.partiql.calls import call, duplicate_item
from gureum.services.dynamodb.partiql.expressions import Expression
from gureum.services.dynamodb.partiql.keys import NO_KEY, check_key_types, split_key
from gureum.services.dynamodb.partiql.values import tuple_map

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.items import ItemOperations
    from gureum.services.dynamodb.model import Table

AttributeValue = dict[str, Any]
Request = dict[str, Any]
TableLookup = Callable[[str], "Table | None"]

EXISTS_NEEDS_CONDITION = "EXISTS() must contain a single item read with additional condition"
EXISTS_OUTSIDE_TRANSACTION = "EXISTS can only be used in ExecuteTransaction write requests."


@dataclass(frozen=True, slots=True)
class Translation:
    """What a statement runs as: ``operation`` is GetItem, PutItem, UpdateItem, DeleteItem
    or ConditionCheck; ``key`` the primary key of its item."""

    operation: str
    table: Table
    request: Request
    key: dict[str, AttributeValue]
    returning: ast.Returning | None = None
    projection: tuple[ast.Path, ...] | None = None  # of a GetItem


def _find(lookup: TableLookup, name: str) -> Table:
    table = lookup(name)
    if table is None:
        raise errors.table_not_found()
    return table


def _with_expression(request: Request, expression: Expression) -> Request:
    if expression.names:
        request["ExpressionAttributeNames"] = expression.names
    if expression.values:
        request["ExpressionAttributeValues"] = expression.values
    return request


def insert(
    statement: ast.Insert, parameters: list[AttributeValue], lookup: TableLookup
) -> Translation:
    assert isinstance(statement.value, ast.TupleLit)  # the parser sees to it
    item = tuple_map(statement.value, parameters, "root", item=True)
    table = _find(lookup, statement.table)
    for name in table.key.names:
        if name not in item:
            raise PartiQLError(f"Key attribute should be present in the item: Key {name}")
    key = {name: item[name] for name in table.key.names}
    check_key_types(key, table.key)
    request = {
        "TableName": table.name,
        "Item": item,
        "ConditionExpression": "attribute_not_exists(#h)",
        "ExpressionAttributeNames": {"#h": table.key.hash_name},
    }
    return Translation("PutItem", table, request, key)


def update(
    statement: ast.Update, parameters: list[AttributeValue], lookup: TableLookup
) -> Translation:
    if statement.where is not None:
        Expression(parameters).where(statement.where)  # the clause's own errors come first
    Expression(parameters).update(statement.actions)
    table = _find(lookup, statement.table)
    key, rest = split_key(statement.where, table.key, parameters)
    expression = Expression(parameters)
    update_text = expression.update(statement.actions)
    condition = f"attribute_exists({expression.name(table.key.hash_name)})"
    if rest is not None:
        condition += f" AND ({expression.where(rest)})"
    request = {
        "TableName": table.name,
        "Key": key,
        "UpdateExpression": update_text,
        "ConditionExpression": condition,
    }
    if statement.returning is not None:
        request["ReturnValues"] = statement.returning.return_values
    return Translation(
        "UpdateItem", table, _with_expression(request, expression), key, statement.returning
    )


def delete(
    statement: ast.Delete, parameters: list[AttributeValue], lookup: TableLookup
) -> Translation:
    if statement.where is not None:
        Expression(parameters).where(statement.where)
    table = _find(lookup, statement.table)
    key, rest = split_key(statement.where, table.key, parameters)
    returning = statement.returning
    if returning is not None and returning.mode != "ALL OLD":
        raise PartiQLError(
            f"Invalid returning clause: RETURNING {returning.mode} *. Only RETURNING ALL OLD * "
            "is allowed in DELETE statements."
        )
    expression = Expression(parameters)
    request: Request = {"TableName": table.name, "Key": key}
    if rest is not None:
        missing = f"attribute_not_exists({expression.name(table.key.hash_name)})"
        request["ConditionExpression"] = f"{missing} OR ({expression.where(rest)})"
    if returning is not None:
        request["ReturnValues"] = "ALL_OLD"
    return Translation("DeleteItem", table, _with_expression(request, expression), key, returning)


def translate_write(
    statement: ast.Insert | ast.Update | ast.Delete,
    parameters: list[AttributeValue],
    lookup: TableLookup,
) -> Translation:
    """The item operation an INSERT, UPDATE or DELETE statement stands for."""
    if isinstance(statement, ast.Insert):
        return insert(statement, parameters, lookup)
    if isinstance(statement, ast.Update):
        return update(statement, parameters, lookup)
    return delete(statement, parameters, lookup)


def condition_check(
    statement: ast.Exists, parameters: list[AttributeValue], lookup: TableLookup
) -> Translation:
    select = statement.select
    if select.where is not None:
        Expression(parameters).where(select.where)
    if select.index is not None:
        raise PartiQLError("Operations on indices are not supported in transactions")
    table = _find(lookup, select.table)
    try:
        key, rest = split_key(select.where, table.key, parameters)
    except PartiQLError as exc:
        if exc.message == NO_KEY:
            raise PartiQLError(EXISTS_NEEDS_CONDITION) from None
        raise
    if rest is None:
        raise PartiQLError(EXISTS_NEEDS_CONDITION)
    expression = Expression(parameters)
    exists = f"attribute_exists({expression.name(table.key.hash_name)})"
    condition = f"{exists} AND ({expression.where(rest)})"
    request = {"TableName": table.name, "Key": key, "ConditionExpression": condition}
    return Translation("ConditionCheck", table, _with_expression(request, expression), key)


def single_get(
    select: ast.Select, parameters: list[AttributeValue], lookup: TableLookup, refusal: str
) -> Translation:
    """A SELECT of one item by its whole key and nothing else (``refusal``: the text for
    any other SELECT)."""
    if select.where is not None:
        Expression(parameters).where(select.where)
    if select.index is not None:
        raise PartiQLError(refusal)
    table = _find(lookup, select.table)
    try:
        key, rest = split_key(select.where, table.key, parameters)
    except PartiQLError as exc:
        if exc.message == NO_KEY:
            raise PartiQLError(refusal) from None
        raise
    if rest is not None:
        raise PartiQLError(refusal)
    request = {"TableName": table.name, "Key": key}
    return Translation("GetItem", table, request, key, projection=select.projection)


def execute(
    translation: Translation, items: ItemOperations, ctx: RequestContext, extra: Request
) -> dict[str, Any]:
    """Run a translated INSERT, UPDATE, DELETE or single-item SELECT as its item operation
    (``extra``: request members the caller adds, such as ReturnConsumedCapacity)."""
    handlers = {
        "GetItem": items.get_item,
        "PutItem": items.put_item,
        "UpdateItem": items.update_item,
        "DeleteItem": items.delete_item,
    }
    request = {**translation.request, **extra}
    try:
        return call(handlers[translation.operation], ctx, request)
    except ServiceError as exc:
        if translation.operation == "PutItem" and exc.code == "ConditionalCheckFailedException":
            raise duplicate_item() from None
        raise
