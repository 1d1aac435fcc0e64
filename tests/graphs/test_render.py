"""The HTML page (kg/graphs/render.py) and the static SVG (kg/graphs/export.py)."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

from kg.analysis.projection import Projection, project
from kg.analysis.synthetic import synthetic_quads
from kg.graphs.export import render_svg
from kg.graphs.render import RenderOptions, build_network, render_html, resource_url
from kg.graphs.style import STATE_COLOURS
from kg.graphs.views import all_view, chain_view, neighbourhood
from kg.store import OxigraphStore

from .conftest import BASE, RES

ON = dt.date(2026, 7, 1)


def graph_json(html: str) -> dict:
    match = re.search(r"var GRAPH = (\{.*?\});\n", html, re.S)
    assert match
    return json.loads(match.group(1))


def test_resource_url() -> None:
    assert resource_url(RES + "2025/33", BASE) == "/id/eli/itplr/beschluss/2025/33"
    assert resource_url(RES + "2025/33", BASE, "http://127.0.0.1:8000/id/") == \
        "http://127.0.0.1:8000/id/eli/itplr/beschluss/2025/33"
    eu = "http://data.europa.eu/eli/reg/2024/903/oj"
    assert resource_url(eu, BASE) == eu


def test_page_is_self_contained(proj: Projection) -> None:
    html = render_html(proj, neighbourhood(proj, RES + "2022/43"), RenderOptions(BASE, on=ON))
    # no CDN: no script or stylesheet from the network
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"(https?:)?//", html)
    assert "cdnjs" not in html and "jsdelivr" not in html
    assert "vis-network" in html and "@version 9.1.2" in html  # inlined library


def test_page_can_reference_served_assets(proj: Projection) -> None:
    html = render_html(proj, neighbourhood(proj, RES + "2022/43"),
                       RenderOptions(BASE, on=ON, inline_assets=False,
                                     asset_url="/graph/static/"))
    assert '<script src="/graph/static/vis-network.min.js"></script>' in html
    assert "@version 9.1.2" not in html


def test_nodes_coloured_shaped_linked(proj: Projection) -> None:
    html = render_html(proj, neighbourhood(proj, RES + "2022/43"),
                       RenderOptions(BASE, link_prefix="http://kg.test/id/", on=ON))
    graph = graph_json(html)
    nodes = {n["id"]: n for n in graph["nodes"]}
    # 2022/43 and its 2 points; 2024/01, 2025/01 and their first points; 2025/39 and its 2
    # points; session 48; the body mandated by 2025/39 Ziffer 2 (fachpolitische Sprecher)
    assert graph["meta"]["nodes"] == len(nodes) == 12
    assert BASE + "gremium/fachpolitische-sprecher" in nodes
    assert graph["meta"]["edges"] == len(graph["edges"])
    repealed = nodes[RES + "2022/43"]
    assert repealed["state"] == "repealed"
    assert repealed["color"]["border"] in (STATE_COLOURS["repealed"], "#37474f")
    assert repealed["url"] == "http://kg.test/id/eli/itplr/beschluss/2022/43"
    assert nodes[RES + "2025/39"]["shape"] == "dot"
    assert nodes[RES + "2025/39"]["color"]["background"] == STATE_COLOURS["in_force"]
    assert nodes[RES + "2022/43/ziffer/1"]["shape"] == "diamond"
    assert nodes[BASE + "sitzung/itplr/48"]["shape"] == "box"
    tip = nodes[RES + "2025/39"]["title"]
    assert "Datum: 26.11.2025" in tip and "Ergebnis: angenommen" in tip
    repeal = next(e for e in graph["edges"] if e["relation"] == "repeals")
    assert repeal["label"] == "hebt auf" and repeal["color"]["color"] == "#c62828"
    assert {x["key"] for x in graph["legend"]["states"]} == {"repealed", "in_force"}
    assert {x["key"] for x in graph["legend"]["edges"]} >= {"repeals", "amends", "part_of"}
    assert graph["options"]["physics"]["enabled"] is True  # small: physics, then frozen
    assert "stabilizationIterationsDone" in html


def test_titles_are_escaped_in_the_page(proj: Projection) -> None:
    html = render_html(proj, neighbourhood(proj, RES + "2022/43"), RenderOptions(BASE, on=ON))
    script = html.split("var GRAPH = ", 1)[1].split(";\n", 1)[0]
    assert "</" not in script  # tojson escapes "<", so no text can close the script


def test_chain_layout_is_time_ordered(proj: Projection) -> None:
    net = build_network(proj, chain_view(proj, RES + "2026/10"), RenderOptions(BASE, on=ON))
    x = {n["id"]: n["x"] for n in net.nodes}
    order = [RES + i for i in ("2025/02", "2025/33", "2026/01", "2026/10")]
    assert [x[i] for i in order] == sorted(x[i] for i in order)
    assert x[RES + "2025/33"] < x[RES + "2026/01"] < x[RES + "2026/10"]
    assert net.options["physics"] == {"enabled": False}


def test_large_graph_uses_a_precomputed_layout() -> None:
    store = OxigraphStore.in_memory()
    store.add_quads(synthetic_quads(2200))
    big = project(store)
    view = all_view(big, points="none")
    assert len(view.nodes) >= 2000
    net = build_network(big, view, RenderOptions(BASE, on=ON))
    assert all("x" in n and "y" in n and n["physics"] is False for n in net.nodes)
    assert net.options["physics"] == {"enabled": False}
    assert net.options["edges"]["smooth"] is False  # straight edges draw fast


def test_svg_export(proj: Projection) -> None:
    view = chain_view(proj, RES + "2026/10")
    svg = render_svg(proj, view, RenderOptions(BASE, on=ON))
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    links = root.findall(".//s:a", ns)
    assert len(links) == len(view.nodes)
    hrefs = {a.get("{http://www.w3.org/1999/xlink}href") for a in links}
    assert "/id/eli/itplr/beschluss/2026/10" in hrefs
    texts = "".join(root.itertext())
    assert "ersetzt" in texts and "hebt auf" in texts and "Status am 01.07.2026" in texts
    assert render_svg(proj, view, RenderOptions(BASE, on=ON)) == svg  # reproducible
    small = neighbourhood(proj, RES + "2025/33")
    assert ET.fromstring(render_svg(proj, small, RenderOptions(BASE, on=ON))) is not None
