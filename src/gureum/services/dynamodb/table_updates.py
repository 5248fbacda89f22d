"""UpdateTable, in DynamoDB's order of checks: the request's own rules (something to change, the
changes that go alone, the stream and index update shapes) before the table is looked up, the
rules that depend on the table after; nothing changes unless every check passes.

The answer is DynamoDB's: the table UPDATING with the new settings, but with the capacity and
warm throughput it had before (DynamoDB applies capacity after answering), a switched billing
mode without the time it switched, new indexes CREATING and deleted ones DELETING. A change of
index capacity alone leaves the table ACTIVE: only that index is UPDATING, with its old capacity
and warm throughput. gureum has no UPDATING phase: the next DescribeTable sees everything
applied.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from gureum.services.dynamodb import errors, limits
from gureum.services.dynamodb.model import (
    ON_DEMAND_WARM,
    PAY_PER_REQUEST,
    PROVISIONED,
    Index,
    KeySchema,
    Table,
    Throughput,
    raised_warm,
)
from gureum.services.dynamodb.table_definitions import (
    check_stream_spec,
    check_throughput_bounds,
    global_index,
    new_stream,
    sse_description,
)

Request = dict[str, Any]

# What DynamoDB's "At least one of ... is required" names, in its order: UpdateStreamEnabled
# stands for StreamSpecification; MultiAccountReplicaReady and ReplicaTransitRoleArn are not in
# the public API; MultiRegionConsistency changes nothing alone (and is left out of the text
# when the request has it).
_ONE_OF = (
    "ProvisionedThroughput",
    "BillingMode",
    "UpdateStreamEnabled",
    "GlobalSecondaryIndexUpdates",
    "SSESpecification",
    "ReplicaUpdates",
    "MultiAccountReplicaReady",
    "ReplicaTransitRoleArn",
    "MultiRegionConsistency",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "TableClass",
)
# The request members that change the table.
_CHANGES = (
    "ProvisionedThroughput",
    "BillingMode",
    "StreamSpecification",
    "GlobalSecondaryIndexUpdates",
    "SSESpecification",
    "ReplicaUpdates",
    "DeletionProtectionEnabled",
    "OnDemandThroughput",
    "WarmThroughput",
    "TableClass",
)
# Changes DynamoDB makes only alone, in the order it names them when a request has several.
_ALONE = (
    ("SSESpecification", "Server-Side Encryption modification"),
    ("TableClass", "TableClass modification"),
    ("DeletionProtectionEnabled", "DeletionProtection modification"),
    ("WarmThroughput", "WarmThroughput"),
)
_NOT_PAY_PER_REQUEST = (
    "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
    "PAY_PER_REQUEST"
)


def _given(request: Request, member: str) -> bool:
    return request.get(member) not in (None, [])


def _online(updates: list[dict[str, Any]]) -> bool:
    """Whether the index updates create or delete an index (not only change capacities)."""
    return any(u.get("Create") is not None or u.get("Delete") is not None for u in updates)


def _check_combination(request: Request, changes: list[str]) -> None:
    for member, what in _ALONE:
        if member in changes:
            raise errors.must_be_alone(what)
    if "OnDemandThroughput" in changes and not {*changes} <= {"OnDemandThroughput", "BillingMode"}:
        raise errors.invalid_parameters(
            "OnDemandThroughput can only be combined with BillingMode in an UpdateTable request"
        )
    iops = "ProvisionedThroughput" in changes or request.get("BillingMode") == PROVISIONED
    stream = "StreamSpecification" in changes
    online = _online(request.get("GlobalSecondaryIndexUpdates") or [])
    if stream and iops:
        raise errors.invalid_parameters("You cannot modify stream status while updating table IOPS")
    if online and iops:
        raise errors.invalid_parameters(
            "You cannot create or delete index while updating table IOPS"
        )
    if online and stream:
        raise errors.invalid_parameters(
            "You cannot create or delete index while changing stream status"
        )


def _check_index_updates(updates: list[dict[str, Any]]) -> None:
    names: set[str] = set()
    for update in updates:
        actions = [a for a in ("Update", "Create", "Delete") if update.get(a) is not None]
        if not actions:
            raise errors.empty_index_update()
        if len(actions) > 1:
            raise errors.several_index_actions()
        name = update[actions[0]]["IndexName"]
        if name in names:
            raise errors.repeated_index_update(name)
        names.add(name)


def _capacity(spec: dict[str, Any]) -> tuple[int, int]:
    return spec["ReadCapacityUnits"], spec["WriteCapacityUnits"]


def _set_capacity(current: Throughput, read: int, write: int, now: float) -> None:
    if read > current.read or write > current.write:
        current.last_increase = now
    if read < current.read or write < current.write:
        current.last_decrease = now
        current.decreases_today += 1
    current.read, current.write = read, write


def _echo_old_capacity(rendered: dict[str, Any], old: Throughput) -> None:
    """UpdateTable's answer has the new increase/decrease times but the old capacity (and
    count of decreases): DynamoDB applies the new capacity after answering."""
    rendered.update(
        ReadCapacityUnits=old.read,
        WriteCapacityUnits=old.write,
        NumberOfDecreasesToday=old.decreases_today,
    )


def _key_element(key: KeySchema, name: str, attribute_type: str) -> str:
    """``name:type:KEYTYPE``, as DynamoDB prints one key element of a schema."""
    return f"{name}:{attribute_type}:{'HASH' if key.hash_name == name else 'RANGE'}"


class TableUpdate:
    """One UpdateTable request, checked on its own (the constructor) and then applied to the
    table it names (``apply``)."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.throughput: dict[str, Any] | None = request.get("ProvisionedThroughput")
        self.mode: str | None = request.get("BillingMode")
        self.stream: dict[str, Any] | None = request.get("StreamSpecification")
        self.index_updates: list[dict[str, Any]] = request.get("GlobalSecondaryIndexUpdates") or []
        changes = [m for m in _CHANGES if _given(request, m)]
        if not changes:
            raise errors.nothing_to_update([n for n in _ONE_OF if not _given(request, n)])
        # An empty list counts as absent for the check above, and is refused next to a change.
        if request.get("GlobalSecondaryIndexUpdates") == []:
            raise errors.empty_index_updates()
        if len(changes) > 1:
            _check_combination(request, changes)
        if self.throughput is not None:
            if self.mode == PAY_PER_REQUEST:
                raise errors.invalid_parameters(_NOT_PAY_PER_REQUEST)
            check_throughput_bounds(self.throughput)
        elif self.mode == PROVISIONED:
            raise errors.invalid_parameters(
                "ProvisionedThroughput must be specified when BillingMode is PROVISIONED"
            )
        if self.stream is not None:
            check_stream_spec(self.stream, creating=False)
        _check_index_updates(self.index_updates)

    # --- against the table

    def apply(self, table: Table, now: float, item_count: int, size_bytes: int) -> dict[str, Any]:
        """Check the update against ``table``, make it, and return UpdateTable's description."""
        mode = self.mode or table.billing_mode
        switching = mode != table.billing_mode
        if self.throughput is not None:
            if mode == PAY_PER_REQUEST:
                raise errors.invalid_parameters(_NOT_PAY_PER_REQUEST)
            current = table.throughput
            if not switching and _capacity(self.throughput) == (current.read, current.write):
                raise errors.throughput_unchanged(
                    (current.read, current.write), _capacity(self.throughput)
                )
        if self.stream is not None:
            enabled = table.stream is not None and table.stream.enabled
            if self.stream["StreamEnabled"] and enabled:
                raise errors.stream_already_enabled(table.name)
            if not self.stream["StreamEnabled"] and not enabled:
                raise errors.no_stream_to_disable(table.name)
        creates, updates, deletes = self._plan_indexes(table, mode)

        old_throughput = replace(table.throughput)
        old_warm = table.warm
        old_index_throughput = {i.name: replace(i.throughput or Throughput()) for i, _ in updates}
        old_index_warm = {i.name: i.warm for i in table.global_indexes}
        in_place = self._changes_in_place() and not _online(self.index_updates)
        status = "ACTIVE" if in_place else "UPDATING"
        self._apply_settings(table, now, switching)
        for index, (read, write) in updates:
            index.throughput = index.throughput or Throughput()
            _set_capacity(index.throughput, read, write, now)
            index.warm = raised_warm(index.warm or (0, 0), read, write)
        for index in creates:
            table.global_indexes.append(index)
            known = {n for n, _ in table.attribute_definitions}
            table.attribute_definitions += [
                (n, t)
                for n, t in self._definitions().items()
                if n in index.key.names and n not in known
            ]

        out = table.describe(status, item_count, size_bytes)
        if switching:
            out["BillingModeSummary"] = {"BillingMode": mode}
        if self.throughput is not None:
            _echo_old_capacity(out["ProvisionedThroughput"], old_throughput)
        out["WarmThroughput"].update(
            ReadUnitsPerSecond=old_warm[0], WriteUnitsPerSecond=old_warm[1]
        )
        for rendered in out.get("GlobalSecondaryIndexes", ()):
            name = rendered["IndexName"]
            if (warm := old_index_warm.get(name)) is not None:
                rendered["WarmThroughput"].update(
                    ReadUnitsPerSecond=warm[0], WriteUnitsPerSecond=warm[1]
                )
            if name in old_index_throughput:
                rendered["IndexStatus"] = "UPDATING"
                _echo_old_capacity(rendered["ProvisionedThroughput"], old_index_throughput[name])
            elif any(i.name == name for i in creates):
                # its warm throughput is still being set up, as while CreateTable's indexes are
                rendered.update(IndexStatus="CREATING", Backfilling=False)
                rendered["WarmThroughput"]["Status"] = "UPDATING"
            elif any(i.name == name for i in deletes):
                rendered["IndexStatus"] = "DELETING"
        if deletes:
            table.global_indexes = [i for i in table.global_indexes if i not in deletes]
            used = {*table.key.names}
            for index in (*table.global_indexes, *table.local_indexes):
                used.update(index.key.names)
            table.attribute_definitions = [d for d in table.attribute_definitions if d[0] in used]
        return out

    def _changes_in_place(self) -> bool:
        """Whether the request only changes what DynamoDB changes without UPDATING the table
        (deletion protection, encryption)."""
        slow = ("ProvisionedThroughput", "BillingMode", "StreamSpecification", "TableClass")
        return not any(self.request.get(m) is not None for m in slow)

    def _apply_settings(self, table: Table, now: float, switching: bool) -> None:
        request = self.request
        if self.throughput is not None:
            read, write = _capacity(self.throughput)
            _set_capacity(table.throughput, read, write, now)
            table.raise_warm(read, write)
        if switching and self.mode == PAY_PER_REQUEST:
            table.on_demand_since = now
            table.throughput.read = table.throughput.write = 0
            table.raise_warm(*ON_DEMAND_WARM)
            for index in table.global_indexes:
                index.throughput = None
                index.warm = raised_warm(index.warm or (0, 0), *ON_DEMAND_WARM)
        if self.mode is not None:
            table.billing_mode = self.mode
        if self.stream is not None:
            if self.stream["StreamEnabled"]:
                table.stream = new_stream(self.stream, now)
            elif table.stream is not None:
                table.stream.enabled = False
                table.stream.view_type = None
                table.stream.disabled_at = now
        if (protection := request.get("DeletionProtectionEnabled")) is not None:
            table.deletion_protection = bool(protection)
        if (table_class := request.get("TableClass")) is not None:
            table.table_class = table_class
        if (sse := request.get("SSESpecification")) is not None:
            table.sse = sse_description(sse, table.region, table.account)

    # --- global secondary indexes

    def _plan_indexes(
        self, table: Table, mode: str
    ) -> tuple[list[Index], list[tuple[Index, tuple[int, int]]], list[Index]]:
        """The indexes to create, the capacity changes of indexes, and the indexes to delete."""
        online = [u for u in self.index_updates if u.get("Update") is None]
        if len(online) > 1 or (online and any(i.backfilling for i in table.global_indexes)):
            raise errors.online_index_limit()
        creates: list[Index] = []
        updates: list[tuple[Index, tuple[int, int]]] = []
        deletes: list[Index] = []
        for update in self.index_updates:
            if (spec := update.get("Create")) is not None:
                creates.append(self._created_index(table, spec, mode))
            elif (spec := update.get("Update")) is not None:
                changed = self._index_capacity(table, spec, mode)
                if changed is not None:
                    updates.append(changed)
            else:
                deletes.append(self._existing_index(table, update["Delete"]["IndexName"], "delete"))
        if mode == PROVISIONED and table.billing_mode != PROVISIONED:
            given = {index.name for index, _ in updates} | {index.name for index in deletes}
            missing = [i.name for i in table.global_indexes if i.name not in given]
            if missing:
                raise errors.index_throughput_required(missing)
        if len(table.global_indexes) + len(creates) > limits.MAX_GLOBAL_SECONDARY_INDEXES:
            raise errors.too_many_global_indexes(limits.MAX_GLOBAL_SECONDARY_INDEXES)
        return creates, updates, deletes

    def _definitions(self) -> dict[str, str]:
        return {
            d["AttributeName"]: d["AttributeType"] for d in self.request["AttributeDefinitions"]
        }

    def _created_index(self, table: Table, spec: dict[str, Any], mode: str) -> Index:
        name = spec["IndexName"]
        if table.index(name) is not None:
            raise errors.index_exists()
        if self.request.get("AttributeDefinitions") is None:
            raise errors.index_definitions_missing(name)
        # Only the request's definitions count, not the table's, even for its own keys.
        types = self._definitions()
        index = global_index(spec, types)
        known = dict(table.attribute_definitions)
        for attribute in index.key.names:
            if attribute in known and known[attribute] != types[attribute]:
                raise errors.attribute_redefined(
                    self._existing_element(table, attribute, known[attribute]),
                    _key_element(index.key, attribute, types[attribute]),
                )
        throughput = spec.get("ProvisionedThroughput")
        if mode == PROVISIONED and throughput is None:
            raise errors.index_capacity_required(name)
        if mode == PAY_PER_REQUEST and throughput is not None:
            raise errors.index_throughput_on_demand(name)
        if throughput is not None:
            check_throughput_bounds(throughput)
        return index

    @staticmethod
    def _existing_element(table: Table, attribute: str, attribute_type: str) -> str:
        for key in (table.key, *(i.key for i in (*table.local_indexes, *table.global_indexes))):
            if attribute in key.names:
                return _key_element(key, attribute, attribute_type)
        return f"{attribute}:{attribute_type}"  # pragma: no cover - definitions are all keys

    @staticmethod
    def _existing_index(table: Table, name: str, action: str) -> Index:
        index = table.index(name)
        if index is None:
            raise errors.index_not_found(name, table.name)
        if index not in table.global_indexes:
            raise errors.not_a_global_index(action, name)
        return index

    def _index_capacity(
        self, table: Table, spec: dict[str, Any], mode: str
    ) -> tuple[Index, tuple[int, int]] | None:
        index = self._existing_index(table, spec["IndexName"], "update")
        throughput = spec.get("ProvisionedThroughput")
        if mode == PAY_PER_REQUEST:
            # even an Update naming only the index: on-demand indexes take other changes only
            raise errors.on_demand_index_update(index.name)
        if throughput is None:
            return None
        check_throughput_bounds(throughput)
        current = index.throughput or Throughput()
        requested = _capacity(throughput)
        if table.billing_mode == PROVISIONED and requested == (current.read, current.write):
            raise errors.throughput_unchanged(
                (current.read, current.write), requested, index=index.name
            )
        return index, requested
