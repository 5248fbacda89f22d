"""gureum's HTTP/1.1 server: an asyncio protocol over httptools' parser (llhttp, in C).

Why not an ASGI server: for a request that is handled in a few microseconds, an ASGI server's
per-request machinery (a scope dict, a task, receive/send coroutines, header lists) costs more
than the request itself. Here a request is parsed by callbacks that keep only the headers the
router reads, is answered synchronously, and its reply is written as one prepared byte string,
after the group commit when it wrote. A REST operation that answers later (Lambda's Invoke)
hands back an awaitable: it runs as a task while the loop serves other requests, and its reply
keeps its place in the connection's reply order. :class:`gureum.wire.asgi.GureumApp` serves
the same router to any ASGI server.

HTTP handled: keep-alive and ``Connection: close``, HTTP/1.0, pipelined requests (answered in
order), chunked request bodies, ``Expect: 100-continue``, the 16 MB body limit (HTTP 413 before
the body is read) and the 16 KB limits on headers and request line (HTTP 400), malformed
requests (HTTP 400), idle connections closed after a timeout, backpressure when a client does
not read its replies.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from email.utils import formatdate
from typing import TYPE_CHECKING

import httptools

from gureum.core.context import new_request_id
from gureum.core.errors import internal_error
from gureum.wire.json_protocol import Reply, error_reply, too_large_reply
from gureum.wire.router import (
    MAX_HEADER_BYTES,
    MAX_REQUEST_LINE_BYTES,
    PlainReply,
    RequestHeaders,
    Router,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

log = logging.getLogger("gureum.http")

IDLE_TIMEOUT_SECONDS = 75.0  # as the AWS front end keeps idle connections
_SWEEP_SECONDS = 5.0

_REASONS = {
    200: b"OK",
    201: b"Created",
    202: b"Accepted",
    204: b"No Content",
    400: b"Bad Request",
    403: b"Forbidden",
    404: b"Not Found",
    409: b"Conflict",
    429: b"Too Many Requests",
    413: b"Request Entity Too Large",
    500: b"Internal Server Error",
    503: b"Service Unavailable",
}
_CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_BAD_REQUEST = (
    b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 11\r\n"
    b"connection: close\r\n\r\nBad Request"
)


class _Date:
    """The Date header line, formatted once a second."""

    __slots__ = ("_line", "_second")

    def __init__(self) -> None:
        self._second = -1
        self._line = b""

    def line(self) -> bytes:
        now = int(time.time())
        if now != self._second:
            self._second = now
            self._line = b"date: " + formatdate(now, usegmt=True).encode() + b"\r\n"
        return self._line


_date = _Date()


def render(reply: Reply | PlainReply, keep_alive: bool, head: bool = False) -> bytes:
    """The reply's bytes on the wire (``head``: without the body, for a HEAD request)."""
    parts = [b"HTTP/1.1 %d %s\r\n" % (reply.status, _REASONS.get(reply.status, b"Unknown"))]
    for name, value in reply.headers():
        parts.append(name + b": " + value + b"\r\n")
    parts.append(_date.line())
    if not keep_alive and not reply.close:
        parts.append(b"connection: close\r\n")
    parts.append(b"\r\n")
    if not head:
        parts.append(reply.body)
    return b"".join(parts)


class _Slot:
    """A place in a connection's reply order; ``data`` is set once the reply is ready."""

    __slots__ = ("data",)

    def __init__(self, data: bytes | None = None) -> None:
        self.data = data


class HttpProtocol(asyncio.Protocol):
    """One client connection."""

    def __init__(self, router: Router, connections: set[HttpProtocol]) -> None:
        self._router = router
        self._connections = connections
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._closing = False
        # once set, no further request on this connection is run; it closes when the replies
        # already owed are written (after Connection: close, a refusal, a malformed request)
        self._last_request = False
        self.last_active = time.monotonic()
        self._queue: list[_Slot] = []  # replies owed, in request order
        self._pending: set[asyncio.Future[None]] = set()  # replies being awaited
        self._reset()

    def _reset(self) -> None:
        self._url = b""
        self._headers = RequestHeaders()
        self._header_bytes = 0
        self._body: list[bytes] = []
        self._body_size = 0
        self._limit = 0
        self._refused = False  # the request was answered early (413/400); skip the rest
        self._expect_continue = False

    # --- asyncio callbacks

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]  # uvloop's is no subclass
        self._connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._connections.discard(self)
        self._transport = None

    def data_received(self, data: bytes) -> None:
        self.last_active = time.monotonic()
        if self._last_request:
            return  # nothing after the last request is read
        try:
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail()
        except httptools.HttpParserError:
            self._fail()

    def pause_writing(self) -> None:
        if self._transport is not None:
            self._transport.pause_reading()

    def resume_writing(self) -> None:
        if self._transport is not None:
            self._transport.resume_reading()

    # --- parser callbacks

    def on_message_begin(self) -> None:
        self._reset()

    def on_url(self, url: bytes) -> None:
        self._url += url
        if self._url == b"/":  # the JSON protocol's requests read no other header
            self._headers.others = None
        if len(self._url) > MAX_REQUEST_LINE_BYTES and not self._refused:
            self._refuse(PlainReply(400, b"Request-URI Too Long"))

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_bytes += len(name) + len(value)
        name = name.lower()
        if name == b"expect":
            self._expect_continue = value.lower() == b"100-continue"
        else:
            self._headers.take(name, value)

    def on_headers_complete(self) -> None:
        if self._refused or self._last_request:
            return
        if self._header_bytes > MAX_HEADER_BYTES:
            self._refuse(PlainReply(400, b"Request Header Fields Too Large"))
            return
        headers = self._headers
        self._limit = self._router.request_limit(headers)
        length = headers.length
        if length is not None and length.isdigit() and int(length) > self._limit:
            self._refuse(too_large_reply(new_request_id()))
            return
        if self._expect_continue:  # in reply order, after what earlier requests are owed
            self._expect_continue = False
            self._queue.append(_Slot(_CONTINUE))
            self._flush()

    def on_body(self, body: bytes) -> None:
        if self._refused or self._last_request:
            return
        self._body_size += len(body)
        if self._body_size > self._limit:
            self._refuse(too_large_reply(new_request_id()))
            return
        self._body.append(body)

    def on_message_complete(self) -> None:
        if self._refused or self._last_request:
            return
        parser = self._parser
        keep_alive = parser.should_keep_alive()
        if not keep_alive:
            self._last_request = True
        method = parser.get_method()
        head = method == b"HEAD"
        url = self._url
        headers = self._headers
        router = self._router
        try:
            if method == b"POST" and headers.target is not None and url == b"/":
                body = self._body[0] if len(self._body) == 1 else b"".join(self._body)
                reply: Reply | PlainReply = router.json_reply(headers, body)
            else:
                body = b"".join(self._body)
                answer = router.http_reply(
                    method.decode("latin-1"), url.decode("latin-1"), headers, body
                )
                if not isinstance(answer, (Reply, PlainReply)):
                    self._await_reply(answer, keep_alive, head)
                    return
                reply = answer
        except Exception:
            log.exception("internal error")
            reply = PlainReply(500, b"Internal Server Error")
        slot = _Slot()
        self._queue.append(slot)
        self._settle(slot, reply, keep_alive, head)

    def _settle(self, slot: _Slot, reply: Reply | PlainReply, keep_alive: bool, head: bool) -> None:
        """Fill the reply's slot once the writes it follows are durable (a 500 instead if
        their commit failed)."""

        def deliver(ok: bool) -> None:
            final = reply
            if not ok and isinstance(final, Reply):
                final = error_reply(internal_error(), final.request_id)
            slot.data = render(final, keep_alive, head)
            self._flush()

        self._router.when_durable(deliver)

    def _await_reply(self, pending: Awaitable[Reply], keep_alive: bool, head: bool) -> None:
        """A reply that comes later (an operation that waits, such as Lambda's Invoke): its
        place in the reply order is taken now; the loop keeps serving meanwhile."""
        slot = _Slot()
        self._queue.append(slot)

        async def finish() -> None:
            try:
                reply: Reply | PlainReply = await pending
            except Exception:
                log.exception("internal error")
                reply = PlainReply(500, b"Internal Server Error")
            self._settle(slot, reply, keep_alive, head)

        task = asyncio.ensure_future(finish())
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    # --- replies

    def _flush(self) -> None:
        """Write the replies that are ready, in request order; close once nothing more is
        owed if no further request is to be read."""
        queue = self._queue
        ready = 0
        while ready < len(queue) and queue[ready].data is not None:
            ready += 1
        if ready:
            transport = self._transport
            if transport is not None and not self._closing:
                transport.write(b"".join([slot.data for slot in queue[:ready]]))  # type: ignore[misc]
            del queue[:ready]
        if self._last_request and not queue:
            self._close()

    def _refuse(self, reply: Reply | PlainReply) -> None:
        """Answer this request now (after what earlier ones are owed) and read nothing more."""
        self._refused = True
        self._last_request = True
        self._queue.append(_Slot(render(reply, keep_alive=False)))
        self._flush()

    def _fail(self) -> None:
        """A request that is not HTTP: answer 400 in its turn, then close."""
        if not self._last_request:
            self._last_request = True
            self._queue.append(_Slot(_BAD_REQUEST))
        self._flush()

    def _close(self) -> None:
        if self._transport is not None and not self._closing:
            self._closing = True
            self._transport.close()

    def abandon_pending(self) -> None:
        """At shutdown: stop awaiting replies that come later (a running Invoke) and close."""
        if self._pending:
            for task in list(self._pending):
                task.cancel()
            self._close()

    def finish(self) -> None:
        """At shutdown: read no further request (it would run after the storage engine
        closed), and close once the replies owed are written."""
        self._last_request = True
        if not self._queue:
            self._close()

    def close_if_idle(self, now: float) -> None:
        if not self._queue and now - self.last_active > IDLE_TIMEOUT_SECONDS:
            self._close()


async def serve(
    router: Router, host: str, port: int, ready: Callable[[], None] | None = None
) -> None:
    """Serve until SIGINT or SIGTERM, then shut down cleanly (pending writes committed)."""
    loop = asyncio.get_running_loop()
    await router.startup()
    connections: set[HttpProtocol] = set()
    server = await loop.create_server(
        lambda: HttpProtocol(router, connections), host, port, reuse_address=True, backlog=1024
    )
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    async def sweep() -> None:
        while True:
            await asyncio.sleep(_SWEEP_SECONDS)
            now = time.monotonic()
            for connection in list(connections):
                connection.close_if_idle(now)

    sweeper = loop.create_task(sweep())
    if ready is not None:
        ready()
    try:
        await stop.wait()
    finally:
        sweeper.cancel()
        server.close()
        for connection in list(connections):
            connection.finish()
            connection.abandon_pending()
        await server.wait_closed()
        await router.shutdown()


def run(router: Router, host: str, port: int, ready: Callable[[], None] | None = None) -> None:
    """Run :func:`serve` on uvloop when it is installed."""
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(router, host, port, ready))
    else:
        uvloop.run(serve(router, host, port, ready))
