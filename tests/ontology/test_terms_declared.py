"""Every bg: term the system writes is declared in ontology/beschlussgraph.ttl.

`test_ontology_terms.py` checks the terms MODEL.md names; this suite checks what the code
actually emits: it loads the samples and the test protocols of the loader, analysis and query
suites into one store (protocol, register, gazetteer, vocabularies, links, catalogue, analysis
graphs) and collects every IRI in the bg: namespace used as a predicate, as a class (object of
rdf:type) or as an individual (any other subject or object, e.g. bg:Adopted, bg:InForce,
bg:repealsPartOf as the value of bg:relation). A term a new step writes without declaring it
fails here with its name, the role it plays and one graph it occurs in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from cli.main import main
from kg.namespaces import BG
from kg.store import StoreDirectory
from tests.ontology.conftest import ONTOLOGY, ROOT

SOURCES = [ROOT / "data" / "samples", ROOT / "tests" / "loaders" / "protocols",
           ROOT / "tests" / "analysis" / "protocols", ROOT / "tests" / "queries" / "protocols"]
SHAPE_FILES = sorted((ROOT / "ontology").glob("shapes*.ttl"))

PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
DECLARATION_TYPES = PROPERTY_TYPES | {OWL.Class, SKOS.Concept, SKOS.ConceptScheme}

# One row per (term, role): the role it plays, whether its values are IRIs or literals (for
# predicates), and one graph it was seen in (for the failure message).
USAGE_QUERY = f"""
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?term ?role (SAMPLE(STR(?g)) AS ?graph)
       (MAX(isIRI(?o)) AS ?iriValues) (MAX(isLiteral(?o)) AS ?literalValues) WHERE {{
  GRAPH ?g {{
    {{ ?s ?term ?o . BIND("predicate" AS ?role) }}
    UNION {{ ?s rdf:type ?term . BIND("class" AS ?role) }}
    UNION {{ ?s ?p ?term . FILTER(?p != rdf:type) BIND("individual" AS ?role) }}
    UNION {{ ?term ?p ?x . BIND("individual" AS ?role) }}
  }}
  FILTER(isIRI(?term) && STRSTARTS(STR(?term), "{BG}"))
}}
GROUP BY ?term ?role
"""


@dataclass(frozen=True)
class Usage:
    term: str  # local name after bg:
    role: str  # predicate, class, individual
    graph: str  # one graph the term occurs in
    iri_values: bool  # predicates: some value is an IRI
    literal_values: bool  # predicates: some value is a literal

    def __str__(self) -> str:
        return f"bg:{self.term} ({self.role}, e.g. in <{self.graph}>)"


@pytest.fixture(scope="module")
def usages(tmp_path_factory: pytest.TempPathFactory) -> list[Usage]:
    store_dir = tmp_path_factory.mktemp("terms-declared") / "store"
    assert main(["--store", str(store_dir), "load", *map(str, SOURCES)]) == 0
    store = StoreDirectory(store_dir).open_read_only()
    try:
        rows = store.select(USAGE_QUERY)
    finally:
        store.close()
    return sorted((Usage(str(r["term"])[len(BG):], str(r["role"]), str(r["graph"]),
                         bool(r.get("iriValues")), bool(r.get("literalValues")))
                   for r in rows), key=lambda u: (u.role, u.term))


@cache
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


def types_of(term: str) -> set[rdflib.term.Node]:
    return set(ontology().objects(rdflib.URIRef(BG + term), RDF.type))


def label_languages(term: str) -> set[str | None]:
    return {lit.language for lit in ontology().objects(rdflib.URIRef(BG + term), RDFS.label)}


def listing(bad: list[Usage]) -> str:
    return "\n  ".join(str(u) for u in bad)


def test_the_store_uses_terms_from_every_kind_of_graph(usages: list[Usage]) -> None:
    # guards against a vacuous pass: protocol, register, links and analysis terms all appear
    seen = {(u.term, u.role) for u in usages}
    assert {("Resolution", "class"), ("targetPoint", "predicate"), ("Adopted", "individual"),
            ("procedure", "predicate"), ("extends", "predicate"),
            ("nutsCode", "predicate"), ("SubjectAssignment", "class"),
            ("status", "predicate"), ("InForce", "individual"),
            ("MandateOverdue", "individual"), ("sourceFile", "predicate")} <= seen
    assert len({u.term for u in usages}) > 150


def test_every_used_term_is_declared_with_german_and_english_label(usages: list[Usage]) -> None:
    undeclared = [u for u in usages if not types_of(u.term) & DECLARATION_TYPES]
    assert not undeclared, (f"bg: terms used in the data but not declared in {ONTOLOGY.name}:"
                            f"\n  {listing(undeclared)}")
    unlabelled = [u for u in usages if not {"de", "en"} <= label_languages(u.term)]
    assert not unlabelled, (f"bg: terms without rdfs:label @de and @en in {ONTOLOGY.name}:"
                            f"\n  {listing(unlabelled)}")


def test_predicates_are_declared_as_properties_of_the_right_kind(usages: list[Usage]) -> None:
    wrong = []
    for u in (u for u in usages if u.role == "predicate"):
        types = types_of(u.term)
        if OWL.AnnotationProperty in types:
            continue
        if (u.iri_values and OWL.ObjectProperty not in types) or (
                u.literal_values and OWL.DatatypeProperty not in types):
            wrong.append(u)
    assert not wrong, ("bg: predicates not declared as owl:ObjectProperty (IRI values) or "
                       f"owl:DatatypeProperty (literal values):\n  {listing(wrong)}")


def test_classes_are_declared_as_owl_classes(usages: list[Usage]) -> None:
    wrong = [u for u in usages if u.role == "class" and OWL.Class not in types_of(u.term)]
    assert not wrong, f"bg: classes not declared as owl:Class:\n  {listing(wrong)}"


def test_class_and_property_labels_are_unique_per_language() -> None:
    # two terms labelled alike would be indistinguishable in views that show labels only
    seen: dict[tuple[str, str | None, str], str] = {}
    clashes = []
    for term in ontology().subjects(RDF.type, None):
        kinds = set(ontology().objects(term, RDF.type)) & (PROPERTY_TYPES | {OWL.Class})
        if not str(term).startswith(BG) or not kinds:
            continue
        kind = "class" if OWL.Class in kinds else "property"
        for label in ontology().objects(term, RDFS.label):
            key = (kind, label.language, str(label))
            if key in seen and seen[key] != str(term):
                clashes.append(f"{label!r}: {seen[key]} and {term}")
            seen[key] = str(term)
    assert sorted(set(clashes)) == []


def shape_terms(path: Path) -> Iterator[str]:
    """bg: local names a shapes file uses: as IRIs in its triples and as `bg:name` tokens in
    its SPARQL constraints (a typo there would silently select nothing)."""
    graph = rdflib.Graph().parse(path, format="turtle")
    for triple in graph:
        for node in triple:
            if isinstance(node, rdflib.URIRef) and str(node).startswith(BG):
                yield str(node)[len(BG):]
    for predicate in (SH.select, SH.ask):
        for query in graph.objects(None, predicate):
            yield from re.findall(r"\bbg:([A-Za-z_]\w*)", str(query))


@pytest.mark.parametrize("path", SHAPE_FILES, ids=[p.name for p in SHAPE_FILES])
def test_shapes_reference_only_declared_terms(path: Path) -> None:
    used = set(shape_terms(path))
    assert used, f"{path.name} uses no bg: term"
    undeclared = sorted(t for t in used if not types_of(t) & DECLARATION_TYPES)
    assert undeclared == [], f"{path.name} references undeclared bg: terms: {undeclared}"


def test_there_are_shape_files() -> None:
    assert {"shapes.ttl", "shapes-links.ttl"} <= {p.name for p in SHAPE_FILES}
