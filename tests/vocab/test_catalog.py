"""The DCAT/VoID description of the knowledge graph (graph/katalog and catalog_turtle)."""

from __future__ import annotations

import rdflib
from rdflib import URIRef

from kg.catalog import catalog_turtle

from .conftest import BASE, PREFIXES

# plain IRIs: rdflib's closed namespace objects confuse pytest's collection
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

DATASET = URIRef(BASE + "datensatz/beschlussgraph")
CATALOG = URIRef(BASE + "katalog")


def parsed(text: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=text, format="turtle")


def test_catalogue_graph_written_by_the_post_load_step(fixture_store):
    assert fixture_store.ask(f"""ASK {{ GRAPH <{BASE}graph/katalog> {{
        <{CATALOG}> a dcat:Catalog ; dcat:dataset <{DATASET}> ; dcat:service ?service .
        <{DATASET}> a dcat:Dataset , void:Dataset ;
            dct:title "Beschlussgraph: Beschlüsse des IT-Planungsrats"@de ,
                      "Beschlussgraph: resolutions of the IT-Planungsrat"@en ;
            dct:publisher ?publisher ; dct:license ?licence ; dct:modified ?modified .
        ?service a dcat:DataService ; dcat:endpointURL <http://127.0.0.1:8000/sparql> }} }}""",
                             prefixes=PREFIXES)


def test_turtle_for_the_api_uses_the_request_url(fixture_store, settings):
    g = parsed(catalog_turtle(fixture_store, settings, base_url="https://example.org/bg"))
    assert (DATASET, URIRef(VOID + "sparqlEndpoint"), URIRef("https://example.org/bg/sparql")) in g
    dumps = {str(o) for o in g.objects(DATASET, URIRef(VOID + "dataDump"))}
    assert dumps == {"https://example.org/bg/dump.trig", "https://example.org/bg/dump.nq"}
    media = {str(g.value(d, URIRef(DCAT + "mediaType"))) for d in g.objects(DATASET, URIRef(DCAT + "distribution"))}
    assert "http://www.iana.org/assignments/media-types/application/trig" in media


def test_sources_are_the_documents_and_the_vocabularies(fixture_store, settings):
    g = parsed(catalog_turtle(fixture_store, settings))
    sources = {str(o) for o in g.objects(DATASET, URIRef(DCT + "source"))}
    assert BASE + "graph/fixture" in sources
    assert {"urn:vocab:eli", "urn:vocab:org", "urn:vocab:cpov", "urn:vocab:eurovoc"} <= sources
    # each vocabulary keeps its own licence
    assert (URIRef("urn:vocab:org"), URIRef(DCT + "license"),
            URIRef("http://www.opendatacommons.org/licenses/pddl/1.0/")) in g


def test_modified_is_the_latest_load(fixture_store, settings):
    g = parsed(catalog_turtle(fixture_store, settings))
    modified = g.value(DATASET, URIRef(DCT + "modified")).toPython()
    stamps = [o.toPython() for s in g.objects(DATASET, URIRef(DCT + "source"))
              for o in g.objects(s, URIRef(DCT + "modified"))]
    assert stamps and modified == max(stamps)


def test_triple_count_and_types(fixture_store, settings):
    g = parsed(catalog_turtle(fixture_store, settings))
    assert int(g.value(DATASET, URIRef(VOID + "triples"))) > 5000  # data + vocabularies + links
    assert (CATALOG, RDF_TYPE, URIRef(DCAT + "Catalog")) in g
