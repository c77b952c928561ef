"""MAIL FROM / RCPT TO addresses: the usual "<local@domain>" is read without aiosmtpd's email-header parser
(handoff.intake._PLAIN_ADDRESS, a CPU cost per command), and every address still gets the answer and the
envelope aiosmtpd's own parser gives it. Real sockets, a real SQLite spool."""

from __future__ import annotations

import asyncio
import random
import re
import string
from pathlib import Path
from typing import Any

import aiosmtpd.smtp
import pytest

from handoff import intake
from handoff.intake import HandoffSMTP
from handoff.spool.sqlite import SqliteSpool
from tests.smtp_kit import running

RCPT = "cases@handoff.test"
BODY = b"Subject: hi\r\nMessage-ID: <addr-{n}@acme.example>\r\n\r\nHello.\r\n"

# (greeting, MAIL argument, RCPT argument): plain addresses with and without parameters and whitespace, and
# the forms only aiosmtpd's parser reads (quoted, commented, source-routed, null sender, UTF-8, malformed).
DIALOGUES = [
    ("EHLO", "<agent@acme.example>", f"<{RCPT}>"),
    ("EHLO", "<agent@acme.example> SIZE=120 BODY=8BITMIME", f"<{RCPT}>"),
    ("EHLO", "<agent@acme.example>\tSIZE=120", f"<{RCPT}>  "),
    ("EHLO", "<agent@acme.example> SIZE=99999999999", f"<{RCPT}>"),
    ("EHLO", "<agent@acme.example> BODY=BINARY", f"<{RCPT}>"),
    ("EHLO", "<agent@acme.example> (comment) SIZE=1", f"<{RCPT}>"),
    ("EHLO", "<agent@acme.example>SIZE=1", f"<{RCPT}>"),
    ("EHLO", "<agent@acme.example>", f"<{RCPT}> NOTIFY=NEVER"),
    ("EHLO", "<A.Gent+x@Acme.Example>", "<Cases@Handoff.Test>"),
    ("HELO", "<agent@acme.example>", f"<{RCPT}>"),
    ("HELO", "<agent@acme.example> SIZE=1", f"<{RCPT}>"),
    ("HELO", "<agent@acme.example>  ", f"<{RCPT}> "),
    ("EHLO", '<"agent smith"@acme.example>', f"<{RCPT}>"),
    ("EHLO", "<@relay.example:agent@acme.example>", f"<{RCPT}>"),
    ("EHLO", "<agent@[192.0.2.1]>", f"<{RCPT}>"),
    ("EHLO", "<>", f"<{RCPT}>"),
    ("EHLO", "<agent..x@acme.example>", f"<{RCPT}>"),
    ("EHLO", "<agent@acme.example.>", f"<{RCPT}>"),
    ("EHLO", "<agent@acme.example", f"<{RCPT}>"),
    ("EHLO", "agent@acme.example", RCPT),
    ("EHLO", "<agent@acme.example> SMTPUTF8", "<cäses@handoff.test>"),
    ("EHLO", "< agent@acme.example>", f"<{RCPT}>"),
]


async def dialogue(port: int, greeting: str, mail: str, rcpt: str, n: int) -> list[str]:
    """One SMTP session with exactly these command lines; every reply line, as the client sees them."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    replies: list[str] = []

    async def reply() -> None:
        while True:
            line = (await reader.readline()).decode()
            replies.append(line.rstrip("\r\n"))
            if line[3:4] != "-":
                return

    await reply()
    lines = [f"{greeting} client.test", f"MAIL FROM:{mail}", f"RCPT TO:{rcpt}", "DATA"]
    for line in lines:
        writer.write(line.encode() + b"\r\n")
        await reply()
    if replies[-1].startswith("354"):
        writer.write(BODY.replace(b"{n}", str(n).encode()) + b".\r\n")
        await reply()
    writer.write(b"QUIT\r\n")
    await reply()
    writer.close()
    await writer.wait_closed()
    # "queued as <id>": the ids differ between the two spools, the rest must not.
    return [re.sub(r"queued as \d+", "queued as N", r) for r in replies]


async def sessions(tmp_path: Path, name: str) -> tuple[list[list[str]], list[tuple[Any, ...]]]:
    async with SqliteSpool(tmp_path / f"{name}.db") as spool:
        async with running(spool, recipients=[RCPT], accept_from=["open"]) as door:
            replies = [await dialogue(door.port, *d, n) for n, d in enumerate(DIALOGUES)]
        stored = [(i.mail_from, i.rcpt_tos, i.raw) for i in reversed(await spool.latest(limit=100))]
    return replies, stored


async def test_every_address_gets_the_answer_and_envelope_of_aiosmtpds_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_replies, fast_stored = await sessions(tmp_path, "fast")
    # The same sessions with every address going through aiosmtpd's parser.
    monkeypatch.setattr(intake, "_PLAIN_ADDRESS", re.compile(r"(?!)"))
    slow_replies, slow_stored = await sessions(tmp_path, "slow")
    for dialogue_, fast, slow in zip(DIALOGUES, fast_replies, slow_replies, strict=True):
        assert fast == slow, dialogue_
    assert fast_stored == slow_stored
    # Both accepted the plain forms and refused the malformed ones (the list covers both kinds).
    finals = [r[-2] for r in fast_replies]
    assert sum(f.startswith("250 2.0.0 queued") for f in finals) >= 8
    assert sum(not f.startswith("250") for f in finals) >= 5


async def test_a_plain_address_is_not_given_to_the_email_header_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    parse = aiosmtpd.smtp.get_angle_addr

    def counted(value: str) -> Any:
        calls.append(value)
        return parse(value)

    monkeypatch.setattr(aiosmtpd.smtp, "get_angle_addr", counted)
    async with SqliteSpool(tmp_path / "spool.db") as spool:
        async with running(spool, recipients=[RCPT], accept_from=["open"]) as door:
            replies = await dialogue(door.port, "EHLO", "<agent@acme.example> SIZE=120", f"<{RCPT}>", 1)
            assert replies[-2].startswith("250 2.0.0 queued")
            assert calls == []
            await dialogue(door.port, "EHLO", '<"agent smith"@acme.example>', f"<{RCPT}>", 2)
            assert calls == ['<"agent smith"@acme.example>']  # the rest still goes to aiosmtpd's parser


class _Limits:
    def __init__(self, local_part_limit: int) -> None:
        self.local_part_limit = local_part_limit


def outcome(parse: Any, limits: Any, arg: str) -> Any:
    """What `parse` answers, or the exception it raises (the stdlib parser trips on some inputs)."""
    try:
        return parse(limits, arg)
    except Exception as exc:
        return ("raises", type(exc))


def test_generated_addresses_parse_as_aiosmtpd_parses_them() -> None:
    """Addresses built from dot-atom characters, dots, specials and whitespace, with parameters after them:
    the fast path answers what aiosmtpd's parser answers, with and without a local-part limit."""
    rnd = random.Random(16)
    atext = string.ascii_letters[:5] + string.digits[:2] + "!#$%&'*+/=?^_`{|}~-"
    extra = '..@<>()" \t[]\\,:;é'
    fast_path = 0
    for _ in range(20000):
        local = "".join(rnd.choice(atext + extra[: rnd.randint(1, len(extra))]) for _ in range(rnd.randint(1, 7)))
        domain = "".join(rnd.choice(atext + "..") for _ in range(rnd.randint(1, 7)))
        rest = "".join(rnd.choice(" \t()SIZE=1>x") for _ in range(rnd.randint(0, 6)))
        arg = f"<{local}@{domain}>{rest}"
        fast_path += intake._PLAIN_ADDRESS.match(arg) is not None
        for limit in (0, 3):
            limits: Any = _Limits(limit)
            assert outcome(HandoffSMTP._getaddr, limits, arg) == outcome(aiosmtpd.smtp.SMTP._getaddr, limits, arg)
    assert fast_path > 1000  # the comparison covered the fast path, not only the fallback


async def test_later_sessions_know_the_same_verbs_as_the_first(tmp_path: Path) -> None:
    """The first session of a listener runs aiosmtpd's own set-up; later ones are made from it (their verbs
    bound as they are used): HELP, a verb's syntax and an unknown verb answer alike in both."""

    async def help_replies(port: int) -> list[bytes]:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        out = [await reader.readline()]
        for line in (b"EHLO client.test", b"HELP", b"HELP MAIL", b"HELP NOSUCH", b"NOSUCH x", b"NOOP", b"QUIT"):
            writer.write(line + b"\r\n")
            while True:
                reply = await reader.readline()
                out.append(reply)
                if reply[3:4] != b"-":
                    break
        writer.close()
        await writer.wait_closed()
        return out[1:]  # the greeting names nothing that differs, but is not the point

    async with SqliteSpool(tmp_path / "spool.db") as spool:
        async with running(spool, recipients=[RCPT], accept_from=["open"]) as door:
            first, second, third = [await help_replies(door.port) for _ in range(3)]
    assert first == second == third
    assert any(r.startswith(b"250 Supported commands: ") and b"MAIL" in r for r in first)
    assert any(r.startswith(b"250 Syntax: MAIL FROM:") for r in first)
