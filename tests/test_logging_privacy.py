"""No verbosity logs a body, an attachment, a token or a secret (handoff -v included)."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from handoff.cli import NEVER_DEBUG, configure_logging
from handoff.logs import formatter
from handoff.service import Service
from handoff.settings import LogSettings
from tests.conftest import settings_for
from tests.test_e2e import smtp_send, wait_events, wait_final

BODY_MARK = "Zebra-Quokka-771 my card number is 4111"
FILE_MARK = b"ATTACHMENT-PAYLOAD-5150 " * 40


def mail_with_attachment() -> bytes:
    encoded = base64.encodebytes(FILE_MARK).decode()
    return (
        "From: Ida Berg <ida@example.com>\r\nTo: cases@handoff.test\r\nSubject: Invoice wrong\r\n"
        "Date: Mon, 23 Nov 2026 09:00:00 +0000\r\nMessage-ID: <privacy-1@example.com>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n'
        f"Hello, {BODY_MARK}. The invoice is wrong.\r\n--b1\r\nContent-Type: text/plain; name=notes.txt\r\n"
        "Content-Disposition: attachment; filename=notes.txt\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        f"{encoded}\r\n--b1--\r\n"
    ).encode()


@pytest.fixture(params=["text", "json"])
def verbose(caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest) -> Any:
    saved = {name: logging.getLogger(name).level for name in (*NEVER_DEBUG, "flufl.bounce")}
    caplog.set_level(logging.DEBUG)  # what -v gives the root logger
    configure_logging(True, LogSettings(format=request.param))
    caplog.handoff_format = request.param  # type: ignore[attr-defined]
    yield caplog
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


async def test_verbose_logs_carry_no_body_attachment_token_or_secret(
    tmp_path: Path, sandbox: Any, verbose: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(tmp_path, sandbox, moengage={"enabled": True, "base_url": "sandbox"})
    service = Service(settings)
    await service.start()
    try:
        assert service.parts is not None
        spool_id = await asyncio.to_thread(smtp_send, service.smtp_port, mail_with_attachment())
        item = await wait_final(service, spool_id)
        assert item.state == "created", item.last_error
        assert service.parts.moengage is not None
        await wait_events(service.parts.moengage)
        token = await service.parts.tokens.token()
    finally:
        await service.stop()
    # Each record as `[log] format` writes it (handoff.logs), exceptions included.
    shaped = formatter(verbose.handoff_format)
    lines = [shaped.format(r) for r in verbose.records]
    if verbose.handoff_format == "json":
        assert all(isinstance(json.loads(line), dict) for line in lines)
        assert any(json.loads(line).get("spool") for line in lines)  # a handoff's lines carry its id
    text = "\n".join(f"{r.name} {r.getMessage()}" for r in verbose.records) + "\n" + "\n".join(lines)
    assert "DATA" not in text or "DATA readline" not in text
    assert any(r.name == "mail.log" for r in verbose.records)  # aiosmtpd did log, at INFO
    for secret in (
        "Zebra-Quokka",
        "ATTACHMENT-PAYLOAD",
        base64.b64encode(FILE_MARK).decode()[:40],
        token,
        sandbox.client_secret,
        "sandbox-key",
    ):
        assert secret not in text, f"{secret[:20]!r} reached the log"
