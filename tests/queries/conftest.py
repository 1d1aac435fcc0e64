"""Stores for the named-query tests, each built once per session through `kg load`.

* `seed_store`: the seed protocol alone (data/samples/itplr-48-…-protokoll.txt). Every
  expected result in expected/seed/ was checked by hand against that text.
* `extended_store`: the seed plus the test protocols in protocols/ (a fictional 49th session
  that replaces, repeals and amends 2025 resolutions and records named abstentions and votes
  against: cases the seed lacks). Expected results in expected/extended/.
* `bundled_store`: everything `make demo` loads (data/samples: seed, decision register; and
  data/record: 2025/03 as a text and as a saved page, the notice of the first session) plus
  protocols/: every query must run on it, its results are not frozen (the register grows).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.main import main
from kg.settings import SAMPLES_DIR
from kg.store import OxigraphStore, StoreDirectory
from tests.conftest import SEED

PROTOCOLS = Path(__file__).resolve().parent / "protocols"


def _load(store: Path, *paths: Path) -> OxigraphStore:
    code = main(["--store", str(store), "load", *(str(p) for p in paths)])
    assert code == 0, f"kg load {' '.join(map(str, paths))} failed with exit code {code}"
    return StoreDirectory(store).open_read_only()


@pytest.fixture(scope="session")
def seed_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("queries-seed") / "store"
    _load(path, SEED).close()
    return path


@pytest.fixture(scope="session")
def seed_store(seed_store_path: Path) -> Iterator[OxigraphStore]:
    store = StoreDirectory(seed_store_path).open_read_only()
    yield store
    store.close()


@pytest.fixture(scope="session")
def extended_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    store = _load(tmp_path_factory.mktemp("queries-extended") / "store", SEED, PROTOCOLS)
    yield store
    store.close()


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphStore]:
    store = _load(tmp_path_factory.mktemp("queries-bundled") / "store", SAMPLES_DIR,
                  SAMPLES_DIR.parent / "record", PROTOCOLS)
    yield store
    store.close()
