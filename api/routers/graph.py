"""Graph views (kg/graphs) as pages, for people and for iframes in resource pages.

  /graph                                      the views, with an example of each
  /graph/open?view=resolution&id=2025/33      the form's way to a view (303 to its path)
  /graph/resolution/{year}/{number}?hops=N   n-hop neighbourhood of a resolution
  /graph/session/{n}                          a session's resolutions and their references
  /graph/chain/{year}/{number}                the chain of changes, oldest left
  /graph/timeline                             resolutions by date with change edges, in lanes
  /graph/all?points=changed                   everything: chains as lanes, time left to right
  /graph/static/{file}                        vis-network, shipped with the project

Every view takes `on` (status date), `format` (html or svg) and `embed` (no header, a compact
legend); the lane views also `cluster` (auto: from 600 nodes one node per chain and per year).
Node clicks open the resource page under this server's base path.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from api.data import page_prefix
from api.deps import SettingsDep
from api.errors import ERROR_RESPONSES, ApiError, invalid_parameter
from api.models import MAX_SESSION_NUMBER
from api.routers.analysis import Number, Year, projection, resolution_iri
from api.security import add_nonce, csp_nonce
from api.templating import TEMPLATES
from kg.analysis.cache import current_chains
from kg.analysis.dependencies import most_cited
from kg.analysis.projection import Projection
from kg.graphs.export import render_svg
from kg.graphs.render import STATIC_DIR, RenderOptions, render_html
from kg.graphs.views import View, all_view, chain_view, neighbourhood, session_view, timeline_view
from kg.settings import Settings

router = APIRouter(prefix="/graph", tags=["graph"], responses=ERROR_RESPONSES)

ASSETS = {"vis-network.min.js": "text/javascript", "vis-network.css": "text/css"}
Format = Annotated[Literal["html", "svg"], Query(description="html (interactive) or svg")]
On = Annotated[dt.date | None, Query(description="status date (YYYY-MM-DD); default today")]
Embed = Annotated[bool, Query(description="without header, a compact legend, for an iframe")]
Cluster = Annotated[Literal["auto", "on", "off"],
                    Query(description="one node per chain and per year (auto: from 600 nodes)")]


def _options(request: Request, settings: Settings, on: dt.date | None,
             embed: bool, cluster: str = "auto") -> RenderOptions:
    root = request.scope.get("root_path", "")
    # the same mapping as the resource pages' routes (api.data.page_prefix)
    return RenderOptions(base_iri=settings.base_iri,
                         link_prefix=root + page_prefix(settings.base_iri), on=on,
                         inline_assets=False, asset_url=root + "/graph/static/", embed=embed,
                         height="calc(100vh - 48px)" if not embed else "100vh",
                         cluster=cluster)


# what the graph template writes inline with external assets: its stylesheet and its script
# (data as tojson, so a document's text cannot open another element)
INLINE_ELEMENTS = {"style": 1, "script": 1}


def _respond(request: Request, proj: Projection, view: View, opts: RenderOptions,
             fmt: str) -> Response:
    if fmt == "svg":
        return Response(render_svg(proj, view, opts), media_type="image/svg+xml")
    html = render_html(proj, view, opts)
    return HTMLResponse(add_nonce(html, csp_nonce(request), INLINE_ELEMENTS))


@router.get("", summary="The graph views, with an example of each",
            response_class=HTMLResponse)
@router.get("/", include_in_schema=False)
def graph_index(request: Request, settings: SettingsDep) -> Response:
    # a copy: the template's context gets the request added to it
    return TEMPLATES.TemplateResponse(request, "graph_index.html",
                                      dict(_examples(projection(settings), settings)))


# the examples of the projection they were found in: finding them reads the whole record
# (every reference for the most cited), which a projection does once, not every view
_EXAMPLES: list[tuple[Projection, dict[str, object]]] = []


def _examples(proj: Projection, settings: Settings) -> dict[str, object]:
    """The most cited resolution, the newest member of the longest chain (ties: the first as
    `kg chains` lists them) and the newest session, each as a graph's path takes it."""
    for kept, examples in _EXAMPLES:
        if kept is proj:
            return examples

    def path_id(iris: list[str]) -> str | None:
        """The last of `iris` whose id a graph's path takes (not a follow-up's "F-…")."""
        ids = [proj.node(iri).get("id") or "" for iri in iris]
        return next((i for i in reversed(ids) if _RESOLUTION_ID.fullmatch(i)), None)

    longest = max(current_chains(settings).chains, key=lambda c: len(c.members), default=None)
    sessions = [d["number"] for _, d in proj.graph.nodes(data=True)
                if d.get("kind") == "session" and isinstance(d.get("number"), int)]
    examples: dict[str, object] = {
        "resolution": path_id([c.iri for c in reversed(most_cited(proj, limit=5))]),
        "chained": path_id(longest.members) if longest else None,
        "session": max(sessions, default=None),
    }
    _EXAMPLES[:] = [(proj, examples)]
    return examples


_RESOLUTION_ID = re.compile(r"(\d{4})/(\d{1,9}(?:-AL)?)")
_SESSION_NUMBER = re.compile(r"\d{1,9}")


@router.get("/open", summary="The view a form names: 303 to its page",
            status_code=303, response_class=RedirectResponse)
def open_view(request: Request,
              view: Annotated[Literal["resolution", "chain", "session"], Query()],
              id: Annotated[str, Query(max_length=20,  # noqa: A002 (the form's name)
                                       description='"2025/33", or a session number')],
              ) -> RedirectResponse:
    wanted = id.strip()
    pattern = _SESSION_NUMBER if view == "session" else _RESOLUTION_ID
    if not pattern.fullmatch(wanted):
        raise invalid_parameter("id", f"{wanted!r} is not a session number (48)"
                                if view == "session" else
                                f"{wanted!r} is not a resolution id (2025/33, 2025/09-AL)",
                                wanted)
    root = request.scope.get("root_path", "")
    return RedirectResponse(f"{root}/graph/{view}/{wanted}", status_code=303)


@router.get("/static/{name}", include_in_schema=False)
def asset(name: str) -> FileResponse:
    if name not in ASSETS:  # a fixed list: no path from the request reaches the file system
        raise ApiError(404, "not_found", f"no asset {name}")
    return FileResponse(STATIC_DIR / name, media_type=ASSETS[name],
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/resolution/{year}/{number}", summary="Neighbourhood of a resolution",
            response_class=HTMLResponse)
def resolution_graph(request: Request, settings: SettingsDep, year: Year, number: Number,
                     hops: Annotated[int, Query(ge=1, le=4)] = 1, on: On = None,
                     format: Format = "html", embed: Embed = False) -> Response:  # noqa: A002
    proj = projection(settings)
    iri = resolution_iri(proj, settings, year, number)
    return _respond(request, proj, neighbourhood(proj, iri, hops),
                    _options(request, settings, on, embed), format)


@router.get("/session/{number}", summary="A session's resolutions and references",
            response_class=HTMLResponse)
def session_graph(request: Request, settings: SettingsDep,
                  number: Annotated[int, Path(ge=1, le=MAX_SESSION_NUMBER)], on: On = None,
                  format: Format = "html", embed: Embed = False) -> Response:  # noqa: A002
    proj = projection(settings)
    try:
        view = session_view(proj, number)
    except KeyError:
        raise ApiError(404, "not_found", f"no session {number} in the graph") from None
    return _respond(request, proj, view, _options(request, settings, on, embed), format)


@router.get("/chain/{year}/{number}", summary="The chain of changes a resolution belongs to",
            response_class=HTMLResponse)
def chain_graph(request: Request, settings: SettingsDep, year: Year, number: Number,
                on: On = None, format: Format = "html",  # noqa: A002
                embed: Embed = False) -> Response:
    proj = projection(settings)
    iri = resolution_iri(proj, settings, year, number)
    return _respond(request, proj, chain_view(proj, iri),
                    _options(request, settings, on, embed), format)


@router.get("/timeline", summary="Resolutions by date with repeal/replace/amend edges",
            response_class=HTMLResponse)
def timeline_graph(request: Request, settings: SettingsDep, on: On = None,
                   since: Annotated[dt.date | None, Query()] = None,
                   format: Format = "html", embed: Embed = False,  # noqa: A002
                   cluster: Cluster = "auto") -> Response:
    proj = projection(settings)
    return _respond(request, proj, timeline_view(proj, since=since),
                    _options(request, settings, on, embed, cluster), format)


@router.get("/all", summary="Every resolution with its references", response_class=HTMLResponse)
def all_graph(request: Request, settings: SettingsDep,
              points: Annotated[Literal["none", "changed", "all"], Query()] = "changed",
              on: On = None, format: Format = "html",  # noqa: A002
              embed: Embed = False, cluster: Cluster = "auto") -> Response:
    proj = projection(settings)
    return _respond(request, proj, all_view(proj, points=points),
                    _options(request, settings, on, embed, cluster), format)
