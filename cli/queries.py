"""`kg queries`: the named-query catalogue (queries/rq/*.rq), listed or one query in full.

Running one is `kg query NAME --param key=value` (cli/query.py runs bare names from the
catalogue).
"""

from __future__ import annotations

import argparse
import json
import sys

from rich.table import Table

from cli.output import fail, out
from kg.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queries", help="list the named queries (kg query NAME runs one)",
                       description="List the named queries, or show one with its parameters "
                                   "and SPARQL text. Run one with `kg query NAME --param k=v`.")
    p.add_argument("name", nargs="?", help="show this query in full")
    p.add_argument("--tag", help="only queries with this tag")
    p.add_argument("--lang", choices=("de", "en"), default="de", help="language of titles")
    p.add_argument("--json", action="store_true", help="metadata as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from queries.catalogue import CatalogueError, UnknownQueryError, load_catalogue  # noqa: PLC0415

    try:
        catalogue = load_catalogue()
    except CatalogueError as exc:
        fail(str(exc))
        return 2
    if args.name:
        try:
            query = catalogue.get(args.name)
        except UnknownQueryError as exc:
            fail(str(exc))
            return 2
        if args.json:
            sys.stdout.write(json.dumps({**query.metadata(), "text": query.text},
                                        ensure_ascii=False, indent=2) + "\n")
            return 0
        _show(query, args.lang)
        return 0
    items = [m for m in catalogue.list() if not args.tag or args.tag in m["tags"]]  # type: ignore[operator]
    if args.json:
        sys.stdout.write(json.dumps(items, ensure_ascii=False, indent=2) + "\n")
        return 0
    table = Table(title=f"{len(items)} named queries — run with: kg query NAME --param k=v")
    table.add_column("name", no_wrap=True)
    table.add_column("title")
    table.add_column("parameters (default)")
    for m in items:
        params = ", ".join(
            f"{p['name']}:{p['type']}" + (f" ({p['default']})" if p["default"] not in (None, "")
                                          else " (required)" if p["required"] else "")
            for p in m["params"])  # type: ignore[attr-defined]
        table.add_row(str(m["name"]), str(m[f"title_{args.lang}"]), params)
    out.print(table)
    return 0


def _show(query, lang: str) -> None:  # type: ignore[no-untyped-def]
    out.print(f"[bold]{query.name}[/]: {query.title_de if lang == 'de' else query.title_en}")
    out.print(query.description)
    if query.tags:
        out.print("tags: " + ", ".join(query.tags))
    for p in query.params:
        default = "required" if p.required else f"default {p.default!r}"
        out.print(f"  --param {p.name}=…  ({p.type}, {default}) {p.description}")
    if query.example:
        out.print(f"example: {query.example}")
    out.print()
    out.print(query.text, markup=False, highlight=False)
