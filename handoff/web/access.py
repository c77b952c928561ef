"""Who may open the status page and press its buttons, and why a forged cross-site POST does nothing.

On a loopback listener the page is open; otherwise (or with `[http] require_auth`) every page and action
needs `[http] token` (an `Authorization: Bearer` header, or typed once into /login) or `[http] user` and
its `password_hash` (basic auth, or /login). /healthz, /readyz and /metrics stay open.

A session is a signed cookie (HMAC with a key made at start-up, so a restart logs everyone out); it
carries no secret of its own. Every POST must carry the session's CSRF token (derived from the cookie
with the same key) and, when the browser says where it comes from, come from this origin
(`Origin`, `Sec-Fetch-Site`). A request with a valid bearer header needs no CSRF token: a browser never
adds that header to a cross-site request by itself, unlike cookies and basic auth.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import web

from handoff.settings import HttpSettings

COOKIE = "handoff_session"
SESSION_SECONDS = 12 * 3600
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
LOGIN_PATHS = frozenset({"/login"})
FAILED_LOGIN_DELAY = 0.5  # seconds; with scrypt's cost this keeps guessing slow

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Typed request storage (aiohttp 3.13+; plain names before, where it did not warn about them).
_Key: Any = getattr(web, "RequestKey", None)
SESSION: Any = _Key("handoff_session", object) if _Key else "handoff_session"
CSRF: Any = _Key("handoff_csrf", str) if _Key else "handoff_csrf"
AUTH_BY: Any = _Key("handoff_auth_by", object) if _Key else "handoff_auth_by"


@dataclass(frozen=True)
class Session:
    nonce: str
    authenticated: bool
    expires: int


class Access:
    def __init__(self, settings: HttpSettings) -> None:
        self.exposed = settings.exposed
        self.token = settings.token.get_secret_value() if settings.token else None
        self.user = settings.user
        self.users = None
        if settings.user and settings.password_hash:
            from handoff.smtp_auth import Users

            self.users = Users({settings.user: settings.password_hash.get_secret_value()})
        self._key = secrets.token_bytes(32)

    def close(self) -> None:
        if self.users is not None:
            self.users.close()

    # -- sessions ------------------------------------------------------------------------------------
    def _mac(self, value: str) -> str:
        return hmac.new(self._key, value.encode(), hashlib.sha256).hexdigest()

    def new_session(self, authenticated: bool) -> Session:
        return Session(secrets.token_urlsafe(16), authenticated, int(time.time()) + SESSION_SECONDS)

    def cookie_value(self, session: Session) -> str:
        value = f"{session.nonce}.{session.expires}.{int(session.authenticated)}"
        return f"{value}.{self._mac(value)}"

    def read(self, cookie: str | None) -> Session | None:
        if not cookie or cookie.count(".") != 3:
            return None
        value, _, mac = cookie.rpartition(".")
        if not hmac.compare_digest(mac, self._mac(value)):
            return None
        nonce, expires, authenticated = value.split(".")
        if not expires.isdigit() or int(expires) < time.time():
            return None
        return Session(nonce, authenticated == "1", int(expires))

    def csrf(self, session: Session) -> str:
        return self._mac("csrf:" + session.nonce)

    # -- credentials ---------------------------------------------------------------------------------
    def check_token(self, given: str) -> bool:
        return self.token is not None and hmac.compare_digest(given.encode(), self.token.encode())

    async def check_password(self, user: str, password: str) -> bool:
        if self.users is None:
            return False
        return await self.users.check(user, password.encode())

    async def check_header(self, header: str) -> str | None:
        """ "bearer" or "basic" when the Authorization header holds valid credentials, else None."""
        scheme, _, value = header.strip().partition(" ")
        scheme = scheme.lower()
        if scheme == "bearer":
            return "bearer" if self.check_token(value.strip()) else None
        if scheme == "basic":
            try:
                user, _, password = base64.b64decode(value.strip(), validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return None
            return "basic" if await self.check_password(user, password) else None
        return None

    def challenge(self) -> dict[str, str]:
        schemes = []
        if self.token:
            schemes.append('Bearer realm="handoff"')
        if self.users is not None:
            schemes.append('Basic realm="handoff", charset="UTF-8"')
        return {"WWW-Authenticate": ", ".join(schemes)} if schemes else {}


def same_origin(request: web.Request) -> bool:
    """False when the browser says the request comes from another site. Clients that send neither
    header (curl, scripts) are judged by the CSRF token alone."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    if origin == "null":
        return False
    # The host only: behind a TLS-terminating proxy the scheme we see is http while the browser's is https.
    # A proxy that rewrites Host says the browser's in X-Forwarded-Host; a cross-site form cannot set
    # that header, so accepting it opens nothing to a forged request.
    hosts = {request.host.lower(), request.headers.get("X-Forwarded-Host", "").split(",")[0].strip().lower()}
    return urlsplit(origin).netloc.lower() in hosts - {""}


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: never `//elsewhere` or `https://elsewhere` (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def set_session_cookie(request: web.Request, response: web.StreamResponse, access: Access, session: Session) -> None:
    response.set_cookie(
        COOKIE,
        access.cookie_value(session),
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="Strict",
        # Behind a TLS-terminating proxy the browser's side is https although ours is not.
        secure=request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https",
    )


def middleware(access: Access) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path in OPEN_PATHS:
            return await handler(request)
        session = access.read(request.cookies.get(COOKIE))
        fresh = False
        by = None
        if access.exposed and not (session and session.authenticated):
            header = request.headers.get("Authorization")
            if header:
                by = await access.check_header(header)
                if by is None:
                    await asyncio.sleep(FAILED_LOGIN_DELAY)
                    raise web.HTTPUnauthorized(text="wrong credentials\n", headers=access.challenge())
                if by == "basic":
                    # A browser sends basic auth with every request; a session spares a scrypt per page.
                    session, fresh = access.new_session(True), True
            elif request.path not in LOGIN_PATHS:
                if request.method in ("GET", "HEAD"):
                    raise web.HTTPSeeOther(f"/login?next={quote(request.path_qs, safe='')}")
                raise web.HTTPUnauthorized(text="log in first\n", headers=access.challenge())
        if session is None:
            session, fresh = access.new_session(not access.exposed), True
        if request.method == "POST" and by != "bearer":
            form = await request.post()
            given = str(form.get("csrf", ""))
            if not same_origin(request) or not hmac.compare_digest(given, access.csrf(session)):
                raise web.HTTPForbidden(text="cross-site or stale form: reload the page and try again\n")
        request[SESSION] = session
        request[CSRF] = access.csrf(session)
        request[AUTH_BY] = by
        response = await handler(request)
        if fresh and not response.cookies.get(COOKIE):
            set_session_cookie(request, response, access, session)
        return response

    return guard
