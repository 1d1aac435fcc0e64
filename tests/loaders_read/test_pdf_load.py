"""`kg load` on a PDF of the seed protocol: the same graph as from the .txt, plus pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from kg.store import OxigraphStore, StoreDirectory
from kg.terms import IRI
from tests.conftest import SEED
from tests.loaders_read.make_pdf import ProtocolPdf

PREFIX = """PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
ID = "https://w3id.org/beschlussgraph/id/"
GRAPH = ID + "graph/itplr-48-2025-11-26-protokoll"
# Facts that differ between the .txt and the PDF by design.
PER_FILE = ("#sha256", "#loadedAt", "#pageStart", "#pageEnd", "/modified", "generatedAtTime")


def load(store: Path, document: Path) -> OxigraphStore:
    assert main(["--store", str(store), "load", str(document)]) == 0
    return StoreDirectory(store).open_read_only()


@pytest.fixture(scope="module")
def pdf_store(seed_pdf: ProtocolPdf, tmp_path_factory: pytest.TempPathFactory) -> OxigraphStore:
    # seed_pdf has the .txt's file stem, so both land in the same named graph
    return load(tmp_path_factory.mktemp("pdf-store") / "store", seed_pdf.path)


def document_facts(store: OxigraphStore) -> set[tuple[str, str, str]]:
    rows = store.select("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }",
                        substitutions={"g": IRI(GRAPH)})
    facts = {(str(r["s"]), str(r["p"]), str(r["o"])) for r in rows
             if not str(r["p"]).endswith(PER_FILE)}
    return {f for f in facts if f[:2] != (GRAPH, "http://purl.org/dc/terms/title")}  # file name


def test_the_22_resolutions_are_loaded(pdf_store: OxigraphStore) -> None:
    rows = pdf_store.select(PREFIX + """SELECT ?id WHERE {
        ?r a bg:Resolution ; prov:wasDerivedFrom ?d ; eli:id_local ?id } ORDER BY ?id""")
    ids = [str(r["id"]) for r in rows]
    assert len(ids) == 22
    assert (ids[0], ids[-1]) == ("2025/31", "2025/52")


def test_a_resolution_carries_its_pages(pdf_store: OxigraphStore) -> None:
    resolution = IRI(ID + "eli/itplr/beschluss/2025/33")
    rows = pdf_store.select(PREFIX + """SELECT ?r ?ps ?pe ?ls ?le WHERE {
        ?r bg:pageStart ?ps ; bg:pageEnd ?pe ; bg:lineStart ?ls ; bg:lineEnd ?le }""",
                            substitutions={"r": resolution})
    # "BV Beschluss B-2025/33-IT" is line 391, on page 9 of 48 lines each
    assert rows == [{"r": resolution, "ps": 9, "pe": 10, "ls": 391, "le": 440}]
    unpaged = pdf_store.select(PREFIX + """SELECT ?r WHERE { ?r a bg:Resolution ;
        prov:wasDerivedFrom ?d FILTER NOT EXISTS { ?r bg:pageStart ?p } }""")
    assert unpaged == []


def test_same_graph_as_from_the_text_file(pdf_store: OxigraphStore,
                                          tmp_path_factory: pytest.TempPathFactory) -> None:
    txt_store = load(tmp_path_factory.mktemp("txt-store") / "store", SEED)
    from_pdf = document_facts(pdf_store)
    from_txt = document_facts(txt_store)
    assert len(from_txt) > 3000  # the whole protocol, not an empty graph
    assert from_pdf == from_txt
