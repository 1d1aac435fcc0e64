"""`kg load` end to end on a real on-disk Oxigraph store: reloads, bad input, atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli.main import main
from kg.settings import Settings
from kg.store import StoreDirectory
from tests.conftest import SEED

PREFIX = """PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


def kg(store: Path, *args: str) -> int:
    return main(["--store", str(store), *args])


def open_store(path: Path):  # type: ignore[no-untyped-def]
    return StoreDirectory(path).open_read_only()


def snapshot(path: Path) -> list[tuple]:
    store = open_store(path)
    rows = store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    # load timestamps (bg:loadedAt, dct:modified of the catalogue, prov:generatedAtTime of
    # the analysis) change by design; everything else must be identical
    return sorted(tuple(str(r[k]) for k in ("s", "p", "o", "g")) for r in rows
                  if not str(r["p"]).endswith(("loadedAt", "/modified", "generatedAtTime")))


@pytest.fixture
def loaded(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    assert kg(store, "load", str(SEED)) == 0
    return store


def test_load_counts_and_union_default_graph(loaded: Path):
    store = open_store(loaded)
    rows = store.select(PREFIX + "SELECT (COUNT(?r) AS ?n) WHERE { ?r a bg:Resolution ; "
                        "prov:wasDerivedFrom ?d }")
    assert rows[0]["n"] == 22
    # a partial repeal targets the point resource of a resolution that is not loaded
    assert store.ask(PREFIX + """ASK { <https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2025/33>
        eli:repeals <https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2025/02/ziffer/3> }""")
    loaded_flag = store.select(PREFIX + """SELECT ?l WHERE {
        <https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2025/02> bg:isLoaded ?l }""")
    assert loaded_flag == [{"l": False}]


def test_graph_metadata(loaded: Path):
    store = open_store(loaded)
    rows = store.select(PREFIX + """PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?title ?sha WHERE { GRAPH ?g { ?g a bg:SourceDocument ; dct:title ?title ;
        bg:sha256 ?sha ; bg:loadedAt ?at ; bg:loaderVersion ?v } }""")
    import hashlib
    assert rows == [{"title": SEED.name, "sha": hashlib.sha256(SEED.read_bytes()).hexdigest()}]


def test_reload_replaces_the_graph(loaded: Path):
    before = snapshot(loaded)
    assert kg(loaded, "load", str(SEED)) == 0
    assert snapshot(loaded) == before


BAD_INPUTS = [
    # file name, content, words the message must contain
    ("empty.txt", b"", ["empty.txt", "empty"]),                                  # empty file
    ("blank.txt", b"\n\n   \n", ["blank.txt", "empty"]),                         # whitespace only
    ("binary.txt", bytes(range(256)) * 4, ["binary.txt", "binary"]),            # binary data
    ("latin1.txt", "48. IT-Planungsratssitzung\nDatum: 26.11.2025\nBegrüßung\n".encode("latin-1"),
     ["latin1.txt:3:5", "UTF-8"]),  # wrong encoding: "ü" of "Begrüßung", line 3 column 5
    ("novel.txt", b"Es war einmal ein Rat.\nEr tagte oft.\n", ["novel.txt", "not a council protocol"]),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", ["broken.pdf"]),    # truncated PDF
]


@pytest.mark.parametrize("name, content, words", BAD_INPUTS)
def test_bad_input_is_reported_and_skipped(loaded: Path, tmp_path: Path, capsys, name,
                                           content, words):
    before = snapshot(loaded)
    bad = tmp_path / name
    bad.write_bytes(content)
    assert kg(loaded, "load", str(bad)) == 1
    message = capsys.readouterr().err.replace("\n", " ")
    for word in words:
        assert word in message
    assert snapshot(loaded) == before


def test_bad_file_in_a_batch_does_not_stop_the_others(tmp_path: Path, capsys):
    store = tmp_path / "store"
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a-empty.txt").write_bytes(b"")
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    assert kg(store, "load", str(folder)) == 1
    assert "a-empty.txt" in capsys.readouterr().err
    rows = open_store(store).select(PREFIX + "SELECT (COUNT(?r) AS ?n) WHERE { ?r a bg:Resolution ; prov:wasDerivedFrom ?d }")
    assert rows[0]["n"] == 22


def test_failure_while_writing_leaves_the_store_as_it_was(loaded: Path, monkeypatch):
    """A crash after documents were written (here: a post-load step) rolls the batch back."""
    before = snapshot(loaded)
    import kg.pipeline

    monkeypatch.setattr(kg.pipeline, "POST_LOAD_STEPS",
                        [*kg.pipeline.POST_LOAD_STEPS, "tests.kg.test_load_cli:_explode"])
    with pytest.raises(RuntimeError):
        from kg.loading import load_paths
        load_paths([SEED], Settings(store=loaded))
    assert snapshot(loaded) == before


def _explode(store, settings, changes=None):  # type: ignore[no-untyped-def]
    raise RuntimeError("simulated crash in a post-load step")


def test_query_formats(loaded: Path, capsys):
    q = PREFIX + "SELECT ?id WHERE { ?r eli:id_local ?id ; prov:wasDerivedFrom ?d } ORDER BY ?id LIMIT 2"
    assert kg(loaded, "query", q, "--format", "json") == 0
    import json
    doc = json.loads(capsys.readouterr().out)
    assert [b["id"]["value"] for b in doc["results"]["bindings"]] == ["2025/31", "2025/32"]
    assert kg(loaded, "query", q, "--format", "csv") == 0
    assert capsys.readouterr().out.splitlines() == ["id", "2025/31", "2025/32"]
    assert kg(loaded, "query", "SELECT WHERE {", "--format", "json") == 2
    assert "malformed query" in capsys.readouterr().err


def test_query_from_file(loaded: Path, tmp_path: Path, capsys):
    rq = tmp_path / "q.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a bg:Vote }")
    assert kg(loaded, "query", f"@{rq}", "--format", "tsv") == 0
    assert capsys.readouterr().out.splitlines()[1] == "22"


@pytest.mark.parametrize("fmt, marker", [("turtle", b"> ."), ("trig", b"GRAPH"),
                                         ("nquads", b"> .\n"), ("jsonld", b"\"@id\"")])
def test_export_formats(loaded: Path, tmp_path: Path, fmt: str, marker: bytes):
    out = tmp_path / f"dump.{fmt}"
    assert kg(loaded, "export", "--format", fmt, "-o", str(out)) == 0
    data = out.read_bytes()
    assert b"2025/33" in data and (marker in data or fmt == "trig")
    import rdflib
    g = rdflib.Dataset()
    g.parse(data=data, format={"turtle": "turtle", "trig": "trig", "nquads": "nquads",
                               "jsonld": "json-ld"}[fmt])
    assert len(g) > 3000 or sum(1 for _ in g.quads()) > 3000


def test_missing_store_is_a_clear_error(tmp_path: Path, capsys):
    assert kg(tmp_path / "nowhere", "stats") == 2
    assert "kg load" in capsys.readouterr().err


def test_two_files_for_one_document_are_refused(tmp_path: Path, capsys):
    """X.txt and X.pdf name the same graph; loading both would silently keep one."""
    folder = tmp_path / "twins"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    (folder / "itplr-48-2025-11-26-protokoll.TXT").write_bytes(SEED.read_bytes())
    assert kg(tmp_path / "store", "load", str(folder / SEED.name),
              str(folder / "itplr-48-2025-11-26-protokoll.TXT")) == 1
    assert "describes the same document as" in capsys.readouterr().err


MALFORMED = [
    # query, words the message must contain
    ("SELECT * WHERE { ?s foo:bar ?o }", ["unknown prefix foo:", "line 1, column 21",
                                          "PREFIX foo:"]),  # undeclared prefix, named
    ("SELECT * WHERE { ?s ?p ?o ", ["error at 1:27", "expected one of"]),  # unclosed group
]


@pytest.mark.parametrize("query, words", MALFORMED)
def test_malformed_queries_are_explained(loaded: Path, capsys, query, words):
    assert kg(loaded, "query", query) == 2
    message = capsys.readouterr().err.replace("\n", " ")
    for word in words:
        assert word in message
    assert "\\u{" not in message  # the parser's character classes are not dumped
