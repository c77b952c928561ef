"""OData `$batch`: change sets of writes in one HTTP round trip, each set all or nothing.

Dataverse runs a change set in one transaction and stops at the first failure: the `$batch` answer
then has that operation's status as its own (400, 404, 412, ...) and a multipart body whose one part
holds the operation's error (../shared/docs/dataverse.md, "$batch"); so `decode` reads any multipart
answer, whatever its status, and a 412 on our deterministic incident id (the whole set rolled back)
tells us the case already exists.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

# Dataverse refuses a $batch of more than 1,000 operations (dataverse.md, "$batch").
MAX_OPERATIONS = 1000


@dataclass
class Operation:
    method: str
    path: str  # relative to the Web API root, e.g. "incidents" or "$1/..." for a reference
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    content_id: str = ""


@dataclass
class PartResponse:
    status: int
    headers: dict[str, str]
    body: Any
    raw: bytes
    content_id: str | None = None


def encode(base: str, operations: list[Operation]) -> tuple[str, bytes]:
    """(content type, body) of a batch request holding `operations` in one change set."""
    return encode_sets(base, [operations])


def encode_sets(base: str, sets: list[list[Operation]]) -> tuple[str, bytes]:
    """(content type, body) of one batch request holding each list of operations as its own change set.

    Each change set is atomic on its own; with `Prefer: odata.continue-on-error` one set's failure leaves
    the others alone (dataverse.md, "$batch"). Content-IDs must be unique in the request, so the caller
    numbers them across sets; an operation without one gets its position.
    """
    batch = f"batch_{uuid.uuid4().hex}"
    lines: list[str] = []
    position = 0
    for operations in sets:
        changeset = f"changeset_{uuid.uuid4().hex}"
        lines += [f"--{batch}", f"Content-Type: multipart/mixed; boundary={changeset}", ""]
        for op in operations:
            position += 1
            op.content_id = op.content_id or str(position)
            target = op.path if op.path.startswith("$") else base + op.path
            lines += [
                f"--{changeset}",
                "Content-Type: application/http",
                "Content-Transfer-Encoding: binary",
                f"Content-ID: {op.content_id}",
                "",
                f"{op.method} {target} HTTP/1.1",
            ]
            headers = {"Content-Type": "application/json; type=entry"} | op.headers
            lines += [f"{k}: {v}" for k, v in headers.items()]
            lines += ["", json.dumps(op.body) if op.body is not None else ""]
        lines += [f"--{changeset}--", ""]
    lines += [f"--{batch}--", ""]
    # OData batch bodies use CRLF line ends; Dataverse rejects bare LF.
    return f"multipart/mixed; boundary={batch}", "\r\n".join(lines).encode()


def _boundary(content_type: str) -> str | None:
    for piece in content_type.split(";"):
        key, _, value = piece.strip().partition("=")
        if key.lower() == "boundary":
            return value.strip('"')
    return None


def _split(body: bytes, boundary: str) -> list[bytes]:
    delimiter = b"--" + boundary.encode()
    parts = []
    for chunk in body.split(delimiter)[1:]:
        if chunk.startswith(b"--"):
            break
        parts.append(chunk.strip(b"\r\n"))
    return parts


def _headers(block: bytes) -> dict[str, str]:
    found = {}
    for line in block.decode("utf-8", "replace").split("\r\n"):
        key, sep, value = line.partition(":")
        if sep:
            found[key.strip()] = value.strip()
    return found


def decode(content_type: str, body: bytes) -> list[PartResponse]:
    """Every operation's response in order, change sets flattened."""
    return [part for group in decode_sets(content_type, body) for part in group]


def decode_sets(content_type: str, body: bytes) -> list[list[PartResponse]]:
    """The answer's top-level parts in order, each as its list of operation responses: a committed
    change set answers every operation; a failed one answers with the one part that failed; an
    operation outside a change set is a list of one."""
    boundary = _boundary(content_type)
    if boundary is None:
        raise ValueError(f"batch response is not multipart: {content_type!r}")
    groups: list[list[PartResponse]] = []
    for part in _split(body.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), boundary):
        head, _, rest = part.partition(b"\r\n\r\n")
        headers = _headers(head)
        inner = headers.get("Content-Type", "")
        if inner.lower().startswith("multipart/mixed"):
            groups.append(decode(inner, rest))
            continue
        status_line, _, after = rest.partition(b"\r\n")
        http_head, _, payload = after.partition(b"\r\n\r\n")
        status = int(status_line.split()[1])
        part_headers = _headers(http_head)
        payload = payload.strip(b"\r\n")
        parsed: Any = None
        if payload:
            try:
                parsed = json.loads(payload)
            except ValueError:
                parsed = None
        groups.append([PartResponse(status, part_headers, parsed, payload, headers.get("Content-ID"))])
    return groups
