"""A load that wrote many quads compacts the new generation's files before it is switched in
(the bulk loader's overlapping files made queries 1.5-2x slower at 1,000 sessions); a small
load does not pay for it. The compacted store holds the same quads."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg.loading
from kg.loading import load_paths
from kg.settings import Settings
from kg.store import OxigraphStore, StoreDirectory


@pytest.fixture
def compactions(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The generations compacted, by the real method."""
    seen: list[Path] = []
    real = OxigraphStore.compact

    def spy(self: OxigraphStore) -> None:
        seen.append(self.path)  # type: ignore[arg-type]
        real(self)

    monkeypatch.setattr(OxigraphStore, "compact", spy)
    return seen


def _quads(store: Path) -> tuple[int, int]:
    s = StoreDirectory(store).open_read_only()
    try:
        union = int(str(s.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]))
        return s.count_quads(), union
    finally:
        s.close()


def test_a_large_load_compacts_and_keeps_every_quad(tmp_path: Path, compactions: list[Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.settings import SAMPLES_DIR

    load_paths([SAMPLES_DIR], Settings(store=tmp_path / "plain"))
    assert compactions == []  # about 12,000 quads: below the threshold
    monkeypatch.setattr(kg.loading, "COMPACT_AFTER_QUADS", 1)
    load_paths([SAMPLES_DIR], Settings(store=tmp_path / "compacted"))
    assert [p.parent for p in compactions] == [tmp_path / "compacted"]
    assert _quads(tmp_path / "compacted") == _quads(tmp_path / "plain")
    assert _quads(tmp_path / "plain")[0] > 10_000
