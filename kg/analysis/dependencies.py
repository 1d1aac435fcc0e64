"""Facts over the reference graph: chains of changes, the impact of repealing a resolution,
cycles, the most-cited resolutions, references to repealed parts, references to resolutions
that are not loaded.

Points are folded into their resolution wherever the question is about resolutions; the point
numbers are kept on the link.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from kg.analysis.projection import MandateRecord, Projection, lookup_resolution
from kg.analysis.status import StatusIndex, effect_date
from kg.analysis.vocab import (
    CHAIN_KINDS,
    CHANGE_RELATIONS,
    DEPENDENCY_RELATIONS,
    RELATIONS,
    SPECIFICITY,
)
from kg.iris import Minter

REFERENCE_RELATIONS = frozenset(SPECIFICITY)


@dataclass
class Link:
    source: str  # acting resolution
    target: str  # affected resolution
    relation: str
    points: tuple[str, ...] = ()  # affected points of the target
    date: dt.date | None = None
    date_assumed: bool = False
    acts: bool = True  # False: the source was not adopted, its change never took effect


# A succession: the later resolution takes the place of the earlier one (bg:replaces, or
# eli:repeals of the whole resolution). An amendment, a partial repeal, a continuation or an
# extension leaves the earlier one in force: no succession.
SUCCESSION_RELATIONS = frozenset({"replaces", "repeals"})


def is_succession(link: Link) -> bool:
    return link.relation in SUCCESSION_RELATIONS and not link.points and link.acts


@dataclass
class Chain:
    """A group of resolutions connected by changes (repeal, amendment, replacement,
    continuation, extension), with the links as they are. The group is no sequence: only its
    `successions` (replacement or whole repeal, oldest first) are."""

    members: list[str]  # resolutions, in the order of their effect dates (no succession)
    links: list[Link]

    @property
    def kinds(self) -> list[str]:
        return sorted({CHAIN_KINDS[link.relation][1] for link in self.links})

    @property
    def successions(self) -> list[list[str]]:
        """Lines of succession inside the group, each oldest first: every maximal path along
        replacement and whole-repeal links (target -> source)."""
        nxt: dict[str, list[str]] = defaultdict(list)
        has_prev: set[str] = set()
        for link in self.links:
            if is_succession(link):
                nxt[link.target].append(link.source)
                has_prev.add(link.source)
        order = {m: k for k, m in enumerate(self.members)}
        lines: list[list[str]] = []

        def walk(path: list[str]) -> None:
            following = sorted((n for n in nxt.get(path[-1], ()) if n not in path),
                               key=lambda n: order.get(n, len(order)))
            if not following:
                lines.append(path)
            for n in following:
                walk([*path, n])

        for start in sorted((m for m in nxt if m not in has_prev),
                            key=lambda n: order.get(n, len(order))):
            walk([start])
        return lines


def _folded_links(proj: Projection, relations: frozenset[str],
                  sources: Iterable[str] | None = None) -> list[Link]:
    """Resolution-level links, one per (source, target, relation), points gathered; with
    `sources`, only the links of these resolutions (from their own edges)."""
    nodes = proj.attrs
    gathered: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for a, b, rel in proj.edges_by(relations, sources=sources):
        if nodes[b].get("kind") not in ("resolution", "point"):
            continue
        if nodes[a].get("kind") != "resolution":
            continue
        if rel == "repeals" and proj.has_key(a, b, "replaces"):
            continue
        target = proj.resolution_of(b)
        if target == a:
            continue
        key = (a, target, rel)
        gathered.setdefault(key, set())
        if b != target:
            gathered[key].add(nodes[b].get("number", ""))
    links = []
    for (a, b, rel), pts in gathered.items():
        d, assumed = effect_date(proj, a)
        links.append(Link(a, b, rel, tuple(sorted(pts, key=_num)), d, assumed,
                          nodes[a].get("outcome") != "rejected"))
    return links


def _num(n: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in n.split("."))


def _order_key(proj: Projection, iri: str) -> tuple:
    d, _ = effect_date(proj, iri)
    return (d or dt.date.max, proj.attrs[iri].get("id") or iri)


def chains(proj: Projection, kinds: set[str] | None = None) -> list[Chain]:
    """Connected groups of resolutions linked by repeal, amendment, replacement, continuation
    or extension; `kinds` (English chain kinds) keeps the chains that contain such a link.
    Name a group with `group_label` (no arrows), its successions with `succession_label`."""
    import networkx as nx  # noqa: PLC0415 (see projection.project)

    links = _folded_links(proj, CHANGE_RELATIONS)
    h = nx.DiGraph()
    for link in links:
        h.add_edge(link.source, link.target)
    order = {r: _order_key(proj, r) for r in h}  # every source and target is in h
    out = []
    by_source: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        by_source[link.source].append(link)
    for component in nx.weakly_connected_components(h):
        members = sorted(component, key=order.__getitem__)
        member_set = set(members)
        chain_links = sorted((lk for m in members for lk in by_source.get(m, ())
                              if lk.target in member_set),
                             key=lambda lk: (lk.date or dt.date.max, order[lk.source],
                                             order[lk.target]))
        chain = Chain(members, chain_links)
        if kinds and not (set(chain.kinds) & kinds):
            continue
        out.append(chain)
    return sorted(out, key=lambda c: (-len(c.members), order[c.members[0]]))


class Labels(Protocol):
    def label(self, iri: str) -> str: ...


@dataclass
class ChainSet:
    """Every chain of a record with what printing and filtering them needs: the labels of
    their members, and the resolutions and ids of the record (an id without a chain is not
    an unknown id). Kept beside a store generation (kg/analysis/cache.py): `kg chains` reads
    this instead of the whole projection."""

    chains: list[Chain]
    labels: dict[str, str]  # member IRI -> label
    resolutions: set[str]
    by_id: dict[str, str]

    @classmethod
    def of(cls, proj: Projection, found: list[Chain] | None = None) -> ChainSet:
        found = chains(proj) if found is None else found
        members = {m for c in found for m in c.members}
        return cls(found, {m: proj.label(m) for m in members}, set(proj.resolutions()),
                   proj.by_id)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or iri.rsplit("/", 1)[-1]

    def lookup(self, text: str, minter: Minter | None = None) -> str | None:
        return lookup_resolution(text, self.resolutions.__contains__, self.by_id, minter)

    def of_kinds(self, kinds: set[str] | None) -> list[Chain]:
        """The chains with a link of one of these kinds (all with None), as `chains` gives
        them."""
        return [c for c in self.chains if not kinds or set(c.kinds) & kinds]


def group_label(proj: Labels, chain: Chain, lang: str = "de") -> str:
    """"Verbundene Beschlüsse 2022/43, 2024/01, …": a group, not a sequence."""
    ids = ", ".join(proj.label(m) for m in chain.members)
    return f"Verbundene Beschlüsse {ids}" if lang == "de" else f"Connected resolutions {ids}"


def succession_label(proj: Labels, line: list[str]) -> str:
    """"2022/43 → 2025/39": each resolution takes the place of the one before."""
    return " → ".join(proj.label(m) for m in line)


def link_text(proj: Labels, link: Link, lang: str = "de") -> str:
    """"25.03.2026: 2026/01 hebt auf 2025/33 Ziffer 2, 4" — who does what to whom, when."""
    de, en = RELATIONS[link.relation][1:]
    if lang == "de":
        when = f"{link.date:%d.%m.%Y}" if link.date else "?"
        if link.date_assumed and link.date:
            when = f"{link.date:%Y} (Datum unbekannt)"
        pts = f" Ziffer {', '.join(link.points)}" if link.points else ""
        return f"{when}: {proj.label(link.source)} {de} {proj.label(link.target)}{pts}"
    when = link.date.isoformat() if link.date else "?"
    if link.date_assumed and link.date:
        when = f"{link.date:%Y} (date unknown)"
    pts = f" point {', '.join(link.points)}" if link.points else ""
    return f"{when}: {proj.label(link.source)} {en} {proj.label(link.target)}{pts}"


def chain_of(proj: Projection, iri: str) -> Chain | None:
    return next((c for c in chains(proj) if iri in c.members), None)


def incoming(proj: Projection, iri: str) -> dict[str, set[str]]:
    """Resolutions referring to `iri` or one of its points -> the relations they use."""
    found: dict[str, set[str]] = defaultdict(set)
    nodes = proj.attrs
    for t in (iri, *proj.points_of(iri)):
        for a, rel in proj.in_keyed(t):
            if rel in REFERENCE_RELATIONS and a != iri and nodes[a].get("kind") == "resolution":
                found[a].add(rel)
    return found


def outgoing(proj: Projection, source: str, target: str) -> set[str]:
    """The relations from `source` to resolution `target` or its points."""
    rels: set[str] = set()
    for b, rel in proj.out_keyed(source):
        if rel in REFERENCE_RELATIONS and proj.resolution_of(b) == target:
            rels.add(rel)
    return rels


@dataclass
class Dependent:
    iri: str
    depth: int  # 1 = refers to the target directly
    relation: str  # the most specific relation of the first hop
    via: str  # the resolution it depends on (the target at depth 1)


@dataclass
class Impact:
    target: str
    points: list[str]
    dependents: list[Dependent]
    mandates: list[MandateRecord]  # mandates issued by the target, which would lapse
    changes: list[Link] = field(default_factory=list)  # what the target changes (unaffected)


MAX_IMPACT_DEPTH = 20  # the deepest impact the CLI and REST follow when asked for a depth


def impact(proj: Projection, iri: str, max_depth: int | None = None) -> Impact:
    """What depends on `iri`: resolutions that amend, continue, extend, implement, are based on
    or cite it or one of its points, and transitively those that depend on them."""
    seen = {iri: 0}
    dependents: list[Dependent] = []
    queue = deque([iri])
    while queue:
        node = queue.popleft()
        depth = seen[node]
        if max_depth is not None and depth >= max_depth:
            continue
        for a, rels in sorted(incoming(proj, node).items(),
                              key=lambda x: _order_key(proj, x[0])):
            relation = next(r for r in SPECIFICITY if r in rels)
            # a resolution that repeals or replaces (part of) the node changes it rather than
            # building on it; its eli:cites is only the materialised super-property
            if a in seen or relation not in DEPENDENCY_RELATIONS:
                continue
            seen[a] = depth + 1
            dependents.append(Dependent(a, depth + 1, relation, node))
            queue.append(a)
    mandates = proj.mandates_of(iri)
    # in the order of their targets: the same whichever projection (whole, or the
    # dependents' part) the edges were read into
    changes = sorted(_folded_links(proj, CHANGE_RELATIONS, sources=[iri]),
                     key=lambda lk: (_order_key(proj, lk.target), lk.relation))
    return Impact(iri, proj.points_of(iri), dependents, mandates, changes)


@dataclass
class Cycle:
    members: list[str]
    links: list[tuple[str, str, str]]  # source, target, relation


def cycles(proj: Projection) -> list[Cycle]:
    """One cycle per strongly connected group of resolutions (linear time, unlike listing
    every simple cycle, which explodes on large graphs)."""
    import networkx as nx  # noqa: PLC0415 (see projection.project)

    h = nx.DiGraph()
    # in a fixed order: the cycle found through a group follows the order of its edges
    for link in sorted(_folded_links(proj, REFERENCE_RELATIONS),
                       key=lambda lk: (lk.source, lk.target, lk.relation)):
        rel = h.get_edge_data(link.source, link.target, {}).get("relation")
        if rel is None or SPECIFICITY.index(link.relation) < SPECIFICITY.index(rel):
            h.add_edge(link.source, link.target, relation=link.relation)
    out = []
    for component in nx.strongly_connected_components(h):
        if len(component) < 2:
            continue
        sub = h.subgraph(component)
        start = min(component, key=lambda r: _order_key(proj, r))
        edges = nx.find_cycle(sub, source=start)
        links = [(u, v, sub.edges[u, v]["relation"]) for u, v in edges]
        out.append(Cycle(sorted(component, key=lambda r: _order_key(proj, r)), links))
    return sorted(out, key=lambda c: _order_key(proj, c.members[0]))


@dataclass
class CitationCount:
    iri: str
    count: int  # distinct citing resolutions
    citing: list[str]


def most_cited(proj: Projection, limit: int | None = 10) -> list[CitationCount]:
    """The one definition of "cited" (issue 12, item 6), shared by `kg findings`,
    /analysis/most-cited, bg:citedByCount and the named query `most-cited`: the number of
    distinct resolutions that refer to a resolution or one of its points with any relation
    (cites, repeals, amends, replaces, continues, extends, implements, based on), the
    resolution itself excluded. Agenda items without a resolution are not counted."""
    citing: dict[str, set[str]] = defaultdict(set)
    for a, b, _ in proj.edges_by(REFERENCE_RELATIONS):
        if proj.attrs[a].get("kind") != "resolution":
            continue
        target = proj.resolution_of(b)
        # most-cited *resolutions*: laws and EU acts are cited too, but are not ranked here
        if target != a and proj.attrs.get(target, {}).get("kind") == "resolution":
            citing[target].add(a)
    counts = [CitationCount(t, len(c), sorted(c, key=lambda r: _order_key(proj, r)))
              for t, c in citing.items()]
    counts.sort(key=lambda c: (-c.count, proj.label(c.iri)))
    return counts[:limit] if limit else counts


@dataclass
class StaleReference:
    citing: str
    target: str  # the repealed point or resolution
    relation: str
    target_state: str  # repealed | replaced
    ended_by: list[str]
    ended_on: dt.date | None
    after_end: bool  # the citing resolution took effect after the repeal


def stale_references(proj: Projection, on: dt.date,
                     index: StatusIndex | None = None) -> list[StaleReference]:
    """References to points or resolutions that are repealed or replaced on `on`, by another
    resolution than the citing one."""
    index = index or StatusIndex(proj)
    cache: dict[str, object] = {}
    # the status of a target is computed only where it can be repealed or replaced (at
    # 100,000 resolutions: 11 s for all of them)
    ended = index.ended_somewhere()
    out = []
    for a, b, rel in proj.edges_by(REFERENCE_RELATIONS):
        kind = proj.attrs[b].get("kind")
        if kind not in ("resolution", "point") or proj.attrs[a].get("kind") != "resolution":
            continue
        if proj.resolution_of(b) not in ended:
            continue
        if rel == "cites" and outgoing(proj, a, proj.resolution_of(b)) - {"cites"}:
            continue  # reported under the more specific relation
        if rel == "repeals" and proj.has_key(a, b, "replaces"):
            continue
        if b not in cache:
            cache[b] = index.resolution(b, on) if kind == "resolution" else index.point(b, on)
        status = cache[b]
        if status.state not in ("repealed", "replaced"):  # type: ignore[attr-defined]
            continue
        enders = [r for r in status.reasons if r.by]  # type: ignore[attr-defined]
        if not enders and kind == "point":
            parent = index.resolution(proj.resolution_of(b), on)
            enders = [r for r in parent.reasons if r.by]
        if any(r.by == a for r in enders) or not enders:
            continue
        ended_on = min((r.date for r in enders if r.date), default=None)
        d, _ = effect_date(proj, a)
        out.append(StaleReference(a, b, rel, status.state,  # type: ignore[attr-defined]
                                  [r.by for r in enders if r.by], ended_on,
                                  bool(d and ended_on and d > ended_on)))
    out.sort(key=lambda s: (not s.after_end, _order_key(proj, s.citing), s.target))
    return out


@dataclass
class UnloadedTarget:
    iri: str
    citing: list[tuple[str, str]]  # (citing resolution, relation)


def unloaded_references(proj: Projection) -> list[UnloadedTarget]:
    """Resolutions that are referenced but described by no loaded document."""
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for a, b, rel in proj.edges_by(REFERENCE_RELATIONS):
        target = proj.resolution_of(b)
        data = proj.attrs[target]
        if data.get("kind") != "resolution" or data.get("loaded") or target == a:
            continue
        found[target][a].add(rel)
    out = []
    for target, by in found.items():
        citing = sorted(((a, next(r for r in SPECIFICITY if r in rels))
                         for a, rels in by.items()), key=lambda x: _order_key(proj, x[0]))
        out.append(UnloadedTarget(target, citing))
    out.sort(key=lambda u: (-len(u.citing), proj.label(u.iri)))
    return out
