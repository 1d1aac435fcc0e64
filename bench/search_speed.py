"""Full-text search at scale (issue 14 item 2: p50 ≤ 50 ms at 1,000 sessions).

Run: .venv/bin/python -m bench.search_speed [N] [--store DIR] [--work DIR] [--rounds 5]

N synthetic protocols (bench/synth_protocols.py, default 1,000; loading 1,000 takes about
6 minutes on 2 cores, so try 50 or 200 first) are loaded with `kg load` as shipped (the
search index is built by its post-load step). Then, from one run:
- the size: sessions, index entries, index bytes on disk, triples;
- the index build time against the load time: a full rebuild from the store, split into
  reading the entries with SPARQL and writing the tantivy index, and the search step of one
  more protocol (a copy of the index by hard links, that document re-indexed) next to the
  `kg load` of protocol N + 1 into the store;
- p50 / p95 of 20 typical queries (words, inflections, umlauts spelled out, a prefix, a
  phrase, an identifier, an exclusion), each run --rounds times after one warm-up, through
  kg.search.query.SearchIndex (the code behind /api/search, /suche and `kg search`);
- the wall time of one `kg search` process, with interpreter start-up.

`--store DIR` reuses a store loaded before (no generation, no load, no protocol N + 1);
`--work DIR` keeps the protocols and the store there. It prints, it never asserts.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import synth_protocols as synth
from kg.search.extract import read_entries
from kg.search.index import link_copy, sidecar
from kg.search.query import SearchIndex
from kg.search.step import write_index
from kg.store import StoreDirectory

KG = [str(Path(sys.executable).parent / "kg")]

# what an analyst types: topics of the synthetic agenda, inflected or spelled without umlauts,
# words of notes and statements, a prefix, a phrase, an identifier, an exclusion
QUERIES = [
    "Registermodernisierung",
    "Verwaltungscloud Skalierung",
    "Leistungsbeschreibungen",
    "Barrierefreiheit",
    "digitale Souveraenitaet",
    "Portalverbund Suchdienste",
    "Nutzerkonten Postfach",
    "elektronische Aktenführung",
    "Geodateninfrastruktur",
    "Krisenkommunikation Notfallplattform",
    "kommunale Belange",
    "Künstliche Intelligenz",
    "Datenstrategie",
    "Wirtschaftsplan FITKO",
    "Registermod*",
    '"Digitale Identitäten"',
    "Finanzierung Folgejahre",
    "Umsetzungsplan -Bund",
    "Energieverbrauch Rechenzentren",
    "B-2012/05-IT",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def load(store: Path, *paths: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run([*KG, "-q", "--store", str(store), "load", *map(str, paths)],
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"kg load failed ({done.returncode}): {done.stderr[-2000:]}")
    return wall


def directory_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.iterdir() if f.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sessions", nargs="?", type=int, default=1000)
    parser.add_argument("--store", type=Path, help="a store loaded before (skips the load)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, help="keep protocols and store in this folder")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        store = args.store or work / "store"
        load_s = None
        if args.store is None:
            protocols = work / "protocols"
            synth.generate(args.sessions, args.seed, protocols)
            print(f"loading {args.sessions} synthetic sessions …", flush=True)
            load_s = load(store, protocols)
        directory = StoreDirectory(store)
        generation = directory.current_path()
        if generation is None or not sidecar(generation).is_dir():
            sys.exit(f"no store with a search index at {store}")
        index_dir = sidecar(generation)
        index = SearchIndex(index_dir)

        # size
        reader = directory.open_read_only()
        triples = reader.count_quads()
        start = time.perf_counter()
        entries = read_entries(reader, None)
        read_s = time.perf_counter() - start
        start = time.perf_counter()
        write_index(reader, work / "rebuild", None)
        rebuild_s = time.perf_counter() - start
        sessions = len(list(reader.select(
            "SELECT DISTINCT ?s WHERE { ?s a <https://w3id.org/beschlussgraph/ontology#Session>"
            " ; <https://w3id.org/beschlussgraph/ontology#hasAgendaItem> ?i }")))
        # the step for one document of this store: copy by hard links, that graph re-indexed
        one = entries[len(entries) // 2].graph
        start = time.perf_counter()
        link_copy(index_dir, work / "incremental")
        write_index(reader, work / "incremental", [one])
        one_s = time.perf_counter() - start
        reader.close()

        print(f"\nsize: {sessions} sessions, {triples:,} triples, {len(entries):,} index "
              f"entries, index {directory_bytes(index_dir) / 1e6:.1f} MB")
        print("\nindex build vs load")
        if load_s is not None:
            print(f"  kg load (everything, with the search step)  {load_s:8.1f} s")
        print(f"  full rebuild: read entries (SPARQL)         {read_s:8.2f} s")
        print(f"  full rebuild: read + write tantivy index    {rebuild_s:8.2f} s"
              + (f"   ({rebuild_s / load_s:.1%} of the load)" if load_s else ""))
        print(f"  one document again (link copy + reindex)    {one_s:8.2f} s")

        # queries
        timings: list[float] = []
        rows = []
        for text in QUERIES:
            index.search(text, limit=10)  # warm-up: terms and pages in the OS cache
            mine = []
            for _ in range(args.rounds):
                start = time.perf_counter()
                result = index.search(text, limit=10)
                mine.append(time.perf_counter() - start)
            timings += mine
            rows.append((text, result.total, statistics.median(mine)))
        print(f"\n{len(QUERIES)} queries × {args.rounds} rounds (limit 10, snippets included)")
        for text, total, median in rows:
            print(f"  {text:<34} {total:>7,} hits  {median * 1000:7.2f} ms")
        p50, p95 = percentile(timings, 0.5) * 1000, percentile(timings, 0.95) * 1000
        print(f"  p50 {p50:.2f} ms   p95 {p95:.2f} ms   (target p50 ≤ 50 ms at 1,000 sessions)")

        start = time.perf_counter()
        subprocess.run([*KG, "--store", str(store), "search", "Registermodernisierung",
                        "--json"], capture_output=True, check=False)
        print(f"\none `kg search` process (with start-up): "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")

        if load_s is not None:
            # session N + 1 is the next file of the same plan (bench/synth_protocols.py)
            *_, (text, plan) = synth.iter_sessions(args.sessions + 1, args.seed)
            (work / "next").mkdir(exist_ok=True)
            path = work / "next" / plan["file"]
            path.write_text(text, encoding="utf-8")
            more_s = load(store, path)
            print(f"kg load of protocol {args.sessions + 1} into the store: {more_s:.1f} s "
                  f"(its search step: about {one_s:.2f} s, as above)")
            hits = SearchIndex(sidecar(directory.current_path())).search(
                plan["resolutions"][0]["identifier"]).hits if plan["resolutions"] else []
            print(f"  its first resolution found by its identifier: "
                  f"{[h.id for h in hits][:1]}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
