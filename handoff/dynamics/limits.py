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

Execution time cannot be predicted from here; its 429 is absorbed by the shared pause like any other.

Several instances using one application user share one budget (`share()`): with a PostgreSQL spool every
admission is decided in the database (handoff.spool.postgres.PostgresBudget), so N instances together stay
under `requests_per_window` and `max_concurrent`, and a 429's Retry-After pauses all of them. Each instance
still queues its own requests in arrival order and only the first in its queue asks the database, so a
full budget costs one query per instance per wait, not one per waiting request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import AsyncIterator
from typing import Protocol

from handoff.errors import TransientError

log = logging.getLogger("handoff.dynamics")

# Dataverse refuses a 53rd concurrent request per user; more slots can never help.
MAX_CONCURRENT = 52
# With a shared budget, how often the first waiting request asks again when only a response (perhaps
# another instance's) can free a place.
SHARED_POLL = 0.03


class SharedBudget(Protocol):
    """One application user's budget, kept where every instance sees it."""

    async def take(
        self, requests_per_window: int, window_seconds: float, max_concurrent: int
    ) -> tuple[int | None, float | None]:
        """(slot, 0) admitted; (None, seconds) wait that long; (None, None) wait for a response."""
        ...

    async def done(self, slot: int) -> None: ...

    async def pause(self, seconds: float) -> None: ...


class Limiter:
    def __init__(
        self,
        requests_per_window: int = 6000,
        window_seconds: float = 300.0,
        max_concurrent: int = MAX_CONCURRENT,
        *,
        max_pause: float = 60.0,
    ) -> None:
        if requests_per_window < 1 or window_seconds <= 0 or not 1 <= max_concurrent <= MAX_CONCURRENT:
            raise ValueError("requests_per_window >= 1, window_seconds > 0 and 1 <= max_concurrent <= 52")
        self.requests_per_window = requests_per_window
        self.window_seconds = window_seconds
        self.max_concurrent = max_concurrent
        # A pause longer than this is not waited out by a request: it fails as transient with the
        # remaining time, so the worker requeues the handoff instead of holding its lease for minutes.
        self.max_pause = max_pause
        self._slots = asyncio.Semaphore(max_concurrent)
        # One request at a time decides whether it may go; the rest queue behind it in arrival order,
        # so a request is never overtaken while it waits for the window.
        self._turn = asyncio.Lock()
        self._sending = 0  # admitted, no response yet: counted, but their window has not started
        self._done: deque[float] = deque()  # when responses came back, oldest first
        self._resume_at = 0.0
        self._freed = asyncio.Event()  # replaced after each set(): wakes whoever waits for a response
        self.in_flight = 0
        self.peak_in_flight = 0
        self.waits = 0  # requests that had to wait for the window or a pause (not for a free slot)
        self.waited_seconds = 0.0
        self.pauses = 0
        self.shared: SharedBudget | None = None
        self._pausing: set[asyncio.Task[None]] = set()

    def share(self, budget: SharedBudget) -> None:
        """Count this instance's requests in `budget` together with every other instance's."""
        self.shared = budget

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold one request's place from before it is sent until its response has been read."""
        async with self._slots:
            token = await (self._admit_shared() if self.shared is not None else self._admit())
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            try:
                yield
            finally:
                self.in_flight -= 1
                try:
                    if token is None:
                        self._sending -= 1
                        self._done.append(time.monotonic())
                    else:
                        await self._give_back(token)
                finally:
                    self._freed.set()
                    self._freed = asyncio.Event()

    def pause(self, seconds: float) -> None:
        """Dataverse said Retry-After: nobody sends before then (a later, longer pause wins); with a shared
        budget, no other instance either."""
        resume_at = time.monotonic() + seconds
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

    async def _give_back(self, token: int) -> None:
        assert self.shared is not None
        try:
            # Shielded: a cancelled request still returns its slot (else it counts until its hold ends).
            await asyncio.shield(self.shared.done(token))
        except Exception as exc:
            log.warning("request budget slot %d not returned (it expires by itself): %s", token, exc)

    async def _admit_shared(self) -> int:
        """Wait for a place in the shared budget; the database decides, this instance queues in order."""
        assert self.shared is not None
        started = time.monotonic()
        waited = False
        async with self._turn:
            while True:
                wait: float | None = self._resume_at - time.monotonic()
                if wait is not None and wait <= 0:
                    try:
                        token, wait = await self.shared.take(
                            self.requests_per_window, self.window_seconds, self.max_concurrent
                        )
                    except Exception as exc:
                        # Never exceed what the instances share: without the budget, do not send.
                        raise TransientError(f"the shared request budget is unavailable: {exc}") from None
                    if token is not None:
                        break
                if wait is not None and wait > self.max_pause:
                    raise TransientError(f"throttled by Dataverse for {wait:.0f}s more", retry_after=wait)
                waited = True
                freed = self._freed
                # A response of ours wakes us at once; another instance's is seen at the next poll.
                timeout = SHARED_POLL if wait is None else wait
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(freed.wait(), timeout)
        if waited:
            self.waits += 1
            self.waited_seconds += time.monotonic() - started
        return token

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
                    if self._sending + len(self._done) < self.requests_per_window:
                        break
                    # The window is full: the oldest answered request leaves it first; if every counted
                    # request is still in flight, only a response can free a place.
                    wait = self._done[0] + self.window_seconds - now if self._done else None
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
