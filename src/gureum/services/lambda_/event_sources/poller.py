"""Delivery: each enabled mapping reads its stream through the Streams operations, in process,
and invokes its function with batches of records.

A mapping's task lists the stream's shards and starts a reader per shard once the shard's
parent is done (its lineage, however deep). A reader fetches records and deals them to
lanes: one lane unless ParallelizationFactor is higher, records of one partition key always in
the same lane, so they stay in order. A lane gathers a batch (up to BatchSize, waiting up to
MaximumBatchingWindowInSeconds), invokes the function, and retries a failed batch as the mapping
says (bisecting, partial batch responses, retry and age limits, then the OnFailure
destination); records older than MaximumRecordAgeInSeconds are given up on before they are
sent. With a tumbling window, the shard has one lane, which carries the window's state (see
:mod:`.lanes`). A reader with nothing to read waits until a commit grows the change log
(:meth:`Poller.notify`, called after each commit, wakes the readers at most every
``CHANGE_TICK_SECONDS``, so a record reaches its function within milliseconds and idle
mappings cost nothing), or ``IDLE_POLL_SECONDS`` at the most. The shard's checkpoint — the
last record done with — moves over records only once every record before them is done, and is
saved in the mapping's catalog record.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import uuid
import zlib
from collections import deque
from typing import TYPE_CHECKING, Any

import orjson

from gureum.core.context import RequestContext, new_request_id
from gureum.core.errors import ServiceError
from gureum.services.lambda_.event_sources import events, limits, model
from gureum.services.lambda_.event_sources.filters import compile_filter_criteria
from gureum.services.lambda_.event_sources.lanes import END, Lane

if TYPE_CHECKING:
    from collections.abc import Callable
    from collections.abc import Mapping as Table

    from gureum.core.clock import Clock
    from gureum.services.lambda_.event_sources.model import Mapping, MappingStore
    from gureum.services.lambda_.service import LambdaService

    Handler = Callable[[RequestContext, dict[str, Any]], Any]

log = logging.getLogger("gureum.lambda.esm")


class Poller:
    def __init__(
        self,
        store: MappingStore,
        streams: Table[str, Handler],
        lambda_: LambdaService,
        clock: Clock,
        last_seq: Callable[[], int],
        latest: Callable[[RequestContext, str, str], str],
    ) -> None:
        """``last_seq`` tells the change log's last sequence number (it grows with writes);
        ``latest(ctx, stream arn, shard id)`` where a shard's LATEST position is now."""
        self.store = store
        self.streams = streams
        self.lambda_ = lambda_
        self.clock = clock
        self._last_seq = last_seq
        self._latest = latest
        self._tasks: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self._wake: asyncio.Event | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._changed = asyncio.Event()  # set (and replaced) when the change log grew
        self._seen_seq = -1
        self._pulse: asyncio.TimerHandle | None = None
        self._last_pulse = -math.inf

    # --- the Streams API, in process

    def call(self, mapping: Mapping, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        ctx = RequestContext(mapping.account, mapping.region, new_request_id())
        out: dict[str, Any] = self.streams[operation](ctx, request)
        return out

    def describe(self, account: str, region: str, arn: str) -> dict[str, Any]:
        """The stream's description with every shard (ServiceError if there is no stream)."""
        ctx = RequestContext(account, region, new_request_id())
        shards: list[dict[str, Any]] = []
        request: dict[str, Any] = {"StreamArn": arn}
        while True:
            description: dict[str, Any] = self.streams["DescribeStream"](ctx, request)[
                "StreamDescription"
            ]
            shards += description["Shards"]
            last = description.get("LastEvaluatedShardId")
            if last is None:
                description["Shards"] = shards
                return description
            request = {"StreamArn": arn, "ExclusiveStartShardId": last}

    def stream_exists(self, account: str, region: str, arn: str) -> bool:
        try:
            self.describe(account, region, arn)
        except ServiceError:
            return False
        return True

    def pin_latest(self, mapping: Mapping) -> None:
        """Checkpoint every shard at its end now: closed shards are done, open ones resume
        after the last record written so far."""
        description = self.describe(mapping.account, mapping.region, mapping.event_source_arn)
        for shard in description["Shards"]:
            shard_id = shard["ShardId"]
            if "EndingSequenceNumber" in shard["SequenceNumberRange"]:
                mapping.finished.append(shard_id)
                continue
            ctx = RequestContext(mapping.account, mapping.region, new_request_id())
            latest = self._latest(ctx, mapping.event_source_arn, shard_id)
            mapping.checkpoints[shard_id] = latest

    # --- persistence

    def save(self, mapping: Mapping) -> None:
        """Write the mapping's record (checkpoints included); the server's next group commit
        or maintenance pass makes it durable, as it does the writes of requests."""
        self.store.save(mapping)

    def set_result(self, mapping: Mapping, result: str) -> None:
        if mapping.last_result != result:
            mapping.last_result = result
            self.save(mapping)

    # --- supervision

    async def start(self) -> None:
        self._wake = asyncio.Event()
        self._supervisor = asyncio.create_task(self._supervise())

    async def stop(self) -> None:
        tasks = [t for _, t in self._tasks.values()]
        if self._supervisor is not None:
            tasks.append(self._supervisor)
        if self._pulse is not None:
            self._pulse.cancel()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks.clear()

    def refresh(self) -> None:
        """Mappings changed: the tasks of mappings deleted, disabled or changed stop at once
        (before any further record is delivered); the supervisor starts what is wanted."""
        for key, (version, task) in self._tasks.items():
            mapping = self.store.get(key)
            if mapping is None or not mapping.enabled or mapping.last_modified != version:
                task.cancel()
        if self._wake is not None:
            self._wake.set()

    async def changes(self) -> None:
        """Return once the change log has grown (or after ``IDLE_POLL_SECONDS``)."""
        # asyncio.timeout, not wait_for: Python 3.11's wait_for loses a cancellation that comes
        # as the awaited event is set, which would leave a stopped mapping's reader running
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(limits.IDLE_POLL_SECONDS):
                await self._changed.wait()

    def notify(self) -> None:
        """Writes were committed: wake the idle readers if the change log grew (at once, or
        ``CHANGE_TICK_SECONDS`` after the last wake-up, so that busy tables cost little)."""
        if self._pulse is not None or not self._tasks:
            return
        loop = asyncio.get_running_loop()
        delay = self._last_pulse + limits.CHANGE_TICK_SECONDS - loop.time()
        self._pulse = loop.call_later(max(delay, 0.0), self._wake_readers)

    def _wake_readers(self) -> None:
        self._pulse = None
        self._last_pulse = asyncio.get_running_loop().time()
        seq = self._last_seq()
        if seq != self._seen_seq:
            self._seen_seq = seq
            changed, self._changed = self._changed, asyncio.Event()
            changed.set()

    async def _supervise(self) -> None:
        assert self._wake is not None
        while True:
            wanted = {m.uuid: m for m in self.store.all() if m.enabled}
            for key, (version, task) in list(self._tasks.items()):
                mapping = wanted.get(key)
                if mapping is None or mapping.last_modified != version or task.done():
                    task.cancel()
                    try:
                        await task
                    except asyncio.CancelledError:
                        pass
                    except Exception:
                        log.exception("event source mapping %s failed; restarting it", key)
                    del self._tasks[key]
            for key, mapping in wanted.items():
                if key not in self._tasks:
                    task = asyncio.create_task(MappingReader(self, mapping).run())
                    self._tasks[key] = (mapping.last_modified, task)
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(limits.SHARD_SCAN_SECONDS):
                    await self._wake.wait()


class MappingReader:
    """One enabled mapping: starts a reader per shard, parents before children."""

    def __init__(self, poller: Poller, mapping: Mapping) -> None:
        self.poller = poller
        self.mapping = mapping
        self.filter = compile_filter_criteria(mapping.filter_criteria)
        self.shard_done = asyncio.Event()

    async def run(self) -> None:
        mapping = self.mapping
        readers: dict[str, asyncio.Task[None]] = {}
        try:
            while True:
                try:
                    description = self.poller.describe(
                        mapping.account, mapping.region, mapping.event_source_arn
                    )
                except ServiceError:
                    self.poller.set_result(mapping, model.STREAM_GONE)
                    await asyncio.sleep(limits.PROBLEM_RETRY_SECONDS)
                    continue
                hash_key = next(
                    (
                        k["AttributeName"]
                        for k in description["KeySchema"]
                        if k["KeyType"] == "HASH"
                    ),
                    "",
                )
                known = {s["ShardId"] for s in description["Shards"]}
                self.forget_trimmed(known)
                for shard in description["Shards"]:
                    shard_id, parent = shard["ShardId"], shard.get("ParentShardId")
                    if shard_id in mapping.finished or shard_id in readers:
                        continue
                    if parent is not None and parent in known and parent not in mapping.finished:
                        continue  # the parent's records come first
                    reader = ShardReader(self, shard, hash_key)
                    readers[shard_id] = asyncio.create_task(reader.run())
                for shard_id, task in list(readers.items()):
                    if task.done():
                        del readers[shard_id]
                self.shard_done.clear()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(limits.SHARD_SCAN_SECONDS):
                        await self.shard_done.wait()
        finally:
            for task in readers.values():
                task.cancel()
            for task in readers.values():
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    def forget_trimmed(self, known: set[str]) -> None:
        """Drop the bookkeeping of shards the stream no longer lists (trimmed after 24 hours),
        so a long-lived mapping's record stays small."""
        mapping = self.mapping
        gone = [s for s in mapping.finished if s not in known]
        gone += [s for s in mapping.checkpoints if s not in known]
        gone += [s for s in mapping.windows if s not in known]
        if not gone:
            return
        mapping.finished[:] = [s for s in mapping.finished if s in known]
        for shard_id in gone:
            mapping.checkpoints.pop(shard_id, None)
            mapping.windows.pop(shard_id, None)
        self.poller.save(mapping)


class ShardReader:
    """One shard of one mapping: fetches, deals records to lanes, keeps the checkpoint."""

    def __init__(self, owner: MappingReader, shard: dict[str, Any], hash_key: str) -> None:
        self.owner = owner
        self.poller = owner.poller
        self.mapping = owner.mapping
        self.shard_id: str = shard["ShardId"]
        self.start = int(shard["SequenceNumberRange"]["StartingSequenceNumber"])
        self.hash_key = hash_key
        self.position: str | None = self.mapping.checkpoints.get(self.shard_id)
        self.pending: deque[str] = deque()  # fetched, not yet done with, in order
        self.done: set[str] = set()
        self.progress = asyncio.Event()
        self.at_tip = asyncio.Event()  # the last GetRecords found nothing new

    def iterator(self) -> str:
        request: dict[str, Any] = {
            "StreamArn": self.mapping.event_source_arn,
            "ShardId": self.shard_id,
            "ShardIteratorType": "TRIM_HORIZON",
        }
        if self.position is not None and int(self.position) >= self.start:
            request["ShardIteratorType"] = "AFTER_SEQUENCE_NUMBER"
            request["SequenceNumber"] = self.position
        try:
            token: str = self.poller.call(self.mapping, "GetShardIterator", request)[
                "ShardIterator"
            ]
        except ServiceError as error:
            if error.code != "TrimmedDataAccessException":
                raise
            request = {k: v for k, v in request.items() if k != "SequenceNumber"}
            request["ShardIteratorType"] = "TRIM_HORIZON"
            token = self.poller.call(self.mapping, "GetShardIterator", request)["ShardIterator"]
        return token

    def finish(self, number: str) -> None:
        """A record is done with: move the checkpoint over every record done in order."""
        checkpoint = self.mapping.checkpoints.get(self.shard_id)
        if checkpoint is not None and int(number) <= int(checkpoint):
            return  # already behind the checkpoint (a partial batch response finished it)
        self.done.add(number)
        moved = None
        while self.pending and self.pending[0] in self.done:
            moved = self.pending.popleft()
            self.done.discard(moved)
        if moved is not None:
            self.mapping.checkpoints[self.shard_id] = moved
            self.poller.save(self.mapping)
        self.progress.set()

    async def run(self) -> None:
        mapping = self.mapping
        # [gureum] a tumbling window's state is the shard's: its records go through one lane
        count = 1 if mapping.tumbling_window else max(1, mapping.parallelization)
        lanes = [Lane(self, i) for i in range(count)]
        workers = [asyncio.create_task(lane.run()) for lane in lanes]
        read_ahead = mapping.batch_size * limits.READ_AHEAD_BATCHES * len(lanes)
        try:
            token: str | None = None
            while True:
                if len(self.pending) >= read_ahead:
                    self.progress.clear()
                    await self.progress.wait()
                    continue
                try:
                    if token is None:
                        token = self.iterator()
                    out = self.poller.call(mapping, "GetRecords", {"ShardIterator": token})
                except ServiceError as error:
                    token = None
                    if error.code == "ResourceNotFoundException":
                        self.poller.set_result(mapping, model.STREAM_GONE)
                        await asyncio.sleep(limits.PROBLEM_RETRY_SECONDS)
                    else:
                        await asyncio.sleep(limits.IDLE_POLL_SECONDS)
                    continue
                for record in out["Records"]:
                    self.deal(events.lambda_record(record, mapping.event_source_arn), lanes)
                if out["Records"]:
                    self.at_tip.clear()
                else:
                    self.at_tip.set()
                token = out.get("NextShardIterator")
                if token is None:  # a closed shard read to its end
                    while self.pending:
                        self.progress.clear()
                        await self.progress.wait()
                    for lane in lanes:  # "When the shard ends, Lambda considers the window closed"
                        lane.queue.put_nowait(END)
                    for lane in lanes:
                        await lane.ended.wait()
                    mapping.finished.append(self.shard_id)
                    self.poller.save(mapping)
                    self.owner.shard_done.set()
                    return
                if not out["Records"]:
                    await self.poller.changes()
        finally:
            for worker in workers:
                worker.cancel()
            for worker in workers:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await worker

    def deal(self, record: dict[str, Any], lanes: list[Lane]) -> None:
        number: str = record["dynamodb"]["SequenceNumber"]
        self.position = number
        self.pending.append(number)
        if not self.owner.filter(record):
            self.finish(number)  # filtered out: never delivered, checkpointed past
            return
        lane = 0
        if len(lanes) > 1:
            key = record["dynamodb"].get("Keys", {}).get(self.hash_key)
            lane = zlib.crc32(orjson.dumps(key, option=orjson.OPT_SORT_KEYS)) % len(lanes)
        lanes[lane].queue.put_nowait(record)

    # --- invoking

    async def invoke(self, function_arn: str, payload: bytes) -> tuple[Any, str]:
        """Invoke until the function takes the call (throttles are waited out, not failures);
        returns (outcome, request id)."""
        mapping = self.mapping
        while True:
            request_id = str(uuid.uuid4())
            try:
                outcome = await self.poller.lambda_.invoke_function(
                    mapping.account, mapping.region, function_arn, payload, request_id
                )
            except ServiceError as error:
                if error.code == "TooManyRequestsException":
                    await asyncio.sleep(limits.THROTTLE_RETRY_SECONDS)
                else:
                    self.poller.set_result(mapping, model.FUNCTION_GONE)
                    await asyncio.sleep(limits.PROBLEM_RETRY_SECONDS)
                continue
            except Exception:
                log.exception("event source mapping %s: invocation failed", mapping.uuid)
                self.poller.set_result(mapping, model.FUNCTION_FAILED)
                await asyncio.sleep(limits.PROBLEM_RETRY_SECONDS)
                continue
            return outcome, request_id

    async def send_failure(
        self, records: list[dict[str, Any]], condition: str, count: int, function_error: str | None
    ) -> None:
        mapping = self.mapping
        destination = mapping.on_failure
        if destination is None:
            return
        record = events.failure_record(
            request_id=str(uuid.uuid4()),
            function_arn=mapping.function_arn,
            condition=condition,
            invoke_count=count,
            function_error=function_error,
            now=self.poller.clock.now(),
            shard_id=self.shard_id,
            records=records,
            stream_arn=mapping.event_source_arn,
        )
        payload = orjson.dumps(record)
        for _ in range(100):
            try:
                await self.poller.lambda_.invoke_function(
                    mapping.account, mapping.region, destination, payload, str(uuid.uuid4())
                )
            except ServiceError as error:
                if error.code != "TooManyRequestsException":
                    log.warning("OnFailure destination %s: %s", destination, error.message)
                    return
                await asyncio.sleep(limits.THROTTLE_RETRY_SECONDS)
            else:
                return
