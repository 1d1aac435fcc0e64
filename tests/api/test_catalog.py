"""The graph's own DCAT/VoID description at a well-known IRI, and the dumps it advertises."""

from __future__ import annotations

import rdflib
from fastapi.testclient import TestClient

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")


def test_well_known_void_describes_the_dataset_and_its_dumps(client: TestClient):
    response = client.get("/.well-known/void")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    g = rdflib.Graph().parse(data=response.text, format="turtle")
    datasets = set(g.subjects(rdflib.RDF.type, DCAT.Dataset))
    assert datasets
    dumps = {str(o) for o in g.objects(None, VOID.dataDump)}
    # the dump links point at this server, and each of them answers
    assert dumps == {"http://testserver/dump.trig", "http://testserver/dump.nq"}
    assert any(g.objects(None, VOID.sparqlEndpoint))
    assert client.get("/catalog").text == response.text


def test_dumps_hold_the_named_graphs(client: TestClient):
    nq = client.get("/dump.nq")
    assert nq.status_code == 200
    assert nq.headers["content-type"].startswith("application/n-quads")
    ds = rdflib.Dataset()
    ds.parse(data=nq.text, format="nquads")
    graphs = {str(c.identifier) for c in ds.graphs()}
    assert "https://w3id.org/beschlussgraph/id/graph/itplr-48-2025-11-26-protokoll" in graphs
    r33 = rdflib.URIRef("https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2025/33")
    eli = rdflib.Namespace("http://data.europa.eu/eli/ontology#")
    assert any(ds.quads((r33, eli.id_local, rdflib.Literal("2025/33"), None)))
    trig = client.get("/dump.trig")
    assert trig.status_code == 200 and b"2025/33" in trig.content
