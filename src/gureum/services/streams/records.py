"""Change-log records as DynamoDB Streams records."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

import orjson

from gureum.services.dynamodb.attributes import item_size
from gureum.services.streams.shards import sequence_number

if TYPE_CHECKING:
    from gureum.services.streams.shards import Stream
    from gureum.storage.engine import ChangeRecord

EVENT_VERSION = "1.1"
EVENT_SOURCE = "aws:dynamodb"
# Who deletes an expired item (Time to Live). The Streams API's Identity shape spells its
# members PrincipalId and Type (Lambda's event documents spell them principalId and type).
TTL_IDENTITY = {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}

_NEW = frozenset({"NEW_IMAGE", "NEW_AND_OLD_IMAGES"})
_OLD = frozenset({"OLD_IMAGE", "NEW_AND_OLD_IMAGES"})


def stream_record(change: ChangeRecord, stream: Stream) -> dict[str, Any] | None:
    """The record of one change on ``stream``, or None for a write that changed nothing."""
    old = orjson.loads(change.old) if change.old is not None else None
    new = orjson.loads(change.new) if change.new is not None else None
    if old == new:
        return None
    if old is None:
        event = "INSERT"
    elif new is None:
        event = "REMOVE"
    else:
        event = "MODIFY"
    image = new if new is not None else old
    assert image is not None
    keys = {name: image[name] for name in stream.key_names if name in image}
    body: dict[str, Any] = {
        "ApproximateCreationDateTime": int(change.timestamp),
        "Keys": keys,
    }
    size = item_size(keys)
    if new is not None and stream.view_type in _NEW:
        body["NewImage"] = new
        size += item_size(new)
    if old is not None and stream.view_type in _OLD:
        body["OldImage"] = old
        size += item_size(old)
    body["SequenceNumber"] = sequence_number(change.seq)
    body["SizeBytes"] = size
    body["StreamViewType"] = stream.view_type
    record: dict[str, Any] = {
        "eventID": hashlib.md5(
            f"{stream.arn}#{change.seq}".encode(), usedforsecurity=False
        ).hexdigest(),
        "eventName": event,
        "eventVersion": EVENT_VERSION,
        "eventSource": EVENT_SOURCE,
        "awsRegion": stream.region,
        "dynamodb": body,
    }
    if change.by_service:
        record["userIdentity"] = dict(TTL_IDENTITY)
    return record
