"""A MoEngage emulator: the Data API and the D365 partner webhook, validating as shared/docs/moengage.md says.

It answers like MoEngage (`{"status":"success",...,"request_id"}` or `{"status":"fail","error":{...}}`) and
records every accepted event and user upsert in arrival order, so tests can prove that none is lost or
sent twice. Knobs make it fail the way MoEngage does: `fail(route, status)`, `down()`, `rate_limit()`,
`hold()` (stall requests, e.g. while a client is killed) and `drop_response()` (accept, then lose the
answer: the one case a client cannot tell from a failure).

Checks, in MoEngage's order as far as the doc tells: Basic auth (401), workspace in the path vs the
username (409), key (401), Content-Type (400 missing / 415 other), size (413 over 128 KB), JSON (400),
rate limit (429 with x-ratelimit-*), then the fields (400). Where the doc names no error type or message
(placeholders, future-dated events, the partner `configName`) the names here are the emulator's own, and
it is stricter than MoEngage on purpose: MoEngage silently drops `moe_` attributes and truncates long
ones, the emulator rejects the first and flags the second (`truncated`), so a client bug shows.

Routes (`route` names, used by the knobs): "customer" POST /v1/customer/{workspace}, "event" POST
/v1/event/{workspace}, "transition" POST /v1/transition/{workspace}, "partner_events" and "partner_users"
POST /v1/partner/d365-service/{events|users}/?configName=...
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

log = logging.getLogger("handoff.sandbox.moengage")

MAX_BODY = 128 * 1024
NAME_LIMIT = 200
VALUE_LIMIT = 512
MAX_ATTRIBUTES = 100
FUTURE_SKEW_SECONDS = 60.0  # clocks differ a little; an event further ahead than this is "future-dated"
PLACEHOLDER_IDS = frozenset({"", "unknown", "null", "none", "nil", "undefined", "0", "n/a", "na", "-"})
ROUTES = ("customer", "event", "transition", "partner_events", "partner_users")
SUCCESS = "Your request has been accepted and will be processed soon."


class Reject(Exception):
    def __init__(self, status: int, kind: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message
        self.headers = headers or {}


@dataclass
class Window:
    """A fixed-window limit: `limit` units per `seconds`, counted by `unit(body)`."""

    name: str
    limit: int
    seconds: int
    unit: Callable[[dict[str, Any]], int]
    start: int = 0
    used: int = 0

    def take(self, now: float, amount: int) -> bool:
        start = int(now // self.seconds) * self.seconds
        if start != self.start:
            self.start, self.used = start, 0
        if self.used + amount > self.limit:
            return False
        self.used += amount
        return True

    def headers(self, now: float) -> dict[str, str]:
        start = int(now // self.seconds) * self.seconds
        used = self.used if start == self.start else 0
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(max(0, self.limit - used)),
            "x-ratelimit-reset": str(start + self.seconds),  # UTC epoch seconds, as MoEngage documents
        }


def _requests(body: dict[str, Any]) -> int:
    return 1


def _events(body: dict[str, Any]) -> int:
    if body.get("type") == "transition":
        return sum(len(e.get("actions") or []) for e in body.get("elements") or [] if isinstance(e, dict))
    return len(body.get("actions") or [])


def _users(body: dict[str, Any]) -> int:
    if body.get("type") == "transition":
        return sum(1 for e in body.get("elements") or [] if isinstance(e, dict) and e.get("type") == "customer")
    return 1


def doc_limits() -> dict[str, list[Window]]:
    """MoEngage's published limits per workspace."""
    return {
        "customer": [Window("users/min", 10_000, 60, _users)],
        "event": [Window("events/min", 30_000, 60, _events)],
        "transition": [Window("events/min", 60_000, 60, _events), Window("users/min", 60_000, 60, _users)],
        "partner_events": [Window("requests/s", 500, 1, _requests)],
        "partner_users": [Window("requests/s", 500, 1, _requests)],
    }


def _request_id() -> str:
    return "".join(secrets.choice(string.ascii_letters) for _ in range(8))


def parse_time(value: Any) -> datetime:
    """MoEngage's accepted times: epoch seconds, epoch milliseconds, or ISO 8601."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a time")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 100_000_000_000 else value
        return datetime.fromtimestamp(seconds, UTC)
    if isinstance(value, str):
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    raise ValueError(f"{type(value).__name__} is not a time")


class MoEngageSandbox:
    def __init__(self, workspace_id: str = "SANDBOXWORKSPACE", api_key: str = "sandbox-key") -> None:
        self.workspace_id = workspace_id
        self.api_key = api_key
        self.accepted: list[dict[str, Any]] = []  # every accepted event / user upsert, in arrival order
        self.requests: list[dict[str, Any]] = []  # every request seen: route, path, status (no bodies)
        self.discarded = 0  # held requests whose client went away before they were processed
        self.url = ""
        self.host = ""
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._failures: dict[str, list[list[Any]]] = {}
        self._down = False
        self._limits = doc_limits()
        self._drops: dict[str, int] = {}
        self._release = asyncio.Event()
        self._release.set()
        self._hold_countdown: int | None = None
        self.held = 0

    # -- life cycle -------------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        app = web.Application(client_max_size=8 * MAX_BODY)  # bigger than MoEngage's cap, so we answer 413
        for path, route in (
            ("/v1/customer/{workspace}", "customer"),
            ("/v1/event/{workspace}", "event"),
            ("/v1/transition/{workspace}", "transition"),
            ("/v1/partner/d365-service/events/", "partner_events"),
            ("/v1/partner/d365-service/events", "partner_events"),
            ("/v1/partner/d365-service/users/", "partner_users"),
            ("/v1/partner/d365-service/users", "partner_users"),
        ):
            app.router.add_post(path, self._handler(route))
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.host, self.port = host, int(self._runner.addresses[0][1])
        self.url = f"http://{host}:{self.port}"
        log.info("MoEngage sandbox on %s (workspace %s)", self.url, self.workspace_id)

    async def stop(self) -> None:
        self._release.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> MoEngageSandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- knobs ------------------------------------------------------------------------------------
    def fail(
        self, route: str, status: int, times: int = 1, message: str | None = None, match: str | None = None
    ) -> None:
        """Answer the next `times` requests to `route` ("*" for any) with `status` before any check.

        With `match`, only requests whose body contains that text (one event, say) fail.
        """
        if route != "*" and route not in ROUTES:
            raise ValueError(f"unknown route {route!r}; one of {ROUTES} or '*'")
        self._failures.setdefault(route, []).append([status, times, message, match])

    def down(self, flag: bool = True) -> None:
        """Refuse everything with 503 until `down(False)`."""
        self._down = flag

    def rate_limit(self, per_second: int | None = None, per_minute: int | None = None) -> None:
        """Limit requests per workspace on every route; no arguments restores MoEngage's published limits."""
        if per_second is None and per_minute is None:
            self._limits = doc_limits()
            return
        windows = []
        if per_second is not None:
            windows.append(("requests/s", per_second, 1))
        if per_minute is not None:
            windows.append(("requests/min", per_minute, 60))
        self._limits = {route: [Window(n, limit, s, _requests) for n, limit, s in windows] for route in ROUTES}

    def hold(self, flag: bool = True, after: int = 0) -> None:
        """Stall requests (after letting `after` more through) until `hold(False)`.

        A stalled request whose client has gone when released is discarded unprocessed (`discarded`).
        """
        if flag:
            self._hold_countdown = after
            if after == 0:
                self._release.clear()
        else:
            self._hold_countdown = None
            self._release.set()

    def drop_response(self, route: str = "*", times: int = 1) -> None:
        """Accept and record the next `times` requests, then cut the connection instead of answering."""
        self._drops[route] = self._drops.get(route, 0) + times

    # -- views ------------------------------------------------------------------------------------
    def events(self) -> list[dict[str, Any]]:
        return [entry for entry in self.accepted if entry["kind"] == "event"]

    def users(self) -> list[dict[str, Any]]:
        return [entry for entry in self.accepted if entry["kind"] == "user"]

    def statuses(self) -> list[int]:
        return [r["status"] for r in self.requests]

    # -- the handler ------------------------------------------------------------------------------
    def _handler(self, route: str) -> Callable[[web.Request], Any]:
        async def handle(request: web.Request) -> web.StreamResponse:
            return await self._handle(route, request)

        return handle

    async def _handle(self, route: str, request: web.Request) -> web.StreamResponse:
        seen: dict[str, Any] = {"route": route, "path": request.path, "status": 0}
        self.requests.append(seen)
        if self._hold_countdown is not None:
            if self._hold_countdown == 0:
                self._release.clear()
            else:
                self._hold_countdown -= 1
        if not self._release.is_set():
            self.held += 1
            try:
                await self._release.wait()
            finally:
                self.held -= 1
            if request.transport is None or request.transport.is_closing():
                self.discarded += 1
                seen["status"] = -1
                return web.Response(status=499)
        request_id = _request_id()
        headers: dict[str, str] = {}
        try:
            entries, headers = await self._check(route, request, request_id)
        except Reject as reject:
            seen["status"] = reject.status
            body = {
                "status": "fail",
                "error": {"type": reject.kind, "message": reject.message, "request_id": request_id},
            }
            return web.json_response(body, status=reject.status, headers={**headers, **reject.headers})
        for entry in entries:
            entry.update(request_id=request_id, route=route, path=request.path, seq=len(self.accepted))
            self.accepted.append(entry)
        seen["status"] = 200
        if self._take_drop(route) and request.transport is not None:
            seen["status"] = -200  # processed, answer lost
            request.transport.abort()
            return web.Response(status=200)
        return web.json_response(
            {"status": "success", "message": SUCCESS, "request_id": request_id}, status=200, headers=headers
        )

    def _take_drop(self, route: str) -> bool:
        for key in (route, "*"):
            if self._drops.get(key, 0) > 0:
                self._drops[key] -= 1
                return True
        return False

    def _forced(self, route: str, raw: bytes) -> Reject | None:
        for key in (route, "*"):
            for rule in self._failures.get(key) or []:
                status, times, message, match = rule
                if match is not None and match.encode() not in raw:
                    continue
                if times <= 1:
                    self._failures[key].remove(rule)
                else:
                    rule[1] = times - 1
                return _forced_reject(status, message)
        return None

    async def _check(
        self, route: str, request: web.Request, request_id: str
    ) -> tuple[list[dict[str, Any]], dict[str, str]]:
        if self._down:
            raise Reject(503, "ServiceUnavailable", "Service temporarily unavailable, please retry")
        raw = await request.read()
        forced = self._forced(route, raw)
        if forced is not None:
            raise forced
        self._authenticate(request)
        content_type = request.headers.get("Content-Type")
        if not content_type:
            raise Reject(400, "BadRequest", "The Content-Type Header is required")
        if request.content_type != "application/json":
            raise Reject(415, "UnsupportedMediaType", f"Unsupported Media Type {request.content_type!r}")
        if len(raw) > MAX_BODY:
            raise Reject(413, "PayloadTooLarge", "Payload size exceeds 128 KB")
        try:
            body = json.loads(raw)
        except ValueError:
            raise Reject(400, "BadRequest", "Malformed JSON") from None
        if not isinstance(body, dict):
            raise Reject(400, "BadRequest", "Malformed JSON")
        headers = self._rate(route, body)
        return self._validate(route, request, body), headers

    def _authenticate(self, request: web.Request) -> None:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "basic" or not token.strip():
            raise Reject(401, "AuthenticationError", "Authentication Header Required")
        try:
            username, _, password = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise Reject(401, "AuthenticationError", "Authentication Header Required") from None
        workspace = request.match_info.get("workspace")
        if workspace is not None and workspace != username:
            raise Reject(409, "Conflict", "App key mismatch in params and authentication")
        if username != self.workspace_id or password != self.api_key:
            raise Reject(
                401, "AuthenticationError", "App Secret key mismatch. Please login to the dashboard to verify key"
            )

    def _rate(self, route: str, body: dict[str, Any]) -> dict[str, str]:
        now = time.time()
        windows = self._limits.get(route, [])
        for window in windows:
            if not window.take(now, window.unit(body)):
                raise Reject(429, "RateLimitError", "Rate limit exceeded", window.headers(now))
        return windows[0].headers(now) if windows else {}

    # -- fields -----------------------------------------------------------------------------------
    def _validate(self, route: str, request: web.Request, body: dict[str, Any]) -> list[dict[str, Any]]:
        if route == "customer":
            return [self._customer(body, body)]
        if route == "event":
            return self._event(body, body)
        if route == "transition":
            elements = body.get("elements")
            if not isinstance(elements, list) or not elements:
                raise Reject(400, "MissingAttributeError", "elements can not be empty Array")
            entries: list[dict[str, Any]] = []
            for element in elements:
                if not isinstance(element, dict) or element.get("type") not in ("customer", "event"):
                    raise Reject(400, "InvalidAttributeError", "each element needs type 'customer' or 'event'")
                if element["type"] == "customer":
                    entries.append(self._customer(element, body))
                else:
                    entries.extend(self._event(element, body))
            return entries
        if not request.query.get("configName"):
            raise Reject(400, "MissingAttributeError", "configName is not found in the query string")
        return self._partner(route, body)

    def _customer_id(self, data: dict[str, Any]) -> str:
        customer_id = data.get("customer_id")
        if customer_id is None:
            raise Reject(400, "MissingAttributeError", "customer_id is not found in the payload")
        if not isinstance(customer_id, str | int) or str(customer_id).strip().lower() in PLACEHOLDER_IDS:
            raise Reject(400, "InvalidAttributeError", f"customer_id {customer_id!r} is not a valid identifier")
        return str(customer_id)

    def _attributes(self, value: Any, name: str, entry: dict[str, Any], required: bool = False) -> dict[str, Any]:
        if value is None and not required:
            return {}
        if not isinstance(value, dict):
            raise Reject(400, "MissingAttributeError", f"{name} is not found in the payload")
        if len(value) > MAX_ATTRIBUTES:
            raise Reject(400, "InvalidAttributeError", f"{name}: at most {MAX_ATTRIBUTES} attributes")
        kept: dict[str, Any] = {}
        for key, item in value.items():
            if key.lower().startswith("moe_"):
                raise Reject(400, "InvalidAttributeError", f"{name}: attribute names can not start with moe_")
            if len(key) > NAME_LIMIT:
                key, entry["truncated"] = key[:NAME_LIMIT], True
            if isinstance(item, str) and len(item) > VALUE_LIMIT:
                item, entry["truncated"] = item[:VALUE_LIMIT], True
            kept[key] = item
        return kept

    def _time(self, value: Any, name: str) -> str:
        try:
            moment = parse_time(value)
        except (ValueError, OverflowError, OSError):
            raise Reject(400, "InvalidAttributeError", f"{name} is not a valid time") from None
        if moment.timestamp() > time.time() + FUTURE_SKEW_SECONDS:
            raise Reject(400, "InvalidAttributeError", f"{name} is in the future; future dated events are not accepted")
        return moment.isoformat()

    def _customer(self, data: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        if data.get("type") != "customer":
            raise Reject(400, "InvalidAttributeError", "type must be 'customer'")
        entry: dict[str, Any] = {"kind": "user", "customer_id": self._customer_id(data), "body": body}
        entry["attributes"] = self._attributes(data.get("attributes"), "attributes", entry, required=True)
        return entry

    def _event(self, data: dict[str, Any], body: dict[str, Any]) -> list[dict[str, Any]]:
        if data.get("type") != "event":
            raise Reject(400, "InvalidAttributeError", "type must be 'event'")
        customer_id = self._customer_id(data)
        actions = data.get("actions")
        if not isinstance(actions, list) or not actions:
            raise Reject(400, "MissingAttributeError", "actions can not be empty Array")
        entries = []
        for action in actions:
            if not isinstance(action, dict) or not action.get("action"):
                raise Reject(400, "MissingAttributeError", "action is not found in the payload")
            entry: dict[str, Any] = {"kind": "event", "customer_id": customer_id, "event_name": action["action"]}
            entry["attributes"] = self._attributes(action.get("attributes"), "attributes", entry)
            when = action.get("current_time")
            entry["time"] = self._time(when, "current_time") if when is not None else datetime.now(UTC).isoformat()
            entry["body"] = body
            entries.append(entry)
        return entries

    def _partner(self, route: str, body: dict[str, Any]) -> list[dict[str, Any]]:
        customer_id = self._customer_id(body)
        if body.get("updated_at") in (None, ""):
            raise Reject(400, "MissingAttributeError", "updated_at is not found in the payload")
        when = self._time(body["updated_at"], "updated_at")
        entries: list[dict[str, Any]] = []
        if route == "partner_users" or body.get("user_attributes") is not None:
            user: dict[str, Any] = {"kind": "user", "customer_id": customer_id, "body": body}
            user["attributes"] = self._attributes(
                body.get("user_attributes"), "user_attributes", user, required=route == "partner_users"
            )
            entries.append(user)
        if route == "partner_events":
            if not body.get("event_name"):
                raise Reject(400, "MissingAttributeError", "event_name is not found in the payload")
            event: dict[str, Any] = {"kind": "event", "customer_id": customer_id, "event_name": body["event_name"]}
            event["attributes"] = self._attributes(body.get("event_attributes"), "event_attributes", event, True)
            event.update(time=when, body=body)
            entries.append(event)
        return entries


def _forced_reject(status: int, message: str | None) -> Reject:
    kinds = {
        400: ("MissingAttributeError", "customer_id is not found in the payload"),
        401: ("AuthenticationError", "App Secret key mismatch. Please login to the dashboard to verify key"),
        403: ("Forbidden", "Account suspended"),
        409: ("Conflict", "App key mismatch in params and authentication"),
        413: ("PayloadTooLarge", "Payload size exceeds 128 KB"),
        415: ("UnsupportedMediaType", "Unsupported Media Type"),
        429: ("RateLimitError", "Rate limit exceeded"),
        503: ("ServiceUnavailable", "Service temporarily unavailable, please retry"),
    }
    kind, default = kinds.get(status, ("InternalServerError", "Internal server error, please retry"))
    headers = {}
    if status == 429:
        now = time.time()
        headers = {"x-ratelimit-limit": "0", "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(now) + 1)}
    return Reject(status, kind, message or default, headers)
