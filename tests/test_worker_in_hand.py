"""Big mails take turns in the worker ([spool] max_bytes_in_hand): a mail costs several times its size
while its files are encoded and sent, so ten 20 MB mails must not all be in hand at once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from handoff.service import Service
from handoff.spool import open_spool
from tests.conftest import settings_for
from tests.test_dynamics_delivery import RCPT, mail

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 6000  # 1.5 MB


async def run(tmp_path: Path, sandbox: Any, latency: float = 1.0, **spool: Any) -> int:
    sandbox.latency("POST $batch", latency)  # longer than an analysis of one of these mails
    # One handoff per request, so the requests in flight at once are the mails in hand at once.
    settings = settings_for(tmp_path, sandbox, spool=spool, dynamics={"max_handoffs_per_request": 1})
    store = open_spool(settings.spool.url)
    await store.open()
    for i in range(3):
        raw = mail(
            f"big{i}@example.com", sender=f"B {i} <big{i}@example.com>", files=(("scan.pdf", "application/pdf", PDF),)
        )
        await store.enqueue(raw, "a@x.example", RCPT)
    await store.close()
    service = Service(settings)
    await service.start()
    try:
        assert service.parts is not None
        deadline = time.monotonic() + 60
        while (await service.parts.spool.counts())["created"] < 3:
            assert time.monotonic() < deadline, await service.parts.spool.counts()
            await asyncio.sleep(0.1)
    finally:
        await service.stop()
    notes = sandbox.table("annotations")
    assert sorted(n["filename"] for n in notes) == ["scan.pdf"] * 3
    return sandbox.peak_in_flight


async def test_big_mails_take_turns(tmp_path: Path, sandbox: Any) -> None:
    assert await run(tmp_path, sandbox, max_bytes_in_hand=2_000_000) == 1


async def test_small_budget_aside_they_go_together(tmp_path: Path, sandbox: Any) -> None:
    # Together means a second mail is in hand while the first's request travels: the request must outlast
    # an analysis, which 1 s did not at load 12 on 2 cores (peak 1). The latency is not what this checks.
    assert await run(tmp_path, sandbox, latency=4.0) > 1
