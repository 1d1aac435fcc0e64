"""Fixtures of the graph-view tests: the bundled data plus the test protocols of sessions 49
and 50 (tests/analysis/protocols), loaded once through `kg.loading.load_paths`."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.analysis.projection import Projection
from kg.settings import SAMPLES_DIR, Settings
from tests.analysis.conftest import PROTOCOLS, load, read_projection

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
BASE = "https://w3id.org/beschlussgraph/id/"
RES = BASE + "eli/itplr/beschluss/"


@pytest.fixture(scope="session")
def graph_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load(tmp_path_factory.mktemp("graphs") / "store", SAMPLES_DIR, PROTOCOLS)


@pytest.fixture(scope="session")
def proj(graph_settings: Settings) -> Projection:
    return read_projection(graph_settings)
