"""Mandates on a date: open, due (deadline within `due_days`), overdue (deadline passed),
taken up (a later resolution is based on the issuing one), or lapsed (the issuing resolution
or point is repealed, replaced or expired), per assignee.

The protocols never record that a mandate was fulfilled, so "overdue" means "the deadline has
passed", not "not done". What they do record is an agenda item whose Quelle names the issuing
resolution ("Quelle: B-2025/03-IT" under TOP 09 of the 48th session, where 2025/03 asked for
a concept "bis zur 48. Sitzung"): the council took the matter up again, and the mandate is
"taken up" from that resolution's date, with it named; whether all of it was delivered the
record does not say. A deadline given as a session ("bis zur 49. Sitzung") takes that
session's date once a document states it; until then the mandate counts as open. A mandate
with several cut-offs ("zum Stichtag 01.01.2026, 01.01.2028, 01.01.2030") is overdue once
one has passed (the last one passed is named, and the next one), else measured against the
next one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from kg.analysis.projection import MandateRecord, Projection
from kg.analysis.status import StatusIndex, effect_date

DUE_DAYS = 30
MAX_DUE_DAYS = 365  # the widest 'due' window the CLI and REST accept
_ENDED = ("repealed", "replaced", "expired", "rejected")

# What each state word means, where it is shown (CLI legend, named queries, pages).
STATE_MEANINGS: dict[str, tuple[str, str]] = {
    "open": ("offen: Frist noch nicht erreicht oder keine Frist",
             "open: deadline not yet reached, or no deadline"),
    "due": ("fällig: Frist in den nächsten {days} Tagen",
            "due: deadline within the next {days} days"),
    "overdue": ("überfällig: Frist verstrichen, keine Erledigung im Graphen bekannt",
                "overdue: deadline passed, no completion known to the graph"),
    "taken_up": ("aufgegriffen: ein späterer Beschluss beruht auf dem erteilenden (Quelle)",
                 "taken up: a later resolution is based on the issuing one (Quelle)"),
    "lapsed": ("gegenstandslos: erteilender Beschluss oder Ziffer aufgehoben, ersetzt oder "
               "ausgelaufen", "lapsed: the issuing resolution or point is repealed, replaced "
               "or expired"),
    "not_yet_issued": ("noch nicht erteilt: Beschluss nach dem Stichtag",
                       "not yet issued: resolution passed after the date"),
}


def state_meaning(state: str, lang: str = "en", due_days: int = DUE_DAYS) -> str:
    """"overdue: deadline passed, no completion known to the graph", in German or English."""
    de_text, en_text = STATE_MEANINGS[state]
    return (de_text if lang == "de" else en_text).format(days=due_days)


@dataclass
class MandateState:
    mandate: MandateRecord
    state: str  # open | due | overdue | taken_up | lapsed | not_yet_issued
    deadline: dt.date | None  # the date the state was measured against
    reason: str  # German explanation

    def to_dict(self, proj: Projection) -> dict[str, object]:
        m = self.mandate
        return {
            "iri": m.iri, "resolution": m.resolution, "resolution_id": proj.label(m.resolution),
            "point": m.point, "verb": m.verb, "action": m.action, "state": self.state,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "deadline_text": m.deadline_text,
            "deadlines": [{"date": d.isoformat() if d else None, "text": text}
                          for d, text, _ in m.cut_offs],
            "assignees": m.assignees,
            "assignee_labels": [proj.label(a) for a in m.assignees] + m.unresolved,
            "reason": self.reason, "state_meaning": state_meaning(self.state),
        }


def mandate_states(proj: Projection, on: dt.date, due_days: int = DUE_DAYS,
                   index: StatusIndex | None = None) -> list[MandateState]:
    index = index or StatusIndex(proj)
    g = proj.graph
    based_on = _based_on_by(proj, on)
    out = []
    for m in proj.mandates:
        issued, _ = effect_date(proj, m.resolution) if m.resolution in g else (None, False)
        deadline = m.deadline
        if deadline is None and m.deadline_session and m.deadline_session in g:
            deadline = proj.attrs[m.deadline_session].get("date")
        # every cut-off with a date (a session's once a document states it)
        dates = sorted({d or (proj.attrs[s].get("date") if s and s in g else None)
                        for d, _, s in m.cut_offs} - {None}) or ([deadline] if deadline else [])
        passed = [d for d in dates if d < on]
        coming = [d for d in dates if d >= on]
        if passed or coming:
            deadline = passed[-1] if passed else coming[0]
        following = f"; nächste Frist {coming[0]:%d.%m.%Y}" if passed and coming else ""
        if issued and on < issued:
            out.append(MandateState(m, "not_yet_issued", deadline,
                                    f"erteilt erst am {issued:%d.%m.%Y}"))
            continue
        source = m.point if m.point and m.point in g else m.resolution
        if source in g:
            status = (index.point(source, on) if proj.attrs[source].get("kind") == "point"
                      else index.resolution(source, on))
            if status.state in _ENDED:
                out.append(MandateState(m, "lapsed", deadline,
                                        status.explanation("de", dated=False)))
                continue
        taken_up = next(((when, by) for when, by in based_on.get(m.resolution, ())
                         if issued is None or when > issued), None)
        if taken_up is not None:
            when, by = taken_up
            out.append(MandateState(m, "taken_up", deadline,
                                    f"aufgegriffen durch {proj.label(by)} am {when:%d.%m.%Y} "
                                    f"(Quelle: {proj.label(m.resolution)})"))
            continue
        if deadline is None:
            out.append(MandateState(m, "open", None,
                                    f"ohne Datum ({m.deadline_text})" if m.deadline_text
                                    else "ohne Frist"))
        elif deadline < on:
            out.append(MandateState(m, "overdue", deadline,
                                    f"Frist {deadline:%d.%m.%Y} verstrichen, keine Erledigung "
                                    f"im Graphen bekannt{following}"))
        elif (deadline - on).days <= due_days:
            out.append(MandateState(m, "due", deadline, f"fällig am {deadline:%d.%m.%Y}"))
        else:
            out.append(MandateState(m, "open", deadline, f"Frist {deadline:%d.%m.%Y}"))
    return out


def _based_on_by(proj: Projection, on: dt.date) -> dict[str, list[tuple[dt.date, str]]]:
    """Resolution -> (date, resolution) of each resolution in effect by `on` whose Quelle it
    is (bg:basedOn, the agenda item's source column), earliest first: one pass over the
    edges for all mandates."""
    g = proj.graph
    found: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for later, source, key in g.edges(keys=True):
        if key != "based_on" or later == source \
                or g.nodes[later].get("kind") != "resolution":
            continue
        when, _ = effect_date(proj, later)
        if when is not None and when <= on:
            found[source].append((when, later))
    for later_ones in found.values():
        later_ones.sort()
    return found


Grouped = dict[str, dict[str, list[MandateState]]]


def by_assignee(proj: Projection, states: list[MandateState],
                kinds: tuple[str, ...] = ("body", "land")) -> Grouped:
    """assignee label -> state -> mandates. Unknown assignee names are kept as written."""
    out: Grouped = defaultdict(lambda: defaultdict(list))
    for s in states:
        keys = [proj.label(a) for a in s.mandate.assignees
                if proj.graph.nodes.get(a, {}).get("kind") in kinds] + s.mandate.unresolved
        for key in keys or ["(ohne Adressat)"]:
            out[key][s.state].append(s)
    return out
