"""The derived graph: facts computed from all loaded graphs, kept current after every load.

A resolution is loaded when some document describes it (prov:wasDerivedFrom); otherwise it
exists only as the target of a reference. A load can change that only for the resolutions
its documents mention, now or before a replacement: those are recomputed, the rest stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.iris import Minter
from kg.settings import Settings
from kg.store import OxigraphStore
from kg.terms import IRI, Literal

if TYPE_CHECKING:
    from kg.pipeline import Changes

_PREFIXES = """
    PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
"""

BG_IS_LOADED = "https://w3id.org/beschlussgraph/ontology#isLoaded"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
# whether each resolution (or external decision) is loaded: the WHERE of both the INSERT of
# a whole refresh and the SELECT of a partial one
_IS_LOADED_WHERE = """
    WHERE {{
      {{ SELECT DISTINCT ?r WHERE {{ {first}
                                    GRAPH ?src {{ ?r a ?kind }} {then}
                                    FILTER(?src != {g}) }} }}
      BIND(EXISTS {{ GRAPH ?any {{ ?r prov:wasDerivedFrom ?doc }} }} AS ?loaded)
    }}"""
_IS_LOADED = "INSERT {{ GRAPH {g} {{ ?r bg:isLoaded ?loaded }} }}" + _IS_LOADED_WHERE
# what the engine starts from (`first`): the kinds for a whole refresh; for the resolutions
# of one load their VALUES, the kinds then a FILTER (as VALUES they led: every resolution of
# the kind was read first, 0.6 s instead of 2 ms at 5,000 sessions)
_KINDS_FIRST = "VALUES ?kind { bg:Resolution bg:ExternalDecision }"
_KINDS_AFTER = "FILTER(?kind IN (bg:Resolution, bg:ExternalDecision))"


def refresh_derived_graph(store: OxigraphStore, settings: Settings,
                          changes: Changes | None = None) -> None:
    graph = Minter(settings.base_iri).derived_graph
    g = graph.n3()
    if changes is None or not store.has_graph(graph):
        store.update(f"{_PREFIXES} DROP SILENT GRAPH {g} ; "
                     + _IS_LOADED.format(g=g, first=_KINDS_FIRST, then=""),
                     touches=[graph])
        return
    mentioned = changes.mentioned(store)
    if not mentioned:
        return
    values = "VALUES ?r { " + " ".join(IRI(r).n3() for r in sorted(mentioned)) + " }"
    if hasattr(store, "replace_subjects"):
        # only the mentioned resolutions' facts are read and rewritten: an update would
        # make the store snapshot the whole graph to keep the union (0.9 s at 1,000 sessions)
        rows = store.select(_PREFIXES + "SELECT ?r ?loaded"
                            + _IS_LOADED_WHERE.format(g=g, first=values,
                                                      then=_KINDS_AFTER))
        quads = [(row["r"], IRI(BG_IS_LOADED), Literal(
                     "true" if row["loaded"] else "false", XSD_BOOLEAN), graph)
                 for row in rows if isinstance(row["r"], IRI)]
        store.replace_subjects(graph, mentioned, quads)
        return
    store.update(f"""{_PREFIXES}
        DELETE {{ GRAPH {g} {{ ?r bg:isLoaded ?any }} }}
        WHERE {{ {values} GRAPH {g} {{ ?r bg:isLoaded ?any }} }} ;
        """ + _IS_LOADED.format(g=g, first=values, then=_KINDS_AFTER), touches=[graph])
