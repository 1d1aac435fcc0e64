"""Per-client concurrency limit: at most N queries of one client run at the same time."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import AsyncIterator

from api.errors import ApiError


class ClientLimiter:
    def __init__(self, per_client: int) -> None:
        self.per_client = max(1, per_client)
        self._running: Counter[str] = Counter()

    @contextlib.asynccontextmanager
    async def slot(self, client: str) -> AsyncIterator[None]:
        # one event loop, no await between check and increment: no lock needed
        if self._running[client] >= self.per_client:
            raise ApiError(429, "too_many_requests",
                           f"at most {self.per_client} queries per client may run at once; "
                           "wait for one to finish", headers={"Retry-After": "1"})
        self._running[client] += 1
        try:
            yield
        finally:
            self._running[client] -= 1
            if self._running[client] <= 0:
                del self._running[client]
