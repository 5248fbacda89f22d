"""ExecuteStatement: SELECT, INSERT, UPDATE, DELETE and what each answers.

Sources: the AWS developer guide ("PartiQL select / insert / update / delete statements for
DynamoDB", "PartiQL functions", "PartiQL operators") and API reference (ExecuteStatement);
behaviour recorded against real DynamoDB by the conformance suites [paritysuite]
(paritysuite/dynamodb-conformance tests/tier2/partiql/*.test.ts: grammar, whereFunctions,
setFunctions, fromFirstUpdate, writeResponses, comparison) and [ketlark]
(Ketlark/dynamodb-conformance tests/tier2/partiql/executeStatement.test.ts).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]


def make(ddb: Any, keys: list[tuple[str, str, str]]) -> str:
    name = unique_name("pq")
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": n, "KeyType": k} for n, _, k in keys],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t, _ in keys],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


@pytest.fixture(scope="module")
def hash_table(ddb: Any) -> Iterator[str]:
    """A table with the string partition key ``pk``."""
    name = make(ddb, [("pk", "S", "HASH")])
    yield name
    ddb.delete_table(TableName=name)


@pytest.fixture(scope="module")
def sorted_table(ddb: Any) -> Iterator[str]:
    """A table with the string partition key ``pk`` and the number sort key ``sk``."""
    name = make(ddb, [("pk", "S", "HASH"), ("sk", "N", "RANGE")])
    yield name
    ddb.delete_table(TableName=name)


def run(ddb: Any, statement: str, *parameters: Item, **extra: Any) -> dict[str, Any]:
    if parameters:
        extra["Parameters"] = list(parameters)
    response = ddb.execute_statement(Statement=statement, **extra)
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def refusal(ddb: Any, statement: str, *parameters: Item, **extra: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        run(ddb, statement, *parameters, **extra)
    return error_of(excinfo)


def stored(ddb: Any, table: str, key: Item) -> Item | None:
    item: Item | None = ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")
    return item


# --- INSERT


def test_insert_writes_the_item_and_answers_no_items(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    statement = (
        f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{pk}', 'n': 1.50, 'flag': TRUE, "
        "'nothing': NULL, 'l': [1, 'two'], 'm': {'x': 'y'}, 'ss': <<'a', 'b'>>, 'ns': <<3, 1>>}"
    )
    assert run(ddb, statement) == {"Items": []}
    assert stored(ddb, hash_table, {"pk": {"S": pk}}) == {
        "pk": {"S": pk},
        "n": {"N": "1.5"},
        "flag": {"BOOL": True},
        "nothing": {"NULL": True},
        "l": {"L": [{"N": "1"}, {"S": "two"}]},
        "m": {"M": {"x": {"S": "y"}}},
        "ss": {"SS": ["a", "b"]},
        "ns": {"NS": ["3", "1"]},
    }


def test_insert_with_parameters(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    run(
        ddb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': ?, 'data': ?}}", {"S": pk}, {"B": b"\1\2"}
    )
    assert stored(ddb, hash_table, {"pk": {"S": pk}}) == {"pk": {"S": pk}, "data": {"B": b"\1\2"}}


def test_insert_of_an_existing_item_is_a_duplicate(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    run(ddb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{pk}', 'v': 'first'}}")
    assert refusal(ddb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{pk}', 'v': 'second'}}") == (
        "DuplicateItemException",
        "Duplicate primary key exists in table",
    )
    assert stored(ddb, hash_table, {"pk": {"S": pk}}) == {"pk": {"S": pk}, "v": {"S": "first"}}


def test_insert_after_delete_succeeds(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    run(ddb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{pk}'}}")
    run(ddb, f"DELETE FROM \"{hash_table}\" WHERE pk = '{pk}'")
    run(ddb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{pk}', 'again': TRUE}}")
    assert stored(ddb, hash_table, {"pk": {"S": pk}}) == {"pk": {"S": pk}, "again": {"BOOL": True}}


def test_number_literals_with_exponents(ddb: Any, hash_table: str) -> None:
    # [paritysuite] grammar.test.ts: exponents, and numbers without a leading digit
    pk = new_key()
    run(ddb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{pk}', 'a': 7.31e6, 'b': .7325e1}}")
    item = stored(ddb, hash_table, {"pk": {"S": pk}})
    assert item is not None
    assert (item["a"], item["b"]) == ({"N": "7310000"}, {"N": "7.325"})
    for literal in ("7.31E6", "7.31e+6", "731e4", "73100000e-1"):
        found = run(ddb, f"SELECT pk FROM \"{hash_table}\" WHERE pk = '{pk}' AND a = {literal}")
        assert found == {"Items": [{"pk": {"S": pk}}]}, literal


# --- SELECT


def test_select_by_key(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    item = {"pk": {"S": pk}, "data": {"S": "x"}}
    ddb.put_item(TableName=hash_table, Item=item)
    assert run(ddb, f"SELECT * FROM \"{hash_table}\" WHERE pk = '{pk}'") == {"Items": [item]}
    assert run(ddb, f'SELECT * FROM "{hash_table}" WHERE pk = ?', {"S": pk}) == {"Items": [item]}


def test_select_without_match_answers_an_empty_list(ddb: Any, hash_table: str) -> None:
    assert run(ddb, f"SELECT * FROM \"{hash_table}\" WHERE pk = '{new_key()}'") == {"Items": []}


def test_bare_table_name_and_keywords_in_any_case(ddb: Any, sorted_table: str) -> None:
    pk = new_key()
    ddb.put_item(TableName=sorted_table, Item={"pk": {"S": pk}, "sk": {"N": "1"}})
    statement = f"select pk from \"{sorted_table}\" where pk = '{pk}' and sk = 1"
    assert run(ddb, statement) == {"Items": [{"pk": {"S": pk}}]}


def test_projection_flattens_paths(ddb: Any, hash_table: str) -> None:
    # [ketlark] executeStatement.test.ts: SELECT mymap.nested answers {"nested": ...}
    pk = new_key()
    ddb.put_item(
        TableName=hash_table,
        Item={
            "pk": {"S": pk},
            "m": {"M": {"nested": {"S": "deep"}, "l": {"L": [{"S": "a"}, {"S": "b"}]}}},
            "extra": {"S": "e"},
        },
    )
    found = run(ddb, f"SELECT m.nested, m.l[1], pk, absent FROM \"{hash_table}\" WHERE pk = '{pk}'")
    assert found == {"Items": [{"nested": {"S": "deep"}, "l[1]": {"S": "b"}, "pk": {"S": pk}}]}


def test_select_with_comparison_filter(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "age": {"N": "30"}})
    assert (
        len(run(ddb, f"SELECT * FROM \"{hash_table}\" WHERE pk = '{pk}' AND age > 20")["Items"])
        == 1
    )
    assert run(ddb, f"SELECT * FROM \"{hash_table}\" WHERE pk = '{pk}' AND age > 40") == {
        "Items": []
    }


def test_select_without_key_scans_the_table(ddb: Any) -> None:
    table = make(ddb, [("pk", "S", "HASH")])
    try:
        for i in range(5):
            ddb.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}, "n": {"N": str(i)}})
        everything = run(ddb, f'SELECT pk FROM "{table}"')["Items"]
        assert sorted(i["pk"]["S"] for i in everything) == ["k0", "k1", "k2", "k3", "k4"]
        some = run(ddb, f'SELECT pk FROM "{table}" WHERE n >= 3')["Items"]
        assert sorted(i["pk"]["S"] for i in some) == ["k3", "k4"]
    finally:
        ddb.delete_table(TableName=table)


def test_select_in_and_or_of_partition_keys(ddb: Any, hash_table: str) -> None:
    a, b = new_key(), new_key()
    for pk in (a, b):
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": pk}})
    for where in (f"pk IN ['{a}', '{b}', 'none']", f"pk = '{a}' OR pk = '{b}'"):
        found = run(ddb, f'SELECT pk FROM "{hash_table}" WHERE {where}')["Items"]
        assert sorted(i["pk"]["S"] for i in found) == sorted([a, b]), where


def test_sort_key_conditions_and_order_by(ddb: Any, sorted_table: str) -> None:
    pk = new_key()
    for sk in range(1, 6):
        ddb.put_item(TableName=sorted_table, Item={"pk": {"S": pk}, "sk": {"N": str(sk)}})

    def sort_keys(where: str) -> list[str]:
        found = run(ddb, f"SELECT sk FROM \"{sorted_table}\" WHERE pk = '{pk}' {where}")
        return [i["sk"]["N"] for i in found["Items"]]

    assert sort_keys("") == ["1", "2", "3", "4", "5"]
    assert sort_keys("AND sk > 3") == ["4", "5"]
    assert sort_keys("AND sk BETWEEN 2 AND 3") == ["2", "3"]
    assert sort_keys("AND 4 <= sk") == ["4", "5"]
    assert sort_keys("AND sk IN [1, 5]") == ["1", "5"]
    # [paritysuite] grammar.test.ts: ORDER BY the sort key
    assert sort_keys("ORDER BY sk DESC") == ["5", "4", "3", "2", "1"]
    assert sort_keys("ORDER BY sk ASC") == ["1", "2", "3", "4", "5"]


def test_or_branches_with_negated_sort_key(ddb: Any, sorted_table: str) -> None:
    # [paritysuite] whereOverlap.test.ts: the union of what each branch selects
    pk = new_key()
    for sk in (1, 2, 3):
        ddb.put_item(TableName=sorted_table, Item={"pk": {"S": pk}, "sk": {"N": str(sk)}})
    cases = [
        (f"pk = '{pk}' AND NOT sk = 1", ["2", "3"]),
        (f"pk = '{pk}' AND sk <> 1", ["2", "3"]),
        (f"pk = '{pk}' AND NOT sk IN [1, 3]", ["2"]),
        (f"pk = '{pk}' AND NOT sk > 5", ["1", "2", "3"]),
    ]
    for left, expected in cases:
        where = f"{left} OR pk = '{pk}' AND sk = 2"
        found = run(ddb, f'SELECT sk FROM "{sorted_table}" WHERE {where}', ConsistentRead=True)
        assert sorted(i["sk"]["N"] for i in found["Items"]) == expected, left


def test_begins_with_on_the_sort_key(ddb: Any) -> None:
    table = make(ddb, [("pk", "S", "HASH"), ("sk", "S", "RANGE")])
    try:
        for sk in ("prefix-alpha", "prefix-beta", "other"):
            ddb.put_item(TableName=table, Item={"pk": {"S": "p"}, "sk": {"S": sk}})
        statement = f"SELECT sk FROM \"{table}\" WHERE pk = 'p' AND begins_with(\"sk\", 'prefix-')"
        found = run(ddb, statement)["Items"]
        assert sorted(i["sk"]["S"] for i in found) == ["prefix-alpha", "prefix-beta"]
    finally:
        ddb.delete_table(TableName=table)


def test_comments_are_whitespace(ddb: Any, hash_table: str) -> None:
    # [paritysuite] grammar.test.ts
    pk = new_key()
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": pk}})
    for statement in (
        f"SELECT pk FROM \"{hash_table}\" WHERE pk = '{pk}' -- a note",
        f"SELECT pk FROM \"{hash_table}\" -- a note\nWHERE pk = '{pk}'",
        f"-- a note\nSELECT pk FROM \"{hash_table}\" WHERE pk = '{pk}'",
        f"SELECT pk FROM \"{hash_table}\" /* a note */ WHERE pk = '{pk}'",
        f"SELECT pk FROM \"{hash_table}\" WHERE pk = '{pk}' /* a note */",
    ):
        assert run(ddb, statement) == {"Items": [{"pk": {"S": pk}}]}, statement


def test_where_functions_and_is(ddb: Any, hash_table: str) -> None:
    # [paritysuite] whereFunctions.test.ts
    pk = new_key()
    ddb.put_item(
        TableName=hash_table,
        Item={
            "pk": {"S": pk},
            "ss": {"SS": ["a", "b", "c"]},
            "s": {"S": "str"},
            "m": {"M": {"sub": {"S": "x"}}},
            "nul": {"NULL": True},
            "flag": {"BOOL": True},
        },
    )

    def holds(condition: str) -> bool:
        statement = f"SELECT pk FROM \"{hash_table}\" WHERE pk = '{pk}' AND {condition}"
        return bool(run(ddb, statement, ConsistentRead=True)["Items"])

    truths = {
        "attribute_exists(ss)": True,
        "attribute_exists(nope)": False,
        "attribute_not_exists(nope)": True,
        "attribute_not_exists(ss)": False,
        "NOT attribute_exists(nope)": True,
        "ATTRIBUTE_EXISTS(ss)": True,
        "(attribute_exists(nope) OR attribute_exists(ss))": True,
        "attribute_exists(ss) = true": True,
        'attribute_exists("ss")': True,
        "attribute_exists(m.sub)": True,
        "attribute_exists(m.nope)": False,
        "size(s) = 3": True,
        "size(s) = 4": False,
        "attribute_type(ss, 'SS')": True,
        "attribute_type(ss, 'S')": False,
        "nul IS NULL": True,
        "s IS NULL": False,
        "s IS NOT NULL": True,
        "nul IS NOT NULL": False,
        "flag IS BOOL": True,
        "s IS STRING": True,
        "s IS BOOL": False,
        "s IS NOT MISSING": True,
        "nope IS MISSING": True,
        "contains(s, 'tr')": True,
        "begins_with(s, 'x')": False,
        "NOT begins_with(s, 'x')": True,
        "s IN ['str', 'other']": True,
        "s BETWEEN 'a' AND 'z'": True,
    }
    for condition, expected in truths.items():
        assert holds(condition) == expected, condition


def test_non_scalar_equality(ddb: Any, hash_table: str) -> None:
    # [paritysuite] comparison.test.ts: sets compare unordered, lists ordered, maps by content
    pk = new_key()
    ddb.put_item(
        TableName=hash_table,
        Item={
            "pk": {"S": pk},
            "ss": {"SS": ["a", "b", "c"]},
            "l": {"L": [{"S": "a"}, {"S": "b"}]},
            "m": {"M": {"x": {"N": "1"}, "y": {"N": "2"}}},
        },
    )

    def matches(condition: str, value: Item) -> bool:
        statement = f'SELECT pk FROM "{hash_table}" WHERE pk = ? AND {condition}'
        return bool(run(ddb, statement, {"S": pk}, value)["Items"])

    assert matches("ss = ?", {"SS": ["c", "a", "b"]})
    assert not matches("l = ?", {"L": [{"S": "b"}, {"S": "a"}]})
    assert matches("m = ?", {"M": {"y": {"N": "2"}, "x": {"N": "1"}}})
    assert matches("m <> ?", {"M": {"x": {"N": "1"}}})


# --- UPDATE


def test_update_set_and_remove(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    ddb.put_item(
        TableName=hash_table,
        Item={"pk": {"S": pk}, "n": {"N": "1"}, "gone": {"S": "x"}, "l": {"L": [{"N": "1"}]}},
    )
    response = run(
        ddb,
        f"UPDATE \"{hash_table}\" SET n = n + 2, s = 'new' SET l = list_append(l, [2]) "
        f"REMOVE gone WHERE pk = '{pk}'",
    )
    assert response == {"Items": []}
    assert stored(ddb, hash_table, {"pk": {"S": pk}}) == {
        "pk": {"S": pk},
        "n": {"N": "3"},
        "s": {"S": "new"},
        "l": {"L": [{"N": "1"}, {"N": "2"}]},
    }


def test_update_of_a_missing_item_fails_its_condition(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    for returning in ("", " RETURNING ALL OLD *"):
        statement = f"UPDATE \"{hash_table}\" SET a = 1 WHERE pk = '{pk}'{returning}"
        assert refusal(ddb, statement) == (
            "ConditionalCheckFailedException",
            "The conditional request failed",
        )
    assert stored(ddb, hash_table, {"pk": {"S": pk}}) is None


def test_update_condition_in_where(ddb: Any, hash_table: str) -> None:
    # [ketlark] a non-key predicate of an UPDATE is a condition on the write
    pk = new_key()
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "name": {"S": "alpha"}})
    assert refusal(
        ddb, f"UPDATE \"{hash_table}\" SET n = 9 WHERE pk = '{pk}' AND \"name\" = 'beta'"
    ) == ("ConditionalCheckFailedException", "The conditional request failed")
    run(ddb, f"UPDATE \"{hash_table}\" SET n = 9 WHERE pk = '{pk}' AND \"name\" = 'alpha'")
    assert stored(ddb, hash_table, {"pk": {"S": pk}}) == {
        "pk": {"S": pk},
        "name": {"S": "alpha"},
        "n": {"N": "9"},
    }


def test_condition_failure_returns_the_item_when_asked(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    item = {"pk": {"S": pk}, "v": {"N": "1"}}
    ddb.put_item(TableName=hash_table, Item=item)
    with pytest.raises(ClientError) as excinfo:
        run(
            ddb,
            f"UPDATE \"{hash_table}\" SET v = 2 WHERE pk = '{pk}' AND v = 5",
            ReturnValuesOnConditionCheckFailure="ALL_OLD",
        )
    assert excinfo.value.response["Item"] == item


@pytest.mark.parametrize(
    ("returning", "expected"),
    [
        ("ALL OLD", {"pk": "PK", "data": {"S": "old"}, "keep": {"S": "same"}}),
        ("ALL NEW", {"pk": "PK", "data": {"S": "new"}, "keep": {"S": "same"}}),
        ("MODIFIED OLD", {"data": {"S": "old"}}),
        ("MODIFIED NEW", {"data": {"S": "new"}}),
    ],
)
def test_update_returning(
    ddb: Any, hash_table: str, returning: str, expected: dict[str, Any]
) -> None:
    pk = new_key()
    ddb.put_item(
        TableName=hash_table,
        Item={"pk": {"S": pk}, "data": {"S": "old"}, "keep": {"S": "same"}},
    )
    statement = (
        f"UPDATE \"{hash_table}\" SET data = 'new' WHERE pk = '{pk}' RETURNING {returning} *"
    )
    if "pk" in expected:
        expected = {**expected, "pk": {"S": pk}}
    assert run(ddb, statement) == {"Items": [expected]}


def test_set_add_and_set_delete(ddb: Any, hash_table: str) -> None:
    # [paritysuite] setFunctions.test.ts
    pk = new_key()
    ddb.put_item(
        TableName=hash_table,
        Item={"pk": {"S": pk}, "ss": {"SS": ["a", "b", "c"]}, "ns": {"NS": ["1", "2", "3"]}},
    )
    table = hash_table
    run(ddb, f"UPDATE \"{table}\" SET ss = set_add(ss, <<'0', 'z'>>) WHERE pk = '{pk}'")
    run(
        ddb,
        f'UPDATE "{table}" SET ns = SET_ADD(ns, <<4, 1>>) SET new = set_add(new, ?) '
        f"WHERE pk = '{pk}'",
        {"SS": ["x"]},
    )
    run(ddb, f"UPDATE \"{table}\" SET ss = set_delete(ss, <<'a', 'zz'>>) WHERE pk = '{pk}'")
    item = stored(ddb, table, {"pk": {"S": pk}})
    assert item is not None
    assert sorted(item["ss"]["SS"]) == ["0", "b", "c", "z"]
    assert sorted(item["ns"]["NS"], key=int) == ["1", "2", "3", "4"]
    assert item["new"] == {"SS": ["x"]}
    run(ddb, f"UPDATE \"{table}\" SET new = set_delete(new, <<'x'>>) WHERE pk = '{pk}'")
    assert "new" not in (stored(ddb, table, {"pk": {"S": pk}}) or {})


def test_from_first_update(ddb: Any, hash_table: str) -> None:
    # [paritysuite] fromFirstUpdate.test.ts
    pk = new_key()
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "a": {"N": "1"}, "b": {"S": "bee"}})
    run(ddb, f"FROM \"{hash_table}\" WHERE pk = '{pk}' SET c = 2 REMOVE a")
    found = run(ddb, f'from "{hash_table}" where pk = ? set d = 3 RETURNING ALL NEW *', {"S": pk})
    assert found == {
        "Items": [{"pk": {"S": pk}, "b": {"S": "bee"}, "c": {"N": "2"}, "d": {"N": "3"}}]
    }
    assert refusal(ddb, f"FROM \"{hash_table}\" WHERE pk = '{pk}' AND c = 5 SET e = 1") == (
        "ConditionalCheckFailedException",
        "The conditional request failed",
    )


# --- DELETE


def test_delete(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    item = {"pk": {"S": pk}, "name": {"S": "gone"}}
    ddb.put_item(TableName=hash_table, Item=item)
    assert run(ddb, f"DELETE FROM \"{hash_table}\" WHERE pk = '{pk}'") == {"Items": []}
    assert stored(ddb, hash_table, {"pk": {"S": pk}}) is None
    # [paritysuite] writeResponses.test.ts: deleting nothing answers the same
    assert run(ddb, f"DELETE FROM \"{hash_table}\" WHERE pk = '{pk}'") == {"Items": []}


def test_delete_returning_all_old(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    item = {"pk": {"S": pk}, "name": {"S": "gone"}}
    ddb.put_item(TableName=hash_table, Item=item)
    statement = f"DELETE FROM \"{hash_table}\" WHERE pk = '{pk}' RETURNING ALL OLD *"
    assert run(ddb, statement) == {"Items": [item]}
    assert run(ddb, statement) == {"Items": []}


def test_delete_condition_in_where(ddb: Any, hash_table: str) -> None:
    # [ketlark]: a false predicate keeps the item; a missing item is deleted silently
    pk = new_key()
    ddb.put_item(TableName=hash_table, Item={"pk": {"S": pk}, "name": {"S": "alpha"}})
    assert refusal(
        ddb, f"DELETE FROM \"{hash_table}\" WHERE pk = '{pk}' AND NOT begins_with(\"name\", 'al')"
    ) == (
        "ConditionalCheckFailedException",
        "The conditional request failed",
    )
    assert stored(ddb, hash_table, {"pk": {"S": pk}}) is not None
    run(ddb, f"DELETE FROM \"{hash_table}\" WHERE pk = '{pk}' AND \"name\" = 'alpha'")
    assert stored(ddb, hash_table, {"pk": {"S": pk}}) is None
    run(ddb, f"DELETE FROM \"{hash_table}\" WHERE pk = '{pk}' AND \"name\" = 'x'")


# --- paging, capacity


def test_limit_and_next_token(ddb: Any, sorted_table: str) -> None:
    pk = new_key()
    for sk in range(5):
        ddb.put_item(TableName=sorted_table, Item={"pk": {"S": pk}, "sk": {"N": str(sk)}})
    statement = f"SELECT sk FROM \"{sorted_table}\" WHERE pk = '{pk}'"
    seen: list[str] = []
    token = None
    pages = 0
    while True:
        extra = {"NextToken": token} if token else {}
        page = run(ddb, statement, Limit=2, **extra)
        seen += [i["sk"]["N"] for i in page["Items"]]
        pages += 1
        token = page.get("NextToken")
        if token is None:
            break
    assert seen == ["0", "1", "2", "3", "4"]
    assert pages == 3


def test_limit_counts_items_read_before_the_filter(ddb: Any, sorted_table: str) -> None:
    pk = new_key()
    for sk in range(4):
        ddb.put_item(
            TableName=sorted_table,
            Item={"pk": {"S": pk}, "sk": {"N": str(sk)}, "odd": {"BOOL": sk % 2 == 1}},
        )
    page = run(ddb, f"SELECT sk FROM \"{sorted_table}\" WHERE pk = '{pk}' AND odd = true", Limit=2)
    assert page["Items"] == [{"sk": {"N": "1"}}]
    assert "NextToken" in page


def test_consumed_capacity(ddb: Any, hash_table: str) -> None:
    pk = new_key()
    written = run(
        ddb, f"INSERT INTO \"{hash_table}\" VALUE {{'pk': '{pk}'}}", ReturnConsumedCapacity="TOTAL"
    )
    assert written == {
        "Items": [],
        "ConsumedCapacity": {"TableName": hash_table, "CapacityUnits": 1.0},
    }
    read = run(
        ddb,
        f"SELECT * FROM \"{hash_table}\" WHERE pk = '{pk}'",
        ReturnConsumedCapacity="INDEXES",
        ConsistentRead=True,
    )
    assert read["ConsumedCapacity"] == {
        "TableName": hash_table,
        "CapacityUnits": 1.0,
        "Table": {"CapacityUnits": 1.0},
    }


@pytest.mark.gureum_own
def test_next_token_of_another_statement_is_refused(ddb: Any, sorted_table: str) -> None:
    pk = new_key()
    for sk in range(3):
        ddb.put_item(TableName=sorted_table, Item={"pk": {"S": pk}, "sk": {"N": str(sk)}})
    page = run(ddb, f"SELECT * FROM \"{sorted_table}\" WHERE pk = '{pk}'", Limit=1)
    other = f"SELECT sk FROM \"{sorted_table}\" WHERE pk = '{pk}'"
    # [gureum] DynamoDB Local's texts; the wording of the service is not on record
    assert refusal(ddb, other, NextToken=page["NextToken"]) == (
        "ValidationException",
        "NextToken does not match request",
    )
    assert refusal(ddb, other, NextToken="bm90IGEgdG9rZW4=") == (
        "ValidationException",
        "Invalid NextToken",
    )


# --- secondary indexes


def test_select_through_indexes(ddb: Any) -> None:
    # [paritysuite] executeStatementIndex.test.ts
    name = unique_name("pqi")
    ddb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": n, "AttributeType": "S"} for n in ("pk", "sk", "g", "l")
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "gsi2",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            },
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi1",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    try:
        item = {
            "pk": {"S": "p"},
            "sk": {"S": "s1"},
            "g": {"S": "ga"},
            "l": {"S": "lb"},
            "data": {"S": "one"},
        }
        ddb.put_item(TableName=name, Item=item)
        by_index_key = run(ddb, f'SELECT * FROM "{name}"."gsi1" WHERE g = \'ga\'')
        assert by_index_key == {"Items": [item]}
        scanned = run(ddb, f'SELECT sk FROM "{name}"."gsi1" WHERE pk = \'p\'')
        assert scanned == {"Items": [{"sk": {"S": "s1"}}]}
        local = f"SELECT data FROM \"{name}\".\"lsi1\" WHERE pk = 'p' AND l = 'lb'"
        assert run(ddb, local, ConsistentRead=True) == {"Items": [{"data": {"S": "one"}}]}
        statement = f'SELECT alternate, mymap FROM "{name}"."gsi2" WHERE g = \'ga\''
        assert refusal(ddb, statement) == (
            "ValidationException",
            "One or more parameter values were invalid: Global secondary index gsi2 does not "
            "project [alternate, mymap]",
        )
    finally:
        ddb.delete_table(TableName=name)


def test_paging_across_partitions(ddb: Any, hash_table: str) -> None:
    keys = sorted(new_key() for _ in range(3))
    for pk in keys:
        ddb.put_item(TableName=hash_table, Item={"pk": {"S": pk}})
    listed = ", ".join(f"'{pk}'" for pk in keys)
    statement = f'SELECT pk FROM "{hash_table}" WHERE pk IN [{listed}]'
    seen: list[str] = []
    token = None
    for _ in range(3):
        page = run(ddb, statement, Limit=1, **({"NextToken": token} if token else {}))
        seen += [i["pk"]["S"] for i in page["Items"]]
        token = page.get("NextToken")
    assert seen == keys
    assert token is None


@pytest.mark.gureum_own
def test_too_deeply_nested_statement(ddb: Any, hash_table: str) -> None:
    # [gureum] a bound of gureum's parser (50 levels), refused as a statement it cannot read
    statement = f'SELECT * FROM "{hash_table}" WHERE a = {"[" * 60}1{"]" * 60}'
    assert refusal(ddb, statement) == (
        "ValidationException",
        "Statement wasn't well formed, can't be processed: ",
    )
