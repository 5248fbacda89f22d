"""Index entries follow the items: puts, updates, deletes and batch writes add, move, refresh
and remove them (sparse indexes, items sharing an index key); writes the indexes refuse; the
write capacity indexes consume; UpdateTable's Create backfilling existing items; counts and
sizes in DescribeTable; deleting an index; index data across a restart.

Sources: [gsi-doc] Developer Guide "Using Global Secondary Indexes in DynamoDB" (data
synchronization; index key types enforced on writes; write units per touched index: one to
add or remove an entry, two to move it, one to refresh projected attributes, none when the
index is not affected); [lsi-doc] "Local secondary indexes" (the same for local indexes);
[online-doc] "Managing Global Secondary Indexes" (CREATING with Backfilling, no Query or Scan
until ACTIVE, items violating the new key left out, no other index created meanwhile);
[api] DescribeTable (IndexSizeBytes and ItemCount, refreshed about every six hours);
[cli] aws-cli examples/dynamodb/batch-write-item.rst (Table 3, LocalSecondaryIndexes 3);
[alternator] test_gsi.py, test_lsi.py, test_gsi_updatetable.py; [reports] AWS errors quoted
in public reports: dynalite#184 and danishi/dynamodb-csv#41 (empty index key on PutItem and
BatchWriteItem), getmoto/moto's "AWS has a different message" and a user's captured log for
the UpdateItem variant, wellcomecollection/platform#2285 and dynalite#35 ("Size limit
exceeded for Index Key ..."), architect/architect#334 and ryanfitz/vogels#125 (a second index
while one is being created), a user's README ("Cannot read from backfilling global secondary
index: key-index").
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import GureumProcess, TableFactory, error_of, new_key

if TYPE_CHECKING:
    from pathlib import Path

Item = dict[str, Any]

GSI = "by-g"  # g (S), ALL
GSI_N = "by-g-n"  # g (S) / n (N), KEYS_ONLY
LSI = "by-l"  # p / l (N), INCLUDE a
INVALID = "One or more parameter values were invalid: "


def index(name: str, *keys: str, projection: str = "ALL", include: Any = None) -> dict[str, Any]:
    kinds = ("HASH", "RANGE")[: len(keys)]
    spec: dict[str, Any] = {"ProjectionType": projection}
    if include:
        spec["NonKeyAttributes"] = include
    return {
        "IndexName": name,
        "KeySchema": [{"AttributeName": k, "KeyType": t} for k, t in zip(keys, kinds, strict=True)],
        "Projection": spec,
    }


@pytest.fixture
def table(make_table: TableFactory) -> str:
    return make_table(
        "p:S",
        "c:S",
        ExtraAttributes=["g:S", "n:N", "l:N"],
        GlobalSecondaryIndexes=[index(GSI, "g"), index(GSI_N, "g", "n", projection="KEYS_ONLY")],
        LocalSecondaryIndexes=[index(LSI, "p", "l", projection="INCLUDE", include=["a"])],
    )


def item(g: str | None = None, n: int | None = None, lv: int | None = None, **more: Any) -> Item:
    out: Item = {"p": {"S": new_key()}, "c": {"S": "c"}, "a": {"S": "a"}, "b": {"S": "b"}}
    if g is not None:
        out["g"] = {"S": g}
    if n is not None:
        out["n"] = {"N": str(n)}
    if lv is not None:
        out["l"] = {"N": str(lv)}
    return out | {k: {"S": v} for k, v in more.items()}


def key(it: Item) -> Item:
    return {"p": it["p"], "c": it["c"]}


def entries(ddb: Any, table: str, name: str) -> list[Item]:
    """Everything index ``name`` holds, in table key order."""
    got: list[Item] = []
    extra: dict[str, Any] = {}
    while True:
        page = ddb.scan(TableName=table, IndexName=name, **extra)
        got += page["Items"]
        if "LastEvaluatedKey" not in page:
            return sorted(got, key=lambda i: (i["p"]["S"], i.get("c", {}).get("S", "")))
        extra["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def lookup(ddb: Any, table: str, g: str, name: str = GSI) -> list[Item]:
    found: list[Item] = ddb.query(
        TableName=table,
        IndexName=name,
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": g}},
    )["Items"]
    return sorted(found, key=lambda i: i["p"]["S"])


def pick(it: Item, *names: str) -> Item:
    return {n: it[n] for n in names if n in it}


def refused(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


# --- entries follow the items


@pytest.mark.aws_documented
def test_put_adds_replaces_and_removes_entries(ddb: Any, table: str) -> None:
    it = item("A", 1, 5)
    ddb.put_item(TableName=table, Item=it)
    assert entries(ddb, table, GSI) == [it]
    assert entries(ddb, table, GSI_N) == [pick(it, "p", "c", "g", "n")]
    assert entries(ddb, table, LSI) == [pick(it, "p", "c", "l", "a")]
    moved = {**it, "g": {"S": "B"}, "a": {"S": "a2"}}
    ddb.put_item(TableName=table, Item=moved)
    assert lookup(ddb, table, "A") == []
    assert lookup(ddb, table, "B") == [moved]
    assert entries(ddb, table, LSI) == [pick(moved, "p", "c", "l", "a")]
    # a put without the index keys takes the item out of the indexes (sparse) [gsi-doc]
    ddb.put_item(TableName=table, Item=key(it))
    assert entries(ddb, table, GSI) == entries(ddb, table, GSI_N) == entries(ddb, table, LSI) == []


@pytest.mark.aws_documented
def test_update_item_moves_refreshes_and_removes_entries(ddb: Any, table: str) -> None:
    # [alternator] test_update_gsi_pk / test_update_gsi_ck, test_lsi_update_modifies_index
    it = item("A", 1, 5)
    ddb.put_item(TableName=table, Item=it)

    def update(expression: str, values: Item | None = None) -> None:
        params: dict[str, Any] = {"UpdateExpression": expression}
        if values:
            params["ExpressionAttributeValues"] = values
        ddb.update_item(TableName=table, Key=key(it), **params)

    update("SET g = :g, a = :a", {":g": {"S": "B"}, ":a": {"S": "a2"}})
    assert lookup(ddb, table, "A") == lookup(ddb, table, "A", GSI_N) == []
    now = {**it, "g": {"S": "B"}, "a": {"S": "a2"}}
    assert lookup(ddb, table, "B") == [now]
    assert lookup(ddb, table, "B", GSI_N) == [pick(now, "p", "c", "g", "n")]
    assert entries(ddb, table, LSI) == [pick(now, "p", "c", "l", "a")]
    update("REMOVE n")
    assert lookup(ddb, table, "B", GSI_N) == []
    assert lookup(ddb, table, "B") == [{k: v for k, v in now.items() if k != "n"}]
    update("REMOVE g, l")
    assert entries(ddb, table, GSI) == entries(ddb, table, LSI) == []


@pytest.mark.aws_documented
def test_delete_and_batch_writes(ddb: Any, table: str) -> None:
    # [alternator] test_gsi_missing_attribute (BatchWriteItem), test_lsi_delete_modifies_index
    first, second, third = item("A", 1, 1), item("A", 2, 2), item("A", 3)
    ddb.batch_write_item(
        RequestItems={table: [{"PutRequest": {"Item": i}} for i in (first, second, third)]}
    )
    assert lookup(ddb, table, "A") == sorted([first, second, third], key=lambda i: i["p"]["S"])
    assert len(entries(ddb, table, LSI)) == 2
    ddb.batch_write_item(RequestItems={table: [{"DeleteRequest": {"Key": key(first)}}]})
    ddb.delete_item(TableName=table, Key=key(second))
    assert lookup(ddb, table, "A") == [third]
    assert lookup(ddb, table, "A", GSI_N) == [pick(third, "p", "c", "g", "n")]
    assert entries(ddb, table, LSI) == []


@pytest.mark.aws_documented
def test_items_sharing_an_index_key(ddb: Any, table: str) -> None:
    # [gsi-doc]: index key values need not be unique; [lsi-doc]: nor local sort key values
    g = new_key()
    items = [item(g, 7, 7) for _ in range(5)]
    for it in items:
        ddb.put_item(TableName=table, Item=it)
    assert lookup(ddb, table, g) == sorted(items, key=lambda i: i["p"]["S"])
    assert len(lookup(ddb, table, g, GSI_N)) == 5
    ddb.delete_item(TableName=table, Key=key(items[0]))
    ddb.update_item(
        TableName=table,
        Key=key(items[1]),
        UpdateExpression="SET g = :g",
        ExpressionAttributeValues={":g": {"S": "elsewhere"}},
    )
    assert lookup(ddb, table, g) == sorted(items[2:], key=lambda i: i["p"]["S"])


@pytest.mark.aws_documented
def test_sparse_composite_index(ddb: Any, table: str) -> None:
    # [gsi-doc], [lsi-doc]: an item is in an index only with all of its key attributes
    only_g, only_n, both = item("A"), item(n=1), item("A", 2)
    for it in (only_g, only_n, both):
        ddb.put_item(TableName=table, Item=it)
    assert entries(ddb, table, GSI_N) == [pick(both, "p", "c", "g", "n")]
    assert {i["p"]["S"] for i in entries(ddb, table, GSI)} == {only_g["p"]["S"], both["p"]["S"]}
    assert entries(ddb, table, LSI) == []


# --- writes the indexes refuse


def mismatch(name: str, expected: str, actual: str, index_name: str) -> str:
    # the text of test_update_table_indexes.py ([reports] dynamoose#296, [dynalite])
    return (
        f"{INVALID}Type mismatch for Index Key {name} Expected: {expected} Actual: {actual} "
        f"IndexName: {index_name}"
    )


def empty_key(index_name: str, name: str) -> str:
    return (
        "One or more parameter values are not valid. A value specified for a secondary index key "
        "is not supported. The AttributeValue for a key attribute cannot contain an empty string "
        f"value. IndexName: {index_name}, IndexKey: {name}"
    )


@pytest.mark.aws_documented
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"n": {"S": "1"}}, mismatch("n", "N", "S", GSI_N)),
        ({"l": {"S": "1"}}, mismatch("l", "N", "S", LSI)),
        ({"g": {"S": "A"}, "n": {"N": "1"}, "l": {"B": b"1"}}, mismatch("l", "N", "B", LSI)),
    ],
    ids=["global-range", "local-range", "local-with-good-global"],
)
@pytest.mark.parametrize("operation", ["put", "batch"])
def test_index_key_of_the_wrong_type(
    ddb: Any, table: str, bad: Item, message: str, operation: str
) -> None:
    # [gsi-doc], [lsi-doc]: ValidationException, nothing written; [alternator]
    # test_gsi_wrong_type_attribute_batch: the whole batch refused
    it = {**key(item()), **bad}
    good = item("A", 1, 1)
    if operation == "put":
        error = refused(ddb.put_item, TableName=table, Item=it)
    else:
        requests = [{"PutRequest": {"Item": i}} for i in (good, it)]
        error = refused(ddb.batch_write_item, RequestItems={table: requests})
    assert error == ("ValidationException", message)
    for written in (it, good):
        assert "Item" not in ddb.get_item(TableName=table, Key=key(written))


@pytest.mark.aws_documented
@pytest.mark.parametrize("operation", ["put", "batch"])
def test_empty_string_index_key_in_an_item(ddb: Any, table: str, operation: str) -> None:
    # [reports] dynalite#184 (PutItem), dynamodb-csv#41 (BatchWriteItem)
    it = {**key(item()), "l": {"N": "1"}, "g": {"S": ""}}
    if operation == "put":
        error = refused(ddb.put_item, TableName=table, Item=it)
    else:
        error = refused(ddb.batch_write_item, RequestItems={table: [{"PutRequest": {"Item": it}}]})
    assert error == ("ValidationException", empty_key(GSI, "g"))
    assert "Item" not in ddb.get_item(TableName=table, Key=key(it))


@pytest.mark.aws_documented
def test_empty_string_index_key_from_an_update_expression(ddb: Any, table: str) -> None:
    # [reports] moto ("AWS has a different message for empty index keys") and a user's captured
    # log: no IndexName / IndexKey in this variant
    it = item("A")
    ddb.put_item(TableName=table, Item=it)
    assert refused(
        ddb.update_item,
        TableName=table,
        Key=key(it),
        UpdateExpression="SET g = :g",
        ExpressionAttributeValues={":g": {"S": ""}},
    ) == (
        "ValidationException",
        "One or more parameter values are not valid. The update expression attempted to update a "
        "secondary index key to a value that is not supported. The AttributeValue for a key "
        "attribute cannot contain an empty string value.",
    )
    assert ddb.get_item(TableName=table, Key=key(it))["Item"] == it


@pytest.fixture
def sized(make_table: TableFactory) -> str:
    """``p`` (S) with GSI ``by-h`` on ``h`` (S) and ``by-x-r`` on ``x`` (S) / ``r`` (S)."""
    return make_table(
        ExtraAttributes=["h:S", "x:S", "r:S"],
        GlobalSecondaryIndexes=[index("by-h", "h"), index("by-x-r", "x", "r")],
    )


@pytest.mark.aws_documented
def test_oversized_index_partition_key(ddb: Any, sized: str) -> None:
    # [reports] wellcomecollection/platform#2285, dynalite#35, [alternator]
    # test_gsi_limit_partition_key_len_2048: 2048 bytes fit, 2049 do not
    fits = {"p": {"S": new_key()}, "h": {"S": "h" * 2048}}
    ddb.put_item(TableName=sized, Item=fits)
    assert entries(ddb, sized, "by-h") == [fits]
    big = {"p": {"S": new_key()}, "h": {"S": "é" * 1025}}  # 2050 bytes of UTF-8
    assert refused(ddb.put_item, TableName=sized, Item=big) == (
        "ValidationException",
        f"{INVALID}Size limit exceeded for Index Key h Actual Size: 2050 bytes Max Size: 2048 "
        "bytes IndexName: by-h",
    )
    assert "Item" not in ddb.get_item(TableName=sized, Key={"p": big["p"]})


@pytest.mark.aws_documented
def test_oversized_index_sort_key(ddb: Any, sized: str) -> None:
    # [alternator] test_gsi_limit_sort_key_len_1024 (the message names the 1024 limit; its
    # exact wording for a sort key was not found)
    fits = {"p": {"S": new_key()}, "x": {"S": "x"}, "r": {"S": "r" * 1024}}
    ddb.put_item(TableName=sized, Item=fits)
    assert entries(ddb, sized, "by-x-r") == [fits]
    big = {**fits, "p": {"S": new_key()}, "r": {"S": "r" * 1025}}
    code, message = refused(ddb.put_item, TableName=sized, Item=big)
    assert code == "ValidationException"
    assert "1024" in message
    assert "Item" not in ddb.get_item(TableName=sized, Key={"p": big["p"]})


# --- write capacity


def charged(consumed: dict[str, Any]) -> dict[str, float]:
    """The units of the table and of each index a write was charged for."""
    out = {"table": consumed["Table"]["CapacityUnits"]}
    for member in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        for name, units in consumed.get(member, {}).items():
            if units["CapacityUnits"]:
                out[name] = units["CapacityUnits"]
    assert consumed["CapacityUnits"] == sum(out.values())
    return out


@pytest.mark.aws_documented
def test_write_capacity_of_each_touched_index(ddb: Any, table: str) -> None:
    # [gsi-doc] "Write Capacity Units", [lsi-doc]; [alternator]
    # test_return_consumed_capacity_indexes_with_indexes
    it = item("A", 1, 1)
    put = ddb.put_item(TableName=table, Item=it, ReturnConsumedCapacity="INDEXES")
    assert charged(put["ConsumedCapacity"]) == {"table": 1.0, GSI: 1.0, GSI_N: 1.0, LSI: 1.0}
    out = []
    for expression, value in (("SET g = :v", {"S": "B"}), ("SET b = :v", {"S": "b2"})):
        out.append(
            ddb.update_item(
                TableName=table,
                Key=key(it),
                UpdateExpression=expression,
                ExpressionAttributeValues={":v": value},
                ReturnConsumedCapacity="INDEXES",
            )["ConsumedCapacity"]
        )
    # the index key moves: two writes for each index keyed on g; the local index untouched
    assert charged(out[0]) == {"table": 1.0, GSI: 2.0, GSI_N: 2.0}
    # b is only in the ALL index
    assert charged(out[1]) == {"table": 1.0, GSI: 1.0}
    gone = ddb.delete_item(TableName=table, Key=key(it), ReturnConsumedCapacity="INDEXES")
    assert charged(gone["ConsumedCapacity"]) == {"table": 1.0, GSI: 1.0, GSI_N: 1.0, LSI: 1.0}


@pytest.mark.aws_documented
def test_batch_write_capacity_with_a_local_index(ddb: Any, table: str) -> None:
    # [cli] batch-write-item.rst: three puts into a local index, 3 + 3 units
    requests = [{"PutRequest": {"Item": item(lv=1)}} for _ in range(3)]
    out = ddb.batch_write_item(RequestItems={table: requests}, ReturnConsumedCapacity="INDEXES")
    assert out["ConsumedCapacity"] == [
        {
            "TableName": table,
            "CapacityUnits": 6.0,
            "Table": {"CapacityUnits": 3.0},
            "LocalSecondaryIndexes": {LSI: {"CapacityUnits": 3.0}},
        }
    ]


# --- UpdateTable Create: the backfill


def global_index(description: dict[str, Any], name: str) -> dict[str, Any]:
    found = [i for i in description.get("GlobalSecondaryIndexes", []) if i["IndexName"] == name]
    assert len(found) == 1, description.get("GlobalSecondaryIndexes")
    entry: dict[str, Any] = found[0]
    return entry


def wait_active(client: Any, table: str, name: str) -> dict[str, Any]:
    """Poll DescribeTable until index ``name`` is ACTIVE; its description."""
    deadline = time.monotonic() + 30
    while True:
        entry = global_index(client.describe_table(TableName=table)["Table"], name)
        if entry["IndexStatus"] == "ACTIVE":
            return entry
        assert time.monotonic() < deadline, "the index did not become ACTIVE"
        time.sleep(0.02)


def create_index(client: Any, table: str, name: str, attribute: str) -> None:
    client.update_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": attribute, "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": index(name, attribute)}],
    )


@pytest.mark.aws_documented
def test_create_backfills_existing_items(ddb: Any, table: str) -> None:
    # [online-doc], [alternator] test_gsi_backfill, test_gsi_backfill_empty_string,
    # test_gsi_backfill_oversized_key: items whose value does not fit the new key stay out
    good = [item(k=f"k{i % 3}") for i in range(30)]
    misfits = [
        {**item(), "k": {"N": "1"}},
        item(k=""),
        item(k="k" * 2049),
        item(),
    ]
    for it in good + misfits:
        ddb.put_item(TableName=table, Item=it)
    create_index(ddb, table, "by-k", "k")
    entry = global_index(ddb.describe_table(TableName=table)["Table"], "by-k")
    if entry["IndexStatus"] == "CREATING":
        # [online-doc]: true once the resource allocation is done (gureum has none: [gureum])
        assert entry["Backfilling"] is True
    late = item(k="k1")  # written while the index is being built
    ddb.put_item(TableName=table, Item=late)
    entry = wait_active(ddb, table, "by-k")
    assert "Backfilling" not in entry  # [online-doc]: only while CREATING
    want = sorted([*good, late], key=lambda i: i["p"]["S"])
    assert entries(ddb, table, "by-k") == want
    got = ddb.query(
        TableName=table,
        IndexName="by-k",
        KeyConditionExpression="k = :k",
        ExpressionAttributeValues={":k": {"S": "k1"}},
    )["Items"]
    assert sorted(got, key=lambda i: i["p"]["S"]) == [i for i in want if i["k"]["S"] == "k1"]


@pytest.mark.aws_documented
def test_no_reads_and_no_other_index_while_creating(ddb: Any, table: str) -> None:
    for _ in range(50):
        ddb.put_item(TableName=table, Item=item(k="k"))
    create_index(ddb, table, "by-k", "k")
    entry = global_index(ddb.describe_table(TableName=table)["Table"], "by-k")
    if entry["IndexStatus"] != "CREATING":
        pytest.skip("the backfill finished before it could be observed")
    # [online-doc] "not able to Query or Scan the index until it is ACTIVE"; the text: [reports]
    assert refused(ddb.scan, TableName=table, IndexName="by-k") == (
        "ValidationException",
        "Cannot read from backfilling global secondary index: by-k",
    )
    # [online-doc] "you cannot add or delete other indexes"; [reports] architect#334
    assert refused(create_index, client=ddb, table=table, name="by-m", attribute="m") == (
        "LimitExceededException",
        "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously "
        "per table",
    )


@pytest.mark.aws_documented
def test_deleted_index_and_a_new_one_of_the_same_name(ddb: Any, table: str) -> None:
    # [alternator] test_gsi_delete, test_gsi_creates_and_deletes
    first, second = item("A", k="k"), item("B")
    for it in (first, second):
        ddb.put_item(TableName=table, Item=it)
    ddb.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": GSI}}])
    deadline = time.monotonic() + 30
    while any(
        i["IndexName"] == GSI
        for i in ddb.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", [])
    ):
        assert time.monotonic() < deadline, "the index was not deleted"
        time.sleep(0.02)
    assert refused(ddb.scan, TableName=table, IndexName=GSI) == (
        "ValidationException",
        f"The table does not have the specified index: {GSI}",
    )
    create_index(ddb, table, GSI, "k")
    wait_active(ddb, table, GSI)
    assert entries(ddb, table, GSI) == [first]  # nothing left of the old entries


@pytest.mark.gureum_own
def test_index_counts_and_sizes(ddb: Any, table: str) -> None:
    # [api]: DynamoDB refreshes IndexSizeBytes and ItemCount about every six hours; gureum
    # reports them as they are
    items = [item("A", 1, 1), item("A", 2), item("B")]
    for it in items:
        ddb.put_item(TableName=table, Item=it)
    desc = ddb.describe_table(TableName=table)["Table"]
    by_name = {i["IndexName"]: i for i in desc["GlobalSecondaryIndexes"]}
    by_name[LSI] = desc["LocalSecondaryIndexes"][0]
    assert {n: e["ItemCount"] for n, e in by_name.items()} == {GSI: 3, GSI_N: 2, LSI: 1}
    assert by_name[GSI]["IndexSizeBytes"] == desc["TableSizeBytes"]  # ALL: whole items
    assert 0 < by_name[GSI_N]["IndexSizeBytes"] < by_name[GSI]["IndexSizeBytes"]
    assert by_name[LSI]["IndexSizeBytes"] > 0
    for it in items:
        ddb.delete_item(TableName=table, Key=key(it))
    desc = ddb.describe_table(TableName=table)["Table"]
    for entry in [*desc["GlobalSecondaryIndexes"], *desc["LocalSecondaryIndexes"]]:
        assert (entry["ItemCount"], entry["IndexSizeBytes"]) == (0, 0)


# --- restarts


@pytest.mark.gureum_own
def test_index_data_survives_a_restart(tmp_path: Path) -> None:
    # README: data kept in SQLite under --data-dir survives restarts; so do index entries and
    # an unfinished backfill
    data = tmp_path / "data"
    server = GureumProcess(data)
    server.start()
    try:
        client = server.client()
        definitions = [{"AttributeName": n, "AttributeType": "S"} for n in ("p", "g")]
        client.create_table(
            TableName="orders",
            KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
            AttributeDefinitions=definitions,
            BillingMode="PAY_PER_REQUEST",
            GlobalSecondaryIndexes=[index(GSI, "g", projection="KEYS_ONLY")],
        )
        items = [
            {"p": {"S": f"p{i:04}"}, "g": {"S": f"g{i % 4}"}, "k": {"S": "k"}} for i in range(800)
        ]
        for start in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": it}} for it in items[start : start + 25]]
            client.batch_write_item(RequestItems={"orders": batch})
        create_index(client, "orders", "by-k", "k")
    finally:
        server.stop()  # most likely before the backfill ran
    server = GureumProcess(data)
    server.start()
    try:
        client = server.client()
        wait_active(client, "orders", "by-k")
        client.put_item(
            TableName="orders", Item={"p": {"S": "new"}, "g": {"S": "g0"}, "k": {"S": "k"}}
        )
        for name, condition, count in ((GSI, "g = :v", 201), ("by-k", "k = :v", 801)):
            value = {":v": {"S": condition[0] + "0" if name == GSI else "k"}}
            got = client.query(
                TableName="orders",
                IndexName=name,
                KeyConditionExpression=condition,
                ExpressionAttributeValues=value,
                Select="COUNT",
            )
            assert got["Count"] == count
    finally:
        server.stop()
