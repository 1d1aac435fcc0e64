"""Fixtures of the vocabulary and links suites.

`fixture_store`: the hand-written TriG slice (fixture.trig) with the post-load steps run on it
(vocabularies, links, catalogue), in memory: independent of the protocol parser.
`seed_store`: the seed protocol loaded through `kg.loading.load_paths` into a store directory
in a temporary folder (the full pipeline, post-load steps included), opened read-only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.catalog import refresh_catalog
from kg.iris import Minter
from kg.links import add_document_links, refresh_links
from kg.settings import SAMPLES_DIR, Settings
from kg.store import OxigraphStore, StoreDirectory
from kg.terms import IRI
from kg.vocab import load_vocabularies

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixture.trig"
SEED = SAMPLES_DIR / "itplr-48-2025-11-26-protokoll.txt"

BASE = "https://w3id.org/beschlussgraph/id/"
PREFIXES = {
    "bg": "https://w3id.org/beschlussgraph/ontology#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "m8g": "http://data.europa.eu/m8g/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "id": BASE,
    "eif": BASE + "eif/",
}


def with_steps(store: OxigraphStore, settings: Settings) -> OxigraphStore:
    # what `kg load` does per document, then the post-load steps
    add_document_links(store, Minter(settings.base_iri), IRI(BASE + "graph/fixture"))
    load_vocabularies(store, settings)
    refresh_links(store, settings)
    refresh_catalog(store, settings)
    return store


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(base_iri=BASE)


@pytest.fixture(scope="module")
def fixture_store(settings: Settings) -> OxigraphStore:
    store = OxigraphStore.in_memory()
    store.load_file(FIXTURE, IRI(BASE + "graph/fixture"), "trig")
    return with_steps(store, settings)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    loading = pytest.importorskip("kg.loading", reason="the protocol loader is not there yet")
    root = tmp_path_factory.mktemp("vocab-seed-store")
    settings = Settings(store=root, base_iri=BASE)
    report = loading.load_paths([SEED], settings)
    assert report.ok, report.failed
    store = StoreDirectory(root).open_read_only()
    yield store
    store.close()
