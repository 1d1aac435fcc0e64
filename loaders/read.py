"""Step 1, read: a file on disk → its text layer as lines, with page numbers for PDFs.

Every failure is a `LoaderError` naming the file (and line and column where they apply); no
exception of a third-party library leaves `read_source`.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from loaders.limits import DEFAULT_LIMITS, InputLimits
from loaders.records import LoaderError

# A PDF may have up to 1024 bytes of junk before its header (PDF 1.7, annex H.3).
PDF_HEADER_WINDOW = 1024
# Formats that are sometimes saved under a protocol's name, with what to do about them.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive or an Office document (.docx/.odt); export it as PDF"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc); export it as PDF"),
    (b"\x89PNG", "a PNG image; run OCR first (e.g. `ocrmypdf`) to get a PDF with text"),
    (b"\xff\xd8\xff", "a JPEG image; run OCR first (e.g. `ocrmypdf`) to get a PDF with text"),
    (b"II*\x00", "a TIFF image; run OCR first (e.g. `ocrmypdf`) to get a PDF with text"),
    (b"MM\x00*", "a TIFF image; run OCR first (e.g. `ocrmypdf`) to get a PDF with text"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
)


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


def read_source(path: Path, limits: InputLimits = DEFAULT_LIMITS) -> SourceText:
    path = Path(path)
    name = path.name
    data = read_regular_file(path, name, limits)
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise LoaderError(name, "the file is empty; expected the text of a council protocol")
    # A .pdf may have junk before its header; a text file that merely mentions "%PDF-" is text.
    if data.startswith(b"%PDF-") or (path.suffix.lower() == ".pdf"
                                     and b"%PDF-" in data[:PDF_HEADER_WINDOW]):
        from loaders.pdf import pdf_lines  # noqa: PLC0415 - optional heavy import

        lines, pages = _call_pdf_lines(pdf_lines, path, data, limits)
        return SourceText(name, path, lines, pages, digest, "pdf")
    if path.suffix.lower() == ".pdf":
        raise LoaderError(name, f"not a PDF: no %PDF- header, the file starts with "
                                f"{data[:24]!r}{hint_for_non_pdf(data)}")
    lines = decode_text(name, data)
    check_text_size(name, lines, limits)
    if not any(line.strip() for line in lines):
        raise LoaderError(name, "the file holds only whitespace; expected the text of a "
                                "council protocol")
    return SourceText(name, path, lines, None, digest, "txt")


# What `stat` says a path is when it is not a regular file, for the message.
_NOT_REGULAR: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def read_regular_file(path: Path, name: str, limits: InputLimits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a regular file no larger than `limits.max_file_bytes`.

    A pipe, socket, device or directory is refused before anything is read from it: reading a
    FIFO blocks until a writer appears (forever, in a batch load) and a device like /dev/zero
    never ends. The file is opened non-blocking and checked again on the open descriptor, so a
    path swapped for a pipe between the two checks cannot hang the load either.
    """
    try:
        _check_regular(name, os.stat(path), limits)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise LoaderError(name, f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "rb") as file:
            fd = -1  # owned by `file` now
            _check_regular(name, os.fstat(file.fileno()), limits)
            # Read one byte past the cap: a file that grew after fstat (or a /proc file that
            # reports size 0) is still refused instead of read without bound.
            data = file.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise LoaderError(name, f"cannot read the file: {exc.strerror or exc}") from exc
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limits.max_file_bytes:
        raise _too_large(name, None, limits)
    return data


def _check_regular(name: str, info: os.stat_result, limits: InputLimits) -> None:
    if not stat.S_ISREG(info.st_mode):
        what = next((label for test, label in _NOT_REGULAR if test(info.st_mode)),
                    "not a regular file")
        raise LoaderError(name, f"{what}, not a regular file; only regular files are read")
    if info.st_size > limits.max_file_bytes:
        raise _too_large(name, info.st_size, limits)


def _too_large(name: str, size: int | None, limits: InputLimits) -> LoaderError:
    got = f"{size:,} bytes" if size is not None else "larger than that"
    return LoaderError(name, f"the file is too large: {got}; the limit is "
                             f"{limits.max_file_bytes:,} bytes (KG_MAX_FILE_BYTES)")


def check_text_size(name: str, lines: list[str], limits: InputLimits) -> None:
    """Refuse text whose total or one line exceeds the caps, before any regex sees it: the
    segmenters' patterns are fast per line but a 50 MB line would take them hours."""
    # C-level passes over the line lengths; the line is looked up only when one is too long.
    lengths = list(map(len, lines))
    total = sum(lengths) + max(len(lines) - 1, 0)
    if total > limits.max_text_chars:
        raise LoaderError(name, f"the text is too long: {total:,} characters; the limit is "
                                f"{limits.max_text_chars:,} (KG_MAX_TEXT_CHARS)")
    if lengths and max(lengths) > limits.max_line_chars:
        index = next(i for i, n in enumerate(lengths) if n > limits.max_line_chars)
        raise LoaderError(name, f"line too long: {lengths[index]:,} characters; the limit is "
                                f"{limits.max_line_chars:,} (KG_MAX_LINE_CHARS); a protocol "
                                "line is a few hundred characters at most", line=index + 1)


def _call_pdf_lines(pdf_lines: Callable[..., tuple[list[str], list[int]]], path: Path,
                    data: bytes, limits: InputLimits) -> tuple[list[str], list[int]]:
    """`pdf_lines(path, data, limits)`; the limits argument is new in loaders/pdf.py, so an
    older two-argument version is still called correctly (and then only the caps checked
    here apply: file size before, line length after)."""
    try:
        names = list(inspect.signature(pdf_lines).parameters)
    except (TypeError, ValueError):
        names = []
    if "limits" in names:
        lines, pages = pdf_lines(path, data, limits=limits)
    elif len(names) >= 3:
        lines, pages = pdf_lines(path, data, limits)
    else:
        lines, pages = pdf_lines(path, data)
    check_text_size(Path(path).name, lines, limits)
    return lines, pages


def hint_for_non_pdf(data: bytes) -> str:
    head = data.lstrip()[:200].lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return " (an HTML page, probably an error page saved instead of the PDF; download again)"
    for signature, what in BINARY_SIGNATURES:
        if data.startswith(signature):
            return f" ({what})"
    return ""


def decode_text(name: str, data: bytes) -> list[str]:
    """Strict UTF-8 (with or without BOM). Binary data and other encodings are refused with
    the line and column of the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LoaderError(name, "the text is UTF-16; re-save it as UTF-8, e.g. "
                                f"`iconv -f utf-16 -t utf-8 {name} > {Path(name).stem}.utf8.txt`")
    for signature, what in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise LoaderError(name, f"this is a binary file, not a text protocol: {what}")
    if b"\x00" in data[:8192]:
        raise LoaderError(name, "this is a binary file, not a text protocol (NUL bytes found)",
                          line=data[: data.index(b"\x00")].count(b"\n") + 1)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        # Columns count characters; everything before the first bad byte is valid UTF-8.
        column = len(data[line_start: exc.start].decode("utf-8-sig")) + 1
        bad = data[exc.start]
        guess = bytes([bad]).decode("cp1252", errors="replace")
        as_latin = f" ('{guess}' in Latin-1/Windows-1252)" if guess.isprintable() else ""
        raise LoaderError(
            name,
            f"not valid UTF-8 (byte 0x{bad:02x}{as_latin}); re-save the file as UTF-8, "
            f"e.g. `iconv -f latin1 -t utf-8 {name} > {Path(name).stem}.utf8.txt`",
            line=line, column=column,
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
