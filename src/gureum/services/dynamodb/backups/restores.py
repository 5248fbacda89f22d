"""Restoring a table, from a backup or to a point in time: the new table's definition (the
source's, with the request's overrides) and its creation with the source's items.

What a restore keeps (RestoreTableFromBackup and RestoreTableToPointInTime, API reference):
the key schema, the global and local secondary indexes, the billing mode and provisioned
capacity, the encryption settings and the table class. What it does not: streams, Time to
Live, tags, point-in-time recovery, deletion protection ("You must manually set up the
following on the restored table"). Overrides replace the billing mode, the capacity, the
encryption, and the lists of indexes (which may leave some or all of them out).

The new table is made in one go: its catalog entry, a copy of the source's items (with the
undone changes of a point-in-time restore patched in) and its index entries, all in the
engine's open transaction, and no change records. It is ACTIVE at once; the restore's own
answer says CREATING with the restore in progress, as DynamoDB's does, and the next
DescribeTable sees it done.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.indexes import add_entries, plans
from gureum.services.dynamodb.model import (
    ON_DEMAND_WARM,
    PAY_PER_REQUEST,
    PROVISIONED,
    Index,
    Table,
    Throughput,
)
from gureum.services.dynamodb.table_definitions import (
    parse_billing,
    parse_indexes,
    sse_description,
)
from gureum.storage.engine import AlreadyExistsError
from gureum.storage.keys import HASH_SPACE

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.backups.model import RestoredFrom
    from gureum.services.dynamodb.backups.store import BackupStore
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.storage.engine import Engine, Key, Row

# Base rows read and indexed per engine round trip while a restored table's indexes are built
INDEX_BATCH_ROWS = 500


class Restorer:
    def __init__(self, catalog: TableCatalog, store: BackupStore, engine: Engine) -> None:
        self._catalog = catalog
        self._store = store
        self._engine = engine

    def check_target(self, ctx: RequestContext, name: str) -> None:
        if self._catalog.get((ctx.account, ctx.region, name)) is not None:
            raise errors.target_table_exists(name)
        if self._catalog.count(ctx.account, ctx.region) >= limits.MAX_TABLES_PER_REGION:
            raise errors.limit_exceeded(
                "Subscriber limit exceeded: Only 2500 tables can be created per account"
            )

    def restore(
        self,
        table: Table,
        source_id: int,
        restored_from: RestoredFrom,
        patches: Iterable[tuple[Key, Row | None]] = (),
    ) -> dict[str, Any]:
        """Create ``table`` (a :func:`restored_table`) with the items of the engine entry
        ``source_id`` and ``patches``; returns the restore's TableDescription."""
        try:
            table.id = self._engine.create_entry(
                table.account, table.region, table.name, table.to_document()
            )
        except AlreadyExistsError:
            raise errors.target_table_exists(table.name) from None
        self._engine.copy_items(source_id, table.id, patches)
        for index in table.indexes:
            self._engine.create_index(table.id, index.number)
        self._fill_indexes(table)
        self._catalog.add(table)
        record = self._store.recovery_of(table)
        record.restored_from = restored_from
        self._store.save_recovery(record)
        out = table.describe_created()
        out["BillingModeSummary"] = {"BillingMode": table.billing_mode}
        out["RestoreSummary"] = restored_from.render(in_progress=True)
        return out

    def _fill_indexes(self, table: Table) -> None:
        for plan in plans(table):
            after: Key | None = None
            while True:
                rows = self._engine.scan(table.id, 0, HASH_SPACE, after, INDEX_BATCH_ROWS)
                if rows:
                    with self._engine.transaction() as tx:
                        add_entries(tx, table, plan, rows)
                    after = (rows[-1][0], rows[-1][1], rows[-1][2])
                if len(rows) < INDEX_BATCH_ROWS:
                    break


def restored_table(
    ctx: RequestContext, name: str, source: Table, request: dict[str, Any], now: float
) -> Table:
    """The definition of a table restored from ``source`` (a copy the caller owns) under
    ``name``, with the request's overrides, checked as CreateTable checks a definition."""
    mode, throughput = _billing(source, request)
    types = dict(source.attribute_definitions)
    global_indexes, local_indexes = parse_indexes(
        {
            "GlobalSecondaryIndexes": _index_specs(
                source.global_indexes,
                request.get("GlobalSecondaryIndexOverride"),
                throughput if mode == PROVISIONED else None,
            ),
            "LocalSecondaryIndexes": _index_specs(
                source.local_indexes, request.get("LocalSecondaryIndexOverride"), None
            ),
        },
        source.key,
        types,
        mode,
    )
    used = set(source.key.names)
    for index in (*global_indexes, *local_indexes):
        used.update(index.key.names)
    sse = source.sse
    if "SSESpecificationOverride" in request:
        sse = sse_description(request["SSESpecificationOverride"], ctx.region, ctx.account)
    on_demand = mode == PAY_PER_REQUEST
    table = Table(
        id=0,
        account=ctx.account,
        region=ctx.region,
        name=name,
        table_id=str(uuid.uuid4()),
        created=now,
        key=source.key,
        attribute_definitions=[d for d in source.attribute_definitions if d[0] in used],
        billing_mode=mode,
        on_demand_since=now if on_demand else None,
        throughput=throughput,
        warm=ON_DEMAND_WARM if on_demand else (throughput.read, throughput.write),
        global_indexes=global_indexes,
        local_indexes=local_indexes,
        table_class=source.table_class,
        sse=sse,
    )
    for number, index in enumerate(table.indexes, start=1):
        index.number = number
    return table


def _billing(source: Table, request: dict[str, Any]) -> tuple[str, Throughput]:
    """BillingModeOverride and ProvisionedThroughputOverride over the source's settings (a
    provisioned source keeps its capacity unless overridden), checked as CreateTable checks
    BillingMode and ProvisionedThroughput."""
    mode = request.get("BillingModeOverride") or source.billing_mode
    throughput = request.get("ProvisionedThroughputOverride")
    if throughput is None and mode == PROVISIONED and source.billing_mode == PROVISIONED:
        throughput = {
            "ReadCapacityUnits": source.throughput.read,
            "WriteCapacityUnits": source.throughput.write,
        }
    return parse_billing({"BillingMode": mode, "ProvisionedThroughput": throughput})


def _index_specs(
    existing: list[Index], override: list[dict[str, Any]] | None, capacity: Throughput | None
) -> list[dict[str, Any]] | None:
    """The index definitions of the restored table, as CreateTable takes them: the override's
    (which must name indexes of the source), or the source's own. Global indexes of a
    provisioned restore (``capacity``: the table's) keep their capacity, or get the table's
    when they had none (an on-demand source)."""
    if override is not None:
        names = {index.name for index in existing}
        for given in override:
            if given["IndexName"] not in names:
                raise errors.unknown_override_index(given["IndexName"])
        return override or None
    specs = []
    for index in existing:
        spec: dict[str, Any] = {
            "IndexName": index.name,
            "KeySchema": index.key.render(),
            "Projection": index.render_projection(),
        }
        if capacity is not None:
            own = index.throughput or capacity
            spec["ProvisionedThroughput"] = {
                "ReadCapacityUnits": own.read,
                "WriteCapacityUnits": own.write,
            }
        specs.append(spec)
    return specs or None
