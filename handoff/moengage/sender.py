"""The outbox sender: claim an event -> send it -> sent / retry later / parked (arq's worker, on the outbox).

Exactly once, as far as handoff can make it:
- An event is marked sent only after MoEngage answered 2xx, and that mark is written before anything
  else happens (the next claim waits for it). A sent event is never claimed again.
- Without a 2xx (429, 5xx, timeout, connection error) it is retried with backoff; MoEngage does not
  deduplicate, so this is also the one window that can duplicate: a request MoEngage processed whose
  answer never reached us (or a process killed between the 2xx and the commit) is sent again.
- Other 4xx park the event with MoEngage's message; the case row is never touched.

MoEngage being slow or down never reaches the worker: events are written with the case, and only this
loop talks to MoEngage. While it fails, the whole loop backs off (one probe per interval, not one request
per waiting event). An event is parked for too many attempts only if MoEngage accepted other events
between its failures; otherwise it cannot be told from an outage and keeps its place, retried at most every
`[moengage.retry] max_seconds`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp

from handoff.errors import PermanentError, TransientError
from handoff.moengage.client import MoEngageClient, RateLimited
from handoff.moengage.payloads import unsendable
from handoff.retry import Backoff
from handoff.settings import MoEngageSettings
from handoff.spool.base import OutboxEvent, Spool

log = logging.getLogger("handoff.moengage")

# Refusals that are about our credentials or workspace, not this event: every other event would get the
# same answer, so after parking this one the sender pauses instead of parking the whole backlog.
ACCOUNT_STATUSES = frozenset({401, 403, 409})
# How often a 2xx is written to a failing spool before giving up (then a restart would send it again).
RECORD_TRIES = 20


class MoEngageSender:
    def __init__(
        self,
        settings: MoEngageSettings,
        spool: Spool,
        session: aiohttp.ClientSession | None = None,
        base_url: str | None = None,
    ) -> None:
        self.settings = settings
        self.spool = spool
        self.client = MoEngageClient(settings, base_url)
        self.backoff = Backoff.of(settings.retry)
        self._given_session = session
        self._session: aiohttp.ClientSession | None = session
        self.outcomes: dict[str, int] = {}
        self.healthy: bool | None = None  # did the last request get a 2xx? (readiness)
        self._failures = 0  # consecutive transient failures, across events
        self._failing_since: float | None = None
        # 2xx answers so far, and how many there had been at each waiting event's last failure: an event
        # is only given up on when MoEngage accepted something else since it last failed.
        self._accepted = 0
        self._accepted_at_failure: dict[int, int] = {}
        self._pause_until = 0.0  # time.monotonic(); nothing is sent before it
        self._wake = asyncio.Event()
        self._stop: asyncio.Event | None = None

    @property
    def base_url(self) -> str:
        return self.client.base_url

    def wake(self) -> None:
        """A new event was written: look now instead of at the next poll."""
        self._wake.set()

    # -- the loop ---------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Send due events until `stop` is set. Never raises; a send in flight is finished, not cut."""
        self._stop = stop
        log.info(
            "MoEngage sender started: %s transport to %s (workspace %s)",
            self.settings.transport,
            self.base_url,
            self.settings.workspace_id,
        )
        spool_failures = 0
        async with self._session_scope():
            while not stop.is_set():
                paused = self._pause_until - time.monotonic()
                if paused > 0:
                    await self._wait(stop, paused, wakeable=False)
                    continue
                try:
                    outcome = await self.send_next()
                except Exception:  # the spool, most likely: this loop must outlive it
                    spool_failures += 1
                    if spool_failures == 1:
                        log.exception("MoEngage sender: the outbox is failing; retrying")
                    await self._wait(stop, min(30.0, self.settings.poll_seconds * 2**spool_failures), wakeable=False)
                    continue
                if spool_failures:
                    log.info("MoEngage sender: the outbox answers again")
                    spool_failures = 0
                if outcome is None:
                    await self._wait(stop, self.settings.poll_seconds, wakeable=True)
        log.info("MoEngage sender stopped")

    async def drain(self) -> dict[str, int]:
        """Send every event due now; return when none is due, or once MoEngage asks us to wait."""
        counts: dict[str, int] = {}
        async with self._session_scope():
            while True:
                outcome = await self.send_next()
                if outcome is None:
                    break
                counts[outcome] = counts.get(outcome, 0) + 1
                if self._pause_until > time.monotonic():  # failing or refusing: the rest stays pending
                    break
        return counts

    async def send_next(self) -> str | None:
        """Claim one due event and take it to its next state: "sent", "retry", "parked"; None if none is due."""
        event = await self.spool.claim_event(self.settings.lease_seconds)
        if event is None:
            return None
        outcome = await self._process(event)
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        return outcome

    # -- one event --------------------------------------------------------------------------------
    async def _process(self, event: OutboxEvent) -> str:
        tag = f"spool={event.handoff_id} event={event.id} key={event.key}"
        problem = unsendable(event.payload)
        if problem:
            await self._park(event, tag, problem)
            return "parked"
        assert self._session is not None, "send_next() outside run()/drain()"
        started = time.monotonic()
        try:
            accepted = await self.client.send(self._session, event.payload)
        except TransientError as exc:
            return await self._transient(event, tag, exc)
        except PermanentError as exc:
            await self._park(event, tag, str(exc))
            if exc.status in ACCOUNT_STATUSES:
                self._pause_until = time.monotonic() + self.settings.retry.max_seconds
                log.error(
                    "MoEngage refused the workspace or key (%s): check [moengage] workspace_id and api_key; "
                    "sending paused for %.0f s",
                    exc.status,
                    self.settings.retry.max_seconds,
                )
            return "parked"
        except Exception as exc:  # a bug of ours, not MoEngage's answer: keep the event for a person
            log.exception("%s unexpected error while sending", tag)
            await self._park(event, tag, f"unexpected {type(exc).__name__}: {exc}"[:500])
            return "parked"
        await self._record_sent(event, accepted.request_id)
        if self._failures:
            log.info("MoEngage answers again after %.0f s", time.monotonic() - (self._failing_since or started))
        self._failures, self._failing_since, self.healthy = 0, None, True
        self._accepted += 1
        self._accepted_at_failure.pop(event.id or 0, None)
        log.info(
            "%s sent (%s %d, request_id %s, attempt %d, %.0f ms)",
            tag,
            accepted.route,
            accepted.status,
            accepted.request_id,
            event.attempts,
            (time.monotonic() - started) * 1000,
        )
        return "sent"

    async def _record_sent(self, event: OutboxEvent, request_id: str | None) -> None:
        # MoEngage has it now. Until this write is durable a crash means a duplicate, so nothing else
        # happens first, and a failing spool is retried (for about a minute) rather than skipped.
        assert event.id is not None
        delay = 0.05
        for attempt in range(1, RECORD_TRIES + 1):
            try:
                await asyncio.shield(self.spool.event_sent(event.id))  # a cancelled caller still records it
                return
            except Exception as exc:
                if attempt == RECORD_TRIES or (self._stop is not None and self._stop.is_set()):
                    log.error(
                        "event=%d key=%s was accepted by MoEngage (request_id %s) but could not be recorded "
                        "(%s); it will be sent again after a restart",
                        event.id,
                        event.key,
                        request_id,
                        exc,
                    )
                    raise
                log.warning("event=%d accepted by MoEngage, recording it failed (%s); trying again", event.id, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _transient(self, event: OutboxEvent, tag: str, exc: TransientError) -> str:
        assert event.id is not None
        self.healthy = False
        now = time.monotonic()
        if isinstance(exc, RateLimited):
            # Not an outage: wait for the window MoEngage named (or back off if it named none).
            wait = exc.retry_after if exc.retry_after is not None else self._backoff(self._failures + 1)
            wait = min(wait, self.settings.retry.max_seconds)  # a wild reset header must not stall us for days
            pause = wait + random.uniform(0.0, 0.1)
            delay = pause
            log.info("%s rate limited by MoEngage, waiting %.1f s (attempt %d)", tag, pause, event.attempts)
            await self.spool.event_retry(event.id, delay, str(exc))
            self._pause_until = now + pause
            return "retry"
        self._failures += 1
        if self._failing_since is None:
            self._failing_since = now
        pause = max(self._backoff(self._failures), min(exc.retry_after or 0.0, self.settings.retry.max_seconds))
        # Strictly after the pause, so the next probe is another event and one bad event cannot hog it.
        delay = pause + self._backoff(event.attempts)
        self._pause_until = now + pause
        before = self._accepted_at_failure.get(event.id, self._accepted)
        self._accepted_at_failure[event.id] = self._accepted
        # During an outage every event fails alike: parking them would only make work for a person.
        if event.attempts >= self.settings.max_attempts and self._accepted > before:
            self._accepted_at_failure.pop(event.id, None)
            await self._park(
                event, tag, f"gave up after {event.attempts} attempts while MoEngage accepted other events: {exc}"
            )
            return "parked"
        await self.spool.event_retry(event.id, delay, str(exc))
        if self._failures == 1:
            log.warning("MoEngage failing (%s); holding the outbox, next try in %.3g s", exc, pause)
        log.info("%s retry in %.3g s (attempt %d): %s", tag, delay, event.attempts, exc)
        return "retry"

    async def _park(self, event: OutboxEvent, tag: str, reason: str) -> None:
        assert event.id is not None
        await self.spool.event_park(event.id, reason)
        self._accepted_at_failure.pop(event.id, None)
        log.warning("%s parked after attempt %d: %s", tag, event.attempts, reason)

    def _backoff(self, attempts: int) -> float:
        return self.backoff.delay(attempts)

    # -- plumbing ---------------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def _session_scope(self) -> AsyncIterator[aiohttp.ClientSession]:
        """The caller's session if given (never closed here), else one of our own for this run/drain."""
        if self._given_session is not None:
            self._session = self._given_session
            yield self._given_session
            return
        if self._session is not None:  # already inside a run()/drain() of ours
            yield self._session
            return
        session = aiohttp.ClientSession()
        self._session = session
        try:
            yield session
        finally:
            self._session = None
            await session.close()

    async def _wait(self, stop: asyncio.Event, seconds: float, *, wakeable: bool) -> None:
        waiters: list[asyncio.Task[Any]] = [asyncio.ensure_future(stop.wait())]
        if wakeable:
            waiters.append(asyncio.ensure_future(self._wake.wait()))
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
            await asyncio.gather(*waiters, return_exceptions=True)
        if wakeable:
            self._wake.clear()
