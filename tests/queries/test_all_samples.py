"""Named queries over everything in data/samples (protocol + register), where the golden
files (seed protocol only) cannot show the case."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from kg.settings import SAMPLES_DIR
from kg.store import OxigraphStore, StoreDirectory
from queries import load_catalogue


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    path: Path = tmp_path_factory.mktemp("all-samples") / "store"
    assert main(["--store", str(path), "load", str(SAMPLES_DIR)]) == 0
    return StoreDirectory(path).open_read_only()


def run(store: OxigraphStore, name: str, **params: str) -> list[dict]:
    query = load_catalogue().get(name)
    return store.select(query.bound_text(query.bind(params)))


def test_undated_register_decision_with_a_repealed_point(store):
    rows = {str(r["id"]): r for r in run(store, "in-force-on-date", date="2026-01-01")}
    # register: 2025/02 has no date; B-2025/33-IT point 5 repeals its Ziffer 3 (protocol l. 436)
    assert rows["2025/02"]["state"].value.endswith("#PartiallyRepealed")
    assert "2022/43" not in rows  # repealed by B-2025/39-IT (protocol l. 1088-1092)
    assert rows["2025/39"]["state"].value.endswith("#InForce")
    # the day before the 48th session (26.11.2025) 2022/43 was still in force, amended by the
    # register's 2024/01 and 2025/01 ("Nummer 1 (Nummer 13 angefügt)", "Nummer 1, Nummer 2 neu
    # gefasst"), and 2025/39 was not yet decided
    before = {str(r["id"]): r for r in run(store, "in-force-on-date", date="2025-11-25",
                                           all="true")}
    assert before["2022/43"]["state"].value.endswith("#Amended")
    assert before["2025/39"]["state"].value.endswith("#NotYetInForce")


def test_a_land_finds_what_die_laender_are_asked(store):
    rows = run(store, "mandates-open-on-date", date="2026-04-01", assignee="Bayern")
    found = {(str(r["resolutionId"]), str(r["point"]), str(r["assigneeName"]), str(r["status"]))
             for r in rows}
    assert ("2025/51", "3", "BY", "open") in found  # l. 1572-1576: asked by name
    assert ("2025/45", "1", "Länder", "open") in found  # l. 1372: "bittet die Länder, bis zum 30. Juni 2026"
    assert ("2025/41", "3", "Länder", "overdue") in found  # l. 1212-1214: Stichtag 01.01.2026
