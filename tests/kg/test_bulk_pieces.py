"""Large graph writes reach the bulk loader in pieces (its memory grows with what one call
reads): the pieces hold every line once, and a load written in many small pieces holds the
same graphs and union as one written in a few."""

from __future__ import annotations

from pathlib import Path

import pytest

import kg.store.engine
from kg.loading import load_paths
from kg.settings import SAMPLES_DIR, Settings
from kg.store import StoreDirectory
from kg.store.ntriples import write_pieces

LINES = [f"<http://example.org/s{i}> <http://example.org/p> \"{'x' * (i % 50)}\"" for i in range(500)]


@pytest.mark.parametrize(("piece_bytes", "files"), [
    (10**9, 1),   # everything fits one piece
    (4_000, 10),  # 39,140 bytes in pieces of at least 4,000: nine of them and a rest
    (1, 500),     # a piece per line: a line is never split
])
def test_every_line_lands_in_exactly_one_piece(tmp_path: Path, piece_bytes: int,
                                               files: int) -> None:
    paths = write_pieces(LINES, tmp_path, piece_bytes)
    assert len(paths) == files
    written = [line for path in paths for line in path.read_text("utf-8").splitlines()]
    assert written == [line + " ." for line in LINES]
    longest = max(len(line) + 3 for line in LINES)
    assert all(path.stat().st_size < piece_bytes + longest for path in paths)


def test_no_lines_no_files(tmp_path: Path) -> None:
    assert write_pieces([], tmp_path, 1000) == []


def _graphs(store: Path) -> dict[str, int]:
    s = StoreDirectory(store).open_read_only()
    try:
        rows = s.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        union = s.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]
        return {str(r["g"]): int(str(r["n"])) for r in rows} | {"union": int(str(union))}
    finally:
        s.close()


def test_a_load_written_in_small_pieces_holds_the_same_graphs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load_paths([SAMPLES_DIR], Settings(store=tmp_path / "whole"))
    monkeypatch.setattr(kg.store.engine, "BULK_THRESHOLD", 10)
    monkeypatch.setattr(kg.store.engine, "BULK_FILE_BYTES", 20_000)
    load_paths([SAMPLES_DIR], Settings(store=tmp_path / "pieces"))
    whole, pieces = _graphs(tmp_path / "whole"), _graphs(tmp_path / "pieces")
    analysis = "https://w3id.org/beschlussgraph/id/graph/analyse"
    assert whole[analysis] > 2_000  # the sample's analysis graph: a hundred pieces and more
    assert pieces == whole
