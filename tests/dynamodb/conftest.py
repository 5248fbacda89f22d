"""Helpers shared by the DynamoDB tests: raw SigV4-signed HTTP requests (to see the wire as
DynamoDB sends it, ``__type`` prefixes and headers included) and clients acting as other
accounts or regions."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

TARGET_PREFIX = "DynamoDB_20120810"
JSON_10 = "application/x-amz-json-1.0"

RawCall = Callable[..., requests.Response]
ClientFactory = Callable[..., Any]


def signed_post(
    endpoint: str,
    target: str | None,
    body: bytes | str,
    *,
    access_key: str = "test",
    region: str = "us-east-1",
    headers: dict[str, str] | None = None,
) -> requests.Response:
    """POST ``body`` to ``endpoint`` signed with SigV4 as boto3 would sign it."""
    data = body.encode() if isinstance(body, str) else body
    all_headers = {"Content-Type": JSON_10}
    if target is not None:
        all_headers["X-Amz-Target"] = target
    all_headers.update(headers or {})
    request = AWSRequest(method="POST", url=f"{endpoint}/", data=data, headers=all_headers)
    SigV4Auth(Credentials(access_key, "secret"), "dynamodb", region).add_auth(request)
    prepared = request.prepare()
    return requests.post(prepared.url, headers=dict(prepared.headers), data=data, timeout=60)


@pytest.fixture
def raw(endpoint: str) -> RawCall:
    """``raw("PutItem", {...})``: one signed DynamoDB request; the payload is a dict (sent as
    JSON) or the exact body bytes/text."""

    def call(operation: str, payload: Any = None, **kwargs: Any) -> requests.Response:
        if payload is None:
            body: bytes | str = b"{}"
        elif isinstance(payload, bytes | str):
            body = payload
        else:
            body = json.dumps(payload)
        return signed_post(endpoint, f"{TARGET_PREFIX}.{operation}", body, **kwargs)

    return call


@pytest.fixture
def client_as(endpoint: str) -> ClientFactory:
    """``client_as(access_key, region)``: a low-level client signing as another principal."""

    def make(access_key: str = "test", region: str = "us-east-1") -> Any:
        return boto3.client(
            "dynamodb",
            endpoint_url=endpoint,
            region_name=region,
            aws_access_key_id=access_key,
            aws_secret_access_key="secret",
            config=Config(retries={"max_attempts": 0}, parameter_validation=False),
        )

    return make
