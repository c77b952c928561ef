"""The Dataverse sandbox: an HTTPS emulator of the Web API plus an Entra ID (AAD) token endpoint.

One aiohttp server on loopback, TLS from a throwaway CA, answers what handoff uses, checked in
this order for every Web API request: an outage (503), auth (401/403), forced failures and
throttling (429), routing (404), validation against column metadata (400), execution. Knobs let
tests and benchmarks force failures, add latency, drop a response after its commit (counted or at
a seeded random rate), take the whole server or only its token endpoint down, expire tokens, revoke
a privilege, turn on duplicate detection and lower the service protection limits. Change tracking
(handoff.sandbox.dataverse_changes) has its own: a table's "Track changes" flag
(`change_tracking(set, False)`), `expire_delta_tokens()` and `expire_change_tracking_days`; and
handoff.sandbox.dataverse_admin moves a case through its lifecycle (resolve, cancel, SLA, survey).

    async with DataverseSandbox() as sb:
        msal.ConfidentialClientApplication(sb.client_id, client_credential=sb.client_secret,
            authority=f"{sb.authority}/{sb.tenant_id}", verify=sb.ca_file, instance_discovery=False)

Standalone: `python -m handoff.sandbox.dataverse --port 8999 [--store FILE]` prints
`{"url": ..., "authority": ..., "ca_file": ...}` on one line and serves until interrupted. It is a
test tool: it binds to loopback, and its control API (handoff.sandbox.dataverse_control, under
`/_sandbox/` on the same server) sets the knobs from another process WITHOUT any token. Never bind
it to an address other machines can reach.

Notes for clients and tests:
- `requests` lists Web API requests only (401s, 429s and dropped ones included, the latter with
  `"dropped": True`; `"at"` is the arrival time on `time.monotonic()`); token calls are counted in
  `token_requests`. A `$batch` is one entry. `peak_in_flight` is the most admitted at once. An
  admitted request's entry has `"execution_ms"`, the time counted against the execution-time limit.
- An unknown client id gets AAD's 400 `unauthorized_client` (AADSTS700016), a wrong or missing
  secret 401 `invalid_client` (AADSTS7000215 / AADSTS7000216), as Entra ID answers.
- requests (under msal) lets REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE override `verify=ca_file`; unset them,
  or give msal an `http_client` session whose requests pass `verify=ca_file` explicitly.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import logging
import math
import random
import secrets
import signal
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit

from aiohttp import web

from handoff.sandbox.dataverse_api import (
    API_PREFIX,
    LOOKUP_TYPE,
    ORGANIZATIONS,
    Operation,
    Result,
    WebApi,
    now_iso,
    route_of,
)
from handoff.sandbox.dataverse_schema import DataverseError, Entity, build_schema
from handoff.sandbox.dataverse_store import Store
from handoff.sandbox.tls import SandboxTLS

log = logging.getLogger("handoff.sandbox.dataverse")

DEFAULT_TENANT = "00000000-0000-0000-0000-000000000000"
DEFAULT_CLIENT = "00000000-0000-0000-0000-000000000001"
DEFAULT_SECRET = "sandbox-secret"
_DEFAULT_FAILURES = {
    408: ("0x80040216", "The request timed out."),
    # A create on an existing key (dataverse.md "Idempotent create"); fail(..., code="") for the upsert form.
    412: ("0x80040237", "A record with matching key values already exists."),
    429: None,  # filled from the current limits
    500: ("0x80040216", "An unexpected error occurred."),
    502: ("0x80040216", "Bad Gateway"),
    503: ("0x80040216", "The service is temporarily unavailable. Please try again later."),
    504: ("0x80040216", "The operation timed out."),
}


@dataclass
class _Failure:
    route: str
    status: int
    remaining: int | None  # None: every matching request until clear_failures()
    retry_after: float | None
    code: str | None
    message: str | None


@dataclass
class _DropRate:
    fraction: float
    rng: random.Random


OUTAGE_MODES = (None, "503", "refuse")


@dataclass
class _Usage:
    """Service protection bookkeeping for one application user."""

    starts: deque[float] = field(default_factory=deque)
    executions: deque[tuple[float, float]] = field(default_factory=deque)  # (finished at, ms)
    in_flight: int = 0
    peak_in_flight: int = 0


# What is left of the user's limits, sent on every admitted Web API response. Microsoft's "Service
# protection API limits" (powerapps-docs, developer/data-platform/api-limits.md, "HTTP response headers"):
# `x-ms-ratelimit-burst-remaining-xrm-requests` "the remaining number of requests for this connection",
# `x-ms-ratelimit-time-remaining-xrm-requests` "the remaining combined duration for all connections using the
# same user account" ("intended for debugging purposes"). The values as captured from real environments
# (powerapps-docs portals Web API page, a 2020 capture: `5993` and `1,199.46`; `5999` and `1,200.00` on a
# first request): the requests left counting this one, the execution seconds left before it ran, with
# thousands separators and two decimals.
BURST_REMAINING = "x-ms-ratelimit-burst-remaining-xrm-requests"
TIME_REMAINING = "x-ms-ratelimit-time-remaining-xrm-requests"


def remaining_headers(requests_left: int, execution_ms_left: float) -> dict[str, str]:
    return {BURST_REMAINING: str(max(0, requests_left)), TIME_REMAINING: f"{max(0.0, execution_ms_left) / 1000:,.2f}"}


@dataclass
class Limits:
    requests: int = 6000
    window_seconds: float = 300.0
    concurrent: int = 52
    execution_ms: float = 1_200_000


def _route_matches(knob: str, route: str, top_level: bool) -> bool:
    """`knob` is "*" (top-level requests), "METHOD name" ("POST $batch") or a name alone ("$batch")."""
    if knob == "*":
        return top_level
    knob = knob.strip()
    if " " not in knob:
        return knob.lower() == route.partition(" ")[2].lower()
    return knob.lower() == route.lower()


class DataverseSandbox:
    """See the module docstring. All knobs may be called before or after `start()`."""

    def __init__(
        self,
        store_path: str | Path | None = None,
        seed: int = 0,
        tenant_id: str = DEFAULT_TENANT,
        client_id: str = DEFAULT_CLIENT,
        client_secret: str = DEFAULT_SECRET,
        custom_picklists: dict[str, dict[int, str]] | None = None,
    ) -> None:
        self.tenant_id = tenant_id.lower()
        self.client_id = client_id.lower()
        self.client_secret = client_secret
        self.seed = seed
        self.schema: dict[str, Entity] = build_schema(custom_picklists)
        self._store = Store(store_path)
        # Fixed ids, so processes sharing a store agree on who the application user is.
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"handoff-sandbox:{self.tenant_id}")
        self.user_id = str(uuid.uuid5(namespace, f"applicationuser:{self.client_id}"))
        self.business_unit_id = str(uuid.uuid5(namespace, "businessunit"))
        self.organization_id = str(uuid.uuid5(namespace, "organization"))
        self._api = WebApi(
            self.schema,
            f"https://127.0.0.1{API_PREFIX}",
            random.Random(seed),
            self.user_id,
            self.business_unit_id,
            self.organization_id,
        )
        self.token_lifetime = 3599
        self.requests: list[dict[str, Any]] = []
        self.token_requests = 0
        self.limits = Limits()
        self._tokens: dict[str, tuple[float, str]] = {}  # token -> (expires at, client id)
        self._usage: dict[str, _Usage] = {}
        self._failures: list[_Failure] = []
        self._drops: list[list[Any]] = []  # [route, remaining]
        self._drop_rates: dict[str, _DropRate] = {}
        self._latency: dict[str, float] = {}
        self._latency_per_operation: dict[str, float] = {}
        self._outage: str | None = None
        self._outage_retry_after: float | None = None
        self._outage_timer: asyncio.Task[None] | None = None
        self._token_down = False
        self._tls: SandboxTLS | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._host = "127.0.0.1"
        self._port = 0
        self._server_ssl: Any = None
        self.url = ""
        self.authority = ""
        self.ca_file = ""
        # The application user the token maps to (WhoAmI, default owner), once per store.
        self._insert(
            "systemusers",
            {
                "systemuserid": self.user_id,
                "fullname": "# handoff",
                "applicationid": self.client_id,
                "isdisabled": False,
            },
            if_absent=True,
        )

    # ----------------------------------------------------------------------------- lifecycle

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._tls = SandboxTLS()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._openid_configuration)
        app.router.add_get("/{tenant}/.well-known/openid-configuration", self._openid_configuration)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_post("/{tenant}/oauth2/token", self._token)
        app.router.add_route("*", r"/api/data/{version:v9\.[0-2]}/{tail:.*}", self._web_api)
        from handoff.sandbox.dataverse_control import add_control_routes

        add_control_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        self._server_ssl = self._tls.server_context()
        self._host = host
        self._site = web.TCPSite(self._runner, host, port, ssl_context=self._server_ssl)
        await self._site.start()
        bound_port = self._runner.addresses[0][1]
        self._port = bound_port  # an outage("refuse") listens again on this very port
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        if ":" in shown:
            shown = f"[{shown}]"
        self.url = f"https://{shown}:{bound_port}"
        self.authority = self.url
        self.ca_file = str(self._tls.ca_file)
        self._api.base_url = f"{self.url}{API_PREFIX}"
        log.info("dataverse sandbox listening on %s", self.url)

    async def stop(self) -> None:
        self._cancel_outage_timer()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._site = None
        if self._tls is not None:
            self._tls.close()
            self._tls = None
        self._store.release()

    async def __aenter__(self) -> DataverseSandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------------------- inspection

    def table(self, entity_set: str) -> list[dict[str, Any]]:
        """Stored records of an entity set, oldest first."""
        if entity_set not in self.schema:
            raise KeyError(f"unknown entity set {entity_set!r}; known: {', '.join(self.schema)}")
        if entity_set == ORGANIZATIONS:  # built from the current limits, not stored
            return [self._api.organization()]
        with self._store.transaction() as txn:
            return txn.scan(entity_set)

    def add_record(self, entity_set: str, data: dict[str, Any]) -> str:
        """Seed a record directly (no validation, no privileges); returns its id.

        The primary key may be given (ValueError if it exists); `<nav>@odata.bind` values are resolved
        like in the Web API; `createdon` may be given.
        """
        return self._insert(entity_set, data, if_absent=False)

    def _insert(self, entity_set: str, data: dict[str, Any], if_absent: bool) -> str:
        entity = self.schema.get(entity_set)
        if entity is None:
            raise KeyError(f"unknown entity set {entity_set!r}; known: {', '.join(self.schema)}")
        record = {k: v for k, v in data.items() if not k.endswith("@odata.bind")}
        binds = {k[: -len("@odata.bind")]: v for k, v in data.items() if k.endswith("@odata.bind")}
        with self._store.transaction() as txn:
            record_id = str(record.pop(entity.key, None) or self._api.new_id(txn)).lower()
            if txn.get(entity_set, record_id) is not None:
                if if_absent:
                    return record_id
                raise ValueError(f"{entity_set}({record_id}) already exists")
            for nav_name, value in binds.items():
                nav = entity.navs[nav_name]
                target, target_id = self._api.resolve_reference(value, nav, entity)
                record[f"_{nav.lookup}_value"] = target_id
                record[f"_{nav.lookup}_value{LOOKUP_TYPE}"] = target.logical
            record[entity.key] = record_id
            record.setdefault("createdon", now_iso())
            record.setdefault("modifiedon", record["createdon"])
            record["versionnumber"] = txn.next_value("versionnumber", 1000)
            self._api.server_defaults(entity, record, txn)
            txn.insert(entity_set, record_id, record)
        return record_id

    def update_record(self, entity_set: str, record_id: str, values: dict[str, Any]) -> dict[str, Any]:
        """Change a stored record directly (no validation, no privileges), as a plug-in or the SLA engine
        would: `modifiedon` and `versionnumber` move and the change is in the next delta."""
        with self._store.transaction() as txn:
            return self._update(txn, entity_set, record_id, values)

    def _update(self, txn: Any, entity_set: str, record_id: str, values: dict[str, Any]) -> dict[str, Any]:
        record = txn.get(entity_set, record_id)
        if record is None:
            raise KeyError(f"{entity_set}({record_id}) does not exist")
        record.update(values)
        record["modifiedon"] = values.get("modifiedon") or now_iso()
        record["versionnumber"] = txn.next_value("versionnumber", 1000)
        txn.update(entity_set, record_id, record)
        return record

    def delete_record(self, entity_set: str, record_id: str) -> None:
        """Delete a stored record; change tracking reports it as a `$deletedEntity`."""
        with self._store.transaction() as txn:
            if txn.get(entity_set, record_id) is None:
                raise KeyError(f"{entity_set}({record_id}) does not exist")
            txn.delete(entity_set, record_id)

    # ----------------------------------------------------------------------------- change tracking

    def change_tracking(self, entity_set: str, enabled: bool = True) -> None:
        """A table's "Track changes" property. Off: a change tracking request answers 400 0x80072491.
        Kept in the store, so every process sharing the file agrees."""
        from handoff.sandbox.dataverse_changes import DISABLED_PREFIX

        if entity_set not in self.schema:
            raise KeyError(f"unknown entity set {entity_set!r}")
        with self._store.transaction() as txn:
            txn.set_counter(DISABLED_PREFIX + entity_set, 0 if enabled else 1)

    def change_tracking_enabled(self, entity_set: str) -> bool:
        from handoff.sandbox.dataverse_changes import is_enabled

        with self._store.transaction() as txn:
            return is_enabled(txn, entity_set)

    def expire_delta_tokens(self) -> None:
        """Every delta token issued until now is refused (0x80044352), as if older than
        ExpireChangeTrackingInDays; the next initial request starts afresh. Kept in the store."""
        from handoff.sandbox.dataverse_changes import EXPIRED_BEFORE

        with self._store.transaction() as txn:
            txn.set_counter(EXPIRED_BEFORE, int(time.time() * 1000) + 1)

    @property
    def expire_change_tracking_days(self) -> float:
        return self._api.expire_change_tracking_days

    @expire_change_tracking_days.setter
    def expire_change_tracking_days(self, days: float) -> None:
        self._api.expire_change_tracking_days = days

    # ----------------------------------------------------------------------------- knobs

    def fail(
        self,
        route: str,
        status: int,
        times: int | None = 1,
        retry_after: float | None = None,
        code: str | None = None,
        message: str | None = None,
    ) -> None:
        """Answer the next `times` requests on `route` with `status` before executing them.

        `times=None`: every matching request until `clear_failures()`. `route` is "METHOD name"
        ("POST incidents"), a name alone for any method ("$batch", "incidents") or "*" (every
        top-level request). Applies to `$batch` operations too (except for "*"); a failing operation
        inside a change set makes the `$batch` answer carry its status. `code=""` sends an empty
        error code (as Dataverse's upsert 412 does).
        """
        self._failures.append(_Failure(route, status, times, retry_after, code, message))

    def clear_failures(self, route: str | None = None) -> None:
        """Forget forced failures on `route` (exactly as given to `fail`), or all of them."""
        self._failures = [f for f in self._failures if route is not None and f.route != route]

    def drop_after_commit(self, route: str, times: int = 1) -> None:
        """Execute and commit the next `times` requests on `route`, then drop the connection unanswered."""
        self._drops.append([route, times])

    def drop_rate(self, route: str, fraction: float, seed: int = 0) -> None:
        """Execute and commit every request on `route`, then drop the answer of a random `fraction` of them.

        Deterministic for a seed: the n-th matching request is dropped or not the same way every run.
        `fraction` 0 turns it off; counted drops (`drop_after_commit`) are used up first.
        """
        if fraction <= 0:
            self._drop_rates.pop(route, None)
        else:
            self._drop_rates[route] = _DropRate(min(1.0, float(fraction)), random.Random(seed))

    async def outage(self, mode: str | None, retry_after: float | None = None, seconds: float | None = None) -> None:
        """Take Dataverse down, or bring it back.

        - "refuse": stop listening on the port and abort every open (keep-alive) connection, so clients
          get connection refused or reset; the token endpoint, on the same server, goes down with it.
        - "503": every Web API request (`$batch` included) answers 503 with Dataverse's body, and
          `Retry-After` when `retry_after` is given; the token endpoint keeps working.
        - None: back to normal, listening again on the same port (clients keep their URL).

        `seconds`: the outage ends by itself after that long.
        """
        await self._set_outage(mode, retry_after, seconds)

    async def _set_outage(
        self, mode: str | int | None, retry_after: float | None, seconds: float | None, keep: Any = None
    ) -> None:
        """`keep`: a connection not to abort (the control API's own, which still has to answer)."""
        mode = None if mode is None else str(mode).lower()
        if mode not in OUTAGE_MODES:
            raise ValueError(f"outage mode must be one of {OUTAGE_MODES}, not {mode!r}")
        if mode == "refuse" and self._runner is None:
            raise RuntimeError('outage("refuse") needs a started sandbox')
        self._cancel_outage_timer()
        self._outage, self._outage_retry_after = mode, retry_after
        if mode == "refuse":
            await self._stop_listening(keep)
        else:
            await self._listen()
        if mode is not None:
            log.info("dataverse sandbox outage: %s%s", mode, f" for {seconds:g}s" if seconds else "")
        if mode is not None and seconds is not None and seconds > 0:
            self._outage_timer = asyncio.get_running_loop().create_task(self._end_outage_after(seconds))

    async def _end_outage_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self._outage_timer = None  # so that ending the outage does not cancel this very task
        await self._set_outage(None, None, None)

    def _cancel_outage_timer(self) -> None:
        if self._outage_timer is not None:
            self._outage_timer.cancel()
            self._outage_timer = None

    async def _stop_listening(self, keep: Any = None) -> None:
        if self._site is not None:
            await self._site.stop()  # closes the listening socket; open connections stay until aborted
            self._site = None
        server = self._runner.server if self._runner is not None else None
        for handler in server.connections if server is not None else []:
            if handler is not keep and handler.transport is not None:
                handler.transport.abort()

    async def _listen(self) -> None:
        if self._site is None and self._runner is not None:
            self._site = web.TCPSite(self._runner, self._host, self._port, ssl_context=self._server_ssl)
            await self._site.start()

    def token_outage(self, down: bool = True) -> None:
        """Only the token endpoint answers 503 (AADSTS50196 temporarily_unavailable) while `down`."""
        self._token_down = down

    async def clear_faults(self) -> None:
        """Forced failures, drops, drop rates, latency and outages all back to normal."""
        self._failures.clear()
        self._drops.clear()
        self._drop_rates.clear()
        self._latency.clear()
        self._latency_per_operation.clear()
        self._token_down = False
        await self._set_outage(None, None, None)

    def latency(self, route: str, seconds: float, per_operation: float = 0.0) -> None:
        """Delay every request on `route` (as for `fail`, or "*") by `seconds` before executing it; 0 removes it.

        `per_operation`: a `$batch` takes this much longer for each operation it holds. Dataverse runs
        a batch's operations one after another and counts their execution time against the user's
        limit (dataverse.md, "$batch", "Service protection"), so a bigger batch answers later.
        """
        if seconds <= 0 and per_operation <= 0:
            self._latency.pop(route, None)
            self._latency_per_operation.pop(route, None)
            return
        self._latency[route] = seconds
        if per_operation > 0:
            self._latency_per_operation[route] = per_operation

    def expire_tokens(self) -> None:
        """Every token issued so far becomes invalid: the next Web API call answers 401."""
        self._tokens.clear()

    def revoke_privilege(self, name: str) -> None:
        """E.g. "prvCreateIncident": matching operations answer 403 0x80040220."""
        self._api.revoked.add(name.lower())

    def grant_privilege(self, name: str) -> None:
        self._api.revoked.discard(name.lower())

    def set_limits(
        self,
        requests: int | None = None,
        window_seconds: float | None = None,
        concurrent: int | None = None,
        execution_ms: float | None = None,
    ) -> None:
        """Service protection limits per application user; defaults are Dataverse's."""
        if requests is not None:
            self.limits.requests = requests
        if window_seconds is not None:
            self.limits.window_seconds = window_seconds
        if concurrent is not None:
            self.limits.concurrent = concurrent
        if execution_ms is not None:
            self.limits.execution_ms = execution_ms

    @property
    def peak_in_flight(self) -> int:
        """The most Web API requests one application user had admitted at once (the concurrency limit's count)."""
        return max((usage.peak_in_flight for usage in self._usage.values()), default=0)

    def duplicate_detection(self, enabled: bool = True) -> None:
        """With it on, `MSCRM.SuppressDuplicateDetection: false` + same title & customer -> 500 0x80040333."""
        self._api.duplicate_detection = enabled

    @property
    def attachment_limit(self) -> int:
        return self._api.attachment_limit

    @attachment_limit.setter
    def attachment_limit(self, value: int) -> None:
        self._api.attachment_limit = value

    @property
    def blocked_extensions(self) -> set[str]:
        return self._api.blocked_extensions

    @blocked_extensions.setter
    def blocked_extensions(self, value: set[str]) -> None:
        self._api.blocked_extensions = {v.lower().lstrip(".") for v in value}

    def _take_failure(self, route: str, top_level: bool) -> _Failure | None:
        for failure in self._failures:
            if (failure.remaining is None or failure.remaining > 0) and _route_matches(failure.route, route, top_level):
                if failure.remaining is not None:
                    failure.remaining -= 1
                return failure
        return None

    def _failure_error(self, failure: _Failure) -> DataverseError:
        code, message = _DEFAULT_FAILURES.get(failure.status) or (None, None)
        if failure.status == 429 and code is None:
            code, message = self._limit_messages()["requests"]
        if code is None:
            code = "0x80040216"
            message = HTTPStatus(failure.status).phrase if failure.status in HTTPStatus._value2member_map_ else ""
        retry_after = failure.retry_after
        if retry_after is None and failure.status == 429:
            retry_after = 1
        headers = {"Retry-After": str(math.ceil(retry_after))} if retry_after is not None else {}
        code = failure.code if failure.code is not None else code  # "" stays empty, as Dataverse sends it
        return DataverseError(failure.status, code or "", failure.message or message or "", headers)

    def _take_drop(self, route: str) -> bool:
        for drop in self._drops:
            if drop[1] > 0 and _route_matches(drop[0], route, True):
                drop[1] -= 1
                return True
        for knob, rate in self._drop_rates.items():
            if _route_matches(knob, route, True):
                return rate.rng.random() < rate.fraction
        return False

    def _delay(self, route: str) -> float:
        return sum(seconds for knob, seconds in self._latency.items() if _route_matches(knob, route, True))

    # ----------------------------------------------------------------------------- token endpoint

    def _aad_error(self, status: int, error: str, code: int, description: str) -> web.Response:
        trace, correlation = uuid.uuid4(), uuid.uuid4()
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        body = {
            "error": error,
            "error_description": f"AADSTS{code}: {description} Trace ID: {trace} Correlation ID: {correlation} "
            f"Timestamp: {stamp}",
            "error_codes": [code],
            "timestamp": stamp,
            "trace_id": str(trace),
            "correlation_id": str(correlation),
            "error_uri": f"{self.authority}/error?code={code}",
        }
        return web.json_response(body, status=status)

    async def _openid_configuration(self, request: web.Request) -> web.Response:
        tenant = request.match_info["tenant"].lower()
        if tenant != self.tenant_id:
            return self._aad_error(
                400,
                "invalid_tenant",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing "
                "into the correct cloud.",
            )
        v2 = "/v2.0" if "/v2.0/" in request.path else ""
        base = f"{self.authority}/{self.tenant_id}"
        return web.json_response(
            {
                "token_endpoint": f"{base}/oauth2{v2}/token",
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "private_key_jwt",
                    "client_secret_basic",
                ],
                "jwks_uri": f"{self.authority}/{self.tenant_id}/discovery{v2}/keys",
                "response_modes_supported": ["query", "fragment", "form_post"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                "scopes_supported": ["openid", "profile", "email", "offline_access"],
                "issuer": f"{base}{v2}" if v2 else f"https://sts.windows.net/{self.tenant_id}/",
                "request_uri_parameter_supported": False,
                "authorization_endpoint": f"{base}/oauth2{v2}/authorize",
                "device_authorization_endpoint": f"{base}/oauth2{v2}/devicecode",
                "end_session_endpoint": f"{base}/oauth2{v2}/logout",
                "tenant_region_scope": "EU",
                "cloud_instance_name": "microsoftonline.com",
                "cloud_graph_host_name": "graph.windows.net",
                "msgraph_host": "graph.microsoft.com",
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        delay = self._latency.get("POST token", 0.0)
        if delay:
            await asyncio.sleep(delay)
        failure = self._take_failure("POST token", top_level=False)
        if failure is None and self._token_down:
            failure = _Failure("POST token", 503, None, None, None, None)
        if failure is not None:
            headers = {"Retry-After": str(math.ceil(failure.retry_after))} if failure.retry_after else {}
            return web.json_response(
                {
                    "error": "temporarily_unavailable",
                    "error_description": failure.message or "AADSTS50196: The server is temporarily unavailable.",
                },
                status=failure.status,
                headers=headers,
            )
        form = await request.post()
        tenant = request.match_info["tenant"].lower()
        client_id = str(form.get("client_id", "")).lower()
        secret = form.get("client_secret")
        authorization = request.headers.get("Authorization", "")
        if authorization.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(authorization[6:].strip()).decode()
            except ValueError:
                decoded = ":"
            basic_id, _, basic_secret = decoded.partition(":")
            client_id = client_id or unquote_plus(basic_id).lower()
            secret = unquote_plus(basic_secret)
        if tenant != self.tenant_id:
            return self._aad_error(
                400,
                "invalid_request",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing "
                "into the correct cloud.",
            )
        grant = form.get("grant_type")
        if grant != "client_credentials":
            return self._aad_error(
                400, "unsupported_grant_type", 70003, f"The app requested an unsupported grant type '{grant}'."
            )
        if client_id != self.client_id:
            return self._aad_error(
                400,
                "unauthorized_client",
                700016,
                f"Application with identifier '{client_id}' was not found in the directory '{self.tenant_id}'. "
                "This can happen if the application has not been installed by the administrator of the tenant or "
                "consented to by any user in the tenant. You may have sent your authentication request to the "
                "wrong tenant.",
            )
        if not secret:
            return self._aad_error(
                401,
                "invalid_client",
                7000216,
                "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
            )
        if not secrets.compare_digest(str(secret), self.client_secret):
            return self._aad_error(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided. Ensure the secret being sent in the request is the client secret "
                f"value, not the client secret ID, for a secret added to app '{self.client_id}'.",
            )
        scope_error = self._check_scope(form.get("scope"), form.get("resource"))
        if scope_error is not None:
            return scope_error
        token = secrets.token_urlsafe(32)
        self._tokens[token] = (time.monotonic() + self.token_lifetime, self.client_id)
        return web.json_response(
            {
                "token_type": "Bearer",
                "expires_in": self.token_lifetime,
                "ext_expires_in": self.token_lifetime,
                "access_token": token,
            }
        )

    def _check_scope(self, scope: Any, resource: Any) -> web.Response | None:
        if resource is not None:  # v1 endpoint
            wanted = [str(resource)]
        else:
            scopes = [s for s in str(scope or "").split() if s not in ("openid", "profile", "offline_access")]
            if not scopes or not all(s.endswith("/.default") for s in scopes):
                return self._aad_error(
                    400,
                    "invalid_scope",
                    1002012,
                    f"The provided value for scope {scope} is not valid. Client credential flows must have a scope "
                    "value with /.default suffixed to the resource identifier (application ID URI).",
                )
            wanted = [s[: -len("/.default")] for s in scopes]
        ours = urlsplit(self.url)
        for item in wanted:
            theirs = urlsplit(item.rstrip("/"))
            if (theirs.hostname or "").lower() != (ours.hostname or "") or (theirs.port or 443) != ours.port:
                return self._aad_error(
                    400,
                    "invalid_resource",
                    500011,
                    f"The resource principal named {item} was not found in the tenant named {self.tenant_id}. "
                    "This can happen if the application has not been installed by the administrator of the tenant "
                    "or consented to by any user in the tenant. You might have sent your authentication request to "
                    "the wrong tenant.",
                )
        return None

    # ----------------------------------------------------------------------------- web api

    def _authenticate(self, request: web.Request) -> str | None:
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            return None
        entry = self._tokens.get(header[7:].strip())
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]

    def _limit_messages(self) -> dict[str, tuple[str, str]]:
        limits = self.limits
        window = f"{limits.window_seconds:g}"
        return {
            "requests": (
                "0x80072322",
                f"Number of requests exceeded the limit of {limits.requests} over time window of {window} seconds.",
            ),
            "execution": (
                "0x80072321",
                f"Combined execution time of incoming requests exceeded limit of {limits.execution_ms:,.0f} "
                f"milliseconds over time window of {window} seconds. Decrease number of concurrent requests or "
                "reduce the duration of requests and try again later.",
            ),
            "concurrent": (
                "0x80072326",
                f"Number of concurrent requests exceeded the limit of {limits.concurrent}.",
            ),
        }

    def _admit(self, user: str) -> DataverseError | dict[str, str]:
        """Sliding-window service protection: the 429 refusing the request, or, admitted (it counts as in
        flight now), the x-ms-ratelimit-* headers its answer carries."""
        usage = self._usage.setdefault(user, _Usage())
        now = time.monotonic()
        window = self.limits.window_seconds
        while usage.starts and usage.starts[0] <= now - window:
            usage.starts.popleft()
        while usage.executions and usage.executions[0][0] <= now - window:
            usage.executions.popleft()
        messages = self._limit_messages()
        if usage.in_flight >= self.limits.concurrent:
            code, message = messages["concurrent"]
            return DataverseError(429, code, message, {"Retry-After": "1"})
        if len(usage.starts) >= self.limits.requests:
            wait = usage.starts[0] + window - now
            code, message = messages["requests"]
            return DataverseError(429, code, message, {"Retry-After": str(max(1, math.ceil(wait)))})
        executed_ms = sum(ms for _, ms in usage.executions)
        if executed_ms >= self.limits.execution_ms:
            wait = usage.executions[0][0] + window - now
            code, message = messages["execution"]
            return DataverseError(429, code, message, {"Retry-After": str(max(1, math.ceil(wait)))})
        usage.starts.append(now)
        usage.in_flight += 1
        usage.peak_in_flight = max(usage.peak_in_flight, usage.in_flight)
        return remaining_headers(self.limits.requests - len(usage.starts), self.limits.execution_ms - executed_ms)

    def _release(self, user: str, started: float) -> float:
        """The request's execution time (ms), counted against the user's window; returned for the log.

        Each request's own time is counted, so concurrent requests' execution adds up, and a `$batch`
        is one request whose whole time counts once, however many operations it ran ("A `$batch`
        counts as one request against the 6000-per-window limit; its execution time still counts",
        dataverse.md, "$batch"; the window's budget: "Service protection", 1,200,000 ms per 300 s).
        """
        usage = self._usage[user]
        usage.in_flight -= 1
        finished = time.monotonic()
        executed = (finished - started) * 1000
        usage.executions.append((finished, executed))
        return executed

    def _response(self, result: Result) -> web.Response:
        headers = {"OData-Version": "4.0", **result.headers}
        if result.body is None:
            return web.Response(status=result.status, headers=headers)
        headers["Content-Type"] = "application/json; odata.metadata=minimal"
        return web.Response(status=result.status, headers=headers, body=json.dumps(result.body).encode())

    def run_operation(self, op: Operation) -> Result:
        """Execute one operation in its own transaction (committed unless it fails)."""
        try:
            with self._store.transaction() as txn:
                return self._api.execute(op, txn)
        except DataverseError as error:
            return Result(error.status, error.headers, error.body())

    async def _web_api(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["tail"]
        route = route_of(request.method, path)
        entry: dict[str, Any] = {
            "method": request.method,
            "path": request.path_qs,
            "status": None,
            "route": route,
            "at": time.monotonic(),  # arrival, for checks that nothing was sent during a Retry-After pause
            "prefer": request.headers.get("Prefer"),
        }
        if self._outage == "503":
            # The service is down in front of everything else: no auth, no service protection count.
            error = self._failure_error(_Failure("*", 503, None, self._outage_retry_after, None, None))
            entry["status"] = 503
            self.requests.append(entry)
            return self._response(Result(503, error.headers, error.body()))
        user = self._authenticate(request)
        if user is None:
            entry["status"] = 401
            self.requests.append(entry)
            return web.Response(
                status=401,
                headers={
                    "WWW-Authenticate": f"Bearer authorization_uri={self.authority}/{self.tenant_id}/oauth2/authorize, "
                    f"resource_id={self.url}/",
                    "OData-Version": "4.0",
                },
            )
        remaining = self._admit(user)
        if isinstance(remaining, DataverseError):
            entry["status"] = 429
            entry["code"] = remaining.code  # which limit refused it
            self.requests.append(entry)
            return self._response(Result(429, remaining.headers, remaining.body()))
        started = time.monotonic()
        try:
            body = await request.read()
            delay = self._delay(route)
            if self._latency_per_operation and path == "$batch":
                per = sum(s for knob, s in self._latency_per_operation.items() if _route_matches(knob, route, True))
                delay += per * body.count(b"\r\nContent-ID:")
            if delay:
                await asyncio.sleep(delay)
            failure = self._take_failure(route, top_level=True)
            if failure is not None:
                error = self._failure_error(failure)
                result = Result(error.status, error.headers, error.body())
            elif path == "$batch" and request.method == "POST":
                from handoff.sandbox.dataverse_batch import run_batch

                response = run_batch(self, request.headers, body)
                result = None
            else:
                op = Operation(request.method, path, request.rel_url.raw_query_string, request.headers, body)
                result = self.run_operation(op)
        except Exception:
            # A bug in the emulator: answer like Dataverse's generic failure, keep the traceback.
            log.exception("sandbox failed on %s %s", request.method, request.path_qs)
            result = Result(500, {}, {"error": {"code": "0x80040216", "message": "An unexpected error occurred."}})
        finally:
            entry["execution_ms"] = self._release(user, started)
        if result is not None:
            response = self._response(result)
        response.headers.update(remaining)
        entry["status"] = response.status
        self.requests.append(entry)
        if self._take_drop(route):
            entry["dropped"] = True
            log.info("dropping the response to %s %s after its commit", request.method, request.path)
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError
        return response


# --------------------------------------------------------------------------------- command line


async def _serve(args: argparse.Namespace) -> None:
    picklists = json.loads(args.picklists) if args.picklists else None
    if picklists:
        picklists = {name: {int(k): v for k, v in options.items()} for name, options in picklists.items()}
    sandbox = DataverseSandbox(store_path=args.store, seed=args.seed, custom_picklists=picklists)
    await sandbox.start(args.host, args.port)
    print(json.dumps({"url": sandbox.url, "authority": sandbox.authority, "ca_file": sandbox.ca_file}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await sandbox.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m handoff.sandbox.dataverse", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--host", default="127.0.0.1", help="keep it loopback: the /_sandbox/ control API takes no token"
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--store", default=None, help="SQLite file shared by several sandbox processes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--picklists", default=None, help='custom incident picklists as JSON: {"new_x": {"1": "A"}}')
    args = parser.parse_args(argv)
    asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
