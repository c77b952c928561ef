"""Localised header dates ("Mi., 27. Okt. 2021 um 09:31 Uhr") to timezone-aware datetimes.

dateparser carries the locale data (month and weekday names in every language handoff meets); this
module only decides what dateparser cannot know from one string alone:
- the timezone of a date written without one: mail clients print quoted dates in the local time of the
  person who forwarded or replied, so the offset of the enclosing mail's own `Date:` header is used, or, when
  that date names a zone that changes clocks ("+0100 (CET)", "EEST"), that zone's offset on the quoted day
  (`zone_rule`);
- the order of an all-numeric date ("03/04/2024"): decided from the thread (see `resolve_order`);
- an unknown timezone abbreviation ("12:46 XYZT") is dropped rather than losing the whole date.

Speed: dateparser costs about 1 ms a date (it tries every language's dictionary and regexes), half of the
pipeline. `fast_date` reads first what mail clients actually print, from the same month/weekday tables of
dateparser's locale data (loaded once): every word of the date must be a month, weekday, AM/PM marker or
filler word of one language, and every language that accepts all the words must name the same month; the
numbers must be one day, one four-digit year and one time. Anything else (two-digit years, numeric dates
whose order the thread must decide, words no table knows) goes to dateparser as before.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Compiled once: they run for every line or header read (re.sub with a string looks the pattern up each time).
_SPACES = re.compile(r"\s+")

Order = Literal["DMY", "MDY"]

# The languages issue 3 names, plus the few neighbours whose clients we see (da, no, fi, cs); then those of
# issue 14's forwards (ru, uk, tr, hu, ro, hr, sk, et, ja) and the other big ones (el, zh, ko, ar, he, vi,
# id, th). Order matters to dateparser: the first language whose words cover the date wins.
LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pt", "pl", "sv", "da", "nb", "fi", "cs"]
MORE_LANGUAGES = ["ru", "uk", "tr", "hu", "ro", "hr", "sk", "et", "ja", "zh", "ko", "el", "ar", "he", "vi", "id", "th"]
# Read by the fast path only (dateparser's tables): Gmail's and Outlook's Lithuanian, Catalan, Latvian, Slovenian,
# Bulgarian, Persian, Malay, Hindi, Filipino and Serbian (Latin and Cyrillic) dates; K-9 Mail's Georgian and Basque.
FAST_ONLY_LANGUAGES = ["lt", "ca", "lv", "sl", "bg", "fa", "ms", "hi", "fil", "sr-Latn", "sr", "ka", "eu"]
# Languages whose table entries hold marks or spaces the word scan splits at ("יום ו׳", "נוב׳"): each entry is also
# learnt as the words the scan finds in it.
_TOKENISED = frozenset({"he", "th", "fa", "ms", "vi", "hi"})

# (a space may follow each dot: Thunderbird's Slovenian short date "27. 10. 21")
# (SquirrelMail's Danish long date writes the year after a space: "Onsdag, 9/3 2022, 08:47", day/month.)
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})[./-] ?(\d{1,2})(?:[./-] ?(?:\d{2}|\d{4})| \d{4})(?![\d.]*\d)")
_ISO = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}\b")
_AMPM = re.compile(r"\b[ap]\.?\s?m\.?(?![a-z])", re.IGNORECASE)

# Words that glue date and time in attributions and some header dates; dateparser knows most of
# them, but "alle ore", "o", "kl." and the Dutch "om" trip its tokenizer in combination.
# Thunderbird's short date and time are glued by "a les" (ca), "ob" (sl), "у" (sr) and "aig" (gd).
_GLUE = re.compile(
    r"(?i)(?<!\w)(?:at|um|à|a las|a les|alle ore|alle|om|às|as|o godz\.|o|ob|у|aig|kl\.?|klockan|den|el|le|am)(?!\w)"
)
_UHR = re.compile(r"(?i)(?<=\d)\s*(?:uhr|h(?=\s|$))")
_PAREN = re.compile(r"\([^)]*\)")
_TZ_WORD = re.compile(r"\s+\(?[A-Z]{2,6}\)?\s*$")


@lru_cache(maxsize=8)
def _parser(order: Order | None, more: bool = False):  # type: ignore[no-untyped-def]
    """dateparser on the original 13 languages (what it always read, read the same way), or, for what those
    miss, on the languages added for issue 14 (each language tried costs time on every date)."""
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
        languages = MORE_LANGUAGES if more else LANGUAGES
        return DateDataParser(languages=languages, settings=settings, try_previous_locales=False)


# -- fast path ----------------------------------------------------------------------------------------------

_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december",
)  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Words clients put between the parts that dateparser's "skip" lists lack, per language (Gmail's "um", "kell",
# "kl.", Outlook's "de", Apple's "à"...), and the zone names clients print, with their offsets in minutes.
_FILLERS = {
    "en": {"at", "on", "the", "of"},
    "de": {"um", "uhr", "am", "dem"},  # Evolution: "Mittwoch, dem 27.10.2021 um 09:31"
    "fr": {"à", "le"},
    "es": {"a", "las", "de", "el"},
    "it": {"alle", "ore", "il"},
    "nl": {"om", "op"},
    "pt": {"às", "as", "de", "em"},
    # Evolution: "śro, 27.10.2021 o godzinie 09∶31" (glibc's weekday abbreviations, which dateparser's table lacks)
    "pl": {"o", "godz", "dnia", "godzinie", "nie", "pon", "wto", "śro", "czw", "pią", "sob"},
    "sv": {"kl", "den", "klockan"},
    "da": {"kl", "den"},
    "nb": {"kl", "den"},
    "fi": {"klo", "kello"},
    "cs": {"v", "dne"},
    "ru": {"в", "г"},
    "uk": {"о", "р"},
    # Hungarian weekday abbreviations some clients print beside dateparser's one-letter ones ("2026. aug. 16., Ke").
    "hu": {"hé", "ke", "sze", "cs", "csü", "pé", "szo", "va"},
    "ro": {"la"},
    "hr": {"u"},
    "sk": {"o", "v"},
    "et": {"kell"},
    "tr": {"tarihinde", "saatinde"},  # Apple Mail: "3 Kas 2021 tarihinde 15:05 saatinde"
    # Evolution: "27-10-2021, ημέρα Τετ, και ώρα 09:31" (glibc's weekday abbreviations, unaccented: "Πεμ", not "πέμ")
    "el": {"στις", "ημέρα", "και", "ώρα", "κυρ", "δευ", "τρι", "τετ", "πεμ", "παρ", "σαβ"},
    "vi": {"vào", "lúc", "ngày", "năm"},
    "lt": {"d"},  # "2026 m. rugpjūčio 4 d." (m. = year, d. = day)
    "ca": {"a", "les", "d", "de", "del"},  # "dt., 26 d'ag. 2026 a les 10:12"
    "lv": {"gada", "plkst"},  # "2026. gada 1. septembrī plkst. 10:00"
    "sl": {"ob"},  # "pon., 13. jan. 2025 ob 17:03"
    "bg": {"в", "ч"},  # "ср, 15.01.2025 г. в 17:03 ч.", "сряда, 27 октомври 2021 г. 9:31"
    "he": {"יום", "ב", "בשעה"},  # Gmail: "יום ד׳, 27 באוק׳ 2021 ב-9:31"
    "th": {"เวลา", "เมื่อ", "ที่", "น"},  # Gmail: "วันพุธที่ 27 ต.ค. 2021 เวลา 09:31"
    "fa": {"ساعت", "در", "تاریخ"},  # Gmail: "چهارشنبه ۲۷ اکتبر ۲۰۲۱ ساعت ۹:۳۱"
    "ms": {"pada"},  # Gmail: "Rab, 27 Okt 2021 pada 3:05 PTG"
    "hi": {"को"},  # Gmail: "बुध, 27 अक्तू॰ 2021 को 9:31 am"
    "sr-Latn": {"u"},
    "sr": {"у"},
    "eu": {"e", "ko", "a"},  # Android's long date: "2021(e)ko urriaren 27(a)"
    "ja": {"の"},  # Evolution: "2021-10-27 (水) の 09:31"
    "zh": {"的"},  # Evolution: "2021-10-27星期三的 09:31"
}
# Month forms dateparser's tables lack: Latvian Gmail writes the locative ("1. septembrī").
_EXTRA_MONTHS = {
    "lv": {
        "janvārī": 1, "februārī": 2, "martā": 3, "aprīlī": 4, "maijā": 5, "jūnijā": 6, "jūlijā": 7, "augustā": 8,
        "septembrī": 9, "oktobrī": 10, "novembrī": 11, "decembrī": 12,
    },
    # Basque writes the month in the genitive before the day ("urriaren 27(a)": "the 27th of October").
    "eu": {
        "urtarrilaren": 1, "otsailaren": 2, "martxoaren": 3, "apirilaren": 4, "maiatzaren": 5, "ekainaren": 6,
        "uztailaren": 7, "abuztuaren": 8, "irailaren": 9, "urriaren": 10, "azaroaren": 11, "abenduaren": 12,
    },
}  # fmt: skip
_ZONES = {
    "gmt": 0, "utc": 0, "ut": 0, "z": 0, "wet": 0, "bst": 60, "west": 60, "cet": 60, "cest": 120, "met": 60,
    "mest": 120, "eet": 120, "eest": 180, "msk": 180, "ist": 330, "jst": 540, "kst": 540, "hkt": 480, "sgt": 480,
    "aest": 600, "aedt": 660, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360,
    "pst": -480, "pdt": -420,
    # Czech and Slovak clients (Yahoo) print CET/CEST as SEČ/SELČ ("středoevropský čas").
    "seč": 60, "selč": 120,
    # German clients print MEZ/MESZ ("Mitteleuropäische (Sommer)zeit").
    "mez": 60, "mesz": 120,
    # Indonesia's western zone, as tzdata abbreviates it (SOGo's "%Z" in Jakarta)
    "wib": 420,
}  # fmt: skip
# Zone names that name a daylight-saving rule, not only an offset ("CEST" is Central Europe in summer), with a zone
# that keeps the rule. Someone whose mail says CET in January wrote +02:00 in July; a fixed +01:00 is an hour off.
# Summer names tell the rule outright. Of the winter names only those whose zone nearly everywhere changes clocks:
# not MST (Arizona keeps it all year) nor AEST (Queensland); CET also stands for Tunisia's and EET for
# Kaliningrad's clocks, which do not change, and are kept for the many more that do. GMT, UTC, IST, JST, MSK and
# CST (also China's) tell no rule.
_ZONE_RULES = {
    "cet": "Europe/Paris", "cest": "Europe/Paris", "met": "Europe/Paris", "mest": "Europe/Paris",
    "mez": "Europe/Paris", "mesz": "Europe/Paris", "seč": "Europe/Paris", "selč": "Europe/Paris",
    "wet": "Europe/Lisbon", "west": "Europe/Lisbon", "bst": "Europe/London", "eet": "Europe/Athens",
    "eest": "Europe/Athens", "est": "America/New_York", "edt": "America/New_York", "cdt": "America/Chicago",
    "mdt": "America/Denver", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
    "aedt": "Australia/Sydney",
}  # fmt: skip
_CJK_DATE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
# Vietnamese Gmail numbers the month and the weekday: "Th 2, 4 thg 8, 2026 vào lúc 09:14" (Monday, 4 August).
_VI_MONTH = re.compile(r"(?i)(?<![^\W\d_])(?:thg|tháng)\s*(\d{1,2})(?!\d)")
# SOGo's Japanese month names are numbers ("火曜日, 3月 08, 2022 14:05 JST"): the month alone, day and year apart.
_CJK_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s?月(?![\d日])")
_VI_WEEKDAY = re.compile(r"(?i)(?<![^\W\d_])(?:th|thứ)\s*[2-8](?!\d)|(?<![^\W\d_])cn(?![^\W\d_])")
_CJK_NOISE = re.compile(r"[（(]?[月火水木金土日일월화수목금토][曜요]?[日일]?[)）]?|星期.|周.|週.|礼拜.|禮拜.|曜日")
# AM/PM markers written before the time or with dots inside (Greek "μ.μ."), matched as they are printed.
_CJK_AM = ("午前", "上午", "오전", "π.μ.")
_CJK_PM = ("午後", "下午", "오후", "μ.μ.")
_OFFSET = re.compile(r"(?<![\w:.])(?:(?:gmt|utc)\s?)?([+-])(\d{1,2})(?::?(\d{2}))?(?![\w:.])", re.IGNORECASE)
_ZONE_WORD = re.compile(r"(?<![^\W\d_])(gmt|utc)(?![^\W\d_])", re.IGNORECASE)
_CLOCK = re.compile(r"(?<![\d.:])(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?![\d:])(?!\.\d)")
# The French typographic clock ("10 h 30", "10h30"), which some French clients and Yahoo print; read only when no
# "10:30" is there. One optional space each side of the "h": no run of spaces to rescan.
# Geary's Dutch time "9u31" is the same with a "u" (uur), never spaced.
_CLOCK_H = re.compile(r"(?<![\d.:])(\d{1,2})(?: ?h ?|u)(\d{2})(?![\d:])")
# A year written as an ordinal ("27. listopada 2021."), as Croatian (and Hungarian, Latvian) dates do: where Polish or
# Czech read the same month word as another month ("listopad" is November there, October in Croatian), it decides.
_ORDINAL_YEAR = re.compile(r"(?<![\d.])\d{4}\.(?!\d)")
_ORDINAL_YEAR_LANGUAGES = frozenset({"hr", "hu", "lv"})
_DAY_NUMBER = re.compile(r"(?<![\d.:/-])(\d{1,4})(?![\d:/-])")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])")
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})\s?[./-]\s?(\d{1,2})\s?[./-]\s?(\d{4})(?![\d-])")
# "quinta-feira" is one weekday; Thai and Devanagari vowel signs (not word characters to `re`) belong to their word.
_WORD = re.compile(
    r"(?:[^\W\d_]|[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963])+"
    r"(?:-[^\W\d_]+)*\.?"
)
# Thai abbreviates months with dots between letters ("ต.ค."); dateparser's table writes them without ("ตค").
_THAI_DOTS = re.compile(r"(?<=[\u0e01-\u0e2e])\.(?=[\u0e01-\u0e2e])")
# A numeric date written with dots ("3. 12. 2021", "03.12.2021") is day-first wherever it is printed (cs, sk, de,
# ru, bg, ...); the month-first order writes slashes. Read so when the thread does not decide the order.
_DOTTED_DATE = re.compile(r"(?<![\d.])\d{1,2}\s?\.\s?\d{1,2}\s?\.\s?\d{4}(?![\d-])")
# Year first with slashes (Apple Mail in Japanese, "2021/11/03 9:05") or with dots after each part (Apple Mail in
# Korean "2021. 11. 3. 오전 9:05", Hungarian clients "2026. 01. 05. 14:32"): never ambiguous.
_YMD_SLASH = re.compile(r"(?<![\d/])(\d{4})/(\d{1,2})/(\d{1,2})(?![\d/])")
_YMD_DOTS = re.compile(r"(?<![\d.])(\d{4})\.\s?(\d{1,2})\.\s?(\d{1,2})\.(?!\d)")
_BRACKETS = str.maketrans({"(": " ", ")": " ", "（": " ", "）": " "})
_AM_PM = re.compile(r"\s?([ap])\.?\s?m\.?(?![^\W\d_])", re.IGNORECASE)


class _Language:
    def __init__(self, name: str, info: dict[str, object]) -> None:
        self.name = name
        self.months: dict[str, int] = {}
        self.words: set[str] = set(_FILLERS.get(name, ()))
        for number, key in enumerate(_MONTHS, 1):
            for word in info.get(key, ()):  # type: ignore[attr-defined]
                self.months[word.lower().rstrip(".")] = number
        self.months.update(_EXTRA_MONTHS.get(name, {}))
        for key in (*_WEEKDAYS, "skip", "year"):
            self.words.update(w.lower().rstrip(".") for w in info.get(key, ()))  # type: ignore[attr-defined]
        self.am = {w.lower().replace(".", "") for w in info.get("am", ())}  # type: ignore[attr-defined]
        self.pm = {w.lower().replace(".", "") for w in info.get("pm", ())}  # type: ignore[attr-defined]
        if name in _TOKENISED:
            self._learn_tokens(info)

    def _learn_tokens(self, info: dict[str, object]) -> None:
        """Each entry as the scan reads it: a one-word month as that word ("נוב׳" -> "נוב", also with Hebrew's
        "in" prefix: "בנוב׳"), the words of a weekday or skip entry as filler words ("יום ו׳" -> "יום", "ו")."""

        def tokens(entry: str) -> list[str]:
            return [t.lower().rstrip(".") for t in _WORD.findall(_THAI_DOTS.sub("", entry))]

        for number, key in enumerate(_MONTHS, 1):
            for entry in info.get(key, ()):  # type: ignore[attr-defined]
                words = tokens(entry)
                if len(words) == 1:
                    self.months.setdefault(words[0], number)
                    if self.name == "he":
                        self.months.setdefault("ב" + words[0], number)
        for key in (*_WEEKDAYS, "skip"):
            for entry in info.get(key, ()):  # type: ignore[attr-defined]
                self.words.update(tokens(entry))


@lru_cache(maxsize=1)
def _languages() -> tuple[_Language, ...]:
    import importlib

    out = []
    for name in [*LANGUAGES, *MORE_LANGUAGES, *FAST_ONLY_LANGUAGES]:
        module = importlib.import_module(f"dateparser.data.date_translation_data.{name}")
        out.append(_Language(name, module.info))
    return tuple(out)


@lru_cache(maxsize=1)
def _word_index() -> dict[str, frozenset[int]]:
    """Which languages (by position in _languages()) know a word at all: only those are checked in full."""
    index: dict[str, set[int]] = {}
    for number, language in enumerate(_languages()):
        for word in (*language.months, *language.words, *language.am, *language.pm):
            index.setdefault(word, set()).add(number)
    return {word: frozenset(numbers) for word, numbers in index.items()}


def _zone(text: str) -> tuple[str, tzinfo | None, bool]:
    """The text without its zone, the zone, and False when a zone-like word is unknown."""
    found = _OFFSET.search(text)
    if found:
        sign = -1 if found.group(1) == "-" else 1
        minutes = int(found.group(2)) * 60 + int(found.group(3) or 0)
        if found.group(3) is None and len(found.group(2)) > 2:
            return text, None, False
        if minutes > 14 * 60:
            return text, None, False
        rest = text[: found.start()] + " " + text[found.end() :]
        return rest, timezone(timedelta(minutes=sign * minutes)), True
    return text, None, True


def _half(language: _Language, words: list[str]) -> str | None:
    """AM/PM written as a word of the language (Hungarian "du", Russian "пп"); a filler word it is not."""
    spoken = [w for w in words if w not in language.words]
    if any(w in language.pm for w in spoken):
        return "pm"
    if any(w in language.am for w in spoken):
        return "am"
    return None


@lru_cache(maxsize=4096)
def _words_reading(
    words: tuple[str, ...], half_open: bool, month_known: bool, ordinal_year: bool = False
) -> tuple[int | None, str | None] | None:
    """What the words of a date say in the languages that know them all: (month, AM/PM), None when no language
    or more than one reading fits. Only the vocabulary decides, so a reading is kept: the same few words ("mon",
    "may"; "lundi", "mai") come back in every mail of a language. Where the languages name different months, a
    year written as an ordinal (`ordinal_year`) keeps only the languages that write it so."""
    fits: list[tuple[_Language, int | None]] = []
    known = _word_index()
    candidates_of = [known.get(word, frozenset()) for word in words]
    possible = frozenset.intersection(*candidates_of) if candidates_of else frozenset()
    languages = _languages()
    for language in (languages[n] for n in sorted(possible)):
        firm: set[int] = set()
        flexible: set[int] = set()  # "mar" is a month (March) and a weekday (martes) in Spanish
        fit = True
        for word in words:
            number = language.months.get(word)
            if number is not None and word not in language.words:
                firm.add(number)
            elif number is not None:
                flexible.add(number)
            elif word in language.words or (half_open and (word in language.am or word in language.pm)):
                continue
            else:
                fit = False
                break
        candidates = firm or flexible
        if fit and len(candidates) <= 1 and not (candidates and month_known):
            fits.append((language, next(iter(candidates), None)))
    if not fits:
        return None
    months = {m for _, m in fits}
    if len(months) != 1 and ordinal_year:
        fits = [(lang, m) for lang, m in fits if lang.name in _ORDINAL_YEAR_LANGUAGES]
        months = {m for _, m in fits}
    if len(months) != 1:
        return None
    halves = {_half(lang, list(words)) for lang, _ in fits}
    if len(halves) != 1:
        return None
    return fits[0][1], halves.pop()


def fast_date(text: str, default_tz: tzinfo | None = None, order: Order | None = None) -> datetime | None:
    """The date of the usual client formats, or None when dateparser must decide (never a wrong date)."""
    if len(text) > 120:
        return None  # parse_date's bound; no header date is longer
    text, zone, ok = _zone(text)
    if not ok:
        return None
    if "(" in text or "（" in text:
        # "(GMT+00:00)" was read above; "(Mon)"/"(月)" are weekdays; anything else inside is a word to judge.
        text = text.translate(_BRACKETS)
    year = month = day = None
    cjk = _CJK_DATE.search(text)
    if cjk:
        year, month, day = int(cjk.group(1)), int(cjk.group(2)), int(cjk.group(3))
        text = _CJK_NOISE.sub(" ", text[: cjk.start()] + " " + text[cjk.end() :])
    vi_month = None if cjk else _VI_MONTH.search(text)
    if vi_month:
        month = int(vi_month.group(1))
        text = _VI_WEEKDAY.sub(" ", text[: vi_month.start()] + " " + text[vi_month.end() :])
    cjk_month = None if (cjk or vi_month or "月" not in text) else _CJK_MONTH.search(text)
    if cjk_month:
        month = int(cjk_month.group(1))
        text = _CJK_NOISE.sub(" ", text[: cjk_month.start()] + " " + text[cjk_month.end() :])
    iso = None if cjk else (_ISO_DATE.search(text) or _YMD_SLASH.search(text) or _YMD_DOTS.search(text))
    if iso:
        year, month, day = int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
        text = text[: iso.start()] + " " + text[iso.end() :]
        if iso.re is _YMD_DOTS or not text.isascii():
            # Korean "(월)" is Monday, no month; Evolution's "2021-10-27 (水)", "2021-10-27星期三" are weekdays
            text = _CJK_NOISE.sub(" ", text)
    numeric = None if (cjk or iso) else _NUMERIC_DATE.search(text)
    if numeric and order is None and _DOTTED_DATE.fullmatch(numeric.group(0)):
        order = "DMY"
    if numeric:
        first, second, year = int(numeric.group(1)), int(numeric.group(2)), int(numeric.group(3))
        if first > 12 >= second or (order == "DMY" and first != second):
            day, month = first, second
        elif second > 12 >= first or (order == "MDY" and first != second):
            month, day = first, second
        elif first == second:
            day = month = first
        else:
            return None  # the thread decides (resolve_order), through dateparser's DATE_ORDER as before
        text = text[: numeric.start()] + " " + text[numeric.end() :]
    clock = _CLOCK.search(text) or _CLOCK_H.search(text)
    hour = minute = second = 0
    half = None
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        second = int(clock.group(3) or 0) if clock.re is _CLOCK else 0
        after = text[clock.end() :]
        # AM/PM only right after the time: "am" before it is German ("am 28. Okt.").
        ampm = _AM_PM.match(after)
        if ampm:
            half = "am" if ampm.group(1).lower() == "a" else "pm"
            after = after[ampm.end() :]
        text = text[: clock.start()] + " " + after
    for marker in _CJK_AM:
        if marker in text:
            half, text = "am", text.replace(marker, " ")
    for marker in _CJK_PM:
        if marker in text:
            half, text = "pm", text.replace(marker, " ")
    if "." in text and any("\u0e01" <= c <= "\u0e2e" for c in text):
        text = _THAI_DOTS.sub("", text)
    words = [w.lower().rstrip(".") for w in _WORD.findall(text)]
    # A zone abbreviation may be glued to the next label in Yahoo's one-line block; here it stands alone.
    named_zone = None
    for word in list(words):
        if word in _ZONES and (named_zone is None):
            named_zone = _ZONES[word]
            words.remove(word)
    if _ZONE_WORD.search(text) and named_zone is None:
        named_zone = 0
    if words:
        reading = _words_reading(tuple(words), half is None, month is not None, bool(_ORDINAL_YEAR.search(text)))
        if reading is None:
            return None
        found_month, found_half = reading
        if found_month is not None:
            month = found_month
        half = half or found_half
    if month is None:
        return None
    numbers = [int(n) for n in _DAY_NUMBER.findall(text)]
    if year is None:
        years = [n for n in numbers if n >= 1000]
        days = [n for n in numbers if n < 100]
        if len(years) != 1 or len(days) != 1 or len(numbers) != 2:
            return None
        year, day = years[0], days[0]
    elif numbers:
        return None
    if half == "pm" and hour < 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    if zone is None and named_zone is not None:
        zone = timezone(timedelta(minutes=named_zone))
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone or default_tz or UTC)  # type: ignore[arg-type]
    except ValueError:
        return None


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


def has_zone(text: str) -> bool:
    """Whether a date text carries its own offset or zone name ("+0200", "GMT+2", "EEST")."""
    return _OFFSET.search(text) is not None or any(w.strip("().,").lower() in _ZONES for w in text.split())


def zone_rule(text: str | None, when: datetime | None) -> tzinfo | None:
    """The daylight-saving zone a dated text names ("Mon, 2 Nov 2026 10:00:00 +0100 (CET)", "11:17 EEST"), when
    its offset at `when` is the one that name stands for and the one `when` carries; else None. A date quoted
    without a zone is in the local time of the message quoting it: with this zone it gets the offset of its
    own day, not the one of the quoting message's day (six months later, across a change of clocks)."""
    if not text or when is None or when.utcoffset() is None:
        return None
    # A set of words, not a regex scan: this runs for every dated message, and most name no zone at all.
    names = _ZONE_RULES.keys() & text[:200].replace("(", " ").replace(")", " ").lower().split()
    if not names:
        return None
    name = min(names)  # two names in one date ("CET (EST)") is nonsense; one of them, always the same
    try:
        zone = ZoneInfo(_ZONE_RULES[name])
    except (ZoneInfoNotFoundError, ValueError):  # no tz database on the host: the fixed offset stays
        return None
    named = timedelta(minutes=_ZONES[name])
    # "PST" at +08:00 is the Philippines' clock, not the Pacific's: a rule only when all three offsets agree.
    return zone if when.utcoffset() == named == when.astimezone(zone).utcoffset() else None


def _to_fixed(value: datetime) -> datetime:
    offset = value.utcoffset()
    if offset is None:
        return value
    return value.replace(tzinfo=timezone(offset))


# Arabic-Indic and Persian digits ("٢٧ أكتوبر ٢٠٢١ في ٩:٣١") as the ASCII digits every reader below expects, and
# Android's Arabic name of GMT ("غرينتش+٣").
_DIGITS = {0x0660 + n: 0x30 + n for n in range(10)} | {0x06F0 + n: 0x30 + n for n in range(10)}
# The Chinese clock of glibc's zh_CN "%X" (Balsa): "14时05分12秒" is 14:05:12; moment's zh-cn "LLL" (Nextcloud Mail)
# writes a 12-hour clock after its word for the part of the day: "下午2点05分" is 14:05, "早上8点47分" 08:47.
_ZH_CLOCK = re.compile(
    r"(?:(凌晨|早上|上午|中午|下午|晚上)\s?)?(?<!\d)(\d{1,2})\s?[时時点點]\s?(\d{1,2})\s?分(?:\s?(\d{1,2})\s?秒)?"
)
# moment's zh-cn meridiem: 下午 and 晚上 are after noon, 中午 is 11:30-13:00 (so "中午1点" is 13:00, "中午12点" noon).
_ZH_AFTERNOON = ("下午", "晚上")


def _zh_clock(match: re.Match[str]) -> str:
    hour = int(match[2])
    if hour < 12 and (match[1] in _ZH_AFTERNOON or (match[1] == "中午" and hour < 11)):
        hour += 12
    seconds = f":{int(match[4]):02d}" if match[4] else ""
    return f" {hour}:{int(match[3]):02d}{seconds} "


# moment's lt "LLL" closes the time with "val." (valanda, hour): "2022 m. kovo 8 d., 14:05 val.".
_LT_HOUR = re.compile(r"(?<=\d) val\.$")


_KO_SHORT = re.compile(r"^(\d{2})\. ?(\d{1,2})\. ?(\d{1,2})\.(?=\s*오[전후])")


def parse_date(text: str | None, *, order: Order | None = None, default_tz: tzinfo | None = None) -> datetime | None:
    """Parse one header date; timezone-aware, with the written offset kept. None when unreadable."""
    if not text:
        return None
    if not text.isascii():
        text = text.translate(_DIGITS).replace("غرينتش", "GMT").replace("\u2236", ":")  # Polish "09∶31" (RATIO)
        if "오" in text:
            # Korean short dates are year first, two digits ("21. 10. 27. 오전 9:31", Thunderbird): as ISO.
            text = _KO_SHORT.sub(r"20\1-\2-\3", text, count=1)
        if "分" in text:
            text = _ZH_CLOCK.sub(_zh_clock, text)
    # Gmail in Latin-American Spanish: "22 abr 2025 a la(s) 3:46 p.m."
    text = _SPACES.sub(" ", text.replace("\u00a0", " ").replace("a la(s)", "a las")).strip().strip(",;*")
    if text.endswith(" val."):
        text = _LT_HOUR.sub("", text)
    if not text or len(text) > 120:
        return None
    parsed = fast_date(text, default_tz, order)
    parsed = _to_fixed(parsed) if parsed is not None else _slow_date(text, order, default_tz)
    if parsed is not None and parsed.year >= 2400:
        # Thai clients print the Buddhist era ("28 ตุลาคม 2564"): 543 years ahead; no mail is dated 2400.
        try:
            parsed = parsed.replace(year=parsed.year - 543)
        except ValueError:  # 29 February of a year that is no leap year in the other era
            return None
    return parsed


def _slow_date(text: str, order: Order | None, default_tz: tzinfo | None) -> datetime | None:
    candidates = [text]
    cleaned = _UHR.sub("", _GLUE.sub(" ", text))
    cleaned = _SPACES.sub(" ", cleaned).strip(" ,")
    candidates.append(cleaned)
    # "GMT+02:00" / "(UTC+01:00) Amsterdam" / "CEST" that dateparser does not know: drop them.
    no_paren = _SPACES.sub(" ", _PAREN.sub(" ", cleaned)).strip()
    candidates.append(no_paren)
    candidates.append(_TZ_WORD.sub("", no_paren))
    parsed: datetime | None = None
    for more in (False, True):
        for candidate in dict.fromkeys(c for c in candidates if c):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    parsed = _parser(order, more).get_date_data(candidate).date_obj
            except Exception:  # dateparser raises odd errors on odd input; the date is just unknown
                parsed = None
            if parsed is not None:
                break
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
