"""The worker under faults: retries are not a reply storm, nothing loops forever, nothing is lost.

Real parts: a SQLite spool file, the Dataverse sandbox over TLS with msal, the analysis in its own process.
The spool-level parts (the brake's count, the claim cap, an outcome resetting it) are in the contract
suite, tests/test_spool.py, for both backends.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from handoff.analyser import ProcessAnalyser
from handoff.pipeline import Pipeline
from handoff.service import Parts, build_parts
from handoff.spool.sqlite import SqliteSpool
from handoff.worker import Worker
from tests.conftest import settings_for


def mail(n: int, subject: str = "My order arrived broken", sender: str = "kim@example.com") -> bytes:
    return (
        f"From: Kim Lee <{sender}>\r\nTo: cases@handoff.test\r\nSubject: {subject}\r\n"
        f"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\nMessage-ID: <storm-{n}@example.com>\r\n\r\n"
        f"Hello, order {n} arrived broken. Please replace it.\r\n"
    ).encode()


async def parts_for(tmp_path: Path, sandbox: Any, **sections: dict[str, Any]) -> Parts:
    settings = settings_for(tmp_path, sandbox, dynamics={"max_retries": 0}, **sections)
    return await build_parts(settings)


def worker(parts: Parts, **kwargs: Any) -> Worker:
    assert parts.pipeline is not None
    return Worker(
        parts.spool, parts.pipeline, parts.dynamics, parts.settings.spool, guards=parts.settings.guards, **kwargs
    )


async def test_retries_through_an_outage_are_not_a_reply_storm(tmp_path: Path, sandbox: Any) -> None:
    # loop_max 2: the old per-analysis count skipped this mail at its 3rd attempt.
    parts = await parts_for(tmp_path, sandbox, guards={"loop_max": 2})
    w = worker(parts)
    try:
        item_id = await parts.spool.enqueue(mail(1), "kim@example.com", ["cases@handoff.test"])
        sandbox.fail("*", 503, times=6)
        for _ in range(6):
            assert await w.run_once()
            item = await parts.spool.get(item_id)
            assert item is not None and item.state == "queued", item
            await parts.spool.wake_retries()
        assert await w.run_once()
        item = await parts.spool.get(item_id)
        assert item is not None and item.state == "created", (item.state, item.skipped_reason, item.last_error)
        assert item.attempts == 7
    finally:
        w.close()
        await parts.close()


async def test_a_handoff_waiting_out_an_outage_shows_its_customer_and_keeps_its_trail(
    tmp_path: Path, sandbox: Any
) -> None:
    parts = await parts_for(tmp_path, sandbox)
    w = worker(parts)
    try:
        item_id = await parts.spool.enqueue(mail(1), "kim@example.com", ["cases@handoff.test"])
        sandbox.fail("*", 503, times=1)
        assert await w.run_once()
        waiting = await parts.spool.get(item_id)
        assert waiting is not None and waiting.state == "queued"
        # Before, a retry wrote only its error: the row had no customer and no subject, and no search found it.
        assert waiting.summary["customer"]["email"] == "kim@example.com"
        assert waiting.summary["subject"] == "My order arrived broken"
        assert [r.id for r in await parts.spool.latest(search="kim@example.com")] == [item_id]
        assert [a["outcome"] for a in waiting.summary["trail"]["attempts"]] == ["retry"]
    finally:
        w.close()
    # A restart forgets what the process held; the written trail still has the retry.
    w = worker(parts)
    try:
        await parts.spool.wake_retries()
        assert await w.run_once()
        done = await parts.spool.get(item_id)
        assert done is not None and done.state == "created"
        assert [a["outcome"] for a in done.summary["trail"]["attempts"]] == ["retry", "created"]
    finally:
        w.close()
        await parts.close()


async def test_more_distinct_mails_than_loop_max_are_skipped_with_the_reason(tmp_path: Path, sandbox: Any) -> None:
    parts = await parts_for(tmp_path, sandbox, guards={"loop_max": 3, "loop_window_minutes": 10})
    w = worker(parts)
    try:
        ids = [await parts.spool.enqueue(mail(n), "kim@example.com", ["cases@handoff.test"]) for n in range(5)]
        await w.drain()
        items = [await parts.spool.get(i) for i in ids]
        assert [i.state for i in items if i] == ["created", "created", "created", "skipped", "skipped"]
        assert items[3] is not None and items[3].skipped_guard == "loop"
        assert "4 distinct mails from kim@example.com with this subject within 10 minutes (limit 3)" in (
            items[3].skipped_reason or ""
        )
        assert len(sandbox.table("incidents")) == 3
        # An operator who looked and retries one lets it through; it does not count again for the others.
        assert await parts.spool.requeue(ids[3])
        await w.drain()
        item = await parts.spool.get(ids[3])
        assert item is not None and item.state == "created"
        assert len(sandbox.table("incidents")) == 4
        assert (await parts.spool.get(ids[4])).state == "skipped"  # type: ignore[union-attr]
    finally:
        w.close()
        await parts.close()


async def test_an_unexpected_error_parks_instead_of_looping(tmp_path: Path, sandbox: Any) -> None:
    parts = await parts_for(tmp_path, sandbox)

    def broken_events(analysis: Any, delivered: Any) -> list[Any]:
        raise KeyError("ticketnumber")  # e.g. a payload builder meeting a field it did not expect

    w = worker(parts, events=broken_events)
    try:
        item_id = await parts.spool.enqueue(mail(1), "kim@example.com", ["cases@handoff.test"])
        assert await w.drain() == 1
        item = await parts.spool.get(item_id)
        assert item is not None and item.state == "parked"
        assert item.last_error is not None and item.last_error.startswith("incident CAS-")
        assert "its MoEngage event could not be built (KeyError: 'ticketnumber')" in item.last_error
        assert item.raw == mail(1)
        # Once fixed, the operator's retry finds the incident (no second one) and records it.
        w.events = None
        assert await parts.spool.requeue(item_id)
        assert await w.drain() == 1
        item = await parts.spool.get(item_id)
        assert item is not None and item.state == "created" and len(sandbox.table("incidents")) == 1
    finally:
        w.close()
        await parts.close()


async def test_transient_failures_retry_until_the_queue_lifetime_then_park(tmp_path: Path, sandbox: Any) -> None:
    parts = await parts_for(tmp_path, sandbox, spool={"max_queue_lifetime": "1s"})
    w = worker(parts)
    try:
        item_id = await parts.spool.enqueue(mail(1), "kim@example.com", ["cases@handoff.test"])
        sandbox.fail("*", 503, times=1000)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            await w.run_once()
            item = await parts.spool.get(item_id)
            assert item is not None
            if item.state != "queued":
                break
            await asyncio.sleep(0.05)
        assert item.state == "parked"
        assert item.last_error is not None and item.last_error.startswith("gave up after 1 s in the queue and ")
        assert "503" in item.last_error
        assert item.attempts > 3  # retried all along, not given up after a count
    finally:
        w.close()
        await parts.close()


async def test_after_an_outage_the_waiting_handoffs_are_due_at_once(tmp_path: Path, sandbox: Any) -> None:
    # Long backoff: without the wake-up they would wait a minute after Dataverse came back.
    parts = await parts_for(tmp_path, sandbox, spool={"retry": {"base_seconds": 60, "max_seconds": 60}})
    w = worker(parts)
    try:
        ids = [await parts.spool.enqueue(mail(n, f"Broken {n}"), "kim@example.com", []) for n in range(4)]
        sandbox.fail("*", 503, times=4)
        assert await w.drain() == 4  # all four failed and wait a minute
        due = await parts.spool.next_due_in()
        assert due is not None and due > 30
        late = await parts.spool.enqueue(mail(9, "Broken 9"), "kim@example.com", [])
        assert await w.drain() == 5  # the new one succeeds, the four are woken and taken at once
        states = [(await parts.spool.get(i)).state for i in [*ids, late]]  # type: ignore[union-attr]
        assert states == ["created"] * 5
    finally:
        w.close()
        await parts.close()


@pytest.mark.parametrize("budget", [0.05])
async def test_a_runaway_analysis_is_stopped_and_parked_and_the_next_mail_flows(
    tmp_path: Path, sandbox: Any, budget: float
) -> None:
    parts = await parts_for(tmp_path, sandbox, spool={"analysis_timeout_seconds": budget})
    analyser = ProcessAnalyser(parts.settings, timeout=budget)
    await analyser.start()
    w = Worker(parts.spool, analyser, parts.dynamics, parts.settings.spool)
    try:
        # Several MB of thread to split and score: far beyond a 50 ms budget on any machine.
        huge = mail(1).replace(b"Please replace it.", b"On Mon, Kim wrote:\r\n> broken again\r\n" * 150_000)
        slow = await parts.spool.enqueue(huge, "kim@example.com", [])
        pid = analyser.pid
        assert await w.run_once()
        item = await parts.spool.get(slow)
        assert item is not None and item.state == "parked"
        assert item.last_error == "unreadable mail: analysis took longer than 0.05 s ([spool] analysis_timeout_seconds)"
        assert analyser.restarts == 1 and analyser.pid != pid  # a fresh process for the next mail
        analyser.timeout = 30
        fine = await parts.spool.enqueue(mail(2), "kim@example.com", [])
        assert await w.run_once()
        item = await parts.spool.get(fine)
        assert item is not None and item.state == "created", item.last_error
    finally:
        w.close()
        await parts.close()


def _cpu_ticks(pid: int) -> int:
    """User plus system CPU of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


async def _until_busy(pid: int, idle_ticks: int, within: float) -> None:
    """Wait until the process has used 50 ms of CPU more than `idle_ticks`."""
    deadline = time.monotonic() + within
    while _cpu_ticks(pid) - idle_ticks < 5:
        assert time.monotonic() < deadline, "the analysis process never started on the mail"
        await asyncio.sleep(0.02)


async def test_a_mail_that_kills_the_analysis_process_is_given_back_then_parked(tmp_path: Path, sandbox: Any) -> None:
    import os
    import signal

    parts = await parts_for(tmp_path, sandbox, spool={"max_claims": 2})
    analyser = ProcessAnalyser(parts.settings, timeout=30)
    await analyser.start()
    w = Worker(parts.spool, analyser, parts.dynamics, parts.settings.spool)
    try:
        huge = mail(1).replace(b"Please replace it.", b"On Mon, Kim wrote:\r\n> broken again\r\n" * 150_000)
        item_id = await parts.spool.enqueue(huge, "kim@example.com", [])
        for _ in range(2):
            await analyser.start()
            assert analyser.pid is not None
            idle_cpu = _cpu_ticks(analyser.pid)
            busy = asyncio.create_task(w.run_once())
            # It is analysing now once the idle child has burnt CPU (a fixed sleep was too short on a
            # loaded machine: the kill then landed before the mail had reached the child).
            await _until_busy(analyser.pid, idle_cpu, within=30)
            os.kill(analyser.pid, signal.SIGKILL)  # dies on the mail (a crash in a C library, the OOM killer)
            assert await busy
            item = await parts.spool.get(item_id)
            assert item is not None and item.state == "queued" and item.open_claims >= 1
            assert "the analysis process died on this mail (killed by signal 9)" in (item.last_error or "")
        behind = await parts.spool.enqueue(mail(2), "kim@example.com", [])
        assert await w.run_once()
        item = await parts.spool.get(item_id)
        assert item is not None and item.state == "parked"
        assert (item.last_error or "").startswith("gave up after 2 claims without an outcome")
        assert (await parts.spool.get(behind)).state == "created"  # type: ignore[union-attr]
    finally:
        w.close()
        await parts.close()


def test_pipeline_builds_without_network_imports() -> None:
    # The pure core (and its ids) must not pull in the Dataverse client to compute a digest.
    import subprocess
    import sys

    code = "import sys, handoff.pipeline; print(any(m.startswith('aiohttp') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
    assert Pipeline is not None


async def test_an_answer_nobody_foresaw_parks_with_its_reason_and_the_next_flows(tmp_path: Path, sandbox: Any) -> None:
    # A gateway answering the $batch with a 200 that is not multipart: a bug or a proxy, not an outage.
    parts = await parts_for(tmp_path, sandbox)
    w = worker(parts)
    try:
        odd = await parts.spool.enqueue(mail(1), "kim@example.com", [])
        sandbox.fail("POST $batch", 200, times=1)
        assert await w.run_once()
        item = await parts.spool.get(odd)
        assert item is not None and item.state == "parked"
        assert (item.last_error or "").startswith("Dataverse answered $batch 200 with an unreadable body")
        fine = await parts.spool.enqueue(mail(2), "kim@example.com", [])
        assert await w.run_once()
        assert (await parts.spool.get(fine)).state == "created"  # type: ignore[union-attr]
    finally:
        w.close()
        await parts.close()


async def test_status_shows_when_a_queued_retry_goes_next_and_why(tmp_path: Path) -> None:
    import json

    from tests.test_settings import run_cli

    db = tmp_path / "handoff.db"
    async with SqliteSpool(db) as spool:
        item_id = await spool.enqueue(mail(1), "kim@example.com", [])
        await spool.claim(60, "mx1")
        await spool.retry_later(item_id, 600, "503 0x80040216 The service is temporarily unavailable.")
        held = await spool.enqueue(mail(2), "kim@example.com", [])
        await spool.claim(60, "mx2")
    config = tmp_path / "handoff.toml"
    config.write_text(f'[spool]\nurl = "sqlite:///{db}"\n')
    done = await asyncio.to_thread(run_cli, "status", "--config", str(config))
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.strip().startswith(f"{item_id} "))
    assert "next try in 10m: 503 0x80040216 The service is temporarily unavailable." in line
    assert "held by mx2" in next(x for x in done.stdout.splitlines() if x.strip().startswith(f"{held} "))
    data = json.loads((await asyncio.to_thread(run_cli, "status", "--json", "--config", str(config))).stdout)
    row = next(r for r in data["latest"] if r["id"] == item_id)
    assert row["next_attempt_at"] > row["received_at"] + 500 and row["last_error"].startswith("503")
