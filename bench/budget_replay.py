"""A 10,000-mail `handoff replay` against the Dataverse sandbox at scaled service protection limits.

Issue 16 goal 3 (last part): the replay must finish within 5% of the time Dataverse's execution-time
budget allows. With T the total execution time the replay's requests took on the server (the sandbox
counts each request's time, a `$batch` once as a whole; dataverse.md, "Service protection") and a budget
of B seconds of execution per W-second window, the budget allows T * W / B seconds.

The limits are Dataverse's scaled by `--scale` with the same ratios (default 2: 3,000 requests and 600 s
of execution per 150 s window, 52 concurrent), and so is the sandbox's latency (default: a $batch 250 ms
+ 200 ms per operation at full scale, 125 + 100 ms here; creates take ~100 ms and more per operation on
Dataverse), so the work per window is the same as at full scale. Keep Dataverse the bottleneck: the
budget then allows some 7 handoffs/s, which the analysis outruns even on a loaded machine; a larger
scale asks the analysis for 5x as many per second, and the sandbox (one Python process executing the
batches one after another) grows slow under many requests at once, which real Dataverse does not.
The sandbox runs in its own process (so its clock is not the replay's event loop), `handoff replay`
in another, as an operator runs it, on a folder of .eml files built from samples/ (the same mails as
bench/dynamics_replay.py); the analysis runs without embeddings (its cost is not the question here).

    .venv/bin/python bench/budget_replay.py [--mails 10000] [--customers 3000] [--scale 2] [--per-operation 0.2]
        [--source DIR]   # DIR: another tree's code, e.g. `git archive <commit> | tar -x -C DIR`, for "before"
        [--instances 3 --pg [URL]]   # 3 replay processes at once on one PostgreSQL schema: one shared budget

Prints: the limits, T, the budget-allowed time, the Dataverse span (first request's arrival to the last
response) and the replay process's wall time, their ratios to the allowed time, where the span lost its
time against the allowed one (`span lost`, below), requests, 429s by
limit, contact races (change sets sent again because another handoff created the contact first, per
instance) and stale contacts met, the most execution in any window, peak requests in flight, incidents,
duplicates and the replay's closing tally. Exit 0 when every mail was created once, no 429 went unhandled
(nothing failed or stayed queued) and the span is within 5% of the allowed time.

`span lost`: span - allowed is the integral over the span of 1 - executing(t) / (B / W) (the budget keeps
B / W requests executing at once on average: 4 for Dataverse), so it splits exactly by part of the span:
its first 10 s (start-up), the rest of the first window, the full windows after it (the budget's own
pacing), and the last 10 s (the backlog's end); a part can be negative (more than B / W at once).
`--losses RUN.json` prints the figures again from a `--dump` of an earlier run.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dynamics_replay import plan  # noqa: E402
from tests.test_dynamics_budget import window_peak  # noqa: E402  (the test counts the window the same way)

# Dataverse's own (dataverse.md, "Service protection"): per user, per 300 s sliding window.
REQUESTS, WINDOW, EXECUTION, CONCURRENT = 6000, 300.0, 1200.0, 52
TIMEOUT = 30.0  # [dynamics] timeout_seconds' default
QUEUE_ID = "5f0c0b52-0000-4000-8000-00000000a001"


# ------------------------------------------------------------------------------ the sandbox process


async def serve_sandbox(config: dict[str, Any]) -> None:
    """Child: the sandbox with the given limits and latency; prints where it listens, then on each
    "report" line on stdin prints what it saw; stops at end of input."""
    from handoff.sandbox.dataverse import DataverseSandbox

    async with DataverseSandbox(seed=1) as sandbox:
        sandbox.add_record("queues", {"queueid": QUEUE_ID, "name": "Support"})
        sandbox.set_limits(
            requests=config["requests"],
            window_seconds=config["window"],
            concurrent=config["concurrent"],
            execution_ms=config["execution"] * 1000,
        )
        sandbox.latency("POST $batch", config["batch_latency"], per_operation=config["per_operation"])
        sandbox.latency("GET contacts", config["get_latency"])
        print(
            json.dumps(
                {
                    "url": sandbox.url,
                    "authority": sandbox.authority,
                    "ca_file": sandbox.ca_file,
                    "client_secret": sandbox.client_secret,
                }
            ),
            flush=True,
        )
        loop = asyncio.get_running_loop()
        while True:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            if not line:
                return
            incidents = sandbox.table("incidents")
            refs = collections.Counter(
                m.group(0) for i in incidents if (m := re.search(r"R-\d{6}", i.get("description") or ""))
            )
            report = {
                "requests": [
                    {k: r.get(k) for k in ("route", "status", "at", "execution_ms", "code")} for r in sandbox.requests
                ],
                "incidents": len(incidents),
                "duplicates": sum(c - 1 for c in refs.values() if c > 1),
                "peak_in_flight": sandbox.peak_in_flight,
                "cpu": (lambda u: u.ru_utime + u.ru_stime)(resource.getrusage(resource.RUSAGE_SELF)),
            }
            print(json.dumps(report), flush=True)


# ------------------------------------------------------------------------------ where the span went

START, END = 10.0, 10.0  # the span's first and last seconds, counted apart from the rest


def span_losses(admitted: list[dict[str, Any]], window: float, execution: float) -> dict[str, float]:
    """span - allowed by part of the span: the integral of 1 - executing(t) / (execution / window) over
    each part, exact (each request executes from its arrival `at` for `execution_ms`). The parts: 0-10 s,
    the rest of the first window, the full windows up to the last 10 s, the last 10 s (each clipped to
    the span)."""
    rate = execution / window  # requests executing at once that the budget sustains
    runs = [(r["at"], r["at"] + r["execution_ms"] / 1000) for r in admitted]
    first = min(a for a, _ in runs)
    last = max(b for _, b in runs)
    # A short span: the first 10 s first, then the last 10 s, the windows between them.
    start_end = min(first + START, last)
    end_start = max(start_end, last - END)
    window_end = min(max(first + window, start_end), end_start)
    cuts = [first, start_end, window_end, end_start, last]
    parts = {}
    names = ("0-10 s", f"10-{window:g} s", "full windows", "last 10 s")
    for name, a, b in zip(names, cuts, cuts[1:], strict=False):
        busy = sum(max(0.0, min(end, b) - max(start, a)) for start, end in runs)
        parts[name] = (b - a) - busy / rate
    return parts


def losses_line(parts: dict[str, float]) -> str:
    return " / ".join(f"{name} {value:.2f}" for name, value in parts.items()) + f" = {sum(parts.values()):.2f} s"


def read_losses(path: str) -> int:
    """`--losses RUN.json`: span, allowed and the span lost by part, from a `--dump`."""
    dump = json.loads(Path(path).read_text())
    config = dump.get("config") or {"window": WINDOW / 2, "execution": EXECUTION / 2}  # dumps before: scale 2
    admitted = [
        r
        for r in dump["report"]["requests"]
        if r["route"] != "GET EntityDefinitions" and r.get("execution_ms") is not None
    ]
    executed = sum(r["execution_ms"] for r in admitted) / 1000
    allowed = executed * config["window"] / config["execution"]
    span = max(r["at"] + r["execution_ms"] / 1000 for r in admitted) - min(r["at"] for r in admitted)
    print(f"{path}: {len(admitted)} requests, T {executed:.1f} s, allowed {allowed:.1f} s, span {span:.1f} s")
    print(f"Dataverse span      {span / allowed:.3f} x allowed")
    print(f"span lost           {losses_line(span_losses(admitted, config['window'], config['execution']))}")
    return 0


# ------------------------------------------------------------------------------ the run


async def _drop_schema(url: str, schema: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url, timeout=10)
    try:
        await conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    finally:
        await conn.close()


def main(args: argparse.Namespace) -> int:
    scale = args.scale
    config = {
        "requests": round(REQUESTS / scale),
        "window": WINDOW / scale,
        "execution": EXECUTION / scale,
        "concurrent": CONCURRENT,
        # Dataverse: some 100 ms per operation of a create, a lookup GET ~80 ms; scaled like the window.
        "batch_latency": args.batch_latency / scale,
        "per_operation": args.per_operation / scale,
        "get_latency": args.get_latency / scale,
        "timeout": TIMEOUT / scale,
        "profile": args.sandbox_profile,
    }
    instances = max(1, args.instances)
    schema = f"budget_{uuid.uuid4().hex[:12]}" if args.pg else None
    with tempfile.TemporaryDirectory(prefix="budget-replay-") as tmp:
        work = Path(tmp)
        # One folder per instance, the mails dealt in turn (each instance replays its own share).
        boxes = [work / f"box{k}" for k in range(instances)]
        for box in boxes:
            box.mkdir()
        for n, _customer, raw in plan(args.mails, args.customers, args.seed):
            (boxes[n % instances] / f"{n:06d}.eml").write_bytes(raw)
        child = subprocess.Popen(
            [sys.executable, __file__, "--sandbox-child", json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert child.stdin is not None and child.stdout is not None
            where = json.loads(child.stdout.readline())
            spool_url = f"{args.pg}{'&' if '?' in args.pg else '?'}schema={schema}" if args.pg else None
            settings = (
                f'[spool]\nurl = "{spool_url or f"sqlite:///{work}/handoff.db"}"\n'
                + (f"concurrency = {args.concurrency}\n" if args.concurrency else "")
                + '[smtp]\nrecipients = ["cases@handoff.test"]\n'
                '[triage]\ninternal_domains = ["acme-support.com", "acme.example", "handoff.test"]\n'
                "use_embeddings = false\n"
                "[dynamics]\n"
                f'url = "{where["url"]}"\nauthority = "{where["authority"]}"\n'
                f'ca_bundle = "{where["ca_file"]}"\nclient_secret = "{where["client_secret"]}"\n'
                f'default_queue_id = "{QUEUE_ID}"\n'
                f"requests_per_window = {config['requests']}\nwindow_seconds = {config['window']}\n"
                f"max_concurrent = {config['concurrent']}\n"
                # Scaled too: the client keeps a change set request to a third of its timeout, a thirtieth
                # of Dataverse's window at full scale (30 s, 300 s); unscaled, a scale-10 request would be
                # a third of the window, and a window's sum would jump by a request's whole time.
                f"timeout_seconds = {config['timeout']}\n"
                # An older tree (--source) knows no execution budget setting.
                + ("" if args.source else f"execution_seconds_per_window = {config['execution']}\n")
                + "".join(f"{line}\n" for line in args.dynamics)
            )
            (work / "handoff.toml").write_text(settings)
            env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
            # This checkout's code, or another's (e.g. `git archive` of the commit before), in this venv;
            # PYTHONPATH rather than the venv's `handoff` script, which imports whichever tree it was
            # installed from (a worktree has no venv of its own).
            command = [sys.executable, "-m", "handoff.cli"]
            env["PYTHONPATH"] = str(Path(args.source).resolve() if args.source else ROOT)
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            # Several instances: one `handoff replay` process each, all at once, on one spool (with --pg, one
            # PostgreSQL schema: they share the application user's budget through it, as serve instances do).
            # Their output goes to files: a pipe read only after the first exits would fill and stop the others.
            logs = [(work / f"replay{k}.out", work / f"replay{k}.err") for k in range(instances)]
            procs = []
            for box, (out_path, err_path) in zip(boxes, logs, strict=True):
                with out_path.open("w") as out, err_path.open("w") as err:
                    procs.append(
                        subprocess.Popen(
                            [*command, "replay", str(box), "--config", str(work / "handoff.toml")],
                            stdout=out,
                            stderr=err,
                            env=env,
                            cwd=work,  # not this checkout: `python -m` would import its handoff before --source's
                        )
                    )
            for proc in procs:
                proc.wait()
            wall = time.perf_counter() - started
            runs = [
                subprocess.CompletedProcess(proc.args, proc.returncode, out_path.read_text(), err_path.read_text())
                for proc, (out_path, err_path) in zip(procs, logs, strict=True)
            ]
            done = next((r for r in runs if r.returncode != 0), runs[0])
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            child.stdin.write("report\n")
            child.stdin.flush()
            report = json.loads(child.stdout.readline())
        finally:
            if child.stdin is not None:
                child.stdin.close()
            child.wait(30)
    if args.dump:
        # Every instance's log, not only the first's: where a several-instance run's time went is in all of them.
        Path(args.dump).write_text(
            json.dumps(
                {
                    "config": config,
                    "report": report,
                    "stderr": done.stderr[-200000:],
                    "stderrs": [r.stderr[-200000:] for r in runs],
                }
            )
        )
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    tallies = [(r.stdout.strip().splitlines() or ["(no output)"])[-1] for r in runs]
    tally = tallies[0] if len(tallies) == 1 else " | ".join(tallies)
    # With several instances on one spool each works the shared queue, so a process's tally is not its own
    # mails': the goal counts failures in every tally and incidents in the sandbox.
    created_total = sum(int(m.group(1)) for t in tallies if (m := re.search(r"(\d+) created", t)))
    failed = sum(int(m.group(1)) for t in tallies for m in re.finditer(r"(\d+) (?:parked|failed)", t))
    if schema:
        asyncio.run(_drop_schema(args.pg, schema))
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
    requests = [r for r in report["requests"] if r["route"] != "GET EntityDefinitions"]
    admitted = [r for r in requests if r.get("execution_ms") is not None]
    executed = sum(r["execution_ms"] for r in admitted) / 1000
    allowed = executed * config["window"] / config["execution"]
    first = min(r["at"] for r in admitted)
    last = max(r["at"] + r["execution_ms"] / 1000 for r in admitted)
    span = last - first
    by_route = collections.Counter(r["route"] for r in requests)
    statuses = collections.Counter(r["status"] for r in requests)
    refused = statuses.get(429, 0)
    peak = window_peak(admitted, config["window"])
    print(
        f"limits (Dataverse / {scale:g}): {config['requests']} requests, {config['execution']:g} s execution per "
        f"{config['window']:g} s window, {config['concurrent']} concurrent; sandbox $batch "
        f"{config['batch_latency'] * 1000:g} ms + {config['per_operation'] * 1000:g} ms/operation, "
        f"contact GET {config['get_latency'] * 1000:g} ms"
    )
    print(f"mails               {args.mails} from {args.customers} customers")
    print(
        f"instances           {instances} `handoff replay` process(es) on "
        + (f"one PostgreSQL schema ({args.pg})" if args.pg else "a SQLite spool")
    )
    print(f"replay              exit {done.returncode}; {tally}")
    print(f"incidents           {report['incidents']}, duplicates {report['duplicates']}")
    print(f"requests            {len(requests)} {dict(by_route.most_common())}")
    print(f"statuses            {dict(sorted(statuses.items()))}")
    codes = collections.Counter(r.get("code") for r in requests if r["status"] == 429)
    print(f"429s                {refused} {dict(codes)}")
    # A handoff whose set met 412 on its contact (another handoff created it first) sends the set again
    # without it: its execution spent twice (handoff.dynamics.incidents logs each at INFO).
    races = [r.stderr.count("exists now; sending the set without it") for r in runs]
    stale = sum(r.stderr.count("is gone; looking up again") for r in runs)
    print(f"contact races       {sum(races)} change sets sent again without the contact {races}; {stale} stale")
    print(f"execution T         {executed:.1f} s (server side, summed over requests)")
    print(f"budget allows       {allowed:.1f} s (T * {config['window']:g} / {config['execution']:g})")
    print(f"Dataverse span      {span:.1f} s = {span / allowed:.3f} x allowed (first request to last response)")
    print(f"span lost           {losses_line(span_losses(admitted, config['window'], config['execution']))}")
    print(f"replay wall time    {wall:.1f} s = {wall / allowed:.3f} x allowed (process start to exit)")
    print(
        f"window execution    at most {peak:.1f} s in any {config['window']:g} s "
        f"({peak / config['execution']:.2f} x budget); peak {report['peak_in_flight']} requests in flight"
    )
    print(f"replay CPU          {cpu:.1f} s (user+system of the replay process and its analysis child)")
    print(f"sandbox CPU         {report['cpu']:.1f} s (its own process: executing what the replay sent)")
    ok = (
        all(r.returncode == 0 for r in runs)
        and failed == 0
        and (created_total == args.mails or instances > 1)
        and report["incidents"] == args.mails
        and report["duplicates"] == 0
        and span <= 1.05 * allowed
    )
    print(f"goal (all created once, 0 failed, span <= 1.05 x allowed): {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--sandbox-child":
        child_config = json.loads(sys.argv[2])
        if child_config.get("profile"):  # --sandbox-profile: where the sandbox's own CPU goes
            import cProfile

            with cProfile.Profile() as profile:
                asyncio.run(serve_sandbox(child_config))
            profile.dump_stats(child_config["profile"])
        else:
            asyncio.run(serve_sandbox(child_config))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mails", type=int, default=10000)
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--scale", type=float, default=2.0, help="limits and latency are Dataverse's / this")
    parser.add_argument("--batch-latency", type=float, default=0.25, help="$batch at full scale, s (per request)")
    parser.add_argument("--per-operation", type=float, default=0.2, help="$batch per operation at full scale, s")
    parser.add_argument("--get-latency", type=float, default=0.08, help="contact GET at full scale, s")
    parser.add_argument("--concurrency", type=int, default=0, help="[spool] concurrency (default: the setting's)")
    parser.add_argument(
        "--dynamics", action="append", default=[], metavar="KEY=VALUE", help="an extra [dynamics] line (TOML)"
    )
    parser.add_argument("--instances", type=int, default=1, help="`handoff replay` processes at once, one spool")
    parser.add_argument(
        "--pg",
        nargs="?",
        const="postgresql://postgres@127.0.0.1:5432/test",
        help="a PostgreSQL spool (a fresh schema of this URL, dropped after) instead of SQLite",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", help="run `handoff replay` from this source tree (before/after comparisons)")
    parser.add_argument("--sandbox-profile", help="write cProfile stats of the sandbox process to this file")
    parser.add_argument("--dump", help="write the sandbox's request log and replay's stderr to this JSON file")
    parser.add_argument("--losses", metavar="RUN.json", help="only print span and span lost of a --dump again")
    parsed = parser.parse_args()
    sys.exit(read_losses(parsed.losses) if parsed.losses else main(parsed))
