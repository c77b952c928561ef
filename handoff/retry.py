"""The one retry policy: capped, jittered exponential backoff and `Retry-After`.

Used by the worker (a handoff's next attempt), the Dataverse client (quick retries inside one attempt)
and the MoEngage sender (the outbox). Each reads its numbers from a `RetrySettings` section
(`[spool.retry]`, `[dynamics.retry]`, `[moengage.retry]`); what is transient is decided where an answer
is classified (`TransientError`), and this module only says how long to wait.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from handoff.errors import TransientError

__all__ = ["Backoff", "is_transient", "retry_after"]


@dataclass(frozen=True)
class Backoff:
    """`base * 2**(attempt-1)`, capped at `cap`, with ±25 % jitter so many waiters do not retry in step."""

    base: float
    cap: float
    jitter: float = 0.25

    @classmethod
    def of(cls, settings: Any) -> Backoff:
        """From a RetrySettings section (base_seconds, max_seconds)."""
        return cls(settings.base_seconds, settings.max_seconds)

    def delay(self, attempt: int, retry_after: float | None = None, rng: Callable[[], float] = random.random) -> float:
        """Seconds before try `attempt + 1`, never shorter than the server's `retry_after`.

        The cap holds after jitter too: a queue that retries for days must not drift past its cap."""
        raw = min(self.cap, self.base * 2 ** max(0, attempt - 1))
        delay = min(self.cap, raw * (1 - self.jitter + 2 * self.jitter * rng()))
        return max(delay, retry_after or 0.0)


def retry_after(headers: Mapping[str, str] | Any, now: float | None = None) -> float | None:
    """Seconds to wait from `Retry-After` (delta-seconds or an HTTP-date, RFC 9110 10.2.3), or
    MoEngage's `x-ratelimit-reset` (epoch seconds); None when the answer names no wait."""
    now = time.time() if now is None else now
    value = headers.get("Retry-After") if headers is not None else None
    if value:
        value = str(value).strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return max(0.0, when.timestamp() - now)
    value = headers.get("x-ratelimit-reset") if headers is not None else None
    if value:
        try:
            reset = float(value)
        except ValueError:
            return None
        # MoEngage documents UTC epoch seconds; a small number can only be a delay in seconds.
        return max(0.0, reset - now) if reset > 1_000_000_000 else max(0.0, reset)
    return None


def is_transient(error: BaseException) -> bool:
    """Worth trying again later (connection errors, timeouts, 408, 429, 5xx), as classified at the edge."""
    return isinstance(error, TransientError)
