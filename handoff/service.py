"""Builds the long-lived parts once (spool, Dataverse connection, pipeline) and closes them at the end.

`handoff serve`, `handoff replay`, `handoff check` and the tests all assemble the same parts here, so
a replayed mailbox goes through exactly the pipeline that SMTP mail does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp

from handoff.attachments import AttachmentLimits
from handoff.dynamics.auth import TokenProvider
from handoff.dynamics.client import DataverseClient
from handoff.dynamics.incidents import Delivered, Dynamics
from handoff.errors import ConfigError, SpoolError
from handoff.pipeline import Analysis, Pipeline
from handoff.retry import Backoff
from handoff.settings import SANDBOX, Settings
from handoff.spool import open_spool
from handoff.spool.base import OutboxEvent, Spool

log = logging.getLogger("handoff")
T = TypeVar("T")

# How long a stop lets in-flight work finish before cancelling it (systemd waits 90 s, Kubernetes 30 s).
STOP_GRACE_SECONDS = 10.0


def data_dir(settings: Settings) -> Path:
    """Where the SQLite spool lives; the embedded sandbox keeps its records beside it."""
    url = settings.spool.url
    if url.startswith("sqlite:///"):
        return Path(url.removeprefix("sqlite:///")).parent
    return Path("handoff-data")


@dataclass
class Connection:
    """How to reach Dataverse: a real organisation, or the in-process sandbox."""

    org_url: str
    authority: str
    ca_file: str | None
    sandbox: Any = None


@dataclass
class Parts:
    settings: Settings
    spool: Spool
    session: aiohttp.ClientSession
    connection: Connection
    dynamics: Dynamics
    tokens: TokenProvider
    pipeline: Pipeline | None = None
    moengage: Any = None  # the MoEngage sandbox when mirroring to it
    attachment_limits: AttachmentLimits | None = None  # the effective ones, once read
    closers: list[Any] = field(default_factory=list)

    async def close(self) -> None:
        await self.session.close()
        await asyncio.to_thread(self.tokens.close)
        for close in reversed(self.closers):
            await close()
        await self.spool.close()

    async def read_org_limits(self) -> AttachmentLimits:
        """Make the pipeline use the stricter of [dynamics] and the organisation's attachment limits.

        An unreachable Dataverse keeps the configured ones: mail must still be accepted during an
        outage, and a file the organisation refuses then parks its case with Dataverse's message."""
        from handoff.dynamics.metadata import attachment_limits
        from handoff.errors import TransientError

        configured = AttachmentLimits.configured(self.settings.dynamics)
        try:
            limits = await attachment_limits(self.dynamics.client, configured)
        except TransientError as exc:
            log.warning("could not read the organisation's attachment limits now, using [dynamics] ones: %s", exc)
            limits = configured
        else:
            log.info("%s", limits.describe(configured))
        self.attachment_limits = limits
        if self.pipeline is not None:
            self.pipeline.attachment_limits = limits
        return limits

    async def check_contact_columns(self) -> list[str]:
        """The extra contact columns the lookup reads (a custom [moengage] customer_id) must exist."""
        from handoff.dynamics.metadata import check_contact_columns

        extra = list(self.dynamics.extra_contact_columns)
        return await check_contact_columns(self.dynamics.client, extra, "[moengage] customer_id")

    async def start_moengage(self) -> Any:
        """The outbox sender, or None when mirroring is off; starts the MoEngage sandbox when asked."""
        settings = self.settings.moengage
        if not settings.enabled:
            return None
        from handoff.moengage.sender import MoEngageSender

        base_url = settings.base_url
        if base_url == SANDBOX:
            from handoff.sandbox.moengage import MoEngageSandbox

            self.moengage = MoEngageSandbox(workspace_id=settings.workspace_id, api_key=settings.key())
            await self.moengage.start(host="127.0.0.1", port=0)
            self.closers.append(self.moengage.stop)
            base_url = self.moengage.url
            log.warning("SANDBOX MODE: MoEngage events go to the built-in emulator at %s", base_url)
        return MoEngageSender(settings, self.spool, session=self.session, base_url=base_url)

    def event_builder(self) -> Any:
        """Outbox events for a created case, or None when MoEngage mirroring is off."""
        if not self.settings.moengage.enabled:
            return None
        from handoff.moengage.payloads import case_created_event

        settings = self.settings.moengage

        def build(analysis: Analysis, delivered: Delivered) -> list[OutboxEvent]:
            assert analysis.draft is not None
            return [
                case_created_event(
                    settings=settings,
                    handoff=analysis.handoff,
                    incident_id=delivered.incident_id,
                    ticket_number=delivered.ticket_number,
                    title=str(analysis.draft.body["title"]),
                    prioritycode=int(analysis.draft.body["prioritycode"]),
                    contact_id=delivered.contact_id,
                    contact=delivered.contact,
                )
            ]

        return build


async def connect_dataverse(settings: Settings) -> tuple[Connection, list[Any]]:
    dyn = settings.dynamics
    if not dyn.sandbox:
        return Connection(dyn.url, dyn.authority, dyn.ca_bundle), []
    from handoff.sandbox.dataverse import DataverseSandbox

    sandbox = DataverseSandbox(
        store_path=data_dir(settings) / "sandbox-dataverse.db",
        tenant_id=dyn.tenant_id,
        client_id=dyn.client_id,
        client_secret=dyn.secret(),
    )
    await sandbox.start(host="127.0.0.1", port=0)
    if dyn.default_queue_id and not any(q.get("queueid") == dyn.default_queue_id for q in sandbox.table("queues")):
        sandbox.add_record("queues", {"queueid": dyn.default_queue_id, "name": "Support"})
    log.warning(
        "SANDBOX MODE: Dynamics is the built-in Dataverse emulator at %s (records in %s); "
        "set [dynamics] url to reach a real organisation",
        sandbox.url,
        data_dir(settings) / "sandbox-dataverse.db",
    )
    return Connection(sandbox.url, sandbox.authority, sandbox.ca_file, sandbox), [sandbox.stop]


async def build_parts(settings: Settings, *, with_pipeline: bool = True, owner: str | None = None) -> Parts:
    # The pipeline first: it is pure and may refuse the settings (templates, taxonomy) before anything
    # opens. Building it loads the taxonomy (and embeddings when installed), so off the loop.
    settings.require_complete()
    pipeline = await asyncio.to_thread(Pipeline, settings) if with_pipeline else None
    spool = open_spool(settings.spool.url)
    try:
        await spool.open()
    except (SpoolError, OSError) as exc:
        # An unwritable directory, a file in the way, an unreachable database: a setting to fix, not a crash.
        text = str(exc) if str(exc).startswith("[spool] url") else f"[spool] url: cannot open the spool: {exc}"
        raise ConfigError(f"{text} (give a writable path or a reachable database in [spool] url)") from None
    closers: list[Any] = []
    try:
        connection, closers = await connect_dataverse(settings)
    except BaseException:
        await spool.close()
        raise
    tokens = TokenProvider(settings.dynamics, connection.org_url, connection.authority, connection.ca_file)
    session = aiohttp.ClientSession()
    client = DataverseClient(
        connection.org_url,
        tokens,
        session,
        max_retries=settings.dynamics.max_retries,
        backoff=Backoff.of(settings.dynamics.retry),
        timeout=settings.dynamics.timeout_seconds,
        ca_file=connection.ca_file,
        requests_per_window=settings.dynamics.requests_per_window,
        window_seconds=settings.dynamics.window_seconds,
        max_concurrent=settings.dynamics.max_concurrent,
        execution_per_window=settings.dynamics.execution_seconds_per_window,
    )
    shared = getattr(spool, "request_budget", None)
    if shared is not None:
        # Dataverse's limits are per application user: instances on one spool database share them.
        # `owner` (serve's instance id) lets a restarted instance return the slots it died holding.
        client.limiter.share(
            shared(
                f"{connection.org_url}|{settings.dynamics.client_id}",
                holder=owner,
                hold_seconds=2 * settings.dynamics.timeout_seconds + 10,
            )
        )
    strategy = settings.moengage.customer_id
    # MoEngage may key its profiles by another contact column; read it in the same contact lookup.
    extra = [strategy] if settings.moengage.enabled and strategy not in ("email", "contactid") else []
    dynamics = Dynamics(client, settings.dynamics, contact_columns=extra)
    book = getattr(spool, "contact_book", None)
    if book is not None:
        # Instances on one spool learn contacts from each other, and only one creates a new customer's.
        scope = f"{connection.org_url}|{','.join(settings.dynamics.match_columns)}"
        dynamics.share_contacts(book(scope, holder=owner))
    return Parts(settings, spool, session, connection, dynamics, tokens, pipeline, closers=closers)


def bind_problem(section: str, host: str, port: int, exc: OSError) -> ConfigError:
    """A listener that cannot bind, as one line naming the setting and the fix."""
    import errno

    why = os.strerror(exc.errno) if exc.errno else str(exc)  # asyncio's own strerror repeats the address
    if exc.errno == errno.EADDRINUSE:
        text = f"[{section}] port {port} is in use ({why}); stop what listens there or set [{section}] port"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        text = f"[{section}] port {port} needs privileges ({why}); set [{section}] port above 1023 and redirect"
    elif exc.errno == errno.EADDRNOTAVAIL:
        text = f"[{section}] host {host} is not an address of this machine ({why}); set [{section}] host"
    else:
        text = f"[{section}] host {host} port {port} cannot be listened on ({why}); check [{section}] host and port"
    return ConfigError(text)


def run_loop(main: Callable[[], Coroutine[Any, Any, T]], event_loop: str = "asyncio") -> T:
    """Run `handoff serve` on the loop [smtp] event_loop names: asyncio's own, or uvloop (libuv), which
    spends less CPU per SMTP session (bench/smtp_accept.py). A missing uvloop is a wrong setting (exit 2)."""
    if event_loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            raise ConfigError(
                '[smtp] event_loop = "uvloop": uvloop is not installed; `pip install uvloop` (Linux, macOS) '
                'or set event_loop = "asyncio"'
            ) from None
        return uvloop.run(main())
    return asyncio.run(main())


async def _finish(task: asyncio.Task[Any]) -> None:
    """Wait for a start-up task that is no longer needed, ignoring how it ends."""
    with contextlib.suppress(BaseException):
        await task


class Service:
    """`handoff serve`: SMTP intake, the worker, the MoEngage sender and the HTTP side in one loop."""

    def __init__(self, settings: Settings, *, concurrency: int | None = None) -> None:
        self.settings = settings
        self.concurrency = concurrency or settings.spool.concurrency
        self.parts: Parts | None = None
        self.worker: Any = None
        self.analyser: Any = None
        self.sender: Any = None
        self.follower: Any = None  # handoff.lifecycle, when [moengage] and [moengage.lifecycle] are on
        self.intake: Any = None
        self.smtp_port = 0
        self.http_port = 0
        self._stop = asyncio.Event()
        self._server: asyncio.Server | None = None
        self._runner: Any = None
        self._tasks: list[asyncio.Task[Any]] = []

    async def start(self) -> None:
        from aiohttp import web

        from handoff.analyser import ProcessAnalyser
        from handoff.health import build_app
        from handoff.intake import bound_port, start_smtp
        from handoff.worker import Wake, Worker

        # The status page can retry handoffs: exposed beyond loopback it needs a login (exit 2 otherwise).
        exposure = self.settings.http.exposure_problem()
        if exposure:
            raise ConfigError(exposure)
        # The pipeline runs in the analysis process only (handoff.analyser); starting it builds the
        # pipeline there, so refused settings (templates, taxonomy) stop the start-up as before.
        # The analysis process loads its models while the Dataverse checks wait on the network.
        self.analyser = analyser = ProcessAnalyser(self.settings)
        warming = asyncio.create_task(analyser.start(), name="analysis-start")
        try:
            self.parts = parts = await build_parts(self.settings, with_pipeline=False, owner=self.instance_id())
        except BaseException as exc:
            if isinstance(exc, asyncio.CancelledError):
                warming.cancel()  # SIGTERM during start-up: do not wait for the models to load
            await _finish(warming)
            raise
        try:
            await self._validate(parts)
            follower = await self._lifecycle(parts)  # checked before any mail is taken
            await warming  # ConfigError when the pipeline refuses the settings
            if parts.attachment_limits is not None:
                analyser.attachment_limits = parts.attachment_limits
            owner = self.instance_id()
            recovered = await parts.spool.recover(owner)
            if recovered:
                log.info("returned %d handoff(s) this instance or a dead one held to the queue", recovered)
            wake = Wake()  # one idle worker loop per stored mail, not all of them
            self.worker = Worker(
                parts.spool,
                analyser,
                parts.dynamics,
                self.settings.spool,
                wake=wake,
                events=parts.event_builder(),
                guards=self.settings.guards,
                owner=owner,
            )
            self.analyser = None  # the worker owns it now
            smtp = self.settings.smtp
            try:
                self._server, self.intake = await start_smtp(smtp, parts.spool, wake)
            except OSError as exc:
                raise bind_problem("smtp", smtp.host, smtp.port, exc) from None
            self.smtp_port = bound_port(self._server)
            state: dict[str, Any] = {"intake": self.intake, "worker": self.worker, "started": time.time()}
            state |= {"settings": self.settings, "org_url": parts.connection.org_url, "client": parts.dynamics.client}
            self._runner = web.AppRunner(build_app(parts.spool, state), access_log=None)
            await self._runner.setup()
            http = self.settings.http
            site = web.TCPSite(self._runner, http.host, http.port)
            try:
                await site.start()
            except OSError as exc:
                raise bind_problem("http", http.host, http.port, exc) from None
            self.http_port = self._runner.addresses[0][1]
            self._tasks.append(asyncio.create_task(self.worker.run(self._stop, self.concurrency), name="worker"))
            self.sender = sender = await parts.start_moengage()
            if sender is None:
                log.info(
                    "[moengage] enabled is false: cases are not mirrored to MoEngage (set [moengage] enabled = true "
                    "and api_key to mirror them)"
                )
            if sender is not None:
                # A new case's event goes out now, not at the sender's next poll.
                self.worker.on_events = sender.wake
                self._tasks.append(asyncio.create_task(sender.run(self._stop), name="moengage"))
            if follower is not None and sender is not None:
                # Its own task on the shared Dataverse client: case creation never waits for it.
                self.follower = follower
                follower.on_events = sender.wake
                self._tasks.append(asyncio.create_task(follower.run(self._stop), name="lifecycle"))
            # Retention ([spool] keep_raw_days): raw mail of finished handoffs dropped once it is old enough.
            from handoff.spool.retention import retention_loop

            keep = self.settings.spool.keep_raw_days
            self._tasks.append(asyncio.create_task(retention_loop(parts.spool, keep, self._stop), name="retention"))
        except BaseException as exc:
            if isinstance(exc, asyncio.CancelledError):
                warming.cancel()  # SIGTERM during start-up: do not wait for the models to load
            await _finish(warming)  # so stop() closes a started analysis process, not one half-way up
            await self.stop()
            raise

    async def _lifecycle(self, parts: Parts) -> Any:
        """The lifecycle follower, its tables checked now: one without change tracking, a missing read
        privilege or a missing table refuses the start naming the table and the fix. An unreachable
        Dataverse only warns (mail must still be accepted); the follower reports it when it gets there."""
        settings = self.settings.moengage
        if not (settings.enabled and settings.lifecycle.enabled):
            return None
        if not hasattr(parts.spool, "commit_page"):
            log.warning(
                '[moengage.lifecycle]: the %s spool cannot keep delta tokens yet; only "Case Created" is mirrored',
                type(parts.spool).__name__,
            )
            return None
        from handoff.errors import TransientError
        from handoff.lifecycle import LifecycleFollower

        follower = LifecycleFollower(settings, parts.spool, parts.dynamics.client)
        if parts.attachment_limits is None:  # _validate could not reach Dataverse and said so
            return follower
        try:
            problems = await follower.check()
        except TransientError as exc:
            log.warning("could not check the lifecycle tables against the organisation now: %s", exc)
            return follower
        if problems:
            raise ConfigError("settings do not match the organisation:\n  " + "\n  ".join(problems))
        return follower

    def instance_id(self) -> str:
        """Who holds this instance's leases: stable across restarts, distinct between instances."""
        if self.settings.spool.instance_id:
            return self.settings.spool.instance_id
        return f"{socket.gethostname()}:{self.settings.smtp.port}"

    async def _validate(self, parts: Parts) -> None:
        """Refuse to start on settings the organisation rejects; an unreachable Dataverse only warns,
        because mail must still be accepted and queued during an outage."""
        from handoff.dynamics.metadata import validate
        from handoff.errors import TransientError

        try:
            problems = await validate(parts.dynamics.client, self.settings.dynamics)
            problems += await parts.check_contact_columns()
        except TransientError as exc:
            # Nor read its attachment limits: a second wait on the same outage would only delay start-up.
            log.warning("could not check [dynamics] settings against the organisation now: %s", exc)
            return
        if problems:
            raise ConfigError("settings do not match the organisation:\n  " + "\n  ".join(problems))
        await parts.read_org_limits()

    async def stop(self) -> None:
        # Stop taking mail first, then let in-flight handoffs finish (their leases cover a hard kill).
        if self._server is not None:
            self._server.close()
            self._server = None
        if self.intake is not None:
            # Mails being stored get their answer; then open sessions (idle, slow or hostile) are
            # closed, so none outlives the spool it would write to.
            await self.intake.close()
        self._stop.set()
        # One grace period for every task together, then what is still running is cancelled. A handoff
        # cut off mid-delivery is safe: its lease is taken back at the next start and the retry's 412
        # ("already exists") finds what committed. Thirty seconds per task made a stop with Dataverse
        # down take 60-80 s, past what a supervisor waits before SIGKILL.
        if self._tasks:
            _done, pending = await asyncio.wait(self._tasks, timeout=STOP_GRACE_SECONDS)
            for task in pending:
                task.cancel()
            if pending:
                log.info("stopping: %d task(s) still busy after %.0f s, cancelled", len(pending), STOP_GRACE_SECONDS)
                await asyncio.wait(pending, timeout=5)
            for task in self._tasks:
                if task.done() and not task.cancelled() and task.exception() is not None:
                    log.warning("stopping: task %s had failed: %r", task.get_name(), task.exception())
        self._tasks.clear()
        if self.worker is not None:
            self.worker.close()
        if self.analyser is not None:
            self.analyser.close()
            self.analyser = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.parts is not None:
            await self.parts.close()
            self.parts = None
