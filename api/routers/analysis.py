"""Analysis routes (kg/analysis), computed for any date from the current store generation.

  /resolutions/{year}/{number}/status?on=DATE   status of a resolution and its points
  /analysis/status?on=DATE&state=…              status of every resolution
  /analysis/chains?kind=…                       chains of repeal, amendment, replacement, …
  /analysis/impact/{year}/{number}?depth=N      what depends on a resolution
  /analysis/cycles, /analysis/most-cited, /analysis/stale-references?on=DATE,
  /analysis/unloaded                            the other findings
  /analysis/mandates?on=DATE&state=…            open, due, overdue, lapsed mandates
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Path, Query

from api.deps import SettingsDep
from api.errors import ERROR_RESPONSES, ApiError, invalid_parameter
from kg.analysis import dependencies as deps
from kg.analysis.cache import current_chains, current_projection
from kg.analysis.mandates import DUE_DAYS, MAX_DUE_DAYS, mandate_states
from kg.analysis.projection import Projection
from kg.analysis.status import StatusIndex
from kg.analysis.vocab import STATES
from kg.iris import Minter
from kg.settings import Settings
from kg.store import StoreError

router = APIRouter(tags=["analysis"], responses=ERROR_RESPONSES)

Year = Annotated[int, Path(ge=1990, le=2100)]
Number = Annotated[str, Path(pattern=r"^\d{1,9}(-AL)?$",
                             description='"33"; an AL-Runde decision: "09-AL"')]
On = Annotated[dt.date | None, Query(description="date (YYYY-MM-DD); default today")]
ChainKind = Literal["repeal", "amendment", "replacement", "continuation", "extension"]
MandateStateName = Literal["open", "due", "overdue", "taken_up", "lapsed", "not_yet_issued"]


Read = TypeVar("Read")


def _or_503(read: Callable[[Settings], Read], settings: Settings) -> Read:
    try:
        return read(settings)
    except StoreError as exc:
        raise ApiError(503, "service_unavailable", str(exc)) from exc


def projection(settings: Settings) -> Projection:
    return _or_503(current_projection, settings)


def resolution_iri(proj: Projection, settings: Settings, year: int, number: str) -> str:
    digits, _, suffix = number.partition("-")
    canonical = f"{year}/{int(digits):02d}" + (f"-{suffix}" if suffix else "")
    iri = Minter(settings.base_iri).resolution(canonical).value
    if iri not in proj.graph or proj.node(iri).get("kind") != "resolution":
        raise ApiError(404, "not_found", f"no resolution {canonical} in the graph",
                       {"iri": iri})
    return iri


@router.get("/resolutions/{year}/{number}/status",
            summary="Status of a resolution and its points on a date, with the reasons")
def resolution_status(settings: SettingsDep, year: Year, number: Number,
                      on: On = None) -> dict[str, Any]:
    proj = projection(settings)
    iri = resolution_iri(proj, settings, year, number)
    data = StatusIndex(proj).resolution(iri, on or dt.date.today()).to_dict()
    data["title"] = proj.node(iri).get("title")
    return data


@router.get("/analysis/status", summary="Status of every resolution on a date")
def all_statuses(settings: SettingsDep, on: On = None,
                 state: Annotated[list[str] | None, Query(description="only these states")]
                 = None) -> dict[str, Any]:
    if state and set(state) - set(STATES):
        unknown = sorted(set(state) - set(STATES))
        raise invalid_parameter("state", f"state={unknown[0]} is unknown; use one of "
                                + ", ".join(STATES), unknown[0])
    proj = projection(settings)
    day = on or dt.date.today()
    items = []
    for s in StatusIndex(proj).all(day):
        if state and s.state not in state:
            continue
        items.append({"iri": s.iri, "id": s.id, "state": s.state,
                      "explanation_de": s.explanation("de"),
                      "explanation_en": s.explanation("en")})
    return {"on": day.isoformat(), "total": len(items), "items": items}


@router.get("/analysis/chains",
            summary="Groups of resolutions connected by repeal, amendment, replacement, "
                    "continuation, extension",
            description="A group is no sequence: `links` gives each relation with its date, "
                        "`successions` the lines where one resolution takes the place of "
                        "another (replacement or repeal of the whole resolution).")
def chains(settings: SettingsDep,
           kind: Annotated[list[ChainKind] | None, Query()] = None) -> dict[str, Any]:
    proj = _or_503(current_chains, settings)
    found = proj.of_kinds(set(kind) if kind else None)
    return {"total": len(found), "items": [{
        "label": deps.group_label(proj, c, "en"),
        "members": [{"iri": m, "id": proj.label(m)} for m in c.members],
        "kinds": c.kinds,
        "successions": [[proj.label(m) for m in line] for line in c.successions],
        "links": [{"source": proj.label(lk.source), "relation": lk.relation,
                   "target": proj.label(lk.target), "points": list(lk.points),
                   "date": lk.date.isoformat() if lk.date else None,
                   "date_assumed": lk.date_assumed,
                   "succession": deps.is_succession(lk)} for lk in c.links],
    } for c in found]}


@router.get("/analysis/impact/{year}/{number}",
            summary="What depends on a resolution (the impact of repealing it)")
def impact(settings: SettingsDep, year: Year, number: Number,
           depth: Annotated[int | None, Query(ge=1, le=deps.MAX_IMPACT_DEPTH)] = None
           ) -> dict[str, Any]:
    proj = projection(settings)
    iri = resolution_iri(proj, settings, year, number)
    result = deps.impact(proj, iri, depth)
    return {
        "target": {"iri": iri, "id": proj.label(iri)},
        "points": result.points,
        "dependents": [{"iri": d.iri, "id": proj.label(d.iri), "depth": d.depth,
                        "relation": d.relation, "via": proj.label(d.via)}
                       for d in result.dependents],
        "mandates": [{"iri": m.iri, "action": m.action} for m in result.mandates],
        "changes": [{"target": proj.label(lk.target), "relation": lk.relation,
                     "points": list(lk.points)} for lk in result.changes],
    }


@router.get("/analysis/cycles", summary="Resolutions that refer to each other in a cycle")
def cycles(settings: SettingsDep) -> dict[str, Any]:
    proj = projection(settings)
    return {"items": [{"members": [proj.label(m) for m in c.members],
                       "links": [{"source": proj.label(u), "target": proj.label(v),
                                  "relation": rel} for u, v, rel in c.links]}
                      for c in deps.cycles(proj)]}


@router.get("/analysis/most-cited", summary="Resolutions cited by most resolutions",
            description="count: the distinct resolutions that refer to the resolution or one "
                        "of its points with any relation (cites, repeals, amends, replaces, "
                        "continues, extends, implements, based on), as the named query "
                        "most-cited and `kg findings` count them.")
def most_cited(settings: SettingsDep,
               limit: Annotated[int, Query(ge=1, le=1000)] = 20) -> dict[str, Any]:
    proj = projection(settings)
    return {"items": [{"iri": c.iri, "id": proj.label(c.iri), "count": c.count,
                       "citing": [proj.label(a) for a in c.citing]}
                      for c in deps.most_cited(proj, limit)]}


@router.get("/analysis/stale-references",
            summary="References to points or resolutions that are repealed or replaced")
def stale_references(settings: SettingsDep, on: On = None) -> dict[str, Any]:
    proj = projection(settings)
    day = on or dt.date.today()
    return {"on": day.isoformat(), "items": [{
        "citing": proj.label(s.citing), "target": proj.label(s.target),
        "target_iri": s.target, "relation": s.relation, "state": s.target_state,
        "ended_by": [proj.label(b) for b in s.ended_by],
        "ended_on": s.ended_on.isoformat() if s.ended_on else None, "after_end": s.after_end,
    } for s in deps.stale_references(proj, day)]}


@router.get("/analysis/unloaded", summary="Referenced resolutions no loaded document describes")
def unloaded(settings: SettingsDep) -> dict[str, Any]:
    proj = projection(settings)
    return {"items": [{"iri": u.iri, "id": proj.label(u.iri),
                       "citing": [{"id": proj.label(a), "relation": rel} for a, rel in u.citing]}
                      for u in deps.unloaded_references(proj)]}


@router.get("/analysis/mandates", summary="Open, due, overdue and lapsed mandates on a date")
def mandates(settings: SettingsDep, on: On = None,
             state: Annotated[list[MandateStateName] | None, Query()] = None,
             due_days: Annotated[int, Query(ge=0, le=MAX_DUE_DAYS)] = DUE_DAYS) -> dict[str, Any]:
    proj = projection(settings)
    day = on or dt.date.today()
    items = [m.to_dict(proj) for m in mandate_states(proj, day, due_days)
             if not state or m.state in state]
    return {"on": day.isoformat(), "total": len(items), "items": items}
