"""ConditionExpression: comparators, BETWEEN, IN, AND / OR / NOT precedence, the condition
functions, nested document paths, and ConditionalCheckFailedException (with and without
ReturnValuesOnConditionCheckFailure).

Each case writes an item, then runs a conditional UpdateItem that sets a marker attribute:
the condition held when the update went through, it failed when DynamoDB answered
ConditionalCheckFailedException. Semantics follow the AWS developer guide (Expressions,
"Comparison operator and function reference") and what the DynamoDB-compatible test suites
recorded from real DynamoDB (ScyllaDB Alternator ``test_condition_expression.py``, dynalite,
the nubo-db / paritysuite conformance suites).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key

pytestmark = pytest.mark.aws_documented

CONDITION_FAILED = ("ConditionalCheckFailedException", "The conditional request failed")

Item = dict[str, Any]


def holds(
    ddb: Any,
    table: str,
    key: Item,
    condition: str,
    values: Item | None = None,
    names: dict[str, str] | None = None,
) -> bool:
    """Whether ``condition`` holds on the stored item (UpdateItem sets ``marker`` if so)."""
    params: dict[str, Any] = {
        "TableName": table,
        "Key": key,
        "UpdateExpression": "SET #marker = :marker",
        "ConditionExpression": condition,
        "ExpressionAttributeNames": {"#marker": "marker", **(names or {})},
        "ExpressionAttributeValues": {":marker": {"S": "set"}, **(values or {})},
    }
    try:
        ddb.update_item(**params)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise
    return True


def condition_error(
    ddb: Any, table: str, condition: str, values: Item | None = None, names: Item | None = None
) -> tuple[str, str]:
    """The error of a PutItem guarded by ``condition``."""
    params: dict[str, Any] = {
        "TableName": table,
        "Item": {"p": {"S": new_key()}},
        "ConditionExpression": condition,
    }
    if values is not None:
        params["ExpressionAttributeValues"] = values
    if names is not None:
        params["ExpressionAttributeNames"] = names
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(**params)
    return error_of(excinfo)


# --- comparators ------------------------------------------------------------------------

COMPARISONS = [
    # (stored a, condition, :v, holds)
    ({"N": "10"}, "a > :v", {"N": "9"}, True),  # numbers compare numerically
    ({"N": "-5"}, "a < :v", {"N": "-4.5"}, True),
    ({"N": "1"}, "a = :v", {"N": "1.000"}, True),  # same number, other spelling
    ({"N": "100"}, "a = :v", {"N": "1E2"}, True),
    ({"N": "0.1"}, "a >= :v", {"N": "0.10"}, True),
    ({"N": "3"}, "a <= :v", {"N": "2"}, False),
    ({"S": "10"}, "a < :v", {"S": "9"}, True),  # strings compare by UTF-8 bytes
    ({"S": "a"}, "a > :v", {"S": "B"}, True),
    ({"S": "abc"}, "a > :v", {"S": "ab"}, True),
    ({"S": "\u00e9"}, "a > :v", {"S": "z"}, True),  # U+00E9 is 0xC3 0xA9 in UTF-8
    ({"S": "cat"}, "a <> :v", {"S": "dog"}, True),
    ({"S": "cat"}, "a <> :v", {"S": "cat"}, False),
    ({"B": b"\x80"}, "a > :v", {"B": b"\x7f"}, True),  # 0x80 > 0x7f: bytes are unsigned
    ({"B": b"\x01\x02"}, "a < :v", {"B": b"\x01\x02\x03"}, True),
    ({"N": "1"}, "a = :v", {"S": "1"}, False),  # different types are never equal
    ({"N": "1"}, "a <> :v", {"S": "1"}, True),
    ({"N": "1"}, "a < :v", {"S": "2"}, False),  # ordering across types is false, no error
    ({"N": "1"}, "a >= :v", {"S": "0"}, False),
    ({"SS": ["x", "y", "z"]}, "a = :v", {"SS": ["z", "x", "y"]}, True),  # sets: no order
    ({"NS": ["1", "2"]}, "a = :v", {"NS": ["2.0", "1"]}, True),
    ({"SS": ["x", "y"]}, "a = :v", {"SS": ["x"]}, False),
    ({"L": [{"N": "1"}, {"S": "b"}]}, "a = :v", {"L": [{"N": "1"}, {"S": "b"}]}, True),
    ({"L": [{"N": "1"}, {"S": "b"}]}, "a = :v", {"L": [{"S": "b"}, {"N": "1"}]}, False),
    (
        {"M": {"x": {"N": "1"}, "y": {"S": "q"}}},
        "a = :v",
        {"M": {"y": {"S": "q"}, "x": {"N": "1"}}},
        True,
    ),
    ({"M": {"x": {"N": "1"}}}, "a = :v", {"M": {"x": {"N": "2"}}}, False),
    ({"BOOL": True}, "a = :v", {"BOOL": True}, True),
    ({"BOOL": True}, "a = :v", {"BOOL": False}, False),
    ({"NULL": True}, "a = :v", {"NULL": True}, True),
]


@pytest.mark.parametrize(("stored", "condition", "value", "expected"), COMPARISONS)
def test_comparison(
    ddb: Any, table_s: str, put: Any, stored: Item, condition: str, value: Item, expected: bool
) -> None:
    key = put(a=stored)
    assert holds(ddb, table_s, key, condition, {":v": value}) is expected


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("q = :v", False),
        ("q <> :v", True),  # a missing attribute is "not equal" to anything
        ("q < :v", False),
        ("q <= :v", False),
        ("q > :v", False),
        ("q >= :v", False),
        (":v < q", False),
        ("q <> z", True),  # even to another missing attribute
        ("q = z", False),
        ("q < z", False),
        ("q BETWEEN :v AND :v", False),
    ],
)
def test_comparison_with_missing_attribute(
    ddb: Any, table_s: str, put: Any, condition: str, expected: bool
) -> None:
    key = put(a={"N": "1"})
    values = {":v": {"N": "1"}} if ":v" in condition else None
    assert holds(ddb, table_s, key, condition, values) is expected


def test_comparison_between_two_attributes(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"N": "1"}, b={"N": "2"}, c={"N": "1"})
    assert holds(ddb, table_s, key, "a < b") is True
    assert holds(ddb, table_s, key, "a = c") is True
    assert holds(ddb, table_s, key, "b <= c") is False


def test_comparison_of_list_stored_with_number_is_false(ddb: Any, table_s: str, put: Any) -> None:
    """A stored value of a type that cannot be ordered is a failed check, not an error."""
    key = put(x={"L": [{"N": "1"}]})
    assert holds(ddb, table_s, key, "x < :v", {":v": {"N": "1"}}) is False
    assert holds(ddb, table_s, key, ":v < x", {":v": {"N": "1"}}) is False


@pytest.mark.parametrize(
    ("condition", "kind"),
    [
        ("a < :v", "L"),
        (":v > a", "L"),
        ("a <= :v", "M"),
        ("a >= :v", "BOOL"),
        ("a > :v", "NULL"),
        ("a < :v", "SS"),
    ],
)
def test_ordering_with_value_of_unorderable_type_is_rejected(
    ddb: Any, table_s: str, condition: str, kind: str
) -> None:
    operand = {
        "L": {"L": [{"N": "1"}]},
        "M": {"M": {}},
        "BOOL": {"BOOL": True},
        "NULL": {"NULL": True},
        "SS": {"SS": ["a"]},
    }[kind]
    operator = condition.split()[1]
    assert condition_error(ddb, table_s, condition, {":v": operand}) == (
        "ValidationException",
        "Invalid ConditionExpression: Incorrect operand type for operator or function; "
        f"operator or function: {operator}, operand type: {kind}",
    )


# --- BETWEEN ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "low", "high", "expected"),
    [
        ({"N": "5"}, {"N": "5"}, {"N": "10"}, True),  # bounds are inclusive
        ({"N": "10"}, {"N": "5"}, {"N": "10"}, True),
        ({"N": "4.99"}, {"N": "5"}, {"N": "10"}, False),
        ({"N": "-1"}, {"N": "-2"}, {"N": "0"}, True),
        ({"S": "b"}, {"S": "a"}, {"S": "c"}, True),
        ({"S": "ca"}, {"S": "a"}, {"S": "c"}, False),
        ({"B": b"\x01"}, {"B": b"\x00"}, {"B": b"\xff"}, True),
        ({"S": "5"}, {"N": "1"}, {"N": "9"}, False),  # type mismatch: false
    ],
)
def test_between(
    ddb: Any, table_s: str, put: Any, stored: Item, low: Item, high: Item, expected: bool
) -> None:
    key = put(a=stored)
    got = holds(ddb, table_s, key, "a BETWEEN :lo AND :hi", {":lo": low, ":hi": high})
    assert got is expected


def test_between_with_reversed_bounds_is_rejected(ddb: Any, table_s: str) -> None:
    assert condition_error(
        ddb, table_s, "a BETWEEN :lo AND :hi", {":lo": {"N": "2"}, ":hi": {"N": "1"}}
    ) == (
        "ValidationException",
        "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
        "than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound "
        "operand: AttributeValue: {N:1}",
    )


def test_between_with_bounds_of_different_types_is_rejected(ddb: Any, table_s: str) -> None:
    assert condition_error(
        ddb, table_s, "a BETWEEN :lo AND :hi", {":lo": {"N": "1"}, ":hi": {"S": "a"}}
    ) == (
        "ValidationException",
        "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower "
        "and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: "
        "AttributeValue: {S:a}",
    )


# --- IN -----------------------------------------------------------------------------------


def test_in(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"S": "dog"}, n={"N": "2"})
    x, y, z = {"S": "cat"}, {"S": "dog"}, {"N": "2"}
    assert holds(ddb, table_s, key, "a IN (:x, :y)", {":x": x, ":y": y}) is True
    assert holds(ddb, table_s, key, "a IN (:x, :z)", {":x": x, ":z": z}) is False
    assert holds(ddb, table_s, key, "n IN (:z)", {":z": z}) is True
    assert holds(ddb, table_s, key, "n in (:x, :y, :z)", {":x": x, ":y": y, ":z": z}) is True
    assert holds(ddb, table_s, key, "q IN (:x, :y)", {":x": x, ":y": y}) is False


def test_in_with_100_values(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"N": "99"})
    values = {f":v{i}": {"N": str(i)} for i in range(100)}
    assert holds(ddb, table_s, key, "a IN (" + ", ".join(values) + ")", values) is True


def test_in_with_101_values(ddb: Any, table_s: str) -> None:
    """AWS developer guide, quotas of expression parameters: at most 100 operands for IN
    (DynamoDB Local's error list: "The IN operator is provided with too many operands")."""
    values = {f":v{i}": {"N": str(i)} for i in range(101)}
    assert condition_error(ddb, table_s, "a IN (" + ", ".join(values) + ")", values) == (
        "ValidationException",
        "Invalid ConditionExpression: The IN operator is provided with too many operands; "
        "number of operands: 101",
    )


def test_in_compares_with_attribute_paths(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"S": "x"}, b={"S": "y"}, c={"S": "x"})
    assert holds(ddb, table_s, key, "a IN (b, c)") is True
    assert holds(ddb, table_s, key, "b IN (a, c)") is False


# --- AND / OR / NOT -----------------------------------------------------------------------

T = {":t": {"N": "1"}, ":f": {"N": "0"}}  # with a = 1: "a = :t" holds, "a = :f" does not


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("a = :t AND a = :t", True),
        ("a = :t AND a = :f", False),
        ("a = :f OR a = :t", True),
        ("a = :f OR a = :f", False),
        ("NOT a = :f", True),
        ("NOT a = :t", False),
        # AND binds tighter than OR: t OR (f AND f)
        ("a = :t OR a = :f AND a = :f", True),
        # (f AND f) OR t
        ("a = :f AND a = :f OR a = :t", True),
        # parentheses override: (t OR f) AND f
        ("(a = :t OR a = :f) AND a = :f", False),
        # NOT binds tighter than AND: (NOT f) AND t
        ("NOT a = :f AND a = :t", True),
        # (NOT t) OR t
        ("NOT a = :t OR a = :t", True),
        ("NOT (a = :t OR a = :t)", False),
        ("NOT NOT a = :t", True),
        # comparisons and BETWEEN bind tighter than AND
        ("a BETWEEN :f AND :t AND a = :t", True),
        ("a BETWEEN :f AND :t AND a = :f", False),
        ("a = :t and a = :t or a = :f", True),  # keywords are case-insensitive
    ],
)
def test_logical_operators_and_precedence(
    ddb: Any, table_s: str, put: Any, condition: str, expected: bool
) -> None:
    key = put(a={"N": "1"})
    values = {k: v for k, v in T.items() if k in condition}
    assert holds(ddb, table_s, key, condition, values) is expected


# --- functions ----------------------------------------------------------------------------


def test_attribute_exists_and_not_exists(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"S": "x"}, m={"M": {"b": {"L": [{"N": "1"}, {"M": {"c": {"NULL": True}}}]}}})
    assert holds(ddb, table_s, key, "attribute_exists(a)") is True
    assert holds(ddb, table_s, key, "attribute_exists(z)") is False
    assert holds(ddb, table_s, key, "attribute_not_exists(z)") is True
    assert holds(ddb, table_s, key, "attribute_not_exists(a)") is False
    assert holds(ddb, table_s, key, "attribute_exists(m.b[1].c)") is True  # NULL exists
    assert holds(ddb, table_s, key, "attribute_exists(m.b[2])") is False
    assert holds(ddb, table_s, key, "attribute_not_exists(m.b[0].c)") is True
    assert holds(ddb, table_s, key, "attribute_exists(a.b)") is False  # a is not a map


def test_attribute_not_exists_on_missing_item(ddb: Any, table_s: str, read: Any) -> None:
    key = {"p": {"S": new_key()}}
    assert holds(ddb, table_s, key, "attribute_not_exists(p)") is True
    assert read(key) == {**key, "marker": {"S": "set"}}
    assert holds(ddb, table_s, key, "attribute_not_exists(p)") is False


@pytest.mark.parametrize(
    ("stored", "type_name"),
    [
        ({"S": "x"}, "S"),
        ({"N": "1"}, "N"),
        ({"B": b"\x00"}, "B"),
        ({"SS": ["a"]}, "SS"),
        ({"NS": ["1"]}, "NS"),
        ({"BS": [b"\x00"]}, "BS"),
        ({"L": []}, "L"),
        ({"M": {}}, "M"),
        ({"BOOL": False}, "BOOL"),
        ({"NULL": True}, "NULL"),
    ],
)
def test_attribute_type(ddb: Any, table_s: str, put: Any, stored: Item, type_name: str) -> None:
    key = put(a=stored)
    assert holds(ddb, table_s, key, "attribute_type(a, :t)", {":t": {"S": type_name}}) is True
    other = "N" if type_name != "N" else "S"
    assert holds(ddb, table_s, key, "attribute_type(a, :t)", {":t": {"S": other}}) is False


def test_attribute_type_of_missing_attribute_is_false(ddb: Any, table_s: str, put: Any) -> None:
    key = put()
    assert holds(ddb, table_s, key, "attribute_type(a, :t)", {":t": {"S": "S"}}) is False


def test_attribute_type_with_unknown_type_name(ddb: Any, table_s: str) -> None:
    code, message = condition_error(ddb, table_s, "attribute_type(a, :t)", {":t": {"S": "DOG"}})
    assert code == "ValidationException"
    prefix = "Invalid ConditionExpression: Invalid attribute type name found; type: DOG, "
    assert message.startswith(prefix + "valid types: {")
    listed = message[len(prefix + "valid types: {") : -1].split(",")
    assert message.endswith("}")
    assert sorted(listed) == sorted(["B", "NULL", "SS", "BOOL", "L", "BS", "N", "NS", "S", "M"])


@pytest.mark.parametrize(
    ("stored", "prefix", "expected"),
    [
        ({"S": "hello"}, {"S": "he"}, True),
        ({"S": "hello"}, {"S": "hello"}, True),
        ({"S": "hello"}, {"S": "el"}, False),
        ({"S": "hello"}, {"S": "Hello"}, False),  # case-sensitive
        ({"B": b"\x01\x02\x03"}, {"B": b"\x01\x02"}, True),
        ({"B": b"\x01\x02\x03"}, {"B": b"\x02"}, False),
        ({"N": "123"}, {"S": "1"}, False),  # a number attribute never begins with anything
        ({"SS": ["hello"]}, {"S": "he"}, False),
        ({"S": "hello"}, {"B": b"he"}, False),  # "he" as bytes: types differ
    ],
)
def test_begins_with(
    ddb: Any, table_s: str, put: Any, stored: Item, prefix: Item, expected: bool
) -> None:
    key = put(a=stored)
    assert holds(ddb, table_s, key, "begins_with(a, :p)", {":p": prefix}) is expected


@pytest.mark.parametrize(
    ("stored", "operand", "expected"),
    [
        ({"S": "hello world"}, {"S": "o w"}, True),  # substring of a string
        ({"S": "hello"}, {"S": "xyz"}, False),
        ({"SS": ["a", "b"]}, {"S": "b"}, True),  # member of a set
        ({"SS": ["a", "bc"]}, {"S": "b"}, False),
        ({"NS": ["1", "20"]}, {"N": "20.0"}, True),
        ({"NS": ["1", "20"]}, {"S": "20"}, False),
        ({"BS": [b"\x01", b"\x02"]}, {"B": b"\x02"}, True),
        ({"B": b"\x01\x02\x03"}, {"B": b"\x02"}, True),  # subsequence of a binary
        ({"L": [{"S": "x"}, {"N": "5"}]}, {"N": "5"}, True),  # element of a list
        ({"L": [{"S": "x"}, {"N": "5"}]}, {"S": "5"}, False),
        ({"L": [{"M": {"k": {"S": "v"}}}]}, {"M": {"k": {"S": "v"}}}, True),
        ({"N": "12"}, {"N": "1"}, False),  # a number contains nothing
        ({"M": {"k": {"S": "v"}}}, {"S": "k"}, False),  # nor does a map
    ],
)
def test_contains(
    ddb: Any, table_s: str, put: Any, stored: Item, operand: Item, expected: bool
) -> None:
    key = put(a=stored)
    assert holds(ddb, table_s, key, "contains(a, :v)", {":v": operand}) is expected


def test_contains_with_attribute_operand(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"SS": ["x", "y"]}, b={"S": "y"}, c={"S": "z"})
    assert holds(ddb, table_s, key, "contains(a, b)") is True
    assert holds(ddb, table_s, key, "contains(a, c)") is False


@pytest.mark.parametrize(
    ("stored", "size"),
    [
        ({"S": "hello"}, "5"),
        ({"S": "\u00e9t\u00e9"}, "3"),  # characters, not UTF-8 bytes
        ({"B": b"hi there"}, "8"),  # bytes
        ({"SS": ["a", "b", "c"]}, "3"),
        ({"NS": ["1", "2"]}, "2"),
        ({"BS": [b"\x00"]}, "1"),
        ({"L": [{"N": "2"}, {"S": "dog"}, {"N": "7"}]}, "3"),
        ({"M": {"x": {"N": "2"}, "y": {"M": {"m": {"N": "3"}, "n": {"N": "4"}}}}}, "2"),
        ({"L": []}, "0"),
    ],
)
def test_size(ddb: Any, table_s: str, put: Any, stored: Item, size: str) -> None:
    key = put(a=stored)
    assert holds(ddb, table_s, key, "size(a) = :n", {":n": {"N": size}}) is True
    assert holds(ddb, table_s, key, "size(a) > :n", {":n": {"N": size}}) is False
    assert holds(ddb, table_s, key, "size(a) >= :n", {":n": {"N": size}}) is True


@pytest.mark.parametrize("stored", [{"N": "5"}, {"BOOL": True}, {"NULL": True}])
def test_size_of_stored_value_without_size_is_false(
    ddb: Any, table_s: str, put: Any, stored: Item
) -> None:
    key = put(a=stored)
    assert holds(ddb, table_s, key, "size(a) = :n", {":n": {"N": "1"}}) is False


def test_size_compared_with_attribute_and_non_number(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"S": "hello"}, f={"N": "5"})
    assert holds(ddb, table_s, key, "size(a) = f") is True
    assert holds(ddb, table_s, key, "size(a) = :s", {":s": {"S": "dog"}}) is False
    assert holds(ddb, table_s, key, "size(q) < :n", {":n": {"N": "100"}}) is False


def test_size_of_value_placeholder(ddb: Any, table_s: str, put: Any) -> None:
    key = put()
    values = {":v": {"S": "abc"}, ":n": {"N": "3"}}
    assert holds(ddb, table_s, key, "size(:v) = :n", values) is True


# --- nested paths -------------------------------------------------------------------------


def test_nested_document_paths(ddb: Any, table_s: str, put: Any) -> None:
    doc = {
        "M": {
            "b": {
                "L": [
                    {"N": "0"},
                    {"N": "1"},
                    {"N": "2"},
                    {"M": {"c": {"S": "deep"}, "d": {"L": [{"S": "x"}]}}},
                ]
            }
        }
    }
    key = put(a=doc, x={"N": "-1"})
    assert holds(ddb, table_s, key, "a.b[3].c = :v", {":v": {"S": "deep"}}) is True
    assert holds(ddb, table_s, key, "a.b[3].d[0] = :v", {":v": {"S": "x"}}) is True
    assert holds(ddb, table_s, key, "a.b[1] < a.b[2]") is True
    assert holds(ddb, table_s, key, "x < a.b[0]") is True
    assert holds(ddb, table_s, key, "a.b[4] = :v", {":v": {"N": "0"}}) is False
    assert holds(ddb, table_s, key, "a.b.c = :v", {":v": {"S": "deep"}}) is False
    assert holds(ddb, table_s, key, "a.b[3].c.d = :v", {":v": {"S": "deep"}}) is False
    assert holds(ddb, table_s, key, "size(a.b) = :n", {":n": {"N": "4"}}) is True


def test_nested_paths_through_name_placeholders(ddb: Any, table_s: str, put: Any) -> None:
    key = put(**{"a.b": {"S": "dotted"}, "a": {"M": {"b": {"S": "nested"}}}})
    assert holds(ddb, table_s, key, "#ab = :v", {":v": {"S": "dotted"}}, {"#ab": "a.b"}) is True
    assert (
        holds(ddb, table_s, key, "#a.#b = :v", {":v": {"S": "nested"}}, {"#a": "a", "#b": "b"})
        is True
    )


# --- ConditionalCheckFailedException --------------------------------------------------------


def test_failed_condition_leaves_item_and_answers_exactly(
    ddb: Any, table_s: str, put: Any, read: Any
) -> None:
    key = put(a={"S": "old"})
    with pytest.raises(ClientError) as excinfo:
        ddb.update_item(
            TableName=table_s,
            Key=key,
            UpdateExpression="SET a = :new",
            ConditionExpression="a = :expected",
            ExpressionAttributeValues={":new": {"S": "new"}, ":expected": {"S": "other"}},
        )
    assert error_of(excinfo) == CONDITION_FAILED
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "Item" not in excinfo.value.response
    assert read(key) == {**key, "a": {"S": "old"}}


@pytest.mark.parametrize("operation", ["put_item", "update_item", "delete_item"])
def test_return_values_on_condition_check_failure_all_old(
    ddb: Any, table_s: str, put: Any, read: Any, operation: str
) -> None:
    key = put(a={"S": "old"}, n={"N": "7"})
    params: dict[str, Any] = {
        "TableName": table_s,
        "ConditionExpression": "attribute_not_exists(p)",
        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
    }
    if operation == "put_item":
        params["Item"] = {**key, "a": {"S": "new"}}
    else:
        params["Key"] = key
    if operation == "update_item":
        params["UpdateExpression"] = "SET a = :new"
        params["ExpressionAttributeValues"] = {":new": {"S": "new"}}
    with pytest.raises(ClientError) as excinfo:
        getattr(ddb, operation)(**params)
    assert error_of(excinfo) == CONDITION_FAILED
    assert excinfo.value.response["Item"] == {**key, "a": {"S": "old"}, "n": {"N": "7"}}
    assert read(key) == {**key, "a": {"S": "old"}, "n": {"N": "7"}}


def test_return_values_on_condition_check_failure_for_missing_item(ddb: Any, table_s: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.update_item(
            TableName=table_s,
            Key={"p": {"S": new_key()}},
            UpdateExpression="SET a = :v",
            ConditionExpression="attribute_exists(p)",
            ExpressionAttributeValues={":v": {"S": "x"}},
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert error_of(excinfo) == CONDITION_FAILED
    assert "Item" not in excinfo.value.response


def test_return_values_on_condition_check_failure_none(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"S": "old"})
    with pytest.raises(ClientError) as excinfo:
        ddb.delete_item(
            TableName=table_s,
            Key=key,
            ConditionExpression="a = :v",
            ExpressionAttributeValues={":v": {"S": "other"}},
            ReturnValuesOnConditionCheckFailure="NONE",
        )
    assert error_of(excinfo) == CONDITION_FAILED
    assert "Item" not in excinfo.value.response


def test_successful_condition_returns_no_item(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"S": "old"})
    response = ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET a = :new",
        ConditionExpression="a = :old",
        ExpressionAttributeValues={":new": {"S": "new"}, ":old": {"S": "old"}},
        ReturnValuesOnConditionCheckFailure="ALL_OLD",
    )
    assert "Attributes" not in response
    assert "Item" not in response


def test_put_with_condition_on_missing_item(ddb: Any, table_s: str, read: Any) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(
        TableName=table_s,
        Item={**key, "a": {"N": "1"}},
        ConditionExpression="a <> :v",
        ExpressionAttributeValues={":v": {"N": "1"}},
    )
    assert read(key) == {**key, "a": {"N": "1"}}
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(
            TableName=table_s,
            Item={**key, "a": {"N": "2"}},
            ConditionExpression="a <> :v",
            ExpressionAttributeValues={":v": {"N": "1"}},
        )
    assert error_of(excinfo)[0] == "ConditionalCheckFailedException"


def test_delete_with_condition(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(a={"N": "1"})
    with pytest.raises(ClientError) as excinfo:
        ddb.delete_item(
            TableName=table_s,
            Key=key,
            ConditionExpression="a > :v",
            ExpressionAttributeValues={":v": {"N": "1"}},
        )
    assert error_of(excinfo)[0] == "ConditionalCheckFailedException"
    assert read(key) is not None
    ddb.delete_item(
        TableName=table_s,
        Key=key,
        ConditionExpression="a >= :v",
        ExpressionAttributeValues={":v": {"N": "1"}},
    )
    assert read(key) is None


# --- invalid conditions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("condition", "values", "message"),
    [
        (
            "attribute_exists(:v)",
            {":v": {"S": "a"}},
            "Operator or function requires a document path; operator or function: attribute_exists",
        ),
        (
            "attribute_not_exists(size(a))",
            None,
            "Operator or function requires a document path; operator or function: "
            "attribute_not_exists",
        ),
        (
            "size(a)",
            None,
            "The function is not allowed to be used this way in an expression; function: size",
        ),
        (
            "attribute_exists(a) < :v",
            {":v": {"N": "1"}},
            "The function is not allowed to be used this way in an expression; function: "
            "attribute_exists",
        ),
        (
            "begins_with(a, :v)",
            {":v": {"N": "1"}},
            "Incorrect operand type for operator or function; operator or function: "
            "begins_with, operand type: N",
        ),
        (
            "attribute_type(a, :v)",
            {":v": {"N": "1"}},
            "Incorrect operand type for operator or function; operator or function: "
            "attribute_type, operand type: N",
        ),
        (
            "size(:v) > a",
            {":v": {"N": "1"}},
            "Incorrect operand type for operator or function; operator or function: size, "
            "operand type: N",
        ),
        (
            "size(size(a)) > :v",
            {":v": {"N": "1"}},
            "Incorrect operand type for operator or function; operator or function: size, "
            "operand type: N",
        ),
        (
            "size(a, a) = :v",
            {":v": {"N": "1"}},
            "Incorrect number of operands for operator or function; operator or function: "
            "size, number of operands: 2",
        ),
        (
            "attribute_exists(a, b)",
            None,
            "Incorrect number of operands for operator or function; operator or function: "
            "attribute_exists, number of operands: 2",
        ),
        (
            "begins_with(a)",
            None,
            "Incorrect number of operands for operator or function; operator or function: "
            "begins_with, number of operands: 1",
        ),
        (
            "contains(a)",
            None,
            "Incorrect number of operands for operator or function; operator or function: "
            "contains, number of operands: 1",
        ),
        ("dog(a) = :v", {":v": {"N": "1"}}, "Invalid function name; function: dog"),
        (
            "Attribute_Exists(a)",
            None,
            "Invalid function name; function: Attribute_Exists",  # names are case-sensitive
        ),
        (
            "if_not_exists(a, :v) = :v",
            {":v": {"N": "1"}},
            "The function is not allowed in a condition expression; function: if_not_exists",
        ),
        (
            "list_append(a, :v) = :v",
            {":v": {"L": []}},
            "The function is not allowed in a condition expression; function: list_append",
        ),
        (
            "a = a",
            None,
            "The first operand must be distinct from the remaining operands for this operator "
            "or function; operator: =, first operand: [a]",
        ),
        (
            "a.b[1] <> a.b[1]",
            None,
            "The first operand must be distinct from the remaining operands for this operator "
            "or function; operator: <>, first operand: [a, b, [1]]",
        ),
        (
            "contains(a, a)",
            None,
            "The first operand must be distinct from the remaining operands for this operator "
            "or function; operator: contains, first operand: [a]",
        ),
    ],
)
def test_invalid_condition(
    ddb: Any, table_s: str, condition: str, values: Item | None, message: str
) -> None:
    assert condition_error(ddb, table_s, condition, values) == (
        "ValidationException",
        f"Invalid ConditionExpression: {message}",
    )


def test_redundant_parentheses(ddb: Any, table_s: str) -> None:
    assert condition_error(
        ddb, table_s, "a = :v AND ((a = :v AND a = :v))", {":v": {"N": "1"}}
    ) == (
        "ValidationException",
        "Invalid ConditionExpression: The expression has redundant parentheses;",
    )


def test_empty_condition(ddb: Any, table_s: str) -> None:
    assert condition_error(ddb, table_s, "") == (
        "ValidationException",
        "Invalid ConditionExpression: The expression can not be empty;",
    )


def test_invalid_condition_is_rejected_before_the_table_is_looked_up(ddb: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.put_item(
            TableName="gureum-no-such-table-" + new_key(),
            Item={"p": {"S": "x"}},
            ConditionExpression="size(a)",
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Invalid ConditionExpression: The function is not allowed to be used this way in an "
        "expression; function: size",
    )
