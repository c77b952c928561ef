"""The bounce guard: delivery reports and mail-system senders are never cases."""

from __future__ import annotations

import email
import json
from pathlib import Path

import pytest

from handoff.guards import Bounce
from handoff.guards.bounce import may_be_bounce
from handoff.parse import mime
from handoff.parse.customer import Internal, find_customer
from handoff.parse.mime import parse_mail
from handoff.parse.thread import split_thread

DSN = b"""From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: cases@handoff.localhost
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; nobody@example.org
Action: failed
Status: 5.1.1
--B--
"""


def check(raw: bytes, envelope_from: str | None = None):  # type: ignore[no-untyped-def]
    mail = parse_mail(raw, envelope_from=envelope_from)
    messages, customer = find_customer(mail, split_thread(mail), Internal(["acme-support.com"]))
    return Bounce().check(mail, messages, customer)


def test_delivery_status_report_is_skipped() -> None:
    found = check(DSN)
    assert found is not None and found.guard == "bounce" and "multipart/report" in found.reason


def test_null_sender_is_skipped() -> None:
    found = check(b"From: someone@example.org\nSubject: hi\n\nbody\n", envelope_from="<>")
    assert found is not None and "null reverse path" in found.reason


def test_unknown_envelope_is_not_a_null_sender() -> None:
    assert check(b"From: someone@example.org\nSubject: hi\n\nbody\n", envelope_from=None) is None


def test_postmaster_sender_is_skipped() -> None:
    found = check(b"From: postmaster@example.org\nSubject: Delivery failure\n\nsorry\n")
    assert found is not None


def test_forwarded_bounce_is_judged_on_the_inner_message() -> None:
    found = check(
        b"From: Agent <agent@acme-support.com>\nSubject: Fwd: Undeliverable\n\nwhat is this?\n\n"
        b"---------- Forwarded message ---------\nFrom: MAILER-DAEMON@mx.example.com\n"
        b"Date: Mon, Mar 4, 2024 at 3:01 PM\nSubject: Undeliverable: hi\n\nDelivery failed.\n"
    )
    assert found is not None and "forwarded" in found.reason


# --- The flufl.bounce scan runs only for mail that can be a bounce (issue 16, goal 2) -------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
SAMPLES = Path(__file__).parent.parent / "samples"
ENVELOPES = json.loads((FIXTURES / "envelopes.json").read_text(encoding="utf-8"))
MAILS = sorted(FIXTURES.glob("*.eml")) + sorted(SAMPLES.glob("*.eml"))
BOUNCE_GOLDENS = [p for p in MAILS if p.name.startswith("guard_bounce_")]


def _envelope_from(path: Path) -> str | None:
    return ENVELOPES.get(path.stem, {}).get("from")


def _full_scan(raw: bytes) -> tuple[str, ...]:
    # What parse_mail stored for every mail before the gate: flufl.bounce on the whole message tree.
    return mime._bounced(email.message_from_bytes(raw))


def test_there_are_bounce_goldens_and_ordinary_ones() -> None:
    assert len(BOUNCE_GOLDENS) >= 3 and len(MAILS) - len(BOUNCE_GOLDENS) >= 50


@pytest.mark.parametrize("path", MAILS, ids=lambda p: p.name)
def test_gated_scan_finds_what_the_full_scan_found(path: Path) -> None:
    raw = path.read_bytes()
    assert parse_mail(raw, envelope_from=_envelope_from(path)).bounced_recipients == _full_scan(raw)


@pytest.mark.parametrize("path", BOUNCE_GOLDENS, ids=lambda p: p.name)
def test_every_bounce_golden_is_scanned_and_skipped(path: Path) -> None:
    raw = path.read_bytes()
    assert may_be_bounce(email.message_from_bytes(raw), _envelope_from(path), raw) is not None
    found = check(raw, envelope_from=_envelope_from(path))
    assert found is not None and found.guard == "bounce"


def test_ordinary_mail_skips_the_scan() -> None:
    scanned = [
        p.name
        for p in MAILS
        if p not in BOUNCE_GOLDENS
        and may_be_bounce(email.message_from_bytes(p.read_bytes()), _envelope_from(p), p.read_bytes()) is not None
    ]
    assert scanned == []


# Exim's bounce text (flufl.bounce's simplematch knows it), pasted by an agent under a subject of their own.
PASTED_EXIM = b"""From: Agent <agent@acme-support.com>
To: cases@handoff.localhost
Subject: see below

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  gone@example.org
    SMTP error from remote mail server after RCPT TO:<gone@example.org>:
    550 5.1.1 User unknown
"""


def test_a_bounce_pasted_under_an_ordinary_subject_is_still_scanned() -> None:
    mail = parse_mail(PASTED_EXIM)
    assert may_be_bounce(email.message_from_bytes(PASTED_EXIM), None, PASTED_EXIM) == "bounce phrase"
    assert mail.bounced_recipients == _full_scan(PASTED_EXIM) == ("gone@example.org",)


@pytest.mark.parametrize(
    "headers",
    [
        b"From: Microsoft Outlook <MicrosoftExchange329e71ec88ae@corp.example>\nSubject: Unzustellbar: Ihr Auftrag\n",
        b"From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\nSubject: Delivery Status Notification\n",
        b"From: someone@example.org\nX-Failed-Recipients: gone@example.org\nSubject: hello\n",
        b"From: someone@example.org\nReturn-Path: <>\nSubject: hello\n",
        b"From: someone@example.org\nSubject: Non remis : votre message\n",
    ],
)
def test_bounce_headers_open_the_gate(headers: bytes) -> None:
    raw = headers + b"\nhello\n"
    assert may_be_bounce(email.message_from_bytes(raw), None, raw) is not None


def test_a_bounce_attached_to_an_agents_forward_opens_the_gate() -> None:
    raw = (
        b"From: Agent <agent@acme-support.com>\nSubject: what is this?\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="X"\n\n--X\nContent-Type: text/plain\n\nplease look\n'
        b"--X\nContent-Type: message/rfc822\n\n"
        b"From: MAILER-DAEMON@mx.example.com\nSubject: hi\n\nThe original text.\n--X--\n"
    )
    assert may_be_bounce(email.message_from_bytes(raw), None, b"") == "mail-system sender"
    assert may_be_bounce(email.message_from_bytes(raw), "", raw) == "null reverse path"


def test_an_ordinary_customer_mail_does_not_open_the_gate() -> None:
    raw = b"From: Ann <ann@example.org>\nSubject: Refund for order 1042\n\nHi, I returned the shoes last week.\n"
    assert may_be_bounce(email.message_from_bytes(raw), "ann@example.org", raw) is None


def test_every_body_marker_alone_still_opens_the_gate() -> None:
    """The markers are looked for behind anchors they contain (handoff/guards/bounce.py): each one alone, in an
    ordinary mail, must still send the mail to the detectors, and a mail with none of them must not go."""
    from handoff.guards.bounce import _BODY_MARKERS

    head = b"From: ann@example.org\r\nSubject: hello\r\n\r\n"
    for marker in _BODY_MARKERS:
        raw = head + b"Some text. " + marker.upper() + b" more text.\r\n"
        assert may_be_bounce(email.message_from_bytes(raw), "ann@example.org", raw) == "bounce phrase", marker
    raw = head + b"My parcel was not delivered and the failed tracking page says nothing.\r\n"
    assert may_be_bounce(email.message_from_bytes(raw), "ann@example.org", raw) is None
