"""The composition root: builds the engine, the services and the router. The only wiring."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gureum import __version__
from gureum.config import settings_from_environment
from gureum.core.clock import SystemClock
from gureum.services.dynamodb.front_end import SERVICE_CHECKS
from gureum.services.dynamodb.service import MODEL, TARGET_PREFIX, DynamoDBService
from gureum.services.lambda_ import service as lambda_service
from gureum.services.lambda_.event_sources.model import MappingStore
from gureum.services.lambda_.event_sources.operations import EventSourceMappings
from gureum.services.lambda_.event_sources.poller import Poller
from gureum.services.lambda_.runner import Runner
from gureum.services.lambda_.service import LambdaService
from gureum.services.logs import service as logs_service
from gureum.services.logs.service import FrontEnd, LogsService
from gureum.services.streams import service as streams_service
from gureum.services.streams.service import StreamsService
from gureum.storage.sqlite.engine import SqliteEngine
from gureum.wire.asgi import GureumApp
from gureum.wire.json_protocol import JsonService
from gureum.wire.rest_json import RestJsonService
from gureum.wire.router import Router
from gureum.wire.shapes import ShapeValidator, load_service_model

if TYPE_CHECKING:
    from gureum.config import Settings
    from gureum.services.lambda_.functions import Function
    from gureum.services.lambda_.runner import Outcome

log = logging.getLogger("gureum")

MAINTENANCE_INTERVAL_SECONDS = 1.0
# While background work remains (index backfills), it runs in slices of this length with
# short pauses, so requests keep flowing.
MAINTENANCE_SLICE_SECONDS = 0.02
MAINTENANCE_PAUSE_SECONDS = 0.005


def build_router(settings: Settings) -> Router:
    engine = SqliteEngine(settings.data_dir, durable_fsync=settings.fsync)
    clock = SystemClock()
    dynamodb = DynamoDBService(
        engine,
        clock,
        change_retention=settings.change_retention,
        ttl_interval=settings.ttl_interval,
        ttl_change_window=settings.ttl_change_window,
        item_collection_limit=settings.item_collection_limit,
    )
    # the loop wakes at least as often as the TTL sweep is due
    idle_pause = min(MAINTENANCE_INTERVAL_SECONDS, max(settings.ttl_interval, 0.01))
    streams = StreamsService(
        dynamodb.catalog, engine, clock, shard_lifetime=settings.shard_lifetime
    )
    logs = LogsService(engine, clock)
    # functions run in worker processes; their code is unpacked under the data folder (or a
    # temporary one), and their SDK calls come back to this server
    code_root = (
        settings.data_dir / "lambda-code"
        if settings.data_dir is not None
        else Path(tempfile.mkdtemp(prefix="gureum-lambda-"))
    )

    def function_log(function: Function, outcome: Outcome) -> None:
        # every invocation's log, as Lambda writes it, to the function's log group (created
        # when missing, a custom one included)
        group = function.log_group_name
        logs.write(function.account, function.region, group, outcome.stream, outcome.log)

    runner = Runner(code_root, endpoint_url(settings.host, settings.port), log_sink=function_log)
    lambda_ = LambdaService(engine, clock, runner, async_retry_delay=settings.async_retry_delay)
    # event source mappings: their operations join Lambda's; the poller delivers stream records
    mappings = MappingStore(engine)
    poller = Poller(
        mappings,
        streams.operations,
        lambda_,
        clock,
        engine.last_seq,
        streams.latest_sequence_number,
    )
    lambda_.operations.update(EventSourceMappings(mappings, lambda_, poller, clock).operations)
    lambda_model = load_service_model(*lambda_service.MODEL)
    rest_services = [
        RestJsonService(
            "lambda",
            lambda_.operations,
            lambda_model,
            ShapeValidator(lambda_model),
            lambda_.max_request_bytes,
            status_overrides=lambda_service.STATUS_OVERRIDES,
            download=lambda_.download,
        )
    ]
    services = [
        JsonService(
            target_prefix=TARGET_PREFIX,
            # table operations tell the streams registry where streams begin and end
            operations=streams.observing(dynamodb.operations),
            validator=ShapeValidator(load_service_model(*MODEL), service_checks=SERVICE_CHECKS),
            max_request_bytes=dynamodb.max_request_bytes,
        ),
        JsonService(
            target_prefix=streams_service.TARGET_PREFIX,
            operations=streams.operations,
            validator=ShapeValidator(load_service_model(*streams_service.MODEL)),
            max_request_bytes=streams.max_request_bytes,
        ),
        JsonService(
            target_prefix=logs_service.TARGET_PREFIX,
            operations=logs.operations,
            validator=FrontEnd(ShapeValidator(load_service_model(*logs_service.MODEL))),
            max_request_bytes=logs.max_request_bytes,
            content_type=logs_service.CONTENT_TYPE,
        ),
    ]
    maintenance: list[asyncio.Task[None]] = []

    async def maintain() -> None:
        busy = False
        while True:
            await asyncio.sleep(MAINTENANCE_PAUSE_SECONDS if busy else idle_pause)
            try:
                busy = dynamodb.maintain(MAINTENANCE_SLICE_SECONDS)
                logs.maintain()
                streams.maintain()
                engine.commit()
                poller.notify()  # TTL deletions are stream records too
            except Exception:
                busy = False
                log.exception("maintenance failed")

    async def start() -> None:
        maintenance.append(asyncio.create_task(maintain()))
        await poller.start()
        lambda_.resume()  # the Event invocations queued when the server last stopped

    async def stop() -> None:
        await poller.stop()
        for task in maintenance:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await runner.shutdown()
        if settings.data_dir is None:
            shutil.rmtree(code_root, ignore_errors=True)
        engine.close()

    def health() -> dict[str, Any]:
        return {
            "status": "healthy",
            "version": __version__,
            "engine": "sqlite",
            "persistent": settings.data_dir is not None,
            "services": {
                "dynamodb": {"tables": dynamodb.table_count()},
                "logs": {"log_groups": logs.group_count()},
                "lambda": {"functions": lambda_.function_count()},
            },
        }

    return Router(
        services,
        health,
        engine,
        on_startup=[start],
        on_shutdown=[stop],
        rest_services=rest_services,
        on_commit=[poller.notify],
    )


def endpoint_url(host: str, port: int) -> str:
    """The URL a local client reaches this server at (a wildcard address means loopback)."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def asgi_app() -> GureumApp:
    """An ASGI application configured from the GUREUM_* environment variables, for running
    gureum under another ASGI server: ``uvicorn --factory gureum.app:asgi_app``."""
    return GureumApp(build_router(settings_from_environment()))
