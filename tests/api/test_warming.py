"""The server opens its own lists once for each generation it serves (api/warming.py): at
start and after a load while it runs, so that the first visitor finds them kept; /health
says which generation's pages are warm; a page that fails does not stop the others."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api import browse, data
from api.app import create_app
from api.warming import WARM_PATHS, Warmer
from kg.settings import PROJECT_ROOT, Settings
from kg.store import StoreDirectory
from tests.api.conftest import P49, P50, free_port, live_server, load_protocol, load_samples


def _warm_within(url: str, generation: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        health = httpx.get(url + "/health", timeout=30).json()["warm_up"]
        if health["generation"] == generation:
            return health
        assert time.monotonic() < deadline, f"pages of {generation} not warm: {health}"
        time.sleep(0.2)


def _ids(url: str, status: str) -> set[str]:
    body = httpx.get(url + "/resolutions", params={"status": status, "limit": 200},
                     timeout=60).json()
    return {item["id"] for item in body["items"]}


def test_the_server_warms_its_lists_at_start_and_after_a_load(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_samples(store)
    second = load_protocol(store, P49)
    # the bundled data and the 49th session: 136 resolutions; opened from 100 on
    with live_server(store, tmp_path, warm_pages_from=100) as server:
        warm = _warm_within(server.url, second.name)
        assert (warm["resolutions"], warm["failed"]) == (136, [])
        assert warm["opened"] == list(WARM_PATHS)
        # 2026/01 "Portfoliosteuerung" of the 49th session is in force until the 50th
        assert "2026/01" not in _ids(server.url, "replaced")
        third = load_protocol(store, P50)
        assert _warm_within(server.url, third.name)["resolutions"] == 140  # 2026/10-13
        # the 50th session (24 June 2026) replaces 2026/01 by 2026/13
        assert "2026/01" in _ids(server.url, "replaced")
        assert "2026/13" in _ids(server.url, "in_force")


@pytest.fixture
def warm_app(tmp_path: Path) -> tuple[TestClient, Path]:
    store = tmp_path / "store"
    load_samples(store)
    return TestClient(create_app(Settings(store=store, query_workers=1,
                                          warm_pages_from=0))), store


def test_the_warmed_answers_are_the_ones_kept_for_the_generation(
        warm_app: tuple[TestClient, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    client, store = warm_app
    # what earlier tests kept in this process must not count
    monkeypatch.setattr(browse, "_KEPT_TABLE", [])
    monkeypatch.setattr(data, "_LISTS", type(data._LISTS)(data.KEPT_IDS, len))
    generation = StoreDirectory(store).current_path()
    with client:
        warmer = client.app.state.warmer
        client.portal.call(warmer.wait)
        assert warmer.state.generation == generation.name
        assert warmer.state.failed == []
        # the lists' ids and the browsable table are kept for this generation
        assert data._LISTS.generations() == {generation}
        assert [table.generation for table in browse._KEPT_TABLE] == [generation]


def test_a_failing_page_does_not_stop_the_others(
        warm_app: tuple[TestClient, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    client, store = warm_app
    monkeypatch.setattr(data, "_LISTS", type(data._LISTS)(data.KEPT_IDS, len))
    generation = StoreDirectory(store).current_path()
    with client:
        client.portal.call(client.app.state.warmer.wait)  # the lifespan's own run first
        # a year outside what the REST list accepts answers 400; the next one still runs
        warmer = Warmer(client.app, client.app.state.runner, 0,
                        ("/resolutions?year=1800", "/resolutions?year=2025"))

        async def run() -> None:
            warmer.start(generation)
            await warmer.wait()

        client.portal.call(run)
        assert warmer.state.failed == ["/resolutions?year=1800"]
        assert warmer.state.generation == generation.name
        assert data._LISTS.get((generation, (("year", "2025"),), None)) is not None


def test_a_small_record_is_not_opened_ahead(sample_store: Path) -> None:
    # as shipped: the bundled data's 133 resolutions are below warm_pages_from
    with TestClient(create_app(Settings(store=sample_store, query_workers=1))) as client:
        warmer = client.app.state.warmer
        client.portal.call(warmer.wait)
        warm = client.get("/health").json()["warm_up"]
        assert (warm["generation"], warm["resolutions"], warm["opened"]) == (
            StoreDirectory(sample_store).current_path().name, 133, [])


def test_without_warm_pages_nothing_is_opened(sample_store: Path) -> None:
    with TestClient(create_app(Settings(store=sample_store, query_workers=1,
                                        warm_pages=False))) as client:
        assert client.app.state.warmer is None
        assert client.get("/health").json()["warm_up"]["generation"] is None



def test_kg_serve_tells_in_its_log_when_the_lists_are_open(sample_store: Path,
                                                            tmp_path: Path) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    env = {**os.environ, "KG_WARM_PAGES_FROM": "100"}  # the bundled data's 133 resolutions
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "--store", str(sample_store), "serve",
             "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT,
            cwd=PROJECT_ROOT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while " opened in " not in log.read_text():
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    generation = StoreDirectory(sample_store).current_path().name
    # in uvicorn's own form, beside its "Application startup complete."
    assert (f"INFO:     opening the lists of {generation} (133 resolutions) before the first "
            "visitor") in text
    assert re.search(rf"INFO:     lists of {generation} opened in [0-9.]+ s \(133 resolutions\): "
                     r"/beschluesse, /resolutions, /resolutions\?status=in_force", text), text
