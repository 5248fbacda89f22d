"""``gureum serve``: run the server."""

from __future__ import annotations

import argparse
import logging
import math
from pathlib import Path
from typing import Any

from gureum.config import (
    DEFAULT_ASYNC_RETRY_DELAY,
    DEFAULT_DATA_DIR,
    DEFAULT_HOST,
    DEFAULT_ITEM_COLLECTION_LIMIT,
    DEFAULT_PORT,
    DEFAULT_SHARD_LIFETIME,
    DEFAULT_TTL_CHANGE_WINDOW,
    DEFAULT_TTL_INTERVAL,
    Settings,
    settings_from_environment,
)

HELP = """\
Serve every gureum service on one port (DynamoDB's JSON API: point boto3 or the AWS CLI at
--endpoint-url http://HOST:PORT). Data is kept in SQLite under --data-dir and survives
restarts; --in-memory keeps nothing. Every option can also be set through the environment
variable named in its help. Ctrl-C stops the server cleanly."""


def seconds(text: str) -> float:
    """A duration option: a number of seconds, 0 or more."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}")
    return value


def positive_seconds(text: str) -> float:
    value = seconds(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def positive_bytes(text: str) -> int:
    """A size option: a whole number of bytes, 1 or more."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError("must be a whole number of bytes, 1 or more")
    return value


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "serve",
        help="run the gureum server",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    env = settings_from_environment()
    parser.add_argument(
        "--host",
        default=env.host,
        help=f"address to listen on (GUREUM_HOST; default {DEFAULT_HOST})",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=env.port,
        help=f"TCP port (GUREUM_PORT; default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=env.data_dir or DEFAULT_DATA_DIR,
        help=f"folder for the SQLite database (GUREUM_DATA_DIR; default ./{DEFAULT_DATA_DIR})",
    )
    parser.add_argument(
        "--in-memory",
        action="store_true",
        default=env.data_dir is None,
        help="keep all data in memory, nothing on disk (GUREUM_IN_MEMORY=1)",
    )
    parser.add_argument(
        "--fsync",
        action="store_true",
        default=env.fsync,
        help="fsync every commit so that even a power cut loses no acknowledged write; "
        "without it a crash of the process still loses nothing (GUREUM_FSYNC=1)",
    )
    parser.add_argument(
        "--log-level",
        default=env.log_level,
        choices=["critical", "error", "warning", "info", "debug"],
        help="server log level (GUREUM_LOG_LEVEL; default warning)",
    )
    parser.add_argument(
        "--ttl-interval",
        type=positive_seconds,
        default=env.ttl_interval,
        metavar="SECONDS",
        help="how often expired items of tables with Time to Live enabled are looked for and "
        f"deleted (GUREUM_TTL_INTERVAL; default {DEFAULT_TTL_INTERVAL:g})",
    )
    parser.add_argument(
        "--ttl-change-window",
        type=seconds,
        default=env.ttl_change_window,
        metavar="SECONDS",
        help="how long after a change UpdateTimeToLive refuses another, as DynamoDB does for an "
        f"hour; 0 allows changes at once (GUREUM_TTL_CHANGE_WINDOW; default "
        f"{DEFAULT_TTL_CHANGE_WINDOW:g})",
    )
    parser.add_argument(
        "--item-collection-limit",
        type=positive_bytes,
        default=env.item_collection_limit,
        metavar="BYTES",
        help="the largest item collection (a partition with its local secondary index entries) "
        "of a table with local secondary indexes; lower it to test "
        "ItemCollectionSizeLimitExceededException (GUREUM_ITEM_COLLECTION_LIMIT; default "
        f"{DEFAULT_ITEM_COLLECTION_LIMIT}, DynamoDB's 10 GB)",
    )
    parser.add_argument(
        "--shard-lifetime",
        type=positive_seconds,
        default=env.shard_lifetime,
        metavar="SECONDS",
        help="how long a DynamoDB Streams shard stays open before it closes and a child shard "
        "takes over, as DynamoDB rolls shards over about every 4 hours (GUREUM_SHARD_LIFETIME; "
        f"default {DEFAULT_SHARD_LIFETIME:g})",
    )
    parser.add_argument(
        "--async-retry-delay",
        type=seconds,
        default=env.async_retry_delay,
        metavar="SECONDS",
        help="how long Lambda waits before retrying a failed asynchronous invocation (the "
        "second retry waits twice as long), as AWS waits 1 and 2 minutes "
        f"(GUREUM_ASYNC_RETRY_DELAY; default {DEFAULT_ASYNC_RETRY_DELAY:g})",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from gureum.app import build_router
    from gureum.wire import http_server

    settings = Settings(
        host=args.host,
        port=args.port,
        data_dir=None if args.in_memory else args.data_dir,
        fsync=args.fsync,
        log_level=args.log_level,
        ttl_interval=args.ttl_interval,
        ttl_change_window=args.ttl_change_window,
        item_collection_limit=args.item_collection_limit,
        shard_lifetime=args.shard_lifetime,
        async_retry_delay=args.async_retry_delay,
    )
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    router = build_router(settings)

    def ready() -> None:
        logging.getLogger("gureum").info(
            "gureum serving on http://%s:%d (%s)",
            settings.host,
            settings.port,
            settings.data_dir or "in memory",
        )

    http_server.run(router, settings.host, settings.port, ready)
    return 0
