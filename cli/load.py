"""`kg load PATH…`: protocols (.txt, .pdf) and register folders into the store."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from cli.output import err, fail, out
from kg.ingest import expand
from kg.loading import load_paths
from kg.settings import Settings
from kg.store import StoreError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("load", help="load protocols (.txt/.pdf) and register folders",
                       description="Load documents; each one replaces its own named graph.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    files = list(expand(args.paths))
    if not files:
        fail("nothing to load: no .txt, .pdf or register folder under "
             + ", ".join(str(p) for p in args.paths))
        return 2
    with Progress(TextColumn("[bold]loading[/] {task.description}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), console=err,
                  transient=True) as progress:
        task = progress.add_task("", total=len(files))

        def step(path: Path) -> None:
            progress.update(task, advance=1, description=path.name)

        try:
            report = load_paths(args.paths, settings, progress=step)
        except StoreError as exc:
            fail(str(exc))
            return 2
    table = Table(title=f"Loaded into {settings.store}", show_lines=False)
    table.add_column("document")
    for col in ("resolutions", "points", "references", "mandates", "warnings"):
        table.add_column(col, justify="right")
    for built in report.loaded:
        c = built.counts
        table.add_row(built.path.name, *(str(c.get(k, 0)) for k in
                                         ("resolutions", "points", "references", "mandates")),
                      str(len(built.warnings)))
    if report.loaded:
        out.print(table)
    for built in report.loaded:
        for w in built.warnings:
            err.print(f"[yellow]warning:[/] {w.span.document}:{w.span.line_start}: {w.message}")
    for _path, exc in report.failed:
        fail(f"{exc} (skipped; the store keeps its previous state for this document)")
    out.print(f"triples: {report.triples_before} → {report.triples_after}")
    return 0 if report.ok else 1
