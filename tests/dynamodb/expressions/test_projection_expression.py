"""ProjectionExpression on GetItem, Query and Scan: top-level and nested paths, list
elements, missing paths, placeholders, and the "Invalid ProjectionExpression: ..." errors
(overlapping and conflicting paths, syntax, reserved words, undefined names).

Sources: the AWS developer guide ("Projection expressions", "Document paths"), and what peers
recorded from real DynamoDB: dynalite ``test/getItem.js``, ScyllaDB Alternator
``test_projection_expression.py``, the nubo-db / paritysuite conformance suites
(``tier1/getItem/projection.test.ts``, ``tier3/error-messages/{getItem,query,scan}.test.ts``,
``tier3/limits/expressionSize.test.ts``).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]

DOC: Item = {
    "a": {"S": "top"},
    "b": {"M": {"a": {"S": "ba"}, "b": {"S": "bb"}, "c": {"S": "bc"}}},
    "c": {"L": [{"S": "c0"}, {"S": "c1"}, {"S": "c2"}]},
    "d": {"M": {"e": {"L": [{"M": {"f": {"N": "1"}, "g": {"N": "2"}}}, {"N": "3"}]}}},
    "n": {"N": "42"},
}


def get(
    ddb: Any, table: str, key: Item, projection: str, names: dict[str, str] | None = None
) -> dict[str, Any]:
    params: dict[str, Any] = {
        "TableName": table,
        "Key": key,
        "ProjectionExpression": projection,
        "ConsistentRead": True,
    }
    if names:
        params["ExpressionAttributeNames"] = names
    response = ddb.get_item(**params)
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


@pytest.mark.parametrize(
    ("projection", "expected"),
    [
        ("a", {"a": DOC["a"]}),
        ("a, n", {"a": DOC["a"], "n": DOC["n"]}),
        (
            "b.c, c[2], b.b, c[1], c[0].a",
            {  # list elements keep their list order
                "b": {"M": {"b": {"S": "bb"}, "c": {"S": "bc"}}},
                "c": {"L": [{"S": "c1"}, {"S": "c2"}]},
            },
        ),
        ("d.e[0].g", {"d": {"M": {"e": {"L": [{"M": {"g": {"N": "2"}}}]}}}}),
        ("d.e[1], d.e[0].f", {"d": {"M": {"e": {"L": [{"M": {"f": {"N": "1"}}}, {"N": "3"}]}}}}),
        ("c[5], b.z, nothing, a.b, c[0][1]", {}),  # paths that lead nowhere are left out
        ("c[0], nothing", {"c": {"L": [{"S": "c0"}]}}),
        ("p", "KEY"),  # the key only when asked for
    ],
)
def test_get_item_projection(
    ddb: Any, table_s: str, put: Any, projection: str, expected: Item | str
) -> None:
    key = put(**DOC)
    if expected == "KEY":
        expected = dict(key)
    assert get(ddb, table_s, key, projection) == {"Item": expected}


def test_projection_through_placeholders(ddb: Any, table_s: str, put: Any) -> None:
    key = put(**DOC, **{"dotted.name": {"S": "d"}, "name": {"S": "reserved"}})
    got = get(
        ddb,
        table_s,
        key,
        "#b.#c, #c[2], #dot, #name",
        {"#b": "b", "#c": "c", "#dot": "dotted.name", "#name": "name"},
    )
    assert got == {
        "Item": {
            "b": {"M": {"c": {"S": "bc"}}},
            "c": {"L": [{"S": "c2"}]},
            "dotted.name": {"S": "d"},
            "name": {"S": "reserved"},
        }
    }


def test_projection_of_missing_item(ddb: Any, table_s: str) -> None:
    assert get(ddb, table_s, {"p": {"S": new_key()}}, "a") == {}


def test_projection_in_query_and_scan(ddb: Any, make_table: Any) -> None:
    table = make_table("p:S", "c:N")
    for i in range(3):
        ddb.put_item(
            TableName=table,
            Item={
                "p": {"S": "x"},
                "c": {"N": str(i)},
                "m": {"M": {"k": {"N": str(i)}, "j": {"S": "no"}}},
            },
        )
    query = ddb.query(
        TableName=table,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
        ProjectionExpression="m.k, c",
    )
    expected = [{"c": {"N": str(i)}, "m": {"M": {"k": {"N": str(i)}}}} for i in range(3)]
    assert query["Items"] == expected
    scan = ddb.scan(TableName=table, ProjectionExpression="m.k, c")
    assert scan["Items"] == expected


# --- errors ------------------------------------------------------------------------------------


def projection_error(
    ddb: Any, table: str, projection: str, names: dict[str, str] | None = None
) -> tuple[str, str]:
    params: dict[str, Any] = {
        "TableName": table,
        "Key": {"p": {"S": new_key()}},
        "ProjectionExpression": projection,
    }
    if names is not None:
        params["ExpressionAttributeNames"] = names
    with pytest.raises(ClientError) as excinfo:
        ddb.get_item(**params)
    return error_of(excinfo)


def invalid(message: str) -> tuple[str, str]:
    return ("ValidationException", f"Invalid ProjectionExpression: {message}")


OVERLAP = "Two document paths overlap with each other; must remove or rewrite one of these paths"
CONFLICT = "Two document paths conflict with each other; must remove or rewrite one of these paths"


@pytest.mark.parametrize(
    ("projection", "names", "message"),
    [
        ("a, a", None, f"{OVERLAP}; path one: [a], path two: [a]"),
        ("#a, #b", {"#a": "a", "#b": "a"}, f"{OVERLAP}; path one: [a], path two: [a]"),
        ("a, a.b", None, f"{OVERLAP}; path one: [a], path two: [a, b]"),
        ("a, #a[1]", {"#a": "a"}, f"{OVERLAP}; path one: [a], path two: [a, [1]]"),
        ("b[1], b.a, #a.b, a", {"#a": "a"}, f"{OVERLAP}; path one: [a, b], path two: [a]"),
        (
            "a.b, #a[1], #b",
            {"#a": "a", "#b": "[3]"},
            f"{CONFLICT}; path one: [a, b], path two: [a, [1]]",
        ),
        (
            "a.b[1], #a[1], #b",
            {"#a": "a", "#b": "[3]"},
            f"{CONFLICT}; path one: [a, b, [1]], path two: [a, [1]]",
        ),
        (
            "a[3].b, #a.#b.b",
            {"#a": "a", "#b": "[3]"},
            f"{CONFLICT}; path one: [a, [3], b], path two: [a, [3], b]",
        ),
        (
            "a,b,a,#a",
            None,
            "An expression attribute name used in the document path is not defined; attribute "
            "name: #a",
        ),
        ("a.abORt", None, "Attribute name is a reserved keyword; reserved keyword: abORt"),
        (
            "#a,ABSoLUTE",
            {"#a": "a"},
            "Attribute name is a reserved keyword; reserved keyword: ABSoLUTE",
        ),
        ("!!", None, 'Syntax error; token: "!", near: "!!"'),
        ("a-b", None, 'Syntax error; token: "-", near: "a-b"'),
        ("", None, "The expression can not be empty;"),
    ],
)
def test_invalid_projection(
    ddb: Any, table_s: str, projection: str, names: dict[str, str] | None, message: str
) -> None:
    assert projection_error(ddb, table_s, projection, names) == invalid(message)


@pytest.mark.parametrize(
    "projection",
    [
        "whatever(stuff)",
        ":a",
        "abort,",
        "a,,b",
        "a..b",
        "a[b]",
        "(a.b).c",
        "(a)",
        "(a,b)",
        "size(a)",
        "a[-1]",
    ],
)
def test_projection_syntax_errors(ddb: Any, table_s: str, projection: str) -> None:
    code, message = projection_error(ddb, table_s, projection)
    assert code == "ValidationException"
    assert message.startswith('Invalid ProjectionExpression: Syntax error; token: "')
    assert '", near: "' in message


def test_projection_errors_in_query_and_scan(ddb: Any, table_s: str) -> None:
    for call in (
        lambda: ddb.query(
            TableName=table_s,
            KeyConditionExpression="p = :p",
            ExpressionAttributeValues={":p": {"S": "none"}},
            ProjectionExpression="a, a.b",
        ),
        lambda: ddb.scan(TableName=table_s, ProjectionExpression="a, a.b"),
    ):
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == invalid(f"{OVERLAP}; path one: [a], path two: [a, b]")


def test_undefined_name_in_scan_projection(ddb: Any, table_s: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.scan(TableName=table_s, ProjectionExpression="#undef")
    assert error_of(excinfo) == invalid(
        "An expression attribute name used in the document path is not defined; attribute "
        "name: #undef"
    )


@pytest.mark.parametrize("projection", ["#k.b.c", "#k[0]"])
def test_projection_inside_the_key_attribute(ddb: Any, table_s: str, projection: str) -> None:
    assert projection_error(ddb, table_s, projection, {"#k": "p"}) == (
        "ValidationException",
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
        "allowed: Key: p",
    )


def test_projection_of_4096_bytes(ddb: Any, table_s: str, put: Any) -> None:
    """4096 bytes are accepted, 4097 rejected (the limit applies to the text as sent)."""
    first = "a" * 48 + "x0"
    key = put(**{first: {"S": "present"}})
    names = [first]
    while len(", ".join(names)) + 52 <= 4096:
        names.append("a" * 48 + f"x{len(names)}")
    names[-1] += "z" * (4096 - len(", ".join(names)))
    projection = ", ".join(names)
    assert len(projection.encode()) == 4096
    assert get(ddb, table_s, key, projection) == {"Item": {first: {"S": "present"}}}
    code, message = projection_error(ddb, table_s, projection + "q")
    assert code == "ValidationException"
    size_error = (
        "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; "
        "expression size: 4097"
    )
    assert message in {size_error, f"1 validation error detected: {size_error}"}
