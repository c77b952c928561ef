"""handoff serve | replay | check | status | retry."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import mailbox
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from handoff.errors import ConfigError, HandoffError
from handoff.settings import Settings, load_settings

log = logging.getLogger("handoff")


# -- mailboxes --------------------------------------------------------------------------------------
def read_mailbox(path: Path) -> Iterator[tuple[str, bytes]]:
    """(label, raw bytes) for every mail in an mbox file, a Maildir, a folder of .eml files or one .eml."""
    if path.is_dir():
        if (path / "cur").is_dir() or (path / "new").is_dir():
            box = mailbox.Maildir(path, factory=None, create=False)
            for key in sorted(box.keys()):
                yield f"{path.name}/{key}", box.get_bytes(key)
            return
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in {".eml", ".msg", ".txt"})
        for file in files:
            if file.suffix.lower() == ".eml":
                yield str(file), file.read_bytes()
        for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in {".mbox", ".mbx"}):
            yield from read_mailbox(file)
        return
    if not path.exists():
        raise ConfigError(f"replay: {path} does not exist (give an mbox file, a Maildir, a folder of .eml or one .eml)")
    head = path.read_bytes()[:5]
    if head.startswith(b"From "):
        box = mailbox.mbox(path, create=False)
        for n, key in enumerate(box.keys()):
            yield f"{path.name}#{n + 1}", box.get_bytes(key)
        return
    yield str(path), path.read_bytes()


# -- commands ---------------------------------------------------------------------------------------
async def cmd_serve(settings: Settings, embedded: bool) -> int:
    from handoff.service import Service

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    service = Service(settings)
    # SIGHUP (certbot's deploy hook, `docker kill -s HUP`): new SMTP sessions get the certificate now in
    # [smtp] tls_cert / tls_key; open sessions are not dropped. Ignored until the listener is up.
    loop.add_signal_handler(signal.SIGHUP, lambda: service.intake.reload_tls() if service.intake else None)
    try:
        # SIGTERM (systemd, docker stop) while starting up stops the start-up now, without a traceback,
        # rather than after the models have loaded and the listeners opened.
        starting = asyncio.create_task(service.start(), name="start-up")
        stopping = asyncio.create_task(stop.wait(), name="stop-signal")
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not starting.done():
            starting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await starting
            print("handoff: stopped by a signal during start-up; nothing was started", file=sys.stderr)
            # 2, as for every start-up that did not come up (issue 15): a supervisor sees it never served.
            return 2
        stopping.cancel()
        starting.result()  # a refused setting (ConfigError) is raised here
        log.info(
            "handoff ready: smtp %s:%d accepting %s, http %s:%d%s",
            settings.smtp.host,
            service.smtp_port,
            ", ".join(settings.smtp.recipients),
            settings.http.host,
            service.http_port,
            " (embedded defaults)" if embedded else "",
        )
        await stop.wait()
        log.info("stopping")
    finally:
        await service.stop()
    return 0


async def cmd_replay(settings: Settings, path: Path, dry_run: bool, as_json: bool) -> int:
    from handoff.pipeline import Pipeline, summary

    mails = list(read_mailbox(path))
    if not mails:
        print(f"replay: no mail found in {path}", file=sys.stderr)
        return 1
    if dry_run:
        pipeline = Pipeline(settings)
        for label, raw in mails:
            try:
                data = summary(pipeline.analyse(raw, envelope_sender(raw)))
            except Exception as exc:  # one unreadable mail must not hide the rest
                data = {"source": label, "error": f"{type(exc).__name__}: {exc}"}
            data["source"] = label
            print(json.dumps(data, ensure_ascii=False) if as_json else _line(data))
        return 0

    from handoff.analyser import ProcessAnalyser
    from handoff.service import build_parts
    from handoff.worker import Worker

    parts = await build_parts(settings, with_pipeline=False)
    try:
        # The same analysis process and time budget as serve: a runaway mail is parked, not a hung replay.
        analyser = ProcessAnalyser(settings)
        await analyser.start()
        # The child's first analysis pays for what the pipeline loads on first use (0.6 s on a quiet machine,
        # some 2.5 s under load): done while the mails are stored, not after the organisation's limits are
        # read, when Dataverse's budget is already being used and its first request waits for it. A small
        # mail of the replay itself, its result thrown away (its real analysis comes with its handoff).
        sample = min((raw for _label, raw in mails[:100]), key=len)
        warming = asyncio.create_task(analyser.analyse(sample, envelope_sender(sample), []))
        # The spool keeps one row per mail (the same Message-ID and content): a mail replayed again, or
        # twice in one mailbox, gets the first row's id back and is reported as such, not run again.
        ids: list[int] = []
        repeated: list[bool] = []
        seen: set[int] = set()
        try:
            for _label, raw in mails:
                before = getattr(parts.spool, "duplicates", 0)
                spool_id = await parts.spool.enqueue(raw, envelope_sender(raw), [])
                repeated.append(getattr(parts.spool, "duplicates", 0) > before or spool_id in seen)
                seen.add(spool_id)
                ids.append(spool_id)
        except BaseException:
            warming.cancel()
            raise
        with contextlib.suppress(Exception):  # only a head start: the mail's own analysis reports its errors
            await warming
        # The worker delivers, so the organisation's limits apply as in serve. Read once the mails are
        # stored (10,000 take some 20 s): from this first request on, Dataverse's budget is being used.
        analyser.attachment_limits = await parts.read_org_limits()
        worker = Worker(
            parts.spool,
            analyser,
            parts.dynamics,
            settings.spool,
            events=parts.event_builder(),
            guards=settings.guards,
            owner=f"replay:{os.getpid()}",
        )
        try:
            with Progress(sum(not r for r in repeated)) as progress:
                # The worker's concurrent loops, as serve runs them, until nothing is due: the handoffs in
                # hand share Dataverse requests and, under a backlog, grow to use its execution budget.
                await worker.drain_concurrently(settings.spool.concurrency, progress.step)
            limiter = parts.dynamics.client.limiter
            log.info(
                "Dataverse: %d requests, %.1f s of execution as counted against the budget, %d waited for it",
                parts.dynamics.client.stats.requests,
                limiter.executed_total,
                limiter.budget_waits,
            )
        finally:
            worker.close()
        sender = await parts.start_moengage()
        if sender is not None:
            await sender.drain()
        tally: dict[str, int] = dict.fromkeys(REPLAY_OUTCOMES, 0)
        for (label, _raw), spool_id, again in zip(mails, ids, repeated, strict=True):
            item = await parts.spool.get(spool_id)
            assert item is not None
            outcome = replay_outcome(item, again)
            tally[outcome] = tally.get(outcome, 0) + 1
            data = dict(item.summary) | {
                "source": label,
                "spool_id": spool_id,
                "state": item.state,
                "outcome": outcome,
                "ticketnumber": item.ticket_number,
                "last_error": item.last_error,
            }
            data.pop("trail", None)  # `handoff show ID` prints it
            print(json.dumps(data, ensure_ascii=False) if as_json else _line(data))
        closing = f"replay: {len(mails)} mail(s): " + ", ".join(f"{n} {what}" for what, n in tally.items())
        print(closing, file=sys.stderr if as_json else sys.stdout)
    finally:
        await parts.close()
    return 0


REPLAY_OUTCOMES = ("created", "already existed", "already in the spool", "skipped", "parked", "queued")


def replay_outcome(item: Any, again: bool) -> str:
    """What replay says of one mail: a case made now, one Dataverse already had (the 412 path), a mail the
    spool already held (not run again), skipped, parked, or queued for a retry."""
    if again:
        return "already in the spool"
    if item.state == "created":
        return "already existed" if item.summary.get("already_existed") else "created"
    if item.state in ("skipped", "parked"):
        return str(item.state)
    return "queued"


class Progress:
    """replay's progress: a bar (tqdm) on a terminal, else a plain line every PLAIN_EVERY mails, on stderr."""

    PLAIN_EVERY = 50

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.bar: Any = None
        self._redirect: Any = None
        if total and sys.stderr.isatty():
            from tqdm import tqdm
            from tqdm.contrib.logging import logging_redirect_tqdm

            self.bar = tqdm(total=total, unit="mail", desc="replay", file=sys.stderr, leave=False)
            # The worker's outcome lines go above the bar instead of through it.
            self._redirect = logging_redirect_tqdm()

    def __enter__(self) -> Progress:
        if self._redirect is not None:
            self._redirect.__enter__()
        return self

    def step(self) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.done % self.PLAIN_EVERY == 0 or self.done == self.total:
            print(f"replay: {self.done} of {self.total} processed", file=sys.stderr, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self._redirect is not None:
            self._redirect.__exit__(None, None, None)
        if self.bar is not None:
            self.bar.close()


def envelope_sender(raw: bytes) -> str:
    """The SMTP sender a stored mail came with: its Return-Path ("" for a bounce's <>), else From.

    A mailbox file has no envelope; passing "" would make every replayed mail look like a bounce.
    """
    from email.parser import BytesHeaderParser
    from email.utils import parseaddr

    headers = BytesHeaderParser().parsebytes(raw)
    return_path = headers.get("Return-Path")
    if return_path is not None:
        return parseaddr(str(return_path))[1] if str(return_path).strip() not in ("<>", "") else ""
    return parseaddr(str(headers.get("From", "")))[1] or "unknown@replay.invalid"


def _line(data: dict[str, Any]) -> str:
    customer = (data.get("customer") or {}).get("email", "-")
    label = (data.get("classification") or {}).get("label", "-")
    if data.get("outcome"):
        outcome = data["outcome"] + (f" #{data['spool_id']}" if data["outcome"] == "already in the spool" else "")
    elif data.get("state"):
        outcome = data["state"]
    elif data.get("skipped"):
        outcome = "skipped"
    else:
        outcome = "would create" if data.get("incident") else "would park"
    detail = (
        data.get("ticketnumber")
        or (data.get("skipped") or {}).get("reason")
        or data.get("last_error")
        or data.get("park_reason")
        or ""
    )
    if data.get("error"):
        outcome, detail = "error", data["error"]
    return f"{data.get('source')}: {outcome} {detail} [{label}] customer={customer}".replace("  ", " ")


async def cmd_check(settings: Settings) -> int:
    from handoff.attachments import AttachmentLimits
    from handoff.dynamics.metadata import validate
    from handoff.service import build_parts

    parts = await build_parts(settings, with_pipeline=True)
    try:
        token = await parts.tokens.token()
        print(f"settings: ok; token: ok ({len(token)} characters) from {parts.tokens.authority}")
        who = await parts.dynamics.who_am_i()
        print(f"dataverse: ok at {parts.connection.org_url} as user {who.get('UserId')}")
        problems = await validate(parts.dynamics.client, settings.dynamics)
        problems += await parts.check_contact_columns()
        followed = await _check_lifecycle(settings, parts, problems)
        if problems:
            raise ConfigError("settings do not match the organisation:\n  " + "\n  ".join(problems))
        print("option sets, queue and owner: ok")
        if followed:
            print(f"lifecycle: change tracking on and readable for {', '.join(followed)}: ok")
        configured = AttachmentLimits.configured(settings.dynamics)
        print((await parts.read_org_limits()).describe(configured))
    finally:
        await parts.close()
    return 0


async def cmd_migrate(settings: Settings) -> int:
    """Apply the spool's schema migrations (serve does it at start-up too) and print the version."""
    from handoff.spool import open_spool

    spool = open_spool(settings.spool.url)
    await spool.open()  # applies what is missing, under the backend's lock
    try:
        version = await spool.schema_version()
    finally:
        await spool.close()
    applied = list(getattr(spool, "applied", []))
    where = _redacted(settings.spool.url)
    if applied:
        print(f"{where}: applied migration(s) {', '.join(map(str, applied))}; schema version {version}")
    else:
        print(f"{where}: up to date; schema version {version}")
    return 0


def _redacted(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)))


async def _check_lifecycle(settings: Settings, parts: Any, problems: list[str]) -> list[str]:
    """The tables the lifecycle follower reads must have change tracking and be readable; adds the
    problems (each naming the table and the fix) and returns the tables checked."""
    lifecycle = settings.moengage.lifecycle
    if not (settings.moengage.enabled and lifecycle.enabled):
        return []
    from handoff.lifecycle import LifecycleFollower

    follower = LifecycleFollower(settings.moengage, parts.spool, parts.dynamics.client)
    found = await follower.check()
    problems += found
    return [] if found else [feed.name for feed in follower.feeds]


async def cmd_sandbox(settings: Settings, args: argparse.Namespace) -> int:
    """Move a case of the embedded sandbox through its lifecycle, in the store file `handoff serve` uses."""
    from handoff.sandbox import dataverse_admin as admin
    from handoff.sandbox.dataverse import DataverseSandbox
    from handoff.service import data_dir

    if not settings.dynamics.sandbox:
        raise ConfigError(
            f"handoff sandbox: [dynamics] url is {settings.dynamics.url}; these commands change only the "
            'embedded sandbox\'s records ([dynamics] url = "sandbox")'
        )
    store = data_dir(settings) / "sandbox-dataverse.db"
    if not store.exists():
        raise ConfigError(f"handoff sandbox: no sandbox records at {store}; start `handoff serve` once first")
    sandbox = DataverseSandbox(
        store_path=store, tenant_id=settings.dynamics.tenant_id, client_id=settings.dynamics.client_id
    )
    try:
        if args.action == "resolve":
            case = admin.resolve_case(sandbox, args.case, args.status)
            print(f"{case['ticketnumber']}: resolved ({_status_label(sandbox, case)}) with CloseIncident")
        elif args.action == "cancel":
            case = admin.cancel_case(sandbox, args.case, args.status)
            print(f"{case['ticketnumber']}: cancelled ({_status_label(sandbox, case)})")
        elif args.action == "sla":
            kpi = admin.set_sla(sandbox, args.case, admin.sla_status(args.status), args.kpi)
            label = sandbox.schema["slakpiinstances"].columns["status"].options or {}
            print(f"{args.case}: SLA KPI {kpi['name']!r} is {label.get(kpi['status'])}")
        elif args.action == "survey":
            response = admin.submit_survey(sandbox, args.case, args.score, args.comment or "")
            print(f"{args.case}: survey response {response['activityid']} (score {args.score}) recorded")
    except admin.AdminError as exc:
        print(f"handoff sandbox: {exc}", file=sys.stderr)
        return 1
    finally:
        await sandbox.stop()
    print("a running `handoff serve` mirrors it to MoEngage at its next [moengage.lifecycle] poll")
    return 0


def _status_label(sandbox: Any, case: dict[str, Any]) -> str:
    options = sandbox.schema["incidents"].columns["statuscode"].options or {}
    return str(options.get(case.get("statuscode"), case.get("statuscode")))


async def cmd_status(
    settings: Settings,
    as_json: bool,
    limit: int,
    state: str | None,
    since: float | None = None,
    search: str | None = None,
) -> int:
    from handoff.spool import open_spool

    spool = open_spool(settings.spool.url)
    await spool.open()
    try:
        counts = await spool.counts()
        events = await spool.event_counts()
        rows = await spool.latest(limit, state, since=since, search=search)
        matching = await spool.count(state, since=since, search=search) if (state or since or search) else None
        parked_events = (await spool.events("parked"))[:limit]
    finally:
        await spool.close()
    if as_json:
        parked = [
            {"id": e.id, "key": e.key, "handoff_id": e.handoff_id, "last_error": e.last_error} for e in parked_events
        ]
        latest = [
            {
                "id": r.id,
                "state": r.state,
                "attempts": r.attempts,
                "message_id": r.message_id,
                "customer": (r.summary.get("customer") or {}).get("email"),
                "incident_id": r.incident_id,
                "ticketnumber": r.ticket_number,
                "skipped": {"guard": r.skipped_guard, "reason": r.skipped_reason} if r.skipped_guard else None,
                "last_error": r.last_error,
                "received_at": r.received_at,
                "received": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r.received_at)),
                "subject": r.summary.get("subject"),
                "next_attempt_at": r.next_attempt_at if r.state == "queued" and r.next_attempt_at else None,
                "lease_owner": r.lease_owner if r.state == "working" else None,
                # Who handed it over, as handoff's SMTP session saw it (None: replayed, or stored before
                # handoff kept it; `handoff show` then names the newest Received header's host).
                "peer": {"ip": r.peer.ip, "helo": r.peer.helo, "tls": r.peer.tls, "auth": r.peer.auth}
                if r.peer is not None
                else None,
            }
            for r in rows
        ]
        out = {"counts": counts, "events": events, "latest": latest, "parked_events": parked}
        if matching is not None:
            out["matching"] = matching
        print(json.dumps(out, indent=2))
        return 0
    print("handoffs: " + "  ".join(f"{k} {v}" for k, v in counts.items()))
    print("events:   " + "  ".join(f"{k} {v}" for k, v in events.items()))
    if matching is not None:
        print(f"matching: {matching} (showing the latest {min(limit, matching)})")
    head = f"{'id':>6}  {'state':8} {'tries':>5}  {'received':19}  {'customer':32} {'from':{PEER_WIDTH}}"
    print(head + " ticket / reason")
    now = time.time()
    for r in rows:
        customer = (r.summary.get("customer") or {}).get("email") or "-"
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.received_at))
        note = r.ticket_number or (f"{r.skipped_guard}: {r.skipped_reason}" if r.skipped_guard else r.last_error) or ""
        if r.state == "queued" and r.last_error:
            # A retry waiting out its backoff: when it goes next, and why the last attempt failed.
            wait = max(0.0, r.next_attempt_at - now)
            note = f"next try {'now' if wait < 1 else 'in ' + _ago(wait)}: {r.last_error}"
        elif r.state == "working" and r.lease_owner:
            note = f"held by {r.lease_owner}" + (f"; last error: {r.last_error}" if r.last_error else "")
        peer = compact_peer(r.peer)
        print(f"{r.id:>6}  {r.state:8} {r.attempts:>5}  {when}  {customer[:32]:32} {peer:{PEER_WIDTH}} {note[:100]}")
    if parked_events:
        print("parked events (handoff retry --events ID):")
        for e in parked_events:
            print(f"{e.id:>6}  handoff {e.handoff_id}  {e.key}  {(e.last_error or '')[:100]}")
    return 0


PEER_WIDTH = 26  # an IPv4 address, "TLS" and a short AUTH user; a longer user is cut with "…", never the address


def compact_peer(peer: Any) -> str:
    """Who handed a mail over, in a list's column: "192.0.2.10 TLS triage-bot" (the address, TLS when the
    session had it, the AUTH user when there was one); "-" when handoff's SMTP session did not see it
    (replayed, or stored before handoff kept it). The HELO name is left to `handoff show` and --json:
    it is long, and the client's own claim."""
    if peer is None:
        return "-"
    text = " ".join(part for part in (peer.ip or "?", "TLS" if peer.tls else "") if part)
    if peer.auth:
        room = PEER_WIDTH - len(text) - 1
        user = peer.auth if len(peer.auth) <= room else peer.auth[: max(1, room - 1)] + "…"
        text += " " + user
    return text  # an IPv6 address in full may overflow the column: better than a cut address


async def cmd_show(settings: Settings, item_id: int, as_json: bool) -> int:
    """The trail of one handoff (handoff.trail): envelope, guards, thread, triage, Dataverse, events."""
    from handoff import trail
    from handoff.spool import open_spool

    spool = open_spool(settings.spool.url)
    await spool.open()
    try:
        item = await spool.get(item_id)
        events = await spool.events() if item is not None and item.state == "created" else []
    finally:
        await spool.close()
    if item is None:
        print(f"handoff: no such handoff: {item_id}", file=sys.stderr)
        return 1
    view = trail.build(item, events)
    print(json.dumps(view, indent=2, ensure_ascii=False) if as_json else trail.format_text(view))
    return 0


def cmd_hash_password() -> int:
    """A hash for [[smtp.users]] password_hash. The password comes from the terminal (asked twice) or one
    line of stdin, never the command line, where `ps` and shell history would show it."""
    import getpass

    from handoff.smtp_auth import hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            print("handoff: the two passwords differ", file=sys.stderr)
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        print("handoff: empty password", file=sys.stderr)
        return 1
    print(hash_password(password))
    return 0


def _ago(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f}s"
    if seconds < 5400:
        return f"{seconds / 60:.0f}m"
    if seconds < 172800:
        return f"{seconds / 3600:.1f}h"
    return f"{seconds / 86400:.1f}d"


async def cmd_retry(settings: Settings, ids: list[int], events: bool = False) -> int:
    from handoff.spool import open_spool

    spool = open_spool(settings.spool.url)
    await spool.open()
    failed = 0
    try:
        for item_id in ids:
            if await (spool.event_requeue(item_id) if events else spool.requeue(item_id)):
                print(f"{item_id}: queued again (a running 'handoff serve' will take it)")
            elif not events and await spool.get(item_id) is None:
                print(f"handoff: no such handoff: {item_id}", file=sys.stderr)
                failed += 1
            else:
                what = "not a parked event" if events else "not parked or skipped"
                if not events:  # retention removed its raw mail: nothing left to hand off again
                    from handoff.spool.base import purged_note

                    item = await spool.get(item_id)
                    what = (purged_note(item) if item is not None else None) or what
                print(f"{item_id}: {what}; left alone", file=sys.stderr)
                failed += 1
    finally:
        await spool.close()
    return 1 if failed else 0


async def cmd_retry_all_parked(settings: Settings, since: float | None) -> int:
    """Every parked handoff (received since `since`) back to the queue; says how many."""
    from handoff.spool import open_spool

    spool = open_spool(settings.spool.url)
    await spool.open()
    queued = 0
    try:
        # Requeued rows leave the parked listing, so the first page is read again until it is empty; a row
        # that refuses (taken meanwhile) is stepped over by the offset.
        skipped = 0
        while True:
            page = await spool.latest(500, "parked", since=since, offset=skipped)
            if not page:
                break
            for item in page:
                if await spool.requeue(item.id):
                    queued += 1
                else:
                    skipped += 1
    finally:
        await spool.close()
    window = "" if since is None else f" received since {time.strftime('%Y-%m-%d %H:%M', time.localtime(since))}"
    print(f"{queued} parked handoff(s){window} queued again (a running 'handoff serve' will take them)")
    return 0


async def cmd_purge(settings: Settings, older_than: float, dry_run: bool) -> int:
    """Retention on demand (handoff.spool.retention): drop, or with --dry-run count, the raw mail of created
    and skipped handoffs received more than `older_than` seconds ago; says how many and how many bytes."""
    from handoff.spool import open_spool
    from handoff.spool.retention import purge

    spool = open_spool(settings.spool.url)
    await spool.open()
    try:
        done = await purge(spool, older_than, dry_run=dry_run)
    finally:
        await spool.close()
    print(done.describe())
    return 0


# -- entry point ------------------------------------------------------------------------------------
# Loggers of our libraries that write what must never reach a log at any verbosity: aiosmtpd's "mail.log"
# logs every DATA line (bodies, base64 attachments) and AUTH exchanges at DEBUG; msal's DEBUG output
# describes token requests. They are held at INFO even with -v (the SMTP commands and envelope stay).
NEVER_DEBUG = ("mail.log", "msal")
# Chatty at INFO: flufl.bounce logs every detector it tries, aiosmtpd every SMTP command (handoff.intake
# already logs one line per mail).
QUIET = ("flufl.bounce", "mail.log")


def configure_logging(verbose: bool, settings: Any = None) -> None:
    """`-v` (DEBUG) or `[log] level`, in `[log] format` (handoff.logs); called again once settings are read."""
    from handoff.logs import HANDLER, formatter

    level = logging.DEBUG if verbose else getattr(logging, settings.level if settings else "INFO")
    root = logging.getLogger()
    # Only our own handler is managed: another already on the root (a test's capture) is left as it is.
    if not root.handlers:
        root.addHandler(HANDLER)
    HANDLER.setFormatter(formatter(settings.format if settings else "text"))
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.INFO if verbose else max(logging.WARNING, level))
    for name in NEVER_DEBUG:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)


def parse_since(text: str) -> float:
    """`--since`: an age ("90s", "30m", "2h", "5d") or a local date/time ("2026-11-30", "2026-11-30T08:00")."""
    from datetime import datetime

    from handoff.settings import _seconds

    value = text.strip()
    try:
        return time.time() - float(_seconds(value))
    except (ValueError, TypeError):
        pass
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: expected an age like 2h, 30m, 5d or a date like 2026-11-30 (or 2026-11-30T08:00)"
        ) from None


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("handoff")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


STATE_CHOICES = ["queued", "working", "created", "skipped", "parked"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="handoff", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging (never bodies or secrets)")
    parser.add_argument("--version", action="version", version=f"handoff {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def verbose(p: argparse.ArgumentParser) -> None:
        # `handoff status -v` as well as `handoff -v status`; SUPPRESS keeps the top-level value when absent.
        p.add_argument(
            "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="debug logging (as handoff -v)"
        )

    def add(name: str, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.add_argument(
            "--config", metavar="FILE", help="settings TOML file (default: $HANDOFF_CONFIG, else embedded defaults)"
        )
        verbose(p)
        return p

    add("serve", "accept mail over SMTP and turn it into incidents")
    replay = add("replay", "run an mbox, Maildir, folder of .eml or one .eml through the pipeline")
    replay.add_argument("path", type=Path, help="an mbox file, a Maildir, a folder of .eml files or one .eml")
    replay.add_argument("--dry-run", action="store_true", help="no Dynamics calls, no spool writes")
    replay.add_argument("--json", action="store_true", help="one JSON object per mail")
    add("check", "validate settings, obtain a token and reach Dataverse")
    add("migrate", "apply the spool's schema migrations and print its schema version")
    status = add("status", "counts per state and the latest handoffs")
    status.add_argument("--json", action="store_true", help="machine-readable output (received time included)")
    status.add_argument("--limit", type=int, default=20, help="how many of the latest handoffs to list (20)")
    status.add_argument("--state", choices=STATE_CHOICES, help="only handoffs in this state")
    status.add_argument(
        "--since", type=parse_since, metavar="AGE|DATE", help="only handoffs received since: 2h, 30m, 5d or 2026-11-30"
    )
    status.add_argument(
        "--search", metavar="TEXT", help="only handoffs whose customer, subject, ticket or Message-ID contains TEXT"
    )
    show = add("show", "the trail of one handoff: envelope, guards, thread, triage, Dataverse requests, events")
    show.add_argument("id", type=int, help="the spool id (handoff status lists them)")
    show.add_argument("--json", action="store_true", help="the trail as JSON (the status page's shape)")
    retry = add("retry", "queue parked (or skipped) handoffs, or parked MoEngage events, again")
    retry.add_argument("ids", type=int, nargs="*", metavar="ID", help="spool ids (or event ids with --events)")
    retry.add_argument("--events", action="store_true", help="the ids are outbox (MoEngage) events")
    retry.add_argument("--all-parked", action="store_true", help="every parked handoff (with --since: received since)")
    retry.add_argument(
        "--since",
        type=parse_since,
        metavar="AGE|DATE",
        help="with --all-parked: only those received since 2h, 2026-11-30",
    )
    from handoff.spool.retention import parse_age

    purge = add("purge", "drop the raw mail of created and skipped handoffs received longer ago than an age")
    purge.add_argument("--older-than", required=True, type=parse_age, metavar="AGE", help="30d, 12h or 90m")
    purge.add_argument("--dry-run", action="store_true", help="say what would be removed, remove nothing")
    verbose(
        sub.add_parser(
            "hash-password", help="print a password hash for [[smtp.users]] (password from terminal or stdin)"
        )
    )
    box = add("sandbox", "move a case of the embedded Dataverse sandbox through its lifecycle")
    steps = box.add_subparsers(dest="action", required=True, metavar="ACTION")
    resolve = steps.add_parser("resolve", help="resolve a case (CloseIncident)")
    resolve.add_argument("case", help="ticket number (CAS-01000-ABCDEF) or incidentid")
    resolve.add_argument(
        "--status", type=int, default=5, choices=[5, 1000], help="5 Problem Solved, 1000 Information Provided"
    )
    cancel = steps.add_parser("cancel", help="cancel a case")
    cancel.add_argument("case", help="ticket number (CAS-01000-ABCDEF) or incidentid")
    cancel.add_argument("--status", type=int, default=6, choices=[6, 2000], help="6 Cancelled, 2000 Merged")
    sla = steps.add_parser("sla", help="move the case's SLA KPI (as the SLA engine would)")
    sla.add_argument("case", help="ticket number (CAS-01000-ABCDEF) or incidentid")
    sla.add_argument("status", help="in-progress, nearing, noncompliant, paused, succeeded or canceled")
    sla.add_argument("--kpi", default="Resolve by", choices=["Resolve by", "First response by"], help="which KPI")
    survey = steps.add_parser("survey", help="a Customer Voice survey response about the case from its customer")
    survey.add_argument("case", help="ticket number (CAS-01000-ABCDEF) or incidentid")
    survey.add_argument("score", type=int, help="the CSAT score")
    survey.add_argument("comment", nargs="?", default="", help="the feedback comment")
    for step in (resolve, cancel, sla, survey):  # `handoff sandbox resolve CAS-... --config F` reads naturally
        step.add_argument(
            "--config", default=argparse.SUPPRESS, metavar="FILE", help="settings TOML file, as for serve"
        )
        verbose(step)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.verbose)
    if args.command == "hash-password":  # needs no settings
        return cmd_hash_password()
    try:
        settings = load_settings(args.config)
        configure_logging(args.verbose, settings.log)
        embedded = not (args.config or _env_config())
        if embedded and args.command in ("serve", "replay"):
            # With no config at all a newcomer should see the whole flow, MoEngage included, in sandboxes.
            moengage = settings.moengage.model_copy(update={"enabled": True, "base_url": "sandbox"})
            settings = settings.model_copy(update={"moengage": moengage})
        if args.command == "serve":
            from handoff.service import run_loop

            return run_loop(lambda: cmd_serve(settings, embedded), settings.smtp.event_loop)
        if args.command == "replay":
            return asyncio.run(cmd_replay(settings, args.path, args.dry_run, args.json))
        if args.command == "migrate":
            return asyncio.run(cmd_migrate(settings))
        if args.command == "check":
            return asyncio.run(cmd_check(settings))
        if args.command == "status":
            return asyncio.run(cmd_status(settings, args.json, args.limit, args.state, args.since, args.search))
        if args.command == "show":
            return asyncio.run(cmd_show(settings, args.id, args.json))
        if args.command == "retry":
            if args.all_parked == bool(args.ids) or (args.all_parked and args.events):
                print("handoff retry: give spool ids, or --all-parked (not both; not with --events)", file=sys.stderr)
                return 2
            if args.all_parked:
                return asyncio.run(cmd_retry_all_parked(settings, args.since))
            return asyncio.run(cmd_retry(settings, args.ids, args.events))
        if args.command == "sandbox":
            return asyncio.run(cmd_sandbox(settings, args))
        if args.command == "purge":
            return asyncio.run(cmd_purge(settings, args.older_than, args.dry_run))
    except ConfigError as exc:
        print(f"handoff: {exc}", file=sys.stderr)
        return 2
    except HandoffError as exc:
        print(f"handoff: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `handoff status | head`: the reader left; say nothing more (and not at exit either).
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 2


def _env_config() -> str | None:
    import os

    return os.environ.get("HANDOFF_CONFIG")


if __name__ == "__main__":
    sys.exit(main())
