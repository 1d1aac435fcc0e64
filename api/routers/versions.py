"""Consolidated text, changes tables and the Atom feed (issue 14, item 3).

  {page of a resolution}/fassung?am=YYYY-MM-DD       the text as in force on that date
                                                     (HTML; JSON by Accept or .json)
  {page of a resolution}/aenderungen[.json|.csv]     changes to and by that resolution
  /aenderungen[.json|.csv]?type=&year=&affected=&affecting=   every change of the graph
  /feed.atom                                         new resolutions and changes (Atom 1.0)

The pages of a resolution live under the resource prefix (api.data.page_prefix), so this
router is built with the base IRI and included before the catch-all resource route.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse

from api import browse, changes, consolidated, feed, i18n
from api.data import Q_RES_CORE, Q_RES_POINTS, page_prefix, text
from api.deps import ClientDep, RunnerDep, SettingsDep
from api.errors import ERROR_RESPONSES, ApiError, invalid_parameter
from api.routers.analysis import projection
from api.routers.browse import Column, chosen_format, filter_error, linker_of, respond_table
from api.templating import TEMPLATES
from kg.analysis.projection import Projection
from kg.analysis.status import StatusIndex
from kg.terms import IRI

COLUMNS: list[Column] = [
    ("affected_identifier", "Betroffen", "affected"), ("point", "Ziffer", "text"),
    ("affecting_identifier", "Bewirkt durch", "affecting"), ("type_label", "Art", "text"),
    ("effective", "Wirksam ab", "effective"), ("evidence", "Beleg", "text")]


def _resolution(proj: Projection, base_iri: str, path: str) -> str:
    iri = base_iri + path
    if iri not in proj.graph or proj.node(iri).get("kind") != "resolution":
        raise ApiError(404, "not_found", f"no resolution {iri} in the graph", {"iri": iri})
    return iri


def _day(request: Request, name: str) -> dt.date:
    try:
        return browse.parse_date(request.query_params, name) or dt.date.today()
    except browse.FilterError as exc:
        raise invalid_parameter(name, str(exc), request.query_params.get(name)) from exc


def build_router(base_iri: str) -> APIRouter:
    router = APIRouter(tags=["versions"], responses=ERROR_RESPONSES)
    prefix = page_prefix(base_iri)

    async def version(request: Request, path: str, runner: RunnerDep, client: ClientDep,
                      settings: SettingsDep) -> Response:
        fmt = chosen_format(request, request.path_params.get("suffix"))
        if fmt == "csv":
            raise ApiError(406, "not_acceptable", "the consolidated text is HTML or JSON")
        on = _day(request, "am")
        proj = await run_in_threadpool(projection, settings)
        iri = _resolution(proj, settings.base_iri, path)
        linker = linker_of(request, settings.base_iri)
        core, points = await runner.select_many(
            client, [(Q_RES_CORE, {"r": IRI(iri)}), (Q_RES_POINTS, {"r": IRI(iri)})])
        texts = {text(p, "pt") or "": text(p, "text") for p in points}
        body = text(core[0], "text") if core else None
        view = await run_in_threadpool(consolidated.consolidate, proj, iri, on, texts, body,
                                       linker)
        if fmt == "json":
            return JSONResponse(view.to_dict(), headers={"Vary": "Accept"})
        note = changes.note
        if i18n.language(request) == "en":  # the JSON twin keeps the German explanation
            status = await run_in_threadpool(StatusIndex(proj).resolution, iri, on)
            view = dataclasses.replace(view, explanation=status.explanation("en"))
            note = i18n.change_note_en
        return TEMPLATES.TemplateResponse(request, "consolidated.html", {
            "v": view, "note": note, "base": linker.page(iri) or ""},
            headers={"Vary": "Accept"})

    async def table(request: Request, settings: SettingsDep, resolution: str | None
                    ) -> Response:
        fmt = chosen_format(request, request.path_params.get("suffix"))
        params = browse.ReadParams(request.query_params)
        proj = await run_in_threadpool(projection, settings)
        linker = linker_of(request, settings.base_iri)
        all_rows = changes.rows(proj, changes.changes(proj), linker)
        try:
            found = changes.filter_rows(proj, all_rows, params, resolution)
            page = browse.page_of(changes.newest_first(found), params, default_limit=200)
        except browse.FilterError as exc:
            return filter_error(request, fmt, exc)
        context: dict[str, Any] = {
            "params": params, "types": changes.TYPES,
            "years": sorted({r["effective"].year for r in all_rows if r["effective"]},
                            reverse=True),
            "resolution": None}
        if resolution:
            context["resolution"] = {"id": proj.node(resolution).get("id"),
                                     "identifier": browse.display_id(proj.node(resolution)),
                                     "title": proj.node(resolution).get("title"),
                                     "page": linker.page(resolution)}
        return respond_table(request, fmt, template="changes.html", columns=COLUMNS,
                             page=page, name="aenderungen", context=context, params=params,
                             fields=changes.COLUMNS)

    async def graph_changes(request: Request, settings: SettingsDep) -> Response:
        return await table(request, settings, None)

    async def resolution_changes(request: Request, path: str, settings: SettingsDep
                                 ) -> Response:
        proj = await run_in_threadpool(projection, settings)
        return await table(request, settings, _resolution(proj, settings.base_iri, path))

    async def atom(request: Request, settings: SettingsDep) -> Response:
        proj = await run_in_threadpool(projection, settings)
        linker = linker_of(request, settings.base_iri)
        # the linker's pages carry the root path already
        origin = f"{request.url.scheme}://{request.url.netloc}"
        found = await run_in_threadpool(feed.entries, proj, linker, origin)
        body = feed.atom(found, str(request.url.replace(query=None)),
                         origin + request.scope.get("root_path", "") + "/")
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    for path in (prefix + "{path:path}/fassung", prefix + "{path:path}/fassung.{suffix}"):
        router.add_api_route(path, version, methods=["GET"], response_class=HTMLResponse,
                             summary="A resolution as in force on a date (?am=YYYY-MM-DD)")
    for path in ("/aenderungen", "/aenderungen.{suffix}"):
        router.add_api_route(path, graph_changes, methods=["GET"], response_class=HTMLResponse,
                             summary="Every repeal, replacement and amendment (also .json, "
                                     ".csv)")
    for path in (prefix + "{path:path}/aenderungen", prefix + "{path:path}/aenderungen.{suffix}"):
        router.add_api_route(path, resolution_changes, methods=["GET"],
                             response_class=HTMLResponse,
                             summary="Changes to and by one resolution (also .json, .csv)")
    router.add_api_route("/feed.atom", atom, methods=["GET"], response_class=Response,
                         summary="Atom feed of new resolutions and changes")
    return router
