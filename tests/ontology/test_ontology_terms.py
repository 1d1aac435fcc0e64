"""The ontology and shapes parse, declare every term MODEL.md uses, in German and English,
and align only to terms that exist in the shipped vocabularies."""

from __future__ import annotations

import re
from functools import cache

import pytest
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kg.namespaces import BG, ELI, ORG
from kg.settings import ONTOLOGY_DIR
from tests.ontology.conftest import MODEL, ONTOLOGY, SHAPES

CPOV = "http://data.europa.eu/m8g/"
VOCAB_FILES = [
    (ONTOLOGY_DIR / "vocab" / "eli" / "eli.rdf", "xml"),
    (ONTOLOGY_DIR / "vocab" / "org" / "org.ttl", "turtle"),
    (ONTOLOGY_DIR / "vocab" / "cpov" / "core-public-organisation-ap.ttl", "turtle"),
]
DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.Concept,
                     SKOS.ConceptScheme}


@cache
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


@cache
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES, format="turtle")


@cache
def vocabularies() -> rdflib.Graph:
    graph = rdflib.Graph()
    for path, fmt in VOCAB_FILES:
        graph.parse(path, format=fmt)
    return graph


def model_terms() -> list[str]:
    return sorted(set(re.findall(r"\bbg:([A-Za-z_]\w*)", MODEL.read_text(encoding="utf-8"))))


def test_files_parse() -> None:
    assert len(ontology()) > 900
    assert len(shapes()) > 900
    header = rdflib.URIRef("https://w3id.org/beschlussgraph/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology()
    titles = {t.language for t in ontology().objects(header, rdflib.URIRef(
        "http://purl.org/dc/terms/title"))}
    assert titles == {"de", "en"}
    assert ontology().value(header, OWL.versionInfo) is not None


def test_model_md_names_the_expected_terms() -> None:
    # guards the token parser: a few terms MODEL.md certainly uses
    terms = model_terms()
    assert {"Resolution", "ResolutionPoint", "Mandate", "lineStart", "repealsPartOf",
            "FormFollowUp", "TakenNote"} <= set(terms)
    assert len(terms) > 100


@pytest.mark.parametrize("term", model_terms())
def test_model_term_declared_with_german_and_english_text(term: str) -> None:
    iri = rdflib.URIRef(BG + term)
    types = set(ontology().objects(iri, RDF.type))
    assert types & DECLARATION_TYPES, f"bg:{term} is not declared in {ONTOLOGY.name}"
    for predicate in (RDFS.label, RDFS.comment):
        languages = sorted(lit.language for lit in ontology().objects(iri, predicate))
        assert languages == ["de", "en"], f"bg:{term} {predicate}: {languages}"


def test_every_declared_bg_term_is_either_object_or_datatype_property_not_both() -> None:
    for prop in ontology().subjects(RDF.type, OWL.ObjectProperty):
        assert (prop, RDF.type, OWL.DatatypeProperty) not in ontology(), prop


ALIGNMENTS = [
    # resolutions are ELI legal resources, points their subdivisions
    ("Resolution", RDFS.subClassOf, ELI + "LegalResource"),
    ("ResolutionPoint", RDFS.subClassOf, ELI + "LegalResourceSubdivision"),
    ("ExternalDecision", RDFS.subClassOf, ELI + "LegalResource"),
    # decision kinds refine bg:Resolution
    ("CouncilResolution", RDFS.subClassOf, BG + "Resolution"),
    ("ALRundeDecision", RDFS.subClassOf, BG + "Resolution"),
    ("FollowUp", RDFS.subClassOf, BG + "Resolution"),
    # "ersetzt" repeals; partial repeals and other relations cite
    ("replaces", RDFS.subPropertyOf, ELI + "repeals"),
    ("repealsPartOf", RDFS.subPropertyOf, ELI + "cites"),
    ("amendsPartOf", RDFS.subPropertyOf, ELI + "cites"),
    ("basedOn", RDFS.subPropertyOf, ELI + "cites"),
    ("continues", RDFS.subPropertyOf, ELI + "cites"),
    # eli:implements is deprecated in ELI 1.5; eli:applies replaces it
    ("implements", RDFS.subPropertyOf, ELI + "applies"),
    ("implements", RDFS.subPropertyOf, ELI + "cites"),
    # Länder and the Bund are CPOV public organisations and ORG organisations
    ("Land", RDFS.subClassOf, CPOV + "PublicOrganisation"),
    ("Land", RDFS.subClassOf, ORG + "Organization"),
    ("Federation", RDFS.subClassOf, CPOV + "PublicOrganisation"),
    ("Federation", RDFS.subClassOf, ORG + "Organization"),
    # a session is a PROV activity; a document a PROV entity
    ("Session", RDFS.subClassOf, "http://www.w3.org/ns/prov#Activity"),
    ("SourceDocument", RDFS.subClassOf, "http://www.w3.org/ns/prov#Entity"),
    # the outcome concepts form a SKOS scheme
    ("Adopted", SKOS.inScheme, BG + "OutcomeScheme"),
    ("Rejected", SKOS.inScheme, BG + "OutcomeScheme"),
    ("TakenNote", SKOS.inScheme, BG + "OutcomeScheme"),
    ("FormBeschluss", SKOS.inScheme, BG + "FormScheme"),
    ("FormFollowUp", SKOS.inScheme, BG + "FormScheme"),
]


@pytest.mark.parametrize(("term", "predicate", "target"), ALIGNMENTS)
def test_alignment(term: str, predicate: rdflib.URIRef, target: str) -> None:
    assert (rdflib.URIRef(BG + term), predicate, rdflib.URIRef(target)) in ontology()


def test_alignment_targets_exist_in_the_shipped_vocabularies() -> None:
    # every ELI / ORG / CPOV term the ontology points to is defined in ontology/vocab/
    missing = []
    for s, p, o in ontology():
        if p not in (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range,
                     OWL.equivalentClass):
            continue
        if str(o).startswith((ELI, ORG, CPOV)) and not set(vocabularies().objects(o, RDF.type)):
            missing.append(f"{s} {p} {o}")
    assert missing == []


def test_shapes_use_only_declared_bg_terms() -> None:
    # a typo in a shape (bg:sesion) would silently check nothing
    used = {str(node) for triple in shapes() for node in triple
            if isinstance(node, rdflib.URIRef) and str(node).startswith(BG)}
    declared = {str(s) for s in ontology().subjects() if str(s).startswith(BG)}
    assert sorted(used - declared) == []


def test_every_model_class_has_a_shape() -> None:
    targets = {str(o) for o in shapes().objects(None, SH.targetClass)}
    classes = [t for t in model_terms() if t[0].isupper()
               and (rdflib.URIRef(BG + t), RDF.type, OWL.Class) in ontology()]
    assert [c for c in classes if BG + c not in targets] == []


def test_sparql_constraints_declare_their_prefixes() -> None:
    # SHACL-SPARQL forbids VALUES and needs sh:prefixes; pyshacl rejects the file otherwise
    for constraint in shapes().subjects(RDF.type, SH.SPARQLConstraint):
        assert shapes().value(constraint, SH.prefixes) is not None
        assert "VALUES" not in str(shapes().value(constraint, SH.select))


def test_every_shape_message_has_english_and_german() -> None:
    for shape in set(shapes().subjects(SH.message, None)):
        languages = sorted(m.language for m in shapes().objects(shape, SH.message))
        assert languages == ["de", "en"], shape
