"""Answers the web front keeps for one store generation: a list's ordered ids, today's status
of every resolution, a body page's first entries. A key begins with the generation; a load
switches in a new one, and the first answer kept for it drops those of the old, which are
never asked again. At most `limit` in all, measured by `size` (entries, or ids); the least
recently used go first. An answer larger than the limit is not kept."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class KeptPerGeneration(Generic[V]):
    def __init__(self, limit: int, size: Callable[[V], int] = lambda _: 1) -> None:
        self.limit = limit
        self.size = size
        self._kept: OrderedDict[tuple[Hashable, ...], V] = OrderedDict()

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
