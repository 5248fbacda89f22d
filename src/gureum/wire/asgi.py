"""The ASGI application: one port for every service.

Routing: ``POST`` with an ``X-Amz-Target`` header goes to the JSON-protocol service owning the
target's prefix; ``GET /_gureum/health`` reports health; ``GET /`` answers like DynamoDB's
endpoint does. Bodies over the service's request limit get HTTP 413 without being read.

Group commit: when a request leaves writes pending in the storage engine, its reply waits for
a commit scheduled once per event-loop turn, shared by every request of that turn. Nothing is
acknowledged before it is durable, and concurrent writers pay for one commit together.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

import orjson

from gureum.core.context import RequestContext, new_request_id
from gureum.core.errors import internal_error
from gureum.wire.content_encoding import DecodedBodyTooLarge, UndecodableBody, decode_body
from gureum.wire.json_protocol import JsonService, Reply, error_reply, invoke, unknown_operation
from gureum.wire.sigv4 import account_and_region

log = logging.getLogger("gureum.wire")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
Hook = Callable[[], Awaitable[None]]

# The AWS front end refuses more than 16 KB of headers or of request line.
MAX_HEADER_BYTES = 16 * 1024
MAX_REQUEST_LINE_BYTES = 16 * 1024

_TOO_LARGE = orjson.dumps(
    {
        "__type": "com.amazon.coral.service#RequestEntityTooLarge",
        "message": "Request Entity Too Large",
    }
)


class _RequestHeaders:
    """The request headers the JSON protocol reads."""

    __slots__ = ("authorization", "encoding", "host", "length", "target")

    def __init__(self) -> None:
        self.target: bytes | None = None
        self.authorization: bytes | None = None
        self.length: bytes | None = None
        self.host: bytes | None = None
        self.encoding: bytes | None = None


class Committer(Protocol):
    """What makes writes durable (the storage engine)."""

    def has_pending(self) -> bool: ...

    def commit(self) -> None: ...


class GureumApp:
    def __init__(
        self,
        json_services: list[JsonService],
        health: Callable[[], dict[str, Any]],
        committer: Committer,
        on_startup: list[Hook] | None = None,
        on_shutdown: list[Hook] | None = None,
    ) -> None:
        self._json: Mapping[str, JsonService] = {s.target_prefix: s for s in json_services}
        self._health = health
        self._committer = committer
        self._waiters: list[asyncio.Future[bool]] = []
        self._on_startup = on_startup or []
        self._on_shutdown = on_shutdown or []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            if scope["method"] == "POST" and scope["path"] == "/":
                headers = _RequestHeaders()
                header_bytes = 0
                for name, value in scope["headers"]:
                    header_bytes += len(value)
                    if name == b"x-amz-target":
                        headers.target = value
                    elif name == b"authorization":
                        headers.authorization = value
                    elif name == b"content-length":
                        headers.length = value
                    elif name == b"host":
                        headers.host = value
                    elif name == b"content-encoding":
                        headers.encoding = value
                if header_bytes > MAX_HEADER_BYTES:
                    await _send_plain(send, 400, b"Request Header Fields Too Large", b"text/plain")
                    return
                if headers.target is not None:
                    await self._json_request(headers, receive, send)
                    return
            await self._other(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _json_request(self, headers: _RequestHeaders, receive: Receive, send: Send) -> None:
        request_id = new_request_id()
        assert headers.target is not None
        prefix, _, operation = headers.target.decode("latin-1").partition(".")
        service = self._json.get(prefix)
        handler = service.operations.get(operation) if service is not None else None
        if service is None or handler is None:
            await _send(send, unknown_operation(request_id))
            return
        limit = service.max_request_bytes
        length = headers.length
        if length is not None and length.isdigit() and int(length) > limit:
            await _send_too_large(send, request_id)
            return
        message = await receive()
        body: bytes = message.get("body", b"")
        if message.get("more_body", False):
            chunks = [body]
            size = len(body)
            while message.get("more_body", False):
                message = await receive()
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    await _send_too_large(send, request_id)
                    return
                chunks.append(chunk)
            body = b"".join(chunks)
        if headers.encoding is not None:
            try:
                body = decode_body(headers.encoding.decode("latin-1"), body, limit)
            except DecodedBodyTooLarge:
                await _send_too_large(send, request_id)
                return
            except UndecodableBody:
                await _send(send, error_reply(internal_error(), request_id))
                return
        authorization, host = headers.authorization, headers.host
        account, region = account_and_region(
            authorization.decode("latin-1") if authorization is not None else None
        )
        ctx = RequestContext(
            account, region, request_id, host.decode("latin-1") if host is not None else ""
        )
        reply = invoke(service, operation, handler, body, ctx)
        if self._committer.has_pending() and not await self._committed():
            reply = error_reply(internal_error(), request_id)
        await _send(send, reply)

    async def _committed(self) -> bool:
        """Wait for the commit of this loop turn; False if it failed."""
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[bool] = loop.create_future()
        if not self._waiters:
            loop.call_soon(self._commit)
        self._waiters.append(waiter)
        return await waiter

    def _commit(self) -> None:
        waiters, self._waiters = self._waiters, []
        try:
            self._committer.commit()
            ok = True
        except Exception:
            log.exception("commit failed; the writes of %d requests are lost", len(waiters))
            ok = False
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(ok)

    async def _other(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        method = scope["method"]
        if len(path) > MAX_REQUEST_LINE_BYTES:
            await _send_plain(send, 400, b"Request-URI Too Long", b"text/plain")
        elif method == "GET" and path == "/_gureum/health":
            await _send_plain(send, 200, orjson.dumps(self._health()), b"application/json")
        elif method == "GET" and path == "/":
            await _send_plain(send, 200, b"healthy: gureum", b"text/plain")
        elif method == "POST" and path == "/":
            await _send(send, unknown_operation(new_request_id()))
        else:
            await _send_plain(send, 404, b"Not Found", b"text/plain")

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    for hook in self._on_startup:
                        await hook()
                except Exception as exc:  # report, so the server refuses to start
                    log.exception("startup failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                for hook in self._on_shutdown:
                    try:
                        await hook()
                    except Exception:
                        log.exception("shutdown hook failed")
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _send(send: Send, reply: Reply) -> None:
    await send({"type": "http.response.start", "status": reply.status, "headers": reply.headers()})
    await send({"type": "http.response.body", "body": reply.body})


async def _send_plain(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    headers = [
        (b"content-type", content_type),
        (b"content-length", b"%d" % len(body)),
        (b"server", b"Server"),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_too_large(send: Send, request_id: str) -> None:
    headers = [
        (b"content-type", b"application/x-amz-json-1.0"),
        (b"content-length", b"%d" % len(_TOO_LARGE)),
        (b"x-amzn-requestid", request_id.encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": _TOO_LARGE})
