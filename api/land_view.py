"""What a Land or body said and where it is named, for its page: protocol notes it wrote,
statements it made in the discussion, points, notes and statements that mention it, and its
spokesperson appointments (api/appointments.py). Two or three worker round trips for all of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from api.appointments import (
    Appointment,
    appointment_queries,
    appointments_from_rows,
    identifiers,
)
from api.body_changes import BodyChange, body_change_query, changes_from_rows
from api.data import (
    KEPT_BODIES,
    MAX_LISTED,
    Linker,
    P,
    boolean,
    integer,
    order_key,
    scoped,
    text,
)
from api.kept import KeptPerGeneration
from api.models import Link
from api.query_process import Substitution
from api.runner import QueryRunner, Row
from kg.terms import IRI

EXCERPT_CHARS = 280  # a mention shows the start of its text; the link leads to the rest
# a page shows this many notes, statements and mentions each, with their totals (FITKO is
# named in 11,000 points of 1,000 synthetic sessions: 6.7 MB of HTML)
ACTIVITY_ROWS = 100

# Each list is read in two steps, so that its cost follows the page, not the record: the
# keys of every entry (its resource and what it is ordered by), sorted here (the engine sorts
# about 13,000 rows a second: FITKO's 11,000 mentions at 1,000 sessions took 2 s), then the
# details of the first ACTIVITY_ROWS, named in a VALUES block. The body or Land is a VALUES
# block too: a bound parameter does not inform the engine's plan, which began with every
# statement of the record (0.14 s for none). Every OPTIONAL is one step from the bound ?x:
# an OPTIONAL of several patterns made the engine join every agenda item first.
_PLACE_KEYS = """
  OPTIONAL { ?x bg:agendaItem/bg:session/bg:sessionNumber ?session }
  OPTIONAL { ?x bg:agendaItem/bg:topNumber ?top }
"""
Q_NOTE_KEYS = P + """
SELECT DISTINCT ?org ?x ?session ?top WHERE {
  %SCOPE%
  ?x a bg:ProtocolNote ; bg:author ?org .
""" + _PLACE_KEYS + "}"
Q_STATEMENT_KEYS = P + """
SELECT DISTINCT ?org ?x ?session ?top ?position WHERE {
  %SCOPE%
  ?x a bg:Statement ; bg:speaker ?org .
  OPTIONAL { ?x bg:position ?position }
""" + _PLACE_KEYS + "}"
# the mentioning resource is a point of a resolution, a protocol note or a statement
Q_MENTION_KEYS = [P + """
SELECT DISTINCT ?org ?x ?kind ?r WHERE {
  %SCOPE%
  ?x bg:mentions ?org ; eli:is_part_of ?r ; eli:number ?number . BIND("point" AS ?kind)
}""", P + """
SELECT DISTINCT ?org ?x ?kind ?session ?top WHERE {
  %SCOPE%
  ?x bg:mentions ?org ; a bg:ProtocolNote . BIND("note" AS ?kind)
""" + _PLACE_KEYS + "}", P + """
SELECT DISTINCT ?org ?x ?kind ?session ?top ?position WHERE {
  %SCOPE%
  ?x bg:mentions ?org ; a bg:Statement . BIND("statement" AS ?kind)
  OPTIONAL { ?x bg:position ?position }
""" + _PLACE_KEYS + "}"]
NOTE_ORDER = ("session", "top", "x")
STATEMENT_ORDER = ("session", "top", "position", "x")
MENTION_ORDER = ("kind", "r", "session", "top", "position", "x")
# what a page shows of each entry: ?part is the resolution a point belongs to, ?about the one
# a note is about
Q_DETAILS = P + """
SELECT DISTINCT ?x ?part ?partLabel ?about ?aboutLabel ?number ?item ?top ?itemTitle ?session
       ?position ?redacted ?text WHERE {
  %SCOPE%
  OPTIONAL { ?x eli:is_part_of ?part }
  OPTIONAL { ?x eli:is_part_of/bg:identifier ?partLabel }
  OPTIONAL { ?x bg:about ?about }
  OPTIONAL { ?x bg:about/bg:identifier ?aboutLabel }
  OPTIONAL { ?x eli:number ?number }
  OPTIONAL { ?x bg:position ?position }
  OPTIONAL { ?x bg:redacted ?redacted }
  OPTIONAL { ?x bg:text ?text }
  OPTIONAL { ?x bg:agendaItem ?item }
  OPTIONAL { ?x bg:agendaItem/dct:title ?itemTitle }
""" + _PLACE_KEYS + "}"


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
    number: str | None = None  # "3" of "Wortbeitrag 3", "1" of "Ziffer 1" (pages say the kind)


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


def first_entries(keys: Sequence[Row], order: Sequence[str]) -> tuple[list[Row], int]:
    """The first ACTIVITY_ROWS of `keys` in SPARQL's ORDER BY `order`, one per resource ?x,
    and how many resources there are."""
    ordered = sorted(keys, key=lambda row: order_key(row, order))
    first: dict[str, Row] = {}
    seen: set[str] = set()
    for row in ordered:
        iri = text(row, "x") or ""
        if iri not in seen:
            seen.add(iri)
            if len(first) < ACTIVITY_ROWS:
                first[iri] = row
    return list(first.values()), len(seen)


def _contributions(keys: list[Row], details: dict[str, Row], labels: dict[str, str],
                   linker: Linker, kind: str | None, limit: int | None = None,
                   names: Sequence[str] = ()) -> list[Contribution]:
    """The entries `keys` names (from `first_entries`), in their order, with their details."""
    out = []
    for key in keys:
        iri = text(key, "x") or ""
        row = details.get(iri, key)
        row_kind = kind or text(key, "kind") or ""
        if row_kind == "point":
            part = text(key, "r")
            resolution = linker.link(part, labels.get(part or ""))
            number = text(row, "number")
            label, where = f"Ziffer {number or ''}".strip(), resolution
        elif row_kind == "statement":
            resolution = None
            position = integer(row, "position")
            number = str(position) if position else None
            label = f"Wortbeitrag {position}" if position else "Wortbeitrag"
            where = _item_link(row, linker)
        else:
            about = text(row, "about") if kind == "note" else None
            resolution = linker.link(about, labels.get(about or ""))
            number = None
            label, where = "Protokollnotiz", _item_link(row, linker)
        body = text(row, "text")
        out.append(Contribution(
            iri=iri, page=linker.page(iri), kind=row_kind, where=where, resolution=resolution,
            session=integer(row, "session"), label=label,
            text=_excerpt(body, limit, names) if limit else body,
            redacted=bool(boolean(row, "redacted")), number=number))
    return out


# the first entries of a body's lists and their totals, per store generation, body and
# number shown: a second view reads only the details of what it shows (FITKO at 5,000
# sessions: 55,000 mention keys, 2.7 s a view); at most KEPT_BODIES bodies, each a few
# hundred rows
FirstEntries = tuple[list[Row], int, list[Row], int, list[Row], int]
_KEPT: KeptPerGeneration[FirstEntries] = KeptPerGeneration(KEPT_BODIES)


async def _first_entries_of(runner: QueryRunner, client: str, iri: str,
                            generation: object | None) -> FirstEntries:
    """The first notes, statements and mentions of `iri` with their totals, kept for the
    store `generation` (None: not kept)."""
    key = (generation, iri, ACTIVITY_ROWS)
    kept = _KEPT.get(key) if generation is not None else None
    if kept is not None:
        return kept
    (note_keys, statement_keys, point_keys, note_mention_keys,
     statement_mention_keys) = await runner.select_many(
        client, [(scoped(query, [iri], "org"), None)
                 for query in (Q_NOTE_KEYS, Q_STATEMENT_KEYS, *Q_MENTION_KEYS)],
        MAX_LISTED, whole=True)
    found = (*first_entries(note_keys, NOTE_ORDER),
             *first_entries(statement_keys, STATEMENT_ORDER),
             *first_entries(point_keys + note_mention_keys + statement_mention_keys,
                            MENTION_ORDER))
    if generation is not None:
        _KEPT.put(key, found)
    return found


async def body_activity(runner: QueryRunner, client: str, linker: Linker,
                        iri: str, generation: object | None = None) -> BodyActivity:
    """The appointments, changes and the first entries of every list (their keys read
    whole: a total cut at KG_MAX_ROWS would be wrong, and so would the first entries; kept
    per store `generation`), then the details of the entries the page shows."""
    subs: dict[str, Substitution] = {"org": IRI(iri)}
    batch = [*appointment_queries(iri, "conference"), *appointment_queries(iri, "land"),
             (Q_NAMES, subs), body_change_query(iri, "body")]
    # the two at once: the first entries are their own round trip unless kept
    ((as_conference, conference_points, as_land, land_points, names, changes),
     (notes, notes_total, statements, statements_total, mentions, mentions_total)) = \
        await asyncio.gather(runner.select_many(client, batch, MAX_LISTED, whole=True),
                             _first_entries_of(runner, client, iri, generation))
    shown = {text(row, "x") or "" for row in (*notes, *statements, *mentions)}
    details: dict[str, Row] = {}
    labels: dict[str, str] = {}
    if shown:
        [rows] = await runner.select_many(client, [(scoped(Q_DETAILS, shown, "x"), None)],
                                          MAX_LISTED, whole=True)
        for row in rows:  # a second title or label row of the same resource adds nothing
            details.setdefault(text(row, "x") or "", row)
        labels = {**identifiers(rows, "part", "partLabel"),
                  **identifiers(rows, "about", "aboutLabel")}
    # longest first: "Freie Hansestadt Bremen" before "Bremen"
    known = sorted({text(r, "name") or "" for r in names}, key=len, reverse=True)
    return BodyActivity(
        appointments=appointments_from_rows(as_conference + as_land,
                                            conference_points + land_points, linker),
        changes=changes_from_rows(changes, linker),
        notes=_contributions(notes, details, labels, linker, "note"),
        statements=_contributions(statements, details, labels, linker, "statement"),
        mentions=_contributions(mentions, details, labels, linker, None, EXCERPT_CHARS, known),
        notes_total=notes_total, statements_total=statements_total,
        mentions_total=mentions_total)
