"""Several instances on one PostgreSQL database behave as one: one Dataverse request budget for the
application user they share, and two `handoff serve` processes, one SIGKILLed mid-burst, losing and
duplicating nothing (bench/multi_instance.py runs the same at 2,000 mails)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from handoff.service import Parts, Service, build_parts
from tests import multi, pg
from tests.conftest import settings_for


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    async with pg.fresh_schema("multi") as url:
        yield url


def statuses(sandbox: Any) -> list[int]:
    return [r["status"] for r in sandbox.requests]


def direct_mail(n: int) -> bytes:
    return (
        f"From: Customer {n} <customer{n}@example.com>\r\nTo: cases@handoff.test\r\n"
        f"Subject: Order {n} arrived broken\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
        f"Message-ID: <multi-{n}@example.com>\r\n\r\nHello, my order {n} arrived broken. Please replace it.\r\n"
    ).encode()


async def two_clients(tmp_path: Path, sandbox: Any, url: str, **dynamics: Any) -> list[Parts]:
    parts = []
    for n in range(2):
        directory = tmp_path / f"c{n}"
        directory.mkdir(parents=True)
        spool = {"url": url if url.startswith("postgres") else f"sqlite:///{directory}/handoff.db"}
        settings = settings_for(directory, sandbox, spool=spool, dynamics=dynamics)
        parts.append(await build_parts(settings, with_pipeline=False, owner=f"mx{n}"))
    return parts


async def burst(parts: list[Parts], n: int) -> None:
    await asyncio.gather(*(p.dynamics.client.request("GET", "WhoAmI") for p in parts for _ in range(n)))


async def test_two_clients_of_one_application_user_share_its_budget(tmp_path: Path, sandbox: Any, pg_url: str) -> None:
    limits = {"requests_per_window": 10, "window_seconds": 0.5, "max_concurrent": 3, "max_retries": 8}
    sandbox.set_limits(requests=10, window_seconds=0.5, concurrent=3)
    sandbox.latency("*", 0.02)
    # Without sharing (a SQLite spool each), each keeps the limits alone and together they exceed them.
    alone = await two_clients(tmp_path / "alone", sandbox, "sqlite", **limits)
    try:
        await burst(alone, 15)
    finally:
        for p in alone:
            await p.close()
    assert statuses(sandbox).count(429) > 0
    sandbox.requests.clear()
    await asyncio.sleep(0.6)  # the sandbox's window forgets the first burst
    shared = await two_clients(tmp_path / "shared", sandbox, pg_url, **limits)
    try:
        started = time.monotonic()
        await burst(shared, 15)
        took = time.monotonic() - started
        waits = [p.dynamics.client.limiter.waits for p in shared]
    finally:
        for p in shared:
            await p.close()
    codes = statuses(sandbox)
    assert codes == [200] * 30, codes
    assert sandbox.peak_in_flight <= 3
    assert took >= 1.0  # 30 requests at 10 per 0.5 s: paced into at least three windows
    assert all(w > 0 for w in waits)  # both were held back by what the other had used


async def test_a_429_pauses_every_instance(tmp_path: Path, sandbox: Any, pg_url: str) -> None:
    sandbox.latency("*", 0.02)
    parts = await two_clients(tmp_path, sandbox, pg_url, max_concurrent=2, max_retries=3)
    try:
        sandbox.fail("GET WhoAmI", 429, times=1, retry_after=1)
        first = await parts[0].dynamics.client.request("GET", "WhoAmI")  # 429, pauses, then succeeds
        assert first.status == 200
        refused_at = next(r["at"] for r in sandbox.requests if r["status"] == 429)
        await asyncio.sleep(0.1)  # the pause reaches the database
        await parts[1].dynamics.client.request("GET", "WhoAmI")
    finally:
        for p in parts:
            await p.close()
    later = [r["at"] - refused_at for r in sandbox.requests if r["at"] > refused_at]
    assert later and min(later) >= 1.0 - 0.1, later  # the other instance waited out the Retry-After too


async def test_two_services_on_one_database_stay_under_the_shared_limit(
    tmp_path: Path, sandbox: Any, pg_url: str
) -> None:
    sandbox.set_limits(requests=6, window_seconds=0.5, concurrent=2)
    sandbox.latency("*", 0.01)
    limits = {"requests_per_window": 6, "window_seconds": 0.5, "max_concurrent": 2}
    services = []
    for name in ("mx-a", "mx-b"):
        directory = tmp_path / name
        directory.mkdir()
        settings = settings_for(directory, sandbox, spool={"url": pg_url, "instance_id": name}, dynamics=limits)
        services.append(Service(settings, concurrency=4))
    await asyncio.gather(*(s.start() for s in services))
    try:
        spool = services[0].parts.spool  # type: ignore[union-attr]
        for n in range(16):
            await spool.enqueue(direct_mail(n), "sam@acme.example", ["cases@handoff.test"])
        for s in services:
            s.worker.wake.set()
        deadline = time.monotonic() + 60
        while True:
            counts = await spool.counts()
            if counts["queued"] == 0 and counts["working"] == 0:
                break
            assert time.monotonic() < deadline, counts
            await asyncio.sleep(0.1)
        created = [s.worker.outcomes.get("created", 0) for s in services]
        waits = sum(s.parts.dynamics.client.limiter.waits for s in services)  # type: ignore[union-attr]
    finally:
        await asyncio.gather(*(s.stop() for s in services))
    assert counts["created"] == 16, counts
    assert len(sandbox.table("incidents")) == 16
    assert 429 not in statuses(sandbox)
    assert sandbox.peak_in_flight <= 2
    assert all(c > 0 for c in created) and sum(created) == 16, created  # both did work
    assert waits > 0  # the shared limit was reached, so the budget did the pacing


async def test_two_serve_processes_one_killed_mid_burst(tmp_path: Path, sandbox: Any, pg_url: str) -> None:
    out = await multi.kill_one_of_two(tmp_path, sandbox, pg_url, mails=100)
    line = out.line()
    print(line)  # pytest -s shows the figures
    assert out.extra["all_final"] and out.extra["unsent"] == 0, line
    counts = (out.accepted, out.created, out.skipped, out.parked, out.lost, out.duplicates)
    assert counts == (100, 100, 0, 0, 0, 0), line
    assert out.extra["events_missing_or_doubled"] == 0 and out.extra["incidents_with_one_event"] == 100, line
    assert out.extra["outbox_not_sent"] == 0, line
    assert out.extra["incidents_recognised"] == 100, line  # the duplicate count saw every incident
    # The survivor took over what the dead instance held, before the dead one came back.
    assert out.extra["held_by_killed"] > 0, line
    assert out.extra["taken_over_by_survivor"] == out.extra["held_by_killed"], line
    assert out.extra["takeover_attempts_min"] >= 2, line
