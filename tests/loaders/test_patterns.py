"""Pattern tables: one row per phrasing, a comment per row saying what it covers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from loaders.amounts import find_amounts
from loaders.deadlines import find_deadline
from loaders.gazetteer import default_gazetteer
from loaders.records import Span
from loaders.references import canonical_from_identifier, find_references

SPAN = Span("table.txt", 1, 1)

NAMES = [
    ("BY", "land", "BY"),                           # Land code
    ("Bayern", "land", "BY"),                       # short name
    ("Freistaat Bayern", "land", "BY"),             # official name
    ("Sachsen-Anhalt", "land", "ST"),               # hyphenated name
    ("Freie Hansestadt Bremen", "land", "HB"),      # official name of a city state
    ("Nordrhein-Westfalen", "land", "NW"),          # protocol-note author in other protocols
    ("Bund", "land", "Bund"),                       # the federal level
    ("FITKO", "body", "fitko"),                     # body short form
    ("FIT-SB", "body", "fit-sb"),                   # body short form with hyphen
    ("föderales IT-Architekturboard", "body", "fit-ab"),  # lower-case adjective, as in B-2025/36-IT
    ("AG Informationssicherheit", "body", "ag-infosic"),  # working group
    ("AG InfoSic", "body", "ag-infosic"),           # its abbreviation in the BE column
    ("BSI", "body", "bsi"),                         # federal office
    ("KoSIT", "body", "kosit"),                     # mixed-case abbreviation
    ("DLT", "body", "dlt"),                         # kommunaler Spitzenverband
    ("AL-Runde", "body", "al-runde"),               # heads of department
    ("Kultusministerkonferenz", "body", "kmk"),     # a Fachministerkonferenz
    ("Wirtschaftsministerkonferenz", "body", "wmk"),
    ("fachpol. Sprecher", "body", "fachpolitische-sprecher"),  # abbreviated in the BE column
    ("Ministerium für Zukunftsfragen", "unknown", None),  # unknown: kept, never dropped
]


@pytest.mark.parametrize("name, kind, key", NAMES)
def test_gazetteer_resolves_names(name, kind, key):
    ref = default_gazetteer().resolve(name)
    assert (ref.kind, ref.key) == (kind, key)
    assert ref.text == name


IDENTIFIERS = [
    ("B-2025/33-IT", "2025/33"),        # council resolution
    ("B-2025/09-AL", "2025/09-AL"),     # AL-Runde decision keeps its suffix
    ("F-2025/03-IT", "F-2025/03"),      # follow-up
    ("2024/3", "2024/03"),              # number padded to two digits
    ("2025/02-AL", "2025/02-AL"),       # register form of an AL-Runde decision
    ("GO IT-PLR", None),                # a Quelle entry that is not a decision
]


@pytest.mark.parametrize("text, expected", IDENTIFIERS)
def test_canonical_identifiers(text, expected):
    assert canonical_from_identifier(text) == expected


REFERENCE_PHRASES = [
    # text, [(relation, kind, target, points, article)]
    ("Entscheidung IT-PLR Nr. 2021/05", [("cites", "resolution", "2021/05", (), None)]),  # older wording
    ("Beschluss 2022-06", [("cites", "resolution", "2022/06", (), None)]),  # hyphen instead of slash
    ("Umlaufbeschluss 2023/35 vom 10.10.2023", [("cites", "resolution", "2023/35", (), None)]),  # circulation procedure
    ("IT-Planungsratsbeschluss 2024/52", [("cites", "resolution", "2024/52", (), None)]),
    ("Der IT-Planungsrat ändert seinen Beschluss 2022/43 und 2024/19.",  # one sentence, two targets
     [("amends", "resolution", "2022/43", (), None), ("amends", "resolution", "2024/19", (), None)]),
    # an EU directive, never a resolution; "wird umgesetzt": implemented (issue 12 item 1)
    ("Die Richtlinie 2014/55/EU wird umgesetzt.",
     [("implements", "eu_act", "dir/2014/55", (), None)]),
    ("Verordnung (EU) Nr. 910/2014",  # old-style number/year
     [("cites", "eu_act", "reg/2014/910", (), None)]),
    ("gemäß Ziffer 1 und 2 dieses Beschlusses", []),  # a reference into the same resolution
    ("Die Vereinbarung wird aufgehoben.", []),  # "aufgehoben" without a resolution: no edge
    ("Beschluss 2025/02 und Beschluss 2025/02-AL",  # council and AL-Runde numbers stay apart
     [("cites", "resolution", "2025/02", (), None), ("cites", "resolution", "2025/02-AL", (), None)]),
    ("Der Beschluss 2023/22 bleibt unberührt.", [("cites", "resolution", "2023/22", (), None)]),  # no repeal
    ("Die Ziffern 2 und 4 des Beschlusses 2025/33 werden aufgehoben.",
     [("repeals_part", "resolution", "2025/33", ("2", "4"), None)]),
    ("nach § 11 Nr. 2 OZG", [("cites", "law", "OZG", (), "11")]),  # German law with paragraph
]


@pytest.mark.parametrize("text, expected", REFERENCE_PHRASES)
def test_reference_phrases(text, expected):
    refs = find_references(text, SPAN, None)
    assert [(r.relation, r.target_kind, r.target_id, r.points, r.article) for r in refs] == expected


DEADLINES = [
    ("bis zum 30. Juni 2026", "date", dt.date(2026, 6, 30), None),   # month written out
    ("bis zum 31.03.2026", "date", dt.date(2026, 3, 31), None),      # numeric date
    ("bis Q3/2026", "quarter", dt.date(2026, 9, 30), None),          # quarter → its last day
    ("bis Ende Q1 2026", "quarter", dt.date(2026, 3, 31), None),     # "Ende" + quarter
    ("im 1. Quartal 2026", "quarter", dt.date(2026, 3, 31), None),   # quarter written out
    ("bis zur 49. Sitzung", "session", None, 49),                    # a session of the council
    ("bis zu seiner zweiten Sitzung", "session", None, 2),           # its session by ordinal word
    ("bis zur 12. Sitzung des Verwaltungsrats", "other-session", None, 12),  # another body's session
    ("bis Ende 2027", "year", dt.date(2027, 12, 31), None),          # a year
    ("bis zum 31.02.2026", None, None, None),                        # impossible date: no deadline
    ("zum Stichtag 01.01.2026, 01.01.2028, 01.01.2030", "date", dt.date(2026, 1, 1), None),  # first of several
]


@pytest.mark.parametrize("text, kind, date, session", DEADLINES)
def test_deadlines(text, kind, date, session):
    found = find_deadline(text)
    if kind is None:
        assert found is None
        return
    deadline, _ = found
    assert (deadline.kind, deadline.date, deadline.session) == (kind, date, session)
    assert deadline.text == text  # the wording is kept


AMOUNTS = [
    ("213.183.843 Euro", Decimal(213183843), False, False),   # thousands separators
    ("400 TEUR", Decimal(400000), False, False),              # thousands of euros
    ("1,5 Mio. Euro", Decimal(1500000), False, False),        # decimal comma, millions
    ("ca. 50 Mio. Euro", Decimal(50000000), True, False),     # approximate
    ("maximal 400 TEUR", Decimal(400000), False, True),       # a ceiling
    ("2,5 Mrd. €", Decimal(2500000000), False, False),        # billions, euro sign
    ("die maximale Gesamtsumme von 3 Mio. Euro", Decimal(3000000), False, True),  # ceiling named before
    ("Die Obergrenze bleibt. Es werden 5 Mio. Euro bereitgestellt", Decimal(5000000), False, False),  # not this sentence
]


@pytest.mark.parametrize("text, value, approximate, maximum", AMOUNTS)
def test_amounts(text, value, approximate, maximum):
    (amount,) = find_amounts(text, SPAN)
    assert (amount.value, amount.currency, amount.approximate, amount.maximum) == (
        value, "EUR", approximate, maximum)


@pytest.mark.parametrize("text", ["1.500 Leistungen", "25 Prozent", "im Jahr 2027"])
def test_numbers_without_currency_are_not_money(text):
    assert find_amounts(text, SPAN) == []
