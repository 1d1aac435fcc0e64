"""The whole data path at 100 / 1,000 / 10,000 sessions, as a user runs it (issue 10 item 8).

Run: .venv/bin/python -m bench.scale [--sizes 100 1000 10000] [--budget-s 1800] [--seed 0]

For each size N, from one run: N synthetic protocols (bench/synth_protocols.py) are loaded
with `kg --store S load DIR` in a subprocess with default settings (wall time, peak RSS of the
process tree, documents loaded and failed); the store is exported with
`kg export --format nquads` and the same quads are bulk-loaded by pyoxigraph's
`Store.bulk_load` into a fresh on-disk store (rates and their ratio); protocol N + 1 is loaded
into that store and into an empty one (ratio); `kg status`, `kg chains` and `kg impact` are
timed once each next to the start-up of `kg --help`, and five named queries run five times
each (p50; a query slower than 30 s runs once); `kg serve` answers nine pages and REST
calls (bench/pages.py: the first request of each and the p50 of three after it); then,
with `kg serve` running, protocol N + 2 is loaded and the bench times how soon the server's
keeper has the new projection kept and the first request of the whole list, a list of one
status and /beschluesse after it (each opened once before the load). It prints, it never
asserts. A size whose load time, extrapolated from the sizes before it, exceeds
--budget-s is skipped and said so;
`kg load` past the budget, or any other command past --command-timeout-s, is stopped and
reported as such.
"""

from __future__ import annotations

import argparse
import collections
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import pages as bench_pages
from bench import synth_protocols as synth

# the console script a user types, from the same environment as this interpreter
KG = [str(Path(sys.executable).parent / "kg")]
QUERY_ROUNDS = 5
SLOW_S = 30.0  # a query slower than this once is not repeated: its one run is the answer
# The raw engine path the load is compared with: one process, pyoxigraph's bulk loader on the
# exported N-Quads, timed around bulk_load alone (interpreter start-up excluded).
RAW_BULK_LOAD = """
import sys, time
import pyoxigraph
store = pyoxigraph.Store(sys.argv[1])
start = time.perf_counter()
store.bulk_load(path=sys.argv[2], format=pyoxigraph.RdfFormat.N_QUADS)
store.flush()
print(time.perf_counter() - start)
"""

try:
    import psutil
except ImportError:  # the tree's RSS needs psutil; without it only the largest process counts
    psutil = None


@dataclass
class Run:
    cmd: list[str]
    wall: float
    returncode: int | None  # None: stopped at the budget
    stdout: str
    stderr: str
    peak_tree_rss: int = 0  # bytes, sampled sum over the process and its children
    max_process_rss: int = 0  # bytes, largest single process (from wait4)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run(cmd: list[str], timeout: float | None = None, cwd: Path | None = None) -> Run:
    """One command in its own process group, with wall time, RSS and a hard stop."""
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd, start_new_session=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        if psutil is None:
            return
        try:
            parent = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not done.is_set():
            try:
                procs = [parent, *parent.children(recursive=True)]
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                peak[0] = max(peak[0], total)
            except psutil.Error:
                break
            done.wait(0.05)

    stopped = [False]

    def stop() -> None:
        stopped[0] = True
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the group started above, nothing else
        except ProcessLookupError:
            pass

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    timer = threading.Timer(timeout, stop) if timeout else None
    if timer:
        timer.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    if timer:
        timer.cancel()
    sampler.join()
    if stopped[0]:
        try:  # workers the killed parent left behind, still in its group
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    out.seek(0)
    err.seek(0)
    return Run(cmd, wall, None if stopped[0] else proc.returncode,
               out.read().decode(errors="replace"), err.read().decode(errors="replace"),
               peak[0], usage.ru_maxrss * 1024)


@dataclass
class Result:
    n: int
    rows: dict[str, str] = field(default_factory=dict)
    total_s: float = 0.0
    load_s: float | None = None
    notes: list[str] = field(default_factory=list)

    def add(self, key: str, cell: str, detail: str = "") -> None:
        """A table cell (short) and, for the progress lines only, what it is made of."""
        self.rows[key] = cell
        print(f"    {key:<32} {cell}{'  ' + detail if detail else ''}", flush=True)


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 100 else f"{seconds:.0f} s"


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:,.0f} MB"


def _failed(r: Run) -> str:
    return f">{_s(r.wall)} stopped" if r.returncode is None else f"exit {r.returncode}"


def _documents(load: Run, n: int) -> tuple[int, str]:
    """Documents loaded, and the first failure as kg load reported it. Rich wraps long lines
    when it writes to a file, so the text is read with its whitespace folded."""
    out, err = " ".join(load.stdout.split()), " ".join(load.stderr.split())
    first = ""
    if (m := re.search(r"(\S[^()]{0,200}?) \(skipped;", err)):
        first = m.group(1)
    if (m := re.search(r"loaded ([\d,]+) of ([\d,]+) documents", out)):
        return int(m.group(1).replace(",", "")), first
    return n - len(re.findall(r"\(skipped;", err)), first


def _pick_ids(plans: list[dict[str, Any]]) -> dict[str, str]:
    """Parameters that make the analysts' questions non-trivial on this data."""
    incoming: collections.Counter[str] = collections.Counter()
    partial: list[str] = []
    for plan in plans:
        for ref in plan["references"]:
            if ref["target_kind"] == "resolution":
                incoming[ref["target"]] += 1
                if ref["relation"] in ("repeals_part", "amends_part"):
                    partial.append(ref["target"])
    most_cited = incoming.most_common(1)[0][0] if incoming else plans[0]["resolutions"][0]["id"]
    last = plans[-1]["date"]
    mid_year = int(plans[len(plans) // 2]["date"][:4])
    return {"status": partial[0] if partial else most_cited, "impact": most_cited,
            "on": last, "mandate_year": str(mid_year + 1)}


def queries(ids: dict[str, str]) -> list[tuple[str, list[str]]]:
    """Five questions analysts ask: in force on a date, what refers to X, who must deliver
    by when, what was repealed, full text."""
    return [
        ("in-force-on-date", ["-p", f"date={ids['on']}"]),
        ("references-incoming", ["-p", f"resolution={ids['impact']}"]),
        ("mandates-due-in-quarter", ["-p", "assignee=FITKO", "-p",
                                     f"year={ids['mandate_year']}", "-p", "quarter=2"]),
        ("repealed-resolutions", []),
        ("full-text-search", ["-p", "q=Registermodernisierung"]),
    ]


def measure(n: int, seed: int, work: Path, budget_s: float, command_s: float) -> Result:
    result = Result(n)
    began = time.perf_counter()
    root = work / f"n{n}"
    protocols, extra, store, empty = (root / "protocols", root / "extra", root / "store",
                                      root / "empty")
    extra.mkdir(parents=True)

    t0 = time.perf_counter()
    # N + 2 sessions in one go: session N + 1 is the "one more protocol" of the incremental
    # load, N + 2 the one loaded while `kg serve` runs, and the first N are the same files a
    # run of N would write.
    paths = synth.generate(n + 2, seed, protocols)
    plans = synth.read_manifest(protocols)
    (protocols / synth.MANIFEST).unlink()
    one_more, while_serving = extra / paths[-2].name, extra / paths[-1].name
    paths[-2].rename(one_more)
    paths[-1].rename(while_serving)
    plans, plan_more = plans[:-2], plans[-2]
    n_res = sum(len(p["resolutions"]) for p in plans)
    n_refs = sum(len(p["references"]) for p in plans)
    size = sum(p.stat().st_size for p in paths[:-2])
    result.add("resolutions", f"{n_res:,}", f"({n_refs:,} references, {size / 1e6:.1f} MB "
                                            f"of text)")
    result.add("generate", _s(time.perf_counter() - t0))

    load = run([*KG, "--store", str(store), "load", str(protocols)], timeout=budget_s)
    if load.returncode is None:
        result.add("kg load", f">{_s(load.wall)}", "stopped at the budget")
        result.total_s = time.perf_counter() - began
        return result
    loaded, first_failure = _documents(load, n)
    result.load_s = load.wall
    result.add("kg load", _s(load.wall), f"(exit {load.returncode})")
    result.add("  documents loaded", f"{loaded:,}/{n:,}")
    result.add("  peak RSS, process tree", _mb(load.peak_tree_rss) if psutil else "n/a",
               "" if psutil else "(psutil missing: only the largest process is known)")
    result.add("  peak RSS, largest process", _mb(load.max_process_rss))
    if loaded < n:
        result.notes.append(f"{n - loaded:,} documents not loaded, e.g. {first_failure}")
    if load.returncode not in (0, 1):  # 1: some documents skipped, the rest is in the store
        result.notes.append(f"kg load exit {load.returncode}: {load.stderr.strip()[-300:]}")
        result.total_s = time.perf_counter() - began
        return result

    nq = root / "export.nq"
    export = run([*KG, "--store", str(store), "export", "--format", "nquads", "-o", str(nq)],
                 timeout=command_s)
    if export.ok and nq.exists():
        with nq.open("rb") as fh:
            quads = sum(1 for line in fh if line.strip())
        result.add("quads in the store", f"{quads:,}")
        result.add("kg export --format nquads", _s(export.wall))
        raw = run([sys.executable, "-c", RAW_BULK_LOAD, str(root / "raw"), str(nq)],
                  timeout=command_s)
        if raw.ok:
            raw_s = float(raw.stdout.strip().splitlines()[-1])
            ours_rate, raw_rate = quads / load.wall, quads / raw_s
            result.add("pyoxigraph bulk_load, same quads", _s(raw_s),
                       f"(RSS {_mb(raw.max_process_rss)})")
            result.add("  kg load quads/s", f"{ours_rate:,.0f}")
            result.add("  bulk_load quads/s", f"{raw_rate:,.0f}")
            result.add("  kg load rate / bulk_load rate", f"{ours_rate / raw_rate:.3f}×")
        else:
            result.add("pyoxigraph bulk_load, same quads", "failed", raw.stderr.strip()[-200:])
        nq.unlink()
        shutil.rmtree(root / "raw", ignore_errors=True)
    else:
        result.add("kg export --format nquads", "failed",
                   f"(exit {export.returncode}) {export.stderr.strip()[-200:]}")

    ids = _pick_ids(plans)
    start_up = statistics.median(run([*KG, "--help"]).wall for _ in range(3))
    result.add("kg --help (process start, p50)", _s(start_up))
    for label, cmd in [
        ("kg status ID", ["status", ids["status"], "--on", ids["on"]]),
        ("kg chains", ["chains"]),
        ("kg impact ID", ["impact", ids["impact"]]),
    ]:
        r = run([*KG, "--store", str(store), *cmd], timeout=command_s)
        shown = " ".join(cmd)
        result.add(label, _s(r.wall) if r.ok else _failed(r),
                   f"(kg {shown})" if r.ok else f"(kg {shown}) {r.stderr.strip()[-160:]}")
    for name, params in queries(ids):
        walls = []
        for _ in range(QUERY_ROUNDS):
            # csv to a file: the query and its rows, not the rendering of a terminal table
            r = run([*KG, "--store", str(store), "query", name, *params, "--format", "csv"],
                    timeout=command_s)
            if not r.ok:
                walls = []
                result.add(f"query {name}", _failed(r), r.stderr.strip()[-160:])
                break
            walls.append(r.wall)
            if r.wall > SLOW_S:
                break
        if walls:
            rows = max(0, len(r.stdout.strip().splitlines()) - 1)
            runs = f"p50 of {len(walls)}" if len(walls) > 1 else "1 run, too slow to repeat"
            result.add(f"query {name}", _s(statistics.median(walls)),
                       f"({runs}, {rows:,} rows; {' '.join(params)})")

    # what a user of the web waits for on this store
    try:
        for label, cell, detail in bench_pages.measure(KG, store, ids["impact"], max(1, n // 2)):
            result.add(f"page {label}", cell, detail)
    except RuntimeError as exc:
        result.add("pages", "failed", str(exc))

    # one more protocol: the store of N sessions vs an empty store
    into_n = run([*KG, "--store", str(store), "load", str(one_more)], timeout=command_s)
    into_empty = run([*KG, "--store", str(empty), "load", str(one_more)], timeout=command_s)
    if into_n.ok and into_empty.ok:
        result.add("one more protocol, into N", _s(into_n.wall))
        result.add("one more protocol, into empty", _s(into_empty.wall))
        result.add("  into N / into empty", f"{into_n.wall / into_empty.wall:.1f}×")
        # a load that recomputed only a region keeps no projection: the next whole-record
        # command carries the last one forward (kg/analysis/carry.py) and keeps it
        for label in ("kg chains, first after that load", "kg chains, again"):
            r = run([*KG, "--store", str(store), "chains"], timeout=command_s)
            result.add(label, _s(r.wall) if r.ok else _failed(r))
        # the web after a load: the keeper carries the projection forward, the lists and
        # /beschluesse read again only what the load changed
        try:
            for label, cell, detail in bench_pages.after_load(KG, store, while_serving,
                                                              command_s):
                result.add(label, cell, detail)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            result.add("one more protocol while serving", "failed", str(exc)[-160:])
    else:
        result.add("one more protocol, into N", "failed",
                   f"(exit {into_n.returncode} / {into_empty.returncode}, session "
                   f"{plan_more['number']}) {(into_n.stderr or into_empty.stderr).strip()[-160:]}")
    result.total_s = time.perf_counter() - began
    return result


def extrapolate(done: list[Result], n: int) -> tuple[float, str] | None:
    """Expected seconds of `kg load` at size n: the growth between the last two measured
    sizes (at least linear), or linear from one. The load is what the budget bounds; every
    other command has its own timeout."""
    measured = [r for r in done if r.load_s]
    if not measured:
        return None
    last = measured[-1]
    assert last.load_s is not None
    k = 1.0
    if len(measured) > 1:
        prev = measured[-2]
        assert prev.load_s is not None
        k = max(1.0, math.log(last.load_s / prev.load_s) / math.log(last.n / prev.n))
    return last.load_s * (n / last.n) ** k, f"n^{k:.2f} from {last.n:,}"


def print_table(results: list[Result]) -> None:
    if not results:
        return
    keys: list[str] = []
    for r in results:
        keys += [k for k in r.rows if k not in keys]
    width = max(len(k) for k in [*keys, "sessions"])
    cells = [[r.rows.get(k, "-") for r in results] for k in keys]
    col = max(12, *(len(c) for row in cells for c in row))
    print(f"\n  {'sessions':<{width}}" + "".join(f"{r.n:>{col + 2},}" for r in results))
    for key, row in zip(keys, cells, strict=True):
        print(f"  {key:<{width}}" + "".join(f"{c:>{col + 2}}" for c in row))
    print(f"  {'(bench wall time)':<{width}}" + "".join(f"{_s(r.total_s):>{col + 2}}"
                                                      for r in results))
    loads = [(r.n, r.load_s) for r in results if r.load_s]
    if len(loads) > 1:
        steps = ", ".join(f"{a:,}→{b:,}: n^{math.log(tb / ta) / math.log(b / a):.2f}"
                          for (a, ta), (b, tb) in zip(loads, loads[1:], strict=False))
        print(f"  kg load time grows {steps}")
    for r in results:
        for note in r.notes:
            print(f"  note ({r.n:,}): {note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10_000])
    parser.add_argument("--budget-s", type=float, default=1800.0,
                        help="skip a size expected to take longer; stop kg load past it")
    parser.add_argument("--command-timeout-s", type=float, default=600.0,
                        help="stop any other single command past this")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work-dir", type=Path, default=None,
                        help="where protocols and stores go (default: a new dir in /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data")
    args = parser.parse_args(argv or [])
    work = Path(tempfile.mkdtemp(prefix="kg-scale-", dir=args.work_dir or "/tmp"))
    print(f"  kg as a user runs it, default settings; seed {args.seed}; {os.cpu_count()} cores; "
          f"data in {work}")
    results: list[Result] = []
    try:
        for n in sorted(set(args.sizes)):
            expected = extrapolate(results, n)
            if expected and expected[0] > args.budget_s:
                print(f"  {n:,} sessions: skipped (kg load about {expected[0]:.0f} s "
                      f"expected, {expected[1]}; budget {args.budget_s:.0f} s)", flush=True)
                continue
            print(f"  {n:,} sessions" + (f" (kg load about {expected[0]:.0f} s expected)"
                                         if expected else ""), flush=True)
            result = measure(n, args.seed, work, args.budget_s, args.command_timeout_s)
            results.append(result)
            if not args.keep:
                shutil.rmtree(work / f"n{n}", ignore_errors=True)
            if result.load_s is None:
                print(f"  larger sizes skipped: {n:,} sessions did not load within the budget")
                break
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print_table(results)


if __name__ == "__main__":
    main(sys.argv[1:])
