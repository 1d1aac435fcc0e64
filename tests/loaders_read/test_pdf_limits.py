"""Input caps on PDFs (issue 9 item 6): too many pages, too much text, a decompression bomb.
Each is refused with a LoaderError naming the file (and the page), before the rest of the
document is read. Small limits are passed explicitly, so the offending PDFs stay small."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from loaders.limits import DEFAULT_LIMITS, InputLimits
from loaders.pdf import pdf_lines
from loaders.read import read_source
from loaders.records import LoaderError
from tests.loaders_read.make_pdf import FONT_NAME, find_font

LINE = "Der IT-Planungsrat beauftragt die FITKO, bis zum 15.12.2025 zu berichten."  # 74 chars


def pdf_with(path: Path, pages: int, lines_per_page: int = 1, repeat: int = 1,
             compress: bool = False) -> Path:
    """`pages` pages of `lines_per_page` lines of LINE, 15 pt apart (from line 53 on, below
    the page); each line drawn `repeat` times at the same place (much content, little text:
    PDFium keeps one copy of text drawn over itself)."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(find_font())))
    canvas = Canvas(str(path), invariant=True, pageCompression=int(compress))
    for page in range(1, pages + 1):
        canvas.setFont(FONT_NAME, 9)
        for row in range(lines_per_page):
            for _ in range(repeat):
                canvas.drawString(50, 780 - 15 * row, f"{page}: {LINE}")
        canvas.showPage()
    canvas.save()
    return path


def refused(path: Path, limits: InputLimits) -> str:
    with pytest.raises(LoaderError) as caught:
        pdf_lines(path, path.read_bytes(), limits)
    assert caught.value.document == path.name
    return str(caught.value)


def test_more_pages_than_the_limit(tmp_path: Path) -> None:
    path = pdf_with(tmp_path / "lang.pdf", pages=12)
    message = refused(path, InputLimits(max_pages=10))
    assert message.startswith("lang.pdf: ")
    assert "12 pages" in message and "the limit is 10" in message
    assert "KG_MAX_PAGES" in message


def test_as_many_pages_as_the_limit_is_read(tmp_path: Path) -> None:
    path = pdf_with(tmp_path / "zehn.pdf", pages=10)
    lines, pages = pdf_lines(path, path.read_bytes(), InputLimits(max_pages=10))
    text = [line for line in lines if line]
    assert text[0] == f"1: {LINE}" and text[-1] == f"10: {LINE}"
    assert (pages[0], pages[-1]) == (1, 10)


def test_text_over_the_limit_stops_at_the_page_that_crosses_it(tmp_path: Path) -> None:
    """40 lines of 77 characters a page: about 3,200 characters each, so a limit of 8,000
    is crossed on page 3 of 20, and the message names that page (the later pages were never
    read)."""
    path = pdf_with(tmp_path / "viel.pdf", pages=20, lines_per_page=40)
    message = refused(path, InputLimits(max_text_chars=8_000))
    assert message.startswith("viel.pdf: page 3: the text is too long")
    assert "the limit is 8,000" in message and "KG_MAX_TEXT_CHARS" in message


def test_text_outside_the_page_counts_toward_the_limit(tmp_path: Path) -> None:
    """300 lines on one page, most of them below its bottom edge: invisible, but PDFium
    reads them all the same, so they count (23,000 characters on page 1)."""
    path = pdf_with(tmp_path / "lang-seite.pdf", pages=2, lines_per_page=300)
    message = refused(path, InputLimits(max_text_chars=20_000))
    assert message.startswith("lang-seite.pdf: page 1: the text is too long")


def test_decompression_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    """A 33 kB page whose content inflates to 2.5 MB: refused by its decompressed size
    before PDFium expands it."""
    path = pdf_with(tmp_path / "bombe.pdf", pages=1, repeat=20_000, compress=True)
    assert path.stat().st_size < 50_000
    message = refused(path, InputLimits(max_decompressed_bytes=1_000_000))
    assert message.startswith("bombe.pdf: the PDF's content expands to more than 1,000,000 "
                              "bytes")
    assert "KG_MAX_DECOMPRESSED_BYTES" in message


def test_a_normal_compressed_pdf_is_under_every_default(tmp_path: Path) -> None:
    path = pdf_with(tmp_path / "normal.pdf", pages=3, lines_per_page=40, compress=True)
    lines, pages = pdf_lines(path, path.read_bytes())
    assert sum(1 for line in lines if line) == 120 and pages[-1] == 3
    assert DEFAULT_LIMITS.max_pages == 2_000 and DEFAULT_LIMITS.max_text_chars == 20_000_000


def test_read_source_passes_its_limits_to_the_pdf_reader(tmp_path: Path) -> None:
    path = pdf_with(tmp_path / "weiter.pdf", pages=3)
    with pytest.raises(LoaderError, match=r"^weiter\.pdf: the PDF has 3 pages; the limit is 2"):
        read_source(path, InputLimits(max_pages=2))
