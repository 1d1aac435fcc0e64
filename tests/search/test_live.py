"""Search through a real uvicorn server on loopback (a subprocess, configured by KG_*), and in
headless Chromium: the search box in the header, the results page, a hit's link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import ARTIFACTS, LiveServer, browser, live_server, watch_csp

pytestmark = pytest.mark.slow
__all__ = ["browser"]  # the fixture, shared with tests/api


@pytest.fixture(scope="module")
def server(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(sample_store, tmp_path_factory.mktemp("search-live")) as live:
        yield live


def test_rest_and_page_over_http(server: LiveServer) -> None:
    r = httpx.get(server.url + "/api/search", params={"q": "Gruene Liste", "limit": 3},
                  timeout=30)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    hit = r.json()["hits"][0]
    # TOP 00 of the 48th session: "der Beschlussvorschlag dazu verbleibt auf der Grünen Liste"
    assert hit["iri"] == "https://w3id.org/beschlussgraph/id/sitzung/itplr/48/top/00"
    assert "<mark>Grünen</mark> <mark>Liste</mark>" in hit["snippet"]
    page = httpx.get(server.url + "/search", params={"q": "Sondersitzung"}, timeout=30)
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert 'href="/id/eli/itplr/beschluss/2025/33#ziffer-1"' in page.text


def test_the_header_search_box_leads_to_the_hit(browser, server: LiveServer) -> None:  # noqa: ANN001
    page = browser.new_page()
    foreign: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:"))
            else foreign.append(r.url))
    violations = watch_csp(page)
    page.goto(server.url + "/queries")
    page.fill("header form.site-search input[name=q]", "Sondersitzungen")
    page.press("header form.site-search input[name=q]", "Enter")
    page.wait_for_url("**/suche?q=Sondersitzungen")
    first = page.locator("ol.search-hits li").first
    assert first.locator("mark").inner_text() == "Sondersitzung"
    assert first.locator("a.hit-title").inner_text() == "2025/33 Ziffer 1"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "search-results.png"), full_page=True)
    first.locator("a.hit-title").click()
    page.wait_for_url("**/id/eli/itplr/beschluss/2025/33#ziffer-1")
    assert "Portfoliosteuerung des IT-Planungsrats" in page.locator("h1").inner_text()
    assert violations == [] and foreign == []
    page.close()
