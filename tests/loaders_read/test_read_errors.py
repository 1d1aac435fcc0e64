"""Bad input at the read step: every case is a LoaderError naming the file, never a
third-party exception."""

from __future__ import annotations

import functools
import io
import os
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from loaders.limits import InputLimits
from loaders.read import read_source
from loaders.records import LoaderError
from tests.loaders_read.fifo_guard import unblocking
from tests.loaders_read.make_pdf import FONT_NAME, find_font, make_protocol_pdf

SHORT_TEXT = "48. IT-Planungsratssitzung\n\nBegrüßung\n\nBV Beschluss B-2025/33-IT\n" * 30


def small_pdf(tmp: Path) -> bytes:
    """Four pages of real protocol layout, built from a short text."""
    text = tmp / "short.txt"
    text.write_text(SHORT_TEXT, encoding="utf-8")
    return make_protocol_pdf(text, tmp / "short.pdf").path.read_bytes()


def encrypted(tmp: Path, algorithm: str, user_password: str = "geheim") -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(small_pdf(tmp)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def drawn_pdf(pages: list[str | None]) -> bytes:
    """One page per entry: a line of text, or (None) a scanned page, i.e. only an image."""
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(find_font())))
    out = io.BytesIO()
    canvas = Canvas(out, invariant=True)
    for content in pages:
        if content is None:
            scan = Image.new("L", (200, 280), color=235)  # a grey "scan" of a page
            canvas.drawImage(ImageReader(scan), 50, 100, width=500, height=700)
        elif content:
            canvas.setFont(FONT_NAME, 10)
            canvas.drawString(50, 750, content)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def no_pages() -> bytes:
    out = io.BytesIO()
    pypdf.PdfWriter().write(out)
    return out.getvalue()


# (file name, builder of its bytes, substrings the message must contain)
Case = tuple[str, Callable[[Path], bytes], tuple[str, ...]]
CASES: list[Case] = [
    # zero bytes
    ("empty.txt", lambda t: b"", ("empty",)),
    # only ASCII whitespace
    ("blank.txt", lambda t: b"  \n\t\r\n", ("empty",)),
    # valid UTF-8 that is empty after stripping: BOM, no-break space, ideographic space
    ("spaces.txt", lambda t: "\ufeff\u00a0\n\u3000 \n".encode(), ("only whitespace",)),
    # Latin-1 text: "ü" of "Begrüßung" on line 2 is byte 0xfc, column 5
    ("latin1.txt", lambda t: "48. Sitzung\nBegrüßung\n".encode("latin-1"),
     ("latin1.txt:2:5", "0xfc", "'ü'", "iconv -f latin1 -t utf-8")),
    # mixed: a valid UTF-8 dash before a Latin-1 "ü"; the column counts characters, not bytes
    ("mixed.txt", lambda t: "a\nDatum – Pr".encode() + "üfung".encode("latin-1"),
     ("mixed.txt:2:11", "UTF-8")),
    # UTF-16 with BOM (as saved by some Windows editors)
    ("utf16.txt", lambda t: "Begrüßung\n".encode("utf-16"), ("UTF-16", "iconv")),
    # binary non-PDF with NUL bytes
    ("data.bin", lambda t: b"\x01\x02abc\n\x00\xff" * 10, ("binary", "NUL")),
    # a PNG scan saved as .txt
    ("scan.txt", lambda t: b"\x89PNG\r\n\x1a\n" + bytes(64), ("PNG image", "ocrmypdf")),
    # a Word document (ZIP container) instead of the PDF
    ("protokoll.docx", lambda t: b"PK\x03\x04\x14\x00\x06\x00" + bytes(64),
     ("Office document", "export it as PDF")),
    # random bytes named .pdf: no %PDF- header
    ("random.pdf", lambda t: bytes(range(1, 256)) * 4, ("not a PDF", "%PDF-")),
    # an HTML error page saved under the PDF's name
    ("portal.pdf", lambda t: b"<!DOCTYPE html><html><body>404</body></html>",
     ("not a PDF", "HTML page")),
    # a PDF cut in half (interrupted download)
    ("half.pdf", lambda t: small_pdf(t)[: len(small_pdf(t)) // 2],
     ("truncated or corrupted",)),
    # a PDF missing only its last 200 bytes (xref and trailer)
    ("tail.pdf", lambda t: small_pdf(t)[:-200], ("corrupted",)),
    # nothing but the header
    ("header.pdf", lambda t: b"%PDF-1.7\n", ("corrupted",)),
    # a page whose /MediaBox was destroyed (pdfplumber raises a bare TypeError there)
    ("nobox.pdf", lambda t: small_pdf(t).replace(b"/MediaBox", b"/MediaBoz"), ("corrupted",)),
    # AES-256 encryption with a user password
    ("aes.pdf", lambda t: encrypted(t, "AES-256"), ("encrypted", "password", "qpdf --decrypt")),
    # RC4-128 encryption with a user password
    ("rc4.pdf", lambda t: encrypted(t, "RC4-128"), ("encrypted", "qpdf --decrypt")),
    # a scanned page only: an image, no text layer
    ("scan.pdf", lambda t: drawn_pdf([None]), ("no text layer", "ocrmypdf")),
    # text on page 1, a scanned page 2: its text would silently be missing
    ("partly.pdf", lambda t: drawn_pdf(["BV Beschluss B-2025/33-IT", None]),
     ("page(s) 2", "without a text layer", "ocrmypdf")),
    # blank pages only
    ("blankpages.pdf", lambda t: drawn_pdf(["", ""]), ("no text layer",)),
    # a valid PDF with zero pages
    ("nopages.pdf", lambda t: no_pages(), ("no pages",)),
]


@pytest.mark.parametrize(("name", "build", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_a_loader_error(tmp_path: Path, name: str,
                                     build: Callable[[Path], bytes],
                                     expected: tuple[str, ...]) -> None:
    path = tmp_path / name
    path.write_bytes(build(tmp_path))
    with pytest.raises(LoaderError) as caught:
        read_source(path)
    message = str(caught.value)
    assert caught.value.document == name
    assert message.startswith(name)
    for part in expected:
        assert part in message


def test_encoding_error_carries_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("48. Sitzung\n\nOrt: Stralsund\nBegrüßung\n".encode("latin-1"))
    with pytest.raises(LoaderError) as caught:
        read_source(path)
    assert (caught.value.line, caught.value.column) == (4, 5)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoaderError, match=r"^gone\.pdf: cannot read the file"):
        read_source(tmp_path / "gone.pdf")


def test_owner_password_only_is_readable(tmp_path: Path) -> None:
    """Published PDFs are often encrypted with an empty user password (print/copy flags
    only); they open without a password and must load."""
    path = tmp_path / "restricted.pdf"
    path.write_bytes(encrypted(tmp_path, "AES-128", user_password=""))
    source = read_source(path)
    assert source.lines[:3] == ["48. IT-Planungsratssitzung", "", "Begrüßung"]
    assert source.pages is not None and source.pages[-1] == 4


@functools.cache
def small_pdf_bytes() -> bytes:
    """Built once; not a fixture, so Hypothesis does not print 25 kB of it on failure."""
    with tempfile.TemporaryDirectory(prefix="pdf-small-") as tmp:
        return small_pdf(Path(tmp))


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_pdf_never_leaks_a_library_exception(tmp_path: Path,
                                                     data: st.DataObject) -> None:
    """Truncated, spliced or byte-flipped PDFs load or fail with a LoaderError."""
    damaged = bytearray(small_pdf_bytes())
    size = len(damaged)
    kind = data.draw(st.sampled_from(["truncate", "cut", "flip"]))
    if kind == "truncate":
        damaged = damaged[: data.draw(st.integers(8, size - 1))]
    elif kind == "cut":
        start = data.draw(st.integers(8, size - 1))
        del damaged[start: start + data.draw(st.integers(1, 2000))]
    else:
        for _ in range(data.draw(st.integers(1, 20))):
            damaged[data.draw(st.integers(8, size - 1))] = data.draw(st.integers(0, 255))
    path = tmp_path / "damaged.pdf"
    path.write_bytes(bytes(damaged))
    try:
        source = read_source(path)
    except LoaderError as exc:
        assert exc.document == "damaged.pdf"
    else:
        assert source.kind == "pdf" and source.pages is not None
        assert len(source.lines) == len(source.pages)


# -- issue 9 item 7: only regular files are read -------------------------------------------

def make_socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        try:
            sock.bind(str(path))
        except OSError as exc:  # a tmp path longer than a socket address allows
            pytest.skip(f"cannot bind a Unix socket here: {exc}")


def make_fifo_link(path: Path) -> None:
    os.mkfifo(path.with_name("pipe"))
    path.symlink_to(path.with_name("pipe"))


# (name given to read_source, how to make it, the whole message)
NOT_REGULAR: list[tuple[str, Callable[[Path], None], str]] = [
    # a named pipe: reading it blocked until a writer appeared, i.e. forever in a batch load
    ("protokoll.txt", os.mkfifo,
     "protokoll.txt: a named pipe (FIFO), not a regular file; only regular files are read"),
    # a symlink to a named pipe: the target counts
    ("link.pdf", make_fifo_link,
     "link.pdf: a named pipe (FIFO), not a regular file; only regular files are read"),
    # a Unix socket
    ("sock.txt", make_socket,
     "sock.txt: a socket, not a regular file; only regular files are read"),
    # a directory where a protocol file is expected
    ("folder.txt", Path.mkdir,
     "folder.txt: a directory, not a regular file; only regular files are read"),
]


@pytest.mark.parametrize(("name", "make", "message"), NOT_REGULAR,
                         ids=[c[0] for c in NOT_REGULAR])
def test_only_regular_files_are_read(tmp_path: Path, name: str,
                                     make: Callable[[Path], None], message: str) -> None:
    path = tmp_path / name
    make(path)
    guarded = path.resolve() if path.is_symlink() else path
    with unblocking(guarded), pytest.raises(LoaderError) as caught:
        read_source(path)
    assert str(caught.value) == message
    assert caught.value.document == name


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_is_refused_not_read_forever() -> None:
    # /dev/zero never ends: reading it would fill the memory
    with pytest.raises(LoaderError, match=r"^zero: a character device, not a regular file"):
        read_source(Path("/dev/zero"))


# -- issue 9 item 6: input caps --------------------------------------------------------------

# (file name, its bytes, the limits, the whole message)
LIMIT_CASES: list[tuple[str, bytes, InputLimits, str]] = [
    # larger than max_file_bytes: refused from stat, before a byte is read
    ("big.txt", b"Begruessung\n" * 100, InputLimits(max_file_bytes=1_000),
     "big.txt: the file is too large: 1,200 bytes; the limit is 1,000 bytes "
     "(KG_MAX_FILE_BYTES)"),
    # a PDF is checked the same way, before the %PDF- sniffing and pdfplumber
    ("big.pdf", b"%PDF-1.7\n" + bytes(2_000), InputLimits(max_file_bytes=1_000),
     "big.pdf: the file is too large: 2,009 bytes; the limit is 1,000 bytes "
     "(KG_MAX_FILE_BYTES)"),
    # one line above max_line_chars: its number is named (line 3)
    ("long.txt", b"48. Sitzung\n\n" + b"x" * 150 + b"\nEnde\n", InputLimits(max_line_chars=100),
     "long.txt:3: line too long: 150 characters; the limit is 100 (KG_MAX_LINE_CHARS); "
     "a protocol line is a few hundred characters at most"),
    # the cap counts characters, not bytes: line 1 (60 "ü", 120 bytes) passes, line 2 does not
    ("umlaut.txt", "ü".encode() * 60 + b"\n" + b"y" * 101, InputLimits(max_line_chars=100),
     "umlaut.txt:2: line too long: 101 characters; the limit is 100 (KG_MAX_LINE_CHARS); "
     "a protocol line is a few hundred characters at most"),
    # the whole text above max_text_chars: 200 lines of 4 characters, each with its line end
    ("many.txt", b"abcd\n" * 200, InputLimits(max_text_chars=500),
     "many.txt: the text is too long: 1,000 characters; the limit is 500 (KG_MAX_TEXT_CHARS)"),
]


@pytest.mark.parametrize(("name", "data", "limits", "message"), LIMIT_CASES,
                         ids=[c[0] for c in LIMIT_CASES])
def test_input_caps(tmp_path: Path, name: str, data: bytes, limits: InputLimits,
                    message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoaderError) as caught:
        read_source(path, limits)
    assert str(caught.value) == message


def test_size_is_checked_before_reading(tmp_path: Path) -> None:
    """A sparse 10 GB file costs no disk; reading it would cost 10 GB of memory."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(10_000_000_000)
    with pytest.raises(LoaderError) as caught:
        read_source(path)
    assert str(caught.value) == ("huge.txt: the file is too large: 10,000,000,000 bytes; the "
                                 "limit is 50,000,000 bytes (KG_MAX_FILE_BYTES)")


def test_a_50_mb_line_is_refused_by_number(tmp_path: Path) -> None:
    """The single 50 MB line that never finished parsing: refused before any regex sees it,
    also when the file cap is raised above its size."""
    path = tmp_path / "one-line.txt"
    path.write_bytes(b"48. Sitzung\n" + b"x" * 50_000_000 + b"\n")
    with pytest.raises(LoaderError) as caught:
        read_source(path, InputLimits(max_file_bytes=60_000_000, max_text_chars=60_000_000))
    assert str(caught.value).startswith(
        "one-line.txt:2: line too long: 50,000,000 characters; the limit is 100,000")


def test_limits_reach_pdf_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """read_source passes its limits on as `pdf_lines(path, data, limits)`, and still calls a
    two-argument pdf_lines correctly; the line cap applies to the text layer either way."""
    import loaders.pdf

    path = tmp_path / "p.pdf"
    path.write_bytes(b"%PDF-1.7\n%%EOF\n")
    limits = InputLimits(max_line_chars=100)
    seen: list[InputLimits] = []

    def with_limits(p: Path, data: bytes, lim: InputLimits) -> tuple[list[str], list[int]]:
        seen.append(lim)
        return ["BV Beschluss B-2025/33-IT"], [1]

    monkeypatch.setattr(loaders.pdf, "pdf_lines", with_limits)
    assert read_source(path, limits).lines == ["BV Beschluss B-2025/33-IT"]
    assert seen == [limits]

    def without_limits(p: Path, data: bytes) -> tuple[list[str], list[int]]:
        return ["Kopf", "z" * 101], [1, 2]

    monkeypatch.setattr(loaders.pdf, "pdf_lines", without_limits)
    with pytest.raises(LoaderError, match=r"^p\.pdf:2: line too long: 101 characters"):
        read_source(path, limits)
