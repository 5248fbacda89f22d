"""The AWS JSON 1.1 protocol of CloudWatch Logs on gureum's one port."""

from __future__ import annotations

from typing import Any

import pytest
import requests

HEADERS = {"Content-Type": "application/x-amz-json-1.1"}


def call(endpoint: str, operation: str, body: bytes) -> requests.Response:
    headers = {**HEADERS, "X-Amz-Target": f"Logs_20140328.{operation}"}
    return requests.post(endpoint, data=body, headers=headers, timeout=10)


@pytest.mark.aws_documented
def test_content_type(endpoint: str) -> None:
    reply = call(endpoint, "DescribeLogGroups", b"{}")
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert "logGroups" in reply.json()


@pytest.mark.aws_documented
def test_error_body(endpoint: str) -> None:
    reply = call(endpoint, "DeleteLogGroup", b'{"logGroupName": "/no/such/group"}')
    assert reply.status_code == 400
    assert reply.headers["Content-Type"] == "application/x-amz-json-1.1"
    assert reply.json() == {
        "__type": "ResourceNotFoundException",
        "message": "The specified log group does not exist.",
    }


@pytest.mark.aws_documented
def test_missing_member(endpoint: str) -> None:
    reply = call(endpoint, "CreateLogGroup", b"{}")
    assert reply.status_code == 400
    assert reply.json()["__type"] == "InvalidParameterException"


@pytest.mark.aws_documented
def test_wrong_json_type(endpoint: str) -> None:
    reply = call(endpoint, "CreateLogGroup", b'{"logGroupName": 5}')
    assert reply.status_code == 400
    assert reply.json()["__type"].endswith("SerializationException")
    assert call(endpoint, "CreateLogGroup", b"not json").status_code == 400


@pytest.mark.aws_documented
def test_unknown_operation(endpoint: str) -> None:
    reply = call(endpoint, "NoSuchOperation", b"{}")
    assert reply.status_code == 400
    assert reply.json()["__type"].endswith("UnknownOperationException")


@pytest.mark.gureum_own
def test_dynamodb_stays_json_10(ddb: Any, endpoint: str) -> None:
    reply = requests.post(
        endpoint,
        data=b"{}",
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
        },
        timeout=10,
    )
    assert reply.headers["Content-Type"] == "application/x-amz-json-1.0"
