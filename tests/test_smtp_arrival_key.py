"""The arrival key intake computes for every mail on its event loop (handoff.ids.arrival_key: the stable
digest, which also keys the incident, and the Message-ID) is the one of before, byte for byte: a changed
digest would store a redelivered mail twice and make Dataverse a second incident."""

from __future__ import annotations

import hashlib
import random

from handoff import ids


def digest_as_before(raw: bytes) -> str:
    text = raw.replace(b"\r\n", b"\n").rstrip(b"\n")
    head, sep, body = text.partition(b"\n\n")
    return hashlib.sha256(ids._kept_headers(head) + sep + body).hexdigest()


def header_end_as_before(raw: bytes) -> int:
    """Where message_id_of found the end of the header block before: the first blank line, LF or CRLF."""
    end = raw.find(b"\n\n")
    end_crlf = raw.find(b"\r\n\r\n")
    return min(e for e in (end, end_crlf, len(raw)) if e >= 0)


def test_digest_and_message_id_are_those_of_before_on_random_mails() -> None:
    rng = random.Random(16)
    parts = [b"\r", b"\n", b"\r\n", b"x", b"Received: relay", b"Message-ID: <a@b>", b"message-id:", b" ", b"\t"]
    parts += [b":", b"\n\n", b"\r\n\r\n", b"\r\n\n", b"\n\r\n", b"To: y", b"\xff"]
    with_id = 0
    for _ in range(20000):
        raw = b"".join(rng.choice(parts) for _ in range(rng.randint(0, 40)))
        assert ids.stable_digest(raw) == digest_as_before(raw), raw
        # The header block as found before holds no blank line, so it is read whole: the same lines.
        assert ids.message_id_of(raw) == ids.message_id_of(raw[: header_end_as_before(raw)]), raw
        with_id += ids.message_id_of(raw) is not None
    assert with_id > 1000


def test_an_smtp_mail_and_its_mbox_copy_keep_their_key() -> None:
    body = b"".join(b"%dXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\r\n" % n for n in range(100))
    mail = b"From: <customer@example.com>\r\nMessage-Id: <2601.0008.0ba8@vm>\r\n\r\n" + body
    key, message_id = ids.arrival_key(mail)
    assert message_id == "<2601.0008.0ba8@vm>"
    assert key == f"m:{digest_as_before(mail)}:{hashlib.sha256(message_id.encode()).hexdigest()[:32]}"
    assert ids.arrival_key(mail.replace(b"\r\n", b"\n")) == (key, message_id)  # a replay from an mbox
