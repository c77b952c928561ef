"""The lifecycle follower's storage in the SQLite spool (handoff.lifecycle): delta tokens, what was last
seen of each followed row, and the events each page of changes produced, all in one transaction.

Why one transaction: a crash between reading a delta page and committing it must leave the old token,
the old memory and no events, so the page is read again and produces the same events (same keys); a
committed page has its token, memory and events together, so it is never read again. The outbox's
UNIQUE key makes a replayed page insert nothing.

A mixin so the spool's own file stays as it is: its methods run through the host's `self._call(fn)`
(fn gets the sqlite3.Connection inside the writer thread's transaction), and the tables are created on
first use with CREATE ... IF NOT EXISTS, each statement on its own (executescript would COMMIT the
writer's open transaction).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

from handoff.spool.base import OutboxEvent

T = TypeVar("T")

BASELINE = "baseline"  # an outbox state: recorded at a (re-)sync as already known, never sent

_SCHEMA = (
    # One delta link (and the follower's watermark) per followed table.
    """CREATE TABLE IF NOT EXISTS lifecycle_cursors (
        name TEXT PRIMARY KEY,
        token TEXT NOT NULL,
        updated_at REAL NOT NULL
    )""",
    # What was last seen of each followed row (the columns a change is judged by), so "statecode became
    # 1" or "status changed" can be told from a row modified for another reason.
    """CREATE TABLE IF NOT EXISTS lifecycle_rows (
        name TEXT NOT NULL,
        record_id TEXT NOT NULL,
        row TEXT NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (name, record_id)
    )""",
    # "Is this one of ours" is asked per changed row; without it, a scan of every handoff.
    "CREATE INDEX IF NOT EXISTS lifecycle_handoffs_incident ON handoffs (incident_id)",
)


class LifecycleSqliteMixin:
    _lifecycle_ready = False

    # Provided by the host class (SqliteSpool).
    _call: Callable[..., Any]

    def _lifecycle_schema(self, conn: sqlite3.Connection) -> None:
        if self._lifecycle_ready:
            return
        for statement in _SCHEMA:
            conn.execute(statement)
        self._lifecycle_ready = True

    async def cursor(self, name: str) -> str | None:
        """The stored delta link (opaque to the spool) of a followed table; None before its first sync."""

        def read(conn: sqlite3.Connection) -> str | None:
            self._lifecycle_schema(conn)
            row = conn.execute("SELECT token FROM lifecycle_cursors WHERE name=?", (name,)).fetchone()
            return None if row is None else str(row[0])

        return await self._call(read)

    async def remembered(self, name: str, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        """What was last seen of these rows (record id -> the remembered columns); absent ids were never seen."""

        def read(conn: sqlite3.Connection) -> dict[str, dict[str, Any]]:
            self._lifecycle_schema(conn)
            found: dict[str, dict[str, Any]] = {}
            for start in range(0, len(record_ids), 500):  # under SQLite's host-parameter limit
                chunk = record_ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT record_id, row FROM lifecycle_rows WHERE name=? AND record_id IN ({marks})",
                    (name, *chunk),
                )
                found.update((record_id, json.loads(row)) for record_id, row in rows)
            return found

        return await self._call(read)

    async def commit_page(
        self,
        name: str,
        token: str | None,
        events: list[OutboxEvent],
        baseline: bool,
        rows: dict[tuple[str, str], dict[str, Any] | None] | None = None,
    ) -> int:
        """Store a page of changes in one transaction: the events (INSERT OR IGNORE on their key; with
        `baseline` in state "baseline": recorded as known, never sent), the remembered rows, keyed by
        (name, record id) so a page may remember rows of another table too (None forgets one: it was
        deleted), and the new token (None keeps the stored one: a page in the middle of a
        delta). Returns how many events were new."""
        now = time.time()

        def write(conn: sqlite3.Connection) -> int:
            self._lifecycle_schema(conn)
            added = 0
            for event in events:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO outbox (handoff_id, key, kind, payload, state, created_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        event.handoff_id,
                        event.key,
                        event.kind,
                        event.payload_json(),
                        BASELINE if baseline else "pending",
                        now,
                    ),
                )
                added += cur.rowcount
            for (table, record_id), row in (rows or {}).items():
                if row is None:
                    conn.execute("DELETE FROM lifecycle_rows WHERE name=? AND record_id=?", (table, record_id))
                else:
                    conn.execute(
                        "INSERT INTO lifecycle_rows (name, record_id, row, updated_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (name, record_id) DO UPDATE SET row=excluded.row, updated_at=excluded.updated_at",
                        (table, record_id, json.dumps(row, sort_keys=True), now),
                    )
            if token is not None:
                conn.execute(
                    "INSERT INTO lifecycle_cursors (name, token, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET token=excluded.token, updated_at=excluded.updated_at",
                    (name, token, now),
                )
            return added

        return await self._call(write)

    async def created_incident(self, incident_id: str) -> bool:
        """Is this incident one handoff created (a handoff in state created with that incident id)?"""

        def read(conn: sqlite3.Connection) -> bool:
            self._lifecycle_schema(conn)
            row = conn.execute(
                "SELECT 1 FROM handoffs WHERE incident_id=? AND state='created' LIMIT 1", (incident_id.lower(),)
            ).fetchone()
            return row is not None

        return await self._call(read)

    async def created_case(self, incident_id: str) -> dict[str, Any] | None:
        """The incident's columns as handoff sent them when it created it (the summary's "incident"), or None."""

        def read(conn: sqlite3.Connection) -> dict[str, Any] | None:
            row = conn.execute(
                "SELECT summary FROM handoffs WHERE incident_id=? AND state='created' LIMIT 1", (incident_id.lower(),)
            ).fetchone()
            incident = json.loads(row[0]).get("incident") if row and row[0] else None
            return incident if isinstance(incident, dict) else None

        return await self._call(read)

    async def created_contact(self, incident_id: str) -> dict[str, Any] | None:
        """The customer's contact as handoff knew it when it created the incident (found, or as it created it:
        the summary's "contact"), or None (not handoff's case, or a summary from before it was kept)."""

        def read(conn: sqlite3.Connection) -> dict[str, Any] | None:
            row = conn.execute(
                "SELECT summary FROM handoffs WHERE incident_id=? AND state='created' LIMIT 1", (incident_id.lower(),)
            ).fetchone()
            contact = json.loads(row[0]).get("contact") if row and row[0] else None
            return contact if isinstance(contact, dict) else None

        return await self._call(read)
