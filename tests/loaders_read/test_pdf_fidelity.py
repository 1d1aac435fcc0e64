"""The text layer of a PDF laid out from the seed protocol reads like the seed .txt."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from loaders.pdf import clean_line
from loaders.read import SourceText, read_source
from tests.loaders_read.make_pdf import FONT_NAME, ProtocolPdf, find_font


def words(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip()


def text_lines(source: SourceText) -> list[str]:
    lines = [line.rstrip() for line in source.lines]
    while lines and not lines[-1]:
        lines.pop()  # the final newline
    return lines


@pytest.fixture(scope="session")
def seed_source(seed_pdf: ProtocolPdf) -> SourceText:
    return read_source(seed_pdf.path)


@pytest.fixture(scope="session")
def scrambled_source(scrambled_pdf: ProtocolPdf) -> SourceText:
    return read_source(scrambled_pdf.path)


@pytest.fixture(params=["seed", "scrambled"])
def any_pdf(request: pytest.FixtureRequest) -> tuple[ProtocolPdf, SourceText]:
    """Both layouts, each read once: content stream in reading order, and word by word in
    reverse order."""
    return (request.getfixturevalue(f"{request.param}_pdf"),
            request.getfixturevalue(f"{request.param}_source"))


def test_non_blank_lines_equal_the_text_file(any_pdf: tuple[ProtocolPdf, SourceText],
                                             seed_text: Path) -> None:
    _, source = any_pdf
    got = [words(line) for line in source.lines if line.strip()]
    want = [words(line) for line in read_source(seed_text).lines if line.strip()]
    assert source.kind == "pdf"
    assert len(got) == 667
    assert got == want


def test_line_for_line_with_blank_lines_and_indentation(
        any_pdf: tuple[ProtocolPdf, SourceText], seed_text: Path) -> None:
    """Blank lines, leading spaces and space runs are rebuilt from positions, so line numbers
    (and the parser's gap/indent/column signals) agree with the .txt."""
    assert text_lines(any_pdf[1]) == text_lines(read_source(seed_text))


def test_pages_match_the_layout(any_pdf: tuple[ProtocolPdf, SourceText]) -> None:
    made, source = any_pdf
    assert source.pages is not None and len(source.pages) == len(source.lines)
    drawn = {r.source_line: r.page for r in made.rendered if r.text.strip()}
    got = {no: page for no, (page, line) in enumerate(zip(source.pages, source.lines,
                                                          strict=True), 1) if line.strip()}
    assert got == drawn
    assert source.pages == sorted(source.pages)  # monotonic
    assert (source.pages[0], source.pages[-1]) == (1, 34)


def test_concrete_lines_and_pages(seed_source: SourceText) -> None:
    source = seed_source
    lines = source.lines
    resolution = next(no for no, line in enumerate(lines, 1) if "B-2025/33-IT" in line
                      and line.startswith("BV Beschluss"))
    # line 391 of the .txt; 48 lines a page → page 9
    assert (resolution, lines[resolution - 1], source.page_of(resolution)) == (
        391, "BV Beschluss B-2025/33-IT", 9)
    assert lines[0] == " 48. IT-Planungsratssitzung"
    assert lines[16] == "00 Begrüßung"
    assert lines[18] == " Begrüßung durch den Vorsitz des IT-Planungsrats"  # indented
    assert "  ☒ Beschluss   ☐ Beschlussempfehlung (IT-PLR)" in lines
    assert "1. Agrarministerkonferenz:    Baden-Württemberg" in lines  # column gap kept
    assert source.page_of(1) == 1 and source.page_of(len(lines)) == 34
    assert source.page_of(len(lines) + 1) is None


def test_a_word_hyphenated_at_the_line_end_stays_on_two_lines(
        any_pdf: tuple[ProtocolPdf, SourceText]) -> None:
    """PDFium joins "IT-" at the end of line 329 with "Planungsrat" on line 331 into one word
    (the hyphen marked as U+0002); the text layer keeps the two lines, as the .txt does, and
    the parser joins them."""
    lines = any_pdf[1].lines
    assert lines[328:331] == [
        "Beschluss die Formulierung der Kostenprüfung gewählt worden sei. Im IT-", "",
        "Planungsrat solle das Angebot der Kostenprüfung ausgesprochen werden. Eine"]
    assert not any("\x02" in line for line in lines)


def test_pdfs_read_in_threads_at_once_come_out_whole(seed_pdf: ProtocolPdf,
                                                     seed_source: SourceText) -> None:
    """PDFium is not thread-safe; the loader reads one PDF at a time per process."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        sources = list(pool.map(read_source, [seed_pdf.path] * 4))
    assert all(s.lines == seed_source.lines and s.pages == seed_source.pages for s in sources)


def test_umlauts_sharp_s_and_ballot_boxes_survive(seed_source: SourceText,
                                                   seed_text: Path) -> None:
    def count(text: str) -> dict[str, int]:
        return {c: text.count(c) for c in "äöüÄÖÜß§„“–☒☐"}

    want = count(seed_text.read_text(encoding="utf-8"))
    assert count("\n".join(seed_source.lines)) == want
    assert (want["☒"], want["☐"], want["ß"]) == (22, 94, 34)


@pytest.mark.parametrize(("raw", "clean"), [
    ("\uf0b7 Begrüßung", "Begrüßung"),  # Word's Symbol-font bullet (private use area)
    ("\x00 Feststellung", "Feststellung"),  # a glyph without Unicode mapping
    ("Begru\u0308ßung", "Begrüßung"),  # decomposed umlaut → NFC
    ("\ufb01nale Tagesordnung", "finale Tagesordnung"),  # fi ligature
    ("Schwer\u00adpunkt", "Schwerpunkt"),  # soft hyphen
    ("  ☒ Beschluss ", "☒ Beschluss"),  # ballot box kept, outer spaces go (layout adds them)
    ("\ufffeFeststellung", "Feststellung"),  # PDFium's mark for a glyph without Unicode
])
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_invisible_text_is_ignored(tmp_path: Path) -> None:
    """Text in font size 0 or outside the page is not read (a damaged file once divided by
    the zero size: found by fuzzing)."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(find_font())))
    path = tmp_path / "invisible.pdf"
    canvas = Canvas(str(path), invariant=True)
    canvas.setFont(FONT_NAME, 0)
    canvas.drawString(300, 700, "unsichtbar")
    canvas.setFont(FONT_NAME, 10)
    canvas.drawString(50, 650, "BV Beschluss B-2025/33-IT")
    canvas.drawString(50, -300, "außerhalb der Seite")
    canvas.drawString(50, 630, "Der IT-Planungsrat beschließt:")
    canvas.showPage()
    canvas.save()
    source = read_source(path)
    assert source.lines == ["BV Beschluss B-2025/33-IT", "", "Der IT-Planungsrat beschließt:"]
    assert source.pages == [1, 1, 1]


def test_a_dropped_bullet_leaves_the_line_indented(tmp_path: Path) -> None:
    """A bullet glyph at the margin (no Unicode mapping: it reads as U+0000 and is dropped)
    does not count as the line's start: the text after it is indented, as in the .txt."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(find_font())))
    path = tmp_path / "bullet.pdf"
    canvas = Canvas(str(path), invariant=True)
    canvas.setFont(FONT_NAME, 10)
    canvas.drawString(50, 700, "00 Begrüßung")
    canvas.drawString(50, 680, "\uf0b7")  # DejaVu has no glyph for the Word bullet
    canvas.drawString(68, 680, "Feststellung der Beschlussfähigkeit")
    canvas.showPage()
    canvas.save()
    assert read_source(path).lines == [
        "00 Begrüßung", "", " " * 6 + "Feststellung der Beschlussfähigkeit"]  # 18 pt / 3 pt


def test_font_size_set_by_the_text_matrix(tmp_path: Path) -> None:
    """Many producers set the font to size 1 and scale the text matrix ("/F1 1 Tf 9 0 0 9 x
    y Tm"): spaces and indentation are measured at the size on the page, 9 pt."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(find_font())))
    path = tmp_path / "matrix.pdf"
    canvas = Canvas(str(path), invariant=True, pageCompression=0)
    for x, y, line in [(50, 700, "1. Agrarministerkonferenz:    Baden-Württemberg"),
                       (50, 685, "Der IT-Planungsrat beschließt:"),
                       (68, 670, "Feststellung der Beschlussfähigkeit")]:
        text = canvas.beginText()
        text.setTextTransform(9, 0, 0, 9, x, y)
        text.setFont(FONT_NAME, 1)
        text.textOut(line)
        canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    assert b" 1 Tf" in path.read_bytes() and b"9 0 0 9 50 700 Tm" in path.read_bytes()
    assert read_source(path).lines == [
        "1. Agrarministerkonferenz:    Baden-Württemberg", "",  # four spaces: a column gap
        "Der IT-Planungsrat beschließt:", "",
        " " * 7 + "Feststellung der Beschlussfähigkeit"]  # 18 pt / 2.7 pt
