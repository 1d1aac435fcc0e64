"""Positions computed in Python, for views that must not depend on the browser's physics:
the chain view (time runs left to right) and the static export of small views. The
all-resolutions view and the timeline have a layout of their own (lanes.py).

Time-ordered layered layout: each distinct effect date of a resolution is a column (rank, not
calendar distance, so that fifteen quiet years do not push the present off screen); the
resolutions of one date are stacked in the column; points hang below their resolution;
sessions sit above their column; bodies, Länder, acts and laws form a row underneath.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

from kg.analysis.projection import Projection
from kg.analysis.status import effect_date

Positions = dict[str, tuple[float, float]]


def time_layers(proj: Projection, nodes: list[str], *, column: float = 180.0,
                row: float = 70.0, point_row: float = 34.0) -> Positions:
    g = proj.graph
    resolutions = [n for n in nodes if g.nodes[n].get("kind") == "resolution"]
    node_set = set(nodes)

    def when(r: str) -> dt.date:
        d, _ = effect_date(proj, r)
        return d or dt.date.max

    dates = sorted({when(r) for r in resolutions})
    rank = {d: i for i, d in enumerate(dates)}
    pos: Positions = {}
    stacks: dict[int, float] = defaultdict(float)
    points_of: dict[str, list[str]] = defaultdict(list)
    for n in nodes:
        if g.nodes[n].get("kind") == "point":
            points_of[proj.resolution_of(n)].append(n)
    for r in sorted(resolutions, key=lambda r: (when(r), proj.label(r))):
        col = rank[when(r)]
        y = stacks[col]
        pos[r] = (col * column, y)
        pts = sorted(points_of.get(r, ()), key=lambda p: proj.label(p))
        for k, p in enumerate(pts, start=1):
            # alternate left/right of the resolution so a column stays narrow
            side = -1 if k % 2 else 1
            pos[p] = (col * column + side * column * 0.22, y + k * point_row)
        stacks[col] = y + row + len(pts) * point_row
    orphans = [n for n in nodes if g.nodes[n].get("kind") == "point" and n not in pos]
    bottom = max((y for _, y in pos.values()), default=0.0) + 2 * row
    for k, p in enumerate(sorted(orphans)):
        pos[p] = (k * column * 0.5, bottom)
    if orphans:
        bottom += row
    sessions = [n for n in nodes if g.nodes[n].get("kind") == "session"]
    for s in sessions:
        members = [u for u, _, key in g.in_edges(s, keys=True) if key == "session" and u in pos]
        x = min((pos[m][0] for m in members), default=0.0)
        pos[s] = (x, -1.5 * row)
    others = [n for n in nodes if n not in pos and n in node_set]
    width = max((x for x, _ in pos.values()), default=0.0)
    per_row = max(1, int(width // (column * 0.6)) + 1)
    for k, n in enumerate(sorted(others, key=lambda n: (g.nodes[n].get("kind", ""),
                                                        proj.label(n)))):
        pos[n] = ((k % per_row) * column * 0.6, bottom + row + (k // per_row) * row)
    return pos


def force_layout(nodes: list[str], edges: list[tuple[str, str]], *, seed: int = 7,
                 iterations: int | None = None, spacing: float = 90.0) -> Positions:
    """Fruchterman–Reingold in plain Python (no numpy in the project), seeded, for the static
    export of small views (O(n²) per iteration: meant for a few hundred nodes)."""
    import random  # noqa: PLC0415

    n = len(nodes)
    if n == 0:
        return {}
    rng = random.Random(seed)
    side = spacing * math.sqrt(n)
    pos = {v: [rng.uniform(0, side), rng.uniform(0, side)] for v in nodes}
    k = spacing
    steps = iterations or (120 if n <= 150 else 60 if n <= 400 else 25)
    temperature = side / 8
    neighbours = [(a, b) for a, b in edges if a in pos and b in pos and a != b]
    for _ in range(steps):
        disp = {v: [0.0, 0.0] for v in nodes}
        for i, a in enumerate(nodes):
            ax, ay = pos[a]
            da = disp[a]
            for b in nodes[i + 1:]:
                dx, dy = ax - pos[b][0], ay - pos[b][1]
                dist2 = dx * dx + dy * dy or 0.01
                f = k * k / dist2  # repulsion k²/d, as a factor of (dx, dy)/d
                da[0] += dx * f
                da[1] += dy * f
                disp[b][0] -= dx * f
                disp[b][1] -= dy * f
        for a, b in neighbours:
            dx, dy = pos[a][0] - pos[b][0], pos[a][1] - pos[b][1]
            dist = math.hypot(dx, dy) or 0.1
            f = dist / k  # attraction d²/k, as a factor of (dx, dy)/d
            disp[a][0] -= dx * f
            disp[a][1] -= dy * f
            disp[b][0] += dx * f
            disp[b][1] += dy * f
        for v in nodes:
            dx, dy = disp[v]
            length = math.hypot(dx, dy) or 1.0
            step = min(length, temperature)
            pos[v][0] += dx / length * step
            pos[v][1] += dy / length * step
        temperature = max(temperature * 0.95, 1.0)
    return {v: (p[0], p[1]) for v, p in pos.items()}
