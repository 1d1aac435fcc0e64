"""REST API on the bundled protocol (session 48, 26.11.2025), in-process."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import BASE, R33


def test_resolution_33_in_full(client: TestClient) -> None:
    r = client.get("/resolutions/2025/33")
    assert r.status_code == 200
    d = r.json()
    assert d["id"] == "2025/33"
    assert d["identifier"] == "B-2025/33-IT"
    assert d["title"] == "Portfoliosteuerung des IT-Planungsrats"
    assert d["date"] == "2025-11-26"
    assert (d["session"], d["agenda_item"]) == (48, "09")
    assert d["passed_by"]["iri"] == BASE + "gremium/it-planungsrat"
    assert d["outcome"] == "adopted" and d["status"] == "in_force" and d["loaded"] is True
    assert [p["number"] for p in d["points"]] == ["1", "2", "3", "4", "5"]
    assert d["points"][1]["text"].startswith("Die FITKO erstellt bis zum 15.12.2025")
    # outgoing references, typed: the partial repeal of 2025/02 and the Quelle column
    relations = {(x["relation"], x["target"]["iri"].removeprefix(BASE))
                 for x in d["references_out"]}
    assert ("repeals_part_of", "eli/itplr/beschluss/2025/02") in relations
    assert ("based_on", "eli/itplr/beschluss/2024/40") in relations
    assert ("cites", "eli/itplr/beschluss/2020/58") in relations
    # the register restates the partial repeal and the citation of 2020/58 (its rows 18, 19):
    # each appears once, as the protocol states it
    repeals = [x for x in d["references_out"] if x["relation"] == "repeals_part_of"]
    assert len(repeals) == 1
    assert repeals[0]["relation_label"] == "hebt teilweise auf"
    assert repeals[0]["point"] == "5" and "hebt die Ziffer 3 des Beschlusses 2025/02" in \
        repeals[0]["evidence"]
    assert (repeals[0]["line_start"], repeals[0]["line_end"]) == (436, 440)
    assert repeals[0]["iri"] == R33 + "/verweis/itplr-48-2025-11-26-protokoll/2"
    assert [x["point"] for x in d["references_out"] if x["relation"] == "cites"] == ["3"]
    # mandates with deadlines
    fitko = next(m for m in d["mandates"] if m["point"] == "2")
    assert [a["iri"] for a in fitko["assignees"]] == [BASE + "gremium/fitko"]
    assert fitko["deadline"] == "2025-12-15" and fitko["deadline_kind"] == "date"
    quarter = next(m for m in d["mandates"] if m["point"] == "1")
    assert quarter["deadline"] == "2026-03-31" and quarter["deadline_text"] == "im 1. Quartal 2026"
    assert d["vote"]["unanimous"] is True
    assert d["vote"]["text"] == "Der Beschluss wird einstimmig angenommen."
    protocol = next(s for s in d["sources"]
                    if s["document"] == "itplr-48-2025-11-26-protokoll.txt")
    assert (protocol["line_start"], protocol["line_end"]) == (391, 440)
    assert protocol["excerpt"][0] == [391, "BV Beschluss B-2025/33-IT"]
    # the decision register describes it too
    assert any(s["graph"].endswith("/graph/itplr-register") for s in d["sources"])


def test_incoming_reference_on_the_repealed_resolution(client: TestClient) -> None:
    d = client.get("/resolutions/2025/2").json()  # number normalised to 2025/02
    assert d["id"] == "2025/02" and d["title"] == "Zielbilder der Schwerpunktthemen"
    assert d["status"] == "partially_repealed"
    sources = {x["source"]["iri"] for x in d["references_in"]}
    assert R33 in sources


@pytest.mark.parametrize("path", [
    "/resolutions/2025/2-AL",  # the number without its zero
    "/resolutions/2025/02-al",  # the suffix as a person may type it
    "/resolutions/2025/002-AL",
])
def test_an_al_runde_id_is_normalised(client: TestClient, path: str) -> None:
    # register row 2025/02-AL: AL-Runde, 19.02.2025, "Ausbau Produktmanagement"
    d = client.get(path).json()
    assert (d["id"], d["title"], d["date"]) == ("2025/02-AL", "Ausbau Produktmanagement",
                                                "2025-02-19")


def test_list_filters_and_pagination(client: TestClient) -> None:
    first = client.get("/resolutions", params={"session": 48, "limit": 5}).json()
    assert first["total"] == 22
    assert [i["id"] for i in first["items"]] == ["2025/52", "2025/51", "2025/50", "2025/49",
                                                 "2025/48"]
    assert first["next"].endswith("offset=5&limit=5")
    last = client.get("/resolutions", params={"session": 48, "limit": 5, "offset": 20}).json()
    assert [i["id"] for i in last["items"]] == ["2025/32", "2025/31"] and last["next"] is None
    fitko = client.get("/resolutions", params={"body": "fitko", "session": 48}).json()
    assert "2025/33" in {i["id"] for i in fitko["items"]}
    bavaria = client.get("/resolutions", params={"land": "BY"}).json()
    assert bavaria["total"] >= 1
    # in title or text: 2025/33 is titled so, 2025/03 ("Portfoliosteuerung") and 2025/31
    # mention it
    text = client.get("/resolutions", params={"q": "portfoliosteuerung"}).json()
    assert [i["id"] for i in text["items"]] == ["2025/33", "2025/31", "2025/03"]
    exact = client.get("/resolutions", params={"q": "B-2025/33-IT"}).json()
    assert [i["id"] for i in exact["items"]] == ["2025/33"]
    repealed = client.get("/resolutions", params={"status": "partially_repealed"}).json()
    assert "2025/02" in {i["id"] for i in repealed["items"]}
    by_year = client.get("/resolutions", params={"year": 2024}).json()
    assert by_year["total"] >= 1 and all(i["id"].startswith("2024/") for i in by_year["items"])


def test_values_are_bound_not_spliced(client: TestClient) -> None:
    # a text filter full of SPARQL syntax is just text: no match, no error
    hostile = '") } SELECT * WHERE { ?s ?p ?o } #'
    r = client.get("/resolutions", params={"q": hostile})
    assert r.status_code == 200 and r.json()["total"] == 0


def test_session_and_bodies(client: TestClient) -> None:
    s = client.get("/sessions/48").json()
    assert s["date"] == "2025-11-26" and s["place"] == "Hansestadt Stralsund"
    assert s["chair"]["iri"] == BASE + "land/MV"
    top09 = next(i for i in s["agenda_items"] if i["number"] == "09")
    assert top09["resolution"]["iri"] == R33
    assert len(s["resolutions"]) == 22
    fitko = client.get("/bodies/fitko").json()
    assert fitko["notation"] == "FITKO" and "FITKO AöR" in fitko["alt_labels"]
    assert "2025/33" in {r["id"] for r in fitko["resolutions"]}
    assert any(m["deadline"] == "2025-12-15" for m in fitko["mandates"])
    bavaria = client.get("/bodies/BY").json()
    assert bavaria["label"] == "Bayern" and bavaria["label_en"] == "Bavaria"


@pytest.mark.parametrize(("path", "status", "code"), [
    ("/resolutions/2025/999", 404, "not_found"),
    ("/resolutions/1800/1", 400, "invalid_parameter"),
    ("/resolutions/2025/x1", 400, "invalid_parameter"),
    ("/resolutions?limit=0", 400, "invalid_parameter"),
    ("/resolutions?land=Bayern", 400, "invalid_parameter"),
    ("/resolutions?body=FITKO%20x", 400, "invalid_parameter"),
    ("/resolutions?status=valid", 400, "invalid_parameter"),
    ("/sessions/47", 404, "not_found"),
    ("/sessions/0", 400, "invalid_parameter"),
    ("/bodies/no-such-body", 404, "not_found"),
])
def test_rest_errors_share_the_json_shape(client: TestClient, path: str, status: int,
                                          code: str) -> None:
    r = client.get(path)
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "detail"}
    assert body["error"]["status"] == status and body["error"]["code"] == code


def test_openapi_documents_the_routes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/sparql", "/resolutions", "/resolutions/{year}/{number}",
                 "/sessions/{number}", "/bodies/{key}"):
        assert path in spec["paths"]
    assert "ErrorResponse" in spec["components"]["schemas"]
    assert client.get("/docs").status_code == 200


def test_body_filter_ignores_case(client: TestClient) -> None:
    lower = client.get("/resolutions?body=fitko&limit=200").json()
    upper = client.get("/resolutions?body=FITKO&limit=200").json()
    assert upper == lower
    assert "2025/38" in {item["id"] for item in lower["items"]}  # B-2025/38-IT mandates FITKO


def test_status_of_a_rejected_resolution(tmp_path) -> None:
    """Every state of the analysis reaches the REST API (a rejected proposal is not in force)."""
    from cli.main import main
    from kg.settings import PROJECT_ROOT, SAMPLES_DIR
    from tests.api.conftest import app_client

    store = tmp_path / "store"
    sixty = PROJECT_ROOT / "tests" / "loaders" / "protocols" / "itplr-60-2026-06-18-protokoll.txt"
    assert main(["--store", str(store), "load", str(SAMPLES_DIR), str(sixty)]) == 0
    with app_client(store, query_workers=1) as c:
        # protocol 60: "Der Beschluss wird abgelehnt." for B-2026/14-IT
        assert c.get("/resolutions/2026/14").json()["status"] == "rejected"
        rejected = c.get("/resolutions", params={"status": "rejected", "limit": 200}).json()
        assert [i["id"] for i in rejected["items"]] == ["2026/14"]


def test_a_resolution_number_of_four_digits_is_looked_up(client: TestClient) -> None:
    # not refused by the path's pattern (issue 10, item 7): looked up, and not in the graph
    for path in ("/resolutions/2025/1234", "/analysis/status/2025/1234"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.json()["error"]["code"] == "not_found"
        assert "2025/1234" in r.json()["error"]["message"]


@pytest.mark.parametrize(("path", "status"), [
    # session numbers past 1,000 and 10,000 are looked up (issue 10, item 7), not refused
    ("/sessions/12345", 404),
    ("/graph/session/1001", 404),
    ("/resolutions?session=12345", 200),
    ("/beschluesse.json?session=12345", 200),
])
def test_a_session_number_of_five_digits_is_looked_up(client: TestClient, path: str,
                                                      status: int) -> None:
    r = client.get(path)
    assert r.status_code == status, r.text
    if status == 200:
        assert r.json()["total"] == 0
