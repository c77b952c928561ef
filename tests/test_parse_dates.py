"""Header dates as clients print them, in the languages handoff meets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from handoff.parse.dates import order_hint, parse_date, resolve_order

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
