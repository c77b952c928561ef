"""The case lifecycle mirrored to MoEngage by `handoff serve` (a Service over SMTP) against the Dataverse
sandbox's change tracking, with restarts between the steps: nothing is repeated, nothing is lost."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from handoff.errors import ConfigError
from handoff.sandbox import dataverse_admin as admin
from handoff.sandbox.moengage import MoEngageSandbox
from handoff.service import Service
from handoff.settings import Settings
from tests.conftest import settings_for
from tests.test_e2e import direct_mail, sample, smtp_send, wait_final

POLL = 0.1


@pytest.fixture
async def moengage() -> AsyncIterator[MoEngageSandbox]:
    # One emulator for the whole test, so events from every Service instance (restarts) are counted together.
    emulator = MoEngageSandbox(workspace_id="LIFECYCLE", api_key="lifecycle-key")
    await emulator.start()
    yield emulator
    await emulator.stop()


def lifecycle_settings(tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox, **lifecycle: Any) -> Settings:
    mirror = {
        "enabled": True,
        "base_url": moengage.url,
        "workspace_id": "LIFECYCLE",
        "api_key": "lifecycle-key",
        "poll_seconds": 0.05,
        "retry": {"base_seconds": 0.05, "max_seconds": 0.5},
        "lifecycle": {"poll_seconds": POLL, **lifecycle},
    }
    return settings_for(tmp_path, sandbox, moengage=mirror)


def names(moengage: MoEngageSandbox) -> Counter[str]:
    return Counter(e["event_name"] for e in moengage.events())


async def until(condition: Any, within: float = 30.0) -> None:  # generous: CI shares 2 cores
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def settle(service: Service, rounds: int = 2) -> None:
    """Let the follower complete `rounds` more passes over every table (so "nothing more" means it)."""
    follower = service.follower
    assert follower is not None
    wanted = {name: follower.synced.get(name, 0) + rounds for name in (f.name for f in follower.feeds)}
    await until(lambda: all(follower.synced.get(n, 0) >= w for n, w in wanted.items()))
    await asyncio.sleep(0.2)  # and the sender its poll


async def started(settings: Settings) -> Service:
    service = Service(settings)
    await service.start()
    return service


def outbox(tmp_path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(tmp_path / "handoff.db")
    try:
        return conn.execute("SELECT key, state FROM outbox ORDER BY id").fetchall()
    finally:
        conn.close()


async def test_the_whole_lifecycle_once_across_restarts(
    tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox
) -> None:
    settings = lifecycle_settings(tmp_path, sandbox, moengage)
    service = await started(settings)
    try:
        item = await wait_final(
            service, await asyncio.to_thread(smtp_send, service.smtp_port, sample("01-gmail-forward-refund.eml"))
        )
        assert item.state == "created", item.last_error
        await until(lambda: names(moengage)["Case Created"] == 1)
        await settle(service)
        # While running: the SLA engine warns.
        admin.set_sla(sandbox, item.ticket_number, admin.sla_status("nearing"))
        await until(lambda: names(moengage)["SLA Updated"] == 1)
    finally:
        await service.stop()
    # While handoff is down: the KPI breaches. Picked up after the restart, once.
    admin.set_sla(sandbox, item.ticket_number, admin.sla_status("noncompliant"))
    service = await started(settings)
    try:
        await until(lambda: names(moengage)["SLA Updated"] == 2)
        await settle(service)
    finally:
        await service.stop()
    admin.resolve_case(sandbox, item.ticket_number)
    service = await started(settings)
    try:
        await until(lambda: names(moengage)["Case Resolved"] == 1)
        await settle(service)
    finally:
        await service.stop()
    admin.submit_survey(sandbox, item.ticket_number, 2, "too slow")
    service = await started(settings)
    try:
        await until(lambda: names(moengage)["Survey Response Received"] == 1)
        await settle(service)
    finally:
        await service.stop()
    # One more restart with nothing new: nothing is sent again.
    service = await started(settings)
    try:
        await settle(service)
    finally:
        await service.stop()

    assert names(moengage) == {"Case Created": 1, "SLA Updated": 2, "Case Resolved": 1, "Survey Response Received": 1}
    events = {e["event_name"]: e for e in moengage.events()}
    assert {e["customer_id"] for e in moengage.events()} == {"maria.lopez@example.org"}
    resolved = events["Case Resolved"]["attributes"]
    assert resolved["case_id"] == item.incident_id and resolved["case_number"] == item.ticket_number
    assert (resolved["status"], resolved["state"], resolved["priority"]) == ("Problem Solved", "Resolved", "Normal")
    assert resolved["resolved_at"].endswith("Z") and resolved["resolution_hours"] >= 0
    sla = [e["attributes"] for e in moengage.events() if e["event_name"] == "SLA Updated"]
    assert [a["status"] for a in sla] == ["Nearing Noncompliance", "Noncompliant"]
    assert [a["resolve_sla"] for a in sla] == ["Nearing Noncompliance", "Noncompliant"]
    kpi = sandbox.table("slakpiinstances")[0]
    assert {a["sla_id"] for a in sla} == {kpi["slakpiinstanceid"]}
    assert sla[0]["case_id"] == item.incident_id and sla[0]["sla"] == sandbox.table("slas")[0]["slaid"]
    survey = events["Survey Response Received"]["attributes"]
    assert (survey["csat_score"], survey["feedback_comment"]) == (2, "too slow")
    assert survey["survey_name"] == "Customer satisfaction" and survey["case_id"] == item.incident_id
    assert survey["response_id"] == sandbox.table("msfp_surveyresponses")[0]["activityid"]
    # The SLA steps touched the case too (resolvebyslastatus): not a "Case Updated" of its own.
    assert "Case Updated" not in names(moengage)


async def test_updates_cancellation_and_profile_changes(
    tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox
) -> None:
    service = await started(lifecycle_settings(tmp_path, sandbox, moengage))
    try:
        raw = direct_mail("noor@example.com", "Noor Haddad", "My refund never arrived.", "life-2@example.com")
        item = await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
        assert item.state == "created", item.last_error
        await until(lambda: names(moengage)["Case Created"] == 1)
        await settle(service)
        sandbox.update_record("incidents", item.incident_id, {"prioritycode": 1})
        await until(lambda: names(moengage)["Case Updated"] == 1)
        # A change of a column nobody follows is not news.
        sandbox.update_record("incidents", item.incident_id, {"description": "edited by an agent"})
        contact = sandbox.table("incidents")[0]["_customerid_value"]
        sandbox.update_record("contacts", contact, {"mobilephone": "+971 50 123 4567"})
        await until(lambda: len(moengage.users()) >= 2)  # Case Created carried the profile once already
        admin.cancel_case(sandbox, item.ticket_number)
        await until(lambda: names(moengage)["Case Cancelled"] == 1)
        await settle(service)
    finally:
        await service.stop()
    assert names(moengage) == {"Case Created": 1, "Case Updated": 1, "Case Cancelled": 1}
    updated = next(e for e in moengage.events() if e["event_name"] == "Case Updated")["attributes"]
    assert updated["priority"] == "High"
    cancelled = next(e for e in moengage.events() if e["event_name"] == "Case Cancelled")["attributes"]
    assert (cancelled["status"], cancelled["state"]) == ("Cancelled", "Cancelled")
    profile = moengage.users()[-1]
    assert profile["customer_id"] == "noor@example.com"
    assert profile["attributes"]["mobile"] == "+971 50 123 4567"
    assert len(moengage.users()) == 2


async def test_first_sync_is_a_baseline_and_other_cases_stay_out_of_scope(
    tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox
) -> None:
    # Before handoff ever followed the lifecycle: a case from another channel, already resolved, with a
    # survey; and one still open.
    contact = sandbox.add_record("contacts", {"emailaddress1": "old@example.com", "lastname": "Old"})
    closed = sandbox.add_record(
        "incidents", {"title": "Phone case", "customerid_contact@odata.bind": f"/contacts({contact})"}
    )
    ticket = next(i["ticketnumber"] for i in sandbox.table("incidents") if i["incidentid"] == closed)
    admin.resolve_case(sandbox, ticket)
    admin.submit_survey(sandbox, ticket, 5)
    other = sandbox.add_record(
        "incidents", {"title": "Web case", "customerid_contact@odata.bind": f"/contacts({contact})"}
    )
    other_ticket = next(i["ticketnumber"] for i in sandbox.table("incidents") if i["incidentid"] == other)
    everything = tmp_path / "all"
    everything.mkdir()
    service = await started(lifecycle_settings(everything, sandbox, moengage, scope="all"))
    try:
        await settle(service)
        assert names(moengage) == {}  # history is the baseline, not news
        assert {state for _, state in outbox(everything)} == {"baseline"}
    finally:
        await service.stop()

    ours = tmp_path / "ours"
    ours.mkdir()
    service = await started(lifecycle_settings(ours, sandbox, moengage))  # scope = "handoff", the default
    try:
        await settle(service)
        admin.set_sla(sandbox, other_ticket, admin.sla_status("nearing"))
        admin.resolve_case(sandbox, other_ticket)
        await settle(service)
        assert names(moengage) == {}  # not a case handoff created
    finally:
        await service.stop()
    assert outbox(ours) == []

    # The same changes under scope = "all" (its own spool, following since before them): sent.
    service = await started(lifecycle_settings(everything, sandbox, moengage, scope="all"))
    try:
        await until(lambda: names(moengage) == {"SLA Updated": 1, "Case Resolved": 1})
        await settle(service)
    finally:
        await service.stop()
    assert names(moengage) == {"SLA Updated": 1, "Case Resolved": 1}
    assert {e["customer_id"] for e in moengage.events()} == {"old@example.com"}


async def test_a_case_first_seen_after_the_sla_engine_stamped_it_is_no_case_updated(
    tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox
) -> None:
    # The follower polls every 30 s by default; the SLA engine stamps a new case within seconds. A case first seen
    # after that had modifiedon > createdon, which alone announced a "Case Updated" nobody made (it flaked the
    # test below whenever the poll came late), and an agent's change in the creation's second was never announced.
    # Now what handoff sent decides: the watched columns as created, or not.
    slow = lifecycle_settings(tmp_path, sandbox, moengage, poll_seconds=3600)
    service = await started(slow)
    try:
        follower = service.follower
        assert follower is not None
        await until(lambda: all(follower.synced.get(f.name, 0) >= 1 for f in follower.feeds))  # the baseline
        stamped, changed = [
            await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
            for raw in (
                direct_mail("lee@example.com", "Lee Park", "The app crashes on start.", "life-9@example.com"),
                direct_mail("kim@example.com", "Kim Lee", "Where is my parcel?", "life-10@example.com"),
            )
        ]
        assert stamped.state == changed.state == "created"
        admin.set_sla(sandbox, stamped.ticket_number, admin.sla_status("nearing"))  # the SLA engine
        sandbox.update_record("incidents", changed.incident_id, {"prioritycode": 1})  # an agent, before any poll
    finally:
        await service.stop()
    service = await started(lifecycle_settings(tmp_path, sandbox, moengage))  # the next poll sees both first
    try:
        await until(lambda: names(moengage)["Case Updated"] >= 1 and names(moengage)["SLA Updated"] >= 1)
        await settle(service)
    finally:
        await service.stop()
    assert names(moengage) == {"Case Created": 2, "SLA Updated": 1, "Case Updated": 1}
    updated = next(e for e in moengage.events() if e["event_name"] == "Case Updated")["attributes"]
    assert updated["priority"] == "High" and changed.ticket_number in json.dumps(updated)


async def test_an_expired_token_resyncs_without_duplicates(
    tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    settings = lifecycle_settings(tmp_path, sandbox, moengage)
    service = await started(settings)
    try:
        raw = direct_mail("lee@example.com", "Lee Park", "The app crashes on start.", "life-3@example.com")
        item = await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
        assert item.state == "created", item.last_error
        admin.set_sla(sandbox, item.ticket_number, admin.sla_status("nearing"))
        await until(lambda: names(moengage)["SLA Updated"] == 1)
        await settle(service)
    finally:
        await service.stop()
    # Handoff stays away longer than Dataverse keeps delta tokens; meanwhile the case is resolved.
    sandbox.expire_delta_tokens()
    admin.resolve_case(sandbox, item.ticket_number)
    caplog.set_level(logging.WARNING, logger="handoff.lifecycle")
    service = await started(settings)
    try:
        await until(lambda: names(moengage)["Case Resolved"] == 1)
        await settle(service)
    finally:
        await service.stop()
    assert names(moengage) == {"Case Created": 1, "SLA Updated": 1, "Case Resolved": 1}
    warnings = [r for r in caplog.records if r.name == "handoff.lifecycle" and r.levelno == logging.WARNING]
    assert any("re-syncing" in r.getMessage() and "incidents" in r.getMessage() for r in warnings)
    # A new token was obtained: the next restart follows deltas again, without another re-sync.
    caplog.clear()
    service = await started(settings)
    try:
        await settle(service)
    finally:
        await service.stop()
    assert not [r for r in caplog.records if "re-syncing" in r.getMessage()]
    assert names(moengage) == {"Case Created": 1, "SLA Updated": 1, "Case Resolved": 1}


async def test_a_replayed_delta_page_adds_nothing(tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox) -> None:
    settings = lifecycle_settings(tmp_path, sandbox, moengage)
    service = await started(settings)
    try:
        raw = direct_mail("kim@example.com", "Kim Lee", "Where is my parcel?", "life-4@example.com")
        item = await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
        await settle(service)
        conn = sqlite3.connect(tmp_path / "handoff.db")
        before = conn.execute("SELECT name, token FROM lifecycle_cursors").fetchall()
        conn.close()
        admin.resolve_case(sandbox, item.ticket_number)
        admin.submit_survey(sandbox, item.ticket_number, 4, "fine")
        await until(lambda: names(moengage)["Survey Response Received"] == 1 and names(moengage)["Case Resolved"] == 1)
        await settle(service)
    finally:
        await service.stop()
    # As if the commit of those pages had been lost after all: the old tokens, and no memory of the rows.
    conn = sqlite3.connect(tmp_path / "handoff.db")
    with conn:
        conn.executemany("UPDATE lifecycle_cursors SET token=? WHERE name=?", [(t, n) for n, t in before])
        conn.execute("DELETE FROM lifecycle_rows WHERE name IN ('incidents', 'msfp_surveyresponses')")
    conn.close()
    service = await started(settings)
    try:
        await settle(service)
    finally:
        await service.stop()
    # The same changes read again give the same keys: the outbox takes none of them twice.
    assert names(moengage) == {"Case Created": 1, "Case Resolved": 1, "Survey Response Received": 1}
    keys = [k for k, _ in outbox(tmp_path)]
    assert len(keys) == len(set(keys)) == 3


async def test_start_up_names_a_table_without_change_tracking_or_privilege(
    tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox
) -> None:
    sandbox.change_tracking("slakpiinstances", False)
    sandbox.revoke_privilege("prvReadmsfp_surveyresponse")
    with pytest.raises(ConfigError) as info:
        await Service(lifecycle_settings(tmp_path, sandbox, moengage)).start()
    message = str(info.value)
    assert "table slakpiinstance (slakpiinstances) is not enabled for change tracking" in message
    assert '"Track changes"' in message and "Power Apps" in message
    assert "missing the prvReadmsfp_surveyresponse privilege" in message
    # Leaving those events out is the other way to start.
    calm = tmp_path / "calm"
    calm.mkdir()
    settings = lifecycle_settings(calm, sandbox, moengage, events=["case_resolved", "case_cancelled"])
    service = await started(settings)
    await service.stop()


async def test_an_unreachable_dataverse_at_start_only_warns(
    tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox
) -> None:
    await sandbox.outage("503")
    service = await started(lifecycle_settings(tmp_path, sandbox, moengage))
    try:
        raw = direct_mail("ana@example.com", "Ana Ruiz", "My invoice is wrong.", "life-5@example.com")
        spool_id = await asyncio.to_thread(smtp_send, service.smtp_port, raw)  # mail is still accepted
        await sandbox.outage(None)
        item = await wait_final(service, spool_id)
        assert item.state == "created", item.last_error
        await settle(service)
        admin.resolve_case(sandbox, item.ticket_number)
        await until(lambda: names(moengage)["Case Resolved"] == 1)
    finally:
        await service.stop()


async def test_check_reports_the_lifecycle_tables(
    tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    from handoff.cli import cmd_check

    settings = lifecycle_settings(tmp_path, sandbox, moengage)
    assert await cmd_check(settings) == 0
    out = capsys.readouterr().out
    assert (
        "lifecycle: change tracking on and readable for incidents, slakpiinstances, msfp_surveyresponses, contacts: ok"
        in out
    )
    sandbox.change_tracking("incidents", False)
    with pytest.raises(ConfigError) as info:
        await cmd_check(settings)
    assert "table incident (incidents) is not enabled for change tracking" in str(info.value)
    assert "Tables > Case > Properties > Advanced options" in str(info.value)


def test_sandbox_commands_move_a_case_in_the_store_serve_uses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from handoff.cli import main
    from handoff.sandbox.dataverse import DataverseSandbox

    for name in [n for n in __import__("os").environ if n.startswith("HANDOFF_")]:
        monkeypatch.delenv(name)
    data = tmp_path / "data"
    config = tmp_path / "handoff.toml"
    config.write_text(f'[spool]\nurl = "sqlite:///{data}/handoff.db"\n')
    assert main(["sandbox", "resolve", "CAS-01000-AAAAAA", "--config", str(config)]) == 2
    assert "start `handoff serve` once first" in capsys.readouterr().err
    store = data / "sandbox-dataverse.db"
    seeded = DataverseSandbox(store_path=store)  # what `handoff serve` left there
    contact = seeded.add_record("contacts", {"emailaddress1": "ria@example.com", "lastname": "Ria"})
    seeded.add_record("incidents", {"title": "Broken", "customerid_contact@odata.bind": f"/contacts({contact})"})
    [case] = seeded.table("incidents")
    seeded._store.release()
    ticket = case["ticketnumber"]

    assert main(["sandbox", "sla", ticket, "nearing", "--config", str(config)]) == 0
    assert f"{ticket}: SLA KPI 'Resolve by' is Nearing Noncompliance" in capsys.readouterr().out
    assert main(["sandbox", "survey", ticket, "2", "too slow", "--config", str(config)]) == 0
    assert main(["sandbox", "resolve", ticket.lower(), "--config", str(config)]) == 0
    assert f"{ticket}: resolved (Problem Solved) with CloseIncident" in capsys.readouterr().out
    assert main(["sandbox", "resolve", ticket, "--config", str(config)]) == 1  # resolved already
    assert "not active" in capsys.readouterr().err
    assert main(["sandbox", "sla", ticket, "sideways", "--config", str(config)]) == 1
    assert "unknown SLA status 'sideways'" in capsys.readouterr().err

    after = DataverseSandbox(store_path=store)
    try:
        [incident] = after.table("incidents")
        assert (incident["statecode"], incident["statuscode"]) == (1, 5)
        assert after.table("slakpiinstances")[0]["status"] == 2
        [response] = after.table("msfp_surveyresponses")
        assert (response["msdyn_csatscore"], response["msdyn_feedbackcomment"]) == (2, "too slow")
    finally:
        after._store.release()
    real = tmp_path / "real.toml"
    real.write_text(
        f'[spool]\nurl = "sqlite:///{data}/handoff.db"\n[dynamics]\nurl = "https://org.crm.dynamics.com"\n'
        'client_secret = "x"\n'
    )
    assert main(["sandbox", "resolve", ticket, "--config", str(real)]) == 2
    assert "only the embedded sandbox's records" in capsys.readouterr().err


@pytest.mark.parametrize("transport", ["partner", "data_api"])
async def test_a_profile_update_alone_reaches_moengage_on_both_transports(
    moengage: MoEngageSandbox, transport: str
) -> None:
    import aiohttp

    from handoff.moengage import payloads
    from handoff.moengage.client import MoEngageClient
    from handoff.settings import MoEngageSettings

    contact = {
        "contactid": "0b7d6a52-1111-4000-8000-000000000001",
        "@odata.etag": 'W/"1042"',
        "emailaddress1": "Ria@Example.com",
        "firstname": "Ria",
        "lastname": "Sen",
        "mobilephone": "+91 98 7654 3210",
        "modifiedon": "2026-11-23T10:15:00Z",
    }
    settings = MoEngageSettings(
        enabled=True, transport=transport, workspace_id="LIFECYCLE", api_key="lifecycle-key", base_url=moengage.url
    )
    upsert = payloads.user_upsert(contact, payloads.contact_customer_id(settings, contact["contactid"], contact))
    assert upsert.key == "contact:0b7d6a52-1111-4000-8000-000000000001:profile:v1042"
    assert payloads.unsendable(upsert.payload) is None
    request = payloads.build_request(upsert.payload, settings)
    assert request.route == ("partner_users" if transport == "partner" else "customer")
    async with aiohttp.ClientSession() as session:
        accepted = await MoEngageClient(settings).send(session, upsert.payload)
    assert accepted.status == 200 and moengage.events() == []
    [user] = moengage.users()
    assert user["customer_id"] == "ria@example.com"
    assert user["attributes"] == {
        "email": "Ria@Example.com",
        "mobile": "+91 98 7654 3210",
        "first_name": "Ria",
        "last_name": "Sen",
    }
    assert payloads.unsendable({**upsert.payload, "user_attributes": {}}) == "no user_attributes in the user update"


async def test_a_contact_edited_in_the_second_its_case_was_created_is_reported(
    tmp_path: Path, sandbox: Any, moengage: MoEngageSandbox
) -> None:
    # The Web API's modifiedon has whole seconds: an agent's edit of the customer within the second handoff created
    # the case read as old as the case and was never mirrored, while counting that second would mirror every contact
    # handoff itself just created. What handoff found or wrote (the summary's "contact") now decides.
    known = sandbox.add_record(
        "contacts",
        {"emailaddress1": "cy@example.com", "firstname": "Cy", "lastname": "Old", "modifiedon": "2026-11-01T08:00:00Z"},
    )
    slow = lifecycle_settings(tmp_path, sandbox, moengage, poll_seconds=3600)
    service = await started(slow)
    try:
        follower = service.follower
        assert follower is not None
        await until(lambda: all(follower.synced.get(f.name, 0) >= 1 for f in follower.feeds))  # the baseline
        edited, untouched, returning = [
            await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
            for raw in (
                direct_mail("ada@example.com", "Ada Moss", "My invoice is wrong.", "life-20@example.com"),
                direct_mail("bo@example.com", "Bo Chen", "My invoice is late.", "life-21@example.com"),
                direct_mail("cy@example.com", "Cy Old", "My invoice is missing.", "life-22@example.com"),
            )
        ]
        assert edited.state == untouched.state == returning.state == "created"
        cases = {i["incidentid"]: i for i in sandbox.table("incidents")}
        for item, change in ((edited, {"mobilephone": "+44 20 7946 0000"}), (returning, {"lastname": "Newer"})):
            case = cases[item.incident_id]
            # An agent, in the second the case was created (pinned: the test must not depend on the clock).
            sandbox.update_record("contacts", case["_customerid_value"], {**change, "modifiedon": case["createdon"]})
        assert cases[returning.incident_id]["_customerid_value"] == known
    finally:
        await service.stop()
    service = await started(lifecycle_settings(tmp_path, sandbox, moengage))  # the next poll sees them first
    try:
        await until(lambda: len(moengage.users()) >= 5)
        await settle(service)
    finally:
        await service.stop()
    by_customer: dict[str, list[dict[str, Any]]] = {}
    for user in moengage.users():
        by_customer.setdefault(user["customer_id"], []).append(user["attributes"])
    # Each Case Created carried the profile once; the two edits once more each; handoff's own contact never.
    assert {c: len(u) for c, u in by_customer.items()} == {
        "ada@example.com": 2,
        "bo@example.com": 1,
        "cy@example.com": 2,
    }
    assert by_customer["ada@example.com"][-1]["mobile"] == "+44 20 7946 0000"
    assert by_customer["cy@example.com"][-1]["last_name"] == "Newer"
