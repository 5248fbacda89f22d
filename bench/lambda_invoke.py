"""Lambda Invoke figures against one gureum on disk pinned to one core: the warm round trip
of a hello-world function (p50, p99 of sequential boto3 invokes), the cold start (first
invoke after CreateFunction, median of several functions), invocations per second of a
warm function with 8 concurrent callers, and the round trip of an Event invoke (the 202,
which comes once the queued event is on disk).

  python bench/lambda_invoke.py              # 2,000 warm invokes, 10 cold starts, 10 s at 8
  python bench/lambda_invoke.py --quick      # a quick look
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

HELLO = "def handler(event, context):\n    return {'hello': 'world'}\n"


def hello_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", HELLO)
    return buffer.getvalue()


def client(endpoint: str) -> Any:
    return boto3.client(
        "lambda",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=Config(retries={"max_attempts": 0}, max_pool_connections=16),
    )


def create(lam: Any, name: str) -> None:
    lam.create_function(
        FunctionName=name,
        Runtime="python3.11",
        Role="arn:aws:iam::000000000000:role/bench",
        Handler="app.handler",
        Code={"ZipFile": hello_zip()},
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    warm_n, cold_n, seconds = (200, 3, 3.0) if args.quick else (2000, 10, 10.0)
    endpoint = f"http://127.0.0.1:{args.port}"
    gureum = shutil.which("gureum", path=str(Path(sys.executable).parent)) or "gureum"
    with tempfile.TemporaryDirectory(prefix="gureum-lambda-bench-") as work:
        command = ["taskset", "-c", "1", gureum, "serve", "--data-dir", f"{work}/data"]
        server = subprocess.Popen([*command, "--port", str(args.port)])
        try:
            deadline = time.monotonic() + 15
            while True:
                try:
                    urllib.request.urlopen(f"{endpoint}/_gureum/health", timeout=1).read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
            lam = client(endpoint)
            cold = []
            for i in range(cold_n):
                create(lam, f"cold-{i}")
                started = time.perf_counter()
                lam.invoke(FunctionName=f"cold-{i}")["Payload"].read()
                cold.append((time.perf_counter() - started) * 1000)
            create(lam, "warm")
            lam.invoke(FunctionName="warm")["Payload"].read()
            warm = []
            for _ in range(warm_n):
                started = time.perf_counter()
                lam.invoke(FunctionName="warm")["Payload"].read()
                warm.append((time.perf_counter() - started) * 1000)
            counts = [0] * 8
            stop = time.monotonic() + seconds

            def caller(slot: int) -> None:
                own = client(endpoint)
                while time.monotonic() < stop:
                    own.invoke(FunctionName="warm")["Payload"].read()
                    counts[slot] += 1

            threads = [threading.Thread(target=caller, args=(i,)) for i in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            queued = []  # last: the events run in the background meanwhile
            for _ in range(warm_n // 4):
                started = time.perf_counter()
                lam.invoke(FunctionName="warm", InvocationType="Event")
                queued.append((time.perf_counter() - started) * 1000)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"| warm Invoke round trip, {warm_n} sequential | p50 {statistics.median(warm):.2f} ms"
          f" | p99 {percentile(warm, 0.99):.2f} ms |")  # fmt: skip
    print(f"| cold start (first Invoke), median of {cold_n} | {statistics.median(cold):.0f} ms"
          f" | max {max(cold):.0f} ms |")  # fmt: skip
    print(f"| warm function, 8 concurrent callers | {sum(counts) / seconds:,.0f} invokes/s | |")
    print(f"| Event invoke (202), {len(queued)} sequential | p50 {statistics.median(queued):.2f} ms"
          f" | p99 {percentile(queued, 0.99):.2f} ms |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
