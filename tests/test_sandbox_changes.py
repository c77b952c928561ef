"""Change tracking in the Dataverse sandbox, as "Use change tracking to synchronize data with external
systems" describes it, over real TLS with a real msal token; and the lifecycle steps a person drives
(CloseIncident, SLA KPIs, survey responses)."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import aiohttp
import pytest

from handoff.sandbox import dataverse_admin as admin
from handoff.sandbox.dataverse import DataverseSandbox
from tests.test_sandbox_dataverse import API, Api, acquire, error_of

TRACK = {"Prefer": "odata.track-changes"}


@pytest.fixture(autouse=True)
def _trust_only_the_sandbox_ca(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


@pytest.fixture
async def sb(tmp_path: Path) -> AsyncIterator[DataverseSandbox]:
    async with DataverseSandbox(store_path=tmp_path / "store.db") as sandbox:
        yield sandbox


@pytest.fixture
async def api(sb: DataverseSandbox) -> AsyncIterator[Api]:
    result = await asyncio.to_thread(acquire, sb)
    context = ssl.create_default_context(cafile=sb.ca_file)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as session:
        yield Api(sb, session, result["access_token"])


def relative(link: str) -> str:
    """A link Dataverse handed out, as a path after /api/data/v9.2/ (still percent-encoded)."""
    parts = urlsplit(link)
    return parts.path.split(API, 1)[1] + "?" + parts.query


def token_of(link: str) -> str:
    query = dict(part.split("=", 1) for part in urlsplit(link).query.split("&"))
    return unquote(query["$deltatoken"])


async def test_initial_sync_then_only_changes_and_deletions(sb: DataverseSandbox, api: Api) -> None:
    first = await api.contact("ann@example.com", lastname="Ann")
    second = await api.contact("bob@example.com", lastname="Bob")
    status, headers, body = await api.call("GET", "contacts?$select=lastname,emailaddress1", headers=TRACK)
    assert status == 200
    assert headers["Preference-Applied"] == "odata.track-changes"
    assert body["@odata.context"].endswith("$metadata#contacts(lastname,emailaddress1)")
    assert [r["lastname"] for r in body["value"]] == ["Ann", "Bob"]
    assert set(body["value"][0]) == {"@odata.etag", "contactid", "lastname", "emailaddress1"}
    link = body["@odata.deltaLink"]
    assert "$select=lastname,emailaddress1" in link and "$deltatoken=" in link
    # The token looks like the doc's "919042!08/22/2017 08:10:44".
    assert "!" in token_of(link)

    # Nothing changed: an empty value and a new link.
    status, _, body = await api.call("GET", relative(link))
    assert (status, body["value"]) == (200, [])
    assert body["@odata.context"].endswith("/$delta")

    status, _, _ = await api.call("PATCH", f"contacts({second})", {"lastname": "Robert"})
    assert status == 204
    status, _, _ = await api.call("DELETE", f"contacts({first})")
    assert status == 204
    third = await api.contact("cy@example.com", lastname="Cy")
    status, _, body = await api.call("GET", relative(link))
    assert status == 200
    # New or updated rows first, by version; then the deletions.
    assert [r.get("lastname") for r in body["value"][:2]] == ["Robert", "Cy"]
    assert body["value"][1]["contactid"] == third
    assert body["value"][2] == {
        "@odata.context": f"{sb.url}{API.rstrip('/')}/$metadata#contacts/$deletedEntity",
        "id": first,
        "reason": "deleted",
    }
    again = body["@odata.deltaLink"]
    status, _, body = await api.call("GET", relative(again))
    assert body["value"] == []


async def test_a_change_written_by_another_process_is_in_the_next_delta(sb: DataverseSandbox, api: Api) -> None:
    contact = await api.contact()
    await api.incident(contact)
    _, _, body = await api.call("GET", "incidents?$select=statecode,ticketnumber", headers=TRACK)
    [case] = body["value"]
    # `handoff sandbox resolve` is another process with its own connection to the same store file.
    other = DataverseSandbox(store_path=sb._store.path)
    try:
        admin.resolve_case(other, case["ticketnumber"])
    finally:
        other._store.release()
    _, _, delta = await api.call("GET", relative(body["@odata.deltaLink"]))
    assert [(r["incidentid"], r["statecode"]) for r in delta["value"]] == [(case["incidentid"], 1)]


async def test_query_options_change_tracking_refuses(api: Api) -> None:
    for option in ("$filter=lastname%20eq%20'x'", "$top=1", "$orderby=lastname"):
        status, _, body = await api.call("GET", f"contacts?$select=lastname&{option}", headers=TRACK)
        name = option.split("=", 1)[0]
        assert status == 400
        assert error_of(body)[1] == f'The "{name}" query parameter isn\'t supported when Change Tracking is enabled.'


async def test_a_table_without_change_tracking_and_a_missing_privilege(sb: DataverseSandbox, api: Api) -> None:
    sb.change_tracking("slakpiinstances", False)
    status, _, body = await api.call("GET", "slakpiinstances?$select=status", headers=TRACK)
    assert status == 400
    assert error_of(body) == ("0x80072491", "Entity slakpiinstance isn't enabled for change tracking.")
    # A plain query still works: only change tracking needs the flag.
    status, _, _ = await api.call("GET", "slakpiinstances?$select=status")
    assert status == 200
    sb.change_tracking("slakpiinstances", True)
    sb.revoke_privilege("prvReadmsfp_surveyresponse")
    status, _, body = await api.call("GET", "msfp_surveyresponses?$select=msdyn_csatscore", headers=TRACK)
    assert status == 403 and "missing prvReadmsfp_surveyresponse privilege" in error_of(body)[1]


async def test_expired_tokens_are_refused_until_a_new_initial_sync(sb: DataverseSandbox, api: Api) -> None:
    await api.contact()
    _, _, body = await api.call("GET", "contacts?$select=lastname", headers=TRACK)
    link = body["@odata.deltaLink"]
    sb.expire_delta_tokens()
    status, _, body = await api.call("GET", relative(link))
    assert status == 400
    assert error_of(body) == (
        "0x80044352",
        "Version stamp associated with the client has expired. Please perform a full sync.",
    )
    status, _, body = await api.call("GET", "contacts?$select=lastname", headers=TRACK)
    assert status == 200 and len(body["value"]) == 1
    fresh = body["@odata.deltaLink"]
    assert (await api.call("GET", relative(fresh)))[0] == 200
    # Older than ExpireChangeTrackingInDays (7 by default) is expired too.
    sb.expire_change_tracking_days = 0
    assert (await api.call("GET", relative(fresh)))[0] == 400


async def test_pages_with_maxpagesize_and_changes_while_paging_are_not_lost(sb: DataverseSandbox, api: Api) -> None:
    ids = [await api.contact(f"c{n}@example.com", lastname=f"C{n}") for n in range(5)]
    headers = {"Prefer": "odata.track-changes, odata.maxpagesize=2"}
    seen: list[str] = []
    status, _, body = await api.call("GET", "contacts?$select=lastname", headers=headers)
    # A row changes while the client pages: it leaves this snapshot and is in the next delta.
    await api.call("PATCH", f"contacts({ids[4]})", {"lastname": "Changed"})
    while True:
        assert status == 200
        seen += [r["lastname"] for r in body["value"]]
        if "@odata.nextLink" not in body:
            break
        assert "@odata.deltaLink" not in body  # the delta link comes with the last page only
        status, _, body = await api.call("GET", relative(body["@odata.nextLink"]), headers=headers)
    assert seen == ["C0", "C1", "C2", "C3"]
    _, _, delta = await api.call("GET", relative(body["@odata.deltaLink"]), headers=headers)
    assert [r["lastname"] for r in delta["value"]] == ["Changed"]


async def test_formatted_values_only_when_asked(api: Api) -> None:
    contact = await api.contact("fay@example.com", firstname="Fay", lastname="Lin")
    await api.incident(contact, prioritycode=1)
    plain = await api.call("GET", "incidents?$select=prioritycode,_customerid_value")
    assert "prioritycode@OData.Community.Display.V1.FormattedValue" not in plain[2]["value"][0]
    prefer = {"Prefer": 'odata.track-changes, odata.include-annotations="*"'}
    _, _, body = await api.call("GET", "incidents?$select=prioritycode,statecode,_customerid_value", headers=prefer)
    [row] = body["value"]
    assert row["prioritycode@OData.Community.Display.V1.FormattedValue"] == "High"
    assert row["statecode@OData.Community.Display.V1.FormattedValue"] == "Active"
    assert row["_customerid_value@OData.Community.Display.V1.FormattedValue"] == "Fay Lin"
    assert row["_customerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"] == "contact"


async def test_close_incident_resolves_through_an_incident_resolution(sb: DataverseSandbox, api: Api) -> None:
    contact = await api.contact()
    await api.incident(contact)
    [case] = sb.table("incidents")
    # A statecode PATCH is refused; CloseIncident is the way (dataverse.md "Resolving needs the
    # CloseIncident action").
    status, _, _ = await api.call("PATCH", f"incidents({case['incidentid']})", {"statecode": 1, "statuscode": 5})
    assert status == 400
    body = {"IncidentResolution": {"subject": "Fixed", "incidentid@odata.bind": f"/incidents({case['incidentid']})"}}
    status, _, answer = await api.call("POST", "CloseIncident", {**body, "Status": 2})
    assert status == 400 and "Accepted Values: 5,1000" in error_of(answer)[1]
    status, _, answer = await api.call("POST", "CloseIncident", {**body, "Status": 1000})
    assert (status, answer) == (204, None)
    [resolved] = sb.table("incidents")
    assert (resolved["statecode"], resolved["statuscode"]) == (1, 1000)
    [resolution] = sb.table("incidentresolutions")
    assert resolution["_incidentid_value"] == case["incidentid"] and resolution["statecode"] == 1
    status, _, answer = await api.call("POST", "CloseIncident", {**body, "Status": 5})
    assert status == 400  # no longer active


async def test_sla_and_survey_steps_over_the_control_api(sb: DataverseSandbox, api: Api) -> None:
    contact = await api.contact("gil@example.com", lastname="Gil")
    await api.incident(contact)
    [case] = sb.table("incidents")
    ticket = case["ticketnumber"]
    context = ssl.create_default_context(cafile=sb.ca_file)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as session:

        async def control(name: str, body: dict[str, Any]) -> tuple[int, Any]:
            async with session.post(f"{sb.url}/_sandbox/{name}", json=body) as response:
                return response.status, await response.json()

        status, kpi = await control("sla", {"case": ticket, "status": "nearing"})
        assert status == 200 and kpi["status"] == 2 and kpi["name"] == "Resolve by"
        status, again = await control("sla", {"case": ticket, "status": "noncompliant"})
        assert again["slakpiinstanceid"] == kpi["slakpiinstanceid"] and again["status"] == 1
        [incident] = sb.table("incidents")
        assert incident["_resolvebykpiid_value"] == kpi["slakpiinstanceid"]
        assert incident["resolvebyslastatus"] == 3  # the case's own column: Noncompliant
        assert incident["_slaid_value"] == sb.table("slas")[0]["slaid"]
        status, response = await control("survey", {"case": ticket, "score": 2, "comment": "too slow"})
        assert status == 200
        assert (response["msdyn_csatscore"], response["msdyn_feedbackcomment"]) == (2, "too slow")
        assert response["_msdyn_caseid_value"] == case["incidentid"]
        assert response["_regardingobjectid_value"] == contact
        status, error = await control("resolve", {"case": "CAS-99999-NOPE00"})
        assert status == 400 and "no case" in error["error"]
        status, _ = await control("change_tracking", {"table": "incidents", "enabled": False})
        assert status == 200 and not sb.change_tracking_enabled("incidents")
        status, _ = await control("expire_delta_tokens", {})
        assert status == 200
    prefer = {"Prefer": 'odata.track-changes, odata.include-annotations="*"'}
    _, _, body = await api.call("GET", "msfp_surveyresponses?$select=_msdyn_surveyid_value", headers=prefer)
    assert body["value"][0]["_msdyn_surveyid_value@OData.Community.Display.V1.FormattedValue"] == (
        "Customer satisfaction"
    )
