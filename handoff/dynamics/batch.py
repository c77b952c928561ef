"""OData `$batch`: change sets of writes in one HTTP round trip, each set all or nothing.

Dataverse runs a change set in one transaction and stops at the first failure: the `$batch` answer
then has that operation's status as its own (400, 404, 412, ...) and a multipart body whose one part
holds the operation's error (../shared/docs/dataverse.md, "$batch"); so `decode` reads any multipart
answer, whatever its status, and a 412 on our deterministic incident id (the whole set rolled back)
tells us the case already exists.
"""

from __future__ import annotations

import asyncio
import binascii
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp.payload

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


class Base64:
    """Bytes that a JSON body carries as a base64 string (a note's `documentbody`), kept as the bytes.

    A 3 MB file is 4 MB of base64, then as much again as JSON, again in the joined request and again as
    its bytes: four copies of every file in hand while one `$batch` is built. Kept as the file's own bytes,
    its base64 is made piece by piece while the request is written (`Body`), and never exists whole.
    `str()` gives the whole text, for whatever wants it (a log never does: bodies are not logged).
    """

    __slots__ = ("data",)

    def __init__(self, data: bytes | memoryview) -> None:
        self.data = data

    def __len__(self) -> int:
        """Bytes of base64 text (with padding), as Dataverse's MaxUploadFileSize counts them."""
        return 4 * ((len(self.data) + 2) // 3)

    def __str__(self) -> str:
        return binascii.b2a_base64(self.data, newline=False).decode("ascii")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Base64) and bytes(self.data) == bytes(other.data)

    __hash__ = None  # type: ignore[assignment]  (mutable-looking; never a key)


# Bytes of file encoded per piece written: a multiple of 3, so the pieces' base64 joins without padding;
# 128 KB of base64 each, encoded and encrypted in well under a millisecond between two turns of the loop.
_B64_PIECE = 3 * 32 * 1024


class Body:
    """A `$batch` request body as pieces: bytes, and files still as their bytes (Base64).

    Its length is known before anything is encoded (the request's Content-Length), `bytes(body)` joins
    it (small bodies, tests), and `payload()` streams it to aiohttp, encoding each file as it goes, so
    sending a mail's worth of files costs 128 KB of base64 at a time on top of the files themselves.
    """

    def __init__(self, pieces: list[bytes | Base64]) -> None:
        self.pieces = pieces
        self.size = sum(len(p) for p in pieces)

    def __len__(self) -> int:
        return self.size

    def __bytes__(self) -> bytes:
        return b"".join(self.chunks())

    @property
    def has_files(self) -> bool:
        return any(isinstance(p, Base64) for p in self.pieces)

    def chunks(self) -> Iterator[bytes]:
        for piece in self.pieces:
            if isinstance(piece, Base64):
                data = memoryview(piece.data)
                for start in range(0, len(data), _B64_PIECE):
                    yield binascii.b2a_base64(data[start : start + _B64_PIECE], newline=False)
            elif piece:
                yield piece

    def payload(self, content_type: str) -> aiohttp.payload.Payload:
        """A fresh aiohttp payload (one per attempt: a retry writes the body again from the start)."""
        return _BodyPayload(self, content_type=content_type)


class _BodyPayload(aiohttp.payload.Payload):
    _autoclose = True  # nothing to close: pieces in memory

    def __init__(self, body: Body, content_type: str) -> None:
        super().__init__(body, content_type=content_type)
        self._size = body.size

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        return bytes(self._value).decode(encoding, errors)

    async def write(self, writer: Any) -> None:
        await self.write_with_length(writer, None)

    async def write_with_length(self, writer: Any, content_length: int | None) -> None:
        left = content_length
        for n, chunk in enumerate(self._value.chunks()):
            if n:
                # The socket takes megabytes before aiohttp's drain waits: without a turn of the loop
                # between pieces, a 20 MB body was encoded and encrypted in one go (stalls of 50+ ms).
                await asyncio.sleep(0)
            if left is not None:
                chunk = chunk[:left]
                left -= len(chunk)
            await writer.write(chunk)
            if left is not None and left <= 0:
                return


def _json(body: Any) -> list[bytes | Base64]:
    """An operation's JSON as pieces: its Base64 values left as they are, between their quotes."""
    if body is None:
        return [b""]
    if not isinstance(body, dict) or not any(isinstance(v, Base64) for v in body.values()):
        return [json.dumps(body, default=str).encode()]
    pieces: list[bytes | Base64] = []
    text = "{"
    for n, (key, value) in enumerate(body.items()):
        text += (", " if n else "") + json.dumps(key) + ": "
        if isinstance(value, Base64):
            pieces += [(text + '"').encode(), value]
            text = '"'
        else:
            text += json.dumps(value, default=str)
    pieces.append((text + "}").encode())
    return pieces


def encode(base: str, operations: list[Operation]) -> tuple[str, bytes]:
    """(content type, body) of a batch request holding `operations` in one change set."""
    return encode_sets(base, [operations])


def encode_sets(base: str, sets: list[list[Operation]]) -> tuple[str, bytes]:
    """(content type, body) of one batch request holding each list of operations as its own change set,
    joined (see `encode_body` for the pieces)."""
    content_type, body = encode_body(base, sets)
    return content_type, bytes(body)


def encode_body(base: str, sets: list[list[Operation]]) -> tuple[str, Body]:
    """(content type, body) of one batch request holding each list of operations as its own change set.

    Each change set is atomic on its own; with `Prefer: odata.continue-on-error` one set's failure leaves
    the others alone (dataverse.md, "$batch"). Content-IDs must be unique in the request, so the caller
    numbers them across sets; an operation without one gets its position.
    """
    batch = f"batch_{uuid.uuid4().hex}"
    pieces: list[bytes | Base64] = []
    lines: list[str] = []

    def flush(json_pieces: list[bytes | Base64]) -> None:
        # The lines so far, then the operation's JSON; OData batch bodies use CRLF line ends (Dataverse
        # rejects bare LF).
        pieces.append(("\r\n".join(lines) + "\r\n").encode())
        lines.clear()
        pieces.extend(json_pieces)
        pieces.append(b"\r\n")

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
            lines += [""]
            flush(_json(op.body))
        lines += [f"--{changeset}--", ""]
    lines += [f"--{batch}--", ""]
    pieces.append("\r\n".join(lines).encode())
    return f"multipart/mixed; boundary={batch}", Body(pieces)


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
