"""`/health`: liveness and the state of the query worker pool (for operators and tests)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from api.deps import SettingsDep
from api.warming import Warmth
from kg.store import StoreDirectory, is_remote, store_label

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    store: str | None  # the generation directory queries read
    workers: int
    idle: int
    replaced: int  # workers killed at a deadline (or crashed) and replaced since start
    query_timeout_s: float
    network_sandbox: bool | None  # query workers cannot open network sockets (None: not started)
    running: int  # requests holding a worker (api/limits.py)
    waiting: int  # requests waiting for a worker
    clients: int  # clients with a request running or waiting
    refused: dict[str, int]  # requests refused by the scheduler since start, by error code
    warm_up: Warmth  # the server's own first view of its lists (api/warming.py)


@router.get("/health", response_model=Health, summary="Server and worker pool state")
async def health(request: Request, settings: SettingsDep) -> Health:
    pool = request.app.state.pool
    scheduler = request.app.state.scheduler
    warmer = request.app.state.warmer
    warmth = warmer.state if warmer is not None else Warmth()
    if is_remote(settings.store) or settings.store_query_url:
        name: str | None = store_label(settings)  # a SPARQL server (kg/remote.py)
    else:
        current = StoreDirectory(settings.store).current_path()
        name = current.name if current else None
    return Health(status="ok" if name else "no_store", store=name,
                  workers=len(pool.pids()), idle=pool.idle, replaced=pool.replaced,
                  query_timeout_s=settings.query_timeout_s, network_sandbox=pool.sandboxed,
                  running=scheduler.running, waiting=scheduler.waiting,
                  clients=scheduler.clients, refused=dict(scheduler.refused),
                  warm_up=warmth)
