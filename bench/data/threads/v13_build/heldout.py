"""Writes bench/data/threads/tuned_v13.json, held out as heldout_v13.json until session 13 (issue 14, helper h5, session 11, 2026-12-02).

A client no earlier split draws on (`grep -ril squirrel` over every file and builder in bench/data/threads found
nothing): SquirrelMail 1.4.23-svn (GPL-2.0+), read with the stored-repository tools (`find_files`/`read_file`):
its code from jult/SquirrelMail at 028bc649 (a copy of the 1.4.23-svn tree, files dated 2019) and its translations
from the SquirrelMail SVN mirror sitle/squirrelmail-src, `trunk/locales/locale/<ll_CC>/LC_MESSAGES/squirrelmail.po`
(the locales module; each file's commit is in strings.json). What the code writes, as read:

- reply (src/compose.php, newMail 'reply'): `getReplyCitation($from, $date)` + the quoted text. The citation style is
  a user preference (include/load_prefs.php: reply_citation_style defaults to 'none'); 'date_time_author' prints
  `sprintf(_("On %s, %s wrote:"), getLongDateString($date), $from)` and 'author_said' `sprintf(_("%s wrote:"), $from)`,
  with `$from = getAddress(false)`: the sender's display name alone, or the address when there is none
  (class/mime/AddressStructure.class.php). Each original line is prefixed with body_quote '>' and a space, or with '>'
  alone when it already starts with '>' (so a quote inside the quote becomes '>>'); compose.php rtrims every line on
  send, so an empty quoted line is '>'.
- forward (getforwardHeader): a blank line, then `str_pad(' ' . _("Original Message") . ' ', $editor_size - 2, '-',
  STR_PAD_BOTH)` (editor_size 76), the Subject/From/Date/To(/Cc) lines with each label followed by ': ' and padded to
  the longest of the five translated labels (PHP strlen, so bytes in the translation's charset), From and To as
  getAddr_s prints them ('"Name" <a@b>', several addresses on lines of their own under the first), a line of 74
  dashes, a blank line and the forwarded text unquoted.
- date (functions/date.php): getLongDateString = date_intl(_("D, F j, Y g:i a")) for the default 12-hour preference,
  or _("D, F j, Y H:i") for 24-hour, with D and F replaced by the translated abbreviated weekday and full month name
  and the rest printed by PHP's date(), rendered here by `php_date` below (the subset of date() these formats use, with
  its backslash escapes). No zone is printed (the time is the server's local time), so every label keeps the wall
  clock.
- signature (showInputForm): with use_signature on and sig_first 0 (the default) the body is "\n\n" + citation and
  quote + "\n\n-- \n" + signature, so a customer's signature lands below the quote and their answer above it.

Kinds, in eight translations (de, fr, es, it, pl, cs, da, hu) and English: replies in the default 12-hour date, replies in the
24-hour date with the answer below the quote, 'author_said' replies (no date), replies to a sender with no display name
(the citation names the address), replies quoting a signature, replies with the customer's own signature below the
quote, forwards (some with Cc, one to two recipients) in the seven whose .po charset makes the label padding known (cs's and
hu's .po files are UTF-8 and their runtime charset may not be, so PHP's strlen is not known: no cs or hu forward;
it_IT's UTF-8 .po has ASCII labels only). da's 12-hour format 'l, j/n Y, h:i' prints no am/pm, so its afternoon times
move 12 hours back (the label is the time printed; `t` below). Two-message
chains, forwards of a reply, and two texts that quote nothing. The plain text around the strings (where the answer goes,
blank lines) is our reading of the compose form; names, addresses and words are ours. Committed before handoff was run
on it; only its totals were read until session 13, when (after heldout_v14.json was frozen) its misses were read and
fixed and it was renamed tuned_v13.json (the "split" and "about" it writes are unchanged, so the file is rebuilt byte for byte).
Run: python bench/data/threads/v13_build/heldout.py bench/data/threads/tuned_v13.json
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
from common import case_writer, msg, save

STRINGS: dict[str, Any] = json.loads((Path(__file__).resolve().parent / "strings.json").read_text(encoding="utf-8"))
LANGS: dict[str, dict[str, Any]] = STRINGS["langs"]
CODE = STRINGS["code"]
EDITOR_SIZE = 76  # include/load_prefs.php default

CASES: list[dict[str, Any]] = []
case = case_writer(CASES, "v13h")
AGENT_NAME, AGENT = "Store Support", "support@store.example"
FIRST, SECOND, THIRD, FOURTH = "2022-03-08T14:05", "2022-03-09T08:47", "2022-11-23T19:30", "2022-06-01T10:12"

# Two customers per language: (display name, address, their text, the agent's line above the quote)
PEOPLE: dict[str, list[tuple[str, str, str, str]]] = {
    "en": [("Paul Walker", "paul.walker@web.example", "The display of my device 8812 has been flickering since yesterday.", "Thank you for your patience."),
           ("Susan Reed", "s.reed@mailbox.example", "Parcel 4409 arrived damaged.", "We are looking into it.")],
    "de": [("Lena Hoffmann", "lena.hoffmann@web.example", "Das Display meines Geräts 8812 flackert seit gestern.", "Vielen Dank für Ihre Geduld."),
           ("Tobias Krüger", "t.krueger@mailbox.example", "Die Lieferung 4409 kam beschädigt an.", "Wir kümmern uns darum.")],
    "fr": [("Julie Moreau", "julie.moreau@web.example", "L'écran de mon appareil 8812 clignote depuis hier.", "Merci pour votre patience."),
           ("Antoine Roux", "antoine.roux@mailbox.example", "La livraison 4409 est arrivée abîmée.", "Nous nous en occupons.")],
    "es": [("Carmen Ruiz", "carmen.ruiz@web.example", "La pantalla de mi aparato 8812 parpadea desde ayer.", "Gracias por su paciencia."),
           ("Diego Torres", "diego.torres@mailbox.example", "El envío 4409 llegó dañado.", "Nos ocupamos de ello.")],
    "it": [("Giulia Ferrari", "giulia.ferrari@web.example", "Lo schermo del mio apparecchio 8812 sfarfalla da ieri.", "Grazie per la pazienza."),
           ("Marco Bianchi", "m.bianchi@mailbox.example", "La spedizione 4409 è arrivata danneggiata.", "Ce ne occupiamo noi.")],
    "pl": [("Agnieszka Lis", "agnieszka.lis@web.example", "Ekran mojego urządzenia 8812 miga od wczoraj.", "Dziękujemy za cierpliwość."),
           ("Michał Kowalczyk", "m.kowalczyk@mailbox.example", "Przesyłka 4409 dotarła uszkodzona.", "Zajmiemy się tym.")],
    "cs": [("Petra Dvořáková", "petra.dvorakova@web.example", "Displej mého zařízení 8812 od včerejška bliká.", "Děkujeme za trpělivost."),
           ("Jan Novák", "jan.novak@mailbox.example", "Zásilka 4409 dorazila poškozená.", "Postaráme se o to.")],
    "da": [("Mette Jensen", "mette.jensen@web.example", "Skærmen på min enhed 8812 har flimret siden i går.", "Tak for din tålmodighed."),
           ("Søren Nielsen", "s.nielsen@mailbox.example", "Pakke 4409 kom frem beskadiget.", "Vi tager os af det.")],
    "hu": [("Kovács Éva", "kovacs.eva@web.example", "A 8812-es készülékem kijelzője tegnap óta villog.", "Köszönjük a türelmét."),
           ("Nagy Péter", "nagy.peter@mailbox.example", "A 4409-es csomag sérülten érkezett.", "Intézkedünk."),],
}
# Our reply in each language (the middle message of the chains) and the customer's follow-up above it
OURS = {
    "en": ("A replacement part is on its way.", "It still flickers after the repair."),
    "de": ("Ein Ersatzteil ist unterwegs.", "Es flackert auch nach der Reparatur noch."),
    "fr": ("Une pièce de rechange est en route.", "Il clignote encore après la réparation."),
    "es": ("Una pieza de repuesto está en camino.", "Sigue parpadeando después de la reparación."),
    "it": ("Un pezzo di ricambio è in arrivo.", "Sfarfalla ancora dopo la riparazione."),
    "pl": ("Część zamienna jest w drodze.", "Nadal miga po naprawie."),
    "cs": ("Náhradní díl je na cestě.", "Bliká i po opravě."),
    "da": ("En reservedel er på vej.", "Den flimrer stadig efter reparationen."),
    "hu": ("A pótalkatrész úton van.", "A javítás után is villog."),
}
FORWARD_LANGS = [lang for lang in LANGS if lang not in ("cs", "hu")]  # UTF-8 .po files: padding bytes not known
PLEASE = {"en": "Please have a look.", "de": "Bitte ansehen.", "fr": "Merci de regarder.", "es": "Por favor, revíselo.",
          "it": "Per favore, controllate.", "pl": "Proszę sprawdzić.", "da": "Se venligst nedenfor."}


def php_date(fmt: str, when: datetime) -> str:
    """The part of PHP's date() that SquirrelMail's long-date formats use (j, d, m, n, Y, y, G, H, g, h, i, s, a, A; backslash escapes)."""
    out, i = [], 0
    while i < len(fmt):
        c = fmt[i]
        if c == "\\" and i + 1 < len(fmt):
            out.append(fmt[i + 1])
            i += 2
            continue
        hour12 = when.hour % 12 or 12
        table = {"j": str(when.day), "d": f"{when.day:02d}", "m": f"{when.month:02d}", "n": str(when.month),
                 "Y": str(when.year), "y": f"{when.year % 100:02d}", "G": str(when.hour), "H": f"{when.hour:02d}",
                 "g": str(hour12), "h": f"{hour12:02d}", "i": f"{when.minute:02d}", "s": f"{when.second:02d}",
                 "a": "am" if when.hour < 12 else "pm", "A": "AM" if when.hour < 12 else "PM",
                 "w": str((when.weekday() + 1) % 7)}
        if c in table:
            out.append(table[c])
        elif c.isalpha():
            raise ValueError(f"date() letter {c!r} in {fmt!r} is not rendered here")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def long_date(lang: str, when: str, hour24: bool = False) -> str:
    """functions/date.php getLongDateString -> date_intl: D, F, l, M swapped for $1..$4, date(), then the names."""
    s = LANGS[lang]
    stamp = datetime.fromisoformat(when)
    fmt = s["fmt24"] if hour24 else s["fmt12"]
    marked = fmt.replace("D", "$1").replace("F", "$2").replace("l", "$3").replace("M", "$4")
    parts = php_date("w#m#" + marked, stamp).split("#")
    if "$4" in parts[2]:
        raise ValueError("abbreviated month names are not in strings.json")
    out = parts[2].replace("$1", s["day_abbr"][int(parts[0])])
    if "$3" in out and "day_full" not in s:
        raise ValueError("full weekday names are not in strings.json")
    if "$3" in out:
        out = out.replace("$3", s["day_full"][int(parts[0])])
    return out.replace("$2", s["month_names"][int(parts[1]) - 1])


def t(lang: str, when: str, hour24: bool = False) -> str:
    """A time a 12-hour format without am/pm (da's 'h:i') can print unambiguously: afternoon times move 12 hours back."""
    fmt = LANGS[lang]["fmt24" if hour24 else "fmt12"]
    stamp = datetime.fromisoformat(when)
    if any(c in fmt for c in "gh") and not any(c in fmt for c in "aA") and stamp.hour >= 12:
        return stamp.replace(hour=stamp.hour - 12).isoformat(timespec="minutes")
    return when


def citation(lang: str, who: str, when: str | None, hour24: bool = False) -> str:
    s = LANGS[lang]
    if when is None:
        return s["wrote"].replace("%s", who)
    return s["on_wrote"].replace("%s", long_date(lang, when, hour24), 1).replace("%s", who, 1)


def sq_quote(text: str) -> str:
    """newMail 'reply': '>' + ' ' + line, or '>' + line when the line already starts with '>'; rtrim on send."""
    return "\n".join(("> " + line if not line.startswith(">") else ">" + line).rstrip() for line in text.split("\n"))


def reply(lang: str, who: str, when: str | None, original: str, hour24: bool = False) -> str:
    return citation(lang, who, when, hour24) + "\n" + sq_quote(original)


def strlen(lang: str, text: str) -> int:
    return len(text.encode(LANGS[lang]["charset"]))


def forward_block(lang: str, sender: str, when: str, to: list[str], subject: str, cc: list[str] | None = None) -> str:
    """getforwardHeader, without the leading blank line."""
    s = LANGS[lang]
    labels = {k: s[k] for k in ("subject", "from", "date", "to", "cc")}
    width = max(strlen(lang, v) for v in labels.values())
    indent = " " * (width + 2)

    def label(k: str) -> str:
        return labels[k] + ": " + " " * (width - strlen(lang, labels[k]))

    title = " " + s["original"] + " "
    pad = EDITOR_SIZE - 2 - strlen(lang, title)
    banner = "-" * (pad // 2) + title + "-" * (pad - pad // 2)
    lines = [banner, label("subject") + subject, label("from") + sender, label("date") + long_date(lang, when),
             label("to") + ("\n" + indent).join(to)]
    if cc:
        lines.append(label("cc") + ("\n" + indent).join(cc))
    lines.append("-" * (EDITOR_SIZE - 2))
    return "\n".join(lines)


def full(name: str, email: str) -> str:
    return f'"{name}" <{email}>'


def src(lang: str, what: str, date: bool = True) -> str:
    parts = [f"SquirrelMail 1.4.23-svn ({lang}) {what}, from {CODE['compose']}", CODE["address"]]
    if date:
        parts.append(CODE["date"])
    parts.append(f"strings of {LANGS[lang]['source']}")
    return "; ".join(parts) + "; our names, addresses and words"


def wall(when: str) -> str:
    return when  # SquirrelMail prints no zone: the label keeps the wall clock


# -- replies, 'date_time_author' citation, default 12-hour date, the answer above --------------------------------
for lang in LANGS:
    for who, when in ((0, FIRST), (1, SECOND)):
        when = t(lang, when)
        name, email, text, ours = PEOPLE[lang][who]
        case(f"reply_{lang}_{who}", src(lang, f"reply, 'On %s, %s wrote:' citation, 12-hour date (the default), at {when[11:]}"),
             f"{ours}\n\n{reply(lang, name, when, text)}\n", [msg("", wall(when), text, name=name)])

# -- the 24-hour date preference, the answer below the quote ------------------------------------------------------
for lang in LANGS:
    name, email, text, ours = PEOPLE[lang][1]
    case(f"reply_24h_below_{lang}", src(lang, "reply, 'On %s, %s wrote:' citation, 24-hour date preference, the answer below the quote"),
         f"{reply(lang, name, THIRD, text, hour24=True)}\n\n{ours}\n", [msg("", wall(THIRD), text, name=name)])

# -- 'author_said' citation: no date ------------------------------------------------------------------------------
for lang in LANGS:
    name, email, text, ours = PEOPLE[lang][0]
    case(f"reply_author_said_{lang}", src(lang, "reply, 'author_said' citation ('%s wrote:', no date)", date=False),
         f"{ours}\n\n{reply(lang, name, None, text)}\n", [msg("", None, text, name=name)])

# -- a sender with no display name: the citation names the address ------------------------------------------------
for lang in ("de", "fr", "pl", "cs", "da"):
    name, email, text, ours = PEOPLE[lang][1]
    case(f"reply_bare_address_{lang}", src(lang, "reply to a sender with no display name (getAddress(false) gives the address)"),
         f"{ours}\n\n{reply(lang, email, FOURTH, text)}\n", [msg(email, wall(FOURTH), text)])

# -- the quoted text ends in the sender's signature -----------------------------------------------------------------
for lang in ("en", "es", "it", "cs", "hu"):
    name, email, text, ours = PEOPLE[lang][0]
    case(f"reply_quoted_signature_{lang}", src(lang, "reply whose quoted text ends in a '-- ' signature (strip_sigs is off by default)"),
         f"{ours}\n\n{reply(lang, name, SECOND, text + chr(10) + chr(10) + '-- ' + chr(10) + name)}\n", [msg("", wall(SECOND), text, name=name)])

# -- the replier's own signature below the quote (use_signature on, sig_first 0) ----------------------------------
for lang in ("de", "fr", "pl", "da", "hu"):
    name, email, text, ours = PEOPLE[lang][0]
    case(f"reply_own_signature_{lang}", src(lang, "reply with the replier's signature on: answer, citation and quote, then '-- ' and the signature below (showInputForm, sig_first 0)"),
         f"{ours}\n\n{reply(lang, name, FOURTH, text)}\n\n-- \n{AGENT_NAME}\n", [msg("", wall(FOURTH), text, name=name)])

# -- forwards --------------------------------------------------------------------------------------------------------
for lang in FORWARD_LANGS:
    for who, when, cc in ((0, FIRST, None), (1, THIRD, ["returns@store.example"])):
        when = t(lang, when)
        name, email, text, _ = PEOPLE[lang][who]
        block = forward_block(lang, full(name, email), when, [full(AGENT_NAME, AGENT)], "8812", cc)
        case(f"forward_{lang}_{who}", src(lang, f"forward (getforwardHeader: centred 'Original Message' banner, padded labels{', Cc' if cc else ''}, a line of dashes)"),
             f"{PLEASE[lang]}\n\n{block}\n\n{text}\n", [msg(email, wall(when), text)])
for lang in ("en", "pl"):
    name, email, text, _ = PEOPLE[lang][1]
    block = forward_block(lang, email, SECOND, [full(AGENT_NAME, AGENT), "sales@store.example"], "4409")
    case(f"forward_two_recipients_{lang}", src(lang, "forward of a mail from a bare address to two recipients (the second on its own indented line)"),
         f"{PLEASE[lang]}\n\n{block}\n\n{text}\n", [msg(email, wall(SECOND), text)])

# -- two-message chains: the customer's reply quoting our reply, which quotes the customer -------------------------
for lang in LANGS:
    name, email, text, _ = PEOPLE[lang][0]
    ours, follow = OURS[lang]
    first = t(lang, FIRST)
    our_reply = f"{ours}\n\n{reply(lang, name, first, text)}"
    case(f"chain_{lang}", src(lang, "reply chain: the customer's reply quoting our reply, which quotes the customer (the inner quote becomes '>>')"),
         f"{follow}\n\n{reply(lang, AGENT_NAME, FOURTH, our_reply)}\n",
         [msg("", wall(first), text, name=name), msg("", wall(FOURTH), ours, name=AGENT_NAME)])

# -- forwards of a reply ---------------------------------------------------------------------------------------------
for lang in ("de", "es"):
    name, email, text, _ = PEOPLE[lang][1]
    ours, _ = OURS[lang]
    block = forward_block(lang, full(AGENT_NAME, AGENT), FOURTH, [full(name, email)], "Re: 4409")
    case(f"forward_of_reply_{lang}", src(lang, "forward of our reply, which quotes the customer under its citation"),
         f"{PLEASE[lang]}\n\n{block}\n\n{ours}\n\n{reply(lang, name, SECOND, text)}\n",
         [msg("", wall(SECOND), text, name=name), msg(AGENT, wall(FOURTH), ours)])

# -- texts that quote nothing ----------------------------------------------------------------------------------------
case("nothing_de_schrieb", "A German customer text with SquirrelMail's long date and 'schrieb' inside a sentence, no quote; our words",
     f"Am {long_date('de', FIRST)} schrieb mir Ihr Kollege, dass das Paket unterwegs ist.\nEs ist bis heute nicht angekommen.\n",
     [], kind="quotes-nothing")
case("nothing_fr_message_original", "A French customer text naming 'Message original' and a date in a sentence, no quote; our words",
     f"Le message original du {long_date('fr', SECOND)} a disparu de ma boîte.\nPouvez-vous me le renvoyer ?\n",
     [], kind="quotes-nothing")


def main(out: str) -> None:
    data = {
        "split": "heldout",
        "about": (
            "Thirteenth held-out split (issue 14, helper h5, session 11): SquirrelMail 1.4.23-svn's reply citations and "
            "forward header in eight translations and English (its own long-date strings), from its code and its locales' "
            ".po files, with our own names, addresses and words. Committed before handoff was run on it. Never tuned on: "
            "only its totals are read."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
