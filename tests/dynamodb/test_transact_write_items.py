"""TransactWriteItems: all-or-nothing writes, cancellation reasons, the whole request's errors,
ClientRequestToken, consumed capacity and item collection metrics.

Sources: [docs] DynamoDB API Reference TransactWriteItems and TransactionCanceledException, and
the developer guide "Amazon DynamoDB Transactions: How it works" (100 actions, 4 MB, one action
per item, 10-minute idempotency window, two reads or writes per item); [alternator] scylladb
test/alternator/test_transact.py (written against DynamoDB); [conformance] nubo-db and
paritysuite dynamodb-conformance tests/tier3/error-messages/transactWriteItems.test.ts,
tests/tier3/validation-ordering/transactions.test.ts, tests/tier3/limits/itemSizeBySurface.test.ts
and their capacity pull requests (captured against real DynamoDB, 2026); [moto]
tests/test_dynamodb/test_dynamodb_transact.py and exceptions/test_dynamodb_transactions.py
(the aws_verified tests); [localstack] tests/aws/services/dynamodb/test_dynamodb.snapshot.json
(recorded against AWS); an AWS SDK issue quoting a raw TransactionCanceledException body
(aws/aws-sdk-net#1292, boto/boto3#2657).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

if TYPE_CHECKING:
    from conftest import TableFactory
    from dynamodb.conftest import ClientFactory, RawCall

pytestmark = pytest.mark.aws_documented

KB = 1024
CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons"
CONDITION_FAILED = {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
NONE = {"Code": "None"}
SAME_ITEM = "Transaction request cannot include multiple operations on one item"
SCHEMA_MISMATCH = "The provided key element does not match the schema"


def key(value: str | None = None) -> dict[str, Any]:
    return {"p": {"S": value if value is not None else new_key()}}


def put(table: str, item: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"Put": {"TableName": table, "Item": item, **extra}}


def update(table: str, item_key: dict[str, Any], expression: str, **extra: Any) -> dict[str, Any]:
    return {
        "Update": {"TableName": table, "Key": item_key, "UpdateExpression": expression, **extra}
    }


def delete(table: str, item_key: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"Delete": {"TableName": table, "Key": item_key, **extra}}


def check(table: str, item_key: dict[str, Any], condition: str, **extra: Any) -> dict[str, Any]:
    return {
        "ConditionCheck": {
            "TableName": table,
            "Key": item_key,
            "ConditionExpression": condition,
            **extra,
        }
    }


def refusal(ddb: Any, *actions: dict[str, Any], **params: Any) -> dict[str, Any]:
    """The error response of a TransactWriteItems that must fail."""
    with pytest.raises(ClientError) as excinfo:
        ddb.transact_write_items(TransactItems=list(actions), **params)
    response: dict[str, Any] = excinfo.value.response
    return response


def error(ddb: Any, *actions: dict[str, Any], **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.transact_write_items(TransactItems=list(actions), **params)
    return error_of(excinfo)


def reasons(ddb: Any, *actions: dict[str, Any], **params: Any) -> list[dict[str, Any]]:
    """The CancellationReasons of a cancelled transaction (its message checked against them)."""
    response = refusal(ddb, *actions, **params)
    found: list[dict[str, Any]] = response["CancellationReasons"]
    codes = ", ".join(reason["Code"] for reason in found)
    assert response["Error"] == {
        "Code": "TransactionCanceledException",
        "Message": f"{CANCELLED} [{codes}]",
    }
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return found


def get(ddb: Any, table: str, item_key: dict[str, Any]) -> dict[str, Any] | None:
    found: dict[str, Any] | None = ddb.get_item(
        TableName=table, Key=item_key, ConsistentRead=True
    ).get("Item")
    return found


def sized_item(value: str, total: int) -> dict[str, Any]:
    """An item of ``total`` bytes in a table keyed by ``p``: p + key + "v" + value."""
    return {"p": {"S": value}, "v": {"S": "a" * (total - 1 - len(value) - 1)}}


# --- successful transactions


def test_put_update_delete_and_check_answer_empty_object(
    raw: RawCall, ddb: Any, table_s: str
) -> None:
    created, updated, deleted, checked = key(), key(), key(), key()
    ddb.put_item(TableName=table_s, Item={**updated, "n": {"N": "1"}})
    ddb.put_item(TableName=table_s, Item=deleted)
    ddb.put_item(TableName=table_s, Item={**checked, "s": {"S": "on"}})
    response = raw(
        "TransactWriteItems",
        {
            "TransactItems": [
                put(table_s, {**created, "a": {"S": "new"}}),
                update(
                    table_s,
                    updated,
                    "SET n = n + :one",
                    ExpressionAttributeValues={":one": {"N": "1"}},
                ),
                delete(table_s, deleted),
                check(table_s, checked, "s = :on", ExpressionAttributeValues={":on": {"S": "on"}}),
            ]
        },
    )
    assert (response.status_code, response.json()) == (200, {})
    assert get(ddb, table_s, created) == {**created, "a": {"S": "new"}}
    assert get(ddb, table_s, updated) == {**updated, "n": {"N": "2"}}
    assert get(ddb, table_s, deleted) is None
    assert get(ddb, table_s, checked) == {**checked, "s": {"S": "on"}}


def test_put_replaces_the_whole_item(ddb: Any, table_s: str) -> None:
    item_key = key()
    ddb.put_item(TableName=table_s, Item={**item_key, "x": {"S": "old"}})
    ddb.transact_write_items(TransactItems=[put(table_s, {**item_key, "y": {"S": "new"}})])
    assert get(ddb, table_s, item_key) == {**item_key, "y": {"S": "new"}}


def test_update_creates_a_missing_item(ddb: Any, table_s: str) -> None:
    item_key = key()
    ddb.transact_write_items(
        TransactItems=[
            update(table_s, item_key, "SET a = :a", ExpressionAttributeValues={":a": {"S": "x"}})
        ]
    )
    assert get(ddb, table_s, item_key) == {**item_key, "a": {"S": "x"}}


def test_update_that_only_removes_does_not_create(ddb: Any, table_s: str) -> None:
    item_key = key()
    ddb.transact_write_items(TransactItems=[update(table_s, item_key, "REMOVE a")])
    assert get(ddb, table_s, item_key) is None


def test_condition_checks_and_deletes_of_missing_items_write_nothing(
    ddb: Any, table_s: str
) -> None:
    first, second = key(), key()
    ddb.transact_write_items(
        TransactItems=[check(table_s, first, "attribute_not_exists(p)"), delete(table_s, second)]
    )
    assert get(ddb, table_s, first) is None
    assert get(ddb, table_s, second) is None


def test_spans_tables_and_accepts_table_arns(ddb: Any, table_s: str, table_sn: str) -> None:
    arn = ddb.describe_table(TableName=table_sn)["Table"]["TableArn"]
    first = {**key(), "x": {"S": "dog"}}
    second = {"p": {"S": new_key()}, "c": {"N": "7"}, "x": {"S": "cat"}}
    ddb.transact_write_items(
        TransactItems=[
            put(table_s, first),
            put(arn, second, ConditionExpression="attribute_not_exists(p)"),
        ]
    )
    assert get(ddb, table_s, {"p": first["p"]}) == first
    assert get(ddb, table_sn, {"p": second["p"], "c": second["c"]}) == second


def test_hundred_actions(ddb: Any, table_s: str) -> None:
    prefix = new_key()
    items = [{"p": {"S": f"{prefix}-{i}"}, "i": {"N": str(i)}} for i in range(100)]
    ddb.transact_write_items(TransactItems=[put(table_s, item) for item in items])
    for item in items[::33]:
        assert get(ddb, table_s, {"p": item["p"]}) == item


def test_secondary_index_entries_follow_the_writes(ddb: Any, make_table: TableFactory) -> None:
    table = make_table(
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
    kept, moved, removed = key(), key(), key()
    for item_key in (moved, removed):
        ddb.put_item(TableName=table, Item={**item_key, "g": {"S": "before"}})
    ddb.transact_write_items(
        TransactItems=[
            put(table, {**kept, "g": {"S": "after"}}),
            update(table, moved, "SET g = :g", ExpressionAttributeValues={":g": {"S": "after"}}),
            delete(table, removed),
        ]
    )

    def indexed(value: str) -> list[str]:
        items = ddb.query(
            TableName=table,
            IndexName="by-g",
            KeyConditionExpression="g = :g",
            ExpressionAttributeValues={":g": {"S": value}},
        )["Items"]
        return sorted(item["p"]["S"] for item in items)

    assert indexed("after") == sorted([kept["p"]["S"], moved["p"]["S"]])
    assert indexed("before") == []


# --- cancellation: conditions


def test_false_condition_cancels_everything(ddb: Any, table_s: str) -> None:
    first, second, third = key(), key(), key()
    found = reasons(
        ddb,
        put(table_s, first),
        put(table_s, second, ConditionExpression="attribute_not_exists(p)"),
        check(table_s, third, "attribute_exists(p)"),
    )
    assert found == [NONE, NONE, CONDITION_FAILED]
    assert [get(ddb, table_s, k) for k in (first, second, third)] == [None, None, None]


def test_every_failed_condition_is_reported_in_order(ddb: Any, table_s: str) -> None:
    existing = key()
    ddb.put_item(TableName=table_s, Item=existing)
    found = reasons(
        ddb,
        put(table_s, key()),
        check(table_s, key(), "attribute_exists(p)"),
        put(table_s, existing, ConditionExpression="attribute_not_exists(p)"),
        delete(table_s, key(), ConditionExpression="attribute_exists(p)"),
        update(
            table_s,
            key(),
            "SET a = :a",
            ConditionExpression="attribute_exists(p)",
            ExpressionAttributeValues={":a": {"S": "x"}},
        ),
    )
    assert found == [NONE, CONDITION_FAILED, CONDITION_FAILED, CONDITION_FAILED, CONDITION_FAILED]


def test_cancelled_update_leaves_no_item_behind(ddb: Any, table_s: str) -> None:
    item_key = key()
    found = reasons(
        ddb,
        update(
            table_s,
            item_key,
            "SET s = :s",
            ConditionExpression="s = :s",
            ExpressionAttributeValues={":s": {"S": "x"}},
        ),
    )
    assert found == [CONDITION_FAILED]
    assert get(ddb, table_s, item_key) is None


def test_cancellation_on_the_wire(raw: RawCall, table_s: str) -> None:
    response = raw(
        "TransactWriteItems",
        {
            "TransactItems": [
                check(table_s, key(), "attribute_exists(p)"),
                delete(table_s, key()),
            ]
        },
    )
    body = response.json()
    assert response.status_code == 400
    assert body["__type"] == "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"
    assert body["CancellationReasons"] == [CONDITION_FAILED, NONE]


@pytest.mark.parametrize("kind", ["Put", "Update", "Delete", "ConditionCheck"])
def test_return_values_on_condition_check_failure(ddb: Any, table_s: str, kind: str) -> None:
    existing = {**key(), "a": {"S": "old"}, "b": {"BS": [b"x", b"y"]}}
    ddb.put_item(TableName=table_s, Item=existing)
    item_key = {"p": existing["p"]}
    spec: dict[str, Any] = {
        "TableName": table_s,
        "ConditionExpression": "a = :v",
        "ExpressionAttributeValues": {":v": {"S": "new"}},
    }
    if kind == "Put":
        spec["Item"] = {**item_key, "a": {"S": "new"}}
    else:
        spec["Key"] = item_key
    if kind == "Update":
        spec["UpdateExpression"] = "SET a = :v"
    for wanted, expected in (
        ("ALL_OLD", {**CONDITION_FAILED, "Item": existing}),
        ("NONE", CONDITION_FAILED),
        (None, CONDITION_FAILED),
    ):
        action = dict(spec)
        if wanted is not None:
            action["ReturnValuesOnConditionCheckFailure"] = wanted
        missing = {**action, "Key": key()} if kind != "Put" else {**action, "Item": key()}
        assert reasons(ddb, {kind: action}, {kind: missing}) == [expected, CONDITION_FAILED]
    assert get(ddb, table_s, item_key) == existing


def test_unknown_return_values_on_condition_check_failure(ddb: Any, table_s: str) -> None:
    # a ValidationException for the whole request, not a cancellation reason
    assert error(
        ddb, check(table_s, key(), "attribute_exists(p)", ReturnValuesOnConditionCheckFailure="dog")
    ) == (
        "ValidationException",
        "1 validation error detected: Value 'dog' at "
        "'transactItems.1.member.conditionCheck.returnValuesOnConditionCheckFailure' failed to "
        "satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
    )


# --- cancellation: what does not fit the table


def test_key_of_the_wrong_type_in_put(ddb: Any, table_s: str) -> None:
    found = reasons(ddb, put(table_s, {"p": {"N": "5"}}))
    assert found == [
        {
            "Code": "ValidationError",
            "Message": "One or more parameter values were invalid: Type mismatch for key p "
            "expected: S actual: N",
        }
    ]


def test_only_the_first_validation_error_is_reported(ddb: Any, table_s: str) -> None:
    third = key()
    found = reasons(
        ddb,
        put(table_s, {"p": {"N": "7"}}),
        put(table_s, {"p": {"L": [{"S": "x"}]}}),
        put(table_s, third, ConditionExpression="attribute_exists(p)"),
    )
    assert found == [
        {
            "Code": "ValidationError",
            "Message": "One or more parameter values were invalid: Type mismatch for key p "
            "expected: S actual: N",
        },
        NONE,
        NONE,
    ]
    assert get(ddb, table_s, third) is None


@pytest.mark.parametrize("kind", ["Update", "Delete", "ConditionCheck"])
@pytest.mark.parametrize("value", [{"N": "5"}, {"L": [{"S": "x"}]}])
def test_lookup_key_not_matching_the_schema(
    ddb: Any, table_s: str, kind: str, value: dict[str, Any]
) -> None:
    spec: dict[str, Any] = {"TableName": table_s, "Key": {"p": value}}
    if kind == "Update":
        spec.update(UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"S": "x"}})
    if kind == "ConditionCheck":
        spec["ConditionExpression"] = "attribute_not_exists(p)"
    assert reasons(ddb, {kind: spec}) == [{"Code": "ValidationError", "Message": SCHEMA_MISMATCH}]


def test_put_item_without_its_key(ddb: Any, table_s: str) -> None:
    assert reasons(ddb, put(table_s, {"a": {"S": "x"}}), put(table_s, key())) == [
        {
            "Code": "ValidationError",
            "Message": "One or more parameter values were invalid: Missing the key p in the item",
        },
        NONE,
    ]


def test_update_of_a_key_attribute(ddb: Any, table_s: str) -> None:
    # [gureum] a cancellation reason, as DynamoDB Local answers it
    found = reasons(
        ddb, update(table_s, key(), "SET p = :p", ExpressionAttributeValues={":p": {"S": "x"}})
    )
    assert found == [
        {
            "Code": "ValidationError",
            "Message": "One or more parameter values were invalid: Cannot update attribute p. "
            "This attribute is part of the key",
        }
    ]


def test_update_that_cannot_be_applied(ddb: Any, table_s: str) -> None:
    existing = key()
    ddb.put_item(TableName=table_s, Item={**existing, "s": {"S": "text"}})
    found = reasons(
        ddb,
        update(table_s, key(), "SET n = n + :one", ExpressionAttributeValues={":one": {"N": "1"}}),
        check(table_s, key(), "attribute_exists(p)"),
        update(
            table_s, existing, "SET s = s + :one", ExpressionAttributeValues={":one": {"N": "1"}}
        ),
    )
    assert found == [
        {
            "Code": "ValidationError",
            "Message": "The provided expression refers to an attribute that does not exist in "
            "the item",
        },
        CONDITION_FAILED,
        {
            "Code": "ValidationError",
            "Message": "An operand in the update expression has an incorrect data type",
        },
    ]


def test_update_over_the_item_size_limit(ddb: Any, table_s: str) -> None:
    existing = key()
    ddb.put_item(TableName=table_s, Item={**existing, "small": {"S": "x"}})
    for item_key in (key(), existing):
        found = reasons(
            ddb,
            update(
                table_s,
                item_key,
                "SET big = :big",
                ExpressionAttributeValues={":big": {"S": "x" * (400 * KB)}},
            ),
        )
        assert found == [
            {
                "Code": "ValidationError",
                "Message": "Item size to update has exceeded the maximum allowed size",
            }
        ]
    assert get(ddb, table_s, existing) == {**existing, "small": {"S": "x"}}


def test_update_reaching_exactly_the_item_size_limit(ddb: Any, table_s: str) -> None:
    item = sized_item(new_key(), 400 * KB)
    ddb.transact_write_items(
        TransactItems=[
            update(
                table_s, {"p": item["p"]}, "SET v = :v", ExpressionAttributeValues={":v": item["v"]}
            )
        ]
    )
    assert get(ddb, table_s, {"p": item["p"]}) == item


# --- the whole request's errors


def test_missing_table(ddb: Any, table_s: str) -> None:
    assert error(ddb, put(table_s, key()), put(unique_name("missing"), {})) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


@pytest.mark.parametrize("kind", ["Put", "Update", "Delete", "ConditionCheck"])
@pytest.mark.parametrize(("value", "what"), [({"S": ""}, "string"), ({"B": b""}, "binary")])
def test_empty_key_value(
    ddb: Any, make_table: TableFactory, kind: str, value: dict[str, Any], what: str
) -> None:
    table = make_table("p:S" if what == "string" else "p:B")
    spec: dict[str, Any] = {"TableName": table}
    if kind == "Put":
        spec["Item"] = {"p": value}
    else:
        spec["Key"] = {"p": value}
    if kind == "Update":
        spec.update(UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"S": "x"}})
    if kind == "ConditionCheck":
        spec["ConditionExpression"] = "attribute_not_exists(p)"
    # before any cancellation reason of another action
    assert error(ddb, put(table, {"p": {"N": "1"}}), {kind: spec}) == (
        "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        f"cannot contain an empty {what} value. Key: p",
    )


def test_empty_index_key_value(ddb: Any, make_table: TableFactory) -> None:
    table = make_table(
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
    assert error(ddb, put(table, {**key(), "g": {"S": ""}})) == (
        "ValidationException",
        "One or more parameter values are not valid. A value specified for a secondary index key "
        "is not supported. The AttributeValue for a key attribute cannot contain an empty string "
        "value. IndexName: by-g, IndexKey: g",
    )
    assert reasons(ddb, put(table, {**key(), "g": {"N": "1"}})) == [
        {
            "Code": "ValidationError",
            "Message": "One or more parameter values were invalid: Type mismatch for Index Key g "
            "Expected: S Actual: N IndexName: by-g",
        }
    ]


def test_two_actions_on_one_item(ddb: Any, table_s: str, table_ss: str) -> None:
    first, second = key(), key()
    cases = [
        [put(table_s, first), put(table_s, first)],
        [put(table_s, first), check(table_s, first, "attribute_not_exists(p)")],
        [
            put(table_s, first),
            check(table_s, second, "attribute_not_exists(p)"),
            check(table_s, second, "attribute_not_exists(p)"),
        ],
        [
            put(table_ss, {"p": {"S": "a"}, "c": {"S": "b"}, "x": {"S": "y"}}),
            delete(table_ss, {"c": {"S": "b"}, "p": {"S": "a"}}),  # the key in another order
        ],
    ]
    for actions in cases:
        assert error(ddb, *actions) == ("ValidationException", SAME_ITEM)
    assert get(ddb, table_s, first) is None


def test_same_key_in_two_tables_is_two_items(
    ddb: Any, table_s: str, make_table: TableFactory
) -> None:
    other = make_table()
    item = key()
    ddb.transact_write_items(TransactItems=[put(table_s, item), put(other, item)])
    assert get(ddb, other, item) == item


def test_empty_transaction(ddb: Any) -> None:
    assert error(ddb) == (
        "ValidationException",
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
    )


def test_more_than_hundred_actions(ddb: Any, table_s: str) -> None:
    code, message = error(ddb, *[put(table_s, key()) for _ in range(101)])
    assert code == "ValidationException"
    assert re.fullmatch(
        r"1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy "
        r"constraint: Member must have length less than or equal to 100",
        message,
        re.DOTALL,
    )


def test_element_without_an_action(ddb: Any, table_s: str) -> None:
    # [gureum] DynamoDB Local's text
    assert error(ddb, put(table_s, key()), {}) == (
        "ValidationException",
        "Invalid Request: TransactWriteRequest should contain Delete or Put or Update request",
    )


def test_null_element(raw: RawCall, table_s: str) -> None:
    response = raw("TransactWriteItems", {"TransactItems": [put(table_s, key()), None]})
    assert (response.status_code, response.json()) == (
        400,
        {
            "__type": "com.amazon.coral.validate#ValidationException",
            # [gureum] the front end's wording for other null members
            "message": "1 validation error detected: Value null at 'transactItems.2.member' "
            "failed to satisfy constraint: Member must not be null",
        },
    )


def test_element_with_two_actions(ddb: Any, table_s: str) -> None:
    item_key = key()
    both = {**put(table_s, item_key), **delete(table_s, item_key)}
    # [gureum] DynamoDB Local's (and moto's) text
    assert error(ddb, both) == (
        "ValidationException",
        "TransactItems can only contain one of Check, Put, Update or Delete",
    )


def test_condition_check_needs_a_condition(ddb: Any, table_s: str) -> None:
    action = {"ConditionCheck": {"TableName": table_s, "Key": key()}}
    assert error(ddb, put(table_s, key()), action) == (
        "ValidationException",
        "1 validation error detected: Value null at "
        "'transactItems.2.member.conditionCheck.conditionExpression' failed to satisfy "
        "constraint: Member must not be null",
    )


def test_bad_table_names_are_reported_together(ddb: Any) -> None:
    assert error(ddb, put("ab", key()), delete("x!y", key())) == (
        "ValidationException",
        "2 validation errors detected: Value 'ab' at 'transactItems.1.member.put.tableName' "
        "failed to satisfy constraint: Member must have length greater than or equal to 3; "
        "Value 'x!y' at 'transactItems.2.member.delete.tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    )


def test_expression_errors_are_the_whole_request(ddb: Any, table_s: str) -> None:
    item = key()
    cases = [
        (
            put(table_s, item, ConditionExpression="attribute_exists(#xyz)"),
            "Invalid ConditionExpression: An expression attribute name used in the document "
            "path is not defined; attribute name: #xyz",
        ),
        (
            put(table_s, item, ConditionExpression="p = :xyz"),
            "Invalid ConditionExpression: An expression attribute value used in expression is "
            "not defined; attribute value: :xyz",
        ),
        (
            put(
                table_s,
                item,
                ConditionExpression="attribute_exists(p)",
                ExpressionAttributeNames={"#xyz": "x"},
            ),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#xyz}",
        ),
        (
            check(
                table_s,
                item,
                "attribute_not_exists(p)",
                ExpressionAttributeValues={":v": {"S": "x"}},
            ),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}",
        ),
        (
            check(table_s, item, "attribute_not_exists("),
            'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("',
        ),
        (
            put(
                table_s,
                item,
                ConditionExpression="attribute_not_exists(#n0)",
                ExpressionAttributeNames={"#n0": "p"},
                ExpressionAttributeValues={},
            ),
            "ExpressionAttributeValues must not be empty",
        ),
    ]
    for action, message in cases:
        assert error(ddb, put(table_s, {"p": {"N": "1"}}), action) == (
            "ValidationException",
            message,
        )
    assert get(ddb, table_s, item) is None


def test_attribute_names_of_the_wrong_type(ddb: Any, table_s: str) -> None:
    action = put(
        table_s,
        key(),
        ConditionExpression="attribute_exists(p)",
        ExpressionAttributeNames={"#x": 7},
    )
    assert error(ddb, action)[0] == "SerializationException"


def test_checks_come_in_dynamodb_order(ddb: Any, table_s: str) -> None:
    missing = unique_name("missing")
    syntax = 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("'
    deep: dict[str, Any] = {"S": "leaf"}
    for _ in range(32):
        deep = {"M": {"n": deep}}
    too_deep = (
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
        "beyond supported limit"
    )
    unused = check(
        table_s, key(), "attribute_not_exists(p)", ExpressionAttributeValues={":v": {"S": "x"}}
    )
    malformed = check(table_s, key(), "attribute_not_exists(")
    item = key()
    # a malformed condition on a later action comes before a missing table on an earlier one
    assert error(ddb, put(missing, key()), malformed)[1] == syntax
    # between two actions' own errors, the first action's wins
    assert error(ddb, malformed, put(table_s, {**key(), "d": deep}))[1] == syntax
    assert error(ddb, put(table_s, {**key(), "d": deep}), malformed)[1] == too_deep
    # an unused value comes before a missing table and before two actions on one item
    message = "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"
    assert error(ddb, put(missing, key()), unused)[1] == message
    assert error(ddb, put(table_s, item), unused, put(table_s, item))[1] == message
    # a missing table comes before a key of the wrong type
    assert error(ddb, put(table_s, {"p": {"N": "1"}}), put(missing, key()))[1] == (
        "Requested resource not found"
    )
    assert get(ddb, table_s, item) is None


def test_unknown_capacity_and_metrics_modes(ddb: Any, table_s: str) -> None:
    item = key()
    assert error(
        ddb, put(table_s, item), ReturnConsumedCapacity="BOGUS", ReturnItemCollectionMetrics="B2"
    ) == (
        "ValidationException",
        "2 validation errors detected: Value 'BOGUS' at 'returnConsumedCapacity' failed to "
        "satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value "
        "'B2' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must satisfy "
        "enum value set: [SIZE, NONE]",
    )
    assert get(ddb, table_s, item) is None


def test_put_over_the_item_size_limit(ddb: Any, table_s: str) -> None:
    item = sized_item(new_key(), 400 * KB + 1)
    # a ValidationException for the whole request, not a cancellation reason
    assert error(ddb, put(table_s, item)) == (
        "ValidationException",
        "Item size has exceeded the maximum allowed size",
    )
    exact = sized_item(new_key(), 400 * KB)
    ddb.transact_write_items(TransactItems=[put(table_s, exact)])
    assert get(ddb, table_s, {"p": exact["p"]}) == exact


# --- the 4 MB limit is on the request's size, not on the items it names


def test_request_over_four_megabytes(ddb: Any, table_s: str) -> None:
    prefix = new_key()
    items = [sized_item(f"{prefix}-{i}", 100_000) for i in range(50)]
    code, message = error(ddb, *[put(table_s, item) for item in items])
    assert code == "ValidationException"
    assert message.startswith("Transaction payload size cannot exceed 4MB. Payload Size: ")
    assert get(ddb, table_s, {"p": items[0]["p"]}) is None


def test_request_of_three_megabytes(ddb: Any, table_s: str) -> None:
    prefix = new_key()
    items = [sized_item(f"{prefix}-{i}", 100_000) for i in range(30)]
    ddb.transact_write_items(TransactItems=[put(table_s, item) for item in items])
    assert get(ddb, table_s, {"p": items[-1]["p"]}) == items[-1]


def test_deleting_five_megabytes_of_items(ddb: Any, table_s: str) -> None:
    prefix = new_key()
    keys = [{"p": {"S": f"{prefix}-{i}"}} for i in range(50)]
    for item_key in keys:
        ddb.put_item(TableName=table_s, Item=sized_item(item_key["p"]["S"], 100_000))
    ddb.transact_write_items(TransactItems=[delete(table_s, item_key) for item_key in keys])
    assert all(get(ddb, table_s, item_key) is None for item_key in keys[::7])


# --- ClientRequestToken


def increment(table: str, item_key: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        update(table, item_key, "SET n = n + :one", ExpressionAttributeValues={":one": {"N": "1"}})
    ]


def counter(ddb: Any, table: str, item_key: dict[str, Any]) -> str:
    item = get(ddb, table, item_key)
    assert item is not None
    value: str = item["n"]["N"]
    return value


def test_same_token_and_request_write_once(ddb: Any, table_s: str) -> None:
    item_key = key()
    ddb.put_item(TableName=table_s, Item={**item_key, "n": {"N": "42"}})
    ddb.transact_write_items(TransactItems=increment(table_s, item_key))
    ddb.transact_write_items(TransactItems=increment(table_s, item_key))
    assert counter(ddb, table_s, item_key) == "44"
    token = new_key()
    for _ in range(3):
        out = ddb.transact_write_items(
            ClientRequestToken=token, TransactItems=increment(table_s, item_key)
        )
        assert counter(ddb, table_s, item_key) == "45"
        assert out["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_same_token_with_another_request(ddb: Any, table_s: str) -> None:
    token = new_key()
    ddb.transact_write_items(ClientRequestToken=token, TransactItems=[put(table_s, key())])
    other = key()
    with pytest.raises(ClientError) as excinfo:
        ddb.transact_write_items(ClientRequestToken=token, TransactItems=[put(table_s, other)])
    code, message = error_of(excinfo)
    assert code == "IdempotentParameterMismatchException"
    # [gureum] DynamoDB Local's text
    assert message == (
        "Specified idempotent token was used with different request parameters within the "
        "idempotency window"
    )
    assert get(ddb, table_s, other) is None


def test_token_of_a_cancelled_transaction_can_be_used_again(ddb: Any, table_s: str) -> None:
    token, item_key = new_key(), key()
    actions = [put(table_s, item_key, ConditionExpression="attribute_exists(p)")]
    for _ in range(2):
        with pytest.raises(ClientError) as excinfo:
            ddb.transact_write_items(ClientRequestToken=token, TransactItems=actions)
        assert error_of(excinfo)[0] == "TransactionCanceledException"
    ddb.transact_write_items(ClientRequestToken=token, TransactItems=[put(table_s, item_key)])
    assert get(ddb, table_s, item_key) == item_key


def test_tokens_belong_to_an_account(ddb: Any, client_as: ClientFactory, table_s: str) -> None:
    token = new_key()
    ddb.transact_write_items(ClientRequestToken=token, TransactItems=[put(table_s, key())])
    other = client_as("111122223333")
    table = unique_name()
    other.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    try:
        item_key = key()
        other.transact_write_items(ClientRequestToken=token, TransactItems=[put(table, item_key)])
        assert "Item" in other.get_item(TableName=table, Key=item_key)
    finally:
        other.delete_table(TableName=table)


def test_token_length(ddb: Any, table_s: str) -> None:
    ddb.transact_write_items(ClientRequestToken="t" * 36, TransactItems=[put(table_s, key())])
    token = "x" * 37
    assert error(ddb, put(table_s, key()), ClientRequestToken=token) == (
        "ValidationException",
        f"1 validation error detected: Value '{token}' at 'clientRequestToken' failed to satisfy "
        "constraint: Member must have length less than or equal to 36",
    )


def test_replay_reports_read_capacity(ddb: Any, table_s: str) -> None:
    token, item = new_key(), sized_item(new_key(), 1536)
    first = ddb.transact_write_items(
        ClientRequestToken=token, TransactItems=[put(table_s, item)], ReturnConsumedCapacity="TOTAL"
    )
    assert first["ConsumedCapacity"] == [
        {"TableName": table_s, "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0}
    ]
    replay = ddb.transact_write_items(
        ClientRequestToken=token, TransactItems=[put(table_s, item)], ReturnConsumedCapacity="TOTAL"
    )
    assert replay["ConsumedCapacity"] == [
        {"TableName": table_s, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0}
    ]


# --- ReturnConsumedCapacity and ReturnItemCollectionMetrics


@pytest.mark.parametrize("mode", [None, "NONE"])
def test_no_capacity_unless_asked(raw: RawCall, table_s: str, mode: str | None) -> None:
    request: dict[str, Any] = {"TransactItems": [put(table_s, key())]}
    if mode is not None:
        request["ReturnConsumedCapacity"] = mode
    assert raw("TransactWriteItems", request).json() == {}


def test_every_item_costs_twice_its_write_units(ddb: Any, table_s: str, table_sn: str) -> None:
    existing = sized_item(new_key(), 3 * KB)
    ddb.put_item(TableName=table_s, Item=existing)
    out = ddb.transact_write_items(
        TransactItems=[
            put(table_s, key()),  # 1 unit
            put(table_s, sized_item(new_key(), KB + 1)),  # 2 units
            delete(table_s, {"p": existing["p"]}),  # 3 units, the deleted item
            check(table_s, key(), "attribute_not_exists(p)"),  # 1 unit, written as a check
            put(table_sn, {"p": {"S": new_key()}, "c": {"N": "1"}}),  # 1 unit
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    assert out["ConsumedCapacity"] == [
        {"TableName": table_s, "CapacityUnits": 14.0, "WriteCapacityUnits": 14.0},
        {"TableName": table_sn, "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0},
    ]


def test_update_counts_the_larger_version(ddb: Any, table_s: str) -> None:
    item = sized_item(new_key(), 2 * KB)
    ddb.put_item(TableName=table_s, Item=item)
    out = ddb.transact_write_items(
        TransactItems=[update(table_s, {"p": item["p"]}, "REMOVE v")],
        ReturnConsumedCapacity="INDEXES",
    )
    assert out["ConsumedCapacity"] == [
        {
            "TableName": table_s,
            "CapacityUnits": 4.0,
            "WriteCapacityUnits": 4.0,
            "Table": {"WriteCapacityUnits": 4.0, "CapacityUnits": 4.0},
        }
    ]


def test_item_collection_metrics(ddb: Any, make_table: TableFactory, table_s: str) -> None:
    table = make_table(
        "p:S",
        "c:S",
        ExtraAttributes=["l:S"],
        LocalSecondaryIndexes=[
            {
                "IndexName": "by-l",
                "KeySchema": [
                    {"AttributeName": "p", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    first, second = new_key(), new_key()
    out = ddb.transact_write_items(
        TransactItems=[
            put(table, {"p": {"S": first}, "c": {"S": "1"}, "l": {"S": "x"}}),
            delete(table, {"p": {"S": second}, "c": {"S": "1"}}),
            check(table, {"p": {"S": first}, "c": {"S": "2"}}, "attribute_not_exists(p)"),
            put(table_s, key()),  # no local index, no item collection
        ],
        ReturnItemCollectionMetrics="SIZE",
    )
    assert out["ItemCollectionMetrics"] == {
        table: [
            {"ItemCollectionKey": {"p": {"S": first}}, "SizeEstimateRangeGB": [0.0, 1.0]},
            {"ItemCollectionKey": {"p": {"S": second}}, "SizeEstimateRangeGB": [0.0, 1.0]},
        ]
    }
