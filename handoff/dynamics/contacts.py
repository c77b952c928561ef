"""The customer's contact: found by address in one GET, remembered for a while, or created by us.

A contact handoff creates gets a deterministic `contactid` from the normalised address, so two
handoffs from the same new customer (in this process or another) cannot create two contacts: the
second create fails with 412 0x80040237 and refers to the first one's record. That second try costs
its whole change set's execution again, so with a spool that keeps a shared table of contacts
(`SharedContacts`), one handoff creates a new customer's contact and the others, in this process or
another instance, wait for it and bind to it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, TypeVar

from handoff.dynamics.client import odata_literal
from handoff.ids import NAMESPACE, contact_id_for, normalise
from handoff.spool.contacts import Known

# The ids live with the other deterministic ids (handoff.ids); re-exported for the contact code.
__all__ = [
    "NAMESPACE",
    "ContactBook",
    "ContactCache",
    "SharedContacts",
    "contact_body",
    "contact_id_for",
    "contact_query",
    "normalise",
    "split_name",
]

log = logging.getLogger("handoff.dynamics")
T = TypeVar("T")


def split_name(name: str | None, email: str) -> tuple[str | None, str]:
    """First and last name from a display name; Dataverse requires a last name for a full name."""
    if name:
        name = name.strip().strip('"').strip()
    if name and "," in name:  # "Doe, Jane" as Outlook writes it in corporate directories
        last, _, first = name.partition(",")
        return (first.strip() or None, last.strip())
    if name and "@" not in name:
        parts = name.split()
        if len(parts) == 1:
            return None, parts[0]
        return " ".join(parts[:-1]), parts[-1]
    return None, email.split("@")[0]


def contact_body(contact_id: str, email: str, name: str | None) -> dict[str, object]:
    first, last = split_name(name, email)
    # emailaddress1 is the address Dynamics mails the contact at, whatever columns we match on.
    body: dict[str, object] = {"contactid": contact_id, "emailaddress1": email.strip(), "lastname": last[:50]}
    if first:
        body["firstname"] = first[:50]
    return body


# What the case and its mirrored events need to know about the customer (MoEngage's user attributes:
# email, mobile, first and last name); read in the same GET that finds the contact.
CONTACT_COLUMNS = ("contactid", "createdon", "emailaddress1", "firstname", "lastname", "mobilephone")


def contact_query(email: str, columns: Sequence[str], select: Sequence[str] = CONTACT_COLUMNS) -> str:
    """One GET over every match column; the oldest record wins when several people share an address."""
    literal = odata_literal(email.strip())
    condition = "%20or%20".join(f"{column}%20eq%20{literal}" for column in columns)
    fields = ",".join(dict.fromkeys(select))
    return f"$select={fields}&$filter={condition}&$orderby=createdon%20asc&$top=1"


class ContactCache:
    """address -> the contact's record (`contactid` and CONTACT_COLUMNS) for `ttl` seconds, so a returning
    customer costs no lookup.

    Bounded (oldest entries go first) because a long-running service sees many customers once. A
    contact merged or deleted in Dynamics meanwhile shows up as a 404 on the case's customer bind; the
    caller then drops the entry and looks again.
    """

    def __init__(self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()

    def get(self, email: str) -> dict[str, Any] | None:
        key = normalise(email)
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self.clock():
            del self._entries[key]
            return None
        return entry[1]

    def put(self, email: str, record: dict[str, Any]) -> None:
        if self.ttl <= 0:
            return
        key = normalise(email)
        self._entries.pop(key, None)
        self._entries[key] = (self.clock() + self.ttl, record)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def drop(self, email: str) -> None:
        self._entries.pop(normalise(email), None)

    def __len__(self) -> int:
        return len(self._entries)


class ContactBook(Protocol):
    """The spool's shared table of contacts (handoff.spool.contacts): what every instance learned, and
    which instance is creating a new customer's contact. Addresses are normalised."""

    holder: str  # this instance, as its claims name it

    async def get(self, emails: list[str]) -> dict[str, Known]: ...
    async def claim(self, email: str, seconds: float, ttl: float) -> Known | None: ...
    async def learn(self, email: str, contact_id: str, record: dict[str, Any], ttl: float) -> None: ...
    async def renew(self, emails: list[str], seconds: float) -> None: ...
    async def release(self, email: str) -> None: ...
    async def forget(self, email: str, contact_id: str) -> None: ...


# How often a handoff waiting for another instance's contact looks at the table (one query for every
# address this instance waits for).
POLL_SECONDS = 0.2
# The longest a handoff waits for another instance's creation while its claim is renewed (that instance's
# change set waits behind its backlog, for Dataverse's budget): then it creates the contact itself.
MAX_WAIT = 600.0


class SharedContacts:
    """Who creates a new customer's contact, among this process's handoffs and the other instances on the
    spool, so that exactly one does and the others bind to it without a second try.

    In this process, the first handoff of a customer to find no contact creates it; the others wait for
    its change set (an asyncio future), not for the table. Across instances, the first to `claim` the
    address in the table creates it; the others poll the table (every POLL_SECONDS, for all the addresses
    they wait for at once) until it holds the contact, or the claim ran out. Under a backlog a change set
    waits behind the others for Dataverse's budget (a minute and more), so the claims this instance holds
    are renewed every third of `claim_seconds` while their sets wait: a claim runs out only when its
    instance stopped renewing it (it died). The table is an
    optimisation, never trusted for correctness: a failure to reach it is logged and the handoff goes on
    as without it (a create that meets 412 still binds to the existing contact).
    """

    def __init__(self, book: ContactBook, ttl: float, claim_seconds: float) -> None:
        self.book = book
        self.ttl = ttl
        self.claim_seconds = claim_seconds
        self._creating: dict[str, asyncio.Future[dict[str, Any] | None]] = {}
        self._watching: dict[str, list[asyncio.Future[dict[str, Any] | None]]] = {}
        self._poller: asyncio.Task[None] | None = None
        self._claims: set[str] = set()  # addresses this instance holds a claim on (renewed)
        self._renewer: asyncio.Task[None] | None = None
        self.waits = 0  # handoffs that waited for another's creation (in this process or another instance)

    async def _safe(self, call: Awaitable[T], default: T) -> T:
        try:
            return await call
        except Exception as exc:  # SpoolError, a locked SQLite file: the table is only a shortcut
            log.warning("shared contact table unavailable (%s: %s); going on without it", type(exc).__name__, exc)
            return default

    # ------------------------------------------------------------------------------ in this process

    def creating(self, email: str) -> asyncio.Future[dict[str, Any] | None] | None:
        """The creation under way in this process for this address (None: none)."""
        return self._creating.get(normalise(email))

    def start(self, email: str) -> asyncio.Future[dict[str, Any] | None]:
        """This handoff creates the contact unless another instance does: the others here wait for it."""
        future: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        self._creating[normalise(email)] = future
        return future

    def _end(self, email: str, future: asyncio.Future[dict[str, Any] | None], record: dict[str, Any] | None) -> None:
        key = normalise(email)
        if self._creating.get(key) is future:
            del self._creating[key]
        if not future.done():
            future.set_result(record)

    # ------------------------------------------------------------------------------ the table

    async def known(self, email: str) -> Known | None:
        key = normalise(email)
        rows = await self._safe(self.book.get([key]), {})
        return rows.get(key)

    async def claim(self, email: str) -> Known | None:
        """None: create it (this instance's claim is in the table, or the table is out of reach)."""
        key = normalise(email)
        known = await self._safe(self.book.claim(key, self.claim_seconds, self.ttl), None)
        if known is None:
            self._claims.add(key)
            if self._renewer is None or self._renewer.done():
                self._renewer = asyncio.create_task(self._renew(), name="contact-claims-renew")
        return known

    async def _renew(self) -> None:
        while self._claims:
            await asyncio.sleep(self.claim_seconds / 3)
            if self._claims:
                await self._safe(self.book.renew(sorted(self._claims), self.claim_seconds), None)

    async def learn(self, email: str, record: dict[str, Any]) -> None:
        await self._safe(self.book.learn(normalise(email), str(record["contactid"]), record, self.ttl), None)

    async def created(
        self, email: str, future: asyncio.Future[dict[str, Any] | None] | None, record: dict[str, Any]
    ) -> None:
        """The contact exists now (this handoff's change set created it, or bound to it): tell everyone.
        The table first: until it holds the contact, the row is this instance's claim, which another
        handoff here would take as its own to create it again."""
        await self.learn(email, record)
        self._claims.discard(normalise(email))
        if future is not None:
            self._end(email, future, record)

    async def abandon(self, email: str, future: asyncio.Future[dict[str, Any] | None], claimed: bool) -> None:
        """This handoff will not create it after all (its change set failed, or another instance claimed it
        first): the waiters here look again, and another instance may claim it."""
        self._end(email, future, None)
        if claimed:
            self._claims.discard(normalise(email))
            await self._safe(self.book.release(normalise(email)), None)

    async def forget(self, email: str, contact_id: str) -> None:
        await self._safe(self.book.forget(normalise(email), contact_id), None)

    async def wait(self, email: str) -> dict[str, Any] | None:
        """The contact another instance is creating, once its row holds it; None when its claim ends first
        (its change set failed, or it died and stopped renewing it) or after MAX_WAIT."""
        key = normalise(email)
        future: asyncio.Future[dict[str, Any] | None] = asyncio.get_running_loop().create_future()
        self._watching.setdefault(key, []).append(future)
        if self._poller is None or self._poller.done():
            self._poller = asyncio.create_task(self._poll(), name="contact-claims")
        self.waits += 1
        try:
            return await asyncio.wait_for(future, MAX_WAIT)
        except TimeoutError:
            return None
        finally:
            waiting = self._watching.get(key)
            if waiting is not None and future in waiting:
                waiting.remove(future)
                if not waiting:
                    del self._watching[key]

    async def _poll(self) -> None:
        while self._watching:
            await asyncio.sleep(POLL_SECONDS)
            keys = list(self._watching)
            if not keys:
                return
            rows = await self._safe(self.book.get(keys), None)
            if rows is None:
                continue  # out of reach: the waits run out on their own
            for key in keys:
                row = rows.get(key)
                if row is not None and row.contact_id is not None and row.record is not None:
                    result: dict[str, Any] | None = {**row.record, "contactid": row.contact_id}
                elif row is None or not row.claimed():
                    result = None
                else:
                    continue
                for future in self._watching.pop(key, []):
                    if not future.done():
                        future.set_result(result)
