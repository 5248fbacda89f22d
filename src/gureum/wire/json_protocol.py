"""The AWS JSON 1.0 protocol: ``POST /`` with ``X-Amz-Target: <Prefix>.<Operation>`` and a
JSON body; replies are JSON with ``x-amzn-RequestId`` and ``x-amz-crc32`` headers, errors are
``{"__type": "<namespace>#<Code>", "message": ...}`` (``"Message"`` for the few front-end errors
that AWS spells so).

This is the one place where a request body becomes a Python dict and where a result or an
error becomes bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol
from zlib import crc32

import orjson

from gureum.core.context import RequestContext
from gureum.core.errors import ServiceError, internal_error, serialization_error

if TYPE_CHECKING:
    from gureum.wire.shapes import ShapeValidator

log = logging.getLogger("gureum.wire")

Handler = Callable[[RequestContext, dict[str, Any]], "dict[str, Any] | bytes"]

CONTENT_TYPE = b"application/x-amz-json-1.0"
_loads = orjson.loads
_dumps = orjson.dumps
_JSONDecodeError = orjson.JSONDecodeError


@dataclass(frozen=True, slots=True)
class JsonService:
    """A service spoken in AWS JSON (1.0 unless ``content_type`` says 1.1): its target prefix,
    its operations, its model."""

    target_prefix: str
    operations: Mapping[str, Handler]
    validator: ShapeValidator | Validator
    max_request_bytes: int
    content_type: bytes = CONTENT_TYPE


class Validator(Protocol):
    """What checks a request body against an operation's input shape (a ShapeValidator, or a
    service's wrapper of one that words the front end's errors its own way)."""

    def validate(self, operation: str, body: Any) -> None: ...


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: bytes
    request_id: str
    close: bool = False  # the connection must be closed after this reply
    content_type: bytes = CONTENT_TYPE

    def headers(self) -> list[tuple[bytes, bytes]]:
        body = self.body
        headers = [
            (b"content-type", self.content_type),
            (b"content-length", b"%d" % len(body)),
            (b"x-amzn-requestid", self.request_id.encode()),
            (b"x-amz-crc32", b"%d" % crc32(body)),
            (b"server", b"Server"),
        ]
        if self.close:
            headers.append((b"connection", b"close"))
        return headers


_TOO_LARGE = orjson.dumps(
    {
        "__type": "com.amazon.coral.service#RequestEntityTooLarge",
        "message": "Request Entity Too Large",
    }
)


def too_large_reply(request_id: str) -> Reply:
    """HTTP 413 for a body over the limit (the rest of it is not read: the connection closes)."""
    return Reply(413, _TOO_LARGE, request_id, close=True)


# The front end's serialization and authorization errors and the transaction errors carry
# their text as "Message" (capital M, and none at all when there is no text); every other
# error as "message".
_CAPITALIZED_MESSAGE = frozenset(
    {
        "SerializationException",
        "AccessDeniedException",
        "TransactionCanceledException",
        "IdempotentParameterMismatchException",
    }
)


def error_body(error: ServiceError) -> bytes:
    document: dict[str, Any] = {"__type": error.type}
    if error.code not in _CAPITALIZED_MESSAGE:
        document["message"] = error.message
    elif error.message:
        document["Message"] = error.message
    if error.extra:
        document.update(error.extra)
    return _dumps(document)


def error_reply(error: ServiceError, request_id: str, content_type: bytes = CONTENT_TYPE) -> Reply:
    return Reply(error.status, error_body(error), request_id, content_type=content_type)


def unknown_operation(request_id: str) -> Reply:
    error = ServiceError("UnknownOperationException", "", 400, namespace="com.amazon.coral.service")
    return Reply(400, _dumps({"__type": error.type}), request_id)


def invoke(
    service: JsonService, operation: str, handler: Handler, body: bytes, ctx: RequestContext
) -> Reply:
    """Parse, validate and run one operation; never raises."""
    try:
        if not body:  # no JSON at all, not even {}
            raise serialization_error()
        try:
            request = _loads(body)
        except _JSONDecodeError:
            raise serialization_error() from None
        service.validator.validate(operation, request)
        result = handler(ctx, request)
        payload = result if type(result) is bytes else _dumps(result)
        return Reply(200, payload, ctx.request_id, content_type=service.content_type)
    except ServiceError as error:
        return error_reply(error, ctx.request_id, service.content_type)
    except Exception:
        log.exception("internal error in %s.%s", service.target_prefix, operation)
        return error_reply(internal_error(), ctx.request_id, service.content_type)
