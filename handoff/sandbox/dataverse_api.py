"""What the sandbox does with one Web API operation, inside a store transaction.

`WebApi.execute(op, txn)` is shared by plain requests and by the operations of a `$batch`; it
routes, checks privileges, validates the body against the column metadata, executes, and returns
a `Result` or raises `DataverseError`. Nothing here knows about HTTP connections or tokens.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from handoff.sandbox.dataverse_query import Query, order, parse_query, parse_query_string, parse_select
from handoff.sandbox.dataverse_schema import (
    BASE64,
    BOOL,
    GUID,
    INT,
    LOOKUP,
    MEMO,
    PARTICIPATION_TYPES,
    PICKLIST,
    STATE,
    STATUS,
    STRING,
    DataverseError,
    Entity,
    Nav,
    full_name,
    not_found,
    payload_error,
    query_error,
)
from handoff.sandbox.dataverse_store import Txn

if TYPE_CHECKING:
    from collections.abc import Mapping

API_PREFIX = "/api/data/v9.2"
LOOKUP_TYPE = "@Microsoft.Dynamics.CRM.lookuplogicalname"
ACTION_PREFIX = "Microsoft.Dynamics.CRM."
_GUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SEGMENT_RE = re.compile(r"^([A-Za-z_$][A-Za-z0-9_.$]*)(?:\((.*)\))?$")
_TICKET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
DEFAULT_BLOCKED_EXTENSIONS = frozenset(
    "ade adp app asa ashx asmx asp bas bat cdx cer chm class cmd com config cpl crt csh dll exe fxp hlp hta "
    "htr htw ida idc idq inf ins isp its jar js jse ksh lnk mad maf mag mam maq mar mas mat mau mav maw mda "
    "mdb mde mdt mdw mdz msc msh msh1 msh1xml msh2 msh2xml mshxml msi msp mst ops pcd pif prf prg printer pst "
    "reg rem scf scr sct shb shs shtm shtml soap stm tmp url vb vbe vbs vsmacros vss vst vsw ws wsc wsf wsh svg".split()
)
# Privilege names use the table's display schema name, not always its logical name.
PRIVILEGE_NAMES = {
    "incident": "Incident",
    "contact": "Contact",
    "account": "Account",
    "annotation": "Note",
    "email": "Activity",
    "queueitem": "QueueItem",
    "queue": "Queue",
    "systemuser": "User",
    "team": "Team",
    "organization": "Organization",
    "incidentresolution": "IncidentResolution",
    "sla": "SLA",
    "slakpiinstance": "SLAKPIInstance",
    # Custom tables' privileges carry the schema name (prvReadmsfp_surveyresponse).
    "msfp_survey": "msfp_survey",
    "msfp_surveyresponse": "msfp_surveyresponse",
}
FORMATTED = "@OData.Community.Display.V1.FormattedValue"
# Not stored: the organisation row is built from the sandbox's current settings on every read.
ORGANIZATIONS = "organizations"


@dataclass
class Operation:
    method: str
    path: str  # after /api/data/v9.2/, percent-decoded, no query
    query: str = ""  # raw query string
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None

    def prefers(self, token: str) -> bool:
        prefer = self.header("Prefer") or ""
        return any(part.strip().lower().startswith(token.lower()) for part in prefer.split(","))

    def annotations_wanted(self, term: str) -> bool:
        """`Prefer: odata.include-annotations="*"` (or naming `term`, or a `prefix.*` of it)."""
        for part in (self.header("Prefer") or "").split(","):
            name, _, value = part.strip().partition("=")
            if name.strip().lower() != "odata.include-annotations":
                continue
            for wanted in value.strip().strip('"').split(","):
                wanted = wanted.strip()
                if wanted == "*" or wanted == term or (wanted.endswith(".*") and term.startswith(wanted[:-1])):
                    return True
        return False


@dataclass
class Result:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None  # a JSON value, or None for no content
    # For $batch: the entity URL a Content-ID stands for.
    entity_url: str | None = None


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def split_url(url: str) -> tuple[str, str]:
    """An operation URL (absolute, /api/data/v9.2/..., or relative) -> (decoded path, raw query)."""
    parts = urlsplit(url)
    path = parts.path
    if API_PREFIX in path:
        path = path.split(API_PREFIX, 1)[1]
    elif path.startswith("/api/data/v9."):
        path = path.split("/", 4)[4] if path.count("/") >= 4 else ""
    return unquote(path).strip("/"), parts.query


def route_of(method: str, path: str) -> str:
    """The knob route of an operation: 'POST incidents', 'POST AddToQueue', 'GET WhoAmI', ..."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return f"{method} "
    name = segments[0].split("(", 1)[0]
    if len(segments) > 1 and name != "EntityDefinitions":
        name = segments[-1].removeprefix(ACTION_PREFIX).split("(", 1)[0]
    return f"{method} {name}"


def parse_segment(segment: str) -> tuple[str, str | None]:
    match = _SEGMENT_RE.match(segment)
    if not match:
        raise DataverseError(404, "0x8006088a", f"Resource not found for the segment '{segment}'.")
    return match.group(1), match.group(2)


def parse_guid(text: str, where: str) -> str:
    text = text.strip().strip("{}")
    if not _GUID_RE.match(text):
        raise query_error(f"Unrecognized 'Edm.Guid' literal '{text}' at '{where}'.")
    return text.lower()


class WebApi:
    def __init__(
        self,
        schema: dict[str, Entity],
        base_url: str,
        rng: random.Random,
        user_id: str,
        business_unit_id: str,
        organization_id: str,
    ) -> None:
        self.schema = schema
        self.by_logical = {e.logical: e for e in schema.values()}
        self.base_url = base_url  # https://host:port/api/data/v9.2
        self.rng = rng
        self.user_id = user_id
        self.business_unit_id = business_unit_id
        self.organization_id = organization_id
        self.revoked: set[str] = set()
        self.duplicate_detection = False
        self.attachment_limit = 5_242_880
        self.blocked_extensions: set[str] = set(DEFAULT_BLOCKED_EXTENSIONS)
        # Organization.ExpireChangeTrackingInDays: how long a delta token stays usable (7 by default).
        self.expire_change_tracking_days = 7.0

    # ----------------------------------------------------------------------------- helpers

    def new_id(self, txn: Txn) -> str:
        while True:
            candidate = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
            if not txn.id_taken(candidate):
                return candidate

    def entity_url(self, entity: Entity, record_id: str) -> str:
        return f"{self.base_url}/{entity.entity_set}({record_id})"

    def check_privilege(self, kind: str, entity: Entity) -> None:
        name = f"prv{kind}{PRIVILEGE_NAMES.get(entity.logical, entity.logical.capitalize())}"
        if name.lower() not in self.revoked:
            return
        privilege_id = uuid.uuid5(uuid.NAMESPACE_URL, f"privilege:{name}")
        raise DataverseError(
            403,
            "0x80040220",
            f"Principal user (Id={self.user_id}, type=8, roleCount=1, privilegeCount=640, accessMode=4), "
            f"is missing {name} privilege (Id={privilege_id}) on OTC={entity.otc} for entity '{entity.logical}'. "
            f"context.Caller={self.user_id}",
        )

    def entity_for(self, name: str) -> Entity:
        entity = self.schema.get(name)
        if entity is None:
            raise DataverseError(404, "0x8006088a", f"Resource not found for the segment '{name}'.")
        return entity

    def parse_body(self, op: Operation, entity_set: str) -> dict[str, Any]:
        try:
            body = json.loads(op.body or b"{}")
        except ValueError:
            raise payload_error(entity_set, "Invalid JSON. A token was not recognized in the JSON content.") from None
        if not isinstance(body, dict):
            raise payload_error(
                entity_set,
                "A node of type 'StartArray' was read from the JSON reader when trying to read the start of an entry.",
            )
        return body

    def resolve_reference(self, value: Any, nav: Nav, entity: Entity) -> tuple[Entity, str]:
        """'/contacts(<guid>)', 'contacts(<guid>)' or an absolute URL -> (target entity, id)."""
        if not isinstance(value, str):
            raise payload_error(entity.entity_set, f"Cannot convert the literal '{value}' to an entity reference.")
        path, _ = split_url(value)
        name, key = parse_segment(path.split("/")[-1] if path else value)
        if key is None or name not in nav.targets:
            raise payload_error(
                entity.entity_set,
                f"The URI '{value}' is not valid for the navigation property '{nav.name}' "
                f"of type '{entity.type_name}'.",
            )
        return self.schema[name], parse_guid(key, value)

    # ----------------------------------------------------------------------------- dispatch

    def execute(self, op: Operation, txn: Txn) -> Result:
        segments = [s for s in op.path.split("/") if s]
        if not segments:
            return Result(
                200,
                body={
                    "@odata.context": f"{self.base_url}/$metadata",
                    "value": [
                        {"name": e.entity_set, "kind": "EntitySet", "url": e.entity_set} for e in self.schema.values()
                    ],
                },
            )
        name, key = parse_segment(segments[0])
        if name == "WhoAmI" and len(segments) == 1 and op.method == "GET":
            return Result(
                200,
                body={
                    "@odata.context": f"{self.base_url}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse",
                    "BusinessUnitId": self.business_unit_id,
                    "UserId": self.user_id,
                    "OrganizationId": self.organization_id,
                },
            )
        if name == "EntityDefinitions" and op.method == "GET":
            from handoff.sandbox.dataverse_metadata import entity_definitions

            return entity_definitions(self, segments, key, parse_query_string(op.query))
        if name == "CloseIncident" and len(segments) == 1 and op.method == "POST":
            return self.close_incident(op, txn)
        entity = self.entity_for(name)
        options = parse_query_string(op.query)
        if entity.entity_set == ORGANIZATIONS and op.method != "GET":
            # Read-only here; a real organisation takes PATCH from a System Administrator.
            raise DataverseError(
                405, "0x80060888", f"The HTTP method '{op.method}' is not allowed for the resource '{op.path}'."
            )
        if len(segments) == 2:
            action = segments[1].removeprefix(ACTION_PREFIX)
            if action == "AddToQueue" and entity.entity_set == "queues" and key and op.method == "POST":
                return self.add_to_queue(op, txn, parse_guid(key, segments[0]))
            raise DataverseError(404, "0x8006088a", f"Resource not found for the segment '{segments[1]}'.")
        if len(segments) > 2:
            raise DataverseError(404, "0x8006088a", f"Resource not found for the segment '{segments[2]}'.")
        record_id = parse_guid(key, segments[0]) if key else None
        if op.method == "GET":
            if record_id is None:
                return self.list(entity, options, txn, op)
            return self.retrieve(entity, record_id, options, txn, op)
        if op.method == "POST" and record_id is None:
            return self.create_request(op, entity, options, txn)
        if op.method == "PATCH" and record_id is not None:
            return self.upsert_request(op, entity, record_id, options, txn)
        if op.method == "DELETE" and record_id is not None:
            self.check_privilege("Delete", entity)
            if txn.get(entity.entity_set, record_id) is None:
                raise not_found(entity.logical, record_id)
            txn.delete(entity.entity_set, record_id)
            return Result(204)
        raise DataverseError(
            405, "0x80060888", f"The HTTP method '{op.method}' is not allowed for the resource '{op.path}'."
        )

    # ----------------------------------------------------------------------------- reads

    def format(
        self, entity: Entity, record: dict[str, Any], query: Query, op: Operation, txn: Txn | None = None
    ) -> dict[str, Any]:
        out: dict[str, Any] = {"@odata.etag": f'W/"{record.get("versionnumber", 0)}"'}
        if query.select:
            names = [entity.key, *[n for n in query.select if n != entity.key]]
        else:
            names = [c.name for c in entity.columns.values() if c.kind != "parties"]
        annotations = op.prefers("odata.include-annotations")
        # Formatted values (the option's label, a lookup's primary name) only when asked for, as
        # Dataverse does (Web API "Formatted values": odata.include-annotations="*" or the term itself).
        formatted = annotations and op.annotations_wanted(FORMATTED[1:])
        for name in names:
            out[name] = record.get(name)
            if annotations and (name + LOOKUP_TYPE) in record:
                out[name + LOOKUP_TYPE] = record[name + LOOKUP_TYPE]
            if formatted and record.get(name) is not None:
                label = self.formatted_value(entity, name, record, txn)
                if label is not None:
                    out[name + FORMATTED] = label
        if query.expand and "email_activity_parties" in query.expand and "email_activity_parties" in record:
            out["email_activity_parties"] = record["email_activity_parties"]
        return out

    def formatted_value(self, entity: Entity, name: str, record: dict[str, Any], txn: Txn | None) -> str | None:
        column = entity.column(name)
        if column is None:
            return None
        if column.options is not None:
            return column.options.get(record[name])
        if column.kind == LOOKUP and txn is not None:
            target = self.by_logical.get(str(record.get(name + LOOKUP_TYPE) or ""))
            if target is None:
                return None
            row = txn.get(target.entity_set, str(record[name]))
            return None if row is None or not target.primary_name else row.get(target.primary_name)
        return None

    def list(self, entity: Entity, options: dict[str, str], txn: Txn, op: Operation) -> Result:
        from handoff.sandbox.dataverse_changes import is_change_request, track_changes

        if entity.entity_set != ORGANIZATIONS and is_change_request(op, options):
            return track_changes(self, entity, options, txn, op)
        self.check_privilege("Read", entity)
        query = parse_query(options, entity)
        records = [self.organization()] if entity.entity_set == ORGANIZATIONS else txn.scan(entity.entity_set)
        if query.predicate is not None:
            records = [r for r in records if query.predicate(r)]
        total = len(records)
        if query.orderby:
            records = order(records, query.orderby)
        records = records[: min(query.top, 5000) if query.top is not None else 5000]
        context = f"{self.base_url}/$metadata#{entity.entity_set}"
        if query.select:
            context += f"({','.join(query.select)})"
        body: dict[str, Any] = {"@odata.context": context}
        if query.count:
            body["@odata.count"] = total
        body["value"] = [self.format(entity, r, query, op, txn) for r in records]
        return Result(200, body=body)

    def retrieve(self, entity: Entity, record_id: str, options: dict[str, str], txn: Txn, op: Operation) -> Result:
        self.check_privilege("Read", entity)
        query = parse_query({k: v for k, v in options.items() if k in ("$select", "$expand")}, entity)
        if entity.entity_set == ORGANIZATIONS:
            record = self.organization() if record_id == self.organization_id else None
        else:
            record = txn.get(entity.entity_set, record_id)
        if record is None:
            raise not_found(entity.logical, record_id)
        return Result(200, body=self.represent(entity, record, query, op, txn))

    def organization(self) -> dict[str, Any]:
        """The organisation row as Dataverse returns it, reflecting the limits set on the sandbox now."""
        return {
            "organizationid": self.organization_id,
            "name": "handoff-sandbox",
            "maxuploadfilesize": self.attachment_limit,
            "blockedattachments": ";".join(sorted(self.blocked_extensions)),
            "versionnumber": 1,
        }

    def represent(
        self, entity: Entity, record: dict[str, Any], query: Query, op: Operation, txn: Txn | None = None
    ) -> dict[str, Any]:
        context = f"{self.base_url}/$metadata#{entity.entity_set}"
        if query.select:
            context += f"({','.join(query.select)})"
        return {"@odata.context": context + "/$entity", **self.format(entity, record, query, op, txn)}

    # ----------------------------------------------------------------------------- writes

    def create_request(self, op: Operation, entity: Entity, options: dict[str, str], txn: Txn) -> Result:
        self.check_privilege("Create", entity)
        select = parse_select(options["$select"], entity) if "$select" in options else None
        body = self.parse_body(op, entity.entity_set)
        record = self.create(entity, body, txn, op)
        return self.write_result(op, entity, record, select, created=True)

    def write_result(
        self, op: Operation, entity: Entity, record: dict[str, Any], select: list[str] | None, created: bool
    ) -> Result:
        url = self.entity_url(entity, record[entity.key])
        if op.prefers("return=representation"):
            body = self.represent(entity, record, Query(select=select), op)
            return Result(
                201 if created else 200,
                {"Preference-Applied": "return=representation"},
                body,
                entity_url=url,
            )
        return Result(204, {"OData-EntityId": url}, entity_url=url)

    def validate(self, entity: Entity, body: dict[str, Any], creating: bool) -> dict[str, Any]:
        """Check every property of a body; returns a plan: values, binds, deep inserts, parties."""
        values: dict[str, Any] = {}
        binds: dict[str, tuple[Entity, str] | None] = {}
        deep: dict[str, tuple[Entity, dict[str, Any]]] = {}
        parties: list[dict[str, Any]] | None = None
        for key, value in body.items():
            if key.startswith("@odata.") or key.startswith("@"):
                continue
            if key.endswith("@odata.bind"):
                nav_name = key[: -len("@odata.bind")]
                nav = entity.navs.get(nav_name)
                if nav is None:
                    raise payload_error(
                        entity.entity_set,
                        f"An undeclared property '{nav_name}' which only has property annotations in the payload "
                        "but no property value was found in the payload. In OData, only declared navigation "
                        "properties and declared named streams can be represented as properties without values.",
                    )
                binds[nav.lookup] = None if value is None else self.resolve_reference(value, nav, entity)
                continue
            if "@" in key:
                continue
            if key in entity.navs and isinstance(value, dict):
                nav = entity.navs[key]
                if not creating:
                    raise payload_error(entity.entity_set, f"Deep update of '{key}' is not supported.")
                target = self.schema[nav.targets[0]]
                deep[nav.lookup] = (target, value)
                continue
            if key == "email_activity_parties" and entity.logical == "email":
                if not isinstance(value, list):
                    raise payload_error(entity.entity_set, "A collection was expected for 'email_activity_parties'.")
                parties = [self.validate_party(p) for p in value]
                continue
            column = entity.column(key)
            if column is None:
                raise payload_error(
                    entity.entity_set, f"Invalid property '{key}' was found in entity '{entity.type_name}'."
                )
            if column.kind == LOOKUP:
                raise DataverseError(
                    400,
                    "0x80060888",
                    "CRM do not support direct update of Entity Reference properties, "
                    "Use Navigation properties instead.",
                )
            if not column.writable:
                continue
            values[key] = self.validate_value(entity, column.name, column.kind, value, column)
        return {"values": values, "binds": binds, "deep": deep, "parties": parties}

    def validate_value(self, entity: Entity, name: str, kind: str, value: Any, column: Any) -> Any:
        if value is None:
            return None
        if kind in (STRING, MEMO, BASE64):
            if not isinstance(value, str):
                raise payload_error(
                    entity.entity_set,
                    f"Cannot convert a primitive value to the expected type 'Edm.String' for '{name}'.",
                )
            if column.max_length is not None and len(value) > column.max_length:
                raise DataverseError(
                    400,
                    "0x80044331",
                    f"A validation error occurred. The length of the '{name}' attribute of the "
                    f"'{entity.logical}' entity exceeded the maximum allowed length of '{column.max_length}'.",
                )
            return value
        if kind in (PICKLIST, STATE, STATUS, INT):
            if isinstance(value, bool) or not isinstance(value, int):
                raise payload_error(
                    entity.entity_set, f"Cannot convert the literal '{value}' to the expected type 'Edm.Int32'."
                )
            if column.options is not None and value not in column.options:
                accepted = ",".join(str(v) for v in column.options)
                raise DataverseError(
                    400,
                    "0x8004431A",
                    f"A validation error occurred. The value {value} of '{name}' on record of type "
                    f"'{entity.logical}' is outside the valid range. Accepted Values: {accepted}",
                )
            return value
        if kind == BOOL:
            if not isinstance(value, bool):
                raise payload_error(
                    entity.entity_set, f"Cannot convert the literal '{value}' to the expected type 'Edm.Boolean'."
                )
            return value
        if kind == GUID:
            if not isinstance(value, str) or not _GUID_RE.match(value):
                raise payload_error(
                    entity.entity_set, f"Cannot convert the literal '{value}' to the expected type 'Edm.Guid'."
                )
            return value.lower()
        return value

    def validate_party(self, party: Any) -> dict[str, Any]:
        if not isinstance(party, dict):
            raise payload_error("emails", "An object was expected in 'email_activity_parties'.")
        out: dict[str, Any] = {"participationtypemask": None, "addressused": None, "target": None}
        for key, value in party.items():
            if key.startswith("@odata."):
                continue
            if key == "participationtypemask":
                if isinstance(value, bool) or not isinstance(value, int) or value not in PARTICIPATION_TYPES:
                    raise DataverseError(400, "0x80094006", f"The Activity Party type Mask '{value}' not found.")
                out[key] = value
            elif key == "addressused":
                if not isinstance(value, str) or len(value) > 320:
                    raise DataverseError(
                        400,
                        "0x80044331",
                        "A validation error occurred. The length of the 'addressused' attribute of the "
                        "'activityparty' entity exceeded the maximum allowed length of '320'.",
                    )
                out[key] = value
            elif key.startswith("partyid_") and key.endswith("@odata.bind"):
                target_set = {
                    "contact": "contacts",
                    "account": "accounts",
                    "systemuser": "systemusers",
                    "queue": "queues",
                }.get(key[len("partyid_") : -len("@odata.bind")])
                if target_set is None:
                    raise payload_error(
                        "emails",
                        f"Invalid property '{key}' was found in entity 'Microsoft.Dynamics.CRM.activityparty'.",
                    )
                out["target"] = self.resolve_reference(
                    value, Nav(key, "partyid", (target_set,)), self.by_logical["email"]
                )
            else:
                raise payload_error(
                    "emails", f"Invalid property '{key}' was found in entity 'Microsoft.Dynamics.CRM.activityparty'."
                )
        if out["participationtypemask"] is None:
            raise DataverseError(400, "0x80094006", "The Activity Party type Mask 'null' not found.")
        if out["target"] is None and not out["addressused"]:
            raise DataverseError(400, "0x80040203", "An activity party needs a party or an addressused value.")
        return out

    def create(
        self,
        entity: Entity,
        body: dict[str, Any],
        txn: Txn,
        op: Operation,
        record_id: str | None = None,
    ) -> dict[str, Any]:
        plan = self.validate(entity, body, creating=True)
        values: dict[str, Any] = plan["values"]
        supplied = values.pop(entity.key, None)
        record_id = record_id or supplied
        if record_id is not None and txn.get(entity.entity_set, record_id) is not None:
            raise DataverseError(412, "0x80040237", "A record with matching key values already exists.")
        # Deep inserts first: the related records are created in the same transaction.
        for lookup, (target, nested) in plan["deep"].items():
            self.check_privilege("Create", target)
            child = self.create(target, nested, txn, op)
            plan["binds"][lookup] = (target, child[target.key])
        record: dict[str, Any] = {}
        self.apply_binds(entity, record, plan["binds"], txn)
        record.update(values)
        self.check_entity_rules(entity, record, creating=True)
        if entity.logical == "queueitem":
            self.create_queueitem_rules(record, txn)
        if record_id is None:
            record_id = self.new_id(txn)
        stamp = now_iso()
        record[entity.key] = record_id
        record.setdefault("createdon", stamp)
        record["modifiedon"] = stamp
        record["versionnumber"] = txn.next_value("versionnumber", 1000)
        self.server_defaults(entity, record, txn)
        if plan["parties"] is not None:
            record["email_activity_parties"] = self.build_parties(plan["parties"], txn)
        self.check_duplicates(entity, record, txn, op)
        txn.insert(entity.entity_set, record_id, record)
        return record

    def apply_binds(
        self, entity: Entity, record: dict[str, Any], binds: dict[str, tuple[Entity, str] | None], txn: Txn
    ) -> None:
        for lookup, target in binds.items():
            column = f"_{lookup}_value"
            if target is None:
                record[column] = None
                record.pop(column + LOOKUP_TYPE, None)
                continue
            target_entity, target_id = target
            if txn.get(target_entity.entity_set, target_id) is None:
                raise not_found(target_entity.logical, target_id)
            record[column] = target_id
            record[column + LOOKUP_TYPE] = target_entity.logical

    def build_parties(self, parties: list[dict[str, Any]], txn: Txn) -> list[dict[str, Any]]:
        built = []
        for party in parties:
            item: dict[str, Any] = {
                "activitypartyid": self.new_id(txn),
                "participationtypemask": party["participationtypemask"],
                "addressused": party["addressused"],
                "_partyid_value": None,
            }
            if party["target"] is not None:
                target_entity, target_id = party["target"]
                target = txn.get(target_entity.entity_set, target_id)
                if target is None:
                    raise not_found(target_entity.logical, target_id)
                item["_partyid_value"] = target_id
                item["_partyid_value" + LOOKUP_TYPE] = target_entity.logical
                if not item["addressused"]:
                    item["addressused"] = target.get("emailaddress1") or target.get("internalemailaddress")
            built.append(item)
        return built

    def check_entity_rules(self, entity: Entity, record: dict[str, Any], creating: bool) -> None:
        if entity.logical == "incident" and not record.get("_customerid_value"):
            raise DataverseError(400, "0x80044410", "You should specify a parent contact or account.")
        if entity.logical == "annotation":
            body = record.get("documentbody")
            if body is not None and len(body) > self.attachment_limit:
                raise DataverseError(400, "0x80044a02", "Attachment file size is too big.")
            filename = record.get("filename")
            if filename and "." in filename:
                extension = filename.rsplit(".", 1)[1].lower()
                if extension in {e.lower().lstrip(".") for e in self.blocked_extensions}:
                    raise DataverseError(
                        400,
                        "0x80043e09",
                        "The attachment is either not a valid type or is too large. "
                        "It cannot be uploaded or downloaded.",
                    )

    def server_defaults(self, entity: Entity, record: dict[str, Any], txn: Txn) -> None:
        if "_ownerid_value" in entity.columns and not record.get("_ownerid_value"):
            record["_ownerid_value"] = self.user_id
            record["_ownerid_value" + LOOKUP_TYPE] = "systemuser"
        if "fullname" in entity.columns and (record.get("firstname") or record.get("lastname")):
            record["fullname"] = full_name(record)
        if "statecode" in entity.columns:
            status = entity.columns["statuscode"]
            if record.get("statecode") is None:
                given = record.get("statuscode")
                record["statecode"] = (status.status_state or {}).get(given, 0) if given is not None else 0
            if record.get("statuscode") is None:
                defaults = [v for v, s in (status.status_state or {}).items() if s == record["statecode"]]
                record["statuscode"] = defaults[0] if defaults else None
        if entity.logical == "incident":
            if record.get("prioritycode") is None:
                record["prioritycode"] = 2
            if not record.get("ticketnumber"):
                number = txn.next_value("ticketnumber", 1000)
                suffix = "".join(self.rng.choice(_TICKET_ALPHABET) for _ in range(6))
                record["ticketnumber"] = f"CAS-{number:05d}-{suffix}"
        if entity.logical == "annotation":
            body = record.get("documentbody")
            record["isdocument"] = bool(body or record.get("filename"))
            record["filesize"] = (len(body) * 3) // 4 - body[-2:].count("=") if body else 0
            record["objecttypecode"] = record.get("_objectid_value" + LOOKUP_TYPE)

    def check_duplicates(self, entity: Entity, record: dict[str, Any], txn: Txn, op: Operation) -> None:
        if not self.duplicate_detection:
            return
        if (op.header("MSCRM.SuppressDuplicateDetection") or "").strip().lower() != "false":
            return
        if entity.logical == "incident":
            fields = ("title", "_customerid_value")
        elif entity.logical == "contact":
            fields = ("emailaddress1",)
        else:
            return

        def key(r: dict[str, Any]) -> tuple[Any, ...]:
            return tuple((r.get(f) or "").lower() for f in fields)

        mine = key(record)
        if not all(mine):
            return
        for other in txn.scan(entity.entity_set):
            if other[entity.key] != record[entity.key] and key(other) == mine:
                raise DataverseError(
                    500,
                    "0x80040333",
                    "A record was not created or updated because a duplicate of the current record already exists.",
                )

    def upsert_request(
        self, op: Operation, entity: Entity, record_id: str, options: dict[str, str], txn: Txn
    ) -> Result:
        select = parse_select(options["$select"], entity) if "$select" in options else None
        body = self.parse_body(op, entity.entity_set)
        existing = txn.get(entity.entity_set, record_id)
        if_none_match = (op.header("If-None-Match") or "").strip()
        if_match = (op.header("If-Match") or "").strip()
        if if_none_match == "*" and existing is not None:
            # The upsert form's 412 carries an empty error code (dataverse.md, "412 on a create": "the
            # upsert form's error code is `""`, so classify by status"); a POST create has 0x80040237.
            raise DataverseError(412, "", "A record with matching key values already exists.")
        if if_match and existing is None:
            raise not_found(entity.logical, record_id)
        if if_match and if_match != "*" and if_match != f'W/"{existing.get("versionnumber")}"':
            raise DataverseError(
                412, "0x80060882", "The version of the existing record doesn't match the RowVersion property provided."
            )
        if existing is None:
            self.check_privilege("Create", entity)
            record = self.create(entity, body, txn, op, record_id=record_id)
            return self.write_result(op, entity, record, select, created=True)
        self.check_privilege("Write", entity)
        record = self.update(entity, existing, body, txn, op)
        return self.write_result(op, entity, record, select, created=False)

    def update(
        self, entity: Entity, existing: dict[str, Any], body: dict[str, Any], txn: Txn, op: Operation
    ) -> dict[str, Any]:
        plan = self.validate(entity, body, creating=False)
        values = plan["values"]
        values.pop(entity.key, None)
        if entity.logical == "incident" and values.get("statecode") in (1, 2) and existing.get("statecode") == 0:
            raise DataverseError(
                400,
                "0x80040203",
                "This message can not be used to set the state of Case to Resolved. In order to set state of "
                "Case to Resolved, use the CloseIncidentRequest message instead.",
            )
        record = dict(existing)
        self.apply_binds(entity, record, plan["binds"], txn)
        record.update(values)
        self.check_entity_rules(entity, record, creating=False)
        if "fullname" in entity.columns and ("firstname" in values or "lastname" in values):
            record["fullname"] = full_name(record) or None
        if entity.logical == "annotation":
            self.server_defaults(entity, record, txn)
        if plan["parties"] is not None:
            record["email_activity_parties"] = self.build_parties(plan["parties"], txn)
        record["modifiedon"] = now_iso()
        record["versionnumber"] = txn.next_value("versionnumber", 1000)
        self.check_duplicates(entity, record, txn, op)
        txn.update(entity.entity_set, record[entity.key], record)
        return record

    # ----------------------------------------------------------------------------- actions

    def close_incident(self, op: Operation, txn: Txn) -> Result:
        """`POST CloseIncident` {"IncidentResolution": {..., "incidentid@odata.bind": "/incidents(<id>)"},
        "Status": 5}: an unbound action that creates the incidentresolution and resolves the case, 204
        (CloseIncident Action, Web API action reference). Status -1 takes the default resolved status."""
        incidents, resolutions = self.schema["incidents"], self.schema["incidentresolutions"]
        body = self.parse_body(op, "incidentresolutions")
        resolution = body.get("IncidentResolution")
        if not isinstance(resolution, dict):
            raise DataverseError(400, "0x80040203", "Required field 'IncidentResolution' is missing")
        status = body.get("Status")
        if isinstance(status, bool) or not isinstance(status, int):
            raise DataverseError(400, "0x80040203", "Required field 'Status' is missing")
        resolved = {v for v, s in (incidents.columns["statuscode"].status_state or {}).items() if s == 1}
        if status == -1:
            status = min(resolved)
        if status not in resolved:
            accepted = ",".join(str(v) for v in sorted(resolved))
            raise DataverseError(
                400,
                "0x8004431A",
                f"A validation error occurred. The value {status} of 'statuscode' on record of type 'incident' is "
                f"outside the valid range. Accepted Values: {accepted}",
            )
        self.check_privilege("Write", incidents)
        self.check_privilege("Create", resolutions)
        plan = self.validate(resolutions, resolution, creating=True)
        target = plan["binds"].get("incidentid")
        if target is None:
            raise DataverseError(400, "0x80040203", "IncidentResolution needs incidentid@odata.bind")
        incident = txn.get("incidents", target[1])
        if incident is None:
            raise not_found("incident", target[1])
        if incident.get("statecode") != 0:
            # The sandbox's own wording: only an active case can be closed.
            raise DataverseError(400, "0x80040203", "The case is not active and cannot be resolved.")
        record = self.create(resolutions, resolution, txn, op)
        record.update(statecode=1, statuscode=2)
        txn.update("incidentresolutions", record["activityid"], record)
        incident.update(statecode=1, statuscode=status, modifiedon=now_iso())
        incident["versionnumber"] = txn.next_value("versionnumber", 1000)
        txn.update("incidents", incident["incidentid"], incident)
        return Result(204)

    def add_to_queue(self, op: Operation, txn: Txn, queue_id: str) -> Result:
        queues = self.schema["queues"]
        items = self.schema["queueitems"]
        self.check_privilege("AppendTo", queues)
        body = self.parse_body(op, "queues")
        target = body.get("Target")
        if not isinstance(target, dict):
            raise DataverseError(400, "0x80040203", "Required field 'Target' is missing")
        type_name = str(target.get("@odata.type", "")).removeprefix("#").removeprefix(ACTION_PREFIX)
        target_entity = self.by_logical.get(type_name)
        if target_entity is None:
            raise DataverseError(400, "0x80040203", f"Invalid '@odata.type' of Target: '{type_name}'.")
        if not isinstance(target.get(target_entity.key), str):
            raise DataverseError(400, "0x80040203", f"Target is missing '{target_entity.key}'.")
        target_id = parse_guid(target[target_entity.key], "Target")
        if txn.get("queues", queue_id) is None:
            raise not_found("queue", queue_id)
        record = txn.get(target_entity.entity_set, target_id)
        if record is None:
            raise not_found(target_entity.logical, target_id)
        stamp = now_iso()
        for item in txn.find("queueitems", "_objectid_value", target_id):
            if item.get("statecode") == 0:
                # AddToQueue moves the active item: repeating it never duplicates.
                if item.get("_queueid_value") != queue_id:
                    item["_queueid_value"] = queue_id
                    item["enteredon"] = stamp
                    item["modifiedon"] = stamp
                    item["versionnumber"] = txn.next_value("versionnumber", 1000)
                    txn.update("queueitems", item["queueitemid"], item)
                return self.queue_result(item["queueitemid"])
        self.check_privilege("Create", items)
        item_id = self.new_id(txn)
        item = {
            "queueitemid": item_id,
            "title": record.get(target_entity.primary_name or "", None),
            "objecttypecode": target_entity.logical,
            "enteredon": stamp,
            "createdon": stamp,
            "modifiedon": stamp,
            "versionnumber": txn.next_value("versionnumber", 1000),
            "statecode": 0,
            "statuscode": 1,
            "_queueid_value": queue_id,
            "_queueid_value" + LOOKUP_TYPE: "queue",
            "_objectid_value": target_id,
            "_objectid_value" + LOOKUP_TYPE: target_entity.logical,
            "_workerid_value": None,
        }
        txn.insert("queueitems", item_id, item)
        return self.queue_result(item_id)

    def queue_result(self, item_id: str) -> Result:
        return Result(
            200,
            body={
                "@odata.context": f"{self.base_url}/$metadata#Microsoft.Dynamics.CRM.AddToQueueResponse",
                "QueueItemId": item_id,
            },
        )

    def create_queueitem_rules(self, record: dict[str, Any], txn: Txn) -> None:
        """A direct queueitem create fails when the object already has an active item."""
        target = record.get("_objectid_value")
        if not isinstance(target, str):
            return  # no object: nothing to collide with
        for item in txn.find("queueitems", "_objectid_value", target):
            if item.get("statecode") == 0:
                raise DataverseError(
                    400,
                    "0x80040526",
                    "An active queue item already exists for the given object. Cannot create more than one "
                    "active queue item for this object.",
                )
