"""``gureum serve``: run the server."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from gureum.config import DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, Settings, env_flag

HELP = """\
Serve every gureum service on one port (DynamoDB's JSON API: point boto3 or the AWS CLI at
--endpoint-url http://HOST:PORT). Data is kept in SQLite under --data-dir and survives
restarts; --in-memory keeps nothing. Every option can also be set through the environment
variable named in its help. Ctrl-C stops the server cleanly."""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the gureum server",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    env = os.environ
    parser.add_argument(
        "--host",
        default=env.get("GUREUM_HOST", DEFAULT_HOST),
        help=f"address to listen on (GUREUM_HOST; default {DEFAULT_HOST})",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(env.get("GUREUM_PORT", DEFAULT_PORT)),
        help=f"TCP port (GUREUM_PORT; default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(env.get("GUREUM_DATA_DIR", str(DEFAULT_DATA_DIR))),
        help=f"folder for the SQLite database (GUREUM_DATA_DIR; default ./{DEFAULT_DATA_DIR})",
    )
    parser.add_argument(
        "--in-memory",
        action="store_true",
        default=env_flag("GUREUM_IN_MEMORY"),
        help="keep all data in memory, nothing on disk (GUREUM_IN_MEMORY=1)",
    )
    parser.add_argument(
        "--fsync",
        action="store_true",
        default=env_flag("GUREUM_FSYNC"),
        help="fsync every commit so that even a power cut loses no acknowledged write; "
        "without it a crash of the process still loses nothing (GUREUM_FSYNC=1)",
    )
    parser.add_argument(
        "--log-level",
        default=env.get("GUREUM_LOG_LEVEL", "warning"),
        choices=["critical", "error", "warning", "info", "debug"],
        help="server log level (GUREUM_LOG_LEVEL; default warning)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from gureum.app import build_app

    settings = Settings(
        host=args.host,
        port=args.port,
        data_dir=None if args.in_memory else args.data_dir,
        fsync=args.fsync,
        log_level=args.log_level,
    )
    app = build_app(settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        access_log=False,
        server_header=False,
        proxy_headers=False,
        loop="auto",
        http="auto",
        lifespan="on",
        timeout_keep_alive=75,
    )
    return 0
