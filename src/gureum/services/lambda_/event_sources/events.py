"""What a mapping hands its function: stream records as Lambda's DynamoDB event spells them,
and the invocation record an OnFailure destination receives for a batch given up on."""

from __future__ import annotations

import time
from typing import Any

from gureum.services.lambda_.functions import lambda_timestamp

_ISO = "%Y-%m-%dT%H:%M:%S"


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A Streams record as a record of Lambda's event: plus ``eventSourceARN``, and
    ``userIdentity`` spelled ``principalId`` / ``type`` (the Streams API says PascalCase)."""
    out = dict(record)
    identity = record.get("userIdentity")
    if identity is not None:
        out["userIdentity"] = {
            "principalId": identity.get("PrincipalId"),
            "type": identity.get("Type"),
        }
    out["eventSourceARN"] = stream_arn
    return out


def event(records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Records": records}


def iso_seconds(seconds: float) -> str:
    """``2020-07-30T17:00:00Z``: DDBStreamBatchInfo's and the time window event's format."""
    return time.strftime(_ISO, time.gmtime(seconds)) + "Z"


def failure_record(
    *,
    request_id: str,
    function_arn: str,
    condition: str,
    invoke_count: int,
    function_error: str | None,
    now: float,
    shard_id: str,
    records: list[dict[str, Any]],
    stream_arn: str,
) -> dict[str, Any]:
    """The invocation record of a DynamoDB stream batch, as Lambda sends it to an OnFailure
    destination (``condition``: RetryAttemptsExhausted or RecordAgeExceeded). Records too old
    to be sent at all carry the number of invocations made so far (0 if none) and no
    ``functionError`` [gureum]: AWS documents no example of that case."""
    first, last = records[0]["dynamodb"], records[-1]["dynamodb"]
    response: dict[str, Any] = {"statusCode": 200, "executedVersion": "$LATEST"}
    if function_error is not None:
        response["functionError"] = function_error
    return {
        "requestContext": {
            "requestId": request_id,
            "functionArn": function_arn,
            "condition": condition,
            "approximateInvokeCount": invoke_count,
        },
        "responseContext": response,
        "version": "1.0",
        "timestamp": lambda_timestamp(now, "Z"),
        "DDBStreamBatchInfo": {
            "shardId": shard_id,
            "startSequenceNumber": first["SequenceNumber"],
            "endSequenceNumber": last["SequenceNumber"],
            "approximateArrivalOfFirstRecord": iso_seconds(first["ApproximateCreationDateTime"]),
            "approximateArrivalOfLastRecord": iso_seconds(last["ApproximateCreationDateTime"]),
            "batchSize": len(records),
            "streamArn": stream_arn,
        },
    }
