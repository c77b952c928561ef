"""claim -> analysis -> brake -> Dynamics -> created / skipped / retry later / parked.

Whatever goes wrong, the handoff ends in a state a person can see, with its raw mail kept, and the worker
goes on with the next one:
- the analysis runs in its own process with a time budget (handoff.analyser): a mail that raises or
  runs out of time is parked with the reason; one that kills the analysis process is given back, and
  parked at its next claim once it has been claimed `[spool] max_claims` times without an outcome (the
  same cap catches a mail that kills this process: the spool counts claims, checked before work starts);
- transient Dataverse failures are retried with the one backoff (handoff.retry) until the handoff has
  waited `[spool] max_queue_lifetime`, and every waiting handoff becomes due at once when Dataverse
  answers again;
- any other exception, from Dynamics or from building the MoEngage events, parks with its reason.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from handoff import trail
from handoff.analyser import Analyser, AnalysisDied, AnalysisError, ThreadAnalyser
from handoff.dynamics.incidents import Delivered, Dynamics
from handoff.errors import PermanentError, TransientError
from handoff.guards import STORM_MARK, storm_reason
from handoff.metrics import created_latency
from handoff.model import GuardHit
from handoff.pipeline import Analysis, Pipeline, summary
from handoff.retry import Backoff
from handoff.settings import GuardSettings, SpoolSettings
from handoff.smtp_limits import malloc_trim, mmap_big_blocks
from handoff.spool.base import OutboxEvent, Spool, SpoolItem

log = logging.getLogger("handoff.worker")

# Builds the outbox events for a created case (MoEngage); None when mirroring is off.
EventBuilder = Callable[[Analysis, Delivered], list[OutboxEvent]]


def _duration(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}".replace(".0 ", " ")
    return f"{seconds:.0f} s"


class Worker:
    def __init__(
        self,
        spool: Spool,
        analyser: Analyser | Pipeline,
        dynamics: Dynamics,
        settings: SpoolSettings,
        *,
        wake: Wake | None = None,
        events: EventBuilder | None = None,
        guards: GuardSettings | None = None,
        owner: str = "",
    ) -> None:
        self.spool = spool
        # A Pipeline is analysed on a thread here (tests, small tools); serve and replay pass a
        # ProcessAnalyser, which can stop a runaway mail.
        self.analyser: Analyser = ThreadAnalyser(analyser) if isinstance(analyser, Pipeline) else analyser
        self.dynamics = dynamics
        self.settings = settings
        self.guards = guards or GuardSettings()
        self.owner = owner
        self.wake = wake or Wake()
        self.events = events
        self.backoff = Backoff.of(settings.retry)
        self.breaker = Breaker(Backoff(settings.retry.base_seconds, min(settings.retry.max_seconds, OUTAGE_PROBE_MAX)))
        self.in_hand = InHand(settings.max_bytes_in_hand)
        self.on_events: Callable[[], None] | None = None  # told when new outbox events were written
        self.outcomes: dict[str, int] = {}
        self.created_latency = created_latency()  # /metrics: 250 reply to incident recorded
        self.dynamics_ok: bool | None = None  # last Dataverse call succeeded? (readiness, outage logging)
        self.last_delivery: dict[str, Any] = {}  # when and how the last delivery attempt ended (readiness)
        # A handoff waiting out an outage is understood once, not once per attempt: its analysis is kept
        # in memory (bounded) for the next attempt in this process. A restart or another instance analyses
        # again, with the same result (the pipeline is deterministic for the same settings).
        self._remembered = _Remembered()
        # Attempts that ended without writing the row's summary (a retry, a released claim), for the
        # trail written with the next outcome (handoff.trail); bounded like the analyses above.
        self._attempts: OrderedDict[int, list[dict[str, Any]]] = OrderedDict()

    def close(self) -> None:
        self.analyser.close()

    def _count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    @property
    def _brake_on(self) -> bool:
        return self.guards.enabled is None or "loop" in self.guards.enabled

    def _trail(
        self,
        item: SpoolItem,
        data: dict[str, Any],
        outcome: str,
        error: str | None = None,
        brake: str | None = None,
    ) -> dict[str, Any]:
        """`data` with this attempt added to the handoff's trail (and the earlier ones of this process)."""
        attempts = [*self._attempts.pop(item.id, []), trail.attempt(item.attempts, self.owner, outcome, error)]
        enabled = self.guards.enabled
        verdicts = trail.guard_verdicts(enabled, data.get("skipped"), brake) if "skipped" in data else None
        data["trail"] = trail.merged(item.summary.get("trail"), verdicts, attempts)
        return data

    def _unwritten(self, item: SpoolItem, outcome: str, error: str | None) -> None:
        """Keep an attempt whose outcome does not write the summary for the next one that does."""
        kept = self._attempts.pop(item.id, [])
        kept.append(trail.attempt(item.attempts, self.owner, outcome, error))
        self._attempts[item.id] = kept[-trail.MAX_ATTEMPTS :]
        while len(self._attempts) > 5000:
            self._attempts.popitem(last=False)

    async def process(self, item: SpoolItem) -> str:
        """Take one claimed handoff to its next state; returns the outcome name."""
        # Requests other handoffs are about to send may wait a moment for this one's (shared requests).
        with self.dynamics.coalescer.preparing():
            return await self._process(item)

    async def _process(self, item: SpoolItem) -> str:
        # Every line about this handoff is keyed by spool id and Message-ID (the row knows it from intake).
        tag = f"spool={item.id}" + (f" msgid={item.message_id}" if item.message_id else "")
        try:
            analysis = self._remembered.pop(item.id, None) or await self.analyser.analyse(
                item.raw, item.mail_from, item.rcpt_tos
            )
        except AnalysisDied as exc:
            # Maybe this mail, maybe not (the OOM killer picks by size): try again, max_claims decides.
            log.warning(
                "%s given back: %s (claim %d of at most %d)", tag, exc, item.open_claims, self.settings.max_claims
            )
            await self.spool.release(item.id, str(exc))
            self._unwritten(item, "released", str(exc))
            return "released"
        except AnalysisError as exc:
            # A mail we cannot read is a person's job, not a crash: park it with its bytes.
            log.warning("%s parked: could not analyse the mail: %s", tag, exc)
            reason = f"unreadable mail: {exc}"
            kept = {**item.summary, "message_id": item.message_id}
            await self.spool.park(item.id, reason, self._trail(item, kept, "parked", reason))
            return "parked"
        handoff = analysis.handoff
        if not item.message_id:
            tag += f" msgid={handoff.message_id}"
        data = summary(analysis)
        # An operator's `handoff retry` of a mail the brake skipped is their decision to let it through
        # (the row still names the guard that skipped it); every other mail is counted.
        overridden = item.skipped_guard == "loop" and STORM_MARK in (item.skipped_reason or "")
        braked = self._brake_on and not overridden
        brake = "off" if not self._brake_on else "overridden" if overridden else "not run"
        if handoff.skipped is None and analysis.draft is not None and braked and analysis.storm_key:
            brake = "passed"
            count = await self.spool.brake(
                analysis.storm_key, analysis.digest, item.received_at, self.guards.loop_window_minutes * 60
            )
            if count > self.guards.loop_max:
                reason = storm_reason(analysis.storm_key, count, self.guards.loop_max, self.guards.loop_window_minutes)
                handoff = handoff.model_copy(update={"skipped": GuardHit(guard="loop", reason=reason)})
                data["skipped"] = handoff.skipped.model_dump(mode="json") if handoff.skipped else None
                brake = "skipped"
        verdict = {"brake": brake}  # the guards' verdicts go with every outcome's trail below
        if handoff.skipped is not None:
            self._trail(item, data, "skipped", handoff.skipped.reason, **verdict)
            await self.spool.finish_skipped(item.id, handoff.skipped.guard, handoff.skipped.reason, data)
            log.info("%s skipped by %s: %s", tag, handoff.skipped.guard, handoff.skipped.reason)
            return "skipped"
        if analysis.draft is None:
            reason = analysis.park_reason or "nothing to send"
            await self.spool.park(item.id, reason, self._trail(item, data, "parked", reason, **verdict))
            log.info("%s parked: %s", tag, reason)
            return "parked"
        try:
            delivered = await self.dynamics.deliver(analysis.draft)
        except TransientError as exc:
            self._dynamics_state(False, exc)
            self.breaker.trip(exc.retry_after)
            outcome = await self._transient(item, tag, exc, data, brake)
            if outcome == "retry":
                self._remembered.put(item.id, analysis)
            return outcome
        except PermanentError as exc:
            self._dynamics_state(True, None)
            await self.spool.park(item.id, str(exc), self._trail(item, data, "parked", str(exc), **verdict))
            log.warning("%s parked: %s", tag, exc)
            return "parked"
        except Exception as exc:  # a bug of ours or an answer nobody foresaw: never left looping
            log.exception("%s parked: unexpected error", tag)
            reason = f"unexpected error: {type(exc).__name__}: {exc}"[:2000]
            await self.spool.park(item.id, reason, self._trail(item, data, "parked", reason, **verdict))
            return "parked"
        recovered = self._dynamics_state(True, None)
        try:
            events = self.events(analysis, delivered) if self.events else []
        except Exception as exc:  # our bug: the case exists, its mirror does not; a retry rebuilds both
            reason = (
                f"incident {delivered.ticket_number or delivered.incident_id} exists, but its MoEngage event "
                f"could not be built ({type(exc).__name__}: {exc}); `handoff retry {item.id}` once fixed"
            )
            log.exception("%s parked: %s", tag, reason)
            await self.spool.park(item.id, reason[:2000], self._trail(item, data, "parked", reason, **verdict))
            return "parked"
        data["incident"] = {**(data["incident"] or {}), "ticketnumber": delivered.ticket_number}
        data["contact_id"] = delivered.contact_id
        # The contact as handoff found or created it: the lifecycle follower tells an agent's edit from ours.
        data["contact"] = {k: v for k, v in delivered.contact.items() if not k.startswith("@")}
        data["already_existed"] = delivered.already_existed
        existed = "incident already existed" if delivered.already_existed else None
        self._trail(item, data, "created", existed, **verdict)
        await self.spool.finish_created(item.id, delivered.incident_id, delivered.ticket_number, data, events)
        self.created_latency.observe(max(0.0, time.time() - item.received_at))
        if events and self.on_events is not None:
            self.on_events()
        log.info(
            "%s created incident %s %s%s",
            tag,
            delivered.ticket_number,
            delivered.incident_id,
            " (already existed)" if delivered.already_existed else "",
        )
        if recovered:
            # The outage is over: what waited out a backoff goes now, paced by the request budget.
            woken = await self.spool.wake_retries()
            if woken:
                log.info("Dataverse answers again: %d waiting handoff(s) due now", woken)
                self.wake.set(woken)
        return "created"

    async def _transient(
        self, item: SpoolItem, tag: str, exc: TransientError, data: dict[str, Any], brake: str | None = None
    ) -> str:
        waited = time.time() - item.received_at
        lifetime = self.settings.max_queue_lifetime
        if waited >= lifetime:
            reason = f"gave up after {_duration(waited)} in the queue and {item.attempts} attempts: {exc}"
            await self.spool.park(item.id, reason, self._trail(item, data, "parked", reason, brake))
            log.warning("%s parked: %s", tag, reason)
            return "parked"
        # Never past the end of its lifetime: the last try happens, then the park.
        delay = min(self.backoff.delay(item.attempts, exc.retry_after), max(0.0, lifetime - waited))
        # The summary goes with the retry, so a handoff waiting out an outage shows its customer and subject
        # and is found by a search (status page, `handoff list --search`), and its trail survives a restart.
        await self.spool.retry_later(item.id, delay, str(exc), self._trail(item, data, "retry", str(exc), brake))
        log.info("%s retry in %.1fs (attempt %d): %s", tag, delay, item.attempts, exc)
        return "retry"

    def _dynamics_state(self, ok: bool, error: Exception | None) -> bool:
        """Record the last delivery; True when this ends an outage."""
        self.last_delivery = {"at": time.time(), "ok": ok, "error": None if error is None else str(error)[:300]}
        if ok:
            self.breaker.reset()
        recovered = ok and self.dynamics_ok is False
        # Log an outage once when it starts and once when it ends, not once per handoff.
        if recovered:
            log.info("Dataverse reachable again")
        elif not ok and self.dynamics_ok is not False:
            log.warning("Dataverse unreachable: %s", error)
        self.dynamics_ok = ok
        return recovered

    async def _safe_process(self, item: SpoolItem) -> None:
        heartbeat = asyncio.create_task(self._keep_lease(item.id), name=f"lease-{item.id}")
        try:
            # A big mail costs twice its size while it is analysed and sent (InHand.cost): it waits until
            # the mails in hand leave room (the lease is kept meanwhile).
            async with self.in_hand.hold(len(item.raw), item.id):
                with trail.recording():  # this attempt's Dataverse requests, for the handoff's trail
                    outcome = await self.process(item)
        except asyncio.CancelledError:
            # Stopping: give the handoff back now (its lease would only delay a restart), uncounted.
            with contextlib.suppress(Exception):
                await asyncio.shield(self.spool.release(item.id, counted=False))
            raise
        except Exception as exc:  # the spool itself failed; the lease returns the item later
            log.exception("spool=%d left for recovery: %s", item.id, exc)
            outcome = "error"
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
        self._count(outcome)

    async def _keep_lease(self, item_id: int) -> None:
        # A handoff can outlast its lease while it waits for Dataverse's request budget (up to a 5-minute
        # window) or a Retry-After; renewing it keeps another worker from taking over a live handoff. A
        # killed process stops renewing, so its handoffs are still taken over one lease later.
        lease = self.settings.lease_seconds
        while True:
            await asyncio.sleep(lease / 3)
            try:
                await self.spool.extend_lease(item_id, lease)
            except Exception as exc:
                log.warning("spool=%d lease not renewed: %s", item_id, exc)

    async def _claim(self) -> SpoolItem | None:
        """The next due handoff, when the ones in hand leave room for it (InHand.claim)."""
        return await self.in_hand.claim(
            lambda: self.spool.claim(self.settings.lease_seconds, self.owner, self.settings.max_claims)
        )

    async def run_once(self) -> bool:
        item = await self._claim()
        if item is None:
            return False
        await self._safe_process(item)
        return True

    async def drain(self) -> int:
        """Everything due now, one handoff at a time (tests; replay uses drain_concurrently); how many were taken."""
        done = 0
        while await self.run_once():
            done += 1
        return done

    async def drain_concurrently(self, concurrency: int, on_done: Callable[[], None] | None = None) -> int:
        """Process everything due now with `concurrency` handoffs in hand, as `run` would, and return
        when nothing is left to claim (replay); returns how many were taken.

        While the backlog lasts and Dataverse's budget has room (Coalescer.wants_more), it takes up to
        Coalescer.most_in_hand in hand from the start, and each handoff finished takes one more while
        there is room: shared requests fill and enough of them travel at once to use the execution-time
        budget, which 16 in hand cannot.
        """
        coalescer = self.dynamics.coalescer
        loops: set[asyncio.Task[None]] = set()
        alive = done = 0

        async def loop() -> None:
            nonlocal alive, done
            try:
                while await self.run_once():
                    done += 1
                    if on_done is not None:
                        on_done()
                    if alive < coalescer.most_in_hand() and coalescer.wants_more():
                        start()
            finally:
                alive -= 1

        def start() -> None:
            nonlocal alive
            alive += 1
            loops.add(asyncio.create_task(loop(), name=f"drain-{len(loops)}"))

        # A replay's backlog is all there at the start: take in hand at once what the budget can use,
        # not `concurrency` growing by one per handoff finished (a round trip each): that ramp left the
        # first ~30 s of the budget unused, and the sliding window brought the idle stretch back one
        # window later. Loops that find nothing to claim simply end.
        for _ in range(max(concurrency, coalescer.most_in_hand() if coalescer.wants_more() else 0)):
            start()
        try:
            while pending := [task for task in loops if not task.done()]:
                await asyncio.wait(pending)
            for task in loops:
                task.result()  # a spool failure ends the drain as it would end `drain`
        finally:
            for task in loops:
                task.cancel()
            await asyncio.gather(*loops, return_exceptions=True)
        return done

    async def run(self, stop: asyncio.Event, concurrency: int = 4) -> None:
        wake = self.wake

        async def loop() -> None:
            # Set when the last claim came straight from a new-work signal (one mail stored, one handoff
            # retried): that signal stands for one row, so finding it says nothing about a backlog.
            signalled = False
            mark = wake.unserved
            while not stop.is_set():
                try:
                    if self.breaker.is_open:
                        # Dataverse is down: one handoff probes it now and then; the rest wait, rather
                        # than every due handoff spending a request (and the user's request budget).
                        wait = self.breaker.until_probe()
                        if wait <= 0 and not self.breaker.probing:
                            self.breaker.probing = True
                            try:
                                if await self.run_once():
                                    continue
                            finally:
                                self.breaker.probing = False
                            wait = 0.5  # nothing due to probe with
                        with contextlib.suppress(TimeoutError):
                            await asyncio.wait_for(_first(self.breaker.changed, stop), max(0.05, min(wait, 5.0)))
                        continue
                    mark = wake.unserved  # signals no waiting loop took, as this loop starts looking
                    item = await self._claim()
                    if item is not None:
                        if not signalled:
                            # Found by a poll or after finishing one: there may be more than the signals
                            # said (a backlog at start-up, another process's rows); one more idle loop looks.
                            wake.nudge()
                        signalled = False
                        await self._safe_process(item)
                        # Not kept while this loop waits for the next signal: its raw mail (20 MB for a big
                        # one) stayed in memory until then, one per idle loop (+20 MB per big mail drained).
                        del item
                        continue
                    due = await self.spool.next_due_in()
                except Exception:
                    log.exception("worker loop error; pausing")
                    due = 5.0
                    mark = wake.unserved
                if stop.is_set():
                    break
                timeout = 5.0 if due is None else min(5.0, max(due, 0.05))
                signalled = await wake.wait(timeout, mark)

        async def stopping() -> None:
            await stop.wait()
            wake.stop()

        stopper = asyncio.create_task(stopping(), name="worker-stop")
        try:
            await asyncio.gather(*(loop() for _ in range(concurrency)))
        finally:
            stopper.cancel()


class Wake:
    """New work for the worker's loops: each `set()` wakes ONE idle loop, not every one.

    A stored mail is one new row, and one claim finds it. An asyncio.Event set by intake woke all
    `[spool] concurrency` idle loops for each mail, and each asked the spool for a claim and then for the
    next due time: 2 x 16 jobs on the spool's one writer thread per mail, queued in front of the next
    mail's enqueue. A signal that finds no loop waiting is counted in `unserved`: a loop whose claim was
    already under way when it came (and may have run before that row was committed) sees the count move
    and claims again instead of waiting; a busy loop needs nothing, it claims again when it finishes.
    """

    def __init__(self) -> None:
        self._waiting: deque[asyncio.Future[None]] = deque()
        self.unserved = 0  # signals that found no loop waiting (only ever grows)
        self._stopped = False

    def set(self, n: int = 1) -> None:
        """`n` new rows are due: wake up to `n` idle loops."""
        for _ in range(n):
            if not self.nudge():
                self.unserved += 1

    def nudge(self) -> bool:
        """Wake one idle loop if there is one (maybe more is due); nothing is kept when none waits."""
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return True
        return False

    def stop(self) -> None:
        """Wake every waiting loop, and let none wait again (the worker is stopping)."""
        self._stopped = True
        while self._waiting:
            waiter = self._waiting.popleft()
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self, seconds: float, mark: int) -> bool:
        """Wait for a signal or `seconds`. `mark`: `unserved` when this loop's last claim started.
        True when a signal (rather than the clock) says there is a new row to claim."""
        if self.unserved != mark:
            return True
        if self._stopped:
            return False
        waiter = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        try:
            await asyncio.wait_for(waiter, seconds)
        except TimeoutError:
            return False
        finally:
            if not waiter.done():
                waiter.cancel()
            with contextlib.suppress(ValueError):
                self._waiting.remove(waiter)
        return not self._stopped


# While Dataverse is down, the longest wait between two probes: the backlog must start draining within
# this long of Dataverse answering again, whatever [spool.retry] max_seconds says.
OUTAGE_PROBE_MAX = 30.0


# What a handoff in hand costs in memory, per byte of its raw mail: the raw mail itself (held until its
# outcome is written) and the files the analysis decoded from it (base64 in the mail, so at most 3/4 of its
# size; they travel to Dynamics as they are, their base64 made piece by piece as the request is written:
# handoff.dynamics.batch.Body). Measured on a 21.5 MB mail with five 3 MB files: 21.5 MB raw + 15.8 MB of
# files held, passing copies of at most 1 MB besides.
COST_PER_RAW_BYTE = 2
# A handoff costing this much gives its memory back to the system when it leaves (InHand._trim_soon),
# this long after (the handoffs finishing together share one trim).
TRIM_AFTER = 8 << 20
TRIM_DELAY = 0.2


class InHand:
    """What the worker's handoffs cost in memory at once, within `limit` bytes; one always goes, however big.

    Counted from the claim: a claimed mail's raw bytes are in memory from then on, so a mail that must
    wait for room is the only one claimed meanwhile (`claim` waits for its turn). Ten 20 MB mails stored
    at once were otherwise all claimed at once, each waiting in memory for its turn: 215 MB of raw mail
    held by nothing but the queue to the budget.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.changed = asyncio.Condition()
        # Held from a claim until that handoff is let in (or found nothing): one claim decides at a time.
        self._turn = asyncio.Lock()
        self._turn_of: int | None = None  # the spool id of the claimed handoff holding the turn
        self._trim: asyncio.TimerHandle | None = None
        # Big blocks in mappings of their own, so what a big handoff took goes back to the system when it
        # leaves (the door's big DATA too: one process). Once per process; harmless again.
        mmap_big_blocks()

    @staticmethod
    def cost(size: int) -> int:
        """Bytes of memory a handoff of `size` raw bytes holds while in hand."""
        return COST_PER_RAW_BYTE * size

    async def claim(self, take: Callable[[], Awaitable[SpoolItem | None]]) -> SpoolItem | None:
        """`take()` (a spool claim) in turn: none while a claimed handoff still waits for room in `hold`."""
        await self._turn.acquire()
        try:
            item = await take()
        except BaseException:
            self._turn.release()
            raise
        if item is None:
            self._turn.release()
        else:
            self._turn_of = item.id  # `hold` of this handoff passes the turn on once it is in
        return item

    @contextlib.asynccontextmanager
    async def hold(self, size: int, item_id: int | None = None) -> AsyncIterator[None]:
        """In hand for `size` raw bytes (counted at `cost`), once there is room; passes on the claim turn."""
        cost = self.cost(size)
        try:
            async with self.changed:
                await self.changed.wait_for(lambda: self.used == 0 or self.used + cost <= self.limit)
                self.used += cost
        finally:
            if item_id is not None and self._turn_of == item_id:
                self._turn_of = None
                self._turn.release()
        try:
            yield
        finally:
            async with self.changed:
                self.used -= cost
                self.changed.notify_all()
            if cost >= TRIM_AFTER:
                self._trim_soon()

    def _trim_soon(self) -> None:
        """Give freed heap back to the system a moment after a big handoff: glibc keeps what a 20 MB
        mail's bytes and files took for reuse, and the process stayed 500 MB above its rest for good."""
        if self._trim is None:
            self._trim = asyncio.get_running_loop().call_later(TRIM_DELAY, self._trimmed)

    def _trimmed(self) -> None:
        self._trim = None
        # On a thread: walking a heap that held big mails takes up to 100 ms (ctypes lets go of the GIL).
        asyncio.get_running_loop().run_in_executor(None, malloc_trim)


class Breaker:
    """Open after a transient delivery failure, closed by any answer from Dataverse (a created case, a
    refusal). While open, `handoff serve`'s worker sends one probe at a time, at backed-off intervals."""

    def __init__(self, backoff: Backoff) -> None:
        self.backoff = backoff
        self.is_open = False
        self.failures = 0
        self.probing = False
        self.trips = 0
        self._next_probe = 0.0
        self.changed = asyncio.Event()

    def trip(self, retry_after: float | None = None) -> None:
        if not self.is_open:
            self.trips += 1
        self.is_open = True
        self.failures += 1
        self._next_probe = time.monotonic() + self.backoff.delay(self.failures, retry_after)

    def reset(self) -> None:
        if self.is_open:
            self.is_open = False
            self.failures = 0
            self.changed.set()
            self.changed = asyncio.Event()

    def until_probe(self) -> float:
        return self._next_probe - time.monotonic()


def analysis_bytes(analysis: Analysis) -> int:
    """Bytes an Analysis holds in memory, near enough: its files (the notes share the attachments' bytes,
    counted once), the transcript, and 4 KB for the rest of its text and objects."""
    files = {id(a.content): len(a.content) for a in analysis.handoff.attachments}
    draft = analysis.draft
    if draft is not None:
        files |= {id(n.content): len(n.content) for n in draft.notes}
    return sum(files.values()) + (len(draft.transcript) if draft is not None else 0) + 4096


class _Remembered:
    """spool id -> Analysis of handoffs waiting for a retry; the oldest go first past either bound, which
    counts what each analysis holds (its files above all: analysis_bytes), not its raw mail, which the
    spool keeps."""

    def __init__(self, max_entries: int = 5000, max_bytes: int = 64 << 20) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[int, tuple[Analysis, int]] = OrderedDict()
        self._bytes = 0

    def put(self, item_id: int, analysis: Analysis) -> None:
        self.pop(item_id)
        size = analysis_bytes(analysis)
        self._entries[item_id] = (analysis, size)
        self._bytes += size
        while self._entries and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
            _, (_, dropped) = self._entries.popitem(last=False)
            self._bytes -= dropped

    def pop(self, item_id: int, default: Analysis | None = None) -> Analysis | None:
        entry = self._entries.pop(item_id, None)
        if entry is None:
            return default
        self._bytes -= entry[1]
        return entry[0]

    def __len__(self) -> int:
        return len(self._entries)


async def _first(*events: asyncio.Event) -> Any:
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
