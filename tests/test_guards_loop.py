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
