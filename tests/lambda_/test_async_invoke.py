"""Asynchronous invocation: event invoke configs (Put/Update/Get/Delete/List), retries of
failed Event invocations, the maximum event age, and OnSuccess / OnFailure destinations.

A server of this module's own waits 0.3 s (not a minute) before the first retry. Attempts and
destination records are observed through a DynamoDB table the functions write to."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from conftest import GureumProcess, create_table, error_of, unique_name
from lambda_.conftest import create_function, make_zip

pytestmark = pytest.mark.aws_documented

RETRY_DELAY = 0.3
# each attempt records itself (with its request id and time), then fails if the event says so
ATTEMPT_SOURCE = """\
import os, time, uuid
import boto3
def handler(event, context):
    boto3.client('dynamodb').put_item(TableName=os.environ['TABLE'], Item={
        'id': {'S': event['id']}, 'n': {'S': uuid.uuid4().hex},
        'rid': {'S': context.aws_request_id}, 't': {'N': repr(time.time())}})
    if event.get('fail'):
        raise ValueError('attempt failed')
    return {'echo': event['id']}
"""
# a destination: keeps the invocation record it receives, as JSON text
RECORDER_SOURCE = """\
import json, os, uuid
import boto3
def handler(event, context):
    key = 'record-' + event['requestPayload']['id']
    boto3.client('dynamodb').put_item(TableName=os.environ['TABLE'], Item={
        'id': {'S': key}, 'n': {'S': uuid.uuid4().hex}, 'body': {'S': json.dumps(event)}})
"""

Factory = Callable[..., str]


def _start(extra: list[str], data_dir: Path | None = None) -> GureumProcess:
    server = GureumProcess(data_dir, extra)
    server.start()
    return server


@pytest.fixture(scope="module")
def server() -> Iterator[GureumProcess]:
    process = _start(["--async-retry-delay", str(RETRY_DELAY)])
    yield process
    process.stop()


@pytest.fixture(scope="module")
def alam(server: GureumProcess) -> Any:
    return server.client("lambda")


@pytest.fixture(scope="module")
def table(server: GureumProcess) -> str:
    return _make_table(server.client("dynamodb"))


def _make_table(ddb: Any) -> str:
    return create_table(ddb, "id:S", "n:S", TableName=unique_name("attempts"))


def _function(lam: Any, source: str, table: str = "", **params: Any) -> str:
    name = unique_name("async")
    create_function(
        lam,
        FunctionName=name,
        Code={"ZipFile": make_zip(source)},
        Timeout=30,
        Environment={"Variables": {"TABLE": table}},
        **params,
    )
    return name


@pytest.fixture
def function(alam: Any) -> Factory:
    """A function echoing its event (its configs are what these tests look at)."""
    return lambda: _function(alam, "def handler(event, context):\n    return event\n")


def _destination(lam: Any, name: str, table: str, condition: str, **config: Any) -> str:
    """A recorder function (writing what it gets into ``table``) as ``name``'s OnSuccess or
    OnFailure destination, with the other event invoke settings given; returns its name."""
    recorder = _function(lam, RECORDER_SOURCE, table)
    lam.put_function_event_invoke_config(
        FunctionName=name,
        DestinationConfig={condition: {"Destination": _arn(lam, recorder)}},
        **config,
    )
    return recorder


def _items(ddb: Any, table: str, key: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = ddb.query(
        TableName=table,
        KeyConditionExpression="id = :id",
        ExpressionAttributeValues={":id": {"S": key}},
        ConsistentRead=True,
    )["Items"]
    return found


def _record(ddb: Any, table: str, event_id: str, timeout: float = 30.0) -> dict[str, Any]:
    """The invocation record the recorder destination received for the event ``event_id``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = _items(ddb, table, f"record-{event_id}")
        if items:
            assert len(items) == 1
            record: dict[str, Any] = json.loads(items[0]["body"]["S"])
            return record
        time.sleep(0.1)
    raise AssertionError(f"no invocation record for {event_id}")


def _invoke_event(lam: Any, name: str, event: dict[str, Any]) -> str:
    response = lam.invoke(FunctionName=name, InvocationType="Event", Payload=json.dumps(event))
    assert response["StatusCode"] == 202
    assert response["Payload"].read() == b""
    request_id: str = response["ResponseMetadata"]["RequestId"]
    return request_id


# --- the configuration operations


def _arn(lam: Any, name: str) -> str:
    arn: str = lam.get_function_configuration(FunctionName=name)["FunctionArn"]
    return arn


def _strip(response: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    assert isinstance(out.pop("LastModified"), datetime)
    return out


def test_put_and_get_shapes(alam: Any, function: Factory) -> None:
    name = function()
    arn = _arn(alam, name)
    put = alam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    expected = {
        "FunctionArn": f"{arn}:$LATEST",
        "MaximumRetryAttempts": 0,
        "DestinationConfig": {"OnSuccess": {}, "OnFailure": {}},
    }
    assert _strip(put) == expected  # settings left out are not answered with defaults
    got = alam.get_function_event_invoke_config(FunctionName=name)
    assert _strip(got) == expected
    assert got["LastModified"] == put["LastModified"]
    # $LATEST named by Qualifier, by a qualified name and by a qualified ARN: the same config
    for params in (
        {"FunctionName": name, "Qualifier": "$LATEST"},
        {"FunctionName": f"{name}:$LATEST"},
        {"FunctionName": f"{arn}:$LATEST", "Qualifier": "$LATEST"},
        {"FunctionName": arn},
    ):
        assert _strip(alam.get_function_event_invoke_config(**params)) == expected
    both = alam.put_function_event_invoke_config(
        FunctionName=name, MaximumRetryAttempts=2, MaximumEventAgeInSeconds=21600
    )
    assert both["MaximumRetryAttempts"] == 2
    assert both["MaximumEventAgeInSeconds"] == 21600


def test_put_replaces_update_merges(alam: Any, function: Factory) -> None:
    name = function()
    alam.put_function_event_invoke_config(
        FunctionName=name, MaximumRetryAttempts=2, MaximumEventAgeInSeconds=60
    )
    put = alam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0)
    assert "MaximumEventAgeInSeconds" not in put
    assert "MaximumEventAgeInSeconds" not in alam.get_function_event_invoke_config(
        FunctionName=name
    )
    alam.put_function_event_invoke_config(
        FunctionName=name, MaximumRetryAttempts=2, MaximumEventAgeInSeconds=60
    )
    updated = alam.update_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0)
    assert updated["MaximumRetryAttempts"] == 0
    assert updated["MaximumEventAgeInSeconds"] == 60
    got = alam.get_function_event_invoke_config(FunctionName=name)
    assert (got["MaximumRetryAttempts"], got["MaximumEventAgeInSeconds"]) == (0, 60)


def test_config_errors(alam: Any, function: Factory) -> None:
    name = function()
    arn = _arn(alam, name)
    missing_arn = arn.replace(name, "doesnotexist")
    # no setting at all is refused before the function is looked up
    for target in (name, "doesnotexist"):
        with pytest.raises(alam.exceptions.InvalidParameterValueException) as exc:
            alam.put_function_event_invoke_config(FunctionName=target)
        assert error_of(exc) == (
            "InvalidParameterValueException",
            "You must specify at least one of error handling or destination setting.",
        )
    for target in ("doesnotexist", missing_arn):
        with pytest.raises(alam.exceptions.ResourceNotFoundException) as exc:
            alam.put_function_event_invoke_config(FunctionName=target, MaximumRetryAttempts=1)
        assert error_of(exc) == ("ResourceNotFoundException", "The function doesn't exist.")
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(alam.exceptions.ResourceNotFoundException) as exc:
        alam.update_function_event_invoke_config(
            FunctionName="doesnotexist", MaximumRetryAttempts=0
        )
    assert error_of(exc) == ("ResourceNotFoundException", "The function doesn't exist.")
    with pytest.raises(alam.exceptions.ResourceNotFoundException) as exc:
        alam.list_function_event_invoke_configs(FunctionName="doesnotexist")
    assert error_of(exc) == ("ResourceNotFoundException", "The function doesn't exist.")
    # no config (of an existing function or not)
    no_config = f"The function {arn}:$LATEST doesn't have an EventInvokeConfig"
    for call in (
        alam.get_function_event_invoke_config,
        alam.delete_function_event_invoke_config,
    ):
        with pytest.raises(alam.exceptions.ResourceNotFoundException) as exc:
            call(FunctionName=name)
        assert error_of(exc) == ("ResourceNotFoundException", no_config)
        with pytest.raises(alam.exceptions.ResourceNotFoundException) as exc:
            call(FunctionName="doesnotexist")
        assert error_of(exc) == (
            "ResourceNotFoundException",
            f"The function {missing_arn}:$LATEST doesn't have an EventInvokeConfig",
        )
    with pytest.raises(alam.exceptions.ResourceNotFoundException) as exc:
        alam.update_function_event_invoke_config(FunctionName=arn, MaximumRetryAttempts=0)
    assert error_of(exc) == ("ResourceNotFoundException", no_config)
    with pytest.raises(alam.exceptions.ResourceNotFoundException) as exc:
        alam.get_function_event_invoke_config(FunctionName=name, Qualifier="doesnotexist")
    assert error_of(exc) == (
        "ResourceNotFoundException",
        f"The function {arn}:doesnotexist doesn't have an EventInvokeConfig",
    )
    # a qualifier in the name that differs from the Qualifier parameter
    with pytest.raises(alam.exceptions.InvalidParameterValueException) as exc:
        alam.put_function_event_invoke_config(
            FunctionName=f"{name}:$LATEST", Qualifier="1", MaximumRetryAttempts=1
        )
    assert error_of(exc) == (
        "InvalidParameterValueException",
        "The derived qualifier from the function name does not match the specified qualifier.",
    )


@pytest.mark.parametrize(
    ("member", "value", "message"),
    [
        ("MaximumRetryAttempts", 3, "less than or equal to 2"),
        ("MaximumRetryAttempts", -1, "greater than or equal to 0"),
        ("MaximumEventAgeInSeconds", 59, "greater than or equal to 60"),
        ("MaximumEventAgeInSeconds", 21601, "less than or equal to 21600"),
    ],
)
def test_setting_ranges(
    alam: Any, function: Factory, member: str, value: int, message: str
) -> None:
    name = function()
    with pytest.raises(alam.exceptions.ClientError) as exc:
        alam.put_function_event_invoke_config(FunctionName=name, **{member: value})
    code, text = error_of(exc)
    assert code == "ValidationException"
    field = member[0].lower() + member[1:]
    assert text == (
        f"1 validation error detected: Value '{value}' at '{field}' failed to satisfy "
        f"constraint: Member must have value {message}"
    )


def test_destination_checks(alam: Any, function: Factory) -> None:
    name, other = function(), function()
    arn, other_arn = _arn(alam, name), _arn(alam, other)
    missing = arn.replace(name, "doesnotexist")

    def refused(config: dict[str, Any]) -> tuple[str, str]:
        with pytest.raises(alam.exceptions.ClientError) as exc:
            alam.put_function_event_invoke_config(FunctionName=name, DestinationConfig=config)
        return error_of(exc)

    assert refused({"OnSuccess": {"Destination": missing}}) == (
        "InvalidParameterValueException",
        f"The destination ARN {missing} is invalid.",
    )
    assert refused({"OnSuccess": {"Destination": arn}}) == (
        "InvalidParameterValueException",
        "You can't specify the function as a destination for itself.",
    )
    iam = arn.replace(":lambda:", ":iam:")
    assert refused({"OnSuccess": {"Destination": iam}}) == (
        "InvalidParameterValueException",
        f"The provided destination config DestinationConfig(onSuccess=OnSuccess("
        f"destination={iam}), onFailure=null) is invalid.",
    )
    code, text = refused({"OnFailure": {"Destination": arn.replace(":lambda:", ":_-/!lambda:")}})
    assert code == "ValidationException"
    assert text.startswith("1 validation error detected: Value ")
    assert "at 'destinationConfig.onFailure.destination' failed to satisfy constraint" in text
    ok = alam.put_function_event_invoke_config(
        FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": other_arn}}
    )
    assert ok["DestinationConfig"] == {"OnSuccess": {"Destination": other_arn}, "OnFailure": {}}
    empty = alam.put_function_event_invoke_config(
        FunctionName=name, DestinationConfig={"OnSuccess": {}}
    )
    assert empty["DestinationConfig"] == {"OnSuccess": {}, "OnFailure": {}}


@pytest.mark.gureum_own
def test_undeliverable_destinations_refused(alam: Any, function: Factory) -> None:
    name = function()
    for arn in (
        "arn:aws:sqs:us-east-1:000000000000:queue",
        "arn:aws:sns:us-east-1:000000000000:topic",
        "arn:aws:events:us-east-1:000000000000:event-bus/default",
        "arn:aws:s3:::bucket",
    ):
        with pytest.raises(alam.exceptions.InvalidParameterValueException) as exc:
            alam.put_function_event_invoke_config(
                FunctionName=name, DestinationConfig={"OnFailure": {"Destination": arn}}
            )
        assert arn in error_of(exc)[1]


def test_list_paging_and_delete(alam: Any, function: Factory) -> None:
    name = function()
    arn = _arn(alam, name)
    assert (
        alam.list_function_event_invoke_configs(FunctionName=name)["FunctionEventInvokeConfigs"]
        == []
    )
    alam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1)
    alam.publish_version(FunctionName=name)
    alam.put_function_event_invoke_config(
        FunctionName=name, Qualifier="1", MaximumEventAgeInSeconds=120
    )
    listed = alam.list_function_event_invoke_configs(FunctionName=name)
    assert "NextMarker" not in listed
    configs = listed["FunctionEventInvokeConfigs"]
    assert [c["FunctionArn"] for c in configs] == [f"{arn}:$LATEST", f"{arn}:1"]
    assert "MaximumEventAgeInSeconds" not in configs[0]
    assert configs[1]["MaximumEventAgeInSeconds"] == 120
    first = alam.list_function_event_invoke_configs(FunctionName=name, MaxItems=1)
    assert len(first["FunctionEventInvokeConfigs"]) == 1
    rest = alam.list_function_event_invoke_configs(
        FunctionName=name, MaxItems=1, Marker=first["NextMarker"]
    )
    assert rest["FunctionEventInvokeConfigs"] == configs[1:]
    assert "NextMarker" not in rest
    deleted = alam.delete_function_event_invoke_config(FunctionName=name, Qualifier="$LATEST")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    remaining = alam.list_function_event_invoke_configs(FunctionName=name)
    assert [c["FunctionArn"] for c in remaining["FunctionEventInvokeConfigs"]] == [f"{arn}:1"]


def test_deleting_the_function_deletes_its_configs(alam: Any) -> None:
    source = "def handler(event, context):\n    return event\n"
    name = _function(alam, source)
    alam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=1)
    alam.delete_function(FunctionName=name)
    create_function(
        alam,
        FunctionName=name,
        Code={"ZipFile": make_zip(source)},
    )
    with pytest.raises(alam.exceptions.ResourceNotFoundException):
        alam.get_function_event_invoke_config(FunctionName=name)


def test_configs_survive_a_restart(tmp_path: Path) -> None:
    process = _start([], tmp_path)
    try:
        lam = process.client("lambda")
        name = _function(lam, "def handler(event, context):\n    return event\n")
        put = lam.put_function_event_invoke_config(FunctionName=name, MaximumEventAgeInSeconds=300)
        process.stop()
        process.start()
        got = process.client("lambda").get_function_event_invoke_config(FunctionName=name)
        assert _strip(got) == _strip(put)
    finally:
        process.stop()


# --- retries and destinations


def _attempts(ddb: Any, table: str, event_id: str) -> list[dict[str, Any]]:
    return sorted(_items(ddb, table, event_id), key=lambda i: float(i["t"]["N"]))


@pytest.mark.parametrize("retries", [0, 1, 2])
def test_failed_event_is_retried(
    server: GureumProcess, alam: Any, table: str, retries: int
) -> None:
    ddb, logs = server.client("dynamodb"), server.client("logs")
    name = _function(alam, ATTEMPT_SOURCE, table)
    recorder = _function(alam, RECORDER_SOURCE, table)
    alam.put_function_event_invoke_config(
        FunctionName=name,
        MaximumRetryAttempts=retries,
        DestinationConfig={"OnFailure": {"Destination": _arn(alam, recorder)}},
    )
    event_id = unique_name("ev")
    request_id = _invoke_event(alam, name, {"id": event_id, "fail": True})
    record = _record(ddb, table, event_id)
    attempts = _attempts(ddb, table, event_id)
    assert len(attempts) == retries + 1
    assert {a["rid"]["S"] for a in attempts} == {request_id}  # every attempt: the same id
    times = [float(a["t"]["N"]) for a in attempts]
    for i, (earlier, later) in enumerate(pairwise(times)):
        assert later - earlier >= RETRY_DELAY * 2**i  # 1, then 2 "minutes"
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == retries + 1
    # each attempt is an invocation with its own log
    events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
    starts = [e for e in events if e["message"].startswith(f"START RequestId: {request_id}")]
    assert len(starts) == retries + 1


def test_default_is_two_retries(server: GureumProcess, alam: Any, table: str) -> None:
    ddb = server.client("dynamodb")
    name = _function(alam, ATTEMPT_SOURCE, table)
    event_id = unique_name("ev")
    _invoke_event(alam, name, {"id": event_id, "fail": True})
    deadline = time.monotonic() + 30
    while len(_attempts(ddb, table, event_id)) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(RETRY_DELAY * 4 + 1)  # no fourth attempt comes
    assert len(_attempts(ddb, table, event_id)) == 3


def test_on_success_record(server: GureumProcess, alam: Any, table: str) -> None:
    ddb = server.client("dynamodb")
    name = _function(alam, ATTEMPT_SOURCE, table)
    recorder = _function(alam, RECORDER_SOURCE, table)
    alam.put_function_event_invoke_config(
        FunctionName=name,
        DestinationConfig={
            "OnSuccess": {"Destination": _arn(alam, recorder)},
            "OnFailure": {"Destination": _arn(alam, recorder)},
        },
    )
    event_id = unique_name("ev")
    event = {"id": event_id, "nested": {"a": [1, 2.5, None]}}
    request_id = _invoke_event(alam, name, event)
    record = _record(ddb, table, event_id)
    assert list(record) == [
        "version",
        "timestamp",
        "requestContext",
        "requestPayload",
        "responseContext",
        "responsePayload",
    ]
    assert record["version"] == "1.0"
    assert len(record["timestamp"]) == len("2019-11-14T18:16:05.568Z")
    stamp = datetime.strptime(record["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert abs(stamp.timestamp() - time.time()) < 60
    assert record["requestContext"] == {
        "requestId": request_id,
        "functionArn": f"{_arn(alam, name)}:$LATEST",
        "condition": "Success",
        "approximateInvokeCount": 1,
    }
    assert list(record["requestContext"]) == [
        "requestId",
        "functionArn",
        "condition",
        "approximateInvokeCount",
    ]
    assert record["requestPayload"] == event
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST"}
    assert record["responsePayload"] == {"echo": event_id}
    assert len(_attempts(ddb, table, event_id)) == 1


def test_on_failure_record(server: GureumProcess, alam: Any, table: str) -> None:
    ddb = server.client("dynamodb")
    name = _function(alam, ATTEMPT_SOURCE, table)
    _destination(alam, name, table, "OnFailure", MaximumRetryAttempts=1)
    event_id = unique_name("ev")
    request_id = _invoke_event(alam, name, {"id": event_id, "fail": True})
    record = _record(ddb, table, event_id)
    assert record["requestContext"] == {
        "requestId": request_id,
        "functionArn": f"{_arn(alam, name)}:$LATEST",
        "condition": "RetriesExhausted",
        "approximateInvokeCount": 2,
    }
    assert record["requestPayload"] == {"id": event_id, "fail": True}
    assert list(record["responseContext"]) == ["statusCode", "executedVersion", "functionError"]
    assert record["responseContext"] == {
        "statusCode": 200,
        "executedVersion": "$LATEST",
        "functionError": "Unhandled",
    }
    payload = record["responsePayload"]
    assert list(payload) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert (payload["errorMessage"], payload["errorType"]) == ("attempt failed", "ValueError")
    assert payload["requestId"] == request_id


def test_success_without_on_success_destination_sends_nothing(
    server: GureumProcess, alam: Any, table: str
) -> None:
    ddb = server.client("dynamodb")
    name = _function(alam, ATTEMPT_SOURCE, table)
    _destination(alam, name, table, "OnFailure")
    event_id = unique_name("ev")
    _invoke_event(alam, name, {"id": event_id})
    deadline = time.monotonic() + 30
    while not _attempts(ddb, table, event_id) and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1.0)
    assert len(_attempts(ddb, table, event_id)) == 1
    assert _items(ddb, table, f"record-{event_id}") == []


def test_zero_reserved_concurrency(server: GureumProcess, alam: Any, table: str) -> None:
    ddb = server.client("dynamodb")
    name = _function(alam, ATTEMPT_SOURCE, table)
    _destination(alam, name, table, "OnFailure")
    alam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    event_id = unique_name("ev")
    request_id = _invoke_event(alam, name, {"id": event_id})
    record = _record(ddb, table, event_id)
    assert list(record) == ["version", "timestamp", "requestContext", "requestPayload"]
    assert record["requestContext"] == {
        "requestId": request_id,
        "functionArn": f"{_arn(alam, name)}:$LATEST",
        "condition": "ZeroReservedConcurrency",
        "approximateInvokeCount": 0,
    }
    assert record["requestPayload"] == {"id": event_id}
    assert _attempts(ddb, table, event_id) == []


def test_event_age_exceeded() -> None:
    """With a first retry due after the maximum age, Lambda gives up at once."""
    process = _start(["--async-retry-delay", "61"])
    try:
        lam, ddb = process.client("lambda"), process.client("dynamodb")
        table = _make_table(ddb)
        name = _function(lam, ATTEMPT_SOURCE, table)
        _destination(
            lam, name, table, "OnFailure", MaximumRetryAttempts=2, MaximumEventAgeInSeconds=60
        )
        event_id = unique_name("ev")
        request_id = _invoke_event(lam, name, {"id": event_id, "fail": True})
        record = _record(ddb, table, event_id)
        assert record["requestContext"] == {
            "requestId": request_id,
            "functionArn": f"{_arn(lam, name)}:$LATEST",
            "condition": "EventAgeExceeded",
            "approximateInvokeCount": 1,
        }
        assert record["responseContext"]["functionError"] == "Unhandled"
        assert record["responsePayload"]["errorMessage"] == "attempt failed"
        assert len(_attempts(ddb, table, event_id)) == 1
    finally:
        process.stop()


@pytest.mark.gureum_own
def test_stopping_does_not_wait_for_retries() -> None:
    process = _start(["--async-retry-delay", "600"])
    try:
        lam, ddb = process.client("lambda"), process.client("dynamodb")
        table = _make_table(ddb)
        name = _function(lam, ATTEMPT_SOURCE, table)
        event_id = unique_name("ev")
        _invoke_event(lam, name, {"id": event_id, "fail": True})
        deadline = time.monotonic() + 30
        while not _attempts(ddb, table, event_id) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # the failure is in; a retry waits
        started = time.monotonic()
        process.stop()
        assert time.monotonic() - started < 5
    finally:
        process.stop()


def test_alias_config_applies_to_invocations_through_the_alias(
    server: GureumProcess, alam: Any, table: str
) -> None:
    ddb = server.client("dynamodb")
    name = _function(alam, ATTEMPT_SOURCE, table)
    recorder = _function(alam, RECORDER_SOURCE, table)
    arn = _arn(alam, name)
    alam.publish_version(FunctionName=name)
    alam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    with pytest.raises(alam.exceptions.ResourceNotFoundException) as exc:
        alam.put_function_event_invoke_config(
            FunctionName=name, Qualifier="9", MaximumRetryAttempts=0
        )
    assert error_of(exc) == ("ResourceNotFoundException", "The function doesn't exist.")
    put = alam.put_function_event_invoke_config(
        FunctionName=f"{name}:live",
        MaximumRetryAttempts=0,
        DestinationConfig={"OnFailure": {"Destination": _arn(alam, recorder)}},
    )
    assert put["FunctionArn"] == f"{arn}:live"
    event_id = unique_name("ev")
    request_id = _invoke_event(alam, f"{name}:live", {"id": event_id, "fail": True})
    record = _record(ddb, table, event_id)
    assert record["requestContext"] == {
        "requestId": request_id,
        "functionArn": f"{arn}:1",
        "condition": "RetriesExhausted",
        "approximateInvokeCount": 1,
    }
    assert record["responseContext"]["executedVersion"] == "1"
    assert len(_attempts(ddb, table, event_id)) == 1


def test_throttled_events_wait_for_a_slot(server: GureumProcess, alam: Any, table: str) -> None:
    ddb = server.client("dynamodb")
    source = ATTEMPT_SOURCE.replace("    if event.get", "    time.sleep(0.5)\n    if event.get")
    name = _function(alam, source, table)
    alam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
    event_ids = [unique_name("ev") for _ in range(3)]
    for event_id in event_ids:
        _invoke_event(alam, name, {"id": event_id})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if all(_attempts(ddb, table, e) for e in event_ids):
            break
        time.sleep(0.1)
    times = sorted(float(_attempts(ddb, table, e)[0]["t"]["N"]) for e in event_ids)
    assert [len(_attempts(ddb, table, e)) for e in event_ids] == [1, 1, 1]
    # one at a time: each started after the one before had run its half second
    assert all(later - earlier >= 0.45 for earlier, later in pairwise(times))


def test_timeouts_are_retried(server: GureumProcess, alam: Any, table: str) -> None:
    ddb = server.client("dynamodb")
    source = ATTEMPT_SOURCE.replace("    if event.get", "    time.sleep(5)\n    if event.get")
    name = _function(alam, source, table)
    alam.update_function_configuration(FunctionName=name, Timeout=1)
    _destination(alam, name, table, "OnFailure", MaximumRetryAttempts=1)
    event_id = unique_name("ev")
    _invoke_event(alam, name, {"id": event_id})
    record = _record(ddb, table, event_id)
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 2
    assert record["responseContext"]["functionError"] == "Unhandled"
    assert record["responsePayload"]["errorMessage"].endswith("Task timed out after 1.00 seconds")
    assert len(_attempts(ddb, table, event_id)) == 2


def test_deleting_an_alias_deletes_its_config(lam: Any, make_function: Any) -> None:
    """An alias's event invoke config goes with the alias: one re-created under the same name
    starts without it."""
    created = make_function(Publish=True)
    name, arn = created["FunctionName"], created["FunctionArn"]
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    lam.put_function_event_invoke_config(
        FunctionName=name, Qualifier="live", MaximumRetryAttempts=0
    )
    lam.delete_alias(FunctionName=name, Name="live")
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.get_function_event_invoke_config(FunctionName=name, Qualifier="live")
    assert error_of(exc) == (
        "ResourceNotFoundException",
        f"The function {arn}:live doesn't have an EventInvokeConfig",
    )


# --- a durable queue: events outlive a restart or a crash

# records each attempt, then fails until the event has had ``failures`` attempts before
FAIL_FIRST_SOURCE = """\
import os, time, uuid
import boto3
def handler(event, context):
    ddb = boto3.client('dynamodb')
    ddb.put_item(TableName=os.environ['TABLE'], Item={
        'id': {'S': event['id']}, 'n': {'S': uuid.uuid4().hex},
        'rid': {'S': context.aws_request_id}, 't': {'N': repr(time.time())}})
    found = ddb.query(TableName=os.environ['TABLE'], KeyConditionExpression='id = :id',
        ExpressionAttributeValues={':id': {'S': event['id']}}, ConsistentRead=True)
    if found['Count'] <= event.get('failures', 0):
        raise ValueError('attempt failed')
    return {'echo': event['id']}
"""


def _wait_for_reports(logs: Any, name: str, count: int, timeout: float = 30.0) -> None:
    """Wait until ``count`` invocations of ``name`` have ended (their REPORT lines are
    written just before the queue stores what the attempt changed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            events = logs.filter_log_events(
                logGroupName=f"/aws/lambda/{name}", filterPattern='"REPORT RequestId"'
            )["events"]
        except logs.exceptions.ResourceNotFoundException:
            events = []
        if len(events) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"{name} did not end {count} invocations")


def test_pending_retry_survives_a_restart(tmp_path: Path) -> None:
    """A retry due when the server stops runs after the next start, when the rest of its
    delay is over, and counts as the event's second attempt."""
    delay = 3.0
    process = _start(["--async-retry-delay", str(delay)], tmp_path)
    try:
        lam, ddb = process.client("lambda"), process.client("dynamodb")
        table = _make_table(ddb)
        name = _function(lam, FAIL_FIRST_SOURCE, table)
        _destination(lam, name, table, "OnSuccess")
        event_id = unique_name("ev")
        request_id = _invoke_event(lam, name, {"id": event_id, "failures": 1})
        _wait_for_reports(process.client("logs"), name, 1)
        time.sleep(1.5)  # part of the delay passes before the stop
        process.stop()
        process.start()
        ddb = process.client("dynamodb")
        record = _record(ddb, table, event_id)
        assert record["requestContext"] == {
            "requestId": request_id,
            "functionArn": f"{_arn(process.client('lambda'), name)}:$LATEST",
            "condition": "Success",
            "approximateInvokeCount": 2,
        }
        first, second = (float(a["t"]["N"]) for a in _attempts(ddb, table, event_id))
        # the retry waited its delay, counted from the failure, not again from the start
        assert delay <= second - first < delay + 1.5
        assert {a["rid"]["S"] for a in _attempts(ddb, table, event_id)} == {request_id}
    finally:
        process.stop()


def test_acknowledged_events_survive_a_crash(tmp_path: Path) -> None:
    """Events queued behind a function's reserved concurrency when the process is killed run
    after the restart (at least once)."""
    process = _start([], tmp_path)
    try:
        lam, ddb = process.client("lambda"), process.client("dynamodb")
        table = _make_table(ddb)
        source = ATTEMPT_SOURCE.replace("    if event.get", "    time.sleep(0.3)\n    if event.get")
        name = _function(lam, source, table)
        lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
        events = {unique_name("ev"): "" for _ in range(4)}
        for event_id in events:
            events[event_id] = _invoke_event(lam, name, {"id": event_id})
        process.kill()
        process.start()
        ddb = process.client("dynamodb")
        deadline = time.monotonic() + 30
        while not all(_attempts(ddb, table, e) for e in events) and time.monotonic() < deadline:
            time.sleep(0.1)
        for event_id, request_id in events.items():
            attempts = _attempts(ddb, table, event_id)
            assert attempts, f"event {event_id} was lost"
            assert {a["rid"]["S"] for a in attempts} == {request_id}
    finally:
        process.stop()


def test_finished_events_do_not_run_again(tmp_path: Path) -> None:
    """Neither a finished event nor the destination record it sent is left to run again."""
    process = _start([], tmp_path)
    try:
        lam, ddb = process.client("lambda"), process.client("dynamodb")
        table = _make_table(ddb)
        name = _function(lam, ATTEMPT_SOURCE, table)
        recorder = _destination(lam, name, table, "OnSuccess")
        for function in (name, recorder):  # see below
            lam.put_function_concurrency(FunctionName=function, ReservedConcurrentExecutions=1)
        event_ids = [unique_name("ev") for _ in range(2)]
        for event_id in event_ids:
            _invoke_event(lam, name, {"id": event_id})
        _wait_for_reports(process.client("logs"), recorder, len(event_ids))
        process.stop()
        process.start()
        lam, ddb = process.client("lambda"), process.client("dynamodb")
        # an event resumed at the start would take the one slot before a new event could
        later = unique_name("ev")
        _invoke_event(lam, name, {"id": later})
        _record(ddb, table, later)
        for event_id in event_ids:
            assert len(_attempts(ddb, table, event_id)) == 1
            assert len(_items(ddb, table, f"record-{event_id}")) == 1
    finally:
        process.stop()


def test_deleting_the_function_drops_its_queued_events(tmp_path: Path) -> None:
    """A retry waiting when its function is deleted never runs, not even on a function
    created again under the name, nor after a restart."""
    delay = 0.5
    process = _start(["--async-retry-delay", str(delay)], tmp_path)
    try:
        lam, ddb = process.client("lambda"), process.client("dynamodb")
        table = _make_table(ddb)
        name = _function(lam, ATTEMPT_SOURCE, table)
        event_id = unique_name("ev")
        _invoke_event(lam, name, {"id": event_id, "fail": True})
        _wait_for_reports(process.client("logs"), name, 1)
        failed = time.monotonic()
        lam.delete_function(FunctionName=name)
        create_function(
            lam,
            FunctionName=name,
            Code={"ZipFile": make_zip(ATTEMPT_SOURCE)},
            Environment={"Variables": {"TABLE": table}},
        )
        # an event resumed at the start would take the one slot before a new event could
        lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
        time.sleep(max(0.0, failed + delay - time.monotonic()))  # the retry falls due
        process.stop()
        process.start()
        lam, ddb = process.client("lambda"), process.client("dynamodb")
        later = unique_name("ev")
        _invoke_event(lam, name, {"id": later})
        deadline = time.monotonic() + 30
        while not _attempts(ddb, table, later) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _attempts(ddb, table, later)
        assert len(_attempts(ddb, table, event_id)) == 1
    finally:
        process.stop()
