"""CreateTable: the TableDescription it answers and its validation, as DynamoDB does them.

Sources for the expected texts and shapes (real DynamoDB answers recorded by others):
[dynalite] mhart/dynalite test/createTable.js (recorded against production DynamoDB);
[conformance] nubo-db/dynamodb-conformance tests/tier3/error-messages/createTable.test.ts (run
against real DynamoDB, 2026); [ack-lab] ack-api-quirks DynamoDB lab notes (live AWS probes,
verified 2026-10-08/09: findings DDB-TABLE-033/055/125, ValidationException catalogue
DDB-TABLE-442);
the DynamoDB API Reference (CreateTable).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, unique_name

if TYPE_CHECKING:
    from conftest import TableFactory

pytestmark = pytest.mark.aws_documented

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}")
PPR = {"BillingMode": "PAY_PER_REQUEST"}
PT = {"ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}


def defs(*specs: str) -> list[dict[str, str]]:
    return [{"AttributeName": s.split(":")[0], "AttributeType": s.split(":")[1]} for s in specs]


def keys(*specs: str) -> list[dict[str, str]]:
    return [{"AttributeName": s.split(":")[0], "KeyType": s.split(":")[1]} for s in specs]


def create_error(ddb: Any, **params: Any) -> tuple[str, str]:
    """The (code, message) of a CreateTable that must fail; drops the table if it did not."""
    params.setdefault("TableName", unique_name())
    try:
        ddb.create_table(**params)
    except ClientError as exc:
        err = exc.response["Error"]
        return err["Code"], err["Message"]
    ddb.delete_table(TableName=params["TableName"])
    pytest.fail("CreateTable succeeded")


# --- the TableDescription


def test_on_demand_description(ddb: Any) -> None:
    name = unique_name()
    before = datetime.now(UTC)
    desc = ddb.create_table(
        TableName=name,
        KeySchema=keys("p:HASH"),
        AttributeDefinitions=defs("p:S"),
        BillingMode="PAY_PER_REQUEST",
    )["TableDescription"]
    try:
        assert desc["TableName"] == name
        assert desc["TableStatus"] == "CREATING"
        assert desc["KeySchema"] == keys("p:HASH")
        assert desc["AttributeDefinitions"] == defs("p:S")
        assert desc["ItemCount"] == 0
        assert desc["TableSizeBytes"] == 0
        assert desc["ProvisionedThroughput"] == {
            "NumberOfDecreasesToday": 0,
            "ReadCapacityUnits": 0,
            "WriteCapacityUnits": 0,
        }
        assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        assert re.fullmatch(rf"arn:aws:dynamodb:us-east-1:\d{{12}}:table/{name}", desc["TableArn"])
        assert UUID4.fullmatch(desc["TableId"])
        assert abs((desc["CreationDateTime"] - before).total_seconds()) < 5
        assert desc["DeletionProtectionEnabled"] is False
        assert "GlobalSecondaryIndexes" not in desc
        assert "LocalSecondaryIndexes" not in desc
        assert "StreamSpecification" not in desc
    finally:
        ddb.delete_table(TableName=name)


def test_on_demand_create_response_billing_summary_is_mode_only(ddb: Any) -> None:
    name = unique_name()
    try:
        desc = ddb.create_table(
            TableName=name,
            KeySchema=keys("p:HASH"),
            AttributeDefinitions=defs("p:S"),
            BillingMode="PAY_PER_REQUEST",
        )["TableDescription"]
        assert desc["BillingModeSummary"] == {"BillingMode": "PAY_PER_REQUEST"}
    finally:
        ddb.delete_table(TableName=name)


def test_provisioned_description(ddb: Any) -> None:
    name = unique_name()
    desc = ddb.create_table(
        TableName=name,
        KeySchema=keys("p:HASH", "c:RANGE"),
        AttributeDefinitions=defs("p:S", "c:N"),
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3},
    )["TableDescription"]
    try:
        assert desc["ProvisionedThroughput"] == {
            "NumberOfDecreasesToday": 0,
            "ReadCapacityUnits": 5,
            "WriteCapacityUnits": 3,
        }
        # A table created without BillingMode has no BillingModeSummary [dynalite].
        assert "BillingModeSummary" not in desc
        assert desc["KeySchema"] == keys("p:HASH", "c:RANGE")
        # sorted by name, already in CreateTable's answer [ack-lab DDB-TABLE-125]
        assert desc["AttributeDefinitions"] == defs("c:N", "p:S")
        assert desc["TableStatus"] == "CREATING"
    finally:
        ddb.delete_table(TableName=name)


def test_explicit_provisioned_has_no_billing_summary(ddb: Any) -> None:
    name = unique_name()
    try:
        ddb.create_table(
            TableName=name,
            KeySchema=keys("p:HASH"),
            AttributeDefinitions=defs("p:S"),
            BillingMode="PROVISIONED",
            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        )
        assert "BillingModeSummary" not in ddb.describe_table(TableName=name)["Table"]
    finally:
        ddb.delete_table(TableName=name)


def test_table_becomes_active(ddb: Any, make_table: TableFactory) -> None:
    name = make_table()
    deadline = time.monotonic() + 10
    status = ""
    while time.monotonic() < deadline:
        status = ddb.describe_table(TableName=name)["Table"]["TableStatus"]
        if status == "ACTIVE":
            break
        time.sleep(0.1)
    assert status == "ACTIVE"


@pytest.mark.parametrize("key_type", ["S", "N", "B"])
def test_every_key_type(ddb: Any, make_table: TableFactory, key_type: str) -> None:
    name = make_table(f"h:{key_type}", f"r:{key_type}")
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["AttributeDefinitions"] == defs(f"h:{key_type}", f"r:{key_type}")
    assert table["KeySchema"] == keys("h:HASH", "r:RANGE")


@pytest.mark.parametrize("name_len", [3, 255])
def test_table_name_length_bounds(ddb: Any, make_table: TableFactory, name_len: int) -> None:
    name = ("t-" + unique_name("x") + "_." * 200)[:name_len]
    assert make_table(TableName=name) == name
    assert ddb.describe_table(TableName=name)["Table"]["TableName"] == name


def test_global_secondary_indexes_on_demand(ddb: Any) -> None:
    name = unique_name()
    desc = ddb.create_table(
        TableName=name,
        KeySchema=keys("a:HASH"),
        AttributeDefinitions=defs("a:S", "b:S"),
        BillingMode="PAY_PER_REQUEST",
        GlobalSecondaryIndexes=[
            {
                "IndexName": "abc",
                "KeySchema": keys("a:HASH", "b:RANGE"),
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "abd",
                "KeySchema": keys("b:HASH"),
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x", "y"]},
            },
        ],
    )["TableDescription"]
    try:
        by_name = {i["IndexName"]: i for i in desc["GlobalSecondaryIndexes"]}
        arn = desc["TableArn"]
        # [dynalite] 'should succeed for PAY_PER_REQUEST GlobalSecondaryIndexes'
        assert by_name["abc"] == {
            "IndexName": "abc",
            "KeySchema": keys("a:HASH", "b:RANGE"),
            "Projection": {"ProjectionType": "ALL"},
            "IndexStatus": "CREATING",
            "ProvisionedThroughput": {
                "NumberOfDecreasesToday": 0,
                "ReadCapacityUnits": 0,
                "WriteCapacityUnits": 0,
            },
            "IndexSizeBytes": 0,
            "ItemCount": 0,
            "IndexArn": f"{arn}/index/abc",
        }
        assert by_name["abd"]["Projection"] == {
            "ProjectionType": "INCLUDE",
            "NonKeyAttributes": ["x", "y"],
        }
    finally:
        ddb.delete_table(TableName=name)


def test_local_secondary_indexes(ddb: Any) -> None:
    name = unique_name()
    desc = ddb.create_table(
        TableName=name,
        KeySchema=keys("a:HASH", "b:RANGE"),
        AttributeDefinitions=defs("a:S", "b:S", "c:N"),
        **PT,
        LocalSecondaryIndexes=[
            {
                "IndexName": "lsi",
                "KeySchema": keys("a:HASH", "c:RANGE"),
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    )["TableDescription"]
    try:
        assert desc["LocalSecondaryIndexes"] == [
            {
                "IndexName": "lsi",
                "KeySchema": keys("a:HASH", "c:RANGE"),
                "Projection": {"ProjectionType": "KEYS_ONLY"},
                "IndexSizeBytes": 0,
                "ItemCount": 0,
                "IndexArn": f"{desc['TableArn']}/index/lsi",
            }
        ]
    finally:
        ddb.delete_table(TableName=name)


def test_stream_specification(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    )
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    label = table["LatestStreamLabel"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}", label)
    assert table["LatestStreamArn"] == f"{table['TableArn']}/stream/{label}"


def test_disabled_stream_specification_is_like_none(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(StreamSpecification={"StreamEnabled": False})
    table = ddb.describe_table(TableName=name)["Table"]
    assert "StreamSpecification" not in table
    assert "LatestStreamArn" not in table


def test_table_class_and_deletion_protection(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(TableClass="STANDARD_INFREQUENT_ACCESS", DeletionProtectionEnabled=True)
    table = ddb.describe_table(TableName=name)["Table"]
    assert table["TableClassSummary"] == {"TableClass": "STANDARD_INFREQUENT_ACCESS"}
    assert table["DeletionProtectionEnabled"] is True


def test_sse_specification(ddb: Any, make_table: TableFactory) -> None:
    name = make_table(SSESpecification={"Enabled": True, "SSEType": "KMS"})
    sse = ddb.describe_table(TableName=name)["Table"]["SSEDescription"]
    assert sse["Status"] == "ENABLED"
    assert sse["SSEType"] == "KMS"
    assert sse["KMSMasterKeyArn"].startswith("arn:aws:kms:us-east-1:")


def test_table_already_exists(ddb: Any, table_s: str) -> None:
    code, message = create_error(
        ddb, TableName=table_s, KeySchema=keys("p:HASH"), AttributeDefinitions=defs("p:S"), **PPR
    )
    assert (code, message) == ("ResourceInUseException", f"Table already exists: {table_s}")


# --- validation


def test_short_table_name(ddb: Any) -> None:
    assert create_error(
        ddb, TableName="ab", KeySchema=keys("pk:HASH"), AttributeDefinitions=defs("pk:S"), **PT
    ) == (
        "ValidationException",
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 3",
    )


def test_invalid_table_name_characters(ddb: Any) -> None:
    assert create_error(
        ddb, TableName="abc;", KeySchema=keys("pk:HASH"), AttributeDefinitions=defs("pk:S"), **PPR
    ) == (
        "ValidationException",
        "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    )


def test_missing_table_name(ddb: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.create_table(KeySchema=keys("pk:HASH"), AttributeDefinitions=defs("pk:S"), **PT)
    assert error_of(excinfo) == (
        "ValidationException",
        "The parameter 'TableName' is required but was not present in the request",
    )


def test_invalid_key_type(ddb: Any) -> None:
    assert create_error(
        ddb, KeySchema=keys("pk:INVALID"), AttributeDefinitions=defs("pk:S"), **PT
    ) == (
        "ValidationException",
        "1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed to "
        "satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]",
    )


def test_invalid_attribute_type(ddb: Any) -> None:
    assert create_error(
        ddb, KeySchema=keys("pk:HASH"), AttributeDefinitions=defs("pk:INVALID"), **PT
    ) == (
        "ValidationException",
        "1 validation error detected: Value 'INVALID' at "
        "'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [B, N, S]",
    )


def test_set_attribute_type_rejected(ddb: Any) -> None:
    assert create_error(ddb, KeySchema=keys("a:HASH"), AttributeDefinitions=defs("a:SS"), **PT) == (
        "ValidationException",
        "1 validation error detected: Value 'SS' at 'attributeDefinitions.1.member.attributeType' "
        "failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]",
    )


def test_three_key_schema_elements(ddb: Any) -> None:
    code, message = create_error(
        ddb,
        KeySchema=keys("pk:HASH", "sk:RANGE", "extra:RANGE"),
        AttributeDefinitions=defs("pk:S", "sk:S", "extra:S"),
        **PT,
    )
    element = (
        r"(?:KeySchemaElement\(attributeName=\w+, keyType=(?:HASH|RANGE)\)"
        r"|com\.amazonaws\.dynamodb\.v\d+\.KeySchemaElement@[0-9a-f]+)"
    )
    assert code == "ValidationException"
    assert re.fullmatch(
        rf"1 validation error detected: Value '\[{element}(, {element}){{2}}\]' at 'keySchema' "
        r"failed to satisfy constraint: Member must have length less than or equal to 2",
        message,
    )


NOT_PROVISIONED = (
    "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must "
    "both be specified when BillingMode is PROVISIONED"
)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            {"KeySchema": keys("pk:HASH", "pk:RANGE"), "AttributeDefinitions": defs("pk:S"), **PT},
            "Invalid KeySchema: Some index key attribute have no definition",
            id="same-attribute-twice-one-definition",
        ),
        pytest.param(
            {"KeySchema": keys("a:HASH"), "AttributeDefinitions": [], **PT},
            "Invalid KeySchema: Some index key attribute have no definition",
            id="no-definitions",
        ),
        pytest.param(
            {"KeySchema": keys("a:HASH"), "AttributeDefinitions": defs("b:S"), **PT},
            "One or more parameter values were invalid: Some index key attributes are not "
            "defined in AttributeDefinitions. Keys: [a], AttributeDefinitions: [b]",
            id="key-not-defined",
        ),
        pytest.param(
            {"KeySchema": keys("a:HASH", "a:HASH"), "AttributeDefinitions": defs("a:S", "b:S")}
            | PT,
            "Both the Hash Key and the Range Key element in the KeySchema have the same name",
            id="hash-and-range-same-name",
        ),
        pytest.param(
            {"KeySchema": keys("a:HASH", "b:HASH"), "AttributeDefinitions": defs("a:S", "b:S")}
            | PT,
            "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
            id="second-not-range",
        ),
        pytest.param(
            {"KeySchema": keys("a:RANGE", "b:HASH"), "AttributeDefinitions": defs("a:S", "b:S")}
            | PT,
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
            id="first-not-hash",
        ),
        pytest.param(
            {"KeySchema": keys("a:RANGE", "b:RANGE"), "AttributeDefinitions": defs("a:S", "b:S")}
            | PT,
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
            id="both-range",
        ),
        pytest.param(
            {"KeySchema": keys("a:HASH"), "AttributeDefinitions": defs("a:S", "b:S")} | PT,
            "One or more parameter values were invalid: Number of attributes in KeySchema does "
            "not exactly match number of attributes defined in AttributeDefinitions",
            id="unused-definition",
        ),
        pytest.param(
            {"KeySchema": keys("a:HASH"), "AttributeDefinitions": defs("a:S", "a:N")} | PPR,
            "Attribute Name is duplicated: a",
            id="duplicated-definition",
        ),
        pytest.param(
            {"KeySchema": keys("a:HASH"), "AttributeDefinitions": defs("a:S")},
            NOT_PROVISIONED,
            id="no-billing-no-throughput",
        ),
        pytest.param(
            {
                "KeySchema": keys("a:HASH"),
                "AttributeDefinitions": defs("a:S"),
                "BillingMode": "PROVISIONED",
            },
            NOT_PROVISIONED,
            id="provisioned-no-throughput",
        ),
        pytest.param(
            {"KeySchema": keys("a:HASH"), "AttributeDefinitions": defs("a:S")} | PPR | PT,
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
            "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST",
            id="on-demand-with-throughput",
        ),
        pytest.param(
            {
                "KeySchema": keys("a:HASH"),
                "AttributeDefinitions": defs("a:S"),
                "ProvisionedThroughput": {
                    "ReadCapacityUnits": 1000000000001,
                    "WriteCapacityUnits": 1,
                },
            },
            "Given value 1000000000001 for ReadCapacityUnits is out of bounds",
            id="read-units-out-of-bounds",
        ),
        pytest.param(
            {
                "KeySchema": keys("a:HASH"),
                "AttributeDefinitions": defs("a:S"),
                "ProvisionedThroughput": {
                    "ReadCapacityUnits": 1,
                    "WriteCapacityUnits": 1000000000001,
                },
            },
            "Given value 1000000000001 for WriteCapacityUnits is out of bounds",
            id="write-units-out-of-bounds",
        ),
    ],
)
def test_key_schema_and_billing_validation(ddb: Any, params: dict[str, Any], message: str) -> None:
    assert create_error(ddb, **params) == ("ValidationException", message)


def test_throughput_below_one(ddb: Any) -> None:
    assert create_error(
        ddb,
        KeySchema=keys("a:HASH"),
        AttributeDefinitions=defs("a:S"),
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 0},
    ) == (
        "ValidationException",
        "1 validation error detected: Value '0' at 'provisionedThroughput.writeCapacityUnits' "
        "failed to satisfy constraint: Member must have value greater than or equal to 1",
    )


def test_invalid_billing_mode(ddb: Any) -> None:
    assert create_error(
        ddb, KeySchema=keys("a:HASH"), AttributeDefinitions=defs("a:S"), BillingMode="A"
    ) == (
        "ValidationException",
        "1 validation error detected: Value 'A' at 'billingMode' failed to satisfy constraint: "
        "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]",
    )


def lsi(name: str, *key: str, projection: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": keys(*key),
        "Projection": projection if projection is not None else {"ProjectionType": "ALL"},
    }


RANGE_TABLE = {"KeySchema": keys("a:HASH", "b:RANGE"), "AttributeDefinitions": defs("a:S", "b:S")}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            {
                "KeySchema": keys("pk:HASH"),
                "AttributeDefinitions": defs("pk:S", "lsiSk:S"),
                "LocalSecondaryIndexes": [lsi("lsi1", "pk:HASH", "lsiSk:RANGE")],
            },
            "One or more parameter values were invalid: Table KeySchema does not have a range key, "
            "which is required when specifying a LocalSecondaryIndex",
            id="lsi-without-table-range-key",
        ),
        pytest.param(
            RANGE_TABLE | {"LocalSecondaryIndexes": []},
            "One or more parameter values were invalid: List of LocalSecondaryIndexes is empty",
            id="empty-lsi-list",
        ),
        pytest.param(
            RANGE_TABLE | {"LocalSecondaryIndexes": [lsi("abc", "a:HASH")]},
            "One or more parameter values were invalid: Index KeySchema does not have a range key "
            "for index: abc",
            id="lsi-without-range-key",
        ),
        pytest.param(
            {
                "KeySchema": keys("a:HASH", "b:RANGE"),
                "AttributeDefinitions": defs("a:S", "b:S", "c:S"),
                "LocalSecondaryIndexes": [lsi("abc", "c:HASH", "b:RANGE")],
            },
            "One or more parameter values were invalid: Index KeySchema does not have the same "
            "leading hash key as table KeySchema for index: abc. index hash key: c, table hash "
            "key: a",
            id="lsi-other-hash-key",
        ),
        pytest.param(
            RANGE_TABLE
            | {"LocalSecondaryIndexes": [lsi("abc", "a:HASH", "b:RANGE", projection={})]},
            "One or more parameter values were invalid: Unknown ProjectionType: null",
            id="empty-projection",
        ),
        pytest.param(
            RANGE_TABLE
            | {
                "LocalSecondaryIndexes": [
                    lsi(
                        "abc",
                        "a:HASH",
                        "b:RANGE",
                        projection={"ProjectionType": "ALL", "NonKeyAttributes": ["a"]},
                    )
                ]
            },
            "One or more parameter values were invalid: ProjectionType is ALL, but "
            "NonKeyAttributes is specified",
            id="all-with-non-key-attributes",
        ),
        pytest.param(
            RANGE_TABLE
            | {
                "LocalSecondaryIndexes": [
                    lsi(
                        "abc",
                        "a:HASH",
                        "b:RANGE",
                        projection={"ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["a"]},
                    )
                ]
            },
            "One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but "
            "NonKeyAttributes is specified",
            id="keys-only-with-non-key-attributes",
        ),
        pytest.param(
            RANGE_TABLE
            | {
                "LocalSecondaryIndexes": [
                    lsi("abc", "a:HASH", "b:RANGE", projection={"ProjectionType": "INCLUDE"})
                ]
            },
            "One or more parameter values were invalid: ProjectionType is INCLUDE, but "
            "NonKeyAttributes is not specified",
            id="include-without-non-key-attributes",
        ),
        pytest.param(
            RANGE_TABLE
            | {"LocalSecondaryIndexes": [lsi(f"ab{i}", "a:HASH", "b:RANGE") for i in range(6)]},
            "One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds "
            "per-table limit of 5",
            id="six-lsis",
        ),
        pytest.param(
            RANGE_TABLE
            | {
                "LocalSecondaryIndexes": [
                    lsi("abc", "a:HASH", "b:RANGE"),
                    lsi("abc", "a:HASH", "b:RANGE"),
                ]
            },
            "One or more parameter values were invalid: Duplicate index name: abc",
            id="duplicate-lsi-names",
        ),
    ],
)
def test_local_index_validation(ddb: Any, params: dict[str, Any], message: str) -> None:
    assert create_error(ddb, **params, **PT) == ("ValidationException", message)


def gsi(name: str, *key: str, throughput: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "IndexName": name,
        "KeySchema": keys(*key),
        "Projection": {"ProjectionType": "ALL"},
    }
    if throughput:
        out.update(PT)
    return out


@pytest.mark.parametrize(
    ("params", "message"),
    [
        pytest.param(
            RANGE_TABLE | PT | {"GlobalSecondaryIndexes": []},
            "One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty",
            id="empty-gsi-list",
        ),
        pytest.param(
            RANGE_TABLE | PPR | {"GlobalSecondaryIndexes": [gsi("abd", "b:HASH", throughput=True)]},
            "One or more parameter values were invalid: ProvisionedThroughput should not be "
            "specified for index: abd when BillingMode is PAY_PER_REQUEST",
            id="gsi-throughput-on-demand",
        ),
        pytest.param(
            RANGE_TABLE | PT | {"GlobalSecondaryIndexes": [gsi("abd", "b:HASH")]},
            "One or more parameter values were invalid: ProvisionedThroughput is not specified "
            "for index: abd",
            id="gsi-without-throughput-provisioned",
        ),
        pytest.param(
            RANGE_TABLE | PPR | {"GlobalSecondaryIndexes": [gsi("abc", "a:HASH", "c:RANGE")]},
            "One or more parameter values were invalid: Some index key attributes are not defined "
            "in AttributeDefinitions. Keys: [a, c], AttributeDefinitions: [a, b]",
            id="gsi-key-not-defined",
        ),
        pytest.param(
            RANGE_TABLE | PPR | {"GlobalSecondaryIndexes": [gsi("abc", "a:HASH", "a:RANGE")]},
            "Both the Hash Key and the Range Key element in the KeySchema have the same name",
            id="gsi-same-key-names",
        ),
        pytest.param(
            RANGE_TABLE
            | PPR
            | {"GlobalSecondaryIndexes": [gsi("abc", "a:HASH"), gsi("abc", "b:HASH")]},
            "One or more parameter values were invalid: Duplicate index name: abc",
            id="duplicate-gsi-names",
        ),
        pytest.param(
            RANGE_TABLE
            | PPR
            | {"GlobalSecondaryIndexes": [gsi(f"gsi{i}", "b:HASH") for i in range(21)]},
            "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the "
            "per-table limit of 20",
            id="twenty-one-gsis",
        ),
        pytest.param(
            RANGE_TABLE
            | PT
            | {
                "LocalSecondaryIndexes": [lsi("abc", "a:HASH", "b:RANGE")],
                "GlobalSecondaryIndexes": [gsi("abc", "b:HASH", throughput=True)],
            },
            "One or more parameter values were invalid: Duplicate index name: abc",
            id="lsi-and-gsi-same-name",
        ),
    ],
)
def test_global_index_validation(ddb: Any, params: dict[str, Any], message: str) -> None:
    assert create_error(ddb, **params) == ("ValidationException", message)


def test_gsi_name_constraints(ddb: Any) -> None:
    assert create_error(
        ddb, **RANGE_TABLE, **PPR, GlobalSecondaryIndexes=[gsi("h;", "b:HASH")]
    ) == (
        "ValidationException",
        "2 validation errors detected: Value 'h;' at 'globalSecondaryIndexes.1.member.indexName' "
        "failed to satisfy constraint: Member must satisfy regular expression pattern: "
        "[a-zA-Z0-9_.-]+; Value 'h;' at 'globalSecondaryIndexes.1.member.indexName' failed to "
        "satisfy constraint: Member must have length greater than or equal to 3",
    )


def test_failed_create_leaves_no_table(ddb: Any) -> None:
    name = unique_name()
    create_error(ddb, TableName=name, KeySchema=keys("a:HASH"), AttributeDefinitions=defs("b:S"))
    with pytest.raises(ClientError) as excinfo:
        ddb.describe_table(TableName=name)
    assert error_of(excinfo)[0] == "ResourceNotFoundException"


def test_stream_enabled_without_view_type(ddb: Any) -> None:
    assert create_error(
        ddb,
        KeySchema=keys("a:HASH"),
        AttributeDefinitions=defs("a:S"),
        **PPR,
        StreamSpecification={"StreamEnabled": True},
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Table is being created with a stream "
        "enabled, UpdateViewType is required",
    )


def test_stream_disabled_with_view_type(ddb: Any) -> None:
    assert create_error(
        ddb,
        KeySchema=keys("a:HASH"),
        AttributeDefinitions=defs("a:S"),
        **PPR,
        StreamSpecification={"StreamEnabled": False, "StreamViewType": "KEYS_ONLY"},
    ) == (
        "ValidationException",
        "One or more parameter values were invalid: Table is being created with a stream "
        "disabled, UpdateViewType should not be specified",
    )
