"""The spool contract, one suite for both backends: what intake, the worker, the outbox sender and the
operators rely on, against a real SQLite file and a real PostgreSQL schema (fresh per test, dropped after).

Every test takes `store` (a backend and where its data lives) or `spool` (one open spool on it); a test
that needs "another process" opens a second spool on the same store.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from handoff.errors import ConfigError, SpoolError
from handoff.spool import open_spool
from handoff.spool.base import OutboxEvent, Peer, Spool
from tests import pg


@dataclass
class Store:
    backend: str
    url: str

    def new(self) -> Any:
        return open_spool(self.url)

    async def rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """Read the tables over a connection of its own, as another process would. `?` placeholders."""
        if self.backend == "sqlite":
            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            try:
                return [tuple(r) for r in conn.execute(sql, args).fetchall()]
            finally:
                conn.close()
        from handoff.spool.postgres import q

        return await pg.fetch(self.url, q(sql), *args)


@pytest.fixture(params=["sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    if request.param == "sqlite":
        yield Store("sqlite", f"sqlite:///{tmp_path}/spool.db")
        return
    async with pg.fresh_schema("spool") as url:
        yield Store("postgres", url)


@pytest.fixture
async def spool(store: Store) -> AsyncIterator[Any]:
    s = store.new()
    await s.open()
    yield s
    await s.close()


async def opened(store: Store, n: int) -> list[Any]:
    spools = [store.new() for _ in range(n)]
    for s in spools:
        await s.open()
    return spools


# -- intake -----------------------------------------------------------------------------------------
async def test_enqueue_is_durable_and_readable_by_another_connection(spool: Spool, store: Store) -> None:
    raw = b"Subject: hi\r\n\r\nbody\xff\x00\r\n"
    item_id = await spool.enqueue(raw, "a@example.com", ["cases@handoff.test"])
    # Another connection (another process after a crash) sees the committed row, bytes intact.
    rows = await store.rows("SELECT raw, state, mail_from FROM handoffs WHERE id=?", item_id)
    assert [(bytes(rows[0][0]), rows[0][1], rows[0][2])] == [(raw, "queued", "a@example.com")]
    item = await spool.get(item_id)
    assert item is not None and (item.raw, item.rcpt_tos, item.attempts) == (raw, ["cases@handoff.test"], 0)


async def test_burst_of_enqueues_is_group_committed(spool: Any) -> None:
    ids = await asyncio.gather(*(spool.enqueue(b"m%d" % n, "", []) for n in range(200)))
    assert len(set(ids)) == 200 and ids == sorted(ids)  # first come, first numbered
    # Each caller waited for its own commit, but the writer folded the burst into few transactions.
    assert spool.commits < 100
    assert [(await spool.get(i)).raw for i in ids[:3]] == [b"m0", b"m1", b"m2"]


async def test_one_bad_enqueue_does_not_cost_the_others_their_row(spool: Spool) -> None:
    # Queued together so the writer folds them into one transaction; a lone surrogate cannot be stored.
    results = await asyncio.gather(
        spool.enqueue(b"ok", "a@example.com", []),
        spool.enqueue(b"bad", "bad\udcff@example.com", []),
        spool.enqueue(b"also ok", "b@example.com", []),
        return_exceptions=True,
    )
    assert isinstance(results[1], Exception)
    assert (await spool.get(results[0])).raw == b"ok"  # type: ignore[arg-type,union-attr]
    assert (await spool.get(results[2])).raw == b"also ok"  # type: ignore[arg-type,union-attr]
    assert (await spool.counts())["queued"] == 2


async def test_a_nul_in_a_header_or_an_error_is_stored(spool: Spool) -> None:
    item_id = await spool.enqueue(b"x", "a\x00@example.com", [])
    await spool.claim(60)
    await spool.park(item_id, "unreadable\x00 mail", {"message_id": "<m\x00@x>"})
    item = await spool.get(item_id)
    assert item is not None and item.state == "parked" and (item.last_error or "").startswith("unreadable")
    assert item.summary == {"message_id": "<m\x00@x>"}  # JSON keeps it exactly


# -- one mail, one handoff --------------------------------------------------------------------------
def forwarded(
    n: int = 1, *, message_id: str | None = "<fwd-1@acme.example>", route: str = "mx1", body: str = ""
) -> bytes:
    """A forwarded mail as it reaches us: trace headers of the route it took, then the mail itself."""
    head = f"Received: from {route}.acme.example by handoff; Tue, 1 Dec 2026 10:0{n}:00 +0000\r\n"
    head += f"Return-Path: <bounce-{route}@acme.example>\r\n"
    if message_id is not None:
        head += f"Message-ID: {message_id}\r\n"
    head += "From: Ana <ana@acme.example>\r\nSubject: Fwd: refund\r\n\r\n"
    return (head + (body or "Please refund order 1234.\r\n")).encode()


async def test_the_same_mail_twice_is_one_row(spool: Any, store: Store) -> None:
    first = await spool.enqueue(forwarded(1), "a@acme.example", ["cases@handoff.test"])
    # Another route (other Received/Return-Path, other envelope), a resend, a second recipient.
    assert await spool.enqueue(forwarded(2, route="mx2"), "b@acme.example", ["support@handoff.test"]) == first
    assert await spool.enqueue(forwarded(1), "a@acme.example", ["cases@handoff.test"]) == first
    # An mbox keeps LF line ends: a replay of the same mail is the same mail.
    assert await spool.enqueue(forwarded(1).replace(b"\r\n", b"\n"), "", []) == first
    assert (await store.rows("SELECT COUNT(*) FROM handoffs"))[0][0] == 1
    assert spool.duplicates == 3
    item = await spool.get(first)
    assert item is not None and (item.mail_from, item.rcpt_tos) == ("a@acme.example", ["cases@handoff.test"])
    assert item.message_id == "<fwd-1@acme.example>"  # known from the start: searchable while queued
    assert [i.id for i in await spool.latest(search="FWD-1@acme")] == [first]


async def test_the_peer_is_kept_with_the_mail_not_in_it(spool: Any, store: Store) -> None:
    relay = Peer(ip="192.0.2.10", helo="relay.acme.example", tls="TLSv1.3", auth="triage-bot")
    first = await spool.enqueue(forwarded(1), "a@acme.example", ["cases@handoff.test"], relay)
    plain = await spool.enqueue(forwarded(3, message_id="<other@acme.example>"), "", [], Peer(ip="2001:db8::25"))
    unknown = await spool.enqueue(forwarded(4, message_id="<replayed@acme.example>"), "", [])
    assert (await spool.get(first)).peer == relay  # type: ignore[union-attr]
    assert (await spool.get(plain)).peer == Peer(ip="2001:db8::25")  # type: ignore[union-attr]
    assert (await spool.get(unknown)).peer is None  # type: ignore[union-attr]
    assert [i.peer for i in await spool.latest(limit=1)] == [None]
    # The raw bytes stay as they came (no Received header added), and the mail resent after a lost 250
    # from another relay is still the same handoff, with the first peer.
    assert (await spool.get(first)).raw == forwarded(1)  # type: ignore[union-attr]
    again = await spool.enqueue(forwarded(1), "a@acme.example", ["cases@handoff.test"], Peer(ip="198.51.100.7"))
    assert again == first and (await spool.get(first)).peer == relay  # type: ignore[union-attr]
    claimed = await spool.claim(60)
    assert claimed is not None and claimed.id == first and claimed.peer == relay


async def test_rows_from_before_the_peer_column_have_none(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import handoff.spool.postgres as pg_backend
    import handoff.spool.sqlite as sqlite_backend

    backend: Any = sqlite_backend if store.backend == "sqlite" else pg_backend
    full = backend.MIGRATIONS
    monkeypatch.setattr(backend, "MIGRATIONS", full[:-1])  # the release before kept no peer
    sql = "INSERT INTO handoffs (received_at, mail_from, rcpt_tos, raw, updated_at) VALUES (1, '', '[]', ?, 1)"
    async with store.new() as old:
        if store.backend == "sqlite":
            await old._call(lambda conn: conn.execute(sql, (b"old",)))
        else:
            async with old._conn() as conn:
                await conn.execute(pg_backend.q(sql), b"old")
    monkeypatch.setattr(backend, "MIGRATIONS", full)
    async with store.new() as spool:
        assert spool.applied == [len(full)]
        item = await spool.get(1)
        assert item is not None and item.raw == b"old" and item.peer is None
        new = await spool.enqueue(b"new", "", [], Peer(ip="192.0.2.10", helo="relay.acme.example"))
        assert (await spool.get(new)).peer == Peer(ip="192.0.2.10", helo="relay.acme.example")  # type: ignore[union-attr]


async def test_a_new_mail_reusing_a_message_id_is_not_swallowed(spool: Any) -> None:
    first = await spool.enqueue(forwarded(body="Please refund order 1234.\r\n"), "", [])
    other = await spool.enqueue(forwarded(body="And now order 5678 is late.\r\n"), "", [])
    renamed = await spool.enqueue(forwarded(message_id="<fwd-2@acme.example>"), "", [])
    assert len({first, other, renamed}) == 3 and spool.duplicates == 0


async def test_a_mail_without_message_id_is_one_row_only_within_the_window(spool: Any, store: Store) -> None:
    from handoff.ids import UNIDENTIFIED_WINDOW

    first = await spool.enqueue(forwarded(1, message_id=None), "", [])
    assert await spool.enqueue(forwarded(2, message_id=None, route="mx2"), "", []) == first
    # Past the window the same bytes are taken as a new mail (nothing else tells them apart).
    old = (await spool.get(first)).received_at - UNIDENTIFIED_WINDOW - 60
    if store.backend == "sqlite":
        await spool._call(lambda conn: conn.execute("UPDATE handoffs SET received_at=?", (old,)))
    else:
        async with spool._conn() as conn:
            await conn.execute("UPDATE handoffs SET received_at=$1", old)
    later = await spool.enqueue(forwarded(3, message_id=None), "", [])
    assert later != first
    assert await spool.enqueue(forwarded(4, message_id=None), "", []) == later
    assert spool.duplicates == 2


async def test_a_duplicate_leaves_the_handoff_as_it_stands(spool: Spool) -> None:
    item_id = await spool.enqueue(forwarded(), "", [])
    claimed = await spool.claim(60, "mx1")
    assert claimed is not None and claimed.id == item_id
    assert await spool.enqueue(forwarded(2, route="mx2"), "", []) == item_id  # while it is being worked on
    await spool.finish_created(item_id, "inc-1", "CAS-1", {"message_id": "<fwd-1@acme.example>"})
    assert await spool.enqueue(forwarded(3, route="mx3"), "", []) == item_id  # and after
    item = await spool.get(item_id)
    assert item is not None and (item.state, item.attempts, item.ticket_number) == ("created", 1, "CAS-1")
    assert await spool.claim(60, "mx1") is None  # nothing new to hand off


async def test_replaying_a_mailbox_twice_adds_no_rows(spool: Spool, store: Store) -> None:
    mailbox = [forwarded(message_id=f"<r{n}@acme.example>") for n in range(20)] + [
        forwarded(message_id=None, body=f"no id {n}\n") for n in range(5)
    ]
    first = [await spool.enqueue(raw, "", []) for raw in mailbox]
    again = [await spool.enqueue(raw, "", []) for raw in mailbox]
    assert again == first and len(set(first)) == 25
    assert (await store.rows("SELECT COUNT(*) FROM handoffs"))[0][0] == 25


async def test_instances_storing_the_same_mail_at_once_store_it_once(store: Store) -> None:
    spools = await opened(store, 3)
    try:
        # Two MX routes delivering the same mails at the same moment to different instances, some mails
        # arriving twice in one instance's group commit as well.
        mails = [forwarded(n % 10, message_id=f"<c{n}@acme.example>", route=f"mx{n}") for n in range(30)]
        jobs = [s.enqueue(raw, "", []) for raw in mails for s in spools for _ in range(2)]
        ids = await asyncio.gather(*jobs)
        by_mail = [set(ids[n * 6 : n * 6 + 6]) for n in range(30)]
        assert all(len(same) == 1 for same in by_mail)
        assert len({next(iter(same)) for same in by_mail}) == 30
        assert (await store.rows("SELECT COUNT(*) FROM handoffs"))[0][0] == 30
        assert sum(s.duplicates for s in spools) == 150
    finally:
        for s in spools:
            await s.close()


# -- worker -----------------------------------------------------------------------------------------
async def test_claim_leases_and_counts_attempts(spool: Spool) -> None:
    first = await spool.enqueue(b"1", "", [])
    second = await spool.enqueue(b"2", "", [])
    a = await spool.claim(60, "mx1")
    b = await spool.claim(60, "mx1")
    assert a is not None and b is not None
    assert (a.id, a.state, a.attempts, a.lease_owner, a.open_claims) == (first, "working", 1, "mx1", 1)
    assert a.lease_until is not None and a.lease_until > time.time() + 50
    assert b.id == second
    assert await spool.claim(60) is None  # nothing left to take while both are leased
    stored = await spool.get(first)
    assert stored is not None and (stored.state, stored.lease_owner) == ("working", "mx1")


async def test_retry_later_waits_then_returns(spool: Spool) -> None:
    item_id = await spool.enqueue(b"x", "", [])
    item = await spool.claim(60)
    assert item is not None
    await spool.retry_later(item.id, 0.3, "503 from Dataverse")
    assert await spool.claim(60) is None
    due = await spool.next_due_in()
    assert due is not None and 0 < due <= 0.3
    await asyncio.sleep(0.35)
    again = await spool.claim(60)
    assert again is not None and (again.id, again.attempts, again.last_error) == (item_id, 2, "503 from Dataverse")
    assert again.open_claims == 1  # the retry was an outcome


async def test_a_retry_with_its_summary_is_shown_and_found_while_it_waits(spool: Spool) -> None:
    item_id = await spool.enqueue(b"x", "", [])
    item = await spool.claim(60)
    assert item is not None
    summary = {"message_id": "<w1@example.com>", "subject": "Refund", "customer": {"email": "noor@example.com"}}
    await spool.retry_later(item.id, 600, "503 from Dataverse", summary)
    waiting = await spool.get(item_id)
    assert waiting is not None and waiting.state == "queued"
    assert waiting.summary["customer"] == {"email": "noor@example.com"}
    assert waiting.message_id == "<w1@example.com>"
    assert [r.id for r in await spool.latest(search="noor@example")] == [item_id]


async def test_wake_retries_makes_every_backoff_due_now(spool: Spool) -> None:
    for n in range(3):
        await spool.enqueue(b"%d" % n, "", [])
        item = await spool.claim(60)
        assert item is not None
        await spool.retry_later(item.id, 600, "outage")
    assert await spool.claim(60) is None
    assert await spool.wake_retries() == 3
    assert await spool.next_due_in() == 0.0
    assert (await spool.claim(60)) is not None


async def test_expired_lease_is_recovered_but_live_one_is_not(spool: Spool) -> None:
    await spool.enqueue(b"a", "", [])
    await spool.enqueue(b"b", "", [])
    await spool.claim(0.2, "mx2")  # its worker "died"
    await spool.claim(600, "mx2")  # another worker of a live instance is still busy with this one
    await asyncio.sleep(0.3)
    assert await spool.recover("mx1") == 1
    assert (await spool.counts())["queued"] == 1


async def test_recover_takes_back_the_owners_own_leases_at_once(spool: Spool) -> None:
    mine = await spool.enqueue(b"mine", "", [])
    theirs = await spool.enqueue(b"theirs", "", [])
    await spool.claim(600, "mx1")  # held by this instance before it was killed
    await spool.claim(600, "mx2")  # held by another live instance
    assert await spool.recover("mx1") == 1
    item, other = await spool.get(mine), await spool.get(theirs)
    assert item is not None and (item.state, item.lease_owner, item.open_claims) == ("queued", None, 1)
    assert other is not None and (other.state, other.lease_owner) == ("working", "mx2")


async def test_a_running_worker_takes_over_an_expired_lease(store: Store) -> None:
    # Another instance sharing the spool died mid-handoff; nobody restarts, the live one picks it up.
    dead, alive = await opened(store, 2)
    try:
        item_id = await dead.enqueue(b"a", "", [])
        await dead.enqueue(b"b", "", [])
        await dead.claim(0.2, "mx1")
        await alive.claim(600, "mx2")  # a live lease is never taken over
        assert await alive.claim(60, "mx2") is None
        await asyncio.sleep(0.3)
        taken = await alive.claim(60, "mx2")
        assert taken is not None and (taken.id, taken.raw, taken.attempts) == (item_id, b"a", 2)
        assert (taken.lease_owner, taken.open_claims) == ("mx2", 2)
        assert await alive.claim(60, "mx2") is None
    finally:
        for s in (dead, alive):
            await s.close()


async def test_extend_lease_keeps_a_live_handoff_from_being_taken_over(spool: Spool) -> None:
    item_id = await spool.enqueue(b"a", "", [])
    await spool.claim(0.2, "mx1")
    await asyncio.sleep(0.1)
    assert await spool.extend_lease(item_id, 600)
    await asyncio.sleep(0.15)
    assert await spool.claim(60, "mx2") is None
    await spool.finish_skipped(item_id, "bounce", "a DSN", {})
    assert not await spool.extend_lease(item_id, 600)  # no longer working: not ours to extend


async def test_release_gives_back_counted_or_not(spool: Spool) -> None:
    item_id = await spool.enqueue(b"a", "", [])
    await spool.claim(60, "mx1")
    await spool.release(item_id, "the analysis process died")  # counted: it may be this mail
    item = await spool.get(item_id)
    assert item is not None and (item.state, item.open_claims, item.lease_owner) == ("queued", 1, None)
    assert item.last_error == "the analysis process died"
    await spool.claim(60, "mx1")
    await spool.release(item_id, counted=False)  # a graceful stop is not the mail's fault
    item = await spool.get(item_id)
    assert item is not None and (item.state, item.open_claims, item.attempts) == ("queued", 1, 2)
    assert item.last_error == "the analysis process died"  # kept when none is given


async def test_a_claim_without_outcome_is_capped_before_the_work_starts(spool: Spool) -> None:
    # A mail that kills the process each time: it is claimed, and the process dies before any outcome.
    item_id = await spool.enqueue(b"Subject: x\r\n\r\nkills us\r\n", "a@example.com", [])
    for _ in range(3):
        item = await spool.claim(0.1, "mx1", max_claims=3)
        assert item is not None and item.id == item_id
        await asyncio.sleep(0.15)  # the lease of the dead process runs out
    behind = await spool.enqueue(b"Subject: y\r\n\r\nfine\r\n", "b@example.com", [])
    nxt = await spool.claim(60, "mx1", max_claims=3)
    assert nxt is not None and nxt.id == behind  # the poison one is parked on the way, the next flows
    parked = await spool.get(item_id)
    assert parked is not None and parked.state == "parked" and parked.lease_owner is None
    assert parked.last_error is not None and parked.last_error.startswith("gave up after 3 claims without an outcome")


async def test_an_outcome_resets_the_claim_count(spool: Spool) -> None:
    item_id = await spool.enqueue(b"x", "", [])
    for _ in range(5):
        item = await spool.claim(60, "mx1", max_claims=2)
        assert item is not None and item.id == item_id
        await spool.retry_later(item_id, 0, "503")  # every attempt got an answer: not a poison mail
    item = await spool.get(item_id)
    assert item is not None and (item.state, item.attempts, item.open_claims) == ("queued", 5, 0)


async def test_park_keeps_raw_and_reason_and_can_be_requeued(spool: Spool) -> None:
    item_id = await spool.enqueue(b"\x00broken", "", [])
    await spool.claim(60)
    await spool.park(item_id, "unreadable mail")
    parked = await spool.get(item_id)
    assert parked is not None and (parked.state, parked.raw, parked.last_error) == (
        "parked",
        b"\x00broken",
        "unreadable mail",
    )
    assert await spool.requeue(item_id)
    assert not await spool.requeue(item_id)  # queued already: nothing to do
    again = await spool.claim(60)
    assert again is not None and again.attempts == 1  # a fresh attempt budget


async def test_outcomes_record_what_became_of_a_handoff(spool: Spool) -> None:
    created = await spool.enqueue(b"c", "", [])
    skipped = await spool.enqueue(b"s", "", [])
    await spool.claim(60, "mx1")
    await spool.claim(60, "mx1")
    await spool.finish_created(created, "inc-1", "CAS-1", {"message_id": "<c@x>", "n": 1})
    await spool.finish_skipped(skipped, "auto_reply", "Auto-Submitted: auto-replied", {"message_id": "<s@x>"})
    c, s = await spool.get(created), await spool.get(skipped)
    assert c is not None and (c.state, c.incident_id, c.ticket_number, c.message_id) == (
        "created",
        "inc-1",
        "CAS-1",
        "<c@x>",
    )
    assert c.summary == {"message_id": "<c@x>", "n": 1} and c.lease_owner is None and c.open_claims == 0
    assert s is not None and (s.state, s.skipped_guard, s.skipped_reason) == (
        "skipped",
        "auto_reply",
        "Auto-Submitted: auto-replied",
    )
    assert await spool.requeue(skipped)  # an operator may send a skipped one through again
    counts = await spool.counts()
    assert counts == {"queued": 1, "working": 0, "created": 1, "skipped": 0, "parked": 0}
    assert [i.id for i in await spool.latest(10)] == [skipped, created]
    assert [i.id for i in await spool.latest(10, "created")] == [created]
    assert await spool.get(999_999) is None


async def test_listing_filters_by_time_and_search_and_pages(spool: Spool) -> None:
    ids = [await spool.enqueue(b"mail %d" % n, "", []) for n in range(6)]
    for _ in ids:
        await spool.claim(60)

    def summary(n: int, email: str, name: str | None, subject: str) -> dict[str, Any]:
        return {"message_id": f"<m{n}@mx.example>", "subject": subject, "customer": {"email": email, "name": name}}

    await spool.finish_created(ids[0], "i0", "CAS-01000", summary(0, "ana@acme.example", "Ana MÜLLER", "Refund"))
    await spool.finish_created(ids[1], "i1", "CAS-01001", summary(1, "bo@beta.example", None, "100% off?"))
    await spool.finish_skipped(ids[2], "auto_reply", "auto", summary(2, "cy@acme.example", "Cy", "1000 off"))
    await spool.park(ids[3], "no customer", summary(3, "di@delta.example", "Di_x", "Login"))
    await spool.finish_created(ids[4], "i4", "CAS-01004", {"message_id": "<m4\x00@x>", "subject": "Nul"})
    await spool.retry_later(ids[5], 60, "Dataverse 503")

    async def found(**filters: Any) -> list[int]:
        rows = await spool.latest(20, **filters)
        assert await spool.count(filters.get("state"), since=filters.get("since"), search=filters.get("search")) == (
            len(rows)
        )
        return [i.id for i in rows]

    # The customer's email or name, the subject, the ticket number, the Message-ID; any case.
    assert await found(search="müller") == [ids[0]]
    assert await found(search="ACME.example") == [ids[2], ids[0]]
    assert await found(search="cas-0100") == [ids[4], ids[1], ids[0]]
    assert await found(search="M2@MX") == [ids[2]]
    assert await found(search="refund", state="created") == [ids[0]]
    assert await found(search="refund", state="parked") == []
    # % and _ are the operator's text, not wildcards.
    assert await found(search="100%") == [ids[1]]
    assert await found(search="di_x") == [ids[3]]
    assert await found(search="dizx") == []
    assert await found(search="nul") == [ids[4]]  # a NUL in the summary does not break the search
    assert await found(search="mail 1") == []  # never the raw mail
    # since: received at or after that moment (epoch seconds), newest first.
    third = await spool.get(ids[2])
    assert third is not None
    assert await found(since=third.received_at) == ids[:1:-1]
    assert await found(since=time.time() + 3600) == []
    # Paging: 2 a page, newest first, and the total for "3–4 of 6".
    assert [i.id for i in await spool.latest(2, offset=2)] == [ids[3], ids[2]]
    assert [i.id for i in await spool.latest(2, offset=6)] == []
    assert await spool.count() == 6 and await spool.count("created") == 3
    assert [i.id for i in await spool.latest(10, "queued")] == [ids[5]]  # positional callers still work


# -- retention --------------------------------------------------------------------------------------
async def test_purge_drops_old_raw_of_finished_handoffs_only(spool: Any, store: Store) -> None:
    from handoff.spool.base import purged_note

    raws = {state: f"Subject: {state}\r\n\r\n{state} body".encode() for state in STATES_ORDER}
    ids = {state: await spool.enqueue(raw, "", []) for state, raw in raws.items()}
    recent = await spool.enqueue(b"Subject: recent\r\n\r\nrecent", "", [])
    for _ in range(5):
        await spool.claim(60)
    written = {
        "subject": "created",
        "customer": {"email": "ann@example.com", "name": "Ann"},
        "messages": [{"from_email": "ann@example.com", "body": "My card ends 4242, call me", "signature": "Ann, 555"}],
        "incident": {"title": "Billing - Ann", "description": "Channel: Email ... My card ends 4242"},
    }
    await spool.finish_created(ids["created"], "inc-1", "CAS-1", written)
    await spool.finish_skipped(ids["skipped"], "auto_reply", "auto", {"subject": "skipped"})
    await spool.park(ids["parked"], "no customer")
    await spool.release(ids["queued"], counted=False)
    await spool.finish_created(recent, "inc-2", "CAS-2", {"subject": "recent"})
    # Everything but `recent` was received 40 days ago.
    old = time.time() - 40 * 86400
    if store.backend == "sqlite":
        await spool._call(lambda conn: conn.execute("UPDATE handoffs SET received_at=? WHERE id<>?", (old, recent)))
    else:
        async with spool._conn() as conn:
            await conn.execute("UPDATE handoffs SET received_at=$1 WHERE id<>$2", old, recent)
    cutoff = time.time() - 30 * 86400
    expected = (2, len(raws["created"]) + len(raws["skipped"]))
    assert await spool.purge_raw(cutoff, dry_run=True) == expected
    assert (await spool.get(ids["created"])).raw == raws["created"]  # a dry run removes nothing
    assert await spool.purge_raw(cutoff) == expected
    assert await spool.purge_raw(cutoff) == (0, 0)  # once
    for state in ("created", "skipped"):
        item = await spool.get(ids[state])
        assert item is not None and item.raw == b"" and item.raw_purged_at is not None
        assert item.state == state and item.summary["subject"] == state  # the summary and outcome stay
        assert purged_note(item) == "raw mail removed by retention on " + time.strftime("%Y-%m-%d", time.gmtime())
    # ... but not the words people wrote: retention forgets bodies, signatures and the transcript too.
    created = (await spool.get(ids["created"])).summary
    assert "4242" not in json.dumps(created) and "555" not in json.dumps(created)
    assert created["messages"] == [{"from_email": "ann@example.com", "body_chars": 26}]
    assert created["incident"] == {"title": "Billing - Ann"} and created["customer"]["email"] == "ann@example.com"
    assert [i.id for i in await spool.latest(10, search="ann@example")] == [ids["created"]]  # still found
    assert (await spool.get(ids["created"])).ticket_number == "CAS-1"
    for state in ("parked", "queued", "working"):  # unresolved: kept whatever their age
        item = await spool.get(ids[state])
        assert item is not None and item.raw == raws[state] and purged_note(item) is None
    assert (await spool.get(recent)).raw == b"Subject: recent\r\n\r\nrecent"
    # A purged skipped handoff cannot go through again: there is no mail left to hand off.
    assert not await spool.requeue(ids["skipped"])
    assert await spool.requeue(ids["parked"])
    # Stored bytes really went (another connection reads the rows).
    rows = await store.rows("SELECT id FROM handoffs WHERE length(raw) = 0 ORDER BY id")
    assert [r[0] for r in rows] == sorted([ids["created"], ids["skipped"]])


async def test_purge_of_many_rows_goes_in_chunks(spool: Any, store: Store) -> None:
    from handoff.spool.leased import PURGE_CHUNK

    total = PURGE_CHUNK * 2 + 7
    ids = await asyncio.gather(*(spool.enqueue(b"mail %d" % n, "", []) for n in range(total)))
    for item_id in ids:
        await spool.claim(60)
        await spool.finish_skipped(item_id, "g", "r", {})
    assert await spool.purge_raw(time.time() + 1) == (total, sum(len(b"mail %d" % n) for n in range(total)))
    assert (await store.rows("SELECT COUNT(*) FROM handoffs WHERE raw_purged_at IS NULL"))[0][0] == 0


STATES_ORDER = ("created", "skipped", "parked", "queued", "working")


# -- kept counts ------------------------------------------------------------------------------------
async def counted(store: Store, table: str) -> dict[str, int]:
    """Every row counted, as another process would count them."""
    return {str(k): int(v) for k, v in await store.rows(f"SELECT state, COUNT(*) FROM {table} GROUP BY state")}


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {k: v for k, v in counts.items() if v}


async def test_kept_counts_follow_every_change_by_every_instance(store: Store) -> None:
    a, b = await opened(store, 2)
    try:
        ids = await asyncio.gather(*(s.enqueue(b"count %d" % n, "", []) for n in range(40) for s in (a, b)))
        assert len(set(ids)) == 40  # each mail enqueued by both: stored once

        async def work(spool: Any, n: int) -> None:
            for k in range(12):
                item = await spool.claim(60, f"mx{n}")
                if item is None:
                    return
                event = OutboxEvent(key=f"created:{item.id}", kind="case_created", payload={})
                if k % 4 == 0:
                    await spool.finish_created(item.id, f"inc-{item.id}", None, {}, [event])
                elif k % 4 == 1:
                    await spool.finish_skipped(item.id, "g", "r", {})
                elif k % 4 == 2:
                    await spool.park(item.id, "why")
                else:
                    await spool.retry_later(item.id, 0, "again")

        await asyncio.gather(work(a, 0), work(b, 1))
        parked = [i.id for i in await a.latest(40, "parked")]
        assert parked and await b.requeue(parked[0])
        await a.claim(60, "mx0")  # one left working
        event = await b.claim_event(60)
        assert event is not None
        await b.event_sent(event.id)
        for spool in (a, b):
            assert nonzero(await spool.counts()) == await counted(store, "handoffs")
            assert nonzero(await spool.event_counts()) == await counted(store, "outbox")
        assert sum((await a.counts()).values()) == 40
    finally:
        for s in (a, b):
            await s.close()


async def test_counts_kept_from_rows_stored_before_they_were_kept(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import handoff.spool.postgres as pg_backend
    import handoff.spool.sqlite as sqlite_backend

    backend: Any = sqlite_backend if store.backend == "sqlite" else pg_backend
    full = backend.MIGRATIONS
    before_counts = 4 if store.backend == "sqlite" else 5  # the migrations of the release before kept counts
    monkeypatch.setattr(backend, "MIGRATIONS", full[:before_counts])
    # Written as the release before wrote them: in SQL, since today's verbs read and write later columns.
    statements = [
        (
            "INSERT INTO handoffs (received_at, mail_from, rcpt_tos, raw, state, updated_at) "
            "VALUES (1, '', '[]', ?, ?, 1)",
            (b"old %d" % n, "created" if n < 3 else "queued"),
        )
        for n in range(7)
    ] + [
        ("INSERT INTO outbox (handoff_id, key, kind, payload, created_at) VALUES (?, ?, 'c', '{}', 1)", (n, f"k{n}"))
        for n in (1, 2, 3)
    ]
    async with store.new() as old:
        for sql, args in statements:
            if store.backend == "sqlite":
                await old._call(lambda conn, sql=sql, args=args: conn.execute(sql, args))
            else:
                async with old._conn() as conn:
                    await conn.execute(pg_backend.q(sql), *args)
    monkeypatch.setattr(backend, "MIGRATIONS", full)
    async with store.new() as spool:
        assert await spool.counts() == {"queued": 4, "working": 0, "created": 3, "skipped": 0, "parked": 0}
        assert (await spool.event_counts())["pending"] == 3
        await spool.enqueue(b"new", "", [])
        assert (await spool.counts())["queued"] == 5


# -- guards across mails ----------------------------------------------------------------------------
async def test_brake_counts_distinct_mails_once_each_and_survives_a_restart(store: Store) -> None:
    now = time.time()
    async with store.new() as spool:
        assert [await spool.brake("k", f"d{n}", now + n, 600) for n in range(3)] == [1, 2, 3]
        # The same mail again (a retry, a replay) keeps its first answer and adds nothing.
        assert await spool.brake("k", "d1", now + 50, 600) == 2
        assert await spool.brake("k", "d3", now + 3, 600) == 4
        # Another key, and the same key outside the window, count from one.
        assert await spool.brake("other", "d1", now, 600) == 1
        assert await spool.brake("k", "late", now + 10_000, 600) == 1
    async with store.new() as spool:  # another process after a restart sees the same counts
        assert await spool.brake("k", "d2", now + 2, 600) == 3
        assert await spool.brake("k", "d4", now + 4, 600) == 5


async def test_two_instances_counting_one_storm_at_once_count_each_mail_once(store: Store) -> None:
    a, b = await opened(store, 2)
    try:
        now = time.time()
        # All received at the same instant: only a count serialised across instances gives 1..20.
        counts = await asyncio.gather(*((a if n % 2 else b).brake("storm", f"d{n}", now, 600) for n in range(20)))
        assert sorted(counts) == list(range(1, 21))
        # Both ask about the same mail at once: one count, one answer for both.
        same = await asyncio.gather(a.brake("storm", "d-new", now, 600), b.brake("storm", "d-new", now, 600))
        assert same == [21, 21]
    finally:
        for s in (a, b):
            await s.close()


# -- concurrency ------------------------------------------------------------------------------------
async def test_concurrent_claimers_never_get_the_same_row(store: Store) -> None:
    claimers = await opened(store, 4)  # four pools (PostgreSQL) or four connections (SQLite)
    try:
        ids = await asyncio.gather(*(claimers[0].enqueue(b"m%d" % n, "", []) for n in range(200)))
        taken: list[tuple[int, int]] = []

        async def claimer(n: int) -> None:
            spool = claimers[n]
            while (item := await spool.claim(60, f"mx{n}")) is not None:
                taken.append((n, item.id))
                await spool.finish_created(item.id, f"inc-{item.id}", None, {})

        await asyncio.gather(*(claimer(n) for n in range(4)))
        per_row = Counter(item_id for _, item_id in taken)
        assert sorted(per_row) == sorted(ids) and set(per_row.values()) == {1}  # every row exactly once
        assert len({n for n, _ in taken}) > 1  # they did run side by side
        assert (await claimers[1].counts())["created"] == 200
    finally:
        for s in claimers:
            await s.close()


async def test_concurrent_senders_never_send_the_same_event(store: Store) -> None:
    senders = await opened(store, 3)
    try:
        for n in range(30):
            item_id = await senders[0].enqueue(b"m", "", [])
            await senders[0].claim(60)
            events = [OutboxEvent(key=f"case-created:{n}", kind="case_created", payload={"n": n})]
            await senders[0].finish_created(item_id, f"inc-{n}", None, {}, events)
        sent: list[str] = []

        async def sender(spool: Any) -> None:
            while (event := await spool.claim_event(60)) is not None:
                sent.append(event.key)
                await spool.event_sent(event.id)

        await asyncio.gather(*(sender(s) for s in senders))
        assert sorted(sent) == sorted(f"case-created:{n}" for n in range(30))
        assert (await senders[2].event_counts())["sent"] == 30
    finally:
        for s in senders:
            await s.close()


# -- outbox -----------------------------------------------------------------------------------------
async def test_an_event_whose_sender_died_is_sent_again_and_a_parked_one_can_be_requeued(spool: Spool) -> None:
    await spool.enqueue(b"m", "", [])
    item = await spool.claim(60)
    assert item is not None
    events = [OutboxEvent(key=f"case-created:{n}", kind="case_created", payload={"n": n}) for n in (1, 2)]
    await spool.finish_created(item.id, "abc", "CAS-1", {}, events)
    first = await spool.claim_event(0.2)  # its sender "died" before recording the answer
    second = await spool.claim_event(60)
    assert first is not None and second is not None
    assert (first.key, second.key) == ("case-created:1", "case-created:2")
    assert (first.handoff_id, first.payload, first.state) == (item.id, {"n": 1}, "sending")
    await asyncio.sleep(0.3)
    again = await spool.claim_event(60)
    assert again is not None and (again.key, again.attempts) == ("case-created:1", 2)
    assert again.id is not None and second.id is not None
    await spool.event_park(again.id, "400 bad customer_id")
    assert not await spool.event_requeue(second.id)  # only parked events go back
    assert await spool.event_requeue(again.id)
    retried = await spool.claim_event(60)
    assert retried is not None and (retried.key, retried.state, retried.attempts) == ("case-created:1", "sending", 1)


async def test_event_outcomes_and_counts(spool: Spool) -> None:
    await spool.enqueue(b"m", "", [])
    item = await spool.claim(60)
    assert item is not None
    events = [OutboxEvent(key=f"k{n}", kind="case_created", payload={"n": n}) for n in range(3)]
    await spool.finish_created(item.id, "abc", "CAS-1", {}, events)
    a, b = await spool.claim_event(60), await spool.claim_event(60)
    assert a is not None and b is not None and a.id is not None and b.id is not None
    await spool.event_sent(a.id)
    await spool.event_retry(b.id, 600, "503 from MoEngage")
    assert await spool.event_counts() == {"pending": 2, "sending": 0, "sent": 1, "parked": 0}
    sent = await spool.events("sent")
    assert [(e.key, e.state) for e in sent] == [("k0", "sent")] and sent[0].sent_at is not None
    waiting = await spool.events("pending")
    assert [(e.key, e.last_error) for e in waiting] == [("k1", "503 from MoEngage"), ("k2", None)]
    nxt = await spool.claim_event(60)
    assert nxt is not None and nxt.key == "k2"  # k1 waits out its backoff
    assert await spool.claim_event(60) is None


async def test_finish_created_writes_outbox_event_once(spool: Spool) -> None:
    event = OutboxEvent(key="case-created:abc", kind="case_created", payload={"x": 1})
    # Two rows of one incident (the same mail past the window without a Message-ID, or from before the
    # arrival key) yield the same event key: written once.
    for n in range(2):
        await spool.enqueue(b"m%d" % n, "", [])
        item = await spool.claim(60)
        assert item is not None
        await spool.finish_created(item.id, "abc", "CAS-1", {"message_id": "<m@x>"}, [event])
    assert [e.key for e in await spool.events()] == ["case-created:abc"]
    assert (await spool.counts())["created"] == 2


async def test_events_of_one_handoff(spool: Spool) -> None:
    ids = [await spool.enqueue(b"ev %d" % n, "", []) for n in range(3)]
    for item_id in ids:
        await spool.claim(60)
        events = [OutboxEvent(key=f"{kind}:{item_id}", kind=kind, payload={}) for kind in ("created", "user")]
        await spool.finish_created(item_id, f"inc-{item_id}", None, {}, events)
    mine = await spool.events(handoff_id=ids[1])
    assert sorted(e.key for e in mine) == [f"created:{ids[1]}", f"user:{ids[1]}"]
    assert [e.key for e in await spool.events("pending", handoff_id=ids[2])] == [f"created:{ids[2]}", f"user:{ids[2]}"]
    assert await spool.events(handoff_id=999_999) == [] and len(await spool.events()) == 6


async def test_recover_returns_an_event_whose_sender_died(spool: Spool) -> None:
    await spool.enqueue(b"m", "", [])
    item = await spool.claim(60)
    assert item is not None
    await spool.finish_created(item.id, "abc", "CAS-1", {}, [OutboxEvent(key="k", kind="c", payload={})])
    await spool.claim_event(0.2)
    await asyncio.sleep(0.3)
    await spool.recover("mx1")
    assert (await spool.event_counts())["pending"] == 1


# -- readiness and migrations -----------------------------------------------------------------------
async def test_probe_and_schema_version(store: Store) -> None:
    spool = store.new()
    await spool.open()
    try:
        await spool.probe()
        version = await spool.schema_version()
        assert version >= 1 and spool.applied == list(range(1, version + 1))  # a fresh store: all of them
    finally:
        await spool.close()
    async with store.new() as again:
        assert again.applied == [] and await again.schema_version() == version  # nothing twice


async def test_instances_starting_together_migrate_once(store: Store) -> None:
    spools = [store.new() for _ in range(3)]
    try:
        await asyncio.gather(*(s.open() for s in spools))
        applied = [n for s in spools for n in s.applied]
        version = await spools[0].schema_version()
        assert sorted(applied) == list(range(1, version + 1))  # each step by exactly one of them
    finally:
        for s in spools:
            await s.close()


async def test_rows_from_before_the_search_migration_are_found(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import handoff.spool.postgres as pg_backend
    import handoff.spool.sqlite as sqlite_backend

    backend: Any = sqlite_backend if store.backend == "sqlite" else pg_backend
    full = backend.MIGRATIONS
    monkeypatch.setattr(backend, "MIGRATIONS", full[:1])  # a store written by the release before
    old = store.new()
    await old.open()
    summary = '{"subject": "Broken Printer", "customer": {"email": "Zed@Old.example", "name": null}}'
    nul = '{"subject": "x\\u0000", "message_id": "<nul@old>"}'
    sql = (
        "INSERT INTO handoffs (received_at, mail_from, rcpt_tos, raw, state, summary, ticket_number, message_id, "
        "updated_at) VALUES (1, '', '[]', ?, 'created', ?, ?, ?, 1)"
    )
    for raw, text, ticket, mid in ((b"a", summary, "CAS-7", "<a@old>"), (b"b", nul, None, "<nul@old>")):
        if store.backend == "sqlite":
            await old._call(lambda conn, r=raw, t=text, k=ticket, m=mid: conn.execute(sql, (r, t, k, m)))
        else:
            async with old._conn() as conn:
                await conn.execute(pg_backend.q(sql), raw, text, ticket, mid)
    await old.close()
    monkeypatch.setattr(backend, "MIGRATIONS", full)
    async with store.new() as spool:
        assert 2 in spool.applied
        for term in ("printer", "zed@old", "cas-7", "<a@old>"):
            assert [i.raw for i in await spool.latest(search=term)] == [b"a"], term
        assert [i.raw for i in await spool.latest(search="nul@old")] == [b"b"]  # by its Message-ID column


async def test_unwritable_or_unreachable_store_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a directory")
    with pytest.raises(SpoolError, match=r"\[spool\] url"):
        await open_spool(f"sqlite:///{tmp_path}/file/spool.db").open()
    with pytest.raises(SpoolError, match=r"\[spool\] url: cannot connect to postgresql://u:\*\*\*@127.0.0.1:1/x"):
        await open_spool("postgresql://u:secret@127.0.0.1:1/x").open()


def test_open_spool_chooses_by_scheme() -> None:
    from handoff.spool.postgres import PostgresSpool
    from handoff.spool.sqlite import SqliteSpool

    assert isinstance(open_spool("sqlite:///tmp/x.db"), SqliteSpool)
    assert isinstance(open_spool("postgresql://h/db"), PostgresSpool)
    assert isinstance(open_spool("postgres://h/db?schema=mx"), PostgresSpool)
    for url in ("mysql://h/db", "handoff.db"):
        with pytest.raises(ConfigError, match=r"\[spool\] url: unsupported backend"):
            open_spool(url)
    with pytest.raises(ConfigError, match=r"\[spool\] url: schema"):
        open_spool("postgresql://h/db?schema=Bad-Name")


def test_spool_base_does_not_import_a_backend() -> None:
    import subprocess
    import sys

    code = "import sys, handoff.spool.base; print(sorted(m for m in sys.modules if m.startswith('handoff.spool')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['handoff.spool', 'handoff.spool.base']"


# -- SQLite only ------------------------------------------------------------------------------------
async def test_sqlite_one_failing_write_does_not_undo_the_others(tmp_path: Path) -> None:
    from handoff.spool.sqlite import SqliteSpool

    async with SqliteSpool(tmp_path / "spool.db") as spool:
        # Queued together so the writer folds them into one transaction; the NOT NULL violation is real.
        good = spool.enqueue(b"ok", "", [])
        bad = spool._call(lambda conn: conn.execute("INSERT INTO handoffs (id) VALUES (NULL)"))
        after = spool.enqueue(b"also ok", "", [])
        results = await asyncio.gather(good, bad, after, return_exceptions=True)
        assert isinstance(results[1], sqlite3.IntegrityError)
        assert (await spool.get(results[0])).raw == b"ok"  # type: ignore[arg-type,union-attr]
        assert (await spool.get(results[2])).raw == b"also ok"  # type: ignore[arg-type,union-attr]
