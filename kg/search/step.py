"""Post-load step: bring the search index up to date with what the load wrote.

The new generation's index starts as a hard-linked copy of the current generation's
(kg/search/index.py: tantivy never rewrites a file) and only the documents of `changes` are
deleted and indexed again; without a previous index (a store loaded before search existed,
or an index of an older format) or without `changes`, every document is indexed. A step that
fails aborts the load, and kg/store/generations.py removes `gen-N.search` with the unpublished
generation, so readers keep the previous index.

A remote store has no generations: its index lives in KG_SEARCH_DIR and is updated in place
(tantivy's commit is atomic: a failure before it leaves the index as it was).
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Mapping
from pathlib import Path

from tantivy import Document

from kg.pipeline import Changes
from kg.search.extract import Entry, read_entries, source_documents, unpack_entries
from kg.search.index import (
    WRITER_HEAP_BYTES,
    is_current_format,
    link_copy,
    mark_format,
    open_index,
    sidecar,
)
from kg.settings import Settings
from kg.store import StoreDirectory


def refresh_search(store: object, settings: Settings, changes: Changes | None = None) -> None:
    generation: Path | None = getattr(store, "path", None)
    if generation is not None:
        target = sidecar(generation)
        previous = StoreDirectory(generation.parent).current_path()
        rebuild = changes is None or previous is None \
            or not is_current_format(sidecar(previous))
        if rebuild:
            _discard(target)
        else:
            link_copy(sidecar(previous), target)  # type: ignore[arg-type]
    elif settings.search_dir is not None:
        target = Path(settings.search_dir)
        rebuild = changes is None or not is_current_format(target)
        if rebuild:
            _discard(target)
    else:
        return  # a remote store without KG_SEARCH_DIR: no index (README, "Search")
    write_index(store, target, None if rebuild else sorted(changes.documents),  # type: ignore[union-attr]
                changes.search_entries if changes is not None else {})


def write_index(store: object, target: Path, documents: list[str] | None,
                extracted: Mapping[str, bytes] | None = None) -> int:
    """Index `documents` (graph IRIs) anew in the index at `target`, or every document
    (None, into an empty index). The entries of a document in `extracted` are taken from it
    (kg.search.extract.document_entries), the others read from the store. Returns the number
    of entries written."""
    extracted = extracted or {}
    wanted = source_documents(store) if documents is None and extracted else documents
    unread = None if wanted is None else [d for d in wanted if d not in extracted]
    entries: list[Entry] = read_entries(store, unread) if unread is None or unread else []
    for graph in wanted or ():
        if graph in extracted:
            entries.extend(unpack_entries(extracted[graph]))
    try:
        index = open_index(target)
        writer = index.writer(WRITER_HEAP_BYTES, 1)
        if documents is None:
            writer.delete_all_documents()
        else:
            for graph in documents:
                writer.delete_documents_by_term("graph", graph)
        for entry in entries:
            writer.add_document(Document(**entry.fields()))
        writer.commit()
        writer.wait_merging_threads()
    except ValueError as exc:
        # tantivy reports a failed write (a full disk, a file size limit) as ValueError; as
        # OSError the load says so in one message and leaves the store as it was
        raise OSError(errno.EIO, f"cannot write the search index in {target}: {exc}") from exc
    mark_format(target)
    return len(entries)


def _discard(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
