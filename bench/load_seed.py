"""Parse + build + load of the seed protocol, next to pyoxigraph's own bulk load of the same
quads as N-Quads. Prints ratios measured in one run; never asserted anywhere."""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from kg.build import build_protocol
from kg.iris import Minter
from kg.settings import SAMPLES_DIR
from kg.store import OxigraphStore, StoreDirectory
from kg.terms import to_nquads
from loaders.protocol import parse_protocol
from loaders.read import read_source

SEED = SAMPLES_DIR / "itplr-48-2025-11-26-protokoll.txt"
ROUNDS = 15


def _time(fn, rounds: int = ROUNDS) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    minter = Minter("https://w3id.org/beschlussgraph/id/")
    now = dt.datetime.now(dt.UTC)
    source = read_source(SEED)
    t_read = _time(lambda: read_source(SEED))
    t_parse = _time(lambda: parse_protocol(source))
    protocol = parse_protocol(source)
    t_build = _time(lambda: build_protocol(protocol, minter, sha256=source.sha256,
                                           stem=SEED.stem, loaded_at=now))
    graph, quads = build_protocol(protocol, minter, sha256=source.sha256, stem=SEED.stem,
                                  loaded_at=now)
    payload = to_nquads(quads).encode()

    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10_000))
        ours = OxigraphStore.open_generation(Path(tmp) / "ours", False)
        bulk = OxigraphStore.open_generation(Path(tmp) / "bulk", False)

        def our_load() -> None:  # what `kg load` does per document: one transaction
            ours.replace_graph(graph, quads)
            ours.flush()

        def bulk_load() -> None:  # pyoxigraph's fastest path, no transaction, no replace
            bulk.drop_graph(graph)
            bulk.bulk_load_nquads(payload)
            bulk.flush()

        def full_cli_path() -> None:
            directory = StoreDirectory(Path(tmp) / f"gen-{next(counter)}")
            with directory.writing() as store:
                store.replace_graph(graph, quads)

        t_ours = _time(our_load)
        t_bulk = _time(bulk_load)
        t_gen = _time(full_cli_path, rounds=5)
        ours.close()
        bulk.close()

    n = len(quads)
    print(f"seed protocol: {len(source.lines)} lines, {len(protocol.resolutions)} resolutions, "
          f"{n} quads (median of {ROUNDS} rounds)")
    print(f"  read        {t_read * 1000:8.2f} ms")
    print(f"  parse       {t_parse * 1000:8.2f} ms")
    print(f"  build RDF   {t_build * 1000:8.2f} ms")
    print(f"  load (remove_graph + extend, as kg load)  {t_ours * 1000:8.2f} ms  "
          f"{n / t_ours:10.0f} quads/s")
    print(f"  pyoxigraph bulk_load of the same N-Quads  {t_bulk * 1000:8.2f} ms  "
          f"{n / t_bulk:10.0f} quads/s")
    print(f"  load incl. new store generation + switch  {t_gen * 1000:8.2f} ms")
    print(f"  ratio load / bulk_load: {t_ours / t_bulk:.2f}x")
    print(f"  parse+build+load of the seed end to end: "
          f"{(t_read + t_parse + t_build + t_ours) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
