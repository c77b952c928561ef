"""Instances on one spool share what they learn of customers' contacts (handoff.spool.contacts), on both
backends (a SQLite file several processes open, a PostgreSQL schema several hosts use), against the shipped
Dataverse sandbox: a new customer's contact is created by one handoff while the others, in the same process or
another instance, wait for it and bind to it, so no change set is refused on the contact and sent again; a
contact learned by one instance costs the others no lookup; a stale one (merged or deleted in Dynamics) is
forgotten and looked up again."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from handoff.dynamics.contacts import contact_body, contact_id_for
from handoff.service import Parts, build_parts
from handoff.spool.contacts import Known
from tests import test_spool
from tests.conftest import settings_for
from tests.test_dynamics_delivery import draft_of, mail
from tests.test_spool import Store

# The contract suite's fixtures: every test here runs on a SQLite file and on a PostgreSQL schema.
store = test_spool.store

SCOPE = "https://org.example|emailaddress1"


async def instances(tmp_path: Path, sandbox: Any, url: str, n: int, **dynamics: Any) -> list[Parts]:
    """`n` instances (as `handoff serve` builds them) on one spool; the first has the analysis pipeline."""
    parts = []
    for k in range(n):
        directory = tmp_path / f"mx{k}"
        directory.mkdir(parents=True)
        settings = settings_for(directory, sandbox, spool={"url": url}, dynamics=dynamics)
        parts.append(await build_parts(settings, with_pipeline=k == 0, owner=f"mx{k}"))
    return parts


async def close(parts: list[Parts]) -> None:
    for p in parts:
        await p.close()


async def warm(parts: list[Parts], sandbox: Any) -> None:
    """Each instance's token and connection first, so that handoffs sent at once reach Dataverse at once."""
    await asyncio.gather(*(p.dynamics.who_am_i() for p in parts))
    sandbox.requests.clear()


async def claimed(parts: Parts, email: str) -> None:
    """Until another instance's claim on the address is in the table."""
    assert parts.dynamics.shared is not None
    for _ in range(1000):
        if await parts.dynamics.shared.book.get([email]):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"no claim on {email}")


def batches(sandbox: Any) -> list[int]:
    return [r["status"] for r in sandbox.requests if r["route"] == "POST $batch"]


async def test_two_instances_with_one_new_customer_create_one_contact_and_send_no_set_twice(
    tmp_path: Path, sandbox: Any, store: Store
) -> None:
    a, b = await instances(tmp_path, sandbox, store.url, 2)
    try:
        drafts = [await draft_of(a, mail(f"two-{n}@example.com", f"Message {n}")) for n in (1, 2)]
        await warm([a, b], sandbox)
        # Both look the customer up before either change set commits, as two instances under a backlog do. (The
        # second's first request waits up to a second for its share of the budget's places: a long set.)
        sandbox.latency("POST $batch", 2.0)
        results = await asyncio.gather(a.dynamics.deliver(drafts[0]), b.dynamics.deliver(drafts[1]))
    finally:
        await close([a, b])
    [contact] = sandbox.table("contacts")
    assert {r.contact_id for r in results} == {contact["contactid"]} == {contact_id_for("lee@example.com")}
    assert sorted(r.contact_created for r in results) == [False, True]
    incidents = sandbox.table("incidents")
    assert len(incidents) == 2 and {i["_customerid_value"] for i in incidents} == {contact["contactid"]}
    # One change set each, none refused on the contact and sent again (without the shared table: 200, 412, 200).
    assert batches(sandbox) == [200, 200]
    # Both looked it up (neither knew it); the one that lost the claim waited for the other's set.
    assert [r["route"] for r in sandbox.requests].count("GET contacts") == 2
    # Who knows it now: the table, for every instance and for the next start.
    rows = await store.rows("SELECT email, contact_id, claimed_by FROM known_contacts")
    assert [(r[0], r[1], r[2]) for r in rows] == [("lee@example.com", contact["contactid"], None)]


async def test_handoffs_of_one_new_customer_in_one_instance_create_one_contact(
    tmp_path: Path, sandbox: Any, store: Store
) -> None:
    [a] = await instances(tmp_path, sandbox, store.url, 1)
    try:
        drafts = [await draft_of(a, mail(f"one-{n}@example.com", f"Message {n}")) for n in range(3)]
        await warm([a], sandbox)
        sandbox.latency("POST $batch", 0.2)
        results = await asyncio.gather(*(a.dynamics.deliver(d) for d in drafts))
    finally:
        await close([a])
    [contact] = sandbox.table("contacts")
    assert {r.contact_id for r in results} == {contact["contactid"]}
    assert sorted(r.contact_created for r in results) == [False, False, True]
    assert len(sandbox.table("incidents")) == 3
    assert batches(sandbox) == [200, 200, 200]  # the creator's set, then the others': none refused and sent again


async def test_a_contact_one_instance_learned_costs_another_no_lookup(
    tmp_path: Path, sandbox: Any, store: Store
) -> None:
    a, b = await instances(tmp_path, sandbox, store.url, 2)
    try:
        first = await a.dynamics.deliver(await draft_of(a, mail("learn-1@example.com")))
        before = len(sandbox.requests)
        second = await b.dynamics.deliver(await draft_of(a, mail("learn-2@example.com", "Hello again.")))
        routes = [r["route"] for r in sandbox.requests[before:]]
    finally:
        await close([a, b])
    assert routes == ["POST $batch"]  # no GET: the other instance's contact, from the table
    assert second.contact_id == first.contact_id and not second.contact_created
    assert second.contact["lastname"] == "Park"  # its columns travel with it (MoEngage's attributes)


async def test_a_stale_shared_contact_is_forgotten_and_looked_up_again(
    tmp_path: Path, sandbox: Any, store: Store
) -> None:
    a, b, c = await instances(tmp_path, sandbox, store.url, 3)
    try:
        first = await a.dynamics.deliver(await draft_of(a, mail("stale-1@example.com")))
        # Someone merges the contact into an older one and deletes it; the table still points at it.
        older = sandbox.add_record(
            "contacts", {"emailaddress1": "lee@example.com", "lastname": "Park", "createdon": "2020-01-01T00:00:00Z"}
        )
        await a.dynamics.client.request("DELETE", f"contacts({first.contact_id})")
        before = len(sandbox.requests)
        second = await b.dynamics.deliver(await draft_of(a, mail("stale-2@example.com", "Hello again.")))
        routes = [(r["route"], r["status"]) for r in sandbox.requests[before:]]
        # The 404 on the bind, the lookup, the set again, bound to the older contact.
        assert routes == [("POST $batch", 404), ("GET contacts", 200), ("POST $batch", 200)]
        assert second.contact_id == older and not second.contact_created
        rows = await store.rows("SELECT contact_id FROM known_contacts WHERE email = ?", "lee@example.com")
        assert rows == [(older,)]  # the stale row is gone, the lookup's answer is learned in its place
        # A third instance knows the right one at once.
        before = len(sandbox.requests)
        third = await c.dynamics.deliver(await draft_of(a, mail("stale-3@example.com", "And again.")))
        assert [r["route"] for r in sandbox.requests[before:]] == ["POST $batch"]
        assert third.contact_id == older
    finally:
        await close([a, b, c])
    assert {i["_customerid_value"] for i in sandbox.table("incidents")} == {first.contact_id, older}


async def test_a_claim_whose_holder_died_delays_the_others_only_until_it_runs_out(
    tmp_path: Path, sandbox: Any, store: Store
) -> None:
    [a] = await instances(tmp_path, sandbox, store.url, 1)
    dead = store.new()
    await dead.open()
    try:
        # Another instance claimed the customer's creation and died before its change set went.
        assert await dead.contact_book(a.dynamics.shared.book.scope, "dead").claim("lee@example.com", 1.0, 600) is None
        started = time.monotonic()
        delivered = await a.dynamics.deliver(await draft_of(a, mail("dead-1@example.com")))
        took = time.monotonic() - started
    finally:
        await dead.close()
        await close([a])
    assert 0.7 <= took < 5.0, took  # it waited for the claim to run out, then created the contact itself
    assert delivered.contact_created and batches(sandbox) == [200]
    assert len(sandbox.table("contacts")) == 1


async def test_a_claim_is_renewed_while_its_change_set_waits(tmp_path: Path, sandbox: Any, store: Store) -> None:
    a, b = await instances(tmp_path, sandbox, store.url, 2)
    try:
        assert a.dynamics.shared is not None and b.dynamics.shared is not None
        # A claim that would run out in 0.6 s, and a change set taking 2 s (under a backlog it waits behind the
        # others for Dataverse's budget, a minute and more): a renews it, so b keeps waiting rather than creating.
        a.dynamics.shared.claim_seconds = 0.6
        first, second = [await draft_of(a, mail(f"renew-{n}@example.com", f"Message {n}")) for n in (1, 2)]
        await warm([a, b], sandbox)
        sandbox.latency("POST $batch", 2.0)

        async def later() -> Any:
            await claimed(b, "lee@example.com")
            return await b.dynamics.deliver(second)

        results = await asyncio.gather(a.dynamics.deliver(first), later())
        waited = b.dynamics.shared.waits
    finally:
        await close([a, b])
    assert [r.contact_created for r in results] == [True, False] and waited == 1
    assert batches(sandbox) == [200, 200]  # without the renewal: b creates it too, 412, and sends its set again
    assert len(sandbox.table("contacts")) == 1


async def test_a_failed_creation_lets_a_waiting_instance_create_the_contact(
    tmp_path: Path, sandbox: Any, store: Store
) -> None:
    a, b = await instances(tmp_path, sandbox, store.url, 2)
    try:
        bad, good = [await draft_of(a, mail(f"fail-{n}@example.com", f"Message {n}")) for n in (1, 2)]
        # The first handoff's set is refused (a bad option value), after the other instance began to wait for it.
        bad.body["casetypecode"] = 99
        await warm([a, b], sandbox)
        sandbox.latency("POST $batch", 0.3)

        async def later() -> Any:
            await claimed(b, "lee@example.com")
            return await b.dynamics.deliver(good)

        results = await asyncio.gather(a.dynamics.deliver(bad), later(), return_exceptions=True)
        waited = b.dynamics.shared.waits if b.dynamics.shared else 0
    finally:
        await close([a, b])
    assert isinstance(results[0], Exception) and "casetypecode" in str(results[0])
    delivered = results[1]
    assert not isinstance(delivered, BaseException) and delivered.contact_created
    assert waited == 1  # it waited for a's set, then created the contact when that failed
    [contact] = sandbox.table("contacts")
    [incident] = sandbox.table("incidents")
    assert incident["_customerid_value"] == contact["contactid"] == delivered.contact_id


async def test_the_table_lets_one_claim_win_and_keeps_what_was_learned(store: Store) -> None:
    spools = [store.new(), store.new()]
    for s in spools:
        await s.open()
    try:
        a, b = (s.contact_book(SCOPE, holder) for s, holder in zip(spools, ("mx-a", "mx-b"), strict=True))
        assert await a.claim("lee@example.com", 30.0, 600) is None  # a creates it
        lost = await b.claim("lee@example.com", 30.0, 600)
        assert isinstance(lost, Known) and lost.claimed_by == "mx-a" and 25 < lost.claim_left <= 30
        assert await a.claim("lee@example.com", 30.0, 600) is None  # its own claim again (a restart)
        record = contact_body(contact_id_for("lee@example.com"), "lee@example.com", "Lee Park")
        await a.learn("lee@example.com", record["contactid"], record, 600)
        [known] = (await b.get(["lee@example.com", "nobody@example.com"])).values()
        assert known.fresh(600) and known.record == record and not known.claimed()
        assert not known.fresh(0)  # the cache's TTL applies: 0 trusts nothing
        again = await b.claim("lee@example.com", 30.0, 600)
        assert again is not None and again.contact_id == record["contactid"]  # known: nobody creates it
        # Another scope (organisation, match columns) knows nothing of it.
        other = spools[1].contact_book("https://other.example|emailaddress1", "mx-b")
        assert await other.get(["lee@example.com"]) == {}
        await b.forget("lee@example.com", "not-that-one")  # a newer contact than the stale one stays
        assert (await a.get(["lee@example.com"])).keys() == {"lee@example.com"}
        await b.forget("lee@example.com", record["contactid"])
        assert await a.get(["lee@example.com"]) == {}
        # A released claim lets another create it.
        assert await a.claim("sam@example.com", 30.0, 600) is None
        await a.release("sam@example.com")
        assert await b.claim("sam@example.com", 30.0, 600) is None
    finally:
        for s in spools:
            await s.close()
