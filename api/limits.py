"""Fair scheduling of queries onto the worker pool.

Every request that needs a query worker asks the scheduler for a slot (one per worker). A
request that cannot start at once waits in its client's queue; whenever a worker becomes free,
the clients take turns (round robin over the clients that have a request that may start), so a
client with twenty waiting queries does not delay one with a single query by more than one
turn. What a client may do:

* SPARQL (`/sparql`, named queries): at most `max_concurrent_per_client` running at once
  (default: all workers but one, so one client's slow queries leave a worker for everyone
  else) and `queue_per_client` waiting; one more is refused with 429 and a Retry-After
  estimated from recent query times. A notebook with 8 threads is queued, not refused.
  A client whose recent queries were quick (a moving average of how long they held a worker
  under `QUICK_HOLD_S`) may use every free worker: the reserve exists for slow queries, and a
  stream of quick ones frees a worker within milliseconds for whoever comes next.
* Lookups (resource pages, REST, the service description): fixed, bound, cheap queries. They
  have their own, larger queue (`lookup_queue_per_client`), may use every worker, and go
  before the same client's SPARQL, so a page does not wait behind its own user's query.

Bounds for everyone: `queue_max` requests waiting in all (then 503 server_busy) and
`queue_timeout_s` of waiting (then 503 server_busy). Waiting does not eat into a query's
deadline: the deadline starts when a worker takes the query.

All state lives on the event loop and changes only between awaits: no locks.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import Counter, OrderedDict, deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from api.errors import ApiError

LOOKUP = "lookup"
SPARQL = "sparql"
KINDS = (LOOKUP, SPARQL)
MAX_RETRY_AFTER_S = 60
# first guesses of how long a slot is held, until real requests have been timed
_INITIAL_HOLD_S = {LOOKUP: 0.05, SPARQL: 0.5}
_EWMA = 0.2  # weight of the newest hold time
QUICK_HOLD_S = 0.05  # a client's average SPARQL hold below this: it may use every worker
_REMEMBERED_CLIENTS = 4096  # hold-time averages kept for clients between their requests


@dataclass(eq=False)
class _Waiter:
    client: str
    kind: str
    future: asyncio.Future[None]


@dataclass
class _Client:
    name: str
    waiting: dict[str, deque[_Waiter]] = field(
        default_factory=lambda: {kind: deque() for kind in KINDS})
    running: Counter[str] = field(default_factory=Counter)
    sparql_began: list[float] = field(default_factory=list)  # its running SPARQL, loop time

    def idle(self) -> bool:
        return not any(self.waiting.values()) and not any(self.running.values())


class FairScheduler:
    def __init__(self, slots: int, *, sparql_per_client: int = 0, sparql_queue: int = 16,
                 lookup_queue: int = 64, max_waiting: int = 256,
                 wait_timeout_s: float = 30.0) -> None:
        self.slots = max(1, slots)
        self.sparql_per_client = (sparql_per_client if sparql_per_client > 0
                                  else max(1, self.slots - 1))
        self.queue_limit = {SPARQL: max(0, sparql_queue), LOOKUP: max(0, lookup_queue)}
        self.max_waiting = max(0, max_waiting)
        self.wait_timeout_s = wait_timeout_s
        self._free = self.slots
        self._clients: dict[str, _Client] = {}
        self._turns: OrderedDict[str, None] = OrderedDict()  # clients with waiters, in turn
        self._waiting = 0
        self._hold_s = dict(_INITIAL_HOLD_S)
        # per client: average SPARQL hold; a new client starts at the slow first guess
        self._client_hold_s: OrderedDict[str, float] = OrderedDict()
        self.refused: Counter[str] = Counter()  # by error code, for /health and tests

    # -- state for /health and tests

    @property
    def waiting(self) -> int:
        return self._waiting

    @property
    def running(self) -> int:
        return self.slots - self._free

    @property
    def clients(self) -> int:
        return len(self._clients)

    def client_state(self, client: str) -> dict[str, int]:
        state = self._clients.get(client)
        if state is None:
            return {"running": 0, "waiting": 0}
        return {"running": sum(state.running.values()),
                "waiting": sum(len(q) for q in state.waiting.values())}

    # -- the slot

    @contextlib.asynccontextmanager
    async def slot(self, client: str, kind: str = SPARQL) -> AsyncIterator[None]:
        if kind not in KINDS:
            raise ValueError(f"unknown request kind {kind!r}")
        await self._acquire(client, kind)
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            yield
        finally:
            self._release(client, kind, loop.time() - started)

    async def _acquire(self, client: str, kind: str) -> None:
        state = self._clients.setdefault(client, _Client(client))
        waiter = _Waiter(client, kind, asyncio.get_running_loop().create_future())
        state.waiting[kind].append(waiter)
        self._waiting += 1
        self._turns.setdefault(client)  # a new client joins at the end of the round
        self._dispatch()
        if waiter.future.done():
            return
        queued = len(state.waiting[kind])
        if queued > self.queue_limit[kind]:
            self._drop(waiter)
            self.refused["too_many_requests"] += 1
            what = "queries" if kind == SPARQL else "page and REST requests"
            raise ApiError(
                429, "too_many_requests",
                f"{queued - 1} {what} of this client are already waiting for a query worker "
                f"(at most {self.queue_limit[kind]}); send the next one when one has finished",
                {"waiting": queued - 1, "limit": self.queue_limit[kind]},
                headers={"Retry-After": str(self._retry_after(state, kind))})
        if self._waiting > self.max_waiting:
            self._drop(waiter)
            self.refused["server_busy"] += 1
            raise ApiError(503, "server_busy",
                           f"{self.max_waiting} requests are already waiting for a query "
                           "worker; retry later",
                           headers={"Retry-After": str(self._retry_after_all())})
        try:
            done, _ = await asyncio.wait({waiter.future}, timeout=self.wait_timeout_s)
        except asyncio.CancelledError:
            # the request went away while waiting (or just as it was granted)
            if waiter.future.done():
                self._release(client, kind, 0.0)
            else:
                self._drop(waiter)
            raise
        if not done:
            self._drop(waiter)
            self.refused["server_busy"] += 1
            raise ApiError(503, "server_busy",
                           f"no query worker became free within {self.wait_timeout_s:g} s; "
                           "retry later", headers={"Retry-After": str(self._retry_after_all())})

    def _eligible(self, state: _Client) -> str | None:
        if state.waiting[LOOKUP]:
            return LOOKUP
        if state.waiting[SPARQL] and state.running[SPARQL] < self._sparql_limit(state):
            return SPARQL
        return None

    def _sparql_limit(self, state: _Client) -> int:
        quick = (self._client_hold_s.get(state.name, _INITIAL_HOLD_S[SPARQL]) < QUICK_HOLD_S
                 # and none of its queries running now has turned out slow
                 and all(asyncio.get_running_loop().time() - began < QUICK_HOLD_S
                         for began in state.sparql_began))
        return self.slots if quick else self.sparql_per_client

    def _dispatch(self) -> None:
        while self._free > 0 and self._turns:
            chosen: tuple[str, _Client, str] | None = None
            for client in self._turns:
                state = self._clients[client]
                kind = self._eligible(state)
                if kind is not None:
                    chosen = (client, state, kind)
                    break
            if chosen is None:
                return  # only clients at their running limit are waiting
            client, state, kind = chosen
            waiter = state.waiting[kind].popleft()
            self._waiting -= 1
            state.running[kind] += 1
            if kind == SPARQL:
                state.sparql_began.append(asyncio.get_running_loop().time())
            self._free -= 1
            waiter.future.set_result(None)
            if any(state.waiting.values()):
                self._turns.move_to_end(client)
            else:
                del self._turns[client]

    def _drop(self, waiter: _Waiter) -> None:
        state = self._clients[waiter.client]
        with contextlib.suppress(ValueError):
            state.waiting[waiter.kind].remove(waiter)
            self._waiting -= 1
        if not waiter.future.done():
            waiter.future.cancel()
        if not any(state.waiting.values()):
            self._turns.pop(waiter.client, None)
        if state.idle():
            del self._clients[waiter.client]

    def _release(self, client: str, kind: str, held_s: float) -> None:
        state = self._clients[client]
        state.running[kind] -= 1
        if kind == SPARQL and state.sparql_began:
            began = asyncio.get_running_loop().time() - held_s
            state.sparql_began.remove(min(state.sparql_began, key=lambda b: abs(b - began)))
        self._free += 1
        if held_s > 0:
            self._hold_s[kind] += _EWMA * (held_s - self._hold_s[kind])
            if kind == SPARQL:
                before = self._client_hold_s.pop(client, _INITIAL_HOLD_S[SPARQL])
                self._client_hold_s[client] = before + _EWMA * (held_s - before)
                if len(self._client_hold_s) > _REMEMBERED_CLIENTS:
                    self._client_hold_s.popitem(last=False)
        if state.idle():
            del self._clients[client]
        self._dispatch()

    def _retry_after(self, state: _Client, kind: str) -> int:
        """Seconds until this client's queue has room again, from recent hold times."""
        parallel = self.sparql_per_client if kind == SPARQL else self.slots
        backlog = len(state.waiting[kind]) + 1
        return self._clamp(self._hold_s[kind] * backlog / parallel)

    def _retry_after_all(self) -> int:
        return self._clamp(self._hold_s[SPARQL] * (self._waiting + 1) / self.slots)

    @staticmethod
    def _clamp(seconds: float) -> int:
        return max(1, min(MAX_RETRY_AFTER_S, math.ceil(seconds)))
