"""UpdateTable: throughput, billing mode, streams, deletion protection, table class, index
updates, and the order of DynamoDB's checks.

Sources: [dynalite] mhart/dynalite test/updateTable.js (recorded against production DynamoDB);
[ack-lab] ack-api-quirks DynamoDB lab notes (live AWS probes verified 2026-10-08/09: findings
DDB-TABLE-055, 060, 070, ValidationException catalogue DDB-TABLE-442 with its live log,
ResourceNotFoundException catalogue DDB-TABLE-446).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique_name

if TYPE_CHECKING:
    from conftest import TableFactory

pytestmark = pytest.mark.aws_documented

PT_1 = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}


def update_error(ddb: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        ddb.update_table(**params)
    return error_of(excinfo)


def provisioned(make_table: TableFactory, read: int = 1, write: int = 1, **extra: Any) -> str:
    return make_table(
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": read, "WriteCapacityUnits": write},
        **extra,
    )


def active(ddb: Any, name: str) -> dict[str, Any]:
    """DescribeTable once the table is ACTIVE again (updates take a moment on AWS)."""
    deadline = time.monotonic() + 10
    while True:
        table: dict[str, Any] = ddb.describe_table(TableName=name)["Table"]
        if table["TableStatus"] == "ACTIVE" or time.monotonic() > deadline:
            return table
        time.sleep(0.1)


# --- throughput and billing


def test_throughput_change_takes_effect(ddb: Any, make_table: TableFactory) -> None:
    name = provisioned(make_table)
    desc = ddb.update_table(
        TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 2}
    )["TableDescription"]
    assert desc["TableStatus"] == "UPDATING"
    assert "LastIncreaseDateTime" in desc["ProvisionedThroughput"]
    table = active(ddb, name)
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 2
    assert table["ProvisionedThroughput"]["NumberOfDecreasesToday"] == 0


def test_update_response_echoes_old_throughput(ddb: Any, make_table: TableFactory) -> None:
    name = provisioned(make_table)
    desc = ddb.update_table(
        TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2}
    )["TableDescription"]
    assert desc["ProvisionedThroughput"]["ReadCapacityUnits"] == 1
    assert desc["ProvisionedThroughput"]["WriteCapacityUnits"] == 1


def test_throughput_decrease_is_counted(ddb: Any, make_table: TableFactory) -> None:
    name = provisioned(make_table, 5, 5)
    ddb.update_table(TableName=name, ProvisionedThroughput=PT_1)
    throughput = active(ddb, name)["ProvisionedThroughput"]
    assert throughput["NumberOfDecreasesToday"] == 1
    assert "LastDecreaseDateTime" in throughput
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (1, 1)


def test_unchanged_throughput(ddb: Any, make_table: TableFactory) -> None:
    name = provisioned(make_table, 2, 3)
    assert update_error(
        ddb, TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 3}
    ) == (
        "ValidationException",
        "The provisioned throughput for the table will not change. The requested value equals "
        "the current value. Current ReadCapacityUnits provisioned for the table: 2. Requested "
        "ReadCapacityUnits: 2. Current WriteCapacityUnits provisioned for the table: 3. "
        "Requested WriteCapacityUnits: 3. Refer to the Amazon DynamoDB Developer Guide for "
        "current limits and how to request higher limits.",
    )


def test_throughput_on_on_demand_table(ddb: Any, make_table: TableFactory) -> None:
    assert update_error(ddb, TableName=make_table(), ProvisionedThroughput=PT_1) == (
        "ValidationException",
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
        "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
    )


def test_provisioned_without_throughput(ddb: Any, make_table: TableFactory) -> None:
    assert update_error(ddb, TableName=make_table(), BillingMode="PROVISIONED") == (
        "ValidationException",
        "One or more parameter values were invalid: ProvisionedThroughput must be specified "
        "when BillingMode is PROVISIONED",
    )


@pytest.mark.parametrize("member", ["ReadCapacityUnits", "WriteCapacityUnits"])
def test_throughput_out_of_bounds(ddb: Any, make_table: TableFactory, member: str) -> None:
    throughput = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1, member: 1000000000001}
    assert update_error(
        ddb, TableName=provisioned(make_table), ProvisionedThroughput=throughput
    ) == (
        "ValidationException",
        f"Given value 1000000000001 for {member} is out of bounds",
    )


def test_switch_to_on_demand(ddb: Any, make_table: TableFactory) -> None:
    name = provisioned(make_table, 4, 4)
    ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    table = active(ddb, name)
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert "LastUpdateToPayPerRequestDateTime" in table["BillingModeSummary"]
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 0


def test_switch_to_provisioned(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    ddb.update_table(
        TableName=name,
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 2},
    )
    table = active(ddb, name)
    assert table["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 2


def test_provisioned_keeps_last_on_demand_time(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    before = ddb.describe_table(TableName=name)["Table"]["BillingModeSummary"]
    ddb.update_table(TableName=name, BillingMode="PROVISIONED", ProvisionedThroughput=PT_1)
    assert active(ddb, name)["BillingModeSummary"] == {
        "BillingMode": "PROVISIONED",
        "LastUpdateToPayPerRequestDateTime": before["LastUpdateToPayPerRequestDateTime"],
    }


# --- other settings


def test_deletion_protection_toggle(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    desc = ddb.update_table(TableName=name, DeletionProtectionEnabled=True)["TableDescription"]
    assert desc["DeletionProtectionEnabled"] is True
    assert ddb.describe_table(TableName=name)["Table"]["DeletionProtectionEnabled"] is True
    ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
    assert ddb.describe_table(TableName=name)["Table"]["DeletionProtectionEnabled"] is False


def test_table_class(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    ddb.update_table(TableName=name, TableClass="STANDARD_INFREQUENT_ACCESS")
    assert active(ddb, name)["TableClassSummary"]["TableClass"] == "STANDARD_INFREQUENT_ACCESS"


def test_enable_stream(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    desc = ddb.update_table(
        TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    )["TableDescription"]
    assert desc["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    label = desc["LatestStreamLabel"]
    assert desc["LatestStreamArn"] == f"{desc['TableArn']}/stream/{label}"
    table = active(ddb, name)
    assert table["LatestStreamArn"] == desc["LatestStreamArn"]


def test_disable_stream(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    table = active(ddb, name)
    assert "StreamSpecification" not in table
    assert "LatestStreamArn" in table  # the last stream stays readable


def test_enable_stream_twice(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
    assert update_error(
        ddb,
        TableName=name,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    ) == ("ValidationException", f"Table already has an enabled stream: TableName: {name}")


def test_disable_missing_stream(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    assert update_error(ddb, TableName=name, StreamSpecification={"StreamEnabled": False}) == (
        "ValidationException",
        f"Table has no stream to disable: TableName: {name}",
    )


def test_enable_stream_without_view_type(ddb: Any, make_table: TableFactory) -> None:
    assert update_error(
        ddb, TableName=make_table(), StreamSpecification={"StreamEnabled": True}
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: If stream is being enabled then "
        "UpdateViewType is required",
    )


def test_deletion_protection_must_be_alone(ddb: Any, make_table: TableFactory) -> None:
    assert update_error(
        ddb,
        TableName=make_table(),
        DeletionProtectionEnabled=True,
        TableClass="STANDARD_INFREQUENT_ACCESS",
    )[1] in {
        "One or more parameter values were invalid: DeletionProtection modification must be the "
        "only operation in the request",
        "One or more parameter values were invalid: TableClass modification must be the only "
        "operation in the request",
    }


def test_sse_must_be_alone(ddb: Any, make_table: TableFactory) -> None:
    assert update_error(
        ddb,
        TableName=make_table(),
        SSESpecification={"Enabled": True, "SSEType": "KMS"},
        DeletionProtectionEnabled=True,
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Server-Side Encryption modification must be "
        "the only operation in the request",
    )


# --- order of checks and errors


NOTHING_TO_UPDATE = (
    "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
    "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
    "ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, "
    "OnDemandThroughput, WarmThroughput or TableClass is required"
)


def test_nothing_to_update(ddb: Any, make_table: TableFactory) -> None:
    assert update_error(ddb, TableName=make_table()) == ("ValidationException", NOTHING_TO_UPDATE)


def test_nothing_to_update_checked_before_table(ddb: Any) -> None:
    assert update_error(ddb, TableName=unique_name()) == ("ValidationException", NOTHING_TO_UPDATE)


def test_shape_checked_before_table(ddb: Any) -> None:
    # [ack-lab DDB-TABLE-070]: WriteCapacityUnits=0 on a missing table is a ValidationException.
    assert update_error(
        ddb,
        TableName=unique_name(),
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 0},
    ) == (
        "ValidationException",
        "1 validation error detected: Value '0' at 'provisionedThroughput.writeCapacityUnits' "
        "failed to satisfy constraint: Member must have value greater than or equal to 1",
    )


def test_table_not_found(ddb: Any) -> None:
    name = unique_name()
    assert update_error(ddb, TableName=name, ProvisionedThroughput=PT_1) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Table: {name} not found",
    )


def test_short_table_name(ddb: Any) -> None:
    # live log 'ise_warm_empty_bad_name' [ack-lab DDB-TABLE-442]
    assert update_error(ddb, TableName="ab", ProvisionedThroughput=PT_1) == (
        "ValidationException",
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3",
    )


def test_missing_table_name(ddb: Any) -> None:
    assert update_error(ddb, ProvisionedThroughput=PT_1) == (
        "ValidationException",
        "The parameter 'TableName' is required but was not present in the request",
    )


# --- global secondary index updates


def test_empty_index_update(ddb: Any, make_table: TableFactory) -> None:
    assert update_error(ddb, TableName=make_table(), GlobalSecondaryIndexUpdates=[{}]) == (
        "ValidationException",
        "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, "
        "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null",
    )


def test_two_updates_of_one_index(ddb: Any, make_table: TableFactory) -> None:
    updates = [{"Delete": {"IndexName": "abc"}}, {"Delete": {"IndexName": "abc"}}]
    assert update_error(ddb, TableName=make_table(), GlobalSecondaryIndexUpdates=updates) == (
        "ValidationException",
        "One or more parameter values were invalid: Only one global secondary index update per "
        "index is allowed simultaneously. Index: abc",
    )


def test_delete_unknown_index(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    assert update_error(
        ddb, TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "ghost"}}]
    ) == (
        "ResourceNotFoundException",
        f"Requested resource not found: Index ghost for table {name}",
    )
