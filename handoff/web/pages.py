"""The status page (`/`, `/status`), one page per handoff (`/handoff/<id>`), Retry, and the login form.

Server-rendered HTML from the package's jinja2 templates (handoff/web/templates), a little inline CSS,
no JavaScript and no external assets, so it works offline and behind any proxy.
"""

from __future__ import annotations

import asyncio
import email.header
import inspect
import math
import re
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import jinja2
from aiohttp import web

from handoff.spool.base import STATES, Spool, SpoolItem
from handoff.web.access import CSRF, FAILED_LOGIN_DELAY, SESSION, Access, safe_next, set_session_cookie

PER_PAGE = 25
MAX_PER_PAGE = 200
MAX_SEARCH = 200
PRIORITY = {1: "High", 2: "Normal", 3: "Low"}
REFRESH_CHOICES = (0, 10, 30, 60)

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("handoff.web", "templates"),
    autoescape=jinja2.select_autoescape(default=True),
    undefined=jinja2.ChainableUndefined,  # a field an older row lacks renders empty, never a 500
)


def utc(epoch: float | None) -> str:
    if not epoch:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))


def ago(epoch: float | None, now: float | None = None) -> str:
    """ "just now", "3 min ago", "5 h ago", "2 d ago"; "in 40 s" for a time still to come."""
    if not epoch:
        return ""
    delta = (now or time.time()) - epoch
    future = delta < 0
    delta = abs(delta)
    if delta < 10:
        return "just now" if not future else "in a few s"
    if delta < 90:
        text = f"{delta:.0f} s"
    elif delta < 90 * 60:
        text = f"{delta / 60:.0f} min"
    elif delta < 36 * 3600:
        text = f"{delta / 3600:.0f} h"
    else:
        text = f"{delta / 86400:.0f} d"
    return f"in {text}" if future else f"{text} ago"


_env.filters["utc"] = utc
_env.filters["ago"] = ago


def incident_url(org_url: str | None, incident_id: str | None) -> str | None:
    """The case in the Dynamics 365 web client: `<org>/main.aspx?pagetype=entityrecord&etn=incident&id=<id>`."""
    if not org_url or not incident_id:
        return None
    parts = urlsplit(org_url)
    return f"{parts.scheme}://{parts.netloc}/main.aspx?" + urlencode(
        {"pagetype": "entityrecord", "etn": "incident", "id": incident_id}
    )


_HEADER_END = re.compile(rb"\r?\n\r?\n")


def raw_subject(raw: bytes) -> str | None:
    """The Subject header of a mail not analysed yet (queued): from the header block only."""
    head = raw[:65536]
    end = _HEADER_END.search(head)
    head = head[: end.start()] if end else head
    match = re.search(rb"(?im)^subject:[ \t]*((?:[^\r\n]*)(?:\r?\n[ \t][^\r\n]*)*)", head)
    if not match:
        return None
    text = re.sub(rb"\r?\n[ \t]+", b" ", match.group(1)).decode("utf-8", "replace")
    try:
        return str(email.header.make_header(email.header.decode_header(text)))[:300]
    except Exception:  # a malformed encoded word: show it as it came
        return text[:300]


def row_view(item: SpoolItem, org_url: str | None, now: float) -> dict[str, Any]:
    """What one line of the status table shows."""
    summary = item.summary if isinstance(item.summary, dict) else {}
    customer = summary.get("customer") or {}
    classification = summary.get("classification") or {}
    sentiment = summary.get("sentiment") or {}
    incident = summary.get("incident") or {}
    priority = incident.get("prioritycode") or (summary.get("priority") or {}).get("prioritycode")
    note = ""
    if item.state == "skipped":
        note = f"{item.skipped_guard}: {item.skipped_reason}" if item.skipped_guard else item.skipped_reason or ""
    elif item.state == "parked":
        note = item.last_error or summary.get("park_reason") or ""
    elif item.state == "queued" and item.last_error:
        wait = item.next_attempt_at - now
        note = f"next try {'now' if wait < 1 else ago(item.next_attempt_at, now)}: {item.last_error}"
    elif item.state == "working":
        note = f"held by {item.lease_owner}" if item.lease_owner else "being worked on"
    return {
        "id": item.id,
        "state": item.state,
        "received_at": item.received_at,
        "subject": summary.get("subject") or raw_subject(item.raw or b"") or "",
        "customer": customer.get("email") or "",
        "customer_name": customer.get("name") or "",
        "category": classification.get("label") or "",
        "sentiment": sentiment.get("label") or "",
        "sentiment_score": sentiment.get("score"),
        "priority": PRIORITY.get(priority, str(priority or "")),
        "ticket": item.ticket_number,
        "incident_url": incident_url(org_url, item.incident_id),
        "already_existed": bool(summary.get("already_existed")),
        "guard": item.skipped_guard,
        "note": note,
        "attempts": item.attempts,
    }


def see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location, "Cache-Control": "no-store"})


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        return max(low, min(high, int(value or default)))
    except ValueError:
        return default


class Pages:
    def __init__(self, spool: Spool, state: dict[str, Any], access: Access) -> None:
        self.spool = spool
        self.state = state
        self.access = access

    # -- helpers -------------------------------------------------------------------------------------
    def _common(self, request: web.Request) -> dict[str, Any]:
        settings = self.state.get("settings")
        sandbox = []
        if settings is not None and settings.dynamics.sandbox:
            sandbox.append("Dynamics is the built-in Dataverse emulator")
        if settings is not None and settings.moengage.enabled and settings.moengage.sandbox:
            sandbox.append("MoEngage events go to the built-in emulator")
        return {
            "csrf": request.get(CSRF, ""),
            "sandbox": sandbox,
            "logged_in": self.access.exposed and getattr(request.get(SESSION), "authenticated", False),
            "exposed": self.access.exposed,
            "now": time.time(),
        }

    def _render(self, name: str, request: web.Request, status: int = 200, **context: Any) -> web.Response:
        page = _env.get_template(name).render(**self._common(request), **context)
        return web.Response(
            text=page,
            status=status,
            content_type="text/html",
            # The page holds customer addresses and subjects: not for shared caches, never framed.
            headers={
                "Cache-Control": "no-store",
                "X-Frame-Options": "DENY",
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                "Referrer-Policy": "same-origin",
                "X-Content-Type-Options": "nosniff",
            },
        )

    # -- pages ---------------------------------------------------------------------------------------
    async def status(self, request: web.Request) -> web.Response:
        query = request.query
        state = query.get("state") or None
        if state not in STATES:
            state = None
        search = (query.get("q") or "").strip()[:MAX_SEARCH] or None
        per = _int(query.get("per"), PER_PAGE, 1, MAX_PER_PAGE)
        refresh = _int(query.get("refresh"), 0, 0, 3600)
        counts, events, total = await asyncio.gather(
            self.spool.counts(), self.spool.event_counts(), self.spool.count(state, search=search)
        )
        pages = max(1, math.ceil(total / per))
        page = _int(query.get("page"), 1, 1, pages)
        rows = await self.spool.latest(per, state, search=search, offset=(page - 1) * per)
        now = time.time()
        org = self.state.get("org_url")

        def link(**change: Any) -> str:
            params = {"state": state or "", "q": search or "", "page": page, "per": per, "refresh": refresh}
            params.update(change)
            kept = {k: v for k, v in params.items() if v not in ("", None, 0) and not (k == "per" and v == PER_PAGE)}
            if kept.get("page") == 1:
                kept.pop("page")
            return "/status" + ("?" + urlencode(kept) if kept else "")

        retried = query.get("retried")
        return self._render(
            "status.html",
            request,
            counts=counts,
            events=events,
            total=total,
            rows=[row_view(item, org, now) for item in rows],
            state=state,
            states=STATES,
            search=search or "",
            page=page,
            pages=pages,
            per=per,
            refresh=refresh,
            refresh_choices=REFRESH_CHOICES,
            link=link,
            here=link(),
            retried=retried if retried and retried.isdigit() else None,
            not_retried=query.get("not_retried") if (query.get("not_retried") or "").isdigit() else None,
        )

    async def handoff(self, request: web.Request) -> web.Response:
        try:
            item_id = int(request.match_info["id"])
        except ValueError:
            raise web.HTTPNotFound(text="no such handoff\n") from None
        item = await self.spool.get(item_id)
        if item is None:
            return self._render("missing.html", request, status=404, item_id=item_id)
        # Only a created handoff has outbox events (written with the incident).
        events = await self._events_of(item.id) if item.state == "created" else []
        view = trail_view(item, events)
        org = self.state.get("org_url")
        back = safe_next(request.query.get("back"), "/status")
        return self._render(
            "handoff.html",
            request,
            item=item,
            view=view,
            row=row_view(item, org, time.time()),
            back=back,
            here=request.path_qs,
            retried=request.query.get("retried") == str(item_id),
            not_retried=request.query.get("not_retried") == str(item_id),
        )

    async def _events_of(self, item_id: int) -> list[Any]:
        """The outbox events of one handoff: by the spool's own query when it has one (`handoff_id=`),
        else all of them, filtered here (0.4-0.7 s at 17,600 events, bench/status_page.py)."""
        if "handoff_id" in inspect.signature(self.spool.events).parameters:
            return list(await self.spool.events(handoff_id=item_id))  # type: ignore[call-arg]
        return [e for e in await self.spool.events() if e.handoff_id == item_id]

    async def retry(self, request: web.Request) -> web.Response:
        """Retry a parked (or skipped) handoff: the spool's requeue, as `handoff retry ID` does."""
        try:
            item_id = int(request.match_info["id"])
        except ValueError:
            raise web.HTTPNotFound(text="no such handoff\n") from None
        form = await request.post()
        ok = await self.spool.requeue(item_id)
        worker = self.state.get("worker")
        if ok and worker is not None:
            worker.wake.set()  # taken now, not at the worker's next poll
        target = safe_next(str(form.get("next") or ""), f"/handoff/{item_id}")
        # Back where the button was pressed (its filter kept), saying what happened.
        parts = urlsplit(target)
        params = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("retried", "not_retried")]
        params.append(("retried" if ok else "not_retried", str(item_id)))
        return see_other(f"{parts.path}?{urlencode(params)}")

    async def login_form(self, request: web.Request) -> web.Response:
        if not self.access.exposed:  # open on loopback: nothing to log in to
            return see_other(safe_next(request.query.get("next")))
        return self._login(request)

    def _login(
        self, request: web.Request, error: str | None = None, status: int = 200, target: str | None = None
    ) -> web.Response:
        return self._render(
            "login.html",
            request,
            status=status,
            error=error,
            next=safe_next(target or request.query.get("next")),
            with_token=self.access.token is not None,
            with_password=self.access.users is not None,
        )

    async def login(self, request: web.Request) -> web.Response:
        form = await request.post()
        token = str(form.get("token") or "")
        user = str(form.get("user") or "")
        password = str(form.get("password") or "")
        ok = (bool(token) and self.access.check_token(token)) or (
            bool(user) and await self.access.check_password(user, password)
        )
        if not ok:
            await asyncio.sleep(FAILED_LOGIN_DELAY)
            return self._login(request, "Wrong token or password.", status=401, target=str(form.get("next") or ""))
        response = see_other(safe_next(str(form.get("next") or "")))
        set_session_cookie(request, response, self.access, self.access.new_session(True))
        return response

    async def logout(self, request: web.Request) -> web.Response:
        response = see_other("/login" if self.access.exposed else "/")
        response.del_cookie("handoff_session", path="/")
        return response

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/", self.status)
        app.router.add_get("/status", self.status)
        app.router.add_get("/handoff/{id}", self.handoff)
        app.router.add_post("/handoff/{id}/retry", self.retry)
        app.router.add_get("/login", self.login_form)
        app.router.add_post("/login", self.login)
        app.router.add_post("/logout", self.logout)


def trail_view(item: SpoolItem, events: list[Any]) -> dict[str, Any]:
    """handoff.trail's view of one handoff: the same JSON as `handoff show ID --json`."""
    from handoff import trail

    return trail.build(item, events)
