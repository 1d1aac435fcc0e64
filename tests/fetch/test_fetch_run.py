"""`kg fetch` against a local copy of the council's site: what is cached, how it is named,
what the sidecars say, and how politely it was asked for."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main
from tests.fetch.conftest import LAST_MODIFIED, SITE, Route, Site, council_site


def sidecar(path: Path) -> dict[str, object]:
    return json.loads(path.with_name(path.name + ".fetch.json").read_text(encoding="utf-8"))


def fetch(site: Site, dest: Path, *args: str) -> int:
    return main(["fetch", "--quiet", "--base-url", site.base_url, str(dest), *args])


@pytest.fixture
def site(make_site: Callable[[], Site]) -> Site:
    return council_site(make_site())


def test_a_year_run_caches_pages_session_page_and_protocol(site: Site, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    dest = tmp_path / "fetched"
    assert fetch(site, dest, "--since", "2024", "--until", "2024") == 0

    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*")
                  if p.is_file() and not p.name.endswith(".fetch.json")) == [
        ".fetch.lock",
        "pages/beschluss-2024-01.html",
        "pages/beschluss-2024-02.html",
        "pages/beschluss-2024-03.html",
        "protocols/protokoll-43-sitzung.pdf",
        "sessions/43-sitzung.session",
    ]
    # the files are the served bytes
    assert (dest / "pages/beschluss-2024-02.html").read_bytes() == \
        (SITE / "beschluss-2024-02.html").read_bytes()
    assert (dest / "protocols/protokoll-43-sitzung.pdf").read_bytes() == \
        (SITE / "protokoll-43-sitzung.pdf").read_bytes()

    page = sidecar(dest / "pages/beschluss-2024-01.html")
    body = (SITE / "beschluss-2024-01.html").read_bytes()
    assert page["url"] == page["final_url"] == f"{site.base_url}/beschluss/beschluss-2024-01"
    assert page["sha256"] == hashlib.sha256(body).hexdigest()
    assert page["bytes"] == len(body)
    assert page["etag"] == site.routes["/beschluss/beschluss-2024-01"].etag
    assert page["last_modified"] == LAST_MODIFIED
    assert page["content_type"] == "text/html; charset=utf-8"
    assert page["kind"] == "page"
    assert page["decision"] == "2024/01"
    assert page["title"] == "Weiterbetrieb des Verbindungsnetzes"
    assert page["charset"] == "utf-8"
    fetched_at = dt.datetime.fromisoformat(str(page["fetched_at"]))
    assert fetched_at.tzinfo is not None
    assert abs((dt.datetime.now(dt.UTC) - fetched_at).total_seconds()) < 3600

    # the circular procedure has no session, and is a decision all the same
    assert sidecar(dest / "pages/beschluss-2024-03.html")["decision"] == "2024/03"
    pdf = sidecar(dest / "protocols/protokoll-43-sitzung.pdf")
    assert pdf["kind"] == "protocol"
    assert pdf["content_type"] == "application/pdf"
    assert pdf["sha256"] == hashlib.sha256(
        (SITE / "protokoll-43-sitzung.pdf").read_bytes()).hexdigest()

    paths = site.paths()
    # robots.txt first; then 2024/01 … 2024/03 and three misses (KG_FETCH_MAX_MISSES=3)
    assert paths[0] == "/robots.txt"
    assert paths[1:7] == [f"/beschluss/beschluss-2024-{n:02d}" for n in range(1, 7)]
    assert "/beschluss/beschluss-2024-07" not in paths
    # the protocol PDF is linked by a page and by the session page, and asked for once;
    # the annex and the agenda are not protocols; the search (robots.txt) is no session page
    assert paths.count("/SharedDocs/Downloads/protokoll-43-sitzung.pdf") == 1
    assert not any("anlage" in p or "tagesordnung" in p or "suche" in p for p in paths)
    user_agent = site.log[1].headers["user-agent"]
    assert user_agent.startswith("Beschlussgraph/")
    assert "+https://w3id.org/beschlussgraph" in user_agent

    summary = capsys.readouterr().out
    assert "fetched 3 decision pages, 1 session pages, 1 protocol PDFs" in summary
    assert "5 new, 0 updated, 0 unchanged, 0 kept (fresh); 3 not found, 0 failed" in summary
    assert f"Next: kg load {dest}" in summary


# (numbers the site has, KG_FETCH_MAX_MISSES, the last number asked for)
MISS_RUNS = [
    ([1, 2, 3], 3, 6),  # three misses after 2024/03 end the year
    ([1, 2, 4], 2, 6),  # one gap (2024/03) is crossed, two consecutive misses end it
    ([1, 2, 4], 1, 3),  # with one allowed miss the gap ends the year; 2024/04 is not seen
    ([], 2, 2),  # an empty year costs two probes
]


@pytest.mark.parametrize(("numbers", "max_misses", "last"), MISS_RUNS)
def test_consecutive_misses_end_a_years_run(make_site: Callable[[], Site], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            numbers: list[int], max_misses: int,
                                            last: int) -> None:
    monkeypatch.setenv("KG_FETCH_MAX_MISSES", str(max_misses))
    site = make_site()
    for number in numbers:
        page = (SITE / "beschluss-2024-03.html").read_text(encoding="utf-8")
        site.routes[f"/beschluss/beschluss-2024-{number:02d}"] = Route(
            body=page.replace("Beschluss 2024/03", f"Beschluss 2024/{number:02d}").encode())
    assert fetch(site, tmp_path / "f", "--since", "2024", "--until", "2024") == 0
    asked = [int(p.rsplit("-", 1)[1]) for p in site.paths() if p.startswith("/beschluss/")]
    assert asked == list(range(1, last + 1))
    found = sorted(p.name for p in (tmp_path / "f").rglob("*.html"))
    assert found == [f"beschluss-2024-{n:02d}.html" for n in numbers if n <= last]
