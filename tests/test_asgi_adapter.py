"""gureum's ASGI application under a third-party ASGI server (uvicorn), for users who embed
gureum in their own ASGI stack: ``uvicorn --factory gureum.app:asgi_app``."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
import requests

from conftest import client_kwargs, unique_name

pytestmark = pytest.mark.gureum_own


def test_items_round_trip(uvicorn_endpoint: str) -> None:
    ddb: Any = boto3.client("dynamodb", **client_kwargs(uvicorn_endpoint))
    name = unique_name()
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "p", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "p", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.put_item(TableName=name, Item={"p": {"S": "a"}, "n": {"N": "1.50"}})
    assert ddb.get_item(TableName=name, Key={"p": {"S": "a"}})["Item"] == {
        "p": {"S": "a"},
        "n": {"N": "1.5"},
    }
    with pytest.raises(ddb.exceptions.ResourceNotFoundException):
        ddb.describe_table(TableName="no-such-table")


def test_health_and_oversized_body(uvicorn_endpoint: str) -> None:
    health = requests.get(f"{uvicorn_endpoint}/_gureum/health", timeout=5).json()
    assert health["status"] == "healthy"
    r = requests.post(
        f"{uvicorn_endpoint}/",
        headers={"X-Amz-Target": "DynamoDB_20120810.ListTables"},
        data=b" " * (16 * 1024 * 1024 + 1),
        timeout=30,
    )
    assert r.status_code == 413
