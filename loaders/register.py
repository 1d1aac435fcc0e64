"""The decision register: a folder with `decisions.csv` (one row per decision) and an optional
`references.csv` (the references the published texts state) → records.

Pure: reads the two files, touches no store. A file that cannot be read as a whole raises a
`LoaderError`; a rejected row is a `LoaderError` (file and line) in `Register.errors` and is
skipped, so one bad row costs that row only, and the caller reports the errors and fails.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import ipaddress
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loaders.gazetteer import default_gazetteer
from loaders.limits import DEFAULT_LIMITS, InputLimits
from loaders.read import read_regular_file
from loaders.records import (
    LoaderError,
    ParseWarning,
    Point,
    Reference,
    RelationKind,
    Resolution,
    Span,
)
from loaders.references import canonical_from_identifier, find_acts, title_implements

DECISIONS = "decisions.csv"
REFERENCES = "references.csv"
DECISION_COLUMNS = ("id", "body", "procedure", "session", "date", "title", "points",
                    "source_url")
REFERENCE_COLUMNS = ("source_id", "relation", "target_id", "part", "source_url")
RELATIONS: frozenset[str] = frozenset({"cites", "amends", "repeals_part", "replaces", "extends"})
# Register body names → gazetteer slugs (ontology/gazetteer.csv).
BODIES = {"IT-Planungsrat": "it-planungsrat", "AL-Runde": "al-runde"}
PROCEDURES = frozenset({"Sitzung", "Sondersitzung", "Umlaufverfahren", "AL-Runde"})

# "Ziffern 2 und 3", "Ziffer 3", "Nr. 5 (…)", "Nummer 1 (…)", "Nummer 1, Nummer 2 neu gefasst".
# Only numbers outside parentheses name points of the target; "(Nummer 13 angefügt)" says
# what the change did, not which point it touched.
_POINT_WORD = re.compile(r"\b(?:Ziffern?|Nummern?|Nr\.)\s*")
_NUMBER_LIST = re.compile(r"\d+(?:\.\d+)*(?:\s*(?:,|und|sowie|bis)\s*\d+(?:\.\d+)*)*")
_PARENTHESISED = re.compile(r"\([^)]*\)")


@dataclass
class Register:
    """Everything read from one register folder."""

    document: str  # the folder name, e.g. "itplr-register"
    decisions: list[Resolution]
    sha256: str  # of decisions.csv followed by references.csv
    reference_count: int = 0
    warnings: list[ParseWarning] = field(default_factory=list)
    # Rows rejected (bad id, duplicate id, invalid source_url, unterminated quote, …), each
    # naming its file and line. None of them is in `decisions` or in a decision's references;
    # a load with any of them must end with exit 1.
    errors: list[LoaderError] = field(default_factory=list)


def parse_part(part: str) -> tuple[str, ...]:
    """Point numbers named by a `part` cell; () when it names no point ("Programmplanung")."""
    text = _PARENTHESISED.sub(" ", part)
    numbers: list[str] = []
    for word in _POINT_WORD.finditer(text):
        listed = _NUMBER_LIST.match(text, word.end())
        if listed:
            for n in re.findall(r"\d+(?:\.\d+)*", listed.group(0)):
                if n not in numbers:
                    numbers.append(n)
    return tuple(numbers)


def parse_register(folder: Path, limits: InputLimits = DEFAULT_LIMITS) -> Register:
    """Read a register folder. Problems with a file as a whole (missing, not a regular file,
    too large, not UTF-8, header without the required columns) raise a `LoaderError`; a bad
    row is recorded in `Register.errors` and skipped, so the rest of the register loads."""
    folder = Path(folder)
    decisions_bytes = _read(folder, DECISIONS, limits, required=True) or b""
    references_bytes = _read(folder, REFERENCES, limits, required=False)
    digest = hashlib.sha256(decisions_bytes + (references_bytes or b"")).hexdigest()
    register = Register(folder.name, [], digest)
    by_id: dict[str, Resolution] = {}
    first_line: dict[str, int] = {}  # every id seen, loaded or rejected → its first line
    rejected: dict[str, int] = {}  # ids whose only row was rejected → that line
    for row in _rows(DECISIONS, decisions_bytes, DECISION_COLUMNS, limits, register.errors):
        canonical_id = None
        try:
            canonical_id = _canonical(DECISIONS, row.line, "id", row.cells["id"])
            if canonical_id in first_line:
                written = row.cells["id"]
                same = f" (= {canonical_id})" if written != canonical_id else ""
                raise LoaderError(DECISIONS, f"duplicate id {written!r}{same}, first at line "
                                  f"{first_line[canonical_id]}", row.line)
            first_line[canonical_id] = row.line
            res = _decision(row, canonical_id)
        except LoaderError as exc:
            register.errors.append(_skipped(exc))
            if canonical_id is not None and canonical_id not in by_id:
                rejected.setdefault(canonical_id, row.line)
            continue
        by_id[res.canonical_id] = res
        register.decisions.append(res)
    # a missing or 0-byte references.csv: a register without stated references
    references = () if not (references_bytes or b"").strip() else _rows(
        REFERENCES, references_bytes, REFERENCE_COLUMNS, limits, register.errors)
    for row in references:
        try:
            source, ref = _reference(row)
        except LoaderError as exc:
            register.errors.append(_skipped(exc))
            continue
        citing = by_id.get(source)
        if citing is None:
            # The reference would hang off a decision the register does not describe.
            why = (f"its row {DECISIONS}:{rejected[source]} was rejected" if source in rejected
                   else f"it is not in {DECISIONS}")
            register.warnings.append(ParseWarning(
                f"source_id {source}: {why}; reference skipped", ref.span))
            continue
        if ref.target_id == source:
            register.warnings.append(ParseWarning(
                f"{source} refers to itself; reference skipped", ref.span))
            continue
        citing.references.append(ref)
        register.reference_count += 1
    return register


@dataclass(frozen=True)
class Row:
    """One data row of a register file: a register row is one physical line."""

    line: int  # 1-based physical line
    text: str  # the line as written, for columns in messages
    cells: dict[str, str]  # header → stripped cell


def _read(folder: Path, name: str, limits: InputLimits, *, required: bool) -> bytes | None:
    """The file's bytes; None for a missing optional file."""
    path = folder / name
    try:
        os.stat(path)
    except FileNotFoundError:
        if required:
            raise LoaderError(folder.name, f"no {name} in {folder}") from None
        return None
    except OSError:
        pass  # read_regular_file names the error
    # Only regular files, stat'ed before opening: a FIFO named decisions.csv must not hang.
    return read_regular_file(path, name, limits)


def _rows(name: str, data: bytes, columns: tuple[str, ...], limits: InputLimits,
          errors: list[LoaderError]) -> Iterator[Row]:
    """The data rows of a register file; a malformed row goes to `errors` and is skipped.

    Each physical line is parsed on its own. The csv module would follow an unterminated quote
    across line ends to the end of the file and silently turn the rest of the register into
    one cell; a register field never spans lines, so a quote left open is an error of the
    line where it opened, and the next line is parsed afresh.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoaderError(name, f"not UTF-8 ({exc.reason}); save the file as UTF-8", line) \
            from exc
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    header_line = lines[0] if lines else ""
    if not header_line.strip():
        what = "empty file" if not text.strip() else "empty first line"
        raise LoaderError(name, f"{what}; expected a header row " + ",".join(columns), 1)
    try:
        header = [h.strip() for h in _cells(header_line, limits)]
    except ValueError as exc:
        raise LoaderError(name, f"header row: {exc}", 1) from None
    missing = [c for c in columns if c not in header]
    if missing:
        raise LoaderError(name, f"missing column(s) {', '.join(missing)}; header is "
                          + ",".join(header), 1)
    for number, line_text in enumerate(lines[1:], start=2):
        if not line_text.strip():
            continue
        try:
            cells = _cells(line_text, limits)
        except ValueError as exc:
            errors.append(_skipped(LoaderError(name, str(exc), number)))
            continue
        if len(cells) != len(header):
            errors.append(_skipped(LoaderError(
                name, f"{len(cells)} cells, the header has {len(header)}", number)))
            continue
        yield Row(number, line_text,
                  {h: c.strip() for h, c in zip(header, cells, strict=True)})


def _skipped(exc: LoaderError) -> LoaderError:
    """A row error as reported: the rest of the register still loads, so say so."""
    return LoaderError(exc.document, f"{exc.message}; row skipped", exc.line, exc.column)


def _cells(line: str, limits: InputLimits) -> list[str]:
    """The cells of one CSV line; ValueError with a readable reason when it is malformed."""
    if len(line) > limits.max_line_chars:
        raise ValueError(f"line too long: {len(line):,} characters; the limit is "
                         f"{limits.max_line_chars:,} (KG_MAX_LINE_CHARS)")
    opened = _unclosed_quote(line)
    if opened is not None:
        raise ValueError(f"unterminated quote: the quote at column {opened} is never closed "
                         "(a register row is one line)")
    try:
        # strict: `"Titel" Zusatz` is an error here, not silently read as `Titel Zusatz`
        return next(csv.reader([line], strict=True))
    except csv.Error as exc:
        raise ValueError(f"malformed CSV: {exc}") from None


def _unclosed_quote(line: str) -> int | None:
    """1-based column of a quote that opens a field and is never closed on this line, the way
    the csv module reads quotes (only at the start of a field; "" inside is a quote)."""
    quoted_from: int | None = None
    at_field_start = True
    i = 0
    while i < len(line):
        char = line[i]
        if quoted_from is not None:
            if char == '"':
                if line.startswith('""', i):
                    i += 1  # an escaped quote inside the field
                else:
                    quoted_from = None
        elif char == '"' and at_field_start:
            quoted_from = i + 1
        at_field_start = quoted_from is None and char == ","
        i += 1
    return quoted_from


# -- source_url: an IRI that Oxigraph accepts, checked before it is minted -----------------

_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
# RFC 3987 §2.2 for http(s), on the ASCII skeleton (every allowed non-ASCII character is an
# iunreserved one, so it is replaced by "a" before this match; iprivate is query-only).
_HTTP_IRI = re.compile(
    rf"https?://(?:(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*@)?"
    rf"(?P<host>\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})+)"
    rf"(?::[0-9]*)?(?:/{_PCHAR}*)*(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?")
# Printable ASCII that RFC 3987 (and Oxigraph) never allow in an IRI.
_FORBIDDEN_ASCII = frozenset('<>"{}|\\^`')
# ucschar and iprivate of RFC 3987 §2.2
_UCSCHAR = ((0xA0, 0xD7FF), (0xF900, 0xFDCF), (0xFDF0, 0xFFEF)) + tuple(
    (plane << 16, (plane << 16) + 0xFFFD) for plane in range(1, 15))
_IPRIVATE = ((0xE000, 0xF8FF), (0xF0000, 0xFFFFD), (0x100000, 0x10FFFD))


def _check_url(name: str, row: Row, url: str) -> None:
    problem = iri_problem(url)
    if problem is None:
        return
    reason, offset = problem
    if offset is not None:
        # the column in the line as an editor shows it; the URL's own position if it is quoted
        # with escapes and cannot be found verbatim
        start = row.text.rfind(url)
        reason += (f" at column {start + offset + 1}" if start >= 0
                   else f" at character {offset + 1} of the URL")
    raise LoaderError(name, f'source_url "{url}" is not a valid IRI ({reason})', row.line)


def iri_problem(url: str) -> tuple[str, int | None] | None:
    """Why `url` is no absolute http(s) IRI (RFC 3987), with the 0-based offset of the culprit
    where there is one; None when it is fine. Stricter than Oxigraph (invisible characters
    are refused too), never laxer: a URL this accepts is a valid `dct:source` object."""
    if not url.startswith(("http://", "https://")):
        return "not an http(s) URL", None
    query_from = url.find("?")
    fragment_from = url.find("#")
    skeleton = []
    for offset, char in enumerate(url):
        code = ord(char)
        if char == " ":
            return "space", offset
        if code < 0x20 or 0x7F <= code <= 0x9F:
            return f"control character U+{code:04X}", offset
        if char in _FORBIDDEN_ASCII:
            return f"'{char}'", offset
        if char == "%" and not re.fullmatch(_PCT, url[offset: offset + 3]):
            return "'%' not followed by two hex digits", offset
        if char == "#" and offset != fragment_from:
            return "a second '#'", offset
        if code > 0x7F:
            # RFC 3987 §4.1: no bidi formatting characters; invisible spaces are copy errors
            if char.isspace() or unicodedata.category(char) == "Cf":
                return f"invisible character U+{code:04X}", offset
            in_query = 0 <= query_from < offset and (fragment_from < 0
                                                     or offset < fragment_from)
            allowed = _UCSCHAR + (_IPRIVATE if in_query else ())
            if not any(low <= code <= high for low, high in allowed):
                return f"character U+{code:04X}", offset
            char = "a"
        skeleton.append(char)
    match = _HTTP_IRI.fullmatch("".join(skeleton))
    if match is None:
        return "malformed: expected http(s)://host[:port]/path[?query][#fragment]", None
    if match["ipv6"] is not None:
        try:
            ipaddress.IPv6Address(match["ipv6"])
        except ValueError:
            return f"'{match['host']}' is not an IPv6 address", match.start("host")
    return None


def _canonical(name: str, line: int, column: str, value: str) -> str:
    canonical_id = canonical_from_identifier(value)
    if canonical_id is None:
        raise LoaderError(name, f"{column} {value!r} is not a decision id (expected "
                          "YYYY/NN, e.g. 2024/03, B-2024/03-IT or 2025/02-AL for the "
                          "AL-Runde)", line)
    return canonical_id


def _decision(csv_row: Row, canonical_id: str) -> Resolution:
    line, row = csv_row.line, csv_row.cells
    span = Span(DECISIONS, line, line)
    date = None
    if row["date"]:
        try:
            date = dt.date.fromisoformat(row["date"])
        except ValueError:
            raise LoaderError(DECISIONS, f"date {row['date']!r} is not YYYY-MM-DD",
                              line) from None
    session = None
    if row["session"]:
        if not row["session"].isdigit():
            raise LoaderError(DECISIONS, f"session {row['session']!r} is not a number", line)
        session = int(row["session"])
    points = 0
    if row["points"]:
        if not row["points"].isdigit():
            raise LoaderError(DECISIONS, f"points {row['points']!r} is not a number", line)
        points = int(row["points"])
    body = BODIES.get(row["body"])
    if row["body"] and body is None:
        raise LoaderError(DECISIONS, f"body {row['body']!r} is unknown; expected one of "
                          + ", ".join(BODIES), line)
    if row["procedure"] and row["procedure"] not in PROCEDURES:
        raise LoaderError(DECISIONS, f"procedure {row['procedure']!r} is unknown; expected "
                          "one of " + ", ".join(sorted(PROCEDURES)), line)
    url = row["source_url"]
    if url:
        _check_url(DECISIONS, csv_row, url)
    # EU acts and laws named in the title ("Umsetzung der Richtlinie 2014/55/EU"); titles are
    # not scanned for resolutions: references.csv states those explicitly. "Umsetzung des
    # Richtlinie 2014/55/EU", "OZG-Umsetzung": the decision implements the act.
    title = row["title"] or ""
    acts = [f for f in find_acts(title) if f.kind in ("eu_act", "law")]
    implemented = {(f.kind, f.target, f.article) for f in acts
                   if title_implements(title, f.start, f.end)}  # any naming of the act
    title_refs = [
        Reference(relation="implements" if key in implemented else "cites",
                  target_kind=f.kind, target_id=f.target,  # type: ignore[arg-type]
                  evidence=f"Titel: {title}", span=span, article=f.article,
                  subdivision=f.subdivision)
        for key, f in {(f.kind, f.target, f.article): f for f in acts}.items()
    ]
    # bodies and Länder the title names ("Föderale IT-Kooperation (FITKO)"), as in protocols
    mentions = list({h.entry.key: h.ref() for h in default_gazetteer().find(row["title"] or "")
                     if h.entry.key != "it-planungsrat"}.values())
    return Resolution(
        identifier=row["id"],
        canonical_id=canonical_id,
        text="",
        span=span,
        references=title_refs,
        mentions=mentions,
        points=[Point(str(n), "", span) for n in range(1, points + 1)],
        title=row["title"] or None,
        date=date,
        session_number=session,
        body=body,
        procedure=row["procedure"] or None,
        source_url=url or None,
    )


def _reference(csv_row: Row) -> tuple[str, Reference]:
    line, row = csv_row.line, csv_row.cells
    source = _canonical(REFERENCES, line, "source_id", row["source_id"])
    target = _canonical(REFERENCES, line, "target_id", row["target_id"])
    if row["source_url"]:
        _check_url(REFERENCES, csv_row, row["source_url"])
    relation = row["relation"]
    if relation not in RELATIONS:
        raise LoaderError(REFERENCES, f"relation {relation!r} is unknown; expected one of "
                          + ", ".join(sorted(RELATIONS)), line)
    part = row["part"]
    points = parse_part(part) if part else ()
    kind: RelationKind = relation  # type: ignore[assignment]
    if relation == "amends" and points:
        kind = "amends_part"
    # "replaces" stays a replacement, whatever `part` says ("2023/22 replaces 2022/06,
    # Programmplanung"): the build writes bg:replaces and eli:repeals, on the points when
    # `part` names points, and keeps `part` as written (bg:subdivisionText).
    elif relation == "repeals_part" and not points:
        raise LoaderError(REFERENCES, f"repeals_part needs the points in `part`, got {part!r}",
                          line)
    # readable, with what the published text says about the part and where it was found
    evidence = f"Register: {source} {relation} {target}"
    if part:
        evidence += f" ({part})"
    if row.get("source_url"):
        evidence += f"; Quelle: {row['source_url']}"
    return source, Reference(
        relation=kind, target_kind="resolution", target_id=target, evidence=evidence,
        span=Span(REFERENCES, line, line), points=points, subdivision=part or None,
    )
