"""The Case Created event and its shape per transport: pure functions, no server."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from handoff.errors import PermanentError
from handoff.model import Classification, Customer, Handoff, Sentiment, ThreadMessage
from handoff.moengage.client import MoEngageClient, basic_auth, retry_after
from handoff.moengage.payloads import (
    CASE_CREATED,
    build_request,
    case_created_event,
    clean_attributes,
    unsendable,
)
from handoff.settings import MoEngageSettings

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
INCIDENT = "6f1c2a3b-0000-4000-8000-000000000001"
CONTACT = "0b7d9e2f-0000-4000-8000-0000000000c1"


def handoff(**changes: object) -> Handoff:
    base = Handoff(
        message_id="<abc@example.com>",
        subject="Printer broken",
        customer=Customer(email="Ann.Lee@Example.com", name="Ann Lee", found_by="from"),
        messages=(
            ThreadMessage(from_email="agent@acme-support.com", body="Forwarding this one.", internal=True),
            ThreadMessage(from_email="ann.lee@example.com", body="My  printer\n\nis broken " + "again " * 100),
        ),
        classification=Classification(label="Hardware fault", category_id="hardware", confidence=0.8123),
        sentiment=Sentiment(label="negative", score=-0.4567),
    )
    return base.model_copy(update=changes)


def event(settings: MoEngageSettings | None = None, **kwargs: object):
    args: dict[str, object] = dict(
        settings=settings or MoEngageSettings(),
        handoff=handoff(),
        incident_id=INCIDENT,
        ticket_number="CAS-01000-X6J1B0",
        title="Printer broken",
        prioritycode=1,
        contact_id=CONTACT,
        now=NOW,
    )
    args.update(kwargs)
    return case_created_event(**args)  # type: ignore[arg-type]


def test_case_created_carries_the_customer_and_the_case() -> None:
    ev = event()
    assert ev.key == f"case-created:{INCIDENT}"
    assert ev.kind == "case_created"
    p = ev.payload
    assert p["customer_id"] == "ann.lee@example.com"
    assert p["updated_at"] == "2026-03-02T09:30:00Z"
    assert p["event_name"] == CASE_CREATED
    assert p["user_attributes"] == {"email": "Ann.Lee@Example.com", "first_name": "Ann", "last_name": "Lee"}
    attrs = p["event_attributes"]
    assert attrs["case_id"] == INCIDENT
    assert attrs["case_number"] == "CAS-01000-X6J1B0"
    assert attrs["title"] == "Printer broken"
    assert attrs["priority"] == "High"
    assert attrs["status"] == "Active"
    assert attrs["case_type"] == "Hardware fault"
    assert attrs["classification"] == "hardware"
    assert attrs["sentiment"] == "negative"
    assert attrs["sentiment_score"] == -0.457
    assert attrs["channel"] == "email"
    # The customer's words, not the agent's forwarding note; whitespace collapsed and short.
    assert attrs["description"].startswith("My printer is broken again")
    assert len(attrs["description"]) <= 280
    assert "problem" not in p
    json.dumps(p)  # storable as is


def test_the_key_is_stable_so_a_retried_case_writes_one_event() -> None:
    assert event().key == event(now=NOW + timedelta(hours=1)).key


def test_contact_columns_win_over_what_the_mail_said() -> None:
    contact = {"emailaddress1": "ann@corp.example", "mobilephone": "+44 7700 900123", "firstname": "Annabel"}
    p = event(contact=contact).payload
    assert p["customer_id"] == "ann@corp.example"
    assert p["user_attributes"] == {"email": "ann@corp.example", "mobile": "+44 7700 900123", "first_name": "Annabel"}


@pytest.mark.parametrize(
    ("strategy", "contact", "expected"),
    [
        ("contactid", None, CONTACT),
        ("externalid_custom", {"externalid_custom": " C-42 "}, "C-42"),
    ],
)
def test_customer_id_strategies(strategy: str, contact: dict | None, expected: str) -> None:
    assert event(MoEngageSettings(customer_id=strategy), contact=contact).payload["customer_id"] == expected


@pytest.mark.parametrize("value", [None, "", "unknown", "NULL", "0", "n/a"])
def test_a_missing_or_placeholder_customer_id_is_recorded_not_raised(value: str | None) -> None:
    # The case must not fail because of its mirror: the event is written and the sender parks it.
    ev = event(MoEngageSettings(customer_id="externalid_custom"), contact={"externalid_custom": value})
    assert ev.payload["customer_id"] is None
    assert "externalid_custom" in ev.payload["problem"]
    assert "externalid_custom" in (unsendable(ev.payload) or "")


def test_long_values_are_trimmed_to_moengage_limits() -> None:
    cleaned = clean_attributes({"x" * 300: "y" * 2000, "moe_reserved": 1, "empty": " ", "n": None, "ok": True})
    assert list(cleaned) == ["x" * 200, "ok"]
    assert len(cleaned["x" * 200]) == 512
    many = clean_attributes({f"a{i}": i for i in range(150)})
    assert len(many) == 100
    p = event(title="T" * 5000).payload
    assert len(p["event_attributes"]["title"]) == 512


def test_data_api_sends_user_and_event_in_one_transition() -> None:
    settings = MoEngageSettings(workspace_id="WS1")
    req = build_request(event().payload, settings, now=NOW + timedelta(minutes=1))
    assert (req.route, req.path, req.params) == ("transition", "/v1/transition/WS1", None)
    customer, ev = req.body["elements"]
    assert customer == {
        "type": "customer",
        "customer_id": "ann.lee@example.com",
        "attributes": {"email": "Ann.Lee@Example.com", "first_name": "Ann", "last_name": "Lee"},
    }
    assert ev["type"] == "event" and ev["customer_id"] == "ann.lee@example.com"
    (action,) = ev["actions"]
    assert action["action"] == "Case Created"
    assert action["current_time"] == "2026-03-02T09:30:00Z"
    assert action["attributes"]["case_id"] == INCIDENT


def test_data_api_without_user_attributes_uses_the_event_endpoint() -> None:
    payload = {**event().payload, "user_attributes": {}}
    req = build_request(payload, MoEngageSettings(workspace_id="WS1"), now=NOW)
    assert (req.route, req.path) == ("event", "/v1/event/WS1")
    assert req.body["actions"][0]["action"] == "Case Created"


def test_partner_sends_the_flat_body_to_the_events_webhook() -> None:
    settings = MoEngageSettings(transport="partner", config_name="acme-d365")
    req = build_request(event().payload, settings, now=NOW)
    assert (req.route, req.path, req.params) == (
        "partner_events",
        "/v1/partner/d365-service/events/",
        {"configName": "acme-d365"},
    )
    assert list(req.body) == ["customer_id", "updated_at", "user_attributes", "event_name", "event_attributes"]


def test_an_event_time_ahead_of_our_clock_is_sent_as_now() -> None:
    # MoEngage refuses future-dated events; an event is never in the future by the time it is sent.
    payload = event(now=NOW + timedelta(minutes=5)).payload
    body = build_request(payload, MoEngageSettings(transport="partner"), now=NOW).body
    assert body["updated_at"] == "2026-03-02T09:30:00Z"


def test_request_over_the_size_cap_is_refused_before_sending() -> None:
    payload = event().payload
    payload["event_attributes"] = {f"a{i}": "é" * 512 for i in range(100)}  # 100 KB+ of UTF-8
    with pytest.raises(PermanentError, match="KB limit"):
        MoEngageClient(MoEngageSettings()).request_for(payload, now=NOW)


def test_auth_and_retry_headers() -> None:
    assert basic_auth("WS", "key") == "Basic V1M6a2V5"
    assert retry_after({"Retry-After": "3"}) == 3.0
    assert retry_after({"x-ratelimit-reset": "1700000010"}, now=1700000000.0) == 10.0
    assert retry_after({}) is None
    assert "key" not in repr(MoEngageClient(MoEngageSettings(api_key="topsecret")))


def test_base_url_must_be_a_url() -> None:
    assert MoEngageClient(MoEngageSettings(data_center="02")).base_url == "https://api-02.moengage.com"
    assert MoEngageClient(MoEngageSettings(base_url="sandbox"), base_url="http://127.0.0.1:9/").base_url == (
        "http://127.0.0.1:9"
    )
    with pytest.raises(ValueError, match="base_url"):
        MoEngageClient(MoEngageSettings(base_url="sandbox"))
