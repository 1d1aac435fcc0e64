"""The index follows the loads: a new document's entries appear, the others stay, a reloaded
document's old text goes, a failed load leaves the previous index, and a store whose
generation has no index gets a whole one with the next load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cli.main import main
from kg import pipeline
from kg.search.index import sidecar
from kg.search.query import SearchIndex, search
from kg.settings import Settings
from kg.store import StoreDirectory
from tests.search.conftest import Item, write_protocol

RES = "https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/"
TOP90 = "https://w3id.org/beschlussgraph/id/sitzung/itplr/90/top/05/"

ROAD = Item("05", "Sanierung der Straße zum Rechenzentrum", "B-2031/05-IT", [
    "Der IT-Planungsrat beauftragt die FITKO, die Zufahrt zum Rechenzentrum bis zum "
    "30.06.2031 instand zu setzen.",
    "Die Gruenflaechen am Gebaeude und die Gruenen Hecken bleiben erhalten."],
    note=("Bayern", "Bayern regt an, die Baustelle nachts zu beleuchten."),
    statements=[("HB", "Die Umleitung über die Nebenstraße sei ausgeschildert.")])
BRIDGE = Item("05", "Sanierung der Brücke am Rechenzentrum", "B-2031/05-IT", [
    "Der IT-Planungsrat beauftragt die FITKO, die Brücke zum Rechenzentrum bis zum "
    "30.09.2031 zu erneuern."])
FIBRE = Item("07", "Glasfaseranschluss der Außenstellen", "B-2031/12-IT", [
    "Der IT-Planungsrat bittet den Bund, die Außenstellen bis Ende 2032 mit Glasfaser "
    "anzubinden."])


def load(store: Path, *files: Path) -> int:
    return main(["-q", "--store", str(store), "load", *map(str, files)])


def found(store: Path, text: str) -> list[str]:
    return [h.iri for h in search(Settings(store=store), text, limit=50).hits]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    return tmp_path / "in"


def test_a_second_document_adds_its_hits_and_keeps_the_first(tmp_path: Path,
                                                              folder: Path) -> None:
    store = tmp_path / "store"
    assert load(store, write_protocol(folder, 90, "12.03.2031", [ROAD])) == 0
    # "Strasse" for "Straße" in the title, "Grüne" for "Gruenen" in point 2
    assert found(store, "Strasse Rechenzentrum")[0] == RES + "2031/05"
    assert RES + "2031/05/ziffer/2" in found(store, "grüne Hecken")
    assert found(store, "beleuchten") == [TOP90 + "protokollnotiz/1"]
    assert found(store, "Umleitung") == [TOP90 + "wortbeitrag/1"]
    first_generation = StoreDirectory(store).current_path()
    assert first_generation is not None

    assert load(store, write_protocol(folder, 91, "18.06.2031", [FIBRE])) == 0
    assert found(store, "Glasfaser")[0] == RES + "2031/12/ziffer/1"
    assert found(store, "Außenstellen")[0] == RES + "2031/12"
    assert found(store, "Strasse Rechenzentrum")[0] == RES + "2031/05"  # the first stays
    assert found(store, "beleuchten") == [TOP90 + "protokollnotiz/1"]

    # the new index started as hard links to the previous one, which readers of the
    # previous generation still see unchanged
    old, new = sidecar(first_generation), sidecar(StoreDirectory(store).current_path())
    shared = [f.name for f in old.iterdir() if f.name.endswith(".store")
              and (new / f.name).exists() and (new / f.name).stat().st_ino == f.stat().st_ino]
    assert shared
    previous = SearchIndex(old)
    assert [h.iri for h in previous.search("Glasfaser").hits] == []
    assert [h.iri for h in previous.search("beleuchten").hits] == [TOP90 + "protokollnotiz/1"]


def test_a_reloaded_document_loses_its_old_text(tmp_path: Path, folder: Path) -> None:
    store = tmp_path / "store"
    protocol = write_protocol(folder, 90, "12.03.2031", [ROAD])
    assert load(store, protocol, write_protocol(folder, 91, "18.06.2031", [FIBRE])) == 0
    assert RES + "2031/05" in found(store, "Straße")

    write_protocol(folder, 90, "12.03.2031", [BRIDGE])  # the same file, changed
    assert load(store, protocol) == 0
    assert found(store, "Straße") == []
    assert found(store, "beleuchten") == []  # the note is gone with the old text
    assert found(store, "Brücken")[0] == RES + "2031/05"
    assert found(store, "Glasfaser")[0] == RES + "2031/12/ziffer/1"  # the other stays


def test_a_failed_load_leaves_the_previous_index(tmp_path: Path, folder: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    assert load(store, write_protocol(folder, 90, "12.03.2031", [ROAD])) == 0
    before = StoreDirectory(store).current_path()
    monkeypatch.setattr(pipeline, "POST_LOAD_STEPS",
                        [*pipeline.POST_LOAD_STEPS, "tests.search.conftest:failing_step"])
    assert load(store, write_protocol(folder, 91, "18.06.2031", [FIBRE])) == 2
    assert StoreDirectory(store).current_path() == before
    # the failed generation went with its sidecars (the projection kept by its analysis too)
    assert sorted(p.name for p in store.iterdir() if p.name.startswith("gen-")) == [
        before.name, before.name + ".projection", before.name + ".search"]
    assert found(store, "Glasfaser") == []
    assert found(store, "beleuchten") == [TOP90 + "protokollnotiz/1"]


def test_a_store_without_index_says_so_and_the_next_load_builds_it(
        tmp_path: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    assert load(store, write_protocol(folder, 90, "12.03.2031", [ROAD])) == 0
    # as a store loaded before search existed
    shutil.rmtree(sidecar(StoreDirectory(store).current_path()))
    capsys.readouterr()
    assert main(["--store", str(store), "search", "Rechenzentrum"]) == 2
    message = capsys.readouterr().err
    assert "no search index for the store" in message and "run kg load again" in message

    assert load(store, write_protocol(folder, 91, "18.06.2031", [FIBRE])) == 0
    assert found(store, "Glasfaser")[0] == RES + "2031/12/ziffer/1"
    assert found(store, "beleuchten") == [TOP90 + "protokollnotiz/1"]  # from the first load


def test_an_index_that_cannot_be_written_fails_the_load_in_one_message(
        tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    assert load(store, write_protocol(folder, 90, "12.03.2031", [ROAD])) == 0
    before = StoreDirectory(store).current_path()
    # tantivy refuses a writer this small, as it fails on a full disk: with a ValueError
    monkeypatch.setattr("kg.search.step.WRITER_HEAP_BYTES", 1)
    capsys.readouterr()
    assert load(store, write_protocol(folder, 91, "18.06.2031", [FIBRE])) == 2
    message = " ".join(capsys.readouterr().err.split())
    assert "cannot write the search index in" in message
    assert "the store is unchanged" in message and "Traceback" not in message
    assert StoreDirectory(store).current_path() == before
    assert found(store, "Glasfaser") == []
    assert found(store, "beleuchten") == [TOP90 + "protokollnotiz/1"]
