"""A burst of N distinct mails over SMTP into a real `Service` backed by the Dataverse sandbox.

Prints the durable acceptance rate (every 250 means the row was committed) and, once the worker has
drained, how many incidents exist and whether any handoff got two. Loopback only; bounded in count.

    .venv/bin/python bench/smtp_burst.py --mails 500 --connections 8
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import tempfile
import time
from pathlib import Path

import aiosmtplib

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from handoff.sandbox.dataverse import DataverseSandbox
from handoff.service import Service
from tests.conftest import QUEUE_ID, settings_for


def mail(n: int) -> bytes:
    return (
        f"From: Customer {n} <customer{n}@example.com>\r\nTo: cases@handoff.test\r\n"
        f"Subject: Order {n} arrived broken\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
        f"Message-ID: <burst-{n}@example.com>\r\n\r\nHello, my order {n} arrived broken. Please replace it.\r\n"
    ).encode()


async def sender(port: int, numbers: list[int], replies: list[tuple[int, int]]) -> None:
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=60) as client:
        for n in numbers:
            errors, response = await client.sendmail("sam@acme.example", ["cases@handoff.test"], mail(n))
            replies.append((n, 250 if not errors and response.startswith("2.0.0") else 0))


async def main(mails: int, connections: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        async with DataverseSandbox(seed=1) as sandbox:
            sandbox.add_record("queues", {"queueid": QUEUE_ID, "name": "Support"})
            service = Service(settings_for(Path(tmp), sandbox), concurrency=8)
            await service.start()
            try:
                replies: list[tuple[int, int]] = []
                chunks = [list(range(i, mails, connections)) for i in range(connections)]
                started = time.perf_counter()
                await asyncio.gather(*(sender(service.smtp_port, c, replies) for c in chunks))
                accepted_in = time.perf_counter() - started
                ok = sum(1 for _, code in replies if code == 250)
                commits = getattr(service.parts.spool, "commits", None)
                print(
                    f"accepted {ok}/{mails} over {connections} connections in {accepted_in:.2f}s "
                    f"= {ok / accepted_in:.0f} mails/s durable ({commits} spool commits in all)"
                )
                deadline = time.monotonic() + 600
                while time.monotonic() < deadline:
                    counts = await service.parts.spool.counts()
                    if counts["queued"] == 0 and counts["working"] == 0:
                        break
                    await asyncio.sleep(0.2)
                drained_in = time.perf_counter() - started
                incidents = sandbox.table("incidents")
                per_title = collections.Counter(i["title"] for i in incidents)
                dupes = sum(c - 1 for c in per_title.values() if c > 1)
                print(
                    f"spool states {counts}; {len(incidents)} incidents, {dupes} duplicated; "
                    f"all done in {drained_in:.1f}s = {mails / drained_in:.0f} handoffs/s end to end"
                )
                return 0 if ok == mails and len(incidents) == mails and dupes == 0 else 1
            finally:
                await service.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=500)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.mails, args.connections)))
