"""Replay a mailbox's worth of handoffs through a real `Service` into the Dataverse sandbox.

N distinct mails (default 1000) from C customers (default 300; every customer writes at least once,
some many times, so the contact cache gets warm) go over SMTP into the spool; the worker takes them
through the pipeline and `Dynamics.deliver` against the in-process sandbox with Dataverse's own service
protection limits (6000 requests per 300 s, 52 concurrent), or lowered ones with --tight-limits so the
client's limiter paces the backlog. The mails are direct customer mails and threads forwarded by an
agent (Gmail and Outlook styles), built from samples/*.eml.

Prints handoffs, incidents created, duplicated incidents (must be 0), Dataverse round trips per
handoff with a cold and a warm contact cache, 429s, wall time and handoffs/s. Round trips are the
sandbox's Web API requests (the token endpoint is not counted), attributed to the handoff whose
`Dynamics.deliver` sent them.

    .venv/bin/python bench/dynamics_replay.py [--handoffs 1000] [--customers 300] [--tight-limits]
        [--backlog] [--per-request 50] [--concurrency 16]

With several handoffs per request ([dynamics] max_handoffs_per_request), a shared request is attributed
to the handoff that opened it, so the per-handoff figures undercount the others; "requests/handoff" is
the honest total.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextvars
import random
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosmtplib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handoff.sandbox.dataverse import DataverseSandbox  # noqa: E402
from handoff.service import Service  # noqa: E402
from handoff.spool import open_spool  # noqa: E402
from tests.conftest import QUEUE_ID, settings_for  # noqa: E402

SAMPLES = ROOT / "samples"
# --tight-limits: well below what the service reaches unthrottled here, so the limiter sets the pace.
TIGHT = {"requests": 20, "window_seconds": 2.0, "concurrent": 2}

FIRST = (
    "Maria Jonas Li Peter Ana Kim Noor Lee Sofia Lucas Emma Ahmed Yuki Olga Pierre Chiara Mateo Aisha "
    "Tomasz Ingrid Ravi Fatima Diego Hannah Sean Mei Kofi Elena Omar Zoe"
).split()
LAST = (
    "Lopez Weber Wei O'Brien Ruiz Park Haddad Novak Rossi Silva Müller Tanaka Kowalski Dubois Jensen "
    "Nakamura Okafor Petrov Santos Fischer"
).split()
DOMAINS = ["example.org", "example.com", "example.net", "mail.example", "shop.example"]

# What customers write about, one reference per mail so every incident can be told apart.
PROBLEMS = [
    "I returned the blender from order {ref} two weeks ago and I still have not received my refund.\n"
    "Please refund the 89.90 EUR to my card.",
    'I reset my password yesterday and now the app says "account locked" every time I sign in.\n'
    "My customer number is {ref}. Could you unlock it?",
    "Order {ref} arrived today but the glass jug is cracked. I would like a replacement, not a refund.",
    "I was charged twice for invoice {ref} this month. Please cancel the second payment.",
    "My parcel for order {ref} shows delivered but nothing is at my door. Where is it?",
    "Does the X200 espresso machine work with 110V outlets? I am asking about quote {ref}.",
    "The app crashes every time I open my order history (ticket {ref} in the app). Phone is a Pixel 8.",
    "Please cancel my subscription {ref} at the end of this month and confirm by email.",
    "Just wanted to say the replacement for order {ref} came quickly, great service, thank you!",
    "The discount code from newsletter {ref} is rejected at checkout although it has not expired.",
]


@dataclass(frozen=True)
class Customer:
    first: str
    last: str
    email: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def customers(count: int, rng: random.Random) -> list[Customer]:
    people: list[Customer] = []
    for n in range(count):
        first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
        local = f"{first.lower()}.{re.sub(r'[^a-z]', '', last.lower())}"
        if n >= len(FIRST) * len(LAST):
            local += str(n)
        if rng.random() < 0.05:
            local += "+shop"  # '+' must be percent-encoded in the $filter
        if "'" in last and rng.random() < 0.5:
            local = local.replace("obrien", "o'brien")  # and a quote doubled
        people.append(Customer(first, last, f"{local}@{DOMAINS[n % len(DOMAINS)]}"))
    return people


def _replace(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        assert old in text, f"template changed: {old!r} not found"
        text = text.replace(old, new)
    return text


def _with_problem(template: str, start: str, end: str, problem: str) -> str:
    """The template with the customer's own words between `start` and `end` replaced."""
    assert start in template and end in template, f"template changed: {start!r} / {end!r}"
    head, _, rest = template.partition(start)
    _, _, tail = rest.partition(end)
    return head + start + problem + end + tail


def mail(n: int, customer: Customer, rng: random.Random) -> bytes:
    ref = f"R-{n:06d}"
    problem = rng.choice(PROBLEMS).format(ref=ref)
    subject = problem.split(".")[0].split("?")[0][:70]
    if ref not in subject:
        # The loop guard skips the same sender, customer and subject more than 5 times an hour.
        subject += f" - {ref}"
    kind = n % 3
    if kind == 0:  # Gmail forward by an agent
        raw = (SAMPLES / "01-gmail-forward-refund.eml").read_text()
        raw = _with_problem(raw, "Hello,\n\n", "\n\nMaria Lopez\n", problem)
        return _replace(
            raw,
            [
                ("<CAF-sample-0001@mail.acme.example>", f"<bench-{n}@mail.acme.example>"),
                ("Refund still not received for order 4471", subject),
                ("Maria Lopez <maria.lopez@example.org>", f"{customer.name} <{customer.email}>"),
                ("\nMaria Lopez\n", f"\n{customer.name}\n"),
                ("Hi Maria,", f"Hi {customer.first},"),
            ],
        ).encode()
    if kind == 1:  # Outlook forward by an agent
        raw = (SAMPLES / "02-outlook-forward-login.eml").read_text()
        raw = _with_problem(raw, "Hi,\n\n", "\n\nThanks,\nPeter", problem)
        return _replace(
            raw,
            [
                ("<AM0PR01MB-sample-0002@", f"<AM0PR01MB-bench-{n}@"),
                ("Cannot log in after password reset", subject),
                ("Peter O'Brien <peter.obrien+shop@example.net>", f"{customer.name} <{customer.email}>"),
                ("Thanks,\nPeter", f"Thanks,\n{customer.first}"),
                # Plain ASCII either way; say so rather than claim quoted-printable.
                ("Content-Transfer-Encoding: quoted-printable", "Content-Transfer-Encoding: 8bit"),
                ('charset="windows-1252"', 'charset="UTF-8"'),
            ],
        ).encode()
    raw = (SAMPLES / "03-direct-delivery-question.eml").read_text()  # the customer writes in directly
    raw = _with_problem(raw, "Hi there,\n\n", "\n\nThanks a lot", problem)
    return _replace(
        raw,
        [
            ("<sample-0003@example.com>", f"<bench-{n}@{customer.email.split('@')[1]}>"),
            ("Does the X200 work with 110V?", subject),
            ("Li Wei <li.wei@example.com>", f"{customer.name} <{customer.email}>"),
            ("great products!\nLi", f"great products!\n{customer.first}"),
        ],
    ).encode()


def plan(handoffs: int, customer_count: int, seed: int) -> list[tuple[int, Customer, bytes]]:
    """Every customer writes once; the rest go to a few frequent writers (Zipf-like), in random order."""
    rng = random.Random(seed)
    people = customers(customer_count, rng)
    who = list(range(min(customer_count, handoffs)))
    weights = [1 / (rank + 1) for rank in range(customer_count)]
    who += rng.choices(range(customer_count), weights=weights, k=handoffs - len(who))
    rng.shuffle(who)
    return [(n, people[c], mail(n, people[c], rng)) for n, c in enumerate(who)]


@dataclass
class Attribution:
    """Round trips per handoff, by whether its customer's contact id could be cached already."""

    started: set[str] = field(default_factory=set)
    finished: set[str] = field(default_factory=set)
    by_kind: dict[str, list[int]] = field(default_factory=lambda: collections.defaultdict(list))


_current: contextvars.ContextVar[list[int]] = contextvars.ContextVar("bench_handoff_requests")


def instrument(service: Service, attribution: Attribution) -> None:
    """Count each `DataverseClient.request` against the handoff whose `Dynamics.deliver` made it."""
    assert service.parts is not None
    dynamics = service.parts.dynamics
    client = dynamics.client
    deliver, request = dynamics.deliver, client.request

    async def counted_request(*args: Any, **kwargs: Any) -> Any:
        counter = _current.get(None)
        if counter is not None:
            counter[0] += 1
        return await request(*args, **kwargs)

    async def counted_deliver(draft: Any, *args: Any, **kwargs: Any) -> Any:
        email = draft.contact_email.strip().lower()
        if email not in attribution.started:
            kind = "cold"
        elif email in attribution.finished:
            kind = "warm"
        else:
            kind = "racing"  # the same customer's earlier handoff is still being delivered
        attribution.started.add(email)
        counter = [0]
        token = _current.set(counter)
        try:
            result = await deliver(draft, *args, **kwargs)
        finally:
            _current.reset(token)
        attribution.finished.add(email)
        attribution.by_kind[kind].append(counter[0])
        return result

    dynamics.deliver = counted_deliver  # type: ignore[method-assign]
    client.request = counted_request  # type: ignore[method-assign]


async def send_all(port: int, mails: list[bytes], connections: int) -> int:
    accepted = 0

    async def one_connection(chunk: list[bytes]) -> None:
        nonlocal accepted
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=120) as smtp:
            for raw in chunk:
                errors, response = await smtp.sendmail("sam@acme.example", ["cases@handoff.test"], raw)
                accepted += not errors and response.startswith("2.0.0")

    await asyncio.gather(*(one_connection(mails[i::connections]) for i in range(connections)))
    return accepted


def mean(values: list[int]) -> str:
    return f"{sum(values) / len(values):.2f}" if values else "n/a"


async def main(args: argparse.Namespace) -> int:
    work = plan(args.handoffs, args.customers, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        async with DataverseSandbox(seed=args.seed) as sandbox:
            sandbox.add_record("queues", {"queueid": QUEUE_ID, "name": "Support"})
            dynamics: dict[str, Any] = {"timeout_seconds": 30}
            if args.tight_limits:
                sandbox.set_limits(**TIGHT)
                # The client is told the organisation's limits, as an operator would configure them.
                dynamics |= {
                    "requests_per_window": TIGHT["requests"],
                    "window_seconds": TIGHT["window_seconds"],
                    "max_concurrent": TIGHT["concurrent"],
                }
            limits = sandbox.limits
            # Dataverse is not an in-process dictionary: a round trip takes time, a batch more so for each
            # operation it runs (their execution time counts too). Without this, every request is
            # answered before the next handoff is ready and nothing is ever shared.
            if args.latency > 0:
                sandbox.latency("POST $batch", args.latency, per_operation=args.per_operation)
                sandbox.latency("GET contacts", args.latency / 3)
            dynamics["max_handoffs_per_request"] = args.per_request
            settings = settings_for(Path(tmp), sandbox, dynamics=dynamics)
            if args.backlog:
                # The mails are in the spool before the service starts (an outage just ended, a replay):
                # the worker meets a backlog from its first claim.
                spool = open_spool(settings.spool.url)
                await spool.open()
                for _, _, raw in work:
                    await spool.enqueue(raw, "agent@example.org", ["cases@handoff.test"])
                await spool.close()
            service = Service(settings, concurrency=args.concurrency)
            before = 0
            await service.start()
            try:
                assert service.parts is not None
                attribution = Attribution()
                instrument(service, attribution)
                coalescer = service.parts.dynamics.coalescer
                coalescer.sets.max_in_flight = coalescer.lookups.max_in_flight = args.in_flight
                started = time.perf_counter()
                if args.backlog:
                    accepted, accepted_in = len(work), 0.0
                else:
                    before = len(sandbox.requests)  # start-up checks (option-set metadata) are not handoffs
                    accepted = await send_all(service.smtp_port, [raw for _, _, raw in work], args.connections)
                    accepted_in = time.perf_counter() - started
                deadline = time.monotonic() + args.max_seconds
                while time.monotonic() < deadline:
                    counts = await service.parts.spool.counts()
                    if counts["queued"] == 0 and counts["working"] == 0:
                        break
                    await asyncio.sleep(0.1)
                wall = time.perf_counter() - started
                limiter = service.parts.dynamics.client.limiter
            finally:
                await service.stop()
            requests = [r for r in sandbox.requests[before:] if r["route"] != "GET EntityDefinitions"]
            incidents = sandbox.table("incidents")

    refs = collections.Counter(m.group(0) for i in incidents if (m := re.search(r"R-\d{6}", i["description"])))
    duplicated = sum(c - 1 for c in refs.values() if c > 1)
    unmatched = len(incidents) - sum(refs.values())
    by_status = collections.Counter(r["status"] for r in requests)
    by_route = collections.Counter(r["route"] for r in requests)
    attributed = sum(sum(v) for v in attribution.by_kind.values())
    cold, warm, racing = (attribution.by_kind.get(k, []) for k in ("cold", "warm", "racing"))
    print(
        f"limits: sandbox {limits.requests} requests / {limits.window_seconds:g}s, {limits.concurrent} concurrent; "
        f"client {settings.dynamics.requests_per_window} / {settings.dynamics.window_seconds:g}s, "
        f"{settings.dynamics.max_concurrent} concurrent; worker concurrency {args.concurrency}"
    )
    print(
        f"handoffs            {len(work)} from {args.customers} customers "
        f"({accepted} accepted over SMTP in {accepted_in:.1f}s)"
    )
    print(f"spool               {counts}")
    print(f"incidents created   {len(incidents)}")
    print(f"duplicates          {duplicated}" + (f" ({unmatched} incidents without a reference)" if unmatched else ""))
    print(
        f"round trips/handoff cold {mean(cold)} (n={len(cold)})  warm {mean(warm)} (n={len(warm)})"
        + (f"  racing {mean(racing)} (n={len(racing)})" if racing else "")
    )
    print(
        f"round trips         {len(requests)} to Dataverse ({attributed} attributed to a handoff; the rest retries), "
        f"by route {dict(by_route.most_common())}"
    )
    print(f"429s seen           {by_status.get(429, 0)}  (status counts {dict(sorted(by_status.items()))})")
    print(
        f"limiter             peak in flight {limiter.peak_in_flight} (sandbox saw {sandbox.peak_in_flight}), "
        f"{limiter.waits} requests waited {limiter.waited_seconds:.1f}s in all, {limiter.pauses} Retry-After pauses"
    )
    rate = f"{len(requests) / wall:.1f} requests/s to Dataverse"
    print(
        f"requests/handoff    {len(requests) / len(work):.3f} (max {args.per_request} handoffs per request, "
        f"{args.in_flight} in flight; latency $batch {args.latency:g}s + {args.per_operation * 1000:g} ms/operation, "
        f"GET {args.latency / 3:g}s)"
    )
    print(f"wall time           {wall:.1f}s ({rate}; limit {limits.requests / limits.window_seconds:.1f}/s on average)")
    print(f"handoffs/s          {len(work) / wall:.1f}")
    ok = counts.get("created") == len(work) and len(incidents) == len(work) and duplicated == 0
    if args.tight_limits:
        ok = ok and by_status.get(429, 0) == 0
    return 0 if ok else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--handoffs", type=int, default=1000)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--tight-limits", action="store_true", help=f"sandbox and client at {TIGHT}")
    parser.add_argument("--concurrency", type=int, default=16, help="handoffs in hand ([spool] concurrency, 16)")
    parser.add_argument(
        "--per-request", type=int, default=50, help="[dynamics] max_handoffs_per_request (50; 1 = one per request)"
    )
    parser.add_argument("--backlog", action="store_true", help="fill the spool first, then start the service")
    parser.add_argument("--latency", type=float, default=0.25, help="sandbox $batch latency, s (GET: a third)")
    parser.add_argument("--per-operation", type=float, default=0.01, help="sandbox $batch latency per operation, s")
    parser.add_argument("--in-flight", type=int, default=2, help="shared requests of a kind on the wire at once")
    parser.add_argument("--connections", type=int, default=4, help="SMTP connections sending the mails")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=900, help="give up draining after this long")
    sys.exit(asyncio.run(main(parser.parse_args())))
