"""The projection of a generation carried forward from the one before it.

A load that writes a few documents changes the facts of a few nodes: the resolutions, points,
sessions and acts its documents state now or stated before a replacement, with their votes,
mandates and references. Projecting the whole record again for that took 87 s at 5,000
synthetic sessions (kg/analysis/keeper.py). Instead, the load records what it changed beside
the new generation (`kg.analysis.cache.carry_from`), and the projection of the generation
before is patched: those nodes are projected again from the new generation, in a copy of
their triples as `kg.analysis.region` makes one, and put in place of what the old projection
had for them; their records likewise.

A node's facts follow from its own triples and from a few others around it (its vote, its
mandates and their cut-offs, the references it makes, the points of its resolution), all
stated by the document that describes it. A node whose existence follows from others (an
act cited but not described, a body someone is assigned to) stays while an edge leads to it.
Where the change reaches further than that (a body's own facts changed while others still
name it), `patched` answers None and the record is projected whole. tests/analysis/
test_carry.py compares the result with a fresh projection, load after load.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.analysis.local import (
    PREFIXES,
    PROJECTED_FILTER,
    REGION_WALKS,
    Walk,
    copy_projected,
    points_of,
)
from kg.analysis.projection import (
    RELATION_PROPERTIES,
    Projection,
    act_label,
    project,
    unknown_target,
)
from kg.analysis.region import iris_of, values_of
from kg.namespaces import BG, ELI
from kg.store import OxigraphStore
from kg.terms import IRI

# the region's walks, and the own triples of whatever the nodes lead to: an act, a law, a
# body or a session that the old projection did not have is made from them
CARRY_WALKS: tuple[Walk, ...] = (
    *REGION_WALKS,
    *((("out", prop),) for prop in (*RELATION_PROPERTIES, ELI + "passed_by")),
    (("in", BG + "issuedBy"), ("out", BG + "assignee")),
)
_RELATION_KEYS = frozenset(RELATION_PROPERTIES.values())
# a body's or Land's node exists while something leads to it, with a label of its own that
# only a projection of whatever leads to it remakes
_ORGANISATION_KINDS = frozenset({"body", "land"})


def changed_subjects(store: OxigraphStore, documents: Iterable[str],
                     before: Iterable[str]) -> set[str]:
    """The subjects of the projected triples the written documents state, and what the
    replaced ones described before (`kg.pipeline.Changes`)."""
    docs = values_of(documents)
    found = set(before)
    if docs:
        found |= iris_of(store.select(f"""SELECT DISTINCT ?s WHERE {{ VALUES ?d {{ {docs} }}
            GRAPH ?d {{ ?s ?p ?o }} {PROJECTED_FILTER} }}""", prefixes=PREFIXES), "s")
    return found


def _owners(store: OxigraphStore, changed: set[str]) -> set[str]:
    """The legal resources whose facts follow from a changed subject, in the new
    generation: the changed resources themselves, and those whose point, mandate, reference,
    vote, mandate cut-off or session changed."""
    values = values_of(changed)
    found: set[str] = set()
    for pattern in ("?n a eli:LegalResource BIND(?n AS ?r)", "?n eli:is_part_of ?r",
                    "?n bg:issuedBy ?r", "?n bg:citing ?r", "?r bg:vote ?n",
                    "?m bg:hasDeadline ?n . ?m bg:issuedBy ?r", "?r bg:session ?n"):
        found |= iris_of(store.select(f"SELECT DISTINCT ?r WHERE {{ VALUES ?n {{ {values} }} "
                                    f"{pattern} }}", prefixes=PREFIXES), "r")
    return found


def _base_owners(base: Projection, changed: set[str]) -> set[str]:
    """The same in the old projection: what a changed node belonged to there."""
    nodes = base.attrs
    found = set()
    for n in changed:
        data = nodes.get(n)
        if data is None:
            continue
        if data.get("kind") == "point":
            found.add(data.get("resolution", n))
        else:
            found.add(n)
    found |= {m.resolution for m in base.mandates if m.iri in changed}
    found |= {ref.citing for ref in base.references if ref.iri in changed}
    return found


def patched(base: Projection, store: OxigraphStore, changed: set[str]) -> Projection | None:
    """`base` (the projection of an earlier generation, changed in place) made the projection
    of `store`, which differs from that generation in the triples of `changed` subjects;
    None where that cannot be done locally (the caller projects the whole record)."""
    g = base.graph
    nodes = base.attrs
    owners = _owners(store, changed) | _base_owners(base, changed)
    redo = changed | owners | set(points_of(store, [IRI(r) for r in sorted(owners)]))
    redo |= {p for r in owners if r in g for p in base.parts_of(r)}
    sub = project(copy_projected(store, redo, CARRY_WALKS))
    fresh = sub.attrs

    # every edge out of a node projected again goes; they come back from `sub` below
    left: set[str] = set()
    for n in redo & g.nodes.keys():
        for target, keys in list(g._succ[n].items()):
            left.add(target)
            for key in list(keys):
                g.remove_edge(n, target, key)
    gone: set[str] = set()
    for n in redo:
        if n in fresh:
            if n in g:
                data = nodes[n]
                data.clear()
                data.update(fresh[n])
            else:
                g.add_node(n, **fresh[n])
        elif n in g:
            gone.add(n)
    for n in redo & fresh.keys():
        for target, key in sub.out_keyed(n):
            if target not in g:
                g.add_node(target, **fresh[target])
            g.add_edge(n, target, key=key)

    # a node projected again that `sub` does not have is no longer stated, or exists only
    # while something leads to it. Without an edge, it goes. With one from outside, and
    # triples of its own unchanged, it stays as it was (an act's article is "part of" the
    # act, yet no point); with none left, it is what `project` makes of a target it does
    # not know; anything else is beyond a local patch
    stated = iris_of(store.select(f"""SELECT DISTINCT ?n WHERE {{
        VALUES ?n {{ {values_of(gone & changed)} }} ?n ?p ?o {PROJECTED_FILTER} }}""",
                                prefixes=PREFIXES), "n") if gone & changed else set()
    for n in gone:
        keys = {k for _, k in base.in_keyed(n)}
        if not keys and not g._succ[n]:
            g.remove_node(n)
        elif n not in changed:
            continue
        elif keys <= _RELATION_KEYS and n not in stated \
                and nodes[n].get("kind") not in _ORGANISATION_KINDS:
            data = nodes[n]
            data.clear()
            data.update(unknown_target(n))
            if data["kind"] == "eu_act":
                data["label"] = act_label(n)
        else:
            return None
    # what the old edges led to exists by its own triples, or while an edge leads to it
    orphans = {n for n in left - redo if n in g and not g._pred[n] and not g._succ[n]}
    if orphans:
        real = iris_of(store.select(f"""SELECT DISTINCT ?n WHERE {{
            VALUES ?n {{ {values_of(orphans)} }}
            {{ ?n a eli:LegalResource }} UNION {{ ?n a bg:ResolutionPoint ; eli:is_part_of ?r }}
            UNION {{ ?n a bg:Session ; bg:sessionNumber ?x }} }}""", prefixes=PREFIXES), "n")
        g.remove_nodes_from(orphans - real)

    # the records of the nodes projected again come from `sub`, in the order `project` gives
    mandates = [m for m in base.mandates if m.resolution not in redo and m.iri not in changed]
    mandates += [m for m in sub.mandates if m.resolution in redo]
    mandates.sort(key=lambda m: m.iri)
    references = [ref for ref in base.references
                  if ref.citing not in redo and ref.iri not in changed]
    references += [ref for ref in sub.references if ref.citing in redo]
    references.sort(key=lambda ref: ref.iri)
    by_id = {data["id"]: n for n, data in nodes.items()
             if data.get("kind") == "resolution" and data.get("id")}
    return Projection(g, mandates, references, by_id)
