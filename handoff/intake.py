"""SMTP intake: bytes in, a durable spool row, then (and only then) 250.

No parsing happens here: aiosmtpd cancels a handler that outlives its timeout, and a mail that cannot
be parsed must still be accepted and parked with its raw bytes, not refused.

Who may create cases is `[smtp] accept_from` (trusted networks, SMTP AUTH after STARTTLS, a DKIM
signature of the organisation's forwarder, or open on loopback); what one client may take from the
others (connections, recipients, time, memory for DATA) is limited here and in handoff.smtp_limits.
"""

from __future__ import annotations

import asyncio
import binascii
import collections
import contextlib
import ipaddress
import logging
import re
import socket
import ssl
import tempfile
import time
import types
from base64 import b64decode
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar, Protocol

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session, syntax

from handoff.errors import ConfigError
from handoff.settings import SmtpSettings
from handoff.smtp_limits import (
    Admission,
    DataBudget,
    Gate,
    Lease,
    Refused,
    TrustedNetworks,
    peer_address,
    raise_fd_limit,
)
from handoff.spool.base import Peer, Spool

log = logging.getLogger("handoff.intake")


# A DATA that began this recently counts as mail on its way (IntakeHandler.arriving_now): an 8 KB one over
# a LAN takes a millisecond or two, 1 MiB some tens of milliseconds.
ARRIVING_SECONDS = 0.1


class Notify(Protocol):
    """Told after each mail is stored (handoff.worker.Wake: one idle worker loop takes it)."""

    def set(self) -> None: ...


class Refusal(str):
    """A reply that refuses something, with the reason /metrics counts it under."""

    reason: str

    def __new__(cls, reason: str, text: str) -> Refusal:
        self = super().__new__(cls, text)
        self.reason = reason
        return self


SIZE_REPLY = "552 5.3.4 Message too big for this system"
MEMORY_REPLY = "451 4.3.1 Insufficient system storage, try again later"
TOO_MANY_RECIPIENTS = "452 4.5.3 Too many recipients"
STARTTLS_FIRST = "530 5.7.0 Must issue a STARTTLS command first"
NOT_AUTHORISED = "550 5.7.1 Not authorised to create cases: {why}"
TIMEOUT_REPLY = "421 4.4.2 {host} Error: timeout exceeded"
NO_MAIL_REPLY = "421 4.4.2 {host} Error: no mail within {seconds:g} s, closing connection"
TOO_MANY_ERRORS = "421 4.7.0 {host} Error: too many errors"  # Postfix's words for smtpd_hard_error_limit

# aiosmtpd's own refusals: bare texts rewritten with an enhanced status code (RFC 3463), which senders
# and operators read, and each counted under a reason.
_REWRITES = {
    "552 Error: Too much mail data": ("too_big", SIZE_REPLY),
    "552 Error: message size exceeds fixed maximum message size": ("too_big", SIZE_REPLY),
    "530 Must issue a STARTTLS command first": ("starttls_required", STARTTLS_FIRST),
    "500 Command line too long": ("command_too_long", "500 5.5.2 Command line too long"),
    "454 TLS not available": ("tls_unavailable", "454 4.7.0 TLS not available"),
}
_PREFIX_REASONS = (
    ("535 ", "auth_failed"),
    ("538 ", "auth_needs_tls"),
    ("421 4.7.0", "command_limit"),  # aiosmtpd's "<command> sent too many times"
    ("502 5.5.1", "bogus_commands"),
)

# Commands a session may repeat only so often (aiosmtpd closes with 421 4.7.0 beyond): a client that
# guesses passwords goes away. MAIL/RCPT/DATA/RSET/NOOP are not limited here: a relay may send many mails
# over one connection, some with a NOOP before each (aiosmtpd's count never starts again, so NOOP's 20 cut
# such a relay at its 20th mail). What bounds a session that sends them without delivering mail is [smtp]
# junk_command_limit, hard_error_limit and no_mail_timeout (HandoffSMTP.mail_accepted starts those again).
CALL_LIMITS = {"HELO": 10, "EHLO": 10, "AUTH": 3, "VRFY": 5, "EXPN": 5, "HELP": 5, "*": 1_000_000}
# The StreamReader's limit: a command line longer than this is discarded as it arrives (500 5.5.2)
# instead of being buffered; DATA lines may be any length (smtp_DATA reads long ones in pieces).
READ_LIMIT = 32 * 1024
_SIZE_PARAM = re.compile(r"^SIZE=(\d+)$", re.IGNORECASE)
# An address as MTAs send it: "<local@domain>", both parts RFC 5322 dot-atoms of ASCII atext, then nothing, or
# whitespace and the parameters (no comment). aiosmtpd's email-header parser takes ~25 us for it (and defines
# a class on each call); for exactly these inputs it answers the address as written and the parameters after
# the whitespace, which HandoffSMTP._getaddr gives without it. Anything else (quoted local parts, comments,
# source routes, domain literals, UTF-8, "<>") still goes to aiosmtpd's parser.
_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_DOT_ATOM = rf"{_ATEXT}(?:\.{_ATEXT})*"
_PLAIN_ADDRESS = re.compile(rf"<({_DOT_ATOM}@{_DOT_ATOM})>(?:[ \t]+(?=[^ \t(])|$)")
# Refusals that are not the client's error (Postfix's error count is of the client's mistakes): our own
# storage or memory trouble, a DNS failure checking DKIM, the 452 that hands recipients beyond
# max_recipients to a later transaction (Postfix's smtpd_recipient_overshoot_limit), and the closing
# replies themselves.
_NOT_CLIENT_ERRORS = frozenset(
    {
        "storage",
        "memory",
        "dkim_temperror",
        "tls_unavailable",
        "too_many_recipients",
        "command_timeout",
        "data_timeout",
        "no_mail_timeout",
        "too_many_errors",
        "junk_commands",
        "command_limit",
        "bogus_commands",
    }
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class HandoffEnvelope(Envelope):
    def __init__(self) -> None:
        super().__init__()
        # Set at RCPT when the peer is neither a trusted network nor authenticated and accept_from
        # allows "dkim": the mail is accepted only if a trusted domain's signature verifies.
        self.needs_dkim = False


class HandoffSession(Session):
    # aiosmtpd sets the deprecated login_data after every AUTH, and its property logs a warning each
    # time; a plain attribute here keeps the log quiet.
    login_data: Any = None


class _Verbs:
    """A session's `smtp_<VERB>` methods as aiosmtpd looks them up (`get`, `items`), each bound when asked
    for: binding all thirteen for every connection was most of what setting up a session from its template
    cost, and a session uses five or six."""

    __slots__ = ("_names", "_session")

    def __init__(self, session: SMTP, names: Any) -> None:
        self._session = session
        self._names = names  # the template's own mapping: its keys, in aiosmtpd's order

    def get(self, verb: str, default: Any = None) -> Any:
        if verb not in self._names:
            return default
        session = self._session
        # Every command aiosmtpd knows is looked up here before it runs, so the no-mail deadline is read
        # here, one clock read a command: a timer a session cost ~16,000 instructions a mail (its heap
        # compares TimerHandles in Python), and so did a step in every re-arm of aiosmtpd's idle timer.
        if time.monotonic() >= session.mail_deadline:
            return session.no_mail_reply
        return getattr(session, f"smtp_{verb}")

    def items(self) -> list[tuple[str, Any]]:
        return [(verb, getattr(self._session, f"smtp_{verb}")) for verb in self._names]


class HandoffSMTP(SMTP):
    line_length_limit = READ_LIMIT
    # Per connection (a STARTTLS does not start them again), until a mail is accepted: junk commands
    # (NOOP, RSET, VRFY, EXPN, HELP) and the client's errors, as Postfix counts them; and when the session
    # is closed for storing no mail ([smtp] no_mail_timeout), on the loop's clock.
    junk = 0
    errors = 0
    mail_deadline = float("inf")  # time.monotonic()
    _ending = False
    # What aiosmtpd's __init__ works out for a session, per (handler, TLS context): see __init__.
    _templates: ClassVar[dict[tuple[int, int], tuple[Any, Any, dict[str, Any]]]] = {}
    _protocol_keys: ClassVar[frozenset[str] | None] = None

    def __init__(self, handler: IntakeHandler, admission: Admission, **kwargs: Any) -> None:
        # aiosmtpd keeps command_size_limits on the class, shared by every session, and each EHLO
        # raises MAIL's limit for all of them; each session gets its own.
        self.command_size_limit = handler.settings.command_size_limit
        self.command_size_limits = collections.defaultdict(lambda: self.command_size_limit)
        self._init_session(handler, kwargs)
        self.intake = handler
        self.admission: Admission | None = admission
        self.data_timeout = handler.settings.data_timeout

    def _init_session(self, handler: IntakeHandler, kwargs: dict[str, Any]) -> None:
        """aiosmtpd's __init__, introspection done once.

        For every connection aiosmtpd looks its class and the handler over (inspect.getmembers, dir,
        inspect.signature) to find the SMTP verbs, AUTH mechanisms and hooks: 140 us a connection, a
        seventh of a core at 1,000 connections/s, the same answer each time. The first session of a
        handler (and TLS context: SIGHUP loads a new one) runs it; later ones get a fresh stream protocol
        and a copy of what it set, with the verbs and built-in AUTH mechanisms bound to themselves.
        """
        tls = kwargs.get("tls_context")
        key = (id(handler), id(tls))
        cached = self._templates.get(key)
        if cached is None or cached[0] is not handler or cached[1] is not tls:
            SMTP.__init__(self, handler, **kwargs)
            cls = HandoffSMTP
            if cls._protocol_keys is None:
                # Built as aiosmtpd builds its own (a callback keeps a strong reference to the reader).
                probe = asyncio.StreamReaderProtocol(
                    asyncio.StreamReader(), client_connected_cb=lambda r, w: None, loop=self.loop
                )
                cls._protocol_keys = frozenset(probe.__dict__)
            mine = {"command_size_limit", "command_size_limits"}
            template = {k: v for k, v in self.__dict__.items() if k not in cls._protocol_keys and k not in mine}
            if len(cls._templates) > 8:  # old TLS contexts after many reloads
                cls._templates.clear()
            cls._templates[key] = (handler, tls, template)
            self._smtp_methods = _Verbs(self, template["_smtp_methods"])  # as later sessions look verbs up
            return
        template = cached[2]
        loop = template["loop"]
        asyncio.StreamReaderProtocol.__init__(
            self,
            asyncio.StreamReader(loop=loop, limit=self.line_length_limit),
            client_connected_cb=self._cb_client_connected,
            loop=loop,
        )
        self.__dict__.update(template)
        # Bound to the session that built the template: this one's, each bound when a command asks for it.
        self._smtp_methods = _Verbs(self, template["_smtp_methods"])
        self._auth_methods = {
            name: type(attr)(types.MethodType(attr.method.__func__, self), True) if attr.is_builtin else attr
            for name, attr in template["_auth_methods"].items()
        }

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        """aiosmtpd's MAIL/RCPT address parsing, with the usual "<local@domain>" read by a regex (_PLAIN_ADDRESS)."""
        plain = _PLAIN_ADDRESS.match(arg) if arg else None
        if plain is None:
            return SMTP._getaddr(self, arg)
        address = plain.group(1)
        if self.local_part_limit and len(address.rpartition("@")[0]) > self.local_part_limit:
            return None, None
        return address, arg[plain.end() :]

    def _create_session(self) -> Session:
        return HandoffSession(self.loop)

    def _create_envelope(self) -> Envelope:
        return HandoffEnvelope()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self._original_transport is None:  # the TCP connection; STARTTLS calls this again
            self.intake.live.add(self)
            self.mail_deadline = time.monotonic() + self.intake.settings.no_mail_timeout
        super().connection_made(transport)

    def mail_accepted(self) -> None:
        """A mail of this session is stored: its junk and error counts and its no-mail clock start again."""
        self.junk = self.errors = 0
        self.mail_deadline = time.monotonic() + self.intake.settings.no_mail_timeout

    async def no_mail_reply(self, arg: str | None) -> None:
        """[smtp] no_mail_timeout: the answer to any command of a session that has stored no mail for that
        long since it connected, or since its last accepted mail (_Verbs.get). A DATA under way is never
        cut (data_timeout bounds it), and a session that sends nothing goes at command_timeout: none lasts
        longer than no_mail_timeout + command_timeout without a mail (+ data_timeout once in DATA)."""
        seconds = self.intake.settings.no_mail_timeout
        await self._end(Refusal("no_mail_timeout", NO_MAIL_REPLY.format(host=self.hostname, seconds=seconds)))

    def connection_lost(self, error: Exception | None) -> None:
        self.intake.live.discard(self)
        if self.admission is not None:
            self.intake.gate.release(self.admission)
            self.admission = None
        super().connection_lost(error)

    def _timeout_cb(self) -> None:
        # aiosmtpd closes silently; RFC 5321 4.5.3.2 lets the server say why, and a sender that reads
        # a 421 retries later instead of reporting a broken connection.
        if self.transport is not None and not self.transport.is_closing():
            self.intake.count(Refusal("command_timeout", TIMEOUT_REPLY.format(host=self.hostname)))
            self.transport.write(TIMEOUT_REPLY.format(host=self.hostname).encode() + b"\r\n")
        super()._timeout_cb()

    def _peer_text(self) -> str:
        return str(self.session.peer) if self.session is not None else "?"

    def peer_record(self) -> Peer:
        """Who is handing this session's mail over, to be stored with it (spool.base.Peer)."""
        session = self.session
        assert session is not None
        host = session.peer[0] if isinstance(session.peer, tuple) and session.peer else None
        if isinstance(host, str) and ":" not in host and "%" not in host:
            ip: str | None = host  # an IPv4 socket's peer, as the kernel wrote it: already the address's text
        else:  # IPv6 (an IPv4-mapped one as IPv4), with a scope to drop
            address = peer_address(session.peer)
            ip = str(address) if address is not None else None
        tls = None
        if self._tls_protocol is not None and session.ssl:
            ssl_object = session.ssl.get("ssl_object")
            tls = (ssl_object.version() if ssl_object is not None else None) or "TLS"
        auth = _shown(session.auth_data) if session.authenticated and isinstance(session.auth_data, str) else None
        return Peer(ip, _shown(session.host_name), tls, auth)

    async def _end(self, refusal: Refusal) -> None:
        """Answer `refusal` (a 421) and close the connection."""
        if self._ending:
            return
        self._ending = True
        log.info("closed a session from %s: %s", self._peer_text(), refusal.reason.replace("_", " "))
        with contextlib.suppress(ConnectionError):
            await self.push(refusal)
        if self.transport is not None:
            self.transport.close()

    async def _junk(self) -> bool:
        """Count a junk command (Postfix's smtpd_junk_command_limit): beyond the limit each is an error too.
        True when that ended the session (the command is then not answered)."""
        self.junk += 1
        settings = self.intake.settings
        if self.junk > settings.junk_command_limit:
            self.errors += 1
            if self.errors >= settings.hard_error_limit:
                await self._end(Refusal("junk_commands", TOO_MANY_ERRORS.format(host=self.hostname)))
                return True
        return False

    # The junk commands: counted, then answered as aiosmtpd answers them.
    @syntax("NOOP [ignored]")
    async def smtp_NOOP(self, arg: str) -> None:
        if not await self._junk():
            await super().smtp_NOOP(arg)

    @syntax("RSET")
    async def smtp_RSET(self, arg: str) -> None:
        if not await self._junk():
            await super().smtp_RSET(arg)

    @syntax("VRFY <address>")
    async def smtp_VRFY(self, arg: str) -> None:
        if not await self._junk():
            await super().smtp_VRFY(arg)

    async def smtp_EXPN(self, arg: str) -> None:  # not implemented (502), as in aiosmtpd: no HELP text
        if not await self._junk():
            await super().smtp_EXPN(arg)

    @syntax("HELP [command]")
    async def smtp_HELP(self, arg: str) -> None:
        if not await self._junk():
            await super().smtp_HELP(arg)

    async def push(self, status: str | bytes) -> None:
        if isinstance(status, str):
            if not isinstance(status, Refusal):
                reason, text = _REWRITES.get(status, ("", status))
                if not reason and status[:1] in ("4", "5"):
                    reason = next((r for p, r in _PREFIX_REASONS if status.startswith(p)), "protocol")
                if reason:
                    status = Refusal(reason, text)
            if isinstance(status, Refusal):
                self.intake.count(status)
                if status.reason not in _NOT_CLIENT_ERRORS:
                    # Postfix's smtpd_hard_error_limit: a client that keeps being refused without
                    # delivering mail (nested MAIL, unknown recipients, ...) goes away.
                    self.errors += 1
                    if self.errors >= self.intake.settings.hard_error_limit and not self._ending:
                        await super().push(status)
                        await self._end(Refusal("too_many_errors", TOO_MANY_ERRORS.format(host=self.hostname)))
                        return
        await super().push(status)

    @syntax("STARTTLS", when="tls_context")
    async def smtp_STARTTLS(self, arg: str) -> None:
        if self._tls_protocol is not None:
            # aiosmtpd would start a second TLS layer inside the first.
            await self.push("503 5.5.1 TLS already active")
            return
        await super().smtp_STARTTLS(arg)

    # -- AUTH: aiosmtpd's PLAIN and LOGIN parse the same way, but verify synchronously on the loop; a
    # scrypt check costs ~0.1 s, so ours awaits it in a thread.
    async def auth_PLAIN(self, _: Any, args: list[str]) -> AuthResult:
        if len(args) == 1:
            blob = await self.challenge_auth("")
            if not isinstance(blob, bytes):
                return AuthResult(success=False)
        else:
            try:
                blob = b64decode(args[1].encode(), validate=True)
            except (binascii.Error, ValueError):
                await self.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        parts = blob.split(b"\x00")
        if len(parts) != 3:
            await self.push("501 5.5.2 Can't split auth value")
            return AuthResult(success=False, handled=True)
        return await self.intake.authenticate(self, parts[1], parts[2])

    async def auth_LOGIN(self, _: Any, args: list[str]) -> AuthResult:
        if len(args) == 1:
            login = await self.challenge_auth(self.AuthLoginUsernameChallenge)
            if not isinstance(login, bytes):
                return AuthResult(success=False)
        else:
            try:
                login = b64decode(args[1].encode(), validate=True)
            except (binascii.Error, ValueError):
                await self.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        password = await self.challenge_auth(self.AuthLoginPasswordChallenge)
        if not isinstance(password, bytes):
            return AuthResult(success=False)
        return await self.intake.authenticate(self, login, password)

    # -- DATA: aiosmtpd's own reads line by line into a list of small buffers, gives the whole DATA the
    # command timeout, and has no memory budget; ours holds one buffer per session within the budget,
    # has its own deadline, and reads lines of any length (RFC 5322's 998 is broken by real HTML mail;
    # accepting and parking beats a bounce).
    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        if await self.check_helo_needed():
            return
        if await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None and self.session is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 5.5.1 Error: need RCPT command")
            return
        if arg:
            await self.push("501 5.5.4 Syntax: DATA")
            return
        limit = self.data_size_limit or 0
        lease = await self.intake.budget.lease(self._declared_size() or 64 * 1024)
        if lease is None:
            log.warning("DATA memory budget in use; answered 451 4.3.1 to %s", self.session.peer)
            self._set_post_data_state()
            await self.push(Refusal("memory", MEMORY_REPLY))
            return
        try:
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            self.intake.arriving[self] = time.monotonic()
            # aiosmtpd's idle timer must not cut the DATA phase short; our deadline below is the bound.
            self._reset_timeout(self.data_timeout + 30)
            sink = DataSink(lease, limit, self.intake.spill_dir)
            try:
                async with asyncio.timeout(self.data_timeout):
                    await self._read_data(sink)
            except TimeoutError:
                log.info("DATA from %s took longer than %.0f s; dropped", self.session.peer, self.data_timeout)
                await self.push(Refusal("data_timeout", TIMEOUT_REPLY.format(host=self.hostname)))
                assert self.transport is not None
                self.transport.close()
                return
            if sink.outcome == "too_big":
                log.info("refused over-size mail from %s", self.session.peer)
                status: str = Refusal("too_big", SIZE_REPLY)
            elif sink.outcome == "memory":
                log.warning("DATA from %s outgrew the memory budget; answered 451 4.3.1", self.session.peer)
                status = Refusal("memory", MEMORY_REPLY)
            elif sink.outcome == "spill_failed":
                status = Refusal("storage", "451 4.3.0 Temporary failure storing the message, try again later")
            else:
                # Storing (and a DKIM check's DNS) is bounded by our own timeouts, not the idle timer.
                self._reset_timeout(self.data_timeout + 30)
                if sink.file is None:
                    status = await self._store(bytes(sink.buf), sink)
                else:
                    # A big mail comes back into memory only to be stored, one at a time: ten 20 MB mails
                    # ending together must not all be in memory at once (with the copies storing makes).
                    async with self.intake.big_store:
                        status = await self._store(await asyncio.to_thread(sink.read_back), sink)
        finally:
            self.arrived()
            sink.close()
            self._set_post_data_state()  # drops this session's reference to the bytes
            lease.release()
        self._reset_timeout()
        await self.push(status)

    def arrived(self) -> None:
        """This session's DATA is no longer on its way to the spool (handed to it, refused or cut off)."""
        self.intake.arriving.pop(self, None)

    def _declared_size(self) -> int:
        assert self.envelope is not None
        for option in self.envelope.mail_options:
            match = _SIZE_PARAM.match(option)
            if match:
                return min(int(match.group(1)), self.data_size_limit or int(match.group(1)))
        return 0

    async def _store(self, raw: bytes, sink: DataSink) -> str:
        """The handler's DATA hook on these bytes; the session keeps no reference to them afterwards."""
        assert self.envelope is not None
        sink.close()  # the bytes are in `raw` now
        self.envelope.content = raw
        self.envelope.original_content = raw
        del raw
        try:
            # As it comes: a Refusal keeps the reason /metrics counts it under.
            status: str = await self._call_handler_hook("DATA")
            return status
        finally:
            self.envelope.content = self.envelope.original_content = None

    async def _read_data(self, sink: DataSink) -> None:
        """Read to the final dot into `sink`: its outcome "ok" with the unstuffed bytes, or "too_big" |
        "memory" | "spill_failed" having discarded what arrived, as RFC 5321 4.2.5 wants the reply only
        after the whole DATA."""
        try:
            await read_dot_stuffed(self._reader, sink)
        except BaseException:
            # Now, not when the cyclic GC gets to this coroutine's frames (a connection lost mid-DATA
            # leaves them in a cycle with its task): the process gives the memory back at once.
            sink.close()
            raise


class DataSink:
    """Where DATA goes: one buffer within the session's lease; past SPILL_AT a temporary file (the lease
    still counts every byte, so unterminated DATA is bounded as before, only not in memory); nowhere once
    it is too big.

    Ten 20 MB mails arriving at once held 215 MB of buffers, then as much again in the bytes made from
    them: over the 500 MB the process may take. Spilled, each session holds at most SPILL_AT +
    SPILL_WRITE in memory while its mail arrives."""

    def __init__(self, lease: Lease, limit: int, spill_dir: str | None = None) -> None:
        self.lease = lease
        self.limit = limit
        self.spill_dir = spill_dir
        self.buf = bytearray()
        self.file: Any = None  # the temporary file once spilled; `buf` then holds what is not written yet
        self.size = 0
        self.outcome = "ok"

    def add(self, piece: bytes) -> None:
        if self.outcome != "ok":
            return
        size = self.size + len(piece)
        if self.limit and size > self.limit:
            self.outcome = "too_big"
        elif not self.lease.cover(size):
            self.outcome = "memory"
        else:
            self.buf += piece
            self.size = size
            return
        self.close()
        self.lease.release()

    @property
    def spill_due(self) -> bool:
        return self.outcome == "ok" and len(self.buf) >= (SPILL_WRITE if self.file is not None else SPILL_AT)

    async def spill(self) -> None:
        """Write what is buffered to the temporary file, on a thread: with the disk busy (the spool's own
        writes of big mails) a write can wait for the kernel's dirty-page throttling, and the loop must not."""
        buf, self.buf = self.buf, bytearray()
        try:
            if self.file is None:
                # Unlinked at once (O_TMPFILE where there is one): nothing is left behind by a crash.
                self.file = tempfile.TemporaryFile(prefix="handoff-data-", dir=self.spill_dir)
            await asyncio.to_thread(self.file.write, buf)
        except OSError as exc:  # a full or read-only disk: the sender retries later (451 4.3.0)
            log.error(
                "could not spill DATA to a temporary file in %s: %s", self.spill_dir or tempfile.gettempdir(), exc
            )
            self.outcome = "spill_failed"
            self.close()
            self.lease.release()

    def read_back(self) -> bytes:
        """The whole mail from the temporary file (on a thread: 20 MB from the page cache)."""
        self.file.write(self.buf)
        self.buf = bytearray()
        self.file.seek(0)
        data: bytes = self.file.read()
        return data

    def close(self) -> None:
        self.buf = bytearray()
        if self.file is not None:
            with contextlib.suppress(OSError):
                self.file.close()
            self.file = None


# DATA held in memory per session before the rest goes to a temporary file, and how much of the rest is
# gathered before each write to it.
SPILL_AT = 1024 * 1024
SPILL_WRITE = 256 * 1024

_LINE_DOT = b"\r\n."


async def read_dot_stuffed(reader: asyncio.StreamReader, sink: DataSink) -> None:
    """Read an SMTP DATA body up to its final "<CRLF>.<CRLF>", removing the dot of every line that
    starts with one (RFC 5321 4.5.2), into `sink`.

    Reads in chunks of up to the reader's limit, not line by line: a 25 MB mail is ~330,000 lines, and
    reading those one by one held the event loop for seconds per mail. Only the bytes after a line-start
    dot (and a CR that may begin the next CRLF) are read one at a time, because the separator could
    otherwise straddle two reads. Nothing after the final dot is consumed.
    """
    after_dot = False  # just consumed a dot that begins a line (it is not content)
    pending_cr = False  # the content passed on ends with CR, so a CRLF "." may straddle the next read
    first = await reader.readexactly(1)
    if first == b".":  # the body's first line starts with a dot
        after_dot = True
    else:
        sink.add(first)
        pending_cr = first == b"\r"
    while True:
        if after_dot:
            after_dot = False
            b = await reader.readexactly(1)
            if b != b"\r":
                sink.add(b)  # the rest of a dot-stuffed line ("..x" carries ".x")
                continue
            c = await reader.readexactly(1)
            if c == b"\n":
                return  # ".<CRLF>" on a line of its own: the end
            sink.add(b + c)
            pending_cr = c == b"\r"
            continue
        if pending_cr:
            pending_cr = False
            c = await reader.readexactly(1)
            if c != b"\n":
                sink.add(c)
                pending_cr = c == b"\r"
                continue
            d = await reader.readexactly(1)
            if d == b".":
                sink.add(c)
                after_dot = True
                continue
            sink.add(c + d)
            pending_cr = d == b"\r"
            continue
        try:
            piece = await reader.readuntil(_LINE_DOT)
        except asyncio.LimitOverrunError as exc:
            # No line-start dot within the reader's limit: pass on what is certainly content. The
            # reader keeps the last bytes, so a separator arriving now is still found whole.
            piece = await reader.read(exc.consumed)
            if not piece:
                raise ConnectionResetError("connection closed during DATA") from None
            sink.add(piece)
            if sink.spill_due:
                await sink.spill()
            continue
        sink.add(piece[:-1])  # up to and with the CRLF; the dot is not content
        if sink.spill_due:
            await sink.spill()
        after_dot = True


class Recipients:
    """Which addresses handoff accepts: exact addresses, or '@domain' for every local part of a domain."""

    def __init__(self, entries: list[str]) -> None:
        self.addresses = {e for e in entries if not e.startswith("@")}
        self.domains = {e[1:] for e in entries if e.startswith("@")}
        self.own_domains = self.domains | {a.rpartition("@")[2] for a in self.addresses}

    def accepts(self, address: str) -> bool:
        address = address.strip().lower()
        return address in self.addresses or address.rpartition("@")[2] in self.domains

    def is_ours(self, address: str) -> bool:
        return address.strip().lower().rpartition("@")[2] in self.own_domains


class Tls:
    """The certificate new sessions get; reload() swaps in a new one (SIGHUP), keeping the old one when
    the new files do not load. Sessions already in TLS keep theirs."""

    def __init__(self, cert: str, key: str | None) -> None:
        self.cert, self.key = cert, key
        self.context = self.load()
        log.info("TLS: %s", self.describe())

    def load(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            context.load_cert_chain(self.cert, self.key)
        except (OSError, ssl.SSLError) as exc:
            what = "[smtp] tls_cert / tls_key" if self.key else "[smtp] tls_cert"
            raise ConfigError(
                f"{what}: cannot load the certificate chain {self.cert}"
                + (f" and key {self.key}" if self.key else "")
                + f" ({type(exc).__name__}: {exc}); expected PEM files such as certbot's fullchain.pem and privkey.pem"
            ) from None
        return context

    def reload(self) -> bool:
        try:
            context = self.load()
        except ConfigError as exc:
            log.error("TLS reload failed, new sessions keep the current certificate: %s", exc)
            return False
        self.context = context
        log.info("TLS reloaded: %s", self.describe())
        return True

    def describe(self) -> str:
        try:
            from cryptography import x509

            cert = x509.load_pem_x509_certificate(Path(self.cert).read_bytes())
            names = cert.subject.rfc4514_string()
            return f"certificate {names}, valid until {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC, from {self.cert}"
        except Exception as exc:  # only a description; the context loaded already
            return f"certificate from {self.cert} ({type(exc).__name__} reading its dates)"


class Trust:
    """[smtp] accept_from: which sessions may create cases."""

    def __init__(self, settings: SmtpSettings, networks: TrustedNetworks) -> None:
        self.models = set(settings.accept_from)
        self.networks = networks

    @property
    def open(self) -> bool:
        return "open" in self.models

    def refusal(self, session: Session) -> str | None:
        """None when this session may create cases now; otherwise why not."""
        if self.open:
            return None
        address = peer_address(session.peer)
        if "networks" in self.models and address in self.networks:
            return None
        if "auth" in self.models and session.authenticated:
            return None
        why = []
        if "networks" in self.models:
            why.append(f"host {address} is not a trusted relay")
        if "auth" in self.models:
            why.append("the session is not authenticated (AUTH after STARTTLS)")
        return " and ".join(why) or "no DKIM signature checked yet"


class IntakeHandler:
    def __init__(self, settings: SmtpSettings, spool: Spool, on_queued: Notify | None = None) -> None:
        self.settings = settings
        self.recipients = Recipients(settings.recipients)
        self.spool = spool
        # Set after every durable enqueue so an idle worker loop (one: handoff.worker.Wake) takes it at
        # once instead of polling.
        self.on_queued = on_queued
        self.accepted = 0
        self.accepted_bytes = 0  # /metrics: bytes of the mails stored
        self.store_error: str | None = None  # the last failure to store a mail, until one is stored again
        self.store_error_at = 0.0
        self.refusals: Counter[tuple[str, str]] = Counter()  # (code, reason) -> count, for /metrics
        networks = TrustedNetworks(settings.trusted_networks)
        self.trust = Trust(settings, networks)
        self.gate = Gate(
            settings.max_connections,
            settings.max_connections_per_peer,
            networks,
            rate_per_peer=settings.max_connection_rate_per_peer,
            rate_window=settings.connection_rate_window,
        )
        self.budget = DataBudget(settings.data_memory_budget, settings.data_memory_wait)
        # Big DATA is spilled beside the SQLite spool (same disk, not a tmpfs in memory), else to TMPDIR;
        # and read back to be stored one mail at a time.
        path = getattr(spool, "path", None)
        self.spill_dir: str | None = str(Path(path).parent) if isinstance(path, (str, Path)) else None
        self.big_store = asyncio.Semaphore(1)
        self.live: set[HandoffSMTP] = set()
        self.storing = 0
        # Sessions reading a DATA whose mail is not handed to the spool yet, and since when: the SQLite spool's
        # writer waits a moment for those that began lately before it commits (SqliteSpool.arriving), so a
        # burst shares its fsyncs.
        self.arriving: dict[HandoffSMTP, float] = {}
        if hasattr(spool, "arriving"):
            spool.arriving = self.arriving_now
        self._stored = asyncio.Event()  # set whenever no mail is being written to the spool
        self.tls = Tls(settings.tls_cert, settings.tls_key) if settings.tls_cert else None
        self.users: Any = None
        if "auth" in settings.accept_from:
            from handoff.smtp_auth import Users

            self.users = Users({u.name: u.password_hash.get_secret_value() for u in settings.users})
        self.dkim: Any = None
        if "dkim" in settings.accept_from:
            from handoff.dkim_check import DkimVerifier

            self.dkim = DkimVerifier(
                settings.trusted_forwarder_domains, settings.dns_servers, spf_fallback=settings.spf_fallback
            )

    @property
    def sessions(self) -> int:
        return self.gate.sessions

    @property
    def receiving(self) -> int:
        """Sessions reading a DATA whose mail is not handed to the spool yet."""
        return len(self.arriving)

    def arriving_now(self) -> int:
        """Of those, the ones whose DATA began within ARRIVING_SECONDS: mail on its way now. A slow or hostile
        session that sits in DATA for minutes is no reason for anyone's commit to wait. Called from the spool's
        writer thread (the copy of the times is taken in one step under the GIL)."""
        since = time.monotonic() - ARRIVING_SECONDS
        return sum(1 for started in list(self.arriving.values()) if started > since)

    @property
    def data_bytes_held(self) -> int:
        return self.budget.used

    def count(self, refusal: Refusal) -> None:
        self.refusals[(refusal[:3], refusal.reason)] += 1

    def reload_tls(self) -> bool:
        """SIGHUP: new sessions get the certificate now in [smtp] tls_cert; open ones are not dropped."""
        if self.tls is None:
            log.info("SIGHUP: no [smtp] tls_cert configured, nothing to reload")
            return False
        return self.tls.reload()

    async def authenticate(self, server: HandoffSMTP, login: bytes, password: bytes) -> AuthResult:
        name = login.decode("utf-8", "replace")
        if self.users is not None and await self.users.check(name, password):
            log.info("AUTH as %s from %s", name, server.session.peer if server.session else "?")
            if server.session is not None:
                self.gate.authenticated(server.session.peer)  # its address's next connections are not rate-limited
            return AuthResult(success=True, auth_data=name)
        # The name only when it is a configured user: a password typed into the name field stays out of logs.
        who = name if self.users is not None and self.users.knows(name) else "an unknown user"
        log.info("AUTH failed for %s from %s", who, server.session.peer if server.session else "?")
        await asyncio.sleep(1)  # a guesser's next try waits; aiosmtpd allows 3 per session
        return AuthResult(success=False, handled=False)

    async def handle_EHLO(
        self, server: SMTP, session: Session, envelope: Envelope, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        # aiosmtpd lists "AUTH" with no mechanism when AUTH is off; and our replies carry RFC 3463 codes.
        out = [r for r in responses if r.rstrip() != "250-AUTH"]
        out.insert(len(out) - 1, "250-ENHANCEDSTATUSCODES")
        return out

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        # Who may create cases is decided before the recipient is looked at, so a stranger learns
        # nothing about which mailboxes exist.
        why = self.trust.refusal(session)
        if why is not None:
            if self.dkim is None:
                log.info("refused RCPT from %s: %s", session.peer, why)
                return Refusal("not_trusted", NOT_AUTHORISED.format(why=why))
            assert isinstance(envelope, HandoffEnvelope)
            envelope.needs_dkim = True  # decided after DATA, on the mail's signature
        if len(envelope.rcpt_tos) >= self.settings.max_recipients:
            # 452: the sender keeps the other recipients for a later transaction (RFC 5321 4.5.3.1.10).
            return Refusal("too_many_recipients", TOO_MANY_RECIPIENTS)
        if self.recipients.accepts(address):
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 OK"
        if self.recipients.is_ours(address):
            log.info("refused unknown recipient %s from %s", address, session.peer)
            return Refusal("unknown_recipient", "550 5.1.1 Recipient address rejected: no such handoff mailbox")
        # Not a domain we serve: an open-relay probe or a misrouted mail.
        log.info("refused relay attempt to %s from %s", address, session.peer)
        return Refusal("relay", "550 5.7.1 Relay access denied")

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content
        if raw is None:  # aiosmtpd always sets it after DATA; guard against a future change
            raise RuntimeError("no message content")
        mail_from = envelope.mail_from or ""
        if isinstance(envelope, HandoffEnvelope) and envelope.needs_dkim:
            verdict = await self.dkim.verify(raw, peer=session.peer, mail_from=mail_from, helo=session.host_name)
            if verdict.temporary:
                log.warning("DKIM of mail from <%s> via %s not checked: %s", mail_from, session.peer, verdict.reason)
                return Refusal("dkim_temperror", f"451 4.7.5 {verdict.reason}")
            if not verdict.ok:
                log.info("refused mail from <%s> via %s: %s", mail_from, session.peer, verdict.reason)
                return Refusal("dkim", NOT_AUTHORISED.format(why=verdict.reason))
            log.info("mail from <%s> via %s: %s", mail_from, session.peer, verdict.reason)
        self.storing += 1
        self._stored.clear()
        peer = None
        if isinstance(server, HandoffSMTP):
            server.arrived()  # the spool's writer need not wait for it: it is in the queue right below
            peer = server.peer_record()
        try:
            spool_id = await self.spool.enqueue(raw, mail_from, list(envelope.rcpt_tos), peer)
        except Exception as exc:
            # Readiness reports it until a mail is stored again: a tiny probe write can still fit in
            # the last free pages of a full disk while a mail does not.
            self.store_error = f"{type(exc).__name__}: {exc}"[:300]
            self.store_error_at = time.monotonic()
            raise
        finally:
            self.storing -= 1
            if not self.storing:
                self._stored.set()
        self.store_error = None
        self.accepted += 1
        self.accepted_bytes += len(raw)
        if isinstance(server, HandoffSMTP):
            server.mail_accepted()
        log.info("spool=%d queued %d bytes from <%s> for %s", spool_id, len(raw), mail_from, envelope.rcpt_tos)
        if self.on_queued is not None:
            self.on_queued.set()
        return f"250 2.0.0 queued as {spool_id}"

    async def handle_exception(self, error: Exception) -> str:
        # The mail is not stored: a temporary failure makes the sending MTA try again later, whereas
        # aiosmtpd's default 500 would make it bounce the customer's mail for good.
        log.error("intake failure, answered 451: %s: %s", type(error).__name__, error)
        return Refusal("storage", "451 4.3.0 Temporary failure storing the message, try again later")

    async def close(self, grace: float = 5.0) -> None:
        """Stop: let mails being stored get their answer, then close every session."""
        if self.storing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stored.wait(), grace)
        for session in list(self.live):
            if session.transport is not None:
                session.transport.close()
        for part in (self.users, self.dkim):
            if part is not None:
                part.close()


class _Gatekeeper(asyncio.Protocol):
    """Admits a connection before any SMTP is spoken: refused ones cost one write and a close, not
    a whole aiosmtpd session."""

    def __init__(self, handler: IntakeHandler, make: Any) -> None:
        self.handler = handler
        self.make = make

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        admission = self.handler.gate.admit(transport.get_extra_info("peername"))
        if isinstance(admission, Refused):
            reply = Refusal(admission.reason, admission.reply)
            self.handler.count(reply)
            text = reply.format(host=self.handler.settings.hostname)
            assert isinstance(transport, asyncio.WriteTransport)
            transport.write(text.encode() + b"\r\n")
            transport.close()
            return
        protocol = self.make(admission)
        transport.set_protocol(protocol)
        protocol.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        pass


def _shown(name: Any) -> str | None:
    """A name the client chose (HELO, AUTH user) as it may be stored and shown: printable UTF-8 (a command
    line's undecodable bytes come as surrogates), no control characters, at most 255 characters."""
    if not isinstance(name, str) or not name:
        return None
    if name.isascii() and name.isprintable():  # as nearly every name is: no copy
        return name[:255]
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _CONTROL.sub("?", text)[:255] or None


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # "", a name or 0.0.0.0-like: it may be reachable from elsewhere


async def start_smtp(
    settings: SmtpSettings, spool: Spool, on_queued: Notify | None = None
) -> tuple[asyncio.Server, IntakeHandler]:
    """Serve SMTP in the running loop (not aiosmtpd's Controller thread) so it shares our spool and loop."""
    # aiosmtpd would look the name up (socket.getfqdn, a blocking DNS query) for every connection.
    hostname = settings.hostname or socket.getfqdn()
    handler = IntakeHandler(settings.model_copy(update={"hostname": hostname}), spool, on_queued)
    loop = asyncio.get_running_loop()
    auth = "auth" in settings.accept_from

    def make(admission: Admission) -> HandoffSMTP:
        tls = handler.tls.context if handler.tls is not None else None
        return HandoffSMTP(
            handler,
            admission,
            data_size_limit=settings.max_message_size,
            hostname=hostname,
            ident="handoff",
            enable_SMTPUTF8=True,
            decode_data=False,
            tls_context=tls,
            require_starttls=settings.require_starttls,
            timeout=settings.command_timeout,
            auth_require_tls=True,  # never a password in clear
            auth_exclude_mechanism=() if auth else ("PLAIN", "LOGIN"),
            command_call_limit=CALL_LIMITS,
        )

    # Both pools full, and a listen backlog's worth of connections being refused at once.
    raise_fd_limit(2 * settings.max_connections + settings.listen_backlog + 256)
    server = await loop.create_server(
        lambda: _Gatekeeper(handler, make), host=settings.host, port=settings.port, backlog=settings.listen_backlog
    )
    if settings.is_open and not is_loopback(settings.host):
        log.warning(
            "SMTP listens on %s:%d with [smtp] accept_from = %s: ANYONE who can reach this port creates "
            'Dynamics incidents. Set accept_from to ["networks"], ["auth"] and/or ["dkim"] (README: '
            '"Exposing the MX"), or listen on 127.0.0.1',
            settings.host or "*",
            bound_port(server),
            list(settings.accept_from),
        )
    return server, handler


def bound_port(server: asyncio.Server) -> int:
    sock: Any = server.sockets[0]
    return int(sock.getsockname()[1])
