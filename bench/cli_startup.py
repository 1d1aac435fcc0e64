"""Cold start of the `kg` command: wall time of `kg --help` and `kg query` on the bundled data,
each a fresh process (median of --runs), next to a bare `python -c pass`.

Run: .venv/bin/python bench/cli_startup.py [--runs 7] [--store DIR]

Without --store the bundled data (data/samples) is loaded into a temporary store first. The
files are in the OS page cache after the first run; "cold" means a new interpreter that has
imported nothing, as every invocation from a shell is. Then it prints the biggest top-level
imports of `kg query` (`python -X importtime`) to show where the rest of the time goes.
Target (issue 10): `kg query` <= 0.5 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
SELECT = "SELECT ?id ?title WHERE { ?r eli:id_local ?id ; eli:title ?title } ORDER BY ?id"


def kg_command() -> list[str]:
    """The console script users run; `python -m cli.main` when it is not installed."""
    script = Path(sys.executable).with_name("kg")
    if script.exists():
        return [str(script)]
    found = shutil.which("kg")
    return [found] if found else [sys.executable, "-m", "cli.main"]


def wall(cmd: list[str], runs: int) -> tuple[float, float]:
    """Median and minimum wall time of `cmd`, each run a new process."""
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, check=False)
        samples.append(time.perf_counter() - start)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): "
                             f"{proc.stderr.decode(errors='replace')[-500:]}")
    return statistics.median(samples), min(samples)


def top_imports(python_args: list[str], count: int = 6) -> list[tuple[float, str]]:
    """The largest top-level imports (cumulative seconds) of one `python -X importtime` run."""
    proc = subprocess.run([sys.executable, "-X", "importtime", *python_args], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        _, cumulative, name = line.split("|")
        if cumulative.strip().isdigit() and not name.startswith("  "):
            rows.append((int(cumulative) / 1e6, name.strip()))
    return sorted(rows, reverse=True)[:count]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--store", type=Path, help="store to query (default: load the samples)")
    args = parser.parse_args(argv or [])
    kg = kg_command()
    with tempfile.TemporaryDirectory(prefix="kg-bench-cli-") as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "store"
            subprocess.run([*kg, "--store", str(store), "load", "--quiet", str(SAMPLES)],
                           cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("kg --help", [*kg, "--help"]),
            ("kg query 'ASK {}'", [*kg, "--store", str(store), "query", "ASK {}"]),
            ("kg query SELECT (all ids, titles)", [*kg, "--store", str(store), "query", SELECT]),
            ("kg query NAME (named query)", [*kg, "--store", str(store), "query",
                                             "resolutions-of-session", "--param",
                                             "session=48"]),
        ]
        print(f"  {'command':<36} {'median':>8} {'min':>8}  (wall, {args.runs} fresh processes)")
        for label, cmd in cases:
            median, low = wall(cmd, args.runs)
            print(f"  {label:<36} {median:>7.3f}s {low:>7.3f}s")
        print("  largest top-level imports of kg query 'ASK {}' (cumulative):")
        for seconds, name in top_imports(["-m", "cli.main", "--store", str(store), "query",
                                          "ASK {}"]):
            print(f"    {seconds:>6.3f}s  {name}")


if __name__ == "__main__":
    main(sys.argv[1:])
