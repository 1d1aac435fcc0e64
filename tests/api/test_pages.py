"""Resource pages, content negotiation, the query page, mounting and store reloads."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from api.app import create_app
from kg.settings import Settings
from kg.store import StoreDirectory
from tests.api.conftest import BASE, R33, W3C_FIXTURE, app_client

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
PAGE_33 = "/id/eli/itplr/beschluss/2025/33"
TITLE = URIRef("http://data.europa.eu/eli/ontology#title")


def test_resolution_page_shows_points_references_mandates_and_source(client: TestClient
                                                                     ) -> None:
    r = client.get(PAGE_33, headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<h1>Portfoliosteuerung des IT-Planungsrats</h1>" in page
    assert len(re.findall(r'<li class="point[^"]*" id="ziffer-\d+"', page)) == 5
    # the partial repeal of 2025/02 Ziffer 3 (bg:repealsPartOf), stated once
    assert page.count('class="ref rel-repeals_part_of"') == 1
    assert "hebt teilweise auf" in page and "/id/eli/itplr/beschluss/2025/02" in page
    assert "15.12.2025" in page  # the FITKO mandate's deadline
    assert 'href="/id/sitzung/itplr/48"' in page and 'href="/id/sitzung/itplr/48/top/09"' in page
    assert "BV Beschluss B-2025/33-IT" in page  # the source excerpt, line 391
    assert 'id="dependency-graph"' in page
    # the embedded dependency graph (kg/graphs via /graph/…), two hops around 2025/33
    assert 'src="/graph/resolution/2025/33?embed=true&amp;hops=2"' in page
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert ld is not None
    legislation = json.loads(ld.group(1))
    assert legislation["@type"] == "Legislation"
    assert legislation["legislationIdentifier"] == "B-2025/33-IT"
    assert legislation["legislationDate"] == "2025-11-26"
    assert len(legislation["hasPart"]) == 5
    assert BASE + "eli/itplr/beschluss/2025/02" in legislation["legislationChanges"]


def test_resolution_as_turtle_and_jsonld(client: TestClient) -> None:
    turtle = client.get(PAGE_33, headers={"accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert [str(t) for t in graph.objects(URIRef(R33), TITLE)] == [
        "Portfoliosteuerung des IT-Planungsrats"]
    # incoming statements too: the points are part of it
    assert (URIRef(R33 + "/ziffer/1"), URIRef("http://data.europa.eu/eli/ontology#is_part_of"),
            URIRef(R33)) in graph
    jsonld = client.get(PAGE_33, headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)
    assert client.get(PAGE_33 + "?format=ntriples").headers["content-type"].startswith(
        "application/n-triples")
    # no Accept at all: a machine, so Turtle
    assert client.get(PAGE_33, headers={"accept": ""}).headers["content-type"].startswith(
        "text/turtle")


def test_other_pages_render(client: TestClient) -> None:
    session = client.get("/id/sitzung/itplr/48", headers=HTML).text
    assert "Hansestadt Stralsund" in session and "B-2025/52-IT" in session
    item = client.get("/id/sitzung/itplr/48/top/09", headers=HTML).text
    assert "Portfoliosteuerung des IT-Planungsrats" in item
    land = client.get("/id/land/BY", headers=HTML).text
    assert "<h1>Bayern</h1>" in land
    body = client.get("/id/gremium/fitko", headers=HTML).text
    assert "FITKO (Föderale IT-Kooperation)" in body and "2025/33" in body
    point = client.get("/id/eli/itplr/beschluss/2025/33/ziffer/2", headers=HTML).text
    assert "Die FITKO erstellt bis zum 15.12.2025" in point


def test_unknown_resource_is_404_in_both_worlds(client: TestClient) -> None:
    html = client.get("/id/eli/itplr/beschluss/1999/99", headers=HTML)
    assert html.status_code == 404 and "keine Aussagen" in html.text
    data = client.get("/id/eli/itplr/beschluss/1999/99", headers={"accept": "text/turtle"})
    assert data.status_code == 404 and data.json()["error"]["code"] == "not_found"


def test_query_page_serves_yasgui_locally(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["/static/vendor/yasgui/yasgui.min.js", "/static/query_views.js",
                       "/static/query.js"]
    assert "http://" not in "".join(re.findall(r'(?:src|href)="([^"]+)"', page)
                                    ).replace("http://testserver", "")
    config = json.loads(re.search(r'<script id="kg-config" type="application/json">(.*?)'
                                  r"</script>", page, re.S).group(1))  # type: ignore[union-attr]
    assert config["endpoint"] == "http://testserver/sparql"
    assert config["pagePrefix"] == "/id/"
    assert config["defaultQuery"].startswith("PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>")
    assert client.get("/static/vendor/yasgui/yasgui.min.js").status_code == 200


def test_app_mounts_under_a_prefix_with_a_local_base(sample_store: Path) -> None:
    """The demo setting: IRIs under http://127.0.0.1:8000/id/ and the app under /kg."""
    inner = create_app(Settings(store=sample_store, base_iri="http://127.0.0.1:8000/id/",
                                query_workers=1))
    outer = FastAPI()
    outer.mount("/kg", inner)
    with TestClient(outer) as c:
        # the sample store was minted with the default base: nothing under the local one
        assert c.get("/kg/id/sitzung/itplr/48", headers=HTML).status_code == 404
        page = c.get("/kg/", headers=HTML).text
        assert '"/kg/static/vendor/yasgui/yasgui.min.js"' in page
        assert c.get("/kg/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
    inner.state.pool._finalizer()  # the mounted app's lifespan never ran: stop its workers


def test_a_new_store_generation_is_read_without_restart(tmp_path: Path) -> None:
    store = tmp_path / "store"
    with StoreDirectory(store).writing() as w:
        w.bulk_load_nquads(W3C_FIXTURE.encode())
    ask = "ASK { <urn:x-test:new> ?p ?o }"
    with app_client(store, query_workers=1) as c:
        assert c.get("/sparql", params={"query": ask}).json()["boolean"] is False
        with StoreDirectory(store).writing() as w:
            w.bulk_load_nquads(b"<urn:x-test:new> <urn:x-test:p> \"1\" <urn:x-test:g> .\n")
        assert c.get("/sparql", params={"query": ask}).json()["boolean"] is True
        assert c.get("/health").json()["store"] == "gen-000002"


def test_points_known_only_by_number_say_so(client: TestClient) -> None:
    # 2022/43 is known from references only (amended in Nummer 1 and 2, repealed by 2025/39)
    page = client.get("/id/eli/itplr/beschluss/2022/43", headers={"Accept": "text/html"}).text
    assert "None" not in page
    assert page.count("Wortlaut nicht im Graphen") == 2


def test_land_page_lists_what_die_laender_are_asked(client: TestClient) -> None:
    page = client.get("/id/land/BY", headers={"Accept": "text/html"}).text
    # l. 1372-1396: B-2025/45-IT asks "die Länder" three times, by 30 June 2026
    assert page.count("30.06.2026") == 3
    assert "Aufträge (8)" in page  # 1 by name (2025/51), 6 to "die Länder", 1 to a circle BY is in


def test_every_example_query_answers_on_the_bundled_data(sample_store: Path) -> None:
    """An example that returns an empty table teaches nothing."""
    from api.routers.pages import EXAMPLES
    from kg.namespaces import PREFIXES

    store = StoreDirectory(sample_store).open_read_only()
    for title, query in EXAMPLES:
        result = store.query(query, prefixes=PREFIXES)
        assert result.rows or result.boolean or result.raw, title
    abstentions = dict(EXAMPLES)["Enthaltungen und Gegenstimmen"]
    rows = store.query(abstentions, prefixes=PREFIXES).rows
    # l. 657 and l. 725: "einstimmig, bei Enthaltung  angenommen", the name blanked
    assert [(r["id"], r["wer"]) for r in rows] == [("2025/34", "geschwärzt"),
                                                   ("2025/35", "geschwärzt")]
