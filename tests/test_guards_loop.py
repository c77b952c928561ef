"""The loop guard: our own mail coming back and reply storms."""

from __future__ import annotations

from handoff.guards import Loop, build_guards
from handoff.parse.mime import parse_mail
from handoff.settings import GuardSettings


def test_own_loop_header_and_message_id_domain() -> None:
    guard = Loop(own_domains=["handoff.localhost"])
    stamped = parse_mail(b"From: x@y.org\nX-Handoff-Loop: 1\nSubject: s\n\nb")
    ours = parse_mail(b"From: x@y.org\nMessage-ID: <123@handoff.localhost>\nSubject: s\n\nb")
    theirs = parse_mail(b"From: x@y.org\nMessage-ID: <123@y.org>\nSubject: s\n\nb")
    assert guard.check(stamped, [], None) is not None
    found = guard.check(ours, [], None)
    assert found is not None and "handoff.localhost" in found.reason
    assert guard.check(theirs, [], None) is None


def test_guard_order_and_enabled_setting() -> None:
    names = [g.name for g in build_guards(GuardSettings())]
    assert names == ["loop", "bounce", "auto-reply", "list"]
    assert [g.name for g in build_guards(GuardSettings(enabled=["list", "loop"]))] == ["loop", "list"]


def test_message_id_domain_reads_the_last_run_as_a_character_scan_does() -> None:
    import random

    from handoff.guards.loop import message_id_domain

    def scan(message_id: str) -> str | None:  # what the function did before, one character at a time
        text = message_id.rstrip()
        if text.endswith(">"):
            text = text[:-1]
        start = len(text)
        while start > 0 and text[start - 1] != ">" and not text[start - 1].isspace():
            start -= 1
        at = text.find("@", start)
        return None if at < 0 or at == len(text) - 1 else text[at + 1 :].lower()

    rng = random.Random(16)
    alphabet = ["a", "B", "@", ">", "<", " ", "\t", "\u2003", "\n", ".", "x"]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert message_id_domain(text) == scan(text), repr(text)
    assert message_id_domain("<1234@Mail.Example.COM>") == "mail.example.com"
    assert message_id_domain("<a@b> <c@d.e>") == "d.e"
    assert message_id_domain(None) is None
