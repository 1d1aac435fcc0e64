"""`kg validate` through cli.main.main: exit codes 0 / 1 / 2, text and JSON output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.main import main
from kg import validate as validation
from kg.namespaces import DEFAULT_BASE
from kg.store import OxigraphStore
from kg.validate import Finding
from tests.ontology.conftest import DOC_GRAPH, SHAPES, StoreFactory, mutate, parse_dataset

BAD_POINT = f"DELETE WHERE {{ <{DEFAULT_BASE}eli/itplr/beschluss/2025/31/ziffer/1> " \
            "eli:is_part_of ?r }"


@pytest.fixture(autouse=True)
def no_registered_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Other modules register conflict checks; these tests see the shapes alone."""
    monkeypatch.setattr(validation, "CHECKS", [])


def check_conflict(store: OxigraphStore) -> list[Finding]:
    return [Finding("Violation", "resolution 2025/31 has two dates", DEFAULT_BASE + "x")]


def kg(store: Path, *args: str) -> int:
    return main(["--store", str(store), "validate", "--shapes", str(SHAPES), *args])


def test_conformant_store_exits_0(make_store: StoreFactory,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    store = make_store({DOC_GRAPH: parse_dataset()})
    assert kg(store) == 0
    out = capsys.readouterr().out
    assert "conforms" in out
    assert f"{len(parse_dataset())} triples" in out


def test_violations_exit_1_with_grouped_table(make_store: StoreFactory,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    store = make_store({DOC_GRAPH: mutate(BAD_POINT)})
    assert kg(store) == 1
    out = capsys.readouterr().out
    assert "ResolutionPointShape" in out
    assert "eli:is_part_of" in out
    assert "does not conform: 1 violation(s)" in out


def test_json_output(make_store: StoreFactory, capsys: pytest.CaptureFixture[str]) -> None:
    store = make_store({DOC_GRAPH: mutate(BAD_POINT)})
    assert kg(store, "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["conforms"] is False
    assert report["counts"] == {"Violation": 1, "Warning": 0, "Info": 0}
    (violation,) = report["violations"]
    assert violation["focus"] == f"{DEFAULT_BASE}eli/itplr/beschluss/2025/31/ziffer/1"
    assert violation["path"] == "eli:is_part_of"
    assert violation["severity"] == "Violation"
    assert violation["source_shape"] == "bgsh:ResolutionPointShape/eli:is_part_of"
    assert report["shapes_files"] == [str(SHAPES)]


def test_missing_store_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kg(tmp_path / "no-store") == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert "no store at" in err and "no-store" in err


def test_unreadable_shapes_exit_2_naming_the_file(make_store: StoreFactory, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    store = make_store({DOC_GRAPH: parse_dataset()})
    bad = tmp_path / "broken-shapes.ttl"
    bad.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path .\n",
                   encoding="utf-8")
    assert kg(store, "--shapes", str(bad)) == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert "broken-shapes.ttl" in err
    assert "line 2" in err


def test_data_file_instead_of_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.ttl"
    parse_dataset().serialize(good, format="turtle")
    bad = tmp_path / "bad.ttl"
    mutate(BAD_POINT).serialize(bad, format="turtle")
    assert kg(tmp_path / "unused-store", "--data", str(good)) == 0
    assert kg(tmp_path / "unused-store", "--data", str(bad)) == 1
    assert kg(tmp_path / "unused-store", "--data", str(tmp_path / "missing.ttl")) == 2
    assert "missing.ttl" in capsys.readouterr().err.replace("\n", "")


def test_conflict_check_findings_exit_1(make_store: StoreFactory, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(validation, "CHECKS", [f"{__name__}:check_conflict"])
    store = make_store({DOC_GRAPH: parse_dataset()})
    assert kg(store, "--format", "json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["violations"] == []
    assert report["findings"] == [{"severity": "Violation",
                                   "message": "resolution 2025/31 has two dates",
                                   "focus": DEFAULT_BASE + "x",
                                   "check": f"{__name__}:check_conflict"}]
    assert kg(store) == 1
    assert "conflict checks: 1 finding(s)" in capsys.readouterr().out
