"""On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
RestoreTableFromBackup; and the system backup DynamoDB takes of a table deleted with
point-in-time recovery enabled.

A backup is a snapshot: CreateBackup copies the table's items, as they are when it runs, into
the backup's own storage, so later writes to the table do not change it and deleting the table
keeps it. DynamoDB answers CreateBackup with the backup CREATING and makes it AVAILABLE within
minutes; gureum's is AVAILABLE from the next request on.

Backup ARNs are DynamoDB's: ``<table ARN>/backup/<creation time in milliseconds, 14
digits>-<8 hex digits>``.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.backups.model import SYSTEM, USER, Backup, RestoredFrom
from gureum.services.dynamodb.backups.restores import restored_table
from gureum.services.dynamodb.backups.store import source_table

if TYPE_CHECKING:
    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.backups.restores import Restorer
    from gureum.services.dynamodb.backups.store import BackupStore
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.model import Table
    from gureum.storage.engine import Engine


Request = dict[str, Any]
Response = dict[str, Any]

# The creation time an ARN carries, for ListBackups' ExclusiveStartBackupArn
_ARN_TIME = re.compile(r"/backup/(\d+)-[0-9a-f]+$")
# ListBackups' BackupType filter: what each value lists
_TYPES = {"USER": {USER}, "SYSTEM": {SYSTEM}, "AWS_BACKUP": set(), "ALL": {USER, SYSTEM}}


class BackupOperations:
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

    def _backup(self, ctx: RequestContext, arn: str) -> Backup:
        backup = self._store.backup(ctx, arn)
        if backup is None:
            raise errors.backup_not_found(arn)
        return backup

    def take(self, table: Table, name: str, backup_type: str = USER) -> Backup:
        """A backup of ``table`` as it is now."""
        millis = int(self._clock.now() * 1000)
        count, size = self._engine.item_stats(table.id)
        created = millis / 1000
        backup = Backup(
            entry_id=0,
            account=table.account,
            region=table.region,
            arn=f"{table.arn}/backup/{millis:014d}-{secrets.token_hex(4)}",
            name=name,
            backup_type=backup_type,
            created=created,
            expires=created + limits.SYSTEM_BACKUP_RETENTION_SECONDS
            if backup_type == SYSTEM
            else None,
            size_bytes=size,
            item_count=count,
            table_name=table.name,
            table_document=table.to_document(),
        )
        self._store.add_backup(table, backup)
        return backup

    # --- operations

    def create_backup(self, ctx: RequestContext, request: Request) -> Response:
        table = source_table(self._catalog, ctx, request["TableName"])
        backup = self.take(table, request["BackupName"])
        # [gureum] CREATING, as DynamoDB answers before the backup is complete
        return {"BackupDetails": backup.details("CREATING")}

    def describe_backup(self, ctx: RequestContext, request: Request) -> Response:
        backup = self._backup(ctx, request["BackupArn"])
        return {"BackupDescription": backup.description("AVAILABLE")}

    def delete_backup(self, ctx: RequestContext, request: Request) -> Response:
        backup = self._backup(ctx, request["BackupArn"])
        self._store.remove_backup(backup)
        return {"BackupDescription": backup.description("DELETED")}

    def list_backups(self, ctx: RequestContext, request: Request) -> Response:
        """Oldest first; the time bounds apply to the creation time (lower bound inclusive,
        upper exclusive); BackupType USER unless given."""
        backups = self._store.backups(ctx.account, ctx.region)
        if (name_or_arn := request.get("TableName")) is not None:
            name = self._catalog.locate(ctx, name_or_arn)[2]
            backups = [b for b in backups if b.table_name == name]
        kinds = _TYPES[request.get("BackupType") or USER]
        backups = [b for b in backups if b.backup_type in kinds]
        if (lower := request.get("TimeRangeLowerBound")) is not None:
            backups = [b for b in backups if b.created >= lower]
        if (upper := request.get("TimeRangeUpperBound")) is not None:
            backups = [b for b in backups if b.created < upper]
        if (start := request.get("ExclusiveStartBackupArn")) is not None:
            position = _position(start, self._store.backup(ctx, start))
            backups = [b for b in backups if (b.created, b.arn) > position]
        out: Response = {"BackupSummaries": []}
        limit = request.get("Limit")
        if limit is not None and len(backups) > limit:
            backups = backups[:limit]
            out["LastEvaluatedBackupArn"] = backups[-1].arn
        out["BackupSummaries"] = [b.summary() for b in backups]
        return out

    def restore_table_from_backup(self, ctx: RequestContext, request: Request) -> Response:
        backup = self._backup(ctx, request["BackupArn"])
        name = request["TargetTableName"]
        self._restorer.check_target(ctx, name)
        source = backup.source()
        table = restored_table(ctx, name, source, request, self._clock.now())
        restored_from = RestoredFrom(source.arn, backup.arn, backup.created)
        description = self._restorer.restore(table, backup.entry_id, restored_from)
        return {"TableDescription": description}

    # --- DeleteTable

    def keep_deleted(self, table: Table) -> None:
        """The system backup DeleteTable takes of a table whose point-in-time recovery is
        enabled ("a system backup is automatically created and is retained for 35 days",
        named ``<table>$DeletedTableBackup``)."""
        self.take(table, f"{table.name}$DeletedTableBackup", SYSTEM)


def _position(arn: str, backup: Backup | None) -> tuple[float, str]:
    """Where ListBackups resumes after ``arn``: its backup's place, or the creation time its
    ARN names (the backup may have been deleted since)."""
    if backup is not None:
        return backup.created, backup.arn
    match = _ARN_TIME.search(arn)
    return (int(match.group(1)) / 1000 if match else 0.0), arn
