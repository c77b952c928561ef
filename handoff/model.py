"""The typed objects that flow through the pipeline.

Each step takes frozen models and returns new ones (see docs/style.md section 2); the raw bytes stay in
the spool and are never copied into these objects beyond what a step needs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class Attachment(Frozen):
    """A file the customer sent. `inline` parts (signature logos, embedded images) are not attachments."""

    filename: str
    content_type: str
    size: int
    content: bytes = Field(repr=False)
    inline: bool = False


class HeaderLookup:
    """Header access for anything holding `headers` as (lower-cased name, value) pairs."""

    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key == name:
                return value
        return None

    def header_all(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key == name]


class ParsedMail(HeaderLookup, Frozen):
    """The outer mail as handoff received it, decoded once by mail-parser."""

    message_id: str | None
    subject: str
    from_name: str | None
    from_email: str | None
    reply_to: str | None = None
    to: tuple[str, ...] = ()
    date: datetime | None = None
    # Header names lower-cased; every occurrence kept because Received/Auto-Submitted may repeat.
    headers: tuple[tuple[str, str], ...] = ()
    content_type: str = "text/plain"
    text: str = ""
    html: str = ""
    attachments: tuple[Attachment, ...] = ()
    # Envelope facts from the spool, so guards and the customer finder can use them.
    envelope_from: str | None = None
    envelope_to: tuple[str, ...] = ()
    defects: tuple[str, ...] = ()
    # message/rfc822 parts (forward as attachment), parsed the same way, in MIME order, to any depth.
    # Their bodies are not in `text`/`html`, so nothing is counted twice; their files are in `attachments`.
    embedded: tuple[ParsedMail, ...] = ()
    # Failing recipients flufl.bounce found in this mail (permanent and temporary); non-empty = a bounce.
    bounced_recipients: tuple[str, ...] = ()


class ThreadMessage(Frozen):
    """One message of the forwarded conversation, oldest first in a thread."""

    from_name: str | None = None
    from_email: str | None = None
    sent_at: datetime | None = None
    subject: str | None = None
    body: str = ""
    signature: str | None = None
    # How this message was found: "outer", "gmail-forward", "rfc822", "outlook-original", "reply-quote" ...
    source: str = "outer"
    # Headers of this message when it came from a message/rfc822 part (guards judge the inner mail).
    headers: tuple[tuple[str, str], ...] = ()
    internal: bool = False
    # Recipients as the header block showed them ("Name <a@b>" or "a@b"); lets the customer finder
    # resolve a sender Outlook printed by name only.
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()


class Customer(Frozen):
    email: str
    name: str | None = None
    # How the customer was found, for operators: "earliest-external-message", "reply-to", "from", ...
    found_by: str


class GuardHit(Frozen):
    guard: str
    reason: str


class Alternative(Frozen):
    label: str
    category_id: str
    score: float
    matched: tuple[str, ...] = ()


class Classification(Frozen):
    label: str
    category_id: str
    confidence: float
    alternatives: tuple[Alternative, ...] = ()
    matched: tuple[str, ...] = ()
    method: str = "keywords"


class Sentiment(Frozen):
    label: Literal["very negative", "negative", "neutral", "positive", "very positive"]
    score: float
    confidence: Literal["high", "low"] = "high"
    language: str | None = None
    method: str = "vader"


class PriorityDecision(Frozen):
    prioritycode: int
    reason: str | None = None


class Handoff(Frozen):
    """Everything handoff understood about one accepted mail, before anything is sent out."""

    spool_id: int | None = None
    message_id: str | None
    subject: str
    messages: tuple[ThreadMessage, ...] = ()
    customer: Customer | None = None
    skipped: GuardHit | None = None
    classification: Classification | None = None
    sentiment: Sentiment | None = None
    priority: PriorityDecision | None = None
    attachments: tuple[Attachment, ...] = ()


class NoteDraft(Frozen):
    """A file for the case's notes (annotation): a customer attachment or the full transcript."""

    annotation_id: str  # deterministic, so a repeated change set cannot add the note twice
    subject: str
    filename: str
    mimetype: str
    content: bytes = Field(repr=False)
    notetext: str | None = None


class TimelineEmail(Frozen):
    """One customer message of the thread, as a received email on the case's timeline."""

    activity_id: str  # deterministic, like the incident's
    subject: str
    body: str = Field(repr=False)
    sent_at: datetime | None = None
    from_email: str


class IncidentDraft(Frozen):
    """The Dataverse body handoff would send, plus what is needed to send it exactly once."""

    incident_id: str
    body: dict[str, Any]
    contact_email: str
    contact_name: str | None
    transcript: str
    truncated: bool = False
    # Sent in the same change set as the incident; the bytes travel here from the pipeline thread to the
    # worker (never logged: `content` and `body` are left out of repr). The spool keeps the raw mail.
    notes: tuple[NoteDraft, ...] = ()
    emails: tuple[TimelineEmail, ...] = ()
    # Customer files that were not attached, one line each with the reason (also in the transcript).
    not_attached: tuple[str, ...] = ()
