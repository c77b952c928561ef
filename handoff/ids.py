"""Deterministic ids and digests: pure, no I/O, shared by the pipeline, Dynamics and the spool.

Every record handoff creates in Dataverse has a primary key derived from what it is, so a retry, a second
delivery or a replay of the same mail names the same records and Dataverse refuses the repeat (412)
instead of creating it twice.
"""

from __future__ import annotations

import hashlib
import uuid

# Our own namespace for uuid5 keys, so handoff's ids never collide with another integration's.
NAMESPACE = uuid.UUID("7d1c1f4e-4a57-4a1e-9a55-68616e646f66")


def normalise(email: str) -> str:
    return email.strip().lower()


def contact_id_for(email: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "contact:" + normalise(email)))


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


def incident_id_for(message_id: str | None, raw: bytes, digest: str | None = None) -> str:
    return str(uuid.uuid5(NAMESPACE, f"incident:{message_id or ''}:{digest or stable_digest(raw)}"))


def record_id_for(incident_id: str, kind: str, key: str) -> str:
    """Deterministic ids for a case's notes and emails: a repeated change set fails on them (412)
    instead of adding them twice. Keyed by what the record is, not by its position in a request."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{incident_id}:{key}"))
