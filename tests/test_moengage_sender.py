"""The outbox sender against the MoEngage emulator on loopback and a real SQLite spool file."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import textwrap
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from handoff.model import Classification, Customer, Handoff, Sentiment, ThreadMessage
from handoff.moengage.payloads import case_created_event
from handoff.moengage.sender import MoEngageSender
from handoff.sandbox.moengage import MoEngageSandbox
from handoff.settings import MoEngageSettings
from handoff.spool.sqlite import SqliteSpool

REPO = Path(__file__).resolve().parents[1]


def fast(**changes: Any) -> MoEngageSettings:
    values: dict[str, Any] = dict(
        enabled=True,
        api_key="sandbox-key",  # the emulator's
        retry={"base_seconds": 0.02, "max_seconds": 0.2},
        poll_seconds=0.02,
        timeout_seconds=2,
        lease_seconds=5,
    )
    values.update(changes)
    return MoEngageSettings(**values)


@pytest.fixture
async def mo() -> AsyncIterator[MoEngageSandbox]:
    async with MoEngageSandbox(workspace_id="SANDBOXWORKSPACE", api_key="sandbox-key") as sandbox:
        yield sandbox


def incident(n: int) -> str:
    return f"6f1c2a3b-0000-4000-8000-{n:012d}"


async def record_cases(spool: SqliteSpool, count: int, settings: MoEngageSettings | None = None) -> list[int]:
    """Cases as the worker records them: the incident and its event in one transaction."""
    settings = settings or fast()
    ids = []
    for n in range(count):
        await spool.enqueue(f"Subject: case {n}\r\n\r\nhelp".encode(), f"c{n}@example.com", ["cases@handoff.test"])
        item = await spool.claim(60)
        assert item is not None
        handoff = Handoff(
            message_id=f"<m{n}@example.com>",
            subject=f"Printer {n} broken",
            customer=Customer(email=f"C{n}@Example.com", name=f"Cus Tomer{n}", found_by="from"),
            messages=(ThreadMessage(from_email=f"c{n}@example.com", body="The printer jams on every page."),),
            classification=Classification(label="Hardware fault", category_id="hardware", confidence=0.9),
            sentiment=Sentiment(label="negative", score=-0.5),
        )
        event = case_created_event(
            settings=settings,
            handoff=handoff,
            incident_id=incident(n),
            ticket_number=f"CAS-{n:05d}-X6J1B0",
            title=f"Printer {n} broken",
            prioritycode=2,
            contact_id=f"0b7d9e2f-0000-4000-8000-{n:012d}",
        )
        await spool.finish_created(item.id, incident(n), f"CAS-{n:05d}", {"message_id": handoff.message_id}, [event])
        ids.append(item.id)
    return ids


async def until(condition: Callable[[], Any], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not await _value(condition()):
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def _value(value: Any) -> Any:
    return await value if asyncio.iscoroutine(value) else value


def case_ids(mo: MoEngageSandbox) -> Counter[str]:
    return Counter(e["attributes"]["case_id"] for e in mo.events())


@pytest.mark.parametrize("transport", ["data_api", "partner"])
async def test_case_created_arrives_with_its_fields(spool: SqliteSpool, mo: MoEngageSandbox, transport: str) -> None:
    await record_cases(spool, 1)
    sender = MoEngageSender(fast(transport=transport, config_name="acme"), spool, base_url=mo.url)
    assert await sender.drain() == {"sent": 1}

    (user,) = mo.users()
    (event,) = mo.events()
    assert user["customer_id"] == event["customer_id"] == "c0@example.com"
    assert user["attributes"] == {"email": "C0@Example.com", "first_name": "Cus", "last_name": "Tomer0"}
    assert event["event_name"] == "Case Created"
    assert event["attributes"] == {
        "case_id": incident(0),
        "case_number": "CAS-00000-X6J1B0",
        "title": "Printer 0 broken",
        "description": "The printer jams on every page.",
        "case_type": "Hardware fault",
        "priority": "Normal",
        "status": "Active",
        "classification": "hardware",
        "classification_confidence": 0.9,
        "sentiment": "negative",
        "sentiment_score": -0.5,
        "channel": "email",
    }
    expected_path = {
        "data_api": "/v1/transition/SANDBOXWORKSPACE",
        "partner": "/v1/partner/d365-service/events/",
    }[transport]
    assert event["path"] == expected_path
    assert len(mo.requests) == 1  # user upsert and event in one request on both transports
    (stored,) = await spool.events()
    assert (stored.state, stored.attempts, stored.last_error) == ("sent", 1, None)
    assert stored.sent_at is not None


async def test_moengage_down_for_a_while_then_back_every_event_arrives_once(
    spool: SqliteSpool, mo: MoEngageSandbox
) -> None:
    await record_cases(spool, 20)
    mo.down(True)
    # max_attempts=1: an outage is not the events' fault, so none is parked however long it lasts.
    sender = MoEngageSender(fast(max_attempts=1), spool, base_url=mo.url)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    await asyncio.sleep(0.5)
    refused = len(mo.requests)
    assert refused >= 2
    # While down, the sender probes with backoff instead of trying every waiting event each round.
    assert refused < 20
    assert (await spool.event_counts())["sent"] == 0
    mo.down(False)
    await until(lambda: _sent(spool, 20))
    stop.set()
    await asyncio.wait_for(task, 5)

    assert case_ids(mo) == {incident(n): 1 for n in range(20)}
    assert await spool.event_counts() == {"pending": 0, "sending": 0, "sent": 20, "parked": 0}
    assert sender.healthy is True


async def _sent(spool: SqliteSpool, count: int) -> bool:
    return (await spool.event_counts())["sent"] == count


async def test_5xx_and_429_are_retried_and_rate_limits_honoured(spool: SqliteSpool, mo: MoEngageSandbox) -> None:
    await record_cases(spool, 8)
    mo.fail("transition", 500, times=2)
    mo.fail("transition", 429)
    mo.rate_limit(per_second=4)
    sender = MoEngageSender(fast(), spool, base_url=mo.url)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    await until(lambda: _sent(spool, 8), within=8)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert case_ids(mo) == {incident(n): 1 for n in range(8)}
    assert mo.statuses().count(500) == 2
    assert mo.statuses().count(429) >= 1


async def test_a_timeout_is_retried(spool: SqliteSpool, mo: MoEngageSandbox) -> None:
    await record_cases(spool, 1)
    mo.hold(True)  # MoEngage takes the request and never answers
    # The same deadline holds for the retry, which must be answered within it: 0.2 s was too short for
    # that on a loaded machine (the retry timed out too). The held request waits it out whatever it is.
    sender = MoEngageSender(fast(timeout_seconds=2), spool, base_url=mo.url)
    started = time.monotonic()
    assert await sender.drain() == {"retry": 1}
    assert time.monotonic() - started >= 1.9  # it waited out the deadline (the loop may fire a hair early)
    (event,) = await spool.events()
    assert event.state == "pending" and "no answer within 2 s" in (event.last_error or "")
    mo.hold(False)
    await until(lambda: mo.discarded == 1)
    await asyncio.sleep(0.3)
    assert await sender.drain() == {"sent": 1}
    assert case_ids(mo) == {incident(0): 1}


async def test_one_event_failing_while_others_go_through_is_parked_after_max_attempts(
    spool: SqliteSpool, mo: MoEngageSandbox
) -> None:
    await record_cases(spool, 3)
    mo.fail("transition", 500, times=100, match=incident(0))
    sender = MoEngageSender(fast(max_attempts=2), spool, base_url=mo.url)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    await until(lambda: _counts(spool, sent=2, parked=1))
    stop.set()
    await asyncio.wait_for(task, 5)
    (parked,) = await spool.events("parked")
    # At least max_attempts: it is parked only once MoEngage accepted another event between its failures, so
    # when a loaded machine makes another event's request time out first, that attempt did not count against it
    # (seen: 3 at load 5 in a full-suite run).
    assert parked.attempts >= 2
    assert f"gave up after {parked.attempts} attempts while MoEngage accepted other events" in (parked.last_error or "")
    assert "500 InternalServerError" in (parked.last_error or "")
    assert case_ids(mo) == {incident(1): 1, incident(2): 1}


async def _counts(spool: SqliteSpool, **expected: int) -> bool:
    counts = await spool.event_counts()
    return all(counts[state] == n for state, n in expected.items())


async def test_a_400_parks_the_event_with_moengages_message_and_leaves_the_case(
    spool: SqliteSpool, mo: MoEngageSandbox
) -> None:
    first, second = await record_cases(spool, 2)
    before = await spool.get(first)
    mo.fail("transition", 400, message="actions can not be empty Array")
    sender = MoEngageSender(fast(), spool, base_url=mo.url)
    assert await sender.drain() == {"parked": 1, "sent": 1}

    parked, sent = await spool.events()
    assert (parked.handoff_id, parked.state) == (first, "parked")
    assert "400 MissingAttributeError: actions can not be empty Array" in (parked.last_error or "")
    assert (sent.handoff_id, sent.state) == (second, "sent")
    assert await spool.get(first) == before  # the case row: untouched, still created
    assert case_ids(mo) == {incident(1): 1}
    assert await sender.drain() == {}  # parked stays parked


async def test_a_wrong_key_parks_one_event_and_pauses_instead_of_parking_the_backlog(
    spool: SqliteSpool, mo: MoEngageSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    await record_cases(spool, 3)
    caplog.set_level(logging.DEBUG)
    sender = MoEngageSender(fast(api_key="not-the-key"), spool, base_url=mo.url)
    assert await sender.drain() == {"parked": 1}
    assert await spool.event_counts() == {"pending": 2, "sending": 0, "sent": 0, "parked": 1}
    (parked,) = await spool.events("parked")
    assert "401 AuthenticationError: App Secret key mismatch" in (parked.last_error or "")
    assert "not-the-key" not in caplog.text and "Basic " not in caplog.text


async def test_an_event_without_customer_id_is_parked_without_a_request(
    spool: SqliteSpool, mo: MoEngageSandbox
) -> None:
    settings = fast(customer_id="externalid_custom")  # no contact record given, so no such column
    await record_cases(spool, 1, settings)
    assert await MoEngageSender(settings, spool, base_url=mo.url).drain() == {"parked": 1}
    (parked,) = await spool.events("parked")
    assert "externalid_custom" in (parked.last_error or "")
    assert mo.requests == []


async def test_logs_carry_no_key_token_or_body(
    spool: SqliteSpool, mo: MoEngageSandbox, caplog: pytest.LogCaptureFixture
) -> None:
    await record_cases(spool, 2)
    caplog.set_level(logging.DEBUG)
    mo.fail("transition", 503)
    sender = MoEngageSender(fast(), spool, base_url=mo.url)
    await sender.drain()
    await asyncio.sleep(0.3)
    await sender.drain()
    assert "sent (transition 200" in caplog.text
    assert "retry in" in caplog.text
    for secret in ("sandbox-key", "U0FOREJPWFdPUktTUEFDRTpzYW5kYm94LWtleQ==", "jams on every page", "c0@example"):
        assert secret not in caplog.text


async def test_run_survives_a_broken_spool_and_stops_when_told(tmp_path: Path, mo: MoEngageSandbox) -> None:
    spool = SqliteSpool(tmp_path / "never-opened.db")  # every call raises SpoolError
    sender = MoEngageSender(fast(), spool, base_url=mo.url)
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop))
    await asyncio.sleep(0.1)
    stop.set()
    await asyncio.wait_for(task, 2)  # returned, did not raise


async def test_a_lost_answer_is_sent_again_the_window_we_cannot_close(spool: SqliteSpool, mo: MoEngageSandbox) -> None:
    """MoEngage processed the request but its 200 never arrived: indistinguishable from a failure.

    The sender must retry (it saw no 200), MoEngage does not deduplicate, so the event exists twice.
    This pins the limit of "exactly once": it holds for every event whose 200 reached handoff.
    """
    await record_cases(spool, 1)
    mo.drop_response("transition")
    sender = MoEngageSender(fast(), spool, base_url=mo.url)
    assert await sender.drain() == {"retry": 1}
    await asyncio.sleep(0.3)
    assert await sender.drain() == {"sent": 1}
    assert case_ids(mo) == {incident(0): 2}
    (event,) = await spool.events()
    assert (event.state, event.attempts) == ("sent", 2)


SENDER_PROCESS = textwrap.dedent(
    """
    import asyncio, logging, sys
    from handoff.moengage.sender import MoEngageSender
    from handoff.settings import MoEngageSettings
    from handoff.spool.sqlite import SqliteSpool

    async def main(db, url):
        settings = MoEngageSettings(
            enabled=True, api_key="sandbox-key", lease_seconds=0.5, retry={"base_seconds": 0.02}, poll_seconds=0.02
        )
        async with SqliteSpool(db) as spool:
            await MoEngageSender(settings, spool, base_url=url).run(asyncio.Event())

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(sys.argv[1], sys.argv[2]))
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
async def test_a_killed_sender_does_not_resend_what_got_its_200(
    spool: SqliteSpool, mo: MoEngageSandbox, tmp_path: Path
) -> None:
    """SIGKILL a sender process after MoEngage accepted three events, while the fourth is in flight.

    The window proven: an event whose 200 was recorded is never sent again after a crash and restart,
    and the event in flight (no 200 yet, not processed by MoEngage) is sent once after recover().
    Not provable here: a kill between MoEngage's 200 and our commit; see the lost-answer test.
    """
    await record_cases(spool, 5)
    mo.hold(True, after=3)  # answer three requests, stall the fourth
    log_file = (tmp_path / "sender.log").open("wb")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        SENDER_PROCESS,
        str(tmp_path / "spool.db"),
        mo.url,
        stdout=log_file,
        stderr=log_file,
        cwd=REPO,
        env=env,
    )
    try:
        await until(lambda: mo.held == 1, within=15)
        # The fourth request exists only after the third 200 was committed (one event at a time).
        counts = await spool.event_counts()
        assert (counts["sent"], counts["sending"], counts["pending"]) == (3, 1, 1)
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        log_file.close()
    assert proc.returncode == -signal.SIGKILL
    await asyncio.sleep(0.1)  # let the emulator see the connection go
    mo.hold(False)
    await until(lambda: mo.discarded == 1)
    assert case_ids(mo) == {incident(n): 1 for n in range(3)}

    await asyncio.sleep(0.5)  # the dead sender's lease runs out
    await spool.recover()  # start-up of the next process
    assert await MoEngageSender(fast(), spool, base_url=mo.url).drain() == {"sent": 2}
    assert case_ids(mo) == {incident(n): 1 for n in range(5)}
    assert (await spool.event_counts())["sent"] == 5
