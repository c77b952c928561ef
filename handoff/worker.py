"""claim -> pipeline -> Dynamics -> created / skipped / retry later / parked.

The only place with a blanket `except Exception`: whatever goes wrong, the handoff ends in a state a
person can see, with its raw mail kept, and the worker goes on with the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from handoff.dynamics.incidents import Delivered, Dynamics
from handoff.errors import PermanentError, TransientError
from handoff.pipeline import Analysis, Pipeline, summary
from handoff.settings import SpoolSettings
from handoff.spool.base import OutboxEvent, Spool, SpoolItem

log = logging.getLogger("handoff.worker")

# Builds the outbox events for a created case (MoEngage); None when mirroring is off.
EventBuilder = Callable[[Analysis, Delivered], list[OutboxEvent]]


class Worker:
    def __init__(
        self,
        spool: Spool,
        pipeline: Pipeline,
        dynamics: Dynamics,
        settings: SpoolSettings,
        *,
        wake: asyncio.Event | None = None,
        events: EventBuilder | None = None,
    ) -> None:
        self.spool = spool
        self.pipeline = pipeline
        self.dynamics = dynamics
        self.settings = settings
        self.wake = wake or asyncio.Event()
        self.events = events
        self.on_events: Callable[[], None] | None = None  # told when new outbox events were written
        self.outcomes: dict[str, int] = {}
        self.dynamics_ok: bool | None = None  # last Dataverse call succeeded? (readiness, outage logging)
        # The pipeline is CPU-bound (and the embeddings extra runs numpy and the tokenizer's own threads):
        # analysing several mails at once on a small machine only makes them contend, so one thread
        # analyses while the other handoffs wait on Dataverse.
        self._analyser = ThreadPoolExecutor(max_workers=1, thread_name_prefix="handoff-pipeline")

    def close(self) -> None:
        self._analyser.shutdown(wait=False, cancel_futures=True)

    def _count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def backoff(self, attempts: int, retry_after: float | None) -> float:
        delay = min(self.settings.retry_max_seconds, self.settings.retry_base_seconds * 2 ** max(0, attempts - 1))
        delay *= 0.75 + random.random() / 2
        return max(delay, retry_after or 0.0)

    async def process(self, item: SpoolItem) -> str:
        """Take one claimed handoff to its next state; returns the outcome name."""
        tag = f"spool={item.id}"
        try:
            analysis = await asyncio.get_running_loop().run_in_executor(
                self._analyser, self.pipeline.analyse, item.raw, item.mail_from, item.rcpt_tos
            )
        except Exception as exc:
            # A mail we cannot read is a person's job, not a crash: park it with its bytes.
            log.exception("%s parked: could not analyse the mail", tag)
            await self.spool.park(item.id, f"unreadable mail: {type(exc).__name__}: {exc}")
            return "parked"
        handoff = analysis.handoff
        tag += f" msgid={handoff.message_id}"
        data = summary(analysis)
        if handoff.skipped is not None:
            await self.spool.finish_skipped(item.id, handoff.skipped.guard, handoff.skipped.reason, data)
            log.info("%s skipped by %s: %s", tag, handoff.skipped.guard, handoff.skipped.reason)
            return "skipped"
        if analysis.draft is None:
            reason = analysis.park_reason or "nothing to send"
            await self.spool.park(item.id, reason, data)
            log.info("%s parked: %s", tag, reason)
            return "parked"
        try:
            delivered = await self.dynamics.deliver(analysis.draft)
        except TransientError as exc:
            self._dynamics_state(False, exc)
            if item.attempts >= self.settings.max_attempts:
                await self.spool.park(item.id, f"gave up after {item.attempts} attempts: {exc}", data)
                log.warning("%s parked after %d attempts: %s", tag, item.attempts, exc)
                return "parked"
            delay = self.backoff(item.attempts, exc.retry_after)
            await self.spool.retry_later(item.id, delay, str(exc))
            log.info("%s retry in %.0fs (attempt %d): %s", tag, delay, item.attempts, exc)
            return "retry"
        except PermanentError as exc:
            self._dynamics_state(True, None)
            await self.spool.park(item.id, str(exc), data)
            log.warning("%s parked: %s", tag, exc)
            return "parked"
        self._dynamics_state(True, None)
        data["incident"] = {**(data["incident"] or {}), "ticketnumber": delivered.ticket_number}
        data["contact_id"] = delivered.contact_id
        data["already_existed"] = delivered.already_existed
        events = self.events(analysis, delivered) if self.events else []
        await self.spool.finish_created(item.id, delivered.incident_id, delivered.ticket_number, data, events)
        if events and self.on_events is not None:
            self.on_events()
        log.info(
            "%s created incident %s %s%s",
            tag,
            delivered.ticket_number,
            delivered.incident_id,
            " (already existed)" if delivered.already_existed else "",
        )
        return "created"

    def _dynamics_state(self, ok: bool, error: Exception | None) -> None:
        # Log an outage once when it starts and once when it ends, not once per handoff.
        if ok and self.dynamics_ok is False:
            log.info("Dataverse reachable again")
        elif not ok and self.dynamics_ok is not False:
            log.warning("Dataverse unreachable: %s", error)
        self.dynamics_ok = ok

    async def _safe_process(self, item: SpoolItem) -> None:
        heartbeat = asyncio.create_task(self._keep_lease(item.id), name=f"lease-{item.id}")
        try:
            outcome = await self.process(item)
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

    async def run_once(self) -> bool:
        item = await self.spool.claim(self.settings.lease_seconds)
        if item is None:
            return False
        await self._safe_process(item)
        return True

    async def drain(self) -> int:
        """Process everything due now (burst mode for replay and tests); returns how many were taken."""
        done = 0
        while await self.run_once():
            done += 1
        return done

    async def run(self, stop: asyncio.Event, concurrency: int = 4) -> None:
        async def loop() -> None:
            while not stop.is_set():
                try:
                    if await self.run_once():
                        continue
                    due = await self.spool.next_due_in()
                except Exception:
                    log.exception("worker loop error; pausing")
                    due = 5.0
                self.wake.clear()
                timeout = 5.0 if due is None else min(5.0, max(due, 0.05))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(_first(self.wake, stop), timeout)

        await asyncio.gather(*(loop() for _ in range(concurrency)))


async def _first(*events: asyncio.Event) -> Any:
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
