"""Split one handoff mail into the conversation it carries, oldest message first.

How a thread is read:
1. Mails forwarded as attachments (`ParsedMail.embedded`, any depth) come first, each read the same way.
2. The body (plain text, else the HTML converted by html2text) is scanned line by line for the start
   of an older message: a forward separator with its header block, a header block alone (New
   Outlook), a one-line Yahoo block, or a reply attribution ("On ... wrote:"). Quoted (`>`) and
   Outlook-for-Mac indented regions are unquoted and read again, so a forward inside a reply inside
   a forward is found at any depth. Text quoted with no attribution is dropped: its author is unknown
   and the quoting message carries what matters.
3. Dates are parsed with dateparser in the timezone of the mail that printed them; numeric dates
   ("03/04/2024") are ordered by what the thread proves (see `dates.resolve_order`).
4. Signatures and disclaimers are split off each body (`signature.split_signature`).
5. A message seen twice (attached and quoted) is kept once, the copy with real headers winning.
The outer mail's own new text is always the last message, with `source="outer"`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from handoff.model import ParsedMail, ThreadMessage
from handoff.parse import dates, subjects
from handoff.parse.mime import all_addresses, body_text, normalize_text
from handoff.parse.patterns import (
    COLONLESS_ABOVE_QUOTE,
    COLONLESS_VERBS,
    CYPHT_LAST_WORDS,
    SECOND_MEANING,
    attribution,
    colonless_attribution,
    cypht_attribution,
    ends_forward,
    inline_block,
    is_quoted,
    label_line,
    may_wrap_attribution,
    nextcloud_attribution,
    separator,
    unquote,
    yahoo_block,
)
from handoff.parse.signature import split_signature

# Compiled once: they run for every line or header read (re.sub with a string looks the pattern up each time).
_BLANK_LINES = re.compile(r"\n{3,}")
_CLOSING_DASHES = re.compile(r"^-{20,}$")
_NON_WORD = re.compile(r"\W+")
_SPACES = re.compile(r"\s+")

# Like quotequail: fewer '>' lines than this, with no attribution, stay part of the text.
MIN_QUOTED_LINES = 3
_ATTRIBUTION_ENDS = (":", "：", *COLONLESS_VERBS, *COLONLESS_ABOVE_QUOTE)
MAX_DEPTH = 30  # quoting levels; real threads stay far below, hostile ones must not recurse forever
# A sender read from an attribution with no quote below it and no address: more than five words, or a comma and then
# a lowercase word ("On <date> I ordered a blender, and my neighbour wrote:"), is a sentence of the text, not a name.
# (The words are counted with str.split, not a pattern, so a long run costs one pass.)
_COMMA_LOWER = re.compile(r",\s*[a-z]")
_FORWARD_SOURCES = frozenset(
    {
        "gmail-forward",
        "thunderbird-forward",
        "yahoo-forward",
        "zoho-forward",
        "outlook-original",
        "outlook-rule",
        "apple-forward",
        "forward",
        "header-block",
        "rfc822",
    }
)


def is_forward_source(source: str) -> bool:
    """True for messages that were forwarded (as opposed to quoted in a reply)."""
    return source in _FORWARD_SOURCES


@dataclass
class _Seg:
    fields: dict[str, str] | None  # None: written by the author of the text it was found in
    source: str
    lines: list[str] = field(default_factory=list)


@dataclass
class _Boundary:
    source: str
    fields: dict[str, str]
    end: int


@dataclass
class _Pending:
    from_name: str | None
    from_email: str | None
    subject: str | None
    body: str
    source: str
    date: datetime | None = None
    date_text: str | None = None
    tz: tzinfo | None = None
    date_header: str | None = None  # the raw Date: of a mail ("... +0100 (CET)"), for the zone it names
    headers: tuple[tuple[str, str], ...] = ()
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()


def split_thread(mail: ParsedMail) -> list[ThreadMessage]:
    """The messages of the conversation, oldest first; the outer mail's own text is the last one."""
    pending = _mail_messages(mail, "outer", 0)
    _resolve_dates(pending, mail.date)
    messages = []
    for item in pending:
        body, signature = split_signature(item.body)
        messages.append(
            ThreadMessage(
                from_name=item.from_name,
                from_email=item.from_email,
                sent_at=item.date,
                subject=item.subject or None,
                body=body,
                signature=signature,
                source=item.source,
                headers=item.headers,
                to=item.to,
                cc=item.cc,
            )
        )
    return _dedupe(messages, [item.date_text for item in pending])


# -- one mail -------------------------------------------------------------------------------------------


def _mail_messages(mail: ParsedMail, source: str, depth: int) -> list[_Pending]:
    out: list[_Pending] = []
    for inner in mail.embedded:
        out.extend(_mail_messages(inner, "rfc822", depth + 1))
    text, _ = body_text(mail)
    segments = split_text(text)
    tz = mail.date.tzinfo if mail.date else None
    quoted = [_from_segment(seg, tz) for seg in segments[1:]]  # newest first
    # An attribution ("On ..., X wrote:") or a header block without Subject still quotes a message of this
    # conversation: it keeps the subject of the message quoting it, bare of the forward prefix the forwarder
    # added (Outlook 2019's forward of a reply prints the subject only on the outer mail). "Re:" stays: the
    # reply it belongs to may be the quoted message itself.
    subject = _unforwarded(mail.subject)
    for item in quoted:
        item.subject = item.subject or subject
        subject = _unforwarded(item.subject)
    out.extend(reversed(quoted))
    out.append(
        _Pending(
            from_name=mail.from_name,
            from_email=mail.from_email,
            subject=mail.subject,
            body=_body(segments[0].lines),
            source=source,
            date=mail.date,
            date_header=mail.header("date"),
            headers=mail.headers if source == "rfc822" else (),
            to=tuple(mail.to),
        )
    )
    return out


# Exchange prints a sender of its own organisation by legacyExchangeDN, not by address, when a mail leaves it as a
# forward: "From: Doe, Jane </O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN=...>".
# The DN is no address and no part of the name; the name alone is what is known. `[^<>]` stops at the next bracket.
_EXCHANGE_DN = re.compile(r"<\s*/o=[^<>]*>", re.IGNORECASE)


def _without_dn(value: str) -> str:
    return _EXCHANGE_DN.sub("", value) if "/" in value else value


def _from_segment(seg: _Seg, tz: tzinfo | None) -> _Pending:
    fields = {k: _without_dn(v) if k in ("from", "to", "cc") else v for k, v in (seg.fields or {}).items()}
    name, email = None, None
    pairs = all_addresses(fields.get("from", ""))
    if pairs:
        name, email = pairs[0]
    return _Pending(
        from_name=name,
        from_email=email,
        subject=_clean_subject(fields.get("subject")),
        body=_body(seg.lines),
        source=seg.source,
        date_text=fields.get("date") or None,
        tz=tz,
        to=_formatted(fields.get("to", "")),
        cc=_formatted(fields.get("cc", "")),
    )


def _formatted(value: str) -> tuple[str, ...]:
    out = []
    for name, addr in all_addresses(value):
        if addr:
            out.append(f"{name} <{addr}>" if name else addr)
    return tuple(out)


def _unforwarded(subject: str | None) -> str | None:
    # Outlook's and webmail's forward prefixes in every language handoff meets (one list, handoff/parse/subjects.py).
    return subjects.strip_forward(subject) or None


def _clean_subject(value: str | None) -> str | None:
    if not value:
        return None
    return _SPACES.sub(" ", value).strip() or None


# Outlook's plain-text rendering of links and inline images: "a@b.com<mailto:a@b.com>", "[cid:image001.png@01D...]".
# Linear on hostile input: the address may only start where a run of non-space characters starts (the lookbehind),
# its first '@' after the first character is the only split tried, and the link target stops at '<'. The old
# `([^\s<>]+@[^\s<>]+)<mailto:[^>\s]*>` retried every start inside a run and every '@' in it: an hour on a 1 MB
# line without spaces ("a@"*500000, or "a@b<mailto:" repeated with no '>').
_MAILTO_ECHO = re.compile(r"(?<![^\s<>])([^\s<>][^\s<>@]*@[^\s<>]+)<mailto:[^<>\s]*>", re.IGNORECASE)
# "[cid:" repeated with no ']' made `[^\]\s]+` rescan the rest of the run from each "[cid:": '[' ends it now.
_CID = re.compile(r"\[cid:[^\[\]\s]+\]", re.IGNORECASE)


def _body(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines)
    text = _CID.sub("", _MAILTO_ECHO.sub(r"\1", text))
    return _BLANK_LINES.sub("\n\n", text).strip()


# -- text -> segments -----------------------------------------------------------------------------------


def split_text(text: str) -> list[_Seg]:
    """Segments of a body, newest first; segment 0 is the text's own author (fields None)."""
    text = normalize_text(text)
    lines = text.split("\n")
    if ":>" in text:  # one search of the whole text, not a loop over its lines
        lines = _unglued(lines)
    return _split(lines, 0)


_QUOTE_PREFIX = re.compile(r"^[>\s]*")


def _unglued(lines: list[str]) -> list[str]:
    """A client that re-wrapped the text glued the quote to its attribution ("... wrote:> The parcel ..."): the
    attribution goes on a line of its own, the quoted text below it. (Only lines with ":>" are looked at, at most
    three of them in one line.)"""
    out: list[str] = []
    for line in lines:
        at = line.find(":>")
        if at != -1 and line.count(":>") <= 3:
            prefix = _QUOTE_PREFIX.match(line).group(0)  # type: ignore[union-attr]
            if attribution(line[len(prefix) : at + 1].strip()):
                # the lost line break was the next line's own: its '>' markers are all there already
                out.extend((line[: at + 1], line[at + 1 :]))
                continue
        out.append(line)
    return out


def _split(lines: list[str], depth: int) -> list[_Seg]:
    segments = [_Seg(None, "")]
    current = segments[0]
    if depth > MAX_DEPTH:
        current.lines = list(lines)
        return segments
    enclosing: list[_Seg] = []  # the segments the open forwards were found in, for their closing banners
    # The message an attribution introduced with its quote at this level, while the text after the quote is the
    # newer author's again: further quoted pieces without an attribution are more of it (inline answers).
    answered: _Seg | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if line[:1] == "-" and ends_forward(line):  # the banner starts its line: a cheap test for every line
            # mutt closes a forward: the banner is nobody's text, and what follows is again the forwarder's.
            current = enclosing.pop() if enclosing else current
            index += 1
            continue
        if is_quoted(line):
            end = _region_end(lines, index, is_quoted)
            inner = _split(unquote(lines[index:end]), depth + 1)
            if len(inner) == 1 and answered is not None:
                # Inline answers: the newer author cut the quoted message into pieces and answered below each. A
                # piece with no attribution of its own belongs to the message the attribution above introduced.
                answered.lines.extend(["", *inner[0].lines])
            elif len(inner) == 1 and _nonblank(lines[index:end]) < MIN_QUOTED_LINES:
                # "> 3 are broken": a line or two starting with '>' is more likely text than a quote.
                current.lines.extend(lines[index:end])
            else:
                # Quoted without an attribution: the author is unknown, so the text itself is dropped;
                # any message with real headers inside the quote is still a message of the thread.
                segments.extend(inner[1:])
            index = end
            continue
        boundary = _boundary_at(lines, index)
        if boundary is None:
            current.lines.append(line)
            index += 1
            continue
        start = _next_nonblank(lines, boundary.end)
        region: list[str] | None = None
        end = boundary.end
        if start is not None and is_quoted(lines[start]):
            end = _region_end(lines, start, is_quoted)
            region = unquote(lines[start:end])
        elif start is not None and _indented(lines[start]) and boundary.source in ("reply-quote", "header-block"):
            # Outlook for Mac indents the quoted message by four spaces instead of '>', all of it to the end. A
            # line or two indented and more text after them is the quoted message's own layout (K-9 and clients
            # converting HTML indent its first line): then the message is the text below, unindented as it is.
            end = _region_end(lines, start, _indented_or_blank)
            if _nonblank(lines[start:end]) >= MIN_QUOTED_LINES or _next_nonblank(lines, end) is None:
                region = _dedent(lines[start:end])
            else:
                end = boundary.end
        if region is not None:
            inner = _split(region, depth + 1)
            head = inner[0]
            if not boundary.fields and not _body(head.lines) and len(inner) > 1:
                # "Begin forwarded message:" followed by a quoted header block: one message, not two.
                inner = inner[1:]
                if inner[0].source == "header-block":
                    inner[0].source = boundary.source
            else:
                head.fields = boundary.fields
                head.source = boundary.source
            segments.extend(inner)
            # Text below the quote (bottom posting, inline answers) stays with the newer author; a reply's quote
            # holding no older message may go on in pieces between the answers.
            answered = head if boundary.source == "reply-quote" and len(inner) == 1 else None
            index = end
            continue
        enclosing.append(current)
        answered = None
        current = _Seg(boundary.fields, boundary.source)
        segments.append(current)
        index = boundary.end
    return segments


def _boundary_at(lines: list[str], index: int) -> _Boundary | None:
    text = lines[index].strip()
    if not text:
        return None
    block = yahoo_block(text)
    if block:
        end = index + 1
        # The forwarder's client may wrap the long line ("... To:" / "b@x Sent: ... GMT-4" / "Subject: ..."): the
        # block goes on over the lines right below it until Subject, the last of Yahoo's labels, has been read,
        # each of them bringing a label of its own (a text line right below a block without Subject does not).
        while "subject" not in block and end < len(lines) and end - index <= 4:
            below = lines[end].strip()
            if not below or is_quoted(lines[end]):
                break
            joined = yahoo_block(f"{text} {below}")
            if joined is None or len(joined) <= len(block):
                break
            text, block, end = f"{text} {below}", joined, end + 1
        return _Boundary("yahoo-forward", block, end)
    sep = separator(text)
    if sep:
        start = _next_nonblank(lines, index + 1)
        if start is not None and is_quoted(lines[start]):
            inner = unquote([lines[start]])[0]
            if not sep.needs_headers or label_line(inner):
                return _Boundary(sep.source, {}, index + 1)
        if start is not None and start - index <= 3:
            found = _header_block(lines, start, lenient=True)
            if found:
                end = found[1]
                # Zoho Mail closes the block with its separator line again, SquirrelMail with a line of dashes
                # (getforwardHeader: 74 of them): neither is text of the message.
                if end < len(lines) and (lines[end].strip() == text or _CLOSING_DASHES.match(lines[end].strip())):
                    end += 1
                return _Boundary(sep.source, found[0], end)
        if not sep.needs_headers:
            return _Boundary(sep.source, {}, index + 1)
        # A dashed line with no headers below may still be an attribution (Zoho's "---- On ... wrote ----").
    for size in (1, 2, 3):
        window = lines[index : index + size]
        if len(window) < size or any(not w.strip() or is_quoted(w) for w in window):
            break
        if size > 1 and not may_wrap_attribution(text):
            break
        last = window[-1].rstrip()
        if (
            last.endswith(">")
            and (below := _next_nonblank(lines, index + size)) is not None
            and is_quoted(lines[below])
        ):
            # Gmail for Android's "2013/11/1 John Smith <john@smith.org>" has no colon: only right above a quote.
            bare = colonless_attribution(" ".join(w.strip() for w in window).replace("< ", "<"))
            if bare:
                return _Boundary("reply-quote", {"date": bare[0], "from": bare[1]}, index + size)
        if (
            size == 1
            and text[:1] == '"'
            and (below := _next_nonblank(lines, index + 1)) is not None
            and is_quoted(lines[below])
        ):
            # Nextcloud Mail's `"Name" a@b – <date>` has no verb and no colon: only right above a quote.
            dashed = nextcloud_attribution(text)
            if dashed:
                return _Boundary("reply-quote", {"date": dashed[0], "from": dashed[1]}, index + 1)
        # Cypht's lead-in ends with its verb and mostly no colon ("On <date> Name a@b said"): only above a quote. It
        # names a bare address, on the first line or (wrapped before it) the last: a cheap test before the verbs'.
        cypht = ("@" in text or "@" in last) and last.endswith(CYPHT_LAST_WORDS)
        ends_like_one = cypht or last.endswith(_ATTRIBUTION_ENDS)
        if size > 1 and not ends_like_one:
            continue  # a wrapped attribution ends with its colon: no need to join and read the lines
        # Only a line that ends like an attribution may need to know whether a quote follows it.
        quoted_below = (
            ends_like_one and (below := _next_nonblank(lines, index + size)) is not None and is_quoted(lines[below])
        )
        # A wrap inside the address ("Анна <" / "anna@example.ru>:") must not leave a space in it.
        joined = " ".join(w.strip() for w in window).replace("< ", "<")
        found_attr = attribution(joined, above_quote=quoted_below)
        if not found_attr and cypht:
            # Cypht's HTML reply puts a rule between its lead-in and the blockquote (`nl2br($lead_in).'<hr
            # /><blockquote>'`), which html2text writes as "* * *": the rule is no one's text.
            end = index + size if quoted_below else _rule_above_quote(lines, index + size)
            if end is not None and (cypht_found := cypht_attribution(joined)):
                return _Boundary("reply-quote", {"date": cypht_found[0], "from": cypht_found[1]}, end)
        if found_attr:
            date_text, sender = found_attr
            if not quoted_below and "@" not in sender and (len(sender.split()) > 5 or _COMMA_LOWER.search(sender)):
                # The customer's own sentence ("On <date> I ordered ..., and my neighbour wrote:") with their text
                # going on below, unquoted: no message starts here.
                break
            return _Boundary("reply-quote", {"date": date_text, "from": sender}, index + size)
    found = _header_block(lines, index, lenient=False)
    if found:
        return _Boundary("header-block", found[0], found[1])
    inline = inline_block(text)
    if inline:
        return _Boundary("header-block", inline, index + 1)
    return None


def _rule_above_quote(lines: list[str], start: int) -> int | None:
    """The index after html2text's horizontal rule ("* * *") when it is the next line with text from `start` and a
    quote follows it; else None."""
    rule = _next_nonblank(lines, start)
    if rule is None or lines[rule].strip() != "* * *":
        return None
    below = _next_nonblank(lines, rule + 1)
    return rule + 1 if below is not None and is_quoted(lines[below]) else None


def _header_block(lines: list[str], start: int, *, lenient: bool) -> tuple[dict[str, str], int] | None:
    """Fields of a header block starting at `start` and the index of the first line after it."""
    first = label_line(lines[start])
    # Below a separator the block may open with raw headers ("Return-Path:", "Message-ID:"); alone it may not.
    if first is None or (first[0] == "ignore" and not lenient):
        return None
    if not lenient and first[0] not in ("from", "subject", "date"):
        return None
    fields: dict[str, str] = {}
    # Continuation lines per field, joined once after the loop: appending to the string on every line copied it
    # each time, quadratic for a To: list of 100k wrapped addresses.
    more: dict[str, list[str]] = {}
    last: str | None = None
    index = start
    while index < len(lines):
        raw = lines[index]
        text = raw.strip()
        if not text:
            # html2text turns Outlook's one-paragraph-per-header into blank-separated lines.
            following = _next_nonblank(lines, index + 1)
            # BlackBerry leaves up to two blank lines between headers.
            if following is not None and following - index <= 3 and "subject" not in fields:
                found = label_line(lines[following])
                if found and found[0] not in fields and found[0] != "ignore":
                    index = following
                    continue
            break
        if is_quoted(raw):
            break
        found = label_line(text)
        if found:
            name, value = found
            if name in fields and (other := SECOND_MEANING.get(text.split(":", 1)[0].strip().lower())):
                name = other
            if name in fields:
                break  # a second From: starts the next block
            if not value and index + 1 < len(lines) and lines[index + 1].strip():
                if label_line(lines[index + 1]) is None:
                    value = lines[index + 1].strip()
                    index += 1
            if name != "ignore":
                fields[name] = value
            last = name
            index += 1
            continue
        if last in ("to", "cc", "bcc", "from", "reply-to") and (
            "@" in text or text.endswith((";", ",")) or text.startswith("<")
        ):
            more.setdefault(last, []).append(text)
            index += 1
            continue
        if last == "subject" and index + 1 < len(lines) and _continues_block(lines[index + 1], fields):
            # A long subject wrapped onto a second line; only when the block visibly goes on after it,
            # since New Outlook starts the body right below "Subject:" with no blank line.
            more.setdefault("subject", []).append(text)
            index += 1
            continue
        break
    for name, texts in more.items():
        fields[name] = " ".join(part for part in (fields[name], *texts) if part)
    if "from" not in fields:
        return None
    if not lenient:
        # With no separator above it, a block must look like one: a sender address, or a date that
        # reads as a date ("From: Jane Roe / Sent: Monday, ..."), so "From: the manual ..." is text.
        if not ("date" in fields or "subject" in fields) or len(fields) < 2:
            return None
        if "@" not in fields["from"] and (dates.parse_date(fields.get("date")) is None or "subject" not in fields):
            # A sender with no address ("From: Jane Roe", Outlook's address-book names) also needs the Subject line
            # every client prints in its block: "From: Berlin / To: Munich / Date: 27.10.2021" is a customer's trip.
            return None
    return fields, index


def _continues_block(line: str, fields: dict[str, str]) -> bool:
    found = label_line(line)
    return found is not None and found[0] not in fields and found[0] != "ignore"


def _nonblank(lines: list[str]) -> int:
    return sum(1 for line in lines if line.strip() and line.strip() != ">")


def _next_nonblank(lines: list[str], start: int) -> int | None:
    for index in range(start, len(lines)):
        if lines[index].strip():
            return index
    return None


def _region_end(lines: list[str], start: int, belongs) -> int:  # type: ignore[no-untyped-def]
    end = start
    index = start
    while index < len(lines):
        if belongs(lines[index]):
            end = index + 1
        elif lines[index].strip():
            break
        index += 1
    return end


def _indented(line: str) -> bool:
    return line.startswith(("    ", "\t")) and bool(line.strip())


def _indented_or_blank(line: str) -> bool:
    return not line.strip() or _indented(line)


def _dedent(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if line.startswith("\t"):
            out.append(line[1:])
        elif line.startswith("    "):
            out.append(line[4:])
        else:
            out.append(line.lstrip())
    return out


# -- dates and duplicates -------------------------------------------------------------------------------


def _resolve_dates(pending: list[_Pending], outer_date: datetime | None) -> None:
    hint = dates.order_hint(p.date_text for p in pending if p.date_text)
    upper = outer_date
    rule: tzinfo | None = None  # the quoting message's daylight-saving zone, when its date names one
    # Newest first: each quoted message is older than the message that quotes it.
    for item in reversed(pending):
        if item.date is None and item.date_text:
            # A date printed without a zone is in the local time of whoever quoted it: the newer message. Its offset
            # is that message's unless that message named its zone (CET, EDT...): then the zone's offset that day.
            zone = rule or (upper.tzinfo if upper is not None else item.tz)
            item.date = dates.resolve_order(item.date_text, upper, hint, zone)
            named = dates.zone_rule(item.date_text, item.date)
            if named is not None:
                rule = named
            elif rule is not None and dates.has_zone(item.date_text):
                rule = None  # its own offset, no rule: a zone-less one keeps the rule, as it was read in it
        elif item.date is not None:
            rule = dates.zone_rule(item.date_header, item.date)
        if item.date is not None:
            upper = item.date


def _who(message: ThreadMessage) -> str:
    return (message.from_email or message.from_name or "").lower()


def _fingerprint(text: str) -> str:
    return _NON_WORD.sub(" ", text).strip().lower()[:300]


def _same_time(first: ThreadMessage, second: ThreadMessage, texts: tuple[str | None, str | None]) -> bool:
    """Whether two copies with the same sender and text can be one message: an agent's "FYI" forwarded
    again a week later is a message of its own (an 11-level forward lost every repeated one). `texts` are the
    dates as the copies printed them: two dates no parser reads are still two moments when they differ."""
    if first.sent_at is None and second.sent_at is None and texts[0] and texts[1]:
        return _SPACES.sub(" ", texts[0]).strip().lower() == _SPACES.sub(" ", texts[1]).strip().lower()
    if first.sent_at is None or second.sent_at is None:
        return True
    # Quoted dates lose their seconds ("09:31" for 09:31:27): two minutes is the same moment.
    return abs((first.sent_at - second.sent_at).total_seconds()) <= 120


def _dedupe(messages: list[ThreadMessage], date_texts: list[str | None]) -> list[ThreadMessage]:
    """Keep one copy of a message that appears twice (attached and quoted, or quoted twice). `date_texts` are the
    printed dates of `messages`, position by position (None where the date came from a mail's own header)."""
    kept: list[ThreadMessage] = []
    kept_texts: list[str | None] = []
    seen: dict[tuple[str, str], int] = {}
    for message, date_text in zip(messages, date_texts, strict=True):
        body = _fingerprint(message.body)
        if not body or message.source == "outer":
            kept.append(message)
            kept_texts.append(date_text)
            continue
        key = (_who(message), body)
        if key in seen and _same_time(kept[seen[key]], message, (kept_texts[seen[key]], date_text)):
            position = seen[key]
            if kept[position].source != "rfc822" and message.source == "rfc822":
                kept[position] = message
                kept_texts[position] = date_text
            continue
        seen[key] = len(kept)
        kept.append(message)
        kept_texts.append(date_text)
    return [m for m in kept if m.source == "outer" or m.body or m.from_email or m.from_name]
