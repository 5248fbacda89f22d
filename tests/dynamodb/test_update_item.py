"""UpdateItem: update expressions, the legacy AttributeUpdates, ReturnValues, conditions and
the errors DynamoDB answers.

Sources: [dynalite] mhart/dynalite test/updateItem.js (recorded against production DynamoDB);
[conformance] nubo-db/dynamodb-conformance tests/tier3/error-messages/updateItem.test.ts and
conditionalCheck.test.ts (run against real DynamoDB, 2026); [alternator] scylladb
test/alternator/test_update_expression.py and test_returnvalues.py (written to pass on DynamoDB).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

if TYPE_CHECKING:
    from dynamodb.conftest import RawCall

pytestmark = pytest.mark.aws_documented


def update_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.update_item(**params)
    return error_of(excinfo)


def get(ddb: Any, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    item: dict[str, Any] | None = ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get(
        "Item"
    )
    return item


@pytest.fixture
def key() -> dict[str, Any]:
    return {"p": {"S": new_key()}}


def test_update_with_only_key_creates_item(raw: RawCall, ddb: Any, table_s: str, key: Any) -> None:
    response = raw("UpdateItem", {"TableName": table_s, "Key": key})
    assert (response.status_code, response.json()) == (200, {})
    assert get(ddb, table_s, key) == key


def test_set_creates_item(ddb: Any, table_s: str, key: Any) -> None:
    ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET a = :a, b = :b",
        ExpressionAttributeValues={":a": {"S": "x"}, ":b": {"N": "1"}},
    )
    assert get(ddb, table_s, key) == {**key, "a": {"S": "x"}, "b": {"N": "1"}}


def test_remove_only_on_missing_item_creates_nothing(ddb: Any, table_s: str, key: Any) -> None:
    ddb.update_item(TableName=table_s, Key=key, UpdateExpression="REMOVE a")
    assert get(ddb, table_s, key) is None


def test_all_clauses(ddb: Any, table_s: str, key: Any) -> None:
    ddb.put_item(
        TableName=table_s,
        Item={
            **key,
            "gone": {"S": "x"},
            "n": {"N": "5"},
            "tags": {"SS": ["a", "b", "c"]},
            "m": {"M": {"x": {"N": "1"}}},
            "l": {"L": [{"S": "a"}]},
        },
    )
    ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression=(
            "SET m.y = :two, l = list_append(l, :more), fresh2 = if_not_exists(fresh2, :d), "
            "n2 = n + :two REMOVE gone ADD n :two, fresh :set DELETE tags :del"
        ),
        ExpressionAttributeValues={
            ":two": {"N": "2"},
            ":more": {"L": [{"S": "b"}]},
            ":d": {"S": "default"},
            ":set": {"NS": ["1"]},
            ":del": {"SS": ["a", "c"]},
        },
    )
    assert get(ddb, table_s, key) == {
        **key,
        "n": {"N": "7"},
        "n2": {"N": "7"},
        "tags": {"SS": ["b"]},
        "m": {"M": {"x": {"N": "1"}, "y": {"N": "2"}}},
        "l": {"L": [{"S": "a"}, {"S": "b"}]},
        "fresh2": {"S": "default"},
        "fresh": {"NS": ["1"]},
    }


def test_delete_last_set_element_removes_attribute(ddb: Any, table_s: str, key: Any) -> None:
    ddb.put_item(TableName=table_s, Item={**key, "s": {"NS": ["1", "2"]}, "c": {"S": "a"}})
    out = ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="DELETE s :s",
        ExpressionAttributeValues={":s": {"NS": ["1", "2", "4"]}},
        ReturnValues="ALL_NEW",
    )
    assert out["Attributes"] == {**key, "c": {"S": "a"}}


def test_add_duplicate_set_values_are_dropped(ddb: Any, table_s: str, key: Any) -> None:
    ddb.put_item(TableName=table_s, Item={**key, "s": {"SS": ["a", "b"]}})
    ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="ADD s :s",
        ExpressionAttributeValues={":s": {"SS": ["b", "c"]}},
    )
    item = get(ddb, table_s, key)
    assert item is not None
    assert sorted(item["s"]["SS"]) == ["a", "b", "c"]


# --- ReturnValues


@pytest.fixture
def existing(ddb: Any, table_s: str, key: dict[str, Any]) -> dict[str, Any]:
    ddb.put_item(TableName=table_s, Item={**key, "b": {"S": "a"}, "c": {"S": "a"}, "d": {"N": "1"}})
    return key


@pytest.mark.parametrize(
    ("return_values", "attributes"),
    [
        ("ALL_OLD", {"b": {"S": "a"}, "c": {"S": "a"}, "d": {"N": "1"}}),
        ("UPDATED_OLD", {"b": {"S": "a"}, "d": {"N": "1"}}),
        ("ALL_NEW", {"b": {"S": "b"}, "c": {"S": "a"}, "e": {"N": "5"}}),
        ("UPDATED_NEW", {"b": {"S": "b"}, "e": {"N": "5"}}),
    ],
)
def test_return_values(
    ddb: Any, table_s: str, existing: Any, return_values: str, attributes: dict[str, Any]
) -> None:
    out = ddb.update_item(
        TableName=table_s,
        Key=existing,
        UpdateExpression="SET b = :b, e = :e REMOVE d",
        ExpressionAttributeValues={":b": {"S": "b"}, ":e": {"N": "5"}},
        ReturnValues=return_values,
    )
    expected = dict(attributes)
    if return_values.startswith("ALL"):
        expected.update(existing)
    assert out["Attributes"] == expected


def test_return_values_all_old_without_old_item(raw: RawCall, table_s: str, key: Any) -> None:
    response = raw(
        "UpdateItem",
        {
            "TableName": table_s,
            "Key": key,
            "UpdateExpression": "SET a = :a",
            "ExpressionAttributeValues": {":a": {"S": "x"}},
            "ReturnValues": "ALL_OLD",
        },
    )
    assert response.json() == {}


def test_updated_old_of_nested_value(ddb: Any, table_s: str, key: Any) -> None:
    ddb.put_item(TableName=table_s, Item={**key, "m": {"M": {"a": {"S": "a"}, "b": {"L": []}}}})
    out = ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET m.a = :v",
        ExpressionAttributeValues={":v": {"S": "b"}},
        ReturnValues="UPDATED_OLD",
    )
    assert out["Attributes"] == {"m": {"M": {"a": {"S": "a"}}}}


def test_legacy_attribute_updates(ddb: Any, table_s: str, key: Any) -> None:
    ddb.update_item(
        TableName=table_s,
        Key=key,
        AttributeUpdates={
            "b": {"Value": {"S": "a"}},
            "n": {"Action": "ADD", "Value": {"N": "5"}},
            "gone": {"Action": "DELETE"},
        },
    )
    assert get(ddb, table_s, key) == {**key, "b": {"S": "a"}, "n": {"N": "5"}}


# --- conditions


def test_condition_failure(ddb: Any, table_s: str, key: Any) -> None:
    ddb.put_item(TableName=table_s, Item={**key, "attr1": {"S": "original"}})
    assert update_error(
        ddb,
        TableName=table_s,
        Key=key,
        UpdateExpression="SET attr1 = :newval",
        ConditionExpression="attr1 = :expected",
        ExpressionAttributeValues={":newval": {"S": "updated"}, ":expected": {"S": "wrong"}},
    ) == ("ConditionalCheckFailedException", "The conditional request failed")
    assert get(ddb, table_s, key) == {**key, "attr1": {"S": "original"}}


def test_condition_on_missing_item(ddb: Any, table_s: str, key: Any) -> None:
    assert update_error(
        ddb,
        TableName=table_s,
        Key=key,
        UpdateExpression="SET a = :a",
        ConditionExpression="attribute_exists(p)",
        ExpressionAttributeValues={":a": {"S": "x"}},
    ) == ("ConditionalCheckFailedException", "The conditional request failed")
    assert get(ddb, table_s, key) is None


def test_condition_failure_returns_old_item(ddb: Any, table_s: str, key: Any) -> None:
    ddb.put_item(TableName=table_s, Item={**key, "v": {"N": "1"}})
    with pytest.raises(ClientError) as excinfo:
        ddb.update_item(
            TableName=table_s,
            Key=key,
            UpdateExpression="SET v = :v",
            ConditionExpression="v = :two",
            ExpressionAttributeValues={":v": {"N": "3"}, ":two": {"N": "2"}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert excinfo.value.response["Item"] == {**key, "v": {"N": "1"}}


# --- errors


@pytest.mark.parametrize(
    ("table_fixture", "expression", "attribute"),
    [("table_s", "SET p = :v", "p"), ("table_ss", "SET c = :v", "c")],
)
def test_cannot_update_key(
    ddb: Any, request: pytest.FixtureRequest, table_fixture: str, expression: str, attribute: str
) -> None:
    table = request.getfixturevalue(table_fixture)
    item_key = {"p": {"S": new_key()}}
    if table_fixture == "table_ss":
        item_key["c"] = {"S": "sk1"}
    assert update_error(
        ddb,
        TableName=table,
        Key=item_key,
        UpdateExpression=expression,
        ExpressionAttributeValues={":v": {"S": "new-val"}},
    ) == (
        "ValidationException",
        f"One or more parameter values were invalid: Cannot update attribute {attribute}. "
        "This attribute is part of the key",
    )


@pytest.mark.parametrize(
    ("expression", "values"),
    [
        ("ADD p.b :a", {":a": {"N": "1"}}),
        ("REMOVE d SET b = :a, p = :a", {":a": {"N": "1"}}),
        ("SET p = p.b + p[1]", None),
    ],
)
def test_cannot_update_key_in_any_clause(
    ddb: Any, table_s: str, expression: str, values: Any
) -> None:
    params: dict[str, Any] = {"UpdateExpression": expression}
    if values:
        params["ExpressionAttributeValues"] = values
    assert update_error(ddb, TableName=table_s, Key={"p": {"S": new_key()}}, **params) == (
        "ValidationException",
        "One or more parameter values were invalid: Cannot update attribute p. This attribute "
        "is part of the key",
    )


def test_cannot_update_key_legacy(ddb: Any, table_s: str) -> None:
    assert update_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": new_key()}},
        AttributeUpdates={"p": {"Value": {"S": "x"}}},
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Cannot update attribute p. This attribute "
        "is part of the key",
    )


def test_syntax_error(ddb: Any, table_s: str) -> None:
    assert update_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "x"}},
        UpdateExpression="INVALID SYNTAX HERE",
        ExpressionAttributeValues={":v": {"S": "val"}},
    ) == (
        "ValidationException",
        'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"',
    )


def test_empty_update_expression(ddb: Any, table_s: str) -> None:
    assert update_error(ddb, TableName=table_s, Key={"p": {"S": "x"}}, UpdateExpression="") == (
        "ValidationException",
        "Invalid UpdateExpression: The expression can not be empty;",
    )


def test_undefined_value(ddb: Any, table_s: str) -> None:
    assert update_error(
        ddb, TableName=table_s, Key={"p": {"S": "x"}}, UpdateExpression="SET attr1 = :v"
    ) == (
        "ValidationException",
        "Invalid UpdateExpression: An expression attribute value used in expression is not "
        "defined; attribute value: :v",
    )


def test_unused_names(ddb: Any, table_s: str) -> None:
    assert update_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "x"}},
        UpdateExpression="SET attr1 = :v",
        ExpressionAttributeValues={":v": {"S": "val"}},
        ExpressionAttributeNames={"#unused": "someattr"},
    ) == (
        "ValidationException",
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}",
    )


def test_unused_values(ddb: Any, table_s: str) -> None:
    assert update_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "x"}},
        UpdateExpression="SET attr1 = :v",
        ExpressionAttributeValues={":v": {"S": "val"}, ":unused": {"S": "extra"}},
    ) == (
        "ValidationException",
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}",
    )


def test_expression_and_attribute_updates(ddb: Any, table_s: str) -> None:
    assert update_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "x"}},
        UpdateExpression="SET attr1 = :v",
        ExpressionAttributeValues={":v": {"S": "val"}},
        AttributeUpdates={"attr1": {"Value": {"S": "val"}, "Action": "PUT"}},
    ) == (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}",
    )


def test_reserved_word(ddb: Any, table_s: str) -> None:
    code, message = update_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "x"}},
        UpdateExpression="SET status = :v",
        ExpressionAttributeValues={":v": {"S": "new"}},
    )
    assert (code, message) == (
        "ValidationException",
        "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status",
    )


def test_add_wrong_operand_type(ddb: Any, table_s: str) -> None:
    assert update_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "hello"}},
        UpdateExpression="ADD n :inc",
        ExpressionAttributeValues={":inc": {"S": "1"}},
    ) == (
        "ValidationException",
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
        "ADD, operand type: STRING",
    )


def test_arithmetic_on_wrong_type(ddb: Any, table_s: str, key: Any) -> None:
    ddb.put_item(TableName=table_s, Item={**key, "s": {"S": "x"}})
    assert update_error(
        ddb,
        TableName=table_s,
        Key=key,
        UpdateExpression="SET e = s + :a",
        ExpressionAttributeValues={":a": {"N": "1"}},
    ) == ("ValidationException", "An operand in the update expression has an incorrect data type")


def test_reference_to_missing_attribute(ddb: Any, table_s: str) -> None:
    assert update_error(
        ddb, TableName=table_s, Key={"p": {"S": new_key()}}, UpdateExpression="SET c = b"
    ) == (
        "ValidationException",
        "The provided expression refers to an attribute that does not exist in the item",
    )


@pytest.mark.parametrize("expression", ["SET b.a = :v", "SET b[1] = :v"])
def test_nested_path_in_missing_item(ddb: Any, table_s: str, expression: str) -> None:
    assert update_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": new_key()}},
        UpdateExpression=expression,
        ExpressionAttributeValues={":v": {"S": "x"}},
    ) == (
        "ValidationException",
        "The document path provided in the update expression is invalid for update",
    )


def test_legacy_type_mismatch(ddb: Any, table_s: str, key: Any) -> None:
    ddb.put_item(TableName=table_s, Item={**key, "b": {"SS": ["1"]}})
    assert update_error(
        ddb,
        TableName=table_s,
        Key=key,
        AttributeUpdates={"b": {"Action": "DELETE", "Value": {"NS": ["1"]}}},
    ) == ("ValidationException", "Type mismatch for attribute to update")


def test_table_not_found(ddb: Any) -> None:
    assert update_error(
        ddb, TableName=unique_name(), Key={"p": {"S": "x"}}, UpdateExpression="REMOVE a"
    ) == ("ResourceNotFoundException", "Requested resource not found")


def test_key_does_not_match_schema(ddb: Any, table_sn: str) -> None:
    assert update_error(
        ddb, TableName=table_sn, Key={"p": {"S": "x"}}, UpdateExpression="REMOVE a"
    ) == ("ValidationException", "The provided key element does not match the schema")


def test_updated_item_too_large(ddb: Any, table_s: str) -> None:
    assert update_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": new_key()}},
        AttributeUpdates={
            "b": {"Action": "PUT", "Value": {"S": "a" * (400 * 1024 - 1)}},
            "c": {"Action": "PUT", "Value": {"N": "1" * 38 + "0" * 88}},
        },
    ) == ("ValidationException", "Item size to update has exceeded the maximum allowed size")
