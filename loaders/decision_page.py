"""A decision page of the council's website → one `Resolution` with its source spans.

Layout (the site's pages, saved as text or as HTML): the title, then one line
"26.03.2025 | 46. Sitzung | Beschluss 2025/03" (often led by "IT-Planungsrat |"; a circular
procedure says "Umlaufverfahren" and names no session; newer pages write the id
"B-2025/33-IT", older ones "Entscheidung"), then the text: a preamble and numbered points
("1." or, on pages whose numbering was lost, one "-" bullet per point).

HTML is read with selectolax (CSS selectors pick the main content; no pattern ever looks at
markup); its text goes through the same text parser. Line numbers of HTML pages are lines of
the HTML file. References, mandates, amounts and mentions are extracted by the protocol
loader's own extraction (one implementation).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from loaders.gazetteer import Gazetteer, default_gazetteer
from loaders.limits import DEFAULT_LIMITS, InputLimits
from loaders.protocol import ProtocolParser
from loaders.read import SourceText, check_text_size, decode_text, read_regular_file
from loaders.records import LoaderError, ParseWarning, Point, Resolution
from loaders.references import canonical_from_identifier
from loaders.register import iri_problem
from loaders.text import Line, clean_lines, join_lines, join_text, span_of

HTML_SUFFIXES = frozenset({".html", ".htm"})
HEAD_LINES = 40  # the decision line is among the first lines of a saved page

# "IT-Planungsrat | 26.11.2025 | 48. Sitzung | B-2025/33-IT": body (optional), date,
# procedure (session number, "Sondersitzung" or "Umlaufverfahren"), id
DECISION_LINE = re.compile(
    r"^(?:(?P<body>[^|\d][^|]{1,60}?)\s*\|\s*)?"
    r"(?P<date>\d{1,2}\.\d{1,2}\.\d{4})\s*\|\s*"
    r"(?P<procedure>(?P<session>\d{1,4})\.\s*(?P<special>Sonder)?[Ss]itzung|Sondersitzung"
    r"|Umlaufverfahren|Umlaufbeschluss)\s*\|\s*(?P<id>.*?)\s*$")
# any line shaped like one (a date between bars): a decision line that could not be read
LOOSE_DECISION_LINE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}\s*\|.*\|")
_ID = re.compile(r"^(?:(?P<word>Beschluss|Entscheidung|Umlaufbeschluss)(?:\s+Nr\.)?\s*:?\s*)?"
                 r"(?P<ident>[BF]-\d{4}/\d+-(?:IT|AL)|\d{4}[/-]\d+(?:-AL)?)$")
_BODIES = {"it-planungsrat": "it-planungsrat", "al-runde": "al-runde",
           "abteilungsleiterrunde": "al-runde"}
# where the text of a page saved as plain text ends: the site's navigation after it
_FOOTER = re.compile(r"^(?:Zurück(?: zur Übersicht)?|Nach oben|Seite teilen|Drucken|"
                     r"Diese Seite:?|Fassung vom:?)\b", re.I)

# points: "1. text", "1) text", "2.1 text"; "1." or "- 1." alone with the text below it
_NUMBERED = re.compile(r"^(?:(\d{1,2}\.\d{1,2})\.?|(\d{1,2})[.)])\s+(\S.*)$")
_NUMBER_ALONE = re.compile(r"^(?:[-–]\s*)?(\d{1,2})[.)]$")
_BULLET = re.compile(r"^[-–•]\s+(\S.*)$")
_DASH_ALONE = re.compile(r"^[-–]$")
_MARKER = re.compile(r"^(?:[-–]\s*)?(?:\d{1,2}(?:\.\d{1,2})?[.)]?|[-–•])\s*")


@dataclass
class DecisionPage:
    """Everything read from one decision page."""

    document: str
    resolution: Resolution
    kind_word: str  # "Beschluss" or "Entscheidung", as the page writes it
    source_format: str  # "txt" or "html"
    sha256: str = ""
    warnings: list[ParseWarning] = field(default_factory=list)


# -- reading -------------------------------------------------------------------------------


def page_lines(path: Path, limits: InputLimits = DEFAULT_LIMITS
               ) -> tuple[list[Line], str, str, str | None]:
    """(lines, sha256, format, canonical URL) of a saved page: HTML through selectolax, text
    as it is."""
    path = Path(path)
    data = read_regular_file(path, path.name, limits)
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise LoaderError(path.name, "the file is empty; expected a decision page")
    if path.suffix.lower() in HTML_SUFFIXES:
        lines, url = html_lines(path.name, data, limits)
        return lines, digest, "html", url
    text = decode_text(path.name, data)
    check_text_size(path.name, text, limits)
    source = SourceText(path.name, path, text, None, digest, "txt")
    return clean_lines(source), digest, "txt", None


_MAIN = ("main article", "main", "article", "[role=main]", "#content", "#main", ".content",
         "body")
_DROP = ("script", "style", "noscript", "template", "nav", "footer", "aside", "form", "iframe",
         "svg", "button", ".breadcrumb", ".skip-links")
_BLOCKS = frozenset({"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5",
                     "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr", "blockquote",
                     "pre", "figure", "figcaption", "br", "hr", "address", "header"})


def html_lines(name: str, data: bytes, limits: InputLimits = DEFAULT_LIMITS
               ) -> tuple[list[Line], str | None]:
    """The main content of a saved HTML page as text lines (one per block, "N." before the
    items of an ordered list, "•" before nested bullets), each numbered with the line of the
    HTML file where its text starts, and the page's canonical URL."""
    from selectolax.lexbor import LexborHTMLParser  # noqa: PLC0415 - only HTML needs it

    raw = "\n".join(decode_text(name, data))
    # markup may be one long line (minified); the line cap applies to the text read from it
    if len(raw) > limits.max_text_chars:
        raise LoaderError(name, f"the file is too long: {len(raw):,} characters; the limit is "
                          f"{limits.max_text_chars:,} (KG_MAX_TEXT_CHARS)")
    tree = LexborHTMLParser(raw)
    url = None
    for selector in ('link[rel="canonical"]', 'meta[property="og:url"]'):
        node = tree.css_first(selector)
        if node is not None:
            url = node.attributes.get("href") or node.attributes.get("content")
            if url:
                break
    if tree.body is None:
        raise LoaderError(name, "an HTML file without a body; expected a saved decision page")
    for selector in _DROP:
        for node in tree.body.css(selector):
            node.decompose()
    # the narrowest main content that holds the decision line; else the whole body
    lines: list[Line] = []
    for selector in _MAIN:
        node = tree.css_first(selector)
        if node is None:
            continue
        writer = _HtmlText(raw)
        try:
            writer.walk(node, depth=0)
        except RecursionError:
            raise LoaderError(name, "the HTML nests its elements too deeply to be read; "
                              "expected a saved decision page") from None
        writer.flush()
        lines = writer.lines
        if find_decision_line(lines) is not None:
            break
    # the URL becomes an IRI of the graph: one that is not a valid IRI is left out
    check_text_size(name, [line.text for line in lines], limits)
    return lines, url if url and iri_problem(url) is None else None


class _HtmlText:
    """Walks the element tree and writes one line per block. The HTML line of a text is found
    by searching the source for its first words after the previous text's position (text
    written with entities is searched by the part before the first one)."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        # texts are searched from the body on: the head's <title> repeats the page title
        self.cursor = max(raw.lower().find("<body"), 0)
        self.cursor_line = raw.count("\n", 0, self.cursor) + 1  # counted as the cursor moves
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.prefix = ""
        self.line_no: int | None = None
        self.gap = 1

    def _locate(self, text: str) -> int:
        # the first run of plain characters long enough to be found: entities and non-ASCII
        # letters may be written either way in the source
        words = text.strip().split("\n", 1)[0][:120]  # as written: within one source line
        runs = [run.strip() for run in re.split(r"[&<>\"'\x80-\U0010ffff]", words)]
        needle = next((run for run in runs if len(run) >= 8), max(runs, key=len, default=""))
        if len(needle) >= 3:
            found = self.raw.find(needle, self.cursor)
            if found >= 0:
                self.cursor_line += self.raw.count("\n", self.cursor, found)
                self.cursor = found + len(needle)
        return self.cursor_line

    def flush(self, gap: int = 1) -> None:
        text = " ".join("".join(self.parts).split())
        if text:
            self.lines.append(Line(self.line_no or 1, self.prefix + text, self.gap, None))
            self.gap = gap
            self.prefix = ""  # a list item's number stays until its first text is written
        self.parts, self.line_no = [], None

    def walk(self, node: object, depth: int) -> None:
        index = 0
        start = 1
        tag = getattr(node, "tag", "")
        if tag == "ol":
            value = (getattr(node, "attributes", {}) or {}).get("start") or "1"
            start = int(value) if value.isdigit() else 1
        for child in node.iter(include_text=True):  # type: ignore[attr-defined]
            if child.tag == "-text":
                text = child.text(deep=False)
                if text.strip():
                    if self.line_no is None:
                        self.line_no = self._locate(text)
                    self.parts.append(text)
                continue
            if child.tag not in _BLOCKS:
                self.walk(child, depth)
                continue
            self.flush(gap=1 if child.tag not in ("li", "br") else 0)
            if child.tag == "li":
                indent = "  " * depth
                if tag == "ol":
                    self.prefix = f"{indent}{start + index}. "
                else:
                    self.prefix = f"{indent}{'•' if depth else '-'} "
                index += 1
                self.gap = 0
                self.walk(child, depth + 1)
                self.flush(gap=0)
            else:
                self.walk(child, depth)
                self.flush()


# -- parsing -------------------------------------------------------------------------------


def parse_decision_page(path: Path, limits: InputLimits = DEFAULT_LIMITS,
                        gazetteer: Gazetteer | None = None) -> DecisionPage:
    lines, digest, fmt, url = page_lines(path, limits)
    page = parse_page_lines(Path(path).name, lines, fmt, gazetteer)
    page.resolution.source_url = url
    page.sha256 = digest
    return page


def find_decision_line(lines: list[Line]) -> int | None:
    """Index of the decision line among the first lines, or None."""
    for index, line in enumerate(lines[:HEAD_LINES]):
        if DECISION_LINE.match(line.stripped) or LOOSE_DECISION_LINE.search(line.stripped):
            return index
    return None


def parse_page_lines(document: str, lines: list[Line], source_format: str = "txt",
                     gazetteer: Gazetteer | None = None) -> DecisionPage:
    gaz = gazetteer or default_gazetteer()
    if not lines:
        raise LoaderError(document, "no text found; expected a decision page")
    index = find_decision_line(lines)
    if index is None:
        raise LoaderError(document, "not a decision page: expected a line like "
                          "'26.03.2025 | 46. Sitzung | Beschluss 2025/03' (or 'Umlaufverfahren' "
                          f"instead of the session) in the first {HEAD_LINES} lines",
                          line=lines[0].no)
    meta_line = lines[index]
    meta = DECISION_LINE.match(meta_line.stripped)
    if meta is None:
        raise LoaderError(document, "the decision line cannot be read: expected "
                          "'DD.MM.YYYY | N. Sitzung | Beschluss YYYY/NN' or "
                          "'DD.MM.YYYY | Umlaufverfahren | Beschluss YYYY/NN', got "
                          f"{meta_line.stripped!r}", line=meta_line.no)
    ident = _ID.match(meta["id"])
    canonical_id = canonical_from_identifier(ident["ident"]) if ident else None
    if ident is None or canonical_id is None:
        raise LoaderError(document, f"the decision line names no decision id: expected "
                          f"'Beschluss 2025/03' or 'B-2025/33-IT' after the last '|', got "
                          f"{meta['id']!r}", line=meta_line.no)
    date = _date(meta["date"])
    if date is None:
        raise LoaderError(document, f"impossible date {meta['date']!r} in the decision line",
                          line=meta_line.no)
    title = _title(lines[:index])
    if not title:
        raise LoaderError(document, "no title above the decision line", line=meta_line.no)
    body = _body(lines[index + 1:])
    if not body:
        raise LoaderError(document, "the decision line is not followed by the decision's "
                          "text", line=meta_line.no)
    procedure = ("Umlaufverfahren" if meta["procedure"].startswith("Umlauf") else
                 "Sondersitzung" if meta["special"] or meta["procedure"] == "Sondersitzung"
                 else "Sitzung")
    # the council's pages name no body or "IT-Planungsrat"
    body_slug = _BODIES.get((meta["body"] or "").strip().lower(), "it-planungsrat")
    if canonical_id.endswith("-AL"):
        body_slug = "al-runde"
    res = Resolution(
        identifier=ident["ident"], canonical_id=canonical_id, text=join_lines(body),
        span=span_of(document, [meta_line, *body]), title=title, date=date,
        session_number=int(meta["session"]) if meta["session"] else None,
        body=body_slug, procedure=procedure)
    preamble, points = split_points(document, body)
    res.preamble = join_lines(preamble)
    res.points = points
    warnings = extract(res, document, gaz)
    return DecisionPage(document, res, ident["word"] or "Beschluss", source_format,
                        warnings=warnings)


def _date(text: str) -> dt.date | None:
    day, month, year = (int(x) for x in text.split("."))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _title(before: list[Line]) -> str:
    """The block of lines right above the decision line (at most three wrapped lines)."""
    block: list[Line] = []
    for line in reversed(before):
        block.insert(0, line)
        if line.gap or len(block) == 3:
            break
    return join_lines(block)


def _body(lines: list[Line]) -> list[Line]:
    body = []
    for line in lines:
        if _FOOTER.match(line.stripped):
            break
        body.append(line)
    return body


def split_points(document: str, lines: list[Line]) -> tuple[list[Line], list[Point]]:
    """(preamble lines, points) of a decision's text. Top-level points are numbered 1, 2, 3 …
    in order ("1.", "1)", "- 1." or "1." alone with the text below), sub-points 2.1, 2.2 under
    their point; "a)" items and indented bullets stay in their point's text. Without any
    numbered point, "-" bullets at the margin are the points, counted in order."""
    preamble: list[Line] = []
    groups: list[tuple[str, str | None, list[Line]]] = []
    top_expected, sub_expected = 1, 1
    current_top: str | None = None
    numbered = any(_NUMBERED.match(ln.stripped) or _NUMBER_ALONE.match(ln.stripped)
                   for ln in lines)
    bullet_indent: int | None = None
    for line in lines:
        text = line.stripped
        indent = len(line.text) - len(line.text.lstrip())
        alone = _NUMBER_ALONE.match(text)
        m = _NUMBERED.match(text)
        number = alone[1] if alone else (m[1] or m[2]) if m else None
        if number is not None:
            parts = number.split(".")
            if len(parts) == 1 and int(number) == top_expected:
                groups.append((number, None, [line]))
                current_top, top_expected, sub_expected = number, top_expected + 1, 1
                continue
            if len(parts) == 2 and parts[0] == current_top and int(parts[1]) == sub_expected:
                groups.append((number, current_top, [line]))
                sub_expected += 1
                continue
        if not numbered and _BULLET.match(text) and (bullet_indent is None
                                                     or indent <= bullet_indent):
            bullet_indent = indent
            groups.append((str(len(groups) + 1), None, [line]))
            continue
        if _DASH_ALONE.match(text) and groups and len(groups[-1][2]) == 1:
            continue  # the empty second cell of "- 1." / "-" / text
        (groups[-1][2] if groups else preamble).append(line)
    points = []
    for number, parent, group in groups:
        text = join_text([_MARKER.sub("", group[0].stripped, count=1)]
                         + [ln.text for ln in group[1:] if not _DASH_ALONE.match(ln.stripped)])
        points.append(Point(number=number, text=text, parent=parent,
                            span=span_of(document, group)))
    return preamble, points


def extract(res: Resolution, document: str, gazetteer: Gazetteer) -> list[ParseWarning]:
    """References, amounts, mandates (with deadlines), mentions, body changes and dates of
    effect, found exactly as in a protocol: the protocol loader's own extraction."""
    parser = ProtocolParser(SourceText(document, Path(document), [], None, "", "txt"),
                            gazetteer)
    parser._extract(res)
    return parser.warnings
