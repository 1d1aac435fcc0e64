"""Which nodes and edges a graph view shows, picked from the analysis projection.

A view never walks through hubs: sessions, bodies, Länder, acts and laws are included as
leaves but not expanded, otherwise one hop from any resolution would reach every resolution
the IT-Planungsrat ever passed.

Edges: the most specific relation per (source, target) is kept (`eli:cites` is materialised
for every reference and would double each arrow); a change to a point that the view does not
show is folded onto the point's resolution and the point numbers go into the label.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from kg.analysis.projection import Projection
from kg.analysis.vocab import SPECIFICITY

RELATION_KEYS = frozenset(SPECIFICITY)
CHANGE_KEYS = frozenset({"replaces", "repeals", "amends", "continues", "extends"})
LEAF_KINDS = frozenset({"session", "body", "land", "eu_act", "law", "external"})
STRUCTURAL_KEYS = frozenset({"part_of", "sub_point_of", "session", "passed_by", "assigns"})


@dataclass
class ViewEdge:
    source: str
    target: str
    relation: str
    points: tuple[str, ...] = ()  # folded target points


@dataclass
class View:
    title: str
    nodes: list[str]
    edges: list[ViewEdge]
    layout: str = "physics"  # physics | layered | lanes | timeline (lanes of change edges)
    focus: str | None = None
    meta: dict[str, object] = field(default_factory=dict)


def _select_edges(proj: Projection, nodes: set[str], relations: frozenset[str],
                  structural: frozenset[str]) -> list[ViewEdge]:
    g = proj.graph
    gathered: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    out: list[ViewEdge] = []
    for u, v, key in g.edges(keys=True):
        if u not in nodes:
            continue
        if key in structural and v in nodes:
            out.append(ViewEdge(u, v, key))
            continue
        if key not in relations:
            continue
        target = v
        point = None
        if v not in nodes and g.nodes[v].get("kind") == "point":
            target = proj.resolution_of(v)
            point = g.nodes[v].get("number")
        if target not in nodes or target == u:
            continue
        bucket = gathered[(u, target)][key]
        if point:
            bucket.add(point)
    by_source_resolution: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (u, t), rels in gathered.items():
        by_source_resolution[(u, proj.resolution_of(t))].update(rels)
    for (u, t), rels in gathered.items():
        relation = next(r for r in SPECIFICITY if r in rels)
        if relation == "cites" and by_source_resolution[(u, proj.resolution_of(t))] - {"cites"}:
            continue  # the same reference is drawn with its specific relation
        out.append(ViewEdge(u, t, relation, tuple(sorted(rels[relation]))))
    # in a fixed order, not the store's (Virtuoso's differs from Oxigraph's)
    return sorted(out, key=lambda e: (e.source, e.target, e.relation, e.points))


# Edges through which leaves join a view. `passed_by` is left out: every council resolution
# is passed by the IT-Planungsrat, so that node would only pull every arrow to the middle.
LEAF_KEYS = frozenset(RELATION_KEYS | {"session", "assigns"})


def _leaves(proj: Projection, resolutions: set[str], kinds: frozenset[str],
            keys: frozenset[str] = LEAF_KEYS) -> set[str]:
    g = proj.graph
    leaves = set()
    for r in resolutions:
        for _, v, key in g.out_edges(r, keys=True):
            if key in keys and g.nodes[v].get("kind") in kinds:
                leaves.add(v)
    return leaves


def neighbourhood(proj: Projection, iri: str, hops: int = 1, *, points: bool = True,
                  leaves: frozenset[str] = frozenset({"session", "eu_act", "law", "external",
                                                      "body", "land"})) -> View:
    """The resolution, everything within `hops` reference steps (either direction), their
    points (if `points`) and their sessions, bodies, acts as leaves."""
    g = proj.graph
    seen = {iri}
    frontier = {iri}
    for _ in range(hops):
        nxt = set()
        for r in frontier:
            for t in (r, *proj.points_of(r)):
                for a, _, key in g.in_edges(t, keys=True):
                    if key in RELATION_KEYS and g.nodes[a].get("kind") == "resolution":
                        nxt.add(a)
                for _, b, key in g.out_edges(t, keys=True):
                    if key in RELATION_KEYS:
                        target = proj.resolution_of(b)
                        if g.nodes[target].get("kind") == "resolution":
                            nxt.add(target)
        frontier = nxt - seen
        seen |= nxt
    nodes = set(seen)
    if points:
        for r in seen:
            nodes.update(proj.points_of(r))
    nodes |= _leaves(proj, seen, leaves)
    nodes = _drop_unconnected_leaves(proj, nodes, seen)
    edges = _select_edges(proj, nodes, RELATION_KEYS, STRUCTURAL_KEYS - {"passed_by"})
    return View(f"Umfeld von {proj.label(iri)} ({hops} Schritt{'e' if hops != 1 else ''})",
                _ordered(proj, nodes), edges, "physics", iri)


def _drop_unconnected_leaves(proj: Projection, nodes: set[str], core: set[str]) -> set[str]:
    """Acts and laws only cited by a resolution outside the view are left out."""
    g = proj.graph
    keep = set()
    for n in nodes:
        if g.nodes[n].get("kind") in LEAF_KINDS:
            if any(u in core for u, _ in g.in_edges(n)):
                keep.add(n)
        else:
            keep.add(n)
    return keep


def session_view(proj: Projection, number: int, *, points: bool = True) -> View:
    g = proj.graph
    session = next((n for n, d in g.nodes(data=True)
                    if d.get("kind") == "session" and d.get("number") == number), None)
    if session is None:
        raise KeyError(f"no session {number} in the store")
    resolutions = {u for u, _, k in g.in_edges(session, keys=True) if k == "session"}
    targets = set()
    for r in resolutions:
        for t in (r, *proj.points_of(r)):
            for _, b, key in g.out_edges(t, keys=True):
                if key in RELATION_KEYS:
                    target = proj.resolution_of(b)
                    if g.nodes[target].get("kind") in ("resolution", "external", "eu_act", "law"):
                        targets.add(target)
    nodes = {session} | resolutions | targets
    if points:
        for r in resolutions:
            nodes.update(proj.points_of(r))
    nodes |= _leaves(proj, resolutions, frozenset({"body", "land"}))
    edges = _select_edges(proj, nodes, RELATION_KEYS, STRUCTURAL_KEYS - {"passed_by"})
    date = g.nodes[session].get("date")
    when = f" am {date:%d.%m.%Y}" if date else ""
    return View(f"{number}. Sitzung{when}", _ordered(proj, nodes), edges, "physics", session)


def all_view(proj: Projection, *, points: str = "changed", sessions: bool = False,
             acts: bool = True) -> View:
    """Every resolution with its references. `points`: "none", "changed" (only points that a
    change targets, so that partial repeals show) or "all"."""
    g = proj.graph
    resolutions = set(proj.resolutions())
    nodes = set(resolutions)
    if points == "all":
        nodes |= {n for n, k in g.nodes(data="kind") if k == "point"}
    elif points == "changed":
        nodes |= {v for _, v, k in g.edges(keys=True)
                  if k in CHANGE_KEYS and g.nodes[v].get("kind") == "point"}
    leaf_kinds = {"external"} | ({"eu_act", "law"} if acts else set()) | \
        ({"session"} if sessions else set())
    nodes |= _leaves(proj, resolutions, frozenset(leaf_kinds))
    structural = frozenset({"part_of", "sub_point_of"} | ({"session"} if sessions else set()))
    edges = _select_edges(proj, nodes, RELATION_KEYS, structural)
    # lanes at every size: time left to right and chains as rows read better than any force
    # layout, and a precomputed layout paints at once
    return View("Alle Beschlüsse", _ordered(proj, nodes), edges, "lanes")


def chain_view(proj: Projection, iri: str) -> View:
    """The chain of changes `iri` belongs to, oldest left, with the points the changes hit."""
    from kg.analysis.dependencies import chain_of  # noqa: PLC0415

    chain = chain_of(proj, iri)
    members = set(chain.members) if chain else {iri}
    g = proj.graph
    nodes = set(members)
    for m in members:
        for _, v, k in g.out_edges(m, keys=True):
            if k in CHANGE_KEYS and g.nodes[v].get("kind") == "point" and \
                    proj.resolution_of(v) in members:
                nodes.add(v)
    edges = _select_edges(proj, nodes, CHANGE_KEYS, frozenset({"part_of", "sub_point_of"}))
    # a group, not a sequence (issue 12, item 5): the edges say who changes whom
    label = ", ".join(proj.label(m) for m in (chain.members if chain else [iri]))
    return View(f"Verbundene Beschlüsse {label}", _ordered(proj, nodes), edges, "layered", iri)


def timeline_view(proj: Projection, *, relations: frozenset[str] = CHANGE_KEYS,
                  since: dt.date | None = None) -> View:
    """Resolutions by date, left to right, with their repeal/replace/amend/continue edges;
    only resolutions that take part in such an edge unless the store is small."""
    g = proj.graph
    resolutions = [r for r in proj.resolutions()
                   if since is None or (g.nodes[r].get("date") or dt.date.max) >= since]
    involved = set()
    for u, v, k in g.edges(keys=True):
        if k in relations and g.nodes[u].get("kind") == "resolution":
            involved.add(u)
            involved.add(proj.resolution_of(v))
    chosen = set(resolutions) if len(resolutions) <= 300 else involved & set(resolutions)
    edges = _select_edges(proj, chosen, relations, frozenset())
    return View("Zeitleiste der Beschlüsse", _ordered(proj, chosen), edges, "timeline")


def _ordered(proj: Projection, nodes: set[str]) -> list[str]:
    g = proj.graph

    def key(n: str) -> tuple:
        d = g.nodes[n]
        # the IRI last: the same view whatever order the store gave the nodes in
        return (d.get("kind", ""), d.get("date") or dt.date.max, proj.label(n), n)

    return sorted(nodes, key=key)
