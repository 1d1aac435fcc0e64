"""Parameters written into a named query's text (kg/sparql_inline.py): where each occurrence
goes, what is left alone, and that every result equals the old binding through pyoxigraph's
`substitutions=` wherever that binding reached."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.sparql_inline import InlineError, inline_parameters
from kg.store import OxigraphStore
from kg.terms import IRI, lit
from queries import load_catalogue

DATE = '"2026-01-01"^^<http://www.w3.org/2001/XMLSchema#date>'


@pytest.mark.parametrize(("query", "expected"), [
    # in a triple pattern and a FILTER: the term itself
    ("SELECT ?x ?_d WHERE { ?x <p> ?_d FILTER(?y < ?_d) }",
     f"SELECT ?x ({DATE} AS ?_d) WHERE {{ ?x <p> {DATE} FILTER(?y < {DATE}) }}"),
    # `$` is a variable too
    ("SELECT $_d WHERE { ?x <p> $_d }", f"SELECT ({DATE} AS ?_d) WHERE {{ ?x <p> {DATE} }}"),
    # a longer name that starts like the parameter is another variable
    ("SELECT ?_d ?_dx WHERE { ?_dx <p> ?_d }",
     f"SELECT ({DATE} AS ?_d) ?_dx WHERE {{ ?_dx <p> {DATE} }}"),
    # inside a projected expression: the bare term
    ("SELECT ?_d (COALESCE(?y, ?_d) AS ?z) WHERE { ?x <p> ?y }",
     f"SELECT ({DATE} AS ?_d) (COALESCE(?y, {DATE}) AS ?z) WHERE {{ ?x <p> ?y }}"),
    # GROUP BY and ORDER BY: a bracketed expression (a bare constant is not a condition)
    ("SELECT ?_d (COUNT(*) AS ?n) WHERE { ?x <p> ?y } GROUP BY ?y ?_d ORDER BY ?_d DESC(?n)",
     f"SELECT ({DATE} AS ?_d) (COUNT(*) AS ?n) WHERE {{ ?x <p> ?y }} GROUP BY ?y ({DATE}) "
     f"ORDER BY ({DATE}) DESC(?n)"),
    # a sub-SELECT does not project it: the outer SELECT may not assign what it projects
    ("SELECT ?_d WHERE { { SELECT ?x ?_d WHERE { ?x <p> ?_d } } }",
     f"SELECT ({DATE} AS ?_d) WHERE {{ {{ SELECT ?x  WHERE {{ ?x <p> {DATE} }} }} }}"),
    # MINUS: the constant reaches it (a substituted variable does not)
    ("SELECT ?_d WHERE { ?x <p> ?y MINUS { ?x <q> ?z FILTER(?z < ?_d) } }",
     f"SELECT ({DATE} AS ?_d) WHERE {{ ?x <p> ?y MINUS {{ ?x <q> ?z FILTER(?z < {DATE}) }} }}"),
    # comments, strings and IRIs keep their text
    ('SELECT ?_d WHERE { # ?_d\n ?x <urn:?_d> "?_d", \'?_d\', """?_d""" }',
     f'SELECT ({DATE} AS ?_d) WHERE {{ # ?_d\n ?x <urn:?_d> "?_d", \'?_d\', """?_d""" }}'),
])
def test_where_a_parameter_goes(query: str, expected: str) -> None:
    assert inline_parameters(query, {"_d": lit(dt.date(2026, 1, 1))}) \
        == expected


@pytest.mark.parametrize(("value", "written"), [
    # quotes and backslashes are escaped: the value stays one string
    ('say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'),
    # a line break cannot end the string
    ("a\nb } DROP ALL", '"a\\nb } DROP ALL"'),
])
def test_a_string_value_is_one_literal(value: str, written: str) -> None:
    assert inline_parameters("SELECT ?_s WHERE { ?x <p> ?_s }", {"_s": lit(value)}) \
        == f"SELECT ({written} AS ?_s) WHERE {{ ?x <p> {written} }}"


def test_an_iri_value_is_written_as_an_iri() -> None:
    out = inline_parameters("SELECT ?_b WHERE { ?x <p> ?_b }", {"_b": IRI("urn:x:fitko")})
    assert out == "SELECT (<urn:x:fitko> AS ?_b) WHERE { ?x <p> <urn:x:fitko> }"


@pytest.mark.parametrize("query", [
    "SELECT ?_d WHERE {\n BIND(1 AS ?_d) }",      # BIND assigns it
    "SELECT ?_d WHERE {\n VALUES ?_d { 1 } }",    # VALUES lists it
    "SELECT ?_d WHERE {\n VALUES (?x ?_d) { (1 2) } }",
])
def test_assigning_a_parameter_is_refused_with_its_line(query: str) -> None:
    with pytest.raises(InlineError, match=r"^line 2: the query assigns a value to its "
                                          r"parameter \?_d"):
        inline_parameters(query, {"_d": lit(1)})


# queries whose parameters pyoxigraph's substitutions reach everywhere (no MINUS, no
# sub-SELECT reading them): the written-in text gives the same rows on the bundled data
@pytest.mark.parametrize(("name", "params"), [
    ("resolutions-of-session", {"session": "48"}),
    ("land-roles", {"land": "BY"}),
    ("mentions-of-body", {"body": "FITKO"}),
    ("council-members", {}),
    ("in-force-on-date", {"date": "2025-12-31", "all": "true"}),
])
def test_same_rows_as_substitutions(bundled_store: OxigraphStore, name: str,
                                    params: dict[str, str]) -> None:
    q = load_catalogue().get(name)
    bound = q.bind(params)
    written = bundled_store.select(q.bound_text(bound))
    substituted = bundled_store.select(q.text, substitutions=bound)
    assert written and written == substituted


def test_a_parameter_reaches_a_sub_select(bundled_store: OxigraphStore) -> None:
    """resolutions-involving looks the body up in a sub-SELECT: a substituted value never
    reaches it (no rows), the written-in one does (FITKO: 21 resolutions on the bundled
    data, as /bodies/fitko lists them: among them 2025/03 of data/record, which mandates
    FITKO twice, and six of the register whose titles name it, such as 2021/32 "Wirtschaftsplan
    FITKO 2022")."""
    q = load_catalogue().get("resolutions-involving")
    bound = q.bind({"body": "FITKO"})
    assert bundled_store.select(q.text, substitutions=bound) == []
    rows = bundled_store.select(q.bound_text(bound))
    assert len({str(r["resolution"]) for r in rows}) == 21
