"""BatchExecuteStatement: up to 25 statements, all reads or all writes, each answered on its
own.

The batch as a whole is refused only when it mixes reads with writes or names one item twice;
any other problem of a statement is that statement's ``Error`` (``ValidationError``,
``ConditionalCheckFailed``, ``DuplicateItem``, ``ResourceNotFound``, ...) and the others still
run. A read must name one item by its whole primary key. A statement that reached its table
is answered with the table's name (and the item, for a read or a RETURNING clause).

The documented limits (1 to 25 statements, each of at most 8,192 characters) are constraints
of the API model, which the wire layer enforces with the front end's texts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.errors import ServiceError
from gureum.partiql import ParsedStatement, PartiQLError, ast
from gureum.services.dynamodb import errors
from gureum.services.dynamodb.capacity import consumed
from gureum.services.dynamodb.partiql.calls import capacity_units, check_members, refused
from gureum.services.dynamodb.partiql.select import project
from gureum.services.dynamodb.partiql.values import prepare
from gureum.services.dynamodb.partiql.writes import (
    EXISTS_OUTSIDE_TRANSACTION,
    Translation,
    execute,
    single_get,
    translate_write,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.items import ItemOperations
    from gureum.services.dynamodb.model import Table

Request = dict[str, Any]

MIXED = "Read and write requests together in the same batch is not supported."
DUPLICATES = "Provided list of item keys contains duplicates"
READ_NEEDS_KEY = (
    "Select statements within BatchExecuteStatement must specify the primary key in the "
    "where clause."
)
# Error codes of BatchStatementError, by the exception the statement alone would raise.
_CODES = {
    "ValidationException": "ValidationError",
    "SerializationException": "ValidationError",
    "ConditionalCheckFailedException": "ConditionalCheckFailed",
    "ResourceNotFoundException": "ResourceNotFound",
    "DuplicateItemException": "DuplicateItem",
    "ItemCollectionSizeLimitExceededException": "ItemCollectionSizeLimitExceeded",
    "ProvisionedThroughputExceededException": "ProvisionedThroughputExceeded",
    "TransactionConflictException": "TransactionConflict",
    "ThrottlingException": "ThrottlingError",
    "AccessDeniedException": "AccessDenied",
}


def statement_error(exc: ServiceError, table: str | None = None) -> dict[str, Any]:
    """The response of a statement that failed: its BatchStatementError."""
    error: dict[str, Any] = {"Code": _CODES.get(exc.code, exc.code), "Message": exc.message}
    if exc.extra and "Item" in exc.extra:
        error["Item"] = exc.extra["Item"]
    out: dict[str, Any] = {"Error": error}
    if table is not None:
        out["TableName"] = table
    return out


class BatchRunner:
    def __init__(self, items: ItemOperations) -> None:
        self._items = items

    def run(
        self, ctx: RequestContext, request: Request, lookup: Callable[[str], Table | None]
    ) -> dict[str, Any]:
        entries: list[dict[str, Any]] = request["Statements"]
        check_members(entries, "statements")
        parsed: list[ParsedStatement | ServiceError] = []
        kinds: set[bool] = set()  # whether each parsed statement reads
        for entry in entries:
            try:
                statement = prepare(entry["Statement"], entry.get("Parameters") or [])
            except PartiQLError as exc:
                parsed.append(refused(exc))
                continue
            except ServiceError as exc:
                parsed.append(exc)
                continue
            parsed.append(statement)
            if not isinstance(statement.statement, ast.Exists):
                kinds.add(isinstance(statement.statement, ast.Select))
        if len(kinds) > 1:
            raise errors.invalid(MIXED)
        translations = [
            self._translate(entry, item, lookup) if not isinstance(item, ServiceError) else item
            for entry, item in zip(entries, parsed, strict=True)
        ]
        seen: set[bytes] = set()
        for translation in translations:
            if isinstance(translation, Translation):
                target = orjson.dumps([translation.table.id, translation.key])
                if target in seen:
                    raise errors.invalid(DUPLICATES)
                seen.add(target)
        mode = request.get("ReturnConsumedCapacity")
        capacity: dict[str, float] = {}
        responses = []
        for entry, translation in zip(entries, translations, strict=True):
            if isinstance(translation, ServiceError):
                responses.append(statement_error(translation))
                continue
            responses.append(self._run_one(ctx, entry, translation, mode, capacity))
        out: dict[str, Any] = {"Responses": responses}
        if mode is not None and mode != "NONE":
            out["ConsumedCapacity"] = [
                consumed(name, units, mode) for name, units in capacity.items()
            ]
        return out

    @staticmethod
    def _translate(
        entry: Request, parsed: ParsedStatement, lookup: Callable[[str], Table | None]
    ) -> Translation | ServiceError:
        statement = parsed.statement
        parameters = entry.get("Parameters") or []
        try:
            if isinstance(statement, ast.Select):
                return single_get(statement, parameters, lookup, READ_NEEDS_KEY)
            if isinstance(statement, ast.Exists):
                return refused(PartiQLError(EXISTS_OUTSIDE_TRANSACTION))
            return translate_write(statement, parameters, lookup)
        except PartiQLError as exc:
            return refused(exc)
        except ServiceError as exc:
            return exc

    def _run_one(
        self,
        ctx: RequestContext,
        entry: Request,
        translation: Translation,
        mode: str | None,
        capacity: dict[str, float],
    ) -> dict[str, Any]:
        table = translation.table.name
        extra: Request = {}
        if mode is not None:
            extra["ReturnConsumedCapacity"] = mode
        member = (
            "ConsistentRead"
            if translation.operation == "GetItem"
            else "ReturnValuesOnConditionCheckFailure"
        )
        if member in entry:
            extra[member] = entry[member]
        try:
            response = execute(translation, self._items, ctx, extra)
        except ServiceError as exc:
            return statement_error(exc, table)
        capacity[table] = capacity.get(table, 0.0) + capacity_units(response)
        out: dict[str, Any] = {"TableName": table}
        item = response.get("Item") or response.get("Attributes")
        if item is not None and translation.projection is not None:
            item = project(item, translation.projection)
        if item:
            out["Item"] = item
        return out
