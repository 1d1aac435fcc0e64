"""The server keeps the projection of each store generation it sees (kg/analysis/keeper.py).

A load that changed a small region leaves a generation without a kept projection, and the
pages that read it (`/beschluesse`, the register pages, the analysis routes) would project
the whole record on the first request: 106 s for `/beschluesse` at 5,000 synthetic sessions.
The server looks at the store's `current` link every few seconds (one readlink) and, for a
generation without a kept projection, starts a keeper process at once; a request that needs
the projection before it is done waits for the keeper (kg.analysis.cache.projection_of).
A keeper whose generation is replaced meanwhile is stopped: its work would serve nobody.
The same loop tells `on_generation` (api/warming.py) of every generation it sees.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Callable
from pathlib import Path

from kg.settings import Settings
from kg.store import StoreDirectory, is_remote

POLL_S = 2.0  # how soon after a load the keeper starts


async def keep_projections(settings: Settings, poll_s: float = POLL_S,
                           on_generation: Callable[[Path], None] | None = None) -> None:
    """Run for the server's lifetime: a keeper for every new generation that lacks one (with
    `settings.keep_projection`), and `on_generation` called with each new generation."""
    if is_remote(settings.store) or settings.store_query_url:
        return  # a remote store has no generations: it is projected when asked
    from kg.analysis.keeper import start  # noqa: PLC0415 (not for a remote store)

    directory = StoreDirectory(settings.store)
    seen = None
    keeper: subprocess.Popen[bytes] | None = None
    try:
        while True:
            current = directory.current_path()
            if current != seen:
                seen = current
                _stop(keeper)
                keeper = start(current) if current is not None and settings.keep_projection \
                    else None
                if current is not None and on_generation is not None:
                    on_generation(current)
            elif keeper is not None and keeper.poll() is not None:
                keeper = None  # done (and reaped)
            await asyncio.sleep(poll_s)
    finally:
        _stop(keeper)


def _stop(keeper: subprocess.Popen[bytes] | None) -> None:
    if keeper is None or keeper.poll() is not None:
        return
    keeper.terminate()
    try:
        keeper.wait(timeout=5)
    except subprocess.TimeoutExpired:
        keeper.kill()
        keeper.wait()
