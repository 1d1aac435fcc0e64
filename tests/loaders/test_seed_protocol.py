"""Golden facts of the 48th session (data/samples/itplr-48-2025-11-26-protokoll.txt).

Every expected value below was read off the protocol text; the line numbers in comments
point at it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.loaders.conftest import resolution

# id → (TOP, number of numbered points incl. sub-points)
RESOLUTIONS = [
    ("2025/31", "03", 2),   # Eckwerte zum Wirtschaftsplan 2027
    ("2025/32", "02", 2),   # Leitlinie Informationssicherheit
    ("2025/33", "09", 5),   # Portfoliosteuerung
    ("2025/34", "18", 5),   # Semantische Interoperabilität
    ("2025/35", "34", 0),   # Datenaustausch in Großschadenslagen: one paragraph, no points
    ("2025/36", "23", 4),   # EUDI-Wallet
    ("2025/37", "25", 6),   # MaKI
    ("2025/38", "04", 2),   # Organisationsuntersuchung FITKO
    ("2025/39", "06", 2),   # fachpolitische Sprecher (the 15 table rows are not points)
    ("2025/40", "07", 5),   # Flächenrolloutkonzept
    ("2025/41", "10", 4),   # Erfüllungsaufwände OZG
    ("2025/42", "12", 2),   # EU-Interoperabilitätsbewertung (preamble + 2 points)
    ("2025/43", "17", 4),   # XBildung
    ("2025/44", "19", 0),   # Offene Dokumentenformate
    ("2025/45", "21", 4),   # SDG
    ("2025/46", "22", 4),   # API First: 1, 2, 2.1, 2.2
    ("2025/47", "27", 0),   # Änderungsanträge
    ("2025/48", "28", 0),   # EVB-IT
    ("2025/49", "29", 3),   # Governikus
    ("2025/50", "31", 0),   # AG RaBe
    ("2025/51", "32", 4),   # EfA-Finanzierung
    ("2025/52", "33", 0),   # Steuerungsgruppe NOOTS
]


def test_session_header(seed):
    s = seed.session
    assert (s.number, s.date, s.place) == (48, dt.date(2025, 11, 26), "Hansestadt Stralsund")
    assert (s.start_time, s.end_time) == (dt.time(9, 15), dt.time(12, 10))
    assert s.version_date == dt.date(2026, 1, 12)  # "Stand: 12.01.2026"
    assert s.chair is not None and s.chair.key == "MV"  # TOP 00 "Begrüßung durch den Vorsitz", BE MV


def test_thirty_agenda_entries_with_top_06_twice(seed):
    numbers = [i.number for i in seed.items]
    assert len(numbers) == 30
    assert numbers.count("06") == 2
    assert [i.occurrence for i in seed.items if i.number == "06"] == [1, 2]
    assert numbers[:4] == ["00", "03", "01", "02"]  # protocol order, not numeric order


def test_sections(seed):
    assert [s.label for s in seed.sections] == [
        "Begrüßung", "Übergreifendes", "Informationssicherheit", "Digitale Infrastruktur",
        "Digitale Transformation", "Digitale Anwendungen", "Datennutzung",
        "Vorschlag Grüne Liste",
    ]
    assert [s.is_consent_agenda for s in seed.sections][-1] is True


@pytest.mark.parametrize("canonical_id, top, points", RESOLUTIONS)
def test_resolution_ids_tops_and_points(seed, canonical_id, top, points):
    item = next(i for i in seed.items if i.resolution and i.resolution.canonical_id == canonical_id)
    assert item.number == top
    assert len(item.resolution.points) == points
    assert item.resolution.identifier == f"B-{canonical_id}-IT"


def test_exactly_the_22_resolutions(seed):
    assert [r.canonical_id for r in seed.resolutions] == sorted(
        (c for c, _, _ in RESOLUTIONS), key=lambda c: [c for c, _, _ in RESOLUTIONS].index(c))
    assert len(seed.resolutions) == 22


def test_agenda_item_header_fields(seed):
    top09 = next(i for i in seed.items if i.number == "09")
    assert top09.title == "Portfoliosteuerung des IT-Planungsrats"
    assert top09.subtitles == ["Dritter Teil der Föderalen Digitalstrategie"]
    assert top09.goal == "Beschluss"
    assert [s.text for s in top09.sources] == ["B-2024/40-IT", "B-2025/03-IT", "B-2020/58-IT"]
    assert [r.key for r in top09.reporters] == ["Bund", "MV", "fitko"]
    assert top09.checked == ["Beschluss"]
    top02 = next(i for i in seed.items if i.number == "02")
    assert [r.key for r in top02.reporters] == ["TH", "ag-infosic"]  # "TH, AG" / "InfoSic"
    top33 = next(i for i in seed.items if i.number == "33")
    assert [(s.text, s.canonical_id) for s in top33.sources] == [
        ("B-2025/13-IT", "2025/13"), ("GO IT-PLR", None)]
    top19 = next(i for i in seed.items if i.number == "19")
    assert [r.key for r in top19.reporters] == ["ST", "fit-sb"]  # "ST, FIT-" / "SB"
    top18 = next(i for i in seed.items if i.number == "18")
    assert [s.canonical_id for s in top18.sources] == ["2025/09-AL"]
    top23 = next(i for i in seed.items if i.number == "23")
    assert [s.canonical_id for s in top23.sources] == ["F-2025/03"]
    top25 = next(i for i in seed.items if i.number == "25")
    assert top25.title == "Produktübernahme Marktplatz der KI-Möglichkeiten (MaKI)"
    assert [r.key for r in top25.reporters] == ["HH", "fitko", "Bund", "dlt"]


def test_sub_points_are_separate_and_ordered(seed):
    res = resolution(seed, "2025/46")
    assert [(p.number, p.parent) for p in res.points] == [
        ("1", None), ("2", None), ("2.1", "2"), ("2.2", "2")]
    assert res.points[2].text.startswith("gemeinsam mit der Freien Hansestadt Bremen")


OUTCOMES = [
    # id, outcome, unanimous, redacted abstention, via consent agenda
    ("2025/31", "adopted", True, False, False),   # "einstimmig angenommen"
    ("2025/34", "adopted", True, True, False),    # "einstimmig, bei Enthaltung  angenommen" (name blanked)
    ("2025/35", "adopted", True, True, False),    # TOP 34, taken off the green list, same wording
    ("2025/38", "adopted", True, False, True),    # Grüne Liste, adopted by TOP 00
    ("2025/39", "adopted", True, False, True),    # TOP 06 proposal left on the green list
    ("2025/52", "adopted", True, False, True),    # last green-list item
]


@pytest.mark.parametrize("canonical_id, outcome, unanimous, redacted, consent", OUTCOMES)
def test_outcomes(seed, canonical_id, outcome, unanimous, redacted, consent):
    vote = resolution(seed, canonical_id).vote
    assert vote is not None
    assert (vote.outcome, vote.unanimous, vote.redacted_abstentions, vote.via_consent_agenda) \
        == (outcome, unanimous, redacted, consent)


def test_consent_agenda_flags(seed):
    by_number = {(i.number, i.occurrence): i for i in seed.items}
    assert by_number[("34", 1)].removed_from_consent_agenda is True
    assert by_number[("34", 1)].on_consent_agenda is False
    assert by_number[("06", 2)].on_consent_agenda is True
    assert by_number[("06", 1)].on_consent_agenda is False
    assert sum(i.on_consent_agenda for i in seed.items) == 15


def test_protocol_notes(seed):
    notes = [(i.number, n.author.key if n.author else None, n.redacted)
             for i in seed.items for n in i.notes]
    assert notes == [
        # l. 794 "PN", page break, l. 815 "PN" again: one redacted note (issue 12 item 8)
        ("23", None, True),
        ("04", "BY", False),                     # PN Protokollnotiz (Bayern)
        ("12", "fitko", False),                  # PN Protokollnotiz (FITKO)
        ("21", "BY", False),
    ]
    fitko = next(n for i in seed.items for n in i.notes if n.author and n.author.key == "fitko")
    assert fitko.text.startswith("Die FITKO begrüßt das Vorhaben")


def test_statements_and_no_discussion(seed):
    top06 = next(i for i in seed.items if i.number == "06")
    assert [s.speaker_label for s in top06.statements] == ["HB", "MV", "Bund", "BW", "HB", "HH", "Bund"]
    top25 = next(i for i in seed.items if i.number == "25")
    assert [s.speaker.key for s in top25.statements] == ["HH", "Bund", "dlt"]
    assert [i.number for i in seed.items if i.no_discussion] == ["16", "20"]  # "Keine Aussprache."
    top23 = next(i for i in seed.items if i.number == "23")
    bund = top23.statements[-1]
    assert [a.value for a in bund.amounts] == [Decimal(50_000_000)]  # "ca. 50 Mio. Euro"
    assert bund.amounts[0].approximate is True


REFERENCES = [
    # citing, relation, target kind, target, points, article
    ("2025/31", "cites", "resolution", "2024/03", (), None),          # "(Beschluss 2024/03)"
    ("2025/33", "cites", "resolution", "2020/58", (), None),          # "(Beschluss 2020/58)"
    ("2025/33", "repeals_part", "resolution", "2025/02", ("3",), None),  # "hebt die Ziffer 3 des Beschlusses 2025/02 auf"
    ("2025/39", "repeals", "resolution", "2022/43", (), None),        # "hebt damit den Beschluss 2022/43 auf"
    ("2025/40", "cites", "resolution", "2023/22", (), None),          # "durch Beschluss 2023/22 etablierten"
    ("2025/44", "implements", "external_decision", "DMK 2024/10/15", (), None),
    ("2025/44", "implements", "resolution", "2025/06", (), None),     # "IT-Planungsrat (2025/06)"
    ("2025/42", "cites", "eu_act", "reg/2024/903", (), "3"),          # "Verordnung (EU) 2024/903, Art. 3"
    ("2025/37", "cites", "eu_act", "reg/2024/1689", (), None),        # "EU KI-Verordnung"
    ("2025/43", "cites", "eu_act", "reg/2018/1724", (), None),        # "SDG-VO"
    # l. 1406-1408 "zur beschleunigten Umsetzung der Anforderungen aus der EU-Verordnung zum
    # Single Digital Gateway": implemented, not only cited (issue 12 item 1)
    ("2025/45", "implements", "eu_act", "reg/2018/1724", (), None),
    ("2025/41", "cites", "law", "OZG", (), "11"),                     # "§ 11 Nr. 2 OZG"
    ("2025/43", "cites", "law", "IDNrG", (), None),
    ("2025/43", "cites", "law", "HwO", (), None),                     # "HWO"
    ("2025/43", "cites", "law", "BBiG", (), None),
    ("2025/52", "cites", "law", "GO IT-PLR", (), "15"),               # "§ 15 Absatz 5 der Geschäftsordnung"
]


@pytest.mark.parametrize("citing, relation, kind, target, points, article", REFERENCES)
def test_references(seed, citing, relation, kind, target, points, article):
    refs = resolution(seed, citing).references
    assert any((r.relation, r.target_kind, r.target_id, r.points, r.article)
               == (relation, kind, target, points, article) for r in refs), refs


def test_no_self_or_false_resolution_edges(seed):
    all_targets = {(r.canonical_id, ref.target_id) for r in seed.resolutions
                   for ref in r.references if ref.target_kind == "resolution"}
    # "gem. Ziffer 1 und 2" in 2025/33 and "Ziffer 1" in 2025/41 point into the same resolution
    assert not any(src == tgt for src, tgt in all_targets)
    assert {t for _, t in all_targets} == {"2024/03", "2020/58", "2025/02", "2022/43", "2023/22",
                                           "2025/06"}


def test_spokesperson_table(seed):
    table = resolution(seed, "2025/39").spokespersons
    assert len(table) == 15
    assert [(s.position, s.conference.key, s.spokesperson.key) for s in table][:4] == [
        (1, "amk", "BW"), (2, "asmk", "RP"), (3, "bmk", "NW"), (4, "dmk", "BE")]
    assert (table[8].conference.key, table[8].spokesperson.key) == ("imk", "NI")
    assert (table[14].conference.key, table[14].spokesperson.key) == ("wmk", "HH")


MANDATES = [
    # resolution, point, verb, assignees, deadline kind, date, session
    ("2025/33", "2", "erstellt", ["fitko"], "date", dt.date(2025, 12, 15), None),
    ("2025/33", "1", "befassen", ["Bund", "laender"], "quarter", dt.date(2026, 3, 31), None),  # "im 1. Quartal 2026"
    ("2025/34", "1", "beauftragt", ["fit-sb"], "quarter", dt.date(2026, 9, 30), None),  # "bis Q3/2026"
    ("2025/34", "3", "beauftragt", ["fit-sb", "schwerpunkt-datennutzung"], "quarter", dt.date(2026, 9, 30), None),
    ("2025/40", "2", "fordert auf", ["fachministerkonferenzen"], "date", dt.date(2026, 3, 31), None),  # "bis zum 31.03.2026"
    ("2025/40", "4", "bittet", ["bva"], "quarter", dt.date(2026, 3, 31), None),  # "bis Ende Q1 2026"
    ("2025/45", "1", "bittet", ["laender"], "date", dt.date(2026, 6, 30), None),  # "bis zum 30. Juni 2026"
    ("2025/49", "3", "beauftragt", ["fitko", "governikus"], "session", None, 51),
    ("2025/36", "1", "beauftragt", ["Bund"], "session", None, 50),  # "zur 50. IT-Planungsratssitzung"
    ("2025/38", "2", "beauftragt", ["fitko"], "other-session", None, 12),  # 12. Sitzung des Verwaltungsrats
    ("2025/37", "1", "fordert auf", ["Bund", "kompetenzteam-ki"], "date", dt.date(2025, 12, 1), None),
]


@pytest.mark.parametrize("rid, point, verb, assignees, kind, date, session", MANDATES)
def test_mandates(seed, rid, point, verb, assignees, kind, date, session):
    found = [m for m in resolution(seed, rid).mandates if m.point == point and m.verb == verb]
    assert found, resolution(seed, rid).mandates
    m = found[0]
    assert [a.key for a in m.assignees] == assignees
    assert m.deadline is not None
    assert (m.deadline.kind, m.deadline.date, m.deadline.session) == (kind, date, session)


def test_deadline_wording_is_kept(seed):
    m = next(m for m in resolution(seed, "2025/34").mandates if m.point == "1")
    assert m.deadline.text == "bis Q3/2026"
    m = next(m for m in resolution(seed, "2025/41").mandates if m.point == "2")
    assert m.deadline.text.startswith("bis zur 49. Sitzung")
    assert m.deadline.session == 49
    assert m.assignees[0].key is None  # "temporäre Bund-Länder-Arbeitsgruppe": kept unresolved
    assert m.assignees[0].text == "temporäre Bund-Länder-Arbeitsgruppe"


def test_amounts(seed):
    r31 = resolution(seed, "2025/31")
    assert [a.value for a in r31.points[0].amounts] == [Decimal(213_183_843), Decimal(223_843_035)]
    # l. 88-90: "in Höhe der bereits festgelegten maximalen Gesamtsumme von …": both ceilings
    assert [a.maximum for a in r31.points[0].amounts] == [True, True]
    r41 = resolution(seed, "2025/41")
    (amount,) = r41.points[0].amounts
    assert (amount.value, amount.currency, amount.maximum) == (Decimal(400_000), "EUR", True)


def test_expiry_of_a_continued_working_group(seed):
    assert resolution(seed, "2025/50").expires == dt.date(2026, 12, 31)  # "bis maximal zum 31.12.2026"


def test_every_record_has_a_source_span(seed):
    for item in seed.items:
        assert item.span.line_start > 0 and item.span.line_end >= item.span.line_start
        if item.resolution:
            assert item.span.line_start <= item.resolution.span.line_start
            for p in item.resolution.points:
                assert p.span.line_start >= item.resolution.span.line_start
    r33 = resolution(seed, "2025/33")
    assert r33.span.line_start == 391  # "BV Beschluss B-2025/33-IT"


DUTIES = [
    # resolution, point, verb, assignee — a body as subject with a verb of duty, no deadline
    ("2025/39", "2", "berichten", "fachpolitische-sprecher"),  # l. 1125 "Die fachpolitischen Sprecher berichten …"
    ("2025/41", "4", "stellt", "fitko"),  # l. 1218-1220 "Die FITKO stellt die konsolidierte Meldung … zur Verfügung"
    ("2025/45", "4", "berichtet", "Bund"),  # l. 1408 "Der Bund berichtet im jährlichen Sachstandsbericht"
]


@pytest.mark.parametrize("rid, point, verb, assignee", DUTIES)
def test_duties_without_deadline(seed, rid, point, verb, assignee):
    found = [m for m in resolution(seed, rid).mandates if m.point == point]
    assert [(m.verb, [a.key for a in m.assignees], m.deadline) for m in found] == [
        (verb, [assignee], None)]


def test_a_permission_is_no_mandate(seed):
    # l. 1319-1321 "Für den Regelbetrieb ab 2027 kann die KoSIT beauftragt werden. Die FITKO
    # kann bei der Betriebsinitiierung unterstützen."
    assignees = {a.key for m in resolution(seed, "2025/43").mandates for a in m.assignees}
    assert "kosit" not in assignees and "fitko" not in assignees


BODY_CHANGES = [
    # resolution, point, kind, body (slug, or the name kept when the gazetteer lacks it)
    ("2025/33", "3", "establishes", "erweiterter-steuerungskreis"),  # l. 414 "errichtet einen erweiterten Steuerungskreis"
    ("2025/41", "2", "establishes", "temporäre Bund-Länder-Arbeitsgruppe"),  # l. 1202, unknown name kept
    ("2025/50", None, "continues", "ag-rabe"),  # l. 1535 "letztmalige Fortführung der Projektgruppe AG RaBe"
    ("2025/51", "1", "ends", "pg-efa-finanzierung"),  # l. 1560 "die Arbeit der PG EfA-Finanzierung … endet"
    ("2025/51", "2", "establishes", "ag-efa-finanzierung"),  # l. 1566 "Einrichtung einer Arbeitsgruppe EfA-Finanzierung"
]


def test_bodies_established_continued_ended(seed):
    found = [(r.canonical_id, c.point, c.kind, c.body.key or c.body.text)
             for r in seed.resolutions for c in r.body_changes]
    # "nach dem Muster der Steuerungsgruppe NOOTS" (l. 414) and "die Einrichtung einer
    # zentralen Koordinierungsstelle … zu prüfen" (l. 612) change no body
    assert found == BODY_CHANGES
