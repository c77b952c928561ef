"""`handoff replay --dry-run --json`: what an operator sees for a mailbox, without touching Dynamics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handoff.cli import main

SAMPLES = Path(__file__).parent.parent / "samples"

BOUNCE = (
    b"Return-Path: <>\nFrom: Mail Delivery System <MAILER-DAEMON@mx.example.net>\nTo: cases@handoff.test\n"
    b"Subject: Undelivered Mail Returned to Sender\nDate: Mon, 23 Nov 2026 09:00:00 +0000\n"
    b"Message-ID: <b1@mx.example.net>\n\nI'm sorry to have to inform you that your message could not be delivered.\n"
)
AGENTS_ONLY = (
    b"From: Sam Agent <sam@acme.example>\nTo: cases@handoff.test\nSubject: note to self\n"
    b"Date: Mon, 23 Nov 2026 09:00:00 +0000\nMessage-ID: <n1@acme.example>\n\nRemember to call the supplier.\n"
)


def replay(tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, bytes]) -> dict[str, dict]:
    box = tmp_path / "box"
    box.mkdir()
    for name, raw in files.items():
        (box / name).write_bytes(raw)
    config = tmp_path / "handoff.toml"
    config.write_text(
        f'[spool]\nurl = "sqlite:///{tmp_path}/h.db"\n[triage]\ninternal_domains = ["acme.example"]\n'
        '[smtp]\nrecipients = ["cases@handoff.test"]\n'
    )
    assert main(["replay", str(box), "--dry-run", "--json", "--config", str(config)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return {Path(r["source"]).name: r for r in rows}


def test_dry_run_shows_thread_customer_and_incident(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = replay(tmp_path, capsys, {"refund.eml": (SAMPLES / "01-gmail-forward-refund.eml").read_bytes()})
    row = rows["refund.eml"]
    assert row["skipped"] is None
    assert row["customer"]["email"] == "maria.lopez@example.org"
    assert "maria.lopez@example.org" in [m["from_email"] for m in row["messages"]]
    assert all(m["sent_at"] for m in row["messages"])
    assert row["incident"]["title"] == f"{row['classification']['label']} - Maria Lopez"


def test_a_stored_bounce_is_skipped_but_an_ordinary_mail_is_not_taken_for_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A mailbox file has no SMTP envelope: Return-Path <> is a bounce, a missing Return-Path is not.
    rows = replay(tmp_path, capsys, {"bounce.eml": BOUNCE, "agents.eml": AGENTS_ONLY})
    assert rows["bounce.eml"]["skipped"]["guard"] == "bounce"
    assert rows["agents.eml"]["skipped"] is None
    # Only team members wrote it: parked with the reason, not a case credited to the agent.
    assert rows["agents.eml"]["incident"] is None
    assert rows["agents.eml"]["park_reason"].startswith("no customer: ")
    assert len(rows["agents.eml"]["park_reason"]) > len("no customer: ")
