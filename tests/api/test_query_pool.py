"""The query pool outlives the event loop that started it: a test client runs each request on
a loop of its own, whose executor threads end with it, and a worker dies with the thread that
started it (kg/lifetime.py)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from api.query_process import QueryJob
from api.query_worker import QueryPool
from tests.processes import alive

TITLE = ("SELECT ?t WHERE { <https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2025/33> "
         "<http://data.europa.eu/eli/ontology#title> ?t }")


def _title(pool: QueryPool) -> list[str]:
    async def ask() -> list[str]:
        (outcome,) = await pool.execute([QueryJob(TITLE)])
        assert outcome.error_code is None, outcome.error_message
        return [row[0].value for row in outcome.rows]  # type: ignore[union-attr]

    return asyncio.run(ask())  # a new event loop each time, its executor shut down after


def test_the_workers_outlive_the_loop_that_started_them(sample_store: Path) -> None:
    pool = QueryPool(sample_store, size=2, timeout_s=30)
    try:
        # B-2025/33-IT, the seed protocol: "Portfoliosteuerung des IT-Planungsrats"
        assert _title(pool) == ["Portfoliosteuerung des IT-Planungsrats"]
        assert _title(pool) == ["Portfoliosteuerung des IT-Planungsrats"]
        assert pool.replaced == 0
        assert all(alive(pid) for pid in pool.pids())
    finally:
        asyncio.run(pool.close())
