"""Transaction conflicts: writes and transactions on an item a transaction holds.

DynamoDB refuses a PutItem, UpdateItem or DeleteItem on an item while a TransactWriteItems that
includes it is under way (TransactionConflictException, "Transaction is ongoing for the item"),
and cancels a TransactWriteItems or TransactGetItems on such an item with the reason
``TransactionConflict`` ("Transaction conflict handling", DynamoDB developer guide; the
TransactionCanceledException API reference lists the code and its message). gureum holds a
transaction's items from when it is applied until the group commit that makes it durable, the
end of the server's event-loop turn: requests pipelined behind it on one connection, or arriving
together from concurrent clients, conflict with it. Refusing BatchWriteItem as a whole is
gureum's own choice.

The requests are pipelined over raw sockets (several requests in one send, handled in one turn)
and sent from concurrent clients; every test also checks that nothing was lost or half applied.
"""

from __future__ import annotations

import json
import socket
import threading
from typing import TYPE_CHECKING, Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import new_key

if TYPE_CHECKING:
    from conftest import GureumProcess, TableFactory

pytestmark = pytest.mark.aws_documented

ONGOING = "Transaction is ongoing for the item"
CONFLICT = {"Code": "TransactionConflict", "Message": ONGOING}
NONE = {"Code": "None"}
ATTEMPTS = 20  # pipelined requests nearly always arrive in one read; retry if they did not


def request_bytes(port: int, operation: str, payload: dict[str, Any]) -> bytes:
    """One SigV4-signed DynamoDB call as boto3 would send it."""
    body = json.dumps(payload).encode()
    request = AWSRequest(
        method="POST",
        url=f"http://127.0.0.1:{port}/",
        data=body,
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": f"DynamoDB_20120810.{operation}",
        },
    )
    SigV4Auth(Credentials("test", "secret"), "dynamodb", "us-east-1").add_auth(request)
    headers = {"Host": f"127.0.0.1:{port}", **dict(request.prepare().headers)}
    head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
    return f"POST / HTTP/1.1\r\n{head}\r\n".encode() + body


class Pipeline:
    """A keep-alive connection sending several requests at once and reading their replies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def send(self, *calls: tuple[str, dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
        """(status, JSON body) of each call, all sent in one write."""
        self.sock.sendall(b"".join(request_bytes(self.port, op, body) for op, body in calls))
        return [self._reply() for _ in calls]

    def _reply(self) -> tuple[int, dict[str, Any]]:
        while b"\r\n\r\n" not in self.buffer:
            self._receive()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status_line, *lines = head.decode("latin-1").split("\r\n")
        length = 0
        for line in lines:
            name, _, value = line.partition(":")
            if name.lower() == "content-length":
                length = int(value)
        while len(self.buffer) < length:
            self._receive()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return int(status_line.split()[1]), json.loads(body)

    def _receive(self) -> None:
        data = self.sock.recv(1 << 16)
        if not data:
            raise EOFError("the server closed the connection")
        self.buffer += data


def code(reply: tuple[int, dict[str, Any]]) -> str:
    status, body = reply
    return "OK" if status == 200 else str(body["__type"]).split("#")[1]


def item(table: str, value: str, **attributes: dict[str, Any]) -> dict[str, Any]:
    return {"TableName": table, "Item": {"p": {"S": value}, **attributes}}


def transaction(*actions: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "TransactWriteItems", {"TransactItems": list(actions)}


@pytest.fixture
def pipeline(gureum: GureumProcess) -> Any:
    connection = Pipeline(gureum.port)
    yield connection
    connection.close()


def held_while(
    pipeline: Pipeline, table: str, conflicting: int, *after: tuple[str, dict[str, Any]]
) -> list[Any]:
    """Replies to ``after``, sent in one write behind a transaction that writes the item
    "held" (the keys "held" and "free" are made unique for each attempt). The first
    ``conflicting`` of them must meet the transaction in flight: sent again until they were all
    handled in its turn."""
    replies: list[Any] = []
    for _ in range(ATTEMPTS):
        suffix = new_key()
        first, *replies = pipeline.send(
            transaction({"Put": item(table, f"held-{suffix}", v={"S": suffix})}),
            *[(op, _unique(body, suffix)) for op, body in after],
        )
        assert code(first) == "OK"
        if all(code(reply) != "OK" for reply in replies[:conflicting]):
            return replies
    return replies


def _unique(body: dict[str, Any], suffix: str) -> dict[str, Any]:
    text = json.dumps(body)
    for name in ("held", "free"):
        text = text.replace(f'"{name}"', f'"{name}-{suffix}"')
    unique: dict[str, Any] = json.loads(text)
    return unique


def test_single_item_writes_conflict(pipeline: Pipeline, make_table: TableFactory) -> None:
    table = make_table()
    held = {"p": {"S": "held"}}
    replies = held_while(
        pipeline,
        table,
        4,
        ("PutItem", item(table, "held", v={"S": "put"})),
        ("UpdateItem", {"TableName": table, "Key": held, "UpdateExpression": "REMOVE v"}),
        ("DeleteItem", {"TableName": table, "Key": held}),
        ("BatchWriteItem", {"RequestItems": {table: [{"DeleteRequest": {"Key": held}}]}}),
        ("GetItem", {"TableName": table, "Key": held}),
    )
    for status, body in replies[:4]:
        assert (status, body) == (
            400,
            {
                "__type": "com.amazonaws.dynamodb.v20120810#TransactionConflictException",
                "message": ONGOING,
            },
        )
    status, body = replies[4]  # reads do not conflict: they see the transaction's item
    assert status == 200
    value = body["Item"]["v"]["S"]
    assert body["Item"]["p"] == {"S": f"held-{value}"}
    # nothing of the refused writes happened; the next turn writes freely
    key = body["Item"]["p"]
    after = pipeline.send(
        ("GetItem", {"TableName": table, "Key": {"p": key}, "ConsistentRead": True}),
        ("PutItem", {"TableName": table, "Item": {"p": key, "v": {"S": "later"}}}),
    )
    assert after[0] == (200, {"Item": {"p": key, "v": {"S": value}}})
    assert after[1] == (200, {})


def test_transactions_on_a_held_item_are_cancelled(
    pipeline: Pipeline, make_table: TableFactory
) -> None:
    table = make_table()
    replies = held_while(
        pipeline,
        table,
        2,
        transaction(
            {"Put": item(table, "free")},
            {
                "ConditionCheck": {
                    "TableName": table,
                    "Key": {"p": {"S": "held"}},
                    "ConditionExpression": "attribute_exists(p)",
                }
            },
        ),
        (
            "TransactGetItems",
            {
                "TransactItems": [
                    {"Get": {"TableName": table, "Key": {"p": {"S": "held"}}}},
                    {"Get": {"TableName": table, "Key": {"p": {"S": "free"}}}},
                ]
            },
        ),
        ("Scan", {"TableName": table, "ConsistentRead": True}),
    )
    for (status, body), expected in zip(
        replies[:2], ([NONE, CONFLICT], [CONFLICT, NONE]), strict=True
    ):
        assert status == 400
        assert body["__type"] == "com.amazonaws.dynamodb.v20120810#TransactionCanceledException"
        assert body["CancellationReasons"] == expected
    # the cancelled transaction wrote nothing: only the held item is there
    status, body = replies[2]
    assert status == 200
    assert {found["p"]["S"].split("-")[0] for found in body["Items"]} == {"held"}


def test_cancelled_transaction_holds_nothing(pipeline: Pipeline, make_table: TableFactory) -> None:
    table = make_table()
    value = new_key()
    replies = pipeline.send(
        transaction(
            {"Put": item(table, value)},
            {
                "ConditionCheck": {
                    "TableName": table,
                    "Key": {"p": {"S": new_key()}},
                    "ConditionExpression": "attribute_exists(p)",
                }
            },
        ),
        ("PutItem", item(table, value, v={"S": "single"})),
    )
    assert code(replies[0]) == "TransactionCanceledException"
    assert replies[1] == (200, {})


def test_concurrent_clients_conflict_and_lose_nothing(
    gureum: GureumProcess, make_table: TableFactory, request: pytest.FixtureRequest
) -> None:
    """Clients move money between four accounts in transactions (each also counting itself in a
    shared counter item) while depositing to the same accounts with single UpdateItems. Some
    requests conflict; every one that succeeded is in the final state and no other is."""
    table = make_table()
    accounts = [f"acct-{n}-{new_key()}" for n in range(4)]
    counter = f"counter-{new_key()}"
    setup = Pipeline(gureum.port)
    request.addfinalizer(setup.close)
    setup.send(
        *[
            ("PutItem", item(table, a, balance={"N": "1000"}, deposits={"N": "0"}))
            for a in accounts
        ],
        ("PutItem", item(table, counter, transfers={"N": "0"})),
    )
    clients, rounds = 8, 40
    outcomes: list[list[str]] = [[] for _ in range(clients)]
    failures: list[BaseException] = []

    def transfer(source: str, target: str) -> tuple[str, dict[str, Any]]:
        def change(account: str, sign: str) -> dict[str, Any]:
            return {
                "Update": {
                    "TableName": table,
                    "Key": {"p": {"S": account}},
                    "UpdateExpression": f"SET balance = balance {sign} :one",
                    "ConditionExpression": "balance >= :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            }

        count = {
            "Update": {
                "TableName": table,
                "Key": {"p": {"S": counter}},
                "UpdateExpression": "ADD transfers :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            }
        }
        return transaction(change(source, "-"), change(target, "+"), count)

    def deposit(account: str) -> tuple[str, dict[str, Any]]:
        return (
            "UpdateItem",
            {
                "TableName": table,
                "Key": {"p": {"S": account}},
                "UpdateExpression": "ADD deposits :one",
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            },
        )

    def client(n: int) -> None:
        connection = Pipeline(gureum.port)
        try:
            for r in range(rounds):
                source = accounts[(n + r) % 4]
                target = accounts[(n + r + 1) % 4]
                moved, deposited = connection.send(transfer(source, target), deposit(target))
                outcomes[n] += [f"transfer:{code(moved)}", f"deposit:{code(deposited)}"]
                if moved[0] != 200:  # only conflicts cancel: no balance runs out
                    found = {r["Code"] for r in moved[1]["CancellationReasons"]}
                    assert "TransactionConflict" in found
                    assert found <= {"TransactionConflict", "None"}
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    seen = [outcome for per_client in outcomes for outcome in per_client]
    assert set(seen) <= {
        "transfer:OK",
        "transfer:TransactionCanceledException",
        "deposit:OK",
        "deposit:TransactionConflictException",
    }
    # a deposit behind an applied transfer on one connection always meets it in flight
    assert "deposit:TransactionConflictException" in seen
    assert seen.count("transfer:OK") > 0
    final = setup.send(
        *[("GetItem", {"TableName": table, "Key": {"p": {"S": a}}}) for a in [*accounts, counter]]
    )
    items = [body["Item"] for _, body in final]
    # every transfer applied whole or not at all: money is neither made nor lost
    assert sum(int(i["balance"]["N"]) for i in items[:4]) == 4000
    # every acknowledged write is there, and nothing refused is
    assert int(items[4]["transfers"]["N"]) == seen.count("transfer:OK")
    assert sum(int(i["deposits"]["N"]) for i in items[:4]) == seen.count("deposit:OK")


def test_concurrent_transactions_on_one_item_all_or_nothing(
    gureum: GureumProcess, make_table: TableFactory
) -> None:
    """Transactions from concurrent clients all touching one shared item: the ones handled in
    the same turn as an applied one are cancelled with TransactionConflict, the others apply;
    the shared counter and the per-client items agree exactly."""
    table = make_table()
    shared = f"shared-{new_key()}"
    clients, rounds = 8, 30
    applied = [0] * clients
    conflicts = [0] * clients
    failures: list[BaseException] = []

    def client(n: int) -> None:
        connection = Pipeline(gureum.port)
        mine = f"own-{n}-{new_key()}"
        try:
            for _ in range(rounds):
                step = transaction(
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"p": {"S": shared}},
                            "UpdateExpression": "ADD n :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    },
                    {
                        "Update": {
                            "TableName": table,
                            "Key": {"p": {"S": mine}},
                            "UpdateExpression": "ADD n :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    },
                )
                # two at once: the second always meets the first in flight
                for status, body in connection.send(step, step):
                    if status == 200:
                        applied[n] += 1
                    else:
                        assert body["CancellationReasons"][0] == CONFLICT
                        assert body["CancellationReasons"][1] in (NONE, CONFLICT)
                        conflicts[n] += 1
            own = connection.send(("GetItem", {"TableName": table, "Key": {"p": {"S": mine}}}))
            # (no item at all if every one of this client's transactions was cancelled)
            counted = own[0][1].get("Item", {"n": {"N": "0"}})["n"]["N"]
            assert int(counted) == applied[n]
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sum(conflicts) > 0
    assert sum(applied) > 0
    check = Pipeline(gureum.port)
    try:
        total = check.send(("GetItem", {"TableName": table, "Key": {"p": {"S": shared}}}))
    finally:
        check.close()
    assert int(total[0][1]["Item"]["n"]["N"]) == sum(applied)
