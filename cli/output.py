"""Terminal output shared by the commands: one console each for results and messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console

from kg.store import StoreError
from kg.store import open_store as _open_store

if TYPE_CHECKING:  # every command imports this module; Settings cost ~0.15 s to import
    from kg.settings import Settings

out = Console(highlight=False, soft_wrap=True)
# soft wrap: the terminal wraps long messages, so a path or URL in one stays copyable
err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}")


def open_store(settings: Settings) -> Any:
    """The store for reading (the current generation, or a SPARQL server named by URL);
    None (after saying why) when there is none or it cannot be reached."""
    try:
        return _open_store(settings)
    except StoreError as exc:
        fail(str(exc))
        return None


class PhaseBars:
    """One rich bar per phase on stderr, with a `detail` text per bar (a rate, an address);
    silent with --quiet. A phase without a total is shown complete when the next starts."""

    def __init__(self, quiet: bool) -> None:
        from rich.progress import (  # noqa: PLC0415 (start-up: only commands that show bars)
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.quiet = quiet
        self.progress = Progress(
            TextColumn("[bold]{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
            TimeElapsedColumn(), TextColumn("{task.fields[detail]}"),
            console=err, transient=False, disable=quiet)
        self.task: int | None = None

    def __enter__(self) -> PhaseBars:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()
        self.progress.stop()

    def _close(self) -> None:
        if self.task is not None:
            task = self.progress.tasks[self.task]
            if task.total is None:
                done = max(task.completed, 1)
                self.progress.update(self.task, total=done, completed=done)

    def phase(self, name: str, total: int | None = None) -> None:
        self._close()
        self.task = self.progress.add_task(name, total=total, detail="")

    def step(self, done: int = 1, detail: str = "") -> None:
        if self.task is not None:
            self.progress.update(self.task, advance=done, detail=detail)


# rich measures every cell and wraps every line: 10,000 table rows take it 4 s, where the
# analysis behind them takes one. Above these sizes results are written as plain text with
# the same columns and tree guides (and no colour).
RICH_MAX_ROWS = 200
RICH_MAX_LINES = 500


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]],
                title: str | None = None) -> None:
    if len(rows) <= RICH_MAX_ROWS:
        from rich.markup import escape  # noqa: PLC0415
        from rich.table import Table  # noqa: PLC0415

        table = Table(*headers, title=escape(title) if title else None)
        for row in rows:
            table.add_row(*(escape(cell) for cell in row))
        out.print(table)
        return
    widths = [max(len(headers[i]), *(len(row[i]) for row in rows)) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [cell.ljust(width) for cell, width in zip(cells[:-1], widths, strict=False)]
        return "  ".join([*padded, cells[-1]]).rstrip() + "\n"

    text = [title + "\n"] if title else []
    text += [line(headers), line(["─" * w for w in widths])]
    text += [line(row) for row in rows]
    out.file.write("".join(text))
    out.file.flush()


def print_trees(trees: Sequence[tuple[str, str, Sequence[str]]]) -> None:
    """One tree per (label, rich style of the label, children lines), drawn with rich's tree
    guides. Lines are never cut: the terminal wraps them (rich's Tree cropped a long label at
    80 columns when the output was a pipe)."""
    lines: list[tuple[str, str]] = []
    for label, style, children in trees:
        lines.append((label, style))
        lines += [(("└── " if i == len(children) - 1 else "├── ") + child, "")
                  for i, child in enumerate(children)]
    if len(lines) <= RICH_MAX_LINES:
        from rich.text import Text  # noqa: PLC0415

        for text, style in lines:
            out.print(Text(text, style=style))
        return
    out.file.write("".join(text + "\n" for text, _ in lines))
    out.file.flush()
