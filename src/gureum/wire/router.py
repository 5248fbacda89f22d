"""What a request is for, and its reply, independent of the HTTP server carrying it.

Routing: ``POST /`` with an ``X-Amz-Target`` header goes to the JSON-protocol service owning
the target's prefix; a request without one whose path starts with a REST-JSON service's prefix
(its first path segment, such as ``/2015-03-31/``) goes to that service;
``GET /_gureum/health`` reports health; ``GET /`` answers like DynamoDB's
endpoint does; anything else is 404. Both HTTP front ends (``http_server``, gureum's own, and
``asgi``, for any ASGI server) call this.

Group commit: when a request leaves writes pending in the storage engine, its reply is held
(:meth:`Router.when_durable`) until a commit that runs once per event-loop turn, shared by every
request of that turn. Nothing is acknowledged before it is durable, and concurrent writers pay
for one commit together.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from gureum.core.context import RequestContext, new_request_id
from gureum.core.errors import internal_error
from gureum.wire.content_encoding import DecodedBodyTooLarge, UndecodableBody, decode_body
from gureum.wire.json_protocol import (
    JsonService,
    Reply,
    error_reply,
    invoke,
    too_large_reply,
    unknown_operation,
)
from gureum.wire.sigv4 import account_and_region

if TYPE_CHECKING:
    from gureum.wire.rest_json import RestJsonService

log = logging.getLogger("gureum.wire")

Hook = Callable[[], Awaitable[None]]

# The AWS front end refuses more than 16 KB of headers or of request line.
MAX_HEADER_BYTES = 16 * 1024
MAX_REQUEST_LINE_BYTES = 16 * 1024


class RequestHeaders:
    """The request headers the JSON protocol reads (raw bytes as received); the others are
    kept in ``others`` for the REST protocols."""

    __slots__ = ("authorization", "encoding", "host", "length", "others", "target")

    def __init__(self) -> None:
        self.target: bytes | None = None
        self.authorization: bytes | None = None
        self.length: bytes | None = None
        self.host: bytes | None = None
        self.encoding: bytes | None = None
        # None: not kept (a request for ``/``, the JSON protocol, reads no other header)
        self.others: list[tuple[bytes, bytes]] | None = []

    def take(self, name: bytes, value: bytes) -> None:
        """Keep a header (its lower-case name) if the protocol reads it."""
        if name == b"x-amz-target":
            self.target = value
        elif name == b"authorization":
            self.authorization = value
        elif name == b"content-length":
            self.length = value
        elif name == b"host":
            self.host = value
        elif name == b"content-encoding":
            self.encoding = value
        elif self.others is not None:
            self.others.append((name, value))


class Committer(Protocol):
    """What makes writes durable (the storage engine)."""

    def has_pending(self) -> bool: ...

    def commit(self) -> None: ...


class PlainReply:
    """A reply outside the AWS protocols (health, 404, oversized request lines)."""

    __slots__ = ("body", "content_type", "status")
    close = False

    def __init__(self, status: int, body: bytes, content_type: bytes = b"text/plain") -> None:
        self.status = status
        self.body = body
        self.content_type = content_type

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"content-type", self.content_type),
            (b"content-length", b"%d" % len(self.body)),
            (b"server", b"Server"),
        ]


class Router:
    def __init__(
        self,
        json_services: list[JsonService],
        health: Callable[[], dict[str, Any]],
        committer: Committer,
        on_startup: list[Hook] | None = None,
        on_shutdown: list[Hook] | None = None,
        rest_services: list[RestJsonService] | None = None,
        on_commit: list[Callable[[], None]] | None = None,
    ) -> None:
        """``on_commit`` hooks run after each successful commit of requests' writes."""
        self._json: Mapping[str, JsonService] = {s.target_prefix: s for s in json_services}
        self._rest: Mapping[str, RestJsonService] = {
            prefix: s for s in rest_services or () for prefix in s.prefixes
        }
        self._health = health
        self._committer = committer
        self._after_commit: list[Callable[[bool], None]] = []
        self.on_startup = on_startup or []
        self.on_shutdown = on_shutdown or []
        self._on_commit = on_commit or []

    def request_limit(self, headers: RequestHeaders) -> int:
        """The body size limit for a request with these headers."""
        target = headers.target
        if target is not None:
            service = self._json.get(target.split(b".", 1)[0].decode("latin-1"))
            if service is not None:
                return service.max_request_bytes
        return min(s.max_request_bytes for s in self._json.values()) if self._json else 0

    def json_reply(self, headers: RequestHeaders, body: bytes) -> Reply:
        """Run one JSON-protocol request; never raises."""
        request_id = new_request_id()
        assert headers.target is not None
        prefix, _, operation = headers.target.decode("latin-1").partition(".")
        service = self._json.get(prefix)
        handler = service.operations.get(operation) if service is not None else None
        if service is None or handler is None:
            return unknown_operation(request_id)
        if headers.encoding is not None:
            try:
                body = decode_body(
                    headers.encoding.decode("latin-1"), body, service.max_request_bytes
                )
            except DecodedBodyTooLarge:
                return too_large_reply(request_id)
            except UndecodableBody:
                return error_reply(internal_error(), request_id)
        authorization, host = headers.authorization, headers.host
        account, region = account_and_region(
            authorization.decode("latin-1") if authorization is not None else None
        )
        ctx = RequestContext(
            account, region, request_id, host.decode("latin-1") if host is not None else ""
        )
        return invoke(service, operation, handler, body, ctx)

    def rest_service(self, path: str) -> RestJsonService | None:
        """The REST-JSON service whose prefix the path starts with, if any."""
        if not self._rest:
            return None
        end = path.find("/", 1)
        return self._rest.get(path[: end + 1]) if end > 0 else None

    def http_reply(
        self, method: str, url: str, headers: RequestHeaders, body: bytes
    ) -> Reply | PlainReply | Awaitable[Reply]:
        """The reply to a request that is not JSON protocol (a REST one, or a plain one), or an
        awaitable of it when the operation answers later (the servers await it, in its place
        in the connection's reply order; it never raises)."""
        path, _, query = url.partition("?")
        service = self.rest_service(path)
        if service is not None and len(url) <= MAX_REQUEST_LINE_BYTES:
            return self.rest_reply(service, method, path, query, headers, body)
        return self.plain_reply("GET" if method == "HEAD" else method, path)

    def rest_reply(
        self,
        service: RestJsonService,
        method: str,
        path: str,
        query: str,
        headers: RequestHeaders,
        body: bytes,
    ) -> Reply | Awaitable[Reply]:
        """Run one REST-JSON request; never raises (see :meth:`http_reply`)."""
        authorization, host = headers.authorization, headers.host
        account, region = account_and_region(
            authorization.decode("latin-1") if authorization is not None else None
        )
        # REST services' request ids are UUIDs (Lambda's is also the invocation's id)
        ctx = RequestContext(
            account, region, str(uuid.uuid4()), host.decode("latin-1") if host is not None else ""
        )
        return service.handle(method, path, query, headers.others or [], body, ctx)

    def plain_reply(self, method: str, path: str) -> Reply | PlainReply:
        if len(path) > MAX_REQUEST_LINE_BYTES:
            return PlainReply(400, b"Request-URI Too Long")
        if method == "GET" and path == "/_gureum/health":
            return PlainReply(200, orjson.dumps(self._health()), b"application/json")
        if method == "GET" and path == "/":
            return PlainReply(200, b"healthy: gureum")
        if method == "POST" and path == "/":
            return unknown_operation(new_request_id())
        return PlainReply(404, b"Not Found")

    def when_durable(self, deliver: Callable[[bool], None]) -> None:
        """Call ``deliver(ok)`` once every write made so far is committed (at once if none
        is pending); ``ok`` is False if the commit failed."""
        if not self._committer.has_pending():
            deliver(True)
            return
        if not self._after_commit:
            asyncio.get_running_loop().call_soon(self._commit)
        self._after_commit.append(deliver)

    def _commit(self) -> None:
        waiting, self._after_commit = self._after_commit, []
        try:
            self._committer.commit()
            ok = True
        except Exception:
            log.exception("commit failed; the writes of %d requests are lost", len(waiting))
            ok = False
        if ok:
            for hook in self._on_commit:
                try:
                    hook()
                except Exception:
                    log.exception("a commit hook failed")
        for deliver in waiting:
            try:
                deliver(ok)
            except Exception:  # one reply's failure must not hold back the others
                log.exception("delivering a reply failed")

    async def startup(self) -> None:
        for hook in self.on_startup:
            await hook()

    async def shutdown(self) -> None:
        for hook in self.on_shutdown:
            try:
                await hook()
            except Exception:
                log.exception("shutdown hook failed")
