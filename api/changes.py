"""The changes table: who repealed, replaced or amended what, from which day
(the legislation.gov.uk "changes to legislation" idea for council decisions).

A change is a dated act event of the analysis (kg.analysis.events.act_events: the same
source as `kg status` and the consolidated text), with the wording of the reference that
states it as evidence. Effective date: the acting resolution's bg:effectiveFrom, else its
decision date, else 1 January of the year in its id, marked as assumed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from api.browse import FilterError, display_id, id_key
from api.data import Linker
from kg.analysis.events import act_events
from kg.analysis.projection import Projection

TYPES: dict[str, tuple[str, str, str]] = {  # kind -> (German label, German verb, English)
    "repeal": ("Aufhebung", "aufgehoben", "repeal"),
    "replacement": ("Ersetzung", "ersetzt", "replacement"),
    "amendment": ("Änderung", "geändert", "amendment"),
}
COLUMNS = ("affected", "affected_identifier", "point", "affecting", "affecting_identifier",
           "type", "type_label", "effective", "effective_assumed", "evidence", "affected_iri",
           "affecting_iri", "affected_page", "affecting_page")


@dataclass(frozen=True)
class Change:
    type: str  # repeal | replacement | amendment
    affected: str  # resolution IRI
    point: str | None  # number of the affected point; None: the whole resolution
    point_iri: str | None
    affecting: str  # resolution IRI
    effective: dt.date | None
    assumed: bool
    evidence: str | None


def changes(proj: Projection) -> list[Change]:
    g = proj.graph
    evidence: dict[tuple[str, str], str] = {}
    for ref in proj.references:
        if ref.relation in ("repeals", "replaces", "amends") and ref.evidence:
            evidence.setdefault((ref.citing, ref.cited), ref.evidence)
    out = []
    for event in act_events(proj):
        target = g.nodes[event.affects]
        is_point = target.get("kind") == "point"
        resolution = proj.resolution_of(event.affects)
        acting = event.acting or ""
        out.append(Change(
            event.kind, resolution, target.get("number") if is_point else None,
            event.affects if is_point else None, acting, event.date, event.date_assumed,
            evidence.get((acting, event.affects)) or evidence.get((acting, resolution))))
    return out


def _identifier(proj: Projection, iri: str) -> str:
    return display_id(proj.node(iri)) or proj.label(iri)


def rows(proj: Projection, found: list[Change], linker: Linker) -> list[dict[str, Any]]:
    out = []
    for c in found:
        label, _verb, _en = TYPES[c.type]
        out.append({
            "affected": proj.node(c.affected).get("id") or proj.label(c.affected),
            "affected_identifier": _identifier(proj, c.affected),
            "point": c.point, "point_iri": c.point_iri,
            "affecting": proj.node(c.affecting).get("id") or proj.label(c.affecting),
            "affecting_identifier": _identifier(proj, c.affecting),
            "type": c.type, "type_label": label, "effective": c.effective,
            "effective_assumed": c.assumed, "evidence": c.evidence,
            "affected_iri": c.affected, "affecting_iri": c.affecting,
            "affected_page": linker.page(c.affected), "affecting_page": linker.page(c.affecting),
        })
    return out


def _resolution(proj: Projection, params: Mapping[str, str], name: str) -> str | None:
    value = (params.get(name) or "").strip()
    if not value:
        return None
    iri = proj.lookup(value)
    if iri is None:
        raise FilterError(name, f"{value!r} is no resolution in the graph (e.g. 2025/33 or "
                                "B-2025/33-IT)")
    return iri


def filter_rows(proj: Projection, table: list[dict[str, Any]], params: Mapping[str, str],
                resolution: str | None = None) -> list[dict[str, Any]]:
    """Filters: type, year (of the effective date), affected, affecting, and the resolution
    of a per-resolution table (affected or affecting)."""
    kind = params.get("type") or None
    if kind is not None and kind not in TYPES:
        raise FilterError("type", f"{kind!r} is unknown; one of " + ", ".join(TYPES))
    year_text = params.get("year") or ""
    if year_text and not (year_text.isdigit() and 1990 <= int(year_text) <= 2100):
        raise FilterError("year", f"{year_text!r} is no year from 1990 to 2100")
    affected = _resolution(proj, params, "affected")
    affecting = _resolution(proj, params, "affecting")
    out = []
    for row in table:
        if resolution and resolution not in (row["affected_iri"], row["affecting_iri"]):
            continue
        if kind and row["type"] != kind:
            continue
        if year_text and (row["effective"] is None or row["effective"].year != int(year_text)):
            continue
        if affected and row["affected_iri"] != affected:
            continue
        if affecting and row["affecting_iri"] != affecting:
            continue
        out.append(row)
    return out


def newest_first(table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(table, key=lambda r: (r["effective"] or dt.date.min, id_key(r["affecting"]),
                                        id_key(r["affected"]), r["point"] or ""),
                  reverse=True)


def note(row: Mapping[str, Any]) -> str:
    """"aufgehoben durch B-2025/33-IT mit Wirkung vom 26.11.2025" (German, for the text)."""
    _label, verb, _en = TYPES[row["type"]]
    when = row["effective"].strftime("%d.%m.%Y") if row["effective"] else "unbekanntem Datum"
    assumed = " (Tag nicht überliefert, Jahresbeginn angenommen)" \
        if row["effective_assumed"] else ""
    return f"{verb} durch {row['affecting_identifier']} mit Wirkung vom {when}{assumed}"
