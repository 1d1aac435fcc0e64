"""The projection around one resolution gives the status the whole projection gives, for
every resolution of the chain store (seed, register, sessions 49 and 50) on several dates."""

from __future__ import annotations

import datetime as dt

import pytest

from kg.analysis import dependencies as deps
from kg.analysis.local import around, dependents, find_resolution
from kg.analysis.projection import Projection
from kg.analysis.status import StatusIndex
from kg.iris import Minter
from kg.settings import Settings
from kg.store import StoreDirectory

from .conftest import BASE, r

DATES = [dt.date(2024, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2027, 1, 1)]


def test_every_status_matches_the_whole_projection(chained: Projection,
                                                   chain_settings: Settings) -> None:
    store = StoreDirectory(chain_settings.store).open_read_only()
    whole = StatusIndex(chained)
    compared = 0
    for iri in chained.resolutions():
        local = StatusIndex(around(store, iri))
        for on in DATES:
            expected, got = whole.resolution(iri, on), local.resolution(iri, on)
            assert (got.state, [x.text("de") for x in got.reasons]) == \
                (expected.state, [x.text("de") for x in expected.reasons]), (iri, on)
            assert [(p.iri, p.state) for p in got.points] == \
                [(p.iri, p.state) for p in expected.points], (iri, on)
            compared += 1
    assert compared >= 4 * 130


@pytest.mark.parametrize(("text", "expected"), [
    ("2025/33", r("2025/33")),            # canonical
    ("B-2025/33-IT", r("2025/33")),       # as the protocol writes it
    (r("2026/01"), r("2026/01")),         # a full IRI
    ("2031/999", None),                   # well formed, not in the store
    ("Beschluss", None),                  # not an id
])
def test_find_resolution(chain_settings: Settings, text: str, expected: str | None) -> None:
    store = StoreDirectory(chain_settings.store).open_read_only()
    assert find_resolution(store, text, Minter(BASE)) == expected


def _impact_view(proj: Projection, iri: str, depth: int | None) -> dict:
    """What `kg impact` prints, as data."""
    result = deps.impact(proj, iri, depth)
    return {
        "points": result.points,
        "dependents": [(d.iri, proj.label(d.iri), d.depth, d.relation, proj.label(d.via),
                        proj.node(d.iri).get("title")) for d in result.dependents],
        # the order of mandates follows the store's answer, in both
        "mandates": sorted((m.iri, sorted(proj.label(a) for a in m.assignees), m.unresolved,
                            m.action) for m in result.mandates),
        "changes": sorted((proj.label(lk.target), lk.relation, list(lk.points))
                          for lk in result.changes),
        "state": StatusIndex(proj).resolution(iri, dt.date(2026, 7, 1)).state,
    }


@pytest.mark.parametrize("depth", [None, 1])
def test_impact_from_the_closure_matches_the_whole_projection(
        chained: Projection, chain_settings: Settings, depth: int | None) -> None:
    store = StoreDirectory(chain_settings.store).open_read_only()
    with_dependents = 0
    for iri in chained.resolutions():
        expected = _impact_view(chained, iri, depth)
        assert _impact_view(dependents(store, iri, depth), iri, depth) == expected, iri
        with_dependents += bool(expected["dependents"])
    # 2025/33: 2026/11 continues it, 2026/13 amends its point 4 (itplr-50)
    assert [d[1] for d in _impact_view(chained, r("2025/33"), None)["dependents"]] == \
        ["2026/11", "2026/13"]
    assert with_dependents >= 10
