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
from kg.terms import IRI

Q_APPOINTMENTS = P + """
SELECT DISTINCT ?a ?r ?rLabel ?conference ?conferenceLabel ?land ?landLabel ?position
       ?lineStart ?point ?pointNumber WHERE {
  ?a a bg:SpokespersonAppointment ; bg:appointedBy ?r ; bg:conference ?conference ;
     bg:spokesperson ?land .
  OPTIONAL { ?a bg:position ?position }
  OPTIONAL { ?a bg:lineStart ?lineStart }
  OPTIONAL { ?r bg:identifier ?rLabel }
  OPTIONAL { ?conference skos:prefLabel ?conferenceLabel
             FILTER(LANGMATCHES(LANG(?conferenceLabel), "de")) }
  OPTIONAL { ?land skos:prefLabel ?landLabel FILTER(LANGMATCHES(LANG(?landLabel), "de")) }
  # the point whose text holds the table (B-2025/39-IT: Ziffer 1 mentions every conference)
  OPTIONAL { ?point eli:is_part_of ?r ; bg:mentions ?conference ; eli:number ?pointNumber
             FILTER NOT EXISTS { ?point bg:parentPoint ?parent } }
} ORDER BY ?r ?position
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


def appointments_from_rows(rows: list[Row], linker: Linker) -> list[Appointment]:
    seen: dict[str, Appointment] = {}
    labels = identifiers(rows)
    for row in rows:
        iri = text(row, "a") or ""
        resolution = linker.link(text(row, "r"), labels.get(text(row, "r") or ""))
        conference = linker.link(text(row, "conference"), text(row, "conferenceLabel"))
        land = linker.link(text(row, "land"), text(row, "landLabel"))
        if iri in seen or resolution is None or conference is None or land is None:
            continue  # a second label or point row of the same appointment
        seen[iri] = Appointment(
            iri=iri, page=linker.page(iri), resolution=resolution, conference=conference,
            land=land, position=integer(row, "position"), point=text(row, "pointNumber"),
            point_page=linker.page(text(row, "point")))
    return sorted(seen.values(), key=lambda a: (a.resolution.iri, a.position or 0, a.iri))


def appointment_queries(iri: str, role: str) -> list[tuple[str, dict[str, Substitution]]]:
    """The batch entries that find the appointments where `iri` plays `role`: "resolution"
    (it appoints), "conference" (spoken for) or "land" (speaks). A body page asks both
    "conference" and "land": the gazetteer does not say which a body can be."""
    variable = {"resolution": "r", "conference": "conference", "land": "land"}[role]
    return [(Q_APPOINTMENTS, {variable: IRI(iri)})]


