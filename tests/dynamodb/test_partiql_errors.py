"""ExecuteStatement's refusals: DynamoDB's exact texts for statements it cannot read or run.

Sources: [paritysuite] paritysuite/dynamodb-conformance, pinned against real DynamoDB
(tests/tier3/error-messages/partiqlGrammar.test.ts, partiqlFunctions.test.ts,
partiqlParameterNumbers.test.ts); [ketlark] Ketlark/dynamodb-conformance
tests/tier2/partiql/*.test.ts; [dynoxide] dynoxide's PartiQL tests recorded against AWS.
Texts marked [gureum] come from DynamoDB Local's PartiQL message set (the same library as the
service's, but not confirmed against the service) or are gureum's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]
NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: "
LEFTOVER = NOT_WELL_FORMED + "Unexpected token after expression"
OVERFLOW = (
    "Number overflow. Attempting to store a number with magnitude larger than supported range"
)
UNDERFLOW = (
    "Number underflow. Attempting to store a number with magnitude smaller than supported range"
)
DIGITS = "Attempting to store more than 38 significant digits in a Number"
NO_KEY = "Where clause does not contain a mandatory equality on all key attributes"
UNCONVERTIBLE = "The parameter cannot be converted to a numeric value"
NEST = (
    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
    "beyond supported limit"
)


@pytest.fixture(scope="module")
def table(ddb: Any) -> Iterator[str]:
    """``pk`` (S) partition key, with one item ``pk = 'item'`` holding sets and a string."""
    name = unique_name("pqe")
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.put_item(
        TableName=name,
        Item={
            "pk": {"S": "item"},
            "ss": {"SS": ["a", "b", "c"]},
            "s": {"S": "str"},
            "n": {"N": "1"},
            "m": {"M": {"inner": {"SS": ["x"]}}},
        },
    )
    yield name
    ddb.delete_table(TableName=name)


def refusal(ddb: Any, statement: str, *parameters: Item) -> tuple[str, str]:
    extra: dict[str, Any] = {"Parameters": list(parameters)} if parameters else {}
    with pytest.raises(ClientError) as excinfo:
        ddb.execute_statement(Statement=statement, **extra)
    return error_of(excinfo)


def at(statement: str, token: str, length: int | None = None, start: int = 0) -> str:
    """DynamoDB's position suffix for the first ``token`` at or after ``start``."""
    index = statement.index(token, start)
    return f" at 1:{index + 1}:{length if length is not None else len(token)}"


# --- statements the parser cannot read


@pytest.mark.parametrize(
    ("template", "detail"),
    [
        ("SELECT * FROM {t} WHERE pk = 'a' foo", "Unexpected token after expression"),
        ("SELECT * FROM {t} WHERE pk = 1 e5", "Unexpected token after expression"),
        ("INSERT INTO {t} VALUE {{'pk': 'x'}} foo", "Unexpected token after expression"),
        ("UPDATE {t} SET a = 9 WHERE pk = 'x' foo", "Unexpected token after expression"),
        ("DELETE FROM {t} WHERE pk = 'x' foo", "Unexpected token after expression"),
        ("SELECT * FROM {t} WHERE pk = 'a')", "Unexpected token after expression"),
        ("DELETE FROM {t} WHERE pk = 'x' ORDER BY pk", "Unexpected token after expression"),
        ("SELECT * FROM {t} ORDER BY pk WHERE pk = 'a'", "Unexpected token after expression"),
        ("INSERT INTO {t} t VALUE {{'pk': 'x'}}", "Unexpected token after expression"),
        ("FROM {t} SET c = 1 WHERE pk = 'x'", "Unexpected token after expression"),
        ("FROM {t} SET c = 1 WHERE pk = 'x' SET d = 2", "Unexpected token after expression"),
        ("SELECT * FROM {t} WHERE pk = 1e2147483648", ""),
        ("SELECT * FROM {t} WHERE pk = 1e99999999999", ""),
        ("SELECT * FROM {t} WHERE pk = 1.5e-2147483647", ""),
        ("SELECT * FROM {t} WHERE pk = 'a' # note", ""),
        ("SELECT * FROM {t} WHERE pk = 'a' /* note", ""),
        ("SELECT * FROM {t} WHERE", "Unexpected term"),
        ("SELECT * FROM {t} WHERE;", "Unexpected term"),
        ("SELECT * FROM {t} WHERE   ", "Unexpected term"),
        ("SELECT pk FROM {t} WHERE", "Unexpected term"),
        ("UPDATE {t} SET a = 1 WHERE", "Unexpected term"),
        ("DELETE FROM {t} WHERE", "Unexpected term"),
        ("SELECT * FROM {t} WHERE NOT", "Unexpected term"),
        ("SELECT * FROM {t} WHERE (", "Unexpected term"),
        ('SELECT * FROM "never-created-table" WHERE', "Unexpected term"),
        (
            "SELECT * FROM {t} WHERE pk = 'p1' AND",
            "Missing right-hand side expression of infix operator",
        ),
        (
            "SELECT * FROM {t} WHERE pk = 'p1' OR",
            "Missing right-hand side expression of infix operator",
        ),
        ("SELECT * FROM {t} WHERE ORDER BY pk", "Unexpected keyword"),
        ("SELECT * FROM {t} WHERE pk = 'a' AND x IS FOO", "Expected type name"),
        ("SELECT * FROM {t} WHERE IS NULL", "Unexpected operator"),
        ("SELECT * FROM {t} WHERE pk = LIKE", "Unexpected operator"),
        ("DELETE FROM", "Expected identifier for simple path"),
        ("DELETE FROM   ", "Expected identifier for simple path"),
        ("DELETE FROM;", "Expected identifier for simple path"),
        ("DELETE FROM WHERE pk = 'a'", "Expected identifier for simple path"),
        ("SELECT * FROM", "Unexpected term"),
        ("SELECT * FROM {t} WHERE attribute_exists(m.inner)", "Invalid path dot component"),
        (
            "UPDATE {t} SET m.inner = set_add(m.inner, <<'y'>>) WHERE pk = 'item'",
            "Invalid path dot component",
        ),
    ],
)
def test_not_well_formed(ddb: Any, table: str, template: str, detail: str) -> None:
    # [paritysuite] partiqlGrammar.test.ts, partiqlFunctions.test.ts
    statement = template.format(t=f'"{table}"')
    assert refusal(ddb, statement) == ("ValidationException", NOT_WELL_FORMED + detail)


def test_misspelled_statement(ddb: Any, table: str) -> None:
    # [dynoxide] recorded: "SLECT ..." expects a data manipulation statement
    assert refusal(ddb, f'SLECT * FROM "{table}"') == (
        "ValidationException",
        NOT_WELL_FORMED + "Expected data manipulation",
    )


@pytest.mark.parametrize("type_name", ["INT4", "INT8", "DOUBLE PRECISION", "CHARACTER VARYING"])
def test_bare_type_test_is_not_an_operation(ddb: Any, type_name: str) -> None:
    # [paritysuite] partiqlGrammar.test.ts
    assert refusal(ddb, f"x IS {type_name}") == (
        "ValidationException",
        "Unsupported operation: IsType",
    )


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * FROM {t} t WHERE pk = 'x'",
        "SELECT * FROM {t} AS t WHERE pk = 'x'",
        "UPDATE {t} t SET a = 3 WHERE pk = 'x'",
        "DELETE FROM {t} t WHERE pk = 'x'",
    ],
)
def test_aliases(ddb: Any, table: str, template: str) -> None:
    # [paritysuite] partiqlGrammar.test.ts
    statement = template.format(t=f'"{table}"')
    assert refusal(ddb, statement) == ("ValidationException", "Aliasing is not supported")


# --- number literals


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("SELECT * FROM {t} WHERE pk = 'x' AND n = 1e126", f"{OVERFLOW} under root"),
        ("SELECT * FROM {t} WHERE pk = 'x' AND n = 1e-131", f"{UNDERFLOW} under root"),
        (
            "SELECT * FROM {t} WHERE pk = 'x' AND n = 123456789012345678901234567890123456789",
            f"{DIGITS} under root",
        ),
        ("INSERT INTO {t} VALUE {{'pk': 1e126}}", f"{OVERFLOW} under root"),
        ("UPDATE {t} SET a = 1e-131 WHERE pk = 'x'", f"{UNDERFLOW} under root"),
        ("INSERT INTO {t} VALUE {{'pk': 'x', 'm': {{'x': 1e126}}}}", f"{OVERFLOW} under root.x"),
        ("INSERT INTO {t} VALUE {{'pk': 'x', 'l': [1, 1e126]}}", f"{OVERFLOW} under root[1]"),
    ],
)
def test_numbers_out_of_range(ddb: Any, table: str, template: str, message: str) -> None:
    # [paritysuite] partiqlGrammar.test.ts
    assert refusal(ddb, template.format(t=f'"{table}"')) == ("ValidationException", message)


# --- functions


def test_function_refusals(ddb: Any, table: str) -> None:
    # [paritysuite] partiqlFunctions.test.ts
    where = f"SELECT * FROM \"{table}\" WHERE pk = 'item' AND "
    document_path = "Operator or function requires a document path; operator or function: "
    operands = "Incorrect number of operands for operator or function; operator or function: "
    cases: list[tuple[str, list[Item], str]] = [
        ("attribute_exists('ss')", [], document_path + "attribute_exists"),
        ("attribute_exists(?)", [{"S": "ss"}], document_path + "attribute_exists"),
        ("attribute_exists()", [], operands + "attribute_exists, number of operands: 0"),
        ("attribute_exists(ss, n)", [], operands + "attribute_exists, number of operands: 2"),
    ]
    for condition, parameters, message in cases:
        assert refusal(ddb, where + condition, *parameters) == ("ValidationException", message)
    statement = where + "EXISTS(ss)"
    assert refusal(ddb, statement) == (
        "ValidationException",
        "Unrecognized function: exists" + at(statement, "EXISTS"),
    )
    statement = where + "set_add(ss, <<'x'>>) = ss"
    assert refusal(ddb, statement) == (
        "ValidationException",
        "Unrecognized function: set_add" + at(statement, "set_add"),
    )
    statement = f"SELECT attribute_exists(ss) FROM \"{table}\" WHERE pk = 'item'"
    assert refusal(ddb, statement) == (
        "ValidationException",
        "Unexpected path component" + at(statement, "attribute_exists"),
    )


def test_ordering_needs_an_ordered_operand(ddb: Any, table: str) -> None:
    # [paritysuite] comparison.test.ts
    for op in ("<", "<=", ">", ">="):
        statement = f'SELECT pk FROM "{table}" WHERE pk = ? AND s {op} ?'
        assert refusal(ddb, statement, {"S": "item"}, {"BOOL": True}) == (
            "ValidationException",
            "Incorrect operand type for operator or function; operator or function: "
            f"{op}, operand type: BOOL",
        )


@pytest.mark.parametrize(
    ("assignment", "message", "token"),
    [
        (
            "t = set_add(ss, <<'x'>>)",
            "The first argument to SET_ADD must equal the assignment value",
            "set_add",
        ),
        (
            "ss = set_add(<<'a'>>, <<'b'>>)",
            "The first argument to SET_ADD must equal the assignment value",
            "set_add",
        ),
        ("ss = set_add(ss)", "SET_ADD must have exactly two arguments", "set_add"),
        (
            "ss = set_add(ss, <<'x'>>, <<'y'>>)",
            "SET_ADD must have exactly two arguments",
            "set_add",
        ),
        (
            "t = set_delete(ss, <<'a'>>)",
            "The first argument to SET_DELETE must equal the assignment value",
            "set_delete",
        ),
    ],
)
def test_set_function_refusals(
    ddb: Any, table: str, assignment: str, message: str, token: str
) -> None:
    # [paritysuite] partiqlFunctions.test.ts
    statement = f"UPDATE \"{table}\" SET {assignment} WHERE pk = 'item'"
    assert refusal(ddb, statement) == ("ValidationException", message + at(statement, token))


@pytest.mark.parametrize(
    ("assignment", "function"),
    [
        ("ss = set_add(ss, 'x')", "SET_ADD"),
        ("ss = set_add(ss, ['x'])", "SET_ADD"),
        ("ss = set_delete(ss, 'a')", "SET_DELETE"),
    ],
)
def test_set_function_needs_a_set(ddb: Any, table: str, assignment: str, function: str) -> None:
    # [paritysuite]: the position is the first argument's
    statement = f"UPDATE \"{table}\" SET {assignment} WHERE pk = 'item'"
    position = at(statement, "ss", 2, statement.index(function.lower() + "("))
    assert refusal(ddb, statement) == (
        "ValidationException",
        f"The second argument to {function} must be a value with type SET{position}",
    )


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        (
            "ss = set_add(ss, <<1>>)",
            "An operand in the update expression has an incorrect data type",
        ),
        (
            "s = set_add(s, <<'x'>>)",
            "An operand in the update expression has an incorrect data type",
        ),
        (
            "ss = set_delete(ss, <<1>>)",
            "An operand in the update expression has an incorrect data type",
        ),
        (
            "ss = set_add(ss, <<'x', 'x'>>)",
            "One or more parameter values were invalid: Input collection [x, x] contains "
            "duplicates.",
        ),
        ("ss = set_add(ss, <<>>)", "Empty bags are not supported"),
    ],
)
def test_set_function_value_refusals(ddb: Any, table: str, assignment: str, message: str) -> None:
    # [paritysuite] partiqlFunctions.test.ts
    statement = f"UPDATE \"{table}\" SET {assignment} WHERE pk = 'item'"
    assert refusal(ddb, statement) == ("ValidationException", message)


def test_set_add_in_an_insert(ddb: Any, table: str) -> None:
    # [paritysuite] partiqlFunctions.test.ts
    statement = f"INSERT INTO \"{table}\" VALUE {{'pk': 'new', 'ss': set_add(<<'a'>>, <<'b'>>)}}"
    assert refusal(ddb, statement) == (
        "ValidationException",
        "Unsupported data type: set_add under key root" + at(statement, "set_add"),
    )


# --- keys and RETURNING


def test_writes_need_the_whole_key(ddb: Any, table: str) -> None:
    # [ketlark], [paritysuite] partiqlGrammar.test.ts (FROM-first form)
    for statement in (
        f'DELETE FROM "{table}" WHERE "name" = \'alpha\'',
        f'DELETE FROM "{table}"',
        f'UPDATE "{table}" SET a = 1',
        f'FROM "{table}" SET c = 1',
        f'FROM "{table}" REMOVE a',
        f'FROM "{table}" WHERE a = 1 SET c = 1',
    ):
        assert refusal(ddb, statement) == ("ValidationException", NO_KEY), statement


def test_from_first_update_of_a_missing_table(ddb: Any) -> None:
    # [paritysuite] partiqlGrammar.test.ts
    statement = f"FROM \"{unique_name('none')}\" WHERE pk = 'x' SET c = 1"
    assert refusal(ddb, statement) == ("ResourceNotFoundException", "Requested resource not found")


def test_missing_table(ddb: Any) -> None:
    # [ketlark] executeStatement.test.ts
    statement = f"SELECT * FROM \"{unique_name('none')}\" WHERE pk = 'x'"
    assert refusal(ddb, statement) == ("ResourceNotFoundException", "Requested resource not found")


@pytest.mark.parametrize("variant", ["MODIFIED OLD", "ALL NEW", "MODIFIED NEW"])
def test_delete_returning_only_all_old(ddb: Any, table: str, variant: str) -> None:
    # [ketlark], [dynoxide]
    statement = f"DELETE FROM \"{table}\" WHERE pk = 'item' RETURNING {variant} *"
    assert refusal(ddb, statement) == (
        "ValidationException",
        f"Invalid returning clause: RETURNING {variant} *. Only RETURNING ALL OLD * is allowed "
        "in DELETE statements.",
    )
    assert ddb.get_item(TableName=table, Key={"pk": {"S": "item"}})["Item"]


# [gureum] DynamoDB Local's PartiQL texts (its message set is the service's library), not
# confirmed against the service.
LOCAL_TEXTS = [
    (
        "INSERT INTO {t} VALUE {{'pk': 'x'}} RETURNING ALL OLD *",
        "RETURNING is not supported in INSERT",
    ),
    ("INSERT INTO {t} VALUE {{'n': 1}}", "Key attribute should be present in the item: Key pk"),
    (
        "INSERT INTO {t} VALUE {{'pk': 1}}",
        "Key attribute's data type should match its data type in table's schema: Key pk",
    ),
    (
        "INSERT INTO {t} VALUE {{'pk': 'x', 'pk': 'y'}}",
        "Duplicate keys in tuple. Key: pk under root",
    ),
    (
        "UPDATE {t} SET a = 1 WHERE pk = 'x' AND pk = 'y'",
        "Multiple conditions on same key pk. Only single item Update/Insert/Delete are supported",
    ),
    (
        "SELECT * FROM {t} WHERE pk = 'x' AND n = MISSING",
        "MISSING must be compared using IS operator",
    ),
    (
        "SELECT * FROM {t} WHERE pk = 'x' AND n IN ?",
        "IN operator must have a left hand argument of type Variable Reference and right hand "
        "argument of type Seq with at least one member",
    ),
    (
        "SELECT * FROM {t} WHERE pk = 'x' AND n + 1 = 2",
        "Unsupported operator in Condition Expression. Operator: +",
    ),
    (
        "UPDATE {t} SET n = n * 2 WHERE pk = 'x'",
        "Unsupported operator in Update Expression. Operator: *",
    ),
    (
        "UPDATE {t} SET n = n IS NULL WHERE pk = 'x'",
        "IS operator is not supported in update expressions",
    ),
    (
        "SELECT * FROM {t} WHERE pk = 'x' AND NOT n",
        "The argument to NOT must be a Type or Expression",
    ),
    (
        "SELECT * FROM {t} WHERE n",
        "WHERE clause must contain an expression that resolves to a boolean",
    ),
    ("SELECT a, a FROM {t}", "Duplicate identifiers in select clause: a"),
    (
        "SELECT *, a FROM {t}",
        "Other attributes should not be present in the projection when '*' is used.",
    ),
    (
        "SELECT * FROM {t} ORDER BY pk",
        "Must have WHERE clause in the statement when using ORDER BY clause.",
    ),
    (
        "SELECT * FROM {t} WHERE n = 1 ORDER BY pk",
        "Must have at least one non-optional hash key condition in WHERE clause when using ORDER "
        "BY clause.",
    ),
    (
        "SELECT * FROM {t} WHERE pk = 'x' ORDER BY n",
        "Variable reference n in ORDER BY clause must be part of the primary key",
    ),
    ("SELECT * FROM {t} WHERE pk = 'x' AND n = <<>>", "Empty bags are not supported"),
    (
        "SELECT * FROM {t} WHERE pk = 'x' AND n = <<1, 'a'>>",
        "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags",
    ),
    (
        "EXISTS(SELECT * FROM {t} WHERE pk = 'x' AND n = 1)",
        "EXISTS can only be used in ExecuteTransaction write requests.",
    ),
    (
        "INSERT INTO {t} VALUE ?",
        "Unsupported format in item expression. Please use struct format {{...}} to express item "
        "values for insert statement.",
    ),
    (
        "UPDATE {t} SET a = 1 WHERE pk = 'x' RETURNING ALL OLD a",
        "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause",
    ),
    (
        'SELECT * FROM "ab"',
        "Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', "
        "'-', '_', '.'.",
    ),
    ("SELECT * FROM {t}.a.b", "A path may contain at most 2 components in the FROM clause"),
]


@pytest.mark.parametrize(("template", "message"), LOCAL_TEXTS)
def test_dynamodb_local_texts(ddb: Any, table: str, template: str, message: str) -> None:
    statement = template.format(t=f'"{table}"')
    parameters = [{"L": [{"N": "1"}]}] if "?" in statement else []
    assert refusal(ddb, statement, *parameters) == ("ValidationException", message.format())


# --- parameters


def test_parameter_count_must_match(ddb: Any, table: str) -> None:
    # [gureum] DynamoDB Local's text (for more parameters than ``?`` too)
    message = ("ValidationException", "Number of parameters in request and statement don't match.")
    statement = f'SELECT * FROM "{table}" WHERE pk = ?'
    assert refusal(ddb, statement) == message
    assert refusal(ddb, statement, {"S": "a"}, {"S": "b"}) == message


def test_empty_parameter_list(ddb: Any, table: str) -> None:
    # the front end's constraint on Parameters (at least one member)
    with pytest.raises(ClientError) as excinfo:
        ddb.execute_statement(Statement=f'SELECT * FROM "{table}"', Parameters=[])
    assert error_of(excinfo) == (
        "ValidationException",
        "1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
    )


@pytest.mark.parametrize(
    "value", ["1e99999999999", "-1e99999999999", "1e-99999999999", "1e2147483648"]
)
@pytest.mark.parametrize(
    "template",
    [
        "SELECT * FROM {t} WHERE pk = 'x' AND n = ?",
        "INSERT INTO {t} VALUE {{'pk': 'x', 'n': ?}}",
        "UPDATE {t} SET n = ? WHERE pk = 'x'",
        "SELECT * FROM {t} WHERE pk = ?",
    ],
)
def test_parameter_numbers_that_cannot_be_read(
    ddb: Any, table: str, template: str, value: str
) -> None:
    # [paritysuite] partiqlParameterNumbers.test.ts
    statement = template.format(t=f'"{table}"')
    assert refusal(ddb, statement, {"N": value}) == (
        "ValidationException",
        f"{UNCONVERTIBLE}: {value}",
    )


def test_parameter_problems_in_document_order(ddb: Any, table: str) -> None:
    # [paritysuite] partiqlParameterNumbers.test.ts: the first problem in document order
    def deep(depth: int, leaf: Item | None = None) -> Item:
        value: Item = leaf or {"S": "leaf"}
        for _ in range(depth):
            value = {"M": {"n": value}}
        return value

    pair = f"SELECT * FROM \"{table}\" WHERE pk = 'x' AND x = ? AND y = ?"
    single = f"SELECT * FROM \"{table}\" WHERE pk = 'x' AND x = ?"
    assert refusal(ddb, pair, deep(40), {"N": "abc"}) == ("ValidationException", NEST)
    assert refusal(ddb, pair, {"N": "abc"}, deep(40)) == (
        "ValidationException",
        f"{UNCONVERTIBLE}: abc",
    )
    assert refusal(ddb, single, {"M": {"d": deep(40), "bad": {"N": "abc"}}}) == (
        "ValidationException",
        NEST,
    )
    assert refusal(ddb, single, {"M": {"bad": {"N": "abc"}, "d": deep(40)}}) == (
        "ValidationException",
        f"{UNCONVERTIBLE}: abc",
    )
    assert refusal(ddb, single, deep(40, {"N": "abc"})) == ("ValidationException", NEST)
    assert refusal(ddb, single, {"N": ""}) == ("ValidationException", UNCONVERTIBLE)
    assert refusal(ddb, single, {"L": [{"N": "1"}, {"N": "1e99999999999"}]}) == (
        "ValidationException",
        f"{UNCONVERTIBLE}: 1e99999999999",
    )
    assert refusal(ddb, single, {"NS": ["1", "1e99999999999"]}) == (
        "ValidationException",
        f"{UNCONVERTIBLE}: 1e99999999999",
    )


def test_refused_statements_change_nothing(ddb: Any, table: str) -> None:
    # [paritysuite] grammar.test.ts
    pk = new_key()
    refusal(ddb, f"INSERT INTO \"{table}\" VALUE {{'pk': '{pk}'}} foo")
    assert "Item" not in ddb.get_item(TableName=table, Key={"pk": {"S": pk}}, ConsistentRead=True)
    refusal(ddb, f"DELETE FROM \"{table}\" t WHERE pk = 'item'")
    refusal(ddb, f"DELETE FROM \"{table}\" WHERE pk = 'item' ORDER BY pk")
    assert "Item" in ddb.get_item(TableName=table, Key={"pk": {"S": "item"}}, ConsistentRead=True)


@pytest.mark.parametrize("condition", ["x = '1'", "x <> '1'"])
def test_overlapping_sort_key_branches(ddb: Any, condition: str) -> None:
    # [paritysuite] partiqlGrammar.test.ts
    name = unique_name("pqo")
    ddb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    try:
        statement = (
            f"SELECT * FROM \"{name}\" WHERE pk = 'a' AND {condition} OR pk = 'a' AND sk = '2'"
        )
        assert refusal(ddb, statement) == (
            "ValidationException",
            "Overlapping conditions with range keys are not supported in where clause",
        )
    finally:
        ddb.delete_table(TableName=name)
