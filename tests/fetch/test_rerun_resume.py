"""A second `kg fetch` into the same folder: fresh files are kept without a request, older
ones are asked for conditionally and kept on 304; an interrupted run is resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main
from tests.fetch.conftest import LAST_MODIFIED, ROOT_DIR, Route, Site, council_site

PAGE = "/beschluss/beschluss-2024-01"
PDF = "/SharedDocs/Downloads/protokoll-43-sitzung.pdf"


def fetch(site: Site, dest: Path, *args: str) -> int:
    return main(["fetch", "--quiet", "--base-url", site.base_url, str(dest),
                 "--since", "2024", "--until", "2024", *args])


def snapshot(dest: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every cached file with its inode, mtime and bytes: a rewrite changes at least one of
    them. (The run's lock file names the PID of each run, so it is left out.)"""
    return {p.relative_to(dest).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns,
                                             p.read_bytes())
            for p in sorted(dest.rglob("*")) if p.is_file() and p.name != ".fetch.lock"}


@pytest.fixture
def site(make_site: Callable[[], Site]) -> Site:
    return council_site(make_site())


def test_revalidation_sends_validators_and_keeps_files_on_304(
        site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "f"
    assert fetch(site, dest) == 0
    before = snapshot(dest)
    first = len(site.log)
    capsys.readouterr()

    assert fetch(site, dest, "--revalidate") == 0

    assert snapshot(dest) == before  # nothing rewritten, not even a sidecar
    again = site.log[first:]
    conditional = {hit.path: hit for hit in again if hit.status == 304}
    # every cached file was asked for with its validators and answered 304
    assert set(conditional) == {PAGE, "/beschluss/beschluss-2024-02",
                                "/beschluss/beschluss-2024-03", "/sitzung/43-sitzung", PDF}
    assert conditional[PAGE].headers["if-none-match"] == site.routes[PAGE].etag
    assert conditional[PDF].headers["if-modified-since"] == LAST_MODIFIED
    # the misses are probed again: a new decision may have been published since
    assert [h.path for h in again if h.status == 404] == [
        f"/beschluss/beschluss-2024-{n:02d}" for n in (4, 5, 6)]
    assert "0 new, 0 updated, 5 unchanged, 0 kept (fresh)" in capsys.readouterr().out


def test_a_changed_page_is_fetched_again_on_revalidation(
        site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "f"
    assert fetch(site, dest) == 0
    route = site.routes[PAGE]
    route.body = route.body.replace(b"zur 45. Sitzung", b"zur 46. Sitzung")
    capsys.readouterr()
    assert fetch(site, dest, "--revalidate") == 0
    assert b"zur 46. Sitzung" in (dest / "pages/beschluss-2024-01.html").read_bytes()
    assert "0 new, 1 updated, 4 unchanged" in capsys.readouterr().out


def test_a_rerun_within_the_freshness_asks_only_for_robots_and_misses(site: Site,
                                                                      tmp_path: Path) -> None:
    dest = tmp_path / "f"
    assert fetch(site, dest) == 0
    before, first = snapshot(dest), len(site.log)
    assert fetch(site, dest) == 0
    assert snapshot(dest) == before
    assert [h.path for h in site.log[first:]] == [
        "/robots.txt", *(f"/beschluss/beschluss-2024-{n:02d}" for n in (4, 5, 6))]


def test_an_interrupted_run_resumes_where_it_stopped(site: Site, tmp_path: Path) -> None:
    """The first run is stopped with SIGINT (Ctrl-C) while the server holds back 2024/03;
    the rerun asks only for what was not complete."""
    dest = tmp_path / "f"
    gate = threading.Event()
    site.routes["/beschluss/beschluss-2024-03"].stall_until = gate
    env = {**os.environ, "KG_FETCH_INTERVAL_S": "0.01"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "fetch", "--quiet", "--base-url", site.base_url,
         str(dest), "--since", "2024", "--until", "2024"],
        cwd=ROOT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # Ctrl-C as in a terminal: a shell that starts the tests in the background without
        # job control makes them ignore SIGINT, and Python then never raises
        # KeyboardInterrupt (the run went on to its fetch timeout: exit 1, not 130)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        site.wait_for("/beschluss/beschluss-2024-03")
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, stderr
    assert sorted(p.name for p in dest.rglob("*.html")) == [
        "beschluss-2024-01.html", "beschluss-2024-02.html"]
    # a download cut off mid-file leaves only its temporary file, which is never complete
    (dest / "protocols").mkdir(exist_ok=True)
    (dest / "protocols/protokoll-43-sitzung.pdf.part").write_bytes(b"%PDF-1.3 cut off")
    gate.set()
    first = len(site.log)

    assert fetch(site, dest) == 0

    asked = [h.path for h in site.log[first:]]
    assert PAGE not in asked and "/beschluss/beschluss-2024-02" not in asked
    assert asked[:2] == ["/robots.txt", "/beschluss/beschluss-2024-03"]
    assert PDF in asked
    assert not list(dest.rglob("*.part"))
    assert sorted(p.name for p in dest.rglob("*.html")) == [
        "beschluss-2024-01.html", "beschluss-2024-02.html", "beschluss-2024-03.html"]
    assert (dest / "protocols/protokoll-43-sitzung.pdf").read_bytes().startswith(b"%PDF-1.3")


def test_a_page_gone_from_the_site_keeps_its_copy(site: Site, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    dest = tmp_path / "f"
    assert fetch(site, dest) == 0
    kept = (dest / "pages/beschluss-2024-03.html").read_bytes()
    del site.routes["/beschluss/beschluss-2024-03"]
    capsys.readouterr()
    assert main(["fetch", "--base-url", site.base_url, str(dest), "--since", "2024",
                 "--until", "2024", "--revalidate"]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert f"warning: {site.base_url}/beschluss/beschluss-2024-03: 404 now; the copy" in err
    assert (dest / "pages/beschluss-2024-03.html").read_bytes() == kept


def test_a_rerun_asks_first_for_the_address_the_copy_came_from(make_site: Callable[[], Site],
                                                               tmp_path: Path) -> None:
    """2025/33 lives at the newer address (b-2025-33-it), which comes second for 2025: the
    rerun revalidates it without probing the older form again."""
    site = make_site()
    site.page("/beschluss/b-2025-33-it", "b-2025-33-it.html")
    site.routes["/SharedDocs/Downloads/protokoll-48-sitzung.pdf"] = Route(
        body=b"%PDF-1.4 stand-in", content_type="application/pdf")
    argv = ["fetch", "--quiet", "--base-url", site.base_url, str(tmp_path), "--ids", "2025/33"]
    assert main(argv) == 0
    assert [h.path for h in site.log if "2025-33" in h.path] == [
        "/beschluss/beschluss-2025-33", "/beschluss/b-2025-33-it"]
    first = len(site.log)
    assert main([*argv, "--revalidate"]) == 0
    assert [(h.path, h.status) for h in site.log[first:] if "2025-33" in h.path] == [
        ("/beschluss/b-2025-33-it", 304)]
