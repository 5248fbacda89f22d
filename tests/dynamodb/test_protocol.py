"""The AWS JSON 1.0 wire protocol as DynamoDB speaks it, seen through raw HTTP.

Sources: [dynalite] mhart/dynalite test/connection.js, listTables.js and helpers.js
(assertSerialization/assertType: bodies, headers and SerializationException texts recorded
against production DynamoDB; index.js notes that type errors carry "Message" with a capital M);
independent records of real DynamoDB answers quoting
{"__type":"com.amazon.coral.service#SerializationException","Message":"..."} (an AWS forum
thread quoted in a PHP client, the Amazon.DynamoDb .NET client's tests, carbonfive-style
notes); [alternator] scylladb test/alternator/test_manual_requests.py (content type, 16 MB limit
with Content-Length and chunked bodies, deeply nested and incorrect JSON, unknown operations).
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from typing import TYPE_CHECKING, Any

import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import new_key, unique_name
from dynamodb.conftest import JSON_10, TARGET_PREFIX, signed_post

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conftest import TableFactory
    from dynamodb.conftest import RawCall

pytestmark = pytest.mark.aws_documented

SERIALIZATION = "com.amazon.coral.service#SerializationException"
REQUEST_ID = re.compile(r"[0-9A-Z]{52}")


def text_of(body: dict[str, Any]) -> str | None:
    """A SerializationException's text, whichever capitalization carries it."""
    value: str | None = body.get("Message", body.get("message"))
    return value


# --- error types and bodies


def test_resource_not_found_type(raw: RawCall) -> None:
    name = unique_name()
    response = raw("DescribeTable", {"TableName": name})
    assert response.status_code == 400
    assert response.json() == {
        "__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
        "message": f"Requested resource not found: Table: {name} not found",
    }


def test_validation_type(raw: RawCall) -> None:
    response = raw("ListTables", {"Limit": 0})
    assert response.status_code == 400
    assert response.json() == {
        "__type": "com.amazon.coral.validate#ValidationException",
        "message": "1 validation error detected: Value '0' at 'limit' failed to satisfy "
        "constraint: Member must have value greater than or equal to 1",
    }


def test_service_validation_uses_same_type(raw: RawCall, table_s: str) -> None:
    response = raw("GetItem", {"TableName": table_s, "Key": {"x": {"S": "a"}}})
    assert response.json() == {
        "__type": "com.amazon.coral.validate#ValidationException",
        "message": "The provided key element does not match the schema",
    }


@pytest.mark.parametrize(
    "target", ["DynamoDB_20120810.ListTable", "whatever", "Other_1.ListTables"]
)
def test_unknown_operation(endpoint: str, target: str) -> None:
    response = signed_post(endpoint, target, "{}")
    assert response.status_code == 400
    assert response.json() == {"__type": "com.amazon.coral.service#UnknownOperationException"}


def test_missing_target(endpoint: str) -> None:
    response = signed_post(endpoint, None, "{}")
    assert response.status_code == 400
    assert response.json() == {"__type": "com.amazon.coral.service#UnknownOperationException"}


@pytest.mark.parametrize("body", ["hi", "{", '{"TableName": }', "{,}", '{"a" "b"}', "}{"])
def test_malformed_json(raw: RawCall, body: str) -> None:
    response = raw("ListTables", body)
    assert response.status_code == 400
    assert response.json() == {"__type": SERIALIZATION}


def test_empty_body(raw: RawCall) -> None:
    response = raw("ListTables", b"")
    assert response.status_code == 400
    assert response.json() == {"__type": SERIALIZATION}


@pytest.mark.parametrize("body", ["7", '"text"', "[]", "[{}]", "true", "null"])
def test_body_not_an_object(raw: RawCall, body: str) -> None:
    response = raw("PutItem", body)
    assert response.status_code == 400
    assert response.json()["__type"] in {
        SERIALIZATION,
        "com.amazon.coral.validate#ValidationException",
    }


@pytest.mark.parametrize(
    ("operation", "payload", "message"),
    [
        ("ListTables", {"Limit": "5"}, "STRING_VALUE cannot be converted to Integer"),
        ("ListTables", {"Limit": True}, "TRUE_VALUE cannot be converted to Integer"),
        (
            "ListTables",
            {"ExclusiveStartTableName": 23},
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            "ListTables",
            {"ExclusiveStartTableName": 34.56},
            "DECIMAL_VALUE cannot be converted to String",
        ),
        (
            "ListTables",
            {"ExclusiveStartTableName": False},
            "FALSE_VALUE cannot be converted to String",
        ),
        (
            "ListTables",
            {"ExclusiveStartTableName": []},
            "Unrecognized collection type class java.lang.String",
        ),
        (
            "ListTables",
            {"ExclusiveStartTableName": {}},
            "Start of structure or map found where not expected",
        ),
        ("DescribeTable", {"TableName": 5}, "NUMBER_VALUE cannot be converted to String"),
        (
            "PutItem",
            {"TableName": "abc", "Item": {"a": {"N": 5}}},
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            "PutItem",
            {"TableName": "abc", "Item": {"a": {"S": True}}},
            "TRUE_VALUE cannot be converted to String",
        ),
        (
            "PutItem",
            {"TableName": "abc", "Item": {"a": {"BOOL": "23"}}},
            "Unexpected token received from parser",
        ),
        (
            "PutItem",
            {"TableName": "abc", "Item": {"a": {"B": 23}}},
            "only base-64-encoded strings are convertible to bytes",
        ),
        ("PutItem", {"TableName": "abc", "Item": {"a": {"SS": "a"}}}, "Unexpected field type"),
        ("PutItem", {"TableName": "abc", "Item": {"a": "x"}}, "Unexpected value type in payload"),
        (
            "PutItem",
            {"TableName": "abc", "Item": []},
            "Unrecognized collection type java.util.Map<java.lang.String, "
            "com.amazonaws.dynamodb.v20120810.AttributeValue>",
        ),
        (
            "CreateTable",
            {"TableName": "abc", "ProvisionedThroughput": {"ReadCapacityUnits": "1"}},
            "STRING_VALUE cannot be converted to Long",
        ),
    ],
)
def test_wrong_json_types(raw: RawCall, operation: str, payload: Any, message: str) -> None:
    response = raw(operation, payload)
    assert response.status_code == 400
    body = response.json()
    assert body["__type"] == SERIALIZATION
    assert text_of(body) == message


def test_serialization_message_member_is_capitalized(raw: RawCall) -> None:
    response = raw("PutItem", {"TableName": "abc", "Item": {"a": {"N": 5}}})
    assert response.json() == {
        "__type": SERIALIZATION,
        "Message": "NUMBER_VALUE cannot be converted to String",
    }


def test_null_members_are_ignored(raw: RawCall, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    response = raw(
        "PutItem",
        {"TableName": table_s, "Item": key, "ReturnValues": None, "ConditionExpression": None},
    )
    assert (response.status_code, response.json()) == (200, {})


def test_unknown_members_are_ignored(raw: RawCall, table_s: str) -> None:
    response = raw("DescribeTable", {"TableName": table_s, "Bogus": {"x": [1, 2]}})
    assert response.status_code == 200
    assert response.json()["Table"]["TableName"] == table_s


# --- headers


@pytest.fixture(params=["success", "error"])
def any_response(request: pytest.FixtureRequest, raw: RawCall) -> Iterator[requests.Response]:
    if request.param == "success":
        yield raw("ListTables", {"Limit": 1})
    else:
        yield raw("DescribeTable", {"TableName": unique_name()})


def test_crc32_header(any_response: requests.Response) -> None:
    assert any_response.headers["x-amz-crc32"] == str(zlib.crc32(any_response.content))


def test_request_id_header(any_response: requests.Response) -> None:
    assert REQUEST_ID.fullmatch(any_response.headers["x-amzn-RequestId"])


def test_content_type_header(any_response: requests.Response) -> None:
    assert any_response.headers["Content-Type"] == JSON_10


def test_content_length_header(any_response: requests.Response) -> None:
    assert any_response.headers["Content-Length"] == str(len(any_response.content))


def test_request_ids_differ(raw: RawCall) -> None:
    ids = {raw("ListTables", {"Limit": 1}).headers["x-amzn-RequestId"] for _ in range(5)}
    assert len(ids) == 5


def test_crc32_of_large_body(raw: RawCall, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    raw("PutItem", {"TableName": table_s, "Item": {**key, "v": {"S": "é" * 100_000}}})
    response = raw("GetItem", {"TableName": table_s, "Key": key})
    assert len(response.content) > 200_000
    assert response.headers["x-amz-crc32"] == str(zlib.crc32(response.content))
    assert response.json()["Item"]["v"]["S"] == "é" * 100_000


# --- sizes and robustness


def test_body_over_16_mb_is_413(endpoint: str, table_s: str) -> None:
    body = '{"TableName": "' + table_s + '", ' + " " * (16 * 1024 * 1024) + '"Item": {}}'
    try:
        response = signed_post(endpoint, f"{TARGET_PREFIX}.PutItem", body)
    except requests.ConnectionError:
        pytest.fail("the server closed the connection without answering 413")
    assert response.status_code == 413


def test_chunked_body_over_16_mb_is_413(endpoint: str, table_s: str) -> None:
    pad = " " * (17 * 1024 * 1024)
    body = ('{"TableName": "' + table_s + '", ' + pad + '"Item": {"p": {"S": "x"}}}').encode()
    request = AWSRequest(
        method="POST",
        url=f"{endpoint}/",
        data=body,
        headers={"Content-Type": JSON_10, "X-Amz-Target": f"{TARGET_PREFIX}.PutItem"},
    )
    SigV4Auth(Credentials("test", "secret"), "dynamodb", "us-east-1").add_auth(request)
    headers = dict(request.prepare().headers)
    headers.pop("Content-Length", None)

    def chunks() -> Iterator[bytes]:
        for i in range(0, len(body), 1024 * 1024):
            yield body[i : i + 1024 * 1024]

    try:
        response = requests.post(f"{endpoint}/", headers=headers, data=chunks(), timeout=60)
    except requests.ConnectionError:
        pytest.fail("the server closed the connection without answering 413")
    assert response.status_code == 413


def test_body_of_almost_16_mb_is_read(raw: RawCall, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    head = json.dumps({"TableName": table_s, "Item": key})[:-1]
    body = head + " " * (16 * 1024 * 1024 - len(head) - 2) + "}"
    assert len(body.encode()) < 16 * 1024 * 1024
    response = raw("PutItem", body)
    assert (response.status_code, response.json()) == (200, {})


def test_deeply_nested_json(raw: RawCall, table_s: str) -> None:
    depth = 200_000
    nested = '{"":' * depth + "{}" + "}" * depth
    body = '{"TableName": "' + table_s + '", "Item": {"p": {"S": "x"}, "a": ' + nested + "}}"
    response = raw("PutItem", body)
    assert response.status_code == 400
    assert response.json()["__type"] in {
        SERIALIZATION,
        "com.amazon.coral.validate#ValidationException",
    }
    # the server is still answering
    assert raw("ListTables", {"Limit": 1}).status_code == 200


@pytest.mark.parametrize(
    "body",
    ["{" * 10_000 + "}" * 9_999, "[" * 100_000, '{"TableName": "' + "x" * 100_000],
    ids=["unbalanced", "open-arrays", "unterminated-string"],
)
def test_hostile_json_never_500(raw: RawCall, body: str) -> None:
    response = raw("PutItem", body)
    assert response.status_code == 400
    assert response.json()["__type"] == SERIALIZATION


def test_every_prefix_of_a_request_is_rejected_cleanly(raw: RawCall, table_s: str) -> None:
    full = json.dumps({"TableName": table_s, "Item": {"p": {"S": "x"}, "n": {"N": "1"}}})
    for i in range(1, len(full)):
        response = raw("PutItem", full[:i])
        assert response.status_code == 400, full[:i]
        assert response.json()["__type"] == SERIALIZATION, full[:i]


OPERATIONS = [
    "CreateTable",
    "DescribeTable",
    "UpdateTable",
    "DeleteTable",
    "ListTables",
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TagResource",
    "UntagResource",
    "ListTagsOfResource",
]


@pytest.mark.parametrize("operation", OPERATIONS)
def test_odd_requests_never_500(raw: RawCall, make_table: TableFactory, operation: str) -> None:
    table_sn = make_table("p:S", "c:N")  # its own table: DeleteTable may well delete it
    payloads: list[Any] = [
        {},
        {"TableName": table_sn},
        {"TableName": table_sn, "Key": {"p": {"S": "x"}, "c": {"N": "1e400"}}},
        {"TableName": table_sn, "Item": {"p": {"S": "x"}, "c": {"N": "1"}, "m": {"M": {"": {}}}}},
        {"TableName": table_sn, "Key": {"p": {"L": [{"M": {"a": {"NULL": False}}}]}}},
        {"TableName": table_sn, "RequestItems": {table_sn: {"Keys": [{}], "Keys2": 1}}},
        {"TableName": "a" * 1025, "ResourceArn": "arn:" + ":" * 10, "Limit": -(2**63)},
        {"TableName": table_sn, "ExclusiveStartKey": {"p": {"S": ""}}, "Segment": 2**40},
        {"TableName": table_sn, "UpdateExpression": "SET " + "a." * 500 + "b = :v"},
        {"TableName": table_sn, "ConditionExpression": "(" * 300 + "a = b" + ")" * 300},
    ]
    for payload in payloads:
        response = raw(operation, payload)
        assert response.status_code in {200, 400}, (payload, response.text)
        if response.status_code == 400:
            assert "InternalServerError" not in response.json()["__type"]


# --- gureum's own endpoint


@pytest.mark.gureum_own
def test_health_endpoint(endpoint: str, table_s: str) -> None:
    response = requests.get(f"{endpoint}/_gureum/health", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "healthy"
    assert body["persistent"] is True
    assert isinstance(body["version"], str)
    assert body["services"]["dynamodb"]["tables"] >= 1


# --- compressed requests (Content-Encoding), as the SDKs' request compression sends them
# [alternator] test_compressed_request.py: gzip and deflate decoded, concatenated gzip members
# read, undecodable bodies and unknown encodings answered with HTTP 500, the 16 MB limit applied
# to the decoded body.


def _put_body(table: str, p: str) -> bytes:
    return json.dumps({"TableName": table, "Item": {"p": {"S": p}, "v": {"S": "x" * 100}}}).encode()


def _stored(raw: RawCall, table: str, p: str) -> Any:
    return raw("GetItem", {"TableName": table, "Key": {"p": {"S": p}}}).json().get("Item")


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("GZIP", gzip.compress),
    ],
)
def test_compressed_request_is_decoded(
    raw: RawCall, table_s: str, encoding: str, compress: Any
) -> None:
    p = new_key()
    r = raw("PutItem", compress(_put_body(table_s, p)), headers={"Content-Encoding": encoding})
    assert r.status_code == 200
    assert _stored(raw, table_s, p) == {"p": {"S": p}, "v": {"S": "x" * 100}}


def test_concatenated_gzip_members_are_one_body(raw: RawCall, table_s: str) -> None:
    p = new_key()
    body = _put_body(table_s, p)
    data = gzip.compress(body[:10]) + gzip.compress(body[10:])
    assert raw("PutItem", data, headers={"Content-Encoding": "gzip"}).status_code == 200
    assert _stored(raw, table_s, p) is not None


@pytest.mark.parametrize(
    ("encoding", "data"),
    [
        ("gzip", b"not gzip at all"),
        ("deflate", b"not deflate either"),
        ("gzip", b""),
        ("garbage", b"{}"),
    ],
)
def test_undecodable_request_is_internal_error(
    raw: RawCall, table_s: str, encoding: str, data: bytes
) -> None:
    r = raw("PutItem", data, headers={"Content-Encoding": encoding})
    assert r.status_code == 500
    assert r.json()["__type"] == "com.amazonaws.dynamodb.v20120810#InternalServerError"


def test_truncated_gzip_is_refused_and_nothing_written(raw: RawCall, table_s: str) -> None:
    p = new_key()
    data = gzip.compress(_put_body(table_s, p))[:-1]
    assert raw("PutItem", data, headers={"Content-Encoding": "gzip"}).status_code == 500
    assert _stored(raw, table_s, p) is None


def test_decoded_size_is_limited(raw: RawCall, table_s: str) -> None:
    p = new_key()
    body = _put_body(table_s, p)
    padded = body[:-1] + b" " * (17 * 1024 * 1024) + body[-1:]
    r = raw("PutItem", gzip.compress(padded), headers={"Content-Encoding": "gzip"})
    assert r.status_code == 413
    assert _stored(raw, table_s, p) is None
