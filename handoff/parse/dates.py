"""Localised header dates ("Mi., 27. Okt. 2021 um 09:31 Uhr") to timezone-aware datetimes.

dateparser carries the locale data (month and weekday names in every language handoff meets); this
module only decides what dateparser cannot know from one string alone:
- the timezone of a date written without one: mail clients print quoted dates in the local time of the
  person who forwarded or replied, so the offset of the enclosing mail's own `Date:` header is used;
- the order of an all-numeric date ("03/04/2024"): decided from the thread (see `resolve_order`);
- an unknown timezone abbreviation ("12:46 XYZT") is dropped rather than losing the whole date.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Literal

Order = Literal["DMY", "MDY"]

# The languages issue 3 names, plus the few neighbours whose clients we see (da, no, fi, cs).
LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "nb", "fi", "cs"]

_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})(?![\d.]*\d)")
_ISO = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b")
_AMPM = re.compile(r"\b[ap]\.?\s?m\.?(?![a-z])", re.IGNORECASE)

# Words that glue date and time in attributions and some header dates; dateparser knows most of
# them, but "alle ore", "o", "kl." and the Dutch "om" trip its tokenizer in combination.
_GLUE = re.compile(r"(?i)(?<!\w)(?:at|um|à|a las|alle ore|alle|om|às|as|o godz\.|o|kl\.?|klockan|den|el|le|am)(?!\w)")
_UHR = re.compile(r"(?i)(?<=\d)\s*(?:uhr|h(?=\s|$))")
_PAREN = re.compile(r"\([^)]*\)")
_TZ_WORD = re.compile(r"\s+\(?[A-Z]{2,6}\)?\s*$")


@lru_cache(maxsize=4)
def _parser(order: Order | None):  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser

    settings: dict[str, object] = {
        "PREFER_DAY_OF_MONTH": "first",
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RETURN_TIME_AS_PERIOD": False,
    }
    if order:
        settings["DATE_ORDER"] = order
    with warnings.catch_warnings():
        # dateparser's locale loader warns about its own regex/pytz use on some versions.
        warnings.simplefilter("ignore", DeprecationWarning)
        return DateDataParser(languages=LANGUAGES, settings=settings, try_previous_locales=False)


def numeric_parts(text: str) -> tuple[int, int] | None:
    """The two leading numbers of an all-numeric date ("28/10/2021" -> (28, 10)), else None."""
    if _ISO.search(text):
        return None
    match = _NUMERIC.search(text)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2))


def is_ambiguous(text: str) -> bool:
    parts = numeric_parts(text)
    return bool(parts) and parts[0] <= 12 and parts[1] <= 12 and parts[0] != parts[1]


def order_hint(texts: Iterable[str]) -> Order | None:
    """The numeric order the thread itself proves: any "28/10" means DMY, any "10/28" MDY."""
    for text in texts:
        parts = numeric_parts(text)
        if not parts:
            continue
        first, second = parts
        if first > 12 and second <= 12:
            return "DMY"
        if second > 12 and first <= 12:
            return "MDY"
    return None


def _to_fixed(value: datetime) -> datetime:
    offset = value.utcoffset()
    if offset is None:
        return value
    return value.replace(tzinfo=timezone(offset))


def parse_date(text: str | None, *, order: Order | None = None, default_tz: tzinfo | None = None) -> datetime | None:
    """Parse one header date; timezone-aware, with the written offset kept. None when unreadable."""
    if not text:
        return None
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().strip(",;*")
    if not text or len(text) > 120:
        return None
    candidates = [text]
    cleaned = _UHR.sub("", _GLUE.sub(" ", text))
    cleaned = re.sub(r"\s+", " ", cleaned).strip(" ,")
    candidates.append(cleaned)
    # "GMT+02:00" / "(UTC+01:00) Amsterdam" / "CEST" that dateparser does not know: drop them.
    no_paren = re.sub(r"\s+", " ", _PAREN.sub(" ", cleaned)).strip()
    candidates.append(no_paren)
    candidates.append(_TZ_WORD.sub("", no_paren))
    parsed: datetime | None = None
    for candidate in dict.fromkeys(c for c in candidates if c):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                parsed = _parser(order).get_date_data(candidate).date_obj
        except Exception:  # dateparser raises odd errors on odd input; the date is just unknown
            parsed = None
        if parsed is not None:
            break
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_tz or UTC)
    return _to_fixed(parsed)


def resolve_order(text: str, upper: datetime | None, hint: Order | None, default_tz: tzinfo | None) -> datetime | None:
    """Parse a possibly ambiguous numeric date using what the thread says about it.

    `upper` is the date of the newer message that quotes this one (or the handoff mail's own date):
    a quoted message cannot be younger than its reply, so an order that would make it so is wrong.
    Then the order the thread proves elsewhere (`hint`), then the locale's habit: AM/PM means the US
    order, a 24-hour clock the day-first order used nearly everywhere else.
    """
    if not is_ambiguous(text):
        return parse_date(text, order=hint, default_tz=default_tz)
    dmy = parse_date(text, order="DMY", default_tz=default_tz)
    mdy = parse_date(text, order="MDY", default_tz=default_tz)
    options = {"DMY": dmy, "MDY": mdy}
    if upper is not None:
        slack = timedelta(days=1)  # timezones and clock skew
        valid = {k: v for k, v in options.items() if v is not None and v <= upper + slack}
        if len(valid) == 1:
            return next(iter(valid.values()))
        if valid:
            options = valid
    if hint and options.get(hint) is not None:
        return options[hint]
    habit: Order = "MDY" if _AMPM.search(text) else "DMY"
    return options.get(habit) or dmy or mdy
