"""The gureum command line, and the clients users drive gureum with: the AWS CLI, the boto3
resource API, paginators and waiters.

The command's options and GUREUM_* variables are gureum's own (README "gureum serve"); the AWS
CLI and boto3 tests check that unchanged AWS tooling works against gureum as against DynamoDB.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests
from boto3.dynamodb.conditions import Attr, Key

from conftest import aws_cli, free_port, new_key, unique_name

if TYPE_CHECKING:
    from conftest import TableFactory
    from dynamodb.conftest import ClientFactory


def gureum(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gureum", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        check=False,
    )


# --- the gureum command


@pytest.mark.gureum_own
def test_help_lists_serve() -> None:
    out = gureum("--help")
    assert out.returncode == 0
    assert out.stdout.startswith("usage: gureum ")
    assert "serve" in out.stdout
    assert "--version" in out.stdout


@pytest.mark.gureum_own
@pytest.mark.parametrize(
    ("option", "variable"),
    [
        ("--host", "GUREUM_HOST"),
        ("--port", "GUREUM_PORT"),
        ("--data-dir", "GUREUM_DATA_DIR"),
        ("--in-memory", "GUREUM_IN_MEMORY"),
        ("--fsync", "GUREUM_FSYNC"),
        ("--log-level", "GUREUM_LOG_LEVEL"),
        ("--ttl-interval", "GUREUM_TTL_INTERVAL"),
        ("--ttl-change-window", "GUREUM_TTL_CHANGE_WINDOW"),
        ("--item-collection-limit", "GUREUM_ITEM_COLLECTION_LIMIT"),
        ("--shard-lifetime", "GUREUM_SHARD_LIFETIME"),
        ("--async-retry-delay", "GUREUM_ASYNC_RETRY_DELAY"),
    ],
)
def test_serve_help_documents_option_and_variable(option: str, variable: str) -> None:
    out = gureum("serve", "--help")
    assert out.returncode == 0
    # the option's entry: its line and the indented description lines below it
    entry = out.stdout.split(f"\n  {option}", 1)[1].split("\n  -", 1)[0]
    assert f"({variable}" in entry


@pytest.mark.gureum_own
def test_version() -> None:
    out = gureum("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"gureum {version('gureum')}"


@pytest.mark.gureum_own
@pytest.mark.parametrize("args", [[], ["serve", "--port", "not-a-number"], ["serve", "--bogus"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    out = gureum(*args)
    assert out.returncode == 2
    assert "usage: gureum" in out.stderr


def serve_until_healthy(args: list[str], env: dict[str, str], port: int) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "gureum", "serve", *args],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"gureum serve exited with {proc.returncode}")
        try:
            requests.get(f"http://127.0.0.1:{port}/_gureum/health", timeout=1)
            return proc
        except requests.ConnectionError:
            time.sleep(0.05)
    proc.kill()
    pytest.fail("gureum serve did not start")


@pytest.mark.gureum_own
def test_serve_reads_environment(tmp_path: Path) -> None:
    port = free_port()
    data = tmp_path / "from-env"
    proc = serve_until_healthy(
        [],
        {"GUREUM_PORT": str(port), "GUREUM_DATA_DIR": str(data), "GUREUM_HOST": "127.0.0.1"},
        port,
    )
    try:
        health = requests.get(f"http://127.0.0.1:{port}/_gureum/health", timeout=5).json()
        assert health["persistent"] is True
        assert data.is_dir() and any(data.iterdir())
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.mark.gureum_own
def test_in_memory_flag_and_variable(tmp_path: Path) -> None:
    for args, env in (
        (["--in-memory"], {}),
        ([], {"GUREUM_IN_MEMORY": "1"}),
    ):
        port = free_port()
        proc = serve_until_healthy(
            ["--port", str(port), "--data-dir", str(tmp_path / "unused"), *args], env, port
        )
        try:
            health = requests.get(f"http://127.0.0.1:{port}/_gureum/health", timeout=5).json()
            assert health["persistent"] is False
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    assert not (tmp_path / "unused").exists()


@pytest.mark.gureum_own
def test_flag_wins_over_environment(tmp_path: Path) -> None:
    port = free_port()
    proc = serve_until_healthy(
        ["--port", str(port), "--in-memory"], {"GUREUM_PORT": str(free_port())}, port
    )
    try:
        assert requests.get(f"http://127.0.0.1:{port}/_gureum/health", timeout=5).ok
    finally:
        proc.terminate()
        proc.wait(timeout=15)


# --- the AWS CLI


def aws(endpoint: str, *args: str) -> subprocess.CompletedProcess[str]:
    return aws_cli(endpoint, "dynamodb", *args)


@pytest.mark.aws_documented
def test_aws_cli_round_trip(endpoint: str, ddb: Any) -> None:
    name = unique_name("cli")
    created = aws(
        endpoint,
        "create-table",
        "--table-name",
        name,
        "--attribute-definitions",
        "AttributeName=id,AttributeType=S",
        "--key-schema",
        "AttributeName=id,KeyType=HASH",
        "--billing-mode",
        "PAY_PER_REQUEST",
    )
    try:
        assert created.returncode == 0, created.stderr
        assert json.loads(created.stdout)["TableDescription"]["TableName"] == name
        item = {"id": {"S": "u1"}, "name": {"S": "Ada"}, "n": {"N": "42"}}
        put = aws(endpoint, "put-item", "--table-name", name, "--item", json.dumps(item))
        assert (put.returncode, put.stdout.strip()) == (0, ""), put.stderr
        got = aws(endpoint, "get-item", "--table-name", name, "--key", '{"id": {"S": "u1"}}')
        assert got.returncode == 0, got.stderr
        assert json.loads(got.stdout) == {"Item": item}
        scanned = aws(endpoint, "scan", "--table-name", name)
        assert scanned.returncode == 0, scanned.stderr
        scan = json.loads(scanned.stdout)
        assert (scan["Items"], scan["Count"], scan["ScannedCount"]) == ([item], 1, 1)
        listed = aws(endpoint, "list-tables")
        assert listed.returncode == 0, listed.stderr
        assert name in json.loads(listed.stdout)["TableNames"]
    finally:
        ddb.delete_table(TableName=name)


@pytest.mark.aws_documented
def test_aws_cli_reports_service_errors(endpoint: str) -> None:
    name = unique_name("cli")
    out = aws(endpoint, "describe-table", "--table-name", name)
    assert out.returncode == 255  # AWS CLI v1: a service error exits 255
    assert (
        "An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: "
        f"Requested resource not found: Table: {name} not found"
    ) in out.stderr


# --- boto3 resource API, paginators, waiters


@pytest.mark.aws_documented
def test_resource_table_api(ddb_resource: Any, make_table: TableFactory) -> None:
    table = ddb_resource.Table(make_table("pk:S", "sk:N"))
    table.put_item(Item={"pk": "a", "sk": 1, "tags": {"x", "y"}, "doc": {"n": [1, "two", None]}})
    with table.batch_writer() as batch:
        for i in range(2, 30):
            batch.put_item(Item={"pk": "a", "sk": i, "even": i % 2 == 0})
    got = table.get_item(Key={"pk": "a", "sk": 1}, ConsistentRead=True)["Item"]
    assert got == {
        "pk": "a",
        "sk": Decimal(1),
        "tags": {"x", "y"},
        "doc": {"n": [Decimal(1), "two", None]},
    }
    evens = table.query(
        KeyConditionExpression=Key("pk").eq("a") & Key("sk").between(10, 20),
        FilterExpression=Attr("even").eq(True),
    )["Items"]
    assert [int(i["sk"]) for i in evens] == [10, 12, 14, 16, 18, 20]
    table.update_item(
        Key={"pk": "a", "sk": 1},
        UpdateExpression="ADD tags :t",
        ExpressionAttributeValues={":t": {"z"}},
    )
    assert table.get_item(Key={"pk": "a", "sk": 1})["Item"]["tags"] == {"x", "y", "z"}
    table.delete_item(Key={"pk": "a", "sk": 1})
    assert "Item" not in table.get_item(Key={"pk": "a", "sk": 1})


@pytest.mark.aws_documented
def test_validating_client(ddb_validating: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb_validating.put_item(TableName=table_s, Item={**key, "v": {"BOOL": True}})
    assert ddb_validating.get_item(TableName=table_s, Key=key)["Item"] == {
        **key,
        "v": {"BOOL": True},
    }


@pytest.mark.aws_documented
def test_list_tables_paginator(client_as: ClientFactory) -> None:
    client = client_as(f"{random.randrange(10**11, 10**12)}")
    names = sorted(unique_name() for _ in range(5))
    for name in names:
        client.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    try:
        pages = list(client.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 2}))
        assert [p["TableNames"] for p in pages] == [names[0:2], names[2:4], names[4:]]
    finally:
        for name in names:
            client.delete_table(TableName=name)


@pytest.mark.aws_documented
def test_scan_paginator(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    keys = {new_key() for _ in range(7)}
    for k in keys:
        ddb.put_item(TableName=name, Item={"p": {"S": k}})
    pages = list(
        ddb.get_paginator("scan").paginate(TableName=name, PaginationConfig={"PageSize": 3})
    )
    assert [p["Count"] for p in pages][:2] == [3, 3]
    assert {i["p"]["S"] for p in pages for i in p["Items"]} == keys


@pytest.mark.aws_documented
def test_table_exists_and_not_exists_waiters(ddb: Any) -> None:
    name = unique_name()
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.get_waiter("table_exists").wait(
        TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 10}
    )
    assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    ddb.delete_table(TableName=name)
    ddb.get_waiter("table_not_exists").wait(
        TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 10}
    )
    assert name not in ddb.list_tables()["TableNames"]


@pytest.mark.aws_documented
def test_resource_table_waiters(ddb_resource: Any) -> None:
    name = unique_name()
    table = ddb_resource.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    table.wait_until_exists()
    table.reload()
    assert table.table_status == "ACTIVE"
    assert table.item_count == 0
    table.delete()
    table.wait_until_not_exists()
