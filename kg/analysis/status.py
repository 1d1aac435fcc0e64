"""The status of a resolution and of each of its points on a given date, with the reasons,
as a function of the dated events of kg.analysis.events.

A change takes effect on the acting resolution's `bg:effectiveFrom`, else its decision date.
A register row without a date still has a year in its id (2024/01): the change is then taken
to act from 1 January of that year and the reason says the date is assumed. Changes by
rejected resolutions never act. Precedence of states: not adopted, not yet in force, replaced,
repealed, expired, partially repealed, amended, in force; a resolution that is only known as
a reference target and that nothing changes is "unknown".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.analysis.events import act_events, effect_date
from kg.analysis.projection import Projection
from kg.analysis.vocab import STATE_LABELS, State

__all__ = ["Reason", "Status", "StatusIndex", "effect_date", "status_of"]

_WHOLE = {"replaces": "replaced", "repeals": "repealed"}


@dataclass(frozen=True)
class Reason:
    """Why a state holds: which resolution did what (to which point), on which date."""

    relation: str  # replaces, repeals, amends, expires, effective_from, decided, rejected,
    #                all_points_repealed, not_loaded
    by: str | None = None  # IRI of the acting resolution
    by_id: str | None = None
    point: str | None = None  # number of the affected point of the target
    date: dt.date | None = None
    date_assumed: bool = False
    evidence: str | None = None

    def text(self, lang: str = "de") -> str:
        d = _fmt(self.date, lang)
        if self.date_assumed:
            d = (f"{d} (Datum unbekannt, Jahresbeginn angenommen)" if lang == "de"
                 else f"{d} (date unknown, start of year assumed)")
        who = self.by_id or ""
        pt_de = f"Ziffer {self.point} " if self.point else ""
        pt_en = f"point {self.point} " if self.point else ""
        de = {
            "replaces": f"{pt_de}ersetzt durch {who} am {d}",
            "repeals": f"{pt_de}aufgehoben durch {who} am {d}",
            "amends": f"{pt_de}geändert durch {who} am {d}",
            "expires": f"befristet bis {d}",
            "effective_from": f"wirksam erst ab {d}",
            "decided": f"beschlossen am {d}",
            "rejected": "Beschlussvorschlag nicht angenommen",
            "all_points_repealed": "alle Ziffern aufgehoben",
            "not_loaded": "nur als Verweisziel bekannt, nicht geladen",
        }
        en = {
            "replaces": f"{pt_en}replaced by {who} on {d}",
            "repeals": f"{pt_en}repealed by {who} on {d}",
            "amends": f"{pt_en}amended by {who} on {d}",
            "expires": f"limited until {d}",
            "effective_from": f"effective only from {d}",
            "decided": f"decided on {d}",
            "rejected": "proposal not adopted",
            "all_points_repealed": "every point repealed",
            "not_loaded": "known only as a reference target, not loaded",
        }
        return (de if lang == "de" else en)[self.relation]


@dataclass
class Status:
    iri: str
    id: str  # "2022/43" or "2022/43 Ziffer 1"
    kind: str  # resolution | point
    state: State
    on: dt.date
    reasons: list[Reason] = field(default_factory=list)
    points: list[Status] = field(default_factory=list)

    def label(self, lang: str = "de") -> str:
        de, en = STATE_LABELS[self.state]
        return de if lang == "de" else en

    def explanation(self, lang: str = "de", dated: bool = True) -> str:
        """`dated=False` leaves out the day it holds on, for texts stored with their day
        elsewhere (the analysis graph's bg:assessedOn), which then stay true the next day
        unless the status itself moved."""
        # the day it holds on is named as such ("Stand"): "aufgehoben am <that day>" read as
        # the day of the repeal, which is the reason's date
        parts = [f"{'Stand' if lang == 'de' else 'as of'} {_fmt(self.on, lang)}"] if dated else []
        parts += [r.text(lang) for r in self.reasons]
        head = f"{self.id}: {self.label(lang)}"
        return head + " (" + "; ".join(parts) + ")" if parts else head

    def to_dict(self) -> dict[str, object]:
        return {
            "iri": self.iri, "id": self.id, "kind": self.kind, "state": self.state,
            "label_de": self.label("de"), "label_en": self.label("en"),
            "on": self.on.isoformat(),
            "explanation_de": self.explanation("de"), "explanation_en": self.explanation("en"),
            "reasons": [{"relation": r.relation, "by": r.by, "by_id": r.by_id, "point": r.point,
                         "date": r.date.isoformat() if r.date else None,
                         "date_assumed": r.date_assumed, "evidence": r.evidence}
                        for r in self.reasons],
            "points": [p.to_dict() for p in self.points],
        }


def _fmt(d: dt.date | None, lang: str) -> str:
    if d is None:
        return "?" if lang == "de" else "?"
    return d.strftime("%d.%m.%Y") if lang == "de" else d.isoformat()


@dataclass(frozen=True)
class _Act:
    relation: str  # replaces | repeals | amends
    by: str
    target: str  # resolution or point IRI
    date: dt.date | None
    assumed: bool


class StatusIndex:
    """Precomputes the incoming changes of every resolution and point once, so that the
    status of all of them on a date costs one pass."""

    def __init__(self, proj: Projection, only: Iterable[str] | None = None) -> None:
        """`only`: the resolutions (with their points) this index will be asked about; by
        default all of them."""
        self.proj = proj
        self.acts: dict[str, list[_Act]] = {}
        evidence: dict[tuple[str, str], str] = {}
        wanted = None if only is None else set(only)
        refs = proj.references if wanted is None else \
            [ref for r in wanted for ref in proj.references_to(r)]
        for ref in refs:
            evidence.setdefault((ref.citing, ref.cited), ref.evidence)
        self._evidence = evidence
        targets = None if wanted is None else \
            [t for r in wanted for t in (r, *proj.points_of(r))]
        # the same events the analysis graph states (kg.analysis.events): one source of truth
        for event in act_events(proj, targets):
            self.acts.setdefault(event.affects, []).append(
                _Act(event.relation or "", event.acting or "", event.affects, event.date,
                     event.date_assumed))

    def ended_somewhere(self) -> set[str]:
        """The resolutions with an act that repeals or replaces them or one of their points:
        only they, or their points, can be repealed or replaced on any date."""
        return {self.proj.resolution_of(target) for target, acts in self.acts.items()
                if any(a.relation in _WHOLE for a in acts)}

    def _reason(self, act: _Act) -> Reason:
        target = self.proj.attrs[act.target]
        resolution = self.proj.resolution_of(act.target)
        return Reason(act.relation, act.by, self.proj.attrs[act.by].get("id"),
                      target.get("number") if target.get("kind") == "point" else None,
                      act.date, act.assumed, self._evidence.get((act.by, resolution)))

    def _acting(self, target: str, on: dt.date) -> list[_Act]:
        acts = [a for a in self.acts.get(target, ()) if a.date is None or a.date <= on]
        return sorted(acts, key=lambda a: (a.date or dt.date.min, a.by))

    def resolution(self, iri: str, on: dt.date) -> Status:
        data = self.proj.attrs[iri]
        rid = data.get("id") or iri
        points = self.proj.points_of(iri)
        state, reasons = self._resolution_state(iri, on, points)
        status = Status(iri, rid, "resolution", state, on, reasons)
        status.points = [self.point(p, on, status) for p in points]
        return status

    def state(self, iri: str, on: dt.date) -> State:
        """The resolution's state alone: no reasons' details, no status of each point (a
        list of every resolution needs only this)."""
        return self._resolution_state(iri, on, None)[0]

    def _resolution_state(self, iri: str, on: dt.date,
                          points: list[str] | None) -> tuple[State, list[Reason]]:
        """`points`: the resolution's points in their order (for the order of the reasons);
        None: read them in any order, only if the state depends on them."""
        data = self.proj.attrs[iri]
        if data.get("outcome") == "rejected":
            return "rejected", [Reason("rejected")]
        if data.get("date") and on < data["date"]:
            return "not_yet_in_force", [Reason("decided", date=data["date"])]
        if data.get("effective_from") and on < data["effective_from"]:
            return "not_yet_in_force", [Reason("effective_from", date=data["effective_from"])]
        whole = self._acting(iri, on)
        ended = [a for a in whole if a.relation in _WHOLE]
        if ended:
            first = ended[0]
            return _WHOLE[first.relation], [self._reason(a) for a in ended]  # type: ignore[return-value]
        if data.get("expires") and on > data["expires"]:
            return "expired", [Reason("expires", date=data["expires"])]
        if points is None:
            points = self.proj.parts_of(iri)
        point_repeals = [a for p in points for a in self._acting(p, on)
                         if a.relation in _WHOLE]
        amendments = [a for a in whole if a.relation == "amends"] + \
            [a for p in points for a in self._acting(p, on) if a.relation == "amends"]
        reasons = [self._reason(a) for a in point_repeals + amendments]
        if point_repeals:
            top_level = [p for p in points if "parent" not in self.proj.attrs[p]]
            repealed = {a.target for a in point_repeals}
            if data.get("loaded") and top_level and repealed >= set(top_level):
                return "repealed", [Reason("all_points_repealed"), *reasons]
            return "partially_repealed", reasons
        if amendments:
            return "amended", reasons
        if not data.get("loaded"):
            return "unknown", [Reason("not_loaded")]
        extra = [Reason("expires", date=data["expires"])] if data.get("expires") else []
        return "in_force", extra

    def point(self, iri: str, on: dt.date, parent: Status | None = None) -> Status:
        g = self.proj.graph
        data = self.proj.attrs[iri]
        resolution = data["resolution"]
        rid = self.proj.attrs[resolution].get("id") or resolution
        sid = f"{rid} Ziffer {data.get('number')}"
        if parent is None:
            parent = self.resolution(resolution, on)
        if parent.state in ("rejected", "not_yet_in_force", "replaced", "repealed", "expired") \
                and not any(r.relation == "all_points_repealed" for r in parent.reasons):
            # the point shares its resolution's fate, for the resolution's reasons
            return Status(iri, sid, "point", parent.state, on, list(parent.reasons))
        chain = [iri]
        while (above := self.proj.attrs[chain[-1]].get("parent")) is not None and above in g:
            chain.append(above)
        acts = [a for p in chain for a in self._acting(p, on)]
        ended = [a for a in acts if a.relation in _WHOLE]
        if ended:
            return Status(iri, sid, "point", _WHOLE[ended[0].relation],  # type: ignore[arg-type]
                          on, [self._reason(a) for a in ended])
        # an amendment of the whole resolution does not say which point changed
        amended = [a for a in acts if a.relation == "amends"]
        if amended:
            return Status(iri, sid, "point", "amended", on, [self._reason(a) for a in amended])
        if parent.state == "unknown" and not data.get("loaded"):
            return Status(iri, sid, "point", "unknown", on, [Reason("not_loaded")])
        return Status(iri, sid, "point", "in_force", on)

    def all(self, on: dt.date) -> list[Status]:
        return [self.resolution(r, on) for r in sorted(self.proj.resolutions())]


def status_of(proj: Projection, iri: str, on: dt.date) -> Status:
    return StatusIndex(proj, only=[iri]).resolution(iri, on)
