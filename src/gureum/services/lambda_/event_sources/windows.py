"""Tumbling windows (TumblingWindowInSeconds): the window a stream record falls in, the state
a function carries through a window of one shard, and the DynamoDBTimeWindowEvent it gets.

"Lambda determines tumbling window boundaries based on the time when records were inserted
into the stream": a record belongs to the window of its ApproximateCreationDateTime. Windows are
fixed intervals counted from the epoch (AWS's examples show windows starting on whole multiples
of their length, 17:00:00 to 17:05:00), so every shard cuts the same boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson

from gureum.services.lambda_.event_sources import limits
from gureum.services.lambda_.event_sources.events import iso_seconds


def start_of(record: dict[str, Any], size: int) -> int:
    """The start (epoch seconds) of the window of ``size`` seconds that ``record`` falls in."""
    created = int(record["dynamodb"]["ApproximateCreationDateTime"])
    return created - created % size


@dataclass(slots=True)
class Window:
    """The open window of a shard and the state its last successful invocation returned."""

    start: int
    size: int
    state: dict[str, Any] = field(default_factory=dict)
    terminated_early: bool = False

    @property
    def end(self) -> int:
        return self.start + self.size

    @property
    def closes_at(self) -> float:
        """When the window is taken as over (its end, plus a moment for records written just
        before the end to reach the lane)."""
        return self.end + limits.WINDOW_CLOSE_GRACE_SECONDS

    def holds(self, record: dict[str, Any]) -> bool:
        return start_of(record, self.size) == self.start

    def keep(self, state: dict[str, Any]) -> None:
        """Carry ``state`` to the next invocation; past the state limit the window ends early
        ("If it exceeds that size, Lambda terminates the window early")."""
        self.state = state
        if len(orjson.dumps(state)) > limits.MAX_WINDOW_STATE_BYTES:
            self.terminated_early = True

    def document(self) -> dict[str, Any]:
        """What the mapping's record keeps of the window, so a restart resumes it."""
        return {"start": self.start, "size": self.size, "state": self.state}

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Window:
        return cls(document["start"], document["size"], document["state"])


def event(
    records: list[dict[str, Any]], window: Window, shard_id: str, stream_arn: str, final: bool
) -> dict[str, Any]:
    """The DynamodbTimeWindowEvent, members in the order of AWS's example."""
    return {
        "Records": records,
        "window": {"start": iso_seconds(window.start), "end": iso_seconds(window.end)},
        "state": window.state,
        "shardId": shard_id,
        "eventSourceARN": stream_arn,
        "isFinalInvokeForWindow": final,
        "isWindowTerminatedEarly": window.terminated_early,
    }


def state_of(response: Any) -> dict[str, Any] | None:
    """The ``state`` of a function's TimeWindowEventResponse; None if there is none, which
    "Lambda considers ... a failed invocation" ([gureum]: so is a state that is not an object)."""
    state = response.get("state") if isinstance(response, dict) else None
    return state if isinstance(state, dict) else None
