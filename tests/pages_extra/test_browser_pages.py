"""Headless Chromium on a live server (issue 14, items 5 and 8): the query page folds the
PREFIX block, shows labels beside result IRIs and switches a result to a graph or a timeline;
`/sparql?query=…` opens the editor with the query; screenshots of the main pages go to
tests/artifacts/screenshots/ (kept by CI, gitignored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.api.conftest import ARTIFACTS, LiveServer, live_server, watch_csp

pytestmark = pytest.mark.slow

SCREENSHOTS = ARTIFACTS / "screenshots"


@pytest.fixture(scope="module")
def server(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(sample_store, tmp_path_factory.mktemp("pages-extra")) as live:
        yield live


def _page(browser, server: LiveServer, foreign: list[str]):  # noqa: ANN001, ANN202
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:", "blob:"))
            else foreign.append(r.url))
    page.csp = watch_csp(page)
    page.errors = []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def select(server: LiveServer, query: str) -> list[dict]:
    r = httpx.post(server.sparql, data={"query": query},
                   headers={"accept": "application/sparql-results+json"}, timeout=60)
    r.raise_for_status()
    return r.json()["results"]["bindings"]


def editor_text(page) -> str:  # noqa: ANN001
    """What the editor shows (folded lines are not rendered)."""
    return page.locator(".yasqe .CodeMirror-code").inner_text()


def run_example(page, title: str) -> None:  # noqa: ANN001
    page.locator("button.example", has_text=title).click()
    page.wait_for_selector(".yasr table tbody tr td")
    page.wait_for_selector("#yasgui[data-labels=ready]", state="attached")


def test_query_page_folds_prefixes_labels_iris_and_draws_views(browser, server: LiveServer  # noqa: ANN001
                                                               ) -> None:
    foreign: list[str] = []
    page = _page(browser, server, foreign)
    page.goto(server.url + "/")
    page.wait_for_selector(".yasqe_queryButton")
    # the PREFIX block is one folded line; the query itself is in view
    shown = editor_text(page)
    assert "PREFIX eli:" not in shown and "PREFIX bg:" not in shown
    assert "SELECT DISTINCT ?beschluss ?id ?titel WHERE {" in shown

    # labels beside IRIs: B-2025/33-IT partly repeals 2025/02 (Ziffer 3), and says so
    run_example(page, "Aufhebungen und Änderungen")
    table = page.locator(".yasr table tbody").inner_text()
    assert "2025/33: Portfoliosteuerung des IT-Planungsrats" in table
    assert page.locator(".yasr table .kg-label").count() > 0

    # graph view: one node per distinct resolution IRI of ?beschluss and ?ziel
    rows = select(server, page.evaluate("() => window.yasgui.getTab().getQuery()"))
    things = {r[v]["value"] for r in rows for v in ("beschluss", "ziel") if v in r}
    page.click(".yasr .select_kgGraph")
    graph = page.locator(".kg-graph-view[data-ready=true]")
    graph.wait_for(timeout=60_000)
    assert int(graph.get_attribute("data-nodes") or 0) == len(things)
    # its count in the page's words, filled in by the script (api/i18n.py "js.graph_summary")
    assert f"{len(things)} Knoten, " in graph.inner_text()
    assert "Doppelklick öffnet die Seite eines Knotens" in graph.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "query-graph-view.png"), full_page=True)

    # timeline view: the mandates with deadlines, one entry per resolution and date
    run_example(page, "Aufträge mit Fristen")
    rows = select(server, page.evaluate("() => window.yasgui.getTab().getQuery()"))
    dated = {(r["beschluss"]["value"], r["frist"]["value"]) for r in rows}
    page.click(".yasr .select_kgTimeline")
    timeline = page.locator(".kg-timeline-view[data-ready=true]")
    timeline.wait_for(timeout=30_000)
    assert int(timeline.get_attribute("data-items") or 0) == len(dated)
    assert f"{len(dated)} Einträge nach frist" in timeline.inner_text()
    # B-2025/33-IT's FITKO mandate (15.12.2025) is on it, linked to its page
    item = page.locator(".kg-timeline a.kg-item", has_text="2025/33").first
    assert item.get_attribute("href") == "/id/eli/itplr/beschluss/2025/33"
    page.screenshot(path=str(SCREENSHOTS / "query-timeline-view.png"), full_page=True)
    assert foreign == [] and page.csp == [] and page.errors == []


def test_sparql_url_opened_in_a_browser_shows_the_editor(browser, server: LiveServer  # noqa: ANN001
                                                         ) -> None:
    foreign: list[str] = []
    page = _page(browser, server, foreign)
    query = ('PREFIX eli: <http://data.europa.eu/eli/ontology#>\n'
             'SELECT ?r WHERE { ?r eli:id_local "2025/39" }')
    response = page.goto(server.url + "/sparql?query=" + quote(query))
    assert response is not None and response.headers["content-type"].startswith("text/html")
    page.wait_for_selector(".yasqe_queryButton")
    assert 'SELECT ?r WHERE { ?r eli:id_local "2025/39" }' in editor_text(page)
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr td")
    assert "2025/39" in page.locator(".yasr table tbody").inner_text()
    assert foreign == [] and page.csp == [] and page.errors == []


@pytest.mark.parametrize(("name", "path", "ready"), [
    ("start", "/", ".yasqe_queryButton"),                                  # the query page
    ("resolution-2025-33", "/id/eli/itplr/beschluss/2025/33", "ol.points"),
    ("resolution-2025-39", "/id/eli/itplr/beschluss/2025/39", "#sprecher"),  # appointments
    ("session-48", "/id/sitzung/itplr/48", "h1"),
    ("land-HB", "/id/land/HB", "#sprecher"),
    ("body-fmk", "/id/gremium/fmk", "#erwaehnungen"),
    ("docs", "/docs", ".swagger-ui .opblock"),                            # the API, offline
])
def test_screenshots_of_the_main_pages(browser, server: LiveServer, name: str, path: str,  # noqa: ANN001
                                       ready: str) -> None:
    foreign: list[str] = []
    page = _page(browser, server, foreign)
    page.goto(server.url + path)
    page.wait_for_selector(ready, timeout=60_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000  # a drawn page, not a blank one
    assert foreign == [] and page.csp == [] and page.errors == []


def test_screenshot_of_the_query_page_with_results(browser, server: LiveServer) -> None:  # noqa: ANN001
    foreign: list[str] = []
    page = _page(browser, server, foreign)
    page.goto(server.url + "/")
    page.wait_for_selector(".yasqe_queryButton")
    run_example(page, "Beschlüsse einer Sitzung")
    # the 48th session's resolutions, B-2025/31-IT to B-2025/52-IT
    assert page.locator(".yasr table tbody tr").count() == 22
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "query-results.png"), full_page=True)
    assert foreign == [] and page.csp == [] and page.errors == []


@pytest.mark.parametrize(("lang", "hint", "link"), [
    # the parameter a named query leaves unbound, in the page's words (api/i18n.py "js.*")
    ("de", "Parameter ?_session (Standard: 48) ist im Editor ungebunden", "mit Formular ausführen"),
    ("en", "Parameter ?_session (default: 48) is unbound in the editor", "run it with its form"),
])
def test_a_named_query_s_unbound_parameter_is_named(browser, server: LiveServer,  # noqa: ANN001
                                                    lang: str, hint: str, link: str) -> None:
    foreign: list[str] = []
    page = _page(browser, server, foreign)
    page.goto(f"{server.url}/?lang={lang}")
    page.wait_for_selector(".yasqe_queryButton")
    page.select_option("#named-query", "resolutions-of-session")
    shown = page.locator("#named-query-hint")
    shown.wait_for(state="visible")
    assert shown.inner_text().startswith(hint)
    assert shown.locator("a").inner_text() == link
    assert shown.locator("a").get_attribute("href") == "/queries/resolutions-of-session"
    assert foreign == [] and page.csp == [] and page.errors == []
