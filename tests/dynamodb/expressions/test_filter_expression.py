"""FilterExpression on Scan and Query: which items a filter keeps (comparators, functions,
nested paths, missing attributes, logical operators), Count vs ScannedCount, and the
"Invalid FilterExpression: ..." errors.

Sources: the AWS developer guide ("Filter expressions for query / scan", "Comparison operator
and function reference"), and what peers recorded from real DynamoDB: dynalite
``test/scan.js`` (its FilterExpression validation block), ScyllaDB Alternator
``test_filter_expression.py``, the paritysuite conformance suite
(``tier3/error-messages/scan.test.ts``).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]

ITEMS: dict[str, Item] = {
    "i1": {"n": {"N": "1"}, "s": {"S": "apple"}, "b": {"BOOL": True}, "l": {"L": [{"S": "x"}]}},
    "i2": {
        "n": {"N": "2"},
        "s": {"S": "banana"},
        "b": {"BOOL": False},
        "m": {"M": {"deep": {"L": [{"N": "0"}, {"M": {"k": {"S": "v"}}}]}}},
    },
    "i3": {"n": {"N": "10"}, "s": {"S": "Apple"}, "ss": {"SS": ["red", "green"]}},
    "i4": {"n": {"S": "10"}, "nul": {"NULL": True}, "bin": {"B": b"\x01\x02"}},
    "i5": {},
}


@pytest.fixture(scope="module")
def table(ddb: Any) -> Any:
    """A table with partition key ``p`` and the five items of ITEMS."""
    name = "filter-" + new_key()[:12]
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for key, attributes in ITEMS.items():
        ddb.put_item(TableName=name, Item={"p": {"S": key}, **attributes})
    yield name
    ddb.delete_table(TableName=name)


def matching(
    ddb: Any,
    table: str,
    expression: str,
    values: Item | None = None,
    names: dict[str, str] | None = None,
) -> list[str]:
    params: dict[str, Any] = {"TableName": table, "FilterExpression": expression}
    if values:
        params["ExpressionAttributeValues"] = values
    if names:
        params["ExpressionAttributeNames"] = names
    response = ddb.scan(**params)
    assert response["ScannedCount"] == len(ITEMS)
    assert response["Count"] == len(response["Items"])
    return sorted(item["p"]["S"] for item in response["Items"])


@pytest.mark.parametrize(
    ("expression", "values", "expected"),
    [
        ("n = :v", {":v": {"N": "10"}}, ["i3"]),  # "10" as a string does not match a number
        ("n = :v", {":v": {"S": "10"}}, ["i4"]),
        ("n <> :v", {":v": {"N": "10"}}, ["i1", "i2", "i4", "i5"]),  # missing is "not equal"
        ("n < :v", {":v": {"N": "3"}}, ["i1", "i2"]),
        ("n >= :v", {":v": {"N": "2"}}, ["i2", "i3"]),
        ("n BETWEEN :a AND :b", {":a": {"N": "2"}, ":b": {"N": "10"}}, ["i2", "i3"]),
        ("n IN (:a, :b)", {":a": {"N": "1"}, ":b": {"S": "10"}}, ["i1", "i4"]),
        ("s > :v", {":v": {"S": "Apple"}}, ["i1", "i2"]),  # byte order: "A" < "a"
        ("begins_with(s, :v)", {":v": {"S": "a"}}, ["i1"]),
        ("contains(s, :v)", {":v": {"S": "an"}}, ["i2"]),
        ("contains(ss, :v)", {":v": {"S": "red"}}, ["i3"]),
        ("contains(l, :v)", {":v": {"S": "x"}}, ["i1"]),
        ("size(s) = :v", {":v": {"N": "5"}}, ["i1", "i3"]),
        ("size(ss) > :v", {":v": {"N": "1"}}, ["i3"]),
        ("size(bin) = :v", {":v": {"N": "2"}}, ["i4"]),
        ("b = :v", {":v": {"BOOL": True}}, ["i1"]),
        ("nul = :v", {":v": {"NULL": True}}, ["i4"]),
        ("attribute_type(n, :t)", {":t": {"S": "S"}}, ["i4"]),
        ("m.deep[1].k = :v", {":v": {"S": "v"}}, ["i2"]),
        ("attribute_exists(m.deep[0])", None, ["i2"]),
        ("attribute_not_exists(n)", None, ["i5"]),
        ("attribute_exists(p)", None, ["i1", "i2", "i3", "i4", "i5"]),
        ("NOT attribute_exists(s) AND attribute_exists(n)", None, ["i4"]),
        (
            "s = :v OR n = :w AND b = :t",
            {":v": {"S": "Apple"}, ":w": {"N": "1"}, ":t": {"BOOL": True}},
            ["i1", "i3"],
        ),
        (
            "(s = :v OR n = :w) AND b = :t",
            {":v": {"S": "Apple"}, ":w": {"N": "1"}, ":t": {"BOOL": True}},
            ["i1"],
        ),
        ("begins_with(p, :v)", {":v": {"S": "i"}}, ["i1", "i2", "i3", "i4", "i5"]),
    ],
)
def test_scan_filter(
    ddb: Any, table: str, expression: str, values: Item | None, expected: list[str]
) -> None:
    assert matching(ddb, table, expression, values) == expected


def test_filter_through_name_placeholders(ddb: Any, table: str) -> None:
    got = matching(
        ddb,
        table,
        "#a.#b[0] = :v AND #n < :w",
        {":v": {"N": "0"}, ":w": {"N": "5"}},
        {"#a": "m", "#b": "deep", "#n": "n"},
    )
    assert got == ["i2"]


def test_filter_matching_nothing(ddb: Any, table: str) -> None:
    response = ddb.scan(
        TableName=table, FilterExpression="n = :v", ExpressionAttributeValues={":v": {"N": "404"}}
    )
    assert (response["Items"], response["Count"], response["ScannedCount"]) == ([], 0, 5)


def test_query_filter_counts(ddb: Any, table_sn: str) -> None:
    p = new_key()
    for i in range(6):
        ddb.put_item(
            TableName=table_sn,
            Item={
                "p": {"S": p},
                "c": {"N": str(i)},
                "tag": {"S": "keep" if i in (1, 4) else "drop"},
            },
        )
    response = ddb.query(
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        FilterExpression="tag = :t",
        ExpressionAttributeValues={":p": {"S": p}, ":t": {"S": "keep"}},
    )
    assert [item["c"]["N"] for item in response["Items"]] == ["1", "4"]
    assert (response["Count"], response["ScannedCount"]) == (2, 6)


# --- errors -----------------------------------------------------------------------------------


def filter_error(
    ddb: Any,
    table: str,
    expression: str,
    values: Item | None = None,
    names: dict[str, str] | None = None,
) -> tuple[str, str]:
    params: dict[str, Any] = {"TableName": table, "FilterExpression": expression}
    if values is not None:
        params["ExpressionAttributeValues"] = values
    if names is not None:
        params["ExpressionAttributeNames"] = names
    with pytest.raises(ClientError) as excinfo:
        ddb.scan(**params)
    return error_of(excinfo)


@pytest.mark.parametrize(
    ("expression", "values", "names", "message"),
    [
        (
            "((#a = :v))",
            {":v": {"S": "x"}},
            {"#a": "data"},
            "The expression has redundant parentheses;",
        ),
        ("a=a OR ((a=a OR a=a)) OR a=a", None, None, "The expression has redundant parentheses;"),
        (
            "begins_with(#a, :n)",
            {":n": {"N": "1"}},
            {"#a": "data"},
            "Incorrect operand type for operator or function; operator or function: begins_with, "
            "operand type: N",
        ),
        (
            "size(:v) > a",
            {":v": {"BOOL": True}},
            None,
            "Incorrect operand type for operator or function; operator or function: size, operand "
            "type: BOOL",
        ),
        (
            "a = :v AND whatever(a) > b",
            {":v": {"N": "1"}},
            None,
            "Invalid function name; function: whatever",
        ),
        (
            "attribute_not_exists(things) > b",
            None,
            None,
            "The function is not allowed to be used this way in an expression; function: "
            "attribute_not_exists",
        ),
        (
            "a BETWEEN b AND attribute_exists(c)",
            None,
            None,
            "The function is not allowed to be used this way in an expression; function: "
            "attribute_exists",
        ),
        (
            "a IN (b, attribute_exists(c))",
            None,
            None,
            "The function is not allowed to be used this way in an expression; function: "
            "attribute_exists",
        ),
        (
            "attribute_type(things)",
            None,
            None,
            "Incorrect number of operands for operator or function; operator or function: "
            "attribute_type, number of operands: 1",
        ),
        (
            "begins_with(things, a, b)",
            None,
            None,
            "Incorrect number of operands for operator or function; operator or function: "
            "begins_with, number of operands: 3",
        ),
        (
            "#a > :v",
            {":v": {"N": "1"}},
            None,
            "An expression attribute name used in the document path is not defined; attribute "
            "name: #a",
        ),
        (
            ":a < :b",
            {":b": {"N": "1"}},
            None,
            "An expression attribute value used in expression is not defined; attribute value: :a",
        ),
        (
            "#a <> a",
            None,
            {"#a": "a"},
            "The first operand must be distinct from the remaining operands for this operator or "
            "function; operator: <>, first operand: [a]",
        ),
        ("a > 4", None, None, 'Syntax error; token: "4", near: "> 4"'),
        ("a-b", None, None, 'Syntax error; token: "-", near: "a-b"'),
        (
            "status = :v",
            {":v": {"S": "x"}},
            None,
            "Attribute name is a reserved keyword; reserved keyword: status",
        ),
        ("", None, None, "The expression can not be empty;"),
    ],
)
def test_invalid_filter(
    ddb: Any,
    table: str,
    expression: str,
    values: Item | None,
    names: dict[str, str] | None,
    message: str,
) -> None:
    assert filter_error(ddb, table, expression, values, names) == (
        "ValidationException",
        f"Invalid FilterExpression: {message}",
    )


def test_query_filter_error_names_the_filter(ddb: Any, table_sn: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.query(
            TableName=table_sn,
            KeyConditionExpression="p = :pk",
            FilterExpression="#missing = :fv",
            ExpressionAttributeValues={":pk": {"S": "val"}, ":fv": {"S": "x"}},
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Invalid FilterExpression: An expression attribute name used in the document path is not "
        "defined; attribute name: #missing",
    )


def test_filter_value_of_unorderable_type(ddb: Any, table: str) -> None:
    assert filter_error(ddb, table, "n < :v", {":v": {"M": {}}}) == (
        "ValidationException",
        "Invalid FilterExpression: Incorrect operand type for operator or function; operator or "
        "function: <, operand type: M",
    )
