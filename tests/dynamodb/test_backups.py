"""On-demand backups: CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
RestoreTableFromBackup; a backup and a restored table across a restart.

Sources: [api] the DynamoDB API reference (botocore's service model: shapes, the errors each
operation raises, "ListBackups ... start time is inclusive, but end time is exclusive",
BackupType "USER ... The default setting", what a restore does not set up: streams, TTL, tags);
[aws-cli] aws-cli's examples restore-table-from-backup.rst and list-backups.rst (output of
DynamoDB: the restore's TableDescription CREATING with ItemCount 0, a BillingModeSummary and the
RestoreSummary in progress with the backup's creation time; backup ARNs
``.../table/<t>/backup/<14-digit milliseconds>-<8 hex>``); [reports] AWS errors quoted in public
reports: turbot/steampipe-plugin-aws#1913 ("BackupNotFoundException: Backup not found: <arn>");
[moto] getmoto/moto tests/test_dynamodb/test_dynamodb.py ("Table not found: <name>" of
CreateBackup, "Table already exists: <name>" of a restore; texts moto reproduces, not seen on
AWS here); [gureum] gureum's own choices where no AWS evidence was found.
"""

from __future__ import annotations

import contextlib
import re
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

ARN = re.compile(
    r"arn:aws:dynamodb:us-east-1:000000000000:table/(?P<table>[^/]+)/backup/(?P<ms>\d{14})-[0-9a-f]{8}"
)
GSI = {
    "IndexName": "by-g",
    "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["v"]},
}
LSI = {
    "IndexName": "by-l",
    "KeySchema": [
        {"AttributeName": "p", "KeyType": "HASH"},
        {"AttributeName": "l", "KeyType": "RANGE"},
    ],
    "Projection": {"ProjectionType": "KEYS_ONLY"},
}


def item(p: str, c: int, **extra: str) -> dict[str, Any]:
    out: dict[str, Any] = {"p": {"S": p}, "c": {"N": str(c)}}
    out.update({k: {"S": v} for k, v in extra.items()})
    return out


def scan_all(ddb: Any, table: str, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for page in ddb.get_paginator("scan").paginate(TableName=table, **params):
        items.extend(page["Items"])
    return sorted(items, key=lambda i: (i["p"]["S"], int(i["c"]["N"])))


def failure(call: Callable[..., Any], **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        call(**params)
    return error_of(excinfo)


@pytest.fixture
def indexed_table(make_table: TableFactory) -> str:
    """``p`` HASH, ``c`` RANGE (N), a global index on ``g`` and a local one on ``l``."""
    return make_table(
        "p:S",
        "c:N",
        ExtraAttributes=["g:S", "l:S"],
        GlobalSecondaryIndexes=[GSI],
        LocalSecondaryIndexes=[LSI],
    )


@pytest.fixture
def restored(ddb: Any) -> Iterator[Callable[[], str]]:
    """Names for restored tables, deleted after the test."""
    names: list[str] = []

    def new() -> str:
        names.append(unique_name("restored"))
        return names[-1]

    yield new
    for name in names:
        with contextlib.suppress(ddb.exceptions.ResourceNotFoundException):
            ddb.delete_table(TableName=name)


def fill(ddb: Any, table: str, count: int = 5) -> list[dict[str, Any]]:
    items = [item("a", c, g=f"g{c}", l=f"l{c}", v="x" * c) for c in range(count)]
    for one in items:
        ddb.put_item(TableName=table, Item=one)
    return items


# --- CreateBackup


def test_create_backup_answer(ddb: Any, make_table: TableFactory) -> None:
    name = make_table("p:S", "c:N")
    ddb.put_item(TableName=name, Item=item("a", 1, v="hello"))
    before = datetime.now(UTC)
    details = ddb.create_backup(TableName=name, BackupName="nightly")["BackupDetails"]
    match = ARN.fullmatch(details["BackupArn"])
    assert match is not None and match["table"] == name
    created = details.pop("BackupCreationDateTime")
    assert before - timedelta(seconds=1) <= created <= datetime.now(UTC) + timedelta(seconds=1)
    # [aws-cli] the ARN carries the creation time in milliseconds
    assert int(match["ms"]) == round(created.timestamp() * 1000)
    size = ddb.describe_table(TableName=name)["Table"]["TableSizeBytes"]
    assert details == {
        "BackupArn": details["BackupArn"],
        "BackupName": "nightly",
        "BackupSizeBytes": size,
        "BackupStatus": "CREATING",  # [gureum] AVAILABLE from the next request on
        "BackupType": "USER",
    }


def test_create_backup_by_table_arn(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    arn = ddb.describe_table(TableName=name)["Table"]["TableArn"]
    backup_arn = ddb.create_backup(TableName=arn, BackupName="by-arn")["BackupDetails"]["BackupArn"]
    assert [b["BackupArn"] for b in ddb.list_backups(TableName=arn)["BackupSummaries"]] == [
        backup_arn
    ]


def test_backups_of_one_name_are_distinct(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    arns = {
        ddb.create_backup(TableName=name, BackupName="same")["BackupDetails"]["BackupArn"]
        for _ in range(3)
    }
    assert len(arns) == 3


def test_create_backup_of_missing_table(ddb: Any) -> None:
    name = unique_name("missing")
    code, message = failure(ddb.create_backup, TableName=name, BackupName="b-1")
    assert (code, message) == ("TableNotFoundException", f"Table not found: {name}")  # [moto]


@pytest.mark.parametrize(
    ("backup_name", "constraint"),
    [
        ("ab", "Member must have length greater than or equal to 3"),
        ("x" * 256, "Member must have length less than or equal to 255"),
        ("no spaces", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ],
)
def test_backup_name_constraints(ddb: Any, table_s: str, backup_name: str, constraint: str) -> None:
    # [api] BackupName: 3 to 255 characters of [a-zA-Z0-9_.-]
    code, message = failure(ddb.create_backup, TableName=table_s, BackupName=backup_name)
    assert code == "ValidationException"
    assert message == (
        f"1 validation error detected: Value '{backup_name}' at 'backupName' failed to satisfy "
        f"constraint: {constraint}"
    )


# --- DescribeBackup


def test_describe_backup(ddb: Any, indexed_table: str) -> None:
    fill(ddb, indexed_table)
    table = ddb.describe_table(TableName=indexed_table)["Table"]
    arn = ddb.create_backup(TableName=indexed_table, BackupName="b-1")["BackupDetails"]["BackupArn"]
    description = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    details = description["BackupDetails"]
    assert (details["BackupArn"], details["BackupStatus"], details["BackupType"]) == (
        arn,
        "AVAILABLE",
        "USER",
    )
    assert description["SourceTableDetails"] == {
        "TableName": indexed_table,
        "TableId": table["TableId"],
        "TableArn": table["TableArn"],
        "TableSizeBytes": table["TableSizeBytes"],
        "KeySchema": table["KeySchema"],
        "TableCreationDateTime": table["CreationDateTime"],
        "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0},
        "ItemCount": 5,
        "BillingMode": "PAY_PER_REQUEST",
    }
    assert description["SourceTableFeatureDetails"] == {
        "LocalSecondaryIndexes": [LSI],
        "GlobalSecondaryIndexes": [
            {**GSI, "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}}
        ],
    }


def test_describe_backup_names_stream_and_encryption(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        SSESpecification={"Enabled": True, "SSEType": "KMS"},
        BillingMode="PROVISIONED",
        ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4},
    )
    table = ddb.describe_table(TableName=name)["Table"]
    arn = ddb.create_backup(TableName=name, BackupName="b-1")["BackupDetails"]["BackupArn"]
    description = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    source = description["SourceTableDetails"]
    assert source["ProvisionedThroughput"] == {"ReadCapacityUnits": 3, "WriteCapacityUnits": 4}
    assert source["BillingMode"] == "PROVISIONED"
    assert description["SourceTableFeatureDetails"] == {
        "StreamDescription": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        "SSEDescription": table["SSEDescription"],
    }


def test_describe_missing_backup(ddb: Any, table_s: str) -> None:
    arn = f"arn:aws:dynamodb:us-east-1:000000000000:table/{table_s}/backup/01623095754481-2cfcd6f9"
    code, message = failure(ddb.describe_backup, BackupArn=arn)
    assert (code, message) == ("BackupNotFoundException", f"Backup not found: {arn}")  # [reports]


def test_backup_of_another_account_is_not_found(
    ddb: Any, make_table: TableFactory, client_as: Callable[..., Any]
) -> None:
    name = make_table()
    arn = ddb.create_backup(TableName=name, BackupName="b-1")["BackupDetails"]["BackupArn"]
    other = client_as("111111111111")
    assert failure(other.describe_backup, BackupArn=arn) == (
        "BackupNotFoundException",
        f"Backup not found: {arn}",
    )


# --- a backup is a snapshot


def test_backup_keeps_the_items_as_they_were(
    ddb: Any, make_table: TableFactory, restored: Callable[[], str]
) -> None:
    name = make_table("p:S", "c:N")
    items = fill(ddb, name, 3)
    arn = ddb.create_backup(TableName=name, BackupName="b-1")["BackupDetails"]["BackupArn"]
    ddb.put_item(TableName=name, Item=item("a", 99))
    ddb.delete_item(TableName=name, Key={"p": {"S": "a"}, "c": {"N": "0"}})
    ddb.put_item(TableName=name, Item=item("a", 1, v="changed"))
    target = restored()
    ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
    assert scan_all(ddb, target) == items
    assert ddb.describe_backup(BackupArn=arn)["BackupDescription"]["SourceTableDetails"][
        "ItemCount"
    ] == len(items)


def test_backup_outlives_its_table(
    ddb: Any, make_table: TableFactory, restored: Callable[[], str]
) -> None:
    name = make_table("p:S", "c:N")
    items = fill(ddb, name, 4)
    arn = ddb.create_backup(TableName=name, BackupName="b-1")["BackupDetails"]["BackupArn"]
    ddb.delete_table(TableName=name)
    assert (
        ddb.describe_backup(BackupArn=arn)["BackupDescription"]["SourceTableDetails"]["TableName"]
        == name
    )
    assert [b["BackupArn"] for b in ddb.list_backups(TableName=name)["BackupSummaries"]] == [arn]
    target = restored()
    ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
    assert scan_all(ddb, target) == items


# --- ListBackups


def test_list_backups_of_a_table(ddb: Any, make_table: TableFactory) -> None:
    name, other = make_table(), make_table()
    table = ddb.describe_table(TableName=name)["Table"]
    arns = [
        ddb.create_backup(TableName=name, BackupName=f"b-{i}")["BackupDetails"]["BackupArn"]
        for i in range(3)
    ]
    ddb.create_backup(TableName=other, BackupName="elsewhere")
    summaries = ddb.list_backups(TableName=name)["BackupSummaries"]
    assert [s["BackupArn"] for s in summaries] == arns  # oldest first
    first = summaries[0]
    created = first.pop("BackupCreationDateTime")
    assert isinstance(created, datetime)
    assert first == {
        "TableName": name,
        "TableId": table["TableId"],
        "TableArn": table["TableArn"],
        "BackupArn": arns[0],
        "BackupName": "b-0",
        "BackupStatus": "AVAILABLE",
        "BackupType": "USER",
        "BackupSizeBytes": 0,
    }


def test_list_backups_of_missing_table_is_empty(ddb: Any) -> None:
    out = ddb.list_backups(TableName=unique_name("missing"))
    assert out["BackupSummaries"] == []
    assert "LastEvaluatedBackupArn" not in out


def test_list_backups_pages(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    arns = [
        ddb.create_backup(TableName=name, BackupName=f"b-{i}")["BackupDetails"]["BackupArn"]
        for i in range(5)
    ]
    page = ddb.list_backups(TableName=name, Limit=2)
    assert [s["BackupArn"] for s in page["BackupSummaries"]] == arns[:2]
    assert page["LastEvaluatedBackupArn"] == arns[1]
    page = ddb.list_backups(TableName=name, Limit=2, ExclusiveStartBackupArn=arns[1])
    assert [s["BackupArn"] for s in page["BackupSummaries"]] == arns[2:4]
    page = ddb.list_backups(TableName=name, Limit=2, ExclusiveStartBackupArn=arns[3])
    assert [s["BackupArn"] for s in page["BackupSummaries"]] == arns[4:]
    assert "LastEvaluatedBackupArn" not in page  # [gureum] only while more remain
    paginator = ddb.get_paginator("list_backups")
    listed = [
        s["BackupArn"]
        for p in paginator.paginate(TableName=name, PaginationConfig={"PageSize": 2})
        for s in p["BackupSummaries"]
    ]
    assert listed == arns


def test_list_backups_time_range(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    created = []
    for i in range(3):
        details = ddb.create_backup(TableName=name, BackupName=f"b-{i}")["BackupDetails"]
        created.append((details["BackupCreationDateTime"], details["BackupArn"]))
        time.sleep(0.01)

    def listed(**bounds: Any) -> list[str]:
        return [
            s["BackupArn"] for s in ddb.list_backups(TableName=name, **bounds)["BackupSummaries"]
        ]

    # [api] the lower bound is inclusive, the upper one exclusive
    assert listed(TimeRangeLowerBound=created[1][0]) == [created[1][1], created[2][1]]
    assert listed(TimeRangeUpperBound=created[1][0]) == [created[0][1]]
    assert listed(TimeRangeLowerBound=created[0][0], TimeRangeUpperBound=created[2][0]) == [
        created[0][1],
        created[1][1],
    ]


def test_list_backups_by_type(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    arn = ddb.create_backup(TableName=name, BackupName="b-1")["BackupDetails"]["BackupArn"]

    def listed(**params: Any) -> list[str]:
        return [
            s["BackupArn"] for s in ddb.list_backups(TableName=name, **params)["BackupSummaries"]
        ]

    assert listed() == listed(BackupType="USER") == listed(BackupType="ALL") == [arn]
    assert listed(BackupType="SYSTEM") == listed(BackupType="AWS_BACKUP") == []


# --- DeleteBackup


def test_delete_backup(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    arn = ddb.create_backup(TableName=name, BackupName="b-1")["BackupDetails"]["BackupArn"]
    described = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    deleted = ddb.delete_backup(BackupArn=arn)["BackupDescription"]
    assert deleted["BackupDetails"] == {**described["BackupDetails"], "BackupStatus": "DELETED"}
    assert deleted["SourceTableDetails"] == described["SourceTableDetails"]
    assert ddb.list_backups(TableName=name)["BackupSummaries"] == []
    for call in (ddb.describe_backup, ddb.delete_backup):
        assert failure(call, BackupArn=arn) == (
            "BackupNotFoundException",
            f"Backup not found: {arn}",
        )


# --- RestoreTableFromBackup


def test_restore_answer_and_restored_table(
    ddb: Any, indexed_table: str, restored: Callable[[], str]
) -> None:
    items = fill(ddb, indexed_table)
    source = ddb.describe_table(TableName=indexed_table)["Table"]
    details = ddb.create_backup(TableName=indexed_table, BackupName="b-1")["BackupDetails"]
    arn = details["BackupArn"]
    target = restored()
    answer = ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)[
        "TableDescription"
    ]
    # [aws-cli] the answer: CREATING, empty, the restore in progress since the backup's time
    assert answer["TableStatus"] == "CREATING"
    assert (answer["ItemCount"], answer["TableSizeBytes"]) == (0, 0)
    assert answer["BillingModeSummary"] == {"BillingMode": "PAY_PER_REQUEST"}
    assert answer["RestoreSummary"] == {
        "SourceBackupArn": arn,
        "SourceTableArn": source["TableArn"],
        "RestoreDateTime": details["BackupCreationDateTime"],
        "RestoreInProgress": True,
    }
    assert answer["TableArn"] == source["TableArn"].replace(indexed_table, target)
    assert answer["TableId"] != source["TableId"]
    for member in ("KeySchema", "AttributeDefinitions"):
        assert answer[member] == source[member]
    assert [i["IndexStatus"] for i in answer["GlobalSecondaryIndexes"]] == ["CREATING"]

    table = ddb.describe_table(TableName=target)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["RestoreSummary"] == {**answer["RestoreSummary"], "RestoreInProgress": False}
    assert table["ItemCount"] == len(items)
    assert table["TableSizeBytes"] == source["TableSizeBytes"]
    assert scan_all(ddb, target) == items
    gsi, lsi = table["GlobalSecondaryIndexes"][0], table["LocalSecondaryIndexes"][0]
    assert (gsi["IndexStatus"], gsi["ItemCount"], lsi["ItemCount"]) == ("ACTIVE", 5, 5)
    assert gsi["Projection"] == GSI["Projection"]
    found = ddb.query(
        TableName=target,
        IndexName="by-g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "g3"}},
    )["Items"]
    assert found == [{"p": {"S": "a"}, "c": {"N": "3"}, "g": {"S": "g3"}, "v": {"S": "xxx"}}]
    found = ddb.query(
        TableName=target,
        IndexName="by-l",
        KeyConditionExpression="p = :p AND l >= :l",
        ExpressionAttributeValues={":p": {"S": "a"}, ":l": {"S": "l3"}},
    )["Items"]
    assert [i["c"]["N"] for i in found] == ["3", "4"]


def test_restored_table_is_a_table_of_its_own(
    ddb: Any, make_table: TableFactory, restored: Callable[[], str]
) -> None:
    name = make_table("p:S", "c:N")
    items = fill(ddb, name, 2)
    arn = ddb.create_backup(TableName=name, BackupName="b-1")["BackupDetails"]["BackupArn"]
    target = restored()
    ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
    ddb.put_item(TableName=target, Item=item("b", 1))
    ddb.delete_item(TableName=target, Key={"p": {"S": "a"}, "c": {"N": "0"}})
    assert scan_all(ddb, name) == items
    assert scan_all(ddb, target) == [items[1], item("b", 1)]
    again = restored()
    ddb.restore_table_from_backup(TargetTableName=again, BackupArn=arn)
    assert scan_all(ddb, again) == items


def test_restore_leaves_out_streams_tags_protection(
    ddb: Any, make_table: TableFactory, restored: Callable[[], str]
) -> None:
    # [api] "You must manually set up the following on the restored table: ... Tags, Stream
    # settings, Time to Live (TTL) settings"; encryption and the table class carry over
    name = make_table(
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
        Tags=[{"Key": "team", "Value": "db"}],
        DeletionProtectionEnabled=True,
        SSESpecification={"Enabled": True, "SSEType": "KMS"},
        TableClass="STANDARD_INFREQUENT_ACCESS",
    )
    source = ddb.describe_table(TableName=name)["Table"]
    arn = ddb.create_backup(TableName=name, BackupName="b-1")["BackupDetails"]["BackupArn"]
    target = restored()
    ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
    table = ddb.describe_table(TableName=target)["Table"]
    assert "StreamSpecification" not in table
    assert "LatestStreamArn" not in table
    assert table["DeletionProtectionEnabled"] is False
    assert table["SSEDescription"] == source["SSEDescription"]
    assert table["TableClassSummary"] == {"TableClass": "STANDARD_INFREQUENT_ACCESS"}
    assert ddb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"] == []


def test_restore_overrides(ddb: Any, indexed_table: str, restored: Callable[[], str]) -> None:
    fill(ddb, indexed_table, 3)
    arn = ddb.create_backup(TableName=indexed_table, BackupName="b-1")["BackupDetails"]["BackupArn"]
    target = restored()
    ddb.restore_table_from_backup(
        TargetTableName=target,
        BackupArn=arn,
        BillingModeOverride="PROVISIONED",
        ProvisionedThroughputOverride={"ReadCapacityUnits": 7, "WriteCapacityUnits": 3},
        LocalSecondaryIndexOverride=[],
        SSESpecificationOverride={"Enabled": True, "SSEType": "KMS"},
    )
    table = ddb.describe_table(TableName=target)["Table"]
    assert "LocalSecondaryIndexes" not in table
    throughput = table["ProvisionedThroughput"]
    assert (throughput["ReadCapacityUnits"], throughput["WriteCapacityUnits"]) == (7, 3)
    # [gureum] an index of an on-demand source gets the table's capacity
    gsi = table["GlobalSecondaryIndexes"][0]
    assert (gsi["ProvisionedThroughput"]["ReadCapacityUnits"], gsi["ItemCount"]) == (7, 3)
    assert table["SSEDescription"]["Status"] == "ENABLED"
    # the attribute only the left-out index used is no longer defined
    assert [d["AttributeName"] for d in table["AttributeDefinitions"]] == ["c", "g", "p"]

    target = restored()
    ddb.restore_table_from_backup(
        TargetTableName=target,
        BackupArn=arn,
        GlobalSecondaryIndexOverride=[
            {**GSI, "Projection": {"ProjectionType": "KEYS_ONLY"}},
        ],
    )
    table = ddb.describe_table(TableName=target)["Table"]
    assert table["GlobalSecondaryIndexes"][0]["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert [i["IndexName"] for i in table["LocalSecondaryIndexes"]] == ["by-l"]


def test_restore_override_errors(ddb: Any, indexed_table: str, restored: Callable[[], str]) -> None:
    arn = ddb.create_backup(TableName=indexed_table, BackupName="b-1")["BackupDetails"]["BackupArn"]
    target = restored()
    code, message = failure(
        ddb.restore_table_from_backup,
        TargetTableName=target,
        BackupArn=arn,
        BillingModeOverride="PROVISIONED",
    )
    # CreateTable's text for PROVISIONED without capacity
    assert (code, message) == (
        "ValidationException",
        "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits "
        "must both be specified when BillingMode is PROVISIONED",
    )
    code, message = failure(
        ddb.restore_table_from_backup,
        TargetTableName=target,
        BackupArn=arn,
        GlobalSecondaryIndexOverride=[{**GSI, "IndexName": "other"}],
    )
    assert (code, message) == (  # [gureum]
        "ValidationException",
        "One or more parameter values were invalid: Index other does not exist in the source table",
    )
    assert target not in ddb.list_tables()["TableNames"]


def test_restore_onto_existing_table(ddb: Any, make_table: TableFactory) -> None:
    name, other = make_table(), make_table()
    arn = ddb.create_backup(TableName=name, BackupName="b-1")["BackupDetails"]["BackupArn"]
    for target in (name, other):
        code, message = failure(
            ddb.restore_table_from_backup, TargetTableName=target, BackupArn=arn
        )
        assert (code, message) == ("TableAlreadyExistsException", f"Table already exists: {target}")


def test_restore_from_missing_backup(ddb: Any, table_s: str, restored: Callable[[], str]) -> None:
    arn = f"arn:aws:dynamodb:us-east-1:000000000000:table/{table_s}/backup/01623095754481-2cfcd6f9"
    code, message = failure(
        ddb.restore_table_from_backup, TargetTableName=restored(), BackupArn=arn
    )
    assert (code, message) == ("BackupNotFoundException", f"Backup not found: {arn}")


# --- restarts


@pytest.mark.gureum_own
def test_backup_and_restore_survive_restart(tmp_path: Path) -> None:
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
                {"AttributeName": "g", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
            GlobalSecondaryIndexes=[{**GSI, "Projection": {"ProjectionType": "ALL"}}],
        )
        items = fill(client, "source", 4)
        arn = client.create_backup(TableName="source", BackupName="b-1")["BackupDetails"][
            "BackupArn"
        ]
        client.restore_table_from_backup(TargetTableName="early", BackupArn=arn)
        client.put_item(TableName="source", Item=item("a", 50))
        servers[-1].stop()

        client = start()
        assert (
            client.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"][
                "BackupStatus"
            ]
            == "AVAILABLE"
        )
        assert (
            client.describe_table(TableName="early")["Table"]["RestoreSummary"]["SourceBackupArn"]
            == arn
        )
        assert scan_all(client, "early") == items
        assert client.list_tables()["TableNames"] == ["early", "source"]
        client.restore_table_from_backup(TargetTableName="late", BackupArn=arn)
        assert scan_all(client, "late") == items
        assert client.query(
            TableName="late",
            IndexName="by-g",
            KeyConditionExpression="g = :g",
            ExpressionAttributeValues={":g": {"S": "g2"}},
        )["Items"] == [items[2]]
        client.delete_backup(BackupArn=arn)
        servers[-1].stop()

        client = start()
        assert failure(client.describe_backup, BackupArn=arn)[0] == "BackupNotFoundException"
        assert scan_all(client, "late") == items
    finally:
        for server in servers:
            server.kill()
