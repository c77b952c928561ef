"""Retention as an operator meets it: `handoff purge --older-than 30d [--dry-run]`, serve's periodic pass
([spool] keep_raw_days), and the commands that read a purged handoff (status, show, retry). A real SQLite
spool file; the spool contract itself (both backends) is in tests/test_spool.py."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from handoff.cli import main
from handoff.spool.retention import retention_loop
from handoff.spool.sqlite import SqliteSpool

OLD = 40 * 86400


def mail(n: int) -> bytes:
    return (
        f"From: Customer {n} <c{n}@example.com>\r\nTo: cases@handoff.test\r\nSubject: Order {n} late\r\n"
        f"Message-ID: <ret-{n}@example.com>\r\n\r\nWhere is order {n}? {'x' * 1000}\r\n"
    ).encode()


async def fill(db: Path) -> dict[str, int]:
    """A created, a skipped and a parked handoff received 40 days ago, and a created one from today."""
    ids: dict[str, int] = {}
    async with SqliteSpool(db) as spool:
        for n, name in enumerate(("created", "skipped", "parked", "today")):
            ids[name] = await spool.enqueue(mail(n), f"c{n}@example.com", ["cases@handoff.test"])
            await spool.claim(60)
        summary = {
            "subject": "Order 0 late",
            "customer": {"email": "c0@example.com", "name": "C", "found_by": "from"},
            "messages": [{"from_email": "c0@example.com", "body": "Where is order 0? My phone is 0123 456"}],
        }
        await spool.finish_created(ids["created"], "inc-0", "CAS-0", summary)
        await spool.finish_skipped(ids["skipped"], "auto_reply", "Auto-Submitted: auto-replied", {})
        await spool.park(ids["parked"], "Dataverse 400: bad value")
        await spool.finish_created(ids["today"], "inc-3", "CAS-3", {})
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE handoffs SET received_at = ? WHERE id <> ?", (time.time() - OLD, ids["today"]))
    return ids


async def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()

    def call() -> int:
        try:
            return main(list(argv))
        except SystemExit as exc:  # argparse refusing an argument
            return int(exc.code or 0)

    code = await asyncio.to_thread(call)
    out = capsys.readouterr()
    return code, out.out, out.err


def raw_sizes(db: Path) -> dict[int, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("SELECT id, length(raw) FROM handoffs").fetchall())


@pytest.fixture
async def spool_file(tmp_path: Path) -> tuple[Path, Path, dict[str, int]]:
    db = tmp_path / "handoff.db"
    ids = await fill(db)
    config = tmp_path / "handoff.toml"
    config.write_text(f'[spool]\nurl = "sqlite:///{db}"\n')
    return db, config, ids


async def test_purge_says_what_it_would_remove_then_removes_it(
    spool_file: tuple[Path, Path, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    db, config, ids = spool_file
    before = raw_sizes(db)
    freed = before[ids["created"]] + before[ids["skipped"]]
    code, out, err = await run(capsys, "purge", "--older-than", "30d", "--dry-run", "--config", str(config))
    assert code == 0, err
    assert "would remove the raw mail of 2 created or skipped handoff(s)" in out and f"({freed} bytes)" in out
    assert raw_sizes(db) == before
    code, out, err = await run(capsys, "purge", "--older-than", "30d", "--config", str(config))
    assert code == 0, err
    assert "removed the raw mail of 2 created or skipped handoff(s)" in out and f"({freed} bytes)" in out
    after = raw_sizes(db)
    assert after[ids["created"]] == after[ids["skipped"]] == 0
    assert after[ids["parked"]] == before[ids["parked"]] and after[ids["today"]] == before[ids["today"]]
    code, out, _ = await run(capsys, "purge", "--older-than", "30d", "--config", str(config))
    assert "removed the raw mail of 0 created or skipped handoff(s)" in out
    # A bare number would read as seconds and take nearly everything: refused, naming the fix.
    code, _, err = await run(capsys, "purge", "--older-than", "30", "--config", str(config))
    assert code == 2 and "give the unit, e.g. 30d" in err


async def test_a_purged_handoff_reads_as_such_and_is_not_retried(
    spool_file: tuple[Path, Path, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    _db, config, ids = spool_file
    await run(capsys, "purge", "--older-than", "30d", "--config", str(config))
    today = time.strftime("%Y-%m-%d", time.gmtime())
    for name in ("created", "skipped"):
        code, _, err = await run(capsys, "retry", str(ids[name]), "--config", str(config))
        assert code == 1 and f"{ids[name]}: raw mail removed by retention on {today}; left alone" in err
    code, out, err = await run(capsys, "status", "--config", str(config))
    assert code == 0, err
    assert "CAS-0" in out and "c0@example.com" in out  # summary and ticket kept
    code, out, err = await run(capsys, "show", str(ids["created"]), "--config", str(config))
    assert code == 0, err
    assert f"raw mail removed by retention on {today}" in out and "CAS-0" in out
    # The thread's words went with the raw mail; who wrote, when and how much stays.
    assert "0123 456" not in out and "38 chars: (text removed by retention)" in out
    code, out, err = await run(capsys, "retry", str(ids["parked"]), "--config", str(config))
    assert code == 0 and "queued again" in out  # a parked one kept its mail


async def test_serve_purges_at_start_and_then_periodically(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "handoff.db"
    ids = await fill(db)
    caplog.set_level(logging.INFO, logger="handoff.retention")
    stop = asyncio.Event()
    async with SqliteSpool(db) as spool:
        loop = asyncio.create_task(retention_loop(spool, 30, stop, interval=0.05))
        for _ in range(200):
            if "removed the raw mail of 2" in caplog.text:
                break
            await asyncio.sleep(0.01)
        # Something finished and aged meanwhile is taken at the next pass.
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE handoffs SET received_at = ? WHERE id = ?", (time.time() - OLD, ids["today"]))
        for _ in range(200):
            if "removed the raw mail of 1" in caplog.text:
                break
            await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(loop, 5)  # stops promptly with serve
        item: Any = await spool.get(ids["today"])
    assert "removed the raw mail of 2 created or skipped handoff(s)" in caplog.text
    assert "removed the raw mail of 1 created or skipped handoff(s)" in caplog.text
    assert item.raw == b"" and item.raw_purged_at is not None
    assert "Where is order" not in caplog.text  # counts and sizes only, never the mail


async def test_keep_raw_days_0_keeps_raw_mail_forever(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "handoff.db"
    await fill(db)
    before = raw_sizes(db)
    caplog.set_level(logging.INFO, logger="handoff.retention")
    async with SqliteSpool(db) as spool:
        await asyncio.wait_for(retention_loop(spool, 0, asyncio.Event(), interval=0.01), 5)
    assert raw_sizes(db) == before and "kept forever" in caplog.text


async def test_serve_runs_the_retention_pass(tmp_path: Path, sandbox: Any) -> None:
    from handoff.service import Service
    from tests.conftest import settings_for

    settings = settings_for(tmp_path, sandbox, spool={"keep_raw_days": 30})
    ids = await fill(tmp_path / "handoff.db")
    service = Service(settings)
    await service.start()
    try:
        for _ in range(300):
            if raw_sizes(tmp_path / "handoff.db")[ids["created"]] == 0:
                break
            await asyncio.sleep(0.02)
    finally:
        await service.stop()
    sizes = raw_sizes(tmp_path / "handoff.db")
    assert sizes[ids["created"]] == sizes[ids["skipped"]] == 0 and sizes[ids["parked"]] > 0
