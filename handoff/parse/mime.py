"""Raw bytes in, one `ParsedMail` out: headers, bodies, attachments and forwarded-as-attachment mails.

mail-parser (the design card requires it) judges the mail: its checks of the address, date, Received
and MIME headers and the stdlib's own MIME defects are what `ParsedMail.defects` reports. Only those
checks are run (`_mailparser_defects`), on the stdlib message tree parsed once here: its full parse also
re-encodes every attachment to base64 and decodes every header twice into dicts we never read, which
was two thirds of the cost of parsing a mail. It flattens every text part it meets into one `text_plain`
list, including the text of `message/rfc822` parts, which would count a forwarded mail twice; so the
bodies are read here from the same stdlib tree, stopping at each `message/rfc822` part, which becomes an
`embedded` `ParsedMail` of its own (to any depth).

`parse_mail` never raises on malformed input: whatever cannot be decoded is replaced and recorded in
`ParsedMail.defects`, because a mail that crashes the parser would otherwise never become a case.
"""

from __future__ import annotations

import codecs
import email
import email.header
import email.parser
import email.policy
import email.utils
import functools
import logging
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import Message

import html2text
from flufl.bounce import all_failures
from mailparser.const import ADDRESSES_HEADERS, EPILOGUE_DEFECTS
from mailparser.dates import date_diagnostics, parse_mail_date
from mailparser.utils import (
    as_string_safe,
    decode_header_part,
    find_between,
    get_addresses,
    mime_header_view,
    ported_string,
    raw_payload,
    receiveds_parsing,
)

from handoff.guards.bounce import may_be_bounce
from handoff.model import Attachment, ParsedMail
from handoff.parse import outlook

# Compiled once: they run for every line or header read (re.sub with a string looks the pattern up each time).
_SEMICOLON = re.compile(r";\s*")
_SPACES = re.compile(r"\s+")

log = logging.getLogger("handoff.parse")


class _QuietDetectors(logging.Filter):
    """flufl.bounce logs a traceback whenever one of its ~30 detectors trips over an ordinary mail
    (an 8-bit header, a missing From). That says nothing about the mail and would flood the log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Exception in detector")


logging.getLogger("flufl.bounce").addFilter(_QuietDetectors())

# Python's email parser recurses once per nesting level; real forwards are a handful deep.
MAX_EMBED_DEPTH = 12

# Charsets that decode any byte string without error, so a successful decode proves nothing.
_PERMISSIVE = {"latin-1", "latin1", "iso-8859-1", "iso8859-1", "us-ascii", "ascii", "windows-1252", "cp1252"}
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

# A header value is read (decoded, checked) up to this many characters. RFC 5322 limits a line to 998; folded over
# many lines a value can be longer (a To: of some hundreds of recipients is about 20 KB), so the limit is generous.
# Beyond it the stdlib's RFC 2047 decoder and mail-parser's checks are quadratic in the encoded words of one value:
# a 1 MB Subject of "=?x?q?" repeated took 15 s. And the stdlib's MIME parameter parser (`get_param`, behind every
# charset, filename and boundary) is quadratic in the parameters of one value: 1 MB of ";" after "text/plain" took
# 107 s; real mail has a handful (RFC 2231 splits a long filename in some tens). What is cut is recorded in
# `defects`; the raw mail, spooled as it was received, keeps it whole.
MAX_HEADER_CHARS = 16_384
MAX_MIME_PARAMETERS = 100
_PARAMETER_HEADERS = ("content-type", "content-disposition")


def _cut(value: str) -> str:
    return value[:MAX_HEADER_CHARS] if len(value) > MAX_HEADER_CHARS else value


def _bound_headers(message: Message) -> list[str]:
    """Cut, in the parsed tree itself (every part, forwarded mails included), the header values everything after
    reads: longer than MAX_HEADER_CHARS, or MIME parameters beyond MAX_MIME_PARAMETERS. Returns the defects."""
    defects: list[str] = []
    for part in message.walk():
        headers = part._headers  # the stdlib's own list of (name, raw value); no public way to cut in place
        for number, (name, value) in enumerate(headers):
            if not isinstance(value, str):
                continue
            key = name.lower()
            cut = value
            if len(cut) > MAX_HEADER_CHARS:
                cut = cut[:MAX_HEADER_CHARS]
                defects.append(f"header {key[:40]} longer than {MAX_HEADER_CHARS} characters, cut")
            if key in _PARAMETER_HEADERS and cut.count(";") > MAX_MIME_PARAMETERS:
                end = -1
                for _ in range(MAX_MIME_PARAMETERS + 1):
                    end = cut.index(";", end + 1)
                cut = cut[:end]
                defects.append(f"header {key} with more than {MAX_MIME_PARAMETERS} parameters, cut")
            if cut is not value:
                headers[number] = (name, cut)
    return defects


def parse_mail(raw: bytes, envelope_from: str | None = None, envelope_to: Sequence[str] = ()) -> ParsedMail:
    """Decode one received mail. Never raises; problems end up in `defects`."""
    defects: list[str] = []
    reads = _Reads()
    try:
        message = email.message_from_bytes(raw)
        defects.extend(_bound_headers(message))
        defects.extend(_mailparser_defects(message, reads))
    except Exception as exc:  # must never raise: a crafted or truncated mail
        # What mail-parser.parse_from_bytes said here: the stdlib's parse failing is its failure too.
        defects.append(f"mail-parser failed: {_mailparser_error(exc)}")
        reads = _Reads()  # of the tree parsed again below, nothing read yet
        # Parsed again, as before: the checks may have read (and so marked) part of the first tree.
        try:
            message = email.message_from_bytes(raw)
            _bound_headers(message)  # its defects are in the list already, if that step was reached
        except Exception as exc2:
            defects.append(f"stdlib parser failed: {type(exc2).__name__}")
            message = email.message_from_string("")
    # None means "not known" (a replay without envelope); "" is the null reverse path of a bounce.
    if envelope_from is not None:
        envelope_from = envelope_from.strip().strip("<>").strip()
    envelope = tuple(e.strip().strip("<>") for e in envelope_to)
    try:
        mail = _build(message, defects, envelope_from, envelope, 0, reads)
    except Exception as exc:  # a parser bug must park the mail with its bytes, not lose it
        log.warning("mail structure unreadable (%s); keeping headers only", type(exc).__name__)
        try:
            headers = tuple((name.lower(), decode_header(value)) for name, value in message.items())
        except Exception:
            headers = ()
        from_name, from_email = first_address(next((v for k, v in headers if k == "from"), ""))
        mail = ParsedMail(
            message_id=next((v for k, v in headers if k == "message-id"), None),
            subject=next((v for k, v in headers if k == "subject"), ""),
            from_name=from_name,
            from_email=from_email,
            headers=headers,
            envelope_from=envelope_from,
            envelope_to=envelope,
            defects=(*defects, f"structure unreadable: {type(exc).__name__}"),
        )
    # The detectors only for mail that can be a bounce (handoff.guards.bounce.may_be_bounce): a fifth of the cost.
    bounced = _bounced(message) if may_be_bounce(message, envelope_from, raw, reads.content_type) else ()
    return mail.model_copy(update={"bounced_recipients": bounced}) if bounced else mail


def _bounced(message: Message) -> tuple[str, ...]:
    """flufl.bounce (Mailman's detectors) on the whole mail: it knows the non-standard bounce formats."""
    try:
        permanent, temporary = all_failures(message)
    except Exception:  # a detector choking on odd input is not a reason to lose the mail
        return ()
    found = {a.decode("utf-8", "replace") if isinstance(a, bytes) else str(a) for a in permanent | temporary}
    return tuple(sorted(a.strip().strip("<>").lower() for a in found if a))


def parse_message(message: Message, depth: int = 1) -> ParsedMail:
    """Parse an already built stdlib message (a `message/rfc822` part)."""
    defects: list[str] = []
    reads = _Reads()
    try:
        # Already done when the part came with its container's tree; an attached .eml file is a tree of its own.
        defects.extend(_bound_headers(message))
        defects.extend(_mailparser_defects(message, reads))
    except Exception as exc:  # MailParser(message) has no recursion guard: a RecursionError is named as it is
        defects.append(f"mail-parser failed: {type(exc).__name__}")
    return _build(message, defects, None, (), depth, reads)


_NO_CHARSET = object()  # get_content_charset's failobj: no charset parameter, or one that is not ASCII


class _Reads:
    """The content type and two MIME parameters (filename, charset) the checks read of each part, kept for `_build`
    and the bounce gate, which read the same ones again: the stdlib parses a header's parameters again for every
    read (`get_param`), and these reads were a fifth of parsing a typical mail. The parameters only of parts with
    clean MIME headers (`_clean_mime_headers`: the checks read the part itself). For one tree, between the checks
    and `_build`, when nothing changes its headers; keyed by the part's id, the part held with its values (so no
    id is reused while they are kept)."""

    __slots__ = ("charsets", "names", "types")

    def __init__(self) -> None:
        self.names: dict[int, tuple[Message, object]] = {}
        self.charsets: dict[int, tuple[Message, object]] = {}
        self.types: dict[int, tuple[Message, str]] = {}  # every part's content type (the checks walk every part)

    def content_type(self, part: Message) -> str:
        """`part.get_content_type()`."""
        kept = self.types.get(id(part))
        return kept[1] if kept is not None and kept[0] is part else part.get_content_type()

    def filename(self, part: Message) -> object:
        """`part.get_filename()`."""
        kept = self.names.get(id(part))
        return kept[1] if kept is not None and kept[0] is part else part.get_filename()

    def charset(self, part: Message) -> object:
        """`part.get_content_charset()`."""
        kept = self.charsets.get(id(part))
        value = kept[1] if kept is not None and kept[0] is part else part.get_content_charset(_NO_CHARSET)
        return None if value is _NO_CHARSET else value


# -- mail-parser's checks -------------------------------------------------------------------------------
#
# `mailparser.MailParser(message).defects` is a list of {kind: [f"{Category}: detail", ...]} entries; a mail
# reports each as "kind: Category" (the details quote header values, which must not reach logs or the spool).
# Below are the steps of MailParser._reset and MailParser.parse (mail-parser 4.8) that add to that list, with
# mail-parser's own functions deciding, in its order, and nothing else: not the attachment payloads it
# re-encodes, not the body texts it collects, not the two dicts of decoded headers `_make_mail` builds. The
# payloads it decodes are decoded here too, because the stdlib records bad base64 as a defect of the part
# while decoding it, and the check of a forwarded mail (run after its container's) reports those.
# tests/test_parse_mime.py holds this to mail-parser's own answer over mutated mails.


def _mailparser_error(exc: BaseException) -> str:
    # MailParser._parse_guarded turns the stdlib's recursion on deep nesting into its own error.
    return "MailParserRecursionError" if isinstance(exc, RecursionError) else type(exc).__name__


# Address header values mail-parser has nothing to say about, recognised without its parser: a comma-separated
# list of "local@domain" or "Plain Name <local@domain>", ASCII letters, digits and a few marks only. For those, its
# scanner finds no delimiter problem, its addr-spec grammar accepts the address, the name is a valid phrase with no
# encoded word, and the stdlib reads the same address back: no diagnostic, ever
# (tests/test_parse_defects.py::test_plain_addresses_have_no_mail_parser_defect holds this to get_addresses).
_PLAIN_ADDR = r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
_PLAIN_MAILBOX = rf"[ \t]*(?:{_PLAIN_ADDR}|[A-Za-z0-9][A-Za-z0-9._' -]*<{_PLAIN_ADDR}>)[ \t]*"
_PLAIN_ADDRESSES = re.compile(rf"{_PLAIN_MAILBOX}(?:,{_PLAIN_MAILBOX})*")


@functools.lru_cache(maxsize=4096)
def _address_defective(value: str) -> bool:
    """Whether mail-parser finds fault with one address header value. A pure function of the value, and most
    values repeat from mail to mail (the team's own From, handoff's own To); its parser costs about 0.1 ms."""
    if _PLAIN_ADDRESSES.fullmatch(value):
        return False
    diagnostics: list[dict[str, object]] = []
    get_addresses(value, defects=diagnostics, decode_names=True)
    return bool(diagnostics)


def _address_defects(values: Iterable[object]) -> bool:
    found = False
    for value in values:  # every value, as mail-parser does: one that raises must still raise
        if isinstance(value, str) and len(value) <= 998:
            found = _address_defective(value) or found
        else:  # a Header (raw 8-bit bytes) or a long value: not worth keeping in the cache
            diagnostics: list[dict[str, object]] = []
            get_addresses(value, defects=diagnostics, decode_names=True)  # type: ignore[arg-type]
            found = found or bool(diagnostics)
    return found


_MIME_HEADERS = ("content-type", "content-disposition", "content-id", "content-transfer-encoding")


def _clean_mime_headers(part: Message) -> bool:
    """True when `mime_header_view(part)` would find nothing and answer exactly as the part itself: every MIME
    header is text that is valid UTF-8 (the bytes parser keeps other bytes as surrogates)."""
    for name, value in part.raw_items():
        if name.lower() in _MIME_HEADERS:
            if not isinstance(value, str):
                return False
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


def _header_items(message: Message) -> list[tuple[str, object]]:
    """`message.items()`, value for value. Under compat32 (the parser's default policy) `header_fetch_parse` hands a
    str back as it is unless it holds surrogates (the bytes parser's way of keeping 8-bit header bytes), which an
    ASCII value cannot: only the other values go through it (CPython's email._policybase.Compat32._sanitize_header).
    Two Python calls less per header, and every mail's headers are read twice (the checks, then `_build`)."""
    policy = message.policy
    if policy is not email.policy.compat32:
        return message.items()
    fetch = policy.header_fetch_parse
    return [
        (name, value) if isinstance(value, str) and value.isascii() else (name, fetch(name, value))
        for name, value in message._headers
    ]


def _mailparser_defects(message: Message, reads: _Reads | None = None) -> list[str]:
    """What `mailparser.MailParser(message).defects` reports, as "kind: Category" lines (see above)."""
    found: list[str] = []
    # MailParser._reset: the address headers (each occurrence), then Received, then the dates.
    items = _header_items(message) if message else []
    index: dict[str, list[object]] = {}
    for name, value in items:
        index.setdefault(name.lower(), []).append(value)
    if any([_address_defects(index.get(header, [])) for header in sorted(ADDRESSES_HEADERS)]):
        found.append("address-headers: AddressHeaderDefect")
    date_defects: list[dict[str, object]] = []
    occurrences: dict[str, int] = {}
    raw_items = list(message.raw_items()) if message else []
    for name, value in raw_items:
        header = name.lower()
        if header not in ("date", "resent-date"):
            continue
        occurrence = occurrences.get(header, 0)
        occurrences[header] = occurrence + 1
        date_defects.extend(date_diagnostics(parse_mail_date(value), value, header, occurrence))
    received_defects: list[dict[str, object]] = []
    receiveds_parsing(
        [value for name, value in raw_items if name.lower() == "received"],
        defects=received_defects,
        date_defects=date_defects,
    )
    if received_defects:
        found.append("received-headers: ReceivedHeaderDefect")
    if date_defects:
        found.append("date-headers: DateHeaderDefect")
    # MailParser.parse: the stdlib's defects of every part, in walk order.
    parts: list[tuple[Message, bool, str]] = []
    categories: set[str] = set()
    attachment_descendants: set[int] = set()
    for part in message.walk():
        content_type = part.get_content_type()
        if reads is not None:
            reads.types[id(part)] = (part, content_type)
        for defect in part.defects:
            categories.add(defect.__class__.__name__)
            found.append(f"{content_type}: {defect.__class__.__name__}")
        inside_attachment = id(part) in attachment_descendants
        parts.append((part, inside_attachment, content_type))
        if part.is_multipart():
            disposition = part.get_content_disposition()
            blocks_inline = disposition not in (None, "inline") or (
                disposition != "inline" and bool(part.get_filename())
            )
            if inside_attachment or blocks_inline:
                attachment_descendants.update(id(child) for child in part.get_payload())
    if categories & EPILOGUE_DEFECTS:
        # A body before the first boundary: mail-parser reads it as one more part (and fails as it does).
        epilogue = find_between(
            message.epilogue,  # type: ignore[arg-type]
            "{}".format("--" + message.get_boundary()),  # type: ignore[operator]
            "{}".format("--" + message.get_boundary() + "--"),  # type: ignore[operator]
        )
        if epilogue is not None:
            try:
                preamble = email.message_from_string(epilogue)
                parts.append((preamble, True, preamble.get_content_type()))
            except Exception:
                pass
    # Then every part's MIME headers (invalid UTF-8, a filename that decodes to no text) and the body parts'
    # charsets, each part as mail-parser reads it.
    for part, inside_attachment, content_type in parts:
        clean = _clean_mime_headers(part)
        if clean:
            metadata, metadata_defects = part, []
        else:
            metadata, metadata_defects = mime_header_view(part)
        raw_name = metadata.get_filename()
        if clean and reads is not None:
            reads.names[id(part)] = (part, raw_name)
        filename = decode_header_part(raw_name, defects=metadata_defects)
        if metadata_defects:
            found.append("mime-headers: MimeHeaderDefect")
        multipart = part.is_multipart()
        disposition = ported_string(metadata.get_content_disposition()).lower()
        if multipart and disposition != "attachment":
            continue
        found_charset = metadata.get_content_charset(_NO_CHARSET)
        if clean and reads is not None:
            reads.charsets[id(part)] = (part, found_charset)
        charset = "utf-8" if found_charset is _NO_CHARSET else found_charset
        content_id = ported_string(metadata.get("content-id"))
        subtype = ported_string(metadata.get_content_subtype())
        is_inline_body = (
            not inside_attachment
            and not multipart
            and disposition == "inline"
            and content_type in ("text/plain", "text/html")
        )
        # mail-parser's test, to the letter: `subtype in ("rtf")` is a substring test.
        is_attachment = bool(filename) or bool(content_id and subtype not in ("html", "plain")) or subtype in "rtf"
        is_attachment = is_attachment or disposition == "attachment"
        if is_attachment:
            # The payload reads that can fail, as mail-parser does them; the payload itself is not kept.
            encoding = ported_string(metadata.get("content-transfer-encoding", "")).strip().lower()
            if multipart:
                for child in part.get_payload(decode=False):
                    as_string_safe(child)
            elif encoding == "base64":
                raw_payload(part)
        if not is_attachment or is_inline_body:
            if _charset_fails(part, charset):
                found.append(f"{content_type}: CharsetDecodeDefect")
    return found


def _charset_fails(part: Message, charset: str) -> bool:
    """MailParser._decode_body_payload: whether the declared charset fails on the body's bytes."""
    payload = part.get_payload(decode=True)  # records bad base64 on the part, as mail-parser's read does
    encoding = ported_string(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if not encoding or encoding in ("7bit", "8bit"):
        raw_text = part._payload  # mail-parser reads it to tell text from 8-bit bytes
        if isinstance(raw_text, str):
            try:
                raw_text.encode("utf-8")
            except UnicodeEncodeError:
                pass
            else:
                return False
    if not payload:
        return False
    try:
        payload.decode(charset).encode("utf-8")
    except (LookupError, UnicodeError):
        return True
    return False


def _build(
    message: Message,
    defects: list[str],
    envelope_from: str | None,
    envelope_to: tuple[str, ...],
    depth: int,
    reads: _Reads | None = None,
) -> ParsedMail:
    headers = tuple((name.lower(), decode_header(value)) for name, value in _header_items(message))

    def first(name: str) -> str | None:
        for key, value in headers:
            if key == name:
                return value
        return None

    from_name, from_email = first_address(first("from") or "")
    _, reply_to = first_address(first("reply-to") or "")
    to = tuple(addr for _, addr in all_addresses(", ".join(v for k, v in headers if k == "to")) if addr)
    texts: list[str] = []
    htmls: list[str] = []
    embedded: list[ParsedMail] = []
    # This mail's own files (with their Content-ID and disposition) and its forwarded mails' files, in MIME order:
    # whether an image of its own is part of the body is known once every body has been read (a cid: reference).
    files: list[_File | Attachment] = []
    # Bodies found inside winmail.dat parts: the body of the mail only when it has no text of its own.
    tnef_texts: list[str] = []
    tnef_htmls: list[str] = []
    tnef_cids: list[str] = []

    def add_child(child: ParsedMail) -> None:
        embedded.append(child)
        # The customer's own files inside a forwarded mail are files of this handoff too.
        files.extend(child.attachments)
        defects.extend(f"embedded: {d}" for d in child.defects)

    content_type = Message.get_content_type if reads is None else reads.content_type
    for part, is_attachment, filename in _walk(message, reads):
        ctype = content_type(part)
        if ctype == "message/rfc822" or _is_eml_file(ctype, filename):
            inner = _inner_message(part, defects)
            if inner is None:
                continue
            if depth >= MAX_EMBED_DEPTH:
                defects.append("message/rfc822 nested too deep; inner part ignored")
                continue
            try:
                child = parse_message(inner, depth + 1)
            except Exception as exc:
                defects.append(f"attached mail unreadable: {type(exc).__name__}")
                continue
            add_child(child)
            continue
        if ctype == "text/rfc822-headers" and not is_attachment:
            continue  # the returned headers inside a bounce report: neither a body nor a file
        if is_attachment or ctype not in ("text/plain", "text/html"):
            file = _file(part, defects, filename)
            if outlook.is_tnef(file.attachment.content_type, file.attachment.filename, file.attachment.content):
                tnef = _read_tnef(file, defects)
                if tnef is not None:
                    tnef_texts.append(tnef.text)
                    tnef_htmls.append(tnef.html)
                    tnef_cids.append(tnef.cids)
                    files.extend(tnef.files)
                    continue
            elif outlook.is_msg(file.attachment.content_type, file.attachment.filename):
                child = _read_msg(file, defects, depth)
                if child is not None:
                    add_child(child)
                    continue
            files.append(file)
            continue
        if ctype == "text/plain":
            texts.append(decode_part(part, defects, reads))
        else:
            htmls.append(decode_part(part, defects, reads))
    if not any(t.strip() for t in texts) and not any(h.strip() for h in htmls):
        # Outlook's rich text mail: the real body is inside winmail.dat (the text/plain beside it, if any, is empty).
        texts.extend(tnef_texts)
        htmls.extend(h for h in tnef_htmls if h.strip())
    referenced = _referenced_cids([*texts, *htmls, *tnef_texts, *tnef_htmls, *tnef_cids])
    attachments = [f.final(referenced) if isinstance(f, _File) else f for f in files]
    message_id = (first("message-id") or "").strip() or None
    return ParsedMail(
        message_id=message_id,
        subject=_one_line(first("subject") or ""),
        from_name=from_name,
        from_email=from_email,
        reply_to=reply_to,
        to=to,
        date=parse_rfc_date(first("date")),
        headers=headers,
        content_type=content_type(message),
        text=normalize_text("\n\n".join(t for t in texts if t.strip())),
        html="\n".join(htmls),
        attachments=tuple(attachments),
        envelope_from=envelope_from,
        envelope_to=envelope_to,
        defects=tuple(dict.fromkeys(defects)),
        embedded=tuple(embedded),
    )


def _walk(message: Message, reads: _Reads | None = None) -> Iterator[tuple[Message, bool, str | None]]:
    """Leaf parts of this message, not descending into forwarded mails; (part, is_attachment, filename), the
    filename read once (each read parses the MIME parameters again)."""
    ctype = message.get_content_type() if reads is None else reads.content_type(message)
    if ctype == "message/rfc822":
        # Only reached for the children of a container: hand the part itself to the caller.
        yield message, True, None
        return
    if message.is_multipart():
        payload = message.get_payload()
        if not isinstance(payload, list):
            return
        if ctype == "multipart/alternative":
            # One body in several renderings: the plain text if there is one, else the richest.
            payload = _pick_alternative(payload, reads)
        for child in payload:
            if isinstance(child, Message):
                yield from _walk(child, reads)
        return
    disposition = (message.get_content_disposition() or "").lower()
    filename = _filename(message, reads)
    is_text = ctype in ("text/plain", "text/html", "text/rfc822-headers")
    # A named part is a file even when shown inline (Apple Mail sends "inline; filename=log.txt").
    is_attachment = disposition == "attachment" or bool(filename) or not is_text
    yield message, is_attachment, filename


def _pick_alternative(parts: list[Message], reads: _Reads | None = None) -> list[Message]:
    content_type = Message.get_content_type if reads is None else reads.content_type
    plain = [p for p in parts if isinstance(p, Message) and content_type(p) == "text/plain"]
    html = [p for p in parts if isinstance(p, Message) and content_type(p) == "text/html"]
    nested = [p for p in parts if isinstance(p, Message) and p.is_multipart()]
    # Keep both renderings: split_thread prefers the plain text and falls back to the HTML when the
    # plain text is empty (some clients send an empty text/plain beside the real HTML body).
    chosen = plain[:1] + html[:1]
    if not chosen:
        chosen = nested[-1:]
    elif nested and not plain:
        chosen = nested[-1:] + html[:1]
    return chosen


def _is_eml_file(content_type: str, filename: str | None) -> bool:
    return (filename or "").lower().endswith(".eml") and content_type in (
        "application/octet-stream",
        "message/rfc822",
        "text/plain",
    )


def _inner_message(part: Message, defects: list[str]) -> Message | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return payload[0]
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes) and data.strip():
        try:
            return email.message_from_bytes(data)
        except Exception as exc:
            defects.append(f"attached mail unreadable: {type(exc).__name__}")
    return None


def _filename(part: Message, reads: _Reads | None = None) -> str | None:
    try:
        name = part.get_filename() if reads is None else reads.filename(part)
    except Exception:
        return None
    return decode_header(name) if name else None


@dataclass(frozen=True)
class _File:
    """A file of the mail before its images are judged: part of the body or one of the customer's files."""

    attachment: Attachment
    content_id: str | None = None
    disposition: str = ""

    def final(self, referenced: set[str]) -> Attachment:
        inline = _is_inline(self.attachment.content_type, self.content_id, self.disposition, referenced)
        if inline == self.attachment.inline:
            return self.attachment
        return self.attachment.model_copy(update={"inline": inline})


def _is_inline(content_type: str, content_id: str | None, disposition: str, referenced: set[str]) -> bool:
    """Only images are ever "inline" (signature logos, pictures in the HTML body): Apple Mail sends the PDFs and
    documents a customer attaches as `inline; filename=...`, and those are the customer's files. An image is part
    of the body when a body refers to its Content-ID by `cid:` (Outlook sends those as `attachment` too) or when it
    is sent `inline`; an image that nothing refers to and that is not shown inline is one of the customer's files,
    Content-ID or not."""
    if not content_type.startswith("image/"):
        return False
    if content_id and _cid_key(content_id) in referenced:
        return True
    return disposition == "inline"


# A cid: URL runs to the first quote, space or bracket (RFC 2392; Outlook's plain text writes "[cid:image001.png@...]").
_CID_REF = re.compile(r"cid:([^\s\"'<>()\[\]]+)", re.IGNORECASE)


def _cid_key(value: str) -> str:
    return urllib.parse.unquote(value).strip().strip("<>").strip().lower()


def _referenced_cids(bodies: Iterable[str]) -> set[str]:
    return {_cid_key(m.group(1)) for body in bodies if "cid:" in body.lower() for m in _CID_REF.finditer(body)}


def _file(part: Message, defects: list[str], filename: str | None) -> _File:
    try:
        content = part.get_payload(decode=True) or b""
    except Exception:
        defects.append("attachment payload undecodable")
        content = b""
    if not isinstance(content, bytes):
        content = str(content).encode("utf-8", "replace")
    disposition = (part.get_content_disposition() or "").lower()
    content_type = part.get_content_type()
    content_id = decode_header(part.get("content-id")) or None
    attachment = Attachment(
        filename=filename or "attachment",
        content_type=content_type,
        size=len(content),
        content=content,
        inline=_is_inline(content_type, content_id, disposition, set()),
    )
    return _File(attachment, content_id, disposition)


def _outlook_files(files: Iterable[outlook.OutlookFile]) -> list[_File]:
    out = []
    for f in files:
        size = len(f.content)
        attachment = Attachment(filename=f.filename, content_type=f.content_type, size=size, content=f.content)
        out.append(_File(attachment, f.content_id, "attachment"))
    return out


@dataclass(frozen=True)
class _Tnef:
    text: str
    html: str
    files: list[_File]
    cids: str  # the pictures an RTF body shows, as cid: references


def _cid_text(cids: Iterable[str]) -> str:
    return " ".join(f"cid:{c}" for c in cids)


def _read_tnef(file: _File, defects: list[str]) -> _Tnef | None:
    """A winmail.dat part's body and files; None (the part stays a plain file, with a defect) when unreadable."""
    try:
        tnef = outlook.read_tnef(file.attachment.content)
    except outlook.OutlookFormatError as exc:
        defects.append(f"winmail.dat kept as a file: {exc}")
        return None
    except Exception as exc:  # a tnefparse bug on crafted input must not lose the mail
        defects.append(f"winmail.dat kept as a file: unreadable ({type(exc).__name__})")
        return None
    defects.extend(tnef.defects)
    return _Tnef(normalize_text(tnef.text), tnef.html, _outlook_files(tnef.files), _cid_text(tnef.body_cids))


def _read_msg(file: _File, defects: list[str], depth: int) -> ParsedMail | None:
    """An attached Outlook .msg as a forwarded mail of the thread, in the shape `parse_message` gives an attached
    message/rfc822; None (kept as a plain file, with a defect) when it cannot be read."""
    if depth >= MAX_EMBED_DEPTH:
        defects.append("attached .msg nested too deep; kept as a file")
        return None
    try:
        content = outlook.read_msg(file.attachment.content)
    except outlook.NotAMail:
        return None  # a contact card or a meeting: one of the customer's files
    except outlook.OutlookFormatError as exc:
        if file.attachment.content_type in outlook.MSG_TYPES or file.attachment.content.startswith(outlook.OLE_MAGIC):
            defects.append(f"attached .msg kept as a file: {exc}")
        # else a file that merely ends in .msg (a text log, a translation catalogue): a file like any other
        return None
    except Exception as exc:  # a bug of ours or olefile's on crafted input must not lose the mail
        defects.append(f"attached .msg kept as a file: unreadable ({type(exc).__name__})")
        return None
    return _msg_mail(content, depth + 1)


def _msg_mail(content: outlook.MsgContent, depth: int) -> ParsedMail:
    headers: tuple[tuple[str, str], ...] = ()
    if content.transport_headers.strip():
        try:
            parsed = email.parser.HeaderParser(policy=email.policy.compat32).parsestr(content.transport_headers)
            headers = tuple((k.lower(), decode_header(v)) for k, v in parsed.items())
        except Exception:
            headers = ()

    def first(key: str) -> str | None:
        return next((v for k, v in headers if k == key), None)

    from_name, from_email = content.sender_name, content.sender_email
    if not from_email:
        header_name, from_email = first_address(first("from") or "")
        from_name = from_name or header_name
    if from_name and from_email and from_name.strip().lower() == from_email:
        from_name = None
    sent = content.sent_at or parse_rfc_date(first("date"))
    if not headers:
        # A saved draft or a message Outlook never received: the headers guards read, from its properties.
        synthetic = [("subject", content.subject)]
        if from_email:
            synthetic.append(("from", f"{from_name} <{from_email}>" if from_name else from_email))
        if sent:
            synthetic.append(("date", email.utils.format_datetime(sent)))
        headers = tuple((k, _one_line(v)) for k, v in synthetic)
    to = tuple(a for _, a in all_addresses("; ".join(content.to)) if a) or tuple(
        a for _, a in all_addresses(", ".join(v for k, v in headers if k == "to")) if a
    )
    defects = list(content.defects)
    texts = [normalize_text(content.text)] if content.text.strip() else []
    htmls = [content.html] if content.html.strip() else []
    files = _outlook_files(content.files)
    referenced = _referenced_cids([*texts, *htmls, _cid_text(content.body_cids)])
    attachments = [f.final(referenced) for f in files]
    embedded: list[ParsedMail] = []
    for inner in content.embedded:
        if depth >= MAX_EMBED_DEPTH:
            defects.append("attached .msg nested too deep; inner message ignored")
            break
        child = _msg_mail(inner, depth + 1)
        embedded.append(child)
        attachments.extend(child.attachments)
        defects.extend(f"embedded: {d}" for d in child.defects)
    return ParsedMail(
        message_id=content.message_id or (first("message-id") or "").strip() or None,
        subject=_one_line(content.subject or first("subject") or ""),
        from_name=from_name,
        from_email=from_email,
        reply_to=first_address(first("reply-to") or "")[1],
        to=to,
        date=sent,
        headers=headers,
        content_type="application/vnd.ms-outlook",
        text="\n\n".join(texts),
        html="\n".join(htmls),
        attachments=tuple(attachments),
        defects=tuple(dict.fromkeys(defects)),
        embedded=tuple(embedded),
    )


# -- decoding helpers -----------------------------------------------------------------------------------


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Error handler: a byte that is not UTF-8 is read as windows-1252, the usual culprit."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", "replace"), error.end


codecs.register_error("handoff-cp1252", _cp1252_fallback)


def decode_bytes(data: bytes, charset: str | None, defects: list[str] | None = None) -> str:
    """Decode body bytes, surviving missing, wrong and unknown charsets."""
    declared = (charset or "").strip().strip('"').lower() or None
    if declared in ("utf8", "utf-8", "unicode-1-1-utf-8"):
        declared = "utf-8"
    if declared and declared not in _PERMISSIVE:
        try:
            return data.decode(declared)
        except LookupError:
            _note(defects, f"unknown charset {declared!r}")
        except UnicodeDecodeError:
            _note(defects, f"bytes do not match charset {declared!r}")
    try:
        text = data.decode("utf-8")
        if declared and declared in _PERMISSIVE and not text.isascii():
            # Declared latin-1/ascii but valid UTF-8: the declaration is the usual mistake.
            _note(defects, f"charset {declared!r} declared but body is UTF-8")
        return text
    except UnicodeDecodeError:
        pass
    if declared in _PERMISSIVE and declared not in ("us-ascii", "ascii"):
        return data.decode(declared, "replace")
    # UTF-8 with stray bytes (a windows-1252 signature pasted into a UTF-8 body, or a whole body
    # mislabelled): keep every valid UTF-8 sequence and read only the invalid bytes as windows-1252.
    _note(defects, "bytes that are not UTF-8 read as windows-1252")
    return data.decode("utf-8", "handoff-cp1252")


def _note(defects: list[str] | None, text: str) -> None:
    if defects is not None:
        defects.append(text)


def decode_part(part: Message, defects: list[str], reads: _Reads | None = None) -> str:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        defects.append("body transfer encoding unreadable")
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    if data is None:
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    try:
        charset = part.get_content_charset() if reads is None else reads.charset(part)
    except Exception:
        charset = None
    return decode_bytes(data, charset, defects)  # type: ignore[arg-type]


def decode_header(value: object) -> str:
    """RFC 2047 words decoded, raw 8-bit bytes read as UTF-8 (else windows-1252), folding undone."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = _cut(value)  # the whole pipeline reads headers through here: linear however long they are
    if isinstance(value, str) and "=?" not in value:
        # No encoded word: email.header.decode_header would hand the text back as one chunk.
        return _one_line(_unescape_surrogates(value))
    try:
        # A Header object (8-bit bytes in the raw header) decodes to ("bytes", "unknown-8bit") chunks.
        chunks = email.header.decode_header(value if isinstance(value, email.header.Header) else str(value))
    except Exception:
        chunks = [(str(value), None)]
    out: list[str] = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, None if charset == "unknown-8bit" else charset))
        else:
            out.append(_unescape_surrogates(chunk))
    # Whitespace between two encoded words is dropped by decode_header, as RFC 2047 says it must be.
    return _one_line("".join(out))


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # how the stdlib's bytes parser keeps a byte that is not ASCII


def _unescape_surrogates(text: str) -> str:
    if text.isascii() or not _ESCAPED_BYTE.search(text):
        return text
    data = text.encode("utf-8", "surrogateescape")
    return decode_bytes(data, None)


# A whitespace run is tried from its first character only: from every start inside a run of a 1 MB Subject of
# spaces, `\s*[\r\n]+\s*` rescanned the rest of the run looking for a line break (quadratic).
_FOLD = re.compile(r"(?<!\s)\s*[\r\n]+\s*")


def _one_line(text: str) -> str:
    if "\n" not in text and "\r" not in text:
        return text.strip()  # nothing _FOLD could match: most header values
    return _FOLD.sub(" ", text).strip()


def normalize_text(text: str) -> str:
    """Line endings, non-breaking and zero-width spaces normalised; nothing else changed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return _ZERO_WIDTH.sub("", text)


# html2text escapes Markdown with these MULTILINE patterns; from every line start of a run of blank lines in a text
# node their `\s*` scanned the rest of the run (a minute for 62 kB of newlines, hours for 1 MB). Indentation that may
# not cross a line break escapes the same characters. Swapped only while html2text still writes them this way.
_HTML2TEXT_ESCAPES = {
    "RE_MD_DOT_MATCHER": (r"^(\s*\d+)(\.)(?=\s)", r"^([^\S\n]*\d+)(\.)(?=\s)"),
    "RE_MD_PLUS_MATCHER": (r"^(\s*)(\+)(?=\s)", r"^([^\S\n]*)(\+)(?=\s)"),
    "RE_MD_DASH_MATCHER": (r"^(\s*)(-)(?=\s|\-)", r"^([^\S\n]*)(-)(?=\s|\-)"),
}
for _name, (_theirs, _ours) in _HTML2TEXT_ESCAPES.items():
    _current = getattr(html2text.config, _name, None)
    if isinstance(_current, re.Pattern) and re.sub(r"#.*|\s", "", _current.pattern) == _theirs:
        setattr(html2text.config, _name, re.compile(_ours, re.MULTILINE))

_TAG = re.compile(r"<[^>]+>")


def strip_tags(html: str) -> str:
    """Every tag replaced by a space: the fallback when html2text gives up."""
    # No tag starts after the last '>': leaving that tail out keeps each '<' from scanning to the end of a body of
    # unclosed '<' (quadratic), and changes nothing else.
    end = html.rfind(">") + 1
    return _TAG.sub(" ", html[:end]) + html[end:]


# Indentation only, not line breaks: with `\s*` every line start of 100k blank lines scanned all the blank
# lines after it for a backslash (quadratic). The backslash removed is the same one.
_ESCAPED_MARK = re.compile(r"(?m)^([^\S\n]*)\\([-+#>])")
_ESCAPED_NUMBER = re.compile(r"(?m)^([^\S\n]*\d+)\\\.")
# From the first blank of a run only: `[ \t]+$` retried from every blank of a 1 MB run of spaces inside a line.
_TRAILING_BLANKS = re.compile(r"(?<![ \t])[ \t]+$", re.MULTILINE)


# A '<' that no '>' closes before the next '<' starts no tag: the stdlib's HTMLParser (under html2text) rescans the
# rest of the body from every such '<' (CVE-2025-6069, fixed in CPython 3.11.13; 210 KB of "<a " took over 5 minutes
# on 3.11.7). The same for marked sections: it looks for "]]>" after "<![CDATA[" (and "]>" after "<![if") from every
# opener with none after it (1.1 MB of "<![CDATA[ >": 14 s). Past a few hundred of them (a few hundred rescans cost
# well under a second even of 1 MB) they are written as text ("&lt;"), parsed once; below that the HTML goes as it
# is, so ordinary mail reads exactly as before (a browser would take "<a <b>" as one tag, for one).
_UNCLOSED_LT = re.compile(r"<(?=[^<>]*(?:<|\Z))")
_MARKED_SECTION = re.compile(r"<!\[")
_DOUBLE_CLOSED_SECTION = re.compile(r"<!\[\s*(?:cdata|temp|ignore|include|rcdata)\b", re.IGNORECASE)
_RESCANS_ALLOWED = 256
# What a defused '<' is written as: a private-use character html2text passes through as plain text, put back as
# '<' after it. "&lt;" read the same, but html2text handles every entity as an event of its own (333,000 of them
# took 11 s for 1 MB of "<a "); as one run of text it is parsed in a fraction of that. A body that already holds
# the character gets "&lt;", so nothing of its own is changed.
_DEFUSED = "\ue000"


def _defuse_unclosed(html: str) -> str:
    lt = _DEFUSED if _DEFUSED not in html else "&lt;"
    if len(_UNCLOSED_LT.findall(html)) > _RESCANS_ALLOWED:
        html = _UNCLOSED_LT.sub(lt, html)
    if "<![" not in html:
        return html
    # "]]>" ends with "]>", so the last "]]>" never lies after the last "]>".
    any_close = html.rfind("]>") + 2 if "]>" in html else 0
    double_close = html.rfind("]]>") + 3 if "]]>" in html else 0
    head, middle, tail = html[:double_close], html[double_close:any_close], html[any_close:]
    if len(_DOUBLE_CLOSED_SECTION.findall(middle)) + tail.count("<![") <= _RESCANS_ALLOWED:
        return html
    middle = _DOUBLE_CLOSED_SECTION.sub(lambda m: lt + m.group(0)[1:], middle)
    return head + middle + _MARKED_SECTION.sub(lt + "![", tail)


def html_to_text(html: str) -> str:
    """HTML body to plain text with html2text; blockquotes become `>` quotes so threads still split."""
    defused = _defuse_unclosed(html)
    placeholders = defused is not html and _DEFUSED not in html
    html = defused
    converter = html2text.HTML2Text()
    converter.body_width = 0  # never re-wrap: header lines must stay whole
    converter.ignore_links = True  # "<a href=mailto:x>x</a>" must read as x, not [x](mailto:x)
    converter.ignore_images = True
    converter.ignore_emphasis = True  # Outlook's <b>From:</b> would otherwise read **From:**
    converter.ignore_tables = True
    converter.unicode_snob = True
    try:
        text = converter.handle(html)
    except Exception:  # html2text on hostile markup
        log.warning("html2text failed on a body; using tag-less fallback")
        text = strip_tags(html)
    # html2text escapes Markdown at line starts ("\\-----", "1\\.") and marks <br> with two trailing
    # spaces; both would hide forward separators and numbered lines from the splitter.
    text = _ESCAPED_MARK.sub(r"\1\2", text)
    text = _ESCAPED_NUMBER.sub(r"\1.", text)
    text = _TRAILING_BLANKS.sub("", text)
    if placeholders:
        text = text.replace(_DEFUSED, "<")
    return normalize_text(text)


def body_text(mail: ParsedMail) -> tuple[str, bool]:
    """The best plain-text body of a mail and whether it came from HTML."""
    if mail.text.strip():
        return mail.text, False
    if mail.html.strip():
        return html_to_text(mail.html), True
    return "", False


# -- addresses and dates --------------------------------------------------------------------------------

# Linear on hostile header values (a 1 MB To: of "a@" or of "<mailto:" repeated): an address splits at its first
# '@' after its first character, and a link target or bracket stops at the next '<' or '['. With
# `[^<>\s]+@[^<>\s]+` every '@' of a run was tried as the split and each retry rescanned the run (quadratic, cubic
# with a '<mailto:' to find), and `<mailto:[^>]*>` scanned to the end of the value from every "<mailto:".
# "Name <a@b<mailto:a@b>>" -> "Name <a@b>"
_NESTED_MAILTO = re.compile(r"<([^<>\s][^<>\s@]*@[^<>\s]+)<mailto:[^<>]*>>", re.IGNORECASE)
# "a@b<mailto:a@b>" -> "a@b"; the address starts where its run of non-space characters starts (the lookbehind).
_ECHOED_MAILTO = re.compile(r"(?<![^\s<>])([^\s<>][^\s<>@]*@[^\s<>]+)\s*<mailto:[^<>]*>", re.IGNORECASE)
# "Name [mailto:a@b]" -> "Name <a@b>", "<mailto:a@b>" -> "<a@b>"
_BRACKET_MAILTO = re.compile(r"\[mailto:([^\[\]]+)\]", re.IGNORECASE)
_ANGLE_MAILTO = re.compile(r"<mailto:([^<>]+)>", re.IGNORECASE)
# "Name [a@b]" (Outlook) -> "Name <a@b>"
_BRACKET_ADDRESS = re.compile(r"\[([^\[\]\s][^\[\]\s@]*@[^\[\]\s]+)\]")


def clean_address_text(text: str) -> str:
    """Undo Outlook's `a@b<mailto:a@b>` and `[mailto:a@b]` artefacts and stray markup."""
    text = text.replace("\u00a0", " ").strip().strip("*").strip()
    # Each pattern needs its "mailto:" (any case) or its "[": most values have neither and skip the five scans.
    if "mailto:" in text.lower():
        text = _NESTED_MAILTO.sub(r"<\1>", text)
        text = _ECHOED_MAILTO.sub(r"\1", text)
        text = _BRACKET_MAILTO.sub(r"<\1>", text)
        text = _ANGLE_MAILTO.sub(r"<\1>", text)
    if "[" in text:
        text = _BRACKET_ADDRESS.sub(r"<\1>", text)
    return text.strip()


# The lookbehind starts a search only where a run of address characters starts: from every start inside a 1 MB
# run without '@' the local part scanned to the end of the run (quadratic).
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9.!#$%&'*+/=?^_`{|}~-])"
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+"
)


# Values up to this long are remembered: the same lines are read several times for one mail (the header, the
# thread's attribution lines, the customer's known names) and from mail to mail (the team's own addresses).
_REMEMBERED_ADDRESS_TEXT = 2000


def all_addresses(text: str) -> list[tuple[str | None, str | None]]:
    """Every (name, email) in a header-like value; `;` separated Outlook lists included."""
    if len(text) <= _REMEMBERED_ADDRESS_TEXT:
        return list(_remembered_addresses(text))
    return _all_addresses(text)


@functools.lru_cache(maxsize=8192)
def _remembered_addresses(text: str) -> tuple[tuple[str | None, str | None], ...]:
    return tuple(_all_addresses(text))


def forget_remembered() -> None:
    """Empty the caches of address readings (bench/pipeline_speed.py measures every mail as a new one)."""
    _remembered_addresses.cache_clear()
    _address_defective.cache_clear()


def _all_addresses(text: str) -> list[tuple[str | None, str | None]]:
    text = clean_address_text(text)
    if not text:
        return []
    # Outlook separates with ';' and leaves names unquoted ("Doe, John <j@x>"): split on ';' first.
    chunks = [c for c in _SEMICOLON.split(text) if c.strip()] if ";" in text else [text]
    found: list[tuple[str | None, str | None]] = []
    for chunk in chunks:
        if "@" not in chunk:
            # Outlook prints senders from the address book by name only ("From: Doe, Jane").
            found.append((_clean_name(chunk), None))
            continue
        if chunk.count("@") <= 1 and "<" in chunk:
            found.append(_one_address(chunk))
            continue
        bare = chunk.strip(" \t\r\n")  # what the parser skips around an address
        if _EMAIL.fullmatch(bare):
            # A bare address (one '@', none of the stdlib parser's specials but '.'): getaddresses hands it back
            # as it is, with no name, which would read as (None, address) below; without the parser's cost.
            found.append((None, bare.lower()))
            continue
        try:
            pairs = email.utils.getaddresses([chunk])
        except Exception:
            pairs = []
        for name, addr in pairs:
            if addr and _EMAIL.fullmatch(addr):
                found.append((_clean_name(name), addr.lower()))
            elif name or addr:
                found.append(_one_address(f"{name} {addr}"))
    return [pair for pair in found if pair[0] or pair[1]]


# Split at the first '@' after the first character: "<a@a@a@...>" tried every '@' with a rescan each (quadratic).
_ANGLE_ADDRESS = re.compile(r"<\s*([^<>\s][^<>\s@]*@[^<>\s]+)\s*>")


def _one_address(text: str) -> tuple[str | None, str | None]:
    match = _ANGLE_ADDRESS.search(text)
    if match:
        name = text[: match.start()] + text[match.end() :]
        return _clean_name(name), match.group(1).lower()
    match = _EMAIL.search(text)
    if match:
        name = text[: match.start()] + text[match.end() :]
        return _clean_name(name), match.group(0).lower()
    return _clean_name(text), None


def _clean_name(name: str | None) -> str | None:
    if not name:
        return None
    # Outlook quotes names in the writer's language: "John", «John», „John”, “John”.
    name = _SPACES.sub(" ", name).strip().strip(",;:").strip().strip("\"'`«»„“”‚‘’").strip()
    name = name.strip("()[]<>").strip()
    if not name or _EMAIL.fullmatch(name):
        return None
    return name


def first_address(text: str) -> tuple[str | None, str | None]:
    pairs = all_addresses(text)
    return pairs[0] if pairs else (None, None)


def parse_rfc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        # RFC 5322 "-0000" means "no idea"; UTC is the only honest reading.
        from datetime import UTC

        parsed = parsed.replace(tzinfo=UTC)
    return parsed
