"""Asynchronous (``Event``) invocations: Lambda's event queue, its retries and destinations.

Each event runs as a background task of the runner. An attempt waits for a free slot of its
function (a throttled event is retried every ``_SLOT_POLL_SECONDS`` without counting as an
attempt) until the event is older than its MaximumEventAgeInSeconds. A function error
(``Unhandled``: an exception, a timeout, a crash) is retried up to MaximumRetryAttempts times,
after ``retry_delay`` seconds and then twice that (AWS: one and two minutes), every attempt
with the event's request id and a log of its own; when the next retry would come after the
maximum age, Lambda gives up at once (``EventAgeExceeded``), as AWS does. The settings are read
from the qualifier's event invoke config at each step, so a change applies to waiting events.

The record of the outcome goes to the OnSuccess or OnFailure destination (a Lambda function,
itself invoked asynchronously) in AWS's invocation record format.

The queue is durable: each event (destination records included) is a catalog record of kind
``lambda-async-event`` from the moment it is queued (the 202 of an Event invoke waits for the
commit that stores it) until it is finished (its record sent, given up, or its function gone);
the record keeps the attempts so far and when the next one is due (wall clock, as the time
the event was received, so its age and a pending retry's delay carry over a restart).
Changes made between requests (an attempt counted, an event finished) are stored by the
server's next group commit. Stopping the server cancels the waiting events at once and leaves
their records; the next start resumes them (:meth:`AsyncInvocations.resume`). Delivery is at
least once: an attempt running when the process stopped or crashed, or finished just before a
crash, runs again after the restart. Deleting a function drops its queued events.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.arns import parse_arn
from gureum.core.errors import ServiceError
from gureum.services.lambda_ import limits
from gureum.services.lambda_.functions import LATEST, lambda_timestamp

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Coroutine

    from gureum.core.clock import Clock
    from gureum.services.lambda_.event_invoke_config import EventInvokeConfigStore
    from gureum.services.lambda_.functions import Function
    from gureum.services.lambda_.runner import Outcome
    from gureum.storage.engine import CatalogEntry, Engine

    Resolver = Callable[[str, str, str], Function]
    Invoker = Callable[[str, str, str, bytes, str], Awaitable[Outcome]]
    Background = Callable[[Coroutine[Any, Any, Any]], None]

log = logging.getLogger("gureum.lambda")

ASYNC_EVENT_KIND = "lambda-async-event"
_PREFIX = "lambda:async-event:"
# How often a throttled event looks for a free slot of its function.
_SLOT_POLL_SECONDS = 0.05
SUCCESS = "Success"
RETRIES_EXHAUSTED = "RetriesExhausted"
EVENT_AGE_EXCEEDED = "EventAgeExceeded"
ZERO_RESERVED_CONCURRENCY = "ZeroReservedConcurrency"


@dataclass(slots=True)
class _Event:
    account: str
    region: str
    reference: str  # the ARN the invocation named (qualified with a version or alias, or not)
    qualifier: str  # whose event invoke config applies
    payload: bytes  # JSON text, so UTF-8
    request_id: str
    received: float  # wall clock, as ``due``: both keep their meaning across a restart
    attempts: int = 0
    due: float = 0.0  # when the next attempt may start
    entry_id: int = 0

    @property
    def function_name(self) -> str:
        return self.reference.split(":")[6]

    def to_document(self) -> bytes:
        document = asdict(self)
        del document["entry_id"]
        document["payload"] = self.payload.decode()
        return orjson.dumps(document)

    @classmethod
    def from_entry(cls, entry: CatalogEntry) -> _Event:
        fields: dict[str, Any] = orjson.loads(entry.document)
        fields["payload"] = fields["payload"].encode()
        return cls(**fields, entry_id=entry.id)


@dataclass(slots=True)
class _Settings:
    retries: int
    max_age: int
    on_success: str | None
    on_failure: str | None


class AsyncInvocations:
    """The queue. ``resolve`` and ``invoke`` are LambdaService's (``resolve`` and
    ``invoke_function``); ``background`` runs a coroutine as a task the runner cancels when the
    server stops."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        configs: EventInvokeConfigStore,
        resolve: Resolver,
        invoke: Invoker,
        background: Background,
        retry_delay: float = limits.ASYNC_RETRY_DELAY_SECONDS,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._configs = configs
        self._resolve = resolve
        self._invoke = invoke
        self._background = background
        self._retry_delay = retry_delay
        self._queued: dict[int, _Event] = {}  # by record id: every event not yet finished

    def submit(
        self, account: str, region: str, reference: str, payload: bytes, request_id: str
    ) -> None:
        """Queue an event for the function ``reference`` (an ARN, maybe qualified) names."""
        parts = reference.split(":")
        qualifier = parts[7] if len(parts) > 7 else LATEST
        now = self._clock.now()
        event = _Event(account, region, reference, qualifier, payload, request_id, now, due=now)
        event.entry_id = self._engine.create_record(
            ASYNC_EVENT_KIND,
            account,
            region,
            f"{_PREFIX}{request_id}",
            event.to_document(),
            with_items=False,
        )
        self._start(event)

    def resume(self) -> None:
        """Start again, in the order they came, the events a previous run left queued (call
        once the event loop runs)."""
        events = [_Event.from_entry(e) for e in self._engine.records(ASYNC_EVENT_KIND)]
        for event in sorted(events, key=lambda e: e.received):
            self._start(event)

    def forget(self, account: str, region: str, name: str) -> None:
        """Drop every queued event of a deleted function (a waiting one stops when it wakes)."""
        for event in list(self._queued.values()):
            if (event.account, event.region, event.function_name) == (account, region, name):
                self._finish(event)

    def _start(self, event: _Event) -> None:
        self._queued[event.entry_id] = event
        self._background(self._process(event))

    def _finish(self, event: _Event) -> None:
        if self._is_queued(event):
            del self._queued[event.entry_id]
            self._engine.drop_entry(event.entry_id)

    def _is_queued(self, event: _Event) -> bool:
        """Whether ``event`` is still queued (not dropped with its function); by identity, as
        the catalog may give a dropped record's id to a new one."""
        return self._queued.get(event.entry_id) is event

    async def _process(self, event: _Event) -> None:
        try:
            while True:
                wait = event.due - self._clock.now()
                if wait > 0:
                    await asyncio.sleep(wait)
                ran = await self._attempt(event)
                if ran is None or not self._is_queued(event):  # given up, or its function gone
                    break
                function, outcome = ran
                event.attempts += 1
                settings = self._settings(event)
                if outcome.function_error is None:
                    self._record(event, settings, SUCCESS, function, outcome)
                    break
                if event.attempts > settings.retries:
                    self._record(event, settings, RETRIES_EXHAUSTED, function, outcome)
                    break
                delay = self._retry_delay * 2 ** (event.attempts - 1)
                if self._age(event) + delay > settings.max_age:
                    self._record(event, settings, EVENT_AGE_EXCEEDED, function, outcome)
                    break
                event.due = self._clock.now() + delay
                if self._is_queued(event):
                    self._engine.update_entry(event.entry_id, event.to_document())
        except ServiceError as error:  # the function (or its version or alias) is gone
            log.info("asynchronous invocation %s dropped: %s", event.request_id, error.message)
        except Exception:  # a bug must not leave the event queued (and failing) for ever
            log.exception("asynchronous invocation %s dropped", event.request_id)
        self._finish(event)

    async def _attempt(self, event: _Event) -> tuple[Function, Outcome] | None:
        """Run the event once, waiting for a free slot; None when it was given up instead
        (its record sent) or dropped with its function."""
        while self._is_queued(event):
            function = self._resolve(event.account, event.region, event.reference)
            settings = self._settings(event)
            latest = self._resolve(event.account, event.region, function.unqualified_arn)
            if latest.reserved_concurrency == 0:
                # AWS sends such events to the on-failure destination, never running them
                self._record(event, settings, ZERO_RESERVED_CONCURRENCY, function, None)
                return None
            if self._age(event) > settings.max_age:
                # [gureum] the record of an event that never got a slot: no response, as for
                # ZeroReservedConcurrency
                self._record(event, settings, EVENT_AGE_EXCEEDED, function, None)
                return None
            try:
                outcome = await self._invoke(
                    event.account, event.region, event.reference, event.payload, event.request_id
                )
            except ServiceError as error:
                if error.code != "TooManyRequestsException":
                    raise
            else:
                return function, outcome
            await asyncio.sleep(_SLOT_POLL_SECONDS)
        return None

    def _age(self, event: _Event) -> float:
        return self._clock.now() - event.received

    def _settings(self, event: _Event) -> _Settings:
        config = self._configs.get(
            event.account, event.region, event.function_name, event.qualifier
        )
        if config is None:
            return _Settings(
                limits.DEFAULT_ASYNC_RETRY_ATTEMPTS,
                limits.DEFAULT_MAX_EVENT_AGE_SECONDS,
                None,
                None,
            )
        return _Settings(config.retries, config.max_age, config.on_success, config.on_failure)

    def _record(
        self,
        event: _Event,
        settings: _Settings,
        condition: str,
        function: Function,
        outcome: Outcome | None,
    ) -> None:
        """Send the invocation record to the destination of ``condition``, if there is one."""
        destination = settings.on_success if condition == SUCCESS else settings.on_failure
        if destination is None:
            if condition != SUCCESS:
                log.info("asynchronous invocation %s discarded: %s", event.request_id, condition)
            return
        record = invocation_record(event, condition, function, outcome)
        parsed = parse_arn(destination)
        if parsed is None or parsed[0] != "lambda":  # refused when configured; kept safe here
            log.warning("cannot deliver to destination %s", destination)
            return
        self.submit(event.account, event.region, destination, record, str(uuid.uuid4()))


def invocation_record(
    event: _Event, condition: str, function: Function, outcome: Outcome | None
) -> bytes:
    """AWS's invocation record (the fields in AWS's order)."""
    record: dict[str, Any] = {
        "version": "1.0",
        "timestamp": lambda_timestamp(time.time(), "Z"),
        "requestContext": {
            "requestId": event.request_id,
            "functionArn": f"{function.unqualified_arn}:{function.version}",
            "condition": condition,
            "approximateInvokeCount": event.attempts,
        },
        "requestPayload": _json(event.payload),
    }
    if outcome is not None:
        context: dict[str, Any] = {"statusCode": 200, "executedVersion": function.version}
        if outcome.function_error is not None:
            context["functionError"] = outcome.function_error
        record["responseContext"] = context
        record["responsePayload"] = _json(outcome.payload)
    return orjson.dumps(record)


def _json(data: bytes) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return data.decode(errors="replace")
