"""Reserved concurrency (PutFunctionConcurrency, GetFunctionConcurrency,
DeleteFunctionConcurrency), GetAccountSettings, and Invoke throttled by a reservation."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from botocore.config import Config

from conftest import CREDENTIALS, REGION, client_kwargs, error_of
from lambda_.conftest import FunctionFactory, make_zip

pytestmark = pytest.mark.aws_documented


@pytest.fixture
def quick(endpoint: str) -> Any:
    """A Lambda client that does not retry throttled calls."""
    return boto3.client(
        "lambda",
        endpoint_url=endpoint,
        region_name=REGION,
        config=Config(retries={"max_attempts": 0}, max_pool_connections=10),
        **CREDENTIALS,
    )


@pytest.fixture
def logs(endpoint: str) -> Any:
    return boto3.client("logs", **client_kwargs(endpoint))


def test_put_get_delete(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    got = lam.get_function_concurrency(FunctionName=name)
    assert "ReservedConcurrentExecutions" not in got
    assert "Concurrency" not in lam.get_function(FunctionName=name)
    put = lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=7)
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert put["ReservedConcurrentExecutions"] == 7
    assert lam.get_function_concurrency(FunctionName=name)["ReservedConcurrentExecutions"] == 7
    assert lam.get_function(FunctionName=name)["Concurrency"] == {"ReservedConcurrentExecutions": 7}
    settings = lam.get_account_settings()["AccountLimit"]
    before = settings["UnreservedConcurrentExecutions"]
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=2)
    after = lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"]
    assert after == before + 5
    deleted = lam.delete_function_concurrency(FunctionName=name)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert "ReservedConcurrentExecutions" not in lam.get_function_concurrency(FunctionName=name)


def test_concurrency_errors(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Publish=True)
    name, arn = created["FunctionName"], created["FunctionArn"]
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.put_function_concurrency(FunctionName=name + "-no", ReservedConcurrentExecutions=0)
    assert error_of(exc)[1] == f"Function not found: {arn}-no:$LATEST"
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function_concurrency(FunctionName=name + "-no")
    for qualified in (f"{arn}:$LATEST", f"{arn}:1", f"{name}:1"):
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
            lam.put_function_concurrency(FunctionName=qualified, ReservedConcurrentExecutions=0)
        assert error_of(exc)[1] == (
            "This operation is permitted on Lambda functions only. Aliases and versions do not "
            "support this operation. Please specify either a function name or an unqualified "
            "function ARN."
        )
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1001)
    assert "below its minimum value of [100]" in error_of(exc)[1]


def test_reservation_keeps_100_unreserved(lam: Any, make_function: FunctionFactory) -> None:
    first, second = make_function()["FunctionName"], make_function()["FunctionName"]
    unreserved = lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        lam.put_function_concurrency(
            FunctionName=first, ReservedConcurrentExecutions=unreserved - 99
        )
    assert error_of(exc)[1] == (
        "Specified ReservedConcurrentExecutions for function decreases account's "
        "UnreservedConcurrentExecution below its minimum value of [100]."
    )
    lam.put_function_concurrency(FunctionName=first, ReservedConcurrentExecutions=unreserved - 100)
    try:
        with pytest.raises(lam.exceptions.InvalidParameterValueException):
            lam.put_function_concurrency(FunctionName=second, ReservedConcurrentExecutions=1)
        # changing the function's own reservation counts it once
        lam.put_function_concurrency(
            FunctionName=first, ReservedConcurrentExecutions=unreserved - 100
        )
        limit = lam.get_account_settings()["AccountLimit"]
        assert limit["UnreservedConcurrentExecutions"] == 100
    finally:
        lam.delete_function_concurrency(FunctionName=first)


def test_account_settings(lam: Any, make_function: FunctionFactory) -> None:
    settings = lam.get_account_settings()
    limit, usage = settings["AccountLimit"], settings["AccountUsage"]
    assert set(limit) == {
        "TotalCodeSize",
        "CodeSizeUnzipped",
        "CodeSizeZipped",
        "ConcurrentExecutions",
        "UnreservedConcurrentExecutions",
    }
    assert limit["TotalCodeSize"] == 80530636800
    assert limit["CodeSizeUnzipped"] == 262144000
    assert limit["CodeSizeZipped"] == 52428800
    assert limit["ConcurrentExecutions"] == 1000
    created = make_function(Publish=True)
    after = lam.get_account_settings()["AccountUsage"]
    assert after["FunctionCount"] == usage["FunctionCount"] + 1
    # $LATEST and version 1 both count
    assert after["TotalCodeSize"] == usage["TotalCodeSize"] + 2 * created["CodeSize"]


def test_zero_throttles_every_invoke(quick: Any, make_function: FunctionFactory) -> None:
    name = make_function(Publish=True)["FunctionName"]
    quick.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    for qualifier in ("$LATEST", "1"):
        with pytest.raises(quick.exceptions.TooManyRequestsException) as exc:
            quick.invoke(FunctionName=name, Qualifier=qualifier)
        response = exc.value.response
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 429
        assert response["Error"] == {
            "Code": "TooManyRequestsException",
            "Message": "Rate Exceeded.",
        }
        assert response["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
    quick.delete_function_concurrency(FunctionName=name)
    assert quick.invoke(FunctionName=name)["StatusCode"] == 200


def test_one_at_a_time(quick: Any, make_function: FunctionFactory) -> None:
    source = "import time\ndef handler(event, context):\n    time.sleep(1)\n    return 'ok'\n"
    name = make_function(Code={"ZipFile": make_zip(source)}, Publish=True)["FunctionName"]
    quick.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
    quick.invoke(FunctionName=name)  # warm

    def call(qualifier: str) -> Any:
        try:
            return quick.invoke(FunctionName=name, Qualifier=qualifier)["StatusCode"]
        except quick.exceptions.TooManyRequestsException as exc:
            return exc.response["Reason"]

    # the reservation covers every version of the function together
    with ThreadPoolExecutor(3) as pool:
        first = pool.submit(call, "$LATEST")
        time.sleep(0.3)
        others = [pool.submit(call, q) for q in ("$LATEST", "1")]
        results = [first.result(), *(f.result() for f in others)]
    assert results == [
        200,
        "ReservedFunctionConcurrentInvocationLimitExceeded",
        "ReservedFunctionConcurrentInvocationLimitExceeded",
    ]


def test_event_invocations_wait(lam: Any, logs: Any, make_function: FunctionFactory) -> None:
    source = "def handler(event, context):\n    print('ran', event['n'])\n"
    created = make_function(Code={"ZipFile": make_zip(source)})
    name = created["FunctionName"]
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
    for n in range(3):
        assert (
            lam.invoke(FunctionName=name, InvocationType="Event", Payload=f'{{"n": {n}}}')[
                "StatusCode"
            ]
            == 202
        )
    deadline = time.monotonic() + 20
    wanted = ["ran 0", "ran 1", "ran 2"]
    text = ""
    while time.monotonic() < deadline and not all(w in text for w in wanted):
        time.sleep(0.1)
        try:
            events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
        except logs.exceptions.ResourceNotFoundException:
            continue
        text = "".join(e["message"] for e in events)
    assert all(w in text for w in wanted), text
