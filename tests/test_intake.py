"""SMTP intake on a real socket: what a sending MTA sees, and what lands in the spool."""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from handoff.intake import IntakeHandler, start_smtp
from handoff.settings import SmtpSettings
from handoff.spool.sqlite import SqliteSpool

MAIL = b"From: Jane <jane@example.com>\r\nTo: cases@handoff.test\r\nSubject: help\r\n\r\nMy order never came.\r\n"


@pytest.fixture
async def smtp(spool: SqliteSpool) -> AsyncIterator[tuple[int, IntakeHandler]]:
    settings = SmtpSettings(port=0, recipients=["cases@handoff.test", "@support.handoff.test"], max_message_size=4096)
    server, handler = await start_smtp(settings, spool)
    yield server.sockets[0].getsockname()[1], handler
    server.close()
    await server.wait_closed()


def send(port: int, rcpts: list[str], data: bytes, mail_from: str = "agent@acme-support.com") -> tuple[int, bytes]:
    """A real SMTP client transaction; returns the reply to DATA, or the first refusal."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("client.test")
        code, reply = client.mail(mail_from)
        if code != 250:
            return code, reply
        for rcpt in rcpts:
            code, reply = client.rcpt(rcpt)
            if code != 250:
                return code, reply
        return client.data(data)


async def test_accepted_mail_is_in_the_spool_before_250(smtp: tuple[int, IntakeHandler], spool: SqliteSpool) -> None:
    port, _ = smtp
    code, reply = await asyncio.to_thread(send, port, ["cases@handoff.test"], MAIL)
    assert code == 250
    assert reply.startswith(b"2.0.0 queued as ")
    spool_id = int(reply.rsplit(b" ", 1)[1])
    item = await spool.get(spool_id)
    assert item.state == "queued"
    assert item.raw == MAIL
    assert (item.mail_from, item.rcpt_tos) == ("agent@acme-support.com", ["cases@handoff.test"])


async def test_whole_domain_entry_accepts_any_mailbox(smtp: tuple[int, IntakeHandler]) -> None:
    code, _ = await asyncio.to_thread(send, smtp[0], ["Team-A@Support.handoff.test"], MAIL)
    assert code == 250


async def test_unknown_recipient_gets_550_5_1_1(smtp: tuple[int, IntakeHandler], spool: SqliteSpool) -> None:
    code, reply = await asyncio.to_thread(send, smtp[0], ["nobody@handoff.test"], MAIL)
    assert (code, reply[:5]) == (550, b"5.1.1")
    assert (await spool.counts())["queued"] == 0


async def test_relay_attempt_is_refused(smtp: tuple[int, IntakeHandler]) -> None:
    code, reply = await asyncio.to_thread(send, smtp[0], ["victim@elsewhere.example"], MAIL)
    assert (code, reply[:5]) == (550, b"5.7.1")


async def test_over_size_mail_gets_552_5_3_4(smtp: tuple[int, IntakeHandler], spool: SqliteSpool) -> None:
    big = MAIL + b"x" * 5000 + b"\r\n"
    code, reply = await asyncio.to_thread(send, smtp[0], ["cases@handoff.test"], big)
    assert (code, reply[:5]) == (552, b"5.3.4")
    assert (await spool.counts())["queued"] == 0


async def test_declared_size_over_limit_is_refused_at_mail_from(smtp: tuple[int, IntakeHandler]) -> None:
    def declare() -> tuple[int, bytes]:
        with smtplib.SMTP("127.0.0.1", smtp[0], timeout=10) as client:
            client.ehlo("client.test")
            return client.mail("a@b.example", options=["SIZE=999999"])

    code, reply = await asyncio.to_thread(declare)
    assert (code, reply[:5]) == (552, b"5.3.4")


async def test_long_lines_are_accepted_not_bounced(smtp: tuple[int, IntakeHandler]) -> None:
    # Unwrapped HTML mail breaks RFC 5322's 998-character limit; bouncing it would lose the customer.
    long_line = MAIL + b"<p>" + b"a" * 2000 + b"</p>\r\n"
    code, _ = await asyncio.to_thread(send, smtp[0], ["cases@handoff.test"], long_line[:4000])
    assert code == 250


async def test_spool_write_failure_answers_451(smtp: tuple[int, IntakeHandler], spool: SqliteSpool) -> None:
    # A real failure inside SQLite's write path (as a full disk or a broken file would give).
    await spool._call(
        lambda conn: conn.execute(
            "CREATE TRIGGER no_space BEFORE INSERT ON handoffs BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    )
    code, reply = await asyncio.to_thread(send, smtp[0], ["cases@handoff.test"], MAIL)
    assert (code, reply[:5]) == (451, b"4.3.0")
    assert sum((await spool.counts()).values()) == 0


async def test_closed_spool_answers_451(tmp_path: Path) -> None:
    spool = SqliteSpool(tmp_path / "never-opened.db")
    server, _ = await start_smtp(SmtpSettings(port=0, recipients=["cases@handoff.test"]), spool)
    try:
        code, _ = await asyncio.to_thread(send, server.sockets[0].getsockname()[1], ["cases@handoff.test"], MAIL)
        assert code == 451
    finally:
        server.close()
        await server.wait_closed()


# -- who handed the mail over -------------------------------------------------------------------------
async def test_the_peer_address_and_helo_name_are_kept_with_the_mail(spool: SqliteSpool) -> None:
    from handoff.spool.base import Peer
    from tests.smtp_kit import MAIL as KIT_MAIL
    from tests.smtp_kit import running
    from tests.smtp_kit import send as kit_send

    async with running(spool) as smtp:
        code, reply = await kit_send(smtp.port, source="127.0.0.5", local_hostname="relay.acme.example")
    assert code == 250, reply
    item = await spool.get(int(reply.rsplit(" ", 1)[1]))
    assert item is not None and item.peer == Peer(ip="127.0.0.5", helo="relay.acme.example")
    assert item.raw == KIT_MAIL  # nothing added to the mail itself


async def test_tls_and_the_auth_user_are_kept_with_the_mail(spool: SqliteSpool, tmp_path: Path) -> None:
    from handoff.smtp_auth import hash_password
    from handoff.spool.base import Peer
    from tests.smtp_kit import Certificates, client, running, transaction

    certs = Certificates(tmp_path)
    users = [{"name": "triage-bot", "password_hash": hash_password("correct horse", n=1 << 10)}]
    async with running(
        spool, accept_from=["auth"], users=users, tls_cert=str(certs.cert), tls_key=str(certs.key)
    ) as smtp:
        c = client(smtp.port, local_hostname="bot.acme.example")
        await c.connect()
        await certs.starttls(c)
        await c.login("triage-bot", "correct horse")
        code, reply = await transaction(c)
        c.close()
    assert code == 250, reply
    item = await spool.get(int(reply.rsplit(" ", 1)[1]))
    assert item is not None and item.peer is not None
    assert item.peer.tls in ("TLSv1.2", "TLSv1.3")
    assert item.peer == Peer(ip="127.0.0.1", helo="bot.acme.example", tls=item.peer.tls, auth="triage-bot")


async def test_a_helo_name_with_undecodable_bytes_is_stored_printable(spool: SqliteSpool) -> None:
    from tests.smtp_kit import RCPT, running

    async with running(spool) as smtp:
        reader, writer = await asyncio.open_connection("127.0.0.1", smtp.port)
        await reader.readline()
        replies = []
        for line in (b"HELO bad\xff\x01name", b"MAIL FROM:<a@acme.example>", f"RCPT TO:<{RCPT}>".encode(), b"DATA"):
            writer.write(line + b"\r\n")
            replies.append(await asyncio.wait_for(reader.readline(), 10))
        writer.write(MAIL + b".\r\n")
        replies.append(await asyncio.wait_for(reader.readline(), 10))
        writer.close()
    assert replies[-1].startswith(b"250 2.0.0 queued as "), replies
    item = await spool.get(int(replies[-1].rsplit(b" ", 1)[1]))
    assert item is not None and item.peer is not None and item.peer.helo == "bad\ufffd?name"
