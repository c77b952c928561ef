"""Outlook's own formats inside a mail: TNEF (`winmail.dat`, `application/ms-tnef`) and attached `.msg` files.

Both are read into plain data (bodies, sender, time, files); `handoff.parse.mime` turns them into the body and
attachments of the mail (TNEF) or into an `embedded` message of the thread (.msg), exactly as it does with a
`message/rfc822` part. Everything here raises `OutlookFormatError` on input it cannot read, so the caller keeps
the part as a plain file and records a defect; nothing here logs content.

TNEF is decoded by tnefparse ([MS-OXTNEF]); its loops trust the counts written in the file (4 billion MAPI
properties in a 1 MB `winmail.dat` would run for hours), so `_check_tnef` walks the same structure first and
refuses any count the bytes cannot hold. Compressed RTF bodies are inflated by compressed-rtf ([MS-OXRTFCP]) and
turned into text by striprtf.

.msg ([MS-OXMSG]) is an OLE compound file read with olefile; the few MAPI properties a forwarded message needs
are read here rather than through a .msg library: extract-msg is GPL-3 and python-oxmsg does not read a message
attached to a message (attach method 5, how Outlook stores a mail dragged onto a mail, i.e. a forwarded thread).
"""

from __future__ import annotations

import io
import logging
import mimetypes
import re
import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import compressed_rtf
import olefile
from striprtf.striprtf import rtf_to_text
from tnefparse.tnef import TNEF

# tnefparse logs at WARNING/ERROR for every odd byte (checksums, unknown attributes, a broken property list):
# a crafted winmail.dat would flood the log, and what went wrong is recorded as a defect of the mail instead.
logging.getLogger("tnefparse").setLevel(logging.CRITICAL)

TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"
OLE_MAGIC = olefile.MAGIC
TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
MSG_TYPES = frozenset({"application/vnd.ms-outlook", "application/x-msg", "application/x-ms-msg"})

# More TNEF attributes than a real winmail.dat carries (about 15 for the message and 7 per file). tnefparse copies
# the rest of the file for every attribute it reads, so their number bounds its time on a crafted file.
MAX_TNEF_OBJECTS = 512
# More MAPI properties than all the lists of a real winmail.dat hold (a few hundred): tnefparse spends some 3 us
# on each, and 8 bytes of a crafted file make one.
MAX_TNEF_PROPERTIES = 8192
# Levels of a forwarded mail inside a forwarded mail: an agent forwarding the forward as an attachment again and
# again reaches 11 (issue 14); mime.py reads attached mails 12 deep (MAX_EMBED_DEPTH), so does the .msg reader.
# Deeper levels are left out with a defect, the levels above them kept.
MAX_DEPTH = 12
MAX_MSG_ATTACHMENTS = 500
MAX_RTF_COMPRESSED = 2 << 20


class OutlookFormatError(ValueError):
    """The bytes are not a readable TNEF or .msg file; the message says why (no content)."""


class NotAMail(OutlookFormatError):
    """A .msg of another Outlook item (a contact, an appointment, a task): a file, not a message of the thread."""


@dataclass(frozen=True)
class OutlookFile:
    filename: str
    content_type: str
    content: bytes
    content_id: str | None = None


@dataclass(frozen=True)
class TnefContent:
    text: str = ""
    html: str = ""
    # Content-IDs an RTF body shows as pictures (they are not in `text`).
    body_cids: tuple[str, ...] = ()
    files: tuple[OutlookFile, ...] = ()
    defects: tuple[str, ...] = ()


@dataclass(frozen=True)
class MsgContent:
    subject: str = ""
    sender_name: str | None = None
    sender_email: str | None = None
    sent_at: datetime | None = None
    message_id: str | None = None
    # The message's Internet headers as Outlook kept them (PidTagTransportMessageHeaders), "" for a draft.
    transport_headers: str = ""
    to: tuple[str, ...] = ()
    text: str = ""
    html: str = ""
    body_cids: tuple[str, ...] = ()
    files: tuple[OutlookFile, ...] = ()
    embedded: tuple[MsgContent, ...] = ()
    defects: tuple[str, ...] = ()


def is_tnef(content_type: str, filename: str | None, content: bytes) -> bool:
    named = (filename or "").strip().lower() in ("winmail.dat", "win.dat")
    return content_type in TNEF_TYPES or named or content.startswith(TNEF_SIGNATURE)


def is_msg(content_type: str, filename: str | None) -> bool:
    return content_type in MSG_TYPES or (filename or "").strip().lower().endswith(".msg")


def guess_type(filename: str) -> str:
    return mimetypes.guess_type(filename, strict=False)[0] or "application/octet-stream"


# One line holding only a cid: reference; [^\S\n] so a run of blank lines is not rescanned from each line start.
_CID_LINE = re.compile(r"(?m)^[^\S\n]*\[?cid:([^\s\]]+)\]?[^\S\n]*$")


def rtf_body(compressed: bytes | None) -> tuple[str, tuple[str, ...]]:
    """Plain text of a compressed RTF body (PidTagRtfCompressed); Outlook's HTML wrapped in RTF (\\fromhtml1)
    reads as its text too. The RTF body is what Outlook sends when it sends no other. Also the Content-IDs of the
    pictures the body shows (each reads as a line "cid:image003.jpg@01D2EE6A.85652C70", left out of the text)."""
    if not compressed:
        return "", ()
    if len(compressed) > MAX_RTF_COMPRESSED:
        # compressed-rtf inflates byte by byte in Python (a few MB a second): a bigger body is left out, said why.
        raise OutlookFormatError(f"RTF body over {MAX_RTF_COMPRESSED // (1 << 20)} MB not read")
    try:
        # The trailing NUL as tnefparse adds it: some writers end the stream one byte short of its stated size.
        rtf = compressed_rtf.decompress(compressed + b"\x00")
    except Exception as exc:  # a wrong CRC or a truncated stream
        raise OutlookFormatError(f"compressed RTF body unreadable ({type(exc).__name__})") from exc
    try:
        text = rtf_to_text(rtf.decode("latin-1"), encoding="cp1252", errors="replace")
    except Exception as exc:  # striprtf on hostile RTF
        raise OutlookFormatError(f"RTF body unreadable ({type(exc).__name__})") from exc
    return _CID_LINE.sub("", text), tuple(m.group(1) for m in _CID_LINE.finditer(text))


# -- TNEF ------------------------------------------------------------------------------------------------------

_U16_STRUCT, _U32_STRUCT = struct.Struct("<H"), struct.Struct("<I")


def _u16(data: bytes, offset: int) -> int:
    return _U16_STRUCT.unpack_from(data, offset)[0]


def _u32(data: bytes, offset: int) -> int:
    return _U32_STRUCT.unpack_from(data, offset)[0]


# [MS-OXTNEF] 2.1.3.1: attMsgProps, attRecipTable, attAttachment carry MAPI property lists.
_ATT_MAPI_PROPS, _ATT_RECIP_TABLE, _ATT_ATTACHMENT = 0x9003, 0x9004, 0x9005
_FIXED_SIZES = {0x0002: 2, 0x000B: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4, 0x0048: 16}
_FIXED_SIZES.update(dict.fromkeys((0x0005, 0x0006, 0x0007, 0x0014, 0x0040), 8))
_VARIABLE = {0x0000, 0x001E, 0x001F, 0x000D, 0x0102}
_IMESSAGE_SIG = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"


def _check_tnef(data: bytes, depth: int = 0, seen: list[int] | None = None) -> None:
    """Refuse a TNEF stream whose counts cannot fit in its bytes, before tnefparse loops over them."""
    seen = [0] if seen is None else seen  # properties so far, nested TNEF included
    if depth > MAX_DEPTH:
        raise OutlookFormatError("TNEF nested too deep")
    if len(data) < 6 or not data.startswith(TNEF_SIGNATURE):
        raise OutlookFormatError("not TNEF (no signature)")
    offset, objects = 6, 0
    # The same walk as tnefparse's: an attribute is level(1) id(2) type(2) length(4) data checksum(2).
    while offset + 12 < len(data):
        objects += 1
        if objects > MAX_TNEF_OBJECTS:
            raise OutlookFormatError(f"TNEF has more than {MAX_TNEF_OBJECTS} attributes")
        name = _u16(data, offset + 1)
        end = offset + 11 + _u32(data, offset + 5)
        # A file cut short would come out of tnefparse as a shorter file, looking whole. Only the last checksum
        # may be missing: some writers leave it out (tnefparse's bad_checksum.tnef sample).
        if end > len(data) + 2:
            raise OutlookFormatError("TNEF truncated (an attribute runs past the end)")
        end = min(end, len(data))
        body = data[offset + 9 : max(offset + 9, end - 2)]
        if name in (_ATT_MAPI_PROPS, _ATT_ATTACHMENT):
            _check_props(body, 0, depth, seen)
        elif name == _ATT_RECIP_TABLE and len(body) >= 4:
            rows, at = _u32(body, 0), 4
            if rows > len(body) // 4:
                raise OutlookFormatError("TNEF recipient table longer than its bytes")
            for _ in range(rows):
                if at + 4 > len(body):
                    break  # tnefparse stops at the end too (it raises, the whole TNEF is refused then)
                at = _check_props(body, at, depth, seen)
        offset = end


def _check_props(data: bytes, offset: int, depth: int, seen: list[int]) -> int:
    """Walk one MAPI property list ([MS-OXTNEF] 2.1.3.4) as tnefparse's decode_mapi does; the offset after it."""
    size = len(data)
    if offset + 4 > size:
        return offset
    count = _u32(data, offset)
    offset += 4
    # Each property takes at least its 4-byte tag: more than that cannot be in the list.
    if count > (size - offset) // 4:
        raise OutlookFormatError("TNEF property list longer than its bytes")
    seen[0] += count
    if seen[0] > MAX_TNEF_PROPERTIES:
        raise OutlookFormatError(f"TNEF has more than {MAX_TNEF_PROPERTIES} MAPI properties")
    for _ in range(count):
        if offset + 4 > size:
            return offset
        kind, prop = _u16(data, offset), _u16(data, offset + 2)
        offset += 4
        if prop >= 0x8000:  # a named property: GUID, then an id or a name
            if offset + 24 > size:
                return size
            offset += 20
            if _u32(data, offset - 4) != 0:
                offset += 4 + _padded(_u32(data, offset))
            else:
                offset += 4
        values = None
        if kind & 0x1000:
            kind ^= 0x1000
            if offset + 4 > size:
                return size
            values = _u32(data, offset)
            offset += 4
        if kind in _FIXED_SIZES:
            need = _FIXED_SIZES[kind] * (values or 1)
            if offset + need > size:
                raise OutlookFormatError("TNEF property values longer than their bytes")
            offset += need
            if (values or 1) % 2 and kind in (0x0002, 0x000B):
                offset += 2
        elif kind in _VARIABLE:
            if values is None:
                if offset + 4 > size:
                    return size
                values = _u32(data, offset)
                offset += 4
            if values > (size - offset) // 4:
                raise OutlookFormatError("TNEF property values longer than their bytes")
            for _ in range(values):
                if offset + 4 > size:
                    return size
                length = _padded(_u32(data, offset))
                offset += 4
                if prop == 0x3701 and data[offset : offset + 16] == _IMESSAGE_SIG:
                    # A mail attached inside the TNEF: tnefparse decodes it as TNEF of its own.
                    _check_tnef(data[offset + 16 : offset + length], depth + 1, seen)
                offset += length
        else:
            return size  # tnefparse stops at an unknown type: nothing after it is read
    return offset


def _padded(length: int) -> int:
    return length + (-length % 4)


def read_tnef(data: bytes) -> TnefContent:
    """The body and files of a winmail.dat; raises OutlookFormatError when it cannot be read."""
    _check_tnef(data)
    try:
        tnef = TNEF(data, do_checksum=False)
    except Exception as exc:
        raise OutlookFormatError(f"TNEF unreadable ({type(exc).__name__})") from exc
    defects: list[str] = []
    text = _tnef_string(tnef.body)
    html = _tnef_string(tnef.htmlbody)
    cids: tuple[str, ...] = ()
    if not text.strip() and not html.strip():
        try:
            text, cids = rtf_body(tnef._rtfbody)
        except OutlookFormatError as exc:
            defects.append(f"winmail.dat: {exc}")
    files: list[OutlookFile] = []
    for attachment in tnef.attachments:
        try:
            name = _clean_name(attachment.long_filename()) or "attachment"
            props = {p.name: p for p in attachment.mapi_attrs}
            content_type = _prop_str(props.get(0x370E)) or guess_type(name)
            content_id = _prop_str(props.get(0x3712)) or None
            content = attachment.data if isinstance(attachment.data, bytes) else b""
        except Exception as exc:
            defects.append(f"winmail.dat: a file unreadable ({type(exc).__name__})")
            continue
        if hasattr(attachment, "embed"):
            # A mail inside the TNEF: kept as the file it is, not read as a message of the thread.
            defects.append("winmail.dat: an attached Outlook item kept as a file")
        files.append(OutlookFile(name, content_type.lower(), content, content_id))
    if not text.strip() and not html.strip() and not files:
        # Nothing to show for it (random bytes after the signature read as a few unknown attributes): the file itself
        # is all a rep can be given.
        raise OutlookFormatError("no body and no files in it")
    return TnefContent(text=text, html=html, body_cids=cids, files=tuple(files), defects=tuple(defects))


def _tnef_string(value: object) -> str:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, bytes):
        # An 8-bit body without a code page: Outlook writes Windows-1252 unless told otherwise.
        try:
            return value.decode("utf-8").replace("\x00", "")
        except UnicodeDecodeError:
            return value.decode("cp1252", "replace").replace("\x00", "")
    return ""


def _prop_str(prop: object) -> str:
    if prop is None:
        return ""
    try:
        value = prop.data  # type: ignore[attr-defined]
    except Exception:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return str(value or "").replace("\x00", "").strip()


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _clean_name(name: str | None) -> str:
    return _CONTROL.sub("", name or "").strip()


# -- .msg ------------------------------------------------------------------------------------------------------

# [MS-OXPROPS] property ids and [MS-OXCDATA] 2.11.1 property types.
_PT_LONG, _PT_SYSTIME = 0x0003, 0x0040
_PT_STRING8, _PT_UNICODE, _PT_BINARY, _PT_OBJECT = 0x001E, 0x001F, 0x0102, 0x000D
_SUBJECT, _TRANSPORT_HEADERS, _CLIENT_SUBMIT_TIME, _DELIVERY_TIME = 0x0037, 0x007D, 0x0039, 0x0E06
_SENDER_NAME, _SENDER_ADDRTYPE, _SENDER_EMAIL, _SENDER_SMTP = 0x0C1A, 0x0C1E, 0x0C1F, 0x5D01
_SENT_REPR_NAME, _SENT_REPR_ADDRTYPE, _SENT_REPR_EMAIL, _SENT_REPR_SMTP = 0x0042, 0x0064, 0x0065, 0x5D02
_DISPLAY_TO, _INTERNET_MESSAGE_ID, _MESSAGE_CLASS = 0x0E04, 0x1035, 0x001A
# Message classes ([MS-OXCMSG] 2.2.1.3) of items that are not mail; IPM.Note, REPORT.* and meeting requests are.
_NOT_MAIL = ("IPM.CONTACT", "IPM.DISTLIST", "IPM.APPOINTMENT", "IPM.TASK", "IPM.STICKYNOTE", "IPM.ACTIVITY")
_BODY, _RTF_COMPRESSED, _HTML = 0x1000, 0x1009, 0x1013
_MESSAGE_CODEPAGE, _INTERNET_CODEPAGE = 0x3FFD, 0x3FDE
_ATTACH_DATA, _ATTACH_FILENAME, _ATTACH_METHOD, _ATTACH_LONG_FILENAME = 0x3701, 0x3704, 0x3705, 0x3707
_ATTACH_MIME_TAG, _ATTACH_CONTENT_ID, _DISPLAY_NAME = 0x370E, 0x3712, 0x3001
_ATTACH_BY_VALUE, _ATTACH_EMBEDDED_MSG = 1, 5
_ATTACH_PREFIX, _RECIP_PREFIX = "__attach_version1.0_#", "__recip_version1.0_#"
_RECIPIENT_TYPE, _ADDRTYPE, _EMAIL_ADDRESS, _SMTP_ADDRESS = 0x0C15, 0x3002, 0x3003, 0x39FE
_PROPERTIES = "__properties_version1.0"
# [MS-OXMSG] 2.4: the header before the 16-byte property entries.
_HEADER_TOP, _HEADER_EMBEDDED, _HEADER_OTHER = 32, 24, 8


def read_msg(data: bytes) -> MsgContent:
    """Sender, time, subject, bodies, files and attached mails of an Outlook .msg; OutlookFormatError if unreadable."""
    if not data.startswith(OLE_MAGIC):
        raise OutlookFormatError("not an OLE compound file")
    try:
        # DEFECT_INCORRECT: a file whose sectors or directory are inconsistent is refused, not guessed at (olefile's
        # setting for security-oriented readers). A BytesIO, because olefile takes short bytes for a path.
        ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    except Exception as exc:
        raise OutlookFormatError(f".msg unreadable ({type(exc).__name__})") from exc
    try:
        reader = _MsgReader(ole, budget=4 * len(data) + (1 << 20))
        return reader.message([], _HEADER_TOP, 0)
    except OutlookFormatError:
        raise
    except Exception as exc:  # olefile or our reading on a crafted file
        raise OutlookFormatError(f".msg unreadable ({type(exc).__name__})") from exc
    finally:
        ole.close()


class _MsgReader:
    def __init__(self, ole: olefile.OleFileIO, budget: int) -> None:
        self.ole = ole
        # Streams may share sectors in a crafted file; the bytes read are bounded by a multiple of the file's size.
        self.budget = budget
        self.storages = {tuple(p.lower() for p in path) for path in ole.listdir(streams=False, storages=True)}
        self.streams = {tuple(p.lower() for p in path) for path in ole.listdir(streams=True, storages=False)}

    def _stream(self, path: list[str]) -> bytes | None:
        if tuple(p.lower() for p in path) not in self.streams:
            return None
        with self.ole.openstream(path) as handle:
            data = handle.read()
        self.budget -= len(data)
        if self.budget < 0:
            raise OutlookFormatError(".msg streams hold more bytes than the file")
        return data

    def _fixed(self, path: list[str], header: int) -> dict[int, tuple[int, bytes]]:
        """Fixed-size properties of a storage: id -> (type, 8 value bytes)."""
        data = self._stream([*path, _PROPERTIES]) or b""
        found: dict[int, tuple[int, bytes]] = {}
        for at in range(header, len(data) - 15, 16):
            tag = _u32(data, at)
            found.setdefault(tag >> 16, (tag & 0xFFFF, data[at + 8 : at + 16]))
        return found

    def _string(self, path: list[str], prop: int, codepage: str) -> str:
        data = self._stream([*path, f"__substg1.0_{prop:04X}{_PT_UNICODE:04X}"])
        if data is not None:
            return data.decode("utf-16-le", "replace").split("\x00", 1)[0]
        data = self._stream([*path, f"__substg1.0_{prop:04X}{_PT_STRING8:04X}"])
        if data is not None:
            return data.decode(codepage, "replace").split("\x00", 1)[0]
        return ""

    def _binary(self, path: list[str], prop: int) -> bytes | None:
        return self._stream([*path, f"__substg1.0_{prop:04X}{_PT_BINARY:04X}"])

    def _recipients(self, path: list[str], prefix: tuple[str, ...], codepage: str) -> list[str]:
        """The To recipients' SMTP addresses (PidTagRecipientType 1), from the recipient storages."""
        found: list[str] = []
        names = sorted(
            p[-1]
            for p in self.storages
            if len(p) == len(prefix) + 1 and p[:-1] == prefix and p[-1].startswith(_RECIP_PREFIX)
        )
        for storage in names[:MAX_MSG_ATTACHMENTS]:
            at = [*path, storage]
            if (_long(self._fixed(at, _HEADER_OTHER), _RECIPIENT_TYPE) or 1) & 0xF != 1:
                continue
            address = self._string(at, _SMTP_ADDRESS, codepage)
            if not address and self._string(at, _ADDRTYPE, codepage).upper() == "SMTP":
                address = self._string(at, _EMAIL_ADDRESS, codepage)
            name = self._string(at, _DISPLAY_NAME, codepage).strip()
            if address.strip():
                found.append(f"{name} <{address.strip()}>" if name and name != address.strip() else address.strip())
        return found

    def message(self, path: list[str], header: int, depth: int) -> MsgContent:
        if depth > MAX_DEPTH:
            raise OutlookFormatError(".msg nested too deep")
        fixed = self._fixed(path, header)
        codepage = _codepage(_long(fixed, _MESSAGE_CODEPAGE), "cp1252")
        item = self._string(path, _MESSAGE_CLASS, codepage).strip().upper()
        if depth == 0 and item.startswith(_NOT_MAIL):
            raise NotAMail(f"an Outlook {item.split('.')[1].lower()} item")
        defects: list[str] = []
        subject = self._string(path, _SUBJECT, codepage)
        name = self._string(path, _SENDER_NAME, codepage) or self._string(path, _SENT_REPR_NAME, codepage)
        email = self._string(path, _SENDER_SMTP, codepage) or self._string(path, _SENT_REPR_SMTP, codepage)
        if not email:
            # The address columns hold an Exchange DN ("/O=EXCHANGELABS/...") unless the address type is SMTP.
            for addrtype, column in ((_SENDER_ADDRTYPE, _SENDER_EMAIL), (_SENT_REPR_ADDRTYPE, _SENT_REPR_EMAIL)):
                if self._string(path, addrtype, codepage).upper() == "SMTP":
                    email = self._string(path, column, codepage)
                    break
        sent = _systime(fixed, _CLIENT_SUBMIT_TIME) or _systime(fixed, _DELIVERY_TIME)
        text = self._string(path, _BODY, codepage)
        html = ""
        raw_html = self._binary(path, _HTML)
        if raw_html:
            html = raw_html.decode(_codepage(_long(fixed, _INTERNET_CODEPAGE), "utf-8"), "replace")
        cids: tuple[str, ...] = ()
        if not text.strip() and not html.strip():
            try:
                text, cids = rtf_body(self._binary(path, _RTF_COMPRESSED))
            except OutlookFormatError as exc:
                defects.append(str(exc))
        files: list[OutlookFile] = []
        embedded: list[MsgContent] = []
        prefix = tuple(p.lower() for p in path)
        attachments = sorted(
            p[-1]
            for p in self.storages
            if len(p) == len(prefix) + 1 and p[:-1] == prefix and p[-1].startswith(_ATTACH_PREFIX)
        )
        if len(attachments) > MAX_MSG_ATTACHMENTS:
            raise OutlookFormatError(f".msg has more than {MAX_MSG_ATTACHMENTS} attachments")
        for storage in attachments:
            at = [*path, storage]
            props = self._fixed(at, _HEADER_OTHER)
            method = _long(props, _ATTACH_METHOD)
            if method == _ATTACH_EMBEDDED_MSG:
                inner = [*at, f"__substg1.0_{_ATTACH_DATA:04X}{_PT_OBJECT:04X}"]
                if tuple(p.lower() for p in inner) in self.storages:
                    if depth + 1 > MAX_DEPTH:
                        # Too deep: this level is left out, not the whole .msg (it used to refuse all levels).
                        defects.append(f"a .msg nested more than {MAX_DEPTH} levels deep left out")
                        continue
                    embedded.append(self.message(inner, _HEADER_EMBEDDED, depth + 1))
                    continue
            filename = _clean_name(
                self._string(at, _ATTACH_LONG_FILENAME, codepage)
                or self._string(at, _ATTACH_FILENAME, codepage)
                or self._string(at, _DISPLAY_NAME, codepage)
            )
            content = self._binary(at, _ATTACH_DATA)
            if content is None:
                # By reference (a path on the sender's disk) or an OLE object: nothing a rep could open.
                defects.append(f"an attachment without its bytes left out (attach method {method})")
                continue
            filename = filename or "attachment"
            content_type = self._string(at, _ATTACH_MIME_TAG, codepage).strip().lower() or guess_type(filename)
            content_id = self._string(at, _ATTACH_CONTENT_ID, codepage).strip() or None
            files.append(OutlookFile(filename, content_type, content, content_id))
        to = self._recipients(path, prefix, codepage)
        if not to:
            display_to = self._string(path, _DISPLAY_TO, codepage)
            to = [t.strip() for t in display_to.split(";") if t.strip()]
        return MsgContent(
            subject=subject,
            sender_name=name.strip() or None,
            sender_email=email.strip().lower() or None,
            sent_at=sent,
            message_id=self._string(path, _INTERNET_MESSAGE_ID, codepage).strip() or None,
            transport_headers=self._string(path, _TRANSPORT_HEADERS, codepage),
            to=tuple(to),
            text=text,
            html=html,
            body_cids=cids,
            files=tuple(files),
            embedded=tuple(embedded),
            defects=tuple(defects),
        )


def _long(fixed: dict[int, tuple[int, bytes]], prop: int) -> int | None:
    kind, value = fixed.get(prop, (0, b""))
    return _u32(value, 0) if kind == _PT_LONG and len(value) >= 4 else None


def _systime(fixed: dict[int, tuple[int, bytes]], prop: int) -> datetime | None:
    kind, value = fixed.get(prop, (0, b""))
    if kind != _PT_SYSTIME or len(value) < 8:
        return None
    ticks = struct.unpack_from("<Q", value)[0]  # 100 ns since 1601-01-01 UTC
    if not ticks:
        return None
    try:
        return datetime(1601, 1, 1, tzinfo=UTC) + timedelta(microseconds=ticks // 10)
    except OverflowError:
        return None


def _codepage(number: int | None, default: str) -> str:
    if not number:
        return default
    name = "utf-8" if number == 65001 else f"cp{number}"
    try:
        "".encode(name)
    except LookupError:
        return default
    return name
