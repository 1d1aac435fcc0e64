"""/beschluesse after a load: the facets and rows of the resolutions the load changed are
made again, the others are taken from the table of the generation before (api/browse.py,
kg.analysis.cache.owners_since); the table equals one a fresh server builds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

import api.data
from api import browse
from api.data import Linker
from api.kept import KeptPerGeneration
from kg.analysis import cache
from kg.settings import Settings
from tests.api.conftest import (
    P49,
    P50,
    RESOLUTION,
    app_client,
    live_server,
    load_protocol,
    load_samples,
)


def _table(url: str) -> dict[str, dict]:
    """Every row of /beschluesse.json by IRI (the bundled data has fewer than 1,000)."""
    response = httpx.get(url + "/beschluesse.json", params={"limit": 1000}, timeout=120)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == len(body["items"])
    return {row["iri"]: row for row in body["items"]}


def test_the_table_after_a_load_equals_a_fresh_one(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_samples(store)
    second = load_protocol(store, P49)
    with live_server(store, tmp_path) as server:
        before = _table(server.url)  # built whole, kept for the second generation
        third = load_protocol(store, P50)
        owners = cache.owners_since(third, second)
        assert owners is not None and RESOLUTION + "2026/13" in owners
        assert len(owners) < len(before) / 4  # a small part of the table is made again
        carried = _table(server.url)
    with live_server(store, tmp_path) as fresh_server:
        fresh = _table(fresh_server.url)
    assert carried == fresh
    # what the 50th session changed: 2026/13 is new, and it replaces 2026/01
    assert RESOLUTION + "2026/13" not in before
    assert carried[RESOLUTION + "2026/13"]["id"] == "2026/13"
    assert before[RESOLUTION + "2026/01"]["status"] != "replaced"
    assert carried[RESOLUTION + "2026/01"]["status"] == "replaced"


def test_only_the_changed_rows_are_made_again(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    load_samples(store)
    second = load_protocol(store, P49)
    third = load_protocol(store, P50)
    linker = Linker(Settings().base_iri, "")
    on = dt.date(2026, 12, 5)
    old = cache.project_generation(second)
    new = cache.project_generation(third)
    facets = browse.Facets()
    monkeypatch.setattr(browse, "_KEPT_TABLE", [])
    whole, _ = browse.resolution_table(old, facets, linker, on, second)
    made: list[set[str] | None] = []
    rows_of = browse.resolution_rows

    def counted(*args: object, only: set[str] | None = None) -> list[dict]:
        made.append(only)
        return rows_of(*args, only=only)  # type: ignore[arg-type]

    monkeypatch.setattr(browse, "resolution_rows", counted)
    carried, _ = browse.resolution_table(new, facets, linker, on, third)
    assert made == [cache.owners_since(third, second)]
    fresh = rows_of(new, facets, linker, on)
    assert {r["iri"]: r for r in carried} == {r["iri"]: r for r in fresh}
    # the 50th session's resolutions are new rows
    assert RESOLUTION + "2026/13" in {r["iri"] for r in carried} - {r["iri"] for r in whole}


def _listed(url: str, **params: object) -> tuple[int, list[str]]:
    """The total and every IRI of a REST list, page by page (at most 200 a page)."""
    iris: list[str] = []
    offset = 0
    while True:
        response = httpx.get(url + "/resolutions", params={**params, "limit": 200,
                                                            "offset": offset}, timeout=120)
        assert response.status_code == 200, response.text
        body = response.json()
        iris += [item["iri"] for item in body["items"]]
        offset += 200
        if offset >= body["total"]:
            return body["total"], iris


def test_the_rest_lists_after_a_load_equal_a_fresh_server_s(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_samples(store)
    load_protocol(store, P49)
    with live_server(store, tmp_path) as server:
        # the whole list's ids and today's status of every resolution, kept
        whole_before = _listed(server.url)
        replaced_before = _listed(server.url, status="replaced")
        load_protocol(store, P50)
        whole = _listed(server.url)
        replaced = _listed(server.url, status="replaced")
        in_force = _listed(server.url, status="in_force")
    with live_server(store, tmp_path) as fresh_server:
        assert whole == _listed(fresh_server.url)
        assert replaced == _listed(fresh_server.url, status="replaced")
        assert in_force == _listed(fresh_server.url, status="in_force")
    # the 50th session adds 2026/10 to 2026/13, and 2026/13 replaces 2026/01
    assert whole[0] == whole_before[0] + 4
    assert RESOLUTION + "2026/13" in whole[1]
    assert RESOLUTION + "2026/01" not in replaced_before[1]
    assert RESOLUTION + "2026/01" in replaced[1]


def test_the_whole_list_and_the_states_come_from_the_generation_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In process, to see what the front keeps: after the load, the whole list's ids and the
    states are carried (the whole list is never read again) and kept for the next list."""
    store = tmp_path / "store"
    load_samples(store)
    load_protocol(store, P49)
    monkeypatch.setattr(api.data, "_LISTS", KeptPerGeneration(api.data.KEPT_IDS, len))
    monkeypatch.setattr(api.data, "_STATES", KeptPerGeneration(1))
    with app_client(store) as client:
        assert client.get("/resolutions", params={"status": "repealed"}).status_code == 200
        third = load_protocol(store, P50)
        whole_read = api.data._ordered_ids

        async def no_whole_list(runner, client_, filters, generation=None):  # type: ignore[no-untyped-def]
            assert filters, "the whole list was read again instead of carried"
            return await whole_read(runner, client_, filters, generation)

        monkeypatch.setattr(api.data, "_ordered_ids", no_whole_list)
        replaced = client.get("/resolutions", params={"status": "replaced"}).json()
        assert RESOLUTION + "2026/01" in {item["iri"] for item in replaced["items"]}
        # kept for the new generation: the next list of a status reads neither again
        assert api.data._LISTS.get((third, (), None)) is not None
        assert api.data._STATES.get((third, dt.date.today())) is not None
        assert client.get("/resolutions", params={"status": "in_force"}).status_code == 200
