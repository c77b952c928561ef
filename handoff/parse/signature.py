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

# mail-parser-reply's languages that overlap issue 3's list (it has no pt); "en" is always added.
_LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pl", "sv"]
_MAX_SIGNOFF_WORDS = 6

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
    match = signature_re.search(flat)
    if match:
        candidate = _line_of(flat, match.start(), forward=True)
        first = lines[candidate].strip() if candidate < len(lines) else ""
        before = "\n".join(lines[:candidate]).strip()
        # A sign-off is short ("Best regards," / "Thanks, John"); a long line is a sentence.
        if before and first and (len(first.split()) <= _MAX_SIGNOFF_WORDS or first.endswith(",")):
            sig_start = candidate
    if sig_start is not None:
        removed.append((sig_start, len(lines)))
    if not removed:
        return body.strip(), None

    keep = [True] * len(lines)
    for start, end in removed:
        for index in range(start, min(end, len(lines))):
            keep[index] = False
    own = "\n".join(line for line, k in zip(lines, keep, strict=True) if k).strip()
    rest = "\n".join(line for line, k in zip(lines, keep, strict=True) if not k).strip()
    if not own:
        # Everything looked like a signature or banner: better a noisy body than an empty one.
        return body.strip(), None
    return _squeeze(own), _squeeze(rest) or None


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
