"""The app factory: `create_app(settings)` builds the FastAPI application.

Routes:
  /sparql                         SPARQL 1.1 Protocol endpoint (routers/sparql.py)
  /resolutions, /sessions/{n}, /bodies/{id}   REST API (routers/rest.py), OpenAPI at /docs
  /  and /static/...              query page with YASGUI (routers/pages.py)
  /queries, /queries/{name}[.json|.csv]   named-query catalogue (routers/queries.py)
  <path of base_iri>{path}        linked-data pages (routers/resources.py)

Base IRIs and routes: a data IRI is `settings.base_iri + path`; its page is served at
`/{last segment of the base path}/{path}` (api.data.page_prefix). With the default base
`https://w3id.org/beschlussgraph/id/` that is `/id/{path}`: the w3id.org redirect maps
`https://w3id.org/beschlussgraph/(.*)` to `https://<deployment>/$1`. With
`KG_BASE_IRI=http://127.0.0.1:8000/id/` (the demo) the IRIs themselves resolve against
`kg serve`. Mounted under a prefix (`root_path`), every link the app writes carries it.

The worker pool starts with the lifespan, or lazily on the first query when the app is mounted
inside another app whose lifespan does not run ours. Requests reach it through the fair
scheduler (api/limits.py); the client key, the security headers and the CSP nonce come from
the outermost layer (api/security.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from api.errors import install_error_handlers
from api.keeping import keep_projections
from api.limits import FairScheduler
from api.query_worker import QueryPool, default_pool_size
from api.runner import QueryRunner
from api.security import EdgeMiddleware, Network, add_nonce, csp_nonce, docs_policy, parse_networks
from api.warming import Warmer
from kg.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"


class _App(FastAPI):
    """FastAPI with EdgeMiddleware outside Starlette's own error layer, so that 500 responses
    carry the security headers too and the client key is set before anything else runs."""

    trusted_proxies: tuple[Network, ...] = ()

    def build_middleware_stack(self) -> ASGIApp:
        return EdgeMiddleware(super().build_middleware_stack(), self.trusted_proxies)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    trusted = parse_networks(settings.trusted_proxies)
    pool = QueryPool(settings.store, default_pool_size(settings.query_workers),
                     settings.query_timeout_s, settings=settings)
    scheduler = FairScheduler(pool.size, sparql_per_client=settings.max_concurrent_per_client,
                              sparql_queue=settings.queue_per_client,
                              lookup_queue=settings.lookup_queue_per_client,
                              max_waiting=settings.queue_max,
                              wait_timeout_s=settings.queue_timeout_s)
    runner = QueryRunner(pool, scheduler, settings.max_rows, settings.max_bytes,
                         settings.lookup_timeout_s)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        warmer = app.state.warmer = Warmer(app, runner, settings.warm_pages_from) \
            if settings.warm_pages else None
        keeping = asyncio.create_task(keep_projections(
            settings, on_generation=warmer.start if warmer is not None else None)) \
            if settings.keep_projection or warmer is not None else None
        try:
            yield
        finally:
            if keeping is not None:
                keeping.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await keeping
            if warmer is not None:
                warmer.cancel()
                await warmer.wait()
            await pool.close()

    app = _App(
        title="Beschlussgraph",
        summary="Resolutions of the IT-Planungsrat as a knowledge graph: SPARQL, REST and "
                "linked-data pages (read-only).",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served below: their inline bootstrap needs the CSP nonce
        redoc_url=None,
    )
    app.trusted_proxies = trusted
    app.state.settings = settings
    app.state.runner = runner
    app.state.pool = pool
    app.state.scheduler = scheduler
    app.state.warmer = None  # the lifespan's (api/warming.py)
    install_error_handlers(app)
    _add_docs(app)
    # Public read-only data: any origin may read, nobody sends credentials.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Accept", "Content-Type"],
        expose_headers=["X-Result-Truncated", "X-Result-Rows", "Link"],
        max_age=3600,
    )

    from api.routers import (
        analysis,
        catalog,
        graph,
        health,
        pages,
        queries,
        resources,
        rest,
        sparql,
    )

    app.include_router(sparql.router)
    app.include_router(health.router)
    app.include_router(catalog.router)
    app.include_router(rest.router)
    app.include_router(analysis.router)
    app.include_router(graph.router)
    app.include_router(queries.router)
    app.include_router(pages.router)
    from api.routers import browse, versions  # issue 14: lists, consolidated text, changes

    app.include_router(browse.router)
    app.include_router(versions.build_router(settings.base_iri))
    from api.routers import search  # issue 14 item 2: /suche, /search, /api/search

    app.include_router(search.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # last: with a base IRI whose path is "/", the page route catches every other path
    app.include_router(resources.build_router(settings.base_iri))
    return app


def _add_docs(app: FastAPI) -> None:
    """`/docs` with Swagger UI served from api/static/vendor (no CDN: the project works
    offline); its inline bootstrap gets the CSP nonce. `/redoc` leads there."""

    @app.get("/docs", include_in_schema=False)
    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        html = get_swagger_ui_html(
            openapi_url=root + (app.openapi_url or "/openapi.json"), title=app.title + " – API",
            swagger_js_url=root + "/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=root + "/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="data:,",
            # Swagger UI would otherwise ask validator.swagger.io about the schema
            swagger_ui_parameters={"validatorUrl": None})
        nonce = csp_nonce(request)
        body = add_nonce(bytes(html.body).decode("utf-8"), nonce, {"script": 1})
        return HTMLResponse(body, headers={"Content-Security-Policy": docs_policy(nonce)})

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> RedirectResponse:
        return RedirectResponse(request.scope.get("root_path", "") + "/docs", status_code=307)


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory api.app:create_app_from_env` (settings from KG_*)."""
    return create_app(Settings())
