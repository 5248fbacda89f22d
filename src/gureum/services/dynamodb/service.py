"""The DynamoDB service: its operation table and its housekeeping."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.services.dynamodb import limits
from gureum.services.dynamodb.backfill import Backfills
from gureum.services.dynamodb.backups.operations import BackupOperations
from gureum.services.dynamodb.backups.point_in_time import PointInTimeOperations
from gureum.services.dynamodb.backups.restores import Restorer
from gureum.services.dynamodb.backups.store import BackupStore
from gureum.services.dynamodb.batch import BatchOperations
from gureum.services.dynamodb.catalog import TableCatalog
from gureum.services.dynamodb.items import ItemOperations
from gureum.services.dynamodb.partiql.operations import PartiQLOperations
from gureum.services.dynamodb.reads import ReadOperations
from gureum.services.dynamodb.tables import TableOperations
from gureum.services.dynamodb.tags import TagOperations
from gureum.services.dynamodb.transactions.conflicts import InFlightItems
from gureum.services.dynamodb.transactions.operations import TransactionOperations
from gureum.services.dynamodb.ttl import (
    DEFAULT_SWEEP_INTERVAL_SECONDS,
    TimeToLiveOperations,
    TimeToLiveSweeper,
)
from gureum.services.dynamodb.writes import WritePath

if TYPE_CHECKING:
    from collections.abc import Callable

    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.model import StreamSpec, Table
    from gureum.storage.engine import Engine

    Handler = Callable[[RequestContext, dict[str, Any]], "dict[str, Any] | bytes"]

TARGET_PREFIX = "DynamoDB_20120810"
# botocore's model of the API (service name, API version): the wire layer validates
# request shapes against it.
MODEL = ("dynamodb", "2012-08-10")


# Change records of tables without a stream are kept this long: well past DynamoDB's
# eventual-consistency window (about a second), short enough to keep the log small.
DEFAULT_CHANGE_RETENTION_SECONDS = 10.0
# Streams keep records for 24 hours.
STREAM_RETENTION_SECONDS = 24 * 3600.0


class DynamoDBService:
    max_request_bytes = limits.MAX_REQUEST_BYTES

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        change_retention: float = DEFAULT_CHANGE_RETENTION_SECONDS,
        ttl_interval: float = DEFAULT_SWEEP_INTERVAL_SECONDS,
        ttl_change_window: float = limits.TTL_CHANGE_WINDOW_SECONDS,
        item_collection_limit: int = limits.MAX_ITEM_COLLECTION_BYTES,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._retention = change_retention
        self._catalog = TableCatalog(engine)
        self._backfills = Backfills(self._catalog, engine)
        self._backups = BackupStore(engine, self._catalog)
        self._ttl_sweeper = TimeToLiveSweeper(self._catalog, engine, clock, ttl_interval)
        self._pruned_at = 0.0
        in_flight = InFlightItems()  # items of transactions not committed yet
        writes = WritePath(engine, item_collection_limit)
        items = ItemOperations(self._catalog, engine, writes, in_flight)
        reads = ReadOperations(self._catalog, engine)
        batches = BatchOperations(self._catalog, engine, writes, in_flight)
        tags = TagOperations(self._catalog)
        ttl = TimeToLiveOperations(self._catalog, clock, ttl_change_window)
        restorer = Restorer(self._catalog, self._backups, engine)
        backups = BackupOperations(self._catalog, self._backups, restorer, engine, clock)
        pitr = PointInTimeOperations(self._catalog, self._backups, restorer, engine, clock)
        self._point_in_time = pitr

        def deleting(table: Table) -> None:
            # a table deleted with point-in-time recovery enabled leaves a system backup
            if pitr.recovering(table):
                backups.keep_deleted(table)

        tables = TableOperations(
            self._catalog,
            engine,
            clock,
            describing=self._backups.add_restore_summary,
            deleting=deleting,
        )
        transactions = TransactionOperations(self._catalog, engine, writes, clock, in_flight)
        partiql = PartiQLOperations(self._catalog, items, reads, transactions)
        self.operations: dict[str, Handler] = {
            "ExecuteStatement": partiql.execute_statement,
            "BatchExecuteStatement": partiql.batch_execute_statement,
            "ExecuteTransaction": partiql.execute_transaction,
            "TransactWriteItems": transactions.transact_write_items,
            "TransactGetItems": transactions.transact_get_items,
            "CreateTable": tables.create_table,
            "DescribeTable": tables.describe_table,
            "UpdateTable": tables.update_table,
            "DeleteTable": tables.delete_table,
            "ListTables": tables.list_tables,
            "DescribeLimits": tables.describe_limits,
            "DescribeEndpoints": tables.describe_endpoints,
            "GetItem": items.get_item,
            "PutItem": items.put_item,
            "UpdateItem": items.update_item,
            "DeleteItem": items.delete_item,
            "Query": reads.query,
            "Scan": reads.scan,
            "BatchGetItem": batches.batch_get_item,
            "BatchWriteItem": batches.batch_write_item,
            "TagResource": tags.tag_resource,
            "UntagResource": tags.untag_resource,
            "ListTagsOfResource": tags.list_tags_of_resource,
            "UpdateTimeToLive": ttl.update_time_to_live,
            "DescribeTimeToLive": ttl.describe_time_to_live,
            "CreateBackup": backups.create_backup,
            "DescribeBackup": backups.describe_backup,
            "ListBackups": backups.list_backups,
            "DeleteBackup": backups.delete_backup,
            "RestoreTableFromBackup": backups.restore_table_from_backup,
            "UpdateContinuousBackups": pitr.update_continuous_backups,
            "DescribeContinuousBackups": pitr.describe_continuous_backups,
            "RestoreTableToPointInTime": pitr.restore_table_to_point_in_time,
        }

    def maintain(self, budget_seconds: float) -> bool:
        """Background work, run by the server's maintenance loop between requests: pruning the
        change log (once a second), index backfills and the TTL sweep when due (each for about
        ``budget_seconds``). Returns True while work remains (call again soon)."""
        now = self._clock.now()
        if now - self._pruned_at >= 1.0:
            self._pruned_at = now
            self.prune_changes()
        backfilling = self._backfills.step(budget_seconds)
        sweeping = self._ttl_sweeper.step(budget_seconds)
        return backfilling or sweeping

    def table_count(self) -> int:
        return len(self._catalog.all())

    @property
    def catalog(self) -> TableCatalog:
        """The tables, for services that read them (DynamoDB Streams)."""
        return self._catalog

    def prune_changes(self) -> int:
        """Drop change records past their retention; called periodically by the server.

        Records of tables with an enabled stream, or one disabled less than 24 hours ago
        (AWS: "the data in the stream continues to be readable for 24 hours"), are kept for
        the stream retention (24 h), of tables with point-in-time recovery enabled for its
        recovery period, others for ``change_retention`` seconds."""
        now = self._clock.now()
        # by the records' own times, so a restart leaves nothing behind for another day
        short_up_to = self._engine.last_seq_before(now - self._retention)
        long_up_to = self._engine.last_seq_before(now - STREAM_RETENTION_SECONDS)
        deleted = 0
        recovering = self._point_in_time.kept_tables()
        if long_up_to:
            deleted += self._engine.prune_changes(long_up_to, recovering)
        if short_up_to > long_up_to:
            streamed = [t.id for t in self._catalog.all() if _streamed(t.stream, now)]
            deleted += self._engine.prune_changes(short_up_to, streamed + recovering)
        return deleted + self._backups.housekeep(now)


def _streamed(stream: StreamSpec | None, now: float) -> bool:
    """Whether a table's stream records are still readable: its stream is enabled, or was
    disabled less than the stream retention ago."""
    if stream is None:
        return False
    if stream.enabled:
        return True
    return stream.disabled_at is not None and now - stream.disabled_at < STREAM_RETENTION_SECONDS
