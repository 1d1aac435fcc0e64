"""The browse lists (/beschluesse, /sitzungen, /gremien, /laender, /eu-rechtsakte) on the
bundled samples: the protocol of the 48th session (26.11.2025, B-2025/31-IT … B-2025/52-IT)
and the register of earlier decisions. Every filter narrows the rows to the documents' facts;
the JSON and CSV twins carry the HTML rows."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser

# the 22 resolutions of the 48th session, newest number first
SESSION_48 = [f"2025/{n}" for n in range(52, 30, -1)]


def ids(client: TestClient, query: str) -> list[str]:
    body = client.get("/beschluesse.json?limit=1000&" + query).json()
    assert body["total"] == len(body["items"])
    return [item["id"] for item in body["items"]]


def html_ids(client: TestClient, url: str) -> list[str]:
    page = client.get(url, headers={"accept": "text/html"})
    assert page.status_code == 200, page.text
    return [tr.attributes["data-id"] for tr in HTMLParser(page.text).css("table.list tr[data-id]")]


@pytest.mark.parametrize(("query", "expected"), [
    # the protocol's session: exactly its 22 resolutions
    ("session=48", SESSION_48),
    # the register's 46th session (26.03.2025)
    ("session=46", ["2025/13", "2025/07", "2025/04", "2025/03"]),
    # B-2025/39-IT repeals 2022/43 with effect from 26.11.2025: repealed on 1.1.2026
    ("status=repealed&on=2026-01-01", ["2022/43"]),
    # B-2025/33-IT Ziffer 5 repeals 2025/02 Ziffer 3 from 26.11.2025: on the eve 2025/02
    # is not yet partly repealed, on 1.1.2026 it is (beside 2023/44 and 2022/14)
    ("status=partially_repealed&on=2025-11-25", ["2023/44", "2022/14"]),
    ("status=partially_repealed&on=2026-01-01", ["2025/02", "2023/44", "2022/14"]),
    # 2023/22 replaces 2022/06 (register, 04.07.2023)
    ("status=replaced&on=2026-01-01", ["2022/06"]),
    # before their session day the 48th session's resolutions are not yet in force
    ("status=not_yet_in_force&on=2025-11-25&session=48", SESSION_48),
    # resolutions that repeal something (the whole or a point)
    ("relation=repeals", ["2025/39", "2025/33", "2025/03", "2023/22", "2022/37"]),
    ("relation=replaces", ["2023/22"]),
    ("relation=amends", ["2025/01", "2024/01"]),
    # the register's procedure column
    ("procedure=Umlaufverfahren", ["2023/35", "2022/32", "2018/36"]),
    ("procedure=Sondersitzung", ["2018/02", "2015/46"]),
    ("procedure=AL-Runde", ["2025/11-AL", "2025/09-AL", "2025/06-AL", "2025/02-AL"]),
    # Bayern is assigned in 2025/51 and notes on 2025/38 and 2025/45; the other seven name
    # "die Länder" (2025/32 "bittet Bund und Länder", 2025/41 "Die Länder werden gebeten" …)
    ("land=BY", ["2025/51", "2025/45", "2025/44", "2025/41", "2025/40", "2025/38", "2025/37",
                 "2025/36", "2025/33", "2025/32"]),
    # filters combine: Hamburg in the 48th session (reporter of 2025/50 and 2025/52)
    ("land=HH&session=48", ["2025/52", "2025/51", "2025/50", "2025/45", "2025/44", "2025/41",
                            "2025/40", "2025/39", "2025/37", "2025/36", "2025/33", "2025/32"]),
    # EuroVoc 77 (a subject of B-2025/34-IT and two register decisions)
    ("subject=77", ["2025/34", "2019/19", "2018/38"]),
])
def test_filters_select_the_documents_rows(client: TestClient, query: str,
                                           expected: list[str]) -> None:
    assert ids(client, query) == expected


@pytest.mark.parametrize(("query", "count", "first"), [
    ("", 133, "2025/52"),  # every resolution the graph knows, loaded or only cited
    ("year=2025", 40, "2025/52"),  # council, AL-Runde and follow-up ids of 2025
    ("year=2022", 14, "2022/43"),
    # FITKO in 13 resolutions of the 48th session and in six of the register whose titles
    # name it (2014/22 "Föderale IT-Kooperation (FITKO)" … 2025/04 "Wirtschaftsplan FITKO")
    ("body=fitko", 19, "2025/51"),
])
def test_filter_counts(client: TestClient, query: str, count: int, first: str) -> None:
    found = ids(client, query)
    assert (len(found), found[0]) == (count, first)


@pytest.mark.parametrize("query", ["body=fitko", "land=BY", "session=48", "year=2022"])
def test_body_land_session_year_equal_the_rest_list(client: TestClient, query: str) -> None:
    rest = client.get("/resolutions?limit=200&" + query).json()
    assert sorted(ids(client, query)) == sorted(item["id"] for item in rest["items"])


def test_status_equals_the_analysis_on_any_date(client: TestClient) -> None:
    for day in ("2023-07-03", "2023-07-04", "2025-11-26"):
        analysis = client.get("/analysis/status", params={"on": day}).json()
        listed = client.get(f"/beschluesse.json?limit=1000&on={day}").json()["items"]
        assert {i["id"]: i["status"] for i in listed} == {
            i["id"]: i["state"] for i in analysis["items"]}


@pytest.mark.parametrize("day", ["2023-07-03", "2025-11-26", "2026-01-01"])
def test_in_force_any_equals_the_named_query(client: TestClient, day: str) -> None:
    # the named query in-force-on-date without `all`: in force, amended, partly repealed
    named = client.get(f"/queries/in-force-on-date.json?date={day}").json()
    expected = sorted(b["id"]["value"] for b in named["results"]["bindings"])
    assert sorted(ids(client, f"status=in_force_any&on={day}")) == expected


def test_sorting_by_column(client: TestClient) -> None:
    assert ids(client, "session=48&sort=title&order=asc")[0] == "2025/46"
    titles = [i["title"] for i in client.get(
        "/beschluesse.json?session=48&sort=title&order=asc&limit=100").json()["items"]]
    assert titles == sorted(titles, key=str.casefold)
    assert ids(client, "session=48&sort=id&order=asc") == SESSION_48[::-1]
    # dates: the register's dated decisions come first, undated ones last in either order
    dated = client.get("/beschluesse.json?sort=date&order=asc&limit=1000").json()["items"]
    days = [i["date"] for i in dated if i["date"]]
    assert days == sorted(days) and days[0] < "2011-01-01"
    assert all(i["date"] is None for i in dated[len(days):])


def test_paging_and_its_links(client: TestClient) -> None:
    first = client.get("/beschluesse.json?session=48&limit=5").json()
    second = client.get(first["next"]).json()
    assert [i["id"] for i in first["items"]] == SESSION_48[:5]
    assert [i["id"] for i in second["items"]] == SESSION_48[5:10]
    assert first["next"] == "/beschluesse.json?session=48&limit=5&offset=5"
    assert second["previous"] == "/beschluesse.json?session=48&limit=5"
    last = client.get("/beschluesse.json?session=48&limit=5&offset=20").json()
    assert [i["id"] for i in last["items"]] == ["2025/32", "2025/31"]
    assert last["next"] is None
    html = client.get("/beschluesse?session=48&limit=5&offset=5",
                      headers={"accept": "text/html"}).text
    tree = HTMLParser(html)
    assert tree.css_first("a[rel=next]").attributes["href"] == \
        "/beschluesse?session=48&limit=5&offset=10"
    assert tree.css_first("a[rel=prev]").attributes["href"] == "/beschluesse?session=48&limit=5"


@pytest.mark.parametrize("query", ["session=48&limit=7&offset=3", "status=partially_repealed",
                                   "land=HH&sort=title&order=asc", "relation=repeals"])
def test_json_and_csv_twins_carry_the_html_rows(client: TestClient, query: str) -> None:
    shown = html_ids(client, "/beschluesse?" + query)
    by_suffix = client.get("/beschluesse.json?" + query).json()["items"]
    by_accept = client.get("/beschluesse?" + query, headers={"accept": "application/json"})
    assert by_accept.headers["content-type"] == "application/json"
    assert [i["id"] for i in by_suffix] == shown == [i["id"] for i in by_accept.json()["items"]]
    for response in (client.get("/beschluesse.csv?" + query),
                     client.get("/beschluesse?" + query, headers={"accept": "text/csv"})):
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert [r["id"] for r in rows] == shown
        assert [r["title"] for r in rows] == [i["title"] or "" for i in by_suffix]


def test_csv_columns_of_b_2025_33(client: TestClient) -> None:
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/beschluesse.csv?session=48&sort=id&order=asc&limit=3&offset=2").text)))
    row = rows[0]
    assert (row["id"], row["identifier"], row["title"], row["date"], row["session"]) == (
        "2025/33", "B-2025/33-IT", "Portfoliosteuerung des IT-Planungsrats", "2025-11-26", "48")
    assert row["relations"].split("; ")[0] == "repeals"  # Ziffer 5 repeals 2025/02 Ziffer 3
    assert "fitko" in row["bodies"].split("; ")


def test_filter_form_keeps_the_state_in_the_url(client: TestClient) -> None:
    tree = HTMLParser(client.get("/beschluesse?land=HH&session=48&status=in_force&on=2026-01-01",
                                 headers={"accept": "text/html"}).text)
    form = tree.css_first("form.filters")
    assert form.attributes["method"] == "get"
    assert form.css_first("select[name=land] option[selected]").attributes["value"] == "HH"
    assert form.css_first("select[name=session] option[selected]").attributes["value"] == "48"
    assert form.css_first("input[name=on]").attributes["value"] == "2026-01-01"
    # a sort header keeps the filters and resets the page
    header = tree.css_first("th.sortable a").attributes["href"]
    assert header.startswith("/beschluesse?land=HH&session=48&status=in_force&on=2026-01-01")
    twins = [a.attributes["href"] for a in tree.css("p.formats a")]
    assert twins == ["/beschluesse.json?land=HH&session=48&status=in_force&on=2026-01-01",
                     "/beschluesse.csv?land=HH&session=48&status=in_force&on=2026-01-01"]


@pytest.mark.parametrize(("query", "parameter"), [
    ("year=zwanzig", "year"),  # not a number
    ("status=gilt", "status"),  # not a state of the analysis
    ("relation=erwaehnt", "relation"),
    ("on=2025-13-01", "on"),  # no such day
    ("sort=farbe", "sort"),
    ("limit=0", "limit"),
])
def test_bad_filters_name_the_parameter(client: TestClient, query: str, parameter: str) -> None:
    response = client.get("/beschluesse.json?" + query)
    assert response.status_code == 400
    error = response.json()["error"]
    assert [p["location"] for p in error["detail"]] == [f"query.{parameter}"]
    assert error["message"].startswith(parameter)
    page = client.get("/beschluesse?" + query, headers={"accept": "text/html"})
    assert page.status_code == 400 and f"Filter {parameter}:" in page.text


def test_unknown_suffix_and_unacceptable_type(client: TestClient) -> None:
    assert client.get("/beschluesse.xml").status_code == 404
    # the format is a suffix of the path, never a query parameter
    assert client.get("/beschluesse?suffix=csv", headers={"accept": "text/html"}).headers[
        "content-type"].startswith("text/html")
    assert client.get("/beschluesse", headers={"accept": "image/png"}).status_code == 406
    # without Accept a list is a page (the REST list for programs is /resolutions)
    assert client.get("/beschluesse", headers={"accept": ""}).headers[
        "content-type"].startswith("text/html")


def test_sessions_list(client: TestClient) -> None:
    body = client.get("/sitzungen.json?limit=3").json()
    assert body["total"] == 37
    assert body["items"][0] == {
        "number": 48, "label": "48. Sitzung", "label_en": "48th session", "date": "2025-11-26",
        "resolutions": 22,
        "iri": "https://w3id.org/beschlussgraph/id/sitzung/itplr/48",
        "page": "/id/sitzung/itplr/48"}
    assert [i["number"] for i in client.get("/sitzungen.json?sort=number&order=asc&limit=2")
            .json()["items"]] == [1, 2]
    rows = list(csv.DictReader(io.StringIO(client.get("/sitzungen.csv?limit=2").text)))
    assert [(r["number"], r["resolutions"]) for r in rows] == [("48", "22"), ("46", "4")]


@pytest.mark.parametrize(("path", "key", "label", "resolutions"), [
    ("/laender", "BY", "Bayern", 10),  # as in /beschluesse?land=BY
    ("/laender", "HH", "Hamburg", 12),
    ("/laender", "Bund", "Bund", 11),
    ("/gremien", "fitko", "FITKO (Föderale IT-Kooperation)", 19),
])
def test_organisation_lists(client: TestClient, path: str, key: str, label: str,
                            resolutions: int) -> None:
    items = {i["key"]: i for i in client.get(path + ".json?limit=1000").json()["items"]}
    assert (items[key]["label"], items[key]["resolutions"]) == (label, resolutions)
    kind = "land" if path == "/laender" else "body"
    assert len(ids(client, f"{kind}={key}")) == resolutions


def test_laender_are_the_sixteen_and_the_bund(client: TestClient) -> None:
    items = client.get("/laender.json").json()["items"]
    assert len(items) == 17
    assert {i["key"] for i in items} >= {"BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI",
                                         "NW", "RP", "SL", "SN", "ST", "SH", "TH", "Bund"}
    html = HTMLParser(client.get("/laender", headers={"accept": "text/html"}).text)
    assert html.css_first("a[href='/beschluesse?land=BY']").text() == "10"


def test_eu_acts_list(client: TestClient) -> None:
    items = {i["label"]: i for i in client.get("/eu-rechtsakte.json").json()["items"]}
    assert items["Verordnung (EU) 2018/1724"]["citing"] == ["2025/43", "2025/45"]
    # the trap of DESIGN.md: Richtlinie 2014/55/EU is an EU act, cited by 2017/22
    assert items["Richtlinie 2014/55/EU"]["citing"] == ["2017/22"]
    assert items["Richtlinie 2014/55/EU"]["iri"] == "http://data.europa.eu/eli/dir/2014/55/oj"
    # B-2025/42-IT cites the Interoperable Europe Act and its Art. 3: one act, the article named
    assert (items["Verordnung (EU) 2024/903"]["citing"],
            items["Verordnung (EU) 2024/903"]["articles"]) == (["2025/42"], ["Art. 3"])
    assert not [label for label in items if "Art." in label]
    # acts of the shipped vocabulary no resolution cites are no rows (the GDPR, eIDAS …)
    assert all(i["resolutions"] > 0 for i in items.values())
    assert "Verordnung (EU) 2016/679" not in items
    page = HTMLParser(client.get("/eu-rechtsakte", headers={"accept": "text/html"}).text)
    assert [a.attributes["href"] for a in page.css("td.col-citing a")
            if a.text() == "2017/22"] == ["/id/eli/itplr/beschluss/2017/22"]


def test_nav_leads_to_the_html_lists(client: TestClient) -> None:
    nav = HTMLParser(client.get("/sitzungen", headers={"accept": "text/html"}).text)
    hrefs = [a.attributes["href"] for a in nav.css("header.site nav a")]
    for path in ("/beschluesse", "/sitzungen", "/gremien", "/laender", "/eu-rechtsakte",
                 "/aenderungen"):
        assert path in hrefs
    assert "/resolutions" not in hrefs


@pytest.mark.parametrize(("url", "filters", "ignored"), [
    # "jahr" is no filter of the list: it says so instead of echoing it as one
    ("/beschluesse.json?jahr=2025", {}, {"jahr": "2025"}),
    ("/beschluesse.json?year=2025&jahr=2024", {"year": "2025"}, {"jahr": "2024"}),
    # the list of changes and a simple list, alike
    ("/aenderungen.json?type=repeal&foo=1", {"type": "repeal"}, {"foo": "1"}),
    ("/gremien.json?x=2", {}, {"x": "2"}),
])
def test_the_json_twin_says_which_parameters_it_ignored(client: TestClient, url: str,
                                                        filters: dict, ignored: dict) -> None:
    body = client.get(url).json()
    assert (body["filters"], body["ignored"]) == (filters, ignored)
