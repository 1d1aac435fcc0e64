"""The named-query catalogue over HTTP (/queries…), on the bundled protocol of session 48.

Expected values come from the protocol (data/samples/itplr-48-2025-11-26-protokoll.txt):
session 48 passed the 22 resolutions B-2025/31-IT … B-2025/52-IT; 2025/33 is
"Portfoliosteuerung des IT-Planungsrats" (TOP 9).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib.query import Result

from queries import load_catalogue
from tests.api.conftest import ARTIFACTS, BASE, LiveServer, app_client, live_server, watch_csp

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
SESSION_48_IDS = [f"2025/{n}" for n in range(31, 53)]
PAGE_33 = "/id/eli/itplr/beschluss/2025/33"


def _bindings(response) -> list[dict[str, dict[str, str]]]:  # noqa: ANN001
    return response.json()["results"]["bindings"]


# -- the list ---------------------------------------------------------------------------------


def test_list_has_every_query_with_metadata_and_links(client: TestClient) -> None:
    r = client.get("/queries.json")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    listing = r.json()
    assert listing["count"] == len(load_catalogue()) == 35  # … council-members, resolutions-involving
    by_name = {q["name"]: q for q in listing["queries"]}
    q = by_name["resolutions-of-session"]
    assert q["title_de"] == "Beschlüsse einer Sitzung"
    assert q["title_en"] == "Resolutions of a session"
    assert q["description"].startswith("Alle Beschlüsse, die in einer Sitzung")
    assert q["tags"] == ["sitzung", "beschluss", "session", "resolution"]
    assert q["example"] == "kg query resolutions-of-session --param session=48"
    [session] = q["params"]
    assert session["name"] == "session" and session["type"] == "integer"
    assert session["default"] == "48" and session["required"] is False
    assert session["description"].startswith("Nummer der Sitzung")
    assert q["links"] == {
        "page": "/queries/resolutions-of-session",
        "json": "/queries/resolutions-of-session.json",
        "csv": "/queries/resolutions-of-session.csv",
        "meta": "/queries/resolutions-of-session/meta",
        "sparql": "/queries/resolutions-of-session.rq",
        "example": "/queries/resolutions-of-session?session=48",
    }
    # a required parameter has no default; its example link carries the example's value
    search = by_name["full-text-search"]
    assert search["params"][0]["required"] is True and search["params"][0]["default"] is None
    assert search["links"]["example"] == "/queries/full-text-search?q=NOOTS"
    # the same list by content negotiation; no Accept header: a machine, so JSON
    assert client.get("/queries", headers={"accept": "application/json"}).json() == listing
    assert client.get("/queries", headers={"accept": ""}).json() == listing


def test_list_as_html(client: TestClient) -> None:
    r = client.get("/queries", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert len(re.findall(r'<a class="query-title" href="/queries/[a-z0-9-]+">', page)) == 35
    assert '<a class="query-title" href="/queries/resolutions-of-session">' \
           "Beschlüsse einer Sitzung</a>" in page
    assert 'href="/queries/resolutions-of-session.csv"' in page
    assert 'href="/queries/full-text-search?q=NOOTS"' in page


# -- results: JSON and CSV --------------------------------------------------------------------


def test_json_results_of_session_48(client: TestClient) -> None:
    r = client.get("/queries/resolutions-of-session.json", params={"session": "48"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"
    assert r.headers["x-result-rows"] == "22"
    assert r.headers["link"] == ('</queries/resolutions-of-session/meta>; rel="describedby"; '
                                 'type="application/json"')
    doc = r.json()
    # a plain W3C results document: head and results, nothing else
    assert set(doc) == {"head", "results"}
    assert doc["head"]["vars"] == ["resolution", "id", "identifier", "title", "top", "outcome",
                                   "viaConsentAgenda", "_session"]
    rows = doc["results"]["bindings"]
    assert [row["id"]["value"] for row in rows] == SESSION_48_IDS  # ORDER BY ?id
    assert [row["identifier"]["value"] for row in rows] == [
        f"B-{i}-IT" for i in SESSION_48_IDS]
    row_33 = rows[2]
    assert row_33["resolution"] == {"type": "uri", "value": BASE + "eli/itplr/beschluss/2025/33"}
    assert row_33["title"] == {"type": "literal", "value": "Portfoliosteuerung des IT-Planungsrats",
                               "xml:lang": "de"}
    assert row_33["top"]["value"] == "09"
    assert row_33["_session"] == {"type": "literal", "value": "48",
                                  "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    # SPARQL client libraries read it as it is
    parsed = Result.parse(io.BytesIO(r.content), format="json")
    assert len(parsed) == 22
    # the default of `session` is 48: the same result without the parameter
    assert _bindings(client.get("/queries/resolutions-of-session.json")) == rows
    # another session: none loaded
    assert _bindings(client.get("/queries/resolutions-of-session.json?session=47")) == []


def test_csv_results_of_session_48(client: TestClient) -> None:
    r = client.get("/queries/resolutions-of-session.csv?session=48")
    assert r.status_code == 200 and r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["x-result-rows"] == "22"
    assert "describedby" in r.headers["link"]
    lines = r.text.split("\r\n")
    assert lines[0] == "resolution,id,identifier,title,top,outcome,viaConsentAgenda,_session"
    assert lines[-1] == ""  # every record ends with CRLF
    records = list(csv.DictReader(io.StringIO(r.text)))
    assert len(records) == 22 == len(lines) - 2
    assert [rec["id"] for rec in records] == SESSION_48_IDS
    assert records[2]["title"] == "Portfoliosteuerung des IT-Planungsrats"
    assert records[2]["resolution"] == BASE + "eli/itplr/beschluss/2025/33"
    assert {rec["_session"] for rec in records} == {"48"}


def test_typed_parameters_reach_the_query_as_terms(client: TestClient) -> None:
    """A date and a year parameter: bound as xsd:date / xsd:integer, echoed by the query."""
    rows = _bindings(client.get("/queries/in-force-on-date.json?date=2026-01-01"))
    assert rows and {row["_date"]["datatype"] for row in rows} == {
        "http://www.w3.org/2001/XMLSchema#date"}
    ids = {row["id"]["value"] for row in rows}
    assert "2025/33" in ids  # passed 26.11.2025, in force on 1 January 2026
    # before session 48 none of its resolutions is in force yet
    before = {row["id"]["value"] for row in _bindings(
        client.get("/queries/in-force-on-date.json?date=2025-11-25"))}
    assert not before & set(SESSION_48_IDS)


def test_results_by_accept_on_the_page_url(client: TestClient) -> None:
    r = client.get("/queries/resolutions-of-session",
                   headers={"accept": "application/sparql-results+json"})
    assert r.headers["content-type"] == "application/sparql-results+json"
    assert len(_bindings(r)) == 22
    r = client.get("/queries/resolutions-of-session", headers={"accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv") and r.text.count("\r\n") == 23
    assert "Accept" in r.headers["vary"]


def test_meta_and_text(client: TestClient) -> None:
    query = load_catalogue().get("resolutions-of-session")
    meta = client.get("/queries/resolutions-of-session/meta").json()
    assert meta["name"] == "resolutions-of-session" and meta["sparql"] == query.text
    assert meta["params"][0]["name"] == "session"
    text = client.get("/queries/resolutions-of-session.rq")
    assert text.headers["content-type"].startswith("application/sparql-query")
    assert text.text == query.text


def test_caps_of_the_endpoint_apply(sample_store: Path) -> None:
    with app_client(sample_store, query_workers=1, max_rows=5) as small:
        r = small.get("/queries/resolutions-of-session.json?session=48")
        assert r.status_code == 200
        assert r.headers["x-result-truncated"] == "rows; limit=5"
        assert r.json()["truncated"] is True
        assert [row["id"]["value"] for row in _bindings(r)] == SESSION_48_IDS[:5]
        page = small.get("/queries/resolutions-of-session", headers=HTML).text
        assert "gekürzt nach 5 Zeilen" in page


# -- errors -----------------------------------------------------------------------------------


def test_bad_parameter_is_400_naming_it(client: TestClient) -> None:
    for suffix in (".json", ".csv"):
        r = client.get(f"/queries/resolutions-of-session{suffix}?session=abc")
        assert r.status_code == 400
        assert r.headers["content-type"] == "application/json"
        error = r.json()["error"]
        assert error["status"] == 400 and error["code"] == "invalid_parameter"
        assert "'session'" in error["message"] and "'abc'" in error["message"]
        assert error["detail"] == [{"location": "query.session",
                                    "message": "expected an integer ≥ 1, got 'abc'",
                                    "input": "abc"}]
    below_min = client.get("/queries/resolutions-of-session.json?session=0").json()["error"]
    assert below_min["detail"][0]["location"] == "query.session"
    unknown = client.get("/queries/resolutions-of-session.json?sesion=48").json()["error"]
    assert unknown["detail"][0]["location"] == "query.sesion"
    assert "expected one of: session" in unknown["message"]
    twice = client.get("/queries/resolutions-of-session.json?session=48&session=47")
    assert twice.status_code == 400 and "given twice" in twice.json()["error"]["message"]
    missing = client.get("/queries/full-text-search.json").json()["error"]
    assert missing["detail"][0]["location"] == "query.q" and "required" in missing["message"]
    bad_date = client.get("/queries/in-force-on-date.json?date=26.11.2025").json()["error"]
    assert bad_date["detail"][0]["location"] == "query.date"


def test_unknown_query_is_404_with_suggestions(client: TestClient) -> None:
    r = client.get("/queries/resolution-of-sesion.json")
    assert r.status_code == 404
    error = r.json()["error"]
    assert error["code"] == "unknown_query"
    assert error["detail"]["suggestions"][0] == "resolutions-of-session"
    assert "did you mean: resolutions-of-session" in error["message"]
    assert client.get("/queries/nothing-like-this.csv").status_code == 404
    assert client.get("/queries/nothing-like-this/meta").status_code == 404
    html = client.get("/queries/resolution-of-sesion", headers=HTML)
    assert html.status_code == 404 and html.headers["content-type"].startswith("text/html")
    assert '<a href="/queries/resolutions-of-session">resolutions-of-session</a>' in html.text


# -- the HTML page ----------------------------------------------------------------------------


def test_page_has_typed_form_sparql_and_linked_results(client: TestClient) -> None:
    r = client.get("/queries/resolutions-of-session?session=48", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert "<h1>Beschlüsse einer Sitzung</h1>" in page
    assert re.search(r'<input id="param-session" name="session" type="number" value="48"\s+'
                     r'step="1" min="1"', page)
    # the SPARQL text, escaped
    assert "SELECT DISTINCT ?resolution ?id ?identifier" in page
    assert "?session a bg:Session ;" in page
    # 22 result rows; the resolution IRI links to its page on this server
    body = page.split('<table class="results">')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>.*?</tr>", body, re.S)
    assert len(rows) == 22
    [row_33] = [row for row in rows if f'href="{PAGE_33}"' in row]
    assert "<td>2025/33</td>" in row_33 and "Portfoliosteuerung des IT-Planungsrats" in row_33
    assert "<th>_session</th>" not in body  # the echoed parameter is shown in the form
    assert 'href="/queries/resolutions-of-session.json?session=48"' in page
    assert 'href="/queries/resolutions-of-session.csv?session=48"' in page
    # without parameters the defaults are a complete question: same table
    default = client.get("/queries/resolutions-of-session", headers=HTML).text
    assert default.count('<tr><td><a href="/id/eli/itplr/beschluss/2025/') == 22


def test_page_input_types_and_required_parameters(client: TestClient) -> None:
    dated = client.get("/queries/in-force-on-date", headers=HTML).text
    assert '<input id="param-date" name="date" type="date" value="2026-01-01"' in dated
    # a required parameter and nothing given: the form only, no results yet
    search = client.get("/queries/full-text-search", headers=HTML)
    assert search.status_code == 200
    assert re.search(r'<input id="param-q" name="q" type="text" value=""\s+required', search.text)
    assert '<table class="results">' not in search.text
    found = client.get("/queries/full-text-search?q=Portfoliosteuerung", headers=HTML).text
    assert '<table class="results">' in found and f'href="{PAGE_33}"' in found


def test_page_with_a_bad_parameter_shows_the_form_and_the_error(client: TestClient) -> None:
    r = client.get("/queries/resolutions-of-session?session=abc", headers=HTML)
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert '<div class="field invalid">' in r.text
    assert "parameter &#39;session&#39;: expected an integer ≥ 1, got &#39;abc&#39;" in r.text
    assert '<table class="results">' not in r.text


# -- binding, not injection -------------------------------------------------------------------


# Pasted into the text these would end the string literal and rewrite the FILTER, or end the
# query and start an update (a parse error, 400); bound as a literal they are plain text that
# no document contains.
HOSTILE = [
    'x")) || true || CONTAINS(("',
    '"} } ; DROP ALL ; SELECT * { ?s ?p ?o } #',
    "\\u0022) || true #",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_string_is_bound_not_injected(client: TestClient, value: str) -> None:
    r = client.get("/queries/full-text-search.json", params={"q": value})
    assert r.status_code == 200, r.text
    assert _bindings(r) == []  # compared as text: no document contains it
    html = client.get("/queries/full-text-search", params={"q": value}, headers=HTML)
    assert html.status_code == 200 and "0 Zeilen" in html.text
    # the store is untouched and the term is searchable as usual
    assert len(_bindings(client.get("/queries/resolutions-of-session.json"))) == 22


def test_bound_string_is_matched_as_text(client: TestClient) -> None:
    rows = _bindings(client.get("/queries/full-text-search.json",
                                params={"q": "portfoliosteuerung des it-planungsrats"}))
    assert rows
    assert {row["_q"]["value"] for row in rows} == {"portfoliosteuerung des it-planungsrats"}
    assert "2025/33" in {row["resolutionId"]["value"] for row in rows if "resolutionId" in row}


# -- the query page at / ----------------------------------------------------------------------


def test_query_page_offers_the_named_queries(client: TestClient) -> None:
    page = client.get("/", headers=HTML).text
    config = json.loads(re.search(r'<script id="kg-config" type="application/json">(.*?)'
                                  r"</script>", page, re.S).group(1))  # type: ignore[union-attr]
    # the six hand-written examples are still there
    assert len(config["examples"]) == 6
    assert config["examples"][0]["title"] == "Beschlüsse einer Sitzung"
    assert page.count('<button type="button" class="example"') == 6
    named = {q["name"]: q for q in config["namedQueries"]}
    assert len(named) == 35
    session = named["resolutions-of-session"]
    assert session["query"] == load_catalogue().get("resolutions-of-session").text
    assert session["params"] == [{"name": "session", "default": "48"}]
    assert session["page"] == "/queries/resolutions-of-session"
    assert '<option value="resolutions-of-session">Beschlüsse einer Sitzung (session)</option>' \
           in page
    assert '<option value="sessions-overview">' in page


# -- in a browser (slow) ----------------------------------------------------------------------



@pytest.fixture(scope="module")
def server(sample_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(sample_store, tmp_path_factory.mktemp("named-queries")) as live:
        yield live




@pytest.mark.slow
def test_browser_form_and_query_page(browser, server: LiveServer) -> None:  # noqa: ANN001
    foreign: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("request", lambda r: None if r.url.startswith((server.url, "data:"))
            else foreign.append(r.url))
    csp = watch_csp(page)
    # the form: change the session, submit, see the (empty) result, go back to 48
    page.goto(server.url + "/queries/resolutions-of-session")
    assert page.locator("table.results tbody tr").count() == 22
    page.fill("#param-session", "47")
    page.click("form.query-form button")
    page.wait_for_url("**/queries/resolutions-of-session?session=47")
    assert page.locator("table.results tbody tr").count() == 0
    page.fill("#param-session", "48")
    page.click("form.query-form button")
    page.wait_for_url("**?session=48")
    row = page.locator("table.results tbody tr", has_text="2025/33")
    assert row.locator("a").first.get_attribute("href") == PAGE_33
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-named-query.png"), full_page=True)
    # the query page: a parameterless named query runs at once in YASGUI
    page.goto(server.url + "/")
    page.wait_for_selector(".yasqe_queryButton")
    page.select_option("#named-query", "sessions-overview")
    page.wait_for_selector(".yasr table tbody tr td")
    assert "48" in page.locator(".yasr table tbody").inner_text()
    # a parameterised one goes into the editor and points to its form
    page.select_option("#named-query", "resolutions-of-session")
    hint = page.locator("#named-query-hint")
    hint.wait_for(state="visible")
    assert "?_session" in hint.inner_text()
    assert hint.locator("a").get_attribute("href") == "/queries/resolutions-of-session"
    assert "?_session" in page.evaluate("() => window.yasgui.getTab().getQuery()")
    page.screenshot(path=str(ARTIFACTS / "api-query-page-named.png"))
    # the six examples still run
    page.click("button.example >> nth=0")
    # a selector, not wait_for_function: its polling evaluates strings, which the CSP forbids
    page.wait_for_selector(".yasr table tbody tr:nth-child(22)")
    assert page.locator(".yasr table tbody tr").count() == 22
    assert foreign == []
    assert csp == []
