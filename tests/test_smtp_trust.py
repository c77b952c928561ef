"""[smtp] accept_from: who may create cases, over a real SMTP socket, and what the refused leave behind
(a 550 5.7.1 with the reason, a count in /metrics, nothing in the spool)."""

from __future__ import annotations

import logging
from pathlib import Path

import aiosmtplib
import dkim
import pytest

from handoff.settings import SmtpSettings
from handoff.smtp_auth import hash_password
from handoff.spool.sqlite import SqliteSpool
from tests.smtp_kit import MAIL, RCPT, Certificates, client, dkim_key, dns_server, queued, running, send, transaction

# A cheap hash for the tests (the default cost is for production); verify_password reads it from the string.
AGENT_HASH = hash_password("correct horse", n=1 << 10)


async def test_networks_accepts_the_relay_and_refuses_others_at_rcpt(spool: SqliteSpool) -> None:
    async with running(spool, accept_from=["networks"], trusted_networks=["127.0.0.2/32"]) as smtp:
        code, message = await send(smtp.port, source="127.0.0.2")
        assert code == 250, message
        smtp_client = client(smtp.port, source="127.0.0.3")
        await smtp_client.connect()
        await smtp_client.mail("agent@acme.example")
        with pytest.raises(aiosmtplib.SMTPRecipientRefused) as refused:
            await smtp_client.rcpt(RCPT)
        smtp_client.close()
        assert refused.value.code == 550
        assert refused.value.message.startswith("5.7.1 Not authorised to create cases: host 127.0.0.3")
        assert smtp.handler.refusals[("550", "not_trusted")] == 1
    assert await queued(spool) == 1


async def test_a_stranger_learns_nothing_about_mailboxes(spool: SqliteSpool) -> None:
    # Trust is decided before the recipient: an unknown mailbox and a real one get the same answer.
    async with running(spool, accept_from=["networks"], trusted_networks=["10.0.0.0/8"]) as smtp:
        for rcpt in (RCPT, "nobody@handoff.test"):
            c = client(smtp.port)
            await c.connect()
            await c.mail("x@example.net")
            with pytest.raises(aiosmtplib.SMTPRecipientRefused) as refused:
                await c.rcpt(rcpt)
            c.close()
            assert (refused.value.code, refused.value.message[:5]) == (550, "5.7.1")


async def test_auth_after_starttls_with_plain_and_login(spool: SqliteSpool, tmp_path: Path) -> None:
    certs = Certificates(tmp_path)
    users = [{"name": "triage-bot", "password_hash": AGENT_HASH}]
    async with running(
        spool, accept_from=["auth"], users=users, tls_cert=str(certs.cert), tls_key=str(certs.key)
    ) as smtp:
        c = client(smtp.port)
        await c.connect()
        await c.ehlo()
        # Before TLS, AUTH is neither offered nor accepted: a password never crosses in clear.
        assert "auth" not in c.esmtp_extensions and "starttls" in c.esmtp_extensions
        code, _ = await c.execute_command(b"AUTH", b"PLAIN", b"AHRyaWFnZS1ib3QAY29ycmVjdCBob3JzZQ==")
        assert code == 538
        # Not authenticated: refused at RCPT with the reason.
        await certs.starttls(c)
        code, message = await transaction(c)
        assert (code, message[:5]) == (550, "5.7.1") and "not authenticated" in message
        await c.rset()
        assert set(c.server_auth_methods) == {"plain", "login"}
        await c.login("triage-bot", "correct horse")  # aiosmtplib picks PLAIN
        code, message = await transaction(c)
        assert code == 250, message
        c.close()

        c = client(smtp.port)
        await c.connect()
        await certs.starttls(c)
        await c.auth_login("triage-bot", "correct horse")
        assert (await transaction(c))[0] == 250
        c.close()
    assert await queued(spool) == 1  # the same mail both times: one handoff (tests/test_one_mail_one_handoff.py)


async def test_wrong_password_is_535_and_never_logged(
    spool: SqliteSpool, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    certs = Certificates(tmp_path)
    users = [{"name": "triage-bot", "password_hash": AGENT_HASH}]
    caplog.set_level(logging.DEBUG)
    async with running(
        spool, accept_from=["auth"], users=users, tls_cert=str(certs.cert), tls_key=str(certs.key)
    ) as smtp:
        c = client(smtp.port)
        await c.connect()
        await certs.starttls(c)
        with pytest.raises(aiosmtplib.SMTPAuthenticationError) as failed:
            await c.auth_plain("triage-bot", "hunter2-wrong")
        assert failed.value.code == 535
        with pytest.raises(aiosmtplib.SMTPAuthenticationError):
            await c.auth_plain("hunter2-typed-as-name", "x")
        c.close()
        assert smtp.handler.refusals[("535", "auth_failed")] == 2
    text = caplog.text
    assert "AUTH failed for triage-bot" in text and "AUTH failed for an unknown user" in text
    assert "hunter2" not in text and "aHVudGVy" not in text  # nor its base64


async def test_either_model_suffices(spool: SqliteSpool, tmp_path: Path) -> None:
    certs = Certificates(tmp_path)
    users = [{"name": "bot", "password_hash": AGENT_HASH}]
    settings = {
        "accept_from": ["networks", "auth"],
        "trusted_networks": ["127.0.0.2/32"],
        "users": users,
        "tls_cert": str(certs.cert),
        "tls_key": str(certs.key),
    }
    async with running(spool, **settings) as smtp:
        assert (await send(smtp.port, source="127.0.0.2"))[0] == 250  # the relay, no AUTH
        c = client(smtp.port, source="127.0.0.3")
        await c.connect()
        await certs.starttls(c)
        await c.login("bot", "correct horse")
        assert (await transaction(c))[0] == 250  # an agent elsewhere, with AUTH
        c.close()
        code, message = await send(smtp.port, source="127.0.0.3")  # neither
        assert code == 550 and "not a trusted relay and the session is not authenticated" in message


# -- DKIM ------------------------------------------------------------------------------------------
def signed(raw: bytes, private: bytes, domain: str, selector: str = "sel1") -> bytes:
    header = dkim.sign(raw, selector.encode(), domain.encode(), private, include_headers=[b"from", b"to", b"subject"])
    return header + raw


async def test_dkim_accepts_mail_signed_by_a_trusted_forwarder(spool: SqliteSpool) -> None:
    private, public = dkim_key()
    other_private, other_public = dkim_key()
    records = {
        "sel1._domainkey.acme.example": f"v=DKIM1; k=rsa; p={public}",
        "sel1._domainkey.mail.acme.example": f"v=DKIM1; k=rsa; p={public}",
        "sel1._domainkey.evil.example": f"v=DKIM1; k=rsa; p={other_public}",
    }
    async with dns_server(records) as (address, _dns):
        settings = {"accept_from": ["dkim"], "trusted_forwarder_domains": ["acme.example"], "dns_servers": [address]}
        async with running(spool, **settings) as smtp:
            code, message = await send(smtp.port, signed(MAIL, private, "acme.example"))
            assert code == 250, message
            # A subdomain of a trusted domain belongs to the same organisation.
            assert (await send(smtp.port, signed(MAIL, private, "mail.acme.example")))[0] == 250

            # Valid signature, but of a domain nobody trusts: refused after DATA, not stored.
            code, message = await send(smtp.port, signed(MAIL, other_private, "evil.example"))
            assert (code, message[:5]) == (550, "5.7.1")
            assert "no DKIM signature of a trusted forwarder domain (signed by evil.example)" in message
            # No signature at all.
            code, message = await send(smtp.port, MAIL)
            assert (code, message[:5]) == (550, "5.7.1")
            # The trusted domain's signature over a body changed afterwards.
            tampered = signed(MAIL, private, "acme.example").replace(b"refund", b"prize!")
            code, message = await send(smtp.port, tampered)
            assert code == 550 and "signature of acme.example did not verify" in message
            # Signed with another key than the one the trusted domain publishes.
            code, message = await send(smtp.port, signed(MAIL, other_private, "acme.example"))
            assert code == 550
            assert smtp.handler.refusals[("550", "dkim")] == 4
    assert await queued(spool) == 2


async def test_dkim_dns_failure_is_a_temporary_refusal(spool: SqliteSpool) -> None:
    private, public = dkim_key()
    async with dns_server({"sel1._domainkey.acme.example": f"v=DKIM1; k=rsa; p={public}"}) as (address, server):
        server.down = True
        settings = {"accept_from": ["dkim"], "trusted_forwarder_domains": ["acme.example"], "dns_servers": [address]}
        async with running(spool, **settings) as smtp:
            smtp.handler.dkim.resolver.lifetime = 0.5  # the name server is silent; no need to wait 5 s
            smtp.handler.dkim.timeout = 0.5
            code, message = await send(smtp.port, signed(MAIL, private, "acme.example"))
            # The sender keeps the mail and tries again when DNS answers.
            assert (code, message[:5]) == (451, "4.7.5"), message
            server.down = False
            assert (await send(smtp.port, signed(MAIL, private, "acme.example")))[0] == 250
    assert await queued(spool) == 1


# -- SPF fallback ----------------------------------------------------------------------------------
SPF_RECORDS = {
    "acme.example": "v=spf1 ip4:127.0.0.0/29 -all",  # the organisation's forwarding hosts
    "mx.acme.example": "v=spf1 ip4:127.0.0.1 -all",  # its HELO name, for bounces (null sender)
    "other.example": "v=spf1 ip4:127.0.0.0/8 -all",  # passes SPF, but nobody trusts it
    "strict.acme.example": "v=spf1 ip4:192.0.2.1 -all",  # a trusted domain, sent from elsewhere
    "soft.acme.example": "v=spf1 ~all",
}


async def envelope(
    port: int, sender: str, n: int, *, source: str = "127.0.0.1", helo: str = "client.test"
) -> tuple[int, str]:
    """One unsigned mail with this MAIL FROM (and HELO) over a real connection."""
    raw = MAIL.replace(b"edge-1@", b"spf-%d@" % n)
    smtp = client(port, source, local_hostname=helo)
    await smtp.connect()
    try:
        await smtp.mail(sender)
        await smtp.rcpt(RCPT)
        reply = await smtp.data(raw)
        return reply.code, reply.message
    except aiosmtplib.SMTPResponseException as exc:
        return exc.code, exc.message
    finally:
        smtp.close()


async def test_spf_fallback_accepts_an_unsigned_mail_of_a_trusted_domain_that_passes_spf(spool: SqliteSpool) -> None:
    async with dns_server(SPF_RECORDS) as (address, _dns):
        settings = {
            "accept_from": ["dkim"],
            "trusted_forwarder_domains": ["acme.example"],
            "dns_servers": [address],
            "spf_fallback": True,
        }
        async with running(spool, **settings) as smtp:
            code, message = await envelope(smtp.port, "agent@acme.example", 1)
            assert code == 250, message
            # A null sender is judged by its HELO name (RFC 7208 2.4).
            code, message = await envelope(smtp.port, "", 2, helo="mx.acme.example")
            assert code == 250, message
            # SPF passes, but for a domain nobody trusts.
            code, message = await envelope(smtp.port, "agent@other.example", 3)
            assert (code, message[:5]) == (550, "5.7.1")
            assert "no DKIM signature" in message and "(other.example) is not a trusted forwarder domain" in message
            # A trusted domain whose SPF does not list this peer; a softfail is no pass either.
            code, message = await envelope(smtp.port, "agent@strict.acme.example", 4)
            assert (code, message[:5]) == (550, "5.7.1")
            assert "SPF of strict.acme.example (MAIL FROM) for 127.0.0.1: fail" in message
            code, message = await envelope(smtp.port, "agent@soft.acme.example", 5)
            assert code == 550 and "softfail" in message
            # The same domain from a peer outside its SPF range.
            code, message = await envelope(smtp.port, "agent@acme.example", 6, source="127.0.0.9")
            assert code == 550 and "SPF of acme.example (MAIL FROM) for 127.0.0.9: fail" in message
            assert smtp.handler.refusals[("550", "dkim")] == 4
    assert await queued(spool) == 2


async def test_spf_fallback_is_off_by_default_and_a_dns_failure_is_temporary(spool: SqliteSpool) -> None:
    async with dns_server(SPF_RECORDS) as (address, server):
        settings = {"accept_from": ["dkim"], "trusted_forwarder_domains": ["acme.example"], "dns_servers": [address]}
        async with running(spool, **settings) as smtp:
            code, message = await envelope(smtp.port, "agent@acme.example", 1)
            assert code == 550 and "SPF" not in message  # DKIM only, as before
        async with running(spool, **settings, spf_fallback=True) as smtp:
            smtp.handler.dkim.resolver.lifetime = 0.5  # the name server goes silent; no need to wait 5 s
            smtp.handler.dkim.timeout = 0.5
            server.down = True
            code, message = await envelope(smtp.port, "agent@acme.example", 2)
            # RFC 7208 temperror: the sender keeps the mail and tries again.
            assert (code, message[:5]) == (451, "4.7.5"), message
            server.down = False
            assert (await envelope(smtp.port, "agent@acme.example", 2))[0] == 250
    assert await queued(spool) == 1


async def test_networks_before_dkim(spool: SqliteSpool) -> None:
    # The relay's mail needs no signature; everyone else's does.
    async with dns_server({}) as (address, server):
        settings = {
            "accept_from": ["networks", "dkim"],
            "trusted_networks": ["127.0.0.2/32"],
            "trusted_forwarder_domains": ["acme.example"],
            "dns_servers": [address],
        }
        async with running(spool, **settings) as smtp:
            assert (await send(smtp.port, MAIL, source="127.0.0.2"))[0] == 250
            assert (await send(smtp.port, MAIL, source="127.0.0.3"))[0] == 550
        assert server.queries == []


# -- the open model --------------------------------------------------------------------------------
async def test_open_on_a_public_address_warns(spool: SqliteSpool, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="handoff.intake")
    async with running(spool, host="0.0.0.0"):
        pass
    assert "ANYONE who can reach this port creates Dynamics incidents" in caplog.text
    caplog.clear()
    async with running(spool, host="0.0.0.0", accept_from=["networks"], trusted_networks=["192.0.2.0/24"]):
        pass
    async with running(spool, host="127.0.0.1"):
        pass
    assert "ANYONE" not in caplog.text


def test_default_stays_open_on_loopback() -> None:
    settings = SmtpSettings()
    assert settings.accept_from == ["open"] and settings.host == "127.0.0.1"


@pytest.mark.parametrize(
    ("values", "key", "expected"),
    [
        ({"accept_from": ["networks"]}, "accept_from", "'networks' needs [smtp] trusted_networks"),
        ({"accept_from": ["dkim"]}, "accept_from", "'dkim' needs [smtp] trusted_forwarder_domains"),
        ({"accept_from": ["auth"], "users": [{"name": "a", "password_hash": AGENT_HASH}]}, "accept_from", "tls_cert"),
        ({"accept_from": ["everyone"]}, "accept_from", "'open', 'networks', 'auth' or 'dkim'"),
        ({"trusted_networks": ["10.0.0.1/8"]}, "trusted_networks", "is not a network"),
        ({"require_starttls": True}, "require_starttls", "needs [smtp] tls_cert"),
        ({"data_memory_budget": 1000}, "data_memory_budget", "at least [smtp] max_message_size"),
        ({"dns_servers": ["resolver.example"]}, "dns_servers", "not a name server address"),
    ],
)
def test_wrong_smtp_settings_name_the_key(tmp_path: Path, values: dict[str, object], key: str, expected: str) -> None:
    import tomllib  # noqa: F401 - the file below is TOML, as an operator writes it

    from handoff.errors import ConfigError
    from handoff.settings import load_settings

    lines = ["[smtp]"]
    users = values.pop("users", None)
    for name, value in values.items():
        lines.append(f"{name} = {_toml(value)}")
    for user in users or []:  # type: ignore[attr-defined]
        lines += ["[[smtp.users]]", *(f"{k} = {_toml(v)}" for k, v in user.items())]
    path = tmp_path / "bad.toml"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert f"[smtp] {key}" in str(info.value) and expected in str(info.value)


def test_a_password_pasted_as_its_hash_is_never_echoed(tmp_path: Path) -> None:
    from handoff.errors import ConfigError
    from handoff.settings import load_settings

    path = tmp_path / "bad.toml"
    path.write_text('[[smtp.users]]\nname = "bot"\npassword_hash = "MyPlainPassw0rd"\n')
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert "[smtp] users.0.password_hash" in str(info.value) and "hash-password" in str(info.value)
    assert "MyPlainPassw0rd" not in str(info.value)


def test_hash_password_command(tmp_path: Path) -> None:
    import subprocess
    import sys

    from handoff.smtp_auth import verify_password

    result = subprocess.run(
        [sys.executable, "-m", "handoff.cli", "hash-password"], input="s3cret pass\n", capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    stored = result.stdout.strip()
    assert stored.startswith("scrypt$n=32768,r=8,p=1$") and "s3cret" not in stored
    assert verify_password(b"s3cret pass", stored) and not verify_password(b"s3cret", stored)
    # The hash is what [[smtp.users]] takes.
    SmtpSettings(users=[{"name": "bot", "password_hash": stored}])


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)
