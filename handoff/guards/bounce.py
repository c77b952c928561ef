"""Bounces and delivery reports: they are about a mail, not from a customer."""

from __future__ import annotations

from collections.abc import Sequence

from handoff.guards.base import hit, judged
from handoff.model import Customer, GuardHit, ParsedMail, ThreadMessage

_DAEMONS = ("mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon", "mdaemon")


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
