"""BatchExecuteStatement: up to 25 reads or 25 writes, each answered on its own.

Sources: the AWS API reference (BatchExecuteStatement, BatchStatementResponse,
BatchStatementError) and developer guide ("Running batch operations with PartiQL"); recorded
against real DynamoDB: [ketlark] Ketlark/dynamodb-conformance
tests/tier2/partiql/batchExecuteStatement.test.ts, [paritysuite]
paritysuite/dynamodb-conformance (executeStatementIndex, partiqlFunctions,
partiqlGrammar, partiqlParameterNumbers), [localstack] LocalStack's AWS-validated snapshot
``test_dynamodb_batch_execute_statement``, [dynoxide] dynoxide's tests captured against AWS.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]
READ_NEEDS_KEY = (
    "Select statements within BatchExecuteStatement must specify the primary key in the "
    "where clause."
)


@pytest.fixture(scope="module")
def table(ddb: Any) -> Iterator[str]:
    name = unique_name("pqb")
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield name
    ddb.delete_table(TableName=name)


def batch(ddb: Any, *statements: str | dict[str, Any], **extra: Any) -> dict[str, Any]:
    entries = [{"Statement": s} if isinstance(s, str) else s for s in statements]
    response = ddb.batch_execute_statement(Statements=entries, **extra)
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def put(ddb: Any, table: str, **attributes: str) -> str:
    pk = new_key()
    item = {"pk": {"S": pk}, **{k: {"S": v} for k, v in attributes.items()}}
    ddb.put_item(TableName=table, Item=item)
    return pk


def stored(ddb: Any, table: str, pk: str) -> Item | None:
    item: Item | None = ddb.get_item(
        TableName=table, Key={"pk": {"S": pk}}, ConsistentRead=True
    ).get("Item")
    return item


def test_reads(ddb: Any, table: str) -> None:
    one, two = put(ddb, table, data="one"), put(ddb, table, data="two")
    missing = new_key()
    response = batch(
        ddb,
        f"SELECT * FROM \"{table}\" WHERE pk = '{one}'",
        {"Statement": f'SELECT data FROM "{table}" WHERE pk = ?', "Parameters": [{"S": two}]},
        {"Statement": f"SELECT * FROM \"{table}\" WHERE pk = '{missing}'", "ConsistentRead": True},
    )
    assert response == {
        "Responses": [
            {"TableName": table, "Item": {"pk": {"S": one}, "data": {"S": "one"}}},
            {"TableName": table, "Item": {"data": {"S": "two"}}},
            {"TableName": table},
        ]
    }


def test_writes(ddb: Any, table: str) -> None:
    # [localstack]: each write answers its table's name
    existing = put(ddb, table, data="before")
    new = new_key()
    response = batch(
        ddb,
        f"INSERT INTO \"{table}\" VALUE {{'pk': '{new}', 'data': 'new'}}",
        f"UPDATE \"{table}\" SET data = 'after' WHERE pk = '{existing}'",
    )
    assert response == {"Responses": [{"TableName": table}, {"TableName": table}]}
    assert stored(ddb, table, new) == {"pk": {"S": new}, "data": {"S": "new"}}
    assert stored(ddb, table, existing) == {"pk": {"S": existing}, "data": {"S": "after"}}


def test_returning_in_a_batch(ddb: Any, table: str) -> None:
    # [ketlark]: a batch honours RETURNING; an empty MODIFIED image leaves Item out
    gone, changed, emptied = (put(ddb, table, data="x") for _ in range(3))
    response = batch(
        ddb,
        f"DELETE FROM \"{table}\" WHERE pk = '{gone}' RETURNING ALL OLD *",
        f"UPDATE \"{table}\" SET data = 'new' WHERE pk = '{changed}' RETURNING MODIFIED NEW *",
        f"UPDATE \"{table}\" REMOVE data WHERE pk = '{emptied}' RETURNING MODIFIED NEW *",
    )
    assert response == {
        "Responses": [
            {"TableName": table, "Item": {"pk": {"S": gone}, "data": {"S": "x"}}},
            {"TableName": table, "Item": {"data": {"S": "new"}}},
            {"TableName": table},
        ]
    }


def test_each_statement_fails_on_its_own(ddb: Any, table: str) -> None:
    existing = put(ddb, table)
    absent = unique_name("none")
    fresh = new_key()
    response = batch(
        ddb,
        f"INSERT INTO \"{table}\" VALUE {{'pk': '{existing}'}}",
        f"UPDATE \"{table}\" SET a = 1 WHERE pk = '{new_key()}'",
        f"INSERT INTO \"{absent}\" VALUE {{'pk': 'x'}}",
        f"DELETE FROM \"{table}\" WHERE pk = '{new_key()}' RETURNING MODIFIED OLD *",
        "SLECT nothing",
        f"INSERT INTO \"{table}\" VALUE {{'pk': '{fresh}'}}",
    )
    assert response == {
        "Responses": [
            {
                "Error": {
                    "Code": "DuplicateItem",
                    "Message": "Duplicate primary key exists in table",
                },
                "TableName": table,
            },
            {
                "Error": {
                    "Code": "ConditionalCheckFailed",
                    "Message": "The conditional request failed",
                },
                "TableName": table,
            },
            {"Error": {"Code": "ResourceNotFound", "Message": "Requested resource not found"}},
            {
                "Error": {
                    "Code": "ValidationError",
                    "Message": "Invalid returning clause: RETURNING MODIFIED OLD *. Only "
                    "RETURNING ALL OLD * is allowed in DELETE statements.",
                }
            },
            {
                "Error": {
                    "Code": "ValidationError",
                    "Message": "Statement wasn't well formed, can't be processed: Expected data "
                    "manipulation",
                }
            },
            {"TableName": table},
        ]
    }
    assert stored(ddb, table, fresh) is not None


def test_condition_failure_item(ddb: Any, table: str) -> None:
    pk = put(ddb, table, data="x")
    response = batch(
        ddb,
        {
            "Statement": f"UPDATE \"{table}\" SET data = 'y' WHERE pk = '{pk}' AND data = 'z'",
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        },
    )
    assert response["Responses"] == [
        {
            "Error": {
                "Code": "ConditionalCheckFailed",
                "Message": "The conditional request failed",
                "Item": {"pk": {"S": pk}, "data": {"S": "x"}},
            },
            "TableName": table,
        }
    ]


def test_reads_name_one_item(ddb: Any) -> None:
    # [paritysuite] executeStatementIndex.test.ts and partiqlFunctions.test.ts
    name = unique_name("pqb")
    ddb.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    try:
        response = batch(
            ddb,
            f'SELECT * FROM "{name}"."gsi1" WHERE g = \'a\'',
            f"SELECT * FROM \"{name}\" WHERE pk = 'a'",
            f"SELECT * FROM \"{name}\" WHERE pk = 'a' AND sk = 'b' AND attribute_exists(x)",
        )
        error = {"Error": {"Code": "ValidationError", "Message": READ_NEEDS_KEY}}
        assert response == {"Responses": [error, error, error]}
    finally:
        ddb.delete_table(TableName=name)


def test_reads_and_writes_do_not_mix(ddb: Any, table: str) -> None:
    # [dynoxide]: refused as a whole, before anything runs
    pk = new_key()
    with pytest.raises(ClientError) as excinfo:
        batch(
            ddb,
            f"SELECT * FROM \"{table}\" WHERE pk = 'x'",
            f"INSERT INTO \"{table}\" VALUE {{'pk': '{pk}'}}",
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Read and write requests together in the same batch is not supported.",
    )
    assert stored(ddb, table, pk) is None


def test_one_item_twice_is_refused(ddb: Any, table: str) -> None:
    # [dynoxide]: refused as a whole, before anything runs
    pk = new_key()
    with pytest.raises(ClientError) as excinfo:
        batch(
            ddb,
            f"INSERT INTO \"{table}\" VALUE {{'pk': '{pk}'}}",
            f"UPDATE \"{table}\" SET name = 'x' WHERE pk = '{pk}'",
        )
    assert error_of(excinfo) == (
        "ValidationException",
        "Provided list of item keys contains duplicates",
    )
    assert stored(ddb, table, pk) is None


def test_statement_count_limits(ddb: Any, table: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_execute_statement(Statements=[])
    assert error_of(excinfo)[0] == "ValidationException"
    statements = [{"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'k{i}'"} for i in range(26)]
    with pytest.raises(ClientError) as excinfo:
        ddb.batch_execute_statement(Statements=statements)
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert message.endswith(
        "at 'statements' failed to satisfy constraint: Member must have length less than or "
        "equal to 25"
    )


def test_per_statement_parameter_errors(ddb: Any, table: str) -> None:
    # [paritysuite] partiqlParameterNumbers.test.ts, partiqlGrammar.test.ts
    response = batch(
        ddb,
        {
            "Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'x' AND n = ?",
            "Parameters": [{"N": "1e99999999999"}],
        },
        f'SELECT * FROM "{table}" WHERE',
    )
    assert response == {
        "Responses": [
            {
                "Error": {
                    "Code": "ValidationError",
                    "Message": "The parameter cannot be converted to a numeric value: "
                    "1e99999999999",
                }
            },
            {
                "Error": {
                    "Code": "ValidationError",
                    "Message": "Statement wasn't well formed, can't be processed: Unexpected term",
                }
            },
        ]
    }


def test_set_add_and_from_first_update_in_a_batch(ddb: Any, table: str) -> None:
    # [paritysuite] setFunctions.test.ts, fromFirstUpdate.test.ts
    pk = new_key()
    ddb.put_item(TableName=table, Item={"pk": {"S": pk}, "ss": {"SS": ["a"]}})
    other = put(ddb, table)
    response = batch(
        ddb,
        f"UPDATE \"{table}\" SET ss = set_add(ss, <<'t'>>) WHERE pk = '{pk}'",
        f"FROM \"{table}\" WHERE pk = '{other}' SET c = 1",
    )
    assert response == {"Responses": [{"TableName": table}, {"TableName": table}]}
    item = stored(ddb, table, pk)
    assert item is not None
    assert sorted(item["ss"]["SS"]) == ["a", "t"]


@pytest.mark.gureum_own
def test_consumed_capacity_per_table(ddb: Any, table: str) -> None:
    # [gureum] the capacity of the whole batch, one entry per table (as BatchWriteItem)
    response = batch(
        ddb,
        f"INSERT INTO \"{table}\" VALUE {{'pk': '{new_key()}'}}",
        f"INSERT INTO \"{table}\" VALUE {{'pk': '{new_key()}'}}",
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["ConsumedCapacity"] == [{"TableName": table, "CapacityUnits": 2.0}]


@pytest.mark.gureum_own
@pytest.mark.parametrize(
    ("operation", "member", "wire"),
    [
        ("BatchExecuteStatement", "Statements", "statements"),
        ("ExecuteTransaction", "TransactStatements", "transactStatements"),
    ],
)
def test_a_null_statement_is_refused(raw: Any, operation: str, member: str, wire: str) -> None:
    # [gureum] the front end's wording for a null member of a list
    response = raw(operation, {member: [{"Statement": "SELECT * FROM t WHERE pk = 'x'"}, None]})
    assert response.status_code == 400
    assert response.json() == {
        "__type": "com.amazon.coral.validate#ValidationException",
        "message": f"1 validation error detected: Value null at '{wire}.2.member' failed to "
        "satisfy constraint: Member must not be null",
    }
