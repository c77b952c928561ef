"""Reply and forward prefixes of subjects ("Re:", "AW:", "WG:", "RV:", "Odp:", "转发:"), one list for every reader.

Four copies used to exist (the pipeline's timeline subject, the thread splitter, the guards and triage), each with
its own languages: a German "WG:" was stripped by the thread splitter but kept in the timeline, a Polish "Odp:" was
stripped by the guards but scored by triage. Each prefix below says which clients write it.

Every pattern keeps `(?:\\[\\d+\\]\\s*)?:` rather than `(?:\\[\\d+\\])?\\s*:`: with two `\\s*` side by side, "Re" +
1 MB of spaces + "x" split the spaces between them in every possible way before failing (quadratic).
"""

from __future__ import annotations

import re

# Forwarded: Outlook and webmail, as their localised UIs print the prefix.
FORWARD_WORDS: tuple[str, ...] = (
    "fwd", "fw",  # en, and most clients in every language (Gmail, Apple Mail, Thunderbird)
    "wg",  # de (Outlook: "WG:", weitergeleitet)
    "tr",  # fr (Outlook: "TR:", transféré)
    "rv",  # es (Outlook: "RV:", reenviado)
    "i",  # it (Outlook: "I:", inoltrato)
    "enc",  # pt-BR (Outlook, Gmail: "ENC:", encaminhado)
    "doorst",  # nl (Outlook: "Doorst:", doorgestuurd)
    "pd",  # pl (Outlook: "PD:", przekazanie dalej)
    "vb",  # sv (Outlook: "VB:", vidarebefordrat)
    "vs",  # da / no (Outlook: "VS:", videresendt); fi "VS:" is a reply (vastaus): both are stripped
    "vl",  # fi (Outlook: "VL:", välitetty)
    "ilt", "i̇lt",  # tr (Outlook: "İLT:", iletilen; "İ" lower-cases to "i̇")
    "tov",  # hu (Outlook: "Tov:", továbbítás)
    "fs",  # kept from the guards' former list (where it came from was not written down)
    "pfw",  # hr / sl (Outlook: "PFW:", proslijeđeno)
    "přeposlat",  # cs (Seznam: "Přeposlat:")
    "пересл",  # ru (Outlook, Yandex: "Пересл:", пересылаемое)
    "πρθ",  # el (Outlook: "ΠΡΘ:", προώθηση)
    "转发", "轉寄", "转寄",  # zh (QQ Mail, Outlook: "转发:", "轉寄:")
    "転送",  # ja (Outlook: "転送:")
    "전달",  # ko (Outlook: "전달:")
)  # fmt: skip

# Replied: the guards and triage strip these too (a loop's subject, the customer's headline).
REPLY_WORDS: tuple[str, ...] = (
    "re",  # en, and most clients everywhere
    "aw",  # de (Outlook: "AW:", Antwort)
    "sv",  # sv / da / no (Outlook: "SV:", svar)
    "antw",  # nl (Outlook: "Antw:", antwoord)
    "r", "rif",  # it (Outlook: "R:"; "Rif:", riferimento)
    "ref",  # fr / es (webmail: "Ref:")
    "res",  # pt-BR (Outlook: "RES:", resposta)
    "odp",  # pl (Outlook: "Odp:", odpowiedź)
    "ynt",  # tr (Outlook: "YNT:", yanıt)
    "vá",  # hu (Outlook: "Vá:", válasz)
    "отв", "ответ",  # ru (Outlook: "Отв:"; "Ответ:")
    "απ",  # el (Outlook: "ΑΠ:", απάντηση)
    "回复", "答复", "回覆",  # zh (QQ Mail, Outlook)
    "답장",  # ko (Outlook: "답장:")
)  # fmt: skip


def _prefixes(words: tuple[str, ...]) -> re.Pattern[str]:
    # Longest first, so "fwd" is tried before "fw" and "rif" before "r" (the run is greedy either way).
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    # Fullwidth colons too: CJK clients print "转发：".
    return re.compile(rf"^\s*(?:(?:{alternatives})\s*(?:\[\d+\]\s*)?[:：]\s*)+", re.IGNORECASE)


# One or more forward prefixes at the start of a subject ("Fwd: WG: x").
FORWARD_PREFIX = _prefixes(FORWARD_WORDS)
# One or more reply or forward prefixes ("Re: AW: Fwd: x").
REPLY_OR_FORWARD_PREFIX = _prefixes(REPLY_WORDS + FORWARD_WORDS)


def strip_forward(subject: str | None) -> str:
    """ "Fwd: WG: x" -> "x" (forward prefixes only: a "Re:" stays, it is the customer's own subject)."""
    return FORWARD_PREFIX.sub("", subject or "", count=1).strip()


def strip_reply_and_forward(subject: str | None) -> str:
    """ "Re: AW: Fwd: x" -> "x"."""
    return REPLY_OR_FORWARD_PREFIX.sub("", subject or "", count=1).strip()
