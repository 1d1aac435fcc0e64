"""The parse-based refusal of SERVICE / LOAD / updates, and content negotiation (tables)."""

from __future__ import annotations

import pytest

from api.conneg import negotiate
from api.sparql_safety import check_query

CHECKS = [
    # plain queries pass, without a dataset clause
    ("ASK {}", None, False),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT 1", None, False),
    # the word only inside a literal or a variable name is harmless
    ('SELECT * WHERE { ?s ?p "SERVICE <http://x/>" }', None, False),
    ("SELECT ?service ?load WHERE { ?service ?load ?o }", None, False),
    # SERVICE anywhere in the tree: top level, OPTIONAL, sub-select, SILENT, variable IRI
    ("SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "service_not_allowed",
     False),
    ("SELECT * { ?a ?b ?c OPTIONAL { SERVICE SILENT <http://x/> { ?s ?p ?o } } }",
     "service_not_allowed", False),
    ("SELECT * { { SELECT * { SERVICE ?endpoint { ?s ?p ?o } } } }", "service_not_allowed",
     False),
    ("ASK { sErViCe <http://x/> { } }", "service_not_allowed", False),
    # \u escapes are expanded before parsing (SPARQL §19.2): SERV\u0049CE is SERVICE
    ("SELECT * { SERV\\u0049CE <http://x/> { ?s ?p ?o } }", "service_not_allowed", False),
    # a SERVICE query rdflib cannot parse is refused (fail closed)
    ("SELECT * { SERVICE <http://x/> { ?s ?p ", "malformed_query", False),
    # updates, LOAD named as such
    ("LOAD <http://127.0.0.1:9/data.ttl>", "update_not_allowed", False),
    ("LOAD SILENT <http://x/> INTO GRAPH <urn:g>", "update_not_allowed", False),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> } ; LOAD <http://x/>", "update_not_allowed", False),
    # dataset clauses are detected so that FROM is honoured
    ("SELECT * FROM <urn:g> WHERE { ?s ?p ?o }", None, True),
    ("SELECT * FROM NAMED <urn:g> WHERE { GRAPH ?g { ?s ?p ?o } }", None, True),
    ('SELECT * WHERE { ?s ?p "from" }', None, False),
]


@pytest.mark.parametrize(("query", "refused", "dataset"), CHECKS)
def test_check_query(query: str, refused: str | None, dataset: bool) -> None:
    check = check_query(query)
    assert check.refused == refused
    assert check.has_dataset_clause is dataset
    if refused:
        assert check.message


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
