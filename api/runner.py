"""The one way routers run queries: fair scheduling (api/limits.py), worker pool, errors as
ApiError. `run` is for SPARQL a client wrote or chose (/sparql, named queries); `select`,
`select_many` and `graph` are the pages' and REST's own bound lookups."""

from __future__ import annotations

import re
from collections.abc import Mapping

from api.errors import ApiError
from api.limits import LOOKUP, SPARQL, FairScheduler
from api.query_process import QueryJob, QueryOutcome, Substitution
from api.query_worker import PoolBusy, QueryPool, QueryTimeout, WorkerCrashed
from api.sparql_safety import describe_update
from kg.store import ResultTerm

_POSITION = re.compile(r"error at (\d+):(\d+)")
MAX_MESSAGE = 400

Row = dict[str, ResultTerm | None]


def _shorten(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= MAX_MESSAGE else message[:MAX_MESSAGE] + " …"


class QueryRunner:
    def __init__(self, pool: QueryPool, scheduler: FairScheduler, max_rows: int,
                 max_bytes: int, lookup_timeout_s: float | None = None) -> None:
        """`lookup_timeout_s`: the deadline of the pages' and REST's own queries (default:
        the pool's, which every query a client writes or chooses has)."""
        self.pool = pool
        self.scheduler = scheduler
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self.lookup_timeout_s = lookup_timeout_s

    async def run(self, client: str, jobs: list[QueryJob], kind: str = SPARQL
                  ) -> list[QueryOutcome]:
        # a lookup is one of our own queries, its size bounded by the record: a list of the
        # whole record must not fail at the deadline meant for a runaway query of a client
        timeout = self.lookup_timeout_s if kind == LOOKUP else None
        async with self.scheduler.slot(client, kind):
            try:
                outcomes = await self.pool.execute(jobs, timeout_s=timeout,
                                                   wait_s=self.scheduler.wait_timeout_s)
            except QueryTimeout:
                seconds = self.pool.timeout_s if timeout is None else timeout
                raise ApiError(
                    503, "query_timeout",
                    f"the query did not finish within {seconds:g} s and was "
                    "stopped; narrow it (more specific patterns, LIMIT) or run it locally "
                    "with `kg query`", {"timeout_s": seconds}) from None
            except PoolBusy:
                raise ApiError(503, "server_busy",
                               "no query worker became available (workers are being "
                               "replaced); retry later", headers={"Retry-After": "5"}) from None
            except WorkerCrashed as exc:
                raise ApiError(503, "query_aborted",
                               f"the query worker died while running the query ({exc}); it "
                               "has been replaced, the query probably needs too much memory"
                               ) from None
        for job, outcome in zip(jobs, outcomes, strict=True):
            if outcome.error_code:
                raise self._error(job, outcome)
        return outcomes

    @staticmethod
    def _error(job: QueryJob, outcome: QueryOutcome) -> ApiError:
        message = outcome.error_message or "query failed"
        if outcome.error_code == "malformed_query":
            update = describe_update(job.sparql)
            if update is not None and update.refused:
                return ApiError(400, update.refused, update.message or "")
            position = _POSITION.search(message)
            detail = ({"line": int(position.group(1)), "column": int(position.group(2))}
                      if position else None)
            return ApiError(400, "malformed_query",
                            "the query does not parse: " + _shorten(message), detail)
        if outcome.error_code == "store_unavailable":
            return ApiError(503, "store_unavailable", message)
        return ApiError(400, "query_failed", "the query failed: " + _shorten(message))

    async def select(self, client: str, sparql: str,
                     substitutions: Mapping[str, Substitution] | None = None,
                     max_rows: int | None = None) -> list[Row]:
        """Rows of one internal SELECT (pages, REST) as dicts of kg terms."""
        return (await self.select_many(client, [(sparql, substitutions)], max_rows))[0]

    async def select_many(
        self, client: str,
        queries: list[tuple[str, Mapping[str, Substitution] | None]],
        max_rows: int | None = None, *, whole: bool = False,
    ) -> list[list[Row]]:
        """Several internal SELECTs in one worker round trip (one deadline for all). `whole`:
        answers that must be complete (a list's ids, its total), so that more rows than
        `max_rows` are an error rather than a silently shorter answer."""
        limit = max_rows or self.max_rows
        jobs = [QueryJob(sparql, dict(subs or {}), max_rows=limit, max_bytes=self.max_bytes)
                for sparql, subs in queries]
        outcomes = await self.run(client, jobs, LOOKUP)
        if whole and any(o.truncated for o in outcomes):
            raise ApiError(503, "list_too_large",
                           f"the list has more than {limit:,} entries; narrow it with "
                           "filters", {"max_rows": limit})
        return [[dict(zip(o.variables, row, strict=True)) for row in o.rows] for o in outcomes]

    async def graph(self, client: str, sparql: str, fmt: str,
                    substitutions: Mapping[str, Substitution] | None = None,
                    prefixes: dict[str, str] | None = None) -> QueryOutcome:
        job = QueryJob(sparql, dict(substitutions or {}), graph_format=fmt,
                       max_rows=self.max_rows * 10, max_bytes=self.max_bytes,
                       prefixes=prefixes)
        return (await self.run(client, [job], LOOKUP))[0]
