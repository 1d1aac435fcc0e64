"""The SPARQL 1.1 Service Description of `/sparql` (GET without a query), built with rdflib:
kept apart so that a front process imports rdflib only when a description is asked for."""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import DCTERMS, RDF, RDFS, Namespace

RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
                  "application/ld+json": "json-ld", "application/rdf+xml": "xml"}
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")


def describe(endpoint_url: str, named_graphs: list[str], media_type: str, *,
             timeout_s: float, max_rows: int) -> str:
    """The description of the endpoint at `endpoint_url`, written in `media_type` (a key of
    RDFLIB_FORMATS)."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    graph.bind("dct", DCTERMS)
    service = BNode("service")
    endpoint = URIRef(endpoint_url)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for fmt in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML",
                "N-Quads", "TriG"):
        graph.add((service, SD.resultFormat, FORMATS[fmt]))
    graph.add((service, DCTERMS.title, RdfLiteral("Beschlussgraph SPARQL endpoint", lang="en")))
    graph.add((service, DCTERMS.title, RdfLiteral("Beschlussgraph SPARQL-Endpunkt", lang="de")))
    graph.add((service, RDFS.comment, RdfLiteral(
        "Read-only. SERVICE, LOAD and updates are refused. Queries stop after "
        f"{timeout_s:g} s; results are cut at {max_rows} rows "
        "(header X-Result-Truncated).", lang="en")))
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for name in named_graphs:
        node = BNode()
        graph.add((dataset, SD.namedGraph, node))
        graph.add((node, RDF.type, SD.NamedGraph))
        graph.add((node, SD.name, URIRef(name)))
    return graph.serialize(format=RDFLIB_FORMATS[media_type])
