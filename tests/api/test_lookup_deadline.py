"""The pages' and REST's own queries have a deadline of their own (`lookup_timeout_s`, 30 s)
beside the one of the SPARQL a client writes or chooses (`query_timeout_s`, 10 s): a list
of the whole record must not fail where it is merely slow, and a client's query stays
bounded as before. Each deadline is set here so short that every query runs past it."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import app_client

# every resolution with every other: no answer within a millisecond
CARTESIAN = ("SELECT (COUNT(*) AS ?n) WHERE { ?a a ?t . ?b a ?u . "
             "?c a <https://w3id.org/beschlussgraph/ontology#Resolution> }")


def test_a_client_s_query_stops_at_its_deadline_while_the_lists_are_served(
        sample_store: Path) -> None:
    with app_client(sample_store, query_workers=1, query_timeout_s=0.001) as client:
        stopped = client.get("/sparql", params={"query": CARTESIAN})
        assert stopped.status_code == 503
        assert stopped.json()["error"]["code"] == "query_timeout"
        assert stopped.json()["error"]["detail"] == {"timeout_s": 0.001}
        listed = client.get("/resolutions", params={"limit": 1})
        # the bundled data's 133 resolutions, the newest first
        assert listed.status_code == 200, listed.text
        assert (listed.json()["total"], listed.json()["items"][0]["id"]) == (133, "2025/52")


def test_a_list_stops_at_the_lookup_deadline(sample_store: Path) -> None:
    with app_client(sample_store, query_workers=1, lookup_timeout_s=0.001) as client:
        listed = client.get("/resolutions")
        assert listed.status_code == 503
        assert listed.json()["error"]["code"] == "query_timeout"
        assert listed.json()["error"]["detail"] == {"timeout_s": 0.001}
        asked = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert asked.status_code == 200 and asked.json()["boolean"] is True
