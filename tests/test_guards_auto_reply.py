"""The auto-reply guard, judged on the customer's message when the mail forwards one."""

from __future__ import annotations

import pytest

from handoff.guards import AutoReply
from handoff.parse.customer import Internal, find_customer
from handoff.parse.mime import parse_mail
from handoff.parse.thread import split_thread

INTERNAL = Internal(["acme-support.com"])


def check(raw: str):  # type: ignore[no-untyped-def]
    mail = parse_mail(raw.encode())
    messages, customer = find_customer(mail, split_thread(mail), INTERNAL)
    return AutoReply().check(mail, messages, customer)


@pytest.mark.parametrize(
    "header",
    [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated; type=vacation",
        "X-Autoreply: yes",
        "X-Autorespond: on",
        "Precedence: bulk",
        "Precedence: junk",
        "X-Auto-Response-Suppress: All\nX-MS-Exchange-Inbox-Rules-Loop: jane@customer.com",
    ],
)
def test_machine_headers_are_skipped(header: str) -> None:
    found = check(f"From: Jane <jane@customer.com>\nSubject: hello\n{header}\n\nbody\n")
    assert found is not None and found.guard == "auto-reply"


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Your case",
        "Out of Office: back Monday",
        "Abwesenheitsnotiz: Urlaub",
        "Réponse automatique : absent",
        "Respuesta automática: vacaciones",
        "Re: Automatyczna odpowiedź",
    ],
)
def test_localised_auto_reply_subjects(subject: str) -> None:
    found = check(f"From: Jane <jane@customer.com>\nSubject: {subject}\n\nI am away.\n")
    assert found is not None and "subject" in found.reason


def test_people_are_not_skipped() -> None:
    assert check("From: Jane <jane@customer.com>\nSubject: Out of stock?\nAuto-Submitted: no\n\nhi\n") is None
    # Exchange sets X-Auto-Response-Suppress on ordinary mail; alone it means nothing.
    assert check("From: Jane <jane@customer.com>\nSubject: hi\nX-Auto-Response-Suppress: All\n\nhi\n") is None


def test_forwarded_auto_reply_is_judged_on_the_inner_message() -> None:
    found = check(
        "From: Agent <agent@acme-support.com>\nSubject: Fwd: Automatic reply: Case 12\n\nfyi\n\n"
        "---------- Forwarded message ---------\nFrom: Jane <jane@customer.com>\n"
        "Date: Mon, Mar 4, 2024 at 3:01 PM\nSubject: Automatic reply: Case 12\n\nI am on leave.\n"
    )
    assert found is not None and "forwarded customer message" in found.reason


def test_mailbox_rule_wrapper_headers_do_not_hide_a_real_customer() -> None:
    # The inbox rule that forwarded the mail marks the wrapper as automatic; the customer is a person.
    found = check(
        "From: Support <support@acme-support.com>\nSubject: FW: broken\nAuto-Submitted: auto-forwarded\n"
        "X-MS-Exchange-Inbox-Rules-Loop: support@acme-support.com\nX-Auto-Response-Suppress: All\n\n"
        "________________________________\nFrom: Jane <jane@customer.com>\n"
        "Sent: Monday, March 4, 2024 3:01 PM\nTo: support@acme-support.com\nSubject: broken\n\nIt broke.\n"
    )
    assert found is None


@pytest.mark.parametrize("subject", ["Absent items in my order", "Ausente el producto", "OOOPS the app crashed"])
def test_ordinary_subjects_that_start_like_an_absence_are_cases(subject: str) -> None:
    assert check(f"From: Jane <jane@customer.com>\nSubject: {subject}\n\nhelp\n") is None


def test_single_word_absence_prefix_is_an_auto_reply() -> None:
    assert check("From: Jane <jane@customer.com>\nSubject: Abwesend: Ihre Anfrage\n\nbin weg\n") is not None
