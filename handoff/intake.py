"""SMTP intake: bytes in, a durable spool row, then (and only then) 250.

No parsing happens here: aiosmtpd cancels a handler that outlives its timeout, and a mail that cannot
be parsed must still be accepted and parked with its raw bytes, not refused.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from handoff.settings import SmtpSettings
from handoff.spool.base import Spool

log = logging.getLogger("handoff.intake")

# aiosmtpd answers over-size mail with bare "552 Error: ..." texts; senders and operators read the
# enhanced status code (RFC 3463), so we rewrite just those replies.
_SIZE_REPLIES = ("552 Error: Too much mail data", "552 Error: message size exceeds fixed maximum message size")
SIZE_REPLY = "552 5.3.4 Message too big for this system"


class HandoffSMTP(SMTP):
    # RFC 5322 caps lines at 998 characters, but real HTML mail breaks it; accepting and parking beats
    # aiosmtpd's "500 Line too long", which makes the sender bounce the customer's mail.
    line_length_limit = 1 << 20

    async def push(self, status: str) -> None:
        if status in _SIZE_REPLIES:
            log.info("refused over-size mail from %s", self.session.peer if self.session else "?")
            status = SIZE_REPLY
        await super().push(status)


class Recipients:
    """Which addresses handoff accepts: exact addresses, or '@domain' for a whole domain."""

    def __init__(self, entries: list[str]) -> None:
        self.addresses = {e for e in entries if not e.startswith("@")}
        self.domains = {e[1:] for e in entries if e.startswith("@")}
        self.own_domains = self.domains | {a.rpartition("@")[2] for a in self.addresses}

    def accepts(self, address: str) -> bool:
        address = address.strip().lower()
        return address in self.addresses or address.rpartition("@")[2] in self.domains

    def is_ours(self, address: str) -> bool:
        return address.strip().lower().rpartition("@")[2] in self.own_domains


class IntakeHandler:
    def __init__(self, settings: SmtpSettings, spool: Spool, on_queued: asyncio.Event | None = None) -> None:
        self.recipients = Recipients(settings.recipients)
        self.spool = spool
        # Set after every durable enqueue so an idle worker wakes at once instead of polling.
        self.on_queued = on_queued
        self.accepted = 0

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if self.recipients.accepts(address):
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 OK"
        if self.recipients.is_ours(address):
            log.info("refused unknown recipient %s from %s", address, session.peer)
            return "550 5.1.1 Recipient address rejected: no such handoff mailbox"
        # Not a domain we serve: an open-relay probe or a misrouted mail.
        log.info("refused relay attempt to %s from %s", address, session.peer)
        return "550 5.7.1 Relay access denied"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content
        if raw is None:  # aiosmtpd always sets it after DATA; guard against a future change
            raise RuntimeError("no message content")
        mail_from = envelope.mail_from or ""
        spool_id = await self.spool.enqueue(raw, mail_from, list(envelope.rcpt_tos))
        self.accepted += 1
        log.info("spool=%d queued %d bytes from <%s> for %s", spool_id, len(raw), mail_from, envelope.rcpt_tos)
        if self.on_queued is not None:
            self.on_queued.set()
        return f"250 2.0.0 queued as {spool_id}"

    async def handle_exception(self, error: Exception) -> str:
        # The mail is not stored: a temporary failure makes the sending MTA try again later, whereas
        # aiosmtpd's default 500 would make it bounce the customer's mail for good.
        log.error("intake failure, answered 451: %s: %s", type(error).__name__, error)
        return "451 4.3.0 Temporary failure storing the message, try again later"


async def start_smtp(
    settings: SmtpSettings, spool: Spool, on_queued: asyncio.Event | None = None
) -> tuple[asyncio.Server, IntakeHandler]:
    """Serve SMTP in the running loop (not aiosmtpd's Controller thread) so it shares our spool and loop."""
    handler = IntakeHandler(settings, spool, on_queued)
    loop = asyncio.get_running_loop()

    def factory() -> HandoffSMTP:
        return HandoffSMTP(
            handler,
            data_size_limit=settings.max_message_size,
            hostname=settings.hostname,
            ident="handoff",
            enable_SMTPUTF8=True,
            decode_data=False,
        )

    server = await loop.create_server(factory, host=settings.host, port=settings.port)
    return server, handler


def bound_port(server: asyncio.Server) -> int:
    sock: Any = server.sockets[0]
    return int(sock.getsockname()[1])
