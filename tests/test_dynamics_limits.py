"""Client-side service protection against the sandbox's real limits: a real aiohttp client over TLS, a
real msal token, the client built by `build_parts` exactly as the service builds it."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from handoff.dynamics.client import DataverseClient
from handoff.errors import TransientError
from handoff.service import Service, build_parts
from handoff.settings import DynamicsSettings
from tests.conftest import settings_for

# Requests already on the wire when a 429 comes back may still arrive just after it; anything later than
# this inside the Retry-After pause was sent during the pause.
GRACE = 0.1


@asynccontextmanager
async def client_for(tmp_path: Path, sandbox: Any, **dynamics: Any) -> AsyncIterator[DataverseClient]:
    parts = await build_parts(settings_for(tmp_path, sandbox, dynamics=dynamics), with_pipeline=False)
    try:
        yield parts.dynamics.client
    finally:
        await parts.close()


async def who_am_i_many(client: DataverseClient, n: int) -> list[Any]:
    return await asyncio.gather(*(client.request("GET", "WhoAmI") for _ in range(n)))


def statuses(sandbox: Any) -> list[int]:
    return [r["status"] for r in sandbox.requests]


def sent_during_pauses(sandbox: Any, pause: float) -> list[float]:
    """Arrivals that fall inside a `pause`-second Retry-After that an earlier 429 announced."""
    refused = [r["at"] for r in sandbox.requests if r["status"] == 429]
    return [r["at"] - t for r in sandbox.requests for t in refused if t + GRACE < r["at"] < t + pause - GRACE]


async def test_backlog_drains_at_the_limit_without_429(tmp_path: Path, sandbox: Any) -> None:
    sandbox.set_limits(requests=25, window_seconds=0.5, concurrent=4)
    sandbox.latency("*", 0.01)  # so requests overlap
    async with client_for(tmp_path, sandbox, requests_per_window=25, window_seconds=0.5, max_concurrent=4) as client:
        started = time.monotonic()
        results = await who_am_i_many(client, 100)
        took = time.monotonic() - started
    assert len(results) == 100 and all(r.status == 200 for r in results)
    assert statuses(sandbox) == [200] * 100  # no 429, no retry
    assert client.stats.retries == 0
    # 100 requests at 25 per 0.5 s cannot finish before the fourth window opens: the limiter paced them.
    assert took >= 1.5
    assert client.limiter.waits > 0
    assert sandbox.peak_in_flight <= 4


async def test_concurrency_above_the_limit_queues(tmp_path: Path, sandbox: Any) -> None:
    sandbox.set_limits(concurrent=3)
    sandbox.latency("*", 0.05)
    async with client_for(tmp_path, sandbox, max_concurrent=3) as client:
        results = await who_am_i_many(client, 30)
    assert all(r.status == 200 for r in results)
    assert statuses(sandbox) == [200] * 30
    assert sandbox.peak_in_flight == 3  # the limit is used, never exceeded
    assert client.limiter.peak_in_flight == 3


async def test_429s_above_the_client_limit_pause_every_request(tmp_path: Path, sandbox: Any) -> None:
    # The organisation allows less than we were told (another integration shares the application user).
    sandbox.set_limits(requests=20, window_seconds=1, concurrent=4)
    sandbox.latency("*", 0.01)
    async with client_for(
        tmp_path, sandbox, requests_per_window=1000, window_seconds=1, max_concurrent=4, max_retries=5
    ) as client:
        results = await who_am_i_many(client, 50)
    assert len(results) == 50 and all(r.status == 200 for r in results)
    codes = statuses(sandbox)
    assert codes.count(200) == 50
    assert 0 < codes.count(429) <= 4 * 3  # at most the requests in flight, once per window
    # The sandbox answers Retry-After: 1 here; nothing may be sent until it has passed.
    assert sent_during_pauses(sandbox, 1.0) == []
    assert client.limiter.pauses >= 1


async def test_one_forced_429_holds_back_the_others_too(tmp_path: Path, sandbox: Any) -> None:
    sandbox.fail("GET WhoAmI", 429, times=1, retry_after=1)
    sandbox.latency("*", 0.05)  # without the shared pause the others would be sent within ~0.5 s
    async with client_for(tmp_path, sandbox, max_concurrent=2) as client:
        results = await who_am_i_many(client, 20)
    assert all(r.status == 200 for r in results)
    assert statuses(sandbox).count(429) == 1
    assert sent_during_pauses(sandbox, 1.0) == []
    refused_at = next(r["at"] for r in sandbox.requests if r["status"] == 429)
    after = [r for r in sandbox.requests if r["at"] >= refused_at + 1.0 - GRACE]
    assert len(after) >= 20 - 1  # all but the one already in flight beside it


async def test_a_long_pause_is_not_waited_out_inline(tmp_path: Path, sandbox: Any) -> None:
    # Longer than MAX_INLINE_WAIT: the worker requeues the handoff rather than holding its lease.
    sandbox.fail("GET WhoAmI", 429, times=1, retry_after=120)
    async with client_for(tmp_path, sandbox) as client:
        with pytest.raises(TransientError):
            await client.request("GET", "WhoAmI")
        sent = len(sandbox.requests)
        started = time.monotonic()
        with pytest.raises(TransientError) as info:
            await client.request("GET", "WhoAmI")
    assert time.monotonic() - started < 1
    assert len(sandbox.requests) == sent  # refused here, never sent
    assert info.value.retry_after is not None and info.value.retry_after > 100


def test_max_concurrent_cannot_exceed_dataverse_limit() -> None:
    assert DynamicsSettings().max_concurrent == 52
    assert DynamicsSettings().requests_per_window == 6000
    with pytest.raises(ValidationError):
        DynamicsSettings(max_concurrent=53)


def direct_mail(n: int) -> bytes:
    return (
        f"From: Customer {n} <customer{n}@example.com>\r\nTo: cases@handoff.test\r\n"
        f"Subject: Order {n} arrived broken\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
        f"Message-ID: <limits-{n}@example.com>\r\n\r\nHello, my order {n} arrived broken. Please replace it.\r\n"
    ).encode()


async def wait_until(check: Callable[[], Any], within: float) -> None:
    deadline = time.monotonic() + within
    while not await check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def test_service_backlog_drains_without_429(tmp_path: Path, sandbox: Any) -> None:
    # More worker loops than Dataverse allows concurrent requests: the surplus queues in the limiter.
    # Tight enough that the analysis (one mail at a time, in its own process) outpaces the budget.
    sandbox.set_limits(requests=4, window_seconds=0.5, concurrent=2)
    sandbox.latency("*", 0.01)
    settings = settings_for(
        tmp_path, sandbox, dynamics={"requests_per_window": 4, "window_seconds": 0.5, "max_concurrent": 2}
    )
    service = Service(settings, concurrency=4)  # handoff serve's default, twice max_concurrent
    await service.start()
    try:
        assert service.parts is not None
        spool = service.parts.spool
        for n in range(12):
            await spool.enqueue(direct_mail(n), "sam@acme.example", ["cases@handoff.test"])
        service.worker.wake.set()

        async def drained() -> bool:
            counts = await spool.counts()
            return counts["queued"] == 0 and counts["working"] == 0

        await wait_until(drained, 30)
        counts = await spool.counts()
        waits = service.parts.dynamics.client.limiter.waits
    finally:
        await service.stop()
    assert counts["created"] == 12, counts
    assert len(sandbox.table("incidents")) == 12
    assert 429 not in statuses(sandbox)
    assert sandbox.peak_in_flight <= 2
    assert waits > 0  # the limit was reached, so the limiter did the pacing
