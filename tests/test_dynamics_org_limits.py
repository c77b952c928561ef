"""The organisation's own attachment limits (organizations.maxuploadfilesize / blockedattachments),
read once at start-up against the shipped Dataverse sandbox: the stricter of them and [dynamics] applies."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from handoff.attachments import AttachmentLimits
from handoff.dynamics.metadata import effective_limits
from handoff.service import Parts, Service
from handoff.settings import DEFAULT_BLOCKED_EXTENSIONS, DynamicsSettings
from tests.conftest import settings_for
from tests.test_dynamics_delivery import PDF, deliver, draft_of, mail, of_incident

Make = Callable[..., Awaitable[Parts]]
ORG_LIMIT = 102_400  # 100 KB of base64: files up to 75 KB


def strict_organisation(sandbox: Any) -> None:
    sandbox.attachment_limit = ORG_LIMIT
    sandbox.blocked_extensions = sandbox.blocked_extensions | {"zip"}


FILES = (
    ("logs.zip", "application/zip", b"PK\x03\x04" + b"\x00" * 100),
    ("report.pdf", "application/pdf", PDF * 20),  # 200 KB: fine for [dynamics], too big for the organisation
    ("notes.txt", "text/plain", b"serial 4471\n"),
)


async def test_the_organisations_stricter_limits_apply_after_the_start_up_read(
    make: Make, sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    strict_organisation(sandbox)
    parts = await make()  # [dynamics] keeps its defaults: 5,242,880 bytes, no "zip"
    assert parts.pipeline is not None
    assert parts.pipeline.attachment_limits == AttachmentLimits.configured(parts.settings.dynamics)
    with caplog.at_level(logging.INFO, logger="handoff"):
        limits = await parts.read_org_limits()
    assert limits.max_encoded == ORG_LIMIT and limits.blocked == DEFAULT_BLOCKED_EXTENSIONS | {"zip"}
    assert parts.pipeline.attachment_limits == limits
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("attachments:")]
    assert line.startswith("attachments: up to 102400 bytes of base64 (files up to 75 KB), the organisation's limit")
    assert line.endswith("from the organisation too: zip")

    raw = mail("org-1@example.com", files=FILES)
    draft = await draft_of(parts, raw)
    assert draft.not_attached == (
        "logs.zip: not attached (blocked extension .zip)",
        "report.pdf: not attached (200 KB over the 75 KB limit)",
    )
    before = len(sandbox.requests)
    delivered, routes = await deliver(parts, sandbox, raw)
    assert routes == ["GET contacts", "POST $batch"]
    assert all(r["status"] < 400 for r in sandbox.requests[before:])  # no 400 from the organisation
    notes = of_incident(sandbox, "annotations", delivered.incident_id, "_objectid_value")
    assert [n["filename"] for n in notes] == ["notes.txt"]
    [incident] = sandbox.table("incidents")
    assert "- logs.zip: not attached (blocked extension .zip)" in incident["description"]


async def test_service_start_reads_the_organisations_limits(tmp_path: Path, sandbox: Any) -> None:
    strict_organisation(sandbox)
    service = Service(settings_for(tmp_path, sandbox))
    await service.start()
    try:
        # The analysis process plans the attachments, so it must have the organisation's limits.
        limits = service.worker.analyser.attachment_limits
        assert limits.max_encoded == ORG_LIMIT
        assert "zip" in limits.blocked
    finally:
        await service.stop()


async def test_an_unreachable_organisation_keeps_the_configured_limits(
    make: Make, sandbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    strict_organisation(sandbox)
    parts = await make(max_retries=0)
    sandbox.fail("GET organizations", 503)
    with caplog.at_level(logging.WARNING, logger="handoff"):
        limits = await parts.read_org_limits()
    assert limits == AttachmentLimits.configured(parts.settings.dynamics)
    assert parts.pipeline is not None and parts.pipeline.attachment_limits == limits
    assert any("could not read the organisation's attachment limits" in r.getMessage() for r in caplog.records)


def test_effective_limits_take_the_stricter_and_ignore_missing_values() -> None:
    configured = AttachmentLimits.configured(DynamicsSettings(max_attachment_size=65_536, blocked_extensions=["exe"]))
    assert effective_limits(configured, {}) == configured
    assert effective_limits(configured, {"maxuploadfilesize": None, "blockedattachments": None}) == configured
    org = {"maxuploadfilesize": 5_242_880, "blockedattachments": "ZIP; .js;;exe"}
    assert effective_limits(configured, org) == AttachmentLimits(65_536, frozenset({"exe", "js", "zip"}))
    assert effective_limits(configured, {"maxuploadfilesize": 1000}).max_encoded == 1000


async def test_check_prints_the_effective_limits(
    tmp_path: Path, sandbox: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from handoff.cli import main

    strict_organisation(sandbox)
    for name in [k for k in os.environ if k.startswith("HANDOFF_")]:
        monkeypatch.delenv(name)
    config = tmp_path / "handoff.toml"
    config.write_text(
        f"""
[spool]
url = "sqlite:///{tmp_path}/handoff.db"
[dynamics]
url = "{sandbox.url}"
authority = "{sandbox.authority}"
ca_bundle = "{sandbox.ca_file}"
client_secret = "{sandbox.client_secret}"
"""
    )
    # main() runs its own event loop; the sandbox serves from this one, so main goes to a thread.
    assert await asyncio.to_thread(main, ["check", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "option sets, queue and owner: ok" in out
    assert "attachments: up to 102400 bytes of base64 (files up to 75 KB)" in out
    assert "from the organisation too: zip" in out
