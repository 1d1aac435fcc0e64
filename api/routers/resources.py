"""Linked-data pages: every IRI under the base dereferences, with content negotiation.

`GET {page_prefix}{path}` (see api.data.page_prefix) answers for the resource
`settings.base_iri + path`: HTML (Jinja2) for browsers, Turtle (default for machines that
do not ask for HTML), JSON-LD, N-Triples or RDF/XML by `Accept`, or `?format=`. The RDF is
every statement with the resource as subject or object. Resolutions, sessions, agenda items,
bodies and Länder get their own templates; everything else a generic table.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from api import data, i18n, land_view
from api.conneg import negotiate
from api.deps import ClientDep, RunnerDep, SettingsDep, generation
from api.errors import ApiError, invalid_parameter
from api.models import Description, ResolutionDetail
from api.page_extras import resolution_extras
from api.runner import QueryRunner
from api.sources_view import resolution_sources
from api.templating import TEMPLATES
from kg.namespaces import BG, ORG, PREFIXES, sparql_prefixes
from kg.terms import IRI

OFFERS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/ld+json": "jsonld",
    "application/n-triples": "ntriples",
    "application/rdf+xml": "rdfxml",
}
FORMAT_PARAM = {"html": "html", "turtle": "turtle", "ttl": "turtle", "jsonld": "jsonld",
                "ntriples": "ntriples", "nt": "ntriples", "rdfxml": "rdfxml"}
Q_STATEMENTS = sparql_prefixes() + (
    "CONSTRUCT { ?x ?p ?o . ?s ?q ?x } WHERE { { ?x ?p ?o } UNION { ?s ?q ?x } }")
LEGAL_FORCE = {"in_force": "InForce", "amended": "InForce", "partially_repealed":
               "PartiallyInForce", "repealed": "NotInForce", "replaced": "NotInForce",
               "expired": "NotInForce"}
CHANGING = {"repeals", "amends", "replaces", "changes", "repeals_part_of", "amends_part_of"}


def wants(request: Request, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMAT_PARAM:
            raise invalid_parameter("format", f"format={fmt} is unknown; use one of "
                                    + ", ".join(FORMAT_PARAM), fmt)
        return FORMAT_PARAM[fmt]
    accept = request.headers.get("accept")
    # without an Accept header a machine is asking: Turtle; browsers always send text/html
    if not accept:
        return "turtle"
    chosen = negotiate(accept, list(OFFERS))
    return OFFERS[chosen] if chosen else "turtle"


def schema_org(detail: ResolutionDetail) -> str:
    """schema.org Legislation JSON-LD for search engines, safe inside <script>."""
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": detail.iri,
        "name": detail.title,
        "legislationIdentifier": detail.identifier or detail.id,
        "legislationDate": detail.date.isoformat() if detail.date else None,
        "inLanguage": "de",
        "text": detail.text,
        "legislationPassedBy": ({"@type": "GovernmentOrganization", "@id": detail.passed_by.iri,
                                 "name": detail.passed_by.label} if detail.passed_by else None),
        "legislationLegalForce": ("https://schema.org/" + LEGAL_FORCE[detail.status]
                                  if detail.status in LEGAL_FORCE else None),
        "hasPart": [{"@type": "Legislation", "@id": p.iri,
                     "legislationIdentifier": f"Ziffer {p.number}", "text": p.text}
                    for p in detail.points],
        "legislationChanges": sorted({r.target.iri for r in detail.references_out
                                      if r.relation in CHANGING}),
        "citation": sorted({r.target.iri for r in detail.references_out}),
    }
    clean = {k: v for k, v in doc.items() if v not in (None, [], "")}
    return json.dumps(clean, ensure_ascii=False, indent=1).replace("</", "<\\/")


async def _html(request: Request, runner: QueryRunner, client: str, linker: data.Linker,
                iri: str, settings: Any) -> HTMLResponse:
    description = await data.describe(runner, client, linker, iri)
    if description is None:
        return _html_not_found(request, iri)
    types = {t.iri for t in description.types}
    context: dict[str, Any] = {"d": description, "iri": iri, "linker": linker}
    template = "resource.html"
    if BG + "Resolution" in types:
        detail = await data.resolution_detail(runner, client, linker, iri)
        if detail is not None:
            template = "resolution.html"
            context.update(r=detail, schema_org=schema_org(detail))
            extras = await resolution_extras(runner, client, linker, iri)
            context.update(appointments=extras.appointments, body_changes=extras.changes,
                           body_changes_of="resolution")
            context.update(sources_view=await resolution_sources(runner, client, iri))
    elif BG + "Session" in types:
        number = _literal(description, BG + "sessionNumber")
        if number and number.isdigit():
            session = await data.session_detail(runner, client, linker, int(number),
                                                generation(settings))
            if session is not None:
                template = "session.html"
                context.update(s=session)
    elif BG + "AgendaItem" in types:
        template = "agenda_item.html"
        context.update(statements=await data.statements(runner, client, linker, iri))
    elif BG + "Land" in types or ORG + "Organization" in types:
        kept_for = generation(settings)
        # its resolutions and mandates beside its notes and mentions, on the workers at once
        # (FITKO at 5,000 sessions: 7 s of queries)
        body, activity = await asyncio.gather(
            data.body_detail(runner, client, linker, iri, iri.rsplit("/", 1)[-1], kept_for),
            land_view.body_activity(runner, client, linker, iri, kept_for))
        if body is not None:
            template = "body.html"
            context.update(b=body, activity=activity, appointments=activity.appointments,
                           body_changes=activity.changes, body_changes_of="body")
    return TEMPLATES.TemplateResponse(request, template, context,
                                      headers={"Vary": "Accept"})


def _literal(description: Description, prop: str) -> str | None:
    for value in description.outgoing:
        if value.property.iri == prop and value.literal is not None:
            return value.literal
    return None


def _html_not_found(request: Request, iri: str) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request, "error.html",
        {"status": 404, "code": "not_found",
         "message": i18n.translate(i18n.language(request), "error.no_statements").replace(
             "{iri}", iri)},
        status_code=404)


def build_router(base_iri: str) -> APIRouter:
    router = APIRouter(tags=["resources"])
    prefix = data.page_prefix(base_iri)

    @router.get(prefix + "{path:path}", summary="A resource of the graph (HTML, Turtle, JSON-LD)",
                response_class=Response,
                responses={200: {"content": {m: {} for m in OFFERS}}})
    async def resource(path: str, request: Request, runner: RunnerDep, client: ClientDep,
                       settings: SettingsDep, format: str | None = None) -> Response:
        iri = settings.base_iri + path
        fmt = wants(request, format)
        linker = data.Linker(settings.base_iri, request.scope.get("root_path", ""))
        if fmt == "html":
            return await _html(request, runner, client, linker, iri, settings)
        outcome = await runner.graph(client, Q_STATEMENTS, fmt, {"x": IRI(iri)},
                                     # data IRIs stay whole ("id:eli\/itplr\/…" reads badly)
                                     prefixes=PREFIXES)
        body = outcome.body or b""
        if _empty(body, fmt):
            raise ApiError(404, "not_found", f"no statements about {iri} in the graph",
                           {"iri": iri})
        headers = {"Vary": "Accept"}
        if outcome.truncated:
            headers["X-Result-Truncated"] = outcome.truncated
        return Response(body, media_type=outcome.media_type, headers=headers)

    return router


def _empty(body: bytes, fmt: str) -> bool:
    stripped = body.strip()
    if fmt == "jsonld":
        return stripped in (b"", b"[]", b"{}")
    if fmt == "turtle":
        return not any(line and not line.startswith(b"@prefix")
                       for line in stripped.splitlines())
    if fmt == "rdfxml":
        return b"<rdf:Description" not in stripped and b"rdf:about" not in stripped
    return not stripped
