"""find_customer: the earliest external author, never the agent who forwarded the thread."""

from __future__ import annotations

from handoff.parse.customer import Internal, customer_not_found_reason, find_customer
from handoff.parse.mime import parse_mail
from handoff.parse.thread import split_thread

INTERNAL = Internal(["acme-support.com"], ["cases@handoff.localhost"])


def run(raw: str, envelope_from: str | None = None):  # type: ignore[no-untyped-def]
    mail = parse_mail(raw.encode(), envelope_from=envelope_from)
    messages = split_thread(mail)
    marked, customer = find_customer(mail, messages, INTERNAL)
    return mail, marked, customer


def test_internal_matches_domains_subdomains_and_addresses() -> None:
    internal = Internal(["acme-support.com", "@acme.example"], ["ops@partner.io"])
    assert internal.is_internal("Agent@Mail.ACME-support.com")
    assert internal.is_internal("x@acme.example")
    assert internal.is_internal("ops@partner.io")
    assert not internal.is_internal("other@partner.io")
    assert not internal.is_internal("x@notacme-support.com")
    assert not internal.is_internal(None)


def test_forwarded_customer_is_found_and_agent_marked_internal() -> None:
    _, marked, customer = run(
        "From: Agent <agent@acme-support.com>\nSubject: Fwd: x\n\nplease\n\n"
        "---------- Forwarded message ---------\nFrom: Jane Roe <jane@customer.com>\n"
        "Date: Mon, Mar 4, 2024 at 3:01 PM\nSubject: x\nTo: support@acme-support.com\n\nbroken\n"
    )
    assert customer is not None
    assert (customer.email, customer.name, customer.found_by) == (
        "jane@customer.com",
        "Jane Roe",
        "earliest-external-message",
    )
    assert [m.internal for m in marked] == [False, True]


def test_customer_reply_quoting_the_agent_credits_the_customer() -> None:
    _, _, customer = run(
        "From: Jane <jane@customer.com>\nSubject: Re: x\n\nstill broken\n\n"
        "On Mon, Mar 4, 2024 at 3:01 PM Agent <agent@acme-support.com> wrote:\n> we fixed it\n"
    )
    assert customer is not None and customer.email == "jane@customer.com"


def test_direct_mail_prefers_reply_to() -> None:
    _, _, customer = run(
        "From: Web Form <noreply@shop.example>\nReply-To: Buyer <buyer@gmail.example>\nSubject: order\n\nhi\n"
    )
    assert customer is not None
    assert (customer.email, customer.found_by) == ("buyer@gmail.example", "reply-to")


def test_outlook_name_only_sender_is_resolved_from_the_thread() -> None:
    _, marked, customer = run(
        "From: Agent <agent@acme-support.com>\nSubject: FW: x\n\nfyi\n\n"
        "-----Original Message-----\nFrom: Agent\nSent: Tuesday, March 5, 2024 10:00 AM\n"
        "To: Jane Roe <jane@customer.com>\nSubject: RE: x\n\nWe are on it.\n\n"
        "-----Original Message-----\nFrom: Jane Roe\nSent: Monday, March 4, 2024 9:00 AM\n"
        "To: Support\nSubject: x\n\nBroken again.\n"
    )
    assert customer is not None and customer.email == "jane@customer.com"
    assert marked[0].from_email == "jane@customer.com"


def test_no_customer_is_invented_when_everyone_is_internal() -> None:
    raw = (
        "From: Agent <agent@acme-support.com>\nSubject: Fwd: internal\n\nfyi\n\n"
        "---------- Forwarded message ---------\nFrom: Boss <boss@acme-support.com>\n"
        "Date: Mon, Mar 4, 2024 at 3:01 PM\nSubject: internal\n\nplease check\n"
    )
    mail, marked, customer = run(raw)
    assert customer is None
    reason = customer_not_found_reason(mail, split_thread(mail), INTERNAL)
    assert reason is not None and "internal" in reason
    assert all(m.internal for m in marked)


def test_forwarding_mailbox_outside_internal_domains_is_still_not_the_customer() -> None:
    _, _, customer = run(
        "From: Support Inbox <support@acme-helpdesk.io>\nSubject: Fwd: x\n\n"
        "---------- Forwarded message ---------\nFrom: Jane <jane@customer.com>\n"
        "Date: Mon, Mar 4, 2024 at 3:01 PM\nSubject: x\n\nbroken\n"
    )
    assert customer is not None and customer.email == "jane@customer.com"
