"""A throwaway certificate authority for the sandboxes: one CA, one loopback server certificate.

The CA's PEM is written to a private temporary directory so that clients which need a file
(msal's `verify=`, `ssl.create_default_context(cafile=...)`, a subprocess) can trust it.
Call `close()` to remove the directory.
"""

from __future__ import annotations

import shutil
import ssl
import tempfile
from pathlib import Path

import trustme

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


class SandboxTLS:
    """A CA plus a server certificate for the loopback names (or the hosts given)."""

    def __init__(self, hosts: tuple[str, ...] = LOOPBACK_NAMES) -> None:
        self._ca = trustme.CA(organization_name="handoff sandbox")
        self._cert = self._ca.issue_cert(*hosts)
        self._dir = Path(tempfile.mkdtemp(prefix="handoff-sandbox-tls-"))
        self.ca_file = self._dir / "ca.pem"
        self._ca.cert_pem.write_to_path(str(self.ca_file))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._cert.configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        """An SSL context for aiohttp that trusts this CA (and only this CA)."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def close(self) -> None:
        shutil.rmtree(self._dir, ignore_errors=True)
