"""A forward as the agent's client sends it to handoff, for the thread-format tests: what the body carries is the
format under test; the outer mail is the same every time."""

from __future__ import annotations

from handoff.model import ThreadMessage
from handoff.parse.mime import parse_mail
from handoff.parse.thread import split_thread


def forward(body: str) -> bytes:
    head = (
        "From: Agent Smith <agent@acme-support.com>\n"
        "To: cases@handoff.localhost\n"
        "Subject: Fwd: 4471\n"
        "Date: Thu, 28 Oct 2021 14:00:00 +0200\n"
        "Content-Type: text/plain; charset=utf-8\n"
    )
    return (head + "\n" + body).encode()


def quoted_messages(body: str) -> list[ThreadMessage]:
    """Every message the forward quotes, oldest first (the agent's own outer mail left out)."""
    return split_thread(parse_mail(forward(body)))[:-1]
