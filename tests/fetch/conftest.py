"""A real HTTP server on a free loopback port that plays the council's site for `kg fetch`.

Each test builds its own `Site` from routes: the fixture pages under tests/fetch/site/
(written for these tests, in the layout of the real decision pages) plus whatever a test
needs to misbehave (404, redirects, 429/503 with Retry-After, a stall, a wrong charset).
The server logs every request with its headers, so tests can assert what was asked and how.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SITE = Path(__file__).parent / "site"
ROOT_DIR = Path(__file__).resolve().parents[2]
# one fixed date for every Last-Modified, so reruns compare equal
LAST_MODIFIED = email.utils.formatdate(1_767_000_000, usegmt=True)


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    # answers given before the real one, each (status, headers), e.g. (429, {"Retry-After": "1"})
    before: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    stall_until: threading.Event | None = None  # hold the answer until this is set
    delay_s: float = 0.0  # sleep before answering (a timeout)
    validators: bool = True  # send ETag and Last-Modified, answer 304 to a match

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Hit] = []
        self.lock = threading.Condition()
        self.server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def page(self, path: str, name: str, **route: object) -> Route:
        """Serve the fixture file `name` at `path`."""
        self.routes[path] = Route(body=(SITE / name).read_bytes(), **route)  # type: ignore[arg-type]
        return self.routes[path]

    def paths(self) -> list[str]:
        with self.lock:
            return [hit.path for hit in self.log]

    def hits(self, path: str) -> list[Hit]:
        with self.lock:
            return [hit for hit in self.log if hit.path == path]

    def wait_for(self, path: str, timeout_s: float = 60.0) -> None:
        """Block until `path` was asked for (a bounded wait, not a timing assertion)."""
        with self.lock:
            if not self.lock.wait_for(lambda: any(h.path == path for h in self.log), timeout_s):
                raise AssertionError(f"{path} was never requested; log: {self.paths()}")

    def _record(self, hit: Hit) -> None:
        with self.lock:
            self.log.append(hit)
            self.lock.notify_all()

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        route = self.routes.get(path)
        # logged on arrival (its status filled in on answering): a stalled or slow answer
        # shows up in the log while the client still waits for it
        hit = Hit(path, {k.lower(): v for k, v in handler.headers.items()}, 0)
        self._record(hit)
        if route is None:
            hit.status = 404
            self._send(handler, 404, b"<html><body><h1>Seite nicht gefunden</h1></body></html>",
                       {"Content-Type": "text/html"})
            return
        if route.before:
            hit.status, extra = route.before.pop(0)
            self._send(handler, hit.status, b"busy", extra)
            return
        if route.stall_until is not None:
            route.stall_until.wait(120)
        if route.delay_s:
            time.sleep(route.delay_s)
        extra = {"Content-Type": route.content_type, **route.headers}
        hit.status = route.status
        if route.validators:
            extra |= {"ETag": route.etag, "Last-Modified": LAST_MODIFIED}
            # RFC 9110 §13.1.3: If-Modified-Since counts only without If-None-Match
            if ("if-none-match" in hit.headers and hit.headers["if-none-match"] == route.etag) or (
                    "if-none-match" not in hit.headers
                    and hit.headers.get("if-modified-since") == LAST_MODIFIED):
                hit.status = 304
        self._send(handler, hit.status, route.body, extra)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes,
              headers: dict[str, str]) -> None:
        body = b"" if status == 304 else body
        try:
            handler.send_response(status)
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing left to tell it


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            site.answer(self)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


@pytest.fixture
def make_site() -> Iterator[Callable[[], Site]]:
    started: list[tuple[Site, threading.Thread]] = []

    def start() -> Site:
        site = Site()
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
        server.daemon_threads = True
        server.block_on_close = False
        site.server = server
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append((site, thread))
        return site

    yield start
    for site, thread in started:
        for route in site.routes.values():
            if route.stall_until is not None:
                route.stall_until.set()
        assert site.server is not None
        site.server.shutdown()
        site.server.server_close()
        thread.join(10)


@pytest.fixture(autouse=True)
def fast_polite(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test settings: a short interval and timeout, one retry, few misses per year. The
    politeness logic stays the shipped one; only its numbers shrink."""
    for key, value in {"KG_FETCH_INTERVAL_S": "0.01", "KG_FETCH_TIMEOUT_S": "2",
                       "KG_FETCH_RETRIES": "0", "KG_FETCH_MAX_MISSES": "3",
                       "KG_FETCH_MAX_WAITS": "2", "KG_FETCH_MAX_RETRY_AFTER_S": "5"}.items():
        monkeypatch.setenv(key, value)
    # the loopback server is reached directly, whatever proxy the machine has configured
    for key in ("KG_FETCH_BASE_URL", "KG_FETCH_FRESH_S", "KG_FETCH_USER_AGENT", "KG_STORE",
                "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                "all_proxy"):
        monkeypatch.delenv(key, raising=False)


def council_site(site: Site) -> Site:
    """The ordinary site of these tests: robots.txt, three decisions of 2024 (one by circular
    procedure), a gap-free numbering, the page of the 43rd session and its protocol PDF."""
    site.page("/robots.txt", "robots.txt", content_type="text/plain")
    site.page("/beschluss/beschluss-2024-01", "beschluss-2024-01.html")
    site.page("/beschluss/beschluss-2024-02", "beschluss-2024-02.html")
    site.page("/beschluss/beschluss-2024-03", "beschluss-2024-03.html")
    site.page("/sitzung/43-sitzung", "sitzung-43.html")
    site.page("/SharedDocs/Downloads/protokoll-43-sitzung.pdf", "protokoll-43-sitzung.pdf",
              content_type="application/pdf")
    return site
