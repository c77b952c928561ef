"""Retention: raw mail is personal data, kept only as long as it is needed.

`[spool] keep_raw_days` (default 30; 0 keeps it forever): the raw bytes of created and skipped handoffs
received longer ago are dropped, by `handoff serve` once an hour (`retention_loop`) and on demand by
`handoff purge --older-than 30d [--dry-run]`. The row stays, with its summary, outcome and ticket, and
says when its raw mail went (handoff.spool.base.purged_note); parked, queued and working handoffs keep
theirs until they are resolved. Both say what they removed: how many handoffs and how many bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass

from handoff.errors import SpoolError
from handoff.spool.base import Spool

log = logging.getLogger("handoff.retention")

DAY = 86400.0
INTERVAL = 3600.0  # how often serve purges; an hour late on a 30-day promise is close enough


@dataclass(frozen=True)
class Purged:
    count: int
    bytes: int
    before: float  # received before this (epoch seconds)
    dry_run: bool = False

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.before))
        verb = "would remove" if self.dry_run else "removed"
        return (
            f"retention: {verb} the raw mail of {self.count} created or skipped handoff(s) received before "
            f"{when} ({human_bytes(self.bytes)}); summaries and tickets kept"
        )


def human_bytes(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{n} bytes" if unit == "bytes" else f"{size:.1f} {unit} ({n} bytes)"
        size /= 1024
    raise AssertionError("unreachable")


async def purge(spool: Spool, older_than: float, *, dry_run: bool = False, now: float | None = None) -> Purged:
    """Drop (or, dry, count) the raw mail of finished handoffs received more than `older_than` seconds ago."""
    before = (time.time() if now is None else now) - older_than
    count, size = await spool.purge_raw(before, dry_run=dry_run)
    return Purged(count, size, before, dry_run)


async def retention_loop(spool: Spool, keep_raw_days: float, stop: asyncio.Event, interval: float = INTERVAL) -> None:
    """serve's periodic purge, the first at start-up, until `stop` is set; a failing pass is logged and
    tried again at the next one."""
    if keep_raw_days <= 0:
        log.info("retention: raw mail is kept forever ([spool] keep_raw_days = 0)")
        return
    while not stop.is_set():
        try:
            done = await purge(spool, keep_raw_days * DAY)
        except SpoolError as exc:
            log.warning("retention pass failed, trying again in %.0f s: %s", interval, exc)
        else:
            if done.count:
                log.info("%s", done.describe())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)


def parse_age(text: str) -> float:
    """`handoff purge --older-than`: an age with its unit ("30d", "12h", "90m"); a bare number is refused,
    since "30" as seconds would drop nearly everything."""
    import argparse

    from handoff.settings import _seconds

    value = text.strip()
    if not value or value[-1].isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: give the unit, e.g. 30d (days), 12h or 90m")
    try:
        return float(_seconds(value))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected an age like 30d, 12h or 90m") from None
