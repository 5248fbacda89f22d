"""The legacy (pre-expression) conditional parameters: AttributesToGet, KeyConditions,
QueryFilter, ScanFilter, Expected (Exists / Value / ComparisonOperator), AttributeUpdates
(PUT / ADD / DELETE) and ConditionalOperator (AND / OR).

Sources: the AWS developer guide ("Legacy conditional parameters": AttributesToGet,
AttributeUpdates, ConditionalOperator, Expected, KeyConditions, QueryFilter, ScanFilter), and
what peers recorded from real DynamoDB: dynalite ``test/*.js`` and ``validations/index.js``,
ScyllaDB Alternator ``test_expected.py`` / ``test_key_conditions.py`` /
``test_query_filter.py``, the nubo-db conformance suite (``tier3/legacy-api``), and ExtendDB's
suite run against Amazon DynamoDB (``ConditionalOperator`` validation and mixing).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]
INVALID = "One or more parameter values were invalid: "
CONDITION_FAILED = ("ConditionalCheckFailedException", "The conditional request failed")


def fresh() -> Item:
    return {"p": {"S": new_key()}}


def error(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


def eq(value: Item) -> dict[str, Any]:
    return {"ComparisonOperator": "EQ", "AttributeValueList": [value]}


# --- AttributesToGet --------------------------------------------------------------------------


def test_attributes_to_get_on_get_item(ddb: Any, table_s: str, put: Any) -> None:
    key = put(name={"S": "alice"}, age={"N": "30"}, role={"S": "admin"})
    response = ddb.get_item(
        TableName=table_s, Key=key, ConsistentRead=True, AttributesToGet=["name", "age", "missing"]
    )
    assert response["Item"] == {"name": {"S": "alice"}, "age": {"N": "30"}}  # no key added


def test_attributes_to_get_on_query_and_scan(ddb: Any, make_table: Any) -> None:
    table = make_table("p:S", "c:N")
    for i in range(3):
        ddb.put_item(
            TableName=table,
            Item={"p": {"S": "x"}, "c": {"N": str(i)}, "a": {"S": f"a{i}"}, "b": {"S": "b"}},
        )
    query = ddb.query(
        TableName=table, AttributesToGet=["a", "c"], KeyConditions={"p": eq({"S": "x"})}
    )
    assert query["Items"] == [{"a": {"S": f"a{i}"}, "c": {"N": str(i)}} for i in range(3)]
    scan = ddb.scan(TableName=table, AttributesToGet=["a"], Select="SPECIFIC_ATTRIBUTES")
    assert sorted(item["a"]["S"] for item in scan["Items"]) == ["a0", "a1", "a2"]
    assert all(set(item) == {"a"} for item in scan["Items"])


def test_attributes_to_get_with_duplicates(ddb: Any, table_s: str) -> None:
    assert error(ddb.get_item, TableName=table_s, Key=fresh(), AttributesToGet=["a", "a"]) == (
        "ValidationException",
        f"{INVALID}Duplicate value in attribute name: a",
    )


def test_attributes_to_get_with_select_count(ddb: Any, table_s: str) -> None:
    assert error(ddb.scan, TableName=table_s, Select="COUNT", AttributesToGet=["a"]) == (
        "ValidationException",
        "Cannot specify the AttributesToGet when choosing to get only the Count",
    )


# --- KeyConditions ----------------------------------------------------------------------------


@pytest.fixture
def partition(ddb: Any, table_ss: str) -> str:
    p = new_key()
    for sk in ["alpha", "beta", "gamma", "delta", "epsilon"]:
        ddb.put_item(
            TableName=table_ss,
            Item={
                "p": {"S": p},
                "c": {"S": sk},
                "tag": {"S": "hot" if sk in ("beta", "delta") else "cold"},
                "n": {"N": str(len(sk))},
            },
        )
    return p


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (None, ["alpha", "beta", "delta", "epsilon", "gamma"]),
        ({"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "al"}]}, ["alpha"]),
        (
            {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "b"}, {"S": "e"}]},
            ["beta", "delta"],
        ),
        (
            {"ComparisonOperator": "GT", "AttributeValueList": [{"S": "delta"}]},
            ["epsilon", "gamma"],
        ),
        (
            {"ComparisonOperator": "GE", "AttributeValueList": [{"S": "delta"}]},
            ["delta", "epsilon", "gamma"],
        ),
        ({"ComparisonOperator": "LT", "AttributeValueList": [{"S": "beta"}]}, ["alpha"]),
        ({"ComparisonOperator": "LE", "AttributeValueList": [{"S": "beta"}]}, ["alpha", "beta"]),
        ({"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "gamma"}]}, ["gamma"]),
    ],
)
def test_key_conditions(
    ddb: Any,
    table_ss: str,
    partition: str,
    condition: dict[str, Any] | None,
    expected: list[str],
) -> None:
    conditions: dict[str, Any] = {"p": eq({"S": partition})}
    if condition:
        conditions["c"] = condition
    response = ddb.query(TableName=table_ss, KeyConditions=conditions)
    assert [item["c"]["S"] for item in response["Items"]] == expected
    reverse = ddb.query(TableName=table_ss, KeyConditions=conditions, ScanIndexForward=False)
    assert [item["c"]["S"] for item in reverse["Items"]] == expected[::-1]


@pytest.mark.parametrize(
    "condition",
    [
        {"ComparisonOperator": "NULL"},
        {"ComparisonOperator": "NOT_NULL"},
        {"ComparisonOperator": "NE", "AttributeValueList": [{"S": "a"}]},
        {"ComparisonOperator": "CONTAINS", "AttributeValueList": [{"S": "a"}]},
        {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "a"}]},
        {"ComparisonOperator": "IN", "AttributeValueList": [{"S": "a"}]},
    ],
)
def test_key_condition_that_is_not_indexable(
    ddb: Any, table_ss: str, condition: dict[str, Any]
) -> None:
    assert error(
        ddb.query, TableName=table_ss, KeyConditions={"p": eq({"S": "x"}), "c": condition}
    ) == (
        "ValidationException",
        "Attempted conditional constraint is not an indexable operation",
    )
    if condition["ComparisonOperator"] != "NOT_NULL":
        assert error(ddb.query, TableName=table_ss, KeyConditions={"p": condition}) == (
            "ValidationException",
            "Attempted conditional constraint is not an indexable operation",
        )


@pytest.mark.parametrize(
    ("conditions", "message"),
    [
        ({"c": eq({"S": "x"})}, "Query condition missed key schema element: p"),
        (
            {"p": {"ComparisonOperator": "EQ", "AttributeValueList": []}},
            f"{INVALID}Invalid number of argument(s) for the EQ ComparisonOperator",
        ),
        (
            {"p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}, {"S": "b"}]}},
            f"{INVALID}Invalid number of argument(s) for the EQ ComparisonOperator",
        ),
        (
            {
                "p": eq({"S": "x"}),
                "c": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"S": "a"}]},
            },
            f"{INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator",
        ),
        (
            {
                "p": eq({"S": "x"}),
                "c": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"N": "1"}]},
            },
            f"{INVALID}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
        ),
        (
            {
                "p": eq({"S": "x"}),
                "c": {"ComparisonOperator": "GT", "AttributeValueList": [{"BOOL": True}]},
            },
            f"{INVALID}ComparisonOperator GT is not valid for BOOL AttributeValue type",
        ),
        (
            {
                "p": eq({"S": "x"}),
                "c": {
                    "ComparisonOperator": "BETWEEN",
                    "AttributeValueList": [{"S": "b"}, {"N": "1"}],
                },
            },
            f"{INVALID}AttributeValues inside AttributeValueList must be of same type",
        ),
        (
            {
                "p": eq({"S": "x"}),
                "c": {
                    "ComparisonOperator": "BETWEEN",
                    "AttributeValueList": [{"S": "b"}, {"S": "a"}],
                },
            },
            "The BETWEEN condition was provided a range where the lower bound is greater than the "
            "upper bound",
        ),
        ({"p": eq({"N": "1"})}, f"{INVALID}Condition parameter type does not match schema type"),
    ],
)
def test_invalid_key_conditions(
    ddb: Any, table_ss: str, conditions: dict[str, Any], message: str
) -> None:
    assert error(ddb.query, TableName=table_ss, KeyConditions=conditions) == (
        "ValidationException",
        message,
    )


# --- QueryFilter ------------------------------------------------------------------------------


def test_query_filter(ddb: Any, table_ss: str, partition: str) -> None:
    response = ddb.query(
        TableName=table_ss,
        KeyConditions={"p": eq({"S": partition})},
        QueryFilter={"tag": eq({"S": "hot"})},
    )
    assert [item["c"]["S"] for item in response["Items"]] == ["beta", "delta"]
    assert (response["Count"], response["ScannedCount"]) == (2, 5)


def test_query_filter_with_conditional_operator(ddb: Any, table_ss: str, partition: str) -> None:
    conditions = {
        "tag": eq({"S": "hot"}),
        "n": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "7"}]},
    }
    both = ddb.query(
        TableName=table_ss, KeyConditions={"p": eq({"S": partition})}, QueryFilter=conditions
    )
    assert [item["c"]["S"] for item in both["Items"]] == []
    either = ddb.query(
        TableName=table_ss,
        KeyConditions={"p": eq({"S": partition})},
        QueryFilter=conditions,
        ConditionalOperator="OR",
    )
    assert [item["c"]["S"] for item in either["Items"]] == ["beta", "delta", "epsilon"]


@pytest.mark.parametrize("attribute", ["p", "c"])
def test_query_filter_on_a_key_attribute(ddb: Any, table_ss: str, attribute: str) -> None:
    assert error(
        ddb.query,
        TableName=table_ss,
        KeyConditions={"p": eq({"S": "x"})},
        QueryFilter={attribute: eq({"S": "a"})},
    ) == (
        "ValidationException",
        f"QueryFilter can only contain non-primary key attributes: Primary key attribute: "
        f"{attribute}",
    )


# --- ScanFilter -------------------------------------------------------------------------------

SCAN_ITEMS: dict[str, Item] = {
    "s1": {"a": {"S": "hello"}, "n": {"N": "1"}, "b": {"B": b"\x01\x02"}, "ss": {"SS": ["x", "y"]}},
    "s2": {
        "a": {"S": "help"},
        "n": {"N": "20"},
        "b": {"B": b"\x80"},
        "ns": {"NS": ["1", "2"]},
        "l": {"L": [{"S": "x"}]},
    },
    "s3": {"a": {"S": "world"}, "n": {"S": "20"}, "nul": {"NULL": True}},
    "s4": {},
}


@pytest.fixture(scope="module")
def scan_table(ddb: Any) -> Any:
    name = "legacy-" + new_key()[:12]
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for key, attributes in SCAN_ITEMS.items():
        ddb.put_item(TableName=name, Item={"p": {"S": key}, **attributes})
    yield name
    ddb.delete_table(TableName=name)


def op(operator: str, *values: Item) -> dict[str, Any]:
    condition: dict[str, Any] = {"ComparisonOperator": operator}
    if values:
        condition["AttributeValueList"] = list(values)
    return condition


@pytest.mark.parametrize(
    ("scan_filter", "expected"),
    [
        ({"a": op("EQ", {"S": "help"})}, ["s2"]),
        ({"n": op("EQ", {"N": "20"})}, ["s2"]),  # a string "20" is not the number 20
        ({"ss": op("EQ", {"SS": ["y", "x"]})}, ["s1"]),
        ({"n": op("NE", {"N": "20"})}, ["s1", "s3", "s4"]),  # missing attributes are "not equal"
        ({"n": op("LT", {"N": "20"})}, ["s1"]),
        ({"n": op("LE", {"N": "20"})}, ["s1", "s2"]),
        ({"a": op("GT", {"S": "help"})}, ["s3"]),
        ({"a": op("GE", {"S": "help"})}, ["s2", "s3"]),
        ({"b": op("GT", {"B": b"\x7f"})}, ["s2"]),  # bytes compare unsigned
        ({"n": op("BETWEEN", {"N": "1"}, {"N": "19"})}, ["s1"]),
        ({"a": op("IN", {"S": "world"}, {"S": "hello"})}, ["s1", "s3"]),
        ({"a": op("BEGINS_WITH", {"S": "hel"})}, ["s1", "s2"]),
        ({"b": op("BEGINS_WITH", {"B": b"\x01"})}, ["s1"]),
        ({"a": op("CONTAINS", {"S": "or"})}, ["s3"]),
        ({"ss": op("CONTAINS", {"S": "y"})}, ["s1"]),
        ({"ns": op("CONTAINS", {"N": "2"})}, ["s2"]),
        ({"l": op("CONTAINS", {"S": "x"})}, ["s2"]),
        ({"b": op("CONTAINS", {"B": b"\x02"})}, ["s1"]),
        # NOT_CONTAINS is false when the attribute is missing (unlike NE)
        ({"a": op("NOT_CONTAINS", {"S": "el"})}, ["s3"]),
        ({"nul": op("NOT_NULL")}, ["s3"]),  # NULL / NOT_NULL test existence, not the NULL type
        ({"a": op("NULL")}, ["s4"]),
        ({"a": op("BEGINS_WITH", {"S": "h"}), "n": op("EQ", {"N": "1"})}, ["s1"]),
        ({}, ["s1", "s2", "s3", "s4"]),
    ],
)
def test_scan_filter(
    ddb: Any, scan_table: str, scan_filter: dict[str, Any], expected: list[str]
) -> None:
    response = ddb.scan(TableName=scan_table, ScanFilter=scan_filter)
    assert sorted(item["p"]["S"] for item in response["Items"]) == expected
    assert response["ScannedCount"] == len(SCAN_ITEMS)


def test_scan_filter_with_conditional_operator(ddb: Any, scan_table: str) -> None:
    scan_filter = {"a": op("BEGINS_WITH", {"S": "w"}), "n": op("EQ", {"N": "1"})}
    both = ddb.scan(TableName=scan_table, ScanFilter=scan_filter, ConditionalOperator="AND")
    assert both["Items"] == []
    either = ddb.scan(TableName=scan_table, ScanFilter=scan_filter, ConditionalOperator="OR")
    assert sorted(item["p"]["S"] for item in either["Items"]) == ["s1", "s3"]


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (op("EQ"), f"{INVALID}Invalid number of argument(s) for the EQ ComparisonOperator"),
        (
            op("NULL", {"S": "a"}),
            f"{INVALID}Invalid number of argument(s) for the NULL ComparisonOperator",
        ),
        (op("IN"), f"{INVALID}Invalid number of argument(s) for the IN ComparisonOperator"),
        (
            op("BETWEEN", {"N": "1"}, {"N": "2"}, {"N": "3"}),
            f"{INVALID}Invalid number of argument(s) for the BETWEEN ComparisonOperator",
        ),
        (
            op("LT", {"SS": ["a"]}),
            f"{INVALID}ComparisonOperator LT is not valid for SS AttributeValue type",
        ),
        (
            op("CONTAINS", {"L": []}),
            f"{INVALID}ComparisonOperator CONTAINS is not valid for L AttributeValue type",
        ),
        (
            op("BEGINS_WITH", {"N": "1"}),
            f"{INVALID}ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type",
        ),
        (
            op("IN", {"S": "b"}, {"N": "1"}),
            f"{INVALID}AttributeValues inside AttributeValueList must be of same type",
        ),
        (
            op("BETWEEN", {"N": "2"}, {"N": "1"}),
            "The BETWEEN condition was provided a range where the lower bound is greater than the "
            "upper bound",
        ),
    ],
)
def test_invalid_scan_filter(
    ddb: Any, scan_table: str, condition: dict[str, Any], message: str
) -> None:
    assert error(ddb.scan, TableName=scan_table, ScanFilter={"a": condition}) == (
        "ValidationException",
        message,
    )


# --- Expected ---------------------------------------------------------------------------------


def test_expected_exists_false(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    ddb.put_item(
        TableName=table_s, Item={**key, "a": {"S": "1"}}, Expected={"p": {"Exists": False}}
    )
    assert read(key) == {**key, "a": {"S": "1"}}
    assert (
        error(
            ddb.put_item,
            TableName=table_s,
            Item={**key, "a": {"S": "2"}},
            Expected={"p": {"Exists": False}},
        )
        == CONDITION_FAILED
    )
    assert read(key) == {**key, "a": {"S": "1"}}


@pytest.mark.parametrize(
    ("expected", "holds"),
    [
        ({"a": {"Value": {"N": "1"}}}, True),  # Value alone: Exists defaults to true
        ({"a": {"Exists": True, "Value": {"N": "1"}}}, True),
        ({"a": {"Value": {"N": "2"}}}, False),
        ({"a": {"Value": {"S": "1"}}}, False),
        ({"z": {"Value": {"N": "1"}}}, False),  # a missing attribute is no match
        ({"z": {"Exists": False}}, True),
        ({"a": {"Exists": False}}, False),
        ({"a": op("NOT_NULL")}, True),
        ({"z": op("NULL")}, True),
        ({"z": op("NE", {"N": "1"})}, True),
        ({"z": op("NOT_CONTAINS", {"S": "x"})}, False),
        ({"s": op("CONTAINS", {"S": "red"})}, True),
        ({"a": op("IN", {"N": "3"}, {"N": "1"})}, True),
        ({"a": op("BETWEEN", {"N": "0"}, {"N": "1"})}, True),
        ({"a": op("GT", {"N": "1"})}, False),
        ({"a": op("EQ", {"N": "1"}), "s": op("EQ", {"SS": ["green", "red"]})}, True),
        ({"a": op("EQ", {"N": "1"}), "z": op("NOT_NULL")}, False),
    ],
)
def test_expected_conditions(
    ddb: Any, table_s: str, put: Any, read: Any, expected: dict[str, Any], holds: bool
) -> None:
    stored = {"a": {"N": "1"}, "s": {"SS": ["red", "green"]}}
    key = put(**stored)
    params = {
        "TableName": table_s,
        "Key": key,
        "Expected": expected,
        "AttributeUpdates": {"marker": {"Action": "PUT", "Value": {"S": "set"}}},
    }
    if holds:
        ddb.update_item(**params)
        assert read(key) == {**key, **stored, "marker": {"S": "set"}}
    else:
        assert error(ddb.update_item, **params) == CONDITION_FAILED
        assert read(key) == {**key, **stored}


def test_expected_with_conditional_operator(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(a={"N": "1"}, b={"N": "2"})
    expected = {"a": {"Value": {"N": "74"}}, "b": op("EQ", {"N": "999"}), "c": {"Exists": False}}
    ddb.delete_item(TableName=table_s, Key=key, Expected=expected, ConditionalOperator="OR")
    assert read(key) is None
    key = put(a={"N": "1"}, b={"N": "2"}, c={"N": "3"})
    assert (
        error(
            ddb.delete_item, TableName=table_s, Key=key, Expected=expected, ConditionalOperator="OR"
        )
        == CONDITION_FAILED
    )
    assert (
        error(
            ddb.delete_item,
            TableName=table_s,
            Key=key,
            Expected={"a": {"Value": {"N": "1"}}, "b": op("EQ", {"N": "999"})},
            ConditionalOperator="AND",
        )
        == CONDITION_FAILED
    )
    assert read(key) is not None


def test_empty_expected_is_no_condition(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(a={"N": "1"})
    ddb.update_item(
        TableName=table_s,
        Key=key,
        Expected={},
        AttributeUpdates={"z": {"Action": "PUT", "Value": {"N": "3"}}},
    )
    assert read(key) == {**key, "a": {"N": "1"}, "z": {"N": "3"}}


@pytest.mark.parametrize(
    ("expected", "message"),
    [
        ({"a": {}}, "Value must be provided when Exists is null for Attribute: a"),
        ({"a": {"Exists": True}}, "Value must be provided when Exists is true for Attribute: a"),
        (
            {"a": {"Exists": False, "Value": {"S": "a"}}},
            "Value cannot be used when Exists is false for Attribute: a",
        ),
        (
            {
                "a": {
                    "Exists": False,
                    "ComparisonOperator": "EQ",
                    "AttributeValueList": [{"S": "a"}],
                }
            },
            "Exists and ComparisonOperator cannot be used together for Attribute: a",
        ),
        (
            {
                "a": {
                    "Value": {"S": "a"},
                    "ComparisonOperator": "EQ",
                    "AttributeValueList": [{"S": "a"}],
                }
            },
            "Value and AttributeValueList cannot be used together for Attribute: a",
        ),
        (
            {"a": {"AttributeValueList": [{"S": "a"}]}},
            "AttributeValueList can only be used with a ComparisonOperator for Attribute: a",
        ),
        (
            {"a": {"ComparisonOperator": "EQ"}},
            "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a",
        ),
        (
            {"a": op("GE", {"N": "1"}, {"N": "2"})},
            "Invalid number of argument(s) for the GE ComparisonOperator",
        ),
    ],
)
def test_invalid_expected(ddb: Any, table_s: str, expected: dict[str, Any], message: str) -> None:
    assert error(ddb.put_item, TableName=table_s, Item=fresh(), Expected=expected) == (
        "ValidationException",
        f"{INVALID}{message}",
    )


# --- ConditionalOperator ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("scan", {}),
        ("scan", {"ScanFilter": {}}),
        ("scan", {"AttributesToGet": ["a", "b"]}),
        ("query", {"KeyConditions": {"p": eq({"S": "k1"})}}),
        ("put_item", {"Item": {"p": {"S": "k2"}}}),
        ("delete_item", {"Key": {"p": {"S": "k1"}}}),
        (
            "update_item",
            {
                "Key": {"p": {"S": "k1"}},
                "AttributeUpdates": {"a": {"Value": {"S": "v"}, "Action": "PUT"}},
            },
        ),
        (
            "update_item",
            {
                "Key": {"p": {"S": "k1"}},
                "Expected": {},
                "AttributeUpdates": {"a": {"Value": {"S": "v"}, "Action": "PUT"}},
            },
        ),
    ],
)
def test_conditional_operator_without_conditions(
    ddb: Any, table_s: str, method: str, params: dict[str, Any]
) -> None:
    assert error(getattr(ddb, method), TableName=table_s, ConditionalOperator="AND", **params) == (
        "ValidationException",
        "ConditionalOperator cannot be used without Filter or Expected",
    )


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("scan", {"ScanFilter": {"a": eq({"S": "x"})}}),
        ("query", {"KeyConditions": {"p": eq({"S": "k1"})}, "QueryFilter": {"a": eq({"S": "x"})}}),
        ("put_item", {"Item": {"p": {"S": "k2"}}, "Expected": {"a": eq({"S": "x"})}}),
        ("delete_item", {"Key": {"p": {"S": "k1"}}, "Expected": {"a": eq({"S": "x"})}}),
    ],
)
def test_conditional_operator_with_a_single_condition(
    ddb: Any, table_s: str, method: str, params: dict[str, Any]
) -> None:
    assert error(getattr(ddb, method), TableName=table_s, ConditionalOperator="OR", **params) == (
        "ValidationException",
        "ConditionalOperator can only be used when Filter or Expected has two or more elements",
    )


# --- AttributeUpdates -------------------------------------------------------------------------


def test_attribute_updates_put(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(val={"S": "old"})
    ddb.update_item(
        TableName=table_s,
        Key=key,
        AttributeUpdates={
            "val": {"Action": "PUT", "Value": {"S": "replaced"}},
            "new": {"Value": {"N": "42"}},  # PUT is the default action
        },
    )
    assert read(key) == {**key, "val": {"S": "replaced"}, "new": {"N": "42"}}


def test_attribute_updates_add(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(counter={"N": "10"}, tags={"SS": ["a"]})
    ddb.update_item(
        TableName=table_s,
        Key=key,
        AttributeUpdates={
            "counter": {"Action": "ADD", "Value": {"N": "5"}},
            "tags": {"Action": "ADD", "Value": {"SS": ["b", "c"]}},
            "fresh": {"Action": "ADD", "Value": {"N": "-1.5"}},
        },
    )
    item = read(key)
    assert item["counter"] == {"N": "15"}
    assert item["fresh"] == {"N": "-1.5"}
    assert sorted(item["tags"]["SS"]) == ["a", "b", "c"]


def test_attribute_updates_delete(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(tags={"SS": ["a", "b", "c"]}, gone={"S": "x"}, empty={"NS": ["1"]})
    ddb.update_item(
        TableName=table_s,
        Key=key,
        AttributeUpdates={
            "tags": {"Action": "DELETE", "Value": {"SS": ["b", "zzz"]}},
            "gone": {"Action": "DELETE"},  # DELETE without a value removes the attribute
            "empty": {"Action": "DELETE", "Value": {"NS": ["1"]}},  # an emptied set disappears
            "never": {"Action": "DELETE"},
        },
    )
    item = read(key)
    assert sorted(item["tags"]["SS"]) == ["a", "c"]
    assert set(item) == {"p", "tags"}


def test_attribute_updates_create_the_item(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    response = ddb.update_item(
        TableName=table_s,
        Key=key,
        ReturnValues="ALL_NEW",
        AttributeUpdates={"n": {"Action": "ADD", "Value": {"N": "1"}}},
    )
    assert response["Attributes"] == {**key, "n": {"N": "1"}}
    assert read(key) == {**key, "n": {"N": "1"}}


def test_empty_attribute_updates_create_the_item(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    response = ddb.update_item(
        TableName=table_s, Key=key, AttributeUpdates={}, ReturnValues="ALL_NEW"
    )
    assert response["Attributes"] == key
    assert read(key) == key
    response = ddb.update_item(
        TableName=table_s, Key=key, AttributeUpdates={}, ReturnValues="UPDATED_NEW"
    )
    assert "Attributes" not in response


@pytest.mark.parametrize(
    ("updates", "message"),
    [
        (
            {"a": {"Action": "PUT"}},
            "Only DELETE action is allowed when no attribute value is specified",
        ),
        (
            {"a": {"Action": "ADD"}},
            "Only DELETE action is allowed when no attribute value is specified",
        ),
        (
            {"a": {"Action": "DELETE", "Value": {"S": "1"}}},
            "DELETE action with value is not supported for the type S",
        ),
        (
            {"a": {"Action": "DELETE", "Value": {"N": "1"}}},
            "DELETE action with value is not supported for the type N",
        ),
        (
            {"a": {"Action": "ADD", "Value": {"S": "1"}}},
            "ADD action is not supported for the type S",
        ),
        (
            {"a": {"Action": "ADD", "Value": {"B": b"1"}}},
            "ADD action is not supported for the type B",
        ),
        (
            {"a": {"Action": "ADD", "Value": {"BOOL": True}}},
            "ADD action is not supported for the type BOOL",
        ),
        (
            {"p": {"Action": "PUT", "Value": {"S": "x"}}},
            "Cannot update attribute p. This attribute is part of the key",
        ),
    ],
)
def test_invalid_attribute_updates(
    ddb: Any, table_s: str, updates: dict[str, Any], message: str
) -> None:
    assert error(ddb.update_item, TableName=table_s, Key=fresh(), AttributeUpdates=updates) == (
        "ValidationException",
        f"{INVALID}{message}",
    )


@pytest.mark.parametrize(
    ("stored", "update"),
    [
        ({"SS": ["1"]}, {"Action": "DELETE", "Value": {"NS": ["1"]}}),
        ({"N": "1"}, {"Action": "DELETE", "Value": {"NS": ["1"]}}),
        ({"SS": ["1"]}, {"Action": "ADD", "Value": {"NS": ["1"]}}),
        ({"NS": ["1"]}, {"Action": "ADD", "Value": {"N": "1"}}),
    ],
)
def test_attribute_updates_on_stored_value_of_other_type(
    ddb: Any, table_s: str, put: Any, stored: Item, update: dict[str, Any]
) -> None:
    key = put(a=stored)
    assert error(ddb.update_item, TableName=table_s, Key=key, AttributeUpdates={"a": update}) == (
        "ValidationException",
        "Type mismatch for attribute to update",
    )


def test_attribute_updates_with_expected_and_return_values(
    ddb: Any, table_s: str, put: Any
) -> None:
    key = put(a={"S": "hi"}, c={"N": "7"})
    response = ddb.update_item(
        TableName=table_s,
        Key=key,
        ReturnValues="ALL_OLD",
        Expected={"a": {"Value": {"S": "hi"}}},
        AttributeUpdates={"a": {"Action": "PUT", "Value": {"N": "17"}}},
    )
    assert response["Attributes"] == {**key, "a": {"S": "hi"}, "c": {"N": "7"}}
    response = ddb.update_item(
        TableName=table_s,
        Key=key,
        ReturnValues="UPDATED_NEW",
        AttributeUpdates={"c": {"Action": "ADD", "Value": {"N": "1"}}},
    )
    assert response["Attributes"] == {"c": {"N": "8"}}
