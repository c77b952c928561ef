# ruff: noqa: E501  (the per-language format table below reads best one client per line)
"""Generated forwarded threads with known answers: handoff's dev split and the speed benchmark's threads.

    python bench/thread_corpus.py --write     # rewrites bench/data/threads/dev_generated.json

Each thread is rendered the way one client prints it in one language, from a tiny model of messages
(sender, time, text), so the expected answer is known exactly. Where each format comes from:
- Gmail: "---------- Forwarded message ---------" with only the sender label localised ("Von:", "От:",
  "Gönderen:"...) and a localised date ("Mi., 27. Okt. 2021 um 09:31 Uhr"); replies "Am ... schrieb ...:"
  with '>' quotes (email-forward-parser's table of Gmail labels; Gmail's own localised attribution strings);
- Outlook desktop/web: a header block "Von:/Gesendet:/An:/Betreff:" (localised labels and a long date,
  "Dienstag, 2. November 2021 10:15"), below a rule line or nothing (New Outlook);
  "-----Original Message-----" for older Outlook and Outlook for Mac in English;
- Apple Mail: "Begin forwarded message:" (localised) and a '>'-quoted block with Apple's long date and zone;
- Thunderbird: "-------- Forwarded Message --------" (localised), tab-separated labels, RFC 5322 date;
- Yahoo: the whole block on one line ("----- Forwarded Message ----- From: ...To: ...Sent: ...Subject: ...").
Month and weekday names are those of dateparser's locale data (the same names clients print). The wordings,
names and dates are ours and differ from the held-out split, which is never tuned on.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

THREADS = Path(__file__).resolve().parent / "data" / "threads"
MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december",
)  # fmt: skip
DAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Msg:
    name: str
    email: str
    when: datetime
    text: str


def _names(lang: str) -> dict[str, list[str]]:
    info = importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info
    out: dict[str, list[str]] = {}
    for key in (*MONTH_KEYS, *DAY_KEYS):
        words = [w for w in info[key] if not w.startswith("(")]
        out[key] = [min(words, key=len), max(words, key=len)]
    return out


# Per language: Gmail's sender label and date, Outlook's labels and long date, Apple's and Thunderbird's
# separator and labels, Yahoo's separator and labels, and the Gmail reply attribution.
# Date templates: {wd} {wda} weekday full/abbr, {mon} {mona} month full/abbr, {d} day, {m} month number,
# {y} year, {H} {M} {S} 24 h, {h} 12 h, {p} AM/PM, {z} zone word.
LANGS: dict[str, dict[str, Any]] = {
    "en": dict(gfrom="From", gdate="{wda}, {mona} {d}, {y} at {h}:{M} {p}",
               ol=("From", "Sent", "To", "Subject"), odate="{wd}, {mon} {d}, {y} {h}:{M} {p}",
               apple=("Begin forwarded message", "From", "Subject", "Date", "To"), adate="{d} {mon} {y} at {H}:{M}:{S} {z}",
               tb=("Forwarded Message", "Subject", "Date", "From", "To"),
               yahoo=("Forwarded Message", "From", "To", "Sent", "Subject"), ydate="{wd}, {mon} {d}, {y}, {h}:{M}:{S} {p} {z}",
               reply="On {wda}, {mona} {d}, {y} at {h}:{M} {p} {who} wrote:"),
    "de": dict(gfrom="Von", gdate="{wda}., {d}. {mona}. {y} um {H}:{M} Uhr",
               ol=("Von", "Gesendet", "An", "Betreff"), odate="{wd}, {d}. {mon} {y} {H}:{M}",
               apple=("Anfang der weitergeleiteten Nachricht", "Von", "Betreff", "Datum", "An"),
               adate="{d}. {mon} {y} um {H}:{M}:{S} {z}",
               tb=("Weitergeleitete Nachricht", "Betreff", "Datum", "Von", "An"),
               yahoo=("Weitergeleitete Nachricht", "Von", "An", "Gesendet", "Betreff"), ydate="{wd}, {d}. {mon} {y}, {H}:{M}:{S} {z}",
               reply="Am {wda}., {d}. {mona}. {y} um {H}:{M} Uhr schrieb {who}:"),
    "fr": dict(gfrom="De", gdate="{wda}. {d} {mona}. {y} à {H}:{M}",
               ol=("De", "Envoyé", "À", "Objet"), odate="{wd} {d} {mon} {y} {H}:{M}", french_colon=True,
               apple=("Début du message réexpédié", "De", "Objet", "Date", "À"), adate="{d} {mon} {y} à {H}:{M}:{S} {z}",
               tb=("Message transféré", "Sujet", "Date", "De", "Pour"),
               yahoo=("Message transmis", "De", "À", "Envoyé", "Objet"), ydate="{wd} {d} {mon} {y} à {H}:{M}:{S} {z}",
               reply="Le {wda}. {d} {mona}. {y} à {H}:{M}, {who} a écrit :"),
    "es": dict(gfrom="De", gdate="{wda}, {d} {mona} {y} a las {H}:{M}",
               ol=("De", "Enviado el", "Para", "Asunto"), odate="{wd}, {d} de {mon} de {y} {H}:{M}",
               apple=("Inicio del mensaje reenviado", "De", "Asunto", "Fecha", "Para"), adate="{d} de {mon} de {y}, {H}:{M}:{S} {z}",
               tb=("Mensaje reenviado", "Asunto", "Fecha", "De", "Para"),
               yahoo=("Mensaje reenviado", "De", "Para", "Enviado", "Asunto"), ydate="{wd}, {d} de {mon} de {y} {H}:{M}:{S} {z}",
               reply="El {wda}, {d} {mona} {y} a las {H}:{M}, {who} escribió:"),
    "ru": dict(gfrom="От", gdate="{wda}, {d} {mona}. {y} г. в {H}:{M}",
               ol=("От", "Отправлено", "Кому", "Тема"), odate="{wd}, {d} {mon} {y} г. {H}:{M}",
               apple=("Начало переадресованного сообщения", "Отправитель", "Тема", "Дата", "Кому"),
               adate="{d} {mon} {y} г. в {H}:{M}:{S} {z}",
               tb=("Перенаправленное сообщение", "Тема", "Дата", "От", "Кому"),
               yahoo=("Пересылаемое сообщение", "От", "Кому", "Отправлено", "Тема"), ydate="{wd}, {d} {mon} {y} г., {H}:{M}:{S} {z}",
               reply="{wda}, {d} {mona}. {y} г. в {H}:{M}, {who}:"),
    "uk": dict(gfrom="Від", gdate="{wda}, {d} {mona}. {y} о {H}:{M}",
               ol=("Від", "Надіслано", "Кому", "Тема"), odate="{wd}, {d} {mon} {y} р. {H}:{M}",
               apple=("Початок листа, що пересилається", "Від кого", "Тема", "Дата", "Кому"),
               adate="{d} {mon} {y} р. о {H}:{M}:{S} {z}",
               tb=("Переслане повідомлення", "Тема", "Дата", "Від", "Кому"),
               yahoo=("Перенаправлене повідомлення", "Від", "Кому", "Відправлено", "Тема"),
               ydate="{wd}, {d} {mon} {y} р., {H}:{M}:{S} {z}",
               reply="{wda}, {d} {mona}. {y} о {H}:{M} {who} пише:"),
    "tr": dict(gfrom="Gönderen", gdate="{d} {mona} {y} {wda}, {H}:{M}",
               ol=("Kimden", "Gönderildi", "Kime", "Konu"), odate="{wd}, {d} {mon} {y} {H}:{M}",
               apple=("İleti başlangıcı", "Kimden", "Konu", "Tarih", "Kime"), adate="{d} {mon} {y} {H}:{M}:{S} {z}",
               tb=("İletilen İleti", "Konu", "Tarih", "Kimden", "Kime"),
               yahoo=("İletilmiş Mesaj", "Kimden", "Kime", "Gönderilen", "Konu"), ydate="{d} {mon} {y} {wd} {H}:{M}:{S} {z}",
               reply="{who}, {d}/{m}/{y} {H}:{M} tarihinde şunu yazdı:"),
    "hu": dict(gfrom="Feladó", gdate="{y}. {mona}. {d}., {wda}, {H}:{M}",
               ol=("Feladó", "Elküldve", "Címzett", "Tárgy"), odate="{y}. {mon} {d}., {wd} {H}:{M}",
               apple=("Továbbított levél kezdete", "Feladó", "Tárgy", "Dátum", "Címzett"), adate="{y}. {mon} {d}. {H}:{M}:{S} {z}",
               tb=("Továbbított üzenet", "Tárgy", "Dátum", "Feladó", "Címzett"),
               yahoo=("Továbbított üzenet", "Feladó", "Címzett", "Elküldve", "Tárgy"), ydate="{y}. {mon} {d}., {wd} {H}:{M}:{S} {z}",
               reply="{who} ezt írta (időpont: {y}. {mona}. {d}., {wda}, {H}:{M}):"),
    "ro": dict(gfrom="De la", gdate="{wda}., {d} {mona}. {y} la {H}:{M}",
               ol=("De la", "Trimis", "Către", "Subiect"), odate="{wd}, {d} {mon} {y} {H}:{M}",
               apple=("Începe mesajul redirecționat", "Expeditorul", "Subiectul", "Dată", "Destinatarul"),
               adate="{d} {mon} {y}, {H}:{M}:{S} {z}",
               tb=("Mesaj redirecționat", "Subiect", "Dată", "de la", "Către"),
               yahoo=("Mesaj redirecționat", "De la", "Către", "Trimis", "Subiect"), ydate="{wd}, {d} {mon} {y}, {H}:{M}:{S} {z}",
               reply="{who} a scris:"),
    "hr": dict(gfrom="Šalje", gdate="{wda}, {d}. {mona} {y}. u {H}:{M}",
               ol=("Šalje", "Poslano", "Prima", "Predmet"), odate="{wd}, {d}. {mon} {y}. {H}:{M}",
               apple=("Započni proslijeđenu poruku", "Šalje", "Predmet", "Datum", "Prima"), adate="{d}. {mon} {y}. u {H}:{M}:{S} {z}",
               tb=("Proslijeđena poruka", "Naslov", "Datum", "Šalje", "Prima"),
               yahoo=None, reply=None),
    "sk": dict(gfrom="Od", gdate="{wda} {d}. {m}. {y} o {H}:{M}",
               ol=("Od", "Odoslané", "Komu", "Predmet"), odate="{wd} {d}. {mon} {y} {H}:{M}",
               apple=("Začiatok preposlanej správy", "Od", "Predmet", "Dátum", "Pre"), adate="{d}. {mon} {y}, {H}:{M}:{S} {z}",
               tb=("Preposlaná správa --- Forwarded Message", "Predmet", "Dátum", "Od", "Pre"),
               yahoo=("Preposlaná správa", "Od", "Komu", "Odoslané", "Predmet"), ydate="{wd} {d}. {mon} {y}, {H}:{M}:{S} SEČ",
               reply=None),
    "cs": dict(gfrom="Od", gdate="{wda} {d}. {m}. {y} v {H}:{M}",
               ol=("Od", "Odesláno", "Komu", "Předmět"), odate="{wd} {d}. {mon} {y} {H}:{M}",
               apple=("Začátek přeposílané zprávy", "Od", "Předmět", "Datum", "Komu"), adate="{d}. {mon} {y} v {H}:{M}:{S} {z}",
               tb=("Přeposlaná zpráva", "Předmět", "Datum", "Od", "Komu"),
               yahoo=("Přeposlaná zpráva", "Od", "Komu", "Datum", "Předmět"), ydate="{wd} {d}. {mon} {y} {H}:{M}:{S} SEČ",
               reply="{wda} {d}. {m}. {y} v {H}:{M} odesílatel {who} napsal:"),
    "pl": dict(gfrom="Od", gdate="{wda}., {d} {mona} {y} o {H}:{M}",
               ol=("Od", "Wysłano", "Do", "Temat"), odate="{wd}, {d} {mon} {y} {H}:{M}",
               apple=("Początek przekazywanej wiadomości", "Od", "Temat", "Data", "Do"), adate="{d} {mon} {y} o godz. {H}:{M}:{S} {z}",
               tb=("Treść przekazanej wiadomości", "Temat", "Data", "Nadawca", "Adresat"),
               yahoo=("Przekazana wiadomość", "Od", "Do", "Wysłano", "Temat"), ydate="{wd}, {d} {mon} {y}, {H}:{M}:{S} {z}",
               reply="{wda}., {d} {mona} {y} o {H}:{M} {who} napisał(a):"),
    "nb": dict(gfrom="Fra", gdate="{wda}. {d}. {mona}. {y} kl. {H}:{M}",
               ol=("Fra", "Sendt", "Til", "Emne"), odate="{wd} {d}. {mon} {y} {H}:{M}",
               apple=("Videresendt melding", "Fra", "Emne", "Dato", "Til"), adate="{d}. {mon} {y} kl. {H}:{M}:{S} {z}",
               tb=("Videresendt melding", "Emne", "Dato", "Fra", "Til"),
               yahoo=("Videresendt melding", "Fra", "Til", "Sendt", "Emne"), ydate="{wd} {d}. {mon} {y}, {H}:{M}:{S} {z}",
               reply="{wda}. {d}. {mona}. {y} kl. {H}:{M} skrev {who}:"),
    "da": dict(gfrom="Fra", gdate="{wda}. {d}. {mona}. {y} kl. {H}.{M}",
               ol=("Fra", "Sendt", "Til", "Emne"), odate="{wd} den {d}. {mon} {y} {H}.{M}",
               apple=("Start på videresendt besked", "Fra", "Emne", "Dato", "Til"), adate="{d}. {mon} {y} kl. {H}.{M}.{S} {z}",
               tb=("Videresendt meddelelse", "Emne", "Dato", "Fra", "Til"),
               yahoo=("Videresendt meddelelse", "Fra", "Til", "Sendt", "Emne"), ydate="{wd} den {d}. {mon} {y} {H}.{M}.{S} {z}",
               reply="Den {wda}. {d}. {mona}. {y} kl. {H}.{M} skrev {who}:"),
    "fi": dict(gfrom="Lähettäjä", gdate="{wda} {d}. {mona}. {y} klo {H}.{M}",
               ol=("Lähettäjä", "Lähetetty", "Vastaanottaja", "Aihe"), odate="{wd} {d}. {mon} {y} {H}.{M}",
               apple=("Välitetty viesti alkaa", "Lähettäjä", "Aihe", "Päivämäärä", "Vastaanottaja"),
               adate="{d}. {mon} {y} klo {H}.{M}.{S} {z}",
               tb=("Välitetty viesti / Fwd.Msg", "Aihe", "Päiväys", "Lähettäjä", "Vastaanottaja"),
               yahoo=("Edelleenlähetetty viesti", "Lähettäjä", "Vastaanottaja", "Lähetetty", "Aihe"),
               ydate="{wd} {d}. {mon} {y} klo {H}.{M}.{S} {z}",
               reply="{who} kirjoitti {wda} {d}. {mona}. {y} klo {H}.{M}:"),
    "et": dict(gfrom="Saatja", gdate="{wda}, {d}. {mon} {y} kell {H}:{M}",
               ol=("Saatja", "Saadetud", "Adressaat", "Teema"), odate="{wd}, {d}. {mon} {y} {H}:{M}",
               apple=None, tb=None, yahoo=None, reply="Kontaktil {who} kirjutas kuupäeval {wd}, {d}. {mon} {y} {H}:{M}:"),
    "sv": dict(gfrom="Från", gdate="{wda} {d} {mona}. {y} kl. {H}:{M}",
               ol=("Från", "Skickat", "Till", "Ämne"), odate="den {d} {mon} {y} {H}:{M}",
               apple=("Vidarebefordrat mejl", "Från", "Ämne", "Datum", "Till"), adate="{d} {mon} {y} kl. {H}:{M}:{S} {z}",
               tb=("Vidarebefordrat meddelande", "Ämne", "Datum", "Från", "Till"),
               yahoo=("Vidarebefordrat meddelande", "Från", "Till", "Skickat", "Ämne"), ydate="{wd} {d} {mon} {y} {H}:{M}:{S} {z}",
               reply="Den {wda} {d} {mona}. {y} kl. {H}:{M} skrev {who}:"),
    "ja": dict(gfrom="From", gdate="{y}年{m}月{d}日(?) {H}:{M}",
               ol=("差出人", "送信日時", "宛先", "件名"), odate="{y}年{m}月{d}日 {H}:{M}",
               apple=None, tb=None, yahoo=None, reply="{y}年{m}月{d}日(?) {H}:{M} {who}:"),
}  # fmt: skip

# Variants of a chain per (style, language): Outlook's older "[mailto:]" sender, its localised
# "-----Original Message-----" line and 12-hour Spanish times; German webmail/Thunderbird/Android attributions.
VARIANTS = {
    ("outlook", "de"): ("plain", "mailto", "original"),
    ("outlook", "fr"): ("plain", "mailto", "original"),
    ("outlook", "es"): ("plain", "mailto", "original", "ampm"),
    ("gmail", "de"): ("plain", "gmx", "thunderbird", "android"),
}
ORIGINAL = {
    "de": "-----Ursprüngliche Nachricht-----",
    "fr": "-----Message d'origine-----",
    "es": "-----Mensaje original-----",
}
ZONES = {"en": ("GMT+1", 60), "de": ("MEZ", 60), "ru": ("GMT+3", 180), "uk": ("GMT+2", 120), "tr": ("GMT+3", 180)}
CUSTOMERS = [
    ("Maren Lindqvist", "maren.lindqvist@posteo.example"), ("Dmitri Sokolov", "d.sokolov@yandex.example"),
    ("Olena Kovalenko", "olena.k@ukr.example"), ("Emre Aydın", "emre.aydin@turk.example"),
    ("Zsófia Tóth", "zsofia.toth@citromail.example"), ("Andrei Popescu", "andrei.popescu@yahoo.example"),
    ("Ivana Horvat", "ivana.horvat@net.example"), ("Peter Kováč", "peter.kovac@azet.example"),
    ("Jana Dvořáková", "jana.dvorakova@seznam.example"), ("Kari Nordheim", "kari@online.example"),
    ("Sofie Madsen", "sofie.madsen@mail.example"), ("Aino Korhonen", "aino.korhonen@elisa.example"),
    ("Kadri Tamm", "kadri.tamm@hot.example"), ("Hiroshi Tanaka", "h.tanaka@docomo.example"),
    ("Grace Okafor", "grace.okafor@gmail.example"), ("Lukas Brandt", "lukas.brandt@gmx.example"),
    ("Camille Petit", "camille.petit@free.example"), ("Diego Navarro", "diego.navarro@telefonica.example"),
]  # fmt: skip
AGENTS = [("Robin Vale", "robin.vale@acme-support.com"), ("Support Desk", "desk@acme-support.com")]
TEXTS = [
    "My order 88213 still has not arrived and tracking shows nothing since Monday.",
    "I was charged twice for the same subscription this month, please refund one payment.",
    "The replacement part you sent does not fit the model I own.",
    "Could you change the delivery address to my office before it ships?",
    "Thank you so much for sorting this out so quickly, everything works now.",
    "This is the third time I ask: where is my refund for the returned jacket?",
]
REPLIES = [
    "Thank you for your message, we are looking into it.",
    "We have passed this on to the warehouse team.",
    "Your refund was approved and should arrive within five days.",
]


def fmt(template: str, lang: str, when: datetime, zone_word: str = "GMT+1") -> str:
    names = _names("nb" if lang == "nb" else lang)
    hour12 = when.hour % 12 or 12
    out = template.format(
        wd=names[DAY_KEYS[when.weekday()]][1], wda=names[DAY_KEYS[when.weekday()]][0],
        mon=names[MONTH_KEYS[when.month - 1]][1], mona=names[MONTH_KEYS[when.month - 1]][0],
        d=when.day, m=when.month, y=when.year, H=f"{when.hour:02d}", M=f"{when.minute:02d}", S=f"{when.second:02d}",
        h=hour12, p="AM" if when.hour < 12 else "PM", z=zone_word, who="{who}",
    )  # fmt: skip
    return out.replace("(?)", "({})".format("月火水木金土日"[when.weekday()]))


def _label(lang: str, label: str) -> str:
    # French Outlook puts a (non-breaking) space before the colon.
    return f"{label}\u00a0:" if LANGS[lang].get("french_colon") else f"{label}:"


def _zone(lang: str) -> tuple[str, timezone]:
    word, minutes = ZONES.get(lang, ("GMT+1", 60))
    return word, timezone(timedelta(minutes=minutes))


def expected(msg: Msg, with_offset: bool) -> dict[str, Any]:
    when = msg.when if with_offset else msg.when.replace(tzinfo=None)
    return {"from_email": msg.email, "sent_at": when.isoformat(), "starts": msg.text[:30]}


def forward_block(client: str, lang: str, msg: Msg, to: str) -> tuple[str, bool] | None:
    """The forward header and quoted text of one message as `client` prints it in `lang`; whether the
    printed date carries its offset."""
    data = LANGS[lang]
    who = f"{msg.name} <{msg.email}>"
    if client == "gmail":
        date = fmt(data["gdate"], lang, msg.when)
        return (
            f"---------- Forwarded message ---------\n{data['gfrom']}: {who}\nDate: {date}\nSubject: {msg.text[:24]}\n"
            f"To: <{to}>\n\n\n{msg.text}\n",
            False,
        )
    if client in ("outlook", "new_outlook"):
        f, s, t, subj = data["ol"]
        date = fmt(data["odate"], lang, msg.when)
        rule = "________________________________\n" if client == "outlook" else ""
        head = f"{_label(lang, f)} {who}\n{_label(lang, s)} {date}\n{_label(lang, t)} {to}\n{_label(lang, subj)} {msg.text[:24]}"
        return f"{rule}{head}\n{'' if client == 'new_outlook' else chr(10)}{msg.text}\n", False
    if client == "apple" and data.get("apple"):
        sep, f, subj, d, t = data["apple"]
        word, _ = _zone(lang)
        date = fmt(data["adate"], lang, msg.when, word)
        lines = [f"{sep}:", "", f"{f}: {who}", f"{subj}: {msg.text[:24]}", f"{d}: {date}", f"{t}: {to}", "", msg.text]
        return "\n".join(f"> {line}" if line else ">" for line in lines) + "\n", True
    if client == "thunderbird" and data.get("tb"):
        sep, subj, d, f, t = data["tb"]
        date = msg.when.strftime("%a, %-d %b %Y %H:%M:%S %z")
        return (
            f"-------- {sep} --------\n{subj}: \t{msg.text[:24]}\n{d}: \t{date}\n{f}: \t{who}\n{t}: \t{to}\n\n\n\n{msg.text}\n",
            True,
        )
    if client == "yahoo" and data.get("yahoo"):
        sep, f, t, s, subj = data["yahoo"]
        word, _ = _zone(lang)
        date = fmt(data["ydate"], lang, msg.when, word)
        return (
            f'   ----- {sep} ----- {f}: {who}{t}: "{to}" <{to}>{s}: {date}{subj}: {msg.text[:24]}\n {msg.text}\n',
            True,
        )
    return None


def single_forward(rng: random.Random, client: str, lang: str, index: int) -> dict[str, Any] | None:
    name, email = CUSTOMERS[index % len(CUSTOMERS)]
    _, tz = _zone(lang)
    when = datetime(2022, 1 + index % 12, 1 + index % 27, 7 + index % 12, (index * 7) % 60, 0, tzinfo=tz)
    if client == "thunderbird":
        when = when.replace(second=(index * 13) % 60)
    msg = Msg(name, email, when, TEXTS[index % len(TEXTS)])
    if client == "apple":
        when = when.replace(second=(index * 11) % 60)
        msg = Msg(name, email, when, msg.text)
    if client == "yahoo":
        msg = Msg(name, email, when.replace(second=(index * 5) % 60), msg.text)
    block = forward_block(client, lang, msg, AGENTS[0][1])
    if block is None:
        return None
    text, offset = block
    return {
        "name": f"dev/{client}_{lang}_{index}",
        "source": f"{client} ({lang}) forward, generated by bench/thread_corpus.py (formats in its docstring)",
        "kind": "forward",
        "outer_date": when.astimezone(tz).strftime("%a, %d %b %Y 18:00:00 %z"),
        "text": f"Please take this one.\n\n{text}",
        "expected": [expected(msg, offset)],
    }


def chain(rng: random.Random, style: str, lang: str, index: int, length: int = 3) -> dict[str, Any] | None:
    """A reply chain the customer and an agent wrote, forwarded by the agent; newest on top."""
    data = LANGS[lang]
    if style == "gmail" and not data.get("reply"):
        return None
    name, email = CUSTOMERS[(index + 3) % len(CUSTOMERS)]
    _, tz = _zone(lang)
    start = datetime(2021, 3 + index % 9, 2 + index % 20, 8, (index * 11) % 60, tzinfo=tz)
    msgs = []
    for n in range(length):
        who = (name, email) if n % 2 == 0 else AGENTS[1]
        text = TEXTS[(index + n) % len(TEXTS)] if n % 2 == 0 else REPLIES[(index + n) % len(REPLIES)]
        msgs.append(Msg(who[0], who[1], start + timedelta(hours=5 * n + 1, minutes=7 * n), text))
    body = "Forwarding the whole conversation.\n\n"
    variant = VARIANTS.get((style, lang), ("plain",))[index % len(VARIANTS.get((style, lang), ("plain",)))]
    if style == "outlook":
        f, s, t, subj = data["ol"]
        for msg in reversed(msgs):
            date = fmt(data["odate"], lang, msg.when)
            who = f"{msg.name} <{msg.email}>"
            if variant == "mailto":  # Outlook 2010-2016: "Von: Name [mailto:a@b]"
                who = f"{msg.name} [mailto:{msg.email}]"
            elif variant == "ampm":  # Outlook in 12-hour Spanish locales (es-MX, es-US): "9:47 a. m."
                date = fmt(data["odate"].replace("{H}:{M}", "{h}:{M} {p}"), lang, msg.when)
                date = date.replace("AM", "a. m.").replace("PM", "p. m.")
            rule = f"{ORIGINAL[lang]}\n" if variant == "original" else ""
            body += (
                f"{rule}{_label(lang, f)} {who}\n{_label(lang, s)} {date}\n{_label(lang, t)} x@example.org\n"
                f"{_label(lang, subj)} RE: order\n\n{msg.text}\n\n"
            )
    else:
        newest, *older = list(reversed(msgs))
        body += (
            f"---------- Forwarded message ---------\n{data['gfrom']}: {newest.name} <{newest.email}>\n"
            f"Date: {fmt(data['gdate'], lang, newest.when)}\nSubject: Re: order\nTo: <desk@acme-support.com>\n\n\n"
            f"{newest.text}\n\n"
        )
        for depth, msg in enumerate(older):
            quote = "> " * depth
            template = {
                # web.de / GMX and Outlook for iOS in German
                "gmx": "{who} hat am {d:02}.{m:02}.{y} {H}:{M} geschrieben:",
                # Thunderbird in German: numeric date, two-digit year
                "thunderbird": "Am {d:02}.{m:02}.{y2} um {H}:{M} schrieb {who}:",
                # Gmail on Android in German: the sender first
                "android": "{who} schrieb am {wda}., {d}. {mona}. {y}, {H}:{M}:",
            }.get(variant, data["reply"])
            template = template.replace("{d:02}", f"{msg.when.day:02d}").replace("{m:02}", f"{msg.when.month:02d}")
            template = template.replace("{y2}", f"{msg.when.year % 100:02d}")
            attribution = fmt(template, lang, msg.when).replace("{who}", f"{msg.name} <{msg.email}>")
            body += f"{quote}{attribution}\n{'> ' * (depth + 1)}{msg.text}\n{'> ' * (depth + 1)}\n"
    return {
        "name": f"dev/{style}_chain_{lang}_{index}",
        "source": f"{style} ({lang}) reply chain, generated by bench/thread_corpus.py (formats in its docstring)",
        "kind": "thread",
        "outer_date": (msgs[-1].when + timedelta(hours=2)).strftime("%a, %d %b %Y %H:%M:%S %z"),
        "text": body,
        "expected": [expected(m, False) for m in msgs],
    }


def nested(rng: random.Random, client: str, lang: str, levels: int, index: int) -> dict[str, Any] | None:
    """A forward of a forward ... `levels` deep; each level forwarded by someone else."""
    _, tz = _zone(lang)
    people = [CUSTOMERS[(index + n) % len(CUSTOMERS)] for n in range(levels)]
    base = datetime(2022, 5, 1, 9, 0, tzinfo=tz)
    msgs = [Msg(p[0], p[1], base + timedelta(hours=3 * n, minutes=n), f"Level {n + 1}: {TEXTS[n % len(TEXTS)]}")
            for n, p in enumerate(people)]  # fmt: skip
    if index % 2:
        # Two agents forwarding the case back and forth with the same one-word note, as teams do.
        msgs = [msgs[0]] + [Msg(*AGENTS[n % 2], m.when, "FYI") for n, m in enumerate(msgs[1:])]
    if client in ("apple", "yahoo"):
        return None  # Apple quotes each level ('>' deeper every time), Yahoo's one-liners are tested singly
    # Newest level first: the forwarder's note, then the block of the message it forwards, and so on.
    text = "FYI, see below.\n\n"
    offsets = []
    for msg in reversed(msgs):
        block = forward_block(client, lang, msg, "next@acme-support.com")
        if block is None:
            return None
        offsets.append(block[1])
        text += block[0] + "\n"
    # Each block's own text sits right under its header; the older block follows it.
    return {
        "name": f"dev/{client}_nested_{levels}_{lang}_{index}",
        "source": f"{client} ({lang}) forward nested {levels} deep, generated by bench/thread_corpus.py",
        "kind": "thread",
        "outer_date": (msgs[-1].when + timedelta(days=1)).strftime("%a, %d %b %Y %H:%M:%S %z"),
        "text": text,
        "expected": [expected(m, offsets[0]) for m in msgs],
    }


def dev_cases(seed: int = 14) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    cases: list[dict[str, Any]] = []
    index = 0
    for lang in LANGS:
        for client in ("gmail", "outlook", "new_outlook", "apple", "thunderbird", "yahoo"):
            for _ in range(2):
                case = single_forward(rng, client, lang, index)
                index += 1
                if case:
                    cases.append(case)
    for lang in ("de", "fr", "es", "en", "ru", "pl", "sv", "nb", "fi", "tr"):
        for style in ("outlook", "gmail"):
            for n in range(8 if lang in ("de", "fr", "es") else 2):
                case = chain(rng, style, lang, index + n, 3 + n % 2)
                if case:
                    cases.append(case)
        index += 8
    for client, lang in (
        ("gmail", "en"),
        ("gmail", "de"),
        ("outlook", "en"),
        ("thunderbird", "fr"),
        ("new_outlook", "es"),
    ):
        case = nested(rng, client, lang, 11, index)
        index += 1
        if case:
            cases.append(case)
    return cases


def eml(case: dict[str, Any], number: int) -> bytes:
    """One case as the mail an agent sends to handoff (plain text, UTF-8)."""
    return (
        f"From: Robin Vale <robin.vale@acme-support.com>\nTo: cases@handoff.localhost\nSubject: Fwd: case {number}\n"
        f"Date: {case.get('outer_date', 'Tue, 1 Jan 2030 12:00:00 +0000')}\nMessage-ID: <bench-{number}@acme-support.com>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
        f"{case['text']}"
    ).encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="rewrite bench/data/threads/dev_generated.json")
    args = parser.parse_args(argv)
    cases = dev_cases()
    if args.write:
        about = "Generated by bench/thread_corpus.py; the dev split handoff is tuned on."
        data = {"split": "dev", "about": about, "cases": cases}
        (THREADS / "dev_generated.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    print(f"{len(cases)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
