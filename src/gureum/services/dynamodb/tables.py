"""Table operations: CreateTable, DescribeTable, UpdateTable, DeleteTable, ListTables,
DescribeLimits, DescribeEndpoints.

Tables become ACTIVE at once (CreateTable answers CREATING, as DynamoDB does, and the next
DescribeTable already sees ACTIVE), so waiters return on their first poll.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from gureum.core.errors import constraint_violations
from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.catalog import table_name_violations
from gureum.services.dynamodb.model import ON_DEMAND_WARM, PAY_PER_REQUEST, Table
from gureum.services.dynamodb.table_definitions import (
    check_stream_spec,
    new_stream,
    parse_table_definition,
    sse_description,
)
from gureum.services.dynamodb.table_updates import TableUpdate
from gureum.services.dynamodb.tags import check_tags
from gureum.storage.engine import AlreadyExistsError

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.storage.engine import Engine

Request = dict[str, Any]
Response = dict[str, Any]


class TableOperations:
    def __init__(
        self,
        catalog: TableCatalog,
        engine: Engine,
        clock: Clock,
        *,
        describing: Callable[[Table, dict[str, Any]], None] | None = None,
        deleting: Callable[[Table], None] | None = None,
    ) -> None:
        """``describing`` adds to a DescribeTable answer (a restored table's RestoreSummary);
        ``deleting`` runs before a table is deleted (point-in-time recovery's system
        backup)."""
        self._catalog = catalog
        self._engine = engine
        self._clock = clock
        self._describing = describing
        self._deleting = deleting

    # --- operations

    def create_table(self, ctx: RequestContext, request: Request) -> Response:
        name = request["TableName"]
        if violations := table_name_violations(name):
            raise constraint_violations(violations)
        definition = parse_table_definition(request)
        now = self._clock.now()
        if (stream_spec := request.get("StreamSpecification")) is not None:
            check_stream_spec(stream_spec, creating=True)
        tags = check_tags(request.get("Tags") or [])
        if self._catalog.get((ctx.account, ctx.region, name)) is not None:
            raise errors.table_exists(name)
        if self._catalog.count(ctx.account, ctx.region) >= limits.MAX_TABLES_PER_REGION:
            raise errors.limit_exceeded(
                "Subscriber limit exceeded: Only 2500 tables can be created per account"
            )
        on_demand = definition.billing_mode == PAY_PER_REQUEST
        throughput = definition.throughput
        table = Table(
            id=0,
            account=ctx.account,
            region=ctx.region,
            name=name,
            table_id=str(uuid.uuid4()),
            created=now,
            key=definition.key,
            attribute_definitions=definition.attribute_definitions,
            billing_mode=definition.billing_mode,
            on_demand_since=now if on_demand else None,
            throughput=throughput,
            warm=ON_DEMAND_WARM if on_demand else (throughput.read, throughput.write),
            global_indexes=definition.global_indexes,
            local_indexes=definition.local_indexes,
            stream=new_stream(stream_spec, now),
            tags=tags,
            table_class=request.get("TableClass"),
            deletion_protection=bool(request.get("DeletionProtectionEnabled", False)),
            sse=sse_description(request.get("SSESpecification"), ctx.region, ctx.account),
        )
        for number, index in enumerate(table.indexes, start=1):
            index.number = number
        try:
            table.id = self._engine.create_entry(ctx.account, ctx.region, name, table.to_document())
        except AlreadyExistsError:
            raise errors.table_exists(name) from None
        for index in table.indexes:
            self._engine.create_index(table.id, index.number)
        self._catalog.add(table)
        return {"TableDescription": table.describe_created()}

    def describe_table(self, ctx: RequestContext, request: Request) -> Response:
        table = self._catalog.find(ctx, request["TableName"], name_missing=True)
        count, size = self._engine.item_stats(table.id)
        description = table.describe("ACTIVE", count, size, self._index_stats(table))
        if self._describing is not None:
            self._describing(table, description)
        return {"Table": description}

    def delete_table(self, ctx: RequestContext, request: Request) -> Response:
        table = self._catalog.find(ctx, request["TableName"], name_missing=True)
        if table.deletion_protection:
            raise errors.deletion_protected()
        if self._deleting is not None:
            self._deleting(table)
        count, size = self._engine.item_stats(table.id)
        self._catalog.remove(table)
        return {"TableDescription": table.describe_deleting(count, size)}

    def list_tables(self, ctx: RequestContext, request: Request) -> Response:
        limit = request.get("Limit", limits.MAX_LIST_TABLES)
        start = request.get("ExclusiveStartTableName")
        names = self._catalog.names(ctx.account, ctx.region)
        if start is not None:
            names = [n for n in names if n > start]
        page = names[:limit]
        out: Response = {"TableNames": page}
        if len(names) > limit:
            out["LastEvaluatedTableName"] = page[-1]
        return out

    def update_table(self, ctx: RequestContext, request: Request) -> Response:
        # DynamoDB checks the name, then the request, and only then looks the table up.
        self._catalog.locate(ctx, request["TableName"])
        update = TableUpdate(request)
        table = self._catalog.find(ctx, request["TableName"], name_missing=True)
        count, size = self._engine.item_stats(table.id)
        before = {index.number for index in table.indexes}
        description = update.apply(table, self._clock.now(), count, size)
        for index in table.indexes:
            if not index.number:  # created: empty storage now, filled in the background
                index.number = table.next_index_number()
                index.backfilling = True
                self._engine.create_index(table.id, index.number)
        for number in before - {index.number for index in table.indexes}:
            self._engine.drop_index(table.id, number)
        self._catalog.save(table)
        return {"TableDescription": description}

    def _index_stats(self, table: Table) -> dict[str, tuple[int, int]]:
        return {
            index.name: self._engine.index_stats(table.id, index.number)
            for index in table.indexes
            if index.number
        }

    def describe_limits(self, ctx: RequestContext, request: Request) -> Response:
        return {
            "AccountMaxReadCapacityUnits": limits.ACCOUNT_MAX_READ_CAPACITY_UNITS,
            "AccountMaxWriteCapacityUnits": limits.ACCOUNT_MAX_WRITE_CAPACITY_UNITS,
            "TableMaxReadCapacityUnits": limits.TABLE_MAX_READ_CAPACITY_UNITS,
            "TableMaxWriteCapacityUnits": limits.TABLE_MAX_WRITE_CAPACITY_UNITS,
        }

    def describe_endpoints(self, ctx: RequestContext, request: Request) -> Response:
        return {
            "Endpoints": [
                {
                    # where the caller reached gureum (DynamoDB answers its regional endpoint)
                    "Address": ctx.host or f"dynamodb.{ctx.region}.amazonaws.com",
                    "CachePeriodInMinutes": 1440,
                }
            ]
        }
