"""DynamoDB Streams' retention over real time: stream records live 24 hours, closed shards are
trimmed away 24 hours after they close, shard iterators expire after 15 minutes.

Servers of our own share one data folder; each later one runs with its wall clock moved ahead
(``GureumProcess(clock_offset=...)``), so that the records and shards written by the earlier
ones have aged as they would have in real time. Iterators carry their own birth time (no state
of the process that issued them), so one issued by an earlier server is honestly older when a
later server reads it. The tables have no Time to Live, so that the jump deletes no item.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from conftest import GureumProcess, error_of
from streams.conftest import own_stream_table, read_from

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.aws_documented

MINUTE = 60.0
HOUR = 3600.0
# long enough that no shard rolls over while the clock jumps a day
NO_ROLLOVER = ["--shard-lifetime", str(48 * HOUR)]

# AWS's text, as stream clients match it (e.g. Apache Flink's Kinesis connector test fakes)
SHARD_GONE = ("ResourceNotFoundException", "Requested resource not found: Shard does not exist")
# The API reference gives this text with a trailing period; a user's report from AWS
# (ironSource/node-dynamodb-stream#13) shows it without one, as gureum answers.
TRIMMED = ("TrimmedDataAccessException", "The data you are trying to access has been trimmed")
# AWS's, quoted from a real answer in spring-attic/spring-integration-aws#59
EXPIRED = ("ExpiredIteratorException", "Shard iterator has expired")


def _put(ddb: Any, table: str, *keys: str) -> None:
    for key in keys:
        ddb.put_item(TableName=table, Item={"p": {"S": key}})


def _shards(streams: Any, arn: str) -> list[dict[str, Any]]:
    shards: list[dict[str, Any]] = streams.describe_stream(StreamArn=arn)["StreamDescription"][
        "Shards"
    ]
    return shards


def _iterator(streams: Any, arn: str, shard_id: str, kind: str, number: str = "") -> str:
    extra = {"SequenceNumber": number} if number else {}
    it: str = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard_id, ShardIteratorType=kind, **extra
    )["ShardIterator"]
    return it


def _keys(records: list[dict[str, Any]]) -> list[str]:
    return [r["dynamodb"]["Keys"]["p"]["S"] for r in records]


def _number(records: list[dict[str, Any]], key: str) -> str:
    [number] = [r["dynamodb"]["SequenceNumber"] for r in records if _keys([r]) == [key]]
    return number


def test_records_and_shards_past_24_hours_are_trimmed(tmp_path: Path) -> None:
    # now, on the real clock: records in shards that roll over every second
    first = GureumProcess(tmp_path, ["--shard-lifetime", "1"])
    first.start()
    try:
        ddb, streams = first.client(), first.client("dynamodbstreams")
        table, arn = own_stream_table(ddb)
        _put(ddb, table, "old0", "old1")
        root = _shards(streams, arn)[0]["ShardId"]
        old0 = _number(read_from(streams, _iterator(streams, arn, root, "TRIM_HORIZON")), "old0")
        deadline = time.monotonic() + 10
        while len(_shards(streams, arn)) < 3:
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        first.stop()
    # still now, shards no longer rolling over: a record in the open shard
    first = GureumProcess(tmp_path, NO_ROLLOVER)
    first.start()
    try:
        _put(first.client(), table, "old2")
    finally:
        first.stop()
    # two hours later: one more record, in the same open shard
    later = GureumProcess(tmp_path, NO_ROLLOVER, clock_offset=2 * HOUR)
    later.start()
    try:
        ddb, streams = later.client(), later.client("dynamodbstreams")
        _put(ddb, table, "mid")
        before = _shards(streams, arn)
        *closed, open_shard = before
        assert "EndingSequenceNumber" not in open_shard["SequenceNumberRange"]
        assert len(closed) >= 2 and all(
            "EndingSequenceNumber" in s["SequenceNumberRange"] for s in closed
        )
        opened = _iterator(streams, arn, open_shard["ShardId"], "TRIM_HORIZON")
        in_open = read_from(streams, opened)
        assert _keys(in_open) == ["old2", "mid"]
        old2, mid = _number(in_open, "old2"), _number(in_open, "mid")
    finally:
        later.stop()
    # two minutes short of a day after the first records: nothing is trimmed yet. The open
    # shard has lived its (here 23.9-hour) lifetime: it closes and a child takes over. An
    # iterator at the closed shard's oldest record.
    almost = GureumProcess(
        tmp_path, ["--shard-lifetime", str(23.9 * HOUR)], clock_offset=24 * HOUR - 2 * MINUTE
    )
    almost.start()
    try:
        streams = almost.client("dynamodbstreams")
        *listed, child = _shards(streams, arn)
        last = listed[-1]
        assert listed[:-1] == closed and last["ShardId"] == open_shard["ShardId"]
        assert child["ParentShardId"] == last["ShardId"]
        assert "EndingSequenceNumber" in last["SequenceNumberRange"]
        held = _iterator(streams, arn, last["ShardId"], "TRIM_HORIZON")
        assert _keys(read_from(streams, held)) == ["old2", "mid"]
    finally:
        almost.stop()
    # a day and five minutes after the first records
    server = GureumProcess(tmp_path, NO_ROLLOVER, clock_offset=24 * HOUR + 5 * MINUTE)
    server.start()
    try:
        ddb, streams = server.client(), server.client("dynamodbstreams")
        shard = last["ShardId"]
        # the shards closed a day ago are gone; the one closed 7 minutes ago stays, as it was
        assert _shards(streams, arn) == [last, child]
        for gone in closed:
            with pytest.raises(streams.exceptions.ResourceNotFoundException) as excinfo:
                _iterator(streams, arn, gone["ShardId"], "TRIM_HORIZON")
            assert error_of(excinfo) == SHARD_GONE
        with pytest.raises(streams.exceptions.ResourceNotFoundException) as excinfo:
            _iterator(streams, arn, root, "AT_SEQUENCE_NUMBER", old0)
        assert error_of(excinfo) == SHARD_GONE
        # the iterator taken 7 minutes ago (not expired) points at a record trimmed since
        with pytest.raises(streams.exceptions.TrimmedDataAccessException) as excinfo:
            streams.get_records(ShardIterator=held)
        assert error_of(excinfo) == TRIMMED
        # in that shard, the day-old record is trimmed, the 22-hour-old one is not
        out = streams.get_records(ShardIterator=_iterator(streams, arn, shard, "TRIM_HORIZON"))
        assert _keys(out["Records"]) == ["mid"]
        assert "NextShardIterator" not in out  # a closed shard read to its end
        with pytest.raises(streams.exceptions.TrimmedDataAccessException) as excinfo:
            _iterator(streams, arn, shard, "AT_SEQUENCE_NUMBER", old2)
        assert error_of(excinfo) == TRIMMED
        after_old2 = _iterator(streams, arn, shard, "AFTER_SEQUENCE_NUMBER", old2)
        assert _keys(read_from(streams, after_old2)) == ["mid"]
        at_mid = _iterator(streams, arn, shard, "AT_SEQUENCE_NUMBER", mid)
        assert _keys(read_from(streams, at_mid)) == ["mid"]
        # the stream goes on in the open child shard
        latest = _iterator(streams, arn, child["ShardId"], "LATEST")
        _put(ddb, table, "new")
        assert _keys(read_from(streams, latest)) == ["new"]
        since = _iterator(streams, arn, child["ShardId"], "TRIM_HORIZON")
        assert _keys(read_from(streams, since)) == ["new"]
        assert streams.list_streams(TableName=table)["Streams"][0]["StreamArn"] == arn
        # the table itself kept every item: only stream records age out
        description = ddb.describe_table(TableName=table)["Table"]
        assert description["LatestStreamArn"] == arn
        assert description["StreamSpecification"]["StreamEnabled"] is True
        items = ddb.scan(TableName=table, ConsistentRead=True)["Items"]
        assert sorted(i["p"]["S"] for i in items) == ["mid", "new", "old0", "old1", "old2"]
    finally:
        server.stop()


def test_iterators_expire_after_15_minutes(tmp_path: Path) -> None:
    first = GureumProcess(tmp_path)
    first.start()
    try:
        ddb, streams = first.client(), first.client("dynamodbstreams")
        table, arn = own_stream_table(ddb)
        _put(ddb, table, "a")
        shard = _shards(streams, arn)[0]["ShardId"]
        issued = _iterator(streams, arn, shard, "TRIM_HORIZON")
    finally:
        first.stop()
    # 14 minutes later the iterator still reads; the next iterator it gives is new
    later = GureumProcess(tmp_path, clock_offset=14 * MINUTE)
    later.start()
    try:
        streams = later.client("dynamodbstreams")
        out = streams.get_records(ShardIterator=issued)
        assert _keys(out["Records"]) == ["a"]
        following = out["NextShardIterator"]
    finally:
        later.stop()
    # 16 minutes after it was issued, the first iterator has expired; the one issued 2 minutes
    # ago has not
    server = GureumProcess(tmp_path, clock_offset=16 * MINUTE)
    server.start()
    try:
        ddb, streams = server.client(), server.client("dynamodbstreams")
        with pytest.raises(streams.exceptions.ExpiredIteratorException) as excinfo:
            streams.get_records(ShardIterator=issued)
        assert error_of(excinfo) == EXPIRED
        _put(ddb, table, "b")
        assert _keys(streams.get_records(ShardIterator=following)["Records"]) == ["b"]
        fresh = _iterator(streams, arn, shard, "TRIM_HORIZON")
        assert _keys(streams.get_records(ShardIterator=fresh)["Records"]) == ["a", "b"]
    finally:
        server.stop()


def test_a_disabled_stream_stays_readable_for_24_hours(tmp_path: Path) -> None:
    """AWS: "If you disable a stream on a table, the data in the stream continues to be
    readable for 24 hours." The change log kept only enabled streams' records, so a disabled
    stream's were pruned with other tables' after 10 seconds."""
    first = GureumProcess(tmp_path, NO_ROLLOVER)
    first.start()
    try:
        ddb, streams = first.client("dynamodb"), first.client("dynamodbstreams")
        table, arn = own_stream_table(ddb)
        _put(ddb, table, "kept")
        ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
        shard_id = _shards(streams, arn)[0]["ShardId"]
    finally:
        first.stop()
    later = GureumProcess(tmp_path, NO_ROLLOVER, clock_offset=HOUR)
    later.start()
    try:
        streams = later.client("dynamodbstreams")
        time.sleep(2.5)  # the log is pruned every second: other tables' records are gone
        records = read_from(streams, _iterator(streams, arn, shard_id, "TRIM_HORIZON"))
        assert [r["dynamodb"]["Keys"]["p"]["S"] for r in records] == ["kept"]
    finally:
        later.stop()
