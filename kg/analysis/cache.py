"""The projection of a store generation, computed once and kept beside it.

A generation never changes once published, so its projection (kg/analysis/projection.py) is
valid as long as the generation is current. The load writes it when it projects the whole
record anyway (kg/analysis/step.py); otherwise the first command or page that needs it does.
It lives in `gen-NNNNNN.projection/` and goes with its generation (kg.store prunes sidecars).
Reading it back costs a tenth of projecting the record again (bench/scale.py, `kg chains`).

The file is a pickle, so it is only read when it belongs to this user (or root) and nobody
else may write it, and only when it was written by this very projection code: a digest of
projection.py is stored with it, so a changed projection is never read from an old file.
Any problem with the file means "not cached": it is recomputed, never an error.

The API also keeps the projection of the current generation in memory (`current_projection`).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import tempfile
import threading
import time
from pathlib import Path

from kg import collector
from kg.analysis import projection as projection_module
from kg.analysis.projection import Projection, project
from kg.settings import Settings
from kg.store import OxigraphStore, StoreDirectory, StoreError, is_remote, open_store

log = logging.getLogger(__name__)

SUFFIX = ".projection"
FILE = "projection.pickle"
_CODE = hashlib.sha256(Path(projection_module.__file__).read_bytes()).hexdigest()

REMOTE_TTL_S = 60.0  # how long the API trusts a remote store's projection
_lock = threading.Lock()
_cached: dict[tuple[Path, str], Projection] = {}


def sidecar(generation: Path) -> Path:
    return generation.with_name(generation.name + SUFFIX)


def save(generation: Path, proj: Projection) -> None:
    """Keep `proj` beside `generation`; a store directory we may not write is left alone."""
    directory = sidecar(generation)
    try:
        directory.mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".tmp-", delete=False) as f:
            pickle.dump((_CODE, proj), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(f.name, 0o644)
        os.replace(f.name, directory / FILE)
    except OSError as exc:
        log.info("projection of %s not kept: %s", generation.name, exc)
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(f.name)


def load(generation: Path) -> Projection | None:
    path = sidecar(generation) / FILE
    try:
        info = path.stat()
        if info.st_uid not in (os.getuid(), 0) or info.st_mode & 0o022:
            log.warning("%s ignored: it must belong to you and be writable by you only", path)
            return None
        with path.open("rb") as f, collector.paused():
            code, proj = pickle.load(f)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            ValueError, TypeError) as exc:
        log.info("projection in %s not used: %s", path, exc)
        return None
    return proj if code == _CODE and isinstance(proj, Projection) else None


def projection_of(settings: Settings) -> Projection:
    """The projection of the current generation: read from beside it, or projected (and then
    kept). A remote store is projected every time. Raises kg.store.StoreError when there is
    no store."""
    if is_remote(settings.store) or settings.store_query_url:
        return project(open_store(settings))
    generation = StoreDirectory(settings.store).current_path()
    if generation is None:
        raise StoreError(f"no store at {settings.store}: load data first, e.g. "
                         "`kg load data/samples`")
    found = load(generation)
    if found is not None:
        return found
    # this generation, not whatever `current` names by now
    store = OxigraphStore.open_generation(generation, read_only=True)
    try:
        proj = project(store)
    finally:
        store.close()
    save(generation, proj)
    return proj


def saved_projection(settings: Settings) -> Projection | None:
    """The kept projection of the current generation, if there is one (never projects)."""
    if is_remote(settings.store) or settings.store_query_url:
        return None
    generation = StoreDirectory(settings.store).current_path()
    return load(generation) if generation is not None else None


def current_projection(settings: Settings) -> Projection:
    """`projection_of`, kept in memory for the current generation (the API's routes); for a
    remote store, which has no generations, for REMOTE_TTL_S."""
    if is_remote(settings.store) or settings.store_query_url:
        key = (Path(f"remote-{int(time.monotonic() // REMOTE_TTL_S)}"), settings.base_iri)
    else:
        generation = StoreDirectory(settings.store).current_path()
        key = (generation or Path(str(settings.store)), settings.base_iri)
    with _lock:
        cached = _cached.get(key)
        if cached is not None:
            return cached
        proj = projection_of(settings)
        _cached.clear()  # keep one generation: older ones are gone after the next load
        _cached[key] = proj
        return proj
