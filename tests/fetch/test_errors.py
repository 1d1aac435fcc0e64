"""What the site can do wrong, and what `kg fetch` makes of it: each problem one message with
its URL, the rest fetched, exit code 1 (0 when the problem was waited out)."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main
from tests.fetch.conftest import SITE, Route, Site, council_site

P1, P2 = "/beschluss/beschluss-2024-01", "/beschluss/beschluss-2024-02"
PDF = "/SharedDocs/Downloads/protokoll-43-sitzung.pdf"


def fetch(site: Site, dest: Path, *args: str, quiet: bool = True) -> int:
    return main(["fetch", *(["--quiet"] if quiet else []), "--base-url", site.base_url,
                 str(dest), *args])


def sidecar(path: Path) -> dict[str, object]:
    return json.loads(path.with_name(path.name + ".fetch.json").read_text(encoding="utf-8"))


def decision_2023_07() -> bytes:
    """A page for decision 2023/07, made from the circular-procedure fixture."""
    page = (SITE / "beschluss-2024-03.html").read_text(encoding="utf-8")
    return page.replace("Beschluss 2024/03", "Beschluss 2023/07").encode()


@pytest.fixture
def site(make_site: Callable[[], Site]) -> Site:
    return council_site(make_site())


# (status, Location relative to the site) of a redirect from the id address to the page
REDIRECTS = [
    (301, "/beschluesse/beschluss/vertretung-im-lenkungskreis"),  # old title-slug address
    (302, "/beschluesse/beschluss/vertretung-im-lenkungskreis"),  # a temporary move
    (308, "/beschluesse/beschluss/vertretung-im-lenkungskreis"),  # permanent, method kept
]


@pytest.mark.parametrize(("status", "location"), REDIRECTS)
def test_a_redirect_within_the_site_is_followed(site: Site, tmp_path: Path, status: int,
                                                location: str) -> None:
    site.routes["/beschluss/beschluss-2023-07"] = Route(status=status,
                                                        headers={"Location": location})
    site.routes[location] = Route(body=decision_2023_07())
    assert fetch(site, tmp_path, "--ids", "2023/07") == 0
    record = sidecar(tmp_path / "pages/beschluss-2023-07.html")
    assert record["url"] == f"{site.base_url}/beschluss/beschluss-2023-07"
    assert record["final_url"] == f"{site.base_url}{location}"
    assert record["decision"] == "2023/07"


def test_a_redirect_off_the_site_is_not_followed(site: Site, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    site.routes["/beschluss/beschluss-2023-07"] = Route(
        status=301, headers={"Location": "http://elsewhere.invalid/beschluss-2023-07"})
    assert fetch(site, tmp_path, "--ids", "2023/07", "2024/01") == 1
    err = capsys.readouterr().err
    assert (f"{site.base_url}/beschluss/beschluss-2023-07: redirects (301) off the site to "
            "http://elsewhere.invalid/beschluss-2023-07; not followed") in " ".join(err.split())
    assert sorted(p.name for p in tmp_path.rglob("*.html")) == ["beschluss-2024-01.html"]


def test_429_and_503_are_waited_out_as_retry_after_asks(
        site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.routes[P1].before = [(429, {"Retry-After": "1"})]
    # an HTTP-date one second ahead (RFC 9110 §10.2.3)
    soon = email.utils.formatdate(time.time() + 1, usegmt=True)
    site.routes[P2].before = [(503, {"Retry-After": soon})]
    assert fetch(site, tmp_path, "--ids", "2024/01", "2024/02", quiet=False) == 0
    assert [h.status for h in site.hits(P1)] == [429, 200]
    assert [h.status for h in site.hits(P2)] == [503, 200]
    assert (tmp_path / "pages/beschluss-2024-01.html").exists()
    assert (tmp_path / "pages/beschluss-2024-02.html").exists()
    err = " ".join(capsys.readouterr().err.split())
    assert f"{site.base_url}{P1}: 429, waiting 1 s as asked (Retry-After)" in err


# (answers before the page, KG_FETCH_MAX_RETRY_AFTER_S=5 and KG_FETCH_MAX_WAITS=2 apply)
GIVEN_UP = [
    ([(429, {"Retry-After": "3600"})],
     "429: the server asks to retry after 3600 s, more than the cap of 5 s"),
    ([(503, {"Retry-After": "0"})] * 3, "still 503 after waiting 2 times as asked"),
]


@pytest.mark.parametrize(("before", "message"), GIVEN_UP)
def test_retry_after_beyond_the_caps_gives_up_that_url(
        site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        before: list[tuple[int, dict[str, str]]], message: str) -> None:
    site.routes[P1].before = list(before)
    assert fetch(site, tmp_path, "--ids", "2024/01", "2024/02") == 1
    err = " ".join(capsys.readouterr().err.split())
    assert f"{site.base_url}{P1}: {message}" in err
    assert sorted(p.name for p in tmp_path.rglob("*.html")) == ["beschluss-2024-02.html"]


def test_a_timeout_is_tried_again_then_reported(site: Site, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KG_FETCH_TIMEOUT_S", "0.5")
    monkeypatch.setenv("KG_FETCH_RETRIES", "1")
    site.routes[P1].delay_s = 3
    assert fetch(site, tmp_path, "--ids", "2024/01", "2024/02") == 1
    assert len(site.hits(P1)) == 2  # the first try and one more (KG_FETCH_RETRIES=1)
    err = " ".join(capsys.readouterr().err.split())
    assert f"{site.base_url}{P1}: timed out after 0.5 s (2 tries; KG_FETCH_TIMEOUT_S)" in err
    assert sorted(p.name for p in tmp_path.rglob("*.html")) == ["beschluss-2024-02.html"]


def test_a_page_without_a_decision_is_reported_and_not_kept(
        site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.page(P2, "no-decision.html")
    assert fetch(site, tmp_path, "--ids", "2024/01", "2024/02", "2024/03") == 1
    err = " ".join(capsys.readouterr().err.split())
    assert f"{site.base_url}{P2}: no decision on this page" in err
    assert sorted(p.name for p in tmp_path.rglob("*.html")) == [
        "beschluss-2024-01.html", "beschluss-2024-03.html"]


def test_an_id_without_a_page_names_both_addresses(site: Site, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert fetch(site, tmp_path, "--ids", "2025/33", "2024/01") == 1
    err = " ".join(capsys.readouterr().err.split())
    assert (f"{site.base_url}/beschluss/beschluss-2025-33 and "
            f"{site.base_url}/beschluss/b-2025-33-it: not found (404)") in err
    assert (tmp_path / "pages/beschluss-2024-01.html").exists()


# (robots.txt, the path that must not be asked for, the address named in the message)
ROBOTS = [
    ("User-agent: *\nDisallow: /SharedDocs/\n", PDF, PDF),  # all crawlers: no downloads
    ("User-agent: Beschlussgraph\nDisallow: /beschluss/beschluss-2024-02\n\n"
     "User-agent: *\nAllow: /\n", P2, P2),  # a rule for this project's crawler only
]


@pytest.mark.parametrize(("robots", "not_asked", "named"), ROBOTS)
def test_robots_txt_disallow_is_honoured(site: Site, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str], robots: str,
                                         not_asked: str, named: str) -> None:
    site.routes["/robots.txt"] = Route(body=robots.encode(), content_type="text/plain")
    assert fetch(site, tmp_path, "--ids", "2024/01", "2024/02", "2024/03") == 1
    assert not site.hits(not_asked)
    err = " ".join(capsys.readouterr().err.split())
    assert f"{site.base_url}{named}: disallowed by robots.txt; not fetched" in err
    assert (tmp_path / "pages/beschluss-2024-01.html").exists()


def test_a_redirect_into_a_disallowed_path_is_not_followed(
        site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.routes["/robots.txt"] = Route(body=b"User-agent: *\nDisallow: /intern/\n",
                                       content_type="text/plain")
    site.routes["/beschluss/beschluss-2023-07"] = Route(status=302,
                                                        headers={"Location": "/intern/x"})
    site.routes["/intern/x"] = Route(body=decision_2023_07())
    assert fetch(site, tmp_path, "--ids", "2023/07") == 1
    assert not site.hits("/intern/x")
    assert "which robots.txt disallows; not followed" in " ".join(capsys.readouterr().err.split())


# (what the protocol link serves, the message)
BAD_PDFS = [
    (Route(status=404), "not found (404; linked from"),  # a dead link
    (Route(body=b"<html><body>Anmeldung</body></html>"), "not a PDF (Content-Type text/html"),
]


@pytest.mark.parametrize(("route", "message"), BAD_PDFS)
def test_a_bad_protocol_link_is_reported(site: Site, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str], route: Route,
                                         message: str) -> None:
    site.routes[PDF] = route
    assert fetch(site, tmp_path, "--ids", "2024/02") == 1
    err = " ".join(capsys.readouterr().err.split())
    assert f"{site.base_url}{PDF}: {message}" in err
    assert not (tmp_path / "protocols").exists() or not list((tmp_path / "protocols").iterdir())
    assert (tmp_path / "pages/beschluss-2024-02.html").exists()


def test_a_longer_crawl_delay_of_robots_txt_is_honoured(site: Site, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    # whole seconds only (urllib.robotparser); 2024/03 links nothing, so one request waits
    site.routes["/robots.txt"] = Route(body=b"User-agent: *\nCrawl-delay: 1\n",
                                       content_type="text/plain")
    assert fetch(site, tmp_path, "--ids", "2024/03", quiet=False) == 0
    err = " ".join(capsys.readouterr().err.split())
    # longer than KG_FETCH_INTERVAL_S=0.01 of the tests: it becomes the pace
    assert "robots.txt asks for 1 s between requests; honoured" in err


def test_a_page_showing_another_decision_is_kept_with_a_warning(
        site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.routes["/beschluss/beschluss-2024-04"] = Route(
        body=(SITE / "beschluss-2024-03.html").read_bytes())
    assert fetch(site, tmp_path, "--ids", "2024/04", quiet=False) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert (f"warning: {site.base_url}/beschluss/beschluss-2024-04: the page shows decision "
            "2024/03, not 2024/04; kept under its address") in err
    assert sidecar(tmp_path / "pages/beschluss-2024-04.html")["decision"] == "2024/03"
