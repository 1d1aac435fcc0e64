"""Terminal output shared by the commands: one console each for results and messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

from kg.store import OxigraphStore, StoreDirectory, StoreError

if TYPE_CHECKING:  # every command imports this module; Settings cost ~0.15 s to import
    from kg.settings import Settings

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False)


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}")


def open_store(settings: Settings) -> OxigraphStore | None:
    """The current store generation, read-only; None (after saying why) when there is none."""
    try:
        return StoreDirectory(settings.store).open_read_only()
    except StoreError as exc:
        fail(str(exc))
        return None
