"""Mailing-list traffic: the list is not the customer."""

from __future__ import annotations

from collections.abc import Sequence

from handoff.guards.base import hit, judged
from handoff.model import Customer, GuardHit, ParsedMail, ThreadMessage


class MailingList:
    """Skip list mail (List-Id or List-Unsubscribe with Precedence: list) unless lists are allowed."""

    name = "list"
    description = "List-Id or List-Unsubscribe with Precedence: list, unless [guards] allow_lists is set."

    def __init__(self, allow_lists: bool = False) -> None:
        self.allow_lists = allow_lists

    def check(self, mail: ParsedMail, messages: Sequence[ThreadMessage], customer: Customer | None) -> GuardHit | None:
        if self.allow_lists:
            return None
        target = judged(mail, messages, customer)
        precedence = (target.header("precedence") or "").strip().lower()
        list_id = target.header("list-id")
        if precedence == "list" and (list_id is not None or target.header("list-unsubscribe") is not None):
            where = "the forwarded customer message" if target.inner else "the mail"
            shown = (list_id or "List-Unsubscribe").strip()[:80]
            return hit(self, f"{where} is list mail ({shown}, Precedence: list)")
        return None
