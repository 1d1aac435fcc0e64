"""The endpoint under abuse, against a live uvicorn on loopback (issue 9): one table, each row
one abuse with the answers it must get, as counts of (status, error code).

Single requests: oversized, too deep, missing or wrong headers, updates, SERVICE, path tricks.
Crowds: a client holding a worker with a query that runs into the deadline, then a burst —
from the same client (its queue fills, the rest gets 429), with faked X-Forwarded-For (ignored
unless the peer is a trusted proxy), a notebook's 8 threads (all served), another client
(served at once), page lookups (served, their budget is not SPARQL's). Clients are told apart
by their real source address: Linux answers on all of 127.0.0.0/8.

The servers run with the shipped defaults (two workers, one SPARQL query running per client,
16 waiting) except a 4 s deadline, so that a burst lands while the slow query still runs.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import R33, LiveServer, live_server

pytestmark = pytest.mark.slow

DEADLINE_S = 4
QUEUE = 16  # the default queue_per_client
ELI = "http://data.europa.eu/eli/ontology#"
_VALUES = " ".join(str(i) for i in range(1000))
CARTESIAN = ("SELECT (COUNT(*) AS ?n) WHERE { "
             + " ".join(f"VALUES ?v{k} {{ {_VALUES} }}" for k in range(4)) + " }")
QUICK = f"SELECT DISTINCT ?t WHERE {{ <{R33}> <{ELI}title> ?t }}"
AGGREGATE = "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p ORDER BY ?p"
PAGE = "/id/eli/itplr/beschluss/2025/33"

Outcome = tuple[int, str | None]


@pytest.fixture(scope="module")
def servers(sample_store: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[dict[str, LiveServer]]:
    tmp = tmp_path_factory.mktemp("abuse")
    with live_server(sample_store, tmp, query_timeout_s=DEADLINE_S) as plain, \
            live_server(sample_store, tmp, query_timeout_s=DEADLINE_S,
                        trusted_proxies='["127.0.0.1"]') as proxied:
        yield {"plain": plain, "proxied": proxied}


def outcome(response: httpx.Response) -> Outcome:
    if response.status_code < 400:
        return response.status_code, None
    error = response.json()["error"]  # the one error shape, always
    assert error["status"] == response.status_code
    assert error["message"]
    return response.status_code, error["code"]


def get(server: LiveServer, path: str = "/sparql", *, source: str = "127.0.0.1",
        **kwargs: object) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(transport=transport, timeout=120) as client:
        return client.request(kwargs.pop("method", "GET"), server.url + path,  # type: ignore[arg-type]
                              **kwargs)  # type: ignore[arg-type]


def sparql(server: LiveServer, query: str, source: str = "127.0.0.1",
           headers: dict[str, str] | None = None) -> httpx.Response:
    return get(server, params={"query": query}, source=source, headers=headers or {})


def health(server: LiveServer) -> dict:
    return httpx.get(server.url + "/health").json()


def wait_until(server: LiveServer, check: Callable[[dict], bool]) -> None:
    for _ in range(600):
        if check(health(server)):
            return
        time.sleep(0.05)
    raise AssertionError(f"the server never reached the state: {health(server)}")


def in_parallel(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    results: list[httpx.Response | None] = [None] * len(calls)

    def run(i: int) -> None:
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert all(r is not None for r in results)
    return results  # type: ignore[return-value]


class Holder:
    """A client whose query holds a worker until the deadline kills it."""

    def __init__(self, server: LiveServer, source: str = "127.0.0.1",
                 headers: dict[str, str] | None = None) -> None:
        wait_until(server, lambda h: h["running"] == 0 and h["idle"] == h["workers"] == 2)
        self.response: httpx.Response | None = None
        self.thread = threading.Thread(target=self._run, args=(server, source, headers))
        self.thread.start()
        wait_until(server, lambda h: h["running"] == 1)

    def _run(self, server: LiveServer, source: str, headers: dict[str, str] | None) -> None:
        self.response = sparql(server, CARTESIAN, source, headers)

    def join(self) -> httpx.Response:
        self.thread.join(timeout=120)
        assert self.response is not None
        return self.response


# -- crowds -----------------------------------------------------------------------------------


def same_client_floods(server: LiveServer) -> list[httpx.Response]:
    holder = Holder(server)
    burst = in_parallel([lambda: sparql(server, QUICK)] * (QUEUE + 4))
    return [holder.join(), *burst]


def faked_forwarded_for(server: LiveServer) -> list[httpx.Response]:
    # 20 addresses claimed from loopback: still one client unless loopback is a trusted proxy
    holder = Holder(server)
    burst = in_parallel([
        (lambda i=i: sparql(server, QUICK, headers={"X-Forwarded-For": f"198.51.100.{i}"}))
        for i in range(QUEUE + 4)])
    return [holder.join(), *burst]


def forged_chain_behind_proxy(server: LiveServer) -> list[httpx.Response]:
    # the proxy appends the real client (203.0.113.5); what the client wrote before is ignored
    client = {"X-Forwarded-For": "203.0.113.5"}
    holder = Holder(server, headers=client)
    burst = in_parallel([
        (lambda i=i: sparql(server, QUICK,
                            headers={"X-Forwarded-For": f"198.51.100.{i}, 203.0.113.5"}))
        for i in range(QUEUE + 4)])
    return [holder.join(), *burst]


def flood_while_another_client_is_served(server: LiveServer) -> list[httpx.Response]:
    holder = Holder(server)
    flood: list[httpx.Response] = []
    flooding = threading.Thread(target=lambda: flood.extend(
        in_parallel([lambda: sparql(server, QUICK)] * (QUEUE + 4))))
    flooding.start()
    wait_until(server, lambda h: h["waiting"] == QUEUE)
    other = sparql(server, QUICK, source="127.0.0.2")
    # answered while the flooding client's slow query still runs, its queue still full
    assert holder.thread.is_alive()
    assert other.json()["results"]["bindings"][0]["t"]["value"] == \
        "Portfoliosteuerung des IT-Planungsrats"
    flooding.join(timeout=180)
    return [holder.join(), other, *flood]


def notebook_with_eight_threads(server: LiveServer) -> list[httpx.Response]:
    # another client holds one of the two workers: the notebook shares the other
    holder = Holder(server, source="127.0.0.3")
    threads = in_parallel([lambda: sparql(server, AGGREGATE, source="127.0.0.4")] * 8)
    bodies = {r.content for r in threads}
    assert len(bodies) == 1  # every thread got the whole, same answer
    assert int(threads[0].headers["x-result-rows"]) > 10
    return [holder.join(), *threads]


def pages_while_sparql_queue_is_full(server: LiveServer) -> list[httpx.Response]:
    holder = Holder(server)
    queued: list[httpx.Response] = []
    flooding = threading.Thread(target=lambda: queued.extend(
        in_parallel([lambda: sparql(server, QUICK)] * (QUEUE + 2))))
    flooding.start()
    wait_until(server, lambda h: h["waiting"] == QUEUE)
    pages = in_parallel([lambda: get(server, PAGE, headers={"accept": "text/html"})] * 10)
    assert all("Portfoliosteuerung des IT-Planungsrats" in p.text for p in pages)
    rest = get(server, "/resolutions", params={"limit": 3})
    assert len(rest.json()["items"]) == 3
    flooding.join(timeout=180)
    return [holder.join(), *queued, *pages, rest]


# -- single requests -------------------------------------------------------------------------


def one(**request: object) -> Callable[[LiveServer], list[httpx.Response]]:
    path = str(request.pop("path", "/sparql"))
    return lambda server: [get(server, path, **request)]


DEEP = "SELECT * WHERE " + "{" * 3000 + " ?s <x:service> ?o " + "}" * 3000
HUGE = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 1_000_000
DIRECT = {"content-type": "application/sparql-query"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


@dataclass(frozen=True)
class Abuse:
    name: str
    send: Callable[[LiveServer], list[httpx.Response]]
    expected: dict[Outcome, int]
    server: str = "plain"


ROWS = [
    # crowds
    Abuse("one client floods its own queue", same_client_floods,
          {(503, "query_timeout"): 1, (200, None): QUEUE, (429, "too_many_requests"): 4}),
    Abuse("faked X-Forwarded-For from loopback is ignored", faked_forwarded_for,
          {(503, "query_timeout"): 1, (200, None): QUEUE, (429, "too_many_requests"): 4}),
    Abuse("faked X-Forwarded-For, loopback a trusted proxy: 20 clients", faked_forwarded_for,
          {(503, "query_timeout"): 1, (200, None): QUEUE + 4}, server="proxied"),
    Abuse("forged chain behind a trusted proxy counts as the proxy's client",
          forged_chain_behind_proxy,
          {(503, "query_timeout"): 1, (200, None): QUEUE, (429, "too_many_requests"): 4},
          server="proxied"),
    Abuse("a flood does not delay another client", flood_while_another_client_is_served,
          {(503, "query_timeout"): 1, (200, None): QUEUE + 1, (429, "too_many_requests"): 4}),
    Abuse("8 concurrent threads of one client are all served", notebook_with_eight_threads,
          {(503, "query_timeout"): 1, (200, None): 8}),
    Abuse("pages and REST are served while the client's SPARQL queue is full",
          pages_while_sparql_queue_is_full,
          {(503, "query_timeout"): 1, (200, None): QUEUE + 11, (429, "too_many_requests"): 2}),
    # size and structure
    Abuse("oversized query in the body", one(method="POST", content=HUGE, headers=DIRECT),
          {(413, "request_too_large"): 1}),
    Abuse("oversized form body", one(method="POST", data={"query": HUGE}),
          {(413, "request_too_large"): 1}),
    Abuse("3000 nested braces and 'service'", one(params={"query": DEEP}),
          {(400, "query_too_complex"): 1}),
    Abuse("empty query", one(params={"query": "  "}), {(400, "malformed_query"): 1}),
    Abuse("two queries", one(params=[("query", "ASK {}"), ("query", "ASK {}")]),
          {(400, "multiple_queries"): 1}),
    Abuse("query in URL and body", one(method="POST", params={"query": "ASK {}"},
                                       content="ASK {}", headers=DIRECT),
          {(400, "multiple_queries"): 1}),
    # headers
    Abuse("POST without Content-Type", one(method="POST", content=b"ASK {}"),
          {(415, "unsupported_media_type"): 1}),
    Abuse("POST with a foreign charset", one(method="POST", content=b"ASK {}", headers={
        "content-type": "application/sparql-query; charset=latin-1"}),
          {(415, "unsupported_media_type"): 1}),
    Abuse("POST as JSON", one(method="POST", content=b'{"query": "ASK {}"}',
                              headers={"content-type": "application/json"}),
          {(415, "unsupported_media_type"): 1}),
    Abuse("empty Accept and User-Agent", one(params={"query": "ASK {}"},
                                         headers={"accept": "", "user-agent": ""}),
          {(200, None): 1}),
    Abuse("Accept nobody serves", one(params={"query": "ASK {}"},
                                      headers={"accept": "application/x-nothing"}),
          {(200, None): 1}),
    Abuse("unknown format=", one(params={"query": "ASK {}", "format": "exe"}),
          {(400, "invalid_parameter"): 1}),
    Abuse("body not UTF-8", one(method="POST", content=b"ASK { \xff }", headers=DIRECT),
          {(400, "invalid_encoding"): 1}),
    Abuse("form body with non-UTF-8 escapes", one(method="POST", content=b"query=ASK%FF",
                                                  headers=FORM),
          {(400, "invalid_encoding"): 1}),
    Abuse("8 KB of X-Forwarded-For garbage", one(params={"query": "ASK {}"}, headers={
        "x-forwarded-for": "x" * 8000}), {(200, None): 1}),
    # writes and fetches
    Abuse("SPARQL Update body", one(method="POST", content=b"INSERT DATA { <a:a> <a:b> 1 }",
                                    headers={"content-type": "application/sparql-update"}),
          {(400, "update_not_allowed"): 1}),
    Abuse("update= parameter", one(method="POST", data={"update": "CLEAR ALL"}),
          {(400, "update_not_allowed"): 1}),
    Abuse("update as query=", one(params={"query": "DELETE WHERE { ?s ?p ?o }"}),
          {(400, "update_not_allowed"): 1}),
    Abuse("SERVICE behind a CR-ended comment", one(params={
        "query": "SELECT ?x WHERE { #\rSERVICE <http://127.0.0.1:9/x> { ?x ?b ?c }\n }"}),
          {(400, "service_not_allowed"): 1}),
    Abuse("PUT on the endpoint", one(method="PUT", content=b"x"),
          {(405, "method_not_allowed"): 1}),
    Abuse("DELETE on the endpoint", one(method="DELETE"), {(405, "method_not_allowed"): 1}),
    # paths
    Abuse("traversal out of /static", one(path="/static/..%2f..%2fkg%2fsettings.py"),
          {(404, "not_found"): 1}),
    Abuse("traversal out of /graph/static",
          one(path="/graph/static/..%2f..%2f..%2fkg%2fsettings.py"), {(404, "not_found"): 1}),
    Abuse("REST paging out of range", one(path="/resolutions", params={"limit": -1}),
          {(400, "invalid_parameter"): 1}),
]


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_abuse(servers: dict[str, LiveServer], row: Abuse) -> None:
    server = servers[row.server]
    responses = row.send(server)
    assert Counter(outcome(r) for r in responses) == Counter(row.expected)
    for response in responses:
        assert response.headers["x-content-type-options"] == "nosniff"
        if response.status_code == 429:
            assert 1 <= int(response.headers["retry-after"]) <= 60
    # nothing is left queued or running, and the pool is whole again
    wait_until(server, lambda h: h["running"] == 0 and h["waiting"] == 0
               and h["idle"] == h["workers"] == 2)
