"""The server keeps the projection of each generation a load leaves without one
(kg/analysis/keeper.py, api/keeping.py): in a process of its own, before a page asks, equal
to a fresh projection; a request meanwhile waits for the keeper instead of projecting too."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from pathlib import Path

import httpx
import pytest

from kg.analysis import cache, keeper
from kg.settings import Settings
from kg.store import StoreDirectory
from tests.api.conftest import P49, P50, RESOLUTION, live_server, load_protocol, load_samples


def _kept_within(generation: Path, seconds: float = 120) -> bool:
    deadline = time.monotonic() + seconds
    while not cache.is_kept(generation):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _keepers(store: Path) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if "kg.analysis.keeper" in cmdline and str(store) in cmdline:
            found.append(int(pid))
    return found


def _same(kept: object, fresh: object) -> None:
    """Nodes with their attributes and edges with their keys, as sets: what every reader of
    a projection sees."""
    assert dict(kept.graph.nodes(data=True)) == dict(fresh.graph.nodes(data=True))
    assert set(kept.graph.edges(keys=True)) == set(fresh.graph.edges(keys=True))
    assert kept.by_id == fresh.by_id
    assert kept.mandates == fresh.mandates and kept.references == fresh.references


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc (Linux)")
def test_the_server_keeps_each_new_generation_s_projection(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_samples(store)
    # the 49th session changes a small region: the load keeps no projection of the record
    second = load_protocol(store, P49)
    assert not cache.is_kept(second)
    with live_server(store, tmp_path) as server:
        assert _kept_within(second), server.log.read_text()
        # a load while the server runs: the 50th session's generation is kept as well
        third = load_protocol(store, P50)
        assert _kept_within(third), server.log.read_text()
        kept = cache.load(third)
        fresh = cache.project_generation(third)
        _same(kept, fresh)
        # 2026/13 "Portfoliomanagement", passed in the 50th session on 24 June 2026
        node = kept.node(RESOLUTION + "2026/13")
        assert (node["title"], str(node["date"])) == ("Portfoliomanagement", "2026-06-24")
        rows = httpx.get(server.url + "/beschluesse.json", params={"year": "2026"},
                         timeout=60).json()["items"]
        assert {"2026/01", "2026/13"} <= {row["id"] for row in rows}
    # the keepers end with the server (and each with its own work before that)
    assert _keepers(store) == []


def test_a_request_waits_for_the_keeper_instead_of_projecting(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    load_samples(store)
    generation = load_protocol(store, P49)
    fresh = cache.project_generation(generation)
    # a keeper at work: its lock held, its projection written a moment later
    cache.sidecar(generation).mkdir(exist_ok=True)
    fd = os.open(cache.sidecar(generation) / cache.KEEPER_LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(fd, fcntl.LOCK_EX)
    assert cache.keeper_running(generation)
    assert keeper.start(generation) is None  # one keeper per generation

    def finish() -> None:
        time.sleep(0.5)
        cache.save(generation, fresh)
        os.close(fd)

    worker = threading.Thread(target=finish)
    worker.start()

    def projecting(_generation: Path) -> None:
        raise AssertionError("projected beside a running keeper")

    monkeypatch.setattr(cache, "project_generation", projecting)
    got = cache.projection_of(Settings(store=store))
    worker.join()
    assert not cache.keeper_running(generation)
    _same(got, fresh)
    # 2026/01 "Portfoliosteuerung", the first resolution of the 49th session (25 March 2026)
    assert got.node(RESOLUTION + "2026/01")["title"] == "Portfoliosteuerung"


def test_no_keeper_for_a_kept_projection(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_samples(store)  # the first load projects the whole record and keeps it
    generation = StoreDirectory(store).current_path()
    assert generation is not None and cache.is_kept(generation)
    assert keeper.start(generation) is None
