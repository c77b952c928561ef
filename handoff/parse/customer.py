"""Who the customer is: the author of the earliest message in the thread who is not internal.

Internal means: an address in `[triage] internal_domains` (sub-domains included) or the extra
addresses; the forwarding mailbox (the outer sender when the outer mail forwards a message); and the
envelope sender when it is internal. With no forward inside, the sender is the customer (Reply-To
before From). When nobody qualifies, no customer is invented: `customer_not_found_reason` says why,
and the pipeline parks the handoff with that reason.

Outlook often prints a sender by name only ("From: John Doe"); the address is then taken from a
To/Cc line elsewhere in the same thread that shows that name with an address.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handoff.model import Customer, ParsedMail, ThreadMessage
from handoff.parse.mime import all_addresses, first_address
from handoff.parse.thread import is_forward_source

FOUND_BY_EARLIEST = "earliest-external-message"
FOUND_BY_REPLY_TO = "reply-to"
FOUND_BY_FROM = "from"


class Internal:
    """Which addresses belong to us. Entries are domains ("acme.com", "@acme.com") or full addresses."""

    def __init__(self, internal_domains: Sequence[str], extra_addresses: Sequence[str] = ()) -> None:
        self.domains: set[str] = set()
        self.addresses: set[str] = set()
        for entry in [*internal_domains, *extra_addresses]:
            entry = entry.strip().lower()
            if not entry:
                continue
            if "@" in entry and not entry.startswith("@"):
                self.addresses.add(entry)
            else:
                self.domains.add(entry.lstrip("@").rstrip("."))

    def is_internal(self, email: str | None) -> bool:
        if not email:
            return False
        email = email.strip().strip("<>").lower()
        if email in self.addresses:
            return True
        domain = email.rpartition("@")[2]
        return any(domain == d or domain.endswith("." + d) for d in self.domains)

    def with_addresses(self, *addresses: str | None) -> Internal:
        clone = Internal(())
        clone.domains = set(self.domains)
        clone.addresses = self.addresses | {a.lower() for a in addresses if a}
        return clone


@dataclass(frozen=True)
class CustomerResult:
    messages: list[ThreadMessage]
    customer: Customer | None
    reason: str | None  # why no customer was found; None when one was


def find_customer(
    mail: ParsedMail, messages: Sequence[ThreadMessage], internal: Internal
) -> tuple[list[ThreadMessage], Customer | None]:
    """Messages with `.internal` set, and the customer or None (see `customer_not_found_reason`)."""
    result = explain_customer(mail, messages, internal)
    return result.messages, result.customer


def customer_not_found_reason(mail: ParsedMail, messages: Sequence[ThreadMessage], internal: Internal) -> str | None:
    """Why `find_customer` returns None, in words for the operator; None when a customer is found."""
    return explain_customer(mail, messages, internal).reason


def explain_customer(mail: ParsedMail, messages: Sequence[ThreadMessage], internal: Internal) -> CustomerResult:
    inner = [m for m in messages if m.source != "outer"]
    wraps_forward = any(is_forward_source(m.source) for m in inner)
    extra: list[str | None] = []
    if wraps_forward:
        # The mailbox that forwarded the thread to handoff is ours, whatever its domain.
        extra.append(mail.from_email)
    if internal.is_internal(mail.envelope_from):
        extra.append(mail.envelope_from)
    ours = internal.with_addresses(*extra)

    names = _known_names(mail, messages)
    marked: list[ThreadMessage] = []
    for message in messages:
        update: dict[str, object] = {}
        if not message.from_email and message.from_name:
            resolved = names.get(_name_key(message.from_name))
            if resolved:
                update["from_email"] = resolved
        email = update.get("from_email", message.from_email)
        update["internal"] = ours.is_internal(email if isinstance(email, str) else None)
        marked.append(message.model_copy(update=update))

    if not inner:
        return _direct_sender(mail, marked, ours)

    unnamed = 0
    for message in marked:
        if message.internal:
            continue
        email = _author_address(message)
        if not email:
            unnamed += 1
            continue
        if message.source == "outer":
            found_by = FOUND_BY_REPLY_TO if email != message.from_email else FOUND_BY_FROM
            found_by = f"{FOUND_BY_EARLIEST} ({found_by})"
        else:
            found_by = FOUND_BY_EARLIEST
        return CustomerResult(marked, Customer(email=email, name=message.from_name, found_by=found_by), None)

    if unnamed:
        reason = (
            f"no customer: {unnamed} external message(s) in the thread show a sender without an address, "
            "and every sender with an address is internal"
        )
    else:
        reason = "no customer: every sender in the thread is internal (internal_domains or the forwarding mailbox)"
    return CustomerResult(marked, None, reason)


def _direct_sender(mail: ParsedMail, marked: list[ThreadMessage], ours: Internal) -> CustomerResult:
    _, reply_to = first_address(mail.reply_to or "")
    if reply_to and not ours.is_internal(reply_to):
        name = mail.from_name if reply_to == mail.from_email else _reply_to_name(mail)
        return CustomerResult(marked, Customer(email=reply_to, name=name, found_by=FOUND_BY_REPLY_TO), None)
    if mail.from_email and not ours.is_internal(mail.from_email):
        return CustomerResult(
            marked, Customer(email=mail.from_email, name=mail.from_name, found_by=FOUND_BY_FROM), None
        )
    if not mail.from_email and not reply_to:
        reason = "no customer: the mail has no readable From or Reply-To address and forwards no message"
    else:
        reason = (
            f"no customer: the sender {mail.from_email or reply_to} is internal and the mail forwards "
            "no message from anyone else"
        )
    return CustomerResult(marked, None, reason)


def _reply_to_name(mail: ParsedMail) -> str | None:
    for key, value in mail.headers:
        if key == "reply-to":
            name, _ = first_address(value)
            return name
    return None


def _author_address(message: ThreadMessage) -> str | None:
    # A mail attached whole keeps its headers: a web form's Reply-To is the real customer.
    if message.source == "rfc822":
        for key, value in message.headers:
            if key == "reply-to":
                _, address = first_address(value)
                if address:
                    return address
    return message.from_email


def _name_key(name: str) -> str:
    parts = name.replace(",", " ").lower().split()
    return " ".join(sorted(parts))  # "Doe, John" and "John Doe" are the same person


def _known_names(mail: ParsedMail, messages: Sequence[ThreadMessage]) -> dict[str, str]:
    """Display name -> address, from every To/Cc/From line of the thread."""
    names: dict[str, str] = {}
    values: list[str] = [value for key, value in mail.headers if key in ("to", "cc", "from", "reply-to")]
    for message in messages:
        values.extend(message.to)
        values.extend(message.cc)
        if message.from_name and message.from_email:
            names.setdefault(_name_key(message.from_name), message.from_email)
    for value in values:
        for name, address in all_addresses(value):
            if name and address:
                names.setdefault(_name_key(name), address)
    return names
