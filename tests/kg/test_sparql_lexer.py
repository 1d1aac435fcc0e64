"""The words of a query that are its own (kg/sparql_lexer.py): what kg/remote.py reads to
decide a Virtuoso query's dataset, and kg/sparql_inline.py to place a parameter."""

from __future__ import annotations

import pytest

from kg.sparql_lexer import keywords


@pytest.mark.parametrize(("query", "has_from", "has_graph"), [
    # a named query's header: "from" and "graph" in its comments are no keywords
    ("#+ description: resolutions from a session, per graph\nSELECT ?s { ?s ?p ?o }",
     False, False),
    # … nor in a string or an IRI
    ('SELECT ?s { ?s <urn:from:graph> "from the graph" }', False, False),
    # a variable named like a keyword is a variable
    ("SELECT ?from ?graph { ?from ?p ?graph }", False, False),
    # a prefixed name is a name
    ("SELECT ?s { ?s bg:from bg:graph }", False, False),
    # the query's own FROM and GRAPH, in any case
    ("SELECT ?s from <urn:g> { Graph ?g { ?s ?p ?o } }", True, True),
])
def test_own_words(query: str, has_from: bool, has_graph: bool) -> None:
    found = keywords(query)
    assert ("FROM" in found, "GRAPH" in found) == (has_from, has_graph)
    assert "SELECT" in found
