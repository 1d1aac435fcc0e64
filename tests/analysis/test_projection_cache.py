"""The projection kept beside a store generation (kg/analysis/cache.py): written by the load
that projects the whole record, equal to a fresh projection, never read when it could be
stale or foreign, gone with its generation, and giving the CLI the same answers as the
store itself."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from cli.main import main
from kg.analysis import cache
from kg.analysis.projection import Projection, project
from kg.settings import SAMPLES_DIR, Settings
from kg.store import StoreDirectory
from tests.analysis.conftest import PROTOCOLS, load, r


def _generation(settings: Settings) -> Path:
    current = StoreDirectory(settings.store).current_path()
    assert current is not None
    return current


def _fresh(settings: Settings) -> Projection:
    store = StoreDirectory(settings.store).open_read_only()
    try:
        return project(store)
    finally:
        store.close()


def _assert_same(kept: Projection, fresh: Projection) -> None:
    assert dict(kept.graph.nodes(data=True)) == dict(fresh.graph.nodes(data=True))
    assert sorted(kept.graph.edges(keys=True)) == sorted(fresh.graph.edges(keys=True))
    assert kept.mandates == fresh.mandates
    assert kept.references == fresh.references
    assert kept.by_id == fresh.by_id


@pytest.fixture()
def samples(tmp_path: Path) -> Settings:
    return load(tmp_path / "store", SAMPLES_DIR)


def test_the_load_keeps_the_projection_of_the_whole_record(chain_settings: Settings) -> None:
    kept = cache.load(_generation(chain_settings))
    assert kept is not None
    # protocol 49 (tests/analysis/protocols): 2026/10 replaces 2026/01, which repeals
    # points 2 and 4 of 2025/33
    edges = set(kept.graph.edges(keys=True))
    assert (r("2026/10"), r("2026/01"), "replaces") in edges
    assert (r("2026/01"), r("2025/33") + "/ziffer/2", "repeals") in edges
    assert kept.node(r("2025/33"))["title"] == "Portfoliosteuerung des IT-Planungsrats"
    _assert_same(kept, _fresh(chain_settings))


@pytest.mark.parametrize("spoil", [
    "group_writable",  # anybody in the group could have put code into it
    "other_code",  # written by another version of projection.py
    "garbage",  # cut off or not a pickle at all
])
def test_a_file_that_could_be_stale_or_foreign_is_not_read(samples: Settings,
                                                           spoil: str) -> None:
    generation = _generation(samples)
    path = cache.sidecar(generation) / cache.FILE
    assert cache.load(generation) is not None
    if spoil == "group_writable":
        os.chmod(path, 0o664)
    elif spoil == "other_code":
        with path.open("rb") as f:
            (_, token), value = pickle.load(f), pickle.load(f)
        path.write_bytes(pickle.dumps(("0" * 64, token)) + pickle.dumps(value))
    else:
        path.write_bytes(b"\x80\x05not a projection")
    assert cache.load(generation) is None
    # the next use projects again and keeps a good file
    proj = cache.projection_of(samples)
    assert proj.lookup("2025/33") == r("2025/33")
    assert oct(path.stat().st_mode & 0o777) == "0o644"
    assert cache.load(generation) is not None


@pytest.mark.parametrize("part", [
    "mandates",  # cut off: read on first use, so projected again then
    "references",  # from another save: parts of two saves never mix
])
def test_a_bad_part_is_projected_again_when_it_is_needed(chain_settings: Settings,
                                                          tmp_path: Path, part: str) -> None:
    store = tmp_path / "store"
    shutil.copytree(chain_settings.store, store, symlinks=True)
    settings = chain_settings.model_copy(update={"store": store})
    generation = _generation(settings)
    path = cache.sidecar(generation) / f"{part}.pickle"
    if part == "mandates":
        path.write_bytes(path.read_bytes()[:100])
    else:
        with path.open("rb") as f:
            (code, _), value = pickle.load(f), pickle.load(f)
        path.write_bytes(pickle.dumps((code, "another save")) + pickle.dumps(value))
    os.chmod(path, 0o644)
    kept = cache.load(generation)
    assert kept is not None
    fresh = _fresh(settings)
    assert getattr(kept, part) == getattr(fresh, part)
    # 2025/33 (protocol 48) gives the Länder their mandates, and 2026/01 cites it
    assert any(m.resolution == r("2025/33") for m in kept.mandates)
    assert any(ref.citing == r("2026/01") and ref.cited.startswith(r("2025/33"))
               for ref in kept.references)
    assert cache.load(generation).mandates == fresh.mandates  # type: ignore[union-attr]


@pytest.mark.parametrize("spoil", [
    None,  # read group by group from records-by-node.pickle
    "cut",  # cut off in its index: read from the whole mandates and references instead
])
def test_the_records_of_one_node_are_those_of_the_whole_record(
        chain_settings: Settings, tmp_path: Path, spoil: str | None) -> None:
    store = tmp_path / "store"
    shutil.copytree(chain_settings.store, store, symlinks=True)
    settings = chain_settings.model_copy(update={"store": store})
    generation = _generation(settings)
    if spoil == "cut":
        path = cache.sidecar(generation) / cache.RECORDS_BY_NODE
        path.write_bytes(path.read_bytes()[:200])
    kept = cache.load(generation)
    assert kept is not None
    fresh = _fresh(settings)
    nodes = [n for n, kind in fresh.graph.nodes(data="kind") if kind in ("resolution", "point")]
    for node in nodes:
        assert kept.mandates_of(node) == [m for m in fresh.mandates if m.resolution == node]
        assert kept.references_to(node) == [x for x in fresh.references if x.cited == node]
    # 2025/33 (protocol 48) asks bodies to deal with it (point 1) and commissions (point 3);
    # 2026/01 repeals its points 2 and 4, 2026/11 continues it, 2026/13 amends point 4
    assert [(m.verb, m.point) for m in kept.mandates_of(r("2025/33"))][:3] == [
        ("befassen", r("2025/33") + "/ziffer/1"), ("erstellt", r("2025/33") + "/ziffer/2"),
        ("beauftragt", r("2025/33") + "/ziffer/3")]
    assert {(x.citing, x.relation) for x in kept.references_to(r("2025/33"))} >= {
        (r("2026/01"), "repeals"), (r("2026/11"), "continues"), (r("2026/13"), "amends")}


def test_kg_chains_reads_only_the_kept_chains(chain_settings: Settings, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    shutil.copytree(chain_settings.store, store, symlinks=True)
    settings = chain_settings.model_copy(update={"store": store})
    kept = cache.kept_chains(settings)
    assert kept is not None
    (chain,) = [c for c in kept.chains if r("2025/33") in c.members]
    assert kept.label(r("2026/01")) == "2026/01"
    assert kept.lookup("2025/33") == r("2025/33")
    # without the graph file the chains are not trusted: they could be another save's
    generation = _generation(settings)
    as_kept = _cli_json(capsys, store, "chains", "2025/33")
    (cache.sidecar(generation) / cache.FILE).unlink()
    assert cache.kept_chains(settings) is None
    assert _cli_json(capsys, store, "chains", "2025/33") == as_kept
    assert [m for m in as_kept[0]["members"]] == [kept.label(m) for m in chain.members]  # type: ignore[index]
    assert cache.kept_chains(settings) is not None  # projected and kept again


def test_the_kept_projection_goes_with_its_generation(samples: Settings) -> None:
    first = _generation(samples)
    assert cache.sidecar(first).is_dir()
    load(samples.store, PROTOCOLS)
    load(samples.store, PROTOCOLS)  # the generation before the current one is kept for readers
    second = _generation(samples)
    assert second != first
    assert not first.exists()
    assert not cache.sidecar(first).exists()
    # whether the load kept one or not, the projection read back is the new record's
    proj = cache.projection_of(samples)
    assert r("2026/10") in proj.graph
    _assert_same(cache.load(second), _fresh(samples))  # type: ignore[arg-type]


def _cli_json(capsys: pytest.CaptureFixture[str], store: Path, *args: str) -> object:
    capsys.readouterr()
    assert main(["--store", str(store), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_chains_and_impact_answer_the_same_with_and_without_it(
        chain_settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    shutil.copytree(chain_settings.store, store, symlinks=True)
    generation = StoreDirectory(store).current_path()
    assert generation is not None
    kept_chains = _cli_json(capsys, store, "chains")
    kept_impact = _cli_json(capsys, store, "impact", "2025/33")
    shutil.rmtree(cache.sidecar(generation))
    impact_from_store = _cli_json(capsys, store, "impact", "2025/33")  # reads the dependents
    chains_from_store = _cli_json(capsys, store, "chains")  # projects, then keeps it again
    assert cache.sidecar(generation).is_dir()
    assert kept_chains == chains_from_store
    assert kept_impact == impact_from_store
    # the chain of 2025/33 in protocols 49 and 50 and what depends on 2025/33
    (chain,) = [c for c in kept_chains if "2025/33" in c["members"]]  # type: ignore[union-attr]
    assert {"2026/01", "2026/11", "2026/13"} <= set(chain["members"])
    dependents = {d["id"] for d in kept_impact["dependents"]}  # type: ignore[index]
    assert {"2026/11", "2026/13"} <= dependents  # continues 2025/33; amends its point 4


def test_impact_with_many_dependents_projects_the_record_and_keeps_it(
        chain_settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import cli.analysis  # noqa: PLC0415

    store = tmp_path / "store"
    shutil.copytree(chain_settings.store, store, symlinks=True)
    generation = StoreDirectory(store).current_path()
    assert generation is not None
    kept_impact = _cli_json(capsys, store, "impact", "2025/33")
    shutil.rmtree(cache.sidecar(generation))
    # 2025/33 has two dependents (2026/11, 2026/13): above a budget of one, the level by
    # level read gives up and the whole record is projected, then kept
    monkeypatch.setattr(cli.analysis, "LOCAL_IMPACT_BUDGET", 1)
    assert _cli_json(capsys, store, "impact", "2025/33") == kept_impact
    assert cache.sidecar(generation).is_dir()
    shutil.rmtree(cache.sidecar(generation))
    monkeypatch.setattr(cli.analysis, "LOCAL_IMPACT_BUDGET", 3)  # within it: nothing kept
    assert _cli_json(capsys, store, "impact", "2025/33") == kept_impact
    assert not cache.sidecar(generation).exists()
