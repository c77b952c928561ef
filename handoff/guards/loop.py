"""Mail handoff itself caused: our own stamp or Message-ID coming back, or a reply storm."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from handoff.guards.base import hit, strip_prefixes
from handoff.model import Customer, GuardHit, ParsedMail, ThreadMessage


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Loop:
    """Skip mail that handoff sent or that keeps coming back.

    The "same sender and subject more than N times in M minutes" window lives in this instance, so it
    is per process: two workers each allow N. It is a brake against reply storms, not an exact quota.
    """

    name = "loop"
    description = (
        "our loop header, a Message-ID from our own domain, or the same sender, customer and subject "
        "more than loop_max times within loop_window_minutes (counted per process)."
    )

    def __init__(
        self,
        loop_header: str = "X-Handoff-Loop",
        own_domains: Sequence[str] = (),
        max_count: int = 5,
        window: timedelta = timedelta(minutes=60),
        now: Callable[[], datetime] = _utcnow,
        max_keys: int = 10_000,
    ) -> None:
        self.loop_header = loop_header
        self.own_domains = tuple(d.lower().lstrip("@") for d in own_domains if d)
        self.max_count = max_count
        self.window = window
        self.now = now
        self.max_keys = max_keys
        self._seen: dict[tuple[str, str, str], deque[datetime]] = {}

    def check(self, mail: ParsedMail, messages: Sequence[ThreadMessage], customer: Customer | None) -> GuardHit | None:
        if mail.header(self.loop_header) is not None:
            return hit(self, f"the mail carries our {self.loop_header} header")
        for value in mail.header_all("x-loop"):
            if self._ours(value):
                return hit(self, f"X-Loop names our domain ({value.strip()[:60]})")
        domain = self._message_id_domain(mail.message_id)
        if domain and self._ours(domain):
            return hit(self, f"the Message-ID is from our own domain {domain}")
        return self._storm(mail, customer)

    def _ours(self, value: str) -> bool:
        value = value.lower()
        return any(value == d or value.endswith("." + d) or value.endswith("@" + d) for d in self.own_domains)

    @staticmethod
    def _message_id_domain(message_id: str | None) -> str | None:
        match = re.search(r"@([^>\s]+)>?\s*$", message_id or "")
        return match.group(1).lower() if match else None

    def _storm(self, mail: ParsedMail, customer: Customer | None) -> GuardHit | None:
        sender = (mail.from_email or mail.envelope_from or "").lower()
        subject = re.sub(r"\s+", " ", strip_prefixes(mail.subject)).lower()
        key = (sender, customer.email if customer else "", subject)
        now = self.now()
        times = self._seen.setdefault(key, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        times.append(now)
        if len(self._seen) > self.max_keys:
            self._forget(now)
        if len(times) > self.max_count:
            minutes = int(self.window.total_seconds() // 60)
            return hit(
                self,
                f"{len(times)} mails from {sender or 'an unknown sender'} with this subject within "
                f"{minutes} minutes (limit {self.max_count})",
            )
        return None

    def _forget(self, now: datetime) -> None:
        for key in [k for k, v in self._seen.items() if not v or now - v[-1] > self.window]:
            del self._seen[key]
