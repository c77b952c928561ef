"""Writes bench/data/threads/tuned_v14.json, held out as heldout_v14.json until session 13's h6 (issue 14, helper h2, session 13, 2026-12-04).

A client no earlier split draws on (`grep -ril fairemail` over every file and builder in bench/data/threads found it only
in the lists of clients not yet used): FairEmail (M66B/FairEmail, GPL-3.0, an Android mail app), read with the
stored-repository tools (`find_files`/`read_file`/`find_string`). What the code writes, as read:

- header (app/src/main/java/eu/faircode/email/EntityMessage.java at 5eb8875273bd21005c344662d425458a014b006f,
  getReplyHeader): by default one line, `date + " " + MessageHelper.formatAddresses(from) + ":"`; formatAddresses
  (MessageHelper.java) gives `Name <address>` or the address alone, joined by ", ". With the extended_reply preference
  the header is instead title_from, title_to, (title_cc,) title_date and title_subject lines, each label (a translated
  string ending in ':') followed by a space and the value. With hide_timezone the date is
  SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss'Z'", Locale.US) in UTC; otherwise Helper.getDateTimeInstance(context)
  (MEDIUM date pattern + " " + the best "Hms"/"hms" time pattern, in the device's zone, no zone printed).
- use (FragmentCompose.java, the reply/forward draft): the same header over the referenced message for a reply and for a
  forward; a reply's body goes into a <blockquote> (quote_reply, on by default), a forward's into a plain <p>, so a
  forward is the header line and the text unquoted. The reference goes below the answer, or above it with the
  write-below preference (wb).
- dates: rendered by `extract.js` with node's Intl (ICU/CLDR, versions in strings.json) into strings.json, MEDIUM date
  + medium time, en-US on a 12-hour clock, the other seven on 24 hours: "Mar 8, 2022 2:05:09 PM", "08.03.2022 14:05:09",
  "8 mars 2022 14:05:09", "8 mar 2022 14:05:09", "8 mrt 2022 14:05:09", "8 мар. 2022 г. 14:05:09". Java's DateFormat on
  Android takes both patterns from the same CLDR data; that they match Android's exactly is our reading.
- labels of the extended header: typed from app/src/main/res/values*/strings.xml (commit per language in strings.json):
  only en ("From:", "To:", "CC:", "Date:", "Subject:") and es ("De:", "A:", "CC:", "Fecha:", "Asunto:") have title_date
  in the versions stored, so the extended header is written in those two only.

FairEmail composes HTML; its plain text here (the header line right above "> " lines, one blank line between the answer
and the header, '>' alone on an empty quoted line) is our reading. Kinds, in en, de, fr, es, nl, pl, it, ru: replies with
the answer above (two times), replies written below the quote, replies to a bare address, replies quoting two
paragraphs, replies quoting a signature, hide_timezone replies (UTC 'Z' date), forwards (the header over the unquoted
text), extended-header replies and forwards (en, es, with CC), two-message chains, forwards of a reply, and two texts
that quote nothing. Names, addresses and words are ours. Committed before handoff was run on it; only its totals were read
until helper h6 of session 13, when (after heldout_v15.json was frozen) its misses were read and fixed and it was renamed
tuned_v14.json (the "split" and "about" it writes are unchanged, so the file is rebuilt byte for byte).
Run: python bench/data/threads/v14_build/heldout.py bench/data/threads/tuned_v14.json
"""

# ruff: noqa: E501
# fmt: off
from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "v4_build"))
from common import case_writer, msg, save

STRINGS: dict[str, Any] = json.loads((Path(__file__).resolve().parent / "strings.json").read_text(encoding="utf-8"))
LANGS: dict[str, dict[str, Any]] = STRINGS["langs"]
CODE = ("M66B/FairEmail 5eb8875273bd21005c344662d425458a014b006f app/src/main/java/eu/faircode/email/EntityMessage.java "
        "(getReplyHeader), MessageHelper.java (formatAddresses), FragmentCompose.java (reply/forward reference), "
        "Helper.java (getDateTimeInstance, getTimePattern)")

CASES: list[dict[str, Any]] = []
case = case_writer(CASES, "v14h")
AGENT_NAME, AGENT = "Helpdesk Team", "help@shop.example"
FIRST, SECOND, THIRD, FOURTH, FIFTH = ("2022-03-08T14:05:09", "2022-03-09T08:47:30", "2022-11-23T19:30:00",
                                       "2022-06-01T10:12:44", "2022-01-17T21:03:15")

# Two customers per language: (display name, address, their text, the agent's line above the quote)
PEOPLE: dict[str, list[tuple[str, str, str, str]]] = {
    "en": [("Oliver Grant", "oliver.grant@post.example", "The charger I bought last week (order 7731) stopped working.", "Sorry about that, we will send a new one."),
           ("Emma Hughes", "e.hughes@inbox.example", "My invoice 5520 shows the wrong address.", "We have corrected it.")],
    "de": [("Jonas Becker", "jonas.becker@post.example", "Das Ladegerät aus Bestellung 7731 funktioniert nicht mehr.", "Das tut uns leid, wir schicken Ersatz."),
           ("Sabine Wolf", "s.wolf@inbox.example", "Auf meiner Rechnung 5520 steht die falsche Adresse.", "Wir haben sie korrigiert.")],
    "fr": [("Camille Bernard", "camille.bernard@post.example", "Le chargeur de ma commande 7731 ne fonctionne plus.", "Désolés, nous vous en envoyons un autre."),
           ("Hugo Lefèvre", "h.lefevre@inbox.example", "Ma facture 5520 porte une mauvaise adresse.", "Nous l'avons corrigée.")],
    "es": [("Lucía Navarro", "lucia.navarro@post.example", "El cargador del pedido 7731 ha dejado de funcionar.", "Lo sentimos, le enviamos otro."),
           ("Pablo Ortega", "p.ortega@inbox.example", "Mi factura 5520 tiene una dirección equivocada.", "La hemos corregido.")],
    "nl": [("Sanne de Vries", "sanne.devries@post.example", "De oplader van bestelling 7731 werkt niet meer.", "Excuses, we sturen een nieuwe."),
           ("Bram Jansen", "b.jansen@inbox.example", "Op mijn factuur 5520 staat het verkeerde adres.", "We hebben het aangepast.")],
    "pl": [("Katarzyna Nowak", "katarzyna.nowak@post.example", "Ładowarka z zamówienia 7731 przestała działać.", "Przepraszamy, wyślemy nową."),
           ("Piotr Wiśniewski", "p.wisniewski@inbox.example", "Na fakturze 5520 jest błędny adres.", "Poprawiliśmy go.")],
    "it": [("Chiara Romano", "chiara.romano@post.example", "Il caricabatterie dell'ordine 7731 non funziona più.", "Ci dispiace, ne spediamo un altro."),
           ("Luca Greco", "l.greco@inbox.example", "Sulla fattura 5520 c'è l'indirizzo sbagliato.", "L'abbiamo corretto.")],
    "ru": [("Анна Смирнова", "anna.smirnova@post.example", "Зарядное устройство из заказа 7731 перестало работать.", "Извините, мы отправим новое."),
           ("Дмитрий Козлов", "d.kozlov@inbox.example", "В счёте 5520 указан неверный адрес.", "Мы его исправили.")],
}
SECOND_PARAGRAPH = {"de": "Ich habe es schon an zwei Steckdosen probiert.", "fr": "J'ai déjà essayé deux prises.",
                    "es": "Ya lo he probado en dos enchufes.", "ru": "Я уже пробовал две розетки."}
# Our reply in each language (the middle message of the chains) and the customer's follow-up above it
OURS = {
    "en": ("The new charger left our warehouse today.", "It arrived, thank you."),
    "de": ("Das neue Ladegerät hat heute unser Lager verlassen.", "Es ist angekommen, danke."),
    "fr": ("Le nouveau chargeur est parti de notre entrepôt aujourd'hui.", "Il est arrivé, merci."),
    "es": ("El nuevo cargador ha salido hoy de nuestro almacén.", "Ya ha llegado, gracias."),
    "nl": ("De nieuwe oplader is vandaag verzonden.", "Hij is aangekomen, bedankt."),
    "pl": ("Nowa ładowarka wyjechała dziś z magazynu.", "Dotarła, dziękuję."),
    "it": ("Il nuovo caricabatterie è partito oggi dal magazzino.", "È arrivato, grazie."),
    "ru": ("Новое устройство сегодня отправлено со склада.", "Оно пришло, спасибо."),
}
PLEASE = {"en": "Please handle this one.", "de": "Bitte übernehmen.", "fr": "Merci de traiter ce message.",
          "es": "Por favor, atiéndalo.", "nl": "Graag oppakken.", "pl": "Proszę się tym zająć.",
          "it": "Per favore, gestitelo voi.", "ru": "Пожалуйста, займитесь этим."}


def fe_date(lang: str, when: str) -> str:
    return LANGS[lang]["dates"][when]


def utc_date(when: str, offset_hours: int) -> tuple[str, str]:
    """hide_timezone: the device's wall clock `when` at UTC+offset, printed as yyyy-MM-dd'T'HH:mm:ss'Z' in UTC; and the label."""
    local = datetime.fromisoformat(when)
    utc = local - timedelta(hours=offset_hours)
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ"), utc.isoformat() + "+00:00"


def addr(name: str | None, email: str) -> str:
    return f"{name} <{email}>" if name else email


def header(date: str, sender: str) -> str:
    return f"{date} {sender}:"


def extended(lang: str, sender: str, to: list[str], date: str, subject: str, cc: list[str] | None = None) -> str:
    s = LANGS[lang]
    lines = [f"{s['from']} {sender}", f"{s['to']} {', '.join(to)}"]
    if cc:
        lines.append(f"{s['cc']} {', '.join(cc)}")
    lines += [f"{s['date']} {date}", f"{s['subject']} {subject}"]
    return "\n".join(lines)


def fe_quote(text: str) -> str:
    return "\n".join((">" + (" " if not line.startswith(">") else "") + line).rstrip() if line else ">" for line in text.split("\n"))


def src(lang: str, what: str, labels: bool = False) -> str:
    s = LANGS[lang]
    parts = [f"FairEmail ({s['tag']}) {what}, from {CODE}",
             f"date: MEDIUM date + medium time of {s['tag']} ({'12' if s['h12'] else '24'}-hour), rendered by node {STRINGS['node']} Intl (ICU {STRINGS['icu']}, CLDR {STRINGS['cldr']})"]
    if labels:
        parts.append(f"labels from M66B/FairEmail {s['source']}")
    return "; ".join(parts) + "; our names, addresses and words"


# -- replies, default header, the answer above ---------------------------------------------------------------------
for lang in LANGS:
    for who, when in ((0, FIRST), (1, SECOND)):
        name, email, text, ours = PEOPLE[lang][who]
        case(f"reply_{lang}_{who}", src(lang, f"reply, default header line '<date> <from>:' at {when[11:]}"),
             f"{ours}\n\n{header(fe_date(lang, when), addr(name, email))}\n{fe_quote(text)}\n", [msg(email, when, text)])

# -- write below: the reference above the answer --------------------------------------------------------------------
for lang in LANGS:
    name, email, text, ours = PEOPLE[lang][1]
    case(f"reply_below_{lang}", src(lang, "reply with the write-below preference (the header and quote above the answer)"),
         f"{header(fe_date(lang, THIRD), addr(name, email))}\n{fe_quote(text)}\n\n{ours}\n", [msg(email, THIRD, text)])

# -- a sender with no display name ------------------------------------------------------------------------------------
for lang in ("de", "fr", "pl", "ru"):
    name, email, text, ours = PEOPLE[lang][0]
    case(f"reply_bare_address_{lang}", src(lang, "reply to a sender with no display name (formatAddresses gives the address alone)"),
         f"{ours}\n\n{header(fe_date(lang, FOURTH), email)}\n{fe_quote(text)}\n", [msg(email, FOURTH, text)])

# -- two quoted paragraphs ------------------------------------------------------------------------------------------------
for lang in SECOND_PARAGRAPH:
    name, email, text, ours = PEOPLE[lang][0]
    case(f"reply_two_paragraphs_{lang}", src(lang, "reply quoting two paragraphs (an empty quoted line is '>')"),
         f"{ours}\n\n{header(fe_date(lang, FIFTH), addr(name, email))}\n{fe_quote(text + chr(10) + chr(10) + SECOND_PARAGRAPH[lang])}\n",
         [msg(email, FIFTH, text)])

# -- the quoted text ends in the sender's signature ----------------------------------------------------------------------
for lang in ("it", "es", "nl"):
    name, email, text, ours = PEOPLE[lang][1]
    case(f"reply_quoted_signature_{lang}", src(lang, "reply whose quoted text ends in a '-- ' signature (remove_signatures is off by default)"),
         f"{ours}\n\n{header(fe_date(lang, SECOND), addr(name, email))}\n{fe_quote(text + chr(10) + chr(10) + '-- ' + chr(10) + name)}\n",
         [msg(email, SECOND, text)])

# -- hide_timezone: the date in UTC, ISO with 'Z' -------------------------------------------------------------------------
for lang, offset in (("en", -5), ("de", 1), ("nl", 1)):
    name, email, text, ours = PEOPLE[lang][0]
    printed, label = utc_date(FIRST, offset)
    case(f"reply_hide_timezone_{lang}", "FairEmail reply with the hide_timezone preference: SimpleDateFormat(\"yyyy-MM-dd'T'HH:mm:ss'Z'\", Locale.US) in UTC, from " + CODE + "; our names, addresses and words",
         f"{ours}\n\n{header(printed, addr(name, email))}\n{fe_quote(text)}\n", [msg(email, label, text)])

# -- forwards: the header line over the unquoted text ---------------------------------------------------------------------
for lang in LANGS:
    name, email, text, _ = PEOPLE[lang][0]
    case(f"forward_{lang}", src(lang, "forward: the same header line over the forwarded text in a plain <p> (not quoted)"),
         f"{PLEASE[lang]}\n\n{header(fe_date(lang, THIRD), addr(name, email))}\n{text}\n", [msg(email, THIRD, text)])

# -- the extended reply header (en, es) -------------------------------------------------------------------------------------
for lang in ("en", "es"):
    name, email, text, ours = PEOPLE[lang][0]
    block = extended(lang, addr(name, email), [addr(AGENT_NAME, AGENT)], fe_date(lang, FIRST), "7731")
    case(f"reply_extended_{lang}", src(lang, "reply with the extended_reply preference (From/To/Date/Subject lines) over the quote", labels=True),
         f"{ours}\n\n{block}\n{fe_quote(text)}\n", [msg(email, FIRST, text)])
    name, email, text, _ = PEOPLE[lang][1]
    block = extended(lang, addr(name, email), [addr(AGENT_NAME, AGENT)], fe_date(lang, FOURTH), "5520", cc=["billing@shop.example"])
    case(f"forward_extended_{lang}", src(lang, "forward with the extended_reply preference (From/To/CC/Date/Subject lines) over the unquoted text", labels=True),
         f"{PLEASE[lang]}\n\n{block}\n{text}\n", [msg(email, FOURTH, text)])

# -- two-message chains: the customer's FairEmail reply quoting our FairEmail reply, which quotes the customer ---------------
for lang in LANGS:
    name, email, text, _ = PEOPLE[lang][0]
    ours, follow = OURS[lang]
    our_reply = f"{ours}\n\n{header(fe_date(lang, FIRST), addr(name, email))}\n{fe_quote(text)}"
    case(f"chain_{lang}", src(lang, "reply chain: the customer's reply quoting our reply, which quotes the customer (the inner quote becomes '>>')"),
         f"{follow}\n\n{header(fe_date(lang, FOURTH), addr(AGENT_NAME, AGENT))}\n{fe_quote(our_reply)}\n",
         [msg(email, FIRST, text), msg(AGENT, FOURTH, ours)])

# -- forwards of a reply ------------------------------------------------------------------------------------------------------
for lang in ("de", "it"):
    name, email, text, _ = PEOPLE[lang][1]
    ours, _ = OURS[lang]
    case(f"forward_of_reply_{lang}", src(lang, "forward of our reply, which quotes the customer under its header line"),
         f"{PLEASE[lang]}\n\n{header(fe_date(lang, FOURTH), addr(AGENT_NAME, AGENT))}\n{ours}\n\n{header(fe_date(lang, SECOND), addr(name, email))}\n{fe_quote(text)}\n",
         [msg(email, SECOND, text), msg(AGENT, FOURTH, ours)])

# -- texts that quote nothing ----------------------------------------------------------------------------------------------------
case("nothing_de_date_address", "A German customer text with FairEmail's date, a name and an address and a colon inside a sentence, no quote; our words",
     f"Am {fe_date('de', FIRST)} habe ich Ihnen von jonas.becker@post.example geschrieben: bisher keine Antwort.\nBitte melden Sie sich.\n",
     [], kind="quotes-nothing")
case("nothing_en_time_colon", "An English customer text with FairEmail's date and a name ending in a colon on a line of its own, no quote; our words",
     f"My last order was placed on {fe_date('en', SECOND)} by my colleague:\nOliver Grant, who is away now.\nCan you check it?\n",
     [], kind="quotes-nothing")


def main(out: str) -> None:
    data = {
        "split": "heldout",
        "about": (
            "Fourteenth held-out split (issue 14, helper h2, session 13): FairEmail's reply and forward header line (its "
            "MEDIUM date and time in eight locales, rendered with ICU/CLDR through node's Intl) and its extended header in "
            "two translations, from its code and strings.xml, with our own names, addresses and words. Committed before "
            "handoff was run on it. Never tuned on: only its totals are read."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
