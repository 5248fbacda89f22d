"""Every invocation writes its log to CloudWatch Logs, in the group /aws/lambda/<function>
and the log stream of the execution environment that ran it."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from conftest import client_kwargs
from lambda_.conftest import FunctionFactory, make_zip

SOURCE = (
    "def handler(event, context):\n"
    "    print('hello from', event['who'])\n"
    "    return context.log_stream_name\n"
)


@pytest.fixture
def logs(endpoint: str) -> Any:
    return boto3.client("logs", **client_kwargs(endpoint))


@pytest.mark.aws_documented
def test_invocation_logs_reach_cloudwatch_logs(
    lam: Any, logs: Any, make_function: FunctionFactory
) -> None:
    # Developer guide, "Working with Lambda function logs": Lambda sends the function's output
    # and the START, END and REPORT lines to the log group /aws/lambda/<function name>, in a
    # log stream per execution environment.
    name = make_function(Code={"ZipFile": make_zip(SOURCE)})["FunctionName"]
    request_ids = []
    for who in ("a", "b"):
        response = lam.invoke(FunctionName=name, Payload=json.dumps({"who": who}).encode())
        stream = json.loads(response["Payload"].read())
        request_ids.append(response["ResponseMetadata"]["RequestId"])
    group = f"/aws/lambda/{name}"
    streams = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert [s["logStreamName"] for s in streams] == [stream]  # one warm environment
    events = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True)
    messages = [e["message"] for e in events["events"]]
    first, second = request_ids
    assert messages[:3] == [
        f"START RequestId: {first} Version: $LATEST",
        "hello from a",
        f"END RequestId: {first}",
    ]
    assert messages[3].startswith(f"REPORT RequestId: {first}\tDuration: ")
    assert "Init Duration: " in messages[3]  # the cold start
    assert messages[4:7] == [
        f"START RequestId: {second} Version: $LATEST",
        "hello from b",
        f"END RequestId: {second}",
    ]
    assert "Init Duration: " not in messages[7]
    found = logs.filter_log_events(logGroupName=group, filterPattern='"hello from"')
    assert [e["message"] for e in found["events"]] == ["hello from a", "hello from b"]
