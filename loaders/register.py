"""The decision register: a folder with `decisions.csv` (one row per decision) and an optional
`references.csv` (the references the published texts state) → records.

Pure: reads the two files, touches no store. Every rejected row raises a `LoaderError` naming
the file and its line, so a broken register is skipped as a whole and never half-loaded.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from loaders.gazetteer import default_gazetteer
from loaders.records import (
    LoaderError,
    ParseWarning,
    Point,
    Reference,
    RelationKind,
    Resolution,
    Span,
)
from loaders.references import canonical_from_identifier, find_acts

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


def parse_register(folder: Path) -> Register:
    folder = Path(folder)
    decisions_path = folder / DECISIONS
    if not decisions_path.is_file():
        raise LoaderError(folder.name, f"no {DECISIONS} in {folder}")
    decisions_bytes = decisions_path.read_bytes()
    references_path = folder / REFERENCES
    references_bytes = references_path.read_bytes() if references_path.is_file() else b""
    digest = hashlib.sha256(decisions_bytes + references_bytes).hexdigest()
    register = Register(folder.name, [], digest)
    by_id: dict[str, Resolution] = {}
    for line, row in _rows(DECISIONS, decisions_bytes, DECISION_COLUMNS):
        res = _decision(line, row)
        if res.canonical_id in by_id:
            first = by_id[res.canonical_id].span.line_start
            raise LoaderError(DECISIONS, f"duplicate id {row['id']!r} (first at line {first})",
                              line)
        by_id[res.canonical_id] = res
        register.decisions.append(res)
    if references_bytes:
        for line, row in _rows(REFERENCES, references_bytes, REFERENCE_COLUMNS):
            source, ref = _reference(line, row)
            citing = by_id.get(source)
            if citing is None:
                # The reference would hang off a decision the register does not describe.
                register.warnings.append(ParseWarning(
                    f"source_id {source} is not in {DECISIONS}; reference skipped",
                    ref.span))
                continue
            if ref.target_id == source:
                register.warnings.append(ParseWarning(
                    f"{source} refers to itself; reference skipped", ref.span))
                continue
            citing.references.append(ref)
            register.reference_count += 1
    return register


def _rows(name: str, data: bytes, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoaderError(name, f"not UTF-8 ({exc.reason}); save the file as UTF-8", line) \
            from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise LoaderError(name, "empty file; expected a header row "
                          + ",".join(columns), 1) from None
    header = [h.strip() for h in header]
    missing = [c for c in columns if c not in header]
    if missing:
        raise LoaderError(name, f"missing column(s) {', '.join(missing)}; header is "
                          + ",".join(header), 1)
    rows = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line = start
            start = reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                raise LoaderError(name, f"{len(cells)} cells, the header has {len(header)}",
                                  line)
            rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    except csv.Error as exc:
        raise LoaderError(name, f"malformed CSV: {exc}", reader.line_num) from exc
    return rows


def _canonical(name: str, line: int, column: str, value: str) -> str:
    canonical_id = canonical_from_identifier(value)
    if canonical_id is None:
        raise LoaderError(name, f"{column} {value!r} is not a decision id "
                          "(expected e.g. 2024/03 or 2025/02-AL)", line)
    return canonical_id


def _decision(line: int, row: dict[str, str]) -> Resolution:
    canonical_id = _canonical(DECISIONS, line, "id", row["id"])
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
    if url and not url.startswith(("http://", "https://")):
        raise LoaderError(DECISIONS, f"source_url {url!r} is not an http(s) URL", line)
    # EU acts and laws named in the title ("Umsetzung der Richtlinie 2014/55/EU"); titles are
    # not scanned for resolutions: references.csv states those explicitly
    title_refs = [
        Reference(relation="cites", target_kind=f.kind, target_id=f.target,  # type: ignore[arg-type]
                  evidence=f"Titel: {row['title']}", span=span, article=f.article,
                  subdivision=f.subdivision)
        for f in {(f.kind, f.target, f.article): f
                  for f in find_acts(row["title"] or "")}.values()
        if f.kind in ("eu_act", "law")
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


def _reference(line: int, row: dict[str, str]) -> tuple[str, Reference]:
    source = _canonical(REFERENCES, line, "source_id", row["source_id"])
    target = _canonical(REFERENCES, line, "target_id", row["target_id"])
    relation = row["relation"]
    if relation not in RELATIONS:
        raise LoaderError(REFERENCES, f"relation {relation!r} is unknown; expected one of "
                          + ", ".join(sorted(RELATIONS)), line)
    part = row["part"]
    points = parse_part(part) if part else ()
    kind: RelationKind = relation  # type: ignore[assignment]
    if relation == "amends" and points:
        kind = "amends_part"
    elif relation == "replaces" and part and not points:
        # "replaces 2022/06, part Programmplanung": a part of the target that is not a point
        # is replaced, the target itself stays in force, so this is an amendment.
        kind = "amends"
    elif relation == "replaces" and points:
        kind = "repeals_part"
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
