"""The AWS REST-JSON protocol (Lambda, API Gateway, ...), driven by botocore's service model.

A request is routed by HTTP method and path (:mod:`gureum.wire.rest_routes`); its input dict is
built from the path labels (``location: uri``), the query string (``querystring``), the headers
(``header``) and the body: a ``payload`` member takes the raw body (a blob) or the body's JSON
(a structure), otherwise the JSON body's members are the remaining members. Blob members of a
JSON body are base64 and arrive decoded (``bytes``). The input is validated against the model as
the AWS front end does (:class:`~gureum.wire.shapes.ShapeValidator`), then the handler runs.

The output dict is serialized the same way round: ``header`` members become headers, a
``statusCode`` member the status, a ``payload`` member the body (raw bytes for a blob), the rest
JSON; the status is the operation's ``http.responseCode`` (default 200). Errors are
``{"Type": "User", "Message": ...}`` (``"message"`` for errors the model does not list, as the
front end's ValidationException) with the ``x-amzn-ErrorType: <Code>`` header botocore reads the
code from, and the status the model gives the error shape.
"""

from __future__ import annotations

import base64
import binascii
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

import orjson

from gureum.core.errors import ServiceError, validation_error
from gureum.wire import shape_messages as msg
from gureum.wire.json_protocol import Reply
from gureum.wire.rest_routes import RouteTable

if TYPE_CHECKING:
    from gureum.core.context import RequestContext
    from gureum.wire.shapes import ShapeValidator

log = logging.getLogger("gureum.wire")

# A handler answers at once (a dict) or later (an awaitable of the dict, such as Invoke's).
RestHandler = Callable[
    ["RequestContext", dict[str, Any]], "dict[str, Any] | Awaitable[dict[str, Any]]"
]
# A GET of something that is no operation (a download link the service handed out):
# (path, query) -> the bytes to answer, or None for "no such operation".
Download = Callable[[str, dict[str, list[str]]], "bytes | None"]

JSON_CONTENT_TYPE = b"application/json"
BLOB_CONTENT_TYPE = b"application/octet-stream"


@dataclass(frozen=True, slots=True)
class RestReply(Reply):
    """A REST-protocol reply: its own content type and extra headers."""

    media_type: bytes = JSON_CONTENT_TYPE
    extra_headers: tuple[tuple[bytes, bytes], ...] = ()

    def headers(self) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"content-type", self.media_type),
            (b"content-length", b"%d" % len(self.body)),
            (b"x-amzn-requestid", self.request_id.encode()),
            (b"server", b"Server"),
            *self.extra_headers,
        ]
        if self.close:
            headers.append((b"connection", b"close"))
        return headers


@dataclass(frozen=True, slots=True)
class _Member:
    name: str  # the member's name in the input/output dict
    location_name: str  # its name in the path, query string or headers
    type: str  # its shape's type: string, integer, boolean, list, blob, structure, ...


@dataclass(frozen=True, slots=True)
class _Operation:
    """What the protocol needs of one operation's input and output shapes."""

    status: int
    uri: dict[str, _Member] = field(default_factory=dict)  # by label
    query: dict[str, _Member] = field(default_factory=dict)  # by query key
    headers: dict[str, _Member] = field(default_factory=dict)  # by lower-case header name
    payload: _Member | None = None
    body_members: frozenset[str] = frozenset()
    body_blobs: dict[str, str] = field(default_factory=dict)  # body members holding blobs
    out_headers: tuple[_Member, ...] = ()
    out_status: str | None = None
    out_payload: _Member | None = None


class RestJsonService:
    """A service spoken in REST-JSON: its operations, its model, its routes."""

    def __init__(
        self,
        name: str,
        operations: Mapping[str, RestHandler],
        model: dict[str, Any],
        validator: ShapeValidator,
        max_request_bytes: int,
        status_overrides: Mapping[str, int] | None = None,
        download: Download | None = None,
    ) -> None:
        self.name = name
        self.download = download
        self.operations = operations
        self.validator = validator
        self.max_request_bytes = max_request_bytes
        self.routes = RouteTable(model, set(operations))
        self.prefixes = self.routes.prefixes
        self._shapes: dict[str, Any] = model.get("shapes", {})
        self._ops = {
            name: _describe(spec, self._shapes, (status_overrides or {}).get(name))
            for name, spec in model.get("operations", {}).items()
            if name in operations
        }

    def error_status(self, error: ServiceError) -> int:
        """The status the model gives the error's shape, else the error's own."""
        spec = self._shapes.get(error.code, {}).get("error", {})
        status = spec.get("httpStatusCode")
        return status if isinstance(status, int) else error.status

    def error_reply(self, error: ServiceError, request_id: str) -> RestReply:
        shape = self._shapes.get(error.code, {})
        key = "Message" if "Message" in shape.get("members", {}) else "message"
        status = self.error_status(error)
        document: dict[str, Any] = {"Type": "User" if status < 500 else "Service"}
        document[key] = error.message
        if error.extra:
            document.update(error.extra)
        return RestReply(
            status,
            orjson.dumps(document),
            request_id,
            extra_headers=((b"x-amzn-errortype", error.code.encode()),),
        )

    def handle(
        self,
        method: str,
        path: str,
        query_string: str,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        ctx: RequestContext,
    ) -> RestReply | Awaitable[RestReply]:
        """Route, parse, validate and run one request; never raises. A handler that answers
        later makes this an awaitable of the reply (which never raises either)."""
        operation = "?"
        try:
            query = parse_qs(query_string, keep_blank_values=True) if query_string else {}
            found = self.routes.find(method, path, query)
            if found is None:
                data = self.download(path, query) if self.download and method == "GET" else None
                if data is None:
                    raise _unknown_operation()
                return RestReply(200, data, ctx.request_id, media_type=BLOB_CONTENT_TYPE)
            operation, labels = found
            spec = self._ops[operation]
            request = self._input(spec, labels, query, headers, body)
            payload = request.pop(spec.payload.name, None) if spec.payload else None
            self.validator.validate(operation, request)
            _refuse_null_elements(request)
            if spec.payload is not None and payload is not None:
                request[spec.payload.name] = payload
            for name in spec.body_blobs & request.keys():
                request[name] = self._decoded(spec.body_blobs[name], request[name])
            result = self.operations[operation](ctx, request)
            if inspect.isawaitable(result):
                return self._later(operation, spec, result, ctx)
            return self._output(spec, result, ctx.request_id)
        except ServiceError as error:
            return self.error_reply(error, ctx.request_id)
        except Exception:
            log.exception("internal error in %s.%s", self.name, operation)
            return self.error_reply(_service_exception(), ctx.request_id)

    async def _later(
        self,
        operation: str,
        spec: _Operation,
        pending: Awaitable[dict[str, Any]],
        ctx: RequestContext,
    ) -> RestReply:
        """The reply of a handler that answers later; never raises."""
        try:
            return self._output(spec, await pending, ctx.request_id)
        except ServiceError as error:
            return self.error_reply(error, ctx.request_id)
        except Exception:
            log.exception("internal error in %s.%s", self.name, operation)
            return self.error_reply(_service_exception(), ctx.request_id)

    # --- input

    def _input(
        self,
        spec: _Operation,
        labels: dict[str, str],
        query: dict[str, list[str]],
        headers: list[tuple[bytes, bytes]],
        body: bytes,
    ) -> dict[str, Any]:
        request: dict[str, Any] = {}
        if spec.payload is not None:
            if spec.payload.type == "blob":
                request[spec.payload.name] = body
            elif body:
                request[spec.payload.name] = _parse_json(body)
        elif body:
            document = _parse_json(body)
            if type(document) is not dict:
                raise _serialization_error("Start of structure or map found where not expected.")
            request.update((k, v) for k, v in document.items() if k in spec.body_members)
        for key, values in query.items():
            member = spec.query.get(key)
            if member is not None:
                request[member.name] = _from_text(member, values)
        for raw_name, raw_value in headers:
            member = spec.headers.get(raw_name.decode("latin-1").lower())
            if member is not None:
                request[member.name] = _from_text(member, [raw_value.decode("latin-1")])
        for label, value in labels.items():
            member = spec.uri.get(label)
            if member is not None:
                request[member.name] = _from_text(member, [value])
        return request

    def _decoded(self, shape_name: str, value: Any) -> Any:
        """``value`` (valid JSON of shape ``shape_name``) with its blobs base64-decoded."""
        shape = self._shapes.get(shape_name, {})
        kind = shape.get("type")
        if kind == "blob" and isinstance(value, str):
            return decode_blob(value)
        if kind == "structure" and isinstance(value, dict):
            members = shape.get("members", {})
            return {
                k: self._decoded(members[k]["shape"], v) if k in members else v
                for k, v in value.items()
            }
        if kind == "list" and isinstance(value, list):
            return [self._decoded(shape["member"]["shape"], v) for v in value]
        if kind == "map" and isinstance(value, dict):
            return {k: self._decoded(shape["value"]["shape"], v) for k, v in value.items()}
        return value

    # --- output

    def _output(self, spec: _Operation, result: dict[str, Any], request_id: str) -> RestReply:
        out = dict(result)
        status = spec.status
        if spec.out_status is not None and spec.out_status in out:
            status = int(out.pop(spec.out_status))
        extra: list[tuple[bytes, bytes]] = []
        for member in spec.out_headers:
            value = out.pop(member.name, None)
            if value is not None:
                extra.append((member.location_name.lower().encode(), _to_text(value).encode()))
        content_type = JSON_CONTENT_TYPE
        if spec.out_payload is not None:
            value = out.pop(spec.out_payload.name, None)
            if spec.out_payload.type == "blob":
                body = value if isinstance(value, bytes) else b""
                content_type = BLOB_CONTENT_TYPE
            else:
                body = orjson.dumps(value, default=_json_default) if value is not None else b""
        elif status == 204:
            body = b""
        else:
            body = orjson.dumps(out, default=_json_default)
        return RestReply(
            status, body, request_id, media_type=content_type, extra_headers=tuple(extra)
        )


def _describe(spec: dict[str, Any], shapes: dict[str, Any], status: int | None) -> _Operation:
    http = spec.get("http", {})
    uri: dict[str, _Member] = {}
    query: dict[str, _Member] = {}
    headers: dict[str, _Member] = {}
    payload: _Member | None = None
    body_members: set[str] = set()
    body_blobs: dict[str, str] = {}
    input_shape = shapes.get(spec.get("input", {}).get("shape", ""), {})
    for name, ref in input_shape.get("members", {}).items():
        member = _member(name, ref, shapes)
        location = ref.get("location")
        if location == "uri":
            uri[member.location_name] = member
        elif location == "querystring":
            query[member.location_name] = member
        elif location == "header":
            headers[member.location_name.lower()] = member
        elif location is None and input_shape.get("payload") == name:
            payload = member
        elif location is None:
            body_members.add(name)
            if _holds_blob(ref["shape"], shapes, set()):
                body_blobs[name] = ref["shape"]
    out_headers: list[_Member] = []
    out_status: str | None = None
    out_payload: _Member | None = None
    output_shape = shapes.get(spec.get("output", {}).get("shape", ""), {})
    for name, ref in output_shape.get("members", {}).items():
        location = ref.get("location")
        if location == "header":
            out_headers.append(_member(name, ref, shapes))
        elif location == "statusCode":
            out_status = name
        elif location is None and output_shape.get("payload") == name:
            out_payload = _member(name, ref, shapes)
    return _Operation(
        status=status or int(http.get("responseCode", 200)),
        uri=uri,
        query=query,
        headers=headers,
        payload=payload,
        body_members=frozenset(body_members),
        body_blobs=body_blobs,
        out_headers=tuple(out_headers),
        out_status=out_status,
        out_payload=out_payload,
    )


def _holds_blob(shape_name: str, shapes: dict[str, Any], seen: set[str]) -> bool:
    if shape_name in seen:
        return False
    seen.add(shape_name)
    shape = shapes.get(shape_name, {})
    kind = shape.get("type")
    if kind == "blob":
        return True
    if kind == "structure":
        return any(_holds_blob(m["shape"], shapes, seen) for m in shape.get("members", {}).values())
    if kind == "list":
        return _holds_blob(shape["member"]["shape"], shapes, seen)
    if kind == "map":
        return _holds_blob(shape["value"]["shape"], shapes, seen)
    return False


def _member(name: str, ref: dict[str, Any], shapes: dict[str, Any]) -> _Member:
    kind = str(shapes.get(ref.get("shape", ""), {}).get("type", "string"))
    return _Member(name, str(ref.get("locationName", name)), kind)


def _from_text(member: _Member, values: list[str]) -> Any:
    """A path label, query parameter or header as the member's type (Coral's conversions;
    a value of the wrong form stays a string, for the validator to report)."""
    if member.type == "list":
        return values
    value = values[-1]
    if member.type in ("integer", "long"):
        try:
            return int(value)
        except ValueError:
            raise _serialization_error(
                f"Cannot convert '{value}' to an integer"  # [gureum]
            ) from None
    if member.type == "boolean":
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
    return value


def _to_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parse_json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        raise _serialization_error("Could not parse request body into json") from None


def decode_blob(value: str) -> bytes:
    """A JSON blob member (base64) as bytes; a SerializationException if it is no base64."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _serialization_error(
            "Failed to decode the blob value: invalid base64"
        ) from None  # [gureum]


def _json_default(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    raise TypeError(type(value).__name__)


def _serialization_error(message: str) -> ServiceError:
    return ServiceError("SerializationException", message, 400, namespace="")


def _refuse_null_elements(request: dict[str, Any]) -> None:
    """ValidationException for a null list element or map value, which the validator lets
    through (DynamoDB's front end takes them) but no REST-JSON handler expects. [gureum] The
    words are Coral's for an element's constraint; the Lambda front end's are not recorded."""
    found: list[str] = []

    def visit(value: Any, path: str) -> None:
        if isinstance(value, list):
            if any(x is None for x in value):
                phrase = msg.list_member([msg.NOT_NULL])
                found.append(msg.violation(_java(value), path, phrase))
            for x in value:
                visit(x, path)
        elif isinstance(value, dict):
            if any(x is None for x in value.values()):  # a map's (the validator drops
                phrase = msg.map_value([msg.NOT_NULL])  # a structure member given null)
                found.append(msg.violation(_java(value), path, phrase))
            for name, x in value.items():
                visit(x, f"{path}.{name[:1].lower()}{name[1:]}" if path else name)

    for name, value in request.items():
        visit(value, name[:1].lower() + name[1:])
    if found:
        raise validation_error(msg.summary(found))


def _java(value: Any) -> str:
    """A list or map of JSON values as Java's toString() prints it."""
    if value is None:
        return "null"
    if isinstance(value, list):
        return "[" + ", ".join(_java(x) for x in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_java(x)}" for k, x in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _service_exception() -> ServiceError:
    # [gureum] the text of an unexpected failure
    return ServiceError("ServiceException", "Internal server error", 500, namespace="")


def _unknown_operation() -> ServiceError:
    # [gureum] a path under the service's prefix that no operation takes
    return ServiceError("UnknownOperationException", "Unknown operation", 404, namespace="")
