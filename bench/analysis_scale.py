"""Projection and analysis time for synthetic decision histories (kg/analysis/synthetic.py).

Run: .venv/bin/python bench/analysis_scale.py [--sizes 10000 100000] [--budget-s 900]

For each size it prints, measured in this one run: building the quads through GraphBuilder and
inserting them into an in-memory Oxigraph store (set-up), then the networkx projection (the
SPARQL reads), the status of every resolution and point, chains, cycles, most-cited, references
to repealed parts, mandates, the quads of the analysis graph; and the ratio of each step to the
previous size. Bounded: a size whose time, extrapolated linearly from the previous size,
would exceed --budget-s is skipped and said so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.analysis import dependencies as deps  # noqa: E402
from kg.analysis.mandates import mandate_states  # noqa: E402
from kg.analysis.projection import project  # noqa: E402
from kg.analysis.status import StatusIndex  # noqa: E402
from kg.analysis.step import analysis_quads  # noqa: E402
from kg.analysis.synthetic import synthetic_quads  # noqa: E402
from kg.iris import Minter  # noqa: E402
from kg.store import OxigraphStore  # noqa: E402

BASE = "https://w3id.org/beschlussgraph/id/"
ON = dt.date(2031, 1, 1)  # after the last synthetic session


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run_size(n: int) -> dict[str, float]:
    times: dict[str, float] = {}
    times["build quads"], quads = timed(lambda: synthetic_quads(n, BASE))
    store = OxigraphStore.in_memory()
    times["insert"], _ = timed(lambda: store.add_quads(quads))  # type: ignore[arg-type]
    times["projection"], proj = timed(lambda: project(store))
    index = StatusIndex(proj)  # type: ignore[arg-type]
    times["status (all)"], statuses = timed(lambda: index.all(ON))
    times["chains"], chains = timed(lambda: deps.chains(proj))  # type: ignore[arg-type]
    times["cycles"], _ = timed(lambda: deps.cycles(proj))  # type: ignore[arg-type]
    times["most cited"], _ = timed(lambda: deps.most_cited(proj))  # type: ignore[arg-type]
    times["stale refs"], _ = timed(lambda: deps.stale_references(proj, ON, index))  # type: ignore[arg-type]
    times["mandates"], _ = timed(lambda: mandate_states(proj, ON, index=index))  # type: ignore[arg-type]
    times["analysis graph"], aq = timed(lambda: analysis_quads(proj, Minter(BASE), ON))  # type: ignore[arg-type]
    g = proj.graph  # type: ignore[attr-defined]
    print(f"  {n:,} resolutions: {len(quads):,} quads, projection {g.number_of_nodes():,} "  # type: ignore[arg-type]
          f"nodes / {g.number_of_edges():,} edges, {len(chains):,} chains, "  # type: ignore[arg-type]
          f"{len(aq):,} analysis quads, {len(statuses):,} statuses")  # type: ignore[arg-type]
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--budget-s", type=float, default=900.0,
                        help="skip a size expected to take longer than this")
    args = parser.parse_args(argv or [])
    results: dict[int, dict[str, float]] = {}
    previous: tuple[int, float] | None = None
    for n in sorted(args.sizes):
        if previous and previous[1] * n / previous[0] > args.budget_s:
            print(f"  {n:,}: skipped (about {previous[1] * n / previous[0]:.0f} s expected, "
                  f"budget {args.budget_s:.0f} s)")
            continue
        times = run_size(n)
        results[n] = times
        previous = (n, sum(times.values()))
    sizes = sorted(results)
    if not sizes:
        return
    steps = list(results[sizes[0]])
    head = f"  {'step':<16}" + "".join(f"{n:>14,}" for n in sizes)
    if len(sizes) > 1:
        head += "   ratio (per size step)"
    print(head)
    for step in [*steps, "total (analysis)"]:
        if step == "total (analysis)":
            row = [sum(v for k, v in results[n].items()
                       if k not in ("build quads", "insert")) for n in sizes]
        else:
            row = [results[n][step] for n in sizes]
        line = f"  {step:<16}" + "".join(f"{t:>13.2f}s" for t in row)
        if len(sizes) > 1:
            line += "   " + " ".join(f"×{b / a:.1f}" if a > 0 else "-"
                                     for a, b in zip(row, row[1:], strict=False))
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
