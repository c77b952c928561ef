"""Contact and incident writes: exactly one incident per handoff, whatever the network does.

Both records get deterministic primary keys chosen by us. A retry after a lost response, a second
SMTP delivery of the same mail, or a replay of the mailbox all POST the same `incidentid`; Dataverse
answers 412 0x80040237 and we read the existing record instead of creating another.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from handoff.dynamics.client import DataverseClient, odata_literal
from handoff.errors import AlreadyExists
from handoff.model import IncidentDraft
from handoff.settings import DynamicsSettings

log = logging.getLogger("handoff.dynamics")

# Our own namespace for uuid5 keys, so handoff's ids never collide with another integration's.
NAMESPACE = uuid.UUID("7d1c1f4e-4a57-4a1e-9a55-68616e646f66")


def contact_id_for(email: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "contact:" + email.strip().lower()))


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


@dataclass(frozen=True)
class Delivered:
    incident_id: str
    ticket_number: str | None
    contact_id: str
    contact_created: bool
    already_existed: bool
    queue_item_id: str | None = None


class Dynamics:
    def __init__(self, client: DataverseClient, settings: DynamicsSettings) -> None:
        self.client = client
        self.settings = settings

    async def find_contact(self, email: str) -> str | None:
        query = (
            "$select=contactid,fullname,emailaddress1"
            f"&$filter=emailaddress1%20eq%20{odata_literal(email)}"
            "&$orderby=createdon%20asc&$top=1"
        )
        resp = await self.client.request("GET", "contacts", query=query)
        rows = (resp.body or {}).get("value", [])
        return str(rows[0]["contactid"]) if rows else None

    async def ensure_contact(self, email: str, name: str | None) -> tuple[str, bool]:
        """The oldest contact with this emailaddress1, or a new one; returns (contactid, created)."""
        found = await self.find_contact(email)
        if found:
            return found, False
        first, last = split_name(name, email)
        contact_id = contact_id_for(email)
        body: dict[str, object] = {"contactid": contact_id, "emailaddress1": email, "lastname": last}
        if first:
            body["firstname"] = first
        try:
            await self.client.request("POST", "contacts", json_body=body)
        except AlreadyExists:
            # Another handoff from the same new customer won the race, or our response was lost:
            # the deterministic id means it is the same person's record.
            return contact_id, False
        log.info("created contact %s", contact_id)
        return contact_id, True

    async def deliver(self, draft: IncidentDraft) -> Delivered:
        contact_id, contact_created = await self.ensure_contact(draft.contact_email, draft.contact_name)
        body = dict(draft.body)
        body["incidentid"] = draft.incident_id
        body["customerid_contact@odata.bind"] = f"/contacts({contact_id})"
        already = False
        try:
            resp = await self.client.request(
                "POST",
                "incidents",
                query="$select=incidentid,ticketnumber",
                json_body=body,
                headers={"Prefer": "return=representation"},
            )
            ticket = (resp.body or {}).get("ticketnumber")
        except AlreadyExists:
            already = True
            resp = await self.client.request(
                "GET", f"incidents({draft.incident_id})", query="$select=incidentid,ticketnumber"
            )
            ticket = (resp.body or {}).get("ticketnumber")
        queue_item = None
        if self.settings.default_queue_id:
            # AddToQueue moves an existing active queue item, so repeating it after a retry is harmless.
            resp = await self.client.request(
                "POST",
                f"queues({self.settings.default_queue_id})/Microsoft.Dynamics.CRM.AddToQueue",
                json_body={
                    "Target": {"@odata.type": "Microsoft.Dynamics.CRM.incident", "incidentid": draft.incident_id}
                },
            )
            queue_item = (resp.body or {}).get("QueueItemId")
        return Delivered(draft.incident_id, ticket, contact_id, contact_created, already, queue_item)

    async def who_am_i(self) -> dict[str, object]:
        resp = await self.client.request("GET", "WhoAmI")
        return dict(resp.body or {})
