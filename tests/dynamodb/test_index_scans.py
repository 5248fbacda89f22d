"""Scan through global and local secondary indexes: only the items an index holds (sparse
indexes), the attributes each projection keeps, the Select and ConsistentRead rules, paging
with keys that carry the table key and the index key, parallel segments over an index,
ExclusiveStartKey checks, and consumed capacity.

Sources: [gsi-doc] Developer Guide "Using Global Secondary Indexes in DynamoDB" ("Scanning a
Global Secondary Index"; an item without the index key attributes is not in the index; read
units from the sizes of the index entries); [lsi-doc] "Local secondary indexes" ("Scanning a
Local Secondary Index"; unprojected attributes fetched from the table); [api] API Reference
Scan (IndexName, Select, Segment/TotalSegments); [dynalite] test/scan.js (recorded against
DynamoDB); [alternator] test_gsi.py (test_gsi_missing_attribute, test_gsi_projection_*,
test_gsi_strong_consistency); [paritysuite] dynamodb-conformance tier3 indexReads (captured
on AWS); [cli] aws-cli examples/dynamodb/query.rst (index reads report "Table": 0 in INDEXES
mode); [ddb-local] DynamoDB Local's ScanFunction and ConsumedCapacityUtils; [reports]
localstack#478 (the "does not project" text, from a Query).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import TableFactory, error_of, new_key

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]

GSI_ALL = "by-g-n"  # g (S) / n (N), ALL
GSI_KEYS = "by-g"  # g, KEYS_ONLY
GSI_INCLUDE = "by-g-a"  # g, INCLUDE a
LSI = "by-l"  # p / l (N), INCLUDE a
INVALID = "One or more parameter values were invalid: "
START_INVALID = "The provided starting key is invalid"
NOT_SCHEMA = "The provided key element does not match the schema"
INCLUDE_A = {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]}


def index(name: str, *keys: str, projection: dict[str, Any] | None = None) -> dict[str, Any]:
    kinds = ("HASH", "RANGE")[: len(keys)]
    return {
        "IndexName": name,
        "KeySchema": [{"AttributeName": k, "KeyType": t} for k, t in zip(keys, kinds, strict=True)],
        "Projection": projection or {"ProjectionType": "ALL"},
    }


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


def fill(ddb: Any, table: str, count: int = 24) -> list[Item]:
    """Items in partitions of their own; every 4th lacks g, every 3rd n, every 2nd l."""
    items = []
    for i in range(count):
        item = {"p": {"S": new_key()}, "c": {"S": f"c{i}"}, "a": {"S": f"a{i}"}, "b": {"S": "b"}}
        if i % 4:
            item["g"] = {"S": f"g{i % 5}"}
        if i % 3:
            item["n"] = {"N": str(i)}
        if i % 2:
            item["l"] = {"N": str(i)}
        ddb.put_item(TableName=table, Item=item)
        items.append(item)
    return items


def body(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def scan(ddb: Any, table: str, name: str, **extra: Any) -> dict[str, Any]:
    return body(ddb.scan(TableName=table, IndexName=name, **extra))


def scan_all(ddb: Any, table: str, name: str, **extra: Any) -> list[dict[str, Any]]:
    """Every page of a scan."""
    pages = []
    while True:
        pages.append(scan(ddb, table, name, **extra))
        if "LastEvaluatedKey" not in pages[-1]:
            return pages
        extra["ExclusiveStartKey"] = pages[-1]["LastEvaluatedKey"]


def scan_error(ddb: Any, table: str, name: str, **extra: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        scan(ddb, table, name, **extra)
    return error_of(excinfo)


def pick(item: Item, *names: str) -> Item:
    return {n: item[n] for n in names if n in item}


def by_key(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: i["p"]["S"])


EXPECTED = {
    # index -> (the attributes of its entries, the key attributes an item needs to be in it)
    GSI_ALL: (None, ("g", "n")),
    GSI_KEYS: (("p", "c", "g"), ("g",)),
    GSI_INCLUDE: (("p", "c", "g", "a"), ("g",)),
    LSI: (("p", "c", "l", "a"), ("l",)),
}


def entries(items: list[Item], name: str) -> list[Item]:
    """What index ``name`` holds for ``items``: sparse, projected."""
    names, keys = EXPECTED[name]
    held = [i for i in items if all(k in i for k in keys)]
    return [i if names is None else pick(i, *names) for i in held]


# --- what an index scan returns


@pytest.mark.parametrize("name", [GSI_ALL, GSI_KEYS, GSI_INCLUDE, LSI])
def test_scan_returns_the_projected_entries_of_indexed_items(
    ddb: Any, table: str, name: str
) -> None:
    # [gsi-doc], [lsi-doc]: items without the index key attributes are not in the index;
    # [alternator] test_gsi_missing_attribute, test_gsi_projection_keys_only / _include
    items = fill(ddb, table)
    expected = entries(items, name)
    got = scan(ddb, table, name)
    assert by_key(got["Items"]) == by_key(expected)
    assert got["Count"] == got["ScannedCount"] == len(expected)
    explicit = scan(ddb, table, name, Select="ALL_PROJECTED_ATTRIBUTES")
    assert by_key(explicit["Items"]) == by_key(expected)


def test_local_index_scan_fetches_unprojected_attributes(ddb: Any, table: str) -> None:
    # [lsi-doc]
    items = fill(ddb, table)
    indexed = [i for i in items if "l" in i]
    got = scan(ddb, table, LSI, Select="ALL_ATTRIBUTES", ConsistentRead=True)
    assert by_key(got["Items"]) == by_key(indexed)
    got = scan(ddb, table, LSI, ProjectionExpression="p, b")
    assert by_key(got["Items"]) == by_key([pick(i, "p", "b") for i in indexed])


def test_filter_and_count_on_an_index_scan(ddb: Any, table: str) -> None:
    # a Scan filter may name any attribute the index holds, its keys included [api]
    items = fill(ddb, table)
    values = {":g": {"S": "g1"}, ":n": {"N": "10"}}
    expected = [i for i in entries(items, GSI_ALL) if i["g"] == values[":g"]]
    expected = [i for i in expected if int(i["n"]["N"]) > 10]
    got = scan(
        ddb,
        table,
        GSI_ALL,
        FilterExpression="g = :g AND n > :n",
        ExpressionAttributeValues=values,
    )
    assert by_key(got["Items"]) == by_key(expected)
    assert (got["Count"], got["ScannedCount"]) == (len(expected), len(entries(items, GSI_ALL)))
    counted = scan(ddb, table, GSI_KEYS, Select="COUNT")
    assert counted == {
        "Count": len(entries(items, GSI_KEYS)),
        "ScannedCount": len(entries(items, GSI_KEYS)),
    }


@pytest.mark.parametrize(
    ("name", "extra", "message"),
    [
        # [dynalite] scan.js "ALL_ATTRIBUTES when global index does not have ALL"
        (
            GSI_KEYS,
            {"Select": "ALL_ATTRIBUTES"},
            f"{INVALID}Select type ALL_ATTRIBUTES is not supported for global secondary index "
            f"{GSI_KEYS} because its projection type is not ALL",
        ),
        # [ddb-local] ScanFunction checks the projection as Query does; the text is Query's
        # [reports]
        (
            GSI_INCLUDE,
            {"ProjectionExpression": "a, b"},
            f"{INVALID}Global secondary index {GSI_INCLUDE} does not project [b]",
        ),
        # [paritysuite], [alternator] test_gsi_strong_consistency
        (
            GSI_ALL,
            {"ConsistentRead": True},
            "Consistent reads are not supported on global secondary indexes",
        ),
        # [dynalite] scan.js "non-existent index name"
        ("nope", {}, "The table does not have the specified index: nope"),
    ],
    ids=["all-attributes", "unprojected", "consistent-global", "unknown-index"],
)
def test_scans_an_index_cannot_serve(
    ddb: Any, table: str, name: str, extra: dict[str, Any], message: str
) -> None:
    assert scan_error(ddb, table, name, **extra) == ("ValidationException", message)


# --- paging and segments


@pytest.mark.parametrize(
    ("name", "key_names"),
    [(GSI_ALL, ("p", "c", "g", "n")), (GSI_KEYS, ("p", "c", "g")), (LSI, ("p", "c", "l"))],
    ids=["global-range", "global-hash", "local"],
)
def test_paging_with_table_and_index_keys(
    ddb: Any, table: str, name: str, key_names: tuple[str, ...]
) -> None:
    # [dynalite], [ddb-local] getKeyAttributes: LastEvaluatedKey = table key + index key
    items = fill(ddb, table)
    pages = scan_all(ddb, table, name, Limit=3)
    got = [item for page in pages for item in page["Items"]]
    assert by_key(got) == by_key(entries(items, name))
    for page in pages[:-1]:
        assert page["Count"] == page["ScannedCount"] == 3
        last = next(i for i in items if i["p"] == page["Items"][-1]["p"])
        assert page["LastEvaluatedKey"] == pick(last, *key_names)


def test_parallel_segments_of_an_index(ddb: Any, table: str) -> None:
    # [api] Scan: the segments of a parallel scan together read the whole index once
    items = fill(ddb, table, 40)
    whole = by_key(scan(ddb, table, GSI_KEYS)["Items"])
    parts = [scan(ddb, table, GSI_KEYS, Segment=s, TotalSegments=3)["Items"] for s in range(3)]
    assert by_key([i for part in parts for i in part]) == whole == by_key(entries(items, GSI_KEYS))
    for segment, part in enumerate(parts):
        paged = scan_all(ddb, table, GSI_KEYS, Segment=segment, TotalSegments=3, Limit=2)
        assert [i for page in paged for i in page["Items"]] == part


def test_exclusive_start_key_of_another_segment(ddb: Any, table: str) -> None:
    fill(ddb, table, 40)
    other = scan(ddb, table, GSI_KEYS, Segment=1, TotalSegments=2)["Items"]
    assert other
    # the table's text (test_scan.py) for an index's segment: [gureum]
    assert scan_error(
        ddb, table, GSI_KEYS, Segment=0, TotalSegments=2, ExclusiveStartKey=other[0]
    ) == (
        "ValidationException",
        f"{START_INVALID}: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct "
        "Segment. TotalSegments: 2 Segment: 0",
    )


def start_key(**overrides: Any) -> Item:
    key = {"p": {"S": "p"}, "c": {"S": "c"}, "g": {"S": "x"}, "n": {"N": "1"}} | overrides
    return {k: v for k, v in key.items() if v is not None}


@pytest.mark.parametrize(
    ("name", "start", "messages"),
    [
        # [dynalite] scan.js "ExclusiveStartKey is invalid for global index", "global range in
        # ExclusiveStartKey is invalid", "... for local index"
        (GSI_ALL, start_key(n=None), {START_INVALID}),
        (GSI_ALL, start_key(g=None, n=None), {START_INVALID}),
        (GSI_ALL, start_key(c=None), {START_INVALID}),
        (GSI_ALL, start_key(z={"S": "z"}), {START_INVALID}),
        (LSI, {"p": {"S": "p"}, "c": {"S": "c"}}, {START_INVALID}),
        # [dynalite] scan.js "global hash / range in ExclusiveStartKey but bad in query"
        (GSI_ALL, start_key(p={"N": "1"}), {f"{START_INVALID}: {NOT_SCHEMA}"}),
        # [dynalite] scan.js "ExclusiveStartKey does not match schema for global (compound)
        # index" recorded the bare phrase; newer captures of the table's case carry the lead
        (GSI_ALL, start_key(g={"B": b"x"}), {NOT_SCHEMA, f"{START_INVALID}: {NOT_SCHEMA}"}),
        (GSI_ALL, start_key(n={"S": "1"}), {NOT_SCHEMA, f"{START_INVALID}: {NOT_SCHEMA}"}),
    ],
    ids=["no-n", "no-index-key", "no-c", "extra", "lsi-no-l", "p-type", "g-type", "n-type"],
)
def test_malformed_exclusive_start_key(
    ddb: Any, table: str, name: str, start: Item, messages: set[str]
) -> None:
    code, message = scan_error(ddb, table, name, ExclusiveStartKey=start)
    assert code == "ValidationException"
    assert message in messages


# --- consumed capacity


def test_consumed_capacity_of_an_index_scan(ddb: Any, table: str) -> None:
    # [cli], [ddb-local] ConsumedCapacityUtils: the index alone is charged; INDEXES mode
    # reports the table at 0
    fill(ddb, table, 4)
    for name, member in ((GSI_KEYS, "GlobalSecondaryIndexes"), (LSI, "LocalSecondaryIndexes")):
        got = scan(ddb, table, name, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
        assert got == {
            "TableName": table,
            "CapacityUnits": 0.5,
            "Table": {"CapacityUnits": 0.0},
            member: {name: {"CapacityUnits": 0.5}},
        }


def test_read_units_follow_the_size_of_the_index_entries(ddb: Any, table: str) -> None:
    # [gsi-doc]: four entries of about 3 KB in an ALL index are 12 KB, 1.5 units eventually
    # consistent; the same items through KEYS_ONLY are a few hundred bytes, 0.5
    for _ in range(4):
        item = {"p": {"S": new_key()}, "c": {"S": "c"}, "g": {"S": "g"}, "n": {"N": "1"}}
        ddb.put_item(TableName=table, Item={**item, "b": {"S": "b" * 2900}})
    for name, units in ((GSI_ALL, 1.5), (GSI_KEYS, 0.5)):
        got = scan(ddb, table, name, ReturnConsumedCapacity="TOTAL")
        assert got["ConsumedCapacity"] == {"TableName": table, "CapacityUnits": units}
