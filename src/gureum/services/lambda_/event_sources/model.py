"""Event source mappings: the typed record (stored as a catalog record of kind
``lambda-event-source-mapping``, with its per-shard checkpoints) and the store keeping them by
UUID."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.arns import make_arn

if TYPE_CHECKING:
    from gureum.storage.engine import Engine

MAPPING_KIND = "lambda-event-source-mapping"
_RECORD_PREFIX = "lambda:event-source-mapping:"

NO_RECORDS = "No records processed"
OK = "OK"
FUNCTION_FAILED = "PROBLEM: Function call failed"
FUNCTION_GONE = "PROBLEM: Function not found"  # [gureum]
STREAM_GONE = "PROBLEM: Stream not found"  # [gureum]
USER_ACTION = "User action"


@dataclass(slots=True)
class Mapping:
    uuid: str
    account: str
    region: str
    function_arn: str
    event_source_arn: str
    starting_position: str
    last_modified: float
    batch_size: int
    batching_window: int
    parallelization: int
    retry_attempts: int
    record_age: int
    bisect: bool
    response_types: list[str]
    on_failure: str | None
    filter_criteria: dict[str, Any] | None
    tumbling_window: int
    enabled: bool
    state: str = "Creating"
    last_result: str = NO_RECORDS
    # per shard: the SequenceNumber of the last record done with; a shard in ``finished``
    # was read to its end
    checkpoints: dict[str, str] = field(default_factory=dict)
    finished: list[str] = field(default_factory=list)
    # per shard: its open tumbling window (``windows.Window.document()``), kept with the
    # checkpoint so that a restart resumes the window's state
    windows: dict[str, dict[str, Any]] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)  # TagResource's (not in the config)
    entry_id: int = 0

    @property
    def arn(self) -> str:
        return make_arn("lambda", self.region, self.account, f"event-source-mapping:{self.uuid}")

    def configuration(self) -> dict[str, Any]:
        """The EventSourceMappingConfiguration."""
        out: dict[str, Any] = {
            "UUID": self.uuid,
            "StartingPosition": self.starting_position,
            "BatchSize": self.batch_size,
            "MaximumBatchingWindowInSeconds": self.batching_window,
            "ParallelizationFactor": self.parallelization,
            "EventSourceArn": self.event_source_arn,
        }
        if self.filter_criteria:
            out["FilterCriteria"] = self.filter_criteria
        out.update(
            {
                "FunctionArn": self.function_arn,
                "LastModified": round(self.last_modified, 3),
                "LastProcessingResult": self.last_result,
                "State": self.state,
                "StateTransitionReason": USER_ACTION,
                "DestinationConfig": {
                    "OnFailure": {"Destination": self.on_failure} if self.on_failure else {}
                },
                "MaximumRecordAgeInSeconds": self.record_age,
                "BisectBatchOnFunctionError": self.bisect,
                "MaximumRetryAttempts": self.retry_attempts,
                "TumblingWindowInSeconds": self.tumbling_window,
                "FunctionResponseTypes": list(self.response_types),
                "EventSourceMappingArn": self.arn,
            }
        )
        return out

    def to_document(self) -> bytes:
        document = asdict(self)
        del document["entry_id"]
        return orjson.dumps(document)

    @classmethod
    def from_document(cls, entry_id: int, document: bytes) -> Mapping:
        fields: dict[str, Any] = orjson.loads(document)
        return cls(**fields, entry_id=entry_id)


class MappingStore:
    """Every mapping, by UUID, kept in the engine's catalog (checkpoints included)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._mappings: dict[str, Mapping] = {}
        for entry in engine.records(MAPPING_KIND):
            mapping = Mapping.from_document(entry.id, entry.document)
            self._mappings[mapping.uuid] = mapping

    def get(self, uuid: str) -> Mapping | None:
        return self._mappings.get(uuid)

    def all(self) -> list[Mapping]:
        return list(self._mappings.values())

    def add(self, mapping: Mapping) -> None:
        mapping.entry_id = self._engine.create_record(
            MAPPING_KIND,
            mapping.account,
            mapping.region,
            _RECORD_PREFIX + mapping.uuid,
            mapping.to_document(),
            with_items=False,
        )
        self._mappings[mapping.uuid] = mapping

    def save(self, mapping: Mapping) -> None:
        if self._mappings.get(mapping.uuid) is mapping:
            self._engine.update_entry(mapping.entry_id, mapping.to_document())

    def remove(self, mapping: Mapping) -> None:
        self._engine.drop_entry(mapping.entry_id)
        del self._mappings[mapping.uuid]
