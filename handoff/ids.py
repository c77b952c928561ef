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
    if len(raw) > _PIECE:
        digest = _stable_digest_in_pieces(raw)
        if digest is not None:
            return digest
    # split + join is replace(b"\r\n", b"\n") exactly, in a third of its time on a CRLF mail (a replacement
    # every 80 bytes); the body is hashed where it lies, not copied twice more. SMTP intake digests every
    # mail on its event loop (handoff.spool.leased.identify).
    text = b"\n".join(raw.split(b"\r\n")).rstrip(b"\n")
    cut = text.find(b"\n\n")
    if cut < 0:
        return hashlib.sha256(_kept_headers(text)).hexdigest()
    sha = hashlib.sha256(_kept_headers(text[:cut]))
    sha.update(memoryview(text)[cut:])
    return sha.hexdigest()


def _kept_headers(head: bytes) -> bytes:
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
    return b"".join(kept)


# Big mails are normalised and hashed a piece at a time: one replace() over 20 MB held the GIL for 0.2 s
# (the SMTP loop waited on the spool's digest thread), and the copies of the whole mail took 80 MB.
_PIECE = 1 << 20


def _stable_digest_in_pieces(raw: bytes) -> str | None:
    """The same digest as the whole-mail code above, or None when the header block is not found early
    (the caller then does it whole). Pieces never end on a CR, so no CRLF is split between two; LFs at the
    end of a piece are held back until content follows them (the whole-mail code strips trailing LFs)."""
    sha = hashlib.sha256()
    head = bytearray()  # the normalised text before the first blank line, while it is being looked for
    in_body = False
    held = 0
    start = 0
    while start < len(raw):
        end = min(start + _PIECE, len(raw))
        while end < len(raw) and raw[end - 1] == 13:  # b"\r": keep a CRLF within one piece
            end += 1
        piece = raw[start:end].replace(b"\r\n", b"\n")
        start = end
        content = piece.rstrip(b"\n")
        if not content:
            held += len(piece)
            continue
        text = b"\n" * held + content
        held = len(piece) - len(content)
        if in_body:
            sha.update(text)
            continue
        head += text
        found = head.find(b"\n\n")
        if found >= 0:
            in_body = True
            sha.update(_kept_headers(bytes(head[:found])) + b"\n\n")
            sha.update(head[found + 2 :])
            head = bytearray()
        elif len(head) > _PIECE:
            return None
    return sha.hexdigest() if in_body else None


def incident_id_for(message_id: str | None, raw: bytes, digest: str | None = None) -> str:
    return str(uuid.uuid5(NAMESPACE, f"incident:{message_id or ''}:{digest or stable_digest(raw)}"))


def record_id_for(incident_id: str, kind: str, key: str) -> str:
    """Deterministic ids for a case's notes and emails: a repeated change set fails on them (412)
    instead of adding them twice. Keyed by what the record is, not by its position in a request."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{incident_id}:{key}"))


# How long a mail without a Message-ID is recognised by its content alone. Without the header nothing
# but the bytes tells a resend from a new mail that happens to read the same; an MTA retries for at most
# a few days (Postfix: maximal_queue_lifetime 5d), which covers a second MX route and a resend.
UNIDENTIFIED_WINDOW = 5 * 86400.0


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID header's value as the parser stores it (stripped, folding undone), read from the
    header block alone; None without one. Decoded leniently: it is an identity, not text to show."""
    # The header block ends at the first blank line, CRLF or LF. The CRLF one is looked for first: an SMTP
    # mail has it near the start, and the LF one, absent from such a mail, is then only looked for before it
    # (unbounded, that search read the whole mail).
    end_crlf = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n", 0, len(raw) if end_crlf < 0 else end_crlf)
    cut = min(e for e in (end, end_crlf, len(raw)) if e >= 0)
    found: list[bytes] | None = None
    for line in raw[:cut].splitlines():
        if line[:1] in (b" ", b"\t"):
            if found is not None:
                found.append(line)
            continue
        if found is not None:
            break
        name, colon, value = line.partition(b":")
        if colon and name.strip().lower() == b"message-id":
            found = [value]
    if found is None:
        return None
    text = b" ".join(part.strip() for part in found).decode("utf-8", "replace").strip()
    return text or None


def arrival_key(raw: bytes, digest: str | None = None) -> tuple[str, str | None]:
    """(the key one mail is stored under once, its Message-ID). The same Message-ID AND the same content
    below the trace headers (`stable_digest`, which also keys the incident) is the same mail, however it
    came (two recipients, two MX routes, a resend, a replay); a new mail that reuses a Message-ID has other
    content and a key of its own. Keys of mails without a Message-ID start with "d:" and are only
    honoured within UNIDENTIFIED_WINDOW."""
    digest = digest or stable_digest(raw)
    message_id = message_id_of(raw)
    if message_id is None:
        return f"d:{digest}", None
    named = hashlib.sha256(message_id.encode("utf-8", "surrogateescape")).hexdigest()
    return f"m:{digest}:{named[:32]}", message_id
