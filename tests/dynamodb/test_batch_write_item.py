"""BatchWriteItem.

Sources: [dynalite] mhart/dynalite test/batchWriteItem.js (recorded against production
DynamoDB); [conformance] nubo-db/dynamodb-conformance tests/tier3/error-messages/
batchWriteItem.test.ts and tests/tier3/limits/batchLimits.test.ts (run against real DynamoDB,
2026); [alternator] scylladb test/alternator/test_batch.py and
test_gsi.py::test_gsi_empty_value_in_bigger_batch_write (a failing request writes nothing).
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


def batch_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(**params)
    return error_of(excinfo)


def exists(ddb: Any, table: str, key: dict[str, Any]) -> bool:
    return "Item" in ddb.get_item(TableName=table, Key=key, ConsistentRead=True)


def puts(*items: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"PutRequest": {"Item": item}} for item in items]


def test_puts_and_deletes(raw: RawCall, ddb: Any, table_s: str, table_sn: str) -> None:
    old = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item=old)
    new_s = {"p": {"S": new_key()}, "v": {"S": "x"}}
    new_sn = {"p": {"S": new_key()}, "c": {"N": "1"}}
    response = raw(
        "BatchWriteItem",
        {
            "RequestItems": {
                table_s: [{"PutRequest": {"Item": new_s}}, {"DeleteRequest": {"Key": old}}],
                table_sn: [{"PutRequest": {"Item": new_sn}}],
            }
        },
    )
    assert (response.status_code, response.json()) == (200, {"UnprocessedItems": {}})
    assert ddb.get_item(TableName=table_s, Key={"p": new_s["p"]})["Item"] == new_s
    assert exists(ddb, table_sn, new_sn)
    assert not exists(ddb, table_s, old)


def test_delete_of_missing_item(ddb: Any, table_s: str) -> None:
    out = ddb.batch_write_item(
        RequestItems={table_s: [{"DeleteRequest": {"Key": {"p": {"S": new_key()}}}}]}
    )
    assert out["UnprocessedItems"] == {}


def test_put_replaces_item(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item={**key, "old": {"S": "x"}})
    ddb.batch_write_item(RequestItems={table_s: puts({**key, "new": {"S": "y"}})})
    assert ddb.get_item(TableName=table_s, Key=key)["Item"] == {**key, "new": {"S": "y"}}


def test_twenty_five_requests(ddb: Any, table_s: str) -> None:
    items = [{"p": {"S": new_key()}, "payload": {"S": "x" * 20_000}} for _ in range(25)]
    out = ddb.batch_write_item(RequestItems={table_s: puts(*items)})
    assert out["UnprocessedItems"] == {}
    assert all(exists(ddb, table_s, {"p": i["p"]}) for i in items)


def test_more_than_twenty_five_requests_for_one_table(ddb: Any, table_s: str) -> None:
    items = [{"p": {"S": f"w26-{i}"}} for i in range(26)]
    code, message = batch_error(ddb, RequestItems={table_s: puts(*items)})
    assert code == "ValidationException"
    assert re.fullmatch(
        rf"1 validation error detected: Value '\{{{re.escape(table_s)}=\[.+\]\}}' at "
        r"'requestItems' failed to satisfy constraint: Map value must satisfy constraint: "
        r"\[Member must have length less than or equal to 25, Member must have length greater "
        r"than or equal to 1\]",
        message,
        re.DOTALL,
    )
    assert not exists(ddb, table_s, {"p": {"S": "w26-0"}})


def test_more_than_twenty_five_requests_over_tables(ddb: Any, table_s: str, table_ss: str) -> None:
    assert batch_error(
        ddb,
        RequestItems={
            table_s: puts(*({"p": {"S": f"a{i}"}} for i in range(13))),
            table_ss: puts(*({"p": {"S": "b"}, "c": {"S": f"{i}"}} for i in range(13))),
        },
    ) == ("ValidationException", "Too many items requested for the BatchWriteItem call")


def test_empty_request_items(ddb: Any) -> None:
    assert batch_error(ddb, RequestItems={}) == (
        "ValidationException",
        "The requestItems parameter is required for BatchWriteItem",
    )


def test_missing_request_items(raw: RawCall) -> None:
    response = raw("BatchWriteItem", {})
    assert response.status_code == 400
    assert response.json() == {
        "__type": "com.amazon.coral.validate#ValidationException",
        "message": "1 validation error detected: Value null at 'requestItems' failed to satisfy "
        "constraint: Member must not be null",
    }


def test_empty_write_request(ddb: Any, table_s: str) -> None:
    assert batch_error(ddb, RequestItems={table_s: [{}]}) == (
        "ValidationException",
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
        "the supported datatypes",
    )


@pytest.mark.parametrize("put_first", [True, False])
def test_put_and_delete_of_same_key(ddb: Any, table_s: str, put_first: bool) -> None:
    key = {"p": {"S": new_key()}}
    requests = [{"PutRequest": {"Item": key}}, {"DeleteRequest": {"Key": key}}]
    if not put_first:
        requests.reverse()
    assert batch_error(ddb, RequestItems={table_s: requests}) == (
        "ValidationException",
        "Provided list of item keys contains duplicates",
    )


def test_table_checked_before_duplicates(ddb: Any) -> None:
    key = {"p": {"S": "x"}}
    assert batch_error(
        ddb,
        RequestItems={
            unique_name(): [{"PutRequest": {"Item": key}}, {"DeleteRequest": {"Key": key}}]
        },
    ) == ("ResourceNotFoundException", "Requested resource not found")


def test_table_not_found(ddb: Any) -> None:
    assert batch_error(ddb, RequestItems={unique_name(): puts({"pk": {"S": "test"}})}) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


def test_one_invalid_item_writes_nothing(ddb: Any, table_s: str) -> None:
    good = {"p": {"S": new_key()}}
    bad = {"p": {"S": new_key()}, "s": {"SS": []}}
    assert batch_error(ddb, RequestItems={table_s: puts(good, bad)}) == (
        "ValidationException",
        "One or more parameter values were invalid: An string set  may not be empty",
    )
    assert not exists(ddb, table_s, good)


def test_key_errors_write_nothing(ddb: Any, table_s: str) -> None:
    good = {"p": {"S": new_key()}}
    assert batch_error(ddb, RequestItems={table_s: puts(good, {"q": {"S": "x"}})}) == (
        "ValidationException",
        "One or more parameter values were invalid: Missing the key p in the item",
    )
    assert not exists(ddb, table_s, good)


def test_delete_key_mismatch(ddb: Any, table_sn: str) -> None:
    assert batch_error(
        ddb, RequestItems={table_sn: [{"DeleteRequest": {"Key": {"p": {"S": "x"}}}}]}
    ) == ("ValidationException", "The provided key element does not match the schema")


def test_item_too_large(ddb: Any, table_s: str) -> None:
    assert batch_error(
        ddb, RequestItems={table_s: puts({"p": {"S": "a"}, "b": {"S": "x" * 409_600}})}
    ) == ("ValidationException", "Item size has exceeded the maximum allowed size")
