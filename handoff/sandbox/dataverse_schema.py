"""Column metadata of the tables the sandbox serves, and the Dataverse errors it answers with.

Only the tables and columns handoff touches are modelled; lengths and option values follow the
Microsoft reference for each table (see /work/shared/docs/dataverse.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PAYLOAD_HELP = "https://go.microsoft.com/fwlink/?linkid=2195293"


class DataverseError(Exception):
    """An error answer: HTTP status plus the `{"error":{"code","message"}}` body."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message}}


def payload_error(entity_set: str, inner: str) -> DataverseError:
    return DataverseError(
        400,
        "0x80048d19",
        f"Error identified in Payload provided by the user for Entity :'{entity_set}', For more information "
        f"on this error please follow this help link {PAYLOAD_HELP}  ---->  InnerException : "
        f"Microsoft.OData.ODataException: {inner}",
    )


def query_error(message: str) -> DataverseError:
    return DataverseError(400, "0x80060888", message)


def not_found(logical: str, record_id: str) -> DataverseError:
    return DataverseError(404, "0x80040217", f"Entity '{logical}' With Id = {record_id} Does Not Exist")


# Column kinds.
STRING = "string"  # single line of text, max_length
MEMO = "memo"  # multiple lines of text, max_length
PICKLIST = "picklist"
STATE = "state"
STATUS = "status"
BOOL = "bool"
INT = "int"
DATETIME = "datetime"
GUID = "guid"
LOOKUP = "lookup"  # _x_value, read-only; written through a navigation property
BASE64 = "base64"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    max_length: int | None = None
    options: dict[int, str] | None = None
    # False: set by the server; a value in a request body is ignored, as Dataverse does.
    writable: bool = True
    # For status options: the statecode each status belongs to.
    status_state: dict[int, int] | None = None


@dataclass(frozen=True)
class Nav:
    """A single-valued navigation property: `<name>@odata.bind` or a deep-insert object."""

    name: str
    lookup: str  # the lookup column it sets: "customerid" -> _customerid_value
    targets: tuple[str, ...]  # entity sets it may point at


@dataclass
class Entity:
    logical: str
    entity_set: str
    key: str
    otc: int
    columns: dict[str, Column] = field(default_factory=dict)
    navs: dict[str, Nav] = field(default_factory=dict)
    primary_name: str | None = None

    @property
    def type_name(self) -> str:
        return f"Microsoft.Dynamics.CRM.{self.logical}"

    def column(self, name: str) -> Column | None:
        return self.columns.get(name)

    def picklists(self) -> list[Column]:
        return [c for c in self.columns.values() if c.kind == PICKLIST]


def _cols(*columns: Column) -> dict[str, Column]:
    return {c.name: c for c in columns}


def _common(key: str) -> list[Column]:
    return [
        Column(key, GUID),
        Column("createdon", DATETIME, writable=False),
        Column("modifiedon", DATETIME, writable=False),
        Column("versionnumber", INT, writable=False),
    ]


def _owned() -> list[Column]:
    return [Column("_ownerid_value", LOOKUP, writable=False)]


OWNER = Nav("ownerid", "ownerid", ("systemusers", "teams"))
ACTIVE_INACTIVE_STATE = Column("statecode", STATE, options={0: "Active", 1: "Inactive"})
ACTIVE_INACTIVE_STATUS = Column("statuscode", STATUS, options={1: "Active", 2: "Inactive"}, status_state={1: 0, 2: 1})

INCIDENT_PICKLISTS: dict[str, dict[int, str]] = {
    "prioritycode": {1: "High", 2: "Normal", 3: "Low"},
    "caseorigincode": {1: "Phone", 2: "Email", 3: "Web", 2483: "Facebook", 3986: "Twitter", 700610000: "IoT"},
    "casetypecode": {1: "Question", 2: "Problem", 3: "Request"},
}
INCIDENT_STATE = {0: "Active", 1: "Resolved", 2: "Cancelled"}
INCIDENT_STATUS = {
    1: ("In Progress", 0),
    2: ("On Hold", 0),
    3: ("Waiting for Details", 0),
    4: ("Researching", 0),
    5: ("Problem Solved", 1),
    1000: ("Information Provided", 1),
    6: ("Cancelled", 2),
    2000: ("Merged", 2),
}
# The SLA columns of incident (incident reference: FirstResponseBySlaStatus / ResolveBySlaStatus), the
# ones MoEngage's D365 guide reads for "SLA Updated" (shared/docs/moengage.md).
INCIDENT_SLA_STATUS = {0: "In Progress", 1: "Nearing Noncompliance", 2: "Succeeded", 3: "Noncompliant"}
# slakpiinstance.status (slakpiinstance reference; the guide lists the same six).
SLA_KPI_STATUS = {
    0: "In Progress",
    1: "Noncompliant",
    2: "Nearing Noncompliance",
    3: "Paused",
    4: "Succeeded",
    5: "Canceled",
}
ACTIVITY_STATE = {0: "Open", 1: "Completed", 2: "Canceled"}
EMAIL_STATE = {0: "Open", 1: "Completed", 2: "Canceled"}
EMAIL_STATUS = {
    1: ("Draft", 0),
    8: ("Failed", 0),
    2: ("Completed", 1),
    3: ("Sent", 1),
    4: ("Received", 1),
    6: ("Pending Send", 1),
    7: ("Sending", 1),
    5: ("Canceled", 2),
}
PARTICIPATION_TYPES = {
    1: "Sender",
    2: "To Recipient",
    3: "CC Recipient",
    4: "BCC Recipient",
    5: "Required attendee",
    6: "Optional attendee",
    7: "Organizer",
    8: "Regarding",
    9: "Owner",
    10: "Resource",
    11: "Customer",
}


def _status(options: dict[int, tuple[str, int]]) -> Column:
    return Column(
        "statuscode",
        STATUS,
        options={v: label for v, (label, _) in options.items()},
        status_state={v: state for v, (_, state) in options.items()},
    )


def build_schema(custom_picklists: dict[str, dict[int, str]] | None = None) -> dict[str, Entity]:
    """All tables by entity set name; `custom_picklists` adds incident option-set columns."""
    custom = {name: dict(options) for name, options in (custom_picklists or {}).items()}
    entities = [
        Entity(
            "contact",
            "contacts",
            "contactid",
            2,
            _cols(
                *_common("contactid"),
                *_owned(),
                Column("firstname", STRING, 50),
                Column("lastname", STRING, 50),
                Column("fullname", STRING, 160, writable=False),
                Column("emailaddress1", STRING, 100),
                Column("emailaddress2", STRING, 100),
                Column("emailaddress3", STRING, 100),
                Column("mobilephone", STRING, 50),
                Column("telephone1", STRING, 50),
                Column("description", MEMO, 2000),
                ACTIVE_INACTIVE_STATE,
                ACTIVE_INACTIVE_STATUS,
            ),
            {"ownerid": OWNER},
            primary_name="fullname",
        ),
        Entity(
            "account",
            "accounts",
            "accountid",
            1,
            _cols(
                *_common("accountid"),
                *_owned(),
                Column("name", STRING, 160),
                Column("emailaddress1", STRING, 100),
                Column("telephone1", STRING, 50),
                ACTIVE_INACTIVE_STATE,
                ACTIVE_INACTIVE_STATUS,
            ),
            {"ownerid": OWNER},
            primary_name="name",
        ),
        Entity(
            "incident",
            "incidents",
            "incidentid",
            112,
            _cols(
                *_common("incidentid"),
                *_owned(),
                Column("title", STRING, 200),
                Column("description", MEMO, 2000),
                Column("ticketnumber", STRING, 100),
                *(Column(name, PICKLIST, options=opts) for name, opts in INCIDENT_PICKLISTS.items()),
                *(Column(name, PICKLIST, options=opts) for name, opts in custom.items()),
                Column("statecode", STATE, options=INCIDENT_STATE),
                _status(INCIDENT_STATUS),
                Column("_customerid_value", LOOKUP, writable=False),
                Column("_slaid_value", LOOKUP, writable=False),
                Column("_firstresponsebykpiid_value", LOOKUP, writable=False),
                Column("_resolvebykpiid_value", LOOKUP, writable=False),
                Column("firstresponseslastatus", PICKLIST, options=INCIDENT_SLA_STATUS),
                Column("resolvebyslastatus", PICKLIST, options=INCIDENT_SLA_STATUS),
            ),
            {
                "customerid_contact": Nav("customerid_contact", "customerid", ("contacts",)),
                "customerid_account": Nav("customerid_account", "customerid", ("accounts",)),
                "ownerid": OWNER,
                "slaid": Nav("slaid", "slaid", ("slas",)),
                "firstresponsebykpiid": Nav("firstresponsebykpiid", "firstresponsebykpiid", ("slakpiinstances",)),
                "resolvebykpiid": Nav("resolvebykpiid", "resolvebykpiid", ("slakpiinstances",)),
            },
            primary_name="title",
        ),
        # What closes a case: CloseIncident creates one (incidentresolution reference).
        Entity(
            "incidentresolution",
            "incidentresolutions",
            "activityid",
            4206,
            _cols(
                *_common("activityid"),
                *_owned(),
                Column("subject", STRING, 200),
                Column("description", MEMO, 2000),
                Column("timespent", INT),
                Column("statecode", STATE, options=ACTIVITY_STATE),
                _status({1: ("Open", 0), 2: ("Closed", 1), 3: ("Canceled", 2)}),
                Column("_incidentid_value", LOOKUP, writable=False),
            ),
            {"incidentid": Nav("incidentid", "incidentid", ("incidents",)), "ownerid": OWNER},
            primary_name="subject",
        ),
        Entity(
            "sla",
            "slas",
            "slaid",
            9750,
            _cols(*_common("slaid"), *_owned(), Column("name", STRING, 160)),
            {"ownerid": OWNER},
            primary_name="name",
        ),
        # One KPI of an SLA applied to a record ("Resolve by", "First response by"); `status` is what the
        # SLA engine moves and what "SLA Updated" reports.
        Entity(
            "slakpiinstance",
            "slakpiinstances",
            "slakpiinstanceid",
            9752,
            _cols(
                *_common("slakpiinstanceid"),
                *_owned(),
                Column("name", STRING, 100),
                Column("status", PICKLIST, options=SLA_KPI_STATUS),
                Column("warningtime", DATETIME),
                Column("failuretime", DATETIME),
                Column("succeededon", DATETIME),
                Column("_regarding_value", LOOKUP, writable=False),
            ),
            {"regarding_incident": Nav("regarding_incident", "regarding", ("incidents",)), "ownerid": OWNER},
            primary_name="name",
        ),
        # Dynamics 365 Customer Voice. The columns are the ones MoEngage's D365 guide reads for "Survey
        # Response Received" (msdyn_csatscore, msdyn_feedbackcomment, _msdyn_caseid_value,
        # _msdyn_surveyid_value, _regardingobjectid_value); the survey's name is the lookup's formatted value.
        Entity(
            "msfp_survey",
            "msfp_surveys",
            "msfp_surveyid",
            10244,
            _cols(*_common("msfp_surveyid"), *_owned(), Column("msfp_name", STRING, 200)),
            {"ownerid": OWNER},
            primary_name="msfp_name",
        ),
        Entity(
            "msfp_surveyresponse",
            "msfp_surveyresponses",
            "activityid",
            10245,
            _cols(
                *_common("activityid"),
                *_owned(),
                Column("subject", STRING, 400),
                Column("msdyn_csatscore", INT),
                Column("msdyn_feedbackcomment", MEMO, 10_000),
                Column("statecode", STATE, options=ACTIVITY_STATE),
                _status({1: ("Open", 0), 2: ("Completed", 1), 3: ("Canceled", 2)}),
                Column("_msdyn_surveyid_value", LOOKUP, writable=False),
                Column("_msdyn_caseid_value", LOOKUP, writable=False),
                Column("_regardingobjectid_value", LOOKUP, writable=False),
            ),
            {
                "msdyn_surveyid": Nav("msdyn_surveyid", "msdyn_surveyid", ("msfp_surveys",)),
                "msdyn_caseid": Nav("msdyn_caseid", "msdyn_caseid", ("incidents",)),
                "regardingobjectid_contact": Nav("regardingobjectid_contact", "regardingobjectid", ("contacts",)),
                "regardingobjectid_incident": Nav("regardingobjectid_incident", "regardingobjectid", ("incidents",)),
                "ownerid": OWNER,
            },
            primary_name="subject",
        ),
        Entity(
            "annotation",
            "annotations",
            "annotationid",
            5,
            _cols(
                *_common("annotationid"),
                *_owned(),
                Column("subject", STRING, 500),
                Column("notetext", MEMO, 100_000),
                Column("filename", STRING, 255),
                Column("mimetype", STRING, 256),
                Column("documentbody", BASE64),
                Column("isdocument", BOOL, writable=False),
                Column("filesize", INT, writable=False),
                Column("objecttypecode", STRING, writable=False),
                Column("_objectid_value", LOOKUP, writable=False),
            ),
            {
                "objectid_incident": Nav("objectid_incident", "objectid", ("incidents",)),
                "objectid_contact": Nav("objectid_contact", "objectid", ("contacts",)),
                "ownerid": OWNER,
            },
            primary_name="subject",
        ),
        Entity(
            "email",
            "emails",
            "activityid",
            4202,
            _cols(
                *_common("activityid"),
                *_owned(),
                Column("subject", STRING, 400),
                Column("description", MEMO, 1_048_576),
                Column("directioncode", BOOL),
                # When the mail was sent; writable in Dataverse (email reference, ActualStart/ActualEnd).
                Column("actualstart", DATETIME),
                Column("actualend", DATETIME),
                Column("messageid", STRING, 320),
                Column("sender", STRING, 250),
                Column("torecipients", STRING, 500),
                Column("statecode", STATE, options=EMAIL_STATE),
                _status(EMAIL_STATUS),
                Column("_regardingobjectid_value", LOOKUP, writable=False),
                Column("email_activity_parties", "parties", writable=False),
            ),
            {
                "regardingobjectid_incident": Nav("regardingobjectid_incident", "regardingobjectid", ("incidents",)),
                "regardingobjectid_contact": Nav("regardingobjectid_contact", "regardingobjectid", ("contacts",)),
                "ownerid": OWNER,
            },
            primary_name="subject",
        ),
        Entity(
            "queueitem",
            "queueitems",
            "queueitemid",
            2029,
            _cols(
                *_common("queueitemid"),
                Column("title", STRING, 300, writable=False),
                Column("objecttypecode", STRING, writable=False),
                Column("enteredon", DATETIME, writable=False),
                ACTIVE_INACTIVE_STATE,
                ACTIVE_INACTIVE_STATUS,
                Column("_queueid_value", LOOKUP, writable=False),
                Column("_objectid_value", LOOKUP, writable=False),
                Column("_workerid_value", LOOKUP, writable=False),
            ),
            {
                "queueid": Nav("queueid", "queueid", ("queues",)),
                "objectid_incident": Nav("objectid_incident", "objectid", ("incidents",)),
                "workerid_systemuser": Nav("workerid_systemuser", "workerid", ("systemusers",)),
            },
            primary_name="title",
        ),
        Entity(
            "queue",
            "queues",
            "queueid",
            2020,
            _cols(*_common("queueid"), *_owned(), Column("name", STRING, 400), Column("emailaddress", STRING, 100)),
            {"ownerid": OWNER},
            primary_name="name",
        ),
        Entity(
            "systemuser",
            "systemusers",
            "systemuserid",
            8,
            _cols(
                *_common("systemuserid"),
                Column("firstname", STRING, 64),
                Column("lastname", STRING, 64),
                Column("fullname", STRING, 200, writable=False),
                Column("internalemailaddress", STRING, 100),
                Column("domainname", STRING, 1024),
                Column("applicationid", GUID),
                Column("isdisabled", BOOL),
            ),
            {},
            primary_name="fullname",
        ),
        Entity(
            "team",
            "teams",
            "teamid",
            9,
            _cols(*_common("teamid"), Column("name", STRING, 160), Column("emailaddress", STRING, 100)),
            {},
            primary_name="name",
        ),
        # The one row of organisation-wide settings; read-only here, its values come from the sandbox's
        # attachment_limit and blocked_extensions (see WebApi.organization).
        Entity(
            "organization",
            "organizations",
            "organizationid",
            1019,
            _cols(
                Column("organizationid", GUID, writable=False),
                Column("name", STRING, 160, writable=False),
                Column("maxuploadfilesize", INT, writable=False),
                Column("blockedattachments", MEMO, 1_073_741_823, writable=False),
            ),
            {},
            primary_name="name",
        ),
    ]
    return {e.entity_set: e for e in entities}


def full_name(record: dict[str, Any]) -> str:
    """Dataverse's default 'First Last' full name format."""
    parts = [record.get("firstname"), record.get("lastname")]
    return " ".join(p for p in parts if p)
