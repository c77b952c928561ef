"""SQLite spool: one connection on one thread, every write group-committed.

Why a thread: sqlite3 blocks, and handle_DATA must stay short. Why one connection: SQLite serialises
writers anyway; a single writer thread that drains everything queued since its last commit turns a burst
of SMTP deliveries into one fsync (group commit) instead of one each, and each caller still hears back
only after its own row is durable (`synchronous=FULL`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from handoff.errors import SpoolError
from handoff.spool.base import STATES, OutboxEvent, SpoolItem, gave_up_reason

log = logging.getLogger("handoff.spool")
T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS handoffs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    received_at REAL NOT NULL,
    mail_from TEXT NOT NULL,
    rcpt_tos TEXT NOT NULL,
    raw BLOB NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until REAL,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    message_id TEXT,
    last_error TEXT,
    incident_id TEXT,
    ticket_number TEXT,
    skipped_guard TEXT,
    skipped_reason TEXT,
    summary TEXT NOT NULL DEFAULT '{}',
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS handoffs_due ON handoffs (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    handoff_id INTEGER REFERENCES handoffs(id),
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_until REAL,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    sent_at REAL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt_at);
"""

# Versioned changes after SCHEMA, applied in order at open (PRAGMA user_version holds the last one done).
MIGRATIONS: tuple[str, ...] = (
    # 1: who holds a lease (a restarted instance takes its own back at once); claims without an outcome
    # (a mail that kills the process is parked after max_claims); the loop brake's durable memory.
    """
    ALTER TABLE handoffs ADD COLUMN lease_owner TEXT;
    ALTER TABLE handoffs ADD COLUMN open_claims INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE IF NOT EXISTS brake (
        key TEXT NOT NULL,
        digest TEXT NOT NULL,
        seen_at REAL NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (key, digest)
    );
    CREATE INDEX IF NOT EXISTS brake_seen ON brake (key, seen_at);
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

_HANDOFF_COLUMNS = (
    "id, raw, mail_from, rcpt_tos, received_at, state, attempts, message_id, last_error, "
    "incident_id, ticket_number, skipped_guard, skipped_reason, summary, updated_at, "
    "next_attempt_at, lease_owner, lease_until, open_claims"
)
_EVENT_COLUMNS = "id, handoff_id, key, kind, payload, state, attempts, last_error, sent_at"


def _item(row: tuple[Any, ...]) -> SpoolItem:
    return SpoolItem(
        id=row[0],
        raw=bytes(row[1]),
        mail_from=row[2],
        rcpt_tos=json.loads(row[3]),
        received_at=row[4],
        state=row[5],
        attempts=row[6],
        message_id=row[7],
        last_error=row[8],
        incident_id=row[9],
        ticket_number=row[10],
        skipped_guard=row[11],
        skipped_reason=row[12],
        summary=json.loads(row[13] or "{}"),
        updated_at=row[14],
        next_attempt_at=row[15],
        lease_owner=row[16],
        lease_until=row[17],
        open_claims=row[18],
    )


def _event(row: tuple[Any, ...]) -> OutboxEvent:
    return OutboxEvent(
        id=row[0],
        handoff_id=row[1],
        key=row[2],
        kind=row[3],
        payload=json.loads(row[4]),
        state=row[5],
        attempts=row[6],
        last_error=row[7],
        sent_at=row[8],
    )


class _Job:
    __slots__ = ("fn", "future", "loop")

    def __init__(self, fn: Callable[[sqlite3.Connection], Any], loop: asyncio.AbstractEventLoop) -> None:
        self.fn = fn
        self.loop = loop
        self.future: asyncio.Future[Any] = loop.create_future()


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.done():  # the caller gave up (cancelled); the write still happened or not, as recorded
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


class SqliteSpool:
    # The most jobs folded into one transaction; bounds the latency of the first caller in a burst.
    MAX_GROUP = 256

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._open_error: BaseException | None = None
        self.commits = 0  # transactions committed, for the group-commit benchmark
        self._brake_writes = 0

    # -- life cycle -------------------------------------------------------------------------------
    async def open(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name=f"spool:{self.path.name}", daemon=True)
        self._thread.start()
        await asyncio.to_thread(self._ready.wait)
        if self._open_error is not None:
            self._thread = None
            raise SpoolError(f"[spool] url: cannot open {self.path}: {self._open_error}")

    async def close(self) -> None:
        if self._thread is None:
            return
        self._jobs.put(None)
        await asyncio.to_thread(self._thread.join)
        self._thread = None

    async def __aenter__(self) -> SqliteSpool:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before we say 250; NORMAL in WAL mode could lose the last commits.
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=30000")
        conn.executescript(SCHEMA)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for n, script in enumerate(MIGRATIONS[version:], start=version + 1):
            # executescript commits first; a half-applied step is redone only if it failed before its
            # user_version bump, and each step is written to be re-runnable up to its ALTERs.
            conn.executescript(f"BEGIN; {script}; PRAGMA user_version = {n}; COMMIT;")
        return conn

    def _run(self) -> None:
        try:
            conn = self._connect()
        except Exception as exc:  # reported to open()'s caller
            self._open_error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            while True:
                job = self._jobs.get()
                if job is None:
                    return
                batch = [job]
                stop = False
                while len(batch) < self.MAX_GROUP:
                    try:
                        more = self._jobs.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stop = True
                        break
                    batch.append(more)
                self._commit(conn, batch)
                if stop:
                    return
        finally:
            conn.close()

    def _commit(self, conn: sqlite3.Connection, batch: list[_Job]) -> None:
        results: list[tuple[_Job, Any, BaseException | None]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            for n, job in enumerate(batch):
                # A savepoint per job: one caller's failure must not undo the others' rows.
                conn.execute(f"SAVEPOINT j{n}")
                try:
                    result = job.fn(conn)
                except Exception as exc:
                    conn.execute(f"ROLLBACK TO j{n}")
                    results.append((job, None, exc))
                else:
                    results.append((job, result, None))
                conn.execute(f"RELEASE j{n}")
            conn.execute("COMMIT")
            self.commits += 1
        except Exception as exc:
            log.exception("spool commit failed for %d job(s)", len(batch))
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            error = SpoolError(f"spool commit failed: {exc}")
            results = [(job, None, error) for job in batch]
        for job, result, error in results:
            try:
                job.loop.call_soon_threadsafe(_settle, job.future, result, error)
            except RuntimeError:  # the caller's loop is closed; nothing left to tell
                pass

    async def _call(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        if self._thread is None:
            raise SpoolError("spool is not open")
        job = _Job(fn, asyncio.get_running_loop())
        self._jobs.put(job)
        return await job.future

    # -- intake -----------------------------------------------------------------------------------
    async def enqueue(self, raw: bytes, mail_from: str, rcpt_tos: list[str]) -> int:
        now = time.time()

        def write(conn: sqlite3.Connection) -> int:
            cur = conn.execute(
                "INSERT INTO handoffs (received_at, mail_from, rcpt_tos, raw, updated_at) VALUES (?, ?, ?, ?, ?)",
                (now, mail_from, json.dumps(rcpt_tos), raw, now),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

        return await self._call(write)

    # -- worker -----------------------------------------------------------------------------------
    async def claim(self, lease_seconds: float, owner: str = "", max_claims: int = 0) -> SpoolItem | None:
        """The next due handoff, leased to `owner`; None when nothing is due.

        A handoff already claimed `max_claims` times without an outcome (the process died or hung on it
        each time) is parked here, before it can take the process down again, and the next one is taken.
        """

        def claim(conn: sqlite3.Connection) -> SpoolItem | None:
            now = time.time()
            while True:
                # A working row whose lease ran out belongs to a worker that died (or another instance's):
                # take it over now rather than only at the next start-up.
                row = conn.execute(
                    f"SELECT {_HANDOFF_COLUMNS} FROM handoffs "
                    "WHERE (state = 'queued' AND next_attempt_at <= ?) OR (state = 'working' AND lease_until < ?) "
                    "ORDER BY next_attempt_at, id LIMIT 1",
                    (now, now),
                ).fetchone()
                if row is None:
                    return None
                item = _item(row)
                if max_claims and item.open_claims >= max_claims:
                    reason = gave_up_reason(item)
                    conn.execute(
                        "UPDATE handoffs SET state='parked', last_error=?, open_claims=0, lease_until=NULL, "
                        "lease_owner=NULL, updated_at=? WHERE id=?",
                        (reason, now, item.id),
                    )
                    log.warning("spool=%d parked at claim: %s", item.id, reason)
                    continue
                conn.execute(
                    "UPDATE handoffs SET state='working', attempts=attempts+1, open_claims=open_claims+1, "
                    "lease_until=?, lease_owner=?, updated_at=? WHERE id=?",
                    (now + lease_seconds, owner, now, item.id),
                )
                return replace(
                    item,
                    state="working",
                    attempts=item.attempts + 1,
                    open_claims=item.open_claims + 1,
                    lease_owner=owner,
                    lease_until=now + lease_seconds,
                )

        return await self._call(claim)

    async def extend_lease(self, item_id: int, lease_seconds: float) -> bool:
        """Keep a handoff that is still being worked on from looking abandoned; False if it is no longer ours."""

        def extend(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "UPDATE handoffs SET lease_until=? WHERE id=? AND state='working'",
                (time.time() + lease_seconds, item_id),
            )
            return cur.rowcount == 1

        return await self._call(extend)

    async def _update(self, item_id: int, sql: str, params: tuple[Any, ...]) -> None:
        def update(conn: sqlite3.Connection) -> None:
            conn.execute(
                f"UPDATE handoffs SET {sql}, lease_until=NULL, lease_owner=NULL, open_claims=0, updated_at=? "
                "WHERE id=?",
                (*params, time.time(), item_id),
            )

        await self._call(update)

    async def finish_created(
        self,
        item_id: int,
        incident_id: str,
        ticket_number: str | None,
        summary: dict[str, Any],
        events: list[OutboxEvent] | None = None,
    ) -> None:
        events = events or []

        def finish(conn: sqlite3.Connection) -> None:
            now = time.time()
            conn.execute(
                "UPDATE handoffs SET state='created', incident_id=?, ticket_number=?, summary=?, message_id=?, "
                "last_error=NULL, lease_until=NULL, lease_owner=NULL, open_claims=0, updated_at=? WHERE id=?",
                (incident_id, ticket_number, json.dumps(summary), summary.get("message_id"), now, item_id),
            )
            # Same transaction as the state change: an event exists if and only if the case was recorded.
            # INSERT OR IGNORE because a second delivery of the same mail yields the same event key.
            for event in events:
                conn.execute(
                    "INSERT OR IGNORE INTO outbox (handoff_id, key, kind, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                    (item_id, event.key, event.kind, event.payload_json(), now),
                )

        await self._call(finish)

    async def finish_skipped(self, item_id: int, guard: str, reason: str, summary: dict[str, Any]) -> None:
        await self._update(
            item_id,
            "state='skipped', skipped_guard=?, skipped_reason=?, summary=?, message_id=?, last_error=NULL",
            (guard, reason, json.dumps(summary), summary.get("message_id")),
        )

    async def retry_later(self, item_id: int, delay: float, error: str) -> None:
        await self._update(
            item_id, "state='queued', next_attempt_at=?, last_error=?", (time.time() + delay, error[:2000])
        )

    async def park(self, item_id: int, error: str, summary: dict[str, Any] | None = None) -> None:
        if summary is None:
            await self._update(item_id, "state='parked', last_error=?", (error[:2000],))
        else:
            await self._update(
                item_id,
                "state='parked', last_error=?, summary=?, message_id=?",
                (error[:2000], json.dumps(summary), summary.get("message_id")),
            )

    async def recover(self, owner: str | None = None) -> int:
        """At start-up: return to the queue what `owner` (this instance, before its restart) held, at once,
        and whatever anyone's expired lease left behind. Another live instance's leases are left alone."""

        def recover(conn: sqlite3.Connection) -> int:
            now = time.time()
            cur = conn.execute(
                "UPDATE handoffs SET state='queued', lease_until=NULL, lease_owner=NULL, updated_at=? "
                "WHERE state='working' AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)",
                (now, now, owner),
            )
            conn.execute(
                "UPDATE outbox SET state='pending', lease_until=NULL "
                "WHERE state='sending' AND (lease_until IS NULL OR lease_until < ?)",
                (now,),
            )
            return cur.rowcount

        return await self._call(recover)

    async def release(self, item_id: int, error: str | None = None, *, counted: bool = True) -> None:
        """Give back a claim without an outcome, queued again at once. `counted`: the claim still counts
        towards max_claims (the analysis process died on this mail); False for a graceful stop."""

        def release(conn: sqlite3.Connection) -> None:
            conn.execute(
                "UPDATE handoffs SET state='queued', lease_until=NULL, lease_owner=NULL, "
                "open_claims=MAX(0, open_claims - ?), last_error=COALESCE(?, last_error), updated_at=? "
                "WHERE id=? AND state='working'",
                (0 if counted else 1, error, time.time(), item_id),
            )

        await self._call(release)

    async def wake_retries(self) -> int:
        """Dataverse answers again: every handoff waiting out a backoff is due now (the request budget
        paces them), instead of each sleeping out its own backoff after an outage."""

        def wake(conn: sqlite3.Connection) -> int:
            now = time.time()
            cur = conn.execute(
                "UPDATE handoffs SET next_attempt_at=? WHERE state='queued' AND next_attempt_at > ?", (now, now)
            )
            return cur.rowcount

        return await self._call(wake)

    async def brake(self, key: str, digest: str, at: float, window: float) -> int:
        """How many distinct mails (by stable digest) with this key arrived within `window` seconds up to
        `at`, this one included, as counted the first time this mail was seen.

        A retry, a second delivery or a replay of the same mail counts once and gets the same answer
        again, so an outage's retries can never look like a reply storm; kept in the spool, so it
        survives restarts and is shared by every instance."""

        def count(conn: sqlite3.Connection) -> int:
            row = conn.execute("SELECT n FROM brake WHERE key=? AND digest=?", (key, digest)).fetchone()
            if row is not None:
                return int(row[0])
            earlier = conn.execute(
                "SELECT COUNT(*) FROM brake WHERE key=? AND seen_at > ? AND seen_at <= ?", (key, at - window, at)
            ).fetchone()[0]
            n = int(earlier) + 1
            conn.execute("INSERT INTO brake (key, digest, seen_at, n) VALUES (?, ?, ?, ?)", (key, digest, at, n))
            self._brake_writes += 1
            if self._brake_writes % 1000 == 0:  # forget what no window can reach any more
                conn.execute("DELETE FROM brake WHERE seen_at < ?", (time.time() - max(window, 86400.0) * 2,))
            return n

        return await self._call(count)

    async def probe(self) -> None:
        """A small durable write: raises SpoolError when the spool cannot take one (disk full, read-only)."""

        def probe(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('probe', ?)", (str(time.time()),))

        await self._call(probe)

    async def schema_version(self) -> int:
        def version(conn: sqlite3.Connection) -> int:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

        return await self._call(version)

    async def requeue(self, item_id: int) -> bool:
        """An operator's retry of a parked handoff: back to the queue with a fresh attempt budget."""

        def requeue(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "UPDATE handoffs SET state='queued', attempts=0, open_claims=0, next_attempt_at=0, updated_at=? "
                "WHERE id=? AND state IN ('parked', 'skipped')",
                (time.time(), item_id),
            )
            return cur.rowcount == 1

        return await self._call(requeue)

    # -- operators --------------------------------------------------------------------------------
    async def get(self, item_id: int) -> SpoolItem | None:
        def get(conn: sqlite3.Connection) -> SpoolItem | None:
            row = conn.execute(f"SELECT {_HANDOFF_COLUMNS} FROM handoffs WHERE id=?", (item_id,)).fetchone()
            return _item(row) if row else None

        return await self._call(get)

    async def counts(self) -> dict[str, int]:
        def counts(conn: sqlite3.Connection) -> dict[str, int]:
            found = dict(conn.execute("SELECT state, COUNT(*) FROM handoffs GROUP BY state").fetchall())
            return {state: found.get(state, 0) for state in STATES}

        return await self._call(counts)

    async def latest(self, limit: int = 20, state: str | None = None) -> list[SpoolItem]:
        def latest(conn: sqlite3.Connection) -> list[SpoolItem]:
            where, params = ("WHERE state=?", (state,)) if state else ("", ())
            rows = conn.execute(
                f"SELECT {_HANDOFF_COLUMNS} FROM handoffs {where} ORDER BY id DESC LIMIT ?", (*params, limit)
            ).fetchall()
            return [_item(row) for row in rows]

        return await self._call(latest)

    async def next_due_in(self) -> float | None:
        def due(conn: sqlite3.Connection) -> float | None:
            row = conn.execute("SELECT MIN(next_attempt_at) FROM handoffs WHERE state='queued'").fetchone()
            return None if row[0] is None else max(0.0, row[0] - time.time())

        return await self._call(due)

    # -- outbox -----------------------------------------------------------------------------------
    async def claim_event(self, lease_seconds: float) -> OutboxEvent | None:
        def claim(conn: sqlite3.Connection) -> OutboxEvent | None:
            now = time.time()
            # An expired 'sending' lease means the sender died before it could record a 200 or a failure;
            # MoEngage may have the event, but not knowing is a resend (at least once), never a loss.
            row = conn.execute(
                f"SELECT {_EVENT_COLUMNS} FROM outbox "
                "WHERE (state='pending' AND next_attempt_at <= ?) OR (state='sending' AND lease_until < ?) "
                "ORDER BY id LIMIT 1",
                (now, now),
            ).fetchone()
            if row is None:
                return None
            conn.execute(
                "UPDATE outbox SET state='sending', attempts=attempts+1, lease_until=? WHERE id=?",
                (now + lease_seconds, row[0]),
            )
            event = _event(row)
            return OutboxEvent(**{**event.__dict__, "state": "sending", "attempts": event.attempts + 1})

        return await self._call(claim)

    async def _event_update(self, event_id: int, sql: str, params: tuple[Any, ...]) -> None:
        def update(conn: sqlite3.Connection) -> None:
            conn.execute(f"UPDATE outbox SET {sql}, lease_until=NULL WHERE id=?", (*params, event_id))

        await self._call(update)

    async def event_sent(self, event_id: int) -> None:
        await self._event_update(event_id, "state='sent', sent_at=?, last_error=NULL", (time.time(),))

    async def event_retry(self, event_id: int, delay: float, error: str) -> None:
        await self._event_update(
            event_id, "state='pending', next_attempt_at=?, last_error=?", (time.time() + delay, error[:2000])
        )

    async def event_requeue(self, event_id: int) -> bool:
        """An operator's retry of a parked event (e.g. after fixing [moengage] credentials)."""

        def requeue(conn: sqlite3.Connection) -> bool:
            cur = conn.execute(
                "UPDATE outbox SET state='pending', attempts=0, next_attempt_at=0 WHERE id=? AND state='parked'",
                (event_id,),
            )
            return cur.rowcount == 1

        return await self._call(requeue)

    async def event_park(self, event_id: int, error: str) -> None:
        await self._event_update(event_id, "state='parked', last_error=?", (error[:2000],))

    async def events(self, state: str | None = None) -> list[OutboxEvent]:
        def events(conn: sqlite3.Connection) -> list[OutboxEvent]:
            where, params = ("WHERE state=?", (state,)) if state else ("", ())
            rows = conn.execute(f"SELECT {_EVENT_COLUMNS} FROM outbox {where} ORDER BY id", params).fetchall()
            return [_event(row) for row in rows]

        return await self._call(events)

    async def event_counts(self) -> dict[str, int]:
        def counts(conn: sqlite3.Connection) -> dict[str, int]:
            found = dict(conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
            return {state: found.get(state, 0) for state in ("pending", "sending", "sent", "parked")}

        return await self._call(counts)
