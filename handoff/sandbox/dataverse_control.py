"""The Dataverse sandbox's control API: its knobs over HTTP, for a sandbox running in another process.

Served under `/_sandbox/` by the sandbox's own server (same host, port and TLS), next to the Web API
and the token endpoint. It takes NO token: the sandbox is a test tool and binds to loopback; never
expose it. Bodies are JSON; an error is 400 `{"error": "..."}` (404 for an unknown entity set).

    POST /_sandbox/outage             {"mode": "503" | "refuse" | null, "seconds": 5, "retry_after": 2}
         "refuse" needs "seconds" (the server cannot hear "back to normal" while it does not listen);
         its own connection is answered, then closed.
    POST /_sandbox/token_outage       {"down": true}
    POST /_sandbox/fail               {"route": "POST incidents", "status": 503, "times": 1 | null,
                                       "retry_after": 1, "code": "...", "message": "..."}
    POST /_sandbox/drop_after_commit  {"route": "$batch", "times": 1}
    POST /_sandbox/drop_rate          {"route": "$batch", "fraction": 0.3, "seed": 1}
    POST /_sandbox/latency            {"route": "*", "seconds": 0.2}
    POST /_sandbox/clear              {}: forced failures, drops, drop rates, latency, 503 outage and
                                      token outage all back to normal
    POST /_sandbox/change_tracking    {"table": "incidents", "enabled": false}: the table's "Track changes"
    POST /_sandbox/expire_delta_tokens {}: every delta token issued so far is refused (0x80044352)
    POST /_sandbox/resolve            {"case": "CAS-01000-ABCDEF", "status": 5}: CloseIncident
    POST /_sandbox/cancel             {"case": "CAS-...", "status": 6}
    POST /_sandbox/sla                {"case": "CAS-...", "status": "nearing", "kpi": "Resolve by"}
    POST /_sandbox/survey             {"case": "CAS-...", "score": 2, "comment": "too slow"}
         (the last four answer the record they wrote; an unknown case is 400)
    GET  /_sandbox/table/<entity_set> the stored records, a JSON list, oldest first
    GET  /_sandbox/requests           {"total", "dropped", "token_requests", "by_status": {"200": n},
                                       "by_route": {"POST $batch": {"200": n, "412": m}}}

Every POST answers `{"ok": true}`.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from handoff.sandbox.dataverse import DataverseSandbox

PREFIX = "/_sandbox"

Handler = Callable[["DataverseSandbox", dict[str, Any], web.Request], Awaitable[web.StreamResponse | None]]


class _BadRequest(Exception):
    pass


def _number(body: dict[str, Any], key: str, default: Any = None, *, required: bool = False) -> Any:
    value = body.get(key, default)
    if value is None:
        if required:
            raise _BadRequest(f"'{key}' is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _BadRequest(f"'{key}' must be a number, not {value!r}")
    return value


def _route(body: dict[str, Any]) -> str:
    route = body.get("route")
    if not isinstance(route, str) or not route.strip():
        raise _BadRequest('\'route\' is required, e.g. "POST incidents", "$batch" or "*"')
    return route


def _ok() -> web.Response:
    return web.json_response({"ok": True})


async def _outage(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> web.StreamResponse:
    if "mode" not in body:
        raise _BadRequest('\'mode\' is required: "503", "refuse" or null')
    mode = body["mode"]
    seconds = _number(body, "seconds")
    retry_after = _number(body, "retry_after")
    if mode is not None and str(mode).lower() not in ("503", "refuse"):
        raise _BadRequest(f'\'mode\' must be "503", "refuse" or null, not {mode!r}')
    if mode is not None and str(mode).lower() == "refuse" and not seconds:
        raise _BadRequest("mode \"refuse\" needs 'seconds': a server that does not listen cannot be told to")
    await sandbox._set_outage(mode, retry_after, seconds, keep=request.protocol)
    response = _ok()
    if mode is not None and str(mode).lower() == "refuse":
        response.force_close()  # the one connection left open closes after this answer
    return response


async def _token_outage(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> None:
    sandbox.token_outage(bool(body.get("down", True)))


async def _fail(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> None:
    status = _number(body, "status", required=True)
    times = _number(body, "times", 1)  # null: until /_sandbox/clear
    code, message = body.get("code"), body.get("message")
    if not all(value is None or isinstance(value, str) for value in (code, message)):
        raise _BadRequest("'code' and 'message' must be strings")
    sandbox.fail(
        _route(body),
        int(status),
        None if times is None else int(times),
        retry_after=_number(body, "retry_after"),
        code=code,
        message=message,
    )


async def _drop_after_commit(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> None:
    sandbox.drop_after_commit(_route(body), int(_number(body, "times", 1)))


async def _drop_rate(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> None:
    fraction = _number(body, "fraction", required=True)
    if not 0 <= fraction <= 1:
        raise _BadRequest("'fraction' must be between 0 and 1")
    sandbox.drop_rate(_route(body), float(fraction), seed=int(_number(body, "seed", 0)))


async def _latency(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> None:
    sandbox.latency(_route(body), float(_number(body, "seconds", required=True)))


async def _clear(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> None:
    await sandbox.clear_faults()


async def _change_tracking(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> None:
    table = body.get("table")
    if not isinstance(table, str) or table not in sandbox.schema:
        raise _BadRequest(f"'table' must be an entity set, one of: {', '.join(sandbox.schema)}")
    sandbox.change_tracking(table, bool(body.get("enabled", True)))


async def _expire_delta_tokens(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> None:
    sandbox.expire_delta_tokens()


def _case(body: dict[str, Any]) -> str:
    case = body.get("case")
    if not isinstance(case, str) or not case.strip():
        raise _BadRequest("'case' is required: a ticket number like CAS-01000-ABCDEF or an incidentid")
    return case


async def _admin(call: Callable[[], dict[str, Any]]) -> web.Response:
    from handoff.sandbox.dataverse_admin import AdminError

    try:
        return web.json_response(call())
    except AdminError as error:
        raise _BadRequest(str(error)) from None


async def _resolve(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> web.StreamResponse:
    from handoff.sandbox.dataverse_admin import resolve_case

    status = int(_number(body, "status", 5))
    return await _admin(lambda: resolve_case(sandbox, _case(body), status))


async def _cancel(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> web.StreamResponse:
    from handoff.sandbox.dataverse_admin import cancel_case

    status = int(_number(body, "status", 6))
    return await _admin(lambda: cancel_case(sandbox, _case(body), status))


async def _sla(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> web.StreamResponse:
    from handoff.sandbox.dataverse_admin import RESOLVE_BY, set_sla, sla_status

    kpi = str(body.get("kpi") or RESOLVE_BY)
    return await _admin(lambda: set_sla(sandbox, _case(body), sla_status(str(body.get("status", ""))), kpi))


async def _survey(sandbox: DataverseSandbox, body: dict[str, Any], request: web.Request) -> web.StreamResponse:
    from handoff.sandbox.dataverse_admin import submit_survey

    score = int(_number(body, "score", required=True))
    comment = str(body.get("comment") or "")
    return await _admin(lambda: submit_survey(sandbox, _case(body), score, comment))


_POSTS: dict[str, Handler] = {
    "outage": _outage,
    "token_outage": _token_outage,
    "fail": _fail,
    "drop_after_commit": _drop_after_commit,
    "drop_rate": _drop_rate,
    "latency": _latency,
    "clear": _clear,
    "change_tracking": _change_tracking,
    "expire_delta_tokens": _expire_delta_tokens,
    "resolve": _resolve,
    "cancel": _cancel,
    "sla": _sla,
    "survey": _survey,
}


def add_control_routes(app: web.Application, sandbox: DataverseSandbox) -> None:
    def post(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def serve(request: web.Request) -> web.StreamResponse:
            try:
                text = await request.text()
                body = json.loads(text) if text.strip() else {}
                if not isinstance(body, dict):
                    raise _BadRequest("the body must be a JSON object")
                answer = await handler(sandbox, body, request)
            except (_BadRequest, ValueError) as error:
                return web.json_response({"error": str(error)}, status=400)
            return answer if answer is not None else _ok()

        return serve

    for name, handler in _POSTS.items():
        app.router.add_post(f"{PREFIX}/{name}", post(handler))

    async def table(request: web.Request) -> web.Response:
        try:
            return web.json_response(sandbox.table(request.match_info["entity_set"]))
        except KeyError as error:
            return web.json_response({"error": str(error.args[0])}, status=404)

    async def requests(request: web.Request) -> web.Response:
        by_status: dict[str, int] = {}
        by_route: dict[str, dict[str, int]] = {}
        for entry in sandbox.requests:
            status = str(entry["status"])
            by_status[status] = by_status.get(status, 0) + 1
            route = by_route.setdefault(entry["route"], {})
            route[status] = route.get(status, 0) + 1
        return web.json_response(
            {
                "total": len(sandbox.requests),
                "dropped": sum(1 for entry in sandbox.requests if entry.get("dropped")),
                "token_requests": sandbox.token_requests,
                "by_status": by_status,
                "by_route": by_route,
            }
        )

    app.router.add_get(f"{PREFIX}/table/{{entity_set}}", table)
    app.router.add_get(f"{PREFIX}/requests", requests)
