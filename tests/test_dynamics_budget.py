"""Dataverse's execution-time budget (dataverse.md, "Service protection": 1,200 s of combined execution per
300 s, a `$batch` counted once as a whole): the client keeps within it instead of meeting 429s, and a
replay under a backlog keeps enough requests travelling to use it. Real sandbox, real TLS, real msal,
the client built by `build_parts` as the service builds it; `handoff replay` as an operator runs it."""

from __future__ import annotations

import asyncio
import collections
import re
from pathlib import Path
from typing import Any

import pytest

from handoff.dynamics.limits import seconds_remaining
from handoff.service import build_parts
from handoff.spool.sqlite import SqliteSpool
from tests.conftest import QUEUE_ID, settings_for
from tests.test_cli import run


def window_peak(entries: list[dict[str, Any]], window: float) -> float:
    """The most execution (s) the sandbox counted as finished within any `window` seconds."""
    done = sorted((e["at"] + e["execution_ms"] / 1000, e["execution_ms"] / 1000) for e in entries)
    peak = total = 0.0
    start = 0
    for finished, seconds in done:
        total += seconds
        while done[start][0] <= finished - window:
            total -= done[start][1]
            start += 1
        peak = max(peak, total)
    return peak


def most_at_once(entries: list[dict[str, Any]]) -> int:
    """The most of these requests the sandbox was executing at the same moment."""
    edges = sorted(
        [(e["at"], 1) for e in entries] + [(e["at"] + e["execution_ms"] / 1000, -1) for e in entries],
        key=lambda edge: (edge[0], edge[1]),  # an end before a start at the same instant
    )
    most = now = 0
    for _, step in edges:
        now += step
        most = max(most, now)
    return most


async def who_am_i_many(tmp_path: Path, sandbox: Any, n: int, **dynamics: Any) -> Any:
    parts = await build_parts(settings_for(tmp_path, sandbox, dynamics=dynamics), with_pipeline=False)
    try:
        client = parts.dynamics.client
        results = await asyncio.gather(*(client.request("GET", "WhoAmI") for _ in range(n)))
        assert all(r.status == 200 for r in results)
        return client
    finally:
        await parts.close()


async def test_the_client_keeps_within_the_execution_budget(tmp_path: Path, sandbox: Any) -> None:
    # 40 requests of 50 ms, 8 at once: 2 s of execution against 0.6 s per 1 s window.
    sandbox.set_limits(window_seconds=1.0, concurrent=8, execution_ms=600)
    sandbox.latency("GET WhoAmI", 0.05)
    client = await who_am_i_many(
        tmp_path, sandbox, 40, window_seconds=1.0, max_concurrent=8, execution_seconds_per_window=0.6
    )
    entries = [r for r in sandbox.requests if r["route"] == "GET WhoAmI"]
    assert [r["status"] for r in entries] == [200] * 40  # no 429, no retry
    assert client.limiter.budget_waits > 0  # the budget, not the 8 slots, held them back
    # 2 s of execution at 0.6 s per window cannot fit in fewer than four windows.
    assert max(r["at"] for r in entries) - min(r["at"] for r in entries) >= 3 * 1.0
    # The requests in flight count as they run: a window holds the budget and at most the requests
    # admitted just before it was spent (no more than the 8 slots), not what a burst would pile up.
    longest = max(r["execution_ms"] for r in entries) / 1000
    assert window_peak(entries, 1.0) <= 0.6 + 8 * longest
    # And no more at once than the budget sustains (0.6 s per second: one), not all 8 at the start: a burst
    # spends the window early, and the idle stretch after it comes back a window later.
    assert most_at_once(entries) == 1


async def test_a_request_longer_than_the_whole_budget_still_goes(tmp_path: Path, sandbox: Any) -> None:
    # 0.3 s requests against 0.2 s per 1 s window: one at a time, each once the last has left the window.
    sandbox.set_limits(window_seconds=1.0, execution_ms=200)
    sandbox.latency("GET WhoAmI", 0.3)
    await asyncio.wait_for(
        who_am_i_many(tmp_path, sandbox, 3, window_seconds=1.0, execution_seconds_per_window=0.2), 30
    )
    assert [r["status"] for r in sandbox.requests if r["route"] == "GET WhoAmI"] == [200] * 3


async def test_the_client_counts_execution_as_the_server_says(tmp_path: Path, sandbox: Any) -> None:
    # Our time for a request includes the trip; the server says what it counted (x-ms-ratelimit-time-remaining-
    # xrm-requests), and the window's count follows it instead of running ahead of it.
    sandbox.latency("GET WhoAmI", 0.05)
    parts = await build_parts(settings_for(tmp_path, sandbox), with_pipeline=False)
    try:
        limiter = parts.dynamics.client.limiter
        for _ in range(5):
            assert (await parts.dynamics.client.request("GET", "WhoAmI")).status == 200
        server = sum(r["execution_ms"] for r in sandbox.requests if r["route"] == "GET WhoAmI") / 1000
        assert server <= limiter.window_execution() < limiter.executed_total
    finally:
        await parts.close()


def test_the_remaining_time_reads_as_dataverse_writes_it() -> None:
    assert seconds_remaining("1,199.46") == 1199.46
    assert seconds_remaining("1,200.00") == 1200.0
    assert seconds_remaining("0.5") == 0.5
    assert [seconds_remaining(v) for v in (None, "", "soon", "-1", "nan", "inf")] == [None] * 6


async def test_without_the_client_budget_the_same_load_meets_execution_429s(tmp_path: Path, sandbox: Any) -> None:
    # The counterpart: told a budget far above the organisation's, the client collects 0x80072321.
    sandbox.set_limits(window_seconds=1.0, concurrent=8, execution_ms=600)
    sandbox.latency("GET WhoAmI", 0.05)
    await who_am_i_many(
        tmp_path,
        sandbox,
        40,
        window_seconds=1.0,
        max_concurrent=8,
        execution_seconds_per_window=1000,
        max_retries=10,
    )
    assert sum(r["status"] == 429 for r in sandbox.requests) > 0


def customer_mail(n: int) -> bytes:
    return (
        f"From: Customer {n} <customer{n % 40}@example.com>\r\nTo: cases@handoff.test\r\n"
        f"Subject: Order R-{n:06d} has not arrived\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\n"
        f"Message-ID: <budget-{n}@example.com>\r\n\r\n"
        f"Hello, my order R-{n:06d} was due last week and nothing came. Where is it?\r\n\r\nCustomer {n}\r\n"
    ).encode()


async def test_replay_of_a_backlog_uses_the_execution_budget(
    tmp_path: Path, sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # Scaled limits with Dataverse's ratios where it matters: 4 s of execution per second of window,
    # 52 at once. A change set of 5 handoffs takes ~2 s here, so using the budget takes 4 requests
    # executing all the time: more than the 2 in flight that natural batching alone would keep.
    # Twice the times it had (a 2 s window, ~1 s change sets): on a loaded machine our own time between
    # requests (analysis, TLS, both event loops) was a large share of that, and the busiest window held
    # 62-101 % of its budget (95 % alone; once below the 70 % checked); at this scale 103-107 % under load.
    mails = 80
    window, budget = 4.0, 16.0
    sandbox.set_limits(requests=400, window_seconds=window, execution_ms=budget * 1000)
    sandbox.latency("POST $batch", 0.04, per_operation=0.08)
    sandbox.latency("GET contacts", 0.02)
    box = tmp_path / "box"
    box.mkdir()
    for n in range(mails):
        (box / f"{n:03d}.eml").write_bytes(customer_mail(n))
    config = tmp_path / "handoff.toml"
    config.write_text(
        f'[spool]\nurl = "sqlite:///{tmp_path}/handoff.db"\nconcurrency = 4\n'
        '[smtp]\nrecipients = ["cases@handoff.test"]\n'
        '[triage]\ninternal_domains = ["handoff.test"]\nuse_embeddings = false\n'
        f'[dynamics]\nurl = "{sandbox.url}"\nauthority = "{sandbox.authority}"\nca_bundle = "{sandbox.ca_file}"\n'
        f'client_secret = "{sandbox.client_secret}"\ndefault_queue_id = "{QUEUE_ID}"\n'
        f"max_handoffs_per_request = 5\nrequests_per_window = 400\nwindow_seconds = {window}\n"
        f"execution_seconds_per_window = {budget}\n"
    )
    code, out, err = await run(capsys, "replay", str(box), "--config", str(config))
    assert code == 0, err
    assert out.splitlines()[-1] == (
        f"replay: {mails} mail(s): {mails} created, 0 already existed, 0 already in the spool, 0 skipped, "
        "0 parked, 0 queued"
    )
    refs = collections.Counter(
        m.group(0) for i in sandbox.table("incidents") if (m := re.search(r"R-\d{6}", i["description"]))
    )
    assert len(refs) == mails and set(refs.values()) == {1}  # each created once
    assert [r for r in sandbox.requests if r["status"] == 429] == []  # none met, so none unhandled
    batches = [r for r in sandbox.requests if r["route"] == "POST $batch"]
    # Shared requests, and more of them travelling at once than the old cap of two.
    assert len(batches) < mails / 2
    assert most_at_once(batches) > 2
    # The budget was used: the work is more than one window's budget, and some window held close to all of it.
    admitted = [r for r in sandbox.requests if r.get("execution_ms") is not None]
    assert sum(r["execution_ms"] for r in admitted) / 1000 > budget
    assert window_peak(admitted, window) >= 0.7 * budget
    # No more requests at once than the budget sustains (budget / window: 4), lookups included.
    assert most_at_once(admitted) <= budget / window
    # The backlog was in hand from the start, not `concurrency` (4) handoffs growing by one per handoff
    # finished: before the first handoff was done, more than that had been taken in hand (each trail's
    # attempt starts when the worker claims the handoff). Not read from the first lookup's addresses: it
    # goes with the handoffs analysed within LINGER, 2 or 3 of them when the machine is busy.
    spool = SqliteSpool(tmp_path / "handoff.db")
    await spool.open()
    try:
        attempts = [a for item in await spool.latest(mails) for a in item.summary["trail"]["attempts"]]
    finally:
        await spool.close()
    assert len(attempts) == mails
    first_done = min(a["at"] + a["seconds"] for a in attempts)
    assert len([a for a in attempts if a["at"] < first_done]) > 4
