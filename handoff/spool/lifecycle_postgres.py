"""The lifecycle follower's storage in the PostgreSQL spool: the same three tables' worth of state and
the same one-transaction page commit as handoff.spool.lifecycle_sqlite (read its docstring for why).

Several instances may follow one organisation: a page is committed under a transaction-scoped advisory
lock on the table's name, and events are inserted with ON CONFLICT (key) DO NOTHING, so two instances
reading the same delta page produce each event once. The tables are created on first use (IF NOT
EXISTS), in the spool's schema.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from typing import Any

from handoff.spool.base import OutboxEvent
from handoff.spool.lifecycle_sqlite import BASELINE

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS lifecycle_cursors (
        name text PRIMARY KEY,
        token text NOT NULL,
        updated_at double precision NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS lifecycle_rows (
        name text NOT NULL,
        record_id text NOT NULL,
        row text NOT NULL,
        updated_at double precision NOT NULL,
        PRIMARY KEY (name, record_id)
    )""",
    "CREATE INDEX IF NOT EXISTS lifecycle_handoffs_incident ON handoffs (incident_id)",
)
NOW = "extract(epoch from now())::float8"


def _lock_key(name: str) -> int:
    # A stable 32-bit key per followed table for pg_advisory_xact_lock (namespaced by a second key).
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


class LifecyclePostgresMixin:
    _lifecycle_ready = False

    # Provided by the host class (PostgresSpool): a pooled connection, optionally inside a transaction.
    _conn: Callable[..., Any]

    async def _lifecycle_schema(self, conn: Any) -> None:
        if self._lifecycle_ready:
            return
        async with conn.transaction():
            # Two instances creating the tables at once would race on the catalog: serialise them.
            await conn.execute("SELECT pg_advisory_xact_lock(7061, 1)")
            for statement in _SCHEMA:
                await conn.execute(statement)
        self._lifecycle_ready = True

    async def cursor(self, name: str) -> str | None:
        async with self._conn() as conn:
            await self._lifecycle_schema(conn)
            token = await conn.fetchval("SELECT token FROM lifecycle_cursors WHERE name=$1", name)
            return None if token is None else str(token)

    async def remembered(self, name: str, record_ids: list[str]) -> dict[str, dict[str, Any]]:
        async with self._conn() as conn:
            await self._lifecycle_schema(conn)
            rows = await conn.fetch(
                "SELECT record_id, row FROM lifecycle_rows WHERE name=$1 AND record_id = ANY($2::text[])",
                name,
                list(record_ids),
            )
            return {r["record_id"]: json.loads(r["row"]) for r in rows}

    async def commit_page(
        self,
        name: str,
        token: str | None,
        events: list[OutboxEvent],
        baseline: bool,
        rows: dict[tuple[str, str], dict[str, Any] | None] | None = None,
    ) -> int:
        async with self._conn() as conn:
            await self._lifecycle_schema(conn)
            async with conn.transaction():
                await conn.execute("SELECT pg_advisory_xact_lock(7062, $1)", _lock_key(name))
                added = 0
                for event in events:
                    status = await conn.execute(
                        "INSERT INTO outbox (handoff_id, key, kind, payload, state, created_at) "
                        f"VALUES ($1, $2, $3, $4, $5, {NOW}) ON CONFLICT (key) DO NOTHING",
                        event.handoff_id,
                        event.key,
                        event.kind,
                        event.payload_json(),
                        BASELINE if baseline else "pending",
                    )
                    added += int(status.rsplit(" ", 1)[-1])
                for (table, record_id), row in (rows or {}).items():
                    if row is None:
                        await conn.execute(
                            "DELETE FROM lifecycle_rows WHERE name=$1 AND record_id=$2", table, record_id
                        )
                    else:
                        await conn.execute(
                            "INSERT INTO lifecycle_rows (name, record_id, row, updated_at) "
                            f"VALUES ($1, $2, $3, {NOW}) ON CONFLICT (name, record_id) "
                            "DO UPDATE SET row=excluded.row, updated_at=excluded.updated_at",
                            table,
                            record_id,
                            json.dumps(row, sort_keys=True),
                        )
                if token is not None:
                    await conn.execute(
                        f"INSERT INTO lifecycle_cursors (name, token, updated_at) VALUES ($1, $2, {NOW}) "
                        "ON CONFLICT (name) DO UPDATE SET token=excluded.token, updated_at=excluded.updated_at",
                        name,
                        token,
                    )
                return added

    async def created_incident(self, incident_id: str) -> bool:
        async with self._conn() as conn:
            await self._lifecycle_schema(conn)
            found = await conn.fetchval(
                "SELECT 1 FROM handoffs WHERE incident_id=$1 AND state='created' LIMIT 1", incident_id.lower()
            )
            return found is not None

    async def created_case(self, incident_id: str) -> dict[str, Any] | None:
        """The incident's columns as handoff sent them when it created it (the summary's "incident"), or None."""
        async with self._conn() as conn:
            summary = await conn.fetchval(
                "SELECT summary FROM handoffs WHERE incident_id=$1 AND state='created' LIMIT 1", incident_id.lower()
            )
        incident = json.loads(summary).get("incident") if summary else None
        return incident if isinstance(incident, dict) else None

    async def created_contact(self, incident_id: str) -> dict[str, Any] | None:
        """The customer's contact as handoff knew it when it created the incident (found, or as it created it:
        the summary's "contact"), or None (not handoff's case, or a summary from before it was kept)."""
        async with self._conn() as conn:
            summary = await conn.fetchval(
                "SELECT summary FROM handoffs WHERE incident_id=$1 AND state='created' LIMIT 1", incident_id.lower()
            )
        contact = json.loads(summary).get("contact") if summary else None
        return contact if isinstance(contact, dict) else None
