"""What a Land or body said and where it is named, for its page: protocol notes it wrote,
statements it made in the discussion, points, notes and statements that mention it, and its
spokesperson appointments (api/appointments.py). One worker round trip for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from api.appointments import (
    Appointment,
    appointment_queries,
    appointments_from_rows,
    identifiers,
)
from api.body_changes import BodyChange, body_change_query, changes_from_rows
from api.data import Linker, P, boolean, integer, text
from api.models import Link
from api.query_process import Substitution
from api.runner import QueryRunner, Row
from kg.terms import IRI

EXCERPT_CHARS = 280  # a mention shows the start of its text; the link leads to the rest
# a page shows this many notes, statements and mentions each, with their totals (FITKO is
# named in 11,000 points of 1,000 synthetic sessions: 6.7 MB of HTML)
ACTIVITY_ROWS = 100

# where a note or statement was made: its agenda item, that item's session and resolution
_PLACE = """
  OPTIONAL { ?x bg:agendaItem ?item
             OPTIONAL { ?item bg:topNumber ?top }
             OPTIONAL { ?item dct:title ?itemTitle }
             OPTIONAL { ?item bg:session/bg:sessionNumber ?session } }
"""
Q_NOTES_BY = P + """
SELECT DISTINCT ?org ?x ?r ?rLabel ?item ?top ?itemTitle ?session ?redacted ?text WHERE {
  ?x a bg:ProtocolNote ; bg:author ?org .
  OPTIONAL { ?x bg:about ?r OPTIONAL { ?r bg:identifier ?rLabel } }
  OPTIONAL { ?x bg:redacted ?redacted }
  OPTIONAL { ?x bg:text ?text }
""" + _PLACE + "} ORDER BY ?session ?top ?x"
Q_STATEMENTS_BY = P + """
SELECT DISTINCT ?org ?x ?item ?top ?itemTitle ?session ?position ?text WHERE {
  ?x a bg:Statement ; bg:speaker ?org .
  OPTIONAL { ?x bg:position ?position }
  OPTIONAL { ?x bg:text ?text }
""" + _PLACE + "} ORDER BY ?session ?top ?position ?x"
# the mentioning resource is a point of a resolution, a protocol note or a statement
Q_MENTIONS = P + """
SELECT DISTINCT ?org ?x ?kind ?r ?rLabel ?number ?item ?top ?itemTitle ?session ?position
       ?text WHERE {
  ?x bg:mentions ?org .
  { ?x eli:is_part_of ?r ; eli:number ?number . BIND("point" AS ?kind)
    OPTIONAL { ?r bg:identifier ?rLabel } }
  UNION { ?x a bg:ProtocolNote . BIND("note" AS ?kind) }
  UNION { ?x a bg:Statement . BIND("statement" AS ?kind) OPTIONAL { ?x bg:position ?position } }
  OPTIONAL { ?x bg:text ?text }
""" + _PLACE + "} ORDER BY ?kind ?r ?session ?top ?position ?x"


# the names a text may use for it: the excerpt of a long text is cut around the first one
Q_NAMES = P + """
SELECT DISTINCT ?org ?name WHERE { ?org skos:prefLabel|skos:altLabel|skos:notation ?name }
"""


@dataclass(frozen=True)
class Contribution:
    """A protocol note, a statement or a mentioning point, with where it stands."""

    iri: str
    page: str | None
    kind: str  # "note", "statement" or "point"
    where: Link | None  # the agenda item (notes, statements) or the resolution (points)
    resolution: Link | None
    session: int | None
    label: str  # "Protokollnotiz", "Wortbeitrag 3", "Ziffer 1"
    text: str | None
    redacted: bool = False


@dataclass
class BodyActivity:
    appointments: list[Appointment] = field(default_factory=list)
    changes: list[BodyChange] = field(default_factory=list)
    notes: list[Contribution] = field(default_factory=list)
    statements: list[Contribution] = field(default_factory=list)
    mentions: list[Contribution] = field(default_factory=list)
    # how many there are; the lists above hold the first ACTIVITY_ROWS of each
    notes_total: int = 0
    statements_total: int = 0
    mentions_total: int = 0

    @property
    def empty(self) -> bool:
        return not (self.appointments or self.notes or self.statements or self.mentions)


def _excerpt(value: str | None, limit: int, names: Sequence[str] = ()) -> str | None:
    """At most `limit` characters of `value`, around the first of `names` it contains (the
    line "7. Finanzministerkonferenz: Bremen" of a 15-line table), else from its start."""
    if value is None or len(value) <= limit:
        return value
    at = min((i for i in (value.find(n) for n in names if len(n) > 1) if i >= 0), default=0)
    start = max(0, at - limit // 3)
    if start:
        start = value.find(" ", start) + 1 or start
    piece = value[start:start + limit]
    if start + limit < len(value):
        piece = piece.rsplit(" ", 1)[0] + " …"
    return ("… " if start else "") + piece


def _item_link(row: Row, linker: Linker) -> Link | None:
    top = text(row, "top")
    label = f"TOP {top} {text(row, 'itemTitle') or ''}".strip() if top else None
    return linker.link(text(row, "item"), label)


def _contributions(rows: list[Row], linker: Linker, kind: str | None,
                   limit: int | None = None, names: Sequence[str] = ()
                   ) -> tuple[list[Contribution], int]:
    """The first ACTIVITY_ROWS contributions of `rows` and how many there are (the rest are
    counted, not built: an excerpt each for 11,000 mentions would be thrown away)."""
    out: dict[str, Contribution] = {}
    seen: set[str] = set()
    labels = identifiers(rows)
    for row in rows:
        iri = text(row, "x") or ""
        if iri in seen:
            continue  # a second title or type row of the same resource
        seen.add(iri)
        if len(out) == ACTIVITY_ROWS:
            continue
        row_kind = kind or text(row, "kind") or ""
        resolution = linker.link(text(row, "r"), labels.get(text(row, "r") or ""))
        if row_kind == "point":
            label, where = f"Ziffer {text(row, 'number') or ''}".strip(), resolution
        elif row_kind == "statement":
            position = integer(row, "position")
            label = f"Wortbeitrag {position}" if position else "Wortbeitrag"
            where = _item_link(row, linker)
        else:
            label, where = "Protokollnotiz", _item_link(row, linker)
        body = text(row, "text")
        out[iri] = Contribution(
            iri=iri, page=linker.page(iri), kind=row_kind, where=where, resolution=resolution,
            session=integer(row, "session"), label=label,
            text=_excerpt(body, limit, names) if limit else body,
            redacted=bool(boolean(row, "redacted")))
    return list(out.values()), len(seen)


async def body_activity(runner: QueryRunner, client: str, linker: Linker,
                        iri: str) -> BodyActivity:
    subs: dict[str, Substitution] = {"org": IRI(iri)}
    batch = [*appointment_queries(iri, "conference"), *appointment_queries(iri, "land"),
             (Q_NOTES_BY, subs), (Q_STATEMENTS_BY, subs), (Q_MENTIONS, subs),
             (Q_NAMES, subs), body_change_query(iri, "body")]
    (as_conference, as_land, notes, statements, mentions, names,
     changes) = await runner.select_many(client, batch)
    # longest first: "Freie Hansestadt Bremen" before "Bremen"
    known = sorted({text(r, "name") or "" for r in names}, key=len, reverse=True)
    wrote, notes_total = _contributions(notes, linker, "note")
    said, statements_total = _contributions(statements, linker, "statement")
    named, mentions_total = _contributions(mentions, linker, None, EXCERPT_CHARS, known)
    return BodyActivity(
        appointments=appointments_from_rows(as_conference + as_land, linker),
        changes=changes_from_rows(changes, linker),
        notes=wrote, statements=said, mentions=named, notes_total=notes_total,
        statements_total=statements_total, mentions_total=mentions_total)
