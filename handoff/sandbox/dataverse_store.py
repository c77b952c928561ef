"""Records of the sandbox: one SQLite table `(entity_set, id, json)`, in memory or in a file.

A file store is shared by every sandbox process pointed at it (a `handoff serve` and a
`handoff replay`): nothing is cached, each request reads what is committed. Every request runs in
one `BEGIN IMMEDIATE` transaction, and a `$batch` change set in a savepoint, so a failure leaves
nothing behind.

Change tracking lives here too, so a change written by another process (`handoff sandbox resolve`)
is in the next delta of the serving one: every insert and update stamps the row with the next
change version (one counter per store, like SQL Server's change tracking version under Dataverse),
and a delete leaves a tombstone with its version. "Changes since a token" is then the rows and
tombstones with a version above the token's.
"""

from __future__ import annotations

import json
import re
import sqlite3
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_set TEXT NOT NULL,
    id TEXT NOT NULL,
    json TEXT NOT NULL,
    UNIQUE (entity_set, id)
);
CREATE INDEX IF NOT EXISTS records_id ON records (id);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS deletions (
    entity_set TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    PRIMARY KEY (entity_set, id)
);
"""
# Store files written before change tracking have no version column; their rows count as version 0
# (present at the first sync, never "changed since" a token).
_VERSION_COLUMN = "ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 0"
_VERSION_INDEX = "CREATE INDEX IF NOT EXISTS records_version ON records (entity_set, version)"
# AddToQueue and a queueitem create look for the object's active item: without an index each is a scan
# of every queue item, decoded in Python, so a replay of n cases cost O(n^2) (10,000 cases: some 400 s of
# the sandbox's CPU, more than the execution it emulated). An index on the expression serves `find`.
_INDEXED_COLUMNS = ("_objectid_value",)
_COLUMN_INDEXES = [
    f"CREATE INDEX IF NOT EXISTS records_{column.strip('_')} ON records (entity_set, json_extract(json, '$.{column}'))"
    for column in _INDEXED_COLUMNS
]
_COLUMN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
CHANGE_VERSION = "changeversion"


class Txn:
    """Reads and writes inside one transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._savepoints = 0

    def get(self, entity_set: str, record_id: str) -> dict[str, Any] | None:
        row = self._conn.execute(
            "SELECT json FROM records WHERE entity_set = ? AND id = ?", (entity_set, record_id.lower())
        ).fetchone()
        return json.loads(row[0]) if row else None

    def scan(self, entity_set: str) -> list[dict[str, Any]]:
        rows = self._conn.execute("SELECT json FROM records WHERE entity_set = ? ORDER BY seq", (entity_set,))
        return [json.loads(row[0]) for row in rows]

    def find(self, entity_set: str, column: str, value: str) -> list[dict[str, Any]]:
        """The records whose `column` equals `value` (a string), oldest first; indexed for `_INDEXED_COLUMNS`."""
        if not _COLUMN_NAME.match(column):
            raise ValueError(f"not a column name: {column!r}")
        # The path is part of the SQL text, not a parameter: only the very expression of an index uses it.
        rows = self._conn.execute(
            f"SELECT json FROM records WHERE entity_set = ? AND json_extract(json, '$.{column}') = ? ORDER BY seq",
            (entity_set, value),
        )
        return [json.loads(row[0]) for row in rows]

    def id_taken(self, record_id: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM records WHERE id = ? LIMIT 1", (record_id.lower(),)).fetchone()
        return row is not None

    def insert(self, entity_set: str, record_id: str, record: dict[str, Any]) -> None:
        version = self.next_value(CHANGE_VERSION, 1)
        self._conn.execute(
            "INSERT INTO records (entity_set, id, json, version) VALUES (?, ?, ?, ?)",
            (entity_set, record_id.lower(), json.dumps(record), version),
        )
        # A record created again under a deleted id is a change, not a deletion.
        self._conn.execute("DELETE FROM deletions WHERE entity_set = ? AND id = ?", (entity_set, record_id.lower()))

    def update(self, entity_set: str, record_id: str, record: dict[str, Any]) -> None:
        self._conn.execute(
            "UPDATE records SET json = ?, version = ? WHERE entity_set = ? AND id = ?",
            (json.dumps(record), self.next_value(CHANGE_VERSION, 1), entity_set, record_id.lower()),
        )

    def delete(self, entity_set: str, record_id: str) -> None:
        cur = self._conn.execute("DELETE FROM records WHERE entity_set = ? AND id = ?", (entity_set, record_id.lower()))
        if cur.rowcount:
            self._conn.execute(
                "INSERT OR REPLACE INTO deletions (entity_set, id, version) VALUES (?, ?, ?)",
                (entity_set, record_id.lower(), self.next_value(CHANGE_VERSION, 1)),
            )

    # -- change tracking ------------------------------------------------------------------------
    def change_version(self) -> int:
        """The version of the latest change in the store (0 before any)."""
        return self.counter(CHANGE_VERSION) or 0

    def changed(self, entity_set: str, after: int, upto: int) -> list[tuple[int, dict[str, Any]]]:
        """(version, record) of the rows written after version `after` and up to `upto`, oldest first."""
        rows = self._conn.execute(
            "SELECT version, json FROM records WHERE entity_set = ? AND version > ? AND version <= ? ORDER BY version",
            (entity_set, after, upto),
        )
        return [(row[0], json.loads(row[1])) for row in rows]

    def deleted(self, entity_set: str, after: int, upto: int) -> list[tuple[int, str]]:
        """(version, id) of the rows deleted after version `after` and up to `upto`, oldest first."""
        rows = self._conn.execute(
            "SELECT version, id FROM deletions WHERE entity_set = ? AND version > ? AND version <= ? ORDER BY version",
            (entity_set, after, upto),
        )
        return [(row[0], row[1]) for row in rows]

    def counter(self, name: str) -> int | None:
        row = self._conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
        return None if row is None else int(row[0])

    def set_counter(self, name: str, value: int) -> None:
        """A store-wide setting (e.g. a table's change tracking flag), seen by every process sharing the file."""
        self._conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )

    def next_value(self, name: str, start: int) -> int:
        row = self._conn.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
        value = start if row is None else row[0] + 1
        self._conn.execute(
            "INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, value),
        )
        return value

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Undo everything done inside the block if it raises."""
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self._conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self._conn.execute(f"ROLLBACK TO {name}")
            self._conn.execute(f"RELEASE {name}")
            raise
        else:
            self._conn.execute(f"RELEASE {name}")


class Store:
    """The record table. An in-memory store lives as long as its owner (so records can be inspected
    after the server stopped); a file store's connection is closed by `release()` and reopened on use."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._conn: sqlite3.Connection | None = None
        self._finalizer: weakref.finalize | None = None
        conn = self._connection()
        conn.executescript(_SCHEMA)
        columns = {row[1] for row in conn.execute("PRAGMA table_info(records)")}
        if "version" not in columns:
            try:
                conn.execute(_VERSION_COLUMN)
            except sqlite3.OperationalError:  # another process sharing the file added it first
                pass
        conn.execute(_VERSION_INDEX)
        for index in _COLUMN_INDEXES:
            conn.execute(index)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            if self.path is None:
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(self.path, isolation_level=None, timeout=30, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
            self._conn = conn
            # Closed explicitly even when the owner is garbage-collected without release().
            self._finalizer = weakref.finalize(self, conn.close)
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[Txn]:
        """One write transaction; committed when the block ends, rolled back if it raises."""
        conn = self._connection()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield Txn(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")

    def release(self) -> None:
        """Close a file store's connection (it reopens on the next use); an in-memory store stays."""
        if self.path is not None and self._finalizer is not None:
            self._finalizer()
            self._conn = None
            self._finalizer = None
