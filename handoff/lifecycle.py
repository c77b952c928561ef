"""The lifecycle follower: Dataverse change tracking -> MoEngage outbox, instead of Power Automate flows.

MoEngage's D365 guide builds its lifecycle events with a flow per table ("When a row is added, modified
or deleted"). handoff reads the same changes itself with change tracking ("Use change tracking to
synchronize data with external systems": `Prefer: odata.track-changes` on a GET of the entity set with
`$select`, then the `@odata.deltaLink`; `$filter`/`$orderby`/`$top` are refused with it, so the scope is
decided here) and writes each change as an outbox event that the existing sender delivers:

- incidents: "Case Resolved" when statecode becomes 1, "Case Cancelled" when it becomes 2, "Case Updated"
  for another change of title, status reason, priority or type (or a reopened case);
- slakpiinstances: "SLA Updated" when a KPI instance appears or its status changes (the case through
  `_regarding_value`, its first_response/sla/resolve_sla read from the case as the guide does);
- msfp_surveyresponses: "Survey Response Received" once per response;
- contacts: a MoEngage user update when a customer's name, mobile or email changes.

Exactly once, as far as MoEngage allows (the outbox sender's window stays the only one):
- A page of changes, the new delta link and what was last seen of each row are committed in one spool
  transaction (`Spool.commit_page`). A crash before it replays the page; after it, never.
- Every event has a stable key: the table, the record id and the change (the state reached and the
  row's version), so a replayed page or a re-sync yields the same keys and the outbox's UNIQUE key
  inserts nothing.
- "Becomes" and "changes" are judged against what was last seen of the row (remembered in the spool),
  not guessed from one row, so a resolved case touched for another reason is not resolved twice.
- The first sync of a table records its rows as they are (memory, and "baseline" outbox rows for the
  closed cases, KPIs and responses already there) and sends nothing for history.
- An expired delta token (Dataverse keeps them ExpireChangeTrackingInDays, 7 by default: 0x80044352)
  starts a re-sync, logged as a WARNING: rows seen before and changed since are sent, rows never seen
  and created before the last successful sync are recorded as baseline, newer ones are new.

The follower shares the Dataverse request budget (the service's one DataverseClient, its Limiter),
runs as its own task (case creation never waits for it), asks for one page at a time, and logs and
retries its failures with handoff.retry.Backoff per table, so one table failing stops neither the
others nor serve.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from handoff.dynamics.client import API_PATH, DataverseClient
from handoff.errors import NotFound, PermanentError, TransientError
from handoff.moengage import payloads as p
from handoff.retry import Backoff
from handoff.settings import MoEngageSettings
from handoff.spool.base import OutboxEvent, Spool

log = logging.getLogger("handoff.lifecycle")

LOOKUP_TYPE = "@Microsoft.Dynamics.CRM.lookuplogicalname"
EXPIRED = "0x80044352"  # ExpiredVersionStamp: the delta token is older than ExpireChangeTrackingInDays
NOT_TRACKED = "0x80072491"  # ChangeTrackingNotEnabledForEntity
MISSING_PRIVILEGE = "0x80040220"
_PRIVILEGE = re.compile(r"missing (prv\w+) privilege")
# A row never seen, created this long before the last successful sync, is taken as new at a re-sync
# anyway: clocks differ, and a case that was not yet ours then (its handoff committing) is news now.
RESYNC_MARGIN_SECONDS = 600.0
CONTACTS = "contacts"  # memory name shared by the incident feed (who is in scope) and the contact feed


@dataclass(frozen=True)
class Feed:
    """One followed table: what is read of it and which changes of its rows matter."""

    name: str  # entity set
    logical: str
    display: str  # as Power Apps lists it, for the "Track changes" hint
    key: str
    columns: tuple[str, ...]
    watched: tuple[str, ...]  # the columns a change is judged by (remembered per row)
    events: tuple[str, ...]  # the [moengage.lifecycle] events that need this feed


INCIDENTS = Feed(
    "incidents",
    "incident",
    "Case",
    "incidentid",
    (
        "incidentid",
        "ticketnumber",
        "title",
        "statecode",
        "statuscode",
        "prioritycode",
        "casetypecode",
        "_customerid_value",
        "createdon",
        "modifiedon",
    ),
    ("statecode", "statuscode", "prioritycode", "casetypecode", "title"),
    # contact_updated too: the remembered cases say whose profile is followed.
    ("case_updated", "case_resolved", "case_cancelled", "contact_updated"),
)
SLA_KPIS = Feed(
    "slakpiinstances",
    "slakpiinstance",
    "SLA KPI Instance",
    "slakpiinstanceid",
    ("slakpiinstanceid", "name", "status", "_regarding_value", "createdon", "modifiedon"),
    ("status",),
    ("sla_updated",),
)
SURVEYS = Feed(
    "msfp_surveyresponses",
    "msfp_surveyresponse",
    "Customer Voice survey response",
    "activityid",
    (
        "activityid",
        "msdyn_csatscore",
        "msdyn_feedbackcomment",
        "_msdyn_surveyid_value",
        "_msdyn_caseid_value",
        "_regardingobjectid_value",
        "createdon",
        "modifiedon",
    ),
    (),
    ("survey_response",),
)
CONTACT_COLUMNS = ("contactid", "firstname", "lastname", "emailaddress1", "mobilephone", "createdon", "modifiedon")
CONTACT_WATCHED = ("firstname", "lastname", "emailaddress1", "mobilephone")
CASE_COLUMNS = (
    "incidentid",
    "ticketnumber",
    "title",
    "_customerid_value",
    "_slaid_value",
    "_firstresponsebykpiid_value",
    "resolvebyslastatus",
)


class LifecycleProblem(PermanentError):
    """A followed table that cannot be followed (no change tracking, no privilege, no such table)."""


def _later(a: Any, b: Any) -> bool:
    """Is ISO time `a` after `b`? (False when either is missing or unreadable.)"""
    try:
        return p.parse_iso(str(a)) > p.parse_iso(str(b))
    except (TypeError, ValueError):
        return False


@dataclass
class _State:
    """A feed's retry state in this process."""

    failures: int = 0
    next_try: float = 0.0
    last_problem: str | None = None


@dataclass
class Page:
    """What one page of changes comes to: committed together."""

    events: list[OutboxEvent] = field(default_factory=list)
    baseline: list[OutboxEvent] = field(default_factory=list)
    rows: dict[tuple[str, str], dict[str, Any] | None] = field(default_factory=dict)


class LifecycleFollower:
    def __init__(
        self,
        settings: MoEngageSettings,
        spool: Spool,
        client: DataverseClient,
        on_events: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.lifecycle = settings.lifecycle
        self.spool = spool
        self.client = client
        self.on_events = on_events
        self.wanted = frozenset(self.lifecycle.events)
        custom = settings.customer_id if settings.customer_id not in ("email", "contactid") else None
        self._contact_columns = CONTACT_COLUMNS + ((custom,) if custom else ())
        self._contact_watched = CONTACT_WATCHED + ((custom,) if custom else ())
        contacts = Feed(
            CONTACTS,
            "contact",
            "Contact",
            "contactid",
            self._contact_columns,
            self._contact_watched,
            ("contact_updated",),
        )
        # Order matters: the cases first, so a contact's case is remembered before its profile is judged.
        self.feeds = [f for f in (INCIDENTS, SLA_KPIS, SURVEYS, contacts) if self.wanted & set(f.events)]
        cap = max(self.lifecycle.poll_seconds * 30, self.lifecycle.poll_seconds)
        self.backoff = Backoff(self.lifecycle.poll_seconds, cap)
        self._states = {feed.name: _State() for feed in self.feeds}
        self._ours: set[str] = set()  # incident ids known to be handoff's (never stops being true)
        self._cases: dict[str, dict[str, Any] | None] = {}  # per sync round
        self._customers: dict[tuple[str, str], tuple[str | None, str | None]] = {}
        self.synced: dict[str, int] = {}  # rounds completed per feed (tests, /metrics later)

    # -- start-up check -------------------------------------------------------------------------
    async def check(self) -> list[str]:
        """Each followed table must exist, be enabled for change tracking and be readable: one small
        change tracking request each. Problems name the table and the fix; raises TransientError when
        Dataverse cannot be reached."""
        problems = []
        for feed in self.feeds:
            try:
                await self._get(feed, feed.name, f"$select={feed.key}", page_size=1)
            except LifecycleProblem as exc:
                problems.append(str(exc))
        return problems

    # -- the loop -------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Follow every table until `stop` is set. Never raises."""
        log.info(
            "lifecycle follower started: %s (scope %s, every %.3g s)",
            ", ".join(f.name for f in self.feeds),
            self.lifecycle.scope,
            self.lifecycle.poll_seconds,
        )
        while not stop.is_set():
            await self.sync_round(stop)
            now = time.monotonic()
            due = [s.next_try - now for s in self._states.values() if s.next_try > now]
            wait = min([self.lifecycle.poll_seconds, *due]) if due else self.lifecycle.poll_seconds
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(wait, 0.01))
        log.info("lifecycle follower stopped")

    async def sync_round(self, stop: asyncio.Event | None = None) -> None:
        """One pass over every followed table that is due; failures are logged and backed off per table."""
        self._cases.clear()
        self._customers.clear()
        for feed in self.feeds:
            if stop is not None and stop.is_set():
                return
            state = self._states[feed.name]
            if state.next_try > time.monotonic():
                continue
            try:
                await self.sync(feed)
            except Exception as exc:
                self._failed(feed, state, exc)
            else:
                if state.failures:
                    log.info("lifecycle %s: following again after %d failed attempt(s)", feed.name, state.failures)
                state.failures, state.next_try, state.last_problem = 0, 0.0, None
                self.synced[feed.name] = self.synced.get(feed.name, 0) + 1

    def _failed(self, feed: Feed, state: _State, exc: Exception) -> None:
        state.failures += 1
        delay = self.backoff.delay(state.failures, getattr(exc, "retry_after", None))
        state.next_try = time.monotonic() + delay
        problem = f"{type(exc).__name__}: {exc}"
        # One line per distinct problem (an outage once until it recovers), a traceback only for bugs.
        if problem == state.last_problem:
            log.debug("lifecycle %s: still failing (%s); next try in %.3g s", feed.name, exc, delay)
            return
        state.last_problem = problem
        if isinstance(exc, LifecycleProblem):
            log.error("lifecycle %s: %s (retrying every %.3g s at most)", feed.name, exc, self.backoff.cap)
        elif isinstance(exc, TransientError | PermanentError):
            log.warning("lifecycle %s: reading changes failed (%s); next try in %.3g s", feed.name, exc, delay)
        else:
            log.exception("lifecycle %s: unexpected error; next try in %.3g s", feed.name, delay)

    # -- one table ------------------------------------------------------------------------------
    async def sync(self, feed: Feed) -> int:
        """Read every change of `feed` since its stored delta link; returns how many events were written."""
        stored = await self.spool.cursor(feed.name)
        cursor = json.loads(stored) if stored else None
        # Taken before reading: every change committed after it is in this delta or a later one.
        started = p.iso(datetime.now(UTC))
        since: str | None = None
        if cursor and cursor.get("synced_at"):
            since = p.iso(p.parse_iso(cursor["synced_at"]) - timedelta(seconds=RESYNC_MARGIN_SECONDS))
        mode = "delta" if cursor else "baseline"
        select = f"$select={','.join(feed.columns)}"
        if cursor:
            path, query = self._relative(cursor["link"])
        else:
            path, query = feed.name, select
        try:
            body = await self._get(feed, path, query)
        except PermanentError as exc:
            if mode != "delta" or (exc.code or "").lower() != EXPIRED:
                raise
            log.warning(
                "lifecycle %s: Dataverse no longer knows the delta token (%s: older than the organisation's "
                "ExpireChangeTrackingInDays, 7 by default); re-syncing: rows seen before and changed since, "
                "and rows created since the last sync, are sent; older rows never seen are recorded as "
                "baseline and not sent",
                feed.name,
                exc,
            )
            mode = "resync"
            path, query = feed.name, select
            body = await self._get(feed, path, query)
        added = 0
        while True:
            rows = [r for r in body.get("value") or [] if isinstance(r, dict)]
            page = await self._page(feed, rows, mode, since)
            link = body.get("@odata.deltaLink")
            next_link = body.get("@odata.nextLink")
            if not link and not next_link:
                raise LifecycleProblem(self._not_tracked(feed, "Dataverse answered without a delta link"))
            token = json.dumps({"link": link, "synced_at": started}) if link else None
            if page.baseline:
                # Recorded first and apart: rows never seen. Were the commit below to fail, a replay
                # records them again (same keys) and still writes the real events with the memory.
                await self.spool.commit_page(feed.name, None, page.baseline, True, {})
            added += await self.spool.commit_page(feed.name, token, page.events, mode == "baseline", page.rows)
            if link:
                break
            path, query = self._relative(str(next_link))
            body = await self._get(feed, path, query)
        if mode == "baseline":
            log.info("lifecycle %s: first sync done; what is there now is the baseline (nothing sent)", feed.name)
        elif mode == "resync":
            log.warning("lifecycle %s: re-sync done, %d change(s) found since the last known state", feed.name, added)
        if added and mode != "baseline":
            log.info("lifecycle %s: %d new event(s)", feed.name, added)
            if self.on_events is not None:
                self.on_events()
        return added

    async def _page(self, feed: Feed, rows: list[dict[str, Any]], mode: str, since: str | None) -> Page:
        page = Page()
        changed = [r for r in rows if "id" not in r or feed.key in r]
        deleted = [r for r in rows if "id" in r and feed.key not in r and str(r.get("reason", "")) == "deleted"]
        for row in deleted:
            page.rows[(feed.name, str(row["id"]).lower())] = None
        ids = [str(r[feed.key]).lower() for r in changed if r.get(feed.key)]
        memory = await self.spool.remembered(feed.name, ids) if ids else {}
        handler = {
            INCIDENTS.name: self._incident,
            SLA_KPIS.name: self._kpi,
            SURVEYS.name: self._survey,
            CONTACTS: self._contact,
        }[feed.name]
        if feed.name == INCIDENTS.name:
            customers = [str(r["_customerid_value"]).lower() for r in changed if r.get("_customerid_value")]
            followed = await self.spool.remembered(CONTACTS, customers) if customers else {}
        else:
            followed = {}
        for row in changed:
            record_id = str(row.get(feed.key) or "").lower()
            if not record_id:
                continue
            before = memory.get(record_id)
            # A row never seen during a re-sync is history if it was created before the last successful
            # sync; newer ones were created while the token was lost.
            new = mode == "delta" or (mode == "resync" and (since is None or _later(row.get("createdon"), since)))
            await handler(feed, row, record_id, before, "baseline" if before is None and not new else mode, page)
            if feed.name == INCIDENTS.name and (feed.name, record_id) in page.rows:
                customer = str(row.get("_customerid_value") or "").lower()
                if customer and customer not in followed and "contact_updated" in self.wanted:
                    # This customer's profile changes are followed from now on; changes after the case
                    # was created count (an edit the contact feed saw before the case was remembered).
                    placeholder: dict[str, Any] = {"since": row.get("createdon")}
                    known = await self.spool.created_contact(record_id)
                    if known is not None:  # what handoff found or wrote: its own write is no change
                        placeholder["known"] = {c: known.get(c) for c in self._contact_watched}
                    page.rows[(CONTACTS, customer)] = placeholder
                    followed[customer] = placeholder
        return page

    # -- per table ------------------------------------------------------------------------------
    async def _in_scope(self, incident_id: str | None) -> bool:
        if not incident_id:
            return False
        if self.lifecycle.scope == "all" or incident_id in self._ours:
            return True
        if await self.spool.created_incident(incident_id):
            self._ours.add(incident_id)
            return True
        # Not (yet) ours: nothing is remembered, so a case whose handoff commits later comes into scope.
        return False

    async def _incident(
        self, feed: Feed, row: dict[str, Any], record_id: str, before: dict[str, Any] | None, mode: str, page: Page
    ) -> None:
        if before is None and not await self._in_scope(record_id):
            return
        now = {c: row.get(c) for c in feed.watched}
        page.rows[(feed.name, record_id)] = now
        state = row.get("statecode")
        if before is None:
            if mode == "baseline":
                if state in (1, 2):
                    event = self._case_event_name(state)
                    page.baseline.append(p.case_event(event, row, (None, None)))
                return
            # First seen in a delta: a new case (handoff's has its "Case Created" already), or one that
            # came into scope. What happened to it since its creation is news.
            if state in (1, 2):
                event = self._case_event_name(state)
            elif (unchanged := await self._as_created(record_id, row, feed)) is not None:
                if unchanged:
                    return  # touched since, perhaps, but nothing watched (the SLA engine stamping its columns)
                event = p.CASE_UPDATED
            elif _later(row.get("modifiedon"), row.get("createdon")):
                event = p.CASE_UPDATED
            elif self.lifecycle.scope == "all" and "case_updated" in self.wanted and record_id not in self._ours:
                await self._announce_foreign(row, record_id, page)
                return
            else:
                return
        else:
            if all(before.get(c) == now[c] for c in feed.watched):
                return
            became = state != before.get("statecode")
            event = self._case_event_name(state) if became and state in (1, 2) else p.CASE_UPDATED
        if self._event_setting(event) not in self.wanted:
            return
        customer = await self._customer(row.get("_customerid_value"), row.get("_customerid_value" + LOOKUP_TYPE))
        page.events.append(p.case_event(event, row, customer))

    async def _as_created(self, record_id: str, row: dict[str, Any], feed: Feed) -> bool | None:
        """Does a case handoff created, seen for the first time, still read as handoff created it? None when
        handoff does not know what it sent (not its case, or a summary without it).

        A case is modified right after its creation by more than people: the SLA engine stamps its SLA and KPI
        columns within seconds. Seen first after that, `modifiedon` is later than `createdon`, and that alone
        announced a "Case Updated" nobody made; and an agent's change within the same second as the creation
        (the Web API's timestamps have whole seconds) was never announced. Handoff knows what it sent (the
        summary's incident), so a change of a watched column decides; columns it did not send are judged by
        their defaults on a new case."""
        sent = await self.spool.created_case(record_id)
        if sent is None:
            return None
        # A new case is active and "In Progress", of Normal priority and no case type, unless handoff said otherwise.
        created = {"statecode": 0, "statuscode": 1, "prioritycode": 2, "casetypecode": None, **sent}
        return all(created.get(c) == row.get(c) for c in feed.watched)

    async def _announce_foreign(self, row: dict[str, Any], record_id: str, page: Page) -> None:
        """scope = "all": a case created elsewhere (phone, portal) gets the "Case Created" handoff's own
        cases get from the worker, under the same key, so a case is never announced twice."""
        if await self.spool.created_incident(record_id):
            self._ours.add(record_id)
            return
        customer = await self._customer(row.get("_customerid_value"), row.get("_customerid_value" + LOOKUP_TYPE))
        event = p.case_event(p.CASE_CREATED, row, customer)
        page.events.append(
            OutboxEvent(key=f"case-created:{record_id}", kind=p.KIND_CASE_CREATED, payload=event.payload)
        )

    def _case_event_name(self, state: Any) -> str:
        return p.CASE_RESOLVED if state == 1 else p.CASE_CANCELLED if state == 2 else p.CASE_UPDATED

    @staticmethod
    def _event_setting(event_name: str) -> str:
        return {
            p.CASE_UPDATED: "case_updated",
            p.CASE_RESOLVED: "case_resolved",
            p.CASE_CANCELLED: "case_cancelled",
        }[event_name]

    async def _kpi(
        self, feed: Feed, row: dict[str, Any], record_id: str, before: dict[str, Any] | None, mode: str, page: Page
    ) -> None:
        kind = row.get("_regarding_value" + LOOKUP_TYPE)
        case_id = str(row.get("_regarding_value") or "").lower()
        if kind not in (None, "incident") or (before is None and not await self._in_scope(case_id)):
            return  # an SLA on another table (an entitlement, a custom one), or not a followed case
        page.rows[(feed.name, record_id)] = {"status": row.get("status")}
        if before is not None and before.get("status") == row.get("status"):
            return
        if mode == "baseline" and before is None:
            page.baseline.append(p.sla_event(row, None, (None, None)))
            return
        case = await self._case(case_id)
        customer = await self._customer(
            (case or {}).get("_customerid_value"), (case or {}).get("_customerid_value" + LOOKUP_TYPE)
        )
        page.events.append(p.sla_event(row, case, customer))

    async def _survey(
        self, feed: Feed, row: dict[str, Any], record_id: str, before: dict[str, Any] | None, mode: str, page: Page
    ) -> None:
        if before is not None:
            return  # one event per response ("added"); later edits are not news
        case_id = str(row.get("_msdyn_caseid_value") or "").lower()
        if not await self._in_scope(case_id):
            return
        page.rows[(feed.name, record_id)] = {"case": case_id}
        if mode == "baseline":
            page.baseline.append(p.survey_event(row, None, (None, None)))
            return
        case = await self._case(case_id)
        # The guide takes the customer from the response's regarding; the case's customer otherwise.
        who = row.get("_regardingobjectid_value")
        kind = row.get("_regardingobjectid_value" + LOOKUP_TYPE)
        if not who or kind not in (None, "contact", "account"):
            who = (case or {}).get("_customerid_value")
            kind = (case or {}).get("_customerid_value" + LOOKUP_TYPE)
        page.events.append(p.survey_event(row, case, await self._customer(who, kind)))

    async def _contact(
        self, feed: Feed, row: dict[str, Any], record_id: str, before: dict[str, Any] | None, mode: str, page: Page
    ) -> None:
        if before is None:
            return  # not the customer of a followed case
        profile = {c: row.get(c) for c in feed.watched}
        page.rows[(feed.name, record_id)] = profile
        if "since" in before:  # first look at this customer since their case was remembered
            changed = mode != "baseline" and self._changed_since_case(row, profile, before, feed)
        else:
            changed = any(before.get(c) != profile[c] for c in feed.watched)
        if not changed or mode == "baseline":
            return
        page.events.append(p.user_upsert(row, p.contact_customer_id(self.settings, record_id, row)))

    @staticmethod
    def _changed_since_case(row: dict[str, Any], profile: dict[str, Any], before: dict[str, Any], feed: Feed) -> bool:
        """Seen first after its case: did anyone change the contact since handoff found or created it?

        `modifiedon` has whole seconds in the Web API, so an agent's edit within the second handoff created the
        case (and perhaps the contact) reads as old as the case: `modifiedon > createdon` never reported it, and
        `>=` would report every contact handoff itself just created. What handoff knew of the contact (the
        summary's "contact": the record it found, or the columns it created it with) decides instead: a watched
        column that differs from it, in a row modified no earlier than the case's second (an older change is
        one handoff's copy had not caught up with, and the case carried it to MoEngage already or never).
        A summary without it (a handoff from before it was kept) falls back on the timestamps."""
        since = before.get("since")
        known = before.get("known")
        if not isinstance(known, dict):
            return _later(row.get("modifiedon"), since)
        if _later(since, row.get("modifiedon")):
            return False
        return any(known.get(c) != profile[c] for c in feed.watched)

    # -- lookups (cached for one round) -------------------------------------------------------
    async def _case(self, incident_id: str) -> dict[str, Any] | None:
        if incident_id not in self._cases:
            try:
                resp = await self.client.request(
                    "GET",
                    f"incidents({incident_id})",
                    query=f"$select={','.join(CASE_COLUMNS)}",
                    headers={"Prefer": 'odata.include-annotations="*"'},
                )
                self._cases[incident_id] = resp.body if isinstance(resp.body, dict) else None
            except NotFound:
                self._cases[incident_id] = None
        return self._cases[incident_id]

    async def _customer(self, record_id: Any, kind: Any) -> tuple[str | None, str | None]:
        """The customer_id (or why there is none) of a case's customer, a contact or an account."""
        if not record_id:
            return None, "no customer_id: the case has no customer"
        wanted = (str(kind or "contact"), str(record_id).lower())
        if wanted not in self._customers:
            entity_set, columns = (
                ("accounts", "accountid,emailaddress1,name")
                if wanted[0] == "account"
                else (CONTACTS, ",".join(self._contact_columns))
            )
            try:
                resp = await self.client.request("GET", f"{entity_set}({wanted[1]})", query=f"$select={columns}")
                record = resp.body if isinstance(resp.body, dict) else None
            except NotFound:
                record = None
            self._customers[wanted] = p.contact_customer_id(self.settings, wanted[1], record)
        return self._customers[wanted]

    # -- HTTP -----------------------------------------------------------------------------------
    def _relative(self, link: str) -> tuple[str, str]:
        """A link Dataverse handed out -> (path, query) for the client (whose base is the org's API URL)."""
        parts = urlsplit(link)
        path = parts.path
        if API_PATH in path:
            path = path.split(API_PATH, 1)[1]
        else:  # another API version in the link: keep what follows it
            path = path.split("/api/data/", 1)[-1].split("/", 1)[-1]
        return path, parts.query

    async def _get(self, feed: Feed, path: str, query: str, page_size: int | None = None) -> dict[str, Any]:
        size = page_size or self.lifecycle.page_size
        headers = {"Prefer": f'odata.track-changes,odata.maxpagesize={size},odata.include-annotations="*"'}
        try:
            resp = await self.client.request("GET", path, query=query, headers=headers)
        except NotFound as exc:
            raise LifecycleProblem(
                f"[moengage.lifecycle] events: the organisation has no table {feed.name} ({exc}); take "
                f"{' and '.join(feed.events)} out of [moengage.lifecycle] events, or install it",
                code=exc.code,
                status=exc.status,
            ) from None
        except PermanentError as exc:
            code = (exc.code or "").lower()
            if code == NOT_TRACKED:
                raise LifecycleProblem(self._not_tracked(feed, str(exc)), code=exc.code, status=exc.status) from None
            if code == MISSING_PRIVILEGE or exc.status == 403:
                match = _PRIVILEGE.search(str(exc))
                privilege = match.group(1) if match else f"prvRead{feed.logical}"
                raise LifecycleProblem(
                    f"[moengage.lifecycle] events: the application user cannot read {feed.name}: it is missing "
                    f"the {privilege} privilege; give its security role Read on {feed.display} at Organization "
                    "level (change tracking needs organization-wide read)",
                    code=exc.code,
                    status=exc.status,
                ) from None
            raise
        body = resp.body if isinstance(resp.body, dict) else {}
        return body

    def _not_tracked(self, feed: Feed, detail: str) -> str:
        return (
            f"[moengage.lifecycle] events: table {feed.logical} ({feed.name}) is not enabled for change tracking "
            f'({detail}); turn on "Track changes" in the table\'s properties in Power Apps (Tables > '
            f"{feed.display} > Properties > Advanced options), or take {' and '.join(feed.events)} out of "
            "[moengage.lifecycle] events"
        )
