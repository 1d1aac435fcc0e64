"""REST API: resolutions, sessions, bodies (JSON; OpenAPI at /docs).

Path and query parameters are validated by FastAPI/pydantic (types, ranges, patterns) and
reach the store only as bound terms: IRIs minted by kg.iris.Minter, integers and strings as
literals through `substitutions=`. Pagination slices the ordered result in Python because
SPARQL's LIMIT/OFFSET cannot be bound variables.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request

from api import data
from api.deps import ClientDep, RunnerDep, SettingsDep, generation
from api.errors import ERROR_RESPONSES, ApiError, invalid_parameter
from api.models import (
    MAX_SESSION_NUMBER,
    BodyDetail,
    ResolutionDetail,
    ResolutionList,
    SessionDetail,
)
from api.query_process import Substitution
from kg.analysis.vocab import STATES
from kg.iris import Minter
from kg.settings import Settings
from kg.terms import IRI

router = APIRouter(tags=["rest"], responses=ERROR_RESPONSES)

BODY_SLUG = r"^[A-Za-z0-9][A-Za-z0-9-]{0,80}$"  # slugs are lower-case; "FITKO" is accepted
LAND_CODE = r"^([A-Z]{2}|Bund)$"
Status = Literal[STATES]  # type: ignore[valid-type]  # the analysis' states, one list


def linker_for(request: Request, settings: Settings) -> data.Linker:
    return data.Linker(settings.base_iri, request.scope.get("root_path", ""))


def _organisation_iri(minter: Minter, key: str) -> IRI:
    """`BY`, `Bund` → a Land; `fitko` → a body (the gazetteer's slugs are lower-case)."""
    return minter.land(key) if key[:1].isupper() else minter.body(key)


@router.get("/resolutions", response_model=ResolutionList,
            summary="List resolutions, filtered and paginated")
async def list_resolutions(
    request: Request, runner: RunnerDep, client: ClientDep, settings: SettingsDep,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="year of the id")] = None,
    session: Annotated[int | None, Query(ge=1, le=MAX_SESSION_NUMBER,
                                                      description="session number")] = None,
    body: Annotated[str | None, Query(pattern=BODY_SLUG, description=(
        "body slug (e.g. fitko): passed by, reported by, addressed to or mentioning it"))] = None,
    land: Annotated[str | None, Query(pattern=LAND_CODE, description=(
        "Land code (e.g. BY, Bund): reporter, addressee, voter, note author or mentioned"))
    ] = None,
    status: Annotated[Status | None, Query(description="status derived from the graph")] = None,
    q: Annotated[str | None, Query(min_length=2, max_length=200,
                                   description="text in id, title or text")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ResolutionList:
    minter = Minter(settings.base_iri)
    filters: dict[str, Substitution] = {}
    if year is not None:
        filters["year"] = year
    if session is not None:
        filters["session"] = session
    if body is not None:
        filters["body"] = minter.body(body.lower())
    if land is not None:
        filters["land"] = minter.land(land)
    if status is not None:
        filters["status"] = status
    if q is not None:
        filters["q"] = q
    page, total = await data.list_resolutions(runner, client, linker_for(request, settings),
                                              filters, limit=limit, offset=offset,
                                              generation=generation(settings))
    if total == 0:
        # nothing found: say so where the body or Land itself is unknown, as /bodies/… does,
        # instead of an empty list that reads as "involved in nothing"
        for name, value, listed in (("body", body, "/gremien"), ("land", land, "/laender")):
            if value is not None and not await runner.select(
                    client, data.Q_BODY, {"org": filters[name]}):
                raise invalid_parameter(name, f"no {'body' if name == 'body' else 'Land'} "
                                        f"{value!r} in the graph; {listed} lists them", value)
    following = None
    if offset + limit < total:
        following = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return ResolutionList(items=page, total=total, limit=limit, offset=offset, next=following)


@router.get("/resolutions/{year}/{number}", response_model=ResolutionDetail,
            summary="One resolution with points, references, mandates, vote and notes")
async def get_resolution(
    request: Request, runner: RunnerDep, client: ClientDep, settings: SettingsDep,
    year: Annotated[int, Path(ge=1990, le=2100)],
    number: Annotated[str, Path(pattern=r"^\d{1,9}(-[Aa][Ll])?$",
                                description='"33"; an AL-Runde decision: "09-AL" (or "09-al")')],
) -> ResolutionDetail:
    digits, _, suffix = number.partition("-")
    canonical = f"{year}/{int(digits):02d}" + (f"-{suffix.upper()}" if suffix else "")
    iri = Minter(settings.base_iri).resolution(canonical)
    detail = await data.resolution_detail(runner, client, linker_for(request, settings),
                                          iri.value)
    if detail is None:
        raise ApiError(404, "not_found", f"no resolution {canonical} in the graph",
                       {"iri": iri.value})
    return detail


@router.get("/sessions/{number}", response_model=SessionDetail,
            summary="One session with its agenda items and resolutions")
async def get_session(
    request: Request, runner: RunnerDep, client: ClientDep, settings: SettingsDep,
    number: Annotated[int, Path(ge=1, le=MAX_SESSION_NUMBER)],
) -> SessionDetail:
    detail = await data.session_detail(runner, client, linker_for(request, settings), number,
                                       generation(settings))
    if detail is None:
        raise ApiError(404, "not_found", f"no session {number} in the graph")
    return detail


@router.get("/bodies/{key}", response_model=BodyDetail,
            summary="A body (slug, e.g. fitko) or Land (code, e.g. BY) with its resolutions")
async def get_body(
    request: Request, runner: RunnerDep, client: ClientDep, settings: SettingsDep,
    key: Annotated[str, Path(pattern=f"{BODY_SLUG}|{LAND_CODE}")],
) -> BodyDetail:
    iri = _organisation_iri(Minter(settings.base_iri), key)
    detail = await data.body_detail(runner, client, linker_for(request, settings), iri.value,
                                    key, generation(settings))
    if detail is None:
        raise ApiError(404, "not_found", f"no body or Land {key!r} in the graph",
                       {"iri": iri.value})
    return detail
