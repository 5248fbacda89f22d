"""A lane of a shard: gathers batches from its queue and delivers each one, retrying a failing
batch as its mapping says, before it takes the next (so its records stay in order)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import orjson

from gureum.services.lambda_.event_sources import events, limits, model

if TYPE_CHECKING:
    from gureum.services.lambda_.event_sources.poller import ShardReader

RETRIES_EXHAUSTED = "RetryAttemptsExhausted"
TOO_OLD = "RecordAgeExceeded"
_REPORT = "ReportBatchItemFailures"


class Lane:
    def __init__(self, shard: ShardReader, index: int) -> None:
        self.shard = shard
        self.index = index
        self.queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        mapping = self.shard.mapping
        while True:
            batch = [await self.queue.get()]
            deadline = loop.time() + mapping.batching_window
            while len(batch) < mapping.batch_size:
                if not self.queue.empty():
                    batch.append(self.queue.get_nowait())
                    continue
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    # asyncio.timeout, not wait_for: Python 3.11's wait_for can lose an item
                    # (and a cancellation) that arrive together
                    async with asyncio.timeout(remaining):
                        batch.append(await self.queue.get())
                except TimeoutError:
                    break
            await self.deliver(batch)
            for record in batch:
                self.shard.finish(record["dynamodb"]["SequenceNumber"])

    async def deliver(self, batch: list[dict[str, Any]]) -> None:
        """Deliver ``batch`` until it succeeds or is given up on (sent to OnFailure)."""
        shard, mapping = self.shard, self.shard.mapping
        parts: list[tuple[list[dict[str, Any]], int]] = [(batch, 0)]
        while parts:
            records, attempts = parts.pop(0)
            payload = orjson.dumps(events.event(records))
            outcome, _request_id = await shard.invoke(mapping.function_arn, payload)
            failed = _failed_from(records, outcome, _REPORT in mapping.response_types)
            if failed is None:
                shard.poller.set_result(mapping, model.OK)
                continue
            shard.poller.set_result(mapping, model.FUNCTION_FAILED)
            for record in records[:failed]:  # a partial batch response: these succeeded
                shard.finish(record["dynamodb"]["SequenceNumber"])
            records = records[failed:]
            oldest = records[0]["dynamodb"]["ApproximateCreationDateTime"]
            too_old = (
                mapping.record_age != -1 and shard.poller.clock.now() - oldest > mapping.record_age
            )
            if mapping.bisect and len(records) > 1 and not too_old:
                # split in two and retry the halves: splitting does not count as a retry
                middle = len(records) // 2
                parts[0:0] = [(records[:middle], attempts), (records[middle:], attempts)]
                await asyncio.sleep(limits.RETRY_BACKOFF_SECONDS)
                continue
            attempts += 1
            condition = None
            if too_old:
                condition = TOO_OLD
            elif mapping.retry_attempts != -1 and attempts > mapping.retry_attempts:
                condition = RETRIES_EXHAUSTED
            if condition is not None:
                await shard.send_failure(records, condition, attempts, outcome.function_error)
                continue
            parts.insert(0, (records, attempts))
            backoff = limits.RETRY_BACKOFF_SECONDS * attempts
            await asyncio.sleep(min(backoff, limits.MAX_RETRY_BACKOFF_SECONDS))


def _failed_from(records: list[dict[str, Any]], outcome: Any, report: bool) -> int | None:
    """None if the batch succeeded, else the index of its first failed record (0: all)."""
    if outcome.function_error is not None:
        return 0
    if not report:
        return None
    try:
        response = orjson.loads(outcome.payload)
    except orjson.JSONDecodeError:
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
