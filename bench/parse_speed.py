"""Parse speed of the seed protocol, in this process (issue 10: text ≤ 20 ms median, PDF →
records ≤ 1.3× pypdf's `extract_text` of the same PDF). Prints, never asserts.

Run: .venv/bin/python bench/parse_speed.py [RUNS]   (or `python -m bench parse_speed`)

- text: median of `read_source` + `parse_protocol` on the seed .txt over RUNS runs, wall
  time and CPU time of this process;
- PDF: the seed laid out as a PDF (tests/loaders_read/make_pdf.py), `read_source` +
  `parse_protocol` against pypdf's `PdfReader` + `extract_text()` of every page. The two are
  timed alternately in the same run, so a busy machine slows both alike; the ratio is of
  the medians.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from loaders.protocol import parse_protocol  # noqa: E402 - located through the path set above
from loaders.read import read_source  # noqa: E402
from loaders.records import Protocol  # noqa: E402
from tests.loaders_read.make_pdf import make_protocol_pdf  # noqa: E402

SEED = ROOT / "data" / "samples" / "itplr-48-2025-11-26-protokoll.txt"
RUNS = 30
PDF_RUNS = 11


def seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def without_pages(protocol: Protocol) -> str:
    """The records as text, with the spans' pages and the file name taken out."""
    text = repr(protocol).replace(f"{SEED.stem}.pdf", SEED.name)
    return re.sub(r"page_start=\d+, page_end=\d+", "page_start=None, page_end=None", text)


def pypdf_text(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def main(runs: int = RUNS) -> None:
    parse_protocol(read_source(SEED))  # warm up: imports, compiled patterns, gazetteer
    text: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        started = time.process_time()
        text.append(seconds(lambda: parse_protocol(read_source(SEED))))
        cpu.append(time.process_time() - started)
    protocol = parse_protocol(read_source(SEED))
    print(f"seed text → records: median {statistics.median(text) * 1000:.1f} ms, "
          f"min {min(text) * 1000:.1f} ms over {runs} runs "
          f"({len(protocol.items)} agenda items, "
          f"{sum(1 for i in protocol.items if i.resolution)} resolutions; target ≤ 20 ms); "
          f"CPU time median {statistics.median(cpu) * 1000:.1f} ms (what other work on the "
          f"machine adds to the wall time is not in it)")

    with tempfile.TemporaryDirectory(prefix="parse-speed-") as tmp:
        made = make_protocol_pdf(SEED, Path(tmp) / f"{SEED.stem}.pdf")
        parse_protocol(read_source(made.path))
        pypdf_text(made.path)
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(PDF_RUNS):
            ours.append(seconds(lambda: parse_protocol(read_source(made.path))))
            theirs.append(seconds(lambda: pypdf_text(made.path)))
        from_pdf = parse_protocol(read_source(made.path))
        same = without_pages(from_pdf) == without_pages(protocol)
        ratio = statistics.median(ours) / statistics.median(theirs)
        print(f"seed PDF ({made.pages} pages, {made.path.stat().st_size // 1024} KiB) → "
              f"records: median {statistics.median(ours) * 1000:.0f} ms; pypdf extract_text: "
              f"median {statistics.median(theirs) * 1000:.0f} ms; ratio {ratio:.2f}× "
              f"(target ≤ 1.3×) over {PDF_RUNS} alternating runs")
        print(f"records from the PDF equal those from the .txt, but for the pages in their "
              f"spans: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RUNS)
