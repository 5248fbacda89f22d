"""CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy, DeleteRetentionPolicy."""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest

from conftest import CREDENTIALS, REGION, error_of, unique_name
from logs.conftest import GroupFactory, now_ms


@pytest.mark.aws_documented
def test_create_and_describe(logs: Any, make_group: GroupFactory) -> None:
    before = now_ms()
    name = make_group()
    (group,) = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    assert before <= group.pop("creationTime") <= now_ms()
    assert group == {
        "logGroupName": name,
        "metricFilterCount": 0,
        "arn": f"arn:aws:logs:us-east-1:000000000000:log-group:{name}:*",
        "storedBytes": 0,
        "logGroupClass": "STANDARD",
        "logGroupArn": f"arn:aws:logs:us-east-1:000000000000:log-group:{name}",
    }


@pytest.mark.aws_documented
def test_create_with_class_and_tags(logs: Any, make_group: GroupFactory) -> None:
    name = make_group(logGroupClass="INFREQUENT_ACCESS", tags={"team": "a"})
    (group,) = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    assert group["logGroupClass"] == "INFREQUENT_ACCESS"


@pytest.mark.aws_documented
def test_create_existing(logs: Any, make_group: GroupFactory) -> None:
    name = make_group()
    with pytest.raises(logs.exceptions.ResourceAlreadyExistsException) as excinfo:
        logs.create_log_group(logGroupName=name)
    assert error_of(excinfo) == (
        "ResourceAlreadyExistsException",
        "The specified log group already exists",
    )


@pytest.mark.aws_documented
def test_invalid_name(logs: Any) -> None:
    with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
        logs.create_log_group(logGroupName="has space")
    assert error_of(excinfo) == (
        "InvalidParameterException",
        "1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    )
    with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
        logs.create_log_group(logGroupName="a" * 513)
    assert "Member must have length less than or equal to 512" in error_of(excinfo)[1]


@pytest.mark.aws_documented
def test_same_name_as_a_table_is_fine(logs: Any, ddb: Any, table_s: str) -> None:
    logs.create_log_group(logGroupName=table_s)
    try:
        assert ddb.describe_table(TableName=table_s)["Table"]["TableName"] == table_s
    finally:
        logs.delete_log_group(logGroupName=table_s)


@pytest.mark.aws_documented
def test_delete(logs: Any, make_group: GroupFactory) -> None:
    name = make_group("s")
    logs.delete_log_group(logGroupName=name)
    assert logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"] == []
    with pytest.raises(logs.exceptions.ResourceNotFoundException) as excinfo:
        logs.delete_log_group(logGroupName=name)
    assert error_of(excinfo) == (
        "ResourceNotFoundException",
        "The specified log group does not exist.",
    )
    # the name is free again, with no streams
    logs.create_log_group(logGroupName=name)
    assert logs.describe_log_streams(logGroupName=name)["logStreams"] == []
    logs.delete_log_group(logGroupName=name)


@pytest.mark.aws_documented
def test_describe_pages(logs: Any, make_group: GroupFactory) -> None:
    prefix = f"/pages/{unique_name()}/"
    names = [make_group(logGroupName=f"{prefix}{i}") for i in range(5)]
    seen: list[str] = []
    kwargs: dict[str, Any] = {"logGroupNamePrefix": prefix, "limit": 2}
    while True:
        out = logs.describe_log_groups(**kwargs)
        seen += [g["logGroupName"] for g in out["logGroups"]]
        if "nextToken" not in out:
            break
        kwargs["nextToken"] = out["nextToken"]
    assert seen == names
    paginator = logs.get_paginator("describe_log_groups")
    pages = paginator.paginate(logGroupNamePrefix=prefix, PaginationConfig={"PageSize": 3})
    assert [g["logGroupName"] for p in pages for g in p["logGroups"]] == names


@pytest.mark.aws_documented
def test_describe_pattern(logs: Any, make_group: GroupFactory) -> None:
    marker = unique_name("Mark")
    name = make_group(logGroupName=f"/x/{marker}/y")
    out = logs.describe_log_groups(logGroupNamePattern=marker.lower())["logGroups"]
    assert [g["logGroupName"] for g in out] == [name]
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.describe_log_groups(logGroupNamePattern="a", logGroupNamePrefix="a")


@pytest.mark.aws_documented
def test_describe_limit_bounds(logs: Any) -> None:
    for limit in (0, 51):
        with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
            logs.describe_log_groups(limit=limit)
        assert "at 'limit' failed to satisfy constraint" in error_of(excinfo)[1]


@pytest.mark.gureum_own
def test_describe_bad_token(logs: Any) -> None:
    with pytest.raises(logs.exceptions.InvalidParameterException):
        logs.describe_log_groups(nextToken="not-a-token")


@pytest.mark.aws_documented
def test_retention(logs: Any, make_group: GroupFactory) -> None:
    name = make_group()
    logs.put_retention_policy(logGroupName=name, retentionInDays=30)
    (group,) = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    assert group["retentionInDays"] == 30
    logs.delete_retention_policy(logGroupName=name)
    (group,) = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
    assert "retentionInDays" not in group


@pytest.mark.aws_documented
def test_retention_values(logs: Any, make_group: GroupFactory) -> None:
    name = make_group()
    for days in (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827):
        logs.put_retention_policy(logGroupName=name, retentionInDays=days)
    with pytest.raises(logs.exceptions.InvalidParameterException) as excinfo:
        logs.put_retention_policy(logGroupName=name, retentionInDays=2)
    assert error_of(excinfo) == (
        "InvalidParameterException",
        # [gureum] (the enum text of the front end)
        "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy "
        "constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, "
        "180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]",
    )


@pytest.mark.aws_documented
def test_retention_of_missing_group(logs: Any) -> None:
    for call in (
        lambda: logs.put_retention_policy(logGroupName="/no/such/group", retentionInDays=1),
        lambda: logs.delete_retention_policy(logGroupName="/no/such/group"),
    ):
        with pytest.raises(logs.exceptions.ResourceNotFoundException) as excinfo:
            call()
        assert error_of(excinfo)[1] == "The specified log group does not exist."


@pytest.mark.aws_documented
def test_validating_client(endpoint: str) -> None:
    """boto3 as users create it, with client-side validation, works unchanged."""
    client = boto3.client("logs", endpoint_url=endpoint, region_name=REGION, **CREDENTIALS)
    name = f"/validating/{unique_name()}"
    client.create_log_group(logGroupName=name)
    assert client.describe_log_groups(logGroupNamePrefix=name)["logGroups"][0]["logGroupName"]
    client.delete_log_group(logGroupName=name)


@pytest.mark.gureum_own
def test_retention_deletes_old_events(logs: Any, make_group: GroupFactory) -> None:
    """A sweep after a retention change deletes the events older than the new period."""
    group = make_group("s")
    now = now_ms()
    day = 24 * 3600 * 1000
    logs.put_log_events(
        logGroupName=group,
        logStreamName="s",
        logEvents=[
            {"timestamp": now - 2 * day, "message": "old"},
            {"timestamp": now - 2 * day + 1, "message": "old"},
        ],
    )
    logs.put_log_events(
        logGroupName=group, logStreamName="s", logEvents=[{"timestamp": now, "message": "new"}]
    )
    logs.put_retention_policy(logGroupName=group, retentionInDays=1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        events = logs.get_log_events(logGroupName=group, logStreamName="s")["events"]
        if [e["message"] for e in events] == ["new"]:
            break
        time.sleep(0.1)
    assert [e["message"] for e in events] == ["new"]
    (stream,) = logs.describe_log_streams(logGroupName=group)["logStreams"]
    assert stream["firstEventTimestamp"] == now
    (stored,) = logs.describe_log_groups(logGroupNamePrefix=group)["logGroups"]
    assert stored["storedBytes"] == 3 + 26
