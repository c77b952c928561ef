"""Several instances on one PostgreSQL database: durability under a kill, acceptance, drain, overheads.

    .venv/bin/python bench/multi_instance.py                  # everything, full size (a few minutes)
    .venv/bin/python bench/multi_instance.py --only accept    # one part: enqueue, accept, budget, kill, drain

- enqueue: 8 KB rows enqueued by 16 concurrent callers straight into the spool: SQLite (writer thread,
  group commit), PostgreSQL with the writer task's group commit, PostgreSQL with one transaction per
  enqueue on the pool, and the same with the server's commit_delay/commit_siblings;
- accept: the same spools behind the SMTP intake, 8 KB mails over 16 concurrent sessions (a 250 is sent
  only once the row is committed);
- budget: what the shared Dataverse request budget costs per request (leases of the window taken from the
  spool, handoff.spool.budget), against the in-process limiter;
- kill: two `handoff serve` processes on one database, mail sent to both in turn, one SIGKILLed mid-burst
  and restarted after the survivor took over its leases; every 250 must have exactly one incident and
  one "Case Created" outbox event;
- drain: handoffs already queued, taken to created incidents per second by 1, 2 and 3 instances.

PostgreSQL: HANDOFF_TEST_PG (default postgresql://postgres@127.0.0.1:5432/test), a fresh schema per part,
dropped after. Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests import multi, pg
from tests.faults import QUEUE_ID, RCPT, Sender, mail

SIZE = 8192
SESSIONS = 16


def big_mail(n: int, tag: str) -> bytes:
    raw = mail(n, tag)
    return raw.replace(b"Please replace it.", b"Please replace it. " + b"x" * max(0, SIZE - len(raw) - 20))


async def spool_for(kind: str, tmp: Path, url: str) -> Any:
    from handoff.spool.postgres import PostgresSpool
    from handoff.spool.sqlite import SqliteSpool

    if kind == "sqlite":
        return SqliteSpool(tmp / f"{time.monotonic_ns()}.db")
    spool = PostgresSpool(url, group_commit=kind == "pg-group")
    if kind == "pg-commit-delay":
        spool.server_settings.update(commit_delay="1000", commit_siblings="2")  # microseconds; superuser only
    return spool


KINDS = ("sqlite", "pg-group", "pg-each", "pg-commit-delay")
DESCRIBE = {
    "sqlite": "SQLite, writer thread, group commit",
    "pg-group": "PostgreSQL, writer task, group commit",
    "pg-each": "PostgreSQL, one transaction per enqueue",
    "pg-commit-delay": "PostgreSQL, one per enqueue, commit_delay=1ms",
}


async def _callers(spool: Any, raws: list[bytes]) -> None:
    for raw in raws:
        await spool.enqueue(raw, "sender@example.net", [RCPT])


async def bench_enqueue(tmp: Path, rows: int) -> None:
    print(f"\n## enqueue: {rows} rows of {SIZE} bytes from {SESSIONS} concurrent callers, each durable")
    for kind in KINDS:
        async with pg.fresh_schema("bench") as url:
            spool = await spool_for(kind, tmp, url)
            await spool.open()
            try:
                raws = [big_mail(n, "enq") for n in range(rows)]
                started = time.perf_counter()
                await asyncio.gather(*(_callers(spool, raws[n::SESSIONS]) for n in range(SESSIONS)))
                took = time.perf_counter() - started
                commits = spool.commits if kind != "pg-each" and kind != "pg-commit-delay" else rows
            finally:
                await spool.close()
        print(f"{DESCRIBE[kind]:<48} {rows / took:7.0f} rows/s  {commits:5d} commits  {took:6.2f} s")


async def bench_accept(tmp: Path, mails: int) -> None:
    from handoff.intake import start_smtp
    from handoff.settings import SmtpSettings

    print(f"\n## accept: {mails} mails of {SIZE} bytes over {SESSIONS} concurrent SMTP sessions (250 = committed)")
    for kind in KINDS:
        async with pg.fresh_schema("bench") as url:
            spool = await spool_for(kind, tmp, url)
            await spool.open()
            try:
                server, _ = await start_smtp(SmtpSettings(host="127.0.0.1", port=0, recipients=[RCPT]), spool)
                port = server.sockets[0].getsockname()[1]
                sender = Sender(lambda port=port: port, sessions=SESSIONS)
                started = time.perf_counter()
                await sender.send([(n, big_mail(n, "acc")) for n in range(mails)])
                took = time.perf_counter() - started
                server.close()
                await server.wait_closed()
                stored = (await spool.counts())["queued"]
            finally:
                await spool.close()
        ok = len(sender.accepted)
        print(f"{DESCRIBE[kind]:<48} {ok / took:7.0f} mails/s  accepted {ok}/{mails}, stored {stored}")


async def bench_budget(requests: int) -> None:
    from handoff.dynamics.limits import Limiter
    from handoff.spool.postgres import PostgresSpool

    print(f"\n## budget: {requests} requests through Limiter.slot() with nothing sent")
    async with pg.fresh_schema("bench") as url, PostgresSpool(url) as spool:
        for label, shared in (("in-process limiter", False), ("shared through PostgreSQL", True)):
            for concurrency in (1, 8):
                limiter = Limiter(1_000_000, 300, 52)
                if shared:
                    limiter.share(spool.request_budget("bench-user", "bench", 60))
                left = [requests]

                async def one(limiter: Limiter = limiter, left: list[int] = left) -> None:
                    while left[0] > 0:
                        left[0] -= 1
                        async with limiter.slot():
                            pass

                started = time.perf_counter()
                await asyncio.gather(*(one() for _ in range(concurrency)))
                took = time.perf_counter() - started
                print(
                    f"{label:<30} {concurrency} at once: {took / requests * 1e6:7.0f} µs per request "
                    f"({requests / took:6.0f} requests/s)"
                )


async def with_sandbox(run: Any) -> Any:
    from handoff.sandbox.dataverse import DataverseSandbox

    async with DataverseSandbox(seed=1) as sandbox:
        sandbox.add_record("queues", {"queueid": QUEUE_ID, "name": "Support"})
        sandbox.set_limits(requests=1_000_000)
        return await run(sandbox)


async def bench_kill(tmp: Path, mails: int) -> bool:
    print(f"\n## kill: two serve processes on one database, {mails} mails to both in turn, one SIGKILLed")
    directory = tmp / "kill"
    directory.mkdir()

    async def run(sandbox: Any) -> Any:
        async with pg.fresh_schema("bench") as url:
            return await multi.kill_one_of_two(directory, sandbox, url, mails=mails)

    out = await with_sandbox(run)
    print(out.line())
    clean = (out.created, out.lost, out.duplicates, out.extra["events_missing_or_doubled"]) == (mails, 0, 0, 0)
    clean = clean and out.extra["taken_over_by_survivor"] == out.extra["held_by_killed"] > 0
    print("clean: every 250 has one incident and one outbox event; the survivor took over" if clean else "NOT CLEAN")
    return clean


async def bench_drain(tmp: Path, mails: int) -> None:
    print(f"\n## drain: {mails} queued handoffs to created incidents (Dataverse sandbox in this process)")
    for instances in (1, 2, 3):
        directory = tmp / f"drain{instances}"
        directory.mkdir()

        async def run(sandbox: Any, instances: int = instances, directory: Path = directory) -> Any:
            async with pg.fresh_schema("bench") as url:
                return await multi.drain(directory, sandbox, url, instances, mails)

        result = await with_sandbox(run)
        print(
            f"{instances} instance(s): {result['created'] / result['seconds']:6.1f} incidents/s "
            f"({int(result['created'])}/{int(result['mails'])} created in {result['seconds']:.1f} s)"
        )


async def main(args: argparse.Namespace) -> int:
    await pg.require_pg()
    print(f"# bench/multi_instance.py on {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}")
    parts = set(args.only or ["enqueue", "accept", "budget", "kill", "drain"])
    clean = True
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if "enqueue" in parts:
            await bench_enqueue(tmp, args.mails)
        if "accept" in parts:
            await bench_accept(tmp, args.mails)
        if "budget" in parts:
            await bench_budget(args.budget_requests)
        if "kill" in parts:
            clean = await bench_kill(tmp, args.mails)
        if "drain" in parts:
            await bench_drain(tmp, args.drain_mails)
    return 0 if clean else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=2000)
    parser.add_argument("--drain-mails", type=int, default=600)
    parser.add_argument("--budget-requests", type=int, default=2000)
    parser.add_argument("--only", action="append", choices=["enqueue", "accept", "budget", "kill", "drain"])
    sys.exit(asyncio.run(main(parser.parse_args())))
