"""ReturnConsumedCapacity: read units per 4 KB (half for eventually consistent reads), write
units per 1 KB, the larger of the old and the new item for writes, per-table lists for batches.

Sources: [docs] DynamoDB Developer Guide "Read/write capacity mode" and "DynamoDB item sizes and
formats" (a read unit covers up to 4 KB, strongly consistent; eventually consistent reads cost
half; a write unit covers 1 KB; PutItem/UpdateItem count the larger of the item before and after;
BatchGetItem/BatchWriteItem count each item separately); the API Reference (ReturnConsumedCapacity
INDEXES adds "Table" and per-index figures); [alternator] scylladb
test/alternator/test_returnconsumedcapacity.py (written against DynamoDB); [dynalite]
mhart/dynalite test/updateItem.js, getItem.js (exact ConsumedCapacity bodies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from conftest import new_key

if TYPE_CHECKING:
    from conftest import TableFactory
    from dynamodb.conftest import RawCall

pytestmark = pytest.mark.aws_documented

KB = 1024


def units(out: dict[str, Any]) -> float:
    value: float = out["ConsumedCapacity"]["CapacityUnits"]
    return value


def sized_item(key: str, total: int) -> dict[str, Any]:
    """An item of ``total`` bytes in a table keyed by ``p``: p + key + "v" + value."""
    return {"p": {"S": key}, "v": {"S": "a" * (total - 1 - len(key) - 1)}}


# --- reads


@pytest.mark.parametrize(("consistent", "expected"), [(True, 1.0), (False, 0.5)])
def test_get_small_item(ddb: Any, table_s: str, consistent: bool, expected: float) -> None:
    key = {"p": {"S": new_key()}}
    ddb.put_item(TableName=table_s, Item={**key, "a": {"S": "x"}})
    out = ddb.get_item(
        TableName=table_s, Key=key, ConsistentRead=consistent, ReturnConsumedCapacity="TOTAL"
    )
    assert out["ConsumedCapacity"] == {"TableName": table_s, "CapacityUnits": expected}


@pytest.mark.parametrize(("consistent", "expected"), [(True, 1.0), (False, 0.5)])
def test_get_missing_item(ddb: Any, table_s: str, consistent: bool, expected: float) -> None:
    out = ddb.get_item(
        TableName=table_s,
        Key={"p": {"S": new_key()}},
        ConsistentRead=consistent,
        ReturnConsumedCapacity="TOTAL",
    )
    assert "Item" not in out
    assert units(out) == expected


@pytest.mark.parametrize(
    ("size", "strong", "eventual"),
    [(4 * KB, 1.0, 0.5), (4 * KB + 1, 2.0, 1.0), (8 * KB, 2.0, 1.0), (8 * KB + 1, 3.0, 1.5)],
)
def test_read_units_per_4kb(
    ddb: Any, table_s: str, size: int, strong: float, eventual: float
) -> None:
    key = new_key()
    ddb.put_item(TableName=table_s, Item=sized_item(key, size))
    for consistent, expected in ((True, strong), (False, eventual)):
        out = ddb.get_item(
            TableName=table_s,
            Key={"p": {"S": key}},
            ConsistentRead=consistent,
            ReturnConsumedCapacity="TOTAL",
        )
        assert units(out) == expected


def test_projection_does_not_reduce_read_units(ddb: Any, table_s: str) -> None:
    key = new_key()
    ddb.put_item(TableName=table_s, Item=sized_item(key, 4 * KB + 1))
    out = ddb.get_item(
        TableName=table_s,
        Key={"p": {"S": key}},
        ProjectionExpression="p",
        ConsistentRead=True,
        ReturnConsumedCapacity="TOTAL",
    )
    assert out["Item"] == {"p": {"S": key}}
    assert units(out) == 2.0


def test_indexes_mode_adds_table(ddb: Any, table_s: str) -> None:
    out = ddb.get_item(
        TableName=table_s,
        Key={"p": {"S": new_key()}},
        ConsistentRead=True,
        ReturnConsumedCapacity="INDEXES",
    )
    assert out["ConsumedCapacity"] == {
        "TableName": table_s,
        "CapacityUnits": 1.0,
        "Table": {"CapacityUnits": 1.0},
    }


@pytest.mark.parametrize("mode", [None, "NONE"])
def test_no_capacity_unless_asked(raw: RawCall, table_s: str, mode: str | None) -> None:
    request: dict[str, Any] = {"TableName": table_s, "Item": {"p": {"S": new_key()}}}
    if mode is not None:
        request["ReturnConsumedCapacity"] = mode
    assert raw("PutItem", request).json() == {}
    request = {"TableName": table_s, "Key": request["Item"]}
    if mode is not None:
        request["ReturnConsumedCapacity"] = mode
    assert "ConsumedCapacity" not in raw("GetItem", request).json()


# --- writes


@pytest.mark.parametrize(("size", "expected"), [(KB, 1.0), (KB + 1, 2.0), (3 * KB, 3.0)])
def test_put_write_units_per_kb(ddb: Any, table_s: str, size: int, expected: float) -> None:
    out = ddb.put_item(
        TableName=table_s, Item=sized_item(new_key(), size), ReturnConsumedCapacity="TOTAL"
    )
    assert out["ConsumedCapacity"] == {"TableName": table_s, "CapacityUnits": expected}


def test_attribute_names_count(ddb: Any, table_s: str) -> None:
    out = ddb.put_item(
        TableName=table_s,
        Item={"p": {"S": new_key()}, "a" * KB: {"S": "x"}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert units(out) == 2.0


def test_put_over_larger_item_counts_old_size(ddb: Any, table_s: str) -> None:
    key = new_key()
    first = ddb.put_item(
        TableName=table_s, Item=sized_item(key, 2 * KB + 100), ReturnConsumedCapacity="TOTAL"
    )
    assert units(first) == 3.0
    second = ddb.put_item(
        TableName=table_s,
        Item={"p": {"S": key}, "v": {"S": "a"}},
        ReturnConsumedCapacity="TOTAL",
        ReturnValues="ALL_OLD",
    )
    assert units(second) == 3.0


def test_delete_counts_deleted_item(ddb: Any, table_s: str) -> None:
    key = new_key()
    ddb.put_item(TableName=table_s, Item=sized_item(key, 2 * KB + 1))
    out = ddb.delete_item(TableName=table_s, Key={"p": {"S": key}}, ReturnConsumedCapacity="TOTAL")
    assert units(out) == 3.0


def test_delete_missing_item_costs_one_unit(ddb: Any, table_s: str) -> None:
    out = ddb.delete_item(
        TableName=table_s, Key={"p": {"S": new_key()}}, ReturnConsumedCapacity="TOTAL"
    )
    assert out["ConsumedCapacity"] == {"TableName": table_s, "CapacityUnits": 1.0}


def test_update_creating_item(raw: RawCall, table_s: str) -> None:
    response = raw(
        "UpdateItem",
        {
            "TableName": table_s,
            "Key": {"p": {"S": new_key()}},
            "UpdateExpression": "SET a = :a",
            "ExpressionAttributeValues": {":a": {"S": "x"}},
            "ReturnConsumedCapacity": "TOTAL",
        },
    )
    assert response.json() == {"ConsumedCapacity": {"TableName": table_s, "CapacityUnits": 1.0}}


def test_update_counts_larger_of_old_and_new(ddb: Any, table_s: str) -> None:
    key = new_key()
    ddb.put_item(TableName=table_s, Item=sized_item(key, 2 * KB + 1))
    shrink = ddb.update_item(
        TableName=table_s,
        Key={"p": {"S": key}},
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": {"S": "a"}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert units(shrink) == 3.0
    grow = ddb.update_item(
        TableName=table_s,
        Key={"p": {"S": key}},
        UpdateExpression="SET w = :w",
        ExpressionAttributeValues={":w": {"S": "b" * (4 * KB)}},
        ReturnConsumedCapacity="INDEXES",
    )
    assert grow["ConsumedCapacity"] == {
        "TableName": table_s,
        "CapacityUnits": 5.0,
        "Table": {"CapacityUnits": 5.0},
    }


# --- batches


def test_batch_get_sums_per_item(ddb: Any, table_s: str) -> None:
    big, small = new_key(), new_key()
    ddb.put_item(TableName=table_s, Item=sized_item(big, 64 * KB + 10))
    ddb.put_item(TableName=table_s, Item=sized_item(small, 16 * KB + 10))
    out = ddb.batch_get_item(
        RequestItems={
            table_s: {"Keys": [{"p": {"S": big}}, {"p": {"S": small}}], "ConsistentRead": True}
        },
        ReturnConsumedCapacity="TOTAL",
    )
    assert out["ConsumedCapacity"] == [{"TableName": table_s, "CapacityUnits": 22.0}]


def test_batch_get_per_table(ddb: Any, table_s: str, table_ss: str) -> None:
    keys_s = [{"p": {"S": new_key()}} for _ in range(5)]
    keys_ss = [{"p": {"S": new_key()}, "c": {"S": "x"}} for _ in range(3)]
    for k in keys_s:
        ddb.put_item(TableName=table_s, Item=k)
    for k in keys_ss:
        ddb.put_item(TableName=table_ss, Item=k)
    out = ddb.batch_get_item(
        RequestItems={
            table_s: {"Keys": keys_s, "ConsistentRead": True},
            table_ss: {"Keys": keys_ss, "ConsistentRead": False},
        },
        ReturnConsumedCapacity="INDEXES",
    )
    by_table = {c["TableName"]: c for c in out["ConsumedCapacity"]}
    assert by_table == {
        table_s: {"TableName": table_s, "CapacityUnits": 5.0, "Table": {"CapacityUnits": 5.0}},
        table_ss: {"TableName": table_ss, "CapacityUnits": 1.5, "Table": {"CapacityUnits": 1.5}},
    }


def test_batch_write_per_table(ddb: Any, table_s: str, table_ss: str) -> None:
    victim = {"p": {"S": new_key()}, "c": {"S": "x"}}
    ddb.put_item(TableName=table_ss, Item=victim)
    out = ddb.batch_write_item(
        RequestItems={
            table_s: [
                *(
                    {"PutRequest": {"Item": {"p": {"S": new_key()}, "a": {"S": "hi"}}}}
                    for _ in range(3)
                ),
                {"PutRequest": {"Item": {"p": {"S": new_key()}, "a": {"S": "a" * KB}}}},
            ],
            table_ss: [
                {"PutRequest": {"Item": {"p": {"S": new_key()}, "c": {"S": "y"}}}},
                {"DeleteRequest": {"Key": victim}},
            ],
        },
        ReturnConsumedCapacity="TOTAL",
    )
    assert {c["TableName"]: c for c in out["ConsumedCapacity"]} == {
        table_s: {"TableName": table_s, "CapacityUnits": 5.0},
        table_ss: {"TableName": table_ss, "CapacityUnits": 2.0},
    }


def test_batch_without_capacity(ddb: Any, table_s: str) -> None:
    out = ddb.batch_write_item(
        RequestItems={table_s: [{"PutRequest": {"Item": {"p": {"S": new_key()}}}}]}
    )
    assert "ConsumedCapacity" not in out


@pytest.mark.aws_documented
def test_indexes_mode_reports_global_index_writes(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(
        ExtraAttributes=["g:S"],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    out = ddb.put_item(
        TableName=name,
        Item={"p": {"S": new_key()}, "g": {"S": "x"}},
        ReturnConsumedCapacity="INDEXES",
    )
    assert out["ConsumedCapacity"] == {
        "TableName": name,
        "CapacityUnits": 2.0,
        "Table": {"CapacityUnits": 1.0},
        "GlobalSecondaryIndexes": {"gsi": {"CapacityUnits": 1.0}},
    }
