"""FilterLogEvents: stream selection, time ranges, filter patterns, pages."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import error_of
from logs.conftest import now_ms

LINES = [
    ("a", "ERROR disk full"),
    ("b", "INFO started"),
    ("a", "WARN Out of memory soon"),
    ("b", "ERROR Exiting now"),
    ("c", json.dumps({"level": "error", "latency": 250, "user": {"id": 7}, "ok": False})),
    ("c", json.dumps({"level": "info", "latency": 20, "user": {"id": 8}, "ok": True})),
    ("a", json.dumps({"level": "warning", "latency": 90, "tags": ["x", "y"], "n": None})),
]


@pytest.fixture(scope="module")
def sample(logs: Any) -> Any:
    """A group with streams a, b, c holding LINES at start + index ms."""
    name = f"/filter/{now_ms()}"
    logs.create_log_group(logGroupName=name)
    start = now_ms() - 60_000
    for stream in "abc":
        logs.create_log_stream(logGroupName=name, logStreamName=stream)
        events = [
            {"timestamp": start + i, "message": m} for i, (s, m) in enumerate(LINES) if s == stream
        ]
        logs.put_log_events(logGroupName=name, logStreamName=stream, logEvents=events)
    yield name, start
    logs.delete_log_group(logGroupName=name)


def found(logs: Any, group: str, **kwargs: Any) -> list[int]:
    """Indexes into LINES of the events found."""
    out = logs.filter_log_events(logGroupName=group, **kwargs)
    return [[m for _, m in LINES].index(e["message"]) for e in out["events"]]


@pytest.mark.aws_documented
def test_all_interleaved(logs: Any, sample: Any) -> None:
    group, start = sample
    out = logs.filter_log_events(logGroupName=group)
    assert [e["message"] for e in out["events"]] == [m for _, m in LINES]
    first = out["events"][0]
    assert set(first) == {"logStreamName", "timestamp", "message", "ingestionTime", "eventId"}
    assert first["logStreamName"] == "a" and first["timestamp"] == start
    assert out["searchedLogStreams"] == []
    assert "nextToken" not in out
    assert len({e["eventId"] for e in out["events"]}) == len(LINES)


@pytest.mark.aws_documented
@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("", [0, 1, 2, 3, 4, 5, 6]),
        ("ERROR", [0, 3]),
        ("error", [4]),
        ("ERROR disk", [0]),
        ('"Out of memory"', [2]),
        ("ERROR -Exiting", [0]),
        ("?ERROR ?WARN", [0, 2, 3]),
        ('{ $.level = "error" }', [4]),
        ("{ $.level = error }", [4]),
        ('{ $.level = "warn*" }', [6]),
        ('{ $.level != "error" }', [5, 6]),
        ("{ $.latency > 50 }", [4, 6]),
        ("{ $.latency <= 90 }", [5, 6]),
        ("{ $.user.id = 7 }", [4]),
        ('{ $.tags[1] = "y" }', [6]),
        ("{ $.ok IS FALSE }", [4]),
        ("{ $.ok IS TRUE }", [5]),
        ("{ $.n IS NULL }", [6]),
        ("{ $.user NOT EXISTS }", [6]),
        ('{ ($.latency > 200) || ($.level = "info") }', [4, 5]),
        ('{ $.latency > 10 && $.level = "info" }', [5]),
    ],
)
def test_patterns(logs: Any, sample: Any, pattern: str, expected: list[int]) -> None:
    group, _ = sample
    assert found(logs, group, filterPattern=pattern) == expected


@pytest.mark.gureum_own
@pytest.mark.parametrize("pattern", ["{ $.a = ", "{ $.a > x }", "[a, b]", '{ $.a = "x" '])
def test_bad_patterns(logs: Any, sample: Any, pattern: str) -> None:
    group, _ = sample
    with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
        logs.filter_log_events(logGroupName=group, filterPattern=pattern)
    assert error_of(excinfo)[1] == "Invalid filter pattern"  # [gureum]


@pytest.mark.aws_documented
def test_streams(logs: Any, sample: Any) -> None:
    group, _ = sample
    assert found(logs, group, logStreamNames=["b", "c"]) == [1, 3, 4, 5]
    assert found(logs, group, logStreamNames=["b", "zz"]) == [1, 3]
    assert found(logs, group, logStreamNamePrefix="a") == [0, 2, 6]
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.filter_log_events(logGroupName=group, logStreamNames=["a"], logStreamNamePrefix="a")


@pytest.mark.aws_documented
def test_time_range(logs: Any, sample: Any) -> None:
    group, start = sample
    assert found(logs, group, startTime=start + 2, endTime=start + 4) == [2, 3, 4]


@pytest.mark.aws_documented
def test_pages(logs: Any, sample: Any) -> None:
    group, _ = sample
    seen: list[str] = []
    kwargs: dict[str, Any] = {"limit": 2, "filterPattern": "-started"}
    while True:
        out = logs.filter_log_events(logGroupName=group, **kwargs)
        assert len(out["events"]) <= 2
        seen += [e["message"] for e in out["events"]]
        if "nextToken" not in out:
            break
        kwargs["nextToken"] = out["nextToken"]
    assert seen == [m for i, (_, m) in enumerate(LINES) if i != 1]
    paginator = logs.get_paginator("filter_log_events")
    pages = paginator.paginate(logGroupName=group, PaginationConfig={"PageSize": 3})
    assert [e["message"] for p in pages for e in p["events"]] == [m for _, m in LINES]


@pytest.mark.aws_documented
def test_missing_group(logs: Any) -> None:
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as excinfo:
        logs.filter_log_events(logGroupName="/no/such/group")
    assert error_of(excinfo)[1] == "The specified log group does not exist."


@pytest.mark.aws_documented
def test_by_identifier(logs: Any, sample: Any) -> None:
    group, _ = sample
    described = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]
    out = logs.filter_log_events(logGroupIdentifier=described["logGroupArn"], filterPattern="ERROR")
    assert len(out["events"]) == 2
    # the identifier is the ARN without its ":*"
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.filter_log_events(logGroupIdentifier=described["arn"])
