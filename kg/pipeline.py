"""Steps that run after every load, inside the same store transaction-generation.

Each step is `step(store: OxigraphStore, settings: Settings) -> None` and rewrites only its
own named graph(s) (ontology, vocabularies, links, derived facts, analysis). Steps run in
list order; a failing step aborts the whole load, so the previous generation stays current.
Helpers add their step to POST_LOAD_STEPS (import path strings keep this module light).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from kg.settings import Settings
from kg.store import OxigraphStore

Step = Callable[[OxigraphStore, Settings], None]

POST_LOAD_STEPS: list[str] = [
    "kg.derived:refresh_derived_graph",
    "kg.vocab:load_vocabularies",
    "kg.links:refresh_links",
    "kg.analysis.step:refresh_analysis",
    # keep last: the catalogue counts the triples of every graph written before it
    "kg.catalog:refresh_catalog",
]


def resolve(path: str) -> Step:
    module, _, attr = path.partition(":")
    return getattr(importlib.import_module(module), attr)


def run_post_load(store: OxigraphStore, settings: Settings) -> list[str]:
    done = []
    for path in POST_LOAD_STEPS:
        resolve(path)(store, settings)
        done.append(path)
    return done
