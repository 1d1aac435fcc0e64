"""A generated graph page in headless Chromium: it draws, holds the expected nodes and edges,
and a click on a node opens that resource's page. The screenshot is kept in tests/artifacts/.
Browser and page helpers: tests/graphs/conftest.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.analysis.projection import Projection
from kg.graphs.render import RenderOptions, render_html
from kg.graphs.views import all_view, neighbourhood

from .conftest import ARTIFACTS, BASE, LINKS, RES, open_page, synthetic

pytestmark = pytest.mark.slow


def node_point(page, iri: str) -> tuple[float, float]:  # noqa: ANN001
    return page.evaluate("""(id) => {
        const p = window.network.getPositions([id])[id];
        const d = window.network.canvasToDOM(p);
        const r = document.querySelector('#graph canvas').getBoundingClientRect();
        return [d.x + r.left, d.y + r.top];
    }""", iri)


def test_neighbourhood_page(browser, proj: Projection, tmp_path: Path) -> None:  # noqa: ANN001
    view = neighbourhood(proj, RES + "2022/43", 1)
    html = render_html(proj, view, RenderOptions(BASE, link_prefix=LINKS,
                                                 on=dt.date(2026, 7, 1)))
    page, outside = open_page(browser, html, tmp_path / "n.html")
    counts = page.evaluate("[window.graphNodes.length, window.graphEdges.length, "
                           "window.network.body.data.nodes.length, "
                           "window.network.body.data.edges.length]")
    # one hop around 2022/43: 12 nodes (incl. the fachpolitische Sprecher whom 2025/39 Ziffer
    # 2 asks to report) and 12 edges, drawn as they are in the data
    assert counts == [12, 12, 12, 12]
    assert page.evaluate("window.network.physics.options.enabled") is False  # settled, frozen
    assert page.get_attribute("body", "data-graph-ready") == "true"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph-neighbourhood-2022-43.png"))
    x, y = node_point(page, RES + "2025/39")
    page.mouse.click(x, y)
    page.wait_for_url(LINKS + "**", timeout=10_000)
    assert page.url == LINKS + "eli/itplr/beschluss/2025/39"
    assert outside == []  # no CDN, no other request
    assert page.csp == []
    page.close()


def test_legend_toggles_hide_nodes(browser, proj: Projection, tmp_path: Path) -> None:  # noqa: ANN001
    view = neighbourhood(proj, RES + "2022/43", 1)
    html = render_html(proj, view, RenderOptions(BASE, link_prefix=LINKS,
                                                 on=dt.date(2026, 7, 1)))
    page, _ = open_page(browser, html, tmp_path / "legend.html")
    page.click("li[data-kind=point]")
    hidden = page.evaluate("window.graphNodes.get({filter: n => n.hidden}).length")
    assert hidden == 6  # the six points of 2022/43, 2024/01, 2025/01, 2025/39
    assert page.csp == []
    page.close()


def test_large_page_draws_without_physics(browser, tmp_path: Path) -> None:  # noqa: ANN001
    big: Projection = synthetic(2200)
    view = all_view(big, points="none")
    html = render_html(big, view, RenderOptions(BASE, link_prefix=LINKS,
                                                on=dt.date(2030, 1, 1)))
    page, outside = open_page(browser, html, tmp_path / "big.html")
    n = page.evaluate("window.network.body.data.nodes.get("
                      "{filter: n => n.kind !== 'year'}).length")
    assert n == len(view.nodes) >= 2000
    years = page.evaluate("window.graphNodes.get({filter: n => n.kind === 'year'})"
                          ".map(n => n.label)")
    assert years == [str(y) for y in range(2010, 2030)]  # the time axis of the layout
    assert page.evaluate("window.graphMeta.nodes") == len(view.nodes)
    assert page.evaluate("window.network.body.data.edges.length") == len(view.edges)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "graph-synthetic-2200.png"))
    assert outside == []
    assert page.csp == []
    page.close()
