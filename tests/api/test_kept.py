"""api.kept.KeptPerGeneration: what the web front keeps for a store generation."""

from __future__ import annotations

from api.kept import KeptPerGeneration


def test_a_new_generation_drops_the_old_ones_answers() -> None:
    kept: KeptPerGeneration[list[str]] = KeptPerGeneration(10, len)
    kept.put(("gen-1", "fitko"), ["a", "b"])
    assert kept.get(("gen-1", "fitko")) == ["a", "b"]
    kept.put(("gen-2", "fitko"), ["a", "b", "c"])
    assert kept.get(("gen-1", "fitko")) is None  # never asked again after a load
    assert kept.get(("gen-2", "fitko")) == ["a", "b", "c"]


def test_the_limit_counts_by_size_and_drops_the_least_recently_used() -> None:
    kept: KeptPerGeneration[list[int]] = KeptPerGeneration(5, len)
    kept.put(("g", 1), [1, 2])
    kept.put(("g", 2), [1, 2])
    assert kept.get(("g", 1)) == [1, 2]  # now the most recently used
    kept.put(("g", 3), [1, 2])  # 6 > 5: list 2 goes
    assert kept.get(("g", 2)) is None and kept.get(("g", 1)) == [1, 2]
    kept.put(("g", 4), list(range(6)))  # larger than the limit: not kept
    assert kept.get(("g", 4)) is None and kept.get(("g", 3)) == [1, 2]
