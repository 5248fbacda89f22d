"""UpdateExpression: SET (with + and -, if_not_exists, list_append), REMOVE (list indexes
too), ADD (numbers and sets), DELETE (sets), nested paths, overlapping and conflicting paths,
repeated clauses, type errors, exact decimal arithmetic, and the ReturnValues shapes.

Sources: the AWS developer guide ("Update expressions", "UpdateItem" ReturnValues), and what
peers recorded from real DynamoDB: dynalite ``test/updateItem.js``, ScyllaDB Alternator
``test_update_expression.py`` / ``test_returnvalues.py`` / ``test_number.py``, and the nubo-db
and paritysuite conformance suites (``tier1/updateItem/*``, ``tier3/error-messages``).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]

DATA_TYPE = (
    "ValidationException",
    "An operand in the update expression has an incorrect data type",
)
MISSING = (
    "ValidationException",
    "The provided expression refers to an attribute that does not exist in the item",
)
BAD_PATH = (
    "ValidationException",
    "The document path provided in the update expression is invalid for update",
)
OVERFLOW = (
    "ValidationException",
    "Number overflow. Attempting to store a number with magnitude larger than supported range",
)


def update(
    ddb: Any,
    table: str,
    key: Item,
    expression: str,
    values: Item | None = None,
    names: dict[str, str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    params: dict[str, Any] = {"TableName": table, "Key": key, "UpdateExpression": expression}
    if values:
        params["ExpressionAttributeValues"] = values
    if names:
        params["ExpressionAttributeNames"] = names
    response: dict[str, Any] = ddb.update_item(**params, **extra)
    return response


def update_error(
    ddb: Any,
    table: str,
    key: Item,
    expression: str,
    values: Item | None = None,
    names: dict[str, str] | None = None,
) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        update(ddb, table, key, expression, values, names)
    return error_of(excinfo)


def used(values: Item, expression: str) -> Item:
    """The entries of ``values`` whose placeholder appears in ``expression``."""
    return {k: v for k, v in values.items() if k in re.findall(r":\w+", expression)}


def fresh() -> Item:
    return {"p": {"S": new_key()}}


# --- SET ------------------------------------------------------------------------------------


def test_set_creates_the_item(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    response = update(ddb, table_s, key, "SET a = :v, b = :w", {":v": {"S": "x"}, ":w": {"N": "1"}})
    assert "Attributes" not in response
    assert read(key) == {**key, "a": {"S": "x"}, "b": {"N": "1"}}


def test_set_replaces_and_copies(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(a={"S": "old"}, b={"L": [{"N": "1"}]})
    update(ddb, table_s, key, "SET a = :v, c = b", {":v": {"N": "7"}})
    assert read(key) == {**key, "a": {"N": "7"}, "b": {"L": [{"N": "1"}]}, "c": {"L": [{"N": "1"}]}}


def test_set_reads_the_item_before_the_update(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    """All right-hand sides see the old item: a swap works."""
    key = put(a={"S": "A"}, b={"S": "B"})
    update(ddb, table_s, key, "SET a = b, b = a")
    assert read(key) == {**key, "a": {"S": "B"}, "b": {"S": "A"}}


@pytest.mark.parametrize(
    ("stored", "expression", "operand", "result"),
    [
        ("5", "SET n = n + :v", "3", "8"),
        ("5", "SET n = n - :v", "3", "2"),
        ("5", "SET n = :v - n", "3", "-2"),
        ("1.5", "SET n = n + :v", "1.5", "3"),
        ("0.1", "SET n = n + :v", "0.2", "0.3"),  # exact decimal, never binary floating point
        ("1", "SET n = n - :v", "0.9", "0.1"),
        ("-7", "SET n = n + :v", "7", "0"),
        ("1E2", "SET n = n + :v", "1", "101"),
        # 38 significant digits are kept exactly
        (
            "12345678901234567890123456789012345678",
            "SET n = n + :v",
            "1",
            "12345678901234567890123456789012345679",
        ),
        (
            "99999999999999999999999999999999999999",
            "SET n = n - :v",
            "99999999999999999999999999999999999998",
            "1",
        ),
        ("10000000000000000000000", "SET n = n + :v", "1", "10000000000000000000001"),
        (
            "0.0000000000000000000000000000000000001",
            "SET n = n + :v",
            "1",
            "1.0000000000000000000000000000000000001",
        ),
    ],
)
def test_arithmetic_is_exact_decimal(
    ddb: Any,
    table_s: str,
    put: Any,
    read: Any,
    stored: str,
    expression: str,
    operand: str,
    result: str,
) -> None:
    key = put(n={"N": stored})
    update(ddb, table_s, key, expression, {":v": {"N": operand}})
    assert read(key) == {**key, "n": {"N": result}}


def test_arithmetic_on_two_values_and_nested_paths(
    ddb: Any, table_s: str, put: Any, read: Any
) -> None:
    key = put(m={"M": {"cnt": {"N": "10"}}}, l={"L": [{"N": "2"}, {"N": "3"}]})
    update(
        ddb,
        table_s,
        key,
        "SET m.cnt = m.cnt + l[1], x = :a + :b, y = l[0] - :a",
        {":a": {"N": "0.5"}, ":b": {"N": "0.25"}},
    )
    item = read(key)
    assert item["m"] == {"M": {"cnt": {"N": "13"}}}
    assert item["x"] == {"N": "0.75"}
    assert item["y"] == {"N": "1.5"}


@pytest.mark.parametrize(
    ("expression", "a", "b"),
    [
        ("SET r = :a + :b", "9E125", "9E125"),
        ("SET r = :a - :b", "9E125", "-9E125"),
        ("SET r = :a + :b", "1E50", "1"),  # needs more than 38 digits: reported as overflow
        ("SET r = :a - :b", "1E50", "1"),
    ],
)
def test_arithmetic_beyond_the_number_range_is_rejected(
    ddb: Any, table_s: str, expression: str, a: str, b: str
) -> None:
    values = {":a": {"N": a}, ":b": {"N": b}}
    assert update_error(ddb, table_s, fresh(), expression, values) == OVERFLOW


def test_arithmetic_on_a_missing_attribute(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"N": "1"})
    assert update_error(ddb, table_s, key, "SET a = b + :v", {":v": {"N": "1"}}) == MISSING
    assert update_error(ddb, table_s, key, "SET c = b") == MISSING
    assert update_error(ddb, table_s, fresh(), "SET c = b") == MISSING


@pytest.mark.parametrize(
    ("stored", "expression", "value"),
    [
        ({"S": "1"}, "SET r = a + :v", {"N": "1"}),
        ({"SS": ["1"]}, "SET r = a - :v", {"N": "1"}),
        ({"N": "1"}, "SET r = list_append(a, :v)", {"L": []}),
        ({"L": []}, "SET r = a + :v", {"N": "1"}),
    ],
)
def test_arithmetic_on_stored_value_of_wrong_type(
    ddb: Any, table_s: str, put: Any, read: Any, stored: Item, expression: str, value: Item
) -> None:
    key = put(a=stored)
    assert update_error(ddb, table_s, key, expression, {":v": value}) == DATA_TYPE
    assert read(key) == {**key, "a": stored}


@pytest.mark.parametrize(
    ("expression", "function", "kind"),
    [
        ("SET a = a + :s", "+", "S"),
        ("SET a = :s + :n", "+", "S"),
        ("SET a = :b - a", "-", "B"),
        ("SET a = a - :l", "-", "L"),
        ("SET a = a + :m", "+", "M"),
        ("SET a = a + :ss", "+", "SS"),
        ("SET a = a + :bool", "+", "BOOL"),
        ("SET a = a - :null", "-", "NULL"),
        ("SET a = list_append(:s, a)", "list_append", "S"),
        ("SET a = list_append(a, :n)", "list_append", "N"),
        ("SET a = list_append(:m, a)", "list_append", "M"),
        ("SET a = list_append(:ss, a)", "list_append", "SS"),
    ],
)
def test_operand_of_wrong_type_in_expression(
    ddb: Any, table_s: str, expression: str, function: str, kind: str
) -> None:
    all_values = {
        ":s": {"S": "x"},
        ":n": {"N": "1"},
        ":b": {"B": b"x"},
        ":l": {"L": []},
        ":m": {"M": {}},
        ":ss": {"SS": ["x"]},
        ":bool": {"BOOL": True},
        ":null": {"NULL": True},
    }
    assert update_error(ddb, table_s, fresh(), expression, used(all_values, expression)) == (
        "ValidationException",
        "Invalid UpdateExpression: Incorrect operand type for operator or function; "
        f"operator or function: {function}, operand type: {kind}",
    )


def test_if_not_exists(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(a={"S": "kept"})
    update(
        ddb,
        table_s,
        key,
        "SET a = if_not_exists(a, :d), b = if_not_exists(b, :d), c = if_not_exists(a, :d)",
        {":d": {"S": "default"}},
    )
    assert read(key) == {**key, "a": {"S": "kept"}, "b": {"S": "default"}, "c": {"S": "kept"}}


def test_if_not_exists_as_counter_and_in_list_append(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    for _ in range(3):
        update(
            ddb,
            table_s,
            key,
            "SET n = if_not_exists(n, :zero) + :one, l = list_append(if_not_exists(l, :e), :x)",
            {":zero": {"N": "0"}, ":one": {"N": "1"}, ":e": {"L": []}, ":x": {"L": [{"S": "x"}]}},
        )
    assert read(key) == {**key, "n": {"N": "3"}, "l": {"L": [{"S": "x"}, {"S": "x"}, {"S": "x"}]}}


def test_if_not_exists_on_nested_path(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(m={"M": {"x": {"N": "1"}}})
    update(
        ddb,
        table_s,
        key,
        "SET m.x = if_not_exists(m.x, :d), m.y = if_not_exists(m.y, :d)",
        {":d": {"N": "9"}},
    )
    assert read(key) == {**key, "m": {"M": {"x": {"N": "1"}, "y": {"N": "9"}}}}


def test_list_append(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(l={"L": [{"N": "1"}, {"N": "2"}]})
    values = {":front": {"L": [{"S": "a"}]}, ":back": {"L": [{"S": "z"}, {"NULL": True}]}}
    update(ddb, table_s, key, "SET l = list_append(:front, l)", {":front": values[":front"]})
    update(ddb, table_s, key, "SET l = list_append(l, :back)", {":back": values[":back"]})
    update(ddb, table_s, key, "SET c = list_append(l, l)")
    item = read(key)
    expected = [{"S": "a"}, {"N": "1"}, {"N": "2"}, {"S": "z"}, {"NULL": True}]
    assert item["l"] == {"L": expected}
    assert item["c"] == {"L": expected + expected}


def test_list_append_to_missing_attribute(ddb: Any, table_s: str, put: Any) -> None:
    key = put()
    assert update_error(ddb, table_s, key, "SET l = list_append(l, :v)", {":v": {"L": []}}) == (
        MISSING
    )


def test_set_list_element_and_past_the_end(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(l={"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}]})
    update(ddb, table_s, key, "SET l[1] = :v", {":v": {"S": "B"}})
    update(ddb, table_s, key, "SET l[10] = :v", {":v": {"S": "appended"}})
    assert read(key)["l"] == {"L": [{"S": "a"}, {"S": "B"}, {"S": "c"}, {"S": "appended"}]}


def test_set_index_of_empty_list(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(l={"L": []})
    update(ddb, table_s, key, "SET l[0] = :v", {":v": {"S": "first"}})
    assert read(key)["l"] == {"L": [{"S": "first"}]}


def test_set_nested_map_member(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(a={"M": {"b": {"M": {"c": {"S": "old"}}}, "keep": {"S": "k"}}})
    update(
        ddb,
        table_s,
        key,
        "SET a.b.c = :v, a.b.d = :w, a.#dot = :w",
        {":v": {"S": "new"}, ":w": {"N": "1"}},
        {"#dot": "x.y"},
    )
    assert read(key)["a"] == {
        "M": {
            "b": {"M": {"c": {"S": "new"}, "d": {"N": "1"}}},
            "keep": {"S": "k"},
            "x.y": {"N": "1"},
        }
    }


@pytest.mark.parametrize(
    "expression",
    [
        "SET m.x.y = :v",  # parent m.x missing
        "SET l[0].y = :v",  # l is not a list... of maps here: l[0] is a number
        "SET s.x = :v",  # s is a string, not a map
        "SET s[0] = :v",  # s is a string, not a list
        "SET l.x = :v",  # a list has no members
        "SET m[0] = :v",  # a map has no elements
        "SET nope.x = :v",  # no such top-level attribute
        "SET nope[0] = :v",
    ],
)
def test_set_through_a_missing_or_wrong_parent(
    ddb: Any, table_s: str, put: Any, read: Any, expression: str
) -> None:
    stored = {"m": {"M": {}}, "l": {"L": [{"N": "1"}]}, "s": {"S": "str"}}
    key = put(**stored)
    assert update_error(ddb, table_s, key, expression, {":v": {"N": "1"}}) == BAD_PATH
    assert read(key) == {**key, **stored}


def test_nested_set_on_missing_item(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    assert update_error(ddb, table_s, key, "SET a.b = :v", {":v": {"N": "1"}}) == BAD_PATH
    assert update_error(ddb, table_s, key, "SET a[1] = :v", {":v": {"N": "1"}}) == BAD_PATH
    assert read(key) is None


# --- REMOVE ---------------------------------------------------------------------------------


def test_remove_attributes(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(a={"S": "x"}, b={"N": "1"}, c={"BOOL": True})
    update(ddb, table_s, key, "REMOVE a, b, missing_attr")
    assert read(key) == {**key, "c": {"BOOL": True}}


def test_remove_list_elements_uses_original_indexes(
    ddb: Any, table_s: str, put: Any, read: Any
) -> None:
    key = put(l={"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}, {"S": "d"}, {"S": "e"}]})
    update(ddb, table_s, key, "REMOVE l[3], l[1], l[10]")
    assert read(key)["l"] == {"L": [{"S": "a"}, {"S": "c"}, {"S": "e"}]}


def test_remove_last_list_element_leaves_empty_list(
    ddb: Any, table_s: str, put: Any, read: Any
) -> None:
    key = put(l={"L": [{"S": "only"}]})
    update(ddb, table_s, key, "REMOVE l[0]")
    assert read(key)["l"] == {"L": []}


def test_remove_nested_members(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    members = {"gone": {"S": "x"}, "keep": {"S": "y"}, "l": {"L": [{"N": "1"}, {"N": "2"}]}}
    key = put(m={"M": members})
    update(ddb, table_s, key, "REMOVE m.gone, m.l[0], m.nothing, m.l[5]")
    assert read(key)["m"] == {"M": {"keep": {"S": "y"}, "l": {"L": [{"N": "2"}]}}}


def test_remove_through_missing_parent(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(s={"S": "x"})
    assert update_error(ddb, table_s, key, "REMOVE nope.x") == BAD_PATH
    assert update_error(ddb, table_s, key, "REMOVE s[0]") == BAD_PATH
    assert read(key) == {**key, "s": {"S": "x"}}


def test_remove_only_on_missing_item_does_not_create_it(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    response = update(ddb, table_s, key, "REMOVE a", ReturnValues="ALL_NEW")
    assert "Attributes" not in response
    assert read(key) is None


# --- ADD ------------------------------------------------------------------------------------


def test_add_numbers(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(n={"N": "5"})
    update(ddb, table_s, key, "ADD n :v, fresh_n :w", {":v": {"N": "-5.5"}, ":w": {"N": "3"}})
    assert read(key) == {**key, "n": {"N": "-0.5"}, "fresh_n": {"N": "3"}}


def test_add_creates_the_item(ddb: Any, table_s: str, read: Any) -> None:
    key = fresh()
    update(ddb, table_s, key, "ADD n :v, s :s", {":v": {"N": "1"}, ":s": {"SS": ["x"]}})
    assert read(key) == {**key, "n": {"N": "1"}, "s": {"SS": ["x"]}}


@pytest.mark.parametrize(
    ("stored", "added", "result"),
    [
        ({"SS": ["a", "b"]}, {"SS": ["b", "c"]}, {"SS": ["a", "b", "c"]}),
        ({"NS": ["1", "2"]}, {"NS": ["2.0", "3"]}, {"NS": ["1", "2", "3"]}),
        ({"BS": [b"\x01"]}, {"BS": [b"\x02"]}, {"BS": [b"\x01", b"\x02"]}),
    ],
)
def test_add_to_sets(
    ddb: Any, table_s: str, put: Any, read: Any, stored: Item, added: Item, result: Item
) -> None:
    key = put(s=stored)
    update(ddb, table_s, key, "ADD s :v", {":v": added})
    got = read(key)["s"]
    ((kind, members),) = got.items()
    ((want_kind, want_members),) = result.items()
    assert kind == want_kind
    assert sorted(members) == sorted(want_members)


def test_add_to_nested_number_and_set(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(m={"M": {"n": {"N": "1"}, "s": {"SS": ["a"]}}})
    update(
        ddb,
        table_s,
        key,
        "ADD m.n :one, m.s :set, m.added :one",
        {":one": {"N": "1"}, ":set": {"SS": ["b"]}},
    )
    m = read(key)["m"]["M"]
    assert m["n"] == {"N": "2"}
    assert m["added"] == {"N": "1"}
    assert sorted(m["s"]["SS"]) == ["a", "b"]


@pytest.mark.parametrize(
    ("stored", "value"),
    [
        ({"SS": ["a"]}, {"NS": ["1"]}),
        ({"NS": ["1"]}, {"N": "1"}),
        ({"S": "a"}, {"N": "1"}),
        ({"N": "1"}, {"SS": ["a"]}),
        ({"L": []}, {"N": "1"}),
    ],
)
def test_add_to_stored_value_of_wrong_type(
    ddb: Any, table_s: str, put: Any, stored: Item, value: Item
) -> None:
    key = put(a=stored)
    assert update_error(ddb, table_s, key, "ADD a :v", {":v": value}) == DATA_TYPE


@pytest.mark.parametrize(
    ("operator", "value", "kind"),
    [
        ("ADD", {"S": "a"}, "STRING"),
        ("ADD", {"B": b"a"}, "BINARY"),
        ("ADD", {"BOOL": True}, "BOOLEAN"),
        ("ADD", {"NULL": True}, "NULL"),
        ("ADD", {"L": [{"N": "1"}]}, "LIST"),
        ("ADD", {"M": {}}, "MAP"),
        ("DELETE", {"S": "a"}, "STRING"),
        ("DELETE", {"N": "1"}, "NUMBER"),
        ("DELETE", {"B": b"a"}, "BINARY"),
        ("DELETE", {"BOOL": False}, "BOOLEAN"),
        ("DELETE", {"L": []}, "LIST"),
        ("DELETE", {"M": {}}, "MAP"),
    ],
)
def test_add_and_delete_with_value_of_wrong_type(
    ddb: Any, table_s: str, operator: str, value: Item, kind: str
) -> None:
    assert update_error(ddb, table_s, fresh(), f"{operator} a :v", {":v": value}) == (
        "ValidationException",
        "Invalid UpdateExpression: Incorrect operand type for operator or function; "
        f"operator: {operator}, operand type: {kind}",
    )


# --- DELETE ---------------------------------------------------------------------------------


def test_delete_from_sets(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(ss={"SS": ["a", "b", "c"]}, ns={"NS": ["1", "2"]}, bs={"BS": [b"\x01", b"\x02"]})
    update(
        ddb,
        table_s,
        key,
        "DELETE ss :ss, ns :ns, bs :bs, nothing :ss",
        {":ss": {"SS": ["a", "c", "zzz"]}, ":ns": {"NS": ["2.00"]}, ":bs": {"BS": [b"\x02"]}},
    )
    assert read(key) == {**key, "ss": {"SS": ["b"]}, "ns": {"NS": ["1"]}, "bs": {"BS": [b"\x01"]}}


def test_delete_of_every_member_removes_the_attribute(
    ddb: Any, table_s: str, put: Any, read: Any
) -> None:
    key = put(s={"SS": ["a", "b"]}, other={"S": "x"})
    update(ddb, table_s, key, "DELETE s :v", {":v": {"SS": ["a", "b"]}})
    assert read(key) == {**key, "other": {"S": "x"}}


def test_delete_from_nested_set(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(m={"M": {"s": {"NS": ["1", "2", "3"]}}})
    update(ddb, table_s, key, "DELETE m.s :v", {":v": {"NS": ["3"]}})
    assert sorted(read(key)["m"]["M"]["s"]["NS"]) == ["1", "2"]


@pytest.mark.parametrize(
    ("stored", "value"),
    [
        ({"NS": ["1"]}, {"SS": ["1"]}),
        ({"SS": ["1"]}, {"NS": ["1"]}),
        ({"S": "1"}, {"SS": ["1"]}),
        ({"M": {}}, {"SS": ["1"]}),
    ],
)
def test_delete_from_stored_value_of_wrong_type(
    ddb: Any, table_s: str, put: Any, stored: Item, value: Item
) -> None:
    key = put(a=stored)
    assert update_error(ddb, table_s, key, "DELETE a :v", {":v": value}) == DATA_TYPE


# --- clauses, paths and keys ------------------------------------------------------------------


def test_all_four_clauses_in_any_order(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(r={"S": "x"}, n={"N": "1"}, s={"SS": ["a", "b"]})
    update(
        ddb,
        table_s,
        key,
        "delete s :d add n :one remove r set a = :v",
        {":d": {"SS": ["a"]}, ":one": {"N": "1"}, ":v": {"S": "set"}},
    )
    assert read(key) == {**key, "n": {"N": "2"}, "s": {"SS": ["b"]}, "a": {"S": "set"}}


@pytest.mark.parametrize(
    ("expression", "section"),
    [
        ("SET a = :v SET b = :v", "SET"),
        ("REMOVE a SET b = :v REMOVE c", "REMOVE"),
        ("ADD a :n SET b = :v ADD c :n", "ADD"),
        ("DELETE a :s SET b = :v DELETE c :s", "DELETE"),
        ("set a = :v Set b = :v", "SET"),
    ],
)
def test_clause_repeated(ddb: Any, table_s: str, expression: str, section: str) -> None:
    all_values = {":v": {"S": "x"}, ":n": {"N": "1"}, ":s": {"SS": ["x"]}}
    assert update_error(ddb, table_s, fresh(), expression, used(all_values, expression)) == (
        "ValidationException",
        f'Invalid UpdateExpression: The "{section}" section can only be used once in an update '
        "expression;",
    )


@pytest.mark.parametrize(
    ("expression", "one", "two"),
    [
        ("SET a = :v, a = :w", "[a]", "[a]"),
        ("SET a = :v REMOVE a", "[a]", "[a]"),
        ("SET a.b = :v, a = :w", "[a, b]", "[a]"),
        ("SET a = :v, a.b = :w", "[a]", "[a, b]"),
        ("REMOVE a.b[1] SET a.b = :v", "[a, b, [1]]", "[a, b]"),
        ("ADD a :n DELETE a :s", "[a]", "[a]"),
        ("SET #x = :v, x = :w", "[x]", "[x]"),  # names are compared after substitution
    ],
)
def test_overlapping_paths(ddb: Any, table_s: str, expression: str, one: str, two: str) -> None:
    all_values = {":v": {"S": "x"}, ":w": {"S": "y"}, ":n": {"N": "1"}, ":s": {"SS": ["x"]}}
    names = {"#x": "x"} if "#x" in expression else None
    values = used(all_values, expression)
    assert update_error(ddb, table_s, fresh(), expression, values, names) == (
        "ValidationException",
        "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
        f"rewrite one of these paths; path one: {one}, path two: {two}",
    )


@pytest.mark.parametrize(
    ("expression", "one", "two"),
    [
        ("REMOVE a.c SET a[1] = :v", "[a, c]", "[a, [1]]"),
        ("SET a[1] = :v, a.b = :w", "[a, [1]]", "[a, b]"),
    ],
)
def test_conflicting_paths(ddb: Any, table_s: str, expression: str, one: str, two: str) -> None:
    values = used({":v": {"S": "x"}, ":w": {"S": "y"}}, expression)
    assert update_error(ddb, table_s, fresh(), expression, values) == (
        "ValidationException",
        "Invalid UpdateExpression: Two document paths conflict with each other; must remove or "
        f"rewrite one of these paths; path one: {one}, path two: {two}",
    )


def test_sibling_paths_do_not_overlap(ddb: Any, table_s: str, put: Any, read: Any) -> None:
    key = put(a={"M": {"b": {"N": "1"}, "c": {"N": "2"}}}, l={"L": [{"N": "1"}, {"N": "2"}]})
    update(ddb, table_s, key, "SET a.b = :v, a.c = :v, l[0] = :v, l[1] = :v", {":v": {"N": "0"}})
    assert read(key) == {
        **key,
        "a": {"M": {"b": {"N": "0"}, "c": {"N": "0"}}},
        "l": {"L": [{"N": "0"}, {"N": "0"}]},
    }


@pytest.mark.parametrize("expression", ["SET p = :v", "REMOVE p", "ADD p :v", "SET #k = :v"])
def test_key_attribute_cannot_be_updated(ddb: Any, table_s: str, expression: str) -> None:
    value = {"SS": ["x"]} if expression.startswith("ADD") else {"S": "x"}
    values = {":v": value} if ":v" in expression else None
    names = {"#k": "p"} if "#k" in expression else None
    assert update_error(ddb, table_s, fresh(), expression, values, names) == (
        "ValidationException",
        "One or more parameter values were invalid: Cannot update attribute p. This attribute "
        "is part of the key",
    )


def test_sort_key_attribute_cannot_be_updated(ddb: Any, table_sn: str) -> None:
    key = {"p": {"S": new_key()}, "c": {"N": "1"}}
    assert update_error(ddb, table_sn, key, "SET c = :v", {":v": {"N": "2"}}) == (
        "ValidationException",
        "One or more parameter values were invalid: Cannot update attribute c. This attribute "
        "is part of the key",
    )


@pytest.mark.parametrize(
    ("expression", "values", "message"),
    [
        (
            "SET a = if_not_exists(:v, a)",
            {":v": {"N": "1"}},
            "Operator or function requires a document path; operator or function: if_not_exists",
        ),
        (
            "SET a = if_not_exists(a)",
            None,
            "Incorrect number of operands for operator or function; operator or function: "
            "if_not_exists, number of operands: 1",
        ),
        (
            "SET a = list_append(a)",
            None,
            "Incorrect number of operands for operator or function; operator or function: "
            "list_append, number of operands: 1",
        ),
        (
            "SET a = size(b)",
            None,
            "The function is not allowed in an update expression; function: size",
        ),
        (
            "SET a = attribute_exists(b)",
            None,
            "The function is not allowed in an update expression; function: attribute_exists",
        ),
        ("SET a = dog(b)", None, "Invalid function name; function: dog"),
        ("SET a = If_Not_Exists(a, b)", None, "Invalid function name; function: If_Not_Exists"),
    ],
)
def test_invalid_functions(
    ddb: Any, table_s: str, expression: str, values: Item | None, message: str
) -> None:
    assert update_error(ddb, table_s, fresh(), expression, values) == (
        "ValidationException",
        f"Invalid UpdateExpression: {message}",
    )


def test_empty_update_expression(ddb: Any, table_s: str) -> None:
    assert update_error(ddb, table_s, fresh(), "") == (
        "ValidationException",
        "Invalid UpdateExpression: The expression can not be empty;",
    )


# --- ReturnValues -------------------------------------------------------------------------------


def test_return_values_none_and_all_old(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"S": "hi"}, b={"S": "dog"})
    response = update(ddb, table_s, key, "SET b = :v", {":v": {"S": "cat"}}, ReturnValues="NONE")
    assert "Attributes" not in response
    response = update(ddb, table_s, key, "SET b = :v", {":v": {"S": "cow"}}, ReturnValues="ALL_OLD")
    assert response["Attributes"] == {**key, "a": {"S": "hi"}, "b": {"S": "cat"}}


def test_return_values_all_old_of_missing_item(ddb: Any, table_s: str) -> None:
    response = update(
        ddb, table_s, fresh(), "SET b = :v", {":v": {"S": "x"}}, ReturnValues="ALL_OLD"
    )
    assert "Attributes" not in response


def test_return_values_all_new(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"S": "hi"}, b={"S": "dog"})
    response = update(
        ddb, table_s, key, "SET b = :v REMOVE a", {":v": {"S": "cat"}}, ReturnValues="ALL_NEW"
    )
    assert response["Attributes"] == {**key, "b": {"S": "cat"}}
    key2 = fresh()
    response = update(ddb, table_s, key2, "ADD n :v", {":v": {"N": "2"}}, ReturnValues="ALL_NEW")
    assert response["Attributes"] == {**key2, "n": {"N": "2"}}


def test_return_values_updated_old(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"S": "hi"}, b={"S": "dog"})
    response = update(
        ddb,
        table_s,
        key,
        "SET b = :v, c = :w",
        {":v": {"S": "cat"}, ":w": {"S": "new"}},
        ReturnValues="UPDATED_OLD",
    )
    assert response["Attributes"] == {"b": {"S": "dog"}}  # c did not exist before
    response = update(
        ddb, table_s, key, "SET b = :v", {":v": {"S": "cat"}}, ReturnValues="UPDATED_OLD"
    )
    assert response["Attributes"] == {"b": {"S": "cat"}}  # same value written: still updated
    response = update(ddb, table_s, key, "REMOVE b", ReturnValues="UPDATED_OLD")
    assert response["Attributes"] == {"b": {"S": "cat"}}
    response = update(
        ddb, table_s, key, "SET b = :v", {":v": {"S": "x"}}, ReturnValues="UPDATED_OLD"
    )
    assert "Attributes" not in response


def test_return_values_updated_new(ddb: Any, table_s: str, put: Any) -> None:
    key = put(a={"N": "1"}, b={"S": "dog"})
    response = update(
        ddb,
        table_s,
        key,
        "SET a = a + :one, c = :w REMOVE b",
        {":one": {"N": "1"}, ":w": {"S": "new"}},
        ReturnValues="UPDATED_NEW",
    )
    assert response["Attributes"] == {"a": {"N": "2"}, "c": {"S": "new"}}
    response = update(ddb, table_s, key, "REMOVE c", ReturnValues="UPDATED_NEW")
    assert "Attributes" not in response
    key2 = fresh()
    response = update(
        ddb, table_s, key2, "SET a = :v", {":v": {"N": "1"}}, ReturnValues="UPDATED_NEW"
    )
    assert response["Attributes"] == {"a": {"N": "1"}}  # never the key attributes


def test_return_values_of_nested_updates(ddb: Any, table_s: str, put: Any) -> None:
    key = put(
        a={"M": {"b": {"S": "dog"}, "c": {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}]}}},
        d={"S": "cat"},
    )
    response = update(
        ddb, table_s, key, "SET a.b = :v", {":v": {"S": "hi"}}, ReturnValues="UPDATED_OLD"
    )
    assert response["Attributes"] == {"a": {"M": {"b": {"S": "dog"}}}}
    response = update(
        ddb, table_s, key, "SET a.c[1] = :v", {":v": {"N": "7"}}, ReturnValues="UPDATED_OLD"
    )
    assert response["Attributes"] == {"a": {"M": {"c": {"L": [{"N": "2"}]}}}}
    response = update(
        ddb,
        table_s,
        key,
        "SET a.c[1] = :v, a.b = :w",
        {":v": {"N": "8"}, ":w": {"S": "yo"}},
        ReturnValues="UPDATED_NEW",
    )
    assert response["Attributes"] == {"a": {"M": {"b": {"S": "yo"}, "c": {"L": [{"N": "8"}]}}}}
    response = update(
        ddb, table_s, key, "SET a.x = :v", {":v": {"N": "8"}}, ReturnValues="UPDATED_OLD"
    )
    assert "Attributes" not in response
    response = update(
        ddb, table_s, key, "SET a.y = :v", {":v": {"N": "9"}}, ReturnValues="UPDATED_NEW"
    )
    assert response["Attributes"] == {"a": {"M": {"y": {"N": "9"}}}}
    response = update(ddb, table_s, key, "REMOVE a.c[0], a.c[5]", ReturnValues="UPDATED_OLD")
    assert response["Attributes"] == {"a": {"M": {"c": {"L": [{"N": "1"}]}}}}
    response = update(
        ddb, table_s, key, "SET a.b = :v", {":v": {"S": "all"}}, ReturnValues="ALL_NEW"
    )
    assert response["Attributes"] == {
        **key,
        "a": {
            "M": {
                "b": {"S": "all"},
                "c": {"L": [{"N": "8"}, {"N": "3"}]},
                "x": {"N": "8"},
                "y": {"N": "9"},
            }
        },
        "d": {"S": "cat"},
    }


def test_updated_new_of_element_set_past_the_end_is_empty(ddb: Any, table_s: str, put: Any) -> None:
    """Setting l[100] appends at the end, so nothing is at l[100] afterwards to return."""
    key = put(l={"L": [{"N": "1"}]})
    response = update(
        ddb, table_s, key, "SET l[100] = :v", {":v": {"N": "2"}}, ReturnValues="UPDATED_NEW"
    )
    assert "Attributes" not in response


def test_updated_new_after_removing_a_list_element(ddb: Any, table_s: str, put: Any) -> None:
    """REMOVE l[1] shifts the next element into l[1], and UPDATED_NEW returns it."""
    key = put(l={"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}]})
    response = update(ddb, table_s, key, "REMOVE l[1]", ReturnValues="UPDATED_NEW")
    assert response["Attributes"] == {"l": {"L": [{"N": "3"}]}}


def test_updated_new_of_add_and_delete(ddb: Any, table_s: str, put: Any) -> None:
    key = put(n={"N": "1"}, s={"SS": ["a", "b"]})
    response = update(
        ddb,
        table_s,
        key,
        "ADD n :one DELETE s :a",
        {":one": {"N": "1"}, ":a": {"SS": ["a"]}},
        ReturnValues="UPDATED_NEW",
    )
    assert response["Attributes"] == {"n": {"N": "2"}, "s": {"SS": ["b"]}}


# dynalite test/updateItem.js: with b a string, c a map, d a list and y missing, every one of
# these paths leads through something that is not a container of the right kind
BAD_PATHS = [
    f"{action} {path}"
    for action in ("set", "remove", "delete", "add")
    for path in ("b.a", "b[1]", "y.a", "y[1]", "c[1]", "d.#1")
]


@pytest.mark.parametrize("clause", BAD_PATHS)
def test_every_action_through_a_wrong_parent(
    ddb: Any, table_s: str, put: Any, read: Any, clause: str
) -> None:
    stored = {"b": {"S": "x"}, "c": {"M": {"1": {"S": "a"}}}, "d": {"L": [{"S": "a"}, {"S": "b"}]}}
    key = put(**stored)
    action = clause.split()[0]
    expression = f"{clause} = :a" if action == "set" else clause
    if action in ("delete", "add"):
        expression += " :a"
    values = {":a": {"SS": ["a"]}} if ":a" in expression else None
    names = {"#1": "1"} if "#1" in expression else None
    assert update_error(ddb, table_s, key, expression, values, names) == BAD_PATH
    assert read(key) == {**key, **stored}
