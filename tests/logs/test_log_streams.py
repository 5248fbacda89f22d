"""CreateLogStream, DeleteLogStream, DescribeLogStreams."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import error_of
from logs.conftest import GroupFactory, now_ms


@pytest.mark.aws_documented
def test_create_and_describe(logs: Any, make_group: GroupFactory) -> None:
    group = make_group()
    before = now_ms()
    logs.create_log_stream(logGroupName=group, logStreamName="web/1")
    (stream,) = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert before <= stream.pop("creationTime") <= now_ms()
    assert stream == {
        "logStreamName": "web/1",
        "uploadSequenceToken": "1".zfill(56),
        "arn": f"arn:aws:logs:us-east-1:000000000000:log-group:{group}:log-stream:web/1",
        "storedBytes": 0,
    }


@pytest.mark.aws_documented
def test_create_existing(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException) as excinfo:
        logs.create_log_stream(logGroupName=group, logStreamName="s")
    # [gureum]
    assert error_of(excinfo)[1] == "The specified log stream already exists"


@pytest.mark.aws_documented
def test_create_in_missing_group(logs: Any) -> None:
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as excinfo:
        logs.create_log_stream(logGroupName="/no/such/group", logStreamName="s")
    assert error_of(excinfo)[1] == "The specified log group does not exist."


@pytest.mark.aws_documented
def test_invalid_name(logs: Any, make_group: GroupFactory) -> None:
    group = make_group()
    with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
        logs.create_log_stream(logGroupName=group, logStreamName="a:b")
    assert error_of(excinfo)[1] == (
        "1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [^:*]*"
    )


@pytest.mark.aws_documented
def test_delete(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s", "t")
    logs.put_log_events(
        logGroupName=group, logStreamName="s", logEvents=[{"timestamp": now_ms(), "message": "x"}]
    )
    logs.delete_log_stream(logGroupName=group, logStreamName="s")
    names = [
        s["logStreamName"] for s in logs.describe_log_streams(logGroupName=group)["logStreams"]
    ]
    assert names == ["t"]
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as excinfo:
        logs.delete_log_stream(logGroupName=group, logStreamName="s")
    assert error_of(excinfo)[1] == "The specified log stream does not exist."
    # a new stream of that name starts empty
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    assert logs.get_log_events(logGroupName=group, logStreamName="s")["events"] == []
    (stored,) = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert stored["storedBytes"] == 0


@pytest.mark.aws_documented
def test_order_and_prefix(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("b", "a", "c", "ab")
    now = now_ms()
    for i, name in enumerate(["c", "a", "b"]):
        logs.put_log_events(
            logGroupName=group,
            logStreamName=name,
            logEvents=[{"timestamp": now + i, "message": name}],
        )

    def names(**kwargs: Any) -> list[str]:
        out = logs.describe_log_streams(logGroupName=group, **kwargs)["logStreams"]
        return [s["logStreamName"] for s in out]

    assert names() == ["a", "ab", "b", "c"]
    assert names(descending=True) == ["c", "b", "ab", "a"]
    assert names(logStreamNamePrefix="a") == ["a", "ab"]
    assert names(orderBy="LastEventTime") == ["ab", "c", "a", "b"]
    assert names(orderBy="LastEventTime", descending=True) == ["b", "a", "c", "ab"]
    with pytest.raises(logs.exceptions.InvalidParameterException):
        names(orderBy="LastEventTime", logStreamNamePrefix="a")


@pytest.mark.aws_documented
def test_event_times(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    now = now_ms()
    out = logs.put_log_events(
        logGroupName=group,
        logStreamName="s",
        logEvents=[{"timestamp": now - 10, "message": "a"}, {"timestamp": now, "message": "b"}],
    )
    (stream,) = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert stream["firstEventTimestamp"] == now - 10
    assert stream["lastEventTimestamp"] == now
    assert stream["lastIngestionTime"] >= now - 10
    assert stream["uploadSequenceToken"] == out["nextSequenceToken"]


@pytest.mark.aws_documented
def test_pages(logs: Any, make_group: GroupFactory) -> None:
    names = [f"s{i:02d}" for i in range(7)]
    group = make_group(*names)
    for kwargs in ({}, {"descending": True}, {"orderBy": "LastEventTime"}):
        seen: list[str] = []
        token: dict[str, Any] = {}
        while True:
            out = logs.describe_log_streams(logGroupName=group, limit=3, **kwargs, **token)
            seen += [s["logStreamName"] for s in out["logStreams"]]
            if "nextToken" not in out:
                break
            token = {"nextToken": out["nextToken"]}
        assert sorted(seen) == names
        assert len(seen) == len(names)


@pytest.mark.aws_documented
def test_by_identifier(logs: Any, make_group: GroupFactory) -> None:
    group = make_group("s")
    arn = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"][0]["logGroupArn"]
    for identifier in (group, arn):
        out = logs.describe_log_streams(logGroupIdentifier=identifier)["logStreams"]
        assert [s["logStreamName"] for s in out] == ["s"]


@pytest.mark.aws_documented
def test_describe_missing_group(logs: Any) -> None:
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as excinfo:
        logs.describe_log_streams(logGroupName="/no/such/group")
    assert error_of(excinfo)[1] == "The specified log group does not exist."
