"""parse_mail: bodies, attachments, forwarded-as-attachment mails and broken input."""

from __future__ import annotations

import subprocess
import sys

from handoff.parse.mime import parse_mail


def test_headers_addresses_and_date_offset_are_kept() -> None:
    mail = parse_mail(
        b"From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <Joerg@Example.DE>\r\n"
        b"Reply-To: help@example.de\r\n"
        b'To: a@b.com, "Doe, Jane" <jane@b.com>\r\n'
        b"Subject: =?iso-8859-1?q?Gr=FC=DFe?=\r\n"
        b"Date: Thu, 28 Oct 2021 12:46:00 +0200\r\n"
        b"Message-ID: <abc@example.de>\r\n"
        b"Auto-Submitted: no\r\n\r\nHallo\r\n",
        envelope_from="<bounce@example.de>",
        envelope_to=["cases@handoff.localhost"],
    )
    assert mail.from_name == "Jörg Müller"
    assert mail.from_email == "joerg@example.de"
    assert mail.reply_to == "help@example.de"
    assert mail.to == ("a@b.com", "jane@b.com")
    assert mail.subject == "Grüße"
    assert mail.date is not None and mail.date.utcoffset().total_seconds() == 7200
    assert mail.header("auto-submitted") == "no"
    assert mail.envelope_from == "bounce@example.de"
    assert mail.text.strip() == "Hallo"


def test_forward_as_attachment_is_embedded_not_counted_twice() -> None:
    raw = b"""From: agent@acme.com
To: cases@handoff.localhost
Subject: Fwd: broken
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/plain

see attached
--b
Content-Type: message/rfc822

From: Customer <c@customer.org>
Subject: broken
Date: Mon, 4 Mar 2024 15:01:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="c"

--c
Content-Type: text/plain

It is broken.
--c
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--c--
--b--
"""
    mail = parse_mail(raw)
    assert mail.text.strip() == "see attached"
    assert len(mail.embedded) == 1
    inner = mail.embedded[0]
    assert inner.from_email == "c@customer.org"
    assert inner.text.strip() == "It is broken."
    # The customer's file travels with the handoff; the .eml container itself is not a file.
    assert [a.filename for a in mail.attachments] == ["invoice.pdf"]
    assert mail.attachments[0].content.startswith(b"%PDF")


def test_odd_charsets_never_crash() -> None:
    samples = [
        # iso-2022-jp declared and correct
        b"Content-Type: text/plain; charset=iso-2022-jp\n\n" + "こんにちは".encode("iso-2022-jp"),
        # windows-1252 bytes declared as utf-8
        b"Content-Type: text/plain; charset=utf-8\n\nCaf\xe9 cr\xe8me \x93quoted\x94",
        # unknown charset name
        b"Content-Type: text/plain; charset=x-unknown-42\n\nplain ascii",
        # 8-bit garbage in headers
        b"From: J\xf6rg <j@x.de>\nSubject: \xff\xfe broken\n\nbody",
        # not a mail at all
        b"\x00\x01\x02 garbage",
        b"",
    ]
    results = [parse_mail(raw) for raw in samples]
    assert results[0].text == "こんにちは"
    assert results[1].text.startswith("Café crème")
    assert "plain ascii" in results[2].text and any("x-unknown-42" in d for d in results[2].defects)
    assert results[3].from_name == "Jörg"


def test_html_only_mail_keeps_html_for_the_splitter() -> None:
    mail = parse_mail(b"Content-Type: text/html; charset=utf-8\n\n<p>Hello <b>there</b></p>")
    assert mail.text == ""
    assert "<b>there</b>" in mail.html


def test_bounce_recipients_come_from_flufl_bounce() -> None:
    raw = b"""From: MAILER-DAEMON@mx.example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Sorry.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; nobody@example.org
Action: failed
Status: 5.1.1

--B--
"""
    assert parse_mail(raw).bounced_recipients == ("nobody@example.org",)


def test_parsing_and_guards_import_no_io_libraries() -> None:
    code = (
        "import sys, handoff.parse.mime, handoff.parse.thread, handoff.parse.customer, handoff.guards\n"
        "bad = [m for m in ('aiohttp', 'msal', 'aiosmtpd', 'sqlite3', 'psycopg', 'asyncpg') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_apple_mail_inline_pdf_is_an_attachment_but_a_signature_logo_is_not() -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "Ann <ann@example.com>"
    msg["To"] = "cases@handoff.test"
    msg["Subject"] = "Invoice"
    msg.set_content('<p>See the invoice attached.</p><img src="cid:logo@x">', subtype="html")
    logo = {"cid": "<logo@x>", "filename": "logo.png", "disposition": "inline"}
    msg.add_related(b"\x89PNG logo", maintype="image", subtype="png", **logo)
    # Apple Mail: the customer's PDF travels as `Content-Disposition: inline; filename=...`.
    msg.add_attachment(b"%PDF-1.4 invoice", maintype="application", subtype="pdf", filename="invoice.pdf")
    msg.get_payload()[-1].replace_header("Content-Disposition", 'inline; filename="invoice.pdf"')
    mail = parse_mail(msg.as_bytes())
    assert {a.filename: a.inline for a in mail.attachments} == {"logo.png": True, "invoice.pdf": False}


def test_hostile_unclosed_tags_read_as_text_and_a_private_use_character_is_kept() -> None:
    from handoff.parse.mime import html_to_text

    # Past a few hundred unclosed '<' (CVE-2025-6069's rescans) each is read as a literal '<'.
    assert html_to_text("<p>My order is late. " + "<a " * 1000).strip() == "My order is late. " + "<a " * 999 + "<a"
    # They go through html2text as a private-use placeholder; a body that holds that character itself keeps it.
    text = html_to_text("<p>\ue000 my order " + "<a " * 1000)
    assert text.startswith("\ue000 my order <a <a") and text.count("\ue000") == 1


def test_header_items_are_the_stdlib_items_8bit_and_encoded_words_included() -> None:
    import email as stdlib_email

    from handoff.parse.mime import _header_items

    raw = (
        b"From: =?utf-8?q?Jos=C3=A9?= <jose@example.org>\r\nSubject: Caf\xc3\xa9 au lait\r\n"
        b"To: plain@example.org\r\nX-Odd: \xff\xfe\r\n\r\nbody\r\n"
    )
    message = stdlib_email.message_from_bytes(raw)
    ours, theirs = _header_items(message), message.items()
    assert [(k, type(v), str(v)) for k, v in ours] == [(k, type(v), str(v)) for k, v in theirs]


def test_a_bare_address_reads_as_the_stdlib_address_parser_reads_it() -> None:
    import email.utils

    from handoff.parse.mime import all_addresses, forget_remembered

    forget_remembered()
    for bare in ["Ann@Example.org", " a.b+c@x.co.uk ", "o'neil@example.ie", "x_y-z=1?#$%&*/^`{|}~@d-1.example.com"]:
        [(name, addr)] = email.utils.getaddresses([bare])
        assert (name, addr) == ("", bare.strip())
        assert all_addresses(bare) == [(None, addr.lower())]
