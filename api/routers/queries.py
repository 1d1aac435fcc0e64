"""`/queries`: the named-query catalogue (queries/rq/*.rq) over HTTP, like datasette's canned
queries.

  GET /queries, /queries.json          the list with metadata (HTML for browsers, JSON by
                                       Accept or the .json suffix)
  GET /queries/{name}                  HTML: title, description, a form with one typed input
                                       per parameter, the SPARQL text and the results table
                                       (Accept may ask for SPARQL JSON or CSV instead)
  GET /queries/{name}.json             W3C SPARQL 1.1 Query Results JSON, nothing added
  GET /queries/{name}.csv              W3C SPARQL 1.1 Query Results CSV
  GET /queries/{name}/meta             the query's metadata (JSON), with its SPARQL text
  GET /queries/{name}.rq               the SPARQL text (application/sparql-query)

Why metadata is not inside the results: a `.json` answer stays a standard results document
that every SPARQL client library reads as it is. It points to its metadata with
`Link: </queries/{name}/meta>; rel="describedby"`, as the row count and truncation are
reported in the same headers as on /sparql (`X-Result-Rows`, `X-Result-Truncated`).

Parameters come from the URL query string (`?session=48`), are checked and converted by
`NamedQuery.bind` and reach the store only as RDF terms, serialised by pyoxigraph and
written into the query where its parameter variables stand (kg/sparql_inline.py): a value is
one constant, never query text. Queries run through the same `QueryRunner` as /sparql: the
per-client limit, the worker pool and its deadline, the row and byte caps.
"""

from __future__ import annotations

import shlex
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from api import data, i18n
from api.conneg import negotiate
from api.deps import ClientDep, RunnerDep, SettingsDep
from api.errors import ERROR_RESPONSES, ApiError, parameter_problem
from api.query_process import QueryJob, QueryOutcome
from api.results import TABULAR_MEDIA_TYPES
from api.runner import QueryRunner
from api.templating import TEMPLATES
from kg.namespaces import PREFIXES
from kg.settings import Settings
from kg.store import BlankNodeTerm, ResultTerm
from kg.terms import IRI, Literal
from queries import (
    Catalogue,
    CatalogueError,
    NamedQuery,
    Parameter,
    ParameterError,
    UnknownQueryError,
    load_catalogue,
)

router = APIRouter(tags=["queries"], responses=ERROR_RESPONSES)

HTML_MAX_ROWS = 1000  # a page with more rows is unreadable; the CSV twin has them all
HTML_OFFERS = ["text/html", "application/xhtml+xml"]
RESULT_OFFERS = {"text/html": "html", "application/xhtml+xml": "html",
                 "application/sparql-results+json": "json", "application/json": "json",
                 "text/csv": "csv"}
INPUT_TYPES = {"date": "date", "integer": "number", "year": "number", "iri": "text",
               "string": "text"}
SPARQL_QUERY_MEDIA_TYPE = "application/sparql-query"
XSD = "http://www.w3.org/2001/XMLSchema#"


# -- catalogue and parameters ----------------------------------------------------------------


def catalogue() -> Catalogue:
    """The bundled catalogue (parsed once per process)."""
    try:
        return load_catalogue()
    except CatalogueError as exc:
        # a broken .rq file is a deployment error: say which file and line
        raise ApiError(500, "catalogue_invalid",
                       f"the named-query catalogue does not load: {exc}") from None


def find(name: str) -> NamedQuery:
    try:
        return catalogue().get(name)
    except UnknownQueryError as exc:
        hint = f"; did you mean: {', '.join(exc.suggestions)}?" if exc.suggestions else ""
        raise ApiError(404, "unknown_query",
                       f"no named query '{name}'{hint} (GET /queries lists them all)",
                       {"name": name, "suggestions": exc.suggestions}) from None


def query_params(request: Request, *, empty_is_absent: bool = False) -> dict[str, str]:
    """The URL parameters as one value per name; a repeated name is an error. A browser form
    sends every input, so for the HTML page an empty value means "not given" (default)."""
    params: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key == i18n.PARAM:  # the page language (the DE | EN switch), no query parameter
            continue
        if key in params:
            raise ApiError(400, "invalid_parameter", f"parameter '{key}' is given twice",
                           [parameter_problem(key, "given twice", value)])
        if empty_is_absent and not value.strip():
            continue
        params[key] = value
    return params


def bind(query: NamedQuery, params: dict[str, str]) -> dict[str, IRI | Literal]:
    try:
        return query.bind(params)
    except ParameterError as exc:
        raise ApiError(400, "invalid_parameter",
                       f"query '{query.name}', parameter '{exc.param}': {exc.message}",
                       [parameter_problem(exc.param, exc.message, params.get(exc.param))]) from None


# -- links and metadata ----------------------------------------------------------------------


def _root(request: Request) -> str:
    return request.scope.get("root_path", "")


def links(request: Request, query: NamedQuery, params: dict[str, str] | None = None
          ) -> dict[str, str]:
    """Root-relative links of a query (its page, the results twins, metadata, text)."""
    base = f"{_root(request)}/queries/{query.name}"
    suffix = "?" + urlencode(params) if params else ""
    example = example_params(query)
    # without a value for a required parameter the twins could only answer 400: they show
    # the example's results instead (the page itself stays the empty form)
    required = any(p.default is None for p in query.params)
    data = suffix or ("?" + urlencode(example) if required and example else "")
    out = {"page": base + suffix, "json": f"{base}.json{data}",
           "csv": f"{base}.csv{data}", "meta": f"{base}/meta", "sparql": f"{base}.rq"}
    if example:
        out["example"] = f"{base}?{urlencode(example)}"
    return out


def example_params(query: NamedQuery) -> dict[str, str]:
    """The `--param key=value` pairs of the query's `example:` line (a `kg query` call)."""
    try:
        words = shlex.split(query.example)
    except ValueError:
        return {}
    pairs: dict[str, str] = {}
    for flag, value in zip(words, words[1:], strict=False):
        if flag == "--param" and "=" in value:
            key, _, text = value.partition("=")
            pairs[key] = text
    return pairs


def metadata(request: Request, query: NamedQuery) -> dict[str, Any]:
    return {**query.metadata(), "links": links(request, query)}


def wants_html(request: Request) -> bool:
    accept = request.headers.get("accept")
    # no Accept header: a machine is asking (as on the resource pages)
    return bool(accept) and negotiate(accept, [*HTML_OFFERS, "application/json"]) in HTML_OFFERS


# -- running ---------------------------------------------------------------------------------


async def run(runner: QueryRunner, client: str, settings: Settings, query: NamedQuery,
              bindings: dict[str, IRI | Literal], tabular_format: str | None,
              max_rows: int | None = None) -> QueryOutcome:
    job = QueryJob(query.bound_text(bindings), tabular_format=tabular_format,
                   max_rows=max_rows or settings.max_rows, max_bytes=settings.max_bytes,
                   prefixes=PREFIXES)
    return (await runner.run(client, [job]))[0]


def result_headers(request: Request, query: NamedQuery, outcome: QueryOutcome,
                   settings: Settings) -> dict[str, str]:
    meta = f"{_root(request)}/queries/{query.name}/meta"
    headers = {"Link": f'<{meta}>; rel="describedby"; type="application/json"',
               "Vary": "Accept"}
    if outcome.truncated:
        limit = settings.max_rows if outcome.truncated == "rows" else settings.max_bytes
        headers["X-Result-Truncated"] = f"{outcome.truncated}; limit={limit}"
    if outcome.form == "select":
        headers["X-Result-Rows"] = str(outcome.row_count)
    return headers


async def results(request: Request, runner: QueryRunner, client: str, settings: Settings,
                  name: str, fmt: str) -> Response:
    query = find(name)
    bindings = bind(query, query_params(request))
    outcome = await run(runner, client, settings, query, bindings, fmt)
    headers = result_headers(request, query, outcome, settings)
    if fmt == "csv":
        headers["Content-Disposition"] = f'inline; filename="{query.name}.csv"'
    media = outcome.media_type or TABULAR_MEDIA_TYPES[fmt]
    return Response(outcome.body or b"", media_type=media, headers=headers)


# -- HTML ------------------------------------------------------------------------------------


def cell(term: ResultTerm | None, linker: data.Linker) -> dict[str, Any]:
    """A result term for the table: IRIs under the base link to their page here."""
    if term is None:
        return {"text": ""}
    if isinstance(term, IRI):
        page = linker.page(term.value)
        if page:
            return {"text": term.value[len(linker.base_iri):], "href": page, "iri": term.value}
        return {"text": linker.compact(term.value), "href": term.value, "iri": term.value,
                "external": True}
    if isinstance(term, BlankNodeTerm):
        return {"text": "_:" + term.id}
    note = None
    if term.lang:
        note = "@" + term.lang
    elif term.datatype.startswith(XSD) and term.datatype[len(XSD):] not in (
            "string", "integer", "decimal", "date", "boolean"):
        note = "xsd:" + term.datatype[len(XSD):]
    return {"text": term.value, "note": note}


def form_fields(query: NamedQuery, given: dict[str, str]) -> list[dict[str, Any]]:
    return [_field(p, given) for p in query.params]


def _field(p: Parameter, given: dict[str, str]) -> dict[str, Any]:
    attrs: dict[str, str] = {}
    if p.type in ("integer", "year"):
        attrs["step"] = "1"
        if p.min is not None:
            attrs["min"] = str(p.min)
        if p.max is not None:
            attrs["max"] = str(p.max)
    return {
        "name": p.name, "type": p.type, "input": INPUT_TYPES.get(p.type, "text"),
        "value": given.get(p.name, p.default or ""), "default": p.default,
        "required": p.required, "description": p.description, "expected": p.expected(),
        "attrs": attrs,
    }


async def page(request: Request, runner: QueryRunner, client: str, settings: Settings,
               name: str) -> HTMLResponse:
    try:
        query = find(name)
    except ApiError as exc:
        if exc.status != 404:
            raise
        return TEMPLATES.TemplateResponse(request, "query_unknown.html", {
            "name": name, "message": exc.message,
            "suggestions": exc.detail["suggestions"]}, status_code=404)
    given: dict[str, str] = {}
    bindings: dict[str, IRI | Literal] | None = None
    problem: ApiError | None = None
    try:
        given = query_params(request, empty_is_absent=True)
        # run when something was asked for, or when the defaults are a complete question
        if given or all(not p.required for p in query.params):
            bindings = bind(query, given)
    except ApiError as exc:  # only the 400s of query_params and bind
        problem = exc
    context: dict[str, Any] = {
        "q": query, "given": given, "fields": form_fields(query, given),
        "links": links(request, query, given), "error": None, "error_param": None,
        "table": None,
    }
    if problem is not None:
        context["error"] = problem.message
        context["error_param"] = problem.detail[0]["location"].removeprefix("query.")
        return TEMPLATES.TemplateResponse(request, "query.html", context, status_code=400)
    if bindings is not None:
        limit = min(settings.max_rows, HTML_MAX_ROWS)
        try:
            outcome = await run(runner, client, settings, query, bindings, None,
                                max_rows=limit)
        except ApiError as exc:  # deadline, busy pool, store: say so on the page
            context["error"] = exc.message
            return TEMPLATES.TemplateResponse(request, "query.html", context,
                                              status_code=exc.status, headers=exc.headers)
        context["table"] = table(outcome, data.Linker(settings.base_iri, _root(request)))
        context["limit"] = limit
    return TEMPLATES.TemplateResponse(request, "query.html", context,
                                      headers={"Vary": "Accept"})


def table(outcome: QueryOutcome, linker: data.Linker) -> dict[str, Any]:
    # the `?_name` columns only echo the parameters, which the form already shows
    shown = [i for i, v in enumerate(outcome.variables) if not v.startswith("_")]
    return {
        "form": outcome.form,
        "boolean": outcome.boolean,
        "variables": [outcome.variables[i] for i in shown],
        "rows": [[cell(row[i], linker) for i in shown] for row in outcome.rows],
        "truncated": outcome.truncated,
        "graph": (outcome.body or b"").decode("utf-8", "replace")
        if outcome.form == "graph" else None,
    }


# -- routes (the suffixed ones first: `{name}` would match "x.json" too) --------------------


@router.get("/queries.json", summary="The named queries with their metadata (JSON)")
async def list_json(request: Request) -> JSONResponse:
    return _list_json(request)


def _list_json(request: Request) -> JSONResponse:
    items = [metadata(request, q) for q in catalogue()]
    return JSONResponse({"count": len(items), "queries": items}, headers={"Vary": "Accept"})


@router.get("/queries", response_model=None,
            summary="The named queries with their metadata (HTML or JSON by Accept)")
async def list_queries(request: Request) -> Response:
    if not wants_html(request):
        return _list_json(request)
    return TEMPLATES.TemplateResponse(request, "query_list.html", {
        "queries": [metadata(request, q) for q in catalogue()]}, headers={"Vary": "Accept"})


@router.get("/queries/{name}.json", name="named_query_json",
            response_class=Response,
            responses={200: {"content": {"application/sparql-results+json": {}}}},
            summary="Run a named query: SPARQL 1.1 Query Results JSON")
async def query_json(name: str, request: Request, runner: RunnerDep, client: ClientDep,
                     settings: SettingsDep) -> Response:
    return await results(request, runner, client, settings, name, "json")


@router.get("/queries/{name}.csv", name="named_query_csv", response_class=Response,
            responses={200: {"content": {"text/csv": {}}}},
            summary="Run a named query: SPARQL 1.1 Query Results CSV")
async def query_csv(name: str, request: Request, runner: RunnerDep, client: ClientDep,
                    settings: SettingsDep) -> Response:
    return await results(request, runner, client, settings, name, "csv")


@router.get("/queries/{name}.rq", response_class=Response,
            responses={200: {"content": {SPARQL_QUERY_MEDIA_TYPE: {}}}},
            summary="The SPARQL text of a named query, header comments included")
async def query_text(name: str) -> Response:
    query = find(name)
    return Response(query.text, media_type=SPARQL_QUERY_MEDIA_TYPE + "; charset=utf-8")


@router.get("/queries/{name}/meta", summary="Metadata of a named query (JSON)")
async def query_meta(name: str, request: Request) -> JSONResponse:
    query = find(name)
    return JSONResponse({**metadata(request, query), "sparql": query.text})


@router.get("/queries/{name}", name="named_query", response_class=Response,
            responses={200: {"content": {m: {} for m in RESULT_OFFERS}}},
            summary="A named query: HTML form and results, or results by Accept")
async def query_page(name: str, request: Request, runner: RunnerDep, client: ClientDep,
                     settings: SettingsDep) -> Response:
    accept = request.headers.get("accept")
    chosen = negotiate(accept, list(RESULT_OFFERS)) if accept else None
    fmt = RESULT_OFFERS[chosen] if chosen else "json"
    if fmt != "html":
        return await results(request, runner, client, settings, name, fmt)
    return await page(request, runner, client, settings, name)
