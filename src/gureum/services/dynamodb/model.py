"""The definition of a DynamoDB table as the service holds it, and its two renderings:
the TableDescription of the API, and the document persisted in the engine's catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from gureum.core.arns import make_arn
from gureum.storage.keys import ENCODERS

PROVISIONED = "PROVISIONED"
PAY_PER_REQUEST = "PAY_PER_REQUEST"
# The warm throughput (read, write units per second) of an on-demand table or global index:
# DynamoDB's initial on-demand throughput. A provisioned one's is its highest provisioned
# capacity so far; warm throughput is never lowered, not even by a switch of billing mode.
ON_DEMAND_WARM = (12000, 4000)


def raised_warm(warm: tuple[int, int], read: int, write: int) -> tuple[int, int]:
    """Warm throughput only grows: to the highest capacity given so far."""
    return max(warm[0], read), max(warm[1], write)


def render_warm(warm: tuple[int, int], status: str = "ACTIVE") -> dict[str, Any]:
    return {"ReadUnitsPerSecond": warm[0], "WriteUnitsPerSecond": warm[1], "Status": status}


@dataclass(slots=True)
class KeySchema:
    hash_name: str
    hash_type: str
    range_name: str | None = None
    range_type: str | None = None

    def render(self) -> list[dict[str, str]]:
        out = [{"AttributeName": self.hash_name, "KeyType": "HASH"}]
        if self.range_name is not None:
            out.append({"AttributeName": self.range_name, "KeyType": "RANGE"})
        return out

    @property
    def names(self) -> tuple[str, ...]:
        if self.range_name is None:
            return (self.hash_name,)
        return (self.hash_name, self.range_name)


@dataclass(slots=True)
class Throughput:
    read: int = 0
    write: int = 0
    last_increase: float | None = None
    last_decrease: float | None = None
    decreases_today: int = 0

    def render(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "NumberOfDecreasesToday": self.decreases_today,
            "ReadCapacityUnits": self.read,
            "WriteCapacityUnits": self.write,
        }
        if self.last_increase is not None:
            out["LastIncreaseDateTime"] = self.last_increase
        if self.last_decrease is not None:
            out["LastDecreaseDateTime"] = self.last_decrease
        return out


@dataclass(slots=True)
class Index:
    name: str
    key: KeySchema
    projection_type: str
    non_key_attributes: list[str] | None = None
    throughput: Throughput | None = None  # GSIs of provisioned tables only
    warm: tuple[int, int] | None = None  # GSIs only: WarmThroughput, as the table's
    number: int = 0  # the engine's index id within the table; 0: no storage yet
    backfilling: bool = False  # a GSI being created: CREATING until every item is in it

    def render_projection(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ProjectionType": self.projection_type}
        if self.non_key_attributes is not None:
            # DynamoDB answers them sorted by name, whatever their order in the request.
            out["NonKeyAttributes"] = sorted(self.non_key_attributes)
        return out


@dataclass(slots=True)
class StreamSpec:
    enabled: bool
    view_type: str | None = None
    label: str | None = None  # of the latest stream; kept after the stream is disabled
    # when the latest stream was disabled: its records stay readable for 24 hours after
    disabled_at: float | None = None


@dataclass(slots=True)
class TimeToLive:
    """UpdateTimeToLive's setting: the attribute while enabled, and when it last changed."""

    enabled: bool
    attribute_name: str | None  # None once disabled (DescribeTimeToLive forgets it)
    changed_at: float


@dataclass(slots=True)
class Table:
    """One DynamoDB table. ``id`` is the engine's catalog id, ``table_id`` the public UUID."""

    id: int
    account: str
    region: str
    name: str
    table_id: str
    created: float
    key: KeySchema
    attribute_definitions: list[tuple[str, str]]
    billing_mode: str
    on_demand_since: float | None  # when the table last became on-demand; None: never was
    throughput: Throughput
    warm: tuple[int, int]  # WarmThroughput: read and write units per second, never lowered
    global_indexes: list[Index] = field(default_factory=list)
    local_indexes: list[Index] = field(default_factory=list)
    stream: StreamSpec | None = None
    tags: dict[str, str] = field(default_factory=dict)
    table_class: str | None = None
    deletion_protection: bool = False
    sse: dict[str, Any] | None = None
    time_to_live: TimeToLive | None = None  # None: never configured
    # Derived at load time for the hot path (not persisted)
    hash_encode: Any = None
    range_encode: Any = None
    index_plans: Any = None  # see gureum.services.dynamodb.indexes; None: not built yet

    def __post_init__(self) -> None:
        self.hash_encode = ENCODERS[self.key.hash_type]
        self.range_encode = (
            ENCODERS[self.key.range_type] if self.key.range_type is not None else None
        )

    @property
    def arn(self) -> str:
        return make_arn("dynamodb", self.region, self.account, f"table/{self.name}")

    @property
    def stream_arn(self) -> str | None:
        if self.stream is None or self.stream.label is None:
            return None
        return f"{self.arn}/stream/{self.stream.label}"

    def raise_warm(self, read: int, write: int) -> None:
        self.warm = raised_warm(self.warm, read, write)

    @property
    def indexes(self) -> tuple[Index, ...]:
        return (*self.global_indexes, *self.local_indexes)

    def next_index_number(self) -> int:
        return max((i.number for i in self.indexes), default=0) + 1

    def index(self, name: str) -> Index | None:
        for index in self.global_indexes:
            if index.name == name:
                return index
        for index in self.local_indexes:
            if index.name == name:
                return index
        return None

    # --- the API's TableDescription

    def describe(
        self,
        status: str,
        item_count: int,
        size_bytes: int,
        index_stats: dict[str, tuple[int, int]] | None = None,
    ) -> dict[str, Any]:
        """The TableDescription; ``index_stats`` gives (item count, size) by index name."""
        stats = index_stats or {}
        out: dict[str, Any] = {
            # sorted by name, as DynamoDB answers them (CreateTable's answer included)
            "AttributeDefinitions": [
                {"AttributeName": n, "AttributeType": t}
                for n, t in sorted(self.attribute_definitions)
            ],
            "TableName": self.name,
            "KeySchema": self.key.render(),
            "TableStatus": status,
            "CreationDateTime": self.created,
            "ProvisionedThroughput": self.throughput.render(),
            "TableSizeBytes": size_bytes,
            "ItemCount": item_count,
            "TableArn": self.arn,
            "TableId": self.table_id,
        }
        out.update(self._billing_summary())
        if self.local_indexes:
            out["LocalSecondaryIndexes"] = [
                self._describe_local(i, stats.get(i.name, (0, 0))) for i in self.local_indexes
            ]
        if self.global_indexes:
            out["GlobalSecondaryIndexes"] = [
                self.describe_global(i, "ACTIVE", stats.get(i.name, (0, 0)))
                for i in self.global_indexes
            ]
        out.update(self._stream_summary())
        if self.sse is not None:
            out["SSEDescription"] = self.sse
        if self.table_class is not None:
            out["TableClassSummary"] = {"TableClass": self.table_class}
        out["DeletionProtectionEnabled"] = self.deletion_protection
        out["WarmThroughput"] = render_warm(self.warm)
        return out

    def describe_created(self) -> dict[str, Any]:
        """CreateTable's answer: the table and its indexes CREATING, without what DynamoDB
        only reports once the table is up (the warm throughput of the table and of its
        indexes, when it became on-demand)."""
        out = self.describe("CREATING", 0, 0)
        del out["WarmThroughput"]
        if "BillingModeSummary" in out:
            out["BillingModeSummary"] = {"BillingMode": self.billing_mode}
        for index in out.get("GlobalSecondaryIndexes", ()):
            index["IndexStatus"] = "CREATING"
            index.pop("WarmThroughput", None)
        return out

    def describe_global(
        self, i: Index, status: str, stats: tuple[int, int] = (0, 0)
    ) -> dict[str, Any]:
        out: dict[str, Any] = {
            "IndexName": i.name,
            "KeySchema": i.key.render(),
            "Projection": i.render_projection(),
            "IndexStatus": "CREATING" if i.backfilling else status,
            "ProvisionedThroughput": (i.throughput or Throughput()).render(),
            "IndexSizeBytes": stats[1],
            "ItemCount": stats[0],
            "IndexArn": f"{self.arn}/index/{i.name}",
        }
        if i.backfilling:
            out["Backfilling"] = True
        if i.warm is not None:
            out["WarmThroughput"] = render_warm(i.warm)
        return out

    def _describe_local(self, i: Index, stats: tuple[int, int]) -> dict[str, Any]:
        return {
            "IndexName": i.name,
            "KeySchema": i.key.render(),
            "Projection": i.render_projection(),
            "IndexSizeBytes": stats[1],
            "ItemCount": stats[0],
            "IndexArn": f"{self.arn}/index/{i.name}",
        }

    def describe_deleting(self, item_count: int, size_bytes: int) -> dict[str, Any]:
        """What DeleteTable returns: no schema, no creation time, no indexes."""
        out: dict[str, Any] = {
            "TableName": self.name,
            "TableStatus": "DELETING",
            "ProvisionedThroughput": self.throughput.render(),
            "TableSizeBytes": size_bytes,
            "ItemCount": item_count,
            "TableArn": self.arn,
            "TableId": self.table_id,
        }
        out.update(self._billing_summary())
        out.update(self._stream_summary())
        out["DeletionProtectionEnabled"] = self.deletion_protection
        return out

    def _billing_summary(self) -> dict[str, Any]:
        """Only tables that have been on-demand have one (a table created PROVISIONED, with
        BillingMode or without, has none until it first switches)."""
        if self.on_demand_since is None:
            return {}
        return {
            "BillingModeSummary": {
                "BillingMode": self.billing_mode,
                "LastUpdateToPayPerRequestDateTime": self.on_demand_since,
            }
        }

    def _stream_summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        stream = self.stream
        if stream is None:
            return out
        if stream.enabled:
            out["StreamSpecification"] = {
                "StreamEnabled": True,
                "StreamViewType": stream.view_type,
            }
        if stream.label is not None:
            out["LatestStreamLabel"] = stream.label
            out["LatestStreamArn"] = self.stream_arn
        return out

    # --- the catalog document

    def to_document(self) -> bytes:
        def index_doc(i: Index) -> dict[str, Any]:
            return {
                "name": i.name,
                "key": _key_doc(i.key),
                "projection_type": i.projection_type,
                "non_key_attributes": i.non_key_attributes,
                "throughput": None if i.throughput is None else _throughput_doc(i.throughput),
                "warm": None if i.warm is None else list(i.warm),
                "number": i.number,
                "backfilling": i.backfilling,
            }

        return orjson.dumps(
            {
                "table_id": self.table_id,
                "created": self.created,
                "key": _key_doc(self.key),
                "attribute_definitions": self.attribute_definitions,
                "billing_mode": self.billing_mode,
                "on_demand_since": self.on_demand_since,
                "throughput": _throughput_doc(self.throughput),
                "warm": list(self.warm),
                "global_indexes": [index_doc(i) for i in self.global_indexes],
                "local_indexes": [index_doc(i) for i in self.local_indexes],
                "stream": None
                if self.stream is None
                else {
                    "enabled": self.stream.enabled,
                    "view_type": self.stream.view_type,
                    "label": self.stream.label,
                    "disabled_at": self.stream.disabled_at,
                },
                "tags": self.tags,
                "table_class": self.table_class,
                "deletion_protection": self.deletion_protection,
                "sse": self.sse,
                "time_to_live": None
                if self.time_to_live is None
                else {
                    "enabled": self.time_to_live.enabled,
                    "attribute_name": self.time_to_live.attribute_name,
                    "changed_at": self.time_to_live.changed_at,
                },
            }
        )

    @classmethod
    def from_document(
        cls, entry_id: int, account: str, region: str, name: str, document: bytes
    ) -> Table:
        d = orjson.loads(document)

        def index(doc: dict[str, Any], is_global: bool) -> Index:
            tp = doc["throughput"]
            throughput = None if tp is None else Throughput(**tp)
            warm = doc.get("warm")
            if warm is None and is_global:  # a catalog written before indexes kept theirs
                warm = ON_DEMAND_WARM if throughput is None else (throughput.read, throughput.write)
            return Index(
                name=doc["name"],
                key=KeySchema(**doc["key"]),
                projection_type=doc["projection_type"],
                non_key_attributes=doc["non_key_attributes"],
                throughput=throughput,
                warm=None if warm is None else (warm[0], warm[1]),
                number=doc.get("number", 0),
                backfilling=doc.get("backfilling", False),
            )

        stream = d["stream"]
        mode = d["billing_mode"]
        throughput = Throughput(**d["throughput"])
        if "warm" not in d:  # a catalog written before warm throughput was kept
            d["on_demand_since"] = d["billing_mode_updated"] if mode == PAY_PER_REQUEST else None
            d["warm"] = (
                ON_DEMAND_WARM if mode == PAY_PER_REQUEST else (throughput.read, throughput.write)
            )
        return cls(
            id=entry_id,
            account=account,
            region=region,
            name=name,
            table_id=d["table_id"],
            created=d["created"],
            key=KeySchema(**d["key"]),
            attribute_definitions=[(n, t) for n, t in d["attribute_definitions"]],
            billing_mode=mode,
            on_demand_since=d["on_demand_since"],
            throughput=throughput,
            warm=(d["warm"][0], d["warm"][1]),
            global_indexes=[index(i, True) for i in d["global_indexes"]],
            local_indexes=[index(i, False) for i in d["local_indexes"]],
            stream=None if stream is None else StreamSpec(**stream),
            tags=d["tags"],
            table_class=d["table_class"],
            deletion_protection=d["deletion_protection"],
            sse=d["sse"],
            # absent from catalogs written before gureum had Time to Live
            time_to_live=None if (ttl := d.get("time_to_live")) is None else TimeToLive(**ttl),
        )


def _key_doc(key: KeySchema) -> dict[str, Any]:
    return {
        "hash_name": key.hash_name,
        "hash_type": key.hash_type,
        "range_name": key.range_name,
        "range_type": key.range_type,
    }


def _throughput_doc(t: Throughput) -> dict[str, Any]:
    return {
        "read": t.read,
        "write": t.write,
        "last_increase": t.last_increase,
        "last_decrease": t.last_decrease,
        "decreases_today": t.decreases_today,
    }
