"""Header dates as clients print them, in the languages handoff meets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from handoff.parse.dates import _slow_date, fast_date, order_hint, parse_date, resolve_order

CEST = timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wed, Oct 27, 2021 at 9:31 AM", "2021-10-27T09:31:00+02:00"),  # Gmail, forwarder's zone
        ("Mi., 27. Okt. 2021 um 09:31 Uhr", "2021-10-27T09:31:00+02:00"),
        ("Donnerstag, 28. Oktober 2021 um 12:46", "2021-10-28T12:46:00+02:00"),
        ("jeudi 28 octobre 2021 à 12:46", "2021-10-28T12:46:00+02:00"),
        ("jueves, 28 de octubre de 2021, 12:46", "2021-10-28T12:46:00+02:00"),
        ("gio 28 ott 2021 alle ore 12:46", "2021-10-28T12:46:00+02:00"),
        ("donderdag 28 oktober 2021 12:46", "2021-10-28T12:46:00+02:00"),
        ("quinta-feira, 28 de outubro de 2021 12:46", "2021-10-28T12:46:00+02:00"),
        ("czwartek, 28 października 2021 12:46", "2021-10-28T12:46:00+02:00"),
        ("tors 28 okt. 2021 kl. 12:46", "2021-10-28T12:46:00+02:00"),
        # A written offset wins over the forwarder's zone and is kept as written.
        ("1. August 2011 23:28:15 GMT-07:00", "2011-08-01T23:28:15-07:00"),
        ("Thu, 28 Oct 2021 12:46:00 +0530", "2021-10-28T12:46:00+05:30"),
        ("Monday, March 4, 2024 3:01 PM (UTC+01:00) Amsterdam, Berlin", "2024-03-04T15:01:00+01:00"),
        # An abbreviation nobody knows must not lose the date.
        ("Thu, 28 Oct 2021 12:46:00 XYZT", "2021-10-28T12:46:00+02:00"),
    ],
)
def test_localised_dates(text: str, expected: str) -> None:
    parsed = parse_date(text, default_tz=CEST)
    assert parsed is not None and parsed.isoformat() == expected


def test_garbage_is_no_date() -> None:
    assert parse_date("see you soon", default_tz=CEST) is None
    assert parse_date("", default_tz=CEST) is None


def test_thread_proves_the_numeric_order() -> None:
    assert order_hint(["03/04/2024 10:00", "28/10/2021 12:46"]) == "DMY"
    assert order_hint(["3/15/2024 4:10 PM"]) == "MDY"
    assert order_hint(["03/04/2024"]) is None


def test_ambiguous_date_cannot_be_younger_than_its_reply() -> None:
    reply = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
    # 4 March fits before a reply written on 5 March; 3 April does not.
    assert resolve_order("03/04/2024 09:00", reply, None, UTC) == datetime(2024, 3, 4, 9, 0, tzinfo=UTC)
    # With nothing to go by, AM/PM suggests the US order and a 24-hour clock the day-first order.
    assert resolve_order("03/04/2024 09:00 AM", None, None, UTC).month == 3  # type: ignore[union-attr]
    assert resolve_order("03/04/2024 09:00", None, None, UTC).month == 4  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # issue 14's languages, as Gmail, Outlook, Apple Mail and Yahoo print them (email-forward-parser fixtures)
        ("ср, 27 окт. 2021 г. в 09:31", "2021-10-27T09:31:00+02:00"),
        ("четверг, 28 октября 2021 г. в 12:46", "2021-10-28T12:46:00+02:00"),
        ("ср, 27 жовт. 2021 о 09:31", "2021-10-27T09:31:00+02:00"),
        ("tirsdag den 2. november 2021 09.26.50 CET", "2021-11-02T09:26:50+01:00"),
        ("27 Eki 2021 Çar, 09:31", "2021-10-27T09:31:00+02:00"),
        ("2021. okt. 27., Sze, 9:31", "2021-10-27T09:31:00+02:00"),
        ("mie., 27 oct. 2021 la 09:31", "2021-10-27T09:31:00+02:00"),
        ("sri, 27. lis 2021. u 09:31", "2021-10-27T09:31:00+02:00"),  # Croatian "listopad" is October
        ("utorok 2. novembra 2021, 09:26:50 SEČ", "2021-11-02T09:26:50+01:00"),  # SEČ: CET in Slovak/Czech
        ("K, 27. oktoober 2021 kell 09:31", "2021-10-27T09:31:00+02:00"),
        ("ke 27. lokak. 2021 klo 9.31", "2021-10-27T09:31:00+02:00"),
        ("2022年9月19日月曜日 17:55:44 -0400", "2022-09-19T17:55:44-04:00"),
        ("2022年9月19日(月) 午後5:55", "2022-09-19T17:55:00+02:00"),
        ("26 октября 2021 г. в 14:25:08 GMT+3", "2021-10-26T14:25:08+03:00"),
        ("martes, 2 de noviembre de 2021 4:47 p. m.", "2021-11-02T16:47:00+02:00"),
        ("28. Oktober 2021 um 12:46:05 MESZ", "2021-10-28T12:46:05+02:00"),
        # the other big ones: Greek (μ.μ. = PM), Chinese (simplified and traditional), Korean, Polish, Czech
        ("Δευ, 19 Σεπ 2022 στις 5:55 μ.μ.", "2022-09-19T17:55:00+02:00"),
        ("2022年9月19日周一 下午5:55", "2022-09-19T17:55:00+02:00"),
        ("2022年9月19日 週一 下午5:55", "2022-09-19T17:55:00+02:00"),
        ("2022년 9월 19일 (월) 오후 5:55", "2022-09-19T17:55:00+02:00"),
        ("pon., 19 wrz 2022 o 17:55", "2022-09-19T17:55:00+02:00"),
        ("28 ตุลาคม 2564 12:46", "2021-10-28T12:46:00+02:00"),  # Thai Outlook: Buddhist era
        # found by the independent dev set (bench/data/threads/dev_public.json): a Hungarian weekday abbreviation
        # dateparser lacks (mail-parser-reply's email_hu_2), Vietnamese Gmail's numbered month and weekday,
        # Lithuanian and Catalan Gmail attributions
        ("2026. aug. 16., Ke 12:27", "2026-08-16T12:27:00+02:00"),
        ("Th 2, 4 thg 8, 2026 vào lúc 09:14", "2026-08-04T09:14:00+02:00"),
        ("Vào Th 6, 28 thg 2 2026 lúc 14:22", "2026-02-28T14:22:00+02:00"),
        ("2026 m. rugpjūčio 4 d. 09:14", "2026-08-04T09:14:00+02:00"),
        ("dt., 26 d'ag. 2026 a les 10:12", "2026-08-26T10:12:00+02:00"),
        # bench/data/threads/dev_v4.json (issue 14): Hebrew Gmail's geresh abbreviations with the "in" prefix, Thai
        # Gmail's dotted month, Thai Outlook's Buddhist year with a weekday, Persian digits, Malay PTG (PM), a
        # dotted numeric date (day first), Apple Mail's year-first slashes
        ("יום ו׳, 12 בנוב׳ 2021 ב-16:20", "2021-11-12T16:20:00+02:00"),
        ("วันศุกร์ที่ 12 พ.ย. 2021 เวลา 16:20", "2021-11-12T16:20:00+02:00"),
        ("วันพฤหัสบดีที่ 11 พฤศจิกายน 2564 14:10", "2021-11-11T14:10:00+02:00"),
        ("چهارشنبه ۲۷ اکتبر ۲۰۲۱ ساعت ۹:۳۱", "2021-10-27T09:31:00+02:00"),
        ("Rab, 27 Okt 2021 pada 3:05 PTG", "2021-10-27T15:05:00+02:00"),
        ("3. 12. 2021 16:45:03", "2021-12-03T16:45:03+02:00"),
        ("2021/11/03 9:05", "2021-11-03T09:05:00+02:00"),
    ],
)
def test_issue14_localised_dates(text: str, expected: str) -> None:
    parsed = parse_date(text, default_tz=CEST)
    assert parsed is not None and parsed.isoformat() == expected


# Dates the fast path reads: each must be what dateparser alone makes of it (the pipeline's results must not
# change by going faster).
AGREE = [
    "Wed, Oct 27, 2021 at 9:31 AM", "Mi., 27. Okt. 2021 um 09:31 Uhr", "Donnerstag, 28. Oktober 2021 um 12:46",
    "jeudi 28 octobre 2021 à 12:46", "jueves, 28 de octubre de 2021, 12:46", "gio 28 ott 2021 alle ore 12:46",
    "donderdag 28 oktober 2021 12:46", "quinta-feira, 28 de outubro de 2021 12:46",
    "czwartek, 28 października 2021 12:46",
    "tors 28 okt. 2021 kl. 12:46", "Thu, 28 Oct 2021 12:46:00 +0530", "1. August 2011 23:28:15 GMT-07:00",
    "Monday, March 4, 2024 3:01 PM", "Tuesday, November 2, 2021 4:47:10 PM", "28/10/2021 12:46", "2021-11-02 16:40",
    "mar, 2 nov 2021 a las 10:15", "lun. 14 mars 2022 à 08:05", "Mo., 14. März 2022 um 08:05 Uhr",
    "Wed, 3 Nov 2021 15:51:30 +0100", "ons. 27. okt. 2021 kl. 09:31", "st 27. 10. 2021 v 9:31",
    "śr., 27 paź 2021 o 09:31",
    "12 March 2024 at 12:05", "Sunday, 12 May 2024 00:30",
    # issue 14, dev_v4: read by the fast path now, as dateparser reads them
    "Thứ Sáu, 12 tháng 11, 2021 4:20 CH", "2026. 8. 4. (월) 오전 9:14", "2026. 01. 05. 14:32",
    "วันศุกร์ที่ 12 พ.ย. 2021 เวลา 16:20", "2021/11/03 9:05", "3.12.2021 г. 16:45 ч.", "9. 2. 2022 o 11:48",
    "יום רביעי 27 אוקטובר 2021 15:05",
]  # fmt: skip


@pytest.mark.parametrize("text", AGREE)
def test_fast_path_agrees_with_dateparser(text: str) -> None:
    fast = fast_date(text, CEST, None)
    slow = _slow_date(text, None, CEST)
    assert fast is not None, "the fast path should read this client format"
    assert slow is not None and fast == slow


def test_german_am_before_the_date_is_no_ante_meridiem() -> None:
    # "am 28. Oktober" is German for "on the 28th": 12:46 stays 12:46.
    fast = fast_date("am 28. Oktober 2021 12:46", CEST, None)
    assert fast is None or fast.hour == 12  # Danish dateparser data lists "am" as AM: then dateparser decides
    parsed = parse_date("am 28. Oktober 2021 12:46", default_tz=CEST)
    assert parsed is not None and parsed.hour == 12
    assert fast_date("28. Oktober 2021 um 12:46", CEST, None) == parsed


def test_fast_path_leaves_what_the_thread_must_decide_to_dateparser() -> None:
    assert fast_date("03/04/2024 09:00", CEST, None) is None  # DMY or MDY: resolve_order decides
    assert fast_date("28.10.21 12:46", CEST, None) is None  # two-digit year
    assert fast_date("27. lis 2021 09:31", CEST, None) is None  # October in Croatian, November in Polish


# -- issue 14 chains (dev_chains.json) ---------------------------------------------------------------------------


def test_croatian_ordinal_year_decides_a_month_polish_reads_otherwise() -> None:
    # Croatian Outlook without the weekday: "listopada" is October in Croatian, November in Polish; the year written
    # as an ordinal ("2021.") is Croatian (Polish writes "27 listopada 2021").
    assert parse_date("27. listopada 2021. 9:31", default_tz=CEST) == datetime(2021, 10, 27, 9, 31, tzinfo=CEST)
    assert parse_date("27 listopada 2021 9:31", default_tz=CEST) == datetime(2021, 11, 27, 9, 31, tzinfo=CEST)


@pytest.mark.parametrize(
    "text", ["mercredi 27 octobre 2021 10 h 30", "27 octobre 2021 à 10 h 30", "27 oct. 2021 à 10h30"]
)
def test_french_typographic_clock(text: str) -> None:
    assert fast_date(text, CEST, None) == datetime(2021, 10, 27, 10, 30, tzinfo=CEST)


def test_new_date_patterns_finish_on_hostile_input() -> None:
    from handoff.parse.dates import _CLOCK_H, _ORDINAL_YEAR
    from tests.test_hostile_input import MB, rep, run_bounded

    def work() -> str:
        for make in (rep("1 h "), rep("1h"), rep("11 h 1"), rep(" h ")):
            _CLOCK_H.search(make())
        for make in (rep("2021."), rep("1"), rep("2021.1")):
            _ORDINAL_YEAR.search(make())
        fast_date("27. listopada 2021. " * 6, CEST, None)
        return "done"

    assert MB >= 1_000_000
    assert run_bounded({"dates": work}, limit=20.0)["dates"] == ("ok", "done")
