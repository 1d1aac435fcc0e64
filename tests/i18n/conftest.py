"""Fixtures of the language tests: the bundled samples loaded through `kg load` into a store
on disk, and the app in-process on it (its query workers are real processes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import app_client, load_samples


@pytest.fixture(scope="session")
def i18n_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("i18n-samples") / "store"
    load_samples(store)
    return store


@pytest.fixture(scope="module")
def client(i18n_store: Path) -> Iterator[TestClient]:
    with app_client(i18n_store, query_workers=1) as c:
        yield c
