"""The operator's HTTP side: /healthz (alive), /readyz (can take and deliver mail), /metrics, and the
status pages (handoff.web: `/`, `/status`, `/handoff/<id>`, Retry) behind handoff.web.access."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from handoff.settings import HttpSettings
from handoff.spool.base import Spool
from handoff.web.access import Access, middleware
from handoff.web.pages import Pages

APP_KEY = web.AppKey("handoff", dict)


class _Snapshot:
    """Prometheus collectors are synchronous; the handler fills this from the spool just before."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.events: dict[str, int] = {}
        self.accepted = 0
        self.accepted_bytes = 0
        self.duplicates = 0
        self.refusals: dict[tuple[str, str], int] = {}
        self.sessions = 0
        self.data_bytes = 0
        self.outcomes: dict[str, int] = {}
        self.dynamics_ok: bool | None = None
        self.queue_depth = 0
        self.oldest_queued_age: float | None = None
        self.instruments: list[Any] = []  # prometheus_client metrics kept by the worker and the client

    def collect(self) -> Any:
        states = GaugeMetricFamily("handoff_spool_handoffs", "Handoffs in the spool by state", labels=["state"])
        for state, n in self.counts.items():
            states.add_metric([state], n)
        yield states
        events = GaugeMetricFamily("handoff_outbox_events", "Case events in the outbox by state", labels=["state"])
        for state, n in self.events.items():
            events.add_metric([state], n)
        yield events
        yield CounterMetricFamily("handoff_smtp_accepted", "Mails accepted over SMTP since start", value=self.accepted)
        yield CounterMetricFamily(
            "handoff_smtp_accepted_bytes", "Bytes of mails accepted over SMTP since start", value=self.accepted_bytes
        )
        yield CounterMetricFamily(
            "handoff_smtp_duplicates",
            "Mails accepted again that the spool already held (a resend, a second MX route): one handoff each",
            value=self.duplicates,
        )
        refusals = CounterMetricFamily(
            "handoff_smtp_refusals", "SMTP replies that refused something, since start", labels=["code", "reason"]
        )
        for (code, reason), n in sorted(self.refusals.items()):
            refusals.add_metric([code, reason], n)
        yield refusals
        yield GaugeMetricFamily("handoff_smtp_sessions", "SMTP sessions open now", value=self.sessions)
        yield GaugeMetricFamily(
            "handoff_smtp_data_bytes",
            "Bytes of DATA held in memory now (within [smtp] data_memory_budget)",
            value=self.data_bytes,
        )
        outcomes = CounterMetricFamily("handoff_worker_outcomes", "Worker outcomes since start", labels=["outcome"])
        for outcome, n in self.outcomes.items():
            outcomes.add_metric([outcome], n)
        yield outcomes
        up = -1 if self.dynamics_ok is None else int(self.dynamics_ok)
        yield GaugeMetricFamily(
            "handoff_dataverse_up", "1 if the last Dataverse call worked, 0 if not, -1 unknown", value=up
        )
        # What to alert on (README), as single series so a rule needs no label matching.
        yield GaugeMetricFamily(
            "handoff_queue_depth", "Handoffs waiting for the worker (queued, retries included)", value=self.queue_depth
        )
        yield GaugeMetricFamily(
            "handoff_queue_oldest_age_seconds",
            "Age of the oldest queued handoff (0 when none is queued)",
            value=self.oldest_queued_age or 0.0,
        )
        yield GaugeMetricFamily(
            "handoff_outbox_depth",
            "MoEngage events not sent yet (pending and sending)",
            value=self.events.get("pending", 0) + self.events.get("sending", 0),
        )
        yield GaugeMetricFamily(
            "handoff_parked", "Parked handoffs (a person must look)", value=self.counts.get("parked", 0)
        )
        for instrument in self.instruments:
            yield from instrument.collect()


def build_app(spool: Spool, state: dict[str, Any]) -> web.Application:
    """`state` carries live references: 'intake' (IntakeHandler), 'worker' (Worker), 'client' (the
    DataverseClient), 'started' (time), 'settings' (Settings: [http] access, sandbox banner) and
    'org_url' (the organisation the ticket links point to)."""
    snapshot = _Snapshot()
    registry = CollectorRegistry()
    registry.register(snapshot)  # type: ignore[arg-type]
    settings = state.get("settings")
    access = Access(settings.http if settings is not None else HttpSettings())
    app = web.Application(middlewares=[middleware(access)], client_max_size=64 * 1024)
    app[APP_KEY] = state

    async def close_access(app: web.Application) -> None:
        access.close()

    app.on_cleanup.append(close_access)

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "uptime_seconds": round(time.time() - state["started"], 1)})

    async def readyz(request: web.Request) -> web.Response:
        # Ready means: a mail accepted now is stored durably, and the last attempt to deliver one worked.
        # The spool is asked for a real (tiny) write: a full disk still answers reads.
        body: dict[str, Any] = {"ready": True}
        try:
            await spool.probe()
            body["spool"] = "ok"
        except Exception as exc:
            body["ready"] = False
            body["spool"] = f"cannot write: {type(exc).__name__}: {str(exc)[:200]}"
        intake = state.get("intake")
        failed = getattr(intake, "store_error", None)
        # Recent only: with no mail since, a minute of successful probes says the spool is fine again.
        if failed and body["ready"] and time.monotonic() - getattr(intake, "store_error_at", 0.0) < 60:
            body["ready"] = False
            body["spool"] = f"the last mail could not be stored: {failed}"
        worker = state.get("worker")
        last = dict(worker.last_delivery) if worker is not None else {}
        if last:
            body["dataverse"] = last
            if not last.get("ok"):
                # Mail is still accepted and queued meanwhile; this says cases are not being created.
                body["ready"] = False
        else:
            body["dataverse"] = {"ok": None, "detail": "no delivery attempted since start"}
        return web.json_response(body, status=200 if body["ready"] else 503)

    async def metrics(request: web.Request) -> web.Response:
        snapshot.counts = await spool.counts()
        snapshot.events = await spool.event_counts()
        snapshot.queue_depth = snapshot.counts.get("queued", 0)
        snapshot.oldest_queued_age = None
        if snapshot.queue_depth:
            oldest_at = await spool.oldest_queued_at()  # one indexed row, read at every scrape
            if oldest_at is not None:
                snapshot.oldest_queued_age = max(0.0, time.time() - oldest_at)
        intake = state.get("intake")
        worker = state.get("worker")
        client = state.get("client")
        snapshot.accepted = intake.accepted if intake else 0
        snapshot.accepted_bytes = getattr(intake, "accepted_bytes", 0) if intake else 0
        snapshot.duplicates = getattr(spool, "duplicates", 0)
        snapshot.refusals = dict(intake.refusals) if intake else {}
        snapshot.sessions = intake.sessions if intake else 0
        snapshot.data_bytes = intake.data_bytes_held if intake else 0
        snapshot.outcomes = dict(worker.outcomes) if worker else {}
        snapshot.dynamics_ok = worker.dynamics_ok if worker else None
        snapshot.instruments = [
            x for x in (getattr(worker, "created_latency", None), getattr(client, "metrics", None)) if x is not None
        ]
        return web.Response(body=generate_latest(registry), content_type="text/plain", charset="utf-8")

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    Pages(spool, state, access).add_routes(app)
    return app
