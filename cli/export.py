"""`kg export`: the whole dataset (or one graph) as Turtle, TriG, N-Quads or JSON-LD."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.output import err, fail, open_store
from kg.settings import Settings


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
    data = store.dump(args.format, graph=args.graph)
    if args.format in ("turtle", "ntriples") and not args.graph:
        err.print("[dim]note: triple formats merge all graphs; use trig or nquads to keep "
                  "provenance graphs[/]")
    if args.output:
        args.output.write_bytes(data)
        err.print(f"wrote {len(data)} bytes to {args.output}")
    else:
        sys.stdout.buffer.write(data)
    return 0
