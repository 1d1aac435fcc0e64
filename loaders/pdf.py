"""The text layer of a PDF as lines with their 1-based page numbers (PDFium, via pypdfium2).

Why PDFium: it reads the seed protocol's PDF in about a quarter of the time pypdf's plain
`extract_text` takes, where pdfplumber (pdfminer) took 9 times as long; it gives every
character's position, so the reading order and the layout come from the page, not from the
order of the content stream. See loaders/PDF.md and bench/pdf_extractors.py for the
measurements.

One output line per text line of the page, top to bottom, never joined or split. The parser
reads layout from the published text layer (the .txt), so the same signals are rebuilt from
the glyph positions:
- runs of spaces: a gap between words wider than a (justified) space keeps its width in
  spaces (table columns, tab stops);
- indentation: a line that starts right of the body's left edge gets leading spaces, one per
  ~0.3 em (bulleted subtitles in the agenda table are indented);
- vertical space: blank lines, where a normal line break is one blank line (the protocols'
  text layer is double-spaced) and larger gaps give more (`gap >= 2` marks a paragraph or a
  redacted passage for the parser). Blank lines carry the page of the text line after them.
Every failure is a `LoaderError` naming the file and, where it applies, the page; no PDFium
error leaves this module. Input caps (`InputLimits`) are checked before a page is parsed and
after each page, so an oversized document is refused early.
"""

from __future__ import annotations

import base64
import binascii
import ctypes
import math
import re
import threading
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pypdfium2  # noqa: F401 - initialises the PDFium library on import
import pypdfium2.raw as fpdf

from loaders.limits import DEFAULT_LIMITS, InputLimits
from loaders.records import LoaderError

# Words whose baselines differ by at most this many points are on one line.
Y_TOLERANCE = 3.0
# Width of one space, as a share of the font size (Arial 0.28 em, DejaVu Sans 0.32 em).
SPACE_EM = 0.3
# A gap between words wider than this many spaces is kept as a run of spaces (tab stops,
# table columns); narrower ones, including the stretched spaces of justified text, are one.
WIDE_GAP = 1.75

OCR_HINT = "run OCR first (e.g. `ocrmypdf in.pdf out.pdf`)"
REPAIR_HINT = "download or export it again"

# Word and the Symbol/Wingdings fonts put bullets and arrows into the private use area
# (U+F0B7 is the Word bullet). They carry no text; the published text layer of the protocols
# drops them, so the lines read the same as the .txt.
_SYMBOL_FONT_GLYPHS = re.compile("[\uf000-\uf0ff]")
# Glyphs without a Unicode mapping come out as control characters (reportlab: U+0000) or as
# PDFium's "no mapping" U+FFFE.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\u00ad": ""})
# Any character the three replacements above touch (most words have none).
_TO_CLEAN = re.compile("[\uf000-\uf0ff\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ufb00-\ufb04\u00ad]")
# PDFium joins a word hyphenated at the end of a line with its rest on the next line, and
# marks the hyphen (U+0002 per character, U+FFFE in its text). The text layer keeps both
# lines (the parser joins them): the word is cut after the mark, which becomes "-" again.
_HYPHEN_MARK = re.compile("[\x02\ufffe]")
_WORD = re.compile(r"\S+")

# A PDF ends with %%EOF within its last 1024 bytes (PDF 1.7, annex H.3, note 18). Without it
# the file was cut off: PDFium would repair what is left and read some of the pages.
EOF_WINDOW = 1024
# The keyword of a stream and the dictionary before it (for the decompressed-size check).
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\n|\r)")
# Streams PDFium never decodes to read the text: images (decoded only to render them) and
# attached files. Everything else counts, font programs included (loaded whole when a font
# is first used).
_NOT_CONTENT = re.compile(rb"/Subtype\s*/Image\b|/Type\s*/EmbeddedFile\b")
_FILTERS = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_FILTER_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_INFLATE_CHUNK = 1 << 20

# PDFium keeps global state and is not thread-safe: one document at a time per process.
# (Parallel loads parse in processes, each with its own PDFium.)
_PDFIUM = threading.Lock()
# Out-parameters of PDFium calls, reused under that lock (allocating two per word costs more
# than the call).
_X = ctypes.c_double()
_Y = ctypes.c_double()
_MATRIX = fpdf.FS_MATRIX()


@dataclass(frozen=True)
class TextLine:
    page: int  # 1-based
    top: float  # distance of the line's baseline from the top of the page, in points
    x0: float  # left edge of its first glyph
    size: float  # font size of its first word
    text: str


@dataclass
class _Word:
    text: str
    x0: float
    top: float  # baseline, from the top of the page
    size: float
    end: int  # index of the character after the word in the page's character list
    space_after: bool  # that character is a space (drawn or inserted by PDFium)
    x1: float | None = None  # right edge, looked up only when a word follows on its line


def pdf_lines(path: Path, data: bytes,
              limits: InputLimits = DEFAULT_LIMITS) -> tuple[list[str], list[int]]:
    """Lines of the text layer and the 1-based page of each line."""
    name = Path(path).name
    check_bytes(name, data, limits)
    with _PDFIUM:
        found, page_count = text_lines(name, data, limits)
    if not found:
        raise LoaderError(name, f"the PDF has no text layer (only images or nothing on its "
                                f"{page_count} page(s)); {OCR_HINT}")
    return layout(found)


# -- before PDFium sees the file -------------------------------------------------------------


def check_bytes(name: str, data: bytes, limits: InputLimits) -> None:
    """Refuse a cut-off file and a decompression bomb before parsing: PDFium repairs a
    truncated file silently, and it expands a page's whole content when it loads the page
    (about 10 bytes of memory per byte of content, and 250 per character of text)."""
    if b"%%EOF" not in data[-EOF_WINDOW:]:
        raise LoaderError(name, "the PDF is truncated or corrupted (its end-of-file marker "
                                f"%%EOF is missing, e.g. after an interrupted download); "
                                f"{REPAIR_HINT}")
    inflated = content_bytes(data, limits.max_decompressed_bytes)
    if inflated > limits.max_decompressed_bytes:
        raise LoaderError(name, f"the PDF's content expands to more than "
                                f"{limits.max_decompressed_bytes:,} bytes when decompressed "
                                f"(a protocol has a few MB); the limit is "
                                f"max_decompressed_bytes (KG_MAX_DECOMPRESSED_BYTES)")


def content_bytes(data: bytes, cap: int) -> int:
    """The size of the streams other than images and attached files once decoded:
    more than `cap` exactly when they exceed it (counted to just past it, so a bomb costs
    at most `cap` bytes of inflating), else an upper bound of it.

    A rough scan of the bytes, not a parser: a stream whose filters it does not decode
    (encrypted ones, LZW, a /Filter given by reference) counts as zero, and PDFium reads it
    as usual. Streams are decoded only while their largest possible size could still pass
    the cap (Flate inflates at most 1032-fold): a protocol of normal size costs no decoding.
    """
    streams = []
    for m in _STREAM.finditer(data):
        head = data[max(0, m.start() - 4096): m.start()]
        head = head[head.rfind(b"obj") + 1:]  # the stream's own dictionary
        if _NOT_CONTENT.search(head):
            continue
        end = data.find(b"endstream", m.end())
        body = data[m.end(): end if end >= 0 else len(data)]
        found = _FILTERS.search(head)
        filters = _FILTER_NAME.findall(found.group(1)) if found else []
        streams.append((body, filters, largest_size(len(body), filters)))
    bound = sum(largest for _, _, largest in streams)
    total = 0
    for body, filters, largest in streams:
        if total + bound <= cap:
            return total + bound  # even at their largest, the rest stays under the cap
        bound -= largest
        total += decoded_size(body, filters, cap - total)
        if total > cap:
            break
    return total


def largest_size(length: int, filters: list[bytes]) -> int:
    """An upper bound of a stream's decoded size (0 for filters not decoded here)."""
    for name in filters[:-1] if filters[-1:] == [b"FlateDecode"] else filters:
        if name in (b"ASCII85Decode", b"A85"):
            length = length * 4 // 5 + 4
        elif name in (b"ASCIIHexDecode", b"AHx"):
            length = length // 2 + 1
        else:
            return 0
    return length * 1032 + 64 if filters[-1:] == [b"FlateDecode"] else length


def decoded_size(body: bytes, filters: list[bytes], cap: int) -> int:
    """The length of `body` after its filters, up to just past `cap`; 0 when it cannot be
    decoded here."""
    try:
        for name in filters[:-1] if filters[-1:] == [b"FlateDecode"] else filters:
            if name in (b"ASCII85Decode", b"A85"):
                body = base64.a85decode(body.strip().removesuffix(b"~>"))
            elif name in (b"ASCIIHexDecode", b"AHx"):
                digits = re.sub(rb"[^0-9A-Fa-f]", b"", body.split(b">", 1)[0])
                body = binascii.unhexlify(digits + b"0" * (len(digits) % 2))
            else:
                return 0
        if filters[-1:] != [b"FlateDecode"]:
            return len(body)
        inflater = zlib.decompressobj()
        size = 0
        chunk = inflater.decompress(body, min(_INFLATE_CHUNK, cap - size + 1))
        while True:
            size += len(chunk)
            if size > cap or not inflater.unconsumed_tail:
                return size
            chunk = inflater.decompress(inflater.unconsumed_tail,
                                        min(_INFLATE_CHUNK, cap - size + 1))
    except (ValueError, zlib.error, binascii.Error):
        return 0  # damaged or encrypted: PDFium decides


# -- PDFium ----------------------------------------------------------------------------------


def text_lines(name: str, data: bytes, limits: InputLimits) -> tuple[list[TextLine], int]:
    document = fpdf.FPDF_LoadMemDocument64(data, len(data), None)
    if not document:
        raise LoaderError(name, describe_load_error(fpdf.FPDF_GetLastError(), data))
    try:
        page_count = fpdf.FPDF_GetPageCount(document)
        if page_count < 1:
            raise LoaderError(name, "the PDF has no pages")
        if page_count > limits.max_pages:
            raise LoaderError(name, f"the PDF has {page_count:,} pages; the limit is "
                                    f"{limits.max_pages:,} (KG_MAX_PAGES)")
        if b"/MediaBox" not in data and b"/ObjStm" not in data:
            # No page has a size (a required entry; one in an object stream would be
            # compressed, so only a file without them can be judged by its bytes). PDFium
            # would assume US Letter and drop the text outside it.
            raise LoaderError(name, f"the PDF is corrupted (its pages have no MediaBox, the "
                                    f"page size); {REPAIR_HINT}")
        found: list[TextLine] = []
        scanned: list[int] = []  # pages that hold an image but no text
        chars = 0
        for index in range(page_count):
            page_no = index + 1
            page = fpdf.FPDF_LoadPage(document, index)
            if not page:
                raise LoaderError(name, f"page {page_no}: the PDF is corrupted (PDFium cannot "
                                        f"load the page); {REPAIR_HINT}")
            try:
                on_page, chars = page_lines(name, page, page_no, chars, limits)
                if not on_page and has_image(page):
                    scanned.append(page_no)
                found.extend(on_page)
            finally:
                fpdf.FPDF_ClosePage(page)
    finally:
        fpdf.FPDF_CloseDocument(document)
    if found and scanned:
        listed = ", ".join(str(n) for n in scanned)
        raise LoaderError(name, f"page(s) {listed} are images without a text layer, so their "
                                f"text would be missing; {OCR_HINT}")
    return found, page_count


def describe_load_error(code: int, data: bytes) -> str:
    """A user-facing reason for a document PDFium cannot open."""
    # PDFium's error code is process-wide and not set on every failure path, so a password
    # error counts only for an encrypted file: its /Encrypt entry sits in the trailer (or the
    # xref stream's dictionary), never compressed.
    if code in (fpdf.FPDF_ERR_PASSWORD, fpdf.FPDF_ERR_SECURITY) and b"/Encrypt" in data:
        return ("the PDF is encrypted and needs a password to open; save a decrypted copy "
                "first, e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`")
    if code == fpdf.FPDF_ERR_FILE:
        return f"the PDF is truncated or corrupted (PDFium cannot read it); {REPAIR_HINT}"
    return f"the PDF is truncated or corrupted (PDFium cannot open it); {REPAIR_HINT}"


def page_lines(name: str, page: object, page_no: int, chars_before: int,
               limits: InputLimits) -> tuple[list[TextLine], int]:
    """The text lines of one page, and the characters of the pages so far, this one included
    (checked here, page by page: a bomb stops at the page that crosses the limit)."""
    textpage = fpdf.FPDFText_LoadPage(page)
    if not textpage:
        raise LoaderError(name, f"page {page_no}: the PDF is corrupted (PDFium cannot read "
                                f"its text); {REPAIR_HINT}")
    try:
        chars = chars_before + fpdf.FPDFText_CountChars(textpage)
        if chars > limits.max_text_chars:
            raise LoaderError(name, f"page {page_no}: the text is too long: {chars:,} "
                                    f"characters up to this page; the limit is "
                                    f"{limits.max_text_chars:,} (KG_MAX_TEXT_CHARS)")
        count = chars - chars_before
        box = fpdf.FS_RECTF()
        if not fpdf.FPDF_GetPageBoundingBox(page, box):
            raise LoaderError(name, f"page {page_no}: the PDF is corrupted (no page size); "
                                    f"{REPAIR_HINT}")
        words = page_words(textpage, count, box)
        return rows(textpage, words, page_no), chars
    finally:
        fpdf.FPDFText_ClosePage(textpage)


def page_words(textpage: object, count: int, box: fpdf.FS_RECTF) -> list[_Word]:
    """Runs of non-space characters in PDFium's character list, with the position of their
    first character. PDFium inserts a space or line break between glyphs that are apart
    (separate text objects, wide gaps), so a run is one word on the page."""
    text = page_text(textpage, count)
    get_origin = fpdf.FPDFText_GetCharOrigin
    get_size = fpdf.FPDFText_GetFontSize
    get_matrix = fpdf.FPDFText_GetMatrix
    x, y, matrix = _X, _Y, _MATRIX
    left, top, right, bottom = box.left, box.top, box.right, box.bottom
    hyphens = [m.start() for m in _HYPHEN_MARK.finditer(text)
               if fpdf.FPDFText_IsHyphen(textpage, m.start())]
    words = []
    for start, end in _word_spans(text, hyphens):
        word = text[start:end]
        if end - 1 in hyphens:
            word = word[:-1] + "-"
        if not (get_origin(textpage, start, x, y) and get_matrix(textpage, start, matrix)):
            continue
        # PDFium's font size is the one set with Tf; many producers set 1 and scale the text
        # matrix instead ("/F1 1 Tf 9 0 0 9 x y Tm"). The size on the page is both together.
        size = get_size(textpage, start) * math.hypot(matrix.c, matrix.d)
        x0, baseline = x.value, y.value
        # Text outside the page is invisible (and a damaged file can put it at 1e30 or give
        # it font size 0); only what a reader sees counts.
        if not (left <= x0 <= right and bottom <= baseline <= top and math.isfinite(size)
                and size > 0):
            continue
        words.append(_Word(word, x0, top - baseline, size, end, text[end:end + 1] == " "))
    return words


def _word_spans(text: str, hyphens: list[int]) -> Iterator[tuple[int, int]]:
    """Runs of non-space characters, cut after each line-end hyphen mark."""
    for m in _WORD.finditer(text):
        start, end = m.span()
        for mark in hyphens:
            if start <= mark < end - 1:
                yield start, mark + 1
                start = mark + 1
        yield start, end


def page_text(textpage: object, count: int) -> str:
    """The page's characters, one per entry of PDFium's character list: in one call when
    PDFium's text is that list (it leaves out characters without Unicode, and its UTF-16
    splits characters beyond U+FFFF), else character by character."""
    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = fpdf.FPDFText_GetText(textpage, 0, count, buffer)
    text = ctypes.string_at(buffer, max(written - 1, 0) * 2).decode("utf-16-le", "replace")
    if len(text) == count and fpdf.FPDFText_GetTextIndexFromCharIndex(textpage,
                                                                       count - 1) == count - 1:
        return text
    get_unicode = fpdf.FPDFText_GetUnicode
    return "".join([chr(c) if c < 0x110000 else "\ufffd"
                    for c in (get_unicode(textpage, i) for i in range(count))])


def rows(textpage: object, words: list[_Word], page_no: int) -> list[TextLine]:
    """Words → lines: those whose baselines are within Y_TOLERANCE of the previous one
    (top to bottom) form a line, read left to right."""
    out = []
    words.sort(key=lambda w: w.top)
    cluster: list[_Word] = []
    for word in words:
        if cluster and word.top > cluster[-1].top + Y_TOLERANCE:
            out.extend(row_line(textpage, cluster, page_no))
            cluster = []
        cluster.append(word)
    if cluster:
        out.extend(row_line(textpage, cluster, page_no))
    return out


def row_line(textpage: object, cluster: list[_Word], page_no: int) -> list[TextLine]:
    # A dropped glyph (the Word bullet) must not set the line's left edge: the text after it
    # decides whether the line is indented.
    row = [w for w in sorted(cluster, key=lambda w: w.x0) if clean_line(w.text)]
    text = clean_line(join_words(textpage, row)) if row else ""
    if not text:
        return []
    return [TextLine(page_no, min(w.top for w in row), row[0].x0, row[0].size, text)]


def join_words(textpage: object, row: list[_Word]) -> str:
    """One space between words, more where the gap is clearly wider than a (justified) space:
    the text layer keeps tab-aligned columns ("1. Agrarministerkonferenz:    Baden-…") as runs
    of spaces, which the parser reads as a table row."""
    parts = [row[0].text]
    for before, word in zip(row, row[1:], strict=False):
        space = SPACE_EM * word.size
        gap = word.x0 - right_edge(textpage, before)
        parts.append(" " * round(gap / space) if gap > WIDE_GAP * space else " ")
        parts.append(word.text)
    return "".join(parts)


def right_edge(textpage: object, word: _Word) -> float:
    """Where the word's last glyph ends: the origin of the space drawn after it, or else the
    glyph's box (a PDFium call six times as slow, so only where needed)."""
    if word.x1 is None:
        following = word.end
        if (word.space_after and not fpdf.FPDFText_IsGenerated(textpage, following)
                and fpdf.FPDFText_GetCharOrigin(textpage, following, _X, _Y)):
            word.x1 = _X.value
        else:
            box = fpdf.FS_RECTF()
            fpdf.FPDFText_GetLooseCharBox(textpage, following - 1, box)
            word.x1 = box.right
    return word.x1


def has_image(page: object) -> bool:
    """Whether the page draws an image, also inside a form XObject (a scanned page)."""
    stack = [fpdf.FPDFPage_GetObject(page, i) for i in range(fpdf.FPDFPage_CountObjects(page))]
    while stack:
        obj = stack.pop()
        if not obj:
            continue
        kind = fpdf.FPDFPageObj_GetType(obj)
        if kind == fpdf.FPDF_PAGEOBJ_IMAGE:
            return True
        if kind == fpdf.FPDF_PAGEOBJ_FORM:
            stack.extend(fpdf.FPDFFormObj_GetObject(obj, i)
                         for i in range(fpdf.FPDFFormObj_CountObjects(obj)))
    return False


# -- layout ----------------------------------------------------------------------------------


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
    if _TO_CLEAN.search(line):
        line = _CONTROL.sub("", _SYMBOL_FONT_GLYPHS.sub("", line.translate(_LIGATURES)))
    # Some producers write "ü" as "u" + combining diaeresis; the .txt has the composed form.
    if not unicodedata.is_normalized("NFC", line):
        line = unicodedata.normalize("NFC", line)
    return line.strip()
