"""Headless Chromium (Debian's /usr/bin/chromium, driven by playwright) against a live server:
the query page runs a query and shows rows; a resolution page shows points and references.
Screenshots go to tests/artifacts/ (gitignored)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import ARTIFACTS, LiveServer, live_server

pytestmark = pytest.mark.slow



@pytest.fixture(scope="module")
def server(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(sample_store, tmp_path_factory.mktemp("browser")) as live:
        yield live




def _page(browser, server: LiveServer, foreign: list[str]):  # noqa: ANN001, ANN202
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    # everything the page loads must come from this server (no CDN, no LOV, no prefix.cc)
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:"))
            else foreign.append(r.url))
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
    page.wait_for_function("document.querySelectorAll('.yasr table tbody tr').length > 1")
    assert page.locator(".yasr table tbody tr").count() == 22
    assert foreign == []


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
    repeal.locator("a").first.click()
    page.wait_for_selector("table.refs-in")
    assert "2025/33" in page.locator("table.refs-in").inner_text()
    assert foreign == []
