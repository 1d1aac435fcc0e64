"""HTML lists with JSON and CSV twins at the same URL (issue 14, item 1).

  /beschluesse     resolutions, filtered by year, session, status on a date, body, Land,
                   EuroVoc subject, relation, procedure; sortable; paged
  /sitzungen       sessions           /gremien     bodies          /laender    Länder
  /eu-rechtsakte   EU acts the resolutions refer to

Each list answers HTML, JSON or CSV by `Accept` or by suffix (`/beschluesse.csv?year=2025`),
with the same rows for the same query string; without an `Accept` header it is HTML (the
REST list for programs is /resolutions). Every filter is a GET parameter, so a filtered,
sorted page is a URL to share. `respond_table` is shared with the changes table
(api/routers/versions.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse

from api import browse
from api.conneg import negotiate
from api.data import Linker
from api.deps import ClientDep, RunnerDep, SettingsDep, generation
from api.errors import ERROR_RESPONSES, ApiError, invalid_parameter
from api.routers.analysis import projection
from api.templating import TEMPLATES

router = APIRouter(tags=["browse"], responses=ERROR_RESPONSES)

MEDIA = {"text/html": "html", "application/xhtml+xml": "html", "application/json": "json",
         "text/csv": "csv"}
SUFFIXES = ("json", "csv")
Column = tuple[str, str, str]  # (key, German header, kind: text, link, date, list, facets)


def chosen_format(request: Request, suffix: str | None) -> str:
    """The suffix wins; then Accept; no Accept header: HTML."""
    if suffix is not None:
        if suffix not in SUFFIXES:
            raise ApiError(404, "not_found", f"no list format .{suffix}; use .json or .csv")
        return suffix
    accept = request.headers.get("accept")
    if not accept:
        return "html"
    chosen = negotiate(accept, list(MEDIA))
    if chosen is None:
        raise ApiError(406, "not_acceptable",
                       "this list is served as text/html, application/json or text/csv")
    return MEDIA[chosen]


def linker_of(request: Request, base_iri: str) -> Linker:
    return Linker(base_iri, request.scope.get("root_path", ""))


class Urls:
    """Links that keep the current filters: sort headers, pages, the JSON and CSV twins."""

    def __init__(self, request: Request) -> None:
        self.path = request.url.path  # includes the root path of a mounted app (ASGI)
        for suffix in SUFFIXES:
            self.path = self.path.removesuffix("." + suffix)
        self.params = {k: v for k, v in request.query_params.items() if v != ""}

    def with_(self, suffix: str = "", **changes: Any) -> str:
        params = {**self.params, **{k: str(v) for k, v in changes.items() if v is not None}}
        params = {k: v for k, v in params.items()
                  if v != "" and changes.get(k, "keep") is not None}
        query = urlencode(params)
        return self.path + (("." + suffix) if suffix else "") + ("?" + query if query else "")

    def sort(self, column: str, current: str, order: str) -> str:
        flip = "asc" if column == current and order == "desc" else "desc"
        return self.with_(sort=column, order=flip, offset=None)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


def respond_table(request: Request, fmt: str, *, template: str, columns: Sequence[Column],
                  page: browse.Page, context: Mapping[str, Any], name: str,
                  fields: Sequence[str] | None = None,
                  params: browse.ReadParams | None = None) -> Response:
    """One page of rows as HTML (`template`), JSON (`fields` of each row, default the
    columns' keys, with iri and page) or CSV (the same fields, one header line). With the
    `params` the list read, the JSON says which filters it applied and which it ignored."""
    keys = list(fields or [c[0] for c in columns])
    urls = Urls(request)
    suffix = "" if fmt == "html" else fmt  # a twin's pages stay in its format
    following = (urls.with_(suffix, offset=page.offset + page.limit)
                 if page.offset + page.limit < page.total else None)
    previous = (urls.with_(suffix, offset=max(page.offset - page.limit, 0) or None)
                if page.offset > 0 else None)
    headers = {"Vary": "Accept"}
    if fmt == "json":
        given = {k: v for k, v in urls.params.items()
                 if k not in ("limit", "offset", "sort", "order", "lang")}
        read = params.read if params is not None else set(given)
        return JSONResponse({
            "total": page.total, "limit": page.limit, "offset": page.offset,
            "next": following, "previous": previous,
            "filters": {k: v for k, v in given.items() if k in read},
            "ignored": {k: v for k, v in given.items() if k not in read},
            "items": [{k: browse.cell(row.get(k)) for k in keys} for row in page.rows],
        }, headers=headers)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(keys)
        for row in page.rows:
            writer.writerow([_csv_value(browse.cell(row.get(k))) for k in keys])
        headers["Content-Disposition"] = f'inline; filename="{name}.csv"'
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)
    return TEMPLATES.TemplateResponse(request, template, {
        **context, "columns": columns, "page": page, "urls": urls, "next_url": following,
        "previous_url": previous}, headers=headers)


def filter_error(request: Request, fmt: str, exc: browse.FilterError) -> Response:
    """A refused filter: the error page for HTML, else 400 `invalid_parameter`."""
    if fmt == "html":
        return TEMPLATES.TemplateResponse(
            request, "error.html", {"status": 400, "code": "invalid_parameter",
                                    "message": f"Filter {exc}"}, status_code=400)
    raise invalid_parameter(exc.param, str(exc), request.query_params.get(exc.param)) from exc


RESOLUTION_COLUMNS: list[Column] = [
    ("id", "Nr.", "link"), ("title", "Titel", "text"), ("date", "Datum", "date"),
    ("session", "Sitzung", "text"), ("procedure", "Verfahren", "text"),
    ("status_label", "Stand", "status"), ("bodies", "Gremien", "facets"),
    ("laender", "Länder", "facets"), ("subjects", "Themen (EuroVoc)", "facets"),
    ("relation_labels", "Beziehungen", "list")]
SORTABLE = ("id", "title", "date", "session", "procedure", "status_label")


def _paths(name: str) -> list[str]:
    return [f"/{name}", f"/{name}.{{suffix}}"]


async def _resolution_list(request: Request, runner: RunnerDep, client: ClientDep,
                           settings: SettingsDep) -> Response:
    fmt = chosen_format(request, request.path_params.get("suffix"))
    params = browse.ReadParams(request.query_params)
    linker = linker_of(request, settings.base_iri)
    try:
        on = browse.parse_date(params, "on") or dt.date.today()
        proj = await run_in_threadpool(projection, settings)
        current = generation(settings)
        facets, _ = await browse.load_facets(runner, client, linker, current)
        rows, options = await run_in_threadpool(browse.resolution_table, proj, facets,
                                                linker, on, current)
        chosen = browse.filter_resolutions(rows, params)
        ordered, sort, order = browse.sort_rows(chosen, params, SORTABLE, "id")
        page = browse.page_of(ordered, params)
    except browse.FilterError as exc:
        return filter_error(request, fmt, exc)
    return respond_table(request, fmt, template="list_resolutions.html",
                         columns=RESOLUTION_COLUMNS, page=page, name="beschluesse",
                         fields=browse.RESOLUTION_COLUMNS, params=params,
                         context={"options": options, "params": params, "on": on,
                                  "sort": sort, "order": order})


async def _simple_list(request: Request, rows: list[dict[str, Any]], *,
                       title: str, name: str, columns: list[Column], sortable: Sequence[str],
                       default_sort: str, default_order: str = "desc",
                       fields: Sequence[str] | None = None, intro: str = "",
                       filter_param: str = "") -> Response:
    fmt = chosen_format(request, request.path_params.get("suffix"))
    params = browse.ReadParams(request.query_params)
    try:
        ordered, sort, order = browse.sort_rows(rows, params, sortable, default_sort,
                                                default_order)
        page = browse.page_of(ordered, params, default_limit=100)
    except browse.FilterError as exc:
        return filter_error(request, fmt, exc)
    return respond_table(request, fmt, template="list_table.html", columns=columns, page=page,
                         name=name, fields=fields, params=params, context={
                             "title": title, "intro": intro, "sort": sort, "order": order,
                             "sortable": sortable, "filter_param": filter_param})


async def _sessions(request: Request, settings: SettingsDep) -> Response:
    proj = await run_in_threadpool(projection, settings)
    rows = browse.session_rows(proj, linker_of(request, settings.base_iri))
    return await _simple_list(
        request, rows, title="Sitzungen", name="sitzungen",
        columns=[("number", "Nr.", "link"), ("label", "Sitzung", "text"),
                 ("date", "Datum", "date"), ("resolutions", "Beschlüsse", "count")],
        sortable=("number", "date", "resolutions"), default_sort="number",
        fields=("number", "label", "label_en", "date", "resolutions", "iri", "page"),
        intro="Sitzungen des IT-Planungsrats, die ein Protokoll oder das Beschlussregister "
              "nennt; die Zahl zählt die Beschlüsse, die der Sitzung zugeordnet sind.")


async def _organisations(request: Request, runner: RunnerDep, client: ClientDep,
                         settings: SettingsDep, land: bool) -> Response:
    linker = linker_of(request, settings.base_iri)
    facets, organisations = await browse.load_facets(runner, client, linker,
                                                     generation(settings))
    rows = browse.organisation_rows(organisations, facets, linker, land)
    name = "laender" if land else "gremien"
    columns: list[Column] = [("label", "Land" if land else "Gremium", "link"),
                             ("code", "Kürzel", "text"),
                             ("resolutions", "Beschlüsse", "resolutions")]
    if not land:
        columns.insert(2, ("types", "Art", "list"))
    return await _simple_list(
        request, rows, title="Bund und Länder" if land else "Gremien", name=name,
        columns=columns, sortable=("label", "code", "resolutions"), default_sort="label",
        default_order="asc", filter_param="land" if land else "body",
        fields=("key", "code", "label", "label_en", "types", "resolutions", "iri", "page"),
        intro="Beteiligt heißt: fasst den Beschluss, berichtet, erhält einen Auftrag, wird in "
              "ihm genannt, wird durch ihn errichtet, fortgeführt oder beendet, stimmt ab oder "
              "gibt eine Protokollnotiz ab; ein Land auch, wo „die Länder“ beteiligt sind.")


async def _eu_acts(request: Request, settings: SettingsDep) -> Response:
    proj = await run_in_threadpool(projection, settings)
    rows = browse.eu_act_rows(proj, linker_of(request, settings.base_iri))
    return await _simple_list(
        request, rows, title="EU-Rechtsakte", name="eu-rechtsakte",
        columns=[("label", "Rechtsakt", "link"), ("title", "Titel", "text"),
                 ("articles", "Artikel", "list"), ("citing", "Genannt in", "resolution_ids"),
                 ("resolutions", "Beschlüsse", "count")],
        sortable=("label", "resolutions"), default_sort="resolutions",
        fields=("label", "title", "articles", "citing", "resolutions", "iri"),
        intro="EU-Rechtsakte (ELI), auf die Beschlüsse verweisen, mit den verweisenden "
              "Beschlüssen.")


for _path in _paths("beschluesse"):
    router.add_api_route(_path, _resolution_list, methods=["GET"], response_class=HTMLResponse,
                         summary="Resolutions as an HTML list (also .json, .csv), filtered")


async def _gremien(request: Request, runner: RunnerDep, client: ClientDep,
                   settings: SettingsDep) -> Response:
    return await _organisations(request, runner, client, settings, land=False)


async def _laender(request: Request, runner: RunnerDep, client: ClientDep,
                   settings: SettingsDep) -> Response:
    return await _organisations(request, runner, client, settings, land=True)


for _name, _handler, _summary in (
        ("sitzungen", _sessions, "Sessions as an HTML list (also .json, .csv)"),
        ("gremien", _gremien, "Bodies as an HTML list (also .json, .csv)"),
        ("laender", _laender, "Länder as an HTML list (also .json, .csv)"),
        ("eu-rechtsakte", _eu_acts, "EU acts referred to, as an HTML list (also .json, .csv)")):
    for _path in _paths(_name):
        router.add_api_route(_path, _handler, methods=["GET"], response_class=HTMLResponse,
                             summary=_summary)
