"""The delay from a PutItem to the Lambda function receiving its stream record, through an
event source mapping with AWS's defaults (BatchSize 100, no batching window), against one
gureum on disk pinned to one core.

Each item carries the time (``time.time()``) taken just before its PutItem was sent; the
function notes, for every record it receives, how long after that it started handling it,
and writes the figures into a second table, which is read at the end (p50, p99). Writes are
spaced by a random pause (0-20 ms), as a user's code would make them.

  python bench/stream_delay.py            # 500 writes
  python bench/stream_delay.py --quick    # 100 writes
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

# The handler's first step is to take the time: boto3 is imported once, when the worker
# starts, so its import is not in the figures.
RECEIVER = """\
import time
import boto3

table = boto3.resource("dynamodb").Table("delays")


def handler(event, context):
    now = time.time()
    with table.batch_writer() as batch:
        for record in event["Records"]:
            sent = float(record["dynamodb"]["NewImage"]["sent"]["N"])
            key = record["dynamodb"]["Keys"]["pk"]["S"]
            batch.put_item(Item={"pk": key, "delay_us": int((now - sent) * 1e6)})
"""


def receiver_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", RECEIVER)
    return buffer.getvalue()


def client(service: str, endpoint: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 0}),
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def wait_healthy(endpoint: str) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/_gureum/health", timeout=1).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def measure(endpoint: str, writes: int) -> list[float]:
    ddb, lam = client("dynamodb", endpoint), client("lambda", endpoint)
    key = [{"AttributeName": "pk", "KeyType": "HASH"}]
    attributes = [{"AttributeName": "pk", "AttributeType": "S"}]
    for name, stream in (("source", True), ("delays", False)):
        ddb.create_table(
            TableName=name,
            KeySchema=key,
            AttributeDefinitions=attributes,
            BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": stream, "StreamViewType": "NEW_IMAGE"}
            if stream
            else {"StreamEnabled": False},
        )
    arn = ddb.describe_table(TableName="source")["Table"]["LatestStreamArn"]
    lam.create_function(
        FunctionName="receiver",
        Runtime="python3.11",
        Role="arn:aws:iam::000000000000:role/bench",
        Handler="app.handler",
        Code={"ZipFile": receiver_zip()},
        Timeout=30,
    )
    lam.create_event_source_mapping(
        EventSourceArn=arn, FunctionName="receiver", StartingPosition="LATEST"
    )
    # a first record warms the worker (its boto3 import); it is not counted
    ddb.put_item(TableName="source", Item={"pk": {"S": "warm-up"}, "sent": {"N": "0"}})
    wait_for(ddb, {"warm-up"})
    keys = set()
    for i in range(writes):
        time.sleep(random.uniform(0, 0.02))
        key = f"k{i:06d}"
        sent = time.time()
        ddb.put_item(TableName="source", Item={"pk": {"S": key}, "sent": {"N": repr(sent)}})
        keys.add(key)
    found = wait_for(ddb, keys | {"warm-up"})
    return [found[k] / 1000 for k in keys]


def wait_for(ddb: Any, keys: set[str], timeout: float = 60.0) -> dict[str, int]:
    """The delays (µs) the function wrote, once every key of ``keys`` has one."""
    deadline = time.monotonic() + timeout
    while True:
        found: dict[str, int] = {}
        for page in ddb.get_paginator("scan").paginate(TableName="delays", ConsistentRead=True):
            for item in page["Items"]:
                found[item["pk"]["S"]] = int(item["delay_us"]["N"])
        if keys <= found.keys():
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(keys - found.keys())} records never reached the function")
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8768)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    writes = 100 if args.quick else 500
    endpoint = f"http://127.0.0.1:{args.port}"
    gureum = shutil.which("gureum", path=str(Path(sys.executable).parent)) or "gureum"
    with tempfile.TemporaryDirectory(prefix="gureum-stream-bench-") as work:
        command = ["taskset", "-c", "1", gureum, "serve", "--data-dir", f"{work}/data"]
        server = subprocess.Popen([*command, "--port", str(args.port)])
        try:
            wait_healthy(endpoint)
            delays = measure(endpoint, writes)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"| PutItem -> function receives the record, {writes} writes "
        f"| p50 {statistics.median(delays):.1f} ms | p99 {percentile(delays, 0.99):.1f} ms "
        f"| max {max(delays):.1f} ms |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
