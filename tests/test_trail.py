"""`handoff show ID`: why one handoff went the way it did, read back from the spool after the fact."""

from __future__ import annotations

import asyncio
import json
from contextlib import AbstractAsyncContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest

from handoff.cli import main
from handoff.service import build_parts
from handoff.worker import Worker
from tests import pg
from tests.conftest import settings_for
from tests.test_replay import BOUNCE

SAMPLES = Path(__file__).parent.parent / "samples"
REFUND = (SAMPLES / "01-gmail-forward-refund.eml").read_bytes()


async def show(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str], item_id: int, *flags: str
) -> tuple[int, str]:
    """`handoff show` as an operator runs it: a new process's view of the spool (nothing in memory)."""
    config = tmp_path / "show.toml"
    config.write_text(f'[spool]\nurl = "{url}"\n')
    capsys.readouterr()
    code = await asyncio.to_thread(main, ["show", str(item_id), "--config", str(config), *flags])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


async def process(settings: Any, mails: list[bytes], *, rounds: int = 1) -> list[int]:
    parts = await build_parts(settings)
    assert parts.pipeline is not None
    worker = Worker(parts.spool, parts.pipeline, parts.dynamics, settings.spool, guards=settings.guards, owner="t:1")
    try:
        ids = [await parts.spool.enqueue(raw, "sam@acme.example", ["cases@handoff.test"]) for raw in mails]
        for _ in range(rounds):
            await worker.drain()
            await asyncio.sleep(0.3)  # past [spool.retry] base_seconds, so a retry is due again
        return ids
    finally:
        worker.close()
        await parts.close()


def spool_url(tmp_path: Path, backend: str) -> AbstractAsyncContextManager[str]:
    if backend == "postgres":
        return pg.fresh_schema("trail")
    return nullcontext(f"sqlite:///{tmp_path}/handoff.db")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_show_tells_the_whole_story_of_a_created_case(
    tmp_path: Path, sandbox: Any, capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    async with spool_url(tmp_path, backend) as url:
        settings = settings_for(tmp_path, sandbox, spool={"url": url}, dynamics={"max_retries": 0})
        # The first $batch fails with a 503: one retry, then the case. Both attempts are in the trail.
        sandbox.fail("POST $batch", 503, times=1)
        (item_id,) = await process(settings, [REFUND], rounds=2)
        code, out = await show(tmp_path, url, capsys, item_id, "--json")
    assert code == 0, out
    view = json.loads(out)
    assert view["state"] == "created"
    assert view["outcome"]["ticket_number"].startswith("CAS-")
    assert view["envelope"]["mail_from"] == "sam@acme.example"
    assert view["envelope"]["rcpt_tos"] == ["cases@handoff.test"]
    assert view["envelope"]["size"] == len(REFUND)
    assert view["envelope"]["received"].endswith("Z")
    assert [(g["guard"], g["verdict"]) for g in view["guards"]] == [
        ("loop", "passed"),
        ("bounce", "passed"),
        ("auto-reply", "passed"),
        ("list", "passed"),
        ("reply-storm brake", "passed"),
    ]
    assert view["customer"]["email"] == "maria.lopez@example.org"
    customers = [m for m in view["thread"] if m["is_customer"]]
    assert customers and all(m["from_email"] == "maria.lopez@example.org" for m in customers)
    assert all(m["length"] > 0 and m["first_words"] for m in view["thread"])
    assert view["triage"]["category"] and view["triage"]["sentiment"]["label"]
    assert [a["outcome"] for a in view["attempts"]] == ["retry", "created"]
    first, second = view["attempts"]
    assert first["error"].startswith("503")
    assert ("POST", "$batch", 503) in [(r["method"], r["route"], r["status"]) for r in first["dataverse"]]
    assert ("POST", "$batch", 200) in [(r["method"], r["route"], r["status"]) for r in second["dataverse"]]
    # The contact lookup's query (the customer's address) and record keys are not stored.
    routes = [r["route"] for a in view["attempts"] for r in a["dataverse"]]
    assert "contacts" in routes and not any("@" in r or "?" in r for r in routes)
    # No body beyond the first words: a sentence from the middle of the customer's mail is not there.
    longest = max(view["thread"], key=lambda m: m["length"])
    assert longest["length"] > len(longest["first_words"])
    assert "refund" not in json.dumps(view["attempts"]).lower()


async def test_show_text_names_the_guard_that_skipped_and_the_ones_not_run(
    tmp_path: Path, sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_for(tmp_path, sandbox)
    (item_id,) = await process(settings, [BOUNCE])
    code, out = await show(tmp_path, settings.spool.url, capsys, item_id)
    assert code == 0, out
    assert out.startswith(f"handoff {item_id}: skipped (bounce: ")
    assert "bounce             skipped: " in out
    assert "auto-reply         not run: an earlier guard decided" in out
    assert "loop               passed" in out
    assert "1. " in out and " skipped in " in out  # the attempt


async def test_show_and_retry_say_no_such_handoff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/handoff.db"
    code, out = await show(tmp_path, url, capsys, 4242)
    assert (code, out.strip()) == (1, "handoff: no such handoff: 4242")
    assert await asyncio.to_thread(main, ["retry", "4242", "--config", str(tmp_path / "show.toml")]) == 1
    assert "no such handoff: 4242" in capsys.readouterr().err


async def test_show_names_the_status_and_code_of_a_handoffs_own_change_set(
    tmp_path: Path, sandbox: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same mail through a second spool (a mailbox replayed into a new spool): Dataverse has the case, so this
    # handoff's change set answers 412. Before, the trail had only the $batch's own status, never the error code
    # of the part (and with other handoffs' sets in the same $batch that status is 200).
    first = settings_for(tmp_path, sandbox, spool={"url": f"sqlite:///{tmp_path}/first.db"})
    await process(first, [REFUND])
    url = f"sqlite:///{tmp_path}/second.db"
    (item_id,) = await process(settings_for(tmp_path, sandbox, spool={"url": url}), [REFUND])
    code, out = await show(tmp_path, url, capsys, item_id, "--json")
    assert code == 0, out
    view = json.loads(out)
    assert view["state"] == "created" and view["outcome"]["already_existed"] is True, view["outcome"]
    parts = [r for r in view["attempts"][-1]["dataverse"] if r["route"] == "$batch change set"]
    assert [(p["status"], p["code"]) for p in parts] == [(412, "0x80040237")]
    code, text = await show(tmp_path, url, capsys, item_id)
    assert "POST $batch change set -> 412 0x80040237" in text


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
async def test_show_names_the_peer_handoff_saw_or_says_where_the_name_came_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], backend: str
) -> None:
    from handoff.spool import open_spool
    from tests.smtp_kit import running
    from tests.smtp_kit import send as smtp_send

    async with spool_url(tmp_path, backend) as url:
        async with open_spool(url) as spool:
            async with running(spool) as smtp:
                code, reply = await smtp_send(
                    smtp.port, REFUND, source="127.0.0.9", local_hostname="relay.acme.example"
                )
            assert code == 250, reply
            smtp_id = int(reply.rsplit(" ", 1)[1])
            # A mail replayed from a file (or stored before the spool kept its peer): only what the mail says.
            replayed = b"Received: from mx.acme.example (mx.acme.example [192.0.2.25]) by mx2; Tue, 1 Dec 2026\r\n"
            replayed_id = await spool.enqueue(replayed + b"Subject: x\r\n\r\nhi\r\n", "", [])
        code, out = await show(tmp_path, url, capsys, smtp_id, "--json")
        assert code == 0, out
        envelope = json.loads(out)["envelope"]
        assert envelope["session"] == {"ip": "127.0.0.9", "helo": "relay.acme.example", "tls": None, "auth": None}
        assert (envelope["peer"], envelope["peer_from"]) == ("127.0.0.9 (HELO relay.acme.example), no TLS", "session")
        code, text = await show(tmp_path, url, capsys, smtp_id)
        assert "  from 127.0.0.9 (HELO relay.acme.example), no TLS\n" in text
        code, text = await show(tmp_path, url, capsys, replayed_id)
        assert "  from mx.acme.example (mx.acme.example [192.0.2.25]) (the newest Received header)\n" in text
