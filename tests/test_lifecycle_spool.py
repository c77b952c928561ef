"""The lifecycle follower's spool methods (handoff.spool.lifecycle_sqlite) against a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from handoff.spool.base import OutboxEvent
from handoff.spool.sqlite import SqliteSpool


def event(key: str) -> OutboxEvent:
    return OutboxEvent(key=key, kind="case_resolved", payload={"event_name": "Case Resolved", "key": key})


async def test_a_page_its_token_and_its_memory_commit_together(spool: SqliteSpool, tmp_path: Path) -> None:
    assert await spool.cursor("incidents") is None
    rows = {("incidents", "a"): {"statecode": 1}, ("contacts", "c"): {"since": "2026-01-01T00:00:00Z"}}
    added = await spool.commit_page("incidents", '{"link": "L1"}', [event("k1"), event("k2")], False, rows)
    assert added == 2
    assert await spool.cursor("incidents") == '{"link": "L1"}'
    assert await spool.remembered("incidents", ["a", "b"]) == {"a": {"statecode": 1}}
    assert await spool.remembered("contacts", ["c"]) == {"c": {"since": "2026-01-01T00:00:00Z"}}
    # A replayed page (same keys) adds nothing; a middle page (token None) keeps the stored token.
    assert await spool.commit_page("incidents", None, [event("k1"), event("k2")], False, {}) == 0
    assert await spool.cursor("incidents") == '{"link": "L1"}'
    # A deletion forgets the row.
    await spool.commit_page("incidents", '{"link": "L2"}', [], False, {("incidents", "a"): None})
    assert await spool.remembered("incidents", ["a"]) == {}
    # Another connection (a restarted process) sees all of it.
    conn = sqlite3.connect(tmp_path / "spool.db")
    try:
        states = conn.execute("SELECT key, state FROM outbox ORDER BY id").fetchall()
        token = conn.execute("SELECT token FROM lifecycle_cursors WHERE name='incidents'").fetchone()[0]
    finally:
        conn.close()
    assert states == [("k1", "pending"), ("k2", "pending")] and token == '{"link": "L2"}'


async def test_baseline_events_are_recorded_and_never_claimed(spool: SqliteSpool) -> None:
    assert await spool.commit_page("slakpiinstances", '{"link": "L"}', [event("old")], True, {}) == 1
    assert [(e.key, e.state) for e in await spool.events()] == [("old", "baseline")]
    assert await spool.claim_event(60) is None
    # The same change seen again later (a re-sync) is not new: it stays baseline, unsent.
    assert await spool.commit_page("slakpiinstances", None, [event("old")], False, {}) == 0
    assert await spool.claim_event(60) is None
    await spool.commit_page("slakpiinstances", None, [event("new")], False, {})
    claimed = await spool.claim_event(60)
    assert claimed is not None and claimed.key == "new"


async def test_created_incident_knows_only_created_handoffs(spool: SqliteSpool) -> None:
    ours = "6f1c2b8e-0000-4000-8000-000000000001"
    first = await spool.enqueue(b"a", "", [])
    await spool.enqueue(b"b", "", [])
    item = await spool.claim(60)
    assert item is not None and item.id == first
    assert not await spool.created_incident(ours)
    await spool.finish_created(first, ours, "CAS-01000-AAAAAA", {}, [])
    assert await spool.created_incident(ours)
    assert await spool.created_incident(ours.upper())  # ids compare as Dataverse's, case-insensitively
    assert not await spool.created_incident("6f1c2b8e-0000-4000-8000-000000000002")
