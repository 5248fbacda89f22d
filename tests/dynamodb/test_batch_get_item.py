"""BatchGetItem.

Sources: [dynalite] mhart/dynalite test/batchGetItem.js (recorded against production
DynamoDB); [conformance] nubo-db/dynamodb-conformance tests/tier3/error-messages/
batchGetItem.test.ts and tests/tier3/limits/batchLimits.test.ts (run against real DynamoDB, 2026);
the API Reference (BatchGetItem: at most 100 items; UnprocessedKeys).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

if TYPE_CHECKING:
    from dynamodb.conftest import RawCall

pytestmark = pytest.mark.aws_documented


def batch_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_get_item(**params)
    return error_of(excinfo)


def put_items(ddb: Any, table: str, items: list[dict[str, Any]]) -> None:
    for item in items:
        ddb.put_item(TableName=table, Item=item)


def test_existing_and_missing_keys(ddb: Any, table_s: str) -> None:
    items = [{"p": {"S": new_key()}, "n": {"N": str(i)}} for i in range(3)]
    put_items(ddb, table_s, items)
    keys = [{"p": i["p"]} for i in items] + [{"p": {"S": new_key()}}]
    out = ddb.batch_get_item(RequestItems={table_s: {"Keys": keys, "ConsistentRead": True}})
    assert sorted(out["Responses"][table_s], key=lambda i: i["n"]["N"]) == items
    assert out["UnprocessedKeys"] == {}


def test_only_missing_keys(raw: RawCall, table_s: str, table_sn: str) -> None:
    response = raw(
        "BatchGetItem",
        {
            "RequestItems": {
                table_s: {"Keys": [{"p": {"S": new_key()}}]},
                table_sn: {"Keys": [{"p": {"S": new_key()}, "c": {"N": "1"}}]},
            }
        },
    )
    assert response.status_code == 200
    assert response.json() == {
        "Responses": {table_s: [], table_sn: []},
        "UnprocessedKeys": {},
    }


def test_several_tables(ddb: Any, table_s: str, table_sn: str) -> None:
    a = {"p": {"S": new_key()}, "v": {"S": "a"}}
    b = {"p": {"S": new_key()}, "c": {"N": "7"}, "v": {"S": "b"}}
    ddb.put_item(TableName=table_s, Item=a)
    ddb.put_item(TableName=table_sn, Item=b)
    out = ddb.batch_get_item(
        RequestItems={
            table_s: {"Keys": [{"p": a["p"]}]},
            table_sn: {"Keys": [{"p": b["p"], "c": b["c"]}]},
        }
    )
    assert out["Responses"] == {table_s: [a], table_sn: [b]}


@pytest.mark.parametrize(
    "spec",
    [
        {"AttributesToGet": ["b", "c"]},
        {"ProjectionExpression": "b, c"},
        {"ProjectionExpression": "#b, #c", "ExpressionAttributeNames": {"#b": "b", "#c": "c"}},
    ],
    ids=["attributes-to-get", "projection", "projection-with-names"],
)
def test_projection(ddb: Any, table_s: str, spec: dict[str, Any]) -> None:
    full = {"p": {"S": new_key()}, "b": {"N": "1"}, "c": {"S": "c"}}
    partial = {"p": {"S": new_key()}, "b": {"N": "2"}}
    bare = {"p": {"S": new_key()}}
    put_items(ddb, table_s, [full, partial, bare])
    keys = [{"p": i["p"]} for i in (full, partial, bare)]
    out = ddb.batch_get_item(RequestItems={table_s: {"Keys": keys, **spec}})
    got = out["Responses"][table_s]
    assert len(got) == 3
    assert {"b": {"N": "1"}, "c": {"S": "c"}} in got
    assert {"b": {"N": "2"}} in got
    assert {} in got


def test_hundred_keys(ddb: Any, table_s: str) -> None:
    prefix = new_key()
    keys = [{"p": {"S": f"{prefix}-{i}"}} for i in range(100)]
    for key in keys[:10]:
        ddb.put_item(TableName=table_s, Item=key)
    out = ddb.batch_get_item(RequestItems={table_s: {"Keys": keys}})
    assert sorted(i["p"]["S"] for i in out["Responses"][table_s]) == sorted(
        k["p"]["S"] for k in keys[:10]
    )
    assert out["UnprocessedKeys"] == {}


def test_more_than_hundred_keys_in_one_table(ddb: Any, table_s: str) -> None:
    keys = [{"p": {"S": f"bg-{i}"}} for i in range(101)]
    assert batch_error(ddb, RequestItems={table_s: {"Keys": keys}}) == (
        "ValidationException",
        f"1 validation error detected: Value at 'RequestItems.{table_s}.member.Keys' failed to "
        "satisfy constraint: Member must have length less than or equal to 100",
    )


def test_more_than_hundred_keys_in_one_table_is_rejected(ddb: Any, table_s: str) -> None:
    keys = [{"p": {"S": f"bg-{i}"}} for i in range(101)]
    code, message = batch_error(ddb, RequestItems={table_s: {"Keys": keys}})
    assert code == "ValidationException"
    assert message.endswith(
        "failed to satisfy constraint: Member must have length less than or equal to 100"
    )


def test_more_than_hundred_keys_over_tables(ddb: Any, table_s: str, table_ss: str) -> None:
    assert batch_error(
        ddb,
        RequestItems={
            table_s: {"Keys": [{"p": {"S": f"k{i}"}} for i in range(50)]},
            table_ss: {"Keys": [{"p": {"S": "k"}, "c": {"S": f"{i}"}} for i in range(51)]},
        },
    ) == ("ValidationException", "Too many items requested for the BatchGetItem call")


def test_empty_request_items(ddb: Any) -> None:
    assert batch_error(ddb, RequestItems={}) == (
        "ValidationException",
        "The requestItems parameter is required for BatchGetItem",
    )


def test_missing_request_items(raw: RawCall) -> None:
    response = raw("BatchGetItem", {})
    assert response.status_code == 400
    assert response.json() == {
        "__type": "com.amazon.coral.validate#ValidationException",
        "message": "1 validation error detected: Value null at 'requestItems' failed to satisfy "
        "constraint: Member must not be null",
    }


def test_duplicate_keys(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    assert batch_error(ddb, RequestItems={table_s: {"Keys": [key, key]}}) == (
        "ValidationException",
        "Provided list of item keys contains duplicates",
    )


def test_table_not_found(ddb: Any) -> None:
    assert batch_error(ddb, RequestItems={unique_name(): {"Keys": [{"p": {"S": "test"}}]}}) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


def test_key_does_not_match_schema(ddb: Any, table_sn: str) -> None:
    assert batch_error(ddb, RequestItems={table_sn: {"Keys": [{"p": {"S": "x"}}]}}) == (
        "ValidationException",
        "The provided key element does not match the schema",
    )


def test_projection_and_attributes_to_get(ddb: Any, table_s: str) -> None:
    assert batch_error(
        ddb,
        RequestItems={
            table_s: {
                "Keys": [{"p": {"S": "x"}}],
                "AttributesToGet": ["a"],
                "ProjectionExpression": "a",
            }
        },
    ) == (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributesToGet} Expression parameters: "
        "{ProjectionExpression}",
    )


def test_hash_key_too_big(ddb: Any, table_s: str) -> None:
    assert batch_error(ddb, RequestItems={table_s: {"Keys": [{"p": {"S": "a" * 2049}}]}}) == (
        "ValidationException",
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
        "size limit of2048 bytes",
    )
