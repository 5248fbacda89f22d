"""Shared fixtures of the expression tests: items written to the shared ``table_s`` table
(string partition key ``p``) and read back with a consistent read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from conftest import new_key

if TYPE_CHECKING:
    from collections.abc import Callable

Item = dict[str, Any]


@pytest.fixture
def put(ddb: Any, table_s: str) -> Callable[..., Item]:
    """``put(a={"N": "1"}, ...)``: store a fresh item in ``table_s``; returns its key."""

    def store(**attributes: Any) -> Item:
        key = {"p": {"S": new_key()}}
        ddb.put_item(TableName=table_s, Item={**key, **attributes})
        return key

    return store


@pytest.fixture
def read(ddb: Any, table_s: str) -> Callable[[Item], Item | None]:
    """``read(key)``: the stored item (consistent read), or None when absent."""

    def fetch(key: Item) -> Item | None:
        item: Item | None = ddb.get_item(TableName=table_s, Key=key, ConsistentRead=True).get(
            "Item"
        )
        return item

    return fetch
