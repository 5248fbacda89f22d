"""The REST-JSON protocol over raw HTTP: routing by method and path, errors, bad input."""

from __future__ import annotations

import base64
import io
import zipfile

import orjson
import pytest
import requests

BASE = "/2015-03-31/functions"
ROLE = "arn:aws:iam::000000000000:role/r"


def _zip() -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(e, c):\n    return e\n")
    return base64.b64encode(buffer.getvalue()).decode()


def _create(endpoint: str, name: str) -> requests.Response:
    body = {
        "FunctionName": name,
        "Runtime": "python3.12",
        "Role": ROLE,
        "Handler": "app.handler",
        "Code": {"ZipFile": _zip()},
    }
    return requests.post(endpoint + BASE, data=orjson.dumps(body), timeout=5)


@pytest.mark.aws_documented
def test_error_shape_and_header(endpoint: str) -> None:
    reply = requests.get(f"{endpoint}{BASE}/absent-fn", timeout=5)
    assert reply.status_code == 404
    assert reply.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert reply.headers["content-type"] == "application/json"
    assert reply.headers["x-amzn-RequestId"]
    assert reply.json() == {
        "Type": "User",
        "Message": "Function not found: arn:aws:lambda:us-east-1:000000000000:function:absent-fn",
    }


@pytest.mark.aws_documented
def test_created_status_and_percent_encoded_arn(endpoint: str) -> None:
    reply = _create(endpoint, "rest-raw-1")
    assert reply.status_code == 201
    arn = reply.json()["FunctionArn"]
    encoded = arn.replace(":", "%3A")
    got = requests.get(f"{endpoint}{BASE}/{encoded}/configuration", timeout=5)
    assert got.status_code == 200
    assert got.json()["FunctionArn"] == arn
    deleted = requests.delete(f"{endpoint}{BASE}/rest-raw-1", timeout=5)
    assert deleted.status_code == 204
    assert deleted.content == b""


@pytest.mark.aws_documented
def test_region_from_the_credential_scope(endpoint: str) -> None:
    auth = (
        "AWS4-HMAC-SHA256 Credential=test/20240101/eu-central-1/lambda/aws4_request, "
        "SignedHeaders=host, Signature=0"
    )
    reply = requests.get(f"{endpoint}{BASE}/x", headers={"Authorization": auth}, timeout=5)
    assert "arn:aws:lambda:eu-central-1:000000000000:function:x" in reply.json()["Message"]


@pytest.mark.gureum_own
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", BASE, b"{not json"),
        ("POST", BASE, b"[1, 2]"),
        ("POST", BASE, b'{"FunctionName": 5}'),
        (
            "POST",
            BASE,
            b'{"FunctionName": "f", "Runtime": "python3.12", "Role": "'
            + ROLE.encode()
            + b'", "Handler": "a.b", "Code": {"ZipFile": "***"}}',
        ),
        ("POST", BASE, b""),
        ("GET", BASE + "?MaxItems=abc", b""),
        ("GET", BASE + "?MaxItems=0", b""),
        ("PATCH", BASE, b""),
        ("GET", "/2015-03-31/nothing/here", b""),
        ("PUT", BASE + "/x/code", b"{}"),
        ("GET", BASE + "/%ZZ", b""),
    ],
)
def test_bad_input_is_never_a_500(endpoint: str, method: str, path: str, body: bytes) -> None:
    reply = requests.request(method, endpoint + path, data=body, timeout=5)
    assert 400 <= reply.status_code < 500, reply.text
    assert reply.headers["x-amzn-ErrorType"]
    document = reply.json()
    assert document["Type"] == "User"


@pytest.mark.gureum_own
def test_dynamodb_root_unchanged(endpoint: str) -> None:
    assert requests.get(endpoint + "/", timeout=5).text == "healthy: gureum"
    assert requests.get(endpoint + "/2015-03-31", timeout=5).status_code == 404
    assert requests.get(endpoint + "/_gureum/health", timeout=5).status_code == 200
