"""What one SMTP client may take from the others: connections, and memory for DATA.

Both are counted here for the whole listener, so a flood from one address, or many sessions that each
leave a large DATA unterminated, cannot starve the mail that should get through.

Connections per client, as Postfix's anvil counts them: how many at once (`max_connections_per_peer`,
its smtpd_client_connection_count_limit) and how many new ones per `connection_rate_window`
(`max_connection_rate_per_peer`, its smtpd_client_connection_rate_limit per anvil_rate_time_unit). The
organisation's relay (trusted_networks) is exempt from both, and an address that authenticated within the
window from the rate, as smtpd_client_event_limit_exceptions exempts $mynetworks.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import ipaddress
import logging
import os
import resource
import time
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("handoff.intake")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def peer_address(peer: Any) -> Address | None:
    """The peer's IP address from a peername tuple; an IPv4-mapped IPv6 address as IPv4."""
    if not isinstance(peer, tuple) or not peer:
        return None
    try:
        address = ipaddress.ip_address(str(peer[0]).split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def peer_key(address: Address | None) -> str:
    """Whom a per-peer limit counts: an IPv4 address, or an IPv6 /64 (one host usually has the whole /64)."""
    if address is None:
        return "?"
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class TrustedNetworks:
    def __init__(self, cidrs: list[str]) -> None:
        self.networks: list[Network] = [ipaddress.ip_network(c) for c in cidrs]

    def __contains__(self, address: Address | None) -> bool:
        return address is not None and any(address in n for n in self.networks)


# Replies of the gate; the connection is closed right after (RFC 5321 4.3.2: 421 at the greeting).
TOO_MANY = "421 4.7.0 {host} Too many connections, try again later"
TOO_MANY_FROM_PEER = "421 4.7.0 {host} Too many connections from your address, try again later"
# {rate} and {window} are filled in by the Gate: the sender's postmaster reads what the limit is.
TOO_FAST_FROM_PEER = (
    "421 4.7.0 {host} Too many connections from your address: at most {rate} per {window}, try again later"
)


@dataclass(frozen=True)
class Admission:
    pool: str  # "trusted" or "other"
    key: str


@dataclass(frozen=True)
class Refused:
    """A connection the gate turns away: the reason /metrics counts it under and the reply template."""

    reason: str  # too_many_connections, too_many_from_peer, connection_rate
    reply: str  # with {host} still to fill in


# Made once: a flood is refused thousands of times a second.
REFUSED_FULL = Refused("too_many_connections", TOO_MANY)
REFUSED_PEER_FULL = Refused("too_many_from_peer", TOO_MANY_FROM_PEER)


class Gate:
    """At most max_connections sessions at once, max_connections_per_peer from one address, and, when
    rate_per_peer is set, at most that many new sessions from one address per rate_window seconds.

    Peers in trusted_networks (the organisation's relay) have a pool of max_connections of their own and
    no per-peer limits: a flood from the internet must not lock out the mail that should get through,
    and the relay legitimately opens many sessions from one address. An address that authenticated within
    the last rate_window (`authenticated`) is not rate-limited either: an agent's script sending a mail per
    connection over AUTH is the organisation's own.

    The rate counts the sessions admitted (a refused attempt takes nothing, so it does not count): one
    address can never have more than rate_per_peer sessions started in any rate_window, and a client that
    hammers on is refused until the oldest of its sessions leaves the window. Each address keeps at most
    rate_per_peer times, and an address quiet for a window is forgotten.
    """

    def __init__(
        self,
        max_connections: int,
        per_peer: int,
        trusted: TrustedNetworks,
        rate_per_peer: int = 0,
        rate_window: float = 60.0,
        clock: Any = time.monotonic,
    ) -> None:
        self.max_connections = max_connections
        self.per_peer = per_peer
        self.trusted = trusted
        self.rate_per_peer = rate_per_peer
        self.rate_window = rate_window
        self.clock = clock
        self.open: Counter[str] = Counter()
        self.by_peer: Counter[str] = Counter()
        # Per address, when its sessions of the last window began (oldest first); the dict in the order the
        # addresses last tried, so the quiet ones are found at its front.
        self.started: dict[str, deque[float]] = {}
        self.exempt_until: dict[str, float] = {}  # address -> end of its AUTH exemption
        window = f"{rate_window:g} s" if rate_window % 60 else f"{rate_window / 60:g} min"
        self.too_fast = Refused(
            "connection_rate", TOO_FAST_FROM_PEER.replace("{rate}", str(rate_per_peer)).replace("{window}", window)
        )

    @property
    def sessions(self) -> int:
        return sum(self.open.values())

    @property
    def rate_limited_peers(self) -> int:
        """Addresses at their rate limit now: their next connection within the window is refused."""
        if not self.rate_per_peer:
            return 0
        since = self.clock() - self.rate_window
        return sum(1 for times in self.started.values() if len(times) >= self.rate_per_peer and times[0] > since)

    def admit(self, peer: Any) -> Admission | Refused:
        """An Admission to release when the session ends, or the Refused it gets instead."""
        address = peer_address(peer)
        if address in self.trusted:
            if self.open["trusted"] >= self.max_connections:
                return REFUSED_FULL
            self.open["trusted"] += 1
            return Admission("trusted", "")
        key = peer_key(address)
        if self.open["other"] >= self.max_connections:
            return REFUSED_FULL
        if self.by_peer[key] >= self.per_peer:
            return REFUSED_PEER_FULL
        if self.rate_per_peer and not self._within_rate(key):
            return self.too_fast
        self.open["other"] += 1
        self.by_peer[key] += 1
        return Admission("other", key)

    def authenticated(self, peer: Any) -> None:
        """A session from `peer` authenticated: its address is not rate-limited for the next window."""
        if self.rate_per_peer:
            address = peer_address(peer)
            if address not in self.trusted:
                self.exempt_until[peer_key(address)] = self.clock() + self.rate_window

    def _within_rate(self, key: str) -> bool:
        """Whether `key` may start one more session now; if so, counted."""
        now = self.clock()
        since = now - self.rate_window
        self._forget_quiet(since)
        until = self.exempt_until.get(key)
        if until is not None:
            if until > now:
                return True
            del self.exempt_until[key]
        times = self.started.pop(key, None)  # taken out and put back last: the order of the last try
        if times is None:
            times = deque()
        while times and times[0] <= since:
            times.popleft()
        if len(times) >= self.rate_per_peer:
            self.started[key] = times
            return False
        times.append(now)
        self.started[key] = times
        return True

    def _forget_quiet(self, since: float) -> None:
        """Drop the addresses whose last session began before `since`: a flood from many addresses
        (an IPv6 /64 each) must not keep its times for good."""
        while self.started:
            key = next(iter(self.started))
            if self.started[key][-1] > since:
                break
            del self.started[key]
        if len(self.exempt_until) > 4 * max(1, len(self.started)) + 1024:
            now = self.clock()
            self.exempt_until = {k: t for k, t in self.exempt_until.items() if t > now}

    def release(self, admission: Admission) -> None:
        self.open[admission.pool] -= 1
        if admission.key:
            self.by_peer[admission.key] -= 1
            if self.by_peer[admission.key] <= 0:
                del self.by_peer[admission.key]


# -- memory for DATA --------------------------------------------------------------------------------
STEP = 64 * 1024  # a lease grows in steps, not per line
TRIM_AFTER = 32 * 1024 * 1024  # DATA bytes given back before glibc is asked to return free memory


class Lease:
    """The DATA bytes one session may hold; grows as the mail arrives, returned when it is done."""

    def __init__(self, budget: DataBudget, held: int) -> None:
        self.budget = budget
        self.held = held

    def cover(self, size: int) -> bool:
        """Make room for `size` bytes in all; False when the budget has none (the session then discards)."""
        if size <= self.held:
            return True
        want = min(max(size, self.held + STEP), self.budget.limit)
        extra = want - self.held
        if self.budget.used + extra > self.budget.limit:
            extra = size - self.held
            if self.budget.used + extra > self.budget.limit:
                return False
        self.budget.used += extra
        self.held += extra
        return True

    def release(self) -> None:
        if self.held:
            self.budget.give_back(self.held)
            self.held = 0


class DataBudget:
    """DATA held in memory across all sessions, at most `limit` bytes.

    A DATA that cannot get its first bytes (or its declared SIZE) waits up to `wait` seconds for
    sessions to finish, then is refused with 451 4.3.1; one that outgrows the budget while arriving is
    read to its end and discarded, and answered 451 4.3.1 too. When much has been given back, glibc is
    asked to return free heap pages to the system: without it the process kept its peak size for good.
    """

    def __init__(self, limit: int, wait: float) -> None:
        self.limit = limit
        self.wait = wait
        self.used = 0
        self._changed = asyncio.Event()
        self._freed_since_trim = 0
        self._trim_pending = False

    async def lease(self, first: int) -> Lease | None:
        first = max(1, min(first, self.limit))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.wait
        while self.used + first > self.limit:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                return None
        self.used += first
        return Lease(self, first)

    def give_back(self, n: int) -> None:
        self.used -= n
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()
        self._freed_since_trim += n
        if self._freed_since_trim >= TRIM_AFTER and not self._trim_pending:
            # A moment later, once the sessions that ended together have all dropped their buffers;
            # one trim for the lot (it walks the heap: a few milliseconds).
            self._trim_pending = True
            asyncio.get_running_loop().call_later(0.5, self._trim)

    def _trim(self) -> None:
        self._trim_pending = False
        self._freed_since_trim = 0
        # On a thread (ctypes lets go of the GIL): walking a heap that held big mails took 100 ms, and
        # the loop has sessions to serve meanwhile.
        asyncio.get_running_loop().run_in_executor(None, malloc_trim)


_libc: Any = None


def _glibc(name: str) -> Any:
    global _libc
    if _libc is None:
        found = ctypes.util.find_library("c")
        try:
            _libc = ctypes.CDLL(found) if found else False
        except OSError:
            _libc = False
    return getattr(_libc, name, None) if _libc else None


def malloc_trim() -> bool:
    """glibc's malloc_trim(0): give free heap memory back to the system (a no-op elsewhere)."""
    trim = _glibc("malloc_trim")
    if trim is None:
        return False
    return bool(trim(0))


# mallopt's M_MMAP_THRESHOLD, and the size from which blocks get their own mapping.
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 1 << 20


def mmap_big_blocks() -> bool:
    """Blocks of 1 MiB and more (a big mail's bytes, its files) in mappings of their own, given back to
    the system when freed (a no-op off glibc; MALLOC_MMAP_THRESHOLD_ in the environment still wins).

    glibc raises its mmap threshold to the size of each mapped block freed, up to 32 MiB, so after the
    first 20 MB mail every later one came from the heap, where freed memory stays with the process and
    scatters: ten 21.5 MB mails left `serve` at 795 MB after they were delivered (290 MB at rest), and
    with the threshold fixed at 1 MiB at 302 MB (bench/big_mail.py)."""
    if "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    mallopt = _glibc("mallopt")
    return bool(mallopt is not None and mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))


def raise_fd_limit(wanted: int) -> None:
    """Each connection, refused ones too for a moment, needs a file descriptor; the usual soft limit
    (1024) is below what max_connections and a burst need, and running out stops accept() for a second."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return
    new = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if new > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
        log.info("raised the open-files limit from %d to %d for SMTP connections", soft, new)
    if new < wanted:
        log.warning(
            "open-files limit %d is below the %d that [smtp] max_connections and listen_backlog need; "
            "raise it (ulimit -n, or LimitNOFILE= in a systemd unit)",
            new,
            wanted,
        )
