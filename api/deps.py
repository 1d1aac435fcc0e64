"""FastAPI dependencies (Annotated): settings and the query runner come from app state,
which `create_app(settings)` fills; handlers never read the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, Request

from api.runner import QueryRunner
from api.security import request_client
from kg.settings import Settings
from kg.store import StoreDirectory


# async: FastAPI runs a plain `def` dependency in a thread pool, a hop per request for a
# lookup of app state
async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_runner(request: Request) -> QueryRunner:
    return request.app.state.runner


async def get_client(request: Request) -> str:
    """The key of fair scheduling: the peer address, or the client a trusted proxy names
    (api/security.py)."""
    return request_client(request)


SettingsDep = Annotated[Settings, Depends(get_settings)]
RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
ClientDep = Annotated[str, Depends(get_client)]


def generation(settings: Settings) -> Path | None:
    """The store generation a request reads, the key of what the front keeps (a list's ids,
    today's status, facets); None: not a store directory, nothing kept. A plain function,
    not a dependency: one readlink, for the handlers that keep something."""
    if isinstance(settings.store, str) and "://" in settings.store:
        return None
    return StoreDirectory(Path(settings.store)).current_path()
