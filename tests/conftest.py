"""Fixtures: a real gureum process per test session, and boto3 clients pointed at it.

Every test talks to gureum over HTTP, as a user's code would. The session server keeps its
data in a temporary folder; tests that need restarts start servers of their own
(:class:`GureumProcess`).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config

CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# A ``sitecustomize`` module (Python imports it at startup) that moves ``time.time`` by
# ``{offset}`` seconds: gureum's wall clock, in that process only.
_SHIFTED_CLOCK = "import time as _t\n_real = _t.time\n_t.time = lambda: _real() + {offset!r}\n"


class GureumProcess:
    """``gureum serve`` in a subprocess, on a free port.

    ``clock_offset`` runs the server with its wall clock (``time.time``) that many seconds
    ahead (or behind, if negative) of the real one: how tests reach behaviour that takes
    minutes or days, on data written by a server on the real clock."""

    def __init__(
        self,
        data_dir: Path | None,
        extra_args: list[str] | None = None,
        clock_offset: float = 0.0,
    ) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.extra_args = extra_args or []
        self.clock_offset = clock_offset
        self.proc: subprocess.Popen[bytes] | None = None
        self.clients: list[Any] = []
        self._site: tempfile.TemporaryDirectory[str] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> float:
        """Start and wait until the health endpoint answers; returns the startup time."""
        args = [sys.executable, "-m", "gureum", "serve", "--port", str(self.port)]
        args += ["--in-memory"] if self.data_dir is None else ["--data-dir", str(self.data_dir)]
        started = time.monotonic()
        self.proc = subprocess.Popen(args + self.extra_args, env=self._environment())
        deadline = started + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gureum exited with {self.proc.returncode}")
            try:
                requests.get(f"{self.endpoint}/_gureum/health", timeout=1)
                return time.monotonic() - started
            except requests.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError("gureum did not start in time")

    def _environment(self) -> dict[str, str]:
        env = {**os.environ}
        if self.clock_offset:
            if self._site is None:
                self._site = tempfile.TemporaryDirectory(prefix="gureum-clock-")
                module = _SHIFTED_CLOCK.format(offset=float(self.clock_offset))
                (Path(self._site.name) / "sitecustomize.py").write_text(module)
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [self._site.name, env.get("PYTHONPATH")])
            )
        return env

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=15)
        self._release()

    def kill(self) -> None:
        """SIGKILL: a crash, no clean shutdown."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=15)
        self._release()

    def client(self, service: str = "dynamodb", **kwargs: Any) -> Any:
        client = boto3.client(service, **client_kwargs(self.endpoint, **kwargs))
        self.clients.append(client)
        return client

    def _release(self) -> None:
        """Close the clients' pooled connections to the stopped server now (left to the
        garbage collector, their sockets raise ResourceWarning in whatever test runs then),
        and remove the shifted clock's module."""
        for client in self.clients:
            client.close()
        self.clients.clear()
        if self._site is not None:
            self._site.cleanup()
            self._site = None


def aws_cli(endpoint: str, service: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The AWS CLI (installed with the test dependencies) against gureum, isolated from the
    user's own AWS configuration."""
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_PAGER": "",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    command = [str(Path(sys.executable).with_name("aws")), "--endpoint-url", endpoint]
    return subprocess.run(
        [*command, "--output", "json", service, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def client_kwargs(endpoint: str, **overrides: Any) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "endpoint_url": endpoint,
        "region_name": REGION,
        "config": Config(retries={"max_attempts": 0}, parameter_validation=False),
        **CREDENTIALS,
    }
    kwargs.update(overrides)
    return kwargs


@pytest.fixture(scope="session")
def gureum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GureumProcess]:
    server = GureumProcess(tmp_path_factory.mktemp("gureum-data"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def endpoint(gureum: GureumProcess) -> str:
    return gureum.endpoint


@pytest.fixture(scope="session")
def ddb(endpoint: str) -> Any:
    """A low-level boto3 DynamoDB client without client-side parameter validation, so that
    the server's own validation is what is tested."""
    return boto3.client("dynamodb", **client_kwargs(endpoint))


@pytest.fixture(scope="session")
def ddb_validating(endpoint: str) -> Any:
    """A boto3 client exactly as users create it (with client-side validation)."""
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)


@pytest.fixture(scope="session")
def ddb_resource(endpoint: str) -> Any:
    return boto3.resource("dynamodb", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)


def unique_name(prefix: str = "t") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


TableFactory = Callable[..., str]


def create_table(
    ddb: Any, hash_key: str = "p:S", range_key: str | None = None, **extra: Any
) -> str:
    """CreateTable (on demand) with hash key and optional range key given as ``name:type``;
    extra CreateTable parameters as keywords (``ExtraAttributes``: more ``name:type``
    definitions). Returns the table's name (a new one unless ``TableName`` is given)."""
    name = extra.pop("TableName", None) or unique_name()
    keys = [(hash_key, "HASH")] + ([(range_key, "RANGE")] if range_key else [])
    definitions = {k.split(":")[0]: k.split(":")[1] for k, _ in keys}
    for d in extra.pop("ExtraAttributes", []):
        definitions[d.split(":")[0]] = d.split(":")[1]
    params: dict[str, Any] = {
        "TableName": name,
        "KeySchema": [{"AttributeName": k.split(":")[0], "KeyType": t} for k, t in keys],
        "AttributeDefinitions": [
            {"AttributeName": n, "AttributeType": t} for n, t in definitions.items()
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }
    params.update(extra)
    ddb.create_table(**params)
    return name


@pytest.fixture
def make_table(ddb: Any) -> Iterator[TableFactory]:
    """Create tables for one test (deleted afterwards): :func:`create_table`'s arguments."""
    created: list[str] = []

    def create(hash_key: str = "p:S", range_key: str | None = None, **extra: Any) -> str:
        name = create_table(ddb, hash_key, range_key, **extra)
        created.append(name)
        return name

    yield create
    for name in created:
        try:
            ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
            ddb.delete_table(TableName=name)
        except ddb.exceptions.ResourceNotFoundException:
            pass


@pytest.fixture(scope="session")
def table_s(ddb: Any) -> Iterator[str]:
    """A shared table with a string partition key ``p``."""
    name = unique_name("s")
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield name
    ddb.delete_table(TableName=name)


@pytest.fixture(scope="session")
def table_sn(ddb: Any) -> Iterator[str]:
    """A shared table with string partition key ``p`` and number sort key ``c``."""
    name = unique_name("sn")
    ddb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "p", "KeyType": "HASH"},
            {"AttributeName": "c", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "p", "AttributeType": "S"},
            {"AttributeName": "c", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    yield name
    ddb.delete_table(TableName=name)


@pytest.fixture(scope="session")
def table_ss(ddb: Any) -> Iterator[str]:
    """A shared table with string partition key ``p`` and string sort key ``c``."""
    name = unique_name("ss")
    ddb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "p", "KeyType": "HASH"},
            {"AttributeName": "c", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "p", "AttributeType": "S"},
            {"AttributeName": "c", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    yield name
    ddb.delete_table(TableName=name)


def error_of(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str]:
    """(code, message) of a botocore ClientError."""
    err = excinfo.value.response["Error"]
    return err["Code"], err["Message"]


def error_with_status(excinfo: pytest.ExceptionInfo[Any]) -> tuple[str, str, int]:
    """(code, message, HTTP status) of a botocore ClientError."""
    response = excinfo.value.response
    status: int = response["ResponseMetadata"]["HTTPStatusCode"]
    return response["Error"]["Code"], response["Error"]["Message"], status


def new_key() -> str:
    return uuid.uuid4().hex


@pytest.fixture(scope="session")
def uvicorn_endpoint() -> Iterator[str]:
    """gureum as an ASGI application under uvicorn (in memory), for the ASGI adapter's tests."""
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
