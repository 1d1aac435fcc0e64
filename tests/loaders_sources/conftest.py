"""The store of this suite: protocol and register (data/samples), data/record (a page of
2025/03 as text and HTML, the notice of the first session), and a test page and notice of
2025/33, loaded through `kg load` into a real on-disk store."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from kg.settings import SAMPLES_DIR

FIXTURES = Path(__file__).parent / "fixtures"
RECORD = Path(__file__).parents[2] / "data" / "record"


def kg(store: Path, *args: str) -> int:
    return main(["--store", str(store), "-q", *args])


@pytest.fixture(scope="session")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("sources") / "store"
    assert kg(store, "load", str(SAMPLES_DIR), str(RECORD), str(FIXTURES / "b-2025-33-it.txt"),
              str(FIXTURES / "bekanntmachung-2025-48.txt")) == 0
    return store
