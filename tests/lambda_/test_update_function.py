"""UpdateFunctionCode and UpdateFunctionConfiguration."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import pytest

from conftest import error_of
from lambda_.conftest import FunctionFactory, make_zip

pytestmark = pytest.mark.aws_documented


def test_update_code(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    package = make_zip("def handler(e, c):\n    return 2\n")
    response = lam.update_function_code(FunctionName=created["FunctionName"], ZipFile=package)
    assert response["CodeSha256"] == base64.b64encode(hashlib.sha256(package).digest()).decode()
    assert response["CodeSize"] == len(package)
    assert response["RevisionId"] != created["RevisionId"]
    assert response["LastUpdateStatus"] == "Successful"
    lam.get_waiter("function_updated_v2").wait(FunctionName=created["FunctionName"])
    got = lam.get_function_configuration(FunctionName=created["FunctionName"])
    assert got["CodeSha256"] == response["CodeSha256"]


def test_update_code_not_a_zip(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.update_function_code(FunctionName=name, ZipFile=b"nope")


def test_update_code_missing_function(lam: Any) -> None:
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        lam.update_function_code(FunctionName="no-such-function", ZipFile=make_zip())
    assert error_of(exc)[1].startswith("Function not found: arn:aws:lambda:")


def test_update_configuration(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Environment={"Variables": {"KEY_A": "1"}})
    name = created["FunctionName"]
    response = lam.update_function_configuration(
        FunctionName=name,
        Timeout=60,
        MemorySize=512,
        Description="new",
        Handler="other.main",
        Runtime="python3.11",
        Environment={"Variables": {"KEY_B": "2"}},
    )
    assert response["Timeout"] == 60
    assert response["MemorySize"] == 512
    assert response["Description"] == "new"
    assert response["Handler"] == "other.main"
    assert response["Runtime"] == "python3.11"
    assert response["Environment"] == {"Variables": {"KEY_B": "2"}}
    assert response["CodeSha256"] == created["CodeSha256"]
    got = lam.get_function_configuration(FunctionName=name)
    assert got["Timeout"] == 60
    assert got["Environment"] == {"Variables": {"KEY_B": "2"}}


def test_update_configuration_limits(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    with pytest.raises(lam.exceptions.ClientError) as exc:
        lam.update_function_configuration(FunctionName=name, Timeout=901)
    assert error_of(exc)[0] == "ValidationException"
    with pytest.raises(lam.exceptions.InvalidParameterValueException):
        lam.update_function_configuration(FunctionName=name, Runtime="python2.7")


def test_revision_id_must_match(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    with pytest.raises(lam.exceptions.PreconditionFailedException) as exc:
        lam.update_function_configuration(
            FunctionName=created["FunctionName"], Timeout=5, RevisionId="stale"
        )
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 412
    ok = lam.update_function_configuration(
        FunctionName=created["FunctionName"], Timeout=5, RevisionId=created["RevisionId"]
    )
    assert ok["Timeout"] == 5
