"""Decision pages as text: the decision line, points, extraction shared with protocols, and
the pages that are not decision pages. Every text here is written for the test."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.decision_page import parse_page_lines
from loaders.read import SourceText
from loaders.records import LoaderError
from loaders.text import clean_lines


def page(text: str, name: str = "seite.txt"):  # noqa: ANN201
    lines = clean_lines(SourceText(name, None, text.split("\n"), None, "", "txt"))  # type: ignore[arg-type]
    return parse_page_lines(name, lines)


BODY = "\n\n  1. Der IT-Planungsrat nimmt den Bericht zur Kenntnis.\n"

DECISION_LINES = [
    # the plain form of older pages
    ("26.03.2025 | 46. Sitzung | Beschluss 2025/03",
     ("2025/03", "2025/03", dt.date(2025, 3, 26), 46, "Sitzung", "it-planungsrat", "Beschluss")),
    # newer pages: led by the body, the id as the protocol writes it
    ("IT-Planungsrat | 26.11.2025 | 48. Sitzung | B-2025/33-IT",
     ("2025/33", "B-2025/33-IT", dt.date(2025, 11, 26), 48, "Sitzung", "it-planungsrat",
      "Beschluss")),
    # a circular procedure names no session
    ("IT-Planungsrat | 24.08.2018 | Umlaufverfahren | Beschluss 2018/36",
     ("2018/36", "2018/36", dt.date(2018, 8, 24), None, "Umlaufverfahren", "it-planungsrat",
      "Beschluss")),
    # older pages say "Entscheidung"
    ("02.07.2010 | 2. Sitzung | Entscheidung 2010/08",
     ("2010/08", "2010/08", dt.date(2010, 7, 2), 2, "Sitzung", "it-planungsrat",
      "Entscheidung")),
    # a special session without a number
    ("30.11.2015 | Sondersitzung | Beschluss 2015/46",
     ("2015/46", "2015/46", dt.date(2015, 11, 30), None, "Sondersitzung", "it-planungsrat",
      "Beschluss")),
    # the AL-Runde keeps its suffix (2025/02-AL is not the council's 2025/02)
    ("AL-Runde | 19.02.2025 | 37. Sitzung | B-2025/02-AL",
     ("2025/02-AL", "B-2025/02-AL", dt.date(2025, 2, 19), 37, "Sitzung", "al-runde",
      "Beschluss")),
    # "Nr." and a dash between year and number
    ("IT-Planungsrat | 26.03.2025 | 46. Sitzung | Beschluss Nr. 2025-03",
     ("2025/03", "2025-03", dt.date(2025, 3, 26), 46, "Sitzung", "it-planungsrat",
      "Beschluss")),
]


@pytest.mark.parametrize(("line", "expected"), DECISION_LINES)
def test_decision_line(line: str, expected: tuple) -> None:
    result = page(f"Ein Titel\n\n{line}{BODY}")
    res = result.resolution
    assert (res.canonical_id, res.identifier, res.date, res.session_number, res.procedure,
            res.body, result.kind_word) == expected
    assert res.title == "Ein Titel"
    assert res.span.line_start == 3  # the decision line
    assert [p.text for p in res.points] == ["Der IT-Planungsrat nimmt den Bericht zur Kenntnis."]


POINTS = [
    # numbered with a dot, each point one paragraph
    ("1. Erstens gilt dies.\n2. Zweitens gilt das.", [("1", None, "Erstens gilt dies."),
                                                     ("2", None, "Zweitens gilt das.")]),
    # numbered with a parenthesis
    ("1) Erstens.\n2) Zweitens.", [("1", None, "Erstens."), ("2", None, "Zweitens.")]),
    # the number alone, the text below (as the site renders it in plain text)
    ("1.\nErstens gilt dies.\n2.\nZweitens.", [("1", None, "Erstens gilt dies."),
                                               ("2", None, "Zweitens.")]),
    # "- 1." / "-" / text, a notice's table layout
    ("- 1.\n-\nErstens.\n- 2.\n-\nZweitens.", [("1", None, "Erstens."), ("2", None, "Zweitens.")]),
    # pages whose numbering was lost: one bullet per point, counted
    ("- Erstens.\n- Zweitens.\n- Drittens.",
     [("1", None, "Erstens."), ("2", None, "Zweitens."), ("3", None, "Drittens.")]),
    # sub-points 2.1, 2.2 under their point
    ("1. Eins.\n2. Zwei:\n2.1 Zwei-eins.\n2.2 Zwei-zwei.",
     [("1", None, "Eins."), ("2", None, "Zwei:"), ("2.1", "2", "Zwei-eins."),
      ("2.2", "2", "Zwei-zwei.")]),
    # "a)" items and indented bullets stay in their point's text
    ("1. Die Aufgaben sind:\n  a) planen;\n  b) berichten.\n2. Ende.",
     [("1", None, "Die Aufgaben sind: a) planen; b) berichten."), ("2", None, "Ende.")]),
    ("1. Es gilt:\n    • erstens\n    • zweitens\n2. Ende.",
     [("1", None, "Es gilt: • erstens • zweitens"), ("2", None, "Ende.")]),
    # trap: a wrapped line that starts with a number is no point ("49. Sitzung")
    ("1. Der Bericht folgt in der\n49. Sitzung des IT-Planungsrats.\n2. Ende.",
     [("1", None, "Der Bericht folgt in der 49. Sitzung des IT-Planungsrats."),
      ("2", None, "Ende.")]),
]


@pytest.mark.parametrize(("body", "expected"), POINTS)
def test_points(body: str, expected: list) -> None:
    res = page(f"Titel\n\n26.03.2025 | 46. Sitzung | Beschluss 2025/03\n\n{body}\n").resolution
    assert [(p.number, p.parent, p.text) for p in res.points] == expected


def test_preamble_and_text_without_points() -> None:
    res = page("Bericht an die CdS\n\nIT-Planungsrat | 24.09.2010 | 3. Sitzung | Beschluss "
               "2010/20\n\nDer IT-Planungsrat nimmt den Bericht zur Kenntnis.\n"
               "Er stimmt dem Vorschlag zu.\n").resolution
    assert res.points == []
    assert res.preamble == res.text == ("Der IT-Planungsrat nimmt den Bericht zur Kenntnis. "
                                        "Er stimmt dem Vorschlag zu.")


def test_extraction_is_the_protocols() -> None:
    res = page("Titel\n\n26.03.2025 | 46. Sitzung | Beschluss 2025/03\n\n"
               "1. Die FITKO wird beauftragt, bis zur 48. Sitzung ein Konzept vorzulegen.\n"
               "2. Die Ziffern 2 und 3 des Beschlusses 2023/44 werden aufgehoben.\n"
               "3. Die Umsetzung der Richtlinie 2014/55/EU wird gemäß Ziffer 1 und 2 dieses "
               "Beschlusses begleitet; dafür stehen 15 Mio. Euro bereit.\n"
               "4. Der Beschluss 2025/02-AL bleibt unberührt.\n").resolution
    refs = {(r.relation, r.target_kind, r.target_id, r.points, r.in_point)
            for r in res.references}
    # a partial repeal of two points
    assert ("repeals_part", "resolution", "2023/44", ("2", "3"), "2") in refs
    # an EU directive, never a council resolution; "dieses Beschlusses" is no reference
    assert ("cites", "eu_act", "dir/2014/55", (), "3") in refs
    assert all(r.target_id != "2025/03" for r in res.references)
    # the AL-Runde's number keeps its suffix
    assert ("cites", "resolution", "2025/02-AL", (), "4") in refs
    (mandate,) = res.mandates
    assert ([a.key for a in mandate.assignees], mandate.point, mandate.deadline.session) == (
        ["fitko"], "1", 48)
    assert [(a.text, int(a.value)) for a in res.points[2].amounts] == [("15 Mio. Euro",
                                                                         15_000_000)]


BAD_PAGES = [
    # no decision line at all: says what a decision page needs, at line 1
    ("Pressemitteilung\n\nDer Rat hat getagt.\n", 1, "not a decision page: expected a line like"),
    # a decision line whose id cannot be read names its line
    ("Titel\n\n26.03.2025 | 46. Sitzung | Beschlussvorlage\n\n1. Text.\n", 3,
     "the decision line names no decision id"),
    # a date that does not exist
    ("Titel\n\n31.02.2025 | 46. Sitzung | Beschluss 2025/03\n\n1. Text.\n", 3,
     "impossible date '31.02.2025'"),
    # nothing after the decision line
    ("Titel\n\n26.03.2025 | 46. Sitzung | Beschluss 2025/03\n\nZurück zur Übersicht\n", 3,
     "not followed by the decision's text"),
    # no title above it
    ("26.03.2025 | 46. Sitzung | Beschluss 2025/03\n\n1. Text.\n", 1,
     "no title above the decision line"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD_PAGES)
def test_bad_pages(text: str, line: int, message: str) -> None:
    with pytest.raises(LoaderError) as info:
        page(text, "falsch.txt")
    assert info.value.line == line
    assert message in info.value.message
    assert str(info.value).startswith(f"falsch.txt:{line}: ")
