"""DynamoDB stream triggers end to end: a table's stream, an event source mapping, and a Python
function that records every invocation's event into a second table with boto3."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import GureumProcess, TableFactory, create_table, unique_name
from lambda_.conftest import FunctionFactory, create_function, make_zip

pytestmark = pytest.mark.aws_documented

# Records each invocation's event (and when it ran) into the table TARGET; then, by MODE:
# "raise" fails on a batch holding a record whose new image has a ``poison`` attribute,
# "report" reports the first poison record as a batch item failure (once per record).
RECORDER = """
import json, os, time
import boto3
client = boto3.client("dynamodb")
TARGET = os.environ["TARGET"]

def handler(event, context):
    client.put_item(TableName=TARGET, Item={
        "id": {"S": context.aws_request_id},
        "event": {"S": json.dumps(event)},
        "at": {"N": repr(time.time())},
    })
    mode = os.environ.get("MODE", "")
    poison = [r for r in event.get("Records", [])
              if "poison" in r.get("dynamodb", {}).get("NewImage", {})]
    if poison and mode == "raise":
        raise ValueError("poison record")
    if mode == "report":
        if poison:
            seq = poison[0]["dynamodb"]["SequenceNumber"]
            marker = {"id": {"S": "marker-" + seq}}
            if "Item" not in client.get_item(TableName=TARGET, Key=marker):
                client.put_item(TableName=TARGET, Item=marker)
                return {"batchItemFailures": [{"itemIdentifier": seq}]}
        return {"batchItemFailures": []}
    return None
"""

STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


def invocations(ddb: Any, target: str) -> list[dict[str, Any]]:
    """The events the function received, in the order it ran."""
    items: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"TableName": target, "ConsistentRead": True}
    while True:
        page = ddb.scan(**kwargs)
        items += [i for i in page["Items"] if "event" in i]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    items.sort(key=lambda i: float(i["at"]["N"]))
    return [json.loads(i["event"]["S"]) for i in items]


def delivered_keys(events: list[dict[str, Any]]) -> list[str]:
    return [r["dynamodb"]["Keys"]["p"]["S"] for e in events for r in e.get("Records", [])]


def wait_for(
    ddb: Any, target: str, done: Callable[[list[dict[str, Any]]], bool], timeout: float = 20.0
) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        events = invocations(ddb, target)
        if done(events):
            return events
        if time.monotonic() > deadline:
            raise AssertionError(f"not delivered in time: {events}")
        time.sleep(0.05)


def put(ddb: Any, table: str, key: str, **attributes: Any) -> None:
    item = {"p": {"S": key}, **{k: {"S": str(v)} for k, v in attributes.items()}}
    ddb.put_item(TableName=table, Item=item)


class Trigger:
    """A stream-enabled source table, a target table, the recording function, and the
    mappings made for them (deleted after the test)."""

    def __init__(self, ddb: Any, lam: Any, make_table: TableFactory, make_function: Any) -> None:
        self.ddb, self.lam = ddb, lam
        self._make_table, self._make_function = make_table, make_function
        self.mappings: list[str] = []

    def build(self, mode: str = "") -> tuple[str, str, str, str]:
        """(source table, stream ARN, target table, function name)."""
        source = self._make_table(StreamSpecification=STREAM)
        arn: str = self.ddb.describe_table(TableName=source)["Table"]["LatestStreamArn"]
        target = self._make_table("id:S")
        function: str = self.function(target, mode)
        return source, arn, target, function

    def function(self, target: str, mode: str = "") -> str:
        name: str = self._make_function(
            Code={"ZipFile": make_zip(RECORDER)},
            Timeout=30,
            Environment={"Variables": {"TARGET": target, "MODE": mode}},
        )["FunctionName"]
        return name

    def map(self, arn: str, function: str, **params: Any) -> dict[str, Any]:
        params.setdefault("StartingPosition", "TRIM_HORIZON")
        out: dict[str, Any] = self.lam.create_event_source_mapping(
            EventSourceArn=arn, FunctionName=function, **params
        )
        self.mappings.append(out["UUID"])
        return out


@pytest.fixture
def trigger(
    ddb: Any, lam: Any, make_table: TableFactory, make_function: FunctionFactory
) -> Iterator[Trigger]:
    made = Trigger(ddb, lam, make_table, make_function)
    yield made
    for mapping_uuid in made.mappings:
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_event_source_mapping(UUID=mapping_uuid)


def test_every_item_in_order(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build()
    trigger.map(arn, function)
    keys = [f"k{i:03d}" for i in range(30)]
    for key in keys:
        put(ddb, source, key)
    events = wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= len(keys))
    assert delivered_keys(events) == keys
    for event in events:
        numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in event["Records"]]
        assert numbers == sorted(numbers)
    status = trigger.lam.list_event_source_mappings(FunctionName=function)
    assert status["EventSourceMappings"][0]["LastProcessingResult"] == "OK"


def test_event_shapes(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build()
    trigger.map(arn, function)
    put(ddb, source, "a", v="1")
    ddb.update_item(
        TableName=source,
        Key={"p": {"S": "a"}},
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": {"S": "2"}},
    )
    ddb.delete_item(TableName=source, Key={"p": {"S": "a"}})
    events = wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= 3)
    records = [r for e in events for r in e["Records"]]
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    insert, modify, remove = records
    for record in records:
        assert set(record) == {
            "eventID",
            "eventName",
            "eventVersion",
            "eventSource",
            "awsRegion",
            "dynamodb",
            "eventSourceARN",
        }
        assert record["eventVersion"] == "1.1"
        assert record["eventSource"] == "aws:dynamodb"
        assert record["awsRegion"] == "us-east-1"
        assert record["eventSourceARN"] == arn
        body = record["dynamodb"]
        assert isinstance(body["ApproximateCreationDateTime"], (int, float))
        assert body["Keys"] == {"p": {"S": "a"}}
        assert body["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        assert body["SequenceNumber"].isdigit()
        assert body["SizeBytes"] > 0
    assert insert["dynamodb"]["NewImage"] == {"p": {"S": "a"}, "v": {"S": "1"}}
    assert "OldImage" not in insert["dynamodb"]
    assert modify["dynamodb"]["OldImage"] == {"p": {"S": "a"}, "v": {"S": "1"}}
    assert modify["dynamodb"]["NewImage"] == {"p": {"S": "a"}, "v": {"S": "2"}}
    assert remove["dynamodb"]["OldImage"] == {"p": {"S": "a"}, "v": {"S": "2"}}
    assert "NewImage" not in remove["dynamodb"]


def test_batch_size(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build()
    keys = [f"k{i}" for i in range(7)]
    for key in keys:
        put(ddb, source, key)
    trigger.map(arn, function, BatchSize=3)
    events = wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= 7)
    assert [len(e["Records"]) for e in events] == [3, 3, 1]
    assert delivered_keys(events) == keys


def test_latest_and_trim_horizon(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build()
    other_target = trigger._make_table("id:S")
    other = trigger.function(other_target)
    put(ddb, source, "before")
    trigger.map(arn, function, StartingPosition="LATEST")
    trigger.map(arn, other, StartingPosition="TRIM_HORIZON")
    put(ddb, source, "after")
    wait_for(ddb, other_target, lambda e: len(delivered_keys(e)) >= 2)
    latest = wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= 1)
    assert delivered_keys(invocations(ddb, other_target)) == ["before", "after"]
    time.sleep(0.2)
    assert delivered_keys(invocations(ddb, target)) == delivered_keys(latest) == ["after"]


def test_retries_exhausted_to_on_failure(ddb: Any, lam: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build(mode="raise")
    failures = trigger._make_table("id:S")
    destination_name = trigger.function(failures)
    destination = lam.get_function(FunctionName=destination_name)["Configuration"]["FunctionArn"]
    mapping = trigger.map(
        arn,
        function,
        MaximumRetryAttempts=2,
        DestinationConfig={"OnFailure": {"Destination": destination}},
    )
    put(ddb, source, "bad", poison="yes")
    [record] = wait_for(ddb, failures, lambda e: len(e) >= 1)
    calls = invocations(ddb, target)
    assert [delivered_keys([c]) for c in calls] == [["bad"]] * 3
    bad = calls[0]["Records"][0]["dynamodb"]
    function_arn = mapping["FunctionArn"]
    assert set(record) == {
        "requestContext",
        "responseContext",
        "version",
        "timestamp",
        "DDBStreamBatchInfo",
    }
    context = record["requestContext"]
    assert set(context) == {"requestId", "functionArn", "condition", "approximateInvokeCount"}
    assert context["functionArn"] == function_arn
    assert context["condition"] == "RetryAttemptsExhausted"
    assert context["approximateInvokeCount"] == 3
    assert record["responseContext"] == {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled",
    }
    assert record["version"] == "1.0"
    assert record["timestamp"].endswith("Z")
    info = record["DDBStreamBatchInfo"]
    assert info["shardId"].startswith("shardId-")
    assert info["startSequenceNumber"] == info["endSequenceNumber"] == bad["SequenceNumber"]
    assert info["approximateArrivalOfFirstRecord"].endswith("Z")
    assert info["approximateArrivalOfLastRecord"].endswith("Z")
    assert info["batchSize"] == 1
    assert info["streamArn"] == arn
    got = lam.get_event_source_mapping(UUID=mapping["UUID"])
    assert got["LastProcessingResult"] == "PROBLEM: Function call failed"
    # the mapping moved past the batch
    put(ddb, source, "good")
    events = wait_for(ddb, target, lambda e: "good" in delivered_keys(e))
    assert delivered_keys(events) == ["bad", "bad", "bad", "good"]


def test_bisect_isolates_poison_record(ddb: Any, lam: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build(mode="raise")
    failures = trigger._make_table("id:S")
    destination_name = trigger.function(failures)
    destination = lam.get_function(FunctionName=destination_name)["Configuration"]["FunctionArn"]
    put(ddb, source, "a")
    put(ddb, source, "b")
    put(ddb, source, "c", poison="yes")
    put(ddb, source, "d")
    trigger.map(
        arn,
        function,
        MaximumRetryAttempts=0,
        BisectBatchOnFunctionError=True,
        DestinationConfig={"OnFailure": {"Destination": destination}},
    )
    [record] = wait_for(ddb, failures, lambda e: len(e) >= 1)
    events = wait_for(ddb, target, lambda e: delivered_keys(e)[-1:] == ["d"])
    assert [delivered_keys([e]) for e in events] == [
        ["a", "b", "c", "d"],
        ["a", "b"],
        ["c", "d"],
        ["c"],
        ["d"],
    ]
    info = record["DDBStreamBatchInfo"]
    assert info["batchSize"] == 1
    poison = events[3]["Records"][0]["dynamodb"]["SequenceNumber"]
    assert info["startSequenceNumber"] == info["endSequenceNumber"] == poison


def test_report_batch_item_failures(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build(mode="report")
    for key in ("a", "b"):
        put(ddb, source, key)
    put(ddb, source, "c", poison="yes")
    for key in ("d", "e"):
        put(ddb, source, key)
    trigger.map(arn, function, FunctionResponseTypes=["ReportBatchItemFailures"])
    events = wait_for(ddb, target, lambda e: len(e) >= 2)
    time.sleep(0.2)
    events = invocations(ddb, target)
    assert [delivered_keys([e]) for e in events] == [["a", "b", "c", "d", "e"], ["c", "d", "e"]]


def test_disable_and_enable(ddb: Any, lam: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build()
    mapping = trigger.map(arn, function)
    put(ddb, source, "one")
    wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= 1)
    lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=False)
    assert lam.get_event_source_mapping(UUID=mapping["UUID"])["State"] == "Disabled"
    put(ddb, source, "two")
    time.sleep(0.4)
    assert delivered_keys(invocations(ddb, target)) == ["one"]
    lam.update_event_source_mapping(UUID=mapping["UUID"], Enabled=True)
    events = wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= 2)
    assert delivered_keys(events) == ["one", "two"]


def test_deleted_mapping_stops(ddb: Any, lam: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build()
    mapping = trigger.map(arn, function)
    put(ddb, source, "one")
    wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= 1)
    lam.delete_event_source_mapping(UUID=mapping["UUID"])
    put(ddb, source, "two")
    time.sleep(0.4)
    assert delivered_keys(invocations(ddb, target)) == ["one"]


@pytest.mark.gureum_own
def test_deleted_function_is_a_problem(ddb: Any, lam: Any, trigger: Trigger) -> None:
    source, arn, _target, function = trigger.build()
    mapping = trigger.map(arn, function)
    lam.delete_function(FunctionName=function)
    put(ddb, source, "one")
    deadline = time.monotonic() + 10
    while True:
        result = lam.get_event_source_mapping(UUID=mapping["UUID"])["LastProcessingResult"]
        if result.startswith("PROBLEM"):
            break
        assert time.monotonic() < deadline, result
        time.sleep(0.05)
    assert ddb.describe_table(TableName=source)["Table"]["TableStatus"] == "ACTIVE"


def test_restart_resumes_from_checkpoint(tmp_path: Path) -> None:
    server = _server_with(tmp_path / "data")
    try:
        ddb, lam, source, arn, names = _deploy(server)
        function, target = names.split("|")
        for key in ("a", "b", "c"):
            put(ddb, source, key)
        mapping = lam.create_event_source_mapping(
            EventSourceArn=arn, FunctionName=function, StartingPosition="TRIM_HORIZON"
        )
        wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= 3)
        deadline = time.monotonic() + 10
        while lam.get_event_source_mapping(UUID=mapping["UUID"])["LastProcessingResult"] != "OK":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        server.stop()
        server.start()
        ddb, lam = server.client("dynamodb"), server.client("lambda")
        assert lam.get_event_source_mapping(UUID=mapping["UUID"])["State"] == "Enabled"
        for key in ("d", "e"):
            put(ddb, source, key)
        events = wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= 5)
        time.sleep(0.3)
        assert delivered_keys(invocations(ddb, target)) == ["a", "b", "c", "d", "e"]
        assert delivered_keys(events) == ["a", "b", "c", "d", "e"]
    finally:
        server.stop()


def test_filtered_records_are_skipped(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build()
    trigger.map(
        arn, function, FilterCriteria={"Filters": [{"Pattern": '{"eventName": ["INSERT"]}'}]}
    )
    put(ddb, source, "a", v="1")
    put(ddb, source, "a", v="2")  # a MODIFY: filtered out
    put(ddb, source, "b", v="1")
    events = wait_for(ddb, target, lambda e: "b" in delivered_keys(e))
    time.sleep(0.2)
    events = invocations(ddb, target)
    records = [r for e in events for r in e["Records"]]
    assert [(r["eventName"], r["dynamodb"]["Keys"]["p"]["S"]) for r in records] == [
        ("INSERT", "a"),
        ("INSERT", "b"),
    ]


def test_parallelization_keeps_key_order(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build()
    trigger.map(arn, function, ParallelizationFactor=4, BatchSize=2)
    writes = [(f"k{i % 5}", str(round_)) for round_ in range(4) for i in range(5)]
    for key, version in writes:
        put(ddb, source, key, v=version)
    events = wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= len(writes))
    records = [r["dynamodb"] for e in events for r in e["Records"]]
    assert len(records) == len(writes)
    for key in {k for k, _ in writes}:
        versions = [r["NewImage"]["v"]["S"] for r in records if r["Keys"]["p"]["S"] == key]
        assert versions == ["0", "1", "2", "3"]


def _server_with(data_dir: Path | None, *args: str) -> GureumProcess:
    server = GureumProcess(data_dir, list(args))
    server.start()
    return server


def _deploy(server: GureumProcess) -> tuple[Any, Any, str, str, str]:
    """On a server of our own: a source table with a stream, a target table, the recording
    function; (ddb, lambda, source, stream ARN, "<function name>|<target table>")."""
    ddb, lam = server.client("dynamodb"), server.client("lambda")
    source, target, arn = stream_tables(ddb)
    function = target_function(lam, RECORDER, target)
    return ddb, lam, source, arn, f"{function}|{target}"


def stream_tables(ddb: Any) -> tuple[str, str, str]:
    """On a server of a test's own: (source table with a stream, target table, stream ARN)."""
    source = create_table(ddb, TableName=unique_name("src"), StreamSpecification=STREAM)
    target = create_table(ddb, "id:S", TableName=unique_name("dst"))
    arn: str = ddb.describe_table(TableName=source)["Table"]["LatestStreamArn"]
    return source, target, arn


def target_function(lam: Any, code: str, target: str) -> str:
    """On a server of a test's own: a function of ``code`` writing into ``target``."""
    name = unique_name("fn")
    create_function(
        lam,
        FunctionName=name,
        Code={"ZipFile": make_zip(code)},
        Timeout=30,
        Environment={"Variables": {"TARGET": target}},
    )
    return name


def test_shard_rollover_parents_first() -> None:
    server = _server_with(None, "--shard-lifetime", "1")
    try:
        ddb, lam, source, arn, names = _deploy(server)
        function, target = names.split("|")
        lam.create_event_source_mapping(
            EventSourceArn=arn, FunctionName=function, StartingPosition="TRIM_HORIZON"
        )
        keys = []
        for i in range(12):
            keys.append(f"k{i:02d}")
            put(ddb, source, keys[-1])
            time.sleep(0.25)
        shards = server.client("dynamodbstreams").describe_stream(StreamArn=arn)
        assert len(shards["StreamDescription"]["Shards"]) > 1
        events = wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= len(keys))
        time.sleep(0.3)
        assert delivered_keys(invocations(ddb, target)) == keys
        assert delivered_keys(events) == keys
    finally:
        server.stop()


@pytest.mark.gureum_own
def test_deleted_table_harms_nothing(ddb: Any, lam: Any, trigger: Trigger) -> None:
    source, arn, target, function = trigger.build()
    mapping = trigger.map(arn, function)
    put(ddb, source, "one")
    wait_for(ddb, target, lambda e: len(delivered_keys(e)) >= 1)
    ddb.delete_table(TableName=source)
    time.sleep(0.3)
    got = lam.get_event_source_mapping(UUID=mapping["UUID"])
    assert got["State"] == "Enabled"
    assert delivered_keys(invocations(ddb, target)) == ["one"]
