"""The lane layout of the all-resolutions view and the timeline: supersession structure at a
glance, positions computed here (physics off), so that thousands of nodes paint at once and
look the same on every load.

- Time runs left to right: x is the decision date on the time axis (kg/graphs/timeaxis.py).
- Every chain of changes (repeal, replacement, amendment, continuation, extension;
  kg.analysis.dependencies.chains) is a lane: one horizontal band whose members sit on one
  line in date order; members of the same date stack inside the band. Chains that do not
  overlap in time share a row of bands (first fit by start date, as in a Gantt chart), so two
  hundred short chains do not make the page two hundred rows high.
- Resolutions in no chain sit below the chains, by date, in one band per year.
- Points a view shows hang under their resolution; acts, laws and other bodies' decisions form
  a packed row at the bottom, each under the resolutions that cite it; sessions sit above.

Each node gets a group (its chain, or the year of an unchained resolution) that the page uses
to cluster a large graph.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from kg.analysis.dependencies import chains
from kg.analysis.projection import Projection
from kg.graphs.layout import Positions
from kg.graphs.timeaxis import TimeAxis, YearLabel, build_axis, text_width

FONT_PX = 14.0  # node labels, canvas pixels; the page draws them at this size
NODE_RADIUS = {"resolution": 12.0, "point": 7.0}
ROW = 58.0  # a resolution: its dot and the label under it
POINT_ROW = 32.0
BAND_GAP = 26.0  # between rows of lanes
SECTION_GAP = 110.0  # between chains, unchained resolutions and the row of acts
TRACK_GAP_X = 60.0  # between two chains that share a row
CLUSTER_PAD = 24.0  # a group's box around its label
UNCHAINED_ROWS = 6  # a session's unchained resolutions wrap into columns of this many, if room


@dataclass(frozen=True)
class Band:
    """A rectangle the page shades behind a lane, with its label (canvas coordinates)."""

    key: str  # "chain:N", "year:YYYY" or "leaves"
    label: str
    kind: str  # chain | unchained | leaves
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Group:
    """What a chain or a year of unchained resolutions collapses into on the page."""

    label: str
    x: float
    y: float
    size: int


@dataclass
class LaneLayout:
    positions: Positions
    axis: TimeAxis
    group: dict[str, str] = field(default_factory=dict)  # node -> cluster group
    groups: dict[str, Group] = field(default_factory=dict)
    bands: list[Band] = field(default_factory=list)
    headings: list[tuple[str, float, float]] = field(default_factory=list)  # text, x, y
    year_y: float = 0.0
    year_bounds: list[float] = field(default_factory=list)  # x of a line between two years

    @property
    def years(self) -> list[YearLabel]:
        return self.axis.years


def decision_date(proj: Projection, iri: str) -> dt.date | None:
    """The decision date; for a resolution known only as a reference target, the first of
    January of the year in its number (the register and protocols date nearly all others)."""
    d = proj.node(iri)
    if d.get("date"):
        return d["date"]
    if d.get("effective_from"):
        return d["effective_from"]
    rid = str(d.get("id") or "")
    return dt.date(int(rid[:4]), 1, 1) if rid[:4].isdigit() else None


def label_width(proj: Projection, iri: str) -> float:
    d = proj.node(iri)
    kind = d.get("kind", "")
    label = proj.label(iri) if kind != "point" else f"Z. {d.get('number')}"
    return max(text_width(label, FONT_PX), 2 * NODE_RADIUS.get(kind, 12.0))


def lane_layout(proj: Projection, nodes: list[str]) -> LaneLayout:
    g = proj.graph
    node_set = set(nodes)
    resolutions = [n for n in nodes if g.nodes[n].get("kind") == "resolution"]
    points_of: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        if g.nodes[n].get("kind") == "point" and proj.resolution_of(n) in node_set:
            points_of[proj.resolution_of(n)].append(n)
    known = {r: decision_date(proj, r) for r in resolutions}
    # no date and no year in the number: at the newest date, rather than off the axis
    latest = max((d for d in known.values() if d), default=dt.date(dt.date.today().year, 1, 1))
    when = {r: d or latest for r, d in known.items()}
    name = {r: proj.label(r) for r in resolutions}  # sort keys, read many times
    in_view = [[m for m in c.members if m in node_set] for c in chains(proj)]
    lanes = [m for m in in_view if len(m) > 1]
    chained = {r for m in lanes for r in m}
    half: dict[dt.date, float] = defaultdict(float)
    for r in resolutions:
        widths = [max(text_width(name[r], FONT_PX), 2 * NODE_RADIUS["resolution"])]
        widths += [label_width(proj, p) for p in points_of.get(r, ())]
        half[when[r]] = max(half[when[r]], max(widths) / 2)
    unchained_at: dict[dt.date, list[str]] = defaultdict(list)
    for r in resolutions:
        if r not in chained:
            unchained_at[when[r]].append(r)
    axis = build_axis(half)
    column = {d: 2 * half[d] + 14 for d in half}  # a column of labels and its margin
    # a session of twenty unchained resolutions: a block of columns rather than one tall
    # stack, as wide as the room to the neighbouring dates allows (the axis stays as it is,
    # so the chains above keep their spacing)
    columns: dict[dt.date, int] = {}
    extent = dict(half)  # half of what a date's column or block covers
    dates = sorted(half)
    left_edge = -1e9  # right edge of the block before, left to right: blocks never meet
    for k, d in enumerate(dates):
        wanted = -(-len(unchained_at.get(d, ())) // UNCHAINED_ROWS)
        nxt = dates[k + 1] if k + 1 < len(dates) else None
        # keep 30 px from the neighbours: room for the bands' edges and a year separator
        room = min(axis.x(d) - left_edge, axis.x(nxt) - half[nxt] - axis.x(d) if nxt else 1e9)
        room -= 30
        columns[d] = max(1, min(wanted, int(2 * room // column[d])))
        extent[d] = max(half[d], columns[d] * column[d] / 2)
        left_edge = axis.x(d) + extent[d]
    out = LaneLayout({}, axis, year_bounds=_year_bounds(axis, extent))

    def block(r: str) -> float:
        return ROW + POINT_ROW * len(points_of.get(r, ()))

    def place_stacked(members: list[str], y0: float) -> float:
        """Members at their dates from y0 down; the same date stacks. Returns the height."""
        stack: dict[dt.date, float] = defaultdict(float)
        for r in sorted(members, key=lambda r: (when[r], name[r])):
            y = y0 + stack[when[r]]
            x = axis.x(when[r])
            out.positions[r] = (x, y)
            pts = sorted(points_of.get(r, ()), key=lambda p: proj.label(p))
            for k, p in enumerate(pts, start=1):
                out.positions[p] = (x, y + k * POINT_ROW)
            stack[when[r]] += block(r)
        return max(stack.values(), default=0.0)

    # -- chains: one band each, bands packed into rows by time; by first date, so that the
    # last band of a row is always its rightmost (first fit holds)
    lanes.sort(key=lambda m: (min(when[r] for r in m), -len(m)))
    rows: list[list[tuple[float, float, list[str], str, str]]] = []  # (x0, x1, members, ...)
    for k, members in enumerate(lanes):
        ordered = sorted(members, key=lambda r: (when[r], name[r]))
        label = f"{name[ordered[0]]} … {name[ordered[-1]]}"
        first, last = when[ordered[0]], when[ordered[-1]]
        x0, x1 = axis.x(first) - half[first], axis.x(last) + half[last]
        # room for the group's box when the chain is collapsed
        x1 = max(x1, x0 + text_width(label, FONT_PX) + CLUSTER_PAD)
        key = f"chain:{k}"
        row = next((r for r in rows if r[-1][1] + TRACK_GAP_X <= x0), None)
        if row is None:
            rows.append([])
            row = rows[-1]
        row.append((x0, x1, members, key, label))
    y = 0.0
    for row in rows:
        heights = []
        for x0, x1, members, key, label in row:
            height = place_stacked(members, y)
            heights.append(height)
            box = text_width(label, FONT_PX) + CLUSTER_PAD
            # collapsed at the newest end: the page opens on the present
            out.groups[key] = Group(f"{label}\n{len(members)} Beschlüsse", x1 - box / 2, y,
                                    len(members))
            out.bands.append(Band(key, label, "chain", x0 - 8, y - ROW / 2 + 4, x1 + 8,
                                  y + height - ROW / 2 - 4))
            for r in members:
                out.group[r] = key
        y += max(heights) + BAND_GAP
    if rows:
        out.headings.append(("Änderungsketten · chains of changes", _left(axis), -ROW / 2))

    # -- resolutions in no chain: by date, one band per year
    unchained = [r for r in resolutions if r not in chained]
    if unchained:
        top = y + (SECTION_GAP if rows else 0.0)
        out.headings.append(("Ohne Änderungsbezug · not changed, changing nothing",
                             _left(axis), top - ROW / 2))
        height = 0.0
        for d, members in unchained_at.items():
            height = max(height, _place_grid(proj, sorted(members, key=lambda r: name[r]),
                                             axis.x(d), column[d], columns[d], top,
                                             points_of, out.positions))
        by_year: dict[int, list[str]] = defaultdict(list)
        for r in unchained:
            by_year[when[r].year].append(r)
        for year, members in sorted(by_year.items()):
            key = f"year:{year}"
            xs = [out.positions[r][0] for r in members]
            # the outer columns' labels, each as wide as its own date's column
            x0 = min(out.positions[r][0] - column[when[r]] / 2 for r in members)
            x1 = max(out.positions[r][0] + column[when[r]] / 2 for r in members)
            bottom = max(out.positions[r][1] + block(r) for r in members)  # this year's stack
            out.bands.append(Band(key, str(year), "unchained", x0 - 8, top - ROW / 2 + 4,
                                  x1 + 8, bottom - ROW / 2 - 4))
            out.groups[key] = Group(f"{year}\n{len(members)} Beschlüsse",
                                    (min(xs) + max(xs)) / 2, top, len(members))
            for r in members:
                out.group[r] = key
        y = top + height
    for r, key in list(out.group.items()):
        for p in points_of.get(r, ()):
            out.group[p] = key

    # -- everything else (acts, laws, other bodies, orphan points): a packed row at the bottom
    rest = [n for n in nodes if n not in out.positions and g.nodes[n].get("kind") != "session"]
    if rest:
        top = y + SECTION_GAP
        out.headings.append(("Rechtsakte, Gesetze, andere Gremien · acts, laws, other bodies",
                             _left(axis), top - ROW / 2))
        _pack_leaves(proj, rest, out.positions, top)
    sessions = [n for n in nodes if g.nodes[n].get("kind") == "session"]
    for s in sessions:
        members = [u for u, _, k in g.in_edges(s, keys=True) if k == "session"
                   and u in out.positions]
        x = min((out.positions[m][0] for m in members), default=_left(axis))
        out.positions[s] = (x, -1.6 * ROW)
    font = axis.years[0].font_px if axis.years else 40.0
    out.year_y = (-1.6 * ROW if sessions else 0.0) - ROW - font * 0.6
    return out


def _place_grid(proj: Projection, members: list[str], x: float, width: float, columns: int,
                top: float, points_of: dict[str, list[str]], pos: Positions) -> float:
    """One date's unchained resolutions in `columns` columns centred on the date's x, filled
    top to bottom; returns the height."""
    columns = min(columns, len(members))
    per_column = -(-len(members) // columns)
    height = 0.0
    for c in range(columns):
        cx = x + (c - (columns - 1) / 2) * width
        y = top
        for r in members[c * per_column:(c + 1) * per_column]:
            pos[r] = (cx, y)
            pts = sorted(points_of.get(r, ()), key=lambda p: proj.label(p))
            for k, p in enumerate(pts, start=1):
                pos[p] = (cx, y + k * POINT_ROW)
            y += ROW + POINT_ROW * len(pts)
        height = max(height, y - top)
    return height


def _year_bounds(axis: TimeAxis, half: dict[dt.date, float]) -> list[float]:
    """Halfway between the right edge of one year's last column and the left edge of the next
    year's first, so that a separator never cuts through a block of columns."""
    edges: dict[int, tuple[float, float]] = {}
    for d, x in axis.x_of.items():
        lo, hi = edges.get(d.year, (x - half[d], x + half[d]))
        edges[d.year] = (min(lo, x - half[d]), max(hi, x + half[d]))
    years = sorted(edges)
    return [(edges[a][1] + edges[b][0]) / 2 for a, b in zip(years, years[1:], strict=False)]


def _left(axis: TimeAxis) -> float:
    return min(axis.x_of.values(), default=0.0)


def _pack_leaves(proj: Projection, rest: list[str], pos: Positions, top: float) -> None:
    """Each under the mean x of the placed nodes that point to it; first-fit rows so that no
    two labels overlap."""
    g = proj.graph
    wanted: dict[str, float] = {}
    for n in rest:
        xs = [pos[u][0] for u, _ in g.in_edges(n) if u in pos]
        if g.nodes[n].get("kind") == "point":
            owner = proj.resolution_of(n)
            xs = [pos[owner][0]] if owner in pos else xs
        wanted[n] = sum(xs) / len(xs) if xs else 0.0
    ends: list[float] = []  # right edge of the last label per row
    for n in sorted(rest, key=lambda n: (wanted[n], proj.label(n))):
        w = label_width(proj, n) + 16
        x = wanted[n]
        row = next((k for k, end in enumerate(ends) if end <= x - w / 2), None)
        if row is None:
            ends.append(float("-inf"))
            row = len(ends) - 1
        ends[row] = x + w / 2
        pos[n] = (x, top + row * ROW)
