"""From raw bytes to what would be sent: parse, split, find the customer, guard, triage, render.

Pure: no network, no database. The worker runs it in a thread and does the I/O around it; the replay
CLI's --dry-run prints its result. Built once at start-up with the settings sections each step needs.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from handoff.dynamics.incidents import NAMESPACE
from handoff.guards import build_guards, run_guards
from handoff.model import Handoff, IncidentDraft
from handoff.parse.customer import Internal, customer_not_found_reason, find_customer
from handoff.parse.mime import parse_mail
from handoff.parse.thread import split_thread
from handoff.render import Renderer
from handoff.settings import Settings
from handoff.triage.classify import Classifier
from handoff.triage.priority import decide_priority
from handoff.triage.sentiment import SentimentScorer

log = logging.getLogger("handoff.pipeline")

# Headers that relays add or rewrite on the way; the same mail delivered twice differs only in these,
# so they are left out of the digest that keys the incident.
TRACE_HEADERS = frozenset(
    {
        b"received",
        b"return-path",
        b"delivered-to",
        b"x-original-to",
        b"received-spf",
        b"authentication-results",
        b"arc-seal",
        b"arc-message-signature",
        b"arc-authentication-results",
        b"x-received",
    }
)


def stable_digest(raw: bytes) -> str:
    """sha256 of the mail without its trace headers and with LF line ends.

    SMTP carries CRLF while mbox and Maildir files keep LF, and clients differ in the final newline they
    add before the closing dot, so a replay of the same mail must hash alike.
    """
    raw = raw.replace(b"\r\n", b"\n").rstrip(b"\n")
    head, sep, body = raw.partition(b"\n\n")
    kept: list[bytes] = []
    skipping = False
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t"):  # a folded continuation belongs to the previous header
            if not skipping:
                kept.append(line)
            continue
        skipping = line.split(b":", 1)[0].strip().lower() in TRACE_HEADERS
        if not skipping:
            kept.append(line)
    return hashlib.sha256(b"".join(kept) + sep + body).hexdigest()


def incident_id_for(message_id: str | None, raw: bytes) -> str:
    return str(uuid.uuid5(NAMESPACE, f"incident:{message_id or ''}:{stable_digest(raw)}"))


@dataclass(frozen=True)
class Analysis:
    handoff: Handoff
    draft: IncidentDraft | None
    park_reason: str | None = None


class Pipeline:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        own = [r.lstrip("@") for r in settings.smtp.recipients]
        self.internal = Internal(settings.triage.internal_domains, extra_addresses=own)
        self.guards = build_guards(settings.guards, own_domains=[o.rpartition("@")[2] for o in own])
        self.classifier = Classifier(settings.triage)
        self.scorer = SentimentScorer(settings.triage)
        self.renderer = Renderer(settings.render.templates_dir, settings.render.description_limit)

    def analyse(self, raw: bytes, mail_from: str | None = None, rcpt_tos: list[str] | None = None) -> Analysis:
        """`mail_from` is the SMTP envelope sender: "" is the null sender of bounces, None means unknown."""
        mail = parse_mail(raw, envelope_from=mail_from, envelope_to=rcpt_tos or ())
        messages = split_thread(mail)
        messages, customer = find_customer(mail, messages, self.internal)
        handoff = Handoff(
            message_id=mail.message_id,
            subject=mail.subject,
            messages=tuple(messages),
            customer=customer,
            attachments=mail.attachments,
        )
        hit = run_guards(self.guards, mail, messages, customer)
        if hit is not None:
            return Analysis(handoff.model_copy(update={"skipped": hit}), None)
        if customer is None:
            why = customer_not_found_reason(mail, messages, self.internal)
            return Analysis(handoff, None, park_reason=why or "no customer: no message is from outside the team")
        classification = self.classifier.classify(messages, customer)
        sentiment = self.scorer.score(messages, customer)
        priority = decide_priority(
            self.settings.triage.priority_rules,
            self.settings.dynamics.default_priority,
            classification,
            sentiment,
            messages,
            customer,
            categories=self.classifier.taxonomy,
        )
        handoff = handoff.model_copy(
            update={"classification": classification, "sentiment": sentiment, "priority": priority}
        )
        return Analysis(handoff, self.draft(handoff, raw))

    def draft(self, handoff: Handoff, raw: bytes) -> IncidentDraft:
        assert handoff.customer is not None and handoff.classification is not None
        dyn = self.settings.dynamics
        who = handoff.customer.name or handoff.customer.email
        transcript = self.renderer.transcript(handoff)
        description, truncated = self.renderer.fit(transcript)
        body: dict[str, Any] = {
            "title": f"{handoff.classification.label} - {who}"[:200],
            "description": description,
            "caseorigincode": 2,  # Email
            "prioritycode": handoff.priority.prioritycode if handoff.priority else dyn.default_priority,
        }
        if dyn.default_owner_id:
            collection = "systemusers" if dyn.default_owner_type == "systemuser" else "teams"
            body["ownerid@odata.bind"] = f"/{collection}({dyn.default_owner_id})"
        body.update(dyn.ticket_properties)
        return IncidentDraft(
            incident_id=incident_id_for(handoff.message_id, raw),
            body=body,
            contact_email=handoff.customer.email,
            contact_name=handoff.customer.name,
            transcript=transcript,
            truncated=truncated,
        )


def summary(analysis: Analysis) -> dict[str, Any]:
    """The JSON an operator sees for one handoff (replay --json, status, the spool's summary column)."""
    h = analysis.handoff
    return {
        "message_id": h.message_id,
        "subject": h.subject,
        "customer": h.customer.model_dump(mode="json") if h.customer else None,
        "messages": [
            m.model_dump(mode="json", include={"from_email", "from_name", "sent_at", "subject", "body", "signature"})
            | {"internal": m.internal, "source": m.source}
            for m in h.messages
        ],
        "classification": h.classification.model_dump(mode="json") if h.classification else None,
        "sentiment": h.sentiment.model_dump(mode="json") if h.sentiment else None,
        "priority": h.priority.model_dump(mode="json") if h.priority else None,
        "skipped": h.skipped.model_dump(mode="json") if h.skipped else None,
        "park_reason": analysis.park_reason,
        "incident": (
            {"incidentid": analysis.draft.incident_id, **analysis.draft.body, "truncated": analysis.draft.truncated}
            if analysis.draft
            else None
        ),
    }
