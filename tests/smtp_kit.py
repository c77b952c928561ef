"""What the SMTP edge tests share: the intake on a real loopback socket, real TLS certificates from a
local CA (trustme), a real DNS server on loopback UDP for DKIM keys, and real SMTP clients."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosmtplib
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import trustme

from handoff.intake import IntakeHandler, bound_port, start_smtp
from handoff.settings import SmtpSettings
from handoff.spool.base import Spool

RCPT = "cases@handoff.test"
MAIL = (
    b"From: Agent <agent@acme.example>\r\nTo: cases@handoff.test\r\nSubject: Fwd: refund\r\n"
    b"Message-ID: <edge-1@acme.example>\r\n\r\nCustomer wants a refund.\r\n"
)


@dataclass
class Intake:
    port: int
    handler: IntakeHandler
    server: asyncio.Server


@contextlib.asynccontextmanager
async def running(spool: Spool, **smtp: Any) -> AsyncIterator[Intake]:
    values: dict[str, Any] = {"host": "127.0.0.1", "port": 0, "recipients": [RCPT], "hostname": "mx.handoff.test"}
    settings = SmtpSettings(**(values | smtp))
    server, handler = await start_smtp(settings, spool)
    try:
        yield Intake(bound_port(server), handler, server)
    finally:
        server.close()
        await handler.close(grace=1)
        await server.wait_closed()


def client(port: int, source: str = "127.0.0.1", **kwargs: Any) -> aiosmtplib.SMTP:
    options: dict[str, Any] = {"timeout": 10, "local_hostname": "client.test", "start_tls": False}
    return aiosmtplib.SMTP(hostname="127.0.0.1", port=port, source_address=(source, 0), **(options | kwargs))


async def transaction(smtp: aiosmtplib.SMTP, raw: bytes = MAIL, rcpts: tuple[str, ...] = (RCPT,)) -> tuple[int, str]:
    """MAIL, RCPT..., DATA on a connected client: the final reply, or the first refusal."""
    try:
        await smtp.mail("agent@acme.example")
        for rcpt in rcpts:
            await smtp.rcpt(rcpt)
        reply = await smtp.data(raw)
        return reply.code, reply.message
    except aiosmtplib.SMTPResponseException as exc:
        return exc.code, exc.message


async def send(port: int, raw: bytes = MAIL, source: str = "127.0.0.1", **kwargs: Any) -> tuple[int, str]:
    smtp = client(port, source, **kwargs)
    await smtp.connect()
    try:
        return await transaction(smtp, raw)
    finally:
        smtp.close()


async def queued(spool: Spool) -> int:
    return sum((await spool.counts()).values())


# -- TLS ---------------------------------------------------------------------------------------------
class Certificates:
    """A local CA and server certificates for mx.handoff.test, written as certbot lays them out."""

    def __init__(self, directory: Path) -> None:
        self.ca = trustme.CA()
        self.directory = directory
        self.cert = directory / "fullchain.pem"
        self.key = directory / "privkey.pem"
        self.current = self.issue()

    def issue(self) -> trustme.LeafCert:
        leaf = self.ca.issue_cert("mx.handoff.test")
        self.cert.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        self.key.write_bytes(leaf.private_key_pem.bytes())
        self.current = leaf
        return leaf

    def client_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        self.ca.configure_trust(context)
        return context

    async def starttls(self, smtp: aiosmtplib.SMTP) -> None:
        """STARTTLS as a sending MTA does it: the certificate must be valid for the MX name."""
        await smtp.starttls(server_hostname="mx.handoff.test", tls_context=self.client_context())
        await smtp.ehlo()  # RFC 3207: the session starts afresh after STARTTLS

    @staticmethod
    def der(leaf: trustme.LeafCert) -> bytes:
        return ssl.PEM_cert_to_DER_cert(leaf.cert_chain_pems[0].bytes().decode())


def peer_certificate(smtp: aiosmtplib.SMTP) -> bytes:
    assert smtp.transport is not None
    ssl_object = smtp.transport.get_extra_info("ssl_object")
    return bytes(ssl_object.getpeercert(binary_form=True))


# -- DNS ---------------------------------------------------------------------------------------------
class DnsServer(asyncio.DatagramProtocol):
    """A real name server on loopback UDP answering TXT queries from a dict; `down` drops queries."""

    def __init__(self, records: dict[str, str]) -> None:
        self.records = {k.rstrip(".").lower() + ".": v for k, v in records.items()}
        self.down = False
        self.queries: list[str] = []
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # 3.11's selector transport is not a subclass

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        query = dns.message.from_wire(data)
        name = query.question[0].name.to_text().lower()
        self.queries.append(name)
        if self.down:
            return
        response = dns.message.make_response(query)
        text = self.records.get(name)
        if text is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        else:
            chunks = " ".join(f'"{text[i : i + 255]}"' for i in range(0, len(text), 255))
            response.answer.append(dns.rrset.from_text(name, 60, dns.rdataclass.IN, dns.rdatatype.TXT, chunks))
        assert self.transport is not None
        self.transport.sendto(response.to_wire(), addr)


@contextlib.asynccontextmanager
async def dns_server(records: dict[str, str]) -> AsyncIterator[tuple[str, DnsServer]]:
    loop = asyncio.get_running_loop()
    transport, protocol = await loop.create_datagram_endpoint(lambda: DnsServer(records), local_addr=("127.0.0.1", 0))
    try:
        yield f"127.0.0.1:{transport.get_extra_info('sockname')[1]}", protocol
    finally:
        transport.close()


def dkim_key() -> tuple[bytes, str]:
    """(PEM private key for dkim.sign, the p= value of its DNS record)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, base64.b64encode(public).decode()
