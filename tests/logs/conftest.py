"""Fixtures of the CloudWatch Logs tests: a ``logs`` client of the session server, and a
factory of log groups (deleted afterwards)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from conftest import client_kwargs, unique_name

GroupFactory = Callable[..., str]


@pytest.fixture(scope="session")
def logs(endpoint: str) -> Any:
    """A low-level boto3 CloudWatch Logs client (no client-side parameter validation)."""
    return boto3.client("logs", **client_kwargs(endpoint))


@pytest.fixture
def make_group(logs: Any) -> Iterator[GroupFactory]:
    """``make_group(*streams, **CreateLogGroup parameters)``: a log group with these streams;
    returns its name."""
    created: list[str] = []

    def create(*streams: str, **extra: Any) -> str:
        name = extra.pop("logGroupName", None) or f"/gureum/test/{unique_name('g')}"
        logs.create_log_group(logGroupName=name, **extra)
        created.append(name)
        for stream in streams:
            logs.create_log_stream(logGroupName=name, logStreamName=stream)
        return name

    yield create
    for name in created:
        with contextlib.suppress(logs.exceptions.ResourceNotFoundException):
            logs.delete_log_group(logGroupName=name)


def now_ms() -> int:
    return int(time.time() * 1000)
