"""The MoEngage emulator answers as shared/docs/moengage.md says: real HTTP on loopback, no client of ours."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from handoff.moengage.client import basic_auth
from handoff.sandbox.moengage import MoEngageSandbox

WS = "SANDBOXWORKSPACE"
AUTH = basic_auth(WS, "sandbox-key")


@pytest.fixture
async def mo() -> AsyncIterator[MoEngageSandbox]:
    async with MoEngageSandbox(workspace_id=WS, api_key="sandbox-key") as sandbox:
        yield sandbox


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def until(condition: Callable[[], bool], within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


def event_body(customer_id: Any = "ann@example.com", **action: Any) -> dict[str, Any]:
    return {
        "type": "event",
        "customer_id": customer_id,
        "actions": [{"action": "Case Created", "attributes": {"case_id": "c1"}, **action}],
    }


async def post(
    http: aiohttp.ClientSession,
    mo: MoEngageSandbox,
    path: str,
    body: Any = None,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    auth: str | None = AUTH,
) -> tuple[int, dict[str, Any], Any]:
    sent = {"Content-Type": "application/json"}
    if auth:
        sent["Authorization"] = auth
    sent.update(headers or {})
    skip = [k for k, v in sent.items() if not v]  # sent without it, not with aiohttp's default
    sent = {k: v for k, v in sent.items() if v}
    payload = data if data is not None else json.dumps(body).encode()
    async with http.post(mo.url + path, data=payload, headers=sent, skip_auto_headers=skip) as resp:
        return resp.status, await resp.json(content_type=None), resp.headers


async def test_accepts_an_event_and_records_it(mo: MoEngageSandbox, http: aiohttp.ClientSession) -> None:
    status, body, _ = await post(http, mo, f"/v1/event/{WS}", event_body(current_time=int(time.time())))
    assert status == 200
    assert body["status"] == "success"
    assert body["message"] == "Your request has been accepted and will be processed soon."
    assert len(body["request_id"]) == 8
    (entry,) = mo.accepted
    assert entry["kind"] == "event" and entry["event_name"] == "Case Created"
    assert entry["customer_id"] == "ann@example.com" and entry["attributes"] == {"case_id": "c1"}
    assert entry["request_id"] == body["request_id"] and entry["path"] == f"/v1/event/{WS}"


async def test_transition_records_user_and_event_in_order(mo: MoEngageSandbox, http: aiohttp.ClientSession) -> None:
    customer = {"type": "customer", "customer_id": "ann@example.com", "attributes": {"first_name": "Ann"}}
    status, _, _ = await post(
        http, mo, f"/v1/transition/{WS}", {"type": "transition", "elements": [customer, event_body()]}
    )
    assert status == 200
    assert [e["kind"] for e in mo.accepted] == ["user", "event"]


async def test_partner_webhook_needs_its_fields(mo: MoEngageSandbox, http: aiohttp.ClientSession) -> None:
    flat = {
        "customer_id": "ann@example.com",
        "updated_at": "2026-01-02T03:04:05Z",
        "user_attributes": {"email": "ann@example.com"},
        "event_name": "Case Created",
        "event_attributes": {"case_id": "c1"},
    }
    path = "/v1/partner/d365-service/events/?configName=handoff"
    assert (await post(http, mo, path, flat))[0] == 200
    assert [e["kind"] for e in mo.accepted] == ["user", "event"]
    status, body, _ = await post(http, mo, path, {k: v for k, v in flat.items() if k != "updated_at"})
    assert (status, body["error"]["message"]) == (400, "updated_at is not found in the payload")
    status, body, _ = await post(http, mo, "/v1/partner/d365-service/events/", flat)
    assert status == 400 and "configName" in body["error"]["message"]
    users = {k: v for k, v in flat.items() if not k.startswith("event")}
    assert (await post(http, mo, "/v1/partner/d365-service/users/?configName=handoff", users))[0] == 200


@pytest.mark.parametrize(
    ("auth", "path", "status", "message"),
    [
        (None, f"/v1/event/{WS}", 401, "Authentication Header Required"),
        ("Bearer abc", f"/v1/event/{WS}", 401, "Authentication Header Required"),
        (
            basic_auth(WS, "wrong"),
            f"/v1/event/{WS}",
            401,
            "App Secret key mismatch. Please login to the dashboard to verify key",
        ),
        (AUTH, "/v1/event/OTHERWORKSPACE", 409, "App key mismatch in params and authentication"),
    ],
)
async def test_auth(
    mo: MoEngageSandbox, http: aiohttp.ClientSession, auth: str | None, path: str, status: int, message: str
) -> None:
    got, body, _ = await post(http, mo, path, event_body(), auth=auth)
    assert (got, body["status"], body["error"]["message"]) == (status, "fail", message)
    assert body["error"]["request_id"]
    assert mo.accepted == []


async def test_content_type_size_and_json(mo: MoEngageSandbox, http: aiohttp.ClientSession) -> None:
    path = f"/v1/event/{WS}"
    status, body, _ = await post(http, mo, path, data=b"{}", headers={"Content-Type": ""})
    assert (status, body["error"]["message"]) == (400, "The Content-Type Header is required")
    status, _, _ = await post(http, mo, path, data=b"{}", headers={"Content-Type": "text/plain"})
    assert status == 415
    status, body, _ = await post(http, mo, path, data=b'{"type": "event",')
    assert (status, body["error"]["message"]) == (400, "Malformed JSON")
    big = event_body(attributes={f"a{i}": "x" * 500 for i in range(100)})
    big["actions"] *= 3
    status, body, _ = await post(http, mo, path, big)
    assert (status, body["error"]["type"], body["error"]["message"]) == (
        413,
        "PayloadTooLarge",
        "Payload size exceeds 128 KB",
    )
    assert mo.accepted == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"type": "event", "actions": [{"action": "x"}]}, "customer_id is not found in the payload"),
        ({"type": "event", "customer_id": "a@b.c", "actions": []}, "actions can not be empty Array"),
        (event_body(customer_id="unknown"), "customer_id 'unknown' is not a valid identifier"),
        (event_body(customer_id="null"), "customer_id 'null' is not a valid identifier"),
    ],
)
async def test_required_fields(mo: MoEngageSandbox, http: aiohttp.ClientSession, body: dict, message: str) -> None:
    status, answer, _ = await post(http, mo, f"/v1/event/{WS}", body)
    assert (status, answer["error"]["message"]) == (400, message)


async def test_future_dated_events_and_moe_names_are_refused(mo: MoEngageSandbox, http: aiohttp.ClientSession) -> None:
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    status, body, _ = await post(http, mo, f"/v1/event/{WS}", event_body(current_time=future))
    assert status == 400 and "future" in body["error"]["message"]
    millis = int(time.time() * 1000) - 1000  # epoch milliseconds are fine
    assert (await post(http, mo, f"/v1/event/{WS}", event_body(current_time=millis)))[0] == 200
    status, body, _ = await post(http, mo, f"/v1/event/{WS}", event_body(attributes={"moe_x": 1}))
    assert status == 400 and "moe_" in body["error"]["message"]
    long = event_body(attributes={"v": "z" * 600})
    assert (await post(http, mo, f"/v1/event/{WS}", long))[0] == 200
    assert mo.events()[-1]["truncated"] is True and len(mo.events()[-1]["attributes"]["v"]) == 512


async def test_rate_limit_answers_429_with_headers(mo: MoEngageSandbox, http: aiohttp.ClientSession) -> None:
    mo.rate_limit(per_minute=2)
    answers = [await post(http, mo, f"/v1/event/{WS}", event_body()) for _ in range(3)]
    assert [a[0] for a in answers] == [200, 200, 429]
    _, body, headers = answers[2]
    assert (body["error"]["type"], body["error"]["message"]) == ("RateLimitError", "Rate limit exceeded")
    assert headers["x-ratelimit-limit"] == "2" and headers["x-ratelimit-remaining"] == "0"
    assert int(headers["x-ratelimit-reset"]) > time.time() - 1
    assert answers[0][2]["x-ratelimit-remaining"] == "1"  # every answer carries the headers
    assert len(mo.events()) == 2


async def test_knobs_fail_down_and_drop(mo: MoEngageSandbox, http: aiohttp.ClientSession) -> None:
    path = f"/v1/event/{WS}"
    mo.fail("event", 500, times=2)
    mo.fail("*", 400, message="actions can not be empty Array")
    statuses = [(await post(http, mo, path, event_body()))[0] for _ in range(4)]
    assert statuses == [500, 500, 400, 200]
    mo.down(True)
    assert (await post(http, mo, path, event_body()))[0] == 503
    mo.down(False)
    mo.drop_response("event")
    with pytest.raises(aiohttp.ClientError):
        await post(http, mo, path, event_body())
    assert len(mo.events()) == 2  # the dropped one was processed: the client cannot know


async def test_hold_discards_a_request_whose_client_left(mo: MoEngageSandbox) -> None:
    mo.hold(True, after=1)
    async with aiohttp.ClientSession() as first:
        assert (await post(first, mo, f"/v1/event/{WS}", event_body()))[0] == 200
    session = aiohttp.ClientSession()
    task = asyncio.create_task(post(session, mo, f"/v1/event/{WS}", event_body()))
    await until(lambda: mo.held == 1)
    task.cancel()
    await session.close()
    await asyncio.sleep(0.05)
    mo.hold(False)
    await until(lambda: mo.discarded == 1)
    assert len(mo.events()) == 1
    with pytest.raises(asyncio.CancelledError):
        await task
