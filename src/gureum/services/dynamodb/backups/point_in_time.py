"""Point-in-time recovery: UpdateContinuousBackups, DescribeContinuousBackups,
RestoreTableToPointInTime.

Continuous backups are ENABLED on every table ("Continuous backups are ENABLED on all tables at
table creation"); point-in-time recovery is each table's setting, off until enabled. While it
is enabled, the table's change records are kept (the change log holds every write with the old
image and its time) for the recovery period (1 to 35 days, 35 unless set). A restore to time T
copies the table's current items and undoes, newest first, every change made after T: each
changed key gets back the item it had before its first change after T, or is deleted if it had
none.

EarliestRestorableDateTime is when recovery was enabled (disabling and enabling again starts
over), or the start of the recovery period once that is later. LatestRestorableDateTime is
now: DynamoDB's is about five minutes in the past, a lag a local server has no reason for
(limits.PITR_RESTORE_LAG_SECONDS).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import orjson

from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.attributes import item_size
from gureum.services.dynamodb.backups.model import RestoredFrom
from gureum.services.dynamodb.backups.restores import restored_table
from gureum.services.dynamodb.backups.store import source_table
from gureum.services.dynamodb.model import Table

if TYPE_CHECKING:
    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.backups.model import TableRecovery
    from gureum.services.dynamodb.backups.restores import Restorer
    from gureum.services.dynamodb.backups.store import BackupStore
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.storage.engine import Engine, Key, Row

Request = dict[str, Any]
Response = dict[str, Any]

# A restore time may be this much before EarliestRestorableDateTime: the same instant after a
# round trip through a client's date type (boto3's keeps microseconds, some keep milliseconds)
_TOLERANCE_SECONDS = 0.001


class PointInTimeOperations:
    def __init__(
        self,
        catalog: TableCatalog,
        store: BackupStore,
        restorer: Restorer,
        engine: Engine,
        clock: Clock,
    ) -> None:
        self._catalog = catalog
        self._store = store
        self._restorer = restorer
        self._engine = engine
        self._clock = clock

    def recovering(self, table: Table) -> bool:
        record = self._store.recovery(table)
        return record is not None and record.enabled_since is not None

    def kept_tables(self) -> list[int]:
        """The engine ids of the tables whose change records recovery needs."""
        return [table.id for table, _ in self._store.recovering()]

    def _describe(self, record: TableRecovery | None, now: float | None = None) -> Response:
        now = self._clock.now() if now is None else now
        description: dict[str, Any] = {"PointInTimeRecoveryStatus": "DISABLED"}
        if record is not None and record.enabled_since is not None:
            description = {
                "PointInTimeRecoveryStatus": "ENABLED",
                "RecoveryPeriodInDays": record.period_days,
                "EarliestRestorableDateTime": record.earliest(now),
                "LatestRestorableDateTime": _latest(record, now),
            }
        return {
            "ContinuousBackupsDescription": {
                "ContinuousBackupsStatus": "ENABLED",
                "PointInTimeRecoveryDescription": description,
            }
        }

    # --- operations

    def describe_continuous_backups(self, ctx: RequestContext, request: Request) -> Response:
        table = source_table(self._catalog, ctx, request["TableName"])
        return self._describe(self._store.recovery(table))

    def update_continuous_backups(self, ctx: RequestContext, request: Request) -> Response:
        table = source_table(self._catalog, ctx, request["TableName"])
        spec = request["PointInTimeRecoverySpecification"]
        enabled = spec["PointInTimeRecoveryEnabled"]
        period = spec.get("RecoveryPeriodInDays")
        if period is not None and not enabled:
            raise errors.recovery_period_when_disabled()
        record = self._store.recovery_of(table)
        now = self._clock.now()
        if enabled:
            if record.enabled_since is None:
                # to the millisecond, rounded up: a client's copy of the time is never earlier
                record.enabled_since = now = math.ceil(now * 1000) / 1000
                record.period_days = limits.PITR_DEFAULT_RECOVERY_PERIOD_DAYS
            if period is not None:
                record.period_days = period
        else:
            record.enabled_since = None
            record.period_days = limits.PITR_DEFAULT_RECOVERY_PERIOD_DAYS
        if record.entry_id or record.enabled_since is not None:
            self._store.save_recovery(record)
        # the answer describes the moment of the update (enabling: earliest = latest)
        return self._describe(record, now)

    def restore_table_to_point_in_time(self, ctx: RequestContext, request: Request) -> Response:
        sources = [s for s in (request.get("SourceTableArn"), request.get("SourceTableName")) if s]
        if not sources:
            raise errors.restore_source_missing()
        if len(sources) > 1:
            raise errors.restore_source_twice()
        use_latest = bool(request.get("UseLatestRestorableTime"))
        requested = request.get("RestoreDateTime")
        if use_latest and requested is not None:
            raise errors.restore_time_twice()
        source = source_table(self._catalog, ctx, sources[0])
        name = request["TargetTableName"]
        self._restorer.check_target(ctx, name)
        record = self._store.recovery(source)
        if record is None or record.enabled_since is None:
            raise errors.pitr_unavailable()
        now = self._clock.now()
        latest = _latest(record, now)
        restore_time = latest if requested is None else float(requested)
        if not record.earliest(now) - _TOLERANCE_SECONDS <= restore_time <= latest:
            raise errors.invalid_restore_time()
        definition = Table.from_document(
            0, source.account, source.region, source.name, source.to_document()
        )
        table = restored_table(ctx, name, definition, request, now)
        patches = self._undo_after(source, restore_time)
        restored_from = RestoredFrom(source.arn, None, restore_time)
        description = self._restorer.restore(table, source.id, restored_from, patches)
        return {"TableDescription": description}

    def _undo_after(self, table: Table, restore_time: float) -> list[tuple[Key, Row | None]]:
        """What undoing every change to ``table`` after ``restore_time`` puts back, by key."""
        patches: list[tuple[Key, Row | None]] = []
        for key, old in self._engine.images_before(table.id, restore_time):
            patches.append((key, None if old is None else (item_size(orjson.loads(old)), old)))
        return patches


def _latest(record: TableRecovery, now: float) -> float:
    """LatestRestorableDateTime: now (less gureum's lag), never before the earliest."""
    return max(record.earliest(now), now - limits.PITR_RESTORE_LAG_SECONDS)
