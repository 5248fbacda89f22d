"""What backups and point-in-time recovery keep, and how the API renders it.

* :class:`Backup`: an on-demand (USER) or system (SYSTEM) backup: its details, the definition
  and statistics of its source table as they were when it was taken. Its items are a snapshot
  in the engine, under the backup's own catalog record.
* :class:`TableRecovery`: one table's point-in-time recovery setting, and what the table was
  restored from (the RestoreSummary of its description), if it was.

Both are engine catalog records (not tables): :data:`BACKUP_KIND` and :data:`RECOVERY_KIND`,
named so that no table can have the name (table names have no ``/``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from gureum.services.dynamodb import limits
from gureum.services.dynamodb.model import Table

BACKUP_KIND = "dynamodb-backup"
RECOVERY_KIND = "dynamodb-recovery"

USER = "USER"
SYSTEM = "SYSTEM"


@dataclass(slots=True)
class Backup:
    entry_id: int  # the engine's id of the backup's record (and of its snapshot)
    account: str
    region: str
    arn: str
    name: str
    backup_type: str
    created: float  # to the millisecond, as the ARN has it
    expires: float | None  # system backups only
    size_bytes: int
    item_count: int
    table_name: str
    table_document: bytes  # the source table's definition (Table.to_document) at that time

    @property
    def record_name(self) -> str:
        """``<table>/backup/<id>``: the ARN's resource without its ``table/``."""
        return self.arn.split(":", 5)[5].removeprefix("table/")

    def source(self) -> Table:
        """The source table's definition as it was when the backup was taken."""
        return Table.from_document(
            0, self.account, self.region, self.table_name, self.table_document
        )

    # --- the API's shapes

    def details(self, status: str) -> dict[str, Any]:
        out: dict[str, Any] = {
            "BackupArn": self.arn,
            "BackupName": self.name,
            "BackupSizeBytes": self.size_bytes,
            "BackupStatus": status,
            "BackupType": self.backup_type,
            "BackupCreationDateTime": self.created,
        }
        if self.expires is not None:
            out["BackupExpiryDateTime"] = self.expires
        return out

    def summary(self) -> dict[str, Any]:
        source = self.source()
        out: dict[str, Any] = {
            "TableName": self.table_name,
            "TableId": source.table_id,
            "TableArn": source.arn,
            "BackupArn": self.arn,
            "BackupName": self.name,
            "BackupCreationDateTime": self.created,
        }
        if self.expires is not None:
            out["BackupExpiryDateTime"] = self.expires
        out.update(
            BackupStatus="AVAILABLE", BackupType=self.backup_type, BackupSizeBytes=self.size_bytes
        )
        return out

    def description(self, status: str) -> dict[str, Any]:
        source = self.source()
        out: dict[str, Any] = {
            "BackupDetails": self.details(status),
            "SourceTableDetails": {
                "TableName": self.table_name,
                "TableId": source.table_id,
                "TableArn": source.arn,
                "TableSizeBytes": self.size_bytes,
                "KeySchema": source.key.render(),
                "TableCreationDateTime": source.created,
                "ProvisionedThroughput": {
                    "ReadCapacityUnits": source.throughput.read,
                    "WriteCapacityUnits": source.throughput.write,
                },
                "ItemCount": self.item_count,
                "BillingMode": source.billing_mode,
            },
        }
        if features := _features(source):
            out["SourceTableFeatureDetails"] = features
        return out

    # --- the record document

    def to_document(self) -> bytes:
        return orjson.dumps(
            {
                "arn": self.arn,
                "name": self.name,
                "backup_type": self.backup_type,
                "created": self.created,
                "expires": self.expires,
                "size_bytes": self.size_bytes,
                "item_count": self.item_count,
                "table_name": self.table_name,
                "table": orjson.loads(self.table_document),
            }
        )

    @classmethod
    def from_document(cls, entry_id: int, account: str, region: str, document: bytes) -> Backup:
        d = orjson.loads(document)
        return cls(
            entry_id=entry_id,
            account=account,
            region=region,
            arn=d["arn"],
            name=d["name"],
            backup_type=d["backup_type"],
            created=d["created"],
            expires=d["expires"],
            size_bytes=d["size_bytes"],
            item_count=d["item_count"],
            table_name=d["table_name"],
            table_document=orjson.dumps(d["table"]),
        )


def _features(source: Table) -> dict[str, Any]:
    """SourceTableFeatureDetails: the indexes, stream, TTL and encryption of the source."""
    out: dict[str, Any] = {}
    if source.local_indexes:
        out["LocalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": index.key.render(),
                "Projection": index.render_projection(),
            }
            for index in source.local_indexes
        ]
    if source.global_indexes:
        out["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": index.key.render(),
                "Projection": index.render_projection(),
                # [gureum] on-demand indexes show zero capacity, as the table does
                "ProvisionedThroughput": {
                    "ReadCapacityUnits": index.throughput.read if index.throughput else 0,
                    "WriteCapacityUnits": index.throughput.write if index.throughput else 0,
                },
            }
            for index in source.global_indexes
        ]
    if source.stream is not None and source.stream.enabled:
        out["StreamDescription"] = {
            "StreamEnabled": True,
            "StreamViewType": source.stream.view_type,
        }
    ttl = source.time_to_live
    if ttl is not None and ttl.enabled:
        out["TimeToLiveDescription"] = {
            "TimeToLiveStatus": "ENABLED",
            "AttributeName": ttl.attribute_name,
        }
    if source.sse is not None:
        out["SSEDescription"] = source.sse
    return out


@dataclass(slots=True)
class RestoredFrom:
    """Where a restored table's items came from: RestoreSummary."""

    source_table_arn: str
    source_backup_arn: str | None  # None: a point-in-time restore
    restore_time: float  # the point in time, or the backup's creation time

    def render(self, in_progress: bool) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.source_backup_arn is not None:
            out["SourceBackupArn"] = self.source_backup_arn
        out.update(
            SourceTableArn=self.source_table_arn,
            RestoreDateTime=self.restore_time,
            RestoreInProgress=in_progress,
        )
        return out


@dataclass(slots=True)
class TableRecovery:
    """One table's point-in-time recovery setting, and what it was restored from. A record
    outlives its table (DeleteTable does not know it): ``table_id`` ties it to the table it
    was written for, so a new table of the same name starts without one."""

    entry_id: int  # 0: not stored yet
    account: str
    region: str
    table_name: str
    table_id: str  # the public id (UUID) of the table it belongs to
    enabled_since: float | None = None  # point-in-time recovery enabled then; None: disabled
    period_days: int = limits.PITR_DEFAULT_RECOVERY_PERIOD_DAYS
    restored_from: RestoredFrom | None = None

    @property
    def record_name(self) -> str:
        return f"{self.table_name}/recovery"

    def belongs_to(self, table: Table) -> bool:
        return self.table_id == table.table_id

    def earliest(self, now: float) -> float:
        """EarliestRestorableDateTime: when recovery was enabled, or the start of the
        recovery period, whichever is later."""
        assert self.enabled_since is not None
        return max(self.enabled_since, now - self.period_days * 86400.0)

    def to_document(self) -> bytes:
        restored = self.restored_from
        return orjson.dumps(
            {
                "table_id": self.table_id,
                "enabled_since": self.enabled_since,
                "period_days": self.period_days,
                "restored_from": None
                if restored is None
                else {
                    "source_table_arn": restored.source_table_arn,
                    "source_backup_arn": restored.source_backup_arn,
                    "restore_time": restored.restore_time,
                },
            }
        )

    @classmethod
    def from_document(
        cls, entry_id: int, account: str, region: str, name: str, document: bytes
    ) -> TableRecovery:
        d = orjson.loads(document)
        restored = d["restored_from"]
        return cls(
            entry_id=entry_id,
            account=account,
            region=region,
            table_name=name.removesuffix("/recovery"),
            table_id=d["table_id"],
            enabled_since=d["enabled_since"],
            period_days=d["period_days"],
            restored_from=None if restored is None else RestoredFrom(**restored),
        )
