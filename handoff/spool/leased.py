"""The one leased queue: the shape both spool tables share, described once.

Mailman builds every queue from one Switchboard class; handoff's two queues (the handoffs and the MoEngage
outbox) are the same machine too: a row is *ready* once `next_attempt_at` has passed, a claim moves it to
*working* under a lease (`lease_until`, for handoffs also `lease_owner` and a count of claims without an
outcome), an outcome clears the lease, a retry makes it ready again later, a park keeps it for a person,
an operator's requeue makes it ready now with a fresh attempt budget, and an expired lease (its holder
died) is taken over by the next claim or returned at recovery.

Each backend has one helper that turns a `QueueShape` into its SQL (handoff.spool.sqlite's `SqliteQueue`,
handoff.spool.postgres's `PgQueue`); the spool's verbs for both tables are written against it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from handoff.ids import arrival_key
from handoff.spool.base import EVENT_STATES, STATES, OutboxEvent, Peer, SpoolItem


@dataclass(frozen=True)
class QueueShape:
    table: str
    columns: tuple[str, ...]  # what a claim or a listing reads, in the row decoder's order
    ready: str  # due once next_attempt_at has passed
    working: str  # leased to a claimer
    parked: str  # waits for a person
    states: tuple[str, ...]  # every state, for counts
    order: str  # which ready row goes first
    requeue_from: tuple[str, ...]  # the states an operator may send back to the queue
    # Handoffs name who holds a lease and count claims without an outcome (a mail that kills the process is
    # parked after max_claims); they also record when a row last changed.
    owned: bool = False
    touched: bool = False
    arrived: str = "created_at"  # when a row came in, for `since`
    searchable: bool = False  # has a search_text column
    purgeable: bool = False  # retention may drop `raw` (raw_purged_at): such a row is never requeued

    @property
    def select(self) -> str:
        return ", ".join(self.columns)

    def state_list(self, states: tuple[str, ...]) -> str:
        return ", ".join(f"'{s}'" for s in states)

    def listing(
        self,
        *,
        item_id: int | None = None,
        handoff_id: int | None = None,
        state: str | None = None,
        since: float | None = None,
        search: str | None = None,
        limit: int | None = None,
        offset: int = 0,
        newest_first: bool = False,
        count: bool = False,
        search_index: str | None = None,
    ) -> tuple[str, list[Any]]:
        """The SELECT (or, with `count`, the COUNT) of a listing, with `?` placeholders, for both backends
        (PostgreSQL turns `?` into `$n`). `search` is a case-insensitive substring of the row's
        `search_text` (handoffs only: see `search_text`); `search_index` names the index SQLite must read
        for it."""
        where: list[str] = []
        params: list[Any] = []
        if item_id is not None:
            where.append("id=?")
            params.append(item_id)
        if handoff_id is not None:  # the outbox: one handoff's events
            where.append("handoff_id=?")
            params.append(handoff_id)
        if state:
            where.append("state=?")
            params.append(state)
        if since is not None:
            where.append(f"{self.arrived} >= ?")
            params.append(float(since))
        if search:
            assert self.searchable, f"{self.table} has no search_text"
            match = "search_text LIKE ? ESCAPE '\\'"
            if search_index:  # SQLite: match within the index, then fetch only the rows found
                match = f"id IN (SELECT id FROM {self.table} INDEXED BY {search_index} WHERE {match})"
            where.append(match)
            params.append(f"%{like_escape(fold(search))}%")
        sql = f"SELECT {'COUNT(*)' if count else self.select} FROM {self.table}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if count:
            return sql, params
        sql += " ORDER BY id DESC" if newest_first else " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        if offset:
            sql += " OFFSET ?"
            params.append(max(0, int(offset)))
        return sql, params


HANDOFFS = QueueShape(
    table="handoffs",
    columns=(
        "id",
        "raw",
        "mail_from",
        "rcpt_tos",
        "received_at",
        "state",
        "attempts",
        "message_id",
        "last_error",
        "incident_id",
        "ticket_number",
        "skipped_guard",
        "skipped_reason",
        "summary",
        "updated_at",
        "next_attempt_at",
        "lease_owner",
        "lease_until",
        "open_claims",
        "raw_purged_at",
        "peer",
    ),
    ready="queued",
    working="working",
    parked="parked",
    states=STATES,
    order="next_attempt_at, id",
    requeue_from=("parked", "skipped"),
    owned=True,
    touched=True,
    arrived="received_at",
    searchable=True,
    purgeable=True,
)

# What retention may drop the raw bytes of (the partial index handoffs_raw_kept covers exactly these).
RAW_KEPT = "raw_purged_at IS NULL AND state IN ('created', 'skipped')"
PURGE_CHUNK = 500  # rows per transaction: a large purge never holds the writer for long

OUTBOX = QueueShape(
    table="outbox",
    columns=("id", "handoff_id", "key", "kind", "payload", "state", "attempts", "last_error", "sent_at"),
    ready="pending",
    working="sending",
    parked="parked",
    states=EVENT_STATES,
    # First written, first sent: a retried event keeps its place instead of going behind newer ones.
    order="id",
    requeue_from=("parked",),
)


# Past this a mail's digest is taken off the event loop: hashing 25 MB holds a core for tens of ms.
_DIGEST_OFF_LOOP = 1 << 20


async def identify(raw: bytes) -> tuple[str, str | None]:
    """(arrival key, Message-ID) of a mail being enqueued (handoff.ids.arrival_key)."""
    if len(raw) > _DIGEST_OFF_LOOP:
        return await asyncio.to_thread(arrival_key, raw)
    return arrival_key(raw)


def fold(text: str) -> str:
    """Case-insensitive the same way in both backends (SQLite's lower() knows only ASCII); PostgreSQL text
    cannot hold NUL."""
    return text.casefold().replace("\x00", "\ufffd")


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def summary_columns(
    summary: dict[str, Any] | None, clean: Callable[[str | None], str | None] = lambda value: value
) -> tuple[str, tuple[Any, ...]]:
    """The columns a handoff's summary writes when it is parked or waits out a retry (shown and searchable at
    once): the SET clause and its values, `clean` applied to the Message-ID (PostgreSQL's text holds no NUL)."""
    if summary is None:
        return "", ()
    values = (json.dumps(summary), clean(summary.get("message_id")), search_text(summary, None))
    return "summary=?, message_id=?, search_text=?", values


def search_text(summary: dict[str, Any] | None, message_id: str | None, ticket_number: str | None = None) -> str:
    """What an operator's search looks through for one handoff: the customer's email and name, the
    subject, the ticket number and the Message-ID, folded, one per line. Kept in its own column and
    written with the summary, because PostgreSQL cannot read a JSON text holding a NUL escape."""
    summary = summary or {}
    customer = summary.get("customer") or {}
    parts = [
        customer.get("email") if isinstance(customer, dict) else None,
        customer.get("name") if isinstance(customer, dict) else None,
        summary.get("subject"),
        ticket_number,
        message_id or summary.get("message_id"),
    ]
    return fold("\n".join(str(p) for p in parts if p))


# Both backends store rcpt_tos, summary and payload as JSON text and read rows in `columns` order.
def item_from_row(row: Sequence[Any]) -> SpoolItem:
    return SpoolItem(
        id=row[0],
        raw=bytes(row[1]),
        mail_from=row[2],
        rcpt_tos=json.loads(row[3]),
        received_at=row[4],
        state=row[5],
        attempts=row[6],
        message_id=row[7],
        last_error=row[8],
        incident_id=row[9],
        ticket_number=row[10],
        skipped_guard=row[11],
        skipped_reason=row[12],
        summary=json.loads(row[13] or "{}"),
        updated_at=row[14],
        next_attempt_at=row[15],
        lease_owner=row[16],
        lease_until=row[17],
        open_claims=row[18],
        raw_purged_at=row[19],
        peer=Peer.from_json(row[20]),
    )


def event_from_row(row: Sequence[Any]) -> OutboxEvent:
    return OutboxEvent(
        id=row[0],
        handoff_id=row[1],
        key=row[2],
        kind=row[3],
        payload=json.loads(row[4]),
        state=row[5],
        attempts=row[6],
        last_error=row[7],
        sent_at=row[8],
    )
