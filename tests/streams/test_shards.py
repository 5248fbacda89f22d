"""Shards that roll over: a stream's open shard closes after the shard lifetime and a child
shard (ParentShardId) takes over; reading across shards in lineage order loses nothing and
repeats nothing; DescribeStream pages and filters shards; shard boundaries survive restarts.

A server of our own with ``--shard-lifetime 1`` makes shards roll over every second.
"""

from __future__ import annotations

import itertools
import time
from typing import TYPE_CHECKING, Any

import pytest

from conftest import GureumProcess, error_of
from streams.conftest import own_stream_table

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

LIFETIME = "1"


@pytest.fixture(scope="module")
def server() -> Iterator[GureumProcess]:
    process = GureumProcess(None, ["--shard-lifetime", LIFETIME])
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def ddb(server: GureumProcess) -> Any:
    return server.client()


@pytest.fixture(scope="module")
def streams(server: GureumProcess) -> Any:
    return server.client("dynamodbstreams")


def _shards(streams: Any, arn: str, **extra: Any) -> list[dict[str, Any]]:
    """Every shard DescribeStream lists, following LastEvaluatedShardId."""
    shards: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"StreamArn": arn, **extra}
    while True:
        out = streams.describe_stream(**kwargs)["StreamDescription"]
        shards += out["Shards"]
        if "LastEvaluatedShardId" not in out:
            return shards
        kwargs["ExclusiveStartShardId"] = out["LastEvaluatedShardId"]


def _wait_for_shards(streams: Any, arn: str, count: int, timeout: float = 10) -> list[Any]:
    deadline = time.monotonic() + timeout
    while True:
        shards = _shards(streams, arn)
        if len(shards) >= count:
            return shards
        assert time.monotonic() < deadline, f"only {len(shards)} shards"
        time.sleep(0.1)


def _read_shard(streams: Any, arn: str, shard_id: str) -> tuple[list[Any], bool]:
    """Every record of one shard from TRIM_HORIZON: (records, whether the shard ended, i.e.
    a GetRecords gave no NextShardIterator)."""
    it: str | None = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records: list[Any] = []
    while it is not None:
        out = streams.get_records(ShardIterator=it, Limit=2)
        records += out["Records"]
        it = out.get("NextShardIterator")
        if not out["Records"] and it is not None:
            return records, False  # an open shard read to where the log stands
    return records, True


def _keys(records: list[Any]) -> list[str]:
    return [r["dynamodb"]["Keys"]["p"]["S"] for r in records]


def _read_lineage(streams: Any, arn: str) -> list[Any]:
    """Every record of the stream, shard after shard from the root down each child."""
    shards = _shards(streams, arn)
    roots = [s for s in shards if "ParentShardId" not in s]
    assert len(roots) == 1
    records: list[Any] = []
    shard: dict[str, Any] | None = roots[0]
    while shard is not None:
        got, ended = _read_shard(streams, arn, shard["ShardId"])
        numbers = shard["SequenceNumberRange"]
        for record in got:
            number = int(record["dynamodb"]["SequenceNumber"])
            assert int(numbers["StartingSequenceNumber"]) <= number
            if "EndingSequenceNumber" in numbers:
                assert number <= int(numbers["EndingSequenceNumber"])
        # a closed shard read to its end gives no next iterator (an open one gives one, unless
        # it closed while we read)
        if "EndingSequenceNumber" in numbers:
            assert ended
        records += got
        children = [s for s in shards if s.get("ParentShardId") == shard["ShardId"]]
        assert len(children) <= 1
        shard = children[0] if children else None
    return records


def _check_lineage(shards: list[dict[str, Any]], open_last: bool = True) -> None:
    ids = [s["ShardId"] for s in shards]
    assert ids == sorted(ids)  # oldest first, and ids sort by time
    assert len(set(ids)) == len(ids)
    assert "ParentShardId" not in shards[0]
    for parent, child in itertools.pairwise(shards):
        assert child["ParentShardId"] == parent["ShardId"]
        # (a shard that saw no write at all ends where it starts, as its child does)
        ending = int(parent["SequenceNumberRange"]["EndingSequenceNumber"])
        assert int(child["SequenceNumberRange"]["StartingSequenceNumber"]) >= ending
    for shard in shards:
        shard_id = shard["ShardId"]
        assert shard_id.startswith("shardId-") and len(shard_id) == len("shardId-") + 20 + 1 + 8
        _, millis, digest = shard_id.split("-")
        assert millis.isdecimal() and abs(int(millis) / 1000 - time.time()) < 120
        assert len(digest) == 8 and int(digest, 16) >= 0
    for shard in shards[:-1]:
        assert set(shard["SequenceNumberRange"]) == {
            "StartingSequenceNumber",
            "EndingSequenceNumber",
        }
    last = set(shards[-1]["SequenceNumberRange"])
    assert ("EndingSequenceNumber" not in last) == open_last


@pytest.mark.aws_documented
def test_rollover_and_lineage(ddb: Any, streams: Any) -> None:
    table, arn = own_stream_table(ddb)
    first = _shards(streams, arn)
    assert len(first) == 1
    ddb.put_item(TableName=table, Item={"p": {"S": "k0"}})
    shards = _wait_for_shards(streams, arn, 3)
    _check_lineage(shards)
    assert shards[0]["ShardId"] == first[0]["ShardId"]
    # CHILD_SHARDS: the children of one shard
    children = streams.describe_stream(
        StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS", "ShardId": shards[0]["ShardId"]}
    )["StreamDescription"]["Shards"]
    assert children == [shards[1]]
    newest = shards[-1]["ShardId"]
    assert (
        streams.describe_stream(
            StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS", "ShardId": newest}
        )["StreamDescription"]["Shards"]
        == []
    )
    # the record written in the first shard's time is in the first shard
    assert _keys(_read_shard(streams, arn, shards[0]["ShardId"])[0]) == ["k0"]
    assert _read_shard(streams, arn, shards[1]["ShardId"]) == ([], True)


@pytest.mark.aws_documented
def test_reading_across_shards(ddb: Any, streams: Any) -> None:
    table, arn = own_stream_table(ddb)
    written: list[str] = []
    # an iterator of the shard open now, kept while the shard closes
    shard = _shards(streams, arn)[0]["ShardId"]
    held = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")
    deadline = time.monotonic() + 2.5
    i = 0
    while time.monotonic() < deadline:
        key = f"k{i:03d}"
        ddb.put_item(TableName=table, Item={"p": {"S": key}})
        written.append(key)
        i += 1
        if i % 5 == 0:
            streams.list_streams(TableName=table)  # Streams calls roll shards over too
        time.sleep(0.05)
    shards = _wait_for_shards(streams, arn, 3)
    _check_lineage(shards)
    records = _read_lineage(streams, arn)
    assert _keys(records) == written
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert numbers == sorted(set(numbers))
    # the held iterator reads its shard to the end, then stops
    it: str | None = held["ShardIterator"]
    seen: list[Any] = []
    while it is not None:
        out = streams.get_records(ShardIterator=it)
        seen += out["Records"]
        it = out.get("NextShardIterator")
    assert seen == _read_shard(streams, arn, shard)[0]
    assert _keys(seen) == written[: len(seen)]
    assert len(seen) < len(written)


@pytest.mark.aws_documented
def test_sequence_numbers_belong_to_their_shard(ddb: Any, streams: Any) -> None:
    table, arn = own_stream_table(ddb)
    ddb.put_item(TableName=table, Item={"p": {"S": "old"}})
    shards = _wait_for_shards(streams, arn, 2)
    ddb.put_item(TableName=table, Item={"p": {"S": "new"}})
    shards = _shards(streams, arn)
    newer = [r for s in shards[1:] for r in _read_shard(streams, arn, s["ShardId"])[0]]
    assert _keys(newer) == ["new"]
    number = newer[0]["dynamodb"]["SequenceNumber"]
    # a later shard's number is not in the first shard's range
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.get_shard_iterator(
            StreamArn=arn,
            ShardId=shards[0]["ShardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=number,
        )
    assert error_of(excinfo)[0] == "ValidationException"
    # LATEST on a closed shard: nothing, and no next iterator
    it = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shards[0]["ShardId"], ShardIteratorType="LATEST"
    )["ShardIterator"]
    out = streams.get_records(ShardIterator=it)
    assert out["Records"] == [] and "NextShardIterator" not in out


@pytest.mark.aws_documented
def test_describe_stream_pages_shards(ddb: Any, streams: Any) -> None:
    _, arn = own_stream_table(ddb)
    everything = _wait_for_shards(streams, arn, 4)[:4]
    ids = [s["ShardId"] for s in everything]
    for limit in (1, 3):
        pages = []
        kwargs: dict[str, Any] = {"StreamArn": arn, "Limit": limit}
        for _ in range(len(ids) // limit + 1):
            out = streams.describe_stream(**kwargs)["StreamDescription"]
            pages.append(out["Shards"])
            if "LastEvaluatedShardId" not in out:
                break
            assert len(out["Shards"]) == limit
            assert out["LastEvaluatedShardId"] == out["Shards"][-1]["ShardId"]
            kwargs["ExclusiveStartShardId"] = out["LastEvaluatedShardId"]
        listed = [s["ShardId"] for page in pages for s in page]
        assert listed[:4] == ids
        assert len(set(listed)) == len(listed)
    # starting after one shard lists the younger ones
    after = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId=ids[1])
    assert [s["ShardId"] for s in after["StreamDescription"]["Shards"]][:2] == ids[2:4]


@pytest.mark.aws_documented
def test_disabling_closes_the_open_shard(ddb: Any, streams: Any) -> None:
    table, arn = own_stream_table(ddb)
    ddb.put_item(TableName=table, Item={"p": {"S": "k"}})
    _wait_for_shards(streams, arn, 2)
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    shards = _shards(streams, arn)
    _check_lineage(shards, open_last=False)
    time.sleep(float(LIFETIME) * 1.5)
    assert _shards(streams, arn) == shards  # no more rollovers
    assert _keys(_read_lineage(streams, arn)) == ["k"]


@pytest.mark.aws_documented
def test_unknown_shard(ddb: Any, streams: Any) -> None:
    _, arn = own_stream_table(ddb)
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.get_shard_iterator(
            StreamArn=arn,
            ShardId="shardId-00000000000000000000-00000000",
            ShardIteratorType="TRIM_HORIZON",
        )
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        "Requested resource not found: Shard does not exist",
    )


@pytest.mark.gureum_own
def test_restart_keeps_shard_boundaries(tmp_path: Path) -> None:
    first = GureumProcess(tmp_path, ["--shard-lifetime", LIFETIME])
    first.start()
    try:
        ddb = first.client()
        streams = first.client("dynamodbstreams")
        table, arn = own_stream_table(ddb)
        for i in range(3):
            ddb.put_item(TableName=table, Item={"p": {"S": f"a{i}"}})
        _wait_for_shards(streams, arn, 2)
        for i in range(3):
            ddb.put_item(TableName=table, Item={"p": {"S": f"b{i}"}})
        shards = _wait_for_shards(streams, arn, 3)
        by_shard = [_read_shard(streams, arn, s["ShardId"])[0] for s in shards]
    finally:
        first.stop()
    # a long lifetime now, so that no shard rolls over while we look
    second = GureumProcess(tmp_path, ["--shard-lifetime", "3600"])
    second.start()
    try:
        streams = second.client("dynamodbstreams")
        after = _shards(streams, arn)
        # every shard closed before the restart is as it was; the last one may have rolled
        # over once more when the first server stopped
        closed = [s for s in shards if "EndingSequenceNumber" in s["SequenceNumberRange"]]
        assert after[: len(closed)] == closed
        _check_lineage(after)
        again = [_read_shard(streams, arn, s["ShardId"])[0] for s in after[: len(closed)]]
        assert again == by_shard[: len(closed)]
        assert _keys(_read_lineage(streams, arn)) == ["a0", "a1", "a2", "b0", "b1", "b2"]
    finally:
        second.stop()
