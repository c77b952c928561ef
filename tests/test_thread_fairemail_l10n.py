"""FairEmail's reply header line for a sender without a display name (tuned_v14, session 13, helper h6): FairEmail
writes `date + " " + MessageHelper.formatAddresses(from) + ":"` (EntityMessage.getReplyHeader in M66B/FairEmail), and
formatAddresses gives the bare address when the sender has no name, so the line has no verb, no preposition and no
angle brackets: "01.06.2022 10:12:44 a@b:". The address is the sender and the date its time, over a reply's quote and
over a forward's text, which FairEmail does not quote."""

from __future__ import annotations

import pytest

from tests.forwards import quoted_messages


def quoted(text: str) -> list[tuple[str | None, str | None, str]]:
    """(address, wall-clock time, text) of every quoted message, oldest first (the outer mail left out)."""
    # FairEmail prints no zone (or, with hide_timezone, 'Z'): the wall clock is what the line says.
    return [(m.from_email, m.sent_at.isoformat()[:19] if m.sent_at else None, m.body) for m in quoted_messages(text)]


# The dates are Helper.getDateTimeInstance (the locale's MEDIUM date + medium time) as node 20's ICU prints them
# (bench/data/threads/v14_build/strings.json); hide_timezone is SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'") in UTC.
@pytest.mark.parametrize(
    ("line", "sent_at"),
    [
        ("01.06.2022 10:12:44 jonas.becker@post.example:", "2022-06-01T10:12:44"),
        ("1 juin 2022 10:12:44 jonas.becker@post.example:", "2022-06-01T10:12:44"),
        ("1 cze 2022 10:12:44 jonas.becker@post.example:", "2022-06-01T10:12:44"),
        ("1 июн. 2022 г. 10:12:44 jonas.becker@post.example:", "2022-06-01T10:12:44"),
        ("Jun 1, 2022 10:12:44 AM jonas.becker@post.example:", "2022-06-01T10:12:44"),
        ("Nov 23, 2022 7:30:00 PM jonas.becker@post.example:", "2022-11-23T19:30:00"),
        ("1 giu 2022 10:12:44 jonas.becker@post.example:", "2022-06-01T10:12:44"),
        ("2022-03-08T13:05:09Z jonas.becker@post.example:", "2022-03-08T13:05:09"),
    ],
    ids=["de", "fr", "pl", "ru", "en_am", "en_pm", "it", "hide_timezone"],
)
def test_fairemail_header_line_with_a_bare_address(line: str, sent_at: str) -> None:
    messages = quoted(f"Das tut uns leid, wir schicken Ersatz.\n\n{line}\n> Das Ladegerät aus 7731 ist kaputt.\n")
    assert messages == [("jonas.becker@post.example", sent_at, "Das Ladegerät aus 7731 ist kaputt.")]


def test_fairemail_bare_address_reply_quoting_two_paragraphs() -> None:
    text = (
        "Wir haben sie korrigiert.\n\n17.01.2022 21:03:15 s.wolf@inbox.example:\n"
        "> Auf meiner Rechnung 5520 steht die falsche Adresse.\n>\n> Bitte ändern.\n"
    )
    assert quoted(text) == [
        (
            "s.wolf@inbox.example",
            "2022-01-17T21:03:15",
            "Auf meiner Rechnung 5520 steht die falsche Adresse.\n\nBitte ändern.",
        )
    ]


def test_fairemail_chain_with_a_bare_address_inside() -> None:
    text = (
        "Оно пришло, спасибо.\n\n1 июн. 2022 г. 10:12:44 Helpdesk Team <help@shop.example>:\n"
        "> Новое устройство сегодня отправлено.\n>\n> 8 мар. 2022 г. 14:05:09 anna.smirnova@post.example:\n"
        ">> Зарядное устройство перестало работать.\n"
    )
    assert quoted(text) == [
        ("anna.smirnova@post.example", "2022-03-08T14:05:09", "Зарядное устройство перестало работать."),
        ("help@shop.example", "2022-06-01T10:12:44", "Новое устройство сегодня отправлено."),
    ]


def test_fairemail_forward_of_a_nameless_sender() -> None:
    # FragmentCompose puts the same header line over a forward's text in a plain paragraph: nothing is quoted.
    text = "Bitte übernehmen.\n\n23.11.2022 19:30:00 jonas.becker@post.example:\nDas Ladegerät aus 7731 ist kaputt.\n"
    assert quoted(text) == [("jonas.becker@post.example", "2022-11-23T19:30:00", "Das Ladegerät aus 7731 ist kaputt.")]


# Guards: only a date with a day and a year, and only with the time right before the address, makes the line
# FairEmail's: these stay in the answer, as on main.
@pytest.mark.parametrize(
    "text",
    [
        "Please call me at 10:12 jonas.becker@post.example:\n> the charger broke\n",
        "Noted.\n\n2022 at 10:12 jonas.becker@post.example:\n> the charger broke\n",
        "Since 01.06.2022 10:12:44 I wrote to jonas.becker@post.example:\n> the charger broke\n",
    ],
    ids=["no_year", "year_but_no_day", "words_between_time_and_address"],
)
def test_fairemail_bare_address_form_needs_its_shape(text: str) -> None:
    assert quoted(text) == []
