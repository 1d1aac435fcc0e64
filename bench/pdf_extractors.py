"""Compare PDF text extractors on a protocol PDF generated from the seed text.

Run: .venv/bin/python bench/pdf_extractors.py [TEXT_FILE]

Two PDFs are laid out from the same text (tests/loaders_read/make_pdf.py): "ordered", whose
content stream runs in reading order with one string per line, and "scrambled", which draws
every word on its own, last word of the page first, so an extractor must order text by position
and infer spaces from gaps. For each extractor and PDF it prints, measured in this one run:

  lines       non-blank lines extracted / non-blank lines drawn
  exact       drawn lines found in order with identical words (whitespace runs collapsed)
  chars       drawn lines found in order ignoring all whitespace (words may be glued or split)
  page        of the lines matched by `chars`, the share reported on the right page
  special     umlauts/ß/§/quotes/dash/☒/☐ extracted / drawn (over the whole document)
  layout      lines identical to the .txt at the same line number, blank lines, indentation
              and runs of spaces included (the parser reads all three)
  time        median seconds of 3 runs, and its ratio to the fastest extractor on that PDF
"""

from __future__ import annotations

import difflib
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pypdf
import pypdfium2
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from loaders.pdf import pdf_lines  # noqa: E402 - located through the path set above
from tests.loaders_read.make_pdf import make_protocol_pdf  # noqa: E402

SEED = ROOT / "data" / "samples" / "itplr-48-2025-11-26-protokoll.txt"
SPECIAL = set("äöüÄÖÜß§„“–☒☐")
REPEATS = 3

PagedLines = list[tuple[int, str]]


def by_pypdf(path: Path) -> PagedLines:
    reader = pypdf.PdfReader(path)
    return [(n, line) for n, page in enumerate(reader.pages, 1)
            for line in page.extract_text().split("\n")]


def by_pypdf_layout(path: Path) -> PagedLines:
    reader = pypdf.PdfReader(path)
    return [(n, line) for n, page in enumerate(reader.pages, 1)
            for line in page.extract_text(extraction_mode="layout").split("\n")]


def by_pypdfium2(path: Path) -> PagedLines:
    """PDFium's own text (its reading order and inserted spaces/line breaks), no layout."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        return [(n, line) for n, page in enumerate(pdf, 1)
                for line in page.get_textpage().get_text_range().splitlines()]
    finally:
        pdf.close()


def by_pdfplumber(path: Path) -> PagedLines:
    with pdfplumber.open(path) as pdf:
        return [(n, line) for n, page in enumerate(pdf.pages, 1)
                for line in page.extract_text().split("\n")]


def by_pdfplumber_ratio(path: Path) -> PagedLines:
    with pdfplumber.open(path) as pdf:
        return [(n, line) for n, page in enumerate(pdf.pages, 1)
                for line in page.extract_text(x_tolerance_ratio=0.15).split("\n")]


def by_pdfminer(path: Path) -> PagedLines:
    """pdfminer.six's own layout analysis (text boxes of lines), which pdfplumber builds on."""
    return [(n, text_line.get_text().rstrip("\n"))
            for n, page in enumerate(extract_pages(path), 1)
            for box in page if isinstance(box, LTTextContainer)
            for text_line in box]


def by_loader(path: Path) -> PagedLines:
    lines, pages = pdf_lines(path, path.read_bytes())
    return list(zip(pages, lines, strict=True))


EXTRACTORS: dict[str, Callable[[Path], PagedLines]] = {
    "pypdf": by_pypdf,
    "pypdf layout": by_pypdf_layout,
    "pypdfium2": by_pypdfium2,
    "pdfplumber": by_pdfplumber,
    "pdfplumber ratio": by_pdfplumber_ratio,
    "pdfminer.six": by_pdfminer,
    "loaders.pdf": by_loader,
}


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def nospace(text: str) -> str:
    return re.sub(r"\s+", "", text)


def matched(expected: PagedLines, got: PagedLines, key: Callable[[str], str]
            ) -> list[tuple[int, int]]:
    """Index pairs (expected, got) of lines that match in order under `key`."""
    matcher = difflib.SequenceMatcher(None, [key(t) for _, t in expected],
                                      [key(t) for _, t in got], autojunk=False)
    return [(block.a + k, block.b + k) for block in matcher.get_matching_blocks()
            for k in range(block.size)]


def count_special(lines: PagedLines) -> int:
    return sum(1 for _, text in lines for char in text if char in SPECIAL)


def measure(name: str, extract: Callable[[Path], PagedLines], path: Path,
            expected: PagedLines, source: list[str]) -> dict[str, object]:
    runs = []
    got: PagedLines = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        got = extract(path)
        runs.append(time.perf_counter() - start)
    same = sum(1 for want, (_, text) in zip(source, got, strict=False)
               if want.rstrip() == text.rstrip())
    got = [(page, text) for page, text in got if text.strip()]
    exact = matched(expected, got, collapse)
    chars = matched(expected, got, nospace)
    on_page = sum(1 for a, b in chars if expected[a][0] == got[b][0])
    return {
        "name": name,
        "lines": f"{len(got)}/{len(expected)}",
        "exact": len(exact) / len(expected),
        "chars": len(chars) / len(expected),
        "page": on_page / len(chars) if chars else 0.0,
        "special": f"{count_special(got)}/{count_special(expected)}",
        "layout": same / len(source),
        "time": statistics.median(runs),
    }


def main(text_path: Path = SEED) -> None:
    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as tmp:
        for variant, scrambled in (("ordered", False), ("scrambled", True)):
            made = make_protocol_pdf(text_path, Path(tmp) / f"{variant}.pdf",
                                     scrambled=scrambled)
            expected = [(r.page, r.text) for r in made.rendered if r.text.strip()]
            source = [r.text for r in made.rendered]
            while source and not source[-1].strip():
                source.pop()  # trailing blank lines leave no trace in a PDF
            rows = [measure(name, fn, made.path, expected, source)
                    for name, fn in EXTRACTORS.items()]
            fastest = min(float(row["time"]) for row in rows)  # type: ignore[arg-type]
            print(f"\n{variant}: {made.path.name}, {made.pages} pages, "
                  f"{made.path.stat().st_size // 1024} KiB, font {made.font.name}")
            print(f"{'extractor':<18}{'lines':>10}{'exact':>8}{'chars':>8}{'page':>8}"
                  f"{'special':>10}{'layout':>8}{'time s':>9}{'ratio':>7}")
            for row in rows:
                seconds = float(row["time"])  # type: ignore[arg-type]
                print(f"{row['name']:<18}{row['lines']:>10}{row['exact']:>8.1%}"
                      f"{row['chars']:>8.1%}{row['page']:>8.1%}{row['special']:>10}"
                      f"{row['layout']:>8.1%}{seconds:>9.3f}{seconds / fastest:>6.1f}x")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SEED)
