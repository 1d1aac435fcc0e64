"""A View → a pyvis Network → one HTML page (vis-network, shipped with the project).

pyvis builds the vis-network data (nodes, edges, options); the page comes from our own template
(kg/graphs/templates/graph.html) because pyvis's templates load vis-network and Bootstrap
from CDNs even in "local" mode. The assets are either inlined (a self-contained file for
`kg graph -o`) or referenced under `asset_url` (the API serves them from /graph/static/).

pyvis's `add_node`/`add_edge` check membership in Python lists (quadratic); at 10,000 nodes
that alone takes seconds, so nodes and edges go through pyvis's Node/Edge classes and are
appended with a dict index instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape

from kg.analysis.projection import Projection
from kg.analysis.status import Status, StatusIndex
from kg.analysis.vocab import STATE_LABELS
from kg.graphs.lanes import FONT_PX, NODE_RADIUS, LaneLayout, lane_layout
from kg.graphs.layout import time_layers
from kg.graphs.style import (
    EDGE_STYLES,
    KIND_LABELS,
    KIND_SHAPES,
    KIND_SIZES,
    LABELLED_EDGES,
    legend,
    node_colour,
)
from kg.graphs.views import View

if TYPE_CHECKING:
    from pyvis.network import Network

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
TEMPLATE_DIR = HERE / "templates"
DEFAULT_LINK_PREFIX = "/id/"
_OUTCOMES = {"adopted": "angenommen", "rejected": "abgelehnt",
             "taken_note": "zur Kenntnis genommen"}


@dataclass(frozen=True)
class RenderOptions:
    base_iri: str
    link_prefix: str = DEFAULT_LINK_PREFIX  # resource pages: link_prefix + IRI path after base
    on: dt.date | None = None  # status date (default: today)
    inline_assets: bool = True
    asset_url: str = "/graph/static/"
    height: str = "calc(100vh - 48px)"
    embed: bool = False  # no header, a compact legend (for iframes in resource pages)
    cluster: str = "auto"  # auto (from CLUSTER_FROM nodes in a lane view) | on | off


LANE_LAYOUTS = ("lanes", "timeline")
# Nodes from which a lane view opens clustered (one node per chain and per year); below it the
# page opens at a zoom where labels are readable.
CLUSTER_FROM = 600
# Smaller groups stay open: collapsing two nodes into one saves little and costs a cluster
# (vis-network builds a node and edges for each, about 2 ms).
MIN_GROUP = 3
READABLE_PX = 11.5  # smallest on-screen label size the page opens with


def resource_url(iri: str, base_iri: str, link_prefix: str = DEFAULT_LINK_PREFIX) -> str:
    """Where the page of `iri` lives: data IRIs map to `link_prefix` + path after the base;
    other IRIs (EU acts' ELI) are their own page."""
    if iri.startswith(base_iri):
        return link_prefix + iri[len(base_iri):]
    return iri


def _tooltip(proj: Projection, iri: str, status: Status | None) -> str:
    d = proj.node(iri)
    kind = d.get("kind", "")
    lines = [f"{KIND_LABELS.get(kind, (kind,))[0]} {proj.label(iri)}"]
    if d.get("title"):
        lines.append(str(d["title"]))
    if kind in ("resolution", "session") and d.get("date"):
        lines.append(f"Datum: {d['date']:%d.%m.%Y}")
    if d.get("outcome"):
        lines.append(f"Ergebnis: {_OUTCOMES.get(d['outcome'], d['outcome'])}")
    if d.get("name") and d.get("name") != d.get("label"):
        lines.append(str(d["name"]))
    if status is not None:
        lines.append(f"Status: {status.label('de')}")
        lines.extend("  " + r.text("de") for r in status.reasons)
    if kind == "resolution" and len(d.get("titles", [])) > 1:
        lines.append("Titel laut Quellen: " + " | ".join(d["titles"]))
    return "\n".join(lines)


def build_network(proj: Projection, view: View, opts: RenderOptions) -> Network:
    # pyvis (and the IPython it imports) only when a graph is drawn: not by every web front
    from pyvis.edge import Edge  # noqa: PLC0415
    from pyvis.network import Network  # noqa: PLC0415
    from pyvis.node import Node  # noqa: PLC0415

    on = opts.on or dt.date.today()
    index = StatusIndex(proj)
    statuses: dict[str, Status] = {}
    for n in view.nodes:
        kind = proj.node(n).get("kind")
        if kind == "resolution":
            statuses[n] = index.resolution(n, on)
    for n in view.nodes:
        if proj.node(n).get("kind") == "point":
            parent = proj.resolution_of(n)
            statuses[n] = index.point(n, on, statuses.get(parent))
    positions: dict = {}
    lanes: LaneLayout | None = None
    if view.layout == "layered":
        positions = time_layers(proj, view.nodes)
    elif view.layout in LANE_LAYOUTS:
        lanes = lane_layout(proj, view.nodes)
        positions = lanes.positions
    net = Network(height=opts.height, width="100%", directed=True, heading=view.title)
    index_of: dict[str, dict] = {}
    for n in view.nodes:
        d = proj.node(n)
        kind = d.get("kind", "resolution")
        status = statuses.get(n)
        colour = node_colour(kind, status.state if status else None)
        label = proj.label(n) if kind != "point" else f"Z. {d.get('number')}"
        extra: dict[str, object] = {
            "title": _tooltip(proj, n, status),
            "color": {"background": colour, "border": "#37474f" if n == view.focus else colour,
                      "highlight": {"background": colour, "border": "#000000"}},
            "size": (NODE_RADIUS.get(kind, KIND_SIZES.get(kind, 12)) if lanes else
                     KIND_SIZES.get(kind, 12)) * (1.4 if n == view.focus else 1),
            "url": resource_url(n, opts.base_iri, opts.link_prefix),
            "kind": kind,
            "borderWidth": 3 if n == view.focus else 1,
        }
        if status is not None:
            extra["state"] = status.state
        if kind == "session":
            extra["font"] = {"color": "#ffffff"}
        if d.get("loaded") is False and kind == "resolution":
            extra["shapeProperties"] = {"borderDashes": [4, 3]}
            extra["color"] = {"background": "#ffffff", "border": colour,  # type: ignore[dict-item]
                              "highlight": {"background": "#eeeeee", "border": "#000000"}}
            extra["borderWidth"] = 2
        if n in positions:
            extra["x"], extra["y"] = positions[n]
            extra["physics"] = False
        if lanes is not None and n in lanes.group:
            extra["cid"] = lanes.group[n]
        node = Node(n, KIND_SHAPES.get(kind, "dot"), label=label, **extra)
        net.nodes.append(node.options)
        net.node_ids.append(n)
        index_of[n] = node.options
    if lanes is not None:
        _year_markers(net, lanes)
    net.node_map = index_of
    relations_shown = set()
    column: float | None = None  # the narrowest gap between columns, once needed
    for k, e in enumerate(view.edges):
        style = EDGE_STYLES[e.relation]
        relations_shown.add(e.relation)
        label = ""
        if e.relation in LABELLED_EDGES:
            label = style.label_de + (f" Z. {', '.join(e.points)}" if e.points else "")
        options: dict[str, object] = {
            "id": f"e{k}", "relation": e.relation,
            "color": {"color": style.colour, "highlight": "#000000"},
            "width": style.width, "dashes": style.dashes,
            "title": f"{proj.label(e.source)} {style.label_de} {proj.label(e.target)}"
                     + (f" (Ziffer {', '.join(e.points)})" if e.points else ""),
        }
        if label:
            options["label"] = label
        if e.relation in ("part_of", "sub_point_of"):
            options["arrows"] = {"to": {"enabled": False}}
        elif e.source in positions and e.target in positions and len(view.nodes) < 1000:
            # in a fixed layout a straight edge that skips a column runs through the nodes
            # between; bend it (small graphs only: curves cost drawing time)
            (x1, y1), (x2, y2) = positions[e.source], positions[e.target]
            if column is None:
                column = _column_width(sorted(lanes.axis.x_of.values()) if lanes else
                                       [x for x, _ in positions.values()])
            if abs(x1 - x2) > 1.5 * column and abs(y1 - y2) < 1:
                options["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": 0.3}
        edge = Edge(e.source, e.target, directed=True, **options)
        net.edges.append(edge.options)
    # a precomputed layout even when empty: a simulation of nothing never says it settled
    net.options = _options(view, len(view.nodes), bool(positions) or view.layout != "physics")
    net.legend = legend({proj.node(n).get("kind", "") for n in view.nodes},  # type: ignore[attr-defined]
                        {s.state for s in statuses.values()}, relations_shown)
    net.status_on = on  # type: ignore[attr-defined]
    net.lanes = lanes  # type: ignore[attr-defined]
    return net


def _column_width(xs_seen: list[float]) -> float:
    xs = sorted({round(x, 3) for x in xs_seen})
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False) if b - a > 1]
    return min(gaps) if gaps else float("inf")


def _year_markers(net: Network, lanes: LaneLayout) -> None:
    """Text nodes naming each year above the middle of its columns (a time axis), spaced by
    the axis so that no two overlap."""
    from pyvis.node import Node  # noqa: PLC0415 (see build_network)

    for year in lanes.years:
        net.nodes.append(Node(f"jahr:{year.year}", "text", label=str(year.year), x=year.x,
                              y=lanes.year_y, physics=False, kind="year",
                              font={"size": year.font_px, "color": "#455a64"},
                              title=f"Jahr {year.year}").options)
        net.node_ids.append(f"jahr:{year.year}")


def _options(view: View, n: int, fixed: bool) -> dict[str, object]:
    big = n >= 1000
    options: dict[str, object] = {
        "nodes": {"font": {"size": FONT_PX, "face": "system-ui, sans-serif"}},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "font": {"size": 12, "align": "middle", "background": "rgba(255,255,255,0.8)"},
            # straight edges are drawn much faster; curves only where they help reading
            "smooth": False if big or fixed else {"enabled": True, "type": "dynamic"},
        },
        "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False,
                        "keyboard": {"enabled": True, "bindToWindow": False}},
        "layout": {"improvedLayout": not big and not fixed, "randomSeed": 7},
    }
    if fixed:
        options["physics"] = {"enabled": False}
    else:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "centralGravity": 0.01,
                                 "springLength": 110, "springConstant": 0.08,
                                 "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": 400 if n < 150 else 200,
                              "updateInterval": 25, "fit": True},
            "minVelocity": 0.75,
        }
    return options


@cache
def _environment() -> Environment:
    # one per process: compiling the template takes longer than filling it
    return Environment(loader=FileSystemLoader(TEMPLATE_DIR),
                       autoescape=select_autoescape(["html"]))


def render_html(proj: Projection, view: View, opts: RenderOptions) -> str:
    net = build_network(proj, view, opts)
    nodes, edges, heading, height, _width, _options_json = net.get_network_data()
    template = _environment().get_template("graph.html")
    graph = {
        "nodes": nodes, "edges": edges, "options": net.options,
        "legend": net.legend,  # type: ignore[attr-defined]
        "focus": view.focus,
        "meta": {"nodes": sum(1 for n in nodes if n.get("kind") != "year"),
                 "edges": len(edges), "title": heading,
                 "on": f"{net.status_on:%d.%m.%Y}", "layout": view.layout,  # type: ignore[attr-defined]
                 "states": {k: v[0] for k, v in STATE_LABELS.items()},
                 "readable_px": READABLE_PX, "font_px": FONT_PX},
        "lanes": _lanes_data(net.lanes, len(view.nodes), opts),  # type: ignore[attr-defined]
    }
    context: dict[str, object] = {"title": heading, "graph": graph, "height": height,
                                  "inline_assets": opts.inline_assets,
                                  "asset_url": opts.asset_url, "embed": opts.embed}
    if opts.inline_assets:
        context["vis_js"] = (STATIC_DIR / "vis-network.min.js").read_text(encoding="utf-8")
        context["vis_css"] = (STATIC_DIR / "vis-network.css").read_text(encoding="utf-8")
    return template.render(**context)


def _lanes_data(lanes: LaneLayout | None, n: int, opts: RenderOptions) -> dict[str, object]:
    """What the page draws behind a lane view (bands, headings, year separators) and how it
    clusters it."""
    if lanes is None:
        return {"bands": [], "headings": [], "groups": {}, "cluster": False,
                "hidden_relations": []}
    cluster = opts.cluster == "on" or (opts.cluster == "auto" and n >= CLUSTER_FROM)
    return {
        "bands": [[b.key, b.label, b.kind, round(b.x0, 1), round(b.y0, 1), round(b.x1, 1),
                   round(b.y1, 1)] for b in lanes.bands],
        "headings": [[text, round(x, 1), round(y, 1)] for text, x, y in lanes.headings],
        "groups": {k: [g.label, round(g.x, 1), round(g.y, 1), g.size]
                   for k, g in lanes.groups.items() if g.size >= MIN_GROUP},
        "cluster": cluster,
        # thousands of plain citations hide the changes the lanes are about: off at first,
        # one click on the legend brings them back
        "hidden_relations": ["cites"] if n >= CLUSTER_FROM else [],
        "year_bounds": [round(x, 1) for x in lanes.year_bounds],
    }
