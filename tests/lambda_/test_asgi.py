"""Lambda's REST-JSON operations through the ASGI adapter (under uvicorn)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests

from conftest import client_kwargs, free_port
from lambda_.conftest import ROLE, make_zip

pytestmark = pytest.mark.gureum_own


@pytest.fixture(scope="module")
def uvicorn_endpoint() -> Iterator[str]:
    port = free_port()
    # GUREUM_PORT: the address functions' SDK calls come back to
    env = {**os.environ, "GUREUM_IN_MEMORY": "1", "GUREUM_PORT": str(port)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "gureum.app:asgi_app", "--port", str(port),
         "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            requests.get(f"{endpoint}/_gureum/health", timeout=1)
            break
        except requests.ConnectionError:
            time.sleep(0.05)
    yield endpoint
    proc.terminate()
    proc.wait(timeout=15)


def test_function_round_trip(uvicorn_endpoint: str) -> None:
    lam: Any = boto3.client("lambda", **client_kwargs(uvicorn_endpoint))
    package = make_zip()
    created = lam.create_function(
        FunctionName="asgi-fn",
        Runtime="python3.12",
        Role=ROLE,
        Handler="app.handler",
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
    lam.create_function(
        FunctionName="asgi-invoke",
        Runtime="python3.12",
        Role=ROLE,
        Handler="app.handler",
        Code={"ZipFile": make_zip(source)},
        Timeout=30,
    )
    response = lam.invoke(FunctionName="asgi-invoke")
    assert "FunctionError" not in response
    assert response["Payload"].read() == b"[]"
    lam.delete_function(FunctionName="asgi-invoke")
