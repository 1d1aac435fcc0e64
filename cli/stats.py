"""`kg stats`: what the store holds, per graph and per kind of resource."""

from __future__ import annotations

import argparse

from rich.table import Table

from cli.output import open_store, out
from kg.settings import Settings

_KINDS = [
    ("resolutions (loaded)", "?x a bg:Resolution ; prov:wasDerivedFrom ?d"),
    ("resolutions (referenced only)",
     "?x a bg:Resolution FILTER NOT EXISTS { ?x prov:wasDerivedFrom ?d }"),
    ("points", "?x a bg:ResolutionPoint ; prov:wasDerivedFrom ?d"),
    ("sessions", "?x a bg:Session"),
    ("agenda items", "?x a bg:AgendaItem"),
    ("references", "?x a bg:Reference"),
    ("mandates", "?x a bg:Mandate"),
    ("protocol notes", "?x a bg:ProtocolNote"),
    ("statements", "?x a bg:Statement"),
]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="counts per graph and per kind of resource")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    if store is None:
        return 2
    graphs = Table(title="named graphs")
    graphs.add_column("graph")
    graphs.add_column("triples", justify="right")
    for g in store.named_graphs():
        graphs.add_row(g, str(store.count_quads(g)))
    out.print(graphs)
    kinds = Table(title="resources")
    kinds.add_column("kind")
    kinds.add_column("count", justify="right")
    prefixes = ("PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>\n"
                "PREFIX prov: <http://www.w3.org/ns/prov#>\n")
    for label, pattern in _KINDS:
        rows = store.select(prefixes + f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
        kinds.add_row(label, str(rows[0]["n"]))
    out.print(kinds)
    return 0
