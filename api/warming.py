"""The server opens its own list pages once for every store generation it serves, so that
the first visitor does not wait for what the pages keep (api/kept.py).

The lists that read the whole record are slow only the first time for a generation: at 5,000
synthetic sessions `/beschluesse` took 13.8 s on a fresh server, `/resolutions` 4 to 10 s and
a list of one status 4.5 s; every view after those 0.03 to 0.3 s. A load while the server
runs carries these answers forward with what it changed, but a server that has just started
has none. So at start, and for every generation a load switches in, the server requests
`WARM_PATHS` from itself (through the whole app, as a client of its own, `WARM_CLIENT`, that
the fair scheduler lets take turns with everyone else). A visitor who comes before it is done
is served as without it (a list both ask for is made twice, side by side). A page that
answers 503 (its queries past the deadline on a cold disk cache, or the workers busy) is
asked once more. `/health` tells which generation's pages are warm and how
long that took.

Only a record of `settings.warm_pages_from` resolutions or more is opened ahead: below, a
first view is quick anyway (the three lists of the bundled data's 133 resolutions in 0.22 s
together), and a front that only answers SPARQL stays without the projection and networkx
(146 instead of 170 MiB for the server's processes on the bundled data).

A remote store has no generations: its answers are kept for a window of time
(kg.analysis.cache.REMOTE_TTL_S), and opening them ahead would mean doing so every window.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from starlette.types import ASGIApp

from api.data import integer
from api.errors import ApiError
from api.runner import QueryRunner
from kg.namespaces import sparql_prefixes

log = logging.getLogger(__name__)

# the lists every visitor starts from; the status list stands for every status (they share
# today's status of the whole record, api/data.py _STATES) and /beschluesse for its facets
WARM_PATHS = ("/beschluesse", "/resolutions", "/resolutions?status=in_force")
WARM_CLIENT = "warm-up"  # the client key its requests count against (api/security.py)
HTML = {"Accept": "text/html"}
WARM_TIMEOUT_S = 600.0  # per page: a page still not there by then is left to its visitor
COUNT = sparql_prefixes() + "SELECT (COUNT(?r) AS ?n) WHERE { ?r a bg:Resolution }"


@dataclass
class Warmth:
    """What /health reports of the last generation done: its resolutions, the pages opened
    (none for a small record), those that did not answer 200, and how long it took."""

    generation: str | None = None
    resolutions: int | None = None
    opened: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    seconds: float | None = None


class Warmer:
    """Opens `paths` for one generation at a time when its record has `threshold`
    resolutions or more; a newer generation cancels the older one's run (its answers would
    serve nobody)."""

    def __init__(self, app: ASGIApp, runner: QueryRunner, threshold: int,
                 paths: tuple[str, ...] = WARM_PATHS) -> None:
        self.app = app
        self.runner = runner
        self.threshold = threshold
        self.paths = paths
        self.state = Warmth()
        self._task: asyncio.Task[None] | None = None

    def start(self, generation: Path) -> None:
        self.cancel()
        self._task = asyncio.create_task(self._warm(generation.name))

    def cancel(self) -> None:
        """Stop the current run; `wait` then waits for it to have stopped."""
        if self._task is not None:
            self._task.cancel()

    async def wait(self) -> None:
        """Until the current run is over (tests, and the end of the server)."""
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _warm(self, generation: str) -> None:
        started = time.monotonic()
        try:
            [row] = await self.runner.select(WARM_CLIENT, COUNT)
        except ApiError as exc:
            log.warning("warm-up of %s: the record could not be counted: %s", generation,
                        exc.message)
            return
        resolutions = integer(row, "n") or 0
        paths = self.paths if resolutions >= self.threshold else ()
        if paths:
            log.info("opening the lists of %s (%s resolutions) before the first visitor",
                     generation, f"{resolutions:,}")
        failed = []
        # an error of the app is a response here, as for any visitor
        transport = httpx.ASGITransport(app=self.app, client=(WARM_CLIENT, 0),
                                        raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://warm-up",
                                     timeout=WARM_TIMEOUT_S) as client:
            for path in paths:
                try:
                    response = await client.get(path, headers=HTML)
                    if response.status_code == 503:
                        response = await client.get(path, headers=HTML)
                except httpx.HTTPError as exc:
                    log.warning("warm-up of %s for %s failed: %s", path, generation, exc)
                    failed.append(path)
                    continue
                if response.status_code != 200:
                    log.warning("warm-up of %s for %s: %d %s", path, generation,
                                response.status_code, response.text[:300])
                    failed.append(path)
        self.state = Warmth(generation, resolutions, list(paths), failed,
                            round(time.monotonic() - started, 2))
        if paths:
            log.info("lists of %s opened in %.1f s (%s resolutions): %s", generation,
                     self.state.seconds, f"{resolutions:,}", ", ".join(paths))
