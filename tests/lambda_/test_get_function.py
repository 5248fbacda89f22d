"""GetFunction, GetFunctionConfiguration and the waiters built on them."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from conftest import error_of
from lambda_.conftest import FunctionFactory, make_zip

pytestmark = pytest.mark.aws_documented


def test_get_function(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    created.pop("ResponseMetadata")
    response = lam.get_function(FunctionName=created["FunctionName"])
    assert response["Configuration"] == created
    assert response["Code"]["RepositoryType"] == "S3"
    assert "Tags" not in response


@pytest.mark.gureum_own
def test_code_location_returns_the_package(lam: Any, make_function: FunctionFactory) -> None:
    package = make_zip("def handler(e, c):\n    return 1\n")
    name = make_function(Code={"ZipFile": package})["FunctionName"]
    location = lam.get_function(FunctionName=name)["Code"]["Location"]
    reply = requests.get(location, timeout=5)
    assert reply.status_code == 200
    assert reply.content == package


def test_by_arn_and_partial_arn(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function()
    name, arn = created["FunctionName"], created["FunctionArn"]
    assert lam.get_function(FunctionName=arn)["Configuration"]["FunctionName"] == name
    partial = f"000000000000:function:{name}"
    assert lam.get_function_configuration(FunctionName=partial)["FunctionArn"] == arn
    latest = lam.get_function_configuration(FunctionName=name, Qualifier="$LATEST")
    assert latest["Version"] == "$LATEST"


def test_get_function_configuration(lam: Any, make_function: FunctionFactory) -> None:
    created = make_function(Timeout=30)
    created.pop("ResponseMetadata")
    response = lam.get_function_configuration(FunctionName=created["FunctionName"])
    response.pop("ResponseMetadata")
    assert response == created


@pytest.mark.parametrize("operation", ["get_function", "get_function_configuration"])
def test_missing_function(lam: Any, operation: str) -> None:
    with pytest.raises(lam.exceptions.ResourceNotFoundException) as exc:
        getattr(lam, operation)(FunctionName="no-such-function")
    assert error_of(exc) == (
        "ResourceNotFoundException",
        "Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function",
    )
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_waiters_return_at_once(lam: Any, make_function: FunctionFactory) -> None:
    name = make_function()["FunctionName"]
    lam.get_waiter("function_active_v2").wait(FunctionName=name)
    lam.get_waiter("function_updated_v2").wait(FunctionName=name)
    lam.get_waiter("function_exists").wait(FunctionName=name)
