"""The command table of cli/main.py: `kg --help` is built from it without importing a command
module, so it must agree with what the modules register."""

from __future__ import annotations

import argparse
import importlib

import pytest

from cli.main import COMMANDS, main


@pytest.mark.parametrize("module", sorted({m for m, _ in COMMANDS.values()}))
def test_each_module_registers_exactly_its_listed_commands(module: str) -> None:
    sub = argparse.ArgumentParser().add_subparsers()
    importlib.import_module(module).register(sub)
    assert set(sub.choices) == {name for name, (m, _) in COMMANDS.items() if m == module}


def test_help_lists_every_command_and_the_global_options(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for name, (_, help_line) in COMMANDS.items():
        assert f"{name} " in text and help_line.split()[0] in text
    for option in ("--store DIR", "--base-iri IRI", "-q, --quiet"):
        assert option in text


def test_command_help_shows_its_own_and_the_global_options(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["status", "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert "usage: kg status" in text
    assert "--on ON" in text and "--json" in text
    assert "global options (also accepted before the command)" in text
    assert "--store DIR" in text


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["qurey", "ASK {}"])
    assert exit_.value.code == 2
    assert "invalid choice: 'qurey'" in capsys.readouterr().err


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--store", "/tmp/x"])
    assert exit_.value.code == 2
    assert "COMMAND" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "said"), [
    # the bounds REST gives the same parameters: depth 1 to 20, due_days 0 to 365
    (["impact", "2025/33", "--depth", "0"], "argument --depth: 0 is out of range (from 1 to 20)"),
    (["impact", "2025/33", "--depth", "zwei"], "argument --depth: not a whole number: 'zwei'"),
    (["mandates", "--due-days", "-5"], "argument --due-days: -5 is out of range (from 0 to 365)"),
])
def test_counts_out_of_range_are_usage_errors(capsys: pytest.CaptureFixture[str],
                                              args: list[str], said: str) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--store", "/nonexistent/store", *args])
    assert stop.value.code == 2
    assert said in capsys.readouterr().err
