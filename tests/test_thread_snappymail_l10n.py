"""SnappyMail's Polish reply title and Dutch forward labels (tuned_v10, session 10, helper h7): the quoted sender is
credited at the time the title prints, and the forward block's "Naar:" line ends the sender's address instead of being
glued to it."""

from __future__ import annotations

import pytest

from tests.forwards import quoted_messages


def quoted(text: str) -> list[tuple[str | None, str | None, str | None, str]]:
    """(address, name, ISO time, text) of every quoted message, oldest first (the outer mail left out)."""
    messages = quoted_messages(text)
    # SnappyMail prints no zone: the wall clock is what the title says (the zone is the outer mail's guess).
    return [(m.from_email, m.from_name, m.sent_at.isoformat()[:19] if m.sent_at else None, m.body) for m in messages]


# SnappyMail (snappymail/v/0.0.0/app/localization/pl/user.json, COMPOSE/REPLY_MESSAGE_TITLE): "%DATETIME%, %EMAIL%
# napisał/-a/" + ":" over a blockquote; the date is Intl 'LLL' in pl ("8 marca 2022 14:05").
@pytest.mark.parametrize(
    ("line", "address", "sent_at"),
    [
        (
            '8 marca 2022 14:05, "Kacper Nowak" <kacper.nowak@post.example> napisał/-a/:',
            "kacper.nowak@post.example",
            "2022-03-08T14:05:00",
        ),
        (
            '9 marca 2022 08:47, "Zofia Wójcik" <z.wojcik@mail.example> napisał/-a/:',
            "z.wojcik@mail.example",
            "2022-03-09T08:47:00",
        ),
        ("17 listopada 2023 21:30, z.wojcik@mail.example napisał/-a/:", "z.wojcik@mail.example", "2023-11-17T21:30:00"),
        (
            '1 stycznia 2024 00:05, "Jan Kos" <jan.kos@post.example> napisał/-a/:',
            "jan.kos@post.example",
            "2024-01-01T00:05:00",
        ),
    ],
    ids=["named", "named-morning", "bare-address", "new-year"],
)
def test_snappymail_polish_reply_title_credits_the_address(line: str, address: str, sent_at: str) -> None:
    messages = quoted(f"Sprawdzimy to.\n\n{line}\n> Faktura 5520 została pobrana dwa razy.\n")
    assert [(m[0], m[2], m[3]) for m in messages] == [(address, sent_at, "Faktura 5520 została pobrana dwa razy.")]


def test_snappymail_polish_reply_title_names_the_sender() -> None:
    messages = quoted(
        'Dzięki.\n\n8 marca 2022 14:05, "Kacper Nowak" <kacper.nowak@post.example> napisał/-a/:\n> Brak ładowarki.\n'
    )
    assert [(m[0], m[1]) for m in messages] == [("kacper.nowak@post.example", "Kacper Nowak")]


def test_snappymail_polish_chain_credits_both_quoted_senders() -> None:
    text = (
        "Dziękuję.\n\n"
        '8 marca 2022 14:05, "Service Desk" <service@shop.example> napisał/-a/:\n'
        "> Przekazaliśmy to do magazynu.\n>\n"
        '> 7 marca 2022 16:20, "Kacper Nowak" <kacper.nowak@post.example> napisał/-a/:\n'
        "> > Zamówienie 7341 przyszło bez ładowarki.\n"
    )
    assert [(m[0], m[2], m[3]) for m in quoted(text)] == [
        ("kacper.nowak@post.example", "2022-03-07T16:20:00", "Zamówienie 7341 przyszło bez ładowarki."),
        ("service@shop.example", "2022-03-08T14:05:00", "Przekazaliśmy to do magazynu."),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # the verb inside a sentence, not closing an attribution line
        "Klient napisał/-a/ do nas wczoraj: zamówienie 7341 nie dotarło.\nProszę o kontakt.\n",
        # the title's shape with no colon after the verb, and nothing quoted
        '8 marca 2022 14:05, "Kacper Nowak" <kacper.nowak@post.example> napisał/-a/ list do działu reklamacji.\n',
    ],
    ids=["verb-mid-sentence", "no-colon"],
)
def test_polish_verb_outside_the_title_stays_text(text: str) -> None:
    assert quoted(text) == []


# SnappyMail's forward block in Dutch (COMPOSE/FORWARD_MESSAGE_TOP_TITLE, GLOBAL/FROM "Van", GLOBAL/TO "Naar",
# COMPOSE/FORWARD_MESSAGE_TOP_SENT "Verzonden", GLOBAL/SUBJECT "Onderwerp").
@pytest.mark.parametrize(
    ("sender_line", "address"),
    [
        ("Van: sanne.devries@post.example", "sanne.devries@post.example"),
        ('Van: "Sanne de Vries" <sanne.devries@post.example>', "sanne.devries@post.example"),
    ],
    ids=["bare-address", "named"],
)
def test_snappymail_dutch_forward_reads_naar_as_the_to_line(sender_line: str, address: str) -> None:
    text = (
        "FYI\n\n-------- Doorgestuurd bericht -------\n"
        f"{sender_line}\nNaar: service@shop.example\nVerzonden: 7 maart 2022 om 16:20\nOnderwerp: Order 7341\n\n"
        "Bestelling 7341 kwam zonder oplader.\n"
    )
    assert [(m[0], m[2], m[3]) for m in quoted(text)] == [
        (address, "2022-03-07T16:20:00", "Bestelling 7341 kwam zonder oplader.")
    ]


def test_dutch_naar_line_without_a_header_block_stays_text() -> None:
    text = "Naar: het magazijn in Utrecht\nVan daar gaat het pakket morgen weg.\nKlopt dat?\n"
    assert quoted(text) == []
