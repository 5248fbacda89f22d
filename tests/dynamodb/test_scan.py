"""Scan: full scans with paging, parallel scans (Segment / TotalSegments), filters,
projections, Select COUNT, Limit, the 1 MB page, and Scan's errors.

Sources: the AWS API reference (Scan) and developer guide ("Scanning tables", "Parallel
scan"), and what peers recorded from real DynamoDB: dynalite ``test/scan.js``, ScyllaDB
Alternator ``test_scan.py`` (and the review of scylladb/scylladb#9270 quoting AWS's
out-of-segment message), the nubo-db and paritysuite conformance suites
(``tier1/scan``, ``tier3/error-messages/scan.test.ts``).
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique_name

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]


def body(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def scan(ddb: Any, table: str, **params: Any) -> dict[str, Any]:
    return body(ddb.scan(TableName=table, **params))


def scan_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.scan(**params)
    return error_of(excinfo)


def scan_all(ddb: Any, table: str, **params: Any) -> tuple[list[Item], list[dict[str, Any]]]:
    """Every item of a (possibly segmented) scan, following LastEvaluatedKey; and the pages."""
    items: list[Item] = []
    pages: list[dict[str, Any]] = []
    while True:
        page = scan(ddb, table, **params)
        pages.append(page)
        items += page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return items, pages
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def key_of(item: Item) -> str:
    return item["p"]["S"] + "/" + item.get("c", {}).get("N", "")


@pytest.fixture
def filled(ddb: Any, make_table: Any) -> tuple[str, list[Item]]:
    """A fresh hash-only table holding 30 small items."""
    table = make_table("p:S")
    items = [
        {"p": {"S": f"item{i:02d}"}, "n": {"N": str(i)}, "even": {"BOOL": i % 2 == 0}}
        for i in range(30)
    ]
    for item in items:
        ddb.put_item(TableName=table, Item=item)
    return table, items


@pytest.fixture
def filled_sn(ddb: Any, make_table: Any) -> tuple[str, list[Item]]:
    """A fresh table with hash key p (S) and range key c (N): 4 partitions of 5 items."""
    table = make_table("p:S", "c:N")
    items = [{"p": {"S": f"part{i}"}, "c": {"N": str(j)}} for i in range(4) for j in range(5)]
    for item in items:
        ddb.put_item(TableName=table, Item=item)
    return table, items


def sort(items: list[Item]) -> list[Item]:
    return sorted(items, key=key_of)


# --- full scans and paging --------------------------------------------------------------------


def test_empty_table(ddb: Any, make_table: Any) -> None:
    table = make_table("p:S")
    assert scan(ddb, table) == {"Items": [], "Count": 0, "ScannedCount": 0}


def test_full_scan(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, items = filled
    got = scan(ddb, table)
    assert "LastEvaluatedKey" not in got
    assert got["Count"] == got["ScannedCount"] == 30
    assert sort(got["Items"]) == sort(items)


def test_scan_order_is_stable(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    assert scan(ddb, table)["Items"] == scan(ddb, table, ConsistentRead=True)["Items"]


@pytest.mark.parametrize("limit", [1, 4, 7, 29])
def test_paging_returns_every_item_once(
    ddb: Any, filled: tuple[str, list[Item]], limit: int
) -> None:
    table, items = filled
    whole = scan(ddb, table)["Items"]
    got, pages = scan_all(ddb, table, Limit=limit)
    assert got == whole  # the pages continue the same order
    assert sort(got) == sort(items)
    for page in pages[:-1]:
        assert page["Count"] == page["ScannedCount"] == limit
        assert page["LastEvaluatedKey"] == {"p": page["Items"][-1]["p"]}  # the key only
    assert "LastEvaluatedKey" not in pages[-1]
    assert pages[-1]["Count"] == 30 - limit * (len(pages) - 1)


def test_last_evaluated_key_when_limit_reaches_the_last_item(
    ddb: Any, filled: tuple[str, list[Item]]
) -> None:
    table, _ = filled
    got = scan(ddb, table, Limit=30)
    assert got["Count"] == 30
    assert got["LastEvaluatedKey"] == {"p": got["Items"][-1]["p"]}
    rest = scan(ddb, table, Limit=30, ExclusiveStartKey=got["LastEvaluatedKey"])
    assert rest == {"Items": [], "Count": 0, "ScannedCount": 0}
    assert "LastEvaluatedKey" not in scan(ddb, table, Limit=31)


def test_last_evaluated_key_of_hash_and_range_table(
    ddb: Any, filled_sn: tuple[str, list[Item]]
) -> None:
    table, items = filled_sn
    page = scan(ddb, table, Limit=7)
    assert page["LastEvaluatedKey"] == {"p": page["Items"][-1]["p"], "c": page["Items"][-1]["c"]}
    got, _ = scan_all(ddb, table, Limit=3)
    assert sort(got) == sort(items)


def test_scan_keeps_partition_items_in_sort_key_order(
    ddb: Any, filled_sn: tuple[str, list[Item]]
) -> None:
    table, _ = filled_sn
    got = scan(ddb, table)["Items"]
    for part in range(4):
        sort_keys = [item["c"]["N"] for item in got if item["p"]["S"] == f"part{part}"]
        assert sort_keys == ["0", "1", "2", "3", "4"]


def test_exclusive_start_key_is_exclusive(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    whole = scan(ddb, table)["Items"]
    got = scan(ddb, table, ExclusiveStartKey={"p": whole[9]["p"]})
    assert got["Items"] == whole[10:]


# --- parallel scans ---------------------------------------------------------------------------


@pytest.mark.parametrize("total", [1, 2, 3, 7, 64])
def test_segments_partition_the_table(ddb: Any, filled: tuple[str, list[Item]], total: int) -> None:
    table, items = filled
    seen: list[str] = []
    for segment in range(total):
        got, _ = scan_all(ddb, table, Segment=segment, TotalSegments=total)
        seen += [key_of(item) for item in got]
    assert sorted(seen) == sorted(key_of(item) for item in items)  # each item exactly once


def test_segments_of_hash_and_range_table(ddb: Any, filled_sn: tuple[str, list[Item]]) -> None:
    table, items = filled_sn
    seen: list[str] = []
    for segment in range(3):
        got, _ = scan_all(ddb, table, Segment=segment, TotalSegments=3)
        # a partition (all items of one partition key) falls in one segment
        partitions = {item["p"]["S"] for item in got}
        assert len(got) == 5 * len(partitions)
        seen += [key_of(item) for item in got]
    assert sorted(seen) == sorted(key_of(item) for item in items)


def test_segment_paging(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    whole = scan(ddb, table, Segment=1, TotalSegments=2)["Items"]
    paged, pages = scan_all(ddb, table, Segment=1, TotalSegments=2, Limit=2)
    assert paged == whole
    assert all(page["Count"] <= 2 for page in pages)


def test_single_segment_is_the_whole_table(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    assert scan(ddb, table, Segment=0, TotalSegments=1) == scan(ddb, table)


def test_exclusive_start_key_outside_the_segment(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    other = scan(ddb, table, Segment=1, TotalSegments=2)["Items"]
    assert other
    assert scan_error(
        ddb, TableName=table, Segment=0, TotalSegments=2, ExclusiveStartKey={"p": other[0]["p"]}
    ) == (
        "ValidationException",
        "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
        "ExclusiveStartKey with correct Segment. TotalSegments: 2 Segment: 0",
    )


def test_segment_without_total_segments(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    assert scan_error(ddb, TableName=table, Segment=0) == (
        "ValidationException",
        "The TotalSegments parameter is required but was not present in the request when "
        "Segment parameter is present",
    )


def test_total_segments_without_segment(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    assert scan_error(ddb, TableName=table, TotalSegments=4) == (
        "ValidationException",
        "The Segment parameter is required but was not present in the request when parameter "
        "TotalSegments is present",
    )


@pytest.mark.parametrize(("segment", "total"), [(5, 5), (1, 1), (7, 3)])
def test_segment_not_below_total_segments(
    ddb: Any, filled: tuple[str, list[Item]], segment: int, total: int
) -> None:
    table, _ = filled
    assert scan_error(ddb, TableName=table, Segment=segment, TotalSegments=total) == (
        "ValidationException",
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
        f"Segment: {segment} is not less than TotalSegments: {total}",
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"Segment": -1, "TotalSegments": 2},
            "Value '-1' at 'segment' failed to satisfy constraint: Member must have value "
            "greater than or equal to 0",
        ),
        (
            {"Segment": 0, "TotalSegments": 0},
            "Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value "
            "greater than or equal to 1",
        ),
        (
            {"Segment": 0, "TotalSegments": 1000001},
            "Value '1000001' at 'totalSegments' failed to satisfy constraint: Member must have "
            "value less than or equal to 1000000",
        ),
    ],
)
def test_segment_values_out_of_range(
    ddb: Any, filled: tuple[str, list[Item]], params: dict[str, int], message: str
) -> None:
    table, _ = filled
    assert scan_error(ddb, TableName=table, **params) == (
        "ValidationException",
        f"1 validation error detected: {message}",
    )


def test_largest_total_segments(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, items = filled
    got = scan(ddb, table, Segment=999999, TotalSegments=1000000)
    assert got["Count"] == got["ScannedCount"] <= len(items)


# --- filters, projections, Select -------------------------------------------------------------


def test_filter_counts(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, items = filled
    got = scan(
        ddb, table, FilterExpression="even = :t", ExpressionAttributeValues={":t": {"BOOL": True}}
    )
    assert (got["Count"], got["ScannedCount"]) == (15, 30)
    assert sort(got["Items"]) == sort([i for i in items if i["even"]["BOOL"]])


def test_filter_on_the_key_is_allowed_in_scan(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, items = filled
    got = scan(
        ddb,
        table,
        FilterExpression="p = :p OR begins_with(p, :q)",
        ExpressionAttributeValues={":p": {"S": "item07"}, ":q": {"S": "item2"}},
    )
    expected = [i for i in items if i["p"]["S"] == "item07" or i["p"]["S"].startswith("item2")]
    assert sort(got["Items"]) == sort(expected)
    assert got["ScannedCount"] == 30


def test_limit_applies_before_the_filter(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    whole = scan(ddb, table)["Items"]
    target = whole[5]
    got = scan(
        ddb,
        table,
        Limit=5,
        FilterExpression="n = :n",
        ExpressionAttributeValues={":n": target["n"]},
    )
    assert got == {
        "Items": [],
        "Count": 0,
        "ScannedCount": 5,
        "LastEvaluatedKey": {"p": whole[4]["p"]},
    }
    got = scan(
        ddb,
        table,
        Limit=5,
        FilterExpression="n = :n",
        ExpressionAttributeValues={":n": target["n"]},
        ExclusiveStartKey=got["LastEvaluatedKey"],
    )
    assert got == {
        "Items": [target],
        "Count": 1,
        "ScannedCount": 5,
        "LastEvaluatedKey": {"p": whole[9]["p"]},
    }


def test_paging_with_a_filter_finds_every_match(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, items = filled
    got, pages = scan_all(
        ddb,
        table,
        Limit=4,
        FilterExpression="n >= :n",
        ExpressionAttributeValues={":n": {"N": "20"}},
    )
    assert sort(got) == sort([i for i in items if int(i["n"]["N"]) >= 20])
    assert sum(page["ScannedCount"] for page in pages) == 30


def test_projection(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _items = filled
    got = scan(ddb, table, ProjectionExpression="n")
    assert sorted(int(i["n"]["N"]) for i in got["Items"]) == list(range(30))
    assert all(set(i) == {"n"} for i in got["Items"])
    got = scan(
        ddb,
        table,
        ProjectionExpression="#e, nothing",
        ExpressionAttributeNames={"#e": "even"},
        Select="SPECIFIC_ATTRIBUTES",
    )
    assert all(set(i) == {"even"} for i in got["Items"])


def test_select_count(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    assert scan(ddb, table, Select="COUNT") == {"Count": 30, "ScannedCount": 30}
    got = scan(
        ddb,
        table,
        Select="COUNT",
        FilterExpression="even = :f",
        ExpressionAttributeValues={":f": {"BOOL": False}},
    )
    assert got == {"Count": 15, "ScannedCount": 30}
    got = scan(ddb, table, Select="COUNT", Limit=10)
    assert got["Count"] == got["ScannedCount"] == 10
    assert set(got) == {"Count", "ScannedCount", "LastEvaluatedKey"}


def test_select_all_attributes(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    assert scan(ddb, table, Select="ALL_ATTRIBUTES") == scan(ddb, table)


def test_select_specific_attributes_without_projection(
    ddb: Any, filled: tuple[str, list[Item]]
) -> None:
    table, _ = filled
    assert scan_error(ddb, TableName=table, Select="SPECIFIC_ATTRIBUTES") == (
        "ValidationException",
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
        "SPECIFIC_ATTRIBUTES",
    )


def test_select_count_with_projection(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    assert scan_error(ddb, TableName=table, Select="COUNT", ProjectionExpression="p") == (
        "ValidationException",
        "Cannot specify the ProjectionExpression when choosing to get only the Count",
    )


def test_select_all_projected_attributes_without_index(
    ddb: Any, filled: tuple[str, list[Item]]
) -> None:
    table, _ = filled
    assert scan_error(ddb, TableName=table, Select="ALL_PROJECTED_ATTRIBUTES") == (
        "ValidationException",
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName",
    )


def test_filter_with_nested_access_on_the_key(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    for expression in ["attribute_exists(p.b.c)", "attribute_exists(#k[0])"]:
        params: dict[str, Any] = {"TableName": table, "FilterExpression": expression}
        if "#k" in expression:
            params["ExpressionAttributeNames"] = {"#k": "p"}
        assert scan_error(ddb, **params) == (
            "ValidationException",
            "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
            "allowed: Key: p",
        )


# --- the 1 MB page ----------------------------------------------------------------------------

PAYLOAD = "x" * 100_000  # items of about 100 KB: ten of them make 1 MB


def test_one_megabyte_pages(ddb: Any, make_table: Any) -> None:
    table = make_table("p:S")
    keys = {f"big{i:02d}" for i in range(25)}
    for key in keys:
        ddb.put_item(TableName=table, Item={"p": {"S": key}, "big": {"S": PAYLOAD}})
    got, pages = scan_all(ddb, table)
    assert sorted(item["p"]["S"] for item in got) == sorted(keys)
    assert len(pages) == 3
    for page in pages[:-1]:
        # a page stops once 1 MB was read: after 10 items or at the one crossing 1,048,576 bytes
        assert 10 <= page["Count"] == page["ScannedCount"] <= 11
        assert page["LastEvaluatedKey"] == {"p": page["Items"][-1]["p"]}
    assert "LastEvaluatedKey" not in pages[-1]
    # the limit counts what was read, before the filter and the projection
    counted = scan(
        ddb,
        table,
        Select="COUNT",
        FilterExpression="big = :v",
        ExpressionAttributeValues={":v": {"S": "no"}},
    )
    assert counted["Count"] == 0
    assert 10 <= counted["ScannedCount"] <= 11
    assert "LastEvaluatedKey" in counted
    projected = scan(ddb, table, ProjectionExpression="p")
    assert projected["Count"] == pages[0]["Count"]
    assert "LastEvaluatedKey" in projected


# --- errors -----------------------------------------------------------------------------------


def test_malformed_exclusive_start_key(ddb: Any, filled_sn: tuple[str, list[Item]]) -> None:
    table, _ = filled_sn
    for start in [
        {"bad": {"S": "p"}},
        {"p": {"S": "x"}},
        {"p": {"N": "1"}, "c": {"N": "1"}},
        {"p": {"S": "x"}, "c": {"N": "1"}, "d": {"S": "y"}},
    ]:
        assert scan_error(ddb, TableName=table, ExclusiveStartKey=start) == (
            "ValidationException",
            "The provided starting key is invalid: The provided key element does not match the "
            "schema",
        )


def test_limit_of_zero(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    assert scan_error(ddb, TableName=table, Limit=0) == (
        "ValidationException",
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member "
        "must have value greater than or equal to 1",
    )


def test_non_existent_table(ddb: Any) -> None:
    assert scan_error(ddb, TableName=unique_name("missing")) == (
        "ResourceNotFoundException",
        "Requested resource not found",
    )
    assert scan_error(
        ddb, TableName=unique_name("missing"), ExclusiveStartKey={"b": {"S": "a"}}
    ) == ("ResourceNotFoundException", "Requested resource not found")


def test_non_existent_index(ddb: Any, filled: tuple[str, list[Item]]) -> None:
    table, _ = filled
    assert scan_error(ddb, TableName=table, IndexName="whatever") == (
        "ValidationException",
        "The table does not have the specified index: whatever",
    )
