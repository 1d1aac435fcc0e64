"""Everything extracted is visible (issue 14, item 4): the spokesperson table of
B-2025/39-IT on its page, on each conference's page and on each Land's page; protocol notes,
statements and mentions on the pages of Länder and bodies. Values from the 48th session's
protocol (data/samples), read from the HTML the app serves."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from selectolax.lexbor import LexborHTMLParser as HTMLParser

BASE = "https://w3id.org/beschlussgraph/id/"
HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def page(client: TestClient, path: str) -> HTMLParser:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200, response.text[:300]
    return HTMLParser(response.text)


def appointments(tree: HTMLParser) -> list[tuple[str, str, str, str]]:
    """(Nr., conference, Land, appointed by) per row of the spokesperson table."""
    return [tuple(" ".join(td.text(separator=" ").split()) for td in row.css("td"))  # type: ignore[misc]
            for row in tree.css("section#sprecher tr.appointment")]


@pytest.fixture(scope="module")
def resolution_39(client: TestClient) -> HTMLParser:
    return page(client, "/id/eli/itplr/beschluss/2025/39")


@pytest.mark.parametrize(("row", "expected"), [
    # the first line of the table in Ziffer 1
    (0, ("1", "Agrarministerkonferenz", "Baden-Württemberg", "B-2025/39-IT Ziffer 1")),
    # the conference whose page said "Beschlüsse (0)" before (issue 14)
    (6, ("7", "Finanzministerkonferenz", "Bremen", "B-2025/39-IT Ziffer 1")),
    # Niedersachsen speaks for two conferences in a row (8 and 9)
    (8, ("9", "Innenministerkonferenz", "Niedersachsen", "B-2025/39-IT Ziffer 1")),
    # the last line, after the page's double-spaced layout
    (14, ("15", "Wirtschaftsministerkonferenz", "Hamburg", "B-2025/39-IT Ziffer 1")),
])
def test_resolution_39_lists_the_spokesperson_table(resolution_39: HTMLParser, row: int,
                                                     expected: tuple[str, ...]) -> None:
    rows = appointments(resolution_39)
    assert len(rows) == 15
    assert rows[row] == expected


@pytest.mark.parametrize(("path", "expected"), [
    # a conference page: the Land that speaks for it
    ("/id/gremium/fmk", [("7", "Finanzministerkonferenz", "Bremen", "B-2025/39-IT Ziffer 1")]),
    ("/id/gremium/dmk", [("4", "Digitalministerkonferenz", "Berlin", "B-2025/39-IT Ziffer 1")]),
    # a Land page: every conference it speaks for (Bremen: FMK and JFMK)
    ("/id/land/HB", [("7", "Finanzministerkonferenz", "Bremen", "B-2025/39-IT Ziffer 1"),
                     ("10", "Jugend- und Familienministerkonferenz", "Bremen",
                      "B-2025/39-IT Ziffer 1")]),
    ("/id/land/ST", [("11", "Kultusministerkonferenz", "Sachsen-Anhalt",
                      "B-2025/39-IT Ziffer 1")]),
    # Bayern is in no row of the table: no section at all
    ("/id/land/BY", []),
])
def test_conference_and_land_pages_show_their_appointments(client: TestClient, path: str,
                                                          expected: list) -> None:
    assert appointments(page(client, path)) == expected


def test_appointment_rows_link_conference_land_and_point(client: TestClient) -> None:
    tree = page(client, "/id/gremium/fmk")
    row = tree.css_first("section#sprecher tr.appointment")
    assert row.attributes["data-conference"] == BASE + "gremium/fmk"
    assert row.attributes["data-land"] == BASE + "land/HB"
    hrefs = [a.attributes["href"] for a in row.css("a")]
    assert hrefs == ["/id/eli/itplr/beschluss/2025/39/sprecher/7", "/id/gremium/fmk",
                     "/id/land/HB", "/id/eli/itplr/beschluss/2025/39",
                     "/id/eli/itplr/beschluss/2025/39/ziffer/1"]


def test_the_finance_ministers_page_shows_what_mentions_it(client: TestClient) -> None:
    tree = page(client, "/id/gremium/fmk")
    assert tree.css_first("section#beschluesse h2").text() == "Beschlüsse (1)"
    mentions = [" ".join(tr.text(separator=" ").split()) for tr in tree.css("section#erwaehnungen tr.mention")]
    assert len(mentions) == 3
    # Ziffer 1 of B-2025/39-IT names it in its table (the excerpt shows that line); Bremen
    # reports from it under TOP 06
    assert mentions[0].startswith("B-2025/39-IT Ziffer 1 … ")
    assert "7. Finanzministerkonferenz: Bremen" in mentions[0]
    assert mentions[1].startswith("48. Sitzung, TOP 06 Zusammenarbeit FachMK Wortbeitrag 1 "
                                  "Bericht aus der FMK")
    assert "Wortbeitrag 5 FMK sei die umliegende Tätigkeit" in mentions[2]


@pytest.mark.parametrize(("path", "section", "expected"), [
    # Bayern's two protocol notes (TOP 04 on B-2025/38-IT, TOP 21 on B-2025/45-IT)
    ("/id/land/BY", "protokollnotizen",
     ["48. Sitzung, TOP 04 Organisationsuntersuchung FITKO · zu B-2025/38-IT "
      "Der Freistaat Bayern begrüßt den begonnenen Optimierungsprozess",
      "48. Sitzung, TOP 21 Umsetzungsstand SDG-Anforderung · zu B-2025/45-IT "
      "Für die effektive Umsetzung von Beschlussvorschlag Nr. 1"]),
    # the FITKO's note on TOP 12 (a body, not a Land)
    ("/id/gremium/fitko", "protokollnotizen", ["48. Sitzung, TOP 12"]),
    # Bremen spoke three times: TOP 00 once, TOP 06 twice
    ("/id/land/HB", "wortbeitraege",
     ["48. Sitzung, TOP 00 Begrüßung Wortbeitrag 1 Im Protokoll der 47. Sitzung",
      "48. Sitzung, TOP 06 Zusammenarbeit FachMK Wortbeitrag 1 Bericht aus der FMK",
      "48. Sitzung, TOP 06 Zusammenarbeit FachMK Wortbeitrag 5 FMK sei"]),
    # Bayern's one statement, on the portfolio steering (TOP 09)
    ("/id/land/BY", "wortbeitraege",
     ["48. Sitzung, TOP 09 Portfoliosteuerung des IT-Planungsrats Wortbeitrag 2 "
      "Dank für den breiten Diskussionsprozess"]),
])
def test_land_and_body_pages_show_notes_and_statements(client: TestClient, path: str,
                                                       section: str,
                                                       expected: list[str]) -> None:
    tree = page(client, path)
    items = tree.css(f"section#{section} blockquote.note, section#{section} tr.statement")
    texts = [" ".join(item.text(separator=" ").split()) for item in items]
    assert len(texts) == len(expected)
    for text, start in zip(texts, expected, strict=True):
        assert text.startswith(start), text[:200]



@pytest.mark.parametrize(("text", "names", "head", "kept", "tail"), [
    # short texts stay whole
    ("Bericht aus der FMK.", ["FMK"], "Bericht", "Bericht aus der FMK.", "FMK."),
    # a long text is cut around the first name it contains, at word boundaries
    ("a " * 100 + "Finanzministerkonferenz: Bremen " + "b " * 100, ["Finanzministerkonferenz"],
     "… a a", "Finanzministerkonferenz: Bremen", "b …"),
    # no name in it: from its start
    ("Der Rat " + "c " * 200, ["FMK"], "Der Rat c", "Der Rat", "c …"),
])
def test_mention_excerpts(text: str, names: list[str], head: str, kept: str,
                          tail: str) -> None:
    from api.land_view import _excerpt

    excerpt = _excerpt(text, 80, names)
    assert excerpt is not None and len(excerpt) <= 80 + 4
    assert excerpt.startswith(head) and kept in excerpt and excerpt.endswith(tail)
