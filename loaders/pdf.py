"""The text layer of a PDF as lines with their 1-based page numbers (pdfplumber).

Why pdfplumber and not pypdf: pypdf's plain extraction follows the order of the content
stream, which need not be the reading order; pdfplumber orders characters by their position
on the page and infers spaces from the gaps between them. See loaders/PDF.md and
bench/pdf_extractors.py for the measured comparison.

One output line per text line of the page, top to bottom, never joined or split. The parser
reads layout from the published text layer (the .txt), so the same two signals are rebuilt
from the glyph positions:
- indentation: a line that starts right of the body's left edge gets leading spaces, one per
  ~0.3 em (bulleted subtitles in the agenda table are indented);
- vertical space: blank lines, where a normal line break is one blank line (the protocols'
  text layer is double-spaced) and larger gaps give more (`gap >= 2` marks a paragraph or a
  redacted passage for the parser). Blank lines carry the page of the text line after them.
Every failure is a `LoaderError` naming the file and, where it applies, the page; no
pdfplumber/pdfminer exception leaves this module.
"""

from __future__ import annotations

import io
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSEOF, PSException
from pdfplumber.page import Page
from pdfplumber.utils import cluster_objects
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from loaders.records import LoaderError

# A space is assumed where the gap between two characters exceeds this share of the font
# size; a fixed tolerance in points (pdfplumber's default, 3 pt) glues words set in small type.
X_TOLERANCE_RATIO = 0.15
# Words whose tops differ by at most this many points are on one line (pdfplumber's default).
Y_TOLERANCE = 3.0
# Width of one space, as a share of the font size (Arial 0.28 em, DejaVu Sans 0.32 em).
SPACE_EM = 0.3
# A gap between words wider than this many spaces is kept as a run of spaces (tab stops,
# table columns); narrower ones, including the stretched spaces of justified text, are one.
WIDE_GAP = 1.75

OCR_HINT = "run OCR first (e.g. `ocrmypdf in.pdf out.pdf`)"

# Word and the Symbol/Wingdings fonts put bullets and arrows into the private use area
# (U+F0B7 is the Word bullet). They carry no text; the published text layer of the protocols
# drops them, so the lines read the same as the .txt.
_SYMBOL_FONT_GLYPHS = re.compile("[\uf000-\uf0ff]")
# Glyphs without a Unicode mapping come out as control characters (reportlab: U+0000).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\u00ad": ""})


@dataclass(frozen=True)
class TextLine:
    page: int  # 1-based
    top: float  # distance of the line's top from the top of the page, in points
    x0: float  # left edge of its first glyph
    size: float  # font size of its first word
    text: str


def pdf_lines(path: Path, data: bytes) -> tuple[list[str], list[int]]:
    """Lines of the text layer and the 1-based page of each line."""
    name = Path(path).name
    with quiet_pdfminer():
        found, page_count = text_lines(name, data)
    if not found:
        raise LoaderError(name, f"the PDF has no text layer (only images or nothing on its "
                                f"{page_count} page(s)); {OCR_HINT}")
    return layout(found)


def text_lines(name: str, data: bytes) -> tuple[list[TextLine], int]:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))  # in memory: nothing to leak if we bail out
    except PdfminerException as exc:
        raise LoaderError(name, describe(cause_of(exc), 0)) from exc
    try:
        page_list = pdf.pages
    except PdfminerException as exc:
        raise LoaderError(name, describe(cause_of(exc), 0)) from exc
    except (MalformedPDFException, TypeError, IndexError) as exc:
        # pdfplumber 0.11 checks a page's MediaBox only for non-numbers: a missing or short
        # box raises a bare TypeError/IndexError while the page list is built (found by
        # fuzzing; see test_damaged_pdf_never_leaks_a_library_exception).
        raise LoaderError(name, "the PDF is corrupted (a page has no valid MediaBox); "
                                "download or export it again") from exc
    try:
        if not page_list:
            raise LoaderError(name, "the PDF has no pages")
        found: list[TextLine] = []
        scanned: list[int] = []  # pages that hold an image but no text
        for page_no, page in enumerate(page_list, 1):
            on_page = page_lines(name, page, page_no)
            if not on_page and page_images(name, page, page_no):
                scanned.append(page_no)
            found.extend(on_page)
    finally:
        pdf.close()
    if found and scanned:
        listed = ", ".join(str(n) for n in scanned)
        raise LoaderError(name, f"page(s) {listed} are images without a text layer, so their "
                                f"text would be missing; {OCR_HINT}")
    return found, len(page_list)


def page_lines(name: str, page: Page, page_no: int) -> list[TextLine]:
    try:
        words = page.extract_words(x_tolerance_ratio=X_TOLERANCE_RATIO, extra_attrs=["size"])
    except PdfminerException as exc:
        raise LoaderError(name, describe(cause_of(exc), page_no)) from exc
    except (PSException, MalformedPDFException) as exc:
        raise LoaderError(name, describe(exc, page_no)) from exc
    # Text outside the page is invisible (and a damaged file can put it at 1e30 or give it
    # font size 0); only what a reader sees counts.
    left, top, right, bottom = page.bbox
    words = [w for w in words if top <= w["top"] <= bottom and left <= w["x0"] <= right
             and math.isfinite(w["x1"]) and math.isfinite(w["size"]) and w["size"] > 0]
    out = []
    for cluster in cluster_objects(words, "top", Y_TOLERANCE):
        # A dropped glyph (the Word bullet) must not set the line's left edge: the text
        # after it decides whether the line is indented.
        row = [w for w in sorted(cluster, key=lambda w: w["x0"]) if clean_line(w["text"])]
        text = clean_line(join_words(row)) if row else ""
        if text:
            out.append(TextLine(page_no, min(w["top"] for w in row), row[0]["x0"],
                                row[0]["size"], text))
    return sorted(out, key=lambda ln: ln.top)


def join_words(row: list[dict[str, Any]]) -> str:
    """One space between words, more where the gap is clearly wider than a (justified) space:
    the text layer keeps tab-aligned columns ("1. Agrarministerkonferenz:    Baden-…") as runs
    of spaces, which the parser reads as a table row."""
    parts = [row[0]["text"]]
    for before, word in zip(row, row[1:], strict=False):
        space = SPACE_EM * word["size"]
        gap = word["x0"] - before["x1"]
        parts.append(" " * round(gap / space) if gap > WIDE_GAP * space else " ")
        parts.append(word["text"])
    return "".join(parts)


def page_images(name: str, page: Page, page_no: int) -> bool:
    try:
        return bool(page.images)
    except PdfminerException as exc:
        raise LoaderError(name, describe(cause_of(exc), page_no)) from exc


def layout(found: list[TextLine]) -> tuple[list[str], list[int]]:
    """Rebuild indentation and blank lines from positions (see the module docstring)."""
    starts = Counter(round(ln.x0) for ln in found)
    left = starts.most_common(1)[0][0]  # the body's left edge: where most lines start
    steps = [b.top - a.top for a, b in zip(found, found[1:], strict=False)
             if a.page == b.page and b.top - a.top > Y_TOLERANCE]
    if steps:
        # The most common distance between lines is a normal line break; its mean over the
        # steps near it keeps the rounding error small across long redacted gaps.
        mode = Counter(round(step) for step in steps).most_common(1)[0][0]
        near = [step for step in steps if abs(step - mode) <= 1]
        normal = sum(near) / len(near)
    else:  # one line per page: assume the usual leading of 1.2 em
        normal = 1.2 * max(ln.size for ln in found)
    unit = normal / 2  # a normal line break is one text line plus one blank line
    first_top = min(ln.top for ln in found)  # where text starts on a full page
    last_top = max(ln.top for ln in found)  # where the last line of a full page sits
    page_height = last_top - first_top + unit

    lines: list[str] = []
    pages: list[int] = []
    previous: TextLine | None = None
    for line in found:
        if previous is None:
            distance = unit
        elif line.page == previous.page:
            distance = line.top - previous.top
        else:  # continue the flow across the page break, and across pages without text
            distance = (last_top - previous.top + unit + line.top - first_top
                        + (line.page - previous.page - 1) * page_height)
        blanks = max(0, round(distance / unit) - 1)
        lines.extend([""] * blanks)
        indent = line.x0 - left
        spaces = max(1, round(indent / (SPACE_EM * line.size))) if indent > 0.2 * line.size else 0
        lines.append(" " * spaces + line.text)
        pages.extend([line.page] * (blanks + 1))
        previous = line
    return lines, pages


def clean_line(line: str) -> str:
    line = _CONTROL.sub("", _SYMBOL_FONT_GLYPHS.sub("", line.translate(_LIGATURES)))
    # Some producers write "ü" as "u" + combining diaeresis; the .txt has the composed form.
    return unicodedata.normalize("NFC", line).strip()


@contextmanager
def quiet_pdfminer() -> Iterator[None]:
    """pdfminer logs recoverable oddities (missing CropBox, odd font widths) as warnings;
    they are not the user's concern: the text comes out, or a LoaderError says why."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def cause_of(exc: PdfminerException) -> BaseException:
    """pdfplumber wraps pdfminer's exception as the first argument."""
    return exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc


def describe(exc: BaseException, page_no: int) -> str:
    """A user-facing reason for a pdfminer/pdfplumber failure."""
    where = f"page {page_no}: " if page_no else ""
    if isinstance(exc, PDFPasswordIncorrect | PDFEncryptionError):
        return ("the PDF is encrypted and needs a password to open; save a decrypted copy "
                "first, e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`")
    if isinstance(exc, PSEOF):
        return (f"{where}the PDF is truncated or corrupted (unexpected end of file); "
                "download or export it again")
    if isinstance(exc, PDFSyntaxError):
        return f"{where}the PDF is corrupted ({exc}); download or export it again"
    return (f"{where}the PDF is corrupted ({type(exc).__name__}: {exc}); "
            "download or export it again")
