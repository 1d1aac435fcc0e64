"""Lists whose cost follows the page: /resolutions reads the ids that pass the filters, then
the summaries of one page only; a body's page shows its newest resolutions and latest
mandates with their totals. On the bundled data (session 48 and the register)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import api.data
import api.land_view
from api.kept import KeptPerGeneration
from tests.api.conftest import app_client

SITZUNG = "https://w3id.org/beschlussgraph/id/sitzung/itplr/"
BESCHLUSS = "https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/"


def _shown(page: str, kind: str) -> list[str]:
    """The resources of a body page's rows of `kind` ("mention", "statement"), in order."""
    return re.findall(rf'<tr class="{kind}[^"]*" data-iri="([^"]+)"', page)


def _ids(client: TestClient, **params: object) -> tuple[int, list[str]]:
    d = client.get("/resolutions", params=params).json()
    return d["total"], [i["id"] for i in d["items"]]


def _every_page(client: TestClient, size: int, **params: object) -> list[str]:
    seen: list[str] = []
    offset = 0
    while True:
        total, ids = _ids(client, limit=size, offset=offset, **params)
        seen += ids
        offset += size
        if offset >= total:
            return seen


@pytest.mark.parametrize(("params", "total", "first", "last"), [
    # every resolution with an id: 128 council resolutions of the register and session 48,
    # and the decisions of other kinds the register names
    ({}, 133, "2025/52", "2010/01"),
    # a status is computed for the candidates only, then the page is cut
    ({"status": "in_force"}, 110, "2025/52", None),
    ({"status": "partially_repealed"}, 3, None, None),
    # joins from the bound parameter (a session's number, a body, a Land)
    ({"session": 48}, 22, "2025/52", "2025/31"),
    # 13 of session 48, six of the register whose titles name FITKO (the oldest 2014/22)
    ({"body": "fitko"}, 19, "2025/51", "2014/22"),
    ({"land": "Bund"}, 11, None, None),
    # filters combined: the intersection
    ({"year": 2025, "status": "in_force", "body": "fitko"}, 14, "2025/51", "2025/04"),
])
def test_pages_put_together_are_the_whole_list(client: TestClient, params: dict, total: int,
                                               first: str | None, last: str | None) -> None:
    whole_total, whole = _ids(client, limit=200, **params)
    assert whole_total == total == len(whole)
    assert len(set(whole)) == len(whole)  # each resolution once
    if first:
        assert whole[0] == first
    if last:
        assert whole[-1] == last
    # pages of 7 (a size that divides none of the totals) give the same list in the same order
    assert _every_page(client, 7, **params) == whole


def test_a_page_past_the_end_is_empty_with_the_total(client: TestClient) -> None:
    d = client.get("/resolutions", params={"session": 48, "offset": 40}).json()
    assert (d["total"], d["items"], d["next"]) == (22, [], None)


def test_a_page_has_full_summaries(client: TestClient) -> None:
    [item] = client.get("/resolutions", params={"session": 48, "limit": 1,
                                                 "offset": 19}).json()["items"]
    # 2025/33 is the 20th of session 48, newest first (2025/52 … 2025/31)
    assert item["id"] == "2025/33" and item["identifier"] == "B-2025/33-IT"
    assert item["title"] == "Portfoliosteuerung des IT-Planungsrats"
    assert (item["session"], item["agenda_item"], item["status"]) == (48, "09", "in_force")


@pytest.fixture
def capped(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The app with a body's page capped at 3 resolutions, 2 mandates and 2 of each kind of
    contribution (the bundled bodies have fewer than the shipped 100)."""
    monkeypatch.setattr(api.data, "BODY_RESOLUTIONS", 3)
    monkeypatch.setattr(api.data, "BODY_MANDATES", 2)
    monkeypatch.setattr(api.land_view, "ACTIVITY_ROWS", 2)
    with app_client(sample_store, query_workers=1) as c:
        yield c


def test_a_body_shows_its_newest_resolutions_and_the_totals(capped: TestClient) -> None:
    d = capped.get("/bodies/fitko").json()
    assert (d["resolutions_total"], d["mandates_total"]) == (19, 13)
    # the same newest three as the filtered list
    assert [r["id"] for r in d["resolutions"]] == ["2025/51", "2025/49", "2025/47"]
    # the latest deadlines first
    assert [m["deadline"] for m in d["mandates"]] == ["2026-09-30", "2026-09-30"]
    page = capped.get("/id/gremium/fitko", headers={"Accept": "text/html"}).text
    assert "<h2>Beschlüsse (19)</h2>" in page and "<h2>Aufträge (13)</h2>" in page
    assert 'href="/beschluesse?body=fitko">alle 19</a>' in page
    assert "/queries/mandates-open-on-date?assignee=FITKO" in page
    # 23 points name FITKO: two are shown, with the total
    assert "<h2>Erwähnungen (23)</h2>" in page and "die ersten 2 von 23" in page
    # the first two in the page's order, sorted from their keys: the protocol note of TOP 12
    # (notes before points), then the first point of the first resolution that names FITKO
    assert _shown(page, "mention") == [SITZUNG + "48/top/12/protokollnotiz/1",
                                       BESCHLUSS + "2025/33/ziffer/1"]
    land = capped.get("/id/land/Bund", headers={"Accept": "text/html"}).text
    assert 'href="/beschluesse?land=Bund">alle 11</a>' in land
    assert "<h2>Wortbeiträge (6)</h2>" in land and "die ersten 2 von 6" in land
    # by session, TOP and position: TOP 01 before TOP 06
    assert _shown(land, "statement") == [SITZUNG + "48/top/01/wortbeitrag/1",
                                         SITZUNG + "48/top/06/wortbeitrag/3"]


def test_the_row_cap_of_sparql_does_not_cut_a_body_page(sample_store: Path) -> None:
    # a body's mandates, notes, statements and mentions are counted and ordered whole (before:
    # past KG_MAX_ROWS their totals were the cap, 10,000 for FITKO's 11,158 mentions at 1,000
    # synthetic sessions, and the shown ones were the first of a cut answer)
    with app_client(sample_store, query_workers=1, max_rows=5) as small:
        d = small.get("/bodies/fitko").json()
        assert (d["resolutions_total"], d["mandates_total"], len(d["mandates"])) == (19, 13, 13)
        page = small.get("/id/gremium/fitko", headers={"Accept": "text/html"}).text
        assert "<h2>Erwähnungen (23)</h2>" in page and "die ersten" not in page
        assert _shown(page, "mention")[:2] == [SITZUNG + "48/top/12/protokollnotiz/1",
                                               BESCHLUSS + "2025/33/ziffer/1"]
        land = small.get("/id/land/Bund", headers={"Accept": "text/html"}).text
        assert "<h2>Wortbeiträge (6)</h2>" in land


def test_an_uncapped_body_lists_everything(client: TestClient) -> None:
    d = client.get("/bodies/fitko").json()
    assert len(d["resolutions"]) == d["resolutions_total"] == 19
    assert len(d["mandates"]) == d["mandates_total"] == 13
    page = client.get("/id/gremium/fitko", headers={"Accept": "text/html"}).text
    assert "alle 19" not in page and "die ersten" not in page
    # 73 statements name FITKO, fewer than a page's 2,000: all shown, none cut; 19 of them
    # are the derived bg:involves of its 19 resolutions
    assert "<summary>Alle Aussagen (11 ausgehend, 73 eingehend)</summary>" in page
    assert page.count('<tr class="mention ') == 23


def test_the_row_cap_of_sparql_does_not_cut_a_list(sample_store: Path) -> None:
    # KG_MAX_ROWS caps what a SPARQL client gets; a list's total and pages are not a SPARQL
    # answer and stay whole (before: a list of more resolutions than the cap came back cut,
    # with the cut size as its total)
    with app_client(sample_store, query_workers=1, max_rows=50) as small:
        assert _ids(small, limit=5, offset=128) == (133, ["2010/20", "2010/08", "2010/03",
                                                           "2010/02", "2010/01"])


def test_a_kept_list_follows_a_new_load(tmp_path: Path) -> None:
    # the ordered ids of a list are kept per store generation: pages of the same list reuse
    # them, and the load that switches in a new generation shows in the next request
    from bench import synth_protocols
    from cli.main import main
    from tests.api.conftest import load_samples

    store = tmp_path / "store"
    load_samples(store)
    [protocol] = synth_protocols.generate(1, 0, tmp_path / "more")
    with app_client(store, query_workers=1) as c:
        before = _every_page(c, 50)
        assert len(before) == 133 and _ids(c, limit=1)[1] == ["2025/52"]
        assert main(["--store", str(store), "load", str(protocol)]) == 0
        after = _every_page(c, 50)
        # the synthetic first session's resolutions (ids of 2010) join the list
        added = set(after) - set(before)
        assert added and all(i.startswith("2010/") for i in added)
        assert set(before) <= set(after)
        total = c.get("/sparql", params={"query": (
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?r ?id WHERE { "
            "?r a <https://w3id.org/beschlussgraph/ontology#Resolution> ; "
            "<http://data.europa.eu/eli/ontology#id_local> ?id } }")},
            headers={"Accept": "application/sparql-results+json"}).json()
        assert len(after) == int(total["results"]["bindings"][0]["n"]["value"])


def test_a_kept_status_follows_a_new_load(tmp_path: Path) -> None:
    # today's status of every resolution is kept per store generation for the lists
    # filtered by status; after a load, those lists hold the new resolutions by their own
    # status, as each one's page states it
    from bench import synth_protocols
    from cli.main import main
    from tests.api.conftest import load_samples

    store = tmp_path / "store"
    load_samples(store)
    [protocol] = synth_protocols.generate(1, 0, tmp_path / "more")
    with app_client(store, query_workers=1) as c:
        before = set(_every_page(c, 50, status="in_force"))
        assert len(before) == 110
        # the same kept status: 17 resolutions only cited, as in-force-on-date counts them
        assert _ids(c, status="unknown", limit=1)[0] == 17
        assert main(["--store", str(store), "load", str(protocol)]) == 0
        after = set(_every_page(c, 50, status="in_force"))
        added = after - before
        assert added and before <= after and all(i.startswith("2010/") for i in added)
        new = set(_every_page(c, 50)) - set(_every_page(c, 50, status="unknown")) - before
        for rid in sorted(new):
            year, number = rid.split("/")
            status = c.get(f"/resolutions/{year}/{int(number)}").json()["status"]
            assert (rid in added) == (status == "in_force"), rid


CANDIDATE_LISTS = [
    {"body": "fitko", "status": "in_force"},  # all 19 FITKO resolutions are in force
    {"year": 2024, "status": "unknown"},  # 3 of 2024's 12: only cited, never loaded
    {"year": 2024, "status": "amended"},  # 1 of them
    {"status": "partially_repealed"},  # the whole record's status, kept: 3 of 133
]


async def _no_snapshot(*_args: object) -> None:
    return None


def test_the_snapshot_and_status_read_in_chunks_are_the_same(
        sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # today's status is the analysis graph's snapshot (assessed today: nothing moved since);
    # without it the candidates' status is computed from their events in chunks of
    # STATUS_CHUNK, STATUS_TRIP chunks a round trip: chunks of two in trips of two give the
    # same lists as the snapshot
    one = {}
    with app_client(sample_store, query_workers=1) as c:
        for params in CANDIDATE_LISTS:
            one[str(params)] = _ids(c, limit=200, **params)
    # nothing kept from the first app: the same store generation would serve its lists
    monkeypatch.setattr(api.data, "_LISTS", KeptPerGeneration(api.data.KEPT_IDS, len))
    monkeypatch.setattr(api.data, "_STATES", KeptPerGeneration(1))
    monkeypatch.setattr(api.data, "STATUS_CHUNK", 2)
    monkeypatch.setattr(api.data, "STATUS_TRIP", 2)
    monkeypatch.setattr(api.data, "_snapshot", _no_snapshot)
    with app_client(sample_store, query_workers=2) as c:
        for params in CANDIDATE_LISTS:
            assert _ids(c, limit=200, **params) == one[str(params)]
    assert [one[str(p)][0] for p in CANDIDATE_LISTS] == [19, 3, 1, 3]


def test_a_snapshot_of_an_earlier_day_gives_today_s_status(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the analysis assessed on 1 January 2026, before protocol 49 of 25 March 2026: its
    # snapshot has 2025/31 and 2025/33 in force and 2026/03 not yet in force; today 2026/03
    # has replaced 2025/31 and 2026/01 repealed Ziffern 2 and 4 of 2025/33. The events dated
    # since the snapshot's day make all of them be computed again.
    import datetime as dt

    import kg.analysis.step
    from kg.loading import load_paths
    from kg.settings import SAMPLES_DIR, Settings
    from kg.store import StoreDirectory

    p49 = Path(__file__).parents[1] / "analysis" / "protocols" / "itplr-49-2026-03-25-protokoll.txt"
    store = tmp_path / "store"
    monkeypatch.setattr(kg.analysis.step, "today", lambda: dt.date(2026, 1, 1))
    assert load_paths([SAMPLES_DIR, p49], Settings(store=store)).ok
    snapshot = StoreDirectory(store).open_read_only().select(
        "SELECT ?id ?s WHERE { ?r <http://data.europa.eu/eli/ontology#id_local> ?id ; "
        "<https://w3id.org/beschlussgraph/ontology#status> ?s "
        'FILTER(?id IN ("2025/31", "2025/33", "2026/03")) } ORDER BY ?id')
    assert [str(row["s"].value).rsplit("#")[-1] for row in snapshot] == [
        "InForce", "InForce", "NotYetInForce"]
    lists = {}
    with app_client(store, query_workers=1) as c:
        for status in ("replaced", "partially_repealed", "in_force", "not_yet_in_force"):
            lists[status] = _every_page(c, 50, status=status)
    assert "2025/31" in lists["replaced"] and "2025/33" in lists["partially_repealed"]
    assert "2026/03" in lists["in_force"] and lists["not_yet_in_force"] == []
    # the same lists from the events alone
    monkeypatch.setattr(api.data, "_LISTS", KeptPerGeneration(api.data.KEPT_IDS, len))
    monkeypatch.setattr(api.data, "_STATES", KeptPerGeneration(1))
    monkeypatch.setattr(api.data, "_snapshot", _no_snapshot)
    with app_client(store, query_workers=1) as c:
        for status, ids in lists.items():
            assert _every_page(c, 50, status=status) == ids


def test_the_lists_of_every_status_share_the_list_without_it(
        sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the ordered ids of the list without its status are read once and kept: the whole
    # record's for the lists of every status, and the whole list itself then reads nothing
    monkeypatch.setattr(api.data, "_LISTS", KeptPerGeneration(api.data.KEPT_IDS, len))
    monkeypatch.setattr(api.data, "_STATES", KeptPerGeneration(1))
    scoped = []
    scope_query = api.data.scope_query
    monkeypatch.setattr(api.data, "scope_query",
                        lambda filters: scoped.append(sorted(filters)) or scope_query(filters))
    with app_client(sample_store, query_workers=1) as c:
        totals = [_ids(c, status=status, limit=1)[0]
                  for status in ("in_force", "partially_repealed", "unknown")]
        assert totals == [110, 3, 17]
        assert _ids(c, limit=1)[0] == 133
        # register: 2025/01 amends 2024/19 (Nummer 1, Nummer 2 neu gefasst)
        assert _ids(c, year=2024, status="amended", limit=5) == (1, ["2024/19"])
    assert scoped == [[], ["year"]]


def test_the_kept_table_of_beschluesse_follows_the_date_and_a_new_load(tmp_path: Path) -> None:
    # /beschluesse keeps the rows it built for one projection, set of facets and date; another
    # date builds them anew, and so does a load that switches in a new generation
    from bench import synth_protocols
    from cli.main import main
    from tests.api.conftest import load_samples

    def in_force(c: TestClient, **params: str) -> int:
        return c.get("/beschluesse.json", params={"status": "in_force", **params}).json()["total"]

    store = tmp_path / "store"
    load_samples(store)
    [protocol] = synth_protocols.generate(1, 0, tmp_path / "more")
    with app_client(store, query_workers=1) as c:
        assert in_force(c) == 110
        # on 1 January 2015 most of the register was not yet decided (in-force-on-date: 24)
        assert in_force(c, on="2015-01-01") == 24
        assert in_force(c) == 110
        assert main(["--store", str(store), "load", str(protocol)]) == 0
        after = in_force(c)
        # the new session's resolutions are in force, by the projection's status as by the
        # REST list's (the analysis graph's events)
        assert after > 110 and after == _ids(c, status="in_force")[0]


def test_a_kept_body_page_follows_a_new_load(tmp_path: Path) -> None:
    # a body's first mentions and mandates and their totals are kept per store generation;
    # a load that names FITKO again shows in the next view, with the totals SPARQL counts
    from bench import synth_protocols
    from cli.main import main
    from tests.api.conftest import load_samples

    def count(c: TestClient, pattern: str) -> int:
        query = ("PREFIX bg: <https://w3id.org/beschlussgraph/ontology#> "
                 "PREFIX eli: <http://data.europa.eu/eli/ontology#> "
                 f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
        answer = c.get("/sparql", params={"query": query},
                       headers={"Accept": "application/sparql-results+json"}).json()
        return int(answer["results"]["bindings"][0]["n"]["value"])

    fitko = "<https://w3id.org/beschlussgraph/id/gremium/fitko>"
    # a point, a protocol note or a statement that names FITKO
    mentions = (f"{{ ?x bg:mentions {fitko} ; eli:is_part_of ?r ; eli:number ?number }} "
                f"UNION {{ ?x bg:mentions {fitko} ; a bg:ProtocolNote }} "
                f"UNION {{ ?x bg:mentions {fitko} ; a bg:Statement }}")
    mandates = f"?x bg:assignee {fitko}"
    store = tmp_path / "store"
    load_samples(store)
    [protocol] = synth_protocols.generate(1, 0, tmp_path / "more")
    with app_client(store, query_workers=1) as c:
        for _ in range(2):  # the second view is served from what the first kept
            page = c.get("/id/gremium/fitko", headers={"Accept": "text/html"}).text
            assert "<h2>Erwähnungen (23)</h2>" in page and count(c, mentions) == 23
            assert c.get("/bodies/fitko").json()["mandates_total"] == count(c, mandates) == 13
        assert main(["--store", str(store), "load", str(protocol)]) == 0
        page = c.get("/id/gremium/fitko", headers={"Accept": "text/html"}).text
        after = re.search(r"<h2>Erwähnungen \((\d+)\)</h2>", page)
        assert after and int(after.group(1)) == count(c, mentions) > 23
        assert c.get("/bodies/fitko").json()["mandates_total"] == count(c, mandates) > 13
