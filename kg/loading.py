"""Load documents into the store: each document all or nothing, the batch in one new store
generation (see kg.store.StoreDirectory), post-load steps rewritten at the end.

The cost follows what changed (DESIGN.md §5):
- parse: every document is parsed, built, linked and serialised in a pool of processes (one
  per core by default, `jobs`), so the writer only moves bytes;
- write: documents new to the store go to Oxigraph's bulk loader in batches, with their
  triples for the union default graph; a document the store already holds replaces its
  graph, and the union follows the difference;
- post-load: the global steps (vocabularies, curated links, derived facts, analysis,
  catalogue) each read the union once.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import itertools
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path

from kg import pipeline
from kg.analysis.region import described_nodes
from kg.build import gazetteer_quads
from kg.catalog import recorded_size, size_without_scan
from kg.ingest import Prepared, expand, prepare_document
from kg.iris import Minter
from kg.lifetime import end_with_parent
from kg.memory import release_freed_memory
from kg.settings import Settings
from kg.store import OxigraphStore, open_store
from loaders.limits import InputLimits
from loaders.records import LoaderError

BATCH_BYTES = 64_000_000  # bulk-load new documents in batches of about this size
# a load that wrote this many quads compacts the store's files (OxigraphStore.compact)
COMPACT_AFTER_QUADS = 250_000
AHEAD_PER_JOB = 32  # documents parsed or waiting for the writer, per parsing process


class LoadProgress:
    """What a load reports while it runs; the CLI draws it, tests and scripts ignore it."""

    def phase(self, name: str, total: int | None = None) -> None:
        """A phase starts: "parse", "write", a post-load step, "union"."""

    def advance(self, done: int = 1, triples: int = 0, label: str = "") -> None:
        """`done` more units of the current phase; `triples` written with them."""

    def waiting(self, message: str) -> None:
        """The store is locked by another writer and this load waits for it."""


@dataclass
class LoadReport:
    loaded: list[Prepared] = field(default_factory=list)
    failed: list[tuple[Path, LoaderError]] = field(default_factory=list)
    triples_before: int = 0
    triples_after: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed and not any(p.errors for p in self.loaded)


def default_jobs(configured: int) -> int:
    return configured if configured > 0 else max(1, os.cpu_count() or 1)


def limits_of(settings: Settings) -> InputLimits:
    """Each cap from the setting of the same name (KG_MAX_…)."""
    return InputLimits(**{f.name: getattr(settings, f.name) for f in fields(InputLimits)})


class _Preparer:
    """Each file prepared, yielded in the order they finish: in a pool of processes (started
    before the store is opened, so no database thread is ever forked), or in this process
    when one is enough."""

    def __init__(self, files: list[Path], settings: Settings, loaded_at: dt.datetime,
                 jobs: int) -> None:
        self.files = files
        self.args = (settings.base_iri, loaded_at, limits_of(settings))
        self.pool: cf.ProcessPoolExecutor | None = None
        self.futures: dict[cf.Future[Prepared], Path] = {}
        self.ahead = 0
        if jobs > 1 and len(files) > 1:
            # fork: the workers inherit the imported modules instead of importing them again
            method = "fork" if sys.platform == "linux" else "spawn"
            self.pool = cf.ProcessPoolExecutor(max_workers=min(jobs, len(files)),
                                               mp_context=multiprocessing.get_context(method),
                                               initializer=end_with_parent,
                                               initargs=(os.getpid(),))
            self.ahead = AHEAD_PER_JOB * min(jobs, len(files))

    def results(self) -> Iterator[tuple[Path, Prepared | LoaderError]]:
        if self.pool is None:
            for path in self.files:
                try:
                    yield path, prepare_document(path, *self.args)
                except LoaderError as exc:
                    yield path, exc
            return
        waiting = iter(self.files)
        while True:
            # a bounded number ahead of the writer: parsed documents waiting for it would
            # otherwise pile up in this process (a GB at 5,000 protocols)
            for path in itertools.islice(waiting, self.ahead - len(self.futures)):
                self.futures[self.pool.submit(prepare_document, path, *self.args)] = path
            if not self.futures:
                return
            done, _ = cf.wait(self.futures, return_when=cf.FIRST_COMPLETED)
            for future in done:
                path = self.futures.pop(future)
                try:
                    yield path, future.result()
                except LoaderError as exc:
                    yield path, exc

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None


class _Writer:
    """Documents into the generation being written: new graphs batched for the bulk loader,
    known graphs replaced one by one."""

    def __init__(self, store: OxigraphStore, progress: LoadProgress) -> None:
        self.store = store
        self.progress = progress
        self.pending: list[Prepared] = []
        self.pending_bytes = 0
        self.before: set[str] = set()  # what the replaced documents described

    def add(self, prepared: Prepared) -> None:
        if self.store.has_graph(prepared.graph):
            self.before |= described_nodes(self.store, prepared.graph)
            self.store.replace_serialized(prepared.graph, prepared.nquads)
            self.progress.advance(1, prepared.triples, prepared.path.name)
            _written(prepared)
            return
        self.pending.append(prepared)
        self.pending_bytes += len(prepared.nquads) + len(prepared.union_triples)
        if self.pending_bytes >= BATCH_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        self.store.add_new_graphs([(p.graph, p.nquads, p.union_triples) for p in self.pending])
        for p in self.pending:
            self.progress.advance(1, p.triples, p.path.name)
            _written(p)
        self.pending = []
        self.pending_bytes = 0


def _written(prepared: Prepared) -> None:
    """The report keeps counts and warnings, not the serialised quads (a GB at 1,000)."""
    prepared.nquads = prepared.union_triples = b""


def load_paths(paths: list[Path], settings: Settings, progress: LoadProgress | None = None,
               *, jobs: int | None = None, wait: bool = False,
               on_parsed: Callable[[Path], None] | None = None) -> LoadReport:
    """Parse every document (in parallel); a bad one is reported and skipped. The good ones
    and the post-load graphs go into a new generation, switched in on success."""
    progress = progress or LoadProgress()
    minter = Minter(settings.base_iri)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    report = LoadReport()
    files = list(expand(paths))
    graphs: dict[str, Path] = {}
    preparer = _Preparer(files, settings, now,
                         default_jobs(settings.load_jobs if jobs is None else jobs))
    try:
        # embedded: the writer lock and a new generation; remote (kg/remote.py): the
        # documents one PUT each, the union repaired and brought up to date at the end
        with open_store(settings, writable=True, wait=wait,
                        on_wait=progress.waiting) as store:
            catalog = minter.graph("katalog")
            recorded = recorded_size(store, catalog)
            report.triples_before = store.count_quads() if recorded is None else recorded
            graph, quads = gazetteer_quads(minter)
            store.replace_graph(graph, quads)
            writer = _Writer(store, progress)
            progress.phase("parse and write", len(files))
            for path, result in preparer.results():
                if on_parsed:
                    on_parsed(path)
                if isinstance(result, LoaderError):
                    report.failed.append((path, result))
                    progress.advance(1, 0, path.name)
                    continue
                first = graphs.setdefault(result.graph.value, path)
                if first != path:
                    # X.txt and X.pdf map to the same graph: the second would replace the first
                    report.failed.append((path, LoaderError(
                        path.name, f"describes the same document as {first.name} (graph "
                        f"{result.graph.value}); load one of them")))
                    progress.advance(1, 0, path.name)
                    continue
                writer.add(result)
                report.loaded.append(result)
            writer.flush()
            # the parsing processes and the write phase's memory are not needed by the
            # post-load steps: without them the analysis' peak is not added on top
            preparer.close()
            release_freed_memory()
            changes = pipeline.Changes(
                frozenset(p.graph.value for p in report.loaded), frozenset(writer.before),
                {p.graph.value: p.search_entries for p in report.loaded if p.search_entries})
            for step in pipeline.POST_LOAD_STEPS:
                progress.phase(step.rsplit(":", 1)[-1].replace("_", " "))
                pipeline.resolve(step)(store, settings, changes)
            size = size_without_scan(store, recorded)
            report.triples_after = store.count_quads() if size is None else size
            progress.phase("union default graph")
            if report.triples_after - report.triples_before >= COMPACT_AFTER_QUADS \
                    and hasattr(store, "compact"):
                store.settle_union()
                progress.phase("compact")
                store.compact()
    finally:
        preparer.close()
    report.loaded.sort(key=lambda p: files.index(p.path) if p.path in files else 0)
    return report
