"""Invoke: Python functions run in worker processes of gureum's runner."""

from __future__ import annotations

import base64
import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config

from conftest import CREDENTIALS, REGION, error_of, unique_name
from lambda_.conftest import FunctionFactory, make_zip

pytestmark = pytest.mark.aws_documented


def _invoke(lam: Any, name: str, event: Any = None, **params: Any) -> tuple[dict[str, Any], Any]:
    if event is not None:
        params["Payload"] = json.dumps(event).encode()
    response: dict[str, Any] = lam.invoke(FunctionName=name, **params)
    body = response["Payload"].read()
    return response, json.loads(body) if body else None


def test_hello_world(lam: Any, make_function: FunctionFactory) -> None:
    source = "def handler(event, context):\n    return 'hello world'\n"
    name = make_function(Code={"ZipFile": make_zip(source)})["FunctionName"]
    response, payload = _invoke(lam, name)
    assert response["StatusCode"] == 200
    assert payload == "hello world"
    assert response["ExecutedVersion"] == "$LATEST"
    assert "FunctionError" not in response


def test_event_in_and_out(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]  # the default package echoes the event
    event = {"a": [1, 2.5, None, True], "b": {"nested": "ü"}}
    assert _invoke(lam, name, event)[1] == event
    # no payload: the event is an empty object
    assert _invoke(lam, name)[1] == {}


def test_put_item_through_gureum(lam: Any, ddb: Any, make_function: FunctionFactory) -> None:
    table = unique_name("invoked")
    ddb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    source = (
        "import boto3\n"
        "def handler(event, context):\n"
        "    client = boto3.client('dynamodb')\n"
        "    client.put_item(TableName=event['table'], Item={'id': {'S': event['id']}})\n"
        "    return client.get_item(TableName=event['table'], Key={'id': {'S': event['id']}})"
        "['Item']\n"
    )
    name = make_function(Code={"ZipFile": make_zip(source)}, Timeout=30)["FunctionName"]
    response, payload = _invoke(lam, name, {"table": table, "id": "from-lambda"})
    assert "FunctionError" not in response, payload
    assert payload == {"id": {"S": "from-lambda"}}
    assert ddb.get_item(TableName=table, Key={"id": {"S": "from-lambda"}})["Item"] == payload
    ddb.delete_table(TableName=table)


def test_function_error_shape(lam: Any, make_function: FunctionFactory) -> None:
    source = "def handler(event, context):\n    raise ValueError('boom at invoke')\n"
    name = make_function(Code={"ZipFile": make_zip(source)})["FunctionName"]
    response, payload = _invoke(lam, name)
    assert response["StatusCode"] == 200
    assert response["FunctionError"] == "Unhandled"
    request_id = response["ResponseMetadata"]["RequestId"]
    assert list(payload) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert payload["errorMessage"] == "boom at invoke"
    assert payload["errorType"] == "ValueError"
    assert payload["requestId"] == request_id
    [frame] = payload["stackTrace"]  # the runtime's own frames are left out
    assert frame.startswith('  File "')
    assert frame.endswith("/app.py\", line 2, in handler\n    raise ValueError('boom at invoke')\n")


def test_marshal_error(lam: Any, make_function: FunctionFactory) -> None:
    source = "def handler(event, context):\n    return {1, 2}\n"
    name = make_function(Code={"ZipFile": make_zip(source)})["FunctionName"]
    response, payload = _invoke(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.MarshalError"
    assert payload["errorMessage"] == (
        "Unable to marshal response: Object of type set is not JSON serializable"
    )


def test_import_error(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function(Handler="missing.handler")["FunctionName"]
    response, payload = _invoke(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.ImportModuleError"
    assert payload["errorMessage"] == "Unable to import module 'missing': No module named 'missing'"


def test_timeout(lam: Any, make_function: FunctionFactory) -> None:
    source = "import time\ndef handler(event, context):\n    time.sleep(30)\n"
    name = make_function(Code={"ZipFile": make_zip(source)}, Timeout=1)["FunctionName"]
    started = time.monotonic()
    response, payload = _invoke(lam, name, LogType="Tail")
    assert time.monotonic() - started < 5
    assert response["FunctionError"] == "Unhandled"
    assert list(payload) == ["errorMessage"]
    assert payload["errorMessage"].endswith("Task timed out after 1.00 seconds")
    assert response["ResponseMetadata"]["RequestId"] in payload["errorMessage"]
    log = base64.b64decode(response["LogResult"]).decode()
    assert "Task timed out after 1.00 seconds" in log


def test_log_type_tail(lam: Any, make_function: FunctionFactory) -> None:
    source = (
        "import logging\n"
        "def handler(event, context):\n"
        "    print('printed line')\n"
        "    logging.getLogger().warning('logged line')\n"
        "    return 1\n"
    )
    name = make_function(Code={"ZipFile": make_zip(source)}, MemorySize=256)["FunctionName"]
    response, _payload = _invoke(lam, name, LogType="Tail")
    request_id = response["ResponseMetadata"]["RequestId"]
    lines = base64.b64decode(response["LogResult"]).decode().splitlines()
    assert lines[0] == f"START RequestId: {request_id} Version: $LATEST"
    assert lines[1] == "printed line"
    level, _stamp, rid, text = lines[2].split("\t")
    assert (level, rid, text) == ("[WARNING]", request_id, "logged line")
    assert lines[3] == f"END RequestId: {request_id}"
    report = lines[4].split("\t")
    assert report[0] == f"REPORT RequestId: {request_id}"
    assert report[1].startswith("Duration: ") and report[1].endswith(" ms")
    assert report[3] == "Memory Size: 256 MB"
    # without LogType, no LogResult
    assert "LogResult" not in _invoke(lam, name)[0]


def test_event_invocation(lam: Any, ddb: Any, make_function: FunctionFactory) -> None:
    table = unique_name("events")
    ddb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    source = (
        "import boto3\n"
        "def handler(event, context):\n"
        "    boto3.client('dynamodb').put_item(TableName=event['table'],\n"
        "        Item={'id': {'S': context.aws_request_id}})\n"
    )
    name = make_function(Code={"ZipFile": make_zip(source)}, Timeout=30)["FunctionName"]
    response, payload = _invoke(lam, name, {"table": table}, InvocationType="Event")
    assert response["StatusCode"] == 202
    assert payload is None
    request_id = response["ResponseMetadata"]["RequestId"]
    deadline = time.monotonic() + 20
    item = None
    while item is None and time.monotonic() < deadline:
        item = ddb.get_item(TableName=table, Key={"id": {"S": request_id}}).get("Item")
        time.sleep(0.05)
    assert item is not None
    ddb.delete_table(TableName=table)


def test_dry_run(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    response, payload = _invoke(lam, name, {"x": 1}, InvocationType="DryRun")
    assert response["StatusCode"] == 204
    assert payload is None


def test_context_fields(lam: Any, make_function: FunctionFactory) -> None:
    source = (
        "def handler(event, context):\n"
        "    return {k: getattr(context, k) for k in ('aws_request_id', 'function_name',\n"
        "        'function_version', 'invoked_function_arn', 'memory_limit_in_mb',\n"
        "        'log_group_name', 'log_stream_name')} | {\n"
        "        'remaining': context.get_remaining_time_in_millis()}\n"
    )
    created = make_function(Code={"ZipFile": make_zip(source)}, MemorySize=512, Timeout=7)
    name = created["FunctionName"]
    response, payload = _invoke(lam, name)
    assert payload["aws_request_id"] == response["ResponseMetadata"]["RequestId"]
    assert payload["function_name"] == name
    assert payload["function_version"] == "$LATEST"
    assert payload["invoked_function_arn"] == created["FunctionArn"]
    assert payload["memory_limit_in_mb"] == "512"
    assert payload["log_group_name"] == f"/aws/lambda/{name}"
    assert "/[$LATEST]" in payload["log_stream_name"]
    assert 6000 < payload["remaining"] <= 7000


def test_environment_variables(lam: Any, make_function: FunctionFactory) -> None:
    source = "import os\ndef handler(event, context):\n    return dict(os.environ)\n"
    created = make_function(
        Code={"ZipFile": make_zip(source)},
        Environment={"Variables": {"MY_SETTING": "on"}},
        MemorySize=256,
    )
    name = created["FunctionName"]
    env = _invoke(lam, name)[1]
    assert env["MY_SETTING"] == "on"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == name
    assert env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "256"
    assert env["AWS_LAMBDA_FUNCTION_VERSION"] == "$LATEST"
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == REGION
    assert env["AWS_LAMBDA_LOG_GROUP_NAME"] == f"/aws/lambda/{name}"
    assert env["AWS_LAMBDA_LOG_STREAM_NAME"]
    assert env["_HANDLER"] == "app.handler"
    assert env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.12"
    assert env["LAMBDA_TASK_ROOT"]
    assert {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} <= env.keys()
    assert env["AWS_ENDPOINT_URL"] == lam.meta.endpoint_url
    # a configuration change reaches the next invocation (the warm worker is retired)
    lam.update_function_configuration(
        FunctionName=name, Environment={"Variables": {"MY_SETTING": "off"}}
    )
    assert _invoke(lam, name)[1]["MY_SETTING"] == "off"


def test_warm_reuse(lam: Any, make_function: FunctionFactory) -> None:
    source = "import os\ndef handler(event, context):\n    return os.getpid()\n"
    name = make_function(Code={"ZipFile": make_zip(source)})["FunctionName"]
    pids = {_invoke(lam, name)[1] for _ in range(5)}
    assert len(pids) == 1
    lam.update_function_code(FunctionName=name, ZipFile=make_zip(source + "# v2\n"))
    assert _invoke(lam, name)[1] not in pids


def test_concurrency_limit(endpoint: str, make_function: FunctionFactory) -> None:
    lam = boto3.client(
        "lambda",
        endpoint_url=endpoint,
        region_name=REGION,
        config=Config(retries={"max_attempts": 0}, max_pool_connections=20),
        **CREDENTIALS,
    )
    source = (
        "import os, time\ndef handler(event, context):\n    time.sleep(2)\n    return os.getpid()\n"
    )
    name = make_function(Code={"ZipFile": make_zip(source)}, Timeout=20)["FunctionName"]
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=10)

    def call(_: int) -> Any:
        try:
            return _invoke(lam, name)[1]
        except lam.exceptions.TooManyRequestsException as exc:
            return exc

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(call, range(12)))
    refused = [r.response for r in results if isinstance(r, Exception)]
    pids = {r for r in results if not isinstance(r, Exception)}
    assert len(refused) == 2
    assert len(pids) == 10
    assert refused[0]["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert refused[0]["Error"] == {"Code": "TooManyRequestsException", "Message": "Rate Exceeded."}
    assert refused[0]["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"


def test_crashing_function(endpoint: str, lam: Any, make_function: FunctionFactory) -> None:
    source = (
        "import os\n"
        "def handler(event, context):\n"
        "    if event.get('crash'):\n"
        "        os._exit(1)\n"
        "    return os.getpid()\n"
    )
    name = make_function(Code={"ZipFile": make_zip(source)})["FunctionName"]
    first = _invoke(lam, name)[1]
    response, payload = _invoke(lam, name, {"crash": True})
    request_id = response["ResponseMetadata"]["RequestId"]
    assert response["FunctionError"] == "Unhandled"
    assert payload == {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: exit status 1",
    }
    assert _invoke(lam, name)[1] != first  # a new worker
    assert requests.get(f"{endpoint}/_gureum/health", timeout=5).status_code == 200


def test_invalid_payload(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    with pytest.raises(lam.exceptions.InvalidRequestContentException) as exc:
        lam.invoke(FunctionName=name, Payload=b"{not json")
    _code, message = error_of(exc)
    assert message.startswith("Could not parse request body into json: ")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_unknown_function(lam: Any) -> None:
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.invoke(FunctionName="no-such-function")
    assert error_of(exc)[1] == (
        "Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function"
    )


@pytest.mark.gureum_own
def test_pipelined_reply_order(endpoint: str, make_function: FunctionFactory) -> None:
    """A pending Invoke keeps its place in its connection's reply order; other connections
    are served meanwhile."""
    source = "import time\ndef handler(event, context):\n    time.sleep(1)\n    return 'slow'\n"
    name = make_function(Code={"ZipFile": make_zip(source)})["FunctionName"]
    host, port = endpoint.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            f"POST /2015-03-31/functions/{name}/invocations HTTP/1.1\r\nHost: x\r\n"
            "Content-Length: 2\r\n\r\n{}"
            "GET /_gureum/health HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        )
        started = time.monotonic()
        assert requests.get(f"{endpoint}/_gureum/health", timeout=5).status_code == 200
        assert time.monotonic() - started < 0.5
        received = b""
        while received.count(b"HTTP/1.1 200") < 2 or not received.endswith(b"}"):
            chunk = connection.recv(65536)
            assert chunk
            received += chunk
    first, second = received.split(b"HTTP/1.1 200 OK")[1:]
    assert first.endswith(b'"slow"')
    assert b'"status":"healthy"' in second


def test_response_too_large(lam: Any, make_function: FunctionFactory) -> None:
    source = "def handler(event, context):\n    return 'x' * (7 * 1024 * 1024)\n"
    name = make_function(Code={"ZipFile": make_zip(source)}, MemorySize=512)["FunctionName"]
    response, payload = _invoke(lam, name)
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Function.ResponseSizeTooLarge"


def test_request_too_large(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    with pytest.raises(lam.exceptions.RequestTooLargeException) as exc:
        lam.invoke(FunctionName=name, Payload=json.dumps("x" * (6 * 1024 * 1024)).encode())
    assert error_of(exc)[1] == (
        "Request must be smaller than 6291456 bytes for the InvokeFunction operation"
    )
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    with pytest.raises(lam.exceptions.RequestTooLargeException):
        lam.invoke(
            FunctionName=name,
            InvocationType="Event",
            Payload=json.dumps("x" * (256 * 1024)).encode(),
        )


@pytest.mark.gureum_own
def test_memory_limit(lam: Any, make_function: FunctionFactory) -> None:
    """A worker's address space is MemorySize + 1 GB: a larger allocation fails in the
    function (MemoryError), and the next invocation still works."""
    source = "def handler(event, context):\n    return len(bytearray(event['mb'] * 1024 * 1024))\n"
    name = make_function(Code={"ZipFile": make_zip(source)})["FunctionName"]
    assert _invoke(lam, name, {"mb": 100})[1] == 100 * 1024 * 1024
    response, payload = _invoke(lam, name, {"mb": 2048})
    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "MemoryError"
    assert _invoke(lam, name, {"mb": 1})[1] == 1024 * 1024


def test_output_that_is_not_unicode(lam: Any, make_function: FunctionFactory) -> None:
    """A lone surrogate printed once failed the worker's reply (a 500) and left the worker
    running after its function was deleted."""
    source = "def handler(event, context):\n    print('x\\udcff')\n    return 'after'\n"
    name = make_function(Code={"ZipFile": make_zip(source)})["FunctionName"]
    response = lam.invoke(FunctionName=name, LogType="Tail")
    assert json.loads(response["Payload"].read()) == "after"
    assert "x?" in base64.b64decode(response["LogResult"]).decode()


def test_long_lines_to_file_descriptor_2(lam: Any, make_function: FunctionFactory) -> None:
    """Writing past the process's own capture (fd 2) in lines longer than 64 KiB once stopped
    gureum reading that pipe: the worker then blocked and the next invocations timed out."""
    source = (
        "import os\n"
        "def handler(event, context):\n"
        "    os.write(2, b'x' * event['size'])\n"
        "    return event['size']\n"
    )
    name = make_function(Code={"ZipFile": make_zip(source)}, Timeout=5)["FunctionName"]
    for size in (100_000, 300_000, 1_000_000):
        payload = json.dumps({"size": size}).encode()
        response = lam.invoke(FunctionName=name, Payload=payload)
        assert "FunctionError" not in response
        assert json.loads(response["Payload"].read()) == size
