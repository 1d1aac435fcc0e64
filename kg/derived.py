"""The derived graph: facts computed from all loaded graphs, kept current after every load.

A resolution is loaded when some document describes it (prov:wasDerivedFrom); otherwise it
exists only as the target of a reference. It involves the bodies and Länder that pass it,
report on it, are assigned its mandates, are mentioned in its points, abstain or vote against
it, or write a note about it (`bg:involves`): the lists filtered by a body and the facets of
/beschluesse read this one property instead of joining six ways over the whole record. A load
can change either fact only for the resolutions its documents mention, now or before a
replacement: those are recomputed, the rest stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kg.iris import Minter
from kg.settings import Settings
from kg.store import OxigraphStore
from kg.terms import IRI, Literal

if TYPE_CHECKING:
    from kg.pipeline import Changes
    from kg.terms import Quad

_PREFIXES = """
    PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
    PREFIX eli: <http://data.europa.eu/eli/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
"""

BG_IS_LOADED = "https://w3id.org/beschlussgraph/ontology#isLoaded"
BG_INVOLVES = "https://w3id.org/beschlussgraph/ontology#involves"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# whether each resolution (or external decision) is loaded
_IS_LOADED_WHERE = """
    WHERE {{
      {{ SELECT DISTINCT ?r WHERE {{ {first}
                                    GRAPH ?src {{ ?r a ?kind }} {then}
                                    FILTER(?src != {g}) }} }}
      BIND(EXISTS {{ GRAPH ?any {{ ?r prov:wasDerivedFrom ?doc }} }} AS ?loaded)
    }}"""
# what the engine starts from (`first`): the kinds for a whole refresh; for the resolutions
# of one load their VALUES, the kinds then a FILTER (as VALUES they led: every resolution of
# the kind was read first, 0.6 s instead of 2 ms at 5,000 sessions)
_KINDS_FIRST = "VALUES ?kind { bg:Resolution bg:ExternalDecision }"
_KINDS_AFTER = "FILTER(?kind IN (bg:Resolution, bg:ExternalDecision))"

# The ways a resolution involves a body or Land (the roles of the REST `body=` and `land=`
# filters), one query each: as one UNION the engine joined every way over the whole record
# before it narrowed any (2.9 s at 1,000 sessions, past 10 s at 5,000).
INVOLVES_WAYS = (
    "?r eli:passed_by ?v",
    "?r bg:agendaItem ?item . ?item bg:reporter ?v",
    "?m bg:issuedBy ?r ; bg:assignee ?v",
    "?p eli:is_part_of ?r ; bg:mentions ?v",
    "?r bg:vote ?vote . ?vote bg:abstainedBy|bg:votedAgainstBy ?v",
    "?n bg:about ?r ; bg:author ?v",
)
# past about 1,000 IRIs in a VALUES block the engine's plan turns to whole-record joins
VALUES_CHUNK = 1_000


def refresh_derived_graph(store: OxigraphStore, settings: Settings,
                          changes: Changes | None = None) -> None:
    graph = Minter(settings.base_iri).derived_graph
    # a store written before bg:involves existed has none: it gets every resolution's
    whole = changes is None or not store.has_graph(graph) or not store.ask(
        f"ASK {{ GRAPH {graph.n3()} {{ ?r <{BG_INVOLVES}> ?v }} }}")
    mentioned = None if whole or changes is None else changes.mentioned(store)
    if mentioned is not None and not mentioned:
        return
    quads = derived_facts(store, graph, mentioned)
    if mentioned is None:
        store.replace_graph(graph, quads)
    elif hasattr(store, "replace_subjects"):
        # only the mentioned resolutions' facts are rewritten, as a difference: an update
        # would make the store snapshot the whole graph to keep the union (0.9 s at 1,000
        # sessions)
        store.replace_subjects(graph, mentioned, quads)
    else:  # a remote store
        store.update(_replace_update(graph, mentioned, quads), touches=[graph])


def derived_facts(store: OxigraphStore, graph: IRI, resolutions: set[str] | None
                  ) -> list[Quad]:
    """The derived graph's triples about `resolutions` (all when None)."""
    rows = [row for chunk in _chunks(resolutions) for row in store.select(
        _PREFIXES + "SELECT ?r ?loaded" + _IS_LOADED_WHERE.format(
            g=graph.n3(), first=_KINDS_FIRST if chunk is None else _values(chunk),
            then="" if chunk is None else _KINDS_AFTER))]
    loaded = {row["r"].value: bool(row["loaded"]) for row in rows if isinstance(row["r"], IRI)}
    quads: list[Quad] = [(IRI(r), IRI(BG_IS_LOADED), Literal("true" if is_loaded else "false",
                                                           XSD_BOOLEAN), graph)
                         for r, is_loaded in sorted(loaded.items())]
    quads += [(IRI(r), IRI(BG_INVOLVES), IRI(v), graph)
              for r, v in sorted(involved_pairs(store, resolutions)) if r in loaded]
    return quads


def _replace_update(graph: IRI, resolutions: set[str], quads: Sequence[Quad]) -> str:
    """One update request that replaces the facts about `resolutions` by `quads`."""
    g = graph.n3()
    deletes = [f"DELETE {{ GRAPH {g} {{ ?r ?p ?o }} }} WHERE {{ {_values(chunk)} "
               f"GRAPH {g} {{ ?r ?p ?o }} }}" for chunk in _chunks(resolutions)]
    lines = " .\n".join(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o, _ in quads)
    return " ;\n".join([*deletes, f"INSERT DATA {{ GRAPH {g} {{ {lines} }} }}"])


def involved_pairs(store: OxigraphStore, resolutions: Iterable[str] | None
                   ) -> set[tuple[str, str]]:
    """(resolution, body or Land) for every way of INVOLVES_WAYS; of `resolutions` only,
    named in VALUES blocks, or of the whole record."""
    pairs: set[tuple[str, str]] = set()
    for chunk in _chunks(resolutions):
        opening = "" if chunk is None else _values(chunk)
        for way in INVOLVES_WAYS:
            for row in store.select(f"{_PREFIXES} SELECT DISTINCT ?r ?v WHERE {{ {opening} "
                                    f"{way} }}"):
                r, v = row["r"], row["v"]
                if isinstance(r, IRI) and isinstance(v, IRI):
                    pairs.add((r.value, v.value))
    return pairs


def _chunks(iris: Iterable[str] | None) -> list[Sequence[str] | None]:
    if iris is None:
        return [None]
    ordered = sorted(iris)
    return [ordered[i:i + VALUES_CHUNK] for i in range(0, len(ordered), VALUES_CHUNK)]


def _values(iris: Sequence[str] | None) -> str:
    return "VALUES ?r { " + " ".join(IRI(r).n3() for r in iris or ()) + " }"
