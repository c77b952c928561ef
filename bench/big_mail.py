"""Big mail (issue 16 goal 4): ten 20 MB mails arriving at once keep the event loop's lag under 100 ms and
the process under 500 MB RSS.

A real `Service` runs in this process (SQLite spool, the worker and its analysis process, [smtp] limits at
their defaults: 25 MiB max_message_size, 256 MiB data_memory_budget), so a probe task in its loop measures
how late a 10 ms sleep wakes (the loop's lag) and a thread samples this process's RSS every 20 ms. The
Dataverse sandbox runs in a process of its own (as the real one is elsewhere), and so does the client,
which sends `--mails` mails of about `--mb` MB at once, one connection each: a forwarded customer mail with
a few attachments of 3 MB (under Dataverse's default 5 MB per note, so each goes to Dynamics), random
bytes so no two mails are alike.

Reports, for the acceptance (first byte to the last 250) and then the drain (until every handoff has an
outcome): the loop's worst and 99th-percentile lag, this process's peak RSS, the analysis process's peak
RSS, and the RSS a few seconds after the work is done.

    .venv/bin/python bench/big_mail.py                  # 10 mails of ~20 MB
    .venv/bin/python bench/big_mail.py --mails 4 --mb 10
"""

from __future__ import annotations

import argparse
import asyncio
import email.policy
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RCPT = "cases@handoff.test"
ATTACHMENT = 3 * 1024 * 1024  # bytes per attachment: base64 of it stays under Dataverse's 5 MB per note


def rss_mb(pid: int | str = "self") -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def big_mail(n: int, megabytes: float) -> bytes:
    """A customer's mail forwarded by support, with attachments adding up to about `megabytes` MB on the wire."""
    msg = EmailMessage()
    msg["From"] = "Sam Agent <sam@acme.example>"
    msg["To"] = RCPT
    msg["Subject"] = f"Fwd: Photos of the broken delivery {n}"
    msg["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    msg["Message-ID"] = f"<big-{n}-{os.urandom(6).hex()}@acme.example>"
    msg.set_content(
        "Please open a case for this customer.\n\n"
        "---------- Forwarded message ---------\n"
        f"From: Customer {n} <customer{n}@example.com>\n"
        "Date: Mon, 23 Nov 2026 08:30:00 +0000\n"
        "Subject: Photos of the broken delivery\n"
        "To: Support <support@acme-support.com>\n\n"
        f"Hello, my order {n} arrived broken; the photos are attached. Please send a replacement.\n"
    )
    count = max(1, round(megabytes * 1024 * 1024 * 3 / 4 / ATTACHMENT))
    for k in range(count):
        msg.add_attachment(os.urandom(ATTACHMENT), maintype="image", subtype="jpeg", filename=f"photo{k + 1}.jpg")
    return msg.as_bytes(policy=email.policy.SMTP)  # CRLF already: what arrives is what was sent


# -- the client, in a process of its own -------------------------------------------------------------
async def send_all(port: int, mails: int, megabytes: float) -> None:
    import aiosmtplib

    bodies = [big_mail(n, megabytes) for n in range(mails)]
    digests = [hashlib.sha256(b).hexdigest() for b in bodies]
    print(json.dumps({"ready": [len(b) for b in bodies], "digests": digests}), flush=True)
    sys.stdin.readline()  # the server side starts its clock, then says go

    async def one(n: int) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=300) as client:
                errors, reply = await client.sendmail("sam@acme.example", [RCPT], bodies[n])
            return {"n": n, "ok": not errors and reply.startswith("2.0.0"), "reply": reply[:60],
                    "seconds": round(time.perf_counter() - started, 2)}  # fmt: skip
        except Exception as exc:
            return {"n": n, "ok": False, "reply": f"{type(exc).__name__}: {exc}"[:120], "seconds": None}

    results = await asyncio.gather(*(one(n) for n in range(mails)))
    print(json.dumps({"results": results}), flush=True)


# -- the server side ---------------------------------------------------------------------------------
class Sampler(threading.Thread):
    """RSS of this process and of the analysis process every 20 ms, from a thread: a loop held up by a
    big copy must not hide the peak it causes."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.child_peak = 0.0
        self.child_pid: int | None = None
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss_mb())
            if self.child_pid:
                self.child_peak = max(self.child_peak, rss_mb(self.child_pid))
            time.sleep(0.02)

    def reset(self) -> None:
        self.peak = rss_mb()
        self.child_peak = rss_mb(self.child_pid) if self.child_pid else 0.0


LAST_TICK: list[float | None] = [None]


async def lag_probe(samples: list[float], stop: asyncio.Event) -> None:
    """How late a 10 ms sleep wakes: what every other task in this loop waits on top of its own work."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.01)
        LAST_TICK[0] = now = time.perf_counter()
        samples.append(now - started - 0.01)
    LAST_TICK[0] = None  # the watchdog looks only while a probe runs


class Watchdog(threading.Thread):
    """--stalls: when the loop has not ticked for 50 ms, what its thread is doing (the innermost frames of
    ours and our libraries'), sampled every 10 ms while the stall lasts; counted per place."""

    def __init__(self, loop_thread: int) -> None:
        super().__init__(daemon=True)
        self.loop_thread = loop_thread
        self.places: dict[str, float] = {}
        self.running = True

    def run(self) -> None:
        import traceback

        while self.running:
            time.sleep(0.01)
            tick = LAST_TICK[0]
            if tick is None or time.perf_counter() - tick < 0.05:
                continue
            frame = sys._current_frames().get(self.loop_thread)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            wanted = [f for f in stack if "/handoff/" in f.filename or "site-packages" in f.filename]
            inner = reversed((wanted or stack)[-4:])
            place = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in inner)
            self.places[place] = self.places.get(place, 0.0) + 0.01

    def report(self) -> None:
        for place, seconds in sorted(self.places.items(), key=lambda kv: -kv[1])[:12]:
            print(f"  stalled {seconds:5.2f} s in {place}")


def lag_figures(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    median = statistics.median(ordered)
    return f"worst {max(ordered) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, median {median * 1000:.1f} ms"


async def serve(args: argparse.Namespace) -> int:
    from handoff.service import Service
    from tests.conftest import settings_for

    with tempfile.TemporaryDirectory() as tmp:
        info = Path(tmp) / "dataverse.json"
        dataverse = subprocess.Popen(  # noqa: ASYNC220  (once, before anything is measured)
            [sys.executable, str(ROOT / "bench/smtp_accept.py"), "--dataverse-info", str(info)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while not info.exists():
                if time.monotonic() > deadline or dataverse.poll() is not None:
                    raise SystemExit("the Dataverse sandbox did not start")
                await asyncio.sleep(0.1)
            d = json.loads(info.read_text())
            sandbox = SimpleNamespace(
                url=d["url"], authority=d["authority"], ca_file=d["ca_bundle"], client_secret=d["client_secret"]
            )
            settings = settings_for(Path(tmp), sandbox)
            settings.dynamics.default_queue_id = d["queue_id"]
            service = Service(settings)
            await service.start()
            if args.accept_only:  # the intake alone: the worker stopped before the first mail
                for task in service._tasks:
                    if task.get_name() == "worker":
                        task.cancel()
                        await asyncio.gather(task, return_exceptions=True)
                service._tasks = [t for t in service._tasks if t.get_name() != "worker"]
            sampler = Sampler()
            sampler.child_pid = getattr(service.worker.analyser, "pid", None)
            sampler.start()
            watchdog = Watchdog(threading.get_ident()) if args.stalls else None
            if watchdog is not None:
                watchdog.start()
            try:
                return await measure(service, sampler, args)
            finally:
                sampler.running = False
                if watchdog is not None:
                    watchdog.running = False
                    print("where the loop stalled (>= 50 ms without a tick):")
                    watchdog.report()
                await service.stop()
        finally:
            dataverse.terminate()
            dataverse.wait(30)


async def measure(service: Any, sampler: Sampler, args: argparse.Namespace) -> int:
    client = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--send",
        str(service.smtp_port),
        "--mails",
        str(args.mails),
        "--mb",
        str(args.mb),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert client.stdin is not None and client.stdout is not None
    ready = json.loads(await client.stdout.readline())
    sizes, digests = ready["ready"], set(ready["digests"])
    idle_lag: list[float] = []
    stop = asyncio.Event()
    probe = asyncio.create_task(lag_probe(idle_lag, stop))
    await asyncio.sleep(5)  # the machine's own noise: the same probe with nothing to do
    stop.set()
    await probe
    rss_before = rss_mb()
    child_before = rss_mb(sampler.child_pid) if sampler.child_pid else 0.0
    sampler.reset()
    stop = asyncio.Event()
    accept_lag: list[float] = []
    probe = asyncio.create_task(lag_probe(accept_lag, stop))
    started = time.perf_counter()
    client.stdin.write(b"go\n")
    await client.stdin.drain()
    results = json.loads(await client.stdout.readline())["results"]
    accepted_in = time.perf_counter() - started
    stop.set()
    await probe
    accept_peak, accept_child = sampler.peak, sampler.child_peak
    await client.wait()

    drain_lag: list[float] = []
    stop = asyncio.Event()
    probe = asyncio.create_task(lag_probe(drain_lag, stop))
    spool = service.parts.spool
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        counts = await spool.counts()
        if args.accept_only:
            break
        if counts["queued"] == 0 and counts["working"] == 0:
            break
        await asyncio.sleep(0.2)
    drained_in = time.perf_counter() - started
    stop.set()
    await probe
    overall_peak, child_peak = sampler.peak, max(accept_child, sampler.child_peak)
    await asyncio.sleep(3)  # the budget's trim runs half a second after the last DATA ends
    rss_after = rss_mb()
    child_after = rss_mb(sampler.child_pid) if sampler.child_pid else 0.0
    stored = [item for item in await spool.latest(limit=args.mails)]
    intact = sum(1 for item in stored if hashlib.sha256(item.raw).hexdigest() in digests)
    ok = sum(1 for r in results if r["ok"])
    print(f"{args.mails} mails of {min(sizes) / 1e6:.1f}-{max(sizes) / 1e6:.1f} MB at once, one connection each")
    print(f"accepted {ok}/{args.mails} in {accepted_in:.1f} s; {intact} stored byte for byte")
    for r in results:
        if not r["ok"]:
            print(f"  mail {r['n']}: {r['reply']}")
    print(f"loop lag idle, 5 s before: {lag_figures(idle_lag)}")
    print(f"loop lag while accepting: {lag_figures(accept_lag)}")
    print(f"loop lag while draining:  {lag_figures(drain_lag)}")
    print(
        f"RSS of this process: {rss_before:.0f} MB before, peak {accept_peak:.0f} MB accepting, "
        f"peak {overall_peak:.0f} MB over all, {rss_after:.0f} MB 3 s after (before the check below reads them)"
    )
    print(
        f"RSS of the analysis process: {child_before:.0f} MB before, peak {child_peak:.0f} MB, "
        f"{child_after:.0f} MB 3 s after"
    )
    print(f"spool {counts}; all done in {drained_in:.1f} s")
    worst = max(accept_lag + drain_lag) if accept_lag or drain_lag else 0.0
    good = ok == args.mails and intact == args.mails and worst < 0.1 and overall_peak < 500
    print("goal (lag < 100 ms, RSS < 500 MB, every mail stored intact):", "met" if good else "NOT met")
    return 0 if good else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=10)
    parser.add_argument("--mb", type=float, default=20.0, help="about this many MB per mail on the wire")
    parser.add_argument("--slow-callbacks", action="store_true", help="log every loop step over 50 ms (asyncio debug)")
    parser.add_argument("--accept-only", action="store_true", help="stop the worker: the intake alone")
    parser.add_argument("--stalls", action="store_true", help="name where the loop stalls (a watchdog thread)")
    parser.add_argument("--send", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.send:
        asyncio.run(send_all(args.send, args.mails, args.mb))
        return 0
    if args.slow_callbacks:
        import logging

        logging.basicConfig(level=logging.WARNING)
        return asyncio.run(_debug(serve(args)), debug=True)
    return asyncio.run(serve(args))


async def _debug(main: Any) -> int:
    asyncio.get_running_loop().slow_callback_duration = 0.05
    return int(await main)


if __name__ == "__main__":
    sys.exit(main())
