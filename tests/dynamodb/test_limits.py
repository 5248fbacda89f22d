"""DynamoDB's size and count limits, at their exact boundaries.

The item size is computed DynamoDB's way: attribute names and string values count their UTF-8
bytes, binaries their raw bytes, a number 1 byte plus 1 per two significant digits, BOOL and NULL
1 byte, a list or map 3 bytes plus 1 byte per element (Developer Guide, "DynamoDB item sizes and
formats"). Each test builds an item of exactly 409,600 bytes (accepted) and one of 409,601 bytes
(rejected).

Sources: [docs] DynamoDB Developer Guide "Service, account, and table quotas" (400 KB items,
partition key 2048 bytes, sort key 1024 bytes, 32 nesting levels, 25 writes / 100 reads per
batch) and "DynamoDB item sizes and formats"; [dynalite] mhart/dynalite test/putItem.js (item
size boundaries with string and number attributes, recorded against production DynamoDB);
[nesting] a conformance suite's nesting-depth test captured against real DynamoDB (eu-west-2 and
us-east-1, 2026): a value nested 31 levels below its attribute is accepted, 32 rejected with
"Nesting Levels have exceeded supported limits: Attributes in the item have nested levels
beyond supported limit"; [conformance] nubo-db/dynamodb-conformance tests/tier3/limits.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key

pytestmark = pytest.mark.aws_documented

MAX = 400 * 1024
TOO_LARGE = ("ValidationException", "Item size has exceeded the maximum allowed size")
TOO_DEEP = (
    "ValidationException",
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit",
)


def put(ddb: Any, table: str, item: dict[str, Any]) -> tuple[str, str] | None:
    """None when the put succeeded, else (code, message)."""
    try:
        ddb.put_item(TableName=table, Item=item)
    except ClientError as exc:
        err = exc.response["Error"]
        return err["Code"], err["Message"]
    return None


def boundary(ddb: Any, table: str, make: Any, fixed: int) -> None:
    """``make(n)`` builds an item of ``fixed + n`` bytes: n = MAX - fixed fits, one more not."""
    assert put(ddb, table, make(MAX - fixed)) is None
    assert put(ddb, table, make(MAX - fixed + 1)) == TOO_LARGE


def test_string_attribute(ddb: Any, table_s: str) -> None:
    key = new_key()  # 32 ASCII characters
    boundary(ddb, table_s, lambda n: {"p": {"S": key}, "b": {"S": "a" * n}}, 1 + 32 + 1)


def test_long_attribute_name_counts(ddb: Any, table_s: str) -> None:
    key, name = new_key(), "b" * 27
    boundary(ddb, table_s, lambda n: {"p": {"S": key}, name: {"S": "a" * n}}, 1 + 32 + 27)


def test_several_attributes(ddb: Any, table_s: str) -> None:
    key = new_key()
    boundary(
        ddb,
        table_s,
        lambda n: {"p": {"S": key}, "bb": {"S": "a" * n}, "ccc": {"S": "cc"}},
        1 + 32 + 2 + 3 + 2,
    )


def test_multibyte_characters_count_utf8_bytes(ddb: Any, table_s: str) -> None:
    key = new_key()
    # 'é' is 2 bytes: an odd remainder is filled with one ASCII byte
    fixed = 1 + 32 + 1

    def make(n: int) -> dict[str, Any]:
        return {"p": {"S": key}, "b": {"S": "é" * (n // 2) + "a" * (n % 2)}}

    boundary(ddb, table_s, make, fixed)


def test_binary_counts_raw_bytes(ddb: Any, table_s: str) -> None:
    key = new_key()
    boundary(ddb, table_s, lambda n: {"p": {"S": key}, "b": {"B": b"\xff" * n}}, 1 + 32 + 1)


@pytest.mark.parametrize(
    ("number", "size"),
    [
        ("1" * 38 + "0" * 88, 20),
        ("1" + "0" * 125, 2),
        ("11" + "0" * 124, 2),
        ("11111" + "0" * 121, 4),
        ("111111" + "0" * 120, 4),
        ("1111111" + "0" * 119, 5),
        ("-1", 3),
        ("0", 1),
    ],
    ids=["38-digits", "1e125", "1.1e125", "5-digits", "6-digits", "7-digits", "minus-one", "zero"],
)
def test_number_sizes(ddb: Any, table_s: str, number: str, size: int) -> None:
    key = new_key()
    boundary(
        ddb,
        table_s,
        lambda n: {"p": {"S": key}, "b": {"S": "a" * n}, "c": {"N": number}},
        1 + 32 + 1 + 1 + size,
    )


def test_bool_and_null_are_one_byte(ddb: Any, table_s: str) -> None:
    key = new_key()
    boundary(
        ddb,
        table_s,
        lambda n: {"p": {"S": key}, "b": {"S": "a" * n}, "t": {"BOOL": True}, "z": {"NULL": True}},
        1 + 32 + 1 + (1 + 1) + (1 + 1),
    )


def test_map_and_list_overhead(ddb: Any, table_s: str) -> None:
    key = new_key()
    # m: 1 (name) + 3 (map) + 1 (element) + 1 ("x") + len(value); l: 1 + 3 + 2 * (1 + 1)
    fixed = 1 + 32 + (1 + 3 + 1 + 1) + (1 + 3 + 2 * (1 + 1))

    def make(n: int) -> dict[str, Any]:
        return {
            "p": {"S": key},
            "m": {"M": {"x": {"S": "a" * n}}},
            "l": {"L": [{"S": "y"}, {"BOOL": False}]},
        }

    boundary(ddb, table_s, make, fixed)


def test_sets_count_their_elements(ddb: Any, table_s: str) -> None:
    key = new_key()

    def make(n: int) -> dict[str, Any]:
        return {"p": {"S": key}, "s": {"SS": ["a" * (n - 2), "bb"]}}

    boundary(ddb, table_s, make, 1 + 32 + 1)


def test_update_beyond_limit(ddb: Any, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item={**key, "b": {"S": "a" * (MAX - 40)}})
    with pytest.raises(ClientError) as excinfo:
        ddb.update_item(
            TableName=table_s,
            Key=key,
            UpdateExpression="SET c = :c",
            ExpressionAttributeValues={":c": {"S": "x" * 100}},
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Item size to update has exceeded the maximum allowed size",
    )


# --- keys


HASH_TOO_LARGE = (
    "ValidationException",
    "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size "
    "limit of2048 bytes",
)
RANGE_TOO_LARGE = (
    "ValidationException",
    "One or more parameter values were invalid: Aggregated size of all range keys has exceeded "
    "the size limit of 1024 bytes",
)


def test_partition_key_2048_bytes(ddb: Any, table_s: str) -> None:
    assert put(ddb, table_s, {"p": {"S": "a" * 2048}}) is None
    assert put(ddb, table_s, {"p": {"S": "a" * 2049}}) == HASH_TOO_LARGE


def test_partition_key_counts_utf8_bytes(ddb: Any, table_s: str) -> None:
    assert put(ddb, table_s, {"p": {"S": "é" * 1024}}) is None
    assert put(ddb, table_s, {"p": {"S": "é" * 1024 + "a"}}) == HASH_TOO_LARGE


def test_sort_key_1024_bytes(ddb: Any, table_ss: str) -> None:
    assert put(ddb, table_ss, {"p": {"S": "a"}, "c": {"S": "b" * 1024}}) is None
    assert put(ddb, table_ss, {"p": {"S": "a"}, "c": {"S": "b" * 1025}}) == RANGE_TOO_LARGE


def test_binary_keys(ddb: Any, make_table: Any) -> None:
    name = make_table("p:B", "c:B")
    assert put(ddb, name, {"p": {"B": b"\x01" * 2048}, "c": {"B": b"\x02" * 1024}}) is None
    assert put(ddb, name, {"p": {"B": b"\x01" * 2049}, "c": {"B": b"\x02"}}) == HASH_TOO_LARGE
    assert put(ddb, name, {"p": {"B": b"\x01"}, "c": {"B": b"\x02" * 1025}}) == RANGE_TOO_LARGE


def test_key_limits_on_reads(ddb: Any, table_ss: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.get_item(TableName=table_ss, Key={"p": {"S": "a" * 2049}, "c": {"S": "b"}})
    assert error_of(excinfo) == HASH_TOO_LARGE


# --- nesting


def nested(levels: int, kind: str = "M") -> dict[str, Any]:
    """A value with ``levels`` maps (or lists) one inside the other, around a string leaf."""
    value: dict[str, Any] = {"S": "leaf"}
    for _ in range(levels):
        value = {"M": {"n": value}} if kind == "M" else {"L": [value]}
    return value


@pytest.mark.parametrize("kind", ["M", "L"])
def test_nesting_depth_32(ddb: Any, table_s: str, kind: str) -> None:
    key = {"p": {"S": new_key()}}
    assert put(ddb, table_s, {**key, "data": nested(31, kind)}) is None
    got = ddb.get_item(TableName=table_s, Key=key, ConsistentRead=True)["Item"]
    assert got["data"] == nested(31, kind)
    assert put(ddb, table_s, {**key, "data": nested(32, kind)}) == TOO_DEEP


def test_nesting_depth_in_batch_write(ddb: Any, table_s: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(
            RequestItems={
                table_s: [{"PutRequest": {"Item": {"p": {"S": "deep"}, "d": nested(32)}}}]
            }
        )
    assert error_of(excinfo) == TOO_DEEP


def test_much_too_deep(ddb: Any, table_s: str) -> None:
    assert put(ddb, table_s, {"p": {"S": "x"}, "d": nested(100)}) == TOO_DEEP


# --- batches


def test_batch_write_25(ddb: Any, table_s: str) -> None:
    requests = [{"PutRequest": {"Item": {"p": {"S": new_key()}}}} for _ in range(25)]
    assert ddb.batch_write_item(RequestItems={table_s: requests})["UnprocessedItems"] == {}
    requests.append({"PutRequest": {"Item": {"p": {"S": new_key()}}}})
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_write_item(RequestItems={table_s: requests})
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "Member must have length less than or equal to 25" in message


def test_batch_get_100(ddb: Any, table_s: str) -> None:
    keys = [{"p": {"S": new_key()}} for _ in range(100)]
    out = ddb.batch_get_item(RequestItems={table_s: {"Keys": keys}})
    assert out["Responses"] == {table_s: []}
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_get_item(RequestItems={table_s: {"Keys": [*keys, {"p": {"S": new_key()}}]}})
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert message.endswith("Member must have length less than or equal to 100")
