"""Headless Chromium (Debian's /usr/bin/chromium, driven by playwright) against a live server:
the query page runs a query and shows rows; a resolution page shows points and references;
the graph views draw. Every page must satisfy the Content-Security-Policy it is served with:
a violation (event or console message, in any frame) fails the test.
Screenshots go to tests/artifacts/ (gitignored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.routers.analysis import projection
from kg.graphs.views import neighbourhood, timeline_view
from kg.settings import Settings
from tests.api.conftest import ARTIFACTS, R33, LiveServer, live_server, watch_csp

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(sample_store, tmp_path_factory.mktemp("browser")) as live:
        yield live


def _page(browser, server: LiveServer, foreign: list[str]):  # noqa: ANN001, ANN202
    """A page that records foreign requests in `foreign` and CSP violations in `page.csp`."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # everything the page loads must come from this server (no CDN, no LOV, no prefix.cc)
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:"))
            else foreign.append(r.url))
    page.csp = watch_csp(page)
    return page


def test_query_page_runs_a_query_and_shows_linked_rows(browser, server: LiveServer) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    foreign: list[str] = []
    page = _page(browser, server, foreign)
    page.goto(server.url + "/")
    page.wait_for_selector(".yasqe_queryButton")
    page.evaluate("""() => { window.yasgui.getTab().setQuery(
        'PREFIX eli: <http://data.europa.eu/eli/ontology#>\\n' +
        'SELECT DISTINCT ?r ?title WHERE { ?r eli:id_local "2025/33" ; eli:title ?title }'); }""")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr td")
    rows = page.locator(".yasr table tbody tr")
    assert rows.count() == 1
    assert "Portfoliosteuerung des IT-Planungsrats" in rows.first.inner_text()
    link = rows.first.locator("a").first
    assert link.get_attribute("href") == "/id/eli/itplr/beschluss/2025/33"
    page.screenshot(path=str(ARTIFACTS / "api-query-page.png"), full_page=True)
    # an example button fills the editor and runs it
    page.click("button.example >> nth=0")
    # selectors, not wait_for_function: its polling evaluates strings, which the CSP forbids
    page.wait_for_selector(".yasr table tbody tr:nth-child(2)")
    assert page.locator(".yasr table tbody tr").count() == 22
    # dragging a column injects the resizer's cursor style (admitted by its hash)
    grip = page.locator(".grip-handle:not(.grip-lastgrip) .grip-resizable").first
    box = grip.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + box["height"] / 2, steps=4)
    assert page.evaluate("""() => Array.from(document.querySelectorAll('head style'))
        .some(s => s.textContent.includes('cursor:col-resize'))""") is True
    page.mouse.up()
    # the other result views (response text, charts) render under the same policy
    for button in page.locator(".yasr .select_response, .yasr .select_table").all():
        button.click()
    assert foreign == []
    assert page.csp == []


def test_resolution_page_shows_points_and_references(browser, server: LiveServer) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    foreign: list[str] = []
    page = _page(browser, server, foreign)
    page.goto(server.url + "/id/eli/itplr/beschluss/2025/33")
    assert page.locator("h1").inner_text() == "Portfoliosteuerung des IT-Planungsrats"
    points = page.locator("ol.points li.point")
    assert points.count() == 5
    assert points.nth(1).inner_text().startswith("2. Die FITKO erstellt bis zum 15.12.2025")
    # 2025/33 Ziffer 5 repeals Ziffer 3 of 2025/02: a partial repeal (bg:repealsPartOf)
    repeal = page.locator("table.refs-out tr.rel-repeals_part_of")
    assert repeal.count() == 1
    assert "hebt teilweise auf" in repeal.inner_text() and "2025/02" in repeal.inner_text()
    assert page.locator("#dependency-graph").count() == 1
    page.screenshot(path=str(ARTIFACTS / "api-resolution-2025-33.png"), full_page=True)
    # follow the reference to the partly repealed resolution and see the incoming link
    # the embedded dependency graph (an iframe of /graph/…) draws under its page's policy
    page.locator("#dependency-graph").scroll_into_view_if_needed()
    frame = page.frame_locator("#dependency-graph iframe")
    frame.locator("body[data-graph-ready=true]").wait_for(timeout=60_000)
    repeal.locator("a").first.click()
    page.wait_for_selector("table.refs-in")
    assert "2025/33" in page.locator("table.refs-in").inner_text()
    assert foreign == []
    assert page.csp == []


@pytest.mark.parametrize("path", ["/graph/resolution/2025/33?hops=1", "/graph/timeline"])
def test_graph_views_draw_under_the_csp(browser, server: LiveServer, sample_store: Path,  # noqa: ANN001
                                        path: str) -> None:
    proj = projection(Settings(store=sample_store))
    view = (neighbourhood(proj, R33, 1) if "resolution" in path else timeline_view(proj))
    foreign: list[str] = []
    page = _page(browser, server, foreign)
    response = page.goto(server.url + path)
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy
    page.wait_for_selector("body[data-graph-ready=true]", state="attached", timeout=60_000)
    assert page.evaluate("window.graphMeta.nodes") == len(view.nodes)
    assert foreign == []
    assert page.csp == []


def test_error_page_and_catalogue_pages_have_no_violations(browser, server: LiveServer  # noqa: ANN001
                                                           ) -> None:
    foreign: list[str] = []
    page = _page(browser, server, foreign)
    # the last one is the HTML 404 page
    for path in ("/queries", "/queries/mandates-due-in-quarter",
                 "/id/eli/itplr/beschluss/1999/99"):
        page.goto(server.url + path)
        page.wait_for_load_state("load")
    assert foreign == []
    assert page.csp == []
