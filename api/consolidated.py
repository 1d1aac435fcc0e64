"""A resolution as in force on a date: its points with their standing, who repealed or amended
them and from when, and the dates on which the text changed (its versions).

The standing comes from kg.analysis.status.StatusIndex (the definition of `kg status`), the
changes from api.changes (the same act events), the wording of the points from the store.
A version is the text between two dates on which an event touched the resolution or one of
its points; the version in force on D is the one that began on the latest such date ≤ D.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from api import changes
from api.browse import display_id
from api.data import Linker
from kg.analysis.events import own_events
from kg.analysis.projection import Projection
from kg.analysis.status import StatusIndex
from kg.analysis.vocab import STATE_LABELS

ENDED = ("repealed", "replaced", "expired", "rejected")
OWN_EVENTS = {"adoption": "beschlossen", "entry_into_force": "in Kraft getreten",
              "expiry": "ausgelaufen", "rejection": "nicht angenommen"}


@dataclass
class PointVersion:
    iri: str
    number: str
    text: str | None
    parent: str | None
    state: str
    state_label: str
    struck: bool  # repealed or replaced on the date (or the whole resolution ended)
    notes: list[dict[str, Any]] = field(default_factory=list)  # changes in force on the date


@dataclass
class Version:
    date: dt.date
    what: list[str]  # "Ziffer 3 aufgehoben durch B-2025/33-IT", "beschlossen"


@dataclass
class Consolidated:
    iri: str
    id: str
    identifier: str
    title: str | None
    page: str | None
    on: dt.date
    state: str
    state_label: str
    explanation: str
    points: list[PointVersion]
    text: str | None  # the resolution's text when it has no numbered points
    versions: list[Version]
    current: dt.date | None  # first day of the version shown
    previous: dt.date | None
    following: dt.date | None
    changes_in_force: list[dict[str, Any]]
    changes_later: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        def iso(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        def plain(row: Mapping[str, Any]) -> dict[str, Any]:
            return {k: iso(v) if isinstance(v, dt.date) else v for k, v in row.items()}

        return {
            "iri": self.iri, "id": self.id, "identifier": self.identifier, "title": self.title,
            "on": iso(self.on), "state": self.state, "state_label": self.state_label,
            "explanation": self.explanation, "text": self.text,
            "version": {"from": iso(self.current), "previous": iso(self.previous),
                        "next": iso(self.following)},
            "versions": [{"date": iso(v.date), "changes": v.what} for v in self.versions],
            "points": [{"iri": p.iri, "number": p.number, "text": p.text, "parent": p.parent,
                        "state": p.state, "state_label": p.state_label, "struck": p.struck,
                        "notes": [changes.note(n) for n in p.notes]} for p in self.points],
            "changes_in_force": [plain(c) for c in self.changes_in_force],
            "changes_later": [plain(c) for c in self.changes_later],
        }


def consolidate(proj: Projection, iri: str, on: dt.date, texts: Mapping[str, str | None],
                text: str | None, linker: Linker) -> Consolidated:
    """`texts`: the wording of each point by IRI (None: the source names only the number)."""
    g = proj.graph
    data = g.nodes[iri]
    status = StatusIndex(proj).resolution(iri, on)
    table = changes.rows(proj, [c for c in changes.changes(proj) if c.affected == iri], linker)
    in_force = [c for c in table if c["effective"] is None or c["effective"] <= on]
    later = [c for c in table if c not in in_force]
    by_target: dict[str, list[dict[str, Any]]] = {}
    for c in in_force:
        by_target.setdefault(c["point_iri"] or iri, []).append(c)
    whole = by_target.get(iri, [])
    points = []
    for p in status.points:
        node = g.nodes[p.iri]
        notes = [*by_target.get(p.iri, []), *(c for c in whole if c["type"] != "amendment")]
        parent = node.get("parent")
        if parent:  # a repealed point takes its sub-points with it
            notes += [c for c in by_target.get(parent, []) if c["type"] != "amendment"]
        points.append(PointVersion(
            p.iri, node.get("number") or "", texts.get(p.iri), parent, p.state,
            STATE_LABELS[p.state][0], p.state in ENDED, sorted(notes, key=_by_date)))
    versions = _versions(proj, iri, table)
    started = [v.date for v in versions if v.date <= on]
    current = started[-1] if started else None
    earlier = [v.date for v in versions if current and v.date < current]
    after = [v.date for v in versions if v.date > on]
    return Consolidated(
        iri=iri, id=data.get("id") or iri, identifier=display_id(data) or proj.label(iri),
        title=data.get("title"), page=linker.page(iri), on=on, state=status.state,
        state_label=STATE_LABELS[status.state][0], explanation=status.explanation("de"),
        points=points, text=text, versions=versions, current=current,
        previous=earlier[-1] if earlier else None, following=after[0] if after else None,
        changes_in_force=sorted(in_force, key=_by_date),
        changes_later=sorted(later, key=_by_date))


def _by_date(row: Mapping[str, Any]) -> tuple[dt.date, str]:
    return (row["effective"] or dt.date.min, row["affecting"])


def _versions(proj: Projection, iri: str, table: list[dict[str, Any]]) -> list[Version]:
    """Each date on which the resolution or one of its points changed standing."""
    days: dict[dt.date, list[str]] = {}
    for event in own_events(proj, iri):
        if event.date is not None:
            days.setdefault(event.date, []).append(OWN_EVENTS[event.kind])
    for c in table:
        if c["effective"] is None:
            continue
        _label, verb, _en = changes.TYPES[c["type"]]
        what = f"Ziffer {c['point']} " if c["point"] else ""
        days.setdefault(c["effective"], []).append(
            f"{what}{verb} durch {c['affecting_identifier']}")
    return [Version(d, what) for d, what in sorted(days.items())]
