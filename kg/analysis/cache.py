"""The projection of a store generation, computed once and kept beside it.

A generation never changes once published, so its projection (kg/analysis/projection.py) is
valid as long as the generation is current. The load writes it when it projects the whole
record anyway (kg/analysis/step.py); otherwise the first command or page that needs it does.
It lives in `gen-NNNNNN.projection/` and goes with its generation (kg.store prunes sidecars).
Reading it back costs a tenth of projecting the record again (bench/scale.py, `kg chains`).

It is kept in parts, each read only by what needs it: the graph with the ids, the mandates,
the references, and the chains computed from them (`kg chains` reads only those: at 100,000
resolutions the graph alone takes 1.2 s to read, the records 0.8 s).

The files are pickles, so they are only read when they belong to this user (or root) and
nobody else may write them, and only when they were written by this very code: a digest of
the analysis modules is stored in each, so a changed projection is never read from an old
file. Any problem with a file means "not cached": it is recomputed, never an error.

A load that recomputed only a region of the analysis does not project the record: it links
the projection of the generation it started from into `gen-N.projection/base/` with what it
changed (`carry_from`), and whoever first needs the projection carries that forward
(kg/analysis/carry.py) instead of projecting the whole record.

The API also keeps the projection of the current generation in memory (`current_projection`).
The server projects every generation it sees without a kept projection in a process of its
own (kg/analysis/keeper.py) right away; whoever needs the projection meanwhile waits for it.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import logging
import os
import pickle
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from kg import collector
from kg.analysis.carry import patched
from kg.analysis.dependencies import ChainSet
from kg.analysis.projection import Projection, project
from kg.settings import ONTOLOGY_DIR, PROJECT_ROOT, Settings
from kg.store import OxigraphStore, StoreDirectory, StoreError, is_remote, open_store

log = logging.getLogger(__name__)

SUFFIX = ".projection"
FILE = "graph.pickle"  # the graph and the ids; the parts below are read when asked for
KEEPER_LOCK = "keeper.lock"  # held by kg/analysis/keeper.py while it projects the generation
RECORDS_BY_NODE = "records-by-node.pickle"  # the mandates and references of each node alone
BASE = "base"  # beside a generation without its own: the projection it is carried from
CHANGED = "changed.pickle"  # in BASE: what the loads since the base changed (kg/analysis/carry.py)


@functools.cache
def _code() -> str:
    """What the kept files are computed by: the modules of the analysis (the projection, the
    chains and what they use), and what the post-load steps write beside the documents (the
    vocabularies, the curated links and the gazetteer, from ontology/): a change to any makes
    them stale. The second half matters to a carried projection (kg/analysis/carry.py), which
    projects again only what the documents changed."""
    digest = hashlib.sha256()
    paths = [*sorted((PROJECT_ROOT / "kg" / "analysis").glob("*.py")),
             *(PROJECT_ROOT / name for name in ("kg/links.py", "kg/vocab.py",
                                                "loaders/gazetteer.py")),
             *sorted(p for p in ONTOLOGY_DIR.rglob("*") if p.is_file())]
    for path in paths:
        if path.is_file():  # a module an installation leaves out changes nothing here
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()

REMOTE_TTL_S = 60.0  # how long the API trusts a remote store's projection
_lock = threading.Lock()
_cached: dict[tuple[Path, str], Projection] = {}
_cached_chains: dict[tuple[Path, str], ChainSet] = {}


def sidecar(generation: Path) -> Path:
    return generation.with_name(generation.name + SUFFIX)


def is_kept(generation: Path) -> bool:
    """Whether a projection this code can read is kept beside `generation`."""
    return _read(sidecar(generation) / FILE, header_only=True) is not None


def keeper_running(generation: Path) -> bool:
    """Whether a keeper (kg/analysis/keeper.py) is projecting `generation` now: it holds
    its lock file exclusively for as long as it runs, and the lock goes with its process."""
    try:
        fd = os.open(sidecar(generation) / KEEPER_LOCK, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)  # and with it the shared lock, if it was granted
    return False


def wait_for_keeper(generation: Path, poll_s: float = 0.2) -> bool:
    """Wait while a keeper projects `generation` (projecting the record a second time beside
    it would take as long and twice the memory); True when one was running."""
    waited = False
    while keeper_running(generation):
        waited = True
        time.sleep(poll_s)
    return waited


def save(generation: Path, proj: Projection, chain_set: ChainSet | None = None) -> None:
    """Keep `proj` beside `generation`, in parts (graph, mandates, references, and the chains
    computed from it) that each command reads as it needs them; a store directory we may not
    write is left alone. Each part carries the same token, so parts of two saves never mix."""
    directory = sidecar(generation)
    token = secrets.token_hex(8)
    parts = {
        "mandates": proj.mandates, "references": proj.references,
        "chains": chain_set if chain_set is not None else ChainSet.of(proj),
    }
    try:
        directory.mkdir(exist_ok=True)
        for name, value in parts.items():  # the graph last: it makes the others readable
            _write(directory / f"{name}.pickle", token, value)
        _write_keyed(directory / RECORDS_BY_NODE, token, _records_by_node(proj))
        _write(directory / FILE, token, (proj.graph, proj.by_id))
        shutil.rmtree(directory / BASE, ignore_errors=True)  # kept whole now
        with contextlib.suppress(FileNotFoundError):
            (directory / "projection.pickle").unlink()  # the one file of earlier versions
    except OSError as exc:
        log.info("projection of %s not kept: %s", generation.name, exc)


def _write(path: Path, token: str, value: object) -> None:
    # two pickles: the header (code digest, token) reads without the value after it
    def write(f: IO[bytes]) -> None:
        pickle.dump((_code(), token), f, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)

    _replace(path, write)


def _replace(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """`path` written whole by `write` or left as it was; readable by all, writable by us."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as f:
        try:
            write(f)
            os.chmod(f.name, 0o644)
            os.replace(f.name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(f.name)
            raise


def _records_by_node(proj: Projection) -> dict[str, tuple[list, list]]:
    """resolution or point IRI -> (the mandates it issues, the references citing it)."""
    groups: dict[str, tuple[list, list]] = {}
    for m in proj.mandates:
        groups.setdefault(m.resolution, ([], []))[0].append(m)
    for ref in proj.references:
        groups.setdefault(ref.cited, ([], []))[1].append(ref)
    return groups


def _write_keyed(path: Path, token: str, groups: dict[str, object]) -> None:
    """A file to read one group from without the others: the header, an index of where each
    group's pickle lies after it, then the pickles."""
    blobs = {key: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
             for key, value in groups.items()}
    index, offset = {}, 0
    for key, blob in blobs.items():
        index[key] = (offset, len(blob))
        offset += len(blob)

    def write(f: IO[bytes]) -> None:
        pickle.dump((_code(), token), f, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
        f.writelines(blobs.values())  # one call: 100,000 writes took 0.9 s at 5,000 sessions

    _replace(path, write)


class _KeyedReader:
    """Reads single groups of a file `_write_keyed` wrote (the index once)."""

    def __init__(self, path: Path, token: str) -> None:
        self.path = path
        self.token = token
        self._index: dict[str, tuple[int, int]] | None = None
        self._base = 0
        self._broken = False

    def __call__(self, key: str) -> Any:
        """The group of `key` (None when it has none), or raise LookupError when the file
        cannot be used."""
        if self._broken:
            raise LookupError(self.path)
        try:
            with self.path.open("rb") as f:
                if self._index is None:
                    found = _read_open(f, self.path, self.token)
                    if found is None:
                        raise LookupError(self.path)
                    self._index = pickle.load(f)
                    self._base = f.tell()
                place = self._index.get(key)
                if place is None:
                    return None
                f.seek(self._base + place[0])
                return pickle.loads(f.read(place[1]))
        except (LookupError, OSError, pickle.UnpicklingError, EOFError, AttributeError,
                ImportError, ValueError, TypeError) as exc:
            log.info("%s not used: %s", self.path, exc)
            self._broken = True
            raise LookupError(self.path) from None


def _read_open(f: Any, path: Path, token: str | None) -> str | None:
    """The token of an open kept file when it may be read, else None."""
    info = os.fstat(f.fileno())
    if info.st_uid not in (os.getuid(), 0) or info.st_mode & 0o022:
        log.warning("%s ignored: it must belong to you and be writable by you only", path)
        return None
    code, found_token = pickle.load(f)
    if code != _code() or (token is not None and found_token != token):
        return None
    return found_token


def _read(path: Path, token: str | None = None, *,
          header_only: bool = False) -> tuple[str, object] | None:
    """(token, value) of a kept file written by this code (with `token`: by the same save),
    or None; with `header_only` the value is not read (None)."""
    try:
        with path.open("rb") as f, collector.paused():
            found_token = _read_open(f, path, token)
            if found_token is None:
                return None
            value = None if header_only else pickle.load(f)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
            ValueError, TypeError) as exc:
        log.info("%s not used: %s", path, exc)
        return None
    return found_token, value


def load(generation: Path) -> Projection | None:
    """The kept projection of `generation`; its mandates and references are read on first
    use (a part that turns out unreadable then is projected again)."""
    found = _read(sidecar(generation) / FILE)
    if found is None:
        return None
    token, value = found
    if not (isinstance(value, tuple) and len(value) == 2):
        return None
    graph, by_id = value
    return Projection(graph, lambda: _part(generation, "mandates", token),
                      lambda: _part(generation, "references", token), by_id,
                      records_of=_KeyedReader(sidecar(generation) / RECORDS_BY_NODE, token))


def _part(generation: Path, name: str, token: str) -> Any:
    found = _read(sidecar(generation) / f"{name}.pickle", token)
    if found is not None:
        return found[1]
    log.info("%s of %s unreadable: projecting the generation again", name, generation.name)
    proj = project_generation(generation)
    save(generation, proj)
    return getattr(proj, name)


def _remote(settings: Settings) -> bool:
    return is_remote(settings.store) or bool(settings.store_query_url)


def _current_generation(settings: Settings) -> Path | None:
    """The current generation of an embedded store (None: a remote store, or none yet)."""
    return None if _remote(settings) else StoreDirectory(settings.store).current_path()


def kept_chains(settings: Settings) -> ChainSet | None:
    """The chains kept beside the current generation, if there are (never projects)."""
    generation = _current_generation(settings)
    if generation is None:
        return None
    # the graph file tells which save is complete; the chains must be from that one
    graph = _read(sidecar(generation) / FILE, header_only=True)
    if graph is None:
        return None
    found = _read(sidecar(generation) / "chains.pickle", graph[0])
    return found[1] if found is not None and isinstance(found[1], ChainSet) else None


def project_generation(generation: Path) -> Projection:
    """The projection of `generation` (this one, not whatever `current` names by now):
    carried forward from the base kept beside it (kg/analysis/carry.py) when there is one,
    else the whole record projected."""
    store = OxigraphStore.open_generation(generation, read_only=True)
    try:
        carried = _carried(generation, store)
        return carried if carried is not None else project(store)
    finally:
        store.close()


_BASE_PARTS = (FILE, "mandates.pickle", "references.pickle")
# changed subjects beyond which a base is not carried on (a protocol changes about 300)
CARRY_LIMIT = 30_000


def carry_from(generation: Path, previous: Path | None, changed: set[str]) -> None:
    """Note beside `generation`, written by a load that changed the facts of `changed`
    subjects only, the projection it follows from: the one kept beside `previous` (the
    generation the load started from), or the base `previous` itself was to be carried
    from, with what changed since. The files are linked, not copied; nothing is noted when
    `previous` has neither. The load pays a few links, not a projection."""
    if previous is None:
        return
    source = sidecar(previous)
    header = _read(source / FILE, header_only=True)
    if header is not None:
        origin, since = source, set()
    else:
        base = _read(source / BASE / FILE, header_only=True)
        found = _read(source / BASE / CHANGED, base[0]) if base is not None else None
        if found is None or not isinstance(found[1], set):
            return
        origin, since = source / BASE, found[1]
    target = sidecar(generation) / BASE
    changed = since | changed
    if len(changed) > CARRY_LIMIT:
        return  # a patch that large costs what projecting the record does
    try:
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        for name in _BASE_PARTS:
            os.link(origin / name, target / name)
        linked = _read(target / FILE, header_only=True)
        if linked is None:
            raise OSError(f"{origin / FILE} changed while it was linked")
        _write(target / CHANGED, linked[0], changed)
    except OSError as exc:
        log.info("no projection carried to %s: %s", generation.name, exc)
        shutil.rmtree(target, ignore_errors=True)


DELTA = "delta.pickle"  # beside a generation: the one it was loaded onto, what changed
_DELTA_TOKEN = "delta"


def note_delta(generation: Path, previous: Path, owners: set[str]) -> None:
    """Note beside `generation` that it is `previous` with the facts of these resolutions
    changed (their analysis region, kg/analysis/region.py): a table kept for `previous` then
    needs only their rows made again (`owners_since`)."""
    try:
        sidecar(generation).mkdir(exist_ok=True)
        _write(sidecar(generation) / DELTA, _DELTA_TOKEN, (previous.name, owners))
    except OSError as exc:
        log.info("no delta noted for %s: %s", generation.name, exc)


def owners_since(generation: Path, earlier: Path, steps: int = 4) -> set[str] | None:
    """The resolutions whose facts differ between `earlier` and `generation`, from the deltas
    of the loads in between (at most `steps`); None when a delta is missing."""
    if earlier.parent != generation.parent:
        return None  # another store
    found: set[str] = set()
    current = generation
    for _ in range(steps):
        delta = _read(sidecar(current) / DELTA, _DELTA_TOKEN)
        if delta is None or not isinstance(delta[1], tuple):
            return None
        previous, owners = delta[1]
        found |= owners
        if previous == earlier.name:
            return found
        current = generation.with_name(previous)
    return None


def _carried(generation: Path, store: OxigraphStore) -> Projection | None:
    """The base kept beside `generation`, brought up to it; None without one."""
    directory = sidecar(generation) / BASE
    found = _read(directory / FILE)
    if found is None:
        return None
    token, value = found
    parts = [_read(directory / name, token) for name in ("mandates.pickle", "references.pickle",
                                                         CHANGED)]
    if not (isinstance(value, tuple) and len(value) == 2) or any(p is None for p in parts):
        return None
    mandates, references, changed = (p[1] for p in parts)  # type: ignore[index]
    graph, by_id = value
    with collector.paused():
        return patched(Projection(graph, mandates, references, by_id), store, changed)


def projection_of(settings: Settings) -> Projection:
    """The projection of the current generation: read from beside it, or projected (and then
    kept). A remote store is projected every time. Raises kg.store.StoreError when there is
    no store."""
    if _remote(settings):
        return project(open_store(settings))
    generation = _current_generation(settings)
    if generation is None:
        raise StoreError(f"no store at {settings.store}: load data first, e.g. "
                         "`kg load data/samples`")
    found = load(generation)
    if found is None and wait_for_keeper(generation):
        found = load(generation)  # None when the keeper failed: projected here instead
    if found is not None:
        return found
    proj = project_generation(generation)
    save(generation, proj)
    return proj


def saved_projection(settings: Settings) -> Projection | None:
    """The kept projection of the current generation, if there is one (never projects)."""
    generation = _current_generation(settings)
    return load(generation) if generation is not None else None


def _memory_key(settings: Settings) -> tuple[Path, str]:
    """What the API's in-memory copies are kept for: the current generation, or for a remote
    store, which has no generations, a window of REMOTE_TTL_S."""
    if _remote(settings):
        return (Path(f"remote-{int(time.monotonic() // REMOTE_TTL_S)}"), settings.base_iri)
    generation = _current_generation(settings)
    return (generation or Path(str(settings.store)), settings.base_iri)


def current_projection(settings: Settings) -> Projection:
    """`projection_of`, kept in memory for the current generation (the API's routes)."""
    key = _memory_key(settings)
    with _lock:
        cached = _cached.get(key)
        if cached is not None:
            return cached
        proj = projection_of(settings)
        # read now what a command would read on first use: a server holds the projection
        # for as long as its generation is current, and the files may be gone by then
        proj.mandates, proj.references  # noqa: B018
        _cached.clear()  # keep one generation: older ones are gone after the next load
        _cached[key] = proj
        return proj


def current_chains(settings: Settings) -> ChainSet:
    """The chains of the current generation, kept in memory like `current_projection`: read
    from beside the generation when they are kept there, else computed from the projection."""
    key = _memory_key(settings)
    with _lock:
        cached = _cached_chains.get(key)
        if cached is not None:
            return cached
    found = kept_chains(settings) or ChainSet.of(current_projection(settings))
    with _lock:
        _cached_chains.clear()
        _cached_chains[key] = found
    return found
