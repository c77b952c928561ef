"""Guards: mail that must not become a case. Built once from `[guards]`, run in a fixed order.

Order (cheapest and most certain first, like Mailman's chain): loop, bounce, auto-reply, list.
The first hit wins and is recorded on the handoff as `skipped`; nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence

from handoff.errors import ConfigError
from handoff.guards.auto_reply import AutoReply
from handoff.guards.base import Guard, Judged, judged
from handoff.guards.bounce import Bounce
from handoff.guards.loop import STORM_MARK, Loop, storm_key, storm_reason
from handoff.guards.mailing_list import MailingList
from handoff.model import Customer, GuardHit, ParsedMail, ThreadMessage
from handoff.settings import GuardSettings

ORDER = ("loop", "bounce", "auto-reply", "list")

__all__ = [
    "ORDER",
    "STORM_MARK",
    "AutoReply",
    "Bounce",
    "Guard",
    "Judged",
    "Loop",
    "MailingList",
    "build_guards",
    "judged",
    "run_guards",
    "storm_key",
    "storm_reason",
]


def build_guards(settings: GuardSettings, own_domains: Sequence[str] = ()) -> tuple[Guard, ...]:
    """The enabled guards in their fixed order. `own_domains`: handoff's Message-ID/sending domains."""
    available: dict[str, Guard] = {
        "loop": Loop(loop_header=settings.loop_header, own_domains=own_domains),
        "bounce": Bounce(),
        "auto-reply": AutoReply(),
        "list": MailingList(allow_lists=settings.allow_lists),
    }
    if settings.enabled is not None:
        unknown = sorted(set(settings.enabled) - set(ORDER))
        if unknown:
            raise ConfigError(f"[guards] enabled: unknown guard(s) {unknown}; known: {list(ORDER)}")
    enabled = ORDER if settings.enabled is None else tuple(n for n in ORDER if n in settings.enabled)
    return tuple(available[name] for name in enabled)


def run_guards(
    guards: Sequence[Guard],
    mail: ParsedMail,
    messages: Sequence[ThreadMessage],
    customer: Customer | None,
) -> GuardHit | None:
    """The first guard that objects, or None when the mail may become a case."""
    for guard in guards:
        found = guard.check(mail, messages, customer)
        if found is not None:
            return found
    return None
