# ruff: noqa: E501
# (one attribution or header block per line: the formats read best whole)
"""Desktop and webmail clients' own translated quoting (issue 14, session 9): Thunderbird desktop's attributions
and forward labels (tuned_v6), Claws Mail's two-line attribution, KMail's reply-all attribution and Horde IMP's
"Quoting Name <a@b>:" and forward banners (dev_v7): the quoted sender is credited, and the client's own lines stay
out of every message's text."""

from __future__ import annotations

import pytest

from handoff.parse.mime import parse_mail
from handoff.parse.thread import split_thread
from tests.forwards import forward, quoted_messages


def quoted(text: str) -> list[tuple[str | None, str | None, str | None, str]]:
    """(address, name, ISO time, text) of every quoted message, oldest first (the outer mail left out)."""
    messages = quoted_messages(text)
    return [(m.from_email, m.from_name, m.sent_at.isoformat() if m.sent_at else None, m.body) for m in messages]


@pytest.mark.parametrize(
    ("line", "name", "sent_at"),
    [
        ("თარიღი 27.10.21 09:31, ნინო ბერიძე წერს:", "ნინო ბერიძე", "2021-10-27T09:31:00+02:00"),
        ("21. 10. 27. 오전 9:31에 이서연 이(가) 쓴 글:", "이서연", "2021-10-27T09:31:00+02:00"),
        ("陳怡君 於 2021/10/27 上午9:31 寫道:", "陳怡君", "2021-10-27T09:31:00+02:00"),
        ("נכתב על ידי נועה כהן, ב־27.10.2021 בשעה 9:31:", "נועה כהן", "2021-10-27T09:31:00+02:00"),
        ("على ٢٧\u200f/١٠\u200f/٢٠٢١ ٩:٣١ ص، كتب ليلى حداد:", "ليلى حداد", "2021-10-27T09:31:00+02:00"),
        ("Maja Kovač je 27. 10. 21 ob 09:31 napisal:", "Maja Kovač", "2021-10-27T09:31:00+02:00"),
        ("El 27/10/21 a les 9:31, Laia Puig ha escrit:", "Laia Puig", "2021-10-27T09:31:00+02:00"),
        ("Дана 27.10.21. у 09:31, Јелена Петровић пише:", "Јелена Петровић", "2021-10-27T09:31:00+02:00"),
        ("Às 09:31 de 27/10/21, Ana Lima escreveu:", "Ana Lima", "2021-10-27T09:31:00+02:00"),
    ],
)
def test_thunderbird_attribution_credits_the_display_name_at_its_time(line: str, name: str, sent_at: str) -> None:
    assert quoted(f"Any news?\n\n{line}\n> The invoice is wrong.\n") == [(None, name, sent_at, "The invoice is wrong.")]


@pytest.mark.parametrize(
    ("banner", "labels"),
    [
        ("-------- გადაგზავნილი წერილი --------", ("თემა", "თარიღი", "ვინ", "ვის")),
        ("-------- 轉寄郵件 --------", ("主旨", "日期", "從", "到")),
        ("-------- Прослеђена порука --------", ("Тема", "Датум", "Шаље", "Прима")),
        ("-------- Missatge reenviat --------", ("Assumpte", "Data", "De", "A")),
    ],
)
def test_thunderbird_inline_forward_in_its_labels_names_the_original_sender(
    banner: str, labels: tuple[str, ...]
) -> None:
    subject, date, sender, to = labels
    block = f"{banner}\n{subject}: \t4471\n{date}: \tWed, 27 Oct 2021 15:05:12 +0200\n{sender}: \tNino <nino@mail.example>\n{to}: \tsupport@shop.example"
    assert quoted(f"FYI\n\n\n{block}\n\n\n\nThe invoice is wrong.\n") == [
        ("nino@mail.example", "Nino", "2021-10-27T15:05:12+02:00", "The invoice is wrong.")
    ]


@pytest.mark.parametrize(
    "attribution",
    [
        "El Wed, 27 Oct 2021 09:31:12 +0200\nNino <nino@mail.example> va escriure el següent:",
        "Wed, 27 Oct 2021 09:31:12 +0200 -n\nNino <nino@mail.example> írta:",
        "În data de Wed, 27 Oct 2021 09:31:12 +0200\nNino <nino@mail.example> a scris:",
        "在 Wed, 27 Oct 2021 09:31:12 +0200\nNino <nino@mail.example> 上， 已寫入",
    ],
)
def test_claws_mail_two_line_attribution_credits_the_sender(attribution: str) -> None:
    assert quoted(f"Any news?\n\n{attribution}\n\n> The invoice is wrong.\n") == [
        ("nino@mail.example", "Nino", "2021-10-27T09:31:12+02:00", "The invoice is wrong.")
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Nino Beridze a következőt írta ekkor: 2021. október 27., szerda 09:31:12 CEST",
        "كتب \u2068Nino Beridze\u2069 في \u2068الأربعاء، ٢٧ أكتوبر ٢٠٢١\u2069 \u206809:31:12 CEST\u2069:",
        "Ühel kenal päeval (kolmapäev, 27. oktoober 2021 09:31:12 CEST) kirjutas Nino Beridze:",
        "В письме от среда, 27 октября 2021 г. 09:31:12 CEST пользователь Nino Beridze написал:",
        "Dne sreda, 27. oktober 2021 ob 09:31:12 CEST je Nino Beridze napisal(a):",
    ],
)
def test_kmail_reply_all_attribution_credits_the_name(line: str) -> None:
    assert quoted(f"Any news?\n\n{line}\n> The invoice is wrong.\n") == [
        (None, "Nino Beridze", "2021-10-27T09:31:12+02:00", "The invoice is wrong.")
    ]


def test_horde_quoting_line_credits_the_address_and_its_forward_banners_are_no_text() -> None:
    assert quoted("Danke.\n\nZitat von Jonas Weber <jonas@post.example>:\n\n> Die Lieferung fehlt.\n") == [
        ("jonas@post.example", "Jonas Weber", None, "Die Lieferung fehlt.")
    ]
    text = (
        "Danke.\n\n----- Weitergeleitete Nachricht von Jonas Weber <jonas@post.example> -----\n"
        "    Datum: Wed, 27 Oct 2021 09:31:12 +0200\n      Von: Jonas Weber <jonas@post.example>\n"
        "  Betreff: 4471\n       An: support@shop.example\n\nDie Lieferung fehlt.\n\n"
        "----- Ende der weitergeleiteten Nachricht -----\n"
    )
    messages = split_thread(parse_mail(forward(text)))
    assert [(m.from_email, m.body) for m in messages] == [
        ("jonas@post.example", "Die Lieferung fehlt."),
        ("agent@acme-support.com", "Danke."),
    ]


def test_undated_name_only_attribution_counts_only_right_above_a_quote() -> None:
    assert quoted("Any news?\n\nNino Beridze wrote:\n> The invoice is wrong.\n") == [
        (None, "Nino Beridze", None, "The invoice is wrong.")
    ]
    # the same words with no quote below are the customer's own text
    assert quoted("My colleague Nino wrote:\nthe invoice is wrong, please check.\n") == []
    # and a sentence is no name
    assert quoted("Any news?\n\nas the manual says wrote:\n> The invoice is wrong.\n> Please fix.\n> Thanks\n") == []
