"""Many handoffs per Dataverse request under a backlog; a handoff arriving alone still goes at once.

Dataverse counts a `$batch` as one request against its 6,000-per-5-minutes limit (its execution time
still counts; dataverse.md, "Service protection"), so under a backlog several handoffs' change sets go in
one `$batch`, each its own change set with `Prefer: odata.continue-on-error`: atomic per handoff, and
one handoff's failure never touches another's. Contact lookups of several handoffs go in one GET.

A request goes as soon as fewer than `max_in_flight` of its kind are on the wire; what arrives while they
are travels together in the next one ("natural batching"). And while the worker has other handoffs in
hand that are still being analysed (`upcoming`), a request waits for them, at most `LINGER` seconds
from its oldest handoff's arrival or until it is full. So a quiet service sends each handoff alone and at
once, as before, and a backlog fills the requests.

A full request goes whatever is on the wire, up to `max_burst` of a kind: Dataverse's execution-time
budget (1,200 s per 300 s, concurrent requests adding up) is four requests executing all the time, which
two in flight cannot use, so one more than that (5) may travel; the client's limiter keeps them within the
budget. Not more: a burst of long requests at the start of a window spends it in seconds and leaves the
rest of the window idle, and Dataverse answers each of many concurrent requests more slowly. Under a backlog the worker
grows the handoffs in hand while the budget has room (`wants_more`, up to `most_in_hand`) so that
requests fill and enough of them travel at once.

A `$batch` runs its operations one after another (creates take ~100 ms and more each on Dataverse), so
50 handoffs of 8 operations would take some 40 s, past our own `timeout_seconds` (30): a timed-out
request is sent again, and its committed sets answer 412, all execution spent twice. The change sets'
gate measures the seconds per operation of the requests it sent and keeps a request to a third of the
timeout (`time_limit`). That is also a thirtieth of Dataverse's window, which matters as much: the server
counts a request's whole time when it ends, so long requests make the window's sum jump.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import math
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from handoff import trail
from handoff.dynamics.batch import MAX_OPERATIONS, Operation, PartResponse
from handoff.dynamics.client import DataverseClient, odata_literal
from handoff.dynamics.contacts import contact_query
from handoff.errors import HandoffError
from handoff.ids import normalise

log = logging.getLogger("handoff.dynamics")

# A GET's URL stays well under the 32 KB Dataverse accepts (IIS's default maxUrl is 4 KB for the path and
# 2 KB for the query on some gateways): this many addresses, times the match columns, per lookup.
MAX_LOOKUP_ADDRESSES = 20

# How long the first handoff of a request may wait for those still being analysed. Against Dataverse's
# round trip (a change set of a case takes some hundred milliseconds) this costs a backlog little, and
# turns a slow analysis's trickle into shared requests.
LINGER = 0.5

# The most operations a change set request carries before the gate has measured one (about 5 handoffs).
UNMEASURED_WEIGHT = 20

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class _Waiting(Generic[T, R]):
    item: T
    future: asyncio.Future[R]
    weight: int = 1  # operations (sets) or 1 (lookups)
    arrived: float = 0.0
    size: int = 0  # bytes, for sets
    # The handoff's trail recording: a shared request is on the trail of every handoff it carried.
    recording: trail.Recording | None = None


@dataclass(eq=False)  # gates are told apart by identity (kept in sets)
class _Gate(Generic[T, R]):
    """What waits for one kind of request, and how many of that kind are travelling."""

    send: Callable[[list[T]], Awaitable[list[R | BaseException]]]
    max_items: int
    max_weight: int
    max_size: int
    max_in_flight: int
    max_burst: int = 1  # full requests may travel beyond max_in_flight, up to this many
    linger: float = LINGER
    time_limit: float | None = None  # a request should answer within this (s): its weight is capped by
    per_weight: float | None = None  # the measured seconds per unit of weight (EWMA)
    expected: int = 0  # handoffs in the worker's hand that have not come here yet
    # Whether the client could send one more request now without waiting (None: not asked).
    idle: Callable[[], bool] | None = None
    # Requests executing at once on the budget (4 for Dataverse): the last weight of a backlog is spread over
    # that many (0: not spread). `piece` is the weight of each while a backlog's end is being sent.
    places: int = 0
    piece: int | None = None
    waiting: list[_Waiting[T, R]] = field(default_factory=list)
    in_flight: int = 0
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    timer: asyncio.TimerHandle | None = None

    async def submit(self, item: T, weight: int = 1, size: int = 0, owed: set[Any] | None = None) -> R:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self.waiting.append(_Waiting(item, future, weight, loop.time(), size, trail.current()))
        self.piece = None  # the end of a backlog is reckoned again with what came
        if owed is not None and self in owed:
            owed.discard(self)
            self.expected -= 1
        self._kick()
        return await future

    def _hold(self) -> float:
        """How much longer the waiting handoffs should wait for company (0: go now)."""
        if not self.waiting or len(self.waiting) >= self.max_items or self.expected <= 0:
            return 0.0
        return max(0.0, self.waiting[0].arrived + self.linger - asyncio.get_running_loop().time())

    def weight_cap(self) -> int:
        """The most weight one request carries: max_weight, or what answers within time_limit."""
        if self.time_limit is None:
            return self.max_weight
        if not self.per_weight:
            # Nothing measured yet: a few handoffs' worth, not a thousand operations. The first requests of a
            # backlog went that big and ran for many seconds; the window counts a request when it ends, so
            # their whole time stayed in it for a window, then left it at once (an idle stretch, echoed).
            return min(self.max_weight, UNMEASURED_WEIGHT)
        return max(1, min(self.max_weight, int(self.time_limit / self.per_weight)))

    def _cap(self) -> int:
        """The most weight the next request carries: a full request's, or at the end of a backlog (nothing
        more on its way, less than a full request per place waiting) an even share of what waits over the
        places, at least a quarter of a full request. Sent as one, the last weight ran in one long request
        (or two) while the other places stood empty, and the span ended that much after the budget allowed;
        the share is fixed when the end begins (recomputed as more arrives), so the pieces are equal rather
        than shrinking as each goes."""
        cap = self.weight_cap()
        if self.places <= 1 or self.expected > 0:
            self.piece = None
            return cap
        total = sum(waiting.weight for waiting in self.waiting)
        if self.piece is None:
            if total >= self.places * cap:
                return cap
            self.piece = max(1, math.ceil(total / self.places), math.ceil(cap / 4))
        return min(cap, self.piece)

    def measured(self, weight: int, seconds: float) -> None:
        """A request of `weight` took `seconds` (from its admission to its answer, or to its timeout)."""
        if weight <= 0 or seconds <= 0:
            return
        sample = seconds / weight
        self.per_weight = sample if self.per_weight is None else 0.7 * self.per_weight + 0.3 * sample

    def _full(self) -> bool:
        """The waiting items fill a request on their own (by count, weight or bytes)."""
        if len(self.waiting) >= self.max_items:
            return True
        weight = size = 0
        cap = self._cap()
        piece = self.piece is not None  # a piece of a backlog's end is full at its share
        for waiting in self.waiting:
            weight += waiting.weight
            size += waiting.size
            if weight > cap or (piece and weight >= cap) or size > self.max_size:
                return True
        return False

    def _may_send(self, spare: bool = True) -> bool:
        if self.in_flight < self.max_in_flight:
            return True
        if self.in_flight >= self.max_burst:
            return False
        # Beyond the usual few, full requests: nothing is gained by waiting for company, and the limiter
        # holds them until the budget has room. And one that is not full when the client has a place it
        # would leave empty meanwhile: at the end of a backlog the last handoffs waited for two of the full
        # requests to finish, then went alone in one long request while the others' places stood empty.
        return self._full() or (spare and self.idle is not None and self.idle())

    def _kick(self) -> None:
        spare = True  # one request not full per look: the client counts it only once it has started
        while self.waiting and self._may_send(spare):
            hold = self._hold()
            if hold > 0:
                if self.timer is None:
                    self.timer = asyncio.get_running_loop().call_later(hold, self._rekick)
                return
            if self.in_flight >= self.max_in_flight and not self._full():
                spare = False
            taken = self._take()
            self.in_flight += 1
            task = asyncio.create_task(self._go(taken))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    def _rekick(self) -> None:
        self.timer = None
        self._kick()

    def _take(self) -> list[_Waiting[T, R]]:
        cap = self._cap()
        taken = [self.waiting.pop(0)]  # the first always goes, whatever its size: it cannot be split
        weight, size = taken[0].weight, taken[0].size
        while self.waiting and len(taken) < self.max_items:
            nxt = self.waiting[0]
            if weight + nxt.weight > cap or size + nxt.size > self.max_size:
                break
            taken.append(self.waiting.pop(0))
            weight += nxt.weight
            size += nxt.size
        return taken

    async def _go(self, taken: list[_Waiting[T, R]]) -> None:
        live = [w for w in taken if not w.future.done()]  # a handoff stopped meanwhile needs no answer
        shared = trail.Recording()
        refused: dict[int, BaseException] = {}  # a handoff's own part refused inside a shared answer
        try:
            if live:
                with trail.recording() as shared:
                    results = await self.send([w.item for w in live])
                for waiting, result in zip(live, results, strict=True):
                    if waiting.future.done():
                        continue
                    if isinstance(result, BaseException):
                        refused[id(waiting)] = result
                        waiting.future.set_exception(result)
                    else:
                        waiting.future.set_result(result)
        except BaseException as exc:  # the request as a whole failed: every handoff in it hears so
            for waiting in live:
                if not waiting.future.done():
                    waiting.future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
        finally:
            if self.time_limit is not None and shared.requests:
                # The last exchange is the one that answered (or timed out); earlier ones were refused.
                last = shared.requests[-1]
                seconds = last["ms"] / 1000
                if last.get("error") == "timed out" and self.time_limit:
                    seconds = max(seconds, 3 * self.time_limit)  # at least the whole timeout went by
                self.measured(sum(w.weight for w in live), seconds)
            for waiting in live:
                if waiting.recording is not None:
                    room = trail.MAX_REQUESTS - len(waiting.recording.requests)
                    mine = [dict(r, handoffs=len(live)) for r in shared.requests[:room]]
                    error = refused.get(id(waiting))
                    status = getattr(error, "status", None)
                    if mine and status is not None and len(mine) < room:
                        # This handoff's change set was refused (a 412 on its deterministic incident id, a 400)
                        # while the $batch's own status may be 200 (other handoffs' sets in it went through): the
                        # trail names its part's status and Dataverse's error code too.
                        last = mine[-1]
                        route = f"{last['route']} change set" if last["route"] == "$batch" else f"{last['route']} part"
                        code = getattr(error, "code", None)
                        mine.append(dict(last, route=route, status=status, code=code, error=None, handoffs=1))
                    waiting.recording.requests += mine
            self.in_flight -= 1
            self._kick()


# Which gates the handoff being processed in this context has not come to yet (Coalescer.preparing).
_owed: contextvars.ContextVar[set[Any] | None] = contextvars.ContextVar("handoff_owed", default=None)


def _arrived(gate: _Gate[Any, Any], owed: set[Any]) -> None:
    if gate in owed:
        owed.discard(gate)
        gate.expected -= 1
        gate._kick()


def _executing(limiter: Any) -> int:
    """Requests executing at once that use the execution-time budget (Dataverse: 1,200 / 300 = 4)."""
    return max(1, math.ceil(limiter.execution_per_window / limiter.window_seconds))


@dataclass
class ChangeSet:
    operations: list[Operation]
    size: int


class Coalescer:
    """The `$batch` change sets and contact lookups of concurrent handoffs, sent together.

    `max_handoffs` 1 turns it off: each handoff sends its own requests, as before.
    """

    def __init__(
        self,
        client: DataverseClient,
        *,
        max_handoffs: int,
        max_request_bytes: int,
        match_columns: Sequence[str],
        select: Sequence[str],
        max_in_flight: int = 2,
    ) -> None:
        self.client = client
        self.max_handoffs = max_handoffs
        self.match_columns = tuple(match_columns)
        self.select = tuple(dict.fromkeys(select))
        limiter = client.limiter
        burst = max(max_in_flight, min(limiter.max_concurrent, _executing(limiter) + 1))
        # The worker's handoffs that have not sent their lookup / change set yet (being analysed, or
        # about to): a request under way may wait a moment for them.
        self.sets: _Gate[ChangeSet, list[PartResponse]] = _Gate(
            self._send_sets, max_handoffs, MAX_OPERATIONS, max_request_bytes, max_in_flight, burst
        )
        timeout = client.timeout.total
        self.sets.time_limit = timeout / 3 if timeout else None
        self.sets.idle = limiter.idle
        self.sets.places = _executing(limiter)
        self.lookups: _Gate[str, dict[str, Any] | None] = _Gate(
            self._look_up, min(max_handoffs, MAX_LOOKUP_ADDRESSES), 1 << 30, 1 << 62, max_in_flight, burst
        )

    def wants_more(self) -> bool:
        """Would more handoffs in hand get through faster? Yes while Dataverse's budget (requests,
        execution time, concurrency) has room and no 429 came within the window."""
        return not self.client.limiter.saturated

    def most_in_hand(self) -> int:
        """Handoffs in hand that can use the whole budget: by Little's law, the budget's requests
        executing at once (execution per window / window, 4 for Dataverse) each carrying a full
        request's handoffs, plus a request filling and some being analysed; at least one request each
        when handoffs do not share requests."""
        limiter = self.client.limiter
        return max(limiter.max_concurrent, self.max_handoffs * (_executing(limiter) + 3))

    @contextlib.contextmanager
    def preparing(self) -> Iterator[None]:
        """Around one handoff's processing by the worker: until it sends its lookup and its change set,
        requests under way may wait a moment for it (never beyond LINGER)."""
        if not self.on:
            yield
            return
        owed = {self.lookups, self.sets}
        for gate in owed:
            gate.expected += 1
        token = _owed.set(owed)
        try:
            yield
        finally:
            _owed.reset(token)
            for gate in list(owed):
                _arrived(gate, owed)  # skipped, parked, failed: it will not come; let the others go

    @property
    def on(self) -> bool:
        return self.max_handoffs > 1

    async def change_set(self, operations: list[Operation], size: int) -> list[PartResponse]:
        """This handoff's change set, answered by its own parts or its own classified error."""
        if not self.on:
            return await self.client.batch(operations)
        owed = _owed.get()
        if owed is not None:
            _arrived(self.lookups, owed)  # no lookup after its change set
        return await self.sets.submit(ChangeSet(operations, size), weight=len(operations), size=size, owed=owed)

    async def find_contact(self, email: str) -> dict[str, Any] | None:
        """The oldest contact with this address in any match column (None when there is none)."""
        return await self.lookups.submit(email, owed=_owed.get())

    # ---------------------------------------------------------------------------------- requests

    async def _send_sets(self, sets: list[ChangeSet]) -> list[list[PartResponse] | BaseException]:
        if len(sets) == 1:
            try:
                return [await self.client.batch(sets[0].operations)]
            except HandoffError as exc:
                return [exc]
        # Content-IDs must be unique in the request: number them across the sets, and give each
        # handoff back its own numbering, which its roles (contact, incident, queue, ...) refer to.
        renamed: list[list[Operation]] = []
        originals: list[dict[str, str]] = []
        counter = 0
        for change_set in sets:
            ops, back = [], {}
            for n, op in enumerate(change_set.operations, start=1):
                counter += 1
                own = op.content_id or str(n)
                back[str(counter)] = own
                ops.append(Operation(op.method, op.path, op.body, op.headers, str(counter)))
            renamed.append(ops)
            originals.append(back)
        outcomes = await self.client.batch_sets(renamed)
        log.debug("$batch of %d change sets (%d operations)", len(sets), counter)
        results: list[list[PartResponse] | BaseException] = []
        for outcome, back in zip(outcomes, originals, strict=True):
            if isinstance(outcome, HandoffError):
                if outcome.content_id is not None:
                    outcome.content_id = back.get(outcome.content_id, outcome.content_id)
                results.append(outcome)
                continue
            for part in outcome:
                if part.content_id is not None:
                    part.content_id = back.get(part.content_id, part.content_id)
            results.append(outcome)
        return results

    async def _look_up(self, emails: list[str]) -> list[dict[str, Any] | BaseException | None]:
        wanted = list(dict.fromkeys(normalise(e) for e in emails))
        if len(wanted) == 1:
            # Alone, as before: the oldest contact of that address, in one GET of one row.
            return [await self._one(emails[0])] * len(emails)
        conditions = [f"{c}%20eq%20{odata_literal(email)}" for email in wanted for c in self.match_columns]
        # The match columns are read too, to tell which address each row answers (eq is case-insensitive).
        select = ",".join(dict.fromkeys((*self.select, *self.match_columns)))
        query = f"$select={select}&$filter={'%20or%20'.join(conditions)}&$orderby=createdon%20asc"
        body = (await self.client.request("GET", "contacts", query=query)).body or {}
        found: dict[str, dict[str, Any]] = {}
        for row in body.get("value", []):
            record = {k: v for k, v in row.items() if k in self.select}
            for column in self.match_columns:
                address = row.get(column)
                if isinstance(address, str) and normalise(address) in wanted:
                    found.setdefault(normalise(address), record)  # oldest first: the first row seen wins
        if body.get("@odata.nextLink"):
            # More rows than one page (addresses many contacts share): those not seen yet are looked
            # up one by one rather than guessed absent.
            for email in wanted:
                if email not in found:
                    record = await self._one(email)
                    if record is not None:
                        found[email] = record
        return [found.get(normalise(e)) for e in emails]

    async def _one(self, email: str) -> dict[str, Any] | None:
        query = contact_query(email, self.match_columns, self.select)
        rows = ((await self.client.request("GET", "contacts", query=query)).body or {}).get("value", [])
        return {k: v for k, v in rows[0].items() if not k.startswith("@")} if rows else None
