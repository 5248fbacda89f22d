"""ListFunctions."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import GureumProcess, error_of
from lambda_.conftest import ROLE, make_zip

pytestmark = pytest.mark.aws_documented


@pytest.fixture(scope="module")
def fresh() -> Any:
    """A server of its own, so that the listing holds only this module's functions."""
    server = GureumProcess(None)
    server.start()
    client = server.client("lambda")
    for i in range(5):
        client.create_function(
            FunctionName=f"f{i}",
            Runtime="python3.12",
            Role=ROLE,
            Handler="app.handler",
            Code={"ZipFile": make_zip()},
        )
    yield client
    server.stop()


def test_lists_all_by_name(fresh: Any) -> None:
    response = fresh.list_functions()
    assert [f["FunctionName"] for f in response["Functions"]] == ["f0", "f1", "f2", "f3", "f4"]
    assert "NextMarker" not in response
    assert response["Functions"][0]["State"] == "Active"


def test_pages(fresh: Any) -> None:
    first = fresh.list_functions(MaxItems=2)
    assert [f["FunctionName"] for f in first["Functions"]] == ["f0", "f1"]
    second = fresh.list_functions(MaxItems=2, Marker=first["NextMarker"])
    assert [f["FunctionName"] for f in second["Functions"]] == ["f2", "f3"]
    third = fresh.list_functions(MaxItems=2, Marker=second["NextMarker"])
    assert [f["FunctionName"] for f in third["Functions"]] == ["f4"]
    assert "NextMarker" not in third


def test_paginator(fresh: Any) -> None:
    pages = fresh.get_paginator("list_functions").paginate(PaginationConfig={"PageSize": 2})
    assert [f["FunctionName"] for page in pages for f in page["Functions"]] == [
        "f0",
        "f1",
        "f2",
        "f3",
        "f4",
    ]


@pytest.mark.parametrize("items", [0, 10001])
def test_max_items_out_of_range(fresh: Any, items: int) -> None:
    with pytest.raises(fresh.exceptions.ClientError) as exc:
        fresh.list_functions(MaxItems=items)
    code, message = error_of(exc)
    assert code == "ValidationException"
    assert f"Value '{items}' at 'maxItems' failed to satisfy constraint" in message


def test_other_region_is_empty(fresh: Any) -> None:
    import boto3

    from conftest import client_kwargs

    endpoint = fresh.meta.endpoint_url
    other = boto3.client("lambda", **client_kwargs(endpoint, region_name="eu-west-1"))
    assert other.list_functions()["Functions"] == []
