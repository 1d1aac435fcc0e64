"""The decision register loader (loaders/register.py) and its RDF (kg/build_register.py)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from kg.build_register import build_register
from kg.iris import Minter
from kg.namespaces import BG, DCT, ELI, PROV
from kg.settings import SAMPLES_DIR, Settings
from kg.store import StoreDirectory
from loaders.records import LoaderError
from loaders.register import parse_part, parse_register

from .conftest import BASE, load, r

REGISTER = SAMPLES_DIR / "itplr-register"
HEADER = "id,body,procedure,session,date,title,points,source_url\n"
ROW = "2024/03,IT-Planungsrat,Sitzung,43,2024-03-20,Wirtschaftsplan,3,https://example.org/b\n"
REF_HEADER = "source_id,relation,target_id,part,source_url\n"


def test_bundled_register_counts() -> None:
    reg = parse_register(REGISTER)
    assert reg.document == "itplr-register"
    assert len(reg.decisions) == 92
    assert reg.reference_count == 18
    assert reg.warnings == []
    assert reg.errors == []


def test_decision_fields_and_span() -> None:
    reg = parse_register(REGISTER)
    res = next(d for d in reg.decisions if d.canonical_id == "2025/33")
    assert res.title == "Portfoliosteuerung des IT-Planungsrats"
    assert res.date == dt.date(2025, 11, 26)
    assert res.session_number == 48
    assert res.body == "it-planungsrat"
    assert res.procedure == "Sitzung"
    assert res.source_url == "https://www.it-planungsrat.de/beschluss/b-2025-33-it"
    assert [p.number for p in res.points] == ["1", "2", "3", "4", "5"]
    assert (res.span.document, res.span.line_start) == ("decisions.csv", 92)
    rep = next(x for x in res.references if x.target_id == "2025/02")
    assert (rep.relation, rep.points, rep.span.line_start) == ("repeals_part", ("3",), 19)
    al = next(d for d in reg.decisions if d.canonical_id == "2025/02-AL")
    assert (al.body, al.session_number) == ("al-runde", 37)


@pytest.mark.parametrize(("part", "points"), [
    ("Ziffern 2 und 3", ("2", "3")),  # plural, "und"
    ("Ziffer 3", ("3",)),  # singular
    ("Nr. 5 (Sperrvermerk Unternehmenskonto)", ("5",)),  # abbreviation, comment in brackets
    ("Nummer 1 (Nummer 13 angefügt)", ("1",)),  # the number in brackets is what was added
    ("Nummer 1, Nummer 2 neu gefasst", ("1", "2")),  # two words, one point each
    ("Ziffern 1, 2 und 4", ("1", "2", "4")),  # comma list
    ("Programmplanung", ()),  # a part that is not a point
])
def test_parse_part(part: str, points: tuple[str, ...]) -> None:
    assert parse_part(part) == points


def test_relations_from_the_register() -> None:
    reg = parse_register(REGISTER)
    refs = {(d.canonical_id, x.target_id): x for d in reg.decisions for x in d.references}
    # amends with named points → amends_part on those points
    assert refs[("2024/01", "2022/43")].relation == "amends_part"
    assert refs[("2024/01", "2022/43")].points == ("1",)
    assert refs[("2025/01", "2024/19")].points == ("1", "2")
    # references.csv line 6 "2023/22,replaces,2022/06,Programmplanung": a replacement stays
    # a replacement (issue 12 item 1); the part is kept as written
    assert refs[("2023/22", "2022/06")].relation == "replaces"
    assert refs[("2023/22", "2022/06")].subdivision == "Programmplanung"
    assert refs[("2023/43", "2023/35")].relation in ("extends", "cites")
    assert refs[("2025/03", "2023/44")].points == ("2", "3")
    # references.csv line 9: the evidence reads as a sentence with its source, not a CSV row
    assert refs[("2024/01", "2022/43")].evidence == (
        "Register: 2024/01 amends 2022/43 (Nummer 1 (Nummer 13 angefügt)); Quelle: "
        "https://diebewertung.de/bekanntmachung-der-entscheidungen-des-it-planungsrats-11")


def _folder(tmp_path: Path, decisions: str, references: str | None = None) -> Path:
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "decisions.csv").write_text(decisions, encoding="utf-8")
    if references is not None:
        (folder / "references.csv").write_text(references, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("decisions", "references", "file", "line", "words"), [
    # a required column is missing: the header line is named
    ("id,body,procedure,session,date,title,source_url\n", None, "decisions.csv", 1, "points"),
    # references.csv without its `relation` column
    (HEADER + ROW, "source_id,target_id,part,source_url\n", "references.csv", 1, "relation"),
    # an empty decisions.csv
    ("", None, "decisions.csv", 1, "empty file"),
    # an unterminated quote in the header
    ('id,body,"procedure,session,date,title,points,source_url\n', None, "decisions.csv", 1,
     "unterminated quote"),
    # Latin-1 instead of UTF-8 (the "ü" on line 2)
    (HEADER + ROW.replace("Wirtschaftsplan", "Prüfung"), None, "decisions.csv", 2, "UTF-8"),
])
def test_bad_file_names_file_and_line(tmp_path: Path, decisions: str, references: str | None,
                                      file: str, line: int, words: str) -> None:
    """A file that cannot be read as a whole fails the register."""
    folder = _folder(tmp_path, decisions, references)
    if words == "UTF-8":
        (folder / "decisions.csv").write_bytes(decisions.encode("latin-1"))
    with pytest.raises(LoaderError) as info:
        parse_register(folder)
    assert info.value.document == file
    assert info.value.line == line
    assert words in info.value.message
    assert f"{file}:{line}:" in str(info.value)


@pytest.mark.parametrize(("decisions", "references", "file", "line", "words"), [
    # a date that is not ISO
    (HEADER + ROW + ROW.replace("2024/03", "2024/04").replace("2024-03-20", "20.03.2024"),
     None, "decisions.csv", 3, "date '20.03.2024' is not YYYY-MM-DD"),
    # an id that is no decision id
    (HEADER + ROW + ROW.replace("2024/03", "B2024x"), None, "decisions.csv", 3,
     "id 'B2024x' is not a decision id"),
    # the same id twice: the second row is the error and names the first
    (HEADER + ROW + ROW, None, "decisions.csv", 3, "duplicate id '2024/03', first at line 2"),
    # a session that is not a number
    (HEADER + ROW + ROW.replace("2024/03", "2024/04").replace(",43,", ",dreiundvierzig,"),
     None, "decisions.csv", 3, "session 'dreiundvierzig' is not a number"),
    # an unknown body
    (HEADER + ROW + ROW.replace("2024/03", "2024/04").replace("IT-Planungsrat", "ITPLR"),
     None, "decisions.csv", 3, "body 'ITPLR' is unknown"),
    # a source_url that is not http(s)
    (HEADER + ROW + ROW.replace("2024/03", "2024/04").replace("https:", "ftp:"),
     None, "decisions.csv", 3, "is not a valid IRI (not an http(s) URL)"),
    # an unknown relation in references.csv
    (HEADER + ROW, REF_HEADER + "2024/03,aufhebt,2023/01,,\n", "references.csv", 2,
     "relation 'aufhebt' is unknown"),
    # repeals_part without points
    (HEADER + ROW, REF_HEADER + "2024/03,repeals_part,2023/01,,\n", "references.csv", 2,
     "repeals_part needs the points"),
    # a row with too many cells
    (HEADER + ROW + ROW.replace("2024/03", "2024/04").rstrip("\n") + ",extra\n", None,
     "decisions.csv", 3, "9 cells, the header has 8"),
])
def test_bad_row_names_file_and_line(tmp_path: Path, decisions: str, references: str | None,
                                     file: str, line: int, words: str) -> None:
    """A bad row is a `Register.errors` entry; the row is skipped, the rest loads."""
    reg = parse_register(_folder(tmp_path, decisions, references))
    assert [(e.document, e.line) for e in reg.errors] == [(file, line)]
    assert words in reg.errors[0].message
    assert str(reg.errors[0]).startswith(f"{file}:{line}: ")
    assert str(reg.errors[0]).endswith("; row skipped")
    # the good row of line 2 loaded in every case
    assert "2024/03" in {d.canonical_id for d in reg.decisions}
    assert reg.reference_count == 0


def test_empty_references_file_means_no_references(tmp_path: Path) -> None:
    reg = parse_register(_folder(tmp_path, HEADER + ROW, ""))
    assert (len(reg.decisions), reg.reference_count, reg.errors) == (1, 0, [])


def test_reference_from_an_unknown_decision_is_a_warning(tmp_path: Path) -> None:
    reg = parse_register(_folder(tmp_path, HEADER + ROW,
                                 REF_HEADER + "2099/01,cites,2024/03,,\n"))
    assert reg.reference_count == 0
    assert [w.span.line_start for w in reg.warnings] == [2]


def test_build_register_quads() -> None:
    reg = parse_register(REGISTER)
    graph, quads, counts = build_register(reg, Minter(BASE),
                                          loaded_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    assert graph.value == BASE + "graph/itplr-register"
    assert counts["resolutions"] == 92 and counts["references"] == 18
    triples = {(s.value, p.value, getattr(o, "value", None)) for s, p, o, _ in quads}
    assert (r("2024/01"), ELI + "amends", r("2022/43") + "/ziffer/1") in triples
    assert (r("2024/01"), BG + "amendsPartOf", r("2022/43")) in triples
    assert (r("2025/03"), ELI + "repeals", r("2023/44") + "/ziffer/2") in triples
    assert (r("2025/03"), ELI + "repeals", r("2023/44") + "/ziffer/3") in triples
    # references.csv l. 6 "2023/22,replaces,2022/06": bg:replaces and eli:repeals, no amends
    assert (r("2023/22"), BG + "replaces", r("2022/06")) in triples
    assert (r("2023/22"), ELI + "repeals", r("2022/06")) in triples
    assert (r("2023/22"), ELI + "amends", r("2022/06")) not in triples
    # decisions.csv l. 26 "Umsetzung des Richtlinie 2014/55/EU": bg:implements the directive
    assert (r("2017/22"), BG + "implements",
            "http://data.europa.eu/eli/dir/2014/55/oj") in triples
    assert (r("2025/33"), BG + "session", BASE + "sitzung/itplr/48") in triples
    assert (r("2025/33"), DCT + "source",
            "https://www.it-planungsrat.de/beschluss/b-2025-33-it") in triples
    assert (r("2025/33"), PROV + "wasDerivedFrom", graph.value) in triples
    assert (graph.value, BG + "documentKind", "register") in triples
    # AL-Runde meetings are numbered on their own: no link to council session 37
    al = BASE + "eli/itplr-al/beschluss/2025/02"
    assert not any(s == al and p == BG + "session" for s, p, _ in triples)


def test_one_resource_two_provenances(bundled_settings: Settings) -> None:
    store = StoreDirectory(bundled_settings.store).open_read_only()
    rows = store.select("""
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?r ?g WHERE { ?r prov:wasDerivedFrom ?g } ORDER BY ?g""",
                        substitutions={"r": _iri(r("2025/33"))})
    assert [str(x["g"]) for x in rows] == [
        BASE + "graph/itplr-48-2025-11-26-protokoll", BASE + "graph/itplr-register"]


def test_conflicting_title_and_date_are_kept_and_reported(tmp_path: Path) -> None:
    folder = tmp_path / "itplr-register"
    shutil.copytree(REGISTER, folder)
    text = (folder / "decisions.csv").read_text(encoding="utf-8")
    text = text.replace("2025/42,IT-Planungsrat,Sitzung,48,2025-11-26,Integration der EU-",
                        "2025/42,IT-Planungsrat,Sitzung,48,2025-11-27,Einbindung der EU-")
    (folder / "decisions.csv").write_text(text, encoding="utf-8")
    settings = load(tmp_path / "store", SAMPLES_DIR / "itplr-48-2025-11-26-protokoll.txt",
                    folder)
    store = StoreDirectory(settings.store).open_read_only()
    titles = store.select("""
        PREFIX eli: <http://data.europa.eu/eli/ontology#>
        SELECT DISTINCT ?r ?t WHERE { ?r eli:title ?t } ORDER BY ?t""",
                          substitutions={"r": _iri(r("2025/42"))})
    assert [x["t"] for x in titles] == ["Einbindung der EU-Interoperabilitätsbewertung",
                                        "Integration der EU-Interoperabilitätsbewertung"]
    from kg.analysis.conflicts import find_conflicts
    from kg.validate import CHECKS

    assert "kg.analysis.conflicts:find_conflicts" in CHECKS
    findings = [f for f in find_conflicts(store) if f.focus == r("2025/42")]
    assert len(findings) == 2  # title and date
    assert all(f.severity == "Warning" for f in findings)
    assert any("2025-11-27" in f.message and "2025-11-26" in f.message for f in findings)
    assert any("Einbindung" in f.message and "Integration" in f.message for f in findings)


def _iri(value: str):  # noqa: ANN202
    from kg.terms import IRI

    return IRI(value)


def test_eu_acts_and_laws_named_in_titles() -> None:
    reg = parse_register(REGISTER)
    refs = {(d.canonical_id, x.target_kind, x.target_id) for d in reg.decisions
            for x in d.references if x.target_kind != "resolution"}
    # decisions.csv: 2017/22 "Umsetzung des Richtlinie 2014/55/EU (elektronische
    # Rechnungsstellung …)", 2018/36 "… Umsetzung Onlinezugangsgesetz", 2015/03 "§ 3 IT-NetzG"
    assert refs == {("2017/22", "eu_act", "dir/2014/55"), ("2018/36", "law", "OZG"),
                    ("2015/03", "law", "IT-NetzG")}


def test_bodies_named_in_titles_are_mentions() -> None:
    reg = parse_register(REGISTER)
    mentions = {d.canonical_id: [m.key for m in d.mentions] for d in reg.decisions}
    # decisions.csv: 2014/22 "Föderale IT-Kooperation (FITKO)", 2024/35 "Governikus"
    assert mentions["2014/22"] == ["fitko"]
    assert mentions["2024/35"] == ["governikus"]
