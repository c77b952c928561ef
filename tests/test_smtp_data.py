"""The DATA reader: the final dot found and every stuffing dot removed, whatever the line lengths, the
bytes (bare CR and LF included) and how the network splits them; nothing after the final dot consumed."""

from __future__ import annotations

import asyncio
import random

import pytest

from handoff.intake import DataSink, read_dot_stuffed
from handoff.smtp_limits import DataBudget


def stuff(content: bytes) -> bytes:
    """What a client sends for `content` (which ends with CRLF or is empty): RFC 5321 4.5.2."""
    lines = content.split(b"\r\n")
    return b"\r\n".join(b"." + line if line.startswith(b".") else line for line in lines) + b".\r\n"


def contents(seed: int) -> list[bytes]:
    rng = random.Random(seed)
    alphabet = [b"a", b".", b"\r", b"\n", b"\r\n", b"\r\n.", b"..", b"\r\n.\r", b"x" * 40]
    out = [b"", b"\r\n", b".\r\n", b"..\r\n", b"\r\n.\r\n\r\n", b".\r\r\n", b"a\r\r\n.\r\r\n", b"\r\r\n"]
    for _ in range(300):
        body = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        out.append(body + b"\r\n")
    return out


async def decode(wire: bytes, rng: random.Random, limit: int) -> tuple[bytes, bytes]:
    reader = asyncio.StreamReader(limit=limit)
    trailer = b"QUIT\r\n"
    data = wire + trailer
    position = 0
    while position < len(data):  # the network's split, at random
        step = rng.randint(1, 7)
        reader.feed_data(data[position : position + step])
        position += step
    reader.feed_eof()
    budget = DataBudget(10**9, 0)
    lease = await budget.lease(1)
    assert lease is not None
    sink = DataSink(lease, 0)
    await read_dot_stuffed(reader, sink)
    return bytes(sink.buf), await reader.read()


@pytest.mark.parametrize("limit", [4, 16, 64 * 1024])
async def test_unstuffs_exactly_and_stops_at_the_final_dot(limit: int) -> None:
    rng = random.Random(limit)
    for content in contents(limit):
        got, rest = await decode(stuff(content), rng, limit)
        assert got == content, (content, stuff(content))
        assert rest == b"QUIT\r\n"


async def test_long_lines_arrive_whole() -> None:
    content = b"Subject: x\r\n\r\n" + b"<p>" + b"y" * 300_000 + b"</p>\r\n.leading\r\n"
    got, rest = await decode(stuff(content), random.Random(1), 32 * 1024)
    assert got == content and rest == b"QUIT\r\n"
