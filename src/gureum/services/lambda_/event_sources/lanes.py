"""A lane of a shard: gathers batches from its queue and delivers each one, retrying a failing
batch as its mapping says, before it takes the next (so its records stay in order).

With a tumbling window (the shard's only lane) a batch holds records of one window; the state
the function returns is carried to its next invocation in the window, and once the window is
over the lane makes the window's final invocation (``isFinalInvokeForWindow``) with the
records still waiting, if any, and drops the state.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import orjson

from gureum.services.lambda_.event_sources import events, limits, model, windows

if TYPE_CHECKING:
    from gureum.services.lambda_.event_sources.poller import ShardReader

RETRIES_EXHAUSTED = "RetryAttemptsExhausted"
TOO_OLD = "RecordAgeExceeded"
_REPORT = "ReportBatchItemFailures"
# put on the queue when the shard has ended: the lane closes its window
END: dict[str, Any] = {}


class Lane:
    def __init__(self, shard: ShardReader, index: int) -> None:
        self.shard = shard
        self.index = index
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.ended = asyncio.Event()
        self.held: dict[str, Any] | None = None  # taken from the queue for the next batch
        self.window: windows.Window | None = None
        saved = shard.mapping.windows.get(shard.shard_id)
        if saved is not None and shard.mapping.tumbling_window:
            self.window = windows.Window.from_document(saved)

    async def run(self) -> None:
        mapping = self.shard.mapping
        while True:
            first = await self.next_record()
            if first is END:
                await self.close_window()
                self.ended.set()
                continue
            if first is None:  # the open window is over
                await self.close_window()
                continue
            if mapping.tumbling_window:
                if self.window is not None and not self.window.holds(first):
                    await self.close_window()
                if self.window is None:
                    size = mapping.tumbling_window
                    self.window = windows.Window(windows.start_of(first, size), size)
            batch = await self.gather(first)
            final = self.window is not None and (self.held is not None or self.window_over())
            await self.deliver(batch, final)
            if final:
                self.window = None
            self.done_with(batch)
            if self.window is not None and self.window.terminated_early:
                await self.close_window()

    async def next_record(self) -> dict[str, Any] | None:
        """The next record (or END); None once the open window is over with none waiting."""
        if self.held is not None:
            record, self.held = self.held, None
            return record
        while self.window is not None and self.queue.empty():
            if self.window_over():
                return None
            remaining = self.window.closes_at - self.shard.poller.clock.now()
            try:
                # past its end, a window behind the shard's backlog waits for the reader
                async with asyncio.timeout(max(remaining, limits.WINDOW_BACKLOG_POLL_SECONDS)):
                    return await self.queue.get()
            except TimeoutError:
                continue
        return await self.queue.get()

    def window_over(self) -> bool:
        """The open window's time is up and the reader has read the shard to its tip (so no
        record of the window is still on its way)."""
        assert self.window is not None
        now = self.shard.poller.clock.now()
        return now >= self.window.closes_at and self.shard.at_tip.is_set()

    async def gather(self, first: dict[str, Any]) -> list[dict[str, Any]]:
        """A batch: up to BatchSize records, waiting up to MaximumBatchingWindowInSeconds (and
        no longer than the open window lasts); a record of another window waits in ``held``."""
        loop = asyncio.get_running_loop()
        mapping, window = self.shard.mapping, self.window
        batch = [first]
        deadline = loop.time() + mapping.batching_window
        if window is not None:
            until_close = window.closes_at - self.shard.poller.clock.now()
            deadline = min(deadline, loop.time() + until_close)
        while len(batch) < mapping.batch_size:
            if self.queue.empty():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    # asyncio.timeout, not wait_for: Python 3.11's wait_for can lose an item
                    # (and a cancellation) that arrive together
                    async with asyncio.timeout(remaining):
                        record = await self.queue.get()
                except TimeoutError:
                    break
            else:
                record = self.queue.get_nowait()
            if record is END or (window is not None and not window.holds(record)):
                self.held = record
                break
            batch.append(record)
        return batch

    async def close_window(self) -> None:
        """The open window's final invocation, with no records; then its state is dropped."""
        if self.window is not None:
            await self.deliver([], final=True)
            self.window = None
            self.done_with([])

    def done_with(self, records: list[dict[str, Any]]) -> None:
        """Keep the window's state with the checkpoint, then move the checkpoint over
        ``records`` (the checkpoint's save writes both)."""
        shard = self.shard
        if self.window is not None:
            shard.mapping.windows[shard.shard_id] = self.window.document()
        else:
            shard.mapping.windows.pop(shard.shard_id, None)
        if not records:
            shard.poller.save(shard.mapping)
        for record in records:
            shard.finish(record["dynamodb"]["SequenceNumber"])

    async def deliver(self, batch: list[dict[str, Any]], final: bool = False) -> None:
        """Deliver ``batch`` until it succeeds or is given up on (sent to OnFailure); records
        older than MaximumRecordAgeInSeconds are given up on before they are sent."""
        shard, mapping = self.shard, self.shard.mapping
        # (records, invocations so far, the last function error)
        parts: list[tuple[list[dict[str, Any]], int, str | None]] = [(batch, 0, None)]
        final_sent = False
        while parts:
            records, attempts, error = parts.pop(0)
            expired = self.expired(records)
            if expired:
                await shard.send_failure(records[:expired], TOO_OLD, attempts, error)
                records = records[expired:]
                if not records:
                    continue
            is_final = final and not parts  # the part holding the batch's last record
            outcome, _request_id = await shard.invoke(
                mapping.function_arn, self.payload(records, is_final)
            )
            failed = self.failed_from(records, outcome, is_final)
            if failed is None:
                shard.poller.set_result(mapping, model.OK)
                final_sent = final_sent or is_final
                continue
            shard.poller.set_result(mapping, model.FUNCTION_FAILED)
            if failed:  # a partial batch response: the records before ``failed`` succeeded
                self.done_with(records[:failed])
            records = records[failed:]
            if self.expired(records):
                parts.insert(0, (records, attempts + 1, outcome.function_error))
                continue
            if mapping.bisect and len(records) > 1:
                # split in two and retry the halves: splitting does not count as a retry
                middle = len(records) // 2
                parts[0:0] = [
                    (records[:middle], attempts, outcome.function_error),
                    (records[middle:], attempts, outcome.function_error),
                ]
                await asyncio.sleep(limits.RETRY_BACKOFF_SECONDS)
                continue
            attempts += 1
            if mapping.retry_attempts != -1 and attempts > mapping.retry_attempts:
                if records:
                    await shard.send_failure(
                        records, RETRIES_EXHAUSTED, attempts, outcome.function_error
                    )
                final_sent = final_sent or is_final
                continue
            parts.insert(0, (records, attempts, outcome.function_error))
            backoff = limits.RETRY_BACKOFF_SECONDS * attempts
            await asyncio.sleep(min(backoff, limits.MAX_RETRY_BACKOFF_SECONDS))
        if final and not final_sent:
            # the records that were to carry the final invocation were given up on: the
            # window still gets one
            await self.deliver([], final=True)

    def expired(self, records: list[dict[str, Any]]) -> int:
        """How many of ``records`` (oldest first) are older than MaximumRecordAgeInSeconds."""
        limit = self.shard.mapping.record_age
        if limit == -1:
            return 0
        oldest_allowed = self.shard.poller.clock.now() - limit
        count = 0
        for record in records:
            if record["dynamodb"]["ApproximateCreationDateTime"] >= oldest_allowed:
                break
            count += 1
        return count

    def payload(self, records: list[dict[str, Any]], final: bool) -> bytes:
        shard = self.shard
        if self.window is None:
            return orjson.dumps(events.event(records))
        return orjson.dumps(
            windows.event(
                records, self.window, shard.shard_id, shard.mapping.event_source_arn, final
            )
        )

    def failed_from(self, records: list[dict[str, Any]], outcome: Any, final: bool) -> int | None:
        """None if the invocation succeeded, else the index of its first failed record (0:
        all). In a window, the state the function returned is kept for the next invocation."""
        if outcome.function_error is not None:
            return 0
        report = _REPORT in self.shard.mapping.response_types
        if self.window is None and not report:
            return None
        try:
            response = orjson.loads(outcome.payload)
        except orjson.JSONDecodeError:
            response = None
        if self.window is not None:
            state = windows.state_of(response)
            if state is None:
                return 0
            if not final:
                self.window.keep(state)
        if not report:
            return None
        failures = response.get("batchItemFailures") if isinstance(response, dict) else None
        if not failures:
            return None
        numbers = [r["dynamodb"]["SequenceNumber"] for r in records]
        indexes = []
        for failure in failures:
            identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
            if identifier not in numbers:
                return 0  # an invalid identifier fails the whole batch
            indexes.append(numbers.index(identifier))
        return min(indexes)
