"""`kg --help` and `kg query` start without the heavy libraries of the other commands
(issue 10 item 5): checked on `sys.modules` of a fresh interpreter after the command ran
(`-X importtime` misses modules imported through importlib, as the command modules are).
Timing itself is measured by bench/cli_startup.py, not asserted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"pyshacl", "networkx", "pyvis", "rdflib", "fastapi", "uvicorn"}
COMMAND_MODULES = {module for module, _ in COMMANDS.values()}


# runs `kg ARGV…` like the console script does, then reports what it imported
PROBE = """
import json, sys
from cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
sys.stderr.write("\\n" + MARK + json.dumps(sorted(sys.modules)) + "\\n")
sys.exit(code)
"""
MARK = "imported modules: "


def imported(*argv: str) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """Modules a fresh `kg ARGV…` has imported when it ends (run from the checkout)."""
    env = {k: v for k, v in os.environ.items() if k != "KG_STORE"}
    proc = subprocess.run([sys.executable, "-c", f"MARK = {MARK!r}\n{PROBE}", *argv],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    lines = [line for line in proc.stderr.splitlines() if line.startswith(MARK)]
    assert lines, proc.stderr[-2000:]
    return set(json.loads(lines[-1][len(MARK):])), proc


def top_level(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def test_help_imports_no_command_and_no_settings() -> None:
    names, proc = imported("--help")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "query" in proc.stdout
    assert names & COMMAND_MODULES == set()
    assert top_level(names) & (HEAVY | {"pydantic", "pydantic_settings", "pyoxigraph",
                                        "rich"}) == set()


@pytest.mark.parametrize("argv", [
    # a SPARQL string
    ["query", "SELECT ?id WHERE { ?r eli:id_local ?id } ORDER BY ?id"],
    # a named query from the catalogue
    ["query", "resolutions-of-session", "--param", "session=48"],
], ids=["sparql", "named"])
def test_query_imports_only_its_command(seed_store: Path, argv: list[str]) -> None:
    names, proc = imported("--store", str(seed_store), *argv)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "2025/33" in proc.stdout
    assert names & COMMAND_MODULES == {"cli.query"}
    assert top_level(names) & HEAVY == set()


def test_query_help_needs_no_settings() -> None:
    names, proc = imported("query", "--help")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "--param KEY=VALUE" in proc.stdout
    assert top_level(names) & (HEAVY | {"pydantic_settings"}) == set()
