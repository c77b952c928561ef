"""The list guard and its allow_lists switch."""

from __future__ import annotations

from handoff.guards import MailingList, build_guards, run_guards
from handoff.parse.mime import parse_mail
from handoff.settings import GuardSettings

LIST_MAIL = b"From: member@y.org\nSubject: [users] question\nList-Id: <users.lists.y.org>\nPrecedence: list\n\nb"


def test_list_mail_is_skipped_unless_allowed() -> None:
    mail = parse_mail(LIST_MAIL)
    found = MailingList().check(mail, [], None)
    assert found is not None and "users.lists.y.org" in found.reason
    assert MailingList(allow_lists=True).check(mail, [], None) is None


def test_allowed_list_mail_passes_every_guard() -> None:
    # Precedence: list with a List-Id is the list guard's decision, not an auto-reply.
    guards = build_guards(GuardSettings(allow_lists=True))
    assert run_guards(guards, parse_mail(LIST_MAIL), [], None) is None


def test_list_id_without_precedence_is_a_person() -> None:
    mail = parse_mail(b"From: member@y.org\nSubject: hi\nList-Id: <users.lists.y.org>\n\nb")
    assert MailingList().check(mail, [], None) is None
