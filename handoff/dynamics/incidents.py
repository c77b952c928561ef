"""A handoff becomes a case in one `$batch` change set: exactly once, whatever the network does.

One change set holds, in this order: the contact (only when the lookup found none), the incident
(`Prefer: return=representation`, so the ticket number comes back in the same answer), AddToQueue,
the notes (the full transcript when the description was cut, the customer's files) and the timeline
emails. So a handoff alone costs one GET for the contact plus one `$batch`, or the `$batch` alone when
the contact id is cached; under a backlog several handoffs share both (handoff.dynamics.coalesce).

Every record gets a deterministic primary key, so records of the set refer to each other by
`/set(<id>)`, never by `$n`: a create with `return=representation` that binds by `$n` is reported to
come back without its representation, and a 201 representation has no `OData-EntityId` for a later
`$n` (../shared/docs/dataverse.md, "`return=representation`"). Dataverse runs a change set in one
transaction, in order, and stops at the first failure; the `$batch` answer then carries that
operation's status, its body the operation's error and its Content-ID (the client classifies that
part; without a Content-ID, a GET on the incident tells which of incident and contact it was):
- 412 on the incident: an earlier attempt committed the whole set (its answer was lost, or
  the mail came twice). Nothing of this attempt was kept; read the ticket number and stop.
- 412 on the contact: another handoff created the same customer's contact meanwhile; send the set
  again binding to that contact instead of creating it.
- 404 on the incident's customer bind: the cached contact was merged or deleted; look it up again.
- anything else permanent parks the handoff with Dataverse's message, prefixed with the operation.

Notes are base64 in the request body. When they would make one request bigger than
`[dynamics] max_request_bytes`, the files that do not fit travel in further change sets after the
first (one more round trip each, only for such mails): one huge request risks the gateway's size
limit and the request timeouts (ours is `timeout_seconds`), and a timeout resends all of it. Those
sets are atomic too and their records have deterministic ids, so a 412 there means that set was
committed by an earlier attempt.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from handoff.dynamics.batch import MAX_OPERATIONS, Base64, Operation, PartResponse
from handoff.dynamics.client import DataverseClient
from handoff.dynamics.coalesce import Coalescer
from handoff.dynamics.contacts import (
    CONTACT_COLUMNS,
    NAMESPACE,
    ContactBook,
    ContactCache,
    SharedContacts,
    contact_body,
    contact_id_for,
    contact_query,
    split_name,
)
from handoff.errors import AlreadyExists, NotFound, PermanentError
from handoff.model import IncidentDraft, NoteDraft, TimelineEmail
from handoff.settings import DynamicsSettings

__all__ = ["NAMESPACE", "Delivered", "Dynamics", "contact_id_for", "split_name"]

log = logging.getLogger("handoff.dynamics")

CONTACT = "contact"
INCIDENT = "incident"
QUEUE = "AddToQueue"
# Multipart headers and the request line around each operation's JSON, generously.
PART_OVERHEAD = 400
# activityparty participation types.
SENDER, TO_RECIPIENT = 1, 2
# email statecode Completed with statuscode Received: what Dynamics' own mailbox sync gives an
# incoming mail. An open email would show as a draft a rep could send.
RECEIVED = {"statecode": 1, "statuscode": 4}


@dataclass(frozen=True)
class Delivered:
    incident_id: str
    ticket_number: str | None
    contact_id: str
    contact_created: bool
    already_existed: bool
    queue_item_id: str | None = None
    # emailaddress1, firstname, lastname, mobilephone (and any extra column asked for) of the customer
    contact: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Item:
    """Operations that travel together in one change set (an email and the PATCH that completes it)."""

    role: str
    operations: list[Operation]
    size: int = 0

    def __post_init__(self) -> None:
        if not self.size:
            self.size = sum(PART_OVERHEAD + len(op.path) + len(json.dumps(op.body)) for op in self.operations)


@dataclass
class _Attempt:
    contact_id: str
    create_contact: bool
    from_cache: bool
    roles: dict[str, str] = field(default_factory=dict)
    record: dict[str, Any] = field(default_factory=dict)  # the contact's columns as found or created
    # This handoff creates the contact for the others (SharedContacts): the future they wait on here, and
    # whether the shared table holds this instance's claim.
    creating: asyncio.Future[dict[str, Any] | None] | None = None
    claimed: bool = False


def _utc(value: datetime) -> str:
    if value.tzinfo is None:  # a date without a zone in the thread: read as UTC rather than dropped
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _html(text: str) -> str:
    # Dynamics shows an email's description as HTML: plain text would lose its line breaks.
    return html.escape(text.strip(), quote=False).replace("\n", "<br>\n")


def _with_role(error: PermanentError, role: str | None) -> PermanentError:
    """The same error, saying which operation of the change set Dataverse refused."""
    if role is None or role == INCIDENT:
        return error
    wrapped = type(error)(f"{role}: {error}", code=error.code, status=error.status)
    wrapped.content_id = error.content_id
    return wrapped


class Dynamics:
    def __init__(
        self, client: DataverseClient, settings: DynamicsSettings, contact_columns: Sequence[str] = ()
    ) -> None:
        self.client = client
        self.settings = settings
        self.contacts = ContactCache(settings.contact_cache_seconds)
        # Who creates a new customer's contact, with the other instances on the spool (share_contacts).
        self.shared: SharedContacts | None = None
        # Extra contact columns to read (e.g. the one [moengage] customer_id names).
        self.extra_contact_columns = tuple(contact_columns)
        self.contact_columns = (*CONTACT_COLUMNS, *contact_columns)
        # Under a backlog, several handoffs' change sets share one $batch and their contact lookups one
        # GET (handoff.dynamics.coalesce); alone, a handoff goes at once.
        self.coalescer = Coalescer(
            client,
            max_handoffs=settings.max_handoffs_per_request,
            max_request_bytes=settings.max_request_bytes,
            match_columns=settings.match_columns,
            select=self.contact_columns,
        )

    def share_contacts(self, book: ContactBook) -> None:
        """Learn contacts from, and claim new customers' creations in, the spool's table shared by the
        instances (handoff.spool.contacts). A claim runs out when its holder's change set cannot still be
        answered (two timeouts and a margin, as the budget's leases) unless its instance renews it, as it
        does while the handoff's change set waits for Dataverse's budget."""
        self.shared = SharedContacts(book, self.settings.contact_cache_seconds, 2 * self.settings.timeout_seconds + 10)

    # ------------------------------------------------------------------------------------ contacts

    async def find_contact(self, email: str) -> dict[str, Any] | None:
        """The oldest contact with this address in any of `[dynamics] match_columns`, in one GET."""
        if self.coalescer.on:
            return await self.coalescer.find_contact(email)
        query = contact_query(email, self.settings.match_columns, self.contact_columns)
        resp = await self.client.request("GET", "contacts", query=query)
        rows = (resp.body or {}).get("value", [])
        if not rows:
            return None
        return {k: v for k, v in rows[0].items() if not k.startswith("@")}

    async def _contact(self, email: str, *, fresh: bool = False) -> _Attempt:
        if not fresh:
            cached = self.contacts.get(email)
            if cached is not None:
                return _Attempt(str(cached["contactid"]), create_contact=False, from_cache=True, record=cached)
        if self.shared is not None:
            return await self._shared_contact(self.shared, email, fresh=fresh)
        found = await self.find_contact(email)
        if found is not None:
            self.contacts.put(email, found)
            return _Attempt(str(found["contactid"]), create_contact=False, from_cache=False, record=found)
        # Nobody has this address: create the contact inside the change set, under the id any other
        # handoff for this customer would choose too.
        return _Attempt(contact_id_for(email), create_contact=True, from_cache=False)

    def _learned(self, email: str, record: dict[str, Any]) -> _Attempt:
        """A contact another handoff found or created: bound like a cached one (a 404 on it looks again)."""
        self.contacts.put(email, record)
        return _Attempt(str(record["contactid"]), create_contact=False, from_cache=True, record=record)

    async def _shared_contact(self, shared: SharedContacts, email: str, *, fresh: bool) -> _Attempt:
        """As `_contact`, but a new customer's contact is created by one handoff only, here or in another
        instance: the others wait for its change set and bind to what it created, rather than each
        creating it, failing on the 412 and sending its whole change set again."""
        for _ in range(3):  # each turn, someone else's creation ended without a contact
            pending = shared.creating(email)
            if pending is not None:
                shared.waits += 1
                record = await asyncio.shield(pending)
                if record is not None:
                    return self._learned(email, record)
                continue  # its change set failed: look again
            if not fresh:
                known = await shared.known(email)
                if known is not None and known.fresh(shared.ttl) and known.record is not None:
                    return self._learned(email, {**known.record, "contactid": known.contact_id})
                if known is not None and known.claimed() and known.claimed_by != shared.book.holder:
                    record = await shared.wait(email)
                    if record is not None:
                        return self._learned(email, record)
            found = await self.find_contact(email)
            if found is not None:
                self.contacts.put(email, found)
                await shared.learn(email, found)
                return _Attempt(str(found["contactid"]), create_contact=False, from_cache=False, record=found)
            if shared.creating(email) is not None:
                continue  # another handoff here claimed it while this one looked: wait for that one
            cached = self.contacts.get(email)
            if cached is not None:  # or created it meanwhile (its answer came while this one looked)
                return self._learned(email, cached)
            creating = shared.start(email)
            known = await shared.claim(email)
            if known is None:
                return _Attempt(
                    contact_id_for(email), create_contact=True, from_cache=False, creating=creating, claimed=True
                )
            # Another instance got there first: the handoffs here wait with this one, for it.
            await shared.abandon(email, creating, claimed=False)
            if known.fresh(shared.ttl) and known.record is not None:
                return self._learned(email, {**known.record, "contactid": known.contact_id})
            if known.claimed():
                record = await shared.wait(email)
                if record is not None:
                    return self._learned(email, record)
            fresh = True  # its claim ended without a contact: the table has nothing more to say
        # Creations kept failing elsewhere: create it here too (a 412 still binds to the one that exists).
        return _Attempt(contact_id_for(email), create_contact=True, from_cache=False)

    # ------------------------------------------------------------------------------------ operations

    def _head(self, draft: IncidentDraft, attempt: _Attempt) -> list[Operation]:
        ops: list[Operation] = []
        incident = dict(draft.body)
        incident["incidentid"] = draft.incident_id
        if attempt.create_contact:
            ops.append(
                Operation("POST", "contacts", contact_body(attempt.contact_id, draft.contact_email, draft.contact_name))
            )
            attempt.roles["1"] = CONTACT
        # By id even for the contact created just above (the set runs in order, in one transaction):
        # binding it by "$1" would cost the incident its return=representation, so its ticket number.
        incident["customerid_contact@odata.bind"] = f"/contacts({attempt.contact_id})"
        ops.append(
            Operation(
                "POST",
                "incidents?$select=incidentid,ticketnumber",
                incident,
                headers={"Prefer": "return=representation"},
            )
        )
        attempt.roles[str(len(ops))] = INCIDENT
        if self.settings.default_queue_id:
            # AddToQueue moves an existing active queue item, so it is safe in a repeated set.
            target = {"@odata.type": "Microsoft.Dynamics.CRM.incident", "incidentid": draft.incident_id}
            ops.append(
                Operation(
                    "POST",
                    f"queues({self.settings.default_queue_id})/Microsoft.Dynamics.CRM.AddToQueue",
                    {"Target": target},
                )
            )
            attempt.roles[str(len(ops))] = QUEUE
        return ops

    def _note(self, draft: IncidentDraft, note: NoteDraft) -> _Item:
        # The file's own bytes: its base64 is made piece by piece as the request is written
        # (handoff.dynamics.batch.Body), so no copy of a mail's files is made to send them.
        document = Base64(note.content)
        body: dict[str, object] = {
            "annotationid": note.annotation_id,
            "subject": note.subject,
            "filename": note.filename,
            "mimetype": note.mimetype,
            "documentbody": document,
            # A literal id rather than $n, so the note can travel in a later change set too.
            "objectid_incident@odata.bind": f"/incidents({draft.incident_id})",
        }
        if note.notetext:
            body["notetext"] = note.notetext
        # base64 is plain ASCII, so its JSON is as long as it is (len(Base64) counts it, padding included).
        rest = {k: v for k, v in body.items() if k != "documentbody"}
        size = PART_OVERHEAD + len(document) + len(json.dumps(rest))
        return _Item(f"note {note.filename}", [Operation("POST", "annotations", body)], size)

    def _email(self, draft: IncidentDraft, email: TimelineEmail, contact_id: str) -> _Item:
        parties: list[dict[str, object]] = [
            {
                "participationtypemask": SENDER,
                "partyid_contact@odata.bind": f"/contacts({contact_id})",
                "addressused": email.from_email,
            }
        ]
        if self.settings.default_queue_id:
            parties.append(
                {
                    "participationtypemask": TO_RECIPIENT,
                    "partyid_queue@odata.bind": f"/queues({self.settings.default_queue_id})",
                }
            )
        body: dict[str, object] = {
            "activityid": email.activity_id,
            "subject": email.subject,
            "description": _html(email.body),
            "directioncode": False,  # incoming
            "regardingobjectid_incident@odata.bind": f"/incidents({draft.incident_id})",
            "email_activity_parties": parties,
        }
        if email.sent_at is not None:
            body["actualstart"] = _utc(email.sent_at)
        # Completing it is a PATCH (Dataverse's SetState), in the same set right after the create.
        complete = Operation("PATCH", f"emails({email.activity_id})", dict(RECEIVED), headers={"If-Match": "*"})
        return _Item(f"email {email.activity_id}", [Operation("POST", "emails", body), complete])

    def _notes(self, draft: IncidentDraft) -> list[_Item]:
        return [self._note(draft, note) for note in draft.notes]

    def _emails(self, draft: IncidentDraft, contact_id: str) -> list[_Item]:
        return [self._email(draft, email, contact_id) for email in draft.emails]

    def _pack(self, head: Sequence[Operation], items: Sequence[_Item]) -> list[list[_Item]]:
        """Items into change sets: the first holds the head, each stays under the request budget."""
        budget = self.settings.max_request_bytes
        head_size = _Item("head", list(head)).size
        sets: list[list[_Item]] = [[]]
        sizes, counts = [head_size], [len(head)]
        for item in items:
            for n in range(len(sets)):
                if sizes[n] + item.size <= budget and counts[n] + len(item.operations) <= MAX_OPERATIONS:
                    break
            else:
                # A single note over the budget still goes, alone: it cannot be split.
                sets.append([])
                sizes.append(0)
                counts.append(0)
                n = len(sets) - 1
            sets[n].append(item)
            sizes[n] += item.size
            counts[n] += len(item.operations)
        return sets

    # ------------------------------------------------------------------------------------ delivery

    async def _send(self, ops: list[Operation], roles: dict[str, str], items: Sequence[_Item]) -> list[PartResponse]:
        size = sum(item.size for item in items)
        head = len(ops) - sum(len(i.operations) for i in items)
        if head:
            size += _Item("head", ops[:head]).size
        for n, op in enumerate(ops, start=1):
            op.content_id = str(n)
        first_item = len(ops) - sum(len(i.operations) for i in items) + 1
        position = first_item
        for item in items:
            for _ in item.operations:
                roles[str(position)] = item.role
                position += 1
        return await self.coalescer.change_set(ops, size)

    async def deliver(self, draft: IncidentDraft) -> Delivered:
        attempt = await self._contact(draft.contact_email)
        current = [attempt]  # the attempt under way (a stale contact's second lookup may claim a creation)
        try:
            return await self._deliver(draft, current)
        except BaseException:
            attempt = current[0]
            if attempt.creating is not None and self.shared is not None:
                # No contact from this one: the handoffs waiting for it look again (one of them creates it).
                await self.shared.abandon(draft.contact_email, attempt.creating, attempt.claimed)
            raise

    async def _deliver(self, draft: IncidentDraft, current: list[_Attempt]) -> Delivered:
        attempt = current[0]
        notes = self._notes(draft)  # nothing encoded yet: see _note
        items = notes + self._emails(draft, attempt.contact_id)
        already = False
        ticket: str | None = None
        queue_item: str | None = None
        contact_created = False
        raced = False  # another handoff created the contact meanwhile (outside the shared table's claims)
        sets: list[list[_Item]] = []
        for _ in range(4):  # contact race, stale cache, and one spare; each case changes the attempt
            attempt.roles = {}
            head = self._head(draft, attempt)
            sets = self._pack(head, items)
            try:
                parts = await self._send(
                    head + [op for item in sets[0] for op in item.operations], attempt.roles, sets[0]
                )
            except AlreadyExists as exc:
                role = attempt.roles.get(exc.content_id or "")
                if role == CONTACT or (role is None and attempt.create_contact and not await self._exists(draft)):
                    # Another handoff created this customer's contact meanwhile: bind to it instead.
                    log.info(
                        "incident %s: contact %s exists now; sending the set without it",
                        draft.incident_id,
                        attempt.contact_id,
                    )
                    attempt = current[0] = _Attempt(
                        attempt.contact_id,
                        create_contact=False,
                        from_cache=False,
                        creating=attempt.creating,
                        claimed=attempt.claimed,
                    )
                    raced = True
                    items = notes + self._emails(draft, attempt.contact_id)
                    continue
                if role in (INCIDENT, None):
                    already = True
                    break
                raise _with_role(exc, role) from None
            except NotFound as exc:
                role = attempt.roles.get(exc.content_id or "")
                if role == INCIDENT and "'contact'" in str(exc) and attempt.from_cache:
                    # The cached contact was merged or deleted in Dynamics since: look it up again.
                    log.info(
                        "incident %s: cached contact %s is gone; looking up again",
                        draft.incident_id,
                        attempt.contact_id,
                    )
                    self.contacts.drop(draft.contact_email)
                    if self.shared is not None:
                        await self.shared.forget(draft.contact_email, attempt.contact_id)
                    attempt = current[0] = await self._contact(draft.contact_email, fresh=True)
                    items = notes + self._emails(draft, attempt.contact_id)
                    continue
                raise _with_role(exc, role) from None
            except PermanentError as exc:
                raise _with_role(exc, attempt.roles.get(exc.content_id or "")) from None
            contact_created = attempt.create_contact
            for part in parts:
                role = attempt.roles.get(part.content_id or "")
                if role == INCIDENT and isinstance(part.body, dict):
                    ticket = part.body.get("ticketnumber")
                elif role == QUEUE and isinstance(part.body, dict):
                    queue_item = part.body.get("QueueItemId")
            break
        else:
            raise PermanentError(f"incident {draft.incident_id}: the change set kept failing on its contact")
        # A contact we created (or lost the race for) is described by what we would have written.
        record = attempt.record or contact_body(attempt.contact_id, draft.contact_email, draft.contact_name)
        self.contacts.put(draft.contact_email, record)
        if self.shared is not None and (attempt.creating is not None or raced):
            # The contact exists now: the handoffs waiting for it here and in other instances bind to it.
            await self.shared.created(draft.contact_email, attempt.creating, record)
        if already or ticket is None:
            # Already there (a lost answer, a second delivery, a replay), or the organisation ignored
            # return=representation: the ticket number costs one GET, only in these cases.
            ticket = await self._ticket(draft.incident_id)
            if already:
                log.info("incident %s already existed (ticket %s)", draft.incident_id, ticket)
        for extra in sets[1:]:
            await self._send_extra(draft, extra)
        return Delivered(
            draft.incident_id, ticket, attempt.contact_id, contact_created, already, queue_item, contact=record
        )

    async def _send_extra(self, draft: IncidentDraft, items: list[_Item]) -> None:
        roles: dict[str, str] = {}
        try:
            await self._send([op for item in items for op in item.operations], roles, items)
        except AlreadyExists:
            # Same items, same ids: this set was committed by an earlier attempt whose answer was lost.
            log.info("incident %s: a later change set of %d item(s) was already sent", draft.incident_id, len(items))
        except PermanentError as exc:
            raise _with_role(exc, roles.get(exc.content_id or "")) from None

    async def _ticket(self, incident_id: str) -> str | None:
        resp = await self.client.request("GET", f"incidents({incident_id})", query="$select=incidentid,ticketnumber")
        return (resp.body or {}).get("ticketnumber")

    async def _exists(self, draft: IncidentDraft) -> bool:
        """Only when Dataverse did not say which operation failed: was it the incident or the contact?"""
        try:
            await self._ticket(draft.incident_id)
        except NotFound:
            return False
        return True

    async def who_am_i(self) -> dict[str, object]:
        resp = await self.client.request("GET", "WhoAmI")
        return dict(resp.body or {})
