"""Bounces and delivery reports: they are about a mail, not from a customer."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from email.message import Message

from handoff.guards.base import hit, judged
from handoff.model import Customer, GuardHit, ParsedMail, ThreadMessage

_DAEMONS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "mdaemon")

# What a delivery report or a bounce shows before anyone reads it (email.md, "Machine mail"; RFC 3464 for the
# report types). flufl.bounce (about 30 detectors walking the whole tree) was a fifth of the pipeline's cost on
# every mail; it now runs only when one of these is present, on the mail or on a message/rfc822 part in it.
_REPORT_TYPES = frozenset(
    {"multipart/report", "message/delivery-status", "message/global-delivery-status", "text/rfc822-headers"}
)
# Subjects of the MTAs' own reports (Postfix, Exim, Sendmail, qmail, Exchange/Outlook, Gmail, Yahoo, and the
# localised Exchange ones), also behind an agent's "Fwd:".
_SUBJECT = re.compile(
    r"undeliver|undelivered|non-?deliver|delivery (?:status|failure|failed|has failed|notification|problem|report"
    r"|delayed|incomplete)|returned (?:mail|to sender)|mail delivery|failure notice|could not be delivered"
    r"|couldn'?t be delivered|not delivered|delivery to the following|warning: could not send|mailbox (?:is )?full"
    r"|unzustellbar|nicht zustellbar|zustellung|non remis|non distribuable|onbestelbaar|niet bezorgd"
    r"|no se (?:pudo|puede) entregar|no entregado|non recapitabile|mancato recapito|não entregue|não foi possível"
    r" entregar|olevererbart|kan ikke leveres|ei voitu toimittaa|nie można dostarczyć|nedoručitel",
    re.I,
)
# The start markers of flufl.bounce's body-text detectors (simplematch, simplewarning, qmail, netscape, yale,
# microsoft, caiwireless, smtp32, yahoo, postfix ...), so a bounce that arrives with an ordinary sender and subject,
# e.g. pasted into a forward, is still scanned. Looked for as plain substrings of the lower-cased first bytes of the
# raw mail: one regex alternation of ~50 phrases with re.I cost 1.2 ms on a 1 KB mail, these cost microseconds.
_BODY_MARKERS: tuple[bytes, ...] = (
    b"could not be delivered", b"couldn't be delivered", b"wasn't delivered", b"unable to deliver",
    b"undeliverable", b"undelivered", b"failed recipients", b"returned mail", b"mail delivery software",
    b"mail delivery system", b"mail delivery subsystem", b"mail delivery failed", b"transcript of session",
    b"following addresses had", b"following addresses did not", b"original message follows",
    b"copy of the message", b"copy of the original message", b"delivery to the following recipient",
    b"delevery to the following recipient", b"did not reach the following", b"did not receive this message",
    b"not yet been delivered", b"delivery attempts will continue", b"has been delayed", b"mailbox is full",
    b"error description", b"error-for:", b"invalid final delivery", b"qmail-send", b"postfix program",
    b"keftamail", b"message from yahoo", b"permanent fatal", b"failed permanently", b"delivery failure",
    b"viruswall", b"returned message", b"message not delivered", b"failed addresses follow",
    b"the following recipients did not", b"x-failed-recipients", b"final-recipient", b"diagnostic-code",
    b"reporting-mta", b"message/delivery-status", b"multipart/report", b"this is the mail system",
    b"user unknown", b"unknown user", b"no such user", b"recipient address rejected", b"mailbox unavailable",
)  # fmt: skip
BODY_SCAN_BYTES = 64 * 1024


def _anchored(markers: Sequence[bytes], anchors: Sequence[bytes]) -> tuple[tuple[bytes, tuple[bytes, ...]], ...]:
    """The markers grouped under the first anchor each contains (b"" for those with none, looked for alone). A marker
    is in a text only if its anchor is, so looking for an anchor first answers exactly as looking for every marker;
    on a typical mail of some hundred bytes each `in` costs about as much as setting it up, and one anchor stands for
    up to 17 markers."""
    groups: dict[bytes, list[bytes]] = {}
    for marker in markers:
        anchor = next((a for a in anchors if a in marker), b"")
        groups.setdefault(anchor, []).append(marker)
    alone = groups.pop(b"", [])
    return (*((a, tuple(g)) for a, g in groups.items()), *((m, (m,)) for m in alone))


_ANCHORS = (b"deliver", b"fail", b"follow", b"returned", b"copy of", b"user", b"recipient", b"mailbox", b"error")
_MARKER_GROUPS = _anchored(_BODY_MARKERS, _ANCHORS)


def _body_marker(head: bytes) -> bool:
    """Whether one of _BODY_MARKERS is in `head` (lower-cased)."""
    for anchor, markers in _MARKER_GROUPS:
        if anchor in head and any(marker in head for marker in markers):
            return True
    return False


_DAEMON_MARKS = ("mailer-daemon", "mailerdaemon", "mail-daemon", "postmaster", "mdaemon", "mail delivery")


def _daemon_header(value: object) -> bool:
    # Substrings, not parseaddr: the stdlib's address parser took 0.4 ms on an ordinary From header, more than the
    # whole gate should cost; a gate may say yes too often, the scan after it decides.
    text = str(value or "")[:500].lower()
    return any(mark in text for mark in _DAEMON_MARKS)


def may_be_bounce(
    message: Message,
    envelope_from: str | None,
    raw: bytes = b"",
    content_type: Callable[[Message], str] = Message.get_content_type,
) -> str | None:
    """Why this mail could be a bounce (then flufl.bounce looks for the failed recipients), or None.

    Null reverse path, a report content type anywhere, a mail-system sender, a bounce subject, Exim's
    X-Failed-Recipients, Return-Path <>, or one of the detectors' phrases in the first 64 KB of the raw mail.
    Ordinary customer mail has none of these and skips the scan. `content_type`: how a part's content type is read
    (the parser passes the ones it has read already)."""
    if envelope_from is not None and envelope_from.strip().strip("<>").strip() == "":
        return "null reverse path"
    for part in message.walk():
        part_type = content_type(part)
        if part_type in _REPORT_TYPES:
            return part_type
        try:
            if part.get("x-failed-recipients") is not None:
                return "X-Failed-Recipients"
            if (part.get("return-path") or "").replace(" ", "") == "<>":
                return "Return-Path <>"
            if _daemon_header(part.get("from")) or _daemon_header(part.get("sender")):
                return "mail-system sender"
            if _SUBJECT.search(str(part.get("subject") or "")[:500]):
                return "bounce subject"
        except Exception:  # a header the email package cannot render: let the scan decide
            return "unreadable header"
    if raw and _body_marker(raw[:BODY_SCAN_BYTES].lower()):
        return "bounce phrase"
    return None


def _is_daemon(address: str | None) -> bool:
    local = (address or "").partition("@")[0].lower()
    return local in _DAEMONS or local.startswith("mailer-daemon")


class Bounce:
    """Skip delivery status notifications, read receipts and other reports."""

    name = "bounce"
    description = (
        "multipart/report, a null reverse path (<>), a MAILER-DAEMON/postmaster sender, or failing "
        "recipients found by flufl.bounce."
    )

    def check(self, mail: ParsedMail, messages: Sequence[ThreadMessage], customer: Customer | None) -> GuardHit | None:
        if mail.content_type == "multipart/report":
            return hit(self, "the mail is a multipart/report (delivery or disposition report)")
        if mail.envelope_from == "":
            return hit(self, "the envelope sender is the null reverse path <>")
        if (mail.header("return-path") or "").replace(" ", "") == "<>":
            return hit(self, "Return-Path is the null reverse path <>")
        if _is_daemon(mail.from_email) or _is_daemon(mail.envelope_from):
            return hit(self, f"the sender {mail.from_email or mail.envelope_from} is a mail system")
        if mail.bounced_recipients:
            shown = ", ".join(mail.bounced_recipients[:3])
            return hit(self, f"flufl.bounce found failed deliveries to {shown}")
        target = judged(mail, messages, customer)
        if target.inner and _is_daemon(target.sender):
            return hit(self, f"the forwarded message is a bounce from {target.sender}")
        for inner in mail.embedded:
            if customer is not None and customer.email in (inner.from_email, inner.reply_to):
                if inner.content_type == "multipart/report" or inner.bounced_recipients:
                    return hit(self, "the forwarded message is a delivery report")
        return None
