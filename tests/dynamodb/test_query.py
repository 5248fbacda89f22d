"""Query: key conditions on number, string and binary sort keys (and their orders), filters,
projections, ScanIndexForward, Limit, ExclusiveStartKey / LastEvaluatedKey paging, Select,
the 1 MB page, Count vs ScannedCount, ConsistentRead, and Query's errors.

Sources: the AWS API reference (Query) and developer guide ("Querying tables", "Paginating
query results", key condition expressions), and what peers recorded from real DynamoDB:
dynalite ``test/query.js``, ScyllaDB Alternator ``test_query.py``, the nubo-db and paritysuite
conformance suites (``tier1/query``, ``tier3/error-messages/query.test.ts``).
"""

from __future__ import annotations

import random
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]


def body(response: dict[str, Any]) -> dict[str, Any]:
    """The response without botocore's ResponseMetadata."""
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def query(
    ddb: Any, table: str, p: str, condition: str = "", values: Item | None = None, **extra: Any
) -> dict[str, Any]:
    """Query partition ``p`` (key ``p``) with an optional sort key ``condition``."""
    expression = "p = :p" + (f" AND {condition}" if condition else "")
    return body(
        ddb.query(
            TableName=table,
            KeyConditionExpression=expression,
            ExpressionAttributeValues={":p": {"S": p}, **(values or {})},
            **extra,
        )
    )


def query_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.query(**params)
    return error_of(excinfo)


def fill(ddb: Any, table: str, p: str, sort_values: list[Item], **attributes: Any) -> list[Item]:
    """Write one item per sort key value (in random order); returns them in input order."""
    items = [{"p": {"S": p}, "c": c, **attributes} for c in sort_values]
    shuffled = items[:]
    random.shuffle(shuffled)
    for item in shuffled:
        ddb.put_item(TableName=table, Item=item)
    return items


@pytest.fixture
def table_sb(make_table: Any) -> str:
    """A table with string partition key ``p`` and binary sort key ``c``."""
    return str(make_table("p:S", "c:B"))


# --- results and orders -----------------------------------------------------------------------


def test_empty_partition(ddb: Any, table_sn: str) -> None:
    assert query(ddb, table_sn, new_key()) == {"Items": [], "Count": 0, "ScannedCount": 0}


def test_hash_only_table(ddb: Any, table_s: str) -> None:
    p = new_key()
    item = {"p": {"S": p}, "a": {"L": [{"S": "x"}]}}
    ddb.put_item(TableName=table_s, Item=item)
    ddb.put_item(TableName=table_s, Item={"p": {"S": new_key()}})
    assert query(ddb, table_s, p) == {"Items": [item], "Count": 1, "ScannedCount": 1}


def test_number_sort_keys_order_numerically(ddb: Any, table_sn: str) -> None:
    p = new_key()
    numbers = [
        "-1000",
        "-10.5",
        "-1",
        "-0.001",
        "0",
        "0.001",
        "1",
        "2",
        "9",
        "10",
        "10.5",
        "100",
        "12345678901234567890123456789012345678",
    ]
    items = fill(ddb, table_sn, p, [{"N": n} for n in numbers])
    got = query(ddb, table_sn, p)
    assert got == {"Items": items, "Count": len(items), "ScannedCount": len(items)}


def test_string_sort_keys_order_by_utf8_bytes(ddb: Any, table_ss: str) -> None:
    p = new_key()
    # Byte order of the UTF-8 encodings: digits < upper case < lower case < U+00E9 < U+FFFF
    # < U+1F600. (In UTF-16 order the emoji, a surrogate pair, would sort before U+FFFF.)
    strings = [
        "1",
        "10",
        "2",
        "A",
        "B",
        "Z",
        "a",
        "aa",
        "ab",
        "b",
        "z",
        "\u00e9",
        "\uffff",
        "\U0001f600",
    ]
    items = fill(ddb, table_ss, p, [{"S": s} for s in strings])
    assert query(ddb, table_ss, p)["Items"] == items


def test_binary_sort_keys_order_by_unsigned_bytes(ddb: Any, table_sb: str) -> None:
    p = new_key()
    blobs = [
        b"\x00",
        b"\x00\x00",
        b"\x00\xff",
        b"\x01",
        b"\x7f",
        b"\x7f\xff",
        b"\x80",
        b"\xfe",
        b"\xff",
        b"\xff\x00",
    ]
    items = fill(ddb, table_sb, p, [{"B": b} for b in blobs])
    assert query(ddb, table_sb, p)["Items"] == items


def test_number_sort_key_in_canonical_form(ddb: Any, table_sn: str) -> None:
    p = new_key()
    ddb.put_item(TableName=table_sn, Item={"p": {"S": p}, "c": {"N": "1E3"}, "v": {"S": "a"}})
    ddb.put_item(TableName=table_sn, Item={"p": {"S": p}, "c": {"N": "1000.00"}, "v": {"S": "b"}})
    got = query(ddb, table_sn, p, "c = :c", {":c": {"N": "+01000"}})
    assert got["Items"] == [{"p": {"S": p}, "c": {"N": "1000"}, "v": {"S": "b"}}]


# --- key conditions ---------------------------------------------------------------------------

NUMBERS = [str(n) for n in range(1, 11)]


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ("c = :a", {":a": "5"}, ["5"]),
        ("c = :a", {":a": "5.5"}, []),
        ("c < :a", {":a": "3"}, ["1", "2"]),
        ("c <= :a", {":a": "3"}, ["1", "2", "3"]),
        ("c > :a", {":a": "8"}, ["9", "10"]),
        ("c >= :a", {":a": "8"}, ["8", "9", "10"]),
        ("c BETWEEN :a AND :b", {":a": "3", ":b": "6"}, ["3", "4", "5", "6"]),
        ("c BETWEEN :a AND :b", {":a": "2.5", ":b": "3.5"}, ["3"]),
        ("c BETWEEN :a AND :b", {":a": "4", ":b": "4"}, ["4"]),
        (":a > c", {":a": "3"}, ["1", "2"]),  # value first, operator mirrored
        (":a <= c", {":a": "9"}, ["9", "10"]),
        ("c > :a", {":a": "-1E5"}, NUMBERS),
    ],
)
def test_number_key_conditions(
    ddb: Any, table_sn: str, condition: str, values: dict[str, str], expected: list[str]
) -> None:
    p = new_key()
    fill(ddb, table_sn, p, [{"N": n} for n in NUMBERS])
    got = query(ddb, table_sn, p, condition, {k: {"N": v} for k, v in values.items()})
    assert [item["c"]["N"] for item in got["Items"]] == expected
    assert got["Count"] == got["ScannedCount"] == len(expected)


STRINGS = ["a", "ab", "abc", "abd", "b", "ba", "c"]


@pytest.mark.parametrize(
    ("condition", "values", "expected"),
    [
        ("begins_with(c, :a)", {":a": "ab"}, ["ab", "abc", "abd"]),
        ("begins_with(c, :a)", {":a": "a"}, ["a", "ab", "abc", "abd"]),
        ("begins_with(c, :a)", {":a": "abc"}, ["abc"]),
        ("begins_with(c, :a)", {":a": "x"}, []),
        ("c BETWEEN :a AND :b", {":a": "ab", ":b": "b"}, ["ab", "abc", "abd", "b"]),
        ("c < :a", {":a": "ab"}, ["a"]),
        ("c >= :a", {":a": "b"}, ["b", "ba", "c"]),
        ("c = :a", {":a": "abd"}, ["abd"]),
    ],
)
def test_string_key_conditions(
    ddb: Any, table_ss: str, condition: str, values: dict[str, str], expected: list[str]
) -> None:
    p = new_key()
    fill(ddb, table_ss, p, [{"S": s} for s in STRINGS])
    got = query(ddb, table_ss, p, condition, {k: {"S": v} for k, v in values.items()})
    assert [item["c"]["S"] for item in got["Items"]] == expected


def test_begins_with_on_binary_sort_key(ddb: Any, table_sb: str) -> None:
    p = new_key()
    blobs = [b"\x01", b"\x01\xff", b"\x01\xff\x00", b"\x01\xff\xff", b"\x02", b"\xff", b"\xff\x01"]
    fill(ddb, table_sb, p, [{"B": b} for b in blobs])

    def matching(prefix: bytes) -> list[bytes]:
        got = query(ddb, table_sb, p, "begins_with(c, :a)", {":a": {"B": prefix}})
        return [item["c"]["B"] for item in got["Items"]]

    assert matching(b"\x01\xff") == [b"\x01\xff", b"\x01\xff\x00", b"\x01\xff\xff"]
    assert matching(b"\x01") == [b"\x01", b"\x01\xff", b"\x01\xff\x00", b"\x01\xff\xff"]
    assert matching(b"\xff") == [b"\xff", b"\xff\x01"]
    assert matching(b"\x03") == []


def test_binary_range_conditions(ddb: Any, table_sb: str) -> None:
    p = new_key()
    fill(ddb, table_sb, p, [{"B": b} for b in [b"\x00", b"\x7f", b"\x80", b"\xff"]])
    got = query(ddb, table_sb, p, "c > :a", {":a": {"B": b"\x7f"}})
    assert [item["c"]["B"] for item in got["Items"]] == [b"\x80", b"\xff"]
    got = query(
        ddb, table_sb, p, "c BETWEEN :a AND :b", {":a": {"B": b"\x01"}, ":b": {"B": b"\x80"}}
    )
    assert [item["c"]["B"] for item in got["Items"]] == [b"\x7f", b"\x80"]


def test_key_condition_with_names_and_any_case(ddb: Any, table_sn: str) -> None:
    p = new_key()
    fill(ddb, table_sn, p, [{"N": n} for n in NUMBERS])
    got = body(
        ddb.query(
            TableName=table_sn,
            KeyConditionExpression="(#h = :p) and (#r between :a and :b)",
            ExpressionAttributeNames={"#h": "p", "#r": "c"},
            ExpressionAttributeValues={":p": {"S": p}, ":a": {"N": "2"}, ":b": {"N": "3"}},
        )
    )
    assert [item["c"]["N"] for item in got["Items"]] == ["2", "3"]


# --- ScanIndexForward, Limit and paging -------------------------------------------------------


def test_scan_index_forward_false_reverses(ddb: Any, table_sn: str) -> None:
    p = new_key()
    items = fill(ddb, table_sn, p, [{"N": n} for n in NUMBERS])
    got = query(ddb, table_sn, p, ScanIndexForward=False)
    assert got == {"Items": items[::-1], "Count": 10, "ScannedCount": 10}
    got = query(ddb, table_sn, p, "c <= :a", {":a": {"N": "4"}}, ScanIndexForward=False, Limit=2)
    assert got == {
        "Items": [items[3], items[2]],
        "Count": 2,
        "ScannedCount": 2,
        "LastEvaluatedKey": {"p": {"S": p}, "c": {"N": "3"}},
    }


def test_limit_returns_last_evaluated_key(ddb: Any, table_sn: str) -> None:
    p = new_key()
    items = fill(ddb, table_sn, p, [{"N": n} for n in NUMBERS], x={"S": "payload"})
    got = query(ddb, table_sn, p, Limit=3)
    assert got == {
        "Items": items[:3],
        "Count": 3,
        "ScannedCount": 3,
        "LastEvaluatedKey": {"p": {"S": p}, "c": {"N": "3"}},  # the key attributes only
    }


@pytest.mark.parametrize("forward", [True, False])
@pytest.mark.parametrize("limit", [1, 3, 4, 9])
def test_paging_returns_every_item_once(ddb: Any, table_sn: str, forward: bool, limit: int) -> None:
    p = new_key()
    items = fill(ddb, table_sn, p, [{"N": n} for n in NUMBERS])
    collected: list[Item] = []
    extra: dict[str, Any] = {"Limit": limit, "ScanIndexForward": forward}
    pages = 0
    while True:
        page = query(ddb, table_sn, p, **extra)
        pages += 1
        assert page["Count"] == page["ScannedCount"] == len(page["Items"]) <= limit
        collected += page["Items"]
        if "LastEvaluatedKey" not in page:
            break
        assert page["LastEvaluatedKey"] == {"p": {"S": p}, "c": page["Items"][-1]["c"]}
        extra["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert collected == (items if forward else items[::-1])
    # a page that fills its Limit always carries a LastEvaluatedKey, even the one that ends
    # exactly at the last item: then one more, empty, page follows
    assert pages == len(NUMBERS) // limit + 1


def test_last_evaluated_key_when_limit_reaches_the_last_item(ddb: Any, table_sn: str) -> None:
    p = new_key()
    items = fill(ddb, table_sn, p, [{"N": "1"}, {"N": "2"}])
    got = query(ddb, table_sn, p, Limit=2)
    assert got == {
        "Items": items,
        "Count": 2,
        "ScannedCount": 2,
        "LastEvaluatedKey": {"p": {"S": p}, "c": {"N": "2"}},
    }
    got = query(ddb, table_sn, p, Limit=2, ExclusiveStartKey=got["LastEvaluatedKey"])
    assert got == {"Items": [], "Count": 0, "ScannedCount": 0}
    assert "LastEvaluatedKey" not in query(ddb, table_sn, p, Limit=3)


def test_exclusive_start_key_need_not_exist(ddb: Any, table_sn: str) -> None:
    p = new_key()
    fill(ddb, table_sn, p, [{"N": str(n)} for n in range(0, 40, 2)])
    for start, expected in [
        ("-3", ["0", "2"]),
        ("0", ["2", "4"]),
        ("17", ["18", "20"]),
        ("37", ["38"]),
        ("38", []),
        ("80", []),
    ]:
        got = query(ddb, table_sn, p, Limit=2, ExclusiveStartKey={"p": {"S": p}, "c": {"N": start}})
        assert [item["c"]["N"] for item in got["Items"]] == expected


def test_exclusive_start_key_with_sort_key_condition(ddb: Any, table_ss: str) -> None:
    p = new_key()
    fill(ddb, table_ss, p, [{"S": s} for s in STRINGS])
    got = query(
        ddb,
        table_ss,
        p,
        "begins_with(c, :a)",
        {":a": {"S": "ab"}},
        ExclusiveStartKey={"p": {"S": p}, "c": {"S": "abc"}},
    )
    assert [item["c"]["S"] for item in got["Items"]] == ["abd"]
    got = query(
        ddb,
        table_ss,
        p,
        "begins_with(c, :a)",
        {":a": {"S": "ab"}},
        ScanIndexForward=False,
        ExclusiveStartKey={"p": {"S": p}, "c": {"S": "abc"}},
    )
    assert [item["c"]["S"] for item in got["Items"]] == ["ab"]


# --- FilterExpression, Count and ScannedCount -------------------------------------------------


def test_filter_counts_scanned_and_matching_items(ddb: Any, table_sn: str) -> None:
    p = new_key()
    for n in range(1, 7):
        ddb.put_item(
            TableName=table_sn,
            Item={"p": {"S": p}, "c": {"N": str(n)}, "even": {"BOOL": n % 2 == 0}},
        )
    got = query(ddb, table_sn, p, values={":t": {"BOOL": True}}, FilterExpression="even = :t")
    assert [item["c"]["N"] for item in got["Items"]] == ["2", "4", "6"]
    assert (got["Count"], got["ScannedCount"]) == (3, 6)
    assert "LastEvaluatedKey" not in got


def test_limit_applies_before_the_filter(ddb: Any, table_sn: str) -> None:
    p = new_key()
    for n in range(1, 6):
        ddb.put_item(
            TableName=table_sn,
            Item={"p": {"S": p}, "c": {"N": str(n)}, **({"d": {"S": "x"}} if n == 2 else {})},
        )
    got = query(ddb, table_sn, p, values={":d": {"S": "x"}}, FilterExpression="d = :d", Limit=3)
    assert got == {
        "Items": [{"p": {"S": p}, "c": {"N": "2"}, "d": {"S": "x"}}],
        "Count": 1,
        "ScannedCount": 3,
        "LastEvaluatedKey": {"p": {"S": p}, "c": {"N": "3"}},
    }
    got = query(
        ddb,
        table_sn,
        p,
        values={":d": {"S": "x"}},
        FilterExpression="d = :d",
        Limit=3,
        ExclusiveStartKey=got["LastEvaluatedKey"],
    )
    assert got == {"Items": [], "Count": 0, "ScannedCount": 2}


def test_filter_matching_nothing_still_pages(ddb: Any, table_sn: str) -> None:
    p = new_key()
    fill(ddb, table_sn, p, [{"N": n} for n in NUMBERS])
    got = query(ddb, table_sn, p, values={":v": {"S": "none"}}, FilterExpression="x = :v", Limit=4)
    assert got == {
        "Items": [],
        "Count": 0,
        "ScannedCount": 4,
        "LastEvaluatedKey": {"p": {"S": p}, "c": {"N": "4"}},
    }


# --- ProjectionExpression and Select ----------------------------------------------------------


def test_projection(ddb: Any, table_sn: str) -> None:
    p = new_key()
    ddb.put_item(
        TableName=table_sn,
        Item={
            "p": {"S": p},
            "c": {"N": "1"},
            "a": {"S": "x"},
            "m": {"M": {"k": {"N": "1"}, "j": {"N": "2"}}},
        },
    )
    ddb.put_item(TableName=table_sn, Item={"p": {"S": p}, "c": {"N": "2"}})
    got = query(ddb, table_sn, p, ProjectionExpression="a, m.j, nothing")
    assert got == {
        "Items": [{"a": {"S": "x"}, "m": {"M": {"j": {"N": "2"}}}}, {}],
        "Count": 2,
        "ScannedCount": 2,
    }
    got = query(ddb, table_sn, p, ProjectionExpression="c", Select="SPECIFIC_ATTRIBUTES")
    assert got["Items"] == [{"c": {"N": "1"}}, {"c": {"N": "2"}}]


def test_projection_and_filter_on_different_attributes(ddb: Any, table_sn: str) -> None:
    p = new_key()
    for n, kind in [(1, "a"), (2, "b"), (3, "a")]:
        ddb.put_item(
            TableName=table_sn,
            Item={"p": {"S": p}, "c": {"N": str(n)}, "kind": {"S": kind}, "v": {"N": str(n * 10)}},
        )
    got = query(
        ddb,
        table_sn,
        p,
        values={":k": {"S": "a"}},
        FilterExpression="kind = :k",
        ProjectionExpression="v",
    )
    assert got == {"Items": [{"v": {"N": "10"}}, {"v": {"N": "30"}}], "Count": 2, "ScannedCount": 3}


def test_select_all_attributes_is_the_default(ddb: Any, table_sn: str) -> None:
    p = new_key()
    items = fill(ddb, table_sn, p, [{"N": "1"}, {"N": "2"}], x={"S": "y"})
    assert (
        query(ddb, table_sn, p, Select="ALL_ATTRIBUTES")
        == query(ddb, table_sn, p)
        == {"Items": items, "Count": 2, "ScannedCount": 2}
    )


def test_select_count(ddb: Any, table_sn: str) -> None:
    p = new_key()
    for n in range(1, 6):
        ddb.put_item(
            TableName=table_sn,
            Item={"p": {"S": p}, "c": {"N": str(n)}, "odd": {"BOOL": n % 2 == 1}},
        )
    assert query(ddb, table_sn, p, Select="COUNT") == {"Count": 5, "ScannedCount": 5}
    got = query(
        ddb, table_sn, p, values={":t": {"BOOL": True}}, FilterExpression="odd = :t", Select="COUNT"
    )
    assert got == {"Count": 3, "ScannedCount": 5}
    got = query(
        ddb,
        table_sn,
        p,
        values={":t": {"BOOL": True}},
        FilterExpression="odd = :t",
        Select="COUNT",
        Limit=2,
    )
    assert got == {
        "Count": 1,
        "ScannedCount": 2,
        "LastEvaluatedKey": {"p": {"S": p}, "c": {"N": "2"}},
    }
    assert query(ddb, table_sn, new_key(), Select="COUNT") == {"Count": 0, "ScannedCount": 0}


def test_select_specific_attributes_without_projection(ddb: Any, table_sn: str) -> None:
    assert query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
        Select="SPECIFIC_ATTRIBUTES",
    ) == (
        "ValidationException",
        "1 validation error detected: Must specify the AttributesToGet or ProjectionExpression "
        "when choosing to get SPECIFIC_ATTRIBUTES",
    )


def test_select_count_with_projection(ddb: Any, table_sn: str) -> None:
    assert query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
        Select="COUNT",
        ProjectionExpression="c",
    ) == (
        "ValidationException",
        "1 validation error detected: Cannot specify the ProjectionExpression when choosing to "
        "get only the Count",
    )


@pytest.mark.parametrize(
    ("select", "phrase"),
    [
        (
            "ALL_ATTRIBUTES",
            "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES",
        ),
        (
            "ALL_PROJECTED_ATTRIBUTES",
            "Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES",
        ),
    ],
)
def test_select_other_than_specific_with_projection(
    ddb: Any, table_sn: str, select: str, phrase: str
) -> None:
    code, message = query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
        Select=select,
        ProjectionExpression="c",
    )
    assert code == "ValidationException"
    # recorded with AWS's phrase; whether Query adds its "1 validation error detected: "
    # envelope to these two is not pinned by the captures
    assert message in {phrase, f"1 validation error detected: {phrase}"}


def test_select_all_projected_attributes_without_index(ddb: Any, table_sn: str) -> None:
    code, message = query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
        Select="ALL_PROJECTED_ATTRIBUTES",
    )
    assert code == "ValidationException"
    phrase = "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"
    assert message in {phrase, f"1 validation error detected: {phrase}"}


def test_select_with_unknown_value(ddb: Any, table_sn: str) -> None:
    assert query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
        Select="count",
    ) == (
        "ValidationException",
        "1 validation error detected: Value 'count' at 'select' failed to satisfy constraint: "
        "Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, "
        "ALL_PROJECTED_ATTRIBUTES]",
    )


# --- the 1 MB page ----------------------------------------------------------------------------


PAYLOAD = "x" * 100_000  # items of about 100 KB: ten of them make 1 MB


def test_one_megabyte_page(ddb: Any, make_table: Any) -> None:
    table_sn = make_table("p:S", "c:N")  # a table of its own for the megabytes
    p = new_key()
    items = fill(ddb, table_sn, p, [{"N": str(n)} for n in range(15)], big={"S": PAYLOAD})
    first = query(ddb, table_sn, p)
    # the page stops once 1 MB was read: after 10 items (1,000,000+ bytes) or at the item
    # that crosses 1,048,576 bytes
    assert 10 <= first["Count"] <= 11
    assert first["ScannedCount"] == first["Count"]
    assert first["Items"] == items[: first["Count"]]
    assert first["LastEvaluatedKey"] == {"p": {"S": p}, "c": items[first["Count"] - 1]["c"]}
    second = query(ddb, table_sn, p, ExclusiveStartKey=first["LastEvaluatedKey"])
    assert second == {
        "Items": items[first["Count"] :],
        "Count": 15 - first["Count"],
        "ScannedCount": 15 - first["Count"],
    }


def test_one_megabyte_page_applies_before_filter_and_count(ddb: Any, make_table: Any) -> None:
    table_sn = make_table("p:S", "c:N")  # a table of its own for the megabytes
    p = new_key()
    fill(ddb, table_sn, p, [{"N": str(n)} for n in range(15)], big={"S": PAYLOAD})
    got = query(ddb, table_sn, p, values={":v": {"S": "no"}}, FilterExpression="big = :v")
    assert got["Items"] == []
    assert got["Count"] == 0
    assert 10 <= got["ScannedCount"] <= 11
    assert "LastEvaluatedKey" in got
    got = query(ddb, table_sn, p, Select="COUNT")
    assert 10 <= got["Count"] == got["ScannedCount"] <= 11
    assert "LastEvaluatedKey" in got
    got = query(ddb, table_sn, p, ProjectionExpression="c")  # the projection does not help
    assert 10 <= got["Count"] <= 11
    assert "LastEvaluatedKey" in got


def test_limit_stops_before_the_megabyte(ddb: Any, make_table: Any) -> None:
    table_sn = make_table("p:S", "c:N")  # a table of its own for the megabytes
    p = new_key()
    items = fill(ddb, table_sn, p, [{"N": str(n)} for n in range(12)], big={"S": PAYLOAD})
    got = query(ddb, table_sn, p, Limit=4)
    assert got["Items"] == items[:4]
    assert got["LastEvaluatedKey"] == {"p": {"S": p}, "c": {"N": "3"}}


# --- ConsistentRead ---------------------------------------------------------------------------


def test_consistent_read(ddb: Any, table_sn: str) -> None:
    p = new_key()
    items = fill(ddb, table_sn, p, [{"N": "1"}])
    strong = query(ddb, table_sn, p, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    eventual = query(ddb, table_sn, p, ConsistentRead=False, ReturnConsumedCapacity="TOTAL")
    assert strong["Items"] == eventual["Items"] == items
    # an eventually consistent read costs half a strongly consistent one
    assert strong["ConsumedCapacity"] == {"TableName": table_sn, "CapacityUnits": 1.0}
    assert eventual["ConsumedCapacity"] == {"TableName": table_sn, "CapacityUnits": 0.5}


# --- errors -----------------------------------------------------------------------------------


def test_missing_key_condition(ddb: Any, table_sn: str) -> None:
    assert query_error(ddb, TableName=table_sn) == (
        "ValidationException",
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.",
    )


@pytest.mark.parametrize("condition", ["c = :v", "extra = :v", "c = :v AND extra = :v"])
def test_key_condition_missing_the_partition_key(ddb: Any, table_ss: str, condition: str) -> None:
    assert query_error(
        ddb,
        TableName=table_ss,
        KeyConditionExpression=condition,
        ExpressionAttributeValues={":v": {"S": "x"}},
    ) == ("ValidationException", "Query condition missed key schema element: p")


def test_partition_key_needs_equality(ddb: Any, table_s: str) -> None:
    assert query_error(
        ddb,
        TableName=table_s,
        KeyConditionExpression="p > :v",
        ExpressionAttributeValues={":v": {"S": "x"}},
    ) == ("ValidationException", "Query key condition not supported")


@pytest.mark.parametrize("filter_", ["c = :v", "p = :w", "attribute_exists(c)", "c.x = :v"])
def test_filter_on_key_attribute(ddb: Any, table_sn: str, filter_: str) -> None:
    values = {":p": {"S": "x"}}
    if ":v" in filter_:
        values[":v"] = {"N": "1"}
    if ":w" in filter_:
        values[":w"] = {"S": "x"}
    key = "p" if filter_.startswith("p") else "c"
    assert query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        FilterExpression=filter_,
        ExpressionAttributeValues=values,
    ) == (
        "ValidationException",
        "Filter Expression can only contain non-primary key attributes: Primary key attribute: "
        + key,
    )


def test_key_condition_value_of_wrong_type(ddb: Any, table_sn: str) -> None:
    assert query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p AND c = :c",
        ExpressionAttributeValues={":p": {"S": "x"}, ":c": {"S": "1"}},
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Condition parameter type does not match "
        "schema type",
    )


@pytest.mark.parametrize(
    "start",
    [
        {"bad": {"S": "x"}},  # not the key
        {"p": {"S": "x"}},  # sort key missing
        {"p": {"S": "x"}, "c": {"N": "1"}, "extra": {"S": "y"}},  # a non-key attribute too
        {"c": {"N": "1"}},
    ],
)
def test_malformed_exclusive_start_key(ddb: Any, table_sn: str, start: Item) -> None:
    assert query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
        ExclusiveStartKey=start,
    ) == ("ValidationException", "The provided starting key is invalid")


@pytest.mark.parametrize(
    "start",
    [{"p": {"N": "7"}, "c": {"N": "42"}}, {"p": {"S": "x"}, "c": {"S": "dog"}}],
)
def test_exclusive_start_key_of_wrong_types(ddb: Any, table_sn: str, start: Item) -> None:
    code, message = query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
        ExclusiveStartKey=start,
    )
    assert code == "ValidationException"
    # dynalite recorded the bare phrase; newer captures put "The provided starting key is
    # invalid: " in front of it
    assert message in {
        "The provided key element does not match the schema",
        "The provided starting key is invalid: The provided key element does not match the schema",
    }


def test_exclusive_start_key_in_another_partition(ddb: Any, table_sn: str) -> None:
    assert query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "right"}},
        ExclusiveStartKey={"p": {"S": "wrong"}, "c": {"N": "0"}},
    ) == (
        "ValidationException",
        "The provided starting key is outside query boundaries based on provided conditions",
    )


@pytest.mark.parametrize("start_partition", ["a", "b"])
def test_exclusive_start_key_outside_the_sort_key_condition(
    ddb: Any, table_ss: str, start_partition: str
) -> None:
    assert query_error(
        ddb,
        TableName=table_ss,
        KeyConditionExpression="p = :a AND c > :a",
        ExpressionAttributeValues={":a": {"S": "b"}},
        ExclusiveStartKey={"p": {"S": start_partition}, "c": {"S": "a"}},
    ) == ("ValidationException", "The provided starting key does not match the range key predicate")


def test_exclusive_start_key_on_hash_only_table(ddb: Any, table_s: str) -> None:
    p = new_key()
    assert query_error(
        ddb,
        TableName=table_s,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": p}},
        ExclusiveStartKey={"p": {"S": p}},
    ) == (
        "ValidationException",
        f"The provided exclusive start key is invalid: ExclusiveStartKey: {{p=AttributeValue: "
        f"{{S:{p}}}}}",
    )


def test_limit_of_zero(ddb: Any, table_sn: str) -> None:
    assert query_error(
        ddb,
        TableName=table_sn,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
        Limit=0,
    ) == (
        "ValidationException",
        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member must "
        "have value greater than or equal to 1",
    )


def test_non_existent_table(ddb: Any) -> None:
    assert query_error(
        ddb,
        TableName=unique_name("missing"),
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
    ) == ("ResourceNotFoundException", "Requested resource not found")


def test_non_existent_table_with_any_start_key(ddb: Any) -> None:
    """The table is looked up before the ExclusiveStartKey is checked against its schema."""
    assert query_error(
        ddb,
        TableName=unique_name("missing"),
        KeyConditionExpression="z = :a",
        ExpressionAttributeValues={":a": {"N": "1"}},
        ExclusiveStartKey={"b": {"S": "a"}},
    ) == ("ResourceNotFoundException", "Requested resource not found")


@pytest.mark.parametrize("table_fixture", ["table_s", "table_sn"])
def test_non_existent_index(ddb: Any, request: pytest.FixtureRequest, table_fixture: str) -> None:
    table = request.getfixturevalue(table_fixture)
    assert query_error(
        ddb,
        TableName=table,
        IndexName="whatever",
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": "x"}},
    ) == ("ValidationException", "The table does not have the specified index: whatever")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"KeyConditionExpression": "", "ExpressionAttributeValues": {":0": {"S": "b"}}},
            "Invalid KeyConditionExpression: The expression can not be empty;",
        ),
        (
            {
                "KeyConditions": {
                    "p": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "x"}]}
                },
                "QueryFilter": {"a": {"ComparisonOperator": "EQ"}},
            },
            "One or more parameter values were invalid: Invalid number of argument(s) for the EQ "
            "ComparisonOperator",
        ),
        (
            {
                "KeyConditions": {
                    "p": {
                        "ComparisonOperator": "BETWEEN",
                        "AttributeValueList": [{"S": "b"}, {"S": "a"}],
                    }
                }
            },
            "The BETWEEN condition was provided a range where the lower bound is greater than the "
            "upper bound",
        ),
    ],
)
def test_request_is_validated_before_the_table_is_looked_up(
    ddb: Any, params: dict[str, Any], message: str
) -> None:
    assert query_error(ddb, TableName=unique_name("missing"), **params) == (
        "ValidationException",
        message,
    )


@pytest.mark.parametrize("forward", [True, False])
def test_begins_with_0xff_prefix_pages_in_both_directions(
    ddb: Any, table_sb: str, forward: bool
) -> None:
    p = new_key()
    fill(
        ddb,
        table_sb,
        p,
        [{"B": b} for b in [b"\x01", b"\xfe", b"\xff", b"\xff\x00", b"\xff\xff", b"\xff\xff\xff"]],
    )
    expected = [b"\xff", b"\xff\x00", b"\xff\xff", b"\xff\xff\xff"]
    if not forward:
        expected.reverse()
    collected: list[bytes] = []
    extra: dict[str, Any] = {"Limit": 1, "ScanIndexForward": forward}
    while True:
        page = query(ddb, table_sb, p, "begins_with(c, :b)", {":b": {"B": b"\xff"}}, **extra)
        collected += [item["c"]["B"] for item in page["Items"]]
        if "LastEvaluatedKey" not in page:
            break
        extra["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert collected == expected
