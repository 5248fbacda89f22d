"""The ASGI adapter of the router, so gureum also runs under any ASGI server (uvicorn,
hypercorn, ...) or inside an ASGI test client. ``gureum serve`` uses :mod:`http_server`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from gureum.core.context import new_request_id
from gureum.core.errors import internal_error
from gureum.wire.json_protocol import Reply, error_reply, too_large_reply
from gureum.wire.router import MAX_HEADER_BYTES, PlainReply, RequestHeaders, Router

log = logging.getLogger("gureum.wire")

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class GureumApp:
    def __init__(self, router: Router) -> None:
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            if scope["method"] == "POST" and scope["path"] == "/":
                headers = RequestHeaders()
                header_bytes = 0
                for name, value in scope["headers"]:
                    header_bytes += len(value)
                    headers.take(name, value)
                if header_bytes > MAX_HEADER_BYTES:
                    await _send(send, PlainReply(400, b"Request Header Fields Too Large"))
                    return
                if headers.target is not None:
                    await self._json_request(headers, receive, send)
                    return
            service = self.router.rest_service(scope["path"])
            if service is not None:
                await self._rest_request(scope, receive, send)
                return
            await _send(send, self.router.plain_reply(scope["method"], scope["path"]))
        elif kind == "lifespan":
            await self._lifespan(receive, send)

    async def _rest_request(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = RequestHeaders()
        header_bytes = 0
        for name, value in scope["headers"]:
            header_bytes += len(value)
            headers.take(name, value)
        if header_bytes > MAX_HEADER_BYTES:
            await _send(send, PlainReply(400, b"Request Header Fields Too Large"))
            return
        body = await self._body(headers, receive, send)
        if body is None:
            return
        raw_path = scope.get("raw_path")
        path = raw_path.decode("latin-1") if raw_path else scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        url = f"{path}?{query}" if query else path
        reply = self.router.http_reply(scope["method"], url, headers, body)
        if not isinstance(reply, (Reply, PlainReply)):
            reply = await reply  # an operation that answers later (never raises)
        await self._deliver(reply, send)

    async def _body(self, headers: RequestHeaders, receive: Receive, send: Send) -> bytes | None:
        """The request body, or None when it was refused as too large (413 sent)."""
        limit = self.router.request_limit(headers)
        length = headers.length
        if length is not None and length.isdigit() and int(length) > limit:
            await _send(send, too_large_reply(new_request_id()))
            return None
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
                    await _send(send, too_large_reply(new_request_id()))
                    return None
                chunks.append(chunk)
            body = b"".join(chunks)
        return body

    async def _deliver(self, reply: Reply | PlainReply, send: Send) -> None:
        """Send the reply once the writes it follows are durable."""
        durable: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self.router.when_durable(durable.set_result)
        if not await durable and isinstance(reply, Reply):
            reply = error_reply(internal_error(), reply.request_id)
        await _send(send, reply)

    async def _json_request(self, headers: RequestHeaders, receive: Receive, send: Send) -> None:
        body = await self._body(headers, receive, send)
        if body is not None:
            await self._deliver(self.router.json_reply(headers, body), send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.router.startup()
                except Exception as exc:  # report, so the server refuses to start
                    log.exception("startup failed")
                    await send({"type": "lifespan.startup.failed", "message": str(exc)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.router.shutdown()
                await send({"type": "lifespan.shutdown.complete"})
                return


async def _send(send: Send, reply: Reply | PlainReply) -> None:
    await send({"type": "http.response.start", "status": reply.status, "headers": reply.headers()})
    await send({"type": "http.response.body", "body": reply.body})
