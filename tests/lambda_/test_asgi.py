"""Lambda's REST-JSON operations through the ASGI adapter (under uvicorn)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
import requests

from conftest import client_kwargs
from lambda_.conftest import create_function, make_zip

pytestmark = pytest.mark.gureum_own


def test_function_round_trip(uvicorn_endpoint: str) -> None:
    lam: Any = boto3.client("lambda", **client_kwargs(uvicorn_endpoint))
    package = make_zip()
    created = create_function(
        lam,
        FunctionName="asgi-fn",
        Code={"ZipFile": package},
    )
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    got = lam.get_function(FunctionName=created["FunctionArn"])
    assert requests.get(got["Code"]["Location"], timeout=5).content == package
    assert [f["FunctionName"] for f in lam.list_functions(MaxItems=5)["Functions"]] == ["asgi-fn"]
    assert lam.delete_function(FunctionName="asgi-fn")["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(lam.exceptions.ResourceNotFoundException):
        lam.get_function(FunctionName="asgi-fn")


def test_invoke_calls_back(uvicorn_endpoint: str) -> None:
    """An Invoke is awaited without blocking the server: the function's own SDK call to
    gureum is served meanwhile."""
    lam: Any = boto3.client("lambda", **client_kwargs(uvicorn_endpoint))
    source = (
        "import boto3\n"
        "def handler(event, context):\n"
        "    return boto3.client('dynamodb').list_tables()['TableNames']\n"
    )
    create_function(
        lam,
        FunctionName="asgi-invoke",
        Code={"ZipFile": make_zip(source)},
        Timeout=30,
    )
    response = lam.invoke(FunctionName="asgi-invoke")
    assert "FunctionError" not in response
    assert response["Payload"].read() == b"[]"
    lam.delete_function(FunctionName="asgi-invoke")
