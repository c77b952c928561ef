"""Case events as MoEngage will see them: pure functions, no I/O.

`case_created_event` runs inside the worker when an incident is recorded and returns the outbox row,
whose payload is transport-neutral (the flat shape of MoEngage's D365 partner webhook). The sender shapes
it for the configured transport only when it sends, so a change of `[moengage] transport` also applies
to events already waiting.

The lifecycle follower (handoff.lifecycle) builds the rest of the guide's payloads from Dataverse rows:
`case_event` ("Case Updated", "Case Resolved", "Case Cancelled"), `sla_event` ("SLA Updated"),
`survey_event` ("Survey Response Received") and `user_upsert` (a contact's name, mobile or email
changed: a profile update without an event, /v1/customer or the partner `users` webhook).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from handoff.model import Handoff
from handoff.settings import MoEngageSettings
from handoff.spool.base import OutboxEvent

CASE_CREATED = "Case Created"
KIND_CASE_CREATED = "case_created"
CASE_UPDATED = "Case Updated"
CASE_RESOLVED = "Case Resolved"
CASE_CANCELLED = "Case Cancelled"
SLA_UPDATED = "SLA Updated"
SURVEY_RECEIVED = "Survey Response Received"
FORMATTED = "@OData.Community.Display.V1.FormattedValue"
# Labels for when Dataverse sent no formatted value: slakpiinstance.status as the guide lists it, and the
# case's resolvebyslastatus / firstresponseslastatus.
SLA_KPI_STATUS = {
    0: "In Progress",
    1: "Noncompliant",
    2: "Nearing Noncompliance",
    3: "Paused",
    4: "Succeeded",
    5: "Canceled",
}
INCIDENT_SLA_STATUS = {0: "In Progress", 1: "Nearing Noncompliance", 2: "Succeeded", 3: "Noncompliant"}

# MoEngage's limits (shared/docs/moengage.md): longer names and values are truncated by MoEngage, so
# handoff trims them itself and knows what was sent.
NAME_LIMIT = 200
VALUE_LIMIT = 512
MAX_ATTRIBUTES = 100
DESCRIPTION_LIMIT = 280  # "a short description": the start of the customer's message, not the transcript
# MoEngage rejects these as customer_id; a real id never looks like one.
PLACEHOLDER_IDS = frozenset({"", "unknown", "null", "none", "nil", "undefined", "0", "n/a", "na", "-"})
# Dynamics incident prioritycode labels.
PRIORITY_LABELS = {1: "High", 2: "Normal", 3: "Low"}
# Request size caps: 128 KB per request; the bulk (transition) docs still say 100 KB, so keep under that.
MAX_REQUEST_BYTES = 128 * 1024
MAX_BULK_REQUEST_BYTES = 100 * 1024

_SPACE = re.compile(r"\s+")
_ETAG = re.compile(r'^W/"(\d+)"$')


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with a Z, seconds precision (the `updated_at` shape in MoEngage's samples)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = _SPACE.sub(" ", str(value)).strip()
    return text or None


def _trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clean_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values and `moe_` names, trim names and strings to MoEngage's limits, keep at most 100."""
    cleaned: dict[str, Any] = {}
    for name, value in attributes.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        key = str(name)[:NAME_LIMIT]
        if key.lower().startswith("moe_"):  # reserved for MoEngage's own attributes
            continue
        if isinstance(value, str):
            value = _trim(value.strip(), VALUE_LIMIT)
        elif not isinstance(value, bool | int | float):
            value = _trim(str(value), VALUE_LIMIT)
        cleaned[key] = value
        if len(cleaned) == MAX_ATTRIBUTES:
            break
    return cleaned


def is_placeholder(customer_id: str | None) -> bool:
    return customer_id is None or customer_id.strip().lower() in PLACEHOLDER_IDS


def customer_id_for(
    settings: MoEngageSettings, handoff: Handoff, contact_id: str, contact: dict[str, Any] | None
) -> tuple[str | None, str | None]:
    """The MoEngage customer_id by the configured strategy, or (None, why not)."""
    strategy = settings.customer_id
    if strategy == "email":
        email = (contact or {}).get("emailaddress1") or (handoff.customer.email if handoff.customer else None)
        value = _text(email)
        value = value.lower() if value else None  # one person, one profile, whatever the case of the address
        where = "the customer's email address"
    elif strategy == "contactid":
        value, where = _text(contact_id), "the Dynamics contact id"
    else:
        value = _text((contact or {}).get(strategy))
        where = f"contact column {strategy!r}" + ("" if contact is not None else " (no contact record was given)")
    if is_placeholder(value):
        return None, f"no customer_id: {where} is empty or a placeholder ([moengage] customer_id = {strategy!r})"
    return _trim(value or "", VALUE_LIMIT), None


def _user_attributes(handoff: Handoff, contact: dict[str, Any] | None) -> dict[str, Any]:
    contact = contact or {}
    first, last = _text(contact.get("firstname")), _text(contact.get("lastname"))
    name = _text(handoff.customer.name) if handoff.customer else None
    if not (first or last) and name:
        first, _, rest = name.partition(" ")
        last = rest.strip() or None
    email = _text(contact.get("emailaddress1")) or (handoff.customer.email if handoff.customer else None)
    return clean_attributes(
        {"email": email, "mobile": _text(contact.get("mobilephone")), "first_name": first, "last_name": last}
    )


def _description(handoff: Handoff) -> str | None:
    # The customer's own words: the earliest message not written by the support team.
    for message in handoff.messages:
        if not message.internal and _text(message.body):
            return _trim(_text(message.body) or "", DESCRIPTION_LIMIT)
    return None


def case_created_event(
    *,
    settings: MoEngageSettings,
    handoff: Handoff,
    incident_id: str,
    ticket_number: str | None,
    title: str,
    prioritycode: int,
    contact_id: str,
    contact: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> OutboxEvent:
    """The "Case Created" outbox row for a recorded incident; one per incident, whatever the retries."""
    customer_id, problem = customer_id_for(settings, handoff, contact_id, contact)
    classification, sentiment = handoff.classification, handoff.sentiment
    event_attributes = clean_attributes(
        {
            "case_id": incident_id,
            "case_number": ticket_number,
            "title": _text(title),
            "description": _description(handoff),
            "case_type": classification.label if classification else None,
            "priority": PRIORITY_LABELS.get(prioritycode, str(prioritycode)),
            "status": "Active",  # a new incident: statecode Active, status reason In Progress
            "classification": classification.category_id if classification else None,
            "classification_confidence": round(classification.confidence, 3) if classification else None,
            "sentiment": sentiment.label if sentiment else None,
            "sentiment_score": round(sentiment.score, 3) if sentiment else None,
            "channel": "email",
        }
    )
    payload: dict[str, Any] = {
        "customer_id": customer_id,
        "updated_at": iso(now or datetime.now(UTC)),
        "user_attributes": _user_attributes(handoff, contact),
        "event_name": CASE_CREATED,
        "event_attributes": event_attributes,
    }
    if problem:
        # Recorded, not raised: the case must never fail because of its mirror. The sender parks it.
        payload["problem"] = problem
    return OutboxEvent(key=f"case-created:{incident_id}", kind=KIND_CASE_CREATED, payload=payload)


# -- the rest of the lifecycle, from Dataverse rows (handoff.lifecycle) ----------------------------------


def row_version(row: dict[str, Any]) -> str:
    """The version Dataverse gives a row (its etag W/"<n>", bumped on every change), else modifiedon:
    one change, one version, however often the row is read."""
    match = _ETAG.match(str(row.get("@odata.etag") or ""))
    if match:
        return "v" + match.group(1)
    if row.get("versionnumber") is not None:
        return f"v{row['versionnumber']}"
    return str(row.get("modifiedon") or "")


def label(row: dict[str, Any], column: str, fallback: dict[int, str] | None = None) -> str | None:
    """An option's label as Dataverse formats it (the row was read with formatted values), else ours."""
    text = _text(row.get(column + FORMATTED))
    if text:
        return text
    value = row.get(column)
    if value is None:
        return None
    return (fallback or {}).get(value, str(value))


def contact_customer_id(
    settings: MoEngageSettings, contact_id: str | None, contact: dict[str, Any] | None
) -> tuple[str | None, str | None]:
    """The MoEngage customer_id of a Dataverse contact by the configured strategy, or (None, why not)."""
    strategy = settings.customer_id
    if contact is None and strategy != "contactid":
        return None, f"no customer_id: the case has no contact to read {strategy!r} from"
    if strategy == "email":
        value = _text((contact or {}).get("emailaddress1"))
        value = value.lower() if value else None
        where = "the contact's email address"
    elif strategy == "contactid":
        value, where = _text(contact_id), "the Dynamics contact id"
    else:
        value, where = _text((contact or {}).get(strategy)), f"contact column {strategy!r}"
    if is_placeholder(value):
        return None, f"no customer_id: {where} is empty or a placeholder ([moengage] customer_id = {strategy!r})"
    return _trim(value or "", VALUE_LIMIT), None


def contact_attributes(contact: dict[str, Any]) -> dict[str, Any]:
    """The profile MoEngage keeps of a contact: the guide's email, mobile, first_name, last_name."""
    return clean_attributes(
        {
            "email": _text(contact.get("emailaddress1")),
            "mobile": _text(contact.get("mobilephone")),
            "first_name": _text(contact.get("firstname")),
            "last_name": _text(contact.get("lastname")),
        }
    )


def _lifecycle(
    kind: str,
    key: str,
    event_name: str,
    updated_at: str | None,
    customer: tuple[str | None, str | None],
    attributes: dict[str, Any],
    handoff_id: int | None = None,
) -> OutboxEvent:
    customer_id, problem = customer
    payload: dict[str, Any] = {
        "customer_id": customer_id,
        "updated_at": iso(parse_iso(updated_at)) if updated_at else iso(datetime.now(UTC)),
        "event_name": event_name,
        "event_attributes": clean_attributes(attributes),
    }
    if problem:
        payload["problem"] = problem  # parked by the sender with this reason, like Case Created's
    return OutboxEvent(key=key, kind=kind, payload=payload, handoff_id=handoff_id)


def case_event(
    event_name: str,
    incident: dict[str, Any],
    customer: tuple[str | None, str | None],
    handoff_id: int | None = None,
) -> OutboxEvent:
    """ "Case Updated/Resolved/Cancelled" from an incident row: the guide's Case attributes, and for a
    closed case when and how long after its creation it was closed.

    Keyed by the change itself (the state and status reached, and the row's version), so the same
    change read twice (a replayed delta page, a re-sync) is the same outbox row."""
    incident_id = str(incident["incidentid"])
    attributes: dict[str, Any] = {
        "case_id": incident_id,
        "case_number": _text(incident.get("ticketnumber")),
        "title": _text(incident.get("title")),
        "status": label(incident, "statuscode"),
        "state": label(incident, "statecode"),
        "priority": label(incident, "prioritycode", PRIORITY_LABELS),
        "case_type": label(incident, "casetypecode"),
    }
    if event_name in (CASE_RESOLVED, CASE_CANCELLED) and incident.get("modifiedon"):
        closed = parse_iso(str(incident["modifiedon"]))
        attributes["resolved_at"] = iso(closed)
        if incident.get("createdon"):
            hours = (closed - parse_iso(str(incident["createdon"]))).total_seconds() / 3600
            attributes["resolution_hours"] = round(max(hours, 0.0), 2)
    change = f"{incident.get('statecode')}.{incident.get('statuscode')}:{row_version(incident)}"
    kind = "case_" + event_name.split()[-1].lower()
    return _lifecycle(
        kind,
        f"incident:{incident_id}:{kind}:{change}",
        event_name,
        incident.get("modifiedon"),
        customer,
        attributes,
        handoff_id,
    )


def sla_event(
    kpi: dict[str, Any],
    incident: dict[str, Any] | None,
    customer: tuple[str | None, str | None],
    handoff_id: int | None = None,
) -> OutboxEvent:
    """ "SLA Updated" from a slakpiinstance row and its case (the guide reads first_response, sla and
    resolve_sla from the case), with the KPI's status label; keyed by the status reached and the version."""
    case = incident or {}
    kpi_id = str(kpi["slakpiinstanceid"])
    attributes = {
        "case_id": _text(kpi.get("_regarding_value")),
        "case_number": _text(case.get("ticketnumber")),
        "first_response": _text(case.get("_firstresponsebykpiid_value")),
        "sla": _text(case.get("_slaid_value")),
        "sla_name": _text(case.get("_slaid_value" + FORMATTED)),
        "sla_id": kpi_id,
        "resolve_sla": label(case, "resolvebyslastatus", INCIDENT_SLA_STATUS),
        "kpi": _text(kpi.get("name")),
        "status": label(kpi, "status", SLA_KPI_STATUS),
    }
    key = f"slakpiinstance:{kpi_id}:status:{kpi.get('status')}:{row_version(kpi)}"
    return _lifecycle("sla_updated", key, SLA_UPDATED, kpi.get("modifiedon"), customer, attributes, handoff_id)


def survey_event(
    response: dict[str, Any],
    incident: dict[str, Any] | None,
    customer: tuple[str | None, str | None],
    handoff_id: int | None = None,
) -> OutboxEvent:
    """ "Survey Response Received" from a Customer Voice response; one per response, whatever changes later."""
    response_id = str(response["activityid"])
    attributes = {
        "response_id": response_id,
        "survey_name": _text(response.get("_msdyn_surveyid_value" + FORMATTED)),
        "case_id": _text(response.get("_msdyn_caseid_value")),
        "case_number": _text((incident or {}).get("ticketnumber")),
        "csat_score": response.get("msdyn_csatscore"),
        "feedback_comment": _text(response.get("msdyn_feedbackcomment")),
    }
    key = f"msfp_surveyresponse:{response_id}:received"
    return _lifecycle(
        "survey_response", key, SURVEY_RECEIVED, response.get("modifiedon"), customer, attributes, handoff_id
    )


def user_upsert(contact: dict[str, Any], customer: tuple[str | None, str | None]) -> OutboxEvent:
    """A contact's profile changed in Dynamics: a MoEngage user update (no event), keyed by the change."""
    contact_id = str(contact["contactid"])
    customer_id, problem = customer
    payload: dict[str, Any] = {
        "customer_id": customer_id,
        "updated_at": iso(parse_iso(str(contact["modifiedon"])))
        if contact.get("modifiedon")
        else iso(datetime.now(UTC)),
        "user_attributes": contact_attributes(contact),
        "upsert": True,
    }
    if problem:
        payload["problem"] = problem
    return OutboxEvent(key=f"contact:{contact_id}:profile:{row_version(contact)}", kind="user_updated", payload=payload)


# -- shaping for a transport (at send time) ------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One HTTP request to MoEngage: `route` names it for logs and the emulator's knobs."""

    route: str
    path: str
    body: dict[str, Any]
    params: dict[str, str] | None = None

    @property
    def limit(self) -> int:
        return MAX_BULK_REQUEST_BYTES if self.route == "transition" else MAX_REQUEST_BYTES


def unsendable(payload: dict[str, Any]) -> str | None:
    """Why this payload can never be accepted (checked before any request), or None."""
    if payload.get("problem"):
        return str(payload["problem"])
    if is_placeholder(payload.get("customer_id")):
        return "no customer_id in the event"
    if payload.get("upsert"):
        if not payload.get("user_attributes"):
            return "no user_attributes in the user update"
    elif not payload.get("event_name"):
        return "no event_name in the event"
    elif not isinstance(payload.get("event_attributes"), dict):
        return "no event_attributes in the event"
    try:
        parse_iso(str(payload.get("updated_at")))
    except ValueError:
        return f"updated_at {payload.get('updated_at')!r} is not ISO 8601"
    return None


def _event_time(payload: dict[str, Any], now: datetime) -> str:
    # MoEngage refuses future-dated events; a clock a little ahead of MoEngage's must not park an event.
    return iso(min(parse_iso(payload["updated_at"]), now))


def partner_request(payload: dict[str, Any], config_name: str, now: datetime) -> Request:
    """The D365 partner webhook: one flat body carries the event and the user upsert."""
    body: dict[str, Any] = {"customer_id": payload["customer_id"], "updated_at": _event_time(payload, now)}
    if payload.get("user_attributes"):
        body["user_attributes"] = payload["user_attributes"]
    body["event_name"] = payload["event_name"]
    body["event_attributes"] = payload["event_attributes"]
    return Request("partner_events", "/v1/partner/d365-service/events/", body, {"configName": config_name})


def data_api_request(payload: dict[str, Any], workspace_id: str, now: datetime) -> Request:
    """The Data API in one request: /v1/transition carries the user upsert and the event together.

    Two requests (/v1/customer then /v1/event) would double the calls and leave a half-done state to
    retry; one bulk element list succeeds or fails as one. Without user attributes, /v1/event alone.
    """
    event = {
        "type": "event",
        "customer_id": payload["customer_id"],
        "actions": [
            {
                "action": payload["event_name"],
                "attributes": payload["event_attributes"],
                "current_time": _event_time(payload, now),
                "user_timezone_offset": 0,
                "platform": "web",
            }
        ],
    }
    if not payload.get("user_attributes"):
        return Request("event", f"/v1/event/{workspace_id}", event)
    customer = {"type": "customer", "customer_id": payload["customer_id"], "attributes": payload["user_attributes"]}
    return Request(
        "transition", f"/v1/transition/{workspace_id}", {"type": "transition", "elements": [customer, event]}
    )


def user_request(payload: dict[str, Any], settings: MoEngageSettings, now: datetime) -> Request:
    """A profile update alone: the partner `users` webhook (the flat body without an event), or /v1/customer."""
    if settings.transport == "partner":
        body = {
            "customer_id": payload["customer_id"],
            "updated_at": _event_time(payload, now),
            "user_attributes": payload["user_attributes"],
        }
        return Request("partner_users", "/v1/partner/d365-service/users/", body, {"configName": settings.config_name})
    customer = {"type": "customer", "customer_id": payload["customer_id"], "attributes": payload["user_attributes"]}
    return Request("customer", f"/v1/customer/{settings.workspace_id}", customer)


def build_request(payload: dict[str, Any], settings: MoEngageSettings, now: datetime | None = None) -> Request:
    now = now or datetime.now(UTC)
    if payload.get("upsert"):
        return user_request(payload, settings, now)
    if settings.transport == "partner":
        return partner_request(payload, settings.config_name, now)
    return data_api_request(payload, settings.workspace_id, now)
