"""Terminal output shared by the commands: one console each for results and messages."""

from __future__ import annotations

from rich.console import Console

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}")
