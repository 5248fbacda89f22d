"""gureum's settings: one frozen object, built once by the CLI and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4566
DEFAULT_DATA_DIR = Path(".gureum")
DEFAULT_TTL_INTERVAL = 5.0
DEFAULT_TTL_CHANGE_WINDOW = 3600.0
DEFAULT_ITEM_COLLECTION_LIMIT = 10 * 1024**3  # DynamoDB's 10 GB
DEFAULT_SHARD_LIFETIME = 4 * 3600.0  # DynamoDB Streams shards roll over about every 4 hours
DEFAULT_ASYNC_RETRY_DELAY = 60.0  # Lambda waits 1 minute, then 2, between async retries


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    # None: keep everything in memory (nothing survives a restart)
    data_dir: Path | None = DEFAULT_DATA_DIR
    # fsync every commit (survives power loss, slower); a process crash never loses a write
    fsync: bool = False
    log_level: str = "warning"
    # how long change records of tables without a stream are kept (seconds)
    change_retention: float = 10.0
    # how often the TTL sweeper looks for expired items (seconds)
    ttl_interval: float = DEFAULT_TTL_INTERVAL
    # how long after a change UpdateTimeToLive refuses another (DynamoDB: one hour; 0: never)
    ttl_change_window: float = DEFAULT_TTL_CHANGE_WINDOW
    # the largest item collection of a table with local secondary indexes (bytes)
    item_collection_limit: int = DEFAULT_ITEM_COLLECTION_LIMIT
    # how long a stream shard stays open before it closes and a child shard takes over
    shard_lifetime: float = DEFAULT_SHARD_LIFETIME
    # Lambda's wait before the first retry of a failed asynchronous invocation (the second
    # waits twice as long)
    async_retry_delay: float = DEFAULT_ASYNC_RETRY_DELAY


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def settings_from_environment() -> Settings:
    """Settings from the GUREUM_* variables (the defaults of ``gureum serve``'s options)."""
    env = os.environ
    return Settings(
        host=env.get("GUREUM_HOST", DEFAULT_HOST),
        port=int(env.get("GUREUM_PORT", DEFAULT_PORT)),
        data_dir=None
        if env_flag("GUREUM_IN_MEMORY")
        else Path(env.get("GUREUM_DATA_DIR", str(DEFAULT_DATA_DIR))),
        fsync=env_flag("GUREUM_FSYNC"),
        log_level=env.get("GUREUM_LOG_LEVEL", "warning"),
        ttl_interval=float(env.get("GUREUM_TTL_INTERVAL", DEFAULT_TTL_INTERVAL)),
        ttl_change_window=float(env.get("GUREUM_TTL_CHANGE_WINDOW", DEFAULT_TTL_CHANGE_WINDOW)),
        item_collection_limit=int(
            env.get("GUREUM_ITEM_COLLECTION_LIMIT", DEFAULT_ITEM_COLLECTION_LIMIT)
        ),
        shard_lifetime=float(env.get("GUREUM_SHARD_LIFETIME", DEFAULT_SHARD_LIFETIME)),
        async_retry_delay=float(env.get("GUREUM_ASYNC_RETRY_DELAY", DEFAULT_ASYNC_RETRY_DELAY)),
    )
