"""ExecuteTransaction: PartiQL statements run all or nothing, as TransactGetItems or
TransactWriteItems.

Sources: the AWS API reference (ExecuteTransaction) and developer guide ("Performing
transactions with PartiQL"); recorded against real DynamoDB: [nubo] nubo-db/dynamodb-conformance
tests/tier2/partiql/executeTransaction.test.ts, [ketlark] Ketlark/dynamodb-conformance (the
same file, ClientRequestToken and RETURNING), [paritysuite] paritysuite/dynamodb-conformance
(writeResponses, partiqlFunctions, partiqlGrammar, partiqlParameterNumbers), [localstack]
LocalStack's AWS-validated snapshot ``test_dynamodb_execute_transaction``, [dynoxide].
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from conftest import error_of, new_key, unique_name

pytestmark = pytest.mark.aws_documented

Item = dict[str, Any]


@pytest.fixture(scope="module")
def table(ddb: Any) -> Iterator[str]:
    name = unique_name("pqt")
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    yield name
    ddb.delete_table(TableName=name)


def transact(ddb: Any, *statements: str | dict[str, Any], **extra: Any) -> dict[str, Any]:
    entries = [{"Statement": s} if isinstance(s, str) else s for s in statements]
    response = ddb.execute_transaction(TransactStatements=entries, **extra)
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def refusal(ddb: Any, *statements: str | dict[str, Any], **extra: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as excinfo:
        transact(ddb, *statements, **extra)
    return error_of(excinfo)


def put(ddb: Any, table: str, **attributes: Item) -> str:
    pk = new_key()
    ddb.put_item(TableName=table, Item={"pk": {"S": pk}, **attributes})
    return pk


def stored(ddb: Any, table: str, pk: str) -> Item | None:
    item: Item | None = ddb.get_item(
        TableName=table, Key={"pk": {"S": pk}}, ConsistentRead=True
    ).get("Item")
    return item


def test_writes_apply_together(ddb: Any, table: str) -> None:
    # [nubo], [paritysuite] writeResponses.test.ts: writes answer an empty Responses list
    existing = put(ddb, table, data={"S": "before"})
    gone = put(ddb, table)
    new = new_key()
    response = transact(
        ddb,
        f"INSERT INTO \"{table}\" VALUE {{'pk': '{new}', 'data': 'new'}}",
        f"UPDATE \"{table}\" SET data = 'after' WHERE pk = '{existing}'",
        f"DELETE FROM \"{table}\" WHERE pk = '{gone}'",
    )
    assert response == {"Responses": []}
    assert stored(ddb, table, new) == {"pk": {"S": new}, "data": {"S": "new"}}
    assert stored(ddb, table, existing) == {"pk": {"S": existing}, "data": {"S": "after"}}
    assert stored(ddb, table, gone) is None


def test_duplicate_insert_cancels_everything(ddb: Any, table: str) -> None:
    # [nubo]: TransactionCanceledException, nothing written
    existing = put(ddb, table, data={"S": "existing"})
    new = new_key()
    with pytest.raises(ClientError) as excinfo:
        transact(
            ddb,
            f"INSERT INTO \"{table}\" VALUE {{'pk': '{existing}', 'data': 'no'}}",
            f"INSERT INTO \"{table}\" VALUE {{'pk': '{new}'}}",
        )
    code, message = error_of(excinfo)
    assert code == "TransactionCanceledException"
    # [gureum] the reason's code for an INSERT of an existing item
    assert message.endswith("[DuplicateItem, None]")
    assert stored(ddb, table, new) is None
    assert stored(ddb, table, existing) == {"pk": {"S": existing}, "data": {"S": "existing"}}


def test_update_condition_in_a_transaction(ddb: Any, table: str) -> None:
    # [paritysuite] whereFunctions.test.ts
    pk = put(ddb, table, a={"N": "5"})
    transact(ddb, f"UPDATE \"{table}\" SET z = 1 WHERE pk = '{pk}' AND attribute_exists(a)")
    assert (stored(ddb, table, pk) or {}).get("z") == {"N": "1"}
    code, _ = refusal(ddb, f"UPDATE \"{table}\" SET z = 2 WHERE pk = '{pk}' AND a = 6")
    assert code == "TransactionCanceledException"


def test_exists_checks_an_item(ddb: Any, table: str) -> None:
    checked = put(ddb, table, state={"S": "open"})
    target = put(ddb, table)
    exists = f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = '{checked}' AND state = 'open')"
    transact(ddb, exists, f"UPDATE \"{table}\" SET done = TRUE WHERE pk = '{target}'")
    assert (stored(ddb, table, target) or {}).get("done") == {"BOOL": True}
    closed = f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = '{checked}' AND state = 'closed')"
    code, _ = refusal(ddb, closed, f"UPDATE \"{table}\" SET again = TRUE WHERE pk = '{target}'")
    assert code == "TransactionCanceledException"
    assert "again" not in (stored(ddb, table, target) or {})


def test_reads(ddb: Any, table: str) -> None:
    one = put(ddb, table, data={"S": "one"}, other={"S": "x"})
    two = put(ddb, table, data={"S": "two"}, other={"S": "y"})
    response = transact(
        ddb,
        f"SELECT * FROM \"{table}\" WHERE pk = '{one}'",
        {"Statement": f'SELECT data FROM "{table}" WHERE pk = ?', "Parameters": [{"S": two}]},
        f"SELECT * FROM \"{table}\" WHERE pk = '{new_key()}'",
    )
    assert response == {
        "Responses": [
            {"Item": {"pk": {"S": one}, "data": {"S": "one"}, "other": {"S": "x"}}},
            {"Item": {"data": {"S": "two"}}},
            {},
        ]
    }


def test_consumed_capacity(ddb: Any, table: str) -> None:
    # [paritysuite] writeResponses.test.ts
    pk = put(ddb, table, a={"N": "1"})
    response = transact(
        ddb,
        f"UPDATE \"{table}\" SET a = 3 WHERE pk = '{pk}'",
        ReturnConsumedCapacity="TOTAL",
    )
    assert response["Responses"] == []
    assert [entry["TableName"] for entry in response["ConsumedCapacity"]] == [table]


def test_client_request_token_replays(ddb: Any, table: str) -> None:
    # [ketlark]: the same token again does not apply the statements twice
    pk = put(ddb, table, n={"N": "0"})
    token = new_key()
    statement = f"UPDATE \"{table}\" SET n = n + 1 WHERE pk = '{pk}'"
    transact(ddb, statement, ClientRequestToken=token)
    transact(ddb, statement, ClientRequestToken=token)
    assert (stored(ddb, table, pk) or {}).get("n") == {"N": "1"}


def test_statement_refusals_name_the_statement(ddb: Any, table: str) -> None:
    prefix = "Validation failed in TransactStatements[{}]: "
    pk = put(ddb, table, data={"S": "old"})
    cases = [
        # [ketlark], [dynoxide]
        (
            [
                f"DELETE FROM \"{table}\" WHERE pk = '{new_key()}'",
                f"UPDATE \"{table}\" SET data = 'new' WHERE pk = '{pk}' RETURNING ALL NEW *",
            ],
            prefix.format(1) + "RETURNING clause is not supported in ExecuteTransaction.",
        ),
        # [paritysuite] partiqlGrammar.test.ts
        (
            [f'SELECT * FROM "{table}" WHERE'],
            prefix.format(0) + "Statement wasn't well formed, can't be processed: Unexpected term",
        ),
        # [paritysuite] partiqlFunctions.test.ts
        (
            [f"SELECT * FROM \"{table}\" WHERE pk = '{pk}' AND attribute_exists(data)"],
            prefix.format(0) + "Select statements within ExecuteTransaction must specify the "
            "primary key in the where clause.",
        ),
        (
            [
                f"EXISTS(SELECT * FROM \"{table}\" WHERE pk = '{pk}')",
                f"UPDATE \"{table}\" SET z = 1 WHERE pk = '{new_key()}'",
            ],
            prefix.format(0) + "EXISTS() must contain a single item read with additional condition",
        ),
    ]
    for statements, message in cases:
        assert refusal(ddb, *statements) == ("ValidationException", message)
    assert stored(ddb, table, pk) == {"pk": {"S": pk}, "data": {"S": "old"}}


def test_parameter_refusals_are_not_prefixed(ddb: Any, table: str) -> None:
    # [paritysuite] partiqlParameterNumbers.test.ts
    statement = {
        "Statement": f"UPDATE \"{table}\" SET n = ? WHERE pk = 'x'",
        "Parameters": [{"N": "1e99999999999"}],
    }
    assert refusal(ddb, statement) == (
        "ValidationException",
        "The parameter cannot be converted to a numeric value: 1e99999999999",
    )


def test_reads_and_writes_do_not_mix(ddb: Any, table: str) -> None:
    # [gureum] DynamoDB Local's text
    assert refusal(
        ddb,
        f"SELECT * FROM \"{table}\" WHERE pk = 'a'",
        f"INSERT INTO \"{table}\" VALUE {{'pk': '{new_key()}'}}",
    ) == (
        "ValidationException",
        "ExecuteTransaction API does not support both read and write operations in the same "
        "request.",
    )


def test_empty_transaction(ddb: Any, table: str) -> None:
    # [nubo]
    with pytest.raises(ClientError) as excinfo:
        ddb.execute_transaction(TransactStatements=[])
    assert error_of(excinfo)[0] == "ValidationException"


def test_missing_table(ddb: Any, table: str) -> None:
    statement = f"INSERT INTO \"{unique_name('none')}\" VALUE {{'pk': 'x'}}"
    assert refusal(ddb, statement) == ("ResourceNotFoundException", "Requested resource not found")


def test_at_most_100_statements(ddb: Any, table: str) -> None:
    statements = [{"Statement": f"SELECT * FROM \"{table}\" WHERE pk = 'k{i}'"} for i in range(101)]
    with pytest.raises(ClientError) as excinfo:
        ddb.execute_transaction(TransactStatements=statements)
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert message.endswith(
        "at 'transactStatements' failed to satisfy constraint: Member must have length less "
        "than or equal to 100"
    )
