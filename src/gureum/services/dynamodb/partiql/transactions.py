"""ExecuteTransaction: up to 100 statements, all reads (TransactGetItems) or all writes and
EXISTS checks (TransactWriteItems), all or nothing.

Every statement is checked before any runs; a refusal names the statement
(``Validation failed in TransactStatements[i]: ...``). Reads must name one item by its whole
key, writes may not ask for RETURNING. A write transaction answers an empty ``Responses``
list; a read transaction one entry per statement. An INSERT of an existing item cancels the
transaction with the reason ``DuplicateItem``. The 1 to 100 statements are a constraint of
the API model, enforced by the wire layer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from gureum.core.errors import ServiceError
from gureum.partiql import PartiQLError, ast
from gureum.services.dynamodb import errors
from gureum.services.dynamodb.partiql.calls import DUPLICATE_ITEM, call, check_members
from gureum.services.dynamodb.partiql.select import project
from gureum.services.dynamodb.partiql.values import prepare
from gureum.services.dynamodb.partiql.writes import (
    Translation,
    condition_check,
    single_get,
    translate_write,
)

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.model import Table

Request = dict[str, Any]
Lookup = Callable[[str], "Table | None"]

MIXED = (
    "ExecuteTransaction API does not support both read and write operations in the same request."
)
READ_NEEDS_KEY = (
    "Select statements within ExecuteTransaction must specify the primary key in the where clause."
)
INDEX_READ = "Reads on indices are not supported within transactions."
RETURNING = "RETURNING clause is not supported in ExecuteTransaction."
_ACTIONS = {
    "PutItem": "Put",
    "UpdateItem": "Update",
    "DeleteItem": "Delete",
    "ConditionCheck": "ConditionCheck",
}


class Transactions(Protocol):
    """The handlers ExecuteTransaction runs on (TransactionOperations)."""

    def transact_get_items(
        self, ctx: RequestContext, request: Request
    ) -> dict[str, Any] | bytes: ...

    def transact_write_items(
        self, ctx: RequestContext, request: Request
    ) -> dict[str, Any] | bytes: ...


class TransactionRunner:
    """ExecuteTransaction over TransactGetItems and TransactWriteItems."""

    def __init__(self, transactions: Transactions) -> None:
        self._transactions = transactions

    def run(self, ctx: RequestContext, request: Request, lookup: Lookup) -> dict[str, Any]:
        transactions = self._transactions
        entries: list[Request] = request["TransactStatements"]
        check_members(entries, "transactStatements")
        translations: list[Translation] = []
        reads: bool | None = None
        for position, entry in enumerate(entries):
            try:
                parsed = prepare(entry["Statement"], entry.get("Parameters") or [])
                statement = parsed.statement
                reading = isinstance(statement, ast.Select)
                if reads is not None and reading != reads:
                    raise errors.invalid(MIXED)
                reads = reading
                translations.append(_translate(statement, entry, lookup))
            except PartiQLError as exc:
                raise errors.invalid(
                    f"Validation failed in TransactStatements[{position}]: {exc.message}"
                ) from None
        if reads:
            return _read(transactions, ctx, request, translations)
        return _write(transactions, ctx, request, entries, translations)


def _read(
    transactions: Transactions,
    ctx: RequestContext,
    request: Request,
    translations: list[Translation],
) -> dict[str, Any]:
    transact: Request = {"TransactItems": [{"Get": t.request} for t in translations]}
    if "ReturnConsumedCapacity" in request:
        transact["ReturnConsumedCapacity"] = request["ReturnConsumedCapacity"]
    response = call(transactions.transact_get_items, ctx, transact)
    responses = []
    for translation, answer in zip(translations, response["Responses"], strict=True):
        item = answer.get("Item")
        if item is not None and translation.projection is not None:
            item = project(item, translation.projection)
        responses.append({"Item": item} if item is not None else {})
    out: dict[str, Any] = {"Responses": responses}
    if "ConsumedCapacity" in response:
        out["ConsumedCapacity"] = response["ConsumedCapacity"]
    return out


def _write(
    transactions: Transactions,
    ctx: RequestContext,
    request: Request,
    entries: list[Request],
    translations: list[Translation],
) -> dict[str, Any]:
    actions = []
    for entry, translation in zip(entries, translations, strict=True):
        action = dict(translation.request)
        member = "ReturnValuesOnConditionCheckFailure"
        if member in entry:
            action[member] = entry[member]
        actions.append({_ACTIONS[translation.operation]: action})
    transact: Request = {"TransactItems": actions}
    for member in ("ClientRequestToken", "ReturnConsumedCapacity"):
        if member in request:
            transact[member] = request[member]
    try:
        response = call(transactions.transact_write_items, ctx, transact)
    except ServiceError as exc:
        raise _duplicates_named(exc, translations) from None
    out: dict[str, Any] = {"Responses": []}
    if "ConsumedCapacity" in response:
        out["ConsumedCapacity"] = response["ConsumedCapacity"]
    return out


def _translate(statement: ast.Statement, entry: Request, lookup: Lookup) -> Translation:
    parameters = entry.get("Parameters") or []
    if isinstance(statement, ast.Select):
        if statement.index is not None:
            raise PartiQLError(INDEX_READ)
        return single_get(statement, parameters, lookup, READ_NEEDS_KEY)
    if isinstance(statement, ast.Exists):
        return condition_check(statement, parameters, lookup)
    translation = translate_write(statement, parameters, lookup)
    if translation.returning is not None:
        raise PartiQLError(RETURNING)
    return translation


def _duplicates_named(exc: ServiceError, translations: list[Translation]) -> ServiceError:
    """A cancellation whose INSERTs failed their condition: the item existed, which PartiQL
    reports as ``DuplicateItem``."""
    reasons = (exc.extra or {}).get("CancellationReasons")
    if exc.code != "TransactionCanceledException" or not isinstance(reasons, list):
        return exc
    if len(reasons) != len(translations):
        return exc
    renamed = []
    for translation, reason in zip(translations, reasons, strict=True):
        if translation.operation == "PutItem" and reason.get("Code") == "ConditionalCheckFailed":
            reason = {"Code": "DuplicateItem", "Message": DUPLICATE_ITEM}
        renamed.append(reason)
    return errors.transaction_cancelled(renamed)
