"""The customers' Dataverse contacts as the instances on one spool learned them, and who is creating one.

Instances on one spool otherwise each learn a customer's `contactid` on their own, so a new customer whose
mails two instances handle at once gets two creates of its contact: Dataverse refuses the second (412 on the
deterministic `contactid`), and that handoff's whole change set is sent again without it, its execution
spent twice (handoff.dynamics.incidents). Here they share one table, `known_contacts`, keyed by the
normalised address within a scope (the organisation and the match columns: another organisation's or
another lookup's answer is not this one's):
- a row with a `contact_id` is a contact found by a lookup or created by a handoff, with its columns
  (`record`, what the case and its MoEngage events need) and when it was learned (the database's clock);
  it is trusted for `[dynamics] contact_cache_seconds` like the in-process cache, so it survives a
  restart within that time. A stale one (the contact was merged or deleted in Dynamics) is forgotten by
  whoever meets the 404 on its bind;
- a row with `claimed_by` is an instance about to create the contact (`claim`): the others wait for its
  change set (the row then gets the contact) instead of creating it too; a claim runs out
  (`claim_until`) unless its instance renews it (`renew`, while the set waits behind a backlog), so an
  instance that died holding one delays the others only that long.

Nothing here is needed for correctness: the contact's id is deterministic, so two creates still make one
contact, and a lost row costs a lookup. So writes do not wait for a WAL flush (PostgreSQL) or an fsync
(SQLite, on a connection of its own beside the writer thread, as the shared budget's).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Any

from handoff.spool.budget import side_connection

# Rows learned more than two TTLs ago are deleted every PRUNE_EVERY learns of an instance, so the table keeps
# about what the in-process caches keep of the customers, not every address ever seen.
PRUNE_EVERY = 200

COLUMNS = "email, contact_id, record, learned_at, claimed_by, claim_until"


@dataclass(frozen=True)
class Known:
    """One row: the contact learned (`contact_id`, `record`, `age` seconds ago), or a claim (`claimed_by`,
    running out in `claim_left` seconds; <= 0: run out)."""

    email: str
    contact_id: str | None
    record: dict[str, Any] | None
    age: float | None
    claimed_by: str | None
    claim_left: float

    def fresh(self, ttl: float) -> bool:
        return self.contact_id is not None and self.age is not None and self.age < ttl

    def claimed(self) -> bool:
        return self.claimed_by is not None and self.claim_left > 0


def _known(row: Any, now: float) -> Known:
    email, contact_id, record, learned_at, claimed_by, claim_until = tuple(row)
    return Known(
        str(email),
        None if contact_id is None else str(contact_id),
        json.loads(record) if record else None,
        None if learned_at is None else now - float(learned_at),
        None if claimed_by is None else str(claimed_by),
        float(claim_until or 0.0) - now,
    )


def decide_claim(row: Known | None, holder: str, ttl: float) -> bool:
    """May `holder` claim the creation? Not while a fresh contact is known or another's claim runs."""
    if row is None:
        return True
    if row.fresh(ttl):
        return False
    return not (row.claimed() and row.claimed_by != holder)


class SqliteContacts:
    """The table in the SQLite spool's file, on a connection of its own (BEGIN IMMEDIATE serialises the
    processes on one file); the host's clock."""

    def __init__(self, path: str, scope: str, holder: str) -> None:
        self.path = path
        self.scope = scope
        self.holder = holder
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._learned = 0

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = side_connection(self.path)
        return self._conn

    def _rows(self, conn: sqlite3.Connection, emails: list[str]) -> dict[str, Known]:
        now = time.time()
        out: dict[str, Known] = {}
        for start in range(0, len(emails), 500):  # SQLite's host parameters, with room
            chunk = emails[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in conn.execute(
                f"SELECT {COLUMNS} FROM known_contacts WHERE scope = ? AND email IN ({marks})", (self.scope, *chunk)
            ):
                known = _known(row, now)
                out[known.email] = known
        return out

    def _get(self, emails: list[str]) -> dict[str, Known]:
        with self._lock:
            return self._rows(self._connection(), emails)

    def _claim(self, email: str, seconds: float, ttl: float) -> Known | None:
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = self._rows(conn, [email]).get(email)
                if not decide_claim(row, self.holder, ttl):
                    conn.execute("COMMIT")
                    return row
                conn.execute(
                    "INSERT INTO known_contacts (scope, email, claimed_by, claim_until) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (scope, email) DO UPDATE SET contact_id = NULL, record = NULL, learned_at = NULL, "
                    "claimed_by = excluded.claimed_by, claim_until = excluded.claim_until",
                    (self.scope, email, self.holder, time.time() + seconds),
                )
                conn.execute("COMMIT")
                return None
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _learn(self, email: str, contact_id: str, record: dict[str, Any], ttl: float) -> None:
        with self._lock:
            conn = self._connection()
            now = time.time()
            conn.execute(
                "INSERT INTO known_contacts (scope, email, contact_id, record, learned_at, claimed_by, claim_until) "
                "VALUES (?, ?, ?, ?, ?, NULL, 0) ON CONFLICT (scope, email) DO UPDATE SET "
                "contact_id = excluded.contact_id, record = excluded.record, learned_at = excluded.learned_at, "
                "claimed_by = NULL, claim_until = 0",
                (self.scope, email, contact_id, json.dumps(record, default=str), now),
            )
            self._learned += 1
            if self._learned % PRUNE_EVERY == 1:
                conn.execute(
                    "DELETE FROM known_contacts WHERE scope = ? AND learned_at < ? AND claim_until < ?",
                    (self.scope, now - 2 * ttl, now),
                )

    def _renew(self, emails: list[str], seconds: float) -> None:
        with self._lock:
            conn = self._connection()
            until = time.time() + seconds
            for start in range(0, len(emails), 500):
                chunk = emails[start : start + 500]
                conn.execute(
                    f"UPDATE known_contacts SET claim_until = ? WHERE scope = ? AND claimed_by = ? "
                    f"AND contact_id IS NULL AND email IN ({','.join('?' * len(chunk))})",
                    (until, self.scope, self.holder, *chunk),
                )

    def _release(self, email: str) -> None:
        with self._lock:
            conn = self._connection()
            conn.execute(
                "DELETE FROM known_contacts WHERE scope = ? AND email = ? AND claimed_by = ? AND contact_id IS NULL",
                (self.scope, email, self.holder),
            )

    def _forget(self, email: str, contact_id: str) -> None:
        with self._lock:
            self._connection().execute(
                "DELETE FROM known_contacts WHERE scope = ? AND email = ? AND contact_id = ?",
                (self.scope, email, contact_id),
            )

    async def get(self, emails: list[str]) -> dict[str, Known]:
        return await asyncio.to_thread(self._get, emails)

    async def claim(self, email: str, seconds: float, ttl: float) -> Known | None:
        """None: this instance creates the contact now (its claim runs `seconds`); else what is known."""
        return await asyncio.to_thread(self._claim, email, seconds, ttl)

    async def learn(self, email: str, contact_id: str, record: dict[str, Any], ttl: float) -> None:
        await asyncio.to_thread(self._learn, email, contact_id, record, ttl)

    async def renew(self, emails: list[str], seconds: float) -> None:
        """This instance's claims on these addresses run `seconds` from now (their change sets still wait)."""
        await asyncio.to_thread(self._renew, emails, seconds)

    async def release(self, email: str) -> None:
        """This instance's claim ends without a contact (its change set failed): another may create it."""
        await asyncio.to_thread(self._release, email)

    async def forget(self, email: str, contact_id: str) -> None:
        """That contact is gone from Dynamics (its bind met a 404); a newer row stays."""
        await asyncio.to_thread(self._forget, email, contact_id)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


# The wall clock as the statement runs (one statement per call, so a transaction's start would do too).
_CLOCK = "extract(epoch from clock_timestamp())::float8"


class PostgresContacts:
    """The table in the PostgreSQL spool; the database's clock, so instances whose clocks differ agree on
    when a claim ran out. A claim is one statement (an upsert with a condition), so two instances claiming
    at once cannot both win."""

    def __init__(self, spool: Any, scope: str, holder: str) -> None:
        self.spool = spool
        self.scope = scope
        self.holder = holder
        self._learned = 0

    async def get(self, emails: list[str]) -> dict[str, Known]:
        async with self.spool._conn() as conn:
            rows = await conn.fetch(
                f"SELECT {COLUMNS}, {_CLOCK} FROM known_contacts WHERE scope = $1 AND email = ANY($2::text[])",
                self.scope,
                emails,
            )
        return {str(r[0]): _known(tuple(r)[:6], float(r[6])) for r in rows}

    async def claim(self, email: str, seconds: float, ttl: float) -> Known | None:
        """None: this instance creates the contact now (its claim runs `seconds`); else what is known."""
        async with self.spool._conn(transaction=True) as conn:
            await conn.execute("SET LOCAL synchronous_commit = off")
            # decide_claim, in SQL: the row is taken only when it holds no fresh contact and no other's live claim.
            won = await conn.fetchval(
                "INSERT INTO known_contacts AS k (scope, email, claimed_by, claim_until) "
                f"VALUES ($1, $2, $3, {_CLOCK} + $4) "
                "ON CONFLICT (scope, email) DO UPDATE SET contact_id = NULL, record = NULL, learned_at = NULL, "
                "claimed_by = EXCLUDED.claimed_by, claim_until = EXCLUDED.claim_until "
                f"WHERE NOT (k.contact_id IS NOT NULL AND k.learned_at > {_CLOCK} - $5) "
                "AND NOT (k.claimed_by IS NOT NULL AND k.claimed_by <> EXCLUDED.claimed_by "
                f"AND k.claim_until > {_CLOCK}) "
                "RETURNING true",
                self.scope,
                email,
                self.holder,
                float(seconds),
                float(ttl),
            )
            if won:
                return None
            row = await conn.fetchrow(
                f"SELECT {COLUMNS}, {_CLOCK} FROM known_contacts WHERE scope = $1 AND email = $2", self.scope, email
            )
        if row is None:  # deleted between the two statements (released, forgotten): nothing known
            return Known(email, None, None, None, None, 0.0)
        return _known(tuple(row)[:6], float(row[6]))

    async def learn(self, email: str, contact_id: str, record: dict[str, Any], ttl: float) -> None:
        async with self.spool._conn(transaction=True) as conn:
            await conn.execute("SET LOCAL synchronous_commit = off")
            await conn.execute(
                "INSERT INTO known_contacts (scope, email, contact_id, record, learned_at, claimed_by, claim_until) "
                f"VALUES ($1, $2, $3, $4, {_CLOCK}, NULL, 0) ON CONFLICT (scope, email) DO UPDATE SET "
                "contact_id = EXCLUDED.contact_id, record = EXCLUDED.record, learned_at = EXCLUDED.learned_at, "
                "claimed_by = NULL, claim_until = 0",
                self.scope,
                email,
                contact_id,
                json.dumps(record, default=str),
            )
            self._learned += 1
            if self._learned % PRUNE_EVERY == 1:
                await conn.execute(
                    f"DELETE FROM known_contacts WHERE scope = $1 AND learned_at < {_CLOCK} - $2 "
                    f"AND claim_until < {_CLOCK}",
                    self.scope,
                    2 * float(ttl),
                )

    async def renew(self, emails: list[str], seconds: float) -> None:
        """This instance's claims on these addresses run `seconds` from now (their change sets still wait)."""
        async with self.spool._conn() as conn:
            await conn.execute(
                f"UPDATE known_contacts SET claim_until = {_CLOCK} + $1 WHERE scope = $2 AND claimed_by = $3 "
                "AND contact_id IS NULL AND email = ANY($4::text[])",
                float(seconds),
                self.scope,
                self.holder,
                emails,
            )

    async def release(self, email: str) -> None:
        """This instance's claim ends without a contact (its change set failed): another may create it."""
        async with self.spool._conn() as conn:
            await conn.execute(
                "DELETE FROM known_contacts WHERE scope = $1 AND email = $2 AND claimed_by = $3 AND contact_id IS NULL",
                self.scope,
                email,
                self.holder,
            )

    async def forget(self, email: str, contact_id: str) -> None:
        """That contact is gone from Dynamics (its bind met a 404); a newer row stays."""
        async with self.spool._conn() as conn:
            await conn.execute(
                "DELETE FROM known_contacts WHERE scope = $1 AND email = $2 AND contact_id = $3",
                self.scope,
                email,
                contact_id,
            )

    def close(self) -> None:
        pass
