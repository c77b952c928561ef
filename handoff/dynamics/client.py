"""A thin aiohttp client for the Dataverse Web API; errors are classified here and nowhere else.

Transient (retry): connection errors, timeouts, 408, 429 (Retry-After honoured), 5xx.
Every request first passes the client's `Limiter` (handoff.dynamics.limits): Dataverse's service
protection limits are per application user, and one client is one application user.
Permanent (park for a person): other 4xx, with Dataverse's error code and message. A 412 on a create
(POST, or PATCH with `If-None-Match: *`) is `AlreadyExists` whatever its error code.
A 401 triggers one token refresh and one retry before it counts as permanent.

A `$batch` that stopped at a failing operation is answered with that operation's status (400, 404,
412, ...) and a multipart body holding its error (../shared/docs/dataverse.md, "$batch"); so a
multipart answer is never classified by its outer status: `batch()` decodes it and classifies the
failing part, as the operation that was sent under its Content-ID.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp
from yarl import URL

from handoff import trail
from handoff.dynamics.auth import TokenProvider
from handoff.dynamics.batch import Body, Operation, PartResponse, decode, decode_sets, encode_body
from handoff.dynamics.limits import (
    EXECUTION_PER_WINDOW,
    MAX_CONCURRENT,
    TIME_REMAINING,
    Limiter,
    Stopwatch,
    seconds_remaining,
)
from handoff.errors import AlreadyExists, HandoffError, NotFound, PermanentError, TransientError
from handoff.metrics import DataverseMetrics
from handoff.retry import Backoff, retry_after

log = logging.getLogger("handoff.dynamics")

API_PATH = "/api/data/v9.2/"
# A Retry-After longer than this is not waited out inside one attempt; the worker requeues instead
# so a throttled handoff does not hold a worker slot for minutes.
MAX_INLINE_WAIT = 60.0


def odata_literal(value: str) -> str:
    """A string literal for $filter: quotes doubled, then percent-encoded ('+' included)."""
    return quote("'" + value.replace("'", "''") + "'", safe="")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: Any = None
    raw: bytes = b""


@dataclass
class Stats:
    requests: int = 0
    retries: int = 0
    throttled: int = 0
    by_status: dict[int, int] = field(default_factory=dict)


def _error_parts(body: Any, raw: bytes) -> tuple[str | None, str]:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        return (str(error.get("code") or "") or None, str(error.get("message") or "")[:500])
    return None, raw[:300].decode("utf-8", "replace")


def _is_multipart(headers: Mapping[str, str]) -> bool:
    return headers.get("Content-Type", "").lower().startswith("multipart/mixed")


def _header(headers: Mapping[str, str] | None, name: str) -> str:
    for key, value in (headers or {}).items():
        if key.lower() == name.lower():
            return value.strip()
    return ""


def _is_create(method: str | None, request_headers: Mapping[str, str] | None) -> bool:
    """A POST create, or a PATCH that may only create (`If-None-Match: *`): a 412 there means the key exists."""
    if method is None:
        return False
    method = method.upper()
    return method == "POST" or (method == "PATCH" and _header(request_headers, "If-None-Match") == "*")


def ssl_context(ca_file: str | None) -> ssl.SSLContext | bool:
    if not ca_file:
        return True
    return ssl.create_default_context(cafile=ca_file)


class DataverseClient:
    def __init__(
        self,
        org_url: str,
        tokens: TokenProvider,
        session: aiohttp.ClientSession,
        *,
        max_retries: int = 5,
        timeout: float = 30.0,
        ca_file: str | None = None,
        backoff: Backoff | None = None,
        requests_per_window: int = 6000,
        window_seconds: float = 300.0,
        max_concurrent: int = MAX_CONCURRENT,
        execution_per_window: float = EXECUTION_PER_WINDOW,
    ) -> None:
        self.base = org_url.rstrip("/") + API_PATH
        self.tokens = tokens
        self.session = session
        self.max_retries = max_retries
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.ssl = ssl_context(ca_file)
        # Quick retries inside one attempt; the worker's own backoff ([spool.retry]) comes after them.
        self.backoff = backoff or Backoff(0.5, 30.0)
        self.stats = Stats()
        self.metrics = DataverseMetrics()  # /metrics: latency by route and status, 429s, Retry-After waits
        self.limiter = Limiter(
            requests_per_window,
            window_seconds,
            max_concurrent,
            max_pause=MAX_INLINE_WAIT,
            execution_per_window=execution_per_window,
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        query: str | None = None,
        headers: dict[str, str] | None = None,
        data: bytes | Body | None = None,
    ) -> Response:
        """One logical request with retries for transient failures; raises the classified error."""
        url = URL(self.base + path + (f"?{query}" if query else ""), encoded=True)
        attempt = 0
        refreshed = False
        while True:
            try:
                return await self._once(method, url, json_body, headers, data)
            except _Unauthorized:
                if refreshed:
                    raise PermanentError(
                        "Dataverse refused a freshly issued token (401): check the application user exists "
                        "in the environment and [dynamics] url matches the token's resource",
                        status=401,
                    ) from None
                refreshed = True
                await self.tokens.token(refresh=True)
                continue
            except TransientError as exc:
                attempt += 1
                if attempt > self.max_retries:
                    raise
                if exc.retry_after is not None and exc.retry_after > MAX_INLINE_WAIT:
                    raise
                delay = self.backoff.delay(attempt, exc.retry_after)
                self.stats.retries += 1
                log.info("%s %s: %s; retry %d in %.1fs", method, path.split("?")[0], exc, attempt, delay)
                await asyncio.sleep(delay)

    async def _once(
        self, method: str, url: URL, json_body: Any, headers: dict[str, str] | None, data: bytes | Body | None
    ) -> Response:
        # Waiting for the limiter happens before aiohttp's timeout starts, so a queued request cannot
        # time out just because others went first.
        async with self.limiter.slot() as watch:
            # The handoff's trail (handoff.trail) records each exchange: route, status, code, time; no body.
            started = trail.clock()
            try:
                resp = await self._send(method, url, json_body, headers, data, watch)
            except Exception as exc:
                trail.record_exchange(method, url.path.removeprefix(API_PATH), started, error=exc)
                raise
            trail.record_exchange(method, url.path.removeprefix(API_PATH), started, status=resp.status)
            return resp

    async def _send(
        self,
        method: str,
        url: URL,
        json_body: Any,
        headers: dict[str, str] | None,
        data: bytes | Body | None,
        watch: Stopwatch | None = None,
    ) -> Response:
        token = await self.tokens.token()
        send_headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "OData-MaxVersion": "4.0",
            "OData-Version": "4.0",
        }
        if json_body is not None:
            send_headers["Content-Type"] = "application/json; charset=utf-8"
            data = json.dumps(json_body).encode()
        send_headers.update(headers or {})
        self.stats.requests += 1
        # A body of files (megabytes) goes as a stream, written in pieces: as one bytes object aiohttp
        # would write it in one go and hold the event loop meanwhile (it warns so above 1 MiB).
        body: bytes | io.BytesIO | aiohttp.payload.Payload | None
        if isinstance(data, Body):  # files: their base64 is made as the body is written (handoff.dynamics.batch)
            body = data.payload(send_headers.get("Content-Type", "multipart/mixed"))
        else:
            body = io.BytesIO(data) if data is not None and len(data) > 1 << 20 else data
        try:
            with self.metrics.timed(method, url.path) as timing:
                async with self.session.request(
                    method, url, data=body, headers=send_headers, timeout=self.timeout, ssl=self.ssl
                ) as resp:
                    if watch is not None:
                        # The server's execution is over; the body is only being read. What it says is left
                        # of the execution budget lets the limiter count as it does.
                        watch.answered(seconds_remaining(resp.headers.get(TIME_REMAINING)))
                    status = resp.status
                    if status == 429:
                        # Pause everyone now, before reading the body, so no other request slips out meanwhile.
                        wait = retry_after({"Retry-After": resp.headers.get("Retry-After", "")})
                        if wait is not None:
                            self.limiter.pause(wait)
                            self.metrics.waited(wait)
                    raw = await resp.read()
                    timing["status"] = status
                resp_headers = {k: v for k, v in resp.headers.items()}
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as exc:
            # Includes a dropped response after the server committed: the retry must be idempotent.
            raise TransientError(f"connection error: {type(exc).__name__}") from None
        except TimeoutError:
            raise TransientError("timed out") from None
        self.stats.by_status[status] = self.stats.by_status.get(status, 0) + 1
        if _is_multipart(resp_headers):
            # A $batch answer: its status is the failing operation's (dataverse.md, "$batch"), so it is
            # classified by its parts, in batch(), not here by the outer status.
            return Response(status, resp_headers, None, raw)
        body = _json(raw, resp_headers)
        self.raise_for_status(status, resp_headers, body, raw, method=method, request_headers=send_headers)
        return Response(status, resp_headers, body, raw)

    def raise_for_status(
        self,
        status: int,
        headers: Mapping[str, str],
        body: Any,
        raw: bytes,
        *,
        method: str | None = None,
        request_headers: Mapping[str, str] | None = None,
    ) -> None:
        """The one place a Dataverse answer becomes transient, permanent, or fine.

        `method` and `request_headers` are those of the request (or $batch operation) answered: a 412
        on a create means the key exists, whatever the code; the upsert form sends "" (dataverse.md,
        "412 on a create"). A 412 on a PATCH with `If-Match` is a failed precondition on an update.
        """
        if status < 400:
            return
        code, message = _error_parts(body, raw)
        if status == 401:
            raise _Unauthorized()
        if status == 429:
            self.stats.throttled += 1
            raise TransientError(f"429 throttled {code or ''} {message}".strip(), retry_after=retry_after(headers))
        if status == 408 or status >= 500:
            raise TransientError(f"{status} {code or ''} {message}".strip(), retry_after=retry_after(headers))
        if status == 412 and ((code or "").lower() == "0x80040237" or _is_create(method, request_headers)):
            raise AlreadyExists(message or "a record with this key exists (412)", code=code, status=status)
        if status == 404:
            raise NotFound(message, code=code, status=status)
        raise PermanentError(f"Dataverse {status} {code or ''}: {message}".replace("  ", " "), code=code, status=status)

    async def batch(self, operations: list[Operation]) -> list[PartResponse]:
        """One change set in one round trip; raises the classified error of the operation that failed.

        Whatever the answer's status, a multipart answer is decoded and its failing part classified as
        the operation sent under that Content-ID; a non-multipart 4xx/5xx (throttling, auth, a gateway)
        was already classified by its status in `request`.
        """
        content_type, payload = await _encoded(self.base, [operations])
        resp = await self.request(
            "POST", "$batch", data=payload, headers={"Content-Type": content_type, "Accept": "application/json"}
        )
        parts = self._decoded(resp)
        self._classify(parts, operations)
        # Every part succeeded yet the answer is an error: nothing better than its own status to go by.
        self.raise_for_status(resp.status, resp.headers, None, resp.raw)
        return parts

    async def batch_sets(self, sets: list[list[Operation]]) -> list[list[PartResponse] | HandoffError]:
        """Several change sets (several handoffs) in one `$batch`, each all or nothing on its own.

        `Prefer: odata.continue-on-error` makes Dataverse go on after a failed set instead of stopping
        there (dataverse.md, "$batch"), so one handoff's failure never touches another's. Each set's
        outcome is returned in order: its parts, or its classified error. Content-IDs must be unique
        across the request: the caller numbers them. What fails the whole request (throttling,
        auth, the network) is raised, for every set alike.
        """
        content_type, payload = await _encoded(self.base, sets)
        resp = await self.request(
            "POST",
            "$batch",
            data=payload,
            headers={
                "Content-Type": content_type,
                "Accept": "application/json",
                "Prefer": "odata.continue-on-error",
            },
        )
        groups = decode_sets(resp.headers.get("Content-Type", ""), resp.raw) if _is_multipart(resp.headers) else []
        if not groups:
            self._decoded(resp)  # raises the answer's own error
        outcomes: list[list[PartResponse] | HandoffError] = []
        for n, operations in enumerate(sets):
            if n >= len(groups):
                # Dataverse answers in request order; a set it did not answer may or may not have run,
                # and retrying it is safe (deterministic ids): transient, for this set only.
                outcomes.append(TransientError(f"$batch answered {len(groups)} of {len(sets)} change sets"))
                continue
            try:
                self._classify(groups[n], operations)
            except HandoffError as exc:
                outcomes.append(exc)
                continue
            outcomes.append(groups[n])
        return outcomes

    def _decoded(self, resp: Response) -> list[PartResponse]:
        try:
            return decode(resp.headers.get("Content-Type", ""), resp.raw)
        except (ValueError, IndexError) as exc:
            self.raise_for_status(resp.status, resp.headers, None, resp.raw)
            raise PermanentError(f"Dataverse answered $batch {resp.status} with an unreadable body: {exc}") from None

    def _classify(self, parts: list[PartResponse], operations: list[Operation]) -> None:
        """Raise the classified error of the first failed part, naming its operation's Content-ID."""
        sent = {op.content_id: op for op in operations}
        for part in parts:
            op = sent.get(part.content_id or "")
            if op is None and len(operations) == 1:
                op = operations[0]  # no Content-ID in the answer, but only one operation could have failed
            try:
                self.raise_for_status(
                    part.status,
                    part.headers,
                    part.body,
                    part.raw,
                    method=op.method if op else None,
                    request_headers=op.headers if op else None,
                )
            except HandoffError as exc:
                exc.content_id = part.content_id  # which operation the change set stopped at
                raise


async def _encoded(base: str, sets: list[list[Operation]]) -> tuple[str, bytes | Body]:
    """The `$batch` body: bytes, or with files in it pieces whose base64 is made as they are sent."""
    content_type, body = encode_body(base, sets)
    return content_type, body if body.has_files else bytes(body)


def _json(raw: bytes, headers: dict[str, str]) -> Any:
    if raw and "json" in headers.get("Content-Type", ""):
        try:
            return json.loads(raw)
        except ValueError:
            return None
    return None


class _Unauthorized(Exception):
    pass
