"""What every guard promises: a name, a description, a fixed order, and judging the customer's message."""

from __future__ import annotations

import pytest

from handoff.errors import ConfigError
from handoff.guards import build_guards, judged
from handoff.parse.customer import Internal, find_customer
from handoff.parse.mime import parse_mail
from handoff.parse.thread import split_thread
from handoff.settings import GuardSettings


def test_every_guard_explains_itself() -> None:
    for guard in build_guards(GuardSettings()):
        assert guard.name and guard.description and callable(guard.check)


def test_unknown_guard_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="auto-replies"):
        build_guards(GuardSettings(enabled=["auto-replies"]))


def test_judged_message_is_the_customers_inner_message_with_its_own_headers() -> None:
    raw = (
        b"From: Agent <agent@acme-support.com>\nSubject: FW: hi\nAuto-Submitted: auto-forwarded\n"
        b'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nfyi\n'
        b"--b\nContent-Type: message/rfc822\n\nFrom: Jane <jane@customer.example>\nSubject: hi\n"
        b"Precedence: bulk\n\nhello\n--b--\n"
    )
    mail = parse_mail(raw)
    messages, customer = find_customer(mail, split_thread(mail), Internal(["acme-support.com"]))
    target = judged(mail, messages, customer)
    assert target.inner and target.sender == "jane@customer.example"
    assert target.header("precedence") == "bulk" and target.header("auto-submitted") is None
