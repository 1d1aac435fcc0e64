"""A Bundesanzeiger notice ("Bekanntmachung der Entscheidungen des IT-Planungsrats") → the
decisions it publishes, each a `Resolution` with its source spans.

Layout: an introduction citing the IT-Staatsvertrag, the publication date ("Vom 9. März
2022"; it is not a decision date), the signature, "Anlage"/"Anhang"; then, optionally under
session headings ("1. Sitzung des IT-Planungsrats am 22. April 2010"), per decision a title
line and its number ("Beschluss: 2010/03", "Beschluss 2025/01", "Beschlussnummer (2022/02)",
or the title itself ending in "(2022/33)"), and its text with points as "1)", "1.", "- 1.".

One bad decision costs that decision only: a decision cut off (no text, or its text stops
mid-sentence) or a number published twice with another text is a `LoaderError` naming the
file and line in `Notice.errors`, and the other decisions load.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from loaders.decision_page import extract, split_points
from loaders.gazetteer import Gazetteer, default_gazetteer
from loaders.limits import DEFAULT_LIMITS, InputLimits
from loaders.read import SourceText, read_source
from loaders.records import LoaderError, ParseWarning, Resolution
from loaders.references import canonical_from_identifier
from loaders.text import Line, clean_lines, join_lines, span_of

INTRO_LINES = 80  # the introduction with the IT-Staatsvertrag comes first
MONTHS = {name: number for number, name in enumerate(
    ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
     "Oktober", "November", "Dezember"), start=1)}
_MONTH = "|".join(MONTHS)
_LONG_DATE = rf"(\d{{1,2}})\.\s*({_MONTH})\s+(\d{{4}})"
_ID = r"[BF]-\d{4}/\d+-(?:IT|AL)|\d{4}/\d{1,4}(?:-AL)?"

INTRO = re.compile(r"IT-Staatsvertrag")
NOTICE_TITLE = re.compile(r"^Bekanntmachung\b|Entscheidungen des IT-Planungsrat")
_PUBLISHED = re.compile(rf"^Vom\s+{_LONG_DATE}\s*$")
_SIGNED = re.compile(rf",\s+den\s+{_LONG_DATE}\s*$")
_SESSION = re.compile(
    rf"^(\d{{1,4}})\.\s*(Sonder)?[Ss]itzung\s+des\s+IT-Planungsrat(?:s|es)?"
    rf"(?:\s+(?:am|vom)\s+{_LONG_DATE})?\s*:?\s*$")
_CIRCULAR = re.compile(rf"^Umlaufverfahren(?:\s+(?:am|vom)\s+{_LONG_DATE})?\s*:?\s*$")
# the number on a line of its own; the title is the line above
_NUMBER_LINE = re.compile(
    rf"^(?:Beschlussnummer|Beschluss|Entscheidung|Umlaufbeschluss)(?:\s+Nr\.)?\s*:?\s*"
    rf"\(?\s*({_ID})\s*\)?\s*$")
# the number at the end of the title line: "IT-Standard XBezahldienste (2022/33)"
_TITLED_NUMBER = re.compile(rf"^(?![-–•(]|\d{{1,2}}[.)]|[a-z]\))(\S.{{2,160}}?)\s*\(({_ID})\)$")
# where a decision's text may end; anything else is a text cut off mid-sentence
_ENDS = (".", "!", "?", "\"", "“", "”", "«", "»", ")", "'")


@dataclass
class NoticeSession:
    number: int | None
    date: dt.date | None
    procedure: str  # "Sitzung", "Sondersitzung", "Umlaufverfahren"
    line: Line


@dataclass
class Notice:
    """Everything read from one notice."""

    document: str
    sha256: str
    published: dt.date | None
    decisions: list[Resolution]
    sessions: list[NoticeSession] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)
    # decisions skipped (cut off, published twice with another text), each naming its line
    errors: list[LoaderError] = field(default_factory=list)


@dataclass
class _Draft:
    title: str
    identifier: str
    canonical_id: str
    head: list[Line]  # title and number lines
    session: NoticeSession | None
    body: list[Line] = field(default_factory=list)


def parse_notice_file(path: Path, limits: InputLimits = DEFAULT_LIMITS,
                      gazetteer: Gazetteer | None = None) -> Notice:
    return parse_notice(read_source(path, limits), gazetteer)


def is_notice(lines: list[Line]) -> bool:
    head = lines[:INTRO_LINES]
    return (any(NOTICE_TITLE.search(ln.stripped) for ln in head[:30])
            and any(INTRO.search(ln.stripped) for ln in head))


def _long_date(m: re.Match[str], offset: int = 1) -> dt.date | None:
    try:
        return dt.date(int(m[offset + 2]), MONTHS[m[offset + 1]], int(m[offset]))
    except ValueError:
        return None


def parse_notice(source: SourceText, gazetteer: Gazetteer | None = None) -> Notice:
    gaz = gazetteer or default_gazetteer()
    doc = source.document
    lines = clean_lines(source)
    if not lines:
        raise LoaderError(doc, "no text found; expected a Bundesanzeiger notice")
    intro = next((i for i, ln in enumerate(lines[:INTRO_LINES]) if INTRO.search(ln.stripped)),
                 None)
    if intro is None or not is_notice(lines):
        raise LoaderError(doc, "not a Bundesanzeiger notice: expected 'Bekanntmachung … der "
                          "Entscheidungen des IT-Planungsrats' and an introduction citing the "
                          f"IT-Staatsvertrag in the first {INTRO_LINES} lines", line=lines[0].no)
    notice = Notice(doc, source.sha256, None, [])
    for line in lines[:INTRO_LINES]:
        if (m := _PUBLISHED.match(line.stripped)) or (m := _SIGNED.search(line.stripped)):
            notice.published = _long_date(m)
            break
    if notice.published is None:
        notice.warnings.append(ParseWarning(
            "no publication date ('Vom 9. März 2022') found", span_of(doc, lines[:1])))
    drafts = _segment(doc, lines[intro + 1:], notice)
    if not drafts and not notice.errors:
        raise LoaderError(doc, "no decisions found: expected a title line and below it "
                          "'Beschluss: 2010/03', 'Beschluss 2025/01' or 'Beschlussnummer "
                          "(2022/02)' after the introduction", line=lines[intro].no)
    seen: dict[str, tuple[int, str]] = {}
    for draft in drafts:
        res = _decision(doc, draft, notice, gaz)
        if res is None:
            continue
        first = seen.get(res.canonical_id)
        if first is not None:
            line = draft.head[-1].no
            if _same(first[1], res.text):
                notice.warnings.append(ParseWarning(
                    f"decision {res.canonical_id} is published twice with the same text "
                    f"(first at line {first[0]}); the second is left out",
                    span_of(doc, draft.head)))
            else:
                notice.errors.append(LoaderError(
                    doc, f"decision {res.canonical_id} is published twice with different "
                    f"text (first at line {first[0]}); this one is skipped, the first is "
                    "loaded", line))
            continue
        seen[res.canonical_id] = (draft.head[-1].no, res.text)
        notice.decisions.append(res)
    return notice


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _segment(doc: str, lines: list[Line], notice: Notice) -> list[_Draft]:
    drafts: list[_Draft] = []
    session: NoticeSession | None = None
    before: list[Line] = []  # lines not yet in a decision (signature, "Anlage", a title)
    for line in lines:
        text = line.stripped
        heading = _SESSION.match(text)
        circular = _CIRCULAR.match(text)
        if heading or circular:
            if heading:
                session = NoticeSession(int(heading[1]), _long_date(heading, 3) if heading[3]
                                        else None,
                                        "Sondersitzung" if heading[2] else "Sitzung", line)
            else:
                session = NoticeSession(None, _long_date(circular) if circular[1] else None,
                                        "Umlaufverfahren", line)
            notice.sessions.append(session)
            before = []
            if drafts:  # the heading closes the decision above: a marker, dropped below
                drafts.append(_Draft("", "", "", [], None))
            continue
        number = _NUMBER_LINE.match(text)
        titled = None if number else _TITLED_NUMBER.match(text) if line.gap else None
        if number or titled:
            owner = drafts[-1].body if drafts and drafts[-1].head else before
            if number:
                if not owner:
                    notice.errors.append(LoaderError(
                        doc, f"decision {number[1]} has no title line above its number; "
                        "skipped", line.no))
                    before = []
                    drafts.append(_Draft("", "", "", [], None))
                    continue
                title_line = owner.pop()
                head, title, identifier = [title_line, line], title_line.stripped, number[1]
            else:
                assert titled is not None
                head, title, identifier = [line], titled[1], titled[2]
            canonical_id = canonical_from_identifier(identifier)
            if canonical_id is None:
                notice.errors.append(LoaderError(
                    doc, f"{identifier!r} is not a decision number; skipped", line.no))
                drafts.append(_Draft("", "", "", [], None))
                continue
            drafts.append(_Draft(title, identifier, canonical_id, head, session))
            before = []
            continue
        if drafts and drafts[-1].head:
            drafts[-1].body.append(line)
        else:
            before.append(line)
    return [d for d in drafts if d.head]


def _tail(text: str) -> str:
    return text if len(text) <= 60 else "…" + text[-50:].lstrip()


def _decision(doc: str, draft: _Draft, notice: Notice, gaz: Gazetteer) -> Resolution | None:
    number_line = draft.head[-1]
    if not draft.body:
        notice.errors.append(LoaderError(
            doc, f"decision {draft.canonical_id} ({draft.title}) has no text after its number: "
            "the notice is cut off here; decision skipped", number_line.no))
        return None
    last = draft.body[-1]
    if not last.stripped.endswith(_ENDS):
        notice.errors.append(LoaderError(
            doc, f"decision {draft.canonical_id} ({draft.title}) stops mid-sentence at line "
            f"{last.no} ({_tail(last.stripped)!r}): the notice is cut off; decision skipped",
            number_line.no))
        return None
    session = draft.session
    res = Resolution(
        identifier=draft.identifier, canonical_id=draft.canonical_id,
        text=join_lines(draft.body), span=span_of(doc, [*draft.head, *draft.body]),
        title=draft.title,
        # the session's date is the decision's; the publication date is not
        date=session.date if session else None,
        session_number=session.number if session else None,
        body="al-runde" if draft.canonical_id.endswith("-AL") else "it-planungsrat",
        procedure=session.procedure if session else None)
    preamble, points = split_points(doc, draft.body)
    res.preamble = join_lines(preamble)
    res.points = points
    notice.warnings.extend(extract(res, doc, gaz))
    return res
