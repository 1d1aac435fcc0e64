"""`kg query`: a SPARQL string or @file.rq over the union of all graphs."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table

from cli.output import fail, out
from kg.namespaces import PREFIXES
from kg.store import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    QuerySyntaxError,
    StoreError,
    open_store,
)
from kg.terms import IRI

if TYPE_CHECKING:  # `kg query --help` need not import pydantic-settings (~0.15 s)
    from kg.settings import Settings

_QUERY_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")
FORMATS = ("table", "json", "csv", "tsv", "xml", "turtle", "ntriples", "jsonld")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("query", help="run a SPARQL query (string, @file.rq, or a named query)")
    p.add_argument("query", help="SPARQL text, @path/to/file.rq, or a named query's name")
    p.add_argument("--format", "-f", choices=FORMATS, default="table")
    p.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                   help="parameter of a named query")
    p.set_defaults(func=run)


def read_query_text(arg: str) -> str:
    if arg.startswith("@"):
        path = Path(arg[1:])
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"cannot read query file {path}: {exc.strerror}") from exc
    return arg


def _short(value: object) -> str:
    if isinstance(value, IRI):
        for prefix, ns in PREFIXES.items():
            if value.value.startswith(ns):
                return f"{prefix}:{value.value[len(ns):]}"
        return f"<{value.value}>"
    return "" if value is None else str(value)


def run(args: argparse.Namespace, settings: Settings) -> int:
    named = _named_query(args, settings)
    if named is not None:
        return named
    try:
        text = read_query_text(args.query)
        store = open_store(settings)
    except (ValueError, StoreError) as exc:
        fail(str(exc))
        return 2
    return print_result(store, text, args.format, {})


def print_result(store, text: str, fmt: str, substitutions: dict) -> int:  # type: ignore[no-untyped-def]
    try:
        if fmt == "table":
            result = store.query(text, substitutions=substitutions, prefixes=PREFIXES)
            if result.form == "select":
                table = Table(show_lines=False)
                for v in result.variables:
                    table.add_column(v, overflow="fold")
                for row in result.rows:
                    table.add_row(*(_short(row.get(v)) for v in result.variables))
                out.print(table)
                out.print(f"{len(result.rows)} rows")
            elif result.form == "ask":
                out.print("true" if result.boolean else "false")
            else:
                sys.stdout.write(result.raw.decode())
            return 0
        result = store.query(text, substitutions=substitutions, prefixes=PREFIXES,
                             result_format=fmt if fmt in RESULT_FORMATS else "json",
                             graph_format=fmt if fmt in GRAPH_FORMATS else "turtle")
        if result.form != "graph" and fmt in GRAPH_FORMATS:
            fail(f"--format {fmt} is for CONSTRUCT/DESCRIBE; use table, json, csv or tsv")
            return 2
        sys.stdout.buffer.write(result.raw or b"")
        sys.stdout.flush()
        return 0
    except QuerySyntaxError as exc:
        fail(f"malformed query: {exc}")
        return 2


def _named_query(args: argparse.Namespace, settings: Settings) -> int | None:
    """Named queries from the catalogue (queries/), when the argument is a bare name."""
    if not _QUERY_NAME.fullmatch(args.query):
        return None
    # here, not at the top: SPARQL text need not pay for the catalogue's import (~10 ms)
    from queries.catalogue import (  # noqa: PLC0415
        CatalogueError,
        ParameterError,
        UnknownQueryError,
        load_catalogue,
        parse_param_args,
    )

    try:
        query = load_catalogue().get(args.query)
    except (CatalogueError, UnknownQueryError) as exc:
        fail(str(exc))
        return 2
    try:
        bindings = query.bind(parse_param_args(args.param))
    except ParameterError as exc:
        fail(f"query '{query.name}', {exc}")
        return 2
    try:
        store = open_store(settings)
    except StoreError as exc:
        fail(str(exc))
        return 2
    return print_result(store, query.bound_text(bindings), args.format, {})
