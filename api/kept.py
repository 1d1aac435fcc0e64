"""Answers the web front keeps for one store generation: a list's ordered ids, today's status
of every resolution, a body page's first entries. A key begins with the generation; a load
switches in a new one, and the first answer kept for it drops those of the old, which are
never asked again. At most `limit` in all, measured by `size` (entries, or ids); the least
recently used go first. An answer larger than the limit is not kept.

An answer kept for the generation a load started from serves the new one too, where the
load noted which resolutions' facts it changed (`changed_since`): only their part is read
again (the REST lists, /beschluesse).

`SingleFlight` makes one answer once when several ask for it at the same time (two visitors,
or a visitor and the server's own warm-up, api/warming.py): the others wait for it instead of
making it beside it on the same cores."""

from __future__ import annotations

import asyncio
import functools
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

from kg.analysis.cache import owners_since

V = TypeVar("V")

# the most resolutions whose part of an answer is read again for a new generation; beyond,
# the whole answer is (a load of many documents)
CARRY_ROWS = 5_000


def changed_since(generation: object, kept: object) -> frozenset[str] | None:
    """The resolutions whose facts differ between the generation an answer was `kept` for
    and `generation` (kg.analysis.cache.owners_since: the analysis regions of the loads in
    between); None: read the whole answer again."""
    if not isinstance(generation, Path) or not isinstance(kept, Path) or kept == generation:
        return None
    return _changed_between(generation, kept)


@functools.lru_cache(maxsize=8)
def _changed_between(generation: Path, kept: Path) -> frozenset[str] | None:
    # read once per pair: the facets, the table, the ids and the states of a new generation
    # all ask (a delta never changes once its generation is current)
    owners = owners_since(generation, kept)
    return frozenset(owners) if owners is not None and len(owners) <= CARRY_ROWS else None


class SingleFlight(Generic[V]):
    """At most one `make` per key running at a time in an event loop; who asks for the same key
    meanwhile gets its result (or its error). Where the one making it is cancelled (its
    client went away), a waiting caller makes it itself."""

    def __init__(self) -> None:
        self._running: dict[tuple[asyncio.AbstractEventLoop, Hashable],
                            asyncio.Future[V]] = {}

    async def run(self, key: Hashable, make: Callable[[], Awaitable[V]]) -> V:
        loop = asyncio.get_running_loop()
        while (running := self._running.get((loop, key))) is not None:
            try:
                return await asyncio.shield(running)
            except asyncio.CancelledError:
                if not running.cancelled():
                    raise  # this caller was cancelled, not the one making it
        future: asyncio.Future[V] = loop.create_future()
        # an error nobody waited for is not "never retrieved"
        future.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._running[(loop, key)] = future
        try:
            value = await make()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except BaseException as exc:
            future.set_exception(exc)
            raise
        finally:
            if self._running.get((loop, key)) is future:
                del self._running[(loop, key)]
        future.set_result(value)
        return value


class KeptPerGeneration(Generic[V]):
    def __init__(self, limit: int, size: Callable[[V], int] = lambda _: 1) -> None:
        self.limit = limit
        self.size = size
        self._kept: OrderedDict[tuple[Hashable, ...], V] = OrderedDict()
        self._making: SingleFlight[V | None] = SingleFlight()

    def get(self, key: tuple[Hashable, ...]) -> V | None:
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def put(self, key: tuple[Hashable, ...], value: V) -> None:
        if self.size(value) > self.limit:
            return
        if self._kept and next(iter(self._kept))[0] != key[0]:
            self._kept.clear()  # a new generation
        self._kept[key] = value
        while sum(map(self.size, self._kept.values())) > self.limit:
            self._kept.popitem(last=False)

    async def get_or_make(self, key: tuple[Hashable, ...],
                          make: Callable[[], Awaitable[V | None]]) -> V | None:
        """The answer kept under `key`, or `make`'s, kept (None: nothing to keep). Made once
        however many ask for it at the same time (`SingleFlight`)."""
        found = self.get(key)
        if found is not None:
            return found

        async def once() -> V | None:
            made = self.get(key)  # made by a caller whose making ended just before
            if made is None:
                made = await make()
                if made is not None:
                    self.put(key, made)
            return made

        return await self._making.run(key, once)

    def generations(self) -> set[Hashable]:
        """The generations answers are kept for now (at most one after a put)."""
        return {key[0] for key in self._kept}

    def earlier(self, generation: object, rest: tuple[Hashable, ...]
                ) -> tuple[V, frozenset[str]] | None:
        """An answer kept under `rest` for the generation a load made `generation` from,
        with the resolutions whose facts the load changed (`changed_since`)."""
        for (kept, *others), value in list(self._kept.items()):
            if tuple(others) == rest:
                owners = changed_since(generation, kept)
                if owners is not None:
                    return value, owners
        return None

