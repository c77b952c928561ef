"""Stopping `handoff serve` while Dataverse hangs: the stop ends within its grace period, not 30 s per task,
and the handoffs cut off mid-delivery are created exactly once after the next start (their leases come back
at once; a set that committed answers 412 and is read back). Real SQLite spool, msal, aiohttp and sandbox."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from handoff.service import STOP_GRACE_SECONDS, Service
from handoff.spool import open_spool
from tests.conftest import settings_for
from tests.test_dynamics_delivery import RCPT, mail


async def test_a_stop_with_dataverse_hanging_ends_within_its_grace_and_loses_nothing(
    tmp_path: Path, sandbox: Any
) -> None:
    # Every change set hangs twice the grace period (the client would wait 40 s for it); the sandbox's
    # own shutdown waits for the hanging answers, so longer would only slow the suite.
    sandbox.latency("POST $batch", 2 * STOP_GRACE_SECONDS)
    settings = settings_for(tmp_path, sandbox, dynamics={"timeout_seconds": 40})
    spool = open_spool(settings.spool.url)
    await spool.open()
    for i in range(3):
        await spool.enqueue(mail(f"stop-{i}@example.com", sender=f"S {i} <s{i}@example.com>"), "a@x.example", RCPT)
    await spool.close()

    service = Service(settings)
    await service.start()
    assert service.parts is not None
    deadline = time.monotonic() + 60
    while (await service.parts.spool.counts()).get("working", 0) < 3:  # all three in hand, at Dataverse
        assert time.monotonic() < deadline, await service.parts.spool.counts()
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    started = time.monotonic()
    await service.stop()
    took = time.monotonic() - started
    # A bound, not a speed figure: before, the worker alone was given 30 s (and each other task as much).
    assert took < STOP_GRACE_SECONDS + 8, took

    sandbox.latency("POST $batch", 0)
    again = Service(settings)
    await again.start()
    try:
        assert again.parts is not None
        deadline = time.monotonic() + 60
        while (await again.parts.spool.counts()).get("created", 0) < 3:
            assert time.monotonic() < deadline, await again.parts.spool.counts()
            await asyncio.sleep(0.1)
    finally:
        await again.stop()
    assert len(sandbox.table("incidents")) == 3  # one each, none twice
