"""`POST $batch`: multipart/mixed requests with change sets, answered the way Dataverse answers.

- A change set is atomic: the first failing operation rolls back the whole change set, and the
  response carries that one error instead of the change set's responses.
- Outside change sets each operation stands alone; GET is allowed only there.
- Processing stops at the first failure unless `Prefer: odata.continue-on-error`. When it stopped,
  the `$batch` response itself carries the failing operation's status (400, 404, 412, ...) and its
  multipart body ends with the failing part; with continue-on-error the outer status stays 200.
  Source: ../shared/docs/dataverse.md "$batch" (the Dataverse SDK for Python, `BatchRequest.execute`:
  "Dataverse stops at the first failure and returns that operation's error as a 4xx response"; field
  reports show an outer 412 for a duplicate key).
- `Content-ID: n` lets later operations use `$n` for the created record, at the start of a URL or
  as an `@odata.bind` value. A create answered with `return=representation` (201) has no
  `OData-EntityId`, so `$n` for it is not usable (404, as for an unknown reference).
- A create with `Prefer: return=representation` whose body binds a record by `$n` answers 204 without
  the representation (dataverse.md "`return=representation`": "a create with return=representation
  that binds a record created earlier in the same set by $n is reported to come back without its
  representation").
- At most 1000 operations.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aiohttp import web

from handoff.sandbox.dataverse_api import Operation, Result, route_of, split_url
from handoff.sandbox.dataverse_schema import DataverseError
from handoff.sandbox.dataverse_store import Txn

if TYPE_CHECKING:
    from handoff.sandbox.dataverse import DataverseSandbox

MAX_OPERATIONS = 1000
_BOUNDARY = re.compile(r'boundary="?([^";]+)"?', re.IGNORECASE)
_REFERENCE = re.compile(r"^\$(\w+)(.*)$", re.DOTALL)


@dataclass
class BatchOperation:
    method: str
    url: str
    headers: dict[str, str]
    body: str
    content_id: str | None


@dataclass
class ChangeSet:
    operations: list[BatchOperation] = field(default_factory=list)


def _boundary(content_type: str) -> str | None:
    if not content_type.lower().startswith("multipart/mixed"):
        return None
    match = _BOUNDARY.search(content_type)
    return match.group(1).strip() if match else None


def _split(text: str, boundary: str) -> list[str]:
    """The parts between `--boundary` lines, up to `--boundary--`."""
    parts: list[str] = []
    current: list[str] | None = None
    for raw in text.split("\n"):
        line = raw.rstrip("\r")
        if line.rstrip() == f"--{boundary}":
            if current is not None:
                parts.append("\r\n".join(current))
            current = []
        elif line.rstrip() == f"--{boundary}--":
            if current is not None:
                parts.append("\r\n".join(current))
            return parts
        elif current is not None:
            current.append(line)
    raise DataverseError(400, "0x80048d19", f"The batch is missing its closing delimiter '--{boundary}--'.")


def _headers_and_rest(text: str) -> tuple[dict[str, str], str]:
    head, _, rest = text.partition("\r\n\r\n")
    headers: dict[str, str] = {}
    for line in head.split("\r\n"):
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    return headers, rest


def _operation(part: str) -> BatchOperation:
    mime_headers, rest = _headers_and_rest(part.lstrip("\r\n"))
    if not mime_headers.get("content-type", "").lower().startswith("application/http"):
        raise DataverseError(
            400, "0x80048d19", "A batch part must have 'Content-Type: application/http' or be a change set."
        )
    request_line, _, rest = rest.lstrip("\r\n").partition("\r\n")
    words = request_line.split()
    if len(words) < 2:
        raise DataverseError(400, "0x80048d19", f"The request line '{request_line}' in the batch is not valid.")
    if rest.startswith("\r\n"):
        headers, body = {}, rest[2:]
    else:
        headers, body = _headers_and_rest(rest)
    content_id = mime_headers.get("content-id") or headers.get("content-id")
    return BatchOperation(words[0].upper(), words[1], headers, body.strip(), content_id)


def parse_batch(content_type: str, body: bytes) -> list[BatchOperation | ChangeSet]:
    boundary = _boundary(content_type)
    if boundary is None:
        raise DataverseError(
            400, "0x80048d19", "The content type of a $batch request must be multipart/mixed with a boundary."
        )
    items: list[BatchOperation | ChangeSet] = []
    for part in _split(body.decode("utf-8"), boundary):
        headers, rest = _headers_and_rest(part.lstrip("\r\n"))
        inner = _boundary(headers.get("content-type", ""))
        if inner is not None:
            items.append(ChangeSet([_operation(p) for p in _split(rest, inner)]))
        else:
            items.append(_operation(part))
    return items


def _resolve(value: Any, references: Mapping[str, str]) -> Any:
    """Replace `$n` in @odata.bind values, also inside deep inserts and party lists."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key.endswith("@odata.bind") and isinstance(item, str) and item.startswith("$"):
                out[key] = _reference(item, references)
            else:
                out[key] = _resolve(item, references)
        return out
    if isinstance(value, list):
        return [_resolve(item, references) for item in value]
    return value


def _binds_by_reference(value: Any) -> bool:
    """Does a body bind anything by `$n` (also inside deep inserts and party lists)?"""
    if isinstance(value, dict):
        return any(
            (key.endswith("@odata.bind") and isinstance(item, str) and item.startswith("$"))
            or _binds_by_reference(item)
            for key, item in value.items()
        )
    if isinstance(value, list):
        return any(_binds_by_reference(item) for item in value)
    return False


def _without_representation(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers with `return=representation` taken out of Prefer (other preferences stay)."""
    out: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() == "prefer":
            kept = [p.strip() for p in value.split(",") if not p.strip().lower().startswith("return=")]
            if kept:
                out[name] = ", ".join(kept)
        else:
            out[name] = value
    return out


def _reference(text: str, references: Mapping[str, str]) -> str:
    match = _REFERENCE.match(text)
    if not match or match.group(1) not in references:
        raise DataverseError(404, "0x8006088a", f"Resource not found for the segment '{text.split('/')[0]}'.")
    return references[match.group(1)] + match.group(2)


def _to_operation(item: BatchOperation, references: Mapping[str, str]) -> Operation:
    url = _reference(item.url, references) if item.url.startswith("$") else item.url
    body = item.body.encode()
    headers: Mapping[str, str] = item.headers
    if item.body:
        try:
            parsed = json.loads(item.body)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            if item.method == "POST" and _binds_by_reference(parsed):
                # Reported of real Dataverse (dataverse.md, "`return=representation`"): such a create
                # comes back 204 without its representation, so bind by `/set(<id>)` to get one.
                headers = _without_representation(headers)
            body = json.dumps(_resolve(parsed, references)).encode()
    path, query = split_url(url)
    return Operation(item.method, path, query, headers, body)


def _run_one(sandbox: DataverseSandbox, item: BatchOperation, references: dict[str, str], txn: Txn) -> Result:
    op = _to_operation(item, references)
    failure = sandbox._take_failure(route_of(op.method, op.path), top_level=False)
    if failure is not None:
        raise sandbox._failure_error(failure)
    result = sandbox._api.execute(op, txn)
    # Only an answer with OData-EntityId gives `$n` a meaning: a 201 with return=representation has
    # none (dataverse.md, "`return=representation`").
    if item.content_id and result.entity_url and "OData-EntityId" in result.headers:
        references[item.content_id] = result.entity_url
    return result


def _http_part(result: Result, content_id: str | None) -> str:
    lines = ["Content-Type: application/http", "Content-Transfer-Encoding: binary"]
    if content_id:
        lines.append(f"Content-ID: {content_id}")
    phrase = HTTPStatus(result.status).phrase if result.status in HTTPStatus._value2member_map_ else ""
    lines += ["", f"HTTP/1.1 {result.status} {phrase}"]
    headers = dict(result.headers)
    if result.status == 204 and "OData-EntityId" in headers:
        headers = {"Location": headers["OData-EntityId"], **headers}
    body = ""
    if result.body is not None:
        lines.append("Content-Type: application/json; odata.metadata=minimal")
        body = json.dumps(result.body)
    lines.append("OData-Version: 4.0")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines += ["", body]
    return "\r\n".join(lines)


def _error_result(error: DataverseError) -> Result:
    return Result(error.status, dict(error.headers), error.body())


def run_batch(sandbox: DataverseSandbox, headers: Mapping[str, str], body: bytes) -> web.Response:
    try:
        items = parse_batch(headers.get("Content-Type", ""), body)
    except (DataverseError, UnicodeDecodeError) as error:
        if not isinstance(error, DataverseError):
            error = DataverseError(400, "0x80048d19", "The $batch body is not valid UTF-8.")
        return _json_error(error)
    count = sum(len(i.operations) if isinstance(i, ChangeSet) else 1 for i in items)
    if count > MAX_OPERATIONS:
        return _json_error(
            DataverseError(
                400,
                "0x80040203",
                f"The batch has {count} requests; the maximum number of requests in a batch is {MAX_OPERATIONS}.",
            )
        )
    prefer = headers.get("Prefer", "").lower()
    # With `Prefer: odata.continue-on-error` Dataverse goes on after a failed request or change set and
    # answers every part (Microsoft's "Execute batch operations using the Web API", "Handling errors"; the
    # Dataverse SDK for Python's `BatchRequest.execute(continue_on_error=...)` contrasts it with the stop at
    # the first failure answered as that operation's 4xx). So the outer status stays 200 here; the client
    # reads the parts of a multipart answer whatever its status, so it does not rely on that.
    continue_on_error = "odata.continue-on-error" in prefer
    references: dict[str, str] = {}
    batch_boundary = f"batchresponse_{uuid.uuid4()}"
    parts: list[str] = []
    outer = 200
    with sandbox._store.transaction() as txn:
        for item in items:
            failed: int | None
            if isinstance(item, ChangeSet):
                part, failed = _run_change_set(sandbox, item, references, txn)
            else:
                try:
                    with txn.savepoint():
                        result = _run_one(sandbox, item, references, txn)
                    failed = None
                except DataverseError as error:
                    result, failed = _error_result(error), error.status
                part = _http_part(result, item.content_id)
            parts.append(part)
            if failed is not None and not continue_on_error:
                # Dataverse answers the $batch itself with the failing operation's status (module
                # docstring; dataverse.md "$batch"): a client must read the parts whatever the status.
                outer = failed
                break
    text = "".join(f"--{batch_boundary}\r\n{part}\r\n" for part in parts) + f"--{batch_boundary}--\r\n"
    return web.Response(
        status=outer,
        body=text.encode(),
        headers={"Content-Type": f"multipart/mixed; boundary={batch_boundary}", "OData-Version": "4.0"},
    )


def _run_change_set(
    sandbox: DataverseSandbox, change_set: ChangeSet, references: dict[str, str], txn: Txn
) -> tuple[str, int | None]:
    """(the change set's part, the failing operation's status or None when it committed)."""
    done: list[tuple[Result, str | None]] = []
    current: BatchOperation | None = None
    try:
        with txn.savepoint():
            for current in change_set.operations:
                if current.method == "GET":
                    raise DataverseError(
                        400, "0x80048d19", "A GET request is not allowed inside a change set; put it outside."
                    )
                done.append((_run_one(sandbox, current, references, txn), current.content_id))
    except DataverseError as error:
        # Roll back: the ids of this change set must not be referenced later.
        for item in change_set.operations:
            if item.content_id:
                references.pop(item.content_id, None)
        return _http_part(_error_result(error), current.content_id if current else None), error.status
    boundary = f"changesetresponse_{uuid.uuid4()}"
    inner = "".join(f"--{boundary}\r\n{_http_part(result, cid)}\r\n" for result, cid in done)
    return f"Content-Type: multipart/mixed; boundary={boundary}\r\n\r\n{inner}--{boundary}--", None


def _json_error(error: DataverseError) -> web.Response:
    return web.json_response(error.body(), status=error.status, headers={"OData-Version": "4.0"})
