"""Cypht's reply lead-in in its translations and its forward block (tuned_v12, session 13, helper h1): the quoted
sender, whom Cypht names by display name and bare address after the raw Date header ("On <Date> Name a@b said", no
brackets, mostly no colon; in German and Italian the date glued to the name), is credited at the time the header says;
its forward block (a translated banner over untranslated From/Date/Subject lines) is read in every language."""

from __future__ import annotations

import pytest

from handoff.parse.mime import parse_mail
from handoff.parse.thread import split_thread
from tests.forwards import quoted_messages

# modules/core/message_functions.php (cypht-org/cypht @13007904): reply_lead_in() is
# `sprintf(trans('On %s %s said') . "\n\n", $headers['Date'], $to)`, $to from format_reply_address() as
# `label . ' ' . email` (or the address alone); the quote is format_reply_text()'s "> " lines. The translations, typed
# from language/<lang>.php: de and fr @0a718e49, es @030fd16d, it, pt-BR and ro @08a3951e, nl, hu, id and ja @06235756,
# et @085cbea5 (ro and ja leave 'begin forwarded message' untranslated: false, so English).
LEAD_INS = {
    "en": "On %s %s said",
    "de": "Am %s%s sagte",
    "fr": "Le %s, %s a dit:",
    "es": "El %s, %s dijo:",
    "it": "In data %s%s ha scritto",
    "nl": "op %s, %s zei:",
    "pt-BR": "Em %s %s disse",
    "hu": "%s-kor %s azt mondta",
    "ro": "La data de %s, %s a scris:",
    "et": "%s %s ütles",
    "id": "Di %s %s mengatakan",
    "ja": "%sに%sが言いました",
}
BANNERS = {
    "en": "begin forwarded message",
    "de": "Nachrichtweiterleiten beginnen",
    "fr": "début du message transféré",
    "es": "comenzar mensaje de reenvío",
    "it": "inizia messaggio inoltrato",
    "nl": "Begin geforward bericht",
    "pt-BR": "iniciar mensagem encaminhada",
    "hu": "Továbbított üzenet kezdete",
    "et": "edastatud kirja algus",
}
LANGS = list(LEAD_INS)


def lead_in(lang: str, date: str, sender: str) -> str:
    return LEAD_INS[lang].replace("%s", date, 1).replace("%s", sender, 1)


def quoted(text: str) -> list[tuple[str | None, str | None, str | None, str]]:
    """(address, name, time with its offset, text) of every quoted message, oldest first (the outer mail left out)."""
    return [
        (m.from_email, m.from_name, m.sent_at.isoformat() if m.sent_at else None, m.body) for m in quoted_messages(text)
    ]


# The Date headers as four senders' clients wrote them, in four zones, and the moment each names.
DATES = [
    ("Tue, 08 Mar 2022 14:05:12 +0100", "2022-03-08T14:05:12+01:00"),
    ("Fri, 17 Feb 2023 15:08:40 -0500", "2023-02-17T15:08:40-05:00"),
    ("Wed, 15 Nov 2023 11:26:03 +0000", "2023-11-15T11:26:03+00:00"),
    ("Mon, 18 Dec 2023 20:51:59 +0200 (EET)", "2023-12-18T20:51:59+02:00"),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("date", "sent_at"), DATES, ids=["cet", "est", "utc", "eet-comment"])
def test_cypht_lead_in_credits_the_named_sender(lang: str, date: str, sent_at: str) -> None:
    text = (
        f"Danke.\n\n{lead_in(lang, date, 'Lena Hoffmann lena.hoffmann@web.example')}\n\n"
        "> Das Display meines Geräts 8812 flackert seit gestern.\n"
    )
    assert quoted(text) == [
        ("lena.hoffmann@web.example", "Lena Hoffmann", sent_at, "Das Display meines Geräts 8812 flackert seit gestern.")
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_cypht_lead_in_with_a_bare_address(lang: str) -> None:
    # no display name: the address alone, glued to the date's offset in de and it ("+0000t.krueger@...")
    text = f"Wir kümmern uns darum.\n\n{lead_in(lang, DATES[2][0], 't.krueger@mailbox.example')}\n\n> Kaputt.\n"
    assert quoted(text) == [("t.krueger@mailbox.example", None, DATES[2][1], "Kaputt.")]


def test_cypht_lead_in_keeps_a_comma_in_the_name_whole() -> None:
    # format_reply_address() trims the quotes off '"Doe, Jane" <a@b>': the label still holds the comma
    text = "Thanks.\n\nOn Fri, 17 Feb 2023 15:08:40 -0500 Doe, Jane jane.doe@web.example said\n\n> Parcel 4409.\n"
    assert quoted(text) == [("jane.doe@web.example", "Doe, Jane", DATES[1][1], "Parcel 4409.")]


# format_reply_text() wraps a quoted line longer than 75 bytes + its prefix: the older lead-in breaks before its last
# word, inside a verb of two words in fr, it and hu ("... a@b a" / "dit:").
WRAPPED = {
    "de": "Am Tue, 08 Mar 2022 14:05:12 +0100Lena Hoffmann lena.hoffmann@web.example\n> sagte",
    "fr": "Le Tue, 08 Mar 2022 14:05:12 +0100, Lena Hoffmann lena.hoffmann@web.example a\n> dit:",
    "it": "In data Tue, 08 Mar 2022 14:05:12 +0100Lena Hoffmann lena.hoffmann@web.example ha\n> scritto",
    "hu": "Tue, 08 Mar 2022 14:05:12 +0100-kor Lena Hoffmann lena.hoffmann@web.example azt\n> mondta",
}


@pytest.mark.parametrize("lang", list(WRAPPED))
def test_cypht_chain_with_the_inner_lead_in_wrapped(lang: str) -> None:
    text = (
        f"Es flackert immer noch.\n\n{lead_in(lang, DATES[2][0], 'Support Team support@store.example')}\n\n"
        f"> The replacement part is on its way.\n> \n> {WRAPPED[lang]}\n> \n> > Das Display flackert.\n"
    )
    assert quoted(text) == [
        ("lena.hoffmann@web.example", "Lena Hoffmann", DATES[0][1], "Das Display flackert."),
        ("support@store.example", "Support Team", DATES[2][1], "The replacement part is on its way."),
    ]


def test_cypht_lead_in_over_a_long_quoted_line_and_a_signature() -> None:
    text = (
        "Vielen Dank.\n\nAm Mon, 18 Dec 2023 20:51:59 +0200Lena Hoffmann lena.hoffmann@web.example sagte\n\n"
        "> Das Display meines Geräts 8812 flackert seit gestern.\n"
        "> Ich habe es schon zweimal neu gestartet, den Akku herausgenommen und das\n"
        "> neueste Update installiert.\n> \n> --\n> Lena Hoffmann\n"
    )
    [(address, _, sent_at, body)] = quoted(text)
    assert (address, sent_at) == ("lena.hoffmann@web.example", DATES[3][1])
    assert body.startswith("Das Display meines Geräts 8812 flackert seit gestern.\nIch habe es schon zweimal")
    assert "Lena Hoffmann" not in body  # the "--" signature is split off


def test_cypht_html_reply_with_the_rule_above_the_blockquote() -> None:
    # format_reply_as_html(): `nl2br($lead_in) . '<hr /><blockquote>' ...`; html2text writes the rule as "* * *"
    html = (
        "<p>Thank you for your patience.</p>On Tue, 08 Mar 2022 14:05:12 +0100 Emma Clarke emma.clarke@web.example "
        "said<br />\n<br />\n<hr /><blockquote><p>The display of my device 8812 flickers.</p></blockquote>"
    )
    raw = (
        "From: Agent Smith <agent@acme-support.com>\nTo: cases@handoff.localhost\nSubject: Fwd: 8812\n"
        f"Date: Thu, 28 Oct 2023 14:00:00 +0200\nContent-Type: text/html; charset=utf-8\n\n{html}"
    ).encode()
    messages = split_thread(parse_mail(raw))
    assert [(m.from_email, m.sent_at.isoformat() if m.sent_at else None, m.body) for m in messages] == [
        ("emma.clarke@web.example", DATES[0][1], "The display of my device 8812 flickers."),
        ("agent@acme-support.com", "2023-10-28T14:00:00+02:00", "Thank you for your patience."),
    ]


# reply_lead_in() for a forward: "----- " . trans('begin forwarded message') . " -----", a blank line, the From, Date
# and Subject headers as they stand with English labels, a blank line, the text unquoted.
@pytest.mark.parametrize("lang", list(BANNERS))
@pytest.mark.parametrize("sender", ['"Lena Hoffmann" <lena.hoffmann@web.example>', "lena.hoffmann@web.example"])
def test_cypht_forward_block(lang: str, sender: str) -> None:
    text = (
        f"Bitte ansehen.\n\n----- {BANNERS[lang]} -----\n\nFrom: {sender}\nDate: {DATES[1][0]}\nSubject: 8812\n\n"
        "Das Display flackert.\n"
    )
    [(address, _, sent_at, body)] = quoted(text)
    assert (address, sent_at, body) == ("lena.hoffmann@web.example", DATES[1][1], "Das Display flackert.")


@pytest.mark.parametrize("lang", ["de", "fr"])
def test_cypht_forward_of_a_reply_reads_both_messages(lang: str) -> None:
    reply = lead_in(lang, DATES[1][0], "Tobias Krüger t.krueger@mailbox.example")
    text = (
        f'Bitte ansehen.\n\n----- {BANNERS[lang]} -----\n\nFrom: "Support Team" <support@store.example>\n'
        f"Date: {DATES[3][0]}\nSubject: Re: 4409\n\nThe replacement part is on its way.\n\n{reply}\n\n"
        "> Die Lieferung 4409 kam beschädigt an.\n"
    )
    assert quoted(text) == [
        ("t.krueger@mailbox.example", "Tobias Krüger", DATES[1][1], "Die Lieferung 4409 kam beschädigt an."),
        ("support@store.example", "Support Team", DATES[3][1], "The replacement part is on its way."),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # the verb and an address inside sentences, nothing quoted
        "On Tuesday the courier Oliver Grant said the parcel would come back to you.\nCan you confirm that?\n",
        "Am 8. März sagte mir Ihr Kollege (support@store.example), das Gerät sei unterwegs.\nEs ist nie angekommen.\n",
        # the lead-in's shape, but no quote below it
        "Thanks.\n\nOn Tue, 08 Mar 2022 14:05:12 +0100 Emma Clarke emma.clarke@web.example said\n\nThe display.\n",
        # above a quote, but no year in the date, no time, no address, or the verb not last
        "Thanks.\n\nAt 14:05 the courier emma.clarke@web.example said\n\n> The display.\n",
        "Thanks.\n\nOn 8 March 2022 Emma Clarke emma.clarke@web.example said\n\n> The display.\n",
        "Thanks.\n\nOn Tue, 08 Mar 2022 14:05:12 +0100 Emma Clarke said\n\n> The display.\n",
        "Thanks.\n\nOn Tue, 08 Mar 2022 14:05:12 +0100 Emma Clarke emma.clarke@web.example said so\n\n> The display.\n",
        # a rule that is not above a quote
        "Thanks.\n\nOn Tue, 08 Mar 2022 14:05:12 +0100 Emma Clarke emma.clarke@web.example said\n\n* * *\n\nMore.\n",
    ],
    ids=["en-sentence", "de-sentence", "no-quote-below", "no-year", "no-time", "no-address", "verb-not-last", "rule"],
)
def test_cypht_verbs_outside_the_lead_in_stay_text(text: str) -> None:
    assert quoted(text) == []
