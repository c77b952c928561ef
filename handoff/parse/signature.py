"""Separate a message's own words from its signature, sign-off and disclaimers.

mail-parser-reply knows the sign-offs ("Best regards", "Mit freundlichen Grüßen", "Sent from my
iPhone", "-- ") and disclaimers ("CAUTION: ...", "Wichtiger Hinweis: ...") in many languages. Its
`EmailReply.body` leaves the signature in when a disclaimer sits inside it, and its regex treats any
line that starts with "Thanks," as a sign-off even in "Thanks, but that did not help. ...", so only
its patterns are used here and the cut is made on the original lines with two sanity checks.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from mailparser_reply.constants import (
    NOLIST_SIGNATURE_REGEX,
    OPTIONAL_LINEBREAK,
    OUTLOOK_MAIL_SEPARATOR,
    SENTENCE_START,
    SINGLE_SPACE_VARIATIONS,
)
from mailparser_reply.parser import EmailMessage

from handoff.parse.closings import is_closing

# Compiled once: they run for every line or header read (re.sub with a string looks the pattern up each time).
_BLANK_LINES = re.compile(r"\n{3,}")

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
    # Possessive name words: "thanks a" + "." * 1_000_000 + "#" made `[\w.'-]*` and `[\s,.!]*` share out the dots
    # in every possible way (quadratic). A name word ends at a space anyway, so nothing else can match.
    r"(?:[\s,.!]+[^\W\d_][\w.'-]*+(?:\s[^\W\d_][\w.'-]*+)?)?[\s,.!]*$",
    re.IGNORECASE,
)


# Mobile and webmail sign-offs ("Von meinem iPhone gesendet", "iPhoneから送信", "发自我的iPhone", "Get Outlook for
# Android") in the languages mail-parser-reply lacks or words differently: a short line among the last ones that
# starts with a sending verb and names a device or app, or starts with the device and ends with the verb (ja, ko, tr,
# hu word order). "I sent it from my iPhone" starts with neither, so it stays the customer's words.
# A sending verb and the word for "from" (or "with", "via") after it: "Sent back the iPhone today" is no sign-off.
_SENT_VERB = (
    r"(?:(?:sent|gesendet|envoy[ée]|enviad[oa]|inviato|verzonden|verstuurd|wysłane|wysłano|отправлено|надіслано|"
    r"odesláno|odoslané|küldve|trimis|poslano|αποστολή|lähetetty|skickat|sendt|dikirim|נשלח|أُرسلت|أرسلت|مرسل)\s+"
    r"(?:from|with|via|using|von|vom|mit|de|depuis|à partir d[eu]|desde|do|da|dal|dalla|dai|vanaf|met|z|ze|s|с|со|"
    r"из|з|από|från|fra|iz|de pe|dari|az|מ|מה|من)(?!\w)"
    r"|von meinem|von meiner|gửi từ|lähetetty|(?:get|obtenir|obtener|получить|holen sie sich) outlook(?!\w)"
    r"|发自|發自|来自|來自|从我的|ส่งจาก)"
)
_DEVICE = (
    r"iphon|ipad|ipod|android|galaxy|samsung|huawei|xiaomi|honor|oppo|blackberry|outlook|yahoo|gmail|proton ?mail|"
    r"mail\.ru|почты|яндекс|windows|ios|mobile|mobil|smartphone|téléphone|teléfono|telefono|telefoon|telefon|"
    r"телефона|celular|cellulare|móvil|手机|手機|スマートフォン|携帯|điện thoại|โทรศัพท์|ponsel|טלפון|هاتف"
)
_DEVICE_END_VERB = r"から送信(?:しました)?|에서 보냄|에서 보낸 메일|gönderildi|küldve|发送|發送"
_DEVICE_SIGNOFF = re.compile(
    rf"^(?:(?:{_SENT_VERB}).{{0,60}}?(?:{_DEVICE})\S*(?:\s+\S+){{0,3}}?|(?:{_DEVICE})\S*.{{0,40}}?(?:{_DEVICE_END_VERB}))"
    r"(?:\s*<[^<>\s]{1,100}>)?[\s.!]*$",
    re.IGNORECASE,
)
_MAX_SIGNOFF_LINES_AFTER = 2  # a device line is the last one, or has at most a link or a name below it


class _Signatures:
    """mail-parser-reply's patterns, rewritten to run in linear time on the `flat` text of `split_signature`
    (stripped lines: a whitespace run is either inside a line or only line breaks). Each rewrite finds the same
    match starts, the only thing used here; `_linear_*` return None if the library's pattern ever changes shape,
    and the library's own pattern is used as it is."""

    def __init__(self) -> None:
        probe = EmailMessage(text="", languages=list(_LANGUAGES), keep_hyphen_lists=True)
        self.original = probe.SIGNATURE_REGEX
        self.disclaimers = _linear_disclaimers(probe.DISCLAIMERS_REGEX) or probe.DISCLAIMERS_REGEX
        self.linear = _linear_signature(self.original)

    def search(self, flat: str, position: int) -> re.Match[str] | None:
        """Where `self.original.search(flat, position)` matches."""
        if self.linear is None:
            return self.original.search(flat, position)
        anywhere, run_start = self.linear
        # Tried at `position` itself with every alternative; after it, a whitespace run only from its first
        # character: every later start in the same run reaches less, so it cannot match where the first did not.
        return anywhere.match(flat, position) or run_start.search(flat, position + 1)


def _linear_signature(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """The signature pattern without its `(.|\\s)*` and `.*` tails (they only extend a match to the end of the
    text, 0.1 s per search of a 1 MB body, once per rejected sign-off), plus a variant whose `\\s*^` and `\\n{2,}`
    alternatives start only at the first character of a whitespace run: from every start inside a 1 MB run of
    spaces they scanned the rest of the run (quadratic)."""
    source = pattern.pattern
    head = f"(({NOLIST_SIGNATURE_REGEX}|{OUTLOOK_MAIL_SEPARATOR}|"
    tail = ")(.|\\s)*)"
    if not (source.startswith(head) and source.endswith(tail) and NOLIST_SIGNATURE_REGEX.endswith(".*")):
        return None
    rest = source[len(head) : -len(tail)]  # "Sent from my ..." | sign-off words
    if not rest.startswith("\\s*^"):
        return None
    rule = NOLIST_SIGNATURE_REGEX[: -len(".*")]
    anywhere = f"(?:{rule}|{OUTLOOK_MAIL_SEPARATOR}|{rest})"
    run_start = f"(?:(?<!\\s){rule}|(?<!\\n){OUTLOOK_MAIL_SEPARATOR}|(?<!\\s){rest})"
    return re.compile(anywhere, pattern.flags), re.compile(run_start, pattern.flags)


def _linear_disclaimers(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The disclaimer pattern with its lazy scan for "mail" stopped where the next disclaimer word starts in the
    same line. ".Disclaimer: " repeated on a 1 MB line without "mail" made every one of them scan to the end of
    the line (quadratic); now the next one takes over, and it finds the same "mail" on the same line. A scan
    that crossed a line break after the word is left as it was: there the next word would be on another line."""
    source = pattern.pattern
    start = f"{SENTENCE_START}(?:"
    loop = f")(?:{OPTIONAL_LINEBREAK}"
    cut = source.rfind(loop)
    if not source.startswith(start) or cut < 0 or OPTIONAL_LINEBREAK.count("[\\n\\r]?") != 1:
        return None
    words = source[len(start) : cut]
    allowed, found, _ = source[cut + len(loop) :].partition("?(?:mail)")
    if not found or not allowed.endswith("]*"):
        return None
    if source != f"{start}{words}{loop}{allowed}?(?:mail){allowed}){{1,2}}":
        return None
    word = f"(?:{words})"
    next_word = f"[.!?]{SINGLE_SPACE_VARIATIONS}{{0,3}}{word}"
    crossing = OPTIONAL_LINEBREAK.replace("[\\n\\r]?", "[\\n\\r]") + f"{allowed}?(?:mail){allowed}"
    same_line = OPTIONAL_LINEBREAK.replace("[\\n\\r]?", "") + f"(?:(?!{next_word}){allowed[:-1]})*?(?:mail){allowed}"
    return re.compile(f"{SENTENCE_START}{word}(?:{crossing}|{same_line}){{1,2}}", pattern.flags)


_compiled: _Signatures | None = None


def _patterns() -> _Signatures:
    global _compiled
    if _compiled is None:
        _compiled = _Signatures()
    return _compiled


def split_signature(body: str) -> tuple[str, str | None]:
    """(body, signature-or-None). Never loses text: body + signature hold every non-blank line."""
    if not body.strip():
        return body.strip(), None
    lines = body.split("\n")
    # mail-parser-reply's patterns expect stripped lines; keep the line count so indexes map back.
    stripped = [line.strip() for line in lines]
    flat = "\n".join(stripped)
    # Line starts in `flat`, and the first line with words: each match used to count the newlines before it and
    # join the lines above it, quadratic with 100k matching lines.
    starts = [0, *accumulate(len(line) + 1 for line in stripped[:-1])]
    first_words = next((index for index, line in enumerate(stripped) if line), len(lines))
    patterns = _patterns()

    removed: list[tuple[int, int]] = []  # line ranges [start, end) that are not the message's words
    paragraph_ends: list[int] | None = None
    for match in patterns.disclaimers.finditer(flat):
        start = _line_of(flat, starts, match.start())
        if paragraph_ends is None:
            paragraph_ends = _paragraph_ends(lines)
        removed.append((start, paragraph_ends[start]))

    sig_start = None
    position = 0
    # Where each line ends counting unstripped lengths, which is how the search position has always been measured.
    ends = list(accumulate(len(line) + 1 for line in lines))
    while sig_start is None and (match := patterns.search(flat, position)):
        candidate = _line_of(flat, starts, match.start())
        first = stripped[candidate] if candidate < len(lines) else ""
        # A sign-off is short ("Best regards," / "Thanks, John"); a long line ("Thanks, but it still
        # fails ...", Danish "Tak for din mail ...") is a sentence: look further down instead.
        if first_words < candidate and first and (len(first.split()) <= _MAX_SIGNOFF_WORDS or first.endswith(",")):
            sig_start = candidate
        elif candidate + 1 >= len(lines):
            break
        else:
            position = ends[candidate]
    if sig_start is None:
        sig_start = _closing(lines, first_words)
    if sig_start is None:
        sig_start = _device_signoff(stripped, first_words)
    if sig_start is not None:
        removed.append((sig_start, len(lines)))
    if not removed:
        return body.strip(), None

    # Overlapping ranges marked in one pass (a line inside 100k ranges is not marked 100k times).
    depth = [0] * (len(lines) + 1)
    for start, end in removed:
        end = min(end, len(lines))
        if start < end:
            depth[start] += 1
            depth[end] -= 1
    keep = [count == 0 for count in accumulate(depth[:-1])]
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


def _closing(lines: list[str], first_words: int) -> int | None:
    """The line of a short closing ("Obrigado,", "Thanks", "Groeten,") near the end, if any; `first_words` is the
    index of the first line that is not blank."""
    after = 0
    for index in range(len(lines) - 1, 0, -1):
        text = lines[index].strip()
        if not text:
            continue
        # The short list here, or a closing in another language (handoff.parse.closings, the list triage cuts by).
        if (_CLOSINGS.match(text) or is_closing(text)) and first_words < index:
            return index
        after += 1
        if after > _MAX_LINES_AFTER_CLOSING:
            return None
    return None


def _device_signoff(stripped: list[str], first_words: int) -> int | None:
    """The line of a mobile or app sign-off ("Von meinem iPhone gesendet") among the last lines, if any."""
    after = 0
    for index in range(len(stripped) - 1, first_words, -1):
        text = stripped[index]
        if not text:
            continue
        if len(text) <= 80 and len(text.split()) <= 9 and _DEVICE_SIGNOFF.match(text):
            return index
        after += 1
        if after > _MAX_SIGNOFF_LINES_AFTER:
            return None
    return None


def _line_of(text: str, starts: list[int], offset: int) -> int:
    """The line of `text` (whose line starts are `starts`) holding `offset`."""
    # Regexes may start the match on the whitespace before the line; move to the first real character.
    while offset < len(text) and text[offset] in " \t\n":
        offset += 1
    return bisect_right(starts, offset) - 1


def _paragraph_ends(lines: list[str]) -> list[int]:
    """For each line, the index of the first blank line at or after it (or the line count)."""
    ends = [len(lines)] * len(lines)
    following = len(lines)
    for index in range(len(lines) - 1, -1, -1):
        if not lines[index].strip():
            following = index
        ends[index] = following
    return ends


def _squeeze(text: str) -> str:
    return _BLANK_LINES.sub("\n\n", text)
