"""The DynamoDB Streams service: its operation table (ListStreams, DescribeStream,
GetShardIterator, GetRecords)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from gureum.core.arns import parse_arn
from gureum.core.errors import ServiceError, validation_error
from gureum.services.streams import errors, limits
from gureum.services.streams.iterators import ShardIterator
from gureum.services.streams.records import stream_record
from gureum.services.streams.registry import StreamRegistry
from gureum.services.streams.shards import (
    Shard,
    Stream,
    parse_sequence_number,
    sequence_number,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.storage.engine import ChangeRecord, Engine

    Handler = Callable[[RequestContext, dict[str, Any]], "dict[str, Any] | bytes"]

TARGET_PREFIX = "DynamoDBStreams_20120810"
# botocore's model of the API (service name, API version), for request shape validation
MODEL = ("dynamodbstreams", "2012-08-10")

# DynamoDB operations that may enable or disable a stream (or remove its table)
TABLE_OPERATIONS = frozenset(
    {
        "CreateTable",
        "UpdateTable",
        "DeleteTable",
        "RestoreTableFromBackup",
        "RestoreTableToPointInTime",
    }
)

_STREAM_RESOURCE = re.compile(r"table/[a-zA-Z0-9_.-]{3,255}/stream/[^/]+")
_AT = "AT_SEQUENCE_NUMBER"
_AFTER = "AFTER_SEQUENCE_NUMBER"


class StreamsService:
    max_request_bytes = 16 * 1024 * 1024

    def __init__(
        self,
        tables: TableCatalog,
        engine: Engine,
        clock: Clock,
        shard_lifetime: float = limits.DEFAULT_SHARD_LIFETIME_SECONDS,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._registry = StreamRegistry(tables, engine, clock, shard_lifetime)
        self.operations: dict[str, Handler] = {
            "ListStreams": self.list_streams,
            "DescribeStream": self.describe_stream,
            "GetShardIterator": self.get_shard_iterator,
            "GetRecords": self.get_records,
        }

    def observing(self, operations: Mapping[str, Handler]) -> dict[str, Handler]:
        """DynamoDB's operation table with its table operations followed by a registry sync,
        so that streams start and end exactly where the change log stood."""
        out = dict(operations)
        for name in TABLE_OPERATIONS & out.keys():
            out[name] = self._observed(out[name])
        return out

    def _observed(self, handler: Handler) -> Handler:
        def observed(ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any] | bytes:
            try:
                return handler(ctx, request)
            finally:
                self._registry.sync()

        return observed

    def maintain(self) -> None:
        """Background work, run by the server's maintenance loop: shards roll over on time
        even while nobody calls the Streams API."""
        self._registry.sync()

    # --- operations

    def list_streams(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        limit = _limit(request, "limit", limits.MAX_LIST_LIMIT)
        start = request.get("ExclusiveStartStreamArn")
        if start is not None:
            _check_arn(start)
        self._registry.sync()
        streams = self._registry.streams(ctx.account, ctx.region)
        name = request.get("TableName")
        if name is not None:
            streams = [s for s in streams if s.table_name == name]
        if start is not None:
            streams = [s for s in streams if s.arn > start]
        out: dict[str, Any] = {"Streams": [s.summary() for s in streams[:limit]]}
        if len(streams) > limit:
            out["LastEvaluatedStreamArn"] = streams[limit - 1].arn
        return out

    def describe_stream(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        limit = _limit(request, "limit", limits.MAX_LIST_LIMIT)
        shard_filter = request.get("ShardFilter")
        if shard_filter is not None:
            _check_shard_filter(shard_filter)
        stream = self._find(ctx, request["StreamArn"])
        shards = stream.shards
        if shard_filter is not None:
            parent = shard_filter["ShardId"]
            shards = [s for s in shards if s.parent_id == parent]
        start = request.get("ExclusiveStartShardId")
        if start is not None:
            # ids sort by opening time, as the shards are listed
            shards = [s for s in shards if s.shard_id > start]
        description: dict[str, Any] = {
            "StreamArn": stream.arn,
            "StreamLabel": stream.label,
            "StreamStatus": "ENABLED" if stream.enabled else "DISABLED",
            "StreamViewType": stream.view_type,
            "CreationRequestDateTime": stream.created,
            "TableName": stream.table_name,
            "KeySchema": stream.key_schema,
            "Shards": [s.describe() for s in shards[:limit]],
        }
        if len(shards) > limit:
            description["LastEvaluatedShardId"] = shards[limit - 1].shard_id
        return {"StreamDescription": description}

    def get_shard_iterator(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        kind = request["ShardIteratorType"]
        number = request.get("SequenceNumber")
        if kind in (_AT, _AFTER) and number is None:
            raise errors.sequence_number_required(kind)
        if kind not in (_AT, _AFTER) and number is not None:
            raise errors.sequence_number_forbidden(kind)
        stream = self._find(ctx, request["StreamArn"])
        shard_id = request["ShardId"]
        shard = stream.shard(shard_id)
        if shard is None:
            raise errors.shard_not_found()
        end = shard.end_seq if shard.end_seq is not None else self._engine.last_seq()
        trim = self._trim_seq(stream, shard)
        if kind == "TRIM_HORIZON":
            after = trim
        elif kind == "LATEST":
            after = end
        else:
            assert number is not None
            seq = parse_sequence_number(number)
            if seq is None:
                raise errors.invalid_sequence_number(number)
            if not shard.after_seq < seq <= max(end, shard.after_seq + 1):
                raise errors.sequence_number_out_of_range(number, shard_id)
            after = seq - 1 if kind == _AT else seq
            if after < trim:
                raise errors.trimmed()
        iterator = ShardIterator(stream.arn, shard_id, after, self._clock.now())
        return {"ShardIterator": iterator.encode()}

    def latest_sequence_number(self, ctx: RequestContext, arn: str, shard_id: str) -> str:
        """Where a LATEST iterator of the shard starts now, as a sequence number (the records
        after it are new): for readers in this process that keep their place as sequence
        numbers (Lambda's event source mappings)."""
        request = {"StreamArn": arn, "ShardId": shard_id, "ShardIteratorType": "LATEST"}
        token = self.get_shard_iterator(ctx, request)["ShardIterator"]
        return sequence_number(ShardIterator.decode(token).after_seq)

    def get_records(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        limit = _limit(request, "limit", limits.MAX_RECORDS_LIMIT)
        iterator = ShardIterator.decode(request["ShardIterator"])
        now = self._clock.now()
        if now - iterator.created > limits.ITERATOR_LIFETIME_SECONDS:
            raise errors.expired_iterator()
        stream = self._find(ctx, iterator.stream_arn)
        shard = stream.shard(iterator.shard_id)
        if shard is None:
            if stream.was_trimmed(iterator.shard_id):
                raise errors.trimmed()
            raise errors.invalid_iterator()
        if iterator.after_seq < self._trim_seq(stream, shard):
            raise errors.trimmed()
        records, position, at_end = self._read(stream, shard, iterator.after_seq, limit)
        out: dict[str, Any] = {"Records": records}
        # an open shard always goes on; a closed one read to its end does not
        if shard.is_open or not at_end:
            next_iterator = ShardIterator(stream.arn, shard.shard_id, position, now)
            out["NextShardIterator"] = next_iterator.encode()
        return out

    # --- helpers

    def _find(self, ctx: RequestContext, arn: str) -> Stream:
        _check_arn(arn)
        self._registry.sync()
        stream = self._registry.get(arn)
        if stream is None or stream.account != ctx.account or stream.region != ctx.region:
            raise errors.stream_not_found(arn)
        return stream

    def _read(
        self, stream: Stream, shard: Shard, after: int, limit: int
    ) -> tuple[list[dict[str, Any]], int, bool]:
        """Up to ``limit`` records of ``shard`` after change-log position ``after``: (records,
        the position to go on from, whether nothing more is there now)."""
        records: list[dict[str, Any]] = []
        if not self._registry.table_alive(stream):
            return records, after, True  # the records went with the table
        end = shard.end_seq
        position = after
        while True:
            changes = self._engine.changes(stream.table_id, position, limit)
            for change in changes:
                if end is not None and change.seq > end:
                    return records, position, True
                if len(records) == limit:
                    return records, position, False
                position = change.seq
                record = stream_record(change, stream)
                if record is not None:
                    records.append(record)
            if len(changes) < limit:
                return records, position, True

    def _trim_seq(self, stream: Stream, shard: Shard) -> int:
        """The change-log position of the oldest record of ``shard`` still retained, less one
        (the shard's end if none is).

        A record is retained while it is younger than the retention period and still in the
        change log. The log's pruning may lag behind (it starts over after a restart), so
        records are judged by their own time: the log being in time order, a binary search
        finds the last one too old."""
        horizon = self._clock.now() - limits.RETENTION_SECONDS
        if shard.opened > horizon:
            return shard.after_seq
        end = shard.end_seq if shard.end_seq is not None else self._engine.last_seq()

        def first_after(position: int) -> ChangeRecord | None:
            changes = self._engine.changes(stream.table_id, position, 1)
            return changes[0] if changes and changes[0].seq <= end else None

        # the shard's records up to ``low`` are too old, those after ``high`` young enough
        low, high = shard.after_seq, end
        middle = low  # the oldest record first: usually the pruned log starts with a young one
        while low < high:
            first = first_after(middle)
            if first is not None and first.timestamp < horizon:
                low = first.seq
            else:
                high = middle
            middle = (low + high) // 2
        first = first_after(low)
        return end if first is None else first.seq - 1


def _limit(request: dict[str, Any], member: str, maximum: int) -> int:
    limit: int = request.get("Limit", maximum)
    if limit > maximum:
        raise errors.limit_too_high(limit, member, maximum)
    return limit


def _check_arn(arn: str) -> None:
    parsed = parse_arn(arn)
    if parsed is None or parsed[0] != "dynamodb" or not _STREAM_RESOURCE.fullmatch(parsed[3]):
        raise errors.invalid_stream_arn(arn)


def _check_shard_filter(shard_filter: dict[str, Any]) -> None:
    missing: ServiceError | None = None
    if "Type" not in shard_filter:
        missing = validation_error("ShardFilter.Type is required")  # [gureum]
    elif "ShardId" not in shard_filter:
        missing = validation_error("ShardFilter.ShardId is required")  # [gureum]
    if missing is not None:
        raise missing
