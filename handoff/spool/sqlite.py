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
import os
import queue
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from handoff.errors import SpoolError
from handoff.ids import UNIDENTIFIED_WINDOW
from handoff.spool.base import OutboxEvent, Peer, SpoolItem, claims_reason, forget_text
from handoff.spool.budget import SqliteBudget
from handoff.spool.contacts import SqliteContacts
from handoff.spool.leased import (
    HANDOFFS,
    OUTBOX,
    PURGE_CHUNK,
    RAW_KEPT,
    QueueShape,
    event_from_row,
    fold,
    identify,
    item_from_row,
    search_text,
    summary_columns,
)
from handoff.spool.lifecycle_sqlite import LifecycleSqliteMixin

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
    # 2: what an operator's search looks through (handoff.spool.leased.search_text), written with the
    # summary; rows from before are filled from their summary (lower(): ASCII only, close enough for them).
    """
    ALTER TABLE handoffs ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
    UPDATE handoffs SET search_text = lower(
        COALESCE(json_extract(summary, '$.customer.email'), '') || char(10) ||
        COALESCE(json_extract(summary, '$.customer.name'), '') || char(10) ||
        COALESCE(json_extract(summary, '$.subject'), '') || char(10) ||
        COALESCE(ticket_number, '') || char(10) || COALESCE(message_id, ''))
    WHERE json_valid(summary);
    """,
    # 3: one mail, one handoff: the arrival key (handoff.ids.arrival_key) a mail is stored under once.
    # Rows from before have none (NULL is never equal to another NULL in a UNIQUE index).
    """
    ALTER TABLE handoffs ADD COLUMN dedup_key TEXT;
    CREATE UNIQUE INDEX IF NOT EXISTS handoffs_arrival ON handoffs (dedup_key);
    """,
    # 4: retention ([spool] keep_raw_days): when the raw bytes were dropped; the rows still holding
    # droppable raw bytes by age, so a purge never reads the rest of a large spool.
    """
    ALTER TABLE handoffs ADD COLUMN raw_purged_at REAL;
    CREATE INDEX IF NOT EXISTS handoffs_raw_kept ON handoffs (received_at)
        WHERE raw_purged_at IS NULL AND state IN ('created', 'skipped');
    """,
    # 5: a large spool must not slow the door (bench/spool_growth.py). Counts per state are kept by
    # triggers instead of counted over every row (/metrics asks on each scrape, and here every read
    # waits in the writer's line); listings by state, by time and by search text have their own indexes
    # (a scan of the table itself reads each row's raw mail, which lies before these columns).
    """
    CREATE INDEX IF NOT EXISTS handoffs_state ON handoffs (state, id);
    CREATE INDEX IF NOT EXISTS handoffs_received ON handoffs (received_at);
    CREATE INDEX IF NOT EXISTS handoffs_search ON handoffs (search_text);
    CREATE TABLE IF NOT EXISTS state_counts (tbl TEXT NOT NULL, state TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (tbl, state));
    DELETE FROM state_counts;
    INSERT INTO state_counts (tbl, state, n) SELECT 'handoffs', state, COUNT(*) FROM handoffs GROUP BY state;
    INSERT INTO state_counts (tbl, state, n) SELECT 'outbox', state, COUNT(*) FROM outbox GROUP BY state;
    CREATE TRIGGER IF NOT EXISTS handoffs_counted_insert AFTER INSERT ON handoffs BEGIN
        INSERT OR IGNORE INTO state_counts (tbl, state, n) VALUES ('handoffs', NEW.state, 0);
        UPDATE state_counts SET n = n + 1 WHERE tbl = 'handoffs' AND state = NEW.state;
    END;
    CREATE TRIGGER IF NOT EXISTS handoffs_counted_update AFTER UPDATE OF state ON handoffs
    WHEN NEW.state IS NOT OLD.state BEGIN
        INSERT OR IGNORE INTO state_counts (tbl, state, n) VALUES ('handoffs', NEW.state, 0);
        UPDATE state_counts SET n = n - 1 WHERE tbl = 'handoffs' AND state = OLD.state;
        UPDATE state_counts SET n = n + 1 WHERE tbl = 'handoffs' AND state = NEW.state;
    END;
    CREATE TRIGGER IF NOT EXISTS handoffs_counted_delete AFTER DELETE ON handoffs BEGIN
        UPDATE state_counts SET n = n - 1 WHERE tbl = 'handoffs' AND state = OLD.state;
    END;
    CREATE TRIGGER IF NOT EXISTS outbox_counted_insert AFTER INSERT ON outbox BEGIN
        INSERT OR IGNORE INTO state_counts (tbl, state, n) VALUES ('outbox', NEW.state, 0);
        UPDATE state_counts SET n = n + 1 WHERE tbl = 'outbox' AND state = NEW.state;
    END;
    CREATE TRIGGER IF NOT EXISTS outbox_counted_update AFTER UPDATE OF state ON outbox
    WHEN NEW.state IS NOT OLD.state BEGIN
        INSERT OR IGNORE INTO state_counts (tbl, state, n) VALUES ('outbox', NEW.state, 0);
        UPDATE state_counts SET n = n - 1 WHERE tbl = 'outbox' AND state = OLD.state;
        UPDATE state_counts SET n = n + 1 WHERE tbl = 'outbox' AND state = NEW.state;
    END;
    CREATE TRIGGER IF NOT EXISTS outbox_counted_delete AFTER DELETE ON outbox BEGIN
        UPDATE state_counts SET n = n - 1 WHERE tbl = 'outbox' AND state = OLD.state;
    END;
    """,
    # 6: one handoff's events (its page, handoff show) by index, not by reading the whole outbox.
    """
    CREATE INDEX IF NOT EXISTS outbox_handoff ON outbox (handoff_id);
    """,
    # 7: who handed each mail over (spool.base.Peer as JSON: address, HELO name, TLS, AUTH user); rows from
    # before have none (NULL), and the raw bytes stay as they came.
    """
    ALTER TABLE handoffs ADD COLUMN peer TEXT;
    """,
    # 8: the Dataverse budget shared by the processes on this file (handoff.spool.budget): leases of the
    # window's requests and execution time, and a 429's pause.
    """
    CREATE TABLE IF NOT EXISTS budget_state (
        budget TEXT PRIMARY KEY,
        resume_at REAL NOT NULL DEFAULT 0,
        server_spent REAL,
        server_at REAL
    );
    CREATE TABLE IF NOT EXISTS budget_leases (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        budget TEXT NOT NULL,
        holder TEXT NOT NULL,
        taken_at REAL NOT NULL,
        lease_until REAL NOT NULL,
        done_at REAL,
        requests INTEGER NOT NULL,
        execution REAL NOT NULL,
        concurrent INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS budget_leases_budget ON budget_leases (budget);
    """,
    # 9: the customers' contacts the processes on this file learned, and who is creating one
    # (handoff.spool.contacts), so two of them never both create a new customer's contact.
    """
    CREATE TABLE IF NOT EXISTS known_contacts (
        scope TEXT NOT NULL,
        email TEXT NOT NULL,
        contact_id TEXT,
        record TEXT,
        learned_at REAL,
        claimed_by TEXT,
        claim_until REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (scope, email)
    );
    CREATE INDEX IF NOT EXISTS known_contacts_learned ON known_contacts (scope, learned_at);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
# A substring search scans the narrow search_text index, not the table (whose rows carry the raw mail);
# SQLite's planner prefers the table when the listing is ordered by id, so it is told.
SEARCH_INDEX = "handoffs_search"


class _Job:
    __slots__ = ("fn", "future", "loop", "one_write")

    def __init__(
        self, fn: Callable[[sqlite3.Connection], Any], loop: asyncio.AbstractEventLoop, one_write: bool = False
    ) -> None:
        self.fn = fn
        self.loop = loop
        self.future: asyncio.Future[Any] = loop.create_future()
        # The job's only lasting effect is one statement (SQLite undoes a failed statement by itself), so
        # it needs no savepoint of its own in a shared transaction.
        self.one_write = one_write


def _settle(outcomes: list[tuple[_Job, Any, BaseException | None]]) -> None:
    """On the callers' loop: tell each job of a transaction how it ended."""
    for job, result, error in outcomes:
        if job.future.done():  # the caller gave up (cancelled); the write still happened or not, as recorded
            continue
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(result)


class SqliteSpool(LifecycleSqliteMixin):  # the lifecycle follower's storage, in its own file
    # The most jobs folded into one transaction; bounds the latency of the first caller in a burst.
    MAX_GROUP = 256
    # How long a transaction waits, at most, for the mails of sessions that lately began their DATA (`arriving`):
    # a commit costs its fsync and ~20 writes of pages whatever it holds, so folding two more mails into it is
    # cheaper than a transaction of their own; a lone mail never waits.
    GATHER_SECONDS = 0.002

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._open_error: BaseException | None = None
        self.commits = 0  # transactions committed, for the group-commit benchmark
        self.claims = 0  # handoff claims asked for, found or not (a burst should cost one per mail)
        self.duplicates = 0  # enqueues of a mail already stored (one mail, one handoff), for /metrics
        self.applied: list[int] = []  # migrations applied by this open (handoff migrate prints them)
        self._brake_writes = 0
        # How many mails are on their way (SMTP sessions reading a DATA, handoff.intake); None: not known.
        self.arriving: Callable[[], int] | None = None
        self._handoffs = SqliteQueue(HANDOFFS)
        self._outbox = SqliteQueue(OUTBOX)
        self._budgets: list[SqliteBudget | SqliteContacts] = []  # closed with the spool

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
        for budget in self._budgets:
            budget.close()
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
        self.applied = migrate(conn)
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
                if not stop and self.arriving is not None:
                    stop = self._gather(batch)
                self._commit(conn, batch)
                if stop:
                    return
        finally:
            conn.close()

    def _gather(self, batch: list[_Job]) -> bool:
        """Add to `batch` the jobs of mails still arriving, for up to GATHER_SECONDS; True when told to stop."""
        assert self.arriving is not None
        deadline = time.monotonic() + self.GATHER_SECONDS
        while len(batch) < self.MAX_GROUP and self.arriving() > 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            try:
                more = self._jobs.get(timeout=remaining)
            except queue.Empty:
                return False
            if more is None:
                return True
            batch.append(more)
        return False

    def _commit(self, conn: sqlite3.Connection, batch: list[_Job]) -> None:
        results: list[tuple[_Job, Any, BaseException | None]] = []
        try:
            conn.execute("BEGIN IMMEDIATE")
            if len(batch) == 1:
                # Alone in its transaction: a failure rolls the whole of it back, no savepoint needed.
                # Every statement here is a trip out of the GIL and back, which the event loop's thread
                # pays for too while SMTP keeps it busy (bench/smtp_accept.py).
                job = batch[0]
                try:
                    results.append((job, job.fn(conn), None))
                except Exception as exc:
                    if conn.in_transaction:  # not already rolled back by SQLite itself (a full disk)
                        conn.execute("ROLLBACK")
                    results.append((job, None, exc))
                else:
                    conn.execute("COMMIT")
                    self.commits += 1
            else:
                for job in batch:
                    if job.one_write:
                        try:
                            results.append((job, job.fn(conn), None))
                        except Exception as exc:
                            if not conn.in_transaction:
                                # Some errors (a full disk, I/O) make SQLite roll the whole transaction back:
                                # then no job of it is stored, and each caller hears so (below).
                                raise
                            results.append((job, None, exc))
                        continue
                    # A savepoint per job: one caller's failure must not undo the others' rows. One name
                    # for all (each is released before the next opens), so the statements stay cached.
                    conn.execute("SAVEPOINT job")
                    try:
                        result = job.fn(conn)
                    except Exception as exc:
                        conn.execute("ROLLBACK TO job")
                        results.append((job, None, exc))
                    else:
                        results.append((job, result, None))
                    conn.execute("RELEASE job")
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
        # One wake-up of each caller's loop for the whole transaction, not one per job: each is a write to
        # the loop's self-pipe and a pass of its selector.
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Job, Any, BaseException | None]]] = {}
        for outcome in results:
            by_loop.setdefault(outcome[0].loop, []).append(outcome)
        for loop, outcomes in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, outcomes)
            except RuntimeError:  # the caller's loop is closed; nothing left to tell
                pass

    async def _call(self, fn: Callable[[sqlite3.Connection], T], *, one_write: bool = False) -> T:
        """Run `fn` on the writer thread in the next transaction; `one_write`: see _Job."""
        if self._thread is None:
            raise SpoolError("spool is not open")
        job = _Job(fn, asyncio.get_running_loop(), one_write)
        self._jobs.put(job)
        return await job.future

    # -- intake -----------------------------------------------------------------------------------
    async def enqueue(self, raw: bytes, mail_from: str, rcpt_tos: list[str], peer: Peer | None = None) -> int:
        """Store a mail durably, with who handed it over (`peer`); returns its row id. The same mail again
        (handoff.ids.arrival_key: the same Message-ID and content, or the same content within a window when
        it has no Message-ID) is not stored twice: the first row's id comes back (its peer kept), and
        `duplicates` counts it."""
        key, message_id = await identify(raw)
        now = time.time()
        peer_json = peer.to_json() if peer is not None else None

        def write(conn: sqlite3.Connection) -> tuple[int, bool]:
            # One writer thread: this read-then-insert cannot interleave with another enqueue.
            if key.startswith("d:"):  # known by content alone: only within the window
                conn.execute(
                    "UPDATE handoffs SET dedup_key=NULL WHERE dedup_key=? AND received_at < ?",
                    (key, now - UNIDENTIFIED_WINDOW),
                )
            # One statement for the usual case, a new mail (each statement is a trip out of the GIL and back
            # on this thread, paid by the event loop's thread too); the look-up only for a mail stored already.
            cur = conn.execute(
                "INSERT INTO handoffs (received_at, mail_from, rcpt_tos, raw, updated_at, dedup_key, message_id, "
                "search_text, peer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING",
                (now, mail_from, json.dumps(rcpt_tos), raw, now, key, message_id, fold(message_id or ""), peer_json),
            )
            if cur.rowcount == 1 and cur.lastrowid is not None:  # sqlite3_changes(): the triggers' rows not counted
                return cur.lastrowid, False
            found = conn.execute("SELECT id FROM handoffs WHERE dedup_key=?", (key,)).fetchone()
            return int(found[0]), True

        # One write: the UPDATE only forgets keys past their window (harmless to keep if the INSERT fails),
        # the SELECT reads. Without a savepoint each enqueue in a burst's transaction is one statement, one
        # trip of this thread out of the GIL and back instead of three.
        item_id, duplicate = await self._call(write, one_write=True)
        if duplicate:
            self.duplicates += 1
            log.info("spool=%d the same mail again (Message-ID %s): not stored twice", item_id, message_id or "none")
        return item_id

    # -- worker -----------------------------------------------------------------------------------
    async def claim(self, lease_seconds: float, owner: str = "", max_claims: int = 0) -> SpoolItem | None:
        """The next due handoff, leased to `owner`; None when nothing is due.

        A handoff already claimed `max_claims` times without an outcome (the process died or hung on it
        each time) is parked here, before it can take the process down again, and the next one is taken.
        A working row whose lease ran out belongs to a worker that died (or another instance's): it is
        taken over now rather than only at the next start-up.
        """

        def claim(conn: sqlite3.Connection) -> SpoolItem | None:
            row = self._handoffs.claim(conn, time.time(), lease_seconds, owner, max_claims)
            return item_from_row(row) if row else None

        self.claims += 1
        return await self._call(claim)

    async def extend_lease(self, item_id: int, lease_seconds: float) -> bool:
        """Keep a handoff that is still being worked on from looking abandoned; False if it is no longer ours."""
        return await self._call(lambda conn: self._handoffs.extend(conn, item_id, lease_seconds, time.time()))

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
            self._handoffs.settle(
                conn,
                item_id,
                now,
                "state='created', incident_id=?, ticket_number=?, summary=?, message_id=?, search_text=?, "
                "last_error=NULL",
                (
                    incident_id,
                    ticket_number,
                    json.dumps(summary),
                    summary.get("message_id"),
                    search_text(summary, summary.get("message_id"), ticket_number),
                ),
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
        await self._call(
            lambda conn: self._handoffs.settle(
                conn,
                item_id,
                time.time(),
                "state='skipped', skipped_guard=?, skipped_reason=?, summary=?, message_id=?, search_text=?, "
                "last_error=NULL",
                (guard, reason, json.dumps(summary), summary.get("message_id"), search_text(summary, None)),
            )
        )

    async def retry_later(self, item_id: int, delay: float, error: str, summary: dict[str, Any] | None = None) -> None:
        extra = summary_columns(summary)
        await self._call(lambda conn: self._handoffs.retry(conn, item_id, time.time(), delay, error, *extra))

    async def park(self, item_id: int, error: str, summary: dict[str, Any] | None = None) -> None:
        extra = summary_columns(summary)
        await self._call(lambda conn: self._handoffs.park(conn, item_id, time.time(), error, *extra))

    async def recover(self, owner: str | None = None) -> int:
        """At start-up: return to the queue what `owner` (this instance, before its restart) held, at once,
        and whatever anyone's expired lease left behind. Another live instance's leases are left alone."""

        def recover(conn: sqlite3.Connection) -> int:
            now = time.time()
            self._outbox.recover(conn, now)
            if owner:  # its budget leases end now, at what they were granted (handoff.spool.budget)
                conn.execute("UPDATE budget_leases SET done_at = ? WHERE holder = ? AND done_at IS NULL", (now, owner))
            return self._handoffs.recover(conn, now, owner)

        return await self._call(recover)

    async def release(self, item_id: int, error: str | None = None, *, counted: bool = True) -> None:
        """Give back a claim without an outcome, queued again at once. `counted`: the claim still counts
        towards max_claims (the analysis process died on this mail); False for a graceful stop."""
        await self._call(lambda conn: self._handoffs.release(conn, item_id, time.time(), error, counted))

    async def wake_retries(self) -> int:
        """Dataverse answers again: every handoff waiting out a backoff is due now (the request budget
        paces them), instead of each sleeping out its own backoff after an outage."""
        return await self._call(lambda conn: self._handoffs.wake(conn, time.time()))

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
        return await self._call(lambda conn: self._handoffs.requeue(conn, item_id, time.time()))

    # -- retention --------------------------------------------------------------------------------
    async def purge_raw(self, before: float, *, dry_run: bool = False) -> tuple[int, int]:
        """Drop the raw bytes of created and skipped handoffs received before `before`; (count, bytes).
        In chunks of PURGE_CHUNK rows, each its own transaction, so intake's writes get in between.
        The file does not shrink: SQLite reuses the freed pages for the mails that come next."""
        where = f"{RAW_KEPT} AND received_at < ?"
        if dry_run:
            found = await self._call(
                lambda conn: conn.execute(
                    f"SELECT COUNT(*), COALESCE(SUM(length(raw)), 0) FROM handoffs WHERE {where}", (before,)
                ).fetchone()
            )
            return int(found[0]), int(found[1])

        def chunk(conn: sqlite3.Connection) -> tuple[int, int]:
            rows = conn.execute(
                f"SELECT id, length(raw), summary FROM handoffs WHERE {where} ORDER BY received_at LIMIT ?",
                (before, PURGE_CHUNK),
            ).fetchall()
            now = time.time()
            # The text of the mail goes with its raw bytes (base.forget_text); the search column is
            # built from what stays, so it needs no rewrite.
            conn.executemany(
                "UPDATE handoffs SET raw=x'', raw_purged_at=?, summary=? WHERE id=?",
                [(now, json.dumps(forget_text(json.loads(row[2] or "{}"))), row[0]) for row in rows],
            )
            return len(rows), sum(int(row[1] or 0) for row in rows)

        count = size = 0
        while True:
            n, b = await self._call(chunk)
            count, size = count + n, size + b
            if n < PURGE_CHUNK:
                return count, size

    # -- operators --------------------------------------------------------------------------------
    async def get(self, item_id: int) -> SpoolItem | None:
        def get(conn: sqlite3.Connection) -> SpoolItem | None:
            rows = self._handoffs.rows(conn, item_id=item_id)
            return item_from_row(rows[0]) if rows else None

        return await self._call(get)

    async def counts(self) -> dict[str, int]:
        return await self._call(self._handoffs.counts)

    async def latest(
        self,
        limit: int = 20,
        state: str | None = None,
        *,
        since: float | None = None,
        search: str | None = None,
        offset: int = 0,
    ) -> list[SpoolItem]:
        """Newest first: `since` received at or after (epoch seconds), `search` a case-insensitive
        substring of the customer's email or name, the subject, the ticket number or the Message-ID."""

        def latest(conn: sqlite3.Connection) -> list[SpoolItem]:
            rows = self._handoffs.rows(
                conn, state=state, since=since, search=search, limit=limit, offset=offset, newest_first=True
            )
            return [item_from_row(row) for row in rows]

        return await self._call(latest)

    async def count(self, state: str | None = None, *, since: float | None = None, search: str | None = None) -> int:
        """How many handoffs `latest` pages through with the same filters."""
        if since is None and not search:  # by state alone: the kept counts, not a count of the rows
            counts = await self.counts()
            return counts.get(state, 0) if state else sum(counts.values())
        sql, params = HANDOFFS.listing(state=state, since=since, search=search, count=True, search_index=SEARCH_INDEX)
        return await self._call(lambda conn: int(conn.execute(sql, params).fetchone()[0]))

    async def next_due_in(self) -> float | None:
        return await self._call(lambda conn: self._handoffs.next_due_in(conn, time.time()))

    async def oldest_queued_at(self) -> float | None:
        # ids grow with arrival, so the lowest queued id is the oldest: one step down handoffs_state.
        def oldest(conn: sqlite3.Connection) -> float | None:
            row = conn.execute("SELECT received_at FROM handoffs WHERE state = 'queued' ORDER BY id LIMIT 1").fetchone()
            return None if row is None else float(row[0])

        return await self._call(oldest)

    # -- outbox -----------------------------------------------------------------------------------
    async def claim_event(self, lease_seconds: float) -> OutboxEvent | None:
        # An expired 'sending' lease means the sender died before it could record a 200 or a failure;
        # MoEngage may have the event, but not knowing is a resend (at least once), never a loss.
        def claim(conn: sqlite3.Connection) -> OutboxEvent | None:
            row = self._outbox.claim(conn, time.time(), lease_seconds)
            return event_from_row(row) if row else None

        return await self._call(claim)

    async def event_sent(self, event_id: int) -> None:
        now = time.time()
        await self._call(
            lambda conn: self._outbox.settle(conn, event_id, now, "state='sent', sent_at=?, last_error=NULL", (now,))
        )

    async def event_retry(self, event_id: int, delay: float, error: str) -> None:
        await self._call(lambda conn: self._outbox.retry(conn, event_id, time.time(), delay, error))

    async def event_requeue(self, event_id: int) -> bool:
        """An operator's retry of a parked event (e.g. after fixing [moengage] credentials)."""
        return await self._call(lambda conn: self._outbox.requeue(conn, event_id, time.time()))

    async def event_park(self, event_id: int, error: str) -> None:
        await self._call(lambda conn: self._outbox.park(conn, event_id, time.time(), error))

    async def events(self, state: str | None = None, *, handoff_id: int | None = None) -> list[OutboxEvent]:
        return await self._call(
            lambda conn: [event_from_row(row) for row in self._outbox.rows(conn, state=state, handoff_id=handoff_id)]
        )

    # -- the shared Dataverse request budget ------------------------------------------------------
    def request_budget(self, name: str, holder: str | None = None, hold_seconds: float = 300.0) -> SqliteBudget:
        """The budget of one application user (`name`), shared by every process on this file
        (handoff.spool.budget); `hold_seconds`: how long a lease outlives a holder that died."""
        budget = SqliteBudget(str(self.path), name, holder or f"{socket.gethostname()}:{os.getpid()}", hold_seconds)
        self._budgets.append(budget)
        return budget

    def contact_book(self, scope: str, holder: str | None = None) -> SqliteContacts:
        """The contacts the processes on this file learned within `scope` (an organisation and its match
        columns), and their claims to create one (handoff.spool.contacts)."""
        book = SqliteContacts(str(self.path), scope, holder or f"{socket.gethostname()}:{os.getpid()}")
        self._budgets.append(book)
        return book

    async def event_counts(self) -> dict[str, int]:
        return await self._call(self._outbox.counts)


def _statements(script: str) -> list[str]:
    """The script's statements; a trigger's body (BEGIN ... END) holds semicolons of its own."""
    statements: list[str] = []
    pending = ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n\t;"):
                statements.append(pending.strip())
            pending = ""
    if pending.strip(" \n\t;"):
        statements.append(pending.strip())
    return statements


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the MIGRATIONS not yet recorded in PRAGMA user_version, each in its own transaction; returns
    the versions applied. BEGIN IMMEDIATE takes the write lock before the version is read, so two
    processes opening the same file at once apply each step once."""
    applied: list[int] = []
    for n, script in enumerate(MIGRATIONS, start=1):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if int(conn.execute("PRAGMA user_version").fetchone()[0]) < n:
                for statement in _statements(script):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {n}")
                applied.append(n)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return applied


class SqliteQueue:
    """The leased queue (handoff.spool.leased) in SQLite's SQL; every method runs on the writer thread
    inside the writer's transaction, so a read-then-update is atomic (SQLite has one writer)."""

    def __init__(self, shape: QueueShape) -> None:
        self.shape = shape
        self.t = shape.table

    def _cleared(self, now: float) -> tuple[str, tuple[Any, ...]]:
        """What every outcome resets: the lease (and for handoffs its owner and the claim count)."""
        sql = "lease_until=NULL"
        if self.shape.owned:
            sql += ", lease_owner=NULL, open_claims=0"
        if self.shape.touched:
            return sql + ", updated_at=?", (now,)
        return sql, ()

    def settle(self, conn: sqlite3.Connection, row_id: int, now: float, sets: str, params: tuple[Any, ...]) -> int:
        cleared, extra = self._cleared(now)
        cur = conn.execute(f"UPDATE {self.t} SET {sets}, {cleared} WHERE id=?", (*params, *extra, row_id))
        return cur.rowcount

    def claim(
        self, conn: sqlite3.Connection, now: float, lease_seconds: float, owner: str = "", max_claims: int = 0
    ) -> tuple[Any, ...] | None:
        s = self.shape
        probe = "id, open_claims, last_error" if s.owned else "id"
        while True:
            # Two lookups, each a top-1 search of handoffs_due (state, next_attempt_at) however long the
            # backlog: an expired lease first (its holder died; that work is the oldest), then the next due
            # row. One OR of both made SQLite collect every due row and sort them for each claim: 3 ms at
            # 20,000 queued, on the writer thread that every SMTP enqueue waits for.
            found = (
                conn.execute(
                    f"SELECT {probe} FROM {self.t} WHERE state='{s.working}' AND lease_until < ? "
                    "ORDER BY lease_until LIMIT 1",
                    (now,),
                ).fetchone()
                or conn.execute(
                    f"SELECT {probe} FROM {self.t} WHERE state='{s.ready}' AND next_attempt_at <= ? "
                    f"ORDER BY {s.order} LIMIT 1",
                    (now,),
                ).fetchone()
            )
            if found is None:
                return None
            if s.owned and max_claims and found[1] >= max_claims:
                reason = claims_reason(found[1], found[2])
                self.park(conn, found[0], now, reason)
                log.warning("spool=%d parked at claim: %s", found[0], reason)
                continue
            sets, params = "lease_until=?", [now + lease_seconds]
            if s.owned:
                sets += ", open_claims=open_claims+1, lease_owner=?"
                params.append(owner)
            if s.touched:
                sets += ", updated_at=?"
                params.append(now)
            return conn.execute(
                f"UPDATE {self.t} SET state='{s.working}', attempts=attempts+1, {sets} WHERE id=? RETURNING {s.select}",
                (*params, found[0]),
            ).fetchone()

    def extend(self, conn: sqlite3.Connection, row_id: int, lease_seconds: float, now: float) -> bool:
        cur = conn.execute(
            f"UPDATE {self.t} SET lease_until=? WHERE id=? AND state='{self.shape.working}'",
            (now + lease_seconds, row_id),
        )
        return cur.rowcount == 1

    def retry(
        self,
        conn: sqlite3.Connection,
        row_id: int,
        now: float,
        delay: float,
        error: str,
        sets: str = "",
        params: tuple[Any, ...] = (),
    ) -> None:
        more = f", {sets}" if sets else ""
        self.settle(
            conn,
            row_id,
            now,
            f"state='{self.shape.ready}', next_attempt_at=?, last_error=?{more}",
            (now + delay, error[:2000], *params),
        )

    def park(
        self,
        conn: sqlite3.Connection,
        row_id: int,
        now: float,
        error: str,
        sets: str = "",
        params: tuple[Any, ...] = (),
    ) -> None:
        more = f", {sets}" if sets else ""
        self.settle(conn, row_id, now, f"state='{self.shape.parked}', last_error=?{more}", (error[:2000], *params))

    def release(self, conn: sqlite3.Connection, row_id: int, now: float, error: str | None, counted: bool) -> None:
        assert self.shape.owned, "only owned queues count claims"
        conn.execute(
            f"UPDATE {self.t} SET state='{self.shape.ready}', lease_until=NULL, lease_owner=NULL, "
            "open_claims=MAX(0, open_claims - ?), last_error=COALESCE(?, last_error), updated_at=? "
            f"WHERE id=? AND state='{self.shape.working}'",
            (0 if counted else 1, error, now, row_id),
        )

    def recover(self, conn: sqlite3.Connection, now: float, owner: str | None = None) -> int:
        s = self.shape
        sets, params = "lease_until=NULL", []
        if s.owned:
            sets += ", lease_owner=NULL"
        if s.touched:
            sets += ", updated_at=?"
            params.append(now)
        mine = " OR lease_owner = ?" if s.owned else ""
        cur = conn.execute(
            f"UPDATE {self.t} SET state='{s.ready}', {sets} "
            f"WHERE state='{s.working}' AND (lease_until IS NULL OR lease_until < ?{mine})",
            (*params, now, *((owner,) if s.owned else ())),
        )
        return cur.rowcount

    def requeue(self, conn: sqlite3.Connection, row_id: int, now: float) -> bool:
        s = self.shape
        sets = ", open_claims=0" if s.owned else ""
        params: tuple[Any, ...] = ()
        if s.touched:
            sets += ", updated_at=?"
            params = (now,)
        cur = conn.execute(
            f"UPDATE {self.t} SET state='{s.ready}', attempts=0, next_attempt_at=0{sets} "
            f"WHERE id=? AND state IN ({s.state_list(s.requeue_from)})"
            # Without its raw mail there is nothing left to hand off again.
            + (" AND raw_purged_at IS NULL" if s.purgeable else ""),
            (*params, row_id),
        )
        return cur.rowcount == 1

    def wake(self, conn: sqlite3.Connection, now: float) -> int:
        cur = conn.execute(
            f"UPDATE {self.t} SET next_attempt_at=? WHERE state='{self.shape.ready}' AND next_attempt_at > ?",
            (now, now),
        )
        return cur.rowcount

    def counts(self, conn: sqlite3.Connection) -> dict[str, int]:
        # Kept by the *_counted triggers (migration 5): a look-up, however many rows the table holds.
        found = dict(conn.execute("SELECT state, n FROM state_counts WHERE tbl=?", (self.t,)).fetchall())
        return {state: int(found.get(state, 0)) for state in self.shape.states}

    def next_due_in(self, conn: sqlite3.Connection, now: float) -> float | None:
        row = conn.execute(f"SELECT MIN(next_attempt_at) FROM {self.t} WHERE state='{self.shape.ready}'").fetchone()
        return None if row[0] is None else max(0.0, row[0] - now)

    def rows(self, conn: sqlite3.Connection, **filters: Any) -> list[tuple[Any, ...]]:
        """A listing (QueueShape.listing's filters), in the row decoder's column order."""
        sql, params = self.shape.listing(**filters, search_index=SEARCH_INDEX)
        return conn.execute(sql, params).fetchall()
