"""The query page and /sparql for people and machines (issue 14, item 5): a browser opening
/sparql?query=… gets the editor with that query, a client that asks for results (or asks
nothing in particular) gets results; the page carries the project's prefixes and the result
views; the favicon is served."""

from __future__ import annotations

import html
import json
import re

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
QUERY = ('PREFIX eli: <http://data.europa.eu/eli/ontology#>\n'
         'SELECT ?r WHERE { ?r eli:id_local "2025/39" }')
R39 = "https://w3id.org/beschlussgraph/id/eli/itplr/beschluss/2025/39"


def page_config(html: str) -> dict:
    block = HTMLParser(html).css_first("script#kg-config")
    assert block is not None
    return json.loads(block.text())


@pytest.mark.parametrize("accept", [
    BROWSER,                       # Chromium's and Firefox's navigation Accept
    "text/html",                   # asking for HTML only
    "text/html, */*;q=0.1",        # HTML first, anything else as a last resort
])
def test_a_browser_opening_sparql_gets_the_editor_with_its_query(client: TestClient,
                                                                 accept: str) -> None:
    r = client.get("/sparql", params={"query": QUERY}, headers={"accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "Accept" in r.headers["vary"]
    assert page_config(r.text)["defaultQuery"] == QUERY
    tree = HTMLParser(r.text)
    assert tree.css_first("#yasgui") is not None
    # without JavaScript the form holds the same query
    textarea = re.search(r'<textarea name="query"[^>]*>(.*?)</textarea>', r.text, re.S)
    assert textarea is not None and html.unescape(textarea.group(1)) == QUERY


@pytest.mark.parametrize(("headers", "params", "media"), [
    # the SPARQL results type itself
    ({"accept": "application/sparql-results+json"}, {}, "application/sparql-results+json"),
    # no Accept at all: a machine, JSON
    ({}, {}, "application/sparql-results+json"),
    # */*: a machine (curl, SPARQLWrapper without a return format)
    ({"accept": "*/*"}, {}, "application/sparql-results+json"),
    # a tie between HTML and results goes to the results
    ({"accept": "text/html, text/csv"}, {}, "text/csv"),
    # a browser that names a format in the URL gets that format, not the editor
    ({"accept": BROWSER}, {"format": "csv"}, "text/csv"),
])
def test_machines_still_get_results(client: TestClient, headers: dict, params: dict,
                                    media: str) -> None:
    r = client.get("/sparql", params={"query": QUERY, **params}, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)
    assert R39 in r.text


def test_a_post_from_a_browser_form_gets_results(client: TestClient) -> None:
    r = client.post("/sparql", data={"query": QUERY}, headers={"accept": BROWSER})
    # the form POST is the protocol: no editor, the browser's Accept reaches application/xml
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+xml")
    assert R39 in r.text


def test_the_query_page_takes_a_query_from_its_url(client: TestClient) -> None:
    r = client.get("/", params={"query": QUERY}, headers={"accept": BROWSER})
    assert page_config(r.text)["defaultQuery"] == QUERY


def test_the_examples_keep_their_prefixes_for_the_folded_block(client: TestClient) -> None:
    """The editor folds the PREFIX block (collapsePrefixesOnLoad, query.js): the examples
    carry the declarations so that the endpoint reads them; the body follows them."""
    config = page_config(client.get("/", headers={"accept": BROWSER}).text)
    first = config["examples"][0]["query"]
    prefix_lines = [line for line in first.splitlines() if line.startswith("PREFIX ")]
    assert "PREFIX bg: <https://w3id.org/beschlussgraph/ontology#>" in prefix_lines
    body = first.split("\n\n", 1)[1] if "\n\n" in first else first
    assert body.lstrip().startswith("SELECT DISTINCT ?beschluss ?id ?titel WHERE {")
    assert "collapsePrefixesOnLoad: true" in client.get("/static/query.js").text


@pytest.mark.parametrize(("path", "media"), [
    ("/static/favicon.svg", "image/svg+xml"),   # the icon every page links
    ("/favicon.ico", "image/svg+xml"),          # for pages that link none (graph views)
    ("/static/query_views.js", "text/javascript"),
    ("/static/query_views.css", "text/css"),
])
def test_assets_are_served(client: TestClient, path: str, media: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith(media)


def test_pages_link_the_favicon(client: TestClient) -> None:
    html = client.get("/id/land/HB", headers={"accept": BROWSER}).text
    assert re.search(r'<link rel="icon" type="image/svg\+xml" href="/static/favicon.svg">', html)
