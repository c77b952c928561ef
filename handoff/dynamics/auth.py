"""Client-credentials tokens for Dataverse through msal.

msal is synchronous (requests underneath), so every call runs in a thread; its in-memory token cache
keeps the token until shortly before expiry, so a steady stream of handoffs costs one token request
an hour. After a 401 the client asks for a refresh once: we drop the cached access tokens so msal must
fetch a new one.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from typing import Any

import msal
import msal.exceptions
import requests

from handoff.errors import PermanentError, TransientError
from handoff.settings import DynamicsSettings

log = logging.getLogger("handoff.dynamics.auth")


class TokenProvider:
    def __init__(self, settings: DynamicsSettings, org_url: str, authority: str, ca_file: str | None = None) -> None:
        self.settings = settings
        self.scopes = [f"{org_url.rstrip('/')}/.default"]
        self.authority = f"{authority.rstrip('/')}/{settings.tenant_id}"
        self.ca_file = ca_file or settings.ca_bundle
        self._app: msal.ConfidentialClientApplication | None = None
        # msal's app is not documented as thread-safe; tokens are rare, so one at a time is cheap.
        self._lock = threading.Lock()
        self.fetched = 0
        # Our own session so its keep-alive connection to the token endpoint is closed on shutdown.
        # requests lets REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE override a session's `verify`, which would
        # silently ignore [dynamics] ca_bundle; passing verify on every request makes ours win.
        self._http = requests.Session()
        self._http.request = functools.partial(  # type: ignore[method-assign]
            self._http.request, verify=self.ca_file or True, timeout=self.settings.timeout_seconds
        )

    def close(self) -> None:
        with self._lock:
            self._http.close()

    def _application(self) -> msal.ConfidentialClientApplication:
        if self._app is None:
            self._app = msal.ConfidentialClientApplication(
                self.settings.client_id,
                client_credential=self.settings.secret(),
                authority=self.authority,
                http_client=self._http,
                timeout=self.settings.timeout_seconds,
                # The authority is configured explicitly (sovereign clouds, tests); asking
                # login.microsoftonline.com to validate it would be a needless outside call.
                instance_discovery=False,
            )
        return self._app

    def _acquire(self, refresh: bool) -> str:
        with self._lock:
            try:
                app = self._application()
                if refresh:
                    cache = app.token_cache
                    # list(): search() is a generator over the dict that remove_at() changes.
                    for entry in list(cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
                        cache.remove_at(entry)
                result: dict[str, Any] = app.acquire_token_for_client(scopes=self.scopes)
            except (requests.ConnectionError, requests.Timeout) as exc:
                self._app = None  # authority metadata may not have loaded; build afresh next time
                raise TransientError(f"token endpoint unreachable: {type(exc).__name__}") from None
            except ValueError as exc:  # msal raises ValueError for unusable authority metadata
                self._app = None
                raise TransientError(f"token endpoint answered unusable metadata: {exc}") from None
            except msal.exceptions.MsalServiceError as exc:
                # An HTTP error from the authority itself (its metadata or token endpoint answering 5xx
                # or 429 during an Entra ID incident): nothing about our settings, so try again later.
                self._app = None
                raise TransientError(f"token endpoint failed: {str(exc)[:200]}") from None
        if "access_token" in result:
            if result.get("token_source") == "identity_provider":
                self.fetched += 1
                log.info("obtained a Dataverse token for %s (expires in %ss)", self.scopes[0], result.get("expires_in"))
            return str(result["access_token"])
        error = result.get("error", "unknown_error")
        description = str(result.get("error_description", "")).splitlines()[0][:300]
        if error in {"invalid_client", "unauthorized_client", "invalid_request", "invalid_scope"}:
            raise PermanentError(
                f"[dynamics] client_id/client_secret/tenant_id rejected by the token endpoint: {error}: {description}"
            )
        raise TransientError(f"token request failed: {error}: {description}")

    async def token(self, refresh: bool = False) -> str:
        return await asyncio.to_thread(self._acquire, refresh)
