"""One application user's Dataverse budget, shared by every instance on one spool: leases of the window.

Dataverse counts its service protection limits per application user across every client: 6,000 requests
and 1,200 s of execution per 300 s sliding window, 52 requests at once (../shared/docs/dataverse.md,
"Service protection"). Instances on one spool (several processes on one SQLite file, several hosts on one
PostgreSQL database) therefore draw on one budget, kept here as a ledger of leases:

- an instance leases a slice of the window (some requests, some seconds of execution, some requests at
  once) and spends it in its own process (handoff.dynamics.limits.Limiter): one round trip per lease
  (about a second of traffic), not per request;
- a lease counts in the window, at what it was granted, from when it was taken until `window` seconds after
  it was returned (its requests were all answered by then), or, if its holder never returned it, after it
  ran out (`lease_until`, longer than a request may take). Returned, it counts what its requests really
  used: the number answered while it was current and their whole execution time;
- a request still in flight when its instance renews moves to the new lease (`carry`), which records it
  when it is answered: every request is counted in a lease that lasts past its answer;
- a lease is granted only within what the window has left: the sum of every lease counting in it stays
  under the limits, whatever the instances do; a lease holds the requests at once its instance can fill
  (those in flight and those waiting), what the others do not hold goes to whoever asks, and while an
  instance holds none (it waits for one) they are split evenly among the instances asking (an instance
  holding no more than its even share, with every place in use, is granted room without a place for
  its next request, which takes the place its next answer frees); they count
  only for a few seconds after a lease was taken (`live`: an instance with requests in flight renews
  sooner), so a dead instance's share comes back soon, its requests and execution once its lease has run
  out and a window has passed;
- a 429's Retry-After pauses every instance: it is kept with the budget (`resume_at`) and no lease is
  granted before then (each instance hears of it at its next lease, within about a second).

Why leases and not each instance's record of its own requests: a record is read late (another instance's
requests since its last write are not in it), so two instances reading the same room both spend it; a
lease is granted before anything is sent, so the ledger never says less than what may be in flight. And
an instance that dies mid-window leaves nothing unaccounted: its open lease counts in full until it runs
out plus a window, the most its requests could have been counted by the server.

What Dataverse reports of the user's execution (TIME_REMAINING on its responses, the figure of every
instance together) lowers the ledger's count as the in-process limiter's own (never by more than
SERVER_CREDIT of the budget): our time for a request includes the trip, so a ledger of our own times alone
runs some 6% above the server's, and a lone instance would leave that much of the budget unused.

The decision is `decide()`, one pure function both backends call inside one transaction that holds the
budget's lock (BEGIN IMMEDIATE on SQLite, a transaction-scoped advisory lock on PostgreSQL).
"""

from __future__ import annotations

import asyncio
import math
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Any

# The server's figure lowers the ledger's count by at most SERVER_CREDIT of the budget; a request is recorded
# in the lease current when its answer is read, up to EXPIRY_MARGIN after the server finished it. The same
# figures as the in-process limiter's (handoff.dynamics.limits), kept in one place.
from handoff.budget_constants import EXPIRY_MARGIN, SERVER_CREDIT

# Leases that left the window are kept this share of it longer: Dataverse's report is as of when it admitted
# the request that carried it (seconds ago, for a $batch), and what left its window since then is taken off
# it (`window_execution`), which needs the leases that held it.
RETAIN_SHARE = 0.1


@dataclass
class Ask:
    """One instance's renewal: what its last lease ended with, what it must carry, what it asks for."""

    requests_per_window: int
    window_seconds: float
    execution_per_window: float
    concurrent: int  # requests at once for the whole user (the limit, or fewer for pacing)
    hold: float  # a granted lease runs out this long after it was taken (longer than any request)
    linger: float  # a lease granting nothing (its holder waits) runs out this soon
    live: float  # a lease's requests at once count this long after it was taken (its holder renews sooner)
    previous: int | None = None  # the lease this one replaces, returned now
    answered: int = 0  # requests answered while `previous` was current
    executed: float = 0.0  # their whole execution time (s)
    carry_requests: int = 0  # in flight now: recorded in the new lease whatever it grants
    carry_execution: float = 0.0
    carry_concurrent: int = 0
    requests: int = 0  # asked beyond the carry; 0: only return `previous` (and record the carry)
    execution: float = 0.0
    want_concurrent: int = 0
    min_execution: float = 0.0  # less than this is no use (a typical request's time)
    server_spent: float | None = None  # Dataverse's count of the window when it admitted a request...
    server_age: float = 0.0  # ...sent this long ago


@dataclass
class Lease:
    """A row of the ledger as `decide` reads it (times are the ledger's clock)."""

    holder: str
    taken_at: float
    lease_until: float
    done_at: float | None
    requests: int
    execution: float
    concurrent: int

    def ends(self) -> float:
        return self.done_at if self.done_at is not None else self.lease_until

    def open(self, now: float) -> bool:
        return self.done_at is None and self.lease_until > now

    def live(self, now: float, ask: Ask) -> bool:
        """Its requests at once still count: open, and renewed lately (a holder with requests in flight
        renews well within `live`; one that died stops counting then, what it sent a window later)."""
        return self.open(now) and now < self.taken_at + ask.live


@dataclass
class Grant:
    """What a renewal gave: `lease` (None when nothing was written) and, beyond the carry, new room."""

    lease: int | None
    requests: int = 0
    execution: float = 0.0
    concurrent: int = 0
    # No new room: when the window has some again (None: when another instance returns a lease; poll).
    wait: float | None = None
    paused: float = 0.0  # a shared Retry-After pause has this long to run
    others: int = 0  # other instances holding or asking for a lease now


@dataclass
class Decision:
    """What to write: the new lease (None: none) and what to answer."""

    row: Lease | None
    grant: Grant


def window_execution(leases: list[Lease], now: float, ask: Ask, server: tuple[float, float] | None) -> float:
    """The execution counted in the window: every lease's, less what Dataverse said it had not counted (its
    figure, less what has left its window since, plus every lease returned or open since the request that
    carried it was sent). `leases` may hold some that left the window already (RETAIN_SHARE)."""
    edge = now - ask.window_seconds
    counting = [lease for lease in leases if lease.ends() > edge]
    own = sum(lease.execution for lease in counting)
    if server is None:
        return own
    spent, at = server
    since = sum(lease.execution for lease in counting if lease.done_at is None or lease.done_at > at)
    # Returned before the report (their requests had all finished then), taken within the window then (so
    # they were in its figure), gone from the window now: the server no longer counts them.
    left = sum(
        lease.execution
        for lease in leases
        if lease.done_at is not None
        and lease.done_at <= min(at, edge)
        and lease.taken_at > at - ask.window_seconds + EXPIRY_MARGIN
    )
    return max(own - SERVER_CREDIT * ask.execution_per_window, min(own, max(0.0, spent - left) + since))


def _room_at(leases: list[Lease], now: float, ask: Ask, requests: float, execution: float) -> float | None:
    """How long until the leases leaving the window free `requests` and `execution` (None: not before an
    open lease ends)."""
    freed_requests = freed_execution = 0.0
    for lease in sorted((lease for lease in leases if not lease.open(now)), key=Lease.ends):
        freed_requests += lease.requests
        freed_execution += lease.execution
        if freed_requests >= requests and freed_execution >= execution:
            return max(lease.ends() + ask.window_seconds - now, 0.001)
    return None


def decide(
    leases: list[Lease], holder: str, now: float, ask: Ask, resume_at: float, server: tuple[float, float] | None
) -> Decision:
    """The new lease for `holder`, given every lease still counting in the window (the returned
    `previous` among them, at what it used), those that left it lately, and the shared pause."""
    if ask.requests <= 0 and ask.carry_requests <= 0:
        return Decision(None, Grant(None))  # returned, nothing in flight, nothing asked
    execution = window_execution(leases, now, ask, server)
    leases = [lease for lease in leases if lease.ends() > now - ask.window_seconds]
    requests = sum(lease.requests for lease in leases)
    held: dict[str, int] = {}  # other instances with a live lease: the requests at once it holds
    for lease in leases:
        if lease.live(now, ask) and lease.holder != holder:
            held[lease.holder] = held.get(lease.holder, 0) + lease.concurrent
    others = set(held)
    concurrent = sum(held.values())
    # Requests at once: an instance's lease holds only those it can fill now (handoff.dynamics.limits), so
    # what the others do not hold is free for whoever has requests waiting, rather than standing empty. But
    # while another instance holds none (it waits for one), they are split evenly among the instances, so one
    # with a backlog does not keep them all: it gives back what is over its share as its requests finish.
    share = ask.concurrent - concurrent
    if any(n <= 0 for n in held.values()):
        share = min(share, math.ceil(ask.concurrent / (len(others) + 1)))
    room_requests = min(ask.requests, ask.requests_per_window - requests - ask.carry_requests)
    room_execution = min(ask.execution, ask.execution_per_window - execution - ask.carry_execution)
    room_concurrent = min(ask.want_concurrent, share - ask.carry_concurrent)
    paused = max(0.0, resume_at - now)
    grant = Grant(None, paused=paused, others=len(others))
    if paused > 0 or ask.requests <= 0:
        pass
    elif room_requests < 1 or room_execution < max(ask.min_execution, 1e-6):
        # The window is spent: room comes as returned leases leave it, oldest first; wait for as many as
        # free what is needed (not the first alone: leases are small, and asking again as each leaves is a
        # busy loop). An open lease frees nothing until it is returned or runs out: a poll finds out.
        grant.wait = _room_at(leases, now, ask, 1 - room_requests, max(ask.min_execution, 1e-6) - room_execution)
    elif room_concurrent < 1:
        if 0 < ask.carry_concurrent <= math.ceil(ask.concurrent / (len(others) + 1)):
            # Every place is in use and this instance holds no more than its even share, with requests of its
            # own in flight: room for the one waiting (requests, execution; no place), so it goes in the place
            # its next answer frees. Without it that place stood empty for a renewal (a transaction) after
            # every answer; the places it holds stay as many, so the ledger's count of them stays right.
            grant.requests, grant.execution = room_requests, room_execution
        else:
            grant.wait = None
    else:
        grant.requests, grant.execution, grant.concurrent = room_requests, room_execution, room_concurrent
    granted = grant.requests > 0
    row = Lease(
        holder,
        now,
        now + (ask.hold if granted or ask.carry_requests else ask.linger),
        None,
        ask.carry_requests + grant.requests,
        ask.carry_execution + grant.execution,
        ask.carry_concurrent + grant.concurrent,
    )
    return Decision(row, grant)


# ------------------------------------------------------------------------------------------ the backends

LEASE_COLUMNS = "holder, taken_at, lease_until, done_at, requests, execution, concurrent"


def _lease(row: Any) -> Lease:
    h, taken, until, done, n, e, c = tuple(row)
    return Lease(str(h), float(taken), float(until), None if done is None else float(done), int(n), float(e), int(c))


def _server(ask: Ask, now: float, spent: float | None, at: float | None) -> tuple[float, float] | None:
    """The newest of the stored and the asking instance's report of Dataverse's count."""
    stored = None if spent is None or at is None else (float(spent), float(at))
    if ask.server_spent is None:
        return stored
    mine = (ask.server_spent, now - ask.server_age)
    return mine if stored is None or mine[1] > stored[1] else stored


def side_connection(path: str) -> sqlite3.Connection:
    """A connection of its own to the spool's SQLite file, beside the writer thread's, for a table whose rows
    a crash may lose (the budget's ledger, the shared contacts): autocommit, no fsync, and a wait of up to 30 s
    for the other processes' BEGIN IMMEDIATE."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA synchronous=OFF")
    return conn


class SqliteBudget:
    """The ledger in the SQLite spool's file, on a connection of its own (no fsync: a budget is about the
    last few minutes, and a crash that loses a lease loses nothing a window does not forget). Several
    processes on one host share it; BEGIN IMMEDIATE serialises their renewals. The clock is the host's."""

    def __init__(self, path: str, name: str, holder: str, hold_seconds: float) -> None:
        self.path = path
        self.name = name
        self.holder = holder
        self.hold_seconds = hold_seconds
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self.renewals = 0

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = side_connection(self.path)
        return self._conn

    def _renew(self, ask: Ask) -> Grant:
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                now = time.time()
                if ask.previous is not None:
                    conn.execute(
                        "UPDATE budget_leases SET done_at = ?, requests = ?, execution = ? "
                        "WHERE id = ? AND done_at IS NULL",
                        (now, ask.answered, ask.executed, ask.previous),
                    )
                conn.execute(
                    "DELETE FROM budget_leases WHERE budget = ? AND COALESCE(done_at, lease_until) <= ?",
                    (self.name, now - ask.window_seconds * (1 + RETAIN_SHARE)),
                )
                state = conn.execute(
                    "SELECT resume_at, server_spent, server_at FROM budget_state WHERE budget = ?", (self.name,)
                ).fetchone()
                resume_at, spent, at = state if state else (0.0, None, None)
                server = _server(ask, now, spent, at)
                if server is not None and (at is None or server[1] > float(at)):
                    conn.execute(
                        "INSERT INTO budget_state (budget, server_spent, server_at) VALUES (?, ?, ?) "
                        "ON CONFLICT (budget) DO UPDATE SET server_spent = excluded.server_spent, "
                        "server_at = excluded.server_at",
                        (self.name, server[0], server[1]),
                    )
                leases = [
                    _lease(row)
                    for row in conn.execute(
                        f"SELECT {LEASE_COLUMNS} FROM budget_leases WHERE budget = ?", (self.name,)
                    ).fetchall()
                ]
                decision = decide(leases, self.holder, now, ask, float(resume_at or 0.0), server)
                grant = decision.grant
                if decision.row is not None:
                    r = decision.row
                    cursor = conn.execute(
                        "INSERT INTO budget_leases (budget, holder, taken_at, lease_until, requests, execution, "
                        "concurrent) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (self.name, r.holder, r.taken_at, r.lease_until, r.requests, r.execution, r.concurrent),
                    )
                    grant.lease = cursor.lastrowid
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            self.renewals += 1
            return grant

    def _pause(self, seconds: float) -> None:
        with self._lock:
            self._connection().execute(
                "INSERT INTO budget_state (budget, resume_at) VALUES (?, ?) ON CONFLICT (budget) DO UPDATE "
                "SET resume_at = MAX(resume_at, excluded.resume_at)",
                (self.name, time.time() + seconds),
            )

    async def lease(self, ask: Ask) -> Grant:
        return await asyncio.to_thread(self._renew, ask)

    async def pause(self, seconds: float) -> None:
        await asyncio.to_thread(self._pause, seconds)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


class PostgresBudget:
    """The ledger in the PostgreSQL spool (unlogged tables, committed without waiting for a WAL flush),
    one transaction per renewal under a transaction-scoped advisory lock on the budget; the database's clock."""

    def __init__(self, spool: Any, name: str, holder: str, hold_seconds: float) -> None:
        self.spool = spool
        self.name = name
        self.holder = holder
        self.hold_seconds = hold_seconds
        self.renewals = 0

    async def lease(self, ask: Ask) -> Grant:
        async with self.spool._conn(transaction=True) as conn:
            # Nothing here needs a WAL flush. And the budget's lock is held across a few round trips: a holder
            # stalled mid-transaction (a stopped process) is cut off by the server, and an instance waiting
            # for the lock gives up (a transient failure, retried), rather than every instance waiting on it.
            await conn.execute(
                "SET LOCAL synchronous_commit = off; SET LOCAL lock_timeout = '5s'; "
                "SET LOCAL idle_in_transaction_session_timeout = '5s'"
            )
            now = await conn.fetchval(
                "SELECT extract(epoch from clock_timestamp())::float8 "
                "FROM (SELECT pg_advisory_xact_lock(hashtextextended('handoff.budget:' || current_schema() "
                "|| ':' || $1, 0))) AS locked",
                self.name,
            )
            if ask.previous is not None:
                await conn.execute(
                    "UPDATE budget_leases SET done_at = $1, requests = $2, execution = $3 "
                    "WHERE id = $4 AND done_at IS NULL",
                    now,
                    ask.answered,
                    float(ask.executed),
                    ask.previous,
                )
            await conn.execute(
                "DELETE FROM budget_leases WHERE budget = $1 AND COALESCE(done_at, lease_until) <= $2",
                self.name,
                now - ask.window_seconds * (1 + RETAIN_SHARE),
            )
            state = await conn.fetchrow(
                "SELECT resume_at, server_spent, server_at FROM budget_state WHERE budget = $1", self.name
            )
            resume_at, spent, at = tuple(state) if state else (0.0, None, None)
            server = _server(ask, now, spent, at)
            if server is not None and (at is None or server[1] > float(at)):
                await conn.execute(
                    "INSERT INTO budget_state (budget, server_spent, server_at) VALUES ($1, $2, $3) "
                    "ON CONFLICT (budget) DO UPDATE SET server_spent = EXCLUDED.server_spent, "
                    "server_at = EXCLUDED.server_at",
                    self.name,
                    server[0],
                    server[1],
                )
            rows = await conn.fetch(f"SELECT {LEASE_COLUMNS} FROM budget_leases WHERE budget = $1", self.name)
            decision = decide([_lease(row) for row in rows], self.holder, now, ask, float(resume_at or 0.0), server)
            grant = decision.grant
            if decision.row is not None:
                r = decision.row
                grant.lease = await conn.fetchval(
                    "INSERT INTO budget_leases (budget, holder, taken_at, lease_until, requests, execution, "
                    "concurrent) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    self.name,
                    r.holder,
                    r.taken_at,
                    r.lease_until,
                    r.requests,
                    float(r.execution),
                    r.concurrent,
                )
        self.renewals += 1
        return grant

    async def pause(self, seconds: float) -> None:
        async with self.spool._conn() as conn:
            await conn.execute(
                "INSERT INTO budget_state (budget, resume_at) "
                "VALUES ($1, extract(epoch from clock_timestamp())::float8 + $2) "
                "ON CONFLICT (budget) DO UPDATE SET resume_at = GREATEST(budget_state.resume_at, EXCLUDED.resume_at)",
                self.name,
                float(seconds),
            )

    def close(self) -> None:
        pass
