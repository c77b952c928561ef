"""One mail, one handoff, at the door: the same mail reaching the SMTP intake more than once (a resend
after a lost 250, a second MX route, two of our recipients) is one spool row, and every delivery still
gets its 250 naming that row. Real sockets, a real SQLite file and a real PostgreSQL schema."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from handoff.spool import open_spool
from tests import pg
from tests.smtp_kit import MAIL, RCPT, client, queued, running, send, transaction

SECOND = "support@handoff.test"


@pytest.fixture(params=["sqlite", "postgres"])
async def url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/spool.db"
        return
    async with pg.fresh_schema("dedup") as schema_url:
        yield schema_url


@pytest.fixture
async def spool(url: str) -> AsyncIterator[Any]:
    s = open_spool(url)
    await s.open()
    yield s
    await s.close()


def via(route: str, raw: bytes = MAIL) -> bytes:
    """The mail as another relay hands it on: its own trace headers on top."""
    return f"Received: from {route} by mx.handoff.test; Tue, 1 Dec 2026 10:00:00 +0000\r\n".encode() + raw


async def test_a_resend_and_a_second_route_are_one_row(spool: Any) -> None:
    async with running(spool) as intake:
        first = await send(intake.port, MAIL)
        # The sending MTA never saw our 250 and tries again; later the mail comes in by the backup MX.
        again = await send(intake.port, MAIL)
        backup = await send(intake.port, via("mx2.acme.example"))
    assert first[0] == again[0] == backup[0] == 250
    assert first[1] == again[1] == backup[1]  # "queued as N": the same row, durable before each 250
    assert await queued(spool) == 1
    assert spool.duplicates == 2
    item = (await spool.latest(5))[0]
    assert item.raw == MAIL and item.message_id == "<edge-1@acme.example>"


async def test_two_of_our_recipients_are_one_row(spool: Any) -> None:
    async with running(spool, recipients=[RCPT, SECOND]) as intake:
        smtp = client(intake.port)
        await smtp.connect()
        try:
            both = await transaction(smtp, MAIL, (RCPT, SECOND))  # one transaction, two recipients
            # A sender that splits recipients into transactions of their own, on one connection.
            await smtp.rset()
            one = await transaction(smtp, MAIL, (RCPT,))
            await smtp.rset()
            other = await transaction(smtp, MAIL, (SECOND,))
        finally:
            smtp.close()
    assert both[0] == one[0] == other[0] == 250 and both[1] == one[1] == other[1]
    assert await queued(spool) == 1
    assert (await spool.latest(5))[0].rcpt_tos == [RCPT, SECOND]


async def test_a_new_mail_with_a_reused_message_id_is_its_own_row(spool: Any) -> None:
    reused = MAIL.replace(b"Customer wants a refund.", b"The refund never arrived, second complaint.")
    async with running(spool) as intake:
        first = await send(intake.port, MAIL)
        second = await send(intake.port, reused)
    assert first[0] == second[0] == 250 and first[1] != second[1]
    assert await queued(spool) == 2 and spool.duplicates == 0


async def test_two_instances_taking_the_same_mail_at_once_store_it_once(url: str) -> None:
    spools = [open_spool(url), open_spool(url)]
    for s in spools:
        await s.open()
    try:
        async with running(spools[0]) as mx1, running(spools[1]) as mx2:
            mails = [MAIL.replace(b"edge-1@", b"edge-%d@" % n) for n in range(10)]
            # Every mail by both routes at the same moment, each to the other instance.
            replies = await asyncio.gather(
                *(send(port, via(route, raw)) for raw in mails for port, route in ((mx1.port, "a"), (mx2.port, "b")))
            )
        assert all(code == 250 for code, _ in replies)
        assert all(replies[2 * n][1] == replies[2 * n + 1][1] for n in range(10))
        assert await queued(spools[0]) == 10
        assert spools[0].duplicates + spools[1].duplicates == 10
    finally:
        for s in spools:
            await s.close()
