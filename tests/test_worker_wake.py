"""A stored mail wakes one idle worker loop, not all of them (handoff.worker.Wake).

`handoff serve` runs `[spool] concurrency` worker loops. When each new mail woke every idle loop, each
asked the spool for a claim (and then for the next due time): 16 claims per mail on the spool's one
writer, in front of the next mail's enqueue. Here mails go in over real SMTP to a running serve (the
analysis process, the Dataverse sandbox over TLS) and the spool's own claim counter says what they cost.
"""

from __future__ import annotations

import asyncio
import smtplib
import time
from pathlib import Path
from typing import Any

from handoff.service import Service
from tests.conftest import settings_for

CONCURRENCY = 16


def customer_mail(n: int) -> bytes:
    return (
        f"From: Customer {n} <customer{n}@example.com>\r\nTo: cases@handoff.test\r\n"
        f"Subject: Order {n} arrived broken\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
        f"Message-ID: <wake-{n}@example.com>\r\n\r\nHello, my order {n} arrived broken. Please replace it.\r\n"
    ).encode()


def smtp_send(port: int, numbers: list[int]) -> None:
    """One session per mail, as an MTA relaying a burst does; every mail must get its 250."""
    for n in numbers:
        with smtplib.SMTP("127.0.0.1", port, timeout=20) as client:
            client.ehlo("client.test")
            client.mail(f"customer{n}@example.com")
            client.rcpt("cases@handoff.test")
            code, reply = client.data(customer_mail(n))
        assert code == 250, reply


async def created(service: Service, n: int, within: float = 60) -> None:
    assert service.parts is not None
    deadline = time.monotonic() + within
    while (counts := await service.parts.spool.counts())["created"] < n:
        assert time.monotonic() < deadline, counts
        await asyncio.sleep(0.05)


async def idle(service: Service) -> int:
    """Wait until every loop has made its start-up claim (and found nothing); the claims so far."""
    assert service.parts is not None
    spool: Any = service.parts.spool
    deadline = time.monotonic() + 10
    while spool.claims < CONCURRENCY:
        assert time.monotonic() < deadline, spool.claims
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.2)
    return int(spool.claims)


async def test_mails_one_after_another_cost_a_claim_or_two_each(tmp_path: Path, sandbox: Any) -> None:
    # Every loop idle when each mail arrives: the case where all of them used to wake. One claim finds
    # the mail; its loop claims once more when done (there might be more), and finds nothing.
    mails = 10
    service = Service(settings_for(tmp_path, sandbox, spool={"concurrency": CONCURRENCY}))
    await service.start()
    try:
        assert service.parts is not None and service.smtp_port is not None
        spool: Any = service.parts.spool
        before = await idle(service)
        started = time.monotonic()
        for n in range(mails):
            await asyncio.to_thread(smtp_send, service.smtp_port, [n])
            await created(service, n + 1)
        claims = spool.claims - before
        # Each idle loop also polls on its own every 5 s: those claims are not the mails' cost.
        polls = CONCURRENCY * int((time.monotonic() - started) // 5 + 1)
        counts = await spool.counts()
    finally:
        await service.stop()
    assert counts["created"] == mails and counts["queued"] == counts["working"] == 0, counts
    assert len(sandbox.table("incidents")) == mails
    assert claims <= 2 * mails + polls, (claims, polls)  # it was about CONCURRENCY per mail


async def test_a_burst_costs_about_a_claim_per_mail(tmp_path: Path, sandbox: Any) -> None:
    mails, senders = 96, 8
    service = Service(settings_for(tmp_path, sandbox, spool={"concurrency": CONCURRENCY}))
    await service.start()
    try:
        assert service.parts is not None and service.smtp_port is not None
        spool: Any = service.parts.spool
        before = await idle(service)
        started = time.monotonic()
        port = service.smtp_port
        await asyncio.gather(
            *(asyncio.to_thread(smtp_send, port, list(range(s, mails, senders))) for s in range(senders))
        )
        await created(service, mails)
        claims = spool.claims - before
        polls = CONCURRENCY * int((time.monotonic() - started) // 5 + 1)
        counts = await spool.counts()
    finally:
        await service.stop()
    # Everything created, and exactly once.
    assert counts["created"] == mails and counts["queued"] == counts["working"] == 0, counts
    incidents = sandbox.table("incidents")
    assert len(incidents) == mails
    assert len({i["title"] for i in incidents}) == mails
    # One claim per mail, one more per loop that runs dry, and the idle loops' own polls.
    assert claims <= mails + 2 * CONCURRENCY + polls, (claims, polls)
