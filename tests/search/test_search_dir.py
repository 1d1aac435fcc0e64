"""A store without generations (a SPARQL server, kg/remote.py) keeps its index in
KG_SEARCH_DIR and updates it in place. Played here with an in-memory store, which has no
`path` either: the same branch of the step, the same reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import Changes
from kg.search.index import SearchIndexMissing
from kg.search.query import search
from kg.search.step import refresh_search
from kg.settings import Settings
from kg.store import OxigraphStore, StoreDirectory

BASE = "https://w3id.org/beschlussgraph/id/"
PROTOCOL = BASE + "graph/itplr-48-2025-11-26-protokoll"
REGISTER = BASE + "graph/itplr-register"


@pytest.fixture
def memory(sample_store: Path) -> OxigraphStore:
    source = StoreDirectory(sample_store).open_read_only()
    store = OxigraphStore.in_memory()
    store.bulk_load_nquads(source.dump("nquads"))
    source.close()
    return store


def test_the_index_lives_in_the_search_dir_and_follows_changes(
        memory: OxigraphStore, tmp_path: Path) -> None:
    settings = Settings(store="http://127.0.0.1:9", search_dir=tmp_path / "search")
    with pytest.raises(SearchIndexMissing, match="no search index for the store"):
        search(settings, "Portfoliosteuerung")
    # no index yet: everything is indexed, whatever the load wrote
    refresh_search(memory, settings, Changes(frozenset({PROTOCOL})))
    hits = [h.iri for h in search(settings, "Sondersitzung").hits]
    assert hits == [BASE + "eli/itplr/beschluss/2025/33/ziffer/1"]
    assert BASE + "eli/itplr/beschluss/2021/05" in [
        h.iri for h in search(settings, "Registermodernisierung").hits]  # the register too

    # the protocol's graph is dropped; only it is indexed again, in place
    memory.update(f"DROP GRAPH <{PROTOCOL}>")
    refresh_search(memory, settings, Changes(frozenset({PROTOCOL})))
    assert search(settings, "Sondersitzung").hits == []
    assert BASE + "eli/itplr/beschluss/2021/05" in [
        h.iri for h in search(settings, "Registermodernisierung").hits]


def test_without_a_search_dir_there_is_no_index(memory: OxigraphStore) -> None:
    settings = Settings(store="http://127.0.0.1:9")
    refresh_search(memory, settings, None)  # nothing to write to: the load goes on
    with pytest.raises(SearchIndexMissing, match="set KG_SEARCH_DIR"):
        search(settings, "Portfoliosteuerung")
