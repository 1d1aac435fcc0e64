"""Fixtures for the ontology, shapes and `kg validate` suites.

`VALID_DATASET` is a small, complete, conformant dataset in the shape of MODEL.md: one loaded
resolution with points, vote, mandate, amount, reference and spokesperson, one cited stub, the
session with a section and an agenda item, a note, a statement, a Land and the source
document. Shape tests mutate it with one SPARQL update each.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib

from kg.namespaces import DEFAULT_BASE, sparql_prefixes
from kg.store import OxigraphStore, StoreDirectory
from kg.terms import IRI, Literal, Quad

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "beschlussgraph.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
MODEL = ROOT / "ontology" / "MODEL.md"

DOC_GRAPH = DEFAULT_BASE + "graph/doc"
PREFIXES = sparql_prefixes({"m8g": "http://data.europa.eu/m8g/"}) + f"BASE <{DEFAULT_BASE}>\n"

VALID_DATASET = """
<graph/doc> a bg:SourceDocument , prov:Entity ;
    dct:title "itplr-48-2025-11-26-protokoll.txt" ;
    bg:sha256 "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" ;
    bg:loadedAt "2026-01-12T10:00:00"^^xsd:dateTime ;
    bg:loaderVersion "0.1.0" ;
    bg:documentKind "protokoll" .

<gremium/it-planungsrat> a bg:Council , org:Organization , m8g:PublicOrganisation ;
    skos:prefLabel "IT-Planungsrat"@de , "IT Planning Council"@en ;
    skos:notation "IT-PLR" .

<land/HB> a bg:Land , org:Organization , m8g:PublicOrganisation ;
    skos:notation "HB" ;
    skos:prefLabel "Bremen"@de , "Bremen"@en .

<land/BY> a bg:Land , org:Organization , m8g:PublicOrganisation ;
    skos:notation "BY" ;
    skos:prefLabel "Bayern"@de , "Bavaria"@en .

<gremium/dmk> a bg:MinisterialConference , org:Organization , m8g:PublicOrganisation ;
    skos:prefLabel "Digitalministerkonferenz"@de .

<sitzung/itplr/48> a bg:Session , prov:Activity ;
    rdfs:label "48. Sitzung des IT-Planungsrats"@de ;
    bg:body <gremium/it-planungsrat> ;
    bg:sessionNumber 48 ;
    dct:date "2025-11-26"^^xsd:date ;
    bg:place "Hansestadt Stralsund" ;
    bg:startTime "09:15:00"^^xsd:time ;
    bg:endTime "12:10:00"^^xsd:time ;
    bg:protocolVersionDate "2026-01-12"^^xsd:date ;
    bg:hasSection <sitzung/itplr/48/abschnitt/uebergreifendes> ;
    bg:hasAgendaItem <sitzung/itplr/48/top/03> ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 1 ; bg:lineEnd 11 .

<sitzung/itplr/48/abschnitt/uebergreifendes> a bg:Section ;
    rdfs:label "Übergreifendes"@de ;
    bg:position 2 ;
    bg:isConsentAgenda false ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 41 ; bg:lineEnd 41 .

<sitzung/itplr/48/top/03> a bg:AgendaItem ;
    bg:topNumber "03" ;
    dct:title "Eckwerte zum Wirtschaftsplan 2027"@de ;
    bg:subtitle "Ausblick auf den zu erwartenden" ;
    bg:session <sitzung/itplr/48> ;
    bg:section <sitzung/itplr/48/abschnitt/uebergreifendes> ;
    bg:position 2 ;
    bg:goal "Beschluss" ;
    bg:source <eli/itplr/beschluss/2025/02> ;
    bg:sourceText "B-2025/02-IT" ;
    bg:reporter <gremium/it-planungsrat> ;
    bg:checked bg:FormBeschluss ;
    bg:resolution <eli/itplr/beschluss/2025/31> ;
    bg:onConsentAgenda false ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 45 ; bg:lineEnd 90 .

<eli/itplr/beschluss/2025/31> a bg:Resolution , eli:LegalResource , bg:CouncilResolution ;
    eli:id_local "2025/31" ;
    bg:identifier "B-2025/31-IT" ;
    eli:title "Eckwerte zum Wirtschaftsplan 2027"@de ;
    eli:date_document "2025-11-26"^^xsd:date ;
    eli:passed_by <gremium/it-planungsrat> ;
    bg:session <sitzung/itplr/48> ;
    bg:agendaItem <sitzung/itplr/48/top/03> ;
    bg:text "Der IT-Planungsrat trifft auf Grundlage ..." ;
    bg:preamble "Der IT-Planungsrat trifft auf Grundlage ..." ;
    eli:has_part <eli/itplr/beschluss/2025/31/ziffer/1> ,
                 <eli/itplr/beschluss/2025/31/ziffer/2> ,
                 <eli/itplr/beschluss/2025/31/ziffer/2.1> ;
    bg:vote <eli/itplr/beschluss/2025/31/abstimmung> ;
    bg:mentionsAmount <eli/itplr/beschluss/2025/31/betrag/1> ;
    eli:cites <eli/itplr/beschluss/2025/02> ;
    eli:repeals <eli/itplr/beschluss/2025/02/ziffer/3> ;
    eli:changes <eli/itplr/beschluss/2025/02/ziffer/3> ;
    bg:repealsPartOf <eli/itplr/beschluss/2025/02> ;
    bg:expires "2026-12-31"^^xsd:date ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 60 ; bg:lineEnd 85 .

<eli/itplr/beschluss/2025/31/ziffer/1> a bg:ResolutionPoint , eli:LegalResourceSubdivision ;
    eli:is_part_of <eli/itplr/beschluss/2025/31> ;
    eli:number "1" ; bg:position 1 ;
    bg:text "Der IT-Planungsrat beschließt die Eckwerte." ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 62 ; bg:lineEnd 63 .

<eli/itplr/beschluss/2025/31/ziffer/2> a bg:ResolutionPoint , eli:LegalResourceSubdivision ;
    eli:is_part_of <eli/itplr/beschluss/2025/31> ;
    eli:number "2" ; bg:position 2 ;
    bg:text "Der IT-Planungsrat beauftragt die FITKO ..." ;
    bg:mentions <land/HB> ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 64 ; bg:lineEnd 70 .

<eli/itplr/beschluss/2025/31/ziffer/2.1> a bg:ResolutionPoint , eli:LegalResourceSubdivision ;
    eli:is_part_of <eli/itplr/beschluss/2025/31> ;
    bg:parentPoint <eli/itplr/beschluss/2025/31/ziffer/2> ;
    eli:number "2.1" ; bg:position 3 ;
    bg:text "bis zum 30.06.2026 einen Bericht vorzulegen." ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 66 ; bg:lineEnd 67 .

<eli/itplr/beschluss/2025/31/abstimmung> a bg:Vote ;
    bg:outcome bg:Adopted ;
    bg:unanimous true ;
    bg:abstainedBy <land/BY> ;
    bg:viaConsentAgenda false ;
    bg:outcomeText "Der Beschluss wird einstimmig, bei Enthaltung von BY angenommen." ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 84 ; bg:lineEnd 85 .

<eli/itplr/beschluss/2025/31/ziffer/2/auftrag/1> a bg:Mandate ;
    bg:issuedBy <eli/itplr/beschluss/2025/31> ;
    bg:sourcePoint <eli/itplr/beschluss/2025/31/ziffer/2> ;
    bg:assignee <gremium/it-planungsrat> ;
    bg:mandateVerb "beauftragt" ;
    bg:action "einen Bericht vorzulegen" ;
    bg:deadline "2026-06-30"^^xsd:date ;
    bg:deadlineText "bis zum 30.06.2026" ;
    bg:deadlineKind "date" ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 64 ; bg:lineEnd 67 .

<eli/itplr/beschluss/2025/31/betrag/1> a bg:MonetaryAmount ;
    bg:amountValue 1500000.0 ;
    bg:currency "EUR" ;
    bg:approximate false ;
    bg:maximum true ;
    bg:amountText "bis zu 1,5 Mio. Euro" ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 70 ; bg:lineEnd 70 .

<eli/itplr/beschluss/2025/31/verweis/1> a bg:Reference ;
    bg:citing <eli/itplr/beschluss/2025/31> ;
    bg:cited <eli/itplr/beschluss/2025/02> ;
    bg:relation bg:repealsPartOf ;
    bg:point <eli/itplr/beschluss/2025/31/ziffer/1> ;
    bg:evidence "hebt die Ziffer 3 des Beschlusses 2025/02 auf" ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 62 ; bg:lineEnd 63 .

<eli/itplr/beschluss/2025/31/sprecher/1> a bg:SpokespersonAppointment ;
    bg:appointedBy <eli/itplr/beschluss/2025/31> ;
    bg:conference <gremium/dmk> ;
    bg:spokesperson <land/HB> ;
    bg:position 1 ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 71 ; bg:lineEnd 71 .

# A resolution that is only cited: a stub with its canonical id, and the cited point.
<eli/itplr/beschluss/2025/02> a bg:Resolution , eli:LegalResource ;
    eli:id_local "2025/02" .

<eli/itplr/beschluss/2025/02/ziffer/3> a bg:ResolutionPoint , eli:LegalResourceSubdivision ;
    eli:is_part_of <eli/itplr/beschluss/2025/02> ;
    eli:number "3" .

<beschluss/dmk/2024-10-15> a bg:ExternalDecision , eli:LegalResource ;
    eli:id_local "DMK 2024/10/15" ;
    eli:passed_by <gremium/dmk> .

<sitzung/itplr/48/top/03/protokollnotiz/1> a bg:ProtocolNote ;
    bg:agendaItem <sitzung/itplr/48/top/03> ;
    bg:about <eli/itplr/beschluss/2025/31> ;
    bg:author <land/BY> ;
    bg:authorLabel "Bayern" ;
    bg:redacted false ;
    bg:text "Bayern weist darauf hin ..." ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 86 ; bg:lineEnd 88 .

<sitzung/itplr/48/top/03/wortbeitrag/1> a bg:Statement ;
    bg:agendaItem <sitzung/itplr/48/top/03> ;
    bg:speaker <land/HB> ;
    bg:speakerLabel "HB" ;
    bg:position 1 ;
    bg:text "Im Protokoll der 47. Sitzung habe es nachträglich Änderungen gegeben." ;
    prov:wasDerivedFrom <graph/doc> ; bg:lineStart 30 ; bg:lineEnd 32 .
"""


def parse_dataset(body: str = VALID_DATASET) -> rdflib.Graph:
    """The fixture Turtle (with the project prefixes and the data base) as an rdflib graph."""
    turtle = PREFIXES.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")
    turtle = turtle.replace(f"BASE <{DEFAULT_BASE}> .", f"@base <{DEFAULT_BASE}> .")
    graph = rdflib.Graph()
    graph.parse(data=turtle + body, format="turtle")
    return graph


def mutate(update: str, body: str = VALID_DATASET) -> rdflib.Graph:
    graph = parse_dataset(body)
    if update:
        graph.update(PREFIXES + update)
    return graph


def to_quads(graph: rdflib.Graph, graph_iri: str) -> list[Quad]:
    """rdflib triples as kg.terms quads for OxigraphStore.replace_graph (no blank nodes)."""
    def term(node: rdflib.term.Node) -> IRI | Literal:
        if isinstance(node, rdflib.URIRef):
            return IRI(str(node))
        if isinstance(node, rdflib.Literal):
            if node.language:
                return Literal(str(node), "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
                               node.language)
            datatype = str(node.datatype or "http://www.w3.org/2001/XMLSchema#string")
            return Literal(str(node), datatype)
        raise TypeError(f"fixtures use no blank nodes: {node!r}")

    g = IRI(graph_iri)
    return [(term(s), term(p), term(o), g) for s, p, o in graph]  # type: ignore[misc]


StoreFactory = Callable[[dict[str, rdflib.Graph | Path]], Path]


@pytest.fixture
def make_store(tmp_path: Path) -> StoreFactory:
    """Build an on-disk store (a StoreDirectory generation) from {graph IRI: rdflib graph, or
    a Turtle file for content with blank nodes such as shapes}."""
    counter = iter(range(1000))

    def build(graphs: dict[str, rdflib.Graph | Path]) -> Path:
        root = tmp_path / f"store-{next(counter)}"
        with StoreDirectory(root).writing() as store:
            for iri, graph in graphs.items():
                if isinstance(graph, Path):
                    store.load_file(graph, IRI(iri), "turtle")
                else:
                    store.replace_graph(IRI(iri), to_quads(graph, iri))
        return root

    return build


def open_store(root: Path) -> OxigraphStore:
    return StoreDirectory(root).open_read_only()
