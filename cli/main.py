"""Entry point of `kg`. Each command lives in its own module with `register(subparsers)`.

To add a command: write `cli/<name>.py` with `register(sub)` that adds a parser and sets
`func=run` (run(args, settings) -> exit code), then list the module below.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from kg.settings import Settings

COMMAND_MODULES = [
    "cli.load",
    "cli.query",
    "cli.export",
    "cli.stats",
    "cli.validate",
    "cli.serve",
    "cli.analysis",
    "cli.graph",
    "cli.queries",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Beschlussgraph: council resolutions as a knowledge graph.",
    )
    parser.add_argument("--store", type=Path, default=None,
                        help="store directory (default: $KG_STORE or data/store)")
    parser.add_argument("--base-iri", default=None, help="base IRI of minted data IRIs")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # a missing dependency inside the command is a real error
                raise
            continue
        module.register(sub)
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    overrides: dict[str, object] = {}
    if getattr(args, "store", None) is not None:
        overrides["store"] = args.store
    if getattr(args, "base_iri", None):
        overrides["base_iri"] = args.base_iri
    return Settings(**overrides)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = settings_from_args(args)
    try:
        return int(args.func(args, settings) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
