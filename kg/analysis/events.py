"""Status as dated facts: every change of a resolution's or point's standing as one event.

An event says what happened (`kind`), to what (`affects`: a resolution or a point), by which
resolution (`acting`, for repeal, replacement and amendment) and from which day on it holds
(`date`: the first day of the new standing). Events are facts of the record, true on any day;
the status on a day D is a function of the events dated on or before D (kg.analysis.status,
the named query `in-force-on-date`), so no answer is frozen on the day of the load.

Kinds and their dates:

* `adoption`: the decision date (eli:date_document) of an adopted resolution;
* `rejection`: the decision date of a proposal that was not adopted (vote outcome
  bg:Rejected); such a resolution is "not adopted" whatever the day, and its acts never act;
* `entry_into_force`: bg:effectiveFrom of the resolution ("tritt am … in Kraft");
* `repeal`, `replacement`, `amendment`: the acting resolution's bg:effectiveFrom, else its
  decision date, else 1 January of the year in its id (`date_assumed`); the target is the
  resolution or, for a partial repeal or amendment, the point;
* `expiry`: the day after bg:expires ("befristet bis", "bis maximal zum …": in force through
  that day).

The event IRIs are `{affected}/ereignis/{k}`, numbered in date order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from kg.analysis.projection import Projection

EventKind = Literal["adoption", "rejection", "entry_into_force", "repeal", "replacement",
                    "amendment", "expiry"]
EVENT_KINDS: tuple[EventKind, ...] = ("adoption", "rejection", "entry_into_force", "repeal",
                                      "replacement", "amendment", "expiry")
# edge key of the projection -> event kind
ACT_KINDS: dict[str, EventKind] = {"repeals": "repeal", "replaces": "replacement",
                                   "amends": "amendment"}


@dataclass(frozen=True)
class StatusEvent:
    kind: EventKind
    affects: str  # resolution or point IRI
    date: dt.date | None  # first day the change holds; None: no date known at all
    acting: str | None = None  # the repealing, replacing or amending resolution
    date_assumed: bool = False
    relation: str | None = None  # the projection's edge key (repeals, replaces, amends)


def effect_date(proj: Projection, iri: str) -> tuple[dt.date | None, bool]:
    """When the acts of resolution `iri` take effect, and whether that date is assumed."""
    data = proj.attrs[iri]
    if data.get("effective_from"):
        return data["effective_from"], False
    if data.get("date"):
        return data["date"], False
    rid = data.get("id") or ""
    year = rid[:4] if rid[:4].isdigit() else (rid[2:6] if rid[2:6].isdigit() else "")
    if year:
        return dt.date(int(year), 1, 1), True
    return None, False


def own_events(proj: Projection, iri: str) -> list[StatusEvent]:
    """The events of a resolution's own record: adoption or rejection, entry into force,
    expiry."""
    data = proj.attrs[iri]
    out: list[StatusEvent] = []
    if data.get("outcome") == "rejected":
        out.append(StatusEvent("rejection", iri, data.get("date")))
        return out
    if data.get("date"):
        out.append(StatusEvent("adoption", iri, data["date"]))
    if data.get("effective_from"):
        out.append(StatusEvent("entry_into_force", iri, data["effective_from"]))
    if data.get("expires"):
        out.append(StatusEvent("expiry", iri, data["expires"] + dt.timedelta(days=1)))
    return out


def act_events(proj: Projection, targets: Iterable[str] | None = None) -> list[StatusEvent]:
    """Repeals, replacements and amendments of resolutions and points by adopted resolutions
    (a replacement is not counted again as the repeal it implies); with `targets`, only those
    that affect these nodes (read from their incoming edges, not from the whole graph)."""
    effect: dict[str, tuple[dt.date | None, bool]] = {}
    out: list[StatusEvent] = []
    for a, b, rel in proj.edges_by(ACT_KINDS, targets=targets):
        if proj.attrs[a].get("outcome") == "rejected":
            continue
        if proj.attrs[b].get("kind") not in ("resolution", "point"):
            continue
        if rel == "repeals" and proj.has_key(a, b, "replaces"):
            continue  # the replacement already says it (bg:replaces implies eli:repeals)
        if a not in effect:
            effect[a] = effect_date(proj, a)
        d, assumed = effect[a]
        out.append(StatusEvent(ACT_KINDS[rel], b, d, a, assumed, rel))
    return out


def all_events(proj: Projection) -> list[StatusEvent]:
    """Every event of the projection, ordered by affected node, date and acting resolution."""
    out = [e for r in proj.resolutions() for e in own_events(proj, r)] + act_events(proj)
    return sorted(out, key=_order)


def _order(e: StatusEvent) -> tuple:
    return (e.affects, e.date or dt.date.min, EVENT_KINDS.index(e.kind), e.acting or "")
