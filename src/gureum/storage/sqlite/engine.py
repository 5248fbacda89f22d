"""The embedded engine: one SQLite database file (or memory), WAL journal.

Layout: ``catalog`` (one row per table, or per record of another ``kind``), ``changes``
(the change log; its rowid is the sequence number) and, per table (and record with items),
an ``items_<id>`` table with a unique index on
(h, pk, sk): point reads, partition range reads and hash-ordered scans are index walks, and
random-key inserts append rows instead of rewriting a clustered b-tree of 1 KB rows. Each
secondary index of a table has an ``ix_<id>_<index>`` table the same way, keyed by the
index key and the base item's key bytes (bpk, bsk).

The change log is written in the writing statement's transaction: by triggers on each items
table for inserts and updates (no extra round trip from Python), by the delete itself for
deletes. A log record holds the change's sequence number, time, key, kind (insert, modify,
remove) and the item's old image; each item row holds the sequence number of its last change.
The new image is not stored twice: it is the old image of the key's next change, or the item
as it is now (:meth:`SqliteEngine.changes` puts both images back together).

Group commit: writes join one open transaction, and :meth:`SqliteEngine.commit` ends it. The
server commits once per event-loop turn and answers the requests of that turn only after the
commit returned, so a commit is shared by all concurrent writers and no write is acknowledged
before it is committed.

Durability: WAL with ``synchronous=NORMAL``. A committed transaction is in the WAL file before
``commit()`` returns, so a crash of the process loses nothing acknowledged (a crash of the
operating system or a power cut may lose the last transactions; ``durable_fsync`` switches to
``synchronous=FULL`` for that).

The connection is used from one thread (the server's event loop); SQL strings are built once
per table and reused, so the sqlite3 module's statement cache always hits.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from typing import TYPE_CHECKING, Any

from gureum.storage.engine import (
    AlreadyExistsError,
    BaseKey,
    CatalogEntry,
    ChangeRecord,
    IndexPosition,
    IndexRow,
    IndexScanPosition,
    Key,
    KeyRange,
    RangeRow,
    Row,
    StorageError,
)
from gureum.storage.sqlite.checkpointer import Checkpointer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path
    from types import TracebackType

DATABASE_FILE = "gureum.sqlite3"
# a restarted WAL is truncated back to this size
WAL_SIZE_LIMIT = 64 * 1024 * 1024

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
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    table_id INTEGER NOT NULL,
    ts REAL NOT NULL,
    h INTEGER NOT NULL,
    pk BLOB NOT NULL,
    sk BLOB NOT NULL,
    kind INTEGER NOT NULL,
    old BLOB
);
"""


# The catalog's ``kind`` of tables; records of other kinds are the services' (backups, ...).
TABLE_KIND = "table"


def _add_kind_column(conn: sqlite3.Connection) -> None:
    """Databases written before the catalog held records of other kinds get the ``kind``
    column, every existing entry a table."""
    columns = [row[1] for row in conn.execute("PRAGMA table_info(catalog)")]
    if "kind" not in columns:
        conn.execute(f"ALTER TABLE catalog ADD COLUMN kind TEXT NOT NULL DEFAULT '{TABLE_KIND}'")


# Change kinds in the log (a removal by the service itself is TTL's)
_INSERT, _MODIFY, _REMOVE, _SERVICE_REMOVE = 0, 1, 2, 3


def _items_ddl(table_id: int) -> list[str]:
    return _storage_ddl(table_id) + _log_ddl(table_id)


def _storage_ddl(table_id: int) -> list[str]:
    t = f"items_{table_id}"
    return [
        f"CREATE TABLE {t} (h INTEGER NOT NULL, pk BLOB NOT NULL, sk BLOB NOT NULL,"
        " size INTEGER NOT NULL, item BLOB NOT NULL, seq INTEGER NOT NULL)",
        f"CREATE UNIQUE INDEX {t}_key ON {t} (h, pk, sk)",
    ]


def _log_ddl(table_id: int) -> list[str]:
    """The triggers that log an items table's inserts and updates in the change log."""
    t = f"items_{table_id}"
    log = "INSERT INTO changes (seq, table_id, ts, h, pk, sk, kind, old) VALUES"
    return [
        f"CREATE TRIGGER {t}_log_insert AFTER INSERT ON {t} BEGIN {log}"
        f" (NEW.seq, {table_id}, gureum_now(), NEW.h, NEW.pk, NEW.sk, {_INSERT}, NULL); END",
        f"CREATE TRIGGER {t}_log_update AFTER UPDATE ON {t} BEGIN {log}"
        f" (NEW.seq, {table_id}, gureum_now(), NEW.h, NEW.pk, NEW.sk, {_MODIFY}, OLD.item); END",
    ]


class _TableSql:
    """The SQL text of one items table, built once."""

    __slots__ = (
        "delete",
        "get",
        "log_delete",
        "put",
        "query",
        "scan_after",
        "scan_first",
        "stats",
        "version",
    )

    def __init__(self, table_id: int) -> None:
        t = f"items_{table_id}"
        where_key = "WHERE h = ? AND pk = ? AND sk = ?"
        self.get = f"SELECT size, item FROM {t} {where_key}"
        self.version = f"SELECT seq, item FROM {t} {where_key}"
        self.put = (
            f"INSERT INTO {t} (h, pk, sk, size, item, seq) VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (h, pk, sk) DO UPDATE SET"
            " size = excluded.size, item = excluded.item, seq = excluded.seq"
        )
        self.log_delete = (
            "INSERT INTO changes (seq, table_id, ts, h, pk, sk, kind, old)"
            f" SELECT ?, {table_id}, gureum_now(), h, pk, sk, ?, item FROM {t} {where_key}"
        )
        self.delete = f"DELETE FROM {t} {where_key}"
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


def _index_table(table_id: int, index_id: int) -> str:
    return f"ix_{table_id}_{index_id}"


class _IndexSql:
    """The SQL text of one index table, built once; range reads are built per shape."""

    __slots__ = ("_query", "delete", "put", "scan_after", "scan_first", "stats", "table")

    def __init__(self, table_id: int, index_id: int) -> None:
        t = self.table = _index_table(table_id, index_id)
        self.put = (
            f"INSERT INTO {t} (h, pk, sk, bpk, bsk, size, item) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (h, pk, sk, bpk, bsk) DO UPDATE SET"
            " size = excluded.size, item = excluded.item"
        )
        self.delete = f"DELETE FROM {t} WHERE h = ? AND pk = ? AND sk = ? AND bpk = ? AND bsk = ?"
        cols = f"SELECT h, pk, sk, bpk, bsk, size, item FROM {t}"
        order = "ORDER BY h, pk, sk, bpk, bsk LIMIT ?"
        self.scan_first = f"{cols} WHERE h >= ? AND h < ? {order}"
        self.scan_after = (
            f"{cols} WHERE h >= ? AND h < ? AND (h, pk, sk, bpk, bsk) > (?, ?, ?, ?, ?) {order}"
        )
        self.stats = f"SELECT count(*), total(size) FROM {t}"
        self._query: dict[tuple[bool, bool, bool, bool, bool, bool], str] = {}

    @staticmethod
    def ddl(table_id: int, index_id: int) -> list[str]:
        t = _index_table(table_id, index_id)
        # Entries are small (keys and a projection; services keep whole items in the table),
        # so one clustered b-tree on the key beats a rowid table plus a key index.
        return [
            f"CREATE TABLE IF NOT EXISTS {t} (h INTEGER NOT NULL, pk BLOB NOT NULL,"
            " sk BLOB NOT NULL, bpk BLOB NOT NULL, bsk BLOB NOT NULL, size INTEGER NOT NULL,"
            " item BLOB NOT NULL, PRIMARY KEY (h, pk, sk, bpk, bsk)) WITHOUT ROWID",
        ]

    def query(
        self, sort_range: KeyRange, forward: bool, after: IndexPosition | None
    ) -> tuple[str, list[object]]:
        """The statement and the parameters after (h, pk) of one partition range read."""
        low, high = sort_range.low, sort_range.high
        shape = (
            low is not None,
            sort_range.low_inclusive,
            high is not None,
            sort_range.high_inclusive,
            forward,
            after is not None,
        )
        params: list[object] = []
        if low is not None:
            params.append(low)
        if high is not None:
            params.append(high)
        if after is not None:
            params.extend(after)
        sql = self._query.get(shape)
        if sql is None:
            where = "h = ? AND pk = ?"
            if low is not None:
                where += " AND sk >= ?" if sort_range.low_inclusive else " AND sk > ?"
            if high is not None:
                where += " AND sk <= ?" if sort_range.high_inclusive else " AND sk < ?"
            if after is not None:
                where += f" AND (sk, bpk, bsk) {'>' if forward else '<'} (?, ?, ?)"
            direction = "ASC" if forward else "DESC"
            sql = self._query[shape] = (
                f"SELECT h, pk, sk, bpk, bsk, size, item FROM {self.table} WHERE {where}"
                f" ORDER BY sk {direction}, bpk {direction}, bsk {direction} LIMIT ?"
            )
        return sql, params


class SqliteEngine:
    def __init__(
        self,
        data_dir: Path | None,
        *,
        durable_fsync: bool = False,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``data_dir`` None keeps everything in memory (nothing survives the process);
        ``clock`` stamps the change records."""
        if data_dir is None:
            target = ":memory:"
        else:
            data_dir.mkdir(parents=True, exist_ok=True)
            target = str(data_dir / DATABASE_FILE)
        self._checkpointer: Checkpointer | None = None
        try:
            self._conn = sqlite3.connect(
                target, isolation_level=None, check_same_thread=False, cached_statements=1024
            )
            self._conn.create_function("gureum_now", 0, clock)
            self._conn.executescript(
                "PRAGMA journal_mode=WAL;"
                f"PRAGMA synchronous={'FULL' if durable_fsync else 'NORMAL'};"
                "PRAGMA temp_store=MEMORY;"
                "PRAGMA cache_size=-131072;"
            )
            self._conn.executescript(_SCHEMA)
            _add_kind_column(self._conn)
            if data_dir is not None:
                # checkpoints run on their own thread, not inside request-path commits
                self._conn.execute("PRAGMA wal_autocheckpoint=0")
                self._conn.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
                self._checkpointer = Checkpointer(target)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the SQLite database at {target}: {exc}") from exc
        self._cursor = self._conn.cursor()
        names = [
            n for (n,) in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        # the entries with item storage (records made without items have none)
        self._sql: dict[int, _TableSql] = {
            int(name.removeprefix("items_")): _TableSql(int(name.removeprefix("items_")))
            for name in names
            if name.startswith("items_")
        }
        self._index_sql: dict[tuple[int, int], _IndexSql] = {}
        for name in names:
            if name.startswith("ix_"):
                _, table_id, index_id = name.split("_")
                self._index_sql[int(table_id), int(index_id)] = _IndexSql(
                    int(table_id), int(index_id)
                )
        rows = self._conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'changes'")
        self._last_seq: int = next(iter(rows), (0,))[0]  # the change log's high-water mark
        self._open = False  # a write transaction is open (writes not yet committed)
        self._lost: StorageError | None = None  # the open transaction had to be rolled back
        # every change record up to here of a table not kept is pruned (kept tables' older
        # records hold min(seq) back, so pruning steps from here)
        self._pruned_to = 0
        self._txn = _SqliteTransaction(self)

    # --- transactions

    def _begin(self) -> None:
        if not self._open:
            self._cursor.execute("BEGIN IMMEDIATE")
            self._open = True

    def has_pending(self) -> bool:
        """True while writes wait for :meth:`commit`."""
        return self._open or self._lost is not None

    def commit(self) -> None:
        """Commit every pending write; raises StorageError if they were lost."""
        lost, self._lost = self._lost, None
        if lost is not None:
            raise lost
        if not self._open:
            return
        self._open = False
        try:
            self._cursor.execute("COMMIT")
        except sqlite3.Error as exc:
            self._abandon()
            raise StorageError(f"commit failed: {exc}") from exc
        if self._checkpointer is not None:
            with contextlib.suppress(sqlite3.Error):  # the background checkpointer tries again
                self._checkpointer.after_commit(self._conn)

    def _abandon(self, cause: BaseException | None = None) -> None:
        """Roll back the open transaction: every write since the last commit is lost."""
        self._open = False
        try:
            if not self._conn.in_transaction:
                return
            self._cursor.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        finally:
            if cause is not None:
                self._lost = StorageError(f"transaction rolled back: {cause}")

    def transaction(self) -> _SqliteTransaction:
        return self._txn

    # --- catalog

    def catalog(self) -> list[CatalogEntry]:
        return self.records(TABLE_KIND)

    def records(self, kind: str) -> list[CatalogEntry]:
        rows = self._read(
            "SELECT id, account, region, name, document FROM catalog WHERE kind = ?", (kind,)
        )
        return [CatalogEntry(*row) for row in rows]

    def create_entry(self, account: str, region: str, name: str, document: bytes) -> int:
        cur = self._cursor
        try:
            self._begin()
            try:
                cur.execute(
                    "INSERT INTO catalog (account, region, name, document) VALUES (?, ?, ?, ?)",
                    (account, region, name, document),
                )
            except sqlite3.IntegrityError as exc:  # the statement failed, nothing written
                raise AlreadyExistsError(name) from exc
            entry_id = cur.lastrowid
            assert entry_id is not None
            try:
                for ddl in _items_ddl(entry_id):
                    cur.execute(ddl)
            except sqlite3.Error as exc:
                self._abandon(exc)
                raise
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        self._sql[entry_id] = _TableSql(entry_id)
        return entry_id

    def update_entry(self, entry_id: int, document: bytes) -> None:
        self._write("UPDATE catalog SET document = ? WHERE id = ?", (document, entry_id))

    def create_record(
        self, kind: str, account: str, region: str, name: str, document: bytes, with_items: bool
    ) -> int:
        cur = self._cursor
        try:
            self._begin()
            try:
                cur.execute(
                    "INSERT INTO catalog (account, region, name, document, kind)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (account, region, name, document, kind),
                )
            except sqlite3.IntegrityError as exc:  # the statement failed, nothing written
                raise AlreadyExistsError(name) from exc
            entry_id = cur.lastrowid
            assert entry_id is not None
            try:
                for ddl in _storage_ddl(entry_id) if with_items else ():
                    cur.execute(ddl)
            except sqlite3.Error as exc:
                self._abandon(exc)
                raise
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        if with_items:
            self._sql[entry_id] = _TableSql(entry_id)
        return entry_id

    def copy_items(
        self,
        source_id: int,
        target_id: int,
        patches: Iterable[tuple[Key, Row | None]] = (),
    ) -> None:
        """The target's change-log triggers (a table's) are dropped for the copy and made
        again after it, in the same transaction: the copy logs nothing. Copied rows carry
        sequence number 0 (no change of the target wrote them)."""
        t = f"items_{target_id}"
        sql = self._sql[target_id]
        cur = self._cursor
        try:
            self._begin()
            (logged,) = cur.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                (t,),
            ).fetchone()
            try:
                if logged:
                    cur.execute(f"DROP TRIGGER {t}_log_insert")
                    cur.execute(f"DROP TRIGGER {t}_log_update")
                cur.execute(
                    f"INSERT INTO {t} (h, pk, sk, size, item, seq)"
                    f" SELECT h, pk, sk, size, item, 0 FROM items_{source_id}"
                )
                for key, row in patches:
                    if row is None:
                        cur.execute(sql.delete, key)
                    else:
                        cur.execute(sql.put, (*key, row[0], row[1], 0))
                if logged:
                    for ddl in _log_ddl(target_id):
                        cur.execute(ddl)
            except sqlite3.Error as exc:
                self._abandon(exc)
                raise
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    def drop_entry(self, entry_id: int) -> None:
        for table_id, index_id in list(self._index_sql):
            if table_id == entry_id:
                self.drop_index(table_id, index_id)
        self._write("DELETE FROM catalog WHERE id = ?", (entry_id,))
        if self._sql.pop(entry_id, None) is None:
            return  # a record without item storage has no items and no change log
        self._write(f"DROP TABLE IF EXISTS items_{entry_id}", ())
        self._write("DELETE FROM changes WHERE table_id = ?", (entry_id,))

    # --- secondary indexes

    def create_index(self, table_id: int, index_id: int) -> None:
        for ddl in _IndexSql.ddl(table_id, index_id):
            self._write(ddl, ())
        self._index_sql[table_id, index_id] = _IndexSql(table_id, index_id)

    def drop_index(self, table_id: int, index_id: int) -> None:
        self._write(f"DROP TABLE IF EXISTS {_index_table(table_id, index_id)}", ())
        self._index_sql.pop((table_id, index_id), None)

    def index_query(
        self,
        table_id: int,
        index_id: int,
        hash_: int,
        partition: bytes,
        sort_range: KeyRange,
        forward: bool,
        after: IndexPosition | None,
        limit: int,
    ) -> list[IndexRow]:
        sql, params = self._index_sql[table_id, index_id].query(sort_range, forward, after)
        return self._read(sql, (hash_, partition, *params, limit))

    def index_scan(
        self,
        table_id: int,
        index_id: int,
        hash_low: int,
        hash_high: int,
        after: IndexScanPosition | None,
        limit: int,
    ) -> list[IndexRow]:
        sql = self._index_sql[table_id, index_id]
        if after is None:
            return self._read(sql.scan_first, (hash_low, hash_high, limit))
        return self._read(sql.scan_after, (hash_low, hash_high, *after, limit))

    def index_stats(self, table_id: int, index_id: int) -> tuple[int, int]:
        ((count, total),) = self._read(self._index_sql[table_id, index_id].stats, ())
        return int(count), int(total)

    # --- items

    def get(self, table_id: int, key: Key) -> Row | None:
        try:
            row: Row | None = self._cursor.execute(self._sql[table_id].get, key).fetchone()
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
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
        return self._read(sql, params)

    def scan(
        self, table_id: int, hash_low: int, hash_high: int, after: Key | None, limit: int
    ) -> list[RangeRow]:
        sql = self._sql[table_id]
        if after is None:
            return self._read(sql.scan_first, (hash_low, hash_high, limit))
        return self._read(sql.scan_after, (hash_low, hash_high, *after, limit))

    def item_stats(self, table_id: int) -> tuple[int, int]:
        ((count, total),) = self._read(self._sql[table_id].stats, ())
        return int(count), int(total)

    def collection_size(
        self, table_id: int, hash_: int, partition: bytes, index_ids: Iterable[int] = ()
    ) -> int:
        where = "WHERE h = ? AND pk = ?"
        total = 0
        for table in (f"items_{table_id}", *(_index_table(table_id, i) for i in index_ids)):
            ((size,),) = self._read(f"SELECT total(size) FROM {table} {where}", (hash_, partition))
            total += int(size)
        return total

    # --- change log

    def next_seq(self) -> int:
        self._last_seq += 1
        return self._last_seq

    def changes(self, table_id: int, after_seq: int, limit: int) -> list[ChangeRecord]:
        """The log stores each change's kind and old image; the new image of a change is the
        old image of the next change to the same key, or the item as it is now."""
        rows = self._read(
            "SELECT seq, ts, h, pk, sk, kind, old FROM changes"
            " WHERE seq > ? AND table_id = ? ORDER BY seq LIMIT ?",
            (after_seq, table_id, limit),
        )
        new_images: dict[int, bytes | None] = {}
        last_of_key: dict[Key, int] = {}
        for seq, _, h, pk, sk, kind, old in rows:
            key = (h, pk, sk)
            previous = last_of_key.get(key)
            if previous is not None:
                new_images[previous] = old
            last_of_key[key] = seq
            if kind >= _REMOVE:
                new_images[seq] = None
        sql = self._sql[table_id]
        for key, seq in last_of_key.items():
            if seq not in new_images:
                new_images[seq] = self._image_after(table_id, sql, key, seq)
        return [
            ChangeRecord(
                seq, table_id, ts, (h, pk, sk), old, new_images[seq], kind == _SERVICE_REMOVE
            )
            for seq, ts, h, pk, sk, kind, old in rows
        ]

    def _image_after(self, table_id: int, sql: _TableSql, key: Key, seq: int) -> bytes | None:
        """The item as change ``seq`` left it, when no later change in the batch says."""
        current = self._read(sql.version, key)
        if current and current[0][0] == seq:
            image: bytes = current[0][1]
            return image
        later = self._read(
            "SELECT old FROM changes WHERE seq > ? AND table_id = ? AND h = ? AND pk = ?"
            " AND sk = ? ORDER BY seq LIMIT 1",
            (seq, table_id, *key),
        )
        return later[0][0] if later else None

    def last_seq(self) -> int:
        return self._last_seq

    def images_before(self, table_id: int, timestamp: float) -> list[tuple[Key, bytes | None]]:
        rows = self._read(
            "SELECT h, pk, sk, old FROM changes WHERE table_id = ? AND ts > ? ORDER BY seq",
            (table_id, timestamp),
        )
        first: dict[Key, bytes | None] = {}
        for h, pk, sk, old in rows:
            first.setdefault((h, pk, sk), old)
        return list(first.items())

    def prune_changes_before(self, table_id: int, timestamp: float) -> int:
        return self._write(
            "DELETE FROM changes WHERE table_id = ? AND ts < ?", (table_id, timestamp)
        )

    def last_seq_before(self, timestamp: float) -> int:
        # The smallest position whose first record (at or after it) is young, or absent, by
        # bisection: the log is in time order. Each probe is one seek on the primary key.
        old, young = 0, self._last_seq + 1  # (kept tables' records may precede _pruned_to)
        while young - old > 1:
            middle = (old + young) // 2
            rows = self._read(
                "SELECT ts FROM changes WHERE seq >= ? ORDER BY seq LIMIT 1", (middle,)
            )
            if not rows or rows[0][0] >= timestamp:
                young = middle
            else:
                old = middle
        return young - 1

    def prune_changes(
        self, up_to_seq: int, keep_tables: Iterable[int] = (), max_records: int = 20000
    ) -> int:
        ((first,),) = self._read("SELECT coalesce(min(seq), 0) FROM changes", ())
        first = max(first, self._pruned_to)  # past the old records of kept tables
        up_to_seq = min(up_to_seq, first + max_records)  # short steps keep pauses short
        keep = sorted(set(keep_tables))
        sql = "DELETE FROM changes WHERE seq <= ?"
        if keep:
            sql += f" AND table_id NOT IN ({','.join('?' * len(keep))})"
        deleted = self._write(sql, (up_to_seq, *keep))
        self._pruned_to = max(self._pruned_to, up_to_seq)
        return deleted

    def close(self) -> None:
        try:
            self.commit()
            self._conn.execute("PRAGMA optimize")
            self._conn.close()
            if self._checkpointer is not None:
                self._checkpointer.close()
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    # --- internals

    def _read(self, sql: str, params: Sequence[object]) -> list[Any]:
        try:
            return self._cursor.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc

    def _write(self, sql: str, params: tuple[object, ...]) -> int:
        try:
            self._begin()
            return self._cursor.execute(sql, params).rowcount
        except sqlite3.Error as exc:
            self._abandon(exc)
            raise StorageError(str(exc)) from exc


class _SqliteTransaction:
    """One read-modify-write unit inside the open (group) transaction. Reads see every write
    made before; a failure after this unit wrote abandons the whole open transaction."""

    __slots__ = ("_cursor", "_engine", "_index_sql", "_next_seq", "_sql", "_wrote")

    def __init__(self, engine: SqliteEngine) -> None:
        self._engine = engine
        self._cursor = engine._cursor
        self._sql = engine._sql
        self._index_sql = engine._index_sql
        self._next_seq = engine.next_seq
        self._wrote = False

    def __enter__(self) -> _SqliteTransaction:
        try:
            self._engine._begin()
        except sqlite3.Error as exc:
            raise StorageError(str(exc)) from exc
        self._wrote = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is not None and self._wrote:
            self._engine._abandon(exc)
        if isinstance(exc, sqlite3.Error):
            raise StorageError(str(exc)) from exc

    def get(self, table_id: int, key: Key) -> Row | None:
        row: Row | None = self._cursor.execute(self._sql[table_id].get, key).fetchone()
        return row

    def put(self, table_id: int, key: Key, size: int, document: bytes) -> None:
        self._wrote = True
        # the items table's triggers log the change under this sequence number
        self._cursor.execute(self._sql[table_id].put, (*key, size, document, self._next_seq()))

    def delete(self, table_id: int, key: Key, by_service: bool = False) -> None:
        self._wrote = True
        sql = self._sql[table_id]
        kind = _SERVICE_REMOVE if by_service else _REMOVE
        self._cursor.execute(sql.log_delete, (self._next_seq(), kind, *key))
        self._cursor.execute(sql.delete, key)

    def index_put(
        self, table_id: int, index_id: int, key: Key, base: BaseKey, size: int, document: bytes
    ) -> None:
        self._wrote = True
        self._cursor.execute(self._index_sql[table_id, index_id].put, (*key, *base, size, document))

    def index_delete(self, table_id: int, index_id: int, key: Key, base: BaseKey) -> None:
        self._wrote = True
        self._cursor.execute(self._index_sql[table_id, index_id].delete, (*key, *base))
