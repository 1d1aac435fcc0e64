"""A store of the seed protocol, loaded once per session through `kg load`, for the CLI
suites that need a real query to run."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from tests.conftest import SEED


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-seed") / "store"
    assert main(["--store", str(path), "load", "--quiet", str(SEED)]) == 0
    return path
