"""Consumed capacity as DynamoDB computes it: read units per 4 KB (half for eventually
consistent reads), write units per 1 KB, at least one unit per item."""

from __future__ import annotations

from typing import Any

from gureum.services.dynamodb import limits


def read_units(size: int, consistent: bool) -> float:
    units = max(1, -(-size // limits.READ_UNIT_BYTES))
    return float(units) if consistent else units / 2


def write_units(size: int) -> float:
    return float(max(1, -(-size // limits.WRITE_UNIT_BYTES)))


def consumed(
    table_name: str,
    units: float,
    mode: str | None,
    indexes: dict[str, tuple[bool, float]] | None = None,
) -> dict[str, Any] | None:
    """The ConsumedCapacity member for ReturnConsumedCapacity ``mode`` (None when not asked):
    ``units`` for the table itself plus ``indexes`` (name -> (is global, units)) in the
    total; INDEXES mode details each (a read through an index has a table part of 0, or of
    the items a local index fetched from the table)."""
    if mode is None or mode == "NONE":
        return None
    total = units + sum(u for _, u in (indexes or {}).values())
    out: dict[str, Any] = {"TableName": table_name, "CapacityUnits": total}
    if mode == "INDEXES":
        out["Table"] = {"CapacityUnits": units}
        for name, (is_global, index_units) in (indexes or {}).items():
            member = "GlobalSecondaryIndexes" if is_global else "LocalSecondaryIndexes"
            out.setdefault(member, {})[name] = {"CapacityUnits": index_units}
    return out
