"""The SMTP edge under abuse: does good mail keep flowing?

A real `Service` (in this process, against the in-process Dataverse sandbox, as bench/smtp_burst.py)
with the settings of an MX on the internet: accept_from = ["networks", "dkim"], the organisation's
relay at 127.0.0.1 trusted, the [smtp] limits at their defaults. Two other processes talk to it over
loopback, so their own work does not slow the server's loop:

- the probe (127.0.0.1, the trusted relay) sends one mail a second and times each to its 250;
- the attacker holds `--slow` slow clients from 30 addresses (127.0.1.x: a third dribble a command
  line that never ends, one byte every 2 s, a third go silent after the greeting, a third dribble DATA
  one line every 2 s; each connects again when dropped or refused),
  sends `--floods` bursts of `--flood` simultaneous connections from 127.0.0.2, and then
  `--memory-sessions` sessions (127.0.2.x) that each push `--memory-mb` MB of DATA and never end it.

Reports the probe's median and worst latency and refusals, what the attackers got, and this
process's RSS before, at the peak of the DATA memory attack, and after those sessions end.

    .venv/bin/python bench/smtp_abuse.py            # ~2 minutes on 2 cores
    .venv/bin/python bench/smtp_abuse.py --seconds 20 --slow 60 --flood 200 --memory-sessions 6
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RCPT = "cases@handoff.test"


def rss_mb(pid: int | str = "self") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def listen_overflows() -> dict[str, int]:
    """The kernel's count of connections dropped because a listen queue was full (all sockets)."""
    lines = Path("/proc/net/netstat").read_text().splitlines()
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            table = dict(zip(names.split()[1:], map(int, values.split()[1:]), strict=False))
            return {k: table.get(k, 0) for k in ("ListenOverflows", "ListenDrops")}
    return {}


def raise_nofile() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# -- the probe ---------------------------------------------------------------------------------------
def figures(latencies: list[float]) -> dict[str, Any]:
    ordered = sorted(latencies)
    if not ordered:
        return {"accepted": 0}
    return {
        "accepted": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000, 1),
        "worst_ms": round(ordered[-1] * 1000, 1),
    }


async def probe(port: int, seconds: float, split: float) -> dict[str, Any]:
    """One mail a second from the trusted relay; figures for the slow/flood part (before `split`
    seconds) and the DATA memory part (after)."""
    import aiosmtplib

    latencies: list[float] = []
    phases: dict[str, list[float]] = {"slow clients and floods": [], "DATA memory attack": []}
    refused: Counter[str] = Counter()
    n = 0
    started = time.monotonic()

    async def one(n: int) -> None:
        raw = (
            f"From: Customer {n} <probe{n}@example.com>\r\nTo: {RCPT}\r\nSubject: Probe {n}: order arrived broken\r\n"
            f"Message-ID: <probe-{n}-{os.getpid()}@example.com>\r\n\r\nMy order {n} arrived broken.\r\n"
        ).encode()
        t0 = time.monotonic()
        try:
            client = aiosmtplib.SMTP(
                hostname="127.0.0.1", port=port, timeout=30, source_address=("127.0.0.1", 0), start_tls=False
            )
            async with client:
                errors, reply = await client.sendmail("relay@acme.example", [RCPT], raw)
            if errors or not reply.startswith("2.0.0"):
                refused[reply[:30]] += 1
                return
            latencies.append(time.monotonic() - t0)
            phases["slow clients and floods" if t0 - started < split else "DATA memory attack"].append(
                time.monotonic() - t0
            )
        except aiosmtplib.SMTPResponseException as exc:
            refused[f"{exc.code} {exc.message[:40]}"] += 1
        except Exception as exc:
            refused[type(exc).__name__] += 1

    tasks = []
    while time.monotonic() - started < seconds:
        tasks.append(asyncio.create_task(one(n)))
        n += 1
        await asyncio.sleep(max(0.0, started + n - time.monotonic()))
    await asyncio.gather(*tasks)
    return {
        "sent": n,
        "refused": sum(refused.values()),
        "refusals": dict(refused),
        "all": figures(latencies),
        **{name: figures(values) for name, values in phases.items()},
    }


# -- the attacker ------------------------------------------------------------------------------------
class Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.held_seconds: dict[str, list[float]] = {"command": [], "idle": [], "data": []}
        self.flood_ms: list[float] = []


async def _open(port: int, source: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bytes]:
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0)), 15)
    greeting = await asyncio.wait_for(reader.readline(), 15)
    return reader, writer, greeting


async def _say(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, line: bytes) -> bytes:
    writer.write(line + b"\r\n")
    while True:
        reply = await asyncio.wait_for(reader.readline(), 30)
        if not reply or reply[3:4] != b"-":
            return reply


async def slow_client(port: int, kind: str, source: str, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        try:
            reader, writer, greeting = await _open(port, source)
        except (OSError, TimeoutError):
            tally.counts[f"slow {kind}: no connection"] += 1
            await asyncio.sleep(1)
            continue
        if not greeting.startswith(b"220"):
            tally.counts[f"slow {kind}: {greeting[:9].decode(errors='replace').strip()}"] += 1
            writer.close()
            await asyncio.sleep(1)
            continue
        tally.counts[f"slow {kind}: admitted"] += 1
        since = time.monotonic()
        try:
            if kind == "data":
                for line in (b"EHLO slow.example", b"MAIL FROM:<x@slow.example>", f"RCPT TO:<{RCPT}>".encode()):
                    await _say(reader, writer, line)
                if not (await _say(reader, writer, b"DATA")).startswith(b"354"):
                    raise ConnectionError("no DATA")
                n = 0
                while time.monotonic() < until and not reader.at_eof():
                    writer.write(b"X-Slow-%d: one line every two seconds\r\n" % n)
                    n += 1
                    await asyncio.sleep(2)
            elif kind == "command":
                # The classic slowloris: a line that never ends, one byte every two seconds.
                line = b"EHLO " + b"slowloris-" * 100
                for byte in line:
                    if time.monotonic() >= until or reader.at_eof() or reader._buffer.find(b"421") >= 0:  # type: ignore[attr-defined]
                        break
                    writer.write(bytes([byte]))
                    await asyncio.sleep(2)
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(reader.read(), max(0.0, until - time.monotonic()))
            await writer.drain()
        except (OSError, TimeoutError, ConnectionError):
            pass
        if time.monotonic() < until:
            tally.counts[f"slow {kind}: dropped by the server"] += 1
            tally.held_seconds[kind].append(time.monotonic() - since)
        writer.close()


async def flood(port: int, size: int, hold: float, tally: Tally) -> None:
    async def one() -> None:
        t0 = time.monotonic()
        try:
            reader, writer, greeting = await _open(port, "127.0.0.2")
        except (OSError, TimeoutError) as exc:
            tally.counts[f"flood: {type(exc).__name__}"] += 1
            return
        tally.flood_ms.append((time.monotonic() - t0) * 1000)
        tally.counts[f"flood: {greeting[:9].decode(errors='replace').strip() or 'closed'}"] += 1
        if greeting.startswith(b"220"):
            with contextlib.suppress(TimeoutError, OSError):
                await asyncio.wait_for(reader.read(), hold)
        writer.close()

    await asyncio.gather(*(one() for _ in range(size)))


async def memory_session(port: int, n: int, megabytes: int, until: float, tally: Tally) -> None:
    try:
        reader, writer, greeting = await _open(port, f"127.0.2.{n + 1}")
        if not greeting.startswith(b"220"):
            tally.counts[f"memory: {greeting[:9].decode().strip()}"] += 1
            writer.close()
            return
        for line in (b"EHLO big.example", b"MAIL FROM:<x@big.example>", f"RCPT TO:<{RCPT}>".encode()):
            await _say(reader, writer, line)
        reply = await _say(reader, writer, b"DATA")
        tally.counts[f"memory DATA: {reply[:9].decode().strip()}"] += 1
        if reply.startswith(b"354"):
            chunk = (b"Q" * 76 + b"\r\n") * 840  # 65 KiB of base64-looking lines
            for _ in range(megabytes * 1024 * 1024 // len(chunk)):
                writer.write(chunk)
                await writer.drain()
            tally.counts["memory: pushed, never ended"] += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader.read(), max(0.0, until - time.monotonic()))
        writer.close()
    except (OSError, TimeoutError) as exc:
        tally.counts[f"memory: {type(exc).__name__}"] += 1


async def attack(port: int, args: argparse.Namespace) -> dict[str, Any]:
    raise_nofile()
    tally = Tally()
    start = time.monotonic()
    slow_until = start + args.seconds
    kinds = ("command", "idle", "data")
    slow = [
        asyncio.create_task(slow_client(port, kinds[i % 3], f"127.0.1.{i % 30 + 1}", slow_until, tally))
        for i in range(args.slow)
    ]
    await asyncio.sleep(args.seconds * 0.15)
    for wave in range(args.floods):
        await flood(port, args.flood, hold=5, tally=tally)
        await asyncio.sleep(max(0.0, start + args.seconds * (0.15 + 0.25 * (wave + 1)) - time.monotonic()))
    await asyncio.gather(*slow)
    print(json.dumps({"phase": "memory"}), flush=True)  # the parent samples RSS from here
    memory_until = time.monotonic() + args.memory_seconds
    await asyncio.gather(
        *(memory_session(port, n, args.memory_mb, memory_until, tally) for n in range(args.memory_sessions))
    )
    flood_ms = sorted(tally.flood_ms)
    return {
        "counts": dict(sorted(tally.counts.items())),
        "held_seconds_max": {k: round(max(v), 1) for k, v in tally.held_seconds.items() if v},
        "flood_answer_ms": {
            "median": round(statistics.median(flood_ms), 1) if flood_ms else None,
            "worst": round(flood_ms[-1], 1) if flood_ms else None,
        },
    }


# -- the service -------------------------------------------------------------------------------------
async def child(role: str, port: int, args: argparse.Namespace) -> asyncio.subprocess.Process:
    argv = [sys.executable, __file__, "--role", role, "--port", str(port)]
    for key in ("seconds", "slow", "flood", "floods", "memory_sessions", "memory_mb", "memory_seconds", "split"):
        argv += [f"--{key.replace('_', '-')}", str(getattr(args, key))]
    return await asyncio.create_subprocess_exec(*argv, stdout=asyncio.subprocess.PIPE)


async def serve(args: argparse.Namespace) -> int:
    from handoff.sandbox.dataverse import DataverseSandbox
    from handoff.service import Service
    from tests.conftest import QUEUE_ID, settings_for

    smtp = {
        "accept_from": ["networks", "dkim"],
        "trusted_networks": ["127.0.0.1/32"],
        "trusted_forwarder_domains": ["acme.example"],
        "dns_servers": ["127.0.0.1:9"],  # nothing below reaches a key lookup
        "hostname": "mx.handoff.test",
    }
    with tempfile.TemporaryDirectory() as tmp:
        async with DataverseSandbox(seed=1) as sandbox:
            sandbox.add_record("queues", {"queueid": QUEUE_ID, "name": "Support"})
            service = Service(settings_for(Path(tmp), sandbox, smtp=smtp), concurrency=4)
            await service.start()
            try:
                limits = service.settings.smtp
                await asyncio.sleep(2)
                rss_before = rss_mb()
                total = args.seconds + args.memory_seconds + 10
                overflows_before = listen_overflows()
                probe_args = argparse.Namespace(**{**vars(args), "seconds": total, "split": args.seconds})
                prober = await child("probe", service.smtp_port, probe_args)
                attacker = await child("attack", service.smtp_port, args)
                rss_peak, held_peak, sessions_peak = rss_before, 0, 0
                memory_phase = asyncio.create_task(attacker.stdout.readline())  # type: ignore[union-attr]
                memory_started: float | None = None
                rss_memory_start = rss_before
                while attacker.returncode is None:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(attacker.wait(), 0.25)
                    sessions_peak = max(sessions_peak, service.intake.sessions)
                    held_peak = max(held_peak, service.intake.data_bytes_held)
                    if memory_phase.done() and memory_started is None:
                        memory_started = time.monotonic()
                        rss_memory_start = rss_mb()
                    rss_peak = max(rss_peak, rss_mb())
                attack_result = json.loads((await attacker.stdout.read()).decode().strip().splitlines()[-1])  # type: ignore[union-attr]
                await asyncio.sleep(5)  # the memory sessions have closed; give the process a moment
                rss_after = rss_mb()
                probe_out, _ = await prober.communicate()
                probe_result = json.loads(probe_out.decode().strip().splitlines()[-1])
                overflows = {k: v - overflows_before.get(k, 0) for k, v in listen_overflows().items()}
                refusals = {f"{c} {r}": n for (c, r), n in sorted(service.intake.refusals.items())}
                report = {
                    "settings": {
                        k: getattr(limits, k)
                        for k in (
                            "max_connections",
                            "max_connections_per_peer",
                            "command_timeout",
                            "data_timeout",
                            "data_memory_budget",
                            "listen_backlog",
                        )
                    },
                    "probe": probe_result,
                    "attack": attack_result,
                    "server": {
                        "sessions_peak": sessions_peak,
                        "data_bytes_held_peak_mb": round(held_peak / 2**20, 1),
                        "refusals": refusals,
                        "kernel_listen_queue": overflows,  # this machine's counters, during the run
                    },
                    "rss_mb": {
                        "before": round(rss_before, 1),
                        "memory_attack_start": round(rss_memory_start, 1),
                        "peak": round(rss_peak, 1),
                        "after_sessions_end": round(rss_after, 1),
                    },
                }
                print(json.dumps(report, indent=2))
                ok = probe_result["refused"] == 0
                return 0 if ok else 1
            finally:
                await service.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=75, help="how long the slow clients and floods last")
    parser.add_argument("--slow", type=int, default=300)
    parser.add_argument("--flood", type=int, default=1000)
    parser.add_argument("--floods", type=int, default=3)
    parser.add_argument("--memory-sessions", type=int, default=30)
    parser.add_argument("--memory-mb", type=int, default=20)
    parser.add_argument("--memory-seconds", type=float, default=20, help="how long they hold their DATA")
    parser.add_argument("--role", choices=["serve", "probe", "attack"], default="serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--split", type=float, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "probe":
        print(json.dumps(asyncio.run(probe(args.port, args.seconds, args.split))))
        return 0
    if args.role == "attack":
        print(json.dumps(asyncio.run(attack(args.port, args))))
        return 0
    return asyncio.run(serve(args))


if __name__ == "__main__":  # required: the service starts forkserver children, which import this file
    sys.exit(main())
