"""`/sparql`: the SPARQL 1.1 Protocol, read-only (DESIGN.md §4).

GET `?query=`, POST `application/x-www-form-urlencoded` and POST `application/sparql-query`;
`default-graph-uri` / `named-graph-uri` form the protocol dataset, which replaces the query's
FROM clauses; without either the default graph is the union of all named graphs. Results by
`Accept` (or `format=` / `output=`, with the names clients send: `json-ld`, `rdf+xml`, `n3`,
media types): JSON (default), XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle with the project
prefixes (default), N-Triples, JSON-LD, RDF/XML, N-Quads, TriG. GET without a query returns
the service description (Turtle; browsers are sent to the query page). Updates, SERVICE and
LOAD: 400.
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from api.conneg import negotiate
from api.deps import ClientDep, RunnerDep, SettingsDep
from api.errors import ERROR_RESPONSES, ApiError, invalid_parameter
from api.query_process import QueryJob
from api.routers.pages import render_query_page
from api.sparql_safety import check_query
from kg.namespaces import PREFIXES

router = APIRouter(tags=["sparql"])

MAX_QUERY_BYTES = 1_000_000  # a query text longer than this is a mistake or an attack
INLINE_CHECK_CHARS = 20_000
CHECK_TIMEOUT_S = 2.0  # the lexer needs milliseconds for MAX_QUERY_BYTES; this is a backstop

TABULAR_OFFERS: list[tuple[str, str]] = [
    ("application/sparql-results+json", "json"),
    ("application/json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
]
GRAPH_OFFERS: list[tuple[str, str]] = [
    ("text/turtle", "turtle"),
    ("application/x-turtle", "turtle"),
    ("application/n-triples", "ntriples"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/n-quads", "nquads"),
    ("application/trig", "trig"),
]
# `format=` / `output=` values: short names as clients send them (SPARQLWrapper sends its
# return format in both, e.g. json-ld, rdf+xml, n3, and for some a media type as a second
# value) and the media types themselves; each gives (results format, graph format).
FORMAT_PARAM: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", None),
    "tsv": ("tsv", None), "turtle": (None, "turtle"), "ttl": (None, "turtle"),
    "n3": (None, "turtle"), "ntriples": (None, "ntriples"), "n-triples": (None, "ntriples"),
    "nt": (None, "ntriples"), "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "rdfxml": (None, "rdfxml"), "rdf+xml": (None, "rdfxml"), "rdf": (None, "rdfxml"),
    "nquads": (None, "nquads"), "n-quads": (None, "nquads"), "nq": (None, "nquads"),
    "trig": (None, "trig"),
    **{media: (name, None) for media, name in TABULAR_OFFERS},
    **{media: (None, name) for media, name in GRAPH_OFFERS},
    "application/turtle": (None, "turtle"), "text/n3": (None, "turtle"),
    "text/rdf+n3": (None, "turtle"), "application/x-json+ld": (None, "jsonld"),
}
FORMAT_PARAMETERS = ("format", "output")  # in this order; the first known value wins


def _choose(accept: str | None, offers: list[tuple[str, str]], default: str) -> str:
    chosen = negotiate(accept, [media for media, _ in offers])
    return dict(offers)[chosen] if chosen else default


def _decode(data: bytes, what: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(400, "invalid_encoding",
                       f"the {what} is not valid UTF-8 (byte {exc.start}); SPARQL requests "
                       "must be UTF-8") from None
    return text.removeprefix("\ufeff")


def _parse_pairs(text: str, what: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ApiError(400, "invalid_encoding",
                       f"the {what} has percent-encoded bytes that are not UTF-8") from None


def _content_type(request: Request) -> tuple[str, dict[str, str]]:
    header = request.headers.get("content-type")
    if not header:
        raise ApiError(415, "unsupported_media_type",
                       "a POST needs a Content-Type: application/sparql-query (query in the "
                       "body) or application/x-www-form-urlencoded (query=...)")
    media, *params = [p.strip() for p in header.split(";")]
    parsed = {}
    for param in params:
        name, _, value = param.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"').lower()
    charset = parsed.get("charset")
    if charset is not None and charset not in ("utf-8", "utf8"):
        raise ApiError(415, "unsupported_media_type",
                       f"charset {charset} is not supported; send the query as UTF-8")
    return media.lower(), parsed


async def _body(request: Request) -> bytes:
    body = await request.body()
    if len(body) > MAX_QUERY_BYTES:
        raise ApiError(413, "request_too_large",
                       f"the request body exceeds {MAX_QUERY_BYTES} bytes")
    return body


async def _request_params(request: Request) -> list[tuple[str, str]]:
    """All protocol parameters of the request, the query text included as ("query", …)."""
    raw_query = request.scope.get("query_string", b"")
    url_params = _parse_pairs(_decode(raw_query, "URL query string"), "URL query string")
    if request.method in ("GET", "HEAD"):
        return url_params
    media, _ = _content_type(request)
    if media == "application/x-www-form-urlencoded":
        body = _decode(await _body(request), "form body")
        return url_params + _parse_pairs(body, "form body")
    if media == "application/sparql-query":
        if any(name == "query" for name, _ in url_params):
            raise ApiError(400, "multiple_queries",
                           "a query in both the URL and the body is ambiguous")
        return [*url_params, ("query", _decode(await _body(request), "query"))]
    if media == "application/sparql-update":
        raise ApiError(400, "update_not_allowed",
                       "SPARQL Update is not allowed: this endpoint is read-only; load data "
                       "with `kg load`")
    raise ApiError(415, "unsupported_media_type",
                   f"Content-Type {media} is not supported; use application/sparql-query or "
                   "application/x-www-form-urlencoded")


async def _describe_service(request: Request, runner: RunnerDep, client: str,
                            settings: SettingsDep) -> Response:
    accept = request.headers.get("accept")
    chosen = negotiate(accept, ["text/turtle", "text/html", "application/n-triples",
                                "application/ld+json", "application/rdf+xml"])
    if chosen == "text/html":
        # a person opening /sparql in a browser wants the query page
        return RedirectResponse(request.scope.get("root_path", "") + "/", status_code=303)
    chosen = chosen or "text/turtle"
    rows = await runner.select(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g",
                               max_rows=1000)
    names = [row["g"].value for row in rows if row.get("g") is not None]  # type: ignore[union-attr]
    # rdflib is imported by the first description asked for, not by every front process
    from api.service_description import describe  # noqa: PLC0415

    body = describe(str(request.url.replace(query="")), names, chosen,
                    timeout_s=settings.query_timeout_s, max_rows=settings.max_rows)
    media = chosen + ("; charset=utf-8" if chosen == "text/turtle" else "")
    return Response(body, media_type=media, headers={"Vary": "Accept"})


_PARAMETERS: dict[str, Any] = {"parameters": [
    {"name": "query", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "SPARQL query; without it, GET returns the service description"},
    {"name": "default-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}},
    {"name": "named-graph-uri", "in": "query", "required": False,
     "schema": {"type": "array", "items": {"type": "string"}}},
    {"name": "format", "in": "query", "required": False, "schema": {"type": "string"},
     "description": "override Accept (also read from output=): json, xml, csv, tsv, "
                    "turtle (ttl, n3), ntriples, jsonld (json-ld), rdfxml (rdf+xml, rdf), "
                    "nquads, trig, or a media type"},
]}


@router.get("/sparql", name="sparql", responses=ERROR_RESPONSES, openapi_extra=_PARAMETERS,
            summary="SPARQL 1.1 query (GET); without a query: the service description")
async def sparql_get(request: Request, runner: RunnerDep, client: ClientDep,
                     settings: SettingsDep) -> Response:
    return await _sparql(request, runner, client, settings)


@router.post("/sparql", responses=ERROR_RESPONSES, openapi_extra={
    "parameters": _PARAMETERS["parameters"][1:],
    "requestBody": {"content": {
        "application/sparql-query": {"schema": {"type": "string"}},
        "application/x-www-form-urlencoded": {"schema": {
            "type": "object", "properties": {"query": {"type": "string"}}}}}}},
    summary="SPARQL 1.1 query (POST form or direct)")
async def sparql_post(request: Request, runner: RunnerDep, client: ClientDep,
                      settings: SettingsDep) -> Response:
    return await _sparql(request, runner, client, settings)


# a browser's Accept ranks text/html above the result types (which it reaches only through
# */* or application/xml;q=0.9); without Accept, with */* or with a tie, a machine gets results
_EDITOR_OFFERS = [m for m, _ in TABULAR_OFFERS] + [m for m, _ in GRAPH_OFFERS] + ["text/html"]


def _wants_editor(request: Request, params: list[tuple[str, str]]) -> bool:
    """GET /sparql?query=… from a browser, without format=/output=: show the editor."""
    if request.method != "GET" or any(n in FORMAT_PARAMETERS for n, _ in params):
        return False
    return negotiate(request.headers.get("accept"), _EDITOR_OFFERS) == "text/html"


def _format_override(params: list[tuple[str, str]]) -> tuple[str | None, str | None] | None:
    """The formats `format=` (then `output=`) ask for: the first value that names one, case
    and media-type parameters ignored, a comma-separated list of media types read in order;
    None without either parameter; 400 when none of the values names a format."""
    values = [v for name in FORMAT_PARAMETERS for n, v in params if n == name]
    for value in values:
        for part in value.split(","):
            key = part.split(";", 1)[0].strip().lower()
            if key in FORMAT_PARAM:
                return FORMAT_PARAM[key]
    if values and any(v.strip() for v in values):
        raise invalid_parameter("format", f"format={values[0]} is unknown; use one of "
                                + ", ".join(sorted(k for k in FORMAT_PARAM if "/" not in k))
                                + " or a media type", values[0])
    return None


async def _sparql(request: Request, runner: RunnerDep, client: str,
                  settings: SettingsDep) -> Response:
    params = await _request_params(request)
    queries = [value for name, value in params if name == "query"]
    if any(name == "update" for name, _ in params):
        raise ApiError(400, "update_not_allowed",
                       "SPARQL Update is not allowed: this endpoint is read-only; load data "
                       "with `kg load`")
    if len(queries) > 1:
        raise ApiError(400, "multiple_queries",
                       f"{len(queries)} query parameters given; send exactly one")
    if not queries:
        if request.method == "POST":
            raise ApiError(400, "missing_query", "no query given: send query=… or a body")
        return await _describe_service(request, runner, client, settings)
    text = queries[0]
    if _wants_editor(request, params):
        # a person who opens a query link in a browser sees it in the editor and runs it there
        page = render_query_page(request, settings, text)
        page.headers["Vary"] = "Accept"
        return page
    if not text.strip():
        raise ApiError(400, "malformed_query", "the query is empty")
    if len(text) > MAX_QUERY_BYTES:
        raise ApiError(413, "request_too_large",
                       f"the query has {len(text)} characters; at most {MAX_QUERY_BYTES} are "
                       "accepted")
    # a large query is checked off the event loop so that it cannot stall other clients; a
    # small one takes microseconds, less than the hop to a thread
    try:
        check = (check_query(text) if len(text) < INLINE_CHECK_CHARS else
                 await asyncio.wait_for(asyncio.to_thread(check_query, text), CHECK_TIMEOUT_S))
    except TimeoutError:
        raise ApiError(400, "query_too_complex",
                       f"the query could not be checked within {CHECK_TIMEOUT_S:g} s and is "
                       "refused") from None
    if check.refused:
        raise ApiError(400, check.refused, check.message or "query refused")

    default_graphs = [v for n, v in params if n == "default-graph-uri"]
    named_graphs = [v for n, v in params if n == "named-graph-uri"]
    protocol_dataset = bool(default_graphs or named_graphs)
    accept = request.headers.get("accept")
    tabular = _choose(accept, TABULAR_OFFERS, "json")
    graph_fmt = _choose(accept, GRAPH_OFFERS, "turtle")
    override = _format_override(params)
    if override is not None:
        forced_tab, forced_graph = override
        tabular = forced_tab or tabular
        graph_fmt = forced_graph or graph_fmt

    job = QueryJob(
        text,
        default_graphs=tuple(default_graphs) if protocol_dataset else None,
        named_graphs=tuple(named_graphs) if protocol_dataset else None,
        union_default=not check.has_dataset_clause,
        tabular_format=tabular,
        graph_format=graph_fmt,
        max_rows=settings.max_rows,
        max_bytes=settings.max_bytes,
        prefixes=PREFIXES,
        base_iri=str(request.url.replace(query="")),
    )
    outcome = (await runner.run(client, [job]))[0]
    headers = {"Vary": "Accept"}
    if outcome.truncated:
        limit = settings.max_rows if outcome.truncated == "rows" else settings.max_bytes
        headers["X-Result-Truncated"] = f"{outcome.truncated}; limit={limit}"
    if outcome.form == "select":
        headers["X-Result-Rows"] = str(outcome.row_count)
    return Response(outcome.body or b"", media_type=outcome.media_type, headers=headers)
