"""Where the register and a protocol name two sessions for one resolution, every answer takes
the one of the least number: the browsable table (read from the projection), the REST list
and the resolution (read with SPARQL). The register gives 2012/24 to session 8 and 2012/40 to
session 9 (data/samples/itplr-register/decisions.csv, lines 7 and 8); the 10th synthetic
session (bench/synth_protocols.py, seed 0) states both as its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bench.synth_protocols import generate
from cli.main import main
from kg.analysis.cache import current_projection
from kg.settings import SAMPLES_DIR
from tests.api.conftest import app_client


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    folder = tmp_path_factory.mktemp("two-sessions")
    protocols = generate(12, 0, folder / "protocols")
    store = folder / "store"
    code = main(["--store", str(store), "-q", "load", str(SAMPLES_DIR), *map(str, protocols)])
    assert code == 0
    with app_client(store, query_workers=1) as c:
        yield c


@pytest.mark.parametrize(("rid", "session"), [
    ("2012/24", 8),  # the register's session 8 and the synthetic session 10
    ("2012/40", 9),  # 9 and 10: ".../sitzung/itplr/10" sorts before ".../9" as text
])
def test_the_least_session_everywhere(client: TestClient, rid: str, session: int) -> None:
    year, number = rid.split("/")
    detail = client.get(f"/resolutions/{year}/{int(number)}").json()
    listed = client.get("/resolutions", params={"year": year, "limit": 200}).json()["items"]
    table = client.get("/beschluesse.json", params={"year": year, "limit": 1000}).json()
    assert detail["session"] == session
    assert [r["session"] for r in listed if r["id"] == rid] == [session]
    assert [r["session"] for r in table["items"] if r["id"] == rid] == [session]
    proj = current_projection(client.app.state.settings)
    node = proj.node(proj.by_id[rid])
    assert proj.node(node["session"])["number"] == session
