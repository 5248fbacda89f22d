"""KeyConditionExpression: its grammar (what a key condition may contain), operand types,
placeholders, and the order in which DynamoDB reports its errors. What a key condition
selects is in ``tests/dynamodb/test_query.py``.

Sources: the AWS developer guide ("Key condition expressions for query") and API reference
(Query.KeyConditionExpression); exact texts recorded from real DynamoDB by dynalite
``test/query.js`` and the paritysuite conformance suite
(``tier3/error-messages/queryKeyConditionOperands.test.ts``,
``tier3/validation-ordering/queryKeyCondition.test.ts``, ``tier3/error-messages/query.test.ts``).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]
SCHEMA = (
    "ValidationException",
    "One or more parameter values were invalid: Condition parameter type does not match schema "
    "type",
)


def kce_error(
    ddb: Any, table: str, expression: str, values: Item | None = None, names: Item | None = None
) -> tuple[str, str]:
    params: dict[str, Any] = {"TableName": table, "KeyConditionExpression": expression}
    if values is not None:
        params["ExpressionAttributeValues"] = values
    if names is not None:
        params["ExpressionAttributeNames"] = names
    with pytest.raises(ClientError) as excinfo:
        ddb.query(**params)
    return error_of(excinfo)


def invalid(message: str) -> tuple[str, str]:
    return ("ValidationException", f"Invalid KeyConditionExpression: {message}")


# --- accepted forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "p = :p AND c = :c",
        "c = :c AND p = :p",  # the sort key condition may come first
        ":p = p AND :c = c",  # the value may come first
        "(p = :p) AND (c = :c)",
        "(p = :p AND c = :c)",
        "p = :p and c between :c and :c",
        "#h = :p AND #r = :c",
        "p=:p AND c=:c",
    ],
)
def test_accepted_forms(ddb: Any, table_sn: str, expression: str) -> None:
    p = new_key()
    item = {"p": {"S": p}, "c": {"N": "5"}}
    ddb.put_item(TableName=table_sn, Item=item)
    names = {"#h": "p", "#r": "c"} if "#h" in expression else None
    params: dict[str, Any] = {
        "TableName": table_sn,
        "KeyConditionExpression": expression,
        "ExpressionAttributeValues": {":p": {"S": p}, ":c": {"N": "5"}},
    }
    if names:
        params["ExpressionAttributeNames"] = names
    got = ddb.query(**params)
    assert (got["Items"], got["Count"], got["ScannedCount"]) == ([item], 1, 1)


def test_reserved_word_key_names_through_placeholders(ddb: Any, make_table: Any) -> None:
    table = make_table("name:S", "size:N")
    item = {"name": {"S": "x"}, "size": {"N": "1"}}
    ddb.put_item(TableName=table, Item=item)
    got = ddb.query(
        TableName=table,
        KeyConditionExpression="#n = :n AND #s >= :s",
        ExpressionAttributeNames={"#n": "name", "#s": "size"},
        ExpressionAttributeValues={":n": {"S": "x"}, ":s": {"N": "0"}},
    )
    assert got["Items"] == [item]
    assert kce_error(ddb, table, "name = :n", {":n": {"S": "x"}}) == invalid(
        "Attribute name is a reserved keyword; reserved keyword: name"
    )


# --- operators and functions a key condition cannot use ---------------------------------------


@pytest.mark.parametrize(
    ("expression", "operator"),
    [
        ("p = :p OR c = :c", "OR"),
        ("p = :p AND c IN (:c, :c)", "IN"),
        ("p = :p AND attribute_exists(c)", "attribute_exists"),
        ("p = :p AND attribute_not_exists(c)", "attribute_not_exists"),
        ("p = :p AND contains(c, :c)", "contains"),
        ("p = :p AND NOT c = :c", "NOT"),
        ("p = :p AND c <> :c", "<>"),
        ("attribute_type(p, :t)", "attribute_type"),
    ],
)
def test_invalid_operator(ddb: Any, table_sn: str, expression: str, operator: str) -> None:
    all_values = {":p": {"S": "x"}, ":c": {"N": "1"}, ":t": {"S": "S"}}
    values = {k: v for k, v in all_values.items() if k in expression}
    assert kce_error(ddb, table_sn, expression, values) == (
        "ValidationException",
        f"Invalid operator used in KeyConditionExpression: {operator}",
    )


@pytest.mark.parametrize(
    ("expression", "operator"),
    [
        ("p = :p AND begins_with(:c, c)", "begins_with"),
        ("p = :p AND :c BETWEEN c AND :c", "BETWEEN"),
    ],
)
def test_key_attribute_must_come_first(
    ddb: Any, table_ss: str, expression: str, operator: str
) -> None:
    values = {":p": {"S": "x"}, ":c": {"S": "a"}}
    assert kce_error(ddb, table_ss, expression, values) == (
        "ValidationException",
        f"Invalid condition in KeyConditionExpression: {operator} operator must have the key "
        "attribute as its first operand",
    )


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("p = :p AND c > size(x)", "KeyConditionExpressions cannot contain nested operations"),
        ("p = :p AND size(c) > :c", "KeyConditionExpressions cannot contain nested operations"),
        (
            "p.x = :p AND c = :c",
            "KeyConditionExpressions cannot have conditions on nested attributes",
        ),
        (
            "p = :p AND c[0] = :c",
            "KeyConditionExpressions cannot have conditions on nested attributes",
        ),
        (
            "p = :p AND c = x",
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
            "condition",
        ),
        (
            ":c = :c AND p = :p",
            "Invalid condition in KeyConditionExpression: No key attribute specified",
        ),
    ],
)
def test_invalid_condition_shapes(ddb: Any, table_sn: str, expression: str, message: str) -> None:
    all_values = {":p": {"S": "x"}, ":c": {"N": "1"}}
    values = {k: v for k, v in all_values.items() if k in expression}
    assert kce_error(ddb, table_sn, expression, values) == ("ValidationException", message)


def test_two_conditions_on_the_sort_key(ddb: Any, table_sn: str) -> None:
    values = {":p": {"S": "q"}, ":a": {"N": "1"}, ":b": {"N": "5"}}
    assert kce_error(ddb, table_sn, "p = :p AND c > :a AND c < :b", values) == invalid(
        "KeyConditionExpressions must only contain one condition per key"
    )


def test_more_conditions_than_key_attributes(ddb: Any, table_sn: str) -> None:
    values = {":p": {"S": "q"}, ":a": {"N": "1"}, ":b": {"N": "5"}}
    assert kce_error(ddb, table_sn, "p = :p AND c > :a AND extra = :b", values) == (
        "ValidationException",
        "The number of query conditions (3) exceeds the number of key attributes defined in the "
        "schema (2)",
    )


def test_partition_key_missing(ddb: Any, table_sn: str) -> None:
    assert kce_error(ddb, table_sn, "c = :c", {":c": {"N": "1"}}) == (
        "ValidationException",
        "Query condition missed key schema element: p",
    )


def test_non_equality_on_the_partition_key(ddb: Any, table_s: str) -> None:
    for expression in ["p > :p", "begins_with(p, :p)", "p BETWEEN :p AND :p"]:
        assert kce_error(ddb, table_s, expression, {":p": {"S": "1"}}) == (
            "ValidationException",
            "Query key condition not supported",
        )


# --- operand types ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table_fixture", "expression", "values", "expected"),
    [
        (
            "table_ss",
            "p = :p AND begins_with(c, :v)",
            {":v": {"N": "1"}},
            "Incorrect operand type for operator or function; operator or function: "
            "begins_with, operand type: N",
        ),
        (
            "table_ss",
            "p = :p AND begins_with(c, :v)",
            {":v": {"BOOL": True}},
            "Incorrect operand type for operator or function; operator or function: "
            "begins_with, operand type: BOOL",
        ),
        (
            "table_sn",
            "p = :p AND begins_with(c, :v)",
            {":v": {"N": "1"}},
            "Incorrect operand type for operator or function; operator or function: "
            "begins_with, operand type: N",
        ),
        (
            "table_sn",
            "p = :p AND c < :v",
            {":v": {"BOOL": True}},
            "Incorrect operand type for operator or function; operator or function: <, "
            "operand type: BOOL",
        ),
        (
            "table_sn",
            "p = :p AND :v >= c",
            {":v": {"BOOL": True}},
            "Incorrect operand type for operator or function; operator or function: >=, "
            "operand type: BOOL",
        ),
        (
            "table_sn",
            "p = :p AND c BETWEEN :v AND :w",
            {":v": {"BOOL": False}, ":w": {"BOOL": True}},
            "Incorrect operand type for operator or function; operator or function: BETWEEN, "
            "operand type: BOOL",
        ),
        (
            "table_sn",
            "p = :p AND c BETWEEN :v AND :w",
            {":v": {"N": "1"}, ":w": {"S": "a"}},
            "The BETWEEN operator requires same data type for lower and upper bounds; lower "
            "bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}",
        ),
        (
            "table_sn",
            "p = :p AND c BETWEEN :v AND :w",
            {":v": {"N": "5"}, ":w": {"N": "1"}},
            "The BETWEEN operator requires upper bound to be greater than or equal to lower "
            "bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: "
            "AttributeValue: {N:1}",
        ),
    ],
)
def test_operand_of_a_type_no_key_can_have(
    ddb: Any,
    request: pytest.FixtureRequest,
    table_fixture: str,
    expression: str,
    values: Item,
    expected: str,
) -> None:
    table = request.getfixturevalue(table_fixture)
    assert kce_error(ddb, table, expression, {":p": {"S": "q"}, **values}) == invalid(expected)


@pytest.mark.parametrize(
    ("table_fixture", "expression", "values"),
    [
        ("table_sn", "p = :p AND begins_with(c, :v)", {":v": {"S": "a"}}),
        ("table_sn", "p = :p AND c = :v", {":v": {"BOOL": True}}),
        ("table_sn", "p = :p AND c > :v", {":v": {"S": "1"}}),
        ("table_ss", "p = :p AND c = :v", {":v": {"N": "1"}}),
        ("table_ss", "p = :p AND c = :v", {":v": {"B": b"1"}}),
        ("table_sn", "p = :v", {":v": {"N": "1"}}),
    ],
)
def test_operand_of_the_other_key_type(
    ddb: Any, request: pytest.FixtureRequest, table_fixture: str, expression: str, values: Item
) -> None:
    table = request.getfixturevalue(table_fixture)
    if ":p" in expression:
        values = {":p": {"S": "q"}, **values}
    assert kce_error(ddb, table, expression, values) == SCHEMA


# --- which error comes first ------------------------------------------------------------------


def test_undefined_value_written_before_a_bad_operand(ddb: Any, table_ss: str) -> None:
    assert kce_error(
        ddb, table_ss, "p = :missing AND begins_with(c, :n)", {":n": {"N": "1"}}
    ) == invalid(
        "An expression attribute value used in expression is not defined; attribute value: :missing"
    )


def test_bad_operand_written_before_an_undefined_value(ddb: Any, table_ss: str) -> None:
    assert kce_error(
        ddb, table_ss, "begins_with(c, :n) AND p = :missing", {":n": {"N": "1"}}
    ) == invalid(
        "Incorrect operand type for operator or function; operator or function: begins_with, "
        "operand type: N"
    )


def test_bad_operand_is_reported_before_a_missing_table(ddb: Any) -> None:
    assert kce_error(
        ddb,
        unique_name("missing"),
        "p = :p AND begins_with(c, :n)",
        {":p": {"S": "q"}, ":n": {"N": "1"}},
    ) == invalid(
        "Incorrect operand type for operator or function; operator or function: begins_with, "
        "operand type: N"
    )


def test_well_formed_condition_on_a_missing_table(ddb: Any) -> None:
    assert kce_error(
        ddb,
        unique_name("missing"),
        "p = :p AND begins_with(c, :s)",
        {":p": {"S": "q"}, ":s": {"S": "a"}},
    ) == ("ResourceNotFoundException", "Requested resource not found")


def test_syntax_is_checked_before_the_table(ddb: Any) -> None:
    assert kce_error(ddb, unique_name("missing"), "a-b") == invalid(
        'Syntax error; token: "-", near: "a-b"'
    )


# --- other texts ------------------------------------------------------------------------------


def test_redundant_parentheses(ddb: Any, table_s: str) -> None:
    assert kce_error(ddb, table_s, "((p = :v))", {":v": {"S": "x"}}) == invalid(
        "The expression has redundant parentheses;"
    )


def test_empty(ddb: Any, table_s: str) -> None:
    assert kce_error(ddb, table_s, "", {":v": {"S": "x"}}) == invalid(
        "The expression can not be empty;"
    )


def test_undefined_name(ddb: Any, table_s: str) -> None:
    assert kce_error(ddb, table_s, "#k = :v", {":v": {"S": "x"}}) == invalid(
        "An expression attribute name used in the document path is not defined; attribute name: #k"
    )
