"""Steps that run after every load, inside the same store transaction-generation.

Each step is `step(store: OxigraphStore, settings: Settings, changes: Changes | None = None)`
and rewrites only its own named graph(s) or files (vocabularies, links, derived facts,
analysis, catalogue, search index). `changes` says which document graphs this load wrote, so
that a step's cost can follow what changed (DESIGN.md §5); None means "recompute everything".
Steps run in list order; a failing step aborts the whole load, so the previous generation
stays current. Import path strings keep this module light.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from kg.settings import Settings
from kg.store import OxigraphStore


@dataclass(frozen=True)
class Changes:
    """What a load wrote: the IRIs of the document graphs it added or replaced, and what the
    replaced ones described before (resolutions, points, mandates and the resolutions they
    referred to), so that a step can also retract what a document no longer says; and what
    the parsing processes computed for a step already."""

    documents: frozenset[str] = frozenset()
    before: frozenset[str] = frozenset()
    # graph IRI -> the document's search entries, extracted by the process that parsed it
    # (kg.search.extract.document_entries); a document without them is read from the store
    search_entries: Mapping[str, bytes] = field(default_factory=dict)

    def mentioned(self, store: OxigraphStore) -> set[str]:
        """The resolutions and other bodies' decisions the written documents state, and
        what the replaced ones described before: the only ones whose per-resolution facts
        (labels by number, bg:isLoaded) a load can change."""
        from kg.terms import IRI  # noqa: PLC0415

        docs = " ".join(IRI(d).n3() for d in sorted(self.documents))
        rows = store.select(f"""SELECT DISTINCT ?r WHERE {{ VALUES ?d {{ {docs} }}
            VALUES ?kind {{ bg:Resolution bg:ExternalDecision }} GRAPH ?d {{ ?r a ?kind }} }}""",
                            prefixes={"bg": "https://w3id.org/beschlussgraph/ontology#"})
        return {row["r"].value for row in rows if isinstance(row["r"], IRI)} | set(self.before)


Step = Callable[..., None]

POST_LOAD_STEPS: list[str] = [
    "kg.derived:refresh_derived_graph",
    "kg.vocab:load_vocabularies",
    "kg.links:refresh_links",
    "kg.analysis.step:refresh_analysis",
    "kg.search.step:refresh_search",
    # keep last: the catalogue counts the triples of every graph written before it
    "kg.catalog:refresh_catalog",
]


def resolve(path: str) -> Step:
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


def run_post_load(store: OxigraphStore, settings: Settings,
                  changes: Changes | None = None) -> list[str]:
    done = []
    for path in POST_LOAD_STEPS:
        resolve(path)(store, settings, changes)
        done.append(path)
    return done
