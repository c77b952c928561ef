"""Writes bench/data/threads/heldout_v8.json (issue 14, helper h1, session 10, 2026-12-02).

Two clients no earlier split takes its strings from, rendered from the strings their Debian bookworm packages ship
(`strings.json`, read by `extract.py` from `apt-get download` + `dpkg-deb -x`; nothing installed):
- SOGo 5.8.0, the groupware webmail (`sogo-common` 5.8.0-2+deb12u4): its per-language reply and forward templates
  `Mailer.SOGo/Resources/SOGoMail<Language>Reply.wo` / `...Forward.wo` in all 42 languages it ships. A reply in
  "standard mode" is the attribution ("Am <date>, schrieb <from>:"), a blank line and the quoted text; in "outlook
  mode" (and every inline forward) it is the "-------- Original-Nachricht --------" banner with the Subject, Date,
  From, To (and Cc) lines in the template's order, a blank line, then the text. The date is SOGo's
  `formattedDateAndTime:`, "%A, %B %d, %Y %H:%M %Z" (`SOGoLongDateFormat` and `SOGoTimeFormat` of its
  SOGoDefaults.plist, the "%@ %@ %%Z" of libSOGo), its weekday and month names from the language's
  `MainUI.SOGo/Resources/<Language>.lproj/Locale`, the zone's abbreviation as tzdata has it. SOGoMailReplyPlacement
  defaults to "below": a third of the replies carry the answer below the quote.
- Balsa 2.6.4 (`balsa-data` 2.6.4-2): `balsa.mo`'s "On %s, %s wrote:\\n", "%s wrote:\\n" and the inline forward's
  "------forwarded message from %s------\\n" with Date/Subject/From/To, in 27 translations and English. The date is
  Balsa's default DateFormat "%x %X" in the UI language's glibc locale (`locales`' d_fmt/t_fmt, en_US's "%r" with
  AM/PM); the person is the sender's display name (or the address where it has none), the forward's From line the
  whole address.
The layouts around the strings (the "> " quote, blank lines, where the answer goes) are our reading of each client's
templates and code, not a copy of a mail it wrote. Names, addresses and words are ours. Committed before handoff was
run on it; only its totals are read.
Run: python bench/data/threads/v8_build/heldout.py bench/data/threads/tuned_v8.json (was heldout_v8.json until session 10, helper h5)
"""

# ruff: noqa: E501
# fmt: off
from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "v4_build"))
from common import case_writer, msg, quote, save

STRINGS: dict[str, Any] = json.loads((Path(__file__).resolve().parent / "strings.json").read_text(encoding="utf-8"))
SOGO: dict[str, Any] = STRINGS["sogo"]
BALSA: dict[str, Any] = STRINGS["balsa"]

CASES: list[dict[str, Any]] = []
case = case_writer(CASES, "v8h")
AGENT = ("Helpdesk Team", "helpdesk@store.example")

# Our customers: (display name, address, their text, the agent's line beside the quote)
PEOPLE: dict[str, tuple[str, str, str, str]] = {
    "ar": ("ليلى حسن", "layla.hassan@mail.example", "وصلني الطلب 5820 ناقصًا قطعة واحدة.", "نرجو المراجعة."),
    "bs": ("Amra Hodžić", "amra.hodzic@mail.example", "Narudžba 5820 je stigla bez jednog dijela.", "Molim provjeru."),
    "pt_BR": ("Mariana Costa", "mariana.costa@mail.example", "O pedido 5820 chegou faltando uma peça.", "Por favor, verifiquem."),
    "zh_TW": ("陳怡君", "yijun.chen@mail.example", "訂單 5820 少了一個零件。", "請協助確認。"),
    "cs": ("Tereza Novotná", "tereza.novotna@mail.example", "Objednávka 5820 dorazila bez jednoho dílu.", "Prosím o kontrolu."),
    "fi": ("Emilia Korhonen", "emilia.korhonen@mail.example", "Tilauksesta 5820 puuttui yksi osa.", "Tarkistaisitteko?"),
    "fr": ("Léa Dubois", "lea.dubois@mail.example", "La commande 5820 est arrivée avec une pièce en moins.", "Merci de regarder."),
    "de": ("Lena Hoffmann", "lena.hoffmann@mail.example", "In der Lieferung 5820 fehlt ein Teil.", "Danke fürs Nachsehen."),
    "he": ("נועה לוי", "noa.levi@mail.example", "בהזמנה 5820 חסר חלק אחד.", "אשמח לבדיקה."),
    "hu": ("Szabó Eszter", "eszter.szabo@mail.example", "Az 5820-as rendelésből hiányzik egy alkatrész.", "Kérem, nézzék meg."),
    "is": ("Guðrún Jónsdóttir", "gudrun.jons@mail.example", "Pöntun 5820 kom án eins hlutar.", "Vinsamlegast athugið."),
    "id": ("Siti Rahma", "siti.rahma@mail.example", "Pesanan 5820 datang kurang satu bagian.", "Mohon dicek."),
    "it": ("Chiara Russo", "chiara.russo@mail.example", "L'ordine 5820 è arrivato senza un pezzo.", "Grazie per il controllo."),
    "kk": ("Айгерім Сапарова", "aigerim.saparova@mail.example", "5820 тапсырысымда бір бөлшек жоқ.", "Тексеріп беріңізші."),
    "lv": ("Anna Kalniņa", "anna.kalnina@mail.example", "Pasūtījumā 5820 trūkst vienas detaļas.", "Lūdzu, pārbaudiet."),
    "lt": ("Eglė Petrauskaitė", "egle.petr@mail.example", "Užsakyme 5820 trūksta vienos dalies.", "Prašau patikrinti."),
    "mk": ("Марија Стојанова", "marija.stojanova@mail.example", "Нарачката 5820 стигна без еден дел.", "Ве молам проверете."),
    "cnr": ("Jelena Vuković", "jelena.vukovic@mail.example", "Porudžbina 5820 je stigla bez jednog dijela.", "Molim vas provjerite."),
    "nb": ("Ingrid Berg", "ingrid.berg@mail.example", "Bestillingen 5820 kom uten én del.", "Takk for hjelpen."),
    "nn": ("Sigrid Haugen", "sigrid.haugen@mail.example", "Tinginga 5820 kom utan ein del.", "Takk for hjelpa."),
    "pl": ("Zofia Wiśniewska", "zofia.wisniewska@mail.example", "W paczce 5820 brakuje jednej części.", "Proszę o sprawdzenie."),
    "pt": ("Inês Ferreira", "ines.ferreira@mail.example", "A encomenda 5820 chegou sem uma peça.", "Obrigada pela ajuda."),
    "ro": ("Andreea Popescu", "andreea.popescu@mail.example", "Comanda 5820 a sosit fără o piesă.", "Vă rog să verificați."),
    "ru": ("Анна Кузнецова", "anna.kuznetsova@mail.example", "В заказе 5820 не хватает одной детали.", "Проверьте, пожалуйста."),
    "sr": ("Јована Петровић", "jovana.petrovic@mail.example", "У поруџбини 5820 недостаје један део.", "Молим вас проверите."),
    "sr_Latn": ("Milica Jovanović", "milica.jovanovic@mail.example", "U porudžbini 5820 nedostaje jedan deo.", "Hvala unapred."),
    "sk": ("Zuzana Horváthová", "zuzana.horvathova@mail.example", "V objednávke 5820 chýba jeden diel.", "Prosím o kontrolu."),
    "sl": ("Maja Kranjc", "maja.kranjc@mail.example", "V naročilu 5820 manjka en del.", "Prosim za preverbo."),
    "es": ("Carmen Ortega", "carmen.ortega@mail.example", "El pedido 5820 llegó sin una pieza.", "Gracias por revisarlo."),
    "es_AR": ("Florencia Díaz", "florencia.diaz@mail.example", "Mi pedido 5820 llegó sin una pieza.", "Gracias, saludos."),
    "sv": ("Maja Lindqvist", "maja.lindqvist@mail.example", "Order 5820 kom utan en del.", "Tack för hjälpen."),
    "tr": ("Zeynep Demir", "zeynep.demir@mail.example", "5820 numaralı siparişte bir parça eksik.", "Bakabilir misiniz?"),
    "uk": ("Ірина Шевченко", "iryna.shevchenko@mail.example", "У замовленні 5820 бракує однієї деталі.", "Перевірте, будь ласка."),
    "cy": ("Megan Evans", "megan.evans@mail.example", "Cyrhaeddodd archeb 5820 heb un darn.", "Diolch am edrych."),
    "en": ("Olivia Brooks", "olivia.brooks@mail.example", "Order 5820 arrived with one part missing.", "Thanks for checking."),
    "nl": ("Fleur Jansen", "fleur.jansen@mail.example", "Bestelling 5820 kwam aan zonder één onderdeel.", "Alvast bedankt."),
    "da": ("Freja Larsen", "freja.larsen@mail.example", "Ordre 5820 kom uden en af delene.", "Tak for hjælpen."),
    "ca": ("Laia Puig", "laia.puig@mail.example", "La comanda 5820 ha arribat sense una peça.", "Gràcies per revisar-ho."),
    "hr": ("Ana Babić", "ana.babic@mail.example", "Narudžba 5820 stigla je bez jednog dijela.", "Hvala na provjeri."),
    "bg": ("Мария Иванова", "maria.ivanova@mail.example", "В поръчка 5820 липсва една част.", "Моля, проверете."),
    "ja": ("佐藤 美咲", "misaki.sato@mail.example", "注文 5820 の部品が一つ足りません。", "ご確認をお願いします。"),
    "zh": ("李娜", "na.li@mail.example", "订单 5820 少了一个零件。", "请帮忙核实。"),
    "el": ("Ελένη Γεωργίου", "eleni.georgiou@mail.example", "Στην παραγγελία 5820 λείπει ένα κομμάτι.", "Ευχαριστώ πολύ."),
    "gl": ("Uxía Castro", "uxia.castro@mail.example", "O pedido 5820 chegou sen unha peza.", "Grazas por revisalo."),
}

# -- SOGo ----------------------------------------------------------------------------------------------------------
# SOGo language: (our person, the time zone's abbreviation as tzdata prints it on 2022-03-08, its offset or None where
# the abbreviation names more than one zone: a reader cannot know it, so the label keeps the wall clock only)
SOGO_LANG: dict[str, tuple[str, str, str | None]] = {
    "Arabic": ("ar", "EET", "+02:00"), "Bosnian": ("bs", "CET", "+01:00"), "BrazilianPortuguese": ("pt_BR", "-03", "-03:00"),
    "ChineseTaiwan": ("zh_TW", "CST", None), "Czech": ("cs", "CET", "+01:00"), "Finnish": ("fi", "EET", "+02:00"),
    "French": ("fr", "CET", "+01:00"), "German": ("de", "CET", "+01:00"), "Hebrew": ("he", "IST", None),
    "Hungarian": ("hu", "CET", "+01:00"), "Icelandic": ("is", "GMT", "+00:00"), "Indonesian": ("id", "WIB", "+07:00"),
    "Italian": ("it", "CET", "+01:00"), "Kazakh": ("kk", "+06", "+06:00"), "Latvian": ("lv", "EET", "+02:00"),
    "Lithuanian": ("lt", "EET", "+02:00"), "Macedonian": ("mk", "CET", "+01:00"), "Montenegrin": ("cnr", "CET", "+01:00"),
    "NorwegianBokmal": ("nb", "CET", "+01:00"), "NorwegianNynorsk": ("nn", "CET", "+01:00"), "Polish": ("pl", "CET", "+01:00"),
    "Portuguese": ("pt", "WET", "+00:00"), "Romanian": ("ro", "EET", "+02:00"), "Russian": ("ru", "MSK", "+03:00"),
    "Serbian": ("sr", "CET", "+01:00"), "SerbianLatin": ("sr_Latn", "CET", "+01:00"), "Slovak": ("sk", "CET", "+01:00"),
    "Slovenian": ("sl", "CET", "+01:00"), "SpanishSpain": ("es", "CET", "+01:00"), "SpanishArgentina": ("es_AR", "-03", "-03:00"),
    "Swedish": ("sv", "CET", "+01:00"), "TurkishTurkey": ("tr", "+03", "+03:00"), "Ukrainian": ("uk", "EET", "+02:00"),
    "Welsh": ("cy", "GMT", "+00:00"), "English": ("en", "UTC", "+00:00"), "Dutch": ("nl", "CET", "+01:00"),
    "Danish": ("da", "CET", "+01:00"), "Catalan": ("ca", "CET", "+01:00"), "Croatian": ("hr", "CET", "+01:00"),
    "Bulgarian": ("bg", "EET", "+02:00"), "Japanese": ("ja", "JST", "+09:00"), "ChineseChina": ("zh", "CST", None),
}


def sogo_src(lang: str, what: str) -> str:
    return f"SOGo ({lang}) {what}, from {SOGO[lang]['source']}; our names and words"


def sogo_date(lang: str, when: datetime) -> str:
    """SOGo's "%A, %B %d, %Y %H:%M %Z" in the language's Locale names."""
    names = SOGO[lang]
    weekday = names["weekdays"][(when.weekday() + 1) % 7]  # NSWeekDayNameArray starts on Sunday
    month = names["months"][when.month - 1]
    return f"{weekday}, {month} {when.day:02d}, {when.year} {when:%H}:{when:%M} {SOGO_LANG[lang][1]}"


def label_time(lang: str, when: datetime) -> str:
    offset = SOGO_LANG[lang][2]
    return f"{when:%Y-%m-%dT%H:%M}" + (offset or "")


def sogo_block(lang: str, kind: str, when: datetime, sender: str, to: str, subject: str, cc: str | None = None) -> str:
    block = SOGO[lang][kind]
    lab = block["labels"]
    lines = [block["banner"], f"{lab['subject']}{subject}", f"{lab['date']}{sogo_date(lang, when)}",
             f"{lab['from']}{sender}", f"{lab['to']}{to}"]
    if cc:
        lines.append(f"{lab['cc']}{cc}")
    return "\n".join(lines)


FIRST = datetime(2022, 3, 8, 14, 5)  # a Tuesday, before Europe's change to summer time
SECOND = datetime(2022, 3, 9, 8, 47)

for index, lang in enumerate(SOGO_LANG):
    person = SOGO_LANG[lang][0]
    name, email, text, ours = PEOPLE[person]
    attribution = SOGO[lang]["attribution"].replace("{date}", sogo_date(lang, FIRST)).replace("{from}", f"{name} <{email}>")
    if index % 3 == 2:  # SOGoMailReplyPlacement "below", SOGo's default
        body = f"{attribution}\n\n" + quote(text) + f"\n\n{ours}\n"
        what = "standard-mode reply attribution, the answer below the quote (the default placement)"
    else:
        body = f"{ours}\n\n{attribution}\n\n" + quote(text) + "\n"
        what = "standard-mode reply attribution, the answer above the quote"
    case(f"sogo_reply_{lang}", sogo_src(lang, what), body, [msg(email, label_time(lang, FIRST), text)])

for lang in ("German", "French", "Russian", "Polish", "Hungarian", "TurkishTurkey", "Ukrainian", "Finnish", "Czech",
             "BrazilianPortuguese", "Japanese", "Arabic"):
    name, email, text, ours = PEOPLE[SOGO_LANG[lang][0]]
    block = sogo_block(lang, "reply_block", FIRST, f"{name} <{email}>", AGENT[1], "5820")
    case(f"sogo_reply_outlook_{lang}", sogo_src(lang, "outlook-mode reply: banner and header lines above the quote"),
         f"{ours}\n\n{block}\n\n" + quote(text) + "\n", [msg(email, label_time(lang, FIRST), text)])

for lang in ("German", "French", "SpanishSpain", "Italian", "Russian", "Polish", "Swedish", "NorwegianBokmal", "Latvian",
             "Lithuanian", "Slovenian", "Serbian", "Icelandic", "Welsh", "Kazakh", "ChineseTaiwan"):
    name, email, text, ours = PEOPLE[SOGO_LANG[lang][0]]
    cc = "logistik@store.example" if lang in ("German", "Russian", "Swedish", "Serbian") else None
    block = sogo_block(lang, "forward_block", FIRST, f"{name} <{email}>", AGENT[1], "5820", cc)
    case(f"sogo_forward_{lang}", sogo_src(lang, "inline forward: banner and header lines" + (", with the Cc line" if cc else "")),
         f"\n\n{block}\n\n{text}\n", [msg(email, label_time(lang, FIRST), text)])

for lang in ("German", "SpanishSpain", "Russian", "Hebrew"):  # no display name: SOGo prints the bare address
    name, email, text, ours = PEOPLE[SOGO_LANG[lang][0]]
    attribution = SOGO[lang]["attribution"].replace("{date}", sogo_date(lang, SECOND)).replace("{from}", email)
    case(f"sogo_reply_bare_{lang}", sogo_src(lang, "standard-mode reply attribution, a sender with no display name"),
         f"{ours}\n\n{attribution}\n\n" + quote(text) + "\n", [msg(email, label_time(lang, SECOND), text)])

# -- Balsa ---------------------------------------------------------------------------------------------------------
AMPM_HOUR = 14  # an afternoon time, so %r's 12-hour clock and its PM marker matter
BALSA_TIME = datetime(2022, 3, 8, AMPM_HOUR, 5, 12)
BALSA_EARLY = datetime(2022, 3, 2, 9, 41, 3)


def strftime_glibc(fmt: str, when: datetime, lc: dict[str, Any]) -> str:
    """The few glibc conversions the chosen locales' d_fmt/t_fmt use (%d %m %Y %y %-d %-m %e %H %k %M %S %T %r %I %p)."""
    ampm = lc["am_pm"][when.hour >= 12]
    hour12 = when.hour % 12 or 12
    table = {
        "%-d": str(when.day), "%-m": str(when.month), "%d": f"{when.day:02d}", "%m": f"{when.month:02d}",
        "%e": f"{when.day:2d}", "%Y": str(when.year), "%y": f"{when.year % 100:02d}", "%H": f"{when.hour:02d}",
        "%k": f"{when.hour:2d}", "%M": f"{when.minute:02d}", "%S": f"{when.second:02d}", "%I": f"{hour12:02d}",
        "%p": ampm, "%P": ampm.lower(),
    }
    fmt = fmt.replace("%T", "%H:%M:%S").replace("%r", lc["t_fmt_ampm"])
    out = ""
    i = 0
    while i < len(fmt):
        for key in ("%-d", "%-m"):
            if fmt.startswith(key, i):
                out += table[key]
                i += 3
                break
        else:
            if fmt[i] == "%":
                out += table[fmt[i : i + 2]]
                i += 2
            else:
                out += fmt[i]
                i += 1
    return out


def balsa_date(loc: str, when: datetime) -> str:
    lc = BALSA[loc]["lc_time"] if loc != "en" else STRINGS["glibc_en_US"]
    return f"{strftime_glibc(lc['d_fmt'], when, lc)} {strftime_glibc(lc['t_fmt'], when, lc)}"


def balsa_src(loc: str, what: str) -> str:
    if loc == "en":
        return f"Balsa (en) {what}, Balsa 2.6.4's own msgids, en_US's %x %X from {STRINGS['glibc_en_US']['source']}; our names and words"
    return f"Balsa ({loc}) {what}, from {BALSA[loc]['source']} and {BALSA[loc]['lc_time']['source']}; our names and words"


def balsa_string(loc: str, key: str) -> str:
    if loc == "en":
        return {"attribution": "On %s, %s wrote:\n", "undated": "%s wrote:\n",
                "forward_banner": "------forwarded message from %s------\n"}[key]
    return BALSA[loc][key]


def balsa_attribution(loc: str, who: str, when: datetime | None) -> str:
    if when is None:
        return balsa_string(loc, "undated").replace("%s", who, 1).rstrip("\n")
    template = balsa_string(loc, "attribution")
    first, second = ("%s", "%s")
    return template.replace(first, balsa_date(loc, when), 1).replace(second, who, 1).rstrip("\n")


# UI language: our person (the translations that keep the English "On %s, %s wrote:" are left out: ru, hr, lt, zh_TW,
# et, ar; so are the locales whose d_fmt prints month names: eu, nb)
BALSA_PEOPLE = {
    "de": "de", "fr": "fr", "es": "es", "it": "it", "pl": "pl", "cs": "cs", "nl": "nl", "sv": "sv", "da": "da",
    "uk": "uk", "ja": "ja", "fi": "fi", "hu": "hu", "sk": "sk", "sl": "sl", "tr": "tr", "pt_BR": "pt_BR", "el": "el",
    "ro": "ro", "gl": "gl", "ca": "ca", "zh_CN": "zh", "sr": "sr", "bg": "bg", "id": "id", "lv": "lv", "he": "he",
    "en": "en",
}  # fmt: skip

for loc, person in BALSA_PEOPLE.items():
    name, email, text, ours = PEOPLE[person]
    case(f"balsa_reply_{loc}", balsa_src(loc, "reply attribution with %x %X, the sender's display name"),
         f"{ours}\n\n{balsa_attribution(loc, name, BALSA_TIME)}\n" + quote(text) + "\n",
         [msg("", f"{BALSA_TIME:%Y-%m-%dT%H:%M:%S}", text, name=name)])

for loc in ("de", "fr", "pl"):  # a mail without a Date header: "%s wrote:"
    name, email, text, ours = PEOPLE[BALSA_PEOPLE[loc]]
    case(f"balsa_reply_undated_{loc}", balsa_src(loc, "undated reply attribution"),
         f"{ours}\n\n{balsa_attribution(loc, name, None)}\n" + quote(text) + "\n", [msg("", None, text, name=name)])

for loc in ("de", "fr", "es", "it", "cs", "sv", "ja", "hu", "el", "en"):
    name, email, text, ours = PEOPLE[BALSA_PEOPLE[loc]]
    lab = BALSA[loc]["labels"] if loc != "en" else {"date": "Date:", "subject": "Subject:", "from": "From:", "to": "To:"}
    block = "\n".join([balsa_string(loc, "forward_banner").replace("%s", name).rstrip("\n"),
                       f"{lab['date']} {balsa_date(loc, BALSA_EARLY)}", f"{lab['subject']} 5820",
                       f"{lab['from']} {name} <{email}>", f"{lab['to']} {AGENT[1]}"])
    case(f"balsa_forward_{loc}", balsa_src(loc, "inline forward: banner with the sender's name, Date/Subject/From/To"),
         f"{ours}\n\n{block}\n\n{text}\n", [msg(email, f"{BALSA_EARLY:%Y-%m-%dT%H:%M:%S}", text)])

# -- chains: two messages, the older quoted twice --------------------------------------------------------------------
OURS = "Thank you, a replacement part for order 5820 is on its way."
OLDER = datetime(2022, 3, 1, 10, 12)


def sogo_attr(lang: str, who: str, when: datetime) -> str:
    return SOGO[lang]["attribution"].replace("{date}", sogo_date(lang, when)).replace("{from}", who)


for lang in ("German", "French", "Polish"):
    name, email, text, ours = PEOPLE[SOGO_LANG[lang][0]]
    newer = sogo_attr(lang, f"{AGENT[0]} <{AGENT[1]}>", FIRST)
    older = sogo_attr(lang, f"{name} <{email}>", OLDER)
    case(f"chain_sogo_{lang}", sogo_src(lang, "reply chain of two standard-mode attributions"),
         f"{ours}\n\n{newer}\n\n" + quote(f"{OURS}\n\n{older}\n\n" + quote(text)) + "\n",
         [msg(email, label_time(lang, OLDER), text), msg(AGENT[1], label_time(lang, FIRST), OURS)])

name, email, text, ours = PEOPLE["ru"]
case("chain_sogo_outlook_Russian", sogo_src("Russian", "outlook-mode reply over a standard-mode attribution"),
     f"{ours}\n\n{sogo_block('Russian', 'reply_block', FIRST, f'{AGENT[0]} <{AGENT[1]}>', email, 'Re: 5820')}\n\n"
     + quote(f"{OURS}\n\n{sogo_attr('Russian', f'{name} <{email}>', OLDER)}\n\n" + quote(text)) + "\n",
     [msg(email, label_time("Russian", OLDER), text), msg(AGENT[1], label_time("Russian", FIRST), OURS)])

name, email, text, ours = PEOPLE["cs"]
case("chain_balsa_over_sogo_cs", f"Balsa (cs) attribution over a SOGo (Czech) one, from {BALSA['cs']['source']} and "
     f"{SOGO['Czech']['source']}; our names and words",
     f"{ours}\n\n{balsa_attribution('cs', AGENT[0], BALSA_TIME)}\n"
     + quote(f"{OURS}\n\n{sogo_attr('Czech', f'{name} <{email}>', OLDER)}\n\n" + quote(text)) + "\n",
     [msg(email, label_time("Czech", OLDER), text), msg("", f"{BALSA_TIME:%Y-%m-%dT%H:%M:%S}", OURS, name=AGENT[0])])

name, email, text, ours = PEOPLE["it"]
lab = BALSA["it"]["labels"]
fwd = "\n".join([BALSA["it"]["forward_banner"].replace("%s", AGENT[0]).rstrip("\n"),
                 f"{lab['date']} {balsa_date('it', BALSA_TIME)}", f"{lab['subject']} Re: 5820",
                 f"{lab['from']} {AGENT[0]} <{AGENT[1]}>", f"{lab['to']} {email}"])
case("balsa_forward_of_reply_it", f"Balsa (it) forward of our reply, which quotes the customer in Balsa's attribution, from {BALSA['it']['source']}; our names and words",
     f"Per conoscenza.\n\n{fwd}\n\n{OURS}\n\n{balsa_attribution('it', name, BALSA_EARLY)}\n" + quote(text) + "\n",
     [msg("", f"{BALSA_EARLY:%Y-%m-%dT%H:%M:%S}", text, name=name), msg(AGENT[1], f"{BALSA_TIME:%Y-%m-%dT%H:%M:%S}", OURS)])

# -- texts that quote nothing ----------------------------------------------------------------------------------------
case("nothing_fr_message_original", "A French customer text naming 'Message original' and a date in its own words; our words",
     "Le mardi 8 mars, j'ai écrit au transporteur :\nle message original est resté sans réponse.\nMerci de relancer.\n",
     [], kind="quotes-nothing")
case("nothing_pl_napisal", "A Polish customer text with 'napisał(a):' and 'Data:' in its own words; our words",
     "Kurier napisał(a): paczka doręczona.\nData: nie podał żadnej.\nProszę o wyjaśnienie.\n",
     [], kind="quotes-nothing")


def main(out: str) -> None:
    data = {
        "split": "heldout",
        "about": (
            "Eighth held-out split (issue 14, helper h1, session 10): SOGo's reply and forward templates in its 42 "
            "languages and Balsa's attributions and inline forward in 28, from their Debian bookworm packages, with "
            "our own names and words. Committed before handoff was run on it. Never tuned on: only its totals are read."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
