"""Expression syntax errors with DynamoDB's exact ``Syntax error; token: "...", near: "..."``
texts, the 4 KB expression size limit (in UTF-8 bytes, before placeholders are substituted),
the operator limit, document path depth, and deeply nested expressions (which must be
answered, never crash the server).

DynamoDB's syntax error names the offending token and quotes the source from the token before
it through the token after it. Sources for each text are given next to the case: real
DynamoDB answers quoted in GitHub issues (aws/aws-cdk#7591, getndazn/dazn-lambda-powertools
#242 and #251, floci-io/floci#1512 confirmed on AWS), the nubo-db / paritysuite conformance
suites (``tier3/error-messages/updateItem.test.ts``, ``getItem.test.ts``,
``tier3/limits/expressionSize.test.ts``), dynalite ``test/*.js`` and ScyllaDB Alternator
(``test_condition_expression.py``, ``test_projection_expression.py``, ``test_limits.py``).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]


def fresh() -> Item:
    return {"p": {"S": new_key()}}


def error(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


# --- exact syntax error texts -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "values", "message"),
    [
        # nubo-db / paritysuite tier3/error-messages/updateItem.test.ts
        (
            "INVALID SYNTAX HERE",
            {":v": {"S": "v"}},
            'Syntax error; token: "INVALID", near: "INVALID SYNTAX"',
        ),
        # aws/aws-cdk#7591: a lone ':' is a token of its own
        ("ADD hits : incr", {":incr": {"N": "1"}}, 'Syntax error; token: ":", near: "hits : incr"'),
        # getndazn/dazn-lambda-powertools#251: "... token: \",\", near: \"#as, #Lambda...\""
        ("SET #as, #ctx = :v", {":v": {"S": "v"}}, 'Syntax error; token: ",", near: "#as, #ctx"'),
        # getndazn/dazn-lambda-powertools#242: a lone '#' is a token of its own
        ("SET a = :v, #, b = :v", {":v": {"S": "v"}}, 'Syntax error; token: "#", near: ", #,"'),
        # an application matching AWS's answer to a literal number: token "0", near ", 0)"
        ("SET a = list_append(b, 0)", None, 'Syntax error; token: "0", near: ", 0)"'),
        # at the end of the text the token is <EOF>
        ("SET", None, 'Syntax error; token: "<EOF>", near: "SET"'),
    ],
)
def test_update_expression_syntax_errors(
    ddb: Any, table_s: str, expression: str, values: Item | None, message: str
) -> None:
    params: dict[str, Any] = {"TableName": table_s, "Key": fresh(), "UpdateExpression": expression}
    if values:
        params["ExpressionAttributeValues"] = values
    names = {"#as": "as", "#ctx": "ctx"} if "#as" in expression else None
    if names:
        params["ExpressionAttributeNames"] = names
    assert error(ddb.update_item, **params) == (
        "ValidationException",
        f"Invalid UpdateExpression: {message}",
    )


def test_bare_hyphen_in_every_expression_kind(ddb: Any, table_s: str) -> None:
    """floci-io/floci#1512, confirmed on AWS: 'a-b' fails on token "-" near "a-b"."""
    near = 'Syntax error; token: "-", near: "a-b"'
    assert error(ddb.put_item, TableName=table_s, Item=fresh(), ConditionExpression="a-b") == (
        "ValidationException",
        f"Invalid ConditionExpression: {near}",
    )
    assert error(ddb.delete_item, TableName=table_s, Key=fresh(), ConditionExpression="a-b") == (
        "ValidationException",
        f"Invalid ConditionExpression: {near}",
    )
    assert error(ddb.scan, TableName=table_s, FilterExpression="a-b") == (
        "ValidationException",
        f"Invalid FilterExpression: {near}",
    )
    assert error(ddb.query, TableName=table_s, KeyConditionExpression="a-b") == (
        "ValidationException",
        f"Invalid KeyConditionExpression: {near}",
    )
    assert error(ddb.get_item, TableName=table_s, Key=fresh(), ProjectionExpression="a-b") == (
        "ValidationException",
        f"Invalid ProjectionExpression: {near}",
    )


def test_projection_syntax_error(ddb: Any, table_s: str) -> None:
    """nubo-db tier3/error-messages/getItem.test.ts."""
    assert error(ddb.get_item, TableName=table_s, Key=fresh(), ProjectionExpression="!!") == (
        "ValidationException",
        'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"',
    )


@pytest.mark.parametrize(
    "expression",
    [
        # dynalite test/scan.js: every one of these is a syntax error on DynamoDB
        "things are not gonna be ok",
        "a > 4",
        "attribute_exists(Pictures-RearView)",
        'attribute_exists("Pictures.RearView")',
        "attribute_exists(Pictures..RearView)",
        "attribute_exists(Pi#ctures.RearView)",
        "attribute_exists(asdf[a])",
        "a in b, c",
        "a > between",
        "a in b",
        "a in (b,c,)",
        "(a)between(b.(c.d))and(c)",
        "(a)between(b.c.d)and((c)",
        "#$.b > a",
        "a > :things.stuff",
        "b[:a] > a",
        "b[#_] > a",
        "\u00fc > a",
        "(a)between(b.c[4.5].#d)and(:a)",
        "size(a).b > a",
        "(size(a)).b > a",
        "size(a)[0] > a",
        "(size(a))[0] > a",
    ],
)
def test_filter_syntax_errors(ddb: Any, table_s: str, expression: str) -> None:
    code, message = error(ddb.scan, TableName=table_s, FilterExpression=expression)
    assert code == "ValidationException"
    assert message.startswith('Invalid FilterExpression: Syntax error; token: "')
    assert '", near: "' in message
    assert message.endswith('"')


@pytest.mark.parametrize(
    "expression",
    [
        # dynalite test/updateItem.js: every one of these is a syntax error on DynamoDB
        "whatever",
        "set a",
        "add a",
        "delete a",
        "set a=set",
        "remove a = b",
        "add a = b",
        "delete a = b",
        "delete a b",
        "add abort b",
        "remove a b",
        "set a b",
        "set :a = b",
        "add :a b",
        "delete :a b",
        "remove :a",
        "set a = b / c",
        "set a = b * c",
        'set a[1] = "eight"',
        "set a[1] = 1",
        "SET a = if_not_exist(a, 100)",
        "SET if_not_exist(a, b) = a",
        "set (a = (b + c))",
        "set a = (b.c).d + e",
        "set a = (b.c)[0] + e",
        "set a = b + c + d",
    ],
)
def test_update_syntax_errors(ddb: Any, table_s: str, expression: str) -> None:
    code, message = error(
        ddb.update_item, TableName=table_s, Key=fresh(), UpdateExpression=expression
    )
    assert code == "ValidationException"
    assert message.startswith('Invalid UpdateExpression: Syntax error; token: "')
    assert '", near: "' in message


# --- the 4 KB limit ---------------------------------------------------------------------------

LIMIT = 4096


def size_error(kind: str, size: int) -> set[str]:
    """AWS's size error; some regions wrap it in the '1 validation error detected: ' envelope
    (paritysuite tier3/limits/expressionSize.test.ts)."""
    text = (
        f"Invalid {kind}: Expression size has exceeded the maximum allowed size; "
        f"expression size: {size}"
    )
    return {text, f"1 validation error detected: {text}"}


def joined(target: int, prefix: str, joiner: str, clause: Any) -> tuple[str, int]:
    """Clauses joined to exactly ``target`` bytes (the last clause's name is stretched)."""
    parts: list[str] = []
    total = len(prefix)
    while True:
        part = clause(len(parts), 50)
        extra = (len(joiner) if parts else 0) + len(part)
        if total + extra > target:
            break
        parts.append(part)
        total += extra
    parts[-1] = clause(len(parts) - 1, 50 + target - total)
    text = prefix + joiner.join(parts)
    assert len(text.encode()) == target
    return text, len(parts)


def name(i: int, length: int) -> str:
    suffix = f"x{i}"
    return "a" * (length - len(suffix)) + suffix


def test_update_expression_size_limit(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    text, n = joined(LIMIT, "SET ", ", ", lambda i, length: f"{name(i, length)} = :v{i}")
    values = {f":v{i}": {"S": "x"} for i in range(n)}
    ddb.update_item(
        TableName=table_s, Key=key, UpdateExpression=text, ExpressionAttributeValues=values
    )
    assert read(key)[name(0, 50)] == {"S": "x"}
    text, n = joined(LIMIT + 1, "SET ", ", ", lambda i, length: f"{name(i, length)} = :v{i}")
    values = {f":v{i}": {"S": "x"} for i in range(n)}
    code, message = error(
        ddb.update_item,
        TableName=table_s,
        Key=fresh(),
        UpdateExpression=text,
        ExpressionAttributeValues=values,
    )
    assert code == "ValidationException"
    assert message in size_error("UpdateExpression", LIMIT + 1)


def test_condition_expression_size_limit(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    text, _ = joined(
        LIMIT, "", " AND ", lambda i, length: f"attribute_not_exists({name(i, length)})"
    )
    ddb.put_item(TableName=table_s, Item={**key, "a": {"S": "x"}}, ConditionExpression=text)
    assert read(key) == {**key, "a": {"S": "x"}}
    text, _ = joined(
        LIMIT + 1, "", " AND ", lambda i, length: f"attribute_not_exists({name(i, length)})"
    )
    code, message = error(ddb.put_item, TableName=table_s, Item=fresh(), ConditionExpression=text)
    assert code == "ValidationException"
    assert message in size_error("ConditionExpression", LIMIT + 1)


@pytest.mark.parametrize("operation", ["query", "scan"])
def test_filter_expression_size_limit(ddb: Any, table_s: str, operation: str) -> None:
    key = fresh()
    first = name(0, 50)
    ddb.put_item(TableName=table_s, Item={**key, first: {"S": "x"}})
    for size in (LIMIT, LIMIT + 1):
        text, n = joined(size, "", " OR ", lambda i, length: f"{name(i, length)} = :v{i}")
        values = {f":v{i}": {"S": "x"} for i in range(n)}
        params: dict[str, Any] = {
            "TableName": table_s,
            "FilterExpression": text,
            "ExpressionAttributeValues": values,
        }
        if operation == "query":
            params["KeyConditionExpression"] = "p = :pk"
            values[":pk"] = key["p"]
        if size == LIMIT:
            response = getattr(ddb, operation)(**params)
            if operation == "query":
                assert response["Items"] == [{**key, first: {"S": "x"}}]
            else:
                assert response["ScannedCount"] >= response["Count"]
        else:
            code, message = error(getattr(ddb, operation), **params)
            assert code == "ValidationException"
            assert message in size_error("FilterExpression", LIMIT + 1)


def test_size_is_counted_in_utf8_bytes(ddb: Any, table_s: str) -> None:
    text = "\u00e9" * 2049  # 2049 characters, 4098 bytes
    code, message = error(ddb.scan, TableName=table_s, FilterExpression=text)
    assert code == "ValidationException"
    assert message in size_error("FilterExpression", 4098)


def test_placeholders_are_not_expanded_before_counting(ddb: Any, table_s: str, put: Any) -> None:
    """30 aliases for 248-byte names: ~7.5 KB once substituted, ~170 bytes as sent."""
    key = put(real={"S": "y"})
    names = {f"#a{i}": "n" * 246 + f"q{i}" for i in range(30)}
    response = ddb.get_item(
        TableName=table_s,
        Key=key,
        ConsistentRead=True,
        ProjectionExpression=", ".join(names),
        ExpressionAttributeNames=names,
    )
    assert response["Item"] == {}


def test_long_expression_is_answered_not_crashed(ddb: Any, table_s: str) -> None:
    """Alternator test_condition_expression.py: 20000 nested levels are reported by size."""
    depth = 20000
    condition = "a<b " + "and (a<b " * depth + ")" * depth
    code, message = error(
        ddb.update_item,
        TableName=table_s,
        Key=fresh(),
        UpdateExpression="SET z = :v",
        ConditionExpression=condition,
        ExpressionAttributeValues={":v": {"N": "1"}},
    )
    assert code == "ValidationException"
    assert message in size_error("ConditionExpression", 4 + 9 * depth + depth)


# --- deep nesting inside 4 KB -----------------------------------------------------------------


def test_deeply_nested_parentheses(ddb: Any, table_s: str) -> None:
    condition = "(" * 2000 + "a = :v" + ")" * 2000
    assert error(
        ddb.put_item,
        TableName=table_s,
        Item=fresh(),
        ConditionExpression=condition,
        ExpressionAttributeValues={":v": {"N": "1"}},
    ) == (
        "ValidationException",
        "Invalid ConditionExpression: The expression has redundant parentheses;",
    )


def test_deeply_nested_conditions_evaluate(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"N": "1"})
    # 100 nested levels of "(a = :v AND ...)" and 200 NOTs: well inside both limits
    nested = "a = :v"
    for _ in range(100):
        nested = f"a = :v AND ({nested})"
    ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET m = :v",
        ConditionExpression=nested,
        ExpressionAttributeValues={":v": {"N": "1"}},
    )
    negated = "NOT " * 200 + "attribute_exists(a)"
    ddb.update_item(
        TableName=table_s,
        Key=key,
        UpdateExpression="SET m = :w",
        ConditionExpression=negated,
        ExpressionAttributeValues={":w": {"N": "2"}},
    )
    response = ddb.get_item(TableName=table_s, Key=key, ConsistentRead=True)
    assert response["Item"]["m"] == {"N": "2"}


def test_too_many_operators(ddb: Any, table_s: str) -> None:
    condition = " OR ".join(["a = :v"] * 310)  # 309 ORs, 310 comparisons
    code, message = error(
        ddb.put_item,
        TableName=table_s,
        Item=fresh(),
        ConditionExpression=condition,
        ExpressionAttributeValues={":v": {"N": "1"}},
    )
    assert code == "ValidationException"
    assert message.startswith(
        "Invalid ConditionExpression: The expression contains too many operators"
    )


def test_document_path_depth(ddb: Any, table_s: str, put: Any) -> None:
    """Alternator: 32 levels (the top-level attribute included) work, 33 do not."""
    key = put()
    response = ddb.get_item(
        TableName=table_s, Key=key, ConsistentRead=True, ProjectionExpression="a" + ".b" * 31
    )
    assert response["Item"] == {}
    assert error(
        ddb.get_item, TableName=table_s, Key=key, ProjectionExpression="a" + ".b" * 32
    ) == (
        "ValidationException",
        "Invalid ProjectionExpression: The document path has too many nesting levels; nesting "
        "levels: 33",
    )
