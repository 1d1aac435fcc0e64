"""Bundesanzeiger notices: number forms, points, session headings and dates, and notices that
are cut off or publish a number twice. Every text here is written for the test."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from loaders.notice import parse_notice, parse_notice_file
from loaders.read import SourceText
from loaders.records import LoaderError

FIXTURES = Path(__file__).parent / "fixtures"
INTRO = ("Bekanntmachung\nder Entscheidungen des IT-Planungsrats\n\nVom 9. März 2022\n\n"
         "Gemäß dem IT-Staatsvertrag werden die Entscheidungen veröffentlicht (Anlage).\n\n"
         "Anlage\n\n")


def notice(text: str, name: str = "bekanntmachung.txt"):  # noqa: ANN201
    return parse_notice(SourceText(name, Path(name), text.split("\n"), None, "", "txt"))


NUMBER_FORMS = [
    # 2010–2014: "Beschluss:" with a colon, the title above
    ("Nationale E-Government-Strategie\nBeschluss: 2010/03\n", "2010/03", "2010/03",
     "Nationale E-Government-Strategie"),
    # 2024/2025: "Beschluss" and the number
    ("Zusammenarbeit FachMK\nBeschluss 2025/01\n", "2025/01", "2025/01", "Zusammenarbeit FachMK"),
    # 2022/2023: "Beschlussnummer (…)"
    ("Ukrainekrise\nBeschlussnummer (2022/02)\n", "2022/02", "2022/02", "Ukrainekrise"),
    # the number at the end of the title line
    ("\nIT-Standard XBezahldienste (2022/33)\n", "2022/33", "2022/33",
     "IT-Standard XBezahldienste"),
    # older notices: "Entscheidung Nr."
    ("Kooperation mit dem Normenkontrollrat\nEntscheidung Nr. 2012/24\n", "2012/24", "2012/24",
     "Kooperation mit dem Normenkontrollrat"),
    # the protocol's form of the id
    ("Portfoliosteuerung\nBeschluss B-2025/33-IT\n", "2025/33", "B-2025/33-IT",
     "Portfoliosteuerung"),
]


@pytest.mark.parametrize(("head", "canonical", "identifier", "title"), NUMBER_FORMS)
def test_number_forms(head: str, canonical: str, identifier: str, title: str) -> None:
    result = notice(INTRO + head + "Der IT-Planungsrat stimmt zu.\n")
    assert result.errors == []
    (res,) = result.decisions
    assert (res.canonical_id, res.identifier, res.title, res.text) == (
        canonical, identifier, title, "Der IT-Planungsrat stimmt zu.")
    # no session heading: the publication date is not the decision's date
    assert (res.date, res.session_number, result.published) == (None, None, dt.date(2022, 3, 9))


POINTS = [
    # "1)" with "a)" items that stay in their point
    ("1) Eins.\n2) Die Aufgaben:\n  a) planen;\n  b) berichten.\n",
     [("1", "Eins."), ("2", "Die Aufgaben: a) planen; b) berichten.")]),
    # "- 1." / "-" / text
    ("- 1.\n-\nEins.\n- 2.\n-\nZwei.\n", [("1", "Eins."), ("2", "Zwei.")]),
    # "1." alone, the text below
    ("1.\nEins.\n2.\nZwei.\n", [("1", "Eins."), ("2", "Zwei.")]),
]


@pytest.mark.parametrize(("body", "expected"), POINTS)
def test_points(body: str, expected: list) -> None:
    (res,) = notice(INTRO + "Titel\nBeschluss 2025/01\n" + body).decisions
    assert [(p.number, p.text) for p in res.points] == expected


def test_session_headings_date_the_decisions() -> None:
    result = notice(INTRO + "1. Sitzung des IT-Planungsrats am 22. April 2010\n\n"
                    "Erste\nBeschluss: 2010/01\nDer IT-Planungsrat stimmt zu.\n\n"
                    "2. Sitzung des IT-Planungsrats am 2. Juli 2010\n\n"
                    "Zweite\nBeschluss: 2010/08\nDer IT-Planungsrat stimmt zu.\n")
    assert [(r.canonical_id, r.date, r.session_number, r.procedure) for r in result.decisions] \
        == [("2010/01", dt.date(2010, 4, 22), 1, "Sitzung"),
            ("2010/08", dt.date(2010, 7, 2), 2, "Sitzung")]
    assert result.published == dt.date(2022, 3, 9)


def test_sample_notice_of_the_first_session() -> None:
    result = parse_notice_file(Path(__file__).parents[2] / "data" / "record"
                               / "bekanntmachung-2010-sitzung-1.txt")
    assert result.errors == [] and result.published == dt.date(2014, 4, 10)
    assert [(r.canonical_id, r.title, r.date, len(r.points)) for r in result.decisions] == [
        ("2010/01", "Begrüßung durch die Vorsitzende", dt.date(2010, 4, 22), 0),
        ("2010/02", "Allgemeine Aussprache und Aufgaben des IT-Planungsrats",
         dt.date(2010, 4, 22), 0),
        ("2010/03", "Nationale E-Government-Strategie", dt.date(2010, 4, 22), 4)]
    # spans: the title line to the last line of the decision
    assert [(r.span.line_start, r.span.line_end) for r in result.decisions] == [
        (24, 26), (28, 30), (32, 39)]


def test_cut_off_notice_loses_only_the_last_decision() -> None:
    result = parse_notice_file(FIXTURES / "bekanntmachung-abgeschnitten.txt")
    assert [r.canonical_id for r in result.decisions] == ["2022/02", "2022/33"]
    (error,) = result.errors
    assert str(error) == (
        "bekanntmachung-abgeschnitten.txt:24: decision 2022/21 (Finanzierung EfA-Leistungen) "
        "stops mid-sentence at line 29 ('Er erkennt, dass Kostentransparenz für eine "
        "Erreichung s'): the notice is cut off; decision skipped")


def test_decision_without_text_at_the_end() -> None:
    result = notice(INTRO + "Erste\nBeschluss 2025/01\nDer IT-Planungsrat stimmt zu.\n\n"
                    "Zweite\nBeschluss 2025/02\n")
    assert [r.canonical_id for r in result.decisions] == ["2025/01"]
    (error,) = result.errors
    assert (error.line, error.message) == (
        15, "decision 2025/02 (Zweite) has no text after its number: the notice is cut off "
            "here; decision skipped")


def test_number_published_twice_with_different_text() -> None:
    result = parse_notice_file(FIXTURES / "bekanntmachung-doppelt.txt")
    assert [(r.canonical_id, r.points[0].text) for r in result.decisions] == [
        ("2023/16", "Der IT-Planungsrat stimmt der Vision für das Schwerpunktthema Digitale "
                    "Infrastruktur zu."),
        ("2023/17", "Der IT-Planungsrat beschließt das Konzept zum Architekturboard der "
                    "Deutschen Verwaltungscloud.")]
    (error,) = result.errors
    assert str(error) == ("bekanntmachung-doppelt.txt:23: decision 2023/16 is published twice "
                          "with different text (first at line 11); this one is skipped, the "
                          "first is loaded")


def test_number_published_twice_with_the_same_text_is_a_warning() -> None:
    twice = "Titel\nBeschluss 2025/01\nDer IT-Planungsrat stimmt zu.\n\n"
    result = notice(INTRO + twice + twice)
    assert [r.canonical_id for r in result.decisions] == ["2025/01"]
    assert result.errors == []
    assert [w.message for w in result.warnings] == [
        "decision 2025/01 is published twice with the same text (first at line 11); the "
        "second is left out"]


NOT_NOTICES = [
    # no introduction with the IT-Staatsvertrag
    ("Bekanntmachung\n\nDer Rat hat getagt.\n", 1, "not a Bundesanzeiger notice"),
    # an introduction, but no decision after it
    ("Bekanntmachung der Entscheidungen des IT-Planungsrats\n\nNach dem IT-Staatsvertrag "
     "werden sie veröffentlicht.\n\nWeitere folgen.\n", 3, "no decisions found"),
]


@pytest.mark.parametrize(("text", "line", "message"), NOT_NOTICES)
def test_not_a_notice(text: str, line: int, message: str) -> None:
    with pytest.raises(LoaderError) as info:
        notice(text)
    assert (info.value.line, info.value.message.startswith(message)) == (line, True)
