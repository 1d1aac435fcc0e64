"""`kg fetch DIR` then `kg load DIR`: what was fetched becomes the graph, the decision page
and the protocol it links each in their own named graph; the sidecars and the session pages
are not taken for documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cli.main import main
from tests.conftest import SEED
from tests.fetch.conftest import Route, Site
from tests.loaders_read.make_pdf import make_protocol_pdf


def test_fetch_then_load(make_site: Callable[[], Site], tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    site = make_site()
    site.page("/beschluss/b-2025-33-it", "b-2025-33-it.html")
    make_protocol_pdf(SEED, tmp_path / "seed.pdf")
    site.routes["/SharedDocs/Downloads/protokoll-48-sitzung.pdf"] = Route(
        body=(tmp_path / "seed.pdf").read_bytes(), content_type="application/pdf")
    dest, store = tmp_path / "fetched", tmp_path / "store"
    assert main(["fetch", "--quiet", "--base-url", site.base_url, str(dest),
                 "--ids", "B-2025/33-IT"]) == 0
    assert sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*")) == [
        ".fetch.lock",  # one run per folder at a time
        "pages", "pages/b-2025-33-it.html", "pages/b-2025-33-it.html.fetch.json",
        "protocols", "protocols/protokoll-48-sitzung.pdf",
        "protocols/protokoll-48-sitzung.pdf.fetch.json"]
    capsys.readouterr()

    assert main(["--store", str(store), "load", "--quiet", str(dest)]) == 0
    assert "loaded 2 of 2 documents" in capsys.readouterr().out

    assert main(["--store", str(store), "query", "--format", "csv",
                 "SELECT ?g WHERE { GRAPH ?g { ?r eli:id_local \"2025/33\" } } ORDER BY ?g"]) == 0
    graphs = [line for line in capsys.readouterr().out.splitlines()[1:] if line]
    # one decision, two sources: the page and the protocol, each in its own graph
    assert len(graphs) == 2
    assert any("b-2025-33-it" in g for g in graphs)
    assert any("protokoll-48-sitzung" in g for g in graphs)
