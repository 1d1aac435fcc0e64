"""A generation's projection carried forward from the one before (kg/analysis/carry.py) equals
a fresh projection of the generation: nodes with every attribute, edges, mandates,
references and ids, load after load, and through documents that change or lose what others
cite."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import pytest

import kg.analysis.cache
import kg.analysis.step
from bench.synth_protocols import generate
from kg.analysis import cache
from kg.analysis.dependencies import ChainSet, chains, cycles
from kg.analysis.projection import Projection, project
from kg.loading import load_paths
from kg.settings import SAMPLES_DIR, Settings
from kg.store import StoreDirectory

from .conftest import PROTOCOLS, r

P49 = PROTOCOLS / "itplr-49-2026-03-25-protokoll.txt"
P50 = PROTOCOLS / "itplr-50-2026-06-24-protokoll.txt"
SEED = SAMPLES_DIR / "itplr-48-2025-11-26-protokoll.txt"


def _load(store: Path, *paths: Path) -> Path:
    report = load_paths(list(paths), Settings(store=store))
    assert report.ok, [str(e) for _, e in report.failed]
    generation = StoreDirectory(store).current_path()
    assert generation is not None
    return generation


def _form(proj: Projection) -> tuple:
    """Everything a projection says, in a form to compare (node and edge order aside)."""
    return ({n: dict(data) for n, data in proj.attrs.items()},
            sorted(proj.graph.edges(keys=True)),
            [asdict(m) for m in proj.mandates], [asdict(ref) for ref in proj.references],
            dict(proj.by_id))


def _fresh(generation: Path) -> Projection:
    store = kg.store.OxigraphStore.open_generation(generation, read_only=True)
    try:
        return project(store)
    finally:
        store.close()


def _carried(generation: Path) -> Projection:
    """The projection `project_generation` gives, which must have come from a base."""
    assert (cache.sidecar(generation) / cache.BASE / cache.CHANGED).exists()
    store = kg.store.OxigraphStore.open_generation(generation, read_only=True)
    try:
        carried = cache._carried(generation, store)
    finally:
        store.close()
    assert carried is not None
    return carried


def _same(generation: Path) -> Projection:
    carried, fresh = _carried(generation), _fresh(generation)
    assert _form(carried) == _form(fresh)
    assert ChainSet.of(carried).chains == ChainSet.of(fresh).chains
    assert cycles(carried) == cycles(fresh)
    return carried


@pytest.fixture
def carried_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if a load after the first projects the whole record."""
    monkeypatch.setattr(kg.analysis.step, "REGION_SHARE", 1.0)


def test_one_protocol_at_a_time_and_a_changed_one(tmp_path: Path, carried_only: None) -> None:
    protocols = generate(14, 7, tmp_path / "synthetic")
    store = tmp_path / "store"
    first = _load(store, SAMPLES_DIR, *protocols[:10])
    assert cache.is_kept(first)  # the first load projected the record and kept it
    for path in protocols[10:]:  # each new session repeals, amends, replaces earlier ones
        generation = _load(store, path)
        cache.save(generation, _same(generation))
        assert not (cache.sidecar(generation) / cache.BASE).exists()  # kept whole now
    # session 12 again, without its repeals and replacements
    changed = protocols[11]
    lines = changed.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if "aufgehoben" not in line and "ersetzt" not in line]
    assert len(kept) < len(lines)
    changed.write_text("".join(kept), encoding="utf-8")
    _same(_load(store, changed))


def test_a_base_carries_over_several_loads(tmp_path: Path, carried_only: None) -> None:
    store = tmp_path / "store"
    _load(store, SAMPLES_DIR)
    _load(store, P49)  # nobody asks for its projection
    generation = _load(store, P50)
    # the base of the register and the seed, with what both loads changed
    changed = kg.analysis.cache._read(cache.sidecar(generation) / cache.BASE / cache.CHANGED)
    assert changed is not None
    assert {r("2026/01"), r("2026/13")} <= changed[1]  # a resolution of each protocol
    proj = _same(generation)
    assert proj.attrs[r("2026/01")]["loaded"] is True
    assert [c for c in chains(proj) if r("2026/01") in c.members]


def test_a_document_that_no_longer_states_what_others_cite(tmp_path: Path,
                                                           carried_only: None) -> None:
    store = tmp_path / "store"
    _load(store, SEED, P49, P50)
    # the 49th session without its repeal of points of 2025/33, and without its first
    # resolution's heading: 2026/01 then is only what others cite
    text = P49.read_text(encoding="utf-8")
    changed = tmp_path / P49.name
    changed.write_text(text.replace("werden aufgehoben", "werden geprüft"), encoding="utf-8")
    generation = _load(store, changed)
    proj = _same(generation)
    assert not proj.has_key(r("2026/01"), r("2025/33") + "/ziffer/2", "repeals")


def test_a_document_that_drops_a_resolution_another_one_amends(tmp_path: Path,
                                                               carried_only: None) -> None:
    store = tmp_path / "store"
    _load(store, P49, P50)
    # the 49th session without TOP 02: 2026/02, whose point 1 the 50th session amends, and
    # the only mandate of the RegMo coordinators are no longer stated
    lines = P49.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("02 "))
    end = next(i for i, line in enumerate(lines) if line.startswith("03 "))
    changed = tmp_path / P49.name
    changed.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")
    regmo = Settings().base_iri + "gremium/regmo-koordinatoren"
    assert regmo in _fresh(StoreDirectory(store).current_path()).attrs  # type: ignore[arg-type]
    proj = _same(_load(store, changed))
    assert regmo not in proj.attrs
    assert proj.has_key(r("2026/12"), r("2026/02") + "/ziffer/1", "amends")
    assert proj.attrs[r("2026/02")]["loaded"] is False


def test_the_projection_of_a_new_generation_comes_from_its_base(tmp_path: Path,
                                                                carried_only: None,
                                                                monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    store = tmp_path / "store"
    _load(store, SEED)
    generation = _load(store, P49)

    def whole(*_args: object) -> None:
        raise AssertionError("the whole record was projected")

    monkeypatch.setattr(kg.analysis.cache, "project", whole)
    proj = cache.projection_of(Settings(store=store))
    assert proj.attrs[r("2026/01")]["id"] == "2026/01"
    assert cache.is_kept(generation)
    assert not (cache.sidecar(generation) / cache.BASE).exists()


def test_no_base_is_carried_past_the_limit(tmp_path: Path, carried_only: None,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    _load(store, SEED)
    monkeypatch.setattr(kg.analysis.cache, "CARRY_LIMIT", 10)  # P49 changes more than 10
    generation = _load(store, P49)
    assert not (cache.sidecar(generation) / cache.BASE).exists()
    assert _form(cache.projection_of(Settings(store=store))) == _form(_fresh(generation))
