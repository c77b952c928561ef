"""`GET EntityDefinitions(...)`: the slice of table metadata a client needs to map option labels.

Served: the table itself, `/Attributes`, and `/Attributes/Microsoft.Dynamics.CRM.{Picklist,State,Status}
AttributeMetadata` (optionally `Attributes(LogicalName='x')/...`), with `$expand=OptionSet`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from handoff.sandbox.dataverse_schema import PICKLIST, STATE, STATUS, Column, DataverseError, Entity

if TYPE_CHECKING:
    from handoff.sandbox.dataverse_api import Result, WebApi

_CAST = {
    "Microsoft.Dynamics.CRM.PicklistAttributeMetadata": PICKLIST,
    "Microsoft.Dynamics.CRM.StateAttributeMetadata": STATE,
    "Microsoft.Dynamics.CRM.StatusAttributeMetadata": STATUS,
}
_TYPE_NAMES = {PICKLIST: "Picklist", STATE: "State", STATUS: "Status"}


def _metadata_id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "handoff-sandbox-metadata:" + ":".join(parts)))


def _label(text: str) -> dict[str, Any]:
    localized = {"Label": text, "LanguageCode": 1033, "IsManaged": True}
    return {"LocalizedLabels": [localized], "UserLocalizedLabel": localized}


def _key_value(key: str | None, name: str) -> str | None:
    """`LogicalName='incident'` -> 'incident'."""
    if key is None:
        return None
    field, _, value = key.partition("=")
    if field.strip() != name or not (value.startswith("'") and value.endswith("'")):
        raise DataverseError(400, "0x80060888", f"Bad Request - Error in query syntax: '{key}'.")
    return value[1:-1]


def _options(entity: Entity, column: Column) -> list[dict[str, Any]]:
    options = []
    for value, text in (column.options or {}).items():
        option: dict[str, Any] = {"Value": value, "Color": None, "IsManaged": True, "Label": _label(text)}
        if column.kind == STATE:
            defaults = [s for s, st in (entity.columns["statuscode"].status_state or {}).items() if st == value]
            option["DefaultStatus"] = defaults[0] if defaults else None
            option["InvariantName"] = text
        if column.kind == STATUS:
            option["State"] = (column.status_state or {}).get(value)
        options.append(option)
    return options


def _attribute(entity: Entity, column: Column, expand: bool) -> dict[str, Any]:
    attribute: dict[str, Any] = {
        "@odata.type": f"#Microsoft.Dynamics.CRM.{_TYPE_NAMES[column.kind]}AttributeMetadata",
        "LogicalName": column.name,
        "MetadataId": _metadata_id(entity.logical, column.name),
        "AttributeType": _TYPE_NAMES[column.kind],
        "DisplayName": _label(column.name),
    }
    if expand:
        attribute["OptionSet"] = {
            "MetadataId": _metadata_id(entity.logical, column.name, "optionset"),
            "Name": f"{entity.logical}_{column.name}",
            "OptionSetType": _TYPE_NAMES[column.kind],
            "Options": _options(entity, column),
        }
    return attribute


def entity_definitions(api: WebApi, segments: list[str], key: str | None, options: dict[str, str]) -> Result:
    from handoff.sandbox.dataverse_api import Result, parse_segment

    logical = _key_value(key, "LogicalName")
    base = f"{api.base_url}/$metadata#EntityDefinitions"
    if logical is None:
        if len(segments) > 1:
            raise DataverseError(404, "0x8006088a", f"Resource not found for the segment '{segments[1]}'.")
        return Result(200, body={"@odata.context": base, "value": [_entity(e) for e in api.schema.values()]})
    entity = api.by_logical.get(logical)
    if entity is None:
        raise DataverseError(404, "0x80040217", f"Could not find entity with logical name '{logical}'.")
    base += f"(LogicalName='{logical}')"
    if len(segments) == 1:
        return Result(200, body={"@odata.context": f"{base}/$entity", **_entity(entity)})
    name, attribute_key = parse_segment(segments[1])
    if name != "Attributes":
        raise DataverseError(404, "0x8006088a", f"Resource not found for the segment '{segments[1]}'.")
    wanted = _key_value(attribute_key, "LogicalName")
    kinds = {PICKLIST, STATE, STATUS}
    cast = None
    if len(segments) == 3:
        cast = _CAST.get(segments[2])
        if cast is None:
            raise DataverseError(404, "0x8006088a", f"Resource not found for the segment '{segments[2]}'.")
        kinds = {cast}
    elif len(segments) > 3:
        raise DataverseError(404, "0x8006088a", f"Resource not found for the segment '{segments[3]}'.")
    expand = "OptionSet" in options.get("$expand", "")
    columns = [c for c in entity.columns.values() if c.kind in kinds]
    if wanted is not None:
        columns = [c for c in columns if c.name == wanted]
        if not columns:
            raise DataverseError(
                404, "0x80040217", f"Could not find attribute '{wanted}' of entity '{logical}' of that type."
            )
        body = _attribute(entity, columns[0], expand)
        return Result(200, body={"@odata.context": f"{base}/Attributes/$entity", **body})
    context = f"{base}/Attributes"
    if cast:
        context += f"/{segments[2]}"
    return Result(200, body={"@odata.context": context, "value": [_attribute(entity, c, expand) for c in columns]})


def _entity(entity: Entity) -> dict[str, Any]:
    return {
        "LogicalName": entity.logical,
        "EntitySetName": entity.entity_set,
        "PrimaryIdAttribute": entity.key,
        "PrimaryNameAttribute": entity.primary_name,
        "ObjectTypeCode": entity.otc,
        "MetadataId": _metadata_id(entity.logical),
    }
