"""Which of the customer's files become notes on the case, and why the others do not.

Pure: the pipeline decides from the settings, so a dry run shows what the worker will send and the
transcript can name every file that was left out. Dataverse would refuse the same files with 400
0x80044a02 (too big) or 0x80043e09 (blocked extension) and roll back the whole change set with them,
so they are filtered here instead of failing the case.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handoff.model import Attachment

if TYPE_CHECKING:
    from handoff.settings import DynamicsSettings

MIB = 1024 * 1024
# annotation.filename and annotation.mimetype column lengths.
MAX_FILENAME = 255
MAX_MIMETYPE = 256


def encoded_size(size: int) -> int:
    """Bytes of the base64 text for `size` bytes: what Dataverse compares with MaxUploadFileSize."""
    return 4 * ((size + 2) // 3)


def file_limit(max_encoded: int) -> int:
    """The largest file whose base64 text fits in `max_encoded` bytes."""
    return (max_encoded // 4) * 3


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < MIB:
        return f"{size / 1024:.0f} KB"
    return f"{size / MIB:.2f}".rstrip("0").rstrip(".") + " MB"


def extension(filename: str) -> str:
    # "invoice.exe. " is still an .exe once Windows saves it.
    name = filename.strip().rstrip(". ")
    return name.rpartition(".")[2].lower() if "." in name else ""


def note_filename(filename: str) -> str:
    """The name within the column's 255 characters, keeping the extension a rep needs to open it."""
    name = filename.strip() or "attachment"
    if len(name) <= MAX_FILENAME:
        return name
    ext = extension(name)
    keep = MAX_FILENAME - (len(ext) + 1 if ext else 0)
    return name[:keep] + (f".{ext}" if ext else "")


@dataclass(frozen=True)
class AttachmentLimits:
    """What a note may carry: [dynamics] until start-up has read the organisation's own limits."""

    max_encoded: int  # bytes of base64, as Dataverse's MaxUploadFileSize counts them
    blocked: frozenset[str]  # lower-case extensions without the dot

    @classmethod
    def configured(cls, settings: DynamicsSettings) -> AttachmentLimits:
        return cls(settings.max_attachment_size, frozenset(settings.blocked_extensions))

    def describe(self, configured: AttachmentLimits | None = None) -> str:
        """One line for the log and `handoff check`, naming what the organisation made stricter."""
        size = f"up to {self.max_encoded} bytes of base64 (files up to {human_size(file_limit(self.max_encoded))})"
        if configured is not None and self.max_encoded < configured.max_encoded:
            size += f", the organisation's limit (stricter than {configured.max_encoded})"
        line = f"attachments: {size}; {len(self.blocked)} blocked extensions"
        added = sorted(self.blocked - configured.blocked) if configured is not None else []
        if added:
            line += f", from the organisation too: {', '.join(added)}"
        return line


@dataclass(frozen=True)
class AttachmentPlan:
    attached: tuple[Attachment, ...] = ()
    # One line per file left out, with the reason: "invoice.exe: not attached (blocked extension .exe)".
    refused: tuple[str, ...] = ()


def plan_attachments(attachments: Iterable[Attachment], max_encoded: int, blocked: Collection[str]) -> AttachmentPlan:
    attached: list[Attachment] = []
    refused: list[str] = []
    for attachment in attachments:
        if attachment.inline:
            # Signature logos and embedded images belong to the body, not to the customer's files.
            continue
        name = attachment.filename.strip() or "attachment"
        ext = extension(name)
        if ext and ext in blocked:
            refused.append(f"{name}: not attached (blocked extension .{ext})")
        elif encoded_size(attachment.size) > max_encoded:
            limit = human_size(file_limit(max_encoded))
            refused.append(f"{name}: not attached ({human_size(attachment.size)} over the {limit} limit)")
        else:
            attached.append(attachment)
    return AttachmentPlan(tuple(attached), tuple(refused))
