"""LoggingConfig: the log format (Text or JSON), the application and system log levels of the
JSON format, and a custom log group."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import time
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import client_kwargs, unique_name
from lambda_.conftest import FunctionFactory, make_zip

SOURCE = (
    "import logging\n"
    "logger = logging.getLogger()\n"
    "def handler(event, context):\n"
    "    print('plain print')\n"
    "    logger.debug('a debug line')\n"
    "    logger.info('an info line')\n"
    "    logger.warning('a warning line')\n"
    "    if event.get('fail'):\n"
    "        try:\n"
    "            raise ValueError('broken')\n"
    "        except ValueError:\n"
    "            logger.exception('caught it')\n"
    "    return context.log_group_name\n"
)
TEXT = {"LogFormat": "Text"}


@pytest.fixture
def logs(endpoint: str) -> Any:
    return boto3.client("logs", **client_kwargs(endpoint))


def _messages(logs: Any, group: str, count: int) -> list[str]:
    """The group's messages, oldest first, once there are at least ``count``."""
    deadline = time.monotonic() + 10
    while True:
        events = logs.filter_log_events(logGroupName=group)["events"]
        if len(events) >= count or time.monotonic() > deadline:
            return [e["message"] for e in events]
        time.sleep(0.05)


def _json_function(make_function: FunctionFactory, **config: str) -> str:
    logging_config = {"LogFormat": "JSON", **config}
    response = make_function(Code={"ZipFile": make_zip(SOURCE)}, LoggingConfig=logging_config)
    return str(response["FunctionName"])


@pytest.mark.aws_documented
def test_default_is_text_in_the_function_group(make_function: FunctionFactory) -> None:
    response = make_function()
    name = response["FunctionName"]
    assert response["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}


@pytest.mark.aws_documented
def test_json_defaults_both_levels_to_info(lam: Any, make_function: FunctionFactory) -> None:
    # As LocalStack's tests recorded on AWS: JSON without levels shows INFO for both
    name = make_function(LoggingConfig={"LogFormat": "JSON"})["FunctionName"]
    config = lam.get_function_configuration(FunctionName=name)["LoggingConfig"]
    assert config == {
        "LogFormat": "JSON",
        "ApplicationLogLevel": "INFO",
        "SystemLogLevel": "INFO",
        "LogGroup": f"/aws/lambda/{name}",
    }


@pytest.mark.aws_documented
def test_partial_updates_keep_the_other_members(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    update = lam.update_function_configuration
    config = update(FunctionName=name, LoggingConfig={"LogGroup": "cool_lambda"})
    assert config["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": "cool_lambda"}
    config = update(
        FunctionName=name, LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "DEBUG"}
    )
    assert config["LoggingConfig"] == {
        "LogFormat": "JSON",
        "ApplicationLogLevel": "DEBUG",
        "SystemLogLevel": "INFO",
        "LogGroup": "cool_lambda",
    }
    config = update(FunctionName=name, LoggingConfig={"SystemLogLevel": "WARN"})
    assert config["LoggingConfig"]["ApplicationLogLevel"] == "DEBUG"
    assert config["LoggingConfig"]["SystemLogLevel"] == "WARN"
    # back to Text: the levels are gone
    config = update(FunctionName=name, LoggingConfig=TEXT)
    assert config["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": "cool_lambda"}
    shown = lam.get_function_configuration(FunctionName=name)["LoggingConfig"]
    assert shown == config["LoggingConfig"]


@pytest.mark.gureum_own
@pytest.mark.parametrize(
    "config",
    [
        {"LogFormat": "Text", "ApplicationLogLevel": "DEBUG"},
        {"LogFormat": "Text", "SystemLogLevel": "WARN"},
        {"ApplicationLogLevel": "ERROR"},  # the format stays Text
    ],
)
def test_levels_need_the_json_format(
    lam: Any, make_function: FunctionFactory, config: dict[str, str]
) -> None:
    # the text is LocalStack's (not confirmed against AWS)
    expected = (
        'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your '
        'request or change the LogFormat to "JSON" and try again.'
    )
    with pytest.raises(ClientError) as create_error:
        make_function(LoggingConfig=config)
    error = create_error.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("InvalidParameterValueException", expected)
    name = make_function()["FunctionName"]
    with pytest.raises(ClientError) as update_error:
        lam.update_function_configuration(FunctionName=name, LoggingConfig=config)
    assert update_error.value.response["Error"]["Message"] == expected
    shown = lam.get_function_configuration(FunctionName=name)["LoggingConfig"]
    assert shown == {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}


@pytest.mark.aws_documented
def test_json_platform_records_and_logging(
    lam: Any, logs: Any, make_function: FunctionFactory
) -> None:
    # Developer guide, "Configuring JSON and plain text log formats": with JSON, the platform
    # records are JSON objects (time, type, record), the logging module's lines too (the
    # Python runtime's keys), at the ApplicationLogLevel; print() output stays as it is.
    name = _json_function(make_function)
    first = lam.invoke(FunctionName=name, Payload=b"{}")
    second = lam.invoke(FunctionName=name, Payload=b'{"fail": true}')
    group = f"/aws/lambda/{name}"
    assert json.loads(first["Payload"].read()) == group
    rids = [r["ResponseMetadata"]["RequestId"] for r in (first, second)]
    messages = _messages(logs, group, 15)
    docs = [json.loads(m) if m.startswith("{") else m for m in messages]
    kinds = [d.get("type") or d.get("level") if isinstance(d, dict) else d for d in docs]
    assert kinds == [
        "platform.initStart",
        "platform.start",
        "plain print",
        "INFO",
        "WARNING",
        "platform.report",
        "platform.start",
        "plain print",
        "INFO",
        "WARNING",
        "ERROR",
        "platform.report",
    ]
    init, start, _, info, warning, report = docs[:6]
    assert list(init) == ["time", "type", "record"]
    assert init["record"] == {
        "initializationType": "on-demand",
        "phase": "init",
        "functionName": name,
        "functionVersion": "$LATEST",
    }
    assert start["record"] == {"requestId": rids[0], "version": "$LATEST"}
    assert start["time"].endswith("Z") and len(start["time"]) == 24
    assert info == {
        "timestamp": info["timestamp"],
        "level": "INFO",
        "message": "an info line",
        "logger": "root",
        "requestId": rids[0],
    }
    assert list(info) == ["timestamp", "level", "message", "logger", "requestId"]
    assert warning["message"] == "a warning line"
    record = report["record"]
    assert list(record) == ["requestId", "metrics", "status"]
    assert (record["requestId"], record["status"]) == (rids[0], "success")
    metrics = record["metrics"]
    assert list(metrics) == [
        "durationMs",
        "billedDurationMs",
        "memorySizeMB",
        "maxMemoryUsedMB",
        "initDurationMs",
    ]
    assert metrics["memorySizeMB"] == 128
    assert "initDurationMs" not in docs[11]["record"]["metrics"]  # a warm start
    exception = docs[10]
    assert list(exception) == [
        "timestamp",
        "level",
        "message",
        "logger",
        "stackTrace",
        "errorType",
        "errorMessage",
        "requestId",
        "location",
    ]
    assert (exception["errorType"], exception["errorMessage"]) == ("ValueError", "broken")
    assert exception["location"].endswith(":handler:12")


@pytest.mark.aws_documented
def test_levels_filter_logging_and_platform_records(
    lam: Any, logs: Any, make_function: FunctionFactory
) -> None:
    # ApplicationLogLevel DEBUG lets debug lines through; SystemLogLevel DEBUG adds
    # platform.runtimeDone, WARN leaves out the INFO records (start, report)
    name = _json_function(make_function, ApplicationLogLevel="DEBUG", SystemLogLevel="DEBUG")
    rid = lam.invoke(FunctionName=name)["ResponseMetadata"]["RequestId"]
    messages = _messages(logs, f"/aws/lambda/{name}", 8)
    assert messages[2] == "plain print"
    docs = [json.loads(m) for m in messages[:2] + messages[3:]]
    types = [d.get("type") or d["message"] for d in docs]
    assert types[:2] == ["platform.initStart", "platform.start"]
    assert types[2:5] == ["a debug line", "an info line", "a warning line"]
    assert types[5:] == ["platform.runtimeDone", "platform.report"]
    done = docs[5]["record"]
    assert (done["requestId"], done["status"]) == (rid, "success")

    quiet = _json_function(make_function, ApplicationLogLevel="ERROR", SystemLogLevel="WARN")
    lam.invoke(FunctionName=quiet)
    assert _messages(logs, f"/aws/lambda/{quiet}", 1) == ["plain print"]


@pytest.mark.aws_documented
def test_text_format_is_unchanged(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function(Code={"ZipFile": make_zip(SOURCE)}, LoggingConfig=TEXT)["FunctionName"]
    response = lam.invoke(FunctionName=name, LogType="Tail")
    rid = response["ResponseMetadata"]["RequestId"]
    lines = base64.b64decode(response["LogResult"]).decode().splitlines()
    assert lines[:2] == [f"START RequestId: {rid} Version: $LATEST", "plain print"]
    assert lines[2].startswith("[WARNING]\t") and lines[2].endswith(f"\t{rid}\ta warning line")
    assert lines[3] == f"END RequestId: {rid}"


@pytest.mark.aws_documented
def test_tail_is_in_the_json_format(lam: Any, make_function: FunctionFactory) -> None:
    name = _json_function(make_function)
    response = lam.invoke(FunctionName=name, LogType="Tail")
    lines = base64.b64decode(response["LogResult"]).decode().splitlines()
    assert json.loads(lines[0])["type"] == "platform.initStart"
    assert json.loads(lines[-1])["type"] == "platform.report"


@pytest.mark.aws_documented
def test_unhandled_error_is_a_json_line(lam: Any, make_function: FunctionFactory) -> None:
    source = "def handler(event, context):\n    raise KeyError('gone')\n"
    name = make_function(Code={"ZipFile": make_zip(source)}, LoggingConfig={"LogFormat": "JSON"})[
        "FunctionName"
    ]
    response = lam.invoke(FunctionName=name, LogType="Tail")
    rid = response["ResponseMetadata"]["RequestId"]
    lines = base64.b64decode(response["LogResult"]).decode().splitlines()
    error = json.loads(lines[2])
    assert list(error) == [
        "timestamp",
        "level",
        "errorMessage",
        "errorType",
        "requestId",
        "stackTrace",
    ]
    assert (error["level"], error["errorType"], error["requestId"]) == ("ERROR", "KeyError", rid)
    report = json.loads(lines[-1])["record"]
    assert report["status"] == "error"


@pytest.mark.aws_documented
def test_custom_log_group_receives_the_logs(
    lam: Any, logs: Any, make_function: FunctionFactory
) -> None:
    # Developer guide, "Configuring CloudWatch log groups": a group that does not exist is
    # created; its log streams are named YYYY/MM/DD/<function>[<version>]<environment>
    group = unique_name("custom-group")
    name = make_function(Code={"ZipFile": make_zip(SOURCE)}, LoggingConfig={"LogGroup": group})[
        "FunctionName"
    ]
    try:
        response = lam.invoke(FunctionName=name)
        assert json.loads(response["Payload"].read()) == group  # context.log_group_name
        messages = _messages(logs, group, 4)
        assert messages[1] == "plain print"
        (stream,) = logs.describe_log_streams(logGroupName=group)["logStreams"]
        assert f"/{name}[$LATEST]" in stream["logStreamName"]
        default = logs.describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{name}")
        assert default["logGroups"] == []
    finally:
        logs.delete_log_group(logGroupName=group)


@pytest.mark.aws_documented
def test_update_switches_the_format_of_the_next_invocation(
    lam: Any, make_function: FunctionFactory
) -> None:
    name = make_function(Code={"ZipFile": make_zip(SOURCE)})["FunctionName"]

    def first_line() -> str:
        response = lam.invoke(FunctionName=name, LogType="Tail")
        return base64.b64decode(response["LogResult"]).decode().splitlines()[0]

    assert first_line().startswith("START RequestId: ")
    lam.update_function_configuration(FunctionName=name, LoggingConfig={"LogFormat": "JSON"})
    assert json.loads(first_line())["type"] == "platform.initStart"
    lam.update_function_configuration(FunctionName=name, LoggingConfig=TEXT)
    assert first_line().startswith("START RequestId: ")


@pytest.mark.aws_documented
def test_versions_keep_their_logging_config(lam: Any, make_function: FunctionFactory) -> None:
    name = _json_function(make_function, ApplicationLogLevel="WARN")
    version = lam.publish_version(FunctionName=name)
    assert version["LoggingConfig"]["ApplicationLogLevel"] == "WARN"
    lam.update_function_configuration(FunctionName=name, LoggingConfig=TEXT)
    shown = lam.get_function_configuration(FunctionName=name, Qualifier=version["Version"])
    assert shown["LoggingConfig"] == version["LoggingConfig"]
    response = lam.invoke(FunctionName=name, Qualifier=version["Version"], LogType="Tail")
    lines = base64.b64decode(response["LogResult"]).decode().splitlines()
    start = json.loads(lines[1])
    assert start["record"]["version"] == version["Version"]
    assert all("an info line" not in line for line in lines)  # WARN and above only


@pytest.mark.gureum_own
def test_logs_command_reads_the_custom_group(
    endpoint: str, lam: Any, make_function: FunctionFactory
) -> None:
    # a group two functions share: each function's own streams only
    group = unique_name("shared-group")
    names = [
        make_function(Code={"ZipFile": make_zip(SOURCE)}, LoggingConfig={"LogGroup": group})[
            "FunctionName"
        ]
        for _ in range(2)
    ]
    rids = [lam.invoke(FunctionName=n)["ResponseMetadata"]["RequestId"] for n in names]
    out = subprocess.run(
        [sys.executable, "-m", "gureum", "logs", names[0]],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "GUREUM_ENDPOINT": endpoint},
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert f"START RequestId: {rids[0]} Version: $LATEST" in out.stdout
    assert rids[1] not in out.stdout
