"""PartiQL: ExecuteStatement, BatchExecuteStatement, ExecuteTransaction.

A statement is parsed once (``gureum.partiql``, cached by its text), checked against its
parameters, and run as the operations DynamoDB runs it as: SELECT as Query, Scan or GetItem
(``select.py``), INSERT / UPDATE / DELETE as PutItem / UpdateItem / DeleteItem on the
conditions PartiQL implies (``writes.py``). A batch runs its statements one by one
and answers each with its item or its error (``batch.py``); a transaction runs as
TransactGetItems or TransactWriteItems (``transactions.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.partiql import PartiQLError, ast
from gureum.services.dynamodb.capacity import consumed
from gureum.services.dynamodb.partiql.batch import BatchRunner
from gureum.services.dynamodb.partiql.calls import capacity_units, refused
from gureum.services.dynamodb.partiql.select import SelectRunner
from gureum.services.dynamodb.partiql.transactions import TransactionRunner, Transactions
from gureum.services.dynamodb.partiql.values import prepare
from gureum.services.dynamodb.partiql.writes import (
    EXISTS_OUTSIDE_TRANSACTION,
    execute,
    translate_write,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.items import ItemOperations
    from gureum.services.dynamodb.model import Table
    from gureum.services.dynamodb.reads import ReadOperations

Request = dict[str, Any]
Response = dict[str, Any] | bytes


class PartiQLOperations:
    """The three PartiQL operations. ``transactions`` provides ``transact_get_items`` and
    ``transact_write_items`` (ExecuteTransaction needs them)."""

    def __init__(
        self,
        catalog: TableCatalog,
        items: ItemOperations,
        reads: ReadOperations,
        transactions: Transactions,
    ) -> None:
        self._catalog = catalog
        self._items = items
        self._select = SelectRunner(items, reads)
        self._batch = BatchRunner(items)
        self._transactions = TransactionRunner(transactions)

    def _lookup(self, ctx: RequestContext) -> Callable[[str], Table | None]:
        return lambda name: self._catalog.lookup(ctx, name)

    # --- ExecuteStatement

    def execute_statement(self, ctx: RequestContext, request: Request) -> Response:
        parameters: list[dict[str, Any]] = request.get("Parameters") or []
        try:
            statement = prepare(request["Statement"], parameters).statement
            if isinstance(statement, ast.Select):
                return self._select.run(ctx, request, statement, self._lookup(ctx), parameters)
            if isinstance(statement, ast.Exists):
                raise PartiQLError(EXISTS_OUTSIDE_TRANSACTION)
            return self._write(ctx, request, statement, parameters)
        except PartiQLError as exc:
            raise refused(exc) from None

    def _write(
        self,
        ctx: RequestContext,
        request: Request,
        statement: ast.Insert | ast.Update | ast.Delete,
        parameters: list[dict[str, Any]],
    ) -> Response:
        lookup = self._lookup(ctx)
        translation = translate_write(statement, parameters, lookup)
        extra: Request = {
            member: request[member]
            for member in ("ReturnConsumedCapacity", "ReturnValuesOnConditionCheckFailure")
            if member in request
        }
        response = execute(translation, self._items, ctx, extra)
        attributes = response.get("Attributes")
        out: dict[str, Any] = {"Items": [attributes] if attributes else []}
        mode = request.get("ReturnConsumedCapacity")
        if mode is not None and mode != "NONE":
            units = capacity_units(response)
            out["ConsumedCapacity"] = consumed(translation.table.name, units, mode)
        return out

    # --- BatchExecuteStatement, ExecuteTransaction

    def batch_execute_statement(self, ctx: RequestContext, request: Request) -> Response:
        return self._batch.run(ctx, request, self._lookup(ctx))

    def execute_transaction(self, ctx: RequestContext, request: Request) -> Response:
        return self._transactions.run(ctx, request, self._lookup(ctx))
