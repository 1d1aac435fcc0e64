"""Terminal output shared by the commands: one console each for results and messages."""

from __future__ import annotations

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
