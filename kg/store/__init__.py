"""The store: the only package that imports pyoxigraph.

Layout on disk (`Settings.store`)::

    store/
      current -> gen-000003     symlink, switched atomically with os.replace
      gen-000002/               previous generation, kept for readers that still have it open
      gen-000003/

Writers never touch the generation that readers use: `StoreDirectory.writing()` takes the
writer lock (one writer per store), makes a backup (hard links) of the current generation,
yields it writable, and only when the block ends without error flips `current` to it. A failed
load therefore leaves the store exactly as it was, and a read-only server never reads a
database another process is writing (undefined behaviour in RocksDB).

The default graph holds the set union of the named graphs. A writable generation records the
triples of each graph before its first change in that generation; at the end only the
difference is applied to the union, so a load costs what it changed, not what the store holds.

The package's modules, one concern each: `engine` (the embedded database), `generations` (the
directory of generations and the writer lock), `opening` (the store a setting names, embedded
or remote), `capped` (the HTTP endpoint's capped queries), `convert` and `ntriples` (terms
to and from the engine), `formats`, `errors`. This package is the only one that imports
pyoxigraph, beside kg.remote's result parsing.
"""

from kg.store.capped import CappedResult, query_capped
from kg.store.convert import BlankNodeTerm, ResultTerm, to_python, to_result_term, to_term
from kg.store.engine import OxigraphStore, QueryForms, QueryResult
from kg.store.errors import QuerySyntaxError, StoreBusy, StoreError, explain_syntax_error
from kg.store.formats import GRAPH_FORMATS, MEDIA_TYPES, RESULT_FORMATS
from kg.store.generations import StoreDirectory
from kg.store.ntriples import ntriples_text, serialise_quads, triple_lines
from kg.store.opening import is_remote, open_store, store_label

__all__ = [
    "GRAPH_FORMATS", "MEDIA_TYPES", "RESULT_FORMATS", "BlankNodeTerm", "CappedResult",
    "OxigraphStore", "QueryForms", "QueryResult", "QuerySyntaxError", "ResultTerm",
    "StoreBusy", "StoreDirectory", "StoreError", "explain_syntax_error", "is_remote",
    "ntriples_text", "open_store", "query_capped", "serialise_quads", "store_label",
    "to_python", "to_result_term", "to_term", "triple_lines",
]
