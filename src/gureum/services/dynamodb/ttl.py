"""Time to Live: UpdateTimeToLive, DescribeTimeToLive, and the sweeper deleting expired items.

A table's TTL setting takes effect at once: DescribeTimeToLive answers ENABLED (or DISABLED)
right after UpdateTimeToLive, as DynamoDB is observed to (its ENABLING and DISABLING states are
not seen in practice), so clients polling for the settled status return on their first poll. A
successful change starts DynamoDB's one-hour window in which any further change is refused
(``gureum serve --ttl-change-window`` shortens it; 0 turns it off); the checks of the request's
content come first.

The sweeper runs from the server's maintenance loop every ``--ttl-interval`` seconds. A pass
walks each table with TTL enabled in key order, a batch at a time, within the time budget of each
maintenance call, resuming from a cursor, so a large table never holds up requests. An item
expires when its TTL attribute is a top-level Number of epoch seconds earlier than now and no
more than five years in the past (other types, sets, lists and older values are ignored, as
DynamoDB documents). Expired items stay readable until the sweeper deletes them, through the one
write path (their index entries go with them), marked as the service's own deletions; the
deletion re-checks the item, so an update that moved its expiry into the future keeps it.
"""

from __future__ import annotations

import time
from collections import deque
from typing import TYPE_CHECKING, Any

import orjson

from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.model import TimeToLive
from gureum.services.dynamodb.writes import DELETE, KEEP, Decide, Decision, WritePath
from gureum.storage.keys import HASH_SPACE

if TYPE_CHECKING:
    from gureum.core.clock import Clock
    from gureum.core.context import RequestContext
    from gureum.services.dynamodb.catalog import TableCatalog
    from gureum.services.dynamodb.model import Table
    from gureum.storage.engine import Engine, Key, Row

Request = dict[str, Any]
Response = dict[str, Any]

DEFAULT_SWEEP_INTERVAL_SECONDS = 5.0
# Items read per engine round trip; the time budget is checked after each item.
BATCH_ROWS = 100

_loads = orjson.loads


class TimeToLiveOperations:
    def __init__(
        self,
        catalog: TableCatalog,
        clock: Clock,
        change_window: float = limits.TTL_CHANGE_WINDOW_SECONDS,
    ) -> None:
        self._catalog = catalog
        self._clock = clock
        self._change_window = change_window

    def update_time_to_live(self, ctx: RequestContext, request: Request) -> Response:
        spec = request["TimeToLiveSpecification"]
        enabled: bool = spec["Enabled"]
        name: str = spec["AttributeName"]
        table = self._catalog.find(ctx, request["TableName"], name_missing=True)
        current = table.time_to_live
        if current is not None and current.enabled:
            if current.attribute_name != name:
                raise errors.ttl_other_attribute(current.attribute_name or "")
            if enabled:
                raise errors.ttl_already_enabled()
        elif not enabled:
            raise errors.ttl_already_disabled()
        now = self._clock.now()
        if current is not None and now - current.changed_at < self._change_window:
            raise errors.ttl_changed_recently()
        table.time_to_live = TimeToLive(enabled, name if enabled else None, now)
        self._catalog.save(table)
        return {"TimeToLiveSpecification": {"Enabled": enabled, "AttributeName": name}}

    def describe_time_to_live(self, ctx: RequestContext, request: Request) -> Response:
        table = self._catalog.find(ctx, request["TableName"], name_missing=True)
        attribute = ttl_attribute(table)
        if attribute is None:
            return {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}
        return {
            "TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": attribute}
        }


def ttl_attribute(table: Table) -> str | None:
    """The TTL attribute of a table with TTL enabled; None otherwise."""
    setting = table.time_to_live
    return setting.attribute_name if setting is not None and setting.enabled else None


def expired(item: dict[str, Any], attribute: str, now: float) -> bool:
    """Whether an item's TTL attribute says it has expired at ``now``: a top-level Number of
    epoch seconds before ``now`` and no more than five years before it."""
    value = item.get(attribute)
    if type(value) is not dict or "N" not in value:
        return False
    try:
        seconds = float(value["N"])
    except (TypeError, ValueError):
        return False
    return now - limits.TTL_MAX_PAST_SECONDS <= seconds < now


class TimeToLiveSweeper:
    """Deletes expired items, a pass every ``interval`` seconds, a slice per :meth:`step`."""

    def __init__(
        self,
        catalog: TableCatalog,
        engine: Engine,
        clock: Clock,
        interval: float = DEFAULT_SWEEP_INTERVAL_SECONDS,
    ) -> None:
        self._catalog = catalog
        self._engine = engine
        self._clock = clock
        self._interval = interval
        self._writes = WritePath(engine)
        self._due = clock.now() + interval  # when the next pass starts (clock time)
        self._pending: deque[Table] = deque()  # tables the current pass has still to walk
        self._after: Key | None = None  # where the walk of the first of them resumes

    def step(self, budget_seconds: float) -> bool:
        """Sweep for about ``budget_seconds`` if a pass is under way or due; True while the
        current pass is unfinished (call again soon)."""
        if not self._pending:
            now = self._clock.now()
            if now < self._due:
                return False
            self._due = now + self._interval
            self._pending.extend(t for t in self._catalog.all() if ttl_attribute(t) is not None)
            self._after = None
        deadline = time.monotonic() + budget_seconds
        while self._pending:
            table = self._pending[0]
            attribute = ttl_attribute(table)
            if attribute is None or self._catalog.get(_key_of(table)) is not table:
                self._next_table()  # TTL disabled, or the table deleted, since the pass began
                continue
            rows = self._engine.scan(table.id, 0, HASH_SPACE, self._after, BATCH_ROWS)
            token = orjson.dumps(attribute) + b':{"N":'
            now = self._clock.now()
            for hash_, partition, sort, _, document in rows:
                key = (hash_, partition, sort)
                self._after = key
                # most items are told apart without parsing them: no Number named so at all
                if token in document and expired(_loads(document), attribute, now):
                    self._writes.write(table, key, self._recheck(attribute), by_service=True)
                if time.monotonic() >= deadline:
                    break
            else:
                if len(rows) < BATCH_ROWS:
                    self._next_table()
            if time.monotonic() >= deadline:
                return bool(self._pending)
        return False

    def _next_table(self) -> None:
        self._pending.popleft()
        self._after = None

    def _recheck(self, attribute: str) -> Decide:
        """The deletion's decision: the item as it is now must still be expired."""

        def decide(old: Row | None) -> Decision:
            if old is None or not expired(_loads(old[1]), attribute, self._clock.now()):
                return KEEP
            return DELETE

        return decide


def _key_of(table: Table) -> tuple[str, str, str]:
    return table.account, table.region, table.name
