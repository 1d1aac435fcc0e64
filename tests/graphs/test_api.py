"""The analysis and graph routes (api/routers/analysis.py, api/routers/graph.py) in process."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.analysis.vocab import STATE_IRIS
from kg.settings import Settings
from kg.store import StoreDirectory
from queries.catalogue import load_catalogue

from .conftest import RES


@pytest.fixture(scope="module")
def client(graph_settings: Settings) -> TestClient:
    # no `with`: the SPARQL worker pool (lifespan) is not needed by these routes
    return TestClient(create_app(graph_settings))


def test_resolution_status(client: TestClient) -> None:
    res = client.get("/resolutions/2025/33/status", params={"on": "2026-07-01"})
    assert res.status_code == 200
    data = res.json()
    assert (data["id"], data["state"], data["title"]) == (
        "2025/33", "partially_repealed", "Portfoliosteuerung des IT-Planungsrats")
    assert [p["state"] for p in data["points"]][:2] == ["in_force", "repealed"]
    assert data["reasons"][0]["by_id"] == "2026/01"
    al = client.get("/resolutions/2025/02-AL/status").json()
    assert al["iri"].endswith("/itplr-al/beschluss/2025/02")


def test_unknown_resolution_is_a_json_404(client: TestClient) -> None:
    res = client.get("/resolutions/2099/01/status")
    assert res.status_code == 404
    assert res.json()["error"]["code"] == "not_found"
    bad = client.get("/resolutions/2025/33/status", params={"on": "gestern"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_parameter"


def test_analysis_routes(client: TestClient) -> None:
    chains = client.get("/analysis/chains", params={"kind": "replacement"}).json()
    # register references.csv l. 6 "2023/22,replaces,2022/06" is a replacement (issue 12 item 1)
    assert [c["members"][0]["id"] for c in chains["items"]] == ["2025/02", "2022/06", "2025/31"]
    impact = client.get("/analysis/impact/2025/33").json()
    assert [d["id"] for d in impact["dependents"]] == ["2026/11", "2026/13"]
    stale = client.get("/analysis/stale-references", params={"on": "2026-07-01"}).json()
    assert stale["items"][0]["citing"] == "2026/13" and stale["items"][0]["after_end"] is True
    assert client.get("/analysis/cycles").json() == {"items": []}
    cited = client.get("/analysis/most-cited", params={"limit": 2}).json()["items"]
    assert {c["id"] for c in cited} == {"2022/43", "2025/33"}
    unloaded = {u["id"] for u in client.get("/analysis/unloaded").json()["items"]}
    assert "2022/43" in unloaded and "2025/33" not in unloaded
    repealed = client.get("/analysis/status", params={"on": "2026-07-01",
                                                      "state": "replaced"}).json()
    # 2022/06 by the register's 2023/22 (references.csv l. 6), 2025/31 by 2026/03 and 2026/01
    # by 2026/10 (the test protocols of sessions 49 and 50)
    assert {i["id"] for i in repealed["items"]} == {"2022/06", "2025/31", "2026/01"}
    overdue = client.get("/analysis/mandates", params={"on": "2026-07-01",
                                                       "state": "overdue"}).json()
    assert overdue["total"] > 0 and {m["state"] for m in overdue["items"]} == {"overdue"}


def test_graph_page_and_assets(client: TestClient) -> None:
    page = client.get("/graph/resolution/2022/43", params={"on": "2026-07-01"})
    assert page.status_code == 200
    html = page.text
    assert '<script src="/graph/static/vis-network.min.js"></script>' in html
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"(https?:)?//", html)
    assert '"url": "/id/eli/itplr/beschluss/2025/39"' in html
    js = client.get("/graph/static/vis-network.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert client.get("/graph/static/../../kg/settings.py").status_code == 404
    assert client.get("/graph/static/secret.txt").status_code == 404


def test_graph_views(client: TestClient) -> None:
    assert client.get("/graph/session/48").status_code == 200
    assert client.get("/graph/session/999").status_code == 404
    svg = client.get("/graph/chain/2026/10", params={"format": "svg"})
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.text.startswith("<svg")
    assert client.get("/graph/timeline", params={"embed": True}).status_code == 200
    assert client.get("/graph/all", params={"points": "none"}).status_code == 200
    assert RES  # the IRIs above are minted from this base


@pytest.mark.parametrize("on", ["2025-11-25", "2026-04-01", "2026-07-01", "2027-07-01"])
def test_rest_status_equals_the_named_query_on_events(client: TestClient,
                                                      graph_settings: Settings,
                                                      on: str) -> None:
    """Issue 12, item 2: /analysis/status?on=D and the SPARQL query over bg:StatusEvent
    (in-force-on-date, all=true) give every resolution the same state on D."""
    rest = {i["iri"]: i["state"] for i in client.get("/analysis/status",
                                                     params={"on": on}).json()["items"]}
    query = load_catalogue().get("in-force-on-date")
    store = StoreDirectory(graph_settings.store).open_read_only()
    names = {iri.value: name for name, iri in STATE_IRIS.items()}
    sparql = {row["resolution"].value: names[row["state"].value] for row in store.select(
        query.bound_text(query.bind({"date": on, "all": "true"})))}
    assert rest == sparql
    # itplr-50: 2026/11 "bis maximal zum 30.06.2027" -> expired on 01.07.2027
    if on == "2027-07-01":
        assert rest[RES + "2026/11"] == "expired"


def test_chains_route_names_groups_and_successions(client: TestClient) -> None:
    # register: 2024/01 and 2025/01 amend 2022/43, 2025/01 amends 2024/19; seed l. 1088-1092:
    # B-2025/39-IT "hebt damit den Beschluss 2022/43 auf" -- the only succession
    items = client.get("/analysis/chains").json()["items"]
    [group] = [c for c in items if c["members"][0]["id"] == "2022/43"]
    assert group["label"] == "Connected resolutions 2022/43, 2024/01, 2024/19, 2025/01, 2025/39"
    assert group["successions"] == [["2022/43", "2025/39"]]
    assert [lk["succession"] for lk in group["links"]] == [False, False, False, True]
    page = client.get("/graph/chain/2022/43")
    assert page.status_code == 200
    assert "2022/43 → 2024/01" not in page.text
    assert "Verbundene Beschlüsse 2022/43, 2024/01, 2024/19, 2025/01, 2025/39" in page.text


def test_most_cited_route_counts_citing_resolutions(client: TestClient) -> None:
    # register references.csv line 11: "2024/02,extends,2022/42" is the one resolution citing
    # 2022/42 (the five Quelle mentions of the seed are agenda items, not counted)
    cited = client.get("/analysis/most-cited", params={"limit": 1000}).json()["items"]
    assert [(c["count"], c["citing"]) for c in cited if c["id"] == "2022/42"] == [
        (1, ["2024/02"])]


def test_rest_list_status_is_todays_state_from_the_events(client: TestClient,
                                                          graph_settings: Settings) -> None:
    """The REST list (/resolutions) shows today's state by the events expression of
    in-force-on-date: equal to /analysis/status for every listed resolution."""
    today = {i["iri"]: i["state"] for i in client.get(
        "/analysis/status", params={"on": dt.date.today().isoformat()}).json()["items"]}
    listed: dict[str, str] = {}
    offset = 0
    while True:
        page = client.get("/resolutions", params={"limit": 200, "offset": offset}).json()
        items = page["items"] if isinstance(page, dict) else page
        listed.update({i["iri"]: i["status"] for i in items})
        if len(items) < 200:
            break
        offset += 200
    assert len(listed) >= 100
    assert {iri: today[iri] for iri in listed} == listed
    # itplr-50 (24.06.2026): 2026/10 replaces 2026/01
    replaced = client.get("/resolutions", params={"status": "replaced", "limit": 200}).json()
    ids = {i["id"] for i in (replaced["items"] if isinstance(replaced, dict) else replaced)}
    assert ("2026/01" in ids) == (dt.date.today() >= dt.date(2026, 6, 24))


def test_graph_index_names_each_view_with_an_example(client: TestClient) -> None:
    page = client.get("/graph", headers={"accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    links = re.findall(r'href="(/graph/[^"]*)"', page.text)
    # 2022/43 is cited by the most resolutions; 2026/13 the newest of the longest chain
    # (2025/02, 2025/33, 2026/01, 2026/10, 2026/11, 2026/13: amendments, a continuation, a
    # repeal, replacements); session 50 the newest (the test protocol of 24 June 2026)
    assert links == ["/graph/timeline", "/graph/all", "/graph/resolution/2022/43",
                     "/graph/chain/2026/13", "/graph/session/50"]
    assert client.get("/graph/").status_code == 200


@pytest.mark.parametrize(("query", "status", "location"), [
    # each view the form offers, to its page
    ({"view": "resolution", "id": "2025/33"}, 303, "/graph/resolution/2025/33"),
    ({"view": "chain", "id": " 2026/10 "}, 303, "/graph/chain/2026/10"),  # spaces trimmed
    ({"view": "session", "id": "48"}, 303, "/graph/session/48"),
    ({"view": "chain", "id": "2025/02-AL"}, 303, "/graph/chain/2025/02-AL"),  # AL-Runde
    # what is not an id: a clear 400, no redirect
    ({"view": "session", "id": "2025/33"}, 400, None),
    ({"view": "resolution", "id": "48"}, 400, None),
    ({"view": "resolution", "id": "../../etc"}, 400, None),
    ({"view": "everything", "id": "48"}, 400, None),
])
def test_the_graph_form_leads_to_the_view(client: TestClient, query: dict[str, str],
                                          status: int, location: str | None) -> None:
    response = client.get("/graph/open", params=query, follow_redirects=False)
    assert response.status_code == status
    assert response.headers.get("location") == location
    if status == 400:
        assert response.json()["error"]["code"] == "invalid_parameter"
