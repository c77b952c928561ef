"""The worker around the pipeline: leases while a handoff waits on Dataverse."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from handoff.service import build_parts
from handoff.worker import Worker
from tests.conftest import settings_for

MAIL = (
    b"From: Lee Park <lee@example.com>\r\nTo: cases@handoff.test\r\nSubject: App crashes\r\n"
    b"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\nMessage-ID: <lease-1@example.com>\r\n\r\nThe app crashes on start.\r\n"
)


async def test_a_handoff_slower_than_its_lease_is_not_taken_over_by_another_worker(
    tmp_path: Path, sandbox: Any
) -> None:
    settings = settings_for(tmp_path, sandbox, spool={"lease_seconds": 0.3})
    parts = await build_parts(settings)
    assert parts.pipeline is not None
    first = Worker(parts.spool, parts.pipeline, parts.dynamics, settings.spool)
    other = Worker(parts.spool, parts.pipeline, parts.dynamics, settings.spool)  # e.g. another instance
    try:
        item_id = await parts.spool.enqueue(MAIL, "sam@acme.example", ["cases@handoff.test"])
        sandbox.latency("POST $batch", 1.5)  # five leases long
        busy = asyncio.create_task(first.run_once())
        taken_over = 0
        for _ in range(12):
            await asyncio.sleep(0.1)
            taken_over += await other.run_once()
        assert await busy
        assert taken_over == 0
        item = await parts.spool.get(item_id)
        assert item is not None and (item.state, item.attempts) == ("created", 1)
        assert [r["route"] for r in sandbox.requests].count("POST $batch") == 1
    finally:
        first.close()
        other.close()
        await parts.close()
