"""PutItem: writes, ReturnValues, conditions, and the checks of the item and the request.

Sources: [dynalite] mhart/dynalite test/putItem.js (recorded against production DynamoDB,
last re-recorded 2020-05); [conformance] nubo-db/dynamodb-conformance
tests/tier3/error-messages/putItem.test.ts, conditionalCheck.test.ts and
tests/tier1/putItem (run against real DynamoDB, 2026); [alternator] scylladb
test/alternator/test_gsi.py (empty and wrongly typed index keys are rejected); real DynamoDB
error reports quoting the empty index key text (e.g. "One or more parameter values are not
valid. A value specified for a secondary index key is not supported. ...").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

if TYPE_CHECKING:
    from conftest import TableFactory
    from dynamodb.conftest import RawCall

pytestmark = pytest.mark.aws_documented


def put_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(**params)
    return error_of(excinfo)


def get(ddb: Any, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    item: dict[str, Any] | None = ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get(
        "Item"
    )
    return item


def test_put_answers_empty_object(raw: RawCall, table_s: str) -> None:
    response = raw("PutItem", {"TableName": table_s, "Item": {"p": {"S": new_key()}}})
    assert response.status_code == 200
    assert response.json() == {}


def test_put_then_get(ddb: Any, table_s: str) -> None:
    item = {"p": {"S": new_key()}, "a": {"S": "x"}, "n": {"N": "-56.789"}, "b": {"BOOL": False}}
    ddb.put_item(TableName=table_s, Item=item)
    assert get(ddb, table_s, {"p": item["p"]}) == item


def test_put_replaces_whole_item(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item={**key, "old": {"S": "1"}, "both": {"N": "1"}})
    ddb.put_item(TableName=table_s, Item={**key, "both": {"N": "2"}})
    assert get(ddb, table_s, key) == {**key, "both": {"N": "2"}}


def test_composite_key_items_are_distinct(ddb: Any, table_sn: str) -> None:
    p = new_key()
    first = {"p": {"S": p}, "c": {"N": "1"}, "v": {"S": "one"}}
    second = {"p": {"S": p}, "c": {"N": "2"}, "v": {"S": "two"}}
    ddb.put_item(TableName=table_sn, Item=first)
    ddb.put_item(TableName=table_sn, Item=second)
    assert get(ddb, table_sn, {"p": first["p"], "c": first["c"]}) == first
    assert get(ddb, table_sn, {"p": second["p"], "c": second["c"]}) == second


def test_return_values_all_old(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    old = {**key, "b": {"N": "-0015.789e6"}, "c": {"S": "a"}}
    ddb.put_item(TableName=table_s, Item=old)
    out = ddb.put_item(TableName=table_s, Item={**key, "b": {"S": "b"}}, ReturnValues="ALL_OLD")
    assert out["Attributes"] == {**key, "b": {"N": "-15789000"}, "c": {"S": "a"}}


def test_return_values_all_old_without_old_item(raw: RawCall, table_s: str) -> None:
    response = raw(
        "PutItem",
        {"TableName": table_s, "Item": {"p": {"S": new_key()}}, "ReturnValues": "ALL_OLD"},
    )
    assert response.json() == {}


def test_return_values_none(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item=key)
    out = ddb.put_item(TableName=table_s, Item=key, ReturnValues="NONE")
    assert "Attributes" not in out


@pytest.mark.parametrize("value", ["UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"])
def test_return_values_only_all_old_or_none(ddb: Any, table_s: str, value: str) -> None:
    assert put_error(ddb, TableName=table_s, Item={"p": {"S": new_key()}}, ReturnValues=value) == (
        "ValidationException",
        "ReturnValues can only be ALL_OLD or NONE",
    )


def test_invalid_return_values_enum(ddb: Any, table_s: str) -> None:
    assert put_error(ddb, TableName=table_s, Item={"p": {"S": "x"}}, ReturnValues="hi") == (
        "ValidationException",
        "1 validation error detected: Value 'hi' at 'returnValues' failed to satisfy constraint: "
        "Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
    )


# --- conditions


def test_condition_attribute_not_exists(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(
        TableName=table_s,
        Item={**key, "v": {"N": "1"}},
        ConditionExpression="attribute_not_exists(p)",
    )
    assert put_error(
        ddb,
        TableName=table_s,
        Item={**key, "v": {"N": "2"}},
        ConditionExpression="attribute_not_exists(p)",
    ) == ("ConditionalCheckFailedException", "The conditional request failed")
    assert get(ddb, table_s, key) == {**key, "v": {"N": "1"}}


def test_condition_failure_returns_old_item_when_asked(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    original = {**key, "attr1": {"S": "original-value"}}
    ddb.put_item(TableName=table_s, Item=original)
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(
            TableName=table_s,
            Item={**key, "attr1": {"S": "overwrite"}},
            ConditionExpression="attribute_not_exists(p)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert error_of(excinfo) == (
        "ConditionalCheckFailedException",
        "The conditional request failed",
    )
    assert excinfo.value.response["Item"] == original


def test_condition_failure_raw_body(raw: RawCall, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    raw("PutItem", {"TableName": table_s, "Item": key})
    response = raw(
        "PutItem",
        {"TableName": table_s, "Item": key, "ConditionExpression": "attribute_not_exists(p)"},
    )
    assert response.status_code == 400
    assert response.json() == {
        "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
        "message": "The conditional request failed",
    }


def test_condition_comparison(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item={**key, "n": {"N": "5"}})
    ddb.put_item(
        TableName=table_s,
        Item={**key, "n": {"N": "6"}},
        ConditionExpression="n < :max AND #n >= :min",
        ExpressionAttributeNames={"#n": "n"},
        ExpressionAttributeValues={":max": {"N": "10"}, ":min": {"N": "5"}},
    )
    assert get(ddb, table_s, key) == {**key, "n": {"N": "6"}}


def test_legacy_expected_exists_false(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item=key, Expected={"p": {"Exists": False}})
    assert put_error(ddb, TableName=table_s, Item=key, Expected={"p": {"Exists": False}}) == (
        "ConditionalCheckFailedException",
        "The conditional request failed",
    )


def test_expression_and_legacy_together(ddb: Any, table_s: str) -> None:
    assert put_error(
        ddb,
        TableName=table_s,
        Item={"p": {"S": "test"}},
        Expected={"p": {"Exists": False}},
        ConditionExpression="attribute_not_exists(p)",
    ) == (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}",
    )


def test_values_without_expression(ddb: Any, table_s: str) -> None:
    assert put_error(
        ddb,
        TableName=table_s,
        Item={"p": {"S": "test"}},
        ExpressionAttributeValues={":v": {"S": "unused"}},
    ) == (
        "ValidationException",
        "ExpressionAttributeValues can only be specified when using expressions: "
        "ConditionExpression is null",
    )


def test_names_without_expression(ddb: Any, table_s: str) -> None:
    assert put_error(
        ddb, TableName=table_s, Item={"p": {"S": "test"}}, ExpressionAttributeNames={"#a": "a"}
    ) == (
        "ValidationException",
        "ExpressionAttributeNames can only be specified when using expressions",
    )


def test_empty_condition_expression(ddb: Any, table_s: str) -> None:
    assert put_error(ddb, TableName=table_s, Item={"p": {"S": "test"}}, ConditionExpression="") == (
        "ValidationException",
        "Invalid ConditionExpression: The expression can not be empty;",
    )


def test_unused_expression_value(ddb: Any, table_s: str) -> None:
    assert put_error(
        ddb,
        TableName=table_s,
        Item={"p": {"S": "test"}},
        ConditionExpression="attribute_not_exists(p)",
        ExpressionAttributeValues={":unused": {"S": "x"}},
    ) == (
        "ValidationException",
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
    )


# --- keys


@pytest.mark.parametrize("item", [{}, {"b": {"S": "a"}}], ids=["empty", "other-attribute"])
def test_missing_key(ddb: Any, table_s: str, item: dict[str, Any]) -> None:
    assert put_error(ddb, TableName=table_s, Item=item) == (
        "ValidationException",
        "One or more parameter values were invalid: Missing the key p in the item",
    )


def test_missing_range_key(ddb: Any, table_sn: str) -> None:
    assert put_error(ddb, TableName=table_sn, Item={"p": {"S": "a"}}) == (
        "ValidationException",
        "One or more parameter values were invalid: Missing the key c in the item",
    )


@pytest.mark.parametrize(
    "value",
    [
        {"B": "abcd"},
        {"N": "1"},
        {"BOOL": True},
        {"NULL": True},
        {"SS": ["a"]},
        {"NS": ["1"]},
        {"BS": ["aaaa"]},
        {"M": {}},
        {"L": []},
    ],
    ids=lambda v: next(iter(v)),
)
def test_key_type_mismatch(ddb: Any, table_s: str, value: dict[str, Any]) -> None:
    actual = next(iter(value))
    assert put_error(ddb, TableName=table_s, Item={"p": value}) == (
        "ValidationException",
        f"One or more parameter values were invalid: Type mismatch for key p expected: S "
        f"actual: {actual}",
    )


def test_empty_string_key(ddb: Any, table_s: str) -> None:
    assert put_error(ddb, TableName=table_s, Item={"p": {"S": ""}}) == (
        "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty string value. Key: p",
    )


def test_empty_binary_range_key(ddb: Any, make_table: TableFactory) -> None:
    name = make_table("a:S", "b:B")
    assert put_error(ddb, TableName=name, Item={"a": {"S": "a"}, "b": {"B": b""}}) == (
        "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty binary value. Key: b",
    )


# --- tables and names


def test_table_not_found(ddb: Any) -> None:
    assert put_error(ddb, TableName=unique_name(), Item={"p": {"S": "test"}}) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


def test_missing_table_name(ddb: Any) -> None:
    assert put_error(ddb, Item={"p": {"S": "test"}}) == (
        "ValidationException",
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
        "Member must not be null",
    )


@pytest.mark.parametrize(
    ("name", "constraint"),
    [
        ("", "Member must have length greater than or equal to 1"),
        ("a" * 256, "Member must have length less than or equal to 255"),
        ("bad table!@#", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ],
    ids=["empty", "too-long", "bad-characters"],
)
def test_invalid_table_name(ddb: Any, name: str, constraint: str) -> None:
    assert put_error(ddb, TableName=name, Item={"p": {"S": "test"}}) == (
        "ValidationException",
        f"1 validation error detected: Value '{name}' at 'tableName' failed to satisfy "
        f"constraint: {constraint}",
    )


def test_several_enum_violations(ddb: Any, table_s: str) -> None:
    code, message = put_error(
        ddb,
        TableName=table_s,
        Item={"p": {"S": "test"}},
        ReturnConsumedCapacity="INVALID",
        ReturnItemCollectionMetrics="INVALID",
        ReturnValues="INVALID",
    )
    prefix = "3 validation errors detected: "
    assert code == "ValidationException"
    assert message.startswith(prefix)
    assert set(message.removeprefix(prefix).split("; ")) == {
        "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: Member must "
        "satisfy enum value set: [INDEXES, TOTAL, NONE]",
        "Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member "
        "must satisfy enum value set: [SIZE, NONE]",
        "Value 'INVALID' at 'returnValues' failed to satisfy constraint: Member must satisfy "
        "enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
    }


# --- secondary indexes and item collections


@pytest.fixture
def gsi_table(make_table: TableFactory) -> str:
    return make_table(
        ExtraAttributes=["g:S"],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )


def test_item_without_index_key_is_accepted(ddb: Any, gsi_table: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=gsi_table, Item={**key, "other": {"N": "1"}})
    assert get(ddb, gsi_table, key) == {**key, "other": {"N": "1"}}


def test_index_key_type_mismatch(ddb: Any, gsi_table: str) -> None:
    assert put_error(ddb, TableName=gsi_table, Item={"p": {"S": "a"}, "g": {"N": "1"}}) == (
        "ValidationException",
        "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S "
        "Actual: N IndexName: by-g",
    )


def test_index_key_empty_string(ddb: Any, gsi_table: str) -> None:
    assert put_error(ddb, TableName=gsi_table, Item={"p": {"S": "a"}, "g": {"S": ""}}) == (
        "ValidationException",
        "One or more parameter values are not valid. A value specified for a secondary index key "
        "is not supported. The AttributeValue for a key attribute cannot contain an empty string "
        "value. IndexName: by-g, IndexKey: g",
    )


def test_item_collection_metrics(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(
        "pk:S",
        "sk:S",
        ExtraAttributes=["l:S"],
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    item = {"pk": {"S": "icm"}, "sk": {"S": "a"}, "l": {"S": "x"}}
    out = ddb.put_item(TableName=name, Item=item, ReturnItemCollectionMetrics="SIZE")
    metrics = out["ItemCollectionMetrics"]
    assert metrics["ItemCollectionKey"] == {"pk": {"S": "icm"}}
    assert len(metrics["SizeEstimateRangeGB"]) == 2
    none = ddb.put_item(TableName=name, Item=item, ReturnItemCollectionMetrics="NONE")
    assert "ItemCollectionMetrics" not in none


def test_no_item_collection_metrics_without_local_index(ddb: Any, table_s: str) -> None:
    out = ddb.put_item(
        TableName=table_s, Item={"p": {"S": new_key()}}, ReturnItemCollectionMetrics="SIZE"
    )
    assert "ItemCollectionMetrics" not in out
