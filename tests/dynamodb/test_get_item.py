"""GetItem: reads, projections, and the checks of the key and the request.

Sources: [dynalite] mhart/dynalite test/getItem.js (recorded against production DynamoDB, last
re-recorded 2020-05); [conformance] nubo-db/dynamodb-conformance
tests/tier3/error-messages/getItem.test.ts (run against real DynamoDB, 2026).
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

ITEM_ATTRS = {
    "a": {"S": "text"},
    "b": {"M": {"c": {"N": "1"}, "d": {"L": [{"S": "x"}, {"S": "y"}, {"N": "3"}]}}},
    "e": {"SS": ["s1", "s2"]},
    "status": {"S": "active"},
}


def get_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.get_item(**params)
    return error_of(excinfo)


@pytest.fixture
def stored(ddb: Any, table_s: str) -> dict[str, Any]:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item={**key, **ITEM_ATTRS})
    return key


def test_get_whole_item(ddb: Any, table_s: str, stored: dict[str, Any]) -> None:
    out = ddb.get_item(TableName=table_s, Key=stored, ConsistentRead=True)
    out.pop("ResponseMetadata")
    assert out == {"Item": {**stored, **ITEM_ATTRS}}


def test_eventually_consistent_read(ddb: Any, table_s: str, stored: dict[str, Any]) -> None:
    assert ddb.get_item(TableName=table_s, Key=stored)["Item"] == {**stored, **ITEM_ATTRS}


def test_missing_item_answers_empty_object(raw: RawCall, table_s: str) -> None:
    response = raw("GetItem", {"TableName": table_s, "Key": {"p": {"S": new_key()}}})
    assert response.status_code == 200
    assert response.json() == {}


def test_composite_key(ddb: Any, table_ss: str) -> None:
    p = new_key()
    ddb.put_item(TableName=table_ss, Item={"p": {"S": p}, "c": {"S": "1"}, "v": {"N": "1"}})
    ddb.put_item(TableName=table_ss, Item={"p": {"S": p}, "c": {"S": "2"}, "v": {"N": "2"}})
    key = {"p": {"S": p}, "c": {"S": "2"}}
    assert ddb.get_item(TableName=table_ss, Key=key)["Item"] == {**key, "v": {"N": "2"}}
    assert "Item" not in ddb.get_item(TableName=table_ss, Key={"p": {"S": p}, "c": {"S": "3"}})


def test_projection_expression(ddb: Any, table_s: str, stored: dict[str, Any]) -> None:
    out = ddb.get_item(
        TableName=table_s,
        Key=stored,
        ProjectionExpression="a, b.d[1], #s",
        ExpressionAttributeNames={"#s": "status"},
    )
    assert out["Item"] == {
        "a": {"S": "text"},
        "b": {"M": {"d": {"L": [{"S": "y"}]}}},
        "status": {"S": "active"},
    }


def test_projection_of_missing_attribute(ddb: Any, table_s: str, stored: dict[str, Any]) -> None:
    out = ddb.get_item(TableName=table_s, Key=stored, ProjectionExpression="nope, a")
    assert out["Item"] == {"a": {"S": "text"}}


def test_projection_of_only_missing_attributes(
    raw: RawCall, table_s: str, stored: dict[str, Any]
) -> None:
    response = raw("GetItem", {"TableName": table_s, "Key": stored, "ProjectionExpression": "nope"})
    assert response.json() == {"Item": {}}


def test_attributes_to_get(ddb: Any, table_s: str, stored: dict[str, Any]) -> None:
    out = ddb.get_item(TableName=table_s, Key=stored, AttributesToGet=["a", "p"])
    assert out["Item"] == {**stored, "a": {"S": "text"}}


# --- key checks


def test_table_not_found(ddb: Any) -> None:
    assert get_error(ddb, TableName=unique_name(), Key={"pk": {"S": "test"}}) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


@pytest.mark.parametrize(
    "key",
    [
        {},
        {"b": {"S": "a"}},
        {"p": {"S": "a"}, "b": {"S": "a"}},
        {"p": {"B": "abcd"}},
        {"p": {"N": "1"}},
        {"p": {"BOOL": True}},
        {"p": {"NULL": True}},
        {"p": {"SS": ["a"]}},
        {"p": {"NS": ["1"]}},
        {"p": {"BS": ["aaaa"]}},
        {"p": {"M": {}}},
        {"p": {"L": []}},
    ],
    ids=lambda k: "-".join(f"{n}:{next(iter(v))}" for n, v in k.items()) or "empty",
)
def test_key_does_not_match_schema(ddb: Any, table_s: str, key: dict[str, Any]) -> None:
    assert get_error(ddb, TableName=table_s, Key=key) == (
        "ValidationException",
        "The provided key element does not match the schema",
    )


def test_missing_range_key(ddb: Any, table_sn: str) -> None:
    assert get_error(ddb, TableName=table_sn, Key={"p": {"S": "test"}}) == (
        "ValidationException",
        "The provided key element does not match the schema",
    )


def test_hash_key_too_big(ddb: Any, table_s: str) -> None:
    assert get_error(ddb, TableName=table_s, Key={"p": {"S": "a" * 2049}}) == (
        "ValidationException",
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum "
        "size limit of2048 bytes",
    )


def test_range_key_too_big(ddb: Any, table_ss: str) -> None:
    assert get_error(ddb, TableName=table_ss, Key={"p": {"S": "a"}, "c": {"S": "b" * 1025}}) == (
        "ValidationException",
        "One or more parameter values were invalid: Aggregated size of all range keys has "
        "exceeded the size limit of 1024 bytes",
    )


def test_empty_string_key(ddb: Any, table_s: str) -> None:
    assert get_error(ddb, TableName=table_s, Key={"p": {"S": ""}}) == (
        "ValidationException",
        "One or more parameter values were invalid: The AttributeValue for a key attribute "
        "cannot contain an empty string value. Key: p",
    )


def test_empty_binary_key(ddb: Any, make_table: TableFactory) -> None:
    name = make_table("p:S", "c:B")
    assert get_error(ddb, TableName=name, Key={"p": {"S": "a"}, "c": {"B": b""}}) == (
        "ValidationException",
        "One or more parameter values were invalid: The AttributeValue for a key attribute "
        "cannot contain an empty binary value. Key: c",
    )


# --- projection checks


def test_projection_syntax_error(ddb: Any, table_s: str) -> None:
    assert get_error(
        ddb, TableName=table_s, Key={"p": {"S": "test"}}, ProjectionExpression="!!! INVALID !!!"
    ) == (
        "ValidationException",
        'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
    )


def test_projection_empty(ddb: Any, table_s: str) -> None:
    assert get_error(ddb, TableName=table_s, Key={"p": {"S": "x"}}, ProjectionExpression="") == (
        "ValidationException",
        "Invalid ProjectionExpression: The expression can not be empty;",
    )


def test_projection_reserved_word(ddb: Any, table_s: str) -> None:
    assert get_error(
        ddb, TableName=table_s, Key={"p": {"S": "x"}}, ProjectionExpression="p, status"
    ) == (
        "ValidationException",
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: "
        "status",
    )


def test_projection_undefined_name(ddb: Any, table_s: str) -> None:
    assert get_error(
        ddb, TableName=table_s, Key={"p": {"S": "x"}}, ProjectionExpression="a,b,a,#a"
    ) == (
        "ValidationException",
        "Invalid ProjectionExpression: An expression attribute name used in the document path is "
        "not defined; attribute name: #a",
    )


@pytest.mark.parametrize(
    ("expression", "one", "two"),
    [("b[1], b.a, #a.b, a", "[a, b]", "[a]"), ("a, #a[1]", "[a]", "[a, [1]]")],
)
def test_projection_overlapping_paths(
    ddb: Any, table_s: str, expression: str, one: str, two: str
) -> None:
    assert get_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "x"}},
        ProjectionExpression=expression,
        ExpressionAttributeNames={"#a": "a"},
    ) == (
        "ValidationException",
        "Invalid ProjectionExpression: Two document paths overlap with each other; must remove "
        f"or rewrite one of these paths; path one: {one}, path two: {two}",
    )


def test_projection_unused_names(ddb: Any, table_s: str) -> None:
    assert get_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "x"}},
        ProjectionExpression="a",
        ExpressionAttributeNames={"#a": "a", "#b": "b"},
    ) == (
        "ValidationException",
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}",
    )


def test_projection_and_attributes_to_get(ddb: Any, table_s: str) -> None:
    assert get_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": "x"}},
        AttributesToGet=["a"],
        ProjectionExpression="a",
    ) == (
        "ValidationException",
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributesToGet} Expression parameters: "
        "{ProjectionExpression}",
    )


def test_duplicate_attributes_to_get(ddb: Any, table_s: str) -> None:
    assert get_error(ddb, TableName=table_s, Key={"p": {"S": "x"}}, AttributesToGet=["a", "a"]) == (
        "ValidationException",
        "One or more parameter values were invalid: Duplicate value in attribute name: a",
    )


@pytest.mark.parametrize("expression", ["#a.b.c", "#a[0]"])
def test_projection_into_key_attribute(ddb: Any, table_s: str, expression: str) -> None:
    assert get_error(
        ddb,
        TableName=table_s,
        Key={"p": {"S": new_key()}},
        ProjectionExpression=expression,
        ExpressionAttributeNames={"#a": "p"},
    ) == (
        "ValidationException",
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
        "allowed: Key: p",
    )
