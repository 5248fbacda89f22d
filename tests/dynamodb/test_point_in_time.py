"""Point-in-time recovery: UpdateContinuousBackups, DescribeContinuousBackups,
RestoreTableToPointInTime, and the system backup of a table deleted with recovery enabled.

Restores to a time between writes use real time gaps: change records carry the time of the
write, to the microsecond, and RestoreDateTime is a timestamp.

Sources: [api] the DynamoDB API reference (botocore's service model: "Continuous backups are
ENABLED on all tables at table creation", RecoveryPeriodInDays 1 to 35 defaulting to 35, the
errors each operation raises, what a restore does not set up); [aws-cli] aws-cli's example
update-continuous-backups.rst (right after enabling, EarliestRestorableDateTime equals
LatestRestorableDateTime); [localstack] localstack tests/aws/services/dynamodb
test_dynamodb.snapshot.json test_continuous_backup_update (recorded on AWS: the description with
RecoveryPeriodInDays 35); [reports] AWS errors quoted in public reports: nccgroup/ScoutSuite#1533
and hashicorp/terraform-provider-aws#26744 ("TableNotFoundException ... Table not found:
<name>" of DescribeContinuousBackups); [moto] getmoto/moto tests/test_dynamodb (the disabled
description, "Table already exists: <name>"); [devguide] the DynamoDB Developer Guide, "Before
you begin using point-in-time recovery" (re-enabling resets the earliest restorable time; a
table deleted with recovery enabled leaves a system backup named
``<table>$DeletedTableBackup``, kept 35 days); [gureum] gureum's own choices.
"""

from __future__ import annotations

import contextlib
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import GureumProcess, error_of, unique_name

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from conftest import TableFactory

pytestmark = pytest.mark.aws_documented

DISABLED = {
    "ContinuousBackupsStatus": "ENABLED",
    "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"},
}
GSI = {
    "IndexName": "by-g",
    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "ALL"},
}
# a pause long enough to tell the times of two writes apart, whatever the clock's resolution
GAP_SECONDS = 0.3


def item(p: str, c: int, **extra: str) -> dict[str, Any]:
    out: dict[str, Any] = {"p": {"S": p}, "c": {"N": str(c)}}
    out.update({k: {"S": v} for k, v in extra.items()})
    return out


def key(p: str, c: int) -> dict[str, Any]:
    return {"p": {"S": p}, "c": {"N": str(c)}}


def scan_all(ddb: Any, table: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in ddb.get_paginator("scan").paginate(TableName=table):
        items.extend(page["Items"])
    return sorted(items, key=lambda i: (i["p"]["S"], int(i["c"]["N"])))


def failure(call: Callable[..., Any], **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


def described(ddb: Any, table: str) -> dict[str, Any]:
    out: dict[str, Any] = ddb.describe_continuous_backups(TableName=table)[
        "ContinuousBackupsDescription"
    ]
    return out


def enable(ddb: Any, table: str, **spec: Any) -> dict[str, Any]:
    out: dict[str, Any] = ddb.update_continuous_backups(
        TableName=table,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, **spec},
    )["ContinuousBackupsDescription"]
    return out


def moment() -> datetime:
    """Now, between two writes GAP_SECONDS apart on either side."""
    time.sleep(GAP_SECONDS)
    now = datetime.now(UTC)
    time.sleep(GAP_SECONDS)
    return now


@pytest.fixture
def restored(ddb: Any) -> Iterator[Callable[[], str]]:
    """Names for restored tables, deleted after the test."""
    names: list[str] = []

    def new() -> str:
        names.append(unique_name("pitr"))
        return names[-1]

    yield new
    for name in names:
        with contextlib.suppress(ddb.exceptions.ResourceNotFoundException):
            ddb.delete_table(TableName=name)


@pytest.fixture
def recovering(ddb: Any, make_table: TableFactory) -> str:
    """A table (``p`` HASH, ``c`` RANGE, a global index on ``g``) with recovery enabled."""
    name = make_table("p:S", "c:N", ExtraAttributes=["g:S"], GlobalSecondaryIndexes=[GSI])
    enable(ddb, name)
    return name


# --- DescribeContinuousBackups and UpdateContinuousBackups


def test_new_table_has_recovery_disabled(ddb: Any, make_table: TableFactory) -> None:
    # [api] continuous backups are ENABLED on every table; [moto] the disabled description
    assert described(ddb, make_table()) == DISABLED


def test_describe_continuous_backups_of_missing_table(ddb: Any) -> None:
    name = unique_name("missing")
    code, message = failure(ddb.describe_continuous_backups, TableName=name)
    assert (code, message) == ("TableNotFoundException", f"Table not found: {name}")  # [reports]


def test_describe_continuous_backups_without_table_name(ddb: Any) -> None:
    code, message = failure(ddb.describe_continuous_backups)
    assert (code, message) == (
        "ValidationException",
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: "
        "Member must not be null",
    )


def test_enable_and_disable(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    before = datetime.now(UTC)
    answer = enable(ddb, name)
    recovery = answer["PointInTimeRecoveryDescription"]
    earliest = recovery.pop("EarliestRestorableDateTime")
    latest = recovery.pop("LatestRestorableDateTime")
    assert answer["ContinuousBackupsStatus"] == "ENABLED"
    # [localstack]; [aws-cli] earliest and latest are both the moment it was enabled
    assert recovery == {"PointInTimeRecoveryStatus": "ENABLED", "RecoveryPeriodInDays": 35}
    assert earliest == latest
    assert before - timedelta(seconds=1) <= earliest <= datetime.now(UTC) + timedelta(seconds=1)

    time.sleep(GAP_SECONDS)
    again = enable(ddb, name)["PointInTimeRecoveryDescription"]
    assert again["EarliestRestorableDateTime"] == earliest  # enabling again changes nothing
    # [gureum] LatestRestorableDateTime is now (DynamoDB's lags about five minutes)
    assert again["LatestRestorableDateTime"] > earliest
    assert described(ddb, name)["PointInTimeRecoveryDescription"]["EarliestRestorableDateTime"] == (
        earliest
    )

    answer = ddb.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )["ContinuousBackupsDescription"]
    assert answer == DISABLED
    assert described(ddb, name) == DISABLED
    # [devguide] enabling again starts the restorable period over
    time.sleep(GAP_SECONDS)
    recovery = enable(ddb, name)["PointInTimeRecoveryDescription"]
    assert recovery["EarliestRestorableDateTime"] > earliest


def test_recovery_period(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    assert (
        enable(ddb, name, RecoveryPeriodInDays=10)["PointInTimeRecoveryDescription"][
            "RecoveryPeriodInDays"
        ]
        == 10
    )
    assert (
        enable(ddb, name, RecoveryPeriodInDays=1)["PointInTimeRecoveryDescription"][
            "RecoveryPeriodInDays"
        ]
        == 1
    )
    assert enable(ddb, name)["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 1
    for days, bound in ((0, "greater than or equal to 1"), (36, "less than or equal to 35")):
        code, message = failure(
            ddb.update_continuous_backups,
            TableName=name,
            PointInTimeRecoverySpecification={
                "PointInTimeRecoveryEnabled": True,
                "RecoveryPeriodInDays": days,
            },
        )
        assert (code, message) == (
            "ValidationException",
            f"1 validation error detected: Value '{days}' at "
            "'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy "
            f"constraint: Member must have value {bound}",
        )


def test_update_continuous_backups_of_missing_table(ddb: Any) -> None:
    name = unique_name("missing")
    code, message = failure(
        ddb.update_continuous_backups,
        TableName=name,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )
    assert (code, message) == ("TableNotFoundException", f"Table not found: {name}")  # [moto]


def test_recovery_of_a_new_table_of_the_same_name(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    enable(ddb, name)
    ddb.delete_table(TableName=name)
    make_table(TableName=name)
    assert described(ddb, name) == DISABLED


# --- RestoreTableToPointInTime


def test_restore_to_a_point_in_time(ddb: Any, recovering: str, restored: Callable[[], str]) -> None:
    for c in range(4):
        ddb.put_item(TableName=recovering, Item=item("a", c, g=f"g{c}"))
    ddb.put_item(TableName=recovering, Item=item("a", 1, g="g1", v="second"))
    then = moment()
    expected = scan_all(ddb, recovering)
    ddb.put_item(TableName=recovering, Item=item("a", 9, g="new"))  # put after: undone
    ddb.delete_item(TableName=recovering, Key=key("a", 0))  # delete after: put back
    ddb.update_item(  # update after: the item as it was
        TableName=recovering,
        Key=key("a", 1),
        UpdateExpression="SET g = :g REMOVE v",
        ExpressionAttributeValues={":g": {"S": "moved"}},
    )
    ddb.put_item(TableName=recovering, Item=item("a", 2, g="twice"))
    ddb.delete_item(TableName=recovering, Key=key("a", 2))  # changed twice after: as before
    ddb.put_item(TableName=recovering, Item=item("a", 3, g="later"))
    time.sleep(GAP_SECONDS)
    source = ddb.describe_table(TableName=recovering)["Table"]
    target = restored()
    answer = ddb.restore_table_to_point_in_time(
        SourceTableName=recovering, TargetTableName=target, RestoreDateTime=then
    )["TableDescription"]
    assert answer["TableStatus"] == "CREATING"
    assert answer["RestoreSummary"] == {
        "SourceTableArn": source["TableArn"],
        "RestoreDateTime": then,
        "RestoreInProgress": True,
    }
    assert scan_all(ddb, target) == expected
    table = ddb.describe_table(TableName=target)["Table"]
    assert table["RestoreSummary"] == {**answer["RestoreSummary"], "RestoreInProgress": False}
    assert table["ItemCount"] == len(expected)
    assert table["GlobalSecondaryIndexes"][0]["ItemCount"] == len(expected)
    found = ddb.query(
        TableName=target,
        IndexName="by-g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "g1"}},
    )["Items"]
    assert found == [item("a", 1, g="g1", v="second")]
    for gone in ("moved", "new", "later"):
        assert (
            ddb.query(
                TableName=target,
                IndexName="by-g",
                KeyConditionExpression="g = :g",
                ExpressionAttributeValues={":g": {"S": gone}},
            )["Items"]
            == []
        )
    # the source is untouched, and the restored table has recovery disabled ([api])
    assert [i["c"]["N"] for i in scan_all(ddb, recovering)] == ["1", "3", "9"]
    assert described(ddb, target) == DISABLED


def test_restore_to_latest_time_by_arn(
    ddb: Any, recovering: str, restored: Callable[[], str]
) -> None:
    ddb.put_item(TableName=recovering, Item=item("a", 1, g="one"))
    ddb.put_item(TableName=recovering, Item=item("a", 2, g="two"))
    ddb.delete_item(TableName=recovering, Key=key("a", 1))
    arn = ddb.describe_table(TableName=recovering)["Table"]["TableArn"]
    target = restored()
    summary = ddb.restore_table_to_point_in_time(
        SourceTableArn=arn, TargetTableName=target, UseLatestRestorableTime=True
    )["TableDescription"]["RestoreSummary"]
    assert summary["SourceTableArn"] == arn
    assert "SourceBackupArn" not in summary
    assert scan_all(ddb, target) == scan_all(ddb, recovering) == [item("a", 2, g="two")]


def test_restore_to_the_earliest_time(
    ddb: Any, make_table: TableFactory, restored: Callable[[], str]
) -> None:
    name = make_table("p:S", "c:N")
    ddb.put_item(TableName=name, Item=item("a", 1))
    earliest = enable(ddb, name)["PointInTimeRecoveryDescription"]["EarliestRestorableDateTime"]
    time.sleep(GAP_SECONDS)
    ddb.put_item(TableName=name, Item=item("a", 2))
    target = restored()
    ddb.restore_table_to_point_in_time(
        SourceTableName=name, TargetTableName=target, RestoreDateTime=earliest
    )
    assert scan_all(ddb, target) == [item("a", 1)]


def test_restore_overrides(ddb: Any, recovering: str, restored: Callable[[], str]) -> None:
    ddb.put_item(TableName=recovering, Item=item("a", 1, g="one"))
    target = restored()
    ddb.restore_table_to_point_in_time(
        SourceTableName=recovering,
        TargetTableName=target,
        UseLatestRestorableTime=True,
        BillingModeOverride="PROVISIONED",
        ProvisionedThroughputOverride={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2},
        GlobalSecondaryIndexOverride=[],
    )
    table = ddb.describe_table(TableName=target)["Table"]
    assert "GlobalSecondaryIndexes" not in table
    assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 2
    assert scan_all(ddb, target) == [item("a", 1, g="one")]


def test_restore_without_recovery(
    ddb: Any, make_table: TableFactory, restored: Callable[[], str]
) -> None:
    name = make_table()
    code, message = failure(
        ddb.restore_table_to_point_in_time,
        SourceTableName=name,
        TargetTableName=restored(),
        UseLatestRestorableTime=True,
    )
    assert code == "PointInTimeRecoveryUnavailableException"
    # [gureum] the API reference's description of the exception
    assert message == "Point in time recovery has not yet been enabled for this source table."


@pytest.mark.parametrize("offset", [-60.0, 60.0])
def test_restore_time_outside_the_window(
    ddb: Any, recovering: str, restored: Callable[[], str], offset: float
) -> None:
    earliest = described(ddb, recovering)["PointInTimeRecoveryDescription"][
        "EarliestRestorableDateTime"
    ]
    at = (earliest if offset < 0 else datetime.now(UTC)) + timedelta(seconds=offset)
    target = restored()
    code, message = failure(
        ddb.restore_table_to_point_in_time,
        SourceTableName=recovering,
        TargetTableName=target,
        RestoreDateTime=at,
    )
    assert code == "InvalidRestoreTimeException"
    assert message == (  # [gureum] the API reference's description of the exception
        "An invalid restore time was specified. RestoreDateTime must be between "
        "EarliestRestorableDateTime and LatestRestorableDateTime."
    )
    assert target not in ddb.list_tables()["TableNames"]


def test_restore_source_and_target_errors(
    ddb: Any, recovering: str, make_table: TableFactory, restored: Callable[[], str]
) -> None:
    missing = unique_name("missing")
    assert failure(
        ddb.restore_table_to_point_in_time,
        SourceTableName=missing,
        TargetTableName=restored(),
        UseLatestRestorableTime=True,
    ) == ("TableNotFoundException", f"Table not found: {missing}")  # [gureum] as Describe...
    other = make_table()
    assert failure(
        ddb.restore_table_to_point_in_time,
        SourceTableName=recovering,
        TargetTableName=other,
        UseLatestRestorableTime=True,
    ) == ("TableAlreadyExistsException", f"Table already exists: {other}")  # [moto]


@pytest.mark.gureum_own
def test_restore_request_combinations(
    ddb: Any, recovering: str, restored: Callable[[], str]
) -> None:
    arn = ddb.describe_table(TableName=recovering)["Table"]["TableArn"]
    invalid = "One or more parameter values were invalid: "
    cases = [
        ({}, "Either SourceTableName or SourceTableArn must be specified"),
        (
            {"SourceTableName": recovering, "SourceTableArn": arn},
            "Only one of SourceTableName or SourceTableArn can be specified",
        ),
        (
            {
                "SourceTableName": recovering,
                "UseLatestRestorableTime": True,
                "RestoreDateTime": datetime.now(UTC),
            },
            "Only one of RestoreDateTime or UseLatestRestorableTime can be specified",
        ),
    ]
    for params, text in cases:
        code, message = failure(
            ddb.restore_table_to_point_in_time, TargetTableName=restored(), **params
        )
        assert (code, message) == ("ValidationException", invalid + text)
    # neither a time nor UseLatestRestorableTime: the latest restorable time
    target = restored()
    ddb.restore_table_to_point_in_time(SourceTableName=recovering, TargetTableName=target)
    assert ddb.describe_table(TableName=target)["Table"]["TableStatus"] == "ACTIVE"


@pytest.mark.gureum_own
def test_recovery_keeps_changes_past_the_log_retention(
    ddb: Any, recovering: str, restored: Callable[[], str]
) -> None:
    """Without recovery, change records of a table without a stream are dropped after about
    ten seconds; a restore to before a change needs that change's record."""
    ddb.put_item(TableName=recovering, Item=item("a", 1, g="kept"))
    then = moment()
    ddb.put_item(TableName=recovering, Item=item("a", 1, g="overwritten"))
    ddb.put_item(TableName=recovering, Item=item("a", 2, g="added"))
    time.sleep(12)
    target = restored()
    ddb.restore_table_to_point_in_time(
        SourceTableName=recovering, TargetTableName=target, RestoreDateTime=then
    )
    assert scan_all(ddb, target) == [item("a", 1, g="kept")]


# --- DeleteTable with recovery enabled


def test_deleted_table_leaves_a_system_backup(
    ddb: Any, recovering: str, restored: Callable[[], str]
) -> None:
    ddb.put_item(TableName=recovering, Item=item("a", 1, g="one"))
    source = ddb.describe_table(TableName=recovering)["Table"]
    ddb.delete_table(TableName=recovering)

    def listed(kind: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = ddb.list_backups(TableName=recovering, BackupType=kind)[
            "BackupSummaries"
        ]
        return out

    assert listed("USER") == []
    (summary,) = listed("SYSTEM")
    assert listed("ALL") == [summary]
    assert summary["BackupName"] == f"{recovering}$DeletedTableBackup"  # [devguide]
    assert summary["BackupType"] == "SYSTEM"
    assert summary["TableId"] == source["TableId"]
    # [devguide] kept for 35 days
    expiry = summary["BackupExpiryDateTime"] - summary["BackupCreationDateTime"]
    assert expiry == timedelta(days=35)
    target = restored()
    ddb.restore_table_from_backup(TargetTableName=target, BackupArn=summary["BackupArn"])
    assert scan_all(ddb, target) == [item("a", 1, g="one")]
    ddb.delete_backup(BackupArn=summary["BackupArn"])


def test_deleted_table_without_recovery_leaves_no_backup(
    ddb: Any, make_table: TableFactory
) -> None:
    name = make_table()
    ddb.delete_table(TableName=name)
    assert ddb.list_backups(TableName=name, BackupType="ALL")["BackupSummaries"] == []


# --- restarts


@pytest.mark.gureum_own
def test_recovery_survives_restart(tmp_path: Path) -> None:
    servers: list[GureumProcess] = []

    def start() -> Any:
        server = GureumProcess(tmp_path / "data")
        server.start()
        servers.append(server)
        return server.client()

    try:
        client = start()
        client.create_table(
            TableName="source",
            KeySchema=[
                {"AttributeName": "p", "KeyType": "HASH"},
                {"AttributeName": "c", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "p", "AttributeType": "S"},
                {"AttributeName": "c", "AttributeType": "N"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        earliest = enable(client, "source", RecoveryPeriodInDays=7)[
            "PointInTimeRecoveryDescription"
        ]["EarliestRestorableDateTime"]
        client.put_item(TableName="source", Item=item("a", 1))
        then = moment()
        client.put_item(TableName="source", Item=item("a", 2))
        client.restore_table_to_point_in_time(
            SourceTableName="source", TargetTableName="early", RestoreDateTime=then
        )
        servers[-1].stop()

        client = start()
        recovery = described(client, "source")["PointInTimeRecoveryDescription"]
        assert recovery["EarliestRestorableDateTime"] == earliest
        assert recovery["RecoveryPeriodInDays"] == 7
        assert (
            client.describe_table(TableName="early")["Table"]["RestoreSummary"]["RestoreDateTime"]
            == then
        )
        assert scan_all(client, "early") == [item("a", 1)]
        client.restore_table_to_point_in_time(
            SourceTableName="source", TargetTableName="late", RestoreDateTime=then
        )
        assert scan_all(client, "late") == [item("a", 1)]
    finally:
        for server in servers:
            server.kill()
