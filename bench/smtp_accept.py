"""SMTP acceptance: `handoff serve` against Postfix and a bare aiosmtpd sink, driven by Postfix's `smtp-source`.

Issue 16 goal 1: handoff >= 1.0x Postfix and >= 0.9x the bare sink in the same run, durable before 250, with
its worker draining at the same time, and no drop across rounds as the spool grows.

In one run the three servers take turns, round after round: 8 KB mails, 16 sessions, a new connection per
mail (smtp-source's default; `-d` would reuse them), `--mails` per server per round. Prints msgs/s per
server per round and the ratios.

- handoff: `handoff serve` as an operator runs it (its own process, a TOML config, SQLite spool with
  synchronous=FULL, the worker and the analysis process running), Dataverse being the sandbox in a process
  of its own (the real one is elsewhere too); loopback is its trusted relay (accept_from = ["networks"]).
- Postfix: a private instance (its own config and queue directories under a temporary directory) on a spare
  loopback port, `inet_interfaces = loopback-only`, no local delivery, every mail to the discard transport;
  its cleanup fsyncs each queue file before smtpd answers 250. Stopped at the end; the system's Postfix (port
  25) is never started. Debian's postfix package is installed when smtp-source is missing.
- sink: aiosmtpd's SMTP with a handler that answers 250 and keeps nothing, in its own process.

    .venv/bin/python bench/smtp_accept.py                      # 3,000 mails x 3 rounds, all three servers
    .venv/bin/python bench/smtp_accept.py --mails 1000 --rounds 1 --only handoff
    .venv/bin/python bench/smtp_accept.py --env HANDOFF_SMTP__EVENT_LOOP=uvloop   # serve on uvloop
    .venv/bin/python bench/smtp_accept.py --only handoff --py-spy /path/to/py-spy --keep  # profiles per round

Besides msgs/s, each round prints the server's CPU per mail (all its threads; "loop": the event loop's own
thread, the rest being the spool's writer and to_thread work), and each handoff round the cases created during
it (+N) and the CPU the analysis process and the Dataverse sandbox took (share of one core while the round
ran): what competes with the door for the same cores. `--drain SECONDS` then measures the worker alone (SMTP
idle): serve's CPU per case created, the worker's share of a round being about that times its +N.

    .venv/bin/python bench/smtp_accept.py --only handoff --rounds 1 --drain 15
    .venv/bin/python bench/smtp_accept.py --only handoff --env HANDOFF_DYNAMICS__URL=https://127.0.0.1:9/
        # Dataverse unreachable: the worker waits behind its breaker, the door's own cost alone
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FROM = "customer@example.com"  # a customer, so each mail becomes a case: the worker does the whole path
TO = "cases@handoff.localhost"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, all its threads, so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_cpu(pid: int) -> dict[int, float]:
    """User + system CPU of each thread of a process so far; the main thread (the event loop) is `pid`."""
    out = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            fields = (task / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        out[int(task.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def descendants(pid: int) -> list[int]:
    """Every live process below `pid` (handoff serve's forkserver and its analysis child)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue  # gone meanwhile
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tree_cpu(pids: list[int]) -> dict[int, float]:
    out = {}
    for pid in pids:
        try:
            out[pid] = cpu_seconds(pid)
        except (OSError, ValueError, IndexError):
            continue
    return out


def wait_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


# -- smtp-source ------------------------------------------------------------------------------------
def ensure_smtp_source() -> str:
    found = shutil.which("smtp-source") or ("/usr/sbin/smtp-source" if Path("/usr/sbin/smtp-source").exists() else None)
    if found:
        return found
    print("smtp-source missing: installing Debian's postfix package (its service is not started)", flush=True)
    # "No configuration": the package writes no main.cf, so the system instance has nothing to run on
    # port 25; and nothing here starts it (the private instance below has its own directories).
    subprocess.run(
        ["debconf-set-selections"], input=b"postfix postfix/main_mailer_type select No configuration\n", check=True
    )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "install", "-y", "-q", "postfix"], check=True, env=env, stdout=subprocess.DEVNULL)
    found = shutil.which("smtp-source") or "/usr/sbin/smtp-source"
    if not Path(found).exists():
        raise SystemExit("smtp-source not found after installing postfix")
    # Belt and braces: if the package's scripts started the system instance anyway, stop it.
    subprocess.run(["postfix", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return found


def smtp_source(binary: str, port: int, mails: int, sessions: int, size: int) -> float:
    """Seconds smtp-source took to send `mails` (each a new connection); raises when it failed."""
    started = time.perf_counter()
    done = subprocess.run(
        [binary, "-l", str(size), "-m", str(mails), "-s", str(sessions), "-f", FROM, "-t", TO, f"127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    took = time.perf_counter() - started
    if done.returncode != 0 or done.stderr.strip():
        raise RuntimeError(f"smtp-source against port {port} failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return took


# -- Postfix ----------------------------------------------------------------------------------------
MASTER_CF = """\
127.0.0.1:{port} inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n -  0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n -  - trivial-rewrite
bounce    unix  - - n -  0 bounce
defer     unix  - - n -  0 bounce
trace     unix  - - n -  0 bounce
verify    unix  - - n -  1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -  - proxymap
showq     unix  n - n -  - showq
error     unix  - - n -  - error
retry     unix  - - n -  - error
discard   unix  - - n -  - discard
anvil     unix  - - n -  1 anvil
scache    unix  - - n -  1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


class Postfix:
    """A private Postfix instance: nothing of /etc/postfix or the system queue is used or changed."""

    def __init__(self, base: Path, port: int) -> None:
        self.base = base
        self.port = port
        self.conf = base / "conf"

    def start(self) -> None:
        queue, data = self.base / "queue", self.base / "data"
        for d in (self.conf, queue, data):
            d.mkdir(parents=True, exist_ok=True)
        shutil.chown(data, "postfix", "postfix")
        (self.conf / "main.cf").write_text(
            "\n".join(
                [
                    "compatibility_level = 3.6",
                    f"queue_directory = {queue}",
                    f"data_directory = {data}",
                    "mail_owner = postfix",
                    "setgid_group = postdrop",
                    "inet_interfaces = loopback-only",
                    "inet_protocols = ipv4",
                    "myhostname = bench.localhost",
                    "mydestination =",  # nothing is local: no local delivery
                    "local_transport = error:local delivery is disabled",
                    "default_transport = discard:benchmark",
                    "relay_transport = discard:benchmark",
                    "mynetworks = 127.0.0.0/8",
                    "smtpd_relay_restrictions = permit_mynetworks, reject",
                    "alias_maps =",
                    "alias_database =",
                    "biff = no",
                    f"maillog_file = {self.base / 'maillog'}",
                    "maillog_file_prefixes = /var, /dev/stdout, /tmp",
                    "default_process_limit = 100",
                    "",
                ]
            )
        )
        (self.conf / "master.cf").write_text(MASTER_CF.format(port=self.port))
        subprocess.run(["postfix", "-c", str(self.conf), "start"], check=True, capture_output=True)
        wait_port(self.port)

    def stop(self) -> None:
        subprocess.run(["postfix", "-c", str(self.conf), "stop"], check=False, capture_output=True)
        # master exits a moment after "stop"; its children with it.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.2)

    def discarded(self) -> int:
        log = self.base / "maillog"
        if not log.exists():
            return 0
        return sum(1 for line in log.read_text(errors="replace").splitlines() if "status=sent (benchmark)" in line)


# -- the bare sink and the Dataverse sandbox, each in a process of its own ----------------------------
async def run_sink(port: int) -> None:
    from aiosmtpd.smtp import SMTP

    class Sink:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            return "250 2.0.0 OK"

    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(Sink(), hostname="sink.localhost", decode_data=False), "127.0.0.1", port, backlog=1024
    )
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    server.close()


async def run_dataverse(info: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from handoff.sandbox.dataverse import DataverseSandbox

    queue_id = "5b7e7a3e-6d3c-4f1a-9d2e-000000000001"
    async with DataverseSandbox(store_path=info.parent / "sandbox-dataverse.db") as sandbox:
        sandbox.add_record("queues", {"queueid": queue_id, "name": "Support"})
        details = {
            "url": sandbox.url,
            "authority": sandbox.authority,
            "ca_bundle": sandbox.ca_file,
            "client_secret": sandbox.client_secret,
            "queue_id": queue_id,
        }
        info.with_suffix(".tmp").write_text(json.dumps(details))
        info.with_suffix(".tmp").rename(info)
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()


def spawn(args: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, env=env)


def end(process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- handoff serve ----------------------------------------------------------------------------------
class Handoff:
    def __init__(self, base: Path, port: int, dataverse: dict[str, str], extra: dict[str, str]) -> None:
        self.base = base
        self.port = port
        self.db = base / "handoff.db"
        self.config = base / "handoff.toml"
        http = free_port()
        self.config.write_text(
            f"""[smtp]
host = "127.0.0.1"
port = {port}
hostname = "handoff.localhost"
recipients = ["{TO}"]
accept_from = ["networks"]
trusted_networks = ["127.0.0.0/8"]

[http]
host = "127.0.0.1"
port = {http}

[spool]
url = "sqlite:///{self.db}"

[dynamics]
url = "{dataverse["url"]}"
authority = "{dataverse["authority"]}"
ca_bundle = "{dataverse["ca_bundle"]}"
client_secret = "{dataverse["client_secret"]}"
default_queue_id = "{dataverse["queue_id"]}"

[triage]
internal_domains = ["acme.example", "handoff.localhost"]

[guards]
loop_max = 1000000  # smtp-source sends every mail from one sender with one subject: not a reply storm here
"""
        )
        self.extra = extra
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, **self.extra}
        command = [str(Path(PYTHON).parent / "handoff"), "serve", "--config", str(self.config)]
        self.process = spawn(command, self.base / "serve.log", env)
        wait_port(self.port, 120)

    def stop(self) -> None:
        if self.process is not None:
            end(self.process)

    def states(self) -> dict[str, int]:
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30) as conn:
            return dict(conn.execute("SELECT state, COUNT(*) FROM handoffs GROUP BY state").fetchall())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mails", type=int, default=3000, help="per server per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=16)
    parser.add_argument("--size", type=int, default=8192, help="bytes per mail")
    parser.add_argument("--only", action="append", choices=["handoff", "postfix", "sink"], help="repeatable")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for handoff serve (settings)")
    parser.add_argument("--drain", type=float, default=0, help="then SECONDS of draining alone: worker CPU per case")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (logs, spool)")
    parser.add_argument("--py-spy", help="py-spy binary: profile handoff serve in each round (collapsed stacks kept)")
    parser.add_argument("--py-spy-rate", type=int, default=50, help="py-spy samples per second (50)")
    parser.add_argument("--sink-port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--dataverse-info", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink_port:
        asyncio.run(run_sink(args.sink_port))
        return 0
    if args.dataverse_info:
        asyncio.run(run_dataverse(args.dataverse_info))
        return 0

    servers = args.only or ["handoff", "postfix", "sink"]
    binary = ensure_smtp_source()
    base = Path(tempfile.mkdtemp(prefix="smtp-accept-"))
    base.chmod(0o755)  # Postfix's daemons run as the postfix user and must reach their directories
    started: list[Any] = []
    ports: dict[str, int] = {}
    pids: dict[str, int] = {}  # whose CPU per mail is reported
    handoff: Handoff | None = None
    postfix: Postfix | None = None
    dataverse_pid = -1
    try:
        if "handoff" in servers:
            info = base / "dataverse.json"
            dataverse = spawn([PYTHON, __file__, "--dataverse-info", str(info)], base / "dataverse.log")
            started.append(lambda: end(dataverse))
            dataverse_pid = dataverse.pid
            deadline = time.monotonic() + 60
            while not info.exists():
                if time.monotonic() > deadline or dataverse.poll() is not None:
                    raise RuntimeError(f"the Dataverse sandbox did not start; see {base / 'dataverse.log'}")
                time.sleep(0.1)
            extra = dict(e.split("=", 1) for e in args.env)
            handoff = Handoff(base, free_port(), json.loads(info.read_text()), extra)
            handoff.start()
            started.append(handoff.stop)
            ports["handoff"] = handoff.port
            assert handoff.process is not None
            pids["handoff"] = handoff.process.pid
        if "postfix" in servers:
            postfix = Postfix(base / "postfix", free_port())
            postfix.start()
            started.append(postfix.stop)
            ports["postfix"] = postfix.port
        if "sink" in servers:
            port = free_port()
            sink = spawn([PYTHON, __file__, "--sink-port", str(port)], base / "sink.log")
            started.append(lambda: end(sink))
            wait_port(port)
            ports["sink"] = port
            pids["sink"] = sink.pid

        print(
            f"smtp-source: {args.mails} mails of {args.size} bytes per server per round, {args.sessions} sessions, "
            f"a new connection per mail; {os.cpu_count()} cores; handoff env {args.env or 'defaults'}; "
            "CPU/mail: the server process (handoff's includes its worker, not the analysis process); "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        rates: dict[str, list[float]] = {s: [] for s in servers}
        for n in range(1, args.rounds + 1):
            for name in servers:
                spy = None
                if args.py_spy and name == "handoff" and handoff is not None and handoff.process is not None:
                    out = base / f"profile-round{n}.txt"
                    spy_args = [args.py_spy, "record", "--nonblocking", "--format", "raw", "--threads"]
                    spy_args += ["--rate", str(args.py_spy_rate)]
                    spy = subprocess.Popen(
                        [*spy_args, "-o", str(out), "-p", str(handoff.process.pid)],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    time.sleep(1)
                cpu = cpu_seconds(pids[name]) if name in pids else None
                threads_before = thread_cpu(pids[name]) if name in pids else {}
                # What else on these cores works for handoff meanwhile: its analysis process (below serve)
                # and the Dataverse sandbox (a process here; the real Dataverse runs elsewhere).
                helpers: dict[int, float] = {}
                created_before = 0
                if name == "handoff" and handoff is not None:
                    helpers = tree_cpu([*descendants(pids[name]), dataverse_pid])
                    created_before = handoff.states().get("created", 0)
                took = smtp_source(binary, ports[name], args.mails, args.sessions, args.size)
                if cpu is not None:
                    cpu = cpu_seconds(pids[name]) - cpu
                    threads_after = thread_cpu(pids[name])
                    loop_cpu = threads_after.get(pids[name], 0.0) - threads_before.get(pids[name], 0.0)
                if helpers:
                    after = tree_cpu([*descendants(pids[name]), dataverse_pid])
                    # A process started during the round (a restarted analysis child) counts from zero.
                    spent = {p: after[p] - helpers.get(p, 0.0) for p in after}
                    dataverse_cpu = spent.pop(dataverse_pid, 0.0)
                    analysis_cpu = sum(spent.values())
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(30)
                rates[name].append(args.mails / took)
                note = ""
                if cpu is not None:
                    # The loop's thread against the rest (the spool's writer, to_thread work, the analysis
                    # process's pipe readers): which one a change moved.
                    note = f"   {cpu / args.mails * 1e6:5.0f} us CPU/mail (loop {loop_cpu / args.mails * 1e6:4.0f})"
                if name == "handoff" and handoff is not None:
                    st = handoff.states()
                    rows, backlog, created = sum(st.values()), st.get("queued", 0), st.get("created", 0)
                    note += f"   spool {rows} rows, {backlog} queued, {created} created (+{created - created_before})"
                    if helpers:
                        note += (
                            f"   analysis {analysis_cpu / took * 100:3.0f}% of a core,"
                            f" dataverse {dataverse_cpu / took * 100:3.0f}%"
                        )
                print(f"round {n}  {name:8s} {args.mails / took:7.0f} msgs/s  ({took:5.2f} s){note}", flush=True)
        print()
        for name in servers:
            r = rates[name]
            print(f"{name:8s} median {statistics.median(r):6.0f} msgs/s   rounds " + " ".join(f"{x:.0f}" for x in r))
        if "handoff" in rates:
            for other in ("postfix", "sink"):
                if other in rates:
                    per_round = [h / o for h, o in zip(rates["handoff"], rates[other], strict=True)]
                    overall = statistics.median(rates["handoff"]) / statistics.median(rates[other])
                    print(
                        f"handoff / {other}: {overall:.2f}x (median of rounds); per round "
                        + " ".join(f"{x:.2f}x" for x in per_round)
                    )
        if args.drain and handoff is not None and handoff.process is not None:
            # The worker's own share of serve's CPU, with SMTP idle: serve CPU per handoff created.
            pid = handoff.process.pid
            spy = None
            if args.py_spy:
                spy_args = [args.py_spy, "record", "--nonblocking", "--format", "raw", "--threads"]
                spy_args += ["--rate", str(args.py_spy_rate), "-o", str(base / "profile-drain.txt"), "-p", str(pid)]
                spy = subprocess.Popen(spy_args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1)
            created, cpu, loop = handoff.states().get("created", 0), cpu_seconds(pid), thread_cpu(pid).get(pid, 0.0)
            time.sleep(args.drain)
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(30)
            made = handoff.states().get("created", 0) - created
            cpu, loop = cpu_seconds(pid) - cpu, thread_cpu(pid).get(pid, 0.0) - loop
            if made:
                print(
                    f"drain, SMTP idle for {args.drain:.0f} s: {made} created, {cpu / made * 1e6:.0f} us of serve CPU "
                    f"per handoff (loop {loop / made * 1e6:.0f})"
                )
        failed = 0
        if handoff is not None:
            total = sum(handoff.states().values())
            expected = args.mails * args.rounds
            print(f"handoff spool: {total} rows of {expected} mails sent (every 250 a committed row)")
            failed += total != expected
        print(f"load average at the end {os.getloadavg()[0]:.1f} (other work on these cores moves every rate)")
        if postfix is not None:
            time.sleep(1)
            print(f"postfix: {postfix.discarded()} mails delivered to discard")
        return 1 if failed else 0
    finally:
        for stop in reversed(started):
            stop()
        if args.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
