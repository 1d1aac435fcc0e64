"""Entry point of `kg`. Each command lives in its own module with `register(subparsers)`.

To add a command: write `cli/<name>.py` with `register(sub)` that adds a parser and sets
`func=run` (run(args, settings) -> exit code), then list it in COMMANDS below.

Start-up is paid on every invocation, so this module imports no command module and nothing
heavy: `kg --help` is built from COMMANDS alone, and a command's module (with pyshacl,
networkx, pyvis, the web stack …) is imported only when argparse selects that command.
Settings (pydantic-settings, ~0.2 s to import) are built only once a command runs.

Global options (GLOBAL_OPTIONS) are accepted before and after the command:
`kg load FILE --store DIR` means `kg --store DIR load FILE`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.settings import Settings

# command -> (module whose register() adds it, the line `kg --help` shows for it). The line
# lives here, not in the module, because listing the commands must not import them.
COMMANDS: dict[str, tuple[str, str]] = {
    "load": ("cli.load", "load protocols (.txt/.pdf) and register folders"),
    "query": ("cli.query", "run a SPARQL query (string, @file.rq, or a named query)"),
    "queries": ("cli.queries", "list the named queries (kg query NAME runs one)"),
    "export": ("cli.export", "export the dataset"),
    "stats": ("cli.stats", "counts per graph and per kind of resource"),
    "validate": ("cli.validate",
                 "check the data against the SHACL shapes and the conflict checks"),
    "serve": ("cli.serve", "serve the SPARQL endpoint, REST API and pages"),
    "status": ("cli.analysis", "status of a resolution and its points on a date"),
    "impact": ("cli.analysis", "what depends on a resolution (if it were repealed)"),
    "chains": ("cli.analysis", "chains of repeal, amendment, replacement, continuation"),
    "findings": ("cli.analysis", "cycles, most-cited, references to repealed parts and to "
                                 "resolutions not loaded"),
    "mandates": ("cli.analysis", "open, due and overdue mandates on a date, per body and Land"),
    "graph": ("cli.graph", "interactive graph page (.html) or image (.svg/.png)"),
    "search": ("cli.search", "full-text search over resolutions, points, notes, statements"),
    "fetch": ("cli.fetch", "download decision pages and protocol PDFs into a folder"),
}

# (flags, add_argument keywords, default). Every command's parser gets them too, with
# SUPPRESS as default so that an option given before the command is not reset by the
# command's parser; given after the command, it wins.
GLOBAL_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any], object], ...] = (
    (("--store",), {"type": lambda v: v if "://" in v else Path(v), "metavar": "DIR|URL",
                    "help": "store directory, or the URL of a SPARQL server (http://HOST:PORT "
                            "for Oxigraph; README: A SPARQL server as the store) (default: "
                            "$KG_STORE or data/store)"}, None),
    (("--base-iri",), {"metavar": "IRI", "help": "base IRI of minted data IRIs"}, None),
    (("-q", "--quiet"), {"action": "store_true", "help": "no progress output"}, False),
)


def _add_global_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    group = parser.add_argument_group(
        "global options" if defaults else "global options (also accepted before the command)")
    for flags, kwargs, default in GLOBAL_OPTIONS:
        group.add_argument(*flags, default=default if defaults else argparse.SUPPRESS,
                           **kwargs)


class LazyCommands(argparse._SubParsersAction):
    """Sub-commands whose arguments are declared by their module only when argparse selects
    them. Until then a command is an empty stand-in parser that carries its help line.
    (argparse has no public hook for this; the subparsers action is the one place that sees
    which command was chosen before its arguments are parsed.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: dict[str, str] = {}  # command -> module not imported yet

    def add_lazy(self, name: str, module: str, help_line: str) -> None:
        super().add_parser(name, help=help_line, add_help=False)
        self._pending[name] = module

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        if self._pending.pop(name, None) is not None:
            del self._name_parser_map[name]  # the stand-in; its help line stays listed
            kwargs.pop("help", None)
        parser = super().add_parser(name, **kwargs)
        _add_global_options(parser, defaults=False)
        return parser

    def load(self, name: str) -> None:
        """Import the module of command `name` and let it register its parser(s)."""
        module_name = self._pending.get(name)
        if module_name is None:
            return
        importlib.import_module(module_name).register(self)
        if name in self._pending:
            raise RuntimeError(f"{module_name}.register() does not add the command {name!r} "
                               "that cli.main.COMMANDS attributes to it")

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Sequence[str], option_string: str | None = None) -> None:
        self.load(values[0])
        super().__call__(parser, namespace, values, option_string)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Beschlussgraph: council resolutions as a knowledge graph.",
        epilog="Global options may also follow the command: kg load FILE --store DIR. "
               "`kg COMMAND --help` shows a command's options.",
    )
    _add_global_options(parser, defaults=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                action=LazyCommands)
    for name, (module, help_line) in COMMANDS.items():
        sub.add_lazy(name, module, help_line)
    return parser


def settings_from_args(args: argparse.Namespace) -> Settings:
    from kg.settings import Settings  # noqa: PLC0415  (pydantic-settings: only to run a command)

    overrides: dict[str, object] = {}
    if getattr(args, "store", None) is not None:
        overrides["store"] = args.store
    if getattr(args, "base_iri", None):
        overrides["base_iri"] = args.base_iri
    return Settings(**overrides)


def main(argv: list[str] | None = None, *, exit_at_once: bool = False) -> int:
    """Run one command; with `exit_at_once` (the `kg` executable) a command that only reads
    and prints ends the process as soon as its output is out (see `console`)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = settings_from_args(args)
    try:
        code = int(args.func(args, settings) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # a store that fails mid-command (a remote server gone down, a timeout): one message
        from kg.store import StoreError  # noqa: PLC0415

        if not isinstance(exc, StoreError):
            raise
        from cli.output import fail  # noqa: PLC0415

        fail(str(exc))
        return 2
    if exit_at_once and getattr(args, "read_only", False):
        _exit_now(code)
    return code


def _exit_now(code: int) -> None:
    # The analysis commands hold the projection of the whole record: millions of objects
    # that freeing one by one takes longer than some commands run (0.7 s after `kg impact`
    # at 100,000 resolutions). They wrote nothing but their output, so once that is out
    # there is nothing left to clean up.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # `kg chains | head`; a closed stream
            code = code or 1
    os._exit(code)


def console() -> None:
    """The `kg` executable."""
    sys.exit(main(sys.argv[1:], exit_at_once=True))


if __name__ == "__main__":
    console()
