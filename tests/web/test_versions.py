"""Consolidated text, changes tables and the Atom feed on the bundled samples.

The changes the register and the protocol state (effective dates as the analysis derives
them): B-2025/33-IT Ziffer 5 repeals 2025/02 Ziffer 3 (26.11.2025); B-2025/39-IT repeals
2022/43 (26.11.2025); 2025/03 repeals 2023/44 Ziffern 2 and 3 (26.03.2025); 2023/22 replaces
2022/06 (04.07.2023); 2022/37 repeals 2022/14 Ziffer 5 (10.11.2022); 2024/01 amends 2022/43
Ziffer 1 and 2025/01 amends 2022/43 and 2024/19 Ziffern 1 and 2 (register rows without a day:
1 January assumed).
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tests.web.conftest import BASE, PAGES

ATOM = "{http://www.w3.org/2005/Atom}"


def html(client: TestClient, url: str) -> HTMLParser:
    response = client.get(url, headers={"accept": "text/html"})
    assert response.status_code == 200, response.text
    return HTMLParser(response.text)


def point(tree: HTMLParser, number: str):  # noqa: ANN201
    return tree.css_first(f"ol.consolidated-points li#ziffer-{number}")


def test_2025_02_before_and_after_the_repeal_of_ziffer_3(client: TestClient) -> None:
    before = html(client, PAGES + "2025/02/fassung?am=2025-11-25")
    assert point(before, "3").attributes["data-state"] == "in_force"
    assert point(before, "3").css_first("del") is None
    later = before.css_first("ul.change-notes.later").text()
    assert "Ziffer 3 aufgehoben durch B-2025/33-IT mit Wirkung vom 26.11.2025" in later
    assert before.css_first("a[rel=next]").attributes["href"] == \
        PAGES + "2025/02/fassung?am=2025-11-26"

    after = html(client, PAGES + "2025/02/fassung?am=2025-11-26")
    three = point(after, "3")
    assert three.attributes["data-state"] == "repealed"
    assert three.css_first("del") is not None
    assert three.css_first("p.change-note").text().startswith(
        "aufgehoben durch B-2025/33-IT mit Wirkung vom 26.11.2025")
    assert three.css_first("p.change-note a").attributes["href"] == PAGES + "2025/33"
    # the other points stay in force, unmarked
    assert [point(after, n).attributes["data-state"] for n in ("1", "2", "4")] == \
        ["in_force"] * 3
    assert after.css_first("span.status").text() == "teilweise aufgehoben"
    assert after.css_first("nav.versions span").text() == "Fassung seit 26.11.2025"


def test_2022_06_replaced_by_2023_22(client: TestClient) -> None:
    before = client.get(PAGES + "2022/06/fassung.json?am=2023-07-03").json()
    after = client.get(PAGES + "2022/06/fassung.json?am=2023-07-04").json()
    assert (before["state"], after["state"]) == ("in_force", "replaced")
    assert [p["struck"] for p in before["points"]] == [False] * 5
    assert [p["struck"] for p in after["points"]] == [True] * 5
    assert after["points"][0]["notes"] == ["ersetzt durch 2023/22 mit Wirkung vom 04.07.2023"]
    # versions: adopted 09.03.2022, replaced 04.07.2023
    assert [v["date"] for v in after["versions"]] == ["2022-03-09", "2023-07-04"]
    assert after["version"] == {"from": "2023-07-04", "previous": "2022-03-09", "next": None}


@pytest.mark.parametrize(("day", "states", "notes"), [
    # before any change: the register names only its points (not loaded): unknown
    ("2023-12-31", ["unknown", "unknown"], [[], []]),
    # 2024/01 amends Ziffer 1 (a register row without a day: 1 January assumed)
    ("2024-06-01", ["amended", "in_force"],
     [["geändert durch 2024/01 mit Wirkung vom 01.01.2024 (Tag nicht überliefert, "
       "Jahresbeginn angenommen)"], []]),
    # B-2025/39-IT repeals the whole of 2022/43: every point struck, with the repeal noted
    ("2025-11-26", ["repealed", "repealed"],
     [["geändert durch 2024/01 mit Wirkung vom 01.01.2024 (Tag nicht überliefert, "
       "Jahresbeginn angenommen)",
       "geändert durch 2025/01 mit Wirkung vom 01.01.2025 (Tag nicht überliefert, "
       "Jahresbeginn angenommen)",
       "aufgehoben durch B-2025/39-IT mit Wirkung vom 26.11.2025"],
      ["geändert durch 2025/01 mit Wirkung vom 01.01.2025 (Tag nicht überliefert, "
       "Jahresbeginn angenommen)",
       "aufgehoben durch B-2025/39-IT mit Wirkung vom 26.11.2025"]]),
])
def test_2022_43_on_three_days(client: TestClient, day: str, states: list[str],
                               notes: list[list[str]]) -> None:
    view = client.get(PAGES + f"2022/43/fassung?am={day}",
                      headers={"accept": "application/json"}).json()
    assert [p["state"] for p in view["points"]] == states
    assert [p["notes"] for p in view["points"]] == notes
    assert [v["date"] for v in view["versions"]] == ["2024-01-01", "2025-01-01", "2025-11-26"]


def test_consolidated_text_of_b_2025_33_shows_its_wording(client: TestClient) -> None:
    tree = html(client, PAGES + "2025/33/fassung?am=2026-01-01")
    assert point(tree, "2").text().strip().startswith(
        "2.\n      Die FITKO erstellt bis zum 15.12.2025 eine vollständige Übersicht")
    assert tree.css("ol.consolidated-points del") == []
    # the date picker is a plain GET form on the same page
    form = tree.css_first("form.version-picker")
    assert form.attributes["action"] == PAGES + "2025/33/fassung"
    assert form.css_first("input[type=date]").attributes["value"] == "2026-01-01"
    assert [a.text() for a in tree.css("ol.version-list a")] == ["26.11.2025"]


def test_consolidated_text_errors(client: TestClient) -> None:
    assert client.get(PAGES + "2025/99/fassung").status_code == 404
    bad = client.get(PAGES + "2025/33/fassung?am=26.11.2025")
    assert bad.status_code == 400
    assert [p["location"] for p in bad.json()["error"]["detail"]] == ["query.am"]


def test_resolution_page_links_versions_and_changes(client: TestClient) -> None:
    tree = html(client, PAGES + "2025/33")
    links = [a.attributes["href"] for a in tree.css("nav.resolution-versions a")]
    assert links == [PAGES + "2025/33/fassung", PAGES + "2025/33/aenderungen"]


ALL_CHANGES = [  # (affected, point, affecting, type, effective), newest first
    ("2022/43", None, "2025/39", "repeal", "2025-11-26"),
    ("2025/02", "3", "2025/33", "repeal", "2025-11-26"),
    ("2023/44", "3", "2025/03", "repeal", "2025-03-26"),
    ("2023/44", "2", "2025/03", "repeal", "2025-03-26"),
    ("2024/19", "2", "2025/01", "amendment", "2025-01-01"),
    ("2024/19", "1", "2025/01", "amendment", "2025-01-01"),
    ("2022/43", "2", "2025/01", "amendment", "2025-01-01"),
    ("2022/43", "1", "2025/01", "amendment", "2025-01-01"),
    ("2022/43", "1", "2024/01", "amendment", "2024-01-01"),
    ("2022/06", None, "2023/22", "replacement", "2023-07-04"),
    ("2022/14", "5", "2022/37", "repeal", "2022-11-10"),
]


def rows(client: TestClient, url: str) -> list[tuple]:
    items = client.get(url).json()["items"]
    return [(i["affected"], i["point"], i["affecting"], i["type"], i["effective"])
            for i in items]


@pytest.mark.parametrize(("query", "expected"), [
    ("", ALL_CHANGES),  # every change of the graph
    ("type=replacement", [ALL_CHANGES[9]]),
    ("type=amendment", ALL_CHANGES[4:9]),
    ("year=2025", ALL_CHANGES[:8]),  # by the effective date
    ("affecting=B-2025/33-IT", [ALL_CHANGES[1]]),  # the identifier as written
    ("affected=2022/43", [ALL_CHANGES[0], *ALL_CHANGES[6:9]]),
    ("affected=2022/43&type=amendment&year=2024", [ALL_CHANGES[8]]),
])
def test_changes_table_of_the_graph(client: TestClient, query: str, expected: list) -> None:
    assert rows(client, "/aenderungen.json?" + query) == expected


def test_changes_table_per_resolution(client: TestClient) -> None:
    # changes by B-2025/33-IT and to it (none)
    assert rows(client, PAGES + "2025/33/aenderungen.json") == [ALL_CHANGES[1]]
    assert rows(client, PAGES + "2022/43/aenderungen.json") == [
        ALL_CHANGES[0], *ALL_CHANGES[6:9]]
    item = client.get(PAGES + "2025/33/aenderungen.json").json()["items"][0]
    assert item["affecting_identifier"] == "B-2025/33-IT"
    # the protocol's own words (its reference sorts before the register's)
    assert item["evidence"].startswith("Der IT-Planungsrat übergibt dem erweiterten "
                                       "Steuerungskreis die Federführung")
    assert item["evidence"].endswith("hebt die Ziffer 3 des Beschlusses 2025/02 auf")


def test_changes_twins_equal_the_html_rows(client: TestClient) -> None:
    tree = html(client, "/aenderungen?type=repeal")
    shown = [[td.text().strip() for td in tr.css("td")[:5]]
             for tr in tree.css("table.changes-table tbody tr")]
    assert shown[1] == ["2025/02", "3", "B-2025/33-IT", "Aufhebung", "26.11.2025"]
    table = list(csv.DictReader(io.StringIO(client.get("/aenderungen.csv?type=repeal").text)))
    by_accept = client.get("/aenderungen?type=repeal", headers={"accept": "text/csv"}).text
    assert by_accept == client.get("/aenderungen.csv?type=repeal").text
    assert [[r["affected_identifier"], r["point"] or "ganz", r["affecting_identifier"],
             r["type_label"], ".".join(reversed(r["effective"].split("-")))]
            for r in table] == shown
    assert len(shown) == 5


def test_changes_bad_filter(client: TestClient) -> None:
    response = client.get("/aenderungen.json?affected=2031/77")
    assert response.status_code == 400
    assert [p["location"] for p in response.json()["error"]["detail"]] == ["query.affected"]
    assert client.get("/aenderungen.json?type=aufhebung").status_code == 400
    assert client.get("/aenderungen.xml").status_code == 404
    assert client.get(PAGES + "2025/33/fassung.csv").status_code == 406


def test_atom_feed(client: TestClient) -> None:
    response = client.get("/feed.atom")
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == ATOM + "feed"
    assert feed.findtext(ATOM + "id") == "http://testserver/feed.atom"
    assert feed.findtext(ATOM + "updated") == "2025-11-26T00:00:00Z"
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Beschlussgraph"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feed.atom"
    entries = feed.findall(ATOM + "entry")
    assert len(entries) == 100  # the newest 100 of 99 adoptions and 11 changes
    # RFC 4287: every entry has one id, title, updated and an alternate link; ids unique
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(ATOM + tag)) == 1
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(
            "http://testserver/id/")
    assert len({e.findtext(ATOM + "id") for e in entries}) == 100
    by_title = {e.findtext(ATOM + "title"): e for e in entries}
    repeal = by_title["Aufhebung: 2025/02 Ziffer 3 durch B-2025/33-IT"]
    assert repeal.findtext(ATOM + "updated") == "2025-11-26T00:00:00Z"
    assert repeal.find(ATOM + "link").get("href") == \
        "http://testserver/id/eli/itplr/beschluss/2025/02/aenderungen"
    assert repeal.findtext(ATOM + "summary") == \
        "2025/02 Ziffer 3 aufgehoben durch B-2025/33-IT mit Wirkung vom 26.11.2025"
    new = by_title["Beschluss B-2025/33-IT: Portfoliosteuerung des IT-Planungsrats"]
    assert new.findtext(ATOM + "id") == BASE + "eli/itplr/beschluss/2025/33"
    # newest first
    days = [e.findtext(ATOM + "updated") for e in entries]
    assert days == sorted(days, reverse=True)


def test_before_its_session_day_b_2025_33_is_not_yet_in_force(client: TestClient) -> None:
    view = client.get(PAGES + "2025/33/fassung.json?am=2025-11-25").json()
    assert view["state"] == "not_yet_in_force"
    assert view["explanation"] == ("2025/33: noch nicht in Kraft (Stand 25.11.2025; "
                                   "beschlossen am 26.11.2025)")
    assert view["version"] == {"from": None, "previous": None, "next": "2025-11-26"}
    assert [p["struck"] for p in view["points"]] == [False] * 5
