"""Dynamics.deliver against the shipped Dataverse sandbox: real pipeline, msal, aiohttp and $batch.

Round trips are counted from `sandbox.requests`, which lists Web API requests only (token requests
are counted apart), one entry per `$batch`.
"""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Awaitable, Callable
from email.message import EmailMessage
from typing import Any

import pytest

from handoff.attachments import human_size, plan_attachments
from handoff.dynamics.batch import Operation
from handoff.dynamics.contacts import ContactCache, contact_id_for, contact_query
from handoff.dynamics.incidents import Delivered, Dynamics
from handoff.errors import AlreadyExists, PermanentError, TransientError
from handoff.model import Attachment, IncidentDraft
from handoff.pipeline import summary
from handoff.render import CUT_MARKER, Renderer
from handoff.service import Parts
from handoff.settings import DEFAULT_BLOCKED_EXTENSIONS, DynamicsSettings
from handoff.worker import Worker
from tests.conftest import FIXTURES, QUEUE_ID

RCPT = ["cases@handoff.test"]
MAIL_FROM = "sam@acme.example"  # the envelope sender, as in tests/test_e2e.py (an empty one is a bounce)
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def mail(
    msgid: str,
    body: str = "My invoice is wrong, I was charged twice.",
    sender: str = "Lee Park <lee@example.com>",
    files: tuple[tuple[str, str, bytes], ...] = (),
    logo: bool = False,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = RCPT[0]
    msg["Subject"] = "Problem with my invoice"
    msg["Date"] = "Mon, 23 Nov 2026 09:00:00 +0000"
    msg["Message-ID"] = f"<{msgid}>"
    msg.set_content(body)
    if logo:  # a signature logo: inline, referenced by Content-ID, not a file the customer sent
        msg.add_attachment(PNG, maintype="image", subtype="png", filename="logo.png", disposition="inline", cid="<l@x>")
    for name, ctype, data in files:
        maintype, _, subtype = ctype.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


Make = Callable[..., Awaitable[Parts]]


async def draft_of(parts: Parts, raw: bytes) -> IncidentDraft:
    assert parts.pipeline is not None
    analysis = await asyncio.to_thread(parts.pipeline.analyse, raw, MAIL_FROM, RCPT)
    assert analysis.draft is not None, analysis.park_reason
    return analysis.draft


async def deliver(parts: Parts, sandbox: Any, raw: bytes) -> tuple[Delivered, list[str]]:
    """Deliver one mail; returns the result and the Web API routes it cost (token calls excluded)."""
    draft = await draft_of(parts, raw)
    before = len(sandbox.requests)
    delivered = await parts.dynamics.deliver(draft)
    return delivered, [r["route"] for r in sandbox.requests[before:]]


def of_incident(sandbox: Any, table: str, incident_id: str, column: str) -> list[dict[str, Any]]:
    return [r for r in sandbox.table(table) if r[column] == incident_id]


# ------------------------------------------------------------------------------------------ round trips


async def test_cold_handoff_costs_two_round_trips_and_a_warm_one_costs_one(make: Make, sandbox: Any) -> None:
    parts = await make()
    first, routes = await deliver(parts, sandbox, mail("rt-1@example.com"))
    assert routes == ["GET contacts", "POST $batch"]  # the contact is created inside the change set
    [contact] = sandbox.table("contacts")
    assert contact["contactid"] == contact_id_for("LEE@example.com ") == first.contact_id
    assert (contact["firstname"], contact["lastname"], contact["emailaddress1"]) == ("Lee", "Park", "lee@example.com")
    [incident] = sandbox.table("incidents")
    assert incident["_customerid_value"] == contact["contactid"]
    # The ticket number came back inside the change set (return=representation): no GET for it.
    assert first.ticket_number == incident["ticketnumber"] and first.ticket_number.startswith("CAS-")
    assert first.contact_created and not first.already_existed
    [queued] = sandbox.table("queueitems")
    assert (queued["_objectid_value"], queued["_queueid_value"], first.queue_item_id) == (
        first.incident_id,
        QUEUE_ID,
        queued["queueitemid"],
    )

    second, routes = await deliver(parts, sandbox, mail("rt-2@example.com", "And the refund is missing."))
    assert routes == ["POST $batch"]  # contact id from the cache
    assert second.contact_id == first.contact_id and not second.contact_created
    assert len(sandbox.table("contacts")) == 1 and len(sandbox.table("incidents")) == 2
    assert sandbox.token_requests == 1  # one token for all of it, kept by msal


async def test_existing_contact_costs_a_lookup_then_nothing(make: Make, sandbox: Any) -> None:
    known = sandbox.add_record("contacts", {"emailaddress1": "lee@example.com", "lastname": "Park"})
    parts = await make()
    delivered, routes = await deliver(parts, sandbox, mail("ex-1@example.com"))
    assert routes == ["GET contacts", "POST $batch"]
    assert delivered.contact_id == known and not delivered.contact_created
    _, routes = await deliver(parts, sandbox, mail("ex-2@example.com", "Still charged twice."))
    assert routes == ["POST $batch"]


async def test_cache_expires_after_contact_cache_seconds(make: Make, sandbox: Any) -> None:
    parts = await make(contact_cache_seconds=0)
    await deliver(parts, sandbox, mail("ttl-1@example.com"))
    _, routes = await deliver(parts, sandbox, mail("ttl-2@example.com", "Again."))
    assert routes == ["GET contacts", "POST $batch"]  # 0 turns the cache off
    now = [100.0]
    cache = ContactCache(ttl=600, clock=lambda: now[0])
    cache.put("Lee@Example.com", {"contactid": "c1"})
    assert cache.get(" lee@example.com") == {"contactid": "c1"}
    now[0] += 601
    assert cache.get("lee@example.com") is None and len(cache) == 0


async def test_stale_cached_contact_is_looked_up_again(make: Make, sandbox: Any) -> None:
    parts = await make()
    first, _ = await deliver(parts, sandbox, mail("stale-1@example.com"))
    # Someone merges the contact into an older one and deletes it; our cache still points at it.
    older = sandbox.add_record(
        "contacts", {"emailaddress1": "lee@example.com", "lastname": "Park", "createdon": "2020-01-01T00:00:00Z"}
    )
    await parts.dynamics.client.request("DELETE", f"contacts({first.contact_id})")
    second, routes = await deliver(parts, sandbox, mail("stale-2@example.com", "Hello again."))
    assert routes == ["POST $batch", "GET contacts", "POST $batch"]  # 404 on the bind, look up, resend
    assert second.contact_id == older
    assert of_incident(sandbox, "incidents", older, "_customerid_value")


# ------------------------------------------------------------------------------------------ contacts


async def test_match_columns_find_a_contact_by_emailaddress2(make: Make, sandbox: Any) -> None:
    known = sandbox.add_record(
        "contacts", {"emailaddress1": "lee.park@work.example", "emailaddress2": "LEE@example.com", "lastname": "Park"}
    )
    parts = await make(match_columns=["emailaddress1", "emailaddress2"])
    delivered, _ = await deliver(parts, sandbox, mail("m2-1@example.com"))
    assert delivered.contact_id == known
    assert len(sandbox.table("contacts")) == 1
    [lookup] = [r["path"] for r in sandbox.requests if r["route"] == "GET contacts"]
    assert "emailaddress1%20eq%20%27lee%40example.com%27%20or%20emailaddress2%20eq%20%27lee%40example.com%27" in lookup


async def test_oldest_duplicate_wins_across_match_columns(make: Make, sandbox: Any) -> None:
    sandbox.add_record(
        "contacts", {"emailaddress1": "lee@example.com", "lastname": "New", "createdon": "2024-01-01T00:00:00Z"}
    )
    oldest = sandbox.add_record(
        "contacts", {"emailaddress3": "lee@example.com", "lastname": "Old", "createdon": "2019-01-01T00:00:00Z"}
    )
    parts = await make(match_columns=["emailaddress1", "emailaddress3"])
    delivered, _ = await deliver(parts, sandbox, mail("old-1@example.com"))
    assert delivered.contact_id == oldest


def test_contact_query_escapes_each_column() -> None:
    query = contact_query("o'brien+x@example.com", ["emailaddress1", "emailaddress2"])
    literal = "%27o%27%27brien%2Bx%40example.com%27"  # quotes doubled, then everything percent-encoded
    assert f"$filter=emailaddress1%20eq%20{literal}%20or%20emailaddress2%20eq%20{literal}" in query
    assert query.endswith("&$orderby=createdon%20asc&$top=1")


async def test_two_concurrent_handoffs_from_one_new_customer_make_one_contact(make: Make, sandbox: Any) -> None:
    parts = await make()
    other = Dynamics(parts.dynamics.client, parts.dynamics.settings)  # e.g. a second service process
    drafts = [await draft_of(parts, mail(f"race-{n}@example.com", f"Message {n}")) for n in (1, 2)]
    # Both look the customer up before either change set commits.
    sandbox.latency("POST $batch", 0.3)
    results = await asyncio.gather(parts.dynamics.deliver(drafts[0]), other.deliver(drafts[1]))
    [contact] = sandbox.table("contacts")
    assert {r.contact_id for r in results} == {contact["contactid"]}
    assert sorted(r.contact_created for r in results) == [False, True]
    incidents = sandbox.table("incidents")
    assert len(incidents) == 2 and {i["_customerid_value"] for i in incidents} == {contact["contactid"]}
    statuses = [r["status"] for r in sandbox.requests if r["route"] == "POST $batch"]
    assert len(statuses) == 3  # the loser's set failed on the contact (412 inside) and went again without it


# ------------------------------------------------------------------------------------------ description


async def test_long_transcript_is_cut_with_a_marker_and_attached_in_full(make: Make, sandbox: Any) -> None:
    parts = await make()
    body = "\n".join(f"Line {n}: the export still fails with error 500 on the monthly report." for n in range(80))
    draft = await draft_of(parts, mail("long-1@example.com", body))
    delivered = await parts.dynamics.deliver(draft)
    [incident] = sandbox.table("incidents")
    description = incident["description"]
    assert len(description) <= 2000 and draft.truncated
    assert description.endswith("[… full transcript attached as transcript.txt]")
    lines = description.splitlines()
    assert (
        lines[0] == "Channel: email" and lines[1].startswith("Classification: ") and lines[2].startswith("Sentiment:")
    )
    assert "Line 0: the export" in description and "Line 79:" not in description
    [note] = of_incident(sandbox, "annotations", delivered.incident_id, "_objectid_value")
    assert (note["filename"], note["mimetype"], note["subject"]) == ("transcript.txt", "text/plain", "Full transcript")
    full = base64.b64decode(note["documentbody"]).decode("utf-8")
    assert full == draft.transcript and "Line 79:" in full and "[…" not in full


def test_fit_keeps_the_start_and_marks_the_cut() -> None:
    renderer = Renderer(limit=300)
    text = "Channel: email\nClassification: x\nSentiment: y\n" + "word " * 200
    cut, truncated = renderer.fit(text)
    assert truncated and len(cut) <= 300 and cut.endswith(CUT_MARKER) and cut.startswith("Channel: email\n")
    assert renderer.fit("short") == ("short", False)


async def test_short_transcript_has_no_transcript_note(make: Make, sandbox: Any) -> None:
    parts = await make()
    delivered, _ = await deliver(parts, sandbox, mail("short-1@example.com"))
    assert of_incident(sandbox, "annotations", delivered.incident_id, "_objectid_value") == []


# ------------------------------------------------------------------------------------------ attachments


async def test_attachments_become_notes_and_the_rest_are_listed(make: Make, sandbox: Any) -> None:
    parts = await make(max_attachment_size=65_536)
    sandbox.attachment_limit = 65_536  # the organisation's MaxUploadFileSize, matching the setting
    raw = mail(
        "files-1@example.com",
        files=(
            ("report.pdf", "application/pdf", PDF),
            ("invoice.exe", "application/octet-stream", b"MZ" + b"\x00" * 100),
            ("scan.tiff", "image/tiff", b"II*\x00" + b"\x01" * 100_000),
            ("notes.TXT", "text/plain", b"serial 4471\n"),
        ),
        logo=True,
    )
    draft = await draft_of(parts, raw)
    assert draft.not_attached == (
        "invoice.exe: not attached (blocked extension .exe)",
        "scan.tiff: not attached (98 KB over the 48 KB limit)",
    )
    delivered, routes = await deliver(parts, sandbox, raw)
    assert routes == ["GET contacts", "POST $batch"]  # notes ride in the same change set
    notes = of_incident(sandbox, "annotations", delivered.incident_id, "_objectid_value")
    assert sorted(n["filename"] for n in notes) == ["notes.TXT", "report.pdf"]  # no logo.png: inline
    pdf = next(n for n in notes if n["filename"] == "report.pdf")
    assert base64.b64decode(pdf["documentbody"]) == PDF
    assert (pdf["mimetype"], pdf["subject"], pdf["isdocument"]) == (
        "application/pdf",
        "Customer attachment: report.pdf",
        True,
    )
    [incident] = sandbox.table("incidents")
    description = incident["description"]
    assert "Attachments:\n- report.pdf (10 KB)\n- notes.TXT (12 bytes)\n" in description
    assert "- invoice.exe: not attached (blocked extension .exe)" in description
    assert "- scan.tiff: not attached (98 KB over the 48 KB limit)" in description
    assert "logo.png" not in description


def test_default_limits_are_dataverse_defaults() -> None:
    from handoff.sandbox.dataverse_api import DEFAULT_BLOCKED_EXTENSIONS as SANDBOX_BLOCKED

    settings = DynamicsSettings()
    assert settings.max_attachment_size == 5_242_880
    assert set(settings.blocked_extensions) == DEFAULT_BLOCKED_EXTENSIONS == SANDBOX_BLOCKED
    assert DynamicsSettings(blocked_extensions=[".EXE", "dll ", ""]).blocked_extensions == ["dll", "exe"]
    # 5 MiB of base64 is 3.75 MiB of file: a 4,000,000-byte scan does not fit, a 3,900,000-byte one does.
    files = [
        Attachment(filename="scan.tiff", content_type="image/tiff", size=4_000_000, content=b""),
        Attachment(filename="ok.tiff", content_type="image/tiff", size=3_900_000, content=b""),
        Attachment(filename="virus.exe. ", content_type="application/octet-stream", size=10, content=b""),
    ]
    plan = plan_attachments(files, settings.max_attachment_size, set(settings.blocked_extensions))
    assert [a.filename for a in plan.attached] == ["ok.tiff"]
    assert plan.refused == (
        "scan.tiff: not attached (3.81 MB over the 3.75 MB limit)",
        "virus.exe.: not attached (blocked extension .exe)",
    )
    assert human_size(7_444_890) == "7.1 MB"


async def test_notes_over_the_request_budget_go_in_a_second_change_set(make: Make, sandbox: Any) -> None:
    parts = await make(max_request_bytes=1_048_576)
    big = [(f"photo{n}.jpg", "image/jpeg", bytes([n]) * 300_000) for n in range(3)]  # 400 KB base64 each
    raw = mail("split-1@example.com", files=tuple(big))
    delivered, routes = await deliver(parts, sandbox, raw)
    assert routes == ["GET contacts", "POST $batch", "POST $batch"]
    notes = of_incident(sandbox, "annotations", delivered.incident_id, "_objectid_value")
    assert sorted(n["filename"] for n in notes) == ["photo0.jpg", "photo1.jpg", "photo2.jpg"]
    # Delivered again (a retry after a lost answer): the first set 412s on the incident, the second on
    # its notes; nothing is added twice.
    again, routes = await deliver(parts, sandbox, raw)
    assert again.already_existed and again.ticket_number == delivered.ticket_number
    assert routes == ["POST $batch", "GET incidents", "POST $batch"]
    assert len(sandbox.table("annotations")) == 3 and len(sandbox.table("incidents")) == 1


async def test_attachment_bytes_stay_out_of_logs_and_summary(
    make: Make, sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    parts = await make()
    secret = b"TOP-SECRET-PAYLOAD-" * 10
    raw = mail("quiet-1@example.com", files=(("secret.txt", "text/plain", secret),))
    caplog.set_level(logging.DEBUG)
    assert parts.pipeline is not None
    analysis = await asyncio.to_thread(parts.pipeline.analyse, raw, MAIL_FROM, RCPT)
    assert analysis.draft is not None
    await parts.dynamics.deliver(analysis.draft)
    encoded = base64.b64encode(secret).decode()[:40]
    assert "TOP-SECRET" not in caplog.text and encoded not in caplog.text
    data = str(summary(analysis))
    assert "TOP-SECRET" not in data and encoded not in data
    assert "TOP-SECRET" not in repr(analysis.draft)
    assert summary(analysis)["incident"]["notes"] == ["secret.txt"]


# ------------------------------------------------------------------------------------------ timeline


async def test_customer_messages_become_received_emails_on_the_timeline(make: Make, sandbox: Any) -> None:
    parts = await make()
    raw = (FIXTURES / "mail" / "gmail_reply_chain_forwarded.eml").read_bytes()
    delivered, routes = await deliver(parts, sandbox, raw)
    assert routes == ["GET contacts", "POST $batch"]
    emails = sorted(
        of_incident(sandbox, "emails", delivered.incident_id, "_regardingobjectid_value"),
        key=lambda e: e["actualstart"],
    )
    # Jane wrote two of the four messages; the agent's two are not hers.
    assert [e["subject"] for e in emails] == ["Re: Export fails", "Re: Export fails"]
    assert [e["actualstart"] for e in emails] == ["2024-03-04T09:15:00Z", "2024-03-05T10:02:00Z"]
    assert 'the CSV export fails with "error 500"' in emails[0]["description"]
    assert "It still fails with the same error" in emails[1]["description"]
    for email in emails:
        assert email["directioncode"] is False
        assert (email["statecode"], email["statuscode"]) == (1, 4)  # completed, received: not a draft
        parties = [(p["participationtypemask"], p["_partyid_value"]) for p in email["email_activity_parties"]]
        assert parties == [(1, delivered.contact_id), (2, QUEUE_ID)]
        assert email["email_activity_parties"][0]["addressused"] == "jane.roe@example.com"


async def test_web_form_mail_counts_as_the_customers_by_its_reply_to(make: Make, sandbox: Any) -> None:
    parts = await make()
    raw = (
        b"From: Shop forms <no-reply@forms.example>\r\nReply-To: Ana Ruiz <ana@example.com>\r\n"
        b"To: cases@handoff.test\r\nSubject: Contact form: order 4471\r\nMessage-ID: <form-1@forms.example>\r\n"
        b"Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n\r\nMy order 4471 never arrived.\r\n"
    )
    delivered, _ = await deliver(parts, sandbox, raw)
    [email] = sandbox.table("emails")
    assert email["subject"] == "Contact form: order 4471" and "never arrived" in email["description"]
    sender = email["email_activity_parties"][0]
    assert (sender["_partyid_value"], sender["addressused"]) == (delivered.contact_id, "ana@example.com")


async def test_timeline_emails_can_be_turned_off(make: Make, sandbox: Any) -> None:
    parts = await make(timeline_emails=False)
    raw = (FIXTURES / "mail" / "gmail_reply_chain_forwarded.eml").read_bytes()
    await deliver(parts, sandbox, raw)
    assert len(sandbox.table("incidents")) == 1 and sandbox.table("emails") == []


# ------------------------------------------------------------------------------------------ failures


async def test_dropped_answer_after_commit_duplicates_nothing(make: Make, sandbox: Any) -> None:
    parts = await make()
    draft = await draft_of(parts, mail("drop-1@example.com", files=(("report.pdf", "application/pdf", PDF),)))
    assert (len(draft.notes), len(draft.emails)) == (1, 1)
    sandbox.drop_after_commit("POST $batch")
    delivered = await parts.dynamics.deliver(draft)
    assert delivered.already_existed  # the client's retry found the committed change set
    [incident] = sandbox.table("incidents")
    assert delivered.ticket_number == incident["ticketnumber"]
    assert len(sandbox.table("contacts")) == 1
    assert len(sandbox.table("annotations")) == 1 and len(sandbox.table("emails")) == 1
    assert len(sandbox.table("queueitems")) == 1
    dropped = [r for r in sandbox.requests if r.get("dropped")]
    assert len(dropped) == 1
    # And once more, as a replay of the mailbox would: still one of everything.
    assert (await parts.dynamics.deliver(draft)).already_existed
    assert len(sandbox.table("annotations")) == 1 and len(sandbox.table("emails")) == 1


async def test_permanent_error_inside_the_set_parks_with_dataverse_message(make: Make, sandbox: Any) -> None:
    parts = await make()
    # The organisation allows less than [dynamics] max_attachment_size says.
    sandbox.attachment_limit = 1000
    raw = mail("park-1@example.com", files=(("report.pdf", "application/pdf", PDF),))
    assert parts.pipeline is not None
    worker = Worker(parts.spool, parts.pipeline, parts.dynamics, parts.settings.spool)
    spool_id = await parts.spool.enqueue(raw, MAIL_FROM, RCPT)
    await worker.drain()
    item = await parts.spool.get(spool_id)
    assert item is not None and item.state == "parked"
    assert item.last_error == "note report.pdf: Dataverse 400 0x80044a02: Attachment file size is too big."
    assert item.raw == raw
    # The change set was rolled back whole: no half-made case.
    assert sandbox.table("incidents") == [] and sandbox.table("contacts") == []
    assert sandbox.table("annotations") == []


async def test_bad_option_value_in_the_set_names_no_operation(make: Make, sandbox: Any) -> None:
    parts = await make(ticket_properties={"casetypecode": 2})
    parts.settings.dynamics.ticket_properties["casetypecode"] = 5
    raw = mail("opt-1@example.com")
    draft = await draft_of(parts, raw)
    with pytest.raises(PermanentError) as info:
        await parts.dynamics.deliver(draft)
    assert str(info.value).startswith("Dataverse 400 0x8004431A: A validation error occurred. The value 5")
    assert info.value.content_id == "2"  # the incident, after the contact created in the same set


# ------------------------------------------------------------------------------------------ $batch failures
# Dataverse answers a $batch that stopped at a failing operation with that operation's status, the
# error in the multipart body (../shared/docs/dataverse.md, "$batch"); the sandbox does the same.


def worker_for(parts: Parts) -> Worker:
    assert parts.pipeline is not None
    return Worker(parts.spool, parts.pipeline, parts.dynamics, parts.settings.spool)


async def test_lost_answer_then_retry_ends_created_with_the_existing_ticket(make: Make, sandbox: Any) -> None:
    parts = await make()
    raw = mail("lost-1@example.com")
    sandbox.drop_after_commit("$batch")  # the whole set commits, then its answer is lost
    spool_id = await parts.spool.enqueue(raw, MAIL_FROM, RCPT)
    await worker_for(parts).drain()
    item = await parts.spool.get(spool_id)
    assert item is not None and item.state == "created", item.last_error
    [incident] = sandbox.table("incidents")
    assert item.ticket_number == incident["ticketnumber"] and item.incident_id == incident["incidentid"]
    assert item.summary["already_existed"] is True
    assert len(sandbox.table("contacts")) == 1 and len(sandbox.table("queueitems")) == 1
    # The resent set stops at its first operation, the contact (412): sent again without it, it stops
    # at the incident (412), so the case exists; one GET reads its ticket number.
    batches = [(r["status"], r.get("dropped", False)) for r in sandbox.requests if r["route"] == "POST $batch"]
    assert batches == [(200, True), (412, False), (412, False)]
    assert [r["route"] for r in sandbox.requests].count("GET incidents") == 1


async def test_contact_created_between_lookup_and_batch_is_bound_not_duplicated(make: Make, sandbox: Any) -> None:
    parts = await make()
    other = Dynamics(parts.dynamics.client, parts.dynamics.settings)  # e.g. a second service process
    mine, theirs = [await draft_of(parts, mail(f"between-{n}@example.com", f"Message {n}")) for n in (1, 2)]
    lookup = parts.dynamics.find_contact

    async def lookup_then_lose_the_race(email: str) -> dict[str, Any] | None:
        found = await lookup(email)
        await other.deliver(theirs)  # creates the contact (and its case) after our lookup found none
        return found

    parts.dynamics.find_contact = lookup_then_lose_the_race  # type: ignore[method-assign]
    delivered = await parts.dynamics.deliver(mine)
    [contact] = sandbox.table("contacts")
    assert delivered.contact_id == contact["contactid"] and not delivered.contact_created
    incidents = sandbox.table("incidents")
    assert len(incidents) == 2 and {i["_customerid_value"] for i in incidents} == {contact["contactid"]}
    mine_stored = next(i for i in incidents if i["incidentid"] == mine.incident_id)
    assert delivered.ticket_number == mine_stored["ticketnumber"] and not delivered.already_existed
    # Ours failed on the contact (Content-ID 1, outer 412) and went again without it; no GET needed
    # to tell which operation failed.
    routes = [(r["route"], r["status"]) for r in sandbox.requests]
    assert routes == [
        ("GET contacts", 200),
        ("GET contacts", 200),
        ("POST $batch", 200),
        ("POST $batch", 412),
        ("POST $batch", 200),
    ]


async def test_cached_contact_deleted_is_looked_up_again_and_created(make: Make, sandbox: Any) -> None:
    parts = await make()
    first, _ = await deliver(parts, sandbox, mail("gone-1@example.com"))
    await parts.dynamics.client.request("DELETE", f"contacts({first.contact_id})")  # merged away in Dynamics
    second, routes = await deliver(parts, sandbox, mail("gone-2@example.com", "Hello again."))
    assert routes == ["POST $batch", "GET contacts", "POST $batch"]  # 404 on the bind, look up, create
    assert [r["status"] for r in sandbox.requests if r["route"] == "POST $batch"][-2:] == [404, 200]
    assert second.contact_created and not second.already_existed
    [contact] = sandbox.table("contacts")
    assert second.contact_id == contact["contactid"]
    [incident] = [i for i in sandbox.table("incidents") if i["incidentid"] == second.incident_id]
    assert incident["_customerid_value"] == contact["contactid"] and second.ticket_number == incident["ticketnumber"]


async def test_bad_option_value_parks_with_dataverse_message(make: Make, sandbox: Any) -> None:
    parts = await make(ticket_properties={"casetypecode": 2})
    parts.settings.dynamics.ticket_properties["casetypecode"] = 5  # the organisation changed meanwhile
    spool_id = await parts.spool.enqueue(mail("optpark-1@example.com"), MAIL_FROM, RCPT)
    await worker_for(parts).drain()
    item = await parts.spool.get(spool_id)
    assert item is not None and item.state == "parked"
    assert item.last_error == (
        "Dataverse 400 0x8004431A: A validation error occurred. The value 5 of 'casetypecode' on record of type "
        "'incident' is outside the valid range. Accepted Values: 1,2,3"
    )
    assert [r["status"] for r in sandbox.requests if r["route"] == "POST $batch"] == [400]
    assert sandbox.table("incidents") == [] and sandbox.table("contacts") == []


async def test_412_with_an_empty_code_on_a_create_means_it_exists(make: Make, sandbox: Any) -> None:
    parts = await make()
    draft = await draft_of(parts, mail("empty412-1@example.com"))
    first = await parts.dynamics.deliver(draft)
    # The same case again, answered the way the upsert form answers: 412 with code "".
    sandbox.fail("POST incidents", 412, code="", message="")
    again = await parts.dynamics.deliver(draft)
    assert again.already_existed and again.ticket_number == first.ticket_number
    assert len(sandbox.table("incidents")) == 1


async def test_412_is_classified_by_the_operation_that_got_it(make: Make, sandbox: Any) -> None:
    parts = await make()
    client = parts.dynamics.client
    contact = sandbox.add_record("contacts", {"emailaddress1": "kim@example.com", "lastname": "Lee"})
    create_only = {"If-None-Match": "*"}
    # A create-only PATCH on an existing record: 412 with code "", alone and inside a change set.
    with pytest.raises(AlreadyExists):
        await client.request("PATCH", f"contacts({contact})", json_body={"lastname": "Lee"}, headers=create_only)
    with pytest.raises(AlreadyExists) as info:
        await client.batch([Operation("PATCH", f"contacts({contact})", {"lastname": "Lee"}, create_only)])
    assert info.value.content_id == "1" and info.value.code is None and info.value.status == 412
    # A PATCH with If-Match on a stale version is a failed precondition on an update, not a duplicate.
    stale = {"If-Match": 'W/"1"'}
    with pytest.raises(PermanentError) as failed:
        await client.batch([Operation("PATCH", f"contacts({contact})", {"lastname": "Lee"}, stale)])
    assert not isinstance(failed.value, AlreadyExists) and failed.value.code == "0x80060882"
    sandbox.fail("PATCH contacts", 412, code="")
    with pytest.raises(PermanentError) as failed:
        await client.request("PATCH", f"contacts({contact})", json_body={"lastname": "Lee"}, headers={"If-Match": "*"})
    assert not isinstance(failed.value, AlreadyExists)
    raise_for_status = client.raise_for_status
    with pytest.raises(AlreadyExists):
        raise_for_status(412, {}, {"error": {"code": "", "message": ""}}, b"", method="POST")
    with pytest.raises(AlreadyExists):  # Dataverse's duplicate-key code, whoever sent it
        raise_for_status(412, {}, {"error": {"code": "0x80040237", "message": "exists"}}, b"")


async def test_new_customer_gets_the_ticket_number_in_the_same_answer(make: Make, sandbox: Any) -> None:
    parts = await make()
    delivered, routes = await deliver(parts, sandbox, mail("ticket-1@example.com"))
    # The incident binds the contact created just before it by /contacts(<id>), not "$1": with "$1"
    # Dataverse drops the representation, and the ticket number would cost a GET.
    assert routes == ["GET contacts", "POST $batch"]
    assert delivered.contact_created
    [incident] = sandbox.table("incidents")
    assert delivered.ticket_number == incident["ticketnumber"] and delivered.ticket_number.startswith("CAS-")
    assert incident["_customerid_value"] == delivered.contact_id


async def test_batch_refused_as_a_whole_is_classified_by_its_status(make: Make, sandbox: Any) -> None:
    parts = await make(max_retries=0)
    draft = await draft_of(parts, mail("whole-1@example.com"))
    sandbox.fail("$batch", 429, retry_after=1)  # throttling answers JSON, not multipart
    with pytest.raises(TransientError) as info:
        await parts.dynamics.deliver(draft)
    assert info.value.retry_after == 1 and "0x80072322" in str(info.value)
    sandbox.fail("$batch", 503)
    with pytest.raises(TransientError):
        await parts.dynamics.deliver(draft)
    sandbox.fail("$batch", 400, code="0x80048d19", message="The batch is not valid.")
    with pytest.raises(PermanentError, match=r"Dataverse 400 0x80048d19: The batch is not valid\."):
        await parts.dynamics.deliver(draft)
    assert sandbox.table("incidents") == []
    assert (await parts.dynamics.deliver(draft)).ticket_number is not None


async def test_an_outage_is_transient_and_the_client_keeps_its_url(make: Make, sandbox: Any) -> None:
    parts = await make(max_retries=0)
    await parts.dynamics.who_am_i()  # a token and an open keep-alive connection
    await sandbox.outage("refuse")
    with pytest.raises(TransientError, match="connection error"):
        await parts.dynamics.who_am_i()
    await sandbox.outage("503", retry_after=2)
    with pytest.raises(TransientError, match="503") as info:
        await parts.dynamics.who_am_i()
    assert info.value.retry_after == 2
    await sandbox.outage(None)
    assert "UserId" in await parts.dynamics.who_am_i()
