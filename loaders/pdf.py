"""The text layer of a PDF as lines with their 1-based page numbers (pdfplumber).

Why pdfplumber and not pypdf: pypdf's plain extraction follows the order of the content
stream, which need not be the reading order; pdfplumber orders characters by their position
on the page and infers spaces from the gaps between them. See loaders/PDF.md and
bench/pdf_extractors.py for the measured comparison.

One output line per text line of the page, top to bottom; blank lines are not produced (a PDF
has vertical space, not empty lines). Every failure is a `LoaderError` naming the file and,
where it applies, the page; no pdfplumber/pdfminer exception leaves this module.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSEOF, PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from loaders.records import LoaderError

# A space is assumed where the gap between two characters exceeds this share of the font
# size; a fixed tolerance in points (pdfplumber's default, 3 pt) glues words set in small type.
X_TOLERANCE_RATIO = 0.15

OCR_HINT = "run OCR first (e.g. `ocrmypdf in.pdf out.pdf`)"

# Word and the Symbol/Wingdings fonts put bullets and arrows into the private use area
# (U+F0B7 is the Word bullet). They carry no text; the published text layer of the protocols
# drops them, so the lines read the same as the .txt.
_SYMBOL_FONT_GLYPHS = re.compile("[\uf000-\uf0ff]")
# Glyphs without a Unicode mapping come out as control characters (reportlab: U+0000).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\u00ad": ""})

# pdfminer reports recoverable oddities (missing CropBox, bad font widths) through logging;
# they are not the user's concern, the text either comes out or a LoaderError says why.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def pdf_lines(path: Path, data: bytes) -> tuple[list[str], list[int]]:
    """Lines of the text layer and the 1-based page of each line."""
    name = Path(path).name
    lines: list[str] = []
    pages: list[int] = []
    scanned: list[int] = []  # pages that hold an image but no text
    page_no = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise LoaderError(name, "the PDF has no pages")
            for page_no, page in enumerate(pdf.pages, 1):
                text = page.extract_text(x_tolerance_ratio=X_TOLERANCE_RATIO)
                found = [clean_line(line) for line in text.split("\n")]
                found = [line for line in found if line.strip()]
                if not found and page.images:
                    scanned.append(page_no)
                lines.extend(found)
                pages.extend([page_no] * len(found))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
        raise LoaderError(name, describe(cause, page_no)) from exc
    except (PSException, MalformedPDFException) as exc:
        raise LoaderError(name, describe(exc, page_no)) from exc
    except TypeError as exc:
        # pdfplumber builds a page's boxes without checking them: a page whose MediaBox was
        # destroyed raises a bare TypeError (pdfplumber 0.11.10). Only PDF parsing runs in
        # this block, so a TypeError here means a malformed file, not a bug of ours.
        raise LoaderError(name, describe(exc, page_no)) from exc

    if not lines:
        raise LoaderError(name, f"the PDF has no text layer (only images or nothing on its "
                                f"{page_no} page(s)); {OCR_HINT}")
    if scanned:
        listed = ", ".join(str(n) for n in scanned)
        raise LoaderError(name, f"page(s) {listed} are images without a text layer, so their "
                                f"text would be missing; {OCR_HINT}")
    return lines, pages


def clean_line(line: str) -> str:
    line = _CONTROL.sub("", _SYMBOL_FONT_GLYPHS.sub("", line.translate(_LIGATURES)))
    # Some producers write "ü" as "u" + combining diaeresis; the .txt has the composed form.
    return unicodedata.normalize("NFC", line).rstrip()


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
