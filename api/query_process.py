"""The query worker process: it opens the store read-only and runs the jobs the server sends.

Started by the pool in api/query_worker.py as `python -m api.query_process FD PID`: FD is
its end of a Unix socket pair, PID the server's. The first message on the socket names the
store (a folder, or the settings of a remote SPARQL server). Messages are pickled with
multiprocessing's framing, one list of jobs in, one list of outcomes out. This module must
stay light, since every worker pays for what it imports: only `kg.store`, `api.results` and
`api.sandbox`, never FastAPI, asyncio or the HTTP stack.
"""

from __future__ import annotations

import contextlib
import multiprocessing.connection
import os
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

from api.results import serialise_boolean, serialise_select
from api.sandbox import deny_network
from kg.lifetime import end_with_parent
from kg.store import (
    OxigraphStore,
    QuerySyntaxError,
    ResultTerm,
    StoreDirectory,
    StoreError,
    query_capped,
)
from kg.terms import IRI, Literal

Substitution = IRI | Literal | str | int | bool


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


def worker_main(conn: multiprocessing.connection.Connection, server_pid: int) -> None:
    """Loop of a worker process: receive a list of jobs, send back a list of outcomes.

    The first message names the store: a folder (str), or the settings of a remote SPARQL
    server (kg/remote.py). With a remote store the worker forwards each query over HTTP with
    the query deadline as its timeout; it needs the network for that, so the seccomp filter is
    not installed (the SERVICE/LOAD refusal in front stays, and the server's own settings
    decide what SERVICE may reach)."""
    # Ctrl-C goes to the whole process group; the parent stops workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent(server_pid)
    store = conn.recv()
    if isinstance(store, str):
        sandboxed = deny_network()  # before the store or any query: nothing runs with a network
        handle = _StoreHandle(Path(store))
    else:
        from kg.remote import RemoteStore  # noqa: PLC0415  (httpx only for remote stores)

        sandboxed = False
        handle = _StoreHandle(Path("."))
        handle.remote = RemoteStore.from_settings(store, timeout_s=store.query_timeout_s)
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


if __name__ == "__main__":
    # through the module's own name, so that pickled jobs and outcomes name
    # api.query_process and not __main__
    from api.query_process import worker_main as run_worker

    run_worker(multiprocessing.connection.Connection(int(sys.argv[1])), int(sys.argv[2]))
