"""Feature workloads beyond the shared anchor set, driven by the same load generator (wrk
replaying pre-signed requests through the shared ``ddb.lua``), against one gureum pinned to
one core, durable on disk:

  put        PutItem of a ~1 KB item, random key, table without indexes (the baseline)
  put-gsi2   the same PutItem on a table with two global secondary indexes (ALL and KEYS_ONLY)
  transact4  TransactWriteItems of 4 ~1 KB Puts, random keys
  partiql    ExecuteStatement SELECT * FROM a 10,000-item table WHERE pk = ? (one item back)
  get        GetItem of the same keys (the baseline for partiql)

  python bench/features.py                 # 3 interleaved repetitions at -c 32
  python bench/features.py --reps 1 --duration 5

Prints a markdown table of medians (requests/s) and the ratios the issue asks for.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SHARED = HERE.parent.parent / "shared" / "bench"

PLAIN = "feat_plain"
INDEXED = "feat_gsi2"
KV = "feat_kv"
KV_ITEMS = 10_000
POOL_SIZE = 60_000

# workload -> (operation, Lua pattern a 200 body must match)
WORKLOADS: dict[str, tuple[str, str]] = {
    "put": ("PutItem", "^%s*{"),
    "put-gsi2": ("PutItem", "^%s*{"),
    "transact4": ("TransactWriteItems", "^%s*{"),
    "partiql": ("ExecuteStatement", '"Items"%s*:%s*%[%s*{'),
    "get": ("GetItem", '"Item"%s*:'),
}


def item(rng: random.Random, pk: str) -> dict[str, Any]:
    """A ~1 KB item with the attributes the indexes key on."""
    return {
        "pk": {"S": pk},
        "g1": {"S": f"g{rng.randrange(1000)}"},
        "g2": {"N": str(rng.randrange(1_000_000))},
        "payload": {"S": "".join(rng.choice("abcdefghij") for _ in range(900))},
        "n": {"N": str(rng.randrange(10**9))},
    }


def payload(workload: str, rng: random.Random) -> dict[str, Any]:
    key = f"k{rng.getrandbits(64):016x}"
    if workload == "put":
        return {"TableName": PLAIN, "Item": item(rng, key)}
    if workload == "put-gsi2":
        return {"TableName": INDEXED, "Item": item(rng, key)}
    if workload == "transact4":
        return {
            "TransactItems": [
                {"Put": {"TableName": PLAIN, "Item": item(rng, f"{key}-{i}")}} for i in range(4)
            ]
        }
    kv_key = f"kv{rng.randrange(KV_ITEMS):06d}"
    if workload == "partiql":
        return {
            "Statement": f'SELECT * FROM "{KV}" WHERE pk = ?',
            "Parameters": [{"S": kv_key}],
        }
    return {"TableName": KV, "Key": {"pk": {"S": kv_key}}}


def write_pool(ddbwire: Any, endpoint: str, workload: str, path: Path) -> None:
    """The shared pool format: header lines, then date, authorization, op, body per line."""
    _, _, host = ddbwire.host_port(endpoint)
    signer = ddbwire.Signer(host)
    rng = random.Random(f"features-{workload}")
    operation, check = WORKLOADS[workload]
    with path.open("w") as out:
        out.write(f"#host\t{host}\n#check\t{check}\n")
        for _ in range(POOL_SIZE):
            body = json.dumps(payload(workload, rng), separators=(",", ":"))
            headers = signer.headers(operation, body.encode())
            out.write(f"{headers['X-Amz-Date']}\t{headers['Authorization']}\t{operation}\t{body}\n")


def setup(ddbwire: Any, endpoint: str) -> None:
    client = ddbwire.Client(endpoint)
    s = {"AttributeType": "S"}
    client.call(
        "CreateTable",
        {
            "TableName": PLAIN,
            "AttributeDefinitions": [{"AttributeName": "pk", **s}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    client.call(
        "CreateTable",
        {
            "TableName": KV,
            "AttributeDefinitions": [{"AttributeName": "pk", **s}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    client.call(
        "CreateTable",
        {
            "TableName": INDEXED,
            "AttributeDefinitions": [
                {"AttributeName": "pk", **s},
                {"AttributeName": "g1", **s},
                {"AttributeName": "g2", "AttributeType": "N"},
            ],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
            "GlobalSecondaryIndexes": [
                {
                    "IndexName": "by-g1",
                    "KeySchema": [
                        {"AttributeName": "g1", "KeyType": "HASH"},
                        {"AttributeName": "g2", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                },
                {
                    "IndexName": "by-g2",
                    "KeySchema": [{"AttributeName": "g2", "KeyType": "HASH"}],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                },
            ],
        },
    )
    rng = random.Random(7)
    for start in range(0, KV_ITEMS, 25):
        requests = [
            {"PutRequest": {"Item": item(rng, f"kv{i:06d}")}}
            for i in range(start, min(start + 25, KV_ITEMS))
        ]
        client.call("BatchWriteItem", {"RequestItems": {KV: requests}})
    client.close()


def wait_until_up(endpoint: str, timeout: float = 15.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/_gureum/health", timeout=1).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get(
        "GUREUM_SHARED_BENCH", DEFAULT_SHARED)))  # fmt: skip
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--conns", type=int, default=32)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    sys.path.insert(0, str(args.shared.resolve()))
    import ddbbench  # the shared harness
    import ddbwire

    workloads = args.workloads.split(",")
    endpoint = f"http://127.0.0.1:{args.port}"
    gureum = shutil.which("gureum", path=str(Path(sys.executable).parent)) or "gureum"
    results: dict[str, list[float]] = {w: [] for w in workloads}
    with tempfile.TemporaryDirectory(prefix="gureum-features-") as work:
        command = ["taskset", "-c", "1", gureum, "serve", "--data-dir", f"{work}/data"]
        command += ["--port", str(args.port), "--log-level", "warning"]
        server = subprocess.Popen(command)
        try:
            wait_until_up(endpoint)
            setup(ddbwire, endpoint)
            pools = {}
            for workload in workloads:
                pools[workload] = Path(work) / f"{workload}.pool"
                write_pool(ddbwire, endpoint, workload, pools[workload])
            for _ in range(args.reps):
                for workload in workloads:
                    raw, _ = ddbbench.run_wrk(endpoint, pools[workload], args.conns, args.duration)
                    record = ddbbench.summarize_result(raw, "put", args.conns, "wrk")
                    if record["non2xx"] or record["socket_errors"] or record["bad_body"]:
                        print(f"{workload}: errors {record}", file=sys.stderr)
                    results[workload].append(record["req_s"])
        finally:
            server.terminate()
            server.wait(timeout=30)
    medians = {w: statistics.median(v) for w, v in results.items()}
    print(f"| -c {args.conns}, median of {args.reps} | requests/s |")
    print("|---|---:|")
    for workload in workloads:
        print(f"| {workload} | {medians[workload]:,.0f} |")
    if "put" in medians and "put-gsi2" in medians:
        print(f"\nPutItem with two GSIs costs {medians['put'] / medians['put-gsi2']:.2f}x")
    if "get" in medians and "partiql" in medians:
        print(f"PartiQL SELECT by key costs {medians['get'] / medians['partiql']:.2f}x a GetItem")
    return 0


if __name__ == "__main__":
    sys.exit(main())
