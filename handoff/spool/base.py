"""The spool contract: what intake, the worker, the outbox sender and the CLI may ask of storage.

Two backends sit behind it and pass the same contract tests (tests/test_spool.py): SQLite (one instance,
handoff.spool.sqlite) and PostgreSQL (several instances sharing one database, handoff.spool.postgres).
`handoff.spool.open_spool` picks one by the URL's scheme; this module imports neither.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from json.encoder import encode_basestring_ascii as _json_string
from typing import Any, Literal, NamedTuple, Protocol

State = Literal["queued", "working", "created", "skipped", "parked"]
STATES: tuple[State, ...] = ("queued", "working", "created", "skipped", "parked")
EventState = Literal["pending", "sending", "sent", "parked"]
EVENT_STATES: tuple[EventState, ...] = ("pending", "sending", "sent", "parked")


class Peer(NamedTuple):
    """Who handed a mail over, as its SMTP session saw it: the connecting address, the name it gave at
    HELO/EHLO, the TLS version of the session (None: in clear) and the SMTP AUTH user (None: none).

    Kept in a column of its own (`peer`, JSON), never added to the raw bytes: a mail's ids are derived from
    those (handoff.ids), and the same mail resent after a lost 250 must still be the same handoff. A named
    tuple, and its JSON written by hand: one is made for every mail the door takes, and a frozen dataclass
    with json.dumps took ~12 us a mail on a loaded 2-core machine (this, ~2 us) of the ~1 ms a mail costs
    serve."""

    ip: str | None = None
    helo: str | None = None
    tls: str | None = None
    auth: str | None = None

    def to_json(self) -> str:
        """The JSON object stored (each string escaped by json's own C encoder; None as null)."""
        ip, helo, tls, auth = self
        return (
            f'{{"ip":{_json_string(ip) if ip else "null"},"helo":{_json_string(helo) if helo else "null"},'
            f'"tls":{_json_string(tls) if tls else "null"},"auth":{_json_string(auth) if auth else "null"}}}'
        )

    @classmethod
    def from_json(cls, text: str | None) -> Peer | None:
        """The stored column; None for a row without one (stored before the column, or not over SMTP)."""
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        return cls(**{k: str(data[k]) for k in ("ip", "helo", "tls", "auth") if data.get(k)})

    def describe(self) -> str:
        """One line for an operator: "192.0.2.10 (HELO relay.example), TLSv1.3, AUTH as triage-bot"."""
        out = self.ip or "address unknown"
        if self.helo:
            out += f" (HELO {self.helo})"
        out += f", {self.tls}" if self.tls else ", no TLS"
        if self.auth:
            out += f", AUTH as {self.auth}"
        return out


@dataclass(frozen=True)
class SpoolItem:
    """One handoff as stored: the raw mail, its envelope and where it stands."""

    id: int
    raw: bytes
    mail_from: str
    rcpt_tos: list[str]
    received_at: float
    state: State
    attempts: int
    message_id: str | None = None
    last_error: str | None = None
    incident_id: str | None = None
    ticket_number: str | None = None
    skipped_guard: str | None = None
    skipped_reason: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    updated_at: float = 0.0
    next_attempt_at: float = 0.0
    lease_owner: str | None = None
    lease_until: float | None = None
    open_claims: int = 0  # claims since the last recorded outcome (a process that died on it each time)
    raw_purged_at: float | None = None  # when retention ([spool] keep_raw_days) removed `raw` (then b"")
    peer: Peer | None = None  # who handed it over (SMTP); None for rows from before it was kept, or replayed


def purged_note(item: SpoolItem) -> str | None:
    """What an operator reads instead of the raw mail once retention removed it; None while it is kept."""
    if item.raw_purged_at is None:
        return None
    return f"raw mail removed by retention on {time.strftime('%Y-%m-%d', time.gmtime(item.raw_purged_at))}"


# What retention removes from a handoff's summary with its raw mail: the words people wrote (each
# message's body and signature, the transcript sent as the incident's description). The case itself lives
# in Dynamics; the spool keeps only what an operator needs to find and explain a handoff: addresses and
# names, subject, times, verdicts, category, ticket. A product decision, said in the README's Retention.
FORGOTTEN_MESSAGE_KEYS = ("body", "signature")
FORGOTTEN_INCIDENT_KEYS = ("description",)


def forget_text(summary: dict[str, Any]) -> dict[str, Any]:
    """A copy of `summary` without the text of the mail (bodies, signatures, the transcript); each message
    keeps how long its text was (`body_chars`), so the trail still says "412 chars"."""
    out = dict(summary)
    messages = []
    for message in summary.get("messages") or []:
        if not isinstance(message, dict):
            continue
        kept = {k: v for k, v in message.items() if k not in FORGOTTEN_MESSAGE_KEYS}
        if "body" in message:
            kept["body_chars"] = len(message.get("body") or "")
        messages.append(kept)
    if "messages" in summary:
        out["messages"] = messages
    incident = summary.get("incident")
    if isinstance(incident, dict):
        out["incident"] = {k: v for k, v in incident.items() if k not in FORGOTTEN_INCIDENT_KEYS}
    out["text_forgotten"] = True
    return out


def gave_up_reason(item: SpoolItem) -> str:
    return claims_reason(item.open_claims, item.last_error)


def claims_reason(open_claims: int, last_error: str | None) -> str:
    """Why a handoff claimed `open_claims` times without an outcome is parked at its next claim."""
    why = f"gave up after {open_claims} claims without an outcome (the process died or was stopped on it)"
    return f"{why}; last error: {last_error}" if last_error else why


@dataclass(frozen=True)
class OutboxEvent:
    """A case event waiting to be mirrored (MoEngage). `key` is stable, so it is written once."""

    key: str
    kind: str
    payload: dict[str, Any]
    id: int | None = None
    handoff_id: int | None = None
    state: EventState = "pending"
    attempts: int = 0
    last_error: str | None = None
    sent_at: float | None = None

    def payload_json(self) -> str:
        return json.dumps(self.payload, sort_keys=True, separators=(",", ":"))


class Spool(Protocol):
    async def open(self) -> None: ...
    async def close(self) -> None: ...

    # intake
    async def enqueue(self, raw: bytes, mail_from: str, rcpt_tos: list[str], peer: Peer | None = None) -> int: ...

    # worker
    async def claim(self, lease_seconds: float, owner: str = "", max_claims: int = 0) -> SpoolItem | None: ...
    async def extend_lease(self, item_id: int, lease_seconds: float) -> bool: ...
    async def finish_created(
        self,
        item_id: int,
        incident_id: str,
        ticket_number: str | None,
        summary: dict[str, Any],
        events: list[OutboxEvent] = ...,
    ) -> None: ...
    async def finish_skipped(self, item_id: int, guard: str, reason: str, summary: dict[str, Any]) -> None: ...
    async def retry_later(
        self, item_id: int, delay: float, error: str, summary: dict[str, Any] | None = None
    ) -> None: ...
    async def park(self, item_id: int, error: str, summary: dict[str, Any] | None = None) -> None: ...
    async def recover(self, owner: str | None = None) -> int: ...
    async def release(self, item_id: int, error: str | None = None, *, counted: bool = True) -> None: ...
    async def requeue(self, item_id: int) -> bool: ...
    async def wake_retries(self) -> int: ...

    # guards and brakes decided across mails
    async def brake(self, key: str, digest: str, at: float, window: float) -> int: ...

    # readiness and migrations
    async def probe(self) -> None: ...
    async def schema_version(self) -> int: ...

    # operators
    async def get(self, item_id: int) -> SpoolItem | None: ...
    async def counts(self) -> dict[str, int]: ...
    # Newest first; `since` received at or after (epoch seconds); `search` a case-insensitive substring of
    # the customer's email or name, the subject, the ticket number or the Message-ID; `offset` for paging.
    async def latest(
        self,
        limit: int = 20,
        state: str | None = None,
        *,
        since: float | None = None,
        search: str | None = None,
        offset: int = 0,
    ) -> list[SpoolItem]: ...
    async def count(
        self, state: str | None = None, *, since: float | None = None, search: str | None = None
    ) -> int: ...
    # When the oldest queued handoff was received (epoch seconds), None when none is: one indexed row.
    async def oldest_queued_at(self) -> float | None: ...
    async def next_due_in(self) -> float | None: ...
    # Retention: the raw bytes of created and skipped handoffs received before `before` (epoch seconds)
    # are dropped (summary and ticket kept; parked, queued and working ones keep theirs); returns (how
    # many, how many bytes). `dry_run` counts without removing.
    async def purge_raw(self, before: float, *, dry_run: bool = False) -> tuple[int, int]: ...

    # outbox
    async def claim_event(self, lease_seconds: float) -> OutboxEvent | None: ...
    async def event_sent(self, event_id: int) -> None: ...
    async def event_retry(self, event_id: int, delay: float, error: str) -> None: ...
    async def event_park(self, event_id: int, error: str) -> None: ...
    async def event_requeue(self, event_id: int) -> bool: ...
    # `handoff_id`: only that handoff's events (a handoff's page), by index, not all of them filtered.
    async def events(self, state: str | None = None, *, handoff_id: int | None = None) -> list[OutboxEvent]: ...
    async def event_counts(self) -> dict[str, int]: ...

    # -- lifecycle (handoff.lifecycle; SQLite: handoff.spool.lifecycle_sqlite) ---------------------
    # The follower's delta tokens, what it last saw of each followed row, and the events a page of
    # changes produced are committed together; a crash before that commit replays the page, after it
    # never. Events recorded with baseline=True are in state "baseline": known, never sent.
    async def cursor(self, name: str) -> str | None: ...
    async def remembered(self, name: str, record_ids: list[str]) -> dict[str, dict[str, Any]]: ...
    async def commit_page(
        self,
        name: str,
        token: str | None,
        events: list[OutboxEvent],
        baseline: bool,
        rows: dict[tuple[str, str], dict[str, Any] | None] | None = None,
    ) -> int: ...
    async def created_incident(self, incident_id: str) -> bool: ...
    async def created_case(self, incident_id: str) -> dict[str, Any] | None: ...

    async def created_contact(self, incident_id: str) -> dict[str, Any] | None: ...
