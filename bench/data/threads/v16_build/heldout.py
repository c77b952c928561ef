"""Writes bench/data/threads/heldout_v16.json (issue 14, helper h7, session 13, 2026-12-04).

A client no earlier split draws on (`grep -ril mailpile` over bench/data/threads finds nothing): Mailpile
(mailpile/Mailpile, AGPL-3.0), read with the stored-repository tools (`find_files`/`read_file`). What the code writes,
as read in mailpile/plugins/compose.py at 74d1eea99bdb892555b0cf191b612b9340df1c48:

- reply (Reply.CreateReply): for each message replied to, the text parts are joined (reflowed to the line length when
  that is over 40; our lines are short enough to stay as they are), `_('%s wrote:') % t['headers_lc']['from']` (the
  raw From header: "Name <a@b>", a bare "a@b", or a quoted '"Last, First" <a@b>' as the sender's client wrote it),
  a newline and the text are put together, every "\\n" becomes "\\n> " (so the attribution line stays bare, every
  line after it gets "> ", an empty line becomes "> ", a text ending in a newline ends in a "> " line, and an inner
  "> " quote becomes "> > "), and the body starts with two newlines: the writer types on the first line, above it.
  No date is printed in a reply.
- forward (Forward.CreateForward): '-------- Original Message --------', then 'Date: ', 'Subject: ', 'From: ', 'To: '
  lines with the raw header values (not translated), a blank line and the forwarded text, NOT quoted.
- dates: only in a forward, the raw Date header as the sender's client wrote it (RFC 5322; we write it with Python's
  email.utils.format_datetime, with the sender's offset), so the expected sent_at carries that offset.
- translations: the attribution's msgid "%s wrote:" (compose.py:502) in shared-data/locale/*/LC_MESSAGES/mailpile.po
  at 3390d3f9303e542ea51dae761737d2ff6647b6c6: de "%s schrieb:", fr_FR "%s a écrit :" (read by offset; the other
  languages were left for a later split). The forward block has no translated string.

Kinds, in en, de, fr: replies (named senders, with our typed sign-off and without), replies to a bare address, to a
quoted "Last, First" name, to names with accents or an apostrophe, quoting two paragraphs, quoting the customer's '-- ' signature; forwards at three dates
and offsets, to two recipients, from a bare address, with our text above; two-message chains (our Mailpile reply
quoted in the customer's Mailpile reply, "> > "), forwards of our reply, forwards of a colleague's forward, three-message chains (en, de), and two texts
that quote nothing. Names, addresses and words are ours. Committed before handoff was run on it; only its totals are
read.
Run: python bench/data/threads/v16_build/heldout.py bench/data/threads/heldout_v16.json
"""

# ruff: noqa: E501
# fmt: off
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "v4_build"))
from common import case_writer, msg, save

CODE = ("mailpile/Mailpile mailpile/plugins/compose.py at 74d1eea99bdb892555b0cf191b612b9340df1c48 "
        "(Reply.CreateReply, Forward.CreateForward)")
PO = "shared-data/locale/{}/LC_MESSAGES/mailpile.po at 3390d3f9303e542ea51dae761737d2ff6647b6c6, msgid \"%s wrote:\""
WROTE = {"en": ("%s wrote:", "the msgid (English is the source language)"),
         "de": ("%s schrieb:", PO.format("de")),
         "fr": ("%s a écrit :", PO.format("fr_FR"))}
BANNER = "-------- Original Message --------"

CASES: list[dict[str, Any]] = []
case = case_writer(CASES, "v16h")
AGENT_NAME, AGENT = "Helpdesk Team", "help@shop.example"
AGENT_FROM = f"{AGENT_NAME} <{AGENT}>"

# (wall clock, offset in hours) of the Date headers a forward prints
TIMES = [("2022-03-08T14:05:00", 1), ("2022-07-19T09:40:00", 2), ("2022-11-02T17:25:00", -5)]

PEOPLE: dict[str, list[tuple[str, str, str, str]]] = {
    "en": [("Grace Whitfield", "grace.whitfield@post.example", "The kettle from order 5120 leaks at the base.", "Sorry, a new kettle is on its way."),
           ("Owen Barker", "o.barker@inbox.example", "My invoice for June shows the wrong address.", "We have corrected the invoice.")],
    "de": [("Jana Vogel", "jana.vogel@post.example", "Der Wasserkocher aus Auftrag 5120 tropft.", "Ein neuer Wasserkocher ist unterwegs."),
           ("Moritz Brandt", "m.brandt@inbox.example", "Auf meiner Juni-Rechnung steht die falsche Adresse.", "Die Rechnung ist korrigiert.")],
    "fr": [("Camille Roux", "camille.roux@post.example", "La bouilloire de la commande 5120 fuit par le bas.", "Une nouvelle bouilloire est en route."),
           ("Bastien Leroy", "b.leroy@inbox.example", "Ma facture de juin porte la mauvaise adresse.", "Nous avons corrigé la facture.")],
}
SECOND_PARAGRAPH = {"en": "I still have the box.", "de": "Den Karton habe ich noch.", "fr": "J'ai encore le carton."}
SIGN_OFF = {"en": "Best regards,\nHelpdesk Team", "de": "Viele Grüße\nHelpdesk Team", "fr": "Cordialement,\nHelpdesk Team"}
OURS = {
    "en": ("A replacement left our warehouse today.", "It arrived and works, thanks.", "Glad to hear it."),
    "de": ("Der Ersatz hat heute unser Lager verlassen.", "Er ist angekommen und geht, danke.", "Das freut uns."),
    "fr": ("Le remplacement est parti aujourd'hui.", "Il est arrivé et marche, merci.", "Tant mieux."),
}
PLEASE = {"en": "Can you take this one?", "de": "Kannst du das übernehmen?", "fr": "Tu peux t'en occuper ?"}
SUBJECT = {"en": "Order 5120", "de": "Auftrag 5120", "fr": "Commande 5120"}


def header_date(when: str, hours: int) -> str:
    return format_datetime(datetime.fromisoformat(when).replace(tzinfo=timezone(timedelta(hours=hours))))


def iso(when: str, hours: int) -> str:
    return datetime.fromisoformat(when).replace(tzinfo=timezone(timedelta(hours=hours))).isoformat()


def reply_block(lang: str, from_header: str, text: str) -> str:
    """CreateReply: attribution, newline, the text (ending in a newline), every newline followed by '> '."""
    return ((WROTE[lang][0] % from_header) + "\n" + text + "\n").replace("\n", "\n> ")


def forward_block(lang: str, when: tuple[str, int], from_header: str, text: str, to: str = AGENT_FROM) -> str:
    lines = [BANNER, f"Date: {header_date(*when)}", f"Subject: {SUBJECT[lang]}", f"From: {from_header}", f"To: {to}"]
    return "\n".join(lines) + "\n\n" + text + "\n"


def draft(top: str, block: str) -> str:
    """The writer's text on the first line, then the body Mailpile made (it starts with two newlines)."""
    return f"{top}\n\n{block}\n"


def src(lang: str, what: str) -> str:
    return (f"Mailpile ({lang}) {what}, from {CODE}; attribution string: '{WROTE[lang][0]}' from {WROTE[lang][1]}; "
            "our names, addresses and words")


def named(name: str, email: str) -> str:
    return f"{name} <{email}>"


# -- replies: named senders, with our typed sign-off and without ------------------------------------------------------------
for lang in WROTE:
    for i in range(4):
        name, email, text, ours = PEOPLE[lang][i % 2]
        top = f"{ours}\n\n{SIGN_OFF[lang]}" if i >= 2 else ours
        what = "reply, our sign-off typed above the quote" if i >= 2 else "reply"
        case(f"reply_{lang}_{i}", src(lang, f"{what}: the raw From header, '{WROTE[lang][0]}', the text quoted with '> ' and a last '> ' line"),
             draft(top, reply_block(lang, named(name, email), text)), [msg(email, None, text)])

# -- a bare address as the From header -------------------------------------------------------------------------------------------
for lang in WROTE:
    for i in range(2):
        _, email, text, ours = PEOPLE[lang][i]
        case(f"reply_bare_address_{lang}_{i}", src(lang, "reply to a sender whose From header is a bare address"),
             draft(ours, reply_block(lang, email, text)), [msg(email, None, text)])

# -- a quoted "Last, First" display name, as the sender's client wrote the header -------------------------------------------------
for lang, display in (("en", "Whitfield, Grace"), ("de", "Vogel, Jana"), ("fr", "Roux, Camille")):
    _, email, text, ours = PEOPLE[lang][0]
    case(f"reply_quoted_name_{lang}", src(lang, "reply to a From header with a quoted display name holding a comma"),
         draft(ours, reply_block(lang, f'"{display}" <{email}>', text)), [msg(email, None, text)])

# -- two quoted paragraphs: the empty line becomes "> " ------------------------------------------------------------------------------
for lang in WROTE:
    name, email, text, ours = PEOPLE[lang][0]
    case(f"reply_two_paragraphs_{lang}", src(lang, "reply quoting two paragraphs (the empty line between becomes '> ')"),
         draft(ours, reply_block(lang, named(name, email), f"{text}\n\n{SECOND_PARAGRAPH[lang]}")), [msg(email, None, text)])

# -- the quoted text ends in the customer's signature -----------------------------------------------------------------------------
for lang in WROTE:
    name, email, text, ours = PEOPLE[lang][1]
    case(f"reply_quoted_signature_{lang}", src(lang, "reply whose quoted text ends in the customer's '-- ' signature"),
         draft(ours, reply_block(lang, named(name, email), f"{text}\n\n-- \n{name}")), [msg(email, None, text)])

# -- forwards: banner, Date/Subject/From/To with raw values, blank line, the text unquoted -----------------------------------------
for lang in WROTE:
    for i, when in enumerate(TIMES):
        name, email, text, _ = PEOPLE[lang][i % 2]
        case(f"forward_{lang}_{i}", src(lang, f"forward: '{BANNER}', Date/Subject/From/To with the raw headers (Date offset {when[1]:+d} h), the text not quoted"),
             draft(PLEASE[lang], forward_block(lang, when, named(name, email), text)), [msg(email, iso(*when), text)])
    name, email, text, _ = PEOPLE[lang][1]
    case(f"forward_two_to_{lang}", src(lang, "forward of a mail sent to two recipients (the raw To header)"),
         draft(PLEASE[lang], forward_block(lang, TIMES[1], named(name, email), text, f"{AGENT_FROM}, Billing <billing@shop.example>")),
         [msg(email, iso(*TIMES[1]), text)])
    _, email, text, _ = PEOPLE[lang][0]
    case(f"forward_bare_from_{lang}", src(lang, "forward of a mail whose From header is a bare address"),
         draft(PLEASE[lang], forward_block(lang, TIMES[2], email, text)), [msg(email, iso(*TIMES[2]), text)])
    name, email, text, _ = PEOPLE[lang][0]
    case(f"forward_signed_{lang}", src(lang, "forward with our note and sign-off typed above the banner"),
         draft(f"{PLEASE[lang]}\n\n{SIGN_OFF[lang]}", forward_block(lang, TIMES[0], named(name, email), text)),
         [msg(email, iso(*TIMES[0]), text)])

# -- display names with accents and an apostrophe, as the sender's client wrote them ---------------------------------------------------
for lang, name in (("en", "Siobhán O'Neill"), ("de", "Jörg Weiß"), ("fr", "Hélène Dupré-Lefèvre")):
    _, email, text, ours = PEOPLE[lang][1]
    case(f"reply_accented_name_{lang}", src(lang, "reply to a sender whose display name holds accents or an apostrophe"),
         draft(ours, reply_block(lang, named(name, email), text)), [msg(email, None, text)])

# -- two-message chains: the customer's Mailpile reply quoting our Mailpile reply ---------------------------------------------------
for lang in WROTE:
    for i in range(2):
        name, email, text, _ = PEOPLE[lang][i]
        ours, follow, _ = OURS[lang]
        our_reply = f"{ours}\n\n" + reply_block(lang, named(name, email), text)
        case(f"chain_{lang}_{i}", src(lang, "reply chain: the customer's reply quoting our reply, which quotes the customer ('> > ')"),
             draft(follow, reply_block(lang, AGENT_FROM, our_reply)),
             [msg(email, None, text), msg(AGENT, None, ours)])

# -- a forward of our reply (its quote stays under its attribution, unquoted by the forward) -----------------------------------------
for lang in WROTE:
    name, email, text, _ = PEOPLE[lang][1]
    ours = OURS[lang][0]
    our_reply = f"{ours}\n\n" + reply_block(lang, named(name, email), text)
    case(f"forward_of_reply_{lang}", src(lang, "forward of our reply, which quotes the customer under its attribution"),
         draft(PLEASE[lang], forward_block(lang, TIMES[1], AGENT_FROM, our_reply, named(name, email))),
         [msg(email, None, text), msg(AGENT, iso(*TIMES[1]), ours)])

# -- a forward of a colleague's forward (the inner banner sits in the outer forward's text, unquoted) ----------------------------------
PASS_ON = {"en": "Passing this on to you.", "de": "Ich gebe das an dich weiter.", "fr": "Je te transmets ceci."}
for lang in WROTE:
    name, email, text, _ = PEOPLE[lang][0]
    inner = forward_block(lang, TIMES[0], named(name, email), text, "Billing Desk <billing@shop.example>")
    middle = f"{PLEASE[lang]}\n\n{inner}"
    case(f"forward_of_forward_{lang}", src(lang, "forward of a colleague's Mailpile forward (two banners, nothing quoted)"),
         draft(PASS_ON[lang], forward_block(lang, TIMES[1], "Billing Desk <billing@shop.example>", middle)),
         [msg(email, iso(*TIMES[0]), text), msg("billing@shop.example", iso(*TIMES[1]), PLEASE[lang])])

# -- three-message chains (en, de) ------------------------------------------------------------------------------------------------------
for lang in ("en", "de"):
    name, email, text, _ = PEOPLE[lang][0]
    ours, follow, last = OURS[lang]
    first_reply = f"{ours}\n\n" + reply_block(lang, named(name, email), text)
    second_reply = f"{follow}\n\n" + reply_block(lang, AGENT_FROM, first_reply)
    case(f"chain_three_{lang}", src(lang, "three-message chain (quotes '> > > ' deep)"),
         draft(last, reply_block(lang, named(name, email), second_reply)),
         [msg(email, None, text), msg(AGENT, None, ours), msg(email, None, follow)])

# -- texts that quote nothing ---------------------------------------------------------------------------------------------------------------
case("nothing_en_date_header", "An English customer text with a line starting 'Date:' and an RFC 5322 date, and a sentence ending in 'wrote:', no quote; our words",
     "Here is what your courier wrote:\nthe parcel was left at the door.\nDate: Tue, 08 Mar 2022 14:05:00 +0100 is when it says so.\nIt was not there.\n",
     [], kind="quotes-nothing")
case("nothing_fr_a_ecrit", "A French customer text whose second line ends in 'a écrit :' and goes on unquoted; our words",
     "Bonjour,\nvoici ce que le livreur m'a écrit :\nle colis est au point relais.\nOr il n'y est pas.\n",
     [], kind="quotes-nothing")


def main(out: str) -> None:
    data = {
        "split": "heldout",
        "about": (
            "Sixteenth held-out split (issue 14, helper h7, session 13): Mailpile, its reply attribution ('%s wrote:' "
            "with the raw From header, in three translations) and its untranslated forward block (raw Date header), "
            "from its code and locale files, with our own names, addresses and words. Committed before handoff was run "
            "on it. Never tuned on: only its totals are read."
        ),
        "cases": CASES,
    }
    save(out, data)


if __name__ == "__main__":
    main(sys.argv[1])
