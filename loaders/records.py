"""Plain records extracted from source documents, each with its source span.

Loaders return these; `kg.build` turns them into RDF. No store, no network, no globals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

EntityKind = Literal["land", "body", "unknown"]
RelationKind = Literal[
    "cites",         # a plain mention of another resolution
    "based_on",      # the Quelle column of the agenda item
    "repeals",       # the whole target
    "repeals_part",  # the points named in `points`
    "amends",
    "amends_part",
    "replaces",
    "implements",    # "In Umsetzung des Beschlusses …"
    "continues",     # "In Fortführung des Beschlusses …"
    "extends",       # register: prolongs / extends
]
TargetKind = Literal["resolution", "external_decision", "eu_act", "law"]
Outcome = Literal["adopted", "rejected", "taken_note"]
DeadlineKind = Literal["date", "quarter", "year", "session", "other-session"]


@dataclass(frozen=True)
class Span:
    """Where a record came from: 1-based line range of the text layer, pages for PDFs."""

    document: str
    line_start: int
    line_end: int
    page_start: int | None = None
    page_end: int | None = None


@dataclass(frozen=True)
class EntityRef:
    """A Land or body as named in the text; `key` is the Land code or body slug, or None
    when the gazetteer does not know the name (kept, never dropped)."""

    text: str
    kind: EntityKind
    key: str | None


@dataclass(frozen=True)
class Reference:
    relation: RelationKind
    target_kind: TargetKind
    target_id: str  # canonical: "2025/02", "2025/09-AL", "F-2025/03", "DMK 2024/10/15",
    #                  EU act "reg/2024/903", law abbreviation "OZG"
    evidence: str
    span: Span
    points: tuple[str, ...] = ()  # target points for *_part relations
    article: str | None = None  # EU act article / law paragraph
    subdivision: str | None = None  # "Nr. 2", "Absatz 5"
    in_point: str | None = None  # the point of the citing resolution


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: DeadlineKind
    date: dt.date | None = None
    session: int | None = None


@dataclass(frozen=True)
class Amount:
    text: str
    value: Decimal
    currency: str
    span: Span
    approximate: bool = False
    maximum: bool = False  # a ceiling: "maximal", "bis zu", "Höchstbetrag", "maximale Summe"
    # the budget period the text gives for the amount: kind "year" ("… Euro für 2027"),
    # "from_year" ("ab 2027"), "annual" ("jährlich", "pro Jahr"); None when not stated
    period_kind: str | None = None
    budget_year: int | None = None  # the year named ("für 2027", "ab 2027")
    period_text: str | None = None  # the words that say it, as written
    purpose: str | None = None  # what the money is for, as written ("die Eckwerte für 2027 …")


@dataclass(frozen=True)
class Mandate:
    verb: str
    assignees: tuple[EntityRef, ...]
    action: str
    span: Span
    deadline: Deadline | None = None  # the first cut-off, its wording with the later dates
    point: str | None = None
    # every cut-off in order, each with its own wording ("zum Stichtag 01.01.2026",
    # "01.01.2028", "01.01.2030"); the first is `deadline`'s date
    deadlines: tuple[Deadline, ...] = ()


@dataclass
class Point:
    number: str  # "3", "2.1"
    text: str
    span: Span
    parent: str | None = None
    mentions: list[EntityRef] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)


@dataclass
class Vote:
    text: str
    span: Span
    outcome: Outcome | None
    unanimous: bool = False
    majority: bool = False
    abstained: list[EntityRef] = field(default_factory=list)
    against: list[EntityRef] = field(default_factory=list)
    redacted_abstentions: bool = False
    redacted_against: bool = False
    via_consent_agenda: bool = False


@dataclass(frozen=True)
class BodyChange:
    """A body the resolution establishes, continues or ends."""

    kind: Literal["establishes", "continues", "ends"]
    body: EntityRef
    span: Span
    point: str | None = None


@dataclass(frozen=True)
class SpokespersonAppointment:
    position: int
    conference: EntityRef
    spokesperson: EntityRef
    span: Span


@dataclass
class Resolution:
    identifier: str  # as written: "B-2025/33-IT"
    canonical_id: str  # "2025/33"
    text: str
    span: Span
    preamble: str = ""
    points: list[Point] = field(default_factory=list)
    vote: Vote | None = None
    references: list[Reference] = field(default_factory=list)
    mandates: list[Mandate] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    mentions: list[EntityRef] = field(default_factory=list)
    spokespersons: list[SpokespersonAppointment] = field(default_factory=list)
    body_changes: list[BodyChange] = field(default_factory=list)
    expires: dt.date | None = None
    effective_from: dt.date | None = None
    # Set where the document states them directly (register rows); for protocols the
    # title and date come from the agenda item and the session.
    title: str | None = None
    date: dt.date | None = None
    session_number: int | None = None
    body: str | None = None  # gazetteer slug of the deciding body
    procedure: str | None = None  # "Sitzung", "Umlaufverfahren", "Sondersitzung"
    source_url: str | None = None


@dataclass
class ProtocolNote:
    text: str
    span: Span
    author: EntityRef | None
    author_label: str | None
    redacted: bool
    mentions: list[EntityRef] = field(default_factory=list)


@dataclass
class Statement:
    speaker: EntityRef
    speaker_label: str
    text: str
    span: Span
    position: int
    amounts: list[Amount] = field(default_factory=list)
    mentions: list[EntityRef] = field(default_factory=list)


@dataclass(frozen=True)
class SourceEntry:
    text: str  # as written: "B-2025/09-AL", "GO IT-PLR"
    canonical_id: str | None  # None when it is not a decision identifier


@dataclass
class AgendaItem:
    number: str  # "09"
    occurrence: int  # 2 for the second entry with the same number
    title: str
    section: str
    span: Span
    position: int
    subtitles: list[str] = field(default_factory=list)
    goal: str | None = None
    sources: list[SourceEntry] = field(default_factory=list)
    reporters: list[EntityRef] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # "Beschluss", "Beschlussempfehlung", …
    resolution: Resolution | None = None
    notes: list[ProtocolNote] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    no_discussion: bool = False
    summary: str = ""
    on_consent_agenda: bool = False
    removed_from_consent_agenda: bool = False


@dataclass(frozen=True)
class Section:
    label: str
    position: int
    is_consent_agenda: bool
    span: Span


@dataclass
class Session:
    number: int
    date: dt.date
    span: Span
    place: str | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    version_date: dt.date | None = None
    chair: EntityRef | None = None


@dataclass(frozen=True)
class ParseWarning:
    message: str
    span: Span


@dataclass
class Protocol:
    """Everything extracted from one protocol document."""

    document: str
    session: Session
    sections: list[Section]
    items: list[AgendaItem]
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def resolutions(self) -> list[Resolution]:
        return [i.resolution for i in self.items if i.resolution is not None]


class LoaderError(Exception):
    """A document that cannot be loaded. Names the file and, where it applies, the line."""

    def __init__(self, document: str, message: str, line: int | None = None,
                 column: int | None = None) -> None:
        self.document = document
        self.message = message
        self.line = line
        self.column = column
        where = document
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[LoaderError], tuple[str, str, int | None, int | None]]:
        # parsing runs in worker processes: the error must survive pickling
        return (type(self), (self.document, self.message, self.line, self.column))
