"""Fixtures of the Lambda tests: a ``lambda`` client of the session server, deployment
packages, and a factory of functions deleted after each test."""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from conftest import client_kwargs, unique_name

ROLE = "arn:aws:iam::000000000000:role/lambda-role"
FunctionFactory = Callable[..., dict[str, Any]]


def make_zip(source: str = "def handler(event, context):\n    return event\n") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", source)
    return buffer.getvalue()


def create_function(lam: Any, **params: Any) -> dict[str, Any]:
    """CreateFunction with defaults for the members a test does not care about (a new name,
    python3.12, ``app.handler`` of :func:`make_zip`'s echo)."""
    request: dict[str, Any] = {
        "FunctionName": unique_name("fn"),
        "Runtime": "python3.12",
        "Role": ROLE,
        "Handler": "app.handler",
        "Code": {"ZipFile": make_zip()},
        **params,
    }
    response: dict[str, Any] = lam.create_function(**request)
    return response


@pytest.fixture(scope="session")
def lam(endpoint: str) -> Any:
    """A low-level boto3 Lambda client (no client-side parameter validation)."""
    return boto3.client("lambda", **client_kwargs(endpoint))


@pytest.fixture
def make_function(lam: Any) -> Iterator[FunctionFactory]:
    """``make_function(**params)``: CreateFunction with defaults for the required members;
    returns the response. Functions are deleted after the test."""
    created: list[str] = []

    def create(**params: Any) -> dict[str, Any]:
        params.setdefault("FunctionName", unique_name("fn"))
        response = create_function(lam, **params)
        created.append(params["FunctionName"])
        return response

    yield create
    for name in created:
        with contextlib.suppress(lam.exceptions.ResourceNotFoundException):
            lam.delete_function(FunctionName=name)
