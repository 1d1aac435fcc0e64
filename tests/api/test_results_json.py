"""The endpoint's fast SPARQL JSON (kg.store: written by the engine, or from its terms when a
cap cuts the result) says the same as the general serialiser over kg terms (api/results.py),
term kind by term kind, and cuts at the same caps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.results import serialise_select
from kg.store import StoreDirectory, query_capped

R33 = "https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2025/33"

CASES = [
    # the title of 2025/33 from protocol 48: a German literal with a language tag
    f"SELECT ?t WHERE {{ <{R33}> <http://data.europa.eu/eli/ontology#title> ?t }}",
    # IRIs, a typed date and an unbound optional in one row
    f"""SELECT ?type ?date ?none WHERE {{ <{R33}> a ?type .
        OPTIONAL {{ <{R33}> <http://data.europa.eu/eli/ontology#date_document> ?date }}
        OPTIONAL {{ <{R33}> <urn:x:absent> ?none }} }}""",
    # plain strings (xsd:string has no datatype member), an integer, a blank node
    'SELECT ?s ?n ?b WHERE { VALUES (?s ?n) { ("Grüne Liste" 3) } BIND(BNODE() AS ?b) }',
    # no rows at all
    "SELECT ?x WHERE { FILTER(false) }",
]


@pytest.fixture(scope="module")
def store(sample_store: Path):  # noqa: ANN201
    opened = StoreDirectory(sample_store).open_read_only()
    yield opened
    opened.close()


def _general(store, sparql: str, max_rows: int, max_bytes: int) -> dict:  # noqa: ANN001
    result = query_capped(store, sparql, max_rows=max_rows, max_bytes=max_bytes)
    out = serialise_select("json", result.variables, result.rows,
                           truncated=result.truncated, max_bytes=max_bytes)
    return json.loads(out.body)


def _blank_nodes_named_alike(doc: dict) -> dict:
    for row in doc["results"]["bindings"]:
        for term in row.values():
            if term["type"] == "bnode":
                term["value"] = "b"
    return doc


@pytest.mark.parametrize("sparql", CASES)
def test_fast_json_equals_the_general_serialiser(store, sparql: str) -> None:  # noqa: ANN001
    fast = query_capped(store, sparql, max_rows=100, max_bytes=100_000, select_json=True)
    assert fast.media_type == "application/sparql-results+json"
    doc = json.loads(fast.raw)
    assert fast.row_count == len(doc["results"]["bindings"])
    assert _blank_nodes_named_alike(doc) == _blank_nodes_named_alike(
        _general(store, sparql, 100, 100_000))


def test_the_title_row_is_the_protocols(store) -> None:  # noqa: ANN001
    fast = query_capped(store, CASES[0], max_rows=100, max_bytes=100_000, select_json=True)
    (row,) = json.loads(fast.raw)["results"]["bindings"]
    assert row["t"]["xml:lang"] == "de"
    assert row["t"]["value"] == "Portfoliosteuerung des IT-Planungsrats"


@pytest.mark.parametrize(("max_rows", "max_bytes", "rows", "why"), [
    (4, 100_000, 4, "rows"),  # ten rows, four allowed
    (100, 2_000, 3, "bytes"),  # each row ~620 bytes: three fit under 2,000
    (100, 100_000, 10, None),  # everything fits
    (10, 100_000, 10, None),  # exactly as many rows as allowed: nothing cut
    (100, 7_000, 10, None),  # all ten rows (about 6,400 bytes) fit under the byte cap
])
def test_caps(store, max_rows: int, max_bytes: int, rows: int, why: str | None) -> None:  # noqa: ANN001
    sparql = "SELECT ?s WHERE { VALUES ?s { " + " ".join(
        f'"{"x" * 600}{i}"' for i in range(10)) + " } }"
    fast = query_capped(store, sparql, max_rows=max_rows, max_bytes=max_bytes, select_json=True)
    assert len(fast.raw) <= max_bytes
    doc = json.loads(fast.raw)
    assert len(doc["results"]["bindings"]) == rows == fast.row_count
    assert fast.truncated == why
    assert doc.get("truncated", False) is (why is not None)
    assert doc == _general(store, sparql, max_rows, max_bytes)


def test_rows_for_pages_survive_the_trip_from_a_worker(store) -> None:  # noqa: ANN001
    # rows of an internal SELECT are pickled from the query worker to the front: every term
    # kind comes back equal (a language tag, a datatype, a blank node, unbound), and a term
    # named in many rows is one object, pickled once
    import pickle  # noqa: PLC0415

    sparql = f"""SELECT ?r ?t ?n ?b ?none WHERE {{
        VALUES ?n {{ 1 2 }} <{R33}> <http://data.europa.eu/eli/ontology#title> ?t .
        BIND(<{R33}> AS ?r) BIND(BNODE("x") AS ?b) OPTIONAL {{ ?r <urn:x:absent> ?none }} }}"""
    result = query_capped(store, sparql, max_rows=10, max_bytes=10**6)
    back = pickle.loads(pickle.dumps(result))
    assert back.rows == result.rows and len(back.rows) == 2
    first, second = back.rows
    assert first[0].value == R33 and first[1].lang == "de" and first[4] is None
    assert {row[2].datatype for row in back.rows} == {"http://www.w3.org/2001/XMLSchema#integer"}
    assert first[0] is second[0] and first[1] is second[1]
    assert {hash(row[0]) for row in back.rows} == {hash(result.rows[0][0])}
