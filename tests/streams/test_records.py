"""GetShardIterator and GetRecords end to end: record shapes, order, positions, view types."""

from __future__ import annotations

import base64
import json
import re
from typing import TYPE_CHECKING, Any

import pytest

from conftest import error_of, new_key
from streams.conftest import iterator, read_all

if TYPE_CHECKING:
    from streams.conftest import StreamTable


def _write_three(ddb: Any, table: str, key: str) -> None:
    ddb.put_item(TableName=table, Item={"p": {"S": key}, "a": {"N": "1"}})
    ddb.update_item(
        TableName=table,
        Key={"p": {"S": key}},
        UpdateExpression="SET a = :v",
        ExpressionAttributeValues={":v": {"N": "2"}},
    )
    ddb.delete_item(TableName=table, Key={"p": {"S": key}})


@pytest.mark.aws_documented
def test_records_of_put_update_delete(ddb: Any, streams: Any, stream_table: StreamTable) -> None:
    table, arn = stream_table("NEW_AND_OLD_IMAGES")
    key = new_key()
    _write_three(ddb, table, key)
    records = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    numbers = [r["dynamodb"]["SequenceNumber"] for r in records]
    assert all(len(n) == 21 and n.isdecimal() for n in numbers)
    assert [int(n) for n in numbers] == sorted(int(n) for n in numbers)
    assert len(set(numbers)) == 3
    k = {"p": {"S": key}}
    v1 = {"p": {"S": key}, "a": {"N": "1"}}
    v2 = {"p": {"S": key}, "a": {"N": "2"}}
    for record in records:
        assert re.fullmatch(r"[0-9a-f]{32}", record.pop("eventID"))
        assert record["dynamodb"].pop("ApproximateCreationDateTime").year >= 2024
        record["dynamodb"].pop("SequenceNumber")
        assert record["dynamodb"].pop("SizeBytes") > 0
        assert record.pop("eventVersion") == "1.1"
        assert record.pop("eventSource") == "aws:dynamodb"
        assert record.pop("awsRegion") == "us-east-1"
    view = "NEW_AND_OLD_IMAGES"
    assert records == [
        {"eventName": "INSERT", "dynamodb": {"Keys": k, "NewImage": v1, "StreamViewType": view}},
        {
            "eventName": "MODIFY",
            "dynamodb": {"Keys": k, "NewImage": v2, "OldImage": v1, "StreamViewType": view},
        },
        {"eventName": "REMOVE", "dynamodb": {"Keys": k, "OldImage": v2, "StreamViewType": view}},
    ]


@pytest.mark.aws_documented
@pytest.mark.parametrize(
    ("view", "images"),
    [
        ("KEYS_ONLY", [set(), set(), set()]),
        ("NEW_IMAGE", [{"NewImage"}, {"NewImage"}, set()]),
        ("OLD_IMAGE", [set(), {"OldImage"}, {"OldImage"}]),
    ],
)
def test_view_types(
    ddb: Any, streams: Any, stream_table: StreamTable, view: str, images: list[set[str]]
) -> None:
    table, arn = stream_table(view)
    _write_three(ddb, table, new_key())
    records = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    for record, expected in zip(records, images, strict=True):
        body = record["dynamodb"]
        assert body["StreamViewType"] == view
        assert (
            set(body) - {"ApproximateCreationDateTime", "SequenceNumber", "SizeBytes"}
            == {
                "Keys",
                "StreamViewType",
            }
            | expected
        )


@pytest.mark.aws_documented
def test_write_that_changes_nothing_has_no_record(
    ddb: Any, streams: Any, stream_table: StreamTable
) -> None:
    table, arn = stream_table("NEW_AND_OLD_IMAGES")
    key = new_key()
    item = {"p": {"S": key}, "a": {"S": "x"}}
    ddb.put_item(TableName=table, Item=item)
    ddb.put_item(TableName=table, Item=item)  # the same item again
    ddb.delete_item(TableName=table, Key={"p": {"S": new_key()}})  # nothing to delete
    assert [r["eventName"] for r in read_all(streams, arn)] == ["INSERT"]


@pytest.mark.aws_documented
def test_latest_sees_only_later_writes(ddb: Any, streams: Any, stream_table: StreamTable) -> None:
    table, arn = stream_table("KEYS_ONLY")
    ddb.put_item(TableName=table, Item={"p": {"S": "before"}})
    it = iterator(streams, arn, "LATEST")
    assert streams.get_records(ShardIterator=it)["Records"] == []
    ddb.put_item(TableName=table, Item={"p": {"S": "after"}})
    out = streams.get_records(ShardIterator=it)
    assert [r["dynamodb"]["Keys"] for r in out["Records"]] == [{"p": {"S": "after"}}]
    # the next iterator goes on from there
    assert streams.get_records(ShardIterator=out["NextShardIterator"])["Records"] == []


@pytest.mark.aws_documented
def test_at_and_after_sequence_number(ddb: Any, streams: Any, stream_table: StreamTable) -> None:
    table, arn = stream_table("KEYS_ONLY")
    for key in ("k1", "k2", "k3"):
        ddb.put_item(TableName=table, Item={"p": {"S": key}})
    records = read_all(streams, arn)
    second = records[1]["dynamodb"]["SequenceNumber"]
    after = read_all(streams, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=second)
    assert [r["dynamodb"]["Keys"]["p"]["S"] for r in after] == ["k3"]
    at = read_all(streams, arn, "AT_SEQUENCE_NUMBER", SequenceNumber=second)
    assert [r["dynamodb"]["Keys"]["p"]["S"] for r in at] == ["k2", "k3"]


@pytest.mark.aws_documented
def test_limit_pages_records(ddb: Any, streams: Any, stream_table: StreamTable) -> None:
    table, arn = stream_table("KEYS_ONLY")
    for i in range(5):
        ddb.put_item(TableName=table, Item={"p": {"S": f"k{i}"}})
    it = iterator(streams, arn)
    seen = []
    for _ in range(3):
        out = streams.get_records(ShardIterator=it, Limit=2)
        seen += [r["dynamodb"]["Keys"]["p"]["S"] for r in out["Records"]]
        it = out["NextShardIterator"]
    assert seen == ["k0", "k1", "k2", "k3", "k4"]


@pytest.mark.aws_documented
def test_only_writes_of_this_table(ddb: Any, streams: Any, stream_table: StreamTable) -> None:
    table, arn = stream_table("KEYS_ONLY")
    other, _ = stream_table("KEYS_ONLY")
    ddb.put_item(TableName=other, Item={"p": {"S": "other"}})
    ddb.put_item(TableName=table, Item={"p": {"S": "mine"}})
    assert [r["dynamodb"]["Keys"]["p"]["S"] for r in read_all(streams, arn)] == ["mine"]


# --- errors


@pytest.mark.aws_documented
def test_get_records_limit_bounds(streams: Any, stream_table: StreamTable) -> None:
    _, arn = stream_table("KEYS_ONLY")
    it = iterator(streams, arn, "LATEST")
    streams.get_records(ShardIterator=it, Limit=1000)
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.get_records(ShardIterator=it, Limit=1001)
    # [gureum] text: the front end's constraint wording
    assert error_of(excinfo) == (
        "ValidationException",
        "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: "
        "Member must have value less than or equal to 1000",
    )
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.get_records(ShardIterator=it, Limit=0)
    assert error_of(excinfo)[0] == "ValidationException"
    assert "limit" in error_of(excinfo)[1]


@pytest.mark.aws_documented
def test_bad_iterator(streams: Any) -> None:
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.get_records(ShardIterator="sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdg")
    assert error_of(excinfo) == ("ValidationException", "Invalid ShardIterator.")


@pytest.mark.aws_documented
def test_sequence_number_needed_exactly_for_at_and_after(
    streams: Any, stream_table: StreamTable
) -> None:
    _, arn = stream_table("KEYS_ONLY")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    number = shard["SequenceNumberRange"]["StartingSequenceNumber"]
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        with pytest.raises(streams.exceptions.ClientError) as excinfo:
            streams.get_shard_iterator(
                StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType=kind
            )
        assert error_of(excinfo)[0] == "ValidationException"
        streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType=kind, SequenceNumber=number
        )
    for kind in ("TRIM_HORIZON", "LATEST"):
        with pytest.raises(streams.exceptions.ClientError) as excinfo:
            streams.get_shard_iterator(
                StreamArn=arn,
                ShardId=shard["ShardId"],
                ShardIteratorType=kind,
                SequenceNumber=number,
            )
        assert error_of(excinfo)[0] == "ValidationException"


@pytest.mark.aws_documented
def test_unknown_shard(streams: Any, stream_table: StreamTable) -> None:
    _, arn = stream_table("KEYS_ONLY")
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.get_shard_iterator(
            StreamArn=arn,
            ShardId="shardId-00000000000000000000-00000000",
            ShardIteratorType="LATEST",
        )
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


@pytest.mark.aws_documented
def test_expired_iterator(streams: Any, stream_table: StreamTable) -> None:
    _, arn = stream_table("KEYS_ONLY")
    it = iterator(streams, arn, "LATEST")
    # gureum's iterators carry their birth time (ms); one 16 minutes old has expired
    prefix, opaque = it.rsplit("|", 1)
    shard, after, created = json.loads(base64.b64decode(opaque))
    old = base64.b64encode(json.dumps([shard, after, created - 16 * 60 * 1000]).encode())
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.get_records(ShardIterator=f"{prefix}|{old.decode()}")
    assert error_of(excinfo)[0] == "ExpiredIteratorException"  # text: [gureum]


@pytest.mark.gureum_own
@pytest.mark.parametrize(
    "text",
    [
        "arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/l|1|!!!",
        "arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/l|1|WzEsMiwzXQ==",
        "arn:aws:dynamodb:us-east-1:000000000000:table/x/stream/l|2|WzEsMiwzXQ==",
        "|1|",
    ],
)
def test_malformed_iterators(streams: Any, text: str) -> None:
    with pytest.raises(streams.exceptions.ClientError) as excinfo:
        streams.get_records(ShardIterator=text)
    assert error_of(excinfo) == ("ValidationException", "Invalid ShardIterator.")
