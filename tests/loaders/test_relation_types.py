"""Issue 12 item 1: relation types survive every source. A replacement stays a replacement
(register and protocol alike); where a text says it implements an act or resolution ("In
Umsetzung", "zur Umsetzung der Verordnung …", "setzt … um"), the relation is `implements`."""

from __future__ import annotations

import pytest

from kg.settings import SAMPLES_DIR
from loaders.records import Protocol, Span
from loaders.references import find_references
from loaders.register import parse_register

from .conftest import resolution

REGISTER = SAMPLES_DIR / "itplr-register"


@pytest.mark.parametrize(("res", "point", "target", "relation"), [
    # l. 1406-1408 B-2025/45-IT Ziffer 4: "Diese Maßnahmen tragen zur beschleunigten Umsetzung
    # der Anforderungen aus der EU-Verordnung zum Single Digital Gateway bei."
    ("2025/45", "4", "reg/2018/1724", "implements"),
    # l. 1349 B-2025/44-IT: "In Umsetzung des Beschlusses von Digitalministerkonferenz
    # (DMK 2024/10/15) und IT-Planungsrat (2025/06) …"
    ("2025/44", None, "DMK 2024/10/15", "implements"),
    ("2025/44", None, "2025/06", "implements"),
    # l. 1333 B-2025/43-IT Ziffer 4: "Vorhaben … der Umsetzung der SDG-VO und des IDNrG":
    # projects the standard serves, not an implementation by the resolution
    ("2025/43", "4", "reg/2018/1724", "cites"),
    ("2025/43", "4", "IDNrG", "cites"),
    # l. 1272 B-2025/42-IT: "gemäß Verordnung [EU] 2024/903, Art. 3": a citation
    ("2025/42", None, "reg/2024/903", "cites"),
    # l. 1090 B-2025/39-IT Ziffer 1: "… und hebt damit den Beschluss 2022/43 auf"
    ("2025/39", "1", "2022/43", "repeals"),
])
def test_seed_relations(seed: Protocol, res: str, point: str | None, target: str,
                        relation: str) -> None:
    refs = [x for x in resolution(seed, res).references
            if x.target_id == target and x.in_point == point]
    assert [x.relation for x in refs] == [relation]


@pytest.mark.parametrize(("source", "target", "relation", "points", "part"), [
    # references.csv l. 6 "2023/22,replaces,2022/06,Programmplanung": a replacement, with the
    # part as written (was read as eli:amends)
    ("2023/22", "2022/06", "replaces", (), "Programmplanung"),
    # decisions.csv l. 26 2017/22 "Umsetzung des Richtlinie 2014/55/EU (elektronische
    # Rechnungsstellung - eRechnung)"
    ("2017/22", "dir/2014/55", "implements", (), None),
    # decisions.csv l. 13 2015/03 "Weiterentwicklung des Verbindungsnetzes (Umsetzung § 3
    # IT-NetzG)"
    ("2015/03", "IT-NetzG", "implements", (), None),
    # decisions.csv l. 38 2018/36 "Umlaufbeschluss zur Koordinierung Umsetzung
    # Onlinezugangsgesetz (OZG)"
    ("2018/36", "OZG", "implements", (), None),
    # references.csv l. 5 "2022/37,repeals_part,2022/14,Nr. 5 (Sperrvermerk …)"
    ("2022/37", "2022/14", "repeals_part", ("5",), "Nr. 5 (Sperrvermerk Unternehmenskonto)"),
])
def test_register_relations(source: str, target: str, relation: str,
                            points: tuple[str, ...], part: str | None) -> None:
    reg = parse_register(REGISTER)
    refs = [x for d in reg.decisions if d.canonical_id == source for x in d.references
            if x.target_id == target]
    assert [(x.relation, x.points) for x in refs] == [(relation, points)]
    if part is not None:
        assert refs[0].subdivision == part


def test_register_replacement_of_points(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # a register row "replaces" naming points replaces those points, not the whole target
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "decisions.csv").write_text(
        "id,body,procedure,session,date,title,points,source_url\n"
        "2024/03,IT-Planungsrat,Sitzung,43,2024-03-20,Wirtschaftsplan,3,https://example.org/b\n",
        encoding="utf-8")
    (folder / "references.csv").write_text(
        "source_id,relation,target_id,part,source_url\n2024/03,replaces,2023/10,Ziffer 3,\n",
        encoding="utf-8")
    (ref,) = parse_register(folder).decisions[0].references
    assert (ref.relation, ref.points) == ("replaces", ("3",))


SPAN = Span("x.txt", 1, 1)


@pytest.mark.parametrize(("text", "expected"), [
    # DESIGN.md §2 phrasing "ersetzt"
    ("Dieser Beschluss ersetzt den Beschluss 2022/06.", [("replaces", "2022/06", ())]),
    ("Dieser Beschluss ersetzt Ziffer 3 des Beschlusses 2024/03.",
     [("replaces", "2024/03", ("3",))]),
    # issue 12 item 1 phrasings: "zur Umsetzung der Verordnung …", "setzt … um"
    ("Zur Umsetzung der Verordnung (EU) 2024/903 richtet die FITKO ein Register ein.",
     [("implements", "reg/2024/903", ())]),
    ("Der IT-Planungsrat setzt damit die Richtlinie 2014/55/EU um.",
     [("implements", "dir/2014/55", ())]),
    ("Mit diesem Beschluss wird der Beschluss 2024/03 umgesetzt.",
     [("implements", "2024/03", ())]),
    ("In Umsetzung des Beschlusses 2024/03 beschließt der IT-Planungsrat …",
     [("implements", "2024/03", ())]),
    # a topic, not an implementation
    ("Dies gilt für Vorhaben der Umsetzung der SDG-VO.", [("cites", "reg/2018/1724", ())]),
    ("Die Stelle reicht die Dokumentation gemäß Verordnung (EU) 2024/903 ein.",
     [("cites", "reg/2024/903", ())]),
])
def test_phrasings(text: str, expected: list[tuple[str, str, tuple[str, ...]]]) -> None:
    assert [(x.relation, x.target_id, x.points)
            for x in find_references(text, SPAN, None)] == expected
