"""One list of reply and forward prefixes (handoff/parse/subjects.py), the same for every reader of a subject:
the thread's inherited subjects, the timeline's fallback subject, the guards' loop and auto-reply checks, and the
customer's headline in triage. Each reader had its own list before, with its own languages."""

from __future__ import annotations

import pytest

from handoff.guards.base import strip_prefixes
from handoff.model import Customer, Handoff, ThreadMessage
from handoff.parse.mime import parse_mail
from handoff.parse.subjects import strip_forward, strip_reply_and_forward
from handoff.parse.thread import split_thread
from handoff.pipeline import timeline_emails
from handoff.triage.text import clean_subject


@pytest.mark.parametrize(
    ("subject", "bare"),
    [
        ("Fwd: WG: Lieferung", "Lieferung"),
        ("TR: Colis", "Colis"),
        ("PD: Zamówienie 881", "Zamówienie 881"),
        ("İLT: Sipariş", "Sipariş"),
        ("Tov: Csomag", "Csomag"),
        ("Пересл: Заказ", "Заказ"),
        ("转发：订单 5521", "订单 5521"),  # fullwidth colon, as QQ Mail prints it
        ("Fwd [2]: x", "x"),
        ("Re: x", "Re: x"),  # a reply prefix is the customer's own subject: a forward strip keeps it
        ("Information: x", "Information: x"),  # "I" is Italian Outlook's forward prefix only when alone
    ],
)
def test_forward_prefixes_of_every_language(subject: str, bare: str) -> None:
    assert strip_forward(subject) == bare


@pytest.mark.parametrize(
    ("subject", "bare"),
    [
        ("Re: AW: Fwd: x", "x"),
        ("Odp: Zamówienie", "Zamówienie"),
        ("YNT: Sipariş", "Sipariş"),
        ("Vá: Csomag", "Csomag"),
        ("Отв: Заказ", "Заказ"),
        ("ΑΠ: Παραγγελία", "Παραγγελία"),
        ("回复：订单", "订单"),
        ("Antw: Bestelling", "Bestelling"),
    ],
)
def test_reply_and_forward_prefixes_of_every_language(subject: str, bare: str) -> None:
    assert strip_reply_and_forward(subject) == bare
    # the guards and triage read the same list: a Polish or Chinese reply is the same conversation to both
    assert strip_prefixes(subject) == bare
    assert clean_subject(subject) == bare


def test_the_timeline_subject_loses_a_localised_forward_prefix() -> None:
    handoff = Handoff(
        message_id="<a@b>",
        subject="WG: Lieferung fehlt",
        customer=Customer(email="eva@kunde.example", found_by="from"),
        messages=(ThreadMessage(from_email="eva@kunde.example", body="Wo ist mein Paket?"),),
    )
    (email,) = timeline_emails("00000000-0000-0000-0000-000000000001", handoff)
    assert email.subject == "Lieferung fehlt"


def test_a_quoted_message_without_subject_inherits_it_without_a_localised_forward_prefix() -> None:
    raw = (
        "From: Agent <agent@acme-support.com>\nTo: cases@handoff.localhost\nSubject: Пересл: Заказ 5521\n"
        "Date: Tue, 12 Feb 2019 02:20:09 +0300\nContent-Type: text/plain; charset=utf-8\n\n"
        'См. ниже\n\n12.02.2019, 01:54, "Oleg Petrov" <oleg@ya.example>:\n\nГде мой заказ?\n'
    ).encode()
    inner = [m for m in split_thread(parse_mail(raw)) if m.source != "outer"]
    assert [(m.from_email, m.subject) for m in inner] == [("oleg@ya.example", "Заказ 5521")]
