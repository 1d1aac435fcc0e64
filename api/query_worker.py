"""Every query runs in a worker process that is killed at its deadline.

pyoxigraph has no query timeout and holds the GIL-free Rust evaluation in-process, so the only
reliable way to stop a runaway query (a cartesian product, a huge ORDER BY) is to kill the
process running it. (Oxigraph's own server is no way out: `oxigraph serve-read-only
--timeout-s 2` went on counting a three-way cartesian product for 20 s and more, 0.5.13.) The
pool keeps `size` pre-started workers (api/query_process.py, fresh interpreters: no inherited
event loop or sockets), each with the store opened read-only; a request borrows an idle
worker, sends it a batch of jobs over a Unix socket pair and waits for the reply until the
deadline. A worker that misses the deadline is SIGKILLed and replaced in the background, and
the server keeps answering other requests with the remaining workers. Workers cannot open
network sockets (api/sandbox.py): whatever query reaches the engine, a SERVICE call fetches
nothing.

Workers reopen the store when `current` points to a new generation (after `kg load`), so a
reload never needs a server restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing.connection
import os
import socket
import subprocess
import sys
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from api.query_process import QueryJob, QueryOutcome
from kg.store import is_remote

log = logging.getLogger(__name__)
RESPAWN_ATTEMPTS = 5


class QueryTimeout(Exception):
    """The worker missed its deadline and was killed."""


class PoolBusy(Exception):
    """No worker became free within the deadline."""


class WorkerCrashed(Exception):
    """The worker died while running the job (it is replaced)."""


# -- the pool in the server process ----------------------------------------------------------


@dataclass(eq=False)  # identity semantics: workers live in a set
class _Worker:
    process: subprocess.Popen[bytes]
    conn: multiprocessing.connection.Connection


def _kill(worker: _Worker) -> None:
    with contextlib.suppress(OSError):
        worker.process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        worker.process.wait(timeout=5)
    with contextlib.suppress(OSError):
        worker.conn.close()


def _kill_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        _kill(worker)


class QueryPool:
    """A fixed-size pool of query worker processes with a per-request deadline."""

    START_TIMEOUT_S = 60.0

    def __init__(self, store_root: Path | str, size: int, timeout_s: float,
                 settings: object | None = None) -> None:
        # a URL (kg/remote.py): the workers forward queries to that server, with `settings`
        remote = is_remote(store_root) or getattr(settings, "store_query_url", None)
        self.remote_settings = settings if remote else None
        self.store_root = Path(store_root) if self.remote_settings is None else Path(".")
        self.size = max(1, size)
        self.timeout_s = timeout_s
        self._idle: asyncio.Queue[_Worker] | None = None
        self._all: set[_Worker] = set()
        self._pending: set[asyncio.Task[None]] = set()
        self._start_lock: asyncio.Lock | None = None
        self._started = False
        self._closed = False
        self.replaced = 0  # how many workers were killed and replaced (for /health and tests)
        self.sandboxed: bool | None = None  # whether the workers run without network access
        # workers must not outlive the server even when the lifespan never ran (mounted app)
        # Workers are started from threads of the pool's own, which live as long as the pool:
        # a worker dies with the thread that started it (kg/lifetime.py), and the threads of
        # an event loop's executor end with that loop (a test client runs one per request).
        self._spawner = ThreadPoolExecutor(max_workers=self.size,
                                           thread_name_prefix="kg-query-spawner")
        self._finalizer = weakref.finalize(self, _kill_all, self._all)

    # -- lifecycle

    def _spawn(self) -> _Worker:
        # a plain interpreter, not multiprocessing: no resource tracker process beside the
        # workers, and nothing of the server's imports in them
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        with theirs:
            process = subprocess.Popen(
                [sys.executable, "-m", "api.query_process", str(theirs.fileno()), str(os.getpid())],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL)
        parent = multiprocessing.connection.Connection(ours.detach())
        parent.send(str(self.store_root) if self.remote_settings is None
                    else self.remote_settings)
        if not parent.poll(self.START_TIMEOUT_S):
            process.kill()
            raise WorkerCrashed("a query worker did not start within "
                                f"{self.START_TIMEOUT_S:.0f} s")
        try:
            _, sandboxed = parent.recv()
        except EOFError as exc:
            raise WorkerCrashed(f"a query worker died while starting (exit code "
                                f"{process.wait()})") from exc
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
                *(self._in_spawner() for _ in range(self.size)))
            for worker in workers:
                self._all.add(worker)
                self._idle.put_nowait(worker)
            self._started = True

    async def _in_spawner(self) -> _Worker:
        return await asyncio.get_running_loop().run_in_executor(self._spawner, self._spawn)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._pending):
            task.cancel()
        for worker in list(self._all):
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        await asyncio.to_thread(self._join_all)
        self._spawner.shutdown(wait=False)

    def _join_all(self) -> None:
        deadline = time.monotonic() + 2
        for worker in list(self._all):
            with contextlib.suppress(subprocess.TimeoutExpired):
                worker.process.wait(timeout=max(0.0, deadline - time.monotonic()))
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
        with contextlib.suppress(OSError):
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
                fresh = await self._in_spawner()
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
