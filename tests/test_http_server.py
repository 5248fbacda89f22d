"""gureum's own HTTP/1.1 server (``gureum serve``, ``gureum.wire.http_server``) on the wire.

Every test talks to the session's server over raw sockets (or ``http.client``), so that what is
checked is the bytes: keep-alive, ``Connection: close``, HTTP/1.0, pipelining, chunked bodies,
``Expect: 100-continue``, the 16 MB body limit (HTTP 413 before the body is read), the 16 KB
limits on request target and headers (HTTP 400), malformed requests, gureum's own endpoints,
the reply headers, and many connections at once. DynamoDB calls are SigV4-signed as boto3 signs
them.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import GureumProcess, TableFactory, new_key

pytestmark = pytest.mark.gureum_own

TARGET_PREFIX = "DynamoDB_20120810"
JSON_10 = "application/x-amz-json-1.0"
BODY_LIMIT = 16 * 1024 * 1024  # DynamoDB's request size limit
LINE_LIMIT = 16 * 1024  # the AWS front end's limit on the request target and on the headers

BAD_REQUEST = (
    b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 11\r\n"
    b"connection: close\r\n\r\nBad Request"
)
TOO_LARGE = (
    b'{"__type":"com.amazon.coral.service#RequestEntityTooLarge",'
    b'"message":"Request Entity Too Large"}'
)
REQUEST_ID = re.compile(r"[A-Z0-9]{52}")
JSON_REPLY_HEADERS = {
    "content-type",
    "content-length",
    "x-amzn-requestid",
    "x-amz-crc32",
    "server",
    "date",
}


# --- building requests


def signed_headers(port: int, operation: str, body: bytes) -> dict[str, str]:
    """The headers of a DynamoDB call signed with SigV4 as boto3 signs it (Host included)."""
    request = AWSRequest(
        method="POST",
        url=f"http://127.0.0.1:{port}/",
        data=body,
        headers={"Content-Type": JSON_10, "X-Amz-Target": f"{TARGET_PREFIX}.{operation}"},
    )
    SigV4Auth(Credentials("test", "secret"), "dynamodb", "us-east-1").add_auth(request)
    return {"Host": f"127.0.0.1:{port}", **dict(request.prepare().headers)}


def signed(
    port: int,
    operation: str,
    payload: Any = None,
    *,
    headers: dict[str, str | None] | None = None,
    version: str = "HTTP/1.1",
    body: bytes | None = None,
) -> tuple[bytes, bytes]:
    """(head, body) of one signed DynamoDB call. ``headers`` adds or replaces headers; a None
    value removes one (``Content-Length`` for a chunked body)."""
    data = body if body is not None else json.dumps(payload or {}).encode()
    fields: dict[str, str] = signed_headers(port, operation, data)
    for name, value in (headers or {}).items():
        if value is None:
            fields.pop(name, None)
        else:
            fields[name] = value
    lines = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    return f"POST / {version}\r\n{lines}\r\n".encode(), data


def call(port: int, operation: str, payload: Any = None, **kwargs: Any) -> bytes:
    """One whole signed DynamoDB call (head and body)."""
    head, body = signed(port, operation, payload, **kwargs)
    return head + body


def get(path: str, *extra_headers: str) -> bytes:
    lines = "".join(f"{h}\r\n" for h in ("Host: 127.0.0.1", *extra_headers))
    return f"GET {path} HTTP/1.1\r\n{lines}\r\n".encode()


# --- reading replies


@dataclass
class Reply:
    status: bytes  # the status line
    names: list[str]  # header names, lower case, in the order sent
    headers: dict[str, str]
    body: bytes
    head: bytes = field(repr=False)

    def json(self) -> Any:
        return json.loads(self.body)


class Connection:
    """A client connection over a raw socket, reading replies as they arrive."""

    def __init__(self, port: int, timeout: float = 10.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buffer = b""

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.sock.close()

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def _receive(self) -> None:
        data = self.sock.recv(1 << 16)
        if not data:
            raise EOFError(f"the server closed the connection; unread: {self.buffer!r}")
        self.buffer += data

    def reply(self, head_only: bool = False) -> Reply:
        """The next reply; ``head_only`` for the answer to HEAD (which has no body)."""
        while b"\r\n\r\n" not in self.buffer:
            self._receive()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        status, *lines = head.split(b"\r\n")
        names: list[str] = []
        headers: dict[str, str] = {}
        for line in lines:
            name, _, value = line.decode("latin-1").partition(":")
            names.append(name.lower())
            headers[name.lower()] = value.strip()
        length = 0 if head_only else int(headers.get("content-length", "0"))
        while len(self.buffer) < length:
            self._receive()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return Reply(status, names, headers, body, head + b"\r\n\r\n")

    def raw(self, size: int) -> bytes:
        """Exactly the next ``size`` bytes."""
        while len(self.buffer) < size:
            self._receive()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def closed(self) -> bool:
        """Whether the server has closed the connection with nothing more to read (False if
        it is still open when the socket's timeout runs out)."""
        if self.buffer:
            return False
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False


@pytest.fixture
def port(gureum: GureumProcess) -> int:
    return gureum.port


@pytest.fixture
def table(make_table: TableFactory) -> str:
    return make_table()


def put(port: int, table: str, item: dict[str, Any]) -> bytes:
    return call(port, "PutItem", {"TableName": table, "Item": item})


def get_item(port: int, table: str, key: str) -> bytes:
    return call(port, "GetItem", {"TableName": table, "Key": {"p": {"S": key}}})


def assert_ok(reply: Reply, document: Any) -> None:
    assert (reply.status, reply.json()) == (b"HTTP/1.1 200 OK", document)


# --- connection handling


def test_keep_alive_two_requests_on_one_connection(port: int, table: str) -> None:
    key = new_key()
    item = {"p": {"S": key}, "n": {"N": "1"}}
    with Connection(port) as conn:
        conn.send(put(port, table, item))
        first = conn.reply()
        conn.send(get_item(port, table, key))
        second = conn.reply()
    assert (first.status, first.body) == (b"HTTP/1.1 200 OK", b"{}")
    assert "connection" not in first.headers
    assert_ok(second, {"Item": item})
    assert "connection" not in second.headers


def test_http_client_keeps_its_connection(port: int, table: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        sockets = []
        for i in range(3):
            body = json.dumps({"TableName": table, "Item": {"p": {"S": f"k{i}"}}}).encode()
            conn.request("POST", "/", body=body, headers=signed_headers(port, "PutItem", body))
            response = conn.getresponse()
            assert (response.status, response.read()) == (200, b"{}")
            sockets.append(conn.sock)
    finally:
        conn.close()
    assert sockets[0] is not None
    assert sockets == [sockets[0]] * 3  # http.client reconnects only after a close


def test_connection_close_closes_after_the_reply(port: int) -> None:
    with Connection(port) as conn:
        conn.send(call(port, "ListTables", {"Limit": 1}, headers={"Connection": "close"}))
        reply = conn.reply()
        assert reply.status == b"HTTP/1.1 200 OK"
        assert reply.headers["connection"] == "close"
        assert "TableNames" in reply.json()
        assert conn.closed()


def test_http_1_0_without_keep_alive_closes(port: int) -> None:
    with Connection(port) as conn:
        conn.send(call(port, "ListTables", {"Limit": 1}, version="HTTP/1.0"))
        reply = conn.reply()
        assert reply.status == b"HTTP/1.1 200 OK"
        assert reply.headers["connection"] == "close"
        assert "TableNames" in reply.json()
        assert conn.closed()


def test_pipelined_reads_are_answered_in_order(port: int, table: str, ddb: Any) -> None:
    item = {"p": {"S": new_key()}, "s": {"S": "pipelined"}}
    ddb.put_item(TableName=table, Item=item)
    listing = {"ExclusiveStartTableName": table[:-1], "Limit": 100}
    with Connection(port) as conn:
        conn.send(
            get_item(port, table, item["p"]["S"])
            + call(port, "ListTables", listing)
            + get_item(port, table, "missing")
            + get("/")
        )
        replies = [conn.reply() for _ in range(4)]
        # the connection stays open after pipelined requests
        conn.send(get_item(port, table, item["p"]["S"]))
        fifth = conn.reply()
    assert_ok(replies[0], {"Item": item})
    assert replies[1].status == b"HTTP/1.1 200 OK"
    assert table in replies[1].json()["TableNames"]
    assert_ok(replies[2], {})
    assert (replies[3].status, replies[3].body) == (b"HTTP/1.1 200 OK", b"healthy: gureum")
    assert len({r.headers["x-amzn-requestid"] for r in replies[:3]}) == 3
    assert_ok(fifth, {"Item": item})


def test_pipelined_requests_behind_a_write_are_answered_in_order(port: int, table: str) -> None:
    key = new_key()
    item = {"p": {"S": key}, "s": {"S": "pipelined"}}
    listing = {"ExclusiveStartTableName": table[:-1], "Limit": 100}
    # a short timeout: the replies never come while the bug is there
    with Connection(port, timeout=2.0) as conn:
        conn.send(
            put(port, table, item) + get_item(port, table, key) + call(port, "ListTables", listing)
        )
        replies = [conn.reply() for _ in range(3)]
        # the connection stays open after pipelined requests
        conn.send(get_item(port, table, key))
        fourth = conn.reply()
    assert (replies[0].status, replies[0].body) == (b"HTTP/1.1 200 OK", b"{}")
    assert_ok(replies[1], {"Item": item})  # the GetItem sees the put before it
    assert replies[2].status == b"HTTP/1.1 200 OK"
    assert table in replies[2].json()["TableNames"]
    assert len({r.headers["x-amzn-requestid"] for r in replies}) == 3
    assert_ok(fourth, {"Item": item})


def test_chunked_request_body_is_decoded(port: int, table: str) -> None:
    key = new_key()
    item = {"p": {"S": key}, "text": {"S": "x" * 300}}
    payload = json.dumps({"TableName": table, "Item": item}).encode()
    pieces = [payload[:1], payload[1:40], payload[40:]]
    body = b"".join(b"%X\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"
    head, _ = signed(
        port,
        "PutItem",
        body=payload,
        headers={"Content-Length": None, "Transfer-Encoding": "chunked"},
    )
    with Connection(port) as conn:
        conn.send(head + body)
        first = conn.reply()
        conn.send(get_item(port, table, key))
        second = conn.reply()
    assert (first.status, first.body) == (b"HTTP/1.1 200 OK", b"{}")
    assert_ok(second, {"Item": item})


def test_chunk_extensions_and_trailers_are_ignored(port: int) -> None:
    head, _ = signed(
        port,
        "ListTables",
        body=b"{}",
        headers={"Content-Length": None, "Transfer-Encoding": "chunked"},
    )
    with Connection(port) as conn:
        conn.send(head + b"1;name=value\r\n{\r\n1\r\n}\r\n0\r\nX-Trailer: yes\r\n\r\n")
        reply = conn.reply()
    assert reply.status == b"HTTP/1.1 200 OK"
    assert "TableNames" in reply.json()


def test_expect_100_continue(port: int, table: str) -> None:
    key = new_key()
    item = {"p": {"S": key}}
    head, body = signed(
        port, "PutItem", {"TableName": table, "Item": item}, headers={"Expect": "100-continue"}
    )
    with Connection(port) as conn:
        conn.send(head)
        assert conn.raw(25) == b"HTTP/1.1 100 Continue\r\n\r\n"
        conn.send(body)
        final = conn.reply()
        conn.send(get_item(port, table, key))
        check = conn.reply()
    assert (final.status, final.body) == (b"HTTP/1.1 200 OK", b"{}")
    assert_ok(check, {"Item": item})


def test_expect_100_continue_at_the_size_limit(port: int) -> None:
    # exactly 16 MB is allowed: the server asks for the body (which is then not sent)
    head, _ = signed(
        port,
        "ListTables",
        headers={"Content-Length": str(BODY_LIMIT), "Expect": "100-continue"},
    )
    with Connection(port) as conn:
        conn.send(head)
        assert conn.raw(25) == b"HTTP/1.1 100 Continue\r\n\r\n"


# --- limits


@pytest.mark.parametrize("expect", [False, True], ids=["plain", "expect-100-continue"])
def test_content_length_over_16_mb_is_413_before_the_body(port: int, expect: bool) -> None:
    extra = {"Content-Length": str(BODY_LIMIT + 1)}
    if expect:
        extra["Expect"] = "100-continue"
    head, _ = signed(port, "ListTables", headers=extra)
    with Connection(port) as conn:
        conn.send(head)  # and never the body
        reply = conn.reply()
        assert reply.status == b"HTTP/1.1 413 Request Entity Too Large"
        assert reply.body == TOO_LARGE
        assert reply.headers["content-type"] == JSON_10
        assert reply.headers["connection"] == "close"
        assert REQUEST_ID.fullmatch(reply.headers["x-amzn-requestid"])
        assert conn.closed()


def test_chunked_body_growing_past_16_mb_is_413(port: int, table: str, ddb: Any) -> None:
    key = new_key()
    start = json.dumps({"TableName": table, "Item": {"p": {"S": key}}})[:-1].encode() + b", "
    head, _ = signed(
        port,
        "PutItem",
        body=b"{}",
        headers={"Content-Length": None, "Transfer-Encoding": "chunked"},
    )
    padding = b" " * (1 << 20)
    with Connection(port) as conn:
        conn.send(head + b"%x\r\n%s\r\n" % (len(start), start))
        try:
            for _ in range(17):
                conn.send(b"%x\r\n%s\r\n" % (len(padding), padding))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server stopped reading at the limit
        reply = conn.reply()
    assert reply.status == b"HTTP/1.1 413 Request Entity Too Large"
    assert reply.body == TOO_LARGE
    assert reply.headers["connection"] == "close"
    assert "Item" not in ddb.get_item(TableName=table, Key={"p": {"S": key}})


@pytest.mark.parametrize(
    ("length", "status", "body"),
    [
        (LINE_LIMIT, b"HTTP/1.1 404 Not Found", b"Not Found"),
        (LINE_LIMIT + 1, b"HTTP/1.1 400 Bad Request", b"Request-URI Too Long"),
    ],
    ids=["16-KB", "over-16-KB"],
)
def test_request_target_limit(port: int, length: int, status: bytes, body: bytes) -> None:
    with Connection(port) as conn:
        conn.send(get("/" + "a" * (length - 1)))
        reply = conn.reply()
        assert (reply.status, reply.body) == (status, body)
        assert reply.headers["content-type"] == "text/plain"
        if length > LINE_LIMIT:
            assert reply.headers["connection"] == "close"
            assert conn.closed()
        else:
            assert "connection" not in reply.headers


def padded_headers(total: int, count: int) -> list[str]:
    """``Host: 127.0.0.1`` and ``count`` X-Pad-i headers whose names and values add up to
    ``total`` bytes (what the limit counts)."""
    budget = total - len("Host") - len("127.0.0.1")
    names = [f"X-Pad-{i:03d}" for i in range(count)]
    budget -= sum(len(n) for n in names)
    sizes = [budget // count] * count
    sizes[-1] += budget - sum(sizes)
    return [f"{n}: {'v' * s}" for n, s in zip(names, sizes, strict=True)]


@pytest.mark.parametrize("count", [1, 40], ids=["one-header", "many-headers"])
def test_headers_limit(port: int, count: int) -> None:
    with Connection(port) as conn:
        conn.send(get("/", *padded_headers(LINE_LIMIT, count)))
        at_limit = conn.reply()
    assert (at_limit.status, at_limit.body) == (b"HTTP/1.1 200 OK", b"healthy: gureum")
    with Connection(port) as conn:
        conn.send(get("/", *padded_headers(LINE_LIMIT + 1, count)))
        over = conn.reply()
        assert (over.status, over.body) == (
            b"HTTP/1.1 400 Bad Request",
            b"Request Header Fields Too Large",
        )
        assert over.headers["connection"] == "close"
        assert conn.closed()


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"HELLO WORLD\r\n\r\n",
        b"GET / HTTP/1.1 trailing\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nNo colon here\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS ClientHello
    ],
    ids=[
        "no-method",
        "extra-word",
        "http-9.9",
        "header-without-colon",
        "bad-length",
        "two-lengths",
        "bad-chunk-size",
        "tls",
    ],
)
def test_malformed_request_is_400_and_closes(port: int, request_bytes: bytes) -> None:
    with Connection(port) as conn:
        conn.send(request_bytes)
        assert conn.raw(len(BAD_REQUEST)) == BAD_REQUEST
        assert conn.closed()


def test_malformed_request_after_a_good_one(port: int) -> None:
    with Connection(port) as conn:
        conn.send(get("/"))
        first = conn.reply()
        conn.send(b"NOT HTTP\r\n\r\n")
        assert conn.raw(len(BAD_REQUEST)) == BAD_REQUEST
        assert conn.closed()
    assert (first.status, first.body) == (b"HTTP/1.1 200 OK", b"healthy: gureum")


# --- gureum's own endpoints


def test_health_endpoint(port: int) -> None:
    with Connection(port) as conn:
        conn.send(get("/_gureum/health"))
        reply = conn.reply()
    assert reply.status == b"HTTP/1.1 200 OK"
    assert reply.headers["content-type"] == "application/json"
    assert int(reply.headers["content-length"]) == len(reply.body)
    health = reply.json()
    assert health["status"] == "healthy"
    assert health["engine"] == "sqlite"
    assert health["persistent"] is True
    assert isinstance(health["version"], str)
    assert isinstance(health["services"]["dynamodb"]["tables"], int)


@pytest.mark.parametrize("path", ["/", "/?a=b"])
def test_root(port: int, path: str) -> None:
    with Connection(port) as conn:
        conn.send(get(path))
        reply = conn.reply()
    assert (reply.status, reply.body) == (b"HTTP/1.1 200 OK", b"healthy: gureum")
    assert reply.names == ["content-type", "content-length", "server", "date"]
    assert reply.headers["content-type"] == "text/plain"
    assert reply.headers["content-length"] == "15"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nope"),
        ("GET", "/_gureum"),
        ("GET", "/_gureum/health/more"),
        ("PUT", "/"),
        ("DELETE", "/"),
        ("OPTIONS", "*"),
    ],
)
def test_unknown_path_is_404(port: int, method: str, path: str) -> None:
    with Connection(port) as conn:
        conn.send(f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        reply = conn.reply()
        # a 404 keeps the connection
        conn.send(get("/"))
        after = conn.reply()
    assert (reply.status, reply.body) == (b"HTTP/1.1 404 Not Found", b"Not Found")
    assert reply.headers["content-type"] == "text/plain"
    assert after.body == b"healthy: gureum"


def test_post_without_target_is_unknown_operation(port: int) -> None:
    head, body = signed(port, "ListTables", headers={"X-Amz-Target": None})
    with Connection(port) as conn:
        conn.send(head + body)
        reply = conn.reply()
    assert (reply.status, reply.body) == (
        b"HTTP/1.1 400 Bad Request",
        b'{"__type":"com.amazon.coral.service#UnknownOperationException"}',
    )


# --- reply headers


@pytest.mark.parametrize(
    ("operation", "payload", "status"),
    [
        ("ListTables", {"Limit": 3}, b"HTTP/1.1 200 OK"),
        ("DescribeTable", {"TableName": "no-such-table-here"}, b"HTTP/1.1 400 Bad Request"),
        ("PutItem", {"TableName": 7}, b"HTTP/1.1 400 Bad Request"),
    ],
    ids=["success", "service-error", "serialization-error"],
)
def test_reply_headers(port: int, operation: str, payload: Any, status: bytes) -> None:
    with Connection(port) as conn:
        conn.send(call(port, operation, payload) + call(port, operation, payload))
        reply, again = conn.reply(), conn.reply()
    assert reply.status == status
    assert sorted(reply.names) == sorted(JSON_REPLY_HEADERS)  # each once
    assert reply.headers["content-type"] == JSON_10
    assert int(reply.headers["content-length"]) == len(reply.body)
    assert reply.headers["x-amz-crc32"] == str(zlib.crc32(reply.body))
    assert REQUEST_ID.fullmatch(reply.headers["x-amzn-requestid"])
    assert again.headers["x-amzn-requestid"] != reply.headers["x-amzn-requestid"]
    assert reply.headers["server"] == "Server"
    date = reply.headers["date"]
    assert date.endswith(" GMT")
    assert abs(parsedate_to_datetime(date).timestamp() - time.time()) < 60
    reply.json()  # the body is JSON


# --- many connections


def test_many_concurrent_connections(port: int, table: str, ddb: Any) -> None:
    workers, rounds = 50, 4
    everyone_connected = threading.Barrier(workers)

    def run(worker: int) -> int:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.connect()
            everyone_connected.wait(timeout=30)  # all the connections are open at once
            for round_ in range(rounds):
                item = {
                    "p": {"S": f"{worker}-{round_}"},
                    "worker": {"N": str(worker)},
                    "round": {"N": str(round_)},
                }
                for operation, payload, expected in [
                    ("PutItem", {"TableName": table, "Item": item}, {}),
                    (
                        "GetItem",
                        {"TableName": table, "Key": {"p": item["p"]}, "ConsistentRead": True},
                        {"Item": item},
                    ),
                ]:
                    body = json.dumps(payload).encode()
                    conn.request(
                        "POST", "/", body=body, headers=signed_headers(port, operation, body)
                    )
                    response = conn.getresponse()
                    assert (response.status, json.loads(response.read())) == (200, expected)
            return worker
        finally:
            conn.close()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        assert sorted(pool.map(run, range(workers))) == list(range(workers))
    items = []
    kwargs: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
    while True:
        page = ddb.scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            break
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    assert len(items) == workers * rounds
    for item in items:
        worker, round_ = item["p"]["S"].split("-")
        assert item == {
            "p": {"S": f"{worker}-{round_}"},
            "worker": {"N": worker},
            "round": {"N": round_},
        }


# --- pipelining behind writes and refusals (each of these was found wrong once)


def test_reply_to_a_pipelined_write_comes_before_a_malformed_request(port: int, table: str) -> None:
    key = new_key()
    with Connection(port) as conn:
        conn.send(put(port, table, {"p": {"S": key}}) + b"NOT HTTP\r\n\r\n")
        first = conn.reply()
        assert (first.status, first.body) == (b"HTTP/1.1 200 OK", b"{}")
        assert conn.raw(len(BAD_REQUEST)) == BAD_REQUEST
        assert conn.closed()


@pytest.mark.parametrize("oversized", ["target", "headers"])
def test_request_pipelined_after_a_refused_one_is_not_run(
    port: int, table: str, ddb: Any, oversized: str
) -> None:
    key = new_key()
    if oversized == "target":
        refused = get("/" + "a" * LINE_LIMIT)
    else:
        refused = get("/", *padded_headers(LINE_LIMIT + 1, 1))
    with Connection(port) as conn:
        conn.send(refused + put(port, table, {"p": {"S": key}}))
        assert conn.reply().status == b"HTTP/1.1 400 Bad Request"
        assert conn.closed()
    assert "Item" not in ddb.get_item(TableName=table, Key={"p": {"S": key}}, ConsistentRead=True)


def test_413_behind_a_pipelined_write_closes_the_connection(port: int, table: str) -> None:
    too_large, _ = signed(port, "ListTables", headers={"Content-Length": str(BODY_LIMIT + 1)})
    with Connection(port, timeout=1.0) as conn:
        conn.send(put(port, table, {"p": {"S": new_key()}}) + too_large)
        assert conn.reply().body == b"{}"
        refused = conn.reply()
        assert refused.status == b"HTTP/1.1 413 Request Entity Too Large"
        assert refused.headers["connection"] == "close"
        assert conn.closed()


def test_100_continue_of_a_pipelined_request_follows_the_earlier_reply(
    port: int, table: str
) -> None:
    head, body = signed(port, "ListTables", {"Limit": 1}, headers={"Expect": "100-continue"})
    with Connection(port) as conn:
        conn.send(put(port, table, {"p": {"S": new_key()}}) + head)
        first = conn.reply()
        assert (first.status, first.body) == (b"HTTP/1.1 200 OK", b"{}")
        assert conn.raw(25) == b"HTTP/1.1 100 Continue\r\n\r\n"
        conn.send(body)
        assert conn.reply().status == b"HTTP/1.1 200 OK"


def test_head_reply_has_no_body(port: int) -> None:
    with Connection(port) as conn:
        conn.send(b"HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + get("/"))
        conn.reply(head_only=True)
        after = conn.reply()
    assert (after.status, after.body) == (b"HTTP/1.1 200 OK", b"healthy: gureum")
