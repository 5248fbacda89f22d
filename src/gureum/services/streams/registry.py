"""Every stream there is: kept in step with the tables' stream settings.

DynamoDB's tables know only their latest stream (``Table.stream``). The registry remembers each
stream ever enabled, with the change-log position at which it was enabled and at which it was
disabled and the boundaries of its shards, in catalog records of their own kind (so they
survive restarts). :meth:`sync` compares the tables with the registry, rolls over shards that
have lived their lifetime and trims shards past the retention period; the composition root runs
it after each table operation (so the positions are exact) and from its maintenance loop, and
the Streams operations run it before answering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gureum.services.streams.limits import DEFAULT_SHARD_LIFETIME_SECONDS, RETENTION_SECONDS
from gureum.services.streams.shards import Stream, label_time

if TYPE_CHECKING:
    from gureum.core.clock import Clock
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.model import Table
    from gureum.storage.engine import Engine

STREAM_KIND = "stream"


class StreamRegistry:
    def __init__(
        self,
        tables: TableCatalog,
        engine: Engine,
        clock: Clock,
        shard_lifetime: float = DEFAULT_SHARD_LIFETIME_SECONDS,
    ) -> None:
        self._tables = tables
        self._engine = engine
        self._clock = clock
        self._shard_lifetime = shard_lifetime
        self._streams: dict[str, Stream] = {}
        for entry in engine.records(STREAM_KIND):
            stream = Stream.from_document(entry.id, entry.document)
            self._streams[stream.arn] = stream
        self.sync()

    def get(self, arn: str) -> Stream | None:
        return self._streams.get(arn)

    def streams(self, account: str, region: str) -> list[Stream]:
        """The streams of one account and region, by ARN."""
        return sorted(
            (s for s in self._streams.values() if s.account == account and s.region == region),
            key=lambda s: s.arn,
        )

    def table_alive(self, stream: Stream) -> bool:
        table = self._tables.get((stream.account, stream.region, stream.table_name))
        return table is not None and table.id == stream.table_id

    def sync(self) -> None:
        """Note the streams enabled and disabled since the last call, roll over the shards
        that have lived their lifetime, and forget shards and streams past the retention
        period."""
        now = self._clock.now()
        last_seq = self._engine.last_seq()
        enabled: dict[str, Table] = {}
        for table in self._tables.all():
            spec = table.stream
            arn = table.stream_arn
            if spec is not None and spec.enabled and arn is not None:
                enabled[arn] = table
        for arn, table in enabled.items():
            if arn not in self._streams:
                self._add(arn, table, now, last_seq)
        expired = now - RETENTION_SECONDS
        for stream in list(self._streams.values()):
            if stream.disabled_at is not None and stream.disabled_at < expired:
                self._engine.drop_entry(stream.entry_id)
                del self._streams[stream.arn]
                continue
            changed = stream.trim(expired)
            if stream.enabled and stream.arn not in enabled:
                stream.disable(last_seq, now)
                changed = True
            elif (shard := stream.open_shard) is not None and (
                now - shard.opened >= self._shard_lifetime
            ):
                stream.roll_over(last_seq, now)
                changed = True
            if changed:
                self._engine.update_entry(stream.entry_id, stream.to_document())

    def _add(self, arn: str, table: Table, now: float, last_seq: int) -> None:
        spec = table.stream
        assert spec is not None and spec.label is not None and spec.view_type is not None
        stream = Stream(
            arn=arn,
            account=table.account,
            region=table.region,
            table_name=table.name,
            table_id=table.id,
            label=spec.label,
            view_type=spec.view_type,
            key_schema=table.key.render(),
            created=label_time(spec.label) or now,
            enabled_seq=last_seq,
        )
        stream.entry_id = self._engine.create_record(
            STREAM_KIND, table.account, table.region, arn, stream.to_document(), with_items=False
        )
        self._streams[arn] = stream
