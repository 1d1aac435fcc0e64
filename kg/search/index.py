"""The search index: its schema, the German analyzer, where it lives and how a new store
generation gets its copy.

One index entry per searchable resource *per document graph* (a resolution that both a
protocol and the register describe has two entries; kg/search/query.py shows it once), so a
reloaded document replaces exactly its own entries (`graph` is the deletion key).

Location: beside the store generation it belongs to, `…/gen-000007.search/`
(kg/store/generations.py prunes and discards `gen-N.<suffix>` with its generation), or
`KG_SEARCH_DIR` for a remote store, which has no generations: that index is updated in place.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import tantivy

from kg.settings import Settings
from kg.store import StoreDirectory, is_remote

SIDECAR_SUFFIX = ".search"
ANALYZER = "de_stem"  # lowercase, German stopwords, Snowball German, ASCII folding
IDS_ANALYZER = "ids"  # identifiers as written ("B-2025/33-IT"): lowercase, no stemming
# written into the index directory; an index of another version is rebuilt, not reused
FORMAT_FILE = "beschlussgraph-search.json"
FORMAT_VERSION = 2  # 2: notes and statements carry their author or speaker as title
WRITER_HEAP_BYTES = 64_000_000
# kinds of entries (the API's `kind` values)
KINDS = ("resolution", "point", "agenda_item", "note", "statement")


class SearchIndexMissing(Exception):
    """No search index for the store; the message says what to do."""


def german_analyzer() -> tantivy.TextAnalyzer:
    # the stemmer sees the umlauts it expects ("grüne"/"gruene" → "grun", "straße" →
    # "strass"); folding afterwards only catches what it leaves (é, à, …)
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(60))
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stopword("german"))
            .filter(tantivy.Filter.stemmer("german"))
            .filter(tantivy.Filter.ascii_fold())
            .build())


def plain_analyzer() -> tantivy.TextAnalyzer:
    """Tokens as the simple tokenizer cuts them, lowercased: positions for phrases and the
    identifiers field."""
    return (tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.remove_long(60))
            .filter(tantivy.Filter.lowercase())
            .build())


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_text_field("graph", stored=True, tokenizer_name="raw")  # deletion key
    b.add_text_field("iri", stored=True, tokenizer_name="raw")
    b.add_text_field("kind", stored=True, tokenizer_name="raw")
    b.add_text_field("ident", stored=True, tokenizer_name="raw")  # shown, not searched
    b.add_text_field("label", stored=True, tokenizer_name="raw")  # shown, not searched
    b.add_text_field("ids", stored=False, tokenizer_name=IDS_ANALYZER)
    b.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    b.add_text_field("body", stored=True, tokenizer_name=ANALYZER)
    b.add_text_field("date", stored=True, tokenizer_name="raw")
    b.add_text_field("page", stored=True, tokenizer_name="raw")  # IRI whose page shows it
    b.add_text_field("anchor", stored=True, tokenizer_name="raw")
    return b.build()


SCHEMA = build_schema()


def open_index(path: Path) -> tantivy.Index:
    """Open (or create) the index at `path` with its analyzers registered (tantivy keeps
    only their names in the index)."""
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(SCHEMA, path=str(path), reuse=True)
    index.register_tokenizer(ANALYZER, german_analyzer())
    index.register_tokenizer(IDS_ANALYZER, plain_analyzer())
    return index


def is_current_format(path: Path | None) -> bool:
    """An index written by this version of the code (else it is rebuilt)."""
    if path is None or not (path / "meta.json").is_file():
        return False
    try:
        info = json.loads((path / FORMAT_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(info, dict) and info.get("version") == FORMAT_VERSION


def mark_format(path: Path) -> None:
    (path / FORMAT_FILE).write_text(json.dumps({"version": FORMAT_VERSION}), encoding="utf-8")


def sidecar(generation: Path) -> Path:
    return generation.with_name(generation.name + SIDECAR_SUFFIX)


def link_copy(source: Path, target: Path) -> None:
    """A copy of the index at `source` whose segment files are hard links.

    Tantivy never changes a file once written (segments and delete bitsets are new files;
    meta.json is replaced by rename), so the previous generation's index stays exactly as
    its readers have it while the new one is updated. Lock files are not copied; where
    links are impossible (another file system), files are copied."""
    if target.exists():
        shutil.rmtree(target)  # left by a writer that was killed
    target.mkdir(parents=True)
    for entry in source.iterdir():
        if not entry.is_file() or entry.name.endswith(".lock"):
            continue
        if entry.name in ("meta.json", ".managed.json", FORMAT_FILE):
            shutil.copy2(entry, target / entry.name)
            continue
        try:
            os.link(entry, target / entry.name)
        except OSError:
            shutil.copy2(entry, target / entry.name)


def reader_location(settings: Settings) -> Path:
    """The index readers use: beside the current generation, or KG_SEARCH_DIR for a remote
    store. Raises SearchIndexMissing when there is none, kg.store.StoreError without a store."""
    if is_remote(settings.store) or settings.store_query_url:
        if settings.search_dir is None:
            raise SearchIndexMissing(
                "no search index: a remote store keeps it in a local directory; set "
                "KG_SEARCH_DIR and run kg load again")
        path = Path(settings.search_dir)
    else:
        directory = StoreDirectory(Path(settings.store))
        current = directory.current_path()
        if current is None:
            directory.open_read_only()  # raises the store's own "no store … load data" error
            raise SearchIndexMissing(f"no store at {settings.store}")
        path = sidecar(current)
    if not is_current_format(path):
        raise SearchIndexMissing(f"no search index for the store {settings.store}; run kg "
                                 "load again (it builds the index)")
    return path
