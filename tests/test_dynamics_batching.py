"""Many handoffs per Dataverse request: a backlog shares `$batch` requests and contact lookups, each
handoff keeps its own outcome (real pipeline, msal, aiohttp against the sandbox)."""

from __future__ import annotations

import asyncio
from typing import Any

from handoff.dynamics.contacts import contact_id_for
from handoff.errors import PermanentError, TransientError
from handoff.model import IncidentDraft
from tests.test_dynamics_delivery import RCPT, Make, deliver, draft_of, mail


async def drafts(parts: Any, n: int, prefix: str = "c") -> list[IncidentDraft]:
    return [
        await draft_of(parts, mail(f"{prefix}{i}@example.com", sender=f"Customer {i} <{prefix}{i}@example.com>"))
        for i in range(n)
    ]


def batches(sandbox: Any, since: int = 0) -> list[dict[str, Any]]:
    return [r for r in sandbox.requests[since:] if r["route"] == "POST $batch"]


async def test_a_backlog_shares_requests_and_every_handoff_gets_its_own_case(make: Make, sandbox: Any) -> None:
    # The shipped timeout (30 s): a change set request is kept to a third of it at the seconds per operation
    # measured (handoff.dynamics.coalesce). With the fixtures' 5 s that cap is 1.7 s, and this in-process
    # sandbox answering three requests at once on a loaded machine measured up to 0.04 s per operation: the
    # last 16 handoffs (80 operations) then went in three or four requests by that rule, not in one.
    parts = await make(timeout_seconds=30)
    # Five of the thirty customers are known already, one of them by emailaddress2 in other letters.
    known = {
        i: sandbox.add_record("contacts", {"emailaddress1": f"c{i}@example.com", "lastname": f"Known{i}"})
        for i in range(4)
    }
    other = sandbox.add_record(
        "contacts", {"emailaddress1": "x@work.example", "emailaddress2": "C4@Example.com", "lastname": "Four"}
    )
    work = await drafts(parts, 30)
    before = len(sandbox.requests)
    results = await asyncio.gather(*(parts.dynamics.deliver(d) for d in work))
    cost = sandbox.requests[before:]

    incidents = sandbox.table("incidents")
    assert sorted(r["incidentid"] for r in incidents) == sorted(d.incident_id for d in work)
    assert all(r.ticket_number for r in results)
    for i in range(4):
        assert results[i].contact_id == known[i] and not results[i].contact_created
    # emailaddress2 is not one of the default match columns: c4 is a new contact under its own id.
    assert results[4].contact_id == contact_id_for("c4@example.com") != other
    assert all(r.contact_created for r in results[5:])
    # Thirty handoffs alone would cost sixty requests (a lookup and a $batch each). Shared, on an idle machine:
    # lookups of 1, 1, 20 and 8; change sets of 1 and 1 (the first lookups' handoffs), three full ones of 4 (20
    # operations, the cap before anything is measured), and the other 16 as a place frees, in one request or a
    # few: how many depends on when each answer is read, so a loaded machine splits them further (9 seen at load
    # 15, 10 at load 11). The bounds are what no timing explains: a third of the requests alone, and at most
    # half as many $batches as handoffs. The exact figures are measured by bench/dynamics_replay.py --backlog.
    assert len(cost) <= 20, [r["route"] for r in cost]
    shared = batches(sandbox, before)
    assert len(shared) <= 15 and all(r["status"] == 200 for r in shared)
    assert any(r["prefer"] == "odata.continue-on-error" for r in shared)


async def test_one_handoffs_failure_in_a_shared_request_touches_no_other(make: Make, sandbox: Any) -> None:
    parts = await make()
    work = await drafts(parts, 12, prefix="f")
    # The first timeline email Dataverse sees fails (a plug-in's 400, say): only its change set rolls back.
    sandbox.fail("POST emails", 400, times=1, code="0x80040265", message="A plug-in refused the email.")
    results = await asyncio.gather(*(parts.dynamics.deliver(d) for d in work), return_exceptions=True)
    failed = [(d, r) for d, r in zip(work, results, strict=True) if isinstance(r, BaseException)]
    assert len(failed) == 1
    draft, error = failed[0]
    assert isinstance(error, PermanentError) and "0x80040265" in str(error)
    created = {r["incidentid"] for r in sandbox.table("incidents")}
    assert draft.incident_id not in created  # the whole set of that handoff rolled back
    assert created == {d.incident_id for d in work} - {draft.incident_id}
    # Sent again once the cause is gone, it gets its case; the others are not touched again.
    again = await parts.dynamics.deliver(draft)
    assert not again.already_existed and again.ticket_number
    assert len(sandbox.table("incidents")) == 12


async def test_a_lost_answer_of_a_shared_request_is_retried_without_duplicates(make: Make, sandbox: Any) -> None:
    parts = await make()
    work = await drafts(parts, 10, prefix="d")
    # Every $batch is committed and its answer lost, once per handoff's worth of retries inside the client.
    sandbox.drop_after_commit("$batch", times=100)
    results = await asyncio.gather(*(parts.dynamics.deliver(d) for d in work), return_exceptions=True)
    assert all(isinstance(r, TransientError) for r in results), results
    sandbox._drops.clear()
    again = await asyncio.gather(*(parts.dynamics.deliver(d) for d in work))
    assert all(r.already_existed and r.ticket_number for r in again)
    assert sorted(r["incidentid"] for r in sandbox.table("incidents")) == sorted(d.incident_id for d in work)
    assert len(sandbox.table("contacts")) == 10


async def test_a_handoff_alone_goes_at_once_in_its_own_requests(make: Make, sandbox: Any) -> None:
    parts = await make()
    delivered, routes = await deliver(parts, sandbox, mail("alone@example.com"))
    assert delivered.ticket_number
    assert routes == ["GET contacts", "POST $batch"]
    [request] = batches(sandbox)
    assert request["prefer"] is None  # one change set, answered as before


async def test_off_with_one_handoff_per_request(make: Make, sandbox: Any) -> None:
    parts = await make(max_handoffs_per_request=1)
    work = await drafts(parts, 6, prefix="o")
    before = len(sandbox.requests)
    await asyncio.gather(*(parts.dynamics.deliver(d) for d in work))
    assert len(batches(sandbox, before)) == 6


async def test_a_shared_request_is_on_the_trail_of_every_handoff_it_carried(make: Make, sandbox: Any) -> None:
    from handoff import trail

    parts = await make()
    work = await drafts(parts, 8, prefix="t")

    async def one(draft: IncidentDraft) -> list[dict[str, Any]]:
        with trail.recording() as rec:
            await parts.dynamics.deliver(draft)
        return rec.requests

    recorded = await asyncio.gather(*(one(d) for d in work))
    for requests in recorded:
        assert [r["route"] for r in requests if r["method"] == "POST"] == ["$batch"]
        assert any(r["method"] == "GET" for r in requests)  # its contact lookup, shared or not
    assert any(r.get("handoffs", 1) > 1 for requests in recorded for r in requests)


async def test_the_worker_meeting_a_backlog_shares_requests(tmp_path: Any, sandbox: Any) -> None:
    """A spool full of mails (an outage just ended): `handoff serve` sends them in shared requests."""
    import time

    from handoff.service import Service
    from handoff.spool import open_spool
    from tests.conftest import settings_for

    # A round trip takes time at Dataverse; the sandbox answers in microseconds otherwise.
    sandbox.latency("POST $batch", 0.2, per_operation=0.005)
    sandbox.latency("GET contacts", 0.07)
    settings = settings_for(tmp_path, sandbox)
    spool = open_spool(settings.spool.url)
    await spool.open()
    for i in range(24):
        await spool.enqueue(mail(f"w{i}@example.com", sender=f"W {i} <w{i}@example.com>"), "a@x.example", RCPT)
    await spool.close()
    service = Service(settings)
    await service.start()
    try:
        assert service.parts is not None
        # A request waits for the handoffs still being analysed for at most LINGER (0.5 s) from its first;
        # on a loaded machine the analysis of 24 mails took longer than that, and requests went with what had
        # come (16 $batch requests). The wait is not what this checks, the sharing is: long enough here (a request
        # already waiting reads it at its next look; it still goes once every handoff in hand has come).
        for gate in (service.parts.dynamics.coalescer.lookups, service.parts.dynamics.coalescer.sets):
            gate.linger = 30.0
        deadline = time.monotonic() + 60
        while (await service.parts.spool.counts())["created"] < 24:
            assert time.monotonic() < deadline, await service.parts.spool.counts()
            await asyncio.sleep(0.1)
    finally:
        await service.stop()
    assert len(sandbox.table("incidents")) == 24
    # Alone, 24 handoffs of new customers would cost 48 requests.
    assert len(batches(sandbox)) <= 10
    assert len([r for r in sandbox.requests if r["route"] == "GET contacts"]) <= 10


async def test_the_end_of_a_backlog_is_spread_over_the_places(make: Make, sandbox: Any) -> None:
    from handoff import trail

    # 20 ms per operation: a change set request is kept to 1.7 s (a third of the fixtures' 5 s timeout), about
    # 80 operations, 16 handoffs of 5. The first requests carry the unmeasured cap (20 operations, 4 handoffs);
    # what is left then is less than a full request for each of the 4 places the budget keeps executing
    # (Dataverse's 1,200 s per 300 s, the fixtures' default). Sent as one request (main: the last 15-18 handoffs
    # in one), it ran alone for seconds while the other places stood empty; spread over the places, each piece
    # is a quarter of a full request or an even share of what is left, whichever is more.
    sandbox.latency("POST $batch", 0.02, per_operation=0.02)
    parts = await make()
    work = await drafts(parts, 25, prefix="e")

    async def one(draft: IncidentDraft) -> int:
        with trail.recording() as rec:
            await parts.dynamics.deliver(draft)
        [shared] = [r for r in rec.requests if r["route"] == "$batch"]
        return int(shared.get("handoffs", 1))

    carried = await asyncio.gather(*(one(d) for d in work))
    assert len(sandbox.table("incidents")) == 25
    # Every handoff went in a request of at most 5 (seen: five alone with the first lookups, then four of 5, the
    # share of the 20 left over the 4 places; main: 10 or more in one).
    assert max(carried) <= 5, sorted(carried)
    # And still shared: 25 handoffs in no more than 10 change set requests.
    assert len(batches(sandbox)) <= 10, [r["route"] for r in sandbox.requests]
