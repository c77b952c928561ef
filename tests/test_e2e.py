"""The whole path with real parts: SMTP on a socket, SQLite, msal against the sandbox's token endpoint,
aiohttp against the shipped Dataverse sandbox over loopback TLS."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import smtplib
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from handoff.cli import cmd_replay
from handoff.service import Service
from handoff.spool.base import SpoolItem
from tests.conftest import QUEUE_ID, free_port, settings_for

SAMPLES = Path(__file__).parent.parent / "samples"
FINAL = {"created", "skipped", "parked"}


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def direct_mail(sender: str, name: str, body: str, msgid: str) -> bytes:
    return (
        f"From: {name} <{sender}>\r\nTo: cases@handoff.test\r\nSubject: Problem with my invoice\r\n"
        f"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\nMessage-ID: <{msgid}>\r\n\r\n{body}\r\n"
    ).encode()


def smtp_send(port: int, raw: bytes, mail_from: str = "sam@acme.example") -> int:
    with smtplib.SMTP("127.0.0.1", port, timeout=20) as client:
        code, reply = client.ehlo("client.test")
        client.mail(mail_from)
        client.rcpt("cases@handoff.test")
        code, reply = client.data(raw)
    assert code == 250, reply
    return int(reply.rsplit(b" ", 1)[1])


async def wait_final(service: Service, spool_id: int, within: float = 30) -> SpoolItem:
    deadline = time.monotonic() + within
    assert service.parts is not None
    while time.monotonic() < deadline:
        item = await service.parts.spool.get(spool_id)
        if item is not None and item.state in FINAL:
            return item
        await asyncio.sleep(0.05)
    raise AssertionError(f"spool {spool_id} not final after {within}s: {item}")


async def wait_events(moengage: Any, within: float = 10) -> None:
    """Until the MoEngage emulator has recorded an event (its sender runs in the service)."""
    deadline = time.monotonic() + within
    while not moengage.events() and time.monotonic() < deadline:  # noqa: ASYNC110 - filled by the server
        await asyncio.sleep(0.05)


@pytest.fixture
async def service(tmp_path: Path, sandbox: Any, request: pytest.FixtureRequest) -> AsyncIterator[Service]:
    extra = getattr(request, "param", {})
    svc = Service(settings_for(tmp_path, sandbox, **extra))
    await svc.start()
    yield svc
    await svc.stop()


async def test_forwarded_thread_becomes_one_incident(service: Service, sandbox: Any) -> None:
    spool_id = await asyncio.to_thread(smtp_send, service.smtp_port, sample("01-gmail-forward-refund.eml"))
    item = await wait_final(service, spool_id)
    assert item.state == "created", item.last_error
    incidents = sandbox.table("incidents")
    assert len(incidents) == 1
    incident = incidents[0]
    # The customer is the forwarded author, not the agent who forwarded it.
    contacts = sandbox.table("contacts")
    assert [c["emailaddress1"] for c in contacts] == ["maria.lopez@example.org"]
    assert (contacts[0].get("firstname"), contacts[0]["lastname"]) == ("Maria", "Lopez")
    assert incident["_customerid_value"] == contacts[0]["contactid"]
    label = item.summary["classification"]["label"]
    assert incident["title"] == f"{label} - Maria Lopez"
    lines = incident["description"].splitlines()
    assert lines[0] == "Channel: email"
    assert lines[1].startswith(f"Classification: {label}")
    assert lines[2].startswith("Sentiment: ")
    assert "I returned the blender from order 4471" in incident["description"]
    assert incident["caseorigincode"] == 2 and incident["prioritycode"] == 2
    assert item.ticket_number == incident["ticketnumber"]
    queue_items = [q for q in sandbox.table("queueitems") if q["_objectid_value"] == incident["incidentid"]]
    assert [q["_queueid_value"] for q in queue_items] == [QUEUE_ID]


async def test_existing_contact_is_reused_with_quote_and_plus(service: Service, sandbox: Any) -> None:
    oldest = sandbox.add_record(
        "contacts",
        {"emailaddress1": "o'brien+vip@example.com", "lastname": "O'Brien", "createdon": "2020-01-01T00:00:00Z"},
    )
    sandbox.add_record(
        "contacts",
        {"emailaddress1": "O'Brien+VIP@example.com", "lastname": "Dup", "createdon": "2023-01-01T00:00:00Z"},
    )
    sandbox.add_record("contacts", {"emailaddress1": "obrien vip@example.com", "lastname": "Decoy"})
    raw = direct_mail("o'brien+vip@example.com", "Pat O'Brien", "I was charged twice this month.", "ob-1@example.com")
    item = await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
    assert item.state == "created", item.last_error
    assert len(sandbox.table("contacts")) == 3  # nothing new
    assert sandbox.table("incidents")[0]["_customerid_value"] == oldest


async def test_same_mail_twice_and_a_replay_give_one_incident(service: Service, sandbox: Any, tmp_path: Path) -> None:
    raw = sample("02-outlook-forward-login.eml")
    first = await asyncio.to_thread(smtp_send, service.smtp_port, raw)
    # The sending MTA never saw our 250 and delivers again, through another relay.
    second = await asyncio.to_thread(smtp_send, service.smtp_port, b"Received: from relay2.test\r\n" + raw)
    a, b = await wait_final(service, first), await wait_final(service, second)
    assert (a.state, b.state) == ("created", "created")
    assert a.incident_id == b.incident_id
    (tmp_path / "box").mkdir()
    (tmp_path / "box" / "one.eml").write_bytes(raw)
    assert service.parts is not None
    await cmd_replay(service.settings, tmp_path / "box", dry_run=False, as_json=True)
    assert len(sandbox.table("incidents")) == 1
    assert len(sandbox.table("contacts")) == 1


async def test_dropped_response_after_commit_gives_one_incident(service: Service, sandbox: Any) -> None:
    # The incident travels in a $batch change set now; the whole set commits, then the answer is lost.
    sandbox.drop_after_commit("POST $batch")
    raw = direct_mail("lee@example.com", "Lee Park", "The app crashes on start.", "drop-1@example.com")
    item = await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
    assert item.state == "created", item.last_error
    assert len(sandbox.table("incidents")) == 1
    assert item.summary["already_existed"] is True  # the retry found the committed record


async def test_429_retry_after_is_waited_out(service: Service, sandbox: Any) -> None:
    # Dataverse throttles the $batch request as a whole, before running any of its operations.
    sandbox.fail("POST $batch", 429, times=1, retry_after=1)
    raw = direct_mail("kim@example.com", "Kim Lee", "Where is my parcel?", "throttle-1@example.com")
    started = time.monotonic()
    item = await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
    assert item.state == "created", item.last_error
    assert time.monotonic() - started >= 1.0  # not retried before Retry-After
    assert len(sandbox.table("incidents")) == 1
    statuses = [r["status"] for r in sandbox.requests if r["route"] == "POST $batch"]
    assert statuses[:2] == [429, 200]


@pytest.mark.parametrize("service", [{"dynamics": {"ticket_properties": {"casetypecode": 3}}}], indirect=True)
async def test_bad_option_set_value_parks_with_dataverse_message(service: Service, sandbox: Any) -> None:
    # Start-up validated the settings; then the organisation drops the option under a running service.
    incident = sandbox.schema["incidents"]
    column = incident.columns["casetypecode"]
    incident.columns["casetypecode"] = dataclasses.replace(column, options={1: "Question", 2: "Problem"})
    raw = direct_mail("ana@example.com", "Ana Ruiz", "My invoice is wrong.", "optset-1@example.com")
    item = await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
    assert item.state == "parked"
    assert "0x8004431A" in item.last_error
    assert "The value 3 of 'casetypecode'" in item.last_error and "Accepted Values: 1,2" in item.last_error
    assert item.raw == raw  # kept for a retry once the setting is fixed
    assert sandbox.table("incidents") == []


@pytest.mark.parametrize("transport", ["data_api", "partner"])
async def test_a_created_case_is_mirrored_to_moengage_once(tmp_path: Path, sandbox: Any, transport: str) -> None:
    mirror = {"enabled": True, "base_url": "sandbox", "transport": transport}
    settings = settings_for(tmp_path, sandbox, moengage=mirror)
    if transport == "partner":  # a known customer: MoEngage gets the mobile number Dynamics has
        sandbox.add_record(
            "contacts",
            {
                "emailaddress1": "maria.lopez@example.org",
                "firstname": "Maria",
                "lastname": "Lopez",
                "mobilephone": "+34 600 123 456",
            },
        )
    service = Service(settings)
    await service.start()
    try:
        raw = sample("01-gmail-forward-refund.eml")
        item = await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
        assert item.state == "created", item.last_error
        assert service.parts is not None
        moengage = service.parts.moengage
        await wait_events(moengage)
        # The same mail again: the case exists already, and so does its event.
        again = await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
        assert again.incident_id == item.incident_id
        await asyncio.sleep(0.3)
    finally:
        await service.stop()
    events = moengage.events()
    assert [e["event_name"] for e in events] == ["Case Created"]
    event = events[0]
    assert event["customer_id"] == "maria.lopez@example.org"
    attributes = event["attributes"]
    assert attributes["case_id"] == item.incident_id
    assert attributes["case_number"] == item.ticket_number
    assert attributes["channel"] == "email"
    assert attributes["case_type"] == item.summary["classification"]["label"]
    assert attributes["sentiment"] == item.summary["sentiment"]["label"]
    assert attributes["priority"] == "Normal"
    # Both transports carry the profile in the same request as the event (partner webhook, /v1/transition).
    users = moengage.users()
    assert [u["customer_id"] for u in users] == ["maria.lopez@example.org"]
    assert users[0]["attributes"]["email"] == "maria.lopez@example.org"
    assert (users[0]["attributes"]["first_name"], users[0]["attributes"]["last_name"]) == ("Maria", "Lopez")
    assert users[0]["attributes"].get("mobile") == ("+34 600 123 456" if transport == "partner" else None)


async def test_moengage_keyed_by_a_contact_column_that_must_exist(tmp_path: Path, sandbox: Any) -> None:
    from handoff.errors import ConfigError

    typo = {"enabled": True, "base_url": "sandbox", "customer_id": "new_loyaltyid"}
    with pytest.raises(ConfigError) as info:  # else every contact lookup, hence every case, would fail
        await Service(settings_for(tmp_path, sandbox, moengage=typo)).start()
    assert "[moengage] customer_id: contact has no column 'new_loyaltyid'" in str(info.value)

    sandbox.add_record(
        "contacts", {"emailaddress1": "noor@example.com", "lastname": "Haddad", "mobilephone": "+971 50 123 4567"}
    )
    mobile = {"enabled": True, "base_url": "sandbox", "customer_id": "mobilephone"}
    service = Service(settings_for(tmp_path / "ok", sandbox, moengage=mobile))
    await service.start()
    try:
        raw = direct_mail("noor@example.com", "Noor Haddad", "My refund never arrived.", "col-1@example.com")
        item = await wait_final(service, await asyncio.to_thread(smtp_send, service.smtp_port, raw))
        assert item.state == "created", item.last_error
        assert service.parts is not None
        moengage = service.parts.moengage
        await wait_events(moengage)
    finally:
        await service.stop()
    assert [e["customer_id"] for e in moengage.events()] == ["+971 50 123 4567"]


async def test_start_up_refuses_option_values_the_organisation_lacks(tmp_path: Path, sandbox: Any) -> None:
    from handoff.errors import ConfigError

    settings = settings_for(tmp_path, sandbox, dynamics={"ticket_properties": {"casetypecode": 5, "new_nothing": 1}})
    with pytest.raises(ConfigError) as info:
        await Service(settings).start()
    message = str(info.value)
    assert "[dynamics] ticket_properties.casetypecode: 5 is not an option of incident.casetypecode" in message
    assert "1 Question, 2 Problem, 3 Request" in message
    assert "[dynamics] ticket_properties.new_nothing: incident has no option-set column 'new_nothing'" in message


async def test_sigkill_right_after_250_still_creates_the_incident(tmp_path: Path, sandbox: Any) -> None:
    smtp_port, http_port = free_port(), free_port()
    config = tmp_path / "handoff.toml"
    config.write_text(
        f"""
[smtp]
port = {smtp_port}
recipients = ["cases@handoff.test"]
[http]
port = {http_port}
[spool]
url = "sqlite:///{tmp_path}/handoff.db"
lease_seconds = 1
[dynamics]
url = "{sandbox.url}"
authority = "{sandbox.authority}"
ca_bundle = "{sandbox.ca_file}"
client_secret = "{sandbox.client_secret}"
[triage]
internal_domains = ["acme.example"]
"""
    )
    # Slow Dataverse down so the kill lands while the handoff is at most half-way through.
    sandbox.latency("GET contacts", 3)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}

    log = tmp_path / "serve.log"

    def start() -> subprocess.Popen[bytes]:
        with log.open("ab") as stderr:
            proc = subprocess.Popen(
                [sys.executable, "-m", "handoff.cli", "serve", "--config", str(config)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
        # A bounded wait, not a speed check: serve and its analysis process start in about 2 s on a quiet
        # machine, but took over 30 s while other suites loaded both cores.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with smtplib.SMTP("127.0.0.1", smtp_port, timeout=2) as probe:
                    probe.noop()
                return proc
            except OSError:
                time.sleep(0.1)
        proc.kill()
        proc.wait()
        raise AssertionError(f"serve did not start:\n{log.read_text()}")

    proc = await asyncio.to_thread(start)
    raw = direct_mail("noor@example.com", "Noor Haddad", "My refund never arrived.", "kill-1@example.com")
    spool_id = await asyncio.to_thread(smtp_send, smtp_port, raw)
    os.kill(proc.pid, signal.SIGKILL)
    await asyncio.to_thread(proc.wait)
    assert sandbox.table("incidents") == []  # nothing was created before the kill
    sandbox.latency("GET contacts", 0)
    await asyncio.sleep(1.1)  # let the dead worker's lease expire
    proc = await asyncio.to_thread(start)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not sandbox.table("incidents"):  # noqa: ASYNC110 - another process
            await asyncio.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.to_thread(proc.wait, 30)
    incidents = sandbox.table("incidents")
    assert len(incidents) == 1
    assert incidents[0]["title"].endswith(" - Noor Haddad")
    assert spool_id == 1
