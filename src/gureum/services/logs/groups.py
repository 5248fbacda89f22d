"""Log groups and the metadata of their log streams, kept in the engine's catalog.

Each log group is one catalog record of kind ``log_group`` (named ``log-group:<name>``, a name
no DynamoDB table can have), whose document holds the group's settings and its streams'
metadata; the group's events live in the record's item storage (:mod:`.events`). The store
keeps every group in memory, loaded from the catalog at start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.arns import make_arn
from gureum.services.logs import errors
from gureum.storage.engine import AlreadyExistsError

if TYPE_CHECKING:
    from gureum.storage.engine import Engine

GROUP_KIND = "log_group"
_RECORD_PREFIX = "log-group:"


@dataclass(slots=True)
class LogStream:
    name: str
    created: int  # milliseconds since the epoch
    first_event: int | None = None
    last_event: int | None = None
    last_ingestion: int | None = None
    uploads: int = 0  # PutLogEvents calls so far: the sequence token's count
    stored_bytes: int = 0

    def to_document(self) -> list[Any]:
        return [
            self.created,
            self.first_event,
            self.last_event,
            self.last_ingestion,
            self.uploads,
            self.stored_bytes,
        ]

    @classmethod
    def from_document(cls, name: str, document: list[Any]) -> LogStream:
        return cls(name, *document)

    def sequence_token(self) -> str:
        """The (ignored) sequence token of the stream's next upload, AWS-shaped: 56 digits."""
        return f"{self.uploads + 1:056d}"


@dataclass(slots=True)
class LogGroup:
    account: str
    region: str
    name: str
    created: int
    log_group_class: str = "STANDARD"
    retention_days: int | None = None
    kms_key_id: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    streams: dict[str, LogStream] = field(default_factory=dict)
    next_seq: int = 1  # the ingestion sequence of the group's next event
    stored_bytes: int = 0
    entry_id: int = 0

    @property
    def arn(self) -> str:
        """The ARN DescribeLogGroups reports as ``arn`` (ending in ``:*``)."""
        return self.group_arn + ":*"

    @property
    def group_arn(self) -> str:
        """The ARN without the trailing ``:*`` (``logGroupArn``)."""
        return make_arn("logs", self.region, self.account, f"log-group:{self.name}")

    def stream_arn(self, stream: str) -> str:
        return f"{self.group_arn}:log-stream:{stream}"

    def stream(self, name: str) -> LogStream:
        found = self.streams.get(name)
        if found is None:
            raise errors.stream_not_found()
        return found

    def to_document(self) -> bytes:
        return orjson.dumps(
            {
                "created": self.created,
                "class": self.log_group_class,
                "retention": self.retention_days,
                "kms": self.kms_key_id,
                "tags": self.tags,
                "seq": self.next_seq,
                "bytes": self.stored_bytes,
                "streams": {n: s.to_document() for n, s in self.streams.items()},
            }
        )

    @classmethod
    def from_record(
        cls, entry_id: int, account: str, region: str, name: str, document: bytes
    ) -> LogGroup:
        doc = orjson.loads(document)
        return cls(
            account=account,
            region=region,
            name=name.removeprefix(_RECORD_PREFIX),
            created=doc["created"],
            log_group_class=doc["class"],
            retention_days=doc["retention"],
            kms_key_id=doc["kms"],
            tags=doc["tags"],
            streams={n: LogStream.from_document(n, d) for n, d in doc["streams"].items()},
            next_seq=doc["seq"],
            stored_bytes=doc["bytes"],
            entry_id=entry_id,
        )

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "logGroupName": self.name,
            "creationTime": self.created,
            "metricFilterCount": 0,
            "arn": self.arn,
            "storedBytes": self.stored_bytes,
            "logGroupClass": self.log_group_class,
            "logGroupArn": self.group_arn,
        }
        if self.retention_days is not None:
            out["retentionInDays"] = self.retention_days
        if self.kms_key_id is not None:
            out["kmsKeyId"] = self.kms_key_id
        return out

    def describe_stream(self, stream: LogStream) -> dict[str, Any]:
        out: dict[str, Any] = {"logStreamName": stream.name, "creationTime": stream.created}
        if stream.first_event is not None:
            out["firstEventTimestamp"] = stream.first_event
            out["lastEventTimestamp"] = stream.last_event
            out["lastIngestionTime"] = stream.last_ingestion
        out["uploadSequenceToken"] = stream.sequence_token()
        out["arn"] = self.stream_arn(stream.name)
        # "As of June 17, 2019, this parameter is no longer supported for log streams, and is
        # always reported as zero."
        out["storedBytes"] = 0
        return out


class GroupStore:
    """Every log group of every account and region, persisted through the engine."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._groups: dict[tuple[str, str, str], LogGroup] = {}
        for entry in engine.records(GROUP_KIND):
            group = LogGroup.from_record(
                entry.id, entry.account, entry.region, entry.name, entry.document
            )
            self._groups[(group.account, group.region, group.name)] = group

    def get(self, account: str, region: str, name: str) -> LogGroup:
        group = self._groups.get((account, region, name))
        if group is None:
            raise errors.group_not_found()
        return group

    def groups(self, account: str, region: str) -> list[LogGroup]:
        """The groups of one account and region, by name."""
        return sorted(
            (g for g in self._groups.values() if g.account == account and g.region == region),
            key=lambda g: g.name,
        )

    def all(self) -> list[LogGroup]:
        return list(self._groups.values())

    def add(self, group: LogGroup) -> None:
        key = (group.account, group.region, group.name)
        if key in self._groups:
            raise errors.group_exists()
        try:
            group.entry_id = self._engine.create_record(
                GROUP_KIND,
                group.account,
                group.region,
                _RECORD_PREFIX + group.name,
                group.to_document(),
                with_items=True,
            )
        except AlreadyExistsError:
            raise errors.group_exists() from None
        self._groups[key] = group

    def save(self, group: LogGroup) -> None:
        self._engine.update_entry(group.entry_id, group.to_document())

    def remove(self, group: LogGroup) -> None:
        self._engine.drop_entry(group.entry_id)
        del self._groups[(group.account, group.region, group.name)]
