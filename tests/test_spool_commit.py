"""The SQLite spool's writer: a mail alone in its transaction (no savepoint) and mails folded into one
(a savepoint each) fail and succeed on their own; a real SQLite file read back over another connection."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from handoff.spool.sqlite import SqliteSpool


def stored(path: Path) -> list[tuple[str, bytes]]:
    conn = sqlite3.connect(path)
    try:
        return [(r[0], bytes(r[1])) for r in conn.execute("SELECT mail_from, raw FROM handoffs ORDER BY id")]
    finally:
        conn.close()


async def test_a_lone_failing_enqueue_stores_nothing_and_the_next_one_is_stored(tmp_path: Path) -> None:
    async with SqliteSpool(tmp_path / "spool.db") as spool:
        with pytest.raises(Exception, match=r"surrogates not allowed|encode"):
            await spool.enqueue(b"bad", "bad\udcff@example.com", [])  # a lone surrogate cannot be stored
        first = await spool.enqueue(b"Message-ID: <a@x>\r\n\r\nok", "a@example.com", [])
        assert await spool.enqueue(b"Message-ID: <a@x>\r\n\r\nok", "b@example.com", []) == first  # the same mail
        assert spool.duplicates == 1
    assert stored(tmp_path / "spool.db") == [("a@example.com", b"Message-ID: <a@x>\r\n\r\nok")]


async def test_a_burst_with_duplicates_and_a_failure_keeps_every_other_row(tmp_path: Path) -> None:
    async with SqliteSpool(tmp_path / "spool.db") as spool:
        mails = [b"Message-ID: <m%d@x>\r\n\r\nbody %d" % (n % 5, n % 5) for n in range(20)]
        results = await asyncio.gather(
            *(spool.enqueue(raw, f"s{n}@example.com", []) for n, raw in enumerate(mails)),
            spool.enqueue(b"bad", "bad\udcff@example.com", []),
            return_exceptions=True,
        )
        assert isinstance(results[-1], Exception)
        ids = results[:-1]
        assert all(isinstance(i, int) for i in ids)
        assert [ids[n] == ids[n % 5] for n in range(20)] == [True] * 20  # one row per mail
        assert spool.duplicates == 15 and spool.commits < 21
    rows = stored(tmp_path / "spool.db")
    assert [raw for _, raw in rows] == mails[:5]
    assert [sender for sender, _ in rows] == [f"s{n}@example.com" for n in range(5)]


async def test_a_full_spool_fails_exactly_the_mails_it_does_not_store(tmp_path: Path) -> None:
    """Every caller told "stored" has its row, every caller told otherwise has none: also when the file is
    full in the middle of a folded transaction, which SQLite may roll back whole (max_page_count stands in
    for a full disk)."""
    path = tmp_path / "spool.db"
    async with SqliteSpool(path) as spool:
        await spool.enqueue(b"Message-ID: <first@x>\r\n\r\nfirst", "a@example.com", [])
        pages = await spool._call(lambda conn: conn.execute("PRAGMA page_count").fetchone()[0])
        await spool._call(lambda conn: conn.execute(f"PRAGMA max_page_count={pages + 40}").fetchone())
        mails = [b"Message-ID: <m%d@x>\r\n\r\n" % n + (b"x" * 40_000 if n % 4 == 3 else b"small") for n in range(24)]
        results = await asyncio.gather(
            *(spool.enqueue(raw, "a@example.com", []) for raw in mails), return_exceptions=True
        )
        assert any(isinstance(r, Exception) for r in results)  # the file did fill up
        kept = {raw for _, raw in stored(path)}
        for raw, result in zip(mails, results, strict=True):
            assert (raw in kept) == isinstance(result, int), (raw[:20], result)
        # And the spool goes on once there is room again.
        await spool._call(lambda conn: conn.execute("PRAGMA max_page_count=1073741823").fetchone())
        assert isinstance(await spool.enqueue(mails[3], "a@example.com", []), int)
