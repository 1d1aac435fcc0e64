"""Stores for the analysis tests, loaded through `kg.loading.load_paths` (the path `kg load`
takes, post-load steps included).

* `bundled_store`: data/samples (the seed protocol of the 48th session and the decision
  register).
* `chain_store`: the same plus tests/analysis/protocols (sessions 49 and 50, written for these
  tests: 2026/10 replaces 2026/01, 2026/01 repeals points 2 and 4 of 2025/33, 2026/11 continues
  2025/33, 2026/13 amends the repealed point 4 of 2025/33).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.analysis.projection import Projection, project
from kg.loading import load_paths
from kg.settings import SAMPLES_DIR, Settings
from kg.store import OxigraphStore, StoreDirectory

HERE = Path(__file__).parent
PROTOCOLS = HERE / "protocols"
FIXTURES = HERE / "fixtures"
BASE = "https://w3id.org/beschlussgraph/id/"
RES = BASE + "eli/itplr/beschluss/"
TODAY = dt.date.today()


def load(store: Path, *paths: Path) -> Settings:
    settings = Settings(store=store)
    report = load_paths(list(paths), settings)
    assert report.ok, [str(e) for _, e in report.failed]
    return settings


def read_projection(settings: Settings) -> Projection:
    store = StoreDirectory(settings.store).open_read_only()
    return project(store)


@pytest.fixture(scope="session")
def bundled_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load(tmp_path_factory.mktemp("analysis-bundled") / "store", SAMPLES_DIR)


@pytest.fixture(scope="session")
def bundled(bundled_settings: Settings) -> Projection:
    return read_projection(bundled_settings)


@pytest.fixture(scope="session")
def chain_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load(tmp_path_factory.mktemp("analysis-chains") / "store", SAMPLES_DIR, PROTOCOLS)


@pytest.fixture(scope="session")
def chained(chain_settings: Settings) -> Projection:
    return read_projection(chain_settings)


@pytest.fixture(scope="session")
def handmade() -> Projection:
    """tests/analysis/fixtures/handmade.ttl: effective-from, rejection, a cycle, sub-points."""
    store = OxigraphStore.in_memory()
    from kg.terms import IRI

    store.load_file(FIXTURES / "handmade.ttl", IRI(BASE + "graph/handmade"), "turtle")
    return project(store)


def r(rid: str) -> str:
    """The IRI of council resolution `rid` ("2025/33")."""
    return RES + rid
