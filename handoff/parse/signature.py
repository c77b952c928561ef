"""Separate a message's own words from its signature, sign-off and disclaimers.

mail-parser-reply knows the sign-offs ("Best regards", "Mit freundlichen Grüßen", "Sent from my
iPhone", "-- ") and disclaimers ("CAUTION: ...", "Wichtiger Hinweis: ...") in many languages. Its
`EmailReply.body` leaves the signature in when a disclaimer sits inside it, and its regex treats any
line that starts with "Thanks," as a sign-off even in "Thanks, but that did not help. ...", so only
its patterns are used here and the cut is made on the original lines with two sanity checks.
"""

from __future__ import annotations

import re

from mailparser_reply.parser import EmailMessage

# mail-parser-reply's languages that overlap issue 3's list (it has no pt), plus Danish; "en" is implied.
_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "sv", "da"]
_MAX_SIGNOFF_WORDS = 6
# Closings mail-parser-reply does not know (it has no Portuguese, and misses common short forms).
# Only trusted near the end of a message: at most this many non-blank lines may follow.
_MAX_LINES_AFTER_CLOSING = 8
_CLOSINGS = re.compile(
    r"^(?:thanks|thank you|many thanks|thanks again|cheers|regards|kind regards|best|br|"
    r"danke|vielen dank|lg|vg|mfg|"
    r"merci|merci d'avance|bien à vous|bien cordialement|cordialement|salutations|"
    r"gracias|muchas gracias|saludos|un saludo|atentamente|"
    r"grazie|grazie mille|saluti|cordiali saluti|distinti saluti|"
    r"groeten|groetjes|bedankt|alvast bedankt|"
    r"obrigad[oa]|muito obrigad[oa]|atenciosamente|cumprimentos|abraços|att\.?|"
    r"dziękuję|pozdrawiam|z poważaniem|"
    r"tack|hälsningar|mvh|vänliga hälsningar)"
    r"(?:[\s,.!]+[^\W\d_][\w.'-]*(?:\s[^\W\d_][\w.'-]*)?)?[\s,.!]*$",
    re.IGNORECASE,
)

_compiled: tuple[re.Pattern[str], re.Pattern[str]] | None = None


def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    global _compiled
    if _compiled is None:
        probe = EmailMessage(text="", languages=list(_LANGUAGES), keep_hyphen_lists=True)
        _compiled = (probe.SIGNATURE_REGEX, probe.DISCLAIMERS_REGEX)
    return _compiled


def split_signature(body: str) -> tuple[str, str | None]:
    """(body, signature-or-None). Never loses text: body + signature hold every non-blank line."""
    if not body.strip():
        return body.strip(), None
    lines = body.split("\n")
    # mail-parser-reply's patterns expect stripped lines; keep the line count so indexes map back.
    flat = "\n".join(line.strip() for line in lines)
    signature_re, disclaimer_re = _patterns()

    removed: list[tuple[int, int]] = []  # line ranges [start, end) that are not the message's words
    for match in disclaimer_re.finditer(flat):
        start = _line_of(flat, match.start(), forward=True)
        end = _paragraph_end(lines, start)
        removed.append((start, end))

    sig_start = None
    position = 0
    while sig_start is None and (match := signature_re.search(flat, position)):
        candidate = _line_of(flat, match.start(), forward=True)
        first = lines[candidate].strip() if candidate < len(lines) else ""
        before = "\n".join(lines[:candidate]).strip()
        # A sign-off is short ("Best regards," / "Thanks, John"); a long line ("Thanks, but it still
        # fails ...", Danish "Tak for din mail ...") is a sentence: look further down instead.
        if before and first and (len(first.split()) <= _MAX_SIGNOFF_WORDS or first.endswith(",")):
            sig_start = candidate
        elif candidate + 1 >= len(lines):
            break
        else:
            position = sum(len(line) + 1 for line in lines[: candidate + 1])
    if sig_start is None:
        sig_start = _closing(lines)
    if sig_start is not None:
        removed.append((sig_start, len(lines)))
    if not removed:
        return body.strip(), None

    keep = [True] * len(lines)
    for start, end in removed:
        for index in range(start, min(end, len(lines))):
            keep[index] = False
    own = "\n".join(line for line, k in zip(lines, keep, strict=True) if k).strip()
    pieces: list[str] = []
    for index, line in enumerate(lines):
        if keep[index]:
            continue
        if pieces and index > 0 and keep[index - 1]:
            pieces.append("")  # a banner and a signature far apart stay separate paragraphs
        pieces.append(line)
    rest = "\n".join(pieces).strip()
    if not own:
        # Everything looked like a signature or banner: better a noisy body than an empty one.
        return body.strip(), None
    return _squeeze(own), _squeeze(rest) or None


def _closing(lines: list[str]) -> int | None:
    """The line of a short closing ("Obrigado,", "Thanks", "Groeten,") near the end, if any."""
    after = 0
    for index in range(len(lines) - 1, 0, -1):
        text = lines[index].strip()
        if not text:
            continue
        if _CLOSINGS.match(text) and "\n".join(lines[:index]).strip():
            return index
        after += 1
        if after > _MAX_LINES_AFTER_CLOSING:
            return None
    return None


def _line_of(text: str, offset: int, forward: bool) -> int:
    # Regexes may start the match on the whitespace before the line; move to the first real character.
    while forward and offset < len(text) and text[offset] in " \t\n":
        offset += 1
    return text.count("\n", 0, offset)


def _paragraph_end(lines: list[str], start: int) -> int:
    index = start
    while index < len(lines) and lines[index].strip():
        index += 1
    return index


def _squeeze(text: str) -> str:
    return re.sub(r"\n{3,}", "\n\n", text)
