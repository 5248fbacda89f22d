"""Persistence: tables and items survive a clean restart, and a crash (SIGKILL) right after
acknowledged writes loses none of them.

Each test runs gureum servers of its own on a temporary data folder (README: "Data is kept in
SQLite under --data-dir and survives restarts"; "A crash of the process loses no acknowledged
write").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import GureumProcess, error_of

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.gureum_own


class Servers:
    """Starts gureum processes on one data folder (None: in memory) and stops them all."""

    def __init__(self, data_dir: Path | None, extra: list[str] | None = None) -> None:
        self.data_dir = data_dir
        self.extra = extra
        self.started: list[GureumProcess] = []

    def start(self) -> GureumProcess:
        server = GureumProcess(self.data_dir, self.extra)
        server.start()
        self.started.append(server)
        return server

    def close(self) -> None:
        for server in self.started:
            server.kill()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    pool = Servers(tmp_path / "data")
    yield pool
    pool.close()


def create_tables(client: Any) -> None:
    client.create_table(
        TableName="users",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "email", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-email",
                "KeySchema": [{"AttributeName": "email", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        Tags=[{"Key": "team", "Value": "core"}],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        DeletionProtectionEnabled=True,
    )
    client.create_table(
        TableName="events",
        KeySchema=[
            {"AttributeName": "p", "KeyType": "HASH"},
            {"AttributeName": "t", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "p", "AttributeType": "S"},
            {"AttributeName": "t", "AttributeType": "N"},
        ],
        ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 2},
    )


def scan_all(client: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in client.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        items.extend(page["Items"])
    return sorted(items, key=lambda i: str(sorted(i.items())))


def test_clean_restart_keeps_tables_and_items(servers: Servers) -> None:
    first = servers.start()
    client = first.client()
    create_tables(client)
    client.put_item(
        TableName="users",
        Item={
            "id": {"S": "u1"},
            "email": {"S": "a@b"},
            "n": {"N": "1.50"},
            "b": {"B": b"\x00\xff"},
        },
    )
    for t in range(30):
        client.put_item(TableName="events", Item={"p": {"S": "e"}, "t": {"N": str(t)}})
    described = {
        name: client.describe_table(TableName=name)["Table"] for name in ("users", "events")
    }
    users_arn = described["users"]["TableArn"]
    first.stop()

    client = servers.start().client()
    assert client.list_tables()["TableNames"] == ["events", "users"]
    for name, before in described.items():
        after = client.describe_table(TableName=name)["Table"]
        for member in (
            "TableArn",
            "TableId",
            "CreationDateTime",
            "KeySchema",
            "AttributeDefinitions",
            "ProvisionedThroughput",
            "DeletionProtectionEnabled",
        ):
            assert after[member] == before[member], (name, member)
    users = client.describe_table(TableName="users")["Table"]
    assert users["GlobalSecondaryIndexes"][0]["IndexName"] == "by-email"
    assert users["LatestStreamArn"] == described["users"]["LatestStreamArn"]
    assert client.list_tags_of_resource(ResourceArn=users_arn)["Tags"] == [
        {"Key": "team", "Value": "core"}
    ]
    assert client.get_item(TableName="users", Key={"id": {"S": "u1"}})["Item"] == {
        "id": {"S": "u1"},
        "email": {"S": "a@b"},
        "n": {"N": "1.5"},
        "b": {"B": b"\x00\xff"},
    }
    assert [int(i["t"]["N"]) for i in scan_all(client, "events")] == sorted(range(30), key=str)
    with pytest.raises(ClientError) as excinfo:
        client.delete_table(TableName="users")
    assert error_of(excinfo)[0] == "ValidationException"  # deletion protection survived


def test_sigkill_loses_no_acknowledged_write(servers: Servers) -> None:
    first = servers.start()
    client = first.client()
    create_tables(client)
    expected: dict[str, dict[str, Any]] = {}
    for i in range(200):
        item = {"p": {"S": f"k{i % 7}"}, "t": {"N": str(i)}, "v": {"S": "x" * (i % 50)}}
        client.put_item(TableName="events", Item=item)
        expected[f"k{i % 7}/{i}"] = item
    for i in range(0, 200, 3):
        out = client.update_item(
            TableName="events",
            Key={"p": {"S": f"k{i % 7}"}, "t": {"N": str(i)}},
            UpdateExpression="SET u = :u",
            ExpressionAttributeValues={":u": {"N": str(i * 2)}},
            ReturnValues="ALL_NEW",
        )
        expected[f"k{i % 7}/{i}"] = out["Attributes"]
    for i in range(1, 200, 5):
        client.delete_item(TableName="events", Key={"p": {"S": f"k{i % 7}"}, "t": {"N": str(i)}})
        del expected[f"k{i % 7}/{i}"]
    batch = [{"p": {"S": "batch"}, "t": {"N": str(i)}} for i in range(25)]
    client.batch_write_item(RequestItems={"events": [{"PutRequest": {"Item": i}} for i in batch]})
    expected.update({f"batch/{i}": item for i, item in enumerate(batch)})
    client.update_table(TableName="users", DeletionProtectionEnabled=False)
    client.delete_table(TableName="users")
    first.kill()  # the last write was acknowledged; no clean shutdown

    client = servers.start().client()
    assert client.list_tables()["TableNames"] == ["events"]
    got = {f"{i['p']['S']}/{i['t']['N']}": i for i in scan_all(client, "events")}
    assert got == expected


def test_sigkill_right_after_create_table(servers: Servers) -> None:
    first = servers.start()
    client = first.client()
    create_tables(client)
    client.put_item(TableName="events", Item={"p": {"S": "last"}, "t": {"N": "1"}})
    first.kill()
    client = servers.start().client()
    assert client.get_item(
        TableName="events", Key={"p": {"S": "last"}, "t": {"N": "1"}}, ConsistentRead=True
    )["Item"] == {"p": {"S": "last"}, "t": {"N": "1"}}


def test_two_restarts_in_a_row(servers: Servers) -> None:
    client = servers.start().client()
    create_tables(client)
    for round_ in range(3):
        client.put_item(TableName="events", Item={"p": {"S": "r"}, "t": {"N": str(round_)}})
        servers.started[-1].kill()
        client = servers.start().client()
    assert [i["t"]["N"] for i in scan_all(client, "events")] == ["0", "1", "2"]


def test_in_memory_keeps_nothing(tmp_path: Path) -> None:
    pool = Servers(None)
    try:
        client = pool.start().client()
        create_tables(client)
        pool.started[-1].stop()
        client = pool.start().client()
        assert client.list_tables()["TableNames"] == []
    finally:
        pool.close()
    assert list(tmp_path.iterdir()) == []
