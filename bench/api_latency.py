"""Latency, throughput and memory of the HTTP endpoint next to Oxigraph's own server and
rdflib-endpoint, on the same data, in one run (issue 11, point 3).

Three servers on loopback serve the bundled data (`kg load data/samples` into a temporary
store, or --store): ours as shipped (uvicorn, api.app, default settings), `oxigraph
serve-read-only` on the same generation directory (its default graph is the union our loader
materialised, so both answer over exactly the same triples), and rdflib-endpoint over an
rdflib Dataset loaded from the store's N-Quads dump. 8 clients (threads, one keep-alive
connection each, the same client code for every server) send a lookup and an aggregate query.
The servers take turns in interleaved rounds (A B C A B C …), so a slow phase of the machine
does not fall on one server only. Prints p50/p99 latency, throughput, resident memory (the
whole process tree: our workers count) and the ratios the issue targets: p50 ≤ 1.2× and
throughput ≥ 0.9× Oxigraph's server, RSS within 2×, aggregate ≥ 20× faster than
rdflib-endpoint. Nothing is asserted. The clients are Python threads on the same machine, so
absolute numbers include their own overhead; the ratios compare the servers under the same
load.

    python -m bench.api_latency [--store DIR] [--requests N] [--rounds R]
Needs the bench extra: pip install -e '.[bench]' (oxigraph CLI, rdflib-endpoint).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from kg.settings import PROJECT_ROOT, SAMPLES_DIR

CLIENTS = 8
R33 = "https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2025/33"
QUERIES = {
    "lookup": ("SELECT DISTINCT ?t WHERE { <" + R33 + "> "
               "<http://data.europa.eu/eli/ontology#title> ?t }"),
    "aggregate": ("SELECT ?type (COUNT(*) AS ?n) WHERE { ?s a ?type } "
                  "GROUP BY ?type ORDER BY DESC(?n)"),
}


@dataclass
class Server:
    name: str
    url: str  # the query URL
    process: subprocess.Popen[bytes]


@dataclass
class Run:
    latencies: list[float]
    wall: float
    errors: int

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen[bytes], name: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with code {process.returncode}")
        with contextlib.suppress(httpx.HTTPError):
            r = httpx.get(url, params={"query": "ASK {}"},
                          headers={"accept": "application/sparql-results+json"}, timeout=5)
            if r.status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"{name} did not answer within {seconds:.0f} s")


@contextlib.contextmanager
def servers(store: Path, workdir: Path) -> Iterator[list[Server]]:
    from kg.store import StoreDirectory

    generation = StoreDirectory(store).current_path()
    if generation is None:
        raise SystemExit(f"no store at {store}")
    dump = workdir / "data.nq"
    reader = StoreDirectory(store).open_read_only()
    dump.write_bytes(reader.dump("nquads"))
    reader.close()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    started: list[Server] = []
    try:
        port = free_port()
        # as shipped: default workers and per-client limits, whatever they cost in the figures
        ours_env = {**env, "KG_STORE": str(store)}
        started.append(Server("beschlussgraph", f"http://127.0.0.1:{port}/sparql", subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app_from_env",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=ours_env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, start_new_session=True)))
        port = free_port()
        started.append(Server("oxigraph", f"http://127.0.0.1:{port}/query", subprocess.Popen(
            [oxigraph, "serve-read-only", "-l", str(generation), "-b", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)))
        port = free_port()
        started.append(Server("rdflib-endpoint", f"http://127.0.0.1:{port}/", subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "bench.api_latency:rdflib_app",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env={**env, "BENCH_NQUADS": str(dump)}, cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL, start_new_session=True)))
        for server in started:
            _wait(server.url, server.process, server.name)
        yield started
    finally:
        for server in started:
            server.process.terminate()
        for server in started:
            try:
                server.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.process.kill()


def rdflib_app():  # noqa: ANN201 - uvicorn factory for the rdflib-endpoint subprocess
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    dataset = Dataset(default_union=True)
    dataset.parse(os.environ["BENCH_NQUADS"], format="nquads")
    return SparqlEndpoint(graph=dataset, cors_enabled=False)


def measure(url: str, query: str, requests_per_client: int, into: Run) -> None:
    """One round: every client sends `requests_per_client` queries; adds to `into`."""
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(timeout=60) as http:
            for _ in range(requests_per_client):
                start = time.perf_counter()
                r = http.get(url, params={"query": query},
                             headers={"accept": "application/sparql-results+json"})
                took = time.perf_counter() - start
                with lock:
                    if r.status_code == 200:
                        into.latencies.append(took)
                    else:
                        into.errors += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    into.wall += time.perf_counter() - began


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (Linux /proc)."""
    found = [pid]
    for tid in os.listdir(f"/proc/{pid}/task"):
        with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{tid}/children") as f:
            for child in f.read().split():
                found.extend(_tree(int(child)))
    return found


def _memory_mib(pid: int, path: str, field: str) -> float:
    total_kib = 0
    for member in _tree(pid):
        with contextlib.suppress(OSError), open(f"/proc/{member}/{path}") as f:
            for line in f:
                if line.startswith(field):
                    total_kib += int(line.split()[1])
    return total_kib / 1024


def rss_mib(pid: int) -> float:
    """Resident memory of a server's whole process tree now, in MiB: the sum of each
    process's RSS (the issue's measure; pages the processes share count once per process)."""
    return _memory_mib(pid, "status", "VmRSS:")


def pss_mib(pid: int) -> float:
    """The same as proportional set size: a page shared by k processes counts 1/k in each,
    so the sum is what the tree takes from the machine."""
    return _memory_mib(pid, "smaps_rollup", "Pss:")


def _rows(url: str, query: str) -> int:
    r = httpx.get(url, params={"query": query},
                  headers={"accept": "application/sparql-results+json"}, timeout=120)
    r.raise_for_status()
    return len(r.json()["results"]["bindings"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="store directory (default: load samples)")
    parser.add_argument("--requests", type=int, default=25,
                        help="requests per client, per server and round")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds")
    args = parser.parse_args(argv if argv is not None else [])
    results: dict[tuple[str, str], Run] = {}
    memory: dict[str, float] = {}
    proportional: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        workdir = Path(tmp)
        store = args.store
        if store is None:
            from kg.loading import load_paths
            from kg.settings import Settings

            store = workdir / "store"
            load_paths([SAMPLES_DIR], Settings(store=store))
        with servers(store, workdir) as started:
            for label, query in QUERIES.items():
                counts = {s.name: _rows(s.url, query) for s in started}
                print(f"{label}: rows per server {counts}")
                for server in started:
                    for _ in range(3):  # warm-up
                        _rows(server.url, query)
                    results[(server.name, label)] = Run([], 0.0, 0)
                for _ in range(args.rounds):
                    for server in started:
                        measure(server.url, query, args.requests, results[(server.name, label)])
            memory = {server.name: rss_mib(server.process.pid) for server in started}
            proportional = {server.name: pss_mib(server.process.pid) for server in started}
    print(f"\n{CLIENTS} concurrent clients, loopback, JSON results, {args.rounds} interleaved "
          "rounds")
    print(f"{'server':16} {'query':10} {'n':>5} {'err':>4} {'p50 ms':>9} {'p99 ms':>9} "
          f"{'req/s':>8}")
    for (name, label), run in results.items():
        print(f"{name:16} {label:10} {len(run.latencies):5d} {run.errors:4d} "
              f"{run.pct(0.5) * 1000:9.2f} {run.pct(0.99) * 1000:9.2f} {run.throughput:8.1f}")
    print("\nresident memory after the runs (process tree): "
          + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in memory.items()))
    print("proportional set size (shared pages counted once): "
          + ", ".join(f"{name} {mib:.0f} MiB" for name, mib in proportional.items()))
    print()
    for label in QUERIES:
        ours = results[("beschlussgraph", label)]
        oxi = results[("oxigraph", label)]
        rdf = results[("rdflib-endpoint", label)]
        print(f"{label}: p50 ours/oxigraph = {ours.pct(0.5) / oxi.pct(0.5):.2f}x (target <= 1.2), "
              f"throughput ours/oxigraph = {ours.throughput / oxi.throughput:.2f} "
              "(target >= 0.9), "
              f"p50 rdflib-endpoint/ours = {rdf.pct(0.5) / ours.pct(0.5):.1f}x"
              + (" (target >= 20)" if label == "aggregate" else ""))
    print(f"memory: ours/oxigraph = {memory['beschlussgraph'] / memory['oxigraph']:.1f}x "
          "(target <= 2); proportional "
          f"{proportional['beschlussgraph'] / proportional['oxigraph']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
