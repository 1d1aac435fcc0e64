"""The analyst's pages in German (the default) and English (issue 14: "German first, English
too"), on the bundled samples: the protocol of the 48th session (26.11.2025) and the register
of earlier decisions. UI strings follow the language; the documents' values (titles, texts)
stay as the documents give them; English labels the graph holds appear in English mode."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from api import i18n
from api.app import create_app
from kg.settings import Settings

HTML = {"accept": "text/html"}
R = "/id/eli/itplr/beschluss/"


@pytest.fixture(autouse=True)
def no_cookie(client: TestClient) -> Iterator[None]:
    """Each test starts as a first visit: the language cookie of one test never leaks."""
    client.cookies.clear()
    yield
    client.cookies.clear()


def page(client: TestClient, url: str, **headers: str) -> HTMLParser:
    response = client.get(url, headers={**HTML, **headers})
    assert response.status_code == 200, response.text
    return HTMLParser(response.text)


def texts(doc: HTMLParser, selector: str) -> list[str]:
    return [node.text(strip=True) for node in doc.css(selector)]


def with_lang(url: str, lang: str) -> str:
    return url + ("&" if "?" in url else "?") + "lang=" + lang


# (url, selector, German text, English text): a heading or label of each page
HEADINGS = [
    # the resolutions list
    ("/beschluesse", "h1", "Beschlüsse", "Resolutions"),
    ("/sitzungen", "h1", "Sitzungen", "Sessions"),
    # a session's name in the list: the English label, its ordinal with its suffix
    ("/sitzungen?sort=number&order=asc", "td.col-label", "2. Sitzung", "2nd session"),
    ("/gremien", "h1", "Gremien", "Bodies"),
    # the Bund is listed with the sixteen: the title says so
    ("/laender", "h1", "Bund und Länder", "Bund and Länder (federal level and states)"),
    ("/eu-rechtsakte", "h1", "EU-Rechtsakte", "EU legal acts"),
    # search with a word the register's titles carry
    ("/suche?q=Registermodernisierung", "h1", "Suche", "Search"),
    ("/suche?q=Registermodernisierung", "form.search-form button", "Suchen", "Search"),
    # 2025/02 on 1.1.2026, after B-2025/33-IT repealed its point 3
    (R + "2025/02/fassung?am=2026-01-01", "article.consolidated h2", "Fassungen", "Versions"),
    (R + "2025/02/fassung?am=2026-01-01", "form.version-picker button", "anzeigen", "show"),
    ("/aenderungen", "h1", "Änderungen", "Changes"),
    (R + "2025/02/aenderungen", "p.kicker", "Beschluss 2025/02", "Resolution 2025/02"),
    # the resolution page of B-2025/33-IT: its text and references
    (R + "2025/33", "section#text h2", "Beschlusstext", "Text of the resolution"),
    (R + "2025/33", "section#verweise h2", "Verweise", "References"),
    (R + "2025/33", "section#auftraege h2", "Aufträge", "Mandates"),
    # the footer of every page
    ("/sitzungen", "footer.site a", "SPARQL-Endpunkt", "SPARQL endpoint"),
]


@pytest.mark.parametrize(("url", "selector", "german", "english"), HEADINGS)
def test_headings_follow_the_language(client: TestClient, url: str, selector: str, german: str,
                                      english: str) -> None:
    assert german in texts(page(client, url), selector)
    client.cookies.clear()
    assert english in texts(page(client, with_lang(url, "en")), selector)
    client.cookies.clear()
    assert german in texts(page(client, with_lang(url, "de")), selector)


# (url, German column headers, English column headers)
COLUMNS = [
    ("/beschluesse", ["Nr.", "Titel", "Datum", "Sitzung", "Verfahren", "Stand", "Gremien",
                      "Länder", "Themen (EuroVoc)", "Beziehungen"],
     ["No.", "Title", "Date", "Session", "Procedure", "Status", "Bodies", "Länder (states)",
      "Subjects (EuroVoc)", "Relations"]),
    ("/sitzungen", ["Nr.", "Sitzung", "Datum", "Beschlüsse"],
     ["No.", "Session", "Date", "Resolutions"]),
    ("/gremien", ["Gremium", "Kürzel", "Art", "Beschlüsse"], ["Body", "Code", "Type",
                                                             "Resolutions"]),
    ("/laender", ["Land", "Kürzel", "Beschlüsse"], ["Land (state)", "Code", "Resolutions"]),
    ("/eu-rechtsakte", ["Rechtsakt", "Titel", "Artikel", "Genannt in", "Beschlüsse"],
     ["Legal act", "Title", "Articles", "Cited in", "Resolutions"]),
    ("/aenderungen", ["Betroffen", "Ziffer", "Bewirkt durch", "Art", "Wirksam ab", "Beleg"],
     ["Affected", "Point", "Made by", "Type", "Effective from", "Evidence"]),
]


@pytest.mark.parametrize(("url", "german", "english"), COLUMNS)
def test_column_headers(client: TestClient, url: str, german: list[str],
                        english: list[str]) -> None:
    assert texts(page(client, url), "table.list th") == german
    assert texts(page(client, with_lang(url, "en")), "table.list th") == english


def test_resolution_list_values_and_statuses(client: TestClient) -> None:
    # on 1.1.2026: B-2025/52-IT in force; 2022/43 repealed by B-2025/39-IT
    url = "/beschluesse?on=2026-01-01&limit=200"
    for lang, in_force, repealed in (("de", "in Kraft", "aufgehoben"),
                                     ("en", "in force", "repealed")):
        doc = page(client, with_lang(url, lang))
        row = doc.css_first("tr[data-id='2025/52']")
        assert row.css_first("td.col-status_label").text(strip=True) == in_force
        # the title is the document's, in both languages
        assert row.css_first("td.col-title").text(strip=True) == "Steuerungsgruppe NOOTS"
        assert doc.css_first("tr[data-id='2022/43'] td.col-status_label").text(
            strip=True) == repealed
    options = texts(page(client, "/beschluesse?lang=en"), "select[name=status] option")
    assert options[:3] == ["all", "in effect (in force, amended, partially repealed)",
                           "in force"]
    sessions = texts(page(client, "/beschluesse?lang=en"), "select[name=session] option")
    assert sessions[:3] == ["all", "Session 48", "Session 46"]  # no 47th in the samples
    client.cookies.clear()
    assert texts(page(client, "/beschluesse"), "select[name=session] option")[1] == "48. Sitzung"
    client.cookies.clear()
    relations = texts(page(client, "/beschluesse"), "select[name=relation] option")
    assert relations[:3] == ["alle", "ersetzt", "hebt auf"]


@pytest.mark.parametrize(("url", "key", "german", "english"), [
    # a body whose graph label has an English skos:prefLabel
    ("/gremien?limit=100", "Agrarministerkonferenz", "Agrarministerkonferenz",
     "Conference of Agriculture Ministers"),
    # a Land with its English name
    ("/laender", "BY", "Bayern", "Bavaria"),
])
def test_english_labels_of_the_graph(client: TestClient, url: str, key: str, german: str,
                                     english: str) -> None:
    for lang, shown, hidden in (("de", german, english), ("en", english, german)):
        labels = texts(page(client, with_lang(url, lang)), "td.col-label a")
        assert shown in labels
        assert hidden not in labels


def test_consolidated_text_notes_in_english(client: TestClient) -> None:
    url = R + "2025/02/fassung?am=2026-01-01"
    german = page(client, url)
    assert german.css_first("li#ziffer-3 p.change-note").text(strip=True).startswith(
        "aufgehoben durch B-2025/33-IT mit Wirkung vom 26.11.2025")
    assert "teilweise aufgehoben (Stand 01.01.2026;" in german.css_first("p.explanation").text()
    english = page(client, with_lang(url, "en"))
    assert english.css_first("li#ziffer-3 p.change-note").text(strip=True).startswith(
        "repealed by B-2025/33-IT with effect from 26.11.2025")
    assert english.css_first("p.explanation").text(strip=True) == (
        "2025/02: partially repealed (as of 2026-01-01; point 3 repealed by 2025/33 on "
        "2025-11-26)")
    assert english.css_first("p.kicker span.status").text(strip=True) == "partially repealed"
    assert texts(german, "ol.version-list li") == [
        "26.11.2025: Ziffer 3 aufgehoben durch B-2025/33-IT"]
    assert texts(english, "ol.version-list li") == [
        "26.11.2025: point 3 repealed by B-2025/33-IT"]
    # the title is the register's
    assert english.css_first("h1").text(strip=True) == "Zielbilder der Schwerpunktthemen"


def test_changes_type_in_english(client: TestClient) -> None:
    url = R + "2025/02/aenderungen"
    for lang, expected in (("de", "Aufhebung"), ("en", "repeal")):
        assert texts(page(client, with_lang(url, lang)), "table.changes-table td.rel") == \
            [expected]


def test_search_kinds_in_english(client: TestClient) -> None:
    url = "/suche?q=Registermodernisierung"
    assert texts(page(client, url), "span.tag")[0] == "Beschluss"
    english = page(client, with_lang(url, "en"))
    assert texts(english, "span.tag")[0] == "Resolution"
    assert texts(english, "select[name=kind] option")[:3] == ["all kinds", "Resolution", "Point"]
    assert english.css_first("p.count").text(strip=True).startswith("9 hits")


# (Accept-Language header, language of the page)
ACCEPT_LANGUAGE = [
    ("en", "en"),                            # English only
    ("en-GB,en;q=0.9,de;q=0.8", "en"),      # English ranked above German
    ("de-DE,de;q=0.9,en;q=0.8", "de"),      # German ranked above English
    ("de, en", "de"),                        # equal weights: the first named ranks higher
    ("en, de", "en"),
    ("fr", "de"),                            # neither: the default
    ("fr, en;q=0.5", "en"),                 # English the only one of the two
    ("en;q=0, de;q=0.1", "de"),              # q=0 means "not English"
    ("", "de"),                              # no preference
    ("en;q=abc", "de"),                      # a broken weight counts as 0
]


@pytest.mark.parametrize(("header", "expected"), ACCEPT_LANGUAGE)
def test_accept_language(client: TestClient, header: str, expected: str) -> None:
    response = client.get("/sitzungen", headers={**HTML, "accept-language": header})
    assert response.headers["content-language"] == expected
    assert HTMLParser(response.text).css_first("html").attributes["lang"] == expected
    assert HTMLParser(response.text).css_first("h1").text() == (
        "Sessions" if expected == "en" else "Sitzungen")


@pytest.mark.parametrize(("query", "cookie", "accept_language", "expected"), [
    ("lang=de", None, "en", "de"),    # ?lang= beats Accept-Language
    ("lang=en", "de", "de", "en"),    # ?lang= beats the cookie
    ("", "en", "de", "en"),           # the cookie beats Accept-Language
    ("", "de", "en", "de"),
    ("lang=fr", None, "en", "en"),    # an unknown ?lang= is ignored
    ("", "xx", None, "de"),           # so is an unknown cookie
])
def test_order_of_choice(client: TestClient, query: str, cookie: str | None,
                         accept_language: str | None, expected: str) -> None:
    if cookie:
        client.cookies.set(i18n.COOKIE, cookie)
    headers = {**HTML, **({"accept-language": accept_language} if accept_language else {})}
    response = client.get("/sitzungen?" + query, headers=headers)
    assert response.headers["content-language"] == expected


def test_cookie_keeps_the_choice(client: TestClient) -> None:
    first = client.get("/beschluesse?lang=en", headers=HTML)
    assert "lang=en" in first.headers["set-cookie"]
    assert "Path=/" in first.headers["set-cookie"]
    # the next pages, without ?lang=, stay English, whatever the browser prefers
    for url in ("/sitzungen", "/aenderungen", R + "2025/33"):
        response = client.get(url, headers={**HTML, "accept-language": "de"})
        assert response.headers["content-language"] == "en", url
        assert "set-cookie" not in response.headers  # nothing new to remember
    back = client.get("/sitzungen?lang=de", headers=HTML)
    assert "lang=de" in back.headers["set-cookie"]
    assert client.get("/gremien", headers=HTML).headers["content-language"] == "de"


@pytest.mark.parametrize("url", ["/beschluesse", "/sitzungen", "/suche?q=Portfolio",
                                 R + "2025/02/fassung", "/aenderungen", R + "2025/33"])
def test_headers_say_what_the_page_varies_by(client: TestClient, url: str) -> None:
    response = client.get(url, headers=HTML)
    vary = [v.strip() for v in response.headers["vary"].split(",")]
    assert "Accept-Language" in vary
    assert "Cookie" in vary
    assert response.headers["content-language"] == "de"
    assert HTMLParser(response.text).css_first("html").attributes["lang"] == "de"


def switch(doc: HTMLParser) -> dict[str, str]:
    return {a.text(strip=True): a.attributes["href"] for a in doc.css("nav.lang-switch a")}


@pytest.mark.parametrize(("url", "params"), [
    # a filtered list: every filter survives the switch
    ("/beschluesse?session=48&status=in_force&sort=date&order=asc",
     [("session", "48"), ("status", "in_force"), ("sort", "date"), ("order", "asc")]),
    # a search with its kind
    ("/suche?q=Registermodernisierung&kind=resolution",
     [("q", "Registermodernisierung"), ("kind", "resolution")]),
    # the consolidated text on a date
    (R + "2025/02/fassung?am=2025-11-25", [("am", "2025-11-25")]),
    # no query at all
    ("/aenderungen", []),
])
def test_switch_keeps_path_and_query(client: TestClient, url: str,
                                     params: list[tuple[str, str]]) -> None:
    links = switch(page(client, url))
    assert set(links) == {"DE", "EN"}
    for label, code in (("DE", "de"), ("EN", "en")):
        parts = urlsplit(links[label])
        assert parts.path == urlsplit(url).path
        assert parse_qsl(parts.query) == [*params, ("lang", code)]
    # on an English page the German link replaces lang=en, never adds a second one
    english = switch(page(client, with_lang(url, "en")))
    assert parse_qsl(urlsplit(english["DE"]).query) == [*params, ("lang", "de")]
    # and the link leads to the German page
    client.cookies.clear()
    assert client.get(english["DE"], headers=HTML).headers["content-language"] == "de"


def test_switch_marks_the_current_language(client: TestClient) -> None:
    doc = page(client, "/sitzungen?lang=en")
    current = [a.text(strip=True) for a in doc.css("nav.lang-switch a[aria-current]")]
    assert current == ["EN"]
    assert texts(doc, "header.site nav a")[:4] == ["SPARQL query", "Query library",
                                                  "Resolutions", "Sessions"]


def test_json_and_csv_twins_do_not_change(client: TestClient) -> None:
    german = client.get("/beschluesse.json?session=48").json()
    english = client.get("/beschluesse.json?session=48&lang=en").json()
    assert english["items"] == german["items"]
    assert english["filters"] == german["filters"] == {"session": "48"}
    assert english["items"][0]["status_label"] in ("in Kraft", "noch nicht in Kraft")
    csv_de = client.get("/sitzungen.csv").text
    assert client.get("/sitzungen.csv?lang=en").text == csv_de
    assert csv_de.splitlines()[0] == "number,label,label_en,date,resolutions,iri,page"


def test_switch_on_a_named_query_page(client: TestClient) -> None:
    # the switch adds lang= to every page; a named query takes it for no parameter of its own
    url = "/queries/agenda-items-without-resolution"
    links = switch(page(client, url))
    assert links["EN"] == url + "?lang=en"
    response = client.get(links["EN"], headers=HTML)
    assert response.status_code == 200
    assert response.headers["content-language"] == "en"


@pytest.mark.parametrize(("url", "german", "english"), [
    # 2022/43: points amended by 2024/01 and 2025/01, then repealed by B-2025/39-IT
    (R + "2022/43/fassung?am=2026-01-01", "26.11.2025: aufgehoben durch B-2025/39-IT",
     "26.11.2025: repealed by B-2025/39-IT"),
    (R + "2022/43/fassung?am=2026-01-01", "01.01.2024: Ziffer 1 geändert durch 2024/01",
     "01.01.2024: point 1 amended by 2024/01"),
    # B-2025/33-IT: its adoption in the 48th session
    (R + "2025/33/fassung?am=2026-01-01", "26.11.2025: beschlossen", "26.11.2025: adopted"),
])
def test_list_of_versions(client: TestClient, url: str, german: str, english: str) -> None:
    assert german in texts(page(client, url), "ol.version-list li")
    assert english in texts(page(client, with_lang(url, "en")), "ol.version-list li")


@pytest.mark.parametrize(("url", "selector", "german", "english"), [
    # B-2025/33-IT Ziffer 5 repeals point 3 of 2025/02
    (R + "2025/33", "table.refs-out span.rel", "hebt teilweise auf", "repeals part of"),
    # 2025/02 learns it from the other side
    (R + "2025/02", "table.refs-in span.rel", "hebt teilweise auf", "repeals part of"),
])
def test_relations_on_the_resolution_page(client: TestClient, url: str, selector: str,
                                          german: str, english: str) -> None:
    assert german in texts(page(client, url), selector)
    assert english in texts(page(client, with_lang(url, "en")), selector)


def test_mounted_under_a_prefix(i18n_store: Path) -> None:
    # under /kg the switch keeps the prefix once and the cookie holds for /kg only
    outer = FastAPI()
    outer.mount("/kg", create_app(Settings(store=i18n_store, query_workers=1)))
    with TestClient(outer) as mounted:
        response = mounted.get("/kg/sitzungen?limit=3", headers=HTML)
        assert switch(HTMLParser(response.text)) == {"DE": "/kg/sitzungen?limit=3&lang=de",
                                                     "EN": "/kg/sitzungen?limit=3&lang=en"}
        english = mounted.get("/kg/sitzungen?limit=3&lang=en", headers=HTML)
        assert "Path=/kg" in english.headers["set-cookie"]
        assert HTMLParser(mounted.get("/kg/gremien", headers=HTML).text).css_first(
            "h1").text() == "Bodies"


def test_vote_on_the_resolution_page(client: TestClient) -> None:
    # B-2025/33-IT: "Der Beschluss wird einstimmig angenommen." (the protocol's words stay)
    url = R + "2025/33"
    german = page(client, url).css_first("dd.vote").text(separator=" ", strip=True)
    english = page(client, with_lang(url, "en")).css_first("dd.vote").text(separator=" ",
                                                                            strip=True)
    assert german.startswith("angenommen, einstimmig")
    assert english.startswith("adopted, unanimously")
    assert english.rstrip().endswith("Der Beschluss wird einstimmig angenommen.")


# (url, selector, German text, English text): UI texts of the resource pages, the query pages
# and the shared parts (each one German or English on the other language's page before); a
# selected element's text contains the expected text
UI_TEXTS = [
    # the session's heading: the graph's German and English label
    ("/id/sitzung/itplr/48", "article.session h1", "48. Sitzung des IT-Planungsrats",
     "48th session of the IT Planning Council"),
    # the session's facts and its agenda's column headers
    ("/id/sitzung/itplr/48", "dl.facts dt", "Datum", "Date"),
    ("/id/sitzung/itplr/48", "table.agenda th", "TOP", "Item"),
    ("/id/sitzung/itplr/48", "table.agenda th", "Berichterstattung", "Reporting"),
    ("/id/sitzung/itplr/48", "table.agenda th", "Abschnitt", "Section"),
    # a resolution's session: the label in the page's language
    (R + "2025/33", "dl.facts dd a", "48. Sitzung des IT-Planungsrats",
     "48th session of the IT Planning Council"),
    # the spokesperson table of B-2025/39-IT: its hint and column headers
    (R + "2025/39", "section#sprecher p.hint",
     "Fachpolitische Sprecher: welches Land für welche Fachministerkonferenz spricht.",
     "Spokesperson appointments: which Land speaks for which conference."),
    (R + "2025/39", "table.appointments th", "Sprecherland", "Spokesperson Land"),
    (R + "2025/39", "table.appointments th", "ernannt durch", "appointed by"),
    (R + "2025/39", "table.appointments td", "Ziffer 1", "Point 1"),
    # a body's page: kicker, heading (its English label), kind and the roles of its list
    ("/id/gremium/fitko", "p.kicker", "Gremium / Organisation", "Body / organisation"),
    ("/id/gremium/fitko", "h1", "FITKO (Föderale IT-Kooperation)",
     "FITKO (Federal IT Cooperation)"),
    ("/id/gremium/fitko", "section#beschluesse p.hint",
     "gefasst, berichtet, beauftragt, erwähnt, errichtet, fortgeführt, beendet",
     "passed, reported, mandated, mentioned, established, continued, ended"),
    ("/id/gremium/fitko", "section#auftraege th", "Frist", "Deadline"),
    ("/id/gremium/amk", "dl.facts dd", "Fachministerkonferenz", "Conference of ministers"),
    # the bodies list: the kinds (bg: classes) by name, not as class names
    ("/gremien?limit=100", "td.col-types", "Arbeitsgruppe", "Working group"),
    ("/gremien?limit=100", "td.col-types", "Rat", "Council"),
    # bodies a resolution continues, on the body's page
    ("/id/gremium/ag-rabe", "section#gremien p.hint",
     "Beschlüsse, die dieses Gremium einrichten, fortführen oder beenden.",
     "Resolutions that establish, continue or end this body."),
    ("/id/gremium/ag-rabe", "section#gremien li.body-change", "fortgeführt durch",
     "continued by"),
    # and on the resolution's page
    (R + "2025/33", "section#gremien li.body-change", "richtet ein:", "establishes:"),
    # a Land's statements and mentions
    ("/id/land/HB", "section#wortbeitraege th", "Beitrag", "Statement"),
    ("/id/land/HB", "section#wortbeitraege td a", "Wortbeitrag 1", "Statement 1"),
    ("/id/land/HB", "section#wortbeitraege td", "48. Sitzung,", "Session 48,"),
    ("/id/land/HB", "section#erwaehnungen h2", "Erwähnungen", "Mentions"),
    # a decision known only from the register
    (R + "2010/08", "#quellen .known-not-loaded",
     "Bekannt aus dem Beschlussregister, Text nicht geladen",
     "Known from the register of decisions, text not loaded"),
    (R + "2010/08", "#quellen td", "Beschlussregister", "Register of decisions"),
    # the parts of every resource page: the formats and all statements
    (R + "2025/33", "p.formats", "Auch als", "Also as"),
    (R + "2025/33", "details.all-statements summary", "Alle Aussagen", "All statements"),
    (R + "2025/33", "details.all-statements th", "Eigenschaft", "Property"),
    (R + "2025/33", "section#quelle h2", "Quelle", "Source"),
    # an agenda item
    ("/id/sitzung/itplr/48/top/09", "p.kicker", "Tagesordnungspunkt", "Agenda item"),
    # the query library and a named query
    ("/queries", "section.query-list > p", "benannte SPARQL-Abfragen", "named SPARQL queries"),
    ("/queries", "table.queries th", "Ergebnisse", "Results"),
    ("/queries/agenda-items-without-resolution", "h1", "Tagesordnungspunkte ohne Beschluss",
     "Agenda items without a resolution"),
    ("/queries/agenda-items-without-resolution", "form.query-form button",
     "Abfrage ausführen", "Run query"),
    ("/queries/agenda-items-without-resolution", "section.results h2", "Ergebnis", "Result"),
    # the query page: heading and examples
    ("/", "h1", "Beschlüsse des IT-Planungsrats abfragen",
     "Query the resolutions of the IT-Planungsrat"),
    ("/", "button.example", "Beschlüsse einer Sitzung", "Resolutions of a session"),
    # the resolutions list: the kinds of procedure
    ("/beschluesse", "select[name=procedure] option", "Umlaufverfahren", "Written procedure"),
]


def contains(doc: HTMLParser, selector: str, expected: str) -> bool:
    return any(expected in " ".join(node.text(separator=" ").split())
               for node in doc.css(selector))


@pytest.mark.parametrize(("url", "selector", "german", "english"), UI_TEXTS)
def test_ui_texts_follow_the_language(client: TestClient, url: str, selector: str,
                                      german: str, english: str) -> None:
    assert contains(page(client, with_lang(url, "de")), selector, german)
    client.cookies.clear()
    assert contains(page(client, with_lang(url, "en")), selector, english)


# (url, selector, text no German page shows there, text no English page shows there): the
# other language's words (and raw class names) that pages showed before
NOT_SHOWN = [
    # the body page's list of changes named the English verb beside the German one
    ("/id/gremium/ag-rabe", "section#gremien li.body-change", "(continues)",
     "fortgeführt"),
    # the register-only notice had an English aside
    (R + "2010/08", "#quellen .known-not-loaded", "known, text not loaded", "nicht geladen"),
    # class names of the gazetteer
    ("/gremien?limit=100", "td.col-types", "WorkingGroup", "WorkingGroup"),
    ("/gremien?limit=100", "td.col-types", "MinisterialConference", "Fachministerkonferenz"),
    # the German label and its German date word on an English resolution page
    (R + "2025/33", "dl.facts dd", "48th session", "Sitzung des IT-Planungsrats"),
    # the English hints of a body's notes and mentions
    ("/id/land/HB", "section#erwaehnungen p.hint", "name it", "Protokollnotizen"),
    # the session's time: "Uhr" is German only
    ("/id/sitzung/itplr/48", "dl.facts dd", "Date", "Uhr"),
    # the German count of the query library
    ("/queries", "section.query-list > p", "named SPARQL", "benannte"),
]


@pytest.mark.parametrize(("url", "selector", "not_german", "not_english"), NOT_SHOWN)
def test_no_words_of_the_other_language(client: TestClient, url: str, selector: str,
                                        not_german: str, not_english: str) -> None:
    german = page(client, with_lang(url, "de"))
    assert german.css(selector)
    assert not contains(german, selector, not_german)
    client.cookies.clear()
    english = page(client, with_lang(url, "en"))
    assert english.css(selector)
    assert not contains(english, selector, not_english)


def test_session_label_in_the_rest_model_and_unchanged_twins(client: TestClient) -> None:
    # the English label is in the JSON of the session, and the German stays the label
    session = client.get("/sessions/48").json()
    assert session["label"] == "48. Sitzung des IT-Planungsrats"
    assert session["label_en"] == "48th session of the IT Planning Council"
    # the bodies list's JSON keeps the class names
    rows = client.get("/gremien.json?limit=100&lang=en").json()["items"]
    assert "WorkingGroup" in {kind for row in rows for kind in row["types"]}


@pytest.mark.parametrize(("lang", "key", "expected"), [
    # the query page's scripts take their words from the page's config (api/static/query.js)
    ("de", "with_form", "mit Formular ausführen"),
    ("en", "with_form", "run it with its form"),
    # the graph view's count, with its placeholders for the script to fill
    ("en", "graph_summary", "{n} nodes, {m} edges · a double click opens a node's page"),
    ("de", "timeline", "Zeitleiste"),
    ("en", "timeline", "Timeline"),
])
def test_the_query_page_scripts_speak_the_page_s_language(client: TestClient, lang: str,
                                                          key: str, expected: str) -> None:
    page = client.get(f"/?lang={lang}").text
    config = page.split('<script id="kg-config" type="application/json">', 1)[1]
    strings = json.loads(config.split("</script>", 1)[0])["strings"]
    assert strings[key] == expected
