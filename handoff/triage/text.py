"""The customer's own words: which messages count, how much, and what noise to cut from them.

Both the classifier and the sentiment scorer read only this. Agent replies say "sorry for the trouble"
and "refund" too; scoring them would describe the support team, not the customer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from handoff.model import Customer, ThreadMessage
from handoff.parse import subjects
from handoff.parse.closings import is_closing

# The first customer message states the problem; later ones are mostly chasers ("any update?").
FIRST_WEIGHT = 1.0
LATER_WEIGHT = 0.5

# What triage reads of a customer, whatever the mail's size: classification and sentiment cost about 10 s and
# 18 s per MB of text (VADER and 140 keyword patterns per text), so a 1 MB paste of a log could take half a
# minute of the analysis budget. A request is stated in its first lines: each message's first MAX_BODY_CHARS are
# cleaned and its first MAX_TEXT_CHARS kept (cut at a space), of the first customer message and the latest
# MAX_MESSAGES - 1 after it. The support threads of bench/data are far below each bound, so nothing they score
# changes.
MAX_BODY_CHARS = 20_000
MAX_TEXT_CHARS = 4_000
MAX_MESSAGES = 12


@dataclass(frozen=True)
class CustomerText:
    text: str
    weight: float
    subject: str | None = None


_TICKET_TAG = re.compile(r"\[(?:ticket|case|ref)?\s*(?:#\s*)?[\w-]+\]", re.I)

# Lines that are greetings, sign-offs or boilerplate; removed before scoring.
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings|to whom it may concern)"
    r"\b[^.!?\n]{0,40}[,!:]?\s*$",
    re.I,
)
# Each `\s*` follows something that is not optional (`(?:kind\s*)?regards`, `(?:[,.!]\s*)?`): the old
# `\s*[,.!]?\s*(?:[-–—]?\s*X)?\s*$` let four `\s*` share a run of spaces, so "Thanks" + spaces + "#" took cubic
# time and more (a 1 MB line: hours). Same lines match.
_SIGNOFF = re.compile(
    r"^\s*(?:(?:(?:kind|best|warm|many)\s*)?(?:regards|wishes)|thanks?(?: you)?(?: (?:so|very) much)?"
    r"(?: in advance)?|thx|cheers|sincerely|yours(?: sincerely| faithfully| truly)?|best|br|rgds"
    r"|all the best|take care|talk soon)\s*(?:[,.!]\s*)?(?:(?:[-–—]\s*)?[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)?\s*)?$",
    re.I,
)
# What may follow a closing and still be its signature: a few short lines (a name, a title, a company, a phone).
_SIGNATURE_LINES = 6
_SIGNATURE_LINE_CHARS = 60


def _looks_signed(rest: Iterable[str]) -> bool:
    """Whether the lines after a closing are a signature: a few short lines, none a question. Stops at the first
    line too many, so a text of many closings costs a few lines' look-ahead each."""
    seen = 0
    for line in rest:
        text = line.strip()
        if not text:
            continue
        seen += 1
        if seen > _SIGNATURE_LINES or len(text) > _SIGNATURE_LINE_CHARS or text.endswith(("?", "？")):
            return False
    return True


_BOILERPLATE = re.compile(
    r"^\s*(?:>.*|sent from my \w+.*|get outlook for \w+.*|on .{0,120} wrote:\s*|-{2,}\s*"
    r"|-+\s*original message\s*-+.*|from: .*|sent: .*|to: .*|cc: .*|subject: .*)$",
    re.I,
)
# The `[^.]*` scans stop where the same phrase starts again: "this email and any files " repeated on a 1 MB line
# without a full stop made each repetition scan to the end of the line (quadratic). Only whether a line matches
# is used, and that is unchanged: the last repetition before the ending finds it.
_DISCLAIMER = re.compile(
    r"(?:this (?:e-?mail|message)(?: and any (?:files|attachments)"
    r"(?:(?!this (?:e-?mail|message) and any (?:files|attachments))[^.])*)? (?:is|are|may be) "
    r"(?:confidential|intended)|confidentiality notice|disclaimer:|please consider the environment"
    r"|if you (?:are not|have received this) (?:(?!if you (?:are not|have received this) )[^.])*"
    r"(?:intended recipient|in error))",
    re.I,
)


def clean_subject(subject: str | None) -> str:
    if not subject:
        return ""
    return _TICKET_TAG.sub(" ", subjects.strip_reply_and_forward(subject)).strip()


def clean_body(body: str) -> str:
    """Drop greetings, sign-offs (and the name after them), disclaimers and left-over quote lines.

    The parser already removed quotes and the signature block; this is the second net for what
    clients leave behind, because a trailing "Thanks, John" is what makes VADER call a complaint happy.
    """
    lines = body[:MAX_BODY_CHARS].replace("\r\n", "\n").split("\n")
    kept: list[str] = []
    for number, line in enumerate(lines):
        if _DISCLAIMER.search(line):
            # Disclaimers run to the end of the message.
            break
        if _BOILERPLATE.match(line):
            continue
        if _SIGNOFF.match(line):
            if any(k.strip() for k in kept):
                # Whatever follows a sign-off is a name, a title or a phone number.
                break
            # A message that starts with "Thanks, all good now." or "Thank you very much, problem solved." is
            # saying exactly that: cutting it left nothing, and a short thanks was scored neutral (issue 14).
        elif any(k.strip() for k in kept) and is_closing(line):
            if _looks_signed(islice(lines, number + 1, None)):  # no copy of the rest
                break  # the closing and the name, title and phone lines under it
            continue  # "Danke!" and then more text: drop the closing line only, keep reading
        if not kept and _GREETING.match(line):
            continue
        kept.append(line)
    text = "\n".join(kept).strip()
    # A greeting on the same line as the first sentence: "Hi team, my order ..."
    text = re.sub(
        r"^(?:hi|hello|hey|dear)\b[^,\n]{0,30},\s*",
        "",
        text,
        flags=re.I,
    )
    return text


def _norm(address: str | None) -> str:
    return (address or "").strip().lower()


def is_customer_message(message: ThreadMessage, customer: Customer | None) -> bool:
    if customer is not None and _norm(message.from_email) == _norm(customer.email) and message.from_email:
        return True
    return not message.internal


# The last thread read, its customer and its texts: the classifier, the sentiment scorer and the priority rules each
# ask for the same handoff's texts in turn. Messages and customers are frozen models, so the same objects (held
# here, so no id is reused) are the same texts.
_LAST: tuple[tuple[ThreadMessage, ...], Customer | None, tuple[CustomerText, ...]] | None = None


def customer_texts(messages: Sequence[ThreadMessage], customer: Customer | None) -> list[CustomerText]:
    """Customer messages, oldest first, cleaned, with the first non-empty one weighted most; bounded in size
    (MAX_TEXT_CHARS of each, the first and the latest MAX_MESSAGES - 1 messages)."""
    global _LAST
    thread = tuple(messages)
    last = _LAST
    if (
        last is not None
        and last[1] is customer
        and len(last[0]) == len(thread)
        and all(a is b for a, b in zip(last[0], thread, strict=True))
    ):
        return list(last[2])
    result = _customer_texts(thread, customer)
    _LAST = (thread, customer, tuple(result))
    return result


def _customer_texts(messages: Sequence[ThreadMessage], customer: Customer | None) -> list[CustomerText]:
    result: list[CustomerText] = []
    for message in messages:
        if not is_customer_message(message, customer):
            continue
        text = _bounded(clean_body(message.body))
        subject = clean_subject(message.subject[:500] if message.subject else message.subject)
        if not text and not subject:
            continue
        weight = FIRST_WEIGHT if not result else LATER_WEIGHT
        result.append(CustomerText(text=text, weight=weight, subject=subject or None))
    if len(result) > MAX_MESSAGES:
        result = [result[0], *result[-(MAX_MESSAGES - 1) :]]
    return result


def _bounded(text: str) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    cut = text.rfind(" ", MAX_TEXT_CHARS // 2, MAX_TEXT_CHARS)
    return text[: cut if cut > 0 else MAX_TEXT_CHARS].rstrip()


def with_headline(texts: Sequence[CustomerText]) -> list[str]:
    """Each customer text as scored, the first prefixed with its subject: the customer's own headline
    ("Still no refund!!"), while later subjects only repeat it. One format for every scorer, so the
    embedding of a message is computed once per handoff and shared through the encoder's cache."""
    return [f"{t.subject}.\n{t.text}" if i == 0 and t.subject else t.text for i, t in enumerate(texts)]
