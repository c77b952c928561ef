"""Several `handoff serve` instances on one PostgreSQL database, over SMTP, against the Dataverse sandbox.

The suite (tests/test_multi_instance.py) runs these at small sizes, `bench/multi_instance.py` at full
size. Each instance is a real `handoff serve` process with its own config file (own SMTP and HTTP
ports, own `[spool] instance_id`, the same `[spool] url`); the sandbox runs in the calling process.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handoff.spool.postgres import parse_url
from tests.faults import QUEUE_ID, RCPT, Outcome, Sender, _free_port, count_states, mail

FINAL = ("created", "skipped", "parked")
_NUMBER = re.compile(r"my order (\d+) arrived broken")


class Db:
    """One connection of the caller's own to the instances' schema: what an operator would read."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn: Any = None

    async def __aenter__(self) -> Db:
        import asyncpg

        dsn, schema, _ = parse_url(self.url)
        self.conn = await asyncpg.connect(dsn, server_settings={"search_path": schema} if schema else None)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.conn.close()

    async def rows(self, sql: str, *args: Any) -> list[Any]:
        return list(await self.conn.fetch(sql, *args))

    async def value(self, sql: str, *args: Any) -> Any:
        return await self.conn.fetchval(sql, *args)

    async def wait_final(self, ids: Sequence[int], within: float) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            left = await self.value(
                "SELECT count(*) FROM handoffs WHERE id = ANY($1::bigint[]) AND state <> ALL($2::text[])",
                list(ids),
                list(FINAL),
            )
            if left == 0:
                return True
            await asyncio.sleep(0.2)
        return False


@dataclass
class Serve:
    """One `handoff serve` process; `start()` returns once its SMTP port answers."""

    tmp: Path
    name: str
    url: str
    sandbox: Any
    lease_seconds: float = 3.0
    extra: str = ""
    smtp_port: int = field(default_factory=_free_port)
    http_port: int = field(default_factory=_free_port)
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def log(self) -> Path:
        return self.tmp / f"{self.name}.log"

    def config(self) -> Path:
        sandbox = self.sandbox
        path = self.tmp / f"{self.name}.toml"
        path.write_text(
            f"""
[smtp]
port = {self.smtp_port}
recipients = ["{RCPT}"]
[http]
port = {self.http_port}
[spool]
url = "{self.url}"
instance_id = "{self.name}"
lease_seconds = {self.lease_seconds}
retry = {{ base_seconds = 0.05, max_seconds = 0.5 }}
[dynamics]
url = "{sandbox.url}"
authority = "{sandbox.authority}"
ca_bundle = "{sandbox.ca_file}"
client_secret = "{sandbox.client_secret}"
default_queue_id = "{QUEUE_ID}"
max_retries = 1
{self.extra}
[triage]
internal_domains = ["acme.example"]
[moengage]
enabled = true
base_url = "sandbox"
retry = {{ base_seconds = 0.05, max_seconds = 0.5 }}
"""
        )
        return path

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
        with self.log.open("ab") as stderr:
            self.proc = subprocess.Popen(  # noqa: ASYNC220 - returns at once
                [sys.executable, "-m", "handoff.cli", "serve", "--config", str(self.config())],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        self.starts += 1
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", self.smtp_port)
                writer.close()
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{self.name} did not start:\n{self.log.read_text()[-3000:]}")

    async def kill(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        await asyncio.to_thread(self.proc.wait)

    async def stop(self) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.to_thread(proc.wait, 60)
            except subprocess.TimeoutExpired:
                proc.kill()


def alternate(*instances: Serve) -> Any:
    """A port for each new SMTP connection, turn about; a dead instance's turn fails and is resent."""
    ports = itertools.cycle(instances)
    return lambda: next(ports).smtp_port


async def tally(db: Db, scenario: str, accepted: dict[int, int], incidents: list[dict[str, Any]]) -> Outcome:
    """What became of every 250, read from the shared database, and the outbox beside it."""
    found = await db.rows("SELECT id, state, incident_id FROM handoffs")
    rows = {r["id"]: (r["state"], r["incident_id"]) for r in found}
    out = Outcome(scenario, accepted=len(accepted))
    created = count_states(out, rows, accepted)
    # Titles repeat (300 customers, one category), so a mail is recognised by its number in the
    # description's transcript; an incident id is deterministic per mail, so more incidents than ids is a duplicate.
    per_mail = Counter(m.group(1) for i in incidents if (m := _NUMBER.search(str(i.get("description") or ""))))
    out.duplicates = max(len(incidents) - len(created), sum(n - 1 for n in per_mail.values()))
    out.extra["incidents"] = len(incidents)
    out.extra["incidents_recognised"] = sum(per_mail.values())
    # One "Case Created" outbox row per incident, whichever spool row (a mail delivered twice) wrote it.
    events = Counter(r["key"] for r in await db.rows("SELECT key FROM outbox"))
    wanted = {f"case-created:{incident}" for incident in created}
    out.extra["incidents_with_one_event"] = sum(1 for key in wanted if events.get(key) == 1)
    out.extra["events_missing_or_doubled"] = sum(1 for key in wanted if events.get(key) != 1)
    return out


async def kill_one_of_two(tmp: Path, sandbox: Any, url: str, mails: int = 200, sessions: int = 8) -> Outcome:
    """Two instances on one database, mail sent to both in turn; `mx-a` is SIGKILLed mid-burst while it
    holds leases, `mx-b` must take them over once they expire; then `mx-a` is restarted."""
    a = Serve(tmp, "mx-a", url, sandbox)
    b = Serve(tmp, "mx-b", url, sandbox)
    started = time.monotonic()
    # Each Dataverse request takes a while, so an instance always has handoffs in hand when it dies.
    sandbox.latency("*", 0.05)
    await asyncio.gather(a.start(), b.start())
    sender = Sender(alternate(a, b), sessions=sessions)
    numbered = [(n, mail(n, "multi")) for n in range(mails)]
    out: Outcome | None = None
    try:
        async with Db(url) as db:
            sending = asyncio.create_task(sender.send(numbered, retry_until=time.monotonic() + 600))
            held: list[int] = []
            while not sending.done() and len(sender.accepted) < mails * 2 // 5:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # kill it while it holds leases
                if await db.value("SELECT count(*) FROM handoffs WHERE state='working' AND lease_owner='mx-a'"):
                    break
                await asyncio.sleep(0.01)
            await a.kill()
            killed_at = time.monotonic()
            held = [
                r["id"] for r in await db.rows("SELECT id FROM handoffs WHERE state='working' AND lease_owner='mx-a'")
            ]
            # mx-a stays dead for longer than a lease: only mx-b can move what it held.
            taken_over: dict[int, tuple[str, str | None, int]] = {}
            deadline = time.monotonic() + 30 + a.lease_seconds
            while time.monotonic() < deadline and len(taken_over) < len(held):
                for r in await db.rows(
                    "SELECT id, state, lease_owner, attempts FROM handoffs WHERE id = ANY($1::bigint[])", held
                ):
                    if r["state"] in FINAL or r["lease_owner"] == "mx-b":
                        taken_over.setdefault(r["id"], (r["state"], r["lease_owner"], r["attempts"]))
                await asyncio.sleep(0.05)
            takeover_s = time.monotonic() - killed_at
            await a.start()
            unsent = await sending
            done = await db.wait_final(list(sender.accepted.values()), within=120 + mails * 0.2)
            # Each instance mirrors to its own MoEngage emulator; wait until the outbox is drained.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                pending = await db.value("SELECT count(*) FROM outbox WHERE state <> 'sent'")
                if pending == 0:
                    break
                await asyncio.sleep(0.2)
            out = await tally(db, "two instances, one killed", sender.accepted, sandbox.table("incidents"))
            out.extra["all_final"] = done
            out.extra["unsent"] = len(unsent)
            out.extra["refused_while_dead"] = sum(sender.refused.values())
            out.extra["held_by_killed"] = len(held)
            out.extra["taken_over_by_survivor"] = len(taken_over)
            out.extra["takeover_attempts_min"] = min((t[2] for t in taken_over.values()), default=0)
            out.extra["takeover_s"] = round(takeover_s, 1)
            out.extra["outbox_not_sent"] = await db.value("SELECT count(*) FROM outbox WHERE state <> 'sent'")
            out.extra["duplicate_spool_rows"] = len(await db.rows("SELECT id FROM handoffs")) - len(sender.accepted)
    finally:
        sandbox.latency("*", 0)
        await asyncio.gather(a.stop(), b.stop())
    out.seconds = time.monotonic() - started
    return out


async def drain(tmp: Path, sandbox: Any, url: str, instances: int, mails: int) -> dict[str, float]:
    """`mails` handoffs already in the spool, `instances` serve processes idle until one mail each wakes
    them: handoffs taken to a created incident per second, from the wake-up to the last one."""
    from handoff.spool.postgres import PostgresSpool

    budget = "requests_per_window = 1000000\nwindow_seconds = 300"
    serves = [Serve(tmp, f"drain{instances}-{n}", url, sandbox, extra=budget) for n in range(instances)]
    await asyncio.gather(*(s.start() for s in serves))
    try:
        async with PostgresSpool(url) as spool:
            ids = list(
                await asyncio.gather(
                    *(spool.enqueue(mail(n, f"drain{instances}"), "sender@example.net", [RCPT]) for n in range(mails))
                )
            )
        started = time.monotonic()
        wake = Sender(alternate(*serves), sessions=instances)
        await wake.send([(mails + n, mail(mails + n, f"drain{instances}")) for n in range(instances)])
        ids += list(wake.accepted.values())
        async with Db(url) as db:
            done = await db.wait_final(ids, within=60 + mails)
            took = time.monotonic() - started
            created = await db.value(
                "SELECT count(*) FROM handoffs WHERE id = ANY($1::bigint[]) AND state='created'", ids
            )
    finally:
        await asyncio.gather(*(s.stop() for s in serves))
    return {"instances": instances, "mails": len(ids), "created": created, "seconds": took, "done": float(done)}
