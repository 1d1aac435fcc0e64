"""Step 1, read: a file on disk → its text layer as lines, with page numbers for PDFs.

Every failure is a `LoaderError` naming the file (and line where it applies).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from loaders.records import LoaderError


@dataclass(frozen=True)
class SourceText:
    document: str  # file name, used in spans and messages
    path: Path
    lines: list[str]  # the text layer, one entry per line, no newline
    pages: list[int] | None  # 1-based page of each line, PDFs only
    sha256: str
    kind: str  # "txt" or "pdf"

    def page_of(self, line_no: int) -> int | None:
        """Page of a 1-based line number, or None for plain text."""
        if self.pages is None or not (1 <= line_no <= len(self.pages)):
            return None
        return self.pages[line_no - 1]


def read_source(path: Path) -> SourceText:
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoaderError(name, f"cannot read the file: {exc.strerror or exc}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise LoaderError(name, "the file is empty; expected the text of a council protocol")
    if data.startswith(b"%PDF-") or path.suffix.lower() == ".pdf":
        from loaders.pdf import pdf_lines  # noqa: PLC0415 - optional heavy import

        lines, pages = pdf_lines(path, data)
        return SourceText(name, path, lines, pages, digest, "pdf")
    return SourceText(name, path, decode_text(name, data), None, digest, "txt")


def decode_text(name: str, data: bytes) -> list[str]:
    """Strict UTF-8 (with or without BOM). Binary data and other encodings are refused with
    the line and column of the first bad byte."""
    if b"\x00" in data[:8192]:
        raise LoaderError(name, "this is a binary file, not a text protocol (NUL bytes found)",
                          line=data[: data.index(b"\x00")].count(b"\n") + 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise LoaderError(
            name,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); re-save the file as UTF-8, "
            "e.g. `iconv -f latin1 -t utf-8`",
            line=line, column=column,
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
