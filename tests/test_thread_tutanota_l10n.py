"""Tutanota's (Tuta Mail's) reply line in six languages and its forward block (tuned_v11, session 11, helper h1): the
quoted sender, who Tutanota names by the bare address after the word "by" of the UI language, is credited at the time
the line prints; its forward block's labels are read in every language whose translation was read."""

from __future__ import annotations

import pytest

from tests.forwards import quoted_messages


def quoted(text: str) -> list[tuple[str | None, str | None, str]]:
    """(address, wall-clock time, text) of every quoted message, oldest first (the outer mail left out)."""
    # Tutanota prints no zone: the wall clock is what the line says (the zone is the outer mail's guess).
    return [(m.from_email, m.sent_at.isoformat()[:16] if m.sent_at else None, m.body) for m in quoted_messages(text)]


# src/mail-app/mail/view/MailViewerViewModel.ts: `formatDateTime(date) + " " + lang.get("by_label") + " " +
# sender.address + ":"` over the quote; by_label from src/translations/<lang>.ts (de "von", fr "de", ru "От", es "por",
# nl "van", pl "od"); the dates are Intl.DateTimeFormat(lang, {day, month: "short", year, hour, minute}) as node 20's
# ICU prints them (bench/data/threads/v11_build/strings.json).
@pytest.mark.parametrize(
    ("line", "sent_at"),
    [
        ("16. Sept. 2023, 09:42 von lena.hoffmann@web.example:", "2023-09-16T09:42"),
        ("17 févr. 2023, 15:08 de lena.hoffmann@web.example:", "2023-02-17T15:08"),
        ("15 нояб. 2023 г., 11:26 От lena.hoffmann@web.example:", "2023-11-15T11:26"),
        ("16 sept 2023, 9:42 por lena.hoffmann@web.example:", "2023-09-16T09:42"),
        ("18 dec 2023, 20:51 van lena.hoffmann@web.example:", "2023-12-18T20:51"),
        ("16 wrz 2023, 09:42 od lena.hoffmann@web.example:", "2023-09-16T09:42"),
    ],
    ids=["de", "fr", "ru", "es", "nl", "pl"],
)
def test_tutanota_reply_line_credits_the_address(line: str, sent_at: str) -> None:
    messages = quoted(f"Vielen Dank.\n\n{line}\n> Das Display meines Geräts 8812 flackert.\n")
    assert messages == [("lena.hoffmann@web.example", sent_at, "Das Display meines Geräts 8812 flackert.")]


def test_tutanota_reply_line_under_the_default_signature() -> None:
    text = (
        "Vielen Dank für die Geduld.\n\n--\nVersendet mit Tuta. Hol dir sichere und werbefreie E-Mails:\n"
        "https://tuta.com\n\n15. Nov. 2023, 11:26 von lena.hoffmann@web.example:\n> Das Display flackert.\n"
    )
    assert quoted(text) == [("lena.hoffmann@web.example", "2023-11-15T11:26", "Das Display flackert.")]


def test_tutanota_chain_credits_both_quoted_senders() -> None:
    text = (
        "Спасибо за терпение.\n\n18 дек. 2023 г., 20:51 От support@store.example:\n"
        "> Замена уже в пути.\n>\n> 15 нояб. 2023 г., 11:26 От olga.petrova@web.example:\n> > Экран мерцает.\n"
    )
    assert quoted(text) == [
        ("olga.petrova@web.example", "2023-11-15T11:26", "Экран мерцает."),
        ("support@store.example", "2023-12-18T20:51", "Замена уже в пути."),
    ]


def test_tutanota_forward_of_a_reply_reads_both_messages() -> None:
    text = (
        "Bitte ansehen.\n\nDatum: 16. Sept. 2023, 09:42\nVon: support@store.example\nAn: t.krueger@mailbox.example\n"
        "Betreff: Re: 4409\n\n> Der Ersatz ist unterwegs.\n>\n"
        "> 15. Nov. 2023, 11:26 von t.krueger@mailbox.example:\n> > Die Lieferung 4409 kam beschädigt an.\n"
    )
    assert quoted(text) == [
        ("t.krueger@mailbox.example", "2023-11-15T11:26", "Die Lieferung 4409 kam beschädigt an."),
        ("support@store.example", "2023-09-16T09:42", "Der Ersatz ist unterwegs."),
    ]


# The forward block (MailViewerViewModel.ts, createResponseMailArgsForForwarding): date_label, from_label, to_label,
# (cc_label,) subject_label lines, no banner, a blank line, the forwarded text in the blockquote. Labels typed from
# src/translations/<lang>.ts (de, fr and ru at 001fbcbf, es at 01a07521, nl at 028b9405, pl at 00c1d106); cc_label was
# read in de, fr and es only, so the others carry no Cc line.
@pytest.mark.parametrize(
    ("labels", "date", "sent_at"),
    [
        (("Datum", "Von", "An", "Cc", "Betreff"), "17. Feb. 2023, 15:08", "2023-02-17T15:08"),
        (("Date", "De", "À", "Cc", "Sujet"), "17 févr. 2023, 15:08", "2023-02-17T15:08"),
        (("Fecha", "De", "Para", "Cc", "Asunto"), "16 sept 2023, 9:42", "2023-09-16T09:42"),
        (("Datum", "Van", "Aan", None, "Onderwerp"), "18 dec 2023, 20:51", "2023-12-18T20:51"),
        (("Data", "Od", "Do", None, "Temat"), "16 wrz 2023, 09:42", "2023-09-16T09:42"),
        (("Дата", "От", "Кому", None, "Тема"), "15 нояб. 2023 г., 11:26", "2023-11-15T11:26"),
    ],
    ids=["de", "fr", "es", "nl", "pl", "ru"],
)
def test_tutanota_forward_block_labels(labels: tuple[str, str, str, str | None, str], date: str, sent_at: str) -> None:
    date_label, from_label, to_label, cc_label, subject_label = labels
    block = [f"{date_label}: {date}", f"{from_label}: kunde@web.example", f"{to_label}: support@store.example"]
    if cc_label:
        block.append(f"{cc_label}: returns@store.example")
    block.append(f"{subject_label}: 8812")
    text = "Bitte ansehen.\n\n" + "\n".join(block) + "\n\n> Das Gerät 8812 flackert.\n"
    assert quoted(text) == [("kunde@web.example", sent_at, "Das Gerät 8812 flackert.")]


@pytest.mark.parametrize(
    "text",
    [
        # the preposition and an address inside a sentence, no colon at the end, nothing quoted
        "Am 16. Sept. 2023, 09:42 kam eine Nachricht von lena.hoffmann@web.example an,\ndie ich nicht öffnen konnte.\n",
        "El 17 feb 2023, 15:08 pagué por carmen.ruiz@web.example el pedido 4409.\n¿Cuándo llega?\n",
        # the line's shape, but no quote below it
        "Danke.\n\n16. Sept. 2023, 09:42 von lena.hoffmann@web.example:\nDas Display flackert.\n",
        # above a quote, but no year in the date, or a name where Tutanota writes the address, or another word
        "Danke.\n\nTermin um 09:42 von lena.hoffmann@web.example:\n> Das Display flackert.\n",
        "Danke.\n\n16. Sept. 2023, 09:42 von Lena Hoffmann:\n> Das Display flackert.\n",
        "Danke.\n\n16. Sept. 2023, 09:42 an lena.hoffmann@web.example:\n> Das Display flackert.\n",
    ],
    ids=["de-sentence", "es-sentence", "no-quote-below", "no-year", "name-not-address", "other-word"],
)
def test_by_label_outside_the_reply_line_stays_text(text: str) -> None:
    assert quoted(text) == []
