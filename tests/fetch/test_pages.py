"""Reading fetched pages: charsets declared right and wrong, the decision line in its forms,
the links worth following; decision ids and the addresses they predict."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main
from kg.fetch.client import retry_after_seconds, same_site
from kg.fetch.page import decode_page, read_page
from kg.fetch.plan import BadDecisionId, DecisionId, page_urls, parse_decision_id
from tests.fetch.conftest import Route, Site

BASE = "https://www.it-planungsrat.de"
TITLE = "Förderung offener Schnittstellen für Länder und Kommunen"


def page(meta: str = "") -> str:
    return (f"<!DOCTYPE html><html lang=\"de\"><head>{meta}<title>x</title></head><body>"
            f"<main><h1>{TITLE}</h1><p>IT-Planungsrat | 04.07.2024 | 44. Sitzung | "
            "Beschluss 2024/21</p><ol><li>Der IT-Planungsrat begrüßt die Übersicht der "
            "Schnittstellen.</li></ol></main></body></html>")


# (Content-Type header, <meta>, encoding of the bytes, charset used, part of the warning)
CHARSETS = [
    ("text/html; charset=utf-8", "", "utf-8", "utf-8", None),  # declared right
    ("text/html", '<meta charset="windows-1252">', "cp1252", "cp1252", None),  # <meta> right
    ("text/html", "", "utf-8", "utf-8", None),  # undeclared UTF-8: the web's default
    ("text/html; charset=iso-8859-1", "", "utf-8", "utf-8",
     "declared iso-8859-1 (HTTP header) but the bytes are UTF-8"),  # would give "FÃ¶rderung"
    ("text/html; charset=utf-8", "", "cp1252", "cp1252",
     "declared utf-8 (HTTP header) does not decode it (byte 0xf6 at offset"),  # ö in cp1252
    ("text/html; charset=utf-9", "", "utf-8", "utf-8",
     "unknown charset 'utf-9' (HTTP header)"),  # a typo in the header
    ("text/html; charset=utf-8", '<meta charset="iso-8859-15">', "iso-8859-15", "iso8859-15",
     "declared utf-8 (HTTP header) does not decode it"),  # the header lies, the meta is right
    ("text/html", "", "cp1252", "cp1252",
     "no charset declared and the bytes are not UTF-8"),  # undeclared and not UTF-8
]


@pytest.mark.parametrize(("content_type", "meta", "encoding", "used", "warning"), CHARSETS)
def test_decode_page_by_declared_charset_with_fallback(content_type: str, meta: str,
                                                       encoding: str, used: str,
                                                       warning: str | None) -> None:
    decoded = decode_page(f"{BASE}/beschluss/beschluss-2024-21", page(meta).encode(encoding),
                          content_type)
    assert TITLE in decoded.text
    assert decoded.charset == used
    if warning is None:
        assert decoded.warning is None
    else:
        assert decoded.warning is not None
        assert decoded.warning.startswith(f"{BASE}/beschluss/beschluss-2024-21: ")
        assert warning in decoded.warning


@pytest.mark.parametrize(("content_type", "meta", "encoding", "used", "warning"),
                         [CHARSETS[3], CHARSETS[4]])
def test_a_wrong_charset_is_fetched_read_right_and_kept_in_utf8(
        make_site: Callable[[], Site], tmp_path: Path, capsys: pytest.CaptureFixture[str],
        content_type: str, meta: str, encoding: str, used: str, warning: str) -> None:
    site = make_site()
    served = page(meta).encode(encoding)
    site.routes["/beschluss/beschluss-2024-21"] = Route(body=served, content_type=content_type)
    assert main(["fetch", "--base-url", site.base_url, str(tmp_path), "--ids", "2024/21"]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert f"warning: {site.base_url}/beschluss/beschluss-2024-21: " in err
    assert warning in err
    stored = tmp_path / "pages/beschluss-2024-21.html"
    assert TITLE in stored.read_bytes().decode("utf-8")  # strict: the loaders read UTF-8
    record = json.loads((tmp_path / "pages/beschluss-2024-21.html.fetch.json").read_text())
    assert record["title"] == TITLE
    assert (record["charset"], record["served_charset"]) == ("utf-8", used)
    assert record["declared_charset"] == content_type.split("=")[1]
    assert (record["served_sha256"] is None) == (served == stored.read_bytes())


# (the line under the title, the decision, its session, circular procedure)
DECISION_LINES = [
    ("IT-Planungsrat | 26.11.2025 | 48. Sitzung | B-2025/33-IT", "2025/33", 48, False),
    ("05.10.2017 | 24. Sitzung | Beschluss 2017/48", "2017/48", 24, False),  # no body prefix
    ("IT-Planungsrat | 10.10.2023 | Umlaufverfahren | Beschluss 2023/35", "2023/35", None,
     True),  # circular procedure: a date, no session
    ("IT-Planungsrat | 12.03.2012 | 7. Sitzung | Entscheidung 2012/05", "2012/05", 7,
     False),  # older pages say Entscheidung
    ("Übersicht | Beschlüsse des Jahres 2024", None, None, False),  # a list, no decision
    ("IT-Planungsrat | 03.03.2031 | 112. Sitzung | B-2031/1204-IT", "2031/1204", 112,
     False),  # numbers are not limited to three digits (issue 10, item 7)
]


@pytest.mark.parametrize(("line", "decision", "session", "circular"), DECISION_LINES)
def test_the_decision_line(line: str, decision: str | None, session: int | None,
                           circular: bool) -> None:
    facts = read_page(f"<html><body><h1>T</h1><p>{line}</p></body></html>",
                      f"{BASE}/beschluss/x", BASE)
    assert (facts.decision, facts.session, facts.circular) == (decision, session, circular)


def test_links_to_protocols_and_session_pages_within_the_site() -> None:
    html = """<html><body><h1>T</h1>
      <p>IT-Planungsrat | <a href="../sitzung/44-sitzung">44. Sitzung</a></p>
      <a href="/SharedDocs/Downloads/DE/Protokoll_44.pdf?__blob=publicationFile">Protokoll</a>
      <a href="/SharedDocs/Downloads/DE/anlage.pdf">Ergebnisprotokoll der 44. Sitzung</a>
      <a href="/SharedDocs/Downloads/DE/foliensatz.pdf">Foliensatz</a>
      <a href="https://example.org/protokoll.pdf">fremdes Protokoll</a>
      <a href="https://it-planungsrat.de/SharedDocs/protokoll-45.pdf">ohne www</a>
      <a href="mailto:x@example.org">Kontakt</a>
    </body></html>"""
    facts = read_page(html, f"{BASE}/beschluss/beschluss-2024-21", BASE)
    assert facts.protocol_pdfs == [
        f"{BASE}/SharedDocs/Downloads/DE/Protokoll_44.pdf?__blob=publicationFile",
        f"{BASE}/SharedDocs/Downloads/DE/anlage.pdf",  # the link text says Protokoll
        "https://it-planungsrat.de/SharedDocs/protokoll-45.pdf",  # the same site without www
    ]
    assert facts.session_pages == [f"{BASE}/sitzung/44-sitzung"]


# (written id, year, number)
IDS = [
    ("2025/06", 2025, 6),
    ("2025-06", 2025, 6),  # as in the page address
    ("B-2025/33-IT", 2025, 33),  # the form from the 48th session on
    ("Beschluss 2017/48", 2017, 48),
    ("Entscheidung Nr. 2012/05", 2012, 5),
    ("2031/1204", 2031, 1204),  # four digits
]


@pytest.mark.parametrize(("text", "year", "number"), IDS)
def test_decision_ids(text: str, year: int, number: int) -> None:
    assert parse_decision_id(text) == DecisionId(year, number)


@pytest.mark.parametrize("text", ["2025", "2025/x1", "B-2025/09-AL", "2025/00", "1899/01"])
def test_not_decision_ids(text: str) -> None:
    with pytest.raises(BadDecisionId):
        parse_decision_id(text)


# (decision, the addresses asked for, in order)
ADDRESSES = [
    (DecisionId(2017, 48), ["/beschluss/beschluss-2017-48"]),  # before 2025: one form
    (DecisionId(2025, 6), ["/beschluss/beschluss-2025-06", "/beschluss/b-2025-06-it"]),
    (DecisionId(2026, 2), ["/beschluss/b-2026-02-it", "/beschluss/beschluss-2026-02"]),
]


@pytest.mark.parametrize(("decision", "paths"), ADDRESSES)
def test_page_addresses(decision: DecisionId, paths: list[str]) -> None:
    assert page_urls(BASE + "/", decision) == [BASE + p for p in paths]


# (Retry-After, seconds)
RETRY_AFTER = [
    ("120", 120.0),  # delay-seconds
    ("Wed, 21 Oct 2026 07:28:00 GMT", 60.0),  # an HTTP-date a minute after "now" below
    ("Wed, 21 Oct 2026 07:26:00 GMT", 0.0),  # a date already past: at once
    ("soon", None),  # unreadable: the client backs off on its own
    (None, None),
]


@pytest.mark.parametrize(("value", "seconds"), RETRY_AFTER)
def test_retry_after(value: str | None, seconds: float | None) -> None:
    import datetime as dt  # noqa: PLC0415

    now = dt.datetime(2026, 10, 21, 7, 27, tzinfo=dt.UTC)
    assert retry_after_seconds(value, now) == seconds


# (address, same site as https://www.it-planungsrat.de)
SITES = [
    ("https://it-planungsrat.de/x", True),  # without www.
    ("http://www.it-planungsrat.de/x", True),  # http → https moves stay on the site
    ("https://www.it-planungsrat.de.evil.example/x", False),
    ("https://fitko.de/x", False),
    ("ftp://www.it-planungsrat.de/x", False),
]


@pytest.mark.parametrize(("url", "same"), SITES)
def test_same_site(url: str, same: bool) -> None:
    assert same_site(BASE, url) is same
