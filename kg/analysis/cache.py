"""The projection of the current store generation, built once per generation and shared by
the API's analysis and graph routes (a load switches `current`, and the next request projects
the new generation)."""

from __future__ import annotations

import threading
from pathlib import Path

from kg.analysis.projection import Projection, project
from kg.settings import Settings
from kg.store import StoreDirectory

_lock = threading.Lock()
_cached: dict[tuple[Path, str], Projection] = {}


def current_projection(settings: Settings) -> Projection:
    """Raises kg.store.StoreError when there is no store."""
    directory = StoreDirectory(settings.store)
    generation = directory.current_path()
    key = (generation or settings.store, settings.base_iri)
    with _lock:
        cached = _cached.get(key)
        if cached is not None:
            return cached
        store = directory.open_read_only()
        try:
            proj = project(store)
        finally:
            store.close()
        _cached.clear()  # keep one generation: older ones are gone after the next load
        _cached[key] = proj
        return proj
