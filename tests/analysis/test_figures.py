"""One definition per figure (issue 12, item 6): "cited by" is the number of distinct
resolutions referring to a resolution or one of its points with any relation. `kg findings`,
the named query `most-cited` and bg:citedByCount in the analysis graph give the same number."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from kg.analysis import dependencies as deps
from kg.analysis.projection import Projection
from kg.settings import Settings
from kg.store import StoreDirectory
from kg.terms import IRI
from queries.catalogue import load_catalogue

from .conftest import r


def _query_counts(settings: Settings) -> dict[str, tuple[int, int | None]]:
    store = StoreDirectory(settings.store).open_read_only()
    query = load_catalogue().get("most-cited")
    rows = store.select(query.bound_text(query.bind({"min": "1"})))
    return {row["resolution"].value: (int(row["citations"]),
                                      None if row["agendaItems"] is None
                                      else int(row["agendaItems"])) for row in rows}


def test_2022_42_is_cited_by_one_resolution_everywhere(
        bundled: Projection, bundled_settings: Settings,
        capsys: pytest.CaptureFixture[str]) -> None:
    # register references.csv line 11: "2024/02,extends,2022/42" -- the only resolution
    # referring to 2022/42; the seed protocol names B-2022/42-IT only in the Quelle column of
    # five reports without a resolution (L155, 549, 578, 736, 896): not counted, shown apart
    assert _query_counts(bundled_settings)[r("2022/42")] == (1, 5)
    assert main(["findings", "--top", "1000", "--json",
                 "--store", str(bundled_settings.store)]) == 0
    found = {c["iri"]: c["count"] for c in json.loads(capsys.readouterr().out)["most_cited"]}
    assert found[r("2022/42")] == 1
    store = StoreDirectory(bundled_settings.store).open_read_only()
    rows = store.select("""
        SELECT ?n ?x WHERE { ?x <https://w3id.org/beschlussgraph/ontology#citedByCount> ?n }""",
        substitutions={"x": _iri(r("2022/42"))})
    assert [int(row["n"]) for row in rows] == [1]


def test_query_and_analysis_agree_on_every_resolution(bundled: Projection,
                                                      bundled_settings: Settings) -> None:
    got = {iri: n for iri, (n, _) in _query_counts(bundled_settings).items()}
    expected = {c.iri: c.count for c in deps.most_cited(bundled, limit=None)}
    assert len(expected) >= 30
    assert got == expected


def _iri(value: str) -> IRI:
    return IRI(value)
