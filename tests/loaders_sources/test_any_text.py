"""Any text is a decision page or notice, or a `LoaderError` naming the file: never another
exception (DESIGN.md §6). Texts are drawn from the pieces of both layouts, shuffled."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.build_notice import build_notice
from kg.build_page import build_page
from kg.iris import Minter
from loaders.decision_page import html_lines, parse_page_lines
from loaders.notice import parse_notice
from loaders.read import SourceText
from loaders.records import LoaderError
from loaders.text import clean_lines

PIECES = [
    "Portfoliosteuerung", "IT-Planungsrat | 26.03.2025 | 46. Sitzung | Beschluss 2025/03",
    "31.02.2025 | 1. Sitzung | Beschluss 2025/03", "01.01.2020 | Umlaufverfahren | x",
    "1. Der IT-Planungsrat stimmt zu.", "2.1 Unterpunkt.", "- 1.", "-", "1)", "a) planen;",
    "• Punkt", "Beschluss: 2010/03", "Beschlussnummer (2022/02)", "Titel (2022/33)",
    "Bekanntmachung", "Gemäß dem IT-Staatsvertrag.", "Vom 31. Februar 2022",
    "1. Sitzung des IT-Planungsrats am 22. April 2010", "Umlaufverfahren vom 1. Mai 2020",
    "Die FITKO wird beauftragt, bis zur 48. Sitzung zu berichten", "Zurück zur Übersicht",
    "Die Ziffer 3 des Beschlusses 2025/02 wird aufgehoben.", "15 Mio. Euro", "", " ", "|",
    "Beschluss 9999/99999", "<p>nicht HTML</p>",
]
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=40), max_size=30).map("\n".join)
MINTER = Minter("https://w3id.org/beschlussgraph/id/")


def source(text: str) -> SourceText:
    return SourceText("beliebig.txt", Path("beliebig.txt"), text.split("\n"), None, "", "txt")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_as_a_page(text: str) -> None:
    try:
        page = parse_page_lines("beliebig.txt", clean_lines(source(text)))
    except LoaderError as exc:
        assert exc.document == "beliebig.txt"
        return
    build_page(page, MINTER, stem="beliebig")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_as_a_notice(text: str) -> None:
    try:
        notice = parse_notice(source(text))
    except LoaderError as exc:
        assert exc.document == "beliebig.txt"
        return
    assert all(e.document == "beliebig.txt" and e.line for e in notice.errors)
    build_notice(notice, MINTER, stem="beliebig")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["<ol>", "</ol>", "<li>", "<main>", "<h1>T</h1>", "<p>",
                                 "&uuml;", "<script>x</script>", "<ul><li>a</li></ul>",
                                 "26.03.2025 | 46. Sitzung | Beschluss 2025/03", "<ol start=x>"])
                | st.text(max_size=20), max_size=25).map("".join))
def test_any_html(markup: str) -> None:
    try:
        lines, _url = html_lines("beliebig.html", markup.encode())
    except LoaderError as exc:
        assert exc.document == "beliebig.html"
        return
    assert all(line.no >= 1 and line.text.strip() for line in lines)
