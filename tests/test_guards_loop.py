"""The loop guard: our own mail coming back and reply storms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handoff.guards import Loop, build_guards, run_guards
from handoff.parse.mime import parse_mail
from handoff.settings import GuardSettings


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 3, 4, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_own_loop_header_and_message_id_domain() -> None:
    guard = Loop(own_domains=["handoff.localhost"])
    stamped = parse_mail(b"From: x@y.org\nX-Handoff-Loop: 1\nSubject: s\n\nb")
    ours = parse_mail(b"From: x@y.org\nMessage-ID: <123@handoff.localhost>\nSubject: s\n\nb")
    theirs = parse_mail(b"From: x@y.org\nMessage-ID: <123@y.org>\nSubject: s\n\nb")
    assert guard.check(stamped, [], None) is not None
    found = guard.check(ours, [], None)
    assert found is not None and "handoff.localhost" in found.reason
    assert guard.check(theirs, [], None) is None


def test_same_sender_and_subject_more_than_n_times_in_the_window() -> None:
    clock = Clock()
    guards = build_guards(GuardSettings(loop_max=3, loop_window_minutes=10), now=clock)
    mail = parse_mail(b"From: bot@y.org\nSubject: Re: Ticket 7\n\nb")
    results = []
    for _ in range(4):
        results.append(run_guards(guards, mail, [], None))
        clock.now += timedelta(minutes=1)
    assert results[:3] == [None, None, None]
    assert results[3] is not None and results[3].guard == "loop"
    # Once the window has passed, the sender may write again.
    clock.now += timedelta(minutes=30)
    assert run_guards(guards, mail, [], None) is None


def test_guard_order_and_enabled_setting() -> None:
    names = [g.name for g in build_guards(GuardSettings())]
    assert names == ["loop", "bounce", "auto-reply", "list"]
    assert [g.name for g in build_guards(GuardSettings(enabled=["list", "loop"]))] == ["loop", "list"]
