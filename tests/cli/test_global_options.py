"""Global options mean the same before and after the command: `kg load FILE --store DIR` is
`kg --store DIR load FILE` (issue 10 item 5), for every command."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from cli.main import COMMANDS, build_parser, main, settings_from_args
from kg.settings import Settings
from kg.store import StoreDirectory
from tests.conftest import SEED

# a valid command line of every command, without global options
COMMAND_LINES: dict[str, list[str]] = {
    "load": ["load", "protocol.txt"],
    "query": ["query", "ASK {}"],
    "queries": ["queries"],
    "export": ["export"],
    "stats": ["stats"],
    "validate": ["validate"],
    "serve": ["serve"],
    "status": ["status", "2025/33"],
    "impact": ["impact", "2025/33"],
    "chains": ["chains"],
    "findings": ["findings"],
    "mandates": ["mandates"],
    "graph": ["graph", "2025/33", "-o", "graph.html"],
    "fetch": ["fetch", "fetched", "--ids", "2025/33"],
    "search": ["search", "Registermodernisierung"],
}

# (global options, where the value lands: "args" or "settings", attribute, expected value)
GLOBAL_CASES = [
    # the store every command opens or writes
    (["--store", "/tmp/kg-a"], "settings", "store", Path("/tmp/kg-a")),
    # the one-token spelling
    (["--store=/tmp/kg-b"], "settings", "store", Path("/tmp/kg-b")),
    # minted IRIs (kg load) and IRI shortening in the output of other commands
    (["--base-iri", "https://example.org/id/"], "settings", "base_iri",
     "https://example.org/id/"),
    # progress output off, read by the commands as args.quiet
    (["-q"], "args", "quiet", True),
    (["--quiet"], "args", "quiet", True),
    # not given: every command still finds args.quiet
    ([], "args", "quiet", False),
]


def _parse(argv: list[str]) -> tuple[argparse.Namespace, Settings]:
    args = build_parser().parse_args(argv)
    return args, settings_from_args(args)


def test_every_command_has_a_command_line_here() -> None:
    assert set(COMMAND_LINES) == set(COMMANDS)


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("command", sorted(COMMAND_LINES))
@pytest.mark.parametrize(("options", "where", "attribute", "expected"), GLOBAL_CASES,
                         ids=[" ".join(c[0]) or "none" for c in GLOBAL_CASES])
def test_global_option_before_and_after_the_command(
        options: list[str], where: str, attribute: str, expected: object, command: str,
        position: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_STORE", raising=False)
    line = COMMAND_LINES[command]
    argv = [*options, *line] if position == "before" else [*line, *options]
    args, settings = _parse(argv)
    assert args.command == command
    assert getattr(args if where == "args" else settings, attribute) == expected


def test_without_store_option_the_default_store_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_STORE", raising=False)
    _, settings = _parse(["stats"])
    assert settings.store == Settings().store


def test_store_from_the_environment_is_overridden_after_the_command(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_STORE", "/tmp/kg-env")
    assert _parse(["stats"])[1].store == Path("/tmp/kg-env")
    assert _parse(["stats", "--store", "/tmp/kg-c"])[1].store == Path("/tmp/kg-c")


def test_given_twice_the_later_one_wins() -> None:
    args, settings = _parse(["--store", "/tmp/kg-first", "load", "x.txt", "--store",
                             "/tmp/kg-second"])
    assert settings.store == Path("/tmp/kg-second")
    assert args.paths == [Path("x.txt")]


def test_query_opens_the_store_named_after_the_command(
        seed_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    select = "SELECT ?id WHERE { ?r eli:id_local ?id } ORDER BY ?id"
    assert main(["query", select, "--store", str(seed_store), "--format", "csv"]) == 0
    assert "2025/33" in capsys.readouterr().out
    missing = tmp_path / "no-store"
    assert main(["query", select, "--store", str(missing)]) == 2
    assert f"no store at {missing}" in " ".join(capsys.readouterr().err.split())  # rich wraps


def test_load_file_then_store_loads_into_that_store(seed_store: Path, tmp_path: Path) -> None:
    # the command line of the bug report in issue 10; the fixture loaded the same file with
    # the option before the command
    store = tmp_path / "store"
    assert main(["load", str(SEED), "--store", str(store), "-q"]) == 0
    assert (store / "current").is_dir()
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    counts = [StoreDirectory(s).open_read_only().select(count)[0]["n"] for s in (store, seed_store)]
    assert counts[0] == counts[1] > 0
