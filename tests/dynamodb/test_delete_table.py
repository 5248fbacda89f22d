"""DeleteTable.

Sources: [dynalite] mhart/dynalite test/deleteTable.js (recorded against production DynamoDB);
[ack-lab] ack-api-quirks DynamoDB lab notes (live AWS probes, verified 2026-10-08/09:
DDB-TABLE-070, ValidationException catalogue DDB-TABLE-442); [conformance]
nubo-db/dynamodb-conformance tests/tier1/deleteTable.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

pytestmark = pytest.mark.aws_documented


def create(ddb: Any, name: str, **extra: Any) -> dict[str, Any]:
    desc: dict[str, Any] = ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )["TableDescription"]
    return desc


def test_delete_answers_deleting_description(ddb: Any) -> None:
    name = unique_name()
    created = ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "p", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )["TableDescription"]
    desc = ddb.delete_table(TableName=name)["TableDescription"]
    assert desc["TableName"] == name
    assert desc["TableStatus"] == "DELETING"
    assert desc["TableArn"] == created["TableArn"]
    assert desc["TableId"] == created["TableId"]
    assert desc["ItemCount"] == 0
    assert desc["TableSizeBytes"] == 0
    # [dynalite] 'should eventually delete': no index descriptions while DELETING
    assert "GlobalSecondaryIndexes" not in desc


def test_deleted_table_is_gone(ddb: Any) -> None:
    name = unique_name()
    create(ddb, name)
    ddb.delete_table(TableName=name)
    with pytest.raises(ClientError) as excinfo:
        ddb.describe_table(TableName=name)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {name} not found",
    )
    assert name not in ddb.list_tables()["TableNames"]


def test_recreated_table_starts_empty_with_new_id(ddb: Any) -> None:
    name = unique_name()
    first = create(ddb, name)
    key = new_key()
    ddb.put_item(TableName=name, Item={"p": {"S": key}, "v": {"N": "1"}})
    ddb.delete_table(TableName=name)
    second = create(ddb, name)
    try:
        assert second["TableId"] != first["TableId"]
        assert second["TableArn"] == first["TableArn"]
        got = ddb.get_item(TableName=name, Key={"p": {"S": key}}, ConsistentRead=True)
        assert "Item" not in got
    finally:
        ddb.delete_table(TableName=name)


def test_delete_by_arn(ddb: Any) -> None:
    name = unique_name()
    arn = create(ddb, name)["TableArn"]
    assert ddb.delete_table(TableName=arn)["TableDescription"]["TableName"] == name
    assert name not in ddb.list_tables()["TableNames"]


def test_table_not_found(ddb: Any) -> None:
    name = unique_name()
    with pytest.raises(ClientError) as excinfo:
        ddb.delete_table(TableName=name)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {name} not found",
    )


def test_deletion_protection(ddb: Any) -> None:
    name = unique_name()
    create(ddb, name, DeletionProtectionEnabled=True)
    try:
        with pytest.raises(ClientError) as excinfo:
            ddb.delete_table(TableName=name)
        assert error_of(excinfo) == (
            "ValidationException",
            "Resource cannot be deleted as it is currently protected against deletion. "
            "Disable deletion protection first.",
        )
        assert ddb.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE"
    finally:
        ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
        ddb.delete_table(TableName=name)


def test_invalid_table_name(ddb: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.delete_table(TableName="abc;")
    assert error_of(excinfo) == (
        "ValidationException",
        "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    )


def test_missing_table_name(ddb: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.delete_table()
    assert error_of(excinfo) == (
        "ValidationException",
        "The parameter 'TableName' is required but was not present in the request",
    )
