"""Tumbling windows of DynamoDB stream mappings (TumblingWindowInSeconds) end to end, and
MaximumRecordAgeInSeconds applied to records before they are sent: a table's stream, a mapping,
and a Python function that records every event it receives into a second table with boto3."""

from __future__ import annotations

import re
import time
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import GureumProcess, create_table, unique_name
from lambda_.conftest import make_zip
from lambda_.test_stream_triggers import (
    RECORDER,
    Trigger,
    delivered_keys,
    invocations,
    put,
    stream_tables,
    target_function,
    wait_for,
)
from lambda_.test_stream_triggers import trigger as trigger  # the fixture

pytestmark = pytest.mark.aws_documented

# Records each event (a state past 1 MB as its size only: items hold 400 KB), then returns
# the TimeWindowEventResponse of AWS's aggregation example: a running sum of the ``n`` of the
# window's records. MODE "stateless" returns no state; "big" a state past the 1 MB limit.
AGGREGATOR = """
import json, os, time
import boto3
client = boto3.client("dynamodb")
TARGET = os.environ["TARGET"]
MODE = os.environ.get("MODE", "")

def handler(event, context):
    recorded = dict(event)
    size = len(json.dumps(event.get("state", {})))
    if size > 300000:
        recorded["state"] = {"size": size}
    client.put_item(TableName=TARGET, Item={
        "id": {"S": context.aws_request_id},
        "event": {"S": json.dumps(recorded)},
        "at": {"N": repr(time.time())},
    })
    if MODE == "stateless":
        return {"batchItemFailures": []}
    if MODE == "big":
        return {"state": {"pad": "x" * (1024 * 1024)}}
    state = dict(event.get("state", {}))
    for record in event["Records"]:
        state["sum"] = state.get("sum", 0) + int(record["dynamodb"]["NewImage"]["n"]["N"])
    return {"state": state}
"""

EVENT_MEMBERS = [
    "Records",
    "window",
    "state",
    "shardId",
    "eventSourceARN",
    "isFinalInvokeForWindow",
    "isWindowTerminatedEarly",
]
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def aggregator(trigger: Trigger, target: str, mode: str = "") -> str:
    name: str = trigger._make_function(
        Code={"ZipFile": make_zip(AGGREGATOR)},
        Timeout=30,
        Environment={"Variables": {"TARGET": target, "MODE": mode}},
    )["FunctionName"]
    return name


def windowed(trigger: Trigger, mode: str = "") -> tuple[str, str, str, str]:
    """(source table, stream ARN, target table, aggregating function)."""
    source, arn, target, _recorder = trigger.build()
    return source, arn, target, aggregator(trigger, target, mode)


def write(ddb: Any, table: str, key: str, n: int) -> None:
    ddb.put_item(TableName=table, Item={"p": {"S": key}, "n": {"N": str(n)}})


def epoch(text: str) -> int:
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z").timestamp())


def by_window(events: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    windows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        windows[event["window"]["start"]].append(event)
    return windows


def closed(events: list[dict[str, Any]], keys: int) -> bool:
    """Every record delivered, and every window that received one had its final invocation."""
    windows = by_window(events)
    return len(delivered_keys(events)) >= keys and all(
        any(e["isFinalInvokeForWindow"] for e in group) for group in windows.values()
    )


def test_window_event_shape_and_state(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = windowed(trigger)
    trigger.map(arn, function, TumblingWindowInSeconds=2)
    values = {"a": 1, "b": 2, "c": 3, "d": 4}
    for key, n in values.items():
        write(ddb, source, key, n)
        time.sleep(0.1)
    events = wait_for(ddb, target, lambda e: closed(e, len(values)))
    assert delivered_keys(events) == list(values)
    for event in events:
        assert list(event) == EVENT_MEMBERS
        window = event["window"]
        assert list(window) == ["start", "end"]
        assert ISO.match(window["start"]) and ISO.match(window["end"])
        start, end = epoch(window["start"]), epoch(window["end"])
        assert end - start == 2
        assert start % 2 == 0  # windows are whole multiples of their length from the epoch
        for record in event["Records"]:
            assert start <= record["dynamodb"]["ApproximateCreationDateTime"] < end
        assert event["shardId"].startswith("shardId-")
        assert event["eventSourceARN"] == arn
        assert event["isWindowTerminatedEarly"] is False
    for group in by_window(events).values():
        assert group[0]["state"] == {}
        # each invocation gets the state the one before it returned
        running = 0
        for event in group:
            assert event["state"] == ({"sum": running} if running else {})
            running += sum(int(r["dynamodb"]["NewImage"]["n"]["N"]) for r in event["Records"])
        assert [e["isFinalInvokeForWindow"] for e in group] == [False] * (len(group) - 1) + [True]
    # the final invocations together saw every record's sum
    finals = [e for e in events if e["isFinalInvokeForWindow"]]
    totals = sum(
        f["state"].get("sum", 0)
        + sum(int(r["dynamodb"]["NewImage"]["n"]["N"]) for r in f["Records"])
        for f in finals
    )
    assert totals == sum(values.values())


def test_state_starts_empty_in_a_new_window(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = windowed(trigger)
    trigger.map(arn, function, TumblingWindowInSeconds=1)
    write(ddb, source, "a", 5)
    first = wait_for(ddb, target, lambda e: closed(e, 1))
    write(ddb, source, "b", 7)
    events = wait_for(ddb, target, lambda e: closed(e, 2))
    later = [e for e in events if e["window"]["start"] != first[0]["window"]["start"]]
    assert later[0]["state"] == {}
    assert delivered_keys(later) == ["b"]
    final = later[-1]
    assert final["isFinalInvokeForWindow"] is True
    assert (
        final["state"].get("sum", 0)
        + sum(int(r["dynamodb"]["NewImage"]["n"]["N"]) for r in final["Records"])
        == 7
    )


def test_one_final_invocation_per_window(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = windowed(trigger)
    trigger.map(arn, function, TumblingWindowInSeconds=1)
    write(ddb, source, "a", 1)
    events = wait_for(ddb, target, lambda e: closed(e, 1))
    time.sleep(1.5)
    # one final invocation per window, nothing after it while no record comes
    assert invocations(ddb, target) == events
    assert [e["isFinalInvokeForWindow"] for e in events][-1] is True


def test_missing_state_is_a_failed_invocation(ddb: Any, lam: Any, trigger: Trigger) -> None:
    source, arn, target, function = windowed(trigger, mode="stateless")
    failures = trigger._make_table("id:S")
    destination = lam.get_function(FunctionName=trigger.function(failures))["Configuration"][
        "FunctionArn"
    ]
    trigger.map(
        arn,
        function,
        TumblingWindowInSeconds=1,
        MaximumRetryAttempts=1,
        DestinationConfig={"OnFailure": {"Destination": destination}},
    )
    write(ddb, source, "a", 1)
    [record] = wait_for(ddb, failures, lambda e: len(e) >= 1)
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["DDBStreamBatchInfo"]["batchSize"] == 1
    calls = invocations(ddb, target)
    assert [delivered_keys([c]) for c in calls[:2]] == [["a"], ["a"]]
    assert [c["state"] for c in calls[:2]] == [{}, {}]


def test_state_past_1_mb_terminates_the_window_early(ddb: Any, trigger: Trigger) -> None:
    source, arn, target, function = windowed(trigger, mode="big")
    trigger.map(arn, function, TumblingWindowInSeconds=60)
    write(ddb, source, "a", 1)
    events = wait_for(ddb, target, lambda e: any(x["isFinalInvokeForWindow"] for x in e))
    first, final = events[0], events[-1]
    assert (first["isFinalInvokeForWindow"], first["isWindowTerminatedEarly"]) == (False, False)
    assert (final["isFinalInvokeForWindow"], final["isWindowTerminatedEarly"]) == (True, True)
    assert final["Records"] == []
    assert final["state"]["size"] > 1024 * 1024
    assert final["window"] == first["window"]


def test_update_tumbling_window(ddb: Any, lam: Any, trigger: Trigger) -> None:
    source, arn, target, function = windowed(trigger)
    mapping = trigger.map(arn, function)
    write(ddb, source, "plain", 1)
    [plain] = wait_for(ddb, target, lambda e: len(e) >= 1)
    assert list(plain) == ["Records"]
    out = lam.update_event_source_mapping(UUID=mapping["UUID"], TumblingWindowInSeconds=1)
    assert out["TumblingWindowInSeconds"] == 1
    assert lam.get_event_source_mapping(UUID=mapping["UUID"])["TumblingWindowInSeconds"] == 1
    write(ddb, source, "windowed", 2)
    events = wait_for(ddb, target, lambda e: closed(e[1:], 1))
    assert all(list(e) == EVENT_MEMBERS for e in events[1:])
    assert delivered_keys(events) == ["plain", "windowed"]
    lam.update_event_source_mapping(UUID=mapping["UUID"], TumblingWindowInSeconds=0)
    assert lam.get_event_source_mapping(UUID=mapping["UUID"])["TumblingWindowInSeconds"] == 0
    write(ddb, source, "plain-again", 3)
    events = wait_for(ddb, target, lambda e: "plain-again" in delivered_keys(e))
    assert list(events[-1]) == ["Records"]


@pytest.mark.parametrize(
    ("value", "constraint"),
    [
        (901, "Member must have value less than or equal to 900"),
        (-1, "Member must have value greater than or equal to 0"),
    ],
)
def test_tumbling_window_out_of_range(
    lam: Any, trigger: Trigger, value: int, constraint: str
) -> None:
    _source, arn, _target, function = trigger.build()
    expected = (
        f"1 validation error detected: Value '{value}' at 'tumblingWindowInSeconds' failed to "
        f"satisfy constraint: {constraint}"
    )
    with pytest.raises(lam.exceptions.ClientError) as excinfo:
        trigger.map(arn, function, TumblingWindowInSeconds=value)
    error = excinfo.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("ValidationException", expected)
    mapping = trigger.map(arn, function)
    with pytest.raises(lam.exceptions.ClientError) as excinfo:
        lam.update_event_source_mapping(UUID=mapping["UUID"], TumblingWindowInSeconds=value)
    error = excinfo.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("ValidationException", expected)


def test_shard_end_closes_the_window() -> None:
    """ "When the shard ends, Lambda considers the window closed, and the child shards start
    their own window in a fresh state"."""
    server = GureumProcess(None, ["--shard-lifetime", "1"])
    server.start()
    try:
        ddb, lam = server.client("dynamodb"), server.client("lambda")
        source, target, arn = stream_tables(ddb)
        function = target_function(lam, AGGREGATOR, target)
        lam.create_event_source_mapping(
            EventSourceArn=arn,
            FunctionName=function,
            StartingPosition="TRIM_HORIZON",
            TumblingWindowInSeconds=900,
        )
        write(ddb, source, "a", 1)
        deadline = time.monotonic() + 10
        while (
            len(
                server.client("dynamodbstreams").describe_stream(StreamArn=arn)[
                    "StreamDescription"
                ]["Shards"]
            )
            < 2
        ):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        write(ddb, source, "b", 2)
        events = wait_for(
            ddb, target, lambda e: "b" in delivered_keys(e) and e[0]["shardId"] != e[-1]["shardId"]
        )
        first_shard = [e for e in events if e["shardId"] == events[0]["shardId"]]
        assert first_shard[-1]["isFinalInvokeForWindow"] is True
        child = [e for e in events if e["shardId"] != events[0]["shardId"]]
        assert child[0]["state"] == {}
        assert delivered_keys(child) == ["b"]
    finally:
        server.stop()


def test_restart_keeps_the_window_state(tmp_path: Path) -> None:
    server = GureumProcess(tmp_path / "data")
    server.start()
    try:
        ddb, lam = server.client("dynamodb"), server.client("lambda")
        source, target, arn = stream_tables(ddb)
        function = target_function(lam, AGGREGATOR, target)
        lam.create_event_source_mapping(
            EventSourceArn=arn,
            FunctionName=function,
            StartingPosition="TRIM_HORIZON",
            TumblingWindowInSeconds=900,
        )
        write(ddb, source, "a", 4)
        wait_for(ddb, target, lambda e: len(e) >= 1)
        time.sleep(0.3)  # the checkpoint and the state are saved after the invocation
        server.stop()
        server.start()
        ddb = server.client("dynamodb")
        write(ddb, source, "b", 5)
        events = wait_for(ddb, target, lambda e: "b" in delivered_keys(e))
        assert delivered_keys(events) == ["a", "b"]
        same_window = events[-1]["window"] == events[0]["window"]  # unless b crossed a boundary
        assert events[-1]["state"] == ({"sum": 4} if same_window else {})
    finally:
        server.stop()


# --- MaximumRecordAgeInSeconds before delivery


def test_records_too_old_are_not_sent(tmp_path: Path) -> None:
    data = tmp_path / "data"
    # a server whose wall clock runs two minutes behind: the records it writes are two
    # minutes old when a server on the real clock reads them from the same data
    past = GureumProcess(data, clock_offset=-120)
    past.start()
    try:
        ddb = past.client("dynamodb")
        source, target, arn = stream_tables(ddb)
        for key in ("old1", "old2"):
            put(ddb, source, key)
    finally:
        past.stop()
    server = GureumProcess(data)
    server.start()
    try:
        ddb, lam = server.client("dynamodb"), server.client("lambda")
        failures = unique_name("failures")
        create_table(ddb, "id:S", TableName=failures)
        function = target_function(lam, RECORDER, target)
        destination = lam.get_function(FunctionName=target_function(lam, RECORDER, failures))[
            "Configuration"
        ]["FunctionArn"]
        mapping = lam.create_event_source_mapping(
            EventSourceArn=arn,
            FunctionName=function,
            StartingPosition="TRIM_HORIZON",
            MaximumRecordAgeInSeconds=60,
            DestinationConfig={"OnFailure": {"Destination": destination}},
        )
        put(ddb, source, "fresh")
        events = wait_for(ddb, target, lambda e: "fresh" in delivered_keys(e))
        [record] = wait_for(ddb, failures, lambda e: len(e) >= 1)
        time.sleep(0.2)
        assert delivered_keys(invocations(ddb, target)) == delivered_keys(events) == ["fresh"]
        context = record["requestContext"]
        assert context["condition"] == "RecordAgeExceeded"
        assert context["functionArn"] == mapping["FunctionArn"]
        assert context["approximateInvokeCount"] == 0
        assert "functionError" not in record["responseContext"]
        info = record["DDBStreamBatchInfo"]
        assert info["batchSize"] == 2
        assert info["streamArn"] == arn
        assert info["shardId"].startswith("shardId-")
        arrival = epoch(info["approximateArrivalOfFirstRecord"])
        assert 100 < time.time() - arrival < 180
        assert int(info["startSequenceNumber"]) < int(info["endSequenceNumber"])
        fresh = events[0]["Records"][0]["dynamodb"]["SequenceNumber"]
        assert int(info["endSequenceNumber"]) < int(fresh)
    finally:
        server.stop()
