"""accept_from "dkim": a forwarded mail counts only with a valid DKIM signature of a trusted domain.

The organisation's Google Workspace or Microsoft 365 signs what its mailbox rules forward; a signature
of one of `trusted_forwarder_domains` (or a subdomain) that verifies against the key in DNS says the
mail left the organisation's own mail system. dkimpy verifies; the key lookups go through dnspython
with our timeout and name servers, and tell a DNS failure (the sender should try again: 451) from a
missing or wrong key (550).

`[smtp] spf_fallback`: a mail without such a signature is still accepted when its envelope sender's
domain (MAIL FROM, or the HELO name for a null sender, RFC 7208 2.3/2.4) is a trusted forwarder domain
and SPF of that domain passes for the connecting peer (pyspf, RFC 7208, its lookups through the same
resolver); a DNS failure there is a 451 too (RFC 7208 2.6.6 temperror), anything else stays 550.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

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


# pyspf looks names up through its module-level DNSLookup; ours answers from the resolver of the verifier
# running the check on this thread (its name servers and timeout), and leaves anyone else's check alone.
_spf_resolver = threading.local()
_spf_lookup_default: Any = None


def _spf_lookup(name: str, qtype: str, strict: Any = True, timeout: float = DNS_TIMEOUT) -> list[tuple[Any, Any]]:
    import spf

    resolver: dns.resolver.Resolver | None = getattr(_spf_resolver, "resolver", None)
    if resolver is None:
        return list(_spf_lookup_default(name, qtype, strict, timeout))
    found: list[tuple[Any, Any]] = []
    try:
        answer = resolver.resolve(name, qtype, search=False, lifetime=min(timeout, resolver.lifetime))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return found  # no record: a "none" or "void lookup" for pyspf, not a reason to try again
    except (dns.exception.Timeout, dns.resolver.NoNameservers, dns.resolver.LifetimeTimeout) as exc:
        raise spf.TempError(f"DNS {type(exc).__name__}") from None
    # The shapes pyspf's own dnspython driver returns (spf.DNSLookup_dnspython).
    for rdata in answer:
        if qtype in ("A", "AAAA"):
            found.append(((name, qtype), rdata.address))
        elif qtype == "MX":
            found.append(((name, qtype), (rdata.preference, rdata.exchange)))
        elif qtype == "PTR":
            found.append(((name, qtype), rdata.target.to_text(True)))
        elif qtype in ("TXT", "SPF"):
            found.append(((name, qtype), rdata.strings))
    return found


def _install_spf_lookup() -> None:
    global _spf_lookup_default
    import spf

    if spf.DNSLookup is not _spf_lookup:
        _spf_lookup_default = spf.DNSLookup
        spf.DNSLookup = _spf_lookup


def envelope_domain(mail_from: str | None, helo: str | None) -> tuple[str, str]:
    """(domain, which identity) SPF checks: MAIL FROM's domain, or the HELO name for a null sender."""
    sender = (mail_from or "").strip().strip("<>")
    if "@" in sender:
        return sender.rsplit("@", 1)[1].lower().rstrip("."), "MAIL FROM"
    return (helo or "").strip().lower().rstrip("."), "HELO"


class DkimVerifier:
    def __init__(
        self,
        domains: list[str],
        servers: list[str] | None = None,
        timeout: float = DNS_TIMEOUT,
        *,
        spf_fallback: bool = False,
    ) -> None:
        self.domains = [d.lower() for d in domains]
        self.timeout = timeout
        self.spf_fallback = spf_fallback
        if spf_fallback:
            _install_spf_lookup()
        self.resolver = dns.resolver.Resolver(configure=not servers)
        if servers:
            self.resolver.nameservers = [dns.nameserver.Do53Nameserver(h, p) for h, p in map(parse_server, servers)]
        self.resolver.lifetime = timeout
        # Canonicalising and hashing a large mail holds a core for a moment: two at a time, off the loop.
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dkim")

    def trusted(self, domain: str) -> bool:
        domain = domain.lower().rstrip(".")
        return any(domain == d or domain.endswith("." + d) for d in self.domains)

    async def verify(
        self,
        raw: bytes,
        *,
        peer: str | tuple[Any, ...] | None = None,
        mail_from: str | None = None,
        helo: str | None = None,
    ) -> Verdict:
        """The DKIM verdict; with spf_fallback, a mail without a valid trusted signature is judged again
        by SPF of its envelope (`peer`: the connecting address, `mail_from`, `helo`)."""
        loop = asyncio.get_running_loop()
        verdict = await loop.run_in_executor(self._pool, self._verify, raw)
        if verdict.ok or not self.spf_fallback or not peer:
            return verdict
        address = peer[0] if isinstance(peer, tuple) else peer
        return await loop.run_in_executor(self._pool, self._spf, verdict, str(address), mail_from or "", helo or "")

    def _spf(self, dkim_verdict: Verdict, address: str, mail_from: str, helo: str) -> Verdict:
        import spf

        domain, identity = envelope_domain(mail_from, helo)
        why = dkim_verdict.reason
        if not domain or not self.trusted(domain):
            shown = domain or "none given"
            return Verdict(
                False,
                f"{why}; SPF fallback: the {identity} domain ({shown}) is not a trusted forwarder domain",
                temporary=dkim_verdict.temporary,
            )
        # A null sender is checked as postmaster@<HELO name> (RFC 7208 2.4); pyspf does that for s="".
        sender = mail_from if "@" in mail_from else ""
        _spf_resolver.resolver = self.resolver
        try:
            result, explanation = spf.check2(
                i=address, s=sender, h=helo or domain, timeout=self.timeout, querytime=2 * self.timeout
            )
        except Exception as exc:  # pyspf on a malformed address or record: not a pass, and not our crash
            result, explanation = "permerror", f"{type(exc).__name__}: {exc}"
        finally:
            _spf_resolver.resolver = None
        if result == "pass":
            return Verdict(True, f"SPF of {domain} ({identity}) passed for {address}; {why}", domain=domain)
        if result == "temperror" or dkim_verdict.temporary:
            return Verdict(
                False,
                f"{why}; SPF of {domain} for {address}: {result} ({explanation}); try again later",
                temporary=True,
            )
        return Verdict(False, f"{why}; SPF of {domain} ({identity}) for {address}: {result}")

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
