"""The lane layout of the all-resolutions view and the timeline (kg/graphs/lanes.py,
kg/graphs/timeaxis.py), its year axis, and the legend of the embedded graph: checked on the
positions the page is given, without a browser (the browser checks: test_layout_browser.py).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.analysis.projection import Projection
from kg.graphs.export import render_svg
from kg.graphs.lanes import LaneLayout, decision_date, lane_layout
from kg.graphs.render import RenderOptions, build_network, render_html
from kg.graphs.timeaxis import build_axis, text_width
from kg.graphs.views import all_view, neighbourhood, timeline_view
from kg.settings import Settings

from .conftest import BASE, RES

ON = dt.date(2026, 7, 1)


@pytest.fixture(scope="module")
def lanes(proj: Projection) -> LaneLayout:
    return lane_layout(proj, all_view(proj).nodes)


def band_of(layout: LaneLayout, key: str):  # noqa: ANN201
    return next(b for b in layout.bands if b.key == key)


CHAINS = [
    # register: 2024/01 and 2025/01 amend 2022/43, 2025/01 amends 2024/19; the seed's
    # B-2025/39-IT repeals 2022/43 (l. 1088-1092); the register gives 2024/01 no date and
    # 2024/19 is only a target: both sit at 01.01.2024 from their numbers, 2024/19 stacked
    ("2022/43", "2024/01", "2024/19", "2025/01", "2025/39"),
    # seed 2025/33 repeals 2025/02 Ziffer 3; sessions 49/50: 2026/01 amends 2025/33, 2026/10
    # replaces 2026/01, 2026/11 continues and 2026/13 amends 2025/33 (same date as 2026/10)
    ("2025/02", "2025/33", "2026/01", "2026/10", "2026/11", "2026/13"),
    # register references.csv l. 6: 2023/22 replaces 2022/06
    ("2022/06", "2023/22"),
    # session 49: 2026/03 replaces 2025/31
    ("2025/31", "2026/03"),
]


@pytest.mark.parametrize("members", CHAINS, ids=lambda m: m[0])
def test_chain_members_share_a_lane_in_date_order(proj: Projection, lanes: LaneLayout,
                                                  members: tuple[str, ...]) -> None:
    iris = [RES + m for m in members]
    [key] = {lanes.group[i] for i in iris}
    assert key.startswith("chain:")
    band = band_of(lanes, key)
    for i in iris:  # every member inside its chain's band
        x, y = lanes.positions[i]
        assert band.x0 < x < band.x1 and band.y0 < y < band.y1
    dates = [decision_date(proj, i) for i in iris]
    assert dates == sorted(dates)  # the table lists each chain by date, then number
    xs = [lanes.positions[i][0] for i in iris]
    assert xs == sorted(xs)
    # the lane is one line: each member that is first on its date sits on it; members of
    # the same date (2026/10, 2026/11, 2026/13: session 50) stack under the first
    line = lanes.positions[iris[0]][1]
    first_of_date = {d: i for d, i in reversed(list(zip(dates, iris, strict=True)))}
    assert {lanes.positions[i][1] for i in first_of_date.values()} == {line}


def test_x_grows_with_the_decision_date(proj: Projection, lanes: LaneLayout) -> None:
    xs_of: dict[dt.date, list[float]] = {}
    for r in proj.resolutions():
        if proj.node(r).get("date"):
            xs_of.setdefault(proj.node(r)["date"], []).append(lanes.positions[r][0])
    assert sum(len(xs) for xs in xs_of.values()) > 100
    dates = sorted(xs_of)
    # everything of one date lies left of everything of a later date (one date's unchained
    # resolutions may take several columns)
    for d1, d2 in zip(dates, dates[1:], strict=False):
        assert max(xs_of[d1]) < min(xs_of[d2]), (d1, d2)


def test_a_session_of_unchained_resolutions_is_a_block(proj: Projection,
                                                       lanes: LaneLayout) -> None:
    # the 48th session (26.11.2025, the seed): its 18 unchained resolutions in two columns of
    # nine (as many of six as the room to the next date allows), centred on the session's
    # date, not one stack eighteen high
    session = [r for r in proj.resolutions() if proj.node(r).get("date") == dt.date(2025, 11, 26)
               and lanes.group[r] == "year:2025"]
    assert len(session) == 18
    columns: dict[float, int] = {}
    for r in session:
        x = lanes.positions[r][0]
        columns[x] = columns.get(x, 0) + 1
    assert sorted(columns.values()) == [9, 9]
    chained = lanes.positions[RES + "2025/33"][0]  # a chain member of the same date
    assert min(columns) < chained < max(columns)


def test_bands_of_two_chains_never_overlap(lanes: LaneLayout,
                                           synthetic_2000: Projection) -> None:
    big = lane_layout(synthetic_2000, all_view(synthetic_2000, points="none").nodes)
    # (layout, chains, rows of bands): the 9 chains of the test data need 5 rows; the 306
    # chains of the synthetic 2,000 (kg chains) 108, a third, as they overlap in time
    for layout, count, packed in ((lanes, 9, 5), (big, 306, 108)):
        bands = [b for b in layout.bands if b.kind == "chain"]
        assert len(bands) == count
        rows: dict[float, list] = {}
        for b in bands:
            rows.setdefault(b.y0, []).append(b)
        for row in rows.values():  # bands sharing a row follow each other in time
            row.sort(key=lambda b: b.x0)
            assert all(a.x1 < b.x0 for a, b in zip(row, row[1:], strict=False))
        tops = sorted(rows)
        for upper, lower in zip(tops, tops[1:], strict=False):  # and rows do not overlap
            assert max(b.y1 for b in rows[upper]) < lower
        assert len(rows) == packed


UNCHAINED = [
    ("2025/32", 2025),  # seed TOP 00 "Grüne Liste": changes nothing, nothing changes it
    ("2025/04", 2025),  # register, cited only
    ("2024/03", 2024),  # register, no change relation
]


@pytest.mark.parametrize(("rid", "year"), UNCHAINED)
def test_unchained_resolutions_sit_below_every_chain(lanes: LaneLayout, rid: str,
                                                     year: int) -> None:
    iri = RES + rid
    assert lanes.group[iri] == f"year:{year}"
    x, y = lanes.positions[iri]
    chains = [b for b in lanes.bands if b.kind == "chain"]
    assert len(chains) == 9
    assert all(y > b.y1 for b in chains)  # below the lanes, in no chain band
    band = band_of(lanes, f"year:{year}")
    assert band.x0 < x < band.x1 and band.y0 < y < band.y1


def test_each_year_label_keeps_its_width_from_the_next(lanes: LaneLayout,
                                                      synthetic_2000: Projection) -> None:
    big = lane_layout(synthetic_2000, all_view(synthetic_2000, points="none").nodes)
    for layout, years in ((lanes, [2010, *range(2012, 2027)]), (big, list(range(2010, 2030)))):
        assert [y.year for y in layout.years] == years  # 2011: no resolution in the register
        for a, b in zip(layout.years, layout.years[1:], strict=False):
            assert b.x - a.x >= (a.width + b.width) / 2, (a.year, b.year)


def test_year_separators_pass_between_the_year_bands(lanes: LaneLayout,
                                                    synthetic_2000: Projection) -> None:
    big = lane_layout(synthetic_2000, all_view(synthetic_2000, points="none").nodes)
    for layout in (lanes, big):
        assert len(layout.year_bounds) == len(layout.years) - 1
        years = [b for b in layout.bands if b.kind == "unchained"]
        assert not [(x, b.key) for x in layout.year_bounds for b in years if b.x0 < x < b.x1]
        labels = [y.x for y in layout.years]  # and each between its two year labels
        assert all(a < x < b for a, x, b in zip(labels, layout.year_bounds, labels[1:],
                                                  strict=False))


AXES = [
    # (dates, comment): every case must leave neighbouring year labels their widths apart
    ([dt.date(2019, 12, 31), dt.date(2020, 1, 1)], "one day apart, across New Year"),
    ([dt.date(2010, 3, 1), dt.date(2011, 3, 1), dt.date(2012, 3, 1), dt.date(2013, 3, 1)],
     "one session a year"),
    ([dt.date(2020, m, 1) for m in range(1, 13)] + [dt.date(2021, 1, 1)],
     "a crowded year, then one date"),
    ([dt.date(2000, 1, 1), dt.date(2025, 6, 1)], "25 quiet years: the gap is capped"),
]


@pytest.mark.parametrize(("dates", "comment"), AXES, ids=[a[1] for a in AXES])
def test_time_axis_spacing(dates: list[dt.date], comment: str) -> None:
    axis = build_axis(dict.fromkeys(dates, 30.0))
    xs = [axis.x(d) for d in dates]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert all(b - a >= 60.0 for a, b in zip(xs, xs[1:], strict=False))  # two half widths
    for a, b in zip(axis.years, axis.years[1:], strict=False):
        assert b.x - a.x >= (a.width + b.width) / 2
        assert a.width == text_width(str(a.year), a.font_px)
    if comment.startswith("25 quiet"):
        assert xs[1] - xs[0] < 600  # not 25 years × 365 px


def test_lane_views_have_fixed_positions_and_groups(proj: Projection) -> None:
    for view in (all_view(proj), timeline_view(proj)):
        net = build_network(proj, view, RenderOptions(BASE, on=ON))
        assert net.options["physics"] == {"enabled": False}
        nodes = {n["id"]: n for n in net.nodes}
        assert all("x" in n and "y" in n for n in nodes.values())
        assert nodes[RES + "2025/33"]["cid"] == nodes[RES + "2026/10"]["cid"]
        years = [n["label"] for n in net.nodes if n["kind"] == "year"]
        assert years[:2] == ["2010", "2012"] and years[-1] == "2026"
    assert all_view(proj).layout == "lanes"


def graph_json(html: str) -> dict:
    match = re.search(r"var GRAPH = (\{.*?\});\n", html, re.S)
    assert match
    return json.loads(match.group(1))


def test_page_data_for_bands_groups_and_clusters(proj: Projection,
                                                 synthetic_2000: Projection) -> None:
    small = graph_json(render_html(proj, all_view(proj), RenderOptions(BASE, on=ON)))
    lanes_data = small["lanes"]
    assert lanes_data["cluster"] is False  # 163 nodes: open, at a readable zoom
    chain = next(k for k, b in enumerate(lanes_data["bands"]) if b[1] == "2025/02 … 2026/13")
    assert lanes_data["bands"][chain][2] == "chain"
    assert lanes_data["groups"][lanes_data["bands"][chain][0]][0] == \
        "2025/02 … 2026/13\n6 Beschlüsse"
    assert [h[0].split(" · ")[0] for h in lanes_data["headings"]] == [
        "Änderungsketten", "Ohne Änderungsbezug", "Rechtsakte, Gesetze, andere Gremien"]
    assert small["meta"]["readable_px"] >= 11
    assert small["options"]["nodes"]["font"]["size"] == 14
    big = graph_json(render_html(synthetic_2000, all_view(synthetic_2000, points="none"),
                                 RenderOptions(BASE, on=ON)))
    assert big["lanes"]["cluster"] is True  # from 600 nodes
    assert (small["lanes"]["hidden_relations"], big["lanes"]["hidden_relations"]) == ([],
                                                                                  ["cites"])
    # groups of three or more members collapse; a group of two stays open
    assert all(g[3] >= 3 for g in big["lanes"]["groups"].values())
    assert len(big["lanes"]["groups"]) < 400


def test_embedded_graph_has_its_legend(proj: Projection) -> None:
    html = render_html(proj, neighbourhood(proj, RES + "2022/43"),
                       RenderOptions(BASE, on=ON, embed=True))
    assert '<body class="embed">' in html
    legend = html.split('<aside id="legend"', 1)[1].split("</aside>", 1)[0]
    # 2022/43 repealed by 2025/39 (seed l. 1088-1092), the others in force
    assert re.search(r'data-state="repealed".*?<span>aufgehoben</span>', legend, re.S)
    assert re.search(r'data-state="in_force".*?<span>in Kraft</span>', legend, re.S)
    assert re.search(r'data-relation="repeals".*?stroke="#c62828".*?<span>hebt auf</span>',
                     legend, re.S)
    assert re.search(r'data-relation="amends".*?<span>ändert</span>', legend, re.S)
    # embed hides the header only; the legend becomes a strip, never display: none
    css = html.split("<style>", 2)[-1].split("</style>", 1)[0]
    assert "body.embed header { display: none; }" in css
    assert not re.search(r"body\.embed aside\s*\{[^}]*display:\s*none", css)


def test_resource_page_iframe_gets_the_legend(graph_settings: Settings) -> None:
    # the iframe of a resolution page (api/templates/resolution.html) loads exactly this
    client = TestClient(create_app(graph_settings))
    page = client.get("/graph/resolution/2025/33", params={"embed": "true", "hops": 2})
    assert page.status_code == 200
    assert '<body class="embed">' in page.text
    assert 'data-state="partially_repealed"' in page.text  # 2025/33 itself (seed)
    assert "<span>teilweise aufgehoben</span>" in page.text
    off = client.get("/graph/all", params={"cluster": "on", "points": "none"})
    assert graph_json(off.text)["lanes"]["cluster"] is True


def test_timeline_svg_has_spaced_years(proj: Projection) -> None:
    svg = render_svg(proj, timeline_view(proj), RenderOptions(BASE, on=ON))
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    years = [(float(t.get("x")), t.text) for t in root.findall("s:text", ns)
             if (t.text or "").isdigit()]
    assert [y for _, y in years][:2] == ["2010", "2012"]
    font = float(root.find("s:text[@text-anchor='middle']", ns).get("font-size"))
    for (x1, a), (x2, b) in zip(years, years[1:], strict=False):
        assert x2 - x1 >= (text_width(a, font) + text_width(b, font)) / 2


def test_an_empty_store_draws_an_empty_lane_view() -> None:
    # before the first `kg load`: no resolution, no year, a page that still says it is ready
    # (a physics simulation of nothing never reports that it settled)
    empty = Projection(nx.MultiDiGraph(), [], [], {})
    for view in (all_view(empty), timeline_view(empty)):
        net = build_network(empty, view, RenderOptions(BASE, on=ON))
        assert net.nodes == [] and net.options["physics"] == {"enabled": False}
        assert ET.fromstring(render_svg(empty, view, RenderOptions(BASE, on=ON))) is not None
