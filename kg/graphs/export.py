"""Static images of graph views for reports.

SVG is drawn here, in Python, from the same styles as the interactive page (so it needs no
browser and is byte-for-byte reproducible): chains and timelines use the time-ordered layered
layout, other views a seeded spring layout. PNG is a screenshot of the interactive page in
headless Chromium, once the network has settled.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from kg.analysis.projection import Projection
from kg.analysis.status import Status, StatusIndex
from kg.graphs.lanes import LaneLayout, lane_layout
from kg.graphs.layout import Positions, force_layout, time_layers
from kg.graphs.render import RenderOptions, resource_url
from kg.graphs.style import (
    EDGE_STYLES,
    KIND_SHAPES,
    KIND_SIZES,
    LABELLED_EDGES,
    legend,
    node_colour,
)
from kg.graphs.views import View

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class ExportError(Exception):
    """An image could not be made; the message says what is missing."""


def _positions(proj: Projection, view: View) -> tuple[Positions, LaneLayout | None]:
    if view.layout in ("lanes", "timeline"):
        lanes = lane_layout(proj, view.nodes)
        return lanes.positions, lanes
    if view.layout == "layered":
        return time_layers(proj, view.nodes), None
    if len(view.nodes) > 600:  # a force layout in pure Python would take minutes
        lanes = lane_layout(proj, view.nodes)
        return lanes.positions, lanes
    return force_layout(view.nodes, [(e.source, e.target) for e in view.edges]), None


def _svg_lanes(lanes: LaneLayout) -> list[str]:
    """Behind the nodes: a shaded band per chain and per year of unchained resolutions, the
    section headings, and the time axis (a label per year, spaced so that none overlaps)."""
    out = []
    for k, b in enumerate(lanes.bands):
        fill = "#1565c0" if b.kind == "chain" else "#607d8b"
        out.append(f'<rect x="{b.x0:.1f}" y="{b.y0:.1f}" width="{b.x1 - b.x0:.1f}" '
                   f'height="{b.y1 - b.y0:.1f}" fill="{fill}" '
                   f'fill-opacity="{0.07 if k % 2 else 0.12}"/>')
    for text, x, y in lanes.headings:
        out.append(f'<text x="{x:.1f}" y="{y - 10:.1f}" font-size="14" font-weight="bold" '
                   f'fill="#37474f">{escape(text)}</text>')
    out.extend(f'<text x="{y.x:.1f}" y="{lanes.year_y:.1f}" font-size="{y.font_px:.0f}" '
               f'fill="#455a64" text-anchor="middle" dominant-baseline="middle">{y.year}</text>'
               for y in lanes.years)
    return out


def _shape(shape: str, x: float, y: float, r: float, colour: str, dashed: bool) -> str:
    fill = "#ffffff" if dashed else colour
    stroke = f' stroke="{colour}" stroke-width="2"' + (' stroke-dasharray="4 3"' if dashed else "")

    def poly(points: list[tuple[float, float]]) -> str:
        pts = " ".join(f"{x + px:.1f},{y + py:.1f}" for px, py in points)
        return f'<polygon points="{pts}" fill="{fill}"{stroke}/>'

    if shape == "dot":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}"{stroke}/>'
    if shape == "square":
        return (f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" '
                f'height="{2 * r:.1f}" fill="{fill}"{stroke}/>')
    if shape == "box":
        return (f'<rect x="{x - 2.4 * r:.1f}" y="{y - r:.1f}" width="{4.8 * r:.1f}" '
                f'height="{2 * r:.1f}" rx="3" fill="{fill}"{stroke}/>')
    if shape == "diamond":
        return poly([(0, -r), (r, 0), (0, r), (-r, 0)])
    if shape == "triangle":
        return poly([(0, -r), (r, r * 0.8), (-r, r * 0.8)])
    if shape == "triangleDown":
        return poly([(0, r), (r, -r * 0.8), (-r, -r * 0.8)])
    if shape == "hexagon":
        return poly([(r * math.cos(a), r * math.sin(a))
                     for a in (math.pi / 3 * k for k in range(6))])
    if shape == "star":
        pts = []
        for k in range(10):
            rad = r if k % 2 == 0 else r * 0.45
            a = -math.pi / 2 + k * math.pi / 5
            pts.append((rad * math.cos(a), rad * math.sin(a)))
        return poly(pts)
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}"{stroke}/>'


def render_svg(proj: Projection, view: View, opts: RenderOptions) -> str:
    on = opts.on or dt.date.today()
    index = StatusIndex(proj)
    statuses: dict[str, Status] = {}
    for n in view.nodes:
        if proj.node(n).get("kind") == "resolution":
            statuses[n] = index.resolution(n, on)
    for n in view.nodes:
        if proj.node(n).get("kind") == "point":
            statuses[n] = index.point(n, on, statuses.get(proj.resolution_of(n)))
    pos, lanes = _positions(proj, view)
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    if lanes is not None and lanes.years:
        ys.append(lanes.year_y - lanes.years[0].font_px)
    margin, legend_w, head = 60.0, 230.0, 50.0
    min_x, min_y = min(xs) - margin, min(ys) - margin - head
    width = max(xs) - min_x + margin + legend_w
    height = max(max(ys) - min_y + margin, 420.0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
             f'viewBox="{min_x:.1f} {min_y:.1f} {width:.1f} {height:.1f}" '
             f'width="{width:.0f}" height="{height:.0f}" font-family="sans-serif">',
             f'<rect x="{min_x:.1f}" y="{min_y:.1f}" width="{width:.1f}" height="{height:.1f}" '
             'fill="#ffffff"/>', "<defs>"]
    colours = sorted({EDGE_STYLES[e.relation].colour for e in view.edges})
    for k, colour in enumerate(colours):
        parts.append(f'<marker id="arrow{k}" viewBox="0 0 10 10" refX="10" refY="5" '
                     f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
                     f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>')
    parts.append("</defs>")
    parts.append(f'<text x="{min_x + margin / 2:.1f}" y="{min_y + 28:.1f}" font-size="18" '
                 f'font-weight="bold">{escape(view.title)} — Status am {on:%d.%m.%Y}</text>')
    if lanes is not None:
        parts.extend(_svg_lanes(lanes))
    for e in view.edges:
        if e.source not in pos or e.target not in pos:
            continue
        style = EDGE_STYLES[e.relation]
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        r = KIND_SIZES.get(proj.node(e.target).get("kind", ""), 12)
        d = math.hypot(x2 - x1, y2 - y1) or 1.0
        x2s, y2s = x2 - (x2 - x1) / d * (r + 2), y2 - (y2 - y1) / d * (r + 2)
        dash = ' stroke-dasharray="6 4"' if style.dashes else ""
        arrow = "" if e.relation in ("part_of", "sub_point_of") else \
            f' marker-end="url(#arrow{colours.index(style.colour)})"'
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2s:.1f}" y2="{y2s:.1f}" '
                     f'stroke="{style.colour}" stroke-width="{style.width}"{dash}{arrow}/>')
        if e.relation in LABELLED_EDGES:
            label = style.label_de + (f" Z. {', '.join(e.points)}" if e.points else "")
            parts.append(f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 4:.1f}" '
                         f'font-size="10" fill="{style.colour}" text-anchor="middle">'
                         f'{escape(label)}</text>')
    for n in view.nodes:
        if n not in pos:
            continue
        d = proj.node(n)
        kind = d.get("kind", "resolution")
        status = statuses.get(n)
        colour = node_colour(kind, status.state if status else None)
        x, y = pos[n]
        r = KIND_SIZES.get(kind, 12) * (1.3 if n == view.focus else 1)
        label = proj.label(n) if kind != "point" else f"Z. {d.get('number')}"
        tip = f"{proj.label(n)}" + (f" — {d['title']}" if d.get("title") else "") + \
            (f" — {status.label('de')}" if status else "")
        url = resource_url(n, opts.base_iri, opts.link_prefix)
        dashed = kind == "resolution" and d.get("loaded") is False
        parts.append(f"<a xlink:href={quoteattr(url)}><g><title>{escape(tip)}</title>"
                     + _shape(KIND_SHAPES.get(kind, "dot"), x, y, r, colour, dashed)
                     + f'<text x="{x:.1f}" y="{y + r + 12:.1f}" font-size="11" '
                       f'text-anchor="middle">{escape(label)}</text></g></a>')
    parts.extend(_svg_legend(proj, view, statuses, max(xs) + margin, min_y + head))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _svg_legend(proj: Projection, view: View, statuses: dict[str, Status], x: float,
                y: float) -> list[str]:
    data = legend({proj.node(n).get("kind", "") for n in view.nodes},
                  {s.state for s in statuses.values()}, {e.relation for e in view.edges})
    out = []
    row = y
    for title, key in (("Status", "states"), ("Art", "kinds"), ("Beziehung", "edges")):
        if not data[key]:
            continue
        out.append(f'<text x="{x:.1f}" y="{row:.1f}" font-size="12" font-weight="bold">'
                   f"{title}</text>")
        row += 16
        for entry in data[key]:
            if key == "edges":
                dash = ' stroke-dasharray="4 3"' if entry["dashes"] else ""
                out.append(f'<line x1="{x:.1f}" y1="{row - 4:.1f}" x2="{x + 22:.1f}" '
                           f'y2="{row - 4:.1f}" stroke="{entry["colour"]}" '
                           f'stroke-width="{max(1, entry["width"])}"{dash}/>')
            else:
                shape = entry.get("shape", "dot")
                out.append(_shape(shape, x + 8, row - 4, 6, entry["colour"], False))
            out.append(f'<text x="{x + 28:.1f}" y="{row:.1f}" font-size="11">'
                       f'{escape(entry["de"])}</text>')
            row += 16
        row += 8
    return out


def chromium_path() -> str:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    found = shutil.which("chromium")
    if found:
        return found
    raise ExportError("PNG export needs Chromium (/usr/bin/chromium); install it with "
                      "`apt-get install -y chromium`, or export .svg instead")


def render_png(html: str, target: Path, *, width: int = 1600, height: int = 1000,
               timeout_s: float = 120.0) -> None:
    """Open the page in headless Chromium, wait until the network has settled, screenshot."""
    try:
        from playwright.sync_api import Error as PlaywrightError  # noqa: PLC0415
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError as exc:
        raise ExportError("PNG export needs the Python package playwright") from exc
    executable = chromium_path()
    with tempfile.TemporaryDirectory(prefix="kg-graph-") as tmp:
        page_path = Path(tmp) / "graph.html"
        page_path.write_text(html, encoding="utf-8")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": width, "height": height})
                    page.goto(page_path.as_uri())
                    page.wait_for_function("window.graphReady === true",
                                           timeout=timeout_s * 1000)
                    page.screenshot(path=str(target))
                finally:
                    browser.close()
        except PlaywrightError as exc:
            raise ExportError(f"Chromium could not render the page: {exc}") from exc
