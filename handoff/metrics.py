"""Measurements kept on the objects that do the work (intake, worker, Dataverse client), read by /metrics.

Each object owns its instruments (prometheus_client metrics with `registry=None`), so several services
in one process (the tests) never share or collide in a global registry; handoff.health collects them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from prometheus_client import Counter, Histogram

# From a second (a cached contact, one round trip) to the 5-day queue lifetime of an outage.
CREATED_BUCKETS = (0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 5 * 86400)
# Dataverse answers in tens to hundreds of milliseconds; a $batch with notes takes seconds.
REQUEST_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

_KEY = re.compile(r"\([^)]*\)")  # (guid), (alternate='key'), (@p1): record keys, not routes


def created_latency() -> Histogram:
    return Histogram(
        "handoff_accept_to_created_seconds",
        "Seconds from the 250 reply (spool received_at) to the incident recorded as created",
        buckets=CREATED_BUCKETS,
        registry=None,
    )


def route_of(method: str, path: str) -> str:
    """`GET contacts`, `POST $batch`, `PATCH incidents()`: the entity set or action without record keys or
    the query, so the label has a handful of values, never one per record."""
    path = path.split("?", 1)[0]
    if "/api/data/" in path:
        path = path.split("/api/data/", 1)[1].split("/", 1)[-1]
    path = _KEY.sub("()", path.strip("/"))
    first = path.split("/", 1)[0][:60] or "/"
    return f"{method.upper()} {first}"


class DataverseMetrics:
    """Per Dataverse client: request latency by route and status, 429s, and Retry-After waits."""

    def __init__(self) -> None:
        self.latency = Histogram(
            "handoff_dataverse_request_seconds",
            "Dataverse request latency (the HTTP exchange, not the wait for the request budget)",
            ["route", "status"],
            buckets=REQUEST_BUCKETS,
            registry=None,
        )
        self.throttled = Counter(
            "handoff_dataverse_throttled", "429 answers from Dataverse (service protection)", registry=None
        )
        self.retry_after = Counter(
            "handoff_dataverse_retry_after_seconds",
            "Seconds every request was paused for by Dataverse's Retry-After",
            registry=None,
        )

    @contextmanager
    def timed(self, method: str, path: str) -> Iterator[dict[str, Any]]:
        """Times the block; the block sets `status` in the yielded dict (else "error": no answer)."""
        outcome: dict[str, Any] = {"status": "error"}
        started = time.monotonic()
        try:
            yield outcome
        finally:
            status = str(outcome["status"])
            self.latency.labels(route_of(method, path), status).observe(time.monotonic() - started)
            if status == "429":
                self.throttled.inc()

    def waited(self, seconds: float) -> None:
        self.retry_after.inc(max(0.0, seconds))

    def collect(self) -> Iterator[Any]:
        for metric in (self.latency, self.throttled, self.retry_after):
            yield from metric.collect()
