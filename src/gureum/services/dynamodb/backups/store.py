"""Backups and per-table recovery records of every account and region: in-memory maps over
the engine's catalog records (:mod:`gureum.services.dynamodb.backups.model`).

The engine holds the truth; a backup's items are a snapshot under the backup's own record,
so a backup outlives its table and later writes to the table do not touch it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gureum.services.dynamodb import errors
from gureum.services.dynamodb.backups.model import (
    BACKUP_KIND,
    RECOVERY_KIND,
    Backup,
    TableRecovery,
)

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.model import Table
    from gureum.storage.engine import Engine


def source_table(catalog: TableCatalog, ctx: RequestContext, name_or_arn: str) -> Table:
    """The table a backup or recovery operation names (TableNotFoundException if none)."""
    table = catalog.lookup(ctx, name_or_arn)
    if table is None:
        raise errors.source_table_not_found(catalog.locate(ctx, name_or_arn)[2])
    return table


# Stale recovery records (of deleted tables) and expired system backups are looked for this
# often: point-in-time recovery keeps change records for days, so there is no hurry.
HOUSEKEEPING_SECONDS = 60.0


class BackupStore:
    def __init__(self, engine: Engine, catalog: TableCatalog) -> None:
        self._engine = engine
        self._catalog = catalog
        self._backups: dict[str, Backup] = {}
        for entry in engine.records(BACKUP_KIND):
            backup = Backup.from_document(entry.id, entry.account, entry.region, entry.document)
            self._backups[backup.arn] = backup
        # (account, region, table name) -> the table's recovery record
        self._recoveries: dict[tuple[str, str, str], TableRecovery] = {}
        for entry in engine.records(RECOVERY_KIND):
            record = TableRecovery.from_document(
                entry.id, entry.account, entry.region, entry.name, entry.document
            )
            self._recoveries[record.account, record.region, record.table_name] = record
        self._housekept_at = 0.0

    # --- backups

    def backup(self, ctx: RequestContext, arn: str) -> Backup | None:
        """The backup an ARN names, if it is one of the caller's account and region."""
        backup = self._backups.get(arn)
        if backup is None or (backup.account, backup.region) != (ctx.account, ctx.region):
            return None
        return backup

    def backups(self, account: str, region: str) -> list[Backup]:
        """Oldest first (ties in ARN order)."""
        found = [b for b in self._backups.values() if (b.account, b.region) == (account, region)]
        return sorted(found, key=lambda b: (b.created, b.arn))

    def add_backup(self, table: Table, backup: Backup) -> None:
        """Store ``backup`` (its ``entry_id`` is set here) with a snapshot of ``table``."""
        backup.entry_id = self._engine.create_record(
            BACKUP_KIND,
            backup.account,
            backup.region,
            backup.record_name,
            backup.to_document(),
            with_items=True,
        )
        self._engine.copy_items(table.id, backup.entry_id)
        self._backups[backup.arn] = backup

    def remove_backup(self, backup: Backup) -> None:
        self._engine.drop_entry(backup.entry_id)
        self._backups.pop(backup.arn, None)

    # --- per-table recovery records

    def recovery(self, table: Table) -> TableRecovery | None:
        record = self._recoveries.get((table.account, table.region, table.name))
        return record if record is not None and record.belongs_to(table) else None

    def recovery_of(self, table: Table) -> TableRecovery:
        """The table's record, or a new (unsaved) one."""
        record = self.recovery(table)
        if record is not None:
            return record
        stale = self._recoveries.get((table.account, table.region, table.name))
        return TableRecovery(
            entry_id=0 if stale is None else stale.entry_id,
            account=table.account,
            region=table.region,
            table_name=table.name,
            table_id=table.table_id,
        )

    def save_recovery(self, record: TableRecovery) -> None:
        if record.entry_id:
            self._engine.update_entry(record.entry_id, record.to_document())
        else:
            record.entry_id = self._engine.create_record(
                RECOVERY_KIND,
                record.account,
                record.region,
                record.record_name,
                record.to_document(),
                with_items=False,
            )
        self._recoveries[record.account, record.region, record.table_name] = record

    def recovering(self) -> list[tuple[Table, TableRecovery]]:
        """The tables with point-in-time recovery enabled, with their records."""
        out = []
        for key, record in self._recoveries.items():
            table = self._catalog.get(key)
            if table is not None and record.belongs_to(table) and record.enabled_since:
                out.append((table, record))
        return out

    def add_restore_summary(self, table: Table, description: dict[str, Any]) -> None:
        """DescribeTable of a restored table says what it was restored from."""
        record = self._recoveries.get((table.account, table.region, table.name))
        if (
            record is not None
            and record.restored_from is not None
            and record.table_id == table.table_id
        ):
            description["RestoreSummary"] = record.restored_from.render(in_progress=False)

    # --- housekeeping

    def housekeep(self, now: float) -> int:
        """Drop change records older than each recovering table's period, recovery records of
        tables that are gone, and expired system backups (about once a minute); returns how
        many change records were dropped."""
        if now - self._housekept_at < HOUSEKEEPING_SECONDS:
            return 0
        self._housekept_at = now
        deleted = 0
        for table, record in self.recovering():
            # the period's start, not the earliest restorable time: a stream may still need
            # the records of the day before recovery was enabled
            start = now - record.period_days * 86400.0
            deleted += self._engine.prune_changes_before(table.id, start)
        for key, record in list(self._recoveries.items()):
            owner = self._catalog.get(key)
            if owner is None or not record.belongs_to(owner):
                self._engine.drop_entry(record.entry_id)
                del self._recoveries[key]
        for backup in list(self._backups.values()):
            if backup.expires is not None and backup.expires <= now:
                self.remove_backup(backup)
        return deleted
