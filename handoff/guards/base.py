"""What every guard is, and which message a guard judges.

A guard is a class with a `name`, a `description` and one `check()` returning a `GuardHit` or None
(Mailman's rules, style.md section 3). Guards are pure: what they need is passed when they are built.

A mail an agent forwards carries the agent's headers on the outside; whether it is an auto-reply or
list mail is a question about the customer's message inside. `judged()` picks that message: the
customer's earliest message when it came from inside the thread (with its own headers when it was
attached as message/rfc822), else the outer mail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from handoff.model import Customer, GuardHit, HeaderLookup, ParsedMail, ThreadMessage
from handoff.parse import subjects


class Guard(Protocol):
    name: str
    description: str

    def check(
        self, mail: ParsedMail, messages: Sequence[ThreadMessage], customer: Customer | None
    ) -> GuardHit | None: ...


@dataclass(frozen=True)
class Judged(HeaderLookup):
    """The message a content guard looks at."""

    headers: tuple[tuple[str, str], ...]
    subject: str
    sender: str | None
    inner: bool  # True when this is a message inside the forward, not the outer mail


def judged(mail: ParsedMail, messages: Sequence[ThreadMessage], customer: Customer | None) -> Judged:
    if customer is not None:
        for message in messages:
            if message.source == "outer":
                continue
            if customer.email in (message.from_email, _reply_to(message)):
                return Judged(
                    headers=message.headers,
                    subject=message.subject or "",
                    sender=message.from_email,
                    inner=True,
                )
    return Judged(headers=mail.headers, subject=mail.subject, sender=mail.from_email, inner=False)


# Only from the first character of a run: from every start inside a 1 MB Reply-To without '@' the run was scanned
# to its end again (quadratic). The match is the same whole run.
_ADDRESS = re.compile(r"(?<![^\s<>\"',;])[^\s<>\"',;]+@[^\s<>\"',;]+")


def _reply_to(message: ThreadMessage) -> str | None:
    for key, value in message.headers:
        if key == "reply-to":
            match = _ADDRESS.search(value)
            return match.group(0).lower() if match else None
    return None


def strip_prefixes(subject: str) -> str:
    """'Re: AW: Fwd: x' -> 'x' (reply/forward prefixes of the languages handoff meets)."""
    return subjects.strip_reply_and_forward(subject)


def hit(guard: Guard, reason: str) -> GuardHit:
    return GuardHit(guard=guard.name, reason=reason)
