"""/metrics as a scraper reads it: counted where the work happens (intake, worker, Dataverse client),
and the spool gauges an alert is written against (queue depth, oldest queued age, outbox, parked), on
SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from handoff.health import build_app
from handoff.metrics import route_of
from handoff.service import Service
from handoff.spool import open_spool
from handoff.spool.base import OutboxEvent, Spool
from tests.conftest import settings_for
from tests.pg import fresh_schema
from tests.test_e2e import direct_mail, smtp_send, wait_final


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a Prometheus exposition: (name, sorted labels) -> value."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


async def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    async with aiohttp.ClientSession() as client, client.get(f"http://127.0.0.1:{port}/metrics") as resp:
        assert resp.status == 200
        return samples(await resp.text())


def test_routes_keep_entity_sets_not_keys_or_queries() -> None:
    # One label value per entity set or action: never a record id or a customer's address.
    assert route_of("get", "/api/data/v9.2/contacts?$filter=emailaddress1%20eq%20'a@b.example'") == "GET contacts"
    assert route_of("PATCH", "/api/data/v9.2/incidents(3f2c0000-0000-0000-0000-000000000001)") == "PATCH incidents()"
    assert route_of("GET", "/api/data/v9.2/contacts(emailaddress1='x@y.example')/x") == "GET contacts()"
    assert route_of("POST", "/api/data/v9.2/$batch") == "POST $batch"


async def test_service_counts_bytes_latency_and_throttling(tmp_path: Path, sandbox: Any) -> None:
    svc = Service(settings_for(tmp_path, sandbox))
    await svc.start()
    try:
        first = direct_mail("kim@example.com", "Kim Lee", "Where is my parcel?", "metrics-1@example.com")
        item_first = await asyncio.to_thread(smtp_send, svc.smtp_port, first)
        item = await wait_final(svc, item_first)
        assert item.state == "created", item.last_error
        # Dataverse throttles the next $batch as a whole (dataverse.md: 429 with Retry-After, in seconds).
        sandbox.fail("POST $batch", 429, times=1, retry_after=1)
        second = direct_mail("ana@example.com", "Ana Ruiz", "My invoice is wrong.", "metrics-2@example.com")
        item = await wait_final(svc, await asyncio.to_thread(smtp_send, svc.smtp_port, second))
        assert item.state == "created", item.last_error
        # The same mail again (a resend, a second MX route): accepted, and the same handoff.
        assert await asyncio.to_thread(smtp_send, svc.smtp_port, first) == item_first
        got = await scrape(svc.http_port)
    finally:
        await svc.stop()
    assert got[("handoff_smtp_duplicates_total", ())] == 1
    assert got[("handoff_smtp_accepted_total", ())] == 3
    # What the SMTP client sent is stored byte for byte (smtplib only appends the final CRLF if missing).
    assert got[("handoff_smtp_accepted_bytes_total", ())] == 2 * len(first) + len(second)
    assert got[("handoff_accept_to_created_seconds_count", ())] == 2
    # The throttled one waited out its Retry-After (1 s) before being created.
    assert got[("handoff_accept_to_created_seconds_sum", ())] >= 1.0
    assert got[("handoff_accept_to_created_seconds_bucket", (("le", "+Inf"),))] == 2
    batch = (("route", "POST $batch"), ("status", "429"))
    assert got[("handoff_dataverse_request_seconds_count", batch)] == 1
    ok = (("route", "POST $batch"), ("status", "200"))
    assert got[("handoff_dataverse_request_seconds_count", ok)] == 2
    assert got[("handoff_dataverse_request_seconds_count", (("route", "GET contacts"), ("status", "200")))] >= 1
    assert got[("handoff_dataverse_throttled_total", ())] == 1
    assert got[("handoff_dataverse_retry_after_seconds_total", ())] == 1.0
    assert got[("handoff_queue_depth", ())] == 0
    assert got[("handoff_queue_oldest_age_seconds", ())] == 0
    assert got[("handoff_parked", ())] == 0


@asynccontextmanager
async def backend(kind: str, tmp_path: Path) -> AsyncIterator[Spool]:
    if kind == "sqlite":
        spool = open_spool(f"sqlite:///{tmp_path}/metrics.db")
        await spool.open()
        try:
            yield spool
        finally:
            await spool.close()
        return
    async with fresh_schema("metrics") as url:
        spool = open_spool(url)
        await spool.open()
        try:
            yield spool
        finally:
            await spool.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_spool_gauges_for_alerts(kind: str, tmp_path: Path) -> None:
    async with backend(kind, tmp_path) as spool:
        oldest = await spool.enqueue(b"Subject: a\r\n\r\nx\r\n", "a@example.com", ["cases@handoff.test"])
        await asyncio.sleep(1.2)
        for n in range(3):
            await spool.enqueue(f"Subject: {n}\r\n\r\nx\r\n".encode(), "b@example.com", ["cases@handoff.test"])
        # One created with a MoEngage event waiting in the outbox, one parked: claim the oldest two.
        created = await spool.claim(60, owner="test")
        parked = await spool.claim(60, owner="test")
        assert created is not None and parked is not None and created.id == oldest
        event = OutboxEvent(key=f"case:{created.id}", kind="Case Created", payload={"x": 1})
        await spool.finish_created(created.id, "inc-1", "CAS-1", {}, [event])
        await spool.park(parked.id, "Dataverse 400: bad")
        runner = web.AppRunner(build_app(spool, {"started": time.time()}))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        try:
            got = await scrape(runner.addresses[0][1])
        finally:
            await runner.cleanup()
    assert got[("handoff_queue_depth", ())] == 2
    # The oldest still queued is the second mail, enqueued about now (the first one is created).
    assert 0 <= got[("handoff_queue_oldest_age_seconds", ())] < 1.2
    assert got[("handoff_outbox_depth", ())] == 1
    assert got[("handoff_parked", ())] == 1
    assert got[("handoff_spool_handoffs", (("state", "parked"),))] == 1


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_oldest_queued_age_grows_while_nothing_is_taken(kind: str, tmp_path: Path) -> None:
    async with backend(kind, tmp_path) as spool:
        await spool.enqueue(b"Subject: a\r\n\r\nx\r\n", "a@example.com", ["cases@handoff.test"])
        await asyncio.sleep(1.1)
        await spool.enqueue(b"Subject: b\r\n\r\nx\r\n", "a@example.com", ["cases@handoff.test"])
        runner = web.AppRunner(build_app(spool, {"started": time.time()}))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        try:
            got = await scrape(runner.addresses[0][1])
            # Once the oldest is taken, the next scrape reads the next oldest (no cached age).
            first = await spool.claim(60)
            assert first is not None
            await spool.finish_created(first.id, "inc-1", "CAS-1", {})
            then = await scrape(runner.addresses[0][1])
        finally:
            await runner.cleanup()
    assert got[("handoff_queue_depth", ())] == 2
    assert got[("handoff_queue_oldest_age_seconds", ())] >= 1.1
    assert then[("handoff_queue_depth", ())] == 1 and then[("handoff_queue_oldest_age_seconds", ())] < 1.1
