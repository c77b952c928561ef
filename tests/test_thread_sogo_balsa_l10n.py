# ruff: noqa: E501
# (one attribution or header block per line: the formats read best whole)
"""SOGo's and Balsa's translated attributions, forward labels and dates (tuned_v8, session 10, helper h5): the
quoted sender is credited at the time the line prints, and the client's own lines stay out of every message's text."""

from __future__ import annotations

import pytest

from tests.forwards import quoted_messages


def quoted(text: str) -> list[tuple[str | None, str | None, str | None, str]]:
    """(address, name, ISO time, text) of every quoted message, oldest first (the outer mail left out)."""
    messages = quoted_messages(text)
    return [(m.from_email, m.from_name, m.sent_at.isoformat() if m.sent_at else None, m.body) for m in messages]


# SOGo 5.8 (SOGoMail<Language>Reply.wo): "<prefix> <date>, <from> <verb>:" with "%A, %B %d, %Y %H:%M %Z".
@pytest.mark.parametrize(
    ("line", "sent_at"),
    [
        (
            "Dana Utorak, Mart 15, 2022 09:12 CET, Edin Kovač <edin.kovac@post.example> napisao/napisala:",
            "2022-03-15T09:12:00+01:00",
        ),
        (
            "Pada Tanggal Selasa, Maret 15, 2022 09:12 WIB, Budi Santoso <budi.santoso@post.example> tulis:",
            "2022-03-15T09:12:00+07:00",
        ),
        (
            "Вторник, Март 15, 2022 09:12 MSK, Павел Соколов <pavel.sokolov@post.example> писал(а):",
            "2022-03-15T09:12:00+03:00",
        ),
        (
            "Дана Уторак, Март 15, 2022 09:12 CET, Марко Јовић <marko.jovic@post.example> је написао/ла:",
            "2022-03-15T09:12:00+01:00",
        ),
        (
            "Dne Torek, Marec 15, 2022 09:12 CET, je Janez Novak <janez.novak@post.example> napisal-a:",
            "2022-03-15T09:12:00+01:00",
        ),
        (
            "El Martes, Marzo 15, 2022 09:12 CET, Pablo Ruiz <pablo.ruiz@post.example> Ha escrito:",
            "2022-03-15T09:12:00+01:00",
        ),
        (
            "Em Terça, Março 15, 2022 09:12 -03, Rafael Souza <rafael.souza@post.example> escreveu:",
            "2022-03-15T09:12:00-03:00",
        ),
        (
            "Salı, Mart 15, 2022 09:12 +03 tarihinde, Murat Kaya <murat.kaya@post.example> şunu yazdı:",
            "2022-03-15T09:12:00+03:00",
        ),
    ],
)
def test_sogo_reply_attribution_credits_the_address_at_its_zone(line: str, sent_at: str) -> None:
    address = line.split("<")[1].split(">")[0]
    messages = quoted(f"Any news?\n\n{line}\n\n> The parcel is damaged.\n")
    assert [(m[0], m[2], m[3]) for m in messages] == [(address, sent_at, "The parcel is damaged.")]


@pytest.mark.parametrize(
    "line",
    [
        "日期 星期三, 四月 13, 2022 09:12 CST, 黃志明 <zhiming.huang@post.example> 編輯:",
        "On 星期三, 四月 13, 2022 09:12 CST, 张伟 <wei.zhang@post.example> 撰寫:",
        "Сәрсенбі, Сәуір 13, 2022 09:12 +06, Асқар Нұрланов <askar.nurlanov@post.example> жазды:",
        "Ar Mercher, Ebrill 13, 2022 09:12 BST, Rhys Jones <rhys.jones@post.example> ysgrifennodd:",
    ],
)
def test_sogo_reply_attribution_credits_the_address(line: str) -> None:
    messages = quoted(f"Any news?\n\n{line}\n\n> The parcel is damaged.\n")
    assert [(m[0], m[3]) for m in messages] == [(line.split("<")[1].split(">")[0], "The parcel is damaged.")]


# SOGo's forward and outlook-mode reply blocks in Finnish and Serbian (Cyrillic): their labels.
@pytest.mark.parametrize(
    ("block", "sent_at"),
    [
        (
            "-------- Alkuperäinen viesti --------\nAihe: 9120\nPvm: Tiistai, Maaliskuu 15, 2022 09:12 EET\nKeneltä: Mikko Laine <mikko.laine@post.example>\nKenelle: service@shop.example",
            "2022-03-15T09:12:00+02:00",
        ),
        (
            "-------- Оригинална порука --------\nТема: 9120\nДатум: Уторак, Март 15, 2022 09:12 CET\nОд: Марко Јовић <mikko.laine@post.example>\nЗа: service@shop.example\nЦЦ: warehouse@shop.example",
            "2022-03-15T09:12:00+01:00",
        ),
    ],
)
def test_sogo_forward_labels_name_the_original_sender(block: str, sent_at: str) -> None:
    messages = quoted(f"FYI\n\n{block}\n\nThe parcel is damaged.\n")
    assert [(m[0], m[2], m[3]) for m in messages] == [("mikko.laine@post.example", sent_at, "The parcel is damaged.")]


# Balsa 2.6 (balsa.mo): "On %s, %s wrote:" with glibc's "%x %X" (no zone) and the display name only.
@pytest.mark.parametrize(
    ("line", "name", "sent_at"),
    [
        ("Am 13.04.2022 09:12:40 schrieb(en) Jonas Weber:", "Jonas Weber", "2022-04-13T09:12:40"),
        ("Dne 13.4.2022 09:12:40 napsal Petr Svoboda:", "Petr Svoboda", "2022-04-13T09:12:40"),
        ("13-04-2022 09:12:40’de Murat Kaya yazmış:", "Murat Kaya", "2022-04-13T09:12:40"),
        ("Στις 13/04/2022 03:12:40 μμ ο/η Γιώργος Νικολάου έγραψε:", "Γιώργος Νικολάου", "2022-04-13T15:12:40"),
        ("Дана 13.04.2022. 09:12:40, Марко Јовић је написао:", "Марко Јовић", "2022-04-13T09:12:40"),
        ("在 2022年04月13日 09时12分40秒，张伟 写道：", "张伟", "2022-04-13T09:12:40"),
        ("ב- 13/04/22 09:12:40, יואב כהן כתב/ה\u05c3", "יואב כהן", None),
        ("Napísané dňa 13.04.2022 09:12:40, (autor: Peter Horváth):", "Peter Horváth", "2022-04-13T09:12:40"),
    ],
)
def test_balsa_attribution_credits_the_name(line: str, name: str, sent_at: str | None) -> None:
    messages = quoted(f"Any news?\n\n{line}\n> The parcel is damaged.\n")
    assert [(m[1], m[3]) for m in messages] == [(name, "The parcel is damaged.")]
    if sent_at is not None:  # no zone printed: the wall clock, in the forwarder's zone
        assert (messages[0][2] or "")[:19] == sent_at


def test_balsa_undated_german_attribution_credits_the_name() -> None:
    assert quoted("Danke.\n\nJonas Weber schrieb(en):\n> Das Paket ist beschädigt.\n") == [
        (None, "Jonas Weber", None, "Das Paket ist beschädigt.")
    ]


def test_a_czech_sentence_with_napsal_and_a_date_stays_text() -> None:
    # "napsal" in the middle only counts as Balsa's attribution where a quote follows
    assert quoted("Dne 13.4.2022 jsem napsal dopravci:\nodpověď nepřišla.\nProsím o pomoc.\n") == []


def test_sogo_japanese_date_with_a_numbered_month_keeps_its_zone() -> None:
    line = "On 火曜日, 3月 15, 2022 09:12 JST, 山田 花子 <hanako.yamada@post.example> wrote:"
    assert quoted(f"Any news?\n\n{line}\n\n> The parcel is damaged.\n") == [
        ("hanako.yamada@post.example", "山田 花子", "2022-03-15T09:12:00+09:00", "The parcel is damaged.")
    ]


def test_balsa_greek_forward_date_label() -> None:
    block = "------προωθημένο μήνυμα από Γιώργος Νικολάου------\nΗμ/νία: 13/04/2022 09:12:40 πμ\nΘέμα: 9120\nΑπό: Γιώργος Νικολάου <giorgos.nikolaou@post.example>\nΠρος: service@shop.example"
    messages = quoted(f"FYI\n\n{block}\n\nThe parcel is damaged.\n")
    assert [(m[0], (m[2] or "")[:19], m[3]) for m in messages] == [
        ("giorgos.nikolaou@post.example", "2022-04-13T09:12:40", "The parcel is damaged.")
    ]
