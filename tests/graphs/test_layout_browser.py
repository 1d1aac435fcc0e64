"""The lane views in headless Chromium at 1280×800: labels readable at the first zoom, year
labels apart by their drawn widths, search, clusters and filters of a 2,000-node graph, and the
legend of the embedded graph. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest

from kg.analysis.projection import Projection
from kg.graphs.render import RenderOptions, render_html
from kg.graphs.views import all_view, neighbourhood, timeline_view

from .conftest import ARTIFACTS, BASE, LINKS, RES, open_page

pytestmark = pytest.mark.slow
VIEWPORT = (1280, 800)
ON = dt.date(2031, 1, 1)


def page_of(browser, proj: Projection, view, path: Path, **opts):  # noqa: ANN001, ANN003, ANN201
    html = render_html(proj, view, RenderOptions(BASE, link_prefix=LINKS, on=ON, **opts))
    return open_page(browser, html, path, VIEWPORT)


def shot(page, name: str) -> None:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


ON_SCREEN = """() => {
    const r = document.querySelector('#graph canvas').getBoundingClientRect();
    return network.body.nodeIndices.filter(id => {
        const n = network.body.nodes[id];
        if (n.options.kind !== 'resolution') return false;
        const d = network.canvasToDOM({x: n.x, y: n.y});
        return d.x >= 0 && d.y >= 0 && d.x <= r.width && d.y <= r.height;
    }).length;
}"""


def test_300_node_view_opens_with_readable_labels(browser, synthetic_300: Projection,  # noqa: ANN001
                                                  tmp_path: Path) -> None:
    view = all_view(synthetic_300, points="none")
    assert len(view.nodes) == 300
    page, outside = page_of(browser, synthetic_300, view, tmp_path / "300.html")
    scale = page.evaluate("network.getScale()")
    first = view.nodes[0]
    font = page.evaluate(f"network.body.nodes['{first}'].labelModule.fontOptions.size")
    assert scale * font >= 11  # px on screen
    assert page.evaluate(ON_SCREEN) >= 20  # and the first view is not empty
    shot(page, "graph-lanes-300.png")
    assert page.errors == [] and page.csp == [] and outside == []
    page.close()


def test_year_labels_never_overlap_as_drawn(browser, proj: Projection, synthetic_2000: Projection,  # noqa: ANN001
                                            tmp_path: Path) -> None:
    cases = [
        # (projection, view, comment)
        (proj, timeline_view(proj), "seed, register and sessions 49/50: 2010 to 2026"),
        (synthetic_2000, all_view(synthetic_2000, points="none"), "80 sessions, 2010 to 2029"),
    ]
    for k, (p, view, comment) in enumerate(cases):
        page, _ = page_of(browser, p, view, tmp_path / f"years-{k}.html")
        # measured as vis-network draws them: the canvas with the label's own font (a label
        # drawn below 5 px on screen is skipped by vis, so its own box is not always set)
        boxes = page.evaluate("""() => {
            const ctx = document.querySelector('#graph canvas').getContext('2d');
            return network.body.data.nodes.get({filter: n => n.kind === 'year'}).map(n => {
                const f = network.body.nodes[n.id].labelModule.fontOptions;
                ctx.font = f.size + 'px ' + f.face;
                const w = ctx.measureText(n.label).width;
                return [n.label, n.x - w / 2, n.x + w / 2];
            });
        }""")
        assert len(boxes) >= 16, comment
        for (y1, _, right), (y2, left, _) in zip(boxes, boxes[1:], strict=False):
            assert right <= left, (comment, y1, y2)
        page.close()


SEARCHES = [
    # (typed, resolution, comment)
    ("2021/12", "2021/12", "a number; a member of a chain of five, collapsed"),
    ("B-2027/03-IT", "2027/03", "the protocol's form; in the collapsed year 2027"),
    ("synthetischer Beschluss 2015/07", "2015/07", "words of its title; a chain of two (open)"),
]


def test_search_focuses_the_node(browser, synthetic_2000: Projection, tmp_path: Path) -> None:  # noqa: ANN001
    view = all_view(synthetic_2000, points="none")
    page, _ = page_of(browser, synthetic_2000, view, tmp_path / "search.html")
    collapsed_before = []
    for typed, rid, comment in SEARCHES:
        iri = synthetic_2000.by_id[rid]
        collapsed_before.append(page.evaluate(f"network.findNode('{iri}').length") > 1)
        page.fill("#find-id", typed)
        page.press("#find-id", "Enter")
        page.wait_for_function(f"window.graphFound === '{iri}'", timeout=20_000)
        assert page.evaluate("network.getSelectedNodes()") == [iri], comment
        assert page.evaluate(f"network.findNode('{iri}').length") == 1  # out of its group
        centre = page.evaluate("network.getViewPosition()")
        node = page.evaluate(f"network.getPositions(['{iri}'])['{iri}']")
        assert abs(centre["x"] - node["x"]) < 1 and abs(centre["y"] - node["y"]) < 1, comment
        assert page.evaluate("network.getScale() * 14") >= 11
        assert page.text_content("#find-status") == f"→ {rid}"
    assert collapsed_before == [True, True, False]
    shot(page, "graph-search-2000.png")
    page.fill("#find-id", "2099/99")
    page.press("#find-id", "Enter")
    assert page.text_content("#find-status") == "nicht gefunden"
    assert page.errors == []
    page.close()


def test_clusters_collapse_and_open_a_2000_node_graph(browser, synthetic_2000: Projection,  # noqa: ANN001
                                                      tmp_path: Path) -> None:
    view = all_view(synthetic_2000, points="none")
    page, outside = page_of(browser, synthetic_2000, view, tmp_path / "cluster.html")
    everything = len(view.nodes) + 20  # and the 20 year labels
    visible = page.evaluate("network.body.nodeIndices.length")
    groups = page.evaluate("Object.keys(window.network.body.nodes).filter("
                           "id => network.isCluster(id)).length")
    assert groups > 100 and visible < everything / 3  # 2,020 → one node per group and the rest
    assert page.text_content("#cluster-toggle") == "Alle aufklappen"
    # plain citations start switched off in a graph this large, and say so in the legend
    cites = page.evaluate("window.graphEdges.get({filter: e => e.relation === 'cites'}).length")
    assert cites > 1000
    assert page.evaluate("window.graphEdges.get({filter: e => e.hidden}).length") == cites
    assert page.get_attribute("li[data-relation=cites]", "aria-pressed") == "true"
    shot(page, "graph-clustered-2000.png")
    # a click on a group opens it: its members come back at their own positions
    cid = "cluster:year:2027"
    page.evaluate(f"network.focus('{cid}', {{scale: 1}})")
    x, y = page.evaluate(f"""(() => {{ const p = network.getPositions(['{cid}'])['{cid}'];
        const d = network.canvasToDOM(p);
        const r = document.querySelector('#graph canvas').getBoundingClientRect();
        return [d.x + r.left, d.y + r.top]; }})()""")
    page.mouse.click(x, y)
    page.wait_for_function(f"!network.body.nodes['{cid}'] || "
                           f"!network.body.nodeIndices.includes('{cid}')")
    member = synthetic_2000.by_id["2027/03"]
    home = next(n for n in page.evaluate("window.graphNodes.get()") if n["id"] == member)
    placed = page.evaluate(f"network.getPositions(['{member}'])['{member}']")
    # getPositions rounds to whole canvas pixels
    assert abs(placed["x"] - home["x"]) <= 0.5 and abs(placed["y"] - home["y"]) <= 0.5
    assert page.evaluate("network.body.nodeIndices.length") == visible - 1 + 63  # 63 in 2027
    assert page.url.startswith("file:")  # opening a group does not leave the page
    page.click("#cluster-toggle")  # open every group
    assert page.evaluate("network.body.nodeIndices.length") == everything
    page.click("#cluster-toggle")  # and collapse again
    assert page.evaluate("network.body.nodeIndices.length") == visible
    page.click("li[data-relation=cites]")  # the citations back
    assert page.evaluate("window.graphEdges.get({filter: e => e.hidden}).length") == 0
    assert page.errors == [] and page.csp == [] and outside == []
    page.close()


def test_filter_by_status_and_relation(browser, synthetic_300: Projection,  # noqa: ANN001
                                       tmp_path: Path) -> None:
    view = all_view(synthetic_300, points="none")
    page, _ = page_of(browser, synthetic_300, view, tmp_path / "filter.html")
    repealed = page.evaluate("window.graphNodes.get({filter: n => n.state === 'repealed'})"
                             ".length")
    cites = page.evaluate("window.graphEdges.get({filter: e => e.relation === 'cites'}).length")
    assert repealed > 0 and cites > 0
    page.click("li[data-state=repealed]")
    page.click("li[data-relation=cites]")
    assert page.evaluate("window.graphNodes.get({filter: n => n.hidden}).length") == repealed
    assert page.evaluate("window.graphEdges.get({filter: e => e.hidden}).length") == cites
    assert page.get_attribute("li[data-state=repealed]", "aria-pressed") == "true"
    page.click("li[data-state=repealed]")  # and back
    assert page.evaluate("window.graphNodes.get({filter: n => n.hidden}).length") == 0
    page.close()


def test_embedded_graph_shows_a_compact_legend(browser, proj: Projection,  # noqa: ANN001
                                               tmp_path: Path) -> None:
    view = neighbourhood(proj, RES + "2025/33", 2)
    html = render_html(proj, view, RenderOptions(BASE, link_prefix=LINKS,
                                                 on=dt.date(2026, 7, 1), embed=True))
    page, _ = open_page(browser, html, tmp_path / "embed.html", (900, 480))
    assert page.is_hidden("header")
    box = page.eval_on_selector("#legend", "e => e.getBoundingClientRect().toJSON()")
    assert box["height"] < 480 * 0.4 and box["bottom"] <= 480 and box["width"] > 800
    assert page.is_visible("li[data-state=partially_repealed]")  # 2025/33 itself (seed)
    assert page.is_visible("li[data-relation=repeals]")
    assert page.text_content("li[data-relation=repeals]").strip() == "hebt auf"
    shot(page, "graph-embed-2025-33.png")
    assert page.errors == [] and page.csp == []
    page.close()


def test_an_empty_graph_page_is_ready(browser, tmp_path: Path) -> None:  # noqa: ANN001
    empty = Projection(nx.MultiDiGraph(), [], [], {})
    page, _ = page_of(browser, empty, all_view(empty), tmp_path / "empty.html")
    page.fill("#find-id", "2025/33")
    page.press("#find-id", "Enter")
    assert page.text_content("#find-status") == "nicht gefunden"
    assert page.text_content("#meta").startswith("0 Knoten · 0 Kanten")
    assert page.errors == []
    page.close()
