"""`kg load PATH…`: protocols (.txt, .pdf) and register folders into the store."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from cli.output import err, fail, out


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


class _RichProgress:
    """One bar per phase, with documents/s and triples/s; silent with --quiet."""

    def __init__(self, quiet: bool) -> None:
        from rich.progress import (  # noqa: PLC0415
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.quiet = quiet
        self.progress = Progress(
            TextColumn("[bold]{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TimeElapsedColumn(),
            console=err, transient=False, disable=quiet)
        self.task: int | None = None
        self.started = 0.0
        self.triples = 0
        self.phases: list[tuple[str, float]] = []

    def __enter__(self) -> _RichProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._close_phase()
        self.progress.stop()

    def _close_phase(self) -> None:
        if self.task is not None:
            task = self.progress.tasks[self.task]
            if task.total is None:
                self.progress.update(self.task, total=1, completed=1)
            self.phases.append((task.description, time.perf_counter() - self.started))

    def phase(self, name: str, total: int | None = None) -> None:
        self._close_phase()
        self.started = time.perf_counter()
        self.triples = 0
        self.task = self.progress.add_task(name, total=total, rate="")

    def advance(self, done: int = 1, triples: int = 0, label: str = "") -> None:
        if self.task is None:
            return
        self.triples += triples
        elapsed = max(time.perf_counter() - self.started, 1e-6)
        task = self.progress.tasks[self.task]
        rate = (f"{(task.completed + done) / elapsed:,.1f} docs/s · "
                f"{self.triples / elapsed:,.0f} triples/s")
        self.progress.update(self.task, advance=done, rate=rate)

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
