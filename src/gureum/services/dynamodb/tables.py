"""Table operations: CreateTable, DescribeTable, UpdateTable, DeleteTable, ListTables,
DescribeLimits, DescribeEndpoints.

Tables become ACTIVE at once (CreateTable answers CREATING, as DynamoDB does, and the next
DescribeTable already sees ACTIVE), so waiters return on their first poll.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from gureum.core.errors import constraint_violations
from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.catalog import table_name_violations
from gureum.services.dynamodb.model import (
    PAY_PER_REQUEST,
    PROVISIONED,
    StreamSpec,
    Table,
    Throughput,
)
from gureum.services.dynamodb.table_definitions import (
    check_throughput_bounds,
    parse_table_definition,
)
from gureum.services.dynamodb.tags import check_tags
from gureum.storage.engine import AlreadyExistsError

if TYPE_CHECKING:
    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.storage.engine import Engine

Request = dict[str, Any]
Response = dict[str, Any]


def stream_label(now: float) -> str:
    """A stream label as DynamoDB makes them: the creation time to the millisecond."""
    return datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]


def parse_stream(spec: dict[str, Any] | None, now: float) -> StreamSpec | None:
    if spec is None:
        return None
    enabled = spec.get("StreamEnabled")
    view_type = spec.get("StreamViewType")
    if enabled is None:
        raise constraint_violations(
            [
                "Value null at 'streamSpecification.streamEnabled' failed to satisfy "
                "constraint: Member must not be null"
            ]
        )
    if not enabled:
        if view_type is not None:
            raise errors.invalid_parameters(
                "Can not specify StreamViewType when StreamEnabled is false"
            )
        return None
    if view_type is None:
        raise errors.invalid_parameters("StreamViewType is required when StreamEnabled is true")
    return StreamSpec(True, view_type, stream_label(now))


class TableOperations:
    def __init__(self, catalog: TableCatalog, engine: Engine, clock: Clock) -> None:
        self._catalog = catalog
        self._engine = engine
        self._clock = clock

    def describe(self, table: Table, status: str = "ACTIVE") -> Response:
        count, size = self._engine.item_stats(table.id)
        return table.describe(status, count, size)

    # --- operations

    def create_table(self, ctx: RequestContext, request: Request) -> Response:
        name = request["TableName"]
        if violations := table_name_violations(name):
            raise constraint_violations(violations)
        definition = parse_table_definition(request)
        now = self._clock.now()
        stream = parse_stream(request.get("StreamSpecification"), now)
        tags = check_tags(request.get("Tags") or [])
        sse = request.get("SSESpecification")
        if self._catalog.get((ctx.account, ctx.region, name)) is not None:
            raise errors.table_exists(name)
        if self._catalog.count(ctx.account, ctx.region) >= limits.MAX_TABLES_PER_REGION:
            raise errors.limit_exceeded(
                "Subscriber limit exceeded: Only 2500 tables can be created per account"
            )
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
            billing_mode_explicit=definition.billing_mode_explicit,
            billing_mode_updated=now,
            throughput=definition.throughput,
            global_indexes=definition.global_indexes,
            local_indexes=definition.local_indexes,
            stream=stream,
            tags=tags,
            table_class=request.get("TableClass"),
            deletion_protection=bool(request.get("DeletionProtectionEnabled", False)),
            sse=_sse_description(sse, ctx.region, ctx.account),
        )
        try:
            table.id = self._engine.create_entry(ctx.account, ctx.region, name, table.to_document())
        except AlreadyExistsError:
            raise errors.table_exists(name) from None
        self._catalog.add(table)
        description = table.describe("CREATING", 0, 0)
        for index in description.get("GlobalSecondaryIndexes", ()):
            index["IndexStatus"] = "CREATING"
        return {"TableDescription": description}

    def describe_table(self, ctx: RequestContext, request: Request) -> Response:
        table = self._catalog.find(ctx, request["TableName"], name_missing=True)
        return {"Table": self.describe(table)}

    def delete_table(self, ctx: RequestContext, request: Request) -> Response:
        table = self._catalog.find(ctx, request["TableName"], name_missing=True)
        if table.deletion_protection:
            raise errors.deletion_protected()
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
        table = self._catalog.find(ctx, request["TableName"], name_missing=True)
        changes = (
            "ProvisionedThroughput",
            "BillingMode",
            "StreamSpecification",
            "GlobalSecondaryIndexUpdates",
            "SSESpecification",
            "ReplicaUpdates",
            "TableClass",
            "DeletionProtectionEnabled",
            "OnDemandThroughput",
            "WarmThroughput",
        )
        if not any(request.get(c) is not None for c in changes):
            raise errors.invalid(
                "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required"
            )
        now = self._clock.now()
        status = "ACTIVE"
        mode = request.get("BillingMode")
        throughput = request.get("ProvisionedThroughput")
        target_mode = mode or table.billing_mode
        if throughput is not None and target_mode == PAY_PER_REQUEST:
            raise errors.invalid_parameters(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when "
                "BillingMode is PAY_PER_REQUEST"
            )
        if mode == PROVISIONED and table.billing_mode != PROVISIONED and throughput is None:
            raise errors.invalid_parameters(
                "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"
            )
        if throughput is not None:
            check_throughput_bounds(throughput)
            self._update_throughput(table, throughput, now)
            status = "UPDATING"
        if mode is not None and mode != table.billing_mode:
            table.billing_mode = mode
            table.billing_mode_explicit = True
            status = "UPDATING"
            if mode == PAY_PER_REQUEST:
                table.billing_mode_updated = now
                table.throughput = Throughput(decreases_today=table.throughput.decreases_today)
        elif mode is not None:
            table.billing_mode_explicit = True
        spec = request.get("StreamSpecification")
        if spec is not None:
            self._update_stream(table, spec, now)
            status = "UPDATING"
        if (protection := request.get("DeletionProtectionEnabled")) is not None:
            table.deletion_protection = bool(protection)
        if (table_class := request.get("TableClass")) is not None:
            table.table_class = table_class
            status = "UPDATING"
        if (sse := request.get("SSESpecification")) is not None:
            table.sse = _sse_description(sse, table.region, table.account)
        self._catalog.save(table)
        return {"TableDescription": self.describe(table, status)}

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

    # --- internals

    @staticmethod
    def _update_throughput(table: Table, throughput: dict[str, Any], now: float) -> None:
        current = table.throughput
        read = throughput.get("ReadCapacityUnits", current.read)
        write = throughput.get("WriteCapacityUnits", current.write)
        if table.billing_mode == PROVISIONED and read == current.read and write == current.write:
            raise errors.invalid(
                "The provisioned throughput for the table will not change. The requested value "
                "equals the current value. Current ReadCapacityUnits provisioned for the table: "
                f"{current.read}. Requested ReadCapacityUnits: {read}. Current "
                f"WriteCapacityUnits provisioned for the table: {current.write}. Requested "
                f"WriteCapacityUnits: {write}. Refer to the Amazon DynamoDB Developer Guide for "
                "current limits and how to request higher limits."
            )
        if read > current.read or write > current.write:
            current.last_increase = now
        if read < current.read or write < current.write:
            current.last_decrease = now
            current.decreases_today += 1
        current.read, current.write = read, write

    @staticmethod
    def _update_stream(table: Table, spec: dict[str, Any], now: float) -> None:
        enabled = spec.get("StreamEnabled")
        current = table.stream
        if enabled and current is not None and current.enabled:
            raise errors.invalid(f"Table already has an enabled stream: {table.arn}")
        if not enabled and (current is None or not current.enabled):
            raise errors.invalid(f"Table already has no enabled stream: {table.arn}")
        new = parse_stream(spec, now)
        if new is None:
            assert current is not None
            current.enabled = False
            current.view_type = None
        else:
            table.stream = new


def _sse_description(
    spec: dict[str, Any] | None, table_region: str, account: str
) -> dict[str, Any] | None:
    """SSESpecification -> SSEDescription (absent for the default AWS-owned key)."""
    if not spec or not spec.get("Enabled"):
        return None
    return {
        "Status": "ENABLED",
        "SSEType": spec.get("SSEType", "KMS"),
        "KMSMasterKeyArn": spec.get(
            "KMSMasterKeyId", f"arn:aws:kms:{table_region}:{account}:key/aws-dynamodb"
        ),
    }
