"""Offline and clean (issue 14, item 7): headless Chromium crawls every page reachable from
`/` to depth 3 on a live server over the sample store and fails on any request to another
host, any 4xx/5xx of a page or an asset, any console error or uncaught exception.

Links are read from the HTML the server sends (same host only). Every URL found is fetched
(status < 400); every HTML page is opened in Chromium, except that of the pages sharing a
path and differing only in their query string (list filters, sort orders, formats) the first
few stand for the rest in the browser; the rest are still fetched.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
import pytest

from tests.api.conftest import LiveServer, live_server

pytestmark = pytest.mark.slow

DEPTH = 3
BROWSER_VARIANTS = 3  # query-string variants of one path opened in Chromium
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LINK = re.compile(r'<(?:a|link|script|img|iframe)\b[^>]*?\s(?:href|src)="([^"]*)"', re.I)
# what a crawler must not follow: downloads of the whole graph are fetched, never parsed
NOT_HTML = re.compile(r"\.(?:trig|nq|ttl|json|csv|rq|svg|png|js|css)$|[?&]format=")


@pytest.fixture(scope="module")
def server(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(sample_store, tmp_path_factory.mktemp("crawl")) as live:
        yield live


@dataclass
class Crawl:
    """What the crawl found: every URL with its depth, and each kind of failure."""

    depth: dict[str, int] = field(default_factory=dict)
    html: list[str] = field(default_factory=list)
    bad_status: list[str] = field(default_factory=list)


def same_host_links(base: str, page_url: str, html: str) -> list[str]:
    out = []
    host = urlsplit(base).netloc
    for href in LINK.findall(html):
        href = unescape(href).split("#", 1)[0]
        if not href or href.startswith(("data:", "mailto:", "javascript:")):
            continue
        parts = urlsplit(urljoin(page_url, href))
        if parts.netloc != host:
            continue  # a link to another site is fine; loading from one is not (see below)
        out.append(urlunsplit(("", "", parts.path or "/", parts.query, "")))
    return out


def crawl(server: LiveServer) -> Crawl:
    found = Crawl(depth={"/": 0})
    queue = collections.deque(["/"])
    with httpx.Client(base_url=server.url, headers={"accept": ACCEPT}, timeout=60) as http:
        while queue:
            path = queue.popleft()
            response = http.get(path)
            if response.status_code >= 400:
                found.bad_status.append(f"{response.status_code} {path}")
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                continue
            found.html.append(path)
            if found.depth[path] >= DEPTH or NOT_HTML.search(path):
                continue
            for link in same_host_links(server.url, server.url + path, response.text):
                if link not in found.depth:
                    found.depth[link] = found.depth[path] + 1
                    queue.append(link)
    return found


def browser_sample(paths: list[str]) -> list[str]:
    per_path: collections.Counter[str] = collections.Counter()
    chosen = []
    for path in paths:
        bare = path.split("?", 1)[0]
        if per_path[bare] < BROWSER_VARIANTS:
            per_path[bare] += 1
            chosen.append(path)
    return chosen


def test_every_page_to_depth_3_is_offline_and_clean(browser, server: LiveServer) -> None:  # noqa: ANN001
    found = crawl(server)
    # the crawl reached the pages an analyst starts from (and did not stop at /)
    for expected in ("/queries", "/docs", "/id/eli/itplr/beschluss/2025/39", "/id/land/HB",
                     "/id/gremium/fmk", "/id/sitzung/itplr/48"):
        assert expected in found.depth, f"{expected} not reached from /"
    assert found.bad_status == []

    foreign: list[str] = []
    failed: list[str] = []
    console: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    current = {"path": "/"}
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:", "blob:"))
            else foreign.append(f"{current['path']} → {r.url}"))
    page.on("response", lambda r: failed.append(f"{current['path']} → {r.status} {r.url}")
            if r.status >= 400 else None)
    # a request cut off by the next navigation (ERR_ABORTED) is the crawl's doing, not a fault
    page.on("requestfailed", lambda r: None if "ERR_ABORTED" in (r.failure or "") else
            failed.append(f"{current['path']} → failed {r.url} ({r.failure})"))
    page.on("console", lambda m: console.append(f"{current['path']}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"{current['path']}: {e}"))
    visited = browser_sample(found.html)
    for path in visited:
        current["path"] = path
        page.goto(server.url + path, wait_until="load", timeout=60_000)
    page.close()
    assert len(visited) > 50
    assert foreign == []
    assert failed == []
    assert console == []
