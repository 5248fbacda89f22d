"""GetLogEvents: from the head or the tail, time ranges, forward and backward tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import error_of
from logs.conftest import GroupFactory, now_ms

TOKEN = re.compile(r"[fb]/\d{56}/s")


@pytest.fixture
def ten(logs: Any, make_group: GroupFactory) -> tuple[str, int]:
    """A group whose stream ``s`` holds messages m0..m9 at ``start`` + 0..9 ms."""
    group = make_group("s")
    start = now_ms() - 60_000
    logs.put_log_events(
        logGroupName=group,
        logStreamName="s",
        logEvents=[{"timestamp": start + i, "message": f"m{i}"} for i in range(10)],
    )
    return group, start


def messages(out: Any) -> list[str]:
    return [e["message"] for e in out["events"]]


@pytest.mark.aws_documented
def test_shape(logs: Any, ten: tuple[str, int]) -> None:
    group, _ = ten
    out = logs.get_log_events(logGroupName=group, logStreamName="s", limit=1)
    assert set(out) == {"events", "nextForwardToken", "nextBackwardToken", "ResponseMetadata"}
    (event,) = out["events"]
    assert set(event) == {"timestamp", "message", "ingestionTime"}
    assert TOKEN.fullmatch(out["nextForwardToken"]) and out["nextForwardToken"][0] == "f"
    assert TOKEN.fullmatch(out["nextBackwardToken"]) and out["nextBackwardToken"][0] == "b"


@pytest.mark.aws_documented
def test_tail_by_default(logs: Any, ten: tuple[str, int]) -> None:
    group, _ = ten
    out = logs.get_log_events(logGroupName=group, logStreamName="s", limit=3)
    assert messages(out) == ["m7", "m8", "m9"]


@pytest.mark.aws_documented
def test_from_head(logs: Any, ten: tuple[str, int]) -> None:
    group, _ = ten
    out = logs.get_log_events(logGroupName=group, logStreamName="s", limit=3, startFromHead=True)
    assert messages(out) == ["m0", "m1", "m2"]


@pytest.mark.aws_documented
def test_forward_to_the_end(logs: Any, ten: tuple[str, int]) -> None:
    """Reading forward, the end is where the token returned is the token passed."""
    group, _ = ten
    seen: list[str] = []
    kwargs: dict[str, Any] = {"startFromHead": True}
    while True:
        out = logs.get_log_events(logGroupName=group, logStreamName="s", limit=4, **kwargs)
        seen += messages(out)
        if kwargs.get("nextToken") == out["nextForwardToken"]:
            break
        kwargs = {"nextToken": out["nextForwardToken"]}
    assert seen == [f"m{i}" for i in range(10)]
    # new events show up behind the token
    logs.put_log_events(
        logGroupName=group,
        logStreamName="s",
        logEvents=[{"timestamp": now_ms(), "message": "later"}],
    )
    out = logs.get_log_events(logGroupName=group, logStreamName="s", **kwargs)
    assert messages(out) == ["later"]


@pytest.mark.aws_documented
def test_backward(logs: Any, ten: tuple[str, int]) -> None:
    group, _ = ten
    out = logs.get_log_events(logGroupName=group, logStreamName="s", limit=4)
    assert messages(out) == ["m6", "m7", "m8", "m9"]
    out = logs.get_log_events(
        logGroupName=group, logStreamName="s", limit=4, nextToken=out["nextBackwardToken"]
    )
    assert messages(out) == ["m2", "m3", "m4", "m5"]
    out = logs.get_log_events(
        logGroupName=group, logStreamName="s", limit=4, nextToken=out["nextBackwardToken"]
    )
    assert messages(out) == ["m0", "m1"]
    back = out["nextBackwardToken"]
    out = logs.get_log_events(logGroupName=group, logStreamName="s", limit=4, nextToken=back)
    assert messages(out) == []
    assert out["nextBackwardToken"] == back


@pytest.mark.aws_documented
def test_time_range(logs: Any, ten: tuple[str, int]) -> None:
    group, start = ten
    out = logs.get_log_events(
        logGroupName=group,
        logStreamName="s",
        startTime=start + 2,
        endTime=start + 5,
        startFromHead=True,
    )
    assert messages(out) == ["m2", "m3", "m4", "m5"]
    out = logs.get_log_events(
        logGroupName=group, logStreamName="s", startTime=start + 2, endTime=start + 5, limit=2
    )
    assert messages(out) == ["m4", "m5"]


@pytest.mark.aws_documented
def test_empty_stream(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    out = logs.get_log_events(logGroupName=group, logStreamName="s")
    assert out["events"] == []
    assert TOKEN.fullmatch(out["nextForwardToken"])


@pytest.mark.aws_documented
def test_missing(logs: Any, make_group: GroupFactory) -> None:
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as excinfo:
        logs.get_log_events(logGroupName="/no/such/group", logStreamName="s")
    assert error_of(excinfo)[1] == "The specified log group does not exist."
    group = make_group()
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as excinfo:
        logs.get_log_events(logGroupName=group, logStreamName="s")
    assert error_of(excinfo)[1] == "The specified log stream does not exist."


@pytest.mark.aws_documented
def test_limit_bounds(logs: Any, ten: tuple[str, int]) -> None:
    group, _ = ten
    for limit in (0, 10_001):
        with pytest.raises(logs.exceptions.InvalidParameterException):
            logs.get_log_events(logGroupName=group, logStreamName="s", limit=limit)


@pytest.mark.gureum_own
def test_bad_token(logs: Any, ten: tuple[str, int]) -> None:
    group, _ = ten
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.get_log_events(logGroupName=group, logStreamName="s", nextToken="x/1")
