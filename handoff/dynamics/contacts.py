"""The customer's contact: found by address in one GET, remembered for a while, or created by us.

A contact handoff creates gets a deterministic `contactid` from the normalised address, so two
handoffs from the same new customer (in this process or another) cannot create two contacts: the
second create fails with 412 0x80040237 and refers to the first one's record.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from handoff.dynamics.client import odata_literal
from handoff.ids import NAMESPACE, contact_id_for, normalise

# The ids live with the other deterministic ids (handoff.ids); re-exported for the contact code.
__all__ = ["NAMESPACE", "ContactCache", "contact_body", "contact_id_for", "contact_query", "normalise", "split_name"]


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
