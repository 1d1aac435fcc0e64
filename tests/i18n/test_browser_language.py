"""Headless Chromium against a live uvicorn server: an English browser gets English pages, a
German one German pages; the DE | EN switch changes the language of the page it is on (its
filters kept), and the choice holds on the next page whatever the browser prefers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.conftest import ARTIFACTS, LiveServer, browser, live_server, watch_csp

pytestmark = pytest.mark.slow
__all__ = ["browser"]  # the Chromium fixture of tests/api, used here by name


@pytest.fixture(scope="module")
def server(i18n_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(i18n_store, tmp_path_factory.mktemp("i18n-browser")) as live:
        yield live


# (browser locale, heading of /beschluesse, <html lang>)
LOCALES = [
    ("de-DE", "Beschlüsse", "de"),   # a German analyst
    ("en-GB", "Resolutions", "en"),  # an English-speaking one
]


@pytest.mark.parametrize(("locale", "heading", "lang"), LOCALES)
def test_browser_locale_picks_the_language(browser, server: LiveServer, locale: str,  # noqa: ANN001
                                           heading: str, lang: str) -> None:
    page = browser.new_page(locale=locale)
    page.goto(server.url + "/beschluesse")
    assert page.locator("h1").inner_text() == heading
    assert page.locator("html").get_attribute("lang") == lang
    page.close()


def test_switch_in_the_browser(browser, server: LiveServer) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
    violations = watch_csp(page)
    page.goto(server.url + "/beschluesse?session=48&status=in_force&on=2026-01-01")
    assert page.locator("h1").inner_text() == "Beschlüsse"

    page.click("nav.lang-switch a[hreflang=en]")
    page.wait_for_url("**lang=en")
    assert "session=48" in page.url and "status=in_force" in page.url
    assert page.locator("h1").inner_text() == "Resolutions"
    # B-2025/52-IT of the 48th session, in force on 1.1.2026
    assert page.locator("tr[data-id='2025/52'] td.col-status_label").inner_text() == "in force"
    page.screenshot(path=str(ARTIFACTS / "i18n-beschluesse-en.png"), full_page=True)

    # the choice holds on the next page, though the browser asks for German
    page.click("header.site nav a[href='/aenderungen']")
    page.wait_for_selector("article.changes")
    assert page.locator("h1").inner_text() == "Changes"
    assert page.locator("html").get_attribute("lang") == "en"

    page.click("nav.lang-switch a[hreflang=de]")
    page.wait_for_url("**lang=de")
    assert page.locator("h1").inner_text() == "Änderungen"
    assert violations == []
    page.close()
