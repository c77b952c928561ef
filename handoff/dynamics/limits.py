"""Client-side service protection: stay under Dataverse's per-user limits instead of collecting 429s.

Dataverse counts, per application user, the requests in a sliding 300 s window (6000), the requests in
flight (52) and their execution time; past a limit it answers 429 with Retry-After. One
`DataverseClient` is one application user, so it owns one `Limiter` and every request passes it:

- at most `max_concurrent` requests in flight; more simply queue, first come first served;
- at most `requests_per_window` in any window. A request holds its place from before it is sent until
  `window_seconds` after its response came back: the server stamps it somewhere in between, so our
  count is never below the server's, whatever the latency, and a backlog drains at the limit;
- after a 429 with Retry-After every request waits until then, not only the one that got it: the limit
  is the user's, so the others would be refused too, and refusals can lengthen the penalty.

- at most `execution_per_window` seconds of execution in any window (Dataverse: 1,200 s per 300 s, the
  combined time of the user's requests, concurrent ones adding up, a `$batch` counted once as a whole;
  dataverse.md, "Service protection", "$batch"). The server's cost of a request cannot be known before
  it runs, so each request's time from admission to its response read counts: the answered ones of the
  window in full, those still in flight for as long as they have run. A request is admitted while that
  sum is under the budget. Our time for a request is never shorter than the server's and ends later,
  so our sum is never below what the server has counted: a lone client meets no execution-time 429.
  Counting the requests in flight as they run paces a backlog: at the start nothing is answered yet,
  and admitting on answered time alone would send a burst of long requests far past the budget (then
  wait out the window with nothing to do); this way about budget / window requests execute at once,
  and a new one goes as the window makes room. Each request in flight counts `LEAD` more than it has
  run: a request admitted now reaches the server a moment later, and those in flight run on meanwhile.
  And over any tenth of the window no more than the budget's share runs (on average budget / window
  requests at once), and never more requests in flight than that (rounded up: 4 for Dataverse): run
  faster and the window is spent early, then nothing may go until its oldest requests leave it, an idle
  stretch that comes back every window for as long as the backlog lasts. A request is admitted only
  while the window has room for one more of typical length, for the same reason.
  Dataverse says on its responses what is left of the user's execution time (TIME_REMAINING); our time
  for a request includes the trip, so our sum runs ahead of the server's, and at four at once reaches
  the budget while the server's has room. The window's count follows the server's figure instead (plus
  what was answered since), never more than SERVER_CREDIT of the budget below our own.

A 429 anyway (another integration on the same user) is absorbed by the shared pause like any other.
`saturated` says whether the budget is the bottleneck now (a request waits for it, or a Retry-After
pause is on, or one was in the last window): under a backlog the worker takes more handoffs in hand
only while it is not, so the budget is used but not fought over.

Several instances using one application user share one budget (`share()`, handoff.spool.budget): the
instance leases a slice of the window from the spool (requests, seconds of execution, requests at once)
and spends it here as a lone instance spends the whole budget, so a request costs no round trip to the
spool, a lease does (alone one a second while busy, with another instance up to one per request; a quiet
instance one per burst, given back when it falls idle). While another instance shares the budget a lease
holds no more than its instance uses: the execution it asks is what the requests waiting then may run (a
typical request each, at most a second's worth: a lease counts in the window at what it grants until it
is returned, and three instances each holding ~7 s they did not use kept that much of a full window from
the others), and a renewal with nothing waiting, or a response that leaves a place with nothing waiting
for it, gives the unused places back at once (session 8 split the 4 places 2/2/0 while the third had
work: a share stayed with its holder until its lease was renewed). Alone, nobody could use what a lease
holds: it asks a lease's worth, as before. The ledger grants only what the window has left, so N
instances together stay under `requests_per_window`, `execution_per_window` and `max_concurrent`; a 429's
Retry-After pauses all of them (the others hear of it at their next lease). An instance that dies leaves
its lease counting in full until it runs out plus a window: nothing it sent goes unaccounted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol

from handoff.budget_constants import EXPIRY_MARGIN, SERVER_CREDIT
from handoff.errors import TransientError
from handoff.spool.budget import Ask, Grant

log = logging.getLogger("handoff.dynamics")

# Dataverse refuses a 53rd concurrent request per user; more slots can never help.
MAX_CONCURRENT = 52
# Dataverse's combined execution time per user per 300 s window (dataverse.md, "Service protection").
EXECUTION_PER_WINDOW = 1200.0
# What a request in flight runs on while one admitted now travels to the server (a round trip, a busy
# event loop): counted ahead, so the server never sees the budget spent when ours said it was not.
LEAD = 0.05
# While paced, how often the first waiting request looks again (a response wakes it at once).
PACE_POLL = 0.02
# With a shared budget, how often the first waiting request asks again when only a response (perhaps
# another instance's) can free a place.
SHARED_POLL = 0.03


# With a shared budget: how long a lease is used before it is renewed (returned with what it used, a new
# one taken), as a share of the window and at most. Each renewal is a round trip to the spool; a lease
# counts in the window from when it was taken, so the longer it lasts the more of the budget it holds
# before its requests use it (the share: about 1% of the window's budget).
RENEW_SHARE = 0.01
RENEW_MAX = 1.0
RENEW_MIN = 0.05
# A lease's requests at once count for this many renewals (plus the margin) after it was taken: an instance
# with requests in flight renews it sooner; one that died gives its share back this soon.
LIVE_RENEWALS = 3
LIVE_MARGIN = 2.0
# A lease asks for this many times the budget's rate over its life: room for a request that ends late,
# without holding much that another instance could use.
LEASE_MARGIN = 1.5


class SharedBudget(Protocol):
    """One application user's budget, kept where every instance sees it (handoff.spool.budget)."""

    hold_seconds: float

    async def lease(self, ask: Ask) -> Grant:
        """Return `ask.previous` with what it used, take the next lease (or hear how long to wait)."""
        ...

    async def pause(self, seconds: float) -> None: ...


@dataclass
class Held:
    """This instance's current lease: what it allows in all (those carried in flight included), until when
    it is used before a renewal, and what was answered while it was current."""

    lease: int | None
    requests: int = 0
    execution: float = 0.0
    concurrent: int = 0
    renew_at: float = 0.0
    taken_at: float = 0.0
    # The ledger gave fewer requests at once than asked (or this instance is alone): they are its share until
    # it renews. Else a renewal may give more: one with nothing waiting kept only the requests in flight.
    capped: bool = False
    answered: int = 0
    executed: float = 0.0
    # The requests admitted on this lease (ids of their Stopwatch): each is charged a typical request's
    # time until it has run longer, not only what it has run so far.
    started: set[int] = field(default_factory=set)


# What Dataverse says is left of the user's execution time in the window, on its responses (Microsoft's
# "Service protection API limits", developer/data-platform/api-limits.md, "HTTP response headers": "the
# remaining combined duration for all connections using the same user account"). Seconds, written like
# `1,199.46` in captures from real environments.
TIME_REMAINING = "x-ms-ratelimit-time-remaining-xrm-requests"


def seconds_remaining(value: str | None) -> float | None:
    """`1,199.46` -> 1199.46; None for a missing or unreadable value."""
    if not value:
        return None
    try:
        seconds = float(value.replace(",", "").strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


class Stopwatch:
    """When one request's answer came (None: not yet, or no answer: then its end counts), and what the
    server said was left of the execution budget when it admitted it (None: it did not say)."""

    def __init__(self) -> None:
        self.at: float | None = None
        self.remaining: float | None = None

    def answered(self, remaining: float | None = None) -> None:
        if self.at is None:
            self.at = time.monotonic()
            self.remaining = remaining


class Limiter:
    def __init__(
        self,
        requests_per_window: int = 6000,
        window_seconds: float = 300.0,
        max_concurrent: int = MAX_CONCURRENT,
        *,
        max_pause: float = 60.0,
        execution_per_window: float = EXECUTION_PER_WINDOW,
    ) -> None:
        if requests_per_window < 1 or window_seconds <= 0 or not 1 <= max_concurrent <= MAX_CONCURRENT:
            raise ValueError("requests_per_window >= 1, window_seconds > 0 and 1 <= max_concurrent <= 52")
        if execution_per_window <= 0:
            raise ValueError("execution_per_window > 0")
        self.requests_per_window = requests_per_window
        self.window_seconds = window_seconds
        self.max_concurrent = max_concurrent
        self.execution_per_window = execution_per_window
        # A pause longer than this is not waited out by a request: it fails as transient with the
        # remaining time, so the worker requeues the handoff instead of holding its lease for minutes.
        self.max_pause = max_pause
        self._slots = asyncio.Semaphore(max_concurrent)
        # One request at a time decides whether it may go; the rest queue behind it in arrival order,
        # so a request is never overtaken while it waits for the window.
        self._turn = asyncio.Lock()
        self._sending = 0  # admitted, no response yet: counted, but their window has not started
        self._done: deque[float] = deque()  # when responses came back, oldest first
        # (response read at, seconds since admission) of the window's answered requests, oldest first,
        # and their sum: the execution time the server has counted against us, as far as we can tell.
        self._executed: deque[tuple[float, float]] = deque()
        # Those that left the window since, kept while they may be in the server's latest report: its figure
        # is as of when it admitted that request (a $batch takes seconds), and what has left its window since
        # is no longer counted by the server.
        self._gone: deque[tuple[float, float]] = deque()
        self._executed_sum = 0.0
        # Requests in flight: how many and the sum of their admission times, so their elapsed time
        # together is `_running * now - _running_since` without a list to walk.
        self._running = 0
        self._running_since = 0.0
        self._running_at: dict[int, float] = {}  # id of a request's Stopwatch -> when it was admitted
        # Pacing: over any `pace_seconds` no more than the budget's share of execution, i.e. on average
        # execution_per_window / window_seconds requests at once (4 for Dataverse). The window alone would
        # let a backlog run faster until it is spent, then idle until its start leaves it; and that idle
        # stretch comes back one window later, and again, for as long as the backlog lasts.
        self.pace_seconds = window_seconds / 10
        # And no more requests in flight than execute at once on average (4 for Dataverse). Looking back
        # over a tenth alone lets a burst of long requests go whenever the tenth so far ran a little under
        # its share (at the start, when nothing ran yet, all of them); together they run past it, the window
        # is spent early, and the idle stretch that follows comes back one window later (the echo). A quiet
        # service rarely has more than a few requests on the wire, so it does not wait for this.
        self.pace_concurrency = max(1, math.ceil(execution_per_window / window_seconds - 1e-9))
        # The server's own count, from its latest response that said it (TIME_REMAINING): what it had spent
        # in the window when it admitted that request, and when we admitted it (before it reached the server).
        # Our time for a request includes the trip and both event loops, so our sum runs a little above the
        # server's; at a steady four requests at once it reaches the budget while the server's has room, and
        # everything stops for a while (then comes back a window later).
        self._server_spent: float | None = None
        self._server_at = 0.0
        self.typical = 0.0  # a request's time, moving average (s)
        self.executed_total = 0.0  # every request's time since start (bench and tests)
        self.budget_waits = 0  # requests that waited for the execution-time budget
        self._last_pause = float("-inf")
        self._resume_at = 0.0
        self._freed = asyncio.Event()  # replaced after each set(): wakes whoever waits for a response
        self.in_flight = 0
        self.peak_in_flight = 0
        self.waits = 0  # requests that had to wait for the window or a pause (not for a free slot)
        self.waited_seconds = 0.0
        self.pauses = 0
        self.shared: SharedBudget | None = None
        self._pausing: set[asyncio.Task[None]] = set()
        # With a shared budget: the lease in use, how long one is used before it is renewed, and until when
        # the ledger said the window has no room (the budget is the bottleneck: `saturated`).
        self._held: Held | None = None
        self.renew_seconds = min(RENEW_MAX, max(RENEW_MIN, RENEW_SHARE * window_seconds))
        self._ledger_full_at = float("-inf")
        self._keeper: asyncio.Task[None] | None = None
        self.renewals = 0  # leases taken (bench and tests)
        # Requests waiting to be admitted (for a place or for the budget): what this instance would send now,
        # so with another instance on the budget a lease asks execution for those, not a lease's worth.
        self._queued = 0
        # Other instances on the shared budget at the last lease: only then is a place left unused worth
        # giving back before the lease is due (nobody else could use it).
        self._others = 0
        self.given_back = 0  # leases returned early to free an unused place (bench and tests)

    def share(self, budget: SharedBudget) -> None:
        """Count this instance's requests in `budget` together with every other instance's."""
        self.shared = budget

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[Stopwatch]:
        """Hold one request's place from before it is sent until its response has been read. The
        request's execution time ends when its answer's headers came (`Stopwatch.answered`): the
        server's work is done by then, reading a long body is not execution."""
        self._queued += 1
        waiting = True
        try:
            async with self._slots:
                try:
                    await (self._admit_shared() if self.shared is not None else self._admit())
                finally:
                    self._queued -= 1
                    waiting = False
                admitted = time.monotonic()
                self.in_flight += 1
                self._running += 1
                self._running_since += admitted
                self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
                watch = Stopwatch()
                self._running_at[id(watch)] = admitted
                if self._held is not None:
                    self._held.started.add(id(watch))
                try:
                    yield watch
                finally:
                    self._running_at.pop(id(watch), None)
                    self.in_flight -= 1
                    self._running -= 1
                    self._running_since -= admitted
                    if not self._running:
                        self._running_since = 0.0
                    answered = watch.at if watch.at is not None else time.monotonic()
                    if watch.remaining is not None and admitted >= self._server_at:
                        # The header is rounded to hundredths: count the half-hundredth it may hide.
                        self._server_spent = max(0.0, self.execution_per_window - watch.remaining + 0.005)
                        self._server_at = admitted
                    self._executed.append((answered, answered - admitted))
                    self.typical = (
                        answered - admitted if not self.typical else 0.8 * self.typical + 0.2 * (answered - admitted)
                    )
                    self._executed_sum += answered - admitted
                    self.executed_total += answered - admitted
                    if self.shared is None:
                        self._sending -= 1
                        self._done.append(time.monotonic())
                    elif self._held is not None:
                        # Recorded in the lease current at its answer, which lasts past it (handoff.spool.budget).
                        self._held.answered += 1
                        self._held.executed += answered - admitted
                    self._freed.set()
                    self._freed = asyncio.Event()
        finally:
            if waiting:  # cancelled while waiting for a place
                self._queued -= 1

    def pause(self, seconds: float) -> None:
        """Dataverse said Retry-After: nobody sends before then (a later, longer pause wins); with a shared
        budget, no other instance either."""
        resume_at = time.monotonic() + seconds
        self._last_pause = time.monotonic()
        if resume_at > self._resume_at:
            self._resume_at = resume_at
            self.pauses += 1
            if self.shared is not None:
                task = asyncio.get_running_loop().create_task(self._share_pause(seconds))
                self._pausing.add(task)
                task.add_done_callback(self._pausing.discard)

    async def _share_pause(self, seconds: float) -> None:
        assert self.shared is not None
        try:
            await self.shared.pause(seconds)
        except Exception as exc:  # this instance still waits; the others learn from their own 429
            log.warning("could not share a Retry-After pause of %.1fs: %s", seconds, exc)

    def _expire_executed(self, now: float) -> None:
        while self._executed and self._executed[0][0] <= now - self.window_seconds:
            record = self._executed.popleft()
            self._executed_sum -= record[1]
            if self._server_spent is not None:
                self._gone.append(record)
        if not self._executed:
            self._executed_sum = 0.0  # no float drift left over from the subtractions
        # Only those answered within a window before the report can be in its figure.
        oldest = max(self._server_at, now - self.window_seconds) - self.window_seconds
        while self._gone and self._gone[0][0] <= oldest:
            self._gone.popleft()

    def _left_since_report(self) -> float:
        """Seconds of execution the server's latest report counted that have left its window since: requests
        we had had answered before we sent the reporting one (so the server had finished them), within the
        window then by EXPIRY_MARGIN (we see an answer after the server finished it, later on a busy loop)."""
        after = self._server_at - self.window_seconds + EXPIRY_MARGIN
        return sum(seconds for answered, seconds in self._gone if after < answered <= self._server_at)

    def window_execution(self, now: float | None = None) -> float:
        """Seconds of execution within the last window: the answered requests' and, so far, those in flight.

        Ours, or less when the server said less: its count at its latest report, less what has left its
        window since, plus, in full, every request we have had answered since we sent that one (which the
        server may not have counted then) and those in flight; never less than our own minus SERVER_CREDIT
        of the budget."""
        now = time.monotonic() if now is None else now
        self._expire_executed(now)
        running = max(0.0, self._running * (now + LEAD) - self._running_since)
        own = self._executed_sum + running
        if self._server_spent is None or not self._executed:
            return own
        since = 0.0
        for answered, seconds in reversed(self._executed):  # newest first; few since the last report
            if answered <= self._server_at:
                break
            since += seconds
        server = max(0.0, self._server_spent - self._left_since_report()) + since + running
        return max(own - SERVER_CREDIT * self.execution_per_window, min(own, server))

    def recent_execution(self, now: float) -> float:
        """Seconds of execution spent within the last `pace_seconds`: how many requests ran at once, on average."""
        since = now - self.pace_seconds
        spent = sum(now - max(admitted, since) for admitted in self._running_at.values())
        for answered, seconds in reversed(self._executed):  # newest first
            if answered <= since:
                break
            spent += answered - max(answered - seconds, since)
        return spent

    def _execution_wait(self, now: float) -> float | None:
        """0 when the window's execution is under the budget and the last `pace_seconds` ran no more than
        the budget's share; else how long to wait before checking again (the requests in flight keep
        adding meanwhile), or None when only requests in flight hold the budget (a response wakes)."""
        # Room for one more typical request: admitted at the edge, it would end past the budget, the window
        # would stay spent while those in flight finish, and the stretch with nothing admitted comes back
        # one window later. At most a tenth of the budget: an empty window always admits one.
        spent = self.window_execution(now) + min(self.typical, self.execution_per_window / 10)
        if spent < self.execution_per_window:
            if self._running >= self.pace_concurrency:
                return None  # as many execute as the budget sustains: the next response makes room
            if self.recent_execution(now) < self.pace_seconds * self.execution_per_window / self.window_seconds:
                return 0.0
            return PACE_POLL
        if not self._executed:
            return None
        # At least a little: a wake-up per answered request leaving the window would be a busy loop.
        return max(self._executed[0][0] + self.window_seconds - now, 0.005)

    @property
    def saturated(self) -> bool:
        """The budget is the bottleneck now: a request waits for a place, a Retry-After pause is on or
        was within the last window, or the window's execution is spent. More handoffs in hand would
        not get through faster."""
        now = time.monotonic()
        if self._slots.locked() or self._turn.locked() or self._resume_at > now:
            return True
        if now - self._last_pause < self.window_seconds:
            return True
        if self.shared is not None and now - self._ledger_full_at < self.renew_seconds:
            return True  # the shared window had no room for this instance at its last lease
        return self.window_execution(now) >= self.execution_per_window

    def idle(self) -> bool:
        """A request sent now would find a place at once: fewer in flight than execute at once (this
        instance's share of them with a shared budget), nobody waiting for one, no pause on."""
        if self._turn.locked() or self._slots.locked() or self._resume_at > time.monotonic():
            return False
        held = self._held
        places = self.pace_concurrency
        if self.shared is not None:
            now = time.monotonic()
            if held is not None and held.lease is not None and held.capped:
                places = held.concurrent  # the ledger gave no more: this instance's share until it renews
            elif now - self._ledger_full_at < self.renew_seconds:
                return False  # the shared window had no room at the last lease
            else:
                # A renewal with nothing waiting keeps only the requests in flight, so the lease may hold fewer
                # places than the ledger would give: this instance's share among those at the last lease is what
                # a renewal finds.
                have = held.concurrent if held is not None and held.lease is not None else 0
                places = max(have, math.ceil(self.pace_concurrency / (self._others + 1)))
        return self.in_flight < places

    def _busy(self, held: Held | None, now: float) -> bool:
        """The lease in use is fresh and has room but for the requests at once: all are in flight, and they
        are all the ledger would give now."""
        if held is None or held.lease is None or now >= held.renew_at or self._running < held.concurrent:
            return False
        if not held.capped:
            return False
        # And the lease has the rest of what the next request needs: else it is renewed now, while every place
        # is in use (the ledger grants room without a place to an instance at its share), not after the answer
        # that frees one, which left that place empty for the renewal's round trip.
        return held.answered + self._running < held.requests and self._fits(held, now)

    def _room(self, held: Held, now: float) -> bool:
        """Whether the lease in use may admit one more request now."""
        if held.lease is None or now >= held.renew_at:
            return False
        if self._running >= held.concurrent or held.answered + self._running >= held.requests:
            return False
        return self._fits(held, now)

    def _fits(self, held: Held, now: float) -> bool:
        """Whether the lease's execution has room for one more request now."""
        running = max(0.0, self._running * (now + LEAD) - self._running_since)
        # A grant is room in the window: several requests admitted at once against room for one each
        # counted only what they had run (nothing yet), ran the window past the budget, and the admissions
        # then stopped until all of them had left it a window later; they went again together, and so on.
        ahead = sum(
            max(0.0, self.typical - (now - self._running_at[started]))
            for started in held.started
            if started in self._running_at
        )
        spent = held.executed + running + ahead + min(self.typical, self.execution_per_window / 10)
        return spent < held.execution

    def _ask(self, now: float, previous: Held | None, want: int, *, close: bool = False) -> Ask:
        """The renewal of `previous` asking room for `want` more requests (0: only record those in flight),
        or, with `close`, its return (nothing in flight)."""
        rate = LEASE_MARGIN * self.renew_seconds / self.window_seconds
        running = max(0.0, self._running * now - self._running_since)
        places = min(self.max_concurrent, self.pace_concurrency)
        execution = max(2 * (self.typical + LEAD), self.execution_per_window * rate)
        requests = max(1, math.ceil(self.requests_per_window * rate))
        if close:
            want, requests, execution, places = 0, 0, 0.0, 0
        elif self._others > 0:
            # Another instance shares the budget: execution for the requests waiting now, not a lease's worth
            # (a lease counts in the window at what it grants until it is returned: three instances each
            # holding ~7 s they did not use kept that much of a full window from the others), at most what a
            # lease asked before (nothing measured yet, no typical time: that much). A renewal with nothing
            # waiting (`want` 0) asks nothing: its lease holds only the requests in flight, and the places it
            # does not use go back to the others (session 8 split them 2/2/0 while one had work: a share
            # stayed with its holder until the next lease). Alone, nobody could use what a lease holds, and a
            # lease per request would only cost round trips: it asks a lease's worth, as before.
            if self.typical:
                needed = want * (min(self.typical, self.execution_per_window / 10) + 2 * LEAD) + self._running * LEAD
                execution = min(execution, needed)
            if want <= 0:
                requests, execution, places = 0, 0.0, 0
        server_age = now - self._server_at if self._server_spent is not None else 0.0
        return Ask(
            requests_per_window=self.requests_per_window,
            window_seconds=self.window_seconds,
            execution_per_window=self.execution_per_window,
            concurrent=min(self.max_concurrent, self.pace_concurrency),
            hold=max(self.shared.hold_seconds if self.shared is not None else 0.0, self.renew_seconds * 2),
            linger=max(1.0, 4 * self._ledger_poll),
            live=LIVE_RENEWALS * self.renew_seconds + LIVE_MARGIN,
            previous=previous.lease if previous is not None else None,
            answered=previous.answered if previous is not None else 0,
            executed=previous.executed if previous is not None else 0.0,
            carry_requests=self._running,
            # Those in flight run on: each is reserved what it may run until the next renewal (a typical
            # request's time, at most a lease's life): the renewal after counts them as they are then. A whole
            # typical request each (4 of ~5 s for Dataverse's $batch) held that much of the window unused
            # once it was full, where the server counted only what had run.
            carry_execution=running + self._running * self._carry_reserve(),
            carry_concurrent=self._running,
            requests=requests,
            execution=execution,
            want_concurrent=places,
            min_execution=min(self.typical, self.execution_per_window / 10) + LEAD,
            server_spent=self._server_spent,
            server_age=server_age,
        )

    def _carry_reserve(self) -> float:
        """Execution reserved in a new lease for each request carried into it, beyond what it has run."""
        return min(max(self.typical, LEAD), self.renew_seconds + LEAD)

    @property
    def _ledger_poll(self) -> float:
        """How often a request waiting for another instance to return part of the budget asks again."""
        return max(SHARED_POLL, self.renew_seconds / 5)

    def _wanted(self) -> int:
        """New requests to ask room for at an admission: the one admitted and those queued behind it, up to
        the places this instance could use besides those in flight; at least the one."""
        places = min(self.max_concurrent, self.pace_concurrency)
        return max(1, min(places - self._running, self._queued))

    async def _renew(self, now: float, want: int | None = None) -> Grant:
        """Return the lease in use with what it used and take the next one (under `_turn`), with room for
        `want` more requests (None: those waiting now). Requests answered while the spool answers are
        counted in the new lease, which carries them."""
        assert self.shared is not None
        previous = self._held
        ask = self._ask(now, previous, self._wanted() if want is None else want)
        pending = Held(None, renew_at=now)
        self._held = pending
        try:
            grant = await self.shared.lease(ask)
        except Exception as exc:
            if previous is not None:  # still open in the ledger: report it next time, with what came since
                previous.answered += pending.answered
                previous.executed += pending.executed
                previous.renew_at = 0.0
            self._held = previous
            # Never exceed what the instances share: without the budget, do not send.
            raise TransientError(f"the shared request budget is unavailable: {exc}") from None
        self.renewals += 1
        pending.lease = grant.lease
        pending.requests = ask.carry_requests + grant.requests
        pending.execution = ask.carry_execution + grant.execution
        pending.concurrent = ask.carry_concurrent + grant.concurrent
        asked = ask.requests > 0
        # A renewal that asked nothing new (it records those in flight) is as good as a grant until it is due.
        pending.renew_at = time.monotonic() + self.renew_seconds if grant.requests > 0 or not asked else 0.0
        pending.taken_at = time.monotonic()
        # Alone, a lease asks for every place: those it did not get are taken by its own requests in flight.
        pending.capped = asked and (grant.concurrent < ask.want_concurrent or grant.others == 0)
        self._others = grant.others
        if grant.paused > 0:
            self._resume_at = max(self._resume_at, time.monotonic() + grant.paused)
        if asked and grant.requests == 0:
            self._ledger_full_at = time.monotonic()
        return grant

    def _spare(self, held: Held, now: float) -> bool:
        """The lease holds a place nothing here waits for while another instance shares the budget: give
        it back now rather than when the lease is due (up to a second of a place standing empty while the
        other's requests wait), though not more often than a tenth of a lease's life."""
        if held.lease is None or self._others <= 0 or self._queued > 0 or held.concurrent <= self._running:
            return False
        return now - held.taken_at >= self.renew_seconds / 10

    async def _keep(self) -> None:
        """While this instance holds a lease: renew it when due with requests in flight (the ledger counts
        its requests at once only for a few seconds after each renewal, so a dead instance's come back
        soon), give it back when due with nothing in flight (a quiet instance holds no part of the budget
        another could use); then end. A response that leaves a place unused with nothing waiting for it
        renews at once, giving the place back to the other instances."""
        assert self.shared is not None
        while self._held is not None:
            # No busy loop while a waiting admission holds the turn (it renews by itself meanwhile).
            delay = max(self._held.renew_at - time.monotonic() + 0.001, self._ledger_poll)
            if self._others:  # a response may leave a place to give back
                freed = self._freed
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(freed.wait(), delay)
            else:
                await asyncio.sleep(delay)
            held = self._held
            if held is None or self._turn.locked():
                continue
            now = time.monotonic()
            spare = now < held.renew_at and self._spare(held, now)
            if now < held.renew_at and not spare:
                continue
            async with self._turn:
                if self._held is not held:
                    continue
                if self._running:
                    self.given_back += spare
                    with contextlib.suppress(TransientError):  # logged by the next admission's try
                        await self._renew(time.monotonic(), want=0)
                    continue
                self._held = None
                try:
                    await self.shared.lease(self._ask(time.monotonic(), held, 0, close=True))
                except Exception as exc:  # it runs out by itself
                    log.warning("could not return a lease of the shared request budget: %s", exc)
        self._keeper = None

    async def _admit_shared(self) -> None:
        """Wait for room in this instance's lease of the shared budget, renewing it when it has none."""
        assert self.shared is not None
        started = time.monotonic()
        waited = False
        ask_ledger = False  # renew even though the lease is fresh: a place may have been given back
        async with self._turn:
            while True:
                now = time.monotonic()
                wait: float | None = self._resume_at - now
                if wait is not None and wait > self.max_pause:
                    raise TransientError(f"throttled by Dataverse for {wait:.0f}s more", retry_after=wait)
                if wait is not None and wait <= 0:
                    held = self._held
                    grant: Grant | None = None
                    if self._busy(held, now) and not ask_ledger:
                        # As many in flight as the lease allows, and it is fresh: a response makes room, a
                        # renewal could not (the requests at once are this instance's share until then),
                        # unless another instance gives a place back meanwhile: then ask again soon.
                        assert held is not None
                        wait = held.renew_at - now
                        if self._others:
                            wait = min(wait, self._ledger_poll)
                        self.budget_waits += not waited
                        waited = True
                        freed = self._freed
                        try:
                            await asyncio.wait_for(freed.wait(), wait)
                        except TimeoutError:
                            ask_ledger = self._others > 0
                        continue
                    ask_ledger = False
                    if held is None or not self._room(held, now):
                        grant = await self._renew(now)
                        now = time.monotonic()
                        if self._keeper is None:
                            self._keeper = asyncio.get_running_loop().create_task(self._keep())
                        if grant.paused > 0:
                            continue  # another instance's Retry-After: the loop waits it out or fails over
                        held = self._held
                    assert held is not None
                    if self._room(held, now):
                        wait = self._execution_wait(now)
                        if wait == 0:
                            break
                        self.budget_waits += not waited
                    else:
                        # Not sooner than a twentieth of a lease's life: a renewal per answered request
                        # leaving the window would be a busy loop of transactions.
                        wait = grant.wait if grant is not None and grant.wait is not None else self._ledger_poll
                        wait = max(wait, self.renew_seconds / 20)
                        self.budget_waits += not waited
                waited = True
                freed = self._freed
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(freed.wait(), wait)
        if waited:
            self.waits += 1
            self.waited_seconds += time.monotonic() - started

    async def _admit(self) -> None:
        started = time.monotonic()
        waited = False
        async with self._turn:
            while True:
                now = time.monotonic()
                while self._done and self._done[0] <= now - self.window_seconds:
                    self._done.popleft()
                wait: float | None = self._resume_at - now
                if wait > self.max_pause:
                    raise TransientError(f"throttled by Dataverse for {wait:.0f}s more", retry_after=wait)
                if wait <= 0:
                    if self._sending + len(self._done) >= self.requests_per_window:
                        # The window is full: the oldest answered request leaves it first; if every counted
                        # request is still in flight, only a response can free a place.
                        wait = self._done[0] + self.window_seconds - now if self._done else None
                    else:
                        wait = self._execution_wait(now)
                        if wait == 0:
                            break
                        if not waited:
                            self.budget_waits += 1
                waited = True
                freed = self._freed
                # Waking on a response as well as on the clock is harmless: the loop checks again.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(freed.wait(), wait)
            self._sending += 1
        if waited:
            self.waits += 1
            self.waited_seconds += time.monotonic() - started
        return None
