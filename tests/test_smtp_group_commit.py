"""Sessions reading a DATA are counted (IntakeHandler.receiving) so the SQLite spool's writer folds their
mails into the transaction it is about to commit (SqliteSpool._gather) instead of one fsync each. The count
must come back to zero however a DATA ends, or every later commit would wait for mail that never comes.
Real sockets, a real SQLite spool."""

from __future__ import annotations

import asyncio
from pathlib import Path

from handoff.intake import ARRIVING_SECONDS
from handoff.spool.sqlite import SqliteSpool
from tests.smtp_kit import MAIL, RCPT, queued, running, send


async def start_data(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A session that has had its 354 and is sending its mail."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    await reader.readline()
    for line in (b"HELO client.test", b"MAIL FROM:<agent@acme.example>", f"RCPT TO:<{RCPT}>".encode(), b"DATA"):
        writer.write(line + b"\r\n")
        reply = await reader.readline()
        assert reply[:1] in (b"2", b"3"), reply
    return reader, writer


async def test_a_burst_of_sessions_shares_commits_and_every_mail_is_stored(tmp_path: Path) -> None:
    async with SqliteSpool(tmp_path / "spool.db") as spool:
        async with running(spool, accept_from=["open"]) as door:
            sessions = [await start_data(door.port) for _ in range(12)]
            assert door.handler.receiving == 12
            before = spool.commits
            for n, (_, writer) in enumerate(sessions):  # every mail ends at once
                writer.write(MAIL.replace(b"edge-1", b"edge-%d" % n) + b".\r\n")
            replies = [await reader.readline() for reader, _ in sessions]
            assert all(r.startswith(b"250 2.0.0 queued as ") for r in replies), replies
            assert spool.commits - before < 12
            assert door.handler.receiving == 0
            for _, writer in sessions:
                writer.close()
        assert await queued(spool) == 12


async def test_the_count_comes_back_however_a_data_ends(tmp_path: Path) -> None:
    async with SqliteSpool(tmp_path / "spool.db") as spool:
        async with running(spool, accept_from=["open"], max_message_size=2000, data_timeout=0.5) as door:
            # Cut off mid-DATA.
            _, writer = await start_data(door.port)
            writer.write(b"Subject: half\r\n\r\nand then")
            await writer.drain()
            writer.close()
            # Too big: read to its end, refused.
            reader, writer = await start_data(door.port)
            writer.write(b"Subject: big\r\n\r\n" + b"x" * 5000 + b"\r\n.\r\n")
            assert (await reader.readline()).startswith(b"552 5.3.4")
            writer.close()
            # Too slow: the DATA deadline.
            reader, writer = await start_data(door.port)
            writer.write(b"Subject: slow\r\n\r\n")
            assert (await reader.readline()).startswith(b"421 4.4.2")
            writer.close()
            for _ in range(100):
                if door.handler.receiving == 0 and door.handler.sessions == 0:
                    break
                await asyncio.sleep(0.02)
            assert door.handler.receiving == 0
            # And the next mail is stored as ever.
            code, _ = await send(door.port)
            assert code == 250
        assert await queued(spool) == 1


async def test_a_session_sitting_in_data_is_not_waited_for(tmp_path: Path) -> None:
    """A DATA that began longer ago than ARRIVING_SECONDS (a slow or hostile client dribbling it) is not mail
    on its way: commits do not wait for it, and other mail is stored meanwhile."""
    async with SqliteSpool(tmp_path / "spool.db") as spool:
        async with running(spool, accept_from=["open"]) as door:
            _, slow = await start_data(door.port)
            slow.write(b"Subject: slow\r\n\r\nline one\r\n")
            assert door.handler.arriving_now() == 1
            await asyncio.sleep(ARRIVING_SECONDS * 1.5)
            assert (door.handler.receiving, door.handler.arriving_now()) == (1, 0)
            code, _ = await send(door.port)
            assert code == 250
            slow.close()
        assert await queued(spool) == 1
