"""UpdateTable's GlobalSecondaryIndexUpdates: creating a global secondary index on an existing
table, changing a provisioned index's throughput, deleting an index, the errors of each, and
what a new index key means for later writes.

gureum has no CREATING/DELETING phase: the UpdateTable answer shows the index CREATING or
DELETING, as DynamoDB's does, and the next DescribeTable already sees it ACTIVE or gone.

Sources of the expected behaviour and texts (each test names its own):
[ack-lab] ack-api-quirks DynamoDB lab notes, table-indexes.md (live AWS probes verified
2026-10-08/09: DDB-TABLE-125, 133, 134, 138, 148, 151, 152, 159, 160, 162, 164, 165, 169, 174,
359, 375, 380) and the live log of DDB-TABLE-456;
[dynalite] mhart/dynalite test/updateTable.js, test/putItem.js, test/updateItem.js,
test/batchWriteItem.js (recorded against production DynamoDB);
[alternator] scylladb test/alternator/test_gsi_updatetable.py (run against DynamoDB too);
[reports] AWS errors quoted in public reports: aws-amplify/amplify-cli#4094 ("Attempting to
create an index which already exists"), dynamoose/dynamoose#296 ("Type mismatch for Index
Key ..."), go-to-k/cdkd#1630 ("The provisioned throughput for the index X will not change"),
the Ecto DynamoDB adapter's billing-mode migration notes ("Both ReadCapacityUnits and
WriteCapacityUnits must be specified for index", "Neither ... for index ... when BillingMode is
PAY_PER_REQUEST");
[gureum] the implementation's own text, where no AWS evidence of the exact wording was found.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import TableFactory, error_of, new_key, unique_name

pytestmark = pytest.mark.aws_documented

PT_1 = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}
ON_DEMAND_THROUGHPUT = {
    "NumberOfDecreasesToday": 0,
    "ReadCapacityUnits": 0,
    "WriteCapacityUnits": 0,
}
INVALID = "One or more parameter values were invalid: "
ONE_ONLINE_INDEX = (  # [dynalite], [ack-lab DDB-TABLE-159]
    "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously "
    "per table"
)
INDEX_EXISTS = "Attempting to create an index which already exists"  # [reports], [ack-lab]


# --- request pieces


def key_schema(*names: str) -> list[dict[str, str]]:
    """``key_schema("a", "b")``: a HASH, b RANGE."""
    kinds = ("HASH", "RANGE")[: len(names)]
    return [{"AttributeName": n, "KeyType": t} for n, t in zip(names, kinds, strict=True)]


def definitions(*specs: str) -> list[dict[str, str]]:
    """``definitions("a:S", "b:N")``."""
    return [{"AttributeName": s.split(":")[0], "AttributeType": s.split(":")[1]} for s in specs]


def index(
    name: str,
    *keys: str,
    projection: dict[str, Any] | None = None,
    throughput: dict[str, int] | None = None,
) -> dict[str, Any]:
    """A GlobalSecondaryIndex of CreateTable, or the Create action of UpdateTable."""
    spec: dict[str, Any] = {
        "IndexName": name,
        "KeySchema": key_schema(*keys),
        "Projection": projection or {"ProjectionType": "ALL"},
    }
    if throughput is not None:
        spec["ProvisionedThroughput"] = throughput
    return spec


def create(name: str, *keys: str, **kwargs: Any) -> dict[str, Any]:
    return {"Create": index(name, *keys, **kwargs)}


def delete(name: str) -> dict[str, Any]:
    return {"Delete": {"IndexName": name}}


def update(name: str, throughput: dict[str, int] | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"IndexName": name}
    if throughput is not None:
        action["ProvisionedThroughput"] = throughput
    return {"Update": action}


def capacity(read: int, write: int) -> dict[str, int]:
    return {"ReadCapacityUnits": read, "WriteCapacityUnits": write}


def update_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.update_table(**params)
    return error_of(excinfo)


def write_error(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


def global_index(description: dict[str, Any], name: str) -> dict[str, Any]:
    matches = [i for i in description.get("GlobalSecondaryIndexes", []) if i["IndexName"] == name]
    assert len(matches) == 1, description.get("GlobalSecondaryIndexes")
    return matches[0]


def subset(document: dict[str, Any], expected: dict[str, Any]) -> dict[str, Any]:
    """The members of ``document`` that ``expected`` names (to compare them exactly)."""
    return {k: document.get(k, "<absent>") for k in expected}


def sorted_definitions(description: dict[str, Any]) -> list[dict[str, str]]:
    return sorted(description["AttributeDefinitions"], key=lambda d: d["AttributeName"])


# --- tables


@pytest.fixture
def on_demand(make_table: TableFactory) -> str:
    """``p`` (S) alone, PAY_PER_REQUEST, no index."""
    return make_table()


@pytest.fixture
def indexed(make_table: TableFactory) -> str:
    """``p`` (S) / ``c`` (S), PAY_PER_REQUEST, global index ``by-x`` on ``x`` (S) and local
    index ``by-l`` on ``p`` / ``l`` (N)."""
    return make_table(
        "p:S",
        "c:S",
        ExtraAttributes=["x:S", "l:N"],
        GlobalSecondaryIndexes=[index("by-x", "x")],
        LocalSecondaryIndexes=[index("by-l", "p", "l")],
    )


@pytest.fixture
def provisioned(make_table: TableFactory) -> str:
    """``p`` (S), PROVISIONED 1/1, global index ``by-x`` on ``x`` (S) with 1/1."""
    return make_table(
        ExtraAttributes=["x:S"],
        BillingMode="PROVISIONED",
        ProvisionedThroughput=PT_1,
        GlobalSecondaryIndexes=[index("by-x", "x", throughput=PT_1)],
    )


# --- Create


def test_create_answer_shows_the_index_creating(ddb: Any, on_demand: str) -> None:
    # [ack-lab DDB-TABLE-148/165]: TableStatus UPDATING, the index CREATING with
    # Backfilling false, its throughput, IndexArn and zero counters.
    desc = ddb.update_table(
        TableName=on_demand,
        AttributeDefinitions=definitions("a:N"),
        GlobalSecondaryIndexUpdates=[
            create("by-a", "a", projection={"ProjectionType": "KEYS_ONLY"})
        ],
    )["TableDescription"]
    assert desc["TableStatus"] == "UPDATING"
    expected = {
        "IndexName": "by-a",
        "KeySchema": key_schema("a"),
        "Projection": {"ProjectionType": "KEYS_ONLY"},
        "IndexStatus": "CREATING",
        "Backfilling": False,
        "ProvisionedThroughput": ON_DEMAND_THROUGHPUT,
        "IndexSizeBytes": 0,
        "ItemCount": 0,
        "IndexArn": f"{desc['TableArn']}/index/by-a",
    }
    assert subset(global_index(desc, "by-a"), expected) == expected
    assert sorted_definitions(desc) == definitions("a:N", "p:S")


def wait_for_index(ddb: Any, table_name: str, index_name: str) -> dict[str, Any]:
    """DescribeTable until the index is ACTIVE (backfills run in the background)."""
    deadline = time.monotonic() + 20
    while True:
        table: dict[str, Any] = ddb.describe_table(TableName=table_name)["Table"]
        if global_index(table, index_name)["IndexStatus"] == "ACTIVE":
            return table
        assert time.monotonic() < deadline, "the index did not become ACTIVE"
        time.sleep(0.05)


def test_index_becomes_active_after_its_backfill(ddb: Any, on_demand: str) -> None:
    projection = {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["m", "n"]}
    ddb.update_table(
        TableName=on_demand,
        AttributeDefinitions=definitions("a:N", "b:B"),
        GlobalSecondaryIndexUpdates=[create("by-ab", "a", "b", projection=projection)],
    )
    entry = global_index(ddb.describe_table(TableName=on_demand)["Table"], "by-ab")
    assert entry["IndexStatus"] in ("CREATING", "ACTIVE")
    if entry["IndexStatus"] == "CREATING":
        assert entry["Backfilling"] is True
    table = wait_for_index(ddb, on_demand, "by-ab")
    assert table["TableStatus"] == "ACTIVE"
    entry = global_index(table, "by-ab")
    expected = {
        "IndexName": "by-ab",
        "KeySchema": key_schema("a", "b"),
        "Projection": projection,
        "IndexStatus": "ACTIVE",
        # [ack-lab DDB-TABLE-133]: on-demand indexes report 0/0
        "ProvisionedThroughput": ON_DEMAND_THROUGHPUT,
        "IndexSizeBytes": 0,
        "ItemCount": 0,
        "IndexArn": f"{table['TableArn']}/index/by-ab",
    }
    assert subset(entry, expected) == expected
    assert "Backfilling" not in entry  # [ack-lab DDB-TABLE-138]: only while CREATING
    assert sorted_definitions(table) == definitions("a:N", "b:B", "p:S")


def test_create_on_a_provisioned_table(ddb: Any, provisioned: str) -> None:
    desc = ddb.update_table(
        TableName=provisioned,
        AttributeDefinitions=definitions("a:S"),
        GlobalSecondaryIndexUpdates=[create("by-a", "a", throughput=capacity(2, 3))],
    )["TableDescription"]
    throughput = {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 2, "WriteCapacityUnits": 3}
    assert global_index(desc, "by-a")["ProvisionedThroughput"] == throughput
    table = wait_for_index(ddb, provisioned, "by-a")
    assert global_index(table, "by-a")["ProvisionedThroughput"] == throughput
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["by-x", "by-a"]


def test_unused_definitions_are_ignored(ddb: Any, on_demand: str) -> None:
    # [alternator] test_gsi_updatetable_spurious_attribute_definitions, [ack-lab
    # DDB-TABLE-162]: an extra definition no key uses is accepted and not kept.
    ddb.update_table(
        TableName=on_demand,
        AttributeDefinitions=definitions("a:S", "unused:N"),
        GlobalSecondaryIndexUpdates=[create("by-a", "a")],
    )
    table = ddb.describe_table(TableName=on_demand)["Table"]
    assert sorted_definitions(table) == definitions("a:S", "p:S")


@pytest.mark.parametrize("attribute", ["c:S", "x:S", "l:N"], ids=["table-key", "gsi", "lsi"])
def test_create_on_an_already_defined_attribute(ddb: Any, indexed: str, attribute: str) -> None:
    # [alternator] test_gsi_backfill_with_real_column / _with_lsi: the key attribute must be
    # in the request's definitions, with the type it has; it is not defined twice.
    name = attribute.split(":")[0]
    before = sorted_definitions(ddb.describe_table(TableName=indexed)["Table"])
    ddb.update_table(
        TableName=indexed,
        AttributeDefinitions=definitions(attribute),
        GlobalSecondaryIndexUpdates=[create(f"by-{name}-2", name)],
    )
    table = ddb.describe_table(TableName=indexed)["Table"]
    assert global_index(table, f"by-{name}-2")["KeySchema"] == key_schema(name)
    assert sorted_definitions(table) == before


def test_create_and_update_in_one_request(ddb: Any, provisioned: str) -> None:
    # [ack-lab DDB-TABLE-174]: a Create may come with an Update of another index
    ddb.update_table(
        TableName=provisioned,
        AttributeDefinitions=definitions("a:S"),
        GlobalSecondaryIndexUpdates=[
            create("by-a", "a", throughput=PT_1),
            update("by-x", capacity(4, 5)),
        ],
    )
    table = wait_for_index(ddb, provisioned, "by-a")
    by_x = global_index(table, "by-x")["ProvisionedThroughput"]
    assert (by_x["ReadCapacityUnits"], by_x["WriteCapacityUnits"]) == (4, 5)


def test_create_while_switching_to_on_demand(ddb: Any, provisioned: str) -> None:
    # [ack-lab DDB-TABLE-174]: a Create may come with a switch of billing mode
    ddb.update_table(
        TableName=provisioned,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=definitions("a:S"),
        GlobalSecondaryIndexUpdates=[create("by-a", "a")],
    )
    table = ddb.describe_table(TableName=provisioned)["Table"]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    for name in ("by-x", "by-a"):
        assert global_index(table, name)["ProvisionedThroughput"] == ON_DEMAND_THROUGHPUT


def test_index_created_deleted_and_created_again(ddb: Any, on_demand: str) -> None:
    # [alternator] test_gsi_creates_and_deletes
    for key in ("a", "b"):
        ddb.update_table(
            TableName=on_demand,
            AttributeDefinitions=definitions(f"{key}:S"),
            GlobalSecondaryIndexUpdates=[create(f"by-{key}", key)],
        )
        wait_for_index(ddb, on_demand, f"by-{key}")  # one online index operation at a time
    ddb.update_table(TableName=on_demand, GlobalSecondaryIndexUpdates=[delete("by-a")])
    ddb.update_table(
        TableName=on_demand,
        AttributeDefinitions=definitions("c:N"),
        GlobalSecondaryIndexUpdates=[create("by-a", "c")],
    )
    table = ddb.describe_table(TableName=on_demand)["Table"]
    assert [(i["IndexName"], i["KeySchema"]) for i in table["GlobalSecondaryIndexes"]] == [
        ("by-b", key_schema("b")),
        ("by-a", key_schema("c")),
    ]
    assert sorted_definitions(table) == definitions("b:S", "c:N", "p:S")


def test_index_count_limit(ddb: Any, make_table: TableFactory) -> None:
    # [ack-lab DDB-TABLE-169]: the 21st index through UpdateTable is a LimitExceededException
    name = make_table(
        ExtraAttributes=[f"k{i}:S" for i in range(20)],
        GlobalSecondaryIndexes=[index(f"by-k{i}", f"k{i}") for i in range(20)],
    )
    assert update_error(
        ddb,
        TableName=name,
        AttributeDefinitions=definitions("k20:S"),
        GlobalSecondaryIndexUpdates=[create("by-k20", "k20")],
    ) == (
        "LimitExceededException",
        "Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit "
        "of 20",
    )


# --- writes once the index exists


def test_items_written_before_the_index_stay(ddb: Any, on_demand: str) -> None:
    # [alternator] test_gsi_backfill: items whose value has another type stay in the table
    old = {"p": {"S": new_key()}, "a": {"S": "not a number"}}
    ddb.put_item(TableName=on_demand, Item=old)
    ddb.update_table(
        TableName=on_demand,
        AttributeDefinitions=definitions("a:N"),
        GlobalSecondaryIndexUpdates=[create("by-a", "a")],
    )
    assert ddb.get_item(TableName=on_demand, Key={"p": old["p"]})["Item"] == old


def mismatch(attribute: str, expected: str, actual: str, index_name: str) -> str:
    # [reports] dynamoose#296, [dynalite] putItem/updateItem/batchWriteItem
    return (
        f"{INVALID}Type mismatch for Index Key {attribute} Expected: {expected} Actual: {actual} "
        f"IndexName: {index_name}"
    )


@pytest.fixture
def with_new_index(ddb: Any, on_demand: str) -> str:
    """``on_demand`` with a global index ``by-ab`` created on ``a`` (N) / ``b`` (B)."""
    ddb.update_table(
        TableName=on_demand,
        AttributeDefinitions=definitions("a:N", "b:B"),
        GlobalSecondaryIndexUpdates=[create("by-ab", "a", "b")],
    )
    return on_demand


@pytest.mark.parametrize(
    ("extra", "attribute", "expected", "actual"),
    [
        ({"a": {"S": "1"}}, "a", "N", "S"),
        ({"a": {"BOOL": True}}, "a", "N", "BOOL"),
        ({"a": {"NULL": True}}, "a", "N", "NULL"),
        ({"a": {"N": "1"}, "b": {"S": "x"}}, "b", "B", "S"),
        ({"b": {"N": "1"}}, "b", "B", "N"),
    ],
)
def test_put_with_a_wrong_index_key_type(
    ddb: Any, with_new_index: str, extra: dict[str, Any], attribute: str, expected: str, actual: str
) -> None:
    key = {"p": {"S": new_key()}}
    assert write_error(ddb.put_item, TableName=with_new_index, Item={**key, **extra}) == (
        "ValidationException",
        mismatch(attribute, expected, actual, "by-ab"),
    )
    assert "Item" not in ddb.get_item(TableName=with_new_index, Key=key)


def test_update_item_with_a_wrong_index_key_type(ddb: Any, with_new_index: str) -> None:
    key = {"p": {"S": new_key()}}
    assert write_error(
        ddb.update_item,
        TableName=with_new_index,
        Key=key,
        UpdateExpression="SET a = :v",
        ExpressionAttributeValues={":v": {"S": "1"}},
    ) == ("ValidationException", mismatch("a", "N", "S", "by-ab"))
    assert "Item" not in ddb.get_item(TableName=with_new_index, Key=key)


def test_batch_write_with_a_wrong_index_key_type(ddb: Any, with_new_index: str) -> None:
    item = {"p": {"S": new_key()}, "a": {"SS": ["1"]}}
    assert write_error(
        ddb.batch_write_item, RequestItems={with_new_index: [{"PutRequest": {"Item": item}}]}
    ) == ("ValidationException", mismatch("a", "N", "SS", "by-ab"))


def test_items_with_the_right_types_or_without_the_keys(ddb: Any, with_new_index: str) -> None:
    items = [
        {"p": {"S": new_key()}, "a": {"N": "1"}, "b": {"B": b"x"}},
        {"p": {"S": new_key()}, "a": {"N": "2"}},  # not in the index: no range key
        {"p": {"S": new_key()}, "other": {"S": "y"}},
    ]
    for item in items:
        ddb.put_item(TableName=with_new_index, Item=item)
        assert ddb.get_item(TableName=with_new_index, Key={"p": item["p"]})["Item"] == item


# --- Update


def test_update_changes_the_throughput(ddb: Any, provisioned: str) -> None:
    desc = ddb.update_table(
        TableName=provisioned, GlobalSecondaryIndexUpdates=[update("by-x", capacity(3, 2))]
    )["TableDescription"]
    # [ack-lab DDB-TABLE-165]: the answer has the index UPDATING with its old capacity
    answered = global_index(desc, "by-x")
    assert answered["IndexStatus"] == "UPDATING"
    assert (
        answered["ProvisionedThroughput"]["ReadCapacityUnits"],
        answered["ProvisionedThroughput"]["WriteCapacityUnits"],
    ) == (1, 1)
    entry = global_index(ddb.describe_table(TableName=provisioned)["Table"], "by-x")
    assert entry["IndexStatus"] == "ACTIVE"
    throughput = entry["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (3, 2)
    assert throughput["NumberOfDecreasesToday"] == 0
    assert "LastIncreaseDateTime" in throughput

    ddb.update_table(TableName=provisioned, GlobalSecondaryIndexUpdates=[update("by-x", PT_1)])
    throughput = global_index(ddb.describe_table(TableName=provisioned)["Table"], "by-x")[
        "ProvisionedThroughput"
    ]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (1, 1)
    assert throughput["NumberOfDecreasesToday"] == 1
    assert "LastDecreaseDateTime" in throughput
    # the table's own capacity is untouched
    table_throughput = ddb.describe_table(TableName=provisioned)["Table"]["ProvisionedThroughput"]
    assert (table_throughput["ReadCapacityUnits"], table_throughput["WriteCapacityUnits"]) == (1, 1)


def test_two_index_updates_in_one_request(ddb: Any, make_table: TableFactory) -> None:
    # [ack-lab DDB-TABLE-159]: several Update actions in one call are accepted
    name = make_table(
        ExtraAttributes=["x:S", "y:S"],
        BillingMode="PROVISIONED",
        ProvisionedThroughput=PT_1,
        GlobalSecondaryIndexes=[
            index("by-x", "x", throughput=PT_1),
            index("by-y", "y", throughput=PT_1),
        ],
    )
    ddb.update_table(
        TableName=name,
        GlobalSecondaryIndexUpdates=[
            update("by-x", capacity(2, 2)),
            update("by-y", capacity(3, 3)),
        ],
    )
    table = ddb.describe_table(TableName=name)["Table"]
    assert [
        i["ProvisionedThroughput"]["ReadCapacityUnits"] for i in table["GlobalSecondaryIndexes"]
    ] == [2, 3]


def test_unchanged_index_throughput(ddb: Any, provisioned: str) -> None:
    # [ack-lab DDB-TABLE-164], [reports] cdkd#1630 quote the start ("... for index gsi1:
    # 2. Requested ReadCapacityUnits: 2. Current WriteCapacityUnits ..."); the rest follows
    # the table's text [dynalite] ([gureum]).
    assert update_error(
        ddb, TableName=provisioned, GlobalSecondaryIndexUpdates=[update("by-x", PT_1)]
    ) == (
        "ValidationException",
        "The provisioned throughput for the index by-x will not change. The requested value "
        "equals the current value. Current ReadCapacityUnits provisioned for index by-x: 1. "
        "Requested ReadCapacityUnits: 1. Current WriteCapacityUnits provisioned for index "
        "by-x: 1. Requested WriteCapacityUnits: 1. Refer to the Amazon DynamoDB Developer Guide "
        "for current limits and how to request higher limits.",
    )


def test_switch_to_provisioned_needs_every_index_throughput(
    ddb: Any, make_table: TableFactory
) -> None:
    # [ack-lab DDB-TABLE-152], [dynalite]
    name = make_table(ExtraAttributes=["x:S"], GlobalSecondaryIndexes=[index("by-x", "x")])
    assert update_error(
        ddb, TableName=name, BillingMode="PROVISIONED", ProvisionedThroughput=PT_1
    ) == (
        "ValidationException",
        f"{INVALID}ProvisionedThroughput must be specified for index: by-x",
    )
    ddb.update_table(
        TableName=name,
        BillingMode="PROVISIONED",
        ProvisionedThroughput=PT_1,
        GlobalSecondaryIndexUpdates=[update("by-x", capacity(6, 7))],
    )
    throughput = global_index(ddb.describe_table(TableName=name)["Table"], "by-x")[
        "ProvisionedThroughput"
    ]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (6, 7)


# --- Delete


def test_delete_answer_and_afterwards(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(
        "p:S",
        "c:S",
        ExtraAttributes=["a:S", "b:N", "l:N"],
        GlobalSecondaryIndexes=[index("by-a", "a"), index("by-ab", "a", "b")],
        LocalSecondaryIndexes=[index("by-l", "p", "l")],
    )
    desc = ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[delete("by-ab")])[
        "TableDescription"
    ]
    # [ack-lab DDB-TABLE-148/165]: the table UPDATING, the index DELETING
    assert desc["TableStatus"] == "UPDATING"
    assert global_index(desc, "by-ab")["IndexStatus"] == "DELETING"
    assert global_index(desc, "by-a")["IndexStatus"] == "ACTIVE"
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert [i["IndexName"] for i in table["GlobalSecondaryIndexes"]] == ["by-a"]
    # [ack-lab DDB-TABLE-151]: only the definition no key uses any more is dropped
    assert sorted_definitions(table) == definitions("a:S", "c:S", "l:N", "p:S")

    ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[delete("by-a")])
    table = ddb.describe_table(TableName=name)["Table"]
    assert "GlobalSecondaryIndexes" not in table
    assert sorted_definitions(table) == definitions("c:S", "l:N", "p:S")


def test_after_delete_the_attribute_takes_any_type(ddb: Any, indexed: str) -> None:
    # [alternator] test_gsi_delete
    item = {"p": {"S": new_key()}, "c": {"S": "c"}, "x": {"N": "7"}}
    assert write_error(ddb.put_item, TableName=indexed, Item=item) == (
        "ValidationException",
        mismatch("x", "S", "N", "by-x"),
    )
    ddb.update_table(TableName=indexed, GlobalSecondaryIndexUpdates=[delete("by-x")])
    ddb.put_item(TableName=indexed, Item=item)
    key = {"p": item["p"], "c": item["c"]}
    assert ddb.get_item(TableName=indexed, Key=key)["Item"] == item


def test_a_local_index_key_keeps_its_type(ddb: Any, make_table: TableFactory) -> None:
    # [alternator] test_gsi_delete_with_lsi
    name = make_table(
        "p:S",
        "c:S",
        ExtraAttributes=["x:S"],
        GlobalSecondaryIndexes=[index("by-x", "x")],
        LocalSecondaryIndexes=[index("local-x", "p", "x")],
    )
    ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[delete("by-x")])
    table = ddb.describe_table(TableName=name)["Table"]
    assert sorted_definitions(table) == definitions("c:S", "p:S", "x:S")
    item = {"p": {"S": new_key()}, "c": {"S": "c"}, "x": {"N": "7"}}
    assert write_error(ddb.put_item, TableName=name, Item=item) == (
        "ValidationException",
        mismatch("x", "S", "N", "local-x"),
    )


def test_definitions_sent_with_a_delete_are_ignored(ddb: Any, indexed: str) -> None:
    # [ack-lab DDB-TABLE-162]: stale or conflicting definitions next to a Delete are accepted
    # and change nothing
    ddb.update_table(
        TableName=indexed,
        AttributeDefinitions=definitions("p:N", "unused:S"),
        GlobalSecondaryIndexUpdates=[delete("by-x")],
    )
    table = ddb.describe_table(TableName=indexed)["Table"]
    assert sorted_definitions(table) == definitions("c:S", "l:N", "p:S")


def test_delete_twice(ddb: Any, indexed: str) -> None:
    # [alternator] test_gsi_delete_with_lsi
    ddb.update_table(TableName=indexed, GlobalSecondaryIndexUpdates=[delete("by-x")])
    assert update_error(ddb, TableName=indexed, GlobalSecondaryIndexUpdates=[delete("by-x")]) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Index by-x for table {indexed}",
    )


# --- errors of the request itself (before the table is looked up)


@pytest.mark.parametrize("existing", [True, False], ids=["table", "missing-table"])
def test_empty_update_entry(ddb: Any, indexed: str, existing: bool) -> None:
    # [dynalite] (checked before the table), [ack-lab DDB-TABLE-160]
    assert update_error(
        ddb,
        TableName=indexed if existing else unique_name(),
        GlobalSecondaryIndexUpdates=[update("by-x"), {}],
    ) == (
        "ValidationException",
        f"{INVALID}One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, "
        "GlobalSecondaryIndexUpdate.Delete must not be null",
    )


@pytest.mark.parametrize(
    "entry",
    [
        {**update("by-x", PT_1), **delete("by-x")},
        {**create("by-y", "y"), **delete("by-x")},
        {**create("by-y", "y"), **update("by-x", PT_1)},
    ],
    ids=["update-delete", "create-delete", "create-update"],
)
def test_two_actions_in_one_entry(ddb: Any, indexed: str, entry: dict[str, Any]) -> None:
    # [ack-lab DDB-TABLE-160] (Update with Delete), [alternator] (Create with Delete); ack-lab
    # quotes the text without the "One or more parameter values were invalid: " lead, as it
    # does the "must not be null" text that [dynalite] shows with it: the lead is [gureum]'s.
    assert update_error(
        ddb,
        TableName=indexed,
        AttributeDefinitions=definitions("y:S"),
        GlobalSecondaryIndexUpdates=[entry],
    ) == (
        "ValidationException",
        f"{INVALID}Only one global secondary index action is allowed per "
        "GlobalSecondaryIndexUpdate object",
    )


@pytest.mark.parametrize(
    "updates",
    [
        [delete("by-x"), create("by-x", "y")],
        [update("by-x", PT_1), update("by-x", capacity(2, 2))],
        [delete("by-x"), update("by-x", PT_1)],
    ],
    ids=["delete-create", "update-update", "delete-update"],
)
@pytest.mark.parametrize("existing", [True, False], ids=["table", "missing-table"])
def test_two_updates_of_one_index(
    ddb: Any, indexed: str, updates: list[dict[str, Any]], existing: bool
) -> None:
    # [ack-lab DDB-TABLE-160]; [dynalite]: checked before the table is looked up
    assert update_error(
        ddb,
        TableName=indexed if existing else unique_name(),
        AttributeDefinitions=definitions("y:S"),
        GlobalSecondaryIndexUpdates=updates,
    ) == (
        "ValidationException",
        f"{INVALID}Only one global secondary index update per index is allowed simultaneously. "
        "Index: by-x",
    )


# --- errors against the table


@pytest.mark.parametrize(
    "updates",
    [
        [create("by-y", "y"), create("by-z", "y")],
        [create("by-y", "y"), delete("by-x")],
        [delete("by-x"), delete("by-l")],
        [delete("ghost-1"), delete("ghost-2")],  # [dynalite]: before the indexes are looked up
    ],
    ids=["create-create", "create-delete", "delete-delete", "unknown-indexes"],
)
def test_one_online_index_per_request(
    ddb: Any, indexed: str, updates: list[dict[str, Any]]
) -> None:
    # [dynalite], [ack-lab DDB-TABLE-159], [alternator] test_gsi_updatetable_errors
    assert update_error(
        ddb,
        TableName=indexed,
        AttributeDefinitions=definitions("y:S"),
        GlobalSecondaryIndexUpdates=updates,
    ) == ("LimitExceededException", ONE_ONLINE_INDEX)
    assert [
        i["IndexName"]
        for i in ddb.describe_table(TableName=indexed)["Table"]["GlobalSecondaryIndexes"]
    ] == ["by-x"]


@pytest.mark.parametrize(
    "action", [delete("ghost"), update("ghost", PT_1)], ids=["delete", "update"]
)
def test_unknown_index(ddb: Any, indexed: str, action: dict[str, Any]) -> None:
    # [ack-lab DDB-TABLE-375/380]
    assert update_error(ddb, TableName=indexed, GlobalSecondaryIndexUpdates=[action]) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Index ghost for table {indexed}",
    )


@pytest.mark.parametrize(
    ("action", "verb"),
    [(delete("by-l"), "delete"), (update("by-l", PT_1), "update")],
    ids=["delete", "update"],
)
def test_local_index_named_in_an_update(
    ddb: Any, indexed: str, action: dict[str, Any], verb: str
) -> None:
    # [ack-lab] (LSIs are create-only), [alternator] test_gsi_delete_with_lsi
    assert update_error(ddb, TableName=indexed, GlobalSecondaryIndexUpdates=[action]) == (
        "ValidationException",
        f"Cannot {verb} an index that is not a GlobalSecondaryIndex: by-l",
    )


@pytest.mark.parametrize("name", ["by-x", "by-l"], ids=["global", "local"])
def test_duplicate_index_name(ddb: Any, indexed: str, name: str) -> None:
    # [reports] amplify-cli#4094, [alternator] test_gsi_backfill(_with_lsi), [ack-lab]
    assert update_error(
        ddb,
        TableName=indexed,
        AttributeDefinitions=definitions("y:S"),
        GlobalSecondaryIndexUpdates=[create(name, "y")],
    ) == ("ValidationException", INDEX_EXISTS)


@pytest.mark.parametrize("key", ["y", "c"], ids=["new-attribute", "table-key"])
def test_create_without_attribute_definitions(ddb: Any, indexed: str, key: str) -> None:
    # [ack-lab DDB-TABLE-162]; [alternator] test_gsi_backfill_with_lsi: even for an attribute
    # the table already defines
    assert update_error(
        ddb, TableName=indexed, GlobalSecondaryIndexUpdates=[create("by-new", key)]
    ) == (
        "ValidationException",
        f"{INVALID}AttributeDefinitions is not specified for index: by-new",
    )


@pytest.mark.parametrize(
    ("keys", "text_keys"),
    [(("q",), "q"), (("y", "z"), "y, z"), (("c",), "c")],
    ids=["hash", "range", "table-key"],
)
def test_key_attributes_missing_from_definitions(
    ddb: Any, indexed: str, keys: tuple[str, ...], text_keys: str
) -> None:
    # The text is CreateTable's [ack-lab DDB-TABLE-127]; that UpdateTable words it the same,
    # and that only the request's definitions count (the table's own "c" does not), is
    # [gureum].
    assert update_error(
        ddb,
        TableName=indexed,
        AttributeDefinitions=definitions("y:S"),
        GlobalSecondaryIndexUpdates=[create("by-new", *keys)],
    ) == (
        "ValidationException",
        f"{INVALID}Some index key attributes are not defined in AttributeDefinitions. "
        f"Keys: [{text_keys}], AttributeDefinitions: [y]",
    )


def redefined(existing: str, new: str) -> str:
    return (
        f"{INVALID}Attributes cannot be redefined. Please check that your attribute has the same "
        f"type as previously defined. Existing schema: Schema:[SchemaElement: key{{{existing}}}] "
        f"New schema: Schema:[SchemaElement: key{{{new}}}]"
    )


@pytest.mark.parametrize(
    ("definition", "keys", "existing", "new"),
    [
        # [alternator] test_gsi_key_type_conflict_on_update quotes this one from DynamoDB
        ("x:N", ("x",), "x:S:HASH", "x:N:HASH"),
        # the same form for the other keys: [gureum]
        ("p:N", ("p",), "p:S:HASH", "p:N:HASH"),
        ("c:B", ("y", "c"), "c:S:RANGE", "c:B:RANGE"),
        ("l:S", ("l",), "l:N:RANGE", "l:S:HASH"),
    ],
    ids=["global-index-key", "table-hash-key", "table-range-key", "local-index-key"],
)
def test_redefined_attribute_type(
    ddb: Any, indexed: str, definition: str, keys: tuple[str, ...], existing: str, new: str
) -> None:
    assert update_error(
        ddb,
        TableName=indexed,
        AttributeDefinitions=definitions("y:S", definition),
        GlobalSecondaryIndexUpdates=[create("by-new", *keys)],
    ) == ("ValidationException", redefined(existing, new))


# --- throughput and the billing mode


def test_on_demand_create_with_throughput(ddb: Any, indexed: str) -> None:
    # [reports] the Ecto DynamoDB adapter's notes
    assert update_error(
        ddb,
        TableName=indexed,
        AttributeDefinitions=definitions("y:S"),
        GlobalSecondaryIndexUpdates=[create("by-y", "y", throughput=PT_1)],
    ) == (
        "ValidationException",
        f"{INVALID}Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: "
        "by-y when BillingMode is PAY_PER_REQUEST",
    )


ON_DEMAND_UPDATE = (  # [ack-lab DDB-TABLE-152 and DDB-TABLE-456's live log]
    f"{INVALID}The only Updates for index: by-x when TableThroughputMode is PAY_PER_REQUEST can "
    "be to OnDemandThroughput, WarmThroughput"
)


def test_on_demand_update_with_throughput(ddb: Any, indexed: str) -> None:
    assert update_error(
        ddb, TableName=indexed, GlobalSecondaryIndexUpdates=[update("by-x", capacity(2, 2))]
    ) == ("ValidationException", ON_DEMAND_UPDATE)


def test_on_demand_update_without_anything_to_change(ddb: Any, indexed: str) -> None:
    assert update_error(ddb, TableName=indexed, GlobalSecondaryIndexUpdates=[update("by-x")]) == (
        "ValidationException",
        ON_DEMAND_UPDATE,
    )


def test_provisioned_create_without_throughput(ddb: Any, provisioned: str) -> None:
    assert update_error(
        ddb,
        TableName=provisioned,
        AttributeDefinitions=definitions("y:S"),
        GlobalSecondaryIndexUpdates=[create("by-y", "y")],
    ) == (
        "ValidationException",
        f"{INVALID}Both ReadCapacityUnits and WriteCapacityUnits must be specified for index: by-y",
    )


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (
            {"ProvisionedThroughput": capacity(2, 2)},
            "You cannot create or delete index while updating table IOPS",
        ),
        (
            {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}},
            "You cannot create or delete index while changing stream status",
        ),
        (
            {"DeletionProtectionEnabled": True},
            "DeletionProtection modification must be the only operation in the request",
        ),
    ],
    ids=["table-throughput", "stream", "deletion-protection"],
)
def test_create_with_other_changes(
    ddb: Any, provisioned: str, change: dict[str, Any], text: str
) -> None:
    # [ack-lab DDB-TABLE-174] quotes the three texts; the "One or more parameter values were
    # invalid: " lead before them is [gureum]'s.
    assert update_error(
        ddb,
        TableName=provisioned,
        AttributeDefinitions=definitions("y:S"),
        GlobalSecondaryIndexUpdates=[create("by-y", "y", throughput=PT_1)],
        **change,
    ) == ("ValidationException", f"{INVALID}{text}")


def test_refused_request_changes_nothing(ddb: Any, provisioned: str) -> None:
    # [ack-lab] (overview): valid entries of a refused call are not applied
    before = ddb.describe_table(TableName=provisioned)["Table"]
    assert (
        update_error(
            ddb,
            TableName=provisioned,
            GlobalSecondaryIndexUpdates=[update("by-x", capacity(5, 5)), delete("ghost")],
        )[0]
        == "ResourceNotFoundException"
    )
    after = ddb.describe_table(TableName=provisioned)["Table"]
    assert after["GlobalSecondaryIndexes"] == before["GlobalSecondaryIndexes"]


# --- details DynamoDB pins down (each was found different once)


def test_update_answer_keeps_the_table_active(ddb: Any, provisioned: str) -> None:
    desc = ddb.update_table(
        TableName=provisioned, GlobalSecondaryIndexUpdates=[update("by-x", capacity(2, 2))]
    )["TableDescription"]
    assert global_index(desc, "by-x")["IndexStatus"] == "UPDATING"
    assert desc["TableStatus"] == "ACTIVE"


def test_empty_index_update_list_next_to_another_change(ddb: Any, on_demand: str) -> None:
    assert update_error(
        ddb, TableName=on_demand, GlobalSecondaryIndexUpdates=[], DeletionProtectionEnabled=False
    ) == ("ValidationException", f"{INVALID}List of GlobalSecondaryIndexUpdates is empty")


def test_definitions_stay_sorted_by_name(ddb: Any, on_demand: str) -> None:
    ddb.update_table(
        TableName=on_demand,
        AttributeDefinitions=definitions("a:S"),
        GlobalSecondaryIndexUpdates=[create("by-a", "a")],
    )
    table = ddb.describe_table(TableName=on_demand)["Table"]
    assert table["AttributeDefinitions"] == definitions("a:S", "p:S")


def test_non_key_attributes_sorted_by_name(ddb: Any, on_demand: str) -> None:
    projection = {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["zz", "aa", "mm"]}
    ddb.update_table(
        TableName=on_demand,
        AttributeDefinitions=definitions("a:S"),
        GlobalSecondaryIndexUpdates=[create("by-a", "a", projection=projection)],
    )
    entry = global_index(ddb.describe_table(TableName=on_demand)["Table"], "by-a")
    assert entry["Projection"]["NonKeyAttributes"] == ["aa", "mm", "zz"]


def test_created_index_reports_warm_throughput(ddb: Any, on_demand: str) -> None:
    ddb.update_table(
        TableName=on_demand,
        AttributeDefinitions=definitions("a:S"),
        GlobalSecondaryIndexUpdates=[create("by-a", "a")],
    )
    entry = global_index(ddb.describe_table(TableName=on_demand)["Table"], "by-a")
    assert entry.get("WarmThroughput") == {
        "ReadUnitsPerSecond": 12000,
        "WriteUnitsPerSecond": 4000,
        "Status": "ACTIVE",
    }
