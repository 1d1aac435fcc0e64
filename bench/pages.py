"""Pages and REST calls on a store of N sessions, served by `kg serve` as shipped (default
settings): the time a user waits for each, the first request of a page and the p50 of the
three after it (what the server keeps, the ids of a list or today's status, serves those).
One SPARQL ASK starts the query workers; the server then opens its own lists once
(api/warming.py, from 2,000 resolutions on), and how long that took after the start is
printed first: a visitor before then waits as without it, one after finds the lists kept.
The pages are measured after it. Used by bench/scale.py at each size; nothing is asserted.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.api_latency import free_port
from kg.analysis.cache import is_kept

ROUNDS = 3
TIMEOUT_S = 120.0


@contextlib.contextmanager
def serving(kg: list[str], store: Path) -> Iterator[str]:
    """`kg serve` on `store` on a free loopback port; its URL while it runs."""
    port = free_port()
    process = subprocess.Popen([*kg, "--store", str(store), "serve", "--host", "127.0.0.1",
                                "--port", str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"kg serve exited with code {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            time.sleep(0.2)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


HTML = {"Accept": "text/html"}


def pages(resolution: str, session: int) -> list[tuple[str, str, dict[str, str]]]:
    """(label, path, headers) of what users open: one resolution ("2011/19"), one session,
    the lists."""
    year, number = resolution.split("/")
    return [
        ("resolution page (HTML)", f"/id/eli/itplr/beschluss/{year}/{int(number):02d}", HTML),
        ("resolution (REST)", f"/resolutions/{year}/{int(number)}", {}),
        ("session (REST)", f"/sessions/{session}", {}),
        ("resolution list, first page (REST)", "/resolutions", {}),
        ("resolution list, one status (REST)", "/resolutions?status=repealed", {}),
        ("body: FITKO (REST)", "/bodies/fitko", {}),
        ("body: FITKO (HTML)", "/id/gremium/fitko", HTML),
        ("Land: Bayern (HTML)", "/id/land/BY", HTML),
        ("resolution list with facets (HTML)", "/beschluesse", HTML),
    ]


def warm_within(client: httpx.Client, generation: str, started: float) -> tuple[str, str, str]:
    """The row of the server's own warm-up of `generation` (api/warming.py): seconds after
    `started` until /health reports it done."""
    while time.perf_counter() - started < TIMEOUT_S * 5:
        warm = client.get("/health").json()["warm_up"]
        if warm["generation"] == generation:
            opened = ", ".join(warm["opened"]) or "none: a small record"
            failed = f"; failed: {', '.join(warm['failed'])}" if warm["failed"] else ""
            return ("  lists opened by the server itself",
                    f"{time.perf_counter() - started:.2f} s",
                    f"(after the start or load; {warm['resolutions']:,} resolutions; "
                    f"{opened}{failed})")
        time.sleep(0.2)
    return ("  lists opened by the server itself", "not done", f"within {TIMEOUT_S * 5:.0f} s")


def _error_code(response: httpx.Response) -> str:
    """The `code` of the API's JSON error shape, or nothing."""
    try:
        return str(response.json().get("error", {}).get("code", ""))
    except (ValueError, AttributeError):
        return ""


def measure(kg: list[str], store: Path, resolution: str, session: int
            ) -> list[tuple[str, str, str]]:
    """(label, "first / p50 s" or what went wrong, detail) per page."""
    out: list[tuple[str, str, str]] = []
    started = time.perf_counter()
    with serving(kg, store) as url, httpx.Client(base_url=url, timeout=TIMEOUT_S) as client:
        client.get("/sparql", params={"query": "ASK {}"})
        out.append(warm_within(client, (store / "current").resolve().name, started))
        for label, path, headers in pages(resolution, session):
            walls: list[float] = []
            status, size = 0, 0
            for _ in range(ROUNDS + 1):
                start = time.perf_counter()
                try:
                    r = client.get(path, headers=headers)
                except httpx.TimeoutException:
                    status = 0
                    break
                walls.append(time.perf_counter() - start)
                status, size = r.status_code, len(r.content)
                if status != 200:
                    break
            if status != 200:
                out.append((label, "failed" if status else f">{TIMEOUT_S:.0f} s",
                            f"(HTTP {status} {_error_code(r) if status else ''}) {path}"))
                continue
            p50 = statistics.median(walls[1:])
            out.append((label, f"{walls[0]:.2f} / {p50:.2f} s",
                        f"(first / then; {size / 1e3:,.0f} kB; {path})"))
    return out


# what the web keeps for a generation and carries to the next (api/browse.py, api/data.py)
AFTER_LOAD = [
    ("resolution list, first page (REST)", "/resolutions", {}),
    ("resolution list, one status (REST)", "/resolutions?status=repealed", {}),
    ("resolution list with facets (HTML)", "/beschluesse", HTML),
]


def after_load(kg: list[str], store: Path, protocol: Path, timeout_s: float
               ) -> list[tuple[str, str, str]]:
    """One more protocol loaded while `kg serve` runs on `store`, as an analyst keeps a server
    open while a colleague loads: the load, how long after it the server's keeper has the
    new projection kept and the server has opened its lists, and the first request of each
    of AFTER_LOAD after that (each was opened once before the load)."""
    out: list[tuple[str, str, str]] = []
    with serving(kg, store) as url, httpx.Client(base_url=url, timeout=TIMEOUT_S) as client:
        for _label, path, headers in AFTER_LOAD:
            client.get(path, headers=headers)
        start = time.perf_counter()
        load = subprocess.run([*kg, "--store", str(store), "load", "-q", str(protocol)],
                              capture_output=True, timeout=timeout_s, check=False)
        loaded = time.perf_counter()
        if load.returncode != 0:
            return [("one more protocol while serving", "failed",
                     f"(exit {load.returncode}) {load.stderr.decode()[-160:]}")]
        out.append(("one more protocol while serving", f"{loaded - start:.2f} s", ""))
        generation = (store / "current").resolve()
        while not is_kept(generation) and time.perf_counter() - loaded < timeout_s:
            time.sleep(0.1)
        out.append(("  projection kept after the load",
                    f"{time.perf_counter() - loaded:.2f} s" if is_kept(generation)
                    else "not kept",
                    "(the server's keeper, kg/analysis/keeper.py)"))
        out.append(warm_within(client, generation.name, loaded))
        for label, path, headers in AFTER_LOAD:
            start = time.perf_counter()
            r = client.get(path, headers=headers)
            out.append((f"  then {label}", f"{time.perf_counter() - start:.2f} s"
                        if r.status_code == 200 else f"HTTP {r.status_code}", f"({path})"))
    return out
