"""From raw bytes to what would be sent: parse, split, find the customer, guard, triage, render.

Pure: no network, no database. The worker runs it in a thread and does the I/O around it; the replay
CLI's --dry-run prints its result. Built once at start-up with the settings sections each step needs.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

from handoff.attachments import AttachmentLimits, encoded_size, file_limit, human_size, note_filename, plan_attachments
from handoff.guards import build_guards, run_guards, storm_key
from handoff.ids import incident_id_for, record_id_for, stable_digest
from handoff.model import Customer, Handoff, IncidentDraft, NoteDraft, ThreadMessage, TimelineEmail
from handoff.parse import subjects
from handoff.parse.customer import Internal, customer_not_found_reason, find_customer
from handoff.parse.mime import first_address, parse_mail
from handoff.parse.thread import split_thread
from handoff.render import TRANSCRIPT_FILENAME, Renderer
from handoff.settings import Settings
from handoff.triage.classify import Classifier
from handoff.triage.priority import decide_priority
from handoff.triage.sentiment import SentimentScorer

log = logging.getLogger("handoff.pipeline")

# The steps Pipeline.stages yields, in order ("triage" and "render" only for a mail with a customer, unguarded).
STAGES = ("parse", "split", "customer", "guards", "triage", "render")

TRANSCRIPT_CUT = "\n[… cut at the organisation's attachment size limit]"


def transcript_note(incident_id: str, transcript: str, max_encoded: int) -> NoteDraft:
    content = transcript.encode("utf-8")
    if encoded_size(len(content)) > max_encoded:
        # A thread this long is rare; a cut file still beats a change set Dataverse refuses whole.
        room = file_limit(max_encoded) - len(TRANSCRIPT_CUT.encode("utf-8"))
        content = content[:room].decode("utf-8", "ignore").encode("utf-8") + TRANSCRIPT_CUT.encode("utf-8")
    return NoteDraft(
        annotation_id=record_id_for(incident_id, "note", "transcript"),
        subject="Full transcript",
        filename=TRANSCRIPT_FILENAME,
        mimetype="text/plain",
        content=content,
        notetext="The whole conversation; the case description holds only its start.",
    )


def authored_by(message: ThreadMessage, customer: Customer) -> bool:
    """Whether the customer wrote this message. A web form's mail comes From a no-reply address with
    the customer in Reply-To: it counts by its Reply-To (the outer mail's, or an attached mail's)."""
    if message.internal:
        return False
    addresses = {(message.from_email or "").lower()}
    if message.source == "rfc822":
        addresses |= {(first_address(v)[1] or "").lower() for k, v in message.headers if k == "reply-to"}
    elif message.source == "outer" and "reply-to" in customer.found_by:
        addresses.add(customer.email.lower())
    return customer.email.lower() in addresses


def timeline_emails(incident_id: str, handoff: Handoff) -> tuple[TimelineEmail, ...]:
    assert handoff.customer is not None
    # The outer subject is the agent's forward; a customer message without its own subject gets it bare.
    fallback = subjects.strip_forward(handoff.subject) or "(no subject)"
    return tuple(
        TimelineEmail(
            activity_id=record_id_for(incident_id, "email", str(n)),
            subject=(m.subject or fallback)[:400],
            body=m.body,
            sent_at=m.sent_at,
            from_email=handoff.customer.email,
        )
        for n, m in enumerate(handoff.messages)
        if authored_by(m, handoff.customer)
    )


@dataclass(frozen=True)
class Analysis:
    handoff: Handoff
    draft: IncidentDraft | None
    park_reason: str | None = None
    # The mail's stable digest (the same mail retried, delivered twice or replayed has the same one) and
    # the reply-storm brake's key; the worker asks the spool how many distinct mails share the key.
    digest: str = ""
    storm_key: str = ""


class Pipeline:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        own = [r.lstrip("@") for r in settings.smtp.recipients]
        self.internal = Internal(settings.triage.internal_domains, extra_addresses=own)
        self.guards = build_guards(settings.guards, own_domains=[o.rpartition("@")[2] for o in own])
        self.classifier = Classifier(settings.triage)
        self.scorer = SentimentScorer(settings.triage)
        self.renderer = Renderer(settings.render.templates_dir, settings.render.description_limit)
        # Replaced at start-up by the stricter of these and the organisation's own (Parts.read_org_limits).
        self.attachment_limits = AttachmentLimits.configured(settings.dynamics)

    def analyse(self, raw: bytes, mail_from: str | None = None, rcpt_tos: list[str] | None = None) -> Analysis:
        """`mail_from` is the SMTP envelope sender: "" is the null sender of bounces, None means unknown."""
        steps = self.stages(raw, mail_from, rcpt_tos)
        while True:
            try:
                next(steps)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

    def stages(
        self, raw: bytes, mail_from: str | None = None, rcpt_tos: list[str] | None = None
    ) -> Generator[str, None, Analysis]:
        """`analyse` step by step: yields the name of each step (STAGES) just before it runs and returns the
        Analysis. `analyse` is this run to the end, so bench/pipeline_speed.py --breakdown and
        bench/pipeline_instructions.py --stages, which time or count between the yields, measure exactly what
        `analyse` does. A mail stopped by a guard or without a customer ends after "guards"."""
        yield "parse"
        mail = parse_mail(raw, envelope_from=mail_from, envelope_to=rcpt_tos or ())
        digest = stable_digest(raw)
        yield "split"
        messages = split_thread(mail)
        yield "customer"
        messages, customer = find_customer(mail, messages, self.internal)
        yield "guards"
        handoff = Handoff(
            message_id=mail.message_id,
            subject=mail.subject,
            messages=tuple(messages),
            customer=customer,
            attachments=mail.attachments,
        )
        key = storm_key(mail, customer)
        hit = run_guards(self.guards, mail, messages, customer)
        if hit is not None:
            return Analysis(handoff.model_copy(update={"skipped": hit}), None, digest=digest, storm_key=key)
        if customer is None:
            why = customer_not_found_reason(mail, messages, self.internal)
            why = why or "no customer: no message is from outside the team"
            return Analysis(handoff, None, park_reason=why, digest=digest, storm_key=key)
        yield "triage"
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
        yield "render"
        handoff = handoff.model_copy(
            update={"classification": classification, "sentiment": sentiment, "priority": priority}
        )
        return Analysis(handoff, self.draft(handoff, raw, digest), digest=digest, storm_key=key)

    def draft(self, handoff: Handoff, raw: bytes, digest: str | None = None) -> IncidentDraft:
        assert handoff.customer is not None and handoff.classification is not None
        dyn = self.settings.dynamics
        who = handoff.customer.name or handoff.customer.email
        incident_id = incident_id_for(handoff.message_id, raw, digest)
        limits = self.attachment_limits
        files = plan_attachments(handoff.attachments, limits.max_encoded, limits.blocked)
        transcript = self.renderer.transcript(
            handoff, [f"{a.filename} ({human_size(a.size)})" for a in files.attached], files.refused
        )
        description, truncated = self.renderer.fit(transcript)
        notes = [transcript_note(incident_id, transcript, limits.max_encoded)] if truncated else []
        attached = {id(a) for a in files.attached}  # by identity, once: 10k tiny files cost 8.6 s as a scan each
        for n, attachment in enumerate(handoff.attachments):
            if id(attachment) in attached:
                name = note_filename(attachment.filename)
                notes.append(
                    NoteDraft(
                        annotation_id=record_id_for(incident_id, "note", f"{n}:{name}"),
                        subject=f"Customer attachment: {name}"[:500],
                        filename=name,
                        mimetype=attachment.content_type[:256] or "application/octet-stream",
                        content=attachment.content,
                    )
                )
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
            incident_id=incident_id,
            body=body,
            contact_email=handoff.customer.email,
            contact_name=handoff.customer.name,
            transcript=transcript,
            truncated=truncated,
            notes=tuple(notes),
            emails=timeline_emails(incident_id, handoff) if dyn.timeline_emails else (),
            not_attached=files.refused,
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
            {
                "incidentid": analysis.draft.incident_id,
                **analysis.draft.body,
                "truncated": analysis.draft.truncated,
                # Names only: attachment bytes never go into the spool's summary or the logs.
                "notes": [n.filename for n in analysis.draft.notes],
                "not_attached": list(analysis.draft.not_attached),
                "timeline_emails": len(analysis.draft.emails),
            }
            if analysis.draft
            else None
        ),
    }
