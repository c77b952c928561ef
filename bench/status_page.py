"""How long the status page, a handoff's page and /metrics take on a large spool (issue 15).

Fills a spool (SQLite, or PostgreSQL with --pg) with N handoffs: most created (with a summary and a
MoEngage event each), some parked, some still queued; then serves handoff.health's app on loopback and
times each page over HTTP (median and worst of --runs requests, one at a time).

    .venv/bin/python bench/status_page.py --n 20000 [--pg postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handoff.health import build_app
from handoff.spool import open_spool
from handoff.spool.base import OutboxEvent


def raw_mail(n: int) -> bytes:
    body = "Hello, my order has not arrived yet and I would like a refund. " * 20
    return (
        f"From: Customer {n} <customer{n}@example.org>\r\nTo: cases@handoff.test\r\n"
        f"Subject: Order {n} not delivered\r\nMessage-ID: <bench-{n}@example.org>\r\n\r\n{body}\r\n"
    ).encode()


def summary(n: int) -> dict[str, object]:
    return {
        "message_id": f"bench-{n}@example.org",
        "subject": f"Order {n} not delivered",
        "customer": {"email": f"customer{n}@example.org", "name": f"Customer {n}", "found_by": "from"},
        "classification": {"label": "Delivery", "category_id": "delivery", "confidence": 0.8, "method": "keywords"},
        "sentiment": {"label": "negative", "score": -0.4, "confidence": "high"},
        "priority": {"prioritycode": 2},
        "messages": [{"from_email": f"customer{n}@example.org", "body": "Hello, my order has not arrived."}],
        "incident": {"incidentid": str(uuid.UUID(int=n)), "title": "Delivery", "prioritycode": 2},
    }


async def fill(spool: Any, n: int, parked_every: int, queued: int) -> float:
    started = time.monotonic()
    s: Any = spool
    for first in range(0, n, 200):  # concurrent enqueues share a commit (the spool's group commit)
        await asyncio.gather(
            *(
                s.enqueue(raw_mail(i), f"customer{i}@example.org", ["cases@handoff.test"])
                for i in range(first, min(n, first + 200))
            )
        )

    async def finish() -> None:
        while True:
            item = await s.claim(600, owner="bench")
            if item is None or item.id > n - queued:
                if item is not None:
                    await s.release(item.id, counted=False)
                return
            if item.id % parked_every == 0:
                await s.park(item.id, "Dataverse 400 0x80040203: bench", summary(item.id))
            else:
                event = OutboxEvent(key=f"case:{item.id}", kind="Case Created", payload={"n": item.id})
                ticket = f"CAS-{item.id:05d}-BENCH"
                await s.finish_created(item.id, str(uuid.UUID(int=item.id)), ticket, summary(item.id), [event])

    await asyncio.gather(*(finish() for _ in range(16)))
    return time.monotonic() - started


async def timed(client: aiohttp.ClientSession, url: str, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.monotonic()
        async with client.get(url) as resp:
            await resp.read()
            assert resp.status == 200, (url, resp.status)
        times.append(time.monotonic() - started)
    return statistics.median(times) * 1000, max(times) * 1000


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--queued", type=int, default=2000)
    parser.add_argument("--parked-every", type=int, default=50)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pg", default=None, help="a PostgreSQL URL; a fresh schema is used and dropped")
    args = parser.parse_args()
    schema = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.pg:
            schema = f"bench_status_{uuid.uuid4().hex[:8]}"
            url = f"{args.pg}{'&' if '?' in args.pg else '?'}schema={schema}"
        else:
            url = f"sqlite:///{tmp}/bench.db"
        spool = open_spool(url)
        await spool.open()
        try:
            fill_s = await fill(spool, args.n, args.parked_every, args.queued)
            counts = await spool.counts()
            runner = web.AppRunner(build_app(spool, {"started": time.time()}))
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            base = f"http://127.0.0.1:{runner.addresses[0][1]}"
            last_page = (args.n + 24) // 25
            pages = {
                "/status (first page, 25 rows)": "/status",
                "/status?state=parked": "/status?state=parked",
                "/status?q=customer1234": "/status?q=customer1234",
                f"/status?page={last_page} (oldest)": f"/status?page={last_page}",
                "/handoff/<id>": f"/handoff/{args.n // 2 + 1}",
                "/metrics": "/metrics",
            }
            print(f"spool: {url.split('?')[0] if not args.pg else 'postgresql (schema ' + schema + ')'}")
            print(f"filled {args.n} handoffs in {fill_s:.1f} s: {counts}")
            async with aiohttp.ClientSession() as client:
                for label, path in pages.items():
                    median, worst = await timed(client, base + path, args.runs)
                    print(f"{label:34} median {median:7.1f} ms   worst {worst:7.1f} ms   ({args.runs} requests)")
            await runner.cleanup()
        finally:
            await spool.close()
            if schema:
                import asyncpg

                conn = await asyncpg.connect(args.pg)
                await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
