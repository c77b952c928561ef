"""Writes bench/data/threads/tuned_v10.json (was heldout_v10.json; issue 14, helper h6, session 10, 2026-12-02).

A client no earlier split draws on (`grep -ril` over every file and builder in bench/data/threads found no SnappyMail,
RainLoop, FairEmail, Tutanota or Sylpheed case): SnappyMail (the-djmaze/snappymail, AGPL-3.0), the webmail that
forked RainLoop. `dev/View/Popup/Compose.js` (onShow) writes a reply as
`<p>` + i18n('COMPOSE/REPLY_MESSAGE_TITLE', {DATETIME, EMAIL}) + `:</p><blockquote>` + the quoted HTML, and a
forward as `<p>` + COMPOSE/FORWARD_MESSAGE_TOP_TITLE + `</p>` then GLOBAL/FROM, GLOBAL/TO, (GLOBAL/CC,)
COMPOSE/FORWARD_MESSAGE_TOP_SENT, GLOBAL/SUBJECT lines (": " after each label) and the forwarded text. EMAIL is
`from.toString(false, true)`: `"Name" <address>`, or the address alone when there is no name (our reading of its
EmailModel). DATETIME is timestampToString(date, 'FULL') = Date.format('LLL'), i.e.
Intl.DateTimeFormat(lang, {year, month: 'long', day, hour, minute}) ("8. März 2022 um 14:05", "8 marca 2022 14:05",
"2022年3月8日 14:05"), rendered by node's Intl in `extract.js` -> `strings.json`. No zone is printed, so every label
keeps the wall clock. The reply strings of seven translations (de, fr, ru, pl, nl, es, ja; ja keeps the English
"wrote") and the forward labels of five (de, fr, ru, pl, nl) were read; their commits are in strings.json.
SnappyMail writes HTML; the plain text here is our reading of it (the title line, a blank line only after a forward
banner's block, "> " quotes, the answer above the quote, as its editor puts the cursor there). Names, addresses and
words are ours. Committed before handoff was run on it; only its totals were read until session 10's h7 read its
misses (it is tuned_v10.json since).
Run: python bench/data/threads/v10_build/heldout.py bench/data/threads/tuned_v10.json
"""

# ruff: noqa: E501
# fmt: off
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "v4_build"))
from common import case_writer, msg, quote, save

STRINGS: dict[str, Any] = json.loads((Path(__file__).resolve().parent / "strings.json").read_text(encoding="utf-8"))
LANGS: dict[str, dict[str, Any]] = STRINGS["langs"]
COMPOSE_SRC = "the-djmaze/snappymail dev/View/Popup/Compose.js (onShow: reply title + ':' over a blockquote; forward block)"
DATE_SRC = f"date Date.format('LLL') = Intl.DateTimeFormat(lang, {{year, month: 'long', day, hour, minute}}) (dev/prototype.js), rendered by node {STRINGS['node']} ICU {STRINGS['icu']}"

CASES: list[dict[str, Any]] = []
case = case_writer(CASES, "v10h")
AGENT = ("Service Desk", "service@shop.example")
OURS = "We have passed this on to the warehouse."
FIRST, SECOND, OLDER, FOURTH = "2022-03-08T14:05:00", "2022-03-09T08:47:00", "2022-03-07T16:20:00", "2022-03-10T09:03:00"

# Two customers per language: (display name, address, their text, the agent's line above the quote)
PEOPLE: dict[str, list[tuple[str, str, str, str]]] = {
    "de": [("Jonas Becker", "jonas.becker@post.example", "Bei Bestellung 7341 fehlt das Ladegerät.", "Danke fürs Prüfen."),
           ("Miriam Schäfer", "m.schaefer@mail.example", "Die Rechnung 5520 ist doppelt abgebucht worden.", "Wir sehen uns das an.")],
    "fr": [("Camille Martin", "camille.martin@post.example", "La commande 7341 est arrivée sans chargeur.", "Merci de vérifier."),
           ("Hugo Lefèvre", "hugo.lefevre@mail.example", "Mon colis 5520 est bloqué depuis une semaine.", "Nous regardons cela.")],
    "ru": [("Дмитрий Орлов", "dmitry.orlov@post.example", "Заказ 7341 пришёл без зарядного устройства.", "Спасибо заранее."),
           ("Анна Смирнова", "anna.smirnova@mail.example", "По счёту 5520 деньги списали дважды.", "Мы проверим.")],
    "pl": [("Kacper Nowak", "kacper.nowak@post.example", "Zamówienie 7341 przyszło bez ładowarki.", "Dziękuję za sprawdzenie."),
           ("Zofia Wójcik", "zofia.wojcik@mail.example", "Faktura 5520 została pobrana dwa razy.", "Sprawdzimy to.")],
    "nl": [("Sanne de Vries", "sanne.devries@post.example", "Bestelling 7341 kwam zonder oplader.", "Bedankt voor het nakijken."),
           ("Daan Bakker", "daan.bakker@mail.example", "Factuur 5520 is twee keer afgeschreven.", "We kijken ernaar.")],
    "es": [("Lucía García", "lucia.garcia@post.example", "El pedido 7341 llegó sin el cargador.", "Gracias por revisarlo."),
           ("Pablo Romero", "pablo.romero@mail.example", "La factura 5520 se cobró dos veces.", "Lo revisamos.")],
    "ja": [("高橋 健太", "kenta.takahashi@post.example", "注文 7341 に充電器が入っていませんでした。", "確認をお願いします。"),
           ("佐藤 美咲", "misaki.sato@mail.example", "請求書 5520 が二重に引き落とされました。", "確認いたします。")],
}
FORWARD_LANGS = [lang for lang, s in LANGS.items() if "banner" in s]


def wall(when: str) -> str:
    return when[:16]  # SnappyMail prints no zone: the label keeps the wall clock only


def contact(name: str | None, email: str) -> str:
    return f'"{name}" <{email}>' if name else email


def attribution(lang: str, name: str | None, email: str, when: str) -> str:
    s = LANGS[lang]
    return s["reply"].replace("%DATETIME%", s["dates"][when]).replace("%EMAIL%", contact(name, email)) + ":"


def forward(lang: str, name: str | None, email: str, when: str, to: str, subject: str, cc: str | None = None) -> str:
    s = LANGS[lang]
    lines = [s["banner"], f"{s['from']}: {contact(name, email)}", f"{s['to']}: {to}"]
    if cc:
        lines.append(f"{s['cc']}: {cc}")
    lines += [f"{s['sent']}: {s['dates'][when]}", f"{s['subject']}: {subject}"]
    return "\n".join(lines)


def src(lang: str, what: str) -> str:
    return f"SnappyMail ({lang}) {what}, from {COMPOSE_SRC} and {LANGS[lang]['source']}; {DATE_SRC}; our names and words"


# -- replies: two customers x two times per language, the answer above the quote ------------------------------
for lang in LANGS:
    for who, when in ((0, FIRST), (1, SECOND), (0, FOURTH), (1, OLDER)):
        name, email, text, ours = PEOPLE[lang][who]
        body = f"{ours}\n\n{attribution(lang, name, email, when)}\n" + quote(text) + "\n"
        case(f"reply_{lang}_{who}_{when[11:13]}{when[14:16]}", src(lang, f"reply at {when[11:16]}"), body, [msg(email, wall(when), text)])

# a quoted signature, and a longer quote with a blank line in it
for lang in LANGS:
    name, email, text, ours = PEOPLE[lang][0]
    body = f"{ours}\n\n{attribution(lang, name, email, FIRST)}\n" + quote(f"{text}\n\n-- \n{name}") + "\n"
    case(f"reply_signature_{lang}", src(lang, "reply, the quoted text ending in a signature"), body, [msg(email, wall(FIRST), text)])
    name2, email2, text2, ours2 = PEOPLE[lang][1]
    body = f"{ours2}\n\n{attribution(lang, name2, email2, SECOND)}\n" + quote(f"{text2}\n\n{text}") + "\n"
    case(f"reply_two_paragraphs_{lang}", src(lang, "reply quoting two paragraphs"), body, [msg(email2, wall(SECOND), text2)])

# a sender with no display name: EMAIL is the address alone
for lang in LANGS:
    name, email, text, ours = PEOPLE[lang][1]
    body = f"{ours}\n\n{attribution(lang, None, email, FIRST)}\n" + quote(text) + "\n"
    case(f"reply_bare_{lang}", src(lang, "reply to a sender with no display name"), body, [msg(email, wall(FIRST), text)])

# -- forwards ---------------------------------------------------------------------------------------------------
for lang in FORWARD_LANGS:
    for who, when, cc in ((0, FIRST, None), (1, SECOND, "warehouse@shop.example"), (1, FOURTH, None)):
        name, email, text, _ = PEOPLE[lang][who]
        block = forward(lang, name, email, when, AGENT[1], "Order 7341", cc)
        case(f"forward_{lang}_{who}_{when[11:13]}{when[14:16]}", src(lang, f"inline forward{', with Cc' if cc else ''}"),
             f"FYI\n\n{block}\n\n{text}\n", [msg(email, wall(when), text)])
    name, email, text, _ = PEOPLE[lang][0]
    case(f"forward_bare_{lang}", src(lang, "inline forward of a sender with no display name"),
         f"FYI\n\n{forward(lang, None, email, OLDER, AGENT[1], 'Order 7341')}\n\n{text}\n", [msg(email, wall(OLDER), text)])

# -- two-message chains ----------------------------------------------------------------------------------------
for lang in ("de", "fr", "ru", "pl", "nl", "ja"):
    name, email, text, ours = PEOPLE[lang][0]
    older = attribution(lang, name, email, OLDER) + "\n" + quote(text)
    newer = attribution(lang, AGENT[0], AGENT[1], FIRST)
    case(f"chain_{lang}", src(lang, "reply chain: our SnappyMail reply quoting the customer's SnappyMail-quoted text"),
         f"{ours}\n\n{newer}\n" + quote(f"{OURS}\n\n{older}") + "\n",
         [msg(email, wall(OLDER), text), msg(AGENT[1], wall(FIRST), OURS)])
for lang in ("de", "nl"):
    name, email, text, _ = PEOPLE[lang][1]
    case(f"forward_of_reply_{lang}", src(lang, "forward of our reply, which quotes the customer in SnappyMail's attribution"),
         f"FYI\n\n{forward(lang, AGENT[0], AGENT[1], FIRST, email, 'Re: 5520')}\n\n{OURS}\n\n{attribution(lang, name, email, OLDER)}\n" + quote(text) + "\n",
         [msg(email, wall(OLDER), text), msg(AGENT[1], wall(FIRST), OURS)])

# -- texts that quote nothing ----------------------------------------------------------------------------------
case("nothing_de_am_schrieb", "A German customer text with 'Am <date> ... schrieb' inside a sentence, no quote; our words",
     "Am 8. März 2022 um 14:05 schrieb ich Ihnen schon einmal,\naber niemand hat geantwortet.\nBitte melden Sie sich.\n",
     [], kind="quotes-nothing")
case("nothing_nl_schreef_op", "A Dutch customer text with 'schreef op <date>' inside a sentence, no quote; our words",
     "Mijn buurman schreef op 8 maart 2022 om 14:05 ook al een klacht.\nWanneer komt de monteur?\n",
     [], kind="quotes-nothing")


def main(out: str) -> None:
    data = {
        "split": "heldout",
        "about": (
            "Tenth held-out split (issue 14, helper h6, session 10): SnappyMail's reply title and inline forward in seven "
            "translations (Intl 'LLL' dates), from its repository's code and translations, with our own names and words. "
            "Committed before handoff was run on it. Never tuned on: only its totals are read."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
