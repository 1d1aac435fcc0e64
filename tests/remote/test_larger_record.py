"""Every named query on a larger record than the bundled one, on each server: the bundled
documents and 30 synthetic sessions (seeded; their ids and session numbers meet the
register's, so one id may have two titles and one session two dates). The rows must equal
the embedded store's, in the same order where the query orders them: a tie in an ORDER BY
was each engine's own order until every query ordered by all the keys that tell two rows
apart, and Virtuoso sorts a plain and an xsd:string literal apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.synth_protocols import generate
from kg.settings import SAMPLES_DIR, Settings
from kg.store import open_store
from queries import load_catalogue
from tests.remote.test_remote_store import _rows, _settings, kg

pytestmark = pytest.mark.slow

SESSIONS = 30


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("record") / "synthetic"
    generate(SESSIONS, 0, folder)
    return [str(SAMPLES_DIR), str(folder)]


@pytest.fixture(scope="module")
def embedded_record(documents: list[str],
                    tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = {"KG_STORE": str(tmp_path_factory.mktemp("embedded-record") / "store")}
    done = kg(env, "load", *documents, "-q")
    assert done.returncode == 0, done.stderr
    return env


@pytest.fixture(scope="module")
def remote_record(remote: dict[str, str], documents: list[str]) -> dict[str, str]:
    done = kg(remote, "load", *documents, "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    return remote


def test_the_record_is_larger_than_the_bundled_one(embedded_record: dict[str, str]) -> None:
    store = open_store(Settings(store=Path(embedded_record["KG_STORE"])))
    rows = store.select("SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a "
                        "<https://w3id.org/beschlussgraph/ontology#Resolution> }")
    assert int(rows[0]["n"]) > 500  # type: ignore[call-overload]


# the one required parameter of the catalogue: a word the synthetic sessions use
PARAMS = {"full-text-search": {"q": "Registermodernisierung"}}


@pytest.mark.parametrize("name", load_catalogue().names())
def test_every_named_query_answers_as_on_the_embedded_store(
        remote_record: dict[str, str], embedded_record: dict[str, str], name: str) -> None:
    query = load_catalogue().get(name)
    local = open_store(Settings(store=Path(embedded_record["KG_STORE"])))
    remote = open_store(_settings(remote_record))
    ours = _rows(remote, query, PARAMS.get(name))
    theirs = _rows(local, query, PARAMS.get(name))
    assert theirs, f"{name} has no rows on this record: it would compare nothing"
    assert ours == theirs
