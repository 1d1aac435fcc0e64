"""What clients send for a format (issue 12, item 10): SPARQLWrapper's return formats, sent
as `format=` and `output=` (and a media type as a second value for some), each answered in
the format it asks for; CONSTRUCT in Turtle with the project prefixes.

SPARQLWrapper runs unchanged; only its `urlopen` is routed into the in-process app."""

from __future__ import annotations

import io
import json
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator
from email.message import Message

import pytest
import SPARQLWrapper.Wrapper as wrapper_module
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDF, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from tests.api.conftest import R33

ELI = "http://data.europa.eu/eli/ontology#"
TITLE_33 = "Portfoliosteuerung des IT-Planungsrats"
SELECT = f"SELECT DISTINCT ?t WHERE {{ <{R33}> <{ELI}title> ?t }}"
CONSTRUCT = f"CONSTRUCT {{ <{R33}> <{ELI}has_part> ?p }} WHERE {{ <{R33}> <{ELI}has_part> ?p }}"
POINTS_33 = {URIRef(f"{R33}/ziffer/{n}") for n in range(1, 6)}


class _Response(io.BytesIO):
    """What urllib's urlopen returns, as far as SPARQLWrapper reads it."""

    def __init__(self, body: bytes, headers: dict[str, str]) -> None:
        super().__init__(body)
        self._headers = Message()
        for name, value in headers.items():
            self._headers[name] = value

    def info(self) -> Message:
        return self._headers


@pytest.fixture
def sent(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict]]:
    """Route SPARQLWrapper's requests into the app; yields the requests as sent."""
    requests: list[dict] = []

    def urlopen(request: urllib.request.Request, timeout: float | None = None) -> _Response:
        url = urllib.parse.urlsplit(request.full_url)
        headers = dict(request.header_items())
        params = urllib.parse.parse_qsl(url.query, keep_blank_values=True)
        if request.data:
            params += urllib.parse.parse_qsl(request.data.decode(), keep_blank_values=True)
        requests.append({"params": params, "accept": headers.get("Accept")})
        r = client.request(request.get_method(), url.path + ("?" + url.query if url.query else ""),
                           content=request.data, headers=headers)
        if r.status_code >= 400:
            raise urllib.error.HTTPError(request.full_url, r.status_code, r.text,
                                         Message(), io.BytesIO(r.content))
        return _Response(r.content, dict(r.headers))

    monkeypatch.setattr(wrapper_module, "urlopener", urlopen)
    yield requests


def _run(query: str, fmt: str, method: str = "GET") -> object:
    sparql = SPARQLWrapper("http://testserver/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    with warnings.catch_warnings():
        # SPARQLWrapper warns when the endpoint answers in another format than asked
        warnings.filterwarnings("error", message="Format requested was",
                                category=RuntimeWarning)
        return sparql.query().convert()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select_json(sent: list[dict], method: str) -> None:
    result = _run(SELECT, JSON, method)
    assert [b["t"]["value"] for b in result["results"]["bindings"]] == [TITLE_33]  # type: ignore[index]
    assert ("format", "json") in sent[0]["params"] and ("output", "json") in sent[0]["params"]


def test_select_xml(sent: list[dict]) -> None:
    document = _run(SELECT, XML)
    literals = document.getElementsByTagName("literal")  # type: ignore[attr-defined]
    assert [node.firstChild.data for node in literals] == [TITLE_33]
    assert literals[0].getAttribute("xml:lang") == "de"


def test_select_csv(sent: list[dict]) -> None:
    assert _run(SELECT, CSV).decode().splitlines() == ["t", TITLE_33]  # type: ignore[union-attr]


def test_select_tsv(sent: list[dict]) -> None:
    assert _run(SELECT, TSV).decode().splitlines() == ["?t", f'"{TITLE_33}"@de']  # type: ignore[union-attr]
    # SPARQLWrapper adds the media type as a second value of format= and output=
    assert ("format", "text/tab-separated-values") in sent[0]["params"]


@pytest.mark.parametrize("fmt", [TURTLE, N3])
def test_construct_turtle_and_n3_with_prefixes(sent: list[dict], fmt: str) -> None:
    text = _run(CONSTRUCT, fmt).decode()  # type: ignore[union-attr]
    assert "@prefix eli: <http://data.europa.eu/eli/ontology#> ." in text
    assert "eli:has_part" in text and f"<{ELI}has_part>" not in text
    graph = Graph().parse(data=text, format="turtle")
    assert set(graph.objects(URIRef(R33), URIRef(ELI + "has_part"))) == POINTS_33


@pytest.mark.parametrize("fmt", [XML, RDF, RDFXML, JSONLD])
def test_construct_rdfxml_and_jsonld(sent: list[dict], fmt: str) -> None:
    graph = _run(CONSTRUCT, fmt)
    assert set(graph.objects(URIRef(R33), URIRef(ELI + "has_part"))) == POINTS_33  # type: ignore[union-attr]
    assert ("format", fmt) in sent[0]["params"]


@pytest.mark.parametrize(("value", "media"), [
    ("json-ld", "application/ld+json"), ("jsonld", "application/ld+json"),
    ("JSON-LD", "application/ld+json"), ("application/ld+json", "application/ld+json"),
    ("rdf+xml", "application/rdf+xml"), ("n3", "text/turtle"), ("ttl", "text/turtle"),
    ("nt", "application/n-triples"), ("json", "application/ld+json"),
    ("xml", "application/rdf+xml"),
])
@pytest.mark.parametrize("name", ["format", "output"])
def test_format_names_for_graphs(client: TestClient, name: str, value: str, media: str) -> None:
    r = client.get("/sparql", params={"query": CONSTRUCT, name: value})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].split(";")[0] == media
    graph = Graph().parse(data=r.content, format={"application/ld+json": "json-ld",
                                                  "application/rdf+xml": "xml",
                                                  "text/turtle": "turtle",
                                                  "application/n-triples": "nt"}[media])
    assert set(graph.objects(URIRef(R33), URIRef(ELI + "has_part"))) == POINTS_33


@pytest.mark.parametrize(("value", "media"), [
    ("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("TSV", "text/tab-separated-values"),
])
def test_format_names_for_results(client: TestClient, value: str, media: str) -> None:
    r = client.get("/sparql", params={"query": SELECT, "output": value})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert TITLE_33 in r.text


def test_format_first_then_output_and_unknown_values() -> None:
    from api.routers.sparql import _format_override

    assert _format_override([("output", "csv"), ("format", "json-ld")]) == (None, "jsonld")
    assert _format_override([("format", "yaml"), ("format", "tsv")]) == ("tsv", None)
    assert _format_override([("format", "application/ld+json,application/x-json+ld")]) == (
        None, "jsonld")
    assert _format_override([("query", "ASK {}")]) is None


def test_unknown_format_is_a_400_that_names_the_choices(client: TestClient) -> None:
    r = client.get("/sparql", params={"query": SELECT, "format": "yaml"})
    assert r.status_code == 400
    body = json.loads(r.text)
    assert "json-ld" in json.dumps(body) and "rdf+xml" in json.dumps(body)


def test_construct_as_trig_uses_the_project_prefixes(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/sparql", params={
        "query": "PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                 "CONSTRUCT { ?r eli:title ?t } WHERE { ?r eli:id_local \"2025/33\" ; eli:title ?t }",
        "format": "trig"})
    assert r.status_code == 200, r.text
    assert "@prefix eli: <http://data.europa.eu/eli/ontology#> ." in r.text
    assert 'eli:title "Portfoliosteuerung des IT-Planungsrats"' in r.text
