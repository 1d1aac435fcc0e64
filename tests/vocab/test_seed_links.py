"""Cross-vocabulary questions on the seed protocol, loaded through the whole pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import BASE, PREFIXES

PROTOCOL_GRAPH = BASE + "graph/itplr-48-2025-11-26-protokoll"


def select(store, query: str) -> list[dict]:
    return store.select(query, prefixes=PREFIXES)


def test_post_load_graphs_present(seed_store):
    graphs = set(seed_store.named_graphs())
    assert {BASE + "graph/links", BASE + "graph/katalog", "urn:vocab:eli", "urn:vocab:org",
            "urn:vocab:eurovoc", "urn:vocab:meta"} <= graphs
    assert seed_store.count_quads("urn:vocab:eli") == 1541
    assert seed_store.count_quads("urn:vocab:org") == 748


def test_semantic_layer_resolutions_with_mandated_bodies_and_deadlines(seed_store):
    rows = select(seed_store, """
        SELECT DISTINCT ?id ?body ?deadline WHERE {
            ?r bg:addressesEifLayer eif:eif-layer-semantic ; eli:id_local ?id .
            ?m bg:issuedBy ?r ; bg:assignee ?body ; bg:deadline ?deadline .
        } ORDER BY ?id ?body""")
    got = {(r["id"], str(r["body"]).removeprefix(BASE), r["deadline"]) for r in rows}
    assert got == {
        ("2025/34", "gremium/fit-sb", "2026-09-30"),                    # "bis Q3/2026"
        ("2025/34", "gremium/fitko", "2026-09-30"),
        ("2025/34", "gremium/schwerpunkt-datennutzung", "2026-09-30"),
    }


def test_semantic_layer_point_by_point_with_assignees(seed_store):
    rows = select(seed_store, f"""
        SELECT ?n ?body WHERE {{
            ?p bg:addressesEifLayer eif:eif-layer-semantic ; eli:number ?n ;
               eli:is_part_of <{BASE}eli/itplr/beschluss/2025/34> .
            ?m bg:sourcePoint ?p ; bg:assignee ?body }} ORDER BY ?n ?body""")
    assert [(r["n"], str(r["body"]).rsplit("/", 1)[1]) for r in rows] == [
        ("1", "fit-sb"), ("3", "fit-sb"), ("3", "schwerpunkt-datennutzung"),
        ("4", "schwerpunkt-datennutzung")]


@pytest.mark.parametrize(("point", "layers"), [
    ("1", {"eif-layer-semantic"}),
    ("2", {"eif-layer-interoperability-governance"}),
    ("3", {"eif-layer-semantic"}),
    ("4", {"eif-layer-semantic"}),
    ("5", {"eif-layer-legal", "eif-layer-organisational"}),
])
def test_b_2025_34_layers_point_by_point(seed_store, point, layers):
    rows = select(seed_store, f"SELECT ?l WHERE {{ <{BASE}eli/itplr/beschluss/2025/34/ziffer/"
                              f"{point}> bg:addressesEifLayer ?l }}")
    assert {str(r["l"]).rsplit("/", 1)[1] for r in rows} == layers


def test_land_by_nuts_code(seed_store):
    rows = select(seed_store, 'SELECT ?land ?label WHERE { ?land bg:nutsCode "DE2" ; '
                              'skos:prefLabel ?label FILTER(lang(?label) = "de") }')
    assert rows == [{"land": rows[0]["land"], "label": "Bayern"}]
    assert str(rows[0]["land"]) == BASE + "land/BY"


def test_every_land_has_one_nuts_code(seed_store):
    rows = select(seed_store, "SELECT ?l (COUNT(?n) AS ?k) WHERE { { ?l a bg:Land } UNION "
                              "{ ?l a bg:Federation } OPTIONAL { ?l bg:nutsCode ?n } } GROUP BY ?l")
    assert len(rows) == 17
    assert {r["k"] for r in rows} == {1}


def test_b_2025_42_cites_the_interoperable_europe_act_with_celex(seed_store):
    assert seed_store.ask(f"""ASK {{
        <{BASE}eli/itplr/beschluss/2025/42> eli:cites ?act ;
            bg:interoperabilityAssessmentRelevant true .
        ?act bg:celex "32024R0903" .
        FILTER(?act = <http://data.europa.eu/eli/reg/2024/903/oj>) }}""", prefixes=PREFIXES)
    assert seed_store.ask(f"ASK {{ <{BASE}eli/itplr/beschluss/2025/42> eli:cites "
                          "<http://data.europa.eu/eli/reg/2024/903/art_3/oj> }",
                          prefixes=PREFIXES)


def test_only_b_2025_42_is_assessment_relevant(seed_store):
    rows = select(seed_store, "SELECT ?id WHERE { ?r bg:interoperabilityAssessmentRelevant "
                              "true ; eli:id_local ?id }")
    assert [r["id"] for r in rows] == ["2025/42"]


def test_every_cited_eu_act_has_a_celex_number(seed_store):
    rows = select(seed_store, """SELECT ?act ?celex WHERE { ?r eli:cites ?act .
        FILTER(STRSTARTS(STR(?act), "http://data.europa.eu/eli/"))
        OPTIONAL { ?act bg:celex ?c1 } OPTIONAL { ?act eli:is_part_of/bg:celex ?c2 }
        BIND(COALESCE(?c1, ?c2) AS ?celex) }""")
    assert rows and all(r["celex"] for r in rows)
    assert {r["celex"] for r in rows} >= {"32024R0903", "32018R1724", "32024R1689"}


def test_every_seed_resolution_has_a_subject(seed_store):
    rows = select(seed_store, f"""SELECT ?id (COUNT(?c) AS ?n) WHERE {{
        GRAPH <{PROTOCOL_GRAPH}> {{ ?r a bg:Resolution ; bg:text ?t ; eli:id_local ?id }}
        OPTIONAL {{ ?r eli:is_about ?c }} }} GROUP BY ?id ORDER BY ?id""")
    assert len(rows) == 22  # B-2025/31-IT … B-2025/52-IT
    assert [r["id"] for r in rows if r["n"] == 0] == []


@pytest.mark.parametrize(("resolution", "concept", "label_de"), [
    ("2025/32", "c_04ae3ba8", "Informationssicherheit"),
    ("2025/35", "c_5b447e3a", "Krisenmanagement"),            # Großschadenslagen
    ("2025/37", "3030", "künstliche Intelligenz"),            # MaKI
    ("2025/43", "668", "Bildung"),                            # XBildung
    ("2025/45", "c_6f7bbe63", "digitaler Binnenmarkt"),       # Single Digital Gateway
    ("2025/48", "435299", "Open-Source-Software"),
])
def test_subjects_of_seed_resolutions(seed_store, resolution, concept, label_de):
    assert seed_store.ask(f"""ASK {{ ?r eli:id_local "{resolution}" ;
        eli:is_about <http://eurovoc.europa.eu/{concept}> .
        <http://eurovoc.europa.eu/{concept}> skos:prefLabel "{label_de}"@de }}""",
                          prefixes=PREFIXES)


def test_mandated_bodies_and_their_parent(seed_store):
    """Who must deliver for the council, seen through ORG: mandates to sub-organisations."""
    rows = select(seed_store, """SELECT DISTINCT ?body WHERE {
        ?m a bg:Mandate ; bg:assignee ?body .
        ?body org:subOrganizationOf id:gremium\\/it-planungsrat } ORDER BY ?body""")
    bodies = {str(r["body"]).rsplit("/", 1)[1] for r in rows}
    assert {"fitko", "fit-sb", "ag-infosic"} <= bodies


def test_catalogue_modified_is_the_latest_load(seed_store):
    rows = select(seed_store, f"""SELECT ?modified ?loaded WHERE {{
        GRAPH <{BASE}graph/katalog> {{ ?d a dcat:Dataset ; dct:modified ?modified ;
            dcat:distribution ?dist }}
        <{PROTOCOL_GRAPH}> bg:loadedAt ?loaded }}""")
    assert rows
    modified = dt.datetime.fromisoformat(rows[0]["modified"])
    loaded = dt.datetime.fromisoformat(rows[0]["loaded"])
    assert modified >= loaded
