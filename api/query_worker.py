"""Every query runs in a worker process that is killed at its deadline.

pyoxigraph has no query timeout and holds the GIL-free Rust evaluation in-process, so the only
reliable way to stop a runaway query (a cartesian product, a huge ORDER BY) is to kill the
process running it. The pool keeps `size` pre-started workers (multiprocessing, spawn: no
inherited event loop or sockets), each with the store opened read-only; a request borrows an
idle worker, sends it a batch of jobs over a pipe and waits for the reply until the deadline.
A worker that misses the deadline is SIGKILLed and replaced in the background, and the server
keeps answering other requests with the remaining workers. Workers cannot open network
sockets (api/sandbox.py): whatever query reaches the engine, a SERVICE call fetches nothing.

Workers reopen the store when `current` points to a new generation (after `kg load`), so a
reload never needs a server restart. This module must stay light: the worker imports only
`kg.store` and `api.results`, never FastAPI.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
import weakref
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path

from api.results import serialise_boolean, serialise_select
from api.sandbox import deny_network
from kg.store import (
    OxigraphStore,
    QuerySyntaxError,
    ResultTerm,
    StoreDirectory,
    StoreError,
    is_remote,
    query_capped,
)
from kg.terms import IRI, Literal

Substitution = IRI | Literal | str | int | bool
log = logging.getLogger(__name__)
RESPAWN_ATTEMPTS = 5


@dataclass(frozen=True)
class QueryJob:
    """One query for a worker. `tabular_format` None returns rows as kg terms (for pages and
    REST); a format name returns a serialised SPARQL result."""

    sparql: str
    substitutions: dict[str, Substitution] = field(default_factory=dict)
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default: bool = True
    tabular_format: str | None = None
    graph_format: str = "turtle"
    max_rows: int = 10_000
    max_bytes: int = 20_000_000
    prefixes: dict[str, str] | None = None
    base_iri: str | None = None


@dataclass
class QueryOutcome:
    form: str = ""  # "select", "ask", "graph", or "" on error
    variables: list[str] = field(default_factory=list)
    rows: list[list[ResultTerm | None]] = field(default_factory=list)
    boolean: bool | None = None
    body: bytes | None = None
    media_type: str | None = None
    row_count: int = 0
    truncated: str | None = None  # None, "rows", "bytes"
    error_code: str | None = None  # "malformed_query", "store_unavailable", "query_failed"
    error_message: str | None = None


class QueryTimeout(Exception):
    """The worker missed its deadline and was killed."""


class PoolBusy(Exception):
    """No worker became free within the deadline."""


class WorkerCrashed(Exception):
    """The worker died while running the job (it is replaced)."""


# -- the worker process ----------------------------------------------------------------------


class _StoreHandle:
    """The read-only store of a worker, reopened when `current` moves to a new generation."""

    def __init__(self, root: Path) -> None:
        self.directory = StoreDirectory(root)
        self.store: OxigraphStore | None = None
        self.path: Path | None = None
        self.target: str | None = None  # the `current` link's text when the store was opened
        self.remote: object | None = None  # kg.remote.RemoteStore: queries forwarded over HTTP

    def get(self) -> OxigraphStore:
        if self.remote is not None:
            return self.remote  # type: ignore[return-value]
        # one readlink per query (the link's target names the generation), not a realpath walk
        try:
            target = os.readlink(self.directory.current_link)
        except OSError:
            target = None
        if self.store is not None and target is not None and target == self.target:
            return self.store
        current = self.directory.current_path()
        if self.store is None or current != self.path:
            if self.store is not None:
                self.store.close()
                self.store = None
            self.store = self.directory.open_read_only()
            self.path = current
        self.target = target
        return self.store


def _run_job(handle: _StoreHandle, job: QueryJob) -> QueryOutcome:
    try:
        store = handle.get()
        result = query_capped(
            store, job.sparql, max_rows=job.max_rows, max_bytes=job.max_bytes,
            graph_format=job.graph_format, substitutions=job.substitutions or None,
            default_graphs=job.default_graphs, named_graphs=job.named_graphs,
            union_default=job.union_default, prefixes=job.prefixes,
            base_iri=job.base_iri, select_json=job.tabular_format == "json",
        )
    except QuerySyntaxError as exc:
        return QueryOutcome(error_code="malformed_query", error_message=str(exc))
    except StoreError as exc:
        return QueryOutcome(error_code="store_unavailable", error_message=str(exc))
    except (OSError, RuntimeError, ValueError) as exc:
        # evaluation errors raised by pyoxigraph (I/O, unsupported features, bad terms)
        return QueryOutcome(error_code="query_failed", error_message=str(exc))
    if result.form == "ask":
        if job.tabular_format is None:
            return QueryOutcome(form="ask", boolean=result.boolean, row_count=1)
        out = serialise_boolean(job.tabular_format, bool(result.boolean))
        return QueryOutcome(form="ask", boolean=result.boolean, body=out.body,
                            media_type=out.media_type, row_count=1)
    if result.form == "graph":
        return QueryOutcome(form="graph", body=result.raw, media_type=result.media_type,
                            truncated=result.truncated)
    if result.raw is not None:  # SPARQL JSON written by query_capped itself
        return QueryOutcome(form="select", variables=result.variables, body=result.raw,
                            media_type=result.media_type, row_count=result.row_count,
                            truncated=result.truncated)
    if job.tabular_format is None:
        return QueryOutcome(form="select", variables=result.variables, rows=result.rows,
                            row_count=len(result.rows), truncated=result.truncated)
    out = serialise_select(job.tabular_format, result.variables, result.rows,
                           truncated=result.truncated, max_bytes=job.max_bytes)
    return QueryOutcome(form="select", variables=result.variables, body=out.body,
                        media_type=out.media_type, row_count=out.rows,
                        truncated=out.truncated)


def worker_main(store_root: str, conn: multiprocessing.connection.Connection,
                remote_settings: object | None = None) -> None:
    """Loop of a worker process: receive a list of jobs, send back a list of outcomes.

    With a remote store (`remote_settings`, kg/remote.py) the worker forwards each query to
    the SPARQL server over HTTP with the query deadline as its timeout; it needs the network
    for that, so the seccomp filter is not installed (the SERVICE/LOAD refusal in front stays,
    and the server's own settings decide what SERVICE may reach)."""
    # Ctrl-C goes to the whole process group; the parent stops workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if remote_settings is None:
        sandboxed = deny_network()  # before the store or any query: nothing runs with a network
        handle = _StoreHandle(Path(store_root))
    else:
        from kg.remote import RemoteStore  # noqa: PLC0415  (httpx only for remote stores)

        sandboxed = False
        handle = _StoreHandle(Path("."))
        handle.remote = RemoteStore.from_settings(
            remote_settings, timeout_s=remote_settings.query_timeout_s)  # type: ignore[arg-type,attr-defined]
    with contextlib.suppress(StoreError):
        handle.get()  # warm up: open the store before the first request when it exists
    conn.send(("ready", sandboxed))
    while True:
        try:
            jobs = conn.recv()
        except (EOFError, OSError):
            return
        if jobs is None:
            return
        conn.send([_run_job(handle, job) for job in jobs])


# -- the pool in the server process ----------------------------------------------------------


@dataclass(eq=False)  # identity semantics: workers live in a set
class _Worker:
    process: BaseProcess
    conn: multiprocessing.connection.Connection


def _kill(worker: _Worker) -> None:
    with contextlib.suppress(OSError, ValueError):
        worker.process.kill()
    worker.process.join(timeout=5)
    with contextlib.suppress(OSError):
        worker.conn.close()


def _kill_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        _kill(worker)


class QueryPool:
    """A fixed-size pool of query worker processes with a per-request deadline."""

    START_TIMEOUT_S = 60.0

    def __init__(self, store_root: Path | str, size: int, timeout_s: float,
                 start_method: str = "spawn", settings: object | None = None) -> None:
        # a URL (kg/remote.py): the workers forward queries to that server, with `settings`
        remote = is_remote(store_root) or getattr(settings, "store_query_url", None)
        self.remote_settings = settings if remote else None
        self.store_root = Path(store_root) if self.remote_settings is None else Path(".")
        self.size = max(1, size)
        self.timeout_s = timeout_s
        self._ctx = multiprocessing.get_context(start_method)
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._pending: set[asyncio.Task[None]] = set()
        self._start_lock: asyncio.Lock | None = None
        self._started = False
        self._closed = False
        self.replaced = 0  # how many workers were killed and replaced (for /health and tests)
        self.sandboxed: bool | None = None  # whether the workers run without network access
        # workers must not outlive the server even when the lifespan never ran (mounted app)
        self._finalizer = weakref.finalize(self, _kill_all, self._all)

    # -- lifecycle

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=worker_main,
                                    args=(str(self.store_root), child, self.remote_settings),
                                    name="kg-query-worker", daemon=True)
        process.start()
        child.close()
        if not parent.poll(self.START_TIMEOUT_S):
            process.kill()
            raise WorkerCrashed("a query worker did not start within "
                                f"{self.START_TIMEOUT_S:.0f} s")
        try:
            _, sandboxed = parent.recv()
        except EOFError as exc:
            raise WorkerCrashed(f"a query worker died while starting (exit code "
                                f"{process.exitcode})") from exc
        if not sandboxed and self.sandboxed is not False and self.remote_settings is None:
            log.warning("query workers run WITH network access (no seccomp on this "
                        "platform); only the SERVICE check keeps them from fetching URLs")
        self.sandboxed = sandboxed if self.sandboxed is None else self.sandboxed and sandboxed
        return _Worker(process, parent)

    async def start(self) -> None:
        if self._started:
            return
        if self._start_lock is None:
            self._start_lock = asyncio.Lock()
        async with self._start_lock:
            if self._started:
                return
            self._idle = asyncio.Queue()
            workers = await asyncio.gather(
                *(asyncio.to_thread(self._spawn) for _ in range(self.size)))
            for worker in workers:
                self._all.add(worker)
                self._idle.put_nowait(worker)
            self._started = True

    async def close(self) -> None:
        self._closed = True
        for task in list(self._pending):
            task.cancel()
        for worker in list(self._all):
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        await asyncio.to_thread(self._join_all)

    def _join_all(self) -> None:
        deadline = time.monotonic() + 2
        for worker in list(self._all):
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            _kill(worker)
        self._all.clear()

    @property
    def idle(self) -> int:
        return self._idle.qsize() if self._idle is not None else 0

    def pids(self) -> list[int]:
        return sorted(w.process.pid for w in self._all if w.process.pid is not None)

    # -- running jobs

    async def execute(self, jobs: list[QueryJob], timeout_s: float | None = None,
                      wait_s: float | None = None) -> list[QueryOutcome]:
        """Run `jobs` in one worker, in order; raise QueryTimeout at the deadline, which
        starts when a worker takes the jobs. PoolBusy when no worker is idle within `wait_s`
        (default: the deadline; with the scheduler in front only while a killed worker is
        being replaced)."""
        await self.start()
        assert self._idle is not None
        timeout = self.timeout_s if timeout_s is None else timeout_s
        loop = asyncio.get_running_loop()
        wait_until = loop.time() + (timeout if wait_s is None else wait_s)
        for _ in range(self.size + 1):
            try:
                worker = await asyncio.wait_for(self._idle.get(), wait_until - loop.time())
            except TimeoutError as exc:
                raise PoolBusy from exc
            try:
                worker.conn.send(jobs)
                break
            except OSError:
                # died while idle (killed from outside, OOM killer): replace it, try another
                self._replace(worker)
        else:
            raise WorkerCrashed("no live query worker")
        deadline = loop.time() + timeout
        try:
            await self._readable(worker, deadline - loop.time())
            outcomes: list[QueryOutcome] = worker.conn.recv()
        except TimeoutError as exc:
            log.warning("query stopped at the %.1f s deadline, worker %s killed: %.200s",
                        timeout, worker.process.pid, jobs[0].sparql if jobs else "")
            self._replace(worker)
            raise QueryTimeout from exc
        except (EOFError, OSError) as exc:
            self._replace(worker)
            raise WorkerCrashed(f"query worker {worker.process.pid} died") from exc
        except asyncio.CancelledError:
            # the client went away mid-query: the worker is still busy, so replace it
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return outcomes

    async def _readable(self, worker: _Worker, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.conn.fileno()

        def on_ready() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, on_ready)
        try:
            await asyncio.wait_for(ready, max(timeout, 0.0))
        finally:
            loop.remove_reader(fd)
            # uvloop makes a watched fd non-blocking; the pipe is read whole with a blocking
            # recv once its first byte is there (a large result arrives in several pieces)
            os.set_blocking(fd, True)

    def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        with contextlib.suppress(OSError, ValueError):
            worker.process.kill()  # at once: the deadline is the promise
        self.replaced += 1
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._respawn(worker))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _respawn(self, dead: _Worker) -> None:
        await asyncio.to_thread(_kill, dead)  # reap the killed process
        for attempt in range(1, RESPAWN_ATTEMPTS + 1):
            try:
                fresh = await asyncio.to_thread(self._spawn)
                break
            except (WorkerCrashed, OSError) as exc:
                log.error("cannot start a replacement query worker (attempt %d of %d): %s",
                          attempt, RESPAWN_ATTEMPTS, exc)
                await asyncio.sleep(attempt)
        else:
            return  # the pool runs smaller; /health shows it
        if self._closed:
            _kill(fresh)
            return
        self._all.add(fresh)
        assert self._idle is not None
        self._idle.put_nowait(fresh)


def default_pool_size(configured: int) -> int:
    return configured if configured > 0 else max(2, (os.cpu_count() or 2) // 2)
