"""Every DynamoDB data type: round trips, numbers and their canonical form, sort orders, sets,
empty values, binary on the wire, and the errors for invalid values.

Sources: [dynalite] mhart/dynalite test/putItem.js ('should put multi attribute item', 'should put
really long numbers', 'should put empty values', the number and set error texts; recorded
against production DynamoDB, last re-recorded 2020-05); [conformance] nubo-db/dynamodb-conformance
tests/tier3/limits/numberPrecision.test.ts, emptyValues.test.ts and error-messages/putItem.test.ts
(run against real DynamoDB, 2026); [alternator] scylladb test/alternator/test_manual_requests.py
(base64 and number checks) and test_number.py; the DynamoDB Developer Guide "Supported data types"
(numbers: 38 digits, 1E-130 to 9.9999999999999999999999999999999999999E+125; strings compared as
UTF-8 bytes, binaries as unsigned bytes; empty sets not allowed; no empty string or binary keys).
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key

if TYPE_CHECKING:
    from conftest import TableFactory
    from dynamodb.conftest import RawCall

pytestmark = pytest.mark.aws_documented

SET_TYPES = ("SS", "NS", "BS")


def canonical_sets(value: Any) -> Any:
    """Sets are unordered: sort their elements (recursively) so items compare equal."""
    if isinstance(value, dict):
        return {k: sorted(v) if k in SET_TYPES else canonical_sets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical_sets(v) for v in value]
    return value


def put_error(ddb: Any, table: str, item: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(TableName=table, Item=item)
    return error_of(excinfo)


def roundtrip(ddb: Any, table: str, attributes: dict[str, Any]) -> dict[str, Any]:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table, Item={**key, **attributes})
    item: dict[str, Any] = ddb.get_item(TableName=table, Key=key, ConsistentRead=True)["Item"]
    del item["p"]
    return item


# --- round trips


EVERY_TYPE = {
    "s": {"S": "text"},
    "n": {"N": "-56.789"},
    "b": {"B": "Yg=="},
    "t": {"BOOL": True},
    "f": {"BOOL": False},
    "z": {"NULL": True},
    "ss": {"SS": ["a", "b"]},
    "ns": {"NS": ["-56.789", "1"]},
    "bs": {"BS": ["Yg==", "AQI="]},
    "l": {
        "L": [
            {"S": "a"},
            {"N": "-56.789"},
            {"B": "Yg=="},
            {"BOOL": True},
            {"NULL": True},
            {"SS": ["a"]},
            {"NS": ["-56.789"]},
            {"BS": ["Yg=="]},
            {"L": []},
            {"M": {}},
        ]
    },
    "m": {
        "M": {
            "a": {"S": "a"},
            "b": {"N": "-56.789"},
            "c": {"B": "Yg=="},
            "d": {"BOOL": True},
            "e": {"NULL": True},
            "f": {"SS": ["a"]},
            "g": {"NS": ["-56.789"]},
            "h": {"BS": ["Yg=="]},
            "i": {"L": []},
            "j": {"M": {"a": {"M": {}}, "b": {"L": []}}},
        }
    },
}


def test_every_type_round_trips_on_the_wire(raw: RawCall, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    item = {**key, **EVERY_TYPE}
    assert raw("PutItem", {"TableName": table_s, "Item": item}).json() == {}
    got = raw("GetItem", {"TableName": table_s, "Key": key, "ConsistentRead": True}).json()
    assert canonical_sets(got) == canonical_sets({"Item": item})


def test_binary_is_base64_on_the_wire(raw: RawCall, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    data = bytes([0, 1, 2, 127, 128, 254, 255])
    text = base64.b64encode(data).decode()
    raw("PutItem", {"TableName": table_s, "Item": {**key, "b": {"B": text}}})
    got = raw("GetItem", {"TableName": table_s, "Key": key}).json()
    assert got["Item"]["b"] == {"B": text}


def test_binary_bytes_round_trip(ddb: Any, table_s: str) -> None:
    data = bytes(range(256))
    got = roundtrip(ddb, table_s, {"b": {"B": data}, "bs": {"BS": [b"\x00", b"\xff", data]}})
    assert got["b"] == {"B": data}
    assert sorted(got["bs"]["BS"]) == sorted([b"\x00", b"\xff", data])


@pytest.mark.parametrize(
    "text",
    ["plain", "한국어 구름", "emoji 😀 and 𝄞", "nul\x00inside", "tab\tnewline\n", " spaces "],
)
def test_strings_round_trip(ddb: Any, table_s: str, text: str) -> None:
    assert roundtrip(ddb, table_s, {"s": {"S": text}}) == {"s": {"S": text}}


def test_empty_values_outside_keys(raw: RawCall, table_s: str) -> None:
    key = {"p": {"S": new_key()}}
    attrs = {
        "b": {"S": ""},
        "c": {"B": ""},
        "d": {"SS": [""]},
        "e": {"BS": [""]},
        "l": {"L": [{"S": ""}, {"S": "hello"}]},
        "m": {"M": {"x": {"S": ""}}},
    }
    raw("PutItem", {"TableName": table_s, "Item": {**key, **attrs}})
    got = raw("GetItem", {"TableName": table_s, "Key": key, "ConsistentRead": True}).json()
    assert got == {"Item": {**key, **attrs}}


# --- numbers


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1e3", "1000"),
        ("1E3", "1000"),
        ("-0", "0"),
        ("0.0", "0"),
        (".5", "0.5"),
        ("00042", "42"),
        ("1.0", "1"),
        ("3.1400", "3.14"),
        ("1.5E2", "150"),
        ("-0015.789e6", "-15789000"),
        ("1e-3", "0.001"),
        ("1E50", "1" + "0" * 50),
        ("0000012345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
        (
            "-00001.23456789012345678901234567890123456780000",
            "-1.2345678901234567890123456789012345678",
        ),
        ("0009.99999999999999999999999999999999999990000e125", "9" * 38 + "0" * 88),
        ("-0009.99999999999999999999999999999999999990000e125", "-" + "9" * 38 + "0" * 88),
        ("0001.000e-130", "0." + "0" * 129 + "1"),
        ("-0001.000e-130", "-0." + "0" * 129 + "1"),
    ],
)
def test_number_canonical_form(raw: RawCall, table_s: str, written: str, read: str) -> None:
    key = {"p": {"S": new_key()}}
    item = {**key, "n": {"N": written}, "ns": {"NS": [written]}}
    assert raw("PutItem", {"TableName": table_s, "Item": item}).status_code == 200
    got = raw("GetItem", {"TableName": table_s, "Key": key, "ConsistentRead": True}).json()
    assert got == {"Item": {**key, "n": {"N": read}, "ns": {"NS": [read]}}}


def test_number_key_is_canonical(ddb: Any, table_sn: str) -> None:
    p = new_key()
    ddb.put_item(TableName=table_sn, Item={"p": {"S": p}, "c": {"N": "1.50"}, "v": {"S": "a"}})
    # the same number written differently is the same key
    got = ddb.get_item(TableName=table_sn, Key={"p": {"S": p}, "c": {"N": "15e-1"}})
    assert got["Item"] == {"p": {"S": p}, "c": {"N": "1.5"}, "v": {"S": "a"}}


TOO_PRECISE = "Attempting to store more than 38 significant digits in a Number"
OVERFLOW = (
    "Number overflow. Attempting to store a number with magnitude larger than supported range"
)
UNDERFLOW = (
    "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "The parameter cannot be converted to a numeric value"),
        ("b", "The parameter cannot be converted to a numeric value: b"),
        ("123456789012345678901234567890123456789", TOO_PRECISE),
        ("-1.23456789012345678901234567890123456789", TOO_PRECISE),
        ("1e126", OVERFLOW),
        ("-1e126", OVERFLOW),
        ("1E+126", OVERFLOW),
        ("1e-131", UNDERFLOW),
        ("-1e-131", UNDERFLOW),
    ],
)
def test_invalid_numbers(ddb: Any, table_s: str, number: str, message: str) -> None:
    assert put_error(ddb, table_s, {"p": {"S": "x"}, "n": {"N": number}}) == (
        "ValidationException",
        message,
    )


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "dog", "1e", "--1", "0x10"])
def test_non_numbers(ddb: Any, table_s: str, number: str) -> None:
    assert put_error(ddb, table_s, {"p": {"S": "x"}, "n": {"N": number}}) == (
        "ValidationException",
        f"The parameter cannot be converted to a numeric value: {number}",
    )


@pytest.mark.parametrize(
    ("ns", "message"),
    [
        (["1", ""], "The parameter cannot be converted to a numeric value"),
        (["1", "b"], "The parameter cannot be converted to a numeric value: b"),
        (["1", "1"], "Input collection contains duplicates"),
    ],
)
def test_invalid_number_sets(ddb: Any, table_s: str, ns: list[str], message: str) -> None:
    assert put_error(ddb, table_s, {"p": {"S": "x"}, "ns": {"NS": ns}}) == (
        "ValidationException",
        message,
    )


@pytest.mark.parametrize(
    "number",
    [
        "12345678901234567890123456789012345678",
        "9.9999999999999999999999999999999999999E+125",
        "-9.9999999999999999999999999999999999999E+125",
        "1E-130",
        "-1E-130",
        "0",
    ],
)
def test_number_limits_accepted(ddb: Any, table_s: str, number: str) -> None:
    got = roundtrip(ddb, table_s, {"n": {"N": number}})
    assert float(got["n"]["N"]) == float(number)


# --- sort orders


def query_sort_keys(ddb: Any, table: str, p: str, forward: bool = True) -> list[Any]:
    out = ddb.query(
        TableName=table,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": p}},
        ScanIndexForward=forward,
        ConsistentRead=True,
    )
    return [next(iter(item["c"].values())) for item in out["Items"]]


def test_numbers_sort_numerically(ddb: Any, table_sn: str) -> None:
    p = new_key()
    numbers = ["-1e125", "-10", "-2", "-0.5", "0", "1E-130", "0.001", "2", "10", "11", "1e125"]
    for n in reversed(numbers):
        ddb.put_item(TableName=table_sn, Item={"p": {"S": p}, "c": {"N": n}})
    got = query_sort_keys(ddb, table_sn, p)
    assert [float(n) for n in got] == sorted(float(n) for n in numbers)
    assert query_sort_keys(ddb, table_sn, p, forward=False) == list(reversed(got))


def test_strings_sort_by_utf8_bytes(ddb: Any, table_ss: str) -> None:
    p = new_key()
    # UTF-8 byte order; UTF-16 order would put the astral character before U+FFFD
    strings = ["B", "a", "aa", "b", "é", "\ufffd", "😀"]
    for s in reversed(strings):
        ddb.put_item(TableName=table_ss, Item={"p": {"S": p}, "c": {"S": s}})
    expected = sorted(strings, key=lambda s: s.encode())
    assert query_sort_keys(ddb, table_ss, p) == expected
    assert expected[-2:] == ["\ufffd", "😀"]


def test_binaries_sort_as_unsigned_bytes(ddb: Any, make_table: TableFactory) -> None:
    name = make_table("p:S", "c:B")
    values = [b"\x00", b"\x00\x00", b"\x01", b"\x7f", b"\x80", b"\xff", b"\xff\x00"]
    for v in reversed(values):
        ddb.put_item(TableName=name, Item={"p": {"S": "k"}, "c": {"B": v}})
    assert query_sort_keys(ddb, name, "k") == values


# --- sets and other invalid values


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"SS": []}, "An string set  may not be empty"),
        ({"NS": []}, "An number set  may not be empty"),
        ({"BS": []}, "Binary sets should not be empty"),
        ({"SS": ["a", "a"]}, "Input collection [a, a] contains duplicates."),
        ({"BS": [b"b", b"b"]}, "Input collection [Yg==, Yg==]of type BS contains duplicates."),
        ({"NULL": False}, "Null attribute value types must have the value of true"),
    ],
)
def test_invalid_values(ddb: Any, table_s: str, value: dict[str, Any], message: str) -> None:
    assert put_error(ddb, table_s, {"p": {"S": "x"}, "a": value}) == (
        "ValidationException",
        f"One or more parameter values were invalid: {message}",
    )


@pytest.mark.parametrize(
    "value", [{"M": {"inner": {"SS": []}}}, {"L": [{"SS": []}]}], ids=["in-map", "in-list"]
)
def test_empty_set_nested(ddb: Any, table_s: str, value: dict[str, Any]) -> None:
    assert put_error(ddb, table_s, {"p": {"S": "x"}, "a": value}) == (
        "ValidationException",
        "One or more parameter values were invalid: An string set  may not be empty",
    )


def test_more_than_one_type(ddb: Any, table_s: str) -> None:
    assert put_error(ddb, table_s, {"p": {"S": "x"}, "a": {"S": "a", "N": "1"}}) == (
        "ValidationException",
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
        "the supported datatypes",
    )


@pytest.mark.parametrize(
    "value", [{}, {"M": {"a": {}}}, {"L": [{}]}], ids=["top", "in-map", "in-list"]
)
def test_no_type(ddb: Any, table_s: str, value: dict[str, Any]) -> None:
    assert put_error(ddb, table_s, {"p": {"S": "x"}, "a": value}) == (
        "ValidationException",
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
    )


def test_empty_string_key_rejected(ddb: Any, table_ss: str) -> None:
    code, message = put_error(ddb, table_ss, {"p": {"S": "x"}, "c": {"S": ""}})
    assert code == "ValidationException"
    assert message.endswith("cannot contain an empty string value. Key: c")


def invalid_base64(raw: RawCall, table: str, text: str) -> tuple[int, dict[str, Any]]:
    response = raw("PutItem", {"TableName": table, "Item": {"p": {"S": "x"}, "b": {"B": text}}})
    return response.status_code, response.json()


def serialization_text(body: dict[str, Any]) -> str | None:
    text: str | None = body.get("Message", body.get("message"))
    return text


def test_base64_length_not_multiple_of_four(raw: RawCall, table_s: str) -> None:
    status, body = invalid_base64(raw, table_s, "23456")
    assert status == 400
    assert body["__type"] == "com.amazon.coral.service#SerializationException"
    assert serialization_text(body) == (
        "Base64 encoded length is expected a multiple of 4 bytes but found: 5"
    )


@pytest.mark.parametrize("text", ["YWJjZGVmZ2g", "YWJj??!!", "=+/=", "+/+="])
def test_invalid_base64(raw: RawCall, table_s: str, text: str) -> None:
    status, body = invalid_base64(raw, table_s, text)
    assert status == 400
    assert body["__type"] == "com.amazon.coral.service#SerializationException"


@pytest.mark.parametrize("text", ["=+/=", "+/+="])
def test_base64_non_canonical_last_character(raw: RawCall, table_s: str, text: str) -> None:
    _, body = invalid_base64(raw, table_s, text)
    assert serialization_text(body) == "Invalid last non-pad Base64 character dectected"
