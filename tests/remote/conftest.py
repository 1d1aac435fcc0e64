"""Real SPARQL servers on loopback, started by the tests in a temporary folder: Oxigraph's
server (PyPI `oxigraph`, in the venv) and Virtuoso 7 open source (Debian
`virtuoso-opensource-7-bin`; `make test-slow` installs it). A server that cannot be started
fails the test in CI (`CI` set) and is skipped, with the reason, elsewhere."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import free_port

VENV_BIN = Path(__file__).resolve().parents[2] / ".venv" / "bin"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60,
          auth: httpx.Auth | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        with contextlib.suppress(httpx.HTTPError):
            r = httpx.post(url, data={"query": "ASK {}"}, timeout=5, auth=auth,
                           headers={"Accept": "application/sparql-results+json"})
            if r.status_code == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"server did not answer within {seconds:.0f} s: "
                               f"{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.3)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@contextlib.contextmanager
def oxigraph_server(folder: Path) -> Iterator[dict[str, str]]:
    binary = shutil.which("oxigraph", path=str(VENV_BIN)) or shutil.which("oxigraph")
    if binary is None:
        _unavailable("the oxigraph server binary is not installed (pip install oxigraph)")
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen([binary, "serve", "--location", str(folder / "data"),
                                    "--bind", f"127.0.0.1:{port}"], stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(f"http://127.0.0.1:{port}/query", process, log)
        yield {"KG_STORE": f"http://127.0.0.1:{port}"}
    finally:
        _stop(process)


VIRTUOSO_INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql}
DisableUnixSocket = 1
DisableTcpSocket = 0
ServerThreads = 10
CheckpointInterval = 60
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {d}
VADInstallDir = /usr/share/virtuoso-opensource-7/vad/

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {d}
ServerThreads = 10
MaxClientConnections = 10
KeepAliveTimeout = 10

[Client]
SQL_PREFETCH_ROWS = 100

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
DefaultQuery = select distinct ?Concept where {{[] a ?Concept}} LIMIT 100
"""


@contextlib.contextmanager
def virtuoso_server(folder: Path) -> Iterator[dict[str, str]]:
    binary = shutil.which("virtuoso-t")
    if binary is None:
        _unavailable("Virtuoso is not installed: apt-get install virtuoso-opensource-7-bin "
                     "(make test-slow does it)")
    data = folder / "virtuoso"
    data.mkdir()
    isql, port = free_port(), free_port()
    ini = data / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(d=data, isql=isql, http=port))
    log = data / "stdout.log"
    with log.open("wb") as out:
        process = subprocess.Popen([binary, "+foreground", "+configfile", str(ini)], cwd=data,
                                   stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        _wait(f"http://127.0.0.1:{port}/sparql", process, log, seconds=120)
        # the dba account (digest auth on /sparql-auth) has the SPARQL_UPDATE role
        yield {"KG_STORE": f"virtuoso+http://127.0.0.1:{port}", "KG_STORE_USER": "dba",
               "KG_STORE_PASSWORD": "dba"}
    finally:
        _stop(process)


SERVERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}


@pytest.fixture(scope="module", params=sorted(SERVERS))
def remote(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The environment that names a running server as the store (KG_STORE and credentials)."""
    folder = tmp_path_factory.mktemp(f"remote-{request.param}")
    with SERVERS[request.param](folder) as env:
        yield env
