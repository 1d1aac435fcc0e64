"""The resolution page shows every source of the decision, where they differ, and "known, text
not loaded" for decisions only the register lists (the app in-process on the real store)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser

from tests.api.conftest import app_client


@pytest.fixture(scope="module")
def client(merged: Path) -> Iterator[TestClient]:
    with app_client(merged, query_workers=1) as c:
        yield c


def section(client: TestClient, path: str) -> LexborHTMLParser:
    response = client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 200
    return LexborHTMLParser(response.text)


def cells(tree: LexborHTMLParser) -> list[tuple[str, str]]:
    return [(row.css_first("td").text(), row.css_first("code").text())
            for row in tree.css("#quellen .source-list tbody tr")]


def test_page_of_a_decision_with_four_sources(client: TestClient) -> None:
    tree = section(client, "/id/eli/itplr/beschluss/2025/33")
    assert cells(tree) == [
        ("Protokoll", "itplr-48-2025-11-26-protokoll.txt:391"),
        ("Beschlussseite", "b-2025-33-it.txt:5"),
        ("Bekanntmachung im Bundesanzeiger", "bekanntmachung-2025-48.txt:18"),
        ("Beschlussregister", "itplr-register/decisions.csv:92"),
    ]
    items = [li.text() for li in tree.css("#quellen li.disagreement")]
    assert len(items) == 9
    assert ("2025/33: die Quellen nennen verschiedene Datumsangaben: '2025-11-27' (b-2025-33-it.txt:5); "
            "'2025-11-26' (bekanntmachung-2025-48.txt:18); '2025-11-26' "
            "(itplr-48-2025-11-26-protokoll.txt:391); '2025-11-26' "
            "(itplr-register/decisions.csv:92)") in items
    assert tree.css_first("#quellen .known-not-loaded") is None


def test_page_of_sources_that_agree(client: TestClient) -> None:
    tree = section(client, "/id/eli/itplr/beschluss/2025/03")
    assert cells(tree) == [
        ("Beschlussseite", "beschluss-2025-03-gespeichert.html:17"),
        ("Beschlussseite", "beschluss-2025-03.txt:3"),
        ("Beschlussregister", "itplr-register/decisions.csv:87"),
    ]
    assert tree.css("#quellen li.disagreement") == []
    assert "stimmen in Titel, Datum, Wortlaut und Verweisen überein" in tree.css_first(
        "#quellen p.agree").text()


def test_page_of_a_decision_known_only_from_the_register(client: TestClient) -> None:
    tree = section(client, "/id/eli/itplr/beschluss/2010/08")
    assert cells(tree) == [("Beschlussregister", "itplr-register/decisions.csv:5")]
    notice = tree.css_first("#quellen .known-not-loaded").text()
    # in the page's language only (before, the English words stood beside the German ones)
    assert "Text nicht geladen" in notice and "known, text not loaded" not in notice
