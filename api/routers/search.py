"""Full-text search (kg/search): `/api/search` (JSON) and the page `/suche` (alias `/search`).

The index is read in this process (a thread of the pool, off the event loop): a search
touches no SPARQL and no worker, so it neither waits behind queries nor holds a worker. The
input is bounded (kg.search.query: characters, words, limit).
"""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from api import data
from api.deps import SettingsDep
from api.errors import ERROR_RESPONSES, ApiError
from api.templating import TEMPLATES
from kg.search.index import KINDS, SearchIndexMissing
from kg.search.query import MAX_LIMIT, MAX_QUERY_CHARS, SearchQueryError, SearchResult, search
from kg.settings import Settings
from kg.store import StoreError

router = APIRouter(tags=["search"], responses=ERROR_RESPONSES)

Kind = Literal[KINDS]  # type: ignore[valid-type]
KIND_LABELS = {"resolution": "Beschluss", "point": "Ziffer", "agenda_item": "Tagesordnungspunkt",
               "note": "Protokollnotiz", "statement": "Wortbeitrag"}
PAGE_SIZE = 20


class SearchHit(BaseModel):
    iri: str
    id: str
    kind: str
    title: str
    date: str | None
    snippet: str  # HTML: matches in <mark>…</mark>, everything else escaped
    score: float
    page: str | None  # the page on this server that shows the hit (with #anchor)


class SearchResponse(BaseModel):
    query: str
    total: int
    offset: int
    limit: int
    hits: list[SearchHit]


def _run(settings: Settings, q: str, limit: int, offset: int,
         kinds: list[str] | None) -> SearchResult:
    try:
        return search(settings, q, limit=limit, offset=offset, kinds=kinds)
    except SearchQueryError as exc:
        raise ApiError(400, "bad_search", str(exc)) from exc
    except SearchIndexMissing as exc:
        raise ApiError(503, "no_search_index", str(exc)) from exc
    except StoreError as exc:
        raise ApiError(503, "no_store", str(exc)) from exc


def _page(linker: data.Linker, page: str, anchor: str | None) -> str | None:
    path = linker.page(page)
    return f"{path}#{anchor}" if path and anchor else path


@router.get("/api/search", response_model=SearchResponse,
            summary="Full-text search with German stemming, ranking and highlighted snippets")
def api_search(
    request: Request, settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description=(
        'words (all must occur; "phrase", prefix*, -exclude)'))],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 10,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    kind: Annotated[list[Kind] | None, Query(description="only these kinds")] = None,
) -> SearchResponse:
    result = _run(settings, q, limit, offset, kind)
    linker = data.Linker(settings.base_iri, request.scope.get("root_path", ""))
    return SearchResponse(
        query=result.query, total=result.total, offset=result.offset, limit=result.limit,
        hits=[SearchHit(iri=h.iri, id=h.id, kind=h.kind, title=h.title, date=h.date,
                        snippet=h.snippet, score=round(h.score, 4),
                        page=_page(linker, h.page, h.anchor)) for h in result.hits])


@router.get("/suche", response_class=HTMLResponse, include_in_schema=False)
@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request, settings: SettingsDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    kind: Annotated[Kind | None, Query()] = None,
) -> HTMLResponse:
    context: dict[str, object] = {"q": q, "kind": kind or "", "kinds": KIND_LABELS,
                                  "result": None, "error": None, "hits": []}
    status = 200
    if q.strip():
        try:
            result = _run(settings, q, PAGE_SIZE, offset, [kind] if kind else None)
        except ApiError as exc:
            context["error"] = exc.message
            status = exc.status
        else:
            linker = data.Linker(settings.base_iri, request.scope.get("root_path", ""))
            context["result"] = result
            context["hits"] = [(h, _page(linker, h.page, h.anchor)) for h in result.hits]
            base = {"q": q, **({"kind": kind} if kind else {})}
            path = request.url.path
            if offset > 0:
                back = max(0, offset - PAGE_SIZE)
                context["previous"] = f"{path}?{urlencode({**base, 'offset': back})}"
            if result.has_more:
                context["next"] = f"{path}?{urlencode({**base, 'offset': offset + PAGE_SIZE})}"
    return TEMPLATES.TemplateResponse(request, "search.html", context, status_code=status)
