"""TransactGetItems: up to 100 items read together, answered in request order.

Sources: [docs] DynamoDB API Reference TransactGetItems and the developer guide "Amazon
DynamoDB Transactions: How it works" (100 items, 4 MB, two reads per item); [alternator]
scylladb test/alternator/test_transact.py (written against DynamoDB); [conformance] nubo-db and
paritysuite dynamodb-conformance tests/tier3/error-messages/transactGetItems.test.ts and
tests/tier3/validation-ordering/transactions.test.ts (captured against real DynamoDB, 2026);
ExtendDB issues #76 and #77 (ConsumedCapacity bodies observed on DynamoDB: 2 read units per
item, missing ones included; ReadCapacityUnits beside CapacityUnits).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

if TYPE_CHECKING:
    from dynamodb.conftest import RawCall

pytestmark = pytest.mark.aws_documented

KB = 1024
CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons"


def key(value: str | None = None) -> dict[str, Any]:
    return {"p": {"S": value if value is not None else new_key()}}


def get(table: str, item_key: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"Get": {"TableName": table, "Key": item_key, **extra}}


def error(ddb: Any, *actions: dict[str, Any], **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.transact_get_items(TransactItems=list(actions), **params)
    return error_of(excinfo)


def sized_item(value: str, total: int) -> dict[str, Any]:
    """An item of ``total`` bytes in a table keyed by ``p``: p + key + "v" + value."""
    return {"p": {"S": value}, "v": {"S": "a" * (total - 1 - len(value) - 1)}}


def test_answers_in_request_order(raw: RawCall, ddb: Any, table_s: str, table_sn: str) -> None:
    first = {**key(), "x": {"S": "one"}}
    second = {"p": {"S": new_key()}, "c": {"N": "2"}, "x": {"S": "two"}}
    ddb.put_item(TableName=table_s, Item=first)
    ddb.put_item(TableName=table_sn, Item=second)
    response = raw(
        "TransactGetItems",
        {
            "TransactItems": [
                get(table_sn, {"p": second["p"], "c": second["c"]}),
                get(table_s, key()),
                get(table_s, {"p": first["p"]}),
            ]
        },
    )
    assert response.status_code == 200
    assert response.json() == {"Responses": [{"Item": second}, {}, {"Item": first}]}


def test_projection_and_attribute_names(ddb: Any, table_s: str) -> None:
    first = {**key(), "x": {"N": "1"}, "y": {"N": "2"}, "z": {"M": {"w": {"S": "deep"}}}}
    second = {**key(), "x": {"N": "3"}, "y": {"N": "4"}}
    for item in (first, second):
        ddb.put_item(TableName=table_s, Item=item)
    out = ddb.transact_get_items(
        TransactItems=[
            get(
                table_s,
                {"p": first["p"]},
                ProjectionExpression="x, #z.w",
                ExpressionAttributeNames={"#z": "z"},
            ),
            get(table_s, {"p": second["p"]}, ProjectionExpression="y"),
        ]
    )
    assert out["Responses"] == [
        {"Item": {"x": {"N": "1"}, "z": {"M": {"w": {"S": "deep"}}}}},
        {"Item": {"y": {"N": "4"}}},
    ]


def test_table_arn(ddb: Any, table_s: str) -> None:
    item = key()
    ddb.put_item(TableName=table_s, Item=item)
    arn = ddb.describe_table(TableName=table_s)["Table"]["TableArn"]
    assert ddb.transact_get_items(TransactItems=[get(arn, item)])["Responses"] == [{"Item": item}]


def test_hundred_items(ddb: Any, table_s: str) -> None:
    prefix = new_key()
    items = [{"p": {"S": f"{prefix}-{i}"}, "i": {"N": str(i)}} for i in range(100)]
    for item in items[::2]:
        ddb.put_item(TableName=table_s, Item=item)
    out = ddb.transact_get_items(TransactItems=[get(table_s, {"p": i["p"]}) for i in items])
    assert out["Responses"] == [
        {"Item": item} if n % 2 == 0 else {} for n, item in enumerate(items)
    ]


def test_more_than_hundred_items(ddb: Any, table_s: str) -> None:
    code, message = error(ddb, *[get(table_s, key()) for _ in range(101)])
    assert code == "ValidationException"
    assert re.fullmatch(
        r"1 validation error detected: Value '\[.+\]' at 'transactItems' failed to satisfy "
        r"constraint: Member must have length less than or equal to 100",
        message,
        re.DOTALL,
    )


def test_empty_request(ddb: Any) -> None:
    assert error(ddb) == (
        "ValidationException",
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
    )


def test_null_element(raw: RawCall, table_s: str) -> None:
    response = raw("TransactGetItems", {"TransactItems": [None, get(table_s, key())]})
    assert (response.status_code, response.json()) == (
        400,
        {
            "__type": "com.amazon.coral.validate#ValidationException",
            # [gureum] the front end's wording for other null members
            "message": "1 validation error detected: Value null at 'transactItems.1.member' "
            "failed to satisfy constraint: Member must not be null",
        },
    )


def test_missing_table(ddb: Any, table_s: str) -> None:
    assert error(ddb, get(table_s, key()), get(unique_name("missing"), key())) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


def test_expression_errors_are_the_whole_request(ddb: Any, table_s: str) -> None:
    assert error(ddb, get(table_s, key(), ProjectionExpression="!!!")) == (
        "ValidationException",
        'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
    )
    names = {"#xx": "x", "#zz": "z", "#qq": "q"}
    unused = get(table_s, key(), ProjectionExpression="#xx,#zz", ExpressionAttributeNames=names)
    assert error(ddb, get(table_s, {"p": {"N": "1"}}), unused) == (
        "ValidationException",
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#qq}",
    )
    missing = get(
        table_s, key(), ProjectionExpression="#xx,#zz", ExpressionAttributeNames={"#xx": "x"}
    )
    assert error(ddb, missing) == (
        "ValidationException",
        "Invalid ProjectionExpression: An expression attribute name used in the document path is "
        "not defined; attribute name: #zz",
    )


def test_key_not_matching_the_schema(ddb: Any, table_s: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.transact_get_items(
            TransactItems=[get(table_s, key()), get(table_s, {}), get(table_s, {"p": {"N": "1"}})]
        )
    response = excinfo.value.response
    assert response["Error"] == {
        "Code": "TransactionCanceledException",
        "Message": f"{CANCELLED} [None, ValidationError, None]",
    }
    assert response["CancellationReasons"] == [
        {"Code": "None"},
        {
            "Code": "ValidationError",
            "Message": "The provided key element does not match the schema",
        },
        {"Code": "None"},
    ]


def test_empty_key_value(ddb: Any, table_s: str) -> None:
    assert error(ddb, get(table_s, {}), get(table_s, {"p": {"S": ""}})) == (
        "ValidationException",
        "One or more parameter values are not valid. The AttributeValue for a key attribute "
        "cannot contain an empty string value. Key: p",
    )


def test_one_item_twice(ddb: Any, table_s: str) -> None:
    item_key = key()
    assert error(ddb, get(table_s, item_key), get(table_s, item_key)) == (
        "ValidationException",
        "Transaction request cannot include multiple operations on one item",
    )


def test_unknown_capacity_mode_comes_first(ddb: Any, table_s: str) -> None:
    item_key = key()
    assert error(
        ddb,
        get(table_s, item_key),
        get(table_s, item_key),
        get(unique_name("missing"), key()),
        ReturnConsumedCapacity="BOGUS",
    ) == (
        "ValidationException",
        "1 validation error detected: Value 'BOGUS' at 'returnConsumedCapacity' failed to "
        "satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
    )


def test_answer_over_four_megabytes(ddb: Any, table_s: str) -> None:
    prefix = new_key()
    items = [sized_item(f"{prefix}-{i}", 400 * KB) for i in range(11)]
    for item in items:
        ddb.put_item(TableName=table_s, Item=item)
    code, message = error(ddb, *[get(table_s, {"p": item["p"]}) for item in items])
    assert code == "ValidationException"
    # [gureum] DynamoDB Local's text; the size is gureum's measure
    assert message == f"Payload in response is too large. Payload Size: {11 * 400 * KB}"
    out = ddb.transact_get_items(TransactItems=[get(table_s, {"p": i["p"]}) for i in items[:10]])
    assert len(out["Responses"]) == 10


# --- ReturnConsumedCapacity


def test_every_item_costs_twice_its_read_units(ddb: Any, table_s: str, table_sn: str) -> None:
    small, large = key(), sized_item(new_key(), 4 * KB + 1)
    ddb.put_item(TableName=table_s, Item=small)
    ddb.put_item(TableName=table_s, Item=large)
    out = ddb.transact_get_items(
        TransactItems=[
            get(table_s, small),  # 1 unit
            get(table_s, key()),  # missing: 1 unit
            get(table_s, {"p": large["p"]}, ProjectionExpression="p"),  # 2 units, whole item
            get(table_sn, {"p": {"S": new_key()}, "c": {"N": "1"}}),
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    assert out["ConsumedCapacity"] == [
        {"TableName": table_s, "CapacityUnits": 8.0, "ReadCapacityUnits": 8.0},
        {"TableName": table_sn, "CapacityUnits": 2.0, "ReadCapacityUnits": 2.0},
    ]


def test_indexes_mode_details_the_table(ddb: Any, table_s: str) -> None:
    item = key()
    ddb.put_item(TableName=table_s, Item=item)
    out = ddb.transact_get_items(
        TransactItems=[get(table_s, item), get(table_s, key())], ReturnConsumedCapacity="INDEXES"
    )
    assert out["ConsumedCapacity"] == [
        {
            "TableName": table_s,
            "CapacityUnits": 4.0,
            "ReadCapacityUnits": 4.0,
            "Table": {"ReadCapacityUnits": 4.0, "CapacityUnits": 4.0},
        }
    ]


@pytest.mark.parametrize("mode", [None, "NONE"])
def test_no_capacity_unless_asked(raw: RawCall, table_s: str, mode: str | None) -> None:
    request: dict[str, Any] = {"TransactItems": [get(table_s, key())]}
    if mode is not None:
        request["ReturnConsumedCapacity"] = mode
    assert raw("TransactGetItems", request).json() == {"Responses": [{}]}
