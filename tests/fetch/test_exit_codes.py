"""Exit codes of `kg fetch`: 0 everything fetched, 1 something was not, 2 usage errors and a
site that cannot be reached (with the message that says which)."""

from __future__ import annotations

import fcntl
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main
from tests.fetch.conftest import Route, Site, council_site


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# (arguments after `kg fetch --quiet`, with {base} and {dir} filled in; code; message)
CASES = [
    (["--base-url", "{base}", "{dir}", "--ids", "2024/01"], 0, None),  # all fetched
    (["--base-url", "{base}", "--ids", "2024/01", "2024/02", "{dir}"], 0, None),  # DIR last
    (["--base-url", "{base}", "{dir}", "--ids", "2024/01", "2024/09"], 1,
     "/beschluss/beschluss-2024-09: not found (404)"),  # an id without a page
    (["--base-url", "{base}", "{dir}", "--ids", "2024/x1"], 2,
     "--ids: '2024/x1' is not a decision id"),  # a malformed id
    (["--base-url", "{base}", "{dir}", "--ids", "2024/01", "--since", "2020"], 2,
     "--ids and --since/--until exclude each other"),
    (["--base-url", "{base}", "{dir}", "--since", "2025", "--until", "2024"], 2,
     "expected 2000 ≤ since ≤ until"),  # an empty range of years
    (["--base-url", "ftp://example.org", "{dir}"], 2,
     "--base-url 'ftp://example.org': expected http(s)://HOST[:PORT]"),
    (["--base-url", "{base}"], 2, "missing DIR"),  # no folder given
    (["--base-url", "{base}", "{file}", "--ids", "2024/01"], 2, "is not a folder"),
    (["--base-url", "http://127.0.0.1:{closed}", "{dir}", "--ids", "2024/01"], 2,
     "/robots.txt: cannot connect"),  # nothing listens: the network or the site is down
]


@pytest.mark.parametrize(("argv", "code", "message"), CASES)
def test_exit_codes(make_site: Callable[[], Site], tmp_path: Path,
                    capsys: pytest.CaptureFixture[str], argv: list[str], code: int,
                    message: str | None) -> None:
    site = council_site(make_site())
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    filled = [a.format(base=site.base_url, dir=tmp_path / "f", file=tmp_path / "a-file",
                       closed=closed_port()) for a in argv]
    assert main(["fetch", "--quiet", *filled]) == code
    err = " ".join(capsys.readouterr().err.split())
    if message is None:
        assert "error:" not in err
    else:
        assert message in err


# (what robots.txt answers, the message)
UNREADABLE_ROBOTS = [
    (Route(status=500, body=b"oops", content_type="text/plain"),
     "/robots.txt: 500: robots.txt cannot be read"),  # a server error
    (Route(before=[(503, {"Retry-After": "3600"})]),
     "/robots.txt: robots.txt cannot be read"),  # busy for longer than the cap
]


@pytest.mark.parametrize(("route", "message"), UNREADABLE_ROBOTS)
def test_robots_txt_that_cannot_be_read_closes_the_site(make_site: Callable[[], Site],
                                                       tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str],
                                                       route: Route, message: str) -> None:
    site = council_site(make_site())
    site.routes["/robots.txt"] = route
    assert main(["fetch", "--quiet", "--base-url", site.base_url, str(tmp_path),
                 "--ids", "2024/01"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"{site.base_url}{message}" in err
    assert "(RFC 9309)" in err
    assert site.paths() == ["/robots.txt"]  # nothing else asked for


def test_a_missing_robots_txt_allows_everything(make_site: Callable[[], Site],
                                                tmp_path: Path) -> None:
    site = council_site(make_site())
    del site.routes["/robots.txt"]
    assert main(["fetch", "--quiet", "--base-url", site.base_url, str(tmp_path),
                 "--ids", "2024/02"]) == 0
    assert (tmp_path / "protocols/protokoll-43-sitzung.pdf").exists()


def test_a_second_run_into_the_same_folder_is_refused(make_site: Callable[[], Site],
                                                      tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    site = council_site(make_site())
    with open(tmp_path / ".fetch.lock", "a+", encoding="utf-8") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)  # as a first run holds it
        held.write("4242\n")
        held.flush()
        assert main(["fetch", "--quiet", "--base-url", site.base_url, str(tmp_path),
                     "--ids", "2024/01"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"{tmp_path}: another kg fetch (PID 4242) is writing into this folder" in err
    assert site.paths() == []  # nothing asked for
