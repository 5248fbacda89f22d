"""ListFunctions."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import GureumProcess, error_of
from lambda_.conftest import create_function, make_zip

pytestmark = pytest.mark.aws_documented


def _create(client: Any, name: str) -> None:
    create_function(
        client,
        FunctionName=name,
        Code={"ZipFile": make_zip()},
    )


@pytest.fixture(scope="module")
def fresh() -> Any:
    """A server of its own, so that the listing holds only this module's functions."""
    server = GureumProcess(None)
    server.start()
    client = server.client("lambda")
    for i in range(5):
        _create(client, f"f{i}")
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


def test_every_version(fresh: Any) -> None:
    """FunctionVersion ALL: each function's $LATEST followed by its published versions, paged
    by entries."""
    for _ in range(2):
        fresh.publish_version(FunctionName="f1")
        fresh.update_function_configuration(FunctionName="f1", Description="changed")
    listed = fresh.list_functions(FunctionVersion="ALL")["Functions"]
    assert [(f["FunctionName"], f["Version"]) for f in listed] == [
        ("f0", "$LATEST"),
        ("f1", "$LATEST"),
        ("f1", "1"),
        ("f1", "2"),
        ("f2", "$LATEST"),
        ("f3", "$LATEST"),
        ("f4", "$LATEST"),
    ]
    assert listed[1]["FunctionArn"].endswith(":function:f1")
    assert listed[2]["FunctionArn"].endswith(":function:f1:1")
    pages = fresh.get_paginator("list_functions").paginate(
        FunctionVersion="ALL", PaginationConfig={"PageSize": 2}
    )
    assert [f["FunctionArn"] for page in pages for f in page["Functions"]] == [
        f["FunctionArn"] for f in listed
    ]
    # without ALL, only $LATEST
    assert len(fresh.list_functions()["Functions"]) == 5


def test_at_most_50_per_page() -> None:
    """ "ListFunctions returns a maximum of 50 items in each response, even if you set the
    number higher.\""""
    server = GureumProcess(None)
    server.start()
    try:
        client = server.client("lambda")
        for i in range(51):
            _create(client, f"g{i:02d}")
        first = client.list_functions(MaxItems=100)
        assert len(first["Functions"]) == 50
        second = client.list_functions(MaxItems=100, Marker=first["NextMarker"])
        assert [f["FunctionName"] for f in second["Functions"]] == ["g50"]
        assert "NextMarker" not in second
    finally:
        server.stop()
