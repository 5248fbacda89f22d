"""Fixtures of the DynamoDB Streams tests: a ``dynamodbstreams`` client of the session server,
and helpers making stream-enabled tables and reading their one shard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3
import pytest

from conftest import TableFactory, client_kwargs, create_table

StreamTable = Callable[..., tuple[str, str]]


@pytest.fixture(scope="session")
def streams(endpoint: str) -> Any:
    """A low-level boto3 DynamoDB Streams client (no client-side parameter validation)."""
    return boto3.client("dynamodbstreams", **client_kwargs(endpoint))


@pytest.fixture
def stream_table(ddb: Any, make_table: TableFactory) -> StreamTable:
    """``stream_table(view_type)``: a table (hash key ``p``, string) with a stream of that view
    type; returns (table name, stream ARN)."""

    def create(view_type: str = "NEW_AND_OLD_IMAGES", **extra: Any) -> tuple[str, str]:
        name = make_table(
            StreamSpecification={"StreamEnabled": True, "StreamViewType": view_type}, **extra
        )
        arn: str = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
        return name, arn

    return create


def own_stream_table(ddb: Any, view_type: str = "KEYS_ONLY") -> tuple[str, str]:
    """On a server of a test's own: a table (hash key ``p``) with a stream; (name, ARN)."""
    stream = {"StreamEnabled": True, "StreamViewType": view_type}
    name = create_table(ddb, StreamSpecification=stream)
    arn: str = ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"]
    return name, arn


def shard_id(streams: Any, arn: str) -> str:
    shard: str = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    return shard


def iterator(streams: Any, arn: str, kind: str = "TRIM_HORIZON", **extra: Any) -> str:
    out: str = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard_id(streams, arn), ShardIteratorType=kind, **extra
    )["ShardIterator"]
    return out


def read_all(streams: Any, arn: str, kind: str = "TRIM_HORIZON", **extra: Any) -> list[Any]:
    """Every record from the position given to the end of what is there now."""
    return read_from(streams, iterator(streams, arn, kind, **extra))


def read_from(streams: Any, it: str) -> list[Any]:
    """The records from iterator ``it`` to where the shard stands now."""
    records: list[Any] = []
    next_it: str | None = it
    while next_it is not None:
        out = streams.get_records(ShardIterator=next_it)
        records += out["Records"]
        if not out["Records"]:
            break
        next_it = out.get("NextShardIterator")
    return records
