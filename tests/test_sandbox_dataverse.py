"""The Dataverse sandbox against real clients: msal for tokens, aiohttp over TLS for the Web API."""

from __future__ import annotations

import asyncio
import json
import random
import re
import ssl
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlsplit

import aiohttp
import msal
import pytest

from handoff.sandbox.dataverse import DataverseSandbox

API = "/api/data/v9.2/"


@pytest.fixture(autouse=True)
def _trust_only_the_sandbox_ca(monkeypatch: pytest.MonkeyPatch) -> None:
    # requests lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override a session's `verify`, so msal's
    # verify=ca_file is ignored while they are set.
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)


def acquire(sb: DataverseSandbox, client_id: str | None = None, secret: str | None = None) -> dict[str, Any]:
    app = msal.ConfidentialClientApplication(
        client_id or sb.client_id,
        client_credential=secret or sb.client_secret,
        authority=f"{sb.authority}/{sb.tenant_id}",
        verify=sb.ca_file,
        instance_discovery=False,
    )
    try:
        return app.acquire_token_for_client(scopes=[f"{sb.url}/.default"])
    finally:
        app.http_client.close()


class Api:
    """A thin aiohttp caller: returns (status, headers, parsed JSON or raw text or None)."""

    def __init__(self, sb: DataverseSandbox, session: aiohttp.ClientSession, token: str) -> None:
        self.sb = sb
        self.session = session
        self.token = token

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
        token: str | None = None,
    ) -> tuple[int, Any, Any]:
        all_headers = {
            "Authorization": f"Bearer {token or self.token}",
            "Accept": "application/json",
            "OData-MaxVersion": "4.0",
            "OData-Version": "4.0",
            **(headers or {}),
        }
        url = aiohttp.client.URL(self.sb.url + API + path, encoded=True)
        async with self.session.request(method, url, json=body, data=data, headers=all_headers) as response:
            text = await response.text()
            parsed: Any = None
            if text:
                parsed = json.loads(text) if response.content_type == "application/json" else text
            return response.status, response.headers, parsed

    async def contact(self, email: str = "pat@example.com", **extra: Any) -> str:
        status, headers, _ = await self.call("POST", "contacts", {"emailaddress1": email, **extra})
        assert status == 204
        return headers["OData-EntityId"].rsplit("(", 1)[1].rstrip(")")

    async def incident(self, contact_id: str, **extra: Any) -> tuple[int, Any, Any]:
        body = {"title": "Printer on fire", "customerid_contact@odata.bind": f"/contacts({contact_id})", **extra}
        return await self.call("POST", "incidents", body)


CHANNELS = {"new_channel": {1: "Email", 2: "Chat"}}


@pytest.fixture
async def sb() -> Any:
    async with DataverseSandbox(custom_picklists=CHANNELS) as sandbox:
        yield sandbox


@pytest.fixture
async def api(sb: DataverseSandbox) -> Any:
    result = await asyncio.to_thread(acquire, sb)
    context = ssl.create_default_context(cafile=sb.ca_file)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as session:
        yield Api(sb, session, result["access_token"])


def error_of(body: Any) -> tuple[str, str]:
    return body["error"]["code"], body["error"]["message"]


# ------------------------------------------------------------------------------------------ auth


async def test_real_msal_gets_a_token_that_the_web_api_accepts(sb: DataverseSandbox, api: Api) -> None:
    status, headers, body = await api.call("GET", "WhoAmI")
    assert status == 200
    assert headers["OData-Version"] == "4.0"
    assert set(body) >= {"UserId", "BusinessUnitId", "OrganizationId"}
    assert sb.token_requests == 1


async def test_token_endpoint_rejects_wrong_secret_and_unknown_client(sb: DataverseSandbox) -> None:
    wrong_secret = await asyncio.to_thread(acquire, sb, None, "not-the-secret")
    assert wrong_secret["error"] == "invalid_client"
    assert wrong_secret["error_description"].startswith("AADSTS7000215:")
    unknown = await asyncio.to_thread(acquire, sb, "11111111-1111-1111-1111-111111111111")
    assert unknown["error"] == "unauthorized_client"
    assert unknown["error_description"].startswith("AADSTS700016:")


async def test_missing_or_expired_token_is_401_with_challenge_and_empty_body(sb: DataverseSandbox, api: Api) -> None:
    status, headers, body = await api.call("GET", "incidents", token="not-a-token")
    assert status == 401
    assert body is None
    assert headers["WWW-Authenticate"].startswith(f"Bearer authorization_uri={sb.authority}/{sb.tenant_id}/")
    assert await api.call("GET", "WhoAmI") is not None
    sb.expire_tokens()
    assert (await api.call("GET", "WhoAmI"))[0] == 401


async def test_revoked_privilege_is_403(sb: DataverseSandbox, api: Api) -> None:
    contact = await api.contact()
    sb.revoke_privilege("prvCreateIncident")
    status, _, body = await api.incident(contact)
    assert status == 403
    code, message = error_of(body)
    assert code == "0x80040220"
    assert "is missing prvCreateIncident privilege" in message
    assert sb.table("incidents") == []


# ------------------------------------------------------------------------------------------ create and read


async def test_create_is_204_with_entity_id_or_201_with_selected_columns(sb: DataverseSandbox, api: Api) -> None:
    contact = await api.contact()
    status, headers, body = await api.incident(contact)
    assert status == 204 and body is None
    assert headers["OData-EntityId"].startswith(f"{sb.url}{API}incidents(")
    status, _, body = await api.call(
        "POST",
        "incidents?$select=ticketnumber,title",
        {"title": "Second", "customerid_contact@odata.bind": f"/contacts({contact})"},
        headers={"Prefer": "return=representation"},
    )
    assert status == 201
    assert set(body) == {"@odata.context", "@odata.etag", "incidentid", "ticketnumber", "title"}
    assert body["ticketnumber"].startswith("CAS-0100")
    stored = sb.table("incidents")
    assert [r["statecode"] for r in stored] == [0, 0] and stored[0]["statuscode"] == 1
    assert stored[0]["_customerid_value"] == contact
    status, _, fetched = await api.call("GET", f"incidents({body['incidentid']})?$select=title")
    assert status == 200 and fetched["title"] == "Second"
    missing = "5e0e2b1c-0000-4000-8000-000000000000"
    status, _, body = await api.call("GET", f"incidents({missing})")
    assert status == 404
    assert error_of(body) == ("0x80040217", f"Entity 'incident' With Id = {missing} Does Not Exist")


async def test_a_repeated_primary_key_is_412(api: Api) -> None:
    contact = await api.contact()
    incident_id = "8d3c0a4e-1111-4a5b-9c6d-000000000001"
    assert (await api.incident(contact, incidentid=incident_id))[0] == 204
    status, _, body = await api.incident(contact, incidentid=incident_id)
    assert status == 412
    assert error_of(body) == ("0x80040237", "A record with matching key values already exists.")


async def test_upsert_headers_make_patch_create_only_or_update_only(sb: DataverseSandbox, api: Api) -> None:
    contact = await api.contact()
    incident_id = "8d3c0a4e-1111-4a5b-9c6d-000000000002"
    body = {"title": "Via PATCH", "customerid_contact@odata.bind": f"/contacts({contact})"}
    create_only = {"If-None-Match": "*"}
    assert (await api.call("PATCH", f"incidents({incident_id})", body, create_only))[0] == 204
    status, _, error = await api.call("PATCH", f"incidents({incident_id})", body, create_only)
    # The upsert form's 412 has an empty code (dataverse.md, "412 on a create"); a POST's is 0x80040237.
    assert status == 412 and error_of(error) == ("", "A record with matching key values already exists.")
    other = "8d3c0a4e-1111-4a5b-9c6d-000000000003"
    assert (await api.call("PATCH", f"incidents({other})", {"title": "x"}, {"If-Match": "*"}))[0] == 404
    assert (await api.call("PATCH", f"incidents({incident_id})", {"title": "New"}, {"If-Match": "*"}))[0] == 204
    assert [r["title"] for r in sb.table("incidents")] == ["New"]


async def test_filter_quotes_plus_and_case(sb: DataverseSandbox, api: Api) -> None:
    sb.add_record("contacts", {"emailaddress1": "someone@example.com", "createdon": "2024-01-01T00:00:00Z"})
    older = sb.add_record(
        "contacts",
        {"emailaddress1": "O'Brien+VIP@example.com", "lastname": "O'Brien", "createdon": "2020-01-01T00:00:00Z"},
    )
    newer = await api.contact("o'brien+vip@example.com", firstname="Pat")
    literal = "o''brien+vip@example.com"
    query = quote(f"emailaddress1 eq '{literal}'", safe="")
    status, _, body = await api.call(
        "GET", f"contacts?$select=contactid,fullname&$filter={query}&$orderby=createdon%20asc&$top=2"
    )
    assert status == 200
    assert [r["contactid"] for r in body["value"]] == [older, newer]
    assert set(body["value"][0]) == {"@odata.etag", "contactid", "fullname"}
    # An unencoded + is a space, so this finds nobody.
    status, _, body = await api.call("GET", "contacts?$filter=" + quote(f"emailaddress1 eq '{literal}'", safe="+'"))
    assert status == 200 and body["value"] == []
    status, _, body = await api.call(
        "GET", "contacts?$filter=" + quote("emailaddress1 eq 'x@example.com' or firstname eq 'pat'", safe="")
    )
    assert [r["contactid"] for r in body["value"]] == [newer]
    bad = "emailaddress1 eq 'o'brien@example.com'"
    status, _, body = await api.call("GET", "contacts?$filter=" + quote(bad, safe=""))
    assert status == 400
    assert error_of(body)[1] == f"There is an unterminated literal at position {len(bad)} in '{bad}'."


async def test_validation_errors_carry_dataverse_codes_and_messages(api: Api) -> None:
    contact = await api.contact()
    status, _, body = await api.incident(contact, casetypecode=5)
    assert status == 400
    assert error_of(body) == (
        "0x8004431A",
        "A validation error occurred. The value 5 of 'casetypecode' on record of type 'incident' is outside "
        "the valid range. Accepted Values: 1,2,3",
    )
    status, _, body = await api.incident(contact, description="x" * 2001)
    assert status == 400
    assert error_of(body) == (
        "0x80044331",
        "A validation error occurred. The length of the 'description' attribute of the 'incident' entity "
        "exceeded the maximum allowed length of '2000'.",
    )
    assert (await api.incident(contact, description="x" * 2000))[0] == 204
    status, _, body = await api.incident(contact, new_color="red")
    assert status == 400
    code, message = error_of(body)
    assert code == "0x80048d19"
    assert "Invalid property 'new_color' was found in entity 'Microsoft.Dynamics.CRM.incident'" in message
    status, _, body = await api.call("GET", "contacts?$select=contactid,nickname")
    assert status == 400
    assert error_of(body) == (
        "0x80060888",
        "Could not find a property named 'nickname' on type 'Microsoft.Dynamics.CRM.contact'.",
    )
    status, _, body = await api.call("GET", "widgets")
    assert status == 404 and error_of(body)[0] == "0x8006088a"


async def test_custom_picklists_are_validated(api: Api) -> None:
    contact = await api.contact()
    assert (await api.incident(contact, new_channel=2))[0] == 204
    status, _, body = await api.incident(contact, new_channel=3)
    assert status == 400
    assert error_of(body)[1].endswith(
        "The value 3 of 'new_channel' on record of type 'incident' is outside the valid range. Accepted Values: 1,2"
    )


async def test_binds_to_missing_records_and_missing_customer(sb: DataverseSandbox, api: Api) -> None:
    missing = "0b5a1e2c-3d4e-4f50-8a6b-7c8d9e0f1a2b"
    status, _, body = await api.incident(missing)
    assert status == 404
    assert error_of(body) == ("0x80040217", f"Entity 'contact' With Id = {missing} Does Not Exist")
    status, _, body = await api.call("POST", "incidents", {"title": "Nobody's"})
    assert status == 400
    assert error_of(body) == ("0x80044410", "You should specify a parent contact or account.")
    contact = await api.contact()
    status, _, body = await api.incident(contact, **{"ownerid@odata.bind": f"/teams({missing})"})
    assert status == 404 and error_of(body)[1] == f"Entity 'team' With Id = {missing} Does Not Exist"
    team = sb.add_record("teams", {"name": "Tier 2"})
    assert (await api.incident(contact, **{"ownerid@odata.bind": f"/teams({team})"}))[0] == 204
    assert sb.table("incidents")[0]["_ownerid_value"] == team


async def test_deep_insert_creates_both_or_neither(sb: DataverseSandbox, api: Api) -> None:
    body = {"title": "New customer", "customerid_contact": {"emailaddress1": "new@example.com", "firstname": "N"}}
    assert (await api.call("POST", "incidents", body))[0] == 204
    [contact] = sb.table("contacts")
    assert sb.table("incidents")[0]["_customerid_value"] == contact["contactid"]
    bad = {"title": "x" * 201, "customerid_contact": {"emailaddress1": "other@example.com"}}
    status, _, error = await api.call("POST", "incidents", bad)
    assert status == 400 and error_of(error)[0] == "0x80044331"
    assert len(sb.table("contacts")) == 1 and len(sb.table("incidents")) == 1


async def test_duplicate_detection_only_when_asked(sb: DataverseSandbox, api: Api) -> None:
    contact = await api.contact()
    sb.duplicate_detection(True)
    assert (await api.incident(contact))[0] == 204
    assert (await api.incident(contact))[0] == 204  # the Web API skips detection by default
    body = {"title": "Printer on fire", "customerid_contact@odata.bind": f"/contacts({contact})"}
    status, _, error = await api.call("POST", "incidents", body, {"MSCRM.SuppressDuplicateDetection": "false"})
    assert status == 500 and error_of(error)[0] == "0x80040333"


# ------------------------------------------------------------------------------------------ queue


async def test_add_to_queue_moves_the_active_item_instead_of_duplicating(sb: DataverseSandbox, api: Api) -> None:
    contact = await api.contact()
    await api.incident(contact)
    incident = sb.table("incidents")[0]["incidentid"]
    first, second = sb.add_record("queues", {"name": "Support"}), sb.add_record("queues", {"name": "Billing"})
    target = {"Target": {"@odata.type": "Microsoft.Dynamics.CRM.incident", "incidentid": incident}}
    path = "queues({})/Microsoft.Dynamics.CRM.AddToQueue"
    status, _, body = await api.call("POST", path.format(first), target)
    assert status == 200
    item = body["QueueItemId"]
    assert (await api.call("POST", path.format(first), target))[2]["QueueItemId"] == item
    assert (await api.call("POST", path.format(second), target))[2]["QueueItemId"] == item
    [stored] = sb.table("queueitems")
    assert stored["_queueid_value"] == second and stored["_objectid_value"] == incident
    missing = "0b5a1e2c-3d4e-4f50-8a6b-7c8d9e0f1a2b"
    status, _, body = await api.call("POST", path.format(missing), target)
    assert status == 404 and error_of(body)[1] == f"Entity 'queue' With Id = {missing} Does Not Exist"
    assert [r["route"] for r in sb.requests[-4:]] == ["POST AddToQueue"] * 4


# ------------------------------------------------------------------------------------------ knobs


async def test_forced_429_has_retry_after_then_clears(sb: DataverseSandbox, api: Api) -> None:
    sb.fail("POST contacts", 429, retry_after=7)
    status, headers, body = await api.call("POST", "contacts", {"emailaddress1": "a@example.com"})
    assert status == 429
    assert headers["Retry-After"] == "7"
    assert error_of(body)[0] == "0x80072322"
    assert sb.table("contacts") == []
    assert (await api.call("POST", "contacts", {"emailaddress1": "a@example.com"}))[0] == 204
    sb.fail("*", 503, times=2)
    assert (await api.call("GET", "WhoAmI"))[0] == 503
    assert (await api.call("GET", "contacts"))[0] == 503
    assert (await api.call("GET", "contacts"))[0] == 200


async def test_service_protection_window_and_concurrency(sb: DataverseSandbox, api: Api) -> None:
    sb.set_limits(requests=3, window_seconds=30)
    for _ in range(3):
        assert (await api.call("GET", "WhoAmI"))[0] == 200
    status, headers, body = await api.call("GET", "WhoAmI")
    assert status == 429 and int(headers["Retry-After"]) >= 29
    assert error_of(body) == (
        "0x80072322",
        "Number of requests exceeded the limit of 3 over time window of 30 seconds.",
    )
    sb.set_limits(requests=6000, concurrent=2)
    sb.latency("GET WhoAmI", 0.3)
    results = await asyncio.gather(*(api.call("GET", "WhoAmI") for _ in range(3)))
    statuses = sorted(r[0] for r in results)
    assert statuses == [200, 200, 429]
    refused = next(r for r in results if r[0] == 429)
    assert error_of(refused[2])[0] == "0x80072326"


async def test_drop_after_commit_leaves_the_record_committed(sb: DataverseSandbox, api: Api) -> None:
    sb.drop_after_commit("POST contacts")
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.call("POST", "contacts", {"emailaddress1": "kept@example.com"})
    assert [r["emailaddress1"] for r in sb.table("contacts")] == ["kept@example.com"]
    assert sb.requests[-1]["dropped"] is True
    assert (await api.call("POST", "contacts", {"emailaddress1": "next@example.com"}))[0] == 204


async def test_fail_until_cleared_with_an_empty_code_and_routes_without_method(sb: DataverseSandbox, api: Api) -> None:
    sb.fail("GET WhoAmI", 503, times=None)
    assert [(await api.call("GET", "WhoAmI"))[0] for _ in range(4)] == [503] * 4
    sb.clear_failures("GET WhoAmI")
    assert (await api.call("GET", "WhoAmI"))[0] == 200
    sb.fail("POST contacts", 412, code="")
    status, _, body = await api.call("POST", "contacts", {"emailaddress1": "a@example.com"})
    assert status == 412 and error_of(body) == ("", "A record with matching key values already exists.")
    sb.fail("contacts", 500)  # a name alone is any method on it
    assert (await api.call("GET", "contacts"))[0] == 500
    sb.fail("$batch", 429, retry_after=2)
    status, headers, body = await api.call(
        "POST",
        "$batch",
        data=batch_body("b", [("GET", "WhoAmI", None, None)]),
        headers={"Content-Type": "multipart/mixed; boundary=b"},
    )
    assert status == 429 and headers["Retry-After"] == "2" and error_of(body)[0] == "0x80072322"


async def test_drop_rate_is_seeded_and_drops_after_the_commit(sb: DataverseSandbox, api: Api) -> None:
    sb.drop_rate("POST contacts", 0.5, seed=3)
    for n in range(20):  # POST: aiohttp resends an idempotent request once on a lost keep-alive connection
        try:
            assert (await api.call("POST", "contacts", {"emailaddress1": f"c{n}@example.com"}))[0] == 204
        except aiohttp.ServerDisconnectedError:
            pass
    rng = random.Random(3)
    dropped = [r.get("dropped", False) for r in sb.requests]
    assert dropped == [rng.random() < 0.5 for _ in range(20)]
    assert True in dropped and False in dropped
    assert len(sb.table("contacts")) == 20  # every one committed, answered or not
    sb.drop_rate("POST contacts", 0)
    assert (await api.call("POST", "contacts", {"emailaddress1": "last@example.com"}))[0] == 204
    sb.drop_rate("$batch", 1.0)  # a route name alone: any method
    headers = {"Content-Type": "multipart/mixed; boundary=b"}
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.call("POST", "$batch", data=batch_body("b", [("GET", "WhoAmI", None, None)]), headers=headers)
    assert sb.requests[-1]["dropped"] is True


async def once_listening(call: Callable[[], Awaitable[tuple[int, Any, Any]]], within: float = 15) -> int:
    """The status of `call` once the server listens again (an outage with `seconds` ends by itself)."""
    deadline = time.monotonic() + within
    while True:
        try:
            return (await call())[0]
        except aiohttp.ClientConnectionError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


async def _raw_request(sb: DataverseSandbox, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A keep-alive connection that has been answered once (so the server knows it)."""
    context = ssl.create_default_context(cafile=sb.ca_file)
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
    writer.write(f"GET {API}WhoAmI HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
    await writer.drain()
    assert (await reader.readline()).startswith(b"HTTP/1.1 401")
    return reader, writer


async def _read_until_closed(reader: asyncio.StreamReader) -> bool:
    try:
        while await asyncio.wait_for(reader.read(65536), 5):
            pass
    except (ConnectionError, ssl.SSLError):
        pass
    return True


async def test_outage_refuse_closes_the_port_and_open_connections_then_listens_again(
    sb: DataverseSandbox, api: Api
) -> None:
    url, port = sb.url, urlsplit(sb.url).port
    assert port is not None
    reader, writer = await _raw_request(sb, port)
    await sb.outage("refuse")
    assert await _read_until_closed(reader)  # the open keep-alive connection was aborted
    writer.close()
    with pytest.raises(ConnectionRefusedError):
        await asyncio.open_connection("127.0.0.1", port)
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.call("GET", "WhoAmI")
    await sb.outage(None)
    assert sb.url == url
    assert (await api.call("GET", "WhoAmI"))[0] == 200  # same port, same URL, the client never knew
    await sb.outage("refuse", seconds=0.3)
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.call("GET", "WhoAmI")
    assert await once_listening(lambda: api.call("GET", "WhoAmI")) == 200  # by itself


async def test_outage_503_answers_every_web_api_request_but_not_the_token_endpoint(
    sb: DataverseSandbox, api: Api
) -> None:
    await sb.outage("503", retry_after=3)
    status, headers, body = await api.call("GET", "WhoAmI")
    assert status == 503 and headers["Retry-After"] == "3"
    assert error_of(body) == ("0x80040216", "The service is temporarily unavailable. Please try again later.")
    headers = {"Content-Type": "multipart/mixed; boundary=b"}
    status, _, body = await api.call(
        "POST", "$batch", data=batch_body("b", [("GET", "WhoAmI", None, None)]), headers=headers
    )
    assert status == 503 and error_of(body)[0] == "0x80040216"
    assert sb.table("contacts") == []
    assert "access_token" in await asyncio.to_thread(acquire, sb)
    await sb.outage(None)
    assert (await api.call("GET", "WhoAmI"))[0] == 200
    await sb.outage("503", seconds=0.2)
    assert (await api.call("GET", "WhoAmI"))[0] == 503
    await asyncio.sleep(0.4)
    assert (await api.call("GET", "WhoAmI"))[0] == 200
    assert [r["status"] for r in sb.requests] == [503, 503, 200, 503, 200]


async def test_token_outage_takes_down_only_the_token_endpoint(sb: DataverseSandbox, api: Api) -> None:
    sb.token_outage(True)
    with pytest.raises(msal.exceptions.MsalServiceError, match="503"):  # msal raises on a 5xx
        await asyncio.to_thread(acquire, sb)
    form = {"grant_type": "client_credentials", "client_id": sb.client_id, "client_secret": sb.client_secret}
    async with api.session.post(f"{sb.authority}/{sb.tenant_id}/oauth2/v2.0/token", data=form) as response:
        assert response.status == 503
        body = await response.json()
    assert body["error"] == "temporarily_unavailable" and body["error_description"].startswith("AADSTS50196:")
    assert (await api.call("GET", "WhoAmI"))[0] == 200  # a token issued before still works
    sb.token_outage(False)
    assert "access_token" in await asyncio.to_thread(acquire, sb)


# ------------------------------------------------------------------------------------------ control API


async def control(
    session: aiohttp.ClientSession, base: str, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    """The control API takes no token."""
    async with session.request(method, f"{base}/_sandbox/{path}", json=body) as response:
        return response.status, await response.json()


async def test_control_api_sets_the_knobs_and_shows_tables_and_requests(sb: DataverseSandbox, api: Api) -> None:
    session, base = api.session, sb.url
    assert await control(session, base, "POST", "fail", {"route": "GET WhoAmI", "status": 503, "times": 2}) == (
        200,
        {"ok": True},
    )
    assert [(await api.call("GET", "WhoAmI"))[0] for _ in range(3)] == [503, 503, 200]
    assert (await control(session, base, "POST", "drop_rate", {"route": "POST contacts", "fraction": 1, "seed": 1}))[
        0
    ] == 200
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api.call("POST", "contacts", {"emailaddress1": "kept@example.com"})
    await control(session, base, "POST", "drop_rate", {"route": "POST contacts", "fraction": 0})
    status, rows = await control(session, base, "GET", "table/contacts")
    assert status == 200 and [r["emailaddress1"] for r in rows] == ["kept@example.com"]
    assert (await control(session, base, "GET", "table/widgets"))[0] == 404
    status, counts = await control(session, base, "GET", "requests")
    assert status == 200
    assert counts["total"] == 4 and counts["dropped"] == 1 and counts["by_status"] == {"503": 2, "200": 1, "204": 1}
    assert counts["by_route"]["GET WhoAmI"] == {"503": 2, "200": 1}
    # Failing until cleared, and an outage that ends by itself.
    await control(session, base, "POST", "fail", {"route": "GET WhoAmI", "status": 500, "times": None})
    assert [(await api.call("GET", "WhoAmI"))[0] for _ in range(3)] == [500] * 3
    assert (await control(session, base, "POST", "clear", {}))[0] == 200
    assert (await api.call("GET", "WhoAmI"))[0] == 200
    assert (await control(session, base, "POST", "outage", {"mode": "503", "seconds": 0.2}))[0] == 200
    assert (await api.call("GET", "WhoAmI"))[0] == 503
    await asyncio.sleep(0.4)
    assert (await api.call("GET", "WhoAmI"))[0] == 200


async def test_control_api_refuse_needs_seconds_and_comes_back_by_itself(sb: DataverseSandbox, api: Api) -> None:
    session, base = api.session, sb.url
    status, body = await control(session, base, "POST", "outage", {"mode": "refuse"})
    assert status == 400 and "seconds" in body["error"]
    assert (await control(session, base, "POST", "outage", {"mode": "sideways", "seconds": 1}))[0] == 400
    assert (await control(session, base, "POST", "fail", {"route": "GET WhoAmI"}))[0] == 400  # no status
    assert await control(session, base, "POST", "outage", {"mode": "refuse", "seconds": 0.5}) == (200, {"ok": True})
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.call("GET", "WhoAmI")
    assert await once_listening(lambda: api.call("GET", "WhoAmI")) == 200


async def test_two_sandboxes_share_records_through_the_store(tmp_path: Any) -> None:
    store = tmp_path / "dataverse.db"
    async with DataverseSandbox(store_path=store) as first, DataverseSandbox(store_path=store) as second:
        contact = first.add_record("contacts", {"emailaddress1": "shared@example.com"})
        assert [r["contactid"] for r in second.table("contacts")] == [contact]
        again = second.add_record("contacts", {"emailaddress1": "other@example.com"})
        assert again != contact  # same seed, yet no id collision
    async with DataverseSandbox(store_path=store) as third:
        assert len(third.table("contacts")) == 2


# ------------------------------------------------------------------------------------------ $batch


def batch_body(boundary: str, items: list[Any]) -> bytes:
    """items: (method, url, body, content_id[, headers]) tuples, or lists of them for a change set."""

    def operation(method: str, url: str, body: Any, content_id: str | None, headers: Any = None) -> str:
        head = "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n"
        if content_id:
            head += f"Content-ID: {content_id}\r\n"
        request = f"{method} {url} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        if body is None:
            return f"{head}\r\n{request}Accept: application/json\r\n\r\n"
        return f"{head}\r\n{request}Content-Type: application/json; type=entry\r\n\r\n{json.dumps(body)}\r\n"

    text = ""
    for index, item in enumerate(items):
        if isinstance(item, list):
            change = f"changeset_{index}"
            inner = "".join(f"--{change}\r\n{operation(*op)}" for op in item)
            text += f"--{boundary}\r\nContent-Type: multipart/mixed; boundary={change}\r\n\r\n{inner}--{change}--\r\n"
        else:
            text += f"--{boundary}\r\n{operation(*item)}"
    return (text + f"--{boundary}--\r\n").encode()


async def post_batch(api: Api, items: list[Any], prefer: str | None = None, status: int = 200) -> tuple[list[int], str]:
    """Post a $batch that must answer `status` (its own, outside the parts) and a multipart body."""
    headers = {"Content-Type": "multipart/mixed; boundary=batch_x1"}
    if prefer:
        headers["Prefer"] = prefer
    outer, response_headers, text = await api.call(
        "POST", "$batch", data=batch_body("batch_x1", items), headers=headers
    )
    assert outer == status
    assert response_headers["Content-Type"].startswith("multipart/mixed; boundary=batchresponse_")
    return [int(code) for code in re.findall(r"^HTTP/1.1 (\d{3})", text, re.MULTILINE)], text


async def test_batch_change_set_with_references_and_a_get(sb: DataverseSandbox, api: Api) -> None:
    base = f"{sb.url}{API}"
    change_set = [
        ("POST", f"{base}contacts", {"emailaddress1": "batch@example.com"}, "1"),
        ("POST", "incidents", {"title": "From batch", "customerid_contact@odata.bind": "$1"}, "2"),
        ("PATCH", "$2", {"description": "patched through $2"}, "3"),
    ]
    statuses, text = await post_batch(
        api, [change_set, ("GET", f"{API}incidents?$select=title,description", None, None)]
    )
    assert statuses == [204, 204, 204, 200]
    [contact] = sb.table("contacts")
    [incident] = sb.table("incidents")
    assert incident["_customerid_value"] == contact["contactid"]
    assert incident["description"] == "patched through $2"
    assert f"OData-EntityId: {base}incidents({incident['incidentid']})" in text
    assert '"description": "patched through $2"' in text
    assert [r["route"] for r in sb.requests] == ["POST $batch"]


async def test_batch_change_set_rolls_back_on_first_failure(sb: DataverseSandbox, api: Api) -> None:
    change_set = [
        ("POST", "contacts", {"emailaddress1": "gone@example.com"}, "1"),
        ("POST", "incidents", {"title": "Bad", "casetypecode": 9, "customerid_contact@odata.bind": "$1"}, "2"),
        ("POST", "contacts", {"emailaddress1": "never@example.com"}, "3"),
    ]
    after = ("POST", "contacts", {"emailaddress1": "after@example.com"}, None)
    # Stopped at the failure: the $batch answer itself carries the failing operation's status.
    statuses, text = await post_batch(api, [change_set, after], status=400)
    assert statuses == [400]
    assert "0x8004431A" in text and "Content-ID: 2" in text
    assert sb.table("contacts") == [] and sb.table("incidents") == []
    # Going on after it: the answer is 200, the failure only in its part.
    statuses, _ = await post_batch(api, [change_set, after], prefer="odata.continue-on-error")
    assert statuses == [400, 204]
    assert [r["emailaddress1"] for r in sb.table("contacts")] == ["after@example.com"]
    sb.fail("POST incidents", 503)
    good = [change_set[0], ("POST", "incidents", {"title": "Ok", "customerid_contact@odata.bind": "$1"}, "2")]
    assert (await post_batch(api, [good], status=503))[0] == [503]
    assert len(sb.table("contacts")) == 1
    assert (await post_batch(api, [good]))[0] == [204, 204]
    # A failing operation outside any change set stops the batch the same way.
    statuses, _ = await post_batch(
        api, [("GET", "incidents(0b5a1e2c-3d4e-4f50-8a6b-7c8d9e0f1a2b)", None, None), after], status=404
    )
    assert statuses == [404]


async def test_batch_duplicate_key_answers_412_outside_and_in_the_part(sb: DataverseSandbox, api: Api) -> None:
    contact = "0b5a1e2c-3d4e-4f50-8a6b-000000000001"
    create = [("POST", "contacts", {"contactid": contact, "emailaddress1": "dup@example.com"}, "1")]
    assert (await post_batch(api, [create]))[0] == [204]
    statuses, text = await post_batch(api, [create], status=412)
    assert statuses == [412] and "Content-ID: 1" in text
    assert '"code": "0x80040237"' in text and "A record with matching key values already exists." in text
    # The upsert form says the same with an empty code.
    upsert = [("PATCH", f"contacts({contact})", {"lastname": "Again"}, "1", {"If-None-Match": "*"})]
    statuses, text = await post_batch(api, [upsert], status=412)
    assert statuses == [412] and '"code": ""' in text
    assert len(sb.table("contacts")) == 1


async def test_batch_representation_is_dropped_when_binding_by_reference(sb: DataverseSandbox, api: Api) -> None:
    # dataverse.md, "return=representation": a create with it that binds by $n comes back without it;
    # a 201 representation has no OData-EntityId, so a later $n for it is not usable.
    base = f"{sb.url}{API}"
    representation = {"Prefer": "return=representation"}
    contact = "0b5a1e2c-3d4e-4f50-8a6b-000000000002"
    by_reference = [
        ("POST", "contacts", {"contactid": contact, "emailaddress1": "ref@example.com"}, "1"),
        (
            "POST",
            "incidents?$select=ticketnumber",
            {"title": "By $1", "customerid_contact@odata.bind": "$1"},
            "2",
            representation,
        ),
    ]
    statuses, text = await post_batch(api, [by_reference])
    assert statuses == [204, 204] and "ticketnumber" not in text
    [incident] = sb.table("incidents")
    assert f"OData-EntityId: {base}incidents({incident['incidentid']})" in text
    by_id = [
        (
            "POST",
            "incidents?$select=ticketnumber",
            {"title": "By id", "customerid_contact@odata.bind": f"/contacts({contact})"},
            "1",
            representation,
        ),
        ("PATCH", "$1", {"description": "via $1"}, "2"),
    ]
    statuses, text = await post_batch(api, [by_id], status=404)
    assert statuses == [404] and "Resource not found for the segment '$1'" in text
    statuses, text = await post_batch(api, [by_id[:1]])
    assert statuses == [201] and '"ticketnumber": "CAS-' in text and "OData-EntityId" not in text
    assert len(sb.table("incidents")) == 2


async def test_batch_refuses_get_in_change_set_and_more_than_1000_operations(api: Api) -> None:
    statuses, _ = await post_batch(api, [[("GET", "contacts", None, "1")]], status=400)
    assert statuses == [400]
    many = [("GET", "WhoAmI", None, None)] * 1001
    headers = {"Content-Type": "multipart/mixed; boundary=b"}
    status, _, body = await api.call("POST", "$batch", data=batch_body("b", many), headers=headers)
    assert status == 400 and "1000" in error_of(body)[1]


# ------------------------------------------------------------------------------------------ metadata, notes, emails


async def test_picklist_state_and_status_metadata(api: Api) -> None:
    path = (
        "EntityDefinitions(LogicalName='incident')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata"
        "?$select=LogicalName&$expand=OptionSet($select=Options)"
    )
    status, _, body = await api.call("GET", path)
    assert status == 200
    options = {
        a["LogicalName"]: {o["Value"]: o["Label"]["UserLocalizedLabel"]["Label"] for o in a["OptionSet"]["Options"]}
        for a in body["value"]
    }
    assert options["caseorigincode"][2] == "Email"
    assert options["prioritycode"] == {1: "High", 2: "Normal", 3: "Low"}
    assert options["new_channel"] == {1: "Email", 2: "Chat"}
    status, _, body = await api.call(
        "GET",
        "EntityDefinitions(LogicalName='incident')/Attributes/Microsoft.Dynamics.CRM.StatusAttributeMetadata"
        "?$select=LogicalName&$expand=OptionSet($select=Options)",
    )
    [statuscode] = body["value"]
    assert {o["Value"]: o["State"] for o in statuscode["OptionSet"]["Options"]}[5] == 1
    status, _, body = await api.call(
        "GET",
        "EntityDefinitions(LogicalName='incident')/Attributes/Microsoft.Dynamics.CRM.StateAttributeMetadata"
        "?$select=LogicalName&$expand=OptionSet($select=Options)",
    )
    assert [o["Value"] for o in body["value"][0]["OptionSet"]["Options"]] == [0, 1, 2]


async def test_annotation_size_limit_and_blocked_extensions(sb: DataverseSandbox, api: Api) -> None:
    contact = await api.contact()
    await api.incident(contact)
    incident = sb.table("incidents")[0]["incidentid"]
    sb.attachment_limit = 8
    note = {
        "subject": "log",
        "filename": "log.txt",
        "mimetype": "text/plain",
        "objectid_incident@odata.bind": f"/incidents({incident})",
    }
    status, _, body = await api.call("POST", "annotations", {**note, "documentbody": "aGVsbG8gd29ybGQ="})
    assert status == 400 and error_of(body) == ("0x80044a02", "Attachment file size is too big.")
    assert (await api.call("POST", "annotations", {**note, "documentbody": "aGVsbG8="}))[0] == 204
    status, _, body = await api.call("POST", "annotations", {**note, "filename": "run.EXE", "documentbody": "aGk="})
    assert status == 400 and error_of(body)[0] == "0x80043e09"
    [stored] = sb.table("annotations")
    assert stored["_objectid_value"] == incident and stored["filesize"] == 5 and stored["isdocument"] is True


async def test_email_activity_with_parties(sb: DataverseSandbox, api: Api) -> None:
    contact = await api.contact("customer@example.com")
    await api.incident(contact)
    incident = sb.table("incidents")[0]["incidentid"]
    email = {
        "subject": "Re: printer",
        "description": "<p>still on fire</p>",
        "directioncode": False,
        "regardingobjectid_incident@odata.bind": f"/incidents({incident})",
        "email_activity_parties": [
            {"participationtypemask": 1, "partyid_contact@odata.bind": f"/contacts({contact})"},
            {"participationtypemask": 2, "addressused": "support@handoff.localhost"},
        ],
    }
    assert (await api.call("POST", "emails", email))[0] == 204
    [stored] = sb.table("emails")
    assert stored["_regardingobjectid_value"] == incident
    parties = stored["email_activity_parties"]
    assert [(p["participationtypemask"], p["addressused"]) for p in parties] == [
        (1, "customer@example.com"),
        (2, "support@handoff.localhost"),
    ]
    bad = {**email, "email_activity_parties": [{"participationtypemask": 99, "addressused": "x@example.com"}]}
    assert (await api.call("POST", "emails", bad))[0] == 400


async def test_execution_time_limit(sb: DataverseSandbox, api: Api) -> None:
    sb.set_limits(execution_ms=40)
    sb.latency("GET WhoAmI", 0.05)
    assert (await api.call("GET", "WhoAmI"))[0] == 200
    status, headers, body = await api.call("GET", "WhoAmI")
    assert status == 429 and "Retry-After" in headers
    assert error_of(body)[0] == "0x80072321"


async def test_responses_say_what_is_left_of_the_limits(sb: DataverseSandbox, api: Api) -> None:
    # Microsoft's api-limits.md, "HTTP response headers"; the values written as captured from real
    # environments: "5999" and "1,200.00" on a first request.
    status, headers, _ = await api.call("GET", "WhoAmI")
    assert status == 200
    assert headers["x-ms-ratelimit-burst-remaining-xrm-requests"] == "5999"
    assert headers["x-ms-ratelimit-time-remaining-xrm-requests"] == "1,200.00"  # what was left when it came
    sb.set_limits(requests=100, execution_ms=10_000)
    sb.latency("GET WhoAmI", 0.05)
    await api.call("GET", "WhoAmI")
    status, headers, _ = await api.call("GET", "WhoAmI")
    assert headers["x-ms-ratelimit-burst-remaining-xrm-requests"] == "97"
    left = float(headers["x-ms-ratelimit-time-remaining-xrm-requests"].replace(",", ""))
    assert 8.0 < left <= 9.95  # the requests before it executed for 50 ms and more
    # Every admitted answer carries them, an error's and a $batch's too.
    status, headers, _ = await api.call("GET", "nosuchthings")
    assert status == 404 and headers["x-ms-ratelimit-burst-remaining-xrm-requests"] == "96"
    _, headers, _ = await api.call(
        "POST",
        "$batch",
        data=batch_body("b", [("GET", "WhoAmI", None, None)]),
        headers={"Content-Type": "multipart/mixed; boundary=b"},
    )
    assert headers["x-ms-ratelimit-burst-remaining-xrm-requests"] == "95"


async def test_command_line_prints_where_it_listens(tmp_path: Any) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "handoff.sandbox.dataverse",
        "--port",
        "0",
        "--store",
        str(tmp_path / "dv.db"),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 20)
        info = json.loads(line)
        assert info["url"].startswith("https://127.0.0.1:") and info["authority"] == info["url"]
        context = ssl.create_default_context(cafile=info["ca_file"])
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as session:
            async with session.get(f"{info['url']}{API}WhoAmI") as response:
                assert response.status == 401
            # Another process drives the knobs through the control API, without a token.
            assert await control(session, info["url"], "GET", "requests") == (
                200,
                {
                    "total": 1,
                    "dropped": 0,
                    "token_requests": 0,
                    "by_status": {"401": 1},
                    "by_route": {"GET WhoAmI": {"401": 1}},
                },
            )
            assert (await control(session, info["url"], "POST", "outage", {"mode": "refuse", "seconds": 0.5}))[0] == 200
            with pytest.raises(aiohttp.ClientConnectionError):
                await session.get(f"{info['url']}{API}WhoAmI")

            async def who_am_i() -> tuple[int, Any, Any]:
                async with session.get(f"{info['url']}{API}WhoAmI") as response:
                    return response.status, None, None

            assert await once_listening(who_am_i) == 401
    finally:
        process.terminate()
        await process.wait()
    assert process.returncode == 0


async def test_organization_row_reflects_the_attachment_limits(sb: DataverseSandbox, api: Api) -> None:
    select = "organizations?$select=maxuploadfilesize,blockedattachments"
    status, _, body = await api.call("GET", select)
    assert status == 200 and body["@odata.context"].endswith("#organizations(maxuploadfilesize,blockedattachments)")
    [row] = body["value"]
    assert row["organizationid"] == sb.organization_id and row["maxuploadfilesize"] == 5_242_880
    assert set(row["blockedattachments"].split(";")) == sb.blocked_extensions
    assert set(row) == {"@odata.etag", "organizationid", "maxuploadfilesize", "blockedattachments"}
    # Later changes show on the next read.
    sb.attachment_limit = 102_400
    sb.blocked_extensions = {".ZIP", "exe"}
    [row] = (await api.call("GET", select))[2]["value"]
    assert (row["maxuploadfilesize"], row["blockedattachments"]) == (102_400, "exe;zip")
    status, _, body = await api.call("GET", f"organizations({sb.organization_id})?$select=maxuploadfilesize")
    assert status == 200 and body["maxuploadfilesize"] == 102_400
    [stored] = sb.table("organizations")
    assert (stored["maxuploadfilesize"], stored["blockedattachments"]) == (102_400, "exe;zip")
    status, _, _ = await api.call("PATCH", f"organizations({sb.organization_id})", {"maxuploadfilesize": 1})
    assert status == 405
