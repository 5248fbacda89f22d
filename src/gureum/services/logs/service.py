"""The CloudWatch Logs service: its operation table (log groups, retention, log streams,
PutLogEvents, GetLogEvents, FilterLogEvents)."""

from __future__ import annotations

import base64
import binascii
import heapq
import itertools
import re
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import orjson

from gureum.core.arns import parse_arn
from gureum.core.context import RequestContext
from gureum.core.errors import ServiceError
from gureum.services.logs import errors, limits
from gureum.services.logs.events import Bounds, Event, EventStore, event_size, narrow, time_bounds
from gureum.services.logs.filter_patterns import compile_pattern
from gureum.services.logs.groups import GroupStore, LogGroup, LogStream

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from gureum.core.clock import Clock
    from gureum.storage.engine import Engine

    Handler = Callable[[RequestContext, dict[str, Any]], "dict[str, Any] | bytes"]

TARGET_PREFIX = "Logs_20140328"
# botocore's model of the API (service name, API version), for request shape validation
MODEL = ("logs", "2014-03-28")
CONTENT_TYPE = b"application/x-amz-json-1.1"

T = TypeVar("T")
_EVENT_TOKEN = re.compile(r"([fb])/(\d{56})(?:/s)?")
_GROUP_RESOURCE = re.compile(r"log-group:([^:]+)(?::\*)?")


class _Validator(Protocol):
    def validate(self, operation: str, body: Any) -> None: ...


class FrontEnd:
    """The model's validator, answering constraint violations as CloudWatch Logs does: as
    InvalidParameterException with the front end's text."""

    def __init__(self, validator: _Validator) -> None:
        self._validator = validator

    def validate(self, operation: str, body: Any) -> None:
        try:
            self._validator.validate(operation, body)
        except ServiceError as error:
            if error.code != "ValidationException":
                raise
            raise errors.invalid_parameter(error.message) from None


class LogsService:
    max_request_bytes = limits.MAX_REQUEST_BYTES

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._clock = clock
        self._groups = GroupStore(engine)
        self._events = EventStore(engine)
        self._last_sweep = 0
        self.operations: dict[str, Handler] = {
            "CreateLogGroup": self.create_log_group,
            "DeleteLogGroup": self.delete_log_group,
            "DescribeLogGroups": self.describe_log_groups,
            "PutRetentionPolicy": self.put_retention_policy,
            "DeleteRetentionPolicy": self.delete_retention_policy,
            "CreateLogStream": self.create_log_stream,
            "DeleteLogStream": self.delete_log_stream,
            "DescribeLogStreams": self.describe_log_streams,
            "PutLogEvents": self.put_log_events,
            "GetLogEvents": self.get_log_events,
            "FilterLogEvents": self.filter_log_events,
        }

    def group_count(self) -> int:
        return len(self._groups.all())

    def maintain(self) -> None:
        """Delete the events older than their group's retention period (at most once every
        RETENTION_SWEEP_SECONDS); the caller commits."""
        now = self._now()
        if now - self._last_sweep < limits.RETENTION_SWEEP_SECONDS * 1000:
            return
        self._last_sweep = now
        for group in self._groups.all():
            if group.retention_days is None:
                continue
            horizon = now - group.retention_days * limits.DAY_MS
            changed = False
            for stream in group.streams.values():
                if stream.first_event is None or stream.first_event >= horizon:
                    continue
                expired = time_bounds(None, horizon - 1)
                group.stored_bytes -= self._events.delete(group.entry_id, stream.name, expired)
                rest = self._events.read(group.entry_id, stream.name, Bounds(), True, 1)
                stream.first_event = rest[0].timestamp if rest else None
                if not rest:
                    stream.last_event = None
                changed = True
            if changed:
                self._groups.save(group)

    # --- log groups

    def create_log_group(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        group = LogGroup(
            account=ctx.account,
            region=ctx.region,
            name=request["logGroupName"],
            created=self._now(),
            log_group_class=request.get("logGroupClass", "STANDARD"),
            kms_key_id=request.get("kmsKeyId"),
            tags=dict(request.get("tags") or {}),
        )
        self._groups.add(group)
        return {}

    def delete_log_group(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        group = self._groups.get(ctx.account, ctx.region, request["logGroupName"])
        self._groups.remove(group)
        return {}

    def describe_log_groups(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        prefix = request.get("logGroupNamePrefix")
        pattern = request.get("logGroupNamePattern")
        if prefix is not None and pattern is not None:
            raise errors.prefix_and_pattern()
        limit: int = request.get("limit", limits.MAX_DESCRIBE_LIMIT)
        after = _decode_token(request.get("nextToken"), str)
        groups = self._groups.groups(ctx.account, ctx.region)
        if prefix is not None:
            groups = [g for g in groups if g.name.startswith(prefix)]
        if pattern:
            lowered = pattern.lower()
            groups = [g for g in groups if lowered in g.name.lower()]
        if "logGroupClass" in request:
            groups = [g for g in groups if g.log_group_class == request["logGroupClass"]]
        if after is not None:
            groups = [g for g in groups if g.name > after]
        out: dict[str, Any] = {"logGroups": [g.describe() for g in groups[:limit]]}
        if len(groups) > limit:
            out["nextToken"] = _encode_token(groups[limit - 1].name)
        return out

    def put_retention_policy(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        days: int = request["retentionInDays"]
        if days not in limits.RETENTION_DAYS:
            raise errors.invalid_retention(days, limits.RETENTION_DAYS)
        group = self._groups.get(ctx.account, ctx.region, request["logGroupName"])
        group.retention_days = days
        self._groups.save(group)
        self._last_sweep = 0  # the next maintenance applies the new period
        return {}

    def delete_retention_policy(
        self, ctx: RequestContext, request: dict[str, Any]
    ) -> dict[str, Any]:
        group = self._groups.get(ctx.account, ctx.region, request["logGroupName"])
        group.retention_days = None
        self._groups.save(group)
        return {}

    # --- log streams

    def create_log_stream(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        group = self._groups.get(ctx.account, ctx.region, request["logGroupName"])
        name: str = request["logStreamName"]
        if name in group.streams:
            raise errors.stream_exists()
        group.streams[name] = LogStream(name, self._now())
        self._groups.save(group)
        return {}

    def delete_log_stream(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        group = self._groups.get(ctx.account, ctx.region, request["logGroupName"])
        stream = group.stream(request["logStreamName"])
        group.stored_bytes -= self._events.delete(group.entry_id, stream.name)
        del group.streams[stream.name]
        self._groups.save(group)
        return {}

    def describe_log_streams(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        prefix = request.get("logStreamNamePrefix")
        by_time = request.get("orderBy", "LogStreamName") == "LastEventTime"
        if by_time and prefix is not None:
            raise errors.order_by_with_prefix()
        group = self._group(ctx, request)
        descending = bool(request.get("descending", False))
        limit: int = request.get("limit", limits.MAX_DESCRIBE_LIMIT)
        after = _decode_token(request.get("nextToken"), list)
        if after is not None and [type(v) for v in after] != ([int, str] if by_time else [str]):
            raise errors.invalid_token()

        def order(stream: LogStream) -> list[Any]:
            last = stream.last_event if stream.last_event is not None else -1
            return [last, stream.name] if by_time else [stream.name]

        streams = [s for s in group.streams.values() if prefix is None or s.name.startswith(prefix)]
        streams.sort(key=order, reverse=descending)
        if after is not None:
            streams = [s for s in streams if (order(s) < after if descending else order(s) > after)]
        out: dict[str, Any] = {"logStreams": [group.describe_stream(s) for s in streams[:limit]]}
        if len(streams) > limit:
            out["nextToken"] = _encode_token(order(streams[limit - 1]))
        return out

    # --- events

    def put_log_events(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        batch: list[dict[str, Any]] = request["logEvents"]
        stamps = [int(e["timestamp"]) for e in batch]
        if any(b < a for a, b in itertools.pairwise(stamps)):
            raise errors.not_chronological()
        if stamps[-1] - stamps[0] > limits.MAX_BATCH_SPAN_MS:
            raise errors.span_too_long()
        size = sum(event_size(e["message"]) for e in batch)
        if size > limits.MAX_BATCH_BYTES:
            raise errors.batch_too_large(size, limits.MAX_BATCH_BYTES)
        group = self._groups.get(ctx.account, ctx.region, request["logGroupName"])
        stream = group.stream(request["logStreamName"])
        now = self._now()
        too_new = next(
            (i for i, t in enumerate(stamps) if t > now + limits.MAX_FUTURE_MS), len(stamps)
        )
        too_old = sum(1 for t in stamps if t < now - limits.MAX_AGE_MS)
        expired = 0
        if group.retention_days is not None:
            horizon = now - group.retention_days * limits.DAY_MS
            expired = sum(1 for t in stamps if t < horizon)
        rejected: dict[str, int] = {}
        if too_new < len(stamps):
            rejected["tooNewLogEventStartIndex"] = too_new
        if too_old:
            rejected["tooOldLogEventEndIndex"] = too_old
        if expired:
            rejected["expiredLogEventEndIndex"] = expired
        accepted = [(stamps[i], batch[i]["message"]) for i in range(max(too_old, expired), too_new)]
        if accepted:
            group.next_seq = self._events.put(
                group.entry_id, stream.name, accepted, group.next_seq, now
            )
            first, last = accepted[0][0], accepted[-1][0]
            stream.first_event = (
                first if stream.first_event is None else min(stream.first_event, first)
            )
            stream.last_event = last if stream.last_event is None else max(stream.last_event, last)
            stream.last_ingestion = now
            group.stored_bytes += sum(event_size(m) for _, m in accepted)
        stream.uploads += 1
        self._groups.save(group)
        out: dict[str, Any] = {"nextSequenceToken": stream.sequence_token()}
        if rejected:
            out["rejectedLogEventsInfo"] = rejected
        return out

    def get_log_events(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        token = request.get("nextToken")
        parsed = None
        if token is not None:
            parsed = _EVENT_TOKEN.fullmatch(token)
            if parsed is None:
                raise errors.invalid_token()
        group = self._group(ctx, request)
        stream = group.stream(request["logStreamName"])
        limit: int = request.get("limit", limits.MAX_EVENTS_LIMIT)
        bounds = time_bounds(request.get("startTime"), request.get("endTime"))
        if parsed is not None:
            position = int(parsed.group(2))
            forward = parsed.group(1) == "f"
            bounds = narrow(bounds, after=position) if forward else narrow(bounds, before=position)
        else:
            position = bounds.after or 0
            forward = bool(request.get("startFromHead", False))
        events = _within_size(
            self._events.read(group.entry_id, stream.name, bounds, forward, limit)
        )
        if not forward:
            events.reverse()
        if events:
            ahead, back = events[-1].position, events[0].position
        elif parsed is not None or forward:
            ahead = back = position
        else:
            ahead = back = bounds.before - 1 if bounds.before is not None else position
        return {
            "events": [e.output() for e in events],
            "nextForwardToken": f"f/{ahead:056d}/s",
            "nextBackwardToken": f"b/{back:056d}/s",
        }

    def filter_log_events(self, ctx: RequestContext, request: dict[str, Any]) -> dict[str, Any]:
        names: list[str] | None = request.get("logStreamNames")
        prefix: str | None = request.get("logStreamNamePrefix")
        if names is not None and prefix is not None:
            raise errors.names_and_prefix()
        matches = compile_pattern(request.get("filterPattern", ""))
        token = _decode_token(request.get("nextToken"), str)
        if token is not None and not token.isdigit():
            raise errors.invalid_token()
        after = None if token is None else int(token)
        group = self._group(ctx, request)
        limit: int = request.get("limit", limits.MAX_EVENTS_LIMIT)
        if names is not None:
            streams = [n for n in dict.fromkeys(names) if n in group.streams]
        else:
            streams = [n for n in group.streams if prefix is None or n.startswith(prefix)]
        bounds = time_bounds(request.get("startTime"), request.get("endTime"))
        if after is not None:
            bounds = narrow(bounds, after=after)

        def matching(stream: str) -> Iterator[Event]:
            for event in self._events.scan(group.entry_id, stream, bounds):
                if matches(event.message):
                    yield event

        merged = heapq.merge(*(matching(s) for s in sorted(streams)), key=lambda e: e.position)
        found = list(itertools.islice(merged, limit + 1))
        events = _within_size(found[:limit])
        out: dict[str, Any] = {
            "events": [e.filtered() for e in events],
            # "Starting on May 15, 2020, this parameter is deprecated. This parameter will be
            # an empty list after the deprecation occurs."
            "searchedLogStreams": [],
        }
        if len(found) > len(events):
            out["nextToken"] = _encode_token(str(events[-1].position))
        return out

    # --- helpers

    def write(self, account: str, region: str, group: str, stream: str, text: str) -> None:
        """Append ``text`` to a log stream, a line per event, creating the group and the
        stream if they are missing: how other services (Lambda) write their logs."""
        ctx = RequestContext(account, region, "")
        for operation, request in (
            (self.create_log_group, {"logGroupName": group}),
            (self.create_log_stream, {"logGroupName": group, "logStreamName": stream}),
        ):
            try:
                operation(ctx, request)
            except ServiceError as exc:
                if exc.code != "ResourceAlreadyExistsException":
                    raise
        now = self._now()
        events = [{"timestamp": now, "message": line} for line in text.splitlines() if line]
        for start in range(0, len(events), limits.MAX_BATCH_EVENTS):
            batch = events[start : start + limits.MAX_BATCH_EVENTS]
            self.put_log_events(
                ctx, {"logGroupName": group, "logStreamName": stream, "logEvents": batch}
            )

    def _now(self) -> int:
        return int(self._clock.now() * 1000)

    def _group(self, ctx: RequestContext, request: dict[str, Any]) -> LogGroup:
        """The group named by ``logGroupName`` or ``logGroupIdentifier`` (a name or an ARN)."""
        name = request.get("logGroupName")
        identifier = request.get("logGroupIdentifier")
        if name is not None and identifier is not None:
            raise errors.name_and_identifier()
        if name is None:
            if identifier is None:
                raise errors.group_name_required()
            name = identifier
            parsed = parse_arn(identifier)
            if parsed is not None:
                _, region, account, resource = parsed
                match = _GROUP_RESOURCE.fullmatch(resource)
                if match is None or (account, region) != (ctx.account, ctx.region):
                    raise errors.group_not_found()
                name = match.group(1)
        return self._groups.get(ctx.account, ctx.region, name)


def _within_size(events: list[Event]) -> list[Event]:
    """The leading events that fit in one response (1 MB, counted as PutLogEvents counts)."""
    total = 0
    for i, event in enumerate(events):
        total += event_size(event.message)
        if total > limits.MAX_RESPONSE_BYTES and i > 0:
            return events[:i]
    return events


def _encode_token(value: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode()


def _decode_token(token: str | None, kind: type[T]) -> T | None:
    """The value a nextToken of ours holds (InvalidParameterException if it is not one)."""
    if token is None:
        return None
    try:
        value = orjson.loads(base64.urlsafe_b64decode(token.encode()))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise errors.invalid_token() from None
    if not isinstance(value, kind):
        raise errors.invalid_token()
    return value
