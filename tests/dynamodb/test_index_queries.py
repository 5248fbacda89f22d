"""Query through global and local secondary indexes: what each projection returns, the Select
rules, ProjectionExpression and FilterExpression against what an index holds, LSI fetches from
the table, ConsistentRead, key conditions on index attributes, ordering, paging with keys that
carry the table key and the index key, ExclusiveStartKey checks, and consumed capacity.

Sources: [gsi-doc] Developer Guide "Using Global Secondary Indexes in DynamoDB" (projections;
a GSI query cannot fetch from the table; index key values need not be unique and ties come
back in no particular order; read units from the sizes of the index entries); [lsi-doc]
"Local secondary indexes" (strongly consistent reads allowed; unprojected attributes fetched
from the table, each fetched item charged whole, rounded up to 4 KB); [api] API Reference
Query (ALL_PROJECTED_ATTRIBUTES is the default Select of an index query); [cli] aws-cli
examples/dynamodb/query.rst "To query an index" (the ConsumedCapacity of an index query,
"Table": {"CapacityUnits": 0.0} included); [dynalite] test/query.js (recorded against
DynamoDB); [alternator] test_gsi.py, test_lsi.py (run against DynamoDB too); [ddb-local]
DynamoDB Local's QueryFunction and ConsumedCapacityUtils (decompiled copies in public
repositories); [reports] localstack#478 ("Global secondary index my_index does not project
[table_column]"), mapbox/dyno#23 and localstack#805 (the Select ALL_ATTRIBUTES text), an
AppSync report ("Secondary index bySkill does not project one or more filter attributes:
[owner]"), praetorian-inc/chariot-ui#353 (a Query with an empty index key value).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import TableFactory, error_of, new_key, unique_name

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]

GSI_ALL = "by-g-n"  # g (S) / n (N), ALL
GSI_KEYS = "by-g"  # g, KEYS_ONLY
GSI_INCLUDE = "by-g-a"  # g, INCLUDE a
LSI = "by-l"  # p / l (N), INCLUDE a
INVALID = "One or more parameter values were invalid: "
START_INVALID = "The provided starting key is invalid"
X = {":g": {"S": "x"}}
NOT_SCHEMA = "The provided key element does not match the schema"


def index(name: str, *keys: str, projection: dict[str, Any] | None = None) -> dict[str, Any]:
    kinds = ("HASH", "RANGE")[: len(keys)]
    return {
        "IndexName": name,
        "KeySchema": [{"AttributeName": k, "KeyType": t} for k, t in zip(keys, kinds, strict=True)],
        "Projection": projection or {"ProjectionType": "ALL"},
    }


INCLUDE_A = {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]}


@pytest.fixture
def table(make_table: TableFactory) -> str:
    """``p`` (S) / ``c`` (S) with the three global indexes and the local index above."""
    return make_table(
        "p:S",
        "c:S",
        ExtraAttributes=["g:S", "n:N", "l:N"],
        GlobalSecondaryIndexes=[
            index(GSI_ALL, "g", "n"),
            index(GSI_KEYS, "g", projection={"ProjectionType": "KEYS_ONLY"}),
            index(GSI_INCLUDE, "g", projection=INCLUDE_A),
        ],
        LocalSecondaryIndexes=[index(LSI, "p", "l", projection=INCLUDE_A)],
    )


N_ORDER = [1, 3, 0, 4, 2]  # the items by n (10, 20, 30, 40, 50)
L_ORDER = [1, 3, 4, 2, 0]  # the items by l (1, 2, 3, 4, 5)


def fill(ddb: Any, table: str) -> list[Item]:
    """Five items of one partition ``p`` sharing one ``g``, with distinct n and l."""
    p, g = new_key(), new_key()
    items = [
        {"p": {"S": p}, "c": {"S": f"c{i}"}, "g": {"S": g}, "n": {"N": str(n)}}
        | {"l": {"N": str(lv)}, "a": {"S": f"a{i}"}, "b": {"S": f"b{i}"}}
        for i, (n, lv) in enumerate([(30, 5), (10, 1), (50, 4), (20, 2), (40, 3)])
    ]
    for item in items:
        ddb.put_item(TableName=table, Item=item)
    return items


def body(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def query(
    ddb: Any,
    table: str,
    name: str,
    items: list[Item],
    condition: str | None = None,
    values: Item | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Query index ``name``; by default for the ``g`` (global) or ``p`` (local) of ``items``."""
    if condition is None:
        key = "p" if name == LSI else "g"
        condition = f"{key} = :k"
        values = {":k": items[0][key], **(values or {})}
    params: dict[str, Any] = {"TableName": table, "IndexName": name}
    params["KeyConditionExpression"] = condition
    if values:
        params["ExpressionAttributeValues"] = values
    return body(ddb.query(**params, **extra))


def refused(ddb: Any, table: str, name: str, items: list[Item], *args: Any, **extra: Any) -> Any:
    """(code, message) of a query that must fail."""
    with pytest.raises(ClientError) as excinfo:
        query(ddb, table, name, items, *args, **extra)
    return error_of(excinfo)


def pick(item: Item, *names: str) -> Item:
    return {n: item[n] for n in names if n in item}


def by_key(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i["p"]["S"], i["c"]["S"]))


# --- projections and Select


def test_all_projection_returns_whole_items_in_index_key_order(ddb: Any, table: str) -> None:
    items = fill(ddb, table)
    expected = [items[i] for i in N_ORDER]
    assert query(ddb, table, GSI_ALL, items) == {"Items": expected, "Count": 5, "ScannedCount": 5}
    # Select ALL_ATTRIBUTES is allowed on an ALL index [alternator test_gsi_query_select_1]
    assert query(ddb, table, GSI_ALL, items, Select="ALL_ATTRIBUTES")["Items"] == expected


@pytest.mark.parametrize(
    ("name", "names"),
    [(GSI_KEYS, ("p", "c", "g")), (GSI_INCLUDE, ("p", "c", "g", "a")), (LSI, ("p", "c", "l", "a"))],
    ids=["keys-only", "include", "local-include"],
)
@pytest.mark.parametrize("select", [None, "ALL_PROJECTED_ATTRIBUTES"], ids=["default", "explicit"])
def test_projected_attributes_only(
    ddb: Any, table: str, name: str, names: tuple[str, ...], select: str | None
) -> None:
    # [api], [dynalite] "should only return projected attributes by default": the table key,
    # the index key and the listed attributes
    items = fill(ddb, table)
    extra: dict[str, Any] = {} if select is None else {"Select": select}
    got = query(ddb, table, name, items, **extra)
    expected = [pick(i, *names) for i in items]
    if name == LSI:
        assert got["Items"] == [expected[i] for i in L_ORDER]
    else:  # one index key value for all: no particular order [gsi-doc]
        assert by_key(got["Items"]) == by_key(expected)
    assert (got["Count"], got["ScannedCount"]) == (5, 5)


B1 = {":b": {"S": "b1"}}
FILTER_TEXT = f"{INVALID}Secondary index %s does not project one or more filter attributes: [b]"


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        # [dynalite], [reports] mapbox/dyno#23, localstack#805
        *[
            (
                name,
                {"Select": "ALL_ATTRIBUTES"},
                f"{INVALID}Select type ALL_ATTRIBUTES is not supported for global secondary "
                f"index {name} because its projection type is not ALL",
            )
            for name in (GSI_KEYS, GSI_INCLUDE)
        ],
        # [reports] localstack#478; [alternator] test_gsi_query_select_2 ("project")
        *[
            (
                GSI_INCLUDE,
                extra,
                f"{INVALID}Global secondary index {GSI_INCLUDE} does not project [b]",
            )
            for extra in (
                {"ProjectionExpression": "b"},
                {"ProjectionExpression": "#b", "ExpressionAttributeNames": {"#b": "b"}},
            )
        ],
        # [reports] the AppSync report; [ddb-local] validateQueryFilterAndFilterExprOnIndex
        (GSI_KEYS, {"FilterExpression": "b = :b", "values": B1}, FILTER_TEXT % GSI_KEYS),
        # [ddb-local]: the filter check covers every index whose projection is not ALL
        # ("Secondary index", no "Global"); fetches from the table serve Select and
        # ProjectionExpression only [lsi-doc]
        (LSI, {"FilterExpression": "b = :b", "values": B1}, FILTER_TEXT % LSI),
        # [dynalite] "global range key in QueryFilter"; [ddb-local]: the index's keys are the
        # query's primary key
        (
            GSI_ALL,
            {"FilterExpression": "n = :n", "values": {":n": {"N": "10"}}},
            "Filter Expression can only contain non-primary key attributes: Primary key "
            "attribute: n",
        ),
        # [dynalite], [alternator] test_gsi_strong_consistency
        (
            GSI_ALL,
            {"ConsistentRead": True},
            "Consistent reads are not supported on global secondary indexes",
        ),
    ],
    ids=["all-keys", "all-include", "proj", "names", "filter", "filter-lsi", "key", "consistent"],
)
def test_requests_an_index_cannot_serve(
    ddb: Any, table: str, name: str, extra: dict[str, Any], message: str
) -> None:
    items = fill(ddb, table)
    assert refused(ddb, table, name, items, **extra) == ("ValidationException", message)


def test_projection_expression_of_projected_attributes(ddb: Any, table: str) -> None:
    items = fill(ddb, table)
    got = query(ddb, table, GSI_INCLUDE, items, ProjectionExpression="a, p")["Items"]
    assert sorted(got, key=lambda i: i["a"]["S"]) == [pick(i, "a", "p") for i in items]


def test_filter_expression_on_an_index_query(ddb: Any, table: str) -> None:
    items = fill(ddb, table)
    got = query(
        ddb, table, GSI_INCLUDE, items, FilterExpression="a = :a", values={":a": items[3]["a"]}
    )
    assert got == {"Items": [pick(items[3], "p", "c", "g", "a")], "Count": 1, "ScannedCount": 5}
    # the table's own key is an ordinary attribute for a global index [ddb-local]
    got = query(ddb, table, GSI_ALL, items, FilterExpression="c = :c", values={":c": items[2]["c"]})
    assert got == {"Items": [items[2]], "Count": 1, "ScannedCount": 5}


# --- local indexes: fetches from the table and consistent reads


def test_local_index_fetches_unprojected_attributes(ddb: Any, table: str) -> None:
    # [lsi-doc], [alternator] test_lsi_get_not_projected_attribute, [dynalite]
    items = fill(ddb, table)
    ordered = [items[i] for i in L_ORDER]
    assert query(ddb, table, LSI, items, Select="ALL_ATTRIBUTES")["Items"] == ordered
    got = query(ddb, table, LSI, items, ProjectionExpression="b, a")["Items"]
    assert got == [pick(i, "a", "b") for i in ordered]


def test_local_index_key_conditions_and_consistent_read(ddb: Any, table: str) -> None:
    items = fill(ddb, table)
    got = query(
        ddb,
        table,
        LSI,
        items,
        condition="p = :p AND l BETWEEN :lo AND :hi",
        values={":p": items[0]["p"], ":lo": {"N": "2"}, ":hi": {"N": "4"}},
        ConsistentRead=True,
        ScanIndexForward=False,
    )
    assert got["Items"] == [pick(items[i], "p", "c", "l", "a") for i in (2, 4, 3)]


# --- order, key conditions, Select COUNT


def test_index_range_key_conditions_and_order(ddb: Any, table: str) -> None:
    items = fill(ddb, table)
    condition = "g = :g AND n BETWEEN :lo AND :hi"
    values = {":g": items[0]["g"], ":lo": {"N": "20"}, ":hi": {"N": "40"}}
    forward = query(ddb, table, GSI_ALL, items, condition, values)
    assert forward["Items"] == [items[3], items[0], items[4]]
    backward = query(ddb, table, GSI_ALL, items, condition, values, ScanIndexForward=False)
    assert backward["Items"] == [items[4], items[0], items[3]]


def test_select_count(ddb: Any, table: str) -> None:
    items = fill(ddb, table)
    assert query(ddb, table, GSI_KEYS, items, Select="COUNT") == {"Count": 5, "ScannedCount": 5}
    got = query(
        ddb,
        table,
        LSI,
        items,
        Select="COUNT",
        FilterExpression="a <> :a",
        values={":a": items[0]["a"]},
    )
    assert got == {"Count": 4, "ScannedCount": 5}


@pytest.mark.parametrize(
    ("condition", "values", "message"),
    [
        (
            "g = :v",
            {":v": {"N": "1"}},
            f"{INVALID}Condition parameter type does not match schema type",
        ),
        (
            "g = :g AND n = :v",
            {":v": {"S": "1"}},
            f"{INVALID}Condition parameter type does not match schema type",
        ),
        ("p = :v", {":v": {"S": "x"}}, "Query condition missed key schema element: g"),
        ("g = :g AND c = :v", {":v": {"S": "x"}}, "Query condition missed key schema element: n"),
        ("g > :v", {":v": {"S": "x"}}, "Query key condition not supported"),
    ],
    ids=["hash-type", "range-type", "table-key", "non-key-range", "hash-range-op"],
)
def test_key_condition_on_index_attributes(
    ddb: Any, table: str, condition: str, values: Item, message: str
) -> None:
    # [dynalite] (missed key schema element, not supported), [api] (types must match)
    values = {":g": {"S": "x"}, **values} if ":g" in condition else values
    assert refused(ddb, table, GSI_ALL, [], condition, values) == ("ValidationException", message)


def test_empty_index_key_value_in_a_key_condition(ddb: Any, table: str) -> None:
    # [reports] chariot-ui#353: a Query, not a write
    assert refused(ddb, table, GSI_KEYS, [], "g = :g", {":g": {"S": ""}}) == (
        "ValidationException",
        "One or more parameter values are not valid. A value specified for a secondary index key "
        "is not supported. The AttributeValue for a key attribute cannot contain an empty string "
        f"value. IndexName: {GSI_KEYS}, IndexKey: g",
    )


def test_unknown_index(ddb: Any, table: str) -> None:
    # [dynalite], [alternator] test_gsi_missing_index / test_gsi_missing_table
    assert refused(ddb, table, "nope", [], "g = :g", X) == (
        "ValidationException",
        "The table does not have the specified index: nope",
    )
    assert refused(ddb, unique_name("missing"), "nope", [], "g = :g", X) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )


# --- paging: LastEvaluatedKey and ExclusiveStartKey


@pytest.mark.parametrize(
    ("name", "order", "key_names"),
    [
        (GSI_ALL, N_ORDER, ("p", "c", "g", "n")),
        (GSI_KEYS, None, ("p", "c", "g")),
        (LSI, L_ORDER, ("p", "c", "l")),
    ],
    ids=["global-range", "global-hash", "local"],
)
def test_last_evaluated_key_holds_the_table_and_index_keys(
    ddb: Any, table: str, name: str, order: list[int] | None, key_names: tuple[str, ...]
) -> None:
    # [dynalite] "should query on basic hash / range global index", [alternator]
    # test_gsi_query_exclusivestartkey: LastEvaluatedKey = table key + index key
    items = fill(ddb, table)
    first = query(ddb, table, name, items, Limit=2)
    assert (first["Count"], first["ScannedCount"]) == (2, 2)
    last = first["Items"][-1]
    full = next(i for i in items if i["c"] == last["c"])
    assert first["LastEvaluatedKey"] == pick(full, *key_names)
    rest = query(ddb, table, name, items, ExclusiveStartKey=first["LastEvaluatedKey"])
    got = first["Items"] + rest["Items"]
    assert "LastEvaluatedKey" not in rest
    if order is not None:
        assert [i["c"] for i in got] == [items[i]["c"] for i in order]
    assert sorted(i["c"]["S"] for i in got) == [f"c{i}" for i in range(5)]


@pytest.mark.parametrize("forward", [True, False], ids=["forward", "backward"])
@pytest.mark.parametrize("name", [GSI_KEYS, GSI_ALL])
def test_paging_through_many_items_sharing_one_index_key(
    ddb: Any, table: str, name: str, forward: bool
) -> None:
    # [alternator] test_gsi_query_paging: every item once, whatever the page size
    g = new_key()
    items = [
        {"p": {"S": new_key()}, "c": {"S": f"c{i % 3}"}, "g": {"S": g}, "n": {"N": "7"}}
        for i in range(40)
    ]
    for item in items:
        ddb.put_item(TableName=table, Item=item)
    seen: list[tuple[str, str]] = []
    extra: dict[str, Any] = {"Limit": 7, "ScanIndexForward": forward}
    while True:
        page = query(ddb, table, name, items, **extra)
        assert page["Count"] <= 7
        seen += [(i["p"]["S"], i["c"]["S"]) for i in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        extra["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert len(seen) == len(set(seen)) == 40
    assert sorted(seen) == sorted((i["p"]["S"], i["c"]["S"]) for i in items)


def start_key(**overrides: Item | None) -> Item:
    key = {"p": {"S": "p"}, "c": {"S": "c"}, "g": {"S": "x"}, "n": {"N": "1"}} | overrides
    return {k: v for k, v in key.items() if v is not None}


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (start_key(n=None), START_INVALID),
        (start_key(c=None), START_INVALID),
        (start_key(p=None, c=None), START_INVALID),
        (start_key(b={"S": "b"}), START_INVALID),
        (start_key(p={"N": "1"}), f"{START_INVALID}: {NOT_SCHEMA}"),
        (start_key(c={"B": b"c"}), f"{START_INVALID}: {NOT_SCHEMA}"),
    ],
    ids=["no-n", "no-c", "index-keys-only", "extra", "p-type", "c-type"],
)
def test_malformed_exclusive_start_key(ddb: Any, table: str, start: Item, message: str) -> None:
    # [dynalite] "ExclusiveStartKey is invalid for global index", "global range in
    # ExclusiveStartKey is invalid", "global hash in ExclusiveStartKey but bad in query";
    # [alternator] test_gsi_query_exclusivestartkey_missing_column / _spurious_column
    assert refused(ddb, table, GSI_ALL, [], "g = :g", X, ExclusiveStartKey=start) == (
        "ValidationException",
        message,
    )


@pytest.mark.parametrize(
    "start", [start_key(n={"S": "1"}), start_key(g={"B": b"x"})], ids=["range", "hash"]
)
def test_exclusive_start_key_with_an_index_key_of_the_wrong_type(
    ddb: Any, table: str, start: Item
) -> None:
    # [dynalite] "ExclusiveStartKey does not match schema for global (compound) index" recorded
    # the bare phrase; newer captures of the table's case put the "starting key" lead in front
    code, message = refused(ddb, table, GSI_ALL, [], "g = :g", X, ExclusiveStartKey=start)
    assert code == "ValidationException"
    assert message in {NOT_SCHEMA, f"{START_INVALID}: {NOT_SCHEMA}"}


def test_local_index_start_key_needs_the_index_key(ddb: Any, table: str) -> None:
    # [dynalite] "local range in ExclusiveStartKey is invalid"
    start = {"p": {"S": "p"}, "c": {"S": "c"}}
    assert refused(ddb, table, LSI, [], "p = :p", {":p": {"S": "p"}}, ExclusiveStartKey=start) == (
        "ValidationException",
        START_INVALID,
    )


@pytest.mark.parametrize(
    ("condition", "start", "message"),
    [
        (
            "g = :g",
            start_key(g={"S": "other"}),
            "The provided starting key is outside query boundaries based on provided conditions",
        ),
        (
            "g = :g AND n > :n",
            start_key(n={"N": "1"}),
            "The provided starting key does not match the range key predicate",
        ),
        (
            "g = :g AND n > :n",
            start_key(g={"S": "other"}, n={"N": "1"}),
            "The provided starting key does not match the range key predicate",
        ),
        (
            "g = :g AND n = :n",
            start_key(g={"S": "other"}, n={"N": "5"}),
            "The query can return at most one row and cannot be restarted",
        ),
    ],
    ids=["other-partition", "outside-range", "both", "exact-match"],
)
def test_exclusive_start_key_outside_the_key_condition(
    ddb: Any, table: str, condition: str, start: Item, message: str
) -> None:
    # [dynalite] "global hash in ExclusiveStartKey but outside range / not matching predicate /
    # exact match"; [alternator] test_gsi_query_exclusivestartkey_wrong_partition
    values = {":g": {"S": "x"}, ":n": {"N": "5"}}
    values = {k: v for k, v in values.items() if k in condition}
    assert refused(ddb, table, GSI_ALL, [], condition, values, ExclusiveStartKey=start) == (
        "ValidationException",
        message,
    )


# --- consumed capacity


@pytest.mark.parametrize(
    ("name", "consistent", "member", "units"),
    [(GSI_ALL, False, "GlobalSecondaryIndexes", 0.5), (LSI, True, "LocalSecondaryIndexes", 1.0)],
    ids=["global", "local"],
)
def test_consumed_capacity_of_an_index_query(
    ddb: Any, table: str, name: str, consistent: bool, member: str, units: float
) -> None:
    # [cli] (a local index), [dynalite] (global and local), [ddb-local] ConsumedCapacityUtils:
    # the index alone is charged; INDEXES mode reports the table at 0
    items = fill(ddb, table)
    extra: dict[str, Any] = {"ConsistentRead": True} if consistent else {}
    total = query(ddb, table, name, items, ReturnConsumedCapacity="TOTAL", **extra)
    assert total["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": units}
    detail = query(ddb, table, name, items, ReturnConsumedCapacity="INDEXES", **extra)
    assert detail["ConsumedCapacity"] == {
        "TableName": table,
        "CapacityUnits": units,
        "Table": {"CapacityUnits": 0.0},
        member: {name: {"CapacityUnits": units}},
    }


def test_local_index_fetches_are_charged_to_the_table(ddb: Any, table: str) -> None:
    # [lsi-doc]: the index read plus a read of every fetched item, each rounded up to 4 KB;
    # [dynalite] "should return all attributes when specified for secondary indexes" (Table 3,
    # index 1 for three fetched items); [ddb-local] QueryFunction
    items = fill(ddb, table)
    got = query(
        ddb,
        table,
        LSI,
        items,
        Select="ALL_ATTRIBUTES",
        ConsistentRead=True,
        ReturnConsumedCapacity="INDEXES",
    )
    assert got["ConsumedCapacity"] == {
        "TableName": table,
        "CapacityUnits": 6.0,
        "Table": {"CapacityUnits": 5.0},
        "LocalSecondaryIndexes": {LSI: {"CapacityUnits": 1.0}},
    }
