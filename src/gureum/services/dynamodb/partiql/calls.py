"""Calling the item operations a PartiQL statement stands for, and their errors in the words
DynamoDB's PartiQL uses.

A statement runs as GetItem, PutItem, UpdateItem, DeleteItem, Query or Scan (or a
transaction); their refusals come back without the name of the expression member the
statement never had ("Invalid ConditionExpression: ..."), as DynamoDB answers a statement.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.errors import DYNAMODB_NAMESPACE, ServiceError, constraint_violations
from gureum.services.dynamodb import errors

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.expressions import ExpressionError
    from gureum.partiql import PartiQLError

Request = dict[str, Any]
Handler = Callable[["RequestContext", Request], "dict[str, Any] | bytes"]

DUPLICATE_ITEM = "Duplicate primary key exists in table"
_EXPRESSION_PREFIXES = tuple(
    f"Invalid {member}: "
    for member in (
        "ConditionExpression",
        "FilterExpression",
        "KeyConditionExpression",
        "ProjectionExpression",
        "UpdateExpression",
    )
)
_VALUES_PREFIX = "ExpressionAttributeValues contains invalid value: "


def duplicate_item() -> ServiceError:
    return ServiceError("DuplicateItemException", DUPLICATE_ITEM, 400, DYNAMODB_NAMESPACE)


def refused(exc: PartiQLError | ExpressionError) -> ServiceError:
    """A statement DynamoDB refuses, as the ValidationException it answers."""
    return errors.invalid(_statement_words(exc.message))


def _statement_words(message: str) -> str:
    for prefix in _EXPRESSION_PREFIXES:
        if message.startswith(prefix):
            return message[len(prefix) :]
    if message.startswith(_VALUES_PREFIX) and " for key :" in message:
        return message[len(_VALUES_PREFIX) : message.rindex(" for key :")]
    return message


def reworded(exc: ServiceError) -> ServiceError:
    """An item operation's error as the statement's: expression members unnamed."""
    if exc.code != "ValidationException":
        return exc
    message = _statement_words(exc.message)
    if message == exc.message:
        return exc
    return ServiceError(exc.code, message, exc.status, exc.namespace, exc.extra)


def call(handler: Handler, ctx: RequestContext, request: Request) -> dict[str, Any]:
    """Run an item operation; its response as a dict (hot paths answer ready JSON)."""
    try:
        response = handler(ctx, request)
    except ServiceError as exc:
        raise reworded(exc) from None
    if isinstance(response, bytes):
        decoded: dict[str, Any] = orjson.loads(response)
        return decoded
    return response


def capacity_units(response: dict[str, Any]) -> float:
    consumed = response.get("ConsumedCapacity")
    return float(consumed["CapacityUnits"]) if consumed else 0.0


def check_members(entries: list[Any], member: str) -> None:
    """A list of statements must not hold nulls (the front end's constraint text)."""
    violations = [
        # [gureum] the front end's wording for a null member of a list
        f"Value null at '{member}.{position}.member' failed to satisfy constraint: "
        "Member must not be null"
        for position, entry in enumerate(entries, 1)
        if entry is None
    ]
    if violations:
        raise constraint_violations(violations)
