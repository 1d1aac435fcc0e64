"""`kg serve`: run the HTTP API (SPARQL endpoint, REST, pages) under uvicorn."""

from __future__ import annotations

import argparse
import os

from kg.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="serve the SPARQL endpoint, REST API and pages",
                            description="Serve the store read-only over HTTP (FastAPI, uvicorn).")
    parser.add_argument("--host", default=None, help="bind address (default: settings.host)")
    parser.add_argument("--port", type=int, default=None, help="port (default: settings.port)")
    parser.add_argument("--reload", action="store_true",
                        help="restart on code changes (development; settings pass via KG_*)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn  # imported here: other commands must not pay for the web stack

    host = args.host or settings.host
    port = args.port or settings.port
    if args.reload:
        # the reloader re-imports the app in a child process: hand the settings over as env
        os.environ["KG_STORE"] = str(settings.store)
        os.environ["KG_BASE_IRI"] = settings.base_iri
        uvicorn.run("api.app:create_app_from_env", factory=True, host=host, port=port,
                    reload=True, log_config=log_config())
        return 0
    from api.app import create_app

    uvicorn.run(create_app(settings), host=host, port=port, log_config=log_config())
    return 0


def log_config() -> dict:
    """uvicorn's own logging, with the app's messages (`api.*`: the warm-up's progress, a
    query stopped at its deadline) in the same form on the same stream."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["api"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
