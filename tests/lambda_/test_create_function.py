"""CreateFunction."""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zipfile
from typing import Any

import pytest

from conftest import error_of, unique_name
from lambda_.conftest import ROLE, FunctionFactory, make_zip

pytestmark = pytest.mark.aws_documented


def test_answers_the_function_configuration(make_function: FunctionFactory) -> None:
    package = make_zip()
    name = unique_name("fn")
    response = make_function(
        FunctionName=name,
        Code={"ZipFile": package},
        Description="d",
        Environment={"Variables": {"KEY_A": "1"}},
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert response["FunctionName"] == name
    assert response["FunctionArn"] == f"arn:aws:lambda:us-east-1:000000000000:function:{name}"
    assert response["Runtime"] == "python3.12"
    assert response["Role"] == ROLE
    assert response["Handler"] == "app.handler"
    assert response["Description"] == "d"
    assert response["CodeSize"] == len(package)
    expected_sha = base64.b64encode(hashlib.sha256(package).digest()).decode()
    assert response["CodeSha256"] == expected_sha
    assert response["Timeout"] == 3
    assert response["MemorySize"] == 128
    assert response["Version"] == "$LATEST"
    assert response["State"] == "Active"
    assert response["LastUpdateStatus"] == "Successful"
    assert response["PackageType"] == "Zip"
    assert response["Architectures"] == ["x86_64"]
    assert response["EphemeralStorage"] == {"Size": 512}
    assert response["Environment"] == {"Variables": {"KEY_A": "1"}}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000", response["LastModified"])
    assert re.fullmatch(r"[0-9a-f-]{36}", response["RevisionId"])


def test_timeout_and_memory(make_function: FunctionFactory) -> None:
    response = make_function(Timeout=900, MemorySize=10240)
    assert (response["Timeout"], response["MemorySize"]) == (900, 10240)


@pytest.mark.parametrize("runtime", ["python3.9", "python3.10", "python3.11", "python3.13"])
def test_python_runtimes(make_function: FunctionFactory, runtime: str) -> None:
    assert make_function(Runtime=runtime)["Runtime"] == runtime


def test_existing_name_is_a_conflict(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    with pytest.raises(lam.exceptions.ResourceConflictException) as exc:
        make_function(FunctionName=name)
    assert error_of(exc) == ("ResourceConflictException", f"Function already exist: {name}")
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_deprecated_runtime(lam: Any, make_function: FunctionFactory) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        make_function(Runtime="python3.7")
    assert error_of(exc) == (
        "InvalidParameterValueException",
        "The runtime parameter of python3.7 is no longer supported for creating or updating "
        "AWS Lambda functions. We recommend you use a supported runtime while creating or "
        "updating functions.",
    )


@pytest.mark.gureum_own
def test_runtime_gureum_cannot_run(lam: Any, make_function: FunctionFactory) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        make_function(Runtime="nodejs20.x")


def test_unknown_runtime_is_a_validation_error(lam: Any, make_function: FunctionFactory) -> None:
    with pytest.raises(lam.exceptions.ClientError) as exc:
        make_function(Runtime="cobol")
    code, message = error_of(exc)
    assert code == "ValidationException"
    assert message.startswith(
        "1 validation error detected: Value 'cobol' at 'runtime' failed to satisfy constraint: "
        "Member must satisfy enum value set: ["
    )


def test_timeout_over_900(lam: Any, make_function: FunctionFactory) -> None:
    with pytest.raises(lam.exceptions.ClientError) as exc:
        make_function(Timeout=1200)
    assert error_of(exc) == (
        "ValidationException",
        "1 validation error detected: Value '1200' at 'timeout' failed to satisfy constraint: "
        "Member must have value less than or equal to 900",
    )


def test_memory_below_128(lam: Any, make_function: FunctionFactory) -> None:
    with pytest.raises(lam.exceptions.ClientError) as exc:
        make_function(MemorySize=64)
    assert error_of(exc)[0] == "ValidationException"


def test_malformed_role(lam: Any, make_function: FunctionFactory) -> None:
    with pytest.raises(lam.exceptions.ClientError) as exc:
        make_function(Role="not-a-role")
    code, message = error_of(exc)
    assert code == "ValidationException"
    assert "at 'role' failed to satisfy constraint" in message


def test_not_a_zip(lam: Any, make_function: FunctionFactory) -> None:
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        make_function(Code={"ZipFile": b"not a zip"})
    assert error_of(exc) == (
        "InvalidParameterValueException",
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
    )


def test_tags_come_back_in_get_function(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function(Tags={"team": "a"})["FunctionName"]
    assert lam.get_function(FunctionName=name)["Tags"] == {"team": "a"}


def test_unzipped_size_limit(lam: Any, make_function: FunctionFactory) -> None:
    """A package whose files unzip to 250 MB or more is refused (AWS's text), though the zip
    itself is small."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return 1\n")
        archive.writestr("zeros.bin", bytes(250 * 1024 * 1024))
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as exc:
        make_function(Code={"ZipFile": buffer.getvalue()})
    assert error_of(exc) == (
        "InvalidParameterValueException",
        "Unzipped size must be smaller than 262144000 bytes",
    )


def test_named_by_arn_or_partial_arn(lam: Any, make_function: FunctionFactory) -> None:
    """AWS takes a full or partial ARN as the new function's name (its name part); such names
    once created functions nobody could address."""
    name = unique_name("fn")
    arn = make_function()["FunctionArn"].rsplit(":", 1)[0] + f":{name}"
    created = make_function(FunctionName=arn)
    assert (created["FunctionName"], created["FunctionArn"]) == (name, arn)
    account = arn.split(":")[4]
    other = unique_name("fn")
    assert make_function(FunctionName=f"{account}:function:{other}")["FunctionName"] == other
    assert lam.get_function(FunctionName=other)["Configuration"]["FunctionName"] == other
    # the model's pattern makes "function:" optional in an ARN too
    bare = unique_name("fn")
    assert (
        make_function(FunctionName=arn.split(":function:")[0] + f":{bare}")["FunctionName"] == bare
    )


def test_names_it_refuses(lam: Any, make_function: FunctionFactory) -> None:
    arn = make_function()["FunctionArn"]
    elsewhere = arn.replace("us-east-1", "ap-southeast-1")
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as raised:
        make_function(FunctionName=elsewhere + "x")
    assert error_of(raised)[1] == (
        "Functions from 'ap-southeast-1' are not reachable in this region ('us-east-1')"
    )
    with pytest.raises(lam.exceptions.ClientError) as raised:
        make_function(FunctionName=arn.replace(arn.split(":")[4], "123456789012") + "x")
    assert error_of(raised)[0] == "AccessDeniedException"
    with pytest.raises(lam.exceptions.InvalidParameterValueException) as raised:
        make_function(FunctionName="a" * 65)
    assert error_of(raised)[1] == (
        f"1 validation error detected: Value '{'a' * 65}' at 'functionName' failed to satisfy "
        "constraint: Member must have length less than or equal to 64"
    )
    for qualified in (unique_name("fn") + ":live", arn.split(":function:")[0] + ":layer:lx"):
        with pytest.raises(lam.exceptions.InvalidParameterValueException):  # [gureum] text
            make_function(FunctionName=qualified)
