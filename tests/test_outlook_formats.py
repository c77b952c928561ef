"""Outlook's own formats: winmail.dat (TNEF), attached .msg files and cid: images, as a support rep would see them.

The fixtures (tests/fixtures/mail/outlook_*; where each came from: outlook_README.md there) are also golden mails
of test_parse_goldens (the thread, the customer); here: the files of each handoff, and what a broken or crafted
winmail.dat or .msg does (it stays a plain file of the handoff, with a defect, in bounded time).
"""

from __future__ import annotations

import email
import hashlib
import random
import struct
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest

from handoff.attachments import plan_attachments
from handoff.model import ParsedMail
from handoff.parse.mime import parse_mail
from handoff.parse.outlook import OLE_MAGIC, TNEF_SIGNATURE, OutlookFormatError, read_msg, read_tnef
from handoff.parse.thread import split_thread
from handoff.pipeline import Pipeline
from handoff.settings import DynamicsSettings, Settings, TriageSettings
from tests.test_hostile_input import run_bounded

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
MB = 1_000_000
LIMIT = 10.0  # seconds per hostile case in its child; each takes milliseconds (bench/outlook_hostile.py)

# (file name, type, size, inline, first 16 hex of its SHA-256): what each fixture's handoff carries.
FILES: dict[str, list[tuple[str, str, int, bool, str]]] = {
    "outlook_tnef_html_thread": [
        ("spaconsole2.cfg", "application/octet-stream", 8387, False, "4d9639506fa4bf42"),
        ("image001.png", "image/png", 3815, True, "037f9d1fa06bccd3"),
        ("image002.png", "image/png", 3573, True, "ea179fb97a7e850e"),
        ("image003.png", "image/png", 3792, True, "20c51557b9c7ec0a"),
    ],
    "outlook_tnef_rtf_direct": [
        ("TBZ PARIV GmbH.jpg", "image/jpeg", 44764, False, "67597116a0dbb64f"),
        ("image003.jpg", "image/jpeg", 1001, True, "49b597682736b44a"),  # shown in the RTF body by cid:
        ("UmlautAnhang-äüö.txt", "text/plain", 14, False, "9b34b140af86a7de"),
    ],
    "outlook_msg_attached": [
        ("logo001.png", "image/png", 66, True, "62d7693d527ce6e5"),
        ("parcel.jpg", "image/jpeg", 22, False, "d20f6ffd523b78a8"),
        ("invoice-4471.pdf", "application/pdf", 30, False, "6e1df9561ce2ecbc"),
    ],
    "outlook_msg_nested": [],
    "outlook_cid_images": [
        ("image001.png", "image/png", 66, True, "62d7693d527ce6e5"),  # cid:-referenced, sent as "attachment"
        ("screenshot.png", "image/png", 66, False, "62d7693d527ce6e5"),  # a Content-ID nothing refers to
    ],
}


def fixture(name: str) -> bytes:
    return (FIXTURES / f"{name}.eml").read_bytes()


def part_bytes(name: str, filename: str) -> bytes:
    """The bytes of the named file part of a fixture, as the sender attached them."""
    for part in email.message_from_bytes(fixture(name)).walk():
        if part.get_filename() == filename:
            data = part.get_payload(decode=True)
            assert isinstance(data, bytes)
            return data
    raise AssertionError(f"{filename} not in {name}")


def limits() -> tuple[int, frozenset[str]]:
    dyn = DynamicsSettings()
    return dyn.max_attachment_size, frozenset(dyn.blocked_extensions)


@pytest.mark.parametrize("name", list(FILES))
def test_the_files_of_each_handoff(name: str) -> None:
    mail = parse_mail(fixture(name))
    found = [
        (a.filename, a.content_type, a.size, a.inline, hashlib.sha256(a.content).hexdigest()[:16])
        for a in mail.attachments
    ]
    assert found == FILES[name]
    assert mail.defects == ()
    # The incident's notes: every file but the pictures of the body, and never the winmail.dat or .msg itself.
    plan = plan_attachments(mail.attachments, *limits())
    assert [a.filename for a in plan.attached] == [f[0] for f in FILES[name] if not f[3]]
    assert plan.refused == ()


def _image_part(cid: str | None, disposition: str | None, ctype: str = "image/png") -> EmailMessage:
    part = EmailMessage()
    maintype, _, subtype = ctype.partition("/")
    part.set_content(b"\x89PNG\r\n\x1a\n", maintype=maintype, subtype=subtype, filename="picture.png")
    if disposition is None:
        del part["Content-Disposition"]
        part.set_param("name", "picture.png")  # the name where Outlook puts it when there is no disposition
    else:
        part.replace_header("Content-Disposition", f'{disposition}; filename="picture.png"')
    if cid:
        part["Content-ID"] = f"<{cid}>"
    return part


@pytest.mark.parametrize(
    ("cid", "disposition", "html", "ctype", "inline"),
    [
        ("pic@x", "attachment", '<img src="cid:pic@x">', "image/png", True),  # Outlook's way: referenced
        ("pic@x", None, '<img src="cid:PIC%40x">', "image/png", True),  # cid: URLs are %-escaped, case-blind
        ("pic@x", None, "<p>no picture</p>", "image/png", False),  # a Content-ID nothing refers to: a file
        ("pic@x", "attachment", "<p>no picture</p>", "image/png", False),
        (None, "inline", "<p>no picture</p>", "image/png", True),  # shown inline by its disposition
        ("pic@x", "attachment", '<img src="cid:pic@x">', "application/pdf", False),  # only images are pictures
    ],
)
def test_which_images_are_part_of_the_body(
    cid: str | None, disposition: str | None, html: str, ctype: str, inline: bool
) -> None:
    msg = EmailMessage()
    msg["From"] = "Grace Hall <grace.hall@example.com>"
    msg["To"] = "cases@handoff.localhost"
    msg["Subject"] = "Picture"
    msg.set_content("See the picture.\n")
    msg.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
    msg.make_mixed()
    msg.attach(_image_part(cid, disposition, ctype))
    mail = parse_mail(msg.as_bytes())
    assert [(a.filename, a.inline) for a in mail.attachments] == [("picture.png", inline)]
    plan = plan_attachments(mail.attachments, *limits())
    assert [a.filename for a in plan.attached] == ([] if inline else ["picture.png"])


def test_tnef_files_are_the_bytes_inside() -> None:
    mail = parse_mail(fixture("outlook_tnef_rtf_direct"))
    text = next(a for a in mail.attachments if a.filename.endswith(".txt"))
    assert text.content == "TEST äöü +-*/~".encode("cp1252")
    assert [a.filename for a in mail.attachments if a.filename == "winmail.dat"] == []


def test_tnef_rtf_body_is_the_body_when_the_mail_has_no_text() -> None:
    mail = parse_mail(fixture("outlook_tnef_rtf_direct"))
    assert mail.text.strip() == "TEST äöü +-*/~"  # the picture's cid: line is not text


def test_tnef_body_is_ignored_when_the_mail_has_its_own_text() -> None:
    msg = EmailMessage()
    msg["From"] = "Kunde <kunde@tbz-pariv.example>"
    msg["To"] = "cases@handoff.localhost"
    msg["Subject"] = "Umlaut test"
    msg.set_content("The plain text Outlook sent beside winmail.dat.\n")
    tnef = part_bytes("outlook_tnef_rtf_direct", "winmail.dat")
    msg.add_attachment(tnef, maintype="application", subtype="ms-tnef", filename="winmail.dat")
    mail = parse_mail(msg.as_bytes())
    assert mail.text.strip() == "The plain text Outlook sent beside winmail.dat."
    assert [a.filename for a in mail.attachments if not a.inline] == ["TBZ PARIV GmbH.jpg", "UmlautAnhang-äüö.txt"]


def test_tnef_html_body_carries_the_outlook_thread() -> None:
    mail = parse_mail(fixture("outlook_tnef_html_thread"))
    inner = mail.embedded[0]
    assert "Proszę o aktualizacje tych paneli" in inner.text + inner.html
    sources = [(m.from_email, m.source) for m in split_thread(mail)]
    assert sources == [
        ("serwis@thulium.pl", "header-block"),
        ("m.jablonkowski@promedica24.pl", "rfc822"),
        ("agent.smith@acme-support.com", "outer"),
    ]


def test_attached_msg_is_a_forwarded_message() -> None:
    mail = parse_mail(fixture("outlook_msg_attached"))
    (inner,) = mail.embedded
    assert (inner.from_name, inner.from_email) == ("Priya Raman", "priya.raman@example.org")
    assert inner.date is not None and inner.date.isoformat() == "2026-11-18T08:41:05+00:00"
    assert inner.subject == "Broken glasses in order 4471"
    assert inner.to == ("orders@acme-support.com",)
    assert "lid crushed" in inner.text and "<img" in inner.html
    assert [a.filename for a in inner.attachments] == ["logo001.png", "parcel.jpg", "invoice-4471.pdf"]
    # Guards judge the inner mail by its headers: a .msg without Internet headers gets them from its properties.
    assert inner.header("from") == "Priya Raman <priya.raman@example.org>"


def test_msg_inside_msg_is_read_to_any_depth() -> None:
    mail = parse_mail(fixture("outlook_msg_nested"))  # application/octet-stream, named outer.msg
    (outer,) = mail.embedded
    (inner,) = outer.embedded
    assert (outer.subject, outer.text.strip(), outer.to) == ("outer subject", "Outer body", ("outer@foo.bar",))
    assert (inner.subject, inner.text.strip(), inner.to) == ("test", "body", ("test@foobar.com",))
    assert inner.date is not None and outer.date is not None and inner.date < outer.date


def _with_file(data: bytes, filename: str, ctype: str = "application/octet-stream") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Jane Customer <jane@customer.example>"
    msg["To"] = "cases@handoff.localhost"
    msg["Subject"] = "My order is late"
    msg["Message-ID"] = "<outlook-hostile@customer.example>"
    msg.set_content("My order 1234 is late, the file is attached.\n")
    maintype, _, subtype = ctype.partition("/")
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def test_an_outlook_item_that_is_not_a_mail_stays_a_file() -> None:
    item = part_bytes("outlook_msg_attached", "Broken glasses in order 4471.msg")
    task = item.replace("IPM.Note".encode("utf-16-le"), "IPM.Task".encode("utf-16-le"))
    assert task != item
    mail = parse_mail(_with_file(task, "Call back.msg", "application/vnd.ms-outlook"))
    assert mail.embedded == ()
    assert [(a.filename, a.content) for a in mail.attachments] == [("Call back.msg", task)]
    assert mail.defects == ()


def test_a_text_file_named_msg_is_a_file() -> None:
    data = b'msgid "Hello"\nmsgstr "Hallo"\n'
    mail = parse_mail(_with_file(data, "de.msg", "text/plain"))
    assert mail.embedded == ()
    assert [(a.filename, a.content) for a in mail.attachments] == [("de.msg", data)]
    assert mail.defects == ()


# -- hostile input ---------------------------------------------------------------------------------------------


def _tnef_attr(level: int, name: int, kind: int, data: bytes) -> bytes:
    """One TNEF attribute ([MS-OXTNEF] 2.1.3.1): level, id, type, length, data, checksum."""
    return struct.pack("<BHHI", level, name, kind, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def _tnef(*attrs: bytes) -> bytes:
    return TNEF_SIGNATURE + b"\x01\x00" + b"".join(attrs)


def _mutated(data: bytes, seed: int) -> bytes:
    rnd = random.Random(seed)
    out = bytearray(data)
    for _ in range(rnd.choice((1, 4, 16, 64))):
        out[rnd.randrange(len(out))] = rnd.randrange(256)
    return bytes(out[: rnd.randrange(len(out))] if rnd.random() < 0.2 else out)


# Each about 1 MB, built to make a reader loop on the counts it finds or read past the end.
HOSTILE_TNEF: dict[str, Callable[[], bytes]] = {
    "garbage": lambda: TNEF_SIGNATURE + random.Random(1).randbytes(MB),
    "4-billion-properties": lambda: _tnef(_tnef_attr(1, 0x9003, 6, b"\xff\xff\xff\xff" + bytes(MB))),
    "4-billion-values": lambda: _tnef(_tnef_attr(1, 0x9003, 6, struct.pack("<IHHI", 1, 0x1002, 0x3001, 2**32 - 1))),
    "4-billion-recipients": lambda: _tnef(_tnef_attr(1, 0x9004, 6, b"\xff\xff\xff\xff" + bytes(MB))),
    "125k-empty-properties": lambda: _tnef(_tnef_attr(1, 0x9003, 6, struct.pack("<I", MB // 8) + bytes(MB))),
    "90k-attributes": lambda: _tnef(*[_tnef_attr(1, 0x8004, 1, b"")] * (MB // 11)),
    "truncated": lambda: part_bytes("outlook_tnef_rtf_direct", "winmail.dat")[:30_000],
}
HOSTILE_MSG: dict[str, Callable[[], bytes]] = {
    "garbage": lambda: OLE_MAGIC + random.Random(2).randbytes(MB),
    "zeros": lambda: OLE_MAGIC + bytes(MB),
    "truncated": lambda: part_bytes("outlook_msg_nested", "outer.msg")[:20_000],
    "not-ole": lambda: random.Random(3).randbytes(MB),
}


def _kept_job(pipeline: Pipeline, data: Callable[[], bytes], filename: str, ctype: str) -> Callable[[], str]:
    def work() -> str:
        raw = data()
        mail = parse_mail(_with_file(raw, filename, ctype))
        kept = [a for a in mail.attachments if a.filename == filename and a.content == raw]
        defects = [d for d in mail.defects if d.startswith(("winmail.dat kept as a file", "attached .msg kept"))]
        analysis = pipeline.analyse(_with_file(raw, filename, ctype), "jane@customer.example")
        notes = [n.filename for n in analysis.draft.notes] if analysis.draft else None
        return f"kept={len(kept)} defects={len(defects)} embedded={len(mail.embedded)} notes={notes}"

    return work


@pytest.fixture(scope="module")
def hostile_results() -> dict[str, tuple[str, str]]:
    # Built once, before the children fork; keyword triage (embeddings take seconds to load and are not what is tested).
    pipeline = Pipeline(Settings(triage=TriageSettings(use_embeddings=False)))
    pipeline.analyse(fixture("outlook_msg_attached"), "agent.smith@acme-support.com")  # and warmed up
    tnef, msg = ("winmail.dat", "application/ms-tnef"), ("Order 1234.msg", "application/vnd.ms-outlook")
    jobs = {f"tnef:{k}": _kept_job(pipeline, v, *tnef) for k, v in HOSTILE_TNEF.items()}
    jobs |= {f"msg:{k}": _kept_job(pipeline, v, *msg) for k, v in HOSTILE_MSG.items()}
    return run_bounded(jobs, LIMIT)


@pytest.mark.parametrize("case", [f"tnef:{k}" for k in HOSTILE_TNEF] + [f"msg:{k}" for k in HOSTILE_MSG])
def test_broken_outlook_file_stays_a_file_of_the_handoff(
    hostile_results: dict[str, tuple[str, str]], case: str
) -> None:
    status, value = hostile_results[case]
    assert status == "ok", value
    filename = "winmail.dat" if case.startswith("tnef:") else "Order 1234.msg"
    # Still a handoff (an incident draft) with the file as one of its notes, and the reason among the defects.
    assert value == f"kept=1 defects=1 embedded=0 notes=['{filename}']"


def test_unreadable_reasons_name_no_content() -> None:
    secret = b"card 4111 1111 1111 1111"
    with pytest.raises(OutlookFormatError) as tnef_error:
        read_tnef(_tnef(_tnef_attr(1, 0x9003, 6, b"\xff\xff\xff\xff" + secret)))
    with pytest.raises(OutlookFormatError) as msg_error:
        read_msg(OLE_MAGIC + secret * 100)
    for error in (tnef_error, msg_error):
        assert "4111" not in str(error.value)


def _fuzz_job(sample: Callable[[], bytes], filename: str, ctype: str) -> Callable[[], str]:
    def work() -> str:
        data = sample()
        outcomes: set[str] = set()
        for seed in range(60):
            mail: ParsedMail = parse_mail(_with_file(_mutated(data, seed), filename, ctype))
            # Either read (its files or its message) or kept whole as the file it is.
            kept = any(a.filename == filename for a in mail.attachments)
            outcomes.add("kept" if kept and not mail.embedded else "read")
        return ",".join(sorted(outcomes))

    return work


def test_mutated_outlook_files_never_crash_and_finish() -> None:
    jobs = {
        "tnef": _fuzz_job(
            lambda: part_bytes("outlook_tnef_rtf_direct", "winmail.dat"), "winmail.dat", "application/ms-tnef"
        ),
        "msg": _fuzz_job(
            lambda: part_bytes("outlook_msg_nested", "outer.msg"), "outer.msg", "application/vnd.ms-outlook"
        ),
    }
    results = run_bounded(jobs, 60.0)
    for key, (status, value) in results.items():
        assert status == "ok", (key, value)
        assert value == "kept,read", (key, value)  # some mutations are still readable, some are not


def test_cid_patterns_finish_on_hostile_text() -> None:
    """The two patterns added with these formats, on the inputs of tests/test_hostile_input.py's kind."""
    from handoff.parse import mime, outlook

    texts: dict[str, Callable[[], str]] = {
        "cid-run": lambda: "cid:" * (MB // 4),
        "cid-lines": lambda: "cid:x\n" * (MB // 6),
        "blank-lines": lambda: " \n" * (MB // 2),
        "spaces-then-cid": lambda: " " * MB + "[cid:",
        "brackets": lambda: "[cid:[" * (MB // 6),
    }
    jobs: dict[str, Callable[[], str]] = {}
    for name, text in texts.items():
        jobs[f"ref:{name}"] = lambda text=text: str(len(mime._referenced_cids([text()])))
        jobs[f"line:{name}"] = lambda text=text: str(len(outlook._CID_LINE.sub("", text())))
    for key, (status, value) in run_bounded(jobs, LIMIT).items():
        assert status == "ok", (key, value)


class _FakeOle:
    """The two calls _MsgReader makes of olefile, over a dict of stream paths: a .msg built in the test."""

    def __init__(self, streams: dict[tuple[str, ...], bytes]) -> None:
        self.streams = streams
        self.storage_paths = {path[:n] for path in streams for n in range(1, len(path))}

    def listdir(self, streams: bool, storages: bool) -> list[list[str]]:
        return [list(p) for p in (self.streams if streams else self.storage_paths)]

    def openstream(self, path: list[str]):  # type: ignore[no-untyped-def]
        import io

        return io.BytesIO(self.streams[tuple(p.lower() for p in path)])


def _nested_msg(levels: int) -> dict[tuple[str, ...], bytes]:
    """A .msg whose every level holds the next as an attached message (attach method 5), `levels` deep."""
    streams: dict[tuple[str, ...], bytes] = {}
    path: tuple[str, ...] = ()
    for level in range(levels):
        header = 32 if level == 0 else 24
        streams[(*path, "__properties_version1.0")] = bytes(header)
        streams[(*path, "__substg1.0_0037001f")] = f"level {level + 1}".encode("utf-16-le")
        streams[(*path, "__substg1.0_5d01001f")] = f"agent{level + 1}@corp.example".encode("utf-16-le")
        streams[(*path, "__substg1.0_1000001f")] = f"text of level {level + 1}".encode("utf-16-le")
        if level + 1 < levels:
            attach = (*path, "__attach_version1.0_#00000000")
            method = struct.pack("<IIQ", (0x3705 << 16) | 0x0003, 0, 5)  # PR_ATTACH_METHOD = ATTACH_EMBEDDED_MSG
            streams[(*attach, "__properties_version1.0")] = bytes(8) + method
            path = (*attach, "__substg1.0_3701000d")
    return streams


def _levels(content) -> list[str]:  # type: ignore[no-untyped-def]
    found = []
    while content is not None:
        found.append(content.subject)
        content = content.embedded[0] if content.embedded else None
    return found


def test_an_eleven_level_msg_forward_keeps_every_level() -> None:
    from handoff.parse import outlook

    reader = outlook._MsgReader(_FakeOle(_nested_msg(11)), budget=1 << 20)  # type: ignore[arg-type]
    content = reader.message([], 32, 0)
    assert _levels(content) == [f"level {n}" for n in range(1, 12)]
    assert content.sender_email == "agent1@corp.example"


def test_a_msg_nested_deeper_than_the_limit_keeps_the_levels_above() -> None:
    from handoff.parse import outlook

    reader = outlook._MsgReader(_FakeOle(_nested_msg(20)), budget=1 << 20)  # type: ignore[arg-type]
    content = reader.message([], 32, 0)
    assert _levels(content) == [f"level {n}" for n in range(1, outlook.MAX_DEPTH + 2)]
