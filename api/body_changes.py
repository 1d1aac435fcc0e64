"""Bodies a resolution establishes, continues or ends (bg:BodyChange), for the pages of the
resolution and of the body. One query for both: which of ?r and ?body is bound decides the
page (Oxigraph binds only projected variables, so both are projected)."""

from __future__ import annotations

from dataclasses import dataclass

from api.appointments import identifiers
from api.data import Linker, P, text
from api.i18n import STRINGS
from api.models import Link
from api.query_process import Substitution
from api.runner import QueryRunner, Row
from kg.terms import IRI

Q_BODY_CHANGES = P + """
SELECT DISTINCT ?c ?r ?rLabel ?kind ?body ?bodyLabel ?unresolved ?point ?pointNumber WHERE {
  ?c a bg:BodyChange ; bg:changedBy ?r ; bg:changeKind ?kind .
  %BODY%
  OPTIONAL { ?c bg:unresolvedMention ?unresolved }
  OPTIONAL { ?r bg:identifier ?rLabel }
  OPTIONAL { ?c bg:sourcePoint ?point OPTIONAL { ?point eli:number ?pointNumber } }
} ORDER BY ?r ?c
"""
# a bound ?body must be matched, not left to an OPTIONAL (which would keep every change);
# the label OPTIONAL sits where ?body is bound (on an unbound one it would match any label)
_LABEL = 'OPTIONAL { ?body skos:prefLabel ?bodyLabel FILTER(LANGMATCHES(LANG(?bodyLabel), "de")) }'
QUERIES = {
    "resolution": ("r", Q_BODY_CHANGES.replace(
        "%BODY%", "OPTIONAL { ?c bg:body ?body " + _LABEL + " }")),
    "body": ("body", Q_BODY_CHANGES.replace("%BODY%", "?c bg:body ?body . " + _LABEL)),
}
# German and English (api/i18n.py; the pages show the German through tg())
KINDS = {kind: STRINGS["bc." + kind] for kind in ("establishes", "continues", "ends")}
KINDS_PASSIVE = {kind: STRINGS[f"bc.{kind}_by"][0] for kind in KINDS}


@dataclass(frozen=True)
class BodyChange:
    iri: str
    kind: str  # "establishes", "continues", "ends"
    verb: str  # "richtet ein"
    passive: str  # "eingerichtet durch"
    verb_en: str
    resolution: Link
    body: Link | None
    unresolved: str | None  # the name as written, when the gazetteer does not know the body
    point: str | None
    point_page: str | None


def changes_from_rows(rows: list[Row], linker: Linker) -> list[BodyChange]:
    out: dict[str, BodyChange] = {}
    labels = identifiers(rows)
    for row in rows:
        iri = text(row, "c") or ""
        kind = text(row, "kind") or ""
        resolution = linker.link(text(row, "r"), labels.get(text(row, "r") or ""))
        if iri in out or resolution is None:
            continue
        verb, verb_en = KINDS.get(kind, (kind, kind))
        out[iri] = BodyChange(
            iri=iri, kind=kind, verb=verb, passive=KINDS_PASSIVE.get(kind, kind),
            verb_en=verb_en, resolution=resolution,
            body=linker.link(text(row, "body"), text(row, "bodyLabel")),
            unresolved=text(row, "unresolved"), point=text(row, "pointNumber"),
            point_page=linker.page(text(row, "point")))
    return list(out.values())


def body_change_query(iri: str, role: str) -> tuple[str, dict[str, Substitution]]:
    """The batch entry for the changes where `iri` is the resolution (role "resolution") or
    the body ("body")."""
    variable, query = QUERIES[role]
    return query, {variable: IRI(iri)}


async def body_changes(runner: QueryRunner, client: str, linker: Linker, iri: str,
                       role: str) -> list[BodyChange]:
    rows = await runner.select_many(client, [body_change_query(iri, role)])
    return changes_from_rows(rows[0], linker)
