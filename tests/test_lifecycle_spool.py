"""The lifecycle follower's spool methods against both backends (a SQLite file, a PostgreSQL schema):
handoff.spool.lifecycle_sqlite and handoff.spool.lifecycle_postgres keep one contract."""

from __future__ import annotations

import asyncio
from typing import Any

from handoff.spool.base import OutboxEvent
from tests import test_spool
from tests.test_spool import Store

# The contract suite's fixtures: every test here runs on a SQLite file and on a PostgreSQL schema.
store = test_spool.store
spool = test_spool.spool


def event(key: str) -> OutboxEvent:
    return OutboxEvent(key=key, kind="case_resolved", payload={"event_name": "Case Resolved", "key": key})


async def test_a_page_its_token_and_its_memory_commit_together(spool: Any, store: Store) -> None:
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
    states = await store.rows("SELECT key, state FROM outbox ORDER BY id")
    token = await store.rows("SELECT token FROM lifecycle_cursors WHERE name='incidents'")
    assert states == [("k1", "pending"), ("k2", "pending")] and token == [('{"link": "L2"}',)]


async def test_two_instances_committing_the_same_page_add_each_event_once(spool: Any, store: Store) -> None:
    other = store.new()
    await other.open()
    try:
        page = [event(f"k{n}") for n in range(20)]
        added = await asyncio.gather(
            spool.commit_page("incidents", "T", page, False, {}), other.commit_page("incidents", "T", page, False, {})
        )
        assert sorted(added) in ([0, 20], [20, 0]) or sum(added) == 20
        assert len(await spool.events()) == 20
    finally:
        await other.close()


async def test_baseline_events_are_recorded_and_never_claimed(spool: Any) -> None:
    assert await spool.commit_page("slakpiinstances", '{"link": "L"}', [event("old")], True, {}) == 1
    assert [(e.key, e.state) for e in await spool.events()] == [("old", "baseline")]
    assert await spool.claim_event(60) is None
    # The same change seen again later (a re-sync) is not new: it stays baseline, unsent.
    assert await spool.commit_page("slakpiinstances", None, [event("old")], False, {}) == 0
    assert await spool.claim_event(60) is None
    await spool.commit_page("slakpiinstances", None, [event("new")], False, {})
    claimed = await spool.claim_event(60)
    assert claimed is not None and claimed.key == "new"


async def test_created_incident_knows_only_created_handoffs(spool: Any) -> None:
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


async def test_created_case_gives_the_columns_handoff_sent(spool: Any) -> None:
    ours = "6f1c2b8e-0000-4000-8000-000000000003"
    first = await spool.enqueue(b"a", "", [])
    item = await spool.claim(60)
    assert item is not None and item.id == first
    assert await spool.created_case(ours) is None
    sent = {"incidentid": ours, "title": "Refund - Maria", "prioritycode": 1}
    await spool.finish_created(first, ours, "CAS-01000-AAAAAA", {"incident": sent}, [])
    assert await spool.created_case(ours.upper()) == sent
    assert await spool.created_case("6f1c2b8e-0000-4000-8000-000000000004") is None


async def test_created_contact_gives_the_contact_as_handoff_knew_it(spool: Any) -> None:
    ours = "6f1c2b8e-0000-4000-8000-000000000005"
    first = await spool.enqueue(b"a", "", [])
    item = await spool.claim(60)
    assert item is not None and item.id == first
    assert await spool.created_contact(ours) is None
    contact = {
        "contactid": "0b7d6a52-1111-4000-8000-000000000009",
        "emailaddress1": "ria@example.com",
        "lastname": "Sen",
    }
    await spool.finish_created(first, ours, "CAS-01000-AAAAAB", {"incident": {}, "contact": contact}, [])
    assert await spool.created_contact(ours.upper()) == contact
    assert await spool.created_contact("6f1c2b8e-0000-4000-8000-000000000006") is None
