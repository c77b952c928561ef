"""The HTTP edge to MoEngage: one request per event, and every failure classified once, here.

2xx → `Accepted`. 408, 429, 5xx, connection errors and timeouts → `TransientError` (with the wait
MoEngage asked for, if any). Any other 4xx → `PermanentError` carrying MoEngage's own type and message.
Nothing here logs: the sender logs one line per outcome, and never a key or a body.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import aiohttp

from handoff.errors import PermanentError, TransientError
from handoff.moengage.payloads import Request, build_request
from handoff.retry import retry_after
from handoff.settings import MoEngageSettings

ERROR_BODY_LIMIT = 4096


class RateLimited(TransientError):
    """429: MoEngage is fine, we are too fast; wait for the window to reset, not for an outage to end."""


@dataclass(frozen=True)
class Accepted:
    route: str
    status: int
    request_id: str | None


def default_base_url(settings: MoEngageSettings) -> str:
    return (settings.base_url or f"https://api-{settings.data_center}.moengage.com").rstrip("/")


def basic_auth(workspace_id: str, api_key: str) -> str:
    token = base64.b64encode(f"{workspace_id}:{api_key}".encode()).decode("ascii")
    return f"Basic {token}"


def _error_text(status: int, raw: bytes) -> tuple[str, str | None]:
    """MoEngage's `{"status":"fail","error":{"type","message","request_id"}}` as one short line."""
    try:
        data = json.loads(raw)
    except ValueError:
        snippet = raw[:200].decode("utf-8", "replace").strip()
        return (f"{status} {snippet}" if snippet else f"{status} (no body)"), None
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return f"{status} {json.dumps(data)[:200]}", None
    kind, message, request_id = error.get("type"), error.get("message"), error.get("request_id")
    text = f"{status} {kind + ': ' if kind else ''}{message or 'no message'}"
    if request_id:
        text += f" (request_id {request_id})"
    return text[:500], kind


async def _read_capped(resp: aiohttp.ClientResponse, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < limit:
        chunk = await resp.content.read(limit - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


class MoEngageClient:
    def __init__(self, settings: MoEngageSettings, base_url: str | None = None) -> None:
        self.settings = settings
        self.base_url = (base_url or default_base_url(settings)).rstrip("/")
        if not self.base_url.startswith(("https://", "http://")):
            # e.g. "sandbox": the caller starts handoff.sandbox.moengage and passes its url as base_url.
            raise ValueError(f"[moengage] base_url: expected https://api-0X.moengage.com, got {self.base_url!r}")
        self._headers = {
            "Authorization": basic_auth(settings.workspace_id, settings.key()),
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        self._timeout = aiohttp.ClientTimeout(total=settings.timeout_seconds)

    def __repr__(self) -> str:  # never show the Authorization header
        return f"MoEngageClient({self.base_url!r}, transport={self.settings.transport!r})"

    def request_for(self, payload: dict[str, Any], now: datetime | None = None) -> tuple[Request, bytes]:
        request = build_request(payload, self.settings, now or datetime.now(UTC))
        data = json.dumps(request.body, ensure_ascii=False, separators=(",", ":")).encode()
        if len(data) > request.limit:
            raise PermanentError(
                f"request would be {len(data)} bytes, over MoEngage's {request.limit // 1024} KB limit",
                code="PayloadTooLarge",
            )
        return request, data

    async def send(self, session: aiohttp.ClientSession, payload: dict[str, Any]) -> Accepted:
        request, data = self.request_for(payload)
        url = self.base_url + request.path
        try:
            async with session.post(
                url, data=data, params=request.params, headers=self._headers, timeout=self._timeout
            ) as resp:
                raw = await _read_capped(resp, ERROR_BODY_LIMIT)
                status, headers = resp.status, resp.headers
        except TimeoutError:
            raise TransientError(f"{request.route}: no answer within {self.settings.timeout_seconds:g} s") from None
        except aiohttp.ClientError as exc:
            raise TransientError(f"{request.route}: {type(exc).__name__}: {exc}"[:300]) from None
        except OSError as exc:
            raise TransientError(f"{request.route}: {exc}"[:300]) from None

        if 200 <= status < 300:
            request_id = None
            try:
                body = json.loads(raw)
                request_id = body.get("request_id") if isinstance(body, dict) else None
            except ValueError:
                pass
            return Accepted(request.route, status, request_id)
        text, kind = _error_text(status, raw)
        text = f"{request.route}: {text}"
        if status == 429:
            raise RateLimited(text, retry_after=retry_after(headers))
        if status == 408 or status >= 500:
            raise TransientError(text, retry_after=retry_after(headers))
        raise PermanentError(text, code=kind, status=status)
