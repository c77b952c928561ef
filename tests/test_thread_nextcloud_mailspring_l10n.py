# ruff: noqa: E501
# (one attribution per line: the formats read best whole)
"""Nextcloud Mail's verbless reply line and moment's zh-cn and lt dates (tuned_v9, session 10, helper h6): the
quoted sender is credited at the time the line prints, only when the line stands right above a quote, and the
client's own line stays out of every message's text."""

from __future__ import annotations

import pytest

from tests.forwards import quoted_messages


def quoted(text: str) -> list[tuple[str | None, str | None, str | None, str]]:
    """(address, name, ISO time, text) of every quoted message, oldest first (the outer mail left out)."""
    messages = quoted_messages(text)
    # Neither client prints a zone: the wall clock is what the line says (the zone is the outer mail's guess).
    return [(m.from_email, m.from_name, m.sent_at.isoformat()[:19] if m.sent_at else None, m.body) for m in messages]


# Nextcloud Mail (src/ReplyBuilder.js): `"<label>" <address> – <moment LLL>` over "> " lines; no verb, no colon.
@pytest.mark.parametrize(
    ("line", "sent_at"),
    [
        ('"Mara Lind" mara.lind@post.example – March 15, 2022 9:12 AM', "2022-03-15T09:12:00"),
        ('"Mara Lind" mara.lind@post.example – 15. März 2022 09:12', "2022-03-15T09:12:00"),
        ('"Mara Lind" mara.lind@post.example – 15 de marzo de 2022 9:12', "2022-03-15T09:12:00"),
        ('"Мара Линд" mara.lind@post.example – 15 марта 2022 г., 9:12', "2022-03-15T09:12:00"),
        ('"Mara Lind" mara.lind@post.example – 15. maaliskuuta 2022, klo 9.12', "2022-03-15T09:12:00"),
        ('"Mara Lind" mara.lind@post.example – 2022 m. kovo 15 d., 09:12 val.', "2022-03-15T09:12:00"),
        ('"王芳" fang.wang@post.example – 2022年3月15日早上9点12分', "2022-03-15T09:12:00"),
        ('"王芳" fang.wang@post.example – 2022年3月15日下午4点12分', "2022-03-15T16:12:00"),
        ('"مارا" mara.lind@post.example – ١٥ مارس ٢٠٢٢ ٠٩:١٢', "2022-03-15T09:12:00"),
    ],
    ids=["en", "de", "es", "ru", "fi", "lt", "zh-cn-morning", "zh-cn-afternoon", "ar"],
)
def test_nextcloud_reply_line_credits_the_address(line: str, sent_at: str) -> None:
    address = line.split('" ')[1].split(" ")[0]
    messages = quoted(f"Any news?\n\n{line}\n> The parcel is damaged.\n")
    assert [(m[0], m[2], m[3]) for m in messages] == [(address, sent_at, "The parcel is damaged.")]


def test_nextcloud_reply_line_names_the_label_as_the_sender_name() -> None:
    messages = quoted(
        'Danke.\n\n"Jonas Becker" jonas.becker@post.example – 8. März 2022 14:05\n> Das Ladegerät fehlt.\n'
    )
    assert [(m[0], m[1]) for m in messages] == [("jonas.becker@post.example", "Jonas Becker")]


def test_nextcloud_reply_line_with_the_address_as_its_label() -> None:
    # With no display name Nextcloud's label is the address itself: the address alone is the sender.
    messages = quoted('Merci.\n\n"ana@post.example" ana@post.example – 8 mars 2022 14:05\n> Le colis est abîmé.\n')
    assert [(m[0], m[2], m[3]) for m in messages] == [
        ("ana@post.example", "2022-03-08T14:05:00", "Le colis est abîmé.")
    ]


def test_nextcloud_reply_line_answer_below_the_quote_stays_with_the_newer_author() -> None:
    text = '"Jonas Becker" jonas.becker@post.example – 8. März 2022 14:05\n> Das Ladegerät fehlt.\n\nWir schicken eins nach.\n'
    messages = quoted_messages(text)
    assert [m.from_email for m in messages] == ["jonas.becker@post.example"]
    assert "Jonas Becker" not in messages[0].body and "–" not in messages[0].body


def test_nextcloud_chain_credits_both_quoted_senders() -> None:
    older = '"Kacper Nowak" kacper.nowak@post.example – 7 marca 2022 16:20\n> Zamówienie 7341 przyszło bez ładowarki.'
    newer = '"Service Desk" service@shop.example – 8 marca 2022 14:05'
    text = (
        f"Dziękuję.\n\n{newer}\n> We have passed this on.\n>\n"
        + "\n".join("> " + line for line in older.split("\n"))
        + "\n"
    )
    assert [(m[0], m[2]) for m in quoted(text)] == [
        ("kacper.nowak@post.example", "2022-03-07T16:20:00"),
        ("service@shop.example", "2022-03-08T14:05:00"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # the same shape in plain text, no quote below: a sentence, not an attribution
        'Ich habe "Paketdienst" info@paket.example – 8. März 2022 14:05 angeschrieben.\nBisher keine Antwort.\n',
        '"Paketdienst" info@paket.example – 8. März 2022 14:05\nBisher keine Antwort.\n',
        # a quote below but no date after the dash
        '"Paketdienst" info@paket.example – bitte antworten\n> Ihre Sendung ist unterwegs.\n',
        # a hyphen, not Nextcloud's en dash
        '"Paketdienst" info@paket.example - 8. März 2022 14:05\n> Ihre Sendung ist unterwegs.\n',
    ],
    ids=["in-a-sentence", "no-quote-below", "no-date", "hyphen"],
)
def test_nextcloud_shaped_line_without_its_parts_stays_text(text: str) -> None:
    messages = quoted_messages(text)
    assert all(m.from_email != "info@paket.example" for m in messages)


# Mailspring (message.ts replyAttributionLine, not localised): "On <MMM D YYYY, [at] h:mm a>, Name <a@b> wrote:"
def test_mailspring_reply_over_a_nextcloud_quote() -> None:
    inner = '"Hannah Reed" hannah.reed@post.example – March 7, 2022 4:20 PM\n> My order came without the charger.'
    text = (
        "Thanks.\n\nOn Mar 8 2022, at 2:05 pm, Service Desk <service@shop.example> wrote:\n\n"
        "> We have passed this on.\n>\n" + "\n".join("> " + line for line in inner.split("\n")) + "\n"
    )
    assert [(m[0], m[2]) for m in quoted(text)] == [
        ("hannah.reed@post.example", "2022-03-07T16:20:00"),
        ("service@shop.example", "2022-03-08T14:05:00"),
    ]
