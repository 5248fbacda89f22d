"""WAL checkpoints on a thread of their own.

A checkpoint copies committed pages from the WAL into the database file and fsyncs it. Done
inside a commit (SQLite's default), that copy and fsync land on one unlucky request; here a
background thread with its own connection runs them, so commits on the request path only
append to the WAL. The thread holds no Python lock while SQLite works.

SQLite starts the WAL over only when a writer finds it fully checkpointed, which a background
checkpoint racing a busy writer rarely leaves it. So once the WAL passes ``reset_frames``, the
writer's own connection runs a last (short) checkpoint between two of its transactions,
letting the next transaction restart the WAL: it stays bounded under any load.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger("gureum.storage")

CHECKPOINT_INTERVAL_SECONDS = 0.25
# 4,096 frames of 4 KB: a WAL of about 16 MB before the writer helps restart it
RESET_FRAMES = 4096


class Checkpointer:
    def __init__(
        self,
        path: str,
        interval: float = CHECKPOINT_INTERVAL_SECONDS,
        reset_frames: int = RESET_FRAMES,
    ) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._interval = interval
        self._reset_frames = reset_frames
        self._wal_frames = 0  # WAL length seen by the last checkpoint
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gureum-checkpointer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                _, frames, _ = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self._wal_frames = frames
            except sqlite3.Error:
                log.exception("WAL checkpoint failed")

    def after_commit(self, writer: sqlite3.Connection) -> None:
        """Called by the writer between transactions: finish a long WAL's checkpoint."""
        if self._wal_frames > self._reset_frames:
            self._wal_frames = 0
            writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()

    def close(self) -> None:
        """Stop the thread and fold the whole WAL into the database file."""
        self._stop.set()
        self._thread.join()
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            self._conn.close()
