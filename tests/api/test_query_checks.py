"""The refusal of SERVICE / LOAD / updates / deep nesting, checked against the engine itself,
the network sandbox of query workers, and content negotiation (tables)."""

from __future__ import annotations

import http.server
import multiprocessing
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from api.conneg import negotiate
from api.sandbox import deny_network
from api.sparql_safety import MAX_NESTING, check_query

S = "service_not_allowed"
U = "update_not_allowed"
X = "http://127.0.0.1:{port}/x"  # the recording server of the differential test

# (query, refusal code, has a dataset clause); {X} is the address of a recording HTTP server
CHECKS = [
    # plain queries pass, without a dataset clause
    ("ASK {}", None, False),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", None, False),
    # the word only inside a literal, an IRI or a variable name is harmless
    ('SELECT * WHERE { ?s ?p "SERVICE <{X}> {}" }', None, False),
    ("SELECT * WHERE { ?s ?p '''SERVICE\n<{X}> {}''' }", None, False),
    ("SELECT * WHERE { ?s <http://example.org/service> ?o }", None, False),
    ("SELECT ?service ?load WHERE { ?service ?load ?o }", None, False),
    ("PREFIX ex: <http://example.org/> SELECT * { ?s ex:serviceType ?o }", None, False),
    ('SELECT * { ?s ?p "x"@de FILTER(CONTAINS(?p, "service")) }', None, False),
    # SERVICE anywhere: top level, OPTIONAL, sub-select, EXISTS, SILENT, variable IRI
    ("SELECT * { SERVICE <{X}> { ?s ?p ?o } }", S, False),
    ("SELECT * { ?a ?b ?c OPTIONAL { SERVICE SILENT <{X}> { ?s ?p ?o } } }", S, False),
    ("SELECT * { { SELECT * { SERVICE ?endpoint { ?s ?p ?o } } } }", S, False),
    ("SELECT * { BIND(1 AS ?x) FILTER EXISTS { SERVICE <{X}> { ?s ?p ?o } } }", S, False),
    ("ASK { sErViCe <{X}> { } }", S, False),
    # a comment ends at LF and at CR for Oxigraph (rdflib only at LF: the SSRF of issue 9)
    ("SELECT ?x WHERE { #\rSERVICE <{X}> { ?x ?b ?c }\n }", S, False),
    ("SELECT ?x WHERE { # note\r\nSERVICE <{X}> { ?x ?b ?c } }", S, False),
    ("SELECT ?x WHERE { # note\nSERVICE <{X}> { ?x ?b ?c } }", S, False),
    # other line separators do not end a comment in Oxigraph: what follows stays comment
    ("SELECT ?x WHERE { #\u2028SERVICE <{X}> { ?x ?b ?c }\n }", None, False),
    ("SELECT ?x WHERE { #\u0085SERVICE <{X}> { ?x ?b ?c }\n }", None, False),
    ("SELECT ?x WHERE { #\x0bSERVICE <{X}> { ?x ?b ?c }\n }", None, False),
    ("SELECT ?x WHERE { #\x0cSERVICE <{X}> { ?x ?b ?c }\n }", None, False),
    # a comment glued to the keyword, tabs, no spaces at all
    ("SELECT ?x WHERE { SERVICE#c\n<{X}> { ?x ?b ?c } }", S, False),
    ("SELECT ?x WHERE {\tSERVICE\t<{X}>\t{ ?x ?b ?c } }", S, False),
    ("select ?x where{service<{X}>{?x ?b ?c}}", S, False),
    # Oxigraph matches keywords without a word boundary
    ("PREFIX : <http://127.0.0.1:{port}/> SELECT * { SERVICE:x { ?x ?b ?c } }", S, False),
    ("PREFIX ex: <http://127.0.0.1:{port}/> SELECT * { SERVICEex:x { ?x ?b ?c } }", S,
     False),
    ("SELECT * { SERVICESILENT<{X}> { ?x ?b ?c } }", S, False),
    ("PREFIX ex: <http://example.org/> SELECT * { ?s ?p ex:a.SERVICE<{X}> {} }", S, False),
    # \u escapes: Oxigraph expands them in IRIs and strings, the spec everywhere; both refuse
    ("SELECT * { SERV\\u0049CE <{X}> { ?s ?p ?o } }", S, False),
    ("SELECT * { \\U00000053ERVICE <{X}> { ?s ?p ?o } }", S, False),
    ("SELECT * { # x \\u000ASERVICE <{X}> { ?s ?p ?o }\n }", S, False),
    ("SELECT * { SERVICE <http://127.0.0.1:{port}/\\u0078> { ?s ?p ?o } }", S, False),
    # a relative IRI resolved against BASE
    ("BASE <http://127.0.0.1:{port}/> SELECT * { SERVICE <x> { ?s ?p ?o } }", S, False),
    # updates, LOAD named as such
    ("LOAD <{X}>", U, False),
    ("LOAD SILENT <{X}> INTO GRAPH <urn:g>", U, False),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> } ; LOAD <{X}>", U, False),
    ("CLEAR ALL", U, False),
    ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", U, False),
    # nesting deeper than Oxigraph's parser survives (it segfaults at ~3,000 levels)
    ("SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000, "query_too_complex", False),
    ("SELECT * WHERE { FILTER(" + "(" * 3000 + "1" + ")" * 3000 + ") }",
     "query_too_complex", False),
    ("SELECT * WHERE " + "{" * MAX_NESTING + " ?s ?p ?o " + "}" * MAX_NESTING, None, False),
    # dataset clauses are detected so that FROM is honoured
    ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", None, True),
    ("SELECT * FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }", None, True),
    ('SELECT * WHERE { ?s ?p "from" }', None, False),
]


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def _answer(self) -> None:
        self.hits.append(self.path)
        body = (b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal",'
                b'"value":"fetched"}}]}}')
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def recorder() -> Iterator[tuple[int, list[str]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Recorder.hits
    server.shutdown()


def _fill(query: str, port: int) -> str:
    return query.replace("{X}", X.format(port=port)).replace("{port}", str(port))


@pytest.mark.parametrize(("query", "refused", "dataset"), CHECKS)
def test_check_query(query: str, refused: str | None, dataset: bool) -> None:
    check = check_query(_fill(query, 9))
    assert check.refused == refused
    assert check.has_dataset_clause is dataset
    if refused:
        assert check.message


@pytest.mark.parametrize("query", [q for q, refused, _ in CHECKS if refused is None])
def test_what_passes_the_check_fetches_nothing_in_the_engine(
        query: str, recorder: tuple[int, list[str]]) -> None:
    """Differential: every query the guard lets through, run by the real engine without the
    sandbox, must not reach the recording server."""
    port, hits = recorder
    text = _fill(query, port)
    before = len(hits)
    try:
        ox.Store().query(text, use_default_graph_as_union=True)
    except (SyntaxError, OSError, RuntimeError):
        pass
    assert len(hits) == before, f"the engine fetched {hits[before:]} for a query that passed"


# rows the engine rejects or cannot resolve: refused all the same, but they fetch nothing
NOT_RUN = {"?endpoint", "EXISTS", "ex:a.SERVICE", "SERV\\u0049CE", "\\U0000", "\\u000A"}


@pytest.mark.parametrize("query", [q for q, refused, _ in CHECKS if refused == S
                                   and not any(mark in q for mark in NOT_RUN)])
def test_the_engine_does_fetch_what_the_check_refuses(
        query: str, recorder: tuple[int, list[str]]) -> None:
    """The refused rows are real: unguarded, Oxigraph runs these SERVICE calls."""
    port, hits = recorder
    before = len(hits)
    result = ox.Store().query(_fill(query, port))
    if not isinstance(result, ox.QueryBoolean):
        list(result)
    assert len(hits) > before


def _service_in_sandbox(port: int, queue: multiprocessing.Queue) -> None:
    sandboxed = deny_network()
    try:
        rows = list(ox.Store().query(
            f"SELECT ?x {{ SERVICE <http://127.0.0.1:{port}/x> {{ ?x ?b ?c }} }}"))
        queue.put((sandboxed, f"rows: {[str(r['x']) for r in rows]}"))
    except OSError as exc:
        queue.put((sandboxed, f"{type(exc).__name__}: {exc}"))


def test_a_sandboxed_worker_cannot_fetch_even_an_unchecked_service_call(
        recorder: tuple[int, list[str]]) -> None:
    port, hits = recorder
    before = len(hits)
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue = ctx.Queue()
    process = ctx.Process(target=_service_in_sandbox, args=(port, queue))
    process.start()
    sandboxed, outcome = queue.get(timeout=60)
    process.join(timeout=30)
    assert sandboxed is True
    assert outcome.startswith("PermissionError"), outcome
    assert len(hits) == before


OFFERS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]
CONNEG = [
    (None, OFFERS[0]),                                        # no header: server default
    ("*/*", OFFERS[0]),                                       # anything: server default
    ("text/csv", "text/csv"),                                 # exact
    ("text/*", "text/csv"),                                   # subtype wildcard
    ("application/sparql-results+xml;q=0.5, application/sparql-results+json", OFFERS[0]),
    ("application/sparql-results+json;q=0.2, application/sparql-results+xml", OFFERS[1]),
    ("text/csv;q=0, */*;q=0.1", OFFERS[0]),                   # q=0 excludes
    ("image/png", None),                                      # nothing acceptable
    ("TEXT/CSV", "text/csv"),                                 # case-insensitive
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", OFFERS[0]),
]


@pytest.mark.parametrize(("accept", "expected"), CONNEG)
def test_negotiate(accept: str | None, expected: str | None) -> None:
    assert negotiate(accept, OFFERS) == expected
