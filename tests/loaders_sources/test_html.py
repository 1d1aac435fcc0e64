"""Saved HTML pages: the same decision as its text form, lines of the HTML file, and HTML that
holds no decision."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.decision_page import parse_decision_page
from loaders.records import LoaderError

RECORD = Path(__file__).parents[2] / "data" / "record"
FIXTURES = Path(__file__).parent / "fixtures"
HTML = RECORD / "beschluss-2025-03-gespeichert.html"
TEXT = RECORD / "beschluss-2025-03.txt"


def test_html_and_text_read_alike() -> None:
    html, text = parse_decision_page(HTML).resolution, parse_decision_page(TEXT).resolution
    for res in (html, text):
        assert (res.canonical_id, res.title, res.date.isoformat(), res.session_number) == (
            "2025/03", "Portfoliosteuerung", "2025-03-26", 46)
    assert [(p.number, p.text) for p in html.points] == [(p.number, p.text) for p in text.points]
    assert len(html.points) == 6
    # entities (&auml;, &nbsp;) and inline elements (<abbr>, <strong>) are plain text
    assert html.points[0].text.startswith("Der IT-Planungsrat bestätigt, was der Steuerungskreis")
    assert "15 Mio. Euro" in html.points[0].text
    assert [(r.relation, r.target_id, r.points) for r in html.references] == [
        ("repeals_part", "2023/44", ("2", "3"))]
    # the canonical link of the saved page; the text form has none
    assert (html.source_url, text.source_url) == (
        "https://www.it-planungsrat.de/beschluss/beschluss-2025-03", None)


# where each part of the HTML page starts, as a reader finds it in the file
HTML_LINES = [
    ("decision line", lambda r: r.span.line_start, "46. Sitzung | Beschluss 2025/03"),
    ("point 1", lambda r: r.points[0].span.line_start, "Der IT-Planungsrat best&auml;tigt"),
    ("point 3 (opens with an <abbr>)", lambda r: r.points[2].span.line_start,
     "<li><p>Die <abbr"),
    ("point 4 (opens with an umlaut)", lambda r: r.points[3].span.line_start,
     "ber die Freigabe entscheidet"),
    ("point 6", lambda r: r.points[5].span.line_start, "das Konzept zur Portfoliosteuerung"),
]


@pytest.mark.parametrize(("part", "line_of", "expected"), HTML_LINES)
def test_lines_are_lines_of_the_html_file(part: str, line_of, expected: str) -> None:  # noqa: ANN001
    res = parse_decision_page(HTML).resolution
    source = HTML.read_text(encoding="utf-8").split("\n")
    assert expected in source[line_of(res) - 1], part


def test_navigation_and_scripts_are_not_read() -> None:
    # the <script> in the head holds a decision line of its own; <nav> and <footer> text
    res = parse_decision_page(HTML).resolution
    assert "2000/01" not in res.text and "Startseite" not in res.text
    assert "Impressum" not in res.text


BAD = [
    # an HTML page of the site that is no decision page
    ("kein-beschluss.html", "not a decision page: expected a line like"),
    # a text page that is none either
    ("kein-beschluss.txt", "not a decision page: expected a line like"),
]


@pytest.mark.parametrize(("name", "message"), BAD)
def test_not_a_decision_page(name: str, message: str) -> None:
    with pytest.raises(LoaderError) as info:
        parse_decision_page(FIXTURES / name)
    assert info.value.document == name and info.value.message.startswith(message)


def test_html_nested_beyond_reading_is_a_loader_error() -> None:
    from loaders.decision_page import html_lines

    markup = "<main>" + "<div>" * 5000 + "26.03.2025 | 46. Sitzung | Beschluss 2025/03" + "</main>"
    with pytest.raises(LoaderError) as info:
        html_lines("tief.html", markup.encode())
    assert str(info.value) == ("tief.html: the HTML nests its elements too deeply to be read; "
                               "expected a saved decision page")


def test_minified_html_on_one_long_line(tmp_path: Path) -> None:
    # a page saved minified: 150,000 characters on one line (beyond the 100,000 a text line
    # may have); the cap applies to the text read from it, and every span is line 1
    markup = HTML.read_text(encoding="utf-8").replace("\n", " ")
    markup = markup.replace("<style>", "<style>" + "/* padding */ " * 11_000)
    page = tmp_path / "minified.html"
    page.write_text(markup, encoding="utf-8")
    assert len(markup) > 150_000
    res = parse_decision_page(page).resolution
    assert (res.canonical_id, len(res.points)) == ("2025/03", 6)
    assert {p.span.line_start for p in res.points} == {1}
