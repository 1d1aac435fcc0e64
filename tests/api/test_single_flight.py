"""One answer made once when several ask for it at the same time (api/kept.py SingleFlight):
the others wait for it, get its error, or make it themselves when its maker was cancelled;
and the REST list, its states and the browsable table are each made once for two visitors
who come together."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import httpx
import pytest

from api import browse, data
from api.app import create_app
from api.kept import KeptPerGeneration, SingleFlight
from kg.settings import Settings


class Maker:
    """A `make` that counts its calls and finishes when told to."""

    def __init__(self, value: object = "made", error: Exception | None = None) -> None:
        self.calls = 0
        self.value = value
        self.error = error
        self.release = asyncio.Event()

    async def __call__(self) -> object:
        self.calls += 1
        await self.release.wait()
        if self.error is not None:
            raise self.error
        return self.value


async def _settle() -> None:
    for _ in range(5):  # let every task started reach its next wait
        await asyncio.sleep(0)


async def _maker_and_waiter() -> tuple[Maker, asyncio.Task, asyncio.Task]:
    """A making under way and a second caller of the same key waiting for it."""
    flight: SingleFlight[object] = SingleFlight()
    make = Maker()
    maker = asyncio.create_task(flight.run("ids", make))
    await _settle()
    waiter = asyncio.create_task(flight.run("ids", make))
    await _settle()
    return make, maker, waiter


def test_callers_of_one_key_share_one_making() -> None:
    async def scenario() -> tuple[list[object], int]:
        flight: SingleFlight[object] = SingleFlight()
        make = Maker()
        tasks = [asyncio.create_task(flight.run("ids", make)) for _ in range(3)]
        await _settle()
        make.release.set()
        return await asyncio.gather(*tasks), make.calls

    results, calls = asyncio.run(scenario())
    assert (results, calls) == (["made", "made", "made"], 1)


def test_other_keys_are_made_apart() -> None:
    async def scenario() -> tuple[int, int]:
        flight: SingleFlight[object] = SingleFlight()
        first, second = Maker("a"), Maker("b")
        tasks = [asyncio.create_task(flight.run("a", first)),
                 asyncio.create_task(flight.run("b", second))]
        await _settle()
        first.release.set()
        second.release.set()
        assert await asyncio.gather(*tasks) == ["a", "b"]
        return first.calls, second.calls

    assert asyncio.run(scenario()) == (1, 1)


def test_an_error_reaches_every_waiter_and_the_next_call_tries_again() -> None:
    async def scenario() -> tuple[list[object], object, int]:
        flight: SingleFlight[object] = SingleFlight()
        make = Maker(error=ValueError("deadline"))
        tasks = [asyncio.create_task(flight.run("ids", make)) for _ in range(2)]
        await _settle()
        make.release.set()
        errors = await asyncio.gather(*tasks, return_exceptions=True)
        make.error = None  # the next caller makes it anew
        return [str(e) for e in errors], await flight.run("ids", make), make.calls

    assert asyncio.run(scenario()) == (["deadline", "deadline"], "made", 2)


def test_a_waiter_makes_it_when_the_maker_is_cancelled() -> None:
    async def scenario() -> tuple[object, int]:
        make, maker, waiter = await _maker_and_waiter()
        maker.cancel()  # its client went away
        await _settle()
        make.release.set()
        return await waiter, make.calls

    assert asyncio.run(scenario()) == ("made", 2)


def test_a_cancelled_waiter_leaves_the_making_alone() -> None:
    async def scenario() -> tuple[object, bool, int]:
        make, maker, waiter = await _maker_and_waiter()
        waiter.cancel()
        await _settle()
        make.release.set()
        return await maker, waiter.cancelled(), make.calls

    assert asyncio.run(scenario()) == ("made", True, 1)


@pytest.mark.parametrize("path", [
    "/resolutions",  # the whole record's ordered ids
    "/resolutions?status=repealed",  # those and today's status of every resolution
    "/beschluesse.json",  # the facets and the table
])
def test_two_visitors_at_once_make_a_list_once(sample_store: Path, path: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    ids, states, table = data._ordered_ids, data._snapshot, browse.resolution_rows

    async def counted_ids(*args: object, **kwargs: object) -> object:
        made.append("ids")
        return await ids(*args, **kwargs)  # type: ignore[arg-type]

    async def counted_states(*args: object, **kwargs: object) -> object:
        made.append("states")
        return await states(*args, **kwargs)  # type: ignore[arg-type]

    def counted_rows(*args: object, **kwargs: object) -> object:
        made.append("table")
        return table(*args, **kwargs)  # type: ignore[arg-type]

    # nothing kept by earlier tests of this process
    monkeypatch.setattr(data, "_LISTS", KeptPerGeneration(data.KEPT_IDS, len))
    monkeypatch.setattr(data, "_STATES", KeptPerGeneration(1))
    monkeypatch.setattr(browse, "_KEPT_TABLE", [])
    monkeypatch.setattr(browse, "_cache", {})
    monkeypatch.setattr(data, "_ordered_ids", counted_ids)
    monkeypatch.setattr(data, "_snapshot", counted_states)
    monkeypatch.setattr(browse, "resolution_rows", counted_rows)
    app = create_app(Settings(store=sample_store, query_workers=2, warm_pages=False))

    async def two_at_once() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=transport, base_url="http://test") as client:
            answers = await asyncio.gather(client.get(path), client.get(path))
        return [a.status_code for a in answers]

    result: list[list[int]] = []
    # in a thread of its own: the app's lifespan wants an event loop to itself
    worker = threading.Thread(target=lambda: result.append(asyncio.run(two_at_once())))
    worker.start()
    worker.join(120)
    assert result == [[200, 200]]
    # a status list is its own ids made from those of the whole list (twice "ids")
    expected = {"/resolutions": ["ids"],
                "/resolutions?status=repealed": ["ids", "ids", "states"],
                "/beschluesse.json": ["table"]}[path]
    assert sorted(made) == expected
