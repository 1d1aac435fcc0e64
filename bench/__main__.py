"""`python -m bench [NAME…]`: run the benchmarks (all by default); each prints its own
measurements and ratios from one run."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = ["load_seed", "pdf_extractors", "api_latency", "analysis_scale", "graph_render",
              "cli_startup", "scale", "parse_speed"]


def main(argv: list[str]) -> int:
    names = argv or BENCHMARKS
    for name in names:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"bench.{name}":
                print(f"== {name}: not present, skipped")
                continue
            raise
        print(f"== {name}")
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
