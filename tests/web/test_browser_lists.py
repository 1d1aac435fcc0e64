"""Headless Chromium (Debian's, through the fixture of tests/api) against a live server: the
resolution list is filtered through its form, the filter state lands in the URL, a row leads
to the resolution page, and that page to the consolidated text and the changes table. No
request leaves the server and no page breaks its Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import ARTIFACTS, LiveServer, browser, live_server, watch_csp

pytestmark = pytest.mark.slow
__all__ = ["browser"]  # the Chromium fixture of tests/api, used here by name


@pytest.fixture(scope="module")
def server(web_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(web_store, tmp_path_factory.mktemp("web-browser")) as live:
        yield live


def test_filter_the_list_and_follow_a_row(browser, server: LiveServer) -> None:  # noqa: ANN001, F811
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    foreign: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:"))
            else foreign.append(r.url))
    violations = watch_csp(page)

    page.goto(server.url + "/")
    page.click("header.site nav a[href='/beschluesse']")
    page.wait_for_selector("table.list tr[data-id]")
    assert page.locator("table.list tr[data-id]").count() == 50  # the first page of 133

    page.select_option("select[name=land]", "BY")
    page.fill("input[name=on]", "2026-01-01")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/beschluesse?*land=BY*")
    assert "on=2026-01-01" in page.url
    shown = page.locator("table.list tr[data-id]")
    # Bayern is assigned in 2025/51 and notes on 2025/38 and 2025/45; the others name
    # "die Länder" (tests/web/test_browse.py)
    assert [shown.nth(i).get_attribute("data-id") for i in range(shown.count())] == [
        "2025/51", "2025/45", "2025/44", "2025/41", "2025/40", "2025/38", "2025/37",
        "2025/36", "2025/33", "2025/32"]
    page.screenshot(path=str(ARTIFACTS / "web-beschluesse-by.png"), full_page=True)

    # a sortable header keeps the filter
    page.click("th.sortable a:text('Titel')")
    page.wait_for_url("**sort=title**")
    assert "land=BY" in page.url

    page.click("tr[data-id='2025/38'] td.col-id a")
    page.wait_for_selector("article.resolution")
    assert page.url.endswith("/id/eli/itplr/beschluss/2025/38")
    page.click("nav.resolution-versions a >> nth=0")
    page.wait_for_selector("article.consolidated")
    assert page.locator("ol.consolidated-points li").count() > 0
    page.screenshot(path=str(ARTIFACTS / "web-fassung-2025-38.png"), full_page=True)

    # the consolidated text of 2025/02 on the day B-2025/33-IT took effect, by the picker
    page.goto(server.url + "/id/eli/itplr/beschluss/2025/02/fassung?am=2025-11-25")
    assert page.locator("ol.consolidated-points del").count() == 0
    page.fill("form.version-picker input[name=am]", "2025-11-26")
    page.click("form.version-picker button")
    page.wait_for_url("**am=2025-11-26")
    assert page.locator("li#ziffer-3 del").count() == 1
    assert "aufgehoben durch B-2025/33-IT" in page.locator("li#ziffer-3").inner_text()

    page.goto(server.url + "/aenderungen")
    assert page.locator("table.changes-table tbody tr").count() == 11
    page.screenshot(path=str(ARTIFACTS / "web-aenderungen.png"), full_page=True)
    assert foreign == []
    assert violations == []
