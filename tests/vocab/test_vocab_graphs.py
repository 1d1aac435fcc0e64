"""The shipped vocabularies: one named graph each, exact triple counts, reload only on change."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from kg.settings import ONTOLOGY_DIR, Settings
from kg.store import OxigraphStore
from kg.vocab import EUROVOC, META_GRAPH, VOCABULARIES, load_vocabularies

from .conftest import PREFIXES

SHARED = ONTOLOGY_DIR.parent.parent / "shared" / "vocab"

# graph → triples, as counted by the collector (../shared/vocab/README.md)
EXPECTED = [
    ("urn:vocab:eli", 1541),
    ("urn:vocab:org", 748),
    ("urn:vocab:cpov", 116),
    ("urn:vocab:cpov-shacl", 760),
    ("urn:vocab:locn", 206),
    ("urn:vocab:core-location", 108),
    ("urn:vocab:person", 107),
    ("urn:vocab:core-person", 118),
    ("urn:vocab:regorg", 84),
    ("urn:vocab:core-business", 91),
    ("urn:vocab:dcat", 1695),
]


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    s = OxigraphStore.in_memory()
    load_vocabularies(s, Settings())
    return s


@pytest.mark.parametrize(("graph", "triples"), EXPECTED)
def test_each_vocabulary_in_its_own_graph_with_the_collectors_count(store, graph, triples):
    assert store.count_quads(graph) == triples


def test_table_of_vocabularies_matches_the_readme_counts():
    assert [(v.graph.value, v.expected_triples) for v in VOCABULARIES] == EXPECTED


def test_nothing_lands_in_the_default_graph(store):
    in_named_graphs = sum(store.count_quads(g) for g in store.named_graphs())
    assert store.count_quads() == in_named_graphs
    assert set(store.named_graphs()) >= {g for g, _ in EXPECTED} | {META_GRAPH.value}


@pytest.mark.parametrize(("graph", "term"), [
    ("urn:vocab:eli", "eli:is_about"),           # ELI 1.5 defines the subject property
    ("urn:vocab:eli", "eli:LegalResource"),
    ("urn:vocab:org", "org:subOrganizationOf"),
    ("urn:vocab:org", "org:Membership"),
    ("urn:vocab:cpov", "m8g:PublicOrganisation"),
    ("urn:vocab:dcat", "dcat:DataService"),
])
def test_terms_the_project_emits_exist_in_their_vocabulary(store, graph, term):
    assert store.ask(f"ASK {{ GRAPH <{graph}> {{ {term} ?p ?o }} }}", prefixes=PREFIXES)


def test_separate_graphs_keep_the_shared_m8g_ontology_node_apart(store):
    # Several SEMIC files declare <http://data.europa.eu/m8g>; each graph keeps its own header.
    rows = store.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { <http://data.europa.eu/m8g> "
                        "a owl:Ontology } } ORDER BY ?g", prefixes=PREFIXES)
    graphs = {str(r["g"]) for r in rows}
    assert {"urn:vocab:cpov", "urn:vocab:core-location"} <= graphs


def test_legacy_locn_relative_iri_resolved_against_its_namespace(store):
    assert store.ask("ASK { GRAPH <urn:vocab:locn> { ?s ?p <http://www.w3.org/ns/locn.svg> } }")


def test_eurovoc_subset_as_skos_with_english_and_french_labels(store):
    concepts = store.select("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH <urn:vocab:eurovoc>"
                            " { ?c a skos:Concept } }", prefixes=PREFIXES)
    assert concepts[0]["n"] == 59
    labels = store.select(
        "SELECT ?l WHERE { GRAPH <urn:vocab:eurovoc> { <http://eurovoc.europa.eu/6894> "
        "skos:prefLabel ?l } } ORDER BY ?l", prefixes=PREFIXES)
    assert [r["l"] for r in labels] == ["administration électronique", "electronic government"]
    # microthesaurus "0436 executive power and public service" becomes notation + label
    assert store.ask('ASK { GRAPH <urn:vocab:eurovoc> { <http://eurovoc.europa.eu/100169> '
                     'skos:notation "0436" ; skos:prefLabel "executive power and public '
                     'service"@en } }', prefixes=PREFIXES)
    assert EUROVOC.graph.value == "urn:vocab:eurovoc"


def test_meta_records_file_hash_licence_and_count(store):
    eli_sha = "e9b14fce945c0d77ec000c7357a91ce41ab6420120ffc1e14f08a62f902d9980"  # eli/SOURCE.txt
    assert store.ask(f'ASK {{ GRAPH <urn:vocab:meta> {{ <urn:vocab:eli> bg:sha256 "{eli_sha}" ;'
                     ' bg:sourceFile "ontology/vocab/eli/eli.rdf" ; void:triples 1541 } }',
                     prefixes=PREFIXES)
    assert store.ask("ASK { GRAPH <urn:vocab:meta> { <urn:vocab:org> dct:license "
                     "<http://www.opendatacommons.org/licenses/pddl/1.0/> } }", prefixes=PREFIXES)


def test_unchanged_file_is_not_reloaded_changed_hash_is():
    store = OxigraphStore.in_memory()
    load_vocabularies(store, Settings())
    store.update("INSERT DATA { GRAPH <urn:vocab:org> { <urn:x:marker> <urn:x:p> 1 } }")
    load_vocabularies(store, Settings())  # same sha256: the graph (and the marker) stay
    assert store.count_quads("urn:vocab:org") == 749
    store.update('PREFIX bg: <https://w3id.org/beschlussgraph/ontology#> '
                 'DELETE { GRAPH <urn:vocab:meta> { <urn:vocab:org> bg:sha256 ?h } } '
                 'INSERT { GRAPH <urn:vocab:meta> { <urn:vocab:org> bg:sha256 "stale" } } '
                 'WHERE { GRAPH <urn:vocab:meta> { <urn:vocab:org> bg:sha256 ?h } }')
    load_vocabularies(store, Settings())  # hash differs: reloaded from the file
    assert store.count_quads("urn:vocab:org") == 748


@pytest.mark.parametrize("vocab", VOCABULARIES, ids=lambda v: v.key)
def test_shipped_copies_are_byte_identical_to_shared(vocab):
    original = SHARED / vocab.file.relative_to(ONTOLOGY_DIR / "vocab")
    if not original.exists():
        pytest.skip(f"{original} not present on this machine")
    assert _sha(vocab.file) == _sha(original)


def test_every_shipped_folder_keeps_its_source_note():
    folders = {v.file.parent for v in VOCABULARIES} | {EUROVOC.file.parent}
    for folder in folders:
        assert (folder / "SOURCE.txt").is_file(), folder
    assert (ONTOLOGY_DIR / "vocab" / "SOURCE.txt").is_file()
    assert (ONTOLOGY_DIR / "vocab" / "README.md").is_file()


def test_missing_file_names_the_path(tmp_path, monkeypatch):
    import kg.vocab as vocab_module

    broken = vocab_module.Vocabulary("org", tmp_path / "gone.ttl", "turtle", "x", "x", "urn:x")
    monkeypatch.setattr(vocab_module, "VOCABULARIES", (broken,))
    with pytest.raises(FileNotFoundError, match="gone.ttl"):
        load_vocabularies(OxigraphStore.in_memory(), Settings())


def test_bad_turtle_names_the_file(tmp_path, monkeypatch):
    import kg.vocab as vocab_module

    bad = tmp_path / "bad.ttl"
    shutil.copy(ONTOLOGY_DIR / "vocab" / "org" / "org.ttl", bad)
    bad.write_text(bad.read_text(encoding="utf-8") + "\n<a> <b> .\n", encoding="utf-8")
    broken = vocab_module.Vocabulary("org", bad, "turtle", "x", "x", "urn:x")
    monkeypatch.setattr(vocab_module, "VOCABULARIES", (broken,))
    with pytest.raises(ValueError, match="bad.ttl"):
        load_vocabularies(OxigraphStore.in_memory(), Settings())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
