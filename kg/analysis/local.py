"""The projection around one resolution: what its status on any date depends on, read from
the store in a few indexed lookups instead of projecting the whole record.

The status of a resolution follows from its own facts (dates, outcome, expiry), its points,
and the resolutions that repeal, replace or amend it or its points, with their dates and the
references that give the evidence (kg.analysis.status). Exactly those triples are copied into
an in-memory store and projected there, so `kg status` costs the same at 30 sessions as at
10,000 (DESIGN.md §5). tests/analysis/test_local.py checks it against the whole projection.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

from kg.analysis.projection import (
    PROJECTED_PROPERTIES,
    RELATION_PROPERTIES,
    Projection,
    project,
)
from kg.analysis.vocab import DEPENDENCY_RELATIONS, SPECIFICITY
from kg.iris import Minter
from kg.namespaces import BG
from kg.store import OxigraphStore
from kg.terms import IRI

PREFIXES = {"bg": "https://w3id.org/beschlussgraph/ontology#",
            "eli": "http://data.europa.eu/eli/ontology#",
            "dct": "http://purl.org/dc/terms/",
            "xsd": "http://www.w3.org/2001/XMLSchema#"}


# the relation properties as FILTER(?rel IN …): Oxigraph joins a VALUES list of properties
# with the pattern instead of using it as a lookup key (3.2 s instead of 0.02 s for 2,000
# targets at 1,000 sessions)
RELATION_FILTER = "FILTER(?rel IN ({}))".format(", ".join(f"<{p}>" for p in RELATION_PROPERTIES))


def find_resolution(store: OxigraphStore, text: str, minter: Minter) -> str | None:
    """A resolution IRI from an id as an analyst types it ("2025/33", "B-2025/33-IT",
    "2025/02-AL") or from a full IRI; None when the store does not know it."""
    from loaders.references import canonical_from_identifier  # noqa: PLC0415

    text = text.strip()
    candidates = [text] if text.startswith(("http://", "https://")) else []
    canonical = canonical_from_identifier(text)
    if canonical is not None:
        candidates.append(minter.resolution(canonical).value)
    for iri in candidates:
        if store.ask(f"ASK {{ {IRI(iri).n3()} a bg:Resolution }}", prefixes=PREFIXES):
            return iri
    if canonical is not None:
        rows = store.select("SELECT ?r ?id WHERE { ?r a bg:Resolution ; eli:id_local ?id } LIMIT 1",
                            substitutions={"id": canonical}, prefixes=PREFIXES)
        if rows and isinstance(rows[0]["r"], IRI):
            return rows[0]["r"].value
    return None


def around(store: OxigraphStore, iri: str) -> Projection:
    """The projection of `iri`, its points and every resolution acting on them."""
    points, actors = points_and_actors(store, [IRI(iri)])
    return _project(store, {IRI(iri), *points, *actors})


class TooManyDependents(Exception):
    """More dependents than reading them one level at a time is worth: the whole projection
    answers sooner (and is kept for the next command)."""


def dependents(store: OxigraphStore, iri: str, max_depth: int | None = None,
               budget: int | None = None) -> Projection:
    """The projection `kg impact` needs: `iri` with its points and every resolution acting on
    them (its status), what it refers to, and, level by level up to `max_depth`, the
    resolutions that build on it: those whose most specific relation to a resolution of the
    level (or its points) is one `deps.impact` follows. A resolution that only repeals or
    replaces one is not read further: impact would not follow it (at 100,000 resolutions,
    following every reference read a fifth of the record for 330 dependents: 51 s)."""
    target = IRI(iri)
    points, actors = points_and_actors(store, [target])
    nodes: set[IRI] = {target, *points, *actors}
    reached = {target}
    frontier = [target]
    depth = 0
    while frontier and (max_depth is None or depth < max_depth):
        owner = points_of(store, frontier)
        nodes.update(IRI(p) for p in owner)
        frontier = [a for a in building_on(store, frontier, owner) if a not in reached]
        reached.update(frontier)
        depth += 1
        if budget is not None and len(reached) > budget:
            raise TooManyDependents(f"more than {budget} resolutions depend on {iri}")
    nodes.update(reached)
    if frontier:  # the last level, whose points the loop did not read (max_depth)
        nodes.update(IRI(p) for p in points_of(store, frontier))
    nodes.update(row["o"] for row in store.select(  # what it changes, for the impact's changes
        f"SELECT DISTINCT ?o WHERE {{ {target.n3()} ?rel ?o {RELATION_FILTER} }}",
        prefixes=PREFIXES) if isinstance(row["o"], IRI))
    nodes.update(row["a"] for row in store.select(  # the bodies its mandates name, labelled
        f"SELECT DISTINCT ?a WHERE {{ ?m bg:issuedBy {target.n3()} ; bg:assignee ?a }}",
        prefixes=PREFIXES) if isinstance(row["a"], IRI))
    return _project(store, nodes)


def building_on(store: OxigraphStore, resolutions: list[IRI],
                owner: dict[str, str]) -> list[IRI]:
    """The resolutions that refer to one of `resolutions` (or to one of its points, `owner`:
    point -> resolution) with a relation `deps.impact` follows: the most specific of their
    relations to it (a repeal comes with the eli:cites it implies, and is still a repeal)."""
    owner = {**{r.value: r.value for r in resolutions}, **owner}
    targets = " ".join(f"<{x}>" for x in owner)
    relations: dict[tuple[str, str], set[str]] = {}
    for row in store.select(
            f"SELECT ?n ?rel ?x WHERE {{ VALUES ?x {{ {targets} }} ?n ?rel ?x "
            f"{RELATION_FILTER} }}", prefixes=PREFIXES):
        n, rel, x = row["n"], row["rel"], row["x"]
        if isinstance(n, IRI) and isinstance(rel, IRI) and isinstance(x, IRI):
            relations.setdefault((n.value, owner[x.value]), set()).add(
                RELATION_PROPERTIES[rel.value])
    found = {n for (n, r), rels in relations.items()
             if n != r and next(k for k in SPECIFICITY if k in rels) in DEPENDENCY_RELATIONS}
    return [IRI(n) for n in sorted(found)]


def points_of(store: OxigraphStore, resolutions: list[IRI]) -> dict[str, str]:
    """The points (and sub-points) of `resolutions`: point IRI -> resolution IRI."""
    values = " ".join(r.n3() for r in resolutions)
    return {row["p"].value: row["r"].value for row in store.select(  # type: ignore[union-attr]
        f"SELECT DISTINCT ?p ?r WHERE {{ VALUES ?r {{ {values} }} ?p eli:is_part_of ?r }}",
        prefixes=PREFIXES) if isinstance(row["p"], IRI) and isinstance(row["r"], IRI)}


def points_and_actors(store: OxigraphStore, resolutions: list[IRI]) -> tuple[list[IRI], list[IRI]]:
    """The points of `resolutions`, and the resolutions acting on them or their points; two
    small queries, as Oxigraph would join one combined pattern from the relation side."""
    points = [IRI(p) for p in points_of(store, resolutions)]
    targets = " ".join([*(r.n3() for r in resolutions), *(p.n3() for p in points)])
    actors = [row["n"] for row in store.select(
        f"SELECT DISTINCT ?n WHERE {{ VALUES ?x {{ {targets} }} ?n ?rel ?x {RELATION_FILTER} }}",
        prefixes=PREFIXES) if isinstance(row["n"], IRI)]
    return points, actors


# Where the projection's triples are: each walk leads from the nodes, step by step along a
# property ("out": node → object, "in": subject → node), to the subjects whose triples are
# copied. The empty walk copies the nodes' own triples. No type tests beside the joins:
# Oxigraph would start from the type (every reference of the store: 27 s at 1,000 sessions
# instead of 0.2 s); the projection reads only typed references.
Walk = tuple[tuple[str, str], ...]
_MANDATES: Walk = (("in", BG + "issuedBy"),)
# a status: the nodes, their votes, the references they make and their mandates
STATUS_WALKS: tuple[Walk, ...] = ((), (("out", BG + "vote"),), (("in", BG + "citing"),),
                                  _MANDATES)
# a region of the analysis also reads the mandates' cut-offs and the sessions named by the
# nodes and by the mandates' deadlines ("bis zur nächsten Sitzung")
REGION_WALKS: tuple[Walk, ...] = (
    *STATUS_WALKS,
    (*_MANDATES, ("out", BG + "hasDeadline")),
    (("out", BG + "session"),),
    (*_MANDATES, ("out", BG + "deadlineSession")),
    (*_MANDATES, ("out", BG + "hasDeadline"), ("out", BG + "deadlineSession")),
)

# only what the projection reads: the texts of points, the analysis's own statements and the
# rest of the nodes' triples would be copied for nothing (7 of 20 MB for a region at 1,000
# sessions)
PROJECTED_FILTER = "FILTER(?p IN ({}))".format(
    ", ".join(f"<{p}>" for p in PROJECTED_PROPERTIES))


def _walk_pattern(walk: Walk) -> str:
    """A walk as a SPARQL pattern from ?n to ?s, whose triples are ?s ?p ?o."""
    if not walk:
        return "?n ?p ?o BIND(?n AS ?s)"
    names = ["?n", *(f"?w{i}" for i in range(1, len(walk))), "?s"]
    steps = [f"{a} <{p}> {b}" if way == "out" else f"{b} <{p}> {a}"
             for (way, p), a, b in zip(walk, names[:-1], names[1:], strict=True)]
    return " . ".join(steps) + " . ?s ?p ?o"


def copy_projected(store: OxigraphStore, nodes: set[str],
                   walks: tuple[Walk, ...]) -> OxigraphStore:
    """The projected triples reached from `nodes` along `walks`, in an in-memory store: one
    CONSTRUCT per walk, each joined from the nodes (a union of the walks is planned from the
    other end). Index lookups from Python instead cost twice as much: each opens an
    iterator on the database. An embedded store answers the walks in threads, one per core
    (the engine releases the GIL while it evaluates: 0.58 s -> 0.28 s on 2 cores for a region
    of 1,200 nodes at 1,000 sessions)."""
    local = OxigraphStore.in_memory()
    graph = IRI("urn:x-local:projection")
    values = " ".join(IRI(n).n3() for n in sorted(nodes))

    def construct(walk: Walk) -> bytes:
        data = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?n {{ {values} }} "
                           f"{_walk_pattern(walk)} {PROJECTED_FILTER} }}", prefixes=PREFIXES,
                           graph_format="nquads")
        return data.raw or b""  # type: ignore[union-attr]

    threads = min(len(walks), os.cpu_count() or 1)
    if isinstance(store, OxigraphStore) and threads > 1:
        store.settle_union()  # the threads only read
        with ThreadPoolExecutor(threads) as pool:
            found = list(pool.map(construct, walks))
    else:
        found = [construct(walk) for walk in walks]
    for data in found:
        local.load_bytes(data, "ntriples", graph)
    return local


def _project(store: OxigraphStore, nodes: set[IRI]) -> Projection:
    """The projection of the nodes with their votes, the references they make and their
    mandates."""
    return project(copy_projected(store, {n.value for n in nodes}, STATUS_WALKS))
