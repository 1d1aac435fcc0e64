"""The commands and the API against real SPARQL servers (issue 11, items 1 and 2): the same
answers as the embedded store on the bundled documents."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.remote import LOCK_GRAPH, LOCK_HOLDER, STAGING, RemoteStore
from kg.settings import SAMPLES_DIR, Settings
from kg.store import BlankNodeTerm, open_store
from queries import NamedQuery, load_catalogue
from tests.api.conftest import CONFORMANCE_SCRIPT, W3C_FIXTURE, free_port, live_server

pytestmark = pytest.mark.slow
PROJECT = Path(__file__).resolve().parents[2]
UNION = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
TITLE_33 = ("SELECT ?t WHERE { ?r <http://data.europa.eu/eli/ontology#id_local> \"2025/33\" ; "
            "<http://data.europa.eu/eli/ontology#title> ?t }")


def kg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=PROJECT,
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=600)


def count(env: dict[str, str], query: str) -> int:
    done = kg(env, "query", query, "--format", "json")
    assert done.returncode == 0, done.stderr
    return int(json.loads(done.stdout)["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def embedded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {"KG_STORE": str(tmp_path_factory.mktemp("embedded") / "store")}
    assert kg(env, "load", str(SAMPLES_DIR), "-q").returncode == 0
    return env


@pytest.fixture(scope="module")
def loaded(remote: dict[str, str]) -> dict[str, str]:
    done = kg(remote, "load", str(SAMPLES_DIR), "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    return remote


def test_load_gives_the_embedded_store_s_union_and_graphs(
        loaded: dict[str, str], embedded: dict[str, str]) -> None:
    assert count(loaded, UNION) == count(embedded, UNION) > 20_000
    assert count(loaded, QUADS) == count(embedded, QUADS)
    done = kg(loaded, "query", TITLE_33, "--format", "csv")
    assert "Beschluss" in done.stdout or "2025" in done.stdout or done.stdout.count("\n") == 2


def test_reload_is_idempotent(loaded: dict[str, str]) -> None:
    before = (count(loaded, UNION), count(loaded, QUADS))
    assert kg(loaded, "load", str(SAMPLES_DIR), "-q").returncode == 0
    assert (count(loaded, UNION), count(loaded, QUADS)) == before


def test_bad_input_leaves_the_server_unchanged(loaded: dict[str, str], tmp_path: Path) -> None:
    before = (count(loaded, UNION), count(loaded, QUADS))
    bad = tmp_path / "kaputt.txt"
    bad.write_text("kein Protokoll\n", encoding="utf-8")
    done = kg(loaded, "load", str(bad), "-q")
    assert done.returncode == 1
    assert "kaputt.txt" in done.stdout + done.stderr
    assert (count(loaded, UNION), count(loaded, QUADS)) == before


def test_a_load_that_died_is_repaired_by_the_next(loaded: dict[str, str]) -> None:
    before = count(loaded, UNION)
    settings = _settings(loaded)
    with RemoteStore.writing(settings) as store:
        # what a killed load leaves: a marker, and a triple in the union no graph states
        store._touch("https://w3id.org/beschlussgraph/id/graph/links")
        store._update("INSERT DATA { <urn:x:orphan> <urn:x:p> <urn:x:o> }"
                      if not store.endpoints.union_graph else
                      f"INSERT DATA {{ GRAPH <{store.endpoints.union_graph}> "
                      "{ <urn:x:orphan> <urn:x:p> <urn:x:o> } }")
        store._touched = []
        store._stale_union = False
    assert kg(loaded, "load", str(SAMPLES_DIR), "-q").returncode == 0
    assert count(loaded, UNION) == before
    graphs = kg(loaded, "query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                "--format", "csv").stdout
    assert STAGING not in graphs


def _settings(env: dict[str, str], **overrides: object) -> Settings:
    return Settings(**{k[3:].lower(): v for k, v in env.items()}, **overrides)


def test_one_writer_at_a_time_and_a_killed_one_leaves_no_lock(loaded: dict[str, str]) -> None:
    before = count(loaded, UNION)
    with RemoteStore.writing(_settings(loaded)):  # a load in progress in this process
        busy = kg(loaded, "load", str(SAMPLES_DIR), "-q")
        assert busy.returncode == 2
        assert f"is being loaded by {socket.gethostname()} PID {os.getpid()}" in busy.stderr
    # the holder said when it ended: the next load runs
    assert kg(loaded, "load", str(SAMPLES_DIR), "-q").returncode == 0
    store = RemoteStore.from_settings(_settings(loaded), read_only=False)
    try:
        assert store._holders() == []
        # a load on this machine that was killed: its process is gone, its lock is taken over
        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        gone.wait()
        store._update(f"INSERT DATA {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> <{LOCK_HOLDER}> "
                      f'"{socket.gethostname()} PID {gone.pid} dead0000" }} }}')
        assert kg(loaded, "load", str(SAMPLES_DIR), "-q").returncode == 0
        assert store._holders() == []
        # a load on another machine is not second-guessed: named, and the load refused
        store._update(f"INSERT DATA {{ GRAPH <{LOCK_GRAPH}> {{ <{LOCK_GRAPH}> <{LOCK_HOLDER}> "
                      '"rechenzentrum-2 PID 4242 0a0a0a0a" } }')
        refused = kg(loaded, "load", str(SAMPLES_DIR), "-q")
        assert refused.returncode == 2
        assert "is being loaded by rechenzentrum-2 PID 4242" in refused.stderr
        store._update(f"DROP SILENT GRAPH <{LOCK_GRAPH}>")
    finally:
        store.close()
    assert count(loaded, UNION) == before
    # the lock graph is never one of the documents' graphs
    assert LOCK_GRAPH not in kg(loaded, "query", "SELECT DISTINCT ?g WHERE { GRAPH ?g "
                                "{ ?s ?p ?o } }", "--format", "csv").stdout


def test_status_matches_the_embedded_store(loaded: dict[str, str],
                                           embedded: dict[str, str]) -> None:
    ours = kg(loaded, "status", "2025/33", "--on", "2026-01-01", "--json")
    theirs = kg(embedded, "status", "2025/33", "--on", "2026-01-01", "--json")
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    assert json.loads(ours.stdout) == json.loads(theirs.stdout)


def _text(value: object) -> str:
    if isinstance(value, BlankNodeTerm):
        return "_:b"
    # Virtuoso answers an xsd:boolean as the integer 0 or 1 (README, "A SPARQL server as the
    # store")
    return str(int(value)) if isinstance(value, bool) else str(value)


def _rows(store: object, query: NamedQuery,
          params: dict[str, str] | None = None) -> list[tuple[tuple[str, str], ...]]:
    """A query's rows as comparable values: each term's text, blank nodes as one mark
    (their labels are each server's own), booleans as 0 and 1, in the order the query
    defines, else sorted."""
    given = params if params is not None else NAMED_QUERY_PARAMS.get(query.name, {})
    rows = [tuple(sorted((name, _text(v)) for name, v in row.items() if v is not None))
            for row in store.select(  # type: ignore[attr-defined]
                query.bound_text(query.bind(given)))]
    return rows if query.ordered else sorted(rows)


# the one required parameter of the catalogue
NAMED_QUERY_PARAMS = {"full-text-search": {"q": "NOOTS"}}


@pytest.mark.parametrize("name", load_catalogue().names())
def test_every_named_query_answers_as_on_the_embedded_store(
        loaded: dict[str, str], embedded: dict[str, str], name: str) -> None:
    """`kg query NAME` reads the server: the same rows as the embedded store, the parameters
    written into the text (MINUS, sub-SELECTs and aggregates in OPTIONALs included). Six
    queries were rewritten for Virtuoso 7.2 (README, "A SPARQL server as the store").
    Before the tests below that load more or other data into the server."""
    query = load_catalogue().get(name)
    remote = open_store(_settings(loaded))
    local = open_store(Settings(store=embedded["KG_STORE"]))
    assert _rows(remote, query) == _rows(local, query)


@pytest.mark.parametrize("command", [
    ("chains",),  # the projection of the whole record, read over HTTP (none is kept)
    ("impact", "2022/43"),  # what depends on 2022/43 (2025/33 among others, protocol 48)
    ("findings", "--on", "2026-01-01"),  # cycles, most-cited, stale references
])
def test_whole_record_commands_match_the_embedded_store(
        loaded: dict[str, str], embedded: dict[str, str], command: tuple[str, ...]) -> None:
    assert json.loads(same_json_answer(loaded, embedded, command))  # not an empty answer


def same_json_answer(remote: dict[str, str], embedded: dict[str, str],
                     command: tuple[str, ...]) -> str:
    """`kg COMMAND --json` on the server and on the embedded store: both succeed with the
    same answer; the server's output is returned."""
    ours = kg(remote, *command, "--json")
    theirs = kg(embedded, *command, "--json")
    assert ours.returncode == theirs.returncode == 0, ours.stderr
    assert json.loads(ours.stdout) == json.loads(theirs.stdout)
    return ours.stdout


def test_stats_export_and_validate(loaded: dict[str, str], embedded: dict[str, str]) -> None:
    ours, theirs = kg(loaded, "stats"), kg(embedded, "stats")
    assert ours.returncode == 0, ours.stderr
    assert re.findall(r"│ resolutions \(loaded\) +│ +(\d+)", ours.stdout) == \
        re.findall(r"│ resolutions \(loaded\) +│ +(\d+)", theirs.stdout)
    dump = kg(loaded, "export", "--format", "nquads", "-o", "-")
    assert dump.returncode == 0, dump.stderr
    assert STAGING not in dump.stdout


def test_a_server_that_is_down_is_one_message_and_exit_2() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    for args in (("stats",), ("query", "ASK {}"), ("load", str(SAMPLES_DIR), "-q")):
        done = kg({"KG_STORE": url}, *args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert url in " ".join(done.stderr.split())
        assert "Traceback" not in done.stderr


def test_credentials_are_never_printed() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    done = kg({"KG_STORE": url, "KG_STORE_USER": "analyst", "KG_STORE_PASSWORD": "s3cr3t-pw"},
              "stats")
    assert done.returncode == 2
    assert "s3cr3t-pw" not in done.stdout + done.stderr


@pytest.fixture(scope="module")
def api(loaded: dict[str, str]) -> Iterator[TestClient]:
    settings = _settings(loaded, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_page_and_the_rest_api(api: TestClient) -> None:
    page = api.get("/id/eli/itplr/beschluss/2025/33", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "2025/33" in page.text
    sparql = api.get("/sparql", params={"query": UNION},
                     headers={"Accept": "application/sparql-results+json"})
    assert sparql.status_code == 200
    assert int(sparql.json()["results"]["bindings"][0]["n"]["value"]) > 20_000
    refused = api.get("/sparql", params={"query": "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"})
    assert refused.status_code == 400


INVOLVES = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?r "
            "<https://w3id.org/beschlussgraph/ontology#involves> ?v } }")
SN_IN_2026_01 = ("SELECT (COUNT(*) AS ?n) WHERE { ?r <http://data.europa.eu/eli/ontology#id_local> "
                 "\"2026/01\" ; <https://w3id.org/beschlussgraph/ontology#involves> "
                 "<https://w3id.org/beschlussgraph/id/land/SN> }")


def test_a_second_load_derives_what_the_embedded_store_does(
        loaded: dict[str, str], tmp_path: Path) -> None:
    """A second load into a server: protocol 49 adds 2026/01, which Saxony abstained from,
    and its bg:involves with it. (An embedded store of its own: the module's is shared by
    both servers.)"""
    p49 = PROJECT / "tests" / "queries" / "protocols" / "itplr-49-2026-03-18-protokoll.txt"
    embedded = {"KG_STORE": str(tmp_path / "store")}
    assert kg(embedded, "load", str(SAMPLES_DIR), "-q").returncode == 0
    for env in (loaded, embedded):
        done = kg(env, "load", str(p49), "-q")
        assert done.returncode == 0, done.stdout + done.stderr
    assert count(loaded, SN_IN_2026_01) == count(embedded, SN_IN_2026_01) == 1
    assert count(loaded, INVOLVES) == count(embedded, INVOLVES) > 150
    assert count(loaded, UNION) == count(embedded, UNION)


def test_w3c_protocol_checks_through_kg_serve(remote: dict[str, str], tmp_path: Path) -> None:
    if not CONFORMANCE_SCRIPT.exists():
        pytest.skip(f"conformance script not found at {CONFORMANCE_SCRIPT}")
    fixture = subprocess.run([sys.executable, str(CONFORMANCE_SCRIPT), "--print-fixture"],
                             check=True, capture_output=True, timeout=60).stdout \
        or W3C_FIXTURE.encode()
    settings = _settings(remote)
    with RemoteStore.writing(settings) as store:
        for graph in store.named_graphs():
            store.drop_graph(__import__("kg.terms").terms.IRI(graph))
        store.bulk_load_nquads(fixture)
    extra = {k[3:].lower(): v for k, v in remote.items() if k != "KG_STORE"}
    with live_server(remote["KG_STORE"], tmp_path, **extra) as live:  # type: ignore[arg-type]
        done = subprocess.run([sys.executable, str(CONFORMANCE_SCRIPT), live.sparql],
                              capture_output=True, text=True, timeout=300)
        assert httpx.get(live.url + "/health").json()["store"]
    failures = [line for line in done.stdout.splitlines() if line.startswith("FAIL")]
    assert failures == [], done.stdout
    assert re.fullmatch(r"\d+ passed, 0 failed", done.stdout.strip().splitlines()[-1])


def test_a_query_the_server_rejects_is_named_with_its_reason(loaded: dict[str, str]) -> None:
    """The server's reason, not the query text Virtuoso repeats after it (400 characters of
    prefixes were all the message showed)."""
    done = kg(loaded, "query", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 foo")
    assert done.returncode == 2
    assert "malformed query: the store server rejected the query: " in done.stderr
    assert "PREFIX" not in done.stderr
    if loaded["KG_STORE"].startswith("virtuoso+"):
        assert "syntax error at 'foo'" in done.stderr
