# ruff: noqa: E501
# (one attribution or header block per line: the formats read best whole)
"""Evolution's, Geary's and Roundcube's translated attributions and forward labels (tuned_v7, session 10) and
Thunderbird's Basque short date (tuned_v6): the quoted sender is credited at the time the line prints, and the
client's own lines stay out of every message's text."""

from __future__ import annotations

import pytest

from tests.forwards import quoted_messages


def quoted(text: str) -> list[tuple[str | None, str | None, str | None, str]]:
    """(address, name, ISO time, text) of every quoted message, oldest first (the outer mail left out)."""
    messages = quoted_messages(text)
    return [(m.from_email, m.from_name, m.sent_at.isoformat() if m.sent_at else None, m.body) for m in messages]


# Evolution 3.46 (evolution.mo): "On ${AbbrevWeekdayName}, ${Year}-${Month}-${Day} at ${24Hour}:${Minute}
# ${TimeZone}, ${Sender} wrote:" as its translations order it, the zone the original's offset.
@pytest.mark.parametrize(
    ("line", "name", "sent_at"),
    [
        (
            "Am Donnerstag, dem 21.10.2021 um 18:07 +0200 schrieb Lukas Brandt:",
            "Lukas Brandt",
            "2021-10-21T18:07:00+02:00",
        ),
        (
            "W dniu czw, 21.10.2021 o godzinie 18\u223607 +0200, użytkownik Ewa Mazur napisał:",
            "Ewa Mazur",
            "2021-10-21T18:07:00+02:00",
        ),
        (
            "Στις 21-10-2021, ημέρα Πεμ, και ώρα 18:07 +0300, ο/η Νίκος Αλεξίου έγραψε:",
            "Νίκος Αλεξίου",
            "2021-10-21T18:07:00+03:00",
        ),
        ("Jan Král píše v Čt 21. 10. 2021 v 18:07 +0200:", "Jan Král", "2021-10-21T18:07:00+02:00"),
        ("2021-10-21 (木) の 18:07 +0900 に 山田 太郎 さんは書きました:", "山田 太郎", "2021-10-21T18:07:00+09:00"),
        ("在 2021-10-21星期四的 18:07 +0800，张伟写道：", "张伟", "2021-10-21T18:07:00+08:00"),
    ],
)
def test_evolution_attribution_credits_the_name_at_its_offset(line: str, name: str, sent_at: str) -> None:
    assert quoted(f"Any news?\n\n{line}\n> The parcel is damaged.\n") == [
        (None, name, sent_at, "The parcel is damaged.")
    ]


def test_evolution_japanese_attribution_with_a_bare_address_credits_the_address() -> None:
    line = "2021-10-21 (木) の 18:07 +0900 に taro.yamada@mail.example さんは書きました:"
    assert quoted(f"Any news?\n\n{line}\n> The parcel is damaged.\n") == [
        ("taro.yamada@mail.example", None, "2021-10-21T18:07:00+09:00", "The parcel is damaged.")
    ]


# Geary 43 (geary.mo): "On %1$s, %2$s wrote:" with the locale's "%B %-e, %Y %-H:%M" (no zone: the forwarder's).
@pytest.mark.parametrize(
    "line",
    [
        "Op 21 oktober 2021 18u07 schreef Daan Visser <daan@mail.example>:",
        "W dniu 21 października 2021, 18\u223607 użytkownik Daan Visser <daan@mail.example> napisał:",
        "Написано жовтня 21, 2021 18:07, Daan Visser <daan@mail.example>:",
    ],
)
def test_geary_attribution_reads_its_locale_time(line: str) -> None:
    assert quoted(f"Any news?\n\n{line}\n> The parcel is damaged.\n") == [
        ("daan@mail.example", "Daan Visser", "2021-10-21T18:07:00+02:00", "The parcel is damaged.")
    ]


# Roundcube 1.6 (labels.inc `mailreplyintro`) with the default date_long "Y-m-d H:i".
@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Дмитрий Орлов писал(а) 2021-10-21 18:07:", "Дмитрий Орлов"),
        ("2021-10-21 18:07, Mehmet Kaya yazmış:", "Mehmet Kaya"),
        ("2021-10-21 18:07 に 鈴木 一郎 さんは書きました:", "鈴木 一郎"),
        ("2021-10-21 18:07에 박지훈이(가) 쓴 내용:", "박지훈"),
        ("Vào ngày 2021-10-21 18:07, Trần Văn Nam viết:", "Trần Văn Nam"),
        ("Jānis Ozols @ 2021-10-21 18:07 rakstīja:", "Jānis Ozols"),
        ("Pada 2021-10-21 18:07, Ahmad Faiz menulis", "Ahmad Faiz"),
        ("2021-10-21 18:07, je Luka Novak napisal", "Luka Novak"),
    ],
)
def test_roundcube_reply_intro_credits_the_name(line: str, name: str) -> None:
    assert quoted(f"Any news?\n\n{line}\n> The parcel is damaged.\n") == [
        (None, name, "2021-10-21T18:07:00+02:00", "The parcel is damaged.")
    ]


def test_roundcube_intro_with_the_answer_below_credits_the_bare_address() -> None:
    text = "dmitry.orlov@mail.example писал(а) 2021-10-21 18:07:\n> The parcel is damaged.\n\nWe will send a new one.\n"
    assert quoted(text) == [("dmitry.orlov@mail.example", None, "2021-10-21T18:07:00+02:00", "The parcel is damaged.")]


def test_an_intro_without_its_colon_counts_only_right_above_a_quote() -> None:
    # Roundcube's ms and sl intros end with the verb; the same words ending a sentence of the customer's own are text.
    text = "Pada 2021-10-21 18:07, Ahmad Faiz menulis\nbahwa paket rusak. Kurir juga menulis\n"
    assert quoted(text) == []


def test_roundcube_japanese_forward_names_the_original_sender() -> None:
    block = "-------- 元のメッセージ --------\n件名: 4471\n日付: 2021-10-21 18:07\n発信者: 鈴木 一郎 <ichiro@mail.example>\n宛先: support@shop.example"
    assert quoted(f"FYI\n\n\n{block}\n\nThe parcel is damaged.\n") == [
        ("ichiro@mail.example", "鈴木 一郎", "2021-10-21T18:07:00+02:00", "The parcel is damaged.")
    ]


def test_thunderbird_basque_short_date_is_year_first() -> None:
    # CLDR's Basque short date is yy/M/d: "21/9/14" is 14 September 2021, not 21 September 2014.
    text = (
        "Mesedez.\n\n21/10/27 15:05(e)an, Laguntza igorleak idatzi zuen:\n> We are on it.\n>\n"
        "> 21/9/14 09:31(e)an, Miren Agirre igorleak idatzi zuen:\n> > The parcel is damaged.\n"
    )
    assert quoted(text) == [
        (None, "Miren Agirre", "2021-09-14T09:31:00+02:00", "The parcel is damaged."),
        (None, "Laguntza", "2021-10-27T15:05:00+02:00", "We are on it."),
    ]
