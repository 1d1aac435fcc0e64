"""Links over everything in data/samples (protocol + register)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.loading import load_paths
from kg.settings import SAMPLES_DIR, Settings
from kg.store import OxigraphStore, StoreDirectory


@pytest.fixture(scope="module")
def samples_store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    root: Path = tmp_path_factory.mktemp("vocab-samples") / "store"
    report = load_paths([SAMPLES_DIR], Settings(store=root))
    assert report.ok, report.failed
    return StoreDirectory(root).open_read_only()


def test_eu_act_named_in_a_register_title_has_its_celex(samples_store):
    # register decision 2017/22 "Umsetzung des Richtlinie 2014/55/EU": the act is described
    # from ontology/links/eu_acts_extra.csv
    rows = samples_store.select("""
        PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT ?celex WHERE {
          <https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2017/22>
              eli:cites <http://data.europa.eu/eli/dir/2014/55/oj> .
          <http://data.europa.eu/eli/dir/2014/55/oj> bg:celex ?celex }""")
    assert rows == [{"celex": "32014L0055"}]
