"""DescribeTable: the description of an existing table and the errors for others.

Sources: [dynalite] mhart/dynalite test/describeTable.js (recorded against production
DynamoDB); [ack-lab] ack-api-quirks DynamoDB lab notes (live AWS probes verified 2026-10-08/09:
DDB-TABLE-011, 033, 055, 070, 125, 446); [conformance] nubo-db/dynamodb-conformance
tests/tier1/describeTable.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique_name

if TYPE_CHECKING:
    from conftest import TableFactory

pytestmark = pytest.mark.aws_documented


def test_describe_on_demand_table(ddb: Any, make_table: TableFactory) -> None:
    name = make_table("p:S", "c:N")
    created = ddb.describe_table(TableName=name)["Table"]
    assert created["TableName"] == name
    assert created["TableStatus"] == "ACTIVE"
    assert created["KeySchema"] == [
        {"AttributeName": "p", "KeyType": "HASH"},
        {"AttributeName": "c", "KeyType": "RANGE"},
    ]
    # sorted by name, not in the order CreateTable was given them [ack-lab DDB-TABLE-125]
    assert created["AttributeDefinitions"] == [
        {"AttributeName": "c", "AttributeType": "N"},
        {"AttributeName": "p", "AttributeType": "S"},
    ]
    assert created["ProvisionedThroughput"] == {
        "NumberOfDecreasesToday": 0,
        "ReadCapacityUnits": 0,
        "WriteCapacityUnits": 0,
    }
    # DescribeTable (unlike CreateTable) adds when the table became on-demand [ack-lab 033/055].
    summary = created["BillingModeSummary"]
    assert summary["BillingMode"] == "PAY_PER_REQUEST"
    switched = summary["LastUpdateToPayPerRequestDateTime"] - created["CreationDateTime"]
    assert abs(switched.total_seconds()) < 5
    assert re.fullmatch(r"arn:aws:dynamodb:us-east-1:\d{12}:table/" + name, created["TableArn"])
    assert created["ItemCount"] == 0
    assert created["TableSizeBytes"] == 0
    assert created["DeletionProtectionEnabled"] is False


def test_describe_matches_create(ddb: Any) -> None:
    name = unique_name()
    created = ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 4},
    )["TableDescription"]
    try:
        described = ddb.describe_table(TableName=name)["Table"]
        for member in (
            "TableArn",
            "TableId",
            "CreationDateTime",
            "KeySchema",
            "AttributeDefinitions",
            "ProvisionedThroughput",
        ):
            assert described[member] == created[member], member
    finally:
        ddb.delete_table(TableName=name)


def test_global_index_is_active(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(
        ExtraAttributes=["g:N"],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )
    (index,) = ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "by-g"
    assert index["IndexStatus"] == "ACTIVE"
    assert index["Projection"] == {"ProjectionType": "KEYS_ONLY"}


def test_table_arn_as_table_name(ddb: Any, table_s: str) -> None:
    # DescribeTable accepts the table ARN and answers with the bare name [ack-lab DDB-TABLE-011].
    arn = ddb.describe_table(TableName=table_s)["Table"]["TableArn"]
    assert ddb.describe_table(TableName=arn)["Table"]["TableName"] == table_s


def test_table_not_found(ddb: Any) -> None:
    name = unique_name()
    with pytest.raises(ClientError) as excinfo:
        ddb.describe_table(TableName=name)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {name} not found",
    )


def test_not_found_is_http_400(ddb: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.describe_table(TableName=unique_name())
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_invalid_table_name(ddb: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.describe_table(TableName="abc;")
    assert error_of(excinfo) == (
        "ValidationException",
        "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    )


def test_missing_table_name(ddb: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.describe_table()
    assert error_of(excinfo) == (
        "ValidationException",
        "The parameter 'TableName' is required but was not present in the request",
    )


def test_on_demand_warm_throughput(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    assert ddb.describe_table(TableName=name)["Table"]["WarmThroughput"] == {
        "ReadUnitsPerSecond": 12000,
        "WriteUnitsPerSecond": 4000,
        "Status": "ACTIVE",
    }
