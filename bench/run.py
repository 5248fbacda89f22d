"""gureum's load benchmark (``make bench``): the workplace's DynamoDB load generator against a
gureum server pinned to one core, durable on disk.

It drives the shared anchor harness (``../shared/bench``: wrk replaying pre-signed requests
through a checking Lua script, the same generator that measured moto and dynalite), so the
figures compare directly with the anchors. Each start of gureum gets an empty data folder.

  python bench/run.py                         # 3 interleaved repetitions, -c 32 and -c 1
  python bench/run.py --reps 1 --duration 5   # a quick look
  python bench/run.py --with dynalite-mem     # dynalite in the same rounds (see README.md)
  python bench/run.py --scaling               # Query cost at 1,000 vs 1,000,000 items

Prints the median table (markdown) and the path of the raw results.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SHARED = ROOT.parent / "shared" / "bench"


def gureum_command(work: Path) -> str:
    """A shell command starting gureum on a new empty data folder ({port} filled in later);
    the folders are removed after the rounds, not while a start is being timed."""
    gureum = shutil.which("gureum", path=str(Path(sys.executable).parent)) or "gureum"
    template = shlex.quote(str(work / "data.XXXXXX"))
    return (
        f'sh -c \'exec {shlex.quote(gureum)} serve --data-dir "$(mktemp -d {template})" '
        "--port {port}'"
    )


def run_anchor_rounds(args: argparse.Namespace, shared: Path, work: Path) -> Path:
    out = work / "results" / time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    subjects = ["gureum", *args.with_subjects]
    cmd = [
        sys.executable,
        str(shared / "run_anchors.py"),
        "--subjects", ",".join(subjects),
        "--add", f"gureum={gureum_command(work)}",
        "--reps", str(args.reps),
        "--duration", str(args.duration),
        "--duration-c1", str(args.duration_c1),
        "--conns", args.conns,
        "--workloads", args.workloads,
        "--port", str(args.port),
        "--work", str(work),
        "--out", str(out),
    ]  # fmt: skip
    try:
        subprocess.run(cmd, check=True)
    finally:
        for folder in work.glob("data.*"):
            shutil.rmtree(folder, ignore_errors=True)
    return out / "results.jsonl"


def run_scaling(args: argparse.Namespace, shared: Path, work: Path) -> None:
    data = work / "scaling-data"
    shutil.rmtree(data, ignore_errors=True)
    gureum = shutil.which("gureum", path=str(Path(sys.executable).parent)) or "gureum"
    server = subprocess.Popen(
        ["taskset", "-c", "1", gureum, "serve", "--data-dir", str(data), "--port", str(args.port)]
    )
    try:
        time.sleep(1.0)
        subprocess.run(
            [
                sys.executable,
                str(shared / "query_scaling.py"),
                "--endpoint",
                f"http://127.0.0.1:{args.port}",
                "--sizes",
                args.sizes,
            ],
            check=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get(
        "GUREUM_SHARED_BENCH", DEFAULT_SHARED)), help="the shared anchor harness (default "
        "../shared/bench; GUREUM_SHARED_BENCH)")  # fmt: skip
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--duration", type=float, default=15, help="seconds per -c 32 run")
    parser.add_argument("--duration-c1", type=float, default=10, help="seconds per -c 1 run")
    parser.add_argument("--conns", default="32,1")
    parser.add_argument("--workloads", default="get,query,update,put,batch")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--with", dest="with_subjects", action="append", default=[],
        help="another subject of the shared harness in the same rounds (e.g. dynalite-mem)",
    )  # fmt: skip
    parser.add_argument("--scaling", action="store_true", help="run the Query scaling check")
    parser.add_argument("--sizes", default="1000,1000000", help="table sizes for --scaling")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "gureum-bench")
    args = parser.parse_args()

    shared = args.shared.resolve()
    if not (shared / "run_anchors.py").exists():
        raise SystemExit(f"the shared bench harness is not at {shared} (use --shared)")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")
    args.work.mkdir(parents=True, exist_ok=True)
    if args.scaling:
        run_scaling(args, shared, args.work)
        return 0
    results = run_anchor_rounds(args, shared, args.work)
    subprocess.run([sys.executable, str(shared / "summarize.py"), str(results)], check=True)
    print(f"raw results: {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
