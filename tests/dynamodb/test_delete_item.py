"""DeleteItem.

Sources: [dynalite] mhart/dynalite test/deleteItem.js (recorded against production DynamoDB);
[conformance] nubo-db/dynamodb-conformance tests/tier3/error-messages/deleteItem.test.ts and
conditionalCheck.test.ts (run against real DynamoDB, 2026).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

if TYPE_CHECKING:
    from dynamodb.conftest import RawCall

pytestmark = pytest.mark.aws_documented


def delete_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.delete_item(**params)
    return error_of(excinfo)


def exists(ddb: Any, table: str, key: dict[str, Any]) -> bool:
    return "Item" in ddb.get_item(TableName=table, Key=key, ConsistentRead=True)


def test_delete_existing_item(raw: RawCall, ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item={**key, "a": {"S": "x"}})
    response = raw("DeleteItem", {"TableName": table_s, "Key": key})
    assert (response.status_code, response.json()) == (200, {})
    assert not exists(ddb, table_s, key)


def test_delete_missing_item(raw: RawCall, table_s: str) -> None:
    response = raw("DeleteItem", {"TableName": table_s, "Key": {"p": {"S": new_key()}}})
    assert (response.status_code, response.json()) == (200, {})


def test_return_all_old(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    item = {**key, "a": {"S": "x"}, "n": {"N": "1"}}
    ddb.put_item(TableName=table_s, Item=item)
    assert ddb.delete_item(TableName=table_s, Key=key, ReturnValues="ALL_OLD")["Attributes"] == item


def test_return_all_old_of_missing_item(raw: RawCall, table_s: str) -> None:
    response = raw(
        "DeleteItem",
        {"TableName": table_s, "Key": {"p": {"S": new_key()}}, "ReturnValues": "ALL_OLD"},
    )
    assert response.json() == {}


@pytest.mark.parametrize("value", ["UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"])
def test_return_values_only_all_old_or_none(ddb: Any, table_s: str, value: str) -> None:
    assert delete_error(
        ddb, TableName=table_s, Key={"p": {"S": new_key()}}, ReturnValues=value
    ) == ("ValidationException", "ReturnValues can only be ALL_OLD or NONE")


def test_composite_key_deletes_one_item(ddb: Any, table_sn: str) -> None:
    p = new_key()
    for c in ("1", "2"):
        ddb.put_item(TableName=table_sn, Item={"p": {"S": p}, "c": {"N": c}})
    ddb.delete_item(TableName=table_sn, Key={"p": {"S": p}, "c": {"N": "1"}})
    assert not exists(ddb, table_sn, {"p": {"S": p}, "c": {"N": "1"}})
    assert exists(ddb, table_sn, {"p": {"S": p}, "c": {"N": "2"}})


def test_condition_failure_keeps_item(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item={**key, "attr1": {"S": "keep"}})
    assert delete_error(
        ddb,
        TableName=table_s,
        Key=key,
        ConditionExpression="attr1 = :v",
        ExpressionAttributeValues={":v": {"S": "wrong-value"}},
    ) == ("ConditionalCheckFailedException", "The conditional request failed")
    assert exists(ddb, table_s, key)


def test_condition_success(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item={**key, "attr1": {"S": "go"}})
    ddb.delete_item(
        TableName=table_s,
        Key=key,
        ConditionExpression="attr1 = :v",
        ExpressionAttributeValues={":v": {"S": "go"}},
    )
    assert not exists(ddb, table_s, key)


def test_condition_on_missing_item(ddb: Any, table_s: str) -> None:
    assert delete_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": new_key()}},
        ConditionExpression="attribute_exists(p)",
    ) == ("ConditionalCheckFailedException", "The conditional request failed")


def test_legacy_expected(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item={**key, "a": {"S": "x"}})
    assert delete_error(ddb, TableName=table_s, Key=key, Expected={"a": {"Value": {"S": "y"}}}) == (
        "ConditionalCheckFailedException",
        "The conditional request failed",
    )
    ddb.delete_item(TableName=table_s, Key=key, Expected={"a": {"Value": {"S": "x"}}})
    assert not exists(ddb, table_s, key)


def test_table_not_found(ddb: Any) -> None:
    assert delete_error(ddb, TableName=unique_name(), Key={"pk": {"S": "test"}}) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


def test_missing_range_key(ddb: Any, table_sn: str) -> None:
    assert delete_error(ddb, TableName=table_sn, Key={"p": {"S": "test"}}) == (
        "ValidationException",
        "The provided key element does not match the schema",
    )


def test_expression_and_legacy_together(ddb: Any, table_s: str) -> None:
    assert delete_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "x"}},
        Expected={"a": {"Exists": False}},
        ConditionExpression="attribute_exists(a)",
    ) == (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
    )


def test_invalid_expression_value(ddb: Any, table_s: str) -> None:
    assert delete_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "x"}},
        ConditionExpression="a = :b",
        ExpressionAttributeValues={":b": {"SS": []}},
    ) == (
        "ValidationException",
        "ExpressionAttributeValues contains invalid value: One or more parameter values were "
        "invalid: An string set  may not be empty for key :b",
    )
