"""Search over the bundled sample store (protocol of the 48th session + register): German
stemming, umlauts, prefixes, phrases, ranking, snippets; through the library, REST (in
process), the HTML page and `kg search`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from cli.main import main
from kg.search.query import SearchQueryError, search
from kg.settings import Settings
from tests.api.conftest import app_client

BASE = "https://w3id.org/beschlussgraph/id/"
RES = BASE + "eli/itplr/beschluss/"
TOP48 = BASE + "sitzung/itplr/48/top/"


@pytest.fixture(scope="module")
def settings(sample_store: Path) -> Settings:
    return Settings(store=sample_store)


def iris(settings: Settings, text: str, **kw: object) -> list[str]:
    return [h.iri for h in search(settings, text, limit=50, **kw).hits]  # type: ignore[arg-type]


# (query, an IRI that must be among the hits): the text it matches says another form
FOUND = [
    # title "Registermodernisierung" (register, 2021/05): plural in the query, stemmed
    ("Registermodernisierungen", RES + "2021/05"),
    # title "Beschluss der Ministerpräsidentenkonferenzen" (register, 2023/03): plural query
    ("Beschlüsse", RES + "2023/03"),
    # TOP 00 summary "verbleibt auf der Grünen Liste": ue for ü in the query
    ("Gruene Liste", TOP48 + "00"),
    # the same with the umlaut
    ("grünen liste", TOP48 + "00"),
    # title prefix: "Registermodernisierung"
    ("Registermod*", RES + "2021/05"),
    # point 1 of B-2025/33-IT: "in einer Sondersitzung im 1. Quartal 2026"
    ("Sondersitzungen", RES + "2025/33/ziffer/1"),
    # preamble of B-2025/44-IT: "das Open Document Format (ODF)", as a phrase
    ('"Open Document Format"', RES + "2025/44"),
    # the identifier as the protocol writes it
    ("B-2025/33-IT", RES + "2025/33"),
    # protocol note of Bayern on TOP 21: "präzise Dokumentation der 1.500 Leistungen"
    ("präzise Dokumentation", TOP48 + "21/protokollnotiz/1"),
    # statement of BY on TOP 09: "Identitätsfindung der FITKO"
    ("Identitätsfindung", TOP48 + "09/wortbeitrag/2"),
    # "PN Protokollnotiz (Bayern)" on TOP 21 (B-2025/45-IT): found by its author, whose name
    # its text does not carry
    ("Bayern", TOP48 + "21/protokollnotiz/1"),
]


@pytest.mark.parametrize(("text", "iri"), FOUND)
def test_a_word_form_finds_the_text(settings: Settings, text: str, iri: str) -> None:
    assert iri in iris(settings, text)


# (query, an IRI that must not be among the hits)
NOT_FOUND = [
    # every word must occur: no text speaks of an Open Document Format in Stralsund
    ("Document Stralsund", RES + "2025/44"),
    # excluded: the note of TOP 12 is by the FITKO and speaks of Interoperabilität
    ("Interoperabilität -FITKO", TOP48 + "12/protokollnotiz/1"),
    # a phrase in another order
    ('"Format Document Open"', RES + "2025/44"),
]


@pytest.mark.parametrize(("text", "iri"), NOT_FOUND)
def test_what_must_not_match(settings: Settings, text: str, iri: str) -> None:
    assert iri not in iris(settings, text)


def test_a_title_hit_ranks_before_a_body_only_hit(settings: Settings) -> None:
    found = iris(settings, "Portfoliosteuerung")
    # B-2025/33-IT is titled "Portfoliosteuerung des IT-Planungsrats"; its point 3 only
    # mentions "Entscheidung zur Portfoliosteuerung" in its text
    assert found.index(RES + "2025/33") < found.index(RES + "2025/33/ziffer/3")


def test_a_resolution_in_protocol_and_register_is_one_hit(settings: Settings) -> None:
    found = iris(settings, "Portfoliosteuerung")
    assert found.count(RES + "2025/33") == 1
    result = search(settings, "Portfoliosteuerung", limit=50)
    assert result.total == len(result.hits)


def test_snippets_mark_the_match_and_escape_the_rest(settings: Settings) -> None:
    hit = next(h for h in search(settings, "Flächenrolloutkonzept", limit=5).hits
               if h.iri == RES + "2025/40")
    # title of B-2025/40-IT: "Flächenrolloutkonzept IDA, DSC & NOOTS für dezentrale Register"
    assert hit.snippet.startswith("<mark>Flächenrolloutkonzept</mark> IDA, DSC &amp; NOOTS")
    point = next(h for h in search(settings, "Sondersitzung", limit=5).hits
                 if h.iri == RES + "2025/33/ziffer/1")
    assert "einer <mark>Sondersitzung</mark> im 1. Quartal 2026" in point.snippet
    # the point goes on after the fragment ("… befassen. Darauf aufbauend …")
    assert point.snippet.startswith("Der IT-Planungsrat bestätigt") and \
        point.snippet.endswith(" …")
    assert (point.kind, point.id, point.page, point.anchor) == (
        "point", "2025/33 Ziffer 1", RES + "2025/33", "ziffer-1")
    assert point.title == "Portfoliosteuerung des IT-Planungsrats"
    assert point.date == "2025-11-26"


def test_the_umlaut_is_marked_as_written(settings: Settings) -> None:
    hit = next(h for h in search(settings, "Gruene", limit=10).hits if h.iri == TOP48 + "00")
    assert "der <mark>Grünen</mark> Liste" in hit.snippet


def test_paging_is_stable_and_disjoint(settings: Settings) -> None:
    everything = iris(settings, "IT-Planungsrat")
    pages = [h.iri for offset in range(0, 30, 10)
             for h in search(settings, "IT-Planungsrat", limit=10, offset=offset).hits]
    assert len(everything) == 50 and pages == everything[:30]


def test_a_kind_filter(settings: Settings) -> None:
    hits = search(settings, "FITKO", limit=50, kinds=["note"]).hits
    # the one note on TOP 12 is by the FITKO and names it
    assert [h.iri for h in hits] == [TOP48 + "12/protokollnotiz/1"]


# (text, words of the message)
BAD = [
    ("", "empty search"),  # nothing to search
    ("x" * 501, "longer than 500"),  # too long
    (" ".join(f"w{i}" for i in range(21)), "more than 20 words"),  # too many words
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_input_is_named(settings: Settings, text: str, message: str) -> None:
    with pytest.raises(SearchQueryError, match=message):
        search(settings, text)


def test_only_stopwords_find_nothing(settings: Settings) -> None:
    assert search(settings, "die und der").hits == []


# -- REST and the page, in process ------------------------------------------------------------


@pytest.fixture(scope="module")
def client(sample_store: Path) -> Iterator[TestClient]:
    with app_client(sample_store, query_workers=1) as c:
        yield c


def test_rest_search(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "Sondersitzung", "limit": 5})
    assert r.status_code == 200
    body = r.json()
    assert (body["query"], body["total"], body["offset"], body["limit"]) == (
        "Sondersitzung", 1, 0, 5)
    hit = body["hits"][0]
    assert hit["iri"] == RES + "2025/33/ziffer/1"
    assert (hit["id"], hit["kind"], hit["date"]) == ("2025/33 Ziffer 1", "point", "2025-11-26")
    assert hit["title"] == "Portfoliosteuerung des IT-Planungsrats"
    assert "<mark>Sondersitzung</mark>" in hit["snippet"]
    assert hit["page"] == "/id/eli/itplr/beschluss/2025/33#ziffer-1"
    assert hit["score"] > 0


def test_rest_paging(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "Beschluss", "limit": 3}).json()
    second = client.get("/api/search",
                        params={"q": "Beschluss", "limit": 3, "offset": 3}).json()
    assert first["total"] == second["total"] > 6
    assert not {h["iri"] for h in first["hits"]} & {h["iri"] for h in second["hits"]}


# (parameters, status, error code)
REST_ERRORS = [
    ({"q": "x", "limit": 101}, 400, "invalid_parameter"),  # above the cap
    ({"q": "x", "kind": "vote"}, 400, "invalid_parameter"),  # not a kind
    ({}, 400, "invalid_parameter"),  # q missing
    ({"q": "   "}, 400, "bad_search"),  # only blanks
]


@pytest.mark.parametrize(("params", "status", "code"), REST_ERRORS)
def test_rest_errors(client: TestClient, params: dict, status: int, code: str) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == status
    assert r.json()["error"]["code"] == code


@pytest.mark.parametrize("path", ["/suche", "/search"])
def test_the_page_lists_hits_with_snippets_and_links(client: TestClient, path: str) -> None:
    r = client.get(path, params={"q": "Portfoliosteuerung"})
    assert r.status_code == 200
    html = r.text
    assert '<a class="hit-title" href="/id/eli/itplr/beschluss/2025/33">2025/33</a>' in html
    assert 'href="/id/eli/itplr/beschluss/2025/33#ziffer-3"' in html
    assert "Entscheidung zur <mark>Portfoliosteuerung</mark>" in html
    assert "7 Treffer" in html


def test_the_page_pages(client: TestClient) -> None:
    html = client.get("/suche", params={"q": "IT-Planungsrat"}).text
    assert re.search(r'rel="next" href="/suche\?q=IT-Planungsrat&amp;offset=20"', html)
    second = client.get("/suche", params={"q": "IT-Planungsrat", "offset": 20}).text
    assert '<ol class="search-hits" start="21">' in second
    assert 'rel="prev" href="/suche?q=IT-Planungsrat&amp;offset=0"' in second


def test_every_page_has_the_search_form(client: TestClient) -> None:
    html = client.get("/queries").text
    assert '<form class="site-search" method="get" action="/suche" role="search">' in html


def test_the_page_escapes_the_query(client: TestClient) -> None:
    html = client.get("/suche", params={"q": '<script>alert("x")</script>'}).text
    assert "<script>alert" not in html
    assert "Keine Treffer für <q>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</q>" in html


def test_the_page_filters_by_kind(client: TestClient) -> None:
    html = client.get("/suche", params={"q": "FITKO", "kind": "note"}).text
    assert "1 Treffer" in html and '<option value="note" selected>' in html
    assert 'href="/id/sitzung/itplr/48/top/12">Protokollnotiz FITKO, TOP 12, 48. Sitzung</a>' \
        in html


def test_the_page_without_a_query_is_a_form(client: TestClient) -> None:
    r = client.get("/suche")
    assert r.status_code == 200 and 'name="q"' in r.text and "Treffer" not in r.text


# -- kg search ---------------------------------------------------------------------------------


def test_kg_search_json(sample_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--store", str(sample_store), "search", "Registermodernisierungen",
                 "--limit", "3", "--json"])
    assert code == 0
    body = json.loads(capsys.readouterr().out)
    assert body["hits"][0]["title"] == "Registermodernisierung"
    assert body["hits"][0]["snippet"] == "<mark>Registermodernisierung</mark>"
    assert len(body["hits"]) == 3


def test_kg_search_in_the_terminal(sample_store: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--store", str(sample_store), "search", "Sondersitzung"])
    captured = capsys.readouterr()
    assert code == 0
    assert "[Ziffer] 2025/33 Ziffer 1  Portfoliosteuerung des IT-Planungsrats" in captured.out
    assert "Bund und Länder werden sich in einer Sondersitzung im 1. Quartal" in captured.out
    assert "hits 1–1 of 1" in captured.err


def test_kg_search_without_hits_exits_1(sample_store: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", str(sample_store), "search", "Quantenkryptographie"]) == 1
    assert "no hits for 'Quantenkryptographie'" in capsys.readouterr().err


def test_kg_search_without_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", str(tmp_path / "none"), "search", "Beschluss"]) == 2
    assert "no store at" in capsys.readouterr().err


def test_one_pass_and_per_document_reads_agree(sample_store: Path) -> None:
    from kg.search.extract import PER_DOCUMENT_LIMIT, read_entries
    from kg.store import StoreDirectory

    store = StoreDirectory(sample_store).open_read_only()
    protocol = BASE + "graph/itplr-48-2025-11-26-protokoll"
    one = read_entries(store, [protocol])  # a query per document
    # more documents than the limit, most of them not in the store: one pass, filtered
    many = read_entries(store, [protocol, *(f"{BASE}graph/none-{i}"
                                            for i in range(PER_DOCUMENT_LIMIT))])
    assert sorted(e.iri for e in one) == sorted(e.iri for e in many)
    assert len(one) == 134  # 22 resolutions, 58 points, 30 agenda items, 21 statements, 3 notes
    assert {e.graph for e in many} == {protocol}


def test_kg_search_bad_limit(sample_store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--store", str(sample_store), "search", "Beschluss", "--limit", "0"]) == 2
    assert "limit must be between 1 and 100" in capsys.readouterr().err


def test_entries_extracted_while_parsing_equal_those_read_from_the_store(
        sample_store: Path) -> None:
    """The load takes each document's entries from the process that parsed it: they are the
    entries the store gives for that document."""
    import datetime as dt

    from kg.ingest import prepare_document
    from kg.search.extract import read_entries, unpack_entries
    from kg.settings import SAMPLES_DIR
    from kg.store import StoreDirectory

    seed = SAMPLES_DIR / "itplr-48-2025-11-26-protokoll.txt"
    prepared = prepare_document(seed, BASE, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    extracted = unpack_entries(prepared.search_entries)
    store = StoreDirectory(sample_store).open_read_only()
    stored = read_entries(store, [prepared.graph.value])
    assert len(extracted) == 134
    assert sorted(map(repr, extracted)) == sorted(map(repr, stored))
