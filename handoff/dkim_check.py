"""accept_from "dkim": a forwarded mail counts only with a valid DKIM signature of a trusted domain.

The organisation's Google Workspace or Microsoft 365 signs what its mailbox rules forward; a signature
of one of `trusted_forwarder_domains` (or a subdomain) that verifies against the key in DNS says the
mail left the organisation's own mail system. dkimpy verifies; the key lookups go through dnspython
with our timeout and name servers, and tell a DNS failure (the sender should try again: 451) from a
missing or wrong key (550).
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import dkim
import dns.exception
import dns.nameserver
import dns.resolver

log = logging.getLogger("handoff.dkim")
# dkimpy's own messages go here; at DEBUG it prints signature tags and canonicalized headers, which
# are parts of the mail, so it stays at INFO whatever -v says.
_lib_log = logging.getLogger("handoff.dkim.lib")
_lib_log.setLevel(logging.INFO)

DNS_TIMEOUT = 5.0
_D_TAG = re.compile(rb"(?:^|;)\s*d\s*=\s*([^;\s]+)", re.IGNORECASE)


def parse_server(entry: str) -> tuple[str, int]:
    """ "192.0.2.53", "192.0.2.53:5353", "2001:db8::53" or "[2001:db8::53]:5353" -> (address, port)."""
    text = entry.strip()
    host, port = text, 53
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            port = int(rest.removeprefix(":")) if rest.startswith(":") and rest[1:].isdigit() else -1
    elif text.count(":") == 1:
        host, _, tail = text.partition(":")
        port = int(tail) if tail.isdigit() else -1
    try:
        ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"{entry!r} is not a name server address like 192.0.2.53 or 192.0.2.53:5353") from None
    if not 0 < port < 65536:
        raise ValueError(f"{entry!r} has no valid port")
    return host, port


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str
    temporary: bool = False  # DNS did not answer: the sender should try again later
    domain: str | None = None


class _DnsFailed(dkim.DnsTimeoutError):
    """Raised by our lookup so dkimpy reports the signature as unverified; we remember why."""


class DkimVerifier:
    def __init__(self, domains: list[str], servers: list[str] | None = None, timeout: float = DNS_TIMEOUT) -> None:
        self.domains = [d.lower() for d in domains]
        self.timeout = timeout
        self.resolver = dns.resolver.Resolver(configure=not servers)
        if servers:
            self.resolver.nameservers = [dns.nameserver.Do53Nameserver(h, p) for h, p in map(parse_server, servers)]
        self.resolver.lifetime = timeout
        # Canonicalising and hashing a large mail holds a core for a moment: two at a time, off the loop.
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dkim")

    def trusted(self, domain: str) -> bool:
        domain = domain.lower().rstrip(".")
        return any(domain == d or domain.endswith("." + d) for d in self.domains)

    async def verify(self, raw: bytes) -> Verdict:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._verify, raw)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _verify(self, raw: bytes) -> Verdict:
        try:
            message = dkim.DKIM(raw, logger=_lib_log, timeout=self.timeout)
        except dkim.DKIMException as exc:
            return Verdict(False, f"DKIM: unreadable message ({exc})")
        signatures = [value for name, value in message.headers if name.lower() == b"dkim-signature"]
        if not signatures:
            return Verdict(False, "no DKIM signature of a trusted forwarder domain")
        seen: list[str] = []
        dns_failure: str | None = None
        for idx, value in enumerate(signatures):
            match = _D_TAG.search(value.replace(b"\r\n", b""))
            domain = match.group(1).decode("ascii", "replace").lower() if match else ""
            seen.append(domain or "?")
            if not self.trusted(domain):
                continue
            failures: list[str] = []

            def lookup(name: bytes, timeout: float = self.timeout, failures: list[str] = failures) -> bytes | None:
                return self._txt(name, failures)

            try:
                if message.verify(idx=idx, dnsfunc=lookup):
                    return Verdict(True, f"DKIM signature of {domain} verified", domain=domain)
            except dkim.DKIMException as exc:
                log.info("DKIM signature of %s not valid: %s", domain, exc)
            if failures:
                dns_failure = failures[0]
        if dns_failure is not None:
            return Verdict(False, f"DKIM key lookup failed ({dns_failure}); try again later", temporary=True)
        trusted = [d for d in seen if self.trusted(d)]
        if trusted:
            return Verdict(False, f"DKIM signature of {', '.join(trusted)} did not verify")
        return Verdict(False, f"no DKIM signature of a trusted forwarder domain (signed by {', '.join(seen)})")

    def _txt(self, name: bytes, failures: list[str]) -> bytes | None:
        try:
            answer = self.resolver.resolve(name.decode("ascii"), "TXT", raise_on_no_answer=False, search=False)
        except dns.resolver.NXDOMAIN:
            return None  # no such key: the signature is not valid, not a reason to try again
        except (dns.exception.Timeout, dns.resolver.NoNameservers, dns.resolver.LifetimeTimeout) as exc:
            failures.append(type(exc).__name__)
            raise _DnsFailed(str(exc)) from None
        for rrset in answer.response.answer:
            if rrset.rdtype == dns.rdatatype.TXT:
                return b"".join(next(iter(rrset)).strings)
        return None
