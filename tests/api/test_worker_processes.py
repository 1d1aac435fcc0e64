"""The query workers behind a real server: what runs beside it, and that they end with it."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import live_server
from tests.processes import alive

pytestmark = pytest.mark.slow

R33 = "https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2025/33"
# hours of counting on the sample store: keeps a worker busy until the deadline
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        found += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return found


def _command(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]


def _ask(url: str, query: str) -> None:
    with contextlib.suppress(httpx.HTTPError):
        httpx.get(url, params={"query": query}, timeout=60)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)")
def test_the_workers_are_the_only_processes_beside_the_server_and_end_with_it(
        sample_store: Path, tmp_path: Path) -> None:
    with live_server(sample_store, tmp_path, query_workers=2, query_timeout_s=600) as server:
        answer = httpx.get(server.sparql, params={
            "query": f"SELECT ?t WHERE {{ <{R33}> <http://data.europa.eu/eli/ontology#title> ?t }}"},
            headers={"accept": "application/sparql-results+json"}, timeout=30)
        titles = {b["t"]["value"] for b in answer.json()["results"]["bindings"]}
        assert titles == {"Portfoliosteuerung des IT-Planungsrats"}
        workers = _children(server.process.pid)
        # two query workers and nothing else (multiprocessing would add its resource tracker)
        assert [_command(pid)[1:3] for pid in workers] == [["-m", "api.query_process"]] * 2
        # one worker busy with a query that would outlast the test; the other idle
        busy = threading.Thread(target=_ask, args=(server.sparql, CARTESIAN), daemon=True)
        busy.start()
        time.sleep(1.0)
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [pid for pid in workers if alive(pid)] == []
