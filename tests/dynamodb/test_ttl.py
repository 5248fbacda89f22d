"""Time to Live: UpdateTimeToLive, DescribeTimeToLive and the deletion of expired items.

Sources: the API reference (UpdateTimeToLive: "Any additional UpdateTimeToLive calls for the same
table during this one hour duration result in a ValidationException"; "Items that have expired
and not been deleted will still show up in reads, queries, and scans"; deleted items "are removed
from any local secondary index and global secondary index"; TimeToLiveSpecification's
AttributeName of 1 to 255 characters); the developer guide, "Using DynamoDB Time to Live" (a
top-level Number of epoch seconds, no more than five years in the past; other types are
ignored); [alternator] scylladb test/alternator/test_ttl.py (written to pass on DynamoDB: status
ENABLED at once, DISABLED without AttributeName, number formats); [ack-lab] ack-api-quirks
DynamoDB lab notes (live AWS probes 2026-10-08/09: DDB-TABLE-143..147 and 115 for the error texts,
the cooldown, the order of checks and ENABLING/DISABLING never being observed).

The sweep interval (--ttl-interval) and the change window (--ttl-change-window) are gureum's
own; tests of the sweep start servers of their own with short ones.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import GureumProcess, error_of, new_key, unique_name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from conftest import TableFactory

ATTRIBUTE_TOO_LONG = "Member must have length less than or equal to 255"
CHANGED_RECENTLY = "Time to live has been modified multiple times within a fixed interval"
FIVE_YEARS = 5 * 365 * 24 * 3600


def update_ttl(ddb: Any, table: str, enabled: bool, attribute: str = "expires") -> Any:
    return ddb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": enabled, "AttributeName": attribute}
    )


def ttl_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.update_time_to_live(**params)
    return error_of(excinfo)


def describe_ttl(ddb: Any, table: str) -> dict[str, Any]:
    description: dict[str, Any] = ddb.describe_time_to_live(TableName=table)[
        "TimeToLiveDescription"
    ]
    return description


def create_table(ddb: Any, *keys: str, **extra: Any) -> str:
    """A table on another server than the session's (``make_table`` uses the session's)."""
    name = unique_name("ttl")
    schema = [(k, t) for k, t in zip(keys, ("HASH", "RANGE"), strict=False)]
    definitions = {k.split(":")[0]: k.split(":")[1] for k, _ in schema}
    for d in extra.pop("ExtraAttributes", []):
        definitions[d.split(":")[0]] = d.split(":")[1]
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": k.split(":")[0], "KeyType": t} for k, t in schema],
        AttributeDefinitions=[
            {"AttributeName": n, "AttributeType": t} for n, t in definitions.items()
        ],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )
    return name


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def present(ddb: Any, table: str, key: dict[str, Any]) -> bool:
    return "Item" in ddb.get_item(TableName=table, Key=key, ConsistentRead=True)


def keys_of(ddb: Any, table: str) -> set[str]:
    items = ddb.scan(TableName=table, ConsistentRead=True)["Items"]
    return {item["p"]["S"] for item in items}


@pytest.fixture(scope="module")
def fast() -> Iterator[Any]:
    """A client of a server sweeping every 0.2 s and allowing TTL changes at once."""
    server = GureumProcess(None, ["--ttl-interval", "0.2", "--ttl-change-window", "0"])
    server.start()
    yield server.client()
    server.stop()


@pytest.fixture(scope="module")
def slow() -> Iterator[Any]:
    """A client of a server whose first sweep is an hour away."""
    server = GureumProcess(None, ["--ttl-interval", "3600"])
    server.start()
    yield server.client()
    server.stop()


# --- DescribeTimeToLive and UpdateTimeToLive


@pytest.mark.aws_documented
def test_describe_table_never_configured(ddb: Any, make_table: TableFactory) -> None:
    out = ddb.describe_time_to_live(TableName=make_table())
    out.pop("ResponseMetadata")
    assert out == {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}


@pytest.mark.aws_documented
def test_enable_answers_the_specification_and_is_enabled_at_once(
    ddb: Any, make_table: TableFactory
) -> None:
    table = make_table()
    out = update_ttl(ddb, table, True, "expires")
    out.pop("ResponseMetadata")
    assert out == {"TimeToLiveSpecification": {"Enabled": True, "AttributeName": "expires"}}
    assert describe_ttl(ddb, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


@pytest.mark.aws_documented
def test_table_named_by_arn(ddb: Any, make_table: TableFactory) -> None:
    table = make_table()
    arn = ddb.describe_table(TableName=table)["Table"]["TableArn"]
    update_ttl(ddb, arn, True)
    assert describe_ttl(ddb, arn)["TimeToLiveStatus"] == "ENABLED"
    assert describe_ttl(ddb, table)["TimeToLiveStatus"] == "ENABLED"


@pytest.mark.aws_documented
def test_key_attribute_accepted(ddb: Any, make_table: TableFactory) -> None:
    table = make_table("p:N")
    update_ttl(ddb, table, True, "p")
    assert describe_ttl(ddb, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "p"}


@pytest.mark.aws_documented
def test_enable_when_enabled(ddb: Any, make_table: TableFactory) -> None:
    table = make_table()
    update_ttl(ddb, table, True, "expires")
    spec = {"Enabled": True, "AttributeName": "expires"}
    assert ttl_error(ddb, TableName=table, TimeToLiveSpecification=spec) == (
        "ValidationException",
        "TimeToLive is already enabled",
    )
    other = {"Enabled": True, "AttributeName": "other"}
    assert ttl_error(ddb, TableName=table, TimeToLiveSpecification=other) == (
        "ValidationException",
        "TimeToLive is active on a different AttributeName: current AttributeName is expires",
    )
    assert describe_ttl(ddb, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


@pytest.mark.aws_documented
def test_disable_when_never_enabled(ddb: Any, make_table: TableFactory) -> None:
    spec = {"Enabled": False, "AttributeName": "expires"}
    assert ttl_error(ddb, TableName=make_table(), TimeToLiveSpecification=spec) == (
        "ValidationException",
        "TimeToLive is already disabled",
    )


@pytest.mark.aws_documented
def test_disable_names_another_attribute(ddb: Any, make_table: TableFactory) -> None:
    table = make_table()
    update_ttl(ddb, table, True, "expires")
    spec = {"Enabled": False, "AttributeName": "dog"}
    assert ttl_error(ddb, TableName=table, TimeToLiveSpecification=spec) == (
        "ValidationException",
        "TimeToLive is active on a different AttributeName: current AttributeName is expires",
    )


@pytest.mark.aws_documented
def test_second_change_within_the_hour(ddb: Any, make_table: TableFactory) -> None:
    table = make_table()
    update_ttl(ddb, table, True, "expires")
    spec = {"Enabled": False, "AttributeName": "expires"}
    assert ttl_error(ddb, TableName=table, TimeToLiveSpecification=spec) == (
        "ValidationException",
        CHANGED_RECENTLY,
    )
    assert describe_ttl(ddb, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}


@pytest.mark.aws_documented
@pytest.mark.parametrize("operation", ["update_time_to_live", "describe_time_to_live"])
def test_missing_table(ddb: Any, operation: str) -> None:
    name = unique_name()
    params: dict[str, Any] = {"TableName": name}
    if operation == "update_time_to_live":
        params["TimeToLiveSpecification"] = {"Enabled": True, "AttributeName": "expires"}
    with pytest.raises(ClientError) as excinfo:
        getattr(ddb, operation)(**params)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {name} not found",
    )


@pytest.mark.aws_documented
def test_attribute_name_too_long(ddb: Any, make_table: TableFactory) -> None:
    name = "x" * 256
    spec = {"Enabled": True, "AttributeName": name}
    assert ttl_error(ddb, TableName=make_table(), TimeToLiveSpecification=spec) == (
        "ValidationException",
        f"1 validation error detected: Value '{name}' at 'timeToLiveSpecification.attributeName' "
        f"failed to satisfy constraint: {ATTRIBUTE_TOO_LONG}",
    )


@pytest.mark.aws_documented
def test_attribute_name_empty(ddb: Any, make_table: TableFactory) -> None:
    spec = {"Enabled": True, "AttributeName": ""}
    # [gureum] the front end's constraint text (boto3 refuses an empty name client-side)
    assert ttl_error(ddb, TableName=make_table(), TimeToLiveSpecification=spec) == (
        "ValidationException",
        "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' "
        "failed to satisfy constraint: Member must have length greater than or equal to 1",
    )


@pytest.mark.aws_documented
@pytest.mark.parametrize("member", ["AttributeName", "Enabled"])
def test_specification_member_missing(ddb: Any, make_table: TableFactory, member: str) -> None:
    spec: dict[str, Any] = {"Enabled": True, "AttributeName": "expires"}
    del spec[member]
    path = f"timeToLiveSpecification.{member[0].lower()}{member[1:]}"
    assert ttl_error(ddb, TableName=make_table(), TimeToLiveSpecification=spec) == (
        "ValidationException",
        f"1 validation error detected: Value null at '{path}' failed to satisfy constraint: "
        "Member must not be null",
    )


@pytest.mark.gureum_own
def test_disable_then_enable_another_attribute(fast: Any) -> None:
    table = create_table(fast, "p:S")
    update_ttl(fast, table, True, "expires")
    out = update_ttl(fast, table, False, "expires")
    assert out["TimeToLiveSpecification"] == {"Enabled": False, "AttributeName": "expires"}
    assert describe_ttl(fast, table) == {"TimeToLiveStatus": "DISABLED"}
    spec = {"Enabled": False, "AttributeName": "expires"}
    assert ttl_error(fast, TableName=table, TimeToLiveSpecification=spec) == (
        "ValidationException",
        "TimeToLive is already disabled",
    )
    update_ttl(fast, table, True, "other")
    assert describe_ttl(fast, table) == {"TimeToLiveStatus": "ENABLED", "AttributeName": "other"}


@pytest.mark.gureum_own
def test_setting_and_change_window_survive_restart(tmp_path: Path) -> None:
    server = GureumProcess(tmp_path / "data")
    server.start()
    try:
        client = server.client()
        table = create_table(client, "p:S")
        update_ttl(client, table, True, "expires")
    finally:
        server.stop()
    server.start()
    try:
        client = server.client()
        assert describe_ttl(client, table) == {
            "TimeToLiveStatus": "ENABLED",
            "AttributeName": "expires",
        }
        spec = {"Enabled": False, "AttributeName": "expires"}
        assert ttl_error(client, TableName=table, TimeToLiveSpecification=spec) == (
            "ValidationException",
            CHANGED_RECENTLY,
        )
    finally:
        server.stop()


# --- expiry


@pytest.mark.aws_documented
def test_expired_items_are_deleted_and_others_kept(fast: Any) -> None:
    table = create_table(fast, "p:S")
    now = int(time.time())
    # an item expired before TTL was enabled is deleted too
    fast.put_item(TableName=table, Item={"p": {"S": "before"}, "expires": {"N": str(now - 60)}})
    update_ttl(fast, table, True, "expires")
    expiring = {
        "past": {"N": str(now - 60)},
        "exponent": {"N": f"{(now - 60) // 10}e1"},
        "fraction": {"N": f"{time.time() - 60:.4f}"},
        "soon": {"N": str(now + 2)},
    }
    kept = {
        "future": {"N": str(now + 3600)},
        "ancient": {"N": "162777600"},  # more than five years in the past
        "string": {"S": str(now - 60)},
        "set": {"NS": [str(now - 60)]},
        "list": {"L": [{"N": str(now - 60)}]},
        "nested": {"M": {"expires": {"N": str(now - 60)}}},
        "bool": {"BOOL": True},
    }
    for name, value in {**expiring, **kept}.items():
        fast.put_item(TableName=table, Item={"p": {"S": name}, "expires": value})
    fast.put_item(TableName=table, Item={"p": {"S": "none"}, "other": {"N": str(now - 60)}})
    assert wait_until(lambda: keys_of(fast, table) == {*kept, "none"})
    time.sleep(1)  # several more sweeps leave the others alone
    assert keys_of(fast, table) == {*kept, "none"}


@pytest.mark.aws_documented
def test_five_year_boundary(fast: Any) -> None:
    table = create_table(fast, "p:S")
    update_ttl(fast, table, True, "expires")
    now = int(time.time())
    fast.put_item(
        TableName=table,
        Item={"p": {"S": "recent"}, "expires": {"N": str(now - FIVE_YEARS + 3600)}},
    )
    fast.put_item(
        TableName=table,
        Item={"p": {"S": "too-old"}, "expires": {"N": str(now - FIVE_YEARS - 86400 * 30)}},
    )
    fast.put_item(TableName=table, Item={"p": {"S": "negative"}, "expires": {"N": "-1"}})
    assert wait_until(lambda: keys_of(fast, table) == {"too-old", "negative"})


@pytest.mark.aws_documented
def test_table_with_sort_key(fast: Any) -> None:
    table = create_table(fast, "p:S", "c:N")
    update_ttl(fast, table, True, "expires")
    now = int(time.time())
    for c in range(5):
        expires = now - 10 if c % 2 == 0 else now + 3600
        fast.put_item(
            TableName=table,
            Item={"p": {"S": "a"}, "c": {"N": str(c)}, "expires": {"N": str(expires)}},
        )

    def sorts() -> list[int]:
        items = fast.query(
            TableName=table,
            KeyConditionExpression="p = :p",
            ExpressionAttributeValues={":p": {"S": "a"}},
            ConsistentRead=True,
        )["Items"]
        return [int(i["c"]["N"]) for i in items]

    assert wait_until(lambda: sorts() == [1, 3])


@pytest.mark.aws_documented
def test_ttl_on_the_key_attribute(fast: Any) -> None:
    table = create_table(fast, "p:N")
    update_ttl(fast, table, True, "p")
    now = int(time.time())
    fast.put_item(TableName=table, Item={"p": {"N": str(now - 10)}})
    fast.put_item(TableName=table, Item={"p": {"N": str(now + 3600)}})
    assert wait_until(
        lambda: [i["p"]["N"] for i in fast.scan(TableName=table)["Items"]] == [str(now + 3600)]
    )


@pytest.mark.aws_documented
def test_expired_items_stay_readable_until_deleted(slow: Any) -> None:
    table = create_table(slow, "p:S")
    update_ttl(slow, table, True, "expires")
    key = {"p": {"S": "stale"}}
    item = {**key, "expires": {"N": str(int(time.time()) - 3600)}}
    slow.put_item(TableName=table, Item=item)
    assert slow.get_item(TableName=table, Key=key)["Item"] == item
    assert slow.scan(TableName=table)["Items"] == [item]
    got = slow.query(
        TableName=table,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": key["p"]},
    )
    assert got["Items"] == [item]
    # and it can still be updated, its expiry moved or removed
    slow.update_item(TableName=table, Key=key, UpdateExpression="REMOVE expires")
    assert slow.get_item(TableName=table, Key=key)["Item"] == key


@pytest.mark.aws_documented
def test_expiry_moved_into_the_future_keeps_the_item(fast: Any) -> None:
    table = create_table(fast, "p:S")
    update_ttl(fast, table, True, "expires")
    key = {"p": {"S": "moved"}}
    fast.put_item(TableName=table, Item={**key, "expires": {"N": str(int(time.time()) + 1)}})
    fast.update_item(
        TableName=table,
        Key=key,
        UpdateExpression="SET expires = :e",
        ExpressionAttributeValues={":e": {"N": str(int(time.time()) + 3600)}},
    )
    fast.put_item(TableName=table, Item={"p": {"S": "marker"}, "expires": {"N": "1"}})
    fast.put_item(
        TableName=table, Item={"p": {"S": "due"}, "expires": {"N": str(int(time.time()) + 1)}}
    )
    assert wait_until(lambda: keys_of(fast, table) == {"moved", "marker"})


@pytest.mark.gureum_own
def test_disabled_table_is_not_swept(fast: Any) -> None:
    table = create_table(fast, "p:S")
    update_ttl(fast, table, True, "expires")
    update_ttl(fast, table, False, "expires")
    fast.put_item(TableName=table, Item={"p": {"S": "x"}, "expires": {"N": str(int(time.time()))}})
    time.sleep(1.5)  # several sweep intervals
    assert keys_of(fast, table) == {"x"}
    update_ttl(fast, table, True, "expires")
    assert wait_until(lambda: keys_of(fast, table) == set())


@pytest.mark.aws_documented
def test_deletion_removes_index_entries(fast: Any) -> None:
    table = create_table(
        fast,
        "p:S",
        ExtraAttributes=["g:S"],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    update_ttl(fast, table, True, "expires")
    now = int(time.time())
    for i in range(6):
        expires = now - 10 if i < 4 else now + 3600
        fast.put_item(
            TableName=table,
            Item={"p": {"S": f"k{i}"}, "g": {"S": "group"}, "expires": {"N": str(expires)}},
        )

    def indexed() -> set[str]:
        items = fast.query(
            TableName=table,
            IndexName="by-g",
            KeyConditionExpression="g = :g",
            ExpressionAttributeValues={":g": {"S": "group"}},
        )["Items"]
        return {i["p"]["S"] for i in items}

    assert wait_until(lambda: keys_of(fast, table) == {"k4", "k5"})
    assert indexed() == {"k4", "k5"}
    index = fast.describe_table(TableName=table)["Table"]["GlobalSecondaryIndexes"][0]
    assert index["ItemCount"] == 2


@pytest.mark.gureum_own
def test_large_table_is_swept_without_stalling_requests(fast: Any) -> None:
    table = create_table(fast, "p:S")
    expired = str(int(time.time()) - 10)
    count = 3000
    padding = "x" * 200
    for start in range(0, count, 25):
        fast.batch_write_item(
            RequestItems={
                table: [
                    {
                        "PutRequest": {
                            "Item": {
                                "p": {"S": f"k{i:05}"},
                                "expires": {"N": expired},
                                "pad": {"S": padding},
                            }
                        }
                    }
                    for i in range(start, start + 25)
                ]
            }
        )
    probe = create_table(fast, "p:S")
    fast.put_item(TableName=probe, Item={"p": {"S": "probe"}})
    latencies: list[float] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            started = time.monotonic()
            fast.get_item(TableName=probe, Key={"p": {"S": "probe"}})
            latencies.append(time.monotonic() - started)

    update_ttl(fast, table, True, "expires")
    reader = threading.Thread(target=read)
    reader.start()
    try:
        assert wait_until(
            lambda: fast.describe_table(TableName=table)["Table"]["ItemCount"] == 0, 60
        )
    finally:
        stop.set()
        reader.join()
    assert latencies
    assert max(latencies) < 1.0


# --- gureum serve's options


@pytest.mark.gureum_own
def test_interval_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUREUM_TTL_INTERVAL", "0.2")
    monkeypatch.setenv("GUREUM_TTL_CHANGE_WINDOW", "0")
    server = GureumProcess(None)
    server.start()
    try:
        client = server.client()
        table = create_table(client, "p:S")
        update_ttl(client, table, True, "expires")
        update_ttl(client, table, False, "expires")  # no change window
        update_ttl(client, table, True, "expires")
        expires = {"N": str(int(time.time()) - 10)}
        client.put_item(TableName=table, Item={"p": {"S": new_key()}, "expires": expires})
        assert wait_until(lambda: keys_of(client, table) == set(), 5)
    finally:
        server.stop()


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gureum", "serve", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )


@pytest.mark.gureum_own
@pytest.mark.parametrize(
    ("option", "variable"),
    [
        ("--ttl-interval", "GUREUM_TTL_INTERVAL"),
        ("--ttl-change-window", "GUREUM_TTL_CHANGE_WINDOW"),
    ],
)
def test_serve_help_documents_option(option: str, variable: str) -> None:
    out = serve("--help")
    assert out.returncode == 0
    entry = out.stdout.split(f"\n  {option}", 1)[1].split("\n  -", 1)[0]
    assert f"({variable}" in entry


@pytest.mark.gureum_own
@pytest.mark.parametrize(
    "args",
    [
        ["--ttl-interval", "0"],
        ["--ttl-interval", "-1"],
        ["--ttl-interval", "soon"],
        ["--ttl-change-window", "-5"],
        ["--ttl-change-window", "nan"],
    ],
)
def test_bad_durations_exit_2(args: list[str]) -> None:
    out = serve(*args)
    assert out.returncode == 2
    assert "usage: gureum serve" in out.stderr
