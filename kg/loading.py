"""Load documents into the store: each document all or nothing, the batch in one new store
generation (see kg.store.StoreDirectory), post-load steps rewritten at the end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.build import gazetteer_quads
from kg.ingest import Built, build_document, expand
from kg.iris import Minter
from kg.pipeline import run_post_load
from kg.settings import Settings
from kg.store import StoreDirectory
from loaders.records import LoaderError


@dataclass
class LoadReport:
    loaded: list[Built] = field(default_factory=list)
    failed: list[tuple[Path, LoaderError]] = field(default_factory=list)
    triples_before: int = 0
    triples_after: int = 0

    @property
    def ok(self) -> bool:
        return not self.failed


def load_paths(paths: list[Path], settings: Settings,
               progress: Callable[[Path], None] | None = None) -> LoadReport:
    """Parse every document first (pure); a bad one is reported and skipped. Then write the
    good ones and the post-load graphs into a new generation, switched in on success."""
    minter = Minter(settings.base_iri)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    report = LoadReport()
    files = list(expand(paths))
    graphs: dict[str, Path] = {}
    for path in files:
        try:
            built = build_document(path, minter, now)
            first = graphs.setdefault(built.graph.value, path)
            if first != path:
                # X.txt and X.pdf map to the same graph: the second would replace the first
                raise LoaderError(path.name, f"describes the same document as {first.name} "
                                  f"(graph {built.graph.value}); load one of them")
            report.loaded.append(built)
        except LoaderError as exc:
            report.failed.append((path, exc))
        if progress:
            progress(path)
    directory = StoreDirectory(settings.store)
    with directory.writing() as store:
        report.triples_before = store.count_quads()
        graph, quads = gazetteer_quads(minter)
        store.replace_graph(graph, quads)
        for built in report.loaded:
            store.replace_graph(built.graph, built.quads)
        run_post_load(store, settings)
        report.triples_after = store.count_quads()
    return report
