"""A protocol in the seed's layout with the phrasings the seed lacks (DESIGN.md §2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from loaders.protocol import parse_protocol
from loaders.read import read_source
from tests.loaders.conftest import PROTOCOLS, resolution

SIXTY = PROTOCOLS / "itplr-60-2026-06-18-protokoll.txt"


@pytest.fixture(scope="module")
def p60():
    return parse_protocol(read_source(SIXTY))


def test_other_numbers_sections_and_chair(p60):
    assert p60.session.number == 60
    assert p60.session.chair.key == "NW"  # TOP 01, not 00, greets as chair
    assert [s.label for s in p60.sections] == ["Begrüßung", "Finanzen und Steuerung",
                                               "Vorschlag Grüne Liste"]


REFERENCES = [
    # citing, relation, target, points — each row is one phrasing from DESIGN.md §2
    ("2026/12", "repeals_part", "2025/33", ("2", "4")),  # "Die Ziffern 2 und 4 des Beschlusses 2025/33 werden aufgehoben"
    ("2026/12", "replaces", "2025/31", ()),              # "Der Beschluss 2025/31 wird durch diesen Beschluss ersetzt"
    ("2026/12", "amends_part", "2024/03", ("1",)),       # "Ziffer 1 des Beschlusses 2024/03 wird wie folgt geändert"
    ("2026/12", "cites", "2023/22", ()),                 # "bleibt unberührt": no repeal
    ("2026/13", "continues", "2025/40", ()),             # "In Fortführung des Beschlusses 2025/40"
    ("2026/13", "implements", "2023/35", ()),            # "in Umsetzung des Umlaufbeschlusses 2023/35"
    ("2026/13", "amends", "2022/43", ()),                # "ändert seinen Beschluss 2022/43 und 2024/19"
    ("2026/13", "amends", "2024/19", ()),
    ("2026/15", "cites", "2025/02", ()),                 # council 2025/02 …
    ("2026/15", "cites", "2025/02-AL", ()),              # … and AL-Runde 2025/02-AL stay apart
]


@pytest.mark.parametrize("citing, relation, target, points", REFERENCES)
def test_reference_phrasings(p60, citing, relation, target, points):
    refs = [(r.relation, r.target_id, r.points) for r in resolution(p60, citing).references]
    assert (relation, target, points) in refs


def test_no_repeal_of_a_resolution_left_untouched(p60):
    refs = resolution(p60, "2026/12").references
    assert not any(r.target_id == "2023/22" and r.relation.startswith("repeals") for r in refs)
    # "gemäß Ziffer 1 und 2 dieses Beschlusses" is a reference into itself, not an edge
    assert {r.target_id for r in refs} == {"2025/33", "2025/31", "2024/03", "2023/22"}


def test_eu_directive_is_not_a_resolution(p60):
    note = next(n for i in p60.items for n in i.notes)
    assert "Richtlinie 2014/55/EU" in note.text
    every_target = {r.target_id for res in p60.resolutions for r in res.references}
    assert "2014/55" not in every_target


VOTES = [
    # id, outcome, unanimous, majority, abstained, against, via consent agenda
    ("2026/12", "adopted", False, True, [], ["SN"], False),  # "mehrheitlich, bei Gegenstimme von SN"
    ("2026/13", "adopted", True, False, ["BY", "HE"], [], False),  # "bei Enthaltung von BY und HE"
    ("2026/14", "rejected", False, False, [], [], False),  # "Der Beschluss wird abgelehnt."
    ("2026/15", "taken_note", False, False, [], [], False),  # "zur Kenntnis genommen"
    ("2026/16", "adopted", False, True, [], [], True),  # green list, "Mehrheitlicher Beschluss"
]


@pytest.mark.parametrize("rid, outcome, unanimous, majority, abstained, against, consent", VOTES)
def test_votes(p60, rid, outcome, unanimous, majority, abstained, against, consent):
    v = resolution(p60, rid).vote
    assert (v.outcome, v.unanimous, v.majority, v.via_consent_agenda) == (
        outcome, unanimous, majority, consent)
    assert [a.key for a in v.abstained] == abstained
    assert [a.key for a in v.against] == against


def test_named_note_author_and_green_list_removal(p60):
    note = next(n for i in p60.items for n in i.notes)
    assert (note.author.key, note.author_label) == ("NW", "Nordrhein-Westfalen")
    top45 = next(i for i in p60.items if i.number == "45")
    assert top45.removed_from_consent_agenda is True


def test_amounts_and_deadlines(p60):
    r12 = resolution(p60, "2026/12")
    assert [a.value for p in r12.points for a in p.amounts] == [Decimal(1_500_000)]
    (m,) = r12.mandates
    assert (m.deadline.date, m.deadline.text) == (dt.date(2027, 3, 31), "bis Ende Q1 2027")
    r13 = resolution(p60, "2026/13")
    assert r13.mandates[0].assignees[0].key == "SH"  # "das Land Schleswig-Holstein"
    assert r13.mandates[0].deadline.date == dt.date(2026, 12, 31)  # "bis zum 31. Dezember 2026"


def test_comma_ends_the_object_and_effective_date(p60):
    r17 = resolution(p60, "2026/17")
    # "bittet den Bund, die Länder regelmäßig zu informieren": the Länder are informed, the
    # Bund is asked
    assert [[a.key for a in m.assignees] for m in r17.mandates] == [["Bund"]]
    assert r17.effective_from == dt.date(2027, 1, 1)  # "tritt am 01.01.2027 in Kraft"
