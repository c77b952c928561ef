"""The defects parse_mail reports are mail-parser's: its own parse, run over real and mutated mails, says the same.

parse_mail runs only the checks of `mailparser.MailParser` that report defects (handoff/parse/mime.py,
`_mailparser_defects`), not its whole parse. These tests hold that to mail-parser itself: the fixture mails
and deterministic mutants of them (cut short, lines dropped, bytes flipped, hostile header values added,
boundaries doubled, charsets and transfer encodings bent), each checked the way parse_mail checks a mail and
its forwarded mails, outer first, on one tree, so that what one check marks on a part (the stdlib records
bad base64 while decoding) is seen by the next, as it was when mail-parser ran.
"""

from __future__ import annotations

import email
import random
from collections.abc import Callable
from email.message import Message
from pathlib import Path

import mailparser
import pytest

from handoff.parse.mime import _mailparser_defects, parse_mail

FIXTURES = Path(__file__).parent / "fixtures" / "mail"
SAMPLES = Path(__file__).parents[1] / "samples"

HEADERS = [b"From", b"To", b"Cc", b"Reply-To", b"Delivered-To", b"Date", b"Resent-Date", b"Received"]
HEADERS += [b"Content-Type", b"Content-Disposition", b"Content-Transfer-Encoding", b"Content-ID"]
VALUES = [
    b"<<a@b>",
    b"a@b, <",
    b'"unterminated <x@y>',
    b"=?utf-8?q?=FF=FE?= <a@b.c>",
    b"\xff\xfe\xc3(",
    b"(comment <a@b>",
    b"Mon, 32 Feb 2021 25:61:00 +9999",
    b"Tue, 2 Nov 2021 10:00:00",
    b"from x by y; Tue, 2 Nov 2021 10:00:00 +0100",
    b"from [1.2.3.4] (helo=x) by y with esmtp id 1; garbage",
    b'text/plain; charset="x-unknown"',
    b"text/plain; charset=utf-16",
    b'attachment; filename="=?utf-8?b?/w==?="',
    b"base64",
    b"quoted-printable",
    b'multipart/mixed; boundary="nope"',
    b"group: a@b.c;",
    b"a@@b",
    b'"x" <a@b.c> trailing',
    b"=?utf-8?q?" + b"x" * 80 + b"?= <a@b.c>",
    b'text/html; charset="iso-8859-1"',
    b"inline; filename=a.txt",
    b"message/rfc822",
    b"<cid-1@x>",
]


def _mutants(raw: bytes, rng: random.Random) -> list[bytes]:
    out: list[bytes] = []
    lines = raw.split(b"\n")
    out.append(raw[: rng.randrange(1, max(2, len(raw)))])
    dropped = list(lines)
    for _ in range(rng.randrange(1, 4)):
        if len(dropped) > 1:
            del dropped[rng.randrange(len(dropped))]
    out.append(b"\n".join(dropped))
    out.append(rng.choice(HEADERS) + b": " + rng.choice(VALUES) + b"\n" + raw)
    flipped = bytearray(raw)
    for _ in range(rng.randrange(1, 6)):
        flipped[rng.randrange(len(flipped))] = rng.choice(b'=?<>"(),;:@\xff\x80-\n \t/A')
    out.append(bytes(flipped))
    inserted = list(lines)
    inserted.insert(rng.randrange(len(inserted)), rng.choice(HEADERS) + b": " + rng.choice(VALUES))
    out.append(b"\n".join(inserted))
    boundaries = [n for n, line in enumerate(lines) if line.startswith(b"--")]
    if boundaries:
        doubled = list(lines)
        where = rng.choice(boundaries)
        doubled.insert(where, doubled[where])
        doubled[rng.choice(boundaries)] += b"x"
        out.append(b"\n".join(doubled))
    out.append(raw.replace(b"base64", b"base64 ", 1).replace(b"charset=", b"charset=x", 1))
    out.append(raw.replace(b"\n\n", b"\n\n\xff\xfeJUNK==\n", 2))
    return out


HANDMADE = [
    b"Content-Type: multipart/mixed; boundary=b\n\nno start here\n--b--\n",  # epilogue read, no boundary found
    b"Content-Type: multipart/mixed\n\n--b\nx\n",
    b"From: a@b.c\nContent-Type: multipart/mixed; boundary=b\n\npre\n--b\nContent-Type: text/plain; charset=utf-8\n"
    b"Content-Transfer-Encoding: base64\n\n/w=\n--b\nContent-Type: message/rfc822\n\nFrom: x@y.z\n"
    b"Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nYW=Jj\n--b--\n",
    # Bad base64 inside a forwarded mail: marked on the part by the outer check, reported by the inner one.
    b"From: a@b.c\nContent-Type: message/rfc822\n\nFrom: x@y.z\nContent-Type: multipart/mixed; boundary=c\n\n--c\n"
    b"Content-Type: text/plain; charset=bogus\nContent-Transfer-Encoding: base64\n\n!!!!\n--c\n"
    b"Content-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\n@@@\n--c--\n",
    b'From: a@b.c\nContent-Type: text/plain; charset="utf-8\x00"\n\nhello\n',
    b'From: \xff <a@b.c>\nContent-Type: text/plain; name="\xff.txt"\nContent-Disposition: inline; filename="\xfe.txt"\n'
    b"\nhello\n",
    b"Content-Type: multipart/mixed; boundary=b\nContent-Disposition: attachment\n\n"
    b"--b\nContent-Type: text/rtf\n\n{x}\n--b--\n",
    b"",
    b"\n\nbody only\n",
]


def corpus() -> list[bytes]:
    rng = random.Random(16)
    mails = sorted([*FIXTURES.glob("*.eml"), *SAMPLES.glob("*.eml")])
    assert len(mails) > 100
    out: list[bytes] = list(HANDMADE)
    for path in mails:
        raw = path.read_bytes()
        out.append(raw)
        out.extend(_mutants(raw, rng))
    return out


def _forwarded(message: Message) -> list[Message]:
    """The forwarded mails parse_mail checks after this one, in the order it reaches them (stdlib trees)."""
    found: list[Message] = []
    for part in message.walk():
        if part is not message and part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                found.append(payload[0])
    return found


def _checked(raw: bytes, check: Callable[[Message], list[str]]) -> list[list[str] | str]:
    """Each check's answer (or the error it raised), outer mail first, then its forwarded mails in order."""
    try:
        message = email.message_from_bytes(raw)
    except Exception as exc:
        return [f"parse failed: {type(exc).__name__}"]
    answers: list[list[str] | str] = []
    for number, tree in enumerate([message, *_forwarded(message)]):
        try:
            answers.append(list(dict.fromkeys(check(tree))))
        except Exception as exc:
            answers.append(f"failed: {type(exc).__name__}")
            if number == 0:
                break  # parse_mail then parses the mail again and goes on without the checks' marks
    return answers


def _theirs(message: Message) -> list[str]:
    """What parse_mail reported when it ran mail-parser whole: each defect entry as "kind: Category"."""
    parser = mailparser.MailParser(message)
    return [
        f"{kind}: {str(item).split(':', 1)[0]}"
        for entry in parser.defects
        for kind, items in entry.items()
        for item in items
    ]


def test_defects_are_mail_parsers_own_over_real_and_mutated_mails() -> None:
    mails = corpus()
    different = []
    reported = 0
    for raw in mails:
        ours, theirs = _checked(raw, _mailparser_defects), _checked(raw, _theirs)
        reported += sum(1 for answer in theirs if answer)
        if ours != theirs:
            different.append((raw[:200], ours, theirs))
    assert not different, different[:3]
    # The corpus must exercise the checks, or the comparison says nothing.
    assert reported > 200


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"From: a@b, <\nSubject: x\n\nhi\n", "address-headers: AddressHeaderDefect"),
        (b"From: a@b.c\nDate: Mon, 32 Feb 2021 25:61:00 +9999\n\nhi\n", "date-headers: DateHeaderDefect"),
        (
            b"From: a@b.c\nContent-Type: text/plain; charset=utf-16\nContent-Transfer-Encoding: base64\n\naGkK\n",
            "text/plain: CharsetDecodeDefect",
        ),
        (
            b"From: a@b.c\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n",
            "multipart/mixed: CloseBoundaryNotFoundDefect",
        ),
        (
            b'From: a@b.c\nContent-Type: text/plain; name="\xff.txt"\n\nhi\n',
            "mime-headers: MimeHeaderDefect",
        ),
    ],
)
def test_parse_mail_reports_each_kind(raw: bytes, expected: str) -> None:
    assert expected in parse_mail(raw).defects
    assert expected not in parse_mail(b"From: a@b.c\nDate: Tue, 2 Nov 2021 10:00:00 +0100\n\nhi\n").defects


def test_a_failing_check_is_reported_as_mail_parser_failing() -> None:
    # A start boundary never found (the inner one) makes mail-parser read the mail's epilogue, which it lacks.
    raw = b'Content-Type: multipart/mixed; boundary="a"\n\n--a\n'
    raw += b'Content-Type: multipart/alternative; boundary="b"\n\n--x\n'
    assert _checked(raw, _theirs) == ["failed: AttributeError"]
    mail = parse_mail(raw)
    assert "mail-parser failed: AttributeError" in mail.defects


def _plain_values(rng: random.Random, count: int) -> list[str]:
    """Values of the shape parse_mail recognises as plain (local@domain, Name <local@domain>, comma lists)."""
    local_chars = "abcXYZ0189_%+-"
    domain_chars = "abcXYZ0189-"
    name_chars = "abcXYZ0189._' -"

    def run(chars: str) -> str:
        return "".join(rng.choice(chars) for _ in range(rng.randrange(1, 6)))

    def address() -> str:
        local = ".".join(run(local_chars) for _ in range(rng.randrange(1, 3)))
        return local + "@" + ".".join(run(domain_chars) for _ in range(rng.randrange(1, 4)))

    def mailbox() -> str:
        pad = rng.choice(["", " ", "\t", "  "])
        if rng.random() < 0.5:
            return pad + address() + rng.choice(["", " "])
        name = rng.choice("aZ7") + "".join(rng.choice(name_chars) for _ in range(rng.randrange(0, 12)))
        return pad + name + "<" + address() + ">" + rng.choice(["", " "])

    return [",".join(mailbox() for _ in range(rng.randrange(1, 4))) for _ in range(count)]


def test_plain_addresses_have_no_mail_parser_defect() -> None:
    from mailparser.utils import get_addresses

    from handoff.parse.mime import _PLAIN_ADDRESSES

    values = _plain_values(random.Random(5322), 3000)
    values += [v for raw in corpus()[:400] for k, v in email.message_from_bytes(raw).items() if isinstance(v, str)]
    plain = [v for v in values if _PLAIN_ADDRESSES.fullmatch(v)]
    assert len(plain) > 3000  # the generated values, and the fixtures' plain From/To lines
    for value in plain:
        diagnostics: list[dict[str, object]] = []
        get_addresses(value, defects=diagnostics, decode_names=True)
        assert diagnostics == [], value
    # And what is not plain is left to mail-parser's parser.
    for value in ("<a@b.c>", '"Doe, J" <a@b.c>', "=?utf-8?q?J=C3=B6rg?= <j@x.de>", "a@b.c;", "a..b@c.d", "a@b, "):
        assert not _PLAIN_ADDRESSES.fullmatch(value)


def test_overlong_header_values_are_cut_and_said_so() -> None:
    from handoff.parse.mime import MAX_HEADER_CHARS, MAX_MIME_PARAMETERS

    long_subject = "=?utf-8?q?Gr=C3=BC=C3=9Fe?= " * (3 * MAX_HEADER_CHARS // 28)
    exact = "x" * (MAX_HEADER_CHARS - 1)
    raw = (
        f"From: Jane <jane@customer.example>\r\nTo: cases@handoff.localhost\r\nSubject: {long_subject}\r\n"
        f"X-Exact: {exact}\r\nContent-Type: text/plain; charset=utf-8{';' * (2 * MAX_MIME_PARAMETERS)}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nMeine Bestellung ist verspätet."
    ).encode()
    mail = parse_mail(raw)
    assert f"header subject longer than {MAX_HEADER_CHARS} characters, cut" in mail.defects
    assert f"header content-type with more than {MAX_MIME_PARAMETERS} parameters, cut" in mail.defects
    assert len(mail.defects) == 2
    # What is kept is read as before: the words up to the cut, the charset before the run of parameters.
    assert mail.subject.startswith("GrüßeGrüße") and len(mail.subject) < MAX_HEADER_CHARS
    assert mail.text == "Meine Bestellung ist verspätet."
    assert mail.header("x-exact") == exact and mail.from_email == "jane@customer.example"
