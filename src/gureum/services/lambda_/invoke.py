"""Invoke: checks the request (payload JSON, size), then runs the function through the
runner. RequestResponse waits for the result (200, the result as payload, ``FunctionError``
when the function failed, ``LogResult`` with LogType Tail); Event queues it (202, see
:mod:`gureum.services.lambda_.async_invocations`); DryRun only checks (204)."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Any

import orjson

from gureum.services.lambda_ import errors, limits

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from gureum.core.context import RequestContext
    from gureum.services.lambda_.async_invocations import AsyncInvocations
    from gureum.services.lambda_.functions import Function
    from gureum.services.lambda_.runner import Runner


def start(
    runner: Runner,
    function: Function,
    code: Callable[[], bytes | None],
    ctx: RequestContext,
    request: dict[str, Any],
    events: AsyncInvocations,
) -> dict[str, Any] | Awaitable[dict[str, Any]]:
    """Check the request now; return the reply, or an awaitable of it for RequestResponse."""
    kind = request.get("InvocationType") or "RequestResponse"
    payload: bytes = request.get("Payload") or b""
    if kind == "Event" and len(payload) > limits.MAX_ASYNC_PAYLOAD_BYTES:
        raise errors.request_too_large(limits.MAX_ASYNC_PAYLOAD_BYTES, "InvokeAsync")
    if len(payload) > limits.MAX_SYNC_PAYLOAD_BYTES:
        raise errors.request_too_large(limits.MAX_SYNC_PAYLOAD_BYTES, "InvokeFunction")
    if not payload.strip():
        payload = b"{}"
    try:
        orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise errors.invalid_request_content(str(exc)) from None
    if kind == "DryRun":
        return {"StatusCode": 204, "Payload": b""}
    client_context = _client_context(request.get("ClientContext"))
    if kind == "Event":
        events.submit(
            function.account, function.region, function.invoked_arn, payload, ctx.request_id
        )
        return {"StatusCode": 202, "Payload": b""}
    return _request_response(runner, function, code, payload, ctx, request, client_context)


async def _request_response(
    runner: Runner,
    function: Function,
    code: Callable[[], bytes | None],
    payload: bytes,
    ctx: RequestContext,
    request: dict[str, Any],
    client_context: Any,
) -> dict[str, Any]:
    outcome = await runner.invoke(function, code, payload, ctx.request_id, client_context)
    out: dict[str, Any] = {
        "StatusCode": 200,
        "Payload": outcome.payload,
        "ExecutedVersion": function.version,
    }
    if outcome.function_error is not None:
        out["FunctionError"] = outcome.function_error
    if request.get("LogType") == "Tail":
        out["LogResult"] = outcome.log_tail()
    return out


def _client_context(header: str | None) -> Any:
    """X-Amz-Client-Context: base64 of a JSON object, handed to the handler decoded."""
    if not header:
        return None
    try:
        return orjson.loads(base64.b64decode(header, validate=True))
    except (binascii.Error, ValueError):
        return None
