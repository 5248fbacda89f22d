"""``gureum logs FUNCTION`` prints a function's log from a running gureum."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import pytest

from lambda_.conftest import FunctionFactory, make_zip

SOURCE = "def handler(event, context):\n    print('logged by', context.function_name)\n"


def gureum_logs(*args: str, endpoint: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gureum", "logs", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "GUREUM_ENDPOINT": endpoint},
        check=False,
    )


@pytest.mark.gureum_own
def test_prints_the_invocations(endpoint: str, lam: Any, make_function: FunctionFactory) -> None:
    name = make_function(Code={"ZipFile": make_zip(SOURCE)})["FunctionName"]
    response = lam.invoke(FunctionName=name)
    request_id = response["ResponseMetadata"]["RequestId"]
    out = gureum_logs(name, endpoint=endpoint)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    # each line: the event's time (ISO 8601, milliseconds, UTC), a space, the message
    stamps, messages = zip(*(line.split(" ", 1) for line in lines), strict=True)
    assert all(len(s) == 24 and s.endswith("Z") for s in stamps)
    assert messages[:3] == (
        f"START RequestId: {request_id} Version: $LATEST",
        f"logged by {name}",
        f"END RequestId: {request_id}",
    )
    assert messages[3].startswith(f"REPORT RequestId: {request_id}")


@pytest.mark.gureum_own
def test_follow_prints_later_invocations(
    endpoint: str, lam: Any, make_function: FunctionFactory
) -> None:
    name = make_function(Code={"ZipFile": make_zip(SOURCE)})["FunctionName"]
    follower = subprocess.Popen(
        [sys.executable, "-m", "gureum", "logs", name, "--follow"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "GUREUM_ENDPOINT": endpoint},
    )
    try:
        time.sleep(1.0)  # following a function not invoked yet
        lam.invoke(FunctionName=name)
        assert follower.stdout is not None
        first = follower.stdout.readline()
        assert first.split(" ", 1)[1].startswith("START RequestId: ")
        assert follower.stdout.readline().split(" ", 1)[1] == f"logged by {name}\n"
    finally:
        follower.terminate()
        follower.communicate(timeout=10)


@pytest.mark.gureum_own
def test_a_function_without_a_log(endpoint: str) -> None:
    out = gureum_logs("never-invoked", endpoint=endpoint)
    assert out.returncode == 1
    assert out.stderr == "gureum logs: no log yet for function never-invoked\n"


@pytest.mark.gureum_own
def test_help_names_the_options_and_variables(endpoint: str) -> None:
    out = gureum_logs("--help", endpoint=endpoint)
    assert out.returncode == 0
    for text in ("FUNCTION", "--follow", "--since SECONDS", "GUREUM_ENDPOINT", "AWS_REGION"):
        assert text in out.stdout
