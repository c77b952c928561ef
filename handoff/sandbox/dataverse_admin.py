"""What a support agent, the SLA engine and Customer Voice would do to a case, done to the sandbox.

`handoff sandbox resolve|cancel|sla|survey` (handoff.cli) and the control API (`/_sandbox/...`) call
these on the sandbox's store file, so the case lifecycle can be walked through on the embedded
defaults and `handoff serve`'s lifecycle follower sees each step in its next delta. Every write goes
through the sandbox's own code (the Web API's CloseIncident, or a direct store write like a plug-in's),
so it gets a change version like any other change.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from handoff.sandbox.dataverse_api import LOOKUP_TYPE, Operation, now_iso
from handoff.sandbox.dataverse_schema import INCIDENT_STATUS, SLA_KPI_STATUS

if TYPE_CHECKING:
    from handoff.sandbox.dataverse import DataverseSandbox

# Words for slakpiinstance.status, as a person types them.
SLA_WORDS = {
    "in-progress": 0,
    "inprogress": 0,
    "noncompliant": 1,
    "breached": 1,
    "nearing": 2,
    "nearing-noncompliance": 2,
    "warning": 2,
    "paused": 3,
    "succeeded": 4,
    "canceled": 5,
    "cancelled": 5,
}
# How the SLA engine reflects a KPI's status on the case's resolvebyslastatus / firstresponseslastatus.
KPI_TO_CASE_STATUS = {0: 0, 2: 1, 4: 2, 1: 3}
RESOLVE_BY = "Resolve by"
FIRST_RESPONSE_BY = "First response by"
STANDARD_SLA = "Standard SLA"
CSAT_SURVEY = "Customer satisfaction"


class AdminError(Exception):
    """What the person asked for cannot be done (no such case, not active, unknown status)."""


def find_case(sandbox: DataverseSandbox, case: str) -> dict[str, Any]:
    """An incident by ticket number (CAS-01000-X6J1B0, any case) or incidentid."""
    wanted = case.strip().lower()
    for incident in sandbox.table("incidents"):
        if str(incident.get("ticketnumber") or "").lower() == wanted or incident["incidentid"] == wanted:
            return incident
    raise AdminError(f"no case {case!r} in the sandbox (give its ticket number, e.g. CAS-01000-ABCDEF, or its id)")


def sla_status(word: str) -> int:
    key = word.strip().lower().replace(" ", "-").replace("_", "-")
    if key.isdigit() and int(key) in SLA_KPI_STATUS:
        return int(key)
    if key not in SLA_WORDS:
        raise AdminError(f"unknown SLA status {word!r}; one of: {', '.join(sorted(set(SLA_WORDS)))} or 0-5")
    return SLA_WORDS[key]


def resolve_case(sandbox: DataverseSandbox, case: str, status: int = 5, subject: str = "Resolved") -> dict[str, Any]:
    """Resolve as Dynamics does, with the CloseIncident action (an incidentresolution and statecode 1)."""
    import json

    incident = find_case(sandbox, case)
    if status not in INCIDENT_STATUS or INCIDENT_STATUS[status][1] != 1:
        raise AdminError(
            f"status {status} is not a resolved status reason (5 Problem Solved, 1000 Information Provided)"
        )
    body = {
        "IncidentResolution": {
            "subject": subject,
            "incidentid@odata.bind": f"/incidents({incident['incidentid']})",
        },
        "Status": status,
    }
    result = sandbox.run_operation(Operation("POST", "CloseIncident", "", {}, json.dumps(body).encode()))
    if result.status >= 400:
        message = (result.body or {}).get("error", {}).get("message")
        raise AdminError(f"CloseIncident answered {result.status}: {message}")
    return find_case(sandbox, incident["incidentid"])


def cancel_case(sandbox: DataverseSandbox, case: str, status: int = 6) -> dict[str, Any]:
    """Cancel (statecode 2) as the Cancel Case command does (a state change, no resolution record)."""
    incident = find_case(sandbox, case)
    if status not in INCIDENT_STATUS or INCIDENT_STATUS[status][1] != 2:
        raise AdminError(f"status {status} is not a cancelled status reason (6 Cancelled, 2000 Merged)")
    if incident.get("statecode") != 0:
        raise AdminError(f"case {incident.get('ticketnumber')} is not active")
    return sandbox.update_record("incidents", incident["incidentid"], {"statecode": 2, "statuscode": status})


def set_sla(sandbox: DataverseSandbox, case: str, status: int, kpi: str = RESOLVE_BY) -> dict[str, Any]:
    """Move the case's KPI instance (created with the SLA on first use) to `status`, and reflect it on the
    case's SLA columns, in one transaction, as the SLA engine does."""
    if status not in SLA_KPI_STATUS:
        raise AdminError(f"unknown SLA status {status}")
    incident = find_case(sandbox, case)
    incident_id = incident["incidentid"]
    now = datetime.now(UTC)
    stamp = now_iso()
    with sandbox._store.transaction() as txn:
        sla = next((s for s in txn.scan("slas") if s.get("name") == STANDARD_SLA), None)
        if sla is None:
            sla_id = sandbox._api.new_id(txn)
            sla = {"slaid": sla_id, "name": STANDARD_SLA, "createdon": stamp, "modifiedon": stamp}
            sla["versionnumber"] = txn.next_value("versionnumber", 1000)
            txn.insert("slas", sla_id, sla)
        instance = next(
            (
                k
                for k in txn.scan("slakpiinstances")
                if k.get("_regarding_value") == incident_id and k.get("name") == kpi
            ),
            None,
        )
        values: dict[str, Any] = {"status": status}
        if status == 4:
            values["succeededon"] = stamp
        if instance is None:
            instance_id = sandbox._api.new_id(txn)
            instance = {
                "slakpiinstanceid": instance_id,
                "name": kpi,
                "_regarding_value": incident_id,
                "_regarding_value" + LOOKUP_TYPE: "incident",
                "warningtime": (now + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "failuretime": (now + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "succeededon": None,
                "createdon": stamp,
                "modifiedon": stamp,
                "versionnumber": txn.next_value("versionnumber", 1000),
                **values,
            }
            sandbox._api.server_defaults(sandbox.schema["slakpiinstances"], instance, txn)
            txn.insert("slakpiinstances", instance_id, instance)
        else:
            instance = sandbox._update(txn, "slakpiinstances", instance["slakpiinstanceid"], values)
        case_values: dict[str, Any] = {
            "_slaid_value": sla["slaid"],
            "_slaid_value" + LOOKUP_TYPE: "sla",
        }
        column = "resolvebyslastatus" if kpi == RESOLVE_BY else "firstresponseslastatus"
        lookup = "_resolvebykpiid_value" if kpi == RESOLVE_BY else "_firstresponsebykpiid_value"
        case_values[lookup] = instance["slakpiinstanceid"]
        case_values[lookup + LOOKUP_TYPE] = "slakpiinstance"
        if status in KPI_TO_CASE_STATUS:
            case_values[column] = KPI_TO_CASE_STATUS[status]
        sandbox._update(txn, "incidents", incident_id, case_values)
    return instance


def submit_survey(
    sandbox: DataverseSandbox, case: str, score: int, comment: str = "", survey: str = CSAT_SURVEY
) -> dict[str, Any]:
    """A Customer Voice response about the case from its customer (the case's contact)."""
    incident = find_case(sandbox, case)
    customer = incident.get("_customerid_value")
    if not customer:
        raise AdminError(f"case {incident.get('ticketnumber')} has no customer")
    stamp = now_iso()
    with sandbox._store.transaction() as txn:
        form = next((s for s in txn.scan("msfp_surveys") if s.get("msfp_name") == survey), None)
        if form is None:
            form_id = sandbox._api.new_id(txn)
            form = {"msfp_surveyid": form_id, "msfp_name": survey, "createdon": stamp, "modifiedon": stamp}
            form["versionnumber"] = txn.next_value("versionnumber", 1000)
            txn.insert("msfp_surveys", form_id, form)
        response_id = sandbox._api.new_id(txn)
        kind = incident.get("_customerid_value" + LOOKUP_TYPE) or "contact"
        response = {
            "activityid": response_id,
            "subject": f"{survey}: {incident.get('ticketnumber')}",
            "msdyn_csatscore": score,
            "msdyn_feedbackcomment": comment or None,
            "_msdyn_surveyid_value": form["msfp_surveyid"],
            "_msdyn_surveyid_value" + LOOKUP_TYPE: "msfp_survey",
            "_msdyn_caseid_value": incident["incidentid"],
            "_msdyn_caseid_value" + LOOKUP_TYPE: "incident",
            "_regardingobjectid_value": customer,
            "_regardingobjectid_value" + LOOKUP_TYPE: kind,
            "statecode": 1,
            "statuscode": 2,
            "createdon": stamp,
            "modifiedon": stamp,
            "versionnumber": txn.next_value("versionnumber", 1000),
        }
        sandbox._api.server_defaults(sandbox.schema["msfp_surveyresponses"], response, txn)
        txn.insert("msfp_surveyresponses", response_id, response)
    return response
