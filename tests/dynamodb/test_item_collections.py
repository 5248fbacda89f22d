"""Item collections of tables with local secondary indexes: ReturnItemCollectionMetrics and
the item collection size limit (ItemCollectionSizeLimitExceededException).

DynamoDB's limit is 10 GB; these tests run a server with ``--item-collection-limit`` lowered
to a few kilobytes, so that the limit can be reached."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import GureumProcess, error_of, new_key, unique_name

if TYPE_CHECKING:
    from collections.abc import Iterator

LIMIT = 6000
TOO_LARGE = ("ItemCollectionSizeLimitExceededException", "Item collection size limit exceeded.")


@pytest.fixture(scope="module")
def small() -> Iterator[Any]:
    """A client of a server whose item collections hold at most LIMIT bytes."""
    server = GureumProcess(None, ["--item-collection-limit", str(LIMIT)])
    server.start()
    yield server.client()
    server.stop()


def create(ddb: Any, *, with_lsi: bool = True) -> str:
    name = unique_name()
    params: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": [
            {"AttributeName": "p", "AttributeType": "S"},
            {"AttributeName": "c", "AttributeType": "S"},
            {"AttributeName": "l", "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": "p", "KeyType": "HASH"},
            {"AttributeName": "c", "KeyType": "RANGE"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }
    if with_lsi:
        params["LocalSecondaryIndexes"] = [
            {
                "IndexName": "by-l",
                "KeySchema": [
                    {"AttributeName": "p", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ]
    else:
        params["AttributeDefinitions"].pop()
    ddb.create_table(**params)
    return name


def item(p: str, c: str, size: int = 1000) -> dict[str, Any]:
    return {"p": {"S": p}, "c": {"S": c}, "l": {"S": c}, "data": {"S": "x" * size}}


def fill(ddb: Any, table: str, p: str) -> int:
    """Put ~1 KB items into partition ``p`` until the limit refuses one; returns how many
    were written."""
    for count in range(LIMIT // 1000 + 2):
        try:
            ddb.put_item(TableName=table, Item=item(p, f"c{count}"))
        except ClientError as exc:
            assert (exc.response["Error"]["Code"], exc.response["Error"]["Message"]) == TOO_LARGE
            return count
    raise AssertionError("the item collection limit never refused a write")


@pytest.mark.gureum_own
def test_a_write_past_the_limit_is_refused_and_not_made(small: Any) -> None:
    table = create(small)
    p = new_key()
    written = fill(small, table, p)
    # the items and their local index entries both count: the collection fills at about half
    # the limit in items
    assert 1 <= written < LIMIT // 1000
    got = small.query(
        TableName=table,
        KeyConditionExpression="p = :p",
        ExpressionAttributeValues={":p": {"S": p}},
        Select="COUNT",
    )
    assert got["Count"] == written
    # other partitions are other collections
    small.put_item(TableName=table, Item=item(new_key(), "c0"))


@pytest.mark.gureum_own
def test_writes_that_do_not_grow_the_collection_are_allowed(small: Any) -> None:
    table = create(small)
    p = new_key()
    written = fill(small, table, p)
    small.put_item(TableName=table, Item=item(p, "c0", size=10))  # shrinks
    small.update_item(
        TableName=table,
        Key={"p": {"S": p}, "c": {"S": "c1"}},
        UpdateExpression="REMOVE #d",
        ExpressionAttributeNames={"#d": "data"},
    )
    small.delete_item(TableName=table, Key={"p": {"S": p}, "c": {"S": f"c{written - 1}"}})
    small.put_item(TableName=table, Item=item(p, "new"))  # room again


@pytest.mark.gureum_own
def test_batch_and_transaction_writes_are_refused_too(small: Any) -> None:
    table = create(small)
    p = new_key()
    written = fill(small, table, p)
    with pytest.raises(ClientError) as excinfo:
        small.batch_write_item(
            RequestItems={table: [{"PutRequest": {"Item": item(p, f"c{written}")}}]}
        )
    assert error_of(excinfo) == TOO_LARGE
    with pytest.raises(ClientError) as excinfo:
        small.transact_write_items(
            TransactItems=[
                {"ConditionCheck": {
                    "TableName": table,
                    "Key": {"p": {"S": p}, "c": {"S": "c0"}},
                    "ConditionExpression": "attribute_exists(p)",
                }},
                {"Put": {"TableName": table, "Item": item(p, f"c{written}")}},
            ]
        )  # fmt: skip
    # the transaction is cancelled with the reason ItemCollectionSizeLimitExceeded
    response = excinfo.value.response
    assert response["Error"]["Code"] == "TransactionCanceledException"
    assert response["CancellationReasons"] == [
        {"Code": "None"},
        # [gureum] the reason's message
        {
            "Code": "ItemCollectionSizeLimitExceeded",
            "Message": "Item collection size limit exceeded.",
        },
    ]


@pytest.mark.gureum_own
def test_tables_without_local_indexes_have_no_collection_limit(small: Any) -> None:
    table = create(small, with_lsi=False)
    p = new_key()
    for count in range(LIMIT // 1000 + 2):
        small.put_item(TableName=table, Item=item(p, f"c{count}"))


@pytest.mark.aws_documented
def test_metrics_name_the_collection_and_estimate_its_size(ddb: Any) -> None:
    # API reference, ItemCollectionMetrics: "ItemCollectionKey - The partition key value of
    # the item collection" and "SizeEstimateRangeGB - An estimate of item collection size,
    # in gigabytes. This value is a two-element array containing a lower bound and an upper
    # bound for the estimate."
    table = create(ddb)
    p = new_key()
    out = ddb.put_item(TableName=table, Item=item(p, "c0"), ReturnItemCollectionMetrics="SIZE")
    assert out["ItemCollectionMetrics"] == {
        "ItemCollectionKey": {"p": {"S": p}},
        "SizeEstimateRangeGB": [0.0, 1.0],
    }
    out = ddb.update_item(
        TableName=table,
        Key={"p": {"S": p}, "c": {"S": "c0"}},
        UpdateExpression="SET n = :n",
        ExpressionAttributeValues={":n": {"N": "1"}},
        ReturnItemCollectionMetrics="SIZE",
    )
    assert out["ItemCollectionMetrics"]["ItemCollectionKey"] == {"p": {"S": p}}
    out = ddb.batch_write_item(
        RequestItems={table: [{"PutRequest": {"Item": item(p, "c1")}}]},
        ReturnItemCollectionMetrics="SIZE",
    )
    assert out["ItemCollectionMetrics"] == {
        table: [{"ItemCollectionKey": {"p": {"S": p}}, "SizeEstimateRangeGB": [0.0, 1.0]}]
    }
    out = ddb.delete_item(
        TableName=table,
        Key={"p": {"S": p}, "c": {"S": "c0"}},
        ReturnItemCollectionMetrics="SIZE",
    )
    assert out["ItemCollectionMetrics"]["SizeEstimateRangeGB"] == [0.0, 1.0]
