"""`kg load PATH…`: protocols (.txt, .pdf) and register folders into the store."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cli.output import PhaseBars, err, fail, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("load", help="load protocols (.txt/.pdf) and register folders",
                       description="Load documents; each one replaces its own named graph. "
                       "Parsing runs on every core; one load per store at a time.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--jobs", "-j", type=int, default=None, metavar="N",
                   help="parsing processes (default: one per core, KG_LOAD_JOBS)")
    p.add_argument("--wait", action="store_true",
                   help="wait for another load of the same store instead of failing")
    p.set_defaults(func=run)


class _RichProgress(PhaseBars):
    """The load's phases, with documents/s and triples/s."""

    def __init__(self, quiet: bool) -> None:
        super().__init__(quiet)
        self.started = 0.0
        self.triples = 0

    def phase(self, name: str, total: int | None = None) -> None:
        super().phase(name, total)
        self.started = time.perf_counter()
        self.triples = 0

    def advance(self, done: int = 1, triples: int = 0, label: str = "") -> None:
        if self.task is None:
            return
        self.triples += triples
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        task = self.progress.tasks[self.task]
        self.step(done, f"{(task.completed + done) / elapsed:,.1f} docs/s · "
                        f"{self.triples / elapsed:,.0f} triples/s")

    def waiting(self, message: str) -> None:
        err.print(f"[yellow]{message}[/]")


def run(args: argparse.Namespace, settings: object) -> int:
    from rich.table import Table  # noqa: PLC0415

    from kg.ingest import expand  # noqa: PLC0415
    from kg.loading import load_paths  # noqa: PLC0415
    from kg.store import StoreBusy, StoreError, store_label  # noqa: PLC0415

    files = list(expand(args.paths))
    if not files:
        fail("nothing to load: no .txt, .pdf or register folder under "
             + ", ".join(str(p) for p in args.paths))
        return 2
    quiet = bool(getattr(args, "quiet", False))
    started = time.perf_counter()
    try:
        with _RichProgress(quiet) as progress:
            report = load_paths(args.paths, settings, progress,  # type: ignore[arg-type]
                                jobs=args.jobs, wait=args.wait)
    except StoreBusy as exc:
        fail(str(exc))
        return 2
    except StoreError as exc:
        fail(str(exc))
        return 2
    elapsed = time.perf_counter() - started
    if report.loaded and not quiet:
        table = Table(title=f"Loaded into {store_label(settings)}",  # type: ignore[attr-defined]
                      show_lines=False)
        table.add_column("document")
        for col in ("resolutions", "points", "references", "mandates", "warnings"):
            table.add_column(col, justify="right")
        for built in report.loaded[:50]:
            c = built.counts
            table.add_row(built.path.name, *(str(c.get(k, 0)) for k in
                                             ("resolutions", "points", "references",
                                              "mandates")), str(len(built.warnings)))
        if len(report.loaded) > 50:
            table.add_row(f"… and {len(report.loaded) - 50} more", "", "", "", "", "")
        out.print(table)
    if not quiet:
        for built in report.loaded:
            for w in built.warnings:
                err.print(f"[yellow]warning:[/] {w.span.document}:{w.span.line_start}: "
                          f"{w.message}")
    for built in report.loaded:
        for row_error in built.errors:
            fail(f"{row_error} (row skipped; the rest of {built.path.name} is loaded)")
    for _path, exc in report.failed:
        fail(f"{exc} (skipped; the store keeps its previous state for this document)")
    written = sum(p.triples for p in report.loaded)
    out.print(f"loaded {len(report.loaded)} of {len(files)} documents, {written:,} triples "
              f"in {elapsed:.1f} s ({written / max(elapsed, 1e-6):,.0f} triples/s); "
              f"store: {report.triples_before:,} → {report.triples_after:,} triples")
    return 0 if report.ok else 1
