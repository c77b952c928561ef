"""STARTTLS with a real certificate (trustme's local CA) and a real TLS client (aiosmtplib)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import warnings
from pathlib import Path

import aiosmtplib
import pytest

from handoff.errors import ConfigError
from handoff.spool.sqlite import SqliteSpool
from tests.smtp_kit import Certificates, client, peer_certificate, queued, running, transaction


@pytest.fixture
def certs(tmp_path: Path) -> Certificates:
    return Certificates(tmp_path)


def tls(certs: Certificates) -> dict[str, str]:
    return {"tls_cert": str(certs.cert), "tls_key": str(certs.key)}


async def test_starttls_with_the_configured_certificate(spool: SqliteSpool, certs: Certificates) -> None:
    async with running(spool, **tls(certs)) as smtp:
        c = client(smtp.port)
        await c.connect()
        await c.ehlo()
        assert "starttls" in c.esmtp_extensions
        await certs.starttls(c)
        assert peer_certificate(c) == certs.der(certs.current)
        assert c.transport.get_extra_info("ssl_object").version() in ("TLSv1.2", "TLSv1.3")
        assert "starttls" not in c.esmtp_extensions  # not offered twice
        assert (await transaction(c))[0] == 250
        c.close()
    assert await queued(spool) == 1


async def test_tls_older_than_1_2_is_refused(spool: SqliteSpool, certs: Certificates) -> None:
    async with running(spool, **tls(certs)) as smtp:
        old = certs.client_context()
        with warnings.catch_warnings():  # the point of this client is the deprecated protocol
            warnings.simplefilter("ignore", DeprecationWarning)
            old.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
            old.maximum_version = ssl.TLSVersion.TLSv1_1
        with contextlib.suppress(ssl.SSLError):
            old.set_ciphers("ALL:@SECLEVEL=0")  # let the client offer TLS 1.1 where OpenSSL still can
        c = client(smtp.port)
        await c.connect()
        await c.ehlo()
        with pytest.raises((ssl.SSLError, aiosmtplib.SMTPException, ConnectionError)):
            await c.starttls(server_hostname="mx.handoff.test", tls_context=old)
        c.close()


async def test_require_starttls_refuses_mail_before_tls(spool: SqliteSpool, certs: Certificates) -> None:
    async with running(spool, require_starttls=True, **tls(certs)) as smtp:
        c = client(smtp.port)
        await c.connect()
        await c.ehlo()
        code, message = await transaction(c)
        assert (code, message[:5]) == (530, "5.7.0")
        await certs.starttls(c)
        assert (await transaction(c))[0] == 250
        c.close()
        assert smtp.handler.refusals[("530", "starttls_required")] == 1
    assert await queued(spool) == 1


async def test_reload_gives_new_sessions_the_new_certificate(spool: SqliteSpool, certs: Certificates) -> None:
    async with running(spool, **tls(certs)) as smtp:
        first = certs.current
        old_session = client(smtp.port)
        await old_session.connect()
        await certs.starttls(old_session)

        second = certs.issue()
        assert smtp.handler.reload_tls()
        new_session = client(smtp.port)
        await new_session.connect()
        await certs.starttls(new_session)
        assert peer_certificate(new_session) == certs.der(second)
        # The session that was open goes on with its certificate, and its mail is accepted.
        assert peer_certificate(old_session) == certs.der(first)
        assert (await transaction(old_session))[0] == 250
        assert (await transaction(new_session))[0] == 250

        # A broken file (a renewal half-written) keeps the current certificate.
        certs.key.write_text("not a key")
        assert not smtp.handler.reload_tls()
        third = client(smtp.port)
        await third.connect()
        await certs.starttls(third)
        assert peer_certificate(third) == certs.der(second)
        for c in (old_session, new_session, third):
            c.close()


async def test_a_certificate_that_does_not_load_stops_start_up(spool: SqliteSpool, tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        async with running(spool, tls_cert=str(tmp_path / "missing.pem"), tls_key=str(tmp_path / "key.pem")):
            pass
    assert "[smtp] tls_cert" in str(info.value) and "fullchain.pem" in str(info.value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_sighup_reloads_the_certificate_of_handoff_serve(tmp_path: Path, certs: Certificates) -> None:
    smtp_port, http_port = _free_port(), _free_port()
    config = tmp_path / "handoff.toml"
    config.write_text(
        f"""
[smtp]
port = {smtp_port}
recipients = ["cases@handoff.test"]
hostname = "mx.handoff.test"
tls_cert = "{certs.cert}"
tls_key = "{certs.key}"
[http]
port = {http_port}
[spool]
url = "sqlite:///{tmp_path}/handoff.db"
[triage]
use_embeddings = false  # start in a second; this test is about the SMTP listener
"""
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("HANDOFF_")}
    log = tmp_path / "serve.log"
    with log.open("wb") as stderr:
        proc = subprocess.Popen(  # noqa: ASYNC220 - returns at once
            [sys.executable, "-m", "handoff.cli", "serve", "--config", str(config)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            cwd=tmp_path,
        )
    try:
        deadline = time.monotonic() + 60
        while b"handoff ready" not in log.read_bytes():
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            await asyncio.sleep(0.1)
        first = certs.current
        old_session = client(smtp_port)
        await old_session.connect()
        await certs.starttls(old_session)

        second = certs.issue()
        proc.send_signal(signal.SIGHUP)
        while b"TLS reloaded" not in log.read_bytes():
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            await asyncio.sleep(0.05)
        new_session = client(smtp_port)
        await new_session.connect()
        await certs.starttls(new_session)
        assert peer_certificate(new_session) == certs.der(second)
        assert peer_certificate(old_session) == certs.der(first)
        assert (await transaction(old_session))[0] == 250  # not dropped by the reload
        for c in (old_session, new_session):
            await c.quit()
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.to_thread(proc.wait, 60)
    assert proc.returncode == 0, log.read_text()[-3000:]
