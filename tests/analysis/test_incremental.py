"""Loads that add to a store: the answers equal those of one load of everything, the union
default graph stays the set union of the named graphs, and one writer at a time."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
from pathlib import Path

import pytest

import kg.analysis.step
from bench.synth_protocols import generate
from kg.analysis.projection import project
from kg.analysis.status import StatusIndex
from kg.analysis.step import analysis_quads
from kg.iris import Minter
from kg.loading import load_paths
from kg.settings import SAMPLES_DIR, Settings
from kg.store import StoreBusy, StoreDirectory
from kg.terms import IRI

from .conftest import PROTOCOLS, TODAY, r

P49 = PROTOCOLS / "itplr-49-2026-03-25-protokoll.txt"
P50 = PROTOCOLS / "itplr-50-2026-06-24-protokoll.txt"
SEED = SAMPLES_DIR / "itplr-48-2025-11-26-protokoll.txt"
VOLATILE = ("loadedAt", "/modified", "generatedAtTime", "assessedOn")


def _load(store: Path, *paths: Path) -> Settings:
    settings = Settings(store=store)
    report = load_paths(list(paths), settings)
    assert report.ok, [str(e) for _, e in report.failed]
    return settings


def _quads(store: Path) -> set[tuple[str, ...]]:
    s = StoreDirectory(store).open_read_only()
    rows = s.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    # blank nodes of the vocabularies get new labels in every store
    return {tuple(str(row[k]) for k in "spog") for row in rows
            if not str(row["p"]).endswith(VOLATILE)
            and not str(row["s"]).startswith("_:") and not str(row["o"]).startswith("_:")}


def _union_is_the_set_union(store: Path) -> None:
    s = StoreDirectory(store).open_read_only()
    default = s.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
    distinct = s.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                        "WHERE { GRAPH ?g { ?s ?p ?o } } }")[0]["n"]
    orphans = s.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o "
                       "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")[0]["n"]
    assert (default, orphans) == (distinct, 0)


def _states(store: Path, ids: tuple[str, ...] = ("2025/33", "2026/01", "2026/10", "2025/39",
                                                 "2022/43")) -> dict[str, str]:
    proj = project(StoreDirectory(store).open_read_only())
    index = StatusIndex(proj)
    return {rid: index.resolution(r(rid), TODAY).state for rid in ids}


@pytest.fixture(scope="module")
def at_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("at-once") / "store"
    _load(store, SAMPLES_DIR, P49, P50)
    return store


@pytest.fixture(scope="module")
def one_by_one(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("one-by-one") / "store"
    for path in (SAMPLES_DIR, P49, P50):
        _load(store, path)
    return store


def test_loading_one_by_one_gives_the_same_graph(at_once: Path, one_by_one: Path) -> None:
    assert _quads(one_by_one) == _quads(at_once)


def test_a_later_protocol_updates_the_status_of_an_earlier_resolution(
        at_once: Path, one_by_one: Path) -> None:
    states = _states(one_by_one)
    # itplr-49 l. 29: "Die Ziffern 2 und 4 des Beschlusses 2025/33 werden aufgehoben."
    assert states["2025/33"] == "partially_repealed"
    assert states == _states(at_once)


def test_union_default_graph_stays_the_set_union(at_once: Path, one_by_one: Path) -> None:
    _union_is_the_set_union(at_once)
    _union_is_the_set_union(one_by_one)


def test_reloading_a_document_changes_nothing(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _load(store, SAMPLES_DIR)
    before = _quads(store)
    _load(store, SEED)
    assert _quads(store) == before
    _union_is_the_set_union(store)


def test_a_replaced_document_takes_its_own_triples_out_of_the_union(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _load(store, SEED, P49)
    # the same document (same file name) without its resolution 2026/01
    changed = tmp_path / P49.name
    text = P49.read_text(encoding="utf-8")
    changed.write_text(text.replace("werden aufgehoben", "werden geprüft"), encoding="utf-8")
    _load(store, changed)
    s = StoreDirectory(store).open_read_only()
    repeals = s.select(f"SELECT ?x WHERE {{ <{r('2026/01')}> "
                       "<http://data.europa.eu/eli/ontology#repeals> ?x }")
    assert repeals == []
    # 2025/33 is still described by the seed, in the union as before
    assert s.ask(f"ASK {{ <{r('2025/33')}> <http://data.europa.eu/eli/ontology#id_local> "
                 '"2025/33" }')
    _union_is_the_set_union(store)
    assert _states(store, ("2025/33",))["2025/33"] != "partially_repealed"


# -- one writer at a time ---------------------------------------------------------------------


def _hold_lock(root: str, ready: multiprocessing.Event) -> None:  # type: ignore[valid-type]
    with StoreDirectory(Path(root)).locked():
        ready.set()  # type: ignore[attr-defined]
        signal.pause()


def test_a_second_writer_is_refused_with_the_pid_and_a_killed_one_leaves_no_lock(
        tmp_path: Path) -> None:
    store = tmp_path / "store"
    _load(store, SEED)
    before = _quads(store)
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(store), ready))
    holder.start()
    try:
        assert ready.wait(60)
        with pytest.raises(StoreBusy, match=f"loaded by PID {holder.pid}"):
            load_paths([P49], Settings(store=store))
        assert _quads(store) == before
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # type: ignore[arg-type]
        holder.join(30)
    # the kernel dropped the dead writer's lock: the next load goes ahead
    report = load_paths([P49], Settings(store=store))
    assert report.ok
    assert len(_quads(store)) > len(before)


# -- the region of the analysis a load changes (kg/analysis/region.py)

ANALYSIS = "https://w3id.org/beschlussgraph/id/graph/analyse"
BG = "https://w3id.org/beschlussgraph/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _analysis(store: Path) -> set[tuple[str, str, str]]:
    s = StoreDirectory(store).open_read_only()
    return {(str(q[0]), str(q[1]), str(q[2])) for q in s.graph_quads(IRI(ANALYSIS))
            if not str(q[1]).endswith("generatedAtTime")}


def _size_is_counted_right(store: Path) -> None:
    """void:triples, carried from load to load by what each wrote, equals a full count."""
    s = StoreDirectory(store).open_read_only()
    catalog = Settings().base_iri + "graph/katalog"
    void = s.select(f"SELECT ?n WHERE {{ GRAPH <{catalog}> {{ ?d "
                    "<http://rdfs.org/ns/void#triples> ?n } }")[0]["n"]
    assert int(str(void)) == s.count_quads() - s.count_quads(catalog)


def _recomputed(store: Path, on: dt.date | None = None) -> set[tuple[str, str, str]]:
    s = StoreDirectory(store).open_read_only()
    quads = analysis_quads(project(s), Minter(Settings().base_iri), on or dt.date.today())
    return {(str(q[0]), str(q[1]), str(q[2])) for q in quads
            if not str(q[1]).endswith("generatedAtTime")}


@pytest.fixture
def regional_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail if a load recomputes the whole analysis instead of its region."""
    def whole(*_args: object) -> None:
        raise AssertionError("the whole analysis was recomputed")
    monkeypatch.setattr(kg.analysis.step, "REGION_SHARE", 1.0)
    monkeypatch.setattr(kg.analysis.step, "project", whole)


def test_each_load_recomputes_its_region_as_a_whole_pass_would(
        tmp_path: Path, regional_only: None) -> None:
    protocols = generate(14, 7, tmp_path / "synthetic")
    store = tmp_path / "store"
    with pytest.MonkeyPatch.context() as whole_first:  # the first load has nothing to patch
        whole_first.setattr(kg.analysis.step, "project", project)
        _load(store, SAMPLES_DIR, *protocols[:10])
    assert _analysis(store) == _recomputed(store)
    _size_is_counted_right(store)  # the first load: counted from the empty store, not scanned
    for path in protocols[10:]:  # one more session at a time: repeals, amendments, chains
        _load(store, path)
        assert _analysis(store) == _recomputed(store), path.name
        _size_is_counted_right(store)
    # a document that changes: session 12 no longer states its references
    changed = protocols[11]
    lines = changed.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if "aufgehoben" not in line and "ersetzt" not in line]
    assert len(kept) < len(lines)
    changed.write_text("".join(kept), encoding="utf-8")
    _load(store, changed)
    assert _analysis(store) == _recomputed(store)
    _size_is_counted_right(store)
    # the 48th session again, after the register: nothing else moves
    _load(store, SEED)
    assert _analysis(store) == _recomputed(store)


def test_a_load_on_a_later_day_recomputes_what_time_moved_as_a_whole_pass_would(
        tmp_path: Path, regional_only: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # synthetic sessions 1-14 are of 2010-2013; their repeals take effect, resolutions
    # expire and mandates fall due over the years; protocol 48 sets deadlines in 2026
    protocols = generate(14, 7, tmp_path / "synthetic")
    store = tmp_path / "store"
    monkeypatch.setattr(kg.analysis.step, "today", lambda: dt.date(2012, 1, 1))
    with pytest.MonkeyPatch.context() as whole_first:
        whole_first.setattr(kg.analysis.step, "project", project)
        _load(store, SAMPLES_DIR, *protocols[:10])
    assert _analysis(store) == _recomputed(store, dt.date(2012, 1, 1))
    for path, day in zip(protocols[10:], (dt.date(2012, 9, 30), dt.date(2013, 6, 30),
                                           dt.date(2025, 12, 20), dt.date(2026, 7, 15)),
                         strict=True):
        monkeypatch.setattr(kg.analysis.step, "today", lambda day=day: day)
        before = _analysis(store)
        _load(store, path)
        after = _analysis(store)
        assert {o for s, p, o in after if p == BG + "assessedOn"} == {
            f"Literal(value='{day.isoformat()}', datatype='{XSD}date', lang=None)"}
        assert after == _recomputed(store, day), (path.name, day)
        assert _status_lines(after) != _status_lines(before)  # time did move something


def test_an_analysis_graph_of_an_older_form_is_recomputed_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    _load(store, SAMPLES_DIR)
    # as written before bg:analysisFormat: the status texts carried the day of the load
    with StoreDirectory(store).writing() as writable:
        writable.update(f"DELETE WHERE {{ GRAPH <{ANALYSIS}> {{ <{ANALYSIS}> "
                        f"<{BG}analysisFormat> ?f }} }}", touches=[IRI(ANALYSIS)])
    wholes: list[int] = []

    def counted(store_: object) -> object:
        wholes.append(1)
        return project(store_)  # type: ignore[arg-type]
    monkeypatch.setattr(kg.analysis.step, "project", counted)
    _load(store, P49)
    assert wholes == [1]
    after = _analysis(store)
    assert (ANALYSIS, BG + "analysisFormat",
            f"Literal(value='2', datatype='{XSD}integer', lang=None)") in after
    assert after == _recomputed(store)
    # and the next load is regional again
    _load(store, P50)
    assert wholes == [1]
    assert _analysis(store) == _recomputed(store)


def _status_lines(analysis: set[tuple[str, str, str]]) -> set[tuple[str, str]]:
    return {(s, o) for s, p, o in analysis if p == BG + "status"}


def test_a_new_protocol_repeals_an_old_resolution_through_the_region(
        tmp_path: Path, regional_only: None) -> None:
    store = tmp_path / "store"
    with pytest.MonkeyPatch.context() as whole_first:
        whole_first.setattr(kg.analysis.step, "project", project)
        _load(store, SAMPLES_DIR)
    assert _stored_status(store, "2025/33") == "InForce"
    # itplr-49 l. 29: "Die Ziffern 2 und 4 des Beschlusses 2025/33 werden aufgehoben."
    _load(store, P49)
    assert _stored_status(store, "2025/33") == "PartiallyRepealed"
    assert _stored_status(store, "2025/33", "/ziffer/2") == "Repealed"
    assert _analysis(store) == _recomputed(store)
    _load(store, P50)
    assert _analysis(store) == _recomputed(store)


def _stored_status(store: Path, rid: str, part: str = "") -> str:
    """bg:status in the analysis graph (the snapshot of the day of the load)."""
    s = StoreDirectory(store).open_read_only()
    rows = s.select(f"SELECT ?s WHERE {{ GRAPH <{ANALYSIS}> {{ <{r(rid)}{part}> "
                    "<https://w3id.org/beschlussgraph/ontology#status> ?s } }")
    return str(rows[0]["s"]).rsplit("#", 1)[-1]
