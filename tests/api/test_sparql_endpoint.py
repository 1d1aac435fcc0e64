"""/sparql in-process (FastAPI TestClient; queries still run in real worker processes)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from tests.api.conftest import R33, app_client

SRX = "{http://www.w3.org/2005/sparql-results#}"
PREFIX = "PREFIX eli: <http://data.europa.eu/eli/ontology#>\n"
TITLE_33 = "Portfoliosteuerung des IT-Planungsrats"
# DISTINCT: the protocol and the register both state the title, and Oxigraph's union default
# graph repeats a triple once per graph that holds it
TITLE_Q = PREFIX + f"SELECT DISTINCT ?t WHERE {{ <{R33}> eli:title ?t }}"


def test_select_json_by_get_returns_the_title_with_language(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": TITLE_Q})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    binding = r.json()["results"]["bindings"][0]["t"]
    assert binding == {"type": "literal", "value": TITLE_33, "xml:lang": "de"}
    assert "truncated" not in r.json()


def test_post_form_and_post_direct_give_the_same_rows(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": TITLE_Q})
    direct = client.post("/sparql", content=TITLE_Q.encode(),
                         headers={"content-type": "application/sparql-query"})
    assert form.status_code == direct.status_code == 200
    assert form.json() == direct.json()


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_tabular_formats_carry_the_title(client: TestClient, accept: str, media: str) -> None:
    r = client.get("/sparql", params={"query": TITLE_Q}, headers={"accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    if media.endswith("xml"):
        literal = ET.fromstring(r.content).find(f".//{SRX}literal")
        assert literal is not None and literal.text == TITLE_33
        assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    elif media == "text/csv":
        assert list(csv.reader(io.StringIO(r.text))) == [["t"], [TITLE_33]]
    else:
        assert r.text.splitlines() == ["?t", f'"{TITLE_33}"@de']


def test_construct_defaults_to_turtle_and_parses(client: TestClient) -> None:
    q = PREFIX + f"CONSTRUCT {{ <{R33}> eli:has_part ?p }} WHERE {{ <{R33}> eli:has_part ?p }}"
    r = client.get("/sparql", params={"query": q})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=r.text, format="turtle")
    parts = sorted(str(o) for o in graph.objects(URIRef(R33), None))
    assert parts == [f"{R33}/ziffer/{n}" for n in range(1, 6)]


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_describe_in_other_rdf_formats(client: TestClient, accept: str,
                                       rdflib_format: str) -> None:
    r = client.get("/sparql", params={"query": f"DESCRIBE <{R33}>"}, headers={"accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == accept
    graph = Graph().parse(data=r.text, format=rdflib_format)
    titles = [str(o) for o in graph.objects(URIRef(R33),
                                            URIRef("http://data.europa.eu/eli/ontology#title"))]
    assert titles == [TITLE_33]


def test_format_parameter_overrides_accept(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": TITLE_Q, "format": "csv"},
                   headers={"accept": "application/sparql-results+json"})
    assert r.headers["content-type"].startswith("text/csv")


def test_default_graph_is_the_union_and_from_is_honoured(client: TestClient) -> None:
    count = "SELECT (COUNT(*) AS ?n) {}"
    union = client.get("/sparql", params={"query": TITLE_Q}).json()
    assert len(union["results"]["bindings"]) == 1
    # FROM a graph that does not exist: the default graph is empty, not the union
    q = PREFIX + f"SELECT DISTINCT ?t FROM <urn:x-none> WHERE {{ <{R33}> eli:title ?t }}"
    assert client.get("/sparql", params={"query": q}).json()["results"]["bindings"] == []
    # the protocol's default-graph-uri names the protocol graph instead
    graph = "https://w3id.org/beschlussgraph/id/graph/itplr-48-2025-11-26-protokoll"
    r = client.get("/sparql", params={"query": TITLE_Q, "default-graph-uri": graph})
    assert r.json()["results"]["bindings"][0]["t"]["value"] == TITLE_33
    assert client.get("/sparql", params={"query": count}).status_code == 200


def test_service_description_is_turtle_with_endpoint(client: TestClient) -> None:
    r = client.get("/sparql", headers={"accept": "text/turtle"})
    assert r.status_code == 200
    graph = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = [str(o) for o in graph.objects(None, URIRef(sd + "endpoint"))]
    assert endpoints == ["http://testserver/sparql"]
    names = {str(o) for o in graph.objects(None, URIRef(sd + "name"))}
    assert "https://w3id.org/beschlussgraph/id/graph/itplr-48-2025-11-26-protokoll" in names


def test_browser_without_query_is_sent_to_the_query_page(client: TestClient) -> None:
    r = client.get("/sparql", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"


# -- errors: one JSON shape ------------------------------------------------------------------


def _error(r) -> dict:  # noqa: ANN001
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "detail"}
    assert body["error"]["status"] == r.status_code
    assert r.headers["content-type"] == "application/json"
    return body["error"]


@pytest.mark.parametrize(("method", "kwargs", "status", "code"), [
    # syntax error, with the parser's position
    ("GET", {"params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400, "malformed_query"),
    # two query parameters
    ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "multiple_queries"),
    # updates in every shape
    ("GET", {"params": {"update": "INSERT DATA { <a:s> <a:p> 1 }"}}, 400, "update_not_allowed"),
    ("POST", {"data": {"update": "CLEAR ALL"}}, 400, "update_not_allowed"),
    ("POST", {"content": b"DROP ALL", "headers": {"content-type": "application/sparql-update"}},
     400, "update_not_allowed"),
    ("POST", {"content": b"LOAD <http://127.0.0.1:9/x.ttl>",
              "headers": {"content-type": "application/sparql-query"}},
     400, "update_not_allowed"),
    # SERVICE, even lower-case and \u-escaped
    ("GET", {"params": {"query": "SELECT * { service <http://127.0.0.1:9/> { ?s ?p ?o } }"}},
     400, "service_not_allowed"),
    ("GET", {"params": {"query": "SELECT * { SERV\\u0049CE <http://127.0.0.1:9/> {?s ?p ?o} }"}},
     400, "service_not_allowed"),
    # a comment ended by a carriage return (the SSRF of issue 9), by GET and by POST
    ("GET", {"params": {"query": "SELECT ?x { #\rSERVICE <http://127.0.0.1:9/> {?x ?b ?c}\n}"}},
     400, "service_not_allowed"),
    ("POST", {"data": {"query": "SELECT ?x { #\rSERVICE <http://127.0.0.1:9/> {?x ?b ?c}\n}"}},
     400, "service_not_allowed"),
    # nesting that would crash the engine's parser (once a 500 RecursionError in the check)
    ("GET", {"params": {"query": "ASK " + "{" * 3000 + " service " + "}" * 3000}},
     400, "service_not_allowed"),
    ("POST", {"content": ("ASK " + "{" * 3000 + "}" * 3000).encode(),
              "headers": {"content-type": "application/sparql-query"}},
     400, "query_too_complex"),
    # longer than the cap
    ("POST", {"content": b"ASK {} #" + b"x" * 1_000_001,
              "headers": {"content-type": "application/sparql-query"}},
     413, "request_too_large"),
    # media types and encodings
    ("POST", {"content": b"ASK {}", "headers": {"content-type": "text/plain"}},
     415, "unsupported_media_type"),
    ("POST", {"content": b"ASK {}"}, 415, "unsupported_media_type"),
    ("POST", {"content": "ASK {}".encode("utf-16"),
              "headers": {"content-type": "application/sparql-query; charset=UTF-16"}},
     415, "unsupported_media_type"),
    ("POST", {"content": b"ASK { FILTER(\"\xff\") }",
              "headers": {"content-type": "application/sparql-query"}},
     400, "invalid_encoding"),
    # methods and paths
    ("PUT", {"params": {"query": "ASK {}"}}, 405, "method_not_allowed"),
    ("DELETE", {}, 405, "method_not_allowed"),
    ("GET", {"params": {"query": "ASK {}", "format": "yaml"}}, 400, "invalid_parameter"),
])
def test_errors_have_one_json_shape(client: TestClient, method: str, kwargs: dict,
                                    status: int, code: str) -> None:
    r = client.request(method, "/sparql", **kwargs)
    assert r.status_code == status, r.text
    assert _error(r)["code"] == code


def test_error_shape_is_pinned(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    error = _error(r)
    assert error["detail"] == {"line": 1, "column": 25}
    assert error["message"].startswith("the query does not parse: error at 1:25")
    missing = client.get("/no/such/route")
    assert missing.json() == {"error": {"status": 404, "code": "not_found",
                                        "message": "nothing at /no/such/route",
                                        "detail": None}}


def test_405_lists_allowed_methods(client: TestClient) -> None:
    r = client.put("/sparql")
    assert set(r.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_cors_allows_any_origin_without_credentials(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": "ASK {}"},
                   headers={"origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    pre = client.options("/sparql", headers={"origin": "https://example.org",
                                             "access-control-request-method": "POST",
                                             "access-control-request-headers": "content-type"})
    assert pre.status_code == 200
    assert pre.headers["access-control-allow-origin"] == "*"


# -- caps ------------------------------------------------------------------------------------

TEN_ROWS = "SELECT ?n WHERE { VALUES ?n { 1 2 3 4 5 6 7 8 9 10 } }"


@pytest.fixture(scope="module")
def capped(sample_store: Path):  # noqa: ANN201
    with app_client(sample_store, max_rows=4, max_bytes=2_000, query_workers=1) as c:
        yield c


def test_row_cap_truncates_with_header_and_json_field(capped: TestClient) -> None:
    r = capped.get("/sparql", params={"query": TEN_ROWS})
    body = r.json()
    assert [b["n"]["value"] for b in body["results"]["bindings"]] == ["1", "2", "3", "4"]
    assert body["truncated"] is True
    assert r.headers["x-result-truncated"] == "rows; limit=4"
    csv_r = capped.get("/sparql", params={"query": TEN_ROWS}, headers={"accept": "text/csv"})
    assert csv_r.text.split() == ["n", "1", "2", "3", "4"]
    assert csv_r.headers["x-result-truncated"] == "rows; limit=4"


def test_byte_cap_keeps_documents_well_formed(capped: TestClient) -> None:
    long = "SELECT ?s WHERE { VALUES ?s { " + " ".join(
        f'"{"x" * 600}{i}"' for i in range(4)) + " } }"
    r = capped.get("/sparql", params={"query": long})
    body = json.loads(r.content)
    assert len(r.content) <= 2_000
    # each binding is ~620 bytes: three fit under 2000 bytes, the fourth does not
    assert len(body["results"]["bindings"]) == 3
    assert body["truncated"] is True
    assert r.headers["x-result-truncated"] == "bytes; limit=2000"
    xml = capped.get("/sparql", params={"query": long},
                     headers={"accept": "application/sparql-results+xml"})
    assert len(xml.content) <= 2_000
    assert len(ET.fromstring(xml.content).findall(f".//{SRX}result")) == 2
    graph = capped.get("/sparql", params={"query": f"DESCRIBE <{R33}>"},
                       headers={"accept": "application/n-triples"})
    assert graph.headers["x-result-truncated"] in ("rows; limit=4", "bytes; limit=2000")
    assert len(graph.text.strip().splitlines()) <= 4


def test_a_worker_that_died_while_idle_is_replaced(sample_store: Path) -> None:
    import os
    import signal
    import time

    with app_client(sample_store, query_workers=1) as c:
        pool = c.app.state.pool  # type: ignore[attr-defined]
        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)
        for _ in range(200):  # until the kernel has closed its end of the pipe
            if not any(w.process.poll() is None for w in pool._all):
                break
            time.sleep(0.01)
        r = c.get("/sparql", params={"query": "ASK {}"})
        assert r.status_code == 200 and r.json()["boolean"] is True
        assert pool.replaced == 1 and pool.pids() != [pid]
