"""The spool contract: what intake and the worker rely on, against a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from handoff.errors import SpoolError
from handoff.spool.base import OutboxEvent
from handoff.spool.sqlite import SqliteSpool


async def test_enqueue_is_durable_and_readable_by_another_connection(spool: SqliteSpool, tmp_path: Path) -> None:
    raw = b"Subject: hi\r\n\r\nbody\xff\r\n"
    item_id = await spool.enqueue(raw, "a@example.com", ["cases@handoff.test"])
    # Another connection (another process after a crash) sees the committed row, bytes intact.
    conn = sqlite3.connect(tmp_path / "spool.db")
    row = conn.execute("SELECT raw, state, mail_from FROM handoffs WHERE id=?", (item_id,)).fetchone()
    conn.close()
    assert row == (raw, "queued", "a@example.com")


async def test_claim_leases_and_counts_attempts(spool: SqliteSpool) -> None:
    first = await spool.enqueue(b"1", "", [])
    second = await spool.enqueue(b"2", "", [])
    a = await spool.claim(60)
    b = await spool.claim(60)
    assert (a.id, a.state, a.attempts) == (first, "working", 1)
    assert b.id == second
    assert await spool.claim(60) is None  # nothing left to take while both are leased


async def test_retry_later_waits_then_returns(spool: SqliteSpool) -> None:
    item_id = await spool.enqueue(b"x", "", [])
    item = await spool.claim(60)
    await spool.retry_later(item.id, 0.2, "503 from Dataverse")
    assert await spool.claim(60) is None
    await asyncio.sleep(0.25)
    again = await spool.claim(60)
    assert (again.id, again.attempts, again.last_error) == (item_id, 2, "503 from Dataverse")


async def test_expired_lease_is_recovered_but_live_one_is_not(spool: SqliteSpool) -> None:
    await spool.enqueue(b"a", "", [])
    await spool.enqueue(b"b", "", [])
    await spool.claim(0.01)  # its worker "died"
    await spool.claim(600)  # another worker is still busy with this one
    await asyncio.sleep(0.05)
    assert await spool.recover() == 1
    assert (await spool.counts())["queued"] == 1


async def test_a_running_worker_takes_over_an_expired_lease(spool: SqliteSpool) -> None:
    # Another instance sharing the spool died mid-handoff; nobody restarts, the live worker picks it up.
    item_id = await spool.enqueue(b"a", "", [])
    await spool.enqueue(b"b", "", [])
    await spool.claim(0.01)
    await spool.claim(600)  # a live lease is never taken over
    await asyncio.sleep(0.05)
    taken = await spool.claim(60)
    assert taken is not None and (taken.id, taken.raw, taken.attempts) == (item_id, b"a", 2)
    assert await spool.claim(60) is None


async def test_an_event_whose_sender_died_is_sent_again_and_a_parked_one_can_be_requeued(spool: SqliteSpool) -> None:
    await spool.enqueue(b"m", "", [])
    item = await spool.claim(60)
    events = [OutboxEvent(key=f"case-created:{n}", kind="case_created", payload={"n": n}) for n in (1, 2)]
    await spool.finish_created(item.id, "abc", "CAS-1", {}, events)
    first = await spool.claim_event(0.01)  # its sender "died" before recording the answer
    second = await spool.claim_event(60)
    assert (first.key, second.key) == ("case-created:1", "case-created:2")
    await asyncio.sleep(0.05)
    again = await spool.claim_event(60)
    assert (again.key, again.attempts) == ("case-created:1", 2)
    await spool.event_park(again.id, "400 bad customer_id")
    assert not await spool.event_requeue(second.id)  # only parked events go back
    assert await spool.event_requeue(again.id)
    retried = await spool.claim_event(60)
    assert (retried.key, retried.state, retried.attempts) == ("case-created:1", "sending", 1)


async def test_finish_created_writes_outbox_event_once(spool: SqliteSpool) -> None:
    event = OutboxEvent(key="case-created:abc", kind="case_created", payload={"x": 1})
    for _ in range(2):  # the same mail delivered twice yields the same event key
        await spool.enqueue(b"m", "", [])
        item = await spool.claim(60)
        await spool.finish_created(item.id, "abc", "CAS-1", {"message_id": "<m@x>"}, [event])
    assert [e.key for e in await spool.events()] == ["case-created:abc"]
    assert (await spool.counts())["created"] == 2


async def test_park_keeps_raw_and_reason_and_can_be_requeued(spool: SqliteSpool) -> None:
    item_id = await spool.enqueue(b"\x00broken", "", [])
    await spool.claim(60)
    await spool.park(item_id, "unreadable mail")
    parked = await spool.get(item_id)
    assert (parked.state, parked.raw, parked.last_error) == ("parked", b"\x00broken", "unreadable mail")
    assert await spool.requeue(item_id)
    assert (await spool.claim(60)).attempts == 1  # a fresh attempt budget


async def test_burst_of_enqueues_is_group_committed(spool: SqliteSpool) -> None:
    ids = await asyncio.gather(*(spool.enqueue(b"m%d" % n, "", []) for n in range(200)))
    assert len(set(ids)) == 200
    # Each caller waited for its own commit, but the writer folded the burst into few transactions.
    assert spool.commits < 100


async def test_one_failing_write_does_not_undo_the_others(spool: SqliteSpool) -> None:
    # Queued together so the writer folds them into one transaction; the NOT NULL violation is real.
    good = spool.enqueue(b"ok", "", [])
    bad = spool._call(lambda conn: conn.execute("INSERT INTO handoffs (id) VALUES (NULL)"))
    after = spool.enqueue(b"also ok", "", [])
    results = await asyncio.gather(good, bad, after, return_exceptions=True)
    assert isinstance(results[1], sqlite3.IntegrityError)
    assert (await spool.get(results[0])).raw == b"ok"
    assert (await spool.get(results[2])).raw == b"also ok"


async def test_unwritable_location_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    spool = SqliteSpool(tmp_path / "file" / "spool.db")
    with pytest.raises(SpoolError, match=r"\[spool\] url"):
        await spool.open()


async def test_a_restart_takes_back_its_own_leases_at_once_and_leaves_a_live_instances(spool: SqliteSpool) -> None:
    mine = await spool.enqueue(b"a", "", [])
    theirs = await spool.enqueue(b"b", "", [])
    assert (await spool.claim(600, "mx1")).id == mine  # type: ignore[union-attr]
    assert (await spool.claim(600, "mx2")).id == theirs  # type: ignore[union-attr]
    # mx1 was killed and starts again: its handoff is queued now, not after a 10-minute lease.
    assert await spool.recover("mx1") == 1
    assert (await spool.get(mine)).state == "queued"  # type: ignore[union-attr]
    held = await spool.get(theirs)
    assert held is not None and (held.state, held.lease_owner) == ("working", "mx2")
