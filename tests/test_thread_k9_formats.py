# ruff: noqa: E501
# (one attribution or header block per line: the formats read best whole)
"""K-9 Mail / Thunderbird for Android's quoting in the UI languages of issue 14's dev_v6 split: the reply attribution
and header block its strings.xml writes, with Android's long dates ("2021년 10월 27일 오전 9시 31분 12초 GMT+9")."""

from __future__ import annotations

import pytest

from handoff.parse.dates import parse_date
from handoff.parse.mime import parse_mail
from handoff.parse.thread import split_thread
from tests.forwards import forward, quoted_messages


def quoted(text: str) -> list[tuple[str | None, str | None, str]]:
    """(sender address, ISO time, text) of every quoted message, oldest first (the outer mail left out)."""
    messages = quoted_messages(text)
    return [(m.from_email, m.sent_at.isoformat() if m.sent_at else None, m.body) for m in messages]


@pytest.mark.parametrize(
    ("line", "sent_at"),
    [
        ("თარიღში27 ოქტომბერი, 2021, 09:31:12 GMT+4, Nino <nino@mail.example> დაწერა:", "2021-10-27T09:31:12+04:00"),
        (
            "On 2021년 10월 27일 오전 9시 31분 12초 GMT+9, 박지훈 <nino@mail.example> 작성함:",
            "2021-10-27T09:31:12+09:00",
        ),
        ("於 2021年10月27日 下午4:20:05 [GMT+8]，林志明 <nino@mail.example> 寫到：", "2021-10-27T16:20:05+08:00"),
        ("ב 27 באוקטובר 2021 בשעה 9:31:12 GMT+3, דניאל לוי <nino@mail.example> כתב:", "2021-10-27T09:31:12+03:00"),
        (
            "بتاريخ ٢٧ أكتوبر ٢٠٢١ في ٩:٣١:١٢ ص غرينتش+٣، عمر خليل <nino@mail.example> الرسالة:",
            "2021-10-27T09:31:12+03:00",
        ),
        ("Pada 27 Oktober 2021 pukul 09.31.12 GMT+7, Budi <nino@mail.example> menulis:", "2021-10-27T09:31:12+07:00"),
        (
            "Dne 27. oktober 2021 ob 09:31:12 GMT+2, Luka Novak <nino@mail.example> sporoča:",
            "2021-10-27T09:31:12+02:00",
        ),
        (
            "2021(e)ko urriaren 27(a) 09:31:12 (GMT+2)-(e)an, Iker Agirre <nino@mail.example>-(e)k hau idatzi zuen:",
            "2021-10-27T09:31:12+02:00",
        ),
        ("2021年9月14日 16時20分05秒 GMT+9、山田 花子 <nino@mail.example> より:", "2021-09-14T16:20:05+09:00"),
    ],
)
def test_k9_reply_attribution_credits_the_quoted_sender_at_its_time(line: str, sent_at: str) -> None:
    assert quoted(f"Any news?\n\n{line}\n> The invoice is wrong.\n") == [
        ("nino@mail.example", sent_at, "The invoice is wrong.")
    ]


@pytest.mark.parametrize(
    "line",
    ["박지훈 <nino@mail.example>이 씀:", "דניאל לוי <nino@mail.example> כתב:", "Luka <nino@mail.example> sporoča:"],
)
def test_k9_reply_attribution_without_a_date(line: str) -> None:
    assert quoted(f"Any news?\n\n{line}\n> The invoice is wrong.\n") == [
        ("nino@mail.example", None, "The invoice is wrong.")
    ]


@pytest.mark.parametrize(
    ("block", "sent_at"),
    [
        (
            "-------- საწყისი მესიჯი --------\nვისგან: Nino <nino@mail.example>\n"
            "გაიგზავნა: 27 ოქტომბერი, 2021, 09:31:12 GMT+4\nვის: help@shop.example\nასლი: b@shop.example\nსაგანი: 4471",
            "2021-10-27T09:31:12+04:00",
        ),
        (
            "--------原始郵件--------\n寄件人：Nino <nino@mail.example>\n送件日期: 2021年10月27日 上午9:31:12 [GMT+8]\n"
            "收件人：help@shop.example\n主題：4471",
            "2021-10-27T09:31:12+08:00",
        ),
        (
            # K-9 in Arabic labels the date "المُرسل" ("the sender") and writes vowel marks on "مِن"
            "-------- الرسالة الأصلية --------\nمِن : Nino <nino@mail.example>\nالمُرسل: ١٤ سبتمبر ٢٠٢١ في ٤:٢٠:٠٥ م غرينتش+٣\n"
            "إلى : help@shop.example\nنسخة كربونية : b@shop.example\nالموضوع : 4471",
            "2021-09-14T16:20:05+03:00",
        ),
        (
            "-------- Pesan Orisinal --------\nDari: Nino <nino@mail.example>\nTerkirim: 27 Oktober 2021 pukul 09.31.12 GMT+7\n"
            "Kepada: help@shop.example\nSubjek: 4471",
            "2021-10-27T09:31:12+07:00",
        ),
        (
            "-------- Mesaj Original --------\nDe la: Nino <nino@mail.example>\nTrimis: 27 octombrie 2021 la 09:31:12 GMT+3\n"
            "La: help@shop.example\nSubiect: 4471",
            "2021-10-27T09:31:12+03:00",
        ),
        (
            "-------- 元メール --------\n差出人: Nino <nino@mail.example>\n送信日: 2021年10月27日 9時31分12秒 GMT+9\n"
            "宛先: help@shop.example\n件名: 4471",
            "2021-10-27T09:31:12+09:00",
        ),
        (
            "-------- Özgün İleti --------\nKimden: Nino <nino@mail.example>\nGönderilme: 27 Ekim 2021 09:31:12 GMT+03:00\n"
            "Kime: help@shop.example\nKonu: 4471",
            "2021-10-27T09:31:12+03:00",
        ),
        (
            "-------- Jatorrizko mezua --------\nNork: Nino <nino@mail.example>\n"
            "Bidalita: 2021(e)ko irailaren 14(a) 16:20:05 (GMT+2)\nNori: help@shop.example\nGaia: 4471",
            "2021-09-14T16:20:05+02:00",
        ),
    ],
)
def test_k9_header_block_is_the_forwarded_message(block: str, sent_at: str) -> None:
    assert quoted(f"FYI\n\n{block}\n\nThe invoice is wrong.\n") == [
        ("nino@mail.example", sent_at, "The invoice is wrong.")
    ]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("27 ოქტომბერი, 2021, 05:31:12 UTC", "2021-10-27T05:31:12+00:00"),
        ("٢٧ أكتوبر ٢٠٢١ في ٩:٣١:١٢ ص غرينتش+٣", "2021-10-27T09:31:12+03:00"),
        ("2021(e)ko urriaren 27(a) 07:31:12 (UTC)", "2021-10-27T07:31:12+00:00"),
    ],
)
def test_android_long_dates_in_georgian_arabic_and_basque(text: str, iso: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None and parsed.isoformat() == iso


def test_customer_words_with_these_labels_and_verbs_are_no_quote() -> None:
    text = "Curierul a scris:\npachet deteriorat\nVă rog să îmi trimiteți altul.\n"
    messages = split_thread(parse_mail(forward(text)))
    assert len(messages) == 1 and messages[0].body == text.strip()
    text = "ამანათზე ეწერა:\nვისგან: მითითებული არ არის\nგთხოვთ, გადაამოწმოთ.\n"
    messages = split_thread(parse_mail(forward(text)))
    assert len(messages) == 1 and messages[0].body == text.strip()
