"""The bounce guard: delivery reports and mail-system senders are never cases."""

from __future__ import annotations

from handoff.guards import Bounce
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
