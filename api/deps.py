"""FastAPI dependencies (Annotated): settings and the query runner come from app state,
which `create_app(settings)` fills; handlers never read the environment."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.runner import QueryRunner
from kg.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_runner(request: Request) -> QueryRunner:
    return request.app.state.runner


def get_client(request: Request) -> str:
    """The key of the per-client limit: the peer address (uvicorn's proxy-headers support
    rewrites it from X-Forwarded-For for trusted proxies)."""
    return request.client.host if request.client else "unknown"


SettingsDep = Annotated[Settings, Depends(get_settings)]
RunnerDep = Annotated[QueryRunner, Depends(get_runner)]
ClientDep = Annotated[str, Depends(get_client)]
