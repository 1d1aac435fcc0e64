"""Fixtures of the API tests: stores built in tmp dirs, an in-process app, live servers.

`sample_store` is the bundled protocol loaded through the `kg load` command; the conformance
store holds the W3C protocol fixture graphs printed by the shared conformance script.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.settings import PROJECT_ROOT, SAMPLES_DIR, Settings
from kg.store import StoreDirectory

# The workplace's copy beside the checkout is the reference; tests/api/vendor holds a copy of
# it (taken 2026-11-29) for checkouts that have no shared/ folder next to them.
_SHARED_SCRIPT = PROJECT_ROOT.parent / "shared" / "conformance" / "sparql_protocol_check.py"
CONFORMANCE_SCRIPT = Path(os.environ.get(
    "KG_CONFORMANCE_SCRIPT",
    _SHARED_SCRIPT if _SHARED_SCRIPT.exists()
    else Path(__file__).resolve().parent / "vendor" / "sparql_protocol_check.py"))

BASE = "https://w3id.org/beschlussgraph/id/"
R33 = BASE + "eli/itplr/beschluss/2025/33"

# the fixture the conformance script prints with --print-fixture (kept here so the fast
# tests need no external file)
KASEI = "http://kasei.us/2009/09/sparql/data/"
W3C_FIXTURE = "".join(
    f"<{KASEI}data{i}.rdf> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    f"<http://xmlns.com/foaf/0.1/Document> <{KASEI}data{i}.rdf> .\n" for i in (1, 2, 3))


def load_samples(store: Path) -> None:
    """`kg --store STORE load data/samples`, through the CLI entry point."""
    from cli.main import main

    code = main(["--store", str(store), "load", str(SAMPLES_DIR)])
    assert code == 0, f"kg load data/samples failed with exit code {code}"


# the 49th and 50th sessions written for the analysis tests: the 50th replaces 2026/01
PROTOCOLS = Path(__file__).resolve().parents[1] / "analysis" / "protocols"
P49 = PROTOCOLS / "itplr-49-2026-03-25-protokoll.txt"
P50 = PROTOCOLS / "itplr-50-2026-06-24-protokoll.txt"
RESOLUTION = BASE + "eli/itplr/beschluss/"


def load_protocol(store: Path, protocol: Path) -> Path:
    """`kg --store STORE load PROTOCOL -q`; the generation it made current."""
    from cli.main import main

    assert main(["--store", str(store), "load", str(protocol), "-q"]) == 0
    generation = StoreDirectory(store).current_path()
    assert generation is not None
    return generation


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("api-samples") / "store"
    load_samples(store)
    return store


@pytest.fixture(scope="session")
def conformance_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("api-w3c") / "store"
    fixture = W3C_FIXTURE.encode()
    if CONFORMANCE_SCRIPT.exists():
        fixture = subprocess.run([sys.executable, str(CONFORMANCE_SCRIPT), "--print-fixture"],
                                 check=True, capture_output=True, timeout=60).stdout
    with StoreDirectory(store).writing() as writable:
        writable.bulk_load_nquads(fixture)
    return store


@contextlib.contextmanager
def app_client(store: Path, **overrides: object) -> Iterator[TestClient]:
    """The app in-process; without the warm-up's own requests at start unless asked for
    (tests of the pool and the scheduler count on a quiet server; tests/api/test_warming.py
    tests the warm-up)."""
    settings = Settings(store=store, **{"warm_pages": False, **overrides})  # type: ignore[arg-type]
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="module")
def client(sample_store: Path) -> Iterator[TestClient]:
    """The app in-process (its query workers are real processes) on the sample store."""
    with app_client(sample_store, query_workers=2) as c:
        yield c


# -- live servers ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.process = process
        self.log = log

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


@contextlib.contextmanager
def live_server(store: Path, tmp_path: Path, **settings: object) -> Iterator[LiveServer]:
    """A real uvicorn process on a free loopback port, configured through KG_* variables."""
    port = free_port()
    env = {**os.environ, "KG_STORE": str(store), "PYTHONPATH": str(PROJECT_ROOT)}
    env.update({f"KG_{k.upper()}": str(v) for k, v in settings.items()})
    log = tmp_path / f"uvicorn-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app_from_env",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT,
            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {log.read_text()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/sparql", params={"query": "ASK {}"},
                             timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not answer within 60 s: {log.read_text()}")
            time.sleep(0.2)
        yield LiveServer(url, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


# -- headless Chromium (Debian's, never a downloaded build) ----------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"  # screenshots (gitignored)


# Reported by the page itself (every frame): a policy the page does not satisfy is a failure
CSP_REPORTER = """document.addEventListener("securitypolicyviolation", (e) =>
    window.__kgCspViolation([location.pathname, e.violatedDirective, e.blockedURI,
                             e.sourceFile + ":" + e.lineNumber, e.sample].join(" | ")));"""


def watch_csp(page) -> list[str]:  # noqa: ANN001
    """Collect every Content-Security-Policy violation of `page` and its frames, from the
    `securitypolicyviolation` event and from the console; tests assert the list is empty."""
    violations: list[str] = []
    page.expose_function("__kgCspViolation", lambda text: violations.append(text))
    page.add_init_script(CSP_REPORTER)
    page.on("console", lambda message: violations.append("console: " + message.text)
            if "Content Security Policy" in message.text else None)
    return violations


@pytest.fixture(scope="module")
def browser():  # noqa: ANN201
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.skip("Debian chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield GermanBrowser(chromium)
        chromium.close()


class GermanBrowser:
    """Pages open as a German analyst's browser (Accept-Language de-DE): Playwright's default
    en-US would turn the pages English (api/i18n.py); English pages are tested in tests/i18n."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_page(self, **options: Any) -> Any:
        return self._browser.new_page(**{"locale": "de-DE", **options})

    def new_context(self, **options: Any) -> Any:
        return self._browser.new_context(**{"locale": "de-DE", **options})

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)
