"""ontology/shapes-links.ttl: conformant on the fixture and the seed, and each rule bites."""

from __future__ import annotations

import pytest

from kg.settings import ONTOLOGY_DIR
from kg.store import OxigraphStore
from kg.terms import IRI
from kg.validate import data_graph_from_store, default_shapes_files, validate_graph

from .conftest import BASE, FIXTURE, with_steps

SHAPES = ONTOLOGY_DIR / "shapes-links.ttl"
PREFIXES = """PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
"""


def fresh_store(settings) -> OxigraphStore:
    store = OxigraphStore.in_memory()
    store.load_file(FIXTURE, IRI(BASE + "graph/fixture"), "trig")
    return with_steps(store, settings)


def report_for(store: OxigraphStore):
    return validate_graph(data_graph_from_store(store), [SHAPES])


def test_picked_up_by_kg_validate():
    assert SHAPES in default_shapes_files()


def test_fixture_conforms(fixture_store):
    report = report_for(fixture_store)
    assert report.conforms, [(v.source_shape, v.focus, v.message) for v in report.violations]


def test_seed_conforms(seed_store):
    report = report_for(seed_store)
    assert report.conforms, [(v.source_shape, v.focus, v.message) for v in report.violations]
    # every German law the seed cites is known to de_laws.csv: no warning about laws
    assert not [v for v in report.violations if v.source_shape.startswith("bgsh:GermanLaw")]


def test_unknown_german_law_is_a_warning(settings):
    store = fresh_store(settings)
    store.update(PREFIXES + f"""INSERT DATA {{ GRAPH <{BASE}graph/fixture> {{
        <{BASE}gesetz/it-netzg> a bg:GermanLaw }} }}""")
    report = report_for(store)
    assert report.conforms
    assert BASE + "gesetz/it-netzg" in {v.focus for v in report.violations
                                        if v.severity == "Warning"}


# Each row: a SPARQL update that breaks one rule, and the shape that must report it.
BREAKS = [
    # an EU act cited under an ELI with no row in eu_acts.csv has no CELEX
    (f"""INSERT DATA {{ GRAPH <{BASE}graph/fixture> {{
        <{BASE}eli/itplr/beschluss/2025/42> eli:cites <http://data.europa.eu/eli/reg/2099/1/oj> .
        <http://data.europa.eu/eli/reg/2099/1/oj> a bg:EUAct , eli:LegalResource }} }}""",
     "bgsh:EUActShape"),
    # the same, untyped: the reference target shape still asks for a CELEX
    (f"""INSERT DATA {{ GRAPH <{BASE}graph/fixture> {{
        <{BASE}eli/itplr/beschluss/2025/42> eli:cites <http://data.europa.eu/eli/dir/2099/7/oj>
        }} }}""",
     "bgsh:EUActReferenceShape"),
    # a Land that lost its NUTS code
    (f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}land/BY> bg:nutsCode ?n }} }}", "bgsh:LandNutsShape"),
    # a NUTS code of the wrong form
    (f"""INSERT DATA {{ GRAPH <{BASE}graph/fixture> {{ <{BASE}land/HE> bg:nutsCode "DE77" }} }}""",
     "bgsh:LandNutsShape"),
    # a loaded resolution without a title is no complete ELI legal resource (its date is
    # checked by shapes.ttl: see test_missing_date_is_left_to_shapes_ttl)
    (f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}eli/itplr/beschluss/2025/42> eli:title ?t }} }}",
     "bgsh:ELIResolutionShape"),
    # a subject that is no EuroVoc concept
    (f"""INSERT DATA {{ GRAPH <{BASE}graph/fixture> {{
        <{BASE}eli/itplr/beschluss/2025/42> eli:is_about <http://example.org/topic> }} }}""",
     "bgsh:ELIResolutionShape"),
    # a subject assignment without its evidence
    ("DELETE { GRAPH ?g { ?a bg:matchedTerm ?t } } "
     "WHERE { GRAPH ?g { ?a a bg:SubjectAssignment ; bg:matchedTerm ?t } }",
     "bgsh:SubjectAssignmentShape"),
    # relevance without its legal basis
    (f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}eli/itplr/beschluss/2025/42> "
     "bg:interoperabilityAssessmentBasis ?b } }",
     "bgsh:ELIResolutionShape"),
    # an article that belongs to no act
    ("DELETE WHERE { GRAPH ?g { <http://data.europa.eu/eli/reg/2024/903/art_3/oj> "
     "eli:is_part_of ?act } }",
     "bgsh:EUArticleShape"),
]


@pytest.mark.parametrize(("update", "shape"), BREAKS, ids=[b[1] + f"-{i}" for i, b in
                                                             enumerate(BREAKS)])
def test_each_rule_reports_its_break(settings, update, shape):
    store = fresh_store(settings)
    store.update(PREFIXES + update)
    report = report_for(store)
    shapes = {v.source_shape.split("/")[0] for v in report.violations if v.severity == "Violation"}
    assert not report.conforms
    assert shape in shapes, shapes


def test_missing_date_is_left_to_shapes_ttl(settings):
    """shapes.ttl decides about a missing eli:date_document (a violation when a protocol is the
    source, a warning for register rows); shapes-links.ttl says nothing about it."""
    store = fresh_store(settings)
    store.update(PREFIXES + f"DELETE WHERE {{ GRAPH ?g {{ <{BASE}eli/itplr/beschluss/2025/42> "
                 "eli:date_document ?d } }")
    report = report_for(store)
    assert report.conforms, [(v.source_shape, v.focus, v.message) for v in report.violations]
    assert not [v for v in report.violations if v.source_shape.startswith("bgsh:ELIResolution")]


def test_missing_subject_is_a_warning_not_a_violation(settings):
    store = fresh_store(settings)
    store.update(PREFIXES + "DELETE WHERE { GRAPH ?g { ?r eli:is_about ?c } }")
    store.update(PREFIXES + "DELETE WHERE { GRAPH ?g { ?a rdf:predicate eli:is_about ; ?p ?o } }")
    report = report_for(store)
    assert report.conforms
    warned = {v.focus for v in report.violations
              if v.severity == "Warning" and v.source_shape.startswith("bgsh:ResolutionSubject")}
    assert warned == {BASE + "eli/itplr/beschluss/2025/34", BASE + "eli/itplr/beschluss/2025/42"}
