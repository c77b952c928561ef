"""A big mail's way through the worker without copies of its files (issue 16 goal 4): the files come back
from the analysis process beside its answer, travel to Dynamics as their own bytes with their base64 made
as the `$batch` is written, and the worker's in-hand budget counts what a handoff holds from its claim."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from handoff.analyser import ProcessAnalyser
from handoff.dynamics import batch
from handoff.dynamics.batch import Base64, Body, Operation, encode_body, encode_sets
from handoff.pipeline import Pipeline
from handoff.spool.sqlite import SqliteSpool
from handoff.worker import COST_PER_RAW_BYTE, InHand, _Remembered, analysis_bytes
from tests.conftest import settings_for
from tests.test_dynamics_delivery import MAIL_FROM, RCPT, Make, deliver, mail, of_incident

MB = 1024 * 1024


# ------------------------------------------------------------------------------------ the $batch body


def numbered_uuids(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same boundaries in two encodings of one request, so their bytes can be compared."""
    counter = itertools.count()
    monkeypatch.setattr(batch.uuid, "uuid4", lambda: uuid.UUID(int=next(counter)))


@pytest.mark.parametrize("size", [0, 1, 2, 3, 98_303, 98_304, 98_305, 600_001])
def test_a_file_in_pieces_is_the_request_its_base64_string_makes(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    data = os.urandom(size)

    def sets(document: object) -> list[list[Operation]]:
        note = {"annotationid": "a1", "documentbody": document, "filename": "scan é.pdf", "isdocument": True}
        return [
            [Operation("POST", "incidents", {"title": "Broken"}, {"Prefer": "return=representation"})],
            [Operation("POST", "annotations", note), Operation("PATCH", "emails(1)", {"statecode": 1})],
        ]

    numbered_uuids(monkeypatch)
    _, whole = encode_sets("https://org.example/api/data/v9.2/", sets(base64.b64encode(data).decode()))
    numbered_uuids(monkeypatch)
    _, body = encode_body("https://org.example/api/data/v9.2/", sets(Base64(data)))
    assert body.has_files
    assert len(body) == len(whole)  # the Content-Length, known before any base64 is made
    assert b"".join(body.chunks()) == whole == bytes(body)
    assert len(Base64(data)) == len(base64.b64encode(data))


def test_a_body_without_files_is_one_piece_of_json() -> None:
    _, body = encode_body("https://org.example/", [[Operation("POST", "incidents", {"title": "x"})]])
    assert not body.has_files
    part = bytes(body).split(b"type=entry\r\n\r\n")[1].split(b"\r\n")[0]
    assert json.loads(part) == {"title": "x"}


async def test_the_streamed_body_is_the_same_bytes_on_every_attempt() -> None:
    """aiohttp writes a payload once per attempt: a retry must send the whole body again."""

    class Writer:
        def __init__(self) -> None:
            self.written: list[bytes] = []

        async def write(self, chunk: bytes) -> None:
            self.written.append(bytes(chunk))

    data = os.urandom(MB + 7)
    body = Body([b"head ", Base64(data), b" tail"])
    expected = b"head " + base64.b64encode(data) + b" tail"
    for _ in range(2):
        writer = Writer()
        payload = body.payload("multipart/mixed")
        assert payload.size == len(expected)
        await payload.write(writer)
        assert b"".join(writer.written) == expected
        assert max(len(c) for c in writer.written) <= 128 * 1024  # never the whole base64 at once


async def test_a_15_mb_file_arrives_byte_for_byte_as_its_note_even_after_a_retry(make: Make, sandbox: Any) -> None:
    limit = 24 * MB  # base64 of 15 MB, with room: the organisation's MaxUploadFileSize and ours
    # A long timeout: only the refusal below may make it send again, however busy the machine is.
    parts = await make(max_attachment_size=limit, max_request_bytes=32 * MB, timeout_seconds=300)
    sandbox.attachment_limit = limit
    photo = b"\xff\xd8\xff\xe0" + os.urandom(15 * MB)
    raw = mail("big-15@example.com", files=(("photo.jpg", "image/jpeg", photo), ("a.txt", "text/plain", b"hi\n")))
    sandbox.fail("POST $batch", 503, times=1)  # the first attempt is refused: the body goes again, whole
    delivered, routes = await deliver(parts, sandbox, raw)
    assert routes.count("POST $batch") == 2
    notes = {n["filename"]: n for n in of_incident(sandbox, "annotations", delivered.incident_id, "_objectid_value")}
    assert base64.b64decode(notes["photo.jpg"]["documentbody"], validate=True) == photo
    assert base64.b64decode(notes["a.txt"]["documentbody"], validate=True) == b"hi\n"


# ------------------------------------------------------------------------------------ the analysis process


async def test_files_come_back_from_the_analysis_process_once_and_intact(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    files = (("one.pdf", "application/pdf", os.urandom(3 * MB)), ("two.bin", "application/octet-stream", b"x" * 9))
    raw = mail("files-back@example.com", sender="Kim Lee <kim@example.com>", files=files)
    analyser = ProcessAnalyser(settings)
    try:
        await analyser.start()
        analysis = await analyser.analyse(raw, MAIL_FROM, RCPT)
        again = await analyser.analyse(raw, MAIL_FROM, RCPT)  # the child serves the next mail as before
    finally:
        analyser.close()
    assert [a.content for a in analysis.handoff.attachments] == [data for _, _, data in files]
    assert analysis.draft is not None
    notes = {n.filename: n for n in analysis.draft.notes}
    # The note carries the attachment's own bytes object, as in the child: one copy of the file, not two.
    [big] = [a for a in analysis.handoff.attachments if a.filename == "one.pdf"]
    assert notes["one.pdf"].content is big.content
    assert again.draft is not None and again.draft.incident_id == analysis.draft.incident_id
    local = await asyncio.to_thread(Pipeline(settings).analyse, raw, MAIL_FROM, RCPT)
    assert local.draft is not None and local.draft.incident_id == analysis.draft.incident_id
    assert analysis_bytes(analysis) >= 3 * MB + 9
    assert analysis_bytes(analysis) < 3 * MB + 9 + len(analysis.draft.transcript) + 8192  # shared bytes once


# ------------------------------------------------------------------------------------ the in-hand budget


async def test_a_claim_waits_while_a_claimed_big_mail_waits_for_room(spool: SqliteSpool) -> None:
    """Claimed mails are in memory: only one may wait for room at a time, so no claim is made meanwhile."""
    size = 1000
    for n in range(3):
        await spool.enqueue(f"Message-ID: <m{n}@x>\r\n\r\n".encode().ljust(size, b"."), "a@x.example", RCPT)
    in_hand = InHand(limit=COST_PER_RAW_BYTE * size + 1)  # room for one such mail, not two
    claims: list[int] = []

    async def take() -> Any:
        item = await spool.claim(60)
        if item is not None:
            claims.append(item.id)
        return item

    first = await in_hand.claim(take)
    assert first is not None
    admitted: list[int] = []
    done = asyncio.Event()

    async def handoff(item: Any, until: asyncio.Event) -> None:
        async with in_hand.hold(len(item.raw), item.id):
            admitted.append(item.id)
            await until.wait()

    one = asyncio.create_task(handoff(first, done))
    second = await in_hand.claim(take)  # claimed: it will wait for room...
    assert second is not None
    two = asyncio.create_task(handoff(second, asyncio.Event()))
    three = asyncio.create_task(in_hand.claim(take))  # ...and while it does, no third claim is made
    for _ in range(20):
        await asyncio.sleep(0)
    assert admitted == [first.id] and claims == [first.id, second.id] and not three.done()
    assert in_hand.used == COST_PER_RAW_BYTE * len(first.raw)
    done.set()  # the first is delivered: the second goes in, and then the third is claimed
    third = await three
    assert third is not None and claims == [first.id, second.id, third.id] and admitted == [first.id, second.id]
    for task in (one, two):
        task.cancel()
    await asyncio.gather(one, two, return_exceptions=True)
    async with in_hand.hold(len(third.raw), third.id):  # a mail over the whole budget still goes, alone
        assert in_hand.used == COST_PER_RAW_BYTE * len(third.raw)
    assert in_hand.used == 0
    # Every turn was passed on: a claim goes on at once (and finds nothing left), no lock is left held.
    assert await asyncio.wait_for(in_hand.claim(take), 10) is None


async def test_mails_that_fit_together_are_in_hand_together(spool: SqliteSpool) -> None:
    in_hand = InHand(limit=2 * COST_PER_RAW_BYTE * 1000)
    async with in_hand.hold(1000), in_hand.hold(1000):
        assert in_hand.used == in_hand.limit
    assert in_hand.used == 0


def test_remembered_analyses_are_bounded_by_what_they_hold(tmp_path: Path) -> None:
    pipeline = Pipeline(settings_for(tmp_path))
    analyses = [
        pipeline.analyse(
            mail(
                f"r{n}@example.com",
                sender=f"C {n} <c{n}@example.com>",
                files=(("f.pdf", "application/pdf", os.urandom(MB)),),
            ),
            MAIL_FROM,
            RCPT,
        )
        for n in range(3)
    ]
    one = analysis_bytes(analyses[0])
    assert MB < one < MB + 64 * 1024  # its file, once, and a little text
    remembered = _Remembered(max_bytes=2 * one + 1)
    for n, analysis in enumerate(analyses):
        remembered.put(n, analysis)
    assert len(remembered) == 2 and remembered.pop(0) is None  # the oldest went first
    assert remembered.pop(2) is analyses[2]
