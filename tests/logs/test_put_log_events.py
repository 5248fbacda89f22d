"""PutLogEvents: accepted and rejected events, batch limits, sequence tokens."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import error_of
from logs.conftest import GroupFactory, now_ms

HOUR = 3600 * 1000
DAY = 24 * HOUR


def put(logs: Any, group: str, events: list[tuple[int, str]], stream: str = "s") -> Any:
    return logs.put_log_events(
        logGroupName=group,
        logStreamName=stream,
        logEvents=[{"timestamp": t, "message": m} for t, m in events],
    )


@pytest.mark.aws_documented
def test_put_and_read(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    now = now_ms()
    out = put(logs, group, [(now, "one"), (now, "two"), (now + 1, "three")])
    assert set(out) == {"nextSequenceToken", "ResponseMetadata"}
    events = logs.get_log_events(logGroupName=group, logStreamName="s")["events"]
    assert [(e["timestamp"], e["message"]) for e in events] == [
        (now, "one"),
        (now, "two"),
        (now + 1, "three"),
    ]
    assert all(e["ingestionTime"] >= now - 1000 for e in events)


@pytest.mark.aws_documented
def test_sequence_token_ignored(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    first = put(logs, group, [(now_ms(), "a")])["nextSequenceToken"]
    out = logs.put_log_events(
        logGroupName=group,
        logStreamName="s",
        logEvents=[{"timestamp": now_ms(), "message": "b"}],
        sequenceToken="49039859813409824792749276385739572957239572",
    )
    assert out["nextSequenceToken"] != first
    assert len(out["nextSequenceToken"]) == 56


@pytest.mark.aws_documented
def test_not_chronological(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    now = now_ms()
    with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
        put(logs, group, [(now, "b"), (now - 1, "a")])
    # [gureum]
    assert error_of(excinfo)[1] == (
        "Log events in a single PutLogEvents request must be in chronological order."
    )


@pytest.mark.aws_documented
def test_span_over_24_hours(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    now = now_ms()
    put(logs, group, [(now - DAY, "a"), (now, "b")])  # exactly 24 hours is fine
    with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
        put(logs, group, [(now - DAY - 1, "a"), (now, "b")])
    # [gureum]
    assert error_of(excinfo)[1] == (
        "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."
    )


@pytest.mark.aws_documented
def test_batch_size(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    now = now_ms()
    message = "x" * (1_048_576 // 4 - 26)
    put(logs, group, [(now, message)] * 4)  # exactly 1,048,576 bytes with the overhead
    with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
        put(logs, group, [(now, message)] * 3 + [(now, message + "x")])
    # [gureum]
    assert error_of(excinfo)[1] == "Upload too large: 1048577 bytes exceeds limit of 1048576"


@pytest.mark.aws_documented
def test_batch_count(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    now = now_ms()
    put(logs, group, [(now, "m")] * 10_000)
    with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
        put(logs, group, [(now, "m")] * 10_001)
    assert "Member must have length less than or equal to 10000" in error_of(excinfo)[1]
    with pytest.raises(logs.exceptions.InvalidParameterException):
        put(logs, group, [])


@pytest.mark.aws_documented
def test_too_old_events(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    now = now_ms()
    out = put(
        logs,
        group,
        [
            (now - 14 * DAY - 5 * HOUR, "old"),
            (now - 14 * DAY - HOUR, "old"),
            (now - 14 * DAY + HOUR, "ok"),
        ],
    )
    assert out["rejectedLogEventsInfo"] == {"tooOldLogEventEndIndex": 2}
    events = logs.get_log_events(logGroupName=group, logStreamName="s")["events"]
    assert [e["message"] for e in events] == ["ok"]


@pytest.mark.aws_documented
def test_too_new_events(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    now = now_ms()
    out = put(logs, group, [(now, "ok"), (now + 2 * HOUR + 60_000, "new"), (now + 3 * HOUR, "new")])
    assert out["rejectedLogEventsInfo"] == {"tooNewLogEventStartIndex": 1}
    events = logs.get_log_events(logGroupName=group, logStreamName="s")["events"]
    assert [e["message"] for e in events] == ["ok"]


@pytest.mark.aws_documented
def test_expired_events(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    logs.put_retention_policy(logGroupName=group, retentionInDays=1)
    now = now_ms()
    out = put(logs, group, [(now - DAY - 60_000, "expired"), (now - HOUR, "fine")])
    assert out["rejectedLogEventsInfo"] == {"expiredLogEventEndIndex": 1}
    events = logs.get_log_events(logGroupName=group, logStreamName="s")["events"]
    assert [e["message"] for e in events] == ["fine"]


@pytest.mark.aws_documented
def test_missing_group_and_stream(logs: Any, make_group: GroupFactory) -> None:
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as excinfo:
        put(logs, "/no/such/group", [(now_ms(), "a")])
    assert error_of(excinfo)[1] == "The specified log group does not exist."
    group = make_group()
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as excinfo:
        put(logs, group, [(now_ms(), "a")], stream="nope")
    assert error_of(excinfo)[1] == "The specified log stream does not exist."


@pytest.mark.aws_documented
def test_stored_bytes(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    put(logs, group, [(now_ms(), "héllo")])
    (stored,) = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert stored["storedBytes"] == len("héllo".encode()) + 26


@pytest.mark.aws_documented
def test_empty_message(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
        put(logs, group, [(now_ms(), "")])
    assert "at 'logEvents.1.member.message' failed to satisfy constraint" in error_of(excinfo)[1]
