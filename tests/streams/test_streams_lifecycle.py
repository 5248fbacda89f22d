"""ListStreams and DescribeStream; a stream's life: enabled, disabled, replaced; TTL records."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest

from conftest import GureumProcess, error_of
from streams.conftest import own_stream_table, read_all

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conftest import TableFactory
    from streams.conftest import StreamTable


@pytest.mark.aws_documented
def test_list_streams_of_a_table(streams: Any, stream_table: StreamTable) -> None:
    table, arn = stream_table("KEYS_ONLY")
    out = streams.list_streams(TableName=table)
    label = arn.rsplit("/", 1)[1]
    assert out["Streams"] == [{"StreamArn": arn, "TableName": table, "StreamLabel": label}]


@pytest.mark.aws_documented
def test_list_streams_of_a_table_without_stream(streams: Any, make_table: TableFactory) -> None:
    assert streams.list_streams(TableName=make_table())["Streams"] == []


@pytest.mark.aws_documented
def test_list_streams_pages(streams: Any, stream_table: StreamTable) -> None:
    arns = {stream_table("KEYS_ONLY")[1] for _ in range(3)}
    seen: list[str] = []
    kwargs: dict[str, Any] = {"Limit": 1}
    while True:
        out = streams.list_streams(**kwargs)
        seen += [s["StreamArn"] for s in out["Streams"]]
        if "LastEvaluatedStreamArn" not in out:
            break
        assert len(out["Streams"]) == 1
        kwargs["ExclusiveStartStreamArn"] = out["LastEvaluatedStreamArn"]
    assert arns <= set(seen)
    assert len(seen) == len(set(seen))


@pytest.mark.aws_documented
def test_list_streams_limit_bounds(streams: Any) -> None:
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.list_streams(Limit=0)
    assert error_of(excinfo)[0] == "ValidationException"
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.list_streams(Limit=101)
    assert error_of(excinfo)[0] == "ValidationException"


@pytest.mark.aws_documented
def test_describe_stream(ddb: Any, streams: Any, stream_table: StreamTable) -> None:
    table, arn = stream_table("NEW_IMAGE")
    out = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    created = out.pop("CreationRequestDateTime")
    assert abs(created.timestamp() - time.time()) < 60
    shards = out.pop("Shards")
    assert out == {
        "StreamArn": arn,
        "StreamLabel": arn.rsplit("/", 1)[1],
        "StreamStatus": "ENABLED",
        "StreamViewType": "NEW_IMAGE",
        "TableName": table,
        "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}],
    }
    assert len(shards) == 1
    assert set(shards[0]) == {"ShardId", "SequenceNumberRange"}
    assert shards[0]["ShardId"].startswith("shardId-")
    assert len(shards[0]["ShardId"]) <= 65
    starting = shards[0]["SequenceNumberRange"]
    assert list(starting) == ["StartingSequenceNumber"]
    assert starting["StartingSequenceNumber"].isdecimal()
    # past the last shard: none
    after = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId=shards[0]["ShardId"])
    assert after["StreamDescription"]["Shards"] == []


@pytest.mark.aws_documented
def test_describe_missing_stream(streams: Any, stream_table: StreamTable) -> None:
    table, arn = stream_table("KEYS_ONLY")
    missing = arn.replace(f"table/{table}/", f"table/{table}x/")
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.describe_stream(StreamArn=missing)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Stream: {missing} not found",
    )


@pytest.mark.aws_documented
def test_describe_malformed_arn(streams: Any) -> None:
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.describe_stream(StreamArn="sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf")
    assert error_of(excinfo)[0] == "ValidationException"


@pytest.mark.aws_documented
def test_disable_and_reenable(ddb: Any, streams: Any, stream_table: StreamTable) -> None:
    table, old_arn = stream_table("KEYS_ONLY")
    ddb.put_item(TableName=table, Item={"p": {"S": "first"}})
    ddb.update_table(TableName=table, StreamSpecification={"StreamEnabled": False})
    ddb.put_item(TableName=table, Item={"p": {"S": "unstreamed"}})
    time.sleep(0.01)  # labels are to the millisecond
    ddb.update_table(
        TableName=table, StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    )
    new_arn = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    assert new_arn != old_arn
    ddb.put_item(TableName=table, Item={"p": {"S": "second"}})

    old = streams.describe_stream(StreamArn=old_arn)["StreamDescription"]
    assert old["StreamStatus"] == "DISABLED"
    assert "EndingSequenceNumber" in old["Shards"][0]["SequenceNumberRange"]
    new = streams.describe_stream(StreamArn=new_arn)["StreamDescription"]
    assert (new["StreamStatus"], new["StreamViewType"]) == ("ENABLED", "NEW_IMAGE")
    assert new["StreamLabel"] != old["StreamLabel"]
    assert [s["StreamArn"] for s in streams.list_streams(TableName=table)["Streams"]] == sorted(
        [old_arn, new_arn]
    )

    assert [r["dynamodb"]["Keys"]["p"]["S"] for r in read_all(streams, old_arn)] == ["first"]
    assert [r["dynamodb"]["Keys"]["p"]["S"] for r in read_all(streams, new_arn)] == ["second"]
    # a closed shard read to its end gives no next iterator
    shard = old["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=old_arn, ShardId=shard, ShardIteratorType="LATEST")
    out = streams.get_records(ShardIterator=it["ShardIterator"])
    assert out["Records"] == []
    assert "NextShardIterator" not in out


@pytest.fixture(scope="module")
def ttl_server() -> Iterator[GureumProcess]:
    server = GureumProcess(None, ["--ttl-interval", "0.2", "--ttl-change-window", "0"])
    server.start()
    yield server
    server.stop()


@pytest.mark.aws_documented
def test_ttl_deletion_has_user_identity(ttl_server: GureumProcess) -> None:
    ddb = ttl_server.client()
    streams = ttl_server.client("dynamodbstreams")
    table, arn = own_stream_table(ddb, "OLD_IMAGE")
    ddb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}
    )
    ddb.put_item(
        TableName=table, Item={"p": {"S": "gone"}, "exp": {"N": str(int(time.time()) - 10)}}
    )
    ddb.put_item(TableName=table, Item={"p": {"S": "kept"}})
    ddb.delete_item(TableName=table, Key={"p": {"S": "kept"}})
    deadline = time.monotonic() + 10
    while True:
        records = read_all(streams, arn)
        if len(records) == 4 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    removes = {r["dynamodb"]["Keys"]["p"]["S"]: r for r in records if r["eventName"] == "REMOVE"}
    assert removes["gone"]["userIdentity"] == {
        "Type": "Service",
        "PrincipalId": "dynamodb.amazonaws.com",
    }
    assert "userIdentity" not in removes["kept"]
