"""Change tracking in the sandbox: `Prefer: odata.track-changes`, `@odata.deltaLink`, `$deltatoken`.

As "Use change tracking to synchronize data with external systems" (MicrosoftDocs/powerapps-docs,
powerapps-docs/developer/data-platform/use-change-tracking-synchronize-data-external-systems.md) says:

- a GET of an entity set with `Prefer: odata.track-changes` answers every row of the query ("the entire
  data set", no deletions) with `Preference-Applied: odata.track-changes` and an `@odata.deltaLink`
  carrying a `$deltatoken`; the link keeps the query's `$select`;
- a GET of the delta link answers the rows created or updated since the token, "all new or updated
  records first (sorted by version number) followed by deleted records", a deletion being
  `{"@odata.context": "<org>/api/data/v9.2/$metadata#<set>/$deletedEntity", "id": ..., "reason": "deleted"}`,
  under a context ending in `/$delta`, and a new delta link; no change is an empty `value`;
- `$filter`, `$orderby`, `$expand` and `$top` are refused: `The "$filter" query parameter isn't
  supported when Change Tracking is enabled.` (the doc gives the message, not the code; the sandbox
  answers 400 with the query-option code 0x80060888);
- the table must be enabled for change tracking ("Track changes" in the table's properties); otherwise
  the Web API's ChangeTrackingNotEnabledForEntity, 0x80072491 "Entity {0} isn't enabled for change
  tracking." (Web service error codes, reference/web-service-error-codes.md; the 400 status is inferred);
- a token older than the organisation's ExpireChangeTrackingInDays (7 by default) is refused: the
  platform's ExpiredVersionStamp, 0x80044352 "Version stamp associated with the client has expired.
  Please perform a full sync." (the code RetrieveEntityChanges clients catch, e.g. DFE-Digital's
  TeachingRecordSystem CrmEntityChangesService; the 400 status is inferred);
- more changes than a page (`Prefer: odata.maxpagesize`, 5000 at most) are paged with `@odata.nextLink`;
  the delta link comes with the last page ("If the new or updated item collection is greater than 5000,
  the user can page through the collection").

The token is `<version>!<UTC issue time>` like the doc's `919042!08/22/2017 08:10:44` (milliseconds
added, so an expiry knob and a token issued in the same second are told apart). Versions come from the
store (handoff.sandbox.dataverse_store), so a change another process wrote is in the next delta.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from handoff.sandbox.dataverse_query import Query, parse_select
from handoff.sandbox.dataverse_schema import DataverseError, Entity, query_error

if TYPE_CHECKING:
    from handoff.sandbox.dataverse_api import Operation, Result, WebApi
    from handoff.sandbox.dataverse_store import Txn

MAX_PAGE = 5000
NOT_SUPPORTED = ("$filter", "$orderby", "$expand", "$top")
# Store-wide knobs (counters), so every process sharing a store file agrees on them.
DISABLED_PREFIX = "changetracking_off:"
EXPIRED_BEFORE = "changetracking_expired_before_ms"
_TOKEN = re.compile(r"^(\d+)!(\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)$")
_SKIP = re.compile(r"^(\d+):([rd]):(-?\d+)$")
_MAXPAGESIZE = re.compile(r"odata\.maxpagesize\s*=\s*(\d+)", re.IGNORECASE)


def not_enabled(entity: Entity) -> DataverseError:
    return DataverseError(400, "0x80072491", f"Entity {entity.logical} isn't enabled for change tracking.")


def expired() -> DataverseError:
    return DataverseError(
        400, "0x80044352", "Version stamp associated with the client has expired. Please perform a full sync."
    )


def make_token(version: int, issued: datetime) -> str:
    issued = issued.astimezone(UTC)
    return f"{version}!{issued:%m/%d/%Y %H:%M:%S}.{issued.microsecond // 1000:03d}"


def parse_token(token: str) -> tuple[int, datetime]:
    match = _TOKEN.match(token.strip())
    if not match:
        raise query_error(f"The delta token '{token}' is not valid.")
    issued = datetime.strptime(match.group(2), "%m/%d/%Y %H:%M:%S.%f" if "." in match.group(2) else "%m/%d/%Y %H:%M:%S")
    return int(match.group(1)), issued.replace(tzinfo=UTC)


def is_enabled(txn: Txn, entity_set: str) -> bool:
    return not txn.counter(DISABLED_PREFIX + entity_set)


def page_size(op: Operation) -> int:
    match = _MAXPAGESIZE.search(op.header("Prefer") or "")
    return max(1, min(MAX_PAGE, int(match.group(1)))) if match else MAX_PAGE


def is_change_request(op: Operation, options: dict[str, str]) -> bool:
    """A change tracking request: the preference, or a link Dataverse handed out (delta or next page)."""
    return op.prefers("odata.track-changes") or "$deltatoken" in options or "$skiptoken" in options


def track_changes(api: WebApi, entity: Entity, options: dict[str, str], txn: Txn, op: Operation) -> Result:
    from handoff.sandbox.dataverse_api import Result

    api.check_privilege("Read", entity)
    if not is_enabled(txn, entity.entity_set):
        raise not_enabled(entity)
    for name in NOT_SUPPORTED:
        if name in options:
            raise query_error(f'The "{name}" query parameter isn\'t supported when Change Tracking is enabled.')
    select = parse_select(options["$select"], entity) if "$select" in options else None
    now = datetime.now(UTC)
    since = -1  # the initial request: every row, whatever its version (0 for rows older than versions)
    delta = "$deltatoken" in options
    if delta:
        since, issued = parse_token(options["$deltatoken"])
        cutoff = txn.counter(EXPIRED_BEFORE)
        too_old = (now - issued).total_seconds() > api.expire_change_tracking_days * 86400
        if too_old or (cutoff is not None and issued.timestamp() * 1000 < cutoff):
            raise expired()
    # Paging is keyset on the version within a snapshot taken at the first page (`upto`): a row changed
    # while a client pages has a newer version, leaves this snapshot and is in the next delta instead.
    upto, phase, after = txn.change_version(), "r", since
    if "$skiptoken" in options:
        match = _SKIP.match(options["$skiptoken"])
        if not match:
            raise query_error(f"The skip token '{options['$skiptoken']}' is not valid.")
        upto, phase, after = int(match.group(1)), match.group(2), int(match.group(3))
    size = page_size(op)
    query = Query(select=select)
    value: list[dict[str, Any]] = []
    more: tuple[str, int] | None = None
    if phase == "r":
        changed = txn.changed(entity.entity_set, after, upto)
        for version, record in changed[:size]:
            value.append(api.format(entity, record, query, op, txn))
            after = version
        if len(changed) > size:
            more = ("r", after)
        else:
            phase, after = "d", since
    if phase == "d" and more is None and delta:  # the initial request returns no deletions
        deleted = txn.deleted(entity.entity_set, after, upto)
        room = size - len(value)
        context = f"{api.base_url}/$metadata#{entity.entity_set}/$deletedEntity"
        for version, record_id in deleted[: max(room, 0)]:
            value.append({"@odata.context": context, "id": record_id, "reason": "deleted"})
            after = version
        if len(deleted) > room:
            more = ("d", after)
    columns = f"({','.join(select)})" if select else ""
    body: dict[str, Any] = {"@odata.context": f"{api.base_url}/$metadata#{entity.entity_set}{columns}"}
    if delta:
        body["@odata.context"] += "/$delta"
    link = f"{api.base_url}/{entity.entity_set}?" + (f"$select={','.join(select)}&" if select else "")
    if more is not None:
        carried = f"$deltatoken={quote(options['$deltatoken'], safe='')}&" if delta else ""
        body["@odata.nextLink"] = link + carried + "$skiptoken=" + quote(f"{upto}:{more[0]}:{more[1]}", safe="")
    else:
        body["@odata.deltaLink"] = link + "$deltatoken=" + quote(make_token(upto, now), safe="")
    body["value"] = value
    return Result(200, {"Preference-Applied": "odata.track-changes"}, body)
