"""The fair scheduler (api/limits.py) on its own: turn order, per-client limits, bounds,
cancellation. Slots are held by tasks the test releases by hand; nothing depends on timing
except the one wait-timeout case, which only checks the answer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import pytest

from api.errors import ApiError
from api.limits import LOOKUP, SPARQL, FairScheduler


class Harness:
    """Requests as tasks that take a slot, record it, and hold it until released."""

    def __init__(self, scheduler: FairScheduler) -> None:
        self.scheduler = scheduler
        self.granted: list[str] = []
        self.errors: dict[str, ApiError] = {}
        self._release: dict[str, asyncio.Event] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}

    def request(self, name: str, client: str, kind: str = SPARQL) -> None:
        release = self._release[name] = asyncio.Event()

        async def run() -> None:
            try:
                async with self.scheduler.slot(client, kind):
                    self.granted.append(name)
                    await release.wait()
            except ApiError as exc:
                self.errors[name] = exc

        self.tasks[name] = asyncio.get_running_loop().create_task(run())

    async def settle(self) -> None:
        # enough loop iterations for every runnable task to reach its next wait
        for _ in range(20):
            await asyncio.sleep(0)

    async def release(self, name: str) -> None:
        self._release[name].set()
        await self.settle()

    async def release_all(self) -> None:
        for event in self._release.values():
            event.set()
        await asyncio.gather(*self.tasks.values(), return_exceptions=True)


def run(test: Callable[[], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(test())


def scenario(**options: Any) -> Callable[[Callable[[Harness], Awaitable[None]]], None]:
    """Run the decorated coroutine with a Harness on a fresh scheduler and loop."""
    def wrap(body: Callable[[Harness], Awaitable[None]]) -> None:
        async def main() -> None:
            harness = Harness(FairScheduler(**options))
            try:
                await body(harness)
            finally:
                await harness.release_all()
            assert harness.scheduler.waiting == 0
            assert harness.scheduler.running == 0
            assert harness.scheduler.clients == 0
        run(main)
    return wrap


def test_clients_take_turns_when_a_worker_frees() -> None:
    @scenario(slots=1, sparql_per_client=1)
    async def _(h: Harness) -> None:
        h.request("a0", "A")
        await h.settle()
        for name in ("a1", "a2", "a3"):
            h.request(name, "A")
        h.request("b1", "B")
        h.request("c1", "C")
        await h.settle()
        assert h.granted == ["a0"]
        assert h.scheduler.waiting == 5
        for name in ("a0", "a1", "b1", "c1", "a2"):
            await h.release(name)
        # A's backlog does not delay B and C by more than one turn
        assert h.granted == ["a0", "a1", "b1", "c1", "a2", "a3"]


def test_one_client_leaves_a_worker_for_the_others_by_default() -> None:
    @scenario(slots=2)
    async def _(h: Harness) -> None:
        assert h.scheduler.sparql_per_client == 1  # all workers but one
        h.request("a1", "A")
        h.request("a2", "A")
        await h.settle()
        assert h.granted == ["a1"]  # a2 waits although a worker is free
        assert h.scheduler.client_state("A") == {"running": 1, "waiting": 1}
        h.request("b1", "B")
        await h.settle()
        assert h.granted == ["a1", "b1"]


async def _quick_history(h: Harness, client: str, queries: int = 12) -> None:
    """`queries` SPARQL requests of `client`, each released as soon as it is granted."""
    for i in range(queries):
        h.request(f"{client}-quick-{i}", client)
        await h.settle()
        await h.release(f"{client}-quick-{i}")


async def _slow_query(h: Harness, client: str, seconds: float) -> None:
    """After a quick history, one query of `client` that holds its worker for `seconds`."""
    await _quick_history(h, client)
    h.request("slow", client)
    await h.settle()
    await asyncio.sleep(seconds)


def test_a_client_with_quick_queries_may_use_every_worker() -> None:
    @scenario(slots=2)
    async def _(h: Harness) -> None:
        await _quick_history(h, "A")
        h.request("a1", "A")
        h.request("a2", "A")
        await h.settle()
        assert h.granted[-2:] == ["a1", "a2"]  # both workers: A's queries free them at once
        assert h.scheduler.client_state("A") == {"running": 2, "waiting": 0}


def test_a_quick_client_with_a_slow_query_running_keeps_the_reserve() -> None:
    @scenario(slots=2)
    async def _(h: Harness) -> None:
        await _slow_query(h, "A", 0.1)  # still running after 0.1 s: not a quick one
        h.request("a1", "A")
        await h.settle()
        assert h.scheduler.client_state("A") == {"running": 1, "waiting": 1}
        h.request("b1", "B")
        await h.settle()
        assert h.granted[-1] == "b1"  # the reserved worker went to the other client


def test_one_slow_query_brings_the_reserve_back() -> None:
    @scenario(slots=2)
    async def _(h: Harness) -> None:
        await _slow_query(h, "A", 0.3)  # held for 0.3 s: the average leaves the quick range
        await h.release("slow")
        h.request("a1", "A")
        h.request("a2", "A")
        await h.settle()
        assert h.granted[-1] == "a1"
        assert h.scheduler.client_state("A") == {"running": 1, "waiting": 1}


def test_lookups_use_any_worker_and_go_before_the_same_clients_sparql() -> None:
    @scenario(slots=2)
    async def _(h: Harness) -> None:
        h.request("a-sparql-1", "A")
        h.request("a-sparql-2", "A")
        h.request("a-page", "A", LOOKUP)
        await h.settle()
        # the page takes the worker A's second query may not
        assert h.granted == ["a-sparql-1", "a-page"]
        h.request("a-page-2", "A", LOOKUP)
        await h.settle()
        await h.release("a-sparql-1")
        assert h.granted == ["a-sparql-1", "a-page", "a-page-2"]
        await h.release("a-page")
        assert h.granted[-1] == "a-sparql-2"


def test_a_notebook_with_eight_threads_is_queued_not_refused() -> None:
    @scenario(slots=2)
    async def _(h: Harness) -> None:
        for i in range(8):
            h.request(f"t{i}", "notebook")
        await h.settle()
        assert h.scheduler.client_state("notebook") == {"running": 1, "waiting": 7}
        for i in range(8):
            await h.release(f"t{i}")
        assert h.granted == [f"t{i}" for i in range(8)]
        assert h.errors == {}


def test_a_full_client_queue_answers_429_with_retry_after() -> None:
    @scenario(slots=2, sparql_queue=3)
    async def _(h: Harness) -> None:
        for i in range(6):
            h.request(f"a{i}", "A")
        h.request("b", "B")
        await h.settle()
        assert sorted(h.errors) == ["a4", "a5"]
        error = h.errors["a4"]
        assert (error.status, error.code) == (429, "too_many_requests")
        assert error.detail == {"waiting": 3, "limit": 3}
        assert 1 <= int(error.headers["Retry-After"]) <= 60
        assert h.granted == ["a0", "b"]  # the flood does not touch B
        assert h.scheduler.refused == {"too_many_requests": 2}


def test_lookups_have_their_own_larger_budget() -> None:
    @scenario(slots=1, sparql_queue=1, lookup_queue=4)
    async def _(h: Harness) -> None:
        h.request("s0", "A")
        h.request("s1", "A")
        h.request("s2", "A")  # beyond the SPARQL queue
        for i in range(4):
            h.request(f"p{i}", "A", LOOKUP)
        h.request("p4", "A", LOOKUP)  # beyond the lookup queue
        await h.settle()
        assert sorted(h.errors) == ["p4", "s2"]
        assert h.scheduler.client_state("A") == {"running": 1, "waiting": 5}


def test_the_global_bound_answers_503() -> None:
    @scenario(slots=1, max_waiting=2)
    async def _(h: Harness) -> None:
        for client in "ABCD":
            h.request(client, client)
        await h.settle()
        assert list(h.errors) == ["D"]
        assert (h.errors["D"].status, h.errors["D"].code) == (503, "server_busy")
        assert "Retry-After" in h.errors["D"].headers


def test_waiting_longer_than_the_queue_timeout_answers_503() -> None:
    @scenario(slots=1, wait_timeout_s=0.05)
    async def _(h: Harness) -> None:
        h.request("a", "A")
        h.request("b", "B")
        await h.tasks["b"]  # gives up after the wait timeout while a holds the slot
        assert (h.errors["b"].status, h.errors["b"].code) == (503, "server_busy")
        assert h.scheduler.waiting == 0
        assert h.granted == ["a"]


def test_a_request_cancelled_while_waiting_leaves_no_trace() -> None:
    @scenario(slots=1)
    async def _(h: Harness) -> None:
        h.request("a", "A")
        h.request("b", "B")
        h.request("c", "C")
        await h.settle()
        h.tasks["b"].cancel()
        await h.settle()
        assert h.scheduler.waiting == 1
        assert h.scheduler.client_state("B") == {"running": 0, "waiting": 0}
        await h.release("a")
        assert h.granted == ["a", "c"]


def test_a_request_cancelled_as_it_is_granted_gives_the_slot_back() -> None:
    async def main() -> None:
        scheduler = FairScheduler(slots=1)
        holder = asyncio.Event()

        async def hold() -> None:
            async with scheduler.slot("A"):
                await holder.wait()

        async def wait_for_slot() -> None:
            async with scheduler.slot("B"):
                raise AssertionError("never reaches the body: cancelled first")

        first = asyncio.create_task(hold())
        await asyncio.sleep(0)
        second = asyncio.create_task(wait_for_slot())
        await asyncio.sleep(0)
        # release A (which grants B's future) and cancel B before it runs again
        holder.set()
        await first
        assert scheduler.running == 1  # granted to B
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await second
        assert (scheduler.running, scheduler.waiting, scheduler.clients) == (0, 0, 0)

    run(main)


def test_unknown_kind_is_a_programming_error() -> None:
    async def main() -> None:
        with pytest.raises(ValueError, match="unknown request kind"):
            async with FairScheduler(slots=1).slot("A", "bulk"):
                pass

    run(main)
