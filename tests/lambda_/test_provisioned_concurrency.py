"""Provisioned concurrency (Put/Get/Delete/ListProvisionedConcurrencyConfig(s)): shapes and
statuses, errors, paging, cleanup with versions, aliases and functions, the pre-started
workers invocations run on, and a restart."""

from __future__ import annotations

import base64
import json
import re
import time
from typing import TYPE_CHECKING, Any

import pytest

from conftest import GureumProcess, error_of, error_with_status
from lambda_.conftest import FunctionFactory, create_function, make_zip

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.aws_documented

# returns the initialization type its worker was started with
INIT_TYPE = make_zip(
    "import os\n"
    "def handler(event, context):\n"
    "    return os.environ['AWS_LAMBDA_INITIALIZATION_TYPE']\n"
)
NOT_FOUND = "No Provisioned Concurrency Config found for this function"


def wait_ready(lam: Any, name: str, qualifier: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        got: dict[str, Any] = lam.get_provisioned_concurrency_config(
            FunctionName=name, Qualifier=qualifier
        )
        if got["Status"] != "IN_PROGRESS" or time.monotonic() > deadline:
            return got
        time.sleep(0.05)


def invoke_tail(lam: Any, name: str, qualifier: str) -> tuple[str, str]:
    """(the handler's result, the invocation's log)."""
    response = lam.invoke(FunctionName=name, Qualifier=qualifier, LogType="Tail")
    payload = json.loads(response["Payload"].read())
    return payload, base64.b64decode(response["LogResult"]).decode()


def test_put_get_shapes_and_ready(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Code={"ZipFile": INIT_TYPE}, Publish=True)
    name = created["FunctionName"]
    put = lam.put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=2
    )
    assert put["ResponseMetadata"]["HTTPStatusCode"] == 202
    del put["ResponseMetadata"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000", put.pop("LastModified"))
    assert put == {
        "RequestedProvisionedConcurrentExecutions": 2,
        "AvailableProvisionedConcurrentExecutions": 0,
        "AllocatedProvisionedConcurrentExecutions": 0,
        "Status": "IN_PROGRESS",
    }
    got = wait_ready(lam, name, "1")
    del got["ResponseMetadata"]
    assert got.pop("LastModified")
    assert got == {
        "RequestedProvisionedConcurrentExecutions": 2,
        "AvailableProvisionedConcurrentExecutions": 2,
        "AllocatedProvisionedConcurrentExecutions": 2,
        "Status": "READY",
    }
    # the first invocation runs on a provisioned worker: no cold start
    result, log = invoke_tail(lam, name, "1")
    assert result == "provisioned-concurrency"
    assert "REPORT RequestId" in log
    assert "Init Duration" not in log
    # $LATEST stays on demand
    result, log = invoke_tail(lam, name, "$LATEST")
    assert result == "on-demand"
    assert "Init Duration" in log


def test_alias_config(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Code={"ZipFile": INIT_TYPE}, Publish=True)
    name, arn = created["FunctionName"], created["FunctionArn"]
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    lam.put_provisioned_concurrency_config(
        FunctionName=f"{arn}:live", Qualifier="live", ProvisionedConcurrentExecutions=1
    )
    assert wait_ready(lam, name, "live")["Status"] == "READY"
    # the alias's version runs on the workers, through the alias or the version
    assert invoke_tail(lam, name, "live")[0] == "provisioned-concurrency"
    assert invoke_tail(lam, name, "1")[0] == "provisioned-concurrency"
    # a version with a provisioned alias takes no config of its own, and the other way round
    with pytest.raises(lam.exceptions.ResourceConflictException) as exc:
        lam.put_provisioned_concurrency_config(
            FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=1
        )
    assert error_with_status(exc) == (
        "ResourceConflictException",
        "Version is pointed by a Provisioned Concurrency alias",
        409,
    )
    lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="live")
    lam.put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=1
    )
    with pytest.raises(lam.exceptions.ResourceConflictException) as exc:
        lam.put_provisioned_concurrency_config(
            FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=1
        )
    assert error_of(exc)[1] == (
        "Alias can't be used for Provisioned Concurrency configuration on an already "
        "Provisioned version"
    )


def test_workers_follow_alias(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function(Code={"ZipFile": INIT_TYPE}, Publish=True)["FunctionName"]
    lam.update_function_configuration(FunctionName=name, Description="two")
    lam.publish_version(FunctionName=name)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    lam.put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=1
    )
    assert wait_ready(lam, name, "live")["Status"] == "READY"
    lam.update_alias(FunctionName=name, Name="live", FunctionVersion="2")
    assert wait_ready(lam, name, "live")["Status"] == "READY"
    assert invoke_tail(lam, name, "2")[0] == "provisioned-concurrency"
    assert invoke_tail(lam, name, "1")[0] == "on-demand"
    with pytest.raises(lam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier="2")


def test_errors(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Publish=True)
    name = created["FunctionName"]
    base = created["FunctionArn"]
    missing = base.rsplit(":", 1)[0] + ":nope"  # the unqualified ARN of "nope"
    with pytest.raises(lam.exceptions.ProvisionedConcurrencyConfigNotFoundException) as exc:
        lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier="1")
    assert error_with_status(exc) == (
        "ProvisionedConcurrencyConfigNotFoundException",
        NOT_FOUND,
        404,
    )
    latest_get = "The function resource provided must be an alias or a published version."
    for call in (lam.get_provisioned_concurrency_config, lam.delete_provisioned_concurrency_config):
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
            call(FunctionName=name, Qualifier="$LATEST")
        assert error_of(exc)[1] == latest_get
        with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
            call(FunctionName=name, Qualifier="noalias")
        assert error_of(exc)[1] == f"Cannot find alias arn: {base}:noalias"
        with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
            call(FunctionName=name, Qualifier="10")
        assert error_of(exc)[1] == f"Function not found: {base}:10"
        with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
            call(FunctionName="nope", Qualifier="noalias")
        assert error_of(exc)[1] == f"Cannot find alias arn: {missing}:noalias"
        with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
            call(FunctionName="nope", Qualifier="1")
        assert error_of(exc)[1] == f"Function not found: {missing}:1"
    # deleting a config that is not there succeeds
    deleted = lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="1")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        lam.put_provisioned_concurrency_config(
            FunctionName=name, Qualifier="$LATEST", ProvisionedConcurrentExecutions=1
        )
    assert error_of(exc)[1] == (
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
    )
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.put_provisioned_concurrency_config(
            FunctionName=name, Qualifier="doesnotexist", ProvisionedConcurrentExecutions=1
        )
    assert error_of(exc)[1] == f"Cannot find alias arn: {base}:doesnotexist"
    with pytest.raises(lam.exceptions.ClientError) as exc:
        lam.put_provisioned_concurrency_config(
            FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=0
        )
    assert error_of(exc) == (
        "ValidationException",
        "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed "
        "to satisfy constraint: Member must have value greater than or equal to 1",
    )
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.list_provisioned_concurrency_configs(FunctionName="nope")
    assert error_of(exc)[1] == f"Function not found: {missing}"


def test_limits(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function(Publish=True)["FunctionName"]
    unreserved = lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        lam.put_provisioned_concurrency_config(
            FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=unreserved + 1
        )
    assert error_of(exc)[1] == (
        "Specified ConcurrentExecutions for function is greater than account's unreserved "
        f"concurrency [{unreserved}]."
    )
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        lam.put_provisioned_concurrency_config(
            FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=unreserved - 99
        )
    assert error_of(exc)[1] == (
        "Specified ConcurrentExecutions for function decreases account's "
        "UnreservedConcurrentExecution below its minimum value of [100]."
    )
    # without a reservation, provisioned concurrency comes out of the unreserved pool
    lam.put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=1
    )
    after = lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"]
    assert after == unreserved - 1
    # a reservation holds the function's provisioned concurrency
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    assert error_of(exc)[1] == (
        " ReservedConcurrentExecutions  0 should not be lower than function's total "
        "provisioned concurrency [1]."
    )
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=1)
    try:
        with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
            lam.put_provisioned_concurrency_config(
                FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=2
            )
        assert error_of(exc)[1] == (
            "Requested Provisioned Concurrency should not be greater than the "
            "reservedConcurrentExecution for function"
        )
        # reservation == provisioned: nothing is left for $LATEST, the version still runs
        assert wait_ready(lam, name, "1")["Status"] == "READY"
        with pytest.raises(lam.exceptions.TooManyRequestsException) as exc:
            lam.invoke(FunctionName=name)
        assert exc.value.response["Reason"] == "ReservedFunctionConcurrentInvocationLimitExceeded"
        assert lam.invoke(FunctionName=name, Qualifier="1")["StatusCode"] == 200
    finally:
        lam.delete_function_concurrency(FunctionName=name)


def test_list_pages(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Publish=True)
    name, base = created["FunctionName"], created["FunctionArn"]
    assert (
        lam.list_provisioned_concurrency_configs(FunctionName=name)["ProvisionedConcurrencyConfigs"]
        == []
    )
    lam.update_function_configuration(FunctionName=name, Description="two")
    lam.publish_version(FunctionName=name)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="2")
    for qualifier in ("1", "live"):
        lam.put_provisioned_concurrency_config(
            FunctionName=name, Qualifier=qualifier, ProvisionedConcurrentExecutions=1
        )
    first = lam.list_provisioned_concurrency_configs(FunctionName=name, MaxItems=1)
    assert [c["FunctionArn"] for c in first["ProvisionedConcurrencyConfigs"]] == [f"{base}:1"]
    item = first["ProvisionedConcurrencyConfigs"][0]
    assert set(item) == {
        "FunctionArn",
        "RequestedProvisionedConcurrentExecutions",
        "AvailableProvisionedConcurrentExecutions",
        "AllocatedProvisionedConcurrentExecutions",
        "Status",
        "LastModified",
    }
    rest = lam.list_provisioned_concurrency_configs(
        FunctionName=name, Marker=first["NextMarker"], MaxItems=1
    )
    assert [c["FunctionArn"] for c in rest["ProvisionedConcurrencyConfigs"]] == [f"{base}:live"]
    assert "NextMarker" not in rest


def test_deleted_with_alias_version_and_function(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Code={"ZipFile": INIT_TYPE}, Publish=True)
    name, base = created["FunctionName"], created["FunctionArn"]
    lam.update_function_configuration(FunctionName=name, Description="two")
    lam.publish_version(FunctionName=name)
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="2")
    for qualifier in ("1", "live"):
        lam.put_provisioned_concurrency_config(
            FunctionName=name, Qualifier=qualifier, ProvisionedConcurrentExecutions=1
        )
    assert wait_ready(lam, name, "live")["Status"] == "READY"
    unreserved = lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"]
    lam.delete_alias(FunctionName=name, Name="live")
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier="live")
    assert error_of(exc)[1] == f"Cannot find alias arn: {base}:live"
    # its version's workers are gone with it
    assert invoke_tail(lam, name, "2")[0] == "on-demand"
    lam.delete_function(FunctionName=name, Qualifier="1")
    configs = lam.list_provisioned_concurrency_configs(FunctionName=name)
    assert configs["ProvisionedConcurrencyConfigs"] == []
    after = lam.get_account_settings()["AccountLimit"]["UnreservedConcurrentExecutions"]
    assert after == unreserved + 2
    # a function deleted with its configs leaves none behind when recreated
    lam.put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="2", ProvisionedConcurrentExecutions=1
    )
    lam.delete_function(FunctionName=name)
    make_function(FunctionName=name, Publish=True)
    with pytest.raises(lam.exceptions.ProvisionedConcurrencyConfigNotFoundException):
        lam.get_provisioned_concurrency_config(FunctionName=name, Qualifier="1")


def test_delete_and_shrink_stop_workers(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function(Code={"ZipFile": INIT_TYPE}, Publish=True)["FunctionName"]
    lam.put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=2
    )
    assert wait_ready(lam, name, "1")["AllocatedProvisionedConcurrentExecutions"] == 2
    lam.put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=1
    )
    smaller = wait_ready(lam, name, "1")
    assert (smaller["Status"], smaller["AllocatedProvisionedConcurrentExecutions"]) == ("READY", 1)
    lam.delete_provisioned_concurrency_config(FunctionName=name, Qualifier="1")
    result, log = invoke_tail(lam, name, "1")
    assert result == "on-demand"
    assert "Init Duration" in log


def test_failed_init(lam: Any, make_function: FunctionFactory) -> None:
    source = (
        "import os\n"
        "if os.environ['AWS_LAMBDA_INITIALIZATION_TYPE'] == 'provisioned-concurrency':\n"
        "    raise Exception('no')\n"
        "def handler(event, context):\n"
        "    return os.environ['AWS_LAMBDA_INITIALIZATION_TYPE']\n"
    )
    name = make_function(Code={"ZipFile": make_zip(source)}, Publish=True)["FunctionName"]
    lam.put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=1
    )
    got = wait_ready(lam, name, "1")
    assert (got["Status"], got["StatusReason"]) == ("FAILED", "FUNCTION_ERROR_INIT_FAILURE")
    assert got["AllocatedProvisionedConcurrentExecutions"] == 0
    # invocations run on demand
    assert invoke_tail(lam, name, "1")[0] == "on-demand"


@pytest.mark.gureum_own
def test_restart_reapplies(tmp_path: Path) -> None:
    server = GureumProcess(tmp_path)
    server.start()
    try:
        client = server.client("lambda")
        create_function(
            client,
            FunctionName="warm",
            Code={"ZipFile": INIT_TYPE},
            Publish=True,
        )
        client.put_provisioned_concurrency_config(
            FunctionName="warm", Qualifier="1", ProvisionedConcurrentExecutions=1
        )
        modified = wait_ready(client, "warm", "1")["LastModified"]
    finally:
        server.stop()
    server = GureumProcess(tmp_path)
    server.start()
    try:
        client = server.client("lambda")
        got = wait_ready(client, "warm", "1")
        assert (got["Status"], got["LastModified"]) == ("READY", modified)
        result, log = invoke_tail(client, "warm", "1")
        assert result == "provisioned-concurrency"
        assert "Init Duration" not in log
    finally:
        server.stop()


def test_never_on_latest_through_an_alias(lam: Any, make_function: FunctionFactory) -> None:
    """An alias of $LATEST takes no config (AWS's text, quoted in terraform-provider-aws
    #12120), and an alias with one cannot move to $LATEST; either once stayed IN_PROGRESS."""
    name = make_function(Code={"ZipFile": INIT_TYPE}, Publish=True)["FunctionName"]
    unpublished = (
        "Provisioned Concurrency Configs cannot be applied to unpublished function versions."
    )
    lam.create_alias(FunctionName=name, Name="head", FunctionVersion="$LATEST")
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.put_provisioned_concurrency_config(
            FunctionName=name, Qualifier="head", ProvisionedConcurrentExecutions=1
        )
    assert error_of(raised)[1] == unpublished
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion="1")
    lam.put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="live", ProvisionedConcurrentExecutions=1
    )
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        lam.update_alias(FunctionName=name, Name="live", FunctionVersion="$LATEST")
    assert error_of(raised)[1] == unpublished
    assert lam.get_alias(FunctionName=name, Name="live")["FunctionVersion"] == "1"
    assert wait_ready(lam, name, "live")["Status"] == "READY"


def test_a_package_that_cannot_be_unpacked_fails(lam: Any, make_function: FunctionFactory) -> None:
    """Once IN_PROGRESS for ever without a reason."""
    data = bytearray(make_zip("def handler(event, context):\n    return 1\n"))
    for signature, offset in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):  # a wrong CRC-32
        at = data.find(signature)
        data[at + offset : at + offset + 4] = b"\xef\xbe\xad\xde"
    name = make_function(Code={"ZipFile": bytes(data)}, Publish=True)["FunctionName"]
    lam.put_provisioned_concurrency_config(
        FunctionName=name, Qualifier="1", ProvisionedConcurrentExecutions=1
    )
    got = wait_ready(lam, name, "1")
    assert (got["Status"], got["StatusReason"]) == ("FAILED", "FUNCTION_ERROR_INIT_FAILURE")
