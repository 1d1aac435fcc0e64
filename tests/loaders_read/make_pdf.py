"""Lay out a protocol text file as a PDF with a real text layer (reportlab), for tests and the
extractor benchmark.

Each source line becomes one line of text at a fixed position, `lines_per_page` lines a page,
blank lines included (so the double spacing and the blank runs of redacted passages survive as
vertical space). Characters the font cannot draw are replaced by `SUBSTITUTES` before drawing;
`ProtocolPdf.rendered` records the text exactly as drawn, with its page, so tests compare the
extracted text layer against what is really in the PDF.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

# First existing file wins. DejaVuSans has umlauts, ß, §, „“, ☐ and ☒; reportlab's own
# Vera.ttf (always present, since reportlab ships it) lacks the ballot boxes.
FONT_CANDIDATES: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),  # Debian/Ubuntu fonts-dejavu-core
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),  # Fedora
    Path("/usr/share/fonts/TTF/DejaVuSans.ttf"),  # Arch
)
FONT_NAME = "ProtocolSans"
FONT_SIZE = 9.0
MARGIN = 42.0

# Replacements for characters a font has no glyph for. U+F0B7 is the private-use bullet of
# Word's Symbol font; no Unicode font draws it, so it is drawn as U+2022.
SUBSTITUTES: dict[str, str] = {
    "\uf0b7": "\u2022",
    "\u2612": "[x]",
    "\u2610": "[ ]",
}


@dataclass(frozen=True)
class RenderedLine:
    page: int  # 1-based
    source_line: int  # 1-based line of the text file
    text: str  # as drawn, after substitutions


@dataclass(frozen=True)
class ProtocolPdf:
    path: Path
    font: Path
    pages: int
    rendered: list[RenderedLine]  # every drawn line, blank ones included


def find_font() -> Path:
    for candidate in FONT_CANDIDATES:
        if candidate.is_file():
            return candidate
    import reportlab  # noqa: PLC0415 - only to locate its bundled font directory

    return Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"


def drawable(text: str, font: TTFont) -> str:
    """The text with every character the font lacks replaced (unknown ones by '?')."""
    glyphs = font.face.charToGlyph
    out = []
    for char in text:
        if ord(char) in glyphs or char == " ":
            out.append(char)
        else:
            out.append(SUBSTITUTES.get(char, "?"))
    return "".join(out)


def make_protocol_pdf(text_path: Path, out_path: Path, lines_per_page: int = 48,
                      font_path: Path | None = None, scrambled: bool = False) -> ProtocolPdf:
    """Write `out_path`. With `scrambled`, every word is drawn on its own (no space characters
    in the text layer, as in many Word exports) and each page's content stream runs from the
    last word of the page to the first: the page looks the same, but an extractor must order
    the text by position and infer spaces from gaps."""
    font_path = font_path or find_font()
    font = TTFont(FONT_NAME, str(font_path))
    pdfmetrics.registerFont(font)
    source = Path(text_path).read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    if source and source[-1] == "":
        source.pop()  # the final newline does not open another line

    width, height = A4
    leading = (height - 2 * MARGIN) / lines_per_page
    usable = width - 2 * MARGIN
    canvas = Canvas(str(out_path), pagesize=A4, invariant=True)  # invariant: same bytes each run
    canvas.setTitle(Path(text_path).stem)
    rendered: list[RenderedLine] = []
    page_runs: list[tuple[float, float, float, str]] = []  # (size, x, y, text) of one page

    def flush_page() -> None:
        for size, x, y, run in reversed(page_runs) if scrambled else page_runs:
            canvas.setFont(FONT_NAME, size)
            canvas.drawString(x, y, run)
        page_runs.clear()
        canvas.showPage()

    page = 1
    for index, raw in enumerate(source):
        slot = index % lines_per_page
        if index and slot == 0:
            flush_page()
            page += 1
        text = drawable(raw.rstrip(), font)
        rendered.append(RenderedLine(page, index + 1, text))
        if not text.strip():
            continue
        size = FONT_SIZE
        # Shrink the rare over-long line instead of letting it run off the page.
        text_width = pdfmetrics.stringWidth(text, FONT_NAME, size)
        if text_width > usable:
            size = size * usable / text_width
        y = height - MARGIN - (slot + 1) * leading
        if not scrambled:
            page_runs.append((size, MARGIN, y, text))
            continue
        for match in re.finditer(r"\S+", text):
            x = MARGIN + pdfmetrics.stringWidth(text[: match.start()], FONT_NAME, size)
            page_runs.append((size, x, y, match.group()))
    flush_page()
    canvas.save()
    return ProtocolPdf(Path(out_path), font_path, page, rendered)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_pdf.py TEXT_FILE OUT_PDF")
    made = make_protocol_pdf(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{made.path}: {made.pages} pages, font {made.font}")
