"""Log groups, streams and events survive a restart of a server with a data directory."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from conftest import GureumProcess
from logs.conftest import now_ms

if TYPE_CHECKING:
    from pathlib import Path


@pytest.mark.gureum_own
def test_restart(tmp_path: Path) -> None:
    server = GureumProcess(tmp_path)
    server.start()
    try:
        logs = server.client("logs")
        logs.create_log_group(logGroupName="/keep")
        logs.put_retention_policy(logGroupName="/keep", retentionInDays=7)
        logs.create_log_stream(logGroupName="/keep", logStreamName="s")
        start = now_ms() - 1000
        logs.put_log_events(
            logGroupName="/keep",
            logStreamName="s",
            logEvents=[{"timestamp": start + i, "message": f"m{i}"} for i in range(3)],
        )
        before = logs.describe_log_streams(logGroupName="/keep")["logStreams"]
        events = logs.filter_log_events(logGroupName="/keep")["events"]
    finally:
        server.kill()  # a crash: acknowledged writes must be there
    server = GureumProcess(tmp_path)
    server.start()
    try:
        logs = server.client("logs")
        (group,) = logs.describe_log_groups()["logGroups"]
        assert group["logGroupName"] == "/keep"
        assert group["retentionInDays"] == 7
        assert logs.describe_log_streams(logGroupName="/keep")["logStreams"] == before
        assert logs.filter_log_events(logGroupName="/keep")["events"] == events
        # ingestion sequences go on after the restart: new events sort after the old ones
        logs.put_log_events(
            logGroupName="/keep",
            logStreamName="s",
            logEvents=[{"timestamp": start + 2, "message": "again"}],
        )
        out = logs.get_log_events(logGroupName="/keep", logStreamName="s", startFromHead=True)
        assert [e["message"] for e in out["events"]] == ["m0", "m1", "m2", "again"]
    finally:
        server.stop()
