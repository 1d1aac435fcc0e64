"""`kg load` and `kg validate` end to end on a real on-disk Oxigraph store: one decision from a
protocol, its page, a notice and the register is one resource with four sources; where they
differ is reported with file and line; bad files cost themselves only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.disagreements import disagreements
from kg.store import StoreDirectory
from tests.conftest import SEED
from tests.loaders_sources.conftest import FIXTURES, kg

BASE = "https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/"
R33 = BASE + "2025/33"
PREFIX = """PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""
# decisions the register lists and no protocol, page or notice holds (README)
KNOWN_TEXT_NOT_LOADED = PREFIX + """
SELECT ?id WHERE {
  ?r a bg:Resolution ; eli:id_local ?id ; prov:wasDerivedFrom ?register .
  ?register bg:documentKind "register" .
  FILTER NOT EXISTS { ?r prov:wasDerivedFrom ?doc . ?doc bg:documentKind ?kind
                      FILTER(?kind != "register") }
} ORDER BY ?id"""


def open_store(path: Path):  # type: ignore[no-untyped-def]
    return StoreDirectory(path).open_read_only()


def test_one_resource_four_sources(merged: Path) -> None:
    store = open_store(merged)
    rows = store.select(PREFIX + """SELECT ?kind ?line WHERE {
        GRAPH ?g { ?r eli:id_local "2025/33" ; prov:wasDerivedFrom ?g ; bg:lineStart ?line .
                   ?g bg:documentKind ?kind } } ORDER BY ?kind""")
    assert [(r["kind"], r["line"]) for r in rows] == [
        ("bekanntmachung", 18),  # the title line above "Beschluss 2025/33"
        ("beschlussseite", 5),  # the decision line "… | 48. Sitzung | B-2025/33-IT"
        ("protokoll", 391),  # "BV Beschluss B-2025/33-IT"
        ("register", 92),  # the row of decisions.csv
    ]
    # one resource: every source minted the same ELI IRI
    ids = store.select(PREFIX + 'SELECT DISTINCT ?r WHERE { ?r eli:id_local "2025/33" }')
    assert [str(r["r"]) for r in ids] == [R33]
    # each point keeps each source's own lines
    lines = store.select(PREFIX + """SELECT ?g ?line WHERE { GRAPH ?g {
        <""" + R33 + """/ziffer/3> prov:wasDerivedFrom ?g ; bg:lineStart ?line } } ORDER BY ?line""")
    # page, notice, register row (its points carry the row's line), protocol
    assert [r["line"] for r in lines] == [11, 26, 92, 414]


def test_disagreements_name_file_and_line(merged: Path) -> None:
    found = {(d.aspect, d.message) for d in disagreements(open_store(merged))
             if d.aspect != "text"}
    assert found == {
        # the test page states another title and date than the other three sources
        ("title", "2025/33: the sources state different titles: 'Portfoliosteuerung' "
                  "(b-2025-33-it.txt:5); 'Portfoliosteuerung des IT-Planungsrats' "
                  "(bekanntmachung-2025-48.txt:18); 'Portfoliosteuerung des IT-Planungsrats' "
                  "(itplr-48-2025-11-26-protokoll.txt:391); 'Portfoliosteuerung des "
                  "IT-Planungsrats' (itplr-register/decisions.csv:92)"),
        ("date", "2025/33: the sources state different dates: '2025-11-27' "
                 "(b-2025-33-it.txt:5); '2025-11-26' (bekanntmachung-2025-48.txt:18); "
                 "'2025-11-26' (itplr-48-2025-11-26-protokoll.txt:391); '2025-11-26' "
                 "(itplr-register/decisions.csv:92)"),
        # its Ziffer 5 lacks the partial repeal of 2025/02 that protocol, notice and register
        # state
        ("references", "2025/33: repealsPartOf 2025/02 is stated in "
                       "bekanntmachung-2025-48.txt:32, itplr-48-2025-11-26-protokoll.txt:436 "
                       "but not in b-2025-33-it.txt:5"),
        ("references", "2025/33: repealsPartOf 2025/02 is stated in "
                       "itplr-register/references.csv:19 but not in b-2025-33-it.txt:5"),
    }
    texts = [d for d in disagreements(open_store(merged), R33) if d.aspect == "text"]
    # the three wordings of each of the five points, each with its file and line
    assert [d.message.split(":")[0] for d in texts] == [f"2025/33 Ziffer {n}" for n in range(1, 6)]
    assert [w for _, w in texts[2].sides] == [
        "b-2025-33-it.txt:11", "bekanntmachung-2025-48.txt:26",
        "itplr-48-2025-11-26-protokoll.txt:414"]


def test_kg_validate_reports_them(merged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kg(merged, "validate", "--format", "json")
    report = json.loads(capsys.readouterr().out)
    mine = [f for f in report["findings"] if f["check"] == "kg.disagreements:find_disagreements"]
    assert {f["severity"] for f in mine} == {"Warning"}
    assert {f["focus"] for f in mine} == {R33}
    assert len(mine) == 9  # title, date, five point texts, two references


def test_text_and_html_of_one_page_agree_with_the_register(merged: Path) -> None:
    # data/record: the page of 2025/03 saved as text and as HTML, and the register's row
    assert disagreements(open_store(merged), BASE + "2025/03") == []
    kinds = open_store(merged).select(PREFIX + """SELECT ?kind WHERE { GRAPH ?g {
        <""" + BASE + """2025/03> prov:wasDerivedFrom ?g . ?g bg:documentKind ?kind } }
        ORDER BY ?kind""")
    assert [r["kind"] for r in kinds] == ["beschlussseite", "beschlussseite", "register"]


def test_known_text_not_loaded_is_queryable(merged: Path) -> None:
    ids = [r["id"] for r in open_store(merged).select(KNOWN_TEXT_NOT_LOADED)]
    assert "2010/08" in ids  # only the register's row
    # the notice of the first session, the pages and the protocol hold these texts
    assert not {"2010/01", "2010/02", "2010/03", "2025/03", "2025/33"} & set(ids)
    # 92 register rows; 2010/01–03, 2025/03, 2025/33 and 2025/42 have their texts loaded
    assert len(ids) == 92 - 6


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    assert kg(store, "load", str(SEED)) == 0
    return store


def snapshot(path: Path) -> list[tuple]:
    rows = open_store(path).select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return sorted(tuple(str(r[k]) for k in ("s", "p", "o", "g")) for r in rows
                  if not str(r["p"]).endswith(("loadedAt", "/modified", "generatedAtTime")))


WHOLE_FILE_FAILS = [
    # a text that is none of the three layouts: the protocol's message and what the others need
    ("kein-beschluss.txt", ["kein-beschluss.txt:1: not a council protocol",
                            "nor a decision page (no line like '26.03.2025 | 46. Sitzung | "
                            "Beschluss 2025/03'", "nor a Bundesanzeiger notice"]),
    # an HTML page of the site that holds no decision
    ("kein-beschluss.html", ["kein-beschluss.html:", "not a decision page"]),
]


@pytest.mark.parametrize(("name", "words"), WHOLE_FILE_FAILS)
def test_a_file_that_is_no_decision_leaves_the_store_unchanged(
        seeded: Path, capsys: pytest.CaptureFixture[str], name: str, words: list[str]) -> None:
    before = snapshot(seeded)
    assert kg(seeded, "load", str(FIXTURES / name)) == 1
    message = " ".join(capsys.readouterr().err.split())
    for word in words:
        assert word in message
    assert snapshot(seeded) == before


PARTLY_LOADED = [
    # cut off mid-decision: the last decision is reported with its line, the others load
    ("bekanntmachung-abgeschnitten.txt", "bekanntmachung-abgeschnitten.txt:24: decision 2022/21",
     {"2022/02", "2022/33"}, "2022/21"),
    # one number twice with different text: the second is reported, the first loads
    ("bekanntmachung-doppelt.txt", "bekanntmachung-doppelt.txt:23: decision 2023/16 is published "
     "twice with different text (first at line 11)", {"2023/16", "2023/17"}, None),
]


@pytest.mark.parametrize(("name", "message", "loaded", "skipped"), PARTLY_LOADED)
def test_a_bad_decision_costs_only_itself(
        seeded: Path, capsys: pytest.CaptureFixture[str], name: str, message: str,
        loaded: set[str], skipped: str | None) -> None:
    assert kg(seeded, "load", str(FIXTURES / name)) == 1
    assert message in " ".join(capsys.readouterr().err.split())
    graph = "https://w3id.org/beschlussgraph/id/graph/" + name.removesuffix(".txt")
    rows = open_store(seeded).select(PREFIX + "SELECT ?id WHERE { GRAPH <" + graph + "> { "
                                     "?r a bg:Resolution ; eli:id_local ?id ; "
                                     "prov:wasDerivedFrom ?g } }")
    assert {r["id"] for r in rows} == loaded
    if skipped:
        assert skipped not in {r["id"] for r in rows}


def test_first_of_a_duplicate_keeps_its_text(seeded: Path) -> None:
    kg(seeded, "load", str(FIXTURES / "bekanntmachung-doppelt.txt"))
    rows = open_store(seeded).select(PREFIX + """SELECT ?text WHERE {
        <""" + BASE + """2023/16/ziffer/1> bg:text ?text }""")
    assert [r["text"] for r in rows] == [
        "Der IT-Planungsrat stimmt der Vision für das Schwerpunktthema Digitale Infrastruktur zu."]


def test_the_first_session_s_notice_gives_the_office_its_mandates(tmp_path: Path) -> None:
    # data/record/bekanntmachung-2010-sitzung-1.txt, 2010/02: "beauftragt die Geschäftsstelle,
    # … bis zu seiner zweiten Sitzung …"; 2010/03 Ziffer 1: "Er bittet seine Geschäftsstelle,
    # diesen Beschluss umzusetzen." The register dates the second session 02.07.2010.
    record = SEED.parents[1] / "record"
    store = tmp_path / "store"
    assert kg(store, "load", str(SEED.parent / "itplr-register"),
              str(record / "bekanntmachung-2010-sitzung-1.txt")) == 0
    rows = open_store(store).select(PREFIX + """
        SELECT ?id ?verb ?deadlineText ?session ?due WHERE {
          ?m bg:issuedBy ?r ; bg:assignee <https://w3id.org/beschlussgraph/id/gremium/geschaeftsstelle> ;
             bg:mandateVerb ?verb .
          ?r eli:id_local ?id .
          OPTIONAL { ?m bg:deadlineText ?deadlineText }
          OPTIONAL { ?m bg:deadlineSession/bg:sessionNumber ?session }
          OPTIONAL { ?m bg:effectiveDeadline ?due } } ORDER BY ?id""")
    assert [(r["id"], r["verb"], r["deadlineText"], r["session"], r["due"]) for r in rows] == [
        ("2010/02", "beauftragt", "bis zu seiner zweiten Sitzung", 2, "2010-07-02"),
        ("2010/03", "bittet", None, None, None)]
