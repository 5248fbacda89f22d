"""The embedded engine: one SQLite database file (or memory), WAL journal.

Layout: ``catalog`` (one row per table), ``changes`` (the change log; its rowid is the
sequence number) and one ``items_<id>`` table per catalog entry, a WITHOUT ROWID b-tree
keyed by (h, pk, sk) so that point reads, partition range reads and hash-ordered scans are
all single index walks.

Durability: WAL with ``synchronous=NORMAL``. A committed transaction is in the WAL file
before ``commit()`` returns, so a crash of the process loses nothing acknowledged (a crash
of the operating system or a power cut may lose the last transactions; ``durable_fsync``
switches to ``synchronous=FULL`` for that).

The connection is used from one thread at a time (the server's event loop); SQL strings are
built once per table and reused, so the sqlite3 module's statement cache always hits.
"""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING

from gureum.storage.engine import (
    AlreadyExistsError,
    CatalogEntry,
    ChangeRecord,
    Key,
    KeyRange,
    RangeRow,
    Row,
    StorageError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path
    from types import TracebackType

DATABASE_FILE = "gureum.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS catalog (
    id INTEGER PRIMARY KEY,
    account TEXT NOT NULL,
    region TEXT NOT NULL,
    name TEXT NOT NULL,
    document BLOB NOT NULL,
    UNIQUE (account, region, name)
);
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY,
    table_id INTEGER NOT NULL,
    ts REAL NOT NULL,
    h INTEGER NOT NULL,
    pk BLOB NOT NULL,
    sk BLOB NOT NULL,
    old BLOB,
    new BLOB
);
"""


class _TableSql:
    """The SQL text of one items table, built once."""

    __slots__ = ("delete", "get", "put", "query", "scan_after", "scan_first", "stats")

    def __init__(self, table_id: int) -> None:
        t = f"items_{table_id}"
        self.get = f"SELECT size, item FROM {t} WHERE h = ? AND pk = ? AND sk = ?"
        self.put = f"INSERT OR REPLACE INTO {t} (h, pk, sk, size, item) VALUES (?, ?, ?, ?, ?)"
        self.delete = f"DELETE FROM {t} WHERE h = ? AND pk = ? AND sk = ?"
        cols = f"SELECT h, pk, sk, size, item FROM {t}"
        self.scan_first = f"{cols} WHERE h >= ? AND h < ? ORDER BY h, pk, sk LIMIT ?"
        self.scan_after = (
            f"{cols} WHERE h >= ? AND h < ? AND (h, pk, sk) > (?, ?, ?) ORDER BY h, pk, sk LIMIT ?"
        )
        self.stats = f"SELECT count(*), total(size) FROM {t}"
        # Query statements by (has low, low inclusive, has high, high inclusive, forward)
        self.query: dict[tuple[bool, bool, bool, bool, bool], str] = {}
        for has_low in (False, True):
            for low_incl in (False, True):
                for has_high in (False, True):
                    for high_incl in (False, True):
                        for forward in (False, True):
                            where = "h = ? AND pk = ?"
                            if has_low:
                                where += " AND sk >= ?" if low_incl else " AND sk > ?"
                            if has_high:
                                where += " AND sk <= ?" if high_incl else " AND sk < ?"
                            order = "ASC" if forward else "DESC"
                            self.query[has_low, low_incl, has_high, high_incl, forward] = (
                                f"{cols} WHERE {where} ORDER BY sk {order} LIMIT ?"
                            )


_INSERT_CHANGE = (
    "INSERT INTO changes (table_id, ts, h, pk, sk, old, new) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


class SqliteEngine:
    def __init__(self, data_dir: Path | None, *, durable_fsync: bool = False) -> None:
        """``data_dir`` None keeps everything in memory (nothing survives the process)."""
        if data_dir is None:
            target = ":memory:"
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            target = str(data_dir / DATABASE_FILE)
        try:
            self._conn = sqlite3.connect(
                target, isolation_level=None, check_same_thread=False, cached_statements=1024
            )
            self._conn.executescript(
                "PRAGMA journal_mode=WAL;"
                f"PRAGMA synchronous={'FULL' if durable_fsync else 'NORMAL'};"
                "PRAGMA temp_store=MEMORY;"
                "PRAGMA cache_size=-65536;"
            )
            self._conn.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the SQLite database at {target}: {exc}") from exc
        self._sql: dict[int, _TableSql] = {}
        for (entry_id,) in self._conn.execute("SELECT id FROM catalog"):
            self._sql[entry_id] = _TableSql(entry_id)
        self._txn = _SqliteTransaction(self)

    # --- catalog

    def catalog(self) -> list[CatalogEntry]:
        rows = self._conn.execute("SELECT id, account, region, name, document FROM catalog")
        return [CatalogEntry(*row) for row in rows]

    def create_entry(self, account: str, region: str, name: str, document: bytes) -> int:
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cur = conn.execute(
                    "INSERT INTO catalog (account, region, name, document) VALUES (?, ?, ?, ?)",
                    (account, region, name, document),
                )
                entry_id = cur.lastrowid
                assert entry_id is not None
                conn.execute(
                    f"CREATE TABLE items_{entry_id} (h INTEGER NOT NULL, pk BLOB NOT NULL,"
                    " sk BLOB NOT NULL, size INTEGER NOT NULL, item BLOB NOT NULL,"
                    " PRIMARY KEY (h, pk, sk)) WITHOUT ROWID"
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.IntegrityError as exc:
            raise AlreadyExistsError(name) from exc
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        self._sql[entry_id] = _TableSql(entry_id)
        return entry_id

    def update_entry(self, entry_id: int, document: bytes) -> None:
        self._write("UPDATE catalog SET document = ? WHERE id = ?", (document, entry_id))

    def drop_entry(self, entry_id: int) -> None:
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute("DELETE FROM catalog WHERE id = ?", (entry_id,))
                conn.execute("DELETE FROM changes WHERE table_id = ?", (entry_id,))
                conn.execute(f"DROP TABLE IF EXISTS items_{entry_id}")
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        self._sql.pop(entry_id, None)

    # --- items

    def get(self, table_id: int, key: Key) -> Row | None:
        row: Row | None = self._conn.execute(self._sql[table_id].get, key).fetchone()
        return row

    def query(
        self,
        table_id: int,
        hash_: int,
        partition: bytes,
        sort_range: KeyRange,
        forward: bool,
        limit: int,
    ) -> list[RangeRow]:
        low, high = sort_range.low, sort_range.high
        sql = self._sql[table_id].query[
            low is not None,
            sort_range.low_inclusive,
            high is not None,
            sort_range.high_inclusive,
            forward,
        ]
        params: list[object] = [hash_, partition]
        if low is not None:
            params.append(low)
        if high is not None:
            params.append(high)
        params.append(limit)
        return self._conn.execute(sql, params).fetchall()

    def scan(
        self, table_id: int, hash_low: int, hash_high: int, after: Key | None, limit: int
    ) -> list[RangeRow]:
        sql = self._sql[table_id]
        if after is None:
            return self._conn.execute(sql.scan_first, (hash_low, hash_high, limit)).fetchall()
        return self._conn.execute(sql.scan_after, (hash_low, hash_high, *after, limit)).fetchall()

    def item_stats(self, table_id: int) -> tuple[int, int]:
        count, total = self._conn.execute(self._sql[table_id].stats).fetchone()
        return int(count), int(total)

    def transaction(self) -> _SqliteTransaction:
        return self._txn

    # --- change log

    def changes(self, table_id: int, after_seq: int, limit: int) -> list[ChangeRecord]:
        rows = self._conn.execute(
            "SELECT seq, table_id, ts, h, pk, sk, old, new FROM changes"
            " WHERE seq > ? AND table_id = ? ORDER BY seq LIMIT ?",
            (after_seq, table_id, limit),
        )
        return [
            ChangeRecord(seq, tid, ts, (h, pk, sk), old, new)
            for seq, tid, ts, h, pk, sk, old, new in rows
        ]

    def last_seq(self) -> int:
        (seq,) = self._conn.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()
        return int(seq)

    def prune_changes(self, up_to_seq: int, keep_tables: Iterable[int] = ()) -> int:
        keep = sorted(set(keep_tables))
        sql = "DELETE FROM changes WHERE seq <= ?"
        if keep:
            sql += f" AND table_id NOT IN ({','.join('?' * len(keep))})"
        return self._write(sql, (up_to_seq, *keep))

    def close(self) -> None:
        try:
            self._conn.execute("PRAGMA optimize")
            self._conn.close()
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    # --- internals

    def _write(self, sql: str, params: tuple[object, ...]) -> int:
        try:
            return self._conn.execute(sql, params).rowcount
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc


class _SqliteTransaction:
    """BEGIN IMMEDIATE ... COMMIT around the block; reused (the engine has one connection
    and the server runs one transaction at a time on it)."""

    __slots__ = ("_conn", "_now", "_sql")

    def __init__(self, engine: SqliteEngine) -> None:
        self._conn = engine._conn
        self._sql = engine._sql
        self._now = time.time

    def __enter__(self) -> _SqliteTransaction:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
        except sqlite3.Error as err:
            if exc_type is None:
                self._conn.execute("ROLLBACK")
                raise StorageError(str(err)) from err

    def get(self, table_id: int, key: Key) -> Row | None:
        row: Row | None = self._conn.execute(self._sql[table_id].get, key).fetchone()
        return row

    def put(self, table_id: int, key: Key, size: int, document: bytes, old: Row | None) -> None:
        conn = self._conn
        h, pk, sk = key
        conn.execute(self._sql[table_id].put, (h, pk, sk, size, document))
        conn.execute(
            _INSERT_CHANGE,
            (table_id, self._now(), h, pk, sk, None if old is None else old[1], document),
        )

    def delete(self, table_id: int, key: Key, old: Row) -> None:
        conn = self._conn
        conn.execute(self._sql[table_id].delete, key)
        h, pk, sk = key
        conn.execute(_INSERT_CHANGE, (table_id, self._now(), h, pk, sk, old[1], None))
