"""Big mail over a real socket: DATA past SPILL_AT waits in a temporary file beside the spool (not in
memory), several big mails at once are stored byte for byte, and the file is gone when the session ends.

Sizes are a few MB here; ten 20 MB mails with the loop's lag and the RSS measured are bench/big_mail.py.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
from pathlib import Path

import pytest

from handoff import ids
from handoff.intake import SPILL_AT
from handoff.spool.sqlite import SqliteSpool
from tests.smtp_kit import RCPT, client, running, send


def big(n: int, size: int) -> bytes:
    # Lines starting with a dot too: they are dot-stuffed on the wire and must come back unstuffed.
    line = f".line of mail {n} ".encode() + os.urandom(30).hex().encode() + b"\r\n"
    body = line * (size // len(line) + 1)
    return (
        f"From: Agent <agent@acme.example>\r\nTo: {RCPT}\r\nSubject: Fwd: photos {n}\r\n"
        f"Message-ID: <big-{n}@acme.example>\r\n\r\n"
    ).encode() + body


def spill_files(directory: Path) -> list[str]:
    """Open files of this process in `directory` (an unlinked temporary file shows as deleted)."""
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(directory)) and not target.endswith((".db", "-wal", "-shm", "-journal")):
            found.append(target)
    return found


async def test_big_mails_at_once_are_stored_intact(spool: SqliteSpool) -> None:
    mails = [big(n, 3 * SPILL_AT + n * 1000) for n in range(4)]
    async with running(spool) as smtp:
        replies = await asyncio.gather(*(send(smtp.port, raw) for raw in mails))
        assert [code for code, _ in replies] == [250] * 4, replies
        assert smtp.handler.data_bytes_held == 0
    stored = {hashlib.sha256(item.raw).hexdigest() for item in await spool.latest(limit=10)}
    assert stored == {hashlib.sha256(raw).hexdigest() for raw in mails}


async def test_big_data_waits_in_a_file_beside_the_spool_and_is_gone_after(spool: SqliteSpool) -> None:
    directory = spool.path.parent
    async with running(spool) as smtp:
        c = client(smtp.port)
        await c.connect()
        await c.mail("agent@acme.example")
        await c.rcpt(RCPT)
        code, _ = await c.execute_command(b"DATA")
        assert code == 354
        assert c.transport is not None
        c.transport.write(b"Subject: x\r\n\r\n" + b"q" * (2 * SPILL_AT) + b"\r\n")
        deadline = asyncio.get_running_loop().time() + 10
        while not spill_files(directory):
            assert asyncio.get_running_loop().time() < deadline, "no spill file while DATA arrives"
            await asyncio.sleep(0.02)
        # The sender gives up half-way: nothing is stored and the file (and its disk space) is released.
        c.close()
        while spill_files(directory) or smtp.handler.sessions:
            assert asyncio.get_running_loop().time() < deadline, spill_files(directory)
            await asyncio.sleep(0.02)
        assert smtp.handler.data_bytes_held == 0
    assert await spool.counts() == {state: 0 for state in (await spool.counts())}


async def test_a_small_mail_is_not_held_up_by_big_ones_being_stored(spool: SqliteSpool) -> None:
    small = big(99, 10_000)
    async with running(spool) as smtp:
        bigs = [asyncio.create_task(send(smtp.port, big(n, 4 * SPILL_AT))) for n in range(3)]
        code, _ = await send(smtp.port, small)
        assert code == 250
        assert [r[0] for r in await asyncio.gather(*bigs)] == [250] * 3
    assert len(await spool.latest(limit=10)) == 4


def test_a_big_mail_is_digested_in_pieces_to_the_same_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    """handoff.ids hashes big mails a piece at a time (one replace() over 20 MB held the GIL, and so the
    SMTP loop, for 0.2 s); the digest keys incidents and dedup, so it must be the whole-mail one exactly."""

    def whole(raw: bytes) -> str:
        text = raw.replace(b"\r\n", b"\n").rstrip(b"\n")
        head, sep, body = text.partition(b"\n\n")
        return hashlib.sha256(ids._kept_headers(head) + sep + body).hexdigest()

    monkeypatch.setattr(ids, "_PIECE", 16)  # tiny pieces: a CR, LF or blank line on every boundary
    rng = random.Random(16)
    parts = [b"\r", b"\n", b"\r\n", b"x", b"Received: relay", b" ", b"\t", b":", b"\n\n", b"\r\n\r\n", b"To: y"]
    checked = 0
    for _ in range(5000):
        raw = b"".join(rng.choice(parts) for _ in range(rng.randint(0, 60)))
        digest = ids._stable_digest_in_pieces(raw)
        if digest is not None:
            assert digest == whole(raw), raw
            checked += 1
        assert ids.stable_digest(raw) == whole(raw), raw
    assert checked > 1000
    monkeypatch.setattr(ids, "_PIECE", 1 << 20)
    mail = big(7, 5 * SPILL_AT)
    assert ids.stable_digest(mail) == whole(mail) == ids.stable_digest(mail.replace(b"\r\n", b"\n"))
