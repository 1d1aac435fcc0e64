"""The derived graph: facts computed from all loaded graphs, rewritten after every load."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.iris import Minter
from kg.settings import Settings
from kg.store import OxigraphStore

if TYPE_CHECKING:
    from kg.pipeline import Changes


def refresh_derived_graph(store: OxigraphStore, settings: Settings,
                          changes: Changes | None = None) -> None:
    graph = Minter(settings.base_iri).derived_graph
    g = graph.n3()
    # A resolution is loaded when some document describes it (prov:wasDerivedFrom);
    # otherwise it exists only as the target of a reference.
    store.update(f"""
        PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        DROP SILENT GRAPH {g} ;
        INSERT {{ GRAPH {g} {{ ?r bg:isLoaded ?loaded }} }}
        WHERE {{
          {{ SELECT DISTINCT ?r WHERE {{ VALUES ?kind {{ bg:Resolution bg:ExternalDecision }}
                                        GRAPH ?src {{ ?r a ?kind }}
                                        FILTER(?src != {g}) }} }}
          BIND(EXISTS {{ GRAPH ?any {{ ?r prov:wasDerivedFrom ?doc }} }} AS ?loaded)
        }}
    """, touches=[graph])
