"""The trail of one handoff: why it went the way it did, for `handoff show ID` and the status page.

Recorded durably in the spool row's `summary` JSON under "trail" (no table of its own), written with
every outcome the worker records (created, skipped, parked, retry); an attempt the analysis process died
on (released) is kept in the worker's memory and written with the next outcome:

    summary["trail"] = {
        "guards": [{"guard": "loop", "verdict": "passed" | "skipped" | "not run" | "off", "reason": str | None}],
        "attempts": [  # oldest first, at most MAX_ATTEMPTS (the newest kept)
            {"n": 1, "at": epoch, "owner": "host:2525", "outcome": "created" | "retry" | "parked" | "skipped"
             | "released", "error": str | None, "seconds": float,
             "dataverse": [  # at most MAX_REQUESTS per attempt
                 {"method": "POST", "route": "$batch", "status": 200, "code": None, "ms": 41.2,
                  "error": None}]}],
    }

Dataverse requests are collected without passing anything down: the worker wraps one handoff's
processing in `recording()`, a contextvar the Dataverse client's `request()` appends to
(`record_request`). A route keeps the entity set and function names only: key segments (`(<guid>)`,
`(emailaddress1='…')`) and the query string are dropped, so no customer address or record id of the
mail's content is stored. No request or answer body is ever recorded.

`build(item, events)` returns the JSON-able view of one handoff (handoff show --json; the status page
renders the same dict at /handoff/<id>):

    {
      "id": int, "state": str, "message_id": str | None, "subject": str | None,
      "envelope": {"mail_from": str, "rcpt_tos": [str], "peer": str | None,
                   "peer_from": "session" | "Received header" | None,
                   "session": {"ip": str | None, "helo": str | None, "tls": str | None, "auth": str | None} | None,
                   "received_at": epoch, "received": "YYYY-MM-DDTHH:MM:SSZ", "size": int | None,
                   "removed": "raw mail removed by retention on YYYY-MM-DD" | None},
      "outcome": {"state": str, "ticket_number": str | None, "incident_id": str | None,
                  "already_existed": bool | None, "guard": str | None, "reason": str | None,
                  "attempts": int, "next_attempt_at": epoch | None, "lease_owner": str | None},
      "guards": [...as above...],
      "customer": {"email", "name", "found_by"} | None,
      "thread": [{"n": 1, "from_email", "from_name", "sent_at", "subject", "source", "internal": bool,
                  "is_customer": bool, "first_words": str, "length": int}],
      "triage": {"category": str, "category_id": str, "confidence": float, "method": str,
                 "matched": [str], "alternatives": [{"label", "category_id", "score", "matched"}],
                 "sentiment": {"label", "score", "confidence", "language", "method"} | None,
                 "priority": {"prioritycode", "reason"} | None} | None,
      "incident": {"incidentid", "title", "prioritycode", "truncated", "notes", "not_attached",
                   "timeline_emails"} | None,
      "attempts": [...as above...],
      "events": [{"id", "kind", "key", "state", "attempts", "last_error", "sent_at"}],
    }

`peer` is who handed the mail over, in one line: as handoff's SMTP session saw it (`session`: the connecting
address, the HELO name, the TLS version, the AUTH user; `peer_from` "session"), or, for a row stored before
the spool kept that (or replayed from a file), as the newest Received header names the sending host
(`peer_from` "Received header": what the mail says, not what handoff saw); `size` is the raw mail's size when
the row still holds it.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import time
from collections.abc import Iterator, Sequence
from typing import Any

from handoff.spool.base import purged_note

MAX_ATTEMPTS = 20
MAX_REQUESTS = 40
FIRST_WORDS = 12
FIRST_CHARS = 100


# `incidents(3f2c…)`, `contacts(emailaddress1='a@b')`, `incidents(…)/Microsoft.Dynamics.CRM.X`: the key
# goes, the names stay.
_KEY = re.compile(r"\([^)]*\)")


def route(path: str) -> str:
    """A request path without its query and record keys: what may be stored about it."""
    return _KEY.sub("(…)", path.split("?", 1)[0])


class Recording:
    """What one handoff's attempt collects while the worker processes it."""

    def __init__(self) -> None:
        self.started = time.time()
        self.requests: list[dict[str, Any]] = []


_current: contextvars.ContextVar[Recording | None] = contextvars.ContextVar("handoff_trail", default=None)


@contextlib.contextmanager
def recording() -> Iterator[Recording]:
    """Collect the Dataverse requests made in this context (one attempt at one handoff)."""
    rec = Recording()
    token = _current.set(rec)
    try:
        yield rec
    finally:
        _current.reset(token)


def current() -> Recording | None:
    return _current.get()


def record_request(
    method: str, path: str, status: int | None, code: str | None, seconds: float, error: str | None = None
) -> None:
    """Called by the Dataverse client for every HTTP exchange; does nothing outside `recording()`."""
    rec = _current.get()
    if rec is None or len(rec.requests) >= MAX_REQUESTS:
        return
    rec.requests.append(
        {
            "method": method,
            "route": route(path),
            "status": status,
            "code": code,
            "ms": round(seconds * 1000, 1),
            # Our own classification ("timed out", "connection error: …"), never a body.
            "error": error[:200] if error else None,
        }
    )


def clock() -> float:
    return time.monotonic()


_STATUS = re.compile(r"^(\d{3})\b")


def record_exchange(
    method: str, path: str, started: float, *, status: int | None = None, error: BaseException | None = None
) -> None:
    """One HTTP exchange with Dataverse, from the client: its answer's status, or the classified error.

    A refused answer keeps its status and Dataverse's error code, not its message (which may quote the
    values sent); only our own wording of a failure without an answer ("timed out", "connection error:
    ClientOSError") is kept as the error."""
    if _current.get() is None:
        return
    code = None
    text = None
    if error is not None:
        status = getattr(error, "status", None)
        code = getattr(error, "code", None)
        if status is None:
            match = _STATUS.match(str(error))  # TransientError("503 …"), "429 throttled …"
            status = int(match.group(1)) if match else None
        if status is None and type(error).__name__ == "_Unauthorized":
            status = 401
        if status is None:
            text = str(error) or type(error).__name__
    record_request(method, path, status, code, time.monotonic() - started, text)


def guard_verdicts(
    enabled: Sequence[str] | None, skipped: dict[str, Any] | None, brake: str | None
) -> list[dict[str, Any]]:
    """Each guard in its order: passed, skipped (the one that decided, with its reason), not run (after
    it), or off (`enabled` is [guards] enabled: None for all); `brake` is the reply-storm brake's verdict
    ("passed", "skipped", "off", "overridden", "not run")."""
    from handoff.guards import ORDER

    enabled = ORDER if enabled is None else enabled

    hit = (skipped or {}).get("guard")
    braked = hit == "loop" and brake == "skipped"
    verdicts: list[dict[str, Any]] = []
    decided = False
    for name in ORDER:
        if name not in enabled:
            verdicts.append({"guard": name, "verdict": "off", "reason": "not in [guards] enabled"})
            continue
        if decided:
            verdicts.append({"guard": name, "verdict": "not run", "reason": "an earlier guard decided"})
        elif name == hit and not braked:
            verdicts.append({"guard": name, "verdict": "skipped", "reason": (skipped or {}).get("reason")})
            decided = True
        else:
            verdicts.append({"guard": name, "verdict": "passed", "reason": None})
    if brake is not None:
        reason = {
            "skipped": (skipped or {}).get("reason") if braked else None,
            "off": "the loop guard is off",
            "overridden": "an operator's retry of a mail the brake skipped",
            "not run": "an earlier guard decided" if decided else "nothing to create",
        }.get(brake)
        verdicts.append({"guard": "reply-storm brake", "verdict": brake, "reason": reason})
    return verdicts


def attempt(n: int, owner: str, outcome: str, error: str | None) -> dict[str, Any]:
    """This attempt's entry, with the requests recorded so far in this context."""
    rec = _current.get()
    started = rec.started if rec is not None else time.time()
    requests = rec.requests if rec is not None else []
    return {
        "n": n,
        "at": round(started, 3),
        "owner": owner,
        "outcome": outcome,
        "error": error[:500] if error else None,
        "seconds": round(time.time() - started, 3),
        "dataverse": list(requests[:MAX_REQUESTS]),
    }


def merged(
    previous: dict[str, Any] | None, guards: list[dict[str, Any]] | None, attempts: list[dict[str, Any]]
) -> dict[str, Any]:
    """The trail to store: the row's earlier attempts (an operator's retry keeps them), then these."""
    old = previous if isinstance(previous, dict) else {}
    seen = {(a.get("n"), a.get("at")) for a in old.get("attempts") or []}
    kept = list(old.get("attempts") or []) + [a for a in attempts if (a.get("n"), a.get("at")) not in seen]
    return {"guards": guards if guards is not None else old.get("guards") or [], "attempts": kept[-MAX_ATTEMPTS:]}


def _first_words(text: str) -> str:
    words = (text or "").split()
    head = " ".join(words[:FIRST_WORDS])
    if len(head) > FIRST_CHARS:
        head = head[:FIRST_CHARS].rstrip()
    return head + ("…" if len(words) > FIRST_WORDS or len(head) < len(" ".join(words)) else "")


def _iso(epoch: float | None) -> str | None:
    if not epoch:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _peer(raw: bytes) -> str | None:
    """The sending host as the newest Received header names it ("from mx.example (… [192.0.2.1])")."""
    if not raw:
        return None
    head = raw[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    match = re.search(rb"(?im)^Received:[ \t]*from[ \t]+([^\r\n;]{1,200})", head)
    if not match:
        return None
    return match.group(1).decode("utf-8", "replace").split(" by ", 1)[0].strip()[:200] or None


def _peer_fields(item: Any) -> dict[str, Any]:
    """The envelope's peer, session and peer_from (module docstring)."""
    seen = getattr(item, "peer", None)
    if seen is not None:
        session = {"ip": seen.ip, "helo": seen.helo, "tls": seen.tls, "auth": seen.auth}
        return {"peer": seen.describe(), "peer_from": "session", "session": session}
    named = _peer(item.raw)
    return {"peer": named, "peer_from": "Received header" if named else None, "session": None}


def build(item: Any, events: Sequence[Any] = ()) -> dict[str, Any]:
    """The trail of one SpoolItem (and its outbox events) as a JSON-able dict (shape: module docstring)."""
    summary: dict[str, Any] = item.summary if isinstance(item.summary, dict) else {}
    stored = summary.get("trail") if isinstance(summary.get("trail"), dict) else {}
    customer = summary.get("customer") if isinstance(summary.get("customer"), dict) else None
    customer_email = (customer or {}).get("email", "").lower()
    thread = []
    for n, m in enumerate(summary.get("messages") or [], start=1):
        body = m.get("body") or ""
        sender = (m.get("from_email") or "").lower()
        thread.append(
            {
                "n": n,
                "from_email": m.get("from_email"),
                "from_name": m.get("from_name"),
                "sent_at": m.get("sent_at"),
                "subject": m.get("subject"),
                "source": m.get("source"),
                "internal": bool(m.get("internal")),
                "is_customer": bool(customer_email) and sender == customer_email and not m.get("internal"),
                # After retention the text is gone (spool.base.forget_text); its length is kept.
                "first_words": "(text removed by retention)" if "body_chars" in m else _first_words(body),
                "length": int(m.get("body_chars", len(body))),
            }
        )
    classification = summary.get("classification")
    triage = None
    if isinstance(classification, dict):
        triage = {
            "category": classification.get("label"),
            "category_id": classification.get("category_id"),
            "confidence": classification.get("confidence"),
            "method": classification.get("method"),
            "matched": list(classification.get("matched") or []),
            "alternatives": list(classification.get("alternatives") or []),
            "sentiment": summary.get("sentiment"),
            "priority": summary.get("priority"),
        }
    incident = summary.get("incident")
    if isinstance(incident, dict):
        keep = ("incidentid", "title", "prioritycode", "truncated", "notes", "not_attached", "timeline_emails")
        incident = {k: incident.get(k) for k in keep if k in incident}
    reason = None
    if item.state == "skipped":
        reason = item.skipped_reason
    elif item.state in ("parked", "queued", "working"):
        reason = item.last_error or summary.get("park_reason")
    return {
        "id": item.id,
        "state": item.state,
        "message_id": item.message_id or summary.get("message_id"),
        "subject": summary.get("subject"),
        "envelope": {
            "mail_from": item.mail_from,
            "rcpt_tos": list(item.rcpt_tos),
            **_peer_fields(item),
            "received_at": item.received_at,
            "received": _iso(item.received_at),
            "size": len(item.raw) if item.raw else None,
            "removed": purged_note(item),  # the raw mail's retention, dated; None while it is kept
        },
        "outcome": {
            "state": item.state,
            "ticket_number": item.ticket_number,
            "incident_id": item.incident_id,
            "already_existed": summary.get("already_existed"),
            "guard": item.skipped_guard,
            "reason": reason,
            "attempts": item.attempts,
            "next_attempt_at": item.next_attempt_at if item.state == "queued" and item.next_attempt_at else None,
            "lease_owner": item.lease_owner if item.state == "working" else None,
        },
        "guards": list(stored.get("guards") or []),
        "customer": customer,
        "thread": thread,
        "triage": triage,
        "incident": incident,
        "attempts": list(stored.get("attempts") or []),
        "events": [
            {
                "id": e.id,
                "kind": e.kind,
                "key": e.key,
                "state": e.state,
                "attempts": e.attempts,
                "last_error": e.last_error,
                "sent_at": e.sent_at,
            }
            for e in events
            if e.handoff_id == item.id
        ],
    }


def format_text(view: dict[str, Any]) -> str:
    """`handoff show ID` without --json: the same facts, one block each."""
    out: list[str] = []
    o = view["outcome"]
    env = view["envelope"]
    head = f"handoff {view['id']}: {view['state']}"
    if o.get("ticket_number"):
        head += f" {o['ticket_number']}" + (" (already existed)" if o.get("already_existed") else "")
    elif o.get("reason"):
        head += f" ({o['guard'] + ': ' if o.get('guard') else ''}{o['reason']})"
    out.append(head)
    out.append(f"  message-id {view.get('message_id') or '-'}; subject {view.get('subject')!r}")
    out.append("envelope:")
    out.append(f"  mail from <{env['mail_from']}> to {', '.join(env['rcpt_tos']) or '-'}")
    size = f"{env['size']} bytes" if env.get("size") is not None else env.get("removed") or "raw mail removed"
    out.append(f"  received {env.get('received')}, {size}")
    source = " (the newest Received header)" if env.get("peer_from") == "Received header" else ""
    out.append(f"  from {env.get('peer') or 'not recorded'}{source}")
    if view["guards"]:
        out.append("guards:")
        for g in view["guards"]:
            out.append(f"  {g['guard']:18} {g['verdict']}" + (f": {g['reason']}" if g.get("reason") else ""))
    if view["thread"]:
        customer = view.get("customer") or {}
        out.append(
            f"thread ({len(view['thread'])} messages; customer {customer.get('email', '-')} "
            f"found by {customer.get('found_by', '-')}):"
        )
        for m in view["thread"]:
            who = "customer" if m["is_customer"] else ("team" if m["internal"] else "other")
            out.append(
                f"  {m['n']}. {m.get('sent_at') or 'date unknown'} {m.get('from_email') or '-'} [{who}, "
                f"{m.get('source')}] {m['length']} chars: {m['first_words']}"
            )
    t = view.get("triage")
    if t:
        out.append("triage:")
        matched = ", ".join(t["matched"]) or "nothing matched"
        out.append(f"  category {t['category']} ({t['category_id']}) {t['confidence']} by {t['method']}: {matched}")
        for alt in t["alternatives"][:3]:
            out.append(f"    also {alt.get('label')} {alt.get('score')}: {', '.join(alt.get('matched') or []) or '-'}")
        s = t.get("sentiment") or {}
        if s:
            out.append(
                f"  sentiment {s.get('label')} {s.get('score')} ({s.get('confidence')} confidence, "
                f"{s.get('language') or 'language unknown'}, {s.get('method')})"
            )
        p = t.get("priority") or {}
        if p:
            out.append(f"  priority {p.get('prioritycode')}" + (f": {p['reason']}" if p.get("reason") else ""))
    if view["attempts"]:
        out.append("attempts:")
        for a in view["attempts"]:
            out.append(
                f"  {a['n']}. {_iso(a['at'])} {a['outcome']} in {a['seconds']} s by {a.get('owner') or '-'}"
                + (f": {a['error']}" if a.get("error") else "")
            )
            for r in a.get("dataverse") or []:
                code = f" {r['code']}" if r.get("code") else ""
                error = f" ({r['error']})" if r.get("error") else ""
                out.append(f"       {r['method']} {r['route']} -> {r['status'] or '-'}{code} {r['ms']} ms{error}")
    elif o.get("attempts"):
        out.append(f"attempts: {o['attempts']} (no trail recorded)")
    if o.get("next_attempt_at"):
        out.append(f"next attempt at {_iso(o['next_attempt_at'])}")
    if view["events"]:
        out.append("MoEngage events:")
        for e in view["events"]:
            out.append(
                f"  {e['id']} {e['kind']} {e['state']} after {e['attempts']} attempt(s)"
                + (f": {e['last_error']}" if e.get("last_error") else "")
            )
    return "\n".join(out)
