"""Spokesperson appointments (bg:SpokespersonAppointment) for pages: which Land speaks for
which ministerial conference, and by which resolution.

One query serves the three pages that show them: the appointing resolution, the conference
and the Land. Which of ?r, ?conference, ?land is bound decides the page; Oxigraph binds only
projected variables, so all three are projected.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.data import Linker, P, integer, text
from api.models import Link
from api.query_process import Substitution
from api.runner import Row
from kg.analysis.projection import number_key
from kg.terms import IRI

Q_APPOINTMENTS = P + """
SELECT DISTINCT ?a ?r ?rLabel ?conference ?conferenceLabel ?land ?landLabel ?position
       ?lineStart WHERE {
  ?a a bg:SpokespersonAppointment ; bg:appointedBy ?r ; bg:conference ?conference ;
     bg:spokesperson ?land .
  OPTIONAL { ?a bg:position ?position }
  OPTIONAL { ?a bg:lineStart ?lineStart }
  OPTIONAL { ?r bg:identifier ?rLabel }
  OPTIONAL { ?conference skos:prefLabel ?conferenceLabel
             FILTER(LANGMATCHES(LANG(?conferenceLabel), "de")) }
  OPTIONAL { ?land skos:prefLabel ?landLabel FILTER(LANGMATCHES(LANG(?landLabel), "de")) }
} ORDER BY ?r ?position
"""
# the top-level point whose text holds the table (B-2025/39-IT: Ziffer 1 mentions every
# conference). A query of its own, joined from the appointments: as an OPTIONAL of three
# patterns the engine joined every numbered point that mentions anything first (0.5 s at
# 1,000 synthetic sessions, for a page without a single appointment)
Q_APPOINTMENT_POINTS = P + """
SELECT DISTINCT ?a ?r ?conference ?land ?point ?pointNumber WHERE {
  ?a a bg:SpokespersonAppointment ; bg:appointedBy ?r ; bg:conference ?conference ;
     bg:spokesperson ?land .
  ?point eli:is_part_of ?r ; bg:mentions ?conference ; eli:number ?pointNumber
  FILTER NOT EXISTS { ?point bg:parentPoint ?parent }
}
"""


@dataclass(frozen=True)
class Appointment:
    """One row of an appointment table: `land` speaks for `conference`, appointed by
    `resolution` (Ziffer `point`), row `position` of its list."""

    iri: str
    page: str | None
    resolution: Link
    conference: Link
    land: Link
    position: int | None
    point: str | None
    point_page: str | None


def identifiers(rows: list[Row], key: str = "r", label: str = "rLabel") -> dict[str, str]:
    """One identifier per resolution where protocol and register state two ("2025/33" and
    "B-2025/33-IT"): the greatest, i.e. the protocol's full form (as api.data's MAX)."""
    best: dict[str, str] = {}
    for row in rows:
        iri, value = text(row, key), text(row, label)
        if iri and value and value > best.get(iri, ""):
            best[iri] = value
    return best


def appointments_from_rows(rows: list[Row], points: list[Row],
                           linker: Linker) -> list[Appointment]:
    """The appointments of Q_APPOINTMENTS' rows, each with the lowest-numbered point of
    Q_APPOINTMENT_POINTS' rows that names its conference."""
    point_of: dict[str, tuple[str, str]] = {}
    for row in points:
        iri, point, number = text(row, "a") or "", text(row, "point"), text(row, "pointNumber")
        if point and number and (iri not in point_of or number_key(number)
                                 < number_key(point_of[iri][1])):
            point_of[iri] = (point, number)
    seen: dict[str, Appointment] = {}
    labels = identifiers(rows)
    for row in rows:
        iri = text(row, "a") or ""
        resolution = linker.link(text(row, "r"), labels.get(text(row, "r") or ""))
        conference = linker.link(text(row, "conference"), text(row, "conferenceLabel"))
        land = linker.link(text(row, "land"), text(row, "landLabel"))
        if iri in seen or resolution is None or conference is None or land is None:
            continue  # a second label or point row of the same appointment
        point, number = point_of.get(iri, (None, None))
        seen[iri] = Appointment(
            iri=iri, page=linker.page(iri), resolution=resolution, conference=conference,
            land=land, position=integer(row, "position"), point=number,
            point_page=linker.page(point))
    return sorted(seen.values(), key=lambda a: (a.resolution.iri, a.position or 0, a.iri))


def appointment_queries(iri: str, role: str) -> list[tuple[str, dict[str, Substitution]]]:
    """The batch entries that find the appointments where `iri` plays `role`: "resolution"
    (it appoints), "conference" (spoken for) or "land" (speaks). A body page asks both
    "conference" and "land": the gazetteer does not say which a body can be. Two entries:
    the appointments and their points, for `appointments_from_rows`."""
    variable = {"resolution": "r", "conference": "conference", "land": "land"}[role]
    subs: dict[str, Substitution] = {variable: IRI(iri)}
    return [(Q_APPOINTMENTS, subs), (Q_APPOINTMENT_POINTS, subs)]


