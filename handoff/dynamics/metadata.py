"""Settings checked against the organisation's own metadata, so a wrong option-set value is caught by
`handoff check` or at start-up instead of parking every handoff one by one."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from handoff.attachments import AttachmentLimits
from handoff.dynamics.client import DataverseClient
from handoff.errors import NotFound
from handoff.settings import DynamicsSettings

log = logging.getLogger("handoff.dynamics")

_ATTRS = "EntityDefinitions(LogicalName='incident')/Attributes/Microsoft.Dynamics.CRM.{kind}"
_QUERY = "$select=LogicalName&$expand=OptionSet($select=Options)"
_ORG_QUERY = "$select=maxuploadfilesize,blockedattachments"
KINDS = ("PicklistAttributeMetadata", "StatusAttributeMetadata", "StateAttributeMetadata")


@dataclass(frozen=True)
class OptionSets:
    """incident option-set columns: column -> {value: label}."""

    columns: dict[str, dict[int, str]]

    def describe(self, column: str) -> str:
        return ", ".join(f"{value} {label}" for value, label in sorted(self.columns[column].items()))


def _label(option: dict[str, object]) -> str:
    label = option.get("Label")
    if isinstance(label, dict):
        user = label.get("UserLocalizedLabel")
        if isinstance(user, dict) and user.get("Label"):
            return str(user["Label"])
        for localized in label.get("LocalizedLabels") or []:
            if isinstance(localized, dict) and localized.get("Label"):
                return str(localized["Label"])
    return "?"


async def incident_option_sets(client: DataverseClient) -> OptionSets:
    columns: dict[str, dict[int, str]] = {}
    for kind in KINDS:
        resp = await client.request("GET", _ATTRS.format(kind=kind), query=_QUERY)
        for attribute in (resp.body or {}).get("value", []):
            options = (attribute.get("OptionSet") or {}).get("Options") or []
            columns[attribute["LogicalName"]] = {int(o["Value"]): _label(o) for o in options}
    return OptionSets(columns)


async def validate(client: DataverseClient, settings: DynamicsSettings) -> list[str]:
    """Every problem with [dynamics] against the organisation, each naming the setting and the fix."""
    problems: list[str] = []
    sets = await incident_option_sets(client)
    wanted = {"prioritycode": settings.default_priority} | dict(settings.ticket_properties)
    for column, value in wanted.items():
        key = "[dynamics] default_priority" if column == "prioritycode" else f"[dynamics] ticket_properties.{column}"
        if column not in sets.columns:
            known = ", ".join(sorted(sets.columns))
            problems.append(f"{key}: incident has no option-set column '{column}' (option-set columns: {known})")
        elif value not in sets.columns[column]:
            problems.append(f"{key}: {value} is not an option of incident.{column}; accepted: {sets.describe(column)}")
    checks = []
    if settings.default_queue_id:
        checks.append(("[dynamics] default_queue_id", f"queues({settings.default_queue_id})", "queueid"))
    if settings.default_owner_id:
        collection = "systemusers" if settings.default_owner_type == "systemuser" else "teams"
        key = f"{collection[:-1]}id"
        checks.append(("[dynamics] default_owner_id", f"{collection}({settings.default_owner_id})", key))
    for key, path, column in checks:
        try:
            await client.request("GET", path, query=f"$select={column}")
        except NotFound:
            problems.append(
                f"{key}: no {path.split('(')[0][:-1]} with id {path.split('(')[1][:-1]} in the organisation"
            )
    return problems


def effective_limits(configured: AttachmentLimits, org: dict[str, object]) -> AttachmentLimits:
    """The stricter of [dynamics] and the organisation row; a missing or odd value changes nothing."""
    max_encoded = configured.max_encoded
    size = org.get("maxuploadfilesize")
    if isinstance(size, int) and not isinstance(size, bool) and size > 0:
        max_encoded = min(max_encoded, size)
    blocked = configured.blocked
    listed = org.get("blockedattachments")
    if isinstance(listed, str):
        blocked |= {e.strip().lstrip(".").lower() for e in listed.split(";")} - {""}
    return AttachmentLimits(max_encoded, blocked)


async def attachment_limits(client: DataverseClient, configured: AttachmentLimits) -> AttachmentLimits:
    """Dataverse refuses a note over the organisation's MaxUploadFileSize or with one of its blocked
    extensions, and rolls the whole case back with it; reading them once lets the pipeline leave such
    files out instead. Raises the client's errors (TransientError when Dataverse is unreachable)."""
    resp = await client.request("GET", "organizations", query=_ORG_QUERY)
    rows = (resp.body or {}).get("value") or []
    return effective_limits(configured, rows[0] if rows and isinstance(rows[0], dict) else {})


async def check_contact_columns(client: DataverseClient, columns: list[str], setting: str) -> list[str]:
    """Columns handoff reads with every contact lookup must exist, or every case would park on a 400."""
    from handoff.errors import PermanentError

    problems = []
    for column in columns:
        try:
            await client.request("GET", "contacts", query=f"$select={column}&$top=1")
        except PermanentError as exc:
            problems.append(f"{setting}: contact has no column {column!r} ({exc})")
    return problems
