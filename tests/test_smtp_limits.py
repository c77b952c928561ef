"""Limits under abuse, on a real socket: connections, recipients, slow clients, long lines, DATA memory.

Sizes are small here (the full-size flood and slow-client run is bench/smtp_abuse.py)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path
from typing import Any

import aiohttp

from handoff.intake import READ_LIMIT
from handoff.spool.sqlite import SqliteSpool
from tests.smtp_kit import MAIL, RCPT, client, queued, running, send

Conn = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def connect(port: int, source: str = "127.0.0.1") -> tuple[Conn, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    greeting = await asyncio.wait_for(reader.readline(), 10)
    return (reader, writer), greeting


async def command(conn: Conn, line: bytes) -> bytes:
    """Send one line; the last line of the (possibly multi-line) reply."""
    reader, writer = conn
    writer.write(line + b"\r\n")
    while True:
        reply = await asyncio.wait_for(reader.readline(), 10)
        if len(reply) < 4 or reply[3:4] != b"-":
            return reply


async def closed(conn: Conn) -> bool:
    """Whether the server closed the connection (then closed on our side too)."""
    try:
        return await asyncio.wait_for(conn[0].read(), 5) == b""
    except ConnectionError:
        return True
    except TimeoutError:
        return False
    finally:
        conn[1].close()


async def settle(condition: Any, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline
        await asyncio.sleep(0.01)


async def test_max_connections_then_421_and_close(spool: SqliteSpool) -> None:
    async with running(spool, max_connections=3) as smtp:
        held = [await connect(smtp.port, f"127.0.0.{n}") for n in (2, 3, 4)]
        assert all(g.startswith(b"220 ") for _, g in held)
        extra, greeting = await connect(smtp.port, "127.0.0.5")
        assert greeting.startswith(b"421 4.7.0 mx.handoff.test Too many connections")
        assert await closed(extra)
        held[0][0][1].close()
        await settle(lambda: smtp.handler.sessions == 2)
        again, greeting = await connect(smtp.port, "127.0.0.5")
        assert greeting.startswith(b"220 ")
        for conn, _ in [*held, (again, b"")]:
            conn[1].close()
        assert smtp.handler.refusals[("421", "too_many_connections")] == 1


async def test_per_peer_limit_and_the_trusted_relays_own_allowance(spool: SqliteSpool) -> None:
    settings = {"max_connections": 3, "max_connections_per_peer": 2, "trusted_networks": ["127.0.0.9/32"]}
    async with running(spool, **settings) as smtp:
        mine = [await connect(smtp.port, "127.0.0.2") for _ in range(2)]
        third, greeting = await connect(smtp.port, "127.0.0.2")
        assert greeting.startswith(b"421 4.7.0 mx.handoff.test Too many connections from your address")
        assert await closed(third)
        other, greeting = await connect(smtp.port, "127.0.0.3")  # another address still gets in
        assert greeting.startswith(b"220 ")
        # Everyone else's pool is full now; the organisation's relay has its own and no per-peer limit.
        relay = [await connect(smtp.port, "127.0.0.9") for _ in range(3)]
        assert all(g.startswith(b"220 ") for _, g in relay)
        full, greeting = await connect(smtp.port, "127.0.0.9")
        assert greeting.startswith(b"421 4.7.0") and await closed(full)  # its own pool is full too
        for conn, _ in [*mine, (other, b""), *relay]:
            conn[1].close()
        assert smtp.handler.refusals[("421", "too_many_from_peer")] == 1


async def test_connection_rate_per_peer_then_421_until_the_window_has_room(spool: SqliteSpool) -> None:
    # Postfix's smtpd_client_connection_rate_limit: new sessions per address per window, whether or not the
    # earlier ones are still open (max_connections_per_peer counts those).
    settings = {"max_connection_rate_per_peer": 3, "connection_rate_window": "1m", "trusted_networks": ["127.0.0.9/32"]}
    async with running(spool, **settings) as smtp:
        now = [1000.0]
        smtp.handler.gate.clock = lambda: now[0]  # the window passes when the test says, not with the load
        for _ in range(3):  # at 1000, 1001 and 1002
            conn, greeting = await connect(smtp.port, "127.0.0.2")
            assert greeting.startswith(b"220 ")
            assert (await command(conn, b"QUIT")).startswith(b"221")
            conn[1].close()
            now[0] += 1
        now[0] += 56  # 1059: all three within the last minute
        fourth, greeting = await connect(smtp.port, "127.0.0.2")
        assert greeting == (
            b"421 4.7.0 mx.handoff.test Too many connections from your address: at most 3 per 1 min, "
            b"try again later\r\n"
        )
        assert await closed(fourth)
        other, greeting = await connect(smtp.port, "127.0.0.3")  # another address has its own allowance
        assert greeting.startswith(b"220 ")
        relay = [await connect(smtp.port, "127.0.0.9") for _ in range(5)]  # the relay is not rate-limited
        assert all(g.startswith(b"220 ") for _, g in relay)
        assert smtp.handler.gate.rate_limited_peers == 1
        now[0] += 1.5  # 1060.5: the first session (1000) left the window: one more, and only one
        again, greeting = await connect(smtp.port, "127.0.0.2")
        assert greeting.startswith(b"220 ")
        assert (await command(again, b"EHLO client.test")).startswith(b"250 ")
        refused, greeting = await connect(smtp.port, "127.0.0.2")
        assert greeting.startswith(b"421 4.7.0") and await closed(refused)
        for conn, _ in [(other, b""), *relay, (again, b"")]:
            conn[1].close()
        assert smtp.handler.refusals[("421", "connection_rate")] == 2


async def test_a_peer_that_authenticated_is_not_rate_limited(spool: SqliteSpool, tmp_path: Path) -> None:
    from handoff.smtp_auth import hash_password
    from tests.smtp_kit import Certificates, transaction

    certs = Certificates(tmp_path)
    users = [{"name": "triage-bot", "password_hash": hash_password("correct horse", n=1 << 10)}]
    settings = {"accept_from": ["auth"], "users": users, "tls_cert": str(certs.cert), "tls_key": str(certs.key)}
    async with running(spool, max_connection_rate_per_peer=2, **settings) as smtp:
        # An agent's script: a mail per connection, each over STARTTLS + AUTH, from one address.
        for n in range(5):
            c = client(smtp.port, source="127.0.0.2")
            await c.connect()
            await certs.starttls(c)
            await c.login("triage-bot", "correct horse")
            code, reply = await transaction(c, MAIL.replace(b"edge-1@", b"bot-%d@" % n))
            assert code == 250, (n, reply)
            c.close()
        # Another address that only connects is limited.
        for _ in range(2):
            conn, greeting = await connect(smtp.port, "127.0.0.3")
            assert greeting.startswith(b"220 ")
            conn[1].close()
        third, greeting = await connect(smtp.port, "127.0.0.3")
        assert greeting.startswith(b"421 4.7.0 mx.handoff.test Too many connections from your address: at most 2")
        assert await closed(third)
    assert await queued(spool) == 5


def test_the_rate_limit_forgets_addresses_quiet_for_a_window() -> None:
    from handoff.smtp_limits import Admission, Gate, TrustedNetworks

    now = [0.0]
    gate = Gate(100_000, 20, TrustedNetworks([]), rate_per_peer=2, rate_window=60, clock=lambda: now[0])
    for n in range(10_000):  # a flood from as many IPv6 /64s, one session each
        admission = gate.admit((f"2001:db8:{n // 256:x}:{n % 256:x}::1", 25))
        assert isinstance(admission, Admission)
        gate.release(admission)
    assert len(gate.started) == 10_000
    now[0] = 61.0
    assert isinstance(gate.admit(("192.0.2.1", 25)), Admission)
    assert len(gate.started) == 1  # the flood's times are gone with its window


async def test_max_recipients_per_transaction(spool: SqliteSpool) -> None:
    async with running(spool, recipients=["@support.handoff.test"], max_recipients=3) as smtp:
        c = client(smtp.port)
        await c.connect()
        await c.mail("agent@acme.example")
        for n in range(3):
            await c.rcpt(f"team{n}@support.handoff.test")
        code, message = await c.execute_command(b"RCPT", b"TO:<team3@support.handoff.test>")
        assert (code, message[:5]) == (452, "4.5.3")
        assert (await c.data(MAIL)).code == 250  # with the three it took
        c.close()
    item = await spool.get(1)
    assert item is not None and len(item.rcpt_tos) == 3


async def test_a_client_dribbling_a_command_is_dropped(spool: SqliteSpool) -> None:
    async with running(spool, command_timeout=0.5) as smtp:
        (reader, writer), _ = await connect(smtp.port)
        started = time.monotonic()
        reply = b""
        with contextlib.suppress(ConnectionError):
            for byte in b"EHLO slowloris.example":  # one byte every 0.1 s: bytes alone reset nothing
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.1)
                if reader.at_eof() or reader._buffer:  # type: ignore[attr-defined]
                    break
        reply = await asyncio.wait_for(reader.readline(), 5)
        assert reply.startswith(b"421 4.4.2 mx.handoff.test Error: timeout exceeded")
        assert await closed((reader, writer))
        assert time.monotonic() - started < 1.5
        assert smtp.handler.refusals[("421", "command_timeout")] == 1
        writer.close()


async def test_noops_do_not_keep_a_session_forever(spool: SqliteSpool) -> None:
    # The defaults: 100 junk commands, then each is an error, and the 20th error closes the session.
    async with running(spool) as smtp:
        conn, _ = await connect(smtp.port)
        await command(conn, b"EHLO client.test")
        replies = []
        while len(replies) < 200 and not (replies and replies[-1].startswith(b"421")):
            replies.append(await command(conn, b"NOOP"))
        assert 100 < len(replies) <= 120 and all(r.startswith(b"250") for r in replies[:-1])
        assert replies[-1].startswith(b"421 4.7.0 mx.handoff.test Error: too many errors")
        assert await closed(conn)
        conn[1].close()


async def test_a_relay_that_sends_a_noop_before_every_mail_is_not_cut(spool: SqliteSpool) -> None:
    # aiosmtpd's own count of NOOPs never starts again: at 20 a session was closed, whatever it had delivered.
    async with running(spool) as smtp:
        c = client(smtp.port)
        await c.connect()
        for n in range(25):
            await c.noop()
            await c.mail("relay@acme.example")
            await c.rcpt(RCPT)
            assert (await c.data(MAIL.replace(b"edge-1@", b"noop-%d@" % n))).code == 250, n
        c.close()
    assert await queued(spool) == 25


async def test_rset_cycles_do_not_keep_a_session_forever(spool: SqliteSpool) -> None:
    # Postfix's junk commands (NOOP, RSET, VRFY, ...): beyond junk_command_limit each is an error, and at
    # hard_error_limit errors the session is closed.
    async with running(spool, junk_command_limit=3, hard_error_limit=2) as smtp:
        conn, _ = await connect(smtp.port)
        assert (await command(conn, b"EHLO client.test")).startswith(b"250")
        replies = []
        for _ in range(3):  # MAIL-then-RSET: three junk commands, within the limit
            replies += [await command(conn, b"MAIL FROM:<a@acme.example>"), await command(conn, b"RSET")]
        replies.append(await command(conn, b"NOOP"))  # the fourth: one error, still answered
        assert all(r.startswith(b"250") for r in replies), replies
        assert (await command(conn, b"RSET")).startswith(b"421 4.7.0 mx.handoff.test Error: too many errors")
        assert await closed(conn)
        assert smtp.handler.refusals[("421", "junk_commands")] == 1


async def test_a_client_that_keeps_being_refused_is_closed(spool: SqliteSpool) -> None:
    async with running(spool, hard_error_limit=3) as smtp:
        conn, _ = await connect(smtp.port)
        for line in (b"EHLO client.test", b"MAIL FROM:<a@acme.example>"):
            assert (await command(conn, line)).startswith(b"250")
        # A nested MAIL is refused each time (and would reset aiosmtpd's idle timer each time).
        replies = [await command(conn, b"MAIL FROM:<b@acme.example>") for _ in range(3)]
        assert all(r.startswith(b"503") for r in replies), replies
        reply = await asyncio.wait_for(conn[0].readline(), 5)
        assert reply.startswith(b"421 4.7.0 mx.handoff.test Error: too many errors")
        assert await closed(conn)
        assert smtp.handler.refusals[("421", "too_many_errors")] == 1


async def test_a_session_that_stores_no_mail_is_closed_after_no_mail_timeout(spool: SqliteSpool) -> None:
    async with running(spool, no_mail_timeout=1, command_timeout=5) as smtp:
        conn, _ = await connect(smtp.port)
        reader, _writer = conn
        assert (await command(conn, b"EHLO client.test")).startswith(b"250")
        reply = b""
        for _ in range(50):  # an RSET every 0.2 s, each well within command_timeout
            await asyncio.sleep(0.2)
            # Not written once the server has answered and closed: that would draw a reset, which can
            # discard the 421 before it is read.
            if reader._buffer or reader.at_eof():  # type: ignore[attr-defined]
                break
            reply = await command(conn, b"RSET")
            if not reply.startswith(b"250"):
                break
        if not reply.startswith(b"421"):
            reply = await asyncio.wait_for(reader.readline(), 5)
        assert reply.startswith(b"421 4.4.2 mx.handoff.test Error: no mail within 1 s"), reply
        assert await closed(conn)
        assert smtp.handler.refusals[("421", "no_mail_timeout")] == 1


async def test_a_relay_sending_many_mails_over_one_connection_is_not_cut(spool: SqliteSpool) -> None:
    # Each accepted mail starts the junk and error counts and the no-mail clock again: without that, this
    # session's junk commands, refused recipients and time would each have closed it.
    import aiosmtplib

    async with running(spool, junk_command_limit=1, hard_error_limit=3, no_mail_timeout=1.5) as smtp:
        c = client(smtp.port)
        await c.connect()
        for n in range(8):
            await asyncio.sleep(0.3)
            await c.rset()
            await c.noop()  # the second junk command of the mail: one error
            await c.mail("relay@acme.example")
            await c.rcpt(RCPT)
            with contextlib.suppress(aiosmtplib.SMTPRecipientRefused):
                await c.rcpt("nobody@handoff.test")  # 550 5.1.1: a second error
            reply = await c.data(MAIL.replace(b"edge-1@", b"edge-%d@" % n))
            assert reply.code == 250, (n, reply)
        c.close()
    assert await queued(spool) == 8
    assert smtp.handler.refusals[("421", "no_mail_timeout")] == 0
    assert smtp.handler.refusals[("421", "too_many_errors")] + smtp.handler.refusals[("421", "junk_commands")] == 0


async def test_a_data_under_way_is_not_cut_by_the_no_mail_deadline(spool: SqliteSpool) -> None:
    async with running(spool, no_mail_timeout=0.5, command_timeout=5, data_timeout=10) as smtp:
        conn, _ = await connect(smtp.port)
        for line in (b"EHLO client.test", b"MAIL FROM:<a@acme.example>", f"RCPT TO:<{RCPT}>".encode()):
            assert (await command(conn, line)).startswith(b"250")
        assert (await command(conn, b"DATA")).startswith(b"354")
        reader, writer = conn
        for n in range(8):  # 1.2 s of a slow DATA: past the no-mail deadline, within data_timeout
            writer.write(b"X-Slow-%d: still coming\r\n" % n)
            await writer.drain()
            await asyncio.sleep(0.15)
        writer.write(MAIL + b".\r\n")
        assert (await asyncio.wait_for(reader.readline(), 10)).startswith(b"250 2.0.0 queued as ")
        # The mail started the clock again: the session goes on, until it has stored none for 0.5 s more.
        assert (await command(conn, b"NOOP")).startswith(b"250")
        await asyncio.sleep(0.7)
        assert (await command(conn, b"NOOP")).startswith(b"421 4.4.2 mx.handoff.test Error: no mail within 0.5 s")
        assert await closed(conn)
    assert await queued(spool) == 1


async def test_a_client_dribbling_data_is_dropped_at_the_data_deadline(spool: SqliteSpool) -> None:
    async with running(spool, command_timeout=5, data_timeout=1) as smtp:
        conn, _ = await connect(smtp.port)
        for line in (b"EHLO client.test", b"MAIL FROM:<a@acme.example>", f"RCPT TO:<{RCPT}>".encode()):
            assert (await command(conn, line)).startswith(b"250")
        assert (await command(conn, b"DATA")).startswith(b"354")
        started = time.monotonic()
        reader, writer = conn
        with contextlib.suppress(ConnectionError):
            for n in range(40):  # a whole line every 0.1 s: each arrives well within any idle timeout
                writer.write(b"X-Slow-%d: still coming\r\n" % n)
                await writer.drain()
                await asyncio.sleep(0.1)
                # Then quiet, well before the deadline: a line written after the server's close draws a reset,
                # which can discard the 421 before it is read (seen once with the machine under load).
                if reader._buffer or reader.at_eof() or time.monotonic() - started > 0.5:  # type: ignore[attr-defined]
                    break
        reply = await asyncio.wait_for(reader.readline(), 5)
        assert reply.startswith(b"421 4.4.2")
        assert 0.9 < time.monotonic() - started < 2.5  # the DATA deadline, not the 5 s command timeout
        assert await closed(conn)
        writer.close()
        await settle(lambda: smtp.handler.data_bytes_held == 0)
        assert smtp.handler.refusals[("421", "data_timeout")] == 1
    assert await queued(spool) == 0


async def test_command_lines_are_capped_but_data_lines_are_not(spool: SqliteSpool) -> None:
    async with running(spool) as smtp:
        conn, _ = await connect(smtp.port)
        await command(conn, b"EHLO client.test")
        assert (await command(conn, b"MAIL FROM:<" + b"a" * 600 + b"@acme.example>")).startswith(b"500 5.5.2")
        # A megabyte without a line end is discarded as it arrives, and the session goes on.
        assert (await command(conn, b"NOOP " + b"x" * 1_000_000)).startswith(b"500 5.5.2")
        assert (await command(conn, b"MAIL FROM:<a@acme.example>")).startswith(b"250")
        conn[1].close()
        # DATA keeps accepting lines far beyond RFC 5322's 998 (unwrapped HTML mail), intact.
        html = MAIL.replace(b"Customer wants", b"<p>" + b"y" * 200_000 + b"</p>\r\n.leading dot\r\nCustomer wants")
        code, message = await send(smtp.port, html)
        assert code == 250, message
    item = await spool.get(1)
    assert item is not None and item.raw == html


async def test_data_memory_budget_waits_then_451(spool: SqliteSpool) -> None:
    kib = 1024
    settings = {"max_message_size": 256 * kib, "data_memory_budget": 256 * kib, "data_memory_wait": 0.5}
    async with running(spool, **settings) as smtp:

        async def open_data(source: str) -> Conn:
            conn, _ = await connect(smtp.port, source)
            for line in (b"EHLO client.test", b"MAIL FROM:<a@acme.example>", f"RCPT TO:<{RCPT}>".encode()):
                assert (await command(conn, line)).startswith(b"250")
            return conn

        # A holds 200 KiB of an unterminated DATA; the budget has no room for another DATA.
        a = await open_data("127.0.0.2")
        assert (await command(a, b"DATA")).startswith(b"354")
        a[1].write(b"Subject: big\r\n\r\n" + b"z" * 76 * kib + b"\r\n" + (b"w" * 1022 + b"\r\n") * 124)
        await a[1].drain()
        await settle(lambda: smtp.handler.data_bytes_held >= 200 * kib)
        b = await open_data("127.0.0.3")
        started = time.monotonic()
        assert (await command(b, b"DATA")).startswith(b"451 4.3.1")  # after waiting briefly
        assert time.monotonic() - started >= 0.45

        # C asks while A is still arriving; A finishes within the wait, and C goes on.
        c = await open_data("127.0.0.4")
        c[1].write(b"DATA\r\n")
        await asyncio.sleep(0.1)
        assert (await command(a, b".")).startswith(b"250 2.0.0")
        assert (await asyncio.wait_for(c[0].readline(), 5)).startswith(b"354")
        # C outgrows the budget while D holds part of it: C is read to its end, discarded and told 451.
        d = await open_data("127.0.0.5")
        assert (await command(d, b"DATA")).startswith(b"354")
        d[1].write(b"Subject: d\r\n\r\n" + b"d" * 100 * kib + b"\r\n")
        await settle(lambda: smtp.handler.data_bytes_held >= 160 * kib)
        c[1].write(b"Subject: c\r\n\r\n" + (b"c" * 1022 + b"\r\n") * 200)
        assert (await command(c, b".")).startswith(b"451 4.3.1")
        assert (await command(d, b".")).startswith(b"250 2.0.0")
        for conn in (a, b, c, d):
            conn[1].close()
        await settle(lambda: smtp.handler.data_bytes_held == 0 and smtp.handler.sessions == 0)
        assert smtp.handler.refusals[("451", "memory")] == 2
    assert await queued(spool) == 2  # A and D; nothing of B or C


async def test_a_burst_of_connections_all_get_an_answer(spool: SqliteSpool) -> None:
    # Every connection of a burst is answered at once, 220 or 421, none left in a full listen queue.
    async with running(spool, max_connections=40, max_connections_per_peer=1000) as smtp:
        started = time.monotonic()
        results = await asyncio.gather(
            *(connect(smtp.port, f"127.0.{n // 200}.{n % 200 + 1}") for n in range(400)), return_exceptions=True
        )
        elapsed = time.monotonic() - started
        greetings = [r[1][:3] for r in results if not isinstance(r, BaseException)]
        assert len(greetings) == 400, [r for r in results if isinstance(r, BaseException)][:3]
        assert greetings.count(b"220") == 40 and greetings.count(b"421") == 360
        assert elapsed < 5, elapsed  # a dropped SYN would cost 1 s, then 3 s more
        for r in results:
            if not isinstance(r, BaseException):
                r[0][1].close()


async def test_refusals_and_sessions_in_metrics(tmp_path: Path, sandbox: Any) -> None:
    from handoff.service import Service
    from tests.conftest import settings_for

    smtp = {
        "accept_from": ["networks"],
        "trusted_networks": ["127.0.0.2/32"],
        "max_connections_per_peer": 1,
        "max_connection_rate_per_peer": 2,
    }
    service = Service(settings_for(tmp_path, sandbox, smtp=smtp, triage={"use_embeddings": False}))
    await service.start()
    try:
        assert (await send(service.smtp_port, source="127.0.0.3"))[0] == 550
        held, _ = await connect(service.smtp_port, "127.0.0.4")
        refused, greeting = await connect(service.smtp_port, "127.0.0.4")
        assert greeting.startswith(b"421") and await closed(refused)
        for _ in range(2):  # 127.0.0.5 starts two sessions within the minute, then is refused a third
            conn, greeting = await connect(service.smtp_port, "127.0.0.5")
            assert greeting.startswith(b"220 ")
            assert (await command(conn, b"QUIT")).startswith(b"221") and await closed(conn)
            await settle(lambda: service.intake.sessions == 1)  # only `held` left: one at a time per peer here
        too_fast, greeting = await connect(service.smtp_port, "127.0.0.5")
        assert greeting.startswith(b"421 4.7.0") and await closed(too_fast)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{service.http_port}/metrics") as response:
                text = await response.text()
        assert 'handoff_smtp_refusals_total{code="550",reason="not_trusted"} 1.0' in text
        assert 'handoff_smtp_refusals_total{code="421",reason="too_many_from_peer"} 1.0' in text
        assert 'handoff_smtp_refusals_total{code="421",reason="connection_rate"} 1.0' in text
        assert "handoff_smtp_sessions 1.0" in text
        assert "handoff_smtp_data_bytes 0.0" in text
        assert (await service.parts.spool.counts())["queued"] == 0
    finally:
        await service.stop()
    # Stopping closed the session that was still open.
    assert await closed(held)


async def test_a_session_ended_mid_data_gives_its_memory_back(spool: SqliteSpool) -> None:
    async with running(spool) as smtp:
        c = client(smtp.port)
        await c.connect()
        await c.mail("a@acme.example")
        await c.rcpt(RCPT)
        code, _ = await c.execute_command(b"DATA")
        assert code == 354
        assert c.transport is not None
        c.transport.write(b"Subject: x\r\n\r\n" + b"q" * 500_000 + b"\r\n")
        # The last bytes without a line-start dot wait in the stream reader (at most twice its limit
        # before it stops reading) until more comes, so the budget sees the body minus that tail.
        await settle(lambda: smtp.handler.data_bytes_held >= 500_000 - 2 * READ_LIMIT)
        c.close()
        await settle(lambda: smtp.handler.data_bytes_held == 0 and smtp.handler.sessions == 0)
    assert await queued(spool) == 0
