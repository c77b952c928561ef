"""Mail handoff itself caused: our own stamp or Message-ID coming back, or a reply storm."""

from __future__ import annotations

import re
from collections.abc import Sequence

from handoff.guards.base import hit, strip_prefixes
from handoff.model import Customer, GuardHit, ParsedMail, ThreadMessage

_SPACES = re.compile(r"\s+")  # compiled once: it runs for every mail


def message_id_domain(message_id: str | None) -> str | None:
    """The domain of a Message-ID: what follows the first '@' of its last run without spaces or '>', before an
    optional closing '>'. What `@([^>\\s]+)>?\\s*$` found, without it: that search tried every '@' of a run
    and rescanned the run from each (10 s for a 16 KB Message-ID of '@' repeated, hours for 1 MB)."""
    text = (message_id or "").rstrip()
    if text.endswith(">"):
        text = text[:-1]
    # The last run: after the last whitespace (str.split's whitespace is str.isspace's), then after its last '>'.
    # Empty when the text ends with whitespace (the space before a stripped '>'), which rsplit would pass over.
    words = text.rsplit(None, 1) if text and not text[-1].isspace() else []
    run = words[-1] if words else ""
    run = run[run.rfind(">") + 1 :]
    at = run.find("@")
    if at < 0 or at == len(run) - 1:
        return None
    return run[at + 1 :].lower()


def storm_key(mail: ParsedMail, customer: Customer | None) -> str:
    """What the reply-storm brake counts by: the sender, the customer and the subject without prefixes."""
    sender = (mail.from_email or mail.envelope_from or "").lower()
    subject = _SPACES.sub(" ", strip_prefixes(mail.subject)).lower()
    return "\x1f".join((sender, customer.email.lower() if customer else "", subject))


# In every brake reason; a skipped row carrying it that is queued again was retried by an operator.
STORM_MARK = "distinct mails from"


def storm_reason(key: str, count: int, limit: int, window_minutes: float) -> str:
    sender = key.split("\x1f", 1)[0]
    return (
        f"{count} {STORM_MARK} {sender or 'an unknown sender'} with this subject within "
        f"{window_minutes:g} minutes (limit {limit})"
    )


class Loop:
    """Skip mail that handoff sent: our loop header, X-Loop naming our domain, a Message-ID of ours.

    The other half of loop protection, "the same sender, customer and subject more than loop_max times
    within loop_window_minutes", counts across mails, so it is decided in the spool (`Spool.brake`, by
    the worker), where it survives restarts, is shared by every instance, and counts a mail once however
    often it is retried or replayed. The pure pipeline only computes its key (`storm_key`).
    """

    name = "loop"
    description = (
        "our loop header, X-Loop naming our domain, a Message-ID from our own domain; or (decided in the "
        "spool) more than loop_max distinct mails from the same sender, customer and subject within "
        "loop_window_minutes."
    )

    def __init__(self, loop_header: str = "X-Handoff-Loop", own_domains: Sequence[str] = ()) -> None:
        self.loop_header = loop_header
        self.own_domains = tuple(d.lower().lstrip("@") for d in own_domains if d)

    def check(self, mail: ParsedMail, messages: Sequence[ThreadMessage], customer: Customer | None) -> GuardHit | None:
        if mail.header(self.loop_header) is not None:
            return hit(self, f"the mail carries our {self.loop_header} header")
        for value in mail.header_all("x-loop"):
            if self._ours(value):
                return hit(self, f"X-Loop names our domain ({value.strip()[:60]})")
        domain = self._message_id_domain(mail.message_id)
        if domain and self._ours(domain):
            return hit(self, f"the Message-ID is from our own domain {domain}")
        return None

    def _ours(self, value: str) -> bool:
        value = value.lower()
        return any(value == d or value.endswith("." + d) or value.endswith("@" + d) for d in self.own_domains)

    @staticmethod
    def _message_id_domain(message_id: str | None) -> str | None:
        return message_id_domain(message_id)
