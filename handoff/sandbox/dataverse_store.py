"""Records of the sandbox: one SQLite table `(entity_set, id, json)`, in memory or in a file.

A file store is shared by every sandbox process pointed at it (a `handoff serve` and a
`handoff replay`): nothing is cached, each request reads what is committed. Every request runs in
one `BEGIN IMMEDIATE` transaction, and a `$batch` change set in a savepoint, so a failure leaves
nothing behind.
"""

from __future__ import annotations

import json
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
"""


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

    def id_taken(self, record_id: str) -> bool:
        row = self._conn.execute("SELECT 1 FROM records WHERE id = ? LIMIT 1", (record_id.lower(),)).fetchone()
        return row is not None

    def insert(self, entity_set: str, record_id: str, record: dict[str, Any]) -> None:
        self._conn.execute(
            "INSERT INTO records (entity_set, id, json) VALUES (?, ?, ?)",
            (entity_set, record_id.lower(), json.dumps(record)),
        )

    def update(self, entity_set: str, record_id: str, record: dict[str, Any]) -> None:
        self._conn.execute(
            "UPDATE records SET json = ? WHERE entity_set = ? AND id = ?",
            (json.dumps(record), entity_set, record_id.lower()),
        )

    def delete(self, entity_set: str, record_id: str) -> None:
        self._conn.execute("DELETE FROM records WHERE entity_set = ? AND id = ?", (entity_set, record_id.lower()))

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
        self._connection().executescript(_SCHEMA)

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
