"""The knowledge graph describes itself: DCAT/VoID at a well-known IRI, and its dumps.

  /.well-known/void, /catalog   DCAT 3 + VoID description (Turtle), links reachable here
  /dump.trig, /dump.nq          every named graph with its provenance graph name

Both read the current store generation read-only, in this process: no user input reaches a
query, so there is nothing to run in the worker pool.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep
from api.errors import ERROR_RESPONSES, ApiError
from kg.catalog import DUMPS, catalog_turtle
from kg.settings import Settings
from kg.store import OxigraphStore, StoreError, open_store

router = APIRouter(tags=["catalogue"], responses=ERROR_RESPONSES)
TURTLE = "text/turtle; charset=utf-8"


def _store(settings: Settings) -> OxigraphStore:
    try:
        return open_store(settings)
    except StoreError as exc:
        raise ApiError(503, "no_store", str(exc)) from exc


def _base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/") + request.scope.get("root_path", "") + "/"


@router.get("/.well-known/void", summary="DCAT/VoID description of the knowledge graph",
            response_class=Response, responses={200: {"content": {"text/turtle": {}}}})
@router.get("/catalog", summary="DCAT/VoID description of the knowledge graph",
            response_class=Response, responses={200: {"content": {"text/turtle": {}}}})
async def describe(request: Request, settings: SettingsDep) -> Response:
    store = _store(settings)
    body = await run_in_threadpool(catalog_turtle, store, settings, _base_url(request))
    return Response(body, media_type=TURTLE)


def _dump(fmt: str):  # type: ignore[no-untyped-def]
    async def dump(settings: SettingsDep) -> Response:
        store = _store(settings)
        data = await run_in_threadpool(store.dump, fmt)
        return Response(data, media_type=DUMPS[fmt][1],
                        headers={"Content-Disposition": f'attachment; filename="{DUMPS[fmt][0]}"'})
    return dump


for _fmt, (_route, _media) in DUMPS.items():
    router.add_api_route(f"/{_route}", _dump(_fmt), methods=["GET"], response_class=Response,
                         summary=f"Dump of every named graph ({_fmt})",
                         responses={200: {"content": {_media: {}}}})
