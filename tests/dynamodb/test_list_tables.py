"""ListTables: names in ascending order, pages of at most 100, ExclusiveStartTableName.

Each test lists the tables of an account of its own (a fresh twelve-digit access key id, see
test_accounts_regions.py), so that the tables of other tests do not show up.

Sources: [dynalite] mhart/dynalite test/listTables.js (recorded against production DynamoDB);
the DynamoDB API Reference (ListTables: Limit 1-100, LastEvaluatedTableName).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique_name

if TYPE_CHECKING:
    from collections.abc import Iterator

    from dynamodb.conftest import ClientFactory, RawCall

pytestmark = pytest.mark.aws_documented


@pytest.fixture
def account_key() -> str:
    return f"{random.randrange(10**11, 10**12)}"


@pytest.fixture
def account(client_as: ClientFactory, account_key: str) -> Iterator[Any]:
    """A client of an account nobody else uses; its tables are dropped afterwards."""
    client = client_as(account_key)
    yield client
    for name in client.list_tables()["TableNames"]:
        client.delete_table(TableName=name)


def create(client: Any, name: str) -> str:
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def test_no_tables(account: Any) -> None:
    out = account.list_tables()
    out.pop("ResponseMetadata")
    assert out == {"TableNames": []}


def test_names_in_ascending_order(account: Any) -> None:
    names = ["b-table", "a-table", "B-table", "a.b", "a_b", "a-b", "0zz"]
    for name in names:
        create(account, name)
    out = account.list_tables()
    out.pop("ResponseMetadata")
    assert out == {"TableNames": sorted(names)}


def test_limit_and_last_evaluated(account: Any) -> None:
    for name in ("aaa", "bbb", "ccc"):
        create(account, name)
    first = account.list_tables(Limit=2)
    assert first["TableNames"] == ["aaa", "bbb"]
    assert first["LastEvaluatedTableName"] == "bbb"
    second = account.list_tables(Limit=2, ExclusiveStartTableName="bbb")
    assert second["TableNames"] == ["ccc"]
    assert "LastEvaluatedTableName" not in second


def test_limit_equal_to_count_has_no_last_evaluated(account: Any) -> None:
    for name in ("aaa", "bbb"):
        create(account, name)
    out = account.list_tables(Limit=2)
    assert out["TableNames"] == ["aaa", "bbb"]
    assert "LastEvaluatedTableName" not in out


def test_exclusive_start_need_not_exist(account: Any) -> None:
    for name in ("aaa", "bbb", "ccc"):
        create(account, name)
    assert account.list_tables(ExclusiveStartTableName="abz")["TableNames"] == ["bbb", "ccc"]
    assert account.list_tables(ExclusiveStartTableName="aaa")["TableNames"] == ["bbb", "ccc"]
    assert account.list_tables(ExclusiveStartTableName="zzz")["TableNames"] == []


def test_default_page_is_100(account: Any) -> None:
    names = sorted(create(account, f"t{i:03d}") for i in range(101))
    first = account.list_tables()
    assert first["TableNames"] == names[:100]
    assert first["LastEvaluatedTableName"] == names[99]
    second = account.list_tables(ExclusiveStartTableName=first["LastEvaluatedTableName"])
    assert second["TableNames"] == names[100:]
    assert "LastEvaluatedTableName" not in second


def test_deleted_table_not_listed(account: Any) -> None:
    create(account, "keep")
    create(account, "drop")
    account.delete_table(TableName="drop")
    assert account.list_tables()["TableNames"] == ["keep"]


@pytest.mark.parametrize(
    ("limit", "bound"),
    [(0, "greater than or equal to 1"), (101, "less than or equal to 100")],
)
def test_limit_bounds(ddb: Any, limit: int, bound: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.list_tables(Limit=limit)
    assert error_of(excinfo) == (
        "ValidationException",
        f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: "
        f"Member must have value {bound}",
    )


def test_long_exclusive_start_name(ddb: Any) -> None:
    name = "a" * 256
    with pytest.raises(ClientError) as excinfo:
        ddb.list_tables(ExclusiveStartTableName=name)
    assert error_of(excinfo) == (
        "ValidationException",
        f"1 validation error detected: Value '{name}' at 'exclusiveStartTableName' failed to "
        "satisfy constraint: Member must have length less than or equal to 255",
    )


def test_several_violations_reported_together(ddb: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.list_tables(ExclusiveStartTableName="a;", Limit=500)
    code, message = error_of(excinfo)
    prefix = "3 validation errors detected: "
    assert code == "ValidationException"
    assert message.startswith(prefix)
    assert set(message.removeprefix(prefix).split("; ")) == {
        "Value 'a;' at 'exclusiveStartTableName' failed to satisfy constraint: Member must "
        "satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
        "Value 'a;' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have "
        "length greater than or equal to 3",
        "Value '500' at 'limit' failed to satisfy constraint: Member must have value less than "
        "or equal to 100",
    }


def test_null_members_are_absent(raw: RawCall, account: Any, account_key: str) -> None:
    # [dynalite] 'should return 200 if null attributes are supplied'
    name = create(account, unique_name("null"))
    response = raw(
        "ListTables", {"ExclusiveStartTableName": None, "Limit": None}, access_key=account_key
    )
    assert response.status_code == 200
    assert response.json() == {"TableNames": [name]}
