"""Fixtures of the graph-view tests: the bundled data plus the test protocols of sessions 49
and 50 (tests/analysis/protocols), loaded once through `kg.loading.load_paths`; synthetic
histories built in memory; and headless Chromium for the browser tests (slow suite).

Chromium is Debian's /usr/bin/chromium (`apt-get install -y chromium`) driven by the
playwright package; never `playwright install`. Resource pages are answered by a route
handler, so nothing goes to the network."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.analysis.projection import Projection, project
from kg.analysis.synthetic import synthetic_quads
from kg.graphs.export import CHROMIUM_ARGS, CHROMIUM_CANDIDATES
from kg.settings import SAMPLES_DIR, Settings
from kg.store import OxigraphStore
from tests.analysis.conftest import PROTOCOLS, load, read_projection

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BASE = "https://w3id.org/beschlussgraph/id/"
RES = BASE + "eli/itplr/beschluss/"
CHROMIUM = next((c for c in CHROMIUM_CANDIDATES if Path(c).exists()), shutil.which("chromium"))
LINKS = "http://kg.test/id/"


@pytest.fixture(scope="session")
def graph_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load(tmp_path_factory.mktemp("graphs") / "store", SAMPLES_DIR, PROTOCOLS)


@pytest.fixture(scope="session")
def proj(graph_settings: Settings) -> Projection:
    return read_projection(graph_settings)


def synthetic(n: int) -> Projection:
    """`n` synthetic resolutions (kg/analysis/synthetic.py, seed 7) in an in-memory store."""
    store = OxigraphStore.in_memory()
    store.add_quads(synthetic_quads(n))
    return project(store)


@pytest.fixture(scope="session")
def synthetic_300() -> Projection:
    return synthetic(300)


@pytest.fixture(scope="session")
def synthetic_2000() -> Projection:
    return synthetic(2000)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if CHROMIUM is None:
        pytest.skip("no Chromium at /usr/bin/chromium")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def open_page(browser, html: str, path: Path, viewport: tuple[int, int] = (1400, 900)):  # noqa: ANN001, ANN201
    """The page in Chromium once the graph has been drawn; `page.csp` collects policy
    violations, the second value every request that left the page."""
    from tests.api.conftest import watch_csp  # noqa: PLC0415

    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    # a file page has no policy of its own; the same page served by the API does
    # (tests/api/test_browser.py): either way a violation fails the test
    page.csp = watch_csp(page)
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    outside: list[str] = []
    page.on("request", lambda req: outside.append(req.url)
            if not req.url.startswith(("file:", "data:", LINKS)) else None)
    page.route(LINKS + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<html><body>resource page</body></html>"))
    page.goto(path.as_uri())
    page.wait_for_function("window.graphReady === true", timeout=60_000)
    return page, outside
