"""`kg export`: the whole dataset (or one graph) as Turtle, TriG, N-Quads or JSON-LD."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.output import err, fail, open_store
from kg.namespaces import PREFIXES
from kg.settings import Settings
from kg.store import OxigraphStore, query_capped

_ALL = 10**15  # an export is never cut


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export the dataset")
    p.add_argument("--format", "-f", choices=("turtle", "trig", "nquads", "jsonld", "ntriples"),
                   default="trig")
    p.add_argument("--graph", help="only this named graph (IRI)")
    p.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    store = open_store(settings)
    if store is None:
        return 2
    if args.graph and args.graph not in store.named_graphs():
        fail(f"no graph {args.graph} in the store; see `kg stats` for the graphs")
        return 2
    if args.format == "nquads" and not args.graph and hasattr(store, "write_nquads"):
        # streamed graph by graph: a large store is never held in memory whole
        if args.output and str(args.output) != "-":
            with args.output.open("wb") as out:
                store.write_nquads(out)
            err.print(f"wrote {args.output.stat().st_size} bytes to {args.output}")
        else:
            store.write_nquads(sys.stdout.buffer)
        return 0
    if args.format in ("turtle", "trig"):
        data = dump_with_prefixes(store, args.format, graph=args.graph)
    else:
        data = store.dump(args.format, graph=args.graph)
    if args.format in ("turtle", "ntriples") and not args.graph:
        err.print("[dim]note: triple formats merge all graphs; use trig or nquads to keep "
                  "provenance graphs[/]")
    if args.output and str(args.output) != "-":  # "-" is stdout, as usual
        args.output.write_bytes(data)
        err.print(f"wrote {len(data)} bytes to {args.output}")
    else:
        sys.stdout.buffer.write(data)
    return 0


def _turtle(store: OxigraphStore, graph: str | None) -> bytes:
    """The triples of one graph (or of all, once each) as Turtle with the project prefixes."""
    if graph is None:
        sparql = ("CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
                  "GRAPH ?g { ?s ?p ?o } } }")
        result = query_capped(store, sparql, max_rows=_ALL, max_bytes=_ALL,
                              union_default=False, prefixes=PREFIXES)
    else:
        result = query_capped(store, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                              max_rows=_ALL, max_bytes=_ALL, default_graphs=[graph],
                              prefixes=PREFIXES)
    return result.raw or b""


def _prefix_lines() -> bytes:
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items()).encode()


def dump_with_prefixes(store: OxigraphStore, fmt: str, graph: str | None = None) -> bytes:
    """Turtle or TriG that read well: `@prefix` lines for kg.namespaces.PREFIXES once at the
    top and prefixed names in the triples (TriG: one block per named graph, in name order;
    the default graph is their union and is not repeated)."""
    if fmt == "turtle":
        return _turtle(store, graph)
    parts = [_prefix_lines()]
    for name in sorted([graph] if graph else store.named_graphs()):
        body = [line for line in _turtle(store, name).splitlines(keepends=True)
                if not line.startswith((b"@prefix ", b"@base ", b"PREFIX ", b"BASE "))]
        if not any(line.strip() for line in body):
            continue
        parts.append(b"\n<" + name.encode() + b"> {\n")
        parts.extend(b"\t" + line if line.strip() else line for line in body)
        parts.append(b"}\n")
    return b"".join(parts)
