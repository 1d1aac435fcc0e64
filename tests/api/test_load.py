"""A bounded load test against a live uvicorn on loopback (slow suite): 14 client threads for
LOAD_SECONDS over the main routes, then a report of error counts, p50/p99 per route and the
server's RSS (uvicorn plus its query workers) over time. Latencies are printed, never asserted
(they depend on the machine and its neighbours); every answer must be a 200 with the right
content — with the shipped defaults no client here exceeds its queue.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import R33, live_server

pytestmark = pytest.mark.slow

LOAD_SECONDS = 15.0  # with the server's start, the test stays under 30 s
ELI = "http://data.europa.eu/eli/ontology#"
TITLE = "Portfoliosteuerung des IT-Planungsrats"


@dataclass(frozen=True)
class Route:
    name: str
    request: Callable[[httpx.Client, str], httpx.Response]
    correct: Callable[[httpx.Response], bool]


def _sparql(query: str) -> Callable[[httpx.Client, str], httpx.Response]:
    return lambda client, url: client.get(url + "/sparql", params={"query": query})


ROUTES = [
    Route("sparql lookup", _sparql(f"SELECT DISTINCT ?t WHERE {{ <{R33}> <{ELI}title> ?t }}"),
          lambda r: r.json()["results"]["bindings"][0]["t"]["value"] == TITLE),
    Route("sparql aggregate",
          _sparql("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"),
          lambda r: int(r.headers["x-result-rows"]) > 10),
    Route("page", lambda c, url: c.get(url + "/id/eli/itplr/beschluss/2025/33",
                                       headers={"accept": "text/html"}),
          lambda r: TITLE in r.text),
    Route("rest", lambda c, url: c.get(url + "/resolutions", params={"limit": 5}),
          lambda r: len(r.json()["items"]) == 5),
]


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.wrong: list[str] = []

    def record(self, route: str, seconds: float, outcome: str, wrong: str | None) -> None:
        with self.lock:
            self.latency[route].append(seconds)
            self.outcomes[(route, outcome)] += 1
            if wrong:
                self.wrong.append(f"{route}: {wrong}")


def _client_loop(url: str, source: str, offset: int, until: float, rec: Recorder) -> None:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, timeout=30) as client:
        i = offset
        while time.monotonic() < until:
            route = ROUTES[i % len(ROUTES)]
            i += 1
            started = time.perf_counter()
            try:
                response = route.request(client, url)
            except httpx.HTTPError as exc:
                rec.record(route.name, time.perf_counter() - started, type(exc).__name__,
                           str(exc))
                continue
            elapsed = time.perf_counter() - started
            wrong = None
            if response.status_code != 200:
                wrong = response.text[:200]
            elif not route.correct(response):
                wrong = "wrong content: " + response.text[:200]
            rec.record(route.name, elapsed, str(response.status_code), wrong)


def _rss_kib(pid: int) -> int:
    """RSS of `pid` and its children (the query workers), from /proc."""
    total = 0
    pids = [pid] + [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
                    and _parent(int(p.name)) == pid]
    for each in pids:
        try:
            for line in (Path("/proc") / str(each) / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue  # a worker replaced in between
    return total


def _parent(pid: int) -> int | None:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def test_bounded_load(sample_store: Path, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    if not Path("/proc/self/status").exists():
        pytest.skip("RSS is read from /proc (Linux)")
    rec = Recorder()
    rss: list[tuple[float, int]] = []
    with live_server(sample_store, tmp_path) as server:
        pid = server.process.pid
        start = time.monotonic()
        until = start + LOAD_SECONDS
        # a notebook: 8 threads behind one address; and 6 people with an address each
        sources = ["127.0.0.1"] * 8 + [f"127.0.1.{i}" for i in range(1, 7)]
        threads = [threading.Thread(target=_client_loop, args=(server.url, s, i, until, rec))
                   for i, s in enumerate(sources)]
        for thread in threads:
            thread.start()
        while time.monotonic() < until:
            rss.append((time.monotonic() - start, _rss_kib(pid)))
            time.sleep(1.0)
        for thread in threads:
            thread.join(timeout=60)
        rss.append((time.monotonic() - start, _rss_kib(pid)))
        health = httpx.get(server.url + "/health").json()

    with capsys.disabled():
        print(f"\nload test: {len(sources)} clients, {LOAD_SECONDS:g} s, "
              f"server replaced {health['replaced']} workers, refused {health['refused']}")
        print(f"{'route':<18}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p99 ms':>9}")
        for route in ROUTES:
            times = rec.latency[route.name]
            errors = sum(n for (name, outcome), n in rec.outcomes.items()
                         if name == route.name and outcome != "200")
            print(f"{route.name:<18}{len(times):>9}{errors:>8}"
                  f"{statistics.median(times) * 1000:>9.1f}"
                  f"{_percentile(times, 0.99) * 1000:>9.1f}")
        print("errors by route and outcome:",
              dict(c for c in rec.outcomes.items() if c[0][1] != "200") or "none")
        print("server RSS (MiB) over time: " + ", ".join(
            f"{t:.0f}s {kib / 1024:.0f}" for t, kib in rss))

    assert all(not thread.is_alive() for thread in threads)
    assert rec.wrong == []
    assert {outcome for _, outcome in rec.outcomes} == {"200"}
    assert all(rec.latency[route.name] for route in ROUTES)  # every route was exercised
    assert health["waiting"] == 0 and health["running"] == 0
    assert health["refused"] == {}
