"""How the spool's cost grows (issue 16, goal 5): acceptance and drain with 10k, 100k (and 1M) rows already
in the spool, created rows keeping their raw mail for retention, on SQLite and PostgreSQL.

    .venv/bin/python bench/spool_growth.py                       # 0, 10k and 100k rows, both backends
    .venv/bin/python bench/spool_growth.py --with-1m             # and 1M (prefill takes several minutes)
    .venv/bin/python bench/spool_growth.py --sizes 0,100000 --backends sqlite

For each backend and size, a fresh spool is prefilled straight through SQL with that many handed-off
rows (90 % created, 9 % skipped, 1 % parked, received over the last 30 days, 8 KB raw mail kept, a
summary as the worker writes it, an arrival key each), analysed as autovacuum would, and then:
- enqueue: `--mails` new 8 KB mails by 16 concurrent callers straight into the spool (mails/s);
- smtp: `--smtp-mails` mails over 16 concurrent SMTP sessions, a new connection per mail, into the
  intake on the same spool (250 only once committed; the client runs in this process too);
- drain: those queued rows claimed and marked created by 8 concurrent workers (rows/s);
- the operators' and scrapers' reads, each the median of 5 calls in ms: counts() (/metrics and the
  status page), latest(50), the oldest queued as /metrics asks for it (latest(1, "queued", offset=depth-1)),
  count(search=...) and next_due_in(); and purge_raw(dry_run) (retention's pass).

PostgreSQL: HANDOFF_TEST_PG (default postgresql://postgres@127.0.0.1:5432/test), a fresh schema per run,
dropped after. Loopback only; every loop is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import pg
from tests.faults import RCPT, Sender

SIZE = 8192
SESSIONS = 16
WORKERS = 8
DAY = 86400.0
FILLER = (
    "Hello, I ordered a replacement part three weeks ago and it has still not arrived. The tracking page "
    "says it left the warehouse but nothing has moved since. Could you please check with the courier? "
)


def mail(n: int, tag: str) -> bytes:
    head = (
        f"From: Customer {n} <customer{n}@example.org>\r\nTo: {RCPT}\r\nSubject: Order {n} is late ({tag})\r\n"
        f"Message-ID: <growth-{tag}-{n}@example.org>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\n"
    )
    body = (FILLER * (SIZE // len(FILLER) + 1))[: SIZE - len(head)]
    return (head + body).encode()


def summary(n: int) -> str:
    return json.dumps(
        {
            "message_id": f"<old-{n}@example.org>",
            "subject": f"Order {n} is late",
            "customer": {"email": f"customer{n}@example.org", "name": f"Customer {n}", "found_by": "from"},
            "messages": [{"from_email": f"customer{n}@example.org", "body": FILLER * 3, "internal": False}],
            "classification": {"label": "Delivery", "confidence": 0.8},
            "sentiment": {"label": "negative", "score": -0.4},
            "incident": {"title": f"Order {n} is late", "prioritycode": 2},
        }
    )


def prefill_rows(count: int, start: int, now: float) -> list[tuple[Any, ...]]:
    rows = []
    raw = mail(0, "old")
    for n in range(start, start + count):
        state = "parked" if n % 100 == 0 else ("skipped" if n % 11 == 0 else "created")
        received = now - 30 * DAY * (1 - n / max(1, start + count))
        ticket = f"CAS-{n:07d}" if state == "created" else None
        rows.append(
            (
                received,
                "agent@example.org",
                json.dumps([RCPT]),
                raw,
                state,
                1,
                0.0,
                f"<old-{n}@example.org>",
                "Dataverse 400" if state == "parked" else None,
                str(uuid.UUID(int=n)) if state == "created" else None,
                ticket,
                "auto_reply" if state == "skipped" else None,
                "Auto-Submitted: auto-replied" if state == "skipped" else None,
                summary(n),
                received + 5,
                f"customer{n}@example.org\ncustomer {n}\norder {n} is late\n{(ticket or '').lower()}\n"
                f"<old-{n}@example.org>",
                f"m:{n:064x}:old",
            )
        )
    return rows


COLUMNS = (
    "received_at",
    "mail_from",
    "rcpt_tos",
    "raw",
    "state",
    "attempts",
    "next_attempt_at",
    "message_id",
    "last_error",
    "incident_id",
    "ticket_number",
    "skipped_guard",
    "skipped_reason",
    "summary",
    "updated_at",
    "search_text",
    "dedup_key",
)
CHUNK = 5000


async def prefill(backend: str, url: str, count: int) -> float:
    started = time.monotonic()
    now = time.time()
    if backend == "sqlite":
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            marks = ", ".join("?" for _ in COLUMNS)
            for start in range(0, count, CHUNK):
                rows = prefill_rows(min(CHUNK, count - start), start, now)
                with conn:
                    conn.executemany(f"INSERT INTO handoffs ({', '.join(COLUMNS)}) VALUES ({marks})", rows)
            conn.execute("ANALYZE")
        finally:
            conn.close()
    else:
        import asyncpg

        from handoff.spool.postgres import parse_url

        dsn, schema, _ = parse_url(url)
        conn = await asyncpg.connect(dsn, server_settings={"search_path": schema or "public"})
        try:
            for start in range(0, count, CHUNK):
                rows = prefill_rows(min(CHUNK, count - start), start, now)
                await conn.copy_records_to_table("handoffs", records=rows, columns=COLUMNS, schema_name=schema)
            await conn.execute("VACUUM ANALYZE handoffs")
        finally:
            await conn.close()
    return time.monotonic() - started


async def median_ms(call: Callable[[], Awaitable[Any]], times: int = 5) -> float:
    took = []
    for _ in range(times):
        started = time.perf_counter()
        await call()
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


async def measure(backend: str, url: str, size: int, mails: int, smtp_mails: int) -> dict[str, Any]:
    from handoff.intake import bound_port, start_smtp
    from handoff.settings import SmtpSettings
    from handoff.spool import open_spool

    out: dict[str, Any] = {"backend": backend, "rows": size}
    spool: Any = open_spool(url)
    await spool.open()  # creates the schema
    await spool.close()
    out["prefill_s"] = round(await prefill(backend, url, size), 1)
    spool = open_spool(url)
    await spool.open()
    try:
        # enqueue: 16 callers at once, each waiting for its own commit
        queue = list(range(mails))

        async def caller() -> None:
            while queue:
                n = queue.pop()
                await spool.enqueue(mail(n, f"e{size}"), "agent@example.org", [RCPT])

        started = time.monotonic()
        await asyncio.gather(*(caller() for _ in range(SESSIONS)))
        out["enqueue_per_s"] = round(mails / (time.monotonic() - started))

        # smtp: the intake in front of the same spool
        settings = SmtpSettings(host="127.0.0.1", port=0, recipients=[RCPT], hostname="mx.bench.test")
        server, handler = await start_smtp(settings, spool)
        try:
            port = bound_port(server)
            sender = Sender(lambda: port, sessions=SESSIONS)
            started = time.monotonic()
            unsent = await sender.send([(n, mail(n, f"s{size}")) for n in range(smtp_mails)])
            out["smtp_per_s"] = round((smtp_mails - len(unsent)) / (time.monotonic() - started))
            out["smtp_refused"] = len(unsent)
        finally:
            server.close()
            await handler.close(grace=1)
            await server.wait_closed()

        # reads while the queue is full
        counts = await spool.counts()
        depth = counts["queued"]
        out["counts_ms"] = round(await median_ms(spool.counts), 2)
        out["latest50_ms"] = round(await median_ms(lambda: spool.latest(50)), 2)
        out["oldest_queued_ms"] = round(await median_ms(lambda: spool.latest(1, "queued", offset=depth - 1)), 2)
        out["search_ms"] = round(await median_ms(lambda: spool.count(search="customer42@")), 2)
        out["next_due_ms"] = round(await median_ms(spool.next_due_in), 2)

        # drain: 8 workers claim and mark created
        done = 0

        async def worker() -> None:
            nonlocal done
            while True:
                item = await spool.claim(120, "bench")
                if item is None:
                    return
                await spool.finish_created(
                    item.id, str(uuid.uuid4()), f"CAS-N{item.id}", {"message_id": item.message_id, "subject": "x"}
                )
                done += 1

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(WORKERS)))
        out["drain_per_s"] = round(done / (time.monotonic() - started))
        out["drained"] = done
        out["purge_dry_ms"] = round(
            await median_ms(lambda: spool.purge_raw(time.time() - 30 * DAY, dry_run=True), 3), 1
        )
    finally:
        await spool.close()
    return out


async def run(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.with_1m and 1_000_000 not in sizes:
        sizes.append(1_000_000)
    print(
        f"# {platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {args.mails} enqueues, {args.smtp_mails} SMTP mails"
    )
    for backend in args.backends.split(","):
        for size in sizes:
            if backend == "sqlite":
                with tempfile.TemporaryDirectory(prefix="growth-", dir=args.tmp) as tmp:
                    result = await measure(backend, f"sqlite:///{tmp}/spool.db", size, args.mails, args.smtp_mails)
            else:
                async with pg.fresh_schema("growth") as url:
                    result = await measure(backend, url, size, args.mails, args.smtp_mails)
            print(json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="0,10000,100000", help="rows already in the spool, comma-separated")
    parser.add_argument("--with-1m", action="store_true", help="also 1,000,000 rows (several minutes of prefill)")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--mails", type=int, default=2000, help="enqueue calls per run")
    parser.add_argument("--smtp-mails", type=int, default=1000, help="SMTP mails per run")
    parser.add_argument("--tmp", default=None, help="where the SQLite files go (default: the system's temp)")
    args = parser.parse_args()
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
